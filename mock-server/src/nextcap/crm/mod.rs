//! The Next Cap CRM Integration API (nextcap-crm-integration.txt): per-seat `nextcap_ck_` keys,
//! mounted at `/nextcap/api/v1/external/crm`.
//!
//! The route table is empty today: every CRM path answers Next Cap's 404 (after the pipeline has
//! authenticated the seat key, so a Data API key here is refused with 401 first). Routes added
//! here name the permissions they need with [`Route::any_of`] (the contract's
//! `x-permissions`, `anyOf`); the pipeline answers 403 `FORBIDDEN` to a seat that has none.

use crate::{
    api::Api,
    keys::{KeyFamily, Plan},
    routes::{ApiSpec, Route},
};

/// Where the CRM routes are nested; their paths in the table are relative to it.
pub const MOUNT: &str = "/nextcap/api/v1/external/crm";

/// The CRM spec: seat keys, the route table, Next Cap's errors.
pub fn spec() -> ApiSpec {
    ApiSpec {
        api: Api::NextCap,
        family: KeyFamily::NextCapCrm,
        mount: MOUNT,
        routes: routes(),
        render: super::error::render,
        min_plan: Some(Plan::Enterprise),
    }
}

/// The route table (paths inside [`MOUNT`]).
fn routes() -> Vec<Route> {
    Vec::new()
}
