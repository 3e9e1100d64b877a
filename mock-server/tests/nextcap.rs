//! Next Cap handler tests: auth, Origin blocking, envelopes, paging, filters, tenant isolation.

mod common;

use axum::http::StatusCode;
use common::{Mock, data, ids};
use serde_json::Value;

const LEADS: &str = "/nextcap/api/v1/external/leads";

fn assert_nextcap_error(resp: &common::Resp, status: StatusCode, code: &str) {
    assert_eq!(resp.status, status, "{}", resp.json);
    assert_eq!(resp.json["success"], false);
    assert_eq!(resp.json["error"]["code"], code, "{}", resp.json);
    assert!(resp.json["error"]["message"].as_str().is_some_and(|m| !m.is_empty()));
}

fn detail_fields(resp: &common::Resp) -> Vec<String> {
    resp.json["error"]["details"]
        .as_array()
        .map(|d| d.iter().map(|x| x["field"].as_str().unwrap_or("").to_owned()).collect())
        .unwrap_or_default()
}

#[tokio::test]
async fn missing_unknown_and_wrong_family_keys_are_401() {
    let mock = Mock::new();
    let keys = mock.state.demo_keys().clone();
    assert_nextcap_error(&mock.get(LEADS, &[]).await, StatusCode::UNAUTHORIZED, "UNAUTHORIZED");
    let bogus = mock.get(LEADS, &[("x-api-key", "sk_live_nope")]).await;
    assert_nextcap_error(&bogus, StatusCode::UNAUTHORIZED, "UNAUTHORIZED");
    // A CRM key on a data route is not a data key.
    let crm = mock.get(LEADS, &[("x-api-key", &keys.nextcap_crm_admin)]).await;
    assert_nextcap_error(&crm, StatusCode::UNAUTHORIZED, "UNAUTHORIZED");
    // A data key on a CRM route is not a CRM key; the admin seat's key passes auth (404 on a
    // path the CRM does not serve) and the deactivated seat's key does not.
    let crm_path = "/nextcap/api/v1/external/crm/tickets";
    let data_on_crm = mock.get(crm_path, &[("x-api-key", &keys.nextcap_data)]).await;
    assert_nextcap_error(&data_on_crm, StatusCode::UNAUTHORIZED, "UNAUTHORIZED");
    let unserved = "/nextcap/api/v1/external/crm/no-such-resource";
    let admin = mock.get(unserved, &[("x-api-key", &keys.nextcap_crm_admin)]).await;
    assert_nextcap_error(&admin, StatusCode::NOT_FOUND, "NOT_FOUND");
    let gone = mock.get(crm_path, &[("x-api-key", &keys.nextcap_crm_deactivated)]).await;
    assert_nextcap_error(&gone, StatusCode::UNAUTHORIZED, "UNAUTHORIZED");
}

#[tokio::test]
async fn bearer_and_x_api_key_both_work() {
    let mock = Mock::new();
    let key = mock.state.demo_keys().nextcap_data.clone();
    let bearer = mock.get(LEADS, &[("authorization", &format!("Bearer {key}"))]).await;
    let header = mock.get(LEADS, &[("x-api-key", &key)]).await;
    assert_eq!(bearer.status, StatusCode::OK);
    assert_eq!(bearer.json, header.json);
}

#[tokio::test]
async fn origin_header_is_forbidden_even_with_a_valid_key() {
    let mock = Mock::new();
    let key = mock.state.demo_keys().nextcap_data.clone();
    let resp = mock.get(LEADS, &[("x-api-key", &key), ("origin", "https://evil.example")]).await;
    assert_nextcap_error(&resp, StatusCode::FORBIDDEN, "FORBIDDEN");
}

#[tokio::test]
async fn default_page_and_meta_math() {
    let mock = Mock::new();
    let first = mock.nextcap("/external/leads").await;
    assert_eq!(first.status, StatusCode::OK);
    assert_eq!(data(&first).len(), 20);
    assert_eq!(first.json["meta"], serde_json::json!({"page": 1, "per_page": 20, "total": 45, "total_pages": 3}));
    let last = mock.nextcap("/external/leads?page=3").await;
    assert_eq!(data(&last).len(), 5);
    let past = mock.nextcap("/external/leads?page=9").await;
    assert_eq!(past.status, StatusCode::OK);
    assert!(data(&past).is_empty());
    assert_eq!(past.json["meta"]["total"], 45);
    // Walking every page yields every lead exactly once.
    let mut all = Vec::new();
    for page in 1..=5 {
        all.extend(ids(&mock.nextcap(&format!("/external/leads?per_page=10&page={page}")).await));
    }
    let unique: std::collections::BTreeSet<_> = all.iter().collect();
    assert_eq!((all.len(), unique.len()), (45, 45));
}

#[tokio::test]
async fn leads_are_newest_first_with_documented_fields() {
    let mock = Mock::new();
    let resp = mock.nextcap("/external/leads?per_page=100").await;
    let rows = data(&resp);
    let created: Vec<&str> = rows.iter().map(|r| r["created_at"].as_str().unwrap_or("")).collect();
    let mut sorted = created.clone();
    sorted.sort_by(|a, b| b.cmp(a));
    assert_eq!(created, sorted);
    let expected = [
        "id",
        "email",
        "name",
        "phone",
        "company",
        "custom_fields",
        "source",
        "agent_id",
        "conversation_id",
        "visitor_id",
        "created_at",
        "updated_at",
    ];
    let keys: Vec<&str> = rows[0].as_object().map(|o| o.keys().map(String::as_str).collect()).unwrap_or_default();
    let mut expected_sorted = expected.to_vec();
    expected_sorted.sort_unstable();
    let mut keys_sorted = keys.clone();
    keys_sorted.sort_unstable();
    assert_eq!(keys_sorted, expected_sorted);
    assert!(created[0].ends_with('Z') && created[0].len() == "2026-03-15T10:30:00.000Z".len());
}

#[tokio::test]
async fn total_pages_is_zero_when_nothing_matches() {
    let mock = Mock::new();
    let resp = mock.nextcap("/external/leads?email=no-such-address-anywhere").await;
    assert_eq!(resp.json["meta"]["total"], 0);
    assert_eq!(resp.json["meta"]["total_pages"], 0);
}

#[tokio::test]
async fn filters_by_source_agent_and_email() {
    let mock = Mock::new();
    let pre_chat = mock.nextcap("/external/leads?source=pre_chat_form&per_page=100").await;
    assert_eq!(pre_chat.json["meta"]["total"], 12, "sources cycle by index: 45 -> 12/11/11/11");
    assert!(data(&pre_chat).iter().all(|l| l["source"] == "pre_chat_form"));

    let all = mock.nextcap("/external/leads?per_page=100").await;
    let agent = data(&all)[0]["agent_id"].as_str().unwrap_or("").to_owned();
    let by_agent = mock.nextcap(&format!("/external/leads?agent_id={agent}&per_page=100")).await;
    let n = by_agent.json["meta"]["total"].as_u64().unwrap_or(0);
    assert!(n > 0 && n < 45, "Acme has two widgets");
    assert!(data(&by_agent).iter().all(|l| l["agent_id"] == agent.as_str()));

    let upper = mock.nextcap("/external/leads?email=ACME.COM&per_page=100").await;
    let lower = mock.nextcap("/external/leads?email=acme.com&per_page=100").await;
    assert_eq!(upper.json, lower.json, "email match is case-insensitive");
    let hits = data(&upper);
    assert!(hits.len() > 1, "the domain is shared by several leads");
    assert!(hits.iter().all(|l| l["email"].as_str().is_some_and(|e| e.to_lowercase().contains("acme.com"))));
}

#[tokio::test]
async fn created_after_and_before_are_exclusive() {
    let mock = Mock::new();
    let all = mock.nextcap("/external/leads?per_page=100").await;
    let rows = data(&all);
    let pivot = rows[10]["created_at"].as_str().unwrap_or("").to_owned();
    let after = mock.nextcap(&format!("/external/leads?per_page=100&created_after={pivot}")).await;
    let before = mock.nextcap(&format!("/external/leads?per_page=100&created_before={pivot}")).await;
    let a = after.json["meta"]["total"].as_u64().unwrap_or(0);
    let b = before.json["meta"]["total"].as_u64().unwrap_or(0);
    assert_eq!(a, 10, "the 10 newer leads");
    assert_eq!(a + b, 44, "the pivot itself matches neither");
    // A plain date works too.
    let dated = mock.nextcap("/external/leads?created_after=2026-01-01").await;
    assert_eq!(dated.status, StatusCode::OK);
    assert_eq!(dated.json["meta"]["total"], 45, "every fixture lead is from mid-2026 on");
}

#[tokio::test]
async fn bad_query_values_name_their_fields() {
    let mock = Mock::new();
    for (query, field) in [
        ("per_page=0", "per_page"),
        ("per_page=101", "per_page"),
        ("per_page=ten", "per_page"),
        ("page=0", "page"),
        ("page=-3", "page"),
        ("source=email", "source"),
        ("agent_id=not-a-uuid", "agent_id"),
        ("created_after=yesterday", "created_after"),
        ("created_before=2026-02-30", "created_before"),
    ] {
        let resp = mock.nextcap(&format!("/external/leads?{query}")).await;
        assert_nextcap_error(&resp, StatusCode::BAD_REQUEST, "VALIDATION_ERROR");
        assert_eq!(detail_fields(&resp), vec![field.to_owned()], "{query}");
    }
    let many = mock.nextcap("/external/leads?page=x&per_page=y").await;
    assert_eq!(detail_fields(&many), vec!["page".to_owned(), "per_page".to_owned()]);
}

#[tokio::test]
async fn single_lead_and_tenant_isolation() {
    let mock = Mock::new();
    let keys = mock.state.demo_keys().clone();
    let list = mock.nextcap("/external/leads?per_page=1").await;
    let first = data(&list)[0].clone();
    let id = first["id"].as_str().unwrap_or("");
    let one = mock.nextcap(&format!("/external/leads/{id}")).await;
    assert_eq!(one.status, StatusCode::OK);
    assert_eq!(one.json["data"], first);
    // Globex cannot see Acme's lead, and gets the same 404 as for a missing one.
    let globex = mock.get(&format!("{LEADS}/{id}"), &[("x-api-key", &keys.nextcap_data_globex)]).await;
    assert_nextcap_error(&globex, StatusCode::NOT_FOUND, "NOT_FOUND");
    let missing = mock.nextcap("/external/leads/00000000-0000-4000-8000-000000000000").await;
    assert_eq!(missing.json, globex.json);
    let malformed = mock.nextcap("/external/leads/not-a-uuid").await;
    assert_nextcap_error(&malformed, StatusCode::NOT_FOUND, "NOT_FOUND");
    // And Globex's own list holds only Globex leads.
    let globex_list = mock.get(LEADS, &[("x-api-key", &keys.nextcap_data_globex)]).await;
    assert_eq!(globex_list.json["meta"]["total"], 45);
    let acme_ids: Vec<String> = ids(&mock.nextcap("/external/leads?per_page=100").await);
    assert!(ids(&globex_list).iter().all(|g| !acme_ids.contains(g)));
}

#[tokio::test]
async fn unknown_routes_and_methods_use_the_envelope() {
    let mock = Mock::new();
    let resp = mock.nextcap("/external/nothing-here").await;
    assert_nextcap_error(&resp, StatusCode::NOT_FOUND, "NOT_FOUND");
    let key = mock.state.demo_keys().nextcap_data.clone();
    let post = mock.send("DELETE", LEADS, &[("x-api-key", &key)], None).await;
    assert_nextcap_error(&post, StatusCode::METHOD_NOT_ALLOWED, "METHOD_NOT_ALLOWED");
    let value: &Value = &post.json["error"]["message"];
    assert!(value.as_str().is_some_and(|m| m.contains("DELETE")));
}
