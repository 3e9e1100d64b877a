//! Call-back requests: `GET /external/call-requests`, `/call-requests/:id`, and
//! `PATCH /call-requests/:id`, the one write a CRM makes to move a request through its
//! workflow (status, assignment, notes).
//!
//! The update is a builder because every field is optional and only the ones set are sent;
//! an update that sets nothing is refused before sending rather than sent as a no-op.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use super::NextCapDataClient;
use super::common::item_path;
use super::time_window::TimeWindow;
use crate::core::error::{Error, Result};
use crate::core::macros::{string_enum, string_id};
use crate::core::pagination::{ListParams, ListRequest};
use crate::core::transport::RequestSpec;
use crate::core::validate::{known, non_empty};
use crate::nextcap::envelope::{ListWindow, NextCapList, NextCapPages};
use crate::nextcap::models::{AgentId, ConversationId, LeadId, OrgId, UserId, VisitorId};

string_id!(
    /// A call request's ID.
    CallRequestId
);

string_enum! {
    /// Where a call request stands.
    pub enum CallRequestStatus {
        /// Not handled yet.
        New => "new",
        /// The visitor was contacted.
        Contacted => "contacted",
        /// A call is scheduled.
        Scheduled => "scheduled",
        /// Done (fires `call_request.completed`).
        Completed => "completed",
        /// Cancelled.
        Cancelled => "cancelled",
    }
}

string_enum! {
    /// Where a call request was captured.
    pub enum CallRequestChannel {
        /// The website widget.
        Widget => "widget",
        /// Telegram.
        Telegram => "telegram",
        /// An API.
        Api => "api",
    }
}

/// A visitor's request to be called back.
#[derive(Clone, Debug, Deserialize, Serialize, PartialEq)]
#[non_exhaustive]
pub struct CallRequest {
    /// The request's ID.
    pub id: CallRequestId,
    /// The organisation.
    pub org_id: OrgId,
    /// The widget (agent) it was captured by.
    pub agent_id: Option<AgentId>,
    /// The conversation it came from.
    pub conversation_id: Option<ConversationId>,
    /// The visitor.
    pub visitor_id: Option<VisitorId>,
    /// The lead created with it.
    pub lead_id: Option<LeadId>,
    /// The visitor's name.
    pub name: Option<String>,
    /// The visitor's email.
    pub email: Option<String>,
    /// The number to call.
    pub phone: String,
    /// Notes from the team.
    pub notes: Option<String>,
    /// Free-text preferred time (older form versions).
    pub preferred_time: Option<String>,
    /// What the visitor wants to talk about.
    pub subject: Option<String>,
    /// Preferred day.
    pub preferred_date: Option<NaiveDate>,
    /// Preferred time of day, in [`Self::timezone`].
    pub preferred_time_window: Option<TimeWindow>,
    /// The visitor's IANA time zone, e.g. `Europe/Berlin`.
    pub timezone: Option<String>,
    /// Where the request stands.
    pub status: CallRequestStatus,
    /// The team member it is assigned to.
    pub assigned_user_id: Option<UserId>,
    /// Who started the request (e.g. `visitor`).
    pub triggered_by: String,
    /// Where it was captured.
    pub channel: CallRequestChannel,
    /// The visitor's language.
    pub visitor_language: Option<String>,
    /// The page the visitor was on.
    pub source_url: Option<String>,
    /// That page's host name.
    pub source_domain: Option<String>,
    /// Answers to the extra fields configured on the visitor form, keyed by field key;
    /// `None` when the visitor gave none.
    pub custom_fields: Option<serde_json::Map<String, serde_json::Value>>,
    /// When it was created.
    pub created_at: DateTime<Utc>,
    /// When it last changed.
    pub updated_at: DateTime<Utc>,
    /// When it was completed.
    pub completed_at: Option<DateTime<Utc>>,
}

/// Filters of `GET /external/call-requests`.
#[derive(Clone, Debug, Default, Serialize)]
#[non_exhaustive]
pub struct CallRequestsQuery {
    #[serde(flatten)]
    window: ListWindow,
    #[serde(skip_serializing_if = "Option::is_none")]
    status: Option<CallRequestStatus>,
    #[serde(skip_serializing_if = "Option::is_none")]
    channel: Option<CallRequestChannel>,
}

impl ListParams for CallRequestsQuery {
    type Item = CallRequest;
    type Style = NextCapPages;
    fn validate(&self) -> Result<()> {
        self.window.validate()?;
        known("status", self.status.as_ref())?;
        known("channel", self.channel.as_ref())
    }
}

impl NextCapList for CallRequestsQuery {
    fn window(&mut self) -> &mut ListWindow {
        &mut self.window
    }
}

impl ListRequest<CallRequestsQuery> {
    /// Only requests in this state.
    pub fn status(mut self, status: CallRequestStatus) -> Self {
        self.params.status = Some(status);
        self
    }
    /// Only requests captured through this channel.
    pub fn channel(mut self, channel: CallRequestChannel) -> Self {
        self.params.channel = Some(channel);
        self
    }
}

/// The body of `PATCH /external/call-requests/:id`: only the fields set are sent.
/// `Some(None)` sends an explicit `null` (unassign, clear the notes).
#[derive(Clone, Debug, Default, Serialize)]
struct CallRequestPatch {
    #[serde(skip_serializing_if = "Option::is_none")]
    status: Option<CallRequestStatus>,
    #[serde(skip_serializing_if = "Option::is_none")]
    assigned_user_id: Option<Option<UserId>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    notes: Option<Option<String>>,
}

/// An update of a call request being built; from [`CallRequests::update`]. Set one or more
/// fields, then `.send()`.
#[derive(Debug)]
#[must_use = "an update does nothing until you call .send()"]
pub struct UpdateCallRequest<'a> {
    client: &'a NextCapDataClient,
    id: CallRequestId,
    patch: CallRequestPatch,
}

impl UpdateCallRequest<'_> {
    /// Moves the request to this state (`completed` also fires `call_request.completed`).
    pub fn status(mut self, status: CallRequestStatus) -> Self {
        self.patch.status = Some(status);
        self
    }
    /// Assigns the request to this team member.
    pub fn assigned_user_id(mut self, user: impl Into<UserId>) -> Self {
        self.patch.assigned_user_id = Some(Some(user.into()));
        self
    }
    /// Removes the assignment.
    pub fn unassign(mut self) -> Self {
        self.patch.assigned_user_id = Some(None);
        self
    }
    /// Replaces the notes.
    pub fn notes(mut self, notes: impl Into<String>) -> Self {
        self.patch.notes = Some(Some(notes.into()));
        self
    }
    /// Clears the notes.
    pub fn clear_notes(mut self) -> Self {
        self.patch.notes = Some(None);
        self
    }

    /// Sends the update and returns the updated request. An update that sets nothing, an
    /// unknown status or a blank user ID is refused before sending.
    #[doc(alias = "updateCallRequest")]
    pub async fn send(self) -> Result<CallRequest> {
        let p = &self.patch;
        if p.status.is_none() && p.assigned_user_id.is_none() && p.notes.is_none() {
            return Err(Error::invalid("update", "set at least one of status, assigned_user_id or notes"));
        }
        known("status", p.status.as_ref())?;
        non_empty("assigned_user_id", p.assigned_user_id.as_ref().and_then(|u| u.as_ref()).map(UserId::as_str))?;
        let path = item_path("call-requests", self.id.as_str(), "")?;
        self.client.send(RequestSpec::new(http::Method::PATCH, path).json(p)?).await
    }
}

/// The call request endpoints; from [`NextCapDataClient::call_requests`].
#[derive(Debug)]
pub struct CallRequests<'a> {
    pub(crate) client: &'a NextCapDataClient,
}

impl<'a> CallRequests<'a> {
    /// Lists call requests, newest first.
    ///
    /// ```no_run
    /// # async fn run(client: deskapi::NextCapDataClient) -> deskapi::Result<()> {
    /// use deskapi::nextcap::CallRequestStatus;
    /// use futures::TryStreamExt;
    /// let mut open = client.call_requests().list().status(CallRequestStatus::New).stream();
    /// while let Some(r) = open.try_next().await? {
    ///     println!("{} {:?} {:?}", r.phone, r.preferred_date, r.preferred_time_window);
    /// }
    /// # Ok(()) }
    /// ```
    #[doc(alias = "listCallRequests")]
    pub fn list(&self) -> ListRequest<CallRequestsQuery> {
        self.client.list(Ok("/external/call-requests".to_owned()))
    }

    /// Gets one call request.
    ///
    /// ```no_run
    /// # async fn run(client: deskapi::NextCapDataClient) -> deskapi::Result<()> {
    /// let r = client.call_requests().get("9f8e7d60-0000-4000-8000-000000000001").await?;
    /// println!("{:?}", r.custom_fields);
    /// # Ok(()) }
    /// ```
    #[doc(alias = "getCallRequest")]
    pub async fn get(&self, id: impl Into<CallRequestId>) -> Result<CallRequest> {
        self.client.fetch(item_path("call-requests", id.into().as_str(), "")).await
    }

    /// Starts an update of a call request's status, assignment or notes.
    ///
    /// ```no_run
    /// # async fn run(client: deskapi::NextCapDataClient) -> deskapi::Result<()> {
    /// use deskapi::nextcap::CallRequestStatus;
    /// let updated = client.call_requests().update("9f8e7d60-0000-4000-8000-000000000001")
    ///     .status(CallRequestStatus::Contacted)
    ///     .notes("Left voicemail; will retry tomorrow.")
    ///     .send()
    ///     .await?;
    /// assert_eq!(updated.status, CallRequestStatus::Contacted);
    /// # Ok(()) }
    /// ```
    pub fn update(&self, id: impl Into<CallRequestId>) -> UpdateCallRequest<'a> {
        UpdateCallRequest { client: self.client, id: id.into(), patch: CallRequestPatch::default() }
    }
}
