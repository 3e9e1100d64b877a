//! Next Cap analytics: overview and daily metrics decode, the range is sent as dates, and a
//! range ending before it starts is refused before sending.
#![cfg(feature = "nextcap")]

mod common;

use chrono::NaiveDate;
use common::*;
use deskapi::Error;
use deskapi::nextcap::*;
use serde_json::json;
use wiremock::matchers::{path, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};

#[test]
fn analytics_decode() {
    let o: AnalyticsOverview = decode(fixture!("nextcap/analytics_overview.json"));
    assert_eq!(o.end_date, NaiveDate::from_ymd_opt(2026, 5, 31).unwrap());
    assert_eq!((o.conversations, o.resolution_rate, o.avg_satisfaction_rating), (120, Some(0.83), None));
    let d: AnalyticsDay = decode(fixture!("nextcap/analytics_day.json"));
    assert_eq!((d.date.to_string().as_str(), d.messages), ("2026-05-02", 50));
}

#[tokio::test]
async fn analytics_send_the_range_as_dates() {
    let server = MockServer::start().await;
    let mut overview = fixture!("nextcap/analytics_overview.json");
    overview["avg_satisfaction_rating"] = json!(4.4);
    Mock::given(path("/external/analytics/overview"))
        .and(query_param("start_date", "2026-05-01"))
        .and(query_param("end_date", "2026-05-31"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"data": overview})))
        .expect(1)
        .mount(&server)
        .await;
    let day = |d| NaiveDate::from_ymd_opt(2026, 5, d).unwrap();
    Mock::given(path("/external/analytics/daily"))
        .and(query_param("start_date", "2026-05-02"))
        .and(query_param("end_date", "2026-05-02"))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(json!({"data": [fixture!("nextcap/analytics_day.json")]})),
        )
        .expect(1)
        .mount(&server)
        .await;
    let client = nextcap(&server);
    let overview = client.analytics().overview(day(1), day(31)).await.unwrap();
    assert_eq!(overview.avg_satisfaction_rating, Some(4.4));
    let days = client.analytics().daily(day(2), day(2)).await.unwrap();
    assert_eq!((days.len(), days[0].visitors), (1, 30), "a one-day range is allowed");
}

#[tokio::test]
async fn an_analytics_range_ending_before_it_starts_is_refused_before_sending() {
    let server = MockServer::start().await;
    let client = nextcap(&server);
    let (start, end) = (NaiveDate::from_ymd_opt(2026, 5, 31).unwrap(), NaiveDate::from_ymd_opt(2026, 5, 1).unwrap());
    for err in [
        client.analytics().overview(start, end).await.unwrap_err(),
        client.analytics().daily(start, end).await.unwrap_err(),
    ] {
        assert!(matches!(&err, Error::InvalidArgument { name, .. } if name == "end"), "{err:?}");
    }
    assert!(server.received_requests().await.unwrap().is_empty());
}
