//! Live chat's client events and server events over the real protocol (the official
//! `socket.io-client`): each client event allowed and denied, room fan-out, bad payloads that
//! get failure acks without dropping the socket, and agent messages visible over REST.

mod chat_support;

use std::time::Duration;

use chat_support::Driver;
use deskapi_mock::{
    MockServer,
    actions::nextcap::{HandOff, NewApiOnlySeat, NewConversation, VisitorMessage},
};
use serde_json::{Value, json};
use uuid::Uuid;

const QUIET: Duration = Duration::from_millis(300);

/// A new Acme conversation (on its first widget): (id, widget id).
fn conversation(server: &MockServer, org: &str) -> (Uuid, Uuid) {
    let input = NewConversation { org: org.into(), message: Some("Hello".into()), ..NewConversation::default() };
    let c = server.nextcap().start_conversation(input).expect("start conversation");
    (c.id, c.agent_id)
}

fn visitor_says(server: &MockServer, id: Uuid, content: &str) {
    let input = VisitorMessage { org: "acme".into(), conversation_id: Some(id), content: content.into() };
    server.nextcap().send_visitor_message(input).expect("send-message");
}

/// A GET of the Next Cap Data API, as JSON.
async fn data_get(server: &MockServer, path: &str) -> Value {
    let response = reqwest::Client::new()
        .get(format!("{}{path}", server.nextcap_url()))
        .header("X-Api-Key", &server.keys().nextcap_data)
        .send()
        .await
        .expect("GET");
    serde_json::from_str(&response.text().await.expect("body")).expect("JSON")
}

fn code(ack: &Value) -> &str {
    assert_eq!(ack["success"], false, "expected a failure ack: {ack}");
    ack["error"]["code"].as_str().expect("error.code")
}

fn join(id: Uuid) -> Value {
    json!({ "conversationId": id })
}

#[tokio::test]
async fn visitor_messages_reach_every_socket_in_the_room_once_and_no_other() {
    let server = MockServer::start().await;
    let Some(mut d) = Driver::start(&server.url()).await else { return };
    let keys = server.keys().clone();
    let (conv, _) = conversation(&server, "acme");
    let (other, _) = conversation(&server, "acme");
    d.connect_key("a", &keys.nextcap_crm_live_chat).await;
    d.connect_key("b", &keys.nextcap_crm_admin).await;
    d.connect_key("c", &keys.nextcap_crm_admin).await;
    assert_eq!(d.emit("a", "crm:join", join(conv)).await, json!({ "success": true, "conversationId": conv }));
    assert_eq!(d.emit("b", "crm:join", join(conv)).await["success"], true);
    assert_eq!(d.emit("c", "crm:join", join(other)).await["success"], true);
    visitor_says(&server, conv, "I need help with my order");
    for socket in ["a", "b"] {
        let event = d.event(socket, "message:new").await;
        assert_eq!(event["conversationId"], conv.to_string());
        assert_eq!(event["role"], "user");
        assert_eq!(event["content"], "I need help with my order");
        assert!(event["visitorId"].as_str().is_some_and(|v| !v.is_empty()), "{event}");
        assert!(event["createdAt"].as_str().is_some_and(|t| t.ends_with('Z')), "{event}");
        assert!(event["attachments"].is_null() && event["id"].is_string(), "{event}");
        d.no_event(socket, QUIET).await;
    }
    d.no_event("c", QUIET).await;
    let rooms: Vec<Vec<String>> = server.chat_sockets().into_iter().map(|s| s.rooms).collect();
    assert!(rooms.iter().any(|r| r.contains(&conv.to_string())), "{rooms:?}");
}

#[tokio::test]
async fn leaving_a_room_stops_its_events() {
    let server = MockServer::start().await;
    let Some(mut d) = Driver::start(&server.url()).await else { return };
    let (conv, _) = conversation(&server, "acme");
    d.connect_key("a", &server.keys().nextcap_crm_live_chat).await;
    d.emit("a", "crm:join", join(conv)).await;
    assert_eq!(d.emit("a", "crm:leave", join(conv)).await, json!({ "success": true }));
    visitor_says(&server, conv, "anyone?");
    d.no_event("a", QUIET).await;
    // Leaving a room never joined succeeds too.
    assert_eq!(d.emit("a", "crm:leave", join(Uuid::from_u128(0x5eed))).await, json!({ "success": true }));
}

/// A new Acme conversation with two sockets joined to it: `agent` (the live-chat seat) and
/// `watcher` (the admin).
async fn agent_and_watcher_in_room(server: &MockServer, d: &mut Driver) -> Uuid {
    let keys = server.keys();
    let (conv, _) = conversation(server, "acme");
    d.connect_key("agent", &keys.nextcap_crm_live_chat).await;
    d.connect_key("watcher", &keys.nextcap_crm_admin).await;
    d.emit("agent", "crm:join", join(conv)).await;
    d.emit("watcher", "crm:join", join(conv)).await;
    conv
}

#[tokio::test]
async fn crm_message_is_stored_as_an_agent_message_and_fanned_out_to_the_room() {
    let server = MockServer::start().await;
    let Some(mut d) = Driver::start(&server.url()).await else { return };
    let conv = agent_and_watcher_in_room(&server, &mut d).await;
    let ack = d.emit("agent", "crm:message", json!({ "conversationId": conv, "content": "On it!" })).await;
    assert_eq!(ack["success"], true, "{ack}");
    let message_id = ack["messageId"].as_str().expect("messageId").to_owned();
    for socket in ["agent", "watcher"] {
        let event = d.event(socket, "message:new").await;
        assert_eq!((event["id"].as_str(), event["role"].as_str()), (Some(message_id.as_str()), Some("agent")));
    }
    let messages = data_get(&server, &format!("/external/conversations/{conv}/messages")).await;
    let stored = messages["data"].as_array().expect("data").iter().find(|m| m["id"] == message_id.as_str()).cloned();
    let stored = stored.unwrap_or_else(|| panic!("the agent message is visible over REST: {messages}"));
    assert_eq!((stored["role"].as_str(), stored["content"].as_str()), (Some("agent"), Some("On it!")));
}

#[tokio::test]
async fn crm_typing_reaches_the_others_in_the_room_but_not_the_sender() {
    let server = MockServer::start().await;
    let Some(mut d) = Driver::start(&server.url()).await else { return };
    let conv = agent_and_watcher_in_room(&server, &mut d).await;
    assert_eq!(d.emit("agent", "crm:typing", join(conv)).await, json!({ "success": true }));
    let event = d.event("watcher", "typing").await;
    assert_eq!(
        (event["conversationId"].as_str(), event["role"].as_str()),
        (Some(conv.to_string().as_str()), Some("agent"))
    );
    assert!(event["identifier"].is_string(), "{event}");
    d.no_event("agent", QUIET).await;
}

#[tokio::test]
async fn join_is_held_to_the_organisation_the_widgets_and_view_own() {
    let server = MockServer::start().await;
    let Some(mut d) = Driver::start(&server.url()).await else { return };
    let (mine, widget) = conversation(&server, "acme");
    let (unassigned, _) = conversation(&server, "acme");
    let (globex, _) = conversation(&server, "globex");
    // A live-chat seat that sees only its own conversations, on one widget.
    let seat = NewApiOnlySeat {
        org: "acme".into(),
        name: "Olga Own".into(),
        role: "live_chat_viewer".into(),
        widget_ids: vec![widget],
        email: None,
    };
    let own = server.nextcap().create_api_only_seat(seat).expect("seat");
    let hand_off = HandOff { org: "acme".into(), conversation_id: Some(mine), assigned_agent_id: Some(own.seat.id) };
    server.nextcap().hand_off_conversation(hand_off).expect("hand off");
    d.connect_key("own", &own.key).await;
    assert_eq!(d.emit("own", "crm:join", join(mine)).await["success"], true);
    assert_eq!(code(&d.emit("own", "crm:join", join(unassigned)).await), "NOT_FOUND");
    assert_eq!(code(&d.emit("own", "crm:join", join(globex)).await), "NOT_FOUND");
    assert_eq!(code(&d.emit("own", "crm:join", join(Uuid::from_u128(0x5eed))).await), "NOT_FOUND");
    // The view-own seat cannot write: crm:message and crm:typing need live-chat:join.
    let message = json!({ "conversationId": mine, "content": "hi" });
    assert_eq!(code(&d.emit("own", "crm:message", message).await), "FORBIDDEN");
    assert_eq!(code(&d.emit("own", "crm:typing", join(mine)).await), "FORBIDDEN");

    // A full-view seat limited to another widget does not see this one's conversations.
    let conversations = data_get(&server, "/external/conversations?per_page=100").await;
    let elsewhere =
        conversations["data"].as_array().expect("data").iter().find(|c| c["agent_id"] != widget.to_string());
    let elsewhere: Uuid =
        elsewhere.and_then(|c| c["id"].as_str()).and_then(|id| id.parse().ok()).expect("another widget");
    let seat = NewApiOnlySeat {
        org: "acme".into(),
        name: "Walt Widget".into(),
        role: "live_chat_agent".into(),
        widget_ids: vec![widget],
        email: None,
    };
    let limited = server.nextcap().create_api_only_seat(seat).expect("seat");
    d.connect_key("limited", &limited.key).await;
    assert_eq!(d.emit("limited", "crm:join", join(unassigned)).await["success"], true);
    assert_eq!(code(&d.emit("limited", "crm:join", join(elsewhere)).await), "NOT_FOUND");
}

#[tokio::test]
async fn a_seat_with_conversations_view_but_not_live_chat_join_reads_but_cannot_write() {
    let server = MockServer::start().await;
    let Some(mut d) = Driver::start(&server.url()).await else { return };
    let (conv, widget) = conversation(&server, "acme");
    let seat = NewApiOnlySeat {
        org: "acme".into(),
        name: "Rita Read".into(),
        role: "agent".into(),
        widget_ids: vec![widget],
        email: None,
    };
    let reader = server.nextcap().create_api_only_seat(seat).expect("seat");
    d.connect_key("reader", &reader.key).await;
    assert_eq!(d.emit("reader", "crm:join", join(conv)).await["success"], true);
    let message = json!({ "conversationId": conv, "content": "hi" });
    assert_eq!(code(&d.emit("reader", "crm:message", message).await), "FORBIDDEN");
    assert_eq!(code(&d.emit("reader", "crm:typing", join(conv)).await), "FORBIDDEN");
    visitor_says(&server, conv, "still there?");
    assert_eq!(d.event("reader", "message:new").await["content"], "still there?");
}

#[tokio::test]
async fn bad_payloads_get_failure_acks_and_the_socket_stays() {
    let server = MockServer::start().await;
    let Some(mut d) = Driver::start(&server.url()).await else { return };
    let (conv, _) = conversation(&server, "acme");
    d.connect_key("a", &server.keys().nextcap_crm_live_chat).await;
    let long = "x".repeat(10_001);
    let cases = [
        ("crm:join", json!("not an object")),
        ("crm:join", json!(42)),
        ("crm:join", json!({})),
        ("crm:join", json!({ "conversationId": "" })),
        ("crm:join", json!({ "conversationId": "not-a-uuid" })),
        ("crm:leave", json!([conv])),
        ("crm:typing", json!({ "conversationId": 7 })),
        ("crm:message", json!({ "conversationId": conv })),
        ("crm:message", json!({ "conversationId": conv, "content": "  " })),
        ("crm:message", json!({ "conversationId": conv, "content": 5 })),
        ("crm:message", json!({ "conversationId": conv, "content": long })),
    ];
    for (event, payload) in cases {
        let ack = d.emit("a", event, payload.clone()).await;
        assert_eq!(code(&ack), "VALIDATION_ERROR", "{event} {payload}");
        assert!(ack["error"]["message"].as_str().is_some_and(|m| !m.is_empty()), "{ack}");
    }
    // No argument at all, and a content near Socket.IO's 1 MB frame limit: acks, no disconnect.
    assert_eq!(code(&d.emit_args("a", "crm:join", json!([])).await), "VALIDATION_ERROR");
    let huge = json!({ "conversationId": conv, "content": "y".repeat(900_000) });
    assert_eq!(code(&d.emit("a", "crm:message", huge).await), "VALIDATION_ERROR");
    assert_eq!(d.emit("a", "crm:join", join(conv)).await["success"], true, "the socket is still usable");
    assert_eq!(server.chat_sockets().len(), 1);
}
