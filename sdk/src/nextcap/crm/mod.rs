//! The Next Cap CRM Integration API client (`nextcap_ck_` keys, one per seat).
//!
//! Each key inherits its seat's permissions and widget access, so the same call may be
//! allowed for one key and refused (403 `FORBIDDEN`) for another; each handle method names
//! the permission it needs (the document's "Permissions Reference"; [`Permission`] types them).
//!
//! Shaped like the Data client ([`crate::nextcap::data`]): resource handles borrowed from the
//! client (`client.tickets()`), whose methods build a path and call one of three helpers
//! below (`fetch`, `send`, `list`). Lists are [`ListRequest`]s with their own filters; writes
//! with options are builders ended by `.send()`. The models shared with the Data API
//! (tickets, conversations, messages, ...) are in [`crate::nextcap`]; the ones only this API
//! has ([`CrmTicket`], [`TicketDetail`], [`ConversationDetail`], [`Member`], ...) are here.
//!
//! Ticket status changes (PATCH, close, reopen) are checked against the document's state
//! machine ([`TicketStatus::can_transition_to`](crate::nextcap::TicketStatus::can_transition_to))
//! before sending whenever the current status is known; see [`TicketTarget`].
//!
//! Attachments ([`Attachments`]: direct and presigned uploads, streamed downloads) are here;
//! the `/crm-chat` live chat is `deskapi::nextcap::chat` (feature `chat`), which catches up
//! through [`Conversations::messages`] after a reconnect.

mod attachments;
mod common;
mod conversations;
mod members;
mod models;
mod permissions;
mod ticket_actions;
mod tickets;

pub use attachments::{
    AttachmentUpload, Attachments, DeletedAttachment, MAX_ATTACHMENT_BYTES, PresignedUpload, Progress, Upload,
    UploadStatus,
};
pub use common::{ConversationSortBy, CrmPages, PageQuery, SortOrder, TicketSortBy};
pub use conversations::{Conversations, ConversationsQuery};
pub use members::{AvailabilityStatus, Member, Members, MembersQuery, RoleId, SeatType};
pub use models::{ConversationDetail, CrmTicket, TicketDetail};
pub use permissions::{Permission, Permissions};
pub use ticket_actions::{
    AddTicketNote, CloseTicket, MAX_METADATA_BYTES, MAX_REPLY_ATTACHMENTS, ReopenTicket, ReplyToTicket, TicketTarget,
    TransferTicket, UpdateTicket,
};
pub use tickets::{Tickets, TicketsQuery};

use serde::de::DeserializeOwned;

use crate::core::client::ClientBuilder;
use crate::core::error::Result;
use crate::core::pagination::{ListParams, ListRequest};
use crate::core::secret::ApiKey;
use crate::core::transport::{RequestSpec, Transport};
use crate::nextcap::envelope::send_data;

/// Client for the Next Cap CRM Integration API. Cheap to clone; clones share the connection
/// pool and the key's rate-limit window.
///
/// The CRM Integration API needs the organisation to be on the Enterprise plan; a refused call
/// is an `Error::Api` 403 whose [`required_plan`](crate::nextcap::PlanRefusal::required_plan)
/// is `Some(Plan::Enterprise)`. A seat key follows its seat: deactivated or revoked, it gets 401.
///
/// ```no_run
/// # async fn run() -> deskapi::Result<()> {
/// use deskapi::nextcap::TicketStatus;
/// let client = deskapi::NextCapCrmClient::new("nextcap_ck_YOUR_KEY")?;
/// let open = client.tickets().list().status([TicketStatus::Open]).send().await?;
/// for t in &open.items {
///     client.tickets().reply(t, "We are looking into this issue.").send().await?;
/// }
/// # Ok(()) }
/// ```
#[derive(Clone, Debug)]
pub struct NextCapCrmClient {
    pub(crate) transport: Transport,
}

impl NextCapCrmClient {
    /// A client for the real service with default options.
    pub fn new(key: impl Into<ApiKey>) -> Result<Self> {
        Self::builder(key).build()
    }

    /// A builder, to set the base URL, retries, rate limiting, timeouts and read-ahead.
    pub fn builder(key: impl Into<ApiKey>) -> ClientBuilder<Self> {
        ClientBuilder::new(&crate::nextcap::envelope::CRM, key.into(), |transport| Self { transport })
    }

    /// The base URL requests go to.
    pub fn base_url(&self) -> &str {
        self.transport.base_url()
    }

    /// Live-chat conversations: listing, the handoff queue, assigning and resolving.
    pub fn conversations(&self) -> Conversations<'_> {
        Conversations { client: self }
    }

    /// Tickets: listing, timelines, updates and the agent actions (reply, assign, transfer,
    /// close, reopen, notes).
    pub fn tickets(&self) -> Tickets<'_> {
        Tickets { client: self }
    }

    /// Attachments: uploads (direct multipart or presigned, streamed), metadata, downloads and
    /// deletes; pass an upload's id to a reply to link it to a ticket.
    pub fn attachments(&self) -> Attachments<'_> {
        Attachments { client: self }
    }

    /// The team directory (owner/admin seats only: needs `team:invite`).
    pub fn members(&self) -> Members<'_> {
        Members { client: self }
    }

    /// GETs the single resource at `path` (an invalid path fails before sending).
    pub(crate) async fn fetch<T: DeserializeOwned>(&self, path: Result<String>) -> Result<T> {
        self.send(RequestSpec::new(http::Method::GET, path?)).await
    }

    /// Sends `spec` and unwraps the `{data}` envelope of the answer.
    pub(crate) async fn send<T: DeserializeOwned>(&self, spec: RequestSpec) -> Result<T> {
        send_data(&self.transport, spec).await
    }

    /// A list at `path` with no filters set yet (an invalid path fails when it is sent).
    pub(crate) fn list<P: ListParams + Default>(&self, path: Result<String>) -> ListRequest<P> {
        ListRequest::new(&self.transport, path, P::default())
    }
}
