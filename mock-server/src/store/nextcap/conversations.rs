//! Conversations and their messages.
//!
//! A message may carry the model's usage (tokens, latency, model name), as the real service
//! stores it for billing; the documentation promises these are never exposed, so the field is
//! `#[serde(skip)]` and no response or webhook can carry it.

use chrono::{DateTime, Utc};
use serde::Serialize;
use serde_json::Value;
use uuid::Uuid;

use super::{NextCapStore, Row};
use crate::time_fmt;

/// A conversation (messages are kept separately).
#[derive(Clone, Debug, Serialize)]
pub struct Conversation {
    /// Conversation id.
    pub id: Uuid,
    /// Owning organisation.
    #[serde(skip)]
    pub org_id: Uuid,
    /// Widget id.
    pub agent_id: Uuid,
    /// The visitor's text id.
    pub visitor_id: String,
    /// One of [`super::CONVERSATION_STATUSES`].
    pub status: String,
    /// Human agent (seat id) handling it.
    pub assigned_agent_id: Option<Uuid>,
    /// One of [`super::CONVERSATION_CHANNELS`].
    pub channel: String,
    /// The visitor's first message, shortened.
    pub title: Option<String>,
    /// The visitor's name, when known.
    pub visitor_name: Option<String>,
    /// The visitor's email, when known.
    pub visitor_email: Option<String>,
    /// The lead captured in this conversation.
    pub lead_id: Option<Uuid>,
    /// Number of messages.
    pub message_count: usize,
    /// The visitor's rating, 1-5.
    pub satisfaction_rating: Option<u8>,
    /// ISO 639-1 code.
    pub detected_language: Option<String>,
    /// When it was handed off to a human.
    #[serde(serialize_with = "time_fmt::millis_opt")]
    pub handed_off_at: Option<DateTime<Utc>>,
    /// When it was resolved.
    #[serde(serialize_with = "time_fmt::millis_opt")]
    pub resolved_at: Option<DateTime<Utc>>,
    /// Creation time.
    #[serde(serialize_with = "time_fmt::millis")]
    pub created_at: DateTime<Utc>,
    /// Last update.
    #[serde(serialize_with = "time_fmt::millis")]
    pub updated_at: DateTime<Utc>,
}

impl Row for Conversation {
    fn id(&self) -> Uuid {
        self.id
    }
    fn created_at(&self) -> DateTime<Utc> {
        self.created_at
    }
}

/// What the model spent on an assistant message. Internal: never serialized.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ModelUsage {
    /// Prompt tokens.
    pub prompt_tokens: u32,
    /// Completion tokens.
    pub completion_tokens: u32,
    /// Time to answer, in milliseconds.
    pub latency_ms: u32,
    /// Model name.
    pub model: String,
}

/// A conversation message, as documented.
#[derive(Clone, Debug, Serialize)]
pub struct Message {
    /// Message id.
    pub id: Uuid,
    /// Conversation id.
    pub conversation_id: Uuid,
    /// `user`, `assistant`, `system` or `agent`.
    pub role: String,
    /// Text.
    pub content: String,
    /// Knowledge-base citations (assistant messages).
    pub sources: Option<Value>,
    /// Attachments.
    pub attachments: Option<Value>,
    /// `positive` / `negative` on some assistant messages.
    pub feedback: Option<String>,
    /// Creation time.
    #[serde(serialize_with = "time_fmt::millis")]
    pub created_at: DateTime<Utc>,
    /// Token counts, latency and model: stored, never exposed (see the module docs).
    #[serde(skip)]
    pub usage: Option<ModelUsage>,
}

impl Row for Message {
    fn id(&self) -> Uuid {
        self.id
    }
    fn created_at(&self) -> DateTime<Utc> {
        self.created_at
    }
}

/// Filters of `GET /external/conversations` besides the shared date window.
#[derive(Clone, Debug, Default)]
pub struct ConversationFilter {
    /// Only this status.
    pub status: Option<&'static str>,
    /// Only this widget.
    pub agent_id: Option<Uuid>,
    /// Only this visitor (text id, exact).
    pub visitor_id: Option<String>,
    /// Only conversations assigned to this seat.
    pub assigned_agent_id: Option<Uuid>,
}

impl ConversationFilter {
    /// Whether `c` passes every filter that is set.
    pub fn accepts(&self, c: &Conversation) -> bool {
        self.status.is_none_or(|s| c.status == s)
            && self.agent_id.is_none_or(|a| c.agent_id == a)
            && self.visitor_id.as_deref().is_none_or(|v| c.visitor_id == v)
            && self.assigned_agent_id.is_none_or(|a| c.assigned_agent_id == Some(a))
    }
}

impl NextCapStore {
    /// One conversation of an organisation.
    pub fn conversation(&self, org_id: Uuid, id: Uuid) -> Option<&Conversation> {
        self.conversations.iter().find(|c| c.id == id && c.org_id == org_id)
    }
}
