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
