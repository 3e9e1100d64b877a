//! Tickets assigned to the key's agent: list (`GET /external/tickets`), get, update
//! (`PUT`, a builder), close, and the way into a ticket's thread ([`Tickets::messages`],
//! [`Tickets::like`]). Another agent's ticket is refused with 403 by the API.

use serde::Serialize;

use super::envelope::{Data, LaravelPages, StatusData};
use super::messages::{LikeState, MessageId, Messages};
use super::ticket_models::{DepartmentId, LabelId, Ticket, TicketId, TicketPriority, TicketStatus};
use super::{DeskHiveClient, id_path};
use crate::core::error::{Error, Result};
use crate::core::pagination::{ListParams, ListRequest};
use crate::core::transport::RequestSpec;
use crate::core::validate::{in_range, known};

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

/// The body of `PUT /external/tickets/{id}`: only the fields set are sent.
#[derive(Clone, Debug, Default, Serialize)]
struct TicketPatch {
    #[serde(skip_serializing_if = "Option::is_none")]
    status: Option<TicketStatus>,
    #[serde(skip_serializing_if = "Option::is_none")]
    priority: Option<TicketPriority>,
    #[serde(skip_serializing_if = "Option::is_none")]
    labels: Option<Vec<LabelId>>,
}

/// An update of a ticket being built; from [`Tickets::update`]. Set one or more fields, then
/// `.send()`.
#[derive(Debug)]
#[must_use = "an update does nothing until you call .send()"]
pub struct UpdateTicket<'a> {
    client: &'a DeskHiveClient,
    id: TicketId,
    patch: TicketPatch,
}

impl UpdateTicket<'_> {
    /// Moves the ticket to this status (`closed` also sets `closed_at` and `is_resolved`).
    pub fn status(mut self, status: TicketStatus) -> Self {
        self.patch.status = Some(status);
        self
    }
    /// Sets the priority.
    pub fn priority(mut self, priority: TicketPriority) -> Self {
        self.patch.priority = Some(priority);
        self
    }
    /// Replaces the ticket's labels with these (existing label IDs; an empty list clears them).
    pub fn labels<I, L>(mut self, labels: I) -> Self
    where
        I: IntoIterator<Item = L>,
        L: Into<LabelId>,
    {
        self.patch.labels = Some(labels.into_iter().map(Into::into).collect());
        self
    }

    /// Sends the update and returns the updated ticket. An update that sets nothing, an
    /// unknown status or priority, or a label ID of 0 is refused before sending; an unknown
    /// label comes back as a 422 with a `labels.N` field error.
    ///
    /// ```no_run
    /// # async fn run(client: deskapi::DeskHiveClient) -> deskapi::Result<()> {
    /// use deskapi::deskhive::TicketStatus;
    /// let ticket = client.tickets().update(42).status(TicketStatus::OnHold).send().await?;
    /// println!("{:?}", ticket.status);
    /// # Ok(()) }
    /// ```
    #[doc(alias = "updateTicket")]
    pub async fn send(self) -> Result<Ticket> {
        let p = &self.patch;
        if p.status.is_none() && p.priority.is_none() && p.labels.is_none() {
            return Err(Error::invalid("update", "set at least one of status, priority or labels"));
        }
        known("status", p.status.as_ref())?;
        known("priority", p.priority.as_ref())?;
        if p.labels.as_ref().is_some_and(|l| l.iter().any(|l| l.0 == 0)) {
            return Err(Error::invalid("labels", "label IDs start at 1"));
        }
        let path = id_path("ticket", self.id.0, "/external/tickets", "")?;
        let spec = RequestSpec::new(http::Method::PUT, path).json(p)?;
        Ok(self.client.transport.json::<Data<Ticket>>(spec).await?.data)
    }
}

/// The ticket endpoints; from [`DeskHiveClient::tickets`].
#[derive(Debug)]
pub struct Tickets<'a> {
    pub(crate) client: &'a DeskHiveClient,
}

impl<'a> Tickets<'a> {
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

    /// Gets one of the agent's tickets (another agent's is a 403, an unknown ID a 404).
    ///
    /// ```no_run
    /// # async fn run(client: deskapi::DeskHiveClient) -> deskapi::Result<()> {
    /// let t = client.tickets().get(42).await?;
    /// println!("{} {} locked={}", t.reference_id, t.status, t.is_locked);
    /// # Ok(()) }
    /// ```
    #[doc(alias = "getTicket")]
    pub async fn get(&self, id: impl Into<TicketId>) -> Result<Ticket> {
        let path = id_path("ticket", id.into().0, "/external/tickets", "")?;
        let spec = RequestSpec::new(http::Method::GET, path);
        Ok(self.client.transport.json::<Data<Ticket>>(spec).await?.data)
    }

    /// Starts an update of a ticket's status, priority or labels (`PUT`).
    ///
    /// ```no_run
    /// # async fn run(client: deskapi::DeskHiveClient) -> deskapi::Result<()> {
    /// use deskapi::deskhive::{TicketPriority, TicketStatus};
    /// let t = client.tickets().update(42)
    ///     .status(TicketStatus::InProgress)
    ///     .priority(TicketPriority::High)
    ///     .labels([1, 3])
    ///     .send()
    ///     .await?;
    /// assert_eq!(t.status, TicketStatus::InProgress);
    /// # Ok(()) }
    /// ```
    pub fn update(&self, id: impl Into<TicketId>) -> UpdateTicket<'a> {
        UpdateTicket { client: self.client, id: id.into(), patch: TicketPatch::default() }
    }

    /// Closes a ticket: status `closed`, `is_resolved`, `closed_at`. Closing a closed ticket
    /// returns it unchanged.
    ///
    /// ```no_run
    /// # async fn run(client: deskapi::DeskHiveClient) -> deskapi::Result<()> {
    /// let t = client.tickets().close(42).await?;
    /// assert!(t.is_resolved && t.closed_at.is_some());
    /// # Ok(()) }
    /// ```
    #[doc(alias = "closeTicket")]
    pub async fn close(&self, id: impl Into<TicketId>) -> Result<Ticket> {
        let path = id_path("ticket", id.into().0, "/external/tickets", "/close")?;
        let spec = RequestSpec::new(http::Method::POST, path);
        Ok(self.client.transport.json::<Data<Ticket>>(spec).await?.data)
    }

    /// A ticket's thread: list its messages, reply to it.
    ///
    /// ```no_run
    /// # async fn run(client: deskapi::DeskHiveClient) -> deskapi::Result<()> {
    /// let thread = client.tickets().messages(42).list().send().await?;
    /// println!("{} messages", thread.meta.total);
    /// # Ok(()) }
    /// ```
    pub fn messages(&self, id: impl Into<TicketId>) -> Messages<'a> {
        Messages { client: self.client, ticket: id.into() }
    }

    /// Toggles the agent's like on a message of a ticket; returns the state after the toggle
    /// (a message of another ticket is a 404).
    ///
    /// ```no_run
    /// # async fn run(client: deskapi::DeskHiveClient) -> deskapi::Result<()> {
    /// let like = client.tickets().like(42, 310).await?;
    /// println!("liked={} count={}", like.liked, like.count);
    /// # Ok(()) }
    /// ```
    #[doc(alias = "toggleMessageLike")]
    pub async fn like(&self, ticket: impl Into<TicketId>, message: impl Into<MessageId>) -> Result<LikeState> {
        let message = message.into().0;
        if message == 0 {
            return Err(Error::invalid("message", "message IDs start at 1"));
        }
        let path = id_path("ticket", ticket.into().0, "/external/tickets", &format!("/messages/{message}/like"))?;
        let spec = RequestSpec::new(http::Method::POST, path);
        Ok(self.client.transport.json::<StatusData<LikeState>>(spec).await?.data)
    }
}
