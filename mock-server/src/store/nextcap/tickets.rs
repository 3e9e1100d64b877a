//! Tickets and their timelines.
//!
//! The stored [`Ticket`] holds the department's id only; the wire shape embeds a summary of the
//! department, so responses and webhook payloads render a [`TicketView`] through
//! [`NextCapStore::ticket_view`], the single place that join happens.
//!
//! The timeline ([`TicketEvent`]) includes internal notes, as the real one does; the Data API
//! never returns them, which [`NextCapStore::public_ticket_events`] enforces for every caller.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use serde::Serialize;
use serde_json::Value;
use uuid::Uuid;

use super::{NextCapStore, Row, TicketStatus};
use crate::time_fmt;

/// A ticket as stored; see [`TicketView`] for what goes on the wire.
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
    pub description: Option<String>,
    /// Where the ticket is in the state machine.
    pub status: TicketStatus,
    /// One of [`super::TICKET_PRIORITIES`].
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
    /// One of [`super::TICKET_SOURCES`].
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
    /// Organisation-defined fields (always an object).
    pub custom_fields: Value,
    /// Free-form metadata.
    pub metadata: Value,
    /// Category.
    pub category: Option<String>,
    /// Tags.
    pub tags: Vec<String>,
    /// Originating conversation.
    pub conversation_id: Option<Uuid>,
    /// When it entered `resolved`.
    #[serde(serialize_with = "time_fmt::millis_opt")]
    pub resolved_at: Option<DateTime<Utc>>,
    /// When it entered `closed`.
    #[serde(serialize_with = "time_fmt::millis_opt")]
    pub closed_at: Option<DateTime<Utc>>,
    /// Creation time.
    #[serde(serialize_with = "time_fmt::millis")]
    pub created_at: DateTime<Utc>,
    /// Last update.
    #[serde(serialize_with = "time_fmt::millis")]
    pub updated_at: DateTime<Utc>,
}

impl Row for Ticket {
    fn id(&self) -> Uuid {
        self.id
    }
    fn created_at(&self) -> DateTime<Utc> {
        self.created_at
    }
}

/// The department as embedded in a ticket (the documented subset of its fields).
#[derive(Clone, Debug, Serialize)]
pub struct DepartmentSummary {
    /// Department id.
    pub id: Uuid,
    /// Default name.
    pub name: String,
    /// Name by locale.
    pub name_translations: BTreeMap<String, String>,
    /// Description by locale.
    pub description_translations: BTreeMap<String, String>,
    /// Accepted languages; empty means all.
    pub supported_languages: Vec<String>,
    /// Hex colour.
    pub color: String,
    /// Whether it is the default department.
    pub is_default: bool,
}

/// A ticket as the API renders it: the stored fields plus the embedded department.
#[derive(Clone, Debug, Serialize)]
pub struct TicketView {
    /// The stored ticket.
    #[serde(flatten)]
    pub ticket: Ticket,
    /// Its department; null when it has none.
    pub department: Option<DepartmentSummary>,
}

/// One timeline entry.
#[derive(Clone, Debug, Serialize)]
pub struct TicketEvent {
    /// Entry id.
    pub id: Uuid,
    /// The ticket.
    pub ticket_id: Uuid,
    /// `created`, `status_changed`, `assigned`, `reply`, `customer_reply`, `reopened`, `note`, ...
    #[serde(rename = "type")]
    pub kind: String,
    /// `agent`, `customer` or `system`.
    pub actor_type: String,
    /// The acting seat; null for customers and the system.
    pub actor_id: Option<Uuid>,
    /// The actor's name.
    pub actor_name: Option<String>,
    /// Text of replies and notes.
    pub content: Option<String>,
    /// True only for internal notes, which this API never returns.
    pub is_internal: bool,
    /// Value before a change.
    pub old_value: Option<String>,
    /// Value after a change.
    pub new_value: Option<String>,
    /// Attached files (none in the fixtures).
    pub attachments: Vec<Value>,
    /// When it happened.
    #[serde(serialize_with = "time_fmt::millis")]
    pub created_at: DateTime<Utc>,
}

impl Row for TicketEvent {
    fn id(&self) -> Uuid {
        self.id
    }
    fn created_at(&self) -> DateTime<Utc> {
        self.created_at
    }
}

/// Filters of `GET /external/tickets` besides the shared date window.
#[derive(Clone, Debug, Default)]
pub struct TicketFilter {
    /// Only this status.
    pub status: Option<TicketStatus>,
    /// Only this priority.
    pub priority: Option<&'static str>,
    /// Only this department.
    pub department_id: Option<Uuid>,
    /// Only tickets assigned to this seat.
    pub assigned_agent_id: Option<Uuid>,
    /// Only this category (exact).
    pub category: Option<String>,
    /// Tickets carrying ANY of these tags (exact, case-sensitive); empty means no tag filter.
    pub tags: Vec<String>,
    /// Only this source.
    pub source: Option<&'static str>,
}

impl TicketFilter {
    /// Whether `t` passes every filter that is set.
    pub fn accepts(&self, t: &Ticket) -> bool {
        self.status.is_none_or(|s| t.status == s)
            && self.priority.is_none_or(|p| t.priority == p)
            && self.department_id.is_none_or(|d| t.department_id == Some(d))
            && self.assigned_agent_id.is_none_or(|a| t.assigned_agent_id == Some(a))
            && self.category.as_deref().is_none_or(|c| t.category.as_deref() == Some(c))
            && (self.tags.is_empty() || self.tags.iter().any(|tag| t.tags.contains(tag)))
            && self.source.is_none_or(|s| t.source == s)
    }
}

impl NextCapStore {
    /// One ticket of an organisation.
    pub fn ticket(&self, org_id: Uuid, id: Uuid) -> Option<&Ticket> {
        self.tickets.iter().find(|t| t.id == id && t.org_id == org_id)
    }

    /// The wire shape of `ticket`, with its department joined in.
    pub fn ticket_view(&self, ticket: &Ticket) -> TicketView {
        let department = ticket
            .department_id
            .and_then(|id| self.departments.iter().find(|d| d.id == id && d.org_id == ticket.org_id))
            .map(|d| DepartmentSummary {
                id: d.id,
                name: d.name.clone(),
                name_translations: d.name_translations.clone(),
                description_translations: d.description_translations.clone(),
                supported_languages: d.supported_languages.clone(),
                color: d.color.clone(),
                is_default: d.is_default,
            });
        TicketView { ticket: ticket.clone(), department }
    }

    /// A ticket's timeline as the API may show it: oldest first, internal notes left out.
    pub fn public_ticket_events(&self, ticket_id: Uuid) -> impl Iterator<Item = &TicketEvent> {
        self.ticket_events.iter().filter(move |e| e.ticket_id == ticket_id && !e.is_internal)
    }
}
