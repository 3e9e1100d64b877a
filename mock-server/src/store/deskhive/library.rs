//! What every agent shares: canned responses (active ones, sorted by `sort_order` then
//! `title`) and the knowledge base (published articles matching a query, at most 20).

use chrono::{DateTime, Utc};
use serde::Serialize;

use super::{AgentView, Named, named};
use crate::time_fmt;

/// Most articles a search returns (documented).
pub const MAX_SEARCH_RESULTS: usize = 20;

/// A canned response, stored as rendered.
#[derive(Clone, Debug, Serialize)]
pub struct CannedResponse {
    /// Id.
    pub id: u64,
    /// Title.
    pub title: String,
    /// Text.
    pub content: String,
    /// Category name.
    pub category: Option<String>,
    /// Shortcut such as `/greet`.
    pub shortcut: Option<String>,
    /// Inactive ones are never listed.
    pub is_active: bool,
    /// Ascending order of the list.
    pub sort_order: i64,
}

/// A stored article.
#[derive(Clone, Debug)]
pub struct Article {
    /// Id.
    pub id: u64,
    /// Title.
    pub title: String,
    /// URL slug.
    pub slug: String,
    /// Summary.
    pub excerpt: Option<String>,
    /// Body.
    pub content: String,
    /// Category id (the shared categories).
    pub category_id: Option<u64>,
    /// View count.
    pub views: u64,
    /// `published` or `draft`.
    pub status: String,
    /// Creation time.
    pub created_at: DateTime<Utc>,
}

/// The article resource.
#[derive(Clone, Debug, Serialize)]
pub struct ArticleResource {
    /// Id.
    pub id: u64,
    /// Title.
    pub title: String,
    /// URL slug.
    pub slug: String,
    /// Summary.
    pub excerpt: Option<String>,
    /// Body.
    pub content: String,
    /// Category.
    pub category: Option<Named>,
    /// View count.
    pub views: u64,
    /// Always `published` here.
    pub status: String,
    /// Creation time.
    #[serde(serialize_with = "time_fmt::secs")]
    pub created_at: DateTime<Utc>,
}

impl AgentView<'_> {
    /// Every active canned response, by `sort_order` then `title`.
    pub fn canned_responses(&self) -> Vec<CannedResponse> {
        let mut active: Vec<CannedResponse> =
            self.store.canned_responses.iter().filter(|c| c.is_active).cloned().collect();
        active.sort_by(|a, b| a.sort_order.cmp(&b.sort_order).then_with(|| a.title.cmp(&b.title)));
        active
    }

    /// Published articles whose title, content or excerpt contain `q` (case-insensitive, as
    /// MySQL's default collation compares), most viewed first, at most 20.
    pub fn search_articles(&self, q: &str) -> Vec<ArticleResource> {
        let needle = q.to_lowercase();
        let contains = |text: &str| text.to_lowercase().contains(&needle);
        let mut hits: Vec<&Article> = self
            .store
            .articles
            .iter()
            .filter(|a| a.status == "published")
            .filter(|a| contains(&a.title) || contains(&a.content) || a.excerpt.as_deref().is_some_and(contains))
            .collect();
        hits.sort_by(|a, b| b.views.cmp(&a.views).then_with(|| a.id.cmp(&b.id)));
        hits.into_iter()
            .take(MAX_SEARCH_RESULTS)
            .map(|a| ArticleResource {
                id: a.id,
                title: a.title.clone(),
                slug: a.slug.clone(),
                excerpt: a.excerpt.clone(),
                content: a.content.clone(),
                category: named(&self.store.categories, a.category_id),
                views: a.views,
                status: a.status.clone(),
                created_at: a.created_at,
            })
            .collect()
    }
}
