//! The generic paginator: order, read-ahead bound, laziness and loop guards.

mod common;

use std::time::Duration;

use common::*;
use deskapi::Error;
use futures::{StreamExt, TryStreamExt};
use serde_json::json;
use wiremock::matchers::{method, path, query_param, query_param_is_missing};
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

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
    let results: Vec<_> = nexadesk(&server).leads().list().stream().collect().await;
    let items: Vec<_> = results.iter().filter_map(|r| r.as_ref().ok()).collect();
    assert_eq!(items.len(), 2, "first page, then the page at cursor MTA; MTA again ends it");
    // It ends saying the list is incomplete, not as if it were complete.
    assert!(matches!(results.last(), Some(Err(Error::IncompleteList { .. }))), "{:?}", results.last());
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
    let results: Vec<_> = nexadesk(&server).leads().list().stream().collect().await;
    assert_eq!(results.iter().filter(|r| r.is_ok()).count(), 1);
    assert!(matches!(results.last(), Some(Err(Error::IncompleteList { .. }))), "more was promised: {results:?}");

    // An empty page that promises a million more, and answers every page as page 1: a
    // bounded number of requests, then the error.
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_json(
            json!({"data": [], "meta": {"current_page": 1, "last_page": 1000000, "per_page": 15, "total": 15000000}}),
        ))
        .mount(&server)
        .await;
    let results: Vec<_> = deskhive(&server).tickets().list().stream().collect().await;
    assert_eq!(results.len(), 1, "no items, one error: {results:?}");
    assert!(matches!(results[0], Err(Error::IncompleteList { .. })), "{results:?}");
    let sent = server.received_requests().await.unwrap().len();
    assert!(sent <= 16 + deskapi::DEFAULT_READ_AHEAD, "{sent} requests: an empty run must be bounded");
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

// ---- A walk ends only when the server says the list is complete ------------------------------

/// Next Cap pages scripted by number: `pages[n - 1]` holds page n's lead numbers; every page
/// reports itself truthfully with `total_pages` from `total_pages(n)`.
struct ScriptedPages {
    pages: Vec<Vec<u32>>,
    total_pages: fn(u32) -> u32,
}

impl Respond for ScriptedPages {
    fn respond(&self, req: &Request) -> ResponseTemplate {
        let page: u32 = req.url.query_pairs().find(|(k, _)| k == "page").and_then(|(_, v)| v.parse().ok()).unwrap_or(1);
        let items: Vec<_> =
            self.pages.get(page as usize - 1).cloned().unwrap_or_default().into_iter().map(lead).collect();
        let total_pages = (self.total_pages)(page);
        ResponseTemplate::new(200).set_body_json(
            json!({"data": items, "meta": {"page": page, "per_page": 1, "total": total_pages, "total_pages": total_pages}}),
        )
    }
}

fn ids(items: &[deskapi::nextcap::Lead]) -> Vec<String> {
    items.iter().map(|l| l.id.to_string()).collect()
}

fn lead_ids(ns: &[u32]) -> Vec<String> {
    ns.iter().map(|n| lead(*n)["id"].as_str().unwrap().to_owned()).collect()
}

#[tokio::test]
async fn an_empty_cursor_page_that_promises_more_is_not_the_end() {
    let server = MockServer::start().await;
    let page = |data: Vec<serde_json::Value>, more: bool, cursor: Option<&str>| {
        ResponseTemplate::new(200).set_body_json(json!({"success": true, "data": data, "pagination": {"has_more": more, "next_cursor": cursor, "total_count": 2, "limit": 1}}))
    };
    Mock::given(query_param_is_missing("cursor"))
        .respond_with(page(vec![nexa_lead(1)], true, Some("c1")))
        .mount(&server)
        .await;
    Mock::given(query_param("cursor", "c1")).respond_with(page(vec![], true, Some("c2"))).mount(&server).await;
    Mock::given(query_param("cursor", "c2")).respond_with(page(vec![nexa_lead(2)], false, None)).mount(&server).await;
    let items: Vec<_> = nexadesk(&server).leads().list().stream().try_collect().await.unwrap();
    let names: Vec<_> = items.iter().map(|l| l.id.to_string()).collect();
    assert_eq!(names, vec!["lead-1", "lead-2"]);
}

#[tokio::test]
async fn an_empty_numbered_page_is_not_the_end_and_read_ahead_never_changes_the_data() {
    let server = MockServer::start().await;
    Mock::given(path("/external/leads"))
        .respond_with(ScriptedPages { pages: vec![vec![1], vec![], vec![2]], total_pages: |_| 3 })
        .mount(&server)
        .await;
    for read_ahead in [1, 2, 4, 8] {
        let items: Vec<_> =
            nextcap(&server).leads().list().read_ahead(read_ahead).stream().try_collect().await.unwrap();
        assert_eq!(ids(&items), lead_ids(&[1, 2]), "read_ahead({read_ahead})");
    }
}

#[tokio::test]
async fn a_server_that_ignores_the_page_number_ends_with_an_incomplete_list_not_duplicates() {
    let server = MockServer::start().await;
    Mock::given(path("/external/leads"))
        .respond_with(ResponseTemplate::new(200).set_body_json(
            json!({"data": [lead(1), lead(2)], "meta": {"page": 1, "per_page": 2, "total": 6, "total_pages": 3}}),
        ))
        .mount(&server)
        .await;
    for read_ahead in [1, 4] {
        let results: Vec<_> = nextcap(&server).leads().list().read_ahead(read_ahead).stream().collect().await;
        let items: Vec<_> = results.iter().filter_map(|r| r.as_ref().ok()).cloned().collect();
        assert_eq!(ids(&items), lead_ids(&[1, 2]), "read_ahead({read_ahead}): no duplicates");
        let Some(Err(Error::IncompleteList { pages, reason })) = results.last() else {
            panic!("read_ahead({read_ahead}): must end with an incomplete-list error: {results:?}")
        };
        assert_eq!(*pages, 1);
        assert!(reason.contains("page 2") && reason.contains("page 1"), "{reason}");
    }
    // Desk Hive's numbered pages are checked the same way.
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(
                json!({"data": [], "meta": {"current_page": 1, "last_page": 3, "per_page": 1, "total": 3}}),
            ),
        )
        .mount(&server)
        .await;
    let results: Vec<_> = deskhive(&server).tickets().list().pages().collect().await;
    assert!(matches!(results.last(), Some(Err(Error::IncompleteList { .. }))), "{results:?}");
}

#[tokio::test]
async fn more_promised_without_a_cursor_is_an_incomplete_list() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"success": true, "data": [nexa_lead(1)], "pagination": {"has_more": true, "next_cursor": null, "total_count": 9, "limit": 1}})))
        .mount(&server)
        .await;
    let results: Vec<_> = nexadesk(&server).leads().list().stream().collect().await;
    assert!(results[0].is_ok());
    assert!(
        matches!(&results[1], Err(Error::IncompleteList { reason, .. }) if reason.contains("no cursor")),
        "{results:?}"
    );
    assert_eq!(results.len(), 2);
}

#[tokio::test]
async fn the_walk_follows_the_newest_total_pages() {
    // Page 1 says 2 pages; page 2 (rows arrived meanwhile) says 3: page 3 must be fetched.
    let server = MockServer::start().await;
    Mock::given(path("/external/leads"))
        .respond_with(ScriptedPages {
            pages: vec![vec![1], vec![2], vec![3]],
            total_pages: |page| if page == 1 { 2 } else { 3 },
        })
        .mount(&server)
        .await;
    for read_ahead in [1, 4] {
        let items: Vec<_> =
            nextcap(&server).leads().list().read_ahead(read_ahead).stream().try_collect().await.unwrap();
        assert_eq!(ids(&items), lead_ids(&[1, 2, 3]), "read_ahead({read_ahead})");
    }
}

#[tokio::test]
async fn next_cap_walks_are_pinned_with_created_before_unless_the_caller_set_one() {
    let server = MockServer::start().await;
    Mock::given(path("/external/leads"))
        .respond_with(LeadPages { total: 30, delay: Duration::ZERO })
        .mount(&server)
        .await;
    let before = chrono::Utc::now();
    let items: Vec<_> = nextcap(&server).leads().list().per_page(10).stream().try_collect().await.unwrap();
    assert_eq!(items.len(), 30);
    let mut reqs = server.received_requests().await.unwrap();
    reqs.sort_by_key(|r| r.url.query_pairs().find(|(k, _)| k == "page").map(|(_, v)| v.into_owned()));
    let pins: Vec<Option<String>> = reqs
        .iter()
        .map(|r| r.url.query_pairs().find(|(k, _)| k == "created_before").map(|(_, v)| v.into_owned()))
        .collect();
    assert_eq!(pins[0], None, "the first page is what the pin is taken from");
    let pin = pins[1].clone().expect("page 2 is pinned");
    assert!(pins[1..].iter().all(|p| p.as_deref() == Some(pin.as_str())), "one pin for the walk: {pins:?}");
    let pin = chrono::DateTime::parse_from_rfc3339(&pin).expect("RFC 3339");
    // The server's Date (whole seconds) plus one second: after the walk began, within seconds.
    assert!(pin > before && pin < before + chrono::Duration::seconds(5), "{pin} vs {before}");

    // A caller's own bound is kept, never replaced.
    let server = MockServer::start().await;
    Mock::given(path("/external/leads"))
        .respond_with(LeadPages { total: 30, delay: Duration::ZERO })
        .mount(&server)
        .await;
    let bound = chrono::NaiveDate::from_ymd_opt(2026, 1, 1).unwrap();
    let items: Vec<_> =
        nextcap(&server).leads().list().per_page(10).created_before(bound).stream().try_collect().await.unwrap();
    assert_eq!(items.len(), 30);
    for r in server.received_requests().await.unwrap() {
        let pins: Vec<_> =
            r.url.query_pairs().filter(|(k, _)| k == "created_before").map(|(_, v)| v.into_owned()).collect();
        assert_eq!(pins, vec!["2026-01-01".to_owned()]);
    }
}

#[tokio::test]
async fn cursor_and_desk_hive_walks_send_no_pin() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_json(
            json!({"data": [], "meta": {"current_page": 1, "last_page": 1, "per_page": 15, "total": 0}}),
        ))
        .mount(&server)
        .await;
    let _: Vec<_> = deskhive(&server).tickets().list().stream().try_collect().await.unwrap();
    let req = &server.received_requests().await.unwrap()[0];
    assert!(req.url.query_pairs().all(|(k, _)| k != "created_before"));
}
