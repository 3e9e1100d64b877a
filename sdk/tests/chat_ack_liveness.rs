//! The live-chat client treats a client event left without its ack past the ack timeout as a
//! lost connection: against a Socket.IO server that accepts the namespace and then answers
//! pings but never acknowledges anything (a namespace gone while its Engine.IO session lives
//! on), the call fails with `AckTimeout`, the stream yields `Disconnected`, and the client
//! connects again.

#![cfg(feature = "chat")]

use std::time::Duration;

use deskapi::nextcap::chat::{ChatClient, ChatConfig, ChatError, ChatEvent};
use futures::{SinkExt, StreamExt};
use tokio::net::TcpListener;
use tokio::sync::mpsc;
use tokio_tungstenite::tungstenite::Message as Frame;

/// Accepts WebSocket connections, opens each namespace and then ignores every event; reports
/// each accepted namespace connection.
async fn deaf_server(listener: TcpListener, connected: mpsc::UnboundedSender<()>) {
    loop {
        let Ok((stream, _)) = listener.accept().await else { return };
        let connected = connected.clone();
        tokio::spawn(async move {
            let mut ws = tokio_tungstenite::accept_async(stream).await.expect("websocket");
            let open = r#"0{"sid":"s1","upgrades":[],"pingInterval":25000,"pingTimeout":20000,"maxPayload":1000000}"#;
            ws.send(Frame::text(open)).await.expect("open");
            while let Some(Ok(frame)) = ws.next().await {
                if let Frame::Text(text) = frame
                    && text.as_str().starts_with("40/crm-chat,")
                {
                    ws.send(Frame::text(r#"40/crm-chat,{"sid":"n1"}"#)).await.expect("connect");
                    let _ = connected.send(());
                }
            }
        });
    }
}

#[tokio::test]
async fn an_event_without_its_ack_past_the_timeout_reconnects() {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let url = format!("http://{}", listener.local_addr().expect("addr"));
    let (connected_tx, mut connected) = mpsc::unbounded_channel();
    tokio::spawn(deaf_server(listener, connected_tx));

    let config = ChatConfig::new("nextcap_ck_test")
        .base_url(&url)
        .expect("url")
        .ack_timeout(Duration::from_millis(200))
        .reconnect_backoff(Duration::from_millis(10), Duration::from_millis(50));
    let (chat, mut events) = ChatClient::connect(config).await.expect("connect");
    let wait = Duration::from_secs(10);
    connected.recv().await.expect("first connection");
    assert_eq!(
        tokio::time::timeout(wait, events.next()).await.expect("in time").expect("open"),
        Ok(ChatEvent::Connected)
    );

    let call = chat.typing(&"c1".into()).await;
    assert_eq!(call, Err(ChatError::AckTimeout(Duration::from_millis(200))));
    let dropped = tokio::time::timeout(wait, events.next()).await.expect("in time").expect("open");
    assert!(
        matches!(&dropped, Ok(ChatEvent::Disconnected { reason }) if reason.contains("acknowledgement")),
        "{dropped:?}"
    );
    tokio::time::timeout(wait, connected.recv()).await.expect("a new connection in time").expect("open");
    let back = tokio::time::timeout(wait, events.next()).await.expect("in time").expect("open");
    assert_eq!(back, Ok(ChatEvent::Reconnected { attempt: 1 }));
}
