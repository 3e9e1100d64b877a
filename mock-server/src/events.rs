//! Events and the one bus they travel on.
//!
//! A write (a handler or a control action) changes the store under the lock and returns the
//! [`Event`]s it caused; after releasing the lock the caller hands them to
//! [`crate::AppState::publish`], which passes them to every [`Subscriber`] on the [`EventBus`].
//! Webhook delivery is one subscriber; the live-chat namespace and NexaDesk's webhooks are meant
//! to be further ones, added with [`EventBus::subscribe`] rather than by changing the writers.
//!
//! Subscribers are called synchronously on the publishing task, so they must only enqueue
//! (a request never waits for a receiver, as the real services deliver in the background).
//! A leaf: this module names no other part of the mock but the time formats.

use std::sync::{Arc, RwLock};

use chrono::{DateTime, Utc};
use serde::Serialize;
use serde_json::Value;
use uuid::Uuid;

/// Defines [`EventName`] and its wire names in one table.
macro_rules! event_names {
    ($($variant:ident => $wire:literal),* $(,)?) => {
        /// An event name, as webhooks subscribe to it (the contract's `WebhookEventName`).
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        pub enum EventName {
            $(#[doc = concat!("`", $wire, "`")] $variant,)*
        }

        impl EventName {
            /// Every event, in the contract's order.
            pub const ALL: &'static [EventName] = &[$(EventName::$variant),*];

            /// The wire name, e.g. `ticket.status_changed`.
            pub fn as_str(self) -> &'static str {
                match self {
                    $(EventName::$variant => $wire,)*
                }
            }
        }
    };
}

event_names! {
    LeadCreated => "lead.created",
    TicketCreated => "ticket.created",
    TicketUpdated => "ticket.updated",
    TicketStatusChanged => "ticket.status_changed",
    TicketAssigned => "ticket.assigned",
    TicketDepartmentChanged => "ticket.department_changed",
    TicketReopened => "ticket.reopened",
    TicketReply => "ticket.reply",
    TicketCustomerReply => "ticket.customer_reply",
    ConversationCreated => "conversation.created",
    ConversationCompleted => "conversation.completed",
    ConversationHandedOff => "conversation.handed_off",
    CallRequestCreated => "call_request.created",
    CallRequestUpdated => "call_request.updated",
    CallRequestCompleted => "call_request.completed",
}

impl EventName {
    /// The event with wire name `name`, if there is one.
    pub fn parse(name: &str) -> Option<EventName> {
        EventName::ALL.iter().copied().find(|e| e.as_str() == name)
    }
}

/// Something that happened in an organisation.
#[derive(Clone, Debug, PartialEq)]
pub struct Event {
    /// Event id (a webhook envelope's `id` and `X-NextCap-Delivery`).
    pub id: Uuid,
    /// The organisation it happened in.
    pub org_id: Uuid,
    /// What happened.
    pub name: EventName,
    /// When it happened.
    pub created_at: DateTime<Utc>,
    /// The payload, e.g. `{"lead": {...}}`.
    pub data: Value,
}

impl Event {
    /// An event happening now with a fresh random id. `data` is serialized here, from the same
    /// row types the API renders, so a payload always has the API's shape.
    pub fn new(org_id: Uuid, name: EventName, data: impl Serialize) -> Event {
        Event {
            id: random_uuid(),
            org_id,
            name,
            created_at: crate::time_fmt::now(),
            // Rows serialize infallibly (no maps with non-string keys), so Null never happens.
            data: serde_json::to_value(data).unwrap_or(Value::Null),
        }
    }
}

/// A v4-shaped UUID from the thread RNG (event and webhook ids are not part of the seeded
/// fixtures, so they need not be deterministic).
pub fn random_uuid() -> Uuid {
    uuid::Builder::from_random_bytes(rand::random()).into_uuid()
}

/// Something that wants every published event.
pub trait Subscriber: Send + Sync + std::fmt::Debug {
    /// Called on the publishing task, with the state lock released: enqueue, never block.
    fn on_events(&self, events: &[Event]);

    /// Called by `reset`: work queued for events before now is obsolete.
    fn reset(&self) {}
}

/// The bus: the subscribers every publish reaches, in the order they subscribed.
#[derive(Debug, Default)]
pub struct EventBus {
    subscribers: RwLock<Vec<Arc<dyn Subscriber>>>,
}

impl EventBus {
    /// Adds a subscriber.
    pub fn subscribe(&self, subscriber: Arc<dyn Subscriber>) {
        self.subscribers.write().unwrap_or_else(std::sync::PoisonError::into_inner).push(subscriber);
    }

    /// Passes `events` to every subscriber.
    pub fn publish(&self, events: &[Event]) {
        if events.is_empty() {
            return;
        }
        for subscriber in self.subscribers.read().unwrap_or_else(std::sync::PoisonError::into_inner).iter() {
            subscriber.on_events(events);
        }
    }

    /// Tells every subscriber that a reset happened.
    pub fn reset(&self) {
        for subscriber in self.subscribers.read().unwrap_or_else(std::sync::PoisonError::into_inner).iter() {
            subscriber.reset();
        }
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Mutex;

    use super::*;

    #[derive(Debug, Default)]
    struct Recorder(Mutex<Vec<EventName>>);

    impl Subscriber for Recorder {
        fn on_events(&self, events: &[Event]) {
            self.0.lock().unwrap_or_else(std::sync::PoisonError::into_inner).extend(events.iter().map(|e| e.name));
        }
    }

    #[test]
    fn every_subscriber_sees_every_event_in_order() {
        let bus = EventBus::default();
        let (a, b) = (Arc::new(Recorder::default()), Arc::new(Recorder::default()));
        bus.subscribe(a.clone());
        bus.subscribe(b.clone());
        let org = Uuid::from_u128(1);
        bus.publish(&[Event::new(org, EventName::LeadCreated, ()), Event::new(org, EventName::TicketReply, ())]);
        bus.publish(&[]);
        for seen in [&a.0, &b.0] {
            assert_eq!(
                *seen.lock().unwrap_or_else(std::sync::PoisonError::into_inner),
                [EventName::LeadCreated, EventName::TicketReply]
            );
        }
    }

    #[test]
    fn wire_names_round_trip_and_are_unique() {
        for name in EventName::ALL {
            assert_eq!(EventName::parse(name.as_str()), Some(*name));
        }
        let mut wire: Vec<_> = EventName::ALL.iter().map(|e| e.as_str()).collect();
        wire.sort_unstable();
        wire.dedup();
        assert_eq!(wire.len(), EventName::ALL.len());
        assert_eq!(EventName::parse("lead.deleted"), None);
    }
}
