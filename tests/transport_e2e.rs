//! End to end: retries, faults and rate limiting between the SDK and the mock.

mod support;

use std::time::Duration;

use deskapi::NextCapDataClient;
use deskapi_mock::{Fault, MockServer, RateLimitSetting};
use futures::TryStreamExt;
use support::*;

#[tokio::test]
async fn an_injected_server_error_is_retried_for_a_get() {
    let server = server().await;
    server.add_fault(Fault {
        operation_id: Some("listLeads".into()),
        status: Some(503),
        times: Some(2),
        ..Fault::default()
    });
    let client = nextcap(&server, &server.keys().nextcap_data);
    let page = client.leads().list().send().await.unwrap();
    assert!(!page.items.is_empty());
    let statuses: Vec<u16> = server.requests().iter().map(|e| e.status).collect();
    assert_eq!(statuses, vec![503, 503, 200]);
}

#[tokio::test]
async fn a_dropped_connection_is_retried_for_a_get() {
    let server = server().await;
    server.add_fault(Fault {
        operation_id: Some("listLeads".into()),
        drop_connection: true,
        times: Some(1),
        ..Fault::default()
    });
    let client = nextcap(&server, &server.keys().nextcap_data);
    assert!(client.leads().list().send().await.is_ok());
    assert!(server.requests().len() >= 2);
}

#[tokio::test]
async fn a_stream_under_a_tight_rate_limit_waits_instead_of_failing() {
    // 4 requests per 1-second window; streaming 10 pages needs at least two resets.
    let server = MockServer::builder()
        .rate_limit(RateLimitSetting::Custom { requests: 4, window: Duration::from_secs(1) })
        .start()
        .await
        .unwrap();
    let client =
        NextCapDataClient::builder(server.keys().nextcap_data.as_str()).base_url(server.nextcap_url()).build().unwrap();
    let total = client.leads().list().per_page(5).send().await.unwrap().meta.total;
    let leads: Vec<_> = client.leads().list().per_page(5).stream().try_collect().await.unwrap();
    assert_eq!(leads.len() as u64, total);
    let journal = server.requests();
    let refused = journal.iter().filter(|e| e.status == 429).count();
    assert!(journal.len() >= 10);
    // The limiter knows the window from the headers, so it does not walk into 429s.
    assert!(refused <= 1, "{refused} requests were refused with 429");
}

#[tokio::test]
async fn a_429_from_the_mock_is_waited_out_and_retried() {
    let server = server().await;
    server.add_fault(Fault {
        operation_id: Some("listLeads".into()),
        status: Some(429),
        headers: [("retry-after".to_owned(), "1".to_owned())].into(),
        times: Some(1),
        ..Fault::default()
    });
    let client = nexadesk_or_nextcap(&server);
    let started = std::time::Instant::now();
    client.leads().list().send().await.unwrap();
    let waited = started.elapsed();
    assert!(waited >= Duration::from_millis(900), "retried too early: {waited:?}");
    // Loose on purpose (shared machines): it must not wait for the whole rate-limit window.
    assert!(waited < Duration::from_secs(10), "a 1 s Retry-After was stretched to {waited:?}");
    assert_eq!(server.requests().iter().map(|e| e.status).collect::<Vec<_>>(), vec![429, 200]);
}

fn nexadesk_or_nextcap(server: &MockServer) -> NextCapDataClient {
    nextcap(server, &server.keys().nextcap_data)
}

#[tokio::test]
async fn latency_beyond_the_deadline_is_a_timeout() {
    let server = server().await;
    server.add_fault(Fault { delay_ms: 3_000, times: None, ..Fault::default() });
    let client = NextCapDataClient::builder(server.keys().nextcap_data.as_str())
        .base_url(server.nextcap_url())
        .retry_policy(policy().deadline(Duration::from_millis(400)))
        .build()
        .unwrap();
    let err = client.leads().list().send().await.unwrap_err();
    assert!(matches!(err, deskapi::Error::Timeout { .. }), "{err:?}");
}
