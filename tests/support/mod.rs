//! Shared set-up for the end-to-end tests: a mock server and SDK clients pointed at it.
#![allow(dead_code)]

use std::time::Duration;

use deskapi::{DeskHiveClient, NexaDeskClient, NextCapDataClient, RetryPolicy};
use deskapi_mock::{MockServer, RateLimitSetting};

/// A mock with rate limits off, so tests measure behaviour, not waiting.
pub async fn server() -> MockServer {
    MockServer::builder().rate_limit(RateLimitSetting::Off).start().await.expect("mock server starts")
}

/// Quick retries: the tests inject failures on purpose.
pub fn policy() -> RetryPolicy {
    RetryPolicy::default().initial_backoff(Duration::from_millis(5)).max_backoff(Duration::from_millis(50))
}

pub fn nextcap(server: &MockServer, key: &str) -> NextCapDataClient {
    NextCapDataClient::builder(key).base_url(server.nextcap_url()).retry_policy(policy()).build().unwrap()
}

pub fn nexadesk(server: &MockServer, key: &str) -> NexaDeskClient {
    NexaDeskClient::builder(key).base_url(server.nexadesk_url()).retry_policy(policy()).build().unwrap()
}

pub fn deskhive(server: &MockServer, key: &str) -> DeskHiveClient {
    DeskHiveClient::builder(key).base_url(server.deskhive_url()).retry_policy(policy()).build().unwrap()
}

/// Every item of a list, all pages streamed.
pub async fn all<P>(request: deskapi::ListRequest<P>) -> Vec<P::Item>
where
    P: deskapi::ListParams,
    P::Item: Unpin,
{
    use futures::TryStreamExt;
    request.stream().try_collect().await.expect("the list streams")
}

/// One request a [`Receiver`] got: headers and the raw body, as a webhook handler sees them.
#[derive(Clone, Debug)]
pub struct Received {
    pub headers: axum::http::HeaderMap,
    pub body: axum::body::Bytes,
}

/// A webhook receiver on 127.0.0.1:0 (`{url}` accepts POSTs): answers with the statuses of
/// `script` in order, then 200, and records every request.
pub struct Receiver {
    pub url: String,
    received: std::sync::Arc<std::sync::Mutex<Vec<Received>>>,
    _task: tokio::task::JoinHandle<()>,
}

impl Receiver {
    /// Starts a receiver.
    pub async fn start(script: Vec<u16>) -> Receiver {
        use std::sync::{Arc, Mutex};
        let received: Arc<Mutex<Vec<Received>>> = Arc::default();
        let script = Arc::new(Mutex::new(std::collections::VecDeque::from(script)));
        let log = Arc::clone(&received);
        let handler = move |headers: axum::http::HeaderMap, body: axum::body::Bytes| {
            let (log, script) = (Arc::clone(&log), Arc::clone(&script));
            async move {
                log.lock().unwrap().push(Received { headers, body });
                let code = script.lock().unwrap().pop_front().unwrap_or(200);
                axum::http::StatusCode::from_u16(code).unwrap()
            }
        };
        let app = axum::Router::new().route("/hook", axum::routing::post(handler));
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind the receiver");
        let url = format!("http://{}/hook", listener.local_addr().expect("address"));
        let task = tokio::spawn(async move {
            let _ = axum::serve(listener, app).await;
        });
        Receiver { url, received, _task: task }
    }

    /// Everything received so far, oldest first.
    pub fn got(&self) -> Vec<Received> {
        self.received.lock().unwrap().clone()
    }
}
