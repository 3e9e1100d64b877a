//! `deskapi-mock`: the mock server as a standalone process, for the SDK's examples, for
//! benchmarks, and for poking at the APIs with curl.
//!
//! The first line on stdout is exactly `listening on http://HOST:PORT` (flushed at once), so a
//! script can start the binary with `--port 0` and read the port it got. It then serves until
//! SIGINT or SIGTERM.

use std::{
    io::Write,
    net::{IpAddr, SocketAddr},
    time::Duration,
};

use clap::Parser;
use deskapi_mock::{MockServer, RateLimitSetting, WebhookRetry};

/// Mock server for the Next Cap, NexaDesk and Desk Hive APIs.
///
/// APIs: /nextcap/api/v1/..., /nexadesk/api/v1/external/..., /deskhive/api/v1/...;
/// control API: /__mock/... (GET /__mock/keys lists the demo keys).
#[derive(Debug, Parser)]
#[command(name = "deskapi-mock", version)]
struct Args {
    /// Address to listen on.
    #[arg(long, default_value = "127.0.0.1")]
    host: IpAddr,

    /// Port to listen on; 0 picks any free port (printed on the first line).
    #[arg(long, default_value_t = 0)]
    port: u16,

    /// Fixture seed: the same seed gives the same keys, ids and data.
    #[arg(long, default_value_t = 42)]
    seed: u64,

    /// Rate limits: `documented` (each API's own), `off` (never refuses; headers report a limit of 1000000), or
    /// `N/DURATION` applied to every API with its own algorithm (e.g. `50/5s`, `100/1m`,
    /// `10/500ms`).
    #[arg(long, default_value = "documented", value_parser = parse_rate_limit)]
    rate_limit: RateLimitSetting,

    /// Leads per organisation, for each API that has leads (Next Cap, NexaDesk); at most
    /// 1,000,000 (the fixtures are built in memory before the first line is printed).
    #[arg(long, default_value_t = 45, value_parser = clap::value_parser!(u64).range(0..=MAX_LEADS))]
    leads: u64,

    /// Latency in milliseconds added to every API request (kept across resets).
    #[arg(long, default_value_t = 0)]
    latency_ms: u64,

    /// Webhook delivery attempts per event and webhook, the first included (1 to 100).
    #[arg(long, default_value_t = 5, value_parser = clap::value_parser!(u32).range(1..=100))]
    webhook_attempts: u32,

    /// Wait before the first webhook retry, in milliseconds; doubles after each further one.
    #[arg(long, default_value_t = 100)]
    webhook_backoff_ms: u64,

    /// Timeout of one webhook delivery attempt, in milliseconds.
    #[arg(long, default_value_t = 10_000)]
    webhook_timeout_ms: u64,

    /// The largest CRM attachment accepted, in bytes (direct uploads and presigned PUTs).
    #[arg(long, default_value_t = deskapi_mock::DEFAULT_ATTACHMENT_MAX_BYTES)]
    attachment_max_bytes: u64,
}

/// The most leads `--leads` builds: a number past memory would abort instead of answering.
const MAX_LEADS: u64 = 1_000_000;

fn parse_rate_limit(value: &str) -> Result<RateLimitSetting, String> {
    value.parse()
}

#[tokio::main]
async fn main() -> std::io::Result<()> {
    let args = Args::parse();
    tracing_subscriber::fmt()
        .with_env_filter(tracing_subscriber::EnvFilter::from_default_env())
        .with_writer(std::io::stderr)
        .init();
    let server = MockServer::builder()
        .bind(SocketAddr::new(args.host, args.port))
        .seed(args.seed)
        .rate_limit(args.rate_limit)
        .leads(usize::try_from(args.leads).unwrap_or(usize::MAX))
        .latency(Duration::from_millis(args.latency_ms))
        .attachment_max_bytes(args.attachment_max_bytes)
        .webhook_retry(
            WebhookRetry::exponential(args.webhook_attempts, Duration::from_millis(args.webhook_backoff_ms))
                .with_timeout(Duration::from_millis(args.webhook_timeout_ms)),
        )
        .start()
        .await?;
    let host = match args.host {
        IpAddr::V6(v6) => format!("[{v6}]"),
        IpAddr::V4(v4) => v4.to_string(),
    };
    let mut stdout = std::io::stdout().lock();
    writeln!(stdout, "listening on http://{host}:{}", server.addr().port())?;
    stdout.flush()?;
    drop(stdout);
    shutdown_signal().await;
    drop(server);
    Ok(())
}

/// Resolves on SIGINT (Ctrl-C) or, on Unix, SIGTERM.
async fn shutdown_signal() {
    let ctrl_c = async {
        if tokio::signal::ctrl_c().await.is_err() {
            // Without a Ctrl-C handler, wait for the other signal instead of exiting at once.
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {}
        () = terminate => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_past_memory_are_refused_with_a_message_not_an_abort() {
        let parse = |args: &[&str]| Args::try_parse_from([&["deskapi-mock"], args].concat());
        assert!(parse(&["--leads", "99999999999"]).is_err());
        assert!(parse(&["--webhook-attempts", "4000000000"]).is_err());
        assert!(parse(&["--webhook-attempts", "0"]).is_err(), "no attempt at all would deliver nothing");
        let ok = parse(&["--leads", "1000000", "--webhook-attempts", "100"]).expect("the limits themselves");
        assert_eq!((ok.leads, ok.webhook_attempts), (1_000_000, 100));
    }
}
