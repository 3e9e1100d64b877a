//! End to end: NexaDesk webhooks over real HTTP. Receivers in this test (small axum servers on
//! 127.0.0.1:0) are registered through the mock's control API, both doors: the in-process
//! handle and `POST /__mock/nexadesk/webhooks`. SDK writes (leads, contacts, a conversation)
//! and visitor actions make the mock deliver; every request a receiver got is checked with the
//! SDK's own `verify_and_parse` into its typed event, and a tampered body must fail.

mod support;

use std::time::{Duration, Instant};

use chrono::Utc;
use deskapi::nexadesk::webhooks::{NexaDeskDelivery, NexaDeskEvent, NexaDeskWebhookError, verify_and_parse};
use deskapi::nexadesk::{ConversationStatus, PipelineStage};
use deskapi_mock::MockServer;
use deskapi_mock::actions::nexadesk::{CloseConversation, NewWebhook, SendMessage, StartConversation};
use serde_json::{Value, json};
use support::*;

const WAIT: Duration = Duration::from_secs(10);

/// Polls until `receiver` holds at least `n` requests; fails the test at the deadline.
async fn received(receiver: &Receiver, n: usize) -> Vec<Received> {
    let deadline = Instant::now() + WAIT;
    loop {
        let got = receiver.got();
        if got.len() >= n {
            return got;
        }
        assert!(Instant::now() < deadline, "{} of {n} deliveries arrived within {WAIT:?}", got.len());
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

fn verified(secret: &str, got: &[Received]) -> Vec<NexaDeskDelivery> {
    got.iter().map(|r| verify_and_parse(secret, &r.headers, &r.body).expect("authentic and well-formed")).collect()
}

/// (event name, id of the resource it carries), for comparing deliveries with what was done.
fn summary(delivery: &NexaDeskDelivery) -> (String, String) {
    let id = match &delivery.event {
        NexaDeskEvent::LeadCreated(l) | NexaDeskEvent::LeadUpdated(l) | NexaDeskEvent::LeadDeleted(l) => {
            l.id.to_string()
        }
        NexaDeskEvent::ContactCreated(c) | NexaDeskEvent::ContactUpdated(c) => c.id.to_string(),
        NexaDeskEvent::ConversationCreated(c)
        | NexaDeskEvent::ConversationUpdated(c)
        | NexaDeskEvent::ConversationClosed(c) => c.id.to_string(),
        NexaDeskEvent::MessageCreated(m) => m.id.to_string(),
        other => panic!("an event the mock does not send: {other:?}"),
    };
    (delivery.event.name().to_owned(), id)
}

fn hook(workspace: &str, url: &str, events: Option<Vec<&str>>) -> NewWebhook {
    NewWebhook {
        workspace: workspace.into(),
        url: url.into(),
        events: events.map(|e| e.into_iter().map(str::to_owned).collect()),
    }
}

#[tokio::test]
async fn api_writes_and_visitor_actions_arrive_signed_and_typed() {
    let started = Utc::now();
    let server = server().await;
    let client = nexadesk(&server, &server.keys().nexadesk_read_write);
    let (all, globex) = (Receiver::start(vec![]).await, Receiver::start(vec![]).await);
    let acme_hook = server.nexadesk().register_webhook(hook("Acme", &all.url, None)).expect("registered");
    let globex_hook = server.nexadesk().register_webhook(hook("Globex", &globex.url, None)).expect("registered");
    let workspace = acme_hook.workspace_id.clone();
    assert!(workspace.starts_with("ws_") && workspace != globex_hook.workspace_id);

    // API writes through the SDK.
    let lead = client.leads().create("Jane Smith").visitor_email("jane@acme.example").send().await.unwrap();
    let lead = client
        .leads()
        .update(lead.id.clone())
        .pipeline_stage(PipelineStage::Qualified)
        .unassign_rep()
        .send()
        .await
        .unwrap();
    client.leads().delete(lead.id.clone()).await.unwrap();
    let contact = client.contacts().create("Ada").email("ada@analytical.example").send().await.unwrap();
    let contact = client.contacts().update(contact.id.clone()).last_name("Lovelace").send().await.unwrap();
    let open = client.conversations().list().status(ConversationStatus::Open).limit(1).send().await.unwrap();
    let conversation = client
        .conversations()
        .update(open.items[0].id.clone())
        .status(ConversationStatus::Pending)
        .tags(["follow-up"])
        .send()
        .await
        .unwrap();

    // Visitor actions through the handle.
    let nd = server.nexadesk();
    let start = StartConversation {
        workspace: "Acme".into(),
        visitor_name: "Grace Hopper".into(),
        visitor_email: Some("grace@navy.example".into()),
        message: Some("Hello, is anyone there?".into()),
    };
    let started_conversation = nd.start_conversation(start).unwrap();
    let visitor_id = started_conversation.id;
    let message = nd
        .send_message(SendMessage {
            workspace: "Acme".into(),
            conversation_id: visitor_id,
            content: "Still here.".into(),
        })
        .unwrap();
    nd.close_conversation(CloseConversation { workspace: "Acme".into(), conversation_id: visitor_id }).unwrap();

    let got = received(&all, 10).await;
    assert!(server.wait_for_webhooks_idle(WAIT).await);
    let deliveries = verified(&acme_hook.secret, &received(&all, 10).await);
    assert_eq!(deliveries.len(), 10, "one delivery per event, none twice: {got:?}");
    for d in &deliveries {
        assert_eq!(d.workspace_id, workspace);
        assert!(d.timestamp >= started - chrono::Duration::seconds(1) && d.timestamp <= Utc::now(), "{}", d.timestamp);
    }
    let mut seen: Vec<(String, String)> = deliveries.iter().map(summary).collect();
    seen.sort();
    let conversation_id = visitor_id.to_string();
    // The first message (sent with start-conversation) has an id only the delivery knows.
    let first_message = deliveries
        .iter()
        .find_map(|d| match &d.event {
            NexaDeskEvent::MessageCreated(m) if m.content == "Hello, is anyone there?" => Some(m.id.to_string()),
            _ => None,
        })
        .expect("the opening message is delivered");
    let mut expected: Vec<(String, String)> = [
        ("lead.created", lead.id.to_string()),
        ("lead.updated", lead.id.to_string()),
        ("lead.deleted", lead.id.to_string()),
        ("contact.created", contact.id.to_string()),
        ("contact.updated", contact.id.to_string()),
        ("conversation.updated", conversation.id.to_string()),
        ("conversation.created", conversation_id.clone()),
        ("message.created", first_message),
        ("message.created", message.id.to_string()),
        ("conversation.closed", conversation_id.clone()),
    ]
    .into_iter()
    .map(|(e, id)| (e.to_owned(), id))
    .collect();
    expected.sort();
    assert_eq!(seen, expected);

    // The payloads are the API's resources as the SDK reads them.
    for d in &deliveries {
        match &d.event {
            NexaDeskEvent::LeadUpdated(l) | NexaDeskEvent::LeadDeleted(l) => assert_eq!(l, &lead),
            NexaDeskEvent::LeadCreated(l) => assert_eq!(l.pipeline_stage, PipelineStage::New),
            NexaDeskEvent::ContactUpdated(c) => assert_eq!(c, &contact),
            NexaDeskEvent::ContactCreated(c) => {
                assert_eq!((c.first_name.as_str(), c.last_name.as_deref()), ("Ada", None))
            }
            NexaDeskEvent::ConversationUpdated(c) => assert_eq!(c, &conversation),
            NexaDeskEvent::ConversationCreated(c) => {
                assert_eq!(
                    (c.status.clone(), c.visitor_name.as_deref()),
                    (ConversationStatus::Open, Some("Grace Hopper"))
                )
            }
            NexaDeskEvent::ConversationClosed(c) => assert_eq!(c.status, ConversationStatus::Archived),
            NexaDeskEvent::MessageCreated(m) => assert_eq!(m.conversation_id.as_str(), conversation_id),
            other => panic!("unexpected {other:?}"),
        }
    }
    assert!(globex.got().is_empty(), "another workspace's webhook hears nothing of Acme");

    // Tampering, a wrong secret and a missing header all fail verification.
    let one = &got[0];
    let mut tampered = one.body.to_vec();
    let at = tampered.iter().position(|&b| b == b'}').expect("a JSON body");
    tampered.insert(at, b' ');
    assert!(matches!(
        verify_and_parse(&acme_hook.secret, &one.headers, &tampered),
        Err(NexaDeskWebhookError::BadSignature)
    ));
    let mut swapped: Value = serde_json::from_slice(&one.body).unwrap();
    swapped["workspace_id"] = json!(globex_hook.workspace_id);
    assert!(matches!(
        verify_and_parse(&acme_hook.secret, &one.headers, swapped.to_string().as_bytes()),
        Err(NexaDeskWebhookError::BadSignature)
    ));
    assert!(matches!(
        verify_and_parse(&globex_hook.secret, &one.headers, &one.body),
        Err(NexaDeskWebhookError::BadSignature)
    ));
    let mut headers = one.headers.clone();
    headers.remove("x-nexadesk-signature");
    assert!(matches!(
        verify_and_parse(&acme_hook.secret, &headers, &one.body),
        Err(NexaDeskWebhookError::MissingSignature)
    ));
}

#[tokio::test]
async fn http_registration_filters_events_and_a_removed_webhook_hears_nothing_more() {
    let server: MockServer = server().await;
    let client = nexadesk(&server, &server.keys().nexadesk_read_write);
    let receiver = Receiver::start(vec![]).await;
    let http = reqwest::Client::new();
    let control = format!("{}/__mock/nexadesk/webhooks", server.url());
    let body = json!({"workspace": "Acme", "url": receiver.url, "events": ["lead.created"]});
    let answer =
        http.post(&control).header("content-type", "application/json").body(body.to_string()).send().await.unwrap();
    assert_eq!(answer.status(), 201);
    let created: Value = serde_json::from_slice(&answer.bytes().await.unwrap()).unwrap();
    let (id, secret) = (created["id"].as_str().unwrap().to_owned(), created["secret"].as_str().unwrap().to_owned());
    let listed: Value =
        serde_json::from_slice(&http.get(&control).send().await.unwrap().bytes().await.unwrap()).unwrap();
    assert!(listed.as_array().unwrap().iter().any(|w| w["id"] == id.as_str()), "{listed}");
    assert!(server.nexadesk().webhooks().iter().any(|w| w.id.to_string() == id), "both doors see it");

    let lead = client.leads().create("Filtered").send().await.unwrap();
    client.leads().update(lead.id.clone()).need_summary("not subscribed").send().await.unwrap();
    client.contacts().create("Not").email("not.subscribed@example.com").send().await.unwrap();
    let got = received(&receiver, 1).await;
    assert!(server.wait_for_webhooks_idle(WAIT).await);
    let deliveries = verified(&secret, &receiver.got());
    assert_eq!(deliveries.len(), 1, "only the subscribed event: {got:?}");
    assert!(matches!(&deliveries[0].event, NexaDeskEvent::LeadCreated(l) if l.id == lead.id));

    let removed = http.delete(format!("{control}/{id}")).send().await.unwrap();
    assert_eq!(removed.status(), 200);
    assert!(server.nexadesk().webhooks().is_empty());
    client.leads().create("After removal").send().await.unwrap();
    assert!(server.wait_for_webhooks_idle(WAIT).await);
    assert_eq!(receiver.got().len(), 1, "nothing is delivered to a removed webhook");
    let again = http.delete(format!("{control}/{id}")).send().await.unwrap();
    assert_eq!(again.status(), 404);
}
