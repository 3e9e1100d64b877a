//! What every agent shares: canned responses (all active ones, sorted by `sort_order` then
//! `title`, not paginated) and the knowledge base (published articles matching a query, at
//! most 20). Source: deskhive-external-api.txt, "Canned Responses" and the search section.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::DeskHiveClient;
use super::envelope::Data;
use super::ticket_models::NamedRef;
use crate::core::error::{Error, Result};
use crate::core::macros::{int_id, string_enum};
use crate::core::transport::RequestSpec;

int_id!(
    /// A canned response's ID.
    CannedResponseId
);
int_id!(
    /// A knowledge-base article's ID.
    ArticleId
);

string_enum! {
    /// An article's publication state (search returns only published ones).
    pub enum ArticleStatus {
        /// Visible.
        Published => "published",
        /// Not yet visible.
        Draft => "draft",
    }
}

/// A reusable reply text.
#[derive(Clone, Debug, Deserialize, Serialize, PartialEq, Eq)]
#[non_exhaustive]
pub struct CannedResponse {
    /// ID.
    pub id: CannedResponseId,
    /// Title.
    pub title: String,
    /// The text to send.
    pub content: String,
    /// Category name.
    #[serde(default)]
    pub category: Option<String>,
    /// Shortcut, e.g. `/greet`.
    #[serde(default)]
    pub shortcut: Option<String>,
    /// Always true in the list.
    pub is_active: bool,
    /// Position (ascending; ties by title).
    pub sort_order: i64,
}

/// A knowledge-base article.
#[derive(Clone, Debug, Deserialize, Serialize, PartialEq, Eq)]
#[non_exhaustive]
pub struct Article {
    /// ID.
    pub id: ArticleId,
    /// Title.
    pub title: String,
    /// URL slug.
    pub slug: String,
    /// Summary.
    #[serde(default)]
    pub excerpt: Option<String>,
    /// Body.
    pub content: String,
    /// Category.
    #[serde(default)]
    pub category: Option<NamedRef>,
    /// View count.
    #[serde(default)]
    pub views: u64,
    /// Publication state.
    pub status: ArticleStatus,
    /// Creation time.
    pub created_at: DateTime<Utc>,
}

/// The canned responses; from [`DeskHiveClient::canned_responses`].
#[derive(Debug)]
pub struct CannedResponses<'a> {
    pub(crate) client: &'a DeskHiveClient,
}

impl CannedResponses<'_> {
    /// Every active canned response, by `sort_order` then `title` (one request, no pages).
    ///
    /// ```no_run
    /// # async fn run(client: deskapi::DeskHiveClient) -> deskapi::Result<()> {
    /// let canned = client.canned_responses().list().await?;
    /// if let Some(greet) = canned.iter().find(|c| c.shortcut.as_deref() == Some("/greet")) {
    ///     println!("{}", greet.content);
    /// }
    /// # Ok(()) }
    /// ```
    #[doc(alias = "listCannedResponses")]
    pub async fn list(&self) -> Result<Vec<CannedResponse>> {
        let spec = RequestSpec::new(http::Method::GET, "/external/canned-responses");
        Ok(self.client.transport.json::<Data<Vec<CannedResponse>>>(spec).await?.data)
    }
}

/// The knowledge base; from [`DeskHiveClient::knowledge_base`].
#[derive(Debug)]
pub struct KnowledgeBase<'a> {
    pub(crate) client: &'a DeskHiveClient,
}

#[derive(Serialize)]
struct SearchQuery<'a> {
    q: &'a str,
}

impl KnowledgeBase<'_> {
    /// Published articles whose title, content or excerpt contain `q`; at most 20. A `q` of
    /// fewer than 2 characters (after trimming) is refused before sending.
    ///
    /// ```no_run
    /// # async fn run(client: deskapi::DeskHiveClient) -> deskapi::Result<()> {
    /// for a in client.knowledge_base().search("password").await? {
    ///     println!("{} ({} views)", a.title, a.views);
    /// }
    /// # Ok(()) }
    /// ```
    #[doc(alias = "searchKnowledgeBase")]
    pub async fn search(&self, q: &str) -> Result<Vec<Article>> {
        let q = q.trim();
        if q.chars().count() < 2 {
            return Err(Error::invalid("q", "must be at least 2 characters"));
        }
        let spec = RequestSpec::new(http::Method::GET, "/external/knowledge-base/search").query(&SearchQuery { q })?;
        Ok(self.client.transport.json::<Data<Vec<Article>>>(spec).await?.data)
    }
}
