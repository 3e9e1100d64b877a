//! The ticket models: [`Ticket`], its embedded [`TicketDepartment`], and the timeline's
//! [`TicketEvent`]. Shared by the Data API (read-only) and the CRM Integration API (which
//! acts on tickets), and carried by the `ticket.*` webhook payloads.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::attachment::Attachment;
use super::department::DepartmentId;
use super::fields::{localized, null_as_default};
use super::ids::{AgentId, ConversationId, UserId};
use crate::core::macros::{string_enum, string_id};

string_id!(
    /// A ticket's ID.
    TicketId
);
string_id!(
    /// A ticket timeline entry's ID.
    TicketEventId
);

string_enum! {
    /// A ticket's workflow state.
    pub enum TicketStatus {
        /// Not looked at yet.
        New => "new",
        /// Open.
        Open => "open",
        /// Being worked on.
        InProgress => "in_progress",
        /// Waiting for the customer.
        WaitingCustomer => "waiting_customer",
        /// Waiting for someone in the organisation.
        WaitingInternal => "waiting_internal",
        /// Resolved.
        Resolved => "resolved",
        /// Closed.
        Closed => "closed",
        /// Reopened after being resolved or closed.
        Reopened => "reopened",
    }
}

string_enum! {
    /// A ticket's priority.
    pub enum TicketPriority {
        /// Low.
        Low => "low",
        /// Normal (the default).
        Normal => "normal",
        /// High.
        High => "high",
        /// Urgent.
        Urgent => "urgent",
    }
}

string_enum! {
    /// The channel a ticket came in through (not where it was imported from: that is
    /// [`Ticket::external_source`]).
    pub enum TicketSource {
        /// A conversation handed off to a human.
        Handoff => "handoff",
        /// The website widget.
        Widget => "widget",
        /// Created in the dashboard.
        Dashboard => "dashboard",
        /// Email.
        Email => "email",
        /// An API.
        Api => "api",
        /// Imported from another help desk.
        Import => "import",
        /// Telegram.
        Telegram => "telegram",
        /// WhatsApp.
        WhatsApp => "whatsapp",
        /// Instagram.
        Instagram => "instagram",
    }
}

string_enum! {
    /// What a timeline entry records.
    pub enum TicketEventType {
        /// The ticket was created.
        Created => "created",
        /// A field changed.
        Updated => "updated",
        /// The status changed.
        StatusChanged => "status_changed",
        /// The ticket was assigned.
        Assigned => "assigned",
        /// The ticket moved to another department.
        DepartmentChanged => "department_changed",
        /// The ticket was reopened.
        Reopened => "reopened",
        /// An agent replied.
        Reply => "reply",
        /// The customer replied.
        CustomerReply => "customer_reply",
        /// A note (internal notes are never returned by this API).
        Note => "note",
    }
}

string_enum! {
    /// Who acted in a timeline entry.
    pub enum ActorType {
        /// A team member.
        Agent => "agent",
        /// The customer.
        Customer => "customer",
        /// The system.
        System => "system",
    }
}

/// The department embedded in a ticket.
#[derive(Clone, Debug, Deserialize, Serialize, PartialEq, Eq)]
#[non_exhaustive]
pub struct TicketDepartment {
    /// The department's ID.
    pub id: DepartmentId,
    /// The name, in the organisation's default language.
    pub name: String,
    /// Translated names keyed by ISO 639-1 locale (only the translated ones).
    #[serde(default, deserialize_with = "null_as_default")]
    pub name_translations: BTreeMap<String, String>,
    /// Translated descriptions keyed by ISO 639-1 locale.
    #[serde(default, deserialize_with = "null_as_default")]
    pub description_translations: BTreeMap<String, String>,
    /// Languages the department accepts; empty means all.
    #[serde(default, deserialize_with = "null_as_default")]
    pub supported_languages: Vec<String>,
    /// Display colour, `#rrggbb`.
    pub color: Option<String>,
    /// Whether this is the organisation's default department.
    #[serde(default)]
    pub is_default: bool,
}

impl TicketDepartment {
    /// The name in `locale` (`fa`, `fr-CA`, ...), falling back to [`Self::name`].
    ///
    /// ```
    /// # let d: deskapi::nextcap::TicketDepartment = serde_json::from_value(serde_json::json!(
    /// #     {"id": "d1", "name": "Technical Support", "name_translations": {"fr": "Support technique"},
    /// #      "description_translations": {}, "supported_languages": [], "color": null, "is_default": false})).unwrap();
    /// assert_eq!(d.name_for("fr"), "Support technique");
    /// assert_eq!(d.name_for("de"), "Technical Support");
    /// ```
    pub fn name_for(&self, locale: &str) -> &str {
        localized(&self.name_translations, locale, &self.name)
    }
}

/// A support ticket.
#[derive(Clone, Debug, Deserialize, Serialize, PartialEq)]
#[non_exhaustive]
pub struct Ticket {
    /// The ticket's ID.
    pub id: TicketId,
    /// The organisation's running ticket number.
    pub ticket_number: u64,
    /// Subject line.
    pub subject: String,
    /// Longer description.
    pub description: Option<String>,
    /// Workflow state.
    pub status: TicketStatus,
    /// Priority.
    pub priority: TicketPriority,
    /// Category, if set.
    pub category: Option<String>,
    /// Tags.
    #[serde(default, deserialize_with = "null_as_default")]
    pub tags: Vec<String>,
    /// The department's ID.
    pub department_id: Option<DepartmentId>,
    /// The department, `None` when the ticket has none.
    pub department: Option<TicketDepartment>,
    /// The team member it is assigned to.
    pub assigned_agent_id: Option<UserId>,
    /// The widget (bot) it came from.
    pub agent_id: Option<AgentId>,
    /// The bot's operational name, as in the dashboard: use it to tell bots apart.
    pub agent_name: Option<String>,
    /// The bot's display name shown to visitors.
    pub agent_display_name: Option<String>,
    /// The conversation it was created from.
    pub conversation_id: Option<ConversationId>,
    /// The intake channel.
    pub source: TicketSource,
    /// The ticket's ID in the help desk it was imported from.
    pub external_id: Option<String>,
    /// Import provenance only (`zendesk`, `freshdesk`, ...); `None` for tickets created here.
    pub external_source: Option<String>,
    /// The page the visitor was on.
    pub origin_url: Option<String>,
    /// The host name the visitor was on: use it to tell sites apart.
    pub origin_domain: Option<String>,
    /// The visitor's email.
    pub visitor_email: Option<String>,
    /// ISO 639-1 code of the language detected.
    pub detected_language: Option<String>,
    /// Organisation-defined fields.
    #[serde(default, deserialize_with = "null_as_default")]
    pub custom_fields: serde_json::Map<String, serde_json::Value>,
    /// Free-form metadata recorded with the ticket.
    pub metadata: Option<serde_json::Map<String, serde_json::Value>>,
    /// When it was resolved.
    pub resolved_at: Option<DateTime<Utc>>,
    /// When it was closed.
    pub closed_at: Option<DateTime<Utc>>,
    /// When it was created.
    pub created_at: DateTime<Utc>,
    /// When it last changed.
    pub updated_at: DateTime<Utc>,
}

/// One entry of a ticket's timeline.
#[derive(Clone, Debug, Deserialize, Serialize, PartialEq, Eq)]
#[non_exhaustive]
pub struct TicketEvent {
    /// The entry's ID.
    pub id: TicketEventId,
    /// The ticket.
    pub ticket_id: TicketId,
    /// What happened.
    #[serde(rename = "type")]
    pub kind: TicketEventType,
    /// Who acted.
    pub actor_type: ActorType,
    /// The acting team member; `None` for customers and the system.
    pub actor_id: Option<UserId>,
    /// The actor's name.
    pub actor_name: Option<String>,
    /// The text of a reply or note.
    pub content: Option<String>,
    /// True only for internal notes.
    #[serde(default)]
    pub is_internal: bool,
    /// The value before a change.
    pub old_value: Option<String>,
    /// The value after a change.
    pub new_value: Option<String>,
    /// Attached files.
    #[serde(default, deserialize_with = "null_as_default")]
    pub attachments: Vec<Attachment>,
    /// When it happened.
    pub created_at: DateTime<Utc>,
}
