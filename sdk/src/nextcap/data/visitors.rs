//! Visitors: `GET /external/visitors`, `/visitors/:id`, `/visitors/:id/sessions` and
//! `/visitors/:id/profile`.
//!
//! A visitor has two identifiers: its UUID ([`VisitorId`], used in these paths and by leads
//! and call requests) and the widget's text ID ([`VisitorTextId`], used by conversations).
//! They are different types so one cannot be passed where the other is expected.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::NextCapDataClient;
use super::common::item_path;
use crate::core::error::{Error, Result};
use crate::core::macros::{string_enum, string_id};
use crate::core::pagination::{ListParams, ListRequest};
use crate::nextcap::PlainQuery;
use crate::nextcap::envelope::{ListWindow, NextCapList, NextCapPages};
use crate::nextcap::models::{AgentId, VisitorId, VisitorTextId, null_as_default};

string_id!(
    /// A visit session's ID.
    SessionId
);

string_enum! {
    /// The kind of device a visitor used.
    pub enum DeviceType {
        /// Desktop or laptop.
        Desktop => "desktop",
        /// Phone.
        Mobile => "mobile",
        /// Tablet.
        Tablet => "tablet",
    }
}

string_enum! {
    /// The overall sentiment of a visitor's conversations.
    pub enum Sentiment {
        /// Positive.
        Positive => "positive",
        /// Neutral.
        Neutral => "neutral",
        /// Negative.
        Negative => "negative",
        /// Mixed.
        Mixed => "mixed",
    }
}

/// A tracked website visitor.
#[derive(Clone, Debug, Deserialize, Serialize, PartialEq, Eq)]
#[non_exhaustive]
pub struct Visitor {
    /// The visitor's UUID.
    pub id: VisitorId,
    /// The widget's text ID of the visitor (what conversations filter by).
    pub visitor_id: VisitorTextId,
    /// The widget the visitor was first seen on.
    pub agent_id: Option<AgentId>,
    /// Name, if captured.
    pub name: Option<String>,
    /// Email, if captured.
    pub email: Option<String>,
    /// Phone, if captured.
    pub phone: Option<String>,
    /// ISO 3166-1 alpha-2 country code.
    pub country: Option<String>,
    /// City.
    pub city: Option<String>,
    /// Browser language.
    pub language: Option<String>,
    /// IANA time zone.
    pub timezone: Option<String>,
    /// Browser.
    pub browser: Option<String>,
    /// Operating system.
    pub os: Option<String>,
    /// Kind of device.
    pub device_type: Option<DeviceType>,
    /// Number of visits.
    #[serde(default)]
    pub total_sessions: u64,
    /// Number of pages viewed.
    #[serde(default)]
    pub total_page_views: u64,
    /// Number of conversations.
    #[serde(default)]
    pub total_conversations: u64,
    /// First visit.
    pub first_seen_at: DateTime<Utc>,
    /// Latest visit.
    pub last_seen_at: DateTime<Utc>,
    /// When the record was created.
    pub created_at: DateTime<Utc>,
    /// When the record last changed.
    pub updated_at: DateTime<Utc>,
}

/// One page view within a session.
#[derive(Clone, Debug, Deserialize, Serialize, PartialEq, Eq)]
#[non_exhaustive]
pub struct PageView {
    /// The page's URL.
    pub url: String,
    /// The page's title.
    pub title: Option<String>,
    /// When it was viewed.
    pub viewed_at: DateTime<Utc>,
}

/// One visit: where it came from (referrer, UTM) and what was viewed.
#[derive(Clone, Debug, Deserialize, Serialize, PartialEq, Eq)]
#[non_exhaustive]
pub struct VisitorSession {
    /// The session's ID.
    pub id: SessionId,
    /// The visitor's UUID.
    pub visitor_id: VisitorId,
    /// When the visit started.
    pub started_at: DateTime<Utc>,
    /// When it ended; `None` while it goes on.
    pub ended_at: Option<DateTime<Utc>>,
    /// Length in seconds.
    pub duration_seconds: Option<u64>,
    /// The first page.
    pub landing_url: Option<String>,
    /// The referrer.
    pub referrer: Option<String>,
    /// `utm_source`.
    pub utm_source: Option<String>,
    /// `utm_medium`.
    pub utm_medium: Option<String>,
    /// `utm_campaign`.
    pub utm_campaign: Option<String>,
    /// `utm_term`.
    pub utm_term: Option<String>,
    /// `utm_content`.
    pub utm_content: Option<String>,
    /// Number of pages viewed.
    #[serde(default)]
    pub page_view_count: u64,
    /// The pages viewed, in order.
    #[serde(default, deserialize_with = "null_as_default")]
    pub page_views: Vec<PageView>,
    /// When the record was created.
    pub created_at: DateTime<Utc>,
}

/// The AI-generated profile of a visitor, from their conversations.
#[derive(Clone, Debug, Deserialize, Serialize, PartialEq)]
#[non_exhaustive]
pub struct VisitorProfile {
    /// The visitor's UUID.
    pub visitor_id: VisitorId,
    /// A short summary.
    pub summary: Option<String>,
    /// Overall sentiment.
    pub sentiment: Option<Sentiment>,
    /// Sentiment from -1 (negative) to 1 (positive).
    pub sentiment_score: Option<f64>,
    /// Topics discussed.
    #[serde(default, deserialize_with = "null_as_default")]
    pub topics: Vec<String>,
    /// Interests shown.
    #[serde(default, deserialize_with = "null_as_default")]
    pub interests: Vec<String>,
    /// What the visitor seems to want.
    pub intent: Option<String>,
    /// The visitor's language.
    pub language: Option<String>,
    /// How many conversations the profile is based on.
    #[serde(default)]
    pub conversations_analyzed: u64,
    /// When the profile was generated.
    pub generated_at: DateTime<Utc>,
}

/// Filters of `GET /external/visitors`.
#[derive(Clone, Debug, Default, Serialize)]
#[non_exhaustive]
pub struct VisitorsQuery {
    #[serde(flatten)]
    window: ListWindow,
    #[serde(skip_serializing_if = "Option::is_none")]
    country: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    has_email: Option<bool>,
}

impl ListParams for VisitorsQuery {
    type Item = Visitor;
    type Style = NextCapPages;
    fn validate(&self) -> Result<()> {
        self.window.validate()?;
        match self.country.as_deref() {
            Some(c) if c.len() != 2 || !c.bytes().all(|b| b.is_ascii_alphabetic()) => {
                Err(Error::invalid("country", format!("`{c}` is not a 2-letter ISO 3166-1 code such as US or DE")))
            }
            _ => Ok(()),
        }
    }
}

impl NextCapList for VisitorsQuery {
    fn window(&mut self) -> &mut ListWindow {
        &mut self.window
    }
}

impl ListRequest<VisitorsQuery> {
    /// Only visitors from this country: a 2-letter ISO 3166-1 code (`US`, `de`), sent in
    /// upper case.
    pub fn country(mut self, code: impl Into<String>) -> Self {
        self.params.country = Some(code.into().to_ascii_uppercase());
        self
    }
    /// Only visitors with (`true`) or without (`false`) a captured email.
    pub fn has_email(mut self, yes: bool) -> Self {
        self.params.has_email = Some(yes);
        self
    }
}

/// The visitor endpoints; from [`NextCapDataClient::visitors`].
#[derive(Debug)]
pub struct Visitors<'a> {
    pub(crate) client: &'a NextCapDataClient,
}

impl Visitors<'_> {
    /// Lists tracked visitors, newest first.
    ///
    /// ```no_run
    /// # async fn run(client: deskapi::NextCapDataClient) -> deskapi::Result<()> {
    /// let page = client.visitors().list().country("DE").has_email(true).send().await?;
    /// println!("{} German visitors with an email", page.meta.total);
    /// # Ok(()) }
    /// ```
    #[doc(alias = "listVisitors")]
    pub fn list(&self) -> ListRequest<VisitorsQuery> {
        self.client.list(Ok("/external/visitors".to_owned()))
    }

    /// Gets one visitor by UUID.
    ///
    /// ```no_run
    /// # async fn run(client: deskapi::NextCapDataClient) -> deskapi::Result<()> {
    /// let v = client.visitors().get("1a2b3c4d-0000-4000-8000-000000000001").await?;
    /// println!("{:?} from {:?}, {} visits", v.name, v.country, v.total_sessions);
    /// # Ok(()) }
    /// ```
    #[doc(alias = "getVisitor")]
    pub async fn get(&self, id: impl Into<VisitorId>) -> Result<Visitor> {
        self.client.fetch(item_path("visitors", id.into().as_str(), "")).await
    }

    /// Lists a visitor's sessions (UTM data, referrer, page views), newest first.
    ///
    /// ```no_run
    /// # async fn run(client: deskapi::NextCapDataClient) -> deskapi::Result<()> {
    /// use futures::TryStreamExt;
    /// let sessions: Vec<_> = client.visitors().sessions("1a2b3c4d-0000-4000-8000-000000000001")
    ///     .stream()
    ///     .try_collect()
    ///     .await?;
    /// for s in sessions {
    ///     println!("{:?} via {:?}", s.landing_url, s.utm_source);
    /// }
    /// # Ok(()) }
    /// ```
    #[doc(alias = "listVisitorSessions")]
    pub fn sessions(&self, id: impl Into<VisitorId>) -> ListRequest<PlainQuery<VisitorSession>> {
        self.client.list(item_path("visitors", id.into().as_str(), "/sessions"))
    }

    /// Gets the AI-generated profile of a visitor (a 404 when none was generated yet).
    ///
    /// ```no_run
    /// # async fn run(client: deskapi::NextCapDataClient) -> deskapi::Result<()> {
    /// let p = client.visitors().profile("1a2b3c4d-0000-4000-8000-000000000001").await?;
    /// println!("{:?}: {:?}", p.sentiment, p.topics);
    /// # Ok(()) }
    /// ```
    #[doc(alias = "getVisitorProfile")]
    pub async fn profile(&self, id: impl Into<VisitorId>) -> Result<VisitorProfile> {
        self.client.fetch(item_path("visitors", id.into().as_str(), "/profile")).await
    }
}
