//! Helpers the NexaDesk stub-server tests share: a client that never retries, request
//! inspection, a scripted cursor walk, and the "refused before sending" assertion.
#![allow(dead_code)]

use deskapi::Error;
use serde_json::{Value, json};
use wiremock::matchers::{query_param, query_param_is_missing};
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::common::NEXA_KEY;

/// A client that makes one attempt (429s surfaced at once), so an error status reaches the
/// caller unretried.
pub fn once(server: &MockServer) -> deskapi::NexaDeskClient {
    deskapi::NexaDeskClient::builder(NEXA_KEY)
        .base_url(server.uri())
        .retry_policy(deskapi::RetryPolicy::none())
        .build()
        .unwrap()
}

/// The query pairs of every request the server saw, in order, each sorted by name.
pub async fn queries(server: &MockServer) -> Vec<Vec<(String, String)>> {
    let requests = server.received_requests().await.unwrap();
    requests
        .iter()
        .map(|r| {
            let mut q: Vec<(String, String)> = r.url.query_pairs().into_owned().collect();
            q.sort();
            q
        })
        .collect()
}

/// Owned query pairs, for comparing with [`queries`].
pub fn pairs(items: &[(&str, &str)]) -> Vec<(String, String)> {
    items.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())).collect()
}

/// The JSON bodies of every request the server saw, in order (`null` for none).
pub async fn bodies(server: &MockServer) -> Vec<Value> {
    let requests = server.received_requests().await.unwrap();
    requests
        .iter()
        .map(|r| if r.body.is_empty() { Value::Null } else { serde_json::from_slice(&r.body).expect("a JSON body") })
        .collect()
}

/// Asserts `result` is the SDK's own refusal of `field`.
pub fn refused<T: std::fmt::Debug>(result: Result<T, Error>, field: &str) {
    match result {
        Err(Error::InvalidArgument { name, .. }) => assert_eq!(name, field),
        other => panic!("expected {field} to be refused, got {other:?}"),
    }
}

/// Serves `pages` of items as a NexaDesk cursor list: the first without `cursor`, page `n`
/// (1-based) at `cursor=c{n}`, the last with `has_more: false`.
pub async fn cursor_pages(server: &MockServer, pages: Vec<Vec<Value>>) {
    let total: usize = pages.iter().map(Vec::len).sum();
    let count = pages.len();
    for (i, items) in pages.into_iter().enumerate() {
        let next = (i + 1 < count).then(|| format!("c{}", i + 1));
        let body = json!({
            "success": true, "data": items,
            "pagination": {"has_more": next.is_some(), "next_cursor": next, "total_count": total, "limit": 2}
        });
        let matcher = if i == 0 {
            Mock::given(query_param_is_missing("cursor"))
        } else {
            Mock::given(query_param("cursor", format!("c{i}")))
        };
        matcher.respond_with(ResponseTemplate::new(200).set_body_json(body)).expect(1).mount(server).await;
    }
}

/// Asserts that the server saw exactly one request per `expected` body, in order, each body
/// equal to its object and naming each key once (checked on the raw text, as a parsed `Value`
/// would merge a duplicate key).
pub async fn assert_bodies_exactly(server: &MockServer, expected: &[Value]) {
    let requests = server.received_requests().await.unwrap();
    assert_eq!(requests.len(), expected.len(), "one request per expected body");
    for (request, expected) in requests.iter().zip(expected) {
        let body = std::str::from_utf8(&request.body).expect("a UTF-8 body");
        let parsed: Value = serde_json::from_str(body).expect("a JSON body");
        assert_eq!(&parsed, expected, "body {body}");
        for key in expected.as_object().expect("an object").keys() {
            assert_eq!(body.matches(&format!("\"{key}\":")).count(), 1, "{key} once in {body}");
        }
    }
}
