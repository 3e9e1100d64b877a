//! End to end: the guarantees `.stream()` and `.pages()` document (order, at least once,
//! ending only when the list is complete, one pinned snapshot for Next Cap), held against the
//! in-process mock while leads arrive mid-walk. The same guarantees are checked against
//! scripted wiremock envelopes in `sdk/tests/pagination.rs`.

mod support;

use std::collections::HashSet;
use std::time::Duration;

use deskapi::nextcap::Lead;
use deskapi_mock::actions::nextcap::NewLead;
use deskapi_mock::{MockServer, RateLimitSetting};
use futures::{StreamExt, TryStreamExt};
use support::*;

async fn server_with_leads(n: usize) -> MockServer {
    MockServer::builder().rate_limit(RateLimitSetting::Off).leads(n).start().await.expect("mock server starts")
}

fn capture(server: &MockServer, n: usize) {
    for i in 0..n {
        let lead = NewLead {
            org: "acme".into(),
            email: Some(format!("arrived{i}@example.com")),
            name: Some(format!("Arrived {i}")),
            ..NewLead::default()
        };
        server.nextcap().capture_lead(lead).expect("lead captured");
    }
}

/// Streams `request`, capturing `arrivals` leads after the `after`th item (optionally after a
/// pause), and returns every item yielded.
async fn walk_while_leads_arrive(
    server: &MockServer,
    request: deskapi::ListRequest<deskapi::nextcap::data::LeadsQuery>,
    after: usize,
    pause: Duration,
    arrivals: usize,
) -> Vec<Lead> {
    let mut stream = request.stream();
    let mut seen = Vec::new();
    while let Some(item) = stream.next().await {
        seen.push(item.expect("the walk completes"));
        if seen.len() == after {
            tokio::time::sleep(pause).await;
            capture(server, arrivals);
        }
    }
    seen
}

fn id_set(items: &[Lead]) -> HashSet<String> {
    items.iter().map(|l| l.id.to_string()).collect()
}

#[tokio::test]
async fn every_lead_that_existed_for_the_whole_walk_is_yielded_while_leads_arrive() {
    for (per_page, read_ahead) in [(5, None), (10, Some(1)), (5, Some(2)), (7, Some(8))] {
        let server = server_with_leads(45).await;
        let client = nextcap(&server, &server.keys().nextcap_data);
        let before: Vec<Lead> = all(client.leads().list().per_page(100)).await;
        let mut request = client.leads().list().per_page(per_page);
        if let Some(n) = read_ahead {
            request = request.read_ahead(n);
        }
        let seen = walk_while_leads_arrive(&server, request, 20, Duration::ZERO, 6).await;
        let missing: Vec<_> = id_set(&before).difference(&id_set(&seen)).cloned().collect();
        assert!(
            missing.is_empty(),
            "per_page({per_page}) read_ahead({read_ahead:?}): lost {} of {} leads",
            missing.len(),
            before.len()
        );
    }
}

#[tokio::test]
async fn a_pinned_walk_reads_one_snapshot_exactly_once_in_order() {
    let server = server_with_leads(45).await;
    let client = nextcap(&server, &server.keys().nextcap_data);
    let before: Vec<Lead> = all(client.leads().list().per_page(100)).await;
    // The leads arrive well after the walk began (past the pin's one-second margin): the walk
    // neither yields them nor is shifted by them.
    let seen =
        walk_while_leads_arrive(&server, client.leads().list().per_page(5), 10, Duration::from_millis(1500), 6).await;
    let ids = |items: &[Lead]| items.iter().map(|l| l.id.to_string()).collect::<Vec<_>>();
    assert_eq!(ids(&seen), ids(&before), "the same leads, once each, in the API's order");
    // The arrivals are there for the next walk.
    let after: Vec<Lead> = all(client.leads().list().per_page(100)).await;
    assert_eq!(after.len(), before.len() + 6);
}

#[tokio::test]
async fn pages_come_in_order_and_the_walk_ends_at_the_last_page() {
    let server = server_with_leads(23).await;
    let client = nextcap(&server, &server.keys().nextcap_data);
    for read_ahead in [1, 4] {
        let metas: Vec<(u32, u32, usize)> = client
            .leads()
            .list()
            .per_page(5)
            .read_ahead(read_ahead)
            .pages()
            .map_ok(|p| (p.meta.page, p.meta.total_pages, p.items.len()))
            .try_collect()
            .await
            .unwrap();
        assert_eq!(metas, vec![(1, 5, 5), (2, 5, 5), (3, 5, 5), (4, 5, 5), (5, 5, 3)], "read_ahead({read_ahead})");
    }
}

#[tokio::test]
async fn cursor_and_laravel_walks_against_the_mock_yield_every_item_once() {
    let server = support::server().await;
    let nexa = nexadesk(&server, &server.keys().nexadesk_read_only);
    let first = nexa.leads().list().limit(3).send().await.unwrap();
    let total = first.meta.total_count.expect("the mock reports a total") as usize;
    let streamed: Vec<_> = nexa.leads().list().limit(3).stream().try_collect().await.unwrap();
    assert_eq!(streamed.len(), total);
    let distinct: HashSet<_> = streamed.iter().map(|l| l.id.to_string()).collect();
    assert_eq!(distinct.len(), total, "no duplicates");

    let hive = deskhive(&server, &server.keys().deskhive_agent);
    let first = hive.tickets().list().send().await.unwrap();
    let streamed: Vec<_> = hive.tickets().list().stream().try_collect().await.unwrap();
    assert_eq!(streamed.len() as u64, first.meta.total);
}
