//! End to end: the SDK's CRM client against the mock's CRM Integration API, every REST
//! operation but the attachment uploads. This holds the two crates to the same shapes: each
//! call decodes what the mock answers into the SDK's typed models.

mod support;

use deskapi::nextcap::{TicketPriority, TicketStatus};
use deskapi::{Error, NextCapCrmClient};
use deskapi_mock::MockServer;
use support::*;

fn crm(server: &MockServer, key: &str) -> NextCapCrmClient {
    NextCapCrmClient::builder(key).base_url(server.nextcap_url()).retry_policy(policy()).build().unwrap()
}

fn api_status(e: &Error) -> Option<u16> {
    match e {
        Error::Api(api) => Some(api.status),
        _ => None,
    }
}

#[tokio::test]
async fn tickets_every_operation_decodes_and_follows_the_state_machine() {
    let server = server().await;
    let admin = crm(&server, &server.keys().nextcap_crm_admin);

    let tickets = all(admin.tickets().list().per_page(25)).await;
    assert_eq!(tickets.len(), 40, "every Acme ticket, across pages");
    assert!(tickets.iter().any(|t| t.has_attachments), "some rows carry attachments");
    let open = all(admin.tickets().list().status([TicketStatus::Open])).await;
    assert!(!open.is_empty() && open.iter().all(|t| t.ticket.status == TicketStatus::Open));

    let row = &open[0];
    let detail = admin.tickets().get(row.ticket.id.clone()).await.expect("get");
    assert_eq!(detail.ticket.id, row.ticket.id);
    let timeline = all(admin.tickets().events(row.ticket.id.clone())).await;
    assert!(!timeline.is_empty(), "a timeline");

    let updated = admin.tickets().update(&detail).priority(TicketPriority::Urgent).send().await.expect("PATCH");
    assert_eq!(updated.ticket.priority, TicketPriority::Urgent);
    let reply = admin.tickets().reply(&updated, "We are on it.").send().await.expect("reply");
    assert_eq!(reply.content.as_deref(), Some("We are on it."));
    let note = admin.tickets().add_note(&updated, "Checked the logs.").send().await.expect("note");
    assert_eq!(note.content.as_deref(), Some("Checked the logs."));

    let members = all(admin.members().list()).await;
    let agent = members.iter().find(|m| m.is_active()).expect("an active member");
    let assigned = admin.tickets().assign(&updated, agent.id.clone()).await.expect("assign");
    assert_eq!(assigned.ticket.assigned_agent_id.as_ref(), Some(&agent.id));

    let closed = admin.tickets().close(&assigned).send().await.expect("close from open");
    assert_eq!(closed.ticket.status, TicketStatus::Closed);
    // The SDK knows a closed ticket cannot be closed again: refused before sending.
    let journal_before = server.requests().len();
    let again = admin.tickets().close(&closed).send().await.expect_err("closed -> closed");
    assert!(matches!(again, Error::InvalidArgument { .. }), "{again}");
    assert_eq!(server.requests().len(), journal_before, "nothing sent");
    // With the check skipped the mock refuses it too, in the API's envelope.
    let refused = admin.tickets().close(&closed).skip_transition_check().send().await.expect_err("400");
    assert_eq!(api_status(&refused), Some(400), "{refused}");
    let reopened = admin.tickets().reopen(&closed).send().await.expect("reopen");
    assert_eq!(reopened.ticket.status, TicketStatus::Reopened);
}

#[tokio::test]
async fn transfer_moves_a_ticket_to_another_department() {
    let server = server().await;
    let admin = crm(&server, &server.keys().nextcap_crm_admin);
    let data = nextcap(&server, &server.keys().nextcap_data);
    let departments = all(data.departments().list()).await;
    let ticket = all(admin.tickets().list()).await.into_iter().next().expect("a ticket");
    let target =
        departments.iter().find(|d| Some(&d.id) != ticket.ticket.department_id.as_ref()).expect("another department");
    let moved = admin.tickets().transfer(&ticket, target.id.clone()).send().await.expect("transfer");
    assert_eq!(moved.ticket.department_id.as_ref(), Some(&target.id));
    assert_eq!(moved.ticket.assigned_agent_id, None, "unassigned by default");
}

#[tokio::test]
async fn conversations_and_the_queue() {
    let server = server().await;
    let admin = crm(&server, &server.keys().nextcap_crm_admin);
    let conversations = all(admin.conversations().list()).await;
    assert!(!conversations.is_empty());
    let detail = admin.conversations().get(conversations[0].id.clone()).await.expect("get");
    assert_eq!(detail.conversation.id, conversations[0].id);
    let messages = all(admin.conversations().messages(conversations[0].id.clone())).await;
    assert_eq!(messages.len(), detail.messages.len(), "the paginated messages are the full history");

    let queue = admin.conversations().queue().await.expect("queue");
    let waiting = queue.first().expect("a handed-off conversation waits");
    assert!(waiting.assigned_agent_id.is_none());
    let agent = all(admin.members().list()).await.into_iter().find(|m| m.is_active()).expect("a member");
    let assigned = admin.conversations().assign(waiting.id.clone(), agent.id.clone()).await.expect("assign");
    assert_eq!(assigned.assigned_agent_id.as_ref(), Some(&agent.id));
    let resolved = admin.conversations().resolve(waiting.id.clone()).await.expect("resolve");
    assert_eq!(resolved.status.as_str(), "resolved");
}

#[tokio::test]
async fn team_directory_and_permissions() {
    let server = server().await;
    let admin = crm(&server, &server.keys().nextcap_crm_admin);
    let members = all(admin.members().list()).await;
    let ada = members.iter().find(|m| m.email.as_deref() == Some("ada.admin@acme.example")).expect("Ada");
    assert_eq!(admin.members().get(ada.id.clone()).await.expect("by id").id, ada.id);
    assert_eq!(admin.members().by_email("ada.admin@acme.example").await.expect("by email").id, ada.id);

    // The live-chat seat lacks team:invite and tickets:view: 403 FORBIDDEN from the mock.
    let live_chat = crm(&server, &server.keys().nextcap_crm_live_chat);
    for e in [
        live_chat.members().list().send().await.map(|_| ()).expect_err("team:invite"),
        live_chat.tickets().list().send().await.map(|_| ()).expect_err("tickets:view"),
    ] {
        let Error::Api(api) = &e else { panic!("{e}") };
        assert_eq!((api.status, api.code.as_deref()), (403, Some("FORBIDDEN")), "{e}");
    }
    assert!(live_chat.conversations().list().send().await.is_ok(), "conversations:view");

    // Another organisation's ids are 404.
    let globex = crm(&server, &server.keys().nextcap_crm_globex_admin);
    let e = globex.members().get(ada.id.clone()).await.expect_err("Acme's member");
    assert_eq!(api_status(&e), Some(404));
}
