//! End to end: the SDK's live-chat client (`deskapi::nextcap::chat`) against the mock's
//! `/crm-chat` namespace: refusals, every client call allowed and refused, typed server
//! events, and the supervised reconnect that joins its rooms again.

use std::time::Duration;

use deskapi::nextcap::chat::{ChatClient, ChatConfig, ChatError, ChatEvent, ChatEvents, TypingRole};
use deskapi::nextcap::{ConversationId, MessageRole};
use deskapi_mock::MockServer;
use deskapi_mock::actions::nextcap::{NewConversation, RevokeCrmKey, VisitorMessage, VisitorTyping};
use futures::StreamExt;

const WAIT: Duration = Duration::from_secs(10);

fn config(server: &MockServer, key: &str) -> ChatConfig {
    ChatConfig::new(key)
        .base_url(&server.url())
        .expect("mock URL")
        .rest_base_url(&server.nextcap_url())
        .expect("mock REST URL")
        .reconnect_backoff(Duration::from_millis(20), Duration::from_millis(200))
}

async fn connect(server: &MockServer, key: &str) -> (ChatClient, ChatEvents) {
    let (chat, mut events) = ChatClient::connect(config(server, key)).await.expect("connect");
    assert_eq!(next(&mut events).await, ChatEvent::Connected);
    (chat, events)
}

/// A new Acme conversation with two sockets joined to it: the live-chat seat (the agent) and
/// the admin (a watcher).
async fn agent_and_watcher_in_room(
    server: &MockServer,
) -> (ConversationId, (ChatClient, ChatEvents), (ChatClient, ChatEvents)) {
    let keys = server.keys();
    let conv = conversation(server, "acme");
    let agent = connect(server, &keys.nextcap_crm_live_chat).await;
    let watcher = connect(server, &keys.nextcap_crm_admin).await;
    agent.0.join(&conv).await.expect("join");
    watcher.0.join(&conv).await.expect("join");
    (conv, agent, watcher)
}

async fn next(events: &mut ChatEvents) -> ChatEvent {
    tokio::time::timeout(WAIT, events.next()).await.expect("an event in time").expect("stream open").expect("no error")
}

fn conversation(server: &MockServer, org: &str) -> ConversationId {
    let input = NewConversation { org: org.into(), message: Some("Hello".into()), ..NewConversation::default() };
    server.nextcap().start_conversation(input).expect("start").id.to_string().into()
}

fn visitor_says(server: &MockServer, id: &ConversationId, content: &str) {
    let input = VisitorMessage {
        org: "acme".into(),
        conversation_id: Some(id.as_str().parse().expect("uuid")),
        content: content.into(),
    };
    server.nextcap().send_visitor_message(input).expect("send-message");
}

#[tokio::test]
async fn refused_keys_fail_connect_with_their_code() {
    let server = MockServer::start().await;
    let keys = server.keys().clone();
    for (key, code) in [
        ("nextcap_ck_unknown", "UNAUTHORIZED"),
        (keys.nextcap_data.as_str(), "UNAUTHORIZED"),
        (keys.nextcap_crm_deactivated.as_str(), "UNAUTHORIZED"),
        (keys.nextcap_crm_ticketing.as_str(), "FORBIDDEN"),
    ] {
        match ChatClient::connect(config(&server, key)).await {
            Err(ChatError::Refused { code: got, .. }) => assert_eq!(got, code, "{key}"),
            other => panic!("{key}: expected a refusal, got {other:?}"),
        }
    }
}

#[tokio::test]
async fn join_send_typing_and_leave_with_typed_events() {
    let server = MockServer::start().await;
    let (conv, (agent, mut agent_events), (watcher, mut watcher_events)) = agent_and_watcher_in_room(&server).await;

    visitor_says(&server, &conv, "Where is my order?");
    for events in [&mut agent_events, &mut watcher_events] {
        let ChatEvent::Message(m) = next(events).await else { panic!("message:new") };
        assert_eq!(
            (m.conversation_id.as_str(), m.role.clone(), m.content.as_str()),
            (conv.as_str(), MessageRole::User, "Where is my order?")
        );
    }

    let sent = agent.send(&conv, "Let me check").await.expect("send");
    for events in [&mut agent_events, &mut watcher_events] {
        let ChatEvent::Message(m) = next(events).await else { panic!("message:new") };
        assert_eq!((m.id.clone(), m.role.clone()), (sent.clone(), MessageRole::Agent));
    }

    agent.typing(&conv).await.expect("typing");
    let ChatEvent::Typing(t) = next(&mut watcher_events).await else { panic!("typing") };
    assert_eq!(t.role, TypingRole::Agent);

    let typing = VisitorTyping {
        org: "acme".into(),
        conversation_id: Some(conv.as_str().parse().expect("uuid")),
        content: Some("hm".into()),
    };
    server.nextcap().visitor_typing(typing).expect("visitor-typing");
    assert!(matches!(next(&mut agent_events).await, ChatEvent::Typing(t) if t.role == TypingRole::Visitor));
    assert!(matches!(next(&mut agent_events).await, ChatEvent::TypingContent(c) if c.content == "hm"));
    assert!(matches!(next(&mut watcher_events).await, ChatEvent::Typing(t) if t.role == TypingRole::Visitor));
    assert!(matches!(next(&mut watcher_events).await, ChatEvent::TypingContent(_)));

    watcher.leave(&conv).await.expect("leave");
    visitor_says(&server, &conv, "Hello?");
    assert!(matches!(next(&mut agent_events).await, ChatEvent::Message(m) if m.content == "Hello?"));
    let quiet = tokio::time::timeout(Duration::from_millis(300), watcher_events.next()).await;
    assert!(quiet.is_err(), "a left room sends nothing: {quiet:?}");
}

#[tokio::test]
async fn refused_calls_are_typed_and_checked_before_sending() {
    let server = MockServer::start().await;
    let keys = server.keys().clone();
    let globex = conversation(&server, "globex");
    let (chat, _events) = connect(&server, &keys.nextcap_crm_live_chat).await;
    match chat.join(&globex).await {
        Err(ChatError::Rejected { event, code, .. }) => {
            assert_eq!((event.as_str(), code.as_str()), ("crm:join", "NOT_FOUND"))
        }
        other => panic!("expected NOT_FOUND, got {other:?}"),
    }
    assert!(matches!(chat.join(&"".into()).await, Err(ChatError::InvalidArgument { .. })));
    let conv = conversation(&server, "acme");
    assert!(matches!(chat.send(&conv, "  ").await, Err(ChatError::InvalidArgument { .. })));
    assert!(matches!(chat.send(&conv, &"x".repeat(10_001)).await, Err(ChatError::InvalidArgument { .. })));
}

#[tokio::test]
async fn a_dropped_connection_reconnects_and_joins_its_rooms_again() {
    let server = MockServer::start().await;
    let keys = server.keys().clone();
    let conv = conversation(&server, "acme");
    let (chat, mut events) = connect(&server, &keys.nextcap_crm_live_chat).await;
    chat.join(&conv).await.expect("join");
    for round in 1..=3 {
        assert_eq!(server.disconnect_chat(Some("Liam Chat")).expect("disconnect"), 1);
        assert!(matches!(next(&mut events).await, ChatEvent::Disconnected { .. }));
        assert_eq!(next(&mut events).await, ChatEvent::Reconnected { attempt: round });
        let rooms: Vec<Vec<String>> = server.chat_sockets().into_iter().map(|s| s.rooms).collect();
        assert_eq!(rooms, [vec![conv.as_str().to_owned()]], "the room is joined again");
        visitor_says(&server, &conv, &format!("after drop {round}"));
        assert!(matches!(next(&mut events).await, ChatEvent::Message(m) if m.content == format!("after drop {round}")));
    }
    chat.send(&conv, "still here").await.expect("calls work after reconnects");
}

#[tokio::test]
async fn a_revoked_key_ends_the_stream_with_the_refusal() {
    let server = MockServer::start().await;
    let keys = server.keys().clone();
    let (chat, mut events) = connect(&server, &keys.nextcap_crm_admin).await;
    server.nextcap().revoke_crm_key(RevokeCrmKey { key: keys.nextcap_crm_admin.clone() }).expect("revoke");
    assert!(matches!(next(&mut events).await, ChatEvent::Disconnected { .. }));
    let end = tokio::time::timeout(WAIT, events.next()).await.expect("in time");
    assert!(matches!(end, Some(Err(ChatError::Refused { ref code, .. })) if code == "UNAUTHORIZED"), "{end:?}");
    assert!(tokio::time::timeout(WAIT, events.next()).await.expect("in time").is_none(), "the stream ends");
    assert!(matches!(chat.typing(&"c".into()).await, Err(ChatError::Closed | ChatError::NotConnected)));
}

#[tokio::test]
async fn rest_assign_and_resolve_reach_the_rooms_sockets() {
    let server = MockServer::start().await;
    let keys = server.keys().clone();
    let (conv, (_agent, mut agent_events), (_watcher, mut watcher_events)) = agent_and_watcher_in_room(&server).await;

    let crm = deskapi::NextCapCrmClient::builder(keys.nextcap_crm_admin.as_str())
        .base_url(server.nextcap_url())
        .build()
        .expect("CRM client");
    let admin = crm.members().by_email("ada.admin@acme.example").await.expect("the admin seat");
    crm.conversations().assign(&conv, &admin.id).await.expect("assign");
    for events in [&mut agent_events, &mut watcher_events] {
        let ChatEvent::AgentAssigned(a) = next(events).await else { panic!("agent:assigned") };
        assert_eq!((a.conversation_id.as_str(), a.agent_user_id.as_str()), (conv.as_str(), admin.id.as_str()));
    }
    let resolved = crm.conversations().resolve(&conv).await.expect("resolve");
    for events in [&mut agent_events, &mut watcher_events] {
        let ChatEvent::ConversationResolved(r) = next(events).await else { panic!("conversation:resolved") };
        assert_eq!(r.conversation_id, conv);
        assert_eq!(Some(r.timestamp), resolved.resolved_at, "the event carries the resolution time");
    }
}
