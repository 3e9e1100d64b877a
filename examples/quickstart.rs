//! Quickstart: boots the in-process mock server and walks the three APIs with the SDK.
//!
//! Run it with `cargo run --example quickstart`. No account and no network are needed: every
//! request goes to the mock on 127.0.0.1, which behaves like the real services (auth, envelopes,
//! errors, rate limits). To point the same code at a real service, drop `.base_url(..)` and use
//! your own key.

use deskapi::nexadesk::{LeadSortField, PipelineStage, SortDirection};
use deskapi::nextcap::LeadSource;
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

fn opt(v: &Option<String>) -> &str {
    v.as_deref().unwrap_or("-")
}
