//! Desk Hive: the agent-facing External API of a self-hosted help desk. The base URL is the
//! installation's own, so it is required; keys are sent in `X-API-KEY`.

pub(crate) mod envelope;
mod tickets;

pub use envelope::{LaravelMeta, LaravelPages};
pub use tickets::{
    CustomFieldValue, Customer, DepartmentId, Label, NamedRef, Ticket, TicketId, TicketPriority, TicketStatus, Tickets,
    TicketsQuery,
};

use serde::Deserialize;

use crate::core::client::ClientBuilder;
use crate::core::error::Result;
use crate::core::secret::ApiKey;
use crate::core::transport::{RequestSpec, Transport};

/// Client for the Desk Hive External API. Cheap to clone.
///
/// ```no_run
/// # async fn run() -> deskapi::Result<()> {
/// let client = deskapi::DeskHiveClient::new("https://help.example.com/api/v1", "YOUR_AGENT_KEY")?;
/// let check = client.connection_check().await?;
/// assert!(check.status);
/// # Ok(()) }
/// ```
#[derive(Clone, Debug)]
pub struct DeskHiveClient {
    pub(crate) transport: Transport,
}

/// Answer of `GET /external/connection-check`.
#[derive(Clone, Debug, Deserialize, PartialEq, Eq)]
#[non_exhaustive]
pub struct ConnectionCheck {
    /// `true` when the key and its agent are valid.
    pub status: bool,
    /// The server's message.
    pub message: String,
}

impl DeskHiveClient {
    /// A client for the installation at `base_url` (e.g. `https://help.example.com/api/v1`).
    pub fn new(base_url: impl Into<String>, key: impl Into<ApiKey>) -> Result<Self> {
        Self::builder(key).base_url(base_url).build()
    }

    /// A builder; `.base_url(..)` is required (Desk Hive is self-hosted).
    pub fn builder(key: impl Into<ApiKey>) -> ClientBuilder<Self> {
        ClientBuilder::new(&envelope::DeskHiveFlavor, key.into(), |transport| Self { transport })
    }

    /// The base URL requests go to.
    pub fn base_url(&self) -> &str {
        self.transport.base_url()
    }

    /// Checks that the key works: `GET /external/connection-check`.
    ///
    /// ```no_run
    /// # async fn run(client: deskapi::DeskHiveClient) -> deskapi::Result<()> {
    /// let ok = client.connection_check().await?.status;
    /// # Ok(()) }
    /// ```
    #[doc(alias = "getConnectionCheck")]
    pub async fn connection_check(&self) -> Result<ConnectionCheck> {
        self.transport.json(RequestSpec::new(http::Method::GET, "/external/connection-check")).await
    }

    /// Tickets assigned to the key's agent.
    pub fn tickets(&self) -> Tickets<'_> {
        Tickets { client: self }
    }
}
