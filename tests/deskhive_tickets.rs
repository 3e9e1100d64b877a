//! End to end: the SDK's Desk Hive endpoints against the mock.

mod support;

use std::collections::HashSet;

use deskapi::deskhive::{Ticket, TicketPriority, TicketStatus};
use futures::TryStreamExt;
use support::*;

fn agent_ids(t: &Ticket) -> HashSet<u64> {
    t.assigned_to.iter().chain(t.agents.iter()).map(|a| a.id).collect()
}

#[tokio::test]
async fn connection_check_accepts_active_agents_and_refuses_inactive_ones() {
    let server = server().await;
    let keys = server.keys().clone();
    let check = deskhive(&server, &keys.deskhive_agent).connection_check().await.unwrap();
    assert!(check.status);
    assert_eq!(check.message, "Connection check successful");
    let err = deskhive(&server, &keys.deskhive_inactive).connection_check().await.unwrap_err();
    assert_eq!(err.status(), Some(401));
    let err = deskhive(&server, "not-a-real-key").connection_check().await.unwrap_err();
    assert_eq!(err.status(), Some(401));
}

#[tokio::test]
async fn an_agent_sees_only_tickets_assigned_to_them() {
    let server = server().await;
    let keys = server.keys().clone();
    let mine: Vec<Ticket> =
        deskhive(&server, &keys.deskhive_agent).tickets().list().stream().try_collect().await.unwrap();
    let theirs: Vec<Ticket> =
        deskhive(&server, &keys.deskhive_agent_2).tickets().list().stream().try_collect().await.unwrap();
    assert!(mine.len() >= 20, "one agent has several pages of tickets, got {}", mine.len());
    // One agent id is on every one of my tickets: mine.
    let common = mine.iter().map(agent_ids).reduce(|a, b| &a & &b).unwrap();
    assert_eq!(common.len(), 1, "exactly one agent on all of them: {common:?}");
    let me = *common.iter().next().unwrap();
    assert!(theirs.iter().all(|t| !agent_ids(t).contains(&me) || mine.iter().any(|m| m.id == t.id)));
}

#[tokio::test]
async fn laravel_pages_filters_and_meta() {
    let server = server().await;
    let client = deskhive(&server, &server.keys().deskhive_agent);
    let first = client.tickets().list().send().await.unwrap();
    assert_eq!(first.meta.per_page, 15, "documented default page size");
    assert!(first.meta.last_page >= 2);
    let all: Vec<Ticket> = client.tickets().list().per_page(7).stream().try_collect().await.unwrap();
    assert_eq!(all.len() as u64, first.meta.total);

    for status in TicketStatus::KNOWN {
        let got: Vec<Ticket> = client.tickets().list().status(status.clone()).stream().try_collect().await.unwrap();
        assert_eq!(got.len(), all.iter().filter(|t| &t.status == status).count(), "status {status}");
    }
    for priority in TicketPriority::KNOWN {
        let got: Vec<Ticket> = client.tickets().list().priority(priority.clone()).stream().try_collect().await.unwrap();
        assert_eq!(got.len(), all.iter().filter(|t| &t.priority == priority).count(), "priority {priority}");
    }
    let dept = all.iter().find_map(|t| t.department.clone()).expect("tickets have departments");
    let got: Vec<Ticket> = client.tickets().list().department_id(dept.id).stream().try_collect().await.unwrap();
    assert!(!got.is_empty());
    assert!(got.iter().all(|t| t.department.as_ref().map(|d| d.id) == Some(dept.id)));
}
