//! The mock server's speed.
//! - `mock_rps_vs_wiremock`: requests per second of the mock serving
//!   `GET /nextcap/api/v1/external/leads?per_page=20` (auth and journal on, rate limit off)
//!   against a wiremock-rs server returning a static body of the same size; same client, same
//!   concurrency (32 keep-alive connections). Interleaved trials after a warm-up; the headline
//!   is the mock's median trial over wiremock's best trial.
//! - `mock_start_ms_median`: time from `MockServer::start()` to the first successful request.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use deskapi_bench::{Metric, Spread, Stat, interleave, ms, ratio, report};
use deskapi_mock::{MockServer, RateLimitSetting};

const CONNECTIONS: usize = 32;
const TRIAL: Duration = Duration::from_secs(2);
const WARMUP: usize = 1;
const TRIALS: usize = 7;
const STARTS: usize = 30;

/// Requests per second over one trial of `TRIAL` with `CONNECTIONS` requests in flight.
async fn load(client: &reqwest::Client, url: &str, key: &str) -> f64 {
    let done = Arc::new(AtomicU64::new(0));
    let deadline = Instant::now() + TRIAL;
    let started = Instant::now();
    let mut tasks = Vec::new();
    for _ in 0..CONNECTIONS {
        let (client, url, key, done) = (client.clone(), url.to_owned(), key.to_owned(), done.clone());
        tasks.push(tokio::spawn(async move {
            while Instant::now() < deadline {
                let resp = client.get(&url).header("x-api-key", &key).send().await.expect("request");
                assert!(resp.status().is_success(), "status {}", resp.status());
                resp.bytes().await.expect("body");
                done.fetch_add(1, Ordering::Relaxed);
            }
        }));
    }
    for t in tasks {
        t.await.expect("load task");
    }
    done.load(Ordering::Relaxed) as f64 / started.elapsed().as_secs_f64()
}

#[tokio::main]
async fn main() {
    let client = reqwest::Client::builder().pool_max_idle_per_host(CONNECTIONS).build().expect("client");

    let mock = MockServer::builder().rate_limit(RateLimitSetting::Off).start().await.expect("mock starts");
    let key = mock.keys().nextcap_data.clone();
    let mock_url = format!("{}/external/leads?per_page=20", mock.nextcap_url());
    let body = client.get(&mock_url).header("x-api-key", &key).send().await.unwrap().bytes().await.unwrap();

    let wire = wiremock::MockServer::start().await;
    wiremock::Mock::given(wiremock::matchers::method("GET"))
        .and(wiremock::matchers::path("/nextcap/api/v1/external/leads"))
        .respond_with(wiremock::ResponseTemplate::new(200).set_body_raw(body.to_vec(), "application/json"))
        .mount(&wire)
        .await;
    let wire_url = format!("{}/nextcap/api/v1/external/leads?per_page=20", wire.uri());

    let trials = interleave(
        WARMUP,
        TRIALS,
        || async {
            let rps = load(&client, &mock_url, &key).await;
            // The journal is on (as asked); empty it after each trial so trials stay comparable.
            mock.clear_requests();
            rps
        },
        || load(&client, &wire_url, &key),
    )
    .await;
    drop(mock);

    let mut starts = Vec::new();
    for _ in 0..STARTS {
        let s = Instant::now();
        let server = MockServer::start().await;
        let url = format!("{}/external/leads", server.nextcap_url());
        let resp =
            client.get(&url).header("x-api-key", &server.keys().nextcap_data).send().await.expect("first request");
        assert!(resp.status().is_success());
        resp.bytes().await.expect("body");
        starts.push(ms(s.elapsed()));
    }

    let (vs_wiremock, paired) = ratio(&trials.a, Stat::Median, &trials.b, Stat::Max);
    let start = Spread::of(&starts);
    report(
        "mock_speed",
        &[
            Metric::goal("mock_rps_vs_wiremock", vs_wiremock, ">=", 1.0).with_spread(paired),
            Metric::median_of("mock_rps", &trials.a),
            Metric::median_of("wiremock_rps", &trials.b),
            Metric::info("response_bytes", body.len() as f64),
            Metric::goal("mock_start_ms_median", start.median, "<=", 5.0),
            Metric::median_of("mock_start_ms", &starts),
        ],
    );
}
