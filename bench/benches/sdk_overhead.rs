//! `sdk_overhead_ratio`: the SDK fetching one page of 100 Next Cap leads, against the same
//! request made with raw reqwest + serde_json into the same model types, over the same
//! connection pool, from the in-process mock with rate limits off.
//!
//! One trial is `PAGES` fetches in a row by one side and yields the median milliseconds of its
//! pages (a median, not a mean, so that one stall from elsewhere on the machine does not decide
//! a trial); the sides run in interleaved trials after a warm-up. The headline is the SDK's
//! median trial over raw reqwest's best (fastest) trial.

use std::time::Instant;

use deskapi::nextcap::Lead;
use deskapi_bench::{Metric, Stat, interleave, median, ms, ratio, report};
use deskapi_mock::{MockServer, RateLimitSetting};

#[derive(serde::Deserialize)]
#[allow(dead_code)] // decoded to measure decoding; the fields are not read
struct RawPage {
    data: Vec<Lead>,
    meta: serde_json::Value,
}

const PAGES: usize = 200;
const WARMUP: usize = 1;
const TRIALS: usize = 11;

#[tokio::main]
async fn main() {
    let server = MockServer::builder().rate_limit(RateLimitSetting::Off).leads(200).start().await.expect("mock starts");
    let key = server.keys().nextcap_data.clone();
    let http = reqwest::Client::new();
    let sdk = deskapi::NextCapDataClient::builder(key.as_str())
        .base_url(server.nextcap_url())
        .http_client(http.clone())
        .build()
        .expect("client");
    let url = format!("{}/external/leads?per_page=100", server.nextcap_url());

    let raw = || async {
        let mut pages = Vec::with_capacity(PAGES);
        for _ in 0..PAGES {
            let s = Instant::now();
            let resp = http.get(&url).header("x-api-key", &key).send().await.expect("raw request");
            assert!(resp.status().is_success());
            let body = resp.bytes().await.expect("raw body");
            let page: RawPage = serde_json::from_slice(&body).expect("raw decode");
            assert_eq!(page.data.len(), 100);
            pages.push(ms(s.elapsed()));
        }
        median(&mut pages)
    };
    let via_sdk = || async {
        let mut pages = Vec::with_capacity(PAGES);
        for _ in 0..PAGES {
            let s = Instant::now();
            let page = sdk.leads().list().per_page(100).send().await.expect("sdk request");
            assert_eq!(page.items.len(), 100);
            pages.push(ms(s.elapsed()));
        }
        median(&mut pages)
    };

    let trials = interleave(WARMUP, TRIALS, via_sdk, raw).await;
    let (overhead, paired) = ratio(&trials.a, Stat::Median, &trials.b, Stat::Min);
    report(
        "sdk_overhead",
        &[
            Metric::goal("sdk_overhead_ratio", overhead, "<=", 1.05).with_spread(paired),
            Metric::median_of("sdk_page_ms", &trials.a),
            Metric::median_of("raw_page_ms", &trials.b),
        ],
    );
}
