//! End to end: Next Cap webhooks. The SDK registers a webhook pointing at a receiver in this
//! test (a small axum server on 127.0.0.1:0); the mock's control actions make things happen;
//! the mock delivers over HTTP; the receiver's requests are checked with the SDK's own
//! `verify_and_parse`, using the secret `create` returned.

mod support;

use std::time::Duration;

use chrono::Utc;
use deskapi::Error;
use deskapi::nextcap::webhooks::{
    DEFAULT_TOLERANCE, WebhookError, WebhookEvent, sign, verify_and_parse, verify_and_parse_with,
};
use deskapi::nextcap::{CallRequestStatus, TicketStatus, WebhookEventName as E};
use deskapi_mock::MockServer;
use deskapi_mock::actions::nextcap::{
    CompleteConversation, CustomerReply, HandOff, NewCallRequest, NewConversation, NewLead, NewTicket, VisitorMessage,
};
use support::*;

const WAIT: Duration = Duration::from_secs(10);

/// A server, an Acme client, a receiver, and a webhook for `events` pointing at it.
async fn setup(events: &[E], script: Vec<u16>) -> (MockServer, deskapi::NextCapDataClient, Receiver, String) {
    let server = server().await;
    let client = nextcap(&server, &server.keys().nextcap_data);
    let receiver = Receiver::start(script).await;
    let created = client.webhooks().create(receiver.url.clone(), events.iter().cloned()).await.unwrap();
    let secret = created.secret.expose().to_owned();
    (server, client, receiver, secret)
}

/// Waits for `n` delivery attempts, then verifies every request the receiver got.
async fn delivered(server: &MockServer, receiver: &Receiver, secret: &str, n: usize) -> Vec<WebhookEvent> {
    server.wait_for_deliveries(n, WAIT).await.expect("deliveries arrive");
    assert!(server.wait_for_webhooks_idle(WAIT).await);
    receiver
        .got()
        .iter()
        .map(|r| verify_and_parse(secret, &r.headers, &r.body).expect("authentic and well-formed").event)
        .collect()
}

fn lead(org: &str) -> NewLead {
    NewLead { org: org.into(), email: Some("jane@example.com".into()), name: Some("Jane".into()), ..NewLead::default() }
}

#[tokio::test]
async fn a_captured_lead_is_delivered_signed_and_verifies_with_the_create_secret() {
    let (server, client, receiver, secret) = setup(&[E::LeadCreated], vec![]).await;
    let lead = server.nextcap().capture_lead(lead("acme")).unwrap();
    let events = delivered(&server, &receiver, &secret, 1).await;
    let [WebhookEvent::LeadCreated(data)] = events.as_slice() else { panic!("{events:?}") };
    assert_eq!(data.lead.id.as_str(), lead.id.to_string());
    assert_eq!(data.lead, client.leads().get(lead.id.to_string()).await.unwrap(), "the payload is the API's lead");
    let got = &receiver.got()[0];
    let delivery = verify_and_parse(&secret, &got.headers, &got.body).unwrap();
    assert_eq!(delivery.id.as_str(), got.headers["x-nextcap-delivery"].to_str().unwrap());
    assert_eq!(server.webhook_deliveries()[0].delivery_id.to_string(), delivery.id.as_str());
    assert!((Utc::now() - delivery.created_at).num_seconds() < 30);
}

#[tokio::test]
async fn a_tampered_body_or_a_stale_timestamp_is_rejected() {
    let (server, _client, receiver, secret) = setup(&[E::LeadCreated], vec![]).await;
    server.nextcap().capture_lead(lead("acme")).unwrap();
    delivered(&server, &receiver, &secret, 1).await;
    let got = receiver.got().remove(0);
    let mut tampered = got.body.to_vec();
    let at = tampered.iter().position(|b| *b == b'J').expect("the name Jane is in the body");
    tampered[at] = b'X';
    assert!(matches!(verify_and_parse(&secret, &got.headers, &tampered), Err(WebhookError::BadSignature)));
    assert!(matches!(verify_and_parse("whsec_wrong", &got.headers, &got.body), Err(WebhookError::BadSignature)));
    // The genuine delivery, checked ten minutes later, is a replay.
    let later = Utc::now() + chrono::Duration::minutes(10);
    let stale = verify_and_parse_with(&secret, &got.headers, &got.body, DEFAULT_TOLERANCE, later);
    assert!(matches!(stale, Err(WebhookError::StaleTimestamp { .. })), "{stale:?}");
    // And an old timestamp, correctly signed, is refused too.
    let old = Utc::now().timestamp() - 3600;
    let mut headers = got.headers.clone();
    headers.insert("x-nextcap-timestamp", old.to_string().parse().unwrap());
    headers.insert("x-nextcap-signature", sign(secret.as_str(), old, &got.body).parse().unwrap());
    assert!(matches!(verify_and_parse(&secret, &headers, &got.body), Err(WebhookError::StaleTimestamp { .. })));
}

#[test]
fn the_mock_and_the_sdk_sign_identically() {
    let cases: [(&str, i64, &[u8]); 3] =
        [("whsec_test", 1_760_000_000, br#"{"id":"1"}"#), ("k", 0, b""), ("whsec_\u{e9}", 42, b"\x00\xff")];
    for (secret, timestamp, body) in cases {
        assert_eq!(deskapi_mock::sign_webhook(secret, timestamp, body), sign(secret, timestamp, body));
    }
}

#[tokio::test]
async fn retries_after_a_500_are_in_the_delivery_log_and_each_attempt_verifies() {
    let (server, _client, receiver, secret) = setup(&[E::TicketCreated], vec![500]).await;
    let ticket = NewTicket { org: "acme".into(), subject: "Printer on fire".into(), ..NewTicket::default() };
    server.nextcap().file_ticket(ticket).unwrap();
    let events = delivered(&server, &receiver, &secret, 2).await;
    assert_eq!(events.len(), 2, "the same event twice: the first answer was 500");
    assert!(events.iter().all(|e| e.name() == "ticket.created"));
    let log = server.webhook_deliveries();
    let attempts: Vec<(u32, Option<u16>, bool)> = log.iter().map(|a| (a.attempt, a.status, a.will_retry)).collect();
    assert_eq!(attempts, [(1, Some(500), true), (2, Some(200), false)]);
    assert_eq!(log[0].delivery_id, log[1].delivery_id);
    let got = receiver.got();
    assert_eq!(got[0].headers["x-nextcap-delivery"], got[1].headers["x-nextcap-delivery"], "receivers can deduplicate");
}

#[tokio::test]
async fn conversation_actions_fire_created_handed_off_and_completed() {
    let events = [E::ConversationCreated, E::ConversationHandedOff, E::ConversationCompleted];
    let (server, client, receiver, secret) = setup(&events, vec![]).await;
    let actions = server.nextcap();
    let started = actions
        .start_conversation(NewConversation {
            org: "acme".into(),
            message: Some("Hi!".into()),
            ..NewConversation::default()
        })
        .unwrap();
    let id = Some(started.id);
    let message = VisitorMessage { org: "acme".into(), conversation_id: id, content: "Hello?".into() };
    actions.send_visitor_message(message).unwrap();
    actions
        .hand_off_conversation(HandOff { org: "acme".into(), conversation_id: id, assigned_agent_id: None })
        .unwrap();
    let rating = Some(4);
    actions
        .complete_conversation(CompleteConversation {
            org: "acme".into(),
            conversation_id: id,
            satisfaction_rating: rating,
        })
        .unwrap();
    let mut got = delivered(&server, &receiver, &secret, 3).await;
    got.sort_by_key(|e| match e {
        WebhookEvent::ConversationCreated(_) => 0,
        WebhookEvent::ConversationHandedOff(_) => 1,
        _ => 2,
    });
    let [
        WebhookEvent::ConversationCreated(a),
        WebhookEvent::ConversationHandedOff(b),
        WebhookEvent::ConversationCompleted(c),
    ] = got.as_slice()
    else {
        panic!("{got:?}")
    };
    assert_eq!((a.conversation.message_count, b.conversation.status.as_str()), (1, "handed_off"));
    assert!(b.conversation.handed_off_at.is_some() && c.conversation.resolved_at.is_some());
    let now = client.conversations().get(started.id.to_string()).await.unwrap();
    assert_eq!((now.status.as_str(), now.message_count, now.satisfaction_rating), ("resolved", 2, Some(4)));
    assert_eq!(c.conversation, now, "the last payload is the conversation as the API shows it");
}

#[tokio::test]
async fn ticket_actions_fire_created_then_reply_reopened_and_status_changed() {
    let events = [E::TicketCreated, E::TicketCustomerReply, E::TicketReopened, E::TicketStatusChanged];
    let (server, client, receiver, secret) = setup(&events, vec![]).await;
    let filed = server
        .nextcap()
        .file_ticket(NewTicket {
            org: "acme".into(),
            subject: "Refund".into(),
            tags: vec!["billing".into()],
            ..NewTicket::default()
        })
        .unwrap();
    delivered(&server, &receiver, &secret, 1).await;
    let resolved = client.tickets().list().status(TicketStatus::Resolved).send().await.unwrap().items.remove(0);
    let reply = CustomerReply {
        org: "acme".into(),
        ticket_id: Some(resolved.id.as_str().parse().unwrap()),
        content: "Still broken".into(),
    };
    server.nextcap().customer_reply(reply).unwrap();
    let got = delivered(&server, &receiver, &secret, 4).await;
    let names: Vec<&str> = got.iter().map(WebhookEvent::name).collect();
    assert_eq!(names[0], "ticket.created");
    let mut rest = names[1..].to_vec();
    rest.sort_unstable();
    assert_eq!(rest, ["ticket.customer_reply", "ticket.reopened", "ticket.status_changed"]);
    for event in &got {
        match event {
            WebhookEvent::TicketCreated(e) => assert_eq!(e.ticket.id.as_str(), filed.ticket.id.to_string()),
            WebhookEvent::TicketCustomerReply(e) => {
                assert_eq!((e.reply.content.as_deref(), e.reply.actor_id.as_ref()), (Some("Still broken"), None));
            }
            WebhookEvent::TicketReopened(e) | WebhookEvent::TicketStatusChanged(e) => {
                assert_eq!(
                    (e.previous_status.clone(), e.status.clone()),
                    (TicketStatus::Resolved, TicketStatus::Reopened)
                );
            }
            other => panic!("unexpected {other:?}"),
        }
    }
    let timeline = all(client.tickets().events(resolved.id.clone())).await;
    let tail: Vec<&str> = timeline.iter().rev().take(2).map(|e| e.kind.as_str()).collect();
    assert_eq!(tail, ["reopened", "customer_reply"]);
    assert_eq!(client.tickets().get(resolved.id).await.unwrap().status, TicketStatus::Reopened);
}

#[tokio::test]
async fn call_request_actions_and_updates_fire_created_updated_and_completed() {
    let events = [E::CallRequestCreated, E::CallRequestUpdated, E::CallRequestCompleted];
    let (server, client, receiver, secret) = setup(&events, vec![]).await;
    let request = NewCallRequest {
        org: "acme".into(),
        name: "Al".into(),
        phone: "+15551234567".into(),
        preferred_date: Some("2026-12-01".into()),
        preferred_time_window: Some("14:00-14:30".into()),
        ..NewCallRequest::default()
    };
    let created = server.nextcap().request_callback(request).unwrap();
    delivered(&server, &receiver, &secret, 1).await;
    let updated = client
        .call_requests()
        .update(created.id.to_string())
        .status(CallRequestStatus::Completed)
        .send()
        .await
        .unwrap();
    let got = delivered(&server, &receiver, &secret, 3).await;
    let WebhookEvent::CallRequestCreated(first) = &got[0] else { panic!("{got:?}") };
    assert_eq!(first.call_request.preferred_time_window.map(|w| w.to_string()).as_deref(), Some("14:00-14:30"));
    let update = got
        .iter()
        .find_map(|e| if let WebhookEvent::CallRequestUpdated(u) = e { Some(u) } else { None })
        .expect("updated");
    assert_eq!(update.changed_fields, ["status", "completed_at", "updated_at"]);
    let completed = got.iter().find_map(|e| if let WebhookEvent::CallRequestCompleted(c) = e { Some(c) } else { None });
    assert_eq!(completed.map(|c| &c.call_request), Some(&updated), "the payload is what the PATCH returned");
}

#[tokio::test]
async fn only_subscribed_events_of_ones_own_organisation_arrive() {
    let (server, client, receiver, secret) = setup(&[E::LeadCreated], vec![]).await;
    let globex_receiver = Receiver::start(vec![]).await;
    let globex = nextcap(&server, &server.keys().nextcap_data_globex);
    let globex_hook = globex.webhooks().create(globex_receiver.url.clone(), [E::LeadCreated]).await.unwrap();
    server
        .nextcap()
        .file_ticket(NewTicket { org: "acme".into(), subject: "Not subscribed".into(), ..NewTicket::default() })
        .unwrap();
    server.nextcap().capture_lead(lead("globex")).unwrap();
    server.nextcap().capture_lead(lead("acme")).unwrap();
    let events = delivered(&server, &receiver, &secret, 2).await;
    assert_eq!(
        events.iter().map(WebhookEvent::name).collect::<Vec<_>>(),
        ["lead.created"],
        "one Acme lead, nothing else"
    );
    let got = globex_receiver.got();
    assert_eq!(got.len(), 1);
    let globex_delivery = verify_and_parse(&globex_hook.secret, &got[0].headers, &got[0].body).unwrap();
    assert!(verify_and_parse(&secret, &got[0].headers, &got[0].body).is_err(), "Acme's secret does not sign Globex's");
    let acme_delivery = verify_and_parse(&secret, &receiver.got()[0].headers, &receiver.got()[0].body).unwrap();
    assert_ne!(globex_delivery.org_id, acme_delivery.org_id);
    // Each organisation lists only its own webhook, without the secret.
    let mine = client.webhooks().list().send().await.unwrap().items;
    assert_eq!((mine.len(), mine[0].events.clone()), (1, vec![E::LeadCreated]));
    assert!(mine.iter().all(|w| w.id != globex_hook.webhook.id));
}

#[tokio::test]
async fn webhooks_are_listed_and_deleted_and_deleted_ones_get_nothing() {
    let (server, client, receiver, secret) = setup(&[E::LeadCreated], vec![]).await;
    let second =
        client.webhooks().create("https://crm.example.com/hooks", [E::TicketCreated, E::TicketCreated]).await.unwrap();
    assert_eq!(second.webhook.events, [E::TicketCreated], "the SDK sends each event once");
    assert!(second.secret.expose().starts_with("whsec_") && second.secret.expose() != secret);
    let listed = client.webhooks().list().send().await.unwrap().items;
    assert_eq!(listed.iter().map(|w| w.id.clone()).collect::<Vec<_>>()[0], second.webhook.id, "newest first");
    let first_id = listed[1].id.clone();
    let globex = nextcap(&server, &server.keys().nextcap_data_globex);
    assert_eq!(
        globex.webhooks().delete(first_id.clone()).await.unwrap_err().status(),
        Some(404),
        "not Globex's to delete"
    );
    client.webhooks().delete(first_id.clone()).await.unwrap();
    assert_eq!(client.webhooks().delete(first_id).await.unwrap_err().status(), Some(404));
    assert_eq!(client.webhooks().list().send().await.unwrap().items, vec![second.webhook]);
    server.nextcap().capture_lead(lead("acme")).unwrap();
    assert!(server.wait_for_webhooks_idle(WAIT).await);
    assert!(receiver.got().is_empty() && server.webhook_deliveries().is_empty(), "the deleted webhook got nothing");
}

#[tokio::test]
async fn bad_registrations_are_refused_by_the_sdk_or_the_mock() {
    let server = server().await;
    let client = nextcap(&server, &server.keys().nextcap_data);
    server.clear_requests();
    for url in ["ftp://example.com/x", "not a url", "https://"] {
        let err = client.webhooks().create(url, [E::LeadCreated]).await.unwrap_err();
        assert!(matches!(&err, Error::InvalidArgument { name, .. } if name == "url"), "{url}: {err:?}");
    }
    let none: [E; 0] = [];
    assert!(matches!(
        client.webhooks().create("https://ok.example.com", none).await,
        Err(Error::InvalidArgument { .. })
    ));
    let unknown = client.webhooks().create("https://ok.example.com", [E::Unknown("lead.deleted".into())]).await;
    assert!(matches!(unknown, Err(Error::InvalidArgument { .. })));
    assert!(server.requests().is_empty(), "nothing reached the mock");
    assert!(client.webhooks().list().send().await.unwrap().items.is_empty());
}

#[tokio::test]
async fn control_actions_refuse_bad_input_naming_the_field() {
    let server = server().await;
    let actions = server.nextcap();
    let err = actions.capture_lead(NewLead { org: "acme".into(), ..NewLead::default() }).unwrap_err();
    assert_eq!((err.status, err.field.as_str()), (400, "email"));
    let err = actions.capture_lead(NewLead { org: "hooli".into(), ..lead("acme") }).unwrap_err();
    assert_eq!(err.field, "org");
    let err = actions
        .request_callback(NewCallRequest {
            org: "acme".into(),
            name: "Al".into(),
            phone: "555".into(),
            ..NewCallRequest::default()
        })
        .unwrap_err();
    assert_eq!(err.field, "phone");
    let err = actions.file_ticket(NewTicket { org: "globex".into(), ..NewTicket::default() }).unwrap_err();
    assert_eq!(err.field, "subject");
    let resolved = nextcap(&server, &server.keys().nextcap_data)
        .conversations()
        .list()
        .status(deskapi::nextcap::ConversationStatus::Resolved)
        .send()
        .await
        .unwrap()
        .items
        .remove(0);
    let again = HandOff {
        org: "acme".into(),
        conversation_id: Some(resolved.id.as_str().parse().unwrap()),
        assigned_agent_id: None,
    };
    let err = actions.hand_off_conversation(again).unwrap_err();
    assert_eq!((err.status, err.field.as_str()), (409, "conversation_id"));
    assert!(server.webhook_deliveries().is_empty());
}
