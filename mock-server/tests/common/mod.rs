//! Shared helpers for the handler tests: build the app for a configuration and send one
//! request through `Router::oneshot`, no socket involved.

#![allow(dead_code)] // each test binary uses a different subset

use axum::{
    Router,
    body::{Body, to_bytes},
    http::{HeaderMap, Request, StatusCode},
};
use deskapi_mock::{AppState, Config, RateLimitSetting, app};
use serde_json::Value;
use tower::ServiceExt;

pub mod crm;

/// A response, decoded.
#[derive(Debug)]
pub struct Resp {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub json: Value,
}

impl Resp {
    /// A header as a string ("" when absent).
    pub fn header(&self, name: &str) -> &str {
        self.headers.get(name).and_then(|v| v.to_str().ok()).unwrap_or("")
    }

    /// A header parsed as an integer.
    pub fn header_u64(&self, name: &str) -> u64 {
        self.header(name).parse().unwrap_or_else(|_| panic!("header {name} missing or not an integer"))
    }
}

/// A test harness: the router plus the state behind it.
#[derive(Clone)]
pub struct Mock {
    pub router: Router,
    pub state: AppState,
}

impl Mock {
    /// Defaults with rate limiting off, so unrelated tests never meet a 429.
    pub fn new() -> Mock {
        Mock::with(Config { rate_limit: RateLimitSetting::Off, ..Config::default() })
    }

    /// A specific configuration.
    pub fn with(config: Config) -> Mock {
        let state = AppState::new(config);
        Mock { router: app(state.clone()), state }
    }

    /// Sends a request with headers and an optional JSON body.
    pub async fn send(&self, method: &str, uri: &str, headers: &[(&str, &str)], body: Option<&str>) -> Resp {
        let mut builder = Request::builder().method(method).uri(uri);
        for (name, value) in headers {
            builder = builder.header(*name, *value);
        }
        if body.is_some() {
            builder = builder.header("content-type", "application/json");
        }
        let request = builder.body(body.map_or_else(Body::empty, |b| Body::from(b.to_owned()))).expect("request");
        let response = self.router.clone().oneshot(request).await.expect("infallible");
        let status = response.status();
        let headers = response.headers().clone();
        let bytes = to_bytes(response.into_body(), 64 * 1024 * 1024).await.expect("body");
        let json = if bytes.is_empty() {
            Value::Null
        } else {
            serde_json::from_slice(&bytes)
                .unwrap_or_else(|e| panic!("not JSON ({e}): {}", String::from_utf8_lossy(&bytes)))
        };
        Resp { status, headers, json }
    }

    /// `GET` with headers.
    pub async fn get(&self, uri: &str, headers: &[(&str, &str)]) -> Resp {
        self.send("GET", uri, headers, None).await
    }

    /// Next Cap data `GET` with the Acme data key.
    pub async fn nextcap(&self, path_and_query: &str) -> Resp {
        let key = self.state.demo_keys().nextcap_data.clone();
        self.get(&format!("/nextcap/api/v1{path_and_query}"), &[("x-api-key", &key)]).await
    }

    /// NexaDesk `GET` with the Acme read/write key.
    pub async fn nexadesk(&self, path_and_query: &str) -> Resp {
        let auth = format!("Bearer {}", self.state.demo_keys().nexadesk_read_write);
        self.get(&format!("/nexadesk/api/v1/external{path_and_query}"), &[("authorization", &auth)]).await
    }

    /// Desk Hive `GET` with a key.
    pub async fn deskhive_as(&self, key: &str, path_and_query: &str) -> Resp {
        self.get(&format!("/deskhive/api/v1{path_and_query}"), &[("x-api-key", key)]).await
    }

    /// Desk Hive `GET` as agent 1.
    pub async fn deskhive(&self, path_and_query: &str) -> Resp {
        let key = self.state.demo_keys().deskhive_agent.clone();
        self.deskhive_as(&key, path_and_query).await
    }
}

/// The `data` array of a list response.
pub fn data(resp: &Resp) -> &Vec<Value> {
    resp.json["data"].as_array().unwrap_or_else(|| panic!("no data array: {}", resp.json))
}

/// The ids in a list response, as strings.
pub fn ids(resp: &Resp) -> Vec<String> {
    data(resp).iter().map(|row| row["id"].to_string()).collect()
}

impl Mock {
    /// A Next Cap data request with `key` and an optional JSON body.
    pub async fn nextcap_with(&self, method: &str, key: &str, path_and_query: &str, body: Option<&str>) -> Resp {
        self.send(method, &format!("/nextcap/api/v1{path_and_query}"), &[("x-api-key", key)], body).await
    }

    /// Next Cap data `GET` with the Globex data key.
    pub async fn globex(&self, path_and_query: &str) -> Resp {
        let key = self.state.demo_keys().nextcap_data_globex.clone();
        self.nextcap_with("GET", &key, path_and_query, None).await
    }

    /// Next Cap data write with the Acme key.
    pub async fn nextcap_write(&self, method: &str, path: &str, body: &str) -> Resp {
        let key = self.state.demo_keys().nextcap_data.clone();
        self.nextcap_with(method, &key, path, Some(body)).await
    }

    /// Every row of an Acme Next Cap list, walking the pages at 100 per page.
    pub async fn nextcap_all(&self, path: &str) -> Vec<Value> {
        let sep = if path.contains('?') { '&' } else { '?' };
        let mut rows = Vec::new();
        for page in 1.. {
            let resp = self.nextcap(&format!("{path}{sep}per_page=100&page={page}")).await;
            assert_eq!(resp.status, StatusCode::OK, "{path}: {}", resp.json);
            rows.extend(data(&resp).iter().cloned());
            if page >= resp.json["meta"]["total_pages"].as_u64().unwrap_or(0) {
                break;
            }
        }
        rows
    }

    /// `POST /__mock/nextcap/actions/{action}` with a JSON body.
    pub async fn action(&self, action: &str, body: &str) -> Resp {
        self.send("POST", &format!("/__mock/nextcap/actions/{action}"), &[], Some(body)).await
    }
}

/// Asserts a Next Cap error envelope with `status` and `code`.
pub fn assert_nextcap_error(resp: &Resp, status: StatusCode, code: &str) {
    assert_eq!(resp.status, status, "{}", resp.json);
    assert_eq!(resp.json["success"], false);
    assert_eq!(resp.json["error"]["code"], code, "{}", resp.json);
    assert!(resp.json["error"]["message"].as_str().is_some_and(|m| !m.is_empty()));
}

/// The fields a 400 names in `error.details`.
pub fn detail_fields(resp: &Resp) -> Vec<String> {
    resp.json["error"]["details"]
        .as_array()
        .map(|d| d.iter().map(|x| x["field"].as_str().unwrap_or("").to_owned()).collect())
        .unwrap_or_default()
}

/// A string field of a JSON row ("" when absent or not a string).
pub fn s<'a>(row: &'a Value, field: &str) -> &'a str {
    row[field].as_str().unwrap_or("")
}

/// One request a [`Receiver`] got.
#[derive(Clone, Debug)]
pub struct Received {
    pub headers: HeaderMap,
    pub body: bytes::Bytes,
    pub at: std::time::Instant,
}

impl Received {
    /// A header as a string ("" when absent).
    pub fn header(&self, name: &str) -> &str {
        self.headers.get(name).and_then(|v| v.to_str().ok()).unwrap_or("")
    }

    /// The body as JSON.
    pub fn json(&self) -> Value {
        serde_json::from_slice(&self.body).expect("delivery body is JSON")
    }
}

/// A webhook receiver on 127.0.0.1:0 that answers with `script` in order (then 200) and
/// records every request; it can also be slowed down.
pub struct Receiver {
    pub url: String,
    pub received: std::sync::Arc<std::sync::Mutex<Vec<Received>>>,
    _task: tokio::task::JoinHandle<()>,
}

impl Receiver {
    /// Starts a receiver answering `script` first, then 200 forever; each answer after `delay`.
    pub async fn start(script: Vec<u16>, delay: std::time::Duration) -> Receiver {
        use std::sync::{Arc, Mutex};
        let received: Arc<Mutex<Vec<Received>>> = Arc::default();
        let script = Arc::new(Mutex::new(std::collections::VecDeque::from(script)));
        let log = Arc::clone(&received);
        let handler = move |headers: HeaderMap, body: bytes::Bytes| {
            let (log, script) = (Arc::clone(&log), Arc::clone(&script));
            async move {
                log.lock().unwrap().push(Received { headers, body, at: std::time::Instant::now() });
                tokio::time::sleep(delay).await;
                let code = script.lock().unwrap().pop_front().unwrap_or(200);
                StatusCode::from_u16(code).unwrap()
            }
        };
        let app = Router::new().route("/hook", axum::routing::post(handler));
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind receiver");
        let url = format!("http://{}/hook", listener.local_addr().expect("addr"));
        let task = tokio::spawn(async move {
            let _ = axum::serve(listener, app).await;
        });
        Receiver { url, received, _task: task }
    }

    /// What it received so far.
    pub fn got(&self) -> Vec<Received> {
        self.received.lock().unwrap().clone()
    }
}
