//! The builders of the CRM ticket actions: `PATCH /external/crm/tickets/:id` ([`UpdateTicket`])
//! and `POST .../reply`, `/transfer`, `/close`, `/reopen`, `/notes`. Each is started from
//! [`Tickets`](super::Tickets), takes its options, and sends nothing until `.send()`; every
//! argument the document constrains is checked first, so a refused call sends nothing.
//!
//! The state-machine check is described on [`TicketTarget`], where callers find it.

use serde::Serialize;

use super::NextCapCrmClient;
use super::common::item_path;
use super::models::{CrmTicket, TicketDetail};
use crate::core::error::{Error, Result};
use crate::core::transport::RequestSpec;
use crate::core::validate::{known, non_empty};
use crate::nextcap::models::{
    AttachmentId, DepartmentId, Ticket, TicketEvent, TicketId, TicketPriority, TicketStatus, UserId,
};

/// The largest `metadata` object the API accepts, in bytes of serialized JSON ("Max 10KB").
pub const MAX_METADATA_BYTES: usize = 10 * 1024;
/// The most attachments one reply may carry.
pub const MAX_REPLY_ATTACHMENTS: usize = 20;

/// The ticket an action is for: its ID and, when known, its current status (which lets the
/// builders check the state machine before sending).
///
/// Built from an ID (`&str`, `String`, [`TicketId`]: status unknown) or from a ticket you
/// fetched (`&Ticket`, `&CrmTicket`, `&TicketDetail`: status known).
///
/// # The state-machine check
/// The document's "Ticket Status Transitions" table
/// ([`TicketStatus::can_transition_to`]) is enforced by the API with a 400. The SDK checks it
/// first whenever it knows the ticket's current status, so that an invalid status change
/// (`update(..).status(..)`, `close`, `reopen`) fails with [`Error::InvalidArgument`] (named
/// `status`) and no request:
/// - pass the ticket itself (`&Ticket`, `&CrmTicket`, `&TicketDetail`) where a ticket is
///   expected, and its status comes with it; or
/// - call `.current_status(status)` on the builder (it wins over the ticket's).
///
/// With only an ID the SDK cannot know, so it sends and the API decides. The status may have
/// moved on since the ticket was fetched; when the caller knows better, or wants the API's own
/// answer, `.skip_transition_check()` sends without checking. An `Unknown` current status (one
/// a newer API added) is never checked, since the SDK does not know its row. Close is valid
/// from every status but `closed`; reopen only from `resolved` or `closed`.
///
/// ```
/// use deskapi::nextcap::TicketStatus;
/// use deskapi::nextcap::crm::TicketTarget;
/// let t = TicketTarget::from("5b9d6a40-0000-4000-8000-000000000001");
/// assert_eq!(t.status(), None);
/// let t = t.with_status(TicketStatus::Closed);
/// assert_eq!(t.status(), Some(&TicketStatus::Closed));
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TicketTarget {
    id: TicketId,
    status: Option<TicketStatus>,
}

impl TicketTarget {
    /// A ticket known by its ID only.
    pub fn new(id: impl Into<TicketId>) -> Self {
        Self { id: id.into(), status: None }
    }
    /// The same ticket, with its current status known.
    pub fn with_status(mut self, status: TicketStatus) -> Self {
        self.status = Some(status);
        self
    }
    /// The ticket's ID.
    pub fn id(&self) -> &TicketId {
        &self.id
    }
    /// The current status, if known.
    pub fn status(&self) -> Option<&TicketStatus> {
        self.status.as_ref()
    }
    /// `/external/crm/tickets/{id}{tail}`; an empty ID is refused.
    pub(crate) fn path(&self, tail: &str) -> Result<String> {
        item_path("tickets", "id", self.id.as_str(), tail)
    }
}

impl From<&str> for TicketTarget {
    fn from(id: &str) -> Self {
        Self::new(id)
    }
}
impl From<String> for TicketTarget {
    fn from(id: String) -> Self {
        Self::new(id)
    }
}
impl From<TicketId> for TicketTarget {
    fn from(id: TicketId) -> Self {
        Self::new(id)
    }
}
impl From<&TicketId> for TicketTarget {
    fn from(id: &TicketId) -> Self {
        Self::new(id.clone())
    }
}
impl From<&Ticket> for TicketTarget {
    fn from(t: &Ticket) -> Self {
        Self::new(t.id.clone()).with_status(t.status.clone())
    }
}
impl From<&CrmTicket> for TicketTarget {
    fn from(t: &CrmTicket) -> Self {
        Self::from(&t.ticket)
    }
}
impl From<&TicketDetail> for TicketTarget {
    fn from(t: &TicketDetail) -> Self {
        Self::from(&t.ticket.ticket)
    }
}

/// Refuses `current -> next` when the table forbids it (see the module docs for when the
/// current status is known and when the check is skipped).
fn check_transition(current: Option<&TicketStatus>, next: &TicketStatus, skip: bool) -> Result<()> {
    match current {
        Some(from) if !skip && from.is_known() && !from.can_transition_to(next) => {
            let allowed: Vec<&str> = from.allowed_transitions().iter().map(TicketStatus::as_str).collect();
            Err(Error::invalid(
                "status",
                format!(
                    "a `{from}` ticket cannot move to `{next}` (allowed: {}); use .skip_transition_check() to let the API decide",
                    allowed.join(", ")
                ),
            ))
        }
        _ => Ok(()),
    }
}

/// A JSON object argument (`custom_fields`, `metadata`): anything else is refused.
fn object(name: &str, value: &serde_json::Value) -> Result<()> {
    if value.is_object() { Ok(()) } else { Err(Error::invalid(name, "must be a JSON object")) }
}

/// The `PATCH` body: only the fields set are serialized; `Some(None)` sends `null` (clear).
#[derive(Clone, Debug, Default, Serialize)]
struct TicketPatch {
    #[serde(skip_serializing_if = "Option::is_none")]
    status: Option<TicketStatus>,
    #[serde(skip_serializing_if = "Option::is_none")]
    priority: Option<TicketPriority>,
    #[serde(skip_serializing_if = "Option::is_none")]
    category: Option<Option<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    tags: Option<Vec<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    department_id: Option<Option<DepartmentId>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    assigned_agent_id: Option<Option<UserId>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    subject: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    description: Option<Option<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    custom_fields: Option<serde_json::Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    metadata: Option<serde_json::Value>,
}

impl TicketPatch {
    fn validate(&self) -> Result<()> {
        let empty = serde_json::to_value(self).map_or(true, |v| v.as_object().is_none_or(|o| o.is_empty()));
        if empty {
            return Err(Error::invalid("update", "set at least one field"));
        }
        known("status", self.status.as_ref())?;
        known("priority", self.priority.as_ref())?;
        non_empty("category", self.category.as_ref().and_then(Option::as_deref))?;
        if self.tags.as_deref().unwrap_or_default().iter().any(|t| t.trim().is_empty()) {
            return Err(Error::invalid("tags", "a tag must not be empty"));
        }
        non_empty("department_id", self.department_id.as_ref().and_then(|d| d.as_ref()).map(DepartmentId::as_str))?;
        non_empty("assigned_agent_id", self.assigned_agent_id.as_ref().and_then(|u| u.as_ref()).map(UserId::as_str))?;
        non_empty("subject", self.subject.as_deref())?;
        if let Some(fields) = &self.custom_fields {
            object("custom_fields", fields)?;
        }
        if let Some(metadata) = &self.metadata {
            object("metadata", metadata)?;
            let bytes = serde_json::to_vec(metadata).map_or(usize::MAX, |b| b.len());
            if bytes > MAX_METADATA_BYTES {
                return Err(Error::invalid(
                    "metadata",
                    format!("is {bytes} bytes of JSON; the API accepts at most {MAX_METADATA_BYTES} (10 KB)"),
                ));
            }
        }
        Ok(())
    }
}

/// An update of a ticket's fields being built; from [`Tickets::update`](super::Tickets::update).
/// Only the fields set are sent; `tags` and `metadata` replace the whole value.
///
/// Refused before sending ([`Error::InvalidArgument`]): an update that sets nothing, an empty
/// ID, subject, category, tag, department or agent ID, a status or priority the SDK does not
/// know, `custom_fields` or `metadata` that is not a JSON object, `metadata` over
/// [`MAX_METADATA_BYTES`] serialized, and a status the state machine forbids from the current
/// one when that is known (see [`TicketTarget`]).
#[derive(Debug)]
#[must_use = "an update does nothing until you call .send()"]
pub struct UpdateTicket<'a> {
    client: &'a NextCapCrmClient,
    target: TicketTarget,
    patch: TicketPatch,
    skip_check: bool,
}

impl<'a> UpdateTicket<'a> {
    pub(crate) fn new(client: &'a NextCapCrmClient, target: TicketTarget) -> Self {
        Self { client, target, patch: TicketPatch::default(), skip_check: false }
    }
    /// Moves the ticket to this status (fires `ticket.status_changed`).
    pub fn status(mut self, status: TicketStatus) -> Self {
        self.patch.status = Some(status);
        self
    }
    /// The ticket's current status, to check the transition before sending (replaces the
    /// one taken from a ticket passed as the target).
    pub fn current_status(mut self, status: TicketStatus) -> Self {
        self.target.status = Some(status);
        self
    }
    /// Sends the status change without checking the state machine first.
    pub fn skip_transition_check(mut self) -> Self {
        self.skip_check = true;
        self
    }
    /// Sets the priority.
    pub fn priority(mut self, priority: TicketPriority) -> Self {
        self.patch.priority = Some(priority);
        self
    }
    /// Sets the free-form category.
    pub fn category(mut self, category: impl Into<String>) -> Self {
        self.patch.category = Some(Some(category.into()));
        self
    }
    /// Removes the category (sends `null`).
    pub fn clear_category(mut self) -> Self {
        self.patch.category = Some(None);
        self
    }
    /// Replaces the tags (an empty list removes them all).
    pub fn tags<I, S>(mut self, tags: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.patch.tags = Some(tags.into_iter().map(Into::into).collect());
        self
    }
    /// Moves the ticket to this department (fires `ticket.department_changed`). To choose
    /// whether the agent stays, use [`Tickets::transfer`](super::Tickets::transfer).
    pub fn department_id(mut self, department: impl Into<DepartmentId>) -> Self {
        self.patch.department_id = Some(Some(department.into()));
        self
    }
    /// Removes the department (sends `null`).
    pub fn clear_department(mut self) -> Self {
        self.patch.department_id = Some(None);
        self
    }
    /// Assigns the ticket to this team member (fires `ticket.assigned`).
    pub fn assigned_agent_id(mut self, user: impl Into<UserId>) -> Self {
        self.patch.assigned_agent_id = Some(Some(user.into()));
        self
    }
    /// Removes the assignee (sends `null`).
    pub fn unassign(mut self) -> Self {
        self.patch.assigned_agent_id = Some(None);
        self
    }
    /// Sets the subject line.
    pub fn subject(mut self, subject: impl Into<String>) -> Self {
        self.patch.subject = Some(subject.into());
        self
    }
    /// Sets the description.
    pub fn description(mut self, description: impl Into<String>) -> Self {
        self.patch.description = Some(Some(description.into()));
        self
    }
    /// Removes the description (sends `null`).
    pub fn clear_description(mut self) -> Self {
        self.patch.description = Some(None);
        self
    }
    /// Updates organisation-defined custom fields (a JSON object).
    pub fn custom_fields(mut self, fields: impl Into<serde_json::Value>) -> Self {
        self.patch.custom_fields = Some(fields.into());
        self
    }
    /// Replaces the free-form metadata (a JSON object of at most [`MAX_METADATA_BYTES`]
    /// serialized).
    pub fn metadata(mut self, metadata: impl Into<serde_json::Value>) -> Self {
        self.patch.metadata = Some(metadata.into());
        self
    }

    /// Checks and sends the update; returns the updated ticket.
    ///
    /// ```no_run
    /// # async fn run(client: deskapi::NextCapCrmClient) -> deskapi::Result<()> {
    /// use deskapi::nextcap::TicketStatus;
    /// let t = client.tickets().update("5b9d6a40-0000-4000-8000-000000000001")
    ///     .current_status(TicketStatus::Open) // lets the SDK refuse a move the table forbids
    ///     .status(TicketStatus::WaitingCustomer)
    ///     .send()
    ///     .await?;
    /// println!("#{} is {}", t.ticket_number, t.status);
    /// # Ok(()) }
    /// ```
    #[doc(alias = "updateCrmTicket")]
    pub async fn send(self) -> Result<TicketDetail> {
        let path = self.target.path("")?;
        self.patch.validate()?;
        if let Some(next) = &self.patch.status {
            check_transition(self.target.status(), next, self.skip_check)?;
        }
        self.client.send(RequestSpec::new(http::Method::PATCH, path).json(&self.patch)?).await
    }
}

/// A status action without a body (close, reopen): the target, the status it moves to, and
/// whether to check the transition.
#[derive(Debug)]
struct StatusAction<'a> {
    client: &'a NextCapCrmClient,
    target: TicketTarget,
    skip_check: bool,
}

impl StatusAction<'_> {
    /// The checked request moving the ticket to `next` through `POST .../{tail}`.
    fn request(&self, tail: &str, next: &TicketStatus) -> Result<RequestSpec> {
        let path = self.target.path(tail)?;
        check_transition(self.target.status(), next, self.skip_check)?;
        Ok(RequestSpec::new(http::Method::POST, path))
    }
}

/// The builder methods every [`StatusAction`] wrapper shares (close, reopen): the
/// constructor, the known current status and the opt-out of the transition check.
macro_rules! status_action_setters {
    () => {
        pub(crate) fn new(client: &'a NextCapCrmClient, target: TicketTarget) -> Self {
            Self(StatusAction { client, target, skip_check: false })
        }
        /// The ticket's current status, to check the transition before sending.
        pub fn current_status(mut self, status: TicketStatus) -> Self {
            self.0.target.status = Some(status);
            self
        }
        /// Sends without checking the state machine first.
        pub fn skip_transition_check(mut self) -> Self {
            self.0.skip_check = true;
            self
        }
    };
}

/// Closing a ticket; from [`Tickets::close`](super::Tickets::close). Refused before sending
/// when the ticket is known to be `closed` already (see [`TicketTarget`]).
#[derive(Debug)]
#[must_use = "closing does nothing until you call .send()"]
pub struct CloseTicket<'a>(StatusAction<'a>);

impl<'a> CloseTicket<'a> {
    status_action_setters!();
    /// Checks and sends; returns the closed ticket.
    ///
    /// ```no_run
    /// # async fn run(client: deskapi::NextCapCrmClient) -> deskapi::Result<()> {
    /// let t = client.tickets().close("5b9d6a40-0000-4000-8000-000000000001").send().await?;
    /// println!("closed at {:?}", t.closed_at);
    /// # Ok(()) }
    /// ```
    #[doc(alias = "closeCrmTicket")]
    pub async fn send(self) -> Result<TicketDetail> {
        let request = self.0.request("/close", &TicketStatus::Closed)?;
        self.0.client.send(request).await
    }
}

/// Reopening a ticket; from [`Tickets::reopen`](super::Tickets::reopen). Refused before
/// sending when the ticket is known to be neither `resolved` nor `closed`.
#[derive(Debug)]
#[must_use = "reopening does nothing until you call .send()"]
pub struct ReopenTicket<'a>(StatusAction<'a>);

impl<'a> ReopenTicket<'a> {
    status_action_setters!();
    /// Checks and sends; returns the reopened ticket.
    ///
    /// ```no_run
    /// # async fn run(client: deskapi::NextCapCrmClient) -> deskapi::Result<()> {
    /// let ticket = client.tickets().get("5b9d6a40-0000-4000-8000-000000000001").await?;
    /// let t = client.tickets().reopen(&ticket).send().await?; // refused before sending unless resolved or closed
    /// println!("{}", t.status);
    /// # Ok(()) }
    /// ```
    #[doc(alias = "reopenCrmTicket")]
    pub async fn send(self) -> Result<TicketDetail> {
        let request = self.0.request("/reopen", &TicketStatus::Reopened)?;
        self.0.client.send(request).await
    }
}

/// The body of a reply.
#[derive(Debug, Serialize)]
struct ReplyBody {
    content: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    attachment_ids: Vec<AttachmentId>,
}

/// A reply being built; from [`Tickets::reply`](super::Tickets::reply). Refused before
/// sending: empty content, more than [`MAX_REPLY_ATTACHMENTS`] attachments, an empty or
/// repeated attachment ID.
#[derive(Debug)]
#[must_use = "a reply does nothing until you call .send()"]
pub struct ReplyToTicket<'a> {
    client: &'a NextCapCrmClient,
    target: TicketTarget,
    body: ReplyBody,
}

impl<'a> ReplyToTicket<'a> {
    pub(crate) fn new(client: &'a NextCapCrmClient, target: TicketTarget, content: String) -> Self {
        Self { client, target, body: ReplyBody { content, attachment_ids: Vec::new() } }
    }
    /// Files uploaded with the attachment endpoints to send with the reply (at most 20; the
    /// visitor sees them as part of it). Adds to those given before.
    pub fn attachment_ids<I, A>(mut self, ids: I) -> Self
    where
        I: IntoIterator<Item = A>,
        A: Into<AttachmentId>,
    {
        self.body.attachment_ids.extend(ids.into_iter().map(Into::into));
        self
    }
    /// Checks and sends; returns the reply as a timeline entry (`type: reply`).
    ///
    /// ```no_run
    /// # async fn run(client: deskapi::NextCapCrmClient) -> deskapi::Result<()> {
    /// let reply = client.tickets().reply("5b9d6a40-0000-4000-8000-000000000001", "Fixed, thanks!").send().await?;
    /// println!("{:?} replied", reply.actor_name);
    /// # Ok(()) }
    /// ```
    #[doc(alias = "replyCrmTicket")]
    pub async fn send(self) -> Result<TicketEvent> {
        let path = self.target.path("/reply")?;
        non_empty("content", Some(&self.body.content))?;
        let ids = &self.body.attachment_ids;
        if ids.len() > MAX_REPLY_ATTACHMENTS {
            return Err(Error::invalid(
                "attachment_ids",
                format!("{} given; a reply carries at most {MAX_REPLY_ATTACHMENTS}", ids.len()),
            ));
        }
        for (i, id) in ids.iter().enumerate() {
            non_empty("attachment_ids", Some(id.as_str()))?;
            if ids[..i].contains(id) {
                return Err(Error::invalid("attachment_ids", format!("`{id}` is given twice")));
            }
        }
        self.client.send(RequestSpec::new(http::Method::POST, path).json(&self.body)?).await
    }
}

/// The body of a transfer; `unassign` is always sent, so the effect does not depend on the
/// server's default.
#[derive(Debug, Serialize)]
struct TransferBody {
    department_id: DepartmentId,
    unassign: bool,
}

/// A transfer to another department being built; from
/// [`Tickets::transfer`](super::Tickets::transfer). Unassigns the current agent unless
/// `.unassign(false)`. An empty department ID is refused before sending.
#[derive(Debug)]
#[must_use = "a transfer does nothing until you call .send()"]
pub struct TransferTicket<'a> {
    client: &'a NextCapCrmClient,
    target: TicketTarget,
    body: TransferBody,
}

impl<'a> TransferTicket<'a> {
    pub(crate) fn new(client: &'a NextCapCrmClient, target: TicketTarget, department_id: DepartmentId) -> Self {
        Self { client, target, body: TransferBody { department_id, unassign: true } }
    }
    /// Whether to unassign the current agent (default `true`, as documented).
    pub fn unassign(mut self, unassign: bool) -> Self {
        self.body.unassign = unassign;
        self
    }
    /// Checks and sends; returns the transferred ticket.
    ///
    /// ```no_run
    /// # async fn run(client: deskapi::NextCapCrmClient) -> deskapi::Result<()> {
    /// let t = client.tickets()
    ///     .transfer("5b9d6a40-0000-4000-8000-000000000001", "d1e2f3a4-0000-4000-8000-000000000002")
    ///     .send()
    ///     .await?;
    /// assert!(t.assigned_agent_id.is_none()); // unassigned by default
    /// # Ok(()) }
    /// ```
    #[doc(alias = "transferCrmTicket")]
    pub async fn send(self) -> Result<TicketDetail> {
        let path = self.target.path("/transfer")?;
        non_empty("department_id", Some(self.body.department_id.as_str()))?;
        self.client.send(RequestSpec::new(http::Method::POST, path).json(&self.body)?).await
    }
}

/// The body of a note; `is_internal` is always sent.
#[derive(Debug, Serialize)]
struct NoteBody {
    content: String,
    is_internal: bool,
}

/// A note being built; from [`Tickets::add_note`](super::Tickets::add_note). Internal unless
/// `.is_internal(false)`. Empty content is refused before sending.
#[derive(Debug)]
#[must_use = "a note does nothing until you call .send()"]
pub struct AddTicketNote<'a> {
    client: &'a NextCapCrmClient,
    target: TicketTarget,
    body: NoteBody,
}

impl<'a> AddTicketNote<'a> {
    pub(crate) fn new(client: &'a NextCapCrmClient, target: TicketTarget, content: String) -> Self {
        Self { client, target, body: NoteBody { content, is_internal: true } }
    }
    /// Whether the note is hidden from customers (default `true`, as documented).
    pub fn is_internal(mut self, internal: bool) -> Self {
        self.body.is_internal = internal;
        self
    }
    /// Checks and sends; returns the note as a timeline entry (`type: note`).
    ///
    /// ```no_run
    /// # async fn run(client: deskapi::NextCapCrmClient) -> deskapi::Result<()> {
    /// let note = client.tickets()
    ///     .add_note("5b9d6a40-0000-4000-8000-000000000001", "Refund approved by finance.")
    ///     .is_internal(false)
    ///     .send()
    ///     .await?;
    /// assert!(!note.is_internal);
    /// # Ok(()) }
    /// ```
    #[doc(alias = "addCrmTicketNote")]
    pub async fn send(self) -> Result<TicketEvent> {
        let path = self.target.path("/notes")?;
        non_empty("content", Some(&self.body.content))?;
        self.client.send(RequestSpec::new(http::Method::POST, path).json(&self.body)?).await
    }
}
