//! Next Cap (External Data API and CRM Integration API), mounted under `/nextcap`.
//!
//! [`routes`] is the route table; each later endpoint is one line there plus a handler in a
//! file named after its resource. Responses use [`Paged`] (`{data, meta}`) and [`Single`]
//! (`{data}`); every error is an [`error::NcError`].

pub mod error;
pub mod leads;

use axum::{Router, extract::OriginalUri, http::Method};
use serde::Serialize;
use uuid::Uuid;

use crate::{
    api::{Api, Route, api_router},
    auth::Principal,
    keys::Grant,
    query::page_count,
    state::AppState,
};
use error::NcError;

/// The route table: method, path (inside `/nextcap`), operationId, handler.
pub fn routes() -> Vec<Route> {
    vec![
        Route::get("/api/v1/external/leads", "listLeads", leads::list),
        Route::get("/api/v1/external/leads/{id}", "getLead", leads::get),
    ]
}

/// The Next Cap sub-router, wrapped in the request pipeline.
pub fn router(state: &AppState) -> Router<AppState> {
    api_router(state, Api::NextCap, routes(), not_found, method_not_allowed)
}

async fn not_found(method: Method, OriginalUri(uri): OriginalUri) -> NcError {
    NcError::not_found(format!("Route {method} {} not found", uri.path()))
}

async fn method_not_allowed(method: Method, OriginalUri(uri): OriginalUri) -> NcError {
    let status = axum::http::StatusCode::METHOD_NOT_ALLOWED;
    NcError {
        status,
        code: NcError::code_for(status),
        message: format!("Method {method} is not allowed on {}", uri.path()),
        details: Vec::new(),
        retry_after: None,
    }
}

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
pub struct Paged<T> {
    /// The page's rows.
    pub data: Vec<T>,
    /// Paging numbers.
    pub meta: PageMeta,
}

/// A single-resource response: `{"data": {...}}`.
#[derive(Clone, Debug, Serialize)]
pub struct Single<T> {
    /// The resource.
    pub data: T,
}

/// The organisation a Data API principal belongs to.
pub fn data_org(principal: &Principal) -> Result<Uuid, NcError> {
    match principal.grant {
        Grant::NextCapData { org_id } => Ok(org_id),
        // The pipeline only lets data keys through to data routes; this is defence in depth.
        _ => Err(NcError::unauthorized("Invalid API key")),
    }
}
