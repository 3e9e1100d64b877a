//! NexaDesk contacts against a stub server: every field of the vendor's contact reference
//! decodes to its typed value, the list builder's query (limit, cursor, search, tag, sort),
//! the single read and the writes in the API's `?id=` style, PATCH bodies with only the fields
//! set (`null` for a field cleared), the limits at the boundary and one past it (refused before
//! sending), the error kinds (409 for a used email above all), and a cursor walk over every page.
#![cfg(feature = "nexadesk")]

mod common;
mod nexadesk_support;

use chrono::{TimeZone, Utc};
use common::*;
use deskapi::nexadesk::*;
use futures::TryStreamExt;
use nexadesk_support::*;
use serde_json::{Value, json};
use wiremock::matchers::{body_json, method, path, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};

const ADA: &str = "1f0e9c1a-2b3c-4d5e-8f90-a1b2c3d4e5f6";

fn contact_n(n: u32) -> Value {
    let mut v = fixture!("nexadesk/contact.json")["data"].clone();
    v["id"] = json!(format!("contact-{n}"));
    v["email"] = json!(format!("c{n}@example.com"));
    v
}

#[test]
fn every_contact_field_decodes_to_its_typed_value() {
    let ada: Contact = decode(fixture!("nexadesk/contact.json")["data"].clone());
    assert_eq!(ada.id, ContactId::new(ADA));
    assert_eq!((ada.first_name.as_str(), ada.last_name.as_deref()), ("Ada", Some("Lovelace")));
    assert_eq!(ada.email.as_deref(), Some("ada@analytical.example"));
    assert_eq!(ada.phone.as_deref(), Some("+44-20-5550-0100"));
    assert_eq!(ada.company_name.as_deref(), Some("Analytical Engines Ltd"));
    assert_eq!(ada.avatar_url.as_deref(), Some("https://cdn.nexadesk.example/avatars/ada.png"));
    assert_eq!(ada.tags, ["vip", "enterprise"]);
    assert_eq!(ada.profile_notes.as_deref(), Some("Prefers email over phone."));
    assert_eq!(ada.interest_summary.as_deref(), Some("Interested in the enterprise plan and SSO"));
    assert_eq!(ada.last_activity, Some(Utc.with_ymd_and_hms(2026, 3, 18, 16, 45, 0).unwrap()));
    assert_eq!(ada.created_at, Utc.with_ymd_and_hms(2026, 1, 5, 9, 0, 0).unwrap());
    assert_eq!(ada.conversation_count, 3);
    assert_eq!(ada.last_conversation_at, Some(Utc.with_ymd_and_hms(2026, 3, 18, 16, 40, 0).unwrap()));

    let list = fixture!("nexadesk/contacts_list.json");
    let first: Contact = decode(list["data"][0].clone());
    assert_eq!(first, ada, "a listed contact is the same resource");
    let grace: Contact = decode(list["data"][1].clone());
    assert_eq!(grace.first_name, "Grace");
    assert!(grace.last_name.is_none() && grace.email.is_none() && grace.phone.is_none());
    assert!(grace.company_name.is_none() && grace.avatar_url.is_none() && grace.profile_notes.is_none());
    assert!(grace.interest_summary.is_none() && grace.last_activity.is_none() && grace.last_conversation_at.is_none());
    assert_eq!((grace.tags.len(), grace.conversation_count), (0, 0));

    let mut broken = list["data"][0].clone();
    broken["created_at"] = json!("yesterday");
    assert!(serde_json::from_value::<Contact>(broken).is_err(), "a timestamp that is not one is an error");
}

#[tokio::test]
async fn the_list_sends_each_filter_and_reads_the_envelope() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/contacts"))
        .respond_with(ResponseTemplate::new(200).set_body_json(fixture!("nexadesk/contacts_list.json")))
        .mount(&server)
        .await;
    let client = nexadesk(&server);
    let page = client
        .contacts()
        .list()
        .limit(50)
        .search("lovelace")
        .tag("vip")
        .sort(ContactSortField::LastActivity, SortDirection::Desc)
        .cursor("NTA")
        .send()
        .await
        .unwrap();
    assert_eq!(page.items.len(), 2);
    assert_eq!(
        (page.meta.has_more, page.meta.next_cursor.as_deref(), page.meta.total_count, page.meta.limit),
        (false, None, Some(2), 50)
    );
    client.contacts().list().sort(ContactSortField::Name, SortDirection::Asc).page(2).send().await.unwrap();
    client.contacts().list().sort(ContactSortField::Email, SortDirection::Desc).send().await.unwrap();
    client.contacts().list().sort(ContactSortField::CreatedAt, SortDirection::Asc).send().await.unwrap();
    assert_eq!(
        queries(&server).await,
        vec![
            pairs(&[
                ("cursor", "NTA"),
                ("limit", "50"),
                ("search", "lovelace"),
                ("sort", "last_activity:desc"),
                ("tag", "vip")
            ]),
            pairs(&[("page", "2"), ("sort", "name:asc")]),
            pairs(&[("sort", "email:desc")]),
            pairs(&[("sort", "created_at:asc")]),
        ]
    );
}

#[tokio::test]
async fn one_contact_is_read_by_its_id_in_the_query() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/contacts"))
        .and(query_param("id", ADA))
        .respond_with(ResponseTemplate::new(200).set_body_json(fixture!("nexadesk/contact.json")))
        .expect(1)
        .mount(&server)
        .await;
    let ada = nexadesk(&server).contacts().get(ADA).await.unwrap();
    assert_eq!((ada.id.as_str(), ada.conversation_count), (ADA, 3));
}

#[tokio::test]
async fn create_update_and_delete_send_what_was_set() {
    let server = MockServer::start().await;
    let created = json!({
        "first_name": "Ada", "last_name": "Lovelace", "email": "ada@analytical.example",
        "phone": "+44-20-5550-0100", "company_name": "Analytical Engines Ltd",
        "tags": ["vip", "enterprise"], "profile_notes": "Prefers email over phone."
    });
    Mock::given(method("POST"))
        .and(path("/contacts"))
        .and(body_json(&created))
        .respond_with(ResponseTemplate::new(201).set_body_json(fixture!("nexadesk/contact.json")))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("PATCH"))
        .and(path("/contacts"))
        .and(query_param("id", ADA))
        .respond_with(ResponseTemplate::new(200).set_body_json(fixture!("nexadesk/contact.json")))
        .expect(2)
        .mount(&server)
        .await;
    let mut deleted = fixture!("nexadesk/deleted.json");
    deleted["data"]["id"] = json!(ADA);
    Mock::given(method("DELETE"))
        .and(path("/contacts"))
        .and(query_param("id", ADA))
        .respond_with(ResponseTemplate::new(200).set_body_json(deleted))
        .expect(1)
        .mount(&server)
        .await;
    let client = nexadesk(&server);
    let ada = client
        .contacts()
        .create("Ada")
        .last_name("Lovelace")
        .email("ada@analytical.example")
        .phone("+44-20-5550-0100")
        .company_name("Analytical Engines Ltd")
        .tags(["vip", "enterprise"])
        .profile_notes("Prefers email over phone.")
        .send()
        .await
        .unwrap();
    assert_eq!(ada.id.as_str(), ADA);
    client.contacts().update(ADA).phone("+44-20-5550-0199").send().await.unwrap();
    client.contacts().update(ADA).first_name("Augusta").tags(Vec::<String>::new()).send().await.unwrap();
    assert_eq!(client.contacts().delete(ADA).await.unwrap().as_str(), ADA);
    let sent = bodies(&server).await;
    assert_eq!(sent[1], json!({"phone": "+44-20-5550-0199"}), "only the fields set");
    assert_eq!(sent[2], json!({"first_name": "Augusta", "tags": []}));
    assert_eq!(sent[3], Value::Null, "a delete has no body");
}

#[tokio::test]
async fn clear_sends_null_for_each_nullable_field_and_the_last_call_wins() {
    let server = MockServer::start().await;
    Mock::given(method("PATCH"))
        .and(path("/contacts"))
        .and(query_param("id", ADA))
        .respond_with(ResponseTemplate::new(200).set_body_json(fixture!("nexadesk/contact.json")))
        .mount(&server)
        .await;
    let client = nexadesk(&server);
    let update = || client.contacts().update(ADA);
    let names: Vec<&str> = ContactField::ALL.iter().map(|f| f.as_str()).collect();
    assert_eq!(
        names,
        ["last_name", "email", "phone", "company_name", "profile_notes"],
        "exactly the nullable fields of UpdateContactBody"
    );

    update().clear(ContactField::CompanyName).send().await.unwrap();
    ContactField::ALL.iter().fold(update(), |u, &f| u.clear(f)).send().await.unwrap();
    update().company_name("Analytical Engines Ltd").clear(ContactField::CompanyName).send().await.unwrap();
    update().clear(ContactField::CompanyName).company_name("Babbage & Co").send().await.unwrap();
    update().first_name("Augusta").email("ada@").clear(ContactField::Email).phone("+1").send().await.unwrap();

    let expected = [
        json!({"company_name": null}),
        json!({"last_name": null, "email": null, "phone": null, "company_name": null, "profile_notes": null}),
        json!({"company_name": null}),
        json!({"company_name": "Babbage & Co"}),
        json!({"first_name": "Augusta", "email": null, "phone": "+1"}),
    ];
    assert_bodies_exactly(&server, &expected).await;
}

#[tokio::test]
async fn limits_hold_at_the_boundary_and_one_past_is_refused_before_sending() {
    let server = MockServer::start().await;
    let refusals = MockServer::start().await;
    let one = fixture!("nexadesk/contact.json");
    Mock::given(method("POST")).respond_with(ResponseTemplate::new(201).set_body_json(&one)).mount(&server).await;
    Mock::given(method("PATCH")).respond_with(ResponseTemplate::new(200).set_body_json(&one)).mount(&server).await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_json(fixture!("nexadesk/contacts_list.json")))
        .mount(&server)
        .await;
    let (ok, no) = (nexadesk(&server), nexadesk(&refusals));
    let s = |n: usize| "ß".repeat(n);

    ok.contacts().create(s(100)).send().await.unwrap();
    refused(no.contacts().create(s(101)).send().await, "first_name");
    refused(no.contacts().create("").send().await, "first_name");
    ok.contacts().create("A").last_name(s(100)).send().await.unwrap();
    refused(no.contacts().create("A").last_name(s(101)).send().await, "last_name");
    ok.contacts().create("A").phone(s(50)).send().await.unwrap();
    refused(no.contacts().create("A").phone(s(51)).send().await, "phone");
    ok.contacts().create("A").company_name(s(200)).send().await.unwrap();
    refused(no.contacts().create("A").company_name(s(201)).send().await, "company_name");
    ok.contacts().create("A").profile_notes(s(2000)).send().await.unwrap();
    refused(no.contacts().create("A").profile_notes(s(2001)).send().await, "profile_notes");
    refused(no.contacts().create("A").email("ada@").send().await, "email");
    ok.contacts().update(ADA).first_name(s(100)).send().await.unwrap();
    refused(no.contacts().update(ADA).first_name(s(101)).send().await, "first_name");
    refused(no.contacts().update(ADA).email("not an email@x.co").send().await, "email");
    refused(no.contacts().update("").phone("1").send().await, "id");
    refused(no.contacts().get("").await, "id");
    refused(no.contacts().delete(" ").await, "id");
    ok.contacts().list().limit(100).send().await.unwrap();
    ok.contacts().list().limit(1).send().await.unwrap();
    refused(no.contacts().list().limit(101).send().await, "limit");
    refused(no.contacts().list().limit(0).send().await, "limit");
    refused(no.contacts().list().tag("").send().await, "tag");
    refused(no.contacts().list().search("").send().await, "search");
    refused(
        no.contacts().list().sort(ContactSortField::Unknown("phone".into()), SortDirection::Asc).send().await,
        "sort",
    );

    assert_nothing_sent(&refusals).await;
    assert_eq!(server.received_requests().await.unwrap().len(), 8, "every call at the boundary went out");
}

#[tokio::test]
async fn each_error_status_maps_to_its_kind() {
    let cases = [
        ("POST", 409, fixture!("nexadesk/error_conflict.json"), NexaDeskErrorKind::Conflict),
        (
            "POST",
            400,
            json!({"success": false, "error": "email is not a valid email address"}),
            NexaDeskErrorKind::Validation,
        ),
        ("POST", 403, fixture!("nexadesk/error_scope.json"), NexaDeskErrorKind::Scope),
        ("GET", 404, json!({"success": false, "error": "Contact not found"}), NexaDeskErrorKind::NotFound),
        ("GET", 429, fixture!("nexadesk/error_rate_limited.json"), NexaDeskErrorKind::RateLimited),
    ];
    for (verb, status, body, kind) in cases {
        let server = MockServer::start().await;
        Mock::given(method(verb))
            .respond_with(ResponseTemplate::new(status).insert_header("Retry-After", "7").set_body_json(&body))
            .expect(1)
            .mount(&server)
            .await;
        let client = once(&server);
        let e = if verb == "POST" {
            client.contacts().create("Ada").email("ada@analytical.example").send().await.unwrap_err()
        } else {
            client.contacts().get(ADA).await.unwrap_err()
        };
        assert_eq!(NexaDeskErrorKind::of(&e), kind, "{verb} {status}");
        assert_eq!(e.as_api().map(|a| a.message.as_str()), body["error"].as_str());
    }
}

#[tokio::test]
async fn the_cursor_stream_walks_every_page_once() {
    let server = MockServer::start().await;
    cursor_pages(&server, vec![vec![contact_n(1), contact_n(2)], vec![contact_n(3), contact_n(4)], vec![contact_n(5)]])
        .await;
    let all: Vec<Contact> =
        nexadesk(&server).contacts().list().limit(2).tag("vip").stream().try_collect().await.unwrap();
    let ids: Vec<&str> = all.iter().map(|c| c.id.as_str()).collect();
    assert_eq!(ids, ["contact-1", "contact-2", "contact-3", "contact-4", "contact-5"]);
    let sent = queries(&server).await;
    assert_eq!(sent.len(), 3, "one request per page");
    for q in &sent {
        assert!(q.contains(&("tag".into(), "vip".into())) && q.contains(&("limit".into(), "2".into())), "{q:?}");
    }
    // Pages 2 and 3 were asked for by the cursor the page before gave.
    assert!(sent[1].contains(&("cursor".into(), "c1".into())) && sent[2].contains(&("cursor".into(), "c2".into())));
}
