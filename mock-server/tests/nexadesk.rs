//! NexaDesk handler tests: Bearer-only auth, scopes, cursor and page pagination, filters, sort.

mod common;

use std::collections::BTreeSet;

use axum::http::StatusCode;
use common::{Mock, data, ids};

const LEADS: &str = "/nexadesk/api/v1/external/leads";

fn assert_nexadesk_error(resp: &common::Resp, status: StatusCode, contains: &str) {
    assert_eq!(resp.status, status, "{}", resp.json);
    assert_eq!(resp.json["success"], false);
    let message = resp.json["error"].as_str().unwrap_or_else(|| panic!("error is a string: {}", resp.json));
    assert!(message.contains(contains), "{message:?} should mention {contains:?}");
}

#[tokio::test]
async fn bearer_only_auth() {
    let mock = Mock::new();
    let key = mock.state.demo_keys().nexadesk_read_write.clone();
    assert_nexadesk_error(&mock.get(LEADS, &[]).await, StatusCode::UNAUTHORIZED, "API key");
    // NexaDesk does not read X-Api-Key.
    let header = mock.get(LEADS, &[("x-api-key", &key)]).await;
    assert_nexadesk_error(&header, StatusCode::UNAUTHORIZED, "API key");
    let bogus = mock.get(LEADS, &[("authorization", "Bearer fc_live_bogus")]).await;
    assert_nexadesk_error(&bogus, StatusCode::UNAUTHORIZED, "Invalid");
    // A Next Cap key is not a NexaDesk key.
    let other = format!("Bearer {}", mock.state.demo_keys().nextcap_data);
    assert_nexadesk_error(&mock.get(LEADS, &[("authorization", &other)]).await, StatusCode::UNAUTHORIZED, "Invalid");
    let ok = mock.get(LEADS, &[("authorization", &format!("Bearer {key}"))]).await;
    assert_eq!(ok.status, StatusCode::OK);
    assert_eq!(ok.json["success"], true);
}

#[tokio::test]
async fn read_only_key_cannot_write() {
    let mock = Mock::new();
    let ro = format!("Bearer {}", mock.state.demo_keys().nexadesk_read_only);
    let rw = format!("Bearer {}", mock.state.demo_keys().nexadesk_read_write);
    let body = Some(r#"{"visitor_name": "Jane"}"#);
    let denied = mock.send("POST", LEADS, &[("authorization", &ro)], body).await;
    assert_nexadesk_error(&denied, StatusCode::FORBIDDEN, "read-only");
    let read = mock.get(LEADS, &[("authorization", &ro)]).await;
    assert_eq!(read.status, StatusCode::OK);
    // The write key passes the scope check and creates the lead.
    let allowed = mock.send("POST", LEADS, &[("authorization", &rw)], body).await;
    assert_eq!(allowed.status, StatusCode::CREATED, "{}", allowed.json);
}

#[tokio::test]
async fn default_envelope_and_limit() {
    let mock = Mock::new();
    let resp = mock.nexadesk("/leads").await;
    assert_eq!(data(&resp).len(), 45);
    assert_eq!(
        resp.json["pagination"],
        serde_json::json!({"has_more": false, "next_cursor": null, "total_count": 45, "limit": 50})
    );
    let lead = &data(&resp)[0];
    for field in [
        "id",
        "visitor_name",
        "visitor_email",
        "visitor_phone",
        "visitor_company",
        "pipeline_stage",
        "need_summary",
        "tags",
        "source",
        "expected_billing_amount",
        "assigned_rep_id",
        "rep_first_name",
        "rep_last_name",
        "rep_email",
        "lead_score",
        "created_at",
        "updated_at",
    ] {
        assert!(lead.get(field).is_some(), "missing {field}");
    }
}

#[tokio::test]
async fn cursor_walk_visits_every_lead_once() {
    let mock = Mock::new();
    let mut seen = Vec::new();
    let mut cursor: Option<String> = None;
    let mut pages = 0;
    loop {
        let query = match &cursor {
            Some(c) => format!("/leads?limit=10&cursor={c}"),
            None => "/leads?limit=10".to_owned(),
        };
        let resp = mock.nexadesk(&query).await;
        assert_eq!(resp.status, StatusCode::OK);
        seen.extend(ids(&resp));
        pages += 1;
        let p = &resp.json["pagination"];
        assert_eq!(p["total_count"], 45);
        assert_eq!(p["limit"], 10);
        if p["has_more"] == false {
            assert!(p["next_cursor"].is_null());
            break;
        }
        cursor = p["next_cursor"].as_str().map(str::to_owned);
        if pages == 1 {
            assert_eq!(cursor.as_deref(), Some("MTA"), "the documented example: offset 10");
        }
    }
    assert_eq!(pages, 5);
    assert_eq!(seen.iter().collect::<BTreeSet<_>>().len(), 45);
    assert_eq!(seen.len(), 45);
}

#[tokio::test]
async fn page_fallback_matches_cursor_offsets() {
    let mock = Mock::new();
    let by_page = mock.nexadesk("/leads?limit=10&page=2").await;
    let by_cursor = mock.nexadesk("/leads?limit=10&cursor=MTA").await;
    assert_eq!(ids(&by_page), ids(&by_cursor));
    assert_eq!(by_page.json["pagination"]["next_cursor"], "MjA");
    let past = mock.nexadesk("/leads?limit=10&page=99").await;
    assert!(data(&past).is_empty());
    assert_eq!(past.json["pagination"]["has_more"], false);
}

#[tokio::test]
async fn stage_filter_and_search() {
    let mock = Mock::new();
    let mut total = 0;
    for stage in ["new", "qualified", "assigned", "contacted", "converted", "lost"] {
        let resp = mock.nexadesk(&format!("/leads?stage={stage}")).await;
        let rows = data(&resp);
        assert!(!rows.is_empty(), "every stage has leads");
        assert!(rows.iter().all(|l| l["pipeline_stage"] == stage));
        total += rows.len();
    }
    assert_eq!(total, 45);
    let resp = mock.nexadesk("/leads?search=HOOLI").await;
    let rows = data(&resp);
    assert!(!rows.is_empty());
    assert!(rows.iter().all(|l| {
        ["visitor_name", "visitor_email", "visitor_company"]
            .iter()
            .any(|f| l[*f].as_str().is_some_and(|v| v.to_lowercase().contains("hooli")))
    }));
}

#[tokio::test]
async fn sort_fields_and_directions() {
    let mock = Mock::new();
    let asc = mock.nexadesk("/leads?sort=lead_score:asc&limit=100").await;
    let scores: Vec<u64> = data(&asc).iter().map(|l| l["lead_score"].as_u64().unwrap_or(999)).collect();
    assert!(scores.windows(2).all(|w| w[0] <= w[1]));
    assert!(scores.iter().all(|s| *s <= 100));
    let names = mock.nexadesk("/leads?sort=visitor_name:desc&limit=100").await;
    let names: Vec<String> =
        data(&names).iter().map(|l| l["visitor_name"].as_str().unwrap_or("").to_lowercase()).collect();
    assert!(names.windows(2).all(|w| w[0] >= w[1]));
    let default = mock.nexadesk("/leads").await;
    let explicit = mock.nexadesk("/leads?sort=created_at:desc").await;
    assert_eq!(ids(&default), ids(&explicit));
    let created: Vec<&str> = data(&default).iter().map(|l| l["created_at"].as_str().unwrap_or("")).collect();
    assert!(created.windows(2).all(|w| w[0] >= w[1]));
}

#[tokio::test]
async fn bad_input_is_400_naming_the_field() {
    let mock = Mock::new();
    for (query, field) in [
        ("limit=0", "limit"),
        ("limit=101", "limit"),
        ("limit=lots", "limit"),
        ("page=0", "page"),
        ("stage=won", "stage"),
        ("sort=name:desc", "sort"),
        ("sort=created_at:up", "sort"),
        ("sort=created_at", "sort"),
        ("cursor=%21%21%21", "cursor"),
        ("cursor=bm9wZQ", "cursor"),
    ] {
        let resp = mock.nexadesk(&format!("/leads?{query}")).await;
        assert_nexadesk_error(&resp, StatusCode::BAD_REQUEST, &format!("{field}:"));
    }
}

#[tokio::test]
async fn workspaces_are_isolated() {
    let mock = Mock::new();
    let globex = format!("Bearer {}", mock.state.demo_keys().nexadesk_globex);
    let theirs = mock.get(&format!("{LEADS}?limit=100"), &[("authorization", &globex)]).await;
    let ours = mock.nexadesk("/leads?limit=100").await;
    assert_eq!(theirs.json["pagination"]["total_count"], 45);
    let ours: BTreeSet<String> = ids(&ours).into_iter().collect();
    assert!(ids(&theirs).iter().all(|id| !ours.contains(id)));
}

#[tokio::test]
async fn unknown_route_is_404_in_envelope() {
    let mock = Mock::new();
    assert_nexadesk_error(&mock.nexadesk("/deals").await, StatusCode::NOT_FOUND, "Not found");
}
