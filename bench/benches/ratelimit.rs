//! `ratelimit_efficiency`: 8 concurrent tasks sharing one key (clones of one client) against a
//! mock limited to N requests per window. Requests completed per second divided by the
//! configured limit, over a whole number of windows starting on a window boundary; with it,
//! the fraction of 429s on the wire and the errors the tasks saw.
//!
//! This is no side-by-side comparison (the limit is a configured constant), so it runs once;
//! its spread (and `_trials`) is that of the requests completed in each window over the limit.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use deskapi_bench::{Metric, report};
use deskapi_mock::{MockServer, RateLimitSetting};

const TASKS: usize = 8;
const LIMIT: u32 = 40;
const WINDOW_SECS: u64 = 2;
const WINDOWS: u64 = 12; // 24 s of measurement

#[tokio::main]
async fn main() {
    let window = Duration::from_secs(WINDOW_SECS);
    let server = MockServer::builder()
        .rate_limit(RateLimitSetting::Custom { requests: LIMIT, window })
        .start()
        .await
        .expect("mock starts");
    let client = deskapi::NextCapDataClient::builder(server.keys().nextcap_data.as_str())
        .base_url(server.nextcap_url())
        .build()
        .expect("client");

    // Start just after a window boundary (the mock's windows are aligned to Unix time).
    let now = SystemTime::now().duration_since(UNIX_EPOCH).unwrap();
    let into = Duration::from_nanos((now.as_nanos() % window.as_nanos()) as u64);
    tokio::time::sleep(window - into + Duration::from_millis(5)).await;
    server.clear_requests();

    let run_for = window * WINDOWS as u32 - Duration::from_millis(100);
    let started = tokio::time::Instant::now();
    let deadline = started + run_for;
    let done = Arc::new(AtomicU64::new(0));
    let errors = Arc::new(AtomicU64::new(0));
    let per_window: Arc<Vec<AtomicU64>> = Arc::new((0..WINDOWS).map(|_| AtomicU64::new(0)).collect());
    let mut tasks = Vec::new();
    for _ in 0..TASKS {
        let (client, done, errors, per_window) = (client.clone(), done.clone(), errors.clone(), per_window.clone());
        tasks.push(tokio::spawn(async move {
            loop {
                match tokio::time::timeout_at(deadline, client.leads().list().per_page(1).send()).await {
                    Ok(Ok(_)) => {
                        let index = (started.elapsed().as_nanos() / window.as_nanos()) as usize;
                        per_window[index.min(per_window.len() - 1)].fetch_add(1, Ordering::Relaxed);
                        done.fetch_add(1, Ordering::Relaxed)
                    }
                    Ok(Err(e)) => {
                        eprintln!("task error: {e}");
                        errors.fetch_add(1, Ordering::Relaxed)
                    }
                    Err(_) => break, // measurement over; a request waiting for the next window is not an error
                };
            }
        }));
    }
    for t in tasks {
        t.await.expect("task");
    }
    let elapsed = started.elapsed().as_secs_f64();
    let completed = done.load(Ordering::Relaxed) as f64;
    let configured = LIMIT as f64 / WINDOW_SECS as f64;
    let journal = server.requests();
    let wire = journal.len() as f64;
    let refused = journal.iter().filter(|e| e.status == 429).count() as f64;
    let window_efficiency: Vec<f64> =
        per_window.iter().map(|n| n.load(Ordering::Relaxed) as f64 / LIMIT as f64).collect();
    report(
        "ratelimit",
        &[
            Metric::goal("ratelimit_efficiency", (completed / elapsed) / configured, ">=", 0.95)
                .with_trials(&window_efficiency),
            Metric::goal("ratelimit_wire_429_fraction", if wire > 0.0 { refused / wire } else { 0.0 }, "<=", 0.01),
            Metric::goal("ratelimit_caller_errors", errors.load(Ordering::Relaxed) as f64, "<=", 0.0),
            Metric::info("ratelimit_requests_completed", completed),
            Metric::info("ratelimit_configured_rps", configured),
            Metric::info("ratelimit_elapsed_s", elapsed),
        ],
    );
}
