//! Error decoding per API, decode failures and invalid arguments.

mod common;
#[path = "support/raw_http.rs"]
mod raw_http;

use std::time::Duration;

use common::*;
use deskapi::{Error, nextcap::LeadSource};
use serde_json::json;
use wiremock::matchers::method;
use wiremock::{Mock, MockServer, ResponseTemplate};

#[tokio::test]
async fn malformed_json_gives_a_decode_error_naming_the_path() {
    let server = MockServer::start().await;
    let mut bad = lead(2);
    bad["created_at"] = json!("last tuesday");
    let body = json!({"data": [lead(1), bad], "meta": {"page": 1, "per_page": 20, "total": 2, "total_pages": 1}});
    Mock::given(method("GET")).respond_with(ResponseTemplate::new(200).set_body_json(body)).mount(&server).await;
    let err = nextcap(&server).leads().list().send().await.unwrap_err();
    let Error::Decode(d) = err else { panic!("expected a decode error, got {err:?}") };
    assert_eq!(d.path, "data[1].created_at");
    assert!(d.body.contains("last tuesday"));
}

#[tokio::test]
async fn an_html_error_page_is_an_api_error_not_a_decode_error() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(502).set_body_raw("<html><body>Bad Gateway</body></html>", "text/html"))
        .mount(&server)
        .await;
    let client = deskapi::NexaDeskClient::builder(NEXA_KEY)
        .base_url(server.uri())
        .retry_policy(fast_policy().max_attempts(1))
        .build()
        .unwrap();
    let err = client.leads().list().send().await.unwrap_err();
    let api = err.as_api().expect("an API error");
    assert_eq!(api.status, 502);
    assert!(api.body.contains("Bad Gateway"));
    assert!(api.message.contains("502"));
}

#[tokio::test]
async fn next_cap_validation_errors_keep_code_and_field_details() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(400).insert_header("x-request-id", "req-42").set_body_json(json!({
            "success": false,
            "error": {"code": "VALIDATION_ERROR", "message": "Invalid query", "details": [{"field": "created_after", "message": "must be ISO 8601"}]}
        })))
        .mount(&server)
        .await;
    let err = nextcap(&server).leads().list().send().await.unwrap_err();
    let api = err.as_api().unwrap();
    assert_eq!(api.code.as_deref(), Some("VALIDATION_ERROR"));
    assert_eq!(api.details[0].field, "created_after");
    assert_eq!(api.request_id.as_deref(), Some("req-42"));
    assert!(err.to_string().contains("created_after: must be ISO 8601"), "{err}");
}

#[tokio::test]
async fn nexadesk_string_errors_and_desk_hive_field_errors_are_decoded() {
    let server = MockServer::start().await;
    Mock::given(wiremock::matchers::path("/leads"))
        .respond_with(
            ResponseTemplate::new(403).set_body_json(json!({"success": false, "error": "Insufficient scope"})),
        )
        .mount(&server)
        .await;
    Mock::given(wiremock::matchers::path("/external/tickets"))
        .respond_with(ResponseTemplate::new(422).set_body_json(json!({"message": "The given data was invalid.", "errors": {"status": ["The selected status is invalid."]}})))
        .mount(&server)
        .await;
    let e = nexadesk(&server).leads().list().send().await.unwrap_err();
    assert_eq!(e.as_api().unwrap().message, "Insufficient scope");
    assert!(e.as_api().unwrap().is_forbidden());
    let e = deskhive(&server).tickets().list().send().await.unwrap_err();
    let api = e.as_api().unwrap();
    assert_eq!(api.status, 422);
    assert_eq!(api.details[0].field, "status");
    assert_eq!(api.details[0].message, "The selected status is invalid.");
}

#[tokio::test]
async fn invalid_arguments_fail_before_any_request() {
    let server = MockServer::start().await;
    let nc = nextcap(&server);
    let cases: Vec<(&str, deskapi::Result<_>)> = vec![
        ("per_page", nc.leads().list().per_page(0).send().await),
        ("per_page", nc.leads().list().per_page(101).send().await),
        ("email", nc.leads().list().email("  ").send().await),
        ("source", nc.leads().list().source("carrier_pigeon".parse::<LeadSource>().unwrap()).send().await),
        ("page", nc.leads().list().page(0).send().await),
        (
            "created_before",
            nc.leads()
                .list()
                .created_after(chrono::NaiveDate::from_ymd_opt(2026, 5, 1).unwrap())
                .created_before(chrono::NaiveDate::from_ymd_opt(2026, 4, 1).unwrap())
                .send()
                .await,
        ),
    ];
    for (name, result) in cases {
        match result {
            Err(Error::InvalidArgument { name: got, .. }) => assert_eq!(got, name),
            other => panic!("{name}: expected InvalidArgument, got {other:?}"),
        }
    }
    assert!(matches!(nc.leads().get("").await, Err(Error::InvalidArgument { name, .. }) if name == "id"));
    assert!(matches!(nexadesk(&server).leads().list().limit(500).send().await, Err(Error::InvalidArgument { .. })));
    assert!(matches!(deskhive(&server).tickets().list().per_page(0).send().await, Err(Error::InvalidArgument { .. })));
    assert_eq!(server.received_requests().await.unwrap().len(), 0, "nothing may be sent");
}

#[test]
fn clients_check_keys_and_urls_when_built() {
    use deskapi::{DeskHiveClient, NexaDeskClient, NextCapCrmClient, NextCapDataClient};
    assert!(NextCapDataClient::new("sk_live_abc").is_ok());
    assert!(NextCapCrmClient::new("nextcap_ck_abc").is_ok());
    assert!(NexaDeskClient::new("fc_live_abc").is_ok());
    let wrong = NextCapDataClient::new("nextcap_ck_abc").unwrap_err().to_string();
    assert!(wrong.contains("NextCapCrmClient"), "{wrong}");
    assert!(NexaDeskClient::new("sk_live_abc").is_err());
    assert!(NextCapDataClient::builder("sk_live_abc").base_url("not a url").build().is_err());
    let hive = DeskHiveClient::builder("key").build().unwrap_err().to_string();
    assert!(hive.contains("self-hosted"), "{hive}");
    assert!(DeskHiveClient::new("https://help.example.com/api/v1", "key").is_ok());
    assert!(DeskHiveClient::new("https://help.example.com/api/v1", "").is_err());
}

// ---- Errors that say what happened ----------------------------------------------------------

#[tokio::test]
async fn a_body_that_stalls_past_the_timeout_is_a_timeout_not_a_transport_error() {
    let body = json!({"data": lead(1)}).to_string().into_bytes();
    let stall = raw_http::Step::StallMidBody { status: 200, body, stall: Duration::from_secs(30) };
    let server = raw_http::RawServer::start(vec![], stall).await;
    for policy in [deskapi::RetryPolicy::none(), fast_policy().max_attempts(2)] {
        let client = deskapi::NextCapDataClient::builder(DATA_KEY)
            .base_url(server.uri())
            .timeout(Duration::from_millis(300))
            .retry_policy(policy.deadline(Duration::from_secs(10)))
            .build()
            .unwrap();
        let started = std::time::Instant::now();
        let err = client.leads().get("l1").await.unwrap_err();
        assert!(matches!(err, Error::Timeout { .. }), "expected a timeout, got {err:?}");
        assert!(started.elapsed() < Duration::from_secs(5), "took {:?}", started.elapsed());
    }
}

#[tokio::test]
async fn a_response_that_never_starts_is_a_timeout() {
    let stall = raw_http::Step::StallBeforeHeaders(Duration::from_secs(30));
    let server = raw_http::RawServer::start(vec![], stall).await;
    let client = deskapi::NextCapDataClient::builder(DATA_KEY)
        .base_url(server.uri())
        .timeout(Duration::from_millis(300))
        .retry_policy(deskapi::RetryPolicy::none())
        .build()
        .unwrap();
    let err = client.leads().get("l1").await.unwrap_err();
    assert!(matches!(err, Error::Timeout { deadline } if deadline == Duration::from_millis(300)), "{err:?}");
}

#[tokio::test]
async fn a_timestamp_without_offset_names_the_field_the_expected_form_and_the_value() {
    let server = MockServer::start().await;
    let mut bad = lead(1);
    bad["created_at"] = json!("2026-03-15T10:30:00.000");
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"data": bad})))
        .mount(&server)
        .await;
    let err = nextcap(&server).leads().get("l1").await.unwrap_err();
    let Error::Decode(d) = &err else { panic!("expected a decode error, got {err:?}") };
    assert_eq!(d.path, "data.created_at");
    let text = err.to_string();
    assert!(text.contains("data.created_at"), "{text}");
    assert!(text.contains("RFC 3339 date-time with an offset"), "{text}");
    assert!(text.contains("2026-03-15T10:30:00.000"), "{text}");
    assert!(!text.starts_with("premature end of input"), "{text}");
}
