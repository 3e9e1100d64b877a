//! Events and the one bus they travel on.
//!
//! A write (a handler or a control action) changes the store under the lock and returns the
//! [`Event`]s it caused, each on a [`Topic`] (Next Cap webhooks, NexaDesk webhooks, Next Cap
//! live chat); after releasing the lock the caller hands them to
//! [`crate::AppState::publish`], which passes them to every [`Subscriber`] on the [`EventBus`].
//! Webhook delivery is one subscriber; the live-chat namespace and NexaDesk's webhooks are meant
//! to be further ones, added with [`EventBus::subscribe`] rather than by changing the writers.
//!
//! Subscribers are called synchronously on the publishing task, so they must only enqueue
//! (a request never waits for a receiver, as the real services deliver in the background).
//! A leaf: this module names no other part of the mock.

use std::sync::{Arc, RwLock};

use chrono::{DateTime, Utc};
use serde::Serialize;
use serde_json::Value;
use uuid::Uuid;

/// Defines an event-name enum and its wire names in one table.
macro_rules! event_names {
    ($(#[$meta:meta])* $name:ident { $($variant:ident => $wire:literal),* $(,)? }) => {
        $(#[$meta])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        pub enum $name {
            $(#[doc = concat!("`", $wire, "`")] $variant,)*
        }

        impl $name {
            /// Every event, in the contract's order.
            pub const ALL: &'static [$name] = &[$($name::$variant),*];

            /// The wire name, e.g. `ticket.status_changed`.
            pub fn as_str(self) -> &'static str {
                match self {
                    $($name::$variant => $wire,)*
                }
            }

            /// The event with wire name `name`, if there is one.
            pub fn parse(name: &str) -> Option<$name> {
                $name::ALL.iter().copied().find(|e| e.as_str() == name)
            }
        }
    };
}

event_names! {
    /// A Next Cap webhook event, as webhooks subscribe to it (the contract's `WebhookEventName`).
    EventName {
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
}}

event_names! {
    /// A NexaDesk webhook event (NexaDesk facts in the API README: webhooks are created in the
    /// dashboard; these are the events they subscribe to).
    NexaDeskEventName {
        ConversationCreated => "conversation.created",
        ConversationUpdated => "conversation.updated",
        ConversationClosed => "conversation.closed",
        MessageCreated => "message.created",
        LeadCreated => "lead.created",
        LeadUpdated => "lead.updated",
        LeadDeleted => "lead.deleted",
        ContactCreated => "contact.created",
        ContactUpdated => "contact.updated",
    }
}

event_names! {
    /// A Next Cap live-chat server event (Socket.IO namespace `/crm-chat`), emitted to the
    /// sockets in the conversation's room; never a webhook. `AccessRevoked` is the one internal
    /// name: it tells the namespace to drop a seat's (or a key's) sockets and is never emitted.
    ChatEventName {
        MessageNew => "message:new",
        Typing => "typing",
        TypingContent => "typing:content",
        TicketCreated => "ticket:created",
        FeedbackReceived => "feedback:received",
        AgentAssigned => "agent:assigned",
        ConversationResolved => "conversation:resolved",
        AccessRevoked => "access:revoked",
    }
}

/// Where an event happened and what it is: the subscribers each pick the topics they serve.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Topic {
    /// A Next Cap webhook event of an organisation.
    NextCap {
        /// The organisation.
        org_id: Uuid,
        /// What happened.
        name: EventName,
    },
    /// A NexaDesk webhook event of a workspace.
    NexaDesk {
        /// The workspace (`ws_...`).
        workspace_id: String,
        /// What happened.
        name: NexaDeskEventName,
    },
    /// A Next Cap live-chat event of an organisation.
    Chat {
        /// The organisation.
        org_id: Uuid,
        /// What happened.
        name: ChatEventName,
    },
}

impl Topic {
    /// The wire name of the event.
    pub fn name(&self) -> &'static str {
        match self {
            Topic::NextCap { name, .. } => name.as_str(),
            Topic::NexaDesk { name, .. } => name.as_str(),
            Topic::Chat { name, .. } => name.as_str(),
        }
    }
}

/// Something that happened.
#[derive(Clone, Debug, PartialEq)]
pub struct Event {
    /// Event id (a Next Cap webhook envelope's `id` and `X-NextCap-Delivery`).
    pub id: Uuid,
    /// Where it happened and what it is.
    pub topic: Topic,
    /// When it happened, on the mock's clock: set by `AppState::publish` (the Unix epoch on an
    /// event that was never published).
    pub created_at: DateTime<Utc>,
    /// The payload, e.g. `{"lead": {...}}`.
    pub data: Value,
}

impl Event {
    /// A Next Cap webhook event happening now in organisation `org_id`, with a fresh random
    /// id. `data` is serialized here, from the same row types the API renders, so a payload
    /// always has the API's shape.
    pub fn new(org_id: Uuid, name: EventName, data: impl Serialize) -> Event {
        Event::on(Topic::NextCap { org_id, name }, data)
    }

    /// A NexaDesk webhook event happening now in workspace `workspace_id`.
    pub fn nexadesk(workspace_id: &str, name: NexaDeskEventName, data: impl Serialize) -> Event {
        Event::on(Topic::NexaDesk { workspace_id: workspace_id.to_owned(), name }, data)
    }

    /// A Next Cap live-chat event happening now in organisation `org_id`.
    pub fn chat(org_id: Uuid, name: ChatEventName, data: impl Serialize) -> Event {
        Event::on(Topic::Chat { org_id, name }, data)
    }

    /// An event on `topic` happening now.
    pub fn on(topic: Topic, data: impl Serialize) -> Event {
        Event {
            id: random_uuid(),
            topic,
            // Stamped from the mock's clock when published (`AppState::publish`), not here: a
            // constructor has no server, and each server has its own clock.
            created_at: DateTime::UNIX_EPOCH,
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
    struct Recorder(Mutex<Vec<&'static str>>);

    impl Subscriber for Recorder {
        fn on_events(&self, events: &[Event]) {
            self.0
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner)
                .extend(events.iter().map(|e| e.topic.name()));
        }
    }

    #[test]
    fn every_subscriber_sees_every_event_in_order() {
        let bus = EventBus::default();
        let (a, b) = (Arc::new(Recorder::default()), Arc::new(Recorder::default()));
        bus.subscribe(a.clone());
        bus.subscribe(b.clone());
        let org = Uuid::from_u128(1);
        bus.publish(&[
            Event::new(org, EventName::LeadCreated, ()),
            Event::nexadesk("ws_1", NexaDeskEventName::ContactCreated, ()),
            Event::chat(org, ChatEventName::AgentAssigned, ()),
        ]);
        bus.publish(&[]);
        for seen in [&a.0, &b.0] {
            assert_eq!(
                *seen.lock().unwrap_or_else(std::sync::PoisonError::into_inner),
                ["lead.created", "contact.created", "agent:assigned"]
            );
        }
    }

    #[test]
    fn wire_names_round_trip_and_are_unique() {
        for name in EventName::ALL {
            assert_eq!(EventName::parse(name.as_str()), Some(*name));
        }
        for name in NexaDeskEventName::ALL {
            assert_eq!(NexaDeskEventName::parse(name.as_str()), Some(*name));
        }
        let mut wire: Vec<_> = EventName::ALL.iter().map(|e| e.as_str()).collect();
        wire.sort_unstable();
        wire.dedup();
        assert_eq!(wire.len(), EventName::ALL.len());
        assert_eq!(EventName::parse("lead.deleted"), None, "a NexaDesk event, not a Next Cap one");
        assert_eq!(EventName::parse("agent:assigned"), None, "a chat event is never a webhook event");
    }
}
