//! Next Cap live chat: the Socket.IO namespace `/crm-chat` (nextcap-crm-integration.txt, "Live
//! Chat"; contract `openapi/nextcap-chat.yaml`), served by socketioxide on the mock's own host
//! and port at `/socket.io/`.
//!
//! - [`handshake`]: who may connect (CRM seat key in the CONNECT auth, no browser Origin).
//! - [`client_events`]: `crm:join`, `crm:leave`, `crm:message`, `crm:typing` and their acks.
//! - [`fanout`]: the event-bus subscriber that emits `Topic::Chat` events to each
//!   conversation's room (a room per conversation id), and drops the sockets of a deactivated
//!   seat or a revoked key.
//! - [`control`]: `GET /__mock/chat/sockets`, `POST /__mock/chat/disconnect`.
//!
//! One [`Hub`] per [`AppState`], kept in its [`crate::state::ChatSlot`]: however many routers
//! are built on a state, there is one namespace and one bus subscriber, so an event is emitted
//! once per socket.

pub mod client_events;
pub mod control;
pub mod fanout;
pub mod handshake;

use std::sync::Arc;

use serde_json::Value;
use socketioxide::{
    SocketIo,
    extract::{AckSender, SocketRef, State, TryData},
    handler::ConnectHandler,
    layer::SocketIoLayer,
    service::SocketIoService,
};

use crate::state::AppState;
use handshake::{Refused, Session};

/// The namespace.
pub const NAMESPACE: &str = "/crm-chat";

/// Socket.IO's default `maxHttpBufferSize`: frames up to this size are read, so an oversized
/// `content` gets a failure ack rather than a dropped connection.
const MAX_PAYLOAD: usize = 1_000_000;

/// Packets a socket may have queued before emits to it fail: generous, as a burst of visitor
/// messages to a slow reader should not be dropped.
const SOCKET_BUFFER: usize = 4096;

/// The namespace, its layer and its handle.
pub struct Hub {
    layer: SocketIoLayer,
    io: SocketIo,
}

impl std::fmt::Debug for Hub {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Hub").field("io", &self.io).finish_non_exhaustive()
    }
}

impl Hub {
    /// The socketioxide handle (for the fan-out and the control operations).
    pub fn io(&self) -> &SocketIo {
        &self.io
    }
}

/// The state's hub, made (and subscribed to the event bus) on first use.
pub fn hub(state: &AppState) -> Arc<Hub> {
    let any = state.chat_slot().get_or_init(|| Arc::new(build(state)) as Arc<dyn std::any::Any + Send + Sync>);
    // The slot holds only what `build` puts in it.
    Arc::clone(any).downcast::<Hub>().unwrap_or_else(|_| Arc::new(build(state)))
}

/// The service answering `/socket.io/` for `state`'s hub, to route at that path (a layer
/// around the whole application would put every API request through it too).
pub fn service(state: &AppState) -> SocketIoService<NotEngineIo> {
    tower::Layer::layer(&hub(state).layer, NotEngineIo)
}

/// What `/socket.io/` answers a request Engine.IO does not take: a plain 404.
#[derive(Clone, Copy, Debug)]
pub struct NotEngineIo;

impl tower::Service<axum::extract::Request> for NotEngineIo {
    type Response = axum::response::Response;
    type Error = std::convert::Infallible;
    type Future = std::future::Ready<Result<Self::Response, Self::Error>>;

    fn poll_ready(&mut self, _: &mut std::task::Context<'_>) -> std::task::Poll<Result<(), Self::Error>> {
        std::task::Poll::Ready(Ok(()))
    }

    fn call(&mut self, _: axum::extract::Request) -> Self::Future {
        std::future::ready(Ok(axum::response::IntoResponse::into_response(axum::http::StatusCode::NOT_FOUND)))
    }
}

fn build(state: &AppState) -> Hub {
    let (layer, io) = SocketIo::builder()
        .with_state(state.clone())
        .max_payload(MAX_PAYLOAD as u64)
        .ws_max_message_size(MAX_PAYLOAD + 1024)
        .max_buffer_size(SOCKET_BUFFER)
        .build_layer();
    io.ns(NAMESPACE, on_connect.with(admit));
    state.bus().subscribe(Arc::new(fanout::Fanout::new(io.clone())));
    Hub { layer, io }
}

/// The connect middleware: admits the socket and keeps its [`Session`], or refuses it.
async fn admit(socket: SocketRef, TryData(auth): TryData<Value>, State(state): State<AppState>) -> Result<(), Refused> {
    let session = {
        let inner = state.lock();
        handshake::admit(&socket.req_parts().headers, auth.as_ref().ok(), inner.store())?
    };
    socket.extensions.insert(session);
    register_events(&socket);
    Ok(())
}

/// The session an admitted socket keeps.
pub fn session(socket: &SocketRef) -> Option<Session> {
    socket.extensions.get::<Session>()
}

/// The connect handler has nothing left to do: the client events are registered by [`admit`].
/// socketioxide runs this handler as a spawned task *after* sending the CONNECT packet, so
/// handlers registered here could come after an event the client sends as soon as it is
/// connected, which would then be dropped without an ack (measured: about one re-join in five
/// in the reconnect test).
async fn on_connect(_socket: SocketRef) {}

/// Registers the client events; called by [`admit`] before the CONNECT packet goes out, as the
/// reference server has them in place before the client's first event.
fn register_events(socket: &SocketRef) {
    socket.on("crm:join", on_join);
    socket.on("crm:leave", on_leave);
    socket.on("crm:message", on_message);
    socket.on("crm:typing", on_typing);
}

/// Sends the ack, if the client asked for one (a closed socket has nobody to tell).
fn reply(ack: AckSender, result: &client_events::AckResult) {
    let _ = ack.send(&client_events::ack_payload(result));
}

fn unauthenticated() -> client_events::AckError {
    client_events::AckError { code: "UNAUTHORIZED", message: "The socket has no session".into() }
}

async fn on_join(socket: SocketRef, TryData(data): TryData<Value>, ack: AckSender, State(state): State<AppState>) {
    let result = session(&socket).ok_or_else(unauthenticated).and_then(|s| {
        let id = client_events::join(&state, &s, data.as_ref().ok())?;
        socket.join(id.to_string());
        Ok(serde_json::json!({ "success": true, "conversationId": id }))
    });
    reply(ack, &result);
}

async fn on_leave(socket: SocketRef, TryData(data): TryData<Value>, ack: AckSender) {
    let result = client_events::leave(data.as_ref().ok()).map(|id| {
        socket.leave(id.to_string());
        serde_json::json!({ "success": true })
    });
    reply(ack, &result);
}

async fn on_message(socket: SocketRef, TryData(data): TryData<Value>, ack: AckSender, State(state): State<AppState>) {
    let result = session(&socket)
        .ok_or_else(unauthenticated)
        .and_then(|s| client_events::message(&state, &s, data.as_ref().ok()));
    reply(ack, &result);
}

async fn on_typing(socket: SocketRef, TryData(data): TryData<Value>, ack: AckSender, State(state): State<AppState>) {
    let result = session(&socket).ok_or_else(unauthenticated).and_then(|s| {
        let (id, payload) = client_events::typing(&state, &s, data.as_ref().ok())?;
        let room = id.to_string();
        for other in socket.within(room).sockets().into_iter().filter(|o| o.id != socket.id) {
            let _ = other.emit("typing", &payload);
        }
        Ok(serde_json::json!({ "success": true }))
    });
    reply(ack, &result);
}
