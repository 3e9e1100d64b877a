//! Retry and rate-limit behaviour of the transport, against wiremock.

mod common;

use std::time::{Duration, Instant};

use common::*;
use deskapi::Error;
use serde_json::json;
use wiremock::matchers::{header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

fn one_lead_page() -> ResponseTemplate {
    ResponseTemplate::new(200)
        .set_body_json(json!({"data": [lead(1)], "meta": {"page": 1, "per_page": 20, "total": 1, "total_pages": 1}}))
}

#[tokio::test]
async fn a_429_with_retry_after_header_is_waited_out_and_retried() {
    let server = MockServer::start().await;
    Mock::given(path("/leads"))
        .respond_with(
            ResponseTemplate::new(429)
                .insert_header("retry-after", "1")
                .set_body_json(json!({"success": false, "error": "Rate limit exceeded"})),
        )
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(path("/leads"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"success": true, "data": [nexa_lead(1)], "pagination": {"has_more": false, "next_cursor": null, "total_count": 1, "limit": 50}})))
        .mount(&server)
        .await;
    let started = Instant::now();
    let page = nexadesk(&server).leads().list().send().await.unwrap();
    assert_eq!(page.items.len(), 1);
    assert!(started.elapsed() >= Duration::from_millis(950), "waited only {:?}", started.elapsed());
    assert_eq!(server.received_requests().await.unwrap().len(), 2);
}

#[tokio::test]
async fn a_429_with_retry_after_in_the_body_is_waited_out_and_retried() {
    let server = MockServer::start().await;
    Mock::given(path("/external/leads"))
        .respond_with(ResponseTemplate::new(429).set_body_json(
            json!({"success": false, "error": {"code": "RATE_LIMITED", "message": "slow down", "retryAfter": 1}}),
        ))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(path("/external/leads")).respond_with(one_lead_page()).mount(&server).await;
    let started = Instant::now();
    let page = nextcap(&server).leads().list().send().await.unwrap();
    assert_eq!(page.items.len(), 1);
    assert!(started.elapsed() >= Duration::from_millis(950));
    assert_eq!(server.received_requests().await.unwrap().len(), 2);
}

#[tokio::test]
async fn a_429_with_only_a_reset_header_waits_for_the_reset() {
    let server = MockServer::start().await;
    let reset = unix_now() + 1;
    Mock::given(path("/external/tickets"))
        .respond_with(
            ResponseTemplate::new(429)
                .insert_header("x-ratelimit-limit", "60")
                .insert_header("x-ratelimit-remaining", "0")
                .insert_header("x-ratelimit-reset", reset.to_string().as_str())
                .set_body_json(json!({"message": "Too Many Attempts."})),
        )
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(path("/external/tickets"))
        .respond_with(ResponseTemplate::new(200).set_body_json(
            json!({"data": [], "meta": {"current_page": 1, "last_page": 1, "per_page": 15, "total": 0}}),
        ))
        .mount(&server)
        .await;
    deskhive(&server).tickets().list().send().await.unwrap();
    // The retry went out no earlier than the announced reset second.
    let reqs = server.received_requests().await.unwrap();
    assert_eq!(reqs.len(), 2);
    assert!(common::unix_now() >= reset);
}

#[tokio::test]
async fn a_spent_window_makes_the_client_wait_instead_of_being_refused() {
    let server = MockServer::start().await;
    let reset = unix_now() + 1;
    Mock::given(path("/external/leads"))
        .respond_with(
            one_lead_page()
                .insert_header("x-ratelimit-limit", "2")
                .insert_header("x-ratelimit-remaining", "0")
                .insert_header("x-ratelimit-reset", reset.to_string().as_str()),
        )
        .mount(&server)
        .await;
    let client = nextcap(&server);
    client.leads().list().send().await.unwrap();
    client.leads().list().send().await.unwrap();
    // The second request was held back until the window reset, not sent and refused.
    assert!(unix_now() >= reset);
    assert_eq!(server.received_requests().await.unwrap().len(), 2);
}

#[tokio::test]
async fn server_errors_are_retried_for_get() {
    let server = MockServer::start().await;
    Mock::given(method("GET")).respond_with(ResponseTemplate::new(503)).up_to_n_times(2).mount(&server).await;
    Mock::given(method("GET")).respond_with(one_lead_page()).mount(&server).await;
    let page = nextcap(&server).leads().list().send().await.unwrap();
    assert_eq!(page.meta.total, 1);
    assert_eq!(server.received_requests().await.unwrap().len(), 3);
}

#[tokio::test]
async fn server_errors_stop_after_max_attempts() {
    let server = MockServer::start().await;
    Mock::given(method("GET")).respond_with(ResponseTemplate::new(500)).mount(&server).await;
    let client = deskapi::NextCapDataClient::builder(DATA_KEY)
        .base_url(server.uri())
        .retry_policy(fast_policy().max_attempts(3))
        .build()
        .unwrap();
    let err = client.leads().list().send().await.unwrap_err();
    assert_eq!(err.status(), Some(500));
    assert_eq!(server.received_requests().await.unwrap().len(), 3);
}

#[tokio::test]
async fn client_errors_are_not_retried() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(
            ResponseTemplate::new(404)
                .set_body_json(json!({"success": false, "error": {"code": "NOT_FOUND", "message": "Lead not found"}})),
        )
        .mount(&server)
        .await;
    let err = nextcap(&server).leads().get("nope").await.unwrap_err();
    let api = err.as_api().unwrap();
    assert!(api.is_not_found());
    assert_eq!(api.code.as_deref(), Some("NOT_FOUND"));
    assert_eq!(api.message, "Lead not found");
    assert_eq!(server.received_requests().await.unwrap().len(), 1);
}

#[tokio::test]
async fn the_total_deadline_is_honoured() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_delay(Duration::from_secs(5)))
        .mount(&server)
        .await;
    let client = deskapi::NextCapDataClient::builder(DATA_KEY)
        .base_url(server.uri())
        .retry_policy(fast_policy().deadline(Duration::from_millis(300)))
        .build()
        .unwrap();
    let started = Instant::now();
    let err = client.leads().list().send().await.unwrap_err();
    assert!(matches!(err, Error::Timeout { deadline } if deadline == Duration::from_millis(300)), "{err:?}");
    assert!(started.elapsed() < Duration::from_secs(4), "the call outlived its deadline: {:?}", started.elapsed());
}

#[tokio::test]
async fn auth_headers_follow_each_api() {
    let server = MockServer::start().await;
    Mock::given(path("/external/leads"))
        .and(header("x-api-key", DATA_KEY))
        .respond_with(one_lead_page())
        .mount(&server)
        .await;
    Mock::given(path("/leads"))
        .and(header("authorization", format!("Bearer {NEXA_KEY}").as_str()))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"success": true, "data": [], "pagination": {"has_more": false, "next_cursor": null, "total_count": 0, "limit": 50}})))
        .mount(&server)
        .await;
    Mock::given(path("/external/connection-check"))
        .and(header("x-api-key", HIVE_KEY))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(json!({"status": true, "message": "Connection check successful"})),
        )
        .mount(&server)
        .await;
    nextcap(&server).leads().list().send().await.unwrap();
    nexadesk(&server).leads().list().send().await.unwrap();
    assert!(deskhive(&server).connection_check().await.unwrap().status);
}

// ---- Server values that must never panic the client (absurd hints, bad headers) -------------

/// A policy with a small maximum wait, so an absurd hint is surfaced at once.
fn short_wait_policy() -> deskapi::RetryPolicy {
    fast_policy().max_rate_limit_wait(Duration::from_secs(2)).deadline(Duration::from_secs(10))
}

#[tokio::test]
async fn an_absurd_retry_after_on_a_429_or_503_is_surfaced_with_its_hint_not_slept_or_panicked() {
    for (status, value) in [(429, "1e20"), (503, "1e20"), (429, "10000000000000000000"), (503, "10000000000000000000")]
    {
        let server = MockServer::start().await;
        Mock::given(path("/external/leads"))
            .respond_with(ResponseTemplate::new(status).insert_header("retry-after", value))
            .mount(&server)
            .await;
        let client = deskapi::NextCapDataClient::builder(DATA_KEY)
            .base_url(server.uri())
            .retry_policy(short_wait_policy())
            .build()
            .unwrap();
        let started = Instant::now();
        let err = client.leads().list().send().await.unwrap_err();
        assert!(started.elapsed() < Duration::from_secs(2), "{status} {value}: slept {:?}", started.elapsed());
        let api = err.as_api().unwrap_or_else(|| panic!("{status} {value}: expected an API error, got {err}"));
        assert_eq!(api.status, status);
        assert!(api.retry_after.is_some_and(|h| h > Duration::from_secs(1_000_000)), "{status} {value}: {api:?}");
        assert_eq!(server.received_requests().await.unwrap().len(), 1, "{status} {value}: not retried");
    }
}

#[tokio::test]
async fn an_absurd_retry_after_in_the_next_cap_body_is_surfaced() {
    let server = MockServer::start().await;
    Mock::given(path("/external/leads"))
        .respond_with(ResponseTemplate::new(429).set_body_json(
            json!({"success": false, "error": {"code": "RATE_LIMITED", "message": "slow down", "retryAfter": 1e20}}),
        ))
        .mount(&server)
        .await;
    let client = deskapi::NextCapDataClient::builder(DATA_KEY)
        .base_url(server.uri())
        .retry_policy(short_wait_policy())
        .build()
        .unwrap();
    let err = client.leads().list().send().await.unwrap_err();
    let api = err.as_api().expect("an API error");
    assert_eq!((api.status, api.code.as_deref(), api.message.as_str()), (429, Some("RATE_LIMITED"), "slow down"));
    assert_eq!(api.retry_after, Some(Duration::MAX));
}

#[tokio::test]
async fn an_out_of_range_reset_on_a_success_never_stops_the_data() {
    for reset in ["9223372036854775808", "18446744073709551615", "-1", "NaN", "tomorrow", "99999999999"] {
        let server = MockServer::start().await;
        Mock::given(path("/external/leads"))
            .respond_with(
                one_lead_page()
                    .insert_header("x-ratelimit-limit", "60")
                    .insert_header("x-ratelimit-remaining", "0")
                    .insert_header("x-ratelimit-reset", reset),
            )
            .mount(&server)
            .await;
        let client = deskapi::NextCapDataClient::builder(DATA_KEY)
            .base_url(server.uri())
            .retry_policy(short_wait_policy())
            .build()
            .unwrap();
        // Twice: the second call must not be held back by a window that ends in a year 2^63.
        for _ in 0..2 {
            let started = Instant::now();
            let page = client.leads().list().send().await.unwrap_or_else(|e| panic!("reset {reset}: {e}"));
            assert_eq!(page.items.len(), 1);
            assert!(started.elapsed() < Duration::from_secs(3), "reset {reset}: waited {:?}", started.elapsed());
        }
    }
}

#[tokio::test]
async fn a_429_with_an_http_date_retry_after_waits_until_that_date() {
    let server = MockServer::start().await;
    // A whole second 3 s ahead, as an IMF-fixdate; the date has one-second resolution, so the
    // wait is between 2 and 3 s (the backoff alone would be a few milliseconds).
    let at = std::time::UNIX_EPOCH + Duration::from_secs(unix_now() + 3);
    Mock::given(path("/external/leads"))
        .respond_with(ResponseTemplate::new(429).insert_header("retry-after", httpdate_of(at).as_str()))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(path("/external/leads")).respond_with(one_lead_page()).mount(&server).await;
    let started = Instant::now();
    nextcap(&server).leads().list().send().await.unwrap();
    assert!(started.elapsed() >= Duration::from_millis(1900), "waited only {:?}", started.elapsed());
    assert!(std::time::SystemTime::now() >= at, "retried before the date");
    assert_eq!(server.received_requests().await.unwrap().len(), 2);
}

#[tokio::test]
async fn a_429_with_a_fractional_retry_after_still_works() {
    let server = MockServer::start().await;
    Mock::given(path("/external/leads"))
        .respond_with(ResponseTemplate::new(429).insert_header("retry-after", "0.5"))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(path("/external/leads")).respond_with(one_lead_page()).mount(&server).await;
    let started = Instant::now();
    nextcap(&server).leads().list().send().await.unwrap();
    assert!(started.elapsed() >= Duration::from_millis(450), "waited only {:?}", started.elapsed());
}

#[tokio::test]
async fn an_http_date_beyond_the_maximum_wait_is_surfaced() {
    let server = MockServer::start().await;
    let at = std::time::SystemTime::now() + Duration::from_secs(3600);
    Mock::given(path("/external/leads"))
        .respond_with(ResponseTemplate::new(429).insert_header("retry-after", httpdate_of(at).as_str()))
        .mount(&server)
        .await;
    let client = deskapi::NextCapDataClient::builder(DATA_KEY)
        .base_url(server.uri())
        .retry_policy(short_wait_policy())
        .build()
        .unwrap();
    let err = client.leads().list().send().await.unwrap_err();
    let hint = err.as_api().and_then(|a| a.retry_after).expect("the hint");
    assert!(hint > Duration::from_secs(3500) && hint <= Duration::from_secs(3600), "{hint:?}");
}

/// An IMF-fixdate (RFC 9110, section 5.6.7), formatted here so the test does not trust the
/// parser it checks.
fn httpdate_of(t: std::time::SystemTime) -> String {
    let secs = t.duration_since(std::time::UNIX_EPOCH).unwrap().as_secs();
    let dt = chrono::DateTime::from_timestamp(secs as i64, 0).unwrap();
    dt.format("%a, %d %b %Y %H:%M:%S GMT").to_string()
}
