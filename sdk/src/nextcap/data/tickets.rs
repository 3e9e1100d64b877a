//! Tickets: `GET /external/tickets`, `/tickets/:id` and `/tickets/:id/events` (the timeline).
//! The models are shared with the CRM Integration API and live in `nextcap/models/ticket.rs`.

use serde::{Serialize, Serializer};

use super::NextCapDataClient;
use super::common::item_path;
use crate::core::error::{Error, Result};
use crate::core::pagination::{ListParams, ListRequest};
use crate::core::validate::{known, non_empty};
use crate::nextcap::PlainQuery;
use crate::nextcap::envelope::{ListWindow, NextCapList, NextCapPages};
use crate::nextcap::models::{
    DepartmentId, Ticket, TicketEvent, TicketId, TicketPriority, TicketSource, TicketStatus, UserId,
};

/// Filters of `GET /external/tickets`.
#[derive(Clone, Debug, Default, Serialize)]
#[non_exhaustive]
pub struct TicketsQuery {
    #[serde(flatten)]
    window: ListWindow,
    #[serde(skip_serializing_if = "Option::is_none")]
    status: Option<TicketStatus>,
    #[serde(skip_serializing_if = "Option::is_none")]
    priority: Option<TicketPriority>,
    #[serde(skip_serializing_if = "Option::is_none")]
    department_id: Option<DepartmentId>,
    #[serde(skip_serializing_if = "Option::is_none")]
    assigned_agent_id: Option<UserId>,
    #[serde(skip_serializing_if = "Option::is_none")]
    category: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none", serialize_with = "comma_separated")]
    tags: Option<Vec<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    source: Option<TicketSource>,
}

/// The API takes one `tags=a,b` parameter, not one per tag.
fn comma_separated<S: Serializer>(tags: &Option<Vec<String>>, s: S) -> std::result::Result<S::Ok, S::Error> {
    s.serialize_str(&tags.as_deref().unwrap_or_default().join(","))
}

impl ListParams for TicketsQuery {
    type Item = Ticket;
    type Style = NextCapPages;
    fn validate(&self) -> Result<()> {
        self.window.validate()?;
        known("status", self.status.as_ref())?;
        known("priority", self.priority.as_ref())?;
        known("source", self.source.as_ref())?;
        non_empty("department_id", self.department_id.as_ref().map(DepartmentId::as_str))?;
        non_empty("assigned_agent_id", self.assigned_agent_id.as_ref().map(UserId::as_str))?;
        non_empty("category", self.category.as_deref())?;
        match self.tags.as_deref() {
            Some([]) => Err(Error::invalid("tags", "give at least one tag")),
            Some(tags) if tags.iter().any(|t| t.trim().is_empty() || t.contains(',')) => {
                Err(Error::invalid("tags", "a tag must not be empty or contain a comma"))
            }
            _ => Ok(()),
        }
    }
}

impl NextCapList for TicketsQuery {
    fn window(&mut self) -> &mut ListWindow {
        &mut self.window
    }
}

impl ListRequest<TicketsQuery> {
    /// Only tickets in this state.
    pub fn status(mut self, status: TicketStatus) -> Self {
        self.params.status = Some(status);
        self
    }
    /// Only tickets of this priority.
    pub fn priority(mut self, priority: TicketPriority) -> Self {
        self.params.priority = Some(priority);
        self
    }
    /// Only tickets in this department.
    pub fn department_id(mut self, department: impl Into<DepartmentId>) -> Self {
        self.params.department_id = Some(department.into());
        self
    }
    /// Only tickets assigned to this team member.
    pub fn assigned_agent_id(mut self, user: impl Into<UserId>) -> Self {
        self.params.assigned_agent_id = Some(user.into());
        self
    }
    /// Only tickets in this category.
    pub fn category(mut self, category: impl Into<String>) -> Self {
        self.params.category = Some(category.into());
        self
    }
    /// Only tickets with these tags (sent comma-separated; a tag may not contain a comma).
    pub fn tags<I, S>(mut self, tags: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.params.tags = Some(tags.into_iter().map(Into::into).collect());
        self
    }
    /// Only tickets that came in through this channel.
    pub fn source(mut self, source: TicketSource) -> Self {
        self.params.source = Some(source);
        self
    }
}

/// The tickets endpoints; from [`NextCapDataClient::tickets`].
#[derive(Debug)]
pub struct Tickets<'a> {
    pub(crate) client: &'a NextCapDataClient,
}

impl Tickets<'_> {
    /// Lists tickets, newest first.
    ///
    /// ```no_run
    /// # async fn run(client: deskapi::NextCapDataClient) -> deskapi::Result<()> {
    /// use deskapi::nextcap::{TicketPriority, TicketStatus};
    /// use futures::TryStreamExt;
    /// let urgent: Vec<_> = client.tickets().list()
    ///     .status(TicketStatus::Open)
    ///     .priority(TicketPriority::Urgent)
    ///     .tags(["billing", "vip"])
    ///     .stream()
    ///     .try_collect()
    ///     .await?;
    /// # Ok(()) }
    /// ```
    #[doc(alias = "listTickets")]
    pub fn list(&self) -> ListRequest<TicketsQuery> {
        self.client.list(Ok("/external/tickets".to_owned()))
    }

    /// Gets one ticket with full details.
    ///
    /// ```no_run
    /// # async fn run(client: deskapi::NextCapDataClient) -> deskapi::Result<()> {
    /// let t = client.tickets().get("5b9d6a40-0000-4000-8000-000000000001").await?;
    /// let department = t.department.as_ref().map(|d| d.name_for("fa"));
    /// println!("#{} {} ({department:?})", t.ticket_number, t.subject);
    /// # Ok(()) }
    /// ```
    #[doc(alias = "getTicket")]
    pub async fn get(&self, id: impl Into<TicketId>) -> Result<Ticket> {
        self.client.fetch(item_path("tickets", id.into().as_str(), "")).await
    }

    /// Lists a ticket's timeline (status changes, assignments, replies), oldest first.
    /// Internal notes are never included.
    ///
    /// ```no_run
    /// # async fn run(client: deskapi::NextCapDataClient) -> deskapi::Result<()> {
    /// use futures::TryStreamExt;
    /// let events: Vec<_> = client.tickets().events("5b9d6a40-0000-4000-8000-000000000001")
    ///     .stream()
    ///     .try_collect()
    ///     .await?;
    /// for e in events {
    ///     println!("{} {}", e.created_at, e.kind);
    /// }
    /// # Ok(()) }
    /// ```
    #[doc(alias = "listTicketEvents")]
    pub fn events(&self, id: impl Into<TicketId>) -> ListRequest<PlainQuery<TicketEvent>> {
        self.client.list(item_path("tickets", id.into().as_str(), "/events"))
    }
}
