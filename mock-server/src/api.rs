//! The three mocked APIs, their route tables, and [`app`], which assembles the whole router.
//!
//! The three APIs share paths such as `/api/v1/external/leads`, so each lives under its own
//! prefix (`/nextcap`, `/nexadesk`, `/deskhive`). Each API module exposes a route table: a list
//! of [`Route`]s naming method, path, operationId, whether a key is needed, and the handler.
//! [`api_router`] turns a table into a sub-router wrapped in the request pipeline, and keeps the
//! metadata in a [`RouteTable`] so the pipeline can name the operationId of the matched route
//! (via axum's `MatchedPath`) for the journal and for faults. Later endpoints are one more
//! table line plus a handler; nothing else changes.

use std::sync::Arc;

use axum::{
    Router,
    handler::Handler,
    http::Method,
    middleware,
    routing::{MethodFilter, MethodRouter, on},
};
use serde::{Deserialize, Serialize};

use crate::{control, deskhive, nexadesk, nextcap, pipeline, state::AppState};

/// One of the mocked APIs.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Api {
    /// Next Cap: External Data API and CRM Integration API (one host, two key families).
    NextCap,
    /// NexaDesk REST API.
    NexaDesk,
    /// Desk Hive external (agent) API.
    DeskHive,
}

impl Api {
    /// Every API, in a fixed order.
    pub const ALL: [Api; 3] = [Api::NextCap, Api::NexaDesk, Api::DeskHive];

    /// The name used in the journal, in faults and in the control API.
    pub fn name(self) -> &'static str {
        match self {
            Api::NextCap => "nextcap",
            Api::NexaDesk => "nexadesk",
            Api::DeskHive => "deskhive",
        }
    }

    /// The path prefix the API is mounted under.
    pub fn prefix(self) -> &'static str {
        match self {
            Api::NextCap => "/nextcap",
            Api::NexaDesk => "/nexadesk",
            Api::DeskHive => "/deskhive",
        }
    }

    /// The API's base URL path, as the SDK configures it (the part after `http://HOST:PORT`).
    pub fn base_path(self) -> &'static str {
        match self {
            Api::NextCap => "/nextcap/api/v1",
            Api::NexaDesk => "/nexadesk/api/v1/external",
            Api::DeskHive => "/deskhive/api/v1",
        }
    }
}

/// Whether a route needs an API key.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Access {
    /// The pipeline authenticates the key and hands the handler a principal.
    Key,
    /// No key needed (Desk Hive's health check).
    Public,
}

/// One line of an API's route table.
pub struct Route {
    /// HTTP method.
    pub method: Method,
    /// Path inside the API prefix, in axum syntax (`/api/v1/external/leads/{id}`).
    pub path: &'static str,
    /// The operationId (the same as in the OpenAPI contract), recorded in the journal.
    pub operation_id: &'static str,
    /// Whether a key is needed.
    pub access: Access,
    /// The handler, already bound to its method.
    pub handler: MethodRouter<AppState>,
}

impl Route {
    /// A `GET` route that needs a key.
    pub fn get<H, T>(path: &'static str, operation_id: &'static str, handler: H) -> Route
    where
        H: Handler<T, AppState>,
        T: 'static,
    {
        Route::new(Method::GET, path, operation_id, handler)
    }

    /// A route for any method that needs a key.
    pub fn new<H, T>(method: Method, path: &'static str, operation_id: &'static str, handler: H) -> Route
    where
        H: Handler<T, AppState>,
        T: 'static,
    {
        // Every method the table uses is a standard one, so the conversion cannot fail; the
        // fallback to GET only keeps this function total.
        let filter = MethodFilter::try_from(method.clone()).unwrap_or(MethodFilter::GET);
        Route { method, path, operation_id, access: Access::Key, handler: on(filter, handler) }
    }

    /// Marks the route as needing no key.
    pub fn public(mut self) -> Route {
        self.access = Access::Public;
        self
    }
}

/// What the pipeline needs to know about one route, without the handler.
#[derive(Clone, Debug)]
pub struct RouteMeta {
    /// HTTP method.
    pub method: Method,
    /// Full matched path including the API prefix, as `MatchedPath` reports it.
    pub full_path: String,
    /// The operationId.
    pub operation_id: &'static str,
    /// Whether a key is needed.
    pub access: Access,
}

/// The metadata of every route of one API.
#[derive(Clone, Debug)]
pub struct RouteTable {
    api: Api,
    routes: Arc<Vec<RouteMeta>>,
}

impl RouteTable {
    /// The API this table belongs to.
    pub fn api(&self) -> Api {
        self.api
    }

    /// The route for a method and the `MatchedPath` string; `HEAD` finds the `GET` route
    /// because axum answers `HEAD` with the `GET` handler.
    pub fn find(&self, method: &Method, matched_path: &str) -> Option<&RouteMeta> {
        let method = if method == Method::HEAD { &Method::GET } else { method };
        self.routes.iter().find(|r| r.method == *method && r.full_path == matched_path)
    }

    /// Every operationId in the table, for the control API's health output and for tests.
    pub fn operation_ids(&self) -> Vec<&'static str> {
        self.routes.iter().map(|r| r.operation_id).collect()
    }
}

/// Builds one API's sub-router from its route table: the routes, the API's 404 and 405
/// fallbacks, and the pipeline wrapped around all of them (fallbacks included, so unknown
/// routes are journaled and rendered in the API's envelope too).
pub fn api_router<F, G, T1, T2>(
    state: &AppState,
    api: Api,
    routes: Vec<Route>,
    not_found: F,
    method_not_allowed: G,
) -> Router<AppState>
where
    F: Handler<T1, AppState>,
    G: Handler<T2, AppState>,
    T1: 'static,
    T2: 'static,
{
    let meta = routes
        .iter()
        .map(|r| RouteMeta {
            method: r.method.clone(),
            full_path: format!("{}{}", api.prefix(), r.path),
            operation_id: r.operation_id,
            access: r.access,
        })
        .collect();
    let table = RouteTable { api, routes: Arc::new(meta) };
    let router = routes.into_iter().fold(Router::new(), |router, r| router.route(r.path, r.handler));
    let ctx = pipeline::Pipeline { state: state.clone(), table };
    router
        .fallback(not_found)
        .method_not_allowed_fallback(method_not_allowed)
        .layer(middleware::from_fn_with_state(ctx, pipeline::run))
}

/// One served operation, as `GET /__mock/operations` lists it (the contract-conformance run
/// tests exactly these).
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
pub struct OperationInfo {
    /// The contract the operation belongs to: `nextcap-data`, `nextcap-crm`, `nexadesk` or
    /// `deskhive` (the key listing's `api` names).
    pub api: String,
    /// operationId.
    pub operation_id: String,
    /// HTTP method.
    pub method: String,
    /// Path relative to the API's base URL, as in the OpenAPI file (`/external/leads/{id}`).
    pub path: String,
    /// Full path on the mock.
    pub full_path: String,
}

/// Every operation the mock serves, in route-table order.
pub fn operations() -> Vec<OperationInfo> {
    let tables =
        [(Api::NextCap, nextcap::routes()), (Api::NexaDesk, nexadesk::routes()), (Api::DeskHive, deskhive::routes())];
    tables
        .into_iter()
        .flat_map(|(api, routes)| {
            routes.into_iter().map(move |r| {
                let full_path = format!("{}{}", api.prefix(), r.path);
                let contract = match api {
                    Api::NextCap if crate::auth::is_nextcap_crm_path(&full_path) => "nextcap-crm",
                    Api::NextCap => "nextcap-data",
                    other => other.name(),
                };
                OperationInfo {
                    api: contract.to_owned(),
                    operation_id: r.operation_id.to_owned(),
                    method: r.method.to_string(),
                    path: full_path.strip_prefix(api.base_path()).unwrap_or(&full_path).to_owned(),
                    full_path,
                }
            })
        })
        .collect()
}

/// The whole application: the three APIs under their prefixes plus the control API under
/// `/__mock`. Tests drive it with `tower::ServiceExt::oneshot`, no socket needed.
pub fn app(state: AppState) -> Router {
    Router::new()
        .nest(Api::NextCap.prefix(), nextcap::router(&state))
        .nest(Api::NexaDesk.prefix(), nexadesk::router(&state))
        .nest(Api::DeskHive.prefix(), deskhive::router(&state))
        .nest("/__mock", control::router())
        .fallback(control::outside_fallback)
        .with_state(state)
}
