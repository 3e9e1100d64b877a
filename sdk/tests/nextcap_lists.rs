//! What every Next Cap Data list shares: the page size and creation window filters work on
//! every list, and bad list arguments are refused before anything is sent.
#![cfg(feature = "nextcap")]

mod common;

use chrono::NaiveDate;
use common::*;
use deskapi::Error;
use wiremock::matchers::{method, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};

#[tokio::test]
async fn the_shared_list_filters_work_on_every_list() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(query_param("per_page", "5"))
        .and(query_param("created_after", "2026-01-01"))
        .respond_with(ResponseTemplate::new(200).set_body_json(page_of(vec![])))
        .mount(&server)
        .await;
    let c = nextcap(&server);
    let after = NaiveDate::from_ymd_opt(2026, 1, 1).unwrap();
    c.conversations().list().per_page(5).created_after(after).send().await.unwrap();
    c.conversations().messages("c1").per_page(5).created_after(after).send().await.unwrap();
    c.tickets().list().per_page(5).created_after(after).send().await.unwrap();
    c.tickets().events("t1").per_page(5).created_after(after).send().await.unwrap();
    c.call_requests().list().per_page(5).created_after(after).send().await.unwrap();
    c.visitors().list().per_page(5).created_after(after).send().await.unwrap();
    c.visitors().sessions("v1").per_page(5).created_after(after).send().await.unwrap();
    c.departments().list().per_page(5).created_after(after).send().await.unwrap();
    c.webhooks().list().per_page(5).created_after(after).send().await.unwrap();
    assert_eq!(only_paths(&server).await.len(), 9);
}

#[tokio::test]
async fn invalid_list_arguments_are_refused_before_sending() {
    let server = MockServer::start().await;
    let c = nextcap(&server);
    let cases = [
        ("per_page", c.tickets().list().per_page(0).send().await.unwrap_err()),
        ("per_page", c.visitors().sessions("v1").per_page(101).send().await.unwrap_err()),
        ("per_page", c.departments().list().per_page(500).send().await.unwrap_err()),
        ("created_before", {
            let d = chrono::NaiveDate::from_ymd_opt(2026, 1, 1).unwrap();
            c.conversations().list().created_after(d).created_before(d).send().await.unwrap_err()
        }),
        ("id", c.conversations().messages("").send().await.unwrap_err()),
        ("id", c.tickets().events(" ").send().await.unwrap_err()),
        ("status", c.conversations().list().status("closed".parse().unwrap()).send().await.unwrap_err()),
        ("priority", c.tickets().list().priority("p1".parse().unwrap()).send().await.unwrap_err()),
        ("source", c.tickets().list().source("fax".parse().unwrap()).send().await.unwrap_err()),
        ("channel", c.call_requests().list().channel("sms".parse().unwrap()).send().await.unwrap_err()),
        ("category", c.tickets().list().category("").send().await.unwrap_err()),
        ("tags", c.tickets().list().tags(Vec::<String>::new()).send().await.unwrap_err()),
        ("tags", c.tickets().list().tags(["a,b"]).send().await.unwrap_err()),
        ("tags", c.tickets().list().tags(["vip", ""]).send().await.unwrap_err()),
        ("country", c.visitors().list().country("DEU").send().await.unwrap_err()),
        ("country", c.visitors().list().country("1A").send().await.unwrap_err()),
        ("visitor_id", c.conversations().list().visitor_id("").send().await.unwrap_err()),
    ];
    for (expected, err) in cases {
        assert!(matches!(&err, Error::InvalidArgument { name, .. } if name == expected), "{expected}: {err:?}");
    }
    for err in [
        c.conversations().get("").await.unwrap_err(),
        c.tickets().get("").await.unwrap_err(),
        c.call_requests().get("").await.unwrap_err(),
        c.visitors().get("").await.unwrap_err(),
        c.visitors().profile("").await.unwrap_err(),
        c.departments().get("").await.unwrap_err(),
    ] {
        assert!(matches!(&err, Error::InvalidArgument { name, .. } if name == "id"), "{err:?}");
    }
    assert!(server.received_requests().await.unwrap().is_empty());
}
