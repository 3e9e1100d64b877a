//! Leads: `GET /external/leads` and `GET /external/leads/:id`.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::NextCapDataClient;
use super::common::item_path;
use crate::core::error::Result;
use crate::core::macros::string_enum;
use crate::core::pagination::{ListParams, ListRequest};
use crate::core::validate::{known, non_empty};
use crate::nextcap::envelope::{ListWindow, NextCapList, NextCapPages};
use crate::nextcap::models::{AgentId, ConversationId, LeadId, VisitorId};

string_enum! {
    /// How a lead was captured.
    pub enum LeadSource {
        /// The widget's pre-chat form.
        PreChatForm => "pre_chat_form",
        /// Captured during the chat.
        InChat => "in_chat",
        /// Entered by a team member.
        Manual => "manual",
        /// Captured through Telegram.
        Telegram => "telegram",
    }
}

/// A lead captured by one of the organisation's widgets.
#[derive(Clone, Debug, Deserialize, Serialize, PartialEq)]
#[non_exhaustive]
pub struct Lead {
    /// The lead's ID.
    pub id: LeadId,
    /// Email address, if captured.
    pub email: Option<String>,
    /// Name, if captured.
    pub name: Option<String>,
    /// Phone number, if captured.
    pub phone: Option<String>,
    /// Company, if captured.
    pub company: Option<String>,
    /// Extra form fields configured by the organisation (keys as set in the dashboard).
    #[serde(default)]
    pub custom_fields: Option<serde_json::Map<String, serde_json::Value>>,
    /// How the lead was captured.
    pub source: LeadSource,
    /// The widget (agent) that captured the lead.
    pub agent_id: Option<AgentId>,
    /// The conversation the lead came from.
    pub conversation_id: Option<ConversationId>,
    /// The visitor the lead belongs to.
    pub visitor_id: Option<VisitorId>,
    /// When the lead was created.
    pub created_at: DateTime<Utc>,
    /// When the lead last changed.
    pub updated_at: DateTime<Utc>,
}

/// Filters of `GET /external/leads`.
#[derive(Clone, Debug, Default, Serialize)]
#[non_exhaustive]
pub struct LeadsQuery {
    #[serde(flatten)]
    window: ListWindow,
    #[serde(skip_serializing_if = "Option::is_none")]
    source: Option<LeadSource>,
    #[serde(skip_serializing_if = "Option::is_none")]
    agent_id: Option<AgentId>,
    #[serde(skip_serializing_if = "Option::is_none")]
    email: Option<String>,
}

impl ListParams for LeadsQuery {
    type Item = Lead;
    type Style = NextCapPages;
    fn validate(&self) -> Result<()> {
        self.window.validate()?;
        known("source", self.source.as_ref())?;
        non_empty("agent_id", self.agent_id.as_ref().map(AgentId::as_str))?;
        non_empty("email", self.email.as_deref())
    }
}

impl NextCapList for LeadsQuery {
    fn window(&mut self) -> &mut ListWindow {
        &mut self.window
    }
}

impl ListRequest<LeadsQuery> {
    /// Only leads captured this way.
    pub fn source(mut self, source: LeadSource) -> Self {
        self.params.source = Some(source);
        self
    }
    /// Only leads captured by this widget (agent).
    pub fn agent_id(mut self, agent: impl Into<AgentId>) -> Self {
        self.params.agent_id = Some(agent.into());
        self
    }
    /// Only leads whose email contains this text (partial match).
    pub fn email(mut self, email: impl Into<String>) -> Self {
        self.params.email = Some(email.into());
        self
    }
}

/// The leads endpoints; from [`NextCapDataClient::leads`].
#[derive(Debug)]
pub struct Leads<'a> {
    pub(crate) client: &'a NextCapDataClient,
}

impl Leads<'_> {
    /// Lists leads, newest first.
    ///
    /// ```no_run
    /// # async fn run(client: deskapi::NextCapDataClient) -> deskapi::Result<()> {
    /// use deskapi::nextcap::LeadSource;
    /// use futures::TryStreamExt;
    /// let leads: Vec<_> = client.leads().list()
    ///     .source(LeadSource::PreChatForm)
    ///     .email("@acme.com")
    ///     .stream()
    ///     .try_collect()
    ///     .await?;
    /// # Ok(()) }
    /// ```
    #[doc(alias = "listLeads")]
    pub fn list(&self) -> ListRequest<LeadsQuery> {
        self.client.list(Ok("/external/leads".to_owned()))
    }

    /// Gets one lead.
    ///
    /// ```no_run
    /// # async fn run(client: deskapi::NextCapDataClient) -> deskapi::Result<()> {
    /// let lead = client.leads().get("4b0c3c52-1f0e-4d5e-9c1a-0f2a3b4c5d6e").await?;
    /// println!("{:?} <{:?}>", lead.name, lead.email);
    /// # Ok(()) }
    /// ```
    #[doc(alias = "getLead")]
    pub async fn get(&self, id: impl Into<LeadId>) -> Result<Lead> {
        self.client.fetch(item_path("leads", id.into().as_str(), "")).await
    }
}
