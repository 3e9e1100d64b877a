//! Webhook management: `POST /external/webhooks`, `GET /external/webhooks` and
//! `DELETE /external/webhooks/:id` (Enterprise plan).
//!
//! The signing secret is returned once, on creation, and is held in a [`WebhookSecret`] so it
//! cannot reach a log by accident. Receiving deliveries is in [`crate::nextcap::webhooks`].

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::NextCapDataClient;
use super::common::item_path;
use crate::core::error::{Error, Result};
use crate::core::macros::{string_enum, string_id};
use crate::core::pagination::ListRequest;
use crate::core::transport::RequestSpec;
use crate::nextcap::PlainQuery;
use crate::nextcap::webhooks::WebhookSecret;

string_id!(
    /// A registered webhook's ID.
    WebhookId
);

string_enum! {
    /// The events a webhook can subscribe to.
    pub enum WebhookEventName {
        /// A lead was captured.
        LeadCreated => "lead.created",
        /// A ticket was created.
        TicketCreated => "ticket.created",
        /// A ticket changed.
        TicketUpdated => "ticket.updated",
        /// A ticket's status changed.
        TicketStatusChanged => "ticket.status_changed",
        /// A ticket was assigned or reassigned.
        TicketAssigned => "ticket.assigned",
        /// A ticket moved to another department.
        TicketDepartmentChanged => "ticket.department_changed",
        /// A ticket was reopened.
        TicketReopened => "ticket.reopened",
        /// An agent replied to a ticket.
        TicketReply => "ticket.reply",
        /// The customer replied to a ticket.
        TicketCustomerReply => "ticket.customer_reply",
        /// A conversation started.
        ConversationCreated => "conversation.created",
        /// The AI completed a conversation.
        ConversationCompleted => "conversation.completed",
        /// A conversation was handed off to a human.
        ConversationHandedOff => "conversation.handed_off",
        /// A visitor asked to be called back.
        CallRequestCreated => "call_request.created",
        /// A call request's status, assignment or notes changed.
        CallRequestUpdated => "call_request.updated",
        /// A call request was completed.
        CallRequestCompleted => "call_request.completed",
    }
}

/// A registered webhook (the secret is never listed).
#[derive(Clone, Debug, Deserialize, Serialize, PartialEq, Eq)]
#[non_exhaustive]
pub struct Webhook {
    /// The webhook's ID.
    pub id: WebhookId,
    /// Where deliveries are POSTed.
    pub url: String,
    /// The events it receives.
    pub events: Vec<WebhookEventName>,
    /// Whether deliveries are made.
    pub is_active: bool,
    /// When it was registered.
    pub created_at: DateTime<Utc>,
}

/// A webhook just created, with the secret its deliveries are signed with. Store the secret
/// ([`WebhookSecret::expose`]): the API never returns it again.
#[derive(Clone, Debug, Deserialize)]
#[non_exhaustive]
pub struct CreatedWebhook {
    /// The webhook.
    #[serde(flatten)]
    pub webhook: Webhook,
    /// The signing secret, for [`crate::nextcap::webhooks::verify_and_parse`].
    pub secret: WebhookSecret,
}

#[derive(Serialize)]
struct CreateBody<'a> {
    url: &'a str,
    events: &'a [WebhookEventName],
}

/// An absolute `http(s)` URL with a host, at most 2048 characters.
fn check_url(url: &str) -> Result<()> {
    let bad = |why: &str| Err(Error::invalid("url", format!("`{url}` {why}")));
    match url::Url::parse(url) {
        Err(e) => bad(&format!("is not a URL: {e}")),
        Ok(u) if !matches!(u.scheme(), "http" | "https") => bad("must use http or https"),
        Ok(u) if u.host_str().is_none_or(str::is_empty) => bad("has no host"),
        Ok(_) if url.len() > 2048 => bad("is longer than 2048 characters"),
        Ok(_) => Ok(()),
    }
}

/// At least one event, all known; duplicates are dropped (the API wants each once).
fn check_events(events: impl IntoIterator<Item = WebhookEventName>) -> Result<Vec<WebhookEventName>> {
    let mut unique: Vec<WebhookEventName> = Vec::new();
    for e in events {
        crate::core::validate::known("events", Some(&e))?;
        if !unique.contains(&e) {
            unique.push(e);
        }
    }
    if unique.is_empty() {
        return Err(Error::invalid("events", "subscribe to at least one event"));
    }
    Ok(unique)
}

/// The webhook management endpoints; from [`NextCapDataClient::webhooks`].
#[derive(Debug)]
pub struct Webhooks<'a> {
    pub(crate) client: &'a NextCapDataClient,
}

impl Webhooks<'_> {
    /// Registers `url` to receive `events`. The result holds the signing secret, returned only
    /// this once. The URL must be absolute `http(s)` and the events known and not empty.
    ///
    /// ```no_run
    /// # async fn run(client: deskapi::NextCapDataClient) -> deskapi::Result<()> {
    /// use deskapi::nextcap::WebhookEventName;
    /// let created = client.webhooks()
    ///     .create("https://crm.example.com/hooks/nextcap", [WebhookEventName::LeadCreated, WebhookEventName::TicketCreated])
    ///     .await?;
    /// // Keep it somewhere safe: it is needed to verify deliveries.
    /// let secret: &str = created.secret.expose();
    /// # let _ = secret; Ok(()) }
    /// ```
    #[doc(alias = "createWebhook")]
    pub async fn create(
        &self,
        url: impl Into<String>,
        events: impl IntoIterator<Item = WebhookEventName>,
    ) -> Result<CreatedWebhook> {
        let url = url.into();
        check_url(&url)?;
        let events = check_events(events)?;
        let spec = RequestSpec::new(http::Method::POST, "/external/webhooks")
            .json(&CreateBody { url: &url, events: &events })?;
        self.client.send(spec).await
    }

    /// Lists the registered webhooks (without secrets).
    ///
    /// ```no_run
    /// # async fn run(client: deskapi::NextCapDataClient) -> deskapi::Result<()> {
    /// for w in client.webhooks().list().send().await?.items {
    ///     println!("{} -> {} ({} events)", w.id, w.url, w.events.len());
    /// }
    /// # Ok(()) }
    /// ```
    #[doc(alias = "listWebhooks")]
    pub fn list(&self) -> ListRequest<PlainQuery<Webhook>> {
        self.client.list(Ok("/external/webhooks".to_owned()))
    }

    /// Deletes a webhook; no further deliveries are made to it.
    ///
    /// ```no_run
    /// # async fn run(client: deskapi::NextCapDataClient) -> deskapi::Result<()> {
    /// client.webhooks().delete("0e1d2c3b-0000-4000-8000-000000000001").await?;
    /// # Ok(()) }
    /// ```
    #[doc(alias = "deleteWebhook")]
    pub async fn delete(&self, id: impl Into<WebhookId>) -> Result<()> {
        let path = item_path("webhooks", id.into().as_str(), "")?;
        // The body (`{data:{id, deleted}}`) says nothing the status did not; a 204 is fine too.
        self.client.transport.execute(RequestSpec::new(http::Method::DELETE, path)).await.map(drop)
    }
}
