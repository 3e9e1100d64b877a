//! Conversations (API README, NexaDesk facts): `GET /conversations` (status incl. `all`,
//! search, tag, sort by `created_at`/`updated_at`), one conversation with its messages by
//! `GET /conversations?id=` (`{conversation, messages}`), and `PATCH /conversations?id=`
//! (status, assignment, tags; at least one). Message fields are not documented: the model
//! follows the contract and keeps unknown sender types as `Unknown`.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::NexaDeskClient;
use super::envelope::{NexaDeskCursor, Single, get_by_id, with_id};
use super::leads::{RepId, SortDirection};
use crate::core::error::{Error, Result};
use crate::core::macros::{string_enum, string_id};
use crate::core::pagination::{ListParams, ListRequest, PageToken};
use crate::core::validate::{in_range, known, non_empty};

string_id!(
    /// A NexaDesk conversation's ID (a UUID).
    ConversationId
);
string_id!(
    /// A message's ID.
    MessageId
);

string_enum! {
    /// A conversation's status; `archived` is closed.
    pub enum ConversationStatus {
        /// Waiting for an answer.
        Open => "open",
        /// Pending.
        Pending => "pending",
        /// In progress.
        Active => "active",
        /// Closed.
        Archived => "archived",
    }
}

string_enum! {
    /// Who wrote a message.
    pub enum SenderType {
        /// The website visitor.
        Visitor => "visitor",
        /// A human agent.
        Agent => "agent",
        /// The AI assistant.
        Bot => "bot",
        /// The system.
        System => "system",
    }
}

string_enum! {
    /// Fields `GET /conversations` can sort by.
    pub enum ConversationSortField {
        /// Creation time.
        CreatedAt => "created_at",
        /// Last update.
        UpdatedAt => "updated_at",
    }
}

/// A conversation as listed.
#[derive(Clone, Debug, Deserialize, Serialize, PartialEq)]
#[non_exhaustive]
pub struct Conversation {
    /// The conversation's ID.
    pub id: ConversationId,
    /// Channel (`widget`, ...).
    #[serde(default)]
    pub source: Option<String>,
    /// Status.
    pub status: ConversationStatus,
    /// Tags.
    #[serde(default)]
    pub tags: Vec<String>,
    /// Creation time.
    pub created_at: DateTime<Utc>,
    /// Last update.
    pub updated_at: DateTime<Utc>,
    /// Assigned agent.
    #[serde(default)]
    pub agent_id: Option<RepId>,
    /// Department.
    #[serde(default)]
    pub department_id: Option<String>,
    /// Visitor name.
    #[serde(default)]
    pub visitor_name: Option<String>,
    /// Visitor email.
    #[serde(default)]
    pub visitor_email: Option<String>,
    /// Visitor company.
    #[serde(default)]
    pub visitor_company: Option<String>,
    /// Assigned agent's name.
    #[serde(default)]
    pub agent_name: Option<String>,
    /// Text of the latest message.
    #[serde(default)]
    pub last_message: Option<String>,
    /// Number of messages.
    #[serde(default)]
    pub message_count: u32,
}

/// One message of a conversation.
#[derive(Clone, Debug, Deserialize, Serialize, PartialEq)]
#[non_exhaustive]
pub struct Message {
    /// The message's ID.
    pub id: MessageId,
    /// Its conversation.
    pub conversation_id: ConversationId,
    /// Who wrote it.
    pub sender_type: SenderType,
    /// The sender's display name.
    #[serde(default)]
    pub sender_name: Option<String>,
    /// Text.
    pub content: String,
    /// When it was posted.
    pub created_at: DateTime<Utc>,
}

/// `GET /conversations?id=`: a conversation and every message, oldest first.
#[derive(Clone, Debug, Deserialize, Serialize, PartialEq)]
#[non_exhaustive]
pub struct ConversationThread {
    /// The conversation.
    pub conversation: Conversation,
    /// Its messages, oldest first.
    pub messages: Vec<Message>,
}

/// Filters of `GET /conversations`.
#[derive(Clone, Debug, Default, Serialize)]
#[non_exhaustive]
pub struct ConversationsQuery {
    #[serde(skip_serializing_if = "Option::is_none")]
    limit: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    status: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    search: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    tag: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    sort: Option<String>,
    #[serde(skip)]
    status_filter: Option<ConversationStatus>,
    #[serde(skip)]
    sort_field: Option<ConversationSortField>,
}

impl ListParams for ConversationsQuery {
    type Item = Conversation;
    type Style = NexaDeskCursor;
    fn validate(&self) -> Result<()> {
        in_range("limit", self.limit, 1..=100)?;
        known("status", self.status_filter.as_ref())?;
        known("sort", self.sort_field.as_ref())?;
        non_empty("search", self.search.as_deref())?;
        non_empty("tag", self.tag.as_deref())
    }
}

impl ListRequest<ConversationsQuery> {
    /// Page size, 1-100 (the API's default is 50).
    pub fn limit(mut self, n: u32) -> Self {
        self.params.limit = Some(n);
        self
    }
    /// Only conversations in this status (the default, `all`, applies no filter).
    pub fn status(mut self, status: ConversationStatus) -> Self {
        self.params.status = Some(status.as_str().to_owned());
        self.params.status_filter = Some(status);
        self
    }
    /// Every status (`status=all`, the default).
    pub fn all_statuses(mut self) -> Self {
        self.params.status = Some("all".to_owned());
        self.params.status_filter = None;
        self
    }
    /// Case-insensitive partial match on visitor name, email or company.
    pub fn search(mut self, text: impl Into<String>) -> Self {
        self.params.search = Some(text.into());
        self
    }
    /// Only conversations with exactly this tag.
    pub fn tag(mut self, tag: impl Into<String>) -> Self {
        self.params.tag = Some(tag.into());
        self
    }
    /// Sort order (the API's default is `created_at:desc`).
    pub fn sort(mut self, field: ConversationSortField, direction: SortDirection) -> Self {
        self.params.sort = Some(format!("{}:{}", field.as_str(), direction.as_str()));
        self.params.sort_field = Some(field);
        self
    }
    /// Starts at this cursor (from an earlier page's `next_cursor`).
    pub fn cursor(self, cursor: impl Into<String>) -> Self {
        self.start_at(PageToken::Cursor(cursor.into()))
    }
}

#[derive(Clone, Debug, Default, Serialize)]
struct ConversationPatch {
    #[serde(skip_serializing_if = "Option::is_none")]
    status: Option<ConversationStatus>,
    /// `Some(None)` sends `null` (unassign).
    #[serde(skip_serializing_if = "Option::is_none")]
    agent_id: Option<Option<RepId>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    tags: Option<Vec<String>>,
}

/// `PATCH /conversations?id=`; from [`Conversations::update`].
#[derive(Debug)]
#[must_use = "an update does nothing until you call .send()"]
pub struct UpdateConversation<'a> {
    client: &'a NexaDeskClient,
    id: ConversationId,
    patch: ConversationPatch,
}

impl UpdateConversation<'_> {
    /// New status (`Archived` closes the conversation and fires `conversation.closed`).
    pub fn status(mut self, status: ConversationStatus) -> Self {
        self.patch.status = Some(status);
        self
    }
    /// Assigns an agent of the workspace.
    pub fn assign(mut self, agent: impl Into<RepId>) -> Self {
        self.patch.agent_id = Some(Some(agent.into()));
        self
    }
    /// Unassigns (sends `agent_id: null`).
    pub fn unassign(mut self) -> Self {
        self.patch.agent_id = Some(None);
        self
    }
    /// Replaces the tags.
    pub fn tags<I, S>(mut self, tags: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.patch.tags = Some(tags.into_iter().map(Into::into).collect());
        self
    }

    /// Sends the change; at least one field must be set.
    #[doc(alias = "updateConversation")]
    pub async fn send(self) -> Result<Conversation> {
        let spec = with_id(http::Method::PATCH, "/conversations", self.id.as_str())?;
        let p = &self.patch;
        if p.status.is_none() && p.agent_id.is_none() && p.tags.is_none() {
            return Err(Error::invalid("update", "set at least one of status, agent or tags"));
        }
        known("status", p.status.as_ref())?;
        let spec = spec.json(p)?;
        Ok(self.client.transport.json::<Single<Conversation>>(spec).await?.data)
    }
}

/// The conversations endpoints; from [`NexaDeskClient::conversations`].
#[derive(Debug)]
pub struct Conversations<'a> {
    pub(crate) client: &'a NexaDeskClient,
}

impl<'a> Conversations<'a> {
    /// Lists conversations (cursor-paginated; newest first unless sorted otherwise).
    ///
    /// ```no_run
    /// # async fn run(client: deskapi::NexaDeskClient) -> deskapi::Result<()> {
    /// use deskapi::nexadesk::ConversationStatus;
    /// let open = client.conversations().list().status(ConversationStatus::Open).send().await?;
    /// println!("{} open", open.meta.total_count.unwrap_or(0));
    /// # Ok(()) }
    /// ```
    #[doc(alias = "listConversations")]
    pub fn list(&self) -> ListRequest<ConversationsQuery> {
        ListRequest::new(&self.client.transport, Ok("/conversations".to_owned()), ConversationsQuery::default())
    }

    /// One conversation and all its messages (`GET /conversations?id=`); 404 for an unknown
    /// one. The contract has one operation for the list and this read (`listConversations`).
    ///
    /// ```no_run
    /// # async fn run(client: deskapi::NexaDeskClient) -> deskapi::Result<()> {
    /// let thread = client.conversations().get("7c9e6679-7425-40de-944b-e07fc1f90ae7").await?;
    /// for message in &thread.messages {
    ///     println!("{}: {}", message.sender_type, message.content);
    /// }
    /// # Ok(()) }
    /// ```
    #[doc(alias = "listConversations")]
    pub async fn get(&self, conversation: impl Into<ConversationId>) -> Result<ConversationThread> {
        let conversation = conversation.into();
        Ok(get_by_id::<ConversationThread>(self.client, "/conversations", conversation.as_str()).await?.data)
    }

    /// Starts an update of a conversation's status, assignment or tags.
    ///
    /// ```no_run
    /// # async fn run(client: deskapi::NexaDeskClient) -> deskapi::Result<()> {
    /// use deskapi::nexadesk::ConversationStatus;
    /// let closed = client.conversations().update("7c9e6679-7425-40de-944b-e07fc1f90ae7")
    ///     .status(ConversationStatus::Archived)
    ///     .send().await?;
    /// println!("{}", closed.status);
    /// # Ok(()) }
    /// ```
    pub fn update(&self, id: impl Into<ConversationId>) -> UpdateConversation<'a> {
        UpdateConversation { client: self.client, id: id.into(), patch: ConversationPatch::default() }
    }
}
