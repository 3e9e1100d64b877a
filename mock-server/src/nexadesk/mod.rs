//! NexaDesk REST API, mounted under `/nexadesk` (base URL `/nexadesk/api/v1/external`).
//!
//! [`routes`] is the route table. List responses use [`Listed`]
//! (`{success, data, pagination}`), single resources [`One`] (`{success, data}`); every error is
//! an [`error::NdError`].

pub mod error;
pub mod leads;

use axum::{
    Router,
    extract::OriginalUri,
    http::{Method, StatusCode},
};
use serde::Serialize;

use crate::{
    api::{Api, Route, api_router},
    auth::Principal,
    keys::Grant,
    state::AppState,
};
use error::NdError;

/// The route table: method, path (inside `/nexadesk`), operationId, handler.
pub fn routes() -> Vec<Route> {
    vec![Route::get("/api/v1/external/leads", "listLeads", leads::list)]
}

/// The NexaDesk sub-router, wrapped in the request pipeline.
pub fn router(state: &AppState) -> Router<AppState> {
    api_router(state, Api::NexaDesk, routes(), not_found, method_not_allowed)
}

async fn not_found(method: Method, OriginalUri(uri): OriginalUri) -> NdError {
    NdError::new(StatusCode::NOT_FOUND, format!("Not found: {method} {}", uri.path()))
}

async fn method_not_allowed(method: Method, OriginalUri(uri): OriginalUri) -> NdError {
    NdError::new(StatusCode::METHOD_NOT_ALLOWED, format!("Method {method} not allowed on {}", uri.path()))
}

/// `{"has_more", "next_cursor", "total_count", "limit"}`.
#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
pub struct Pagination {
    /// More rows after this page.
    pub has_more: bool,
    /// Cursor for the next page; `null` when there is none.
    pub next_cursor: Option<String>,
    /// Matching rows in total.
    pub total_count: usize,
    /// Page size used.
    pub limit: usize,
}

/// A list response.
#[derive(Clone, Debug, Serialize)]
pub struct Listed<T> {
    /// Always true.
    pub success: bool,
    /// The rows.
    pub data: Vec<T>,
    /// Paging.
    pub pagination: Pagination,
}

/// A single-resource response.
#[derive(Clone, Debug, Serialize)]
pub struct One<T> {
    /// Always true.
    pub success: bool,
    /// The resource.
    pub data: T,
}

/// The workspace a principal belongs to.
pub fn workspace(principal: &Principal) -> Result<&str, NdError> {
    match &principal.grant {
        Grant::NexaDesk { workspace_id, .. } => Ok(workspace_id),
        // The pipeline only admits NexaDesk keys here; defence in depth.
        _ => Err(NdError::new(StatusCode::UNAUTHORIZED, "Invalid API key")),
    }
}
