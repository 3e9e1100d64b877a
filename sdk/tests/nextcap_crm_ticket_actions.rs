//! Next Cap CRM ticket actions: PATCH sends only the fields set (explicit `null` to clear),
//! `metadata` is checked for 10 KB before sending; reply, assign, transfer, close, reopen and
//! notes go to their paths with their documented defaults; invalid transitions and bad
//! arguments are refused with nothing sent, unless the caller skips the transition check.
#![cfg(feature = "nextcap")]

mod common;

use common::*;
use deskapi::Error;
use deskapi::nextcap::crm::TicketTarget;
use deskapi::nextcap::*;
use serde_json::{Value, json};
use wiremock::matchers::{body_json, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

fn detail() -> Value {
    fixture!("nextcap/crm_ticket_detail.json")
}

/// The fixture ticket (`waiting_customer`) as a fetched value.
fn fetched() -> TicketDetail {
    decode(detail()["data"].clone())
}

/// Answers `verb path` once with `status` and `body`, and only when the JSON body is `expected`.
async fn expect_json(server: &MockServer, verb: &str, route: &str, expected: Value, status: u16, body: Value) {
    Mock::given(method(verb))
        .and(path(route))
        .and(body_json(expected))
        .respond_with(ResponseTemplate::new(status).set_body_json(body))
        .expect(1)
        .mount(server)
        .await;
}

fn is_invalid(e: Error, name: &str) {
    match e {
        Error::InvalidArgument { name: n, .. } => assert_eq!(n, name),
        other => panic!("expected InvalidArgument({name}), got {other:?}"),
    }
}

#[tokio::test]
async fn patch_sends_only_the_fields_set() {
    let server = MockServer::start().await;
    let expected = json!({"priority": "urgent", "tags": ["vip"], "subject": "Refund overdue"});
    expect_json(&server, "PATCH", "/external/crm/tickets/t1", expected, 200, detail()).await;
    let t = crm(&server)
        .tickets()
        .update("t1")
        .priority(TicketPriority::Urgent)
        .tags(["vip"])
        .subject("Refund overdue")
        .send()
        .await
        .unwrap();
    assert_eq!(t.attachments.len(), 2, "the answer is the ticket detail");
}

#[tokio::test]
async fn patch_sends_every_field_and_nulls_for_the_clearing_setters() {
    let server = MockServer::start().await;
    let expected = json!({
        "status": "in_progress", "priority": "low", "category": "billing", "tags": [],
        "department_id": "d2", "assigned_agent_id": "u8", "subject": "S", "description": "D",
        "custom_fields": {"plan": "pro"}, "metadata": {"panel_source": "hubspot"}
    });
    expect_json(&server, "PATCH", "/external/crm/tickets/t1", expected, 200, detail()).await;
    crm(&server)
        .tickets()
        .update("t1")
        .status(TicketStatus::InProgress)
        .priority(TicketPriority::Low)
        .category("billing")
        .tags(Vec::<String>::new())
        .department_id("d2")
        .assigned_agent_id("u8")
        .subject("S")
        .description("D")
        .custom_fields(json!({"plan": "pro"}))
        .metadata(json!({"panel_source": "hubspot"}))
        .send()
        .await
        .unwrap();

    let server = MockServer::start().await;
    let expected = json!({"category": null, "department_id": null, "assigned_agent_id": null, "description": null});
    expect_json(&server, "PATCH", "/external/crm/tickets/t1", expected, 200, detail()).await;
    crm(&server)
        .tickets()
        .update("t1")
        .clear_category()
        .clear_department()
        .unassign()
        .clear_description()
        .send()
        .await
        .unwrap();
}

#[tokio::test]
async fn metadata_is_checked_for_ten_kilobytes_before_sending() {
    // `{"k":"…"}` is 8 bytes of JSON around the value.
    let at_limit = json!({"k": "x".repeat(10 * 1024 - 8)});
    assert_eq!(serde_json::to_vec(&at_limit).unwrap().len(), 10 * 1024);
    let server = MockServer::start().await;
    expect_json(&server, "PATCH", "/external/crm/tickets/t1", json!({"metadata": at_limit.clone()}), 200, detail())
        .await;
    crm(&server).tickets().update("t1").metadata(at_limit).send().await.unwrap();

    let server = MockServer::start().await;
    let over = json!({"k": "x".repeat(10 * 1024 - 7)});
    let err = crm(&server).tickets().update("t1").metadata(over).send().await.unwrap_err();
    assert!(err.to_string().contains("10241 bytes"), "{err}");
    is_invalid(err, "metadata");
    is_invalid(crm(&server).tickets().update("t1").metadata(json!([1])).send().await.unwrap_err(), "metadata");
    is_invalid(
        crm(&server).tickets().update("t1").custom_fields(json!("x")).send().await.unwrap_err(),
        "custom_fields",
    );
    assert_nothing_sent(&server).await;
}

#[tokio::test]
async fn invalid_patches_are_refused_before_sending() {
    let server = MockServer::start().await;
    let client = crm(&server);
    let t = client.tickets();
    is_invalid(t.update("t1").send().await.unwrap_err(), "update");
    is_invalid(t.update("").priority(TicketPriority::Low).send().await.unwrap_err(), "id");
    is_invalid(t.update("t1").status(TicketStatus::Unknown("escalated".into())).send().await.unwrap_err(), "status");
    is_invalid(t.update("t1").priority(TicketPriority::Unknown("p0".into())).send().await.unwrap_err(), "priority");
    is_invalid(t.update("t1").subject(" ").send().await.unwrap_err(), "subject");
    is_invalid(t.update("t1").category("").send().await.unwrap_err(), "category");
    is_invalid(t.update("t1").tags(["ok", ""]).send().await.unwrap_err(), "tags");
    is_invalid(t.update("t1").department_id("").send().await.unwrap_err(), "department_id");
    is_invalid(t.update("t1").assigned_agent_id("").send().await.unwrap_err(), "assigned_agent_id");
    assert_nothing_sent(&server).await;
}

#[tokio::test]
async fn a_status_change_the_table_forbids_is_refused_when_the_current_status_is_known() {
    let server = MockServer::start().await;
    let client = crm(&server);
    let ticket = fetched(); // waiting_customer
    // Known from the ticket passed in.
    let err = client.tickets().update(&ticket).status(TicketStatus::Reopened).send().await.unwrap_err();
    assert!(err.to_string().contains("`waiting_customer` ticket cannot move to `reopened`"), "{err}");
    is_invalid(err, "status");
    // Known from the caller.
    let err = client
        .tickets()
        .update("t1")
        .current_status(TicketStatus::Closed)
        .status(TicketStatus::Open)
        .send()
        .await
        .unwrap_err();
    is_invalid(err, "status");
    // Known from a list row and from a shared `Ticket`.
    let row: CrmTicket = decode(fixture!("nextcap/crm_tickets_list.json")["data"][1].clone()); // closed
    is_invalid(client.tickets().close(&row).send().await.unwrap_err(), "status");
    is_invalid(client.tickets().update(&row.ticket).status(TicketStatus::Closed).send().await.unwrap_err(), "status");
    // Close and reopen.
    is_invalid(client.tickets().reopen(&ticket).send().await.unwrap_err(), "status");
    let err = client.tickets().close("t1").current_status(TicketStatus::Closed).send().await.unwrap_err();
    is_invalid(err, "status");
    let err = client.tickets().reopen("t1").current_status(TicketStatus::Open).send().await.unwrap_err();
    is_invalid(err, "status");
    assert_nothing_sent(&server).await;
}

#[tokio::test]
async fn an_allowed_transition_is_sent() {
    let server = MockServer::start().await;
    let mut resolved = detail();
    resolved["data"]["status"] = json!("resolved");
    expect_json(
        &server,
        "PATCH",
        "/external/crm/tickets/t0000000-0000-4000-8000-000000000001",
        json!({"status": "resolved"}),
        200,
        resolved,
    )
    .await;
    let t = crm(&server).tickets().update(&fetched()).status(TicketStatus::Resolved).send().await.unwrap();
    assert_eq!(t.status, TicketStatus::Resolved);
}

#[tokio::test]
async fn the_check_is_skipped_on_request_or_when_the_status_is_unknown() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/external/crm/tickets/t1/reopen"))
        .respond_with(ResponseTemplate::new(400).set_body_json(
            json!({"success": false, "error": {"code": "VALIDATION_ERROR", "message": "Invalid status transition"}}),
        ))
        .expect(2)
        .mount(&server)
        .await;
    let client = crm(&server);
    // Opted out: the API's own refusal comes back.
    let err = client
        .tickets()
        .reopen("t1")
        .current_status(TicketStatus::Open)
        .skip_transition_check()
        .send()
        .await
        .unwrap_err();
    assert_eq!(err.status(), Some(400));
    // A status a newer API added: the SDK does not know its row, so the API decides.
    let target = TicketTarget::new("t1").with_status(TicketStatus::Unknown("escalated".into()));
    assert_eq!(client.tickets().reopen(target).send().await.unwrap_err().status(), Some(400));

    let server = MockServer::start().await;
    expect_json(&server, "PATCH", "/external/crm/tickets/t1", json!({"status": "open"}), 200, detail()).await;
    crm(&server)
        .tickets()
        .update("t1")
        .current_status(TicketStatus::Closed)
        .status(TicketStatus::Open)
        .skip_transition_check()
        .send()
        .await
        .unwrap();
}

#[tokio::test]
async fn close_and_reopen_post_without_a_body() {
    for (tail, current) in [("close", TicketStatus::Resolved), ("reopen", TicketStatus::Closed)] {
        let server = MockServer::start().await;
        Mock::given(method("POST"))
            .and(path(format!("/external/crm/tickets/t1/{tail}")))
            .respond_with(ResponseTemplate::new(200).set_body_json(detail()))
            .expect(1)
            .mount(&server)
            .await;
        let client = crm(&server);
        let target = TicketTarget::new("t1").with_status(current);
        let t = if tail == "close" {
            client.tickets().close(target).send().await
        } else {
            client.tickets().reopen(target).send().await
        };
        assert_eq!(t.unwrap().ticket_number, 3462);
        let requests = server.received_requests().await.unwrap();
        assert!(requests[0].body.is_empty(), "{tail} sends no body");
    }
}

#[tokio::test]
async fn reply_sends_its_content_and_attachments() {
    let server = MockServer::start().await;
    let expected = json!({"content": "We are looking into this issue.", "attachment_ids": ["f1", "f2"]});
    let reply_body = fixture!("nextcap/crm_ticket_reply.json");
    expect_json(&server, "POST", "/external/crm/tickets/t1/reply", expected, 201, reply_body).await;
    let reply = crm(&server)
        .tickets()
        .reply("t1", "We are looking into this issue.")
        .attachment_ids(["f1"])
        .attachment_ids([AttachmentId::new("f2")])
        .send()
        .await
        .unwrap();
    assert_eq!(reply.kind, TicketEventType::Reply);
    assert_eq!(reply.actor_id, Some(UserId::new("u0000000-0000-4000-8000-000000000007")));
    assert_eq!(reply.content.as_deref(), Some("We are looking into this issue."));
    assert_eq!(reply.attachments[0].filename, "receipt.png");

    let server = MockServer::start().await;
    expect_json(
        &server,
        "POST",
        "/external/crm/tickets/t1/reply",
        json!({"content": "Hi"}),
        201,
        fixture!("nextcap/crm_ticket_reply.json"),
    )
    .await;
    crm(&server).tickets().reply("t1", "Hi").send().await.unwrap();
}

#[tokio::test]
async fn bad_replies_are_refused_before_sending() {
    let server = MockServer::start().await;
    let client = crm(&server);
    let t = client.tickets();
    is_invalid(t.reply("t1", " ").send().await.unwrap_err(), "content");
    is_invalid(t.reply("", "Hi").send().await.unwrap_err(), "id");
    let twenty_one: Vec<String> = (0..21).map(|i| format!("f{i}")).collect();
    let err = t.reply("t1", "Hi").attachment_ids(twenty_one).send().await.unwrap_err();
    assert!(err.to_string().contains("21 given"), "{err}");
    is_invalid(err, "attachment_ids");
    is_invalid(t.reply("t1", "Hi").attachment_ids(["f1", "f1"]).send().await.unwrap_err(), "attachment_ids");
    is_invalid(t.reply("t1", "Hi").attachment_ids([""]).send().await.unwrap_err(), "attachment_ids");
    assert_nothing_sent(&server).await;

    // Twenty is allowed.
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/external/crm/tickets/t1/reply"))
        .respond_with(ResponseTemplate::new(201).set_body_json(fixture!("nextcap/crm_ticket_reply.json")))
        .expect(1)
        .mount(&server)
        .await;
    let twenty: Vec<String> = (0..20).map(|i| format!("f{i}")).collect();
    crm(&server).tickets().reply("t1", "Hi").attachment_ids(twenty).send().await.unwrap();
    assert_eq!(only_body(&server).await["attachment_ids"].as_array().unwrap().len(), 20);
}

#[tokio::test]
async fn assign_sends_the_agent() {
    let server = MockServer::start().await;
    expect_json(&server, "POST", "/external/crm/tickets/t1/assign", json!({"agent_id": "u7"}), 200, detail()).await;
    let t = crm(&server).tickets().assign("t1", "u7").await.unwrap();
    assert_eq!(t.assigned_agent_id, Some(UserId::new("u0000000-0000-4000-8000-000000000007")));

    let server = MockServer::start().await;
    is_invalid(crm(&server).tickets().assign("t1", "").await.unwrap_err(), "agent_id");
    is_invalid(crm(&server).tickets().assign("", "u7").await.unwrap_err(), "id");
    assert_nothing_sent(&server).await;
}

#[tokio::test]
async fn transfer_unassigns_by_default() {
    let server = MockServer::start().await;
    let expected = json!({"department_id": "d2", "unassign": true});
    expect_json(&server, "POST", "/external/crm/tickets/t1/transfer", expected, 200, detail()).await;
    crm(&server).tickets().transfer("t1", "d2").send().await.unwrap();

    let server = MockServer::start().await;
    let expected = json!({"department_id": "d2", "unassign": false});
    expect_json(&server, "POST", "/external/crm/tickets/t1/transfer", expected, 200, detail()).await;
    crm(&server).tickets().transfer("t1", DepartmentId::new("d2")).unassign(false).send().await.unwrap();

    let server = MockServer::start().await;
    is_invalid(crm(&server).tickets().transfer("t1", "").send().await.unwrap_err(), "department_id");
    is_invalid(crm(&server).tickets().transfer("", "d2").send().await.unwrap_err(), "id");
    assert_nothing_sent(&server).await;
}

#[tokio::test]
async fn notes_are_internal_by_default() {
    let server = MockServer::start().await;
    let expected = json!({"content": "Customer is on the legacy plan.", "is_internal": true});
    expect_json(
        &server,
        "POST",
        "/external/crm/tickets/t1/notes",
        expected,
        201,
        fixture!("nextcap/crm_ticket_note.json"),
    )
    .await;
    let note = crm(&server).tickets().add_note("t1", "Customer is on the legacy plan.").send().await.unwrap();
    assert_eq!((note.kind, note.is_internal), (TicketEventType::Note, true));

    let server = MockServer::start().await;
    let expected = json!({"content": "Visible", "is_internal": false});
    expect_json(
        &server,
        "POST",
        "/external/crm/tickets/t1/notes",
        expected,
        201,
        fixture!("nextcap/crm_ticket_note.json"),
    )
    .await;
    crm(&server).tickets().add_note("t1", "Visible").is_internal(false).send().await.unwrap();

    let server = MockServer::start().await;
    is_invalid(crm(&server).tickets().add_note("t1", "").send().await.unwrap_err(), "content");
    is_invalid(crm(&server).tickets().add_note("", "x").send().await.unwrap_err(), "id");
    assert_nothing_sent(&server).await;
}
