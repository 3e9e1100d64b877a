//! NexaDesk: the REST API for leads, contacts and conversations (`fc_live_` keys, one
//! workspace each, with `read` and `write` scopes), and its signed webhooks.
//!
//! Sources: `nexadesk-getting-started.txt`, `nexadesk-leads.txt` and the NexaDesk facts of the
//! API README; the contract is `openapi/nexadesk.yaml`. Single resources are addressed with
//! `?id=` in the query string, as the API does; every builder checks the documented limits
//! before sending, so a bad argument is an [`Error::InvalidArgument`](crate::Error) and no
//! request. [`NexaDeskErrorKind`] tells the API's refusals apart (its error body has no code).

mod contacts;
mod conversations;
pub(crate) mod envelope;
mod errors;
mod lead_writes;
mod leads;
mod limits;
mod nullable;
pub mod webhooks;

pub use contacts::{
    Contact, ContactField, ContactId, ContactSortField, Contacts, ContactsQuery, CreateContact, UpdateContact,
};
pub use conversations::{
    Conversation, ConversationId, ConversationSortField, ConversationStatus, ConversationThread, Conversations,
    ConversationsQuery, Message, MessageId, SenderType, UpdateConversation,
};
pub use envelope::{CursorMeta, NEXADESK_BASE_URL, NexaDeskCursor};
pub use errors::NexaDeskErrorKind;
pub use lead_writes::{CreateLead, LeadField, UpdateLead};
pub use leads::{Lead, LeadId, LeadSortField, Leads, LeadsQuery, PipelineStage, RepId, SortDirection};

use crate::core::client::ClientBuilder;
use crate::core::error::Result;
use crate::core::secret::ApiKey;
use crate::core::transport::Transport;

/// Client for the NexaDesk REST API. Cheap to clone.
///
/// ```no_run
/// # async fn run() -> deskapi::Result<()> {
/// let client = deskapi::NexaDeskClient::new("fc_live_YOUR_KEY")?;
/// let page = client.leads().list().limit(10).send().await?;
/// println!("{} leads, more: {}", page.items.len(), page.meta.has_more);
/// # Ok(()) }
/// ```
#[derive(Clone, Debug)]
pub struct NexaDeskClient {
    pub(crate) transport: Transport,
}

impl NexaDeskClient {
    /// A client for the real service with default options.
    pub fn new(key: impl Into<ApiKey>) -> Result<Self> {
        Self::builder(key).build()
    }

    /// A builder, to set the base URL, retries, rate limiting, timeouts and read-ahead.
    pub fn builder(key: impl Into<ApiKey>) -> ClientBuilder<Self> {
        ClientBuilder::new(&envelope::NexaDeskFlavor, key.into(), |transport| Self { transport })
    }

    /// The base URL requests go to.
    pub fn base_url(&self) -> &str {
        self.transport.base_url()
    }

    /// Leads: list, create, update, delete.
    pub fn leads(&self) -> Leads<'_> {
        Leads { client: self }
    }

    /// Contacts: list, get, create, update, delete.
    pub fn contacts(&self) -> Contacts<'_> {
        Contacts { client: self }
    }

    /// Conversations: list, get with messages, update.
    pub fn conversations(&self) -> Conversations<'_> {
        Conversations { client: self }
    }
}
