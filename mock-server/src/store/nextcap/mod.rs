//! Next Cap data: organisations, widgets ("agents"), departments, seats, leads, conversations
//! with messages, tickets, call requests and visitors.
//!
//! The structs serialize to the documented wire shapes (field names and order as in the source
//! document), so handlers return them as they are. Tenant fields the API does not expose
//! (`org_id` on most rows) are `#[serde(skip)]`. Leads are kept sorted newest first
//! (`created_at` DESC, then `id`), the order the list endpoint returns, so a list is one
//! filtered scan even with 100,000 leads; code that adds leads must keep that order.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use serde::Serialize;
use serde_json::Value;
use uuid::Uuid;

use crate::time_fmt;

/// Lead sources.
pub const LEAD_SOURCES: [&str; 4] = ["pre_chat_form", "in_chat", "manual", "telegram"];
/// Conversation statuses.
pub const CONVERSATION_STATUSES: [&str; 5] = ["active", "handed_off", "ticketed", "resolved", "archived"];
/// Ticket statuses.
pub const TICKET_STATUSES: [&str; 8] =
    ["new", "open", "in_progress", "waiting_customer", "waiting_internal", "resolved", "closed", "reopened"];
/// Ticket priorities.
pub const TICKET_PRIORITIES: [&str; 4] = ["low", "normal", "high", "urgent"];
/// Ticket sources.
pub const TICKET_SOURCES: [&str; 9] =
    ["handoff", "widget", "dashboard", "email", "api", "import", "telegram", "whatsapp", "instagram"];
/// Call request statuses.
pub const CALL_STATUSES: [&str; 5] = ["new", "contacted", "scheduled", "completed", "cancelled"];
/// Call request channels.
pub const CALL_CHANNELS: [&str; 3] = ["widget", "telegram", "api"];

/// A customer organisation (tenant).
#[derive(Clone, Debug, Serialize)]
pub struct Organisation {
    /// Organisation id.
    pub id: Uuid,
    /// Display name ("Acme", "Globex").
    pub name: String,
    /// URL-safe name.
    pub slug: String,
}

/// A widget, which Next Cap calls an "agent" (`agent_id` filters).
#[derive(Clone, Debug, Serialize)]
pub struct Widget {
    /// Widget id.
    pub id: Uuid,
    /// Owning organisation.
    #[serde(skip)]
    pub org_id: Uuid,
    /// Operational name shown in the dashboard (tickets' `agent_name`).
    pub name: String,
}

/// A department, as `GET /external/departments` documents it.
#[derive(Clone, Debug, Serialize)]
pub struct Department {
    /// Department id.
    pub id: Uuid,
    /// Owning organisation.
    #[serde(skip)]
    pub org_id: Uuid,
    /// Default name.
    pub name: String,
    /// Default description.
    pub description: Option<String>,
    /// Name by ISO 639-1 locale.
    pub name_translations: BTreeMap<String, String>,
    /// Description by locale.
    pub description_translations: BTreeMap<String, String>,
    /// Accepted languages; empty means all.
    pub supported_languages: Vec<String>,
    /// URL-safe name.
    pub slug: String,
    /// Parent department.
    pub parent_id: Option<Uuid>,
    /// Whether new tickets land here by default.
    pub is_default: bool,
    /// Hex colour.
    pub color: String,
    /// Free-form settings (`autoAssign`, `businessHoursOnly`).
    pub settings: Value,
    /// Creation time.
    #[serde(serialize_with = "time_fmt::millis")]
    pub created_at: DateTime<Utc>,
}

/// A seat (team member); its id is the user id used as `assigned_agent_id`.
#[derive(Clone, Debug, Serialize)]
pub struct Seat {
    /// User id.
    pub id: Uuid,
    /// Owning organisation.
    #[serde(skip)]
    pub org_id: Uuid,
    /// Full name.
    pub name: String,
    /// Email.
    pub email: String,
    /// Role slug (`owner`, `live_chat_agent`, ...).
    pub role: String,
    /// Permissions the role grants.
    pub permissions: Vec<String>,
    /// Widgets the seat may see.
    pub widget_ids: Vec<Uuid>,
    /// False once deactivated (its CRM key stops working).
    pub active: bool,
}

/// A lead, exactly the documented fields.
#[derive(Clone, Debug, Serialize)]
pub struct Lead {
    /// Lead id.
    pub id: Uuid,
    /// Owning organisation.
    #[serde(skip)]
    pub org_id: Uuid,
    /// Email.
    pub email: Option<String>,
    /// Name.
    pub name: Option<String>,
    /// Phone.
    pub phone: Option<String>,
    /// Company.
    pub company: Option<String>,
    /// Extra pre-chat form answers (an object, possibly empty).
    pub custom_fields: Value,
    /// One of [`LEAD_SOURCES`].
    pub source: String,
    /// Widget id.
    pub agent_id: Uuid,
    /// Conversation the lead was captured in.
    pub conversation_id: Option<Uuid>,
    /// Visitor id.
    pub visitor_id: Option<Uuid>,
    /// Creation time.
    #[serde(serialize_with = "time_fmt::millis")]
    pub created_at: DateTime<Utc>,
    /// Last update.
    #[serde(serialize_with = "time_fmt::millis")]
    pub updated_at: DateTime<Utc>,
}

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
    /// One of [`CONVERSATION_STATUSES`].
    pub status: String,
    /// Human agent (seat id) handling it.
    pub assigned_agent_id: Option<Uuid>,
    /// Number of messages.
    pub message_count: usize,
    /// Creation time.
    #[serde(serialize_with = "time_fmt::millis")]
    pub created_at: DateTime<Utc>,
    /// Last update.
    #[serde(serialize_with = "time_fmt::millis")]
    pub updated_at: DateTime<Utc>,
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
}

/// A ticket; the embedded `department` object is joined in when rendered.
#[derive(Clone, Debug, Serialize)]
pub struct Ticket {
    /// Ticket id.
    pub id: Uuid,
    /// Owning organisation.
    #[serde(skip)]
    pub org_id: Uuid,
    /// Per-organisation number.
    pub ticket_number: u64,
    /// Subject.
    pub subject: String,
    /// Description.
    pub description: String,
    /// One of [`TICKET_STATUSES`].
    pub status: String,
    /// One of [`TICKET_PRIORITIES`].
    pub priority: String,
    /// Department id.
    pub department_id: Option<Uuid>,
    /// Assigned seat id.
    pub assigned_agent_id: Option<Uuid>,
    /// Widget id.
    pub agent_id: Uuid,
    /// Widget name.
    pub agent_name: String,
    /// Widget display name.
    pub agent_display_name: Option<String>,
    /// One of [`TICKET_SOURCES`].
    pub source: String,
    /// Id in the system it was imported from.
    pub external_id: Option<String>,
    /// Import provenance (`zendesk`, ...); null unless imported.
    pub external_source: Option<String>,
    /// Page the visitor was on.
    pub origin_url: Option<String>,
    /// Host of `origin_url`.
    pub origin_domain: Option<String>,
    /// Customer email.
    pub visitor_email: Option<String>,
    /// Detected language.
    pub detected_language: Option<String>,
    /// Free-form metadata.
    pub metadata: Value,
    /// Category.
    pub category: Option<String>,
    /// Tags.
    pub tags: Vec<String>,
    /// Originating conversation.
    pub conversation_id: Option<Uuid>,
    /// Creation time.
    #[serde(serialize_with = "time_fmt::millis")]
    pub created_at: DateTime<Utc>,
    /// Last update.
    #[serde(serialize_with = "time_fmt::millis")]
    pub updated_at: DateTime<Utc>,
}

/// A call-back request, the documented fields.
#[derive(Clone, Debug, Serialize)]
pub struct CallRequest {
    /// Id.
    pub id: Uuid,
    /// Organisation (this one is exposed).
    pub org_id: Uuid,
    /// Widget id.
    pub agent_id: Uuid,
    /// Conversation id.
    pub conversation_id: Option<Uuid>,
    /// Visitor id.
    pub visitor_id: Option<Uuid>,
    /// Lead id.
    pub lead_id: Option<Uuid>,
    /// Name.
    pub name: String,
    /// Email.
    pub email: Option<String>,
    /// Phone.
    pub phone: String,
    /// Notes from the team.
    pub notes: Option<String>,
    /// Legacy free-text time.
    pub preferred_time: Option<String>,
    /// Subject.
    pub subject: Option<String>,
    /// `YYYY-MM-DD`.
    pub preferred_date: Option<String>,
    /// `HH:MM-HH:MM`.
    pub preferred_time_window: Option<String>,
    /// IANA zone.
    pub timezone: Option<String>,
    /// One of [`CALL_STATUSES`].
    pub status: String,
    /// Seat handling it.
    pub assigned_user_id: Option<Uuid>,
    /// `visitor` or `agent`.
    pub triggered_by: String,
    /// One of [`CALL_CHANNELS`].
    pub channel: String,
    /// Visitor language.
    pub visitor_language: Option<String>,
    /// Page URL.
    pub source_url: Option<String>,
    /// Page host.
    pub source_domain: Option<String>,
    /// Extra form answers; null when none.
    pub custom_fields: Option<Value>,
    /// Creation time.
    #[serde(serialize_with = "time_fmt::millis")]
    pub created_at: DateTime<Utc>,
    /// Last update.
    #[serde(serialize_with = "time_fmt::millis")]
    pub updated_at: DateTime<Utc>,
    /// Completion time.
    #[serde(serialize_with = "time_fmt::millis_opt")]
    pub completed_at: Option<DateTime<Utc>>,
}

/// A tracked visitor (shape undocumented; the fields the filters imply).
#[derive(Clone, Debug, Serialize)]
pub struct Visitor {
    /// Id.
    pub id: Uuid,
    /// Owning organisation.
    #[serde(skip)]
    pub org_id: Uuid,
    /// Text id used by conversations.
    pub visitor_id: String,
    /// Name, once known.
    pub name: Option<String>,
    /// Captured email.
    pub email: Option<String>,
    /// ISO country code.
    pub country: String,
    /// Number of sessions.
    pub session_count: u32,
    /// First visit.
    #[serde(serialize_with = "time_fmt::millis")]
    pub first_seen_at: DateTime<Utc>,
    /// Last visit.
    #[serde(serialize_with = "time_fmt::millis")]
    pub last_seen_at: DateTime<Utc>,
}

/// Everything Next Cap holds.
#[derive(Clone, Debug, Default)]
pub struct NextCapStore {
    /// Organisations (Acme first).
    pub orgs: Vec<Organisation>,
    /// Widgets.
    pub widgets: Vec<Widget>,
    /// Departments.
    pub departments: Vec<Department>,
    /// Seats.
    pub seats: Vec<Seat>,
    /// Leads, newest first.
    pub leads: Vec<Lead>,
    /// Conversations.
    pub conversations: Vec<Conversation>,
    /// Messages, chronological per conversation.
    pub messages: Vec<Message>,
    /// Tickets.
    pub tickets: Vec<Ticket>,
    /// Call requests.
    pub call_requests: Vec<CallRequest>,
    /// Visitors.
    pub visitors: Vec<Visitor>,
}

/// Filters of `GET /external/leads`.
#[derive(Clone, Debug, Default)]
pub struct LeadFilter {
    /// Only leads created strictly after this.
    pub created_after: Option<DateTime<Utc>>,
    /// Only leads created strictly before this.
    pub created_before: Option<DateTime<Utc>>,
    /// Only this source.
    pub source: Option<String>,
    /// Only this widget.
    pub agent_id: Option<Uuid>,
    /// Case-insensitive substring of the email.
    pub email: Option<String>,
}

impl LeadFilter {
    fn accepts(&self, lead: &Lead, email_lower: Option<&str>) -> bool {
        self.created_after.is_none_or(|t| lead.created_at > t)
            && self.created_before.is_none_or(|t| lead.created_at < t)
            && self.source.as_deref().is_none_or(|s| lead.source == s)
            && self.agent_id.is_none_or(|a| lead.agent_id == a)
            && email_lower.is_none_or(|needle| lead.email.as_deref().is_some_and(|e| e.to_lowercase().contains(needle)))
    }
}

impl NextCapStore {
    /// One page of an organisation's leads matching `filter`, and the total that match.
    pub fn list_leads(&self, org_id: Uuid, filter: &LeadFilter, offset: usize, limit: usize) -> (Vec<Lead>, usize) {
        let needle = filter.email.as_ref().map(|e| e.to_lowercase());
        let matching = self.leads.iter().filter(|l| l.org_id == org_id && filter.accepts(l, needle.as_deref()));
        let mut page = Vec::new();
        let mut total = 0;
        for lead in matching {
            if total >= offset && page.len() < limit {
                page.push(lead.clone());
            }
            total += 1;
        }
        (page, total)
    }

    /// One lead of an organisation; another organisation's lead is as absent as a missing one.
    pub fn lead(&self, org_id: Uuid, id: Uuid) -> Option<&Lead> {
        self.leads.iter().find(|l| l.id == id && l.org_id == org_id)
    }

    /// The organisation by id.
    pub fn org(&self, id: Uuid) -> Option<&Organisation> {
        self.orgs.iter().find(|o| o.id == id)
    }
}
