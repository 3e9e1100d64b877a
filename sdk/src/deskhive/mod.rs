//! Desk Hive: the agent-facing External API of a self-hosted help desk. The base URL is the
//! installation's own, so it is required; keys are sent in `X-API-KEY`.
//!
//! One handle per subject, borrowed from the client: [`DeskHiveClient::tickets`] (with each
//! ticket's thread), [`DeskHiveClient::canned_responses`], [`DeskHiveClient::knowledge_base`],
//! [`DeskHiveClient::profile`], [`DeskHiveClient::notifications`]. IDs are integer newtypes;
//! enums keep values this SDK does not know as `Unknown`. A 422 arrives as [`crate::Error::Api`]
//! with one [`crate::FieldError`] per Laravel message (`labels.0`, `content`, ...).
//! Source: deskhive-external-api.txt and the Desk Hive facts in the API README.

mod account;
pub(crate) mod envelope;
mod library;
mod messages;
mod ticket_models;
mod tickets;

pub use account::{
    AgentId, Dashboard, Notification, NotificationId, NotificationType, Notifications, NotificationsQuery, Profile,
    ProfileApi, UpdateProfile,
};
pub use envelope::{LaravelMeta, LaravelPages};
pub use library::{
    Article, ArticleId, ArticleStatus, CannedResponse, CannedResponseId, CannedResponses, KnowledgeBase,
};
pub use messages::{
    LikeState, MessageAttachment, MessageId, MessageSender, Messages, MessagesQuery, Reply, SenderType, TicketMessage,
};
pub use ticket_models::{
    CustomFieldValue, Customer, DepartmentId, Label, LabelId, NamedRef, Ticket, TicketId, TicketPriority, TicketStatus,
};
pub use tickets::{Tickets, TicketsQuery, UpdateTicket};

use serde::Deserialize;

use crate::core::client::ClientBuilder;
use crate::core::error::{Error, Result};
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

/// Answer of `GET /health-check`.
#[derive(Clone, Debug, Deserialize, PartialEq, Eq)]
#[non_exhaustive]
pub struct HealthCheck {
    /// `Health check successful`.
    pub message: String,
}

/// `{prefix}/{id}{suffix}` for a positive integer ID (IDs start at 1, so 0 is refused before
/// sending).
pub(crate) fn id_path(name: &str, id: u64, prefix: &str, suffix: &str) -> Result<String> {
    if id == 0 {
        return Err(Error::invalid(name, "IDs start at 1"));
    }
    Ok(format!("{prefix}/{id}{suffix}"))
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

    /// Checks that the installation is up: `GET /health-check` (the key is not needed, and is
    /// sent anyway).
    ///
    /// ```no_run
    /// # async fn run(client: deskapi::DeskHiveClient) -> deskapi::Result<()> {
    /// println!("{}", client.health_check().await?.message);
    /// # Ok(()) }
    /// ```
    #[doc(alias = "healthCheck")]
    pub async fn health_check(&self) -> Result<HealthCheck> {
        self.transport.json(RequestSpec::new(http::Method::GET, "/health-check")).await
    }

    /// The key's agent's ticket counts: `GET /external/dashboard`.
    ///
    /// ```no_run
    /// # async fn run(client: deskapi::DeskHiveClient) -> deskapi::Result<()> {
    /// let d = client.dashboard().await?;
    /// println!("{} open, {} need a response", d.open_tickets, d.needs_response);
    /// # Ok(()) }
    /// ```
    #[doc(alias = "getDashboard")]
    pub async fn dashboard(&self) -> Result<Dashboard> {
        let spec = RequestSpec::new(http::Method::GET, "/external/dashboard");
        Ok(self.transport.json::<envelope::StatusData<Dashboard>>(spec).await?.data)
    }

    /// Tickets assigned to the key's agent, and their threads.
    pub fn tickets(&self) -> Tickets<'_> {
        Tickets { client: self }
    }

    /// The installation's active canned responses.
    pub fn canned_responses(&self) -> CannedResponses<'_> {
        CannedResponses { client: self }
    }

    /// The knowledge base.
    pub fn knowledge_base(&self) -> KnowledgeBase<'_> {
        KnowledgeBase { client: self }
    }

    /// The key's agent's profile.
    pub fn profile(&self) -> ProfileApi<'_> {
        ProfileApi { client: self }
    }

    /// The key's agent's notifications.
    pub fn notifications(&self) -> Notifications<'_> {
        Notifications { client: self }
    }
}
