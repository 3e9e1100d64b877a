//! End to end: every Desk Hive operation of the SDK against the mock, with the rules the mock
//! enforces (agent isolation both ways, 422s decoded into field errors, the lock, likes,
//! dashboard counts) and the control actions driven through `MockServer::deskhive()`.

mod support;

use deskapi::Error;
use deskapi::deskhive::{NotificationType, SenderType, TicketPriority, TicketStatus};
use deskapi_mock::actions::deskhive::{CustomerReply, LockTicket, NewTicket};
use support::*;

fn field_errors(err: &Error) -> Vec<String> {
    err.as_api().map(|e| e.details.iter().map(|d| d.field.clone()).collect()).unwrap_or_default()
}

fn is_invalid(result: &Result<impl std::fmt::Debug, Error>, name: &str) -> bool {
    matches!(result, Err(Error::InvalidArgument { name: n, .. }) if n == name)
}

#[tokio::test]
async fn health_dashboard_profile_and_library() {
    let server = server().await;
    let client = deskhive(&server, &server.keys().deskhive_agent);
    assert_eq!(client.health_check().await.unwrap().message, "Health check successful");
    let d = client.dashboard().await.unwrap();
    let tickets = all(client.tickets().list()).await;
    assert_eq!(d.open_tickets, tickets.iter().filter(|t| t.status == TicketStatus::Open).count() as u64);
    assert_eq!(d.in_progress_tickets, tickets.iter().filter(|t| t.status == TicketStatus::InProgress).count() as u64);
    assert!(d.needs_response > 0);

    let me = client.profile().get().await.unwrap();
    assert_eq!(me.id.0, 1);
    let updated = client.profile().update().name("x".repeat(250)).locale("pt-BR").clear_phone().send().await.unwrap();
    assert_eq!((updated.name.len(), updated.locale.as_deref(), updated.phone), (250, Some("pt-BR"), None));
    assert!(is_invalid(&client.profile().update().name("x".repeat(251)).send().await, "name"));
    assert!(is_invalid(&client.profile().update().phone("1".repeat(51)).send().await, "phone"));
    assert!(is_invalid(&client.profile().update().locale("x".repeat(11)).send().await, "locale"));
    assert!(client.profile().update().phone("1".repeat(50)).locale("x".repeat(10)).send().await.is_ok());

    let canned = client.canned_responses().list().await.unwrap();
    assert!(canned.windows(2).all(|w| (w[0].sort_order, &w[0].title) <= (w[1].sort_order, &w[1].title)));
    assert!(canned.iter().all(|c| c.is_active));
    let hits = client.knowledge_base().search("password").await.unwrap();
    assert!(!hits.is_empty() && hits.len() <= 20);
    assert!(hits.iter().all(|a| a.title.to_lowercase().contains("password")
        || a.content.to_lowercase().contains("password")
        || a.excerpt.as_deref().is_some_and(|e| e.to_lowercase().contains("password"))));
    assert_eq!(client.knowledge_base().search("your").await.unwrap().len(), 20, "capped at 20");
    assert!(client.knowledge_base().search("ab").await.is_ok(), "2 characters is enough");
    assert!(is_invalid(&client.knowledge_base().search(" a ").await, "q"), "1 character is refused before sending");
}

#[tokio::test]
async fn isolation_both_ways() {
    let server = server().await;
    let one = deskhive(&server, &server.keys().deskhive_agent);
    let two = deskhive(&server, &server.keys().deskhive_agent_2);
    let mine = all(one.tickets().list()).await;
    let theirs = all(two.tickets().list()).await;
    let only = |a: &[deskapi::deskhive::Ticket], b: &[deskapi::deskhive::Ticket]| {
        a.iter().find(|t| !b.iter().any(|x| x.id == t.id)).map(|t| t.id).expect("a ticket of its own")
    };
    for (client, foreign) in [(&two, only(&mine, &theirs)), (&one, only(&theirs, &mine))] {
        assert_eq!(client.tickets().get(foreign).await.unwrap_err().status(), Some(403));
        assert_eq!(client.tickets().close(foreign).await.unwrap_err().status(), Some(403));
        let update = client.tickets().update(foreign).status(TicketStatus::OnHold).send().await;
        assert_eq!(update.unwrap_err().status(), Some(403));
        assert_eq!(client.tickets().messages(foreign).list().send().await.unwrap_err().status(), Some(403));
        assert_eq!(client.tickets().messages(foreign).reply("hi").send().await.unwrap_err().status(), Some(403));
        assert_eq!(client.tickets().like(foreign, 1).await.unwrap_err().status(), Some(403));
    }
    assert_eq!(one.tickets().get(9999).await.unwrap_err().status(), Some(404));
    assert!(is_invalid(&one.tickets().get(0).await, "ticket"));
}

#[tokio::test]
async fn update_close_and_field_errors() {
    let server = server().await;
    let client = deskhive(&server, &server.keys().deskhive_agent);
    let open = client.tickets().list().status(TicketStatus::Open).send().await.unwrap().items;
    let id = open[0].id;
    let t = client.tickets().update(id).priority(TicketPriority::Critical).labels([1, 4]).send().await.unwrap();
    assert_eq!(t.priority, TicketPriority::Critical);
    assert_eq!(t.labels.iter().map(|l| l.id.0).collect::<Vec<_>>(), [1, 4]);
    let err = client.tickets().update(id).labels([1, 99]).send().await.unwrap_err();
    assert_eq!(err.status(), Some(422));
    assert_eq!(field_errors(&err), ["labels.1"], "the Laravel errors map, decoded");
    assert!(is_invalid(&client.tickets().update(id).send().await, "update"));
    let unknown = client.tickets().update(id).status(TicketStatus::Unknown("pending".into())).send().await;
    assert!(is_invalid(&unknown, "status"));

    let before = client.dashboard().await.unwrap();
    let closed = client.tickets().close(id).await.unwrap();
    assert!(closed.is_resolved && closed.closed_at.is_some() && closed.status == TicketStatus::Closed);
    let after = client.dashboard().await.unwrap();
    assert_eq!(after.closed_today, before.closed_today + 1);
    assert_eq!(after.open_tickets, before.open_tickets - 1);
}

#[tokio::test]
async fn messages_reply_lock_and_likes() {
    let server = server().await;
    let client = deskhive(&server, &server.keys().deskhive_agent);
    let id = client.tickets().list().status(TicketStatus::InProgress).send().await.unwrap().items[0].id;
    let first = client.tickets().messages(id).list().send().await.unwrap();
    assert_eq!(first.meta.per_page, 30);
    assert_eq!(first.items[0].sender_type, SenderType::Customer);
    let sent = client.tickets().messages(id).reply("We are on it.").send().await.unwrap();
    assert!(!sent.is_internal && sent.sender_type == SenderType::Agent);
    let note = client.tickets().messages(id).reply("internal").internal(true).send().await.unwrap();
    assert!(note.is_internal);
    let thread = all(client.tickets().messages(id).list().per_page(1)).await;
    assert_eq!(thread.len() as u64, first.meta.total + 2);
    assert_eq!(thread.last().map(|m| m.id), Some(note.id), "oldest first");
    assert!(is_invalid(&client.tickets().messages(id).reply("  ").send().await, "content"));

    let like = client.tickets().like(id, sent.id).await.unwrap();
    assert!(like.liked && like.count == 1);
    let two = deskhive(&server, &server.keys().deskhive_agent_2);
    let shared = all(two.tickets().list()).await;
    let t = shared.iter().find(|t| t.assigned_to.as_ref().is_some_and(|a| a.id == 1)).expect("agent 2 shares a ticket");
    let m = client.tickets().messages(t.id).reply("shared").send().await.unwrap();
    client.tickets().like(t.id, m.id).await.unwrap();
    let both = two.tickets().like(t.id, m.id).await.unwrap();
    assert_eq!((both.liked, both.count), (true, 2), "likes are per agent");
    let unliked = client.tickets().like(id, sent.id).await.unwrap();
    assert!(!unliked.liked && unliked.count == 0);

    let locked = server.deskhive().lock_ticket(LockTicket { ticket_id: id.0, locked: Some(true) }).unwrap();
    assert!(locked.is_locked);
    let err = client.tickets().messages(id).reply("again").send().await.unwrap_err();
    assert_eq!(err.status(), Some(403));
    assert_eq!(err.as_api().map(|e| e.message.as_str()), Some("This ticket is locked."));
    server.deskhive().lock_ticket(LockTicket { ticket_id: id.0, locked: Some(false) }).unwrap();
    assert!(client.tickets().messages(id).reply("again").send().await.is_ok());
}

#[tokio::test]
async fn notifications_and_the_customer_side() {
    let server = server().await;
    let client = deskhive(&server, &server.keys().deskhive_agent);
    let page = client.notifications().list().send().await.unwrap();
    assert_eq!(page.meta.per_page, 20);
    let unread = client.notifications().unread_count().await.unwrap();
    assert_eq!(unread, page.items.iter().filter(|n| !n.is_read).count() as u64);
    let target = page.items.iter().find(|n| !n.is_read).unwrap().id;
    client.notifications().mark_read(target).await.unwrap();
    client.notifications().mark_read(target).await.unwrap();
    assert_eq!(client.notifications().unread_count().await.unwrap(), unread - 1);
    let other = deskhive(&server, &server.keys().deskhive_agent_2);
    assert_eq!(other.notifications().mark_read(target).await.unwrap_err().status(), Some(404));

    let closed = client.tickets().list().status(TicketStatus::Closed).send().await.unwrap().items;
    let t = closed.iter().find(|t| t.assigned_to.as_ref().is_some_and(|a| a.id == 1)).unwrap();
    let replied =
        server.deskhive().customer_reply(CustomerReply { ticket_id: t.id.0, content: "Hello?".into() }).unwrap();
    assert_eq!(replied.ticket.status, "open");
    assert_eq!(client.tickets().get(t.id).await.unwrap().status, TicketStatus::Open, "a customer reply reopens");
    let newest = client.notifications().list().per_page(1).send().await.unwrap().items;
    assert_eq!((newest[0].kind.clone(), newest[0].ticket_id), (NotificationType::TicketReply, Some(t.id)));
    assert_eq!(client.notifications().unread_count().await.unwrap(), unread);

    let filed = server
        .deskhive()
        .file_ticket(NewTicket {
            title: "Printer".into(),
            content: "It jams".into(),
            agent_id: 2,
            ..Default::default()
        })
        .unwrap();
    assert_eq!(other.tickets().get(filed.id).await.unwrap().title, "Printer");
    assert_eq!(client.tickets().get(filed.id).await.unwrap_err().status(), Some(403));
    let err = server.deskhive().customer_reply(CustomerReply { ticket_id: 9999, content: "x".into() }).unwrap_err();
    assert_eq!(err.field, "ticket_id");
}
