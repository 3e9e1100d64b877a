//! Ticket sync for a CRM: Next Cap pushes ticket events to a webhook receiver, the receiver
//! mirrors each ticket into the CRM (an in-memory map here), and the CRM acts back through the
//! CRM Integration API: it replies, assigns and closes.
//!
//! ```sh
//! cargo run --example crm_ticket_sync
//! ```
//!
//! It boots the in-process mock, starts an axum receiver on 127.0.0.1:0, registers it with the
//! Data API key (`client.webhooks().create(..)`: webhooks are managed with a Data API key), and
//! plays the customer through the mock's control actions: a ticket is filed, later the customer
//! answers. Deliveries of different events may arrive in any order (each is its own POST);
//! the mirror keeps the latest ticket state. Every delivery is verified with the secret `create` returned before it is read
//! (`verify_and_parse`); the CRM's own actions come back as `ticket.reply`, `ticket.assigned`
//! and `ticket.status_changed` deliveries and update the mirror too, so the mirror is always
//! what Next Cap says, never what the CRM hoped. It prints each step and exits.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::routing::post;
use deskapi::nextcap::webhooks::{WebhookEvent, verify_and_parse};
use deskapi::nextcap::{Ticket, TicketStatus, WebhookEventName as E};
use deskapi::{NextCapCrmClient, NextCapDataClient};
use deskapi_mock::MockServer;
use deskapi_mock::actions::nextcap::{CustomerReply, NewTicket};
use tokio::sync::mpsc;

/// The CRM's copy of each ticket, by ticket number, and the events that shaped it.
#[derive(Default)]
struct Mirror {
    tickets: BTreeMap<u64, (Ticket, Vec<String>)>,
}

#[derive(Clone)]
struct Receiver {
    secret: String,
    events: mpsc::UnboundedSender<WebhookEvent>,
}

/// Verifies, queues, answers 202 at once; the sync loop does the work.
async fn receive(State(r): State<Receiver>, headers: HeaderMap, body: Bytes) -> StatusCode {
    match verify_and_parse(&r.secret, &headers, &body) {
        Ok(delivery) => {
            let _ = r.events.send(delivery.event);
            StatusCode::ACCEPTED
        }
        Err(_) => StatusCode::UNAUTHORIZED,
    }
}

fn ticket_of(event: &WebhookEvent) -> Option<&Ticket> {
    match event {
        WebhookEvent::TicketCreated(e) => Some(&e.ticket),
        WebhookEvent::TicketUpdated(e) => Some(&e.ticket),
        WebhookEvent::TicketStatusChanged(e) | WebhookEvent::TicketReopened(e) => Some(&e.ticket),
        WebhookEvent::TicketAssigned(e) => Some(&e.ticket),
        WebhookEvent::TicketReply(e) | WebhookEvent::TicketCustomerReply(e) => Some(&e.ticket),
        _ => None,
    }
}

/// Takes the next delivery into the mirror; returns it.
async fn next(events: &mut mpsc::UnboundedReceiver<WebhookEvent>, mirror: &Mutex<Mirror>) -> WebhookEvent {
    let event = tokio::time::timeout(Duration::from_secs(10), events.recv())
        .await
        .ok()
        .flatten()
        .expect("a delivery within 10 s");
    if let Some(ticket) = ticket_of(&event) {
        let mut mirror = mirror.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        let entry = mirror.tickets.entry(ticket.ticket_number).or_insert_with(|| (ticket.clone(), Vec::new()));
        entry.0 = ticket.clone();
        entry.1.push(event.name().to_owned());
        println!("  <- {:<22} #{} is {}", event.name(), ticket.ticket_number, ticket.status.as_str());
    }
    event
}

/// Waits until a delivery of `name` arrives, mirroring every delivery on the way.
async fn until(events: &mut mpsc::UnboundedReceiver<WebhookEvent>, mirror: &Mutex<Mirror>, name: &str) -> Ticket {
    loop {
        let event = next(events, mirror).await;
        if event.name() == name {
            return ticket_of(&event).cloned().expect("a ticket event");
        }
    }
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let server = MockServer::start().await;
    let keys = server.keys().clone();
    println!("mock server on {}", server.url());
    let data = NextCapDataClient::builder(keys.nextcap_data.as_str()).base_url(server.nextcap_url()).build()?;
    let crm = NextCapCrmClient::builder(keys.nextcap_crm_admin.as_str()).base_url(server.nextcap_url()).build()?;

    // Bind first (the URL is needed to register), register, then serve with the secret.
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let url = format!("http://{}/webhooks/nextcap", listener.local_addr()?);
    let subscribed =
        [E::TicketCreated, E::TicketReply, E::TicketAssigned, E::TicketStatusChanged, E::TicketCustomerReply];
    let webhook = data.webhooks().create(url.clone(), subscribed).await?;
    println!("registered {url}");
    let (tx, mut events) = mpsc::unbounded_channel();
    let receiver = Receiver { secret: webhook.secret.expose().to_owned(), events: tx };
    let app = Router::new().route("/webhooks/nextcap", post(receive)).with_state(receiver);
    tokio::spawn(async move { axum::serve(listener, app).await });
    let mirror = Arc::new(Mutex::new(Mirror::default()));

    println!("a customer files a ticket");
    let filed = server.nextcap().file_ticket(NewTicket {
        org: "acme".into(),
        subject: "Invoice shows the wrong VAT".into(),
        visitor_email: Some("jane@example.com".into()),
        ..NewTicket::default()
    })?;
    let ticket = until(&mut events, &mirror, "ticket.created").await;

    println!("the CRM replies, assigns it to the owner and asks the customer");
    crm.tickets().reply(&ticket, "Thanks Jane, we are checking the invoice.").send().await?;
    let ticket = until(&mut events, &mirror, "ticket.reply").await;
    let owner = crm.members().by_email("ada.admin@acme.example").await?;
    crm.tickets().assign(&ticket, owner.id).await?;
    let ticket = until(&mut events, &mirror, "ticket.assigned").await;
    crm.tickets().update(&ticket).status(TicketStatus::Open).send().await?;
    let ticket = until(&mut events, &mirror, "ticket.status_changed").await;
    crm.tickets().update(&ticket).status(TicketStatus::WaitingCustomer).send().await?;
    until(&mut events, &mirror, "ticket.status_changed").await;

    println!("the customer answers (the ticket leaves waiting_customer)");
    server.nextcap().customer_reply(CustomerReply {
        org: "acme".into(),
        ticket_id: Some(filed.ticket.id),
        content: "It is invoice 2026-114.".into(),
    })?;
    let ticket = until(&mut events, &mirror, "ticket.status_changed").await;

    println!("the CRM closes it");
    let closed = crm.tickets().close(&ticket).send().await?;
    until(&mut events, &mirror, "ticket.status_changed").await;
    assert_eq!(closed.ticket.status, TicketStatus::Closed);

    let mirror = mirror.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
    for (number, (ticket, history)) in &mirror.tickets {
        println!(
            "CRM mirror: #{number} {:?} is {} after {}",
            ticket.subject,
            ticket.status.as_str(),
            history.join(", ")
        );
    }
    Ok(())
}
