//! Webhook delivery over real sockets: a receiver in the test, the mock's deliverer POSTing to
//! it. Signature and envelope, retries with backoff (failing statuses, refused connections,
//! timeouts), subscription and tenant scoping, deletion and reset, and that a request never
//! waits for a receiver.

mod common;

use std::time::{Duration, Instant};

use common::{Receiver, s};
use deskapi_mock::{
    DeliveryAttempt, MockServer, RateLimitSetting, WebhookRetry,
    actions::nextcap::{NewLead, NewTicket},
    sign_webhook as sign,
};
use serde_json::{Value, json};

const SECOND: Duration = Duration::from_secs(1);

async fn server(retry: WebhookRetry) -> MockServer {
    MockServer::builder().rate_limit(RateLimitSetting::Off).webhook_retry(retry).start().await.expect("start")
}

/// Sends `method url` with a key and an optional JSON body; returns the status and the JSON.
async fn call(method: reqwest::Method, url: &str, key: &str, body: Option<Value>) -> (u16, Value) {
    let mut request = reqwest::Client::new().request(method, url).header("x-api-key", key);
    if let Some(body) = body {
        request = request.header("content-type", "application/json").body(body.to_string());
    }
    let resp = request.send().await.expect("request");
    let status = resp.status().as_u16();
    let bytes = resp.bytes().await.expect("body");
    (status, serde_json::from_slice(&bytes).unwrap_or(Value::Null))
}

/// Registers a webhook with `key`; returns `(id, secret)`.
async fn register(server: &MockServer, key: &str, url: &str, events: &[&str]) -> (String, String) {
    let target = format!("{}/external/webhooks", server.nextcap_url());
    let (status, body) = call(reqwest::Method::POST, &target, key, Some(json!({ "url": url, "events": events }))).await;
    assert_eq!(status, 201, "{body}");
    (s(&body["data"], "id").to_owned(), s(&body["data"], "secret").to_owned())
}

fn lead(org: &str) -> NewLead {
    NewLead { org: org.into(), email: Some("jane@example.com".into()), ..NewLead::default() }
}

#[tokio::test]
async fn deliveries_are_signed_enveloped_and_logged() {
    let server = server(WebhookRetry::default()).await;
    let receiver = Receiver::start(vec![], Duration::ZERO).await;
    let key = server.keys().nextcap_data.clone();
    let (webhook_id, secret) = register(&server, &key, &receiver.url, &["lead.created"]).await;
    let lead = server.nextcap().capture_lead(lead("acme")).expect("lead");
    let log = server.wait_for_deliveries(1, 5 * SECOND).await.expect("one delivery");
    let got = receiver.got();
    assert_eq!(got.len(), 1);
    let hit = &got[0];
    let timestamp = hit.header("x-nextcap-timestamp");
    assert_eq!(hit.header("x-nextcap-signature"), sign(&secret, timestamp.parse().unwrap_or(0), &hit.body));
    let skew = chrono::Utc::now().timestamp() - timestamp.parse::<i64>().unwrap_or(0);
    assert!((0..5).contains(&skew), "signed just now");
    assert_eq!(hit.header("x-nextcap-event"), "lead.created");
    assert_eq!(hit.header("content-type"), "application/json");
    let body = hit.json();
    assert_eq!(hit.header("x-nextcap-delivery"), s(&body, "id"));
    assert_eq!((s(&body, "event"), body["data"]["lead"]["id"].clone()), ("lead.created", json!(lead.id)));
    let org = server.state().lock().store().nextcap().orgs()[0].id.to_string();
    assert_eq!(s(&body, "org_id"), org);
    assert_eq!(
        log,
        vec![DeliveryAttempt {
            delivery_id: lead_delivery_id(&body),
            webhook_id: webhook_id.parse().expect("uuid"),
            event: "lead.created".into(),
            url: receiver.url.clone(),
            attempt: 1,
            status: Some(200),
            error: None,
            will_retry: false,
            at: log[0].at.clone(),
        }]
    );
    // The control API shows the same log.
    let (_, http) = call(reqwest::Method::GET, &format!("{}/__mock/webhooks/deliveries", server.url()), "", None).await;
    let http: Vec<DeliveryAttempt> = serde_json::from_value(http).expect("attempts");
    assert_eq!(http, log);
}

fn lead_delivery_id(body: &Value) -> uuid::Uuid {
    s(body, "id").parse().expect("uuid")
}

#[tokio::test]
async fn failing_receivers_are_retried_with_backoff_until_they_accept() {
    let server = server(WebhookRetry::exponential(5, Duration::from_millis(100))).await;
    let receiver = Receiver::start(vec![500, 503], Duration::ZERO).await;
    let key = server.keys().nextcap_data.clone();
    register(&server, &key, &receiver.url, &["lead.created"]).await;
    server.nextcap().capture_lead(lead("acme")).expect("lead");
    let log = server.wait_for_deliveries(3, 5 * SECOND).await.expect("three attempts");
    assert!(server.wait_for_webhooks_idle(5 * SECOND).await);
    let outcome: Vec<(u32, Option<u16>, bool)> = log.iter().map(|a| (a.attempt, a.status, a.will_retry)).collect();
    assert_eq!(outcome, [(1, Some(500), true), (2, Some(503), true), (3, Some(200), false)]);
    assert!(log.iter().all(|a| a.delivery_id == log[0].delivery_id), "one delivery id across retries");
    let got = receiver.got();
    let ids: Vec<&str> = got.iter().map(|r| r.header("x-nextcap-delivery")).collect();
    assert!(ids.iter().all(|id| *id == ids[0]));
    assert_eq!(got[0].body, got[2].body, "the same body every time");
    let gaps: Vec<Duration> = got.windows(2).map(|w| w[1].at - w[0].at).collect();
    assert!(gaps[0] >= Duration::from_millis(95) && gaps[1] >= Duration::from_millis(195), "{gaps:?}");
}

#[tokio::test]
async fn unreachable_and_slow_receivers_exhaust_the_attempts() {
    let retry = WebhookRetry::exponential(3, Duration::from_millis(20)).with_timeout(Duration::from_millis(150));
    let server = server(retry).await;
    // A port that was just free: nothing listens there.
    let closed = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let dead_url = format!("http://{}/hook", closed.local_addr().expect("addr"));
    drop(closed);
    let slow = Receiver::start(vec![], Duration::from_secs(2)).await;
    let key = server.keys().nextcap_data.clone();
    register(&server, &key, &dead_url, &["lead.created"]).await;
    register(&server, &key, &slow.url, &["lead.created"]).await;
    server.nextcap().capture_lead(lead("acme")).expect("lead");
    let log = server.wait_for_deliveries(6, 10 * SECOND).await.expect("3 attempts each");
    assert!(server.wait_for_webhooks_idle(5 * SECOND).await);
    for (url, needle) in [(&dead_url, "error sending request"), (&slow.url, "timed out")] {
        let attempts: Vec<&DeliveryAttempt> = log.iter().filter(|a| &a.url == url).collect();
        assert_eq!(attempts.iter().map(|a| a.attempt).collect::<Vec<_>>(), [1, 2, 3], "{url}");
        assert!(attempts.iter().all(|a| a.status.is_none()), "{attempts:?}");
        assert!(attempts.iter().all(|a| a.error.as_deref().is_some_and(|e| e.contains(needle))), "{attempts:?}");
        assert_eq!(attempts.iter().map(|a| a.will_retry).collect::<Vec<_>>(), [true, true, false]);
    }
    assert_eq!(server.webhook_deliveries().len(), 6, "no attempt after the last");
}

#[tokio::test]
async fn only_subscribed_webhooks_of_the_same_organisation_receive_events() {
    let server = server(WebhookRetry::default()).await;
    let leads = Receiver::start(vec![], Duration::ZERO).await;
    let tickets = Receiver::start(vec![], Duration::ZERO).await;
    let globex = Receiver::start(vec![], Duration::ZERO).await;
    let keys = server.keys().clone();
    register(&server, &keys.nextcap_data, &leads.url, &["lead.created"]).await;
    register(&server, &keys.nextcap_data, &tickets.url, &["ticket.created", "ticket.customer_reply"]).await;
    register(&server, &keys.nextcap_data_globex, &globex.url, &["lead.created", "ticket.created"]).await;
    server.nextcap().capture_lead(lead("acme")).expect("lead");
    let ticket = NewTicket { org: "acme".into(), subject: "Help".into(), ..NewTicket::default() };
    server.nextcap().file_ticket(ticket).expect("ticket");
    server.nextcap().capture_lead(lead("globex")).expect("globex lead");
    server.wait_for_deliveries(3, 5 * SECOND).await.expect("three deliveries");
    assert!(server.wait_for_webhooks_idle(5 * SECOND).await);
    let events = |r: &Receiver| r.got().iter().map(|g| g.header("x-nextcap-event").to_owned()).collect::<Vec<_>>();
    assert_eq!(events(&leads), ["lead.created"]);
    assert_eq!(events(&tickets), ["ticket.created"]);
    assert_eq!(events(&globex), ["lead.created"], "Globex hears only Globex");
    let globex_org = server.state().lock().store().nextcap().orgs()[1].id.to_string();
    assert_eq!(s(&globex.got()[0].json(), "org_id"), globex_org);
}

#[tokio::test]
async fn deleting_a_webhook_stops_its_retries_and_reset_forgets_everything() {
    let server = server(WebhookRetry::exponential(5, Duration::from_millis(300))).await;
    let receiver = Receiver::start(vec![500, 500, 500, 500], Duration::ZERO).await;
    let key = server.keys().nextcap_data.clone();
    let (id, _) = register(&server, &key, &receiver.url, &["lead.created"]).await;
    server.nextcap().capture_lead(lead("acme")).expect("lead");
    server.wait_for_deliveries(1, 5 * SECOND).await.expect("first attempt");
    let (status, _) =
        call(reqwest::Method::DELETE, &format!("{}/external/webhooks/{id}", server.nextcap_url()), &key, None).await;
    assert_eq!(status, 200);
    assert!(server.wait_for_webhooks_idle(5 * SECOND).await, "the retry loop ends");
    assert_eq!(server.webhook_deliveries().len(), 1, "no retry after the delete");
    assert_eq!(receiver.got().len(), 1);

    register(&server, &key, &receiver.url, &["lead.created"]).await;
    server.nextcap().capture_lead(lead("acme")).expect("lead");
    server.wait_for_deliveries(2, 5 * SECOND).await.expect("an attempt");
    server.reset();
    assert!(server.webhook_deliveries().is_empty(), "reset clears the log");
    assert!(server.wait_for_webhooks_idle(5 * SECOND).await, "and drops pending retries");
    assert!(server.webhook_deliveries().is_empty(), "nothing logged after the reset");
    let (_, listed) =
        call(reqwest::Method::GET, &format!("{}/external/webhooks", server.nextcap_url()), &key, None).await;
    assert_eq!(listed["data"], json!([]), "and the webhooks");
}

#[tokio::test]
async fn call_request_patch_fires_updated_and_completed() {
    let server = server(WebhookRetry::default()).await;
    let receiver = Receiver::start(vec![], Duration::ZERO).await;
    let key = server.keys().nextcap_data.clone();
    register(&server, &key, &receiver.url, &["call_request.updated", "call_request.completed"]).await;
    let base = server.nextcap_url();
    let (_, list) = call(reqwest::Method::GET, &format!("{base}/external/call-requests?status=new"), &key, None).await;
    let url = format!("{base}/external/call-requests/{}", s(&list["data"][0], "id"));
    let patch = |body: Value| call(reqwest::Method::PATCH, &url, &key, Some(body));
    assert_eq!(patch(json!({"status": "completed"})).await.0, 200);
    server.wait_for_deliveries(2, 5 * SECOND).await.expect("two events");
    let got = receiver.got();
    let mut names: Vec<&str> = got.iter().map(|g| g.header("x-nextcap-event")).collect();
    names.sort_unstable();
    assert_eq!(names, ["call_request.completed", "call_request.updated"]);
    let updated = got
        .iter()
        .find(|g| g.header("x-nextcap-event") == "call_request.updated")
        .map(|g| g.json())
        .unwrap_or_default();
    assert_eq!(updated["data"]["changed_fields"], json!(["status", "completed_at", "updated_at"]));
    assert!(updated["data"]["call_request"]["completed_at"].is_string());
    // A no-op update fires nothing; a notes change fires only `updated`.
    assert_eq!(patch(json!({"status": "completed"})).await.0, 200);
    assert_eq!(patch(json!({"notes": "done"})).await.0, 200);
    server.wait_for_deliveries(3, 5 * SECOND).await.expect("a third event");
    assert!(server.wait_for_webhooks_idle(5 * SECOND).await);
    assert_eq!(receiver.got().len(), 3);
    assert_eq!(receiver.got()[2].json()["data"]["changed_fields"], json!(["notes", "updated_at"]));
}

#[tokio::test]
async fn a_slow_receiver_never_slows_the_request_that_fired_the_event() {
    let server = server(WebhookRetry::default()).await;
    let receiver = Receiver::start(vec![], Duration::from_secs(2)).await;
    let key = server.keys().nextcap_data.clone();
    register(&server, &key, &receiver.url, &["lead.created"]).await;
    let started = Instant::now();
    let action = format!("{}/__mock/nextcap/actions/capture-lead", server.url());
    let (status, _) =
        call(reqwest::Method::POST, &action, "", Some(json!({"org": "acme", "email": "quick@example.com"}))).await;
    assert_eq!(status, 201);
    assert!(
        started.elapsed() < Duration::from_millis(1500),
        "answered before the receiver did: {:?}",
        started.elapsed()
    );
    let log = server.wait_for_deliveries(1, 5 * SECOND).await.expect("delivered later");
    assert_eq!(log[0].status, Some(200));
}
