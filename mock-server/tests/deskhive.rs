//! Desk Hive handler tests: X-API-KEY auth, health and connection checks, agent scoping,
//! Laravel pagination and 422 validation bodies.

mod common;

use std::collections::BTreeSet;

use axum::http::StatusCode;
use common::{Mock, data};
use serde_json::json;

#[tokio::test]
async fn health_check_needs_no_key() {
    let mock = Mock::new();
    let resp = mock.get("/deskhive/api/v1/health-check", &[]).await;
    assert_eq!(resp.status, StatusCode::OK);
    assert_eq!(resp.json, json!({"message": "Health check successful"}));
}

#[tokio::test]
async fn key_missing_invalid_or_inactive() {
    let mock = Mock::new();
    let missing = mock.get("/deskhive/api/v1/external/connection-check", &[]).await;
    assert_eq!(missing.status, StatusCode::BAD_REQUEST);
    assert!(missing.json["message"].as_str().is_some_and(|m| !m.is_empty()));
    let bogus = mock.deskhive_as("nope", "/external/connection-check").await;
    assert_eq!(bogus.status, StatusCode::UNAUTHORIZED);
    assert_eq!(bogus.json, json!({"message": "Unauthenticated."}));
    let inactive = mock.state.demo_keys().deskhive_inactive.clone();
    let resp = mock.deskhive_as(&inactive, "/external/tickets").await;
    assert_eq!(resp.status, StatusCode::UNAUTHORIZED);
    assert_eq!(resp.json, json!({"message": "Unauthenticated."}));
    let ok = mock.deskhive("/external/connection-check").await;
    assert_eq!(ok.json, json!({"status": true, "message": "Connection check successful"}));
}

#[tokio::test]
async fn agents_see_only_their_tickets() {
    let mock = Mock::new();
    let keys = mock.state.demo_keys().clone();
    let one = mock.deskhive("/external/tickets?per_page=100").await;
    let two = mock.deskhive_as(&keys.deskhive_agent_2, "/external/tickets?per_page=100").await;
    assert_eq!(one.json["meta"]["total"], 24);
    assert_eq!(two.json["meta"]["total"], 18);
    for (resp, agent_id) in [(&one, 1), (&two, 2)] {
        assert!(data(resp).iter().all(|t| {
            t["assigned_to"]["id"] == agent_id
                || t["agents"].as_array().is_some_and(|a| a.iter().any(|x| x["id"] == agent_id))
        }));
    }
    // Collaboration means some overlap, but not all.
    let ids = |r: &common::Resp| -> BTreeSet<u64> { data(r).iter().filter_map(|t| t["id"].as_u64()).collect() };
    let overlap = ids(&one).intersection(&ids(&two)).count();
    assert_eq!(overlap, 6);
}

#[tokio::test]
async fn laravel_pagination_meta() {
    let mock = Mock::new();
    let first = mock.deskhive("/external/tickets").await;
    assert_eq!(data(&first).len(), 15);
    assert_eq!(first.json["meta"], json!({"current_page": 1, "last_page": 2, "per_page": 15, "total": 24}));
    let second = mock.deskhive("/external/tickets?page=2").await;
    assert_eq!(data(&second).len(), 9);
    let past = mock.deskhive("/external/tickets?page=5").await;
    assert!(data(&past).is_empty());
    assert_eq!(past.json["meta"]["current_page"], 5);
    let none = mock.deskhive("/external/tickets?department_id=999").await;
    assert_eq!(none.json["meta"], json!({"current_page": 1, "last_page": 1, "per_page": 15, "total": 0}));
}

#[tokio::test]
async fn ticket_resource_shape() {
    let mock = Mock::new();
    let resp = mock.deskhive("/external/tickets?per_page=100").await;
    let t = &data(&resp)[0];
    let id = t["id"].as_u64().unwrap_or(0);
    assert_eq!(t["reference_id"], format!("#{}", 1000 + id));
    for field in [
        "title",
        "content",
        "status",
        "priority",
        "department",
        "category",
        "product",
        "customer",
        "labels",
        "assigned_to",
        "agents",
        "custom_fields",
        "is_resolved",
        "is_locked",
        "last_reply_at",
        "closed_at",
        "created_at",
        "updated_at",
    ] {
        assert!(t.get(field).is_some(), "missing {field}");
    }
    let created = t["created_at"].as_str().unwrap_or("");
    assert_eq!(created.len(), "2026-03-14T09:00:00Z".len(), "Laravel timestamps have no millis");
}

#[tokio::test]
async fn filters_cover_every_status_and_priority() {
    let mock = Mock::new();
    let mut by_status = 0;
    for status in ["open", "in_progress", "on_hold", "closed"] {
        let resp = mock.deskhive(&format!("/external/tickets?status={status}&per_page=100")).await;
        let rows = data(&resp);
        assert!(!rows.is_empty(), "agent 1 has {status} tickets");
        assert!(rows.iter().all(|t| t["status"] == status));
        by_status += rows.len();
    }
    assert_eq!(by_status, 24);
    for priority in ["low", "medium", "high", "critical"] {
        let resp = mock.deskhive(&format!("/external/tickets?priority={priority}&per_page=100")).await;
        assert!(!data(&resp).is_empty(), "agent 1 has {priority} tickets");
        assert!(data(&resp).iter().all(|t| t["priority"] == priority));
    }
    let dept = mock.deskhive("/external/tickets?department_id=1&per_page=100").await;
    assert!(!data(&dept).is_empty());
    assert!(data(&dept).iter().all(|t| t["department"]["id"] == 1));
}

#[tokio::test]
async fn validation_is_422_in_laravel_words() {
    let mock = Mock::new();
    let resp = mock.deskhive("/external/tickets?per_page=abc").await;
    assert_eq!(resp.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        resp.json,
        json!({
            "message": "The per_page field must be an integer.",
            "errors": {"per_page": ["The per_page field must be an integer."]}
        })
    );
    for (query, field) in [
        ("per_page=0", "per_page"),
        ("per_page=101", "per_page"),
        ("page=0", "page"),
        ("status=pending", "status"),
        ("priority=urgent", "priority"),
        ("department_id=one", "department_id"),
    ] {
        let resp = mock.deskhive(&format!("/external/tickets?{query}")).await;
        assert_eq!(resp.status, StatusCode::UNPROCESSABLE_ENTITY, "{query}");
        assert!(resp.json["errors"][field].is_array(), "{query}: {}", resp.json);
    }
    let two = mock.deskhive("/external/tickets?status=x&priority=y").await;
    assert_eq!(two.json["message"], "The selected status is invalid. (and 1 more error)");
}

#[tokio::test]
async fn unknown_route_is_laravel_404() {
    let mock = Mock::new();
    let resp = mock.deskhive("/external/nothing").await;
    assert_eq!(resp.status, StatusCode::NOT_FOUND);
    assert!(resp.json["message"].as_str().is_some_and(|m| m.contains("could not be found")));
}

#[tokio::test]
async fn single_ticket_is_scoped_to_the_agent() {
    let mock = Mock::new();
    let list = mock.deskhive("/external/tickets?per_page=1").await;
    let first = data(&list)[0].clone();
    let id = first["id"].as_u64().unwrap_or(0);
    let one = mock.deskhive(&format!("/external/tickets/{id}")).await;
    assert_eq!(one.status, StatusCode::OK);
    assert_eq!(one.json["data"], first);
    // Agent 2 gets 403 on one of agent 1's tickets it does not collaborate on.
    let all = mock.deskhive("/external/tickets?per_page=100").await;
    let foreign = data(&all)
        .iter()
        .find(|t| t["agents"].as_array().is_some_and(|a| a.iter().all(|x| x["id"] != 2)))
        .and_then(|t| t["id"].as_u64())
        .unwrap_or(0);
    let agent_2 = mock.state.demo_keys().deskhive_agent_2.clone();
    let other = mock.deskhive_as(&agent_2, &format!("/external/tickets/{foreign}")).await;
    assert_eq!(other.status, StatusCode::FORBIDDEN);
    assert!(other.json["message"].is_string());
    for missing in ["9999", "abc"] {
        let resp = mock.deskhive(&format!("/external/tickets/{missing}")).await;
        assert_eq!(resp.status, StatusCode::NOT_FOUND, "{missing}");
        assert!(resp.json["message"].is_string());
    }
}
