//! Live-chat conversations of the CRM Integration API: `GET /external/crm/conversations`,
//! `/conversations/:id` (with its whole message history), `/conversations/:id/messages`,
//! `/conversations/queue`, and `POST /conversations/:id/assign` and `/resolve`.
//!
//! Source: "Conversation REST Endpoints" in nextcap-crm-integration.txt. Every list and read
//! is widget-scoped by the key's seat; `conversations:view-own` seats see only their own.

use serde::Serialize;

use super::NextCapCrmClient;
use super::common::{ConversationSortBy, PageQuery, SortOrder, item_path};
use super::models::ConversationDetail;
use crate::core::error::{Error, Result};
use crate::core::pagination::{ListParams, ListRequest};
use crate::core::transport::RequestSpec;
use crate::core::validate::{known, non_empty};
use crate::nextcap::envelope::{ListWindow, NextCapList, NextCapPages};
use crate::nextcap::models::{
    AgentId, Conversation, ConversationId, ConversationStatus, Message, UserId, VisitorTextId,
};

/// The documented page size of a conversation's messages (the other lists default to 20).
const MESSAGES_PER_PAGE: u32 = 50;

/// Filters of `GET /external/crm/conversations`.
#[derive(Clone, Debug, Default, Serialize)]
#[non_exhaustive]
pub struct ConversationsQuery {
    #[serde(flatten)]
    window: ListWindow,
    #[serde(skip_serializing_if = "Option::is_none")]
    status: Option<ConversationStatus>,
    #[serde(skip_serializing_if = "Option::is_none")]
    agent_id: Option<AgentId>,
    #[serde(skip_serializing_if = "Option::is_none")]
    assigned_agent_id: Option<UserId>,
    #[serde(skip_serializing_if = "Option::is_none")]
    visitor_id: Option<VisitorTextId>,
    #[serde(skip_serializing_if = "Option::is_none")]
    sort_by: Option<ConversationSortBy>,
    #[serde(skip_serializing_if = "Option::is_none")]
    sort_order: Option<SortOrder>,
}

impl ListParams for ConversationsQuery {
    type Item = Conversation;
    type Style = NextCapPages;
    fn validate(&self) -> Result<()> {
        self.window.validate()?;
        known("status", self.status.as_ref())?;
        non_empty("agent_id", self.agent_id.as_ref().map(AgentId::as_str))?;
        non_empty("assigned_agent_id", self.assigned_agent_id.as_ref().map(UserId::as_str))?;
        non_empty("visitor_id", self.visitor_id.as_ref().map(VisitorTextId::as_str))
    }
}

impl NextCapList for ConversationsQuery {
    fn window(&mut self) -> &mut ListWindow {
        &mut self.window
    }
}

impl ListRequest<ConversationsQuery> {
    /// Only conversations in this state.
    pub fn status(mut self, status: ConversationStatus) -> Self {
        self.params.status = Some(status);
        self
    }
    /// Only conversations on this widget (agent).
    pub fn agent_id(mut self, agent: impl Into<AgentId>) -> Self {
        self.params.agent_id = Some(agent.into());
        self
    }
    /// Only conversations assigned to this team member.
    pub fn assigned_agent_id(mut self, user: impl Into<UserId>) -> Self {
        self.params.assigned_agent_id = Some(user.into());
        self
    }
    /// Only conversations of this visitor (the widget's text ID of the visitor).
    pub fn visitor_id(mut self, visitor: impl Into<VisitorTextId>) -> Self {
        self.params.visitor_id = Some(visitor.into());
        self
    }
    /// Sorts by this field (the API's default is `createdAt`).
    pub fn sort_by(mut self, field: ConversationSortBy) -> Self {
        self.params.sort_by = Some(field);
        self
    }
    /// Sorts in this direction (the API's default is newest first).
    pub fn sort_order(mut self, order: SortOrder) -> Self {
        self.params.sort_order = Some(order);
        self
    }
}

/// The `{agent_id}` body of the assign actions.
#[derive(Serialize)]
pub(crate) struct AssignBody<'a> {
    pub agent_id: &'a UserId,
}

/// The CRM conversation endpoints; from [`NextCapCrmClient::conversations`].
#[derive(Debug)]
pub struct Conversations<'a> {
    pub(crate) client: &'a NextCapCrmClient,
}

impl Conversations<'_> {
    /// Lists the conversations the seat may see, newest first unless sorted otherwise.
    /// Needs `conversations:view` or `conversations:view-own` (then only the seat's own).
    ///
    /// ```no_run
    /// # async fn run(client: deskapi::NextCapCrmClient) -> deskapi::Result<()> {
    /// use deskapi::nextcap::ConversationStatus;
    /// use deskapi::nextcap::crm::{ConversationSortBy, SortOrder};
    /// let page = client.conversations().list()
    ///     .status(ConversationStatus::HandedOff)
    ///     .sort_by(ConversationSortBy::UpdatedAt)
    ///     .sort_order(SortOrder::Asc)
    ///     .per_page(20)
    ///     .send()
    ///     .await?;
    /// println!("{} waiting over {} pages", page.meta.total, page.meta.total_pages);
    /// # Ok(()) }
    /// ```
    #[doc(alias = "listCrmConversations")]
    pub fn list(&self) -> ListRequest<ConversationsQuery> {
        self.client.list(Ok("/external/crm/conversations".to_owned()))
    }

    /// Gets one conversation with its full message history (oldest first).
    /// Needs `conversations:view` or `conversations:view-own`.
    ///
    /// ```no_run
    /// # async fn run(client: deskapi::NextCapCrmClient) -> deskapi::Result<()> {
    /// let c = client.conversations().get("7d1e2f30-0000-4000-8000-000000000001").await?;
    /// for m in &c.messages {
    ///     println!("[{}] {}", m.role, m.content);
    /// }
    /// println!("status {}", c.status); // the conversation's own fields, through Deref
    /// # Ok(()) }
    /// ```
    #[doc(alias = "getCrmConversation")]
    pub async fn get(&self, id: impl Into<ConversationId>) -> Result<ConversationDetail> {
        let id = id.into();
        // The literal `/conversations/queue` route wins over `/conversations/:id` on the server.
        if id.as_str() == "queue" {
            return Err(Error::invalid("id", "`queue` is the handoff queue's path; use .queue()"));
        }
        self.client.fetch(item_path("conversations", "id", id.as_str(), "")).await
    }

    /// Lists a conversation's messages, oldest first, 50 per page unless `.per_page(n)` says
    /// otherwise (the documented default of this list). Needs `conversations:view` or
    /// `conversations:view-own`.
    ///
    /// ```no_run
    /// # async fn run(client: deskapi::NextCapCrmClient) -> deskapi::Result<()> {
    /// use futures::TryStreamExt;
    /// let mut messages = client.conversations().messages("7d1e2f30-0000-4000-8000-000000000001").stream();
    /// while let Some(m) = messages.try_next().await? {
    ///     println!("{}: {}", m.role, m.content);
    /// }
    /// # Ok(()) }
    /// ```
    #[doc(alias = "listCrmConversationMessages")]
    pub fn messages(&self, id: impl Into<ConversationId>) -> ListRequest<PageQuery<Message>> {
        let list: ListRequest<PageQuery<Message>> =
            self.client.list(item_path("conversations", "id", id.into().as_str(), "/messages"));
        list.per_page(MESSAGES_PER_PAGE)
    }

    /// The handoff queue: conversations waiting for an agent to pick them up (handed off,
    /// unassigned), longest-waiting first. Not paginated. Needs `live-chat:join`.
    ///
    /// ```no_run
    /// # async fn run(client: deskapi::NextCapCrmClient, me: deskapi::nextcap::UserId) -> deskapi::Result<()> {
    /// let queue = client.conversations().queue().await?;
    /// if let Some(next) = queue.first() {
    ///     client.conversations().assign(&next.id, &me).await?;
    /// }
    /// # Ok(()) }
    /// ```
    #[doc(alias = "getCrmConversationQueue")]
    pub async fn queue(&self) -> Result<Vec<Conversation>> {
        self.client.fetch(Ok("/external/crm/conversations/queue".to_owned())).await
    }

    /// Assigns a team member (their user ID, e.g. a [`Member::id`](super::Member::id)) to a
    /// conversation; live-chat clients get `agent:assigned`. Returns the updated
    /// conversation. Needs `live-chat:join`. Empty IDs are refused before sending.
    ///
    /// ```no_run
    /// # async fn run(client: deskapi::NextCapCrmClient) -> deskapi::Result<()> {
    /// let c = client.conversations()
    ///     .assign("7d1e2f30-0000-4000-8000-000000000001", "3c4d5e60-0000-4000-8000-000000000007")
    ///     .await?;
    /// assert!(c.assigned_agent_id.is_some());
    /// # Ok(()) }
    /// ```
    #[doc(alias = "assignCrmConversation")]
    pub async fn assign(&self, id: impl Into<ConversationId>, agent_id: impl Into<UserId>) -> Result<Conversation> {
        let agent_id = agent_id.into();
        let path = item_path("conversations", "id", id.into().as_str(), "/assign")?;
        non_empty("agent_id", Some(agent_id.as_str()))?;
        let body = AssignBody { agent_id: &agent_id };
        self.client.send(RequestSpec::new(http::Method::POST, path).json(&body)?).await
    }

    /// Resolves a conversation; live-chat clients get `conversation:resolved`. Resolving a
    /// resolved conversation returns it unchanged. Needs `live-chat:join`.
    ///
    /// ```no_run
    /// # async fn run(client: deskapi::NextCapCrmClient) -> deskapi::Result<()> {
    /// let c = client.conversations().resolve("7d1e2f30-0000-4000-8000-000000000001").await?;
    /// println!("resolved at {:?}", c.resolved_at);
    /// # Ok(()) }
    /// ```
    #[doc(alias = "resolveCrmConversation")]
    pub async fn resolve(&self, id: impl Into<ConversationId>) -> Result<Conversation> {
        let path = item_path("conversations", "id", id.into().as_str(), "/resolve")?;
        self.client.send(RequestSpec::new(http::Method::POST, path)).await
    }
}
