//! NexaDesk REST API, mounted under `/nexadesk` (base URL `/nexadesk/api/v1/external`).
//!
//! [`spec`] is the route table. List responses use [`Page`]
//! (`{success, data, pagination}`); every error is an [`error::NdError`].

pub mod error;
pub mod leads;

use axum::http::StatusCode;
use serde::Serialize;

use crate::{
    api::Api,
    auth::Principal,
    keys::{Grant, KeyFamily},
    routes::{ApiSpec, Route},
};
use error::NdError;

/// The NexaDesk spec: workspace keys, the route table (paths inside `/nexadesk`), its errors.
pub fn spec() -> ApiSpec {
    ApiSpec {
        api: Api::NexaDesk,
        family: KeyFamily::NexaDesk,
        mount: "/nexadesk",
        routes: routes(),
        render: error::render,
    }
}

/// The route table: method, path (inside `/nexadesk`), operationId, handler.
fn routes() -> Vec<Route> {
    vec![Route::get("/api/v1/external/leads", "listLeads", leads::list)]
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
pub struct Page<T> {
    /// Always true.
    pub success: bool,
    /// The rows.
    pub data: Vec<T>,
    /// Paging.
    pub pagination: Pagination,
}

/// The workspace a principal belongs to.
pub fn workspace(principal: &Principal) -> Result<&str, NdError> {
    match &principal.grant {
        Grant::NexaDesk { workspace_id, .. } => Ok(workspace_id),
        // The pipeline only admits NexaDesk keys here; defence in depth.
        _ => Err(NdError::new(StatusCode::UNAUTHORIZED, "Invalid API key")),
    }
}
