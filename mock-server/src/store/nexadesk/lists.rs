//! The list endpoints' windows: filter, sort (ties broken by id so pages never overlap or skip
//! a row), then cut `offset..offset + limit`, returning the rows and the total that matched.

use std::cmp::Ordering;

use super::{Contact, Conversation, Lead, WorkspaceView};

/// Sortable lead fields (`nexadesk-leads.txt`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LeadSort {
    /// `created_at`.
    CreatedAt,
    /// `updated_at`.
    UpdatedAt,
    /// `lead_score`.
    LeadScore,
    /// `visitor_name` (case-insensitive).
    VisitorName,
}

/// Filters and order of `GET /leads`.
#[derive(Clone, Debug)]
pub struct LeadQuery {
    /// Only this stage.
    pub stage: Option<String>,
    /// Case-insensitive substring of name, email or company.
    pub search: Option<String>,
    /// Sort field.
    pub sort: LeadSort,
    /// Descending?
    pub descending: bool,
}

/// Sortable contact fields (API README: `created_at`, `last_activity`, `name`, `email`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ContactSort {
    /// `created_at`.
    CreatedAt,
    /// `last_activity` (never-active contacts first when ascending).
    LastActivity,
    /// `name`: first then last name, case-insensitive.
    Name,
    /// `email`, case-insensitive.
    Email,
}

/// Filters and order of `GET /contacts`.
#[derive(Clone, Debug)]
pub struct ContactQuery {
    /// Case-insensitive substring of first/last name, email, phone or company.
    pub search: Option<String>,
    /// Exact tag.
    pub tag: Option<String>,
    /// Sort field.
    pub sort: ContactSort,
    /// Descending?
    pub descending: bool,
}

/// Sortable conversation fields (API README: `created_at`, `updated_at`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ConversationSort {
    /// `created_at`.
    CreatedAt,
    /// `updated_at`.
    UpdatedAt,
}

/// Filters and order of `GET /conversations`.
#[derive(Clone, Debug)]
pub struct ConversationQuery {
    /// Only this status (`None` is `all`).
    pub status: Option<String>,
    /// Case-insensitive substring of visitor name, email or company.
    pub search: Option<String>,
    /// Exact tag.
    pub tag: Option<String>,
    /// Sort field.
    pub sort: ConversationSort,
    /// Descending?
    pub descending: bool,
}

fn contains_ci(field: Option<&str>, needle: &str) -> bool {
    field.is_some_and(|f| f.to_lowercase().contains(needle))
}

fn lower(field: Option<&str>) -> Option<String> {
    field.map(str::to_lowercase)
}

/// Sorts (ties by id), then cuts the window.
fn window<T: Clone>(
    mut rows: Vec<&T>,
    offset: usize,
    limit: usize,
    descending: bool,
    order: impl Fn(&T, &T) -> Ordering,
    id: impl Fn(&T) -> uuid::Uuid,
) -> (Vec<T>, usize) {
    rows.sort_by(|a, b| {
        let primary = order(a, b);
        let primary = if descending { primary.reverse() } else { primary };
        primary.then_with(|| id(a).cmp(&id(b)))
    });
    let total = rows.len();
    (rows.into_iter().skip(offset).take(limit).cloned().collect(), total)
}

impl WorkspaceView<'_> {
    /// One window (`offset`, `limit`) of the workspace's leads, and the total that match.
    pub fn leads(&self, query: &LeadQuery, offset: usize, limit: usize) -> (Vec<Lead>, usize) {
        let needle = query.search.as_ref().map(|s| s.to_lowercase());
        let rows: Vec<&Lead> = self
            .all_leads()
            .filter(|l| query.stage.as_deref().is_none_or(|s| l.pipeline_stage == s))
            .filter(|l| {
                needle.as_deref().is_none_or(|n| {
                    contains_ci(Some(&l.visitor_name), n)
                        || contains_ci(l.visitor_email.as_deref(), n)
                        || contains_ci(l.visitor_company.as_deref(), n)
                })
            })
            .collect();
        let order = |a: &Lead, b: &Lead| match query.sort {
            LeadSort::CreatedAt => a.created_at.cmp(&b.created_at),
            LeadSort::UpdatedAt => a.updated_at.cmp(&b.updated_at),
            LeadSort::LeadScore => a.lead_score.cmp(&b.lead_score),
            LeadSort::VisitorName => a.visitor_name.to_lowercase().cmp(&b.visitor_name.to_lowercase()),
        };
        window(rows, offset, limit, query.descending, order, |l| l.id)
    }

    /// One window of the workspace's contacts, and the total that match.
    pub fn contact_page(&self, query: &ContactQuery, offset: usize, limit: usize) -> (Vec<Contact>, usize) {
        let needle = query.search.as_ref().map(|s| s.to_lowercase());
        let rows: Vec<&Contact> = self
            .contacts()
            .filter(|c| query.tag.as_deref().is_none_or(|t| c.tags.iter().any(|x| x == t)))
            .filter(|c| {
                needle.as_deref().is_none_or(|n| {
                    contains_ci(Some(&c.first_name), n)
                        || contains_ci(c.last_name.as_deref(), n)
                        || contains_ci(c.email.as_deref(), n)
                        || contains_ci(c.phone.as_deref(), n)
                        || contains_ci(c.company_name.as_deref(), n)
                })
            })
            .collect();
        let order = |a: &Contact, b: &Contact| match query.sort {
            ContactSort::CreatedAt => a.created_at.cmp(&b.created_at),
            ContactSort::LastActivity => a.last_activity.cmp(&b.last_activity),
            ContactSort::Name => (a.first_name.to_lowercase(), lower(a.last_name.as_deref()))
                .cmp(&(b.first_name.to_lowercase(), lower(b.last_name.as_deref()))),
            ContactSort::Email => lower(a.email.as_deref()).cmp(&lower(b.email.as_deref())),
        };
        window(rows, offset, limit, query.descending, order, |c| c.id)
    }

    /// One window of the workspace's conversations, and the total that match.
    pub fn conversation_page(
        &self,
        query: &ConversationQuery,
        offset: usize,
        limit: usize,
    ) -> (Vec<Conversation>, usize) {
        let needle = query.search.as_ref().map(|s| s.to_lowercase());
        let rows: Vec<&Conversation> = self
            .conversations()
            .filter(|c| query.status.as_deref().is_none_or(|s| c.status == s))
            .filter(|c| query.tag.as_deref().is_none_or(|t| c.tags.iter().any(|x| x == t)))
            .filter(|c| {
                needle.as_deref().is_none_or(|n| {
                    contains_ci(c.visitor_name.as_deref(), n)
                        || contains_ci(c.visitor_email.as_deref(), n)
                        || contains_ci(c.visitor_company.as_deref(), n)
                })
            })
            .collect();
        let order = |a: &Conversation, b: &Conversation| match query.sort {
            ConversationSort::CreatedAt => a.created_at.cmp(&b.created_at),
            ConversationSort::UpdatedAt => a.updated_at.cmp(&b.updated_at),
        };
        window(rows, offset, limit, query.descending, order, |c| c.id)
    }
}
