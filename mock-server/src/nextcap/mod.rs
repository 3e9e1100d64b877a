//! Next Cap: the External Data API ([`data`], `sk_live_` organisation keys) and the CRM
//! Integration API ([`crm`], `nextcap_ck_` seat keys), one host, two route tables, mounted under
//! `/nextcap`.
//!
//! What both halves share lives here: the error envelope ([`error::NcError`]), the response
//! envelopes ([`Page`] `{data, meta}`, [`Item`] `{data}`, also for the few unpaginated lists) and the extractors handlers are made of ([`extract`]). The actions that in
//! real life come from visitors (and fire webhooks) are in [`actions`]; the control API mounts
//! them.

pub mod actions;
pub mod chat;
pub mod crm;
pub mod data;
pub mod error;
pub mod extract;

use axum::response::{IntoResponse, Response};
use serde::Serialize;

use crate::{encode::JsonBody, query::page_count};
use error::NcError;

/// What a handler returns: the encoded response, or an error in Next Cap's envelope.
pub type Reply = Result<Response, NcError>;

/// `{"page", "per_page", "total", "total_pages"}`.
#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
pub struct PageMeta {
    /// Requested page (1-based).
    pub page: usize,
    /// Page size.
    pub per_page: usize,
    /// Matching rows.
    pub total: usize,
    /// `ceil(total / per_page)`, 0 when there is nothing.
    pub total_pages: usize,
}

impl PageMeta {
    /// Meta for `total` rows at `page` / `per_page`.
    pub fn new(page: usize, per_page: usize, total: usize) -> PageMeta {
        PageMeta { page, per_page, total, total_pages: page_count(total, per_page) }
    }
}

/// A list response: `{"data": [...], "meta": {...}}`.
#[derive(Clone, Debug, Serialize)]
pub struct Page<T> {
    /// The page's rows.
    pub data: Vec<T>,
    /// Paging numbers.
    pub meta: PageMeta,
}

/// A single-resource response: `{"data": {...}}`.
#[derive(Clone, Debug, Serialize)]
pub struct Item<T> {
    /// The resource.
    pub data: T,
}

/// `Ok({data})` for a found resource, the resource's 404 otherwise.
pub fn found<T: Serialize>(row: Option<T>, noun: &str) -> Reply {
    row.map(|data| JsonBody(Item { data }).into_response()).ok_or_else(|| extract::not_found(noun))
}
