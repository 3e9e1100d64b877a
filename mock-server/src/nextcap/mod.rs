//! Next Cap (External Data API and CRM Integration API), mounted under `/nextcap`.
//!
//! [`routes`] is the route table; each endpoint is one line there plus a handler in a file
//! named after its resource. Responses use [`Paged`] (`{data, meta}`), [`Single`] (`{data}`)
//! and [`Whole`] (`{data}` holding a whole, unpaginated list); every error is an
//! [`error::NcError`]. What lists and lookups share (paging, date windows, path ids, the
//! caller's organisation) is in [`list`]; JSON bodies are read by [`crate::body`]; the actions that in
//! real life come from visitors (and fire webhooks) are in [`actions`].

pub mod actions;
pub mod analytics;
pub mod call_requests;
pub mod conversations;
pub mod departments;
pub mod error;
pub mod leads;
pub mod list;
pub mod tickets;
pub mod visitors;
pub mod webhooks;

use crate::encode::Json;
use axum::{
    Router,
    extract::{OriginalUri, Path, rejection::PathRejection},
    http::Method,
};
use serde::Serialize;

use crate::{
    api::{Api, Route, api_router},
    query::page_count,
    state::AppState,
};
use error::NcError;

/// The route table: method, path (inside `/nextcap`), operationId, handler.
pub fn routes() -> Vec<Route> {
    vec![
        Route::get("/api/v1/external/leads", "listLeads", leads::list),
        Route::get("/api/v1/external/leads/{id}", "getLead", leads::get),
        Route::get("/api/v1/external/conversations", "listConversations", conversations::list),
        Route::get("/api/v1/external/conversations/{id}", "getConversation", conversations::get),
        Route::get("/api/v1/external/conversations/{id}/messages", "listConversationMessages", conversations::messages),
        Route::get("/api/v1/external/tickets", "listTickets", tickets::list),
        Route::get("/api/v1/external/tickets/{id}", "getTicket", tickets::get),
        Route::get("/api/v1/external/tickets/{id}/events", "listTicketEvents", tickets::events),
        Route::get("/api/v1/external/call-requests", "listCallRequests", call_requests::list),
        Route::get("/api/v1/external/call-requests/{id}", "getCallRequest", call_requests::get),
        Route::new(Method::PATCH, "/api/v1/external/call-requests/{id}", "updateCallRequest", call_requests::update),
        Route::get("/api/v1/external/visitors", "listVisitors", visitors::list),
        Route::get("/api/v1/external/visitors/{id}", "getVisitor", visitors::get),
        Route::get("/api/v1/external/visitors/{id}/sessions", "listVisitorSessions", visitors::sessions),
        Route::get("/api/v1/external/visitors/{id}/profile", "getVisitorProfile", visitors::profile),
        Route::get("/api/v1/external/departments", "listDepartments", departments::list),
        Route::get("/api/v1/external/departments/{id}", "getDepartment", departments::get),
        Route::get("/api/v1/external/analytics/overview", "getAnalyticsOverview", analytics::overview),
        Route::get("/api/v1/external/analytics/daily", "getAnalyticsDaily", analytics::daily),
        Route::new(Method::POST, "/api/v1/external/webhooks", "createWebhook", webhooks::create),
        Route::get("/api/v1/external/webhooks", "listWebhooks", webhooks::list),
        Route::new(Method::DELETE, "/api/v1/external/webhooks/{id}", "deleteWebhook", webhooks::delete),
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

/// A path id as handlers receive it: a rejection becomes the resource's 404 in
/// [`list::path_id`], never a plain-text 400.
pub type PathId = Result<Path<String>, PathRejection>;

/// What a handler returns.
pub type Reply<T> = Result<Json<T>, NcError>;

/// A list response already encoded (while the store's lock was held, so rows are serialized
/// from borrows instead of clones).
pub type Listed = Result<axum::response::Response, NcError>;

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

/// An unpaginated list, `{"data": [...]}` without `meta` (departments, webhooks, daily
/// analytics: small sets the contract returns whole).
pub type Whole<T> = Single<Vec<T>>;

/// `Ok(Json({data}))` for a found resource, the resource's 404 otherwise.
pub fn found<T>(row: Option<T>, noun: &str) -> Reply<Single<T>> {
    row.map(|data| Json(Single { data })).ok_or_else(|| list::not_found(noun))
}
