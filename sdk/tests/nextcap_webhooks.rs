//! Next Cap webhook registration (create, list, delete): the secret comes back in a redacting
//! type and invalid registrations are refused before sending. Receiving deliveries is
//! `nextcap_webhook_deliveries.rs`.
#![cfg(feature = "nextcap")]

mod common;

use common::*;
use deskapi::Error;
use deskapi::nextcap::*;
use serde_json::json;
use wiremock::matchers::{body_json, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

#[tokio::test]
async fn creating_a_webhook_returns_its_secret_in_a_redacting_type() {
    let server = MockServer::start().await;
    let mut created = webhook("wh1");
    created["secret"] = json!("whsec_9f8e7d6c5b4a39281706");
    Mock::given(method("POST"))
        .and(path("/external/webhooks"))
        .and(body_json(json!({"url": "https://crm.example.com/hooks", "events": ["lead.created", "ticket.created"]})))
        .respond_with(ResponseTemplate::new(201).set_body_json(json!({"data": created})))
        .expect(1)
        .mount(&server)
        .await;
    let hook = nextcap(&server)
        .webhooks()
        .create(
            "https://crm.example.com/hooks",
            // The duplicate is dropped: the API wants each event once.
            [WebhookEventName::LeadCreated, WebhookEventName::TicketCreated, WebhookEventName::LeadCreated],
        )
        .await
        .unwrap();
    assert_eq!(hook.webhook.id, WebhookId::new("wh1"));
    assert!(hook.webhook.is_active);
    assert_eq!(hook.webhook.events, [WebhookEventName::LeadCreated, WebhookEventName::TicketCreated]);
    assert_eq!(hook.secret.expose(), "whsec_9f8e7d6c5b4a39281706");
    let shown = format!("{hook:?} {:?}", hook.secret);
    assert!(!shown.contains("whsec_9f8e"), "{shown}");
    assert!(shown.contains("redacted"));
}

#[tokio::test]
async fn invalid_webhooks_are_refused_before_sending() {
    let server = MockServer::start().await;
    let hooks = nextcap(&server);
    let hooks = hooks.webhooks();
    let lead = || [WebhookEventName::LeadCreated];
    let long = format!("https://crm.example.com/{}", "a".repeat(2048));
    let cases = [
        ("url", hooks.create("ftp://crm.example.com/hooks", lead()).await.unwrap_err()),
        ("url", hooks.create("/hooks", lead()).await.unwrap_err()),
        ("url", hooks.create("not a url", lead()).await.unwrap_err()),
        ("url", hooks.create("mailto:ops@example.com", lead()).await.unwrap_err()),
        ("url", hooks.create(long, lead()).await.unwrap_err()),
        ("events", hooks.create("https://crm.example.com/hooks", []).await.unwrap_err()),
        ("events", hooks.create("https://crm.example.com/hooks", ["lead.deleted".parse().unwrap()]).await.unwrap_err()),
        ("id", hooks.delete("").await.unwrap_err()),
    ];
    for (expected, err) in cases {
        assert!(matches!(&err, Error::InvalidArgument { name, .. } if name == expected), "{expected}: {err:?}");
    }
    assert!(server.received_requests().await.unwrap().is_empty());
}

#[tokio::test]
async fn webhooks_are_listed_without_meta_and_deleted_by_id() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/external/webhooks"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"data": [webhook("wh1"), webhook("wh2")]})))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("DELETE"))
        .and(path("/external/webhooks/wh1"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"data": {"id": "wh1", "deleted": true}})))
        .expect(1)
        .mount(&server)
        .await;
    let client = nextcap(&server);
    let page = client.webhooks().list().send().await.unwrap();
    let ids: Vec<&str> = page.items.iter().map(|w| w.id.as_str()).collect();
    assert_eq!(ids, ["wh1", "wh2"]);
    assert_eq!(page.meta.total_pages, 1);
    client.webhooks().delete(page.items[0].id.clone()).await.unwrap();
}

#[tokio::test]
async fn deleting_an_unknown_webhook_is_a_not_found_error() {
    let server = MockServer::start().await;
    Mock::given(method("DELETE"))
        .respond_with(
            ResponseTemplate::new(404).set_body_json(
                json!({"success": false, "error": {"code": "NOT_FOUND", "message": "Webhook not found"}}),
            ),
        )
        .expect(1)
        .mount(&server)
        .await;
    let err = nextcap(&server).webhooks().delete("nope").await.unwrap_err();
    assert!(err.as_api().unwrap().is_not_found());
}
