//! Desk Hive external (agent) API, mounted under `/deskhive` (base URL `/deskhive/api/v1`).
//!
//! [`routes`] is the route table; `health-check` is the one public route. Lists use
//! Laravel's paginator shape [`LaravelPage`]; every error is an [`error::DhError`]. Handlers
//! live by subject: `tickets.rs`, `messages.rs`, `account.rs` (dashboard, profile,
//! notifications, canned responses, knowledge base); `input.rs` reads bodies and paging the
//! Laravel way; `actions/` is the control API's side (customers and administrators).

mod account;
pub mod actions;
pub mod error;
mod input;
mod messages;
pub mod tickets;

use axum::{
    extract::{Path, rejection::PathRejection},
    http::{Method, StatusCode},
};
use serde::Serialize;
use serde_json::{Value, json};

use crate::{
    api::Api,
    encode::JsonBody,
    keys::{Grant, KeyFamily},
    query::page_count,
    routes::{ApiSpec, Route},
    store::{
        Store,
        deskhive::{AgentView, AgentViewMut, TicketAccess},
    },
    tenant::{Tenant, TenantKind},
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
        min_plan: None,
    }
}

/// The route table: method, path (inside `/deskhive`), operationId, handler.
fn routes() -> Vec<Route> {
    vec![
        Route::get("/api/v1/health-check", "healthCheck", health_check).public(),
        Route::get("/api/v1/external/connection-check", "getConnectionCheck", connection_check),
        Route::get("/api/v1/external/tickets", "listTickets", tickets::list),
        Route::get("/api/v1/external/dashboard", "getDashboard", account::dashboard),
        Route::get("/api/v1/external/tickets/{id}", "getTicket", tickets::get),
        Route::new(Method::PUT, "/api/v1/external/tickets/{id}", "updateTicket", tickets::update),
        Route::new(Method::POST, "/api/v1/external/tickets/{id}/close", "closeTicket", tickets::close),
        Route::get("/api/v1/external/tickets/{id}/messages", "listTicketMessages", messages::list),
        Route::new(Method::POST, "/api/v1/external/tickets/{id}/messages", "replyToTicket", messages::reply),
        Route::new(
            Method::POST,
            "/api/v1/external/tickets/{id}/messages/{message_id}/like",
            "toggleMessageLike",
            messages::like,
        ),
        Route::get("/api/v1/external/canned-responses", "listCannedResponses", account::canned_responses),
        Route::get("/api/v1/external/knowledge-base/search", "searchKnowledgeBase", account::search_articles),
        Route::get("/api/v1/external/profile", "getProfile", account::profile),
        Route::new(Method::PUT, "/api/v1/external/profile", "updateProfile", account::update_profile),
        Route::get("/api/v1/external/notifications", "listNotifications", account::notifications),
        Route::get("/api/v1/external/notifications/unread-count", "getUnreadNotificationCount", account::unread_count),
        Route::new(
            Method::POST,
            "/api/v1/external/notifications/{id}/read",
            "markNotificationRead",
            account::mark_read,
        ),
    ]
}

/// A single resource: `{"data": {...}}`.
#[derive(Clone, Debug, Serialize)]
pub struct Single<T> {
    /// The resource.
    pub data: T,
}

/// `{"status": true, "data": {...}}`: the envelope of the dashboard, profile and counters.
#[derive(Clone, Debug, Serialize)]
pub struct StatusData<T> {
    /// Always true.
    pub status: bool,
    /// The payload.
    pub data: T,
}

impl<T> StatusData<T> {
    /// Wraps `data`.
    pub fn new(data: T) -> StatusData<T> {
        StatusData { status: true, data }
    }
}

/// An integer path id; anything else finds nothing (Laravel's route-model binding), 404.
pub fn path_id(raw: &str) -> Result<u64, DhError> {
    raw.parse::<u64>().ok().filter(|id| *id > 0).ok_or_else(|| DhError::not_found("Not found."))
}

/// The one-segment `{id}` of a route.
pub fn one_id(path: Result<Path<String>, PathRejection>) -> Result<u64, DhError> {
    let Path(raw) = path?;
    path_id(&raw)
}

impl From<TicketAccess> for DhError {
    fn from(access: TicketAccess) -> DhError {
        match access {
            TicketAccess::NotFound => DhError::not_found("Ticket not found."),
            TicketAccess::Forbidden => DhError::new(StatusCode::FORBIDDEN, "This action is unauthorized."),
            TicketAccess::Locked => DhError::new(StatusCode::FORBIDDEN, "This ticket is locked."),
        }
    }
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

/// The tenant of a Desk Hive external key: the agent it belongs to.
#[derive(Debug)]
pub enum AgentKey {}

impl TenantKind for AgentKey {
    type Id = u64;
    type View<'a> = AgentView<'a>;
    type ViewMut<'a> = AgentViewMut<'a>;
    type Error = DhError;

    fn id(grant: &Grant) -> Option<u64> {
        match grant {
            Grant::DeskHive { agent_id } => Some(*agent_id),
            _ => None,
        }
    }

    fn refused() -> DhError {
        DhError::new(StatusCode::UNAUTHORIZED, "Unauthenticated.")
    }

    fn view<'a>(store: &'a Store, id: &'a u64) -> AgentView<'a> {
        store.deskhive().agent_view(*id)
    }

    fn view_mut<'a>(store: &'a mut Store, id: &'a u64) -> AgentViewMut<'a> {
        store.deskhive_mut().agent_view_mut(*id)
    }
}

/// The agent a Desk Hive key acts for, and the door to the tickets it may see.
pub type Agent = Tenant<AgentKey>;
