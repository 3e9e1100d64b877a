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
