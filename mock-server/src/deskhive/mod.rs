//! Desk Hive external (agent) API, mounted under `/deskhive` (base URL `/deskhive/api/v1`).
//!
//! [`routes`] is the route table; `health-check` is the one public route. Lists use
//! Laravel's paginator shape [`LaravelPage`]; every error is an [`error::DhError`].

pub mod error;
pub mod tickets;

use crate::encode::JsonBody;
use axum::http::StatusCode;
use serde::Serialize;
use serde_json::{Value, json};

use crate::{
    api::Api,
    auth::Principal,
    keys::{Grant, KeyFamily},
    query::page_count,
    routes::{ApiSpec, Route},
};
use error::DhError;

/// The Desk Hive spec: agent keys, the route table (paths inside `/deskhive`), Laravel's errors.
pub fn spec() -> ApiSpec {
    ApiSpec {
        api: Api::DeskHive,
        family: KeyFamily::DeskHive,
        mount: "/deskhive",
        routes: routes(),
        render: error::render,
    }
}

/// The route table: method, path (inside `/deskhive`), operationId, handler.
fn routes() -> Vec<Route> {
    vec![
        Route::get("/api/v1/health-check", "healthCheck", health_check).public(),
        Route::get("/api/v1/external/connection-check", "getConnectionCheck", connection_check),
        Route::get("/api/v1/external/tickets", "listTickets", tickets::list),
        Route::get("/api/v1/external/tickets/{id}", "getTicket", tickets::get),
    ]
}

async fn health_check() -> JsonBody<Value> {
    JsonBody(json!({ "message": "Health check successful" }))
}

async fn connection_check() -> JsonBody<Value> {
    JsonBody(json!({ "status": true, "message": "Connection check successful" }))
}

/// `{"current_page", "last_page", "per_page", "total"}`.
#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
pub struct LaravelMeta {
    /// Requested page.
    pub current_page: usize,
    /// Last page; at least 1, as Laravel reports it even for no rows.
    pub last_page: usize,
    /// Page size.
    pub per_page: usize,
    /// Matching rows.
    pub total: usize,
}

impl LaravelMeta {
    /// Meta for `total` rows.
    pub fn new(current_page: usize, per_page: usize, total: usize) -> LaravelMeta {
        LaravelMeta { current_page, last_page: page_count(total, per_page).max(1), per_page, total }
    }
}

/// A paginated list: `{"data": [...], "meta": {...}}`.
#[derive(Clone, Debug, Serialize)]
pub struct LaravelPage<T> {
    /// The rows.
    pub data: Vec<T>,
    /// Paging numbers.
    pub meta: LaravelMeta,
}

/// The agent a principal acts as.
pub fn agent_id(principal: &Principal) -> Result<u64, DhError> {
    match principal.grant {
        Grant::DeskHive { agent_id } => Ok(agent_id),
        // The pipeline only admits Desk Hive keys here; defence in depth.
        _ => Err(DhError::new(StatusCode::UNAUTHORIZED, "Unauthenticated.")),
    }
}
