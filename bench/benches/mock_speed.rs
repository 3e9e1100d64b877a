//! The mock server's speed.
//! - `mock_rps_vs_wiremock`: requests per second of the mock serving
//!   `GET /nextcap/api/v1/external/leads?per_page=20` (auth and journal on, rate limit off)
//!   divided by those of a wiremock-rs server returning a static body of the same size; same
//!   client, same concurrency (32 keep-alive connections), alternated rounds, medians.
//! - `mock_start_ms_median`: time from `MockServer::start()` to the first successful request.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use deskapi_bench::{Metric, median, ms, report};
use deskapi_mock::{MockServer, RateLimitSetting};

const CONNECTIONS: usize = 32;
const ROUND: Duration = Duration::from_secs(3);
const ROUNDS: usize = 3;
const STARTS: usize = 30;

async fn load(client: &reqwest::Client, url: &str, key: &str) -> f64 {
    let done = Arc::new(AtomicU64::new(0));
    let deadline = Instant::now() + ROUND;
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

    let (mut rps_mock, mut rps_wire) = (Vec::new(), Vec::new());
    for round in 0..ROUNDS {
        if round % 2 == 0 {
            rps_mock.push(load(&client, &mock_url, &key).await);
            rps_wire.push(load(&client, &wire_url, &key).await);
        } else {
            rps_wire.push(load(&client, &wire_url, &key).await);
            rps_mock.push(load(&client, &mock_url, &key).await);
        }
        // The journal is on (as asked); empty it between rounds so rounds stay comparable.
        mock.clear_requests();
    }
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

    let (m, w) = (median(&mut rps_mock), median(&mut rps_wire));
    report(
        "mock_speed",
        &[
            Metric::goal("mock_rps_vs_wiremock", m / w, ">=", 1.0),
            Metric::info("mock_rps", m),
            Metric::info("wiremock_rps", w),
            Metric::info("response_bytes", body.len() as f64),
            Metric::goal("mock_start_ms_median", median(&mut starts), "<=", 5.0),
        ],
    );
}
