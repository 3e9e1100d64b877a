//! The mock clock reaches every timestamp the mock writes: after `POST /__mock/clock/advance`
//! by a day, a Next Cap CRM reply and Data write, a control action, a NexaDesk lead, a Desk Hive
//! reply, the request journal, and a webhook delivery (signature timestamp, envelope, log) all
//! carry the advanced time, while rate-limit windows keep real time.

mod common;

use std::time::Duration;

use axum::http::StatusCode;
use chrono::{DateTime, Utc};
use common::{Mock, Receiver, Resp, crm::Fixture, s};
use deskapi_mock::{Config, MockServer, RateLimitSetting, actions::nextcap::NewLead};
use serde_json::json;

const DAY: i64 = 86_400;

/// Moves the mock's clock a day ahead through the control API; returns its new time.
async fn advance_a_day(mock: &Mock) -> DateTime<Utc> {
    let moved = mock.send("POST", "/__mock/clock/advance", &[], Some(r#"{"seconds": 86400}"#)).await;
    assert_eq!(moved.status, StatusCode::OK, "{}", moved.json);
    let now = mock.send("GET", "/__mock/clock", &[], None).await;
    parse(s(&now.json, "now"))
}

fn parse(text: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(text).unwrap_or_else(|e| panic!("{text:?} is not RFC 3339: {e}")).to_utc()
}

/// Asserts `text` is a timestamp a day ahead of real time, and not after the mock's `now`.
#[track_caller]
fn a_day_ahead(text: &str, what: &str) {
    let at = parse(text);
    let ahead = (at - Utc::now()).num_seconds();
    assert!((DAY - 60..=DAY).contains(&ahead), "{what} = {text} is {ahead} s ahead of real time, not a day");
}

#[track_caller]
fn created(resp: &Resp) -> &serde_json::Value {
    assert!(resp.status.is_success(), "{}: {}", resp.status, resp.json);
    &resp.json["data"]
}

#[tokio::test]
async fn next_cap_crm_data_and_control_writes_use_the_advanced_clock() {
    let mock = Mock::new();
    let fx = Fixture::of(&mock);
    let key = fx.keys.nextcap_crm_admin.clone();
    advance_a_day(&mock).await;

    let ticket = fx.ticket("open", 0);
    let reply = mock.crm("POST", &key, &format!("/tickets/{ticket}/reply"), Some(r#"{"content": "Later."}"#)).await;
    a_day_ahead(s(created(&reply), "created_at"), "CRM reply created_at");
    let detail = mock.crm_ok(&key, &format!("/tickets/{ticket}")).await;
    a_day_ahead(s(&detail["data"], "updated_at"), "CRM ticket updated_at");
    let note = mock.crm("POST", &key, &format!("/tickets/{ticket}/notes"), Some(r#"{"content": "n"}"#)).await;
    a_day_ahead(s(created(&note), "created_at"), "CRM note created_at");
    let closed = mock.crm("POST", &key, &format!("/tickets/{ticket}/close"), None).await;
    a_day_ahead(s(created(&closed), "updated_at"), "CRM close updated_at");

    let hook = mock
        .nextcap_write("POST", "/external/webhooks", r#"{"url": "https://example.com/h", "events": ["lead.created"]}"#)
        .await;
    a_day_ahead(s(created(&hook), "created_at"), "Data webhook created_at");
    let lead = mock.action("capture-lead", r#"{"org": "acme", "email": "later@example.com"}"#).await;
    assert_eq!(lead.status, StatusCode::CREATED, "{}", lead.json);
    a_day_ahead(s(&lead.json, "created_at"), "control lead created_at");

    let journal = mock.send("GET", "/__mock/requests", &[], None).await;
    let last = journal.json.as_array().and_then(|a| a.last()).cloned().expect("journal entries");
    a_day_ahead(s(&last, "at"), "journal at");
}

#[tokio::test]
async fn nexadesk_writes_use_the_advanced_clock() {
    let mock = Mock::new();
    advance_a_day(&mock).await;
    let auth = format!("Bearer {}", mock.state.demo_keys().nexadesk_read_write);
    let body = json!({"visitor_name": "Jane Later"}).to_string();
    let lead = mock.send("POST", "/nexadesk/api/v1/external/leads", &[("authorization", &auth)], Some(&body)).await;
    let lead = created(&lead);
    a_day_ahead(s(lead, "created_at"), "NexaDesk lead created_at");
    a_day_ahead(s(lead, "updated_at"), "NexaDesk lead updated_at");
    let start = json!({"workspace": "acme", "visitor_name": "Vic", "message": "hello"}).to_string();
    let started = mock.send("POST", "/__mock/nexadesk/actions/start-conversation", &[], Some(&start)).await;
    assert!(started.status.is_success(), "{}", started.json);
    a_day_ahead(s(&started.json, "created_at"), "NexaDesk conversation created_at");
}

#[tokio::test]
async fn desk_hive_writes_use_the_advanced_clock() {
    let mock = Mock::new();
    let key = mock.state.demo_keys().deskhive_agent.clone();
    let list = mock.deskhive("/external/tickets?per_page=1").await;
    let id = list.json["data"][0]["id"].as_u64().expect("a ticket");
    advance_a_day(&mock).await;
    let headers = [("x-api-key", key.as_str()), ("content-type", "application/json")];
    let path = format!("/deskhive/api/v1/external/tickets/{id}/messages");
    let sent = mock.send("POST", &path, &headers, Some(r#"{"content": "Later."}"#)).await;
    a_day_ahead(s(created(&sent), "created_at"), "Desk Hive reply created_at");
}

#[tokio::test]
async fn webhook_deliveries_are_stamped_and_signed_with_the_advanced_clock() {
    let server = MockServer::builder().rate_limit(RateLimitSetting::Off).start().await.expect("start");
    let receiver = Receiver::start(vec![], Duration::ZERO).await;
    let key = server.keys().nextcap_data.clone();
    let registered = reqwest::Client::new()
        .post(format!("{}/external/webhooks", server.nextcap_url()))
        .header("x-api-key", key)
        .header("content-type", "application/json")
        .body(json!({"url": receiver.url, "events": ["lead.created"]}).to_string())
        .send()
        .await
        .expect("register");
    assert_eq!(registered.status(), 201);
    server.clock().advance(Duration::from_secs(DAY as u64));
    let lead = NewLead { org: "acme".into(), email: Some("late@example.com".into()), ..NewLead::default() };
    server.nextcap().capture_lead(lead).expect("lead");
    let log = server.wait_for_deliveries(1, Duration::from_secs(5)).await.expect("one delivery");
    a_day_ahead(&log[0].at, "delivery log at");
    let hit = &receiver.got()[0];
    let signed = hit.header("x-nextcap-timestamp").parse::<i64>().expect("a Unix time");
    let ahead = signed - Utc::now().timestamp();
    assert!((DAY - 60..=DAY).contains(&ahead), "signature timestamp is {ahead} s ahead");
    let body = hit.json();
    a_day_ahead(s(&body, "created_at"), "envelope created_at");
    a_day_ahead(s(&body["data"]["lead"], "created_at"), "lead created_at in the payload");
}

#[tokio::test]
async fn rate_limit_windows_keep_real_time() {
    let mock = Mock::with(Config { rate_limit: "2/1m".parse().expect("setting"), ..Config::default() });
    for _ in 0..2 {
        assert_eq!(mock.nextcap("/external/leads").await.status, StatusCode::OK);
    }
    advance_a_day(&mock).await;
    assert_eq!(mock.nextcap("/external/leads").await.status, StatusCode::TOO_MANY_REQUESTS, "the window did not move");
}
