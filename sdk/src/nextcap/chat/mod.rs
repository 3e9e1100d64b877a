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
//! ## `message:new`: exactly once, in order, within documented bounds
//! Socket.IO does not replay what was emitted while a socket was gone, so the client catches up
//! through the CRM REST API (`GET /external/crm/conversations/{id}/messages`) with the same key:
//!
//! - On [`join`](ChatClient::join) it looks up the conversation's newest message: the *anchor*
//!   a later catch-up starts after. Every `message:new` it delivers moves the anchor on.
//! - After a reconnect and the re-joins, before reading the socket again, it fetches for each
//!   joined conversation the messages after its anchor (walking the oldest-first pages back
//!   from the newest) and yields them, oldest first, right after [`ChatEvent::Reconnected`].
//!   Live events that arrived meanwhile follow.
//! - Every `message:new`, live or caught up, passes a per-conversation window of the last
//!   [`DEDUP_WINDOW`] message IDs delivered; a repeat is dropped. A message created during the
//!   catch-up is in both the REST answer and the socket: it is yielded once, at the REST
//!   answer's place, so the order stays the conversation's order.
//!
//! So each conversation's `message:new` events arrive once each and in order across any
//! number of drops. The bounds: at most [`MAX_CATCH_UP`] missed messages per conversation per
//! reconnect (older ones are skipped); fewer than [`DEDUP_WINDOW`] messages may arrive in one
//! conversation while one catch-up runs; a drop between a join's ack and its anchor lookup (a
//! few milliseconds) starts that conversation's catch-up from the newest message at reconnect
//! time. Caught-up messages come from the REST shape, which has no `visitorId` (`None`).
//! The other events (typing, assignments, ...) are not caught up: those emitted while the
//! connection was down are lost; within a connection they arrive once each in the server's
//! order. If the catch-up fails on the network or a 5xx, the client reconnects and tries
//! again from the same anchors; a 403/404 drops that room ([`ChatEvent::RejoinFailed`]); a 401
//! ends the stream with [`ChatError::Rest`]. Calls made while the connection is down fail at
//! once with [`ChatError::NotConnected`].
//!
//! The REST base is derived from the chat host (`https://HOST/api/v1`, production's layout);
//! set [`ChatConfig::rest_base_url`] (the mock's `server.nextcap_url()`) or hand over a
//! [`NextCapCrmClient`] with [`ChatConfig::crm_client`] when it lives elsewhere.
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

mod catchup;
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

pub use catchup::{DEDUP_WINDOW, MAX_CATCH_UP};
pub use error::ChatError;
pub use events::{
    AgentAssigned, ChatEvent, ConversationResolved, FeedbackReceived, NewMessage, TicketCreated, Typing, TypingContent,
    TypingRole,
};

use crate::{
    NextCapCrmClient,
    core::secret::ApiKey,
    nextcap::{ConversationId, MessageId},
};
use supervisor::{Call, Command, Room};

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
    rest_base_url: Option<String>,
    crm: Option<NextCapCrmClient>,
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
            rest_base_url: None,
            crm: None,
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

    /// The CRM REST API's base URL the client catches up through after a reconnect (see the
    /// module's guarantees), e.g. the mock's `server.nextcap_url()`. By default it is derived
    /// from the chat host the way production lays them out: `https://HOST[:PORT]/api/v1`
    /// (`http` for a `ws`/`http` host), [`NEXTCAP_BASE_URL`](crate::nextcap::NEXTCAP_BASE_URL) for
    /// the production host. The same key is used. Errors on a URL that does not parse.
    pub fn rest_base_url(mut self, url: &str) -> Result<ChatConfig, ChatError> {
        url::Url::parse(url)
            .map_err(|e| ChatError::InvalidArgument { name: "rest_base_url".into(), message: e.to_string() })?;
        self.rest_base_url = Some(url.to_owned());
        Ok(self)
    }

    /// Catch up through this CRM client (its base URL, retries and rate limiting) instead of
    /// one built from the key and [`rest_base_url`](ChatConfig::rest_base_url). It should use
    /// the same seat's key: the catch-up reads what that seat may see.
    pub fn crm_client(mut self, client: NextCapCrmClient) -> ChatConfig {
        self.crm = Some(client);
        self
    }

    /// The CRM client the catch-up uses: the one given, or one for the key at the REST base.
    fn rest_client(&self) -> Result<NextCapCrmClient, ChatError> {
        if let Some(client) = &self.crm {
            return Ok(client.clone());
        }
        let base = match &self.rest_base_url {
            Some(url) => url.clone(),
            None => derived_rest_base(&self.base_url),
        };
        let invalid =
            |e: crate::Error| ChatError::InvalidArgument { name: "rest_base_url".into(), message: e.to_string() };
        NextCapCrmClient::builder(self.api_key.clone()).base_url(base).build().map_err(invalid)
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

/// The REST base for a chat host when none is given: production's own, or `/api/v1` on the
/// same origin (an `http` scheme for `ws`, `https` for `wss`).
fn derived_rest_base(chat: &url::Url) -> String {
    if chat.host_str() == url::Url::parse(NEXTCAP_CHAT_URL).ok().as_ref().and_then(|u| u.host_str()) {
        return crate::nextcap::NEXTCAP_BASE_URL.to_owned();
    }
    let scheme = if matches!(chat.scheme(), "https" | "wss") { "https" } else { "http" };
    let host = chat.host_str().unwrap_or("localhost");
    let port = chat.port().map(|p| format!(":{p}")).unwrap_or_default();
    format!("{scheme}://{host}{port}/api/v1")
}

/// A connected live-chat client. Cheap to share by reference; dropping it (and its
/// [`ChatEvents`]) stops the background task and closes the connection.
#[derive(Debug)]
pub struct ChatClient {
    calls: mpsc::UnboundedSender<Command>,
    ack_timeout: Duration,
    crm: NextCapCrmClient,
}

/// The stream of live-chat events (`futures::Stream<Item = Result<ChatEvent, ChatError>>`).
/// An `Err` is final: the server refused the key on a reconnect; the stream ends after it.
///
/// Events wait here, unbounded, until read: the background task never blocks on a slow reader
/// (it must keep answering the server's pings, or the server drops the connection). Read the
/// stream steadily, or drop it if you do not want events: an unread stream keeps every event
/// the server sends in memory.
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
        // The server judges the key first: a refusal is the answer a wrong key deserves.
        let first = supervisor::open(&config).await?;
        let crm = config.rest_client()?;
        let (calls, calls_rx) = mpsc::unbounded_channel();
        let (events_tx, events) = mpsc::unbounded_channel();
        let ack_timeout = config.ack_timeout;
        tokio::spawn(supervisor::run(config, crm.clone(), first, calls_rx, events_tx));
        Ok((ChatClient { calls, ack_timeout, crm }, ChatEvents { events }))
    }

    async fn call(&self, event: &'static str, payload: Value, room: Room) -> Result<Value, ChatError> {
        let (reply, answer) = oneshot::channel();
        self.calls.send(Command::Call(Call { event, payload, room, reply })).map_err(|_| ChatError::Closed)?;
        let ack = tokio::time::timeout(self.ack_timeout, answer)
            .await
            .map_err(|_| ChatError::AckTimeout(self.ack_timeout))?;
        ack_result(event, ack.map_err(|_| ChatError::Closed)??)
    }

    /// `crm:join`: receive the conversation's events from now on; the room is joined again
    /// after every reconnect. Needs `conversations:view` (or `conversations:view-own` for a
    /// conversation assigned to the seat).
    ///
    /// After the ack it reads the conversation's newest message over REST (the catch-up's start;
    /// see the module's guarantees).
    ///
    /// Errors: [`ChatError::Rejected`] (`NOT_FOUND`, `FORBIDDEN`, ...), [`ChatError::AckTimeout`],
    /// [`ChatError::NotConnected`], [`ChatError::InvalidArgument`] for an empty ID,
    /// [`ChatError::Rest`] when that lookup fails (the room is then left again).
    ///
    /// ```no_run
    /// # async fn demo(chat: deskapi::nextcap::chat::ChatClient) -> Result<(), deskapi::nextcap::chat::ChatError> {
    /// chat.join(&"5b1f0b8e-2f4d-4a8e-9f0e-6c2b9d7e4a31".into()).await?;
    /// # Ok(()) }
    /// ```
    #[doc(alias = "crm:join")]
    pub async fn join(&self, conversation: &ConversationId) -> Result<(), ChatError> {
        let id = conversation_id(conversation)?;
        self.call("crm:join", json!({ "conversationId": id }), Room::Join(id.to_owned())).await?;
        // Where a later catch-up starts: the newest message now. Messages that arrive live in the
        // meantime take precedence (the supervisor keeps the later of the two).
        match catchup::newest(&self.crm, id).await {
            Ok(anchor) => {
                let _ = self.calls.send(Command::Anchor { room: id.to_owned(), anchor });
                Ok(())
            }
            Err(error) => {
                // Without a start a catch-up could not be exactly-once: do not stay joined.
                let _ = self.leave(conversation).await;
                Err(error)
            }
        }
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
