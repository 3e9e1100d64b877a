//! Next Cap tickets: the documented ticket decodes verbatim with its department translations,
//! unknown enum values survive, and the list filters, the ticket and its timeline reach the
//! right paths.
#![cfg(feature = "nextcap")]

mod common;

use chrono::{TimeZone, Utc};
use common::*;
use deskapi::nextcap::*;
use futures::TryStreamExt;
use serde_json::json;
use wiremock::matchers::{path, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};

#[test]
fn the_documented_ticket_decodes_with_its_department_translations() {
    let t: Ticket = decode(first_item(DOC_TICKETS));
    assert_eq!(t.ticket_number, 3461);
    assert_eq!(t.subject, "Cannot access my account");
    assert_eq!((t.status, t.priority, t.source), (TicketStatus::New, TicketPriority::Normal, TicketSource::Api));
    assert_eq!(t.agent_name.as_deref(), Some("Otet Bot .IR"));
    assert_eq!(t.agent_display_name, None);
    assert_eq!(t.assigned_agent_id, None);
    assert_eq!(t.external_source, None, "import provenance only");
    assert_eq!(t.origin_domain.as_deref(), Some("acme-fr.com"));
    assert_eq!(t.detected_language.as_deref(), Some("fa"));
    assert_eq!(t.metadata.as_ref().unwrap()["identity_verified"], json!(false));
    assert_eq!(t.created_at, Utc.with_ymd_and_hms(2026, 5, 9, 10, 30, 0).unwrap());
    // Fields the example leaves out are empty, not an error.
    assert!(t.tags.is_empty() && t.custom_fields.is_empty());
    assert_eq!((t.description, t.category, t.resolved_at), (None, None, None));

    let d = t.department.expect("the example has a department");
    assert_eq!(d.name_translations["fa"], "پشتیبانی فنی");
    assert_eq!(d.name_for("fa"), "پشتیبانی فنی");
    assert_eq!(d.name_for("fr-FR"), "Support technique");
    assert_eq!(d.name_for("de"), "Technical Support", "falls back to name");
    assert_eq!(d.supported_languages, ["en", "fa", "fr"]);
    assert_eq!(d.color.as_deref(), Some("#6366f1"));
}

#[test]
fn a_ticket_without_department_and_with_new_enum_values_still_decodes() {
    let mut v = first_item(DOC_TICKETS);
    v["department"] = json!(null);
    v["status"] = json!("escalated");
    v["source"] = json!("line");
    v["tags"] = json!(["billing", "vip"]);
    let t: Ticket = decode(v);
    assert!(t.department.is_none());
    assert_eq!(t.status, TicketStatus::Unknown("escalated".into()));
    assert!(!t.source.is_known());
    assert_eq!(t.tags, ["billing", "vip"]);
    assert_eq!(TicketStatus::KNOWN.len(), 8);
    assert_eq!(TicketPriority::KNOWN.len(), 4);
    assert_eq!(TicketSource::KNOWN.len(), 9);
    assert!(TicketSource::KNOWN.iter().any(|s| s.as_str() == "instagram"));
    assert_eq!("whatsapp".parse::<TicketSource>().unwrap(), TicketSource::WhatsApp);
}

#[test]
fn ticket_events_decode_with_attachments() {
    let e: TicketEvent = decode(ticket_event());
    assert_eq!((e.kind, e.actor_type), (TicketEventType::Reply, ActorType::Agent));
    assert_eq!(e.actor_id, Some(UserId::new("u-42")));
    assert_eq!(e.content.as_deref(), Some("We reset your password."));
    assert!(!e.is_internal);
    assert_eq!(e.attachments[0].size, 20480);
    assert_eq!(e.attachments[0].filename, "steps.pdf");
}

#[tokio::test]
async fn ticket_filters_reach_the_query_string_with_tags_comma_separated() {
    let server = MockServer::start().await;
    Mock::given(path("/external/tickets"))
        .and(query_param("status", "waiting_customer"))
        .and(query_param("priority", "urgent"))
        .and(query_param("department_id", "d1"))
        .and(query_param("assigned_agent_id", "u-42"))
        .and(query_param("category", "billing"))
        .and(query_param("tags", "vip,refund"))
        .and(query_param("source", "whatsapp"))
        .respond_with(ResponseTemplate::new(200).set_body_raw(DOC_TICKETS, "application/json"))
        .expect(1)
        .mount(&server)
        .await;
    let page = nextcap(&server)
        .tickets()
        .list()
        .status(TicketStatus::WaitingCustomer)
        .priority(TicketPriority::Urgent)
        .department_id("d1")
        .assigned_agent_id("u-42")
        .category("billing")
        .tags(vec!["vip".to_owned(), "refund".to_owned()])
        .source(TicketSource::WhatsApp)
        .send()
        .await
        .unwrap();
    assert_eq!(page.items[0].ticket_number, 3461);
    assert_eq!(page.meta.total, 42);
}

#[tokio::test]
async fn a_ticket_and_its_timeline() {
    let server = MockServer::start().await;
    serve(&server, "/external/tickets/t1", json!({"data": first_item(DOC_TICKETS)})).await;
    serve(&server, "/external/tickets/t1/events", page_of(vec![ticket_event()])).await;
    let client = nextcap(&server);
    let t = client.tickets().get("t1").await.unwrap();
    assert_eq!(t.department.unwrap().name_for("fa"), "پشتیبانی فنی");
    let events: Vec<TicketEvent> = client.tickets().events(TicketId::new("t1")).stream().try_collect().await.unwrap();
    assert_eq!(events[0].kind, TicketEventType::Reply);
}

#[tokio::test]
async fn unset_filters_are_not_sent() {
    let server = MockServer::start().await;
    serve(&server, "/external/tickets", page_of(vec![])).await;
    nextcap(&server).tickets().list().send().await.unwrap();
    assert_eq!(only_query(&server).await, "");
}
