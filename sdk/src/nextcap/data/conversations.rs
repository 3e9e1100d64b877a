//! Conversations: `GET /external/conversations`, `/conversations/:id` and
//! `/conversations/:id/messages`.
//!
//! A conversation is fetched without its messages; they are a paginated list of their own,
//! because a long chat would make every conversation response heavy.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::NextCapDataClient;
use super::common::{Attachment, PlainQuery, item_path};
use super::leads::LeadId;
use super::visitors::VisitorTextId;
use crate::core::error::Result;
use crate::core::macros::{string_enum, string_id};
use crate::core::pagination::{ListParams, ListRequest};
use crate::core::validate::{known, non_empty};
use crate::nextcap::envelope::{ListWindow, NextCapList, NextCapPages};
use crate::nextcap::{AgentId, ConversationId, UserId};

string_id!(
    /// A message's ID.
    MessageId
);

string_enum! {
    /// Where a conversation stands.
    pub enum ConversationStatus {
        /// The AI is handling it.
        Active => "active",
        /// Escalated to a human agent.
        HandedOff => "handed_off",
        /// Turned into a ticket.
        Ticketed => "ticketed",
        /// Resolved.
        Resolved => "resolved",
        /// Archived.
        Archived => "archived",
    }
}

string_enum! {
    /// The channel a conversation runs on.
    pub enum ConversationChannel {
        /// The website widget.
        Widget => "widget",
        /// Telegram.
        Telegram => "telegram",
        /// WhatsApp.
        WhatsApp => "whatsapp",
        /// Instagram.
        Instagram => "instagram",
        /// Created through an API.
        Api => "api",
    }
}

string_enum! {
    /// Who wrote a message.
    pub enum MessageRole {
        /// The visitor.
        User => "user",
        /// The AI assistant.
        Assistant => "assistant",
        /// A system message.
        System => "system",
        /// A human agent, during a handoff.
        Agent => "agent",
    }
}

string_enum! {
    /// The visitor's rating of an assistant message.
    pub enum MessageFeedback {
        /// Thumbs up.
        Positive => "positive",
        /// Thumbs down.
        Negative => "negative",
    }
}

/// A chat between a visitor and one of the organisation's widgets.
#[derive(Clone, Debug, Deserialize, Serialize, PartialEq)]
#[non_exhaustive]
pub struct Conversation {
    /// The conversation's ID.
    pub id: ConversationId,
    /// The widget (bot) the conversation runs on.
    pub agent_id: AgentId,
    /// The widget's text ID of the visitor.
    pub visitor_id: VisitorTextId,
    /// Where the conversation stands.
    pub status: ConversationStatus,
    /// The human agent handling it after a handoff.
    pub assigned_agent_id: Option<UserId>,
    /// The channel it runs on.
    pub channel: ConversationChannel,
    /// A short summary or the visitor's first message.
    pub title: Option<String>,
    /// The visitor's name, if known.
    pub visitor_name: Option<String>,
    /// The visitor's email, if known.
    pub visitor_email: Option<String>,
    /// The lead captured in this conversation.
    pub lead_id: Option<LeadId>,
    /// Number of messages.
    pub message_count: u64,
    /// The visitor's rating, 1 to 5.
    pub satisfaction_rating: Option<u8>,
    /// ISO 639-1 code of the language detected.
    pub detected_language: Option<String>,
    /// When it was handed off to a human.
    pub handed_off_at: Option<DateTime<Utc>>,
    /// When it was resolved.
    pub resolved_at: Option<DateTime<Utc>>,
    /// When it started.
    pub created_at: DateTime<Utc>,
    /// When it last changed.
    pub updated_at: DateTime<Utc>,
}

/// A knowledge-base citation of an assistant message.
#[derive(Clone, Debug, Deserialize, Serialize, PartialEq)]
#[non_exhaustive]
pub struct MessageSource {
    /// The cited document's title.
    pub title: String,
    /// The passage that was used.
    pub chunk: String,
    /// Further fields the API may send with a citation (kept, not interpreted).
    #[serde(flatten)]
    pub extra: serde_json::Map<String, serde_json::Value>,
}

/// One message of a conversation.
#[derive(Clone, Debug, Deserialize, Serialize, PartialEq)]
#[non_exhaustive]
pub struct Message {
    /// The message's ID.
    pub id: MessageId,
    /// The conversation it belongs to.
    pub conversation_id: ConversationId,
    /// Who wrote it.
    pub role: MessageRole,
    /// The text.
    pub content: String,
    /// Knowledge-base citations (assistant messages), `None` when there are none.
    pub sources: Option<Vec<MessageSource>>,
    /// Attached files, `None` when there are none.
    pub attachments: Option<Vec<Attachment>>,
    /// The visitor's rating of the message.
    pub feedback: Option<MessageFeedback>,
    /// When it was sent.
    pub created_at: DateTime<Utc>,
}

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
    /// Only conversations of this visitor (the widget's text ID, [`super::Visitor::visitor_id`]).
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
