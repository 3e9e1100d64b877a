//! Heap allocations per request of the mock's application in-process, next to a bare axum
//! router serving the same bytes (the request of [`deskapi_bench::in_process`], as in
//! `mock_app`): allocations are much of the mock's cost per request outside its handler, and
//! unlike times they do not move with the machine's load. Counted with dhat, in a binary of
//! its own because dhat's allocator slows every allocation a little and `mock_app` times them.
//!
//! - `mock_app_allocs_per_request` / `static_router_allocs_per_request`: allocations per
//!   request over 1,000 requests after one that warms every cache (the harness's own request
//!   and body are counted in both).

use deskapi_bench::{Metric, in_process, report};

#[global_allocator]
static ALLOC: dhat::Alloc = dhat::Alloc;

/// Heap allocations per request over 1,000 requests, after one that warms every cache.
async fn allocations_per_request(app: &axum::Router, key: &str) -> f64 {
    const N: u64 = 1_000;
    in_process::one(app, key).await;
    let profiler = dhat::Profiler::builder().testing().build();
    let before = dhat::HeapStats::get().total_blocks;
    for _ in 0..N {
        std::hint::black_box(in_process::one(app, key).await);
    }
    let blocks = dhat::HeapStats::get().total_blocks - before;
    drop(profiler);
    blocks as f64 / N as f64
}

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let (_state, key, mock, static_router) = in_process::apps().await;
    let mock_allocs = allocations_per_request(&mock, &key).await;
    let static_allocs = allocations_per_request(&static_router, &key).await;
    report(
        "mock_allocs",
        &[
            Metric::info("mock_app_allocs_per_request", mock_allocs),
            Metric::info("static_router_allocs_per_request", static_allocs),
        ],
    );
}
