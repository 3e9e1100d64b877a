//! Quickstart: boots the in-process mock server and walks the three APIs with the SDK: every
//! resource of the Next Cap Data API (leads, conversations, tickets, call requests, visitors,
//! departments, analytics, webhooks), then NexaDesk and Desk Hive.
//!
//! Run it with `cargo run --example quickstart`. No account and no network are needed: every
//! request goes to the mock on 127.0.0.1, which behaves like the real services (auth, envelopes,
//! errors, rate limits). To point the same code at a real service, drop `.base_url(..)` and use
//! your own key.
//!
//! It makes about 30 requests, well inside the documented 60 a minute the mock enforces, so it
//! never waits for a rate-limit window.

use chrono::NaiveDate;
use deskapi::nexadesk::{LeadSortField, PipelineStage, SortDirection};
use deskapi::nextcap::{CallRequestStatus, ConversationStatus, LeadSource, TicketPriority, WebhookEventName};
use deskapi::{DeskHiveClient, NexaDeskClient, NextCapDataClient};
use futures::TryStreamExt;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let server = deskapi_mock::MockServer::start().await;
    println!("mock server listening on {}", server.url());
    let keys = server.keys();

    // --- Next Cap External Data API -------------------------------------------------------
    println!("\n# Next Cap Data API ({})", server.nextcap_url());
    let nextcap = NextCapDataClient::builder(keys.nextcap_data.as_str()).base_url(server.nextcap_url()).build()?;

    let page = nextcap.leads().list().per_page(5).send().await?;
    println!(
        "first page: {} of {} leads (page {}/{})",
        page.items.len(),
        page.meta.total,
        page.meta.page,
        page.meta.total_pages
    );
    for lead in &page.items {
        println!(
            "  {} {:<24} {:<32} {}",
            lead.created_at.format("%Y-%m-%d"),
            opt(&lead.name),
            opt(&lead.email),
            lead.source
        );
    }

    let all: Vec<_> = nextcap.leads().list().per_page(20).stream().try_collect().await?;
    println!("streamed every lead: {} (several pages, fetched ahead while we read)", all.len());

    let telegram = nextcap.leads().list().source(LeadSource::Telegram).stream().try_collect::<Vec<_>>().await?;
    println!("leads captured through Telegram: {}", telegram.len());

    let one = nextcap.leads().get(all[0].id.clone()).await?;
    println!("lead {} fetched by id: {:?}", one.id, one.name);

    match nextcap.leads().get("00000000-0000-4000-8000-000000000000").await {
        Err(deskapi::Error::Api(e)) => {
            println!("unknown id -> {} {}: {}", e.status, e.code.as_deref().unwrap_or("-"), e.message)
        }
        other => println!("unexpected: {other:?}"),
    }
    match nextcap.leads().list().per_page(500).send().await {
        Err(e @ deskapi::Error::InvalidArgument { .. }) => println!("per_page 500 refused before sending: {e}"),
        other => println!("unexpected: {other:?}"),
    }

    next_cap_resources(&nextcap).await?;

    // --- NexaDesk ------------------------------------------------------------------------
    println!("\n# NexaDesk ({})", server.nexadesk_url());
    let nexadesk =
        NexaDeskClient::builder(keys.nexadesk_read_write.as_str()).base_url(server.nexadesk_url()).build()?;
    let qualified = nexadesk
        .leads()
        .list()
        .stage(PipelineStage::Qualified)
        .sort(LeadSortField::LeadScore, SortDirection::Desc)
        .limit(10)
        .stream()
        .try_collect::<Vec<_>>()
        .await?;
    println!("qualified leads, best score first: {}", qualified.len());
    for lead in qualified.iter().take(3) {
        println!("  {:<24} score {:?} {}", lead.visitor_name, lead.lead_score, opt(&lead.visitor_company));
    }
    let cursor_page = nexadesk.leads().list().limit(10).send().await?;
    println!(
        "cursor pagination: {} items, has_more {}, next_cursor {:?}, total {:?}",
        cursor_page.items.len(),
        cursor_page.meta.has_more,
        cursor_page.meta.next_cursor,
        cursor_page.meta.total_count
    );

    // --- Desk Hive -----------------------------------------------------------------------
    println!("\n# Desk Hive ({})", server.deskhive_url());
    let deskhive = DeskHiveClient::new(server.deskhive_url(), keys.deskhive_agent.as_str())?;
    let check = deskhive.connection_check().await?;
    println!("connection check: {} ({})", check.status, check.message);
    let tickets: Vec<_> = deskhive.tickets().list().stream().try_collect().await?;
    println!("tickets assigned to this agent: {}", tickets.len());
    for t in tickets.iter().take(3) {
        println!("  {} [{} / {}] {}", t.reference_id, t.status, t.priority, t.title);
    }
    let inactive = DeskHiveClient::new(server.deskhive_url(), keys.deskhive_inactive.as_str())?;
    if let Err(deskapi::Error::Api(e)) = inactive.connection_check().await {
        println!("an inactive agent's key -> {} {}", e.status, e.message);
    }

    // --- What the mock saw -----------------------------------------------------------------
    let journal = server.requests();
    println!("\nthe mock's request journal holds {} requests; the last three:", journal.len());
    for entry in journal.iter().rev().take(3).rev() {
        println!(
            "  {} {} -> {} ({})",
            entry.method,
            entry.path,
            entry.status,
            entry.operation_id.as_deref().unwrap_or("-")
        );
    }
    Ok(())
}

/// The Next Cap Data API after leads: a few lines per resource.
async fn next_cap_resources(nextcap: &NextCapDataClient) -> Result<(), Box<dyn std::error::Error>> {
    // Conversations: filtered by status; messages are a list of their own, oldest first.
    let handed_off = nextcap.conversations().list().status(ConversationStatus::HandedOff).per_page(3).send().await?;
    println!("\nconversations handed off to a human: {}", handed_off.meta.total);
    for c in &handed_off.items {
        println!(
            "  {} {:<9} {:>2} messages  {}",
            c.created_at.format("%Y-%m-%d"),
            c.channel.as_str(),
            c.message_count,
            opt(&c.title)
        );
    }
    if let Some(c) = handed_off.items.first() {
        let messages = nextcap.conversations().messages(c.id.clone()).per_page(4).send().await?;
        println!("the first {} of its {} messages:", messages.items.len(), messages.meta.total);
        for m in &messages.items {
            println!("  {:<9} {}", m.role.as_str(), clip(&m.content, 80));
        }
    }

    // Tickets: filtered by priority; one ticket with its department's French name and timeline.
    let urgent = nextcap.tickets().list().priority(TicketPriority::Urgent).per_page(3).send().await?;
    println!("\nurgent tickets: {}", urgent.meta.total);
    for t in &urgent.items {
        println!("  #{} [{} / {}] {}", t.ticket_number, t.status, t.priority, t.subject);
    }
    if let Some(t) = urgent.items.iter().find(|t| t.department.is_some()) {
        let ticket = nextcap.tickets().get(t.id.clone()).await?;
        if let Some(d) = &ticket.department {
            println!("ticket #{}'s department: {} (in French: {})", ticket.ticket_number, d.name, d.name_for("fr"));
        }
        let events: Vec<_> = nextcap.tickets().events(ticket.id.clone()).stream().try_collect().await?;
        let kinds: Vec<&str> = events.iter().map(|e| e.kind.as_str()).collect();
        println!("its timeline: {}", kinds.join(" -> "));
    }

    // Call requests: the list, then the one write a CRM makes, a PATCH of status and notes.
    let calls = nextcap.call_requests().list().per_page(3).send().await?;
    println!("\ncall-back requests: {}", calls.meta.total);
    for r in &calls.items {
        let window = r.preferred_time_window.map(|w| w.to_string()).unwrap_or_default();
        let date = r.preferred_date.map(|d| d.to_string()).unwrap_or_default();
        println!("  {:<16} {:<18} {:<10} {date} {window}", r.phone, opt(&r.name), r.status.as_str());
    }
    let new_ones = nextcap.call_requests().list().status(CallRequestStatus::New).per_page(1).send().await?;
    if let Some(r) = new_ones.items.first() {
        let updated = nextcap
            .call_requests()
            .update(r.id.clone())
            .status(CallRequestStatus::Contacted)
            .notes("Left a voicemail; will try again tomorrow.")
            .send()
            .await?;
        println!(
            "{} new; PATCH {}: {} -> {}, notes {:?}",
            new_ones.meta.total,
            r.phone,
            r.status,
            updated.status,
            opt(&updated.notes)
        );
    }

    // Visitors: those with a captured email, then one visitor's sessions and AI profile.
    let visitors = nextcap.visitors().list().has_email(true).per_page(3).send().await?;
    println!("\nvisitors with an email: {}", visitors.meta.total);
    for v in &visitors.items {
        println!("  {:<20} {:<32} {} {:>2} visits", opt(&v.name), opt(&v.email), opt(&v.country), v.total_sessions);
    }
    // A profile exists once the visitor has chatted (a 404 before).
    if let Some(v) = visitors.items.iter().find(|v| v.total_conversations > 0) {
        let sessions = nextcap.visitors().sessions(v.id.clone()).per_page(1).send().await?;
        if let Some(s) = sessions.items.first() {
            let via = s.utm_source.as_deref().or(s.referrer.as_deref()).unwrap_or("a direct visit");
            println!("{}'s latest of {} visits: {} via {via}", opt(&v.name), sessions.meta.total, opt(&s.landing_url));
        }
        let profile = nextcap.visitors().profile(v.id.clone()).await?;
        let sentiment = profile.sentiment.map(|s| s.to_string()).unwrap_or_default();
        println!("  profile: {sentiment}, topics [{}], intent {}", profile.topics.join(", "), opt(&profile.intent));
    }

    // Departments, with the names translated where a translation exists.
    let departments = nextcap.departments().list().send().await?.items;
    let names: Vec<String> = departments.iter().map(|d| format!("{} / {}", d.name, d.name_for("fr"))).collect();
    println!("\ndepartments (en / fr): {}", names.join(", "));

    // Analytics: totals over an inclusive date range.
    let (start, end) = (NaiveDate::from_ymd_opt(2026, 8, 1).unwrap(), NaiveDate::from_ymd_opt(2026, 10, 31).unwrap());
    let o = nextcap.analytics().overview(start, end).await?;
    println!(
        "\nanalytics {start}..{end}: {} conversations, {} messages, {} leads, {} tickets, {} call requests",
        o.conversations, o.messages, o.leads, o.tickets, o.call_requests
    );
    let rate = o.resolution_rate.map(|r| format!("{:.0}%", r * 100.0)).unwrap_or("-".into());
    let rating = o.avg_satisfaction_rating.map(|r| format!("{r:.1}")).unwrap_or("-".into());
    println!("  resolution rate {rate}, average satisfaction {rating}");

    // Webhooks: the signing secret comes back once, on creation, and never prints by accident.
    let events = [WebhookEventName::LeadCreated, WebhookEventName::TicketCreated];
    let created = nextcap.webhooks().create("https://crm.example.com/hooks/nextcap", events).await?;
    println!(
        "\nwebhook {} created for {} events, secret {:?} (store created.secret.expose() now)",
        created.webhook.id,
        created.webhook.events.len(),
        created.secret
    );
    println!("webhooks registered: {}", nextcap.webhooks().list().send().await?.meta.total);
    nextcap.webhooks().delete(created.webhook.id.clone()).await?;
    println!("deleted it; webhooks registered: {}", nextcap.webhooks().list().send().await?.meta.total);
    Ok(())
}

fn opt(v: &Option<String>) -> &str {
    v.as_deref().unwrap_or("-")
}

/// The first `max` characters of `text`, on one line.
fn clip(text: &str, max: usize) -> String {
    let line = text.replace('\n', " ");
    match line.char_indices().nth(max) {
        Some((at, _)) => format!("{}…", &line[..at]),
        None => line,
    }
}
