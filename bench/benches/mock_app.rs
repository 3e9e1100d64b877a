//! The mock's own share of a request, with no socket and no HTTP parsing: the whole
//! application ([`deskapi_mock::app`], everything `MockServer` serves) called in-process with
//! `tower::ServiceExt::oneshot`, against a bare axum router that answers the same path with a
//! static body of the same bytes ([`deskapi_bench::in_process`]). `mock_speed` measures whole
//! servers; this one says how much of a request's time is the mock's routing, pipeline and
//! handler (`mock_allocs` counts its allocations).
//!
//! - `mock_app_us_per_request`: `GET /nextcap/api/v1/external/leads?per_page=20` with the Data
//!   API key (auth and journal on, rate limit off), one request after another on one thread.
//! - `static_router_us_per_request`: the bare router, same request.
//! - `mock_app_vs_static_router` (report only): the first over the second (lower is better).
//! - `mock_app_uncached_us_per_request` (report only): the mock again, each request with a
//!   query no earlier request had (a `nonce` parameter the API ignores), so no page comes from
//!   the response cache and every page is filed in it: what a list costs the first time.

use std::time::Instant;

use deskapi_bench::{Metric, Stat, in_process, interleave, ratio, report};

const REQUESTS: usize = 50_000;
const WARMUP: usize = 1;
const TRIALS: usize = 7;

/// Microseconds per request over `REQUESTS` calls of `request` (one request each, returning
/// the body's length).
async fn us_per_request(mut request: impl AsyncFnMut() -> usize) -> f64 {
    let started = Instant::now();
    for _ in 0..REQUESTS {
        std::hint::black_box(request().await);
    }
    started.elapsed().as_secs_f64() * 1e6 / REQUESTS as f64
}

/// One trial of the same request to `app`.
async fn trial(app: &axum::Router, key: &str) -> f64 {
    us_per_request(async || in_process::one(app, key).await).await
}

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let (state, key, mock, static_router) = in_process::apps().await;
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
    let mut nonce = 0u64;
    let mut uncached = Vec::new();
    for _ in 0..WARMUP + TRIALS {
        uncached.push(
            us_per_request(async || {
                nonce += 1;
                in_process::one_at(&mock, &key, &format!("{}&nonce={nonce}", in_process::PATH)).await
            })
            .await,
        );
        state.clear_requests();
    }
    report(
        "mock_app",
        &[
            Metric::median_of("mock_app_us_per_request", &trials.a),
            Metric::median_of("static_router_us_per_request", &trials.b),
            Metric::info("mock_app_vs_static_router", vs).with_spread(spread),
            Metric::median_of("mock_app_uncached_us_per_request", &uncached[WARMUP..]),
        ],
    );
}
