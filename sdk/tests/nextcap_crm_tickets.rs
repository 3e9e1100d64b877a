//! Next Cap CRM tickets, reading side: the ticket rows with their attachment counts, a ticket
//! with its attachments, the timeline with internal notes; the list's multi-valued filters
//! (comma-separated), search and sort; bad arguments refused before sending.
#![cfg(feature = "nextcap")]

mod common;

use chrono::{TimeZone, Utc};
use common::*;
use deskapi::Error;
use deskapi::nextcap::crm::{SortOrder, TicketSortBy};
use deskapi::nextcap::*;
use futures::TryStreamExt;
use serde_json::json;
use wiremock::matchers::{method, path, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};

fn list_body() -> serde_json::Value {
    fixture!("nextcap/crm_tickets_list.json")
}

#[test]
fn ticket_rows_decode_with_every_field_typed_and_their_attachment_counts() {
    let body = list_body();
    let t: CrmTicket = decode(body["data"][0].clone());
    assert!(t.has_attachments);
    assert_eq!(t.attachment_count, 2);
    // The shared ticket, reached through the field and through Deref.
    assert_eq!(t.ticket.id, TicketId::new("t0000000-0000-4000-8000-000000000001"));
    assert_eq!(t.ticket_number, 3462);
    assert_eq!(t.subject, "Refund not received");
    assert_eq!(t.description.as_deref(), Some("I was promised a refund two weeks ago."));
    assert_eq!(
        (&t.status, &t.priority, &t.source),
        (&TicketStatus::WaitingCustomer, &TicketPriority::High, &TicketSource::Handoff)
    );
    assert_eq!(t.category.as_deref(), Some("billing"));
    assert_eq!(t.tags, ["refund", "vip"]);
    assert_eq!(t.department_id, Some(DepartmentId::new("d0000000-0000-4000-8000-000000000001")));
    let d = t.department.as_ref().unwrap();
    assert_eq!((d.name_for("fa"), d.name_for("fr-CA"), d.name_for("de")), ("صورتحساب", "Facturation", "Billing"));
    assert_eq!(d.supported_languages, ["en", "fr"]);
    assert_eq!(t.assigned_agent_id, Some(UserId::new("u0000000-0000-4000-8000-000000000007")));
    assert_eq!(t.agent_id, Some(AgentId::new("a0000000-0000-4000-8000-000000000001")));
    assert_eq!((t.agent_name.as_deref(), t.agent_display_name.as_deref()), (Some("Acme Support Bot"), Some("Ava")));
    assert_eq!(t.conversation_id, Some(ConversationId::new("c0000000-0000-4000-8000-000000000101")));
    assert_eq!((t.external_id.as_deref(), t.external_source.as_deref()), (Some("ZD-88121"), Some("zendesk")));
    assert_eq!(t.origin_domain.as_deref(), Some("acme.com"));
    assert_eq!(t.custom_fields["order_id"], json!("1042"));
    assert_eq!(t.metadata.as_ref().unwrap()["panel_source"], json!("salesforce"));
    assert_eq!(t.updated_at, Utc.with_ymd_and_hms(2026, 4, 7, 15, 0, 0).unwrap());

    let closed: CrmTicket = decode(body["data"][1].clone());
    assert_eq!((closed.has_attachments, closed.attachment_count), (false, 0));
    assert_eq!(closed.status, TicketStatus::Closed);
    assert!(closed.department.is_none() && closed.metadata.is_none() && closed.tags.is_empty());
    assert_eq!(closed.closed_at, Some(Utc.with_ymd_and_hms(2026, 4, 6, 10, 0, 0).unwrap()));

    let mut missing = body["data"][0].clone();
    missing.as_object_mut().unwrap().remove("attachment_count");
    assert!(serde_json::from_value::<CrmTicket>(missing).is_err(), "the counts are required on CRM rows");
}

#[test]
fn a_single_ticket_carries_its_attachments() {
    let t: TicketDetail = decode(fixture!("nextcap/crm_ticket_detail.json")["data"].clone());
    let row: CrmTicket = decode(list_body()["data"][0].clone());
    assert_eq!(t.ticket, row, "the detail is the row plus its attachments");
    assert_eq!(t.attachments.len(), 2);
    let pdf = &t.attachments[1];
    assert_eq!(pdf.id, AttachmentId::new("f0000000-0000-4000-8000-000000000002"));
    assert_eq!((pdf.content_type.as_str(), pdf.size), ("application/pdf", 102400));
    assert_eq!(pdf.download_url.as_deref(), Some("https://files.nextcap.ai/f2?sig=def"));
    assert_eq!(t.subject, "Refund not received", "Deref reaches the shared ticket");
}

#[test]
fn timeline_entries_decode_including_internal_notes() {
    let body = fixture!("nextcap/crm_ticket_events.json");
    let events: Vec<TicketEvent> = decode(body["data"].clone());
    let kinds: Vec<_> = events.iter().map(|e| e.kind.clone()).collect();
    assert_eq!(kinds, [TicketEventType::StatusChanged, TicketEventType::Note, TicketEventType::CustomerReply]);
    assert_eq!(
        (events[0].old_value.as_deref(), events[0].new_value.as_deref()),
        (Some("open"), Some("waiting_customer"))
    );
    assert!(events[1].is_internal);
    assert_eq!(events[1].actor_type, ActorType::Agent);
    assert_eq!((&events[2].actor_type, &events[2].actor_id), (&ActorType::Customer, &None));
    assert_eq!(events[2].attachments[0].filename, "bank-statement.pdf");
}

#[tokio::test]
async fn the_list_sends_several_values_comma_separated_with_search_and_sort() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/external/crm/tickets"))
        .and(query_param("status", "open,reopened"))
        .and(query_param("priority", "high,urgent"))
        .and(query_param("source", "email,whatsapp"))
        .and(query_param("department_id", "d1"))
        .and(query_param("assigned_agent_id", "u7"))
        .and(query_param("tags", "refund,vip"))
        .and(query_param("category", "billing"))
        .and(query_param("search", "refund not received"))
        .and(query_param("sort_by", "priority"))
        .and(query_param("sort_order", "desc"))
        .and(query_param("per_page", "25"))
        .respond_with(ResponseTemplate::new(200).set_body_json(list_body()))
        .expect(1)
        .mount(&server)
        .await;
    let page = crm(&server)
        .tickets()
        .list()
        .status([TicketStatus::Open, TicketStatus::Reopened, TicketStatus::Open])
        .priority([TicketPriority::High, TicketPriority::Urgent])
        .source([TicketSource::Email, TicketSource::WhatsApp])
        .department_id("d1")
        .assigned_agent_id("u7")
        .tags(["refund", "vip"])
        .category("billing")
        .search("refund not received")
        .sort_by(TicketSortBy::Priority)
        .sort_order(SortOrder::Desc)
        .per_page(25)
        .send()
        .await
        .unwrap();
    assert_eq!(page.items.len(), 2);
    assert_eq!(page.meta.total_pages, 3);
}

#[tokio::test]
async fn every_sort_field_has_its_documented_name() {
    for (field, wire) in [
        (TicketSortBy::CreatedAt, "createdAt"),
        (TicketSortBy::UpdatedAt, "updatedAt"),
        (TicketSortBy::Priority, "priority"),
        (TicketSortBy::TicketNumber, "ticketNumber"),
    ] {
        let server = MockServer::start().await;
        serve(&server, "/external/crm/tickets", page_of(vec![])).await;
        crm(&server).tickets().list().sort_by(field).sort_order(SortOrder::Asc).send().await.unwrap();
        assert_eq!(only_query(&server).await, format!("sort_by={wire}&sort_order=asc"));
    }
}

#[tokio::test]
async fn a_walk_reads_every_page() {
    let server = MockServer::start().await;
    let body = list_body();
    for page in 1..=2u32 {
        let item = body["data"][page as usize - 1].clone();
        Mock::given(path("/external/crm/tickets"))
            .and(query_param("status", "closed"))
            .and(query_param("per_page", "1"))
            .and(move |r: &wiremock::Request| {
                let p = r.url.query_pairs().find(|(k, _)| k == "page").map(|(_, v)| v.into_owned());
                p.as_deref().unwrap_or("1") == page.to_string()
            })
            .respond_with(ResponseTemplate::new(200).set_body_json(
                json!({"data": [item], "meta": {"page": page, "per_page": 1, "total": 2, "total_pages": 2}}),
            ))
            .expect(1)
            .mount(&server)
            .await;
    }
    let all: Vec<CrmTicket> =
        crm(&server).tickets().list().status([TicketStatus::Closed]).per_page(1).stream().try_collect().await.unwrap();
    assert_eq!(all.iter().map(|t| t.ticket_number).collect::<Vec<_>>(), [3462, 3460]);
}

#[tokio::test]
async fn a_ticket_and_its_timeline_are_read_from_their_paths() {
    let server = MockServer::start().await;
    serve(&server, "/external/crm/tickets/t%201", fixture!("nextcap/crm_ticket_detail.json")).await;
    serve(&server, "/external/crm/tickets/t1/events", fixture!("nextcap/crm_ticket_events.json")).await;
    let client = crm(&server);
    let t = client.tickets().get("t 1").await.unwrap();
    assert_eq!(t.attachments.len(), 2);
    let events: Vec<TicketEvent> = client.tickets().events(TicketId::new("t1")).stream().try_collect().await.unwrap();
    assert_eq!(events.len(), 3);
}

#[tokio::test]
async fn a_timeline_walk_sends_only_paging() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/external/crm/tickets/t1/events"))
        .respond_with(|r: &wiremock::Request| {
            let page: usize = r.url.query_pairs().find(|(k, _)| k == "page").map_or(1, |(_, v)| v.parse().unwrap());
            let item = fixture!("nextcap/crm_ticket_events.json")["data"][page - 1].clone();
            ResponseTemplate::new(200).set_body_json(
                json!({"data": [item], "meta": {"page": page, "per_page": 1, "total": 3, "total_pages": 3}}),
            )
        })
        .expect(3)
        .mount(&server)
        .await;
    let events: Vec<TicketEvent> =
        crm(&server).tickets().events("t1").per_page(1).stream().try_collect().await.unwrap();
    assert_eq!(events.len(), 3);
    let queries: Vec<String> = server
        .received_requests()
        .await
        .unwrap()
        .iter()
        .map(|r| r.url.query().unwrap_or_default().to_owned())
        .collect();
    assert_eq!(queries, ["per_page=1", "per_page=1&page=2", "per_page=1&page=3"], "the timeline takes no date filter");
}

fn is_invalid(e: Error, name: &str) {
    match e {
        Error::InvalidArgument { name: n, .. } => assert_eq!(n, name),
        other => panic!("expected InvalidArgument({name}), got {other:?}"),
    }
}

#[tokio::test]
async fn bad_filters_and_ids_are_refused_before_sending() {
    let server = MockServer::start().await;
    let client = crm(&server);
    let t = client.tickets();
    is_invalid(t.get("").await.unwrap_err(), "id");
    is_invalid(t.events("").send().await.unwrap_err(), "id");
    is_invalid(t.events("t1").per_page(0).send().await.unwrap_err(), "per_page");
    is_invalid(t.list().per_page(0).send().await.unwrap_err(), "per_page");
    is_invalid(t.list().page(0).send().await.unwrap_err(), "page");
    is_invalid(t.list().status([]).send().await.unwrap_err(), "status");
    is_invalid(t.list().status([TicketStatus::Unknown("escalated".into())]).send().await.unwrap_err(), "status");
    is_invalid(t.list().priority([]).send().await.unwrap_err(), "priority");
    is_invalid(t.list().priority([TicketPriority::Unknown("p1".into())]).send().await.unwrap_err(), "priority");
    is_invalid(t.list().source([TicketSource::Unknown("fax".into())]).send().await.unwrap_err(), "source");
    is_invalid(t.list().tags(Vec::<String>::new()).send().await.unwrap_err(), "tags");
    is_invalid(t.list().tags(["a,b"]).send().await.unwrap_err(), "tags");
    is_invalid(t.list().search(" ").send().await.unwrap_err(), "search");
    is_invalid(t.list().category("").send().await.unwrap_err(), "category");
    is_invalid(t.list().department_id("").send().await.unwrap_err(), "department_id");
    is_invalid(t.list().assigned_agent_id("").send().await.unwrap_err(), "assigned_agent_id");
    assert_nothing_sent(&server).await;
}
