//! Next Cap conversations and their messages: the documented messages decode with typed
//! citations, visitor IDs stay apart, filters reach the query string and messages paginate.
#![cfg(feature = "nextcap")]

mod common;

use chrono::{NaiveDate, TimeZone, Utc};
use common::*;
use deskapi::nextcap::*;
use futures::TryStreamExt;
use serde_json::json;
use wiremock::matchers::{path, query_param, query_param_is_missing};
use wiremock::{Mock, MockServer, ResponseTemplate};

#[test]
fn the_documented_messages_decode_with_typed_sources() {
    let body: serde_json::Value = serde_json::from_str(DOC_MESSAGES).unwrap();
    let messages: Vec<Message> = decode(body["data"].clone());
    assert_eq!(messages[0].role, MessageRole::User);
    assert_eq!((messages[0].sources.as_ref(), messages[0].feedback.as_ref()), (None, None));
    let answer = &messages[1];
    assert_eq!(answer.role, MessageRole::Assistant);
    assert_eq!(answer.feedback, Some(MessageFeedback::Positive));
    let sources = answer.sources.as_ref().unwrap();
    assert_eq!((sources[0].title.as_str(), sources[0].chunk.as_str()), ("Password Reset Guide", "To reset..."));
    assert!(sources[0].extra.is_empty());
    let roles: Vec<&str> = MessageRole::KNOWN.iter().map(|r| r.as_str()).collect();
    assert_eq!(roles, ["user", "assistant", "system", "agent"]);
}

#[test]
fn extra_citation_fields_are_kept() {
    let m: MessageSource =
        decode(json!({"title": "FAQ", "chunk": "...", "url": "https://acme.com/faq", "score": 0.82}));
    assert_eq!(m.extra["url"], "https://acme.com/faq");
    assert_eq!(m.extra["score"], 0.82);
}

#[test]
fn conversations_decode_and_keep_visitor_ids_apart() {
    let c: Conversation = decode(conversation());
    assert_eq!((c.status, c.channel), (ConversationStatus::HandedOff, ConversationChannel::WhatsApp));
    assert_eq!(c.visitor_id, VisitorTextId::new("vis_8f2k1"));
    assert_eq!(c.assigned_agent_id, Some(UserId::new("u-42")));
    assert_eq!((c.message_count, c.satisfaction_rating), (12, Some(4)));
    assert!(c.handed_off_at.is_some() && c.resolved_at.is_none());
}

#[tokio::test]
async fn conversation_filters_reach_the_query_string() {
    let server = MockServer::start().await;
    Mock::given(path("/external/conversations"))
        .and(query_param("status", "handed_off"))
        .and(query_param("agent_id", "a1"))
        .and(query_param("visitor_id", "vis_8f2k1"))
        .and(query_param("assigned_agent_id", "u-42"))
        .and(query_param("per_page", "50"))
        .and(query_param("created_after", "2026-03-01"))
        .and(query_param("created_before", "2026-03-31T12:00:00.000Z"))
        .respond_with(ResponseTemplate::new(200).set_body_json(page_of(vec![conversation()])))
        .expect(1)
        .mount(&server)
        .await;
    let page = nextcap(&server)
        .conversations()
        .list()
        .status(ConversationStatus::HandedOff)
        .agent_id("a1")
        .visitor_id("vis_8f2k1")
        .assigned_agent_id("u-42")
        .per_page(50)
        .created_after(NaiveDate::from_ymd_opt(2026, 3, 1).unwrap())
        .created_before(Utc.with_ymd_and_hms(2026, 3, 31, 12, 0, 0).unwrap())
        .send()
        .await
        .unwrap();
    assert_eq!(page.items[0].title.as_deref(), Some("Refund for order 1042"));
}

#[tokio::test]
async fn a_conversation_and_its_messages_page_by_page() {
    let server = MockServer::start().await;
    serve(&server, "/external/conversations/c%201", json!({"data": conversation()})).await;
    let message = |n: u32| {
        let mut m = first_item(DOC_MESSAGES);
        m["id"] = json!(format!("m{n}"));
        m
    };
    let body = |page: u32| {
        json!({"data": [message(page * 2 - 1), message(page * 2)],
               "meta": {"page": page, "per_page": 2, "total": 4, "total_pages": 2}})
    };
    Mock::given(path("/external/conversations/c%201/messages"))
        .and(query_param("per_page", "2"))
        .and(query_param_is_missing("page"))
        .respond_with(ResponseTemplate::new(200).set_body_json(body(1)))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(path("/external/conversations/c%201/messages"))
        .and(query_param("per_page", "2"))
        .and(query_param("page", "2"))
        .respond_with(ResponseTemplate::new(200).set_body_json(body(2)))
        .expect(1)
        .mount(&server)
        .await;
    let client = nextcap(&server);
    let c = client.conversations().get("c 1").await.unwrap();
    assert_eq!(c.status, ConversationStatus::HandedOff);
    let ids: Vec<String> = client
        .conversations()
        .messages("c 1")
        .per_page(2)
        .stream()
        .map_ok(|m| m.id.to_string())
        .try_collect()
        .await
        .unwrap();
    assert_eq!(ids, ["m1", "m2", "m3", "m4"]);
}
