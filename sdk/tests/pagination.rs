//! The generic paginator: order, read-ahead bound, laziness and loop guards.

mod common;

use std::time::Duration;

use common::*;
use futures::{StreamExt, TryStreamExt};
use serde_json::json;
use wiremock::matchers::{method, path, query_param, query_param_is_missing};
use wiremock::{Mock, MockServer, ResponseTemplate};

#[tokio::test]
async fn a_stream_yields_every_item_in_order_across_concurrent_pages() {
    let server = MockServer::start().await;
    Mock::given(path("/external/leads"))
        .respond_with(LeadPages { total: 95, delay: Duration::from_millis(5) })
        .mount(&server)
        .await;
    let ids: Vec<String> =
        nextcap(&server).leads().list().per_page(10).stream().map_ok(|l| l.id.to_string()).try_collect().await.unwrap();
    let expected: Vec<String> = (0..95).map(|n| format!("00000000-0000-4000-8000-{n:012}")).collect();
    assert_eq!(ids, expected);
    assert_eq!(server.received_requests().await.unwrap().len(), 10);
}

#[tokio::test]
async fn streams_are_lazy() {
    let server = MockServer::start().await;
    Mock::given(path("/external/leads"))
        .respond_with(LeadPages { total: 50, delay: Duration::ZERO })
        .mount(&server)
        .await;
    let stream = nextcap(&server).leads().list().stream();
    tokio::time::sleep(Duration::from_millis(100)).await;
    assert_eq!(server.received_requests().await.unwrap().len(), 0);
    drop(stream);
}

#[tokio::test]
async fn read_ahead_is_bounded() {
    let server = MockServer::start().await;
    Mock::given(path("/external/leads"))
        .respond_with(LeadPages { total: 200, delay: Duration::ZERO })
        .mount(&server)
        .await;
    let mut stream = nextcap(&server).leads().list().per_page(10).read_ahead(2).stream();
    // Take one item, then stop polling: page 1 plus two pages ahead may be fetched, no more.
    stream.next().await.unwrap().unwrap();
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(server.received_requests().await.unwrap().len(), 3);
    // Working through the page the caller holds does not fetch more either.
    for _ in 0..9 {
        stream.next().await.unwrap().unwrap();
    }
    tokio::time::sleep(Duration::from_millis(100)).await;
    assert_eq!(server.received_requests().await.unwrap().len(), 3);
    // Taking the next page lets one more request out.
    stream.next().await.unwrap().unwrap();
    tokio::time::sleep(Duration::from_millis(200)).await;
    assert_eq!(server.received_requests().await.unwrap().len(), 4);
}

#[tokio::test]
async fn with_read_ahead_one_the_next_cursor_page_is_in_flight_while_the_caller_works() {
    let server = MockServer::start().await;
    Mock::given(path("/leads"))
        .and(query_param_is_missing("cursor"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"success": true, "data": [nexa_lead(1)], "pagination": {"has_more": true, "next_cursor": "Mg", "total_count": 3, "limit": 1}})))
        .mount(&server)
        .await;
    Mock::given(path("/leads"))
        .and(query_param("cursor", "Mg"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"success": true, "data": [nexa_lead(2)], "pagination": {"has_more": true, "next_cursor": "Mw", "total_count": 3, "limit": 1}})))
        .mount(&server)
        .await;
    Mock::given(path("/leads"))
        .and(query_param("cursor", "Mw"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"success": true, "data": [nexa_lead(3)], "pagination": {"has_more": false, "next_cursor": null, "total_count": 3, "limit": 1}})))
        .mount(&server)
        .await;
    let mut stream = nexadesk(&server).leads().list().limit(1).read_ahead(1).stream();
    stream.next().await.unwrap().unwrap();
    tokio::time::sleep(Duration::from_millis(200)).await;
    assert_eq!(
        server.received_requests().await.unwrap().len(),
        2,
        "page 2 should be fetched while page 1 is worked on"
    );
    let rest: Vec<_> = stream.try_collect().await.unwrap();
    assert_eq!(rest.len(), 2);
}

#[tokio::test]
async fn a_repeated_cursor_ends_the_stream() {
    let server = MockServer::start().await;
    // The server keeps answering with the same cursor: a client that trusts it loops forever.
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"success": true, "data": [nexa_lead(1)], "pagination": {"has_more": true, "next_cursor": "MTA", "total_count": 100, "limit": 1}})))
        .mount(&server)
        .await;
    let items: Vec<_> = nexadesk(&server).leads().list().stream().try_collect().await.unwrap();
    assert_eq!(items.len(), 2, "first page, then the page at cursor MTA; MTA again ends it");
    assert_eq!(server.received_requests().await.unwrap().len(), 2);
}

#[tokio::test]
async fn an_empty_cursor_or_an_empty_page_ends_the_stream() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(query_param_is_missing("cursor"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"success": true, "data": [nexa_lead(1)], "pagination": {"has_more": true, "next_cursor": "", "total_count": 5, "limit": 1}})))
        .mount(&server)
        .await;
    let items: Vec<_> = nexadesk(&server).leads().list().stream().try_collect().await.unwrap();
    assert_eq!(items.len(), 1);

    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_json(
            json!({"data": [], "meta": {"current_page": 1, "last_page": 1000000, "per_page": 15, "total": 15000000}}),
        ))
        .mount(&server)
        .await;
    let items: Vec<_> = deskhive(&server).tickets().list().stream().try_collect().await.unwrap();
    assert!(items.is_empty());
    assert_eq!(server.received_requests().await.unwrap().len(), 1, "an empty page must not be followed");
}

#[tokio::test]
async fn an_error_mid_stream_is_yielded_once_and_ends_the_stream() {
    let server = MockServer::start().await;
    Mock::given(query_param("page", "3"))
        .respond_with(
            ResponseTemplate::new(400)
                .set_body_json(json!({"success": false, "error": {"code": "VALIDATION_ERROR", "message": "boom"}})),
        )
        .mount(&server)
        .await;
    Mock::given(path("/external/leads"))
        .respond_with(LeadPages { total: 100, delay: Duration::ZERO })
        .mount(&server)
        .await;
    let results: Vec<_> = nextcap(&server).leads().list().per_page(10).stream().collect().await;
    let oks = results.iter().filter(|r| r.is_ok()).count();
    let errs = results.iter().filter(|r| r.is_err()).count();
    assert_eq!((oks, errs), (20, 1));
    assert!(results.last().unwrap().is_err());
}

#[tokio::test]
async fn pages_and_send_expose_metadata() {
    let server = MockServer::start().await;
    Mock::given(path("/external/leads"))
        .respond_with(LeadPages { total: 45, delay: Duration::ZERO })
        .mount(&server)
        .await;
    let client = nextcap(&server);
    let page = client.leads().list().page(3).send().await.unwrap();
    assert_eq!((page.meta.page, page.meta.total_pages, page.items.len()), (3, 3, 5));
    let metas: Vec<u32> = client.leads().list().pages().map_ok(|p| p.meta.page).try_collect().await.unwrap();
    assert_eq!(metas, vec![1, 2, 3]);
}
