//! Tickets assigned to the key's agent: `GET /external/tickets`.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::DeskHiveClient;
use super::envelope::LaravelPages;
use crate::core::error::Result;
use crate::core::macros::{int_id, string_enum};
use crate::core::pagination::{ListParams, ListRequest};
use crate::core::validate::{in_range, known};

int_id!(
    /// A Desk Hive ticket's ID.
    TicketId
);
int_id!(
    /// A Desk Hive department's ID.
    DepartmentId
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
    pub id: u64,
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

/// Filters of `GET /external/tickets`.
#[derive(Clone, Debug, Default, Serialize)]
#[non_exhaustive]
pub struct TicketsQuery {
    #[serde(skip_serializing_if = "Option::is_none")]
    per_page: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    status: Option<TicketStatus>,
    #[serde(skip_serializing_if = "Option::is_none")]
    priority: Option<TicketPriority>,
    #[serde(skip_serializing_if = "Option::is_none")]
    department_id: Option<DepartmentId>,
}

impl ListParams for TicketsQuery {
    type Item = Ticket;
    type Style = LaravelPages;
    fn validate(&self) -> Result<()> {
        in_range("per_page", self.per_page, 1..=100)?;
        known("status", self.status.as_ref())?;
        known("priority", self.priority.as_ref())
    }
}

impl ListRequest<TicketsQuery> {
    /// Items per page, 1-100 (the API's default is 15).
    pub fn per_page(mut self, n: u32) -> Self {
        self.params.per_page = Some(n);
        self
    }
    /// Only tickets with this status.
    pub fn status(mut self, status: TicketStatus) -> Self {
        self.params.status = Some(status);
        self
    }
    /// Only tickets with this priority.
    pub fn priority(mut self, priority: TicketPriority) -> Self {
        self.params.priority = Some(priority);
        self
    }
    /// Only tickets of this department.
    pub fn department_id(mut self, id: impl Into<DepartmentId>) -> Self {
        self.params.department_id = Some(id.into());
        self
    }
}

/// The ticket endpoints; from [`DeskHiveClient::tickets`].
#[derive(Debug)]
pub struct Tickets<'a> {
    pub(crate) client: &'a DeskHiveClient,
}

impl Tickets<'_> {
    /// Lists the tickets assigned to the key's agent.
    ///
    /// ```no_run
    /// # async fn run(client: deskapi::DeskHiveClient) -> deskapi::Result<()> {
    /// use deskapi::deskhive::TicketStatus;
    /// let page = client.tickets().list().status(TicketStatus::Open).per_page(30).send().await?;
    /// for t in &page.items {
    ///     println!("{} {}", t.reference_id, t.title);
    /// }
    /// # Ok(()) }
    /// ```
    #[doc(alias = "listTickets")]
    pub fn list(&self) -> ListRequest<TicketsQuery> {
        ListRequest::new(&self.client.transport, Ok("/external/tickets".to_owned()), TicketsQuery::default())
    }
}
