//! Measures rust_socketio 0.6 (the Rust Socket.IO client the project's design names) against
//! the mock's `/crm-chat` namespace. Each test asserts the behaviour as observed, so the reasons
//! the SDK's live-chat client speaks the protocol itself (sdk/src/nextcap/chat/supervisor.rs)
//! stay checked: if a release fixes one, its test fails and the claim must go.

use std::{
    sync::{
        Arc,
        atomic::{AtomicUsize, Ordering},
    },
    time::Duration,
};

use deskapi_mock::MockServer;
use deskapi_mock::actions::nextcap::NewConversation;
use futures::FutureExt;
use rust_socketio::{
    Payload, TransportType,
    asynchronous::{Client, ClientBuilder},
};
use serde_json::json;

const NAMESPACE: &str = "/crm-chat";

fn builder(server: &MockServer, key: &str) -> ClientBuilder {
    ClientBuilder::new(server.url())
        .namespace(NAMESPACE)
        .auth(json!({ "apiKey": key }))
        .transport_type(TransportType::Websocket)
}

fn conversation(server: &MockServer) -> String {
    let input = NewConversation { org: "acme".into(), message: Some("Hello".into()), ..NewConversation::default() };
    server.nextcap().start_conversation(input).expect("start").id.to_string()
}

/// A callback that counts its calls.
fn counter()
-> (Arc<AtomicUsize>, impl FnMut(Payload, Client) -> futures::future::BoxFuture<'static, ()> + Send + Sync + 'static) {
    let count = Arc::new(AtomicUsize::new(0));
    let seen = count.clone();
    (count, move |_: Payload, _: Client| {
        seen.fetch_add(1, Ordering::SeqCst);
        async {}.boxed()
    })
}

/// Polls `check` every 10 ms for up to `within`.
async fn eventually(within: Duration, mut check: impl FnMut() -> bool) -> bool {
    let deadline = tokio::time::Instant::now() + within;
    while tokio::time::Instant::now() < deadline {
        if check() {
            return true;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    check()
}

/// Fault: `connect()` returns once the CONNECT packet is sent, not when the server answers it,
/// so a refused key "connects": the refusal only reaches an `error` callback later.
#[tokio::test]
async fn connect_returns_ok_for_a_key_the_namespace_refuses() {
    let server = MockServer::start().await;
    let (errors, on_error) = counter();
    let client = builder(&server, "nextcap_ck_unknown").on("error", on_error).connect().await;
    assert!(client.is_ok(), "connect() reports success for a refused key");
    assert!(
        eventually(Duration::from_secs(5), || errors.load(Ordering::SeqCst) > 0).await,
        "the CONNECT_ERROR arrives afterwards, as an error callback"
    );
    assert!(server.chat_sockets().is_empty(), "the namespace refused it: no socket");
}

/// Fault: an emit made right after `connect()` returns goes out before the namespace
/// handshake is answered; the server drops it (no ack ever comes). Measured: 19 and 20 of 20
/// on this mock; the same emit after the handshake is acknowledged.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_emit_right_after_connect_can_be_dropped() {
    let server = MockServer::start().await;
    let key = server.keys().nextcap_crm_live_chat.clone();
    let conv = conversation(&server);
    let mut acks = Vec::new();
    for _ in 0..TRIES {
        let client = builder(&server, &key).connect().await.expect("connect");
        let (count, on_ack) = counter();
        client
            .emit_with_ack("crm:join", json!({ "conversationId": conv }), Duration::from_secs(5), on_ack)
            .await
            .expect("emit");
        acks.push(count);
        pending_clients_keep(client);
    }
    let all_answered = eventually(Duration::from_secs(3), || acks.iter().all(|c| c.load(Ordering::SeqCst) == 1)).await;
    let dropped = acks.iter().filter(|c| c.load(Ordering::SeqCst) == 0).count();
    eprintln!("emits right after connect with no ack: {dropped} of {TRIES}");
    assert!(!all_answered && dropped > 0, "some emits right after connect are never acknowledged");

    // The control: the same emit once the namespace handshake is done is acknowledged.
    let before = server.chat_sockets().len();
    let client = builder(&server, &key).connect().await.expect("connect");
    assert!(eventually(Duration::from_secs(5), || server.chat_sockets().len() > before).await, "connected");
    let (count, on_ack) = counter();
    client
        .emit_with_ack("crm:join", json!({ "conversationId": conv }), Duration::from_secs(5), on_ack)
        .await
        .expect("emit");
    assert!(
        eventually(Duration::from_secs(5), || count.load(Ordering::SeqCst) == 1).await,
        "acknowledged after the handshake"
    );
}

const TRIES: usize = 20;

fn pending_clients_keep(client: Client) {
    // Keep each client alive past the test's checks (dropping it would not close it anyway).
    std::mem::forget(client);
}

/// Fault: after a server-side disconnect (the mock's chat control drops the socket, as a
/// load balancer or a server restart would) the client does not come back, neither by
/// default nor with `reconnect_on_disconnect(true)`.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_server_side_disconnect_is_not_followed_by_a_reconnect() {
    for reconnect_on_disconnect in [false, true] {
        let server = MockServer::start().await;
        let key = server.keys().nextcap_crm_live_chat.clone();
        let client = builder(&server, &key)
            .reconnect(true)
            .reconnect_on_disconnect(reconnect_on_disconnect)
            .reconnect_delay(10, 100)
            .connect()
            .await
            .expect("connect");
        assert!(eventually(Duration::from_secs(5), || server.chat_sockets().len() == 1).await, "connected");
        assert_eq!(server.disconnect_chat(None).expect("disconnect"), 1);
        let back = eventually(Duration::from_secs(3), || server.chat_sockets().len() == 1).await;
        eprintln!("reconnect_on_disconnect({reconnect_on_disconnect}): back within 3 s: {back}");
        assert!(!back, "reconnect_on_disconnect({reconnect_on_disconnect}): no socket comes back");
        drop(client);
    }
}

/// Fault: an ack that never comes is never reported. `emit_with_ack`'s timeout only discards
/// a late answer; the caller gets neither the callback nor an error, so a call without an
/// answer hangs unless the caller runs its own timer.
#[tokio::test]
async fn a_missing_ack_is_reported_to_nobody() {
    let server = MockServer::start().await;
    let key = server.keys().nextcap_crm_live_chat.clone();
    let (errors, on_error) = counter();
    let client = builder(&server, &key).on("error", on_error).connect().await.expect("connect");
    assert!(eventually(Duration::from_secs(5), || server.chat_sockets().len() == 1).await, "connected");
    let (acks, on_ack) = counter();
    // An event the server has no handler for, so it never acknowledges it.
    let sent = client.emit_with_ack("crm:unknown", json!({}), Duration::from_millis(100), on_ack).await;
    assert!(sent.is_ok(), "the emit itself succeeds");
    tokio::time::sleep(Duration::from_secs(1)).await; // ten times the ack timeout
    assert_eq!(
        (acks.load(Ordering::SeqCst), errors.load(Ordering::SeqCst)),
        (0, 0),
        "past its timeout the ack is neither called nor reported as an error"
    );
}
