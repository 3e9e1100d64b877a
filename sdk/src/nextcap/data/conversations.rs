//! Conversations: `GET /external/conversations`, `/conversations/:id` and
//! `/conversations/:id/messages`.
//!
//! A conversation is fetched without its messages; they are a paginated list of their own,
//! because a long chat would make every conversation response heavy.

use serde::Serialize;

use super::NextCapDataClient;
use super::common::item_path;
use crate::core::error::Result;
use crate::core::pagination::{ListParams, ListRequest};
use crate::core::validate::{known, non_empty};
use crate::nextcap::PlainQuery;
use crate::nextcap::envelope::{ListWindow, NextCapList, NextCapPages};
use crate::nextcap::models::{
    AgentId, Conversation, ConversationId, ConversationStatus, Message, UserId, VisitorTextId,
};

/// Filters of `GET /external/conversations`.
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
    visitor_id: Option<VisitorTextId>,
    #[serde(skip_serializing_if = "Option::is_none")]
    assigned_agent_id: Option<UserId>,
}

impl ListParams for ConversationsQuery {
    type Item = Conversation;
    type Style = NextCapPages;
    fn validate(&self) -> Result<()> {
        self.window.validate()?;
        known("status", self.status.as_ref())?;
        non_empty("agent_id", self.agent_id.as_ref().map(AgentId::as_str))?;
        non_empty("visitor_id", self.visitor_id.as_ref().map(VisitorTextId::as_str))?;
        non_empty("assigned_agent_id", self.assigned_agent_id.as_ref().map(UserId::as_str))
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
    /// Only conversations of this visitor (the widget's text ID, [`crate::nextcap::Visitor::visitor_id`]).
    pub fn visitor_id(mut self, visitor: impl Into<VisitorTextId>) -> Self {
        self.params.visitor_id = Some(visitor.into());
        self
    }
    /// Only conversations assigned to this human agent.
    pub fn assigned_agent_id(mut self, user: impl Into<UserId>) -> Self {
        self.params.assigned_agent_id = Some(user.into());
        self
    }
}

/// The conversations endpoints; from [`NextCapDataClient::conversations`].
#[derive(Debug)]
pub struct Conversations<'a> {
    pub(crate) client: &'a NextCapDataClient,
}

impl Conversations<'_> {
    /// Lists conversations, newest first.
    ///
    /// ```no_run
    /// # async fn run(client: deskapi::NextCapDataClient) -> deskapi::Result<()> {
    /// use deskapi::nextcap::ConversationStatus;
    /// let page = client.conversations().list().status(ConversationStatus::HandedOff).per_page(50).send().await?;
    /// for c in page.items {
    ///     println!("{} {:?}", c.id, c.title);
    /// }
    /// # Ok(()) }
    /// ```
    #[doc(alias = "listConversations")]
    pub fn list(&self) -> ListRequest<ConversationsQuery> {
        self.client.list(Ok("/external/conversations".to_owned()))
    }

    /// Gets one conversation (without its messages: see [`Self::messages`]).
    ///
    /// ```no_run
    /// # async fn run(client: deskapi::NextCapDataClient) -> deskapi::Result<()> {
    /// let c = client.conversations().get("7d1e2f30-0000-4000-8000-000000000001").await?;
    /// println!("{} messages", c.message_count);
    /// # Ok(()) }
    /// ```
    #[doc(alias = "getConversation")]
    pub async fn get(&self, id: impl Into<ConversationId>) -> Result<Conversation> {
        self.client.fetch(item_path("conversations", id.into().as_str(), "")).await
    }

    /// Lists a conversation's messages, oldest first.
    ///
    /// ```no_run
    /// # async fn run(client: deskapi::NextCapDataClient) -> deskapi::Result<()> {
    /// use futures::TryStreamExt;
    /// let mut messages = client.conversations().messages("7d1e2f30-0000-4000-8000-000000000001").stream();
    /// while let Some(m) = messages.try_next().await? {
    ///     println!("{}: {}", m.role, m.content);
    /// }
    /// # Ok(()) }
    /// ```
    #[doc(alias = "listConversationMessages")]
    pub fn messages(&self, id: impl Into<ConversationId>) -> ListRequest<PlainQuery<Message>> {
        self.client.list(item_path("conversations", id.into().as_str(), "/messages"))
    }
}
