//! The per-request pipeline every API request passes through, in this order:
//! origin check (Next Cap) -> auth -> rate limit -> faults -> handler, with the journal
//! recording the final outcome of every request.
//!
//! It is one middleware function rather than five tower layers because the steps share what
//! they learn (the matched route, the principal, the rate-limit numbers that must be stamped on
//! whatever response finally leaves, including 429s, injected faults and handler errors), and
//! one function with one helper per step reads top to bottom. Refusals are expressed as a
//! [`Refusal`] and rendered by the function the API's spec hands over, so the pipeline names
//! no API's error type and every envelope stays in its API's folder.

use std::{collections::BTreeMap, time::Duration};

use axum::{
    Router,
    body::Body,
    extract::{MatchedPath, OriginalUri, Request, State},
    http::{HeaderName, HeaderValue, Method, StatusCode},
    middleware::{self, Next},
    response::{IntoResponse, Response},
};
use bytes::Bytes;

use crate::{
    api::Api,
    auth::{self, Principal},
    fault,
    journal::JournalEntry,
    ratelimit::{self, Decision, RateInfo},
    refusal::Refusal,
    routes::{Access, ApiSpec, RouteMeta, RouteTable},
    state::AppState,
    time_fmt,
};

/// The pipeline's state: the shared state and the API's route table.
#[derive(Clone, Debug)]
pub struct Pipeline {
    /// Shared state.
    pub state: AppState,
    /// Route metadata of the API this pipeline guards.
    pub table: RouteTable,
}

/// One spec's sub-router: its routes, its 404 and 405 (rendered by the spec's renderer, so
/// unknown routes are journaled and answered in the API's envelope too), and the pipeline
/// around all of them. Nest it at [`ApiSpec::mount`].
pub fn router(spec: ApiSpec, state: &AppState) -> Router<AppState> {
    let (table, handlers) = spec.into_parts();
    let router = handlers.into_iter().fold(Router::new(), |router, (path, handler)| router.route(path, handler));
    let render = table.render_fn();
    let not_found = move |method: Method, OriginalUri(uri): OriginalUri| async move {
        render(Refusal::RouteNotFound { method: method.to_string(), path: uri.path().to_owned() })
    };
    let method_not_allowed = move |method: Method, OriginalUri(uri): OriginalUri| async move {
        render(Refusal::MethodNotAllowed { method: method.to_string(), path: uri.path().to_owned() })
    };
    let ctx = Pipeline { state: state.clone(), table };
    router
        .fallback(not_found)
        .method_not_allowed_fallback(method_not_allowed)
        .layer(middleware::from_fn_with_state(ctx, run))
}

/// What the request turned into.
enum Outcome {
    Respond(Response),
    Drop,
}

/// The middleware: runs the steps, stamps rate-limit headers, records the journal entry.
pub async fn run(State(ctx): State<Pipeline>, req: Request, next: Next) -> Response {
    let api = ctx.table.api();
    let uri = req.extensions().get::<OriginalUri>().map_or_else(|| req.uri().clone(), |u| u.0.clone());
    let path = uri.path().to_owned();
    let method = req.method().clone();
    let route = req.extensions().get::<MatchedPath>().and_then(|m| ctx.table.find(&method, m.as_str()));
    let key = auth::presented_key(api, req.headers());
    let at = time_fmt::millis_string(&ctx.state.clock().now());

    let outcome = steps(&ctx, req, next, &path, route, key.as_deref()).await;

    let status = match &outcome {
        Outcome::Respond(r) => r.status().as_u16(),
        Outcome::Drop => 0,
    };
    ctx.state.lock().journal.push(JournalEntry {
        method: method.to_string(),
        path: uri.path_and_query().map_or_else(|| path.clone(), |p| p.as_str().to_owned()),
        api: api.name().to_owned(),
        operation_id: route.map(|r| r.operation_id.to_owned()),
        status,
        key,
        at,
    });
    match outcome {
        Outcome::Respond(response) => response,
        Outcome::Drop => dropped_connection(),
    }
}

async fn steps(
    ctx: &Pipeline,
    mut req: Request,
    next: Next,
    path: &str,
    route: Option<&RouteMeta>,
    key: Option<&str>,
) -> Outcome {
    let api = ctx.table.api();
    if api == Api::NextCap && req.headers().contains_key("origin") {
        let msg = "Browser requests are not allowed: this API is server-to-server only";
        return Outcome::Respond(ctx.table.render(Refusal::Forbidden(msg.into())));
    }
    let public = route.is_some_and(|r| r.access == Access::Public);
    let mut rate: Option<RateInfo> = None;
    if !public {
        let needs = auth::Requirements {
            permissions: route.map_or(&[][..], |r| r.permissions),
            min_plan: route.map_or(ctx.table.min_plan(), |r| r.min_plan),
        };
        let principal = {
            let inner = ctx.state.lock();
            auth::authenticate(ctx.table.family(), req.method(), key, needs, &inner.store)
        };
        let principal = match principal {
            Ok(p) => p,
            Err(refusal) => return Outcome::Respond(ctx.table.render(refusal)),
        };
        match rate_limit(ctx, &principal) {
            Decision::Limited { info, retry_after } => {
                let response = ctx.table.render(Refusal::RateLimited { retry_after });
                return Outcome::Respond(with_rate_headers(response, Some(info)));
            }
            Decision::Allowed(info) => rate = Some(info),
        }
        req.extensions_mut().insert(principal);
    }
    let target = fault::FaultTarget {
        api: api.name(),
        operation_id: route.map(|r| r.operation_id),
        path,
        method: req.method().as_str(),
    };
    let fault = ctx.state.lock().faults.take(&target);
    if let Some(fault) = fault {
        if fault.delay_ms > 0 {
            tokio::time::sleep(Duration::from_millis(fault.delay_ms)).await;
        }
        if fault.drop_connection {
            return Outcome::Drop;
        }
        if let Some(code) = fault.status {
            let response = fault_response(&ctx.table, code, fault.body, &fault.headers);
            return Outcome::Respond(with_rate_headers(response, rate));
        }
    }
    let response = next.run(req).await;
    Outcome::Respond(with_rate_headers(response, rate))
}

fn rate_limit(ctx: &Pipeline, principal: &Principal) -> Decision {
    let api = ctx.table.api();
    let now = time_fmt::now_millis();
    match ctx.state.config().rate_limit.policy(api) {
        Some(policy) => ctx.state.lock().limiter.check(api, &principal.key, policy, now),
        None => Decision::Allowed(ratelimit::unlimited(now)),
    }
}

/// Adds `X-RateLimit-*` (a 429's `Retry-After`, where the API sends one, comes from its
/// error renderer).
fn with_rate_headers(mut response: Response, info: Option<RateInfo>) -> Response {
    let Some(info) = info else {
        return response;
    };
    let headers = response.headers_mut();
    headers.insert("x-ratelimit-limit", HeaderValue::from(info.limit));
    headers.insert("x-ratelimit-remaining", HeaderValue::from(info.remaining));
    headers.insert("x-ratelimit-reset", HeaderValue::from(info.reset));
    response
}

/// The response of a status fault: the given body or the API's envelope, plus headers.
fn fault_response(
    table: &RouteTable,
    code: u16,
    body: Option<serde_json::Value>,
    headers: &BTreeMap<String, String>,
) -> Response {
    let status = StatusCode::from_u16(code).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let mut response = match body {
        Some(body) => (status, axum::Json(body)).into_response(),
        None if status == StatusCode::TOO_MANY_REQUESTS => {
            let retry_after = headers
                .iter()
                .find(|(k, _)| k.eq_ignore_ascii_case("retry-after"))
                .and_then(|(_, v)| v.trim().parse().ok())
                .unwrap_or(1);
            table.render(Refusal::RateLimited { retry_after })
        }
        None => table.render(Refusal::Status(status)),
    };
    for (name, value) in headers {
        if let (Ok(name), Ok(value)) = (HeaderName::from_bytes(name.as_bytes()), HeaderValue::from_str(value)) {
            response.headers_mut().insert(name, value);
        }
    }
    response
}

/// A response whose body fails on first poll: hyper then aborts the connection before the
/// head is flushed, so the client sees a transport error rather than a status.
fn dropped_connection() -> Response {
    let stream = futures::stream::once(async {
        Err::<Bytes, std::io::Error>(std::io::Error::new(
            std::io::ErrorKind::ConnectionAborted,
            "connection dropped by an injected fault",
        ))
    });
    Response::new(Body::from_stream(stream))
}
