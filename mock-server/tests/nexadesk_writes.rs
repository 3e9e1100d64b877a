//! NexaDesk handler tests for the writes, single-resource reads, contacts and conversations
//! lists, and the control API's visitor actions and webhook registration.

mod common;

use axum::http::StatusCode;
use common::{Mock, Resp, data};
use serde_json::{Value, json};

const BASE: &str = "/nexadesk/api/v1/external";

impl Mock {
    async fn nd(&self, method: &str, path: &str, body: Option<Value>) -> Resp {
        let auth = format!("Bearer {}", self.state.demo_keys().nexadesk_read_write);
        let body = body.map(|b| b.to_string());
        self.send(method, &format!("{BASE}{path}"), &[("authorization", &auth)], body.as_deref()).await
    }

    async fn control(&self, method: &str, path: &str, body: Option<Value>) -> Resp {
        let body = body.map(|b| b.to_string());
        self.send(method, &format!("/__mock{path}"), &[], body.as_deref()).await
    }
}

fn error(resp: &Resp, status: StatusCode, field: &str) {
    assert_eq!(resp.status, status, "{}", resp.json);
    assert_eq!(resp.json["success"], false, "{}", resp.json);
    let message = resp.json["error"].as_str().unwrap_or_default();
    assert!(message.contains(field), "{message:?} should name {field:?}");
}

#[tokio::test]
async fn lead_create_update_delete() {
    let mock = Mock::new();
    let created = mock.nd("POST", "/leads", Some(json!({"visitor_name": "Jane Smith", "tags": ["a"]}))).await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.json);
    let lead = &created.json["data"];
    assert_eq!((lead["pipeline_stage"].as_str(), lead["source"].as_str()), (Some("new"), Some("api")), "defaults");
    assert_eq!(lead["assigned_rep_id"], Value::Null);
    let id = lead["id"].as_str().unwrap_or_default().to_owned();

    let workspace = ws(&mock);
    let rep = mock.state.lock().store().nexadesk().workspace_view(&workspace).reps().next().map(|r| r.id);
    let rep = rep.unwrap_or_default().to_string();
    let patched = mock.nd("PATCH", &format!("/leads?id={id}"), Some(json!({"assigned_rep_id": rep}))).await;
    assert_eq!(patched.status, StatusCode::OK, "{}", patched.json);
    assert_eq!(patched.json["data"]["assigned_rep_id"], rep.as_str());
    assert!(patched.json["data"]["rep_email"].is_string());
    assert_eq!(patched.json["data"]["tags"], json!(["a"]), "fields not sent stay");
    let unassigned = mock.nd("PATCH", &format!("/leads?id={id}"), Some(json!({"assigned_rep_id": null}))).await;
    assert_eq!(unassigned.json["data"]["assigned_rep_id"], Value::Null);
    assert_eq!(unassigned.json["data"]["rep_email"], Value::Null);

    error(&mock.nd("PATCH", "/leads", Some(json!({}))).await, StatusCode::BAD_REQUEST, "id");
    let unknown = "/leads?id=00000000-0000-4000-8000-000000000000";
    error(&mock.nd("PATCH", unknown, Some(json!({}))).await, StatusCode::NOT_FOUND, "Lead");
    let bad_rep = json!({"assigned_rep_id": "00000000-0000-4000-8000-000000000000"});
    error(
        &mock.nd("PATCH", &format!("/leads?id={id}"), Some(bad_rep)).await,
        StatusCode::BAD_REQUEST,
        "assigned_rep_id",
    );

    let deleted = mock.nd("DELETE", &format!("/leads?id={id}"), None).await;
    assert_eq!(deleted.json, json!({"success": true, "data": {"deleted": true, "id": id}}));
    error(&mock.nd("DELETE", &format!("/leads?id={id}"), None).await, StatusCode::NOT_FOUND, "Lead");
}

fn ws(mock: &Mock) -> String {
    mock.state.lock().store().nexadesk().resolve_workspace("Acme").unwrap_or_default()
}

#[tokio::test]
async fn lead_limits_at_the_boundary() {
    let mock = Mock::new();
    for (field, max) in [
        ("visitor_name", 200),
        ("visitor_phone", 50),
        ("visitor_company", 200),
        ("need_summary", 2000),
        ("source", 100),
    ] {
        let mut at = json!({"visitor_name": "x"});
        at[field] = json!("a".repeat(max));
        assert_eq!(mock.nd("POST", "/leads", Some(at.clone())).await.status, StatusCode::CREATED, "{field} at {max}");
        at[field] = json!("a".repeat(max + 1));
        error(&mock.nd("POST", "/leads", Some(at)).await, StatusCode::BAD_REQUEST, field);
    }
    error(&mock.nd("POST", "/leads", Some(json!({}))).await, StatusCode::BAD_REQUEST, "visitor_name");
    error(
        &mock.nd("POST", "/leads", Some(json!({"visitor_name": " "}))).await,
        StatusCode::BAD_REQUEST,
        "visitor_name",
    );
    let bad = json!({"visitor_name": "x", "pipeline_stage": "won"});
    error(&mock.nd("POST", "/leads", Some(bad)).await, StatusCode::BAD_REQUEST, "pipeline_stage");
    let bad = json!({"visitor_name": "x", "visitor_email": "nope"});
    error(&mock.nd("POST", "/leads", Some(bad)).await, StatusCode::BAD_REQUEST, "visitor_email");
    let bad = json!({"visitor_name": "x", "tags": [1]});
    error(&mock.nd("POST", "/leads", Some(bad)).await, StatusCode::BAD_REQUEST, "tags");
    let bad = json!({"visitor_name": "x", "expected_billing_amount": "5"});
    error(&mock.nd("POST", "/leads", Some(bad)).await, StatusCode::BAD_REQUEST, "expected_billing_amount");
    error(
        &mock
            .send(
                "POST",
                &format!("{BASE}/leads"),
                &[("authorization", &format!("Bearer {}", mock.state.demo_keys().nexadesk_read_write))],
                Some("nope"),
            )
            .await,
        StatusCode::BAD_REQUEST,
        "body",
    );
}

#[tokio::test]
async fn contacts_unique_email_get_and_lists() {
    let mock = Mock::new();
    let body = json!({"first_name": "Ada", "email": "ada@example.com", "tags": ["vip"]});
    let created = mock.nd("POST", "/contacts", Some(body)).await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.json);
    let id = created.json["data"]["id"].as_str().unwrap_or_default().to_owned();
    let dup = json!({"first_name": "Eve", "email": "ADA@example.com"});
    error(&mock.nd("POST", "/contacts", Some(dup)).await, StatusCode::CONFLICT, "email");
    let got = mock.nd("GET", &format!("/contacts?id={id}"), None).await;
    assert_eq!(got.json["data"]["email"], "ada@example.com");
    assert!(got.json.get("pagination").is_none(), "a single resource");
    let tagged = mock.nd("GET", "/contacts?tag=vip", None).await;
    assert_eq!(data(&tagged).len(), 1);
    let patched = mock.nd("PATCH", &format!("/contacts?id={id}"), Some(json!({"last_name": "Lovelace"}))).await;
    assert_eq!(
        (patched.json["data"]["first_name"].as_str(), patched.json["data"]["last_name"].as_str()),
        (Some("Ada"), Some("Lovelace"))
    );
    // The same email on itself is no conflict; another contact's is.
    let same = mock.nd("PATCH", &format!("/contacts?id={id}"), Some(json!({"email": "ada@example.com"}))).await;
    assert_eq!(same.status, StatusCode::OK);
    let other = data(&mock.nd("GET", "/contacts?sort=email:asc&limit=1", None).await)[0]["email"].clone();
    error(
        &mock.nd("PATCH", &format!("/contacts?id={id}"), Some(json!({"email": other}))).await,
        StatusCode::CONFLICT,
        "email",
    );
    error(&mock.nd("GET", "/contacts?sort=phone:asc", None).await, StatusCode::BAD_REQUEST, "sort");
    let deleted = mock.nd("DELETE", &format!("/contacts?id={id}"), None).await;
    assert_eq!(deleted.json["data"]["deleted"], true);
    error(&mock.nd("GET", &format!("/contacts?id={id}"), None).await, StatusCode::NOT_FOUND, "Contact");
    error(&mock.nd("PATCH", "/contacts?id=", Some(json!({}))).await, StatusCode::BAD_REQUEST, "id");
}

#[tokio::test]
async fn conversations_get_filter_and_update() {
    let mock = Mock::new();
    let all = mock.nd("GET", "/conversations?status=all&limit=100", None).await;
    let total = all.json["pagination"]["total_count"].as_u64().unwrap_or_default();
    let mut by_status = 0;
    for status in ["open", "pending", "active", "archived"] {
        let page = mock.nd("GET", &format!("/conversations?status={status}&limit=100"), None).await;
        assert!(data(&page).iter().all(|c| c["status"] == status));
        assert!(!data(&page).is_empty(), "fixtures have every status");
        by_status += data(&page).len() as u64;
    }
    assert_eq!(by_status, total);
    error(&mock.nd("GET", "/conversations?status=closed", None).await, StatusCode::BAD_REQUEST, "status");
    let first = &data(&all)[0];
    let id = first["id"].as_str().unwrap_or_default();
    let one = mock.nd("GET", &format!("/conversations?id={id}"), None).await;
    let messages = one.json["data"]["messages"].as_array().cloned().unwrap_or_default();
    assert_eq!(messages.len() as u64, first["message_count"].as_u64().unwrap_or_default());
    assert_eq!(messages.last().map(|m| m["content"].clone()), Some(first["last_message"].clone()));
    let updated =
        mock.nd("PATCH", &format!("/conversations?id={id}"), Some(json!({"status": "archived", "tags": ["x"]}))).await;
    assert_eq!(
        (updated.json["data"]["status"].as_str(), updated.json["data"]["tags"].clone()),
        (Some("archived"), json!(["x"]))
    );
    error(
        &mock.nd("PATCH", &format!("/conversations?id={id}"), Some(json!({}))).await,
        StatusCode::BAD_REQUEST,
        "body",
    );
}

#[tokio::test]
async fn other_workspace_rows_are_404() {
    let mock = Mock::new();
    let globex = format!("Bearer {}", mock.state.demo_keys().nexadesk_globex);
    let acme_contact =
        data(&mock.nd("GET", "/contacts?limit=1", None).await)[0]["id"].as_str().unwrap_or_default().to_owned();
    let seen = mock.get(&format!("{BASE}/contacts?id={acme_contact}"), &[("authorization", &globex)]).await;
    error(&seen, StatusCode::NOT_FOUND, "Contact");
    let del =
        mock.send("DELETE", &format!("{BASE}/contacts?id={acme_contact}"), &[("authorization", &globex)], None).await;
    error(&del, StatusCode::NOT_FOUND, "Contact");
}

#[tokio::test]
async fn visitor_actions_and_webhook_registration() {
    let mock = Mock::new();
    let hook = mock
        .control("POST", "/nexadesk/webhooks", Some(json!({"workspace": "Acme", "url": "http://127.0.0.1:9/h"})))
        .await;
    assert_eq!(hook.status, StatusCode::CREATED, "{}", hook.json);
    assert!(hook.json["secret"].is_string() && hook.json["id"].is_string());
    let listed = mock.control("GET", "/nexadesk/webhooks", None).await;
    assert_eq!(listed.json.as_array().map(Vec::len), Some(1));
    let bad = mock
        .control("POST", "/nexadesk/webhooks", Some(json!({"workspace": "Acme", "url": "ftp://x", "events": []})))
        .await;
    assert_eq!((bad.status, bad.json["field"].as_str()), (StatusCode::BAD_REQUEST, Some("url")));
    let bad = mock
        .control(
            "POST",
            "/nexadesk/webhooks",
            Some(json!({"workspace": "Acme", "url": "http://x", "events": ["lead.won"]})),
        )
        .await;
    assert_eq!(bad.json["field"], "events");
    let id = hook.json["id"].as_str().unwrap_or_default();
    assert_eq!(mock.control("DELETE", &format!("/nexadesk/webhooks/{id}"), None).await.status, StatusCode::OK);
    assert_eq!(mock.control("DELETE", &format!("/nexadesk/webhooks/{id}"), None).await.status, StatusCode::NOT_FOUND);

    let started = mock
        .control(
            "POST",
            "/nexadesk/actions/start-conversation",
            Some(json!({"workspace": "Acme", "visitor_name": "Ada", "message": "Hi"})),
        )
        .await;
    assert_eq!(started.status, StatusCode::CREATED, "{}", started.json);
    assert_eq!((started.json["status"].as_str(), started.json["message_count"].as_u64()), (Some("open"), Some(1)));
    let cid = started.json["id"].as_str().unwrap_or_default().to_owned();
    let sent = mock
        .control(
            "POST",
            "/nexadesk/actions/send-message",
            Some(json!({"workspace": "Acme", "conversation_id": cid, "content": "Anyone?"})),
        )
        .await;
    assert_eq!(sent.status, StatusCode::CREATED, "{}", sent.json);
    let closed = mock
        .control(
            "POST",
            "/nexadesk/actions/close-conversation",
            Some(json!({"workspace": "Acme", "conversation_id": cid})),
        )
        .await;
    assert_eq!(closed.json["status"], "archived");
    let again = mock
        .control(
            "POST",
            "/nexadesk/actions/send-message",
            Some(json!({"workspace": "Acme", "conversation_id": cid, "content": "x"})),
        )
        .await;
    assert_eq!(again.status, StatusCode::BAD_REQUEST);
    let got = mock.nd("GET", &format!("/conversations?id={cid}"), None).await;
    assert_eq!(got.json["data"]["messages"].as_array().map(Vec::len), Some(2));
    // Globex's key does not see Acme's new conversation.
    let unknown = mock
        .control(
            "POST",
            "/nexadesk/actions/close-conversation",
            Some(json!({"workspace": "Globex", "conversation_id": cid})),
        )
        .await;
    assert_eq!(unknown.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn an_over_large_body_gets_the_envelope_on_every_write() {
    let mock = Mock::new();
    let huge = json!({"visitor_name": "a", "first_name": "a", "tags": ["x".repeat(3 * 1024 * 1024)]});
    let id = "00000000-0000-4000-8000-000000000000";
    for (method, path) in [
        ("POST", "/leads".to_owned()),
        ("PATCH", format!("/leads?id={id}")),
        ("POST", "/contacts".to_owned()),
        ("PATCH", format!("/contacts?id={id}")),
        ("PATCH", format!("/conversations?id={id}")),
    ] {
        let resp = mock.nd(method, &path, Some(huge.clone())).await;
        error(&resp, StatusCode::PAYLOAD_TOO_LARGE, "body");
        assert_eq!(resp.header("content-type"), "application/json", "{method} {path}");
    }
}
