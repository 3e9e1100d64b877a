//! An agent's morning on Desk Hive: the dashboard, the unread notifications (read, then marked
//! read), a reply to the ticket that has waited longest for one (using a canned response), and
//! closing the tickets that are done (in progress, answered by us, and quiet for a week).
//!
//! Run it with `cargo run --example deskhive_agent`: it boots the in-process mock and works as
//! the demo agent. Pointed at a real installation instead:
//! `DESKHIVE_URL=https://help.example.com/api/v1 DESKHIVE_KEY=... cargo run --example deskhive_agent`
//! (it then really replies and closes tickets; set `DRY_RUN=1` to only print what it would do).

use chrono::{Duration, Utc};
use deskapi::DeskHiveClient;
use deskapi::deskhive::{SenderType, Ticket, TicketMessage, TicketStatus};
use futures::TryStreamExt;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    // Keep the mock alive for the whole run when it is used.
    let (client, _mock) = match (std::env::var("DESKHIVE_URL"), std::env::var("DESKHIVE_KEY")) {
        (Ok(url), Ok(key)) => (DeskHiveClient::new(url, key)?, None),
        _ => {
            let server = deskapi_mock::MockServer::start().await;
            println!("mock Desk Hive at {}", server.deskhive_url());
            let client = DeskHiveClient::new(server.deskhive_url(), server.keys().deskhive_agent.as_str())?;
            (client, Some(server))
        }
    };
    let dry_run = std::env::var_os("DRY_RUN").is_some();

    let me = client.profile().get().await?;
    let d = client.dashboard().await?;
    println!("Good morning, {}.", me.name);
    println!(
        "  {} open, {} in progress, {} waiting for you, {} closed today",
        d.open_tickets, d.in_progress_tickets, d.needs_response, d.closed_today
    );

    // Unread notifications, newest first; marked read once shown.
    println!("\n{} unread notification(s):", client.notifications().unread_count().await?);
    let mut notes = client.notifications().list().per_page(50).stream();
    while let Some(n) = notes.try_next().await? {
        if n.is_read {
            continue;
        }
        println!("  {} {} ({})", n.created_at.format("%Y-%m-%d %H:%M"), n.title, n.message);
        if !dry_run {
            client.notifications().mark_read(n.id).await?;
        }
    }

    // Every open ticket with the last public message of its thread.
    let tickets: Vec<Ticket> = client.tickets().list().per_page(100).stream().try_collect().await?;
    let mut threads: Vec<(Ticket, TicketMessage)> = Vec::new();
    for t in tickets.into_iter().filter(|t| t.status != TicketStatus::Closed) {
        let messages: Vec<TicketMessage> =
            client.tickets().messages(t.id).list().per_page(100).stream().try_collect().await?;
        if let Some(last) = messages.into_iter().rev().find(|m| !m.is_internal) {
            threads.push((t, last));
        }
    }

    // The ticket that has waited longest for us (locked tickets refuse replies).
    let waiting = threads
        .iter()
        .filter(|(t, last)| last.sender_type == SenderType::Customer && !t.is_locked)
        .min_by_key(|(_, last)| last.created_at);
    let canned = client.canned_responses().list().await?;
    let greeting = canned.iter().find(|c| c.shortcut.as_deref() == Some("/greet")).or(canned.first());
    match (waiting, greeting) {
        (Some((t, last)), Some(greeting)) => {
            println!("\nLongest wait: {} \"{}\" since {}", t.reference_id, t.title, last.created_at.format("%Y-%m-%d"));
            println!("  the customer wrote: {}", last.content);
            println!("  replying with the canned response \"{}\"", greeting.title);
            if !dry_run {
                let sent = client.tickets().messages(t.id).reply(greeting.content.clone()).send().await?;
                println!("  sent message {} at {}", sent.id, sent.created_at);
                client.tickets().update(t.id).status(TicketStatus::InProgress).send().await?;
            }
        }
        (None, _) => println!("\nNobody is waiting for a reply."),
        (_, None) => println!("\nNo canned response is active; reply by hand."),
    }

    // Done: in progress, our answer is the last word, and the customer has been quiet a week.
    let week_ago = Utc::now() - Duration::days(7);
    let done: Vec<&Ticket> = threads
        .iter()
        .filter(|(t, last)| {
            t.status == TicketStatus::InProgress && last.sender_type == SenderType::Agent && last.created_at < week_ago
        })
        .map(|(t, _)| t)
        .collect();
    println!("\nClosing {} finished ticket(s):", done.len());
    for t in done {
        if dry_run {
            println!("  would close {} \"{}\"", t.reference_id, t.title);
            continue;
        }
        let closed = client.tickets().close(t.id).await?;
        println!(
            "  closed {} at {}",
            closed.reference_id,
            closed.closed_at.map(|c| c.to_rfc3339()).unwrap_or_default()
        );
    }

    let d = client.dashboard().await?;
    println!("\nNow: {} open, {} in progress, {} closed today.", d.open_tickets, d.in_progress_tickets, d.closed_today);
    Ok(())
}
