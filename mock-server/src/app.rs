//! [`app`]: the whole application, assembled from each API's spec, the control API and the
//! actions. The one module that names every API; nothing below it names this one.
//!
//! Every API route sits at its full path in one router, so a request is matched once and its
//! URI is never rewritten (nesting a router per API matched twice and rebuilt the URI of every
//! request: a tenth of the mock's time per request under load). A path under an API's prefix
//! that no route matches goes to that API's 404, chosen by the longest mount point that
//! contains it: Next Cap's CRM has its own, longer mount point inside the Data API's
//! `/nextcap`, so CRM paths land in the CRM table (and need seat keys) without any path test.

use std::sync::Arc;

use axum::{Router, extract::Request, response::Response};
use tower::ServiceExt;

use crate::{
    api::Api,
    control, deskhive, nexadesk, nextcap,
    pipeline::{self, BoxedHandler},
    routes::{ApiSpec, OperationInfo},
    state::AppState,
};

/// Every API spec, in a fixed order (Next Cap Data, Next Cap CRM, NexaDesk, Desk Hive).
fn specs() -> Vec<ApiSpec> {
    vec![nextcap::data::spec(), nextcap::crm::spec(), nexadesk::spec(), deskhive::spec()]
}

/// Every operation the mock serves, in route-table order (what `GET /__mock/operations` lists
/// and the contract-conformance run tests).
pub fn operations() -> Vec<OperationInfo> {
    specs().iter().flat_map(ApiSpec::operations).collect()
}

/// The whole application: the APIs under their prefixes plus the control API under `/__mock`.
/// Tests drive it with `tower::ServiceExt::oneshot`, no socket needed.
pub fn app(state: AppState) -> Router {
    let specs = specs();
    let operations = specs.iter().flat_map(ApiSpec::operations).collect();
    let actions = vec![
        (Api::NextCap, nextcap::actions::router()),
        (Api::NexaDesk, nexadesk::control::actions_router()),
        (Api::DeskHive, deskhive::actions::router()),
    ];
    let mut mounted: Vec<_> = specs.into_iter().map(|spec| pipeline::mount(spec, &state)).collect();
    let router = mounted.iter_mut().fold(Router::new(), |router, m| router.merge(std::mem::take(&mut m.routes)));
    // Longest mount point first, so the CRM's 404 wins over the Data API's for CRM paths.
    mounted.sort_by_key(|m| std::cmp::Reverse(m.mount.len()));
    let not_found: Arc<[(&'static str, BoxedHandler)]> = mounted.into_iter().map(|m| (m.mount, m.not_found)).collect();
    // The presigned attachment URLs: outside every pipeline, since their signature is the key.
    let router = router.merge(nextcap::crm::files::router());
    // Live chat shares the host and port at `/socket.io/`.
    let chat = nextcap::chat::service(&state);
    router
        .route_service("/socket.io", chat.clone())
        .route_service("/socket.io/", chat)
        .nest(
            "/__mock",
            control::router(operations, actions, nextcap::chat::control::router())
                .merge(nexadesk::control::webhooks_router()),
        )
        .fallback(move |req: Request| fallback(Arc::clone(&not_found), req))
        .with_state(state)
}

/// A path no route matches: the 404 of the API whose mount point contains it (a path under
/// the presigned files' prefix that is not a file's is Next Cap's), else the plain 404 of a
/// path outside every API.
async fn fallback(not_found: Arc<[(&'static str, BoxedHandler)]>, req: Request) -> Response {
    let path = req.uri().path();
    let under = |mount: &str| path.strip_prefix(mount).is_some_and(|rest| rest.is_empty() || rest.starts_with('/'));
    match not_found.iter().find(|(mount, _)| under(mount)) {
        Some((_, handler)) => {
            let Ok(response) = handler.clone().oneshot(req).await;
            response
        }
        None => control::outside_fallback(path),
    }
}
