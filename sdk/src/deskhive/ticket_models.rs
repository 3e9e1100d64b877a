//! The ticket models: the documented ticket resource and what it embeds, with integer-id
//! newtypes and status/priority enums that keep unknown values (`Unknown`) instead of failing.
//! Source: deskhive-external-api.txt, "Ticket Resource Structure".

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::core::macros::{int_id, string_enum};

int_id!(
    /// A Desk Hive ticket's ID.
    TicketId
);
int_id!(
    /// A Desk Hive department's ID.
    DepartmentId
);
int_id!(
    /// A Desk Hive label's ID.
    LabelId
);

string_enum! {
    /// A Desk Hive ticket's status.
    pub enum TicketStatus {
        /// Open.
        Open => "open",
        /// Being worked on.
        InProgress => "in_progress",
        /// On hold.
        OnHold => "on_hold",
        /// Closed (a customer reply reopens it).
        Closed => "closed",
    }
}

string_enum! {
    /// A Desk Hive ticket's priority.
    pub enum TicketPriority {
        /// Low.
        Low => "low",
        /// Medium.
        Medium => "medium",
        /// High.
        High => "high",
        /// Critical.
        Critical => "critical",
    }
}

/// `{id, name}`: how Desk Hive embeds a related record.
#[derive(Clone, Debug, Deserialize, Serialize, PartialEq, Eq)]
#[non_exhaustive]
pub struct NamedRef {
    /// The record's ID.
    pub id: u64,
    /// Its name.
    pub name: String,
}

/// The ticket's customer.
#[derive(Clone, Debug, Deserialize, Serialize, PartialEq, Eq)]
#[non_exhaustive]
pub struct Customer {
    /// Customer ID.
    pub id: u64,
    /// Name.
    pub name: String,
    /// Email address.
    #[serde(default)]
    pub email: Option<String>,
}

/// A label on a ticket.
#[derive(Clone, Debug, Deserialize, Serialize, PartialEq, Eq)]
#[non_exhaustive]
pub struct Label {
    /// Label ID.
    pub id: LabelId,
    /// Name.
    pub name: String,
    /// Colour, e.g. `#e74c3c`.
    #[serde(default)]
    pub color: Option<String>,
}

/// A custom field's value on a ticket.
#[derive(Clone, Debug, Deserialize, Serialize, PartialEq)]
#[non_exhaustive]
pub struct CustomFieldValue {
    /// Field ID.
    pub id: u64,
    /// The field's label.
    pub label: String,
    /// The field's type (`text`, ...).
    #[serde(rename = "type")]
    pub kind: String,
    /// The value (any JSON).
    pub value: serde_json::Value,
}

/// A Desk Hive ticket.
#[derive(Clone, Debug, Deserialize, Serialize, PartialEq)]
#[non_exhaustive]
pub struct Ticket {
    /// Ticket ID.
    pub id: TicketId,
    /// Human reference, e.g. `#1001`.
    pub reference_id: String,
    /// Title.
    pub title: String,
    /// The customer's original text.
    #[serde(default)]
    pub content: Option<String>,
    /// Status.
    pub status: TicketStatus,
    /// Priority.
    pub priority: TicketPriority,
    /// Department.
    #[serde(default)]
    pub department: Option<NamedRef>,
    /// Category.
    #[serde(default)]
    pub category: Option<NamedRef>,
    /// Product.
    #[serde(default)]
    pub product: Option<NamedRef>,
    /// Customer.
    #[serde(default)]
    pub customer: Option<Customer>,
    /// Labels.
    #[serde(default)]
    pub labels: Vec<Label>,
    /// The agent the ticket is assigned to.
    #[serde(default)]
    pub assigned_to: Option<NamedRef>,
    /// Every agent on the ticket.
    #[serde(default)]
    pub agents: Vec<NamedRef>,
    /// Custom field values.
    #[serde(default)]
    pub custom_fields: Vec<CustomFieldValue>,
    /// Whether the ticket is resolved.
    pub is_resolved: bool,
    /// Whether the ticket is locked (replies are refused with 403).
    pub is_locked: bool,
    /// Time of the last reply.
    #[serde(default)]
    pub last_reply_at: Option<DateTime<Utc>>,
    /// When the ticket was closed.
    #[serde(default)]
    pub closed_at: Option<DateTime<Utc>>,
    /// Creation time.
    pub created_at: DateTime<Utc>,
    /// Last update time.
    pub updated_at: DateTime<Utc>,
}
