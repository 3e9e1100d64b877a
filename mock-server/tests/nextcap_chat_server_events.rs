//! Live chat's server events that visitors cause (over the real protocol): `typing` and
//! `typing:content` (`visitor-typing`), `feedback:received` (`rate-conversation`),
//! `ticket:created` (`file-ticket` with a conversation), and `message:new` in order, once each.

mod chat_support;

use std::time::Duration;

use chat_support::Driver;
use deskapi_mock::{
    MockServer,
    actions::nextcap::{NewConversation, NewTicket, RateConversation, VisitorMessage, VisitorTyping},
};
use serde_json::{Value, json};
use uuid::Uuid;

/// A new Acme conversation, joined by socket `id` (the live-chat seat): (conversation, visitor).
async fn joined(server: &MockServer, d: &mut Driver, id: &str) -> (Uuid, String) {
    let input = NewConversation { org: "acme".into(), message: Some("Hi".into()), ..NewConversation::default() };
    let c = server.nextcap().start_conversation(input).expect("start conversation");
    d.connect_key(id, &server.keys().nextcap_crm_live_chat).await;
    assert_eq!(d.emit(id, "crm:join", json!({ "conversationId": c.id })).await["success"], true);
    (c.id, c.visitor_id)
}

#[tokio::test]
async fn visitor_typing_sends_typing_and_its_content() {
    let server = MockServer::start().await;
    let Some(mut d) = Driver::start(&server.url()).await else { return };
    let (conv, visitor) = joined(&server, &mut d, "a").await;
    let input =
        VisitorTyping { org: "acme".into(), conversation_id: Some(conv), content: Some("Where is my ord".into()) };
    server.nextcap().visitor_typing(input).expect("visitor-typing");
    let typing = d.event("a", "typing").await;
    assert_eq!(typing, json!({ "conversationId": conv, "role": "visitor", "identifier": visitor }));
    let content = d.event("a", "typing:content").await;
    assert_eq!(content, json!({ "conversationId": conv, "visitorId": visitor, "content": "Where is my ord" }));
    // Over HTTP, without content: `typing` only.
    let response = reqwest::Client::new()
        .post(format!("{}/__mock/nextcap/actions/visitor-typing", server.url()))
        .header("content-type", "application/json")
        .body(json!({ "org": "acme", "conversation_id": conv }).to_string())
        .send()
        .await
        .expect("POST");
    assert_eq!(response.status(), 200);
    assert_eq!(d.event("a", "typing").await["role"], "visitor");
    d.no_event("a", Duration::from_millis(300)).await;
}

#[tokio::test]
async fn rating_a_conversation_sends_feedback_received() {
    let server = MockServer::start().await;
    let Some(mut d) = Driver::start(&server.url()).await else { return };
    let (conv, _) = joined(&server, &mut d, "a").await;
    let feedback = json!({ "comment": "Quick and kind" }).as_object().cloned();
    let input =
        RateConversation { org: "acme".into(), conversation_id: Some(conv), satisfaction_rating: Some(5), feedback };
    let rated = server.nextcap().rate_conversation(input).expect("rate-conversation");
    assert_eq!(rated.satisfaction_rating, Some(5));
    let event = d.event("a", "feedback:received").await;
    assert_eq!(
        event,
        json!({ "conversationId": conv, "satisfactionRating": 5, "feedbackData": { "comment": "Quick and kind" } })
    );
    let bad = RateConversation {
        org: "acme".into(),
        conversation_id: Some(conv),
        satisfaction_rating: Some(6),
        feedback: None,
    };
    assert_eq!(server.nextcap().rate_conversation(bad).expect_err("6 is out of range").field, "satisfaction_rating");
}

#[tokio::test]
async fn a_ticket_filed_from_a_chat_sends_ticket_created_to_its_room_only() {
    let server = MockServer::start().await;
    let Some(mut d) = Driver::start(&server.url()).await else { return };
    let (conv, _) = joined(&server, &mut d, "a").await;
    let ticket = NewTicket {
        org: "acme".into(),
        subject: "Order #1234 never arrived".into(),
        conversation_id: Some(conv),
        ..NewTicket::default()
    };
    let filed = server.nextcap().file_ticket(ticket).expect("file-ticket");
    let event = d.event("a", "ticket:created").await;
    assert_eq!(event["conversationId"], conv.to_string());
    assert_eq!(event["ticketNumber"], json!(filed.ticket.ticket_number));
    assert_eq!(event["subject"], "Order #1234 never arrived");
    assert!(event["timestamp"].as_str().is_some_and(|t| t.ends_with('Z')), "{event}");
    let unrelated = NewTicket { org: "acme".into(), subject: "By email".into(), ..NewTicket::default() };
    server.nextcap().file_ticket(unrelated).expect("file-ticket");
    d.no_event("a", Duration::from_millis(300)).await;
}

#[tokio::test]
async fn visitor_messages_arrive_in_order_exactly_once() {
    let server = MockServer::start().await;
    let Some(mut d) = Driver::start(&server.url()).await else { return };
    let (conv, _) = joined(&server, &mut d, "a").await;
    for i in 0..200 {
        let input = VisitorMessage { org: "acme".into(), conversation_id: Some(conv), content: format!("m{i}") };
        server.nextcap().send_visitor_message(input).expect("send-message");
    }
    let mut seen: Vec<Value> = Vec::new();
    for _ in 0..200 {
        seen.push(d.event("a", "message:new").await["content"].clone());
    }
    let expected: Vec<Value> = (0..200).map(|i| json!(format!("m{i}"))).collect();
    assert_eq!(seen, expected);
    d.no_event("a", Duration::from_millis(300)).await;
}
