//! A bare Socket.IO v4 client (Engine.IO v4 text frames over one WebSocket) for tests that
//! need the server's payloads exactly as they were sent: no Node process and no client library
//! in between to reshape them, so these tests run wherever `cargo test` does.
//!
//! It speaks only what `/crm-chat` uses: the namespace CONNECT with an auth payload (answered by
//! CONNECT or CONNECT_ERROR), EVENT with an ack id (answered by ACK), server EVENTs, and the
//! Engine.IO ping (`2`) answered by a pong (`3`). Binary packets are not part of the contract and
//! fail the test.

#![allow(dead_code)] // each test binary uses a different subset

use std::time::Duration;

use futures::{SinkExt, StreamExt};
use serde_json::Value;
use tokio::{sync::mpsc, task::JoinHandle, time::timeout};
use tokio_tungstenite::tungstenite::Message as Frame;

/// How long a reply may take to come.
pub const WAIT: Duration = Duration::from_secs(5);

/// One Socket.IO packet of the namespace, as the server sent it.
#[derive(Clone, Debug, PartialEq)]
pub enum Packet {
    /// EVENT: its name and its arguments after the name.
    Event { name: String, args: Vec<Value> },
    /// ACK of the client's emit `id`: the callback's arguments.
    Ack { id: u64, args: Vec<Value> },
    /// DISCONNECT of the namespace, or the Engine.IO connection closing.
    Disconnect,
}

/// A connected socket of one namespace.
pub struct Wire {
    namespace: String,
    outgoing: mpsc::UnboundedSender<String>,
    incoming: mpsc::UnboundedReceiver<Packet>,
    /// Packets read but not yet asked for.
    pending: Vec<Packet>,
    next_ack: u64,
    pump: JoinHandle<()>,
}

/// What a Socket.IO packet frame holds: its type digit, its ack id, and its JSON (if any).
fn split_packet<'a>(namespace: &str, body: &'a str) -> (char, Option<u64>, &'a str) {
    let kind = body.chars().next().unwrap_or_else(|| panic!("empty Socket.IO packet"));
    let rest = &body[1..];
    let rest = match rest.strip_prefix(namespace) {
        Some(after) => after.strip_prefix(',').unwrap_or(after),
        None => panic!("packet for another namespace than {namespace}: {body}"),
    };
    let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
    let id = (digits > 0).then(|| rest[..digits].parse().expect("ack id"));
    (kind, id, &rest[digits..])
}

fn json(text: &str) -> Value {
    serde_json::from_str(text).unwrap_or_else(|e| panic!("not JSON ({e}): {text}"))
}

/// An array of arguments.
fn args(text: &str) -> Vec<Value> {
    match json(text) {
        Value::Array(items) => items,
        other => panic!("expected an argument array, got {other}"),
    }
}

/// A server frame once the namespace is connected: `None` for frames with nothing to report.
fn parse(namespace: &str, frame: &str) -> Option<Packet> {
    match frame.split_at(frame.len().min(1)) {
        ("1", _) => Some(Packet::Disconnect),
        ("4", body) => {
            let (kind, id, rest) = split_packet(namespace, body);
            match kind {
                '1' => Some(Packet::Disconnect),
                '2' => {
                    let mut items = args(rest);
                    assert!(!items.is_empty(), "an EVENT without a name: {frame}");
                    let name = items.remove(0);
                    let name = name.as_str().unwrap_or_else(|| panic!("event name not a string: {frame}"));
                    Some(Packet::Event { name: name.to_owned(), args: items })
                }
                '3' => {
                    Some(Packet::Ack { id: id.unwrap_or_else(|| panic!("ACK without id: {frame}")), args: args(rest) })
                }
                _ => panic!("unexpected Socket.IO packet: {frame}"),
            }
        }
        // Pings are answered by the pump; noop and upgrade frames carry nothing.
        _ => None,
    }
}

impl Wire {
    /// Opens `url` (`ws://HOST:PORT/socket.io/`) and connects to `namespace` with `auth`: `Ok`
    /// once admitted, `Err(payload)` with the CONNECT_ERROR's payload when refused.
    pub async fn connect(url: &str, namespace: &str, auth: &Value) -> Result<Wire, Value> {
        let address = format!("{url}?EIO=4&transport=websocket");
        let (mut ws, _) = timeout(WAIT, tokio_tungstenite::connect_async(address.as_str()))
            .await
            .expect("WebSocket open timed out")
            .unwrap_or_else(|e| panic!("WebSocket to {address}: {e}"));
        let mut handshake = None;
        loop {
            let frame = timeout(WAIT, ws.next()).await.expect("handshake timed out");
            let Some(Ok(Frame::Text(text))) = frame else { panic!("connection ended in the handshake: {frame:?}") };
            let text = text.as_str();
            match text.split_at(text.len().min(1)) {
                ("0", open) => {
                    assert!(json(open)["sid"].is_string(), "Engine.IO OPEN without sid: {text}");
                    ws.send(Frame::text(format!("40{namespace},{auth}"))).await.expect("send CONNECT");
                }
                ("2", _) => ws.send(Frame::text("3")).await.expect("send pong"),
                ("4", body) => {
                    let (kind, _, rest) = split_packet(namespace, body);
                    match kind {
                        '0' => {
                            assert!(json(rest)["sid"].is_string(), "CONNECT without sid: {text}");
                        }
                        '4' => handshake = Some(json(rest)),
                        _ => panic!("unexpected packet in the handshake: {text}"),
                    }
                    break;
                }
                _ => panic!("unexpected frame in the handshake: {text}"),
            }
        }
        if let Some(refused) = handshake {
            return Err(refused);
        }
        let (outgoing, mut to_send) = mpsc::unbounded_channel::<String>();
        let (deliver, incoming) = mpsc::unbounded_channel();
        let ns = namespace.to_owned();
        let pump = tokio::spawn(async move {
            loop {
                tokio::select! {
                    line = to_send.recv() => {
                        let Some(line) = line else { break };
                        if ws.send(Frame::text(line)).await.is_err() { break }
                    }
                    frame = ws.next() => {
                        let Some(Ok(frame)) = frame else { let _ = deliver.send(Packet::Disconnect); break };
                        let Frame::Text(text) = frame else { continue };
                        if text.as_str() == "2" {
                            if ws.send(Frame::text("3")).await.is_err() { break }
                            continue;
                        }
                        if let Some(packet) = parse(&ns, text.as_str()) && deliver.send(packet).is_err() {
                            break;
                        }
                    }
                }
            }
        });
        Ok(Wire { namespace: namespace.to_owned(), outgoing, incoming, pending: Vec::new(), next_ack: 0, pump })
    }

    /// The first packet (pending or new) that `wanted` accepts, within `within`.
    async fn wait_for(&mut self, within: Duration, wanted: impl Fn(&Packet) -> bool) -> Option<Packet> {
        if let Some(i) = self.pending.iter().position(&wanted) {
            return Some(self.pending.remove(i));
        }
        let deadline = tokio::time::Instant::now() + within;
        loop {
            let packet = tokio::time::timeout_at(deadline, self.incoming.recv()).await.ok()??;
            if wanted(&packet) {
                return Some(packet);
            }
            self.pending.push(packet);
        }
    }

    /// Emits `event` with the arguments `args`, asking for an ack; returns the ack's arguments.
    pub async fn emit(&mut self, event: &str, args: &[Value]) -> Vec<Value> {
        self.next_ack += 1;
        let id = self.next_ack;
        let mut array = vec![Value::from(event)];
        array.extend_from_slice(args);
        let frame = format!("42{},{id}{}", self.namespace, Value::Array(array));
        self.outgoing.send(frame).expect("socket open");
        match self.wait_for(WAIT, |p| matches!(p, Packet::Ack { id: got, .. } if *got == id)).await {
            Some(Packet::Ack { args, .. }) => args,
            _ => panic!("no ack for {event} #{id}"),
        }
    }

    /// The arguments of the next server event `name`, within [`WAIT`].
    pub async fn event(&mut self, name: &str) -> Vec<Value> {
        match self.wait_for(WAIT, |p| matches!(p, Packet::Event { name: n, .. } if n == name)).await {
            Some(Packet::Event { args, .. }) => args,
            _ => panic!("no {name} event"),
        }
    }

    /// Every event that arrives until none has for `quiet`: (name, arguments), oldest first.
    pub async fn drain(&mut self, quiet: Duration) -> Vec<(String, Vec<Value>)> {
        let mut out = Vec::new();
        while let Some(packet) = self.wait_for(quiet, |p| matches!(p, Packet::Event { .. })).await {
            if let Packet::Event { name, args } = packet {
                out.push((name, args));
            }
        }
        out
    }
}

impl Drop for Wire {
    fn drop(&mut self) {
        self.pump.abort();
    }
}
