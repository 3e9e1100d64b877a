//! The control API under `/__mock`: what tests and the standalone binary's users need to steer
//! the mock from outside the process. Every operation is also a [`crate::MockServer`] method;
//! both call the same [`AppState`] functions.
//!
//! | method | path | does |
//! |---|---|---|
//! | GET | `/__mock/health` | `{"status": "ok", ...}` with the configuration |
//! | GET | `/__mock/keys` | every key with API, organisation, role, permissions |
//! | GET | `/__mock/operations` | every served operation: `{api, operation_id, method, path}` |
//! | POST | `/__mock/reset` | back to the fixtures; clears journal, faults, counters |
//! | GET / DELETE | `/__mock/requests` | read / clear the journal |
//! | GET / POST / DELETE | `/__mock/faults` | list / add (body: a `Fault`) / clear faults |
//! | GET / DELETE | `/__mock/webhooks/deliveries` | read / clear the webhook delivery log |
//! | GET / POST | `/__mock/nexadesk/webhooks` | list / register NexaDesk webhooks (the vendor's dashboard); DELETE `/__mock/nexadesk/webhooks/{id}` removes one |
//! | GET / POST | `/__mock/chat/sockets`, `/__mock/chat/disconnect` | live chat's sockets; the API assembly hands its router in |
//! | GET | `/__mock/clock` | `{"now": RFC 3339, "offset_seconds"}`: the mock's clock (every timestamp the mock writes, URL and staging expiry) |
//! | POST | `/__mock/clock/advance` | body `{"seconds": N}` (N >= 0): moves the clock forward; reset puts it back |
//! | POST | `/__mock/{api}/actions/{action}` | what the other side does (Next Cap: visitors; Desk Hive: customers, administrators); each API's actions router |
//!
//! Errors are `{"error": "..."}` with 400 for bad input, 404 for unknown routes; the actions
//! add `"field"`, naming the input field at fault.
//! Control requests are not journaled: the journal is about what the SDK sent.

use axum::{
    Json, Router,
    body::Bytes,
    extract::{OriginalUri, State},
    http::{Method, StatusCode},
    response::{IntoResponse, Response},
    routing::{get, post},
};
use serde_json::{Value, json};

use crate::{api::Api, fault::Fault, ratelimit::RateLimitSetting, routes::OperationInfo, state::AppState};

/// The control sub-router (mounted at `/__mock`): the shared operations, `operations` listed
/// at `/operations`, and each API's actions router nested under `/{api}/actions`.
pub fn router(
    operations: Vec<OperationInfo>,
    actions: Vec<(Api, Router<AppState>)>,
    chat: Router<AppState>,
) -> Router<AppState> {
    let operations = std::sync::Arc::new(operations);
    let router = Router::new()
        .route("/health", get(health))
        .route("/keys", get(keys))
        .route("/operations", get(move || list_operations(operations)))
        .route("/reset", post(reset))
        .route("/requests", get(requests).delete(clear_requests))
        .route("/faults", get(faults).post(add_fault).delete(clear_faults))
        .route("/webhooks/deliveries", get(deliveries).delete(clear_deliveries))
        .route("/clock", get(clock))
        .route("/clock/advance", post(advance_clock))
        .nest("/chat", chat);
    actions
        .into_iter()
        .fold(router, |router, (api, actions)| router.nest(&format!("/{}/actions", api.name()), actions))
        .fallback(control_not_found)
        .method_not_allowed_fallback(control_method_not_allowed)
}

fn error(status: StatusCode, message: impl Into<String>) -> Response {
    (status, Json(json!({ "error": message.into() }))).into_response()
}

async fn health(State(state): State<AppState>) -> Json<Value> {
    let config = state.config();
    let rate_limit = match &config.rate_limit {
        RateLimitSetting::Documented => "documented".to_owned(),
        RateLimitSetting::Off => "off".to_owned(),
        RateLimitSetting::Custom { requests, window } => {
            format!("{requests}/{}ms", window.as_millis())
        }
    };
    let inner = state.lock();
    Json(json!({
        "status": "ok",
        "seed": config.seed,
        "leads_per_org": config.leads,
        "rate_limit": rate_limit,
        "apis": Api::ALL.iter().map(|a| json!({ "name": a.name(), "base_path": a.base_path() })).collect::<Vec<_>>(),
        "journal_entries": inner.journal.len(),
        "faults": inner.faults.list().len(),
    }))
}

async fn keys(State(state): State<AppState>) -> Response {
    Json(state.all_keys()).into_response()
}

async fn list_operations(operations: std::sync::Arc<Vec<OperationInfo>>) -> Response {
    Json(operations.as_slice()).into_response()
}

async fn reset(State(state): State<AppState>) -> Json<Value> {
    state.reset();
    Json(json!({ "status": "reset" }))
}

async fn requests(State(state): State<AppState>) -> Response {
    Json(state.requests()).into_response()
}

async fn clear_requests(State(state): State<AppState>) -> Json<Value> {
    Json(json!({ "cleared": state.clear_requests() }))
}

async fn faults(State(state): State<AppState>) -> Response {
    Json(state.faults()).into_response()
}

/// Reads a control body as JSON whatever its `Content-Type` (curl's `-d` sends a form type),
/// as the actions do; a body that is not `T` gives the message of a 400 `{"error"}`
/// (`"<what>: <field>: ..."`).
fn control_input<T: serde::de::DeserializeOwned>(bytes: &[u8], what: &str) -> Result<T, String> {
    crate::body::parse::<T>(bytes).map_err(|e| format!("{what}: {}: {}", e.field, e.message))
}

async fn add_fault(State(state): State<AppState>, body: Bytes) -> Response {
    let fault: Fault = match control_input(&body, "invalid fault") {
        Ok(fault) => fault,
        Err(message) => return error(StatusCode::BAD_REQUEST, message),
    };
    if let Err(message) = fault.validate() {
        return error(StatusCode::BAD_REQUEST, format!("invalid fault: {message}"));
    }
    state.add_fault(fault.clone());
    (StatusCode::CREATED, Json(fault)).into_response()
}

async fn clear_faults(State(state): State<AppState>) -> Json<Value> {
    Json(json!({ "cleared": state.clear_faults() }))
}

async fn deliveries(State(state): State<AppState>) -> Response {
    Json(state.webhook_deliveries()).into_response()
}

async fn clear_deliveries(State(state): State<AppState>) -> Json<Value> {
    Json(json!({ "cleared": state.clear_webhook_deliveries() }))
}

fn clock_json(state: &AppState) -> Json<Value> {
    let clock = state.clock();
    Json(json!({
        "now": crate::time_fmt::millis_string(&clock.now()),
        "offset_seconds": clock.offset().as_secs_f64(),
    }))
}

/// `GET /__mock/clock`.
async fn clock(State(state): State<AppState>) -> Json<Value> {
    clock_json(&state)
}

/// `{"seconds": N}`: how far to move the clock.
#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct Advance {
    seconds: f64,
}

/// `POST /__mock/clock/advance`.
async fn advance_clock(State(state): State<AppState>, body: Bytes) -> Response {
    let seconds = match control_input::<Advance>(&body, "invalid body") {
        Ok(Advance { seconds }) if seconds.is_finite() && seconds >= 0.0 => seconds,
        Ok(_) => return error(StatusCode::BAD_REQUEST, "seconds must be a finite number >= 0"),
        Err(message) => return error(StatusCode::BAD_REQUEST, message),
    };
    state.clock().advance(std::time::Duration::from_secs_f64(seconds.min(1e12)));
    clock_json(&state).into_response()
}

async fn control_not_found(OriginalUri(uri): OriginalUri) -> Response {
    error(StatusCode::NOT_FOUND, format!("no control route {}", uri.path()))
}

async fn control_method_not_allowed(method: Method, OriginalUri(uri): OriginalUri) -> Response {
    error(StatusCode::METHOD_NOT_ALLOWED, format!("{method} is not allowed on {}", uri.path()))
}

/// Anything outside the API prefixes and `/__mock`.
pub fn outside_fallback(path: &str) -> Response {
    error(
        StatusCode::NOT_FOUND,
        format!(
            "no route {path}: the APIs live under /nextcap, /nexadesk and /deskhive, the control API under /__mock"
        ),
    )
}
