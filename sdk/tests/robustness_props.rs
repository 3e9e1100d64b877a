//! Property tests: no value a server sends in the fields the SDK schedules on can panic it or
//! make it wait beyond its bounds. Arbitrary text and numbers go into `Retry-After`,
//! `X-RateLimit-Limit`/`-Remaining`/`-Reset`, the Next Cap error body's `retryAfter`, and the
//! pagination envelopes' numbers and cursors; every call must return (data, or a typed error)
//! within the configured maximum wait plus a small margin.

mod common;

use std::time::{Duration, Instant};

use common::*;
use futures::StreamExt;
use proptest::prelude::*;
use serde_json::json;
use wiremock::matchers::any as any_request;
use wiremock::{Mock, MockServer, ResponseTemplate};

/// The longest wait a hint may impose in these tests; beyond it a 429 is surfaced.
const MAX_WAIT: Duration = Duration::from_millis(300);
/// Margin for the backoff, the requests and a loaded machine.
const SLACK: Duration = Duration::from_secs(3);

fn config() -> ProptestConfig {
    // Each case is a real HTTP exchange; a few dozen per field keep the suite quick.
    ProptestConfig { cases: 48, failure_persistence: None, ..ProptestConfig::default() }
}

/// Header text: numbers of every size and sign, floats, dates, and arbitrary visible ASCII.
fn header_text() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<u64>().prop_map(|n| n.to_string()),
        any::<i64>().prop_map(|n| n.to_string()),
        any::<u128>().prop_map(|n| n.to_string()),
        any::<f64>().prop_map(|n| n.to_string()),
        (0u64..=u64::MAX / 2).prop_map(|n| format!("{n}.{}", n % 1000)),
        Just("NaN".to_owned()),
        Just("-inf".to_owned()),
        Just("1e20".to_owned()),
        Just("9223372036854775808".to_owned()),
        Just("18446744073709551615".to_owned()),
        (0i64..=253_402_300_799).prop_map(|secs| {
            chrono::DateTime::from_timestamp(secs, 0).unwrap().format("%a, %d %b %Y %H:%M:%S GMT").to_string()
        }),
        "[ -~]{0,40}",
    ]
}

/// A JSON value for a numeric body field: any number, huge integers, strings, nonsense.
fn json_number_ish() -> impl Strategy<Value = serde_json::Value> {
    prop_oneof![
        any::<f64>().prop_map(|n| serde_json::Number::from_f64(n).map_or(json!(null), serde_json::Value::Number)),
        any::<u64>().prop_map(|n| json!(n)),
        any::<i64>().prop_map(|n| json!(n)),
        header_text().prop_map(|s| json!(s)),
        Just(json!(null)),
        Just(json!([1, 2])),
        Just(json!({"seconds": 5})),
    ]
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap()
}

fn client(server: &MockServer) -> deskapi::NextCapDataClient {
    deskapi::NextCapDataClient::builder(DATA_KEY)
        .base_url(server.uri())
        .timeout(Duration::from_secs(2))
        .retry_policy(fast_policy().max_rate_limit_wait(MAX_WAIT).deadline(Duration::from_secs(10)))
        .build()
        .unwrap()
}

fn ok_page() -> ResponseTemplate {
    ResponseTemplate::new(200)
        .set_body_json(json!({"data": [lead(1)], "meta": {"page": 1, "per_page": 20, "total": 1, "total_pages": 1}}))
}

/// Sends one list call in its own task (a panic becomes a test failure with the input) and
/// checks it returned within the bound.
async fn bounded_call(server: &MockServer) -> Result<Result<usize, deskapi::Error>, String> {
    let c = client(server);
    let started = Instant::now();
    let result = tokio::spawn(async move { c.leads().list().send().await.map(|p| p.items.len()) })
        .await
        .map_err(|e| format!("the SDK panicked: {e}"))?;
    let took = started.elapsed();
    if took > MAX_WAIT + SLACK {
        return Err(format!("waited {took:?}, beyond the maximum"));
    }
    Ok(result)
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn any_retry_after_on_a_429_or_503_returns_within_the_bound(value in header_text(), status in prop_oneof![Just(429u16), Just(503u16)]) {
        let rt = runtime();
        let outcome = rt.block_on(async {
            let server = MockServer::start().await;
            let Ok(header) = http::HeaderValue::from_str(&value) else { return Ok(Ok(1)) };
            Mock::given(any_request())
                .respond_with(ResponseTemplate::new(status).insert_header("retry-after", header))
                .up_to_n_times(1)
                .mount(&server)
                .await;
            Mock::given(any_request()).respond_with(ok_page()).mount(&server).await;
            bounded_call(&server).await
        });
        let result = outcome.map_err(|e| TestCaseError::fail(format!("{value:?}: {e}")))?;
        // Either the retry got the data, or the hint was too long and the error says so.
        match result {
            Ok(n) => prop_assert_eq!(n, 1),
            Err(e) => prop_assert_eq!(e.status(), Some(status), "{:?}: {}", value, e),
        }
    }

    #[test]
    fn any_rate_limit_headers_on_a_success_never_stop_the_data(
        limit in header_text(), remaining in header_text(), reset in header_text()
    ) {
        let rt = runtime();
        let outcome = rt.block_on(async {
            let server = MockServer::start().await;
            let mut page = ok_page();
            for (name, value) in [("x-ratelimit-limit", &limit), ("x-ratelimit-remaining", &remaining), ("x-ratelimit-reset", &reset)] {
                if let Ok(v) = http::HeaderValue::from_str(value) {
                    page = page.insert_header(name, v);
                }
            }
            Mock::given(any_request()).respond_with(page).mount(&server).await;
            // Twice: the second call is scheduled on what the first response said.
            let first = bounded_call(&server).await?;
            let second = bounded_call(&server).await?;
            Ok::<_, String>((first, second))
        });
        let (first, second) = outcome.map_err(|e| TestCaseError::fail(format!("{limit:?} {remaining:?} {reset:?}: {e}")))?;
        prop_assert_eq!(first.map_err(|e| e.to_string()), Ok(1));
        // A spent window may hold the second call up to the maximum wait, then it goes out.
        prop_assert_eq!(second.map_err(|e| e.to_string()), Ok(1));
    }

    #[test]
    fn any_next_cap_body_retry_after_returns_within_the_bound(value in json_number_ish()) {
        let rt = runtime();
        let outcome = rt.block_on(async {
            let server = MockServer::start().await;
            let body = json!({"success": false, "error": {"code": "RATE_LIMITED", "message": "slow", "retryAfter": value}});
            Mock::given(any_request()).respond_with(ResponseTemplate::new(429).set_body_json(body)).up_to_n_times(1).mount(&server).await;
            Mock::given(any_request()).respond_with(ok_page()).mount(&server).await;
            bounded_call(&server).await
        });
        let result = outcome.map_err(|e| TestCaseError::fail(format!("{value}: {e}")))?;
        match result {
            Ok(n) => prop_assert_eq!(n, 1),
            Err(e) => {
                let api = e.as_api().ok_or_else(|| TestCaseError::fail(format!("{value}: {e}")))?;
                prop_assert_eq!(api.status, 429);
                prop_assert!(api.retry_after.is_some_and(|h| h > MAX_WAIT), "{}: surfaced without a long hint", value);
            }
        }
    }

    #[test]
    fn any_pagination_envelope_ends_the_walk_without_panic(
        page in any::<u32>(), total_pages in any::<u32>(), per_page in any::<u32>(), total in any::<u64>(),
        has_more in any::<bool>(), cursor in proptest::option::of("[ -~]{0,12}"), read_ahead in 1usize..6,
    ) {
        let rt = runtime();
        let outcome: Result<(), String> = rt.block_on(async {
            // The same envelope whatever was asked: a walk must end (complete or incomplete),
            // never loop, never panic.
            let server = MockServer::start().await;
            Mock::given(wiremock::matchers::path("/external/leads"))
                .respond_with(ResponseTemplate::new(200).set_body_json(json!({"data": [lead(1)], "meta": {"page": page, "per_page": per_page, "total": total, "total_pages": total_pages}})))
                .mount(&server)
                .await;
            Mock::given(wiremock::matchers::path("/leads"))
                .respond_with(ResponseTemplate::new(200).set_body_json(json!({"success": true, "data": [nexa_lead(1)], "pagination": {"has_more": has_more, "next_cursor": cursor, "total_count": total, "limit": per_page}})))
                .mount(&server)
                .await;
            let walks = async {
                let a = tokio::spawn(nextcap(&server).leads().list().read_ahead(read_ahead).stream().collect::<Vec<_>>());
                let b = tokio::spawn(nexadesk(&server).leads().list().stream().collect::<Vec<_>>());
                let (a, b) = (a.await.map_err(|e| e.to_string())?, b.await.map_err(|e| e.to_string())?);
                Ok::<_, String>((a.len(), b.len()))
            };
            let (a, b) = tokio::time::timeout(Duration::from_secs(10), walks).await.map_err(|_| "a walk did not end".to_owned())??;
            // At most: the first page, one more, and the error that ends it.
            if a > 3 || b > 3 {
                return Err(format!("walks yielded {a} and {b} results from one repeated envelope"));
            }
            Ok(())
        });
        outcome.map_err(TestCaseError::fail)?;
    }
}
