//! The mock's own share of a request, with no socket and no HTTP parsing: the whole
//! application ([`deskapi_mock::app`], everything `MockServer` serves) called in-process with
//! `tower::ServiceExt::oneshot`, against a bare axum router that answers the same path with a
//! static body of the same bytes. `mock_speed` measures whole servers; this one says how much
//! of a request's time is the mock's routing, pipeline and handler.
//!
//! - `mock_app_us_per_request`: `GET /nextcap/api/v1/external/leads?per_page=20` with the Data
//!   API key (auth and journal on, rate limit off), one request after another on one thread.
//! - `static_router_us_per_request`: the bare router, same request.
//! - `mock_app_vs_static_router` (report only): the first over the second (lower is better).
//! - `mock_app_allocs_per_request` / `static_router_allocs_per_request`: heap allocations per
//!   request (the harness's own request and body included in both), counted with dhat after
//!   the timed trials: allocations are much of the mock's cost per request outside its
//!   handler, and unlike times they do not move with the machine's load.

use std::time::Instant;

use axum::{body::Body, http::Request, routing::get};
use deskapi_bench::{Metric, Stat, interleave, ratio, report};
use deskapi_mock::{AppState, Config, RateLimitSetting};
use http_body_util::BodyExt;
use tower::ServiceExt;

// Forwards to the system allocator unless a dhat profiler is running (only while allocations
// are counted, after the timed trials).
#[global_allocator]
static ALLOC: dhat::Alloc = dhat::Alloc;

const REQUESTS: usize = 50_000;
const WARMUP: usize = 1;
const TRIALS: usize = 7;
const PATH: &str = "/nextcap/api/v1/external/leads?per_page=20";

async fn one(app: &axum::Router, key: &str) -> usize {
    let request = Request::get(PATH).header("x-api-key", key).body(Body::empty()).expect("request");
    let response = app.clone().oneshot(request).await.expect("infallible");
    assert!(response.status().is_success(), "status {}", response.status());
    response.into_body().collect().await.expect("body").to_bytes().len()
}

/// Microseconds per request over `REQUESTS` requests.
async fn trial(app: &axum::Router, key: &str) -> f64 {
    let started = Instant::now();
    for _ in 0..REQUESTS {
        std::hint::black_box(one(app, key).await);
    }
    started.elapsed().as_secs_f64() * 1e6 / REQUESTS as f64
}

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let state = AppState::new(Config { rate_limit: RateLimitSetting::Off, ..Config::default() });
    let key = state.demo_keys().nextcap_data.clone();
    let mock = deskapi_mock::app(state.clone());
    let body = {
        let request = Request::get(PATH).header("x-api-key", &key).body(Body::empty()).expect("request");
        mock.clone().oneshot(request).await.expect("infallible").into_body().collect().await.expect("body").to_bytes()
    };
    let static_router = axum::Router::new().route(
        "/nextcap/api/v1/external/leads",
        get(move || {
            let body = body.clone();
            async move { ([(axum::http::header::CONTENT_TYPE, "application/json")], body) }
        }),
    );
    let trials = interleave(
        WARMUP,
        TRIALS,
        || async {
            let us = trial(&mock, &key).await;
            state.clear_requests();
            us
        },
        || trial(&static_router, &key),
    )
    .await;
    let (vs, spread) = ratio(&trials.a, Stat::Median, &trials.b, Stat::Median);
    let mock_allocs = allocations_per_request(&mock, &key).await;
    state.clear_requests();
    let static_allocs = allocations_per_request(&static_router, &key).await;
    report(
        "mock_app",
        &[
            Metric::median_of("mock_app_us_per_request", &trials.a),
            Metric::median_of("static_router_us_per_request", &trials.b),
            Metric::info("mock_app_vs_static_router", vs).with_spread(spread),
            Metric::info("mock_app_allocs_per_request", mock_allocs),
            Metric::info("static_router_allocs_per_request", static_allocs),
        ],
    );
}

/// Heap allocations per request over 1,000 requests, after one that warms every cache.
async fn allocations_per_request(app: &axum::Router, key: &str) -> f64 {
    const N: u64 = 1_000;
    one(app, key).await;
    let profiler = dhat::Profiler::builder().testing().build();
    let before = dhat::HeapStats::get().total_blocks;
    for _ in 0..N {
        std::hint::black_box(one(app, key).await);
    }
    let blocks = dhat::HeapStats::get().total_blocks - before;
    drop(profiler);
    blocks as f64 / N as f64
}
