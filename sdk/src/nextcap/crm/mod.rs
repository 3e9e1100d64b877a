//! The Next Cap CRM Integration API client (`nextcap_ck_` keys, one per seat).
//!
//! Each key inherits its seat's permissions and widget access; the endpoints (conversations,
//! tickets, attachments, team directory) are added on top of this client.

use crate::core::client::ClientBuilder;
use crate::core::error::Result;
use crate::core::secret::ApiKey;
use crate::core::transport::Transport;

/// Client for the Next Cap CRM Integration API. Cheap to clone.
///
/// ```no_run
/// # fn run() -> deskapi::Result<()> {
/// let client = deskapi::NextCapCrmClient::new("nextcap_ck_YOUR_KEY")?;
/// # let _ = client; Ok(()) }
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
}
