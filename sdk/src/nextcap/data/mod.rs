//! The Next Cap External Data API client (`sk_live_` keys): read-mostly access to an
//! organisation's leads, conversations, tickets, visitors and analytics.

mod leads;

pub use leads::{Lead, LeadId, LeadSource, Leads, LeadsQuery};

use crate::core::client::ClientBuilder;
use crate::core::error::Result;
use crate::core::secret::ApiKey;
use crate::core::transport::Transport;

/// Client for the Next Cap External Data API. Cheap to clone; clones share the connection
/// pool and the key's rate-limit window.
///
/// ```no_run
/// # async fn run() -> deskapi::Result<()> {
/// let client = deskapi::NextCapDataClient::new("sk_live_YOUR_KEY")?;
/// let first_page = client.leads().list().per_page(50).send().await?;
/// println!("{} leads in total", first_page.meta.total);
/// # Ok(()) }
/// ```
#[derive(Clone, Debug)]
pub struct NextCapDataClient {
    pub(crate) transport: Transport,
}

impl NextCapDataClient {
    /// A client for the real service with default options.
    pub fn new(key: impl Into<ApiKey>) -> Result<Self> {
        Self::builder(key).build()
    }

    /// A builder, to set the base URL, retries, rate limiting, timeouts and read-ahead.
    pub fn builder(key: impl Into<ApiKey>) -> ClientBuilder<Self> {
        ClientBuilder::new(&crate::nextcap::envelope::DATA, key.into(), |transport| Self { transport })
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
