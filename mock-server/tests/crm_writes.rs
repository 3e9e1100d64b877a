//! CRM writes: the ticket state machine through PATCH, close and reopen (every pair, both
//! ways), PATCH semantics (only sent fields change; `{}`, unknown fields, wrong types, bad
//! references and oversized metadata are 400), reply / assign / transfer / notes, conversation
//! assign and resolve, and that internal notes never reach the Data API's timeline.

mod common;

use axum::http::StatusCode;
use common::{Mock, assert_nextcap_error, crm::Fixture, detail_fields};
use serde_json::{Value, json};

const STATUSES: [&str; 8] =
    ["new", "open", "in_progress", "waiting_customer", "waiting_internal", "resolved", "closed", "reopened"];

/// The document's "Ticket Status Transitions" table, restated here on purpose.
fn allowed(from: &str) -> &'static [&'static str] {
    match from {
        "new" => &["open", "in_progress", "closed"],
        "open" => &["in_progress", "waiting_customer", "waiting_internal", "resolved", "closed"],
        "in_progress" => &["waiting_customer", "waiting_internal", "resolved", "closed"],
        "waiting_customer" | "waiting_internal" => &["open", "in_progress", "resolved", "closed"],
        "resolved" => &["closed", "reopened"],
        "closed" => &["reopened"],
        "reopened" => &["open", "in_progress", "waiting_customer", "waiting_internal", "resolved", "closed"],
        _ => &[],
    }
}

async fn status_of(mock: &Mock, key: &str, id: &str) -> String {
    mock.crm_ok(key, &format!("/tickets/{id}")).await["data"]["status"].as_str().unwrap_or_default().to_owned()
}

#[tokio::test]
async fn patch_follows_the_state_machine_both_ways() {
    let probe = Mock::new();
    let f = Fixture::of(&probe);
    let key = &f.keys.nextcap_crm_ticketing;
    let mut moves = 0;
    for from in STATUSES {
        let id = f.ticket(from, 0);
        // Every refused move on one mock: nothing changes.
        let mock = Mock::new();
        for to in STATUSES.iter().filter(|to| !allowed(from).contains(to)) {
            let resp =
                mock.crm("PATCH", key, &format!("/tickets/{id}"), Some(&json!({"status": to}).to_string())).await;
            assert_nextcap_error(&resp, StatusCode::BAD_REQUEST, "VALIDATION_ERROR");
            assert_eq!(detail_fields(&resp), ["status"], "{from} -> {to}");
            assert_eq!(status_of(&mock, key, &id).await, from);
        }
        // Every allowed move, each on a fresh mock.
        for to in allowed(from) {
            let mock = Mock::new();
            let resp =
                mock.crm("PATCH", key, &format!("/tickets/{id}"), Some(&json!({"status": to}).to_string())).await;
            assert_eq!(resp.status, StatusCode::OK, "{from} -> {to}: {}", resp.json);
            assert_eq!(resp.json["data"]["status"], *to);
            if *to == "resolved" {
                assert!(resp.json["data"]["resolved_at"].is_string());
            }
            if *to == "closed" {
                assert!(resp.json["data"]["closed_at"].is_string());
            }
            if *to == "reopened" {
                assert!(resp.json["data"]["closed_at"].is_null() && resp.json["data"]["resolved_at"].is_null());
            }
            moves += 1;
        }
    }
    assert_eq!(moves, 3 + 5 + 4 + 4 + 4 + 2 + 1 + 6);
}

#[tokio::test]
async fn close_and_reopen_follow_the_state_machine() {
    let probe = Mock::new();
    let f = Fixture::of(&probe);
    let key = &f.keys.nextcap_crm_ticketing;
    for from in STATUSES {
        let id = f.ticket(from, 0);
        for (action, to) in [("close", "closed"), ("reopen", "reopened")] {
            let mock = Mock::new();
            let resp = mock.crm("POST", key, &format!("/tickets/{id}/{action}"), None).await;
            if allowed(from).contains(&to) {
                assert_eq!(resp.status, StatusCode::OK, "{action} from {from}: {}", resp.json);
                assert_eq!(resp.json["data"]["status"], to);
                assert!(resp.json["data"]["attachments"].is_array(), "answers the ticket as getCrmTicket");
            } else {
                assert_nextcap_error(&resp, StatusCode::BAD_REQUEST, "VALIDATION_ERROR");
                assert_eq!(status_of(&mock, key, &id).await, from, "{action} from {from} changed nothing");
            }
        }
    }
}

#[tokio::test]
async fn patch_changes_only_what_is_sent_and_refuses_bad_bodies() {
    let mock = Mock::new();
    let f = Fixture::of(&mock);
    let key = &f.keys.nextcap_crm_ticketing;
    let id = f.ticket("open", 0);
    let path = format!("/tickets/{id}");
    let before = mock.crm_ok(key, &path).await["data"].clone();
    let patch = json!({"priority": "urgent", "tags": ["vip", "escalated"], "metadata": {"panel_source": "crm"}, "custom_fields": {"plan": "enterprise"}, "category": null});
    let resp = mock.crm("PATCH", key, &path, Some(&patch.to_string())).await;
    assert_eq!(resp.status, StatusCode::OK, "{}", resp.json);
    let after = &resp.json["data"];
    assert_eq!(after["priority"], "urgent");
    assert_eq!(after["tags"], json!(["vip", "escalated"]), "tags replace");
    assert_eq!(after["metadata"], json!({"panel_source": "crm"}), "metadata replaces");
    assert_eq!(after["custom_fields"]["plan"], "enterprise");
    assert!(after["category"].is_null());
    for untouched in ["subject", "description", "status", "department_id", "assigned_agent_id", "ticket_number"] {
        assert_eq!(after[untouched], before[untouched], "{untouched}");
    }
    assert!(after["updated_at"].as_str() > before["updated_at"].as_str());
    // Bad bodies: each names its field and changes nothing.
    let big = json!({"metadata": {"blob": "x".repeat(10 * 1024)}});
    let ghost = "00000000-0000-4000-8000-000000000000";
    let globex_department = &f.globex_departments[0];
    let gina = f.seat("Gina Globex");
    let dan = f.seat("Dan Gone");
    let cases: Vec<(String, &str)> = vec![
        ("{}".into(), "body"),
        ("".into(), "body"),
        ("[1]".into(), "body"),
        (json!({"colour": "red"}).to_string(), "colour"),
        (json!({"tags": "vip"}).to_string(), "tags"),
        (json!({"priority": 3}).to_string(), "priority"),
        (json!({"priority": "asap"}).to_string(), "priority"),
        (json!({"subject": null}).to_string(), "subject"),
        (json!({"metadata": [1, 2]}).to_string(), "metadata"),
        (big.to_string(), "metadata"),
        (json!({"department_id": "nope"}).to_string(), "department_id"),
        (json!({"department_id": ghost}).to_string(), "department_id"),
        (json!({"department_id": globex_department}).to_string(), "department_id"),
        (json!({"assigned_agent_id": gina}).to_string(), "assigned_agent_id"),
        (json!({"assigned_agent_id": dan}).to_string(), "assigned_agent_id"),
    ];
    for (body, field) in cases {
        let resp = mock.crm("PATCH", key, &path, Some(&body)).await;
        assert_nextcap_error(&resp, StatusCode::BAD_REQUEST, "VALIDATION_ERROR");
        assert_eq!(detail_fields(&resp), [field], "{body}");
    }
    assert_eq!(mock.crm_ok(key, &path).await["data"], *after, "the refused patches changed nothing");
    // A metadata object of exactly 10 KB is fine.
    let filler = 10 * 1024 - json!({"blob": ""}).to_string().len();
    let exact = json!({"metadata": {"blob": "x".repeat(filler)}});
    assert_eq!(mock.crm("PATCH", key, &path, Some(&exact.to_string())).await.status, StatusCode::OK);
    // Unknown and malformed ticket ids are 404, before the body is read.
    for bad in [ghost, "not-a-uuid"] {
        let resp = mock.crm("PATCH", key, &format!("/tickets/{bad}"), Some("{}")).await;
        assert_nextcap_error(&resp, StatusCode::NOT_FOUND, "NOT_FOUND");
    }
}

#[tokio::test]
async fn reply_assign_transfer_and_notes() {
    let mock = Mock::new();
    let f = Fixture::of(&mock);
    let key = &f.keys.nextcap_crm_ticketing;
    let tara = f.seat("Tara Tickets");
    let liam = f.seat("Liam Chat");
    let id = f.ticket("open", 0);
    // Reply: in the timeline, by the seat; the status stays.
    let reply = mock.crm("POST", key, &format!("/tickets/{id}/reply"), Some(r#"{"content": "We are on it."}"#)).await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.json);
    assert_eq!(
        (reply.json["data"]["type"].clone(), reply.json["data"]["actor_id"].clone()),
        (json!("reply"), json!(tara))
    );
    let timeline = mock.crm_ok(key, &format!("/tickets/{id}/events?per_page=100")).await;
    let last = timeline["data"].as_array().and_then(|d| d.last()).cloned().unwrap_or_default();
    assert_eq!((last["content"].clone(), last["actor_type"].clone()), (json!("We are on it."), json!("agent")));
    assert_eq!(status_of(&mock, key, &id).await, "open");
    // Real staged uploads: a reply links the files it names.
    let mut ids: Vec<String> = Vec::new();
    for i in 0..21 {
        ids.push(mock.stage_upload(key, &format!("file {i}")).await);
    }
    for (body, field) in [
        (json!({}), "content"),
        (json!({"content": "  "}), "content"),
        (json!({"content": 5}), "content"),
        (json!({"content": "x", "attachment_ids": ids}), "attachment_ids"),
        (json!({"content": "x", "attachment_ids": ["nope"]}), "attachment_ids"),
    ] {
        let resp = mock.crm("POST", key, &format!("/tickets/{id}/reply"), Some(&body.to_string())).await;
        assert_nextcap_error(&resp, StatusCode::BAD_REQUEST, "VALIDATION_ERROR");
        assert_eq!(detail_fields(&resp), [field], "{body}");
    }
    let twenty = json!({"content": "files", "attachment_ids": ids[..20]});
    assert_eq!(
        mock.crm("POST", key, &format!("/tickets/{id}/reply"), Some(&twenty.to_string())).await.status,
        StatusCode::CREATED
    );
    // Assign.
    let assigned =
        mock.crm("POST", key, &format!("/tickets/{id}/assign"), Some(&json!({"agent_id": liam}).to_string())).await;
    assert_eq!(assigned.json["data"]["assigned_agent_id"], json!(liam), "{}", assigned.json);
    for body in [json!({}), json!({"agent_id": "x"}), json!({"agent_id": f.seat("Dan Gone")})] {
        let resp = mock.crm("POST", key, &format!("/tickets/{id}/assign"), Some(&body.to_string())).await;
        assert_nextcap_error(&resp, StatusCode::BAD_REQUEST, "VALIDATION_ERROR");
        assert_eq!(detail_fields(&resp), ["agent_id"]);
    }
    // Transfer: unassigns by default, keeps the assignee with unassign=false.
    let department = f
        .acme_departments
        .iter()
        .find(|d| Some(d.as_str()) != assigned.json["data"]["department_id"].as_str())
        .cloned()
        .unwrap_or_default();
    let kept = mock
        .crm(
            "POST",
            key,
            &format!("/tickets/{id}/transfer"),
            Some(&json!({"department_id": department, "unassign": false}).to_string()),
        )
        .await;
    assert_eq!(
        (kept.json["data"]["department_id"].clone(), kept.json["data"]["assigned_agent_id"].clone()),
        (json!(department), json!(liam))
    );
    let other = f.acme_departments.iter().find(|d| **d != department).cloned().unwrap_or_default();
    let moved = mock
        .crm("POST", key, &format!("/tickets/{id}/transfer"), Some(&json!({"department_id": other}).to_string()))
        .await;
    assert_eq!(moved.json["data"]["department"]["id"], json!(other));
    assert!(moved.json["data"]["assigned_agent_id"].is_null(), "unassign defaults to true");
    for body in [
        json!({}),
        json!({"department_id": f.globex_departments[0]}),
        json!({"department_id": other, "unassign": "yes"}),
    ] {
        let resp = mock.crm("POST", key, &format!("/tickets/{id}/transfer"), Some(&body.to_string())).await;
        assert_nextcap_error(&resp, StatusCode::BAD_REQUEST, "VALIDATION_ERROR");
    }
    // Notes: internal by default, visible to tickets:manage only, never in the Data API.
    let note =
        mock.crm("POST", key, &format!("/tickets/{id}/notes"), Some(r#"{"content": "Secret: legacy plan"}"#)).await;
    assert_eq!((note.status, note.json["data"]["is_internal"].clone()), (StatusCode::CREATED, json!(true)));
    let public = mock
        .crm("POST", key, &format!("/tickets/{id}/notes"), Some(r#"{"content": "Public note", "is_internal": false}"#))
        .await;
    assert_eq!(public.json["data"]["is_internal"], false);
    let contents = |body: &Value| -> Vec<String> {
        body["data"].as_array().into_iter().flatten().filter_map(|e| e["content"].as_str().map(str::to_owned)).collect()
    };
    let manager = mock.crm_ok(key, &format!("/tickets/{id}/events?per_page=100")).await;
    let viewer = mock.crm_ok(&f.keys.nextcap_crm_view_own, &format!("/tickets/{id}/events?per_page=100")).await;
    let data_api = mock.nextcap(&format!("/external/tickets/{id}/events?per_page=100")).await;
    assert!(contents(&manager).contains(&"Secret: legacy plan".to_owned()));
    for hidden in [contents(&viewer), contents(&data_api.json)] {
        assert!(!hidden.contains(&"Secret: legacy plan".to_owned()) && hidden.contains(&"Public note".to_owned()));
    }
    let empty = mock.crm("POST", key, &format!("/tickets/{id}/notes"), Some(r#"{"content": ""}"#)).await;
    assert_nextcap_error(&empty, StatusCode::BAD_REQUEST, "VALIDATION_ERROR");
}

#[tokio::test]
async fn conversations_are_assigned_from_the_queue_and_resolved() {
    let mock = Mock::new();
    let f = Fixture::of(&mock);
    let key = &f.keys.nextcap_crm_live_chat;
    let liam = f.seat("Liam Chat");
    let queue = mock.crm_ok(key, "/conversations/queue").await;
    let first = queue["data"][0]["id"].as_str().unwrap_or_default().to_owned();
    let resp = mock
        .crm("POST", key, &format!("/conversations/{first}/assign"), Some(&json!({"agent_id": liam}).to_string()))
        .await;
    assert_eq!((resp.status, resp.json["data"]["assigned_agent_id"].clone()), (StatusCode::OK, json!(liam)));
    let after = mock.crm_ok(key, "/conversations/queue").await;
    assert_eq!(after["data"].as_array().map(Vec::len), queue["data"].as_array().map(|q| q.len() - 1), "picked up");
    let bad = mock
        .crm(
            "POST",
            key,
            &format!("/conversations/{first}/assign"),
            Some(r#"{"agent_id": "00000000-0000-4000-8000-000000000000"}"#),
        )
        .await;
    assert_nextcap_error(&bad, StatusCode::BAD_REQUEST, "VALIDATION_ERROR");
    let resolved = mock.crm("POST", key, &format!("/conversations/{first}/resolve"), None).await;
    assert_eq!(resolved.json["data"]["status"], "resolved");
    assert!(resolved.json["data"]["resolved_at"].is_string());
    let again = mock.crm("POST", key, &format!("/conversations/{first}/resolve"), None).await;
    assert_eq!(again.json["data"], resolved.json["data"], "resolving twice changes nothing");
    let missing = mock.crm("POST", key, "/conversations/00000000-0000-4000-8000-000000000000/resolve", None).await;
    assert_nextcap_error(&missing, StatusCode::NOT_FOUND, "NOT_FOUND");
}
