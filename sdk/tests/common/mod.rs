//! Helpers shared by the SDK's wiremock tests: clients pointed at a wiremock server, the
//! response bodies in `tests/fixtures/<api>/` (JSON files, so they read as the API sends
//! them), and small request-inspection helpers.
//!
//! The client helpers exist only with their API's feature, so that a test file needing one
//! API builds when only that API is compiled in.
#![allow(dead_code)]

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use serde_json::{Value, json};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

pub const DATA_KEY: &str = "sk_live_TESTKEYTESTKEYTESTKEY";
pub const NEXA_KEY: &str = "fc_live_TESTKEYTESTKEYTESTKEY";
pub const HIVE_KEY: &str = "hive0123456789TESTKEY";
pub const CRM_KEY: &str = "nextcap_ck_TESTKEYTESTKEYTESTKEY";

/// Fast retries so tests do not sleep for long.
pub fn fast_policy() -> deskapi::RetryPolicy {
    deskapi::RetryPolicy::default().initial_backoff(Duration::from_millis(5)).max_backoff(Duration::from_millis(20))
}

#[cfg(feature = "nextcap")]
pub fn nextcap(server: &wiremock::MockServer) -> deskapi::NextCapDataClient {
    deskapi::NextCapDataClient::builder(DATA_KEY).base_url(server.uri()).retry_policy(fast_policy()).build().unwrap()
}

#[cfg(feature = "nextcap")]
pub fn crm(server: &wiremock::MockServer) -> deskapi::NextCapCrmClient {
    deskapi::NextCapCrmClient::builder(CRM_KEY).base_url(server.uri()).retry_policy(fast_policy()).build().unwrap()
}

#[cfg(feature = "nexadesk")]
pub fn nexadesk(server: &wiremock::MockServer) -> deskapi::NexaDeskClient {
    deskapi::NexaDeskClient::builder(NEXA_KEY).base_url(server.uri()).retry_policy(fast_policy()).build().unwrap()
}

#[cfg(feature = "deskhive")]
pub fn deskhive(server: &wiremock::MockServer) -> deskapi::DeskHiveClient {
    deskapi::DeskHiveClient::builder(HIVE_KEY).base_url(server.uri()).retry_policy(fast_policy()).build().unwrap()
}

/// Parses a fixture file's text (see [`fixture!`]).
pub fn parse(text: &str) -> Value {
    serde_json::from_str(text).expect("the fixture is JSON")
}

/// The parsed JSON of `tests/fixtures/<path>`, embedded at compile time (the path is taken
/// from the crate root because `include_str!` resolves relative paths from where a macro is
/// used, not where it is defined).
macro_rules! fixture {
    ($path:literal) => {
        $crate::common::parse(include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/", $path)))
    };
}
// Not every test file loads a fixture by path.
#[allow(unused_imports)]
pub(crate) use fixture;

/// A Next Cap lead, numbered `n` (ID, email and name follow the number).
pub fn lead(n: u32) -> Value {
    let mut v = fixture!("nextcap/lead.json");
    v["id"] = json!(format!("00000000-0000-4000-8000-{n:012}"));
    v["email"] = json!(format!("lead{n}@acme.com"));
    v["name"] = json!(format!("Lead {n}"));
    v
}

/// A NexaDesk lead, numbered `n`.
pub fn nexa_lead(n: u32) -> Value {
    let mut v = fixture!("nexadesk/lead.json");
    v["id"] = json!(format!("lead-{n}"));
    v["visitor_name"] = json!(format!("Lead {n}"));
    v
}

pub fn unix_now() -> u64 {
    SystemTime::now().duration_since(UNIX_EPOCH).unwrap().as_secs()
}

/// Serves Next Cap lead pages: `total` leads, `per_page` from the query (default 20).
pub struct LeadPages {
    pub total: u32,
    pub delay: Duration,
}

impl Respond for LeadPages {
    fn respond(&self, req: &Request) -> ResponseTemplate {
        let q: std::collections::HashMap<String, String> = req.url.query_pairs().into_owned().collect();
        let page: u32 = q.get("page").and_then(|p| p.parse().ok()).unwrap_or(1);
        let per_page: u32 = q.get("per_page").and_then(|p| p.parse().ok()).unwrap_or(20);
        let total_pages = self.total.div_ceil(per_page);
        let start = (page - 1) * per_page;
        let items: Vec<Value> = (start..(start + per_page).min(self.total)).map(lead).collect();
        ResponseTemplate::new(200)
            .set_delay(self.delay)
            .set_body_json(json!({"data": items, "meta": {"page": page, "per_page": per_page, "total": self.total, "total_pages": total_pages}}))
    }
}

// ---- Next Cap External Data API fixtures -----------------------------------------------------
// The `DOC_*` bodies are verbatim from nextcap-external-data-api.txt (kept as text: some tests
// serve them byte for byte); the others follow openapi/nextcap-data.yaml where the document
// shows no example.

/// `GET /external/tickets`, as documented (with the Persian department translation).
pub const DOC_TICKETS: &str = include_str!("../fixtures/nextcap/tickets_list.json");

/// `GET /external/call-requests`, as documented (with custom fields).
pub const DOC_CALL_REQUESTS: &str = include_str!("../fixtures/nextcap/call_requests_list.json");

/// `GET /external/departments`, as documented: no `meta`.
pub const DOC_DEPARTMENTS: &str = include_str!("../fixtures/nextcap/departments_list.json");

/// `GET /external/conversations/:id/messages`, as documented.
pub const DOC_MESSAGES: &str = include_str!("../fixtures/nextcap/messages_list.json");

/// The first item of a documented list body.
pub fn first_item(doc: &str) -> Value {
    let body: Value = serde_json::from_str(doc).expect("the documented example is JSON");
    body["data"][0].clone()
}

/// A one-page list body around `items`.
pub fn page_of(items: Vec<Value>) -> Value {
    let n = items.len();
    json!({"data": items, "meta": {"page": 1, "per_page": 20, "total": n, "total_pages": 1}})
}

pub fn conversation() -> Value {
    fixture!("nextcap/conversation.json")
}

pub fn ticket_event() -> Value {
    fixture!("nextcap/ticket_event.json")
}

pub fn visitor() -> Value {
    fixture!("nextcap/visitor.json")
}

pub fn webhook(id: &str) -> Value {
    let mut v = fixture!("nextcap/webhook.json");
    v["id"] = json!(id);
    v
}

/// Decodes a model from JSON, failing the test if it does not decode.
pub fn decode<T: serde::de::DeserializeOwned>(v: Value) -> T {
    serde_json::from_value(v).expect("decodes")
}

/// Answers `GET route` with `body`, exactly once.
pub async fn serve(server: &MockServer, route: &str, body: Value) {
    Mock::given(method("GET"))
        .and(path(route))
        .respond_with(ResponseTemplate::new(200).set_body_json(body))
        .expect(1)
        .mount(server)
        .await;
}

/// The query string of the only request the server saw.
pub async fn only_query(server: &MockServer) -> String {
    let requests = server.received_requests().await.unwrap();
    assert_eq!(requests.len(), 1);
    requests[0].url.query().unwrap_or_default().to_owned()
}

/// The paths of every request the server saw, in order.
pub async fn only_paths(server: &MockServer) -> Vec<String> {
    server.received_requests().await.unwrap().iter().map(|r| r.url.path().to_owned()).collect()
}

/// Asserts the server saw no request at all (an argument was refused before sending).
pub async fn assert_nothing_sent(server: &MockServer) {
    let requests = server.received_requests().await.unwrap();
    assert!(
        requests.is_empty(),
        "expected no request, got {:?}",
        requests.iter().map(|r| r.url.as_str()).collect::<Vec<_>>()
    );
}

/// The JSON body of the only request the server saw.
pub async fn only_body(server: &MockServer) -> Value {
    let requests = server.received_requests().await.unwrap();
    assert_eq!(requests.len(), 1);
    serde_json::from_slice(&requests[0].body).expect("the request body is JSON")
}
