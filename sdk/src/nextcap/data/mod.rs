//! The Next Cap External Data API client (`sk_live_` keys): read-mostly access to an
//! organisation's leads, conversations, tickets, call requests, visitors, departments and
//! analytics, plus webhook management.
//!
//! Each resource is a thin handle borrowed from the client (`client.tickets()`), whose
//! methods build a path and call one of three helpers below: `fetch`
//! (one resource), `send` (any request answered with `{data}`) or `list` (a paginated list).
//! Lists whose only filters are the shared ones use the generic [`PlainQuery`](crate::nextcap::PlainQuery).
//!
//! This module holds the Data API's handles, filters and the models only it has; the models
//! it shares with the CRM Integration API (tickets, conversations, departments, ...) are in
//! [`crate::nextcap`].

mod analytics;
mod call_requests;
mod common;
mod conversations;
mod departments;
mod leads;
mod tickets;
mod time_window;
mod visitors;
mod webhooks;

pub use analytics::{Analytics, AnalyticsDay, AnalyticsOverview};
pub use call_requests::{
    CallRequest, CallRequestChannel, CallRequestId, CallRequestStatus, CallRequests, CallRequestsQuery,
    UpdateCallRequest,
};
pub use conversations::{Conversations, ConversationsQuery};
pub use departments::Departments;
pub use leads::{Lead, LeadSource, Leads, LeadsQuery};
pub use tickets::{Tickets, TicketsQuery};
pub use time_window::{TimeWindow, TimeWindowError};
pub use visitors::{
    DeviceType, PageView, Sentiment, SessionId, Visitor, VisitorProfile, VisitorSession, Visitors, VisitorsQuery,
};
pub use webhooks::{CreatedWebhook, Webhook, WebhookEventName, WebhookId, Webhooks};

use serde::de::DeserializeOwned;

use crate::core::client::ClientBuilder;
use crate::core::error::Result;
use crate::core::pagination::{ListParams, ListRequest};
use crate::core::secret::ApiKey;
use crate::core::transport::{RequestSpec, Transport};
use crate::nextcap::envelope::send_data;

/// Client for the Next Cap External Data API. Cheap to clone; clones share the connection
/// pool and the key's rate-limit window.
///
/// The Data API needs the organisation to be on the Pro plan or above, and webhook management
/// needs Enterprise; a refused call is an `Error::Api` 403 whose
/// [`required_plan`](crate::nextcap::PlanRefusal::required_plan) names the plan needed.
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

    /// Conversations and their messages.
    pub fn conversations(&self) -> Conversations<'_> {
        Conversations { client: self }
    }

    /// Tickets and their timelines.
    pub fn tickets(&self) -> Tickets<'_> {
        Tickets { client: self }
    }

    /// Call-back requests, including updating their workflow state.
    pub fn call_requests(&self) -> CallRequests<'_> {
        CallRequests { client: self }
    }

    /// Tracked visitors, their sessions and AI profiles.
    pub fn visitors(&self) -> Visitors<'_> {
        Visitors { client: self }
    }

    /// Departments.
    pub fn departments(&self) -> Departments<'_> {
        Departments { client: self }
    }

    /// Aggregated and daily metrics.
    pub fn analytics(&self) -> Analytics<'_> {
        Analytics { client: self }
    }

    /// Webhook registration (Enterprise plan). To receive deliveries, see
    /// [`crate::nextcap::webhooks`].
    pub fn webhooks(&self) -> Webhooks<'_> {
        Webhooks { client: self }
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
