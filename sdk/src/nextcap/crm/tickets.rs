//! Tickets of the CRM Integration API: `GET /external/crm/tickets`, `/tickets/:id` and
//! `/tickets/:id/events`, plus the handle methods that start the ticket actions (whose
//! builders are in `ticket_actions.rs`).
//!
//! Source: "Ticket Endpoints" and "Ticket Actions" in nextcap-crm-integration.txt. Every
//! list and read is widget-scoped by the key's seat; a ticket of another widget is 403.

use serde::Serialize;

use super::NextCapCrmClient;
use super::common::{PageQuery, SortOrder, TicketSortBy, collect_distinct, comma_separated, item_path, known_set};
use super::conversations::AssignBody;
use super::models::{CrmTicket, TicketDetail};
use super::ticket_actions::{
    AddTicketNote, CloseTicket, ReopenTicket, ReplyToTicket, TicketTarget, TransferTicket, UpdateTicket,
};
use crate::core::error::{Error, Result};
use crate::core::pagination::{ListParams, ListRequest};
use crate::core::transport::RequestSpec;
use crate::core::validate::non_empty;
use crate::nextcap::envelope::{ListWindow, NextCapList, NextCapPages};
use crate::nextcap::models::{DepartmentId, TicketEvent, TicketId, TicketPriority, TicketSource, TicketStatus, UserId};

/// Filters of `GET /external/crm/tickets`. `status`, `priority`, `source` and `tags` take
/// several values, sent comma-separated (`status=open,reopened`).
#[derive(Clone, Debug, Default, Serialize)]
#[non_exhaustive]
pub struct TicketsQuery {
    #[serde(flatten)]
    window: ListWindow,
    #[serde(skip_serializing_if = "Option::is_none", serialize_with = "comma_separated")]
    status: Option<Vec<TicketStatus>>,
    #[serde(skip_serializing_if = "Option::is_none", serialize_with = "comma_separated")]
    priority: Option<Vec<TicketPriority>>,
    #[serde(skip_serializing_if = "Option::is_none", serialize_with = "comma_separated")]
    source: Option<Vec<TicketSource>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    department_id: Option<DepartmentId>,
    #[serde(skip_serializing_if = "Option::is_none")]
    assigned_agent_id: Option<UserId>,
    #[serde(skip_serializing_if = "Option::is_none", serialize_with = "comma_separated")]
    tags: Option<Vec<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    category: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    search: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    sort_by: Option<TicketSortBy>,
    #[serde(skip_serializing_if = "Option::is_none")]
    sort_order: Option<SortOrder>,
}

impl ListParams for TicketsQuery {
    type Item = CrmTicket;
    type Style = NextCapPages;
    fn validate(&self) -> Result<()> {
        self.window.validate()?;
        known_set("status", self.status.as_deref())?;
        known_set("priority", self.priority.as_deref())?;
        known_set("source", self.source.as_deref())?;
        non_empty("department_id", self.department_id.as_ref().map(DepartmentId::as_str))?;
        non_empty("assigned_agent_id", self.assigned_agent_id.as_ref().map(UserId::as_str))?;
        non_empty("category", self.category.as_deref())?;
        non_empty("search", self.search.as_deref())?;
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
    /// Only tickets in one of these states (repeats are dropped; an empty set is refused).
    pub fn status(mut self, statuses: impl IntoIterator<Item = TicketStatus>) -> Self {
        self.params.status = Some(collect_distinct(statuses));
        self
    }
    /// Only tickets of one of these priorities.
    pub fn priority(mut self, priorities: impl IntoIterator<Item = TicketPriority>) -> Self {
        self.params.priority = Some(collect_distinct(priorities));
        self
    }
    /// Only tickets that came in through one of these channels.
    pub fn source(mut self, sources: impl IntoIterator<Item = TicketSource>) -> Self {
        self.params.source = Some(collect_distinct(sources));
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
    /// Only tickets with these tags (a tag may not contain a comma).
    pub fn tags<I, S>(mut self, tags: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.params.tags = Some(tags.into_iter().map(Into::into).collect());
        self
    }
    /// Only tickets in this category.
    pub fn category(mut self, category: impl Into<String>) -> Self {
        self.params.category = Some(category.into());
        self
    }
    /// Full-text search on subject and description (case-insensitive).
    pub fn search(mut self, text: impl Into<String>) -> Self {
        self.params.search = Some(text.into());
        self
    }
    /// Sorts by this field (the API's default is `createdAt`).
    pub fn sort_by(mut self, field: TicketSortBy) -> Self {
        self.params.sort_by = Some(field);
        self
    }
    /// Sorts in this direction (the API's default is newest first).
    pub fn sort_order(mut self, order: SortOrder) -> Self {
        self.params.sort_order = Some(order);
        self
    }
}

/// The CRM ticket endpoints; from [`NextCapCrmClient::tickets`].
///
/// The actions that change a ticket's status ([`Self::update`] with a status, [`Self::close`],
/// [`Self::reopen`]) check the state machine before sending when they know the ticket's
/// current status: pass the ticket you fetched (`&ticket`) instead of its ID, or tell the
/// builder with `.current_status(..)`. See [`TicketTarget`].
#[derive(Debug)]
pub struct Tickets<'a> {
    pub(crate) client: &'a NextCapCrmClient,
}

impl<'a> Tickets<'a> {
    /// Lists the tickets the seat may see, newest first unless sorted otherwise. Each row
    /// says whether the ticket has attachments. Needs `tickets:view`.
    ///
    /// ```no_run
    /// # async fn run(client: deskapi::NextCapCrmClient) -> deskapi::Result<()> {
    /// use deskapi::nextcap::{TicketPriority, TicketStatus};
    /// use deskapi::nextcap::crm::{SortOrder, TicketSortBy};
    /// use futures::TryStreamExt;
    /// let urgent: Vec<_> = client.tickets().list()
    ///     .status([TicketStatus::Open, TicketStatus::Reopened])
    ///     .priority([TicketPriority::High, TicketPriority::Urgent])
    ///     .search("refund")
    ///     .sort_by(TicketSortBy::Priority)
    ///     .sort_order(SortOrder::Desc)
    ///     .stream()
    ///     .try_collect()
    ///     .await?;
    /// for t in urgent.iter().filter(|t| t.has_attachments) {
    ///     println!("#{} has {} files", t.ticket_number, t.attachment_count);
    /// }
    /// # Ok(()) }
    /// ```
    #[doc(alias = "listCrmTickets")]
    pub fn list(&self) -> ListRequest<TicketsQuery> {
        self.client.list(Ok("/external/crm/tickets".to_owned()))
    }

    /// Gets one ticket with its attachments (download URLs valid 24 hours). Needs
    /// `tickets:view`; a ticket outside the seat's widgets is a 403.
    ///
    /// ```no_run
    /// # async fn run(client: deskapi::NextCapCrmClient) -> deskapi::Result<()> {
    /// let t = client.tickets().get("5b9d6a40-0000-4000-8000-000000000001").await?;
    /// println!("#{} {} ({})", t.ticket_number, t.subject, t.status);
    /// for a in &t.attachments {
    ///     println!("{} {} bytes {:?}", a.filename, a.size, a.download_url);
    /// }
    /// # Ok(()) }
    /// ```
    #[doc(alias = "getCrmTicket")]
    pub async fn get(&self, id: impl Into<TicketId>) -> Result<TicketDetail> {
        self.client.fetch(item_path("tickets", "id", id.into().as_str(), "")).await
    }

    /// Lists a ticket's timeline, oldest first. Internal notes are included only for seats
    /// with `tickets:manage`. Needs `tickets:view`.
    ///
    /// ```no_run
    /// # async fn run(client: deskapi::NextCapCrmClient) -> deskapi::Result<()> {
    /// use futures::TryStreamExt;
    /// let events: Vec<_> = client.tickets().events("5b9d6a40-0000-4000-8000-000000000001")
    ///     .stream()
    ///     .try_collect()
    ///     .await?;
    /// for e in events.iter().filter(|e| e.is_internal) {
    ///     println!("note by {:?}: {:?}", e.actor_name, e.content);
    /// }
    /// # Ok(()) }
    /// ```
    #[doc(alias = "listCrmTicketEvents")]
    pub fn events(&self, id: impl Into<TicketId>) -> ListRequest<PageQuery<TicketEvent>> {
        self.client.list(item_path("tickets", "id", id.into().as_str(), "/events"))
    }

    /// Starts an update of a ticket's fields (`PATCH`): only the fields set are sent. A status
    /// change is checked against the state machine when the current status is known. Needs
    /// `tickets:manage`. See [`UpdateTicket`].
    ///
    /// ```no_run
    /// # async fn run(client: deskapi::NextCapCrmClient) -> deskapi::Result<()> {
    /// use deskapi::nextcap::{TicketPriority, TicketStatus};
    /// let ticket = client.tickets().get("5b9d6a40-0000-4000-8000-000000000001").await?;
    /// // Passing the ticket lets the builder check `status` against its current one.
    /// let updated = client.tickets().update(&ticket)
    ///     .status(TicketStatus::InProgress)
    ///     .priority(TicketPriority::High)
    ///     .tags(["billing", "vip"])
    ///     .metadata(serde_json::json!({"panel_source": "salesforce"}))
    ///     .send()
    ///     .await?;
    /// assert_eq!(updated.status, TicketStatus::InProgress);
    /// # Ok(()) }
    /// ```
    #[doc(alias = "updateCrmTicket")]
    pub fn update(&self, ticket: impl Into<TicketTarget>) -> UpdateTicket<'a> {
        UpdateTicket::new(self.client, ticket.into())
    }

    /// Starts a reply to a ticket as the seat's user: the customer gets it by email and
    /// `ticket.reply` fires. Returns the reply as a timeline entry. Needs `tickets:reply`.
    /// See [`ReplyToTicket`].
    ///
    /// ```no_run
    /// # async fn run(client: deskapi::NextCapCrmClient) -> deskapi::Result<()> {
    /// let reply = client.tickets()
    ///     .reply("5b9d6a40-0000-4000-8000-000000000001", "We are looking into this issue.")
    ///     .attachment_ids(["a1b2c3d4-0000-4000-8000-000000000001"])
    ///     .send()
    ///     .await?;
    /// println!("replied at {}", reply.created_at);
    /// # Ok(()) }
    /// ```
    #[doc(alias = "replyCrmTicket")]
    pub fn reply(&self, ticket: impl Into<TicketTarget>, content: impl Into<String>) -> ReplyToTicket<'a> {
        ReplyToTicket::new(self.client, ticket.into(), content.into())
    }

    /// Assigns a ticket to a team member (their user ID). Returns the updated ticket. Needs
    /// `tickets:assign`. Empty IDs are refused before sending.
    ///
    /// ```no_run
    /// # async fn run(client: deskapi::NextCapCrmClient) -> deskapi::Result<()> {
    /// let member = client.members().by_email("ana@acme.com").await?;
    /// let t = client.tickets().assign("5b9d6a40-0000-4000-8000-000000000001", &member.id).await?;
    /// assert_eq!(t.assigned_agent_id.as_ref(), Some(&member.id));
    /// # Ok(()) }
    /// ```
    #[doc(alias = "assignCrmTicket")]
    pub async fn assign(&self, ticket: impl Into<TicketTarget>, agent_id: impl Into<UserId>) -> Result<TicketDetail> {
        let agent_id = agent_id.into();
        let path = ticket.into().path("/assign")?;
        non_empty("agent_id", Some(agent_id.as_str()))?;
        let body = AssignBody { agent_id: &agent_id };
        self.client.send(RequestSpec::new(http::Method::POST, path).json(&body)?).await
    }

    /// Starts a transfer of a ticket to another department; by default it also unassigns
    /// the current agent. Needs `tickets:manage`. See [`TransferTicket`].
    ///
    /// ```no_run
    /// # async fn run(client: deskapi::NextCapCrmClient) -> deskapi::Result<()> {
    /// let t = client.tickets()
    ///     .transfer("5b9d6a40-0000-4000-8000-000000000001", "d1e2f3a4-0000-4000-8000-000000000002")
    ///     .unassign(false) // keep the current agent
    ///     .send()
    ///     .await?;
    /// println!("now in {:?}", t.department.as_ref().map(|d| &d.name));
    /// # Ok(()) }
    /// ```
    #[doc(alias = "transferCrmTicket")]
    pub fn transfer(
        &self,
        ticket: impl Into<TicketTarget>,
        department_id: impl Into<DepartmentId>,
    ) -> TransferTicket<'a> {
        TransferTicket::new(self.client, ticket.into(), department_id.into())
    }

    /// Starts closing a ticket (valid from every status but `closed`). Checked against the
    /// state machine when the current status is known. Needs `tickets:close`.
    /// See [`CloseTicket`].
    ///
    /// ```no_run
    /// # async fn run(client: deskapi::NextCapCrmClient) -> deskapi::Result<()> {
    /// use deskapi::nextcap::TicketStatus;
    /// let ticket = client.tickets().get("5b9d6a40-0000-4000-8000-000000000001").await?;
    /// if ticket.status.can_transition_to(&TicketStatus::Closed) {
    ///     client.tickets().close(&ticket).send().await?;
    /// }
    /// # Ok(()) }
    /// ```
    #[doc(alias = "closeCrmTicket")]
    pub fn close(&self, ticket: impl Into<TicketTarget>) -> CloseTicket<'a> {
        CloseTicket::new(self.client, ticket.into())
    }

    /// Starts reopening a resolved or closed ticket. Checked against the state machine when
    /// the current status is known. Needs `tickets:manage`. See [`ReopenTicket`].
    ///
    /// ```no_run
    /// # async fn run(client: deskapi::NextCapCrmClient) -> deskapi::Result<()> {
    /// use deskapi::nextcap::TicketStatus;
    /// let t = client.tickets()
    ///     .reopen("5b9d6a40-0000-4000-8000-000000000001")
    ///     .current_status(TicketStatus::Resolved)
    ///     .send()
    ///     .await?;
    /// assert_eq!(t.status, TicketStatus::Reopened);
    /// # Ok(()) }
    /// ```
    #[doc(alias = "reopenCrmTicket")]
    pub fn reopen(&self, ticket: impl Into<TicketTarget>) -> ReopenTicket<'a> {
        ReopenTicket::new(self.client, ticket.into())
    }

    /// Starts adding a note to a ticket's timeline; internal (hidden from customers and from
    /// seats without `tickets:manage`) unless made public. Needs `tickets:manage`.
    /// See [`AddTicketNote`].
    ///
    /// ```no_run
    /// # async fn run(client: deskapi::NextCapCrmClient) -> deskapi::Result<()> {
    /// let note = client.tickets()
    ///     .add_note("5b9d6a40-0000-4000-8000-000000000001", "Customer is on the legacy plan.")
    ///     .send()
    ///     .await?;
    /// assert!(note.is_internal);
    /// # Ok(()) }
    /// ```
    #[doc(alias = "addCrmTicketNote")]
    pub fn add_note(&self, ticket: impl Into<TicketTarget>, content: impl Into<String>) -> AddTicketNote<'a> {
        AddTicketNote::new(self.client, ticket.into(), content.into())
    }
}
