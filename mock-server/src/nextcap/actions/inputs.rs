//! The inputs of the Next Cap control actions: the JSON bodies of
//! `POST /__mock/nextcap/actions/...` and the arguments of the [`super::NextCapActions`]
//! methods, one definition for both.
//!
//! Every field has a default (`Default` and `#[serde(default)]`), so Rust callers write
//! `NewLead { org: "acme".into(), email: Some(..), ..Default::default() }` and JSON callers
//! send only what they need; what is required is checked by the action, which names the field.
//! Unknown fields are refused so a typo is an error, not a silently ignored value. `org` names
//! the organisation by id, slug or name (`"acme"`, `"Globex"`).

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use uuid::Uuid;

/// `capture-lead`: a visitor leaves contact details (fires `lead.created`).
#[derive(Clone, Debug, Default, Deserialize, Serialize, PartialEq)]
#[serde(default, deny_unknown_fields)]
pub struct NewLead {
    /// Organisation (required).
    pub org: String,
    /// Email; an email or a phone is required.
    pub email: Option<String>,
    /// Name.
    pub name: Option<String>,
    /// Phone.
    pub phone: Option<String>,
    /// Company.
    pub company: Option<String>,
    /// One of the lead sources; default `in_chat`.
    pub source: Option<String>,
    /// Widget; default the organisation's first.
    pub agent_id: Option<Uuid>,
    /// Conversation it was captured in (the organisation's).
    pub conversation_id: Option<Uuid>,
    /// Visitor (UUID, the organisation's).
    pub visitor_id: Option<Uuid>,
    /// Extra pre-chat form answers; default `{}`.
    pub custom_fields: Option<Map<String, Value>>,
}

/// `start-conversation`: a visitor opens the widget and chats (fires `conversation.created`).
#[derive(Clone, Debug, Default, Deserialize, Serialize, PartialEq)]
#[serde(default, deny_unknown_fields)]
pub struct NewConversation {
    /// Organisation (required).
    pub org: String,
    /// Widget; default the organisation's first.
    pub agent_id: Option<Uuid>,
    /// An existing visitor's text id; absent: a new visitor arrives.
    pub visitor_id: Option<String>,
    /// The visitor's name, if they gave it.
    pub visitor_name: Option<String>,
    /// The visitor's email, if they gave it.
    pub visitor_email: Option<String>,
    /// Country of a new visitor (ISO 3166-1 alpha-2); default `US`.
    pub country: Option<String>,
    /// One of the conversation channels; default `widget`.
    pub channel: Option<String>,
    /// The visitor's first message, if any (it becomes the title).
    pub message: Option<String>,
    /// ISO 639-1 code; default `en`.
    pub language: Option<String>,
}

/// `send-message`: the visitor writes in a conversation (no webhook: the Data API has no
/// message event).
#[derive(Clone, Debug, Default, Deserialize, Serialize, PartialEq)]
#[serde(default, deny_unknown_fields)]
pub struct VisitorMessage {
    /// Organisation (required).
    pub org: String,
    /// The conversation (required).
    pub conversation_id: Option<Uuid>,
    /// The text (required, at most 10,000 characters).
    pub content: String,
}

/// `hand-off`: the AI escalates an active conversation to a human (fires
/// `conversation.handed_off`).
#[derive(Clone, Debug, Default, Deserialize, Serialize, PartialEq)]
#[serde(default, deny_unknown_fields)]
pub struct HandOff {
    /// Organisation (required).
    pub org: String,
    /// The conversation (required).
    pub conversation_id: Option<Uuid>,
    /// The team member taking it (an active seat); absent: it waits in the queue.
    pub assigned_agent_id: Option<Uuid>,
}

/// `complete-conversation`: an active or handed-off conversation ends (fires
/// `conversation.completed`).
#[derive(Clone, Debug, Default, Deserialize, Serialize, PartialEq)]
#[serde(default, deny_unknown_fields)]
pub struct CompleteConversation {
    /// Organisation (required).
    pub org: String,
    /// The conversation (required).
    pub conversation_id: Option<Uuid>,
    /// The visitor's rating, 1-5.
    pub satisfaction_rating: Option<u8>,
}

/// `file-ticket`: a visitor files a ticket (fires `ticket.created`).
#[derive(Clone, Debug, Default, Deserialize, Serialize, PartialEq)]
#[serde(default, deny_unknown_fields)]
pub struct NewTicket {
    /// Organisation (required).
    pub org: String,
    /// Subject (required, at most 255 characters).
    pub subject: String,
    /// Description.
    pub description: Option<String>,
    /// The customer's email.
    pub visitor_email: Option<String>,
    /// One of the ticket priorities; default `normal`.
    pub priority: Option<String>,
    /// Category.
    pub category: Option<String>,
    /// Tags (no blanks, no commas).
    pub tags: Vec<String>,
    /// Department (the organisation's); default its default department.
    pub department_id: Option<Uuid>,
    /// One of the ticket sources; default `widget`.
    pub source: Option<String>,
    /// Originating conversation (the organisation's).
    pub conversation_id: Option<Uuid>,
    /// Widget; default the organisation's first.
    pub agent_id: Option<Uuid>,
    /// Page the visitor was on (absolute http(s) URL); `origin_domain` is its host.
    pub origin_url: Option<String>,
    /// ISO 639-1 code.
    pub detected_language: Option<String>,
    /// Organisation-defined fields; default `{}`.
    pub custom_fields: Option<Map<String, Value>>,
}

/// `customer-reply`: the customer answers on a ticket (fires `ticket.customer_reply`; a
/// resolved or closed ticket is reopened, firing `ticket.status_changed` and
/// `ticket.reopened`; a ticket waiting for the customer goes back to `open`, firing
/// `ticket.status_changed`).
#[derive(Clone, Debug, Default, Deserialize, Serialize, PartialEq)]
#[serde(default, deny_unknown_fields)]
pub struct CustomerReply {
    /// Organisation (required).
    pub org: String,
    /// The ticket (required).
    pub ticket_id: Option<Uuid>,
    /// The text (required, at most 10,000 characters).
    pub content: String,
}

/// `request-callback`: a visitor asks to be called back (fires `call_request.created`).
#[derive(Clone, Debug, Default, Deserialize, Serialize, PartialEq)]
#[serde(default, deny_unknown_fields)]
pub struct NewCallRequest {
    /// Organisation (required).
    pub org: String,
    /// The visitor's name (required).
    pub name: String,
    /// The number to call (required): digits, spaces, dashes, dots, parentheses, an optional
    /// leading `+`; 7 to 15 digits.
    pub phone: String,
    /// Email.
    pub email: Option<String>,
    /// What it is about.
    pub subject: Option<String>,
    /// The visitor's note.
    pub notes: Option<String>,
    /// `YYYY-MM-DD`.
    pub preferred_date: Option<String>,
    /// `HH:MM-HH:MM`, 24-hour.
    pub preferred_time_window: Option<String>,
    /// IANA zone, e.g. `Europe/Berlin`.
    pub timezone: Option<String>,
    /// One of the call request channels; default `widget`.
    pub channel: Option<String>,
    /// Widget; default the organisation's first.
    pub agent_id: Option<Uuid>,
    /// Conversation (the organisation's).
    pub conversation_id: Option<Uuid>,
    /// Visitor (UUID, the organisation's).
    pub visitor_id: Option<Uuid>,
    /// Lead (the organisation's).
    pub lead_id: Option<Uuid>,
    /// Visitor language.
    pub visitor_language: Option<String>,
    /// Page the visitor was on (absolute http(s) URL); `source_domain` is its host.
    pub source_url: Option<String>,
    /// Extra form answers; absent or null: none.
    pub custom_fields: Option<Map<String, Value>>,
}
