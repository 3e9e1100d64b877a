//! Exports every Next Cap lead to JSON Lines or CSV, with a progress bar, and resumes from a
//! given `created_after` for incremental syncs.
//!
//! ```sh
//! cargo run --example export_leads                                  # in-process mock, JSONL to stdout
//! cargo run --example export_leads -- --format csv --out leads.csv
//! cargo run --example export_leads -- --created-after 2026-10-01T00:00:00Z --out new.jsonl
//! NEXTCAP_KEY=sk_live_... cargo run --example export_leads -- --base-url https://api.nextcap.ai/api/v1
//! ```
//!
//! Without `--base-url` it boots the in-process mock and exports its demo data. At the end it
//! prints the newest `created_at` it saw: pass it as `--created-after` next time to export only
//! what is new since.

use std::io::{self, BufWriter, IsTerminal, Write};

use chrono::{DateTime, SecondsFormat, Utc};
use deskapi::NextCapDataClient;
use deskapi::nextcap::Lead;
use futures::TryStreamExt;

#[derive(Clone, Copy, PartialEq)]
enum Format {
    JsonLines,
    Csv,
}

struct Args {
    format: Format,
    out: Option<String>,
    created_after: Option<DateTime<Utc>>,
    base_url: Option<String>,
}

fn parse_args() -> Result<Args, String> {
    let mut args = Args { format: Format::JsonLines, out: None, created_after: None, base_url: None };
    let mut it = std::env::args().skip(1);
    while let Some(flag) = it.next() {
        let mut value = || it.next().ok_or(format!("{flag} needs a value"));
        match flag.as_str() {
            "--format" => {
                args.format = match value()?.as_str() {
                    "jsonl" | "json" => Format::JsonLines,
                    "csv" => Format::Csv,
                    other => return Err(format!("--format is jsonl or csv, not `{other}`")),
                }
            }
            "--out" => args.out = Some(value()?),
            "--created-after" => {
                let v = value()?;
                let t = DateTime::parse_from_rfc3339(&v).map_err(|e| format!("--created-after `{v}`: {e}"))?;
                args.created_after = Some(t.with_timezone(&Utc));
            }
            "--base-url" => args.base_url = Some(value()?),
            "-h" | "--help" => {
                return Err("usage: export_leads [--format jsonl|csv] [--out FILE] [--created-after RFC3339] \
                            [--base-url URL (key in NEXTCAP_KEY)]"
                    .into());
            }
            other => return Err(format!("unknown argument `{other}` (try --help)")),
        }
    }
    Ok(args)
}

const CSV_COLUMNS: &[&str] = &[
    "id",
    "email",
    "name",
    "phone",
    "company",
    "source",
    "agent_id",
    "conversation_id",
    "visitor_id",
    "custom_fields",
    "created_at",
    "updated_at",
];

fn csv_field(value: &str) -> String {
    if value.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", value.replace('"', "\"\""))
    } else {
        value.to_owned()
    }
}

fn csv_row(lead: &Lead) -> String {
    let opt = |v: &Option<String>| v.clone().unwrap_or_default();
    let ts = |t: &DateTime<Utc>| t.to_rfc3339_opts(SecondsFormat::Millis, true);
    let fields = [
        lead.id.to_string(),
        opt(&lead.email),
        opt(&lead.name),
        opt(&lead.phone),
        opt(&lead.company),
        lead.source.to_string(),
        lead.agent_id.as_ref().map(|a| a.to_string()).unwrap_or_default(),
        lead.conversation_id.as_ref().map(|c| c.to_string()).unwrap_or_default(),
        lead.visitor_id.as_ref().map(|v| v.to_string()).unwrap_or_default(),
        lead.custom_fields.as_ref().map(|m| serde_json::Value::Object(m.clone()).to_string()).unwrap_or_default(),
        ts(&lead.created_at),
        ts(&lead.updated_at),
    ];
    fields.iter().map(|f| csv_field(f)).collect::<Vec<_>>().join(",")
}

/// A one-line progress bar on stderr, redrawn in place (only when stderr is a terminal).
struct Progress {
    total: u64,
    done: u64,
    live: bool,
}

impl Progress {
    fn tick(&mut self) {
        self.done += 1;
        if self.live && (self.done.is_multiple_of(25) || self.done == self.total) {
            let width = 30;
            let filled = (self.done * width).checked_div(self.total).unwrap_or(width).min(width) as usize;
            eprint!(
                "\r[{}{}] {}/{} leads",
                "#".repeat(filled),
                " ".repeat(width as usize - filled),
                self.done,
                self.total
            );
        }
    }
}

#[tokio::main]
async fn main() {
    let args = parse_args().unwrap_or_else(|e| {
        eprintln!("{e}");
        std::process::exit(2)
    });
    if let Err(e) = export(args).await {
        // A closed pipe (`| head`) is the reader saying it has enough: not an error.
        if e.downcast_ref::<io::Error>().is_some_and(|io| io.kind() == io::ErrorKind::BrokenPipe) {
            return;
        }
        eprintln!("export failed: {e}");
        std::process::exit(1);
    }
}

async fn export(args: Args) -> Result<(), Box<dyn std::error::Error>> {
    // Without --base-url: the in-process mock with its demo data. Kept alive until the end.
    let mut _mock = None;
    let client = match &args.base_url {
        Some(url) => {
            let key = std::env::var("NEXTCAP_KEY").map_err(|_| "set NEXTCAP_KEY to your sk_live_ key")?;
            NextCapDataClient::builder(key).base_url(url).build()?
        }
        None => {
            let server = deskapi_mock::MockServer::start().await;
            let client = NextCapDataClient::builder(server.keys().nextcap_data.as_str())
                .base_url(server.nextcap_url())
                .build()?;
            _mock = Some(server);
            client
        }
    };

    let mut list = client.leads().list().per_page(100);
    if let Some(after) = args.created_after {
        list = list.created_after(after);
    }
    let total = list.clone().per_page(1).send().await?.meta.total;

    let sink: Box<dyn Write> = match &args.out {
        Some(path) => Box::new(std::fs::File::create(path)?),
        None => Box::new(io::stdout().lock()),
    };
    let mut out = BufWriter::new(sink);
    if args.format == Format::Csv {
        writeln!(out, "{}", CSV_COLUMNS.join(","))?;
    }

    let mut progress = Progress { total, done: 0, live: io::stderr().is_terminal() };
    let mut newest: Option<DateTime<Utc>> = None;
    let mut leads = list.stream();
    while let Some(lead) = leads.try_next().await? {
        match args.format {
            Format::JsonLines => writeln!(out, "{}", serde_json::to_string(&lead)?)?,
            Format::Csv => writeln!(out, "{}", csv_row(&lead))?,
        }
        newest = newest.max(Some(lead.created_at));
        progress.tick();
    }
    out.flush()?;
    if progress.live {
        eprintln!();
    }
    eprintln!("exported {} of {} leads", progress.done, total);
    match newest {
        Some(t) => eprintln!("resume later with: --created-after {}", t.to_rfc3339_opts(SecondsFormat::Millis, true)),
        None => eprintln!("nothing new"),
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::csv_field;

    #[test]
    fn csv_fields_are_quoted_only_when_needed() {
        assert_eq!(csv_field("plain"), "plain");
        assert_eq!(csv_field("a,b"), "\"a,b\"");
        assert_eq!(csv_field("say \"hi\""), "\"say \"\"hi\"\"\"");
    }
}
