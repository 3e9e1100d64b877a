//! Pipeline tests: rate-limit headers and 429s in each API's style, the journal, faults, and
//! the control API, all through `Router::oneshot`.

mod common;

use std::time::{Duration, Instant};

use axum::http::StatusCode;
use common::Mock;
use deskapi_mock::{Config, Fault, RateLimitSetting};
use serde_json::json;

fn limited(requests: u32, window: Duration) -> Mock {
    Mock::with(Config { rate_limit: RateLimitSetting::Custom { requests, window }, ..Config::default() })
}

fn unix_now() -> u64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_secs()).unwrap_or(0)
}

#[tokio::test]
async fn documented_limits_and_aligned_next_cap_reset() {
    let mock = Mock::with(Config::default());
    let nc = mock.nextcap("/external/leads").await;
    assert_eq!(nc.header_u64("x-ratelimit-limit"), 60);
    assert_eq!(nc.header_u64("x-ratelimit-remaining"), 59);
    let reset = nc.header_u64("x-ratelimit-reset");
    assert_eq!(reset % 60, 0, "fixed windows align to whole minutes");
    let now = unix_now();
    assert!(reset > now.saturating_sub(1) && reset <= now + 60, "reset {reset} now {now}");
    let nd = mock.nexadesk("/leads").await;
    assert_eq!(nd.header_u64("x-ratelimit-limit"), 100);
    assert_eq!(nd.header_u64("x-ratelimit-remaining"), 99);
    let dh = mock.deskhive("/external/tickets").await;
    assert_eq!(dh.header_u64("x-ratelimit-limit"), 60);
    // Errors from handlers carry the headers too; auth failures (no key known) do not.
    let bad = mock.nextcap("/external/leads?per_page=0").await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    assert_eq!(bad.header_u64("x-ratelimit-remaining"), 58);
    let anon = mock.get("/nextcap/api/v1/external/leads", &[]).await;
    assert_eq!(anon.header("x-ratelimit-limit"), "");
}

#[tokio::test]
async fn next_cap_429_has_retry_after_in_body_not_header() {
    let mock = limited(2, Duration::from_secs(60));
    mock.nextcap("/external/leads").await;
    let second = mock.nextcap("/external/leads").await;
    assert_eq!(second.header_u64("x-ratelimit-remaining"), 0);
    let third = mock.nextcap("/external/leads").await;
    assert_eq!(third.status, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(third.json["success"], false);
    assert_eq!(third.json["error"]["code"], "RATE_LIMITED");
    let retry = third.json["error"]["retryAfter"].as_u64().unwrap_or(0);
    assert!((1..=60).contains(&retry));
    assert_eq!(third.header("retry-after"), "", "Next Cap documents no Retry-After header");
    assert_eq!(third.header_u64("x-ratelimit-remaining"), 0);
    assert_eq!(third.header_u64("x-ratelimit-reset") % 60, 0);
    // Limits are per key: Globex is unaffected.
    let globex = mock.state.demo_keys().nextcap_data_globex.clone();
    let other = mock.get("/nextcap/api/v1/external/leads", &[("x-api-key", &globex)]).await;
    assert_eq!(other.status, StatusCode::OK);
}

#[tokio::test]
async fn nexadesk_sliding_window_429_and_recovery() {
    let mock = limited(2, Duration::from_millis(1_500));
    assert_eq!(mock.nexadesk("/leads").await.status, StatusCode::OK);
    assert_eq!(mock.nexadesk("/leads").await.status, StatusCode::OK);
    let refused = mock.nexadesk("/leads").await;
    assert_eq!(refused.status, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(refused.json, json!({"success": false, "error": "Rate limit exceeded"}));
    let retry = refused.header_u64("retry-after");
    assert!((1..=2).contains(&retry), "retry-after {retry}");
    assert_eq!(refused.header_u64("x-ratelimit-remaining"), 0);
    // Once the oldest request leaves the window a slot frees; the refused one never counted.
    tokio::time::sleep(Duration::from_millis(1_600)).await;
    let again = mock.nexadesk("/leads").await;
    assert_eq!(again.status, StatusCode::OK);
    assert_eq!(again.header_u64("x-ratelimit-remaining"), 1);
}

#[tokio::test]
async fn deskhive_429_is_laravel_style() {
    let mock = limited(1, Duration::from_secs(60));
    assert_eq!(mock.deskhive("/external/tickets").await.status, StatusCode::OK);
    let refused = mock.deskhive("/external/tickets").await;
    assert_eq!(refused.status, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(refused.json, json!({"message": "Too Many Attempts."}));
    assert!(refused.header_u64("retry-after") >= 1);
    assert_eq!(refused.header_u64("x-ratelimit-limit"), 1);
    // The public health check is not limited.
    let health = mock.get("/deskhive/api/v1/health-check", &[]).await;
    assert_eq!(health.status, StatusCode::OK);
}

#[tokio::test]
async fn rate_limit_off_never_refuses_but_still_sends_headers() {
    // The contract promises X-RateLimit-* on every success response, so "off" reports a limit
    // that never runs down instead of omitting the headers.
    let mock = Mock::new();
    for _ in 0..70 {
        let resp = mock.nextcap("/external/leads?per_page=1").await;
        assert_eq!(resp.status, StatusCode::OK);
        assert_eq!(resp.header_u64("x-ratelimit-limit"), u64::from(deskapi_mock::UNLIMITED));
        assert_eq!(resp.header_u64("x-ratelimit-remaining"), u64::from(deskapi_mock::UNLIMITED) - 1);
        assert!(resp.header_u64("x-ratelimit-reset") >= unix_now());
    }
}

#[tokio::test]
async fn control_lists_served_operations() {
    let mock = Mock::new();
    let ops = mock.get("/__mock/operations", &[]).await;
    let rows = ops.json.as_array().cloned().unwrap_or_default();
    let find = |api: &str, op: &str| rows.iter().find(|r| r["api"] == api && r["operation_id"] == op).cloned();
    let lead = find("nextcap-data", "getLead").unwrap_or_default();
    assert_eq!(lead["method"], "GET");
    assert_eq!(lead["path"], "/external/leads/{id}");
    assert_eq!(lead["full_path"], "/nextcap/api/v1/external/leads/{id}");
    assert_eq!(find("nexadesk", "listLeads").unwrap_or_default()["path"], "/leads");
    assert_eq!(find("deskhive", "healthCheck").unwrap_or_default()["path"], "/health-check");
    assert!(find("deskhive", "getConnectionCheck").is_some());
}

#[tokio::test]
async fn journal_records_operation_status_and_key() {
    let mock = Mock::new();
    let keys = mock.state.demo_keys().clone();
    mock.nextcap("/external/leads?page=2").await;
    mock.nexadesk("/leads?limit=5").await;
    mock.deskhive_as("wrong", "/external/tickets").await;
    mock.get("/deskhive/api/v1/health-check", &[]).await;
    mock.nextcap("/external/unknown").await;
    mock.get("/__mock/health", &[]).await;
    let entries = mock.state.requests();
    let summary: Vec<(String, Option<String>, u16, Option<String>)> =
        entries.iter().map(|e| (e.api.clone(), e.operation_id.clone(), e.status, e.key.clone())).collect();
    assert_eq!(
        summary,
        vec![
            ("nextcap".into(), Some("listLeads".into()), 200, Some(keys.nextcap_data.clone())),
            ("nexadesk".into(), Some("listLeads".into()), 200, Some(keys.nexadesk_read_write.clone())),
            ("deskhive".into(), Some("listTickets".into()), 401, Some("wrong".into())),
            ("deskhive".into(), Some("healthCheck".into()), 200, None),
            ("nextcap".into(), None, 404, Some(keys.nextcap_data.clone())),
        ],
        "control requests are not journaled"
    );
    assert_eq!(entries[0].path, "/nextcap/api/v1/external/leads?page=2");
    assert_eq!(entries[0].method, "GET");
    assert!(chrono::DateTime::parse_from_rfc3339(&entries[0].at).is_ok());
    let listed = mock.get("/__mock/requests", &[]).await;
    assert_eq!(listed.json.as_array().map(Vec::len), Some(5));
    let cleared = mock.send("DELETE", "/__mock/requests", &[], None).await;
    assert_eq!(cleared.json["cleared"], 5);
    assert!(mock.state.requests().is_empty());
}

#[tokio::test]
async fn status_fault_uses_the_api_envelope_and_counts_down() {
    let mock = Mock::new();
    mock.state.add_fault(Fault::status(503).times(2).operation("listLeads").api("nextcap"));
    let first = mock.nextcap("/external/leads").await;
    assert_eq!(first.status, StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(first.json["success"], false);
    assert_eq!(first.json["error"]["code"], "SERVICE_UNAVAILABLE");
    // NexaDesk's route has the same operationId but another API: not affected.
    assert_eq!(mock.nexadesk("/leads").await.status, StatusCode::OK);
    assert_eq!(mock.nextcap("/external/leads").await.status, StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(mock.nextcap("/external/leads").await.status, StatusCode::OK);
    assert!(mock.state.faults().is_empty());
    let journal: Vec<u16> = mock.state.requests().iter().map(|e| e.status).collect();
    assert_eq!(journal, vec![503, 200, 503, 200]);
}

#[tokio::test]
async fn fault_body_headers_and_per_api_envelopes() {
    let mock = Mock::new();
    mock.state.add_fault(Fault::status(500).api("nexadesk").times(1));
    let nd = mock.nexadesk("/leads").await;
    assert_eq!(nd.json, json!({"success": false, "error": "Internal Server Error"}));
    mock.state.add_fault(Fault::status(500).api("deskhive").times(1));
    let dh = mock.deskhive("/external/tickets").await;
    assert_eq!(dh.json, json!({"message": "Server Error"}));
    mock.state.add_fault(
        Fault::status(429).path_prefix("/nextcap/api/v1/external/leads").header("retry-after", "7").times(1),
    );
    let nc = mock.nextcap("/external/leads").await;
    assert_eq!(nc.json["error"]["code"], "RATE_LIMITED");
    assert_eq!(nc.json["error"]["retryAfter"], 7);
    assert_eq!(nc.header("retry-after"), "7");
    mock.state.add_fault(Fault::status(418).body(json!({"custom": true})).method("get").times(1));
    let custom = mock.nexadesk("/leads").await;
    assert_eq!(custom.status.as_u16(), 418);
    assert_eq!(custom.json, json!({"custom": true}));
}

#[tokio::test]
async fn latency_fault_delays_then_proceeds() {
    let mock = Mock::new();
    mock.state.add_fault(Fault::latency(250).times(1));
    let start = Instant::now();
    let resp = mock.deskhive("/external/tickets").await;
    assert!(start.elapsed() >= Duration::from_millis(250));
    assert_eq!(resp.status, StatusCode::OK);
    let start = Instant::now();
    mock.deskhive("/external/tickets").await;
    assert!(start.elapsed() < Duration::from_millis(250), "times(1) is used up");
}

#[tokio::test]
async fn faults_apply_after_auth() {
    let mock = Mock::new();
    mock.state.add_fault(Fault::status(500));
    let anon = mock.get("/nextcap/api/v1/external/leads", &[]).await;
    assert_eq!(anon.status, StatusCode::UNAUTHORIZED);
    assert_eq!(mock.nextcap("/external/leads").await.status, StatusCode::INTERNAL_SERVER_ERROR);
    mock.state.clear_faults();
    assert_eq!(mock.nextcap("/external/leads").await.status, StatusCode::OK);
}

#[tokio::test]
async fn control_api_faults_and_bad_json() {
    let mock = Mock::new();
    let bad = mock.send("POST", "/__mock/faults", &[], Some("{not json")).await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    assert!(bad.json["error"].as_str().is_some_and(|e| e.contains("invalid fault")));
    let typo = mock.send("POST", "/__mock/faults", &[], Some(r#"{"statuss": 500}"#)).await;
    assert_eq!(typo.status, StatusCode::BAD_REQUEST);
    let wrong_status = mock.send("POST", "/__mock/faults", &[], Some(r#"{"status": 42}"#)).await;
    assert_eq!(wrong_status.status, StatusCode::BAD_REQUEST);
    assert!(wrong_status.json["error"].as_str().is_some_and(|e| e.contains("status")));
    let ok = mock
        .send("POST", "/__mock/faults", &[], Some(r#"{"status": 502, "operation_id": "listTickets", "times": 1}"#))
        .await;
    assert_eq!(ok.status, StatusCode::CREATED);
    assert_eq!(mock.get("/__mock/faults", &[]).await.json.as_array().map(Vec::len), Some(1));
    assert_eq!(mock.deskhive("/external/tickets").await.status, StatusCode::BAD_GATEWAY);
    mock.send("POST", "/__mock/faults", &[], Some(r#"{"delay_ms": 1}"#)).await;
    let cleared = mock.send("DELETE", "/__mock/faults", &[], None).await;
    assert_eq!(cleared.json["cleared"], 1);
}

#[tokio::test]
async fn control_health_keys_reset_and_unknown() {
    let mock = Mock::new();
    let health = mock.get("/__mock/health", &[]).await;
    assert_eq!(health.json["status"], "ok");
    assert_eq!(health.json["seed"], 42);
    let keys = mock.get("/__mock/keys", &[]).await;
    let list = keys.json.as_array().cloned().unwrap_or_default();
    assert_eq!(list.len(), 18, "4 data (2 Enterprise, 1 Pro, 1 Free) + 7 CRM + 3 NexaDesk + 4 Desk Hive");
    let apis: Vec<&str> = list.iter().filter_map(|k| k["api"].as_str()).collect();
    for api in ["nextcap-data", "nextcap-crm", "nexadesk", "deskhive"] {
        assert!(apis.contains(&api));
    }
    let inactive: Vec<&str> =
        list.iter().filter(|k| k["active"] == false).filter_map(|k| k["label"].as_str()).collect();
    assert_eq!(inactive.len(), 2, "the deactivated seat and the inactive agent: {inactive:?}");
    mock.state.add_fault(Fault::status(500));
    mock.nextcap("/external/leads").await;
    let reset = mock.send("POST", "/__mock/reset", &[], None).await;
    assert_eq!(reset.json["status"], "reset");
    assert!(mock.state.faults().is_empty() && mock.state.requests().is_empty());
    assert_eq!(mock.nextcap("/external/leads").await.status, StatusCode::OK);
    let unknown = mock.get("/__mock/nope", &[]).await;
    assert_eq!(unknown.status, StatusCode::NOT_FOUND);
    assert!(unknown.json["error"].is_string());
    let outside = mock.get("/somewhere/else", &[]).await;
    assert_eq!(outside.status, StatusCode::NOT_FOUND);
    assert!(outside.json["error"].is_string());
}

#[tokio::test]
async fn reset_clears_rate_limit_counters() {
    let mock = limited(1, Duration::from_secs(60));
    mock.nextcap("/external/leads").await;
    assert_eq!(mock.nextcap("/external/leads").await.status, StatusCode::TOO_MANY_REQUESTS);
    mock.state.reset();
    assert_eq!(mock.nextcap("/external/leads").await.status, StatusCode::OK);
}
