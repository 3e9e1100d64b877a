//! Visitors, their visit sessions, and the AI profile.
//!
//! The profile is not stored: it is derived from the visitor's conversations every time it is
//! asked for (sentiment from message feedback, language from the latest conversation, topics
//! picked deterministically from the visitor's id), so it can never disagree with the data it
//! claims to summarise. A visitor without conversations has no profile yet (404, as the
//! contract says).

use chrono::{DateTime, Utc};
use serde::Serialize;
use uuid::Uuid;

use super::{NextCapStore, Row};
use crate::time_fmt;

/// A tracked visitor (shape inferred in the contract: the fields its filters imply plus the
/// usual analytics fields).
#[derive(Clone, Debug, Serialize)]
pub struct Visitor {
    /// Id.
    pub id: Uuid,
    /// Owning organisation.
    #[serde(skip)]
    pub org_id: Uuid,
    /// Text id used by conversations.
    pub visitor_id: String,
    /// Widget first seen on.
    pub agent_id: Option<Uuid>,
    /// Name, once known.
    pub name: Option<String>,
    /// Captured email.
    pub email: Option<String>,
    /// Captured phone.
    pub phone: Option<String>,
    /// ISO 3166-1 alpha-2 code, upper case.
    pub country: String,
    /// City.
    pub city: Option<String>,
    /// Browser language.
    pub language: Option<String>,
    /// IANA zone.
    pub timezone: Option<String>,
    /// Browser.
    pub browser: Option<String>,
    /// Operating system.
    pub os: Option<String>,
    /// `desktop`, `mobile` or `tablet`.
    pub device_type: Option<String>,
    /// Number of sessions (equal to the rows `sessions` lists).
    pub total_sessions: u32,
    /// Page views over all sessions.
    pub total_page_views: u32,
    /// Number of conversations.
    pub total_conversations: u32,
    /// First visit.
    #[serde(serialize_with = "time_fmt::millis")]
    pub first_seen_at: DateTime<Utc>,
    /// Last visit.
    #[serde(serialize_with = "time_fmt::millis")]
    pub last_seen_at: DateTime<Utc>,
    /// Record creation (the first visit).
    #[serde(serialize_with = "time_fmt::millis")]
    pub created_at: DateTime<Utc>,
    /// Last change.
    #[serde(serialize_with = "time_fmt::millis")]
    pub updated_at: DateTime<Utc>,
}

impl Row for Visitor {
    fn id(&self) -> Uuid {
        self.id
    }
    fn created_at(&self) -> DateTime<Utc> {
        self.created_at
    }
}

/// One page view of a session.
#[derive(Clone, Debug, Serialize)]
pub struct PageView {
    /// Page URL.
    pub url: String,
    /// Page title.
    pub title: Option<String>,
    /// When it was viewed.
    #[serde(serialize_with = "time_fmt::millis")]
    pub viewed_at: DateTime<Utc>,
}

/// One visit.
#[derive(Clone, Debug, Serialize)]
pub struct VisitorSession {
    /// Session id.
    pub id: Uuid,
    /// The visitor's UUID.
    pub visitor_id: Uuid,
    /// Start.
    #[serde(serialize_with = "time_fmt::millis")]
    pub started_at: DateTime<Utc>,
    /// End; null while it lasts.
    #[serde(serialize_with = "time_fmt::millis_opt")]
    pub ended_at: Option<DateTime<Utc>>,
    /// Length in seconds.
    pub duration_seconds: Option<u64>,
    /// First page.
    pub landing_url: Option<String>,
    /// Referrer.
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
    /// Number of page views.
    pub page_view_count: usize,
    /// The page views, in order.
    pub page_views: Vec<PageView>,
    /// Record creation (the session start).
    #[serde(serialize_with = "time_fmt::millis")]
    pub created_at: DateTime<Utc>,
}

impl Row for VisitorSession {
    fn id(&self) -> Uuid {
        self.id
    }
    fn created_at(&self) -> DateTime<Utc> {
        self.created_at
    }
}

/// The AI-generated profile.
#[derive(Clone, Debug, Serialize)]
pub struct VisitorProfile {
    /// The visitor's UUID.
    pub visitor_id: Uuid,
    /// One-line summary.
    pub summary: Option<String>,
    /// `positive`, `neutral`, `negative` or `mixed`.
    pub sentiment: Option<&'static str>,
    /// -1 to 1.
    pub sentiment_score: Option<f64>,
    /// Topics discussed.
    pub topics: Vec<&'static str>,
    /// Interests shown.
    pub interests: Vec<&'static str>,
    /// What the visitor seems to want.
    pub intent: Option<&'static str>,
    /// Language of the latest conversation.
    pub language: Option<String>,
    /// Conversations the profile is based on.
    pub conversations_analyzed: usize,
    /// When it was (notionally) generated: the latest conversation's last change.
    #[serde(serialize_with = "time_fmt::millis")]
    pub generated_at: DateTime<Utc>,
}

/// Filters of `GET /external/visitors` besides the shared date window.
#[derive(Clone, Debug, Default)]
pub struct VisitorFilter {
    /// Only this country (upper case).
    pub country: Option<String>,
    /// Only visitors with (true) or without (false) an email.
    pub has_email: Option<bool>,
}

impl VisitorFilter {
    /// Whether `v` passes every filter that is set.
    pub fn accepts(&self, v: &Visitor) -> bool {
        self.country.as_deref().is_none_or(|c| v.country == c) && self.has_email.is_none_or(|h| v.email.is_some() == h)
    }
}

const TOPICS: [&str; 6] = ["pricing", "billing", "integrations", "onboarding", "password reset", "refunds"];
const INTERESTS: [&str; 5] = ["enterprise plan", "API access", "mobile app", "analytics", "single sign-on"];

impl NextCapStore {
    /// One visitor of an organisation.
    pub fn visitor(&self, org_id: Uuid, id: Uuid) -> Option<&Visitor> {
        self.visitors.iter().find(|v| v.id == id && v.org_id == org_id)
    }

    /// A visitor of an organisation by the widget's text id.
    pub fn visitor_by_text_id(&self, org_id: Uuid, text_id: &str) -> Option<&Visitor> {
        self.visitors.iter().find(|v| v.visitor_id == text_id && v.org_id == org_id)
    }

    /// The profile of `visitor`, derived from its conversations; `None` without any.
    pub fn visitor_profile(&self, visitor: &Visitor) -> Option<VisitorProfile> {
        let conversations: Vec<_> = self
            .conversations
            .iter()
            .filter(|c| c.org_id == visitor.org_id && c.visitor_id == visitor.visitor_id)
            .collect();
        let latest = conversations.iter().max_by_key(|c| c.updated_at)?;
        let (mut positive, mut negative) = (0_i32, 0_i32);
        for m in self.messages.iter().filter(|m| conversations.iter().any(|c| c.id == m.conversation_id)) {
            match m.feedback.as_deref() {
                Some("positive") => positive += 1,
                Some("negative") => negative += 1,
                _ => {}
            }
        }
        let rated = positive + negative;
        let sentiment = match positive.cmp(&negative) {
            _ if rated == 0 => "neutral",
            std::cmp::Ordering::Greater => "positive",
            std::cmp::Ordering::Less => "negative",
            std::cmp::Ordering::Equal => "mixed",
        };
        let score = if rated == 0 { 0.0 } else { f64::from(positive - negative) / f64::from(rated) };
        let seed = visitor.id.as_bytes();
        let pick = |list: &[&'static str], i: usize| list[usize::from(seed[i]) % list.len()];
        let mut topics = vec![pick(&TOPICS, 0), pick(&TOPICS, 1)];
        topics.dedup();
        let handed_off = conversations.iter().any(|c| c.handed_off_at.is_some());
        let who = visitor.name.as_deref().unwrap_or("An anonymous visitor");
        let n = conversations.len();
        Some(VisitorProfile {
            visitor_id: visitor.id,
            summary: Some(format!(
                "{who} from {}: {n} conversation{}, mostly about {}.",
                visitor.country,
                if n == 1 { "" } else { "s" },
                topics[0]
            )),
            sentiment: Some(sentiment),
            sentiment_score: Some(score),
            topics,
            interests: vec![pick(&INTERESTS, 2)],
            intent: Some(if handed_off { "talk to a human" } else { "self-service support" }),
            language: latest.detected_language.clone(),
            conversations_analyzed: n,
            generated_at: latest.updated_at,
        })
    }
}
