//! Error decoding per API, decode failures and invalid arguments.

mod common;

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
