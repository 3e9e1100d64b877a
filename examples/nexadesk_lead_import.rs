//! Imports NexaDesk leads from a CSV file: a row whose email is already a lead's updates that
//! lead, any other row creates one. A progress bar follows the rows; at the end a summary gives
//! how many were created, updated and rejected, with the reason for each rejected row.
//!
//! ```sh
//! cargo run --example nexadesk_lead_import                      # in-process mock, examples/data/leads.csv
//! cargo run --example nexadesk_lead_import -- my-leads.csv
//! NEXADESK_KEY=fc_live_... cargo run --example nexadesk_lead_import -- my-leads.csv \
//!     --base-url https://chats.nexadesk.ai/api/v1/external   # or NEXADESK_BASE_URL=...
//! ```
//!
//! Without a base URL it boots the in-process mock, whose Acme workspace already holds some of
//! the sample file's emails, so both paths run. The file has a header row; the columns are
//! the API's field names (`visitor_name`, `visitor_email`, `visitor_phone`, `visitor_company`,
//! `pipeline_stage`, `need_summary`, `tags` separated by `;`, `source`,
//! `expected_billing_amount`), in any order; unknown columns are ignored and an empty cell
//! leaves the field alone on an update.
//!
//! Why it is shaped so: the existing leads are listed once (100 a page) into an email index
//! rather than searched row by row, which keeps a large file inside the 100 requests a minute
//! the API allows. Emails compare case-insensitively. A row is checked by the SDK's own
//! builders, so a bad row is an `Error::InvalidArgument` naming the field and is never sent;
//! a row the API refuses (400, 404, 409) is rejected with the API's message. Anything else (a
//! wrong key, a `read`-only key, the service down) stops the import: every later row would
//! fail the same way.

use std::collections::HashMap;
use std::io::Read;
use std::time::Duration;

use deskapi::nexadesk::{LeadId, NexaDeskErrorKind, PipelineStage};
use deskapi::{Error, NexaDeskClient};
use futures::TryStreamExt;
use indicatif::{ProgressBar, ProgressStyle};

/// The sample file, used when no path is given.
const SAMPLE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/examples/data/leads.csv");

/// What happened to the rows of one import.
#[derive(Debug, Default)]
struct Report {
    created: Vec<LeadId>,
    updated: Vec<LeadId>,
    /// (line in the file, reason).
    rejected: Vec<(u64, String)>,
}

/// One CSV row: the cells by column name, blanks dropped.
struct Row {
    line: u64,
    cells: HashMap<String, String>,
}

impl Row {
    fn get(&self, column: &str) -> Option<&str> {
        self.cells.get(column).map(String::as_str)
    }
}

/// Reads every row; a row the CSV reader cannot read is rejected, not fatal.
fn read_rows(input: impl Read, report: &mut Report) -> Result<Vec<Row>, csv::Error> {
    let mut reader = csv::ReaderBuilder::new().trim(csv::Trim::All).from_reader(input);
    let headers: Vec<String> = reader.headers()?.iter().map(str::to_lowercase).collect();
    let mut rows = Vec::new();
    for record in reader.records() {
        match record {
            Ok(record) => {
                let line = record.position().map_or(0, |p| p.line());
                let cells = headers
                    .iter()
                    .zip(record.iter())
                    .filter(|(_, value)| !value.is_empty())
                    .map(|(name, value)| (name.clone(), value.to_owned()))
                    .collect();
                rows.push(Row { line, cells });
            }
            Err(e) => {
                let line = e.position().map_or(0, |p| p.line());
                report.rejected.push((line, format!("unreadable CSV row: {e}")));
            }
        }
    }
    Ok(rows)
}

fn tags(row: &Row) -> Option<Vec<String>> {
    row.get("tags").map(|t| t.split(';').map(str::trim).filter(|t| !t.is_empty()).map(str::to_owned).collect())
}

/// The row's deal value; a cell that is not a number rejects the row (the SDK takes an `f64`,
/// so this is the one check the file format itself needs).
fn amount(row: &Row) -> Result<Option<f64>, String> {
    row.get("expected_billing_amount")
        .map(|a| a.parse::<f64>().map_err(|_| format!("expected_billing_amount `{a}` is not a number")))
        .transpose()
}

/// Creates or updates the lead of one row. Setters are applied only for the cells present.
async fn upsert(client: &NexaDeskClient, row: &Row, existing: Option<&LeadId>) -> Result<LeadId, Error> {
    let amount = amount(row).map_err(|message| Error::InvalidArgument { name: "row".into(), message })?;
    let stage = row.get("pipeline_stage").map(|s| s.parse::<PipelineStage>().unwrap_or_else(|e| match e {}));
    macro_rules! fill {
        ($builder:expr) => {{
            let mut b = $builder;
            if let Some(v) = row.get("visitor_email") {
                b = b.visitor_email(v);
            }
            if let Some(v) = row.get("visitor_phone") {
                b = b.visitor_phone(v);
            }
            if let Some(v) = row.get("visitor_company") {
                b = b.visitor_company(v);
            }
            if let Some(v) = stage {
                b = b.pipeline_stage(v);
            }
            if let Some(v) = row.get("need_summary") {
                b = b.need_summary(v);
            }
            if let Some(v) = tags(row) {
                b = b.tags(v);
            }
            if let Some(v) = amount {
                b = b.expected_billing_amount(v);
            }
            b
        }};
    }
    match existing {
        Some(id) => {
            let mut update = fill!(client.leads().update(id.clone()));
            if let Some(name) = row.get("visitor_name") {
                update = update.visitor_name(name);
            }
            Ok(update.send().await?.id)
        }
        None => {
            // A missing name is sent as "" so that the SDK's own check refuses it by name.
            let mut create = fill!(client.leads().create(row.get("visitor_name").unwrap_or_default()));
            if let Some(source) = row.get("source") {
                create = create.source(source);
            }
            Ok(create.send().await?.id)
        }
    }
}

/// Every existing lead's id by lowercased email.
async fn email_index(client: &NexaDeskClient) -> Result<HashMap<String, LeadId>, Error> {
    let mut index = HashMap::new();
    let mut leads = client.leads().list().limit(100).stream();
    while let Some(lead) = leads.try_next().await? {
        if let Some(email) = &lead.visitor_email {
            index.insert(email.trim().to_lowercase(), lead.id);
        }
    }
    Ok(index)
}

/// Imports the rows of `input`; returns the report, or the error that stopped it with the
/// report so far.
async fn import(
    client: &NexaDeskClient,
    input: impl Read,
    progress: &ProgressBar,
) -> Result<Report, (Report, Box<dyn std::error::Error>)> {
    let mut report = Report::default();
    let rows = match read_rows(input, &mut report) {
        Ok(rows) => rows,
        Err(e) => return Err((report, e.into())),
    };
    progress.set_message("indexing existing leads by email");
    let mut index = match email_index(client).await {
        Ok(index) => index,
        Err(e) => return Err((report, e.into())),
    };
    progress.set_length(rows.len() as u64);
    progress.set_message("importing");
    for row in &rows {
        let email = row.get("visitor_email").map(str::to_lowercase);
        let existing = email.as_ref().and_then(|e| index.get(e)).cloned();
        match upsert(client, row, existing.as_ref()).await {
            Ok(id) => {
                if existing.is_some() {
                    report.updated.push(id);
                } else {
                    // A later row with the same email updates this lead.
                    if let Some(email) = email {
                        index.insert(email, id.clone());
                    }
                    report.created.push(id);
                }
            }
            Err(e) => match NexaDeskErrorKind::of(&e) {
                NexaDeskErrorKind::InvalidArgument
                | NexaDeskErrorKind::Validation
                | NexaDeskErrorKind::NotFound
                | NexaDeskErrorKind::Conflict => report.rejected.push((row.line, e.to_string())),
                _ => return Err((report, e.into())),
            },
        }
        progress.inc(1);
    }
    progress.finish_and_clear();
    report.rejected.sort_by_key(|(line, _)| *line);
    Ok(report)
}

fn print_summary(report: &Report) {
    println!("created {}, updated {}, rejected {}", report.created.len(), report.updated.len(), report.rejected.len());
    for (line, reason) in &report.rejected {
        println!("  line {line}: {reason}");
    }
}

struct Args {
    path: String,
    base_url: Option<String>,
}

const USAGE: &str = "usage: nexadesk_lead_import [FILE.csv] [--base-url URL] \
                     (key in NEXADESK_KEY; base URL also from NEXADESK_BASE_URL)";

/// What the command line asks for: an import, or the usage text (`--help`, exit 0).
enum Command {
    Import(Args),
    Help,
}

fn parse_args(argv: impl IntoIterator<Item = String>) -> Result<Command, String> {
    let mut args = Args { path: SAMPLE.to_owned(), base_url: std::env::var("NEXADESK_BASE_URL").ok() };
    let mut it = argv.into_iter();
    while let Some(arg) = it.next() {
        match arg.as_str() {
            "--base-url" => args.base_url = Some(it.next().ok_or("--base-url needs a value")?),
            "-h" | "--help" => return Ok(Command::Help),
            flag if flag.starts_with("--") => return Err(format!("unknown option `{flag}` (try --help)")),
            path => args.path = path.to_owned(),
        }
    }
    Ok(Command::Import(args))
}

#[tokio::main]
async fn main() {
    let args = match parse_args(std::env::args().skip(1)) {
        Ok(Command::Import(args)) => args,
        Ok(Command::Help) => {
            println!("{USAGE}");
            return;
        }
        Err(e) => {
            eprintln!("{e}");
            std::process::exit(2)
        }
    };
    if let Err(e) = run(args).await {
        eprintln!("import failed: {e}");
        std::process::exit(1);
    }
}

async fn run(args: Args) -> Result<(), Box<dyn std::error::Error>> {
    let file = std::fs::File::open(&args.path).map_err(|e| format!("{}: {e}", args.path))?;
    // Without a base URL: the in-process mock, kept alive until the end.
    let mut _mock = None;
    let client = match &args.base_url {
        Some(url) => {
            let key = std::env::var("NEXADESK_KEY").map_err(|_| "set NEXADESK_KEY to your fc_live_ key")?;
            NexaDeskClient::builder(key).base_url(url).build()?
        }
        None => {
            let server = deskapi_mock::MockServer::start().await;
            println!("mock server listening on {}", server.url());
            let client = NexaDeskClient::builder(server.keys().nexadesk_read_write.as_str())
                .base_url(server.nexadesk_url())
                .build()?;
            _mock = Some(server);
            client
        }
    };

    println!("importing {}", args.path);
    // indicatif draws only when stderr is a terminal, so piped output stays clean.
    let progress = ProgressBar::new_spinner();
    progress
        .set_style(ProgressStyle::with_template("{spinner} {msg} [{bar:30}] {pos}/{len} rows")?.progress_chars("#> "));
    progress.enable_steady_tick(Duration::from_millis(100));
    match import(&client, file, &progress).await {
        Ok(report) => {
            print_summary(&report);
            Ok(())
        }
        Err((report, e)) => {
            progress.abandon();
            print_summary(&report);
            Err(e)
        }
    }
}

#[cfg(test)]
mod tests {
    //! Runs the import against the in-process mock with the sample file (this example is
    //! registered with `test = true`, so `cargo test` runs these).

    use super::*;

    fn client(server: &deskapi_mock::MockServer, key: &str) -> NexaDeskClient {
        NexaDeskClient::builder(key).base_url(server.nexadesk_url()).build().unwrap()
    }

    #[test]
    fn help_is_an_answer_and_a_bad_option_an_error() {
        let parse = |argv: &[&str]| parse_args(argv.iter().map(|a| (*a).to_owned()));
        assert!(matches!(parse(&["--help"]), Ok(Command::Help)));
        assert!(matches!(parse(&["-h"]), Ok(Command::Help)));
        assert!(parse(&["--bogus"]).is_err());
        assert!(parse(&["--base-url"]).is_err());
        let Ok(Command::Import(args)) = parse(&["mine.csv"]) else { panic!("an import") };
        assert_eq!(args.path, "mine.csv");
    }

    #[tokio::test]
    async fn the_sample_creates_updates_and_rejects_by_row() {
        let server = deskapi_mock::MockServer::start().await;
        let client = client(&server, &server.keys().nexadesk_read_write);
        let before = client.leads().list().send().await.unwrap().meta.total_count.unwrap();
        let sample = std::fs::File::open(SAMPLE).unwrap();
        let report = import(&client, sample, &ProgressBar::hidden()).await.map_err(|(_, e)| e).unwrap();

        assert_eq!((report.created.len(), report.updated.len()), (16, 5), "{report:?}");
        let lines: Vec<u64> = report.rejected.iter().map(|(line, _)| *line).collect();
        assert_eq!(lines, vec![23, 24, 25, 26]);
        let reasons: Vec<&str> = report.rejected.iter().map(|(_, r)| r.as_str()).collect();
        for (reason, field) in reasons.iter().zip(["visitor_name", "visitor_phone", "visitor_email", "pipeline_stage"])
        {
            assert!(reason.starts_with(&format!("invalid argument `{field}`")), "{reason}");
        }
        let after = client.leads().list().send().await.unwrap().meta.total_count.unwrap();
        assert_eq!(after, before + 16, "updates and rejected rows add no lead");

        // An update changed only what the row had: Maya's row (email in other case) has no
        // phone, so the fixture's phone is kept.
        let maya = client.leads().list().search("maya.rossi10@piedpiper.net").send().await.unwrap();
        let [maya] = maya.items.as_slice() else { panic!("one Maya: {:?}", maya.items) };
        assert_eq!(maya.pipeline_stage, PipelineStage::Contacted);
        assert_eq!(maya.tags, vec!["wordpress".to_owned()]);
        // The repeated row updated the lead the first one created.
        let amara = client.leads().list().search("amara.okoye@brightleaf.example").send().await.unwrap();
        let [amara] = amara.items.as_slice() else { panic!("one Amara: {:?}", amara.items) };
        assert_eq!(
            (amara.pipeline_stage.clone(), amara.expected_billing_amount),
            (PipelineStage::Qualified, Some(2400.0))
        );
        assert_eq!(amara.source.as_deref(), Some("trade-show"));
    }

    #[tokio::test]
    async fn a_read_only_key_stops_the_import_instead_of_rejecting_every_row() {
        let server = deskapi_mock::MockServer::start().await;
        let client = client(&server, &server.keys().nexadesk_read_only);
        let csv = "visitor_name,visitor_email\nAda,ada@example.com\nBob,bob@example.com\n";
        let (report, error) = import(&client, csv.as_bytes(), &ProgressBar::hidden()).await.unwrap_err();
        assert!(report.created.is_empty() && report.rejected.is_empty(), "{report:?}");
        assert!(error.to_string().contains("403"), "{error}");
    }

    #[tokio::test]
    async fn unreadable_rows_and_bad_numbers_are_rejected_not_fatal() {
        let server = deskapi_mock::MockServer::start().await;
        let client = client(&server, &server.keys().nexadesk_read_write);
        let csv = "visitor_name,expected_billing_amount\nAda,12k\nBob\nCy,10\n";
        let report = import(&client, csv.as_bytes(), &ProgressBar::hidden()).await.map_err(|(_, e)| e).unwrap();
        assert_eq!(report.created.len(), 1, "{report:?}");
        let lines: Vec<u64> = report.rejected.iter().map(|(line, _)| *line).collect();
        assert_eq!(lines, vec![2, 3], "{report:?}");
        assert!(report.rejected[0].1.contains("not a number"));
        assert!(report.rejected[1].1.contains("unreadable CSV row"));
    }
}
