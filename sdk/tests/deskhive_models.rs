//! Desk Hive models: the documented examples (JSON fixtures under `fixtures/deskhive/`)
//! decode verbatim into typed models; unknown enum values survive; Laravel's 422 is decoded
//! into field errors on `Error::Api`; bad arguments never reach the wire.

#![cfg(feature = "deskhive")]
use chrono::{TimeZone, Utc};
use deskapi::deskhive::*;
use deskapi::{DeskHiveClient, Error};
use serde_json::{Value, json};
use wiremock::matchers::{body_json, method, path, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};

fn fixture(name: &str) -> Value {
    let path = format!("{}/tests/fixtures/deskhive/{name}", env!("CARGO_MANIFEST_DIR"));
    serde_json::from_str(&std::fs::read_to_string(&path).expect("fixture exists")).expect("fixture is JSON")
}

fn decode<T: serde::de::DeserializeOwned>(v: Value) -> T {
    serde_json::from_value(v).expect("decodes")
}

fn client(server: &MockServer) -> DeskHiveClient {
    let policy = deskapi::RetryPolicy::none();
    DeskHiveClient::builder("agent-key").base_url(server.uri()).retry_policy(policy).build().unwrap()
}

#[test]
fn the_documented_ticket_decodes() {
    let t: Ticket = decode(fixture("ticket.json"));
    assert_eq!((t.id, t.reference_id.as_str()), (TicketId(1), "#1001"));
    assert_eq!((t.status, t.priority), (TicketStatus::Open, TicketPriority::High));
    assert_eq!(t.department.map(|d| d.name).as_deref(), Some("Technical Support"));
    assert_eq!(t.customer.and_then(|c| c.email).as_deref(), Some("john@example.com"));
    assert_eq!((t.labels[0].id, t.labels[0].color.as_deref()), (LabelId(1), Some("#e74c3c")));
    assert_eq!(t.assigned_to.map(|a| a.id), Some(3));
    assert_eq!(t.custom_fields[0].value, json!("Chrome 120"));
    assert_eq!(t.closed_at, None);
    assert_eq!(t.last_reply_at, Some(Utc.with_ymd_and_hms(2026, 3, 15, 14, 30, 0).unwrap()));
}

#[test]
fn unknown_enum_values_survive() {
    let mut v = fixture("ticket.json");
    v["status"] = json!("escalated");
    v["priority"] = json!("blocker");
    let t: Ticket = decode(v);
    assert_eq!(t.status, TicketStatus::Unknown("escalated".into()));
    assert!(!t.priority.is_known() && t.priority.as_str() == "blocker");
    let mut n = fixture("notification.json");
    n["type"] = json!("mention");
    assert_eq!(decode::<Notification>(n).kind, NotificationType::Unknown("mention".into()));
    let mut m = fixture("message.json");
    m["sender_type"] = json!("bot");
    assert_eq!(decode::<TicketMessage>(m).sender_type, SenderType::Unknown("bot".into()));
}

#[test]
fn the_other_documented_resources_decode() {
    let c: CannedResponse = decode(fixture("canned_response.json"));
    assert_eq!((c.id, c.shortcut.as_deref(), c.sort_order), (CannedResponseId(1), Some("/greet"), 0));
    let a: Article = decode(fixture("article.json"));
    assert_eq!(
        (a.status, a.views, a.category.map(|c| c.name)),
        (ArticleStatus::Published, 142, Some("Account".into()))
    );
    let n: Notification = decode(fixture("notification.json"));
    assert_eq!((n.kind, n.ticket_id, n.is_read), (NotificationType::TicketReply, Some(TicketId(42)), false));
    let m: TicketMessage = decode(fixture("message.json"));
    assert_eq!((m.id, m.ticket_id, m.likes_count, m.is_liked), (MessageId(310), TicketId(42), 3, true));
    assert_eq!(m.attachments[0].size, Some(120));
    let mut p = fixture("profile.json")["data"].clone();
    let profile: Profile = decode(p.clone());
    assert!(profile.notification_settings.is_empty() && profile.id == AgentId(3));
    p["notification_settings"] = json!([]);
    assert!(decode::<Profile>(p).notification_settings.is_empty(), "PHP's empty array is no settings");
}

#[tokio::test]
async fn envelopes_are_unwrapped() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/external/dashboard"))
        .respond_with(ResponseTemplate::new(200).set_body_json(fixture("dashboard.json")))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/external/profile"))
        .respond_with(ResponseTemplate::new(200).set_body_json(fixture("profile.json")))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/external/knowledge-base/search"))
        .and(query_param("q", "reset password"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"data": [fixture("article.json")]})))
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/external/tickets/42/messages"))
        .and(body_json(json!({"content": "Done.", "is_internal": true})))
        .respond_with(ResponseTemplate::new(201).set_body_json(json!({"data": fixture("message.json")})))
        .mount(&server)
        .await;
    let c = client(&server);
    let d = c.dashboard().await.unwrap();
    assert_eq!((d.open_tickets, d.in_progress_tickets, d.needs_response, d.closed_today), (12, 5, 3, 8));
    assert_eq!(c.profile().get().await.unwrap().name, "Agent Smith");
    assert_eq!(c.knowledge_base().search("  reset password ").await.unwrap().len(), 1, "q is trimmed");
    assert_eq!(c.tickets().messages(42).reply("Done.").internal(true).send().await.unwrap().id, MessageId(310));
}

#[tokio::test]
async fn laravel_422_becomes_field_errors() {
    let server = MockServer::start().await;
    Mock::given(method("PUT"))
        .and(path("/external/tickets/7"))
        .respond_with(ResponseTemplate::new(422).set_body_json(fixture("validation_error.json")))
        .mount(&server)
        .await;
    let err = client(&server).tickets().update(7).labels([5]).send().await.unwrap_err();
    let api = err.as_api().expect("an API error");
    assert_eq!(api.status, 422);
    assert_eq!(api.message, "The selected status is invalid. (and 1 more error)");
    let mut fields: Vec<(&str, &str)> = api.details.iter().map(|d| (d.field.as_str(), d.message.as_str())).collect();
    fields.sort();
    assert_eq!(
        fields,
        [("labels.0", "The selected labels.0 is invalid."), ("status", "The selected status is invalid.")]
    );
}

#[tokio::test]
async fn bad_arguments_never_reach_the_wire() {
    let server = MockServer::start().await;
    let c = client(&server);
    let invalid = |r: Result<(), Error>, name: &str| match r {
        Err(Error::InvalidArgument { name: n, .. }) => assert_eq!(n, name),
        other => panic!("{name}: expected InvalidArgument, got {other:?}"),
    };
    invalid(c.knowledge_base().search("a").await.map(drop), "q");
    invalid(c.knowledge_base().search("   ").await.map(drop), "q");
    invalid(c.tickets().get(0).await.map(drop), "ticket");
    invalid(c.tickets().close(0).await.map(drop), "ticket");
    invalid(c.tickets().like(1, 0).await.map(drop), "message");
    invalid(c.tickets().update(1).send().await.map(drop), "update");
    invalid(c.tickets().update(1).labels([0]).send().await.map(drop), "labels");
    invalid(c.tickets().messages(1).reply("").send().await.map(drop), "content");
    invalid(c.tickets().messages(1).list().per_page(101).send().await.map(drop), "per_page");
    invalid(c.notifications().list().per_page(0).send().await.map(drop), "per_page");
    invalid(c.notifications().mark_read(0).await.map(drop), "notification");
    invalid(c.profile().update().send().await.map(drop), "update");
    invalid(c.profile().update().name(" ").send().await.map(drop), "name");
    invalid(c.profile().update().name("é".repeat(251)).send().await.map(drop), "name");
    assert!(server.received_requests().await.unwrap_or_default().is_empty(), "nothing was sent");
}
