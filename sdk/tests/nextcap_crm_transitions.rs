//! The ticket status state machine, both ways: every pair the document's "Ticket Status
//! Transitions" table allows is allowed and sent, every other pair (staying put included) is
//! refused by `can_transition_to` and by the PATCH, close and reopen builders with nothing sent.
#![cfg(feature = "nextcap")]

mod common;

use common::*;
use deskapi::Error;
use deskapi::nextcap::TicketStatus;
use deskapi::nextcap::crm::TicketTarget;
use serde_json::json;
use wiremock::matchers::{method, path_regex};
use wiremock::{Mock, MockServer, ResponseTemplate};

/// The document's table, verbatim (`from → to, ...`), parsed here independently of the SDK.
const DOCUMENT_TABLE: &str = "\
new → open, in_progress, closed
open → in_progress, waiting_customer, waiting_internal, resolved, closed
in_progress → waiting_customer, waiting_internal, resolved, closed
waiting_customer → open, in_progress, resolved, closed
waiting_internal → open, in_progress, resolved, closed
resolved → closed, reopened
closed → reopened
reopened → open, in_progress, waiting_customer, waiting_internal, resolved, closed";

fn allowed_pairs() -> Vec<(TicketStatus, TicketStatus)> {
    let mut pairs = Vec::new();
    for line in DOCUMENT_TABLE.lines() {
        let (from, to) = line.split_once(" → ").expect("a table row");
        for next in to.split(", ") {
            pairs.push((from.parse().unwrap(), next.parse().unwrap()));
        }
    }
    pairs
}

fn every_pair() -> impl Iterator<Item = (TicketStatus, TicketStatus)> {
    TicketStatus::KNOWN.iter().flat_map(|a| TicketStatus::KNOWN.iter().map(move |b| (a.clone(), b.clone())))
}

#[test]
fn the_table_is_exactly_the_documents() {
    let allowed = allowed_pairs();
    assert_eq!(allowed.len(), 29);
    assert!(allowed.iter().all(|(a, b)| a.is_known() && b.is_known()), "the table parses into known statuses");
    let mut refused = 0;
    for (from, to) in every_pair() {
        let expected = allowed.contains(&(from.clone(), to.clone()));
        assert_eq!(from.can_transition_to(&to), expected, "{from} -> {to}");
        refused += usize::from(!expected);
    }
    assert_eq!(refused, 64 - 29);
    for s in TicketStatus::KNOWN {
        let row: Vec<_> = allowed.iter().filter(|(a, _)| a == s).map(|(_, b)| b.clone()).collect();
        assert_eq!(s.allowed_transitions(), row.as_slice(), "{s}: the row in the document's order");
    }
}

#[test]
fn unknown_statuses_have_no_known_transitions() {
    let unknown = TicketStatus::Unknown("escalated".into());
    assert!(unknown.allowed_transitions().is_empty());
    for s in TicketStatus::KNOWN {
        assert!(!unknown.can_transition_to(s));
        assert!(!s.can_transition_to(&unknown));
    }
}

/// A server that accepts every PATCH, close and reopen.
async fn accepting_server() -> MockServer {
    let server = MockServer::start().await;
    for (verb, route) in
        [("PATCH", r"^/external/crm/tickets/t1$"), ("POST", r"^/external/crm/tickets/t1/(close|reopen)$")]
    {
        Mock::given(method(verb))
            .and(path_regex(route))
            .respond_with(ResponseTemplate::new(200).set_body_json(fixture!("nextcap/crm_ticket_detail.json")))
            .mount(&server)
            .await;
    }
    server
}

fn refused_as_status(e: Error) {
    assert!(matches!(&e, Error::InvalidArgument { name, .. } if name == "status"), "{e:?}");
}

#[tokio::test]
async fn patch_sends_every_allowed_pair_and_refuses_every_other_one() {
    let server = accepting_server().await;
    let client = crm(&server);
    let allowed = allowed_pairs();
    for (from, to) in every_pair() {
        let result = client.tickets().update("t1").current_status(from.clone()).status(to.clone()).send().await;
        if allowed.contains(&(from.clone(), to.clone())) {
            result.unwrap_or_else(|e| panic!("{from} -> {to} was refused: {e}"));
        } else {
            refused_as_status(result.expect_err(&format!("{from} -> {to} was sent")));
        }
    }
    let requests = server.received_requests().await.unwrap();
    assert_eq!(requests.len(), 29, "only the allowed pairs reach the API");
    let sent: Vec<serde_json::Value> = requests.iter().map(|r| serde_json::from_slice(&r.body).unwrap()).collect();
    let expected: Vec<serde_json::Value> =
        every_pair().filter(|p| allowed.contains(p)).map(|(_, to)| json!({"status": to.as_str()})).collect();
    assert_eq!(sent, expected);
}

#[tokio::test]
async fn close_and_reopen_follow_the_table_from_every_status() {
    let server = accepting_server().await;
    let client = crm(&server);
    for from in TicketStatus::KNOWN {
        let target = TicketTarget::new("t1").with_status(from.clone());
        let closed = client.tickets().close(target.clone()).send().await;
        assert_eq!(closed.is_ok(), *from != TicketStatus::Closed, "close from {from}");
        let reopened = client.tickets().reopen(target).send().await;
        let may_reopen = matches!(from, TicketStatus::Resolved | TicketStatus::Closed);
        assert_eq!(reopened.is_ok(), may_reopen, "reopen from {from}");
        if !may_reopen {
            refused_as_status(reopened.unwrap_err());
        }
    }
    let paths: Vec<String> = only_paths(&server).await;
    assert_eq!(paths.iter().filter(|p| p.ends_with("/close")).count(), 7);
    assert_eq!(paths.iter().filter(|p| p.ends_with("/reopen")).count(), 2);
}
