//! `sdk_overhead_ratio`: the SDK fetching one page of 100 Next Cap leads, against the same
//! request made with raw reqwest + serde_json into the same model types, over the same
//! connection pool, from the in-process mock with rate limits off. Interleaved, medians.

use std::time::Instant;

use deskapi::nextcap::Lead;
use deskapi_bench::{Metric, median, ms, report};
use deskapi_mock::{MockServer, RateLimitSetting};

#[derive(serde::Deserialize)]
#[allow(dead_code)] // decoded to measure decoding; the fields are not read
struct RawPage {
    data: Vec<Lead>,
    meta: serde_json::Value,
}

const WARMUP: usize = 50;
const ROUNDS: usize = 400;

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
        let resp = http.get(&url).header("x-api-key", &key).send().await.expect("raw request");
        assert!(resp.status().is_success());
        let body = resp.bytes().await.expect("raw body");
        let page: RawPage = serde_json::from_slice(&body).expect("raw decode");
        assert_eq!(page.data.len(), 100);
    };
    let via_sdk = || async {
        let page = sdk.leads().list().per_page(100).send().await.expect("sdk request");
        assert_eq!(page.items.len(), 100);
    };

    for _ in 0..WARMUP {
        raw().await;
        via_sdk().await;
    }
    let (mut t_raw, mut t_sdk) = (Vec::with_capacity(ROUNDS), Vec::with_capacity(ROUNDS));
    for i in 0..ROUNDS {
        // Alternate which goes first so neither always benefits from a warm cache.
        if i % 2 == 0 {
            let s = Instant::now();
            raw().await;
            t_raw.push(ms(s.elapsed()));
            let s = Instant::now();
            via_sdk().await;
            t_sdk.push(ms(s.elapsed()));
        } else {
            let s = Instant::now();
            via_sdk().await;
            t_sdk.push(ms(s.elapsed()));
            let s = Instant::now();
            raw().await;
            t_raw.push(ms(s.elapsed()));
        }
    }
    let (raw_ms, sdk_ms) = (median(&mut t_raw), median(&mut t_sdk));
    report(
        "sdk_overhead",
        &[
            Metric::goal("sdk_overhead_ratio", sdk_ms / raw_ms, "<=", 1.05),
            Metric::info("sdk_page_ms_median", sdk_ms),
            Metric::info("raw_page_ms_median", raw_ms),
        ],
    );
}
