//! Tests on a real socket: the `MockServer` handle, its URLs, shutdown on drop, dropped
//! connections, reset, and large fixtures. (Fixture determinism is tested next to the fixtures.)

use std::time::Duration;

use deskapi_mock::{Fault, MockServer, RateLimitSetting};
use serde_json::Value;

async fn get_json(url: &str, header: (&str, &str)) -> (u16, Value) {
    let resp = reqwest::Client::new().get(url).header(header.0, header.1).send().await.expect("request");
    let status = resp.status().as_u16();
    let bytes = resp.bytes().await.expect("body");
    (status, serde_json::from_slice(&bytes).expect("json"))
}

#[tokio::test]
async fn serves_every_api_on_a_socket() {
    let server = MockServer::start().await;
    assert!(server.url().starts_with("http://127.0.0.1:"));
    assert_eq!(server.url(), format!("http://{}", server.addr()));
    assert_eq!(server.nextcap_url(), format!("{}/nextcap/api/v1", server.url()));
    assert_eq!(server.nexadesk_url(), format!("{}/nexadesk/api/v1/external", server.url()));
    assert_eq!(server.deskhive_url(), format!("{}/deskhive/api/v1", server.url()));
    let keys = server.keys().clone();
    let (s, body) =
        get_json(&format!("{}/external/leads", server.nextcap_url()), ("x-api-key", &keys.nextcap_data)).await;
    assert_eq!((s, body["meta"]["total"].as_u64()), (200, Some(45)));
    let bearer = format!("Bearer {}", keys.nexadesk_read_write);
    let (s, body) = get_json(&format!("{}/leads", server.nexadesk_url()), ("authorization", &bearer)).await;
    assert_eq!((s, body["success"].as_bool()), (200, Some(true)));
    let (s, body) =
        get_json(&format!("{}/external/tickets", server.deskhive_url()), ("x-api-key", &keys.deskhive_agent)).await;
    assert_eq!((s, body["meta"]["total"].as_u64()), (200, Some(24)));
    let (s, keys_json) = get_json(&format!("{}/__mock/keys", server.url()), ("accept", "application/json")).await;
    assert_eq!(s, 200);
    let listed: Vec<deskapi_mock::KeyInfo> = serde_json::from_value(keys_json).expect("KeyInfo list");
    assert_eq!(listed, server.all_keys());
    assert_eq!(server.requests().len(), 3);
    server.clear_requests();
    assert!(server.requests().is_empty());
}

#[tokio::test]
async fn dropping_the_handle_stops_the_server() {
    let server = MockServer::start().await;
    let url = format!("{}/deskhive/api/v1/health-check", server.url());
    assert!(reqwest::get(&url).await.is_ok());
    drop(server);
    tokio::time::sleep(Duration::from_millis(100)).await;
    let client = reqwest::Client::builder().pool_max_idle_per_host(0).build().expect("client");
    assert!(client.get(&url).send().await.is_err(), "nothing listens any more");
}

#[tokio::test]
async fn drop_connection_fault_is_a_transport_error() {
    let server = MockServer::start().await;
    server.add_fault(Fault::drop_connection().times(1));
    let url = format!("{}/external/tickets", server.deskhive_url());
    let client = reqwest::Client::new();
    let key = server.keys().deskhive_agent.clone();
    let outcome = match client.get(&url).header("x-api-key", &key).send().await {
        Err(e) => Err(e),
        Ok(resp) => resp.bytes().await.map(|_| ()),
    };
    assert!(outcome.is_err(), "the client must see a transport error");
    let journal = server.requests();
    assert_eq!(journal.last().map(|e| e.status), Some(0));
    // The fault was used up: the next request succeeds.
    let ok = client.get(&url).header("x-api-key", &key).send().await.expect("request");
    assert_eq!(ok.status().as_u16(), 200);
}

#[tokio::test]
async fn builder_options_apply() {
    let server = MockServer::builder()
        .seed(7)
        .leads(50)
        .rate_limit(RateLimitSetting::Custom { requests: 3, window: Duration::from_secs(10) })
        .start()
        .await
        .expect("start");
    let key = server.keys().nextcap_data.clone();
    let url = format!("{}/external/leads", server.nextcap_url());
    let resp = reqwest::Client::new().get(&url).header("x-api-key", &key).send().await.expect("request");
    let headers = resp.headers().clone();
    assert_eq!(headers["x-ratelimit-limit"], "3");
    let reset: u64 = headers["x-ratelimit-reset"].to_str().ok().and_then(|v| v.parse().ok()).unwrap_or(1);
    assert_eq!(reset % 10, 0, "aligned to the 10 s window");
    let body: Value = serde_json::from_slice(&resp.bytes().await.expect("body")).expect("json");
    assert_eq!(body["meta"]["total"], 50);
    assert_ne!(server.keys(), MockServer::start().await.keys(), "seed 7 differs from seed 42");
}

#[tokio::test]
async fn reset_restores_fixtures_and_clears_state() {
    let server = MockServer::builder()
        .rate_limit(RateLimitSetting::Custom { requests: 1, window: Duration::from_secs(60) })
        .start()
        .await
        .expect("start");
    let key = server.keys().deskhive_agent.clone();
    let url = format!("{}/external/tickets", server.deskhive_url());
    let (first, body_before) = get_json(&url, ("x-api-key", &key)).await;
    let (second, _) = get_json(&url, ("x-api-key", &key)).await;
    assert_eq!((first, second), (200, 429));
    server.add_fault(Fault::status(500));
    server.reset();
    assert!(server.requests().is_empty());
    let (after, body_after) = get_json(&url, ("x-api-key", &key)).await;
    assert_eq!(after, 200, "counters and faults cleared");
    assert_eq!(body_before, body_after, "same data after reset");
}

#[tokio::test]
async fn a_hundred_thousand_leads_build() {
    let server = MockServer::builder().leads(100_000).rate_limit(RateLimitSetting::Off).start().await.expect("start");
    let key = server.keys().nextcap_data.clone();
    let (s, body) =
        get_json(&format!("{}/external/leads?per_page=100&page=1000", server.nextcap_url()), ("x-api-key", &key)).await;
    assert_eq!(s, 200);
    assert_eq!(body["meta"]["total"], 100_000);
    assert_eq!(body["meta"]["total_pages"], 1_000);
    assert_eq!(body["data"].as_array().map(Vec::len), Some(100));
    let bearer = format!("Bearer {}", server.keys().nexadesk_read_write);
    let (_, body) = get_json(&format!("{}/leads?limit=1", server.nexadesk_url()), ("authorization", &bearer)).await;
    assert_eq!(body["pagination"]["total_count"], 100_000);
}
