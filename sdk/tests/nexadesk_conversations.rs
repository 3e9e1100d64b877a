//! NexaDesk conversations against a stub server: the listed conversation and the
//! `{conversation, messages}` of a single read decode to their typed values, the list builder's
//! query (status incl. `all`, search, tag, sort, limit, cursor, page), the PATCH body carries
//! only what was set (`agent_id: null` to unassign) and an empty one is refused before sending,
//! the error kinds, and a cursor walk over every page.
#![cfg(feature = "nexadesk")]

mod common;
mod nexadesk_support;

use chrono::{TimeZone, Utc};
use common::*;
use deskapi::nexadesk::*;
use futures::TryStreamExt;
use nexadesk_support::*;
use serde_json::{Value, json};
use wiremock::matchers::{method, path, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};

const ID: &str = "7c9e6679-7425-40de-944b-e07fc1f90ae7";
const AGENT: &str = "9b2d7c1e-4f3a-4e8b-9c0d-1a2b3c4d5e6f";

fn conversation_n(n: u32) -> Value {
    let mut v = fixture!("nexadesk/conversations_list.json")["data"][0].clone();
    v["id"] = json!(format!("conv-{n}"));
    v
}

fn one() -> Value {
    json!({"success": true, "data": fixture!("nexadesk/conversations_list.json")["data"][0].clone()})
}

#[test]
fn listed_conversations_decode_to_their_typed_values() {
    let list = fixture!("nexadesk/conversations_list.json");
    let c: Conversation = decode(list["data"][0].clone());
    assert_eq!(c.id, ConversationId::new(ID));
    assert_eq!(c.source.as_deref(), Some("widget"));
    assert_eq!(c.status, ConversationStatus::Active);
    assert_eq!(c.tags, ["pricing", "demo-scheduled"]);
    assert_eq!(c.created_at, Utc.with_ymd_and_hms(2026, 3, 18, 16, 30, 0).unwrap());
    assert_eq!(c.updated_at, Utc.with_ymd_and_hms(2026, 3, 18, 16, 40, 0).unwrap());
    assert_eq!(c.agent_id, Some(RepId::new(AGENT)));
    assert_eq!(c.department_id.as_deref(), Some("d3c2b1a0-9f8e-4d7c-8b6a-5f4e3d2c1b0a"));
    assert_eq!(c.visitor_name.as_deref(), Some("Ada Lovelace"));
    assert_eq!(c.visitor_email.as_deref(), Some("ada@analytical.example"));
    assert_eq!(c.visitor_company.as_deref(), Some("Analytical Engines Ltd"));
    assert_eq!(c.agent_name.as_deref(), Some("Sara Lind"));
    assert_eq!(c.last_message.as_deref(), Some("Thanks, talk soon!"));
    assert_eq!(c.message_count, 3);

    let archived: Conversation = decode(list["data"][1].clone());
    assert_eq!(archived.status, ConversationStatus::Archived);
    assert!(archived.agent_id.is_none() && archived.department_id.is_none() && archived.visitor_name.is_none());
    assert!(archived.visitor_email.is_none() && archived.agent_name.is_none() && archived.last_message.is_none());
    assert_eq!((archived.tags.len(), archived.message_count), (0, 0));

    for (text, status) in [("open", ConversationStatus::Open), ("pending", ConversationStatus::Pending)] {
        let mut v = list["data"][0].clone();
        v["status"] = json!(text);
        assert_eq!(decode::<Conversation>(v).status, status);
    }
    let mut v = list["data"][0].clone();
    v["status"] = json!("snoozed");
    assert_eq!(decode::<Conversation>(v).status, ConversationStatus::Unknown("snoozed".into()), "kept, not refused");
}

#[test]
fn a_single_conversation_carries_its_messages_oldest_first() {
    let thread: ConversationThread = decode(fixture!("nexadesk/conversation_detail.json")["data"].clone());
    let listed: Conversation = decode(fixture!("nexadesk/conversations_list.json")["data"][0].clone());
    assert_eq!(thread.conversation, listed);
    assert_eq!(thread.messages.len() as u32, thread.conversation.message_count);
    let m = &thread.messages[0];
    assert_eq!(m.id, MessageId::new("a1000000-0000-4000-8000-000000000001"));
    assert_eq!(m.conversation_id, ConversationId::new(ID));
    assert_eq!(m.sender_type, SenderType::Visitor);
    assert_eq!(m.sender_name.as_deref(), Some("Ada Lovelace"));
    assert_eq!(m.content, "Hi, I have a question about pricing.");
    assert_eq!(m.created_at, Utc.with_ymd_and_hms(2026, 3, 18, 16, 30, 0).unwrap());
    assert_eq!(
        (&thread.messages[1].sender_type, thread.messages[1].sender_name.as_deref()),
        (&SenderType::Bot, Some("NexaDesk AI"))
    );
    assert_eq!(thread.messages[2].sender_name, None);
    assert!(thread.messages.windows(2).all(|w| w[0].created_at <= w[1].created_at));
    assert_eq!(thread.messages.last().map(|m| m.content.as_str()), thread.conversation.last_message.as_deref());

    let mut m = fixture!("nexadesk/conversation_detail.json")["data"]["messages"][0].clone();
    m["sender_type"] = json!("integration");
    assert_eq!(decode::<Message>(m).sender_type, SenderType::Unknown("integration".into()));
}

#[tokio::test]
async fn the_list_sends_each_filter_and_the_single_read_its_id() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/conversations"))
        .and(query_param("id", ID))
        .respond_with(ResponseTemplate::new(200).set_body_json(fixture!("nexadesk/conversation_detail.json")))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/conversations"))
        .respond_with(ResponseTemplate::new(200).set_body_json(fixture!("nexadesk/conversations_list.json")))
        .mount(&server)
        .await;
    let client = nexadesk(&server);
    let page = client
        .conversations()
        .list()
        .status(ConversationStatus::Open)
        .search("analytical")
        .tag("pricing")
        .sort(ConversationSortField::UpdatedAt, SortDirection::Asc)
        .limit(2)
        .cursor("Mg")
        .send()
        .await
        .unwrap();
    assert_eq!(
        (page.items.len(), page.meta.has_more, page.meta.next_cursor.as_deref(), page.meta.total_count),
        (2, true, Some("Mg"), Some(130))
    );
    client
        .conversations()
        .list()
        .all_statuses()
        .sort(ConversationSortField::CreatedAt, SortDirection::Desc)
        .send()
        .await
        .unwrap();
    client.conversations().list().status(ConversationStatus::Archived).page(4).send().await.unwrap();
    let thread = client.conversations().get(ID).await.unwrap();
    assert_eq!(thread.messages.len(), 3);
    assert_eq!(
        queries(&server).await,
        vec![
            pairs(&[
                ("cursor", "Mg"),
                ("limit", "2"),
                ("search", "analytical"),
                ("sort", "updated_at:asc"),
                ("status", "open"),
                ("tag", "pricing")
            ]),
            pairs(&[("sort", "created_at:desc"), ("status", "all")]),
            pairs(&[("page", "4"), ("status", "archived")]),
            pairs(&[("id", ID)]),
        ]
    );
}

#[tokio::test]
async fn update_sends_only_what_was_set_and_null_to_unassign() {
    let server = MockServer::start().await;
    Mock::given(method("PATCH"))
        .and(path("/conversations"))
        .and(query_param("id", ID))
        .respond_with(ResponseTemplate::new(200).set_body_json(one()))
        .expect(4)
        .mount(&server)
        .await;
    let client = nexadesk(&server);
    let updated = client.conversations().update(ID).status(ConversationStatus::Archived).send().await.unwrap();
    assert_eq!(updated.id.as_str(), ID);
    client.conversations().update(ID).unassign().send().await.unwrap();
    client.conversations().update(ID).assign(AGENT).tags(["vip"]).send().await.unwrap();
    client
        .conversations()
        .update(ID)
        .tags(Vec::<String>::new())
        .status(ConversationStatus::Pending)
        .send()
        .await
        .unwrap();
    assert_eq!(
        bodies(&server).await,
        vec![
            json!({"status": "archived"}),
            json!({"agent_id": null}),
            json!({"agent_id": AGENT, "tags": ["vip"]}),
            json!({"status": "pending", "tags": []}),
        ]
    );
}

#[tokio::test]
async fn bad_arguments_are_refused_before_sending() {
    let server = MockServer::start().await;
    let ok = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_json(fixture!("nexadesk/conversations_list.json")))
        .mount(&ok)
        .await;
    let (no, yes) = (nexadesk(&server), nexadesk(&ok));
    refused(no.conversations().update(ID).send().await, "update");
    refused(no.conversations().update("").status(ConversationStatus::Open).send().await, "id");
    refused(no.conversations().update(ID).status(ConversationStatus::Unknown("closed".into())).send().await, "status");
    refused(no.conversations().get(" ").await, "id");
    refused(no.conversations().list().limit(101).send().await, "limit");
    refused(no.conversations().list().limit(0).send().await, "limit");
    refused(no.conversations().list().status(ConversationStatus::Unknown("closed".into())).send().await, "status");
    refused(no.conversations().list().search("").send().await, "search");
    refused(no.conversations().list().tag("").send().await, "tag");
    refused(
        no.conversations()
            .list()
            .sort(ConversationSortField::Unknown("status".into()), SortDirection::Asc)
            .send()
            .await,
        "sort",
    );
    assert_nothing_sent(&server).await;
    yes.conversations().list().limit(100).send().await.unwrap();
    yes.conversations().list().limit(1).send().await.unwrap();
    assert_eq!(ok.received_requests().await.unwrap().len(), 2, "1 and 100 are inside the limit");
}

#[tokio::test]
async fn each_error_status_maps_to_its_kind() {
    let cases = [
        (
            400,
            json!({"success": false, "error": "status must be one of open, pending, active, archived"}),
            NexaDeskErrorKind::Validation,
        ),
        (403, fixture!("nexadesk/error_scope.json"), NexaDeskErrorKind::Scope),
        (404, json!({"success": false, "error": "Conversation not found"}), NexaDeskErrorKind::NotFound),
        (429, fixture!("nexadesk/error_rate_limited.json"), NexaDeskErrorKind::RateLimited),
    ];
    for (status, body, kind) in cases {
        let server = MockServer::start().await;
        Mock::given(method("PATCH"))
            .respond_with(ResponseTemplate::new(status).set_body_json(&body))
            .expect(1)
            .mount(&server)
            .await;
        let e = once(&server).conversations().update(ID).assign(AGENT).send().await.unwrap_err();
        assert_eq!(NexaDeskErrorKind::of(&e), kind, "{status}");
        assert_eq!(e.as_api().map(|a| (a.status, a.message.as_str())), Some((status, body["error"].as_str().unwrap())));
    }
}

#[tokio::test]
async fn the_cursor_stream_walks_every_page_once() {
    let server = MockServer::start().await;
    let pages = vec![
        vec![conversation_n(1), conversation_n(2)],
        vec![conversation_n(3), conversation_n(4)],
        vec![conversation_n(5), conversation_n(6)],
        vec![conversation_n(7)],
    ];
    cursor_pages(&server, pages).await;
    let all: Vec<Conversation> =
        nexadesk(&server).conversations().list().all_statuses().limit(2).stream().try_collect().await.unwrap();
    let ids: Vec<&str> = all.iter().map(|c| c.id.as_str()).collect();
    assert_eq!(ids, ["conv-1", "conv-2", "conv-3", "conv-4", "conv-5", "conv-6", "conv-7"]);
    let sent = queries(&server).await;
    assert_eq!(sent.len(), 4, "one request per page");
    assert!(sent.iter().all(|q| q.contains(&("status".into(), "all".into()))), "{sent:?}");
    for (i, q) in sent.iter().enumerate().skip(1) {
        assert!(q.contains(&("cursor".into(), format!("c{i}"))), "{q:?}");
    }
}
