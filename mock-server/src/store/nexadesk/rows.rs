//! NexaDesk's rows as the API renders them: workspaces, reps, leads, contacts, conversations
//! and their messages. Leads serialize to the fields documented in `nexadesk-leads.txt` plus
//! `lead_score` (0-100), which the documented sort field `lead_score` implies; contacts and
//! conversations to the fields the API README lists; messages to the contract's (inferred) shape.

use chrono::{DateTime, Utc};
use serde::Serialize;
use serde_json::Number;
use uuid::Uuid;

use crate::time_fmt;

/// Pipeline stages.
pub const STAGES: [&str; 6] = ["new", "qualified", "assigned", "contacted", "converted", "lost"];
/// Conversation statuses.
pub const CONVERSATION_STATUSES: [&str; 4] = ["open", "pending", "active", "archived"];

/// A workspace (tenant).
#[derive(Clone, Debug, Serialize)]
pub struct Workspace {
    /// `ws_...`.
    pub id: String,
    /// Display name.
    pub name: String,
}

/// A sales rep of a workspace (`assigned_rep_id`).
#[derive(Clone, Debug, Serialize)]
pub struct Rep {
    /// Rep id.
    pub id: Uuid,
    /// Workspace.
    #[serde(skip)]
    pub workspace_id: String,
    /// First name.
    pub first_name: String,
    /// Last name.
    pub last_name: String,
    /// Email.
    pub email: String,
}

/// A lead, as documented (plus `lead_score`).
#[derive(Clone, Debug, Serialize)]
pub struct Lead {
    /// Lead id.
    pub id: Uuid,
    /// Workspace.
    #[serde(skip)]
    pub workspace_id: String,
    /// Name.
    pub visitor_name: String,
    /// Email.
    pub visitor_email: Option<String>,
    /// Phone.
    pub visitor_phone: Option<String>,
    /// Company.
    pub visitor_company: Option<String>,
    /// One of [`STAGES`].
    pub pipeline_stage: String,
    /// What the lead needs.
    pub need_summary: Option<String>,
    /// Tags.
    pub tags: Vec<String>,
    /// Free-form source (`widget`, `api`, `contact-form`, ...).
    pub source: String,
    /// Estimated deal value.
    pub expected_billing_amount: Option<Number>,
    /// Assigned rep.
    pub assigned_rep_id: Option<Uuid>,
    /// Rep first name (joined).
    pub rep_first_name: Option<String>,
    /// Rep last name (joined).
    pub rep_last_name: Option<String>,
    /// Rep email (joined).
    pub rep_email: Option<String>,
    /// Lead score, 0-100; `None` until scored (leads created through the API).
    pub lead_score: Option<u8>,
    /// Creation time.
    #[serde(serialize_with = "time_fmt::millis")]
    pub created_at: DateTime<Utc>,
    /// Last update.
    #[serde(serialize_with = "time_fmt::millis")]
    pub updated_at: DateTime<Utc>,
}

/// A contact, the fields the vendor documents.
#[derive(Clone, Debug, Serialize)]
pub struct Contact {
    /// Id.
    pub id: Uuid,
    /// Workspace.
    #[serde(skip)]
    pub workspace_id: String,
    /// First name.
    pub first_name: String,
    /// Last name.
    pub last_name: Option<String>,
    /// Email (deduplication key).
    pub email: Option<String>,
    /// Phone.
    pub phone: Option<String>,
    /// Company.
    pub company_name: Option<String>,
    /// Avatar.
    pub avatar_url: Option<String>,
    /// Tags.
    pub tags: Vec<String>,
    /// Notes.
    pub profile_notes: Option<String>,
    /// AI summary of interests.
    pub interest_summary: Option<String>,
    /// Last activity.
    #[serde(serialize_with = "time_fmt::millis_opt")]
    pub last_activity: Option<DateTime<Utc>>,
    /// Creation time.
    #[serde(serialize_with = "time_fmt::millis")]
    pub created_at: DateTime<Utc>,
    /// Conversations with this contact.
    pub conversation_count: u32,
    /// Latest conversation.
    #[serde(serialize_with = "time_fmt::millis_opt")]
    pub last_conversation_at: Option<DateTime<Utc>>,
}

/// A conversation list item, the fields the vendor documents.
#[derive(Clone, Debug, Serialize)]
pub struct Conversation {
    /// Id.
    pub id: Uuid,
    /// Workspace.
    #[serde(skip)]
    pub workspace_id: String,
    /// Channel.
    pub source: String,
    /// `open`, `pending`, `active` or `archived`.
    pub status: String,
    /// Tags.
    pub tags: Vec<String>,
    /// Creation time.
    #[serde(serialize_with = "time_fmt::millis")]
    pub created_at: DateTime<Utc>,
    /// Last update.
    #[serde(serialize_with = "time_fmt::millis")]
    pub updated_at: DateTime<Utc>,
    /// Assigned rep.
    pub agent_id: Option<Uuid>,
    /// Department.
    pub department_id: Option<Uuid>,
    /// Visitor name.
    pub visitor_name: Option<String>,
    /// Visitor email.
    pub visitor_email: Option<String>,
    /// Visitor company.
    pub visitor_company: Option<String>,
    /// Assigned rep name.
    pub agent_name: Option<String>,
    /// Last message text.
    pub last_message: Option<String>,
    /// Number of messages.
    pub message_count: u32,
}

/// One message of a conversation (fields inferred; the vendor does not document them).
#[derive(Clone, Debug, Serialize)]
pub struct Message {
    /// Id.
    pub id: Uuid,
    /// The conversation.
    pub conversation_id: Uuid,
    /// Workspace.
    #[serde(skip)]
    pub workspace_id: String,
    /// `visitor`, `agent`, `bot` or `system`.
    pub sender_type: String,
    /// Display name of the sender.
    pub sender_name: Option<String>,
    /// Text.
    pub content: String,
    /// When it was posted.
    #[serde(serialize_with = "time_fmt::millis")]
    pub created_at: DateTime<Utc>,
}

/// `GET /conversations?id=`: one conversation and every message, oldest first.
#[derive(Clone, Debug, Serialize)]
pub struct ConversationDetail {
    /// The conversation.
    pub conversation: Conversation,
    /// Its messages, oldest first.
    pub messages: Vec<Message>,
}
