//! The per-request pipeline every API request passes through, in this order:
//! origin check (Next Cap) -> auth -> rate limit -> faults -> handler, with the journal
//! recording the final outcome of every request.
//!
//! It is one tower layer ([`PipelineLayer`]) running one function rather than five layers
//! because the steps share what they learn (the matched route, the principal, the rate-limit
//! numbers that must be stamped on whatever response finally leaves, including 429s, injected
//! faults and handler errors), and one function with one helper per step reads top to bottom. Refusals are expressed as a
//! [`Refusal`] and rendered by the function the API's spec hands over, so the pipeline names
//! no API's error type and every envelope stays in its API's folder.

use std::{
    collections::BTreeMap,
    convert::Infallible,
    future::Future,
    pin::Pin,
    sync::Arc,
    task::{Context, Poll},
    time::Duration,
};

use axum::{
    Router,
    body::Body,
    extract::{MatchedPath, Request},
    handler::Handler,
    http::{HeaderName, HeaderValue, Method, StatusCode, Uri, header::ORIGIN},
    response::{IntoResponse, Response},
    routing::MethodRouter,
};
use bytes::Bytes;
use futures::future::BoxFuture;
use tokio::task::futures::TaskLocalFuture;
use tower::{Layer, Service, ServiceExt, util::BoxCloneSyncService};

use crate::{
    api::Api,
    auth::{self, Principal},
    fault,
    journal::Seen,
    query,
    ratelimit::{self, Decision, RateInfo},
    refusal::Refusal,
    routes::{Access, ApiSpec, RouteTable},
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

/// A request handler as a boxed service: what the pipeline wraps, and what [`Mounted`] holds.
pub type BoxedHandler = BoxCloneSyncService<Request, Response, Infallible>;

/// One spec, ready to serve: its routes at their full paths (mount point included, so they
/// merge into the application's one router and a request is matched once, with no prefix to
/// strip), each wrapped in the pipeline and answering a wrong method with the API's 405; and the
/// spec's 404, wrapped in the pipeline too, for the application's fallback to call on any other
/// path under [`Mounted::mount`].
pub struct Mounted {
    /// Where the spec lives (`/nextcap`, `/nextcap/api/v1/external/crm`, ...).
    pub mount: &'static str,
    /// The routes.
    pub routes: Router<AppState>,
    /// The 404 (journaled, authenticated and rendered in the API's envelope like any request).
    pub not_found: BoxedHandler,
}

/// Turns a spec into its [`Mounted`] routes and 404.
pub fn mount(spec: ApiSpec, state: &AppState) -> Mounted {
    let mount = spec.mount;
    let (table, handlers) = spec.into_parts();
    let render = table.render_fn();
    let layer = PipelineLayer(Arc::new(Pipeline { state: state.clone(), table }));
    let method_not_allowed = move |method: Method, uri: Uri| async move {
        render(Refusal::MethodNotAllowed { method: method.to_string(), path: uri.path().to_owned() })
    };
    let not_found = move |method: Method, uri: Uri| async move {
        render(Refusal::RouteNotFound { method: method.to_string(), path: uri.path().to_owned() })
    };
    // Several table lines share a path (GET and POST of a collection): one method router each.
    let mut paths: Vec<(String, MethodRouter<AppState>)> = Vec::new();
    for (path, handler) in handlers {
        match paths.iter_mut().find(|(p, _)| *p == path) {
            Some((_, methods)) => *methods = std::mem::take(methods).merge(handler),
            None => paths.push((path, handler)),
        }
    }
    let routes = paths.into_iter().fold(Router::new(), |router, (path, methods)| {
        router.route(&path, methods.fallback(method_not_allowed).layer(layer.clone()))
    });
    let not_found = BoxCloneSyncService::new(layer.layer(not_found.with_state(state.clone())));
    Mounted { mount, routes, not_found }
}

/// The pipeline as a tower layer around one route's handlers.
#[derive(Clone, Debug)]
pub struct PipelineLayer(Arc<Pipeline>);

impl<S> Layer<S> for PipelineLayer {
    type Service = PipelineService<S>;

    fn layer(&self, inner: S) -> PipelineService<S> {
        PipelineService { ctx: Arc::clone(&self.0), inner }
    }
}

/// The pipeline around the handler `S`: [`admit`] runs in `call`, and [`PipelineFuture`]
/// waits for the handler and records the journal entry.
#[derive(Clone, Debug)]
pub struct PipelineService<S> {
    ctx: Arc<Pipeline>,
    inner: S,
}

impl<S> Service<Request> for PipelineService<S>
where
    S: Service<Request, Response = Response, Error = Infallible> + Clone + Send + 'static,
    S::Future: Send,
{
    type Response = Response;
    type Error = Infallible;
    type Future = PipelineFuture<S::Future>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Infallible>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, req: Request) -> PipelineFuture<S::Future> {
        let (draft, admission) = admit(&self.ctx, req);
        let state = match admission {
            Admission::Answered(response) => Stage::Answered { response: Some(response) },
            // `inner` was polled ready for this call.
            Admission::Handle(req, rate, principal) => {
                Stage::Handler { future: auth::PRINCIPAL.scope(principal, self.inner.call(req)), rate }
            }
            Admission::Fault(req, rate, principal, fault) => {
                let inner = self.inner.clone();
                let ctx = Arc::clone(&self.ctx);
                let future = async move { faulted(&ctx, req, inner, rate, fault).await };
                Stage::Faulted { future: Box::pin(auth::PRINCIPAL.scope(principal, future)) }
            }
        };
        PipelineFuture { ctx: Arc::clone(&self.ctx), draft: Some(draft), stage: state }
    }
}

pin_project_lite::pin_project! {
    /// A request in the pipeline once its checks are done: the handler's own future (not
    /// boxed: every request pays for what its future allocates and moves), an answer the
    /// pipeline already has, or the rare faulted request (boxed). On completion it stamps the
    /// rate-limit headers and records the journal entry.
    pub struct PipelineFuture<F> {
        ctx: Arc<Pipeline>,
        draft: Option<Draft>,
        #[pin]
        stage: Stage<F>,
    }
}

pin_project_lite::pin_project! {
    #[project = StageProj]
    enum Stage<F> {
        Answered { response: Option<Response> },
        Handler { #[pin] future: TaskLocalFuture<Option<Principal>, F>, rate: Option<RateInfo> },
        Faulted { future: BoxFuture<'static, Option<Response>> },
    }
}

impl<F> Future for PipelineFuture<F>
where
    F: Future<Output = Result<Response, Infallible>>,
{
    type Output = Result<Response, Infallible>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let this = self.project();
        let response = match this.stage.project() {
            StageProj::Answered { response } => response.take(),
            StageProj::Handler { future, rate } => {
                let Ok(response) = std::task::ready!(future.poll(cx));
                Some(with_rate_headers(response, *rate))
            }
            StageProj::Faulted { future } => std::task::ready!(future.as_mut().poll(cx)),
        };
        if let Some(draft) = this.draft.take() {
            let status = response.as_ref().map_or(0, |r| r.status().as_u16());
            let Draft { method, uri, operation_id, key, at } = draft;
            let seen = Seen {
                method,
                target: query::request_target(&uri),
                api: this.ctx.table.api(),
                operation_id,
                status,
                key,
                at,
            };
            this.ctx.state.lock().journal.push(seen);
        }
        Poll::Ready(Ok(response.unwrap_or_else(dropped_connection)))
    }
}

/// What the journal records of a request, gathered before the request moves on.
struct Draft {
    method: Method,
    /// The request URI (it shares the request's buffer; the journal copies what it keeps).
    uri: Uri,
    operation_id: Option<&'static str>,
    key: Option<Arc<str>>,
    at: chrono::DateTime<chrono::Utc>,
}

/// Where the request goes after the checks that need no waiting.
enum Admission {
    /// Answered by the pipeline (a refusal, a 429).
    Answered(Response),
    /// On to the handler, with the rate-limit numbers to stamp and the caller (none on a
    /// public route), no fault.
    Handle(Request, Option<RateInfo>, Option<Principal>),
    /// A fault applies.
    Fault(Request, Option<RateInfo>, Option<Principal>, fault::Fault),
}

/// The checks that need no waiting, in order: origin (Next Cap), key, permissions and plan,
/// rate limit, faults; one lock for all of them.
fn admit(ctx: &Pipeline, req: Request) -> (Draft, Admission) {
    let api = ctx.table.api();
    let route = req.extensions().get::<MatchedPath>().and_then(|m| ctx.table.find(req.method(), m.as_str()));
    // One reading of the wall clock: the journal's time (mock clock) and the rate limiter's.
    let wall_ms = time_fmt::now_millis();
    let draft = Draft {
        method: req.method().clone(),
        uri: req.uri().clone(),
        operation_id: route.map(|r| r.operation_id),
        key: auth::presented_key(api, req.headers()).map(Arc::from),
        at: ctx.state.clock().at(wall_ms),
    };
    if api == Api::NextCap && req.headers().contains_key(ORIGIN) {
        let msg = "Browser requests are not allowed: this API is server-to-server only";
        return (draft, Admission::Answered(ctx.table.render(Refusal::Forbidden(msg.into()))));
    }
    let public = route.is_some_and(|r| r.access == Access::Public);
    let needs = auth::Requirements {
        permissions: route.map_or(&[][..], |r| r.permissions),
        min_plan: route.map_or(ctx.table.min_plan(), |r| r.min_plan),
    };
    let limit = ctx.state.config().rate_limit.policy(api);
    let mut inner = ctx.state.lock();
    let mut rate = None;
    let mut caller = None;
    if !public {
        let principal =
            match auth::authenticate(ctx.table.family(), req.method(), draft.key.as_ref(), needs, inner.store()) {
                Ok(principal) => principal,
                Err(refusal) => {
                    drop(inner);
                    return (draft, Admission::Answered(ctx.table.render(refusal)));
                }
            };
        let decision = match limit {
            Some(policy) => inner.limiter.check(api, &principal.key, policy, wall_ms),
            None => Decision::Allowed(ratelimit::unlimited(wall_ms)),
        };
        match decision {
            Decision::Limited { info, retry_after } => {
                drop(inner);
                let response = ctx.table.render(Refusal::RateLimited { retry_after });
                return (draft, Admission::Answered(with_rate_headers(response, Some(info))));
            }
            Decision::Allowed(info) => rate = Some(info),
        }
        caller = Some(principal);
    }
    let target = fault::FaultTarget {
        api: api.name(),
        operation_id: draft.operation_id,
        path: draft.uri.path(),
        method: req.method().as_str(),
    };
    let fault = inner.faults.take(&target);
    drop(inner);
    let admission = match fault {
        Some(fault) => Admission::Fault(req, rate, caller, fault),
        None => Admission::Handle(req, rate, caller),
    };
    (draft, admission)
}

/// A request a fault applies to: the delay, then the dropped connection (`None`), the faulted
/// status, or the handler.
async fn faulted<S>(
    ctx: &Pipeline,
    req: Request,
    handler: S,
    rate: Option<RateInfo>,
    fault: fault::Fault,
) -> Option<Response>
where
    S: Service<Request, Response = Response, Error = Infallible>,
{
    if fault.delay_ms > 0 {
        tokio::time::sleep(Duration::from_millis(fault.delay_ms)).await;
    }
    if fault.drop_connection {
        return None;
    }
    let response = match fault.status {
        Some(code) => fault_response(&ctx.table, code, fault.body, &fault.headers),
        None => {
            let Ok(response) = handler.oneshot(req).await;
            response
        }
    };
    Some(with_rate_headers(response, rate))
}

/// Adds `X-RateLimit-*` (a 429's `Retry-After`, where the API sends one, comes from its
/// error renderer).
fn with_rate_headers(mut response: Response, info: Option<RateInfo>) -> Response {
    let Some(info) = info else {
        return response;
    };
    const LIMIT: HeaderName = HeaderName::from_static("x-ratelimit-limit");
    const REMAINING: HeaderName = HeaderName::from_static("x-ratelimit-remaining");
    const RESET: HeaderName = HeaderName::from_static("x-ratelimit-reset");
    let headers = response.headers_mut();
    headers.insert(LIMIT, count(info.limit));
    headers.insert(REMAINING, count(info.remaining));
    headers.insert(RESET, decimal(info.reset));
    response
}

/// `n` as a header value. The numbers of an unlimited key are the same on every response, so
/// they are static text rather than a buffer formatted per response (same bytes either way).
fn count(n: u32) -> HeaderValue {
    const LIMIT: &str = "1000000";
    const REMAINING: &str = "999999";
    match n {
        ratelimit::UNLIMITED => HeaderValue::from_static(LIMIT),
        n if n == ratelimit::UNLIMITED - 1 => HeaderValue::from_static(REMAINING),
        n => decimal(n),
    }
}

/// `n` in decimal as a header value, in one allocation of its exact length (`HeaderValue`'s
/// own `From<u64>` makes two).
fn decimal(n: impl itoa::Integer) -> HeaderValue {
    let mut digits = itoa::Buffer::new();
    // Digits are always a valid header value; the fallback only keeps this total.
    HeaderValue::from_bytes(digits.format(n).as_bytes()).unwrap_or(HeaderValue::from_static("0"))
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_read_the_same_whether_static_or_formatted() {
        for n in [0, 1, 59, ratelimit::UNLIMITED - 2, ratelimit::UNLIMITED - 1, ratelimit::UNLIMITED, u32::MAX] {
            assert_eq!(count(n), HeaderValue::from(n), "{n}");
        }
        for n in [0, 1_764_547_200, u64::MAX] {
            assert_eq!(decimal(n), HeaderValue::from(n), "{n}");
        }
    }
}
