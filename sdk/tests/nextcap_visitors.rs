//! Next Cap visitors: the visitor, its sessions and its AI profile decode and are fetched from
//! the right paths; a missing profile is a not-found error.
#![cfg(feature = "nextcap")]

mod common;

use common::*;
use deskapi::nextcap::*;
use futures::TryStreamExt;
use serde_json::json;
use wiremock::matchers::{path, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};

#[test]
fn visitors_sessions_and_profiles_decode() {
    let v: Visitor = decode(visitor());
    assert_eq!(v.id, VisitorId::new("11111111-0000-4000-8000-000000000001"));
    assert_eq!(v.visitor_id.as_str(), "vis_8f2k1");
    assert_eq!((v.country.as_deref(), v.device_type), (Some("DE"), Some(DeviceType::Desktop)));
    assert_eq!((v.total_sessions, v.total_page_views, v.total_conversations), (3, 17, 1));

    let s: VisitorSession = decode(fixture!("nextcap/visitor_session.json"));
    assert_eq!(s.utm_campaign.as_deref(), Some("spring"));
    assert_eq!(s.page_views.len(), 2);
    assert_eq!(s.page_views[1].title, None);
    assert_eq!(s.ended_at, None);

    let p: VisitorProfile = decode(fixture!("nextcap/visitor_profile.json"));
    assert_eq!(p.sentiment, Some(Sentiment::Mixed));
    assert_eq!(p.sentiment_score, Some(-0.1));
    assert_eq!(p.topics, ["pricing", "sso"]);
}

#[tokio::test]
async fn visitor_filters_send_an_upper_case_country_and_a_boolean() {
    let server = MockServer::start().await;
    Mock::given(path("/external/visitors"))
        .and(query_param("country", "DE"))
        .and(query_param("has_email", "false"))
        .respond_with(ResponseTemplate::new(200).set_body_json(page_of(vec![visitor()])))
        .expect(1)
        .mount(&server)
        .await;
    let page = nextcap(&server).visitors().list().country("de").has_email(false).send().await.unwrap();
    assert_eq!(page.items[0].city.as_deref(), Some("Berlin"));
}

#[tokio::test]
async fn a_visitor_its_sessions_and_its_profile() {
    let server = MockServer::start().await;
    let id = "11111111-0000-4000-8000-000000000001";
    serve(&server, &format!("/external/visitors/{id}"), json!({"data": visitor()})).await;
    serve(&server, &format!("/external/visitors/{id}/sessions"), page_of(vec![])).await;
    serve(
        &server,
        &format!("/external/visitors/{id}/profile"),
        json!({"data": {"visitor_id": id, "summary": null, "sentiment": "positive", "sentiment_score": 0.7,
            "topics": [], "interests": null, "intent": null, "language": "de", "conversations_analyzed": 1,
            "generated_at": "2026-03-16T00:00:00.000Z"}}),
    )
    .await;
    let client = nextcap(&server);
    let v = client.visitors().get(id).await.unwrap();
    let sessions: Vec<VisitorSession> = client.visitors().sessions(&v.id).stream().try_collect().await.unwrap();
    assert!(sessions.is_empty());
    let p = client.visitors().profile(v.id.clone()).await.unwrap();
    assert_eq!((p.sentiment, p.interests.len()), (Some(Sentiment::Positive), 0));
}

#[tokio::test]
async fn a_missing_profile_is_a_not_found_api_error() {
    let server = MockServer::start().await;
    Mock::given(path("/external/visitors/v9/profile"))
        .respond_with(ResponseTemplate::new(404).set_body_json(
            json!({"success": false, "error": {"code": "NOT_FOUND", "message": "No profile generated yet"}}),
        ))
        .mount(&server)
        .await;
    let err = nextcap(&server).visitors().profile("v9").await.unwrap_err();
    let api = err.as_api().expect("an API error");
    assert!(api.is_not_found());
    assert_eq!(api.code.as_deref(), Some("NOT_FOUND"));
}
