//! The task behind a [`super::ChatClient`]: it owns the WebSocket, answers the server's pings,
//! matches acks to calls, and when the connection drops (network, server-side disconnect, a
//! silent peer past ping interval + timeout, a client event left without its ack past the ack
//! timeout) reconnects with exponential backoff and jitter, re-joins every room, catches up on
//! missed messages over REST (`catchup.rs`) before yielding [`ChatEvent::Reconnected`], and
//! keeps going until the handle is dropped or the server refuses the key (the stream then ends
//! with that error).
//!
//! Written on a plain WebSocket rather than on rust_socketio 0.6 (the Rust Socket.IO client the
//! project's design names) because of faults measured against the mock's `/crm-chat` namespace
//! by `mock-server/tests/rust_socketio_faults.rs`, one test each:
//! - `connect()` returns when the CONNECT packet is sent, not when the namespace answers: it
//!   is `Ok` for a refused key, whose refusal only reaches an `error` callback later
//!   (`connect_returns_ok_for_a_key_the_namespace_refuses`);
//! - so an emit made right after `connect()` precedes the handshake and is dropped (19-20 of 20
//!   tries got no ack; the same emit after the handshake does)
//!   (`an_emit_right_after_connect_can_be_dropped`);
//! - after a server-side disconnect it does not reconnect, by default nor with
//!   `reconnect_on_disconnect(true)` (`a_server_side_disconnect_is_not_followed_by_a_reconnect`);
//! - an ack that never comes is reported to nobody: `emit_with_ack`'s timeout only discards a
//!   late answer, with no callback and no error (`a_missing_ack_is_reported_to_nobody`).
//!
//! Each of those is a step this task owns instead: the handshake is awaited (refusals typed),
//! calls are sent only after it, every drop is reconnected, every ack has a timeout.

use std::{collections::HashMap, time::Duration};

use futures::{SinkExt, StreamExt};
use rand::Rng;
use serde_json::{Value, json};
use tokio::{
    net::TcpStream,
    sync::{mpsc, oneshot},
    time::{Instant, sleep, timeout},
};
use tokio_tungstenite::{MaybeTlsStream, WebSocketStream, tungstenite::Message as Frame};

use super::{
    ChatConfig, ChatError, ChatEvent,
    catchup::{self, Anchor, Rooms},
    protocol::{self, Incoming},
};
use crate::NextCapCrmClient;

type Socket = WebSocketStream<MaybeTlsStream<TcpStream>>;

/// What a call asks of the task.
#[derive(Debug)]
pub(crate) struct Call {
    pub event: &'static str,
    pub payload: Value,
    /// The room to remember (`crm:join` that succeeds) or forget (`crm:leave`).
    pub room: Room,
    pub reply: oneshot::Sender<Result<Value, ChatError>>,
}

/// What a call does to the set of rooms re-joined after a reconnect.
#[derive(Debug, Clone)]
pub(crate) enum Room {
    None,
    Join(String),
    Leave(String),
}

/// What the handle sends the task: a call, or the catch-up start a `join` looked up.
#[derive(Debug)]
pub(crate) enum Command {
    Call(Call),
    Anchor { room: String, anchor: Anchor },
}

pub(crate) type Events = mpsc::UnboundedSender<Result<ChatEvent, ChatError>>;

/// Calls waiting for their ack, by ack id.
type Pending = HashMap<u64, (oneshot::Sender<Result<Value, ChatError>>, Room, Instant)>;

/// Why a connection ended.
enum End {
    /// The handle was dropped: stop.
    Stop,
    /// The connection dropped: reconnect.
    Lost(String),
}

pub(crate) struct Live {
    socket: Socket,
    open: protocol::Open,
}

/// Opens one connection: WebSocket, Engine.IO open, namespace CONNECT (or its refusal).
pub(crate) async fn open(config: &ChatConfig) -> Result<Live, ChatError> {
    let url = protocol::websocket_url(&config.base_url).map_err(ChatError::Connect)?;
    let handshake = async {
        let (mut socket, _) =
            tokio_tungstenite::connect_async(url.as_str()).await.map_err(|e| ChatError::Connect(e.to_string()))?;
        let mut open = None;
        let auth = json!({ "apiKey": config.api_key.expose() });
        while let Some(frame) = socket.next().await {
            let frame = frame.map_err(|e| ChatError::Connect(e.to_string()))?;
            let Frame::Text(text) = frame else { continue };
            match protocol::decode(text.as_str(), super::NAMESPACE) {
                Incoming::Open(o) => {
                    open = Some(o);
                    let connect = protocol::connect(super::NAMESPACE, &auth);
                    socket.send(Frame::text(connect)).await.map_err(|e| ChatError::Connect(e.to_string()))?;
                }
                Incoming::Ping => {
                    socket.send(Frame::text(protocol::PONG)).await.map_err(|e| ChatError::Connect(e.to_string()))?
                }
                Incoming::Connected => {
                    let open = open.ok_or_else(|| ChatError::Connect("CONNECT before the Engine.IO open".into()))?;
                    return Ok(Live { socket, open });
                }
                Incoming::ConnectError(payload) => return Err(refused(&payload)),
                Incoming::Close | Incoming::Disconnected => break,
                _ => {}
            }
        }
        Err(ChatError::Connect("the server closed the connection during the handshake".into()))
    };
    timeout(config.connect_timeout, handshake).await.unwrap_or(Err(ChatError::Connect("handshake timed out".into())))
}

/// A CONNECT_ERROR payload as a typed refusal: Socket.IO's `{message, data: {code, message}}`,
/// or a bare `{message}` whose message starts with `CODE: `.
fn refused(payload: &Value) -> ChatError {
    let message = payload.get("message").and_then(Value::as_str).unwrap_or("refused").to_owned();
    let data = payload.get("data");
    if let Some(code) = data.and_then(|d| d.get("code")).and_then(Value::as_str) {
        let detail = data.and_then(|d| d.get("message")).and_then(Value::as_str).unwrap_or(&message);
        return ChatError::Refused { code: code.to_owned(), message: detail.to_owned() };
    }
    match message.split_once(": ") {
        Some((code, rest)) if !code.is_empty() && code.bytes().all(|b| b.is_ascii_uppercase() || b == b'_') => {
            ChatError::Refused { code: code.to_owned(), message: rest.to_owned() }
        }
        _ => ChatError::Refused { code: "UNAUTHORIZED".into(), message },
    }
}

/// The supervisor: runs `first` (already connected), then reconnects until stopped or refused.
pub(crate) async fn run(
    config: ChatConfig,
    crm: NextCapCrmClient,
    first: Live,
    mut calls: mpsc::UnboundedReceiver<Command>,
    events: Events,
) {
    let mut rooms = Rooms::default();
    let mut live = first;
    let mut reconnects = 0u64;
    let _ = events.send(Ok(ChatEvent::Connected));
    loop {
        match serve(&mut live, &mut calls, &events, &mut rooms, config.ack_timeout).await {
            End::Stop => return,
            End::Lost(reason) => {
                if events.send(Ok(ChatEvent::Disconnected { reason })).is_err() && calls.is_closed() {
                    return;
                }
            }
        }
        let mut attempt = 0u32;
        let (next, caught_up) = loop {
            sleep(backoff(&config, attempt)).await;
            attempt = attempt.saturating_add(1);
            // Calls made while down fail at once rather than waiting for the connection; the
            // anchors of joins that completed meanwhile are kept.
            while let Ok(command) = calls.try_recv() {
                match command {
                    Command::Call(call) => {
                        let _ = call.reply.send(Err(ChatError::NotConnected));
                    }
                    Command::Anchor { room, anchor } => rooms.anchor_from_join(&room, anchor),
                }
            }
            if calls.is_closed() {
                return;
            }
            let mut next = match open(&config).await {
                Ok(next) => next,
                Err(error @ ChatError::Refused { .. }) => {
                    let _ = events.send(Err(error));
                    return;
                }
                Err(_) => continue,
            };
            // Re-join, then catch up; a failure of either is another drop (nothing was
            // delivered yet, so the next attempt starts from the same anchors).
            let Ok(buffered) = rejoin(&config, &mut next, &mut rooms, &events).await else { continue };
            let joined = rooms.list();
            match catch_up(&crm, &mut rooms, &events).await {
                Ok(missed) => {
                    // Rooms the REST API refused were re-joined on the socket a moment ago:
                    // leave them there too (the ack, id 0, is not waited for).
                    for room in joined.iter().filter(|r| rooms.anchor(r).is_none()) {
                        let leave =
                            protocol::event(super::NAMESPACE, 0, "crm:leave", &json!({ "conversationId": room }));
                        let _ = next.socket.send(Frame::text(leave)).await;
                    }
                    break (next, (missed, buffered));
                }
                Err(CatchUpEnd::Stop(error)) => {
                    let _ = events.send(Err(error));
                    return;
                }
                Err(CatchUpEnd::Retry) => continue,
            }
        };
        live = next;
        reconnects += 1;
        let _ = events.send(Ok(ChatEvent::Reconnected { attempt: reconnects }));
        let (missed, buffered) = caught_up;
        for message in missed {
            deliver(ChatEvent::Message(message), &mut rooms, &events);
        }
        for event in buffered {
            deliver(event, &mut rooms, &events);
        }
    }
}

/// How a catch-up that did not finish ends.
enum CatchUpEnd {
    /// The key no longer works for REST either: end the stream.
    Stop(ChatError),
    /// A network or server failure: reconnect and try again.
    Retry,
}

/// Fetches, for every joined room, the messages after its anchor; rooms the REST API now
/// refuses (403, 404) are dropped and reported as [`ChatEvent::RejoinFailed`].
async fn catch_up(
    crm: &NextCapCrmClient,
    rooms: &mut Rooms,
    events: &Events,
) -> Result<Vec<super::NewMessage>, CatchUpEnd> {
    let mut all = Vec::new();
    for room in rooms.list() {
        let anchor = match rooms.anchor(&room) {
            Some(Anchor::Pending) => {
                // The drop came between a join's ack and its lookup; the newest message now is
                // the best start left (documented as the one window the guarantee does not cover).
                match catchup::newest(crm, &room).await {
                    Ok(anchor) => anchor,
                    Err(error) => {
                        catch_up_failed(error, &room, rooms, events)?;
                        continue;
                    }
                }
            }
            Some(anchor) => anchor,
            None => continue,
        };
        match catchup::missed(crm, &room, &anchor).await {
            Ok(missed) => all.extend(missed),
            Err(error) => catch_up_failed(error, &room, rooms, events)?,
        }
    }
    Ok(all)
}

/// What a failed catch-up of `room` means: a refusal of that conversation drops the room, a
/// refused key ends the stream, anything else is retried with the next reconnect.
fn catch_up_failed(error: ChatError, room: &str, rooms: &mut Rooms, events: &Events) -> Result<(), CatchUpEnd> {
    match &error {
        ChatError::Rest { status: Some(403 | 404), .. } => {
            rooms.left(room);
            let _ = events.send(Ok(ChatEvent::RejoinFailed { conversation_id: room.into(), error }));
            Ok(())
        }
        ChatError::Rest { status: Some(401), .. } => Err(CatchUpEnd::Stop(error)),
        _ => Err(CatchUpEnd::Retry),
    }
}

/// Sends `event` to the stream unless it is a `message:new` already delivered. Returns false
/// when nobody reads the stream any more.
fn deliver(event: ChatEvent, rooms: &mut Rooms, events: &Events) -> bool {
    if let ChatEvent::Message(message) = &event
        && !rooms.admit(message)
    {
        return true;
    }
    events.send(Ok(event)).is_ok()
}

/// Exponential backoff from the configured initial delay to its maximum, with full jitter
/// between half and all of it (so many clients dropped at once do not return at once).
fn backoff(config: &ChatConfig, attempt: u32) -> Duration {
    let base = config.reconnect_initial.saturating_mul(1u32 << attempt.min(16)).min(config.reconnect_max);
    let factor = rand::thread_rng().gen_range(0.5..=1.0);
    base.mul_f64(factor)
}

/// Re-joins `rooms` on a fresh connection, waiting for each ack; events that arrive meanwhile
/// are returned to be yielded after `Reconnected`. A room the server now refuses is dropped and
/// reported as [`ChatEvent::RejoinFailed`].
async fn rejoin(
    config: &ChatConfig,
    live: &mut Live,
    rooms: &mut Rooms,
    events: &Events,
) -> Result<Vec<ChatEvent>, String> {
    let mut buffered = Vec::new();
    for (i, room) in rooms.list().into_iter().enumerate() {
        let id = i as u64 + 1;
        let frame = protocol::event(super::NAMESPACE, id, "crm:join", &json!({ "conversationId": room }));
        live.socket.send(Frame::text(frame)).await.map_err(|e| e.to_string())?;
        let deadline = Instant::now() + config.ack_timeout;
        let ack = loop {
            let frame = tokio::time::timeout_at(deadline, live.socket.next()).await.map_err(|_| "re-join timed out")?;
            let Some(Ok(Frame::Text(text))) = frame else { return Err("connection lost while re-joining".into()) };
            match protocol::decode(text.as_str(), super::NAMESPACE) {
                Incoming::Ack(got, value) if got == id => break value,
                Incoming::Ping => live.socket.send(Frame::text(protocol::PONG)).await.map_err(|e| e.to_string())?,
                Incoming::Event(name, payload) => buffered.push(ChatEvent::from_wire(&name, payload)),
                Incoming::Close | Incoming::Disconnected => return Err("the server closed the connection".into()),
                _ => {}
            }
        };
        if let Err(error) = super::ack_result("crm:join", ack) {
            rooms.left(&room);
            let _ = events.send(Ok(ChatEvent::RejoinFailed { conversation_id: room.as_str().into(), error }));
        }
    }
    Ok(buffered)
}

/// Serves one live connection until it ends.
async fn serve(
    live: &mut Live,
    calls: &mut mpsc::UnboundedReceiver<Command>,
    events: &Events,
    rooms: &mut Rooms,
    ack_timeout: Duration,
) -> End {
    let mut pending = Pending::new();
    // Ack ids after the ones `rejoin` used; they only need to be unique per connection.
    let mut next_id = 1_000u64;
    let silence = live.open.silence();
    let mut last_heard = Instant::now();
    let end = loop {
        // The server acknowledges every client event; none within the ack timeout means the
        // namespace is not serving us even if the Engine.IO session still answers pings (seen
        // with a server that dropped an event sent right after the CONNECT: no ack, no
        // DISCONNECT, pings as usual), so the connection is treated as lost.
        let ack_deadline = pending.values().map(|(_, _, sent)| *sent + ack_timeout).min();
        tokio::select! {
            _ = tokio::time::sleep_until(ack_deadline.unwrap_or_else(Instant::now)), if ack_deadline.is_some() => {
                break End::Lost("no acknowledgement within the ack timeout".into());
            }
            frame = live.socket.next() => {
                let Some(Ok(frame)) = frame else { break End::Lost("the connection closed".into()) };
                last_heard = Instant::now();
                let Frame::Text(text) = frame else { continue };
                let ended = match protocol::decode(text.as_str(), super::NAMESPACE) {
                    Incoming::Ping => live.socket.send(Frame::text(protocol::PONG)).await.err().map(|_| End::Lost("could not answer a ping".into())),
                    // Nobody reads the events and nobody holds the handle: stop.
                    Incoming::Event(name, payload) => {
                        let gone = !deliver(ChatEvent::from_wire(&name, payload), rooms, events) && calls.is_closed();
                        gone.then_some(End::Stop)
                    }
                    Incoming::Ack(id, value) => {
                        acknowledged(&mut pending, rooms, id, value);
                        None
                    }
                    Incoming::Disconnected => Some(End::Lost("the server disconnected the socket".into())),
                    Incoming::Close => Some(End::Lost("the server closed the session".into())),
                    _ => None,
                };
                if let Some(end) = ended {
                    break end;
                }
            }
            command = calls.recv() => {
                let call = match command {
                    None => break End::Stop,
                    Some(Command::Anchor { room, anchor }) => {
                        rooms.anchor_from_join(&room, anchor);
                        continue;
                    }
                    Some(Command::Call(call)) => call,
                };
                next_id += 1;
                if let Room::Leave(r) = &call.room {
                    rooms.left(r);
                }
                let frame = protocol::event(super::NAMESPACE, next_id, call.event, &call.payload);
                if live.socket.send(Frame::text(frame)).await.is_err() {
                    let _ = call.reply.send(Err(ChatError::NotConnected));
                    break End::Lost("could not send".into());
                }
                // A caller that gave up (ack timeout) has dropped its receiver; forget those.
                pending.retain(|_, (reply, _, _)| !reply.is_closed());
                pending.insert(next_id, (call.reply, call.room, Instant::now()));
            }
            _ = sleep(silence.saturating_sub(last_heard.elapsed())) => {
                break End::Lost("no ping from the server".into());
            }
        }
    };
    for (_, (reply, _, _)) in pending.drain() {
        let _ = reply.send(Err(ChatError::NotConnected));
    }
    if matches!(end, End::Stop) {
        let _ = live.socket.close(None).await;
    }
    end
}

/// Answers the call waiting for ack `id`, remembering a room that a `crm:join` joined.
fn acknowledged(pending: &mut Pending, rooms: &mut Rooms, id: u64, value: Value) {
    let Some((reply, room, _)) = pending.remove(&id) else { return };
    if let (Room::Join(r), Some(true)) = (&room, value.get("success").and_then(Value::as_bool)) {
        rooms.joined(r);
    }
    let _ = reply.send(Ok(value));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refusals_are_typed_from_either_shape() {
        let reference =
            json!({"message": "nope", "data": {"code": "FORBIDDEN", "message": "Insufficient permissions"}});
        assert_eq!(
            refused(&reference),
            ChatError::Refused { code: "FORBIDDEN".into(), message: "Insufficient permissions".into() }
        );
        let prefixed = json!({"message": "UNAUTHORIZED: Invalid API key"});
        assert_eq!(
            refused(&prefixed),
            ChatError::Refused { code: "UNAUTHORIZED".into(), message: "Invalid API key".into() }
        );
        let bare = json!({"message": "Authentication error"});
        assert_eq!(
            refused(&bare),
            ChatError::Refused { code: "UNAUTHORIZED".into(), message: "Authentication error".into() }
        );
        assert!(matches!(refused(&Value::Null), ChatError::Refused { .. }));
    }
}
