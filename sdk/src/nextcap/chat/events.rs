//! What the live-chat stream yields: [`ChatEvent`], one variant per server event of the
//! contract (`openapi/nextcap-chat.yaml`, nextcap-crm-integration.txt "Live Chat"), plus the
//! connection's own changes and [`ChatEvent::Unknown`] for an event name this version does not
//! know (a new server event never breaks the stream).
//!
//! Payload fields are typed as the contract gives them; a payload that does not decode is kept
//! as [`ChatEvent::Malformed`] with its raw JSON instead of being dropped or panicking.

use chrono::{DateTime, Utc};
use serde::Deserialize;
use serde_json::Value;

use crate::nextcap::{Attachment, ConversationId, MessageId, MessageRole, UserId, VisitorTextId};

/// `message:new`: a message in a joined conversation (the visitor's, an agent's, the AI's).
#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct NewMessage {
    /// The message.
    pub id: MessageId,
    /// Its conversation.
    pub conversation_id: ConversationId,
    /// `user` (the visitor), `agent`, `assistant` or `system`.
    pub role: MessageRole,
    /// The text.
    pub content: String,
    /// The visitor's text ID.
    pub visitor_id: Option<VisitorTextId>,
    /// When it was sent.
    pub created_at: DateTime<Utc>,
    /// Its attachments, if any.
    #[serde(default)]
    pub attachments: Option<Vec<Attachment>>,
}

/// Who is typing in a `typing` event.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
#[non_exhaustive]
pub enum TypingRole {
    /// The visitor.
    Visitor,
    /// Another agent.
    Agent,
    /// A role this version does not know.
    #[serde(other)]
    Other,
}

/// `typing`: someone is typing in a joined conversation.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct Typing {
    /// The conversation.
    pub conversation_id: ConversationId,
    /// Visitor or agent.
    pub role: TypingRole,
    /// The agent's user ID or the visitor's text ID.
    pub identifier: String,
}

/// `typing:content`: the visitor's unsent text so far.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct TypingContent {
    /// The conversation.
    pub conversation_id: ConversationId,
    /// The visitor's text ID.
    pub visitor_id: VisitorTextId,
    /// The draft.
    pub content: String,
}

/// `agent:assigned`: a team member took the conversation.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct AgentAssigned {
    /// The conversation.
    pub conversation_id: ConversationId,
    /// Who took it.
    pub agent_user_id: UserId,
    /// When.
    pub timestamp: DateTime<Utc>,
}

/// `conversation:resolved`.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct ConversationResolved {
    /// The conversation.
    pub conversation_id: ConversationId,
    /// When.
    pub timestamp: DateTime<Utc>,
}

/// `ticket:created`: a ticket was filed from the conversation.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct TicketCreated {
    /// The conversation.
    pub conversation_id: ConversationId,
    /// The ticket's number.
    pub ticket_number: u64,
    /// Its subject.
    pub subject: String,
    /// When.
    pub timestamp: DateTime<Utc>,
}

/// `feedback:received`: the visitor rated the conversation.
#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct FeedbackReceived {
    /// The conversation.
    pub conversation_id: ConversationId,
    /// 1-5.
    pub satisfaction_rating: u8,
    /// Free-form feedback, if any.
    pub feedback_data: Option<Value>,
}

/// One item of the [`super::ChatEvents`] stream.
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub enum ChatEvent {
    /// The first connection is up (namespace joined).
    Connected,
    /// The connection came back after a drop; the rooms joined before were joined again.
    /// The `message:new` events missed while it was down follow, fetched over REST; other
    /// events sent while it was down are not replayed (see the module's guarantees).
    Reconnected {
        /// Which reconnection this is (1 for the first).
        attempt: u64,
    },
    /// After a reconnect the server refused to join a room again (access changed meanwhile);
    /// the client no longer follows that conversation.
    RejoinFailed {
        /// The conversation.
        conversation_id: ConversationId,
        /// The server's refusal.
        error: super::ChatError,
    },
    /// The connection dropped; the client is reconnecting.
    Disconnected {
        /// Why, in words.
        reason: String,
    },
    /// `message:new`.
    Message(NewMessage),
    /// `typing`.
    Typing(Typing),
    /// `typing:content`.
    TypingContent(TypingContent),
    /// `agent:assigned`.
    AgentAssigned(AgentAssigned),
    /// `conversation:resolved`.
    ConversationResolved(ConversationResolved),
    /// `ticket:created`.
    TicketCreated(TicketCreated),
    /// `feedback:received`.
    FeedbackReceived(FeedbackReceived),
    /// A known event whose payload did not decode.
    Malformed {
        /// The event name.
        name: String,
        /// The payload as sent.
        payload: Value,
        /// Why it did not decode.
        error: String,
    },
    /// An event name this version does not know.
    Unknown {
        /// The event name.
        name: String,
        /// Its payload.
        payload: Value,
    },
}

impl ChatEvent {
    /// The typed event for a server event `name` with `payload`.
    pub fn from_wire(name: &str, payload: Value) -> ChatEvent {
        fn typed<T: serde::de::DeserializeOwned>(name: &str, payload: Value, wrap: fn(T) -> ChatEvent) -> ChatEvent {
            match serde_json::from_value::<T>(payload.clone()) {
                Ok(value) => wrap(value),
                Err(error) => ChatEvent::Malformed { name: name.to_owned(), payload, error: error.to_string() },
            }
        }
        match name {
            "message:new" => typed(name, payload, ChatEvent::Message),
            "typing" => typed(name, payload, ChatEvent::Typing),
            "typing:content" => typed(name, payload, ChatEvent::TypingContent),
            "agent:assigned" => typed(name, payload, ChatEvent::AgentAssigned),
            "conversation:resolved" => typed(name, payload, ChatEvent::ConversationResolved),
            "ticket:created" => typed(name, payload, ChatEvent::TicketCreated),
            "feedback:received" => typed(name, payload, ChatEvent::FeedbackReceived),
            _ => ChatEvent::Unknown { name: name.to_owned(), payload },
        }
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn the_documents_example_decodes_and_bad_payloads_are_kept() {
        let payload = json!({
            "id": "0e6f3a52-8f7e-4b4c-9a55-3c8d0b1b7a10",
            "conversationId": "5b1f0b8e-2f4d-4a8e-9f0e-6c2b9d7e4a31",
            "role": "user",
            "content": "I need help with my order",
            "visitorId": "visitor_456",
            "createdAt": "2026-04-07T14:30:00.000Z",
            "attachments": null
        });
        let ChatEvent::Message(m) = ChatEvent::from_wire("message:new", payload) else { panic!("a message") };
        assert_eq!(
            (m.content.as_str(), m.visitor_id.as_ref().map(|v| v.as_str())),
            ("I need help with my order", Some("visitor_456"))
        );
        assert!(matches!(ChatEvent::from_wire("typing", json!({"role": 1})), ChatEvent::Malformed { .. }));
        assert!(matches!(ChatEvent::from_wire("queue:changed", json!({})), ChatEvent::Unknown { .. }));
        let typing = ChatEvent::from_wire("typing", json!({"conversationId": "c", "role": "robot", "identifier": "x"}));
        assert!(matches!(typing, ChatEvent::Typing(Typing { role: TypingRole::Other, .. })));
    }
}
