//! The conversation models: [`Conversation`] and its [`Message`]s, with their state and role
//! enums. Shared by the Data API (read-only) and the CRM Integration API (live chat), and
//! carried by the `conversation.*` webhook payloads, so they live apart from either API's
//! endpoints.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::attachment::Attachment;
use super::ids::{AgentId, ConversationId, LeadId, UserId, VisitorTextId};
use crate::core::macros::{string_enum, string_id};

string_id!(
    /// A message's ID.
    MessageId
);

string_enum! {
    /// Where a conversation stands.
    pub enum ConversationStatus {
        /// The AI is handling it.
        Active => "active",
        /// Escalated to a human agent.
        HandedOff => "handed_off",
        /// Turned into a ticket.
        Ticketed => "ticketed",
        /// Resolved.
        Resolved => "resolved",
        /// Archived.
        Archived => "archived",
    }
}

string_enum! {
    /// The channel a conversation runs on.
    pub enum ConversationChannel {
        /// The website widget.
        Widget => "widget",
        /// Telegram.
        Telegram => "telegram",
        /// WhatsApp.
        WhatsApp => "whatsapp",
        /// Instagram.
        Instagram => "instagram",
        /// Created through an API.
        Api => "api",
    }
}

string_enum! {
    /// Who wrote a message.
    pub enum MessageRole {
        /// The visitor.
        User => "user",
        /// The AI assistant.
        Assistant => "assistant",
        /// A system message.
        System => "system",
        /// A human agent, during a handoff.
        Agent => "agent",
    }
}

string_enum! {
    /// The visitor's rating of an assistant message.
    pub enum MessageFeedback {
        /// Thumbs up.
        Positive => "positive",
        /// Thumbs down.
        Negative => "negative",
    }
}

/// A chat between a visitor and one of the organisation's widgets.
#[derive(Clone, Debug, Deserialize, Serialize, PartialEq)]
#[non_exhaustive]
pub struct Conversation {
    /// The conversation's ID.
    pub id: ConversationId,
    /// The widget (bot) the conversation runs on.
    pub agent_id: AgentId,
    /// The widget's text ID of the visitor.
    pub visitor_id: VisitorTextId,
    /// Where the conversation stands.
    pub status: ConversationStatus,
    /// The human agent handling it after a handoff.
    pub assigned_agent_id: Option<UserId>,
    /// The channel it runs on.
    pub channel: ConversationChannel,
    /// A short summary or the visitor's first message.
    pub title: Option<String>,
    /// The visitor's name, if known.
    pub visitor_name: Option<String>,
    /// The visitor's email, if known.
    pub visitor_email: Option<String>,
    /// The lead captured in this conversation.
    pub lead_id: Option<LeadId>,
    /// Number of messages.
    pub message_count: u64,
    /// The visitor's rating, 1 to 5.
    pub satisfaction_rating: Option<u8>,
    /// ISO 639-1 code of the language detected.
    pub detected_language: Option<String>,
    /// When it was handed off to a human.
    pub handed_off_at: Option<DateTime<Utc>>,
    /// When it was resolved.
    pub resolved_at: Option<DateTime<Utc>>,
    /// When it started.
    pub created_at: DateTime<Utc>,
    /// When it last changed.
    pub updated_at: DateTime<Utc>,
}

/// A knowledge-base citation of an assistant message.
#[derive(Clone, Debug, Deserialize, Serialize, PartialEq)]
#[non_exhaustive]
pub struct MessageSource {
    /// The cited document's title.
    pub title: String,
    /// The passage that was used.
    pub chunk: String,
    /// Further fields the API may send with a citation (kept, not interpreted).
    #[serde(flatten)]
    pub extra: serde_json::Map<String, serde_json::Value>,
}

/// One message of a conversation.
#[derive(Clone, Debug, Deserialize, Serialize, PartialEq)]
#[non_exhaustive]
pub struct Message {
    /// The message's ID.
    pub id: MessageId,
    /// The conversation it belongs to.
    pub conversation_id: ConversationId,
    /// Who wrote it.
    pub role: MessageRole,
    /// The text.
    pub content: String,
    /// Knowledge-base citations (assistant messages), `None` when there are none.
    pub sources: Option<Vec<MessageSource>>,
    /// Attached files, `None` when there are none.
    pub attachments: Option<Vec<Attachment>>,
    /// The visitor's rating of the message.
    pub feedback: Option<MessageFeedback>,
    /// When it was sent.
    pub created_at: DateTime<Utc>,
}
