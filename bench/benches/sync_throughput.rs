//! `sync_speedup_vs_sequential`: 10,000 Next Cap leads (100 per page) with 20 ms latency
//! injected by the mock on every request: a sequential raw page loop, against the SDK's
//! default `.stream()`. Interleaved trials after a warm-up; the headline is the sequential
//! loop's best (fastest) trial over the SDK's median trial.

use std::time::Instant;

use deskapi::nextcap::Lead;
use deskapi_bench::{Metric, Stat, interleave, ms, ratio, report};
use deskapi_mock::{Fault, MockServer, RateLimitSetting};
use futures::TryStreamExt;

const LEADS: usize = 10_000;
const WARMUP: usize = 1;
const TRIALS: usize = 5;

#[derive(serde::Deserialize)]
struct RawPage {
    data: Vec<Lead>,
    meta: Meta,
}
#[derive(serde::Deserialize)]
struct Meta {
    total_pages: u32,
}

#[tokio::main]
async fn main() {
    let server =
        MockServer::builder().rate_limit(RateLimitSetting::Off).leads(LEADS).start().await.expect("mock starts");
    server.add_fault(Fault { delay_ms: 20, times: None, ..Fault::default() });
    let key = server.keys().nextcap_data.clone();
    let http = reqwest::Client::new();
    let sdk = deskapi::NextCapDataClient::builder(key.as_str())
        .base_url(server.nextcap_url())
        .http_client(http.clone())
        .build()
        .expect("client");

    let sequential = || async {
        let s = Instant::now();
        let mut count = 0usize;
        let mut page = 1u32;
        loop {
            let url = format!("{}/external/leads?per_page=100&page={page}", server.nextcap_url());
            let body = http.get(&url).header("x-api-key", &key).send().await.unwrap().bytes().await.unwrap();
            let p: RawPage = serde_json::from_slice(&body).unwrap();
            count += p.data.len();
            if page >= p.meta.total_pages {
                break;
            }
            page += 1;
        }
        assert_eq!(count, LEADS);
        ms(s.elapsed())
    };
    let via_sdk = || async {
        let s = Instant::now();
        let leads: Vec<Lead> = sdk.leads().list().per_page(100).stream().try_collect().await.unwrap();
        assert_eq!(leads.len(), LEADS);
        ms(s.elapsed())
    };

    let trials = interleave(WARMUP, TRIALS, sequential, via_sdk).await;
    let (speedup, paired) = ratio(&trials.a, Stat::Min, &trials.b, Stat::Median);
    report(
        "sync_throughput",
        &[
            Metric::goal("sync_speedup_vs_sequential", speedup, ">=", 3.0).with_spread(paired),
            Metric::median_of("sequential_ms", &trials.a),
            Metric::median_of("sdk_stream_ms", &trials.b),
            Metric::info("read_ahead_pages", deskapi::DEFAULT_READ_AHEAD as f64),
        ],
    );
}
