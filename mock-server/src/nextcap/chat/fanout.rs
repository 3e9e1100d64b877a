//! The live-chat subscriber of the event bus: every `Topic::Chat` event whose payload names a
//! `conversationId` is emitted, under its wire name, to the sockets in that conversation's
//! room whose seat belongs to the event's organisation. `access:revoked` instead disconnects
//! the sockets of the seat (`seatId`) or key (`apiKey`) it names.
//!
//! Emitting to a local socket only queues the packet, so this runs on the publishing task, in
//! publish order: each socket sees a conversation's events in the order they happened.

use socketioxide::SocketIo;

use super::{NAMESPACE, session};
use crate::events::{ChatEventName, Event, Subscriber, Topic};

/// Emits chat events to the namespace's rooms.
#[derive(Debug)]
pub struct Fanout {
    io: SocketIo,
}

impl Fanout {
    /// A subscriber emitting through `io`.
    pub fn new(io: SocketIo) -> Fanout {
        Fanout { io }
    }

    fn revoke(&self, data: &serde_json::Value) {
        let Some(ns) = self.io.of(NAMESPACE) else { return };
        let seat = data.get("seatId").and_then(|v| v.as_str()).map(str::to_owned);
        let key = data.get("apiKey").and_then(|v| v.as_str()).map(str::to_owned);
        for socket in ns.sockets() {
            let Some(s) = session(&socket) else { continue };
            let hit =
                seat.as_deref() == Some(s.seat_id.to_string().as_str()) || key.as_deref() == Some(s.api_key.as_str());
            if hit {
                let _ = socket.disconnect();
            }
        }
    }
}

impl Subscriber for Fanout {
    fn on_events(&self, events: &[Event]) {
        let Some(ns) = self.io.of(NAMESPACE) else { return };
        for event in events {
            let Topic::Chat { org_id, name } = event.topic else { continue };
            if name == ChatEventName::AccessRevoked {
                self.revoke(&event.data);
                continue;
            }
            let Some(room) = event.data.get("conversationId").and_then(|v| v.as_str()) else { continue };
            for socket in ns.clone().within(room.to_owned()).sockets() {
                if session(&socket).is_some_and(|s| s.org_id == org_id) {
                    let _ = socket.emit(name.as_str(), &event.data);
                }
            }
        }
    }
}
