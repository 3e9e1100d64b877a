//! The slice of the Socket.IO v4 / Engine.IO v4 wire format live chat needs, over WebSocket
//! only (<https://socket.io/docs/v4/socket-io-protocol/>, `engine.io-protocol`): text frames,
//! JSON payloads, one namespace, no binary attachments (the contract has none).
//!
//! Pure functions, so every frame the server may send is decoded (or refused) without a socket;
//! nothing here may panic on server input.

use serde_json::Value;

/// Engine.IO's `open` packet payload (only what the client uses).
#[derive(Clone, Debug, PartialEq, Eq, serde::Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Open {
    /// Milliseconds between the server's pings.
    pub ping_interval: u64,
    /// Milliseconds the server waits for a pong; the client allows interval + timeout.
    pub ping_timeout: u64,
}

impl Open {
    /// How long the server may stay silent before the connection counts as lost: interval plus
    /// timeout, saturating, since both are whatever numbers the server chose to send.
    pub fn silence(&self) -> std::time::Duration {
        std::time::Duration::from_millis(self.ping_interval.saturating_add(self.ping_timeout))
    }
}

/// One decoded frame from the server.
#[derive(Clone, Debug, PartialEq)]
pub enum Incoming {
    /// Engine.IO `open`.
    Open(Open),
    /// Engine.IO `ping` (answer with [`PONG`]).
    Ping,
    /// Engine.IO `close`.
    Close,
    /// Socket.IO CONNECT accepted for the namespace.
    Connected,
    /// Socket.IO CONNECT_ERROR: the payload (`{message, data?}`).
    ConnectError(Value),
    /// Socket.IO DISCONNECT: the server dropped the namespace.
    Disconnected,
    /// Socket.IO EVENT: name and its first argument (`Null` when none).
    Event(String, Value),
    /// Socket.IO ACK: the id and its first argument.
    Ack(u64, Value),
    /// Anything else (another namespace, an Engine.IO noop, binary packets): ignored.
    Other,
}

/// Engine.IO `pong`.
pub const PONG: &str = "3";

/// The WebSocket URL for `base` (`http(s)://` or `ws(s)://` host, any path ignored but
/// `/socket.io/` used): `ws(s)://host/socket.io/?EIO=4&transport=websocket`.
pub fn websocket_url(base: &url::Url) -> Result<url::Url, String> {
    let scheme = match base.scheme() {
        "http" | "ws" => "ws",
        "https" | "wss" => "wss",
        other => return Err(format!("unsupported scheme `{other}` (use http, https, ws or wss)")),
    };
    let host = base.host_str().ok_or("the URL has no host")?;
    let port = base.port().map(|p| format!(":{p}")).unwrap_or_default();
    let text = format!("{scheme}://{host}{port}/socket.io/?EIO=4&transport=websocket");
    url::Url::parse(&text).map_err(|e| e.to_string())
}

/// The CONNECT packet for `namespace` with the handshake `auth`.
pub fn connect(namespace: &str, auth: &Value) -> String {
    format!("40{namespace},{auth}")
}

/// An EVENT packet asking for ack `id`.
pub fn event(namespace: &str, id: u64, name: &str, payload: &Value) -> String {
    let args = Value::Array(vec![Value::String(name.to_owned()), payload.clone()]);
    format!("42{namespace},{id}{args}")
}

/// Decodes one text frame of `namespace`.
pub fn decode(frame: &str, namespace: &str) -> Incoming {
    let mut chars = frame.chars();
    match chars.next() {
        Some('0') => serde_json::from_str(&frame[1..]).map_or(Incoming::Other, Incoming::Open),
        Some('1') => Incoming::Close,
        Some('2') => Incoming::Ping,
        Some('4') => decode_socketio(&frame[1..], namespace),
        _ => Incoming::Other,
    }
}

fn decode_socketio(packet: &str, namespace: &str) -> Incoming {
    let Some(kind) = packet.chars().next() else { return Incoming::Other };
    let rest = &packet[kind.len_utf8()..];
    // The namespace prefix is present for every namespace but `/`.
    let Some(rest) = rest.strip_prefix(namespace) else { return Incoming::Other };
    let rest = rest.strip_prefix(',').unwrap_or(rest);
    let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
    let id = rest[..digits].parse::<u64>().ok();
    let body = &rest[digits..];
    let json = || serde_json::from_str::<Value>(body).ok();
    match kind {
        '0' => Incoming::Connected,
        '1' => Incoming::Disconnected,
        '4' => Incoming::ConnectError(json().unwrap_or(Value::Null)),
        '2' => match json() {
            Some(Value::Array(mut args)) if !args.is_empty() => {
                let Value::String(name) = args.remove(0) else { return Incoming::Other };
                Incoming::Event(name, args.into_iter().next().unwrap_or(Value::Null))
            }
            _ => Incoming::Other,
        },
        '3' => match (id, json()) {
            (Some(id), Some(Value::Array(args))) => Incoming::Ack(id, args.into_iter().next().unwrap_or(Value::Null)),
            _ => Incoming::Other,
        },
        _ => Incoming::Other,
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    const NS: &str = "/crm-chat";

    #[test]
    fn the_allowed_silence_saturates_on_huge_ping_numbers() {
        let open = decode(&format!(r#"0{{"pingInterval":{},"pingTimeout":{}}}"#, u64::MAX, u64::MAX), NS);
        let Incoming::Open(open) = open else { panic!("an open packet: {open:?}") };
        assert_eq!(open.silence(), std::time::Duration::from_millis(u64::MAX));
        let usual = Open { ping_interval: 25_000, ping_timeout: 20_000 };
        assert_eq!(usual.silence(), std::time::Duration::from_secs(45));
    }

    #[test]
    fn decodes_every_frame_the_server_sends() {
        assert_eq!(
            decode(r#"0{"sid":"x","upgrades":[],"pingInterval":25000,"pingTimeout":20000,"maxPayload":1000000}"#, NS),
            Incoming::Open(Open { ping_interval: 25000, ping_timeout: 20000 })
        );
        assert_eq!(decode("2", NS), Incoming::Ping);
        assert_eq!(decode("1", NS), Incoming::Close);
        assert_eq!(decode(r#"40/crm-chat,{"sid":"abc"}"#, NS), Incoming::Connected);
        assert_eq!(decode("41/crm-chat,", NS), Incoming::Disconnected);
        assert_eq!(decode(r#"44/crm-chat,{"message":"no"}"#, NS), Incoming::ConnectError(json!({"message": "no"})));
        assert_eq!(
            decode(r#"42/crm-chat,["message:new",{"id":"m"}]"#, NS),
            Incoming::Event("message:new".into(), json!({"id": "m"}))
        );
        assert_eq!(decode(r#"42/crm-chat,["ping"]"#, NS), Incoming::Event("ping".into(), Value::Null));
        assert_eq!(decode(r#"43/crm-chat,12[{"success":true}]"#, NS), Incoming::Ack(12, json!({"success": true})));
    }

    #[test]
    fn garbage_and_other_namespaces_are_ignored_never_a_panic() {
        for frame in [
            "",
            "9",
            "4",
            "42",
            "42/other,[\"x\",1]",
            "42/crm-chat,[1,2]",
            "42/crm-chat,{",
            "43/crm-chat,[1]",
            "0{",
            "4é",
            "42/crm-chat,é",
        ] {
            assert!(matches!(decode(frame, NS), Incoming::Other | Incoming::ConnectError(_)), "{frame}");
        }
    }

    #[test]
    fn encodes_connect_and_events_with_ack_ids() {
        assert_eq!(connect(NS, &json!({"apiKey": "k"})), r#"40/crm-chat,{"apiKey":"k"}"#);
        assert_eq!(
            event(NS, 7, "crm:join", &json!({"conversationId": "c"})),
            r#"42/crm-chat,7["crm:join",{"conversationId":"c"}]"#
        );
        let base = url::Url::parse("https://api.nextcap.ai/anything").expect("url");
        assert_eq!(
            websocket_url(&base).expect("ws url").as_str(),
            "wss://api.nextcap.ai/socket.io/?EIO=4&transport=websocket"
        );
        let mock = url::Url::parse("http://127.0.0.1:4010").expect("url");
        assert_eq!(
            websocket_url(&mock).expect("ws url").as_str(),
            "ws://127.0.0.1:4010/socket.io/?EIO=4&transport=websocket"
        );
        assert!(websocket_url(&url::Url::parse("ftp://x").expect("url")).is_err());
    }
}
