//! CRM reads: conversations (list, queue, one with its messages, messages paged 50 by default),
//! tickets (list with attachment counts, filters, search, sort; one with `attachments[]`; the
//! timeline), the team directory, and the seat scoping every read goes through (widgets,
//! view-own, 403 for the own organisation's rows outside the seat's widgets).

mod common;

use std::collections::BTreeSet;

use axum::http::StatusCode;
use common::{Mock, assert_nextcap_error, crm::Fixture, data, detail_fields};
use serde_json::Value;

#[tokio::test]
async fn conversations_list_get_messages_and_queue() {
    let mock = Mock::new();
    let f = Fixture::of(&mock);
    let admin = &f.keys.nextcap_crm_admin;
    let all = mock.crm_ids(admin, "/conversations").await;
    assert_eq!(all.len(), f.acme_conversations.len(), "the owner sees every Acme conversation");
    let handed = mock.crm_ok(admin, "/conversations?status=handed_off,resolved").await;
    let expected = f.acme_conversations.iter().filter(|c| c.status == "handed_off" || c.status == "resolved").count();
    assert_eq!(handed["meta"]["total"], expected);
    let first = &f.acme_conversations[0].id;
    let one = mock.crm_ok(admin, &format!("/conversations/{first}")).await;
    let messages = one["data"]["messages"].as_array().cloned().unwrap_or_default();
    assert!(!messages.is_empty() && messages.len() == one["data"]["message_count"].as_u64().unwrap_or(0) as usize);
    let times: Vec<&str> = messages.iter().map(|m| m["created_at"].as_str().unwrap_or("")).collect();
    assert!(times.windows(2).all(|w| w[0] <= w[1]), "oldest first");
    let paged = mock.crm_ok(admin, &format!("/conversations/{first}/messages")).await;
    assert_eq!(paged["meta"]["per_page"], 50, "messages page 50 at a time by default");
    assert_eq!(data_len(&paged), messages.len());
    let small = mock.crm_ok(admin, &format!("/conversations/{first}/messages?per_page=2&page=2")).await;
    assert_eq!(small["data"][0]["id"], messages[2]["id"]);
    // The queue: handed off, nobody assigned, oldest handoff first.
    let liam = &f.keys.nextcap_crm_live_chat;
    let queue = mock.crm_ok(liam, "/conversations/queue").await;
    let rows = queue["data"].as_array().cloned().unwrap_or_default();
    let waiting = f.acme_conversations.iter().filter(|c| c.status == "handed_off" && c.assignee.is_none()).count();
    assert!(waiting >= 2 && rows.len() == waiting, "{queue}");
    assert!(rows.iter().all(|c| c["status"] == "handed_off" && c["assigned_agent_id"].is_null()));
    let widgets: BTreeSet<&str> = rows.iter().map(|c| c["agent_id"].as_str().unwrap_or("")).collect();
    assert_eq!(widgets.len(), 2, "the queue spans both widgets");
    let handoffs: Vec<&str> = rows.iter().map(|c| c["handed_off_at"].as_str().unwrap_or("")).collect();
    assert!(handoffs.windows(2).all(|w| w[0] <= w[1]), "longest waiting first");
}

fn data_len(body: &Value) -> usize {
    body["data"].as_array().map_or(0, Vec::len)
}

#[tokio::test]
async fn conversation_lists_sort_and_refuse_bad_values_by_name() {
    let mock = Mock::new();
    let f = Fixture::of(&mock);
    let admin = &f.keys.nextcap_crm_admin;
    let asc = mock.crm_ok(admin, "/conversations?sort_by=updatedAt&sort_order=asc&per_page=100").await;
    let updated: Vec<&str> =
        asc["data"].as_array().into_iter().flatten().map(|c| c["updated_at"].as_str().unwrap_or("")).collect();
    assert!(updated.len() > 2 && updated.windows(2).all(|w| w[0] <= w[1]));
    let bad = mock.crm("GET", admin, "/conversations?sort_by=priority&sort_order=up&status=open", None).await;
    assert_nextcap_error(&bad, StatusCode::BAD_REQUEST, "VALIDATION_ERROR");
    assert_eq!(sorted(detail_fields(&bad)), ["sort_by", "sort_order", "status"]);
}

fn sorted(mut v: Vec<String>) -> Vec<String> {
    v.sort();
    v
}

#[tokio::test]
async fn ticket_lists_filter_search_and_sort() {
    let mock = Mock::new();
    let f = Fixture::of(&mock);
    let tara = &f.keys.nextcap_crm_ticketing;
    let all = mock.crm_ids(tara, "/tickets").await;
    assert_eq!(all.len(), f.acme_tickets.len());
    let first = mock.crm_ok(tara, "/tickets?per_page=100").await;
    let rows = first["data"].as_array().cloned().unwrap_or_default();
    assert!(rows.iter().all(|t| t["has_attachments"].is_boolean() && t["attachment_count"].is_u64()));
    assert!(rows.iter().any(|t| t["has_attachments"] == true && t["attachment_count"].as_u64() >= Some(1)));
    assert!(rows.iter().all(|t| (t["attachment_count"] == 0) == (t["has_attachments"] == false)));
    // Comma-separated status, priority, source.
    let two = mock.crm_ok(tara, "/tickets?status=open,closed&per_page=100").await;
    let expected = f.acme_tickets.iter().filter(|t| t.status == "open" || t.status == "closed").count();
    assert_eq!(two["meta"]["total"], expected);
    assert!(two["data"].as_array().into_iter().flatten().all(|t| t["status"] == "open" || t["status"] == "closed"));
    let pri = mock.crm_ok(tara, "/tickets?priority=low,urgent&source=email,api,import&per_page=100").await;
    let hand = rows.iter().filter(|t| {
        ["low", "urgent"].contains(&t["priority"].as_str().unwrap_or(""))
            && ["email", "api", "import"].contains(&t["source"].as_str().unwrap_or(""))
    });
    assert_eq!(pri["meta"]["total"], hand.count());
    // Search: subject or description, case-insensitive.
    let search = mock.crm_ok(tara, "/tickets?search=REFUND&per_page=100").await;
    let expected = rows.iter().filter(|t| {
        let hay = format!("{} {}", t["subject"].as_str().unwrap_or(""), t["description"].as_str().unwrap_or(""));
        hay.to_lowercase().contains("refund")
    });
    assert!(search["meta"]["total"].as_u64() > Some(0));
    assert_eq!(search["meta"]["total"], expected.count());
    let by_desc = mock.crm_ok(tara, "/tickets?search=ticket%207:").await;
    assert_eq!(by_desc["meta"]["total"], 1, "the description matches too: {by_desc}");
    // Sort.
    for (by, field) in [("ticketNumber", "ticket_number"), ("createdAt", "created_at"), ("updatedAt", "updated_at")] {
        let asc = mock.crm_ok(tara, &format!("/tickets?sort_by={by}&sort_order=asc&per_page=100")).await;
        let values: Vec<String> = asc["data"].as_array().into_iter().flatten().map(|t| t[field].to_string()).collect();
        assert_eq!(values.len(), f.acme_tickets.len());
        if field == "ticket_number" {
            let n: Vec<u64> = values.iter().map(|v| v.parse().unwrap_or(0)).collect();
            assert!(n.windows(2).all(|w| w[0] < w[1]), "{by}");
        } else {
            assert!(values.windows(2).all(|w| w[0] <= w[1]), "{by}");
        }
    }
    let urgent_first = mock.crm_ok(tara, "/tickets?sort_by=priority&per_page=100").await;
    let rank = |p: &Value| ["low", "normal", "high", "urgent"].iter().position(|x| p == *x).unwrap_or(9);
    let ranks: Vec<usize> =
        urgent_first["data"].as_array().into_iter().flatten().map(|t| rank(&t["priority"])).collect();
    assert!(ranks.windows(2).all(|w| w[0] >= w[1]) && ranks[0] == 3, "priority desc: {ranks:?}");
    // Bad values name their field.
    let bad =
        mock.crm("GET", tara, "/tickets?status=open,done&priority=low&source=fax&sort_by=size&per_page=0", None).await;
    assert_nextcap_error(&bad, StatusCode::BAD_REQUEST, "VALIDATION_ERROR");
    assert_eq!(sorted(detail_fields(&bad)), ["per_page", "sort_by", "source", "status"]);
}

#[tokio::test]
async fn one_ticket_has_attachments_and_a_timeline_with_notes_for_managers_only() {
    let mock = Mock::new();
    let f = Fixture::of(&mock);
    let (tara, vera) = (&f.keys.nextcap_crm_ticketing, &f.keys.nextcap_crm_view_own);
    let list = mock.crm_ok(tara, "/tickets?per_page=100").await;
    let with_files =
        list["data"].as_array().into_iter().flatten().find(|t| t["attachment_count"] == 2).cloned().unwrap_or_default();
    let id = with_files["id"].as_str().unwrap_or("");
    let one = mock.crm_ok(tara, &format!("/tickets/{id}")).await;
    let files = one["data"]["attachments"].as_array().cloned().unwrap_or_default();
    assert_eq!(files.len(), 2);
    for file in &files {
        for field in ["id", "filename", "content_type", "size", "download_url", "download_url_expires_at", "created_at"]
        {
            assert!(!file[field].is_null(), "{field}: {file}");
        }
    }
    let plain = f.ticket("open", 0);
    let none = mock.crm_ok(tara, &format!("/tickets/{plain}")).await;
    assert!(none["data"]["attachments"].is_array(), "always present");
    // Internal notes: in the fixtures every ticket with a note; find one Vera can see too.
    let with_note = {
        let inner = mock.state.lock();
        let nc = inner.store().nextcap();
        let notes: BTreeSet<String> =
            nc.ticket_events().iter().filter(|e| e.is_internal).map(|e| e.ticket_id.to_string()).collect();
        f.acme_tickets.iter().find(|t| t.widget == f.widgets[0] && notes.contains(&t.id)).map(|t| t.id.clone())
    };
    let with_note = with_note.expect("a widget-0 ticket with an internal note");
    let manager = mock.crm_ok(tara, &format!("/tickets/{with_note}/events?per_page=100")).await;
    let viewer = mock.crm_ok(vera, &format!("/tickets/{with_note}/events?per_page=100")).await;
    let internal =
        |body: &Value| body["data"].as_array().into_iter().flatten().filter(|e| e["is_internal"] == true).count();
    assert!(internal(&manager) >= 1, "tickets:manage sees internal notes");
    assert_eq!(internal(&viewer), 0, "tickets:view alone does not");
    assert_eq!(
        manager["meta"]["total"].as_u64(),
        viewer["meta"]["total"].as_u64().map(|n| n + internal(&manager) as u64)
    );
}

#[tokio::test]
async fn widget_scoping_and_view_own() {
    let mock = Mock::new();
    let f = Fixture::of(&mock);
    let vera_key = &f.keys.nextcap_crm_view_own;
    let vera = f.seat("Vera Own");
    // Tickets: only widget 0, and every status exists on both widgets.
    let seen: BTreeSet<String> = mock.crm_ids(vera_key, "/tickets").await.into_iter().collect();
    let own: BTreeSet<String> =
        f.acme_tickets.iter().filter(|t| t.widget == f.widgets[0]).map(|t| t.id.clone()).collect();
    assert_eq!(seen, own);
    for status in
        ["new", "open", "in_progress", "waiting_customer", "waiting_internal", "resolved", "closed", "reopened"]
    {
        let inside = f.ticket(status, 0);
        let outside = f.ticket(status, 1);
        assert_eq!(mock.crm("GET", vera_key, &format!("/tickets/{inside}"), None).await.status, StatusCode::OK);
        for path in [format!("/tickets/{outside}"), format!("/tickets/{outside}/events")] {
            let resp = mock.crm("GET", vera_key, &path, None).await;
            assert_nextcap_error(&resp, StatusCode::FORBIDDEN, "FORBIDDEN");
        }
    }
    // Conversations: view-own sees only its own, and only on its widget.
    let mine: Vec<&common::crm::Row> =
        f.acme_conversations.iter().filter(|c| c.assignee.as_deref() == Some(&vera)).collect();
    assert!(mine.iter().any(|c| c.widget == f.widgets[1]), "some are on the widget the seat lacks");
    let visible: Vec<String> = mine.iter().filter(|c| c.widget == f.widgets[0]).map(|c| c.id.clone()).collect();
    assert_eq!(mock.crm_ids(vera_key, "/conversations").await, visible);
    let hidden = mine.iter().find(|c| c.widget == f.widgets[1]).map(|c| c.id.clone()).unwrap_or_default();
    let other = f.acme_conversations.iter().find(|c| c.widget == f.widgets[0] && c.assignee.as_deref() != Some(&vera));
    for id in [hidden, other.map(|c| c.id.clone()).unwrap_or_default()] {
        for path in [format!("/conversations/{id}"), format!("/conversations/{id}/messages")] {
            assert_nextcap_error(&mock.crm("GET", vera_key, &path, None).await, StatusCode::FORBIDDEN, "FORBIDDEN");
        }
    }
    assert_eq!(mock.crm("GET", vera_key, &format!("/conversations/{}", visible[0]), None).await.status, StatusCode::OK);
    // A seat with conversations:view and every widget sees them all.
    assert_eq!(mock.crm_ids(&f.keys.nextcap_crm_live_chat, "/conversations").await.len(), f.acme_conversations.len());
}

#[tokio::test]
async fn team_directory_lists_searches_and_finds_by_id_and_email() {
    let mock = Mock::new();
    let f = Fixture::of(&mock);
    let admin = &f.keys.nextcap_crm_admin;
    let list = mock.crm_ok(admin, "/members").await;
    assert_eq!(list["meta"]["total"], 5, "Acme's five seats, the deactivated one included");
    let first = &list["data"][0];
    for field in [
        "id",
        "email",
        "name",
        "chat_display_name",
        "phone",
        "avatar_url",
        "role",
        "role_id",
        "role_name",
        "role_slug",
        "role_color",
        "role_is_system",
        "seat_type",
        "email_verified",
        "availability_status",
        "current_activity",
        "spoken_languages",
        "last_active_at",
        "last_login_at",
        "disabled_at",
        "created_at",
        "updated_at",
    ] {
        assert!(first.get(field).is_some(), "{field}: {first}");
    }
    assert!(first.get("password_hash").is_none() && first.get("permissions").is_none());
    let gone = data(&mock.crm("GET", admin, "/members?search=DAN", None).await).clone();
    assert_eq!(gone.len(), 1);
    assert!(gone[0]["disabled_at"].is_string(), "the deactivated seat carries disabled_at");
    let by_mail = mock.crm_ok(admin, "/members?search=acme.example").await;
    assert_eq!(by_mail["meta"]["total"], 5);
    let tara = f.seat("Tara Tickets");
    let one = mock.crm_ok(admin, &format!("/members/{tara}")).await;
    assert_eq!(one["data"]["name"], "Tara Tickets");
    let email = f.email("Tara Tickets").to_uppercase().replace('@', "%40");
    let found = mock.crm_ok(admin, &format!("/members/by-email/{email}")).await;
    assert_eq!(found["data"]["id"], tara.as_str());
    let missing = mock.crm("GET", admin, "/members/by-email/nobody%40acme.example", None).await;
    assert_nextcap_error(&missing, StatusCode::NOT_FOUND, "NOT_FOUND");
    let bad_id = mock.crm("GET", admin, "/members/not-a-uuid", None).await;
    assert_nextcap_error(&bad_id, StatusCode::NOT_FOUND, "NOT_FOUND");
}
