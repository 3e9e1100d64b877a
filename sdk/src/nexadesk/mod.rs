//! NexaDesk: the REST API for leads, contacts and conversations (`fc_live_` keys, one
//! workspace each, with `read` and `write` scopes).

pub(crate) mod envelope;
mod leads;

pub use envelope::{CursorMeta, NEXADESK_BASE_URL, NexaDeskCursor};
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

    /// Leads.
    pub fn leads(&self) -> Leads<'_> {
        Leads { client: self }
    }
}
