//! `sync_peak_rss_growth_10x_items`: peak RSS of a process streaming 100,000 leads divided by
//! one streaming 10,000. The mock runs in this process; each streamer is a child process
//! (`stream-probe`), so only the SDK's memory is measured. Memory must grow with the page size
//! and read-ahead, not with the number of items streamed.
//!
//! Both sides are the SDK, so neither gets the benefit of the doubt: the headline is the ratio
//! of the medians of interleaved trials, with the spread of the back-to-back ratios.

use deskapi_bench::{Metric, Stat, interleave, ratio, report};
use deskapi_mock::{MockServer, RateLimitSetting};

const WARMUP: usize = 0;
const TRIALS: usize = 5;

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
    // Each probe blocks on its child process; run it off the runtime that serves the mock.
    let run = |count: usize| {
        let (base, key) = (base.clone(), key.clone());
        async move { tokio::task::spawn_blocking(move || probe(&base, &key, count)).await.expect("probe ran") }
    };
    let trials = interleave(WARMUP, TRIALS, || run(100_000), || run(10_000)).await;
    let (growth, paired) = ratio(&trials.a, Stat::Median, &trials.b, Stat::Median);
    report(
        "sync_memory",
        &[
            Metric::goal("sync_peak_rss_growth_10x_items", growth, "<=", 1.5).with_spread(paired),
            Metric::median_of("peak_rss_kib_10k_items", &trials.b),
            Metric::median_of("peak_rss_kib_100k_items", &trials.a),
        ],
    );
}
