//! Next Cap writes through `Router::oneshot`: the call request `PATCH` rules, webhook
//! management, the control actions over HTTP, and the operations listing.

mod common;

use axum::http::StatusCode;
use common::{Mock, assert_nextcap_error, data, detail_fields, s};
use serde_json::{Value, json};

const CALLS: &str = "/external/call-requests";

/// The first Acme call request with `status`.
async fn call_with_status(mock: &Mock, status: &str) -> Value {
    data(&mock.nextcap(&format!("{CALLS}?status={status}")).await)[0].clone()
}

/// An active seat of Acme and Globex's owner seat.
fn seats(mock: &Mock) -> (String, String, String) {
    let inner = mock.state.lock();
    let nc = inner.store().nextcap();
    let (acme, globex) = (nc.orgs()[0].id, nc.orgs()[1].id);
    let active = nc.seats().iter().find(|x| x.org_id == acme && x.active).map(|x| x.id.to_string());
    let inactive = nc.seats().iter().find(|x| x.org_id == acme && !x.active).map(|x| x.id.to_string());
    let foreign = nc.seats().iter().find(|x| x.org_id == globex).map(|x| x.id.to_string());
    (active.unwrap_or_default(), inactive.unwrap_or_default(), foreign.unwrap_or_default())
}

#[tokio::test]
async fn patch_completes_assigns_and_notes_with_timestamps() {
    let mock = Mock::new();
    let (seat, _, _) = seats(&mock);
    let call = call_with_status(&mock, "contacted").await;
    let id = s(&call, "id");
    assert!(call["completed_at"].is_null());
    let body = json!({"status": "completed", "assigned_user_id": seat, "notes": "Called back, all good."}).to_string();
    let resp = mock.nextcap_write("PATCH", &format!("{CALLS}/{id}"), &body).await;
    assert_eq!(resp.status, StatusCode::OK, "{}", resp.json);
    let done = &resp.json["data"];
    assert_eq!(
        (s(done, "status"), s(done, "assigned_user_id"), s(done, "notes")),
        ("completed", seat.as_str(), "Called back, all good.")
    );
    assert!(done["completed_at"].is_string());
    assert!(s(done, "updated_at") > s(&call, "updated_at"), "updated_at moves");
    assert_eq!(mock.nextcap(&format!("{CALLS}/{id}")).await.json["data"], *done, "the change is stored");
    // Moving away from completed clears completed_at; null unassigns and clears the notes.
    let body = json!({"status": "scheduled", "assigned_user_id": null, "notes": null}).to_string();
    let back = mock.nextcap_write("PATCH", &format!("{CALLS}/{id}"), &body).await;
    let back = &back.json["data"];
    assert_eq!(s(back, "status"), "scheduled");
    assert!(back["completed_at"].is_null() && back["assigned_user_id"].is_null() && back["notes"].is_null());
    // Only the fields sent change.
    let notes = mock.nextcap_write("PATCH", &format!("{CALLS}/{id}"), r#"{"notes": "x"}"#).await;
    assert_eq!((s(&notes.json["data"], "status"), s(&notes.json["data"], "notes")), ("scheduled", "x"));
}

#[tokio::test]
async fn patch_with_the_current_values_changes_nothing() {
    let mock = Mock::new();
    let call = call_with_status(&mock, "new").await;
    let resp = mock.nextcap_write("PATCH", &format!("{CALLS}/{}", s(&call, "id")), r#"{"status": "new"}"#).await;
    assert_eq!(resp.status, StatusCode::OK);
    assert_eq!(resp.json["data"], call, "not even updated_at");
}

#[tokio::test]
async fn patch_refuses_bad_bodies_naming_the_field() {
    let mock = Mock::new();
    let (_, inactive, foreign) = seats(&mock);
    let id = s(&call_with_status(&mock, "new").await, "id").to_owned();
    let path = format!("{CALLS}/{id}");
    let long = "n".repeat(5001);
    for (body, field) in [
        ("", "body"),
        ("{}", "body"),
        ("[]", "body"),
        ("{\"status\": ", "body"),
        (r#"{"status": "done"}"#, "status"),
        (r#"{"status": null}"#, "status"),
        (r#"{"status": 3}"#, "status"),
        (r#"{"assigned_user_id": "bob"}"#, "assigned_user_id"),
        (&format!(r#"{{"assigned_user_id": "{foreign}"}}"#), "assigned_user_id"),
        (&format!(r#"{{"assigned_user_id": "{inactive}"}}"#), "assigned_user_id"),
        (r#"{"notes": 12}"#, "notes"),
        (&format!(r#"{{"notes": "{long}"}}"#), "notes"),
        (r#"{"status": "new", "priority": "high"}"#, "priority"),
    ] {
        let resp = mock.nextcap_write("PATCH", &path, body).await;
        assert_nextcap_error(&resp, StatusCode::BAD_REQUEST, "VALIDATION_ERROR");
        assert_eq!(detail_fields(&resp), [field], "{body:.60}");
    }
    let untouched = mock.nextcap(&path).await;
    assert_eq!(s(&untouched.json["data"], "status"), "new", "nothing was applied");
    let unknown = mock
        .nextcap_write("PATCH", &format!("{CALLS}/00000000-0000-4000-8000-000000000000"), r#"{"status": "new"}"#)
        .await;
    assert_nextcap_error(&unknown, StatusCode::NOT_FOUND, "NOT_FOUND");
    let key = mock.state.demo_keys().nextcap_data_globex.clone();
    let foreign_row = mock.nextcap_with("PATCH", &key, &path, Some(r#"{"status": "contacted"}"#)).await;
    assert_nextcap_error(&foreign_row, StatusCode::NOT_FOUND, "NOT_FOUND");
}

#[tokio::test]
async fn webhooks_are_created_listed_without_secret_and_deleted() {
    let mock = Mock::new();
    let body =
        json!({"url": "https://crm.example.com/hooks", "events": ["lead.created", "ticket.created"]}).to_string();
    let created = mock.nextcap_write("POST", "/external/webhooks", &body).await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.json);
    let hook = &created.json["data"];
    let secret = s(hook, "secret");
    assert!(
        secret.starts_with("whsec_")
            && secret.len() == 6 + 32
            && secret[6..].chars().all(|c| c.is_ascii_alphanumeric())
    );
    assert_eq!(
        (hook["events"].clone(), hook["is_active"].clone()),
        (json!(["lead.created", "ticket.created"]), json!(true))
    );
    let other = mock.nextcap_write("POST", "/external/webhooks", &body).await;
    assert_ne!(s(&other.json["data"], "secret"), secret, "every webhook gets its own secret");

    let list = mock.nextcap("/external/webhooks").await;
    let rows = data(&list);
    assert_eq!(rows.len(), 2);
    assert!(rows.iter().all(|w| w.get("secret").is_none()), "{}", list.json);
    assert_eq!(s(&rows[1], "id"), s(hook, "id"), "newest first");
    assert!(data(&mock.globex("/external/webhooks").await).is_empty(), "Globex sees none of Acme's");

    let id = s(hook, "id");
    let key = mock.state.demo_keys().nextcap_data_globex.clone();
    let foreign = mock.nextcap_with("DELETE", &key, &format!("/external/webhooks/{id}"), None).await;
    assert_nextcap_error(&foreign, StatusCode::NOT_FOUND, "NOT_FOUND");
    let deleted = mock.nextcap_write("DELETE", &format!("/external/webhooks/{id}"), "").await;
    assert_eq!((deleted.status, deleted.json["data"].clone()), (StatusCode::OK, json!({"id": id, "deleted": true})));
    let again = mock.nextcap_write("DELETE", &format!("/external/webhooks/{id}"), "").await;
    assert_nextcap_error(&again, StatusCode::NOT_FOUND, "NOT_FOUND");
    assert_eq!(data(&mock.nextcap("/external/webhooks").await).len(), 1);
}

#[tokio::test]
async fn webhook_creation_validates_url_and_events() {
    let mock = Mock::new();
    for (body, field) in [
        (json!({"url": "ftp://example.com/x", "events": ["lead.created"]}), "url"),
        (json!({"url": "/relative", "events": ["lead.created"]}), "url"),
        (json!({"url": "https://", "events": ["lead.created"]}), "url"),
        (json!({"url": "https://ok.example.com", "events": []}), "events"),
        (json!({"url": "https://ok.example.com", "events": ["lead.deleted"]}), "events"),
        (json!({"url": "https://ok.example.com", "events": ["lead.created", "lead.created"]}), "events"),
        (json!({"url": "https://ok.example.com", "events": "lead.created"}), "events"),
        (json!({"events": ["lead.created"]}), "url"),
        (json!({"url": "https://ok.example.com", "events": ["lead.created"], "active": true}), "active"),
    ] {
        let resp = mock.nextcap_write("POST", "/external/webhooks", &body.to_string()).await;
        assert_nextcap_error(&resp, StatusCode::BAD_REQUEST, "VALIDATION_ERROR");
        assert_eq!(detail_fields(&resp), [field], "{body}");
    }
    let both = mock.nextcap_write("POST", "/external/webhooks", r#"{"url": "x", "events": []}"#).await;
    assert_eq!(detail_fields(&both), ["url", "events"], "both problems at once");
    assert!(data(&mock.nextcap("/external/webhooks").await).is_empty());
}

#[tokio::test]
async fn every_action_creates_what_the_api_then_shows() {
    let mock = Mock::new();
    let lead = mock.action("capture-lead", r#"{"org": "acme", "email": "jane@example.com", "name": "Jane"}"#).await;
    assert_eq!(lead.status, StatusCode::CREATED, "{}", lead.json);
    let found = mock.nextcap(&format!("/external/leads/{}", s(&lead.json, "id"))).await;
    assert_eq!(found.json["data"], lead.json);
    assert_eq!(mock.nextcap("/external/leads?per_page=1").await.json["data"][0], lead.json, "newest first");

    let started =
        mock.action("start-conversation", r#"{"org": "ACME", "message": "Hello?", "visitor_name": "Jo"}"#).await;
    assert_eq!((started.status, s(&started.json, "status")), (StatusCode::CREATED, "active"));
    assert_eq!((started.json["message_count"].as_u64(), s(&started.json, "title")), (Some(1), "Hello?"));
    let conversation = s(&started.json, "id").to_owned();
    let visitor = data(&mock.nextcap("/external/visitors?per_page=1").await)[0].clone();
    assert_eq!(
        (visitor["visitor_id"].clone(), s(&visitor, "name")),
        (started.json["visitor_id"].clone(), "Jo"),
        "a new visitor"
    );

    let body = json!({"org": "acme", "conversation_id": conversation, "content": "Anyone there?"}).to_string();
    let message = mock.action("send-message", &body).await;
    assert_eq!((message.status, s(&message.json, "role")), (StatusCode::CREATED, "user"));
    let messages = mock.nextcap(&format!("/external/conversations/{conversation}/messages")).await;
    assert_eq!(data(&messages).iter().map(|m| s(m, "content")).collect::<Vec<_>>(), ["Hello?", "Anyone there?"]);

    let (seat, _, _) = seats(&mock);
    let body = json!({"org": "acme", "conversation_id": conversation, "assigned_agent_id": seat}).to_string();
    let handed = mock.action("hand-off", &body).await;
    assert_eq!((handed.status, s(&handed.json, "status")), (StatusCode::OK, "handed_off"));
    assert!(handed.json["handed_off_at"].is_string());
    let body = json!({"org": "acme", "conversation_id": conversation, "satisfaction_rating": 5}).to_string();
    let done = mock.action("complete-conversation", &body).await;
    assert_eq!((s(&done.json, "status"), done.json["satisfaction_rating"].as_u64()), ("resolved", Some(5)));
    assert_eq!(mock.nextcap(&format!("/external/conversations/{conversation}")).await.json["data"], done.json);

    let ticket = mock
        .action("file-ticket", r#"{"org": "acme", "subject": "Broken", "tags": ["vip"], "visitor_email": "a@b.co"}"#)
        .await;
    assert_eq!((ticket.status, s(&ticket.json, "status")), (StatusCode::CREATED, "new"));
    assert_eq!(ticket.json["ticket_number"], 3440, "numbers continue after the fixtures' 3400-3439");
    assert_eq!(ticket.json["department"]["name"], "Billing", "the default department");

    let call = mock
        .action(
            "request-callback",
            r#"{"org": "acme", "name": "Al", "phone": "+1 555 123 4567", "preferred_time_window": "09:00-09:30"}"#,
        )
        .await;
    assert_eq!(
        (call.status, s(&call.json, "status"), s(&call.json, "triggered_by")),
        (StatusCode::CREATED, "new", "visitor")
    );
    assert_eq!(mock.nextcap(&format!("{CALLS}/{}", s(&call.json, "id"))).await.json["data"], call.json);
}

#[tokio::test]
async fn customer_replies_reopen_resolved_tickets_and_answer_waiting_ones() {
    let mock = Mock::new();
    for (status, next, extra) in [
        ("resolved", "reopened", "reopened"),
        ("closed", "reopened", "reopened"),
        ("waiting_customer", "open", "status_changed"),
        ("open", "open", ""),
    ] {
        let ticket = data(&mock.nextcap(&format!("/external/tickets?status={status}")).await)[0].clone();
        let id = s(&ticket, "id");
        let body = json!({"org": "acme", "ticket_id": id, "content": "It broke again."}).to_string();
        let reply = mock.action("customer-reply", &body).await;
        assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.json);
        assert_eq!((s(&reply.json["ticket"], "status"), s(&reply.json["reply"], "type")), (next, "customer_reply"));
        assert!(reply.json["reply"]["actor_id"].is_null() && reply.json["reply"]["actor_type"] == "customer");
        let events = mock.nextcap_all(&format!("/external/tickets/{id}/events")).await;
        let tail: Vec<&str> = events.iter().rev().take(2).map(|e| s(e, "type")).collect();
        if extra.is_empty() {
            assert_eq!(tail[0], "customer_reply");
        } else {
            assert_eq!(tail, [extra, "customer_reply"], "{status}");
        }
        if next == "reopened" {
            assert!(reply.json["ticket"]["resolved_at"].is_null() && reply.json["ticket"]["closed_at"].is_null());
        }
    }
}

#[tokio::test]
async fn actions_refuse_bad_input_naming_the_field() {
    let mock = Mock::new();
    let resolved = data(&mock.nextcap("/external/conversations?status=resolved").await)[0].clone();
    let globex_conv = s(&data(&mock.globex("/external/conversations").await)[0], "id").to_owned();
    for (action, body, status, field) in [
        ("capture-lead", json!({"email": "a@b.co"}), 400, "org"),
        ("capture-lead", json!({"org": "initech", "email": "a@b.co"}), 400, "org"),
        ("capture-lead", json!({"org": "acme"}), 400, "email"),
        ("capture-lead", json!({"org": "acme", "email": "not-an-email"}), 400, "email"),
        ("capture-lead", json!({"org": "acme", "email": "a@b.co", "source": "fax"}), 400, "source"),
        (
            "capture-lead",
            json!({"org": "acme", "email": "a@b.co", "conversation_id": globex_conv}),
            400,
            "conversation_id",
        ),
        ("capture-lead", json!({"org": "acme", "email": "a@b.co", "emial": "x"}), 400, "emial"),
        ("start-conversation", json!({"org": "acme", "channel": "pigeon"}), 400, "channel"),
        ("start-conversation", json!({"org": "acme", "visitor_id": "v_nobody"}), 400, "visitor_id"),
        ("send-message", json!({"org": "acme", "conversation_id": resolved["id"]}), 400, "content"),
        ("send-message", json!({"org": "acme", "content": "hi"}), 400, "conversation_id"),
        ("hand-off", json!({"org": "acme", "conversation_id": resolved["id"]}), 409, "conversation_id"),
        ("hand-off", json!({"org": "acme", "conversation_id": "nope"}), 400, "conversation_id"),
        (
            "complete-conversation",
            json!({"org": "acme", "conversation_id": resolved["id"], "satisfaction_rating": 9}),
            400,
            "satisfaction_rating",
        ),
        ("complete-conversation", json!({"org": "acme", "conversation_id": resolved["id"]}), 409, "conversation_id"),
        ("file-ticket", json!({"org": "acme"}), 400, "subject"),
        ("file-ticket", json!({"org": "acme", "subject": "x", "priority": "medium"}), 400, "priority"),
        ("file-ticket", json!({"org": "acme", "subject": "x", "tags": ["a,b"]}), 400, "tags"),
        ("file-ticket", json!({"org": "acme", "subject": "x", "origin_url": "javascript:alert(1)"}), 400, "origin_url"),
        ("customer-reply", json!({"org": "acme", "content": "x"}), 400, "ticket_id"),
        ("request-callback", json!({"org": "acme", "name": "Al", "phone": "call me"}), 400, "phone"),
        (
            "request-callback",
            json!({"org": "acme", "name": "Al", "phone": "+15551234567", "preferred_date": "2026-13-01"}),
            400,
            "preferred_date",
        ),
        ("request-callback", json!({"org": "acme", "phone": "+15551234567"}), 400, "name"),
    ] {
        let resp = mock.action(action, &body.to_string()).await;
        assert_eq!(resp.status.as_u16(), status, "{action} {body}: {}", resp.json);
        assert_eq!(resp.json["field"], field, "{action} {body}: {}", resp.json);
        assert!(s(&resp.json, "error").starts_with(field), "{}", resp.json);
    }
    let not_json = mock.action("capture-lead", "{oops").await;
    assert_eq!((not_json.status, not_json.json["field"].clone()), (StatusCode::BAD_REQUEST, json!("body")));
}

#[tokio::test]
async fn operations_list_every_data_endpoint() {
    let mock = Mock::new();
    let ops = mock.get("/__mock/operations", &[]).await;
    let data_ops: Vec<&str> = ops
        .json
        .as_array()
        .map(|a| a.iter().filter(|o| o["api"] == "nextcap-data").map(|o| s(o, "operation_id")).collect())
        .unwrap_or_default();
    assert_eq!(
        data_ops,
        [
            "listLeads",
            "getLead",
            "listConversations",
            "getConversation",
            "listConversationMessages",
            "listTickets",
            "getTicket",
            "listTicketEvents",
            "listCallRequests",
            "getCallRequest",
            "updateCallRequest",
            "listVisitors",
            "getVisitor",
            "listVisitorSessions",
            "getVisitorProfile",
            "listDepartments",
            "getDepartment",
            "getAnalyticsOverview",
            "getAnalyticsDaily",
            "createWebhook",
            "listWebhooks",
            "deleteWebhook",
        ]
    );
    let patch = ops.json.as_array().and_then(|a| a.iter().find(|o| o["operation_id"] == "updateCallRequest")).cloned();
    assert_eq!(
        patch.map(|p| (p["method"].clone(), p["path"].clone())),
        Some((json!("PATCH"), json!("/external/call-requests/{id}")))
    );
}
