//! Desk Hive handler tests for everything past listing: dashboard, update, close, messages,
//! reply (201, locked 403), likes, canned responses, knowledge base, profile, notifications,
//! agent isolation, every 422 at its boundary and one past it, and the control actions.

mod common;

use axum::http::StatusCode;
use common::{Mock, Resp, data};
use serde_json::{Value, json};

const BASE: &str = "/deskhive/api/v1";

async fn call(mock: &Mock, key: &str, method: &str, path: &str, body: Option<Value>) -> Resp {
    let body = body.map(|b| b.to_string());
    let headers = [("x-api-key", key), ("content-type", "application/json")];
    mock.send(method, &format!("{BASE}{path}"), &headers, body.as_deref()).await
}

async fn action(mock: &Mock, name: &str, body: Value) -> Resp {
    mock.send("POST", &format!("/__mock/deskhive/actions/{name}"), &[], Some(&body.to_string())).await
}

fn agent(mock: &Mock, n: u8) -> String {
    let keys = mock.state.demo_keys();
    if n == 1 { keys.deskhive_agent.clone() } else { keys.deskhive_agent_2.clone() }
}

/// The ids of every ticket agent `n` sees.
async fn ticket_ids(mock: &Mock, n: u8) -> Vec<u64> {
    let resp = call(mock, &agent(mock, n), "GET", "/external/tickets?per_page=100", None).await;
    data(&resp).iter().filter_map(|t| t["id"].as_u64()).collect()
}

/// A ticket of agent 1 that agent 2 cannot see, and one of agent 2 that agent 1 cannot see.
async fn foreign_pair(mock: &Mock) -> (u64, u64) {
    let (one, two) = (ticket_ids(mock, 1).await, ticket_ids(mock, 2).await);
    let only_one = *one.iter().find(|id| !two.contains(id)).expect("agent 1 has a ticket of its own");
    let only_two = *two.iter().find(|id| !one.contains(id)).expect("agent 2 has a ticket of its own");
    (only_one, only_two)
}

fn assert_422(resp: &Resp, field: &str) {
    assert_eq!(resp.status, StatusCode::UNPROCESSABLE_ENTITY, "{field}: {}", resp.json);
    assert!(resp.json["message"].is_string());
    assert!(resp.json["errors"][field].is_array(), "{field} named: {}", resp.json);
}

#[tokio::test]
async fn isolation_both_ways_on_every_ticket_operation() {
    let mock = Mock::new();
    let (mine, theirs) = foreign_pair(&mock).await;
    for (key, id) in [(agent(&mock, 2), mine), (agent(&mock, 1), theirs)] {
        let attempts = [
            ("GET", format!("/external/tickets/{id}"), None),
            ("PUT", format!("/external/tickets/{id}"), Some(json!({"status": "on_hold"}))),
            ("POST", format!("/external/tickets/{id}/close"), None),
            ("GET", format!("/external/tickets/{id}/messages"), None),
            ("POST", format!("/external/tickets/{id}/messages"), Some(json!({"content": "hi"}))),
            ("POST", format!("/external/tickets/{id}/messages/1/like"), None),
        ];
        for (method, path, body) in attempts {
            let resp = call(&mock, &key, method, &path, body).await;
            assert_eq!(resp.status, StatusCode::FORBIDDEN, "{method} {path}");
            assert_eq!(resp.json, json!({"message": "This action is unauthorized."}));
        }
    }
    // Nothing changed: the owner still sees its ticket as it was.
    let own = call(&mock, &agent(&mock, 1), "GET", &format!("/external/tickets/{mine}"), None).await;
    assert_ne!(own.json["data"]["status"], "on_hold");
}

#[tokio::test]
async fn update_and_close() {
    let mock = Mock::new();
    let key = agent(&mock, 1);
    let id = ticket_ids(&mock, 1).await[0];
    let body = json!({"status": "closed", "priority": "critical", "labels": [2, 4]});
    let resp = call(&mock, &key, "PUT", &format!("/external/tickets/{id}"), Some(body)).await;
    assert_eq!(resp.status, StatusCode::OK, "{}", resp.json);
    let t = &resp.json["data"];
    assert_eq!(
        (t["status"].as_str(), t["priority"].as_str(), t["is_resolved"].as_bool()),
        (Some("closed"), Some("critical"), Some(true))
    );
    assert!(t["closed_at"].is_string());
    let labels: Vec<u64> = t["labels"].as_array().unwrap().iter().filter_map(|l| l["id"].as_u64()).collect();
    assert_eq!(labels, [2, 4]);
    let reopened = call(&mock, &key, "PUT", &format!("/external/tickets/{id}"), Some(json!({"status": "open"}))).await;
    assert!(reopened.json["data"]["closed_at"].is_null() && reopened.json["data"]["is_resolved"] == false);

    let before = call(&mock, &key, "GET", "/external/dashboard", None).await.json["data"].clone();
    let open = call(&mock, &key, "GET", "/external/tickets?status=open&per_page=1", None).await;
    let open_id = data(&open)[0]["id"].as_u64().unwrap();
    let closed = call(&mock, &key, "POST", &format!("/external/tickets/{open_id}/close"), None).await;
    assert_eq!(closed.status, StatusCode::OK);
    assert_eq!(closed.json["data"]["status"], "closed");
    assert_eq!(closed.json["data"]["is_resolved"], true);
    let again = call(&mock, &key, "POST", &format!("/external/tickets/{open_id}/close"), None).await;
    assert_eq!(again.json["data"]["closed_at"], closed.json["data"]["closed_at"], "closing twice changes nothing");
    let after = call(&mock, &key, "GET", "/external/dashboard", None).await.json["data"].clone();
    assert_eq!(after["closed_today"], before["closed_today"].as_u64().unwrap() + 1);
    assert_eq!(after["open_tickets"], before["open_tickets"].as_u64().unwrap() - 1);
}

#[tokio::test]
async fn validation_boundaries() {
    let mock = Mock::new();
    let key = agent(&mock, 1);
    let id = ticket_ids(&mock, 1).await[0];
    let put = |body: Value| call(&mock, &key, "PUT", "/external/profile", Some(body));
    for (field, max) in [("name", 250), ("phone", 50), ("locale", 10)] {
        let ok = put(json!({ field: "x".repeat(max) })).await;
        assert_eq!(ok.status, StatusCode::OK, "{field} at {max}");
        assert_eq!(ok.json["data"][field], "x".repeat(max));
        let over = put(json!({ field: "x".repeat(max + 1) })).await;
        assert_422(&over, field);
        assert_eq!(
            over.json["errors"][field][0],
            format!("The {field} field must not be greater than {max} characters.")
        );
    }
    assert_422(&put(json!({"name": null})).await, "name");
    assert_422(&put(json!({"notification_settings": "loud"})).await, "notification_settings");
    let cleared = put(json!({"phone": null, "notification_settings": {"email": false}})).await;
    assert!(cleared.json["data"]["phone"].is_null());
    assert_eq!(cleared.json["data"]["notification_settings"], json!({"email": false}));

    let ticket = format!("/external/tickets/{id}");
    for (body, field) in [
        (json!({"status": "pending"}), "status"),
        (json!({"priority": "urgent"}), "priority"),
        (json!({"labels": "1"}), "labels"),
        (json!({"labels": [1, 99]}), "labels.1"),
    ] {
        assert_422(&call(&mock, &key, "PUT", &ticket, Some(body)).await, field);
    }
    let reply = format!("/external/tickets/{id}/messages");
    assert_422(&call(&mock, &key, "POST", &reply, Some(json!({}))).await, "content");
    assert_422(&call(&mock, &key, "POST", &reply, Some(json!({"content": "  "}))).await, "content");
    assert_422(
        &call(&mock, &key, "POST", &reply, Some(json!({"content": "x", "is_internal": "yes"}))).await,
        "is_internal",
    );
    for (q, ok) in [("", false), ("a", false), ("%20a%20", false), ("ac", true)] {
        let resp = call(&mock, &key, "GET", &format!("/external/knowledge-base/search?q={q}"), None).await;
        if ok { assert_eq!(resp.status, StatusCode::OK, "{q}") } else { assert_422(&resp, "q") }
    }
    for path in ["/external/notifications", &reply] {
        for (per_page, status) in
            [(100, StatusCode::OK), (101, StatusCode::UNPROCESSABLE_ENTITY), (0, StatusCode::UNPROCESSABLE_ENTITY)]
        {
            let resp = call(&mock, &key, "GET", &format!("{path}?per_page={per_page}"), None).await;
            assert_eq!(resp.status, status, "{path} per_page={per_page}");
        }
    }
}

#[tokio::test]
async fn thread_reply_lock_and_likes() {
    let mock = Mock::new();
    let key = agent(&mock, 1);
    let id = ticket_ids(&mock, 1).await.into_iter().next().unwrap();
    let thread = call(&mock, &key, "GET", &format!("/external/tickets/{id}/messages"), None).await;
    assert_eq!(thread.json["meta"]["per_page"], 30, "documented default");
    let total = thread.json["meta"]["total"].as_u64().unwrap();
    assert_eq!(data(&thread)[0]["sender_type"], "customer", "a thread opens with the customer's text");
    let sent =
        call(&mock, &key, "POST", &format!("/external/tickets/{id}/messages"), Some(json!({"content": "On it."})))
            .await;
    assert_eq!(sent.status, StatusCode::CREATED);
    assert_eq!(
        (sent.json["data"]["is_internal"].as_bool(), sent.json["data"]["sender"]["id"].as_u64()),
        (Some(false), Some(1))
    );
    let thread = call(&mock, &key, "GET", &format!("/external/tickets/{id}/messages"), None).await;
    assert_eq!(thread.json["meta"]["total"], total + 1);
    let message = sent.json["data"]["id"].as_u64().unwrap();

    let like = format!("/external/tickets/{id}/messages/{message}/like");
    assert_eq!(
        call(&mock, &key, "POST", &like, None).await.json,
        json!({"status": true, "data": {"liked": true, "count": 1}})
    );
    assert_eq!(call(&mock, &key, "POST", &like, None).await.json["data"], json!({"liked": false, "count": 0}));
    let other_ticket = ticket_ids(&mock, 1).await[1];
    let wrong =
        call(&mock, &key, "POST", &format!("/external/tickets/{other_ticket}/messages/{message}/like"), None).await;
    assert_eq!(wrong.status, StatusCode::NOT_FOUND, "a message of another ticket");

    let lock = action(&mock, "lock-ticket", json!({"ticket_id": id, "locked": true})).await;
    assert_eq!(lock.status, StatusCode::OK);
    assert_eq!(lock.json["is_locked"], true);
    let refused =
        call(&mock, &key, "POST", &format!("/external/tickets/{id}/messages"), Some(json!({"content": "x"}))).await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    assert_eq!(refused.json, json!({"message": "This ticket is locked."}));
}

#[tokio::test]
async fn canned_responses_knowledge_base_and_notifications() {
    let mock = Mock::new();
    let key = agent(&mock, 1);
    let canned = call(&mock, &key, "GET", "/external/canned-responses", None).await;
    let rows = data(&canned);
    assert!(rows.iter().all(|c| c["is_active"] == true));
    let order: Vec<(i64, String)> =
        rows.iter().map(|c| (c["sort_order"].as_i64().unwrap(), c["title"].as_str().unwrap().to_owned())).collect();
    let mut sorted = order.clone();
    sorted.sort();
    assert_eq!(order, sorted);
    assert_eq!(order[0], (0, "Apology".to_owned()), "equal sort_order: by title");

    let hits = call(&mock, &key, "GET", "/external/knowledge-base/search?q=ACCOUNT", None).await;
    assert_eq!(data(&hits).len(), 20, "more match, at most 20 come back");
    assert!(data(&hits).iter().all(|a| a["status"] == "published"));
    let none = call(&mock, &key, "GET", "/external/knowledge-base/search?q=zzzz", None).await;
    assert!(data(&none).is_empty());

    let list = call(&mock, &key, "GET", "/external/notifications", None).await;
    assert_eq!(list.json["meta"]["per_page"], 20);
    let unread = |mock: Mock, key: String| async move {
        call(&mock, &key, "GET", "/external/notifications/unread-count", None).await.json["data"]["unread_count"]
            .as_u64()
            .unwrap()
    };
    let before = unread(mock.clone(), key.clone()).await;
    assert_eq!(before, data(&list).iter().filter(|n| n["is_read"] == false).count() as u64);
    let first = data(&list).iter().find(|n| n["is_read"] == false).unwrap()["id"].as_u64().unwrap();
    let read = call(&mock, &key, "POST", &format!("/external/notifications/{first}/read"), None).await;
    assert_eq!(read.json, json!({"status": true, "message": "Notification marked as read"}));
    assert_eq!(unread(mock.clone(), key.clone()).await, before - 1);
    let again = call(&mock, &key, "POST", &format!("/external/notifications/{first}/read"), None).await;
    assert_eq!(again.status, StatusCode::OK);
    let theirs = call(&mock, &agent(&mock, 2), "POST", &format!("/external/notifications/{first}/read"), None).await;
    assert_eq!(theirs.status, StatusCode::NOT_FOUND, "another agent's notification");
}

#[tokio::test]
async fn customer_reply_and_file_ticket_actions() {
    let mock = Mock::new();
    let key = agent(&mock, 1);
    let closed = call(&mock, &key, "GET", "/external/tickets?status=closed&per_page=100", None).await;
    let t = data(&closed).iter().find(|t| t["assigned_to"]["id"] == 1).unwrap().clone();
    let id = t["id"].as_u64().unwrap();
    let unread =
        call(&mock, &key, "GET", "/external/notifications/unread-count", None).await.json["data"]["unread_count"]
            .clone();
    let replied = action(&mock, "customer-reply", json!({"ticket_id": id, "content": "Still broken"})).await;
    assert_eq!(replied.status, StatusCode::CREATED, "{}", replied.json);
    assert_eq!(replied.json["ticket"]["status"], "open");
    assert_eq!(replied.json["message"]["sender_type"], "customer");
    let after = call(&mock, &key, "GET", "/external/notifications?per_page=1", None).await;
    assert_eq!(data(&after)[0]["type"], "ticket_reply");
    assert_eq!(data(&after)[0]["ticket_id"], id);
    let now = call(&mock, &key, "GET", "/external/notifications/unread-count", None).await.json["data"]["unread_count"]
        .clone();
    assert_eq!(now.as_u64().unwrap(), unread.as_u64().unwrap() + 1);
    for (body, field) in [
        (json!({"ticket_id": 9999, "content": "x"}), "ticket_id"),
        (json!({"ticket_id": id}), "content"),
        (json!({"ticket_id": id, "content": "x", "extra": 1}), "extra"),
    ] {
        let bad = action(&mock, "customer-reply", body).await;
        assert_eq!((bad.status, bad.json["field"].as_str()), (StatusCode::BAD_REQUEST, Some(field)));
    }
    let filed = action(&mock, "file-ticket", json!({"title": "New", "content": "Help", "agent_id": 2})).await;
    assert_eq!(filed.status, StatusCode::CREATED);
    let new_id = filed.json["id"].as_u64().unwrap();
    let two = call(&mock, &agent(&mock, 2), "GET", &format!("/external/tickets/{new_id}"), None).await;
    assert_eq!(two.json["data"]["status"], "open");
    assert_eq!(
        call(&mock, &key, "GET", &format!("/external/tickets/{new_id}"), None).await.status,
        StatusCode::FORBIDDEN
    );
    let inactive = action(&mock, "file-ticket", json!({"title": "x", "content": "y", "agent_id": 4})).await;
    assert_eq!(inactive.json["field"], "agent_id");
}

#[tokio::test]
async fn an_over_large_body_gets_laravels_message() {
    let mock = Mock::new();
    let key = agent(&mock, 1);
    let ticket = ticket_ids(&mock, 1).await[0];
    let huge = json!({"content": "x".repeat(3 * 1024 * 1024), "name": "a"});
    for (method, path) in [
        ("PUT", format!("/external/tickets/{ticket}")),
        ("POST", format!("/external/tickets/{ticket}/messages")),
        ("PUT", "/external/profile".to_owned()),
    ] {
        let resp = call(&mock, &key, method, &path, Some(huge.clone())).await;
        assert_eq!(resp.status, StatusCode::PAYLOAD_TOO_LARGE, "{method} {path}: {}", resp.json);
        assert!(resp.json["message"].is_string(), "{method} {path}: {}", resp.json);
    }
}
