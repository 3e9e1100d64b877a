//! Route tables: what each API serves, as data the pipeline, the journal, the faults and the
//! control API can read.
//!
//! Each API folder exports an [`ApiSpec`]: where it is mounted, which key family it accepts,
//! its [`Route`]s (method, path, operationId, access, permissions, handler) and the function that
//! renders its errors. [`crate::pipeline::mount`] turns a spec into routes wrapped in the
//! request pipeline, with the API's own 404 and 405 (rendered from a [`Refusal`] by the same
//! function), so unknown routes are journaled and answered in the API's envelope too.
//!
//! Next Cap serves two specs under one host: the Data API (`sk_live_` keys) mounted at
//! `/nextcap`, and the CRM Integration API (`nextcap_ck_` seat keys) mounted at
//! `/nextcap/api/v1/external/crm`; the longer mount wins for CRM paths, so which key family a
//! request needs follows from the table it lands in, not from a path test.

use std::sync::Arc;

use axum::{
    handler::Handler,
    http::Method,
    routing::{MethodFilter, MethodRouter, on},
};
use serde::{Deserialize, Serialize};

use crate::{
    api::Api,
    keys::{KeyFamily, Plan},
    refusal::{Refusal, Renderer},
    state::AppState,
};

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
    /// Path inside the spec's mount point, in axum syntax (`/api/v1/external/leads/{id}`).
    pub path: &'static str,
    /// The operationId (the same as in the OpenAPI contract), recorded in the journal.
    pub operation_id: &'static str,
    /// Whether a key is needed.
    pub access: Access,
    /// Permissions of which the caller needs at least one (`anyOf`, the contract's
    /// `x-permissions`); empty when the key alone suffices.
    pub permissions: &'static [&'static str],
    /// The plan the caller's organisation needs for this route, when stricter than the spec's.
    pub min_plan: Option<Plan>,
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
        // Every method the tables use is a standard one, so the conversion cannot fail; the
        // fallback to GET only keeps this function total.
        let filter = MethodFilter::try_from(method.clone()).unwrap_or(MethodFilter::GET);
        Route {
            method,
            path,
            operation_id,
            access: Access::Key,
            permissions: &[],
            min_plan: None,
            handler: on(filter, handler),
        }
    }

    /// Marks the route as needing no key.
    pub fn public(mut self) -> Route {
        self.access = Access::Public;
        self
    }

    /// Needs the organisation to be on `plan` or above (Next Cap's webhook routes: Enterprise).
    pub fn plan(mut self, plan: Plan) -> Route {
        self.min_plan = Some(plan);
        self
    }

    /// The permissions of which the caller's seat needs at least one.
    pub fn any_of(mut self, permissions: &'static [&'static str]) -> Route {
        self.permissions = permissions;
        self
    }
}

/// What the pipeline needs to know about one route, without the handler.
#[derive(Clone, Debug)]
pub struct RouteMeta {
    /// HTTP method.
    pub method: Method,
    /// Full matched path including the mount point, as `MatchedPath` reports it.
    pub full_path: String,
    /// The operationId.
    pub operation_id: &'static str,
    /// Whether a key is needed.
    pub access: Access,
    /// `anyOf` permissions; empty when none are needed.
    pub permissions: &'static [&'static str],
    /// The plan the organisation needs (the spec's, or the route's when stricter).
    pub min_plan: Option<Plan>,
}

/// Everything one API (or one half of Next Cap) is: mount point, key family, routes, errors.
pub struct ApiSpec {
    /// The product.
    pub api: Api,
    /// Which keys the routes accept.
    pub family: KeyFamily,
    /// Where the routes live (`/nextcap`, `/nextcap/api/v1/external/crm`, ...).
    pub mount: &'static str,
    /// The route table.
    pub routes: Vec<Route>,
    /// Renders refusals (and the 404/405 fallbacks) in the API's envelope.
    pub render: Renderer,
    /// The plan every route of the spec needs (Next Cap: Pro for the Data API, Enterprise for
    /// the CRM); `None` for APIs without plans.
    pub min_plan: Option<Plan>,
}

/// The metadata of every route of one spec, shared by the pipeline of that spec.
#[derive(Clone, Debug)]
pub struct RouteTable {
    api: Api,
    family: KeyFamily,
    render: Renderer,
    min_plan: Option<Plan>,
    routes: Arc<Vec<RouteMeta>>,
}

impl RouteTable {
    /// The API this table belongs to.
    pub fn api(&self) -> Api {
        self.api
    }

    /// The key family the table's routes accept.
    pub fn family(&self) -> KeyFamily {
        self.family
    }

    /// Renders a refusal in the API's envelope.
    pub fn render(&self, refusal: Refusal) -> axum::response::Response {
        (self.render)(refusal)
    }

    /// The plan every route of the table needs (also unmatched paths under its mount).
    pub fn min_plan(&self) -> Option<Plan> {
        self.min_plan
    }

    /// The renderer itself, for handlers built outside the table (the fallbacks).
    pub fn render_fn(&self) -> Renderer {
        self.render
    }

    /// The route for a method and the `MatchedPath` string; `HEAD` finds the `GET` route
    /// because axum answers `HEAD` with the `GET` handler.
    pub fn find(&self, method: &Method, matched_path: &str) -> Option<&RouteMeta> {
        let method = if method == Method::HEAD { &Method::GET } else { method };
        self.routes.iter().find(|r| r.method == *method && r.full_path == matched_path)
    }
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

impl ApiSpec {
    /// Every operation of the spec, in table order.
    pub fn operations(&self) -> Vec<OperationInfo> {
        self.routes
            .iter()
            .map(|r| {
                let full_path = format!("{}{}", self.mount, r.path);
                OperationInfo {
                    api: self.family.contract().to_owned(),
                    operation_id: r.operation_id.to_owned(),
                    method: r.method.to_string(),
                    path: full_path.strip_prefix(self.api.base_path()).unwrap_or(&full_path).to_owned(),
                    full_path,
                }
            })
            .collect()
    }

    /// Splits the spec into the table the pipeline reads and the handlers to route, each at
    /// its full path (mount point included).
    pub fn into_parts(self) -> (RouteTable, Vec<(String, MethodRouter<AppState>)>) {
        let meta = self
            .routes
            .iter()
            .map(|r| RouteMeta {
                method: r.method.clone(),
                full_path: format!("{}{}", self.mount, r.path),
                operation_id: r.operation_id,
                access: r.access,
                permissions: r.permissions,
                min_plan: r.min_plan.max(self.min_plan),
            })
            .collect();
        let table = RouteTable {
            api: self.api,
            family: self.family,
            render: self.render,
            min_plan: self.min_plan,
            routes: Arc::new(meta),
        };
        let mount = self.mount;
        (table, self.routes.into_iter().map(|r| (format!("{mount}{}", r.path), r.handler)).collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    async fn ok() {}

    #[test]
    fn the_table_keeps_permissions_and_full_paths() {
        let spec = ApiSpec {
            api: Api::NextCap,
            family: KeyFamily::NextCapCrm,
            mount: "/nextcap/api/v1/external/crm",
            routes: vec![Route::get("/tickets", "listCrmTickets", ok).any_of(&["tickets:view"])],
            render: |_| axum::response::Response::default(),
            min_plan: Some(Plan::Enterprise),
        };
        let ops = spec.operations();
        assert_eq!((ops[0].api.as_str(), ops[0].path.as_str()), ("nextcap-crm", "/external/crm/tickets"));
        let (table, handlers) = spec.into_parts();
        assert_eq!(handlers.len(), 1);
        let route = table.find(&Method::HEAD, "/nextcap/api/v1/external/crm/tickets").map(|r| r.permissions);
        assert_eq!(route, Some(&["tickets:view"][..]), "HEAD finds the GET route with its permissions");
        assert!(table.find(&Method::POST, "/nextcap/api/v1/external/crm/tickets").is_none());
    }
}
