//! Receiving Next Cap webhooks: signature and timestamp checks, and events typed by name.
#![cfg(feature = "nextcap")]

mod common;

use std::time::Duration;

use chrono::{DateTime, Utc};
use common::*;
use deskapi::nextcap::webhooks::*;
use deskapi::nextcap::{TicketStatus, UserId, WebhookEventName};
use http::{HeaderMap, HeaderValue};
use serde_json::{Value, json};

const SECRET: &str = "whsec_0123456789abcdef";
const NOW: i64 = 1_778_400_000;

fn now() -> DateTime<Utc> {
    DateTime::from_timestamp(NOW, 0).unwrap()
}

fn body(event: &str, data: Value) -> Vec<u8> {
    serde_json::to_vec(&json!({
        "id": "d1f0c2aa-0000-4000-8000-000000000001", "event": event, "created_at": "2026-05-10T08:00:00.000Z",
        "org_id": "org-1", "data": data
    }))
    .unwrap()
}

fn signed_headers(secret: &str, timestamp: i64, body: &[u8]) -> HeaderMap {
    let mut h = HeaderMap::new();
    h.insert(SIGNATURE_HEADER, HeaderValue::from_str(&sign(secret, timestamp, body)).unwrap());
    h.insert(TIMESTAMP_HEADER, HeaderValue::from_str(&timestamp.to_string()).unwrap());
    h.insert(EVENT_HEADER, HeaderValue::from_static("ticket.created"));
    h
}

fn verify(headers: &HeaderMap, body: &[u8]) -> Result<WebhookDelivery, WebhookError> {
    verify_and_parse_with(SECRET, headers, body, DEFAULT_TOLERANCE, now())
}

fn ticket_created() -> Vec<u8> {
    body("ticket.created", json!({"ticket": first_item(DOC_TICKETS)}))
}

#[test]
fn the_signature_matches_an_independent_hmac() {
    // python3 -c 'import hmac,hashlib; print(hmac.new(b"whsec_test", b"1760000000.{\"id\":\"1\"}", hashlib.sha256).hexdigest())'
    assert_eq!(
        sign("whsec_test", 1_760_000_000, br#"{"id":"1"}"#),
        "sha256=4f409249923e3c71e7fbc42757a3525f09cc51e7a8eccd12a1e26692e08d946e"
    );
}

#[test]
fn a_valid_delivery_is_verified_and_typed() {
    let body = ticket_created();
    let delivery = verify(&signed_headers(SECRET, NOW - 10, &body), &body).unwrap();
    assert_eq!(delivery.id.as_str(), "d1f0c2aa-0000-4000-8000-000000000001");
    assert_eq!(delivery.org_id.as_str(), "org-1");
    assert_eq!(delivery.event.name(), "ticket.created");
    let WebhookEvent::TicketCreated(e) = delivery.event else { panic!("wrong variant: {:?}", delivery.event) };
    assert_eq!(e.ticket.ticket_number, 3461);
    assert_eq!(e.ticket.department.as_ref().unwrap().name_for("fa"), "پشتیبانی فنی");
}

#[test]
fn any_form_of_the_secret_is_accepted() {
    let body = ticket_created();
    let headers = signed_headers(SECRET, NOW, &body);
    let owned = SECRET.to_owned();
    let wrapped = WebhookSecret::new(SECRET);
    for result in [
        verify_and_parse_with(SECRET, &headers, &body, DEFAULT_TOLERANCE, now()),
        verify_and_parse_with(&owned, &headers, &body, DEFAULT_TOLERANCE, now()),
        verify_and_parse_with(&wrapped, &headers, &body, DEFAULT_TOLERANCE, now()),
    ] {
        assert!(result.is_ok(), "{result:?}");
    }
    assert_eq!(format!("{wrapped:?}"), "WebhookSecret(…redacted)");
}

#[test]
fn a_tampered_body_is_refused() {
    let body = ticket_created();
    let headers = signed_headers(SECRET, NOW, &body);
    let tampered = String::from_utf8(body).unwrap().replace("3461", "3462").into_bytes();
    assert!(matches!(verify(&headers, &tampered), Err(WebhookError::BadSignature)));
}

#[test]
fn a_wrong_secret_is_refused() {
    let body = ticket_created();
    let headers = signed_headers("whsec_someone_else", NOW, &body);
    assert!(matches!(verify(&headers, &body), Err(WebhookError::BadSignature)));
    assert!(matches!(
        verify_and_parse_with("", &signed_headers("", NOW, &body), &body, DEFAULT_TOLERANCE, now()),
        Err(WebhookError::EmptySecret)
    ));
}

#[test]
fn a_changed_timestamp_breaks_the_signature() {
    let body = ticket_created();
    let mut headers = signed_headers(SECRET, NOW - 1000, &body);
    // Replaying an old delivery with a fresh timestamp: the timestamp is signed too.
    headers.insert(TIMESTAMP_HEADER, HeaderValue::from_str(&NOW.to_string()).unwrap());
    assert!(matches!(verify(&headers, &body), Err(WebhookError::BadSignature)));
}

#[test]
fn stale_and_future_timestamps_are_refused_beyond_the_tolerance() {
    let body = ticket_created();
    for (offset, ok) in [(-300, true), (300, true), (-301, false), (301, false), (-86_400, false)] {
        let result = verify(&signed_headers(SECRET, NOW + offset, &body), &body);
        match (ok, result) {
            (true, Ok(_)) => {}
            (false, Err(WebhookError::StaleTimestamp { timestamp, now, tolerance })) => {
                assert_eq!((timestamp, now, tolerance), (NOW + offset, NOW, DEFAULT_TOLERANCE));
            }
            (_, other) => panic!("offset {offset}: {other:?}"),
        }
    }
    let tight =
        verify_and_parse_with(SECRET, &signed_headers(SECRET, NOW - 30, &body), &body, Duration::from_secs(10), now());
    assert!(matches!(tight, Err(WebhookError::StaleTimestamp { .. })));
    // The default variant uses the real clock: a delivery signed now passes.
    let fresh = Utc::now().timestamp();
    assert!(verify_and_parse(SECRET, &signed_headers(SECRET, fresh, &body), &body).is_ok());
}

#[test]
fn missing_and_malformed_headers_are_named() {
    let body = ticket_created();
    let full = signed_headers(SECRET, NOW, &body);
    for name in [SIGNATURE_HEADER, TIMESTAMP_HEADER] {
        let mut h = full.clone();
        h.remove(name);
        match verify(&h, &body) {
            Err(WebhookError::MissingHeader { name: missing }) => assert_eq!(missing, name),
            other => panic!("{name}: {other:?}"),
        }
    }
    let malformed = [
        (SIGNATURE_HEADER, "4f409249923e3c71e7fbc42757a3525f09cc51e7a8eccd12a1e26692e08d946e"),
        (SIGNATURE_HEADER, "sha256=not-hex"),
        (TIMESTAMP_HEADER, "2026-05-10T08:00:00Z"),
        (TIMESTAMP_HEADER, "-5"),
    ];
    for (name, value) in malformed {
        let mut h = full.clone();
        h.insert(name, HeaderValue::from_static(value));
        match verify(&h, &body) {
            Err(WebhookError::MalformedHeader { name: bad, .. }) => assert_eq!(bad, name),
            other => panic!("{name}: {value}: {other:?}"),
        }
    }
    // A well-formed signature of the wrong length is simply wrong.
    let mut h = full.clone();
    h.insert(SIGNATURE_HEADER, HeaderValue::from_static("sha256=abcd"));
    assert!(matches!(verify(&h, &body), Err(WebhookError::BadSignature)));
}

/// Signs and verifies `body`, returning the typed event.
fn event_of(body: &[u8]) -> WebhookEvent {
    verify(&signed_headers(SECRET, NOW, body), body).expect("valid delivery").event
}

#[test]
fn every_event_is_parsed_into_its_variant() {
    let ticket = first_item(DOC_TICKETS);
    let call = first_item(DOC_CALL_REQUESTS);
    let conv = conversation();
    let cases: Vec<(&str, Value)> = vec![
        ("lead.created", json!({"lead": lead(1)})),
        ("ticket.created", json!({"ticket": ticket})),
        ("ticket.updated", json!({"ticket": ticket, "changed_fields": ["priority"]})),
        ("ticket.status_changed", json!({"ticket": ticket, "previous_status": "open", "status": "resolved"})),
        ("ticket.assigned", json!({"ticket": ticket, "previous_assigned_agent_id": null, "assigned_agent_id": "u-42"})),
        ("ticket.department_changed", json!({"ticket": ticket, "previous_department_id": "d1", "department_id": "d2"})),
        ("ticket.reopened", json!({"ticket": ticket, "previous_status": "closed", "status": "reopened"})),
        ("ticket.reply", json!({"ticket": ticket, "reply": ticket_event()})),
        ("ticket.customer_reply", json!({"ticket": ticket, "reply": ticket_event()})),
        ("conversation.created", json!({"conversation": conv})),
        ("conversation.completed", json!({"conversation": conv})),
        ("conversation.handed_off", json!({"conversation": conv})),
        ("call_request.created", json!({"call_request": call})),
        ("call_request.updated", json!({"call_request": call, "changed_fields": ["status"]})),
        ("call_request.completed", json!({"call_request": call})),
    ];
    assert_eq!(cases.len(), WebhookEventName::KNOWN.len(), "every known event is covered");
    for (name, data) in cases {
        let event = event_of(&body(name, data));
        assert_eq!(event.name(), name);
        let right = match &event {
            WebhookEvent::LeadCreated(e) => name == "lead.created" && e.lead.email.as_deref() == Some("lead1@acme.com"),
            WebhookEvent::TicketCreated(e) => name == "ticket.created" && e.ticket.ticket_number == 3461,
            WebhookEvent::TicketUpdated(e) => name == "ticket.updated" && e.changed_fields == ["priority"],
            WebhookEvent::TicketStatusChanged(e) => {
                name == "ticket.status_changed"
                    && (&e.previous_status, &e.status) == (&TicketStatus::Open, &TicketStatus::Resolved)
            }
            WebhookEvent::TicketAssigned(e) => {
                name == "ticket.assigned"
                    && e.previous_assigned_agent_id.is_none()
                    && e.assigned_agent_id == Some(UserId::new("u-42"))
            }
            WebhookEvent::TicketDepartmentChanged(e) => {
                name == "ticket.department_changed" && e.department_id.as_ref().map(|d| d.as_str()) == Some("d2")
            }
            WebhookEvent::TicketReopened(e) => name == "ticket.reopened" && e.status == TicketStatus::Reopened,
            WebhookEvent::TicketReply(e) => {
                name == "ticket.reply"
                    && e.reply.content.as_deref() == Some("We reset your password.")
                    && e.reply.actor_id.is_some()
            }
            WebhookEvent::TicketCustomerReply(e) => name == "ticket.customer_reply" && e.ticket.ticket_number == 3461,
            WebhookEvent::ConversationCreated(e) => {
                name == "conversation.created" && e.conversation.message_count == 12
            }
            WebhookEvent::ConversationCompleted(_) => name == "conversation.completed",
            WebhookEvent::ConversationHandedOff(e) => {
                name == "conversation.handed_off" && e.conversation.handed_off_at.is_some()
            }
            WebhookEvent::CallRequestCreated(e) => {
                name == "call_request.created" && e.call_request.phone == "+15551234567"
            }
            WebhookEvent::CallRequestUpdated(e) => name == "call_request.updated" && e.changed_fields == ["status"],
            WebhookEvent::CallRequestCompleted(_) => name == "call_request.completed",
            other => panic!("{name} parsed as {other:?}"),
        };
        assert!(right, "{name} parsed as the wrong variant or payload: {event:?}");
    }
}

#[test]
fn an_unknown_event_is_kept_with_its_data() {
    let data = json!({"lead": {"id": "l1"}, "reason": "merged"});
    let event = event_of(&body("lead.deleted", data.clone()));
    assert_eq!(event.name(), "lead.deleted");
    assert_eq!(event, WebhookEvent::Unknown { event: "lead.deleted".into(), data });
}

#[test]
fn a_malformed_body_names_the_path() {
    let mut ticket = first_item(DOC_TICKETS);
    ticket["created_at"] = json!("yesterday");
    let cases: Vec<(Vec<u8>, &str)> = vec![
        (body("ticket.created", json!({"ticket": ticket})), "data.ticket.created_at"),
        (
            body(
                "ticket.status_changed",
                json!({"ticket": first_item(DOC_TICKETS), "previous_status": 3, "status": "open"}),
            ),
            "data.previous_status",
        ),
        (body("call_request.created", json!({})), "data"),
        (
            br#"{"id": "d1", "event": "ticket.created", "created_at": "now", "org_id": "o", "data": {}}"#.to_vec(),
            "created_at",
        ),
        (b"not json".to_vec(), "."),
        ([ticket_created(), b" trailing".to_vec()].concat(), "."),
    ];
    for (body, expected) in cases {
        match verify(&signed_headers(SECRET, NOW, &body), &body) {
            Err(WebhookError::MalformedBody { path, message }) => {
                assert_eq!(path, expected, "{message}");
                assert!(!message.is_empty());
            }
            other => panic!("{expected}: {other:?}"),
        }
    }
}

#[test]
fn errors_explain_themselves() {
    let stale = WebhookError::StaleTimestamp { timestamp: NOW - 400, now: NOW, tolerance: DEFAULT_TOLERANCE };
    assert!(stale.to_string().contains("400 seconds"), "{stale}");
    assert!(WebhookError::MissingHeader { name: TIMESTAMP_HEADER }.to_string().contains("x-nextcap-timestamp"));
}
