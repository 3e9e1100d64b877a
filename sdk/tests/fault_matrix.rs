//! The fault matrix: every fault the SDK must survive, each against an idempotent call
//! (`GET /external/leads/:id`) and a non-idempotent one (`POST /external/webhooks`).
//!
//! Each cell must end in success after a retry or in the expected typed error, within the
//! call's deadline, without a panic; a POST is sent again only after a 429 (the API refused
//! it unprocessed), never after a fault that may have reached the application. The matrix is
//! printed (`cargo test --test fault_matrix -- --nocapture`) and is the failure message.

mod common;
#[path = "support/raw_http.rs"]
mod raw_http;

use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use common::*;
use deskapi::Error;
use deskapi::nextcap::WebhookEventName;
use raw_http::{RawServer, Step};
use serde_json::json;

/// Per-attempt timeout: the stalls below outlast it.
const ATTEMPT_TIMEOUT: Duration = Duration::from_millis(400);
/// The call's total deadline; every cell must finish well within it.
const DEADLINE: Duration = Duration::from_secs(8);
const STALL: Duration = Duration::from_secs(30);

#[derive(Clone, Copy, Debug, PartialEq)]
enum Call {
    Get,
    Post,
}

/// What a cell must end in.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Outcome {
    /// Success after the fault, with this many requests sent in total.
    Retried(usize),
    /// This API status, one request.
    Api(u16),
    Transport,
    Timeout,
    Decode,
}

struct Fault {
    name: &'static str,
    step: fn() -> Step,
    get: Outcome,
    post: Outcome,
}

fn http_date(at: SystemTime) -> String {
    let secs = at.duration_since(UNIX_EPOCH).unwrap().as_secs();
    chrono::DateTime::from_timestamp(secs as i64, 0).unwrap().format("%a, %d %b %Y %H:%M:%S GMT").to_string()
}

fn lead_body() -> Vec<u8> {
    json!({"data": lead(1)}).to_string().into_bytes()
}

fn faults() -> Vec<Fault> {
    use Outcome::*;
    vec![
        Fault {
            name: "429 Retry-After: seconds",
            step: || Step::json(429, &json!({"success": false, "error": "slow down"})).header("Retry-After", "0.2"),
            get: Retried(2),
            post: Retried(2),
        },
        Fault {
            name: "429 Retry-After: HTTP-date",
            step: || {
                let at = SystemTime::now() + Duration::from_secs(2);
                Step::json(429, &json!({})).header("Retry-After", &http_date(at))
            },
            get: Retried(2),
            post: Retried(2),
        },
        Fault {
            name: "429 body retryAfter",
            step: || {
                Step::json(
                    429,
                    &json!({"success": false, "error": {"code": "RATE_LIMITED", "message": "slow", "retryAfter": 0.2}}),
                )
            },
            get: Retried(2),
            post: Retried(2),
        },
        Fault {
            name: "429 X-RateLimit-Reset only",
            step: || {
                let reset = SystemTime::now().duration_since(UNIX_EPOCH).unwrap().as_secs() + 1;
                Step::json(429, &json!({}))
                    .header("X-RateLimit-Limit", "60")
                    .header("X-RateLimit-Remaining", "0")
                    .header("X-RateLimit-Reset", &reset.to_string())
            },
            get: Retried(2),
            post: Retried(2),
        },
        Fault { name: "429 no hint", step: || Step::json(429, &json!({})), get: Retried(2), post: Retried(2) },
        Fault {
            name: "429 garbage hint",
            step: || Step::json(429, &json!({})).header("Retry-After", "soon").header("X-RateLimit-Reset", "-1e400"),
            get: Retried(2),
            post: Retried(2),
        },
        Fault {
            name: "500",
            step: || Step::json(500, &json!({"success": false, "error": {"code": "INTERNAL", "message": "boom"}})),
            get: Retried(2),
            post: Api(500),
        },
        Fault {
            name: "502 HTML page",
            step: || Step::respond(502, "text/html", "<html><body><h1>502 Bad Gateway</h1></body></html>"),
            get: Retried(2),
            post: Api(502),
        },
        Fault { name: "503", step: || Step::respond(503, "text/plain", ""), get: Retried(2), post: Api(503) },
        Fault {
            name: "reset before the response",
            step: || Step::CloseBeforeResponse,
            get: Retried(2),
            post: Transport,
        },
        Fault {
            name: "reset during the body",
            step: || Step::CloseMidBody { status: 200, body: lead_body() },
            get: Retried(2),
            post: Transport,
        },
        Fault {
            name: "timeout before the headers",
            step: || Step::StallBeforeHeaders(STALL),
            get: Retried(2),
            post: Timeout,
        },
        Fault {
            name: "timeout mid-body",
            step: || Step::StallMidBody { status: 200, body: lead_body(), stall: STALL },
            get: Retried(2),
            post: Timeout,
        },
        Fault {
            name: "malformed JSON",
            step: || Step::respond(200, "application/json", "{\"data\": nope}"),
            get: Decode,
            post: Decode,
        },
        Fault { name: "empty body", step: || Step::respond(200, "application/json", ""), get: Decode, post: Decode },
        Fault {
            name: "truncated JSON",
            step: || Step::respond(200, "application/json", "{\"data\": {\"id\": \"l1\", \"ema"),
            get: Decode,
            post: Decode,
        },
        Fault {
            name: "wrong content type",
            step: || Step::respond(200, "text/html", "<html><body>Welcome</body></html>"),
            get: Decode,
            post: Decode,
        },
    ]
}

fn success(call: Call) -> Step {
    match call {
        Call::Get => Step::respond(200, "application/json", lead_body()),
        Call::Post => {
            let mut created = webhook("w1");
            created["secret"] = json!("whsec_0123456789abcdef");
            Step::json(201, &json!({"data": created}))
        }
    }
}

/// Runs one cell; `Err` describes how it went wrong.
async fn run_cell(fault: &Fault, call: Call) -> Result<String, String> {
    let server = RawServer::start(vec![(fault.step)()], success(call)).await;
    let client = deskapi::NextCapDataClient::builder(DATA_KEY)
        .base_url(server.uri())
        .timeout(ATTEMPT_TIMEOUT)
        .retry_policy(fast_policy().deadline(DEADLINE).max_rate_limit_wait(Duration::from_secs(5)))
        .build()
        .unwrap();
    let started = Instant::now();
    // In its own task, so a panic in the SDK is caught and reported as this cell's failure.
    let outcome = tokio::spawn(async move {
        match call {
            Call::Get => client.leads().get("l1").await.map(drop),
            Call::Post => client
                .webhooks()
                .create("https://crm.example.com/hooks", [WebhookEventName::LeadCreated])
                .await
                .map(drop),
        }
    })
    .await
    .map_err(|e| format!("PANIC: {e}"))?;
    let elapsed = started.elapsed();
    let sent = server.requests().len();
    let got = match &outcome {
        Ok(()) => Outcome::Retried(sent),
        Err(Error::Api(api)) => Outcome::Api(api.status),
        Err(Error::Transport(_)) => Outcome::Transport,
        Err(Error::Timeout { .. }) => Outcome::Timeout,
        Err(Error::Decode(_)) => Outcome::Decode,
        Err(other) => return Err(format!("unexpected error {other}")),
    };
    let want = if call == Call::Get { fault.get } else { fault.post };
    let posts = server.count("POST");
    let seen = format!("{got:?} in {} ms, {sent} request(s)", elapsed.as_millis());
    if got != want {
        return Err(format!("{seen}; expected {want:?} ({outcome:?})"));
    }
    if elapsed >= DEADLINE {
        return Err(format!("{seen}; past the deadline"));
    }
    if !matches!(want, Outcome::Retried(_)) && sent != 1 {
        return Err(format!("{seen}; a failed call must have sent exactly one request"));
    }
    // A POST goes out again only after a 429, which the API refused without processing it.
    let refused_first = fault.name.starts_with("429");
    if posts > 1 && !refused_first {
        return Err(format!("{seen}; the POST was sent {posts} times"));
    }
    Ok(seen)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn every_fault_ends_in_a_retry_or_a_typed_error_within_the_deadline() {
    let faults = faults();
    let cells = faults
        .iter()
        .flat_map(|f| [(f, Call::Get), (f, Call::Post)])
        .map(|(f, call)| async move { (f.name, call, run_cell(f, call).await) });
    let results = futures::future::join_all(cells).await;

    let mut table =
        format!("\n{:<28} | {:<44} | {:<44}\n", "fault", "GET /external/leads/:id", "POST /external/webhooks");
    table.push_str(&format!("{}\n", "-".repeat(122)));
    let mut failed = 0;
    for pair in results.chunks(2) {
        let cell = |r: &Result<String, String>| match r {
            Ok(s) => format!("ok: {s}"),
            Err(e) => format!("FAIL: {e}"),
        };
        failed += pair.iter().filter(|(_, _, r)| r.is_err()).count();
        table.push_str(&format!("{:<28} | {:<44} | {:<44}\n", pair[0].0, cell(&pair[0].2), cell(&pair[1].2)));
    }
    println!("{table}");
    assert_eq!(failed, 0, "{failed} cell(s) failed:{table}");
    assert_eq!(results.len(), 2 * faults.len());
}
