//! The per-request pipeline every API request passes through, in this order:
//! origin check (Next Cap) -> auth -> rate limit -> faults -> handler, with the journal
//! recording the final outcome of every request.
//!
//! It is one middleware function rather than five tower layers because the steps share what
//! they learn (the matched route, the principal, the rate-limit numbers that must be stamped on
//! whatever response finally leaves, including 429s, injected faults and handler errors), and
//! one function with one helper per step reads top to bottom. Refusals are expressed as a
//! [`Refusal`] and rendered by the API's own error type, so every envelope stays in one place.

use std::{collections::BTreeMap, time::Duration};

use axum::{
    body::Body,
    extract::{MatchedPath, OriginalUri, Request, State},
    http::{HeaderName, HeaderValue, StatusCode},
    middleware::Next,
    response::{IntoResponse, Response},
};
use bytes::Bytes;

use crate::{
    api::{Access, Api, RouteTable},
    auth::{self, Principal},
    deskhive, fault,
    journal::JournalEntry,
    nexadesk, nextcap,
    ratelimit::{self, Decision, RateInfo},
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

/// A refusal the pipeline (or a fault) produces, rendered in the API's own envelope.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Refusal {
    /// 400: Desk Hive without `X-API-KEY`.
    MissingKey,
    /// 401 with a message.
    Unauthorized(String),
    /// 403 with a message.
    Forbidden(String),
    /// 429, retry after this many seconds.
    RateLimited {
        /// Seconds until a request would be accepted.
        retry_after: u64,
    },
    /// Any status, from a fault: the API's generic error for that status.
    Status(StatusCode),
}

/// Renders a refusal in `api`'s envelope.
pub fn render(api: Api, refusal: Refusal) -> Response {
    match api {
        Api::NextCap => nextcap::error::NcError::from(refusal).into_response(),
        Api::NexaDesk => nexadesk::error::NdError::from(refusal).into_response(),
        Api::DeskHive => deskhive::error::DhError::from(refusal).into_response(),
    }
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
    let operation_id = req
        .extensions()
        .get::<MatchedPath>()
        .and_then(|m| ctx.table.find(&method, m.as_str()))
        .map(|r| (r.operation_id, r.access));
    let key = auth::presented_key(api, req.headers());
    let at = time_fmt::millis_string(&chrono::Utc::now());

    let outcome = steps(&ctx, req, next, &path, operation_id, key.as_deref()).await;

    let status = match &outcome {
        Outcome::Respond(r) => r.status().as_u16(),
        Outcome::Drop => 0,
    };
    ctx.state.lock().journal.push(JournalEntry {
        method: method.to_string(),
        path: uri.path_and_query().map_or_else(|| path.clone(), |p| p.as_str().to_owned()),
        api: api.name().to_owned(),
        operation_id: operation_id.map(|(op, _)| op.to_owned()),
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
    route: Option<(&'static str, Access)>,
    key: Option<&str>,
) -> Outcome {
    let api = ctx.table.api();
    if api == Api::NextCap && req.headers().contains_key("origin") {
        let msg = "Browser requests are not allowed: this API is server-to-server only";
        return Outcome::Respond(render(api, Refusal::Forbidden(msg.into())));
    }
    let public = route.is_some_and(|(_, access)| access == Access::Public);
    let mut rate: Option<RateInfo> = None;
    if !public {
        let principal = {
            let inner = ctx.state.lock();
            auth::authenticate(api, path, req.method(), key, &inner.store)
        };
        let principal = match principal {
            Ok(p) => p,
            Err(refusal) => return Outcome::Respond(render(api, refusal)),
        };
        match rate_limit(ctx, &principal) {
            Decision::Limited { info, retry_after } => {
                let response = render(api, Refusal::RateLimited { retry_after });
                return Outcome::Respond(with_rate_headers(response, Some(info)));
            }
            Decision::Allowed(info) => rate = Some(info),
        }
        req.extensions_mut().insert(principal);
    }
    let target = fault::FaultTarget {
        api: api.name(),
        operation_id: route.map(|(op, _)| op),
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
            let response = fault_response(api, code, fault.body, &fault.headers);
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
    api: Api,
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
            render(api, Refusal::RateLimited { retry_after })
        }
        None => render(api, Refusal::Status(status)),
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
