//! Next Cap live chat: the CRM Integration API's real-time half, over Socket.IO v4 (namespace
//! `/crm-chat`, WebSocket transport; nextcap-crm-integration.txt "Live Chat", contract
//! `openapi/nextcap-chat.yaml`).
//!
//! [`ChatClient::connect`] opens the namespace with a CRM key (`nextcap_ck_...`) and returns
//! the handle and a [`ChatEvents`] stream. The handle's calls ([`join`](ChatClient::join),
//! [`leave`](ChatClient::leave), [`send`](ChatClient::send), [`typing`](ChatClient::typing))
//! each await the server's acknowledgement within the configured timeout and turn it into a
//! typed result. The stream yields every server event as a typed [`ChatEvent`], plus the
//! connection's own changes.
//!
//! # What is guaranteed across drops
//! A background task supervises the connection: when it drops (network, server-side
//! disconnect, or no ping within ping interval + timeout) it yields
//! [`ChatEvent::Disconnected`], reconnects with exponential backoff and jitter, joins again
//! every room joined before, and then yields [`ChatEvent::Reconnected`]. A refusal of the key
//! (revoked, seat deactivated) ends the stream with [`ChatError::Refused`].
//!
//! Within one connection, events arrive once each and in the server's order. Events the server
//! emitted while the connection was down are **not** replayed: after `Reconnected`, fetch what
//! you missed over REST (the CRM API's conversation messages). Calls made while it is down fail
//! at once with [`ChatError::NotConnected`].
//!
//! ```no_run
//! # async fn demo() -> Result<(), deskapi::nextcap::chat::ChatError> {
//! use deskapi::nextcap::chat::{ChatClient, ChatConfig, ChatEvent};
//! use futures::StreamExt;
//!
//! let config = ChatConfig::new("nextcap_ck_...");
//! let (chat, mut events) = ChatClient::connect(config).await?;
//! chat.join(&"5b1f0b8e-2f4d-4a8e-9f0e-6c2b9d7e4a31".into()).await?;
//! while let Some(event) = events.next().await {
//!     if let ChatEvent::Message(m) = event? {
//!         if m.role.as_str() == "user" {
//!             chat.send(&m.conversation_id, "Thanks, looking into it").await?;
//!         }
//!     }
//! }
//! # Ok(()) }
//! ```

mod error;
mod events;
mod protocol;
mod supervisor;

use std::{
    pin::Pin,
    task::{Context, Poll},
    time::Duration,
};

use serde_json::{Value, json};
use tokio::sync::{mpsc, oneshot};

pub use error::ChatError;
pub use events::{
    AgentAssigned, ChatEvent, ConversationResolved, FeedbackReceived, NewMessage, TicketCreated, Typing, TypingContent,
    TypingRole,
};

use crate::{
    core::secret::ApiKey,
    nextcap::{ConversationId, MessageId},
};
use supervisor::{Call, Room};

/// The Socket.IO namespace.
pub const NAMESPACE: &str = "/crm-chat";

/// The production host (`wss://api.nextcap.ai/socket.io/`).
pub const NEXTCAP_CHAT_URL: &str = "https://api.nextcap.ai";

/// The longest message `send` accepts, in characters (the server's limit).
pub const MAX_CONTENT: usize = 10_000;

/// How to connect: the key, the host, the timeouts and the reconnect backoff.
#[derive(Clone, Debug)]
pub struct ChatConfig {
    api_key: ApiKey,
    base_url: url::Url,
    ack_timeout: Duration,
    connect_timeout: Duration,
    reconnect_initial: Duration,
    reconnect_max: Duration,
}

impl ChatConfig {
    /// A configuration for the CRM key `api_key` (`nextcap_ck_...`) against production, with
    /// 10 s ack and connect timeouts and reconnects backing off from 100 ms to 5 s.
    pub fn new(api_key: impl Into<ApiKey>) -> ChatConfig {
        ChatConfig {
            api_key: api_key.into(),
            base_url: url::Url::parse(NEXTCAP_CHAT_URL).unwrap_or_else(|_| unreachable!("a valid constant URL")),
            ack_timeout: Duration::from_secs(10),
            connect_timeout: Duration::from_secs(10),
            reconnect_initial: Duration::from_millis(100),
            reconnect_max: Duration::from_secs(5),
        }
    }

    /// The host to connect to, as `http(s)://HOST[:PORT]` or `ws(s)://...` (the mock's
    /// `server.url()`); the path is always `/socket.io/`. Errors on another scheme or no host.
    pub fn base_url(mut self, url: &str) -> Result<ChatConfig, ChatError> {
        let invalid = |message: String| ChatError::InvalidArgument { name: "base_url".into(), message };
        let parsed = url::Url::parse(url).map_err(|e| invalid(e.to_string()))?;
        protocol::websocket_url(&parsed).map_err(invalid)?;
        self.base_url = parsed;
        Ok(self)
    }

    /// How long each call waits for its acknowledgement (default 10 s).
    pub fn ack_timeout(mut self, timeout: Duration) -> ChatConfig {
        self.ack_timeout = timeout;
        self
    }

    /// How long a connection may take, WebSocket and namespace handshake included (default 10 s).
    pub fn connect_timeout(mut self, timeout: Duration) -> ChatConfig {
        self.connect_timeout = timeout;
        self
    }

    /// The reconnect backoff: the first delay and the cap it doubles up to (defaults 100 ms
    /// and 5 s); each delay is jittered to between half and all of it.
    pub fn reconnect_backoff(mut self, initial: Duration, max: Duration) -> ChatConfig {
        self.reconnect_initial = initial;
        self.reconnect_max = max.max(initial);
        self
    }
}

/// A connected live-chat client. Cheap to share by reference; dropping it (and its
/// [`ChatEvents`]) stops the background task and closes the connection.
#[derive(Debug)]
pub struct ChatClient {
    calls: mpsc::UnboundedSender<Call>,
    ack_timeout: Duration,
}

/// The stream of live-chat events (`futures::Stream<Item = Result<ChatEvent, ChatError>>`).
/// An `Err` is final: the server refused the key on a reconnect; the stream ends after it.
#[derive(Debug)]
pub struct ChatEvents {
    events: mpsc::UnboundedReceiver<Result<ChatEvent, ChatError>>,
}

impl futures::Stream for ChatEvents {
    type Item = Result<ChatEvent, ChatError>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.events.poll_recv(cx)
    }
}

impl ChatClient {
    /// Connects and waits for the namespace handshake. The first item of the stream is
    /// [`ChatEvent::Connected`].
    ///
    /// Errors: [`ChatError::Refused`] when the server refuses the key (not retried),
    /// [`ChatError::Connect`] when the server cannot be reached or the handshake times out.
    ///
    /// ```no_run
    /// # async fn demo() -> Result<(), deskapi::nextcap::chat::ChatError> {
    /// use deskapi::nextcap::chat::{ChatClient, ChatConfig};
    /// let config = ChatConfig::new("nextcap_ck_...").base_url("http://127.0.0.1:4010")?;
    /// let (chat, events) = ChatClient::connect(config).await?;
    /// # let _ = (chat, events);
    /// # Ok(()) }
    /// ```
    pub async fn connect(config: ChatConfig) -> Result<(ChatClient, ChatEvents), ChatError> {
        let first = supervisor::open(&config).await?;
        let (calls, calls_rx) = mpsc::unbounded_channel();
        let (events_tx, events) = mpsc::unbounded_channel();
        let ack_timeout = config.ack_timeout;
        tokio::spawn(supervisor::run(config, first, calls_rx, events_tx));
        Ok((ChatClient { calls, ack_timeout }, ChatEvents { events }))
    }

    async fn call(&self, event: &'static str, payload: Value, room: Room) -> Result<Value, ChatError> {
        let (reply, answer) = oneshot::channel();
        self.calls.send(Call { event, payload, room, reply }).map_err(|_| ChatError::Closed)?;
        let ack = tokio::time::timeout(self.ack_timeout, answer)
            .await
            .map_err(|_| ChatError::AckTimeout(self.ack_timeout))?;
        ack_result(event, ack.map_err(|_| ChatError::Closed)??)
    }

    /// `crm:join`: receive the conversation's events from now on; the room is joined again
    /// after every reconnect. Needs `conversations:view` (or `conversations:view-own` for a
    /// conversation assigned to the seat).
    ///
    /// Errors: [`ChatError::Rejected`] (`NOT_FOUND`, `FORBIDDEN`, ...), [`ChatError::AckTimeout`],
    /// [`ChatError::NotConnected`], [`ChatError::InvalidArgument`] for an empty ID.
    ///
    /// ```no_run
    /// # async fn demo(chat: deskapi::nextcap::chat::ChatClient) -> Result<(), deskapi::nextcap::chat::ChatError> {
    /// chat.join(&"5b1f0b8e-2f4d-4a8e-9f0e-6c2b9d7e4a31".into()).await?;
    /// # Ok(()) }
    /// ```
    #[doc(alias = "crm:join")]
    pub async fn join(&self, conversation: &ConversationId) -> Result<(), ChatError> {
        let id = conversation_id(conversation)?;
        self.call("crm:join", json!({ "conversationId": id }), Room::Join(id.to_owned())).await.map(drop)
    }

    /// `crm:leave`: stop receiving the conversation's events (also after reconnects).
    ///
    /// ```no_run
    /// # async fn demo(chat: deskapi::nextcap::chat::ChatClient) -> Result<(), deskapi::nextcap::chat::ChatError> {
    /// chat.leave(&"5b1f0b8e-2f4d-4a8e-9f0e-6c2b9d7e4a31".into()).await?;
    /// # Ok(()) }
    /// ```
    #[doc(alias = "crm:leave")]
    pub async fn leave(&self, conversation: &ConversationId) -> Result<(), ChatError> {
        let id = conversation_id(conversation)?;
        self.call("crm:leave", json!({ "conversationId": id }), Room::Leave(id.to_owned())).await.map(drop)
    }

    /// `crm:message`: sends `content` (1 to [`MAX_CONTENT`] characters) to the visitor as the
    /// seat's agent; returns the stored message's ID. Needs `live-chat:join`. Not retried: a
    /// timeout may still have delivered it (check the conversation's messages before resending).
    ///
    /// ```no_run
    /// # async fn demo(chat: deskapi::nextcap::chat::ChatClient) -> Result<(), deskapi::nextcap::chat::ChatError> {
    /// let id = chat.send(&"5b1f0b8e-2f4d-4a8e-9f0e-6c2b9d7e4a31".into(), "Hi! How can I help?").await?;
    /// # let _ = id;
    /// # Ok(()) }
    /// ```
    #[doc(alias = "crm:message")]
    pub async fn send(&self, conversation: &ConversationId, content: &str) -> Result<MessageId, ChatError> {
        let id = conversation_id(conversation)?;
        if content.trim().is_empty() || content.chars().count() > MAX_CONTENT {
            let message = format!("must be 1 to {MAX_CONTENT} characters, not blank");
            return Err(ChatError::InvalidArgument { name: "content".into(), message });
        }
        let ack = self.call("crm:message", json!({ "conversationId": id, "content": content }), Room::None).await?;
        let message_id = ack.get("messageId").and_then(Value::as_str);
        message_id.map(MessageId::from).ok_or_else(|| ChatError::UnexpectedAck(format!("no messageId in {ack}")))
    }

    /// `crm:typing`: tells the conversation's room that the seat's agent is typing. Needs
    /// `live-chat:join`.
    ///
    /// ```no_run
    /// # async fn demo(chat: deskapi::nextcap::chat::ChatClient) -> Result<(), deskapi::nextcap::chat::ChatError> {
    /// chat.typing(&"5b1f0b8e-2f4d-4a8e-9f0e-6c2b9d7e4a31".into()).await?;
    /// # Ok(()) }
    /// ```
    #[doc(alias = "crm:typing")]
    pub async fn typing(&self, conversation: &ConversationId) -> Result<(), ChatError> {
        let id = conversation_id(conversation)?;
        self.call("crm:typing", json!({ "conversationId": id }), Room::None).await.map(drop)
    }
}

fn conversation_id(id: &ConversationId) -> Result<&str, ChatError> {
    let text = id.as_str().trim();
    if text.is_empty() {
        return Err(ChatError::InvalidArgument { name: "conversation".into(), message: "must not be empty".into() });
    }
    Ok(text)
}

/// The ack of `event` as a result: `{"success": true, ...}` is `Ok`, `{"success": false,
/// "error": {code, message}}` is [`ChatError::Rejected`], anything else
/// [`ChatError::UnexpectedAck`].
pub(crate) fn ack_result(event: &str, ack: Value) -> Result<Value, ChatError> {
    match ack.get("success").and_then(Value::as_bool) {
        Some(true) => Ok(ack),
        Some(false) => {
            let error = ack.get("error");
            let text = |field: &str| error.and_then(|e| e.get(field)).and_then(Value::as_str).unwrap_or("").to_owned();
            Err(ChatError::Rejected { event: event.to_owned(), code: text("code"), message: text("message") })
        }
        None => Err(ChatError::UnexpectedAck(ack.to_string())),
    }
}
