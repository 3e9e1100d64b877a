//! Next Cap CRM conversations: the list with its filters and sort, a conversation with its
//! whole message history, the paginated messages (50 per page by default), the handoff queue,
//! and the assign and resolve actions, each at the right method, path, query and body; bad
//! arguments are refused before anything is sent.
#![cfg(feature = "nextcap")]

mod common;

use chrono::{TimeZone, Utc};
use common::*;
use deskapi::Error;
use deskapi::nextcap::crm::{ConversationSortBy, SortOrder};
use deskapi::nextcap::*;
use futures::TryStreamExt;
use serde_json::json;
use wiremock::matchers::{body_json, method, path, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};

fn list_body() -> serde_json::Value {
    fixture!("nextcap/crm_conversations_list.json")
}

#[test]
fn the_conversation_fixtures_decode_with_every_field_typed() {
    let page = list_body();
    let c: Conversation = decode(page["data"][0].clone());
    assert_eq!(c.id, ConversationId::new("c0000000-0000-4000-8000-000000000101"));
    assert_eq!(c.agent_id, AgentId::new("a0000000-0000-4000-8000-000000000001"));
    assert_eq!(c.visitor_id, VisitorTextId::new("vis_8f2k1"));
    assert_eq!((&c.status, &c.channel), (&ConversationStatus::HandedOff, &ConversationChannel::Widget));
    assert_eq!(c.assigned_agent_id, None);
    assert_eq!(c.lead_id, Some(LeadId::new("l0000000-0000-4000-8000-000000000009")));
    assert_eq!((c.message_count, c.satisfaction_rating), (3, None));
    assert_eq!(c.handed_off_at, Some(Utc.with_ymd_and_hms(2026, 4, 7, 14, 31, 0).unwrap()));

    let detail: ConversationDetail = decode(fixture!("nextcap/crm_conversation_detail.json")["data"].clone());
    assert_eq!(detail.conversation, c, "the detail is the same conversation plus its messages");
    assert_eq!(detail.title.as_deref(), Some("Order 1042 never arrived"), "Deref reaches the conversation");
    let roles: Vec<_> = detail.messages.iter().map(|m| m.role.clone()).collect();
    assert_eq!(roles, [MessageRole::User, MessageRole::Assistant, MessageRole::System]);
    let first = &detail.messages[0];
    assert_eq!(first.conversation_id, c.id);
    let file = &first.attachments.as_ref().unwrap()[0];
    assert_eq!((file.filename.as_str(), file.size), ("receipt.png", 48213));
    assert_eq!(file.download_url_expires_at, Some(Utc.with_ymd_and_hms(2026, 4, 8, 14, 30, 20).unwrap()));
    let answer = &detail.messages[1];
    assert_eq!(answer.feedback, Some(MessageFeedback::Negative));
    let source = &answer.sources.as_ref().unwrap()[0];
    assert_eq!((source.title.as_str(), &source.extra["score"]), ("Shipping FAQ", &json!(0.82)));
}

#[tokio::test]
async fn the_list_sends_every_filter_and_the_sort() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/external/crm/conversations"))
        .and(query_param("status", "handed_off"))
        .and(query_param("agent_id", "a1"))
        .and(query_param("assigned_agent_id", "u7"))
        .and(query_param("visitor_id", "vis_8f2k1"))
        .and(query_param("sort_by", "updatedAt"))
        .and(query_param("sort_order", "asc"))
        .and(query_param("per_page", "20"))
        .and(query_param("page", "2"))
        .and(query_param("created_after", "2026-04-01"))
        .respond_with(ResponseTemplate::new(200).set_body_json(list_body()))
        .expect(1)
        .mount(&server)
        .await;
    let page = crm(&server)
        .conversations()
        .list()
        .status(ConversationStatus::HandedOff)
        .agent_id("a1")
        .assigned_agent_id("u7")
        .visitor_id("vis_8f2k1")
        .sort_by(ConversationSortBy::UpdatedAt)
        .sort_order(SortOrder::Asc)
        .per_page(20)
        .page(2)
        .created_after(chrono::NaiveDate::from_ymd_opt(2026, 4, 1).unwrap())
        .send()
        .await
        .unwrap();
    assert_eq!(page.items.len(), 2);
    assert_eq!(page.items[1].status, ConversationStatus::Resolved);
    assert_eq!(page.meta.total, 2);
}

#[tokio::test]
async fn the_other_sort_values_and_an_unfiltered_list() {
    let server = MockServer::start().await;
    serve(&server, "/external/crm/conversations", list_body()).await;
    crm(&server).conversations().list().send().await.unwrap();
    assert_eq!(only_query(&server).await, "", "unset filters are not sent");

    let server = MockServer::start().await;
    serve(&server, "/external/crm/conversations", list_body()).await;
    crm(&server)
        .conversations()
        .list()
        .sort_by(ConversationSortBy::CreatedAt)
        .sort_order(SortOrder::Desc)
        .send()
        .await
        .unwrap();
    assert_eq!(only_query(&server).await, "sort_by=createdAt&sort_order=desc");
}

#[tokio::test]
async fn a_conversation_comes_with_its_messages() {
    let server = MockServer::start().await;
    serve(&server, "/external/crm/conversations/c%2F1", fixture!("nextcap/crm_conversation_detail.json")).await;
    let c = crm(&server).conversations().get("c/1").await.unwrap();
    assert_eq!(c.messages.len(), 3);
    assert_eq!(c.messages[0].content, "I need help with my order");
}

#[tokio::test]
async fn messages_are_paginated_fifty_per_page_by_default() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/external/crm/conversations/c1/messages"))
        .and(query_param("per_page", "50"))
        .respond_with(ResponseTemplate::new(200).set_body_json(fixture!("nextcap/crm_messages_list.json")))
        .expect(1)
        .mount(&server)
        .await;
    let messages: Vec<Message> = crm(&server).conversations().messages("c1").stream().try_collect().await.unwrap();
    assert_eq!(messages.len(), 3);
    assert_eq!(messages[2].role, MessageRole::System);

    let server = MockServer::start().await;
    serve(&server, "/external/crm/conversations/c1/messages", fixture!("nextcap/crm_messages_list.json")).await;
    crm(&server).conversations().messages("c1").per_page(100).send().await.unwrap();
    assert_eq!(only_query(&server).await, "per_page=100", "the caller's page size wins");
}

#[tokio::test]
async fn the_queue_is_one_unpaginated_list() {
    let server = MockServer::start().await;
    serve(&server, "/external/crm/conversations/queue", fixture!("nextcap/crm_conversation_queue.json")).await;
    let queue = crm(&server).conversations().queue().await.unwrap();
    assert_eq!(queue.len(), 1);
    assert_eq!((queue[0].status.clone(), queue[0].assigned_agent_id.clone()), (ConversationStatus::HandedOff, None));
}

#[tokio::test]
async fn assign_and_resolve_post_to_their_paths() {
    let server = MockServer::start().await;
    let mut assigned = list_body()["data"][0].clone();
    assigned["assigned_agent_id"] = json!("u7");
    Mock::given(method("POST"))
        .and(path("/external/crm/conversations/c1/assign"))
        .and(body_json(json!({"agent_id": "u7"})))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"data": assigned})))
        .expect(1)
        .mount(&server)
        .await;
    let c = crm(&server).conversations().assign("c1", UserId::new("u7")).await.unwrap();
    assert_eq!(c.assigned_agent_id, Some(UserId::new("u7")));

    let server = MockServer::start().await;
    let mut resolved = list_body()["data"][0].clone();
    resolved["status"] = json!("resolved");
    Mock::given(method("POST"))
        .and(path("/external/crm/conversations/c1/resolve"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"data": resolved})))
        .expect(1)
        .mount(&server)
        .await;
    let c = crm(&server).conversations().resolve(ConversationId::new("c1")).await.unwrap();
    assert_eq!(c.status, ConversationStatus::Resolved);
    let requests = server.received_requests().await.unwrap();
    assert!(requests[0].body.is_empty(), "resolve sends no body");
}

fn is_invalid(e: Error, name: &str) {
    match e {
        Error::InvalidArgument { name: n, .. } => assert_eq!(n, name),
        other => panic!("expected InvalidArgument({name}), got {other:?}"),
    }
}

#[tokio::test]
async fn bad_arguments_are_refused_before_sending() {
    let server = MockServer::start().await;
    let client = crm(&server);
    let c = client.conversations();
    is_invalid(c.get("").await.unwrap_err(), "id");
    is_invalid(c.get("queue").await.unwrap_err(), "id");
    is_invalid(c.messages(" ").send().await.unwrap_err(), "id");
    is_invalid(c.messages("c1").per_page(0).send().await.unwrap_err(), "per_page");
    is_invalid(c.messages("c1").per_page(101).send().await.unwrap_err(), "per_page");
    is_invalid(c.assign("", "u7").await.unwrap_err(), "id");
    is_invalid(c.assign("c1", "").await.unwrap_err(), "agent_id");
    is_invalid(c.resolve("").await.unwrap_err(), "id");
    is_invalid(c.list().per_page(0).send().await.unwrap_err(), "per_page");
    is_invalid(c.list().agent_id("").send().await.unwrap_err(), "agent_id");
    is_invalid(c.list().assigned_agent_id(" ").send().await.unwrap_err(), "assigned_agent_id");
    is_invalid(c.list().visitor_id("").send().await.unwrap_err(), "visitor_id");
    is_invalid(c.list().status(ConversationStatus::Unknown("closed".into())).send().await.unwrap_err(), "status");
    let after = Utc.with_ymd_and_hms(2026, 4, 2, 0, 0, 0).unwrap();
    let err = c.list().created_after(after).created_before(after).send().await.unwrap_err();
    is_invalid(err, "created_before");
    assert_nothing_sent(&server).await;
}
