//! The CRM's permission matrix and tenant isolation: every operation run by a seat that holds
//! one of its required permissions (it succeeds) and by a seat of the same organisation that
//! holds none of them (403 `FORBIDDEN`); and a cross-organisation sweep: every CRM endpoint,
//! with Acme's ids, called with Globex's key answers 404, and no Globex list shows an Acme row.

mod common;

use axum::http::StatusCode;
use common::{Mock, assert_nextcap_error, crm::Fixture};
use serde_json::json;

/// One operation with the ids filled in: method, path, body, success status.
struct Op {
    id: &'static str,
    method: &'static str,
    path: String,
    body: Option<String>,
    ok: StatusCode,
}

fn op(id: &'static str, method: &'static str, path: String, body: Option<serde_json::Value>, ok: u16) -> Op {
    Op { id, method, path, body: body.map(|b| b.to_string()), ok: StatusCode::from_u16(ok).unwrap_or(StatusCode::OK) }
}

/// Every served CRM operation, aimed at rows of widget 0 that every tested seat can see.
fn operations(f: &Fixture, conversation: &str, ticket: &str, closable: &str, reopenable: &str) -> Vec<Op> {
    let liam = f.seat("Liam Chat");
    let tara = f.seat("Tara Tickets");
    let email = f.email("Ada Admin").replace('@', "%40");
    let department = &f.acme_departments[0];
    vec![
        op("listCrmConversations", "GET", "/conversations".into(), None, 200),
        op("getCrmConversationQueue", "GET", "/conversations/queue".into(), None, 200),
        op("getCrmConversation", "GET", format!("/conversations/{conversation}"), None, 200),
        op("listCrmConversationMessages", "GET", format!("/conversations/{conversation}/messages"), None, 200),
        op(
            "assignCrmConversation",
            "POST",
            format!("/conversations/{conversation}/assign"),
            Some(json!({"agent_id": liam})),
            200,
        ),
        op("resolveCrmConversation", "POST", format!("/conversations/{conversation}/resolve"), None, 200),
        op("listCrmTickets", "GET", "/tickets".into(), None, 200),
        op("getCrmTicket", "GET", format!("/tickets/{ticket}"), None, 200),
        op("listCrmTicketEvents", "GET", format!("/tickets/{ticket}/events"), None, 200),
        op(
            "updateCrmTicket",
            "PATCH",
            format!("/tickets/{ticket}"),
            Some(json!({"priority": "urgent", "tags": ["x"]})),
            200,
        ),
        op("replyCrmTicket", "POST", format!("/tickets/{ticket}/reply"), Some(json!({"content": "On it."})), 201),
        op("assignCrmTicket", "POST", format!("/tickets/{ticket}/assign"), Some(json!({"agent_id": tara})), 200),
        op(
            "transferCrmTicket",
            "POST",
            format!("/tickets/{ticket}/transfer"),
            Some(json!({"department_id": department})),
            200,
        ),
        op("closeCrmTicket", "POST", format!("/tickets/{closable}/close"), None, 200),
        op("reopenCrmTicket", "POST", format!("/tickets/{reopenable}/reopen"), None, 200),
        op("addCrmTicketNote", "POST", format!("/tickets/{ticket}/notes"), Some(json!({"content": "Checked."})), 201),
        op("listCrmMembers", "GET", "/members".into(), None, 200),
        op("getCrmMember", "GET", format!("/members/{liam}"), None, 200),
        op("getCrmMemberByEmail", "GET", format!("/members/by-email/{email}"), None, 200),
    ]
}

#[tokio::test]
async fn every_operation_allowed_with_a_permission_and_forbidden_without_any() {
    let probe = Mock::new();
    let f = Fixture::of(&probe);
    let k = &f.keys;
    let vera = f.seat("Vera Own");
    // A conversation every conversation reader can see: Vera's own on widget 0.
    let conversation = f
        .acme_conversations
        .iter()
        .find(|c| c.widget == f.widgets[0] && c.assignee.as_deref() == Some(&vera))
        .map(|c| c.id.clone())
        .unwrap_or_default();
    let (ticket, closable, reopenable) = (f.ticket("open", 0), f.ticket("in_progress", 0), f.ticket("closed", 0));
    // (operation, permitted seats, seats holding none of its permissions), per the document's
    // permissions table and the team directory's `team:invite`.
    let chat_view = [&k.nextcap_crm_admin, &k.nextcap_crm_live_chat, &k.nextcap_crm_view_own];
    let matrix: Vec<(&str, Vec<&String>, Vec<&String>)> = vec![
        ("listCrmConversations", chat_view.to_vec(), vec![&k.nextcap_crm_ticketing]),
        ("getCrmConversation", chat_view.to_vec(), vec![&k.nextcap_crm_ticketing]),
        ("listCrmConversationMessages", chat_view.to_vec(), vec![&k.nextcap_crm_ticketing]),
        (
            "getCrmConversationQueue",
            vec![&k.nextcap_crm_admin, &k.nextcap_crm_live_chat],
            vec![&k.nextcap_crm_ticketing, &k.nextcap_crm_view_own],
        ),
        (
            "assignCrmConversation",
            vec![&k.nextcap_crm_live_chat],
            vec![&k.nextcap_crm_ticketing, &k.nextcap_crm_view_own],
        ),
        (
            "resolveCrmConversation",
            vec![&k.nextcap_crm_live_chat],
            vec![&k.nextcap_crm_ticketing, &k.nextcap_crm_view_own],
        ),
        ("listCrmTickets", vec![&k.nextcap_crm_ticketing, &k.nextcap_crm_view_own], vec![&k.nextcap_crm_live_chat]),
        ("getCrmTicket", vec![&k.nextcap_crm_ticketing, &k.nextcap_crm_view_own], vec![&k.nextcap_crm_live_chat]),
        (
            "listCrmTicketEvents",
            vec![&k.nextcap_crm_ticketing, &k.nextcap_crm_view_own],
            vec![&k.nextcap_crm_live_chat],
        ),
        (
            "updateCrmTicket",
            vec![&k.nextcap_crm_ticketing, &k.nextcap_crm_admin],
            vec![&k.nextcap_crm_view_own, &k.nextcap_crm_live_chat],
        ),
        ("replyCrmTicket", vec![&k.nextcap_crm_ticketing], vec![&k.nextcap_crm_view_own, &k.nextcap_crm_live_chat]),
        ("assignCrmTicket", vec![&k.nextcap_crm_ticketing], vec![&k.nextcap_crm_view_own, &k.nextcap_crm_live_chat]),
        ("transferCrmTicket", vec![&k.nextcap_crm_ticketing], vec![&k.nextcap_crm_view_own, &k.nextcap_crm_live_chat]),
        ("closeCrmTicket", vec![&k.nextcap_crm_ticketing], vec![&k.nextcap_crm_view_own, &k.nextcap_crm_live_chat]),
        ("reopenCrmTicket", vec![&k.nextcap_crm_ticketing], vec![&k.nextcap_crm_view_own, &k.nextcap_crm_live_chat]),
        ("addCrmTicketNote", vec![&k.nextcap_crm_ticketing], vec![&k.nextcap_crm_view_own, &k.nextcap_crm_live_chat]),
        (
            "listCrmMembers",
            vec![&k.nextcap_crm_admin],
            vec![&k.nextcap_crm_ticketing, &k.nextcap_crm_live_chat, &k.nextcap_crm_view_own],
        ),
        (
            "getCrmMember",
            vec![&k.nextcap_crm_admin],
            vec![&k.nextcap_crm_ticketing, &k.nextcap_crm_live_chat, &k.nextcap_crm_view_own],
        ),
        (
            "getCrmMemberByEmail",
            vec![&k.nextcap_crm_admin],
            vec![&k.nextcap_crm_ticketing, &k.nextcap_crm_live_chat, &k.nextcap_crm_view_own],
        ),
    ];
    let ops = operations(&f, &conversation, &ticket, &closable, &reopenable);
    assert_eq!(ops.len(), 19);
    assert_eq!(matrix.len(), ops.len(), "every operation has a row");
    for (name, allowed, denied) in &matrix {
        let op = ops.iter().find(|o| o.id == *name).unwrap_or_else(|| panic!("no operation {name}"));
        for key in allowed {
            let mock = Mock::new();
            let resp = mock.crm(op.method, key, &op.path, op.body.as_deref()).await;
            assert_eq!(resp.status, op.ok, "{name} with a permitted seat: {}", resp.json);
        }
        for key in denied {
            let mock = Mock::new();
            let resp = mock.crm(op.method, key, &op.path, op.body.as_deref()).await;
            assert_nextcap_error(&resp, StatusCode::FORBIDDEN, "FORBIDDEN");
            let message = resp.json["error"]["message"].as_str().unwrap_or_default();
            assert!(message.contains("Insufficient permissions"), "{name}: {message}");
        }
    }
    // The deactivated seat is refused everywhere, before its permissions are looked at.
    for op in &ops {
        let resp = probe.crm(op.method, &k.nextcap_crm_deactivated, &op.path, op.body.as_deref()).await;
        assert_nextcap_error(&resp, StatusCode::UNAUTHORIZED, "UNAUTHORIZED");
    }
}

#[tokio::test]
async fn another_organisations_ids_are_404_everywhere_and_no_list_leaks() {
    let mock = Mock::new();
    let f = Fixture::of(&mock);
    let globex = &f.keys.nextcap_crm_globex_admin;
    let acme = &f.keys.nextcap_crm_admin;
    let gina = f.seat("Gina Globex");
    let globex_department = &f.globex_departments[0];
    // Every Acme ticket and conversation, through every endpoint that takes an id.
    for t in &f.acme_tickets {
        let id = &t.id;
        let calls: Vec<(&str, String, Option<String>)> = vec![
            ("GET", format!("/tickets/{id}"), None),
            ("GET", format!("/tickets/{id}/events"), None),
            ("PATCH", format!("/tickets/{id}"), Some(json!({"priority": "low"}).to_string())),
            ("POST", format!("/tickets/{id}/reply"), Some(json!({"content": "x"}).to_string())),
            ("POST", format!("/tickets/{id}/assign"), Some(json!({"agent_id": gina}).to_string())),
            ("POST", format!("/tickets/{id}/transfer"), Some(json!({"department_id": globex_department}).to_string())),
            ("POST", format!("/tickets/{id}/close"), None),
            ("POST", format!("/tickets/{id}/reopen"), None),
            ("POST", format!("/tickets/{id}/notes"), Some(json!({"content": "x"}).to_string())),
        ];
        for (method, path, body) in calls {
            let resp = mock.crm(method, globex, &path, body.as_deref()).await;
            assert_nextcap_error(&resp, StatusCode::NOT_FOUND, "NOT_FOUND");
        }
    }
    for c in &f.acme_conversations {
        let id = &c.id;
        for (method, path, body) in [
            ("GET", format!("/conversations/{id}"), None),
            ("GET", format!("/conversations/{id}/messages"), None),
            ("POST", format!("/conversations/{id}/assign"), Some(json!({"agent_id": gina}).to_string())),
            ("POST", format!("/conversations/{id}/resolve"), None),
        ] {
            let resp = mock.crm(method, globex, &path, body.as_deref()).await;
            assert_nextcap_error(&resp, StatusCode::NOT_FOUND, "NOT_FOUND");
        }
    }
    for name in ["Ada Admin", "Liam Chat", "Tara Tickets", "Vera Own", "Dan Gone"] {
        let resp = mock.crm("GET", globex, &format!("/members/{}", f.seat(name)), None).await;
        assert_nextcap_error(&resp, StatusCode::NOT_FOUND, "NOT_FOUND");
        let email = f.email(name).replace('@', "%40");
        let resp = mock.crm("GET", globex, &format!("/members/by-email/{email}"), None).await;
        assert_nextcap_error(&resp, StatusCode::NOT_FOUND, "NOT_FOUND");
    }
    // Nothing was changed by the refused writes.
    let after = Fixture::of(&mock);
    assert_eq!(format!("{:?}", after.acme_tickets), format!("{:?}", f.acme_tickets));
    // Lists: each organisation sees exactly its own rows, in both directions.
    let ids = |rows: &[common::crm::Row]| rows.iter().map(|r| r.id.clone()).collect::<std::collections::BTreeSet<_>>();
    for (key, tickets, conversations) in [
        (globex, ids(&f.globex_tickets), ids(&f.globex_conversations)),
        (acme, ids(&f.acme_tickets), ids(&f.acme_conversations)),
    ] {
        assert_eq!(mock.crm_ids(key, "/tickets").await.into_iter().collect::<std::collections::BTreeSet<_>>(), tickets);
        assert_eq!(
            mock.crm_ids(key, "/conversations").await.into_iter().collect::<std::collections::BTreeSet<_>>(),
            conversations
        );
        let queue = mock.crm_ok(key, "/conversations/queue").await;
        assert!(
            queue["data"]
                .as_array()
                .into_iter()
                .flatten()
                .all(|c| conversations.contains(c["id"].as_str().unwrap_or("")))
        );
    }
    let members = mock.crm_ids(globex, "/members").await;
    assert_eq!(members, [gina]);
    // Globex's own rows work with Globex's key (the 404s above are about ownership).
    let own = &f.globex_tickets[0].id;
    assert_eq!(mock.crm("GET", globex, &format!("/tickets/{own}"), None).await.status, StatusCode::OK);
}
