//! What the CRM endpoints share: the path of one item, the sort parameters of the lists, the
//! comma-separated encoding of multi-valued filters, and the paging of the lists that take
//! no date filter.
//!
//! The sort values are plain enums (no `Unknown` fallback): they are only ever sent, and a
//! value the API does not document would be refused by it anyway.

use std::fmt;
use std::marker::PhantomData;

use serde::de::DeserializeOwned;
use serde::{Serialize, Serializer};

use crate::core::error::{Error, Result};
use crate::core::pagination::{ListParams, ListRequest, NextPage, Page, PageStyle, PageToken};
use crate::core::transport::segment;
use crate::core::validate::Known;
use crate::core::validate::in_range;
use crate::nextcap::envelope::{NextCapPages, PageMeta};

/// `/external/crm/{collection}/{id}{tail}`, with the ID percent-encoded and an empty one
/// rejected (named `name` in the error).
pub(crate) fn item_path(collection: &str, name: &str, id: &str, tail: &str) -> Result<String> {
    Ok(format!("/external/crm/{collection}/{}{tail}", segment(name, id)?))
}

/// Sort direction of a list (`sort_order`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum SortOrder {
    /// Oldest / lowest first.
    Asc,
    /// Newest / highest first (the API's default).
    Desc,
}

/// Sort field of the conversation list (`sort_by`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
pub enum ConversationSortBy {
    /// By creation time (the API's default).
    #[serde(rename = "createdAt")]
    CreatedAt,
    /// By last change.
    #[serde(rename = "updatedAt")]
    UpdatedAt,
}

/// Sort field of the ticket list (`sort_by`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
pub enum TicketSortBy {
    /// By creation time (the API's default).
    #[serde(rename = "createdAt")]
    CreatedAt,
    /// By last change.
    #[serde(rename = "updatedAt")]
    UpdatedAt,
    /// By priority.
    #[serde(rename = "priority")]
    Priority,
    /// By the organisation's running ticket number.
    #[serde(rename = "ticketNumber")]
    TicketNumber,
}

/// Serializes a set of enum values as one `a,b` parameter, as the API takes them.
pub(crate) fn comma_separated<T: AsRef<str>, S: Serializer>(
    values: &Option<Vec<T>>,
    s: S,
) -> std::result::Result<S::Ok, S::Error> {
    let joined: Vec<&str> = values.as_deref().unwrap_or_default().iter().map(AsRef::as_ref).collect();
    s.serialize_str(&joined.join(","))
}

/// Collects a multi-valued filter, dropping repeats but keeping the caller's order.
pub(crate) fn collect_distinct<T: PartialEq>(values: impl IntoIterator<Item = T>) -> Vec<T> {
    let mut out = Vec::new();
    for v in values {
        if !out.contains(&v) {
            out.push(v);
        }
    }
    out
}

/// Rejects an empty set or a value the SDK does not know (the API refuses both).
pub(crate) fn known_set<E: Known>(name: &str, values: Option<&[E]>) -> Result<()> {
    match values {
        Some([]) => Err(Error::invalid(name, "give at least one value")),
        Some(values) => values.iter().try_for_each(|v| crate::core::validate::known(name, Some(v))),
        None => Ok(()),
    }
}

/// Next Cap's `{data, meta}` pages for the CRM lists that take no date filter (a ticket's
/// timeline, a conversation's messages, the team directory, per `openapi/nextcap-crm.yaml`):
/// the same envelope as [`NextCapPages`], but `.pages()`/`.stream()` do not add the
/// `created_before` snapshot bound, which these endpoints do not take.
#[derive(Debug)]
pub enum CrmPages {}

impl PageStyle for CrmPages {
    type Meta = PageMeta;
    fn decode<T: DeserializeOwned>(status: u16, body: &[u8]) -> Result<Page<T, PageMeta>> {
        NextCapPages::decode(status, body)
    }
    fn token_query(token: &PageToken) -> Option<(&'static str, String)> {
        NextCapPages::token_query(token)
    }
    fn next(meta: &PageMeta) -> NextPage {
        NextCapPages::next(meta)
    }
    fn position(meta: &PageMeta) -> Option<u32> {
        NextCapPages::position(meta)
    }
}

/// Filters of a CRM list that takes only a page size (a ticket's timeline, a conversation's
/// messages). `T` is the item type.
#[derive(Serialize)]
#[serde(bound = "")]
pub struct PageQuery<T> {
    #[serde(skip_serializing_if = "Option::is_none")]
    per_page: Option<u32>,
    #[serde(skip)]
    item: PhantomData<fn() -> T>,
}

impl<T> Default for PageQuery<T> {
    fn default() -> Self {
        Self { per_page: None, item: PhantomData }
    }
}

impl<T> Clone for PageQuery<T> {
    fn clone(&self) -> Self {
        Self { per_page: self.per_page, item: PhantomData }
    }
}

impl<T> fmt::Debug for PageQuery<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PageQuery").field("per_page", &self.per_page).finish()
    }
}

impl<T: DeserializeOwned + Send + 'static> ListParams for PageQuery<T> {
    type Item = T;
    type Style = CrmPages;
    fn validate(&self) -> Result<()> {
        in_range("per_page", self.per_page, 1..=100)
    }
}

impl<T: DeserializeOwned + Send + 'static> ListRequest<PageQuery<T>> {
    /// Items per page, 1-100 (the API's default is 20; 50 for a conversation's messages).
    pub fn per_page(mut self, n: u32) -> Self {
        self.params.per_page = Some(n);
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn item_paths_encode_and_reject_ids() {
        assert_eq!(item_path("tickets", "id", "a/b", "/reply").unwrap(), "/external/crm/tickets/a%2Fb/reply");
        assert!(item_path("tickets", "id", " ", "").is_err());
    }

    #[test]
    fn distinct_values_keep_their_order() {
        assert_eq!(collect_distinct(["b", "a", "b"]), ["b", "a"]);
    }
}
