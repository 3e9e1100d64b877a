//! A ticket's thread: its messages (oldest first, internal notes included), replying (an
//! agent's reply or an internal note; a locked ticket is refused with 403) and the like state.
//! The message resource is not documented; its shape is the contract's (`TicketMessage`).

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::envelope::{Data, LaravelPages};
use super::ticket_models::TicketId;
use super::{DeskHiveClient, id_path};
use crate::core::error::{Error, Result};
use crate::core::macros::{int_id, string_enum};
use crate::core::pagination::{ListParams, ListRequest};
use crate::core::transport::RequestSpec;
use crate::core::validate::in_range;

int_id!(
    /// A ticket message's ID.
    MessageId
);

string_enum! {
    /// Who wrote a message.
    pub enum SenderType {
        /// An agent.
        Agent => "agent",
        /// The ticket's customer.
        Customer => "customer",
        /// Desk Hive itself (automations).
        System => "system",
    }
}

/// The author of a message.
#[derive(Clone, Debug, Deserialize, Serialize, PartialEq, Eq)]
#[non_exhaustive]
pub struct MessageSender {
    /// The agent's or customer's ID.
    pub id: u64,
    /// Name.
    pub name: String,
    /// Avatar URL.
    #[serde(default)]
    pub avatar_url: Option<String>,
}

/// A file attached to a message.
#[derive(Clone, Debug, Deserialize, Serialize, PartialEq, Eq)]
#[non_exhaustive]
pub struct MessageAttachment {
    /// Attachment ID.
    pub id: u64,
    /// File name.
    pub name: String,
    /// Download URL.
    pub url: String,
    /// Size in bytes.
    #[serde(default)]
    pub size: Option<u64>,
    /// MIME type.
    #[serde(default)]
    pub mime_type: Option<String>,
}

/// A message on a ticket.
#[derive(Clone, Debug, Deserialize, Serialize, PartialEq, Eq)]
#[non_exhaustive]
pub struct TicketMessage {
    /// Message ID.
    pub id: MessageId,
    /// The ticket.
    pub ticket_id: TicketId,
    /// Text.
    pub content: String,
    /// An internal note, hidden from the customer.
    #[serde(default)]
    pub is_internal: bool,
    /// Who wrote it.
    pub sender_type: SenderType,
    /// The author (none for system messages).
    #[serde(default)]
    pub sender: Option<MessageSender>,
    /// Attached files.
    #[serde(default)]
    pub attachments: Vec<MessageAttachment>,
    /// How many agents like it.
    #[serde(default)]
    pub likes_count: u64,
    /// Whether the key's agent likes it.
    #[serde(default)]
    pub is_liked: bool,
    /// Creation time.
    pub created_at: DateTime<Utc>,
    /// Last update time.
    #[serde(default)]
    pub updated_at: Option<DateTime<Utc>>,
}

/// A message's like state after a toggle: `{liked, count}`.
#[derive(Clone, Copy, Debug, Deserialize, Serialize, PartialEq, Eq)]
#[non_exhaustive]
pub struct LikeState {
    /// Whether the key's agent likes the message now.
    pub liked: bool,
    /// Likes on the message now.
    pub count: u64,
}

/// Paging of `GET /external/tickets/{id}/messages` (default 30 per page).
#[derive(Clone, Debug, Default, Serialize)]
#[non_exhaustive]
pub struct MessagesQuery {
    #[serde(skip_serializing_if = "Option::is_none")]
    per_page: Option<u32>,
}

impl ListParams for MessagesQuery {
    type Item = TicketMessage;
    type Style = LaravelPages;
    fn validate(&self) -> Result<()> {
        in_range("per_page", self.per_page, 1..=100)
    }
}

impl ListRequest<MessagesQuery> {
    /// Items per page, 1-100 (the API's default is 30).
    pub fn per_page(mut self, n: u32) -> Self {
        self.params.per_page = Some(n);
        self
    }
}

#[derive(Clone, Debug, Serialize)]
struct ReplyBody {
    content: String,
    is_internal: bool,
}

/// A reply being built; from [`Messages::reply`].
#[derive(Debug)]
#[must_use = "a reply does nothing until you call .send()"]
pub struct Reply<'a> {
    client: &'a DeskHiveClient,
    ticket: TicketId,
    body: ReplyBody,
}

impl Reply<'_> {
    /// Makes it an internal note, hidden from the customer (default: a public reply).
    pub fn internal(mut self, yes: bool) -> Self {
        self.body.is_internal = yes;
        self
    }

    /// Posts it (201) and returns the created message. Blank content is refused before
    /// sending; a locked ticket is a 403.
    ///
    /// ```no_run
    /// # async fn run(client: deskapi::DeskHiveClient) -> deskapi::Result<()> {
    /// let note = client.tickets().messages(42).reply("Checked the logs.").internal(true).send().await?;
    /// println!("{:?}", note.id);
    /// # Ok(()) }
    /// ```
    #[doc(alias = "replyToTicket")]
    pub async fn send(self) -> Result<TicketMessage> {
        if self.body.content.trim().is_empty() {
            return Err(Error::invalid("content", "must not be empty"));
        }
        let path = id_path("ticket", self.ticket.0, "/external/tickets", "/messages")?;
        let spec = RequestSpec::new(http::Method::POST, path).json(&self.body)?;
        Ok(self.client.transport.json::<Data<TicketMessage>>(spec).await?.data)
    }
}

/// One ticket's thread; from [`super::Tickets::messages`].
#[derive(Debug)]
pub struct Messages<'a> {
    pub(crate) client: &'a DeskHiveClient,
    pub(crate) ticket: TicketId,
}

impl<'a> Messages<'a> {
    /// Lists the ticket's messages, oldest first, internal notes included.
    ///
    /// ```no_run
    /// # async fn run(client: deskapi::DeskHiveClient) -> deskapi::Result<()> {
    /// use futures::TryStreamExt;
    /// let thread: Vec<_> = client.tickets().messages(42).list().per_page(100).stream().try_collect().await?;
    /// for m in &thread {
    ///     println!("{} {}: {}", m.created_at, m.sender_type, m.content);
    /// }
    /// # Ok(()) }
    /// ```
    #[doc(alias = "listTicketMessages")]
    pub fn list(&self) -> ListRequest<MessagesQuery> {
        let path = id_path("ticket", self.ticket.0, "/external/tickets", "/messages");
        ListRequest::new(&self.client.transport, path, MessagesQuery::default())
    }

    /// Starts a reply with this text; `.internal(true)` makes it an internal note.
    ///
    /// ```no_run
    /// # async fn run(client: deskapi::DeskHiveClient) -> deskapi::Result<()> {
    /// let sent = client.tickets().messages(42).reply("We have reset your password.").send().await?;
    /// let note = client.tickets().messages(42).reply("Customer verified by phone.").internal(true).send().await?;
    /// assert!(note.is_internal && !sent.is_internal);
    /// # Ok(()) }
    /// ```
    pub fn reply(&self, content: impl Into<String>) -> Reply<'a> {
        Reply {
            client: self.client,
            ticket: self.ticket,
            body: ReplyBody { content: content.into(), is_internal: false },
        }
    }
}
