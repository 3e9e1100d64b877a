//! End to end: the live-chat client's exactly-once `message:new` across forced disconnects.
//! A visitor sends 500 messages through the mock's control action while the chat control drops
//! the agent's socket 10 times, each drop while messages keep coming; the client's stream must
//! yield exactly those 500 message IDs, none lost, none repeated, in the order they were sent.

use std::sync::{
    Arc,
    atomic::{AtomicUsize, Ordering},
};
use std::time::Duration;

use deskapi::nextcap::ConversationId;
use deskapi::nextcap::chat::{ChatClient, ChatConfig, ChatError, ChatEvent};
use deskapi_mock::MockServer;
use deskapi_mock::actions::nextcap::{NewConversation, VisitorMessage};
use futures::StreamExt;

const MESSAGES: usize = 500;
const DROPS: usize = 10;
/// The agent seat of the `nextcap_crm_live_chat` demo key.
const SEAT: &str = "Liam Chat";
/// Generous: the run takes a few seconds on a loaded machine; this only stops a hung test.
const DEADLINE: Duration = Duration::from_secs(120);

fn conversation(server: &MockServer) -> ConversationId {
    let input = NewConversation { org: "acme".into(), message: Some("Hello".into()), ..NewConversation::default() };
    server.nextcap().start_conversation(input).expect("start").id.to_string().into()
}

fn visitor_says(server: &MockServer, id: &ConversationId, content: String) -> String {
    let input =
        VisitorMessage { org: "acme".into(), conversation_id: Some(id.as_str().parse().expect("uuid")), content };
    server.nextcap().send_visitor_message(input).expect("send-message").id.to_string()
}

/// Polls until the seat's socket is back with the room joined again (or the deadline).
async fn until_rejoined(server: &MockServer, room: &str) {
    let deadline = tokio::time::Instant::now() + DEADLINE;
    loop {
        let sockets = server.chat_sockets();
        if sockets.iter().any(|s| s.rooms.iter().any(|r| r == room)) {
            return;
        }
        assert!(tokio::time::Instant::now() < deadline, "the client did not come back: {sockets:?}");
        tokio::time::sleep(Duration::from_millis(2)).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn five_hundred_messages_over_ten_drops_arrive_once_each_in_order() {
    let server = Arc::new(MockServer::start().await);
    let key = server.keys().nextcap_crm_live_chat.clone();
    let conv = conversation(&server);
    let config = ChatConfig::new(key.as_str())
        .base_url(&server.url())
        .expect("mock URL")
        .rest_base_url(&server.nextcap_url())
        .expect("mock REST URL")
        .reconnect_backoff(Duration::from_millis(10), Duration::from_millis(100))
        .ack_timeout(Duration::from_secs(3))
        .connect_timeout(Duration::from_secs(5));
    let (chat, mut events) = ChatClient::connect(config).await.expect("connect");
    chat.join(&conv).await.expect("join");

    let sent = Arc::new(AtomicUsize::new(0));
    let dropped = Arc::new(AtomicUsize::new(0));

    // The visitor: 500 messages; after each drop's threshold it keeps sending 10 more before it
    // waits for that drop, so every drop has messages sent while the client is away.
    let visitor = {
        let (server, conv, sent, dropped) = (server.clone(), conv.clone(), sent.clone(), dropped.clone());
        tokio::spawn(async move {
            let mut ids = Vec::with_capacity(MESSAGES);
            for i in 0..MESSAGES {
                let due = (i / (MESSAGES / (DROPS + 1))).min(DROPS);
                while i % (MESSAGES / (DROPS + 1)) == 10 && dropped.load(Ordering::SeqCst) < due {
                    tokio::time::sleep(Duration::from_millis(1)).await;
                }
                ids.push(visitor_says(&server, &conv, format!("visitor message {i}")));
                sent.store(i + 1, Ordering::SeqCst);
                tokio::task::yield_now().await;
            }
            ids
        })
    };

    // The network: 10 drops of the agent's socket, spread over the run at every 45th message.
    let network = {
        let (server, room, sent, dropped) = (server.clone(), conv.as_str().to_owned(), sent.clone(), dropped.clone());
        tokio::spawn(async move {
            for k in 1..=DROPS {
                while sent.load(Ordering::SeqCst) < k * (MESSAGES / (DROPS + 1)) {
                    tokio::time::sleep(Duration::from_millis(1)).await;
                }
                until_rejoined(&server, &room).await;
                assert_eq!(server.disconnect_chat(Some(SEAT)).expect("disconnect"), 1, "drop {k} finds the socket");
                dropped.store(k, Ordering::SeqCst);
            }
        })
    };

    let expected = tokio::time::timeout(DEADLINE, visitor).await.expect("visitor in time").expect("visitor task");
    tokio::time::timeout(DEADLINE, network).await.expect("drops in time").expect("network task");
    // A last message once the client is back after the last drop: once it is read, everything
    // before it has been yielded.
    until_rejoined(&server, conv.as_str()).await;
    let sentinel = visitor_says(&server, &conv, "the end".into());

    let mut received = Vec::new();
    let mut reconnects = 0;
    let collect = async {
        while let Some(event) = events.next().await {
            match event.expect("no stream error") {
                ChatEvent::Message(m) if m.id.as_str() == sentinel => return true,
                ChatEvent::Message(m) => received.push(m.id.as_str().to_owned()),
                ChatEvent::Reconnected { .. } => reconnects += 1,
                ChatEvent::RejoinFailed { error, .. } => panic!("re-join refused: {error}"),
                _ => {}
            }
        }
        false
    };
    // A stall (a lost message never arrives, nor does the sentinel behind it) is reported as
    // the messages it lost, below.
    let finished = tokio::time::timeout(DEADLINE, collect).await.unwrap_or(false);

    assert_eq!(reconnects, DROPS, "one reconnect per drop");
    let mut unique = received.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(received.len() - unique.len(), 0, "duplicates delivered");
    let lost: Vec<_> = expected.iter().filter(|id| !received.contains(id)).collect();
    assert!(lost.is_empty(), "{} of {MESSAGES} lost: {lost:?}", lost.len());
    assert_eq!(received, expected, "exactly the 500 visitor messages, in the order sent");
    assert!(finished, "the last message arrived after the others");
    chat.send(&conv, "all caught up").await.expect("the client still works");
}

/// A client whose catch-up goes through a CRM client that never retries, so each REST failure
/// reaches the supervisor.
async fn no_retry_client(server: &MockServer) -> (ChatClient, deskapi::nextcap::chat::ChatEvents) {
    let key = server.keys().nextcap_crm_live_chat.clone();
    let crm = deskapi::NextCapCrmClient::builder(key.as_str())
        .base_url(server.nextcap_url())
        .retry_policy(deskapi::RetryPolicy::none())
        .build()
        .expect("CRM client");
    let config = ChatConfig::new(key.as_str())
        .base_url(&server.url())
        .expect("mock URL")
        .crm_client(crm)
        .reconnect_backoff(Duration::from_millis(10), Duration::from_millis(50));
    let (chat, mut events) = ChatClient::connect(config).await.expect("connect");
    assert_eq!(next(&mut events).await, ChatEvent::Connected);
    (chat, events)
}

async fn next(events: &mut deskapi::nextcap::chat::ChatEvents) -> ChatEvent {
    tokio::time::timeout(DEADLINE, events.next()).await.expect("in time").expect("open").expect("no error")
}

fn messages_answered(server: &MockServer, status: u16) -> usize {
    let listing = |r: &&deskapi_mock::JournalEntry| r.operation_id.as_deref() == Some("listCrmConversationMessages");
    server.requests().iter().filter(listing).filter(|r| r.status == status).count()
}

#[tokio::test]
async fn a_failed_catch_up_reconnects_and_retries_from_the_same_start() {
    let server = MockServer::start().await;
    let conv = conversation(&server);
    let (chat, mut events) = no_retry_client(&server).await;
    chat.join(&conv).await.expect("join");
    let first = visitor_says(&server, &conv, "before the drop".into());
    assert!(matches!(next(&mut events).await, ChatEvent::Message(m) if m.id.as_str() == first));

    // The next three catch-ups fail; the messages sent meanwhile must still come, once each.
    let fault = deskapi_mock::Fault::status(503).operation("listCrmConversationMessages").times(3);
    server.add_fault(fault);
    assert_eq!(server.disconnect_chat(Some(SEAT)).expect("disconnect"), 1);
    let missed: Vec<String> = (0..3).map(|i| visitor_says(&server, &conv, format!("while away {i}"))).collect();
    until_rejoined(&server, conv.as_str()).await;
    let last = visitor_says(&server, &conv, "after".into());

    let mut received = Vec::new();
    let mut reconnected = 0;
    while received.last() != Some(&last) {
        match next(&mut events).await {
            ChatEvent::Message(m) => received.push(m.id.as_str().to_owned()),
            ChatEvent::Reconnected { .. } => reconnected += 1,
            _ => {}
        }
    }
    let expected: Vec<String> = missed.into_iter().chain([last]).collect();
    assert_eq!(received, expected, "missed messages once each, in order");
    assert_eq!(reconnected, 1, "failed attempts are not reported as reconnects");
    assert_eq!(messages_answered(&server, 503), 3, "three catch-ups failed before one succeeded");
}

#[tokio::test]
async fn a_conversation_the_rest_api_refuses_after_a_drop_is_reported_and_left() {
    let server = MockServer::start().await;
    let conv = conversation(&server);
    let (chat, mut events) = no_retry_client(&server).await;
    chat.join(&conv).await.expect("join");
    server.add_fault(deskapi_mock::Fault::status(404).operation("listCrmConversationMessages"));
    assert_eq!(server.disconnect_chat(Some(SEAT)).expect("disconnect"), 1);
    assert!(matches!(next(&mut events).await, ChatEvent::Disconnected { .. }));
    match next(&mut events).await {
        ChatEvent::RejoinFailed { conversation_id, error: ChatError::Rest { status, .. } } => {
            assert_eq!((conversation_id, status), (conv.clone(), Some(404)));
        }
        other => panic!("expected RejoinFailed with the REST refusal, got {other:?}"),
    }
    assert_eq!(next(&mut events).await, ChatEvent::Reconnected { attempt: 1 });
    // The socket left the room it had re-joined.
    let deadline = tokio::time::Instant::now() + DEADLINE;
    while server.chat_sockets().iter().any(|s| !s.rooms.is_empty()) {
        assert!(tokio::time::Instant::now() < deadline, "still in the room: {:?}", server.chat_sockets());
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
}
