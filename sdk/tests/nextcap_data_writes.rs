//! Next Cap Data API writes (call request PATCH, webhook create/list/delete) and the
//! arguments every endpoint refuses before sending anything.

mod common;

use common::*;
use deskapi::Error;
use deskapi::nextcap::*;
use serde_json::json;
use wiremock::matchers::{body_json, header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

fn updated_call_request(status: &str) -> serde_json::Value {
    let mut r = first_item(DOC_CALL_REQUESTS);
    r["status"] = json!(status);
    r["assigned_user_id"] = json!("u-42");
    r["notes"] = json!("Left voicemail; will retry tomorrow.");
    r
}

#[tokio::test]
async fn a_call_request_update_is_a_patch_with_only_the_fields_set() {
    let server = MockServer::start().await;
    Mock::given(method("PATCH"))
        .and(path("/external/call-requests/cr1"))
        .and(header("content-type", "application/json"))
        .and(body_json(json!({
            "status": "contacted",
            "assigned_user_id": "u-42",
            "notes": "Left voicemail; will retry tomorrow."
        })))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"data": updated_call_request("contacted")})))
        .expect(1)
        .mount(&server)
        .await;
    let updated = nextcap(&server)
        .call_requests()
        .update("cr1")
        .status(CallRequestStatus::Contacted)
        .assigned_user_id("u-42")
        .notes("Left voicemail; will retry tomorrow.")
        .send()
        .await
        .unwrap();
    assert_eq!(updated.status, CallRequestStatus::Contacted);
    assert_eq!(updated.assigned_user_id, Some(UserId::new("u-42")));
}

#[tokio::test]
async fn unassigning_and_clearing_notes_send_explicit_nulls() {
    let server = MockServer::start().await;
    Mock::given(method("PATCH"))
        .and(body_json(json!({"assigned_user_id": null, "notes": null})))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"data": first_item(DOC_CALL_REQUESTS)})))
        .expect(1)
        .mount(&server)
        .await;
    let r = nextcap(&server).call_requests().update("cr1").unassign().clear_notes().send().await.unwrap();
    assert_eq!(r.assigned_user_id, None);
}

#[tokio::test]
async fn a_status_only_update_sends_only_the_status() {
    let server = MockServer::start().await;
    Mock::given(method("PATCH"))
        .and(body_json(json!({"status": "completed"})))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"data": updated_call_request("completed")})))
        .expect(1)
        .mount(&server)
        .await;
    let r = nextcap(&server).call_requests().update("cr1").status(CallRequestStatus::Completed).send().await.unwrap();
    assert_eq!(r.status, CallRequestStatus::Completed);
}

#[tokio::test]
async fn invalid_updates_are_refused_before_sending() {
    let server = MockServer::start().await;
    let client = nextcap(&server);
    let cases = [
        ("update", client.call_requests().update("cr1").send().await.unwrap_err()),
        (
            "status",
            client.call_requests().update("cr1").status("callback_later".parse().unwrap()).send().await.unwrap_err(),
        ),
        ("assigned_user_id", client.call_requests().update("cr1").assigned_user_id(" ").send().await.unwrap_err()),
        ("id", client.call_requests().update("").notes("x").send().await.unwrap_err()),
    ];
    for (expected, err) in cases {
        assert!(matches!(&err, Error::InvalidArgument { name, .. } if name == expected), "{expected}: {err:?}");
    }
    assert!(server.received_requests().await.unwrap().is_empty());
}

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

#[tokio::test]
async fn invalid_list_arguments_are_refused_before_sending() {
    let server = MockServer::start().await;
    let c = nextcap(&server);
    let cases = [
        ("per_page", c.tickets().list().per_page(0).send().await.unwrap_err()),
        ("per_page", c.visitors().sessions("v1").per_page(101).send().await.unwrap_err()),
        ("per_page", c.departments().list().per_page(500).send().await.unwrap_err()),
        ("created_before", {
            let d = chrono::NaiveDate::from_ymd_opt(2026, 1, 1).unwrap();
            c.conversations().list().created_after(d).created_before(d).send().await.unwrap_err()
        }),
        ("id", c.conversations().messages("").send().await.unwrap_err()),
        ("id", c.tickets().events(" ").send().await.unwrap_err()),
        ("status", c.conversations().list().status("closed".parse().unwrap()).send().await.unwrap_err()),
        ("priority", c.tickets().list().priority("p1".parse().unwrap()).send().await.unwrap_err()),
        ("source", c.tickets().list().source("fax".parse().unwrap()).send().await.unwrap_err()),
        ("channel", c.call_requests().list().channel("sms".parse().unwrap()).send().await.unwrap_err()),
        ("category", c.tickets().list().category("").send().await.unwrap_err()),
        ("tags", c.tickets().list().tags(Vec::<String>::new()).send().await.unwrap_err()),
        ("tags", c.tickets().list().tags(["a,b"]).send().await.unwrap_err()),
        ("tags", c.tickets().list().tags(["vip", ""]).send().await.unwrap_err()),
        ("country", c.visitors().list().country("DEU").send().await.unwrap_err()),
        ("country", c.visitors().list().country("1A").send().await.unwrap_err()),
        ("visitor_id", c.conversations().list().visitor_id("").send().await.unwrap_err()),
    ];
    for (expected, err) in cases {
        assert!(matches!(&err, Error::InvalidArgument { name, .. } if name == expected), "{expected}: {err:?}");
    }
    for err in [
        c.conversations().get("").await.unwrap_err(),
        c.tickets().get("").await.unwrap_err(),
        c.call_requests().get("").await.unwrap_err(),
        c.visitors().get("").await.unwrap_err(),
        c.visitors().profile("").await.unwrap_err(),
        c.departments().get("").await.unwrap_err(),
    ] {
        assert!(matches!(&err, Error::InvalidArgument { name, .. } if name == "id"), "{err:?}");
    }
    assert!(server.received_requests().await.unwrap().is_empty());
}
