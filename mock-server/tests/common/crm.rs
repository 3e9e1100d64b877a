//! Helpers for the CRM handler tests: requests with a seat key, and the fixture ids the tests
//! aim at, read from the store so they follow the seed.

use axum::http::StatusCode;
use deskapi_mock::DemoKeys;
use serde_json::Value;

use super::{Mock, Resp, data};

/// The CRM's path prefix on the mock.
pub const CRM: &str = "/nextcap/api/v1/external/crm";

/// One fixture ticket or conversation: id, status, widget, assignee.
#[derive(Clone, Debug)]
pub struct Row {
    pub id: String,
    pub status: String,
    pub widget: String,
    pub assignee: Option<String>,
}

/// The fixture facts the CRM tests use.
pub struct Fixture {
    pub keys: DemoKeys,
    /// Acme's widgets: the first is the one the view-own seat has.
    pub widgets: Vec<String>,
    pub acme_tickets: Vec<Row>,
    pub globex_tickets: Vec<Row>,
    pub acme_conversations: Vec<Row>,
    pub globex_conversations: Vec<Row>,
    /// Seat ids by name (`Ada Admin`, `Liam Chat`, `Tara Tickets`, `Vera Own`, `Dan Gone`, `Gina Globex`).
    pub seats: Vec<(String, String, String)>,
    /// Acme's active departments, then Globex's.
    pub acme_departments: Vec<String>,
    pub globex_departments: Vec<String>,
}

impl Fixture {
    /// Reads the facts from `mock`'s store.
    pub fn of(mock: &Mock) -> Fixture {
        let inner = mock.state.lock();
        let nc = inner.store().nextcap();
        let (acme, globex) = (nc.orgs()[0].id, nc.orgs()[1].id);
        let tickets = |org| {
            nc.tickets()
                .iter()
                .filter(|t| t.org_id == org)
                .map(|t| Row {
                    id: t.id.to_string(),
                    status: t.status.to_string(),
                    widget: t.agent_id.to_string(),
                    assignee: t.assigned_agent_id.map(|a| a.to_string()),
                })
                .collect::<Vec<_>>()
        };
        let conversations = |org| {
            nc.org_view(org)
                .conversations()
                .map(|c| Row {
                    id: c.id.to_string(),
                    status: c.status.clone(),
                    widget: c.agent_id.to_string(),
                    assignee: c.assigned_agent_id.map(|a| a.to_string()),
                })
                .collect::<Vec<_>>()
        };
        let departments = |org| {
            nc.departments().iter().filter(|d| d.org_id == org && d.is_active).map(|d| d.id.to_string()).collect()
        };
        Fixture {
            keys: inner.store().demo_keys().clone(),
            widgets: nc.org_widgets(acme).map(|w| w.id.to_string()).collect(),
            acme_tickets: tickets(acme),
            globex_tickets: tickets(globex),
            acme_conversations: conversations(acme),
            globex_conversations: conversations(globex),
            seats: nc.seats().iter().map(|s| (s.name.clone(), s.id.to_string(), s.email.clone())).collect(),
            acme_departments: departments(acme),
            globex_departments: departments(globex),
        }
    }

    /// The id of the seat called `name`.
    pub fn seat(&self, name: &str) -> String {
        self.seats.iter().find(|s| s.0 == name).map(|s| s.1.clone()).unwrap_or_else(|| panic!("no seat {name}"))
    }

    /// The email of the seat called `name`.
    pub fn email(&self, name: &str) -> String {
        self.seats.iter().find(|s| s.0 == name).map(|s| s.2.clone()).unwrap_or_else(|| panic!("no seat {name}"))
    }

    /// The first Acme ticket in `status` on widget `widget` (index into [`Fixture::widgets`]).
    pub fn ticket(&self, status: &str, widget: usize) -> String {
        self.acme_tickets
            .iter()
            .find(|t| t.status == status && t.widget == self.widgets[widget])
            .map(|t| t.id.clone())
            .unwrap_or_else(|| panic!("no {status} ticket on widget {widget}"))
    }
}

impl Mock {
    /// A CRM request with `key`.
    pub async fn crm(&self, method: &str, key: &str, path: &str, body: Option<&str>) -> Resp {
        self.send(method, &format!("{CRM}{path}"), &[("x-api-key", key)], body).await
    }

    /// A CRM `GET` that must succeed.
    pub async fn crm_ok(&self, key: &str, path: &str) -> Value {
        let resp = self.crm("GET", key, path, None).await;
        assert_eq!(resp.status, StatusCode::OK, "{path}: {}", resp.json);
        resp.json
    }

    /// Every id of a CRM list, walking its pages at 100 a page.
    pub async fn crm_ids(&self, key: &str, path: &str) -> Vec<String> {
        let sep = if path.contains('?') { '&' } else { '?' };
        let mut out = Vec::new();
        for page in 1.. {
            let resp = self.crm("GET", key, &format!("{path}{sep}per_page=100&page={page}"), None).await;
            assert_eq!(resp.status, StatusCode::OK, "{path}: {}", resp.json);
            out.extend(data(&resp).iter().map(|r| r["id"].as_str().unwrap_or_default().to_owned()));
            if page >= resp.json["meta"]["total_pages"].as_u64().unwrap_or(0) {
                break;
            }
        }
        out
    }
}

impl Mock {
    /// Stages a small file through the direct upload with `key`; returns its attachment id.
    pub async fn stage_upload(&self, key: &str, text: &str) -> String {
        use tower::ServiceExt;
        let body = format!(
            "--b0undary\r\nContent-Disposition: form-data; name=\"file\"; filename=\"f.txt\"\r\n\
             Content-Type: text/plain\r\n\r\n{text}\r\n--b0undary--\r\n"
        );
        let request = axum::http::Request::post(format!("{CRM}/attachments"))
            .header("x-api-key", key)
            .header("content-type", "multipart/form-data; boundary=b0undary")
            .body(axum::body::Body::from(body))
            .expect("request");
        let response = self.router.clone().oneshot(request).await.expect("infallible");
        assert_eq!(response.status(), StatusCode::CREATED);
        let bytes = axum::body::to_bytes(response.into_body(), 1 << 20).await.expect("body");
        let json: Value = serde_json::from_slice(&bytes).expect("json");
        json["data"]["id"].as_str().expect("id").to_owned()
    }
}
