//! [`app`]: the whole application, assembled from each API's spec, the control API and the
//! actions. The one module that names every API; nothing below it names this one.
//!
//! Next Cap's CRM is nested at its own longer mount point next to the Data API's `/nextcap`,
//! so CRM paths land in the CRM table (and need seat keys) without any path test.

use axum::Router;

use crate::{
    api::Api, control, deskhive, nexadesk, nextcap, pipeline, routes::ApiSpec, routes::OperationInfo, state::AppState,
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
    let router = specs.into_iter().fold(Router::new(), |router, spec| {
        let mount = spec.mount;
        router.nest(mount, pipeline::router(spec, &state))
    });
    // The presigned attachment URLs: outside every pipeline, since their signature is the key.
    let router = router.nest(nextcap::crm::files::MOUNT, nextcap::crm::files::router());
    // Live chat shares the host and port: socketioxide's layer answers `/socket.io/` and passes
    // every other request through.
    let chat = nextcap::chat::layer(&state);
    router
        .nest(
            "/__mock",
            control::router(operations, actions, nextcap::chat::control::router())
                .merge(nexadesk::control::webhooks_router()),
        )
        .fallback(control::outside_fallback)
        .with_state(state)
        .layer(chat)
}
