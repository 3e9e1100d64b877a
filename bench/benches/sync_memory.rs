//! `sync_peak_rss_growth_10x_items`: peak RSS of a process streaming 100,000 leads divided by
//! one streaming 10,000. The mock runs in this process; each streamer is a child process
//! (`stream-probe`), so only the SDK's memory is measured. Memory must grow with the page size
//! and read-ahead, not with the number of items streamed.

use deskapi_bench::{Metric, median, report};
use deskapi_mock::{MockServer, RateLimitSetting};

const RUNS: usize = 3;

fn probe(base: &str, key: &str, count: usize) -> f64 {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_stream-probe"))
        .args([base, key, &count.to_string()])
        .output()
        .expect("run stream-probe");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "stream-probe failed: {text} {}", String::from_utf8_lossy(&out.stderr));
    let field = |name: &str| -> f64 {
        text.split_whitespace()
            .find_map(|kv| kv.strip_prefix(name))
            .and_then(|v| v.parse().ok())
            .unwrap_or_else(|| panic!("no {name} in {text}"))
    };
    assert_eq!(field("items=") as usize, count, "the probe streamed fewer items than asked");
    field("peak_rss_kib=")
}

#[tokio::main]
async fn main() {
    let server =
        MockServer::builder().rate_limit(RateLimitSetting::Off).leads(100_000).start().await.expect("mock starts");
    let base = server.nextcap_url();
    let key = server.keys().nextcap_data.clone();
    // The probes block on their own process; run them off the runtime that serves the mock.
    let (small, large) = tokio::task::spawn_blocking(move || {
        let (mut small, mut large) = (Vec::new(), Vec::new());
        for _ in 0..RUNS {
            small.push(probe(&base, &key, 10_000));
            large.push(probe(&base, &key, 100_000));
        }
        (median(&mut small), median(&mut large))
    })
    .await
    .expect("probes ran");
    report(
        "sync_memory",
        &[
            Metric::goal("sync_peak_rss_growth_10x_items", large / small, "<=", 1.5),
            Metric::info("peak_rss_kib_10k_items", small),
            Metric::info("peak_rss_kib_100k_items", large),
        ],
    );
}
