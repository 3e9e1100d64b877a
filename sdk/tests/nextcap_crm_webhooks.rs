//! The ticket webhooks that CRM agent actions fire (`ticket.updated`, `.status_changed`,
//! `.assigned`, `.department_changed`, `.reopened`, `.reply`), verified and decoded into their
//! typed events with every payload field checked.
#![cfg(feature = "nextcap")]

mod common;

use chrono::{DateTime, Utc};
use common::*;
use deskapi::nextcap::webhooks::*;
use deskapi::nextcap::*;
use http::{HeaderMap, HeaderValue};

const SECRET: &str = "whsec_crm_0123456789";
const NOW: i64 = 1_775_574_600; // 2026-04-07T15:10:00Z, the fixtures' created_at

/// Each fixture delivery, signed now and verified.
fn deliveries() -> Vec<WebhookDelivery> {
    let bodies = fixture!("nextcap/crm_webhook_events.json");
    let now = DateTime::from_timestamp(NOW, 0).unwrap();
    bodies
        .as_array()
        .unwrap()
        .iter()
        .map(|b| {
            let raw = serde_json::to_vec(b).unwrap();
            let mut h = HeaderMap::new();
            h.insert(SIGNATURE_HEADER, HeaderValue::from_str(&sign(SECRET, NOW, &raw)).unwrap());
            h.insert(TIMESTAMP_HEADER, HeaderValue::from_str(&NOW.to_string()).unwrap());
            verify_and_parse_with(SECRET, &h, &raw, DEFAULT_TOLERANCE, now).expect("a valid delivery")
        })
        .collect()
}

#[test]
fn every_ticket_event_of_an_agent_action_is_typed() {
    let all = deliveries();
    let names: Vec<&str> = all.iter().map(|d| d.event.name()).collect();
    assert_eq!(
        names,
        [
            "ticket.updated",
            "ticket.status_changed",
            "ticket.assigned",
            "ticket.department_changed",
            "ticket.reopened",
            "ticket.reply"
        ]
    );
    let t1 = TicketId::new("t0000000-0000-4000-8000-000000000001");
    for d in &all {
        assert_eq!(d.org_id, OrgId::new("o0000000-0000-4000-8000-000000000001"));
        assert_eq!(d.created_at, DateTime::<Utc>::from_timestamp(NOW, 0).unwrap());
    }

    let WebhookEvent::TicketUpdated(e) = &all[0].event else { panic!("{:?}", all[0].event) };
    assert_eq!(
        (&e.ticket.id, e.changed_fields.as_slice()),
        (&t1, ["priority".to_owned(), "tags".to_owned()].as_slice())
    );
    assert_eq!(e.ticket.tags, ["refund", "vip"]);

    let WebhookEvent::TicketStatusChanged(e) = &all[1].event else { panic!("{:?}", all[1].event) };
    assert_eq!((&e.previous_status, &e.status), (&TicketStatus::WaitingCustomer, &TicketStatus::Resolved));
    assert_eq!(e.ticket.status, TicketStatus::Resolved);
    assert!(e.previous_status.can_transition_to(&e.status), "a real transition of the table");

    let WebhookEvent::TicketAssigned(e) = &all[2].event else { panic!("{:?}", all[2].event) };
    assert_eq!(e.previous_assigned_agent_id, None);
    assert_eq!(e.assigned_agent_id, Some(UserId::new("u0000000-0000-4000-8000-000000000007")));

    let WebhookEvent::TicketDepartmentChanged(e) = &all[3].event else { panic!("{:?}", all[3].event) };
    assert_eq!(e.previous_department_id, Some(DepartmentId::new("d0000000-0000-4000-8000-000000000002")));
    assert_eq!(e.department_id, Some(DepartmentId::new("d0000000-0000-4000-8000-000000000001")));
    assert_eq!(e.ticket.department.as_ref().unwrap().name, "Billing");

    let WebhookEvent::TicketReopened(e) = &all[4].event else { panic!("{:?}", all[4].event) };
    assert_eq!((&e.previous_status, &e.status), (&TicketStatus::Closed, &TicketStatus::Reopened));

    let WebhookEvent::TicketReply(e) = &all[5].event else { panic!("{:?}", all[5].event) };
    assert_eq!(e.content(), Some("We are looking into this issue."));
    assert_eq!(e.actor_id(), Some(&UserId::new("u0000000-0000-4000-8000-000000000007")));
    assert_eq!((&e.reply.kind, &e.reply.actor_type), (&TicketEventType::Reply, &ActorType::Agent));
    assert_eq!(e.reply.ticket_id, t1);
    assert_eq!(e.reply.attachments[0].filename, "receipt.png");
}

#[test]
fn a_reply_payload_missing_a_field_is_refused_with_its_path() {
    let mut bodies = fixture!("nextcap/crm_webhook_events.json");
    let body = &mut bodies[5];
    body["data"]["reply"].as_object_mut().unwrap().remove("created_at");
    let raw = serde_json::to_vec(body).unwrap();
    let mut h = HeaderMap::new();
    h.insert(SIGNATURE_HEADER, HeaderValue::from_str(&sign(SECRET, NOW, &raw)).unwrap());
    h.insert(TIMESTAMP_HEADER, HeaderValue::from_str(&NOW.to_string()).unwrap());
    let now = DateTime::from_timestamp(NOW, 0).unwrap();
    match verify_and_parse_with(SECRET, &h, &raw, DEFAULT_TOLERANCE, now) {
        Err(WebhookError::MalformedBody { path, .. }) => assert!(path.starts_with("data.reply"), "{path}"),
        other => panic!("expected a malformed body, got {other:?}"),
    }
}
