//! A webhook receiver for Next Cap: an axum server that checks every delivery with
//! [`verify_and_parse`], answers at once, and handles the typed [`WebhookEvent`] in a worker.
//!
//! ```sh
//! cargo run --example webhook_receiver                        # self-contained demo against the mock
//! cargo run --example webhook_receiver -- --listen 0.0.0.0:8080 --secret whsec_...
//! ```
//!
//! By default it boots the in-process mock, starts the receiver on 127.0.0.1:0, registers it
//! through the SDK (`client.webhooks().create(..)`), makes things happen with the mock's control
//! actions (a captured lead, a filed ticket, a call-back request) and a `PATCH` of the call
//! request through the SDK, prints each event as the worker handles it, then sends forged
//! deliveries and shows they are refused. It exits when done.
//!
//! With `--listen ADDR --secret SECRET` it serves forever (until Ctrl-C) for a real account:
//! register `https://YOUR_HOST/webhooks/nextcap` with `client.webhooks().create(url, events)`
//! and pass the `secret` it returned once. `NEXTCAP_WEBHOOK_SECRET` may hold the secret instead
//! of `--secret`, which keeps it out of the process list.
//!
//! # Why it is shaped so
//! - **Verify before parsing.** The signature is an HMAC-SHA256 over `"{timestamp}.{raw body}"`,
//!   so it is checked against the bytes exactly as received, before any JSON decoding: a parser
//!   only ever sees authenticated input, and re-serialised JSON would not match anyway. That is
//!   why the handler takes the body as [`Bytes`], not as `Json<T>`.
//! - **Constant time.** The SDK compares the signature in constant time (`hmac`'s
//!   `verify_slice`), so the time a refusal takes does not tell a forger how many leading bytes
//!   were right. Never compare signatures with `==`.
//! - **Replay window.** The timestamp is signed with the body, and a delivery more than
//!   `DEFAULT_TOLERANCE` (5 minutes) from this machine's clock is refused, so a captured
//!   delivery cannot be replayed later. Within the window, and for the sender's own retries,
//!   the delivery ID (`X-NextCap-Delivery`, the same on every retry) lets the worker skip a
//!   delivery it has already handled.
//! - **Answer fast, work later.** The sender waits a bounded time for an answer and retries
//!   anything that is not 2xx (the mock's schedule is in `mock-server/README.md`). So the
//!   handler only verifies, queues the event and answers 202; a worker task does the slow part.
//!   When the queue is full the answer is 503 and the sender retries later, instead of the
//!   receiver buffering without limit.
//! - **Status codes.** 401 when the delivery is not authentic (bad or missing signature, stale
//!   timestamp), 400 when it is authentic but not a delivery this SDK can read, 202 when queued.

use std::collections::HashSet;
use std::io;
use std::net::SocketAddr;
use std::time::Duration;

use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::routing::post;
use deskapi::NextCapDataClient;
use deskapi::nextcap::webhooks::{
    SIGNATURE_HEADER, TIMESTAMP_HEADER, WebhookDelivery, WebhookError, WebhookEvent, WebhookSecret, sign,
    verify_and_parse,
};
use deskapi::nextcap::{CallRequestStatus, WebhookEventName};
use deskapi_mock::MockServer;
use deskapi_mock::actions::nextcap::{NewCallRequest, NewLead, NewTicket};
use tokio::sync::{mpsc, watch};
use tokio::task::JoinHandle;

/// Where deliveries are POSTed.
const PATH: &str = "/webhooks/nextcap";
/// Verified deliveries waiting for the worker; beyond this the receiver answers 503.
const QUEUE: usize = 1024;

/// What the handler needs: the secret to verify with and the worker's queue.
#[derive(Clone)]
struct Receiver {
    secret: WebhookSecret,
    queue: mpsc::Sender<WebhookDelivery>,
}

/// The receiver's routes, apart from the socket so it can be served anywhere.
fn app(receiver: Receiver) -> Router {
    Router::new().route(PATH, post(receive)).with_state(receiver)
}

/// Verifies, queues, answers. Nothing slow happens here.
async fn receive(State(receiver): State<Receiver>, headers: HeaderMap, body: Bytes) -> StatusCode {
    let delivery = match verify_and_parse(&receiver.secret, &headers, &body) {
        Ok(delivery) => delivery,
        Err(e) => {
            let status = refusal(&e);
            println!("  refused with {status}: {e}");
            return status;
        }
    };
    match receiver.queue.try_send(delivery) {
        Ok(()) => StatusCode::ACCEPTED,
        // Full or closed: the sender retries later, when there is room.
        Err(_) => StatusCode::SERVICE_UNAVAILABLE,
    }
}

/// The status for a refused delivery.
fn refusal(error: &WebhookError) -> StatusCode {
    match error {
        WebhookError::MalformedBody { .. } => StatusCode::BAD_REQUEST,
        // Our configuration, not the delivery: a 5xx, so the sender keeps it for later.
        WebhookError::EmptySecret => StatusCode::INTERNAL_SERVER_ERROR,
        // Bad or missing signature, malformed signature headers, stale timestamp.
        _ => StatusCode::UNAUTHORIZED,
    }
}

/// Handles queued deliveries one at a time, skipping retries of ones already handled, and
/// counts them in `handled` (the demo waits on it). The queue and the handled IDs live in
/// memory here; a real receiver keeps both in its database (or a message broker), so that a
/// delivery it acknowledged survives a restart and a retry is recognised after one.
async fn work(mut queue: mpsc::Receiver<WebhookDelivery>, handled: watch::Sender<usize>) {
    let mut seen = HashSet::new();
    while let Some(delivery) = queue.recv().await {
        if !seen.insert(delivery.id.clone()) {
            println!("  {} delivery {} again: already handled, skipped", delivery.event.name(), delivery.id);
            continue;
        }
        handle(&delivery);
        handled.send_modify(|n| *n += 1);
    }
}

/// The work itself; here, a line per event. A CRM would upsert a contact, open a case, ...
fn handle(delivery: &WebhookDelivery) {
    let opt = |v: &Option<String>| v.clone().unwrap_or_else(|| "-".into());
    match &delivery.event {
        WebhookEvent::LeadCreated(e) => {
            let lead = &e.lead;
            println!("  verified lead.created: {} <{}> via {}", opt(&lead.name), opt(&lead.email), lead.source);
        }
        WebhookEvent::TicketCreated(e) => {
            let t = &e.ticket;
            println!("  verified ticket.created: #{} {:?} [{} / {}]", t.ticket_number, t.subject, t.status, t.priority);
        }
        WebhookEvent::CallRequestCreated(e) => {
            let r = &e.call_request;
            let window = r.preferred_time_window.map(|w| w.to_string()).unwrap_or_default();
            println!("  verified call_request.created: call {} at {} {window}", opt(&r.name), r.phone);
        }
        WebhookEvent::CallRequestUpdated(e) => {
            let r = &e.call_request;
            println!("  verified call_request.updated: now {}, changed {}", r.status, e.changed_fields.join(", "));
        }
        WebhookEvent::CallRequestCompleted(e) => {
            let done = e.call_request.completed_at.map(|t| t.to_rfc3339()).unwrap_or_default();
            println!("  verified call_request.completed: {} done at {done}", e.call_request.phone);
        }
        // Newer than this SDK: acknowledged (refusing it would only make the sender retry).
        WebhookEvent::Unknown { event, .. } => println!("  verified {event}: not known to this SDK, acknowledged"),
        other => println!("  verified {}: not handled here", other.name()),
    }
}

/// The receiver's two tasks: the server and the worker it feeds.
struct Running {
    server: JoinHandle<io::Result<()>>,
    worker: JoinHandle<()>,
    /// How many deliveries the worker has handled.
    handled: watch::Receiver<usize>,
}

/// Serves [`app`] on `listener` until `shutdown` completes, with a worker that ends once the
/// server has stopped and the queue is drained.
fn start(
    listener: tokio::net::TcpListener,
    secret: WebhookSecret,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> Running {
    let (queue, inbox) = mpsc::channel(QUEUE);
    let (handled, handled_rx) = watch::channel(0);
    let worker = tokio::spawn(work(inbox, handled));
    let app = app(Receiver { secret, queue });
    let server = tokio::spawn(async move { axum::serve(listener, app).with_graceful_shutdown(shutdown).await });
    Running { server, worker, handled: handled_rx }
}

enum Mode {
    Demo,
    Listen { addr: SocketAddr, secret: WebhookSecret },
}

fn parse_args() -> Result<Mode, String> {
    let (mut listen, mut secret) = (None, std::env::var("NEXTCAP_WEBHOOK_SECRET").ok());
    let mut it = std::env::args().skip(1);
    while let Some(flag) = it.next() {
        let mut value = || it.next().ok_or(format!("{flag} needs a value"));
        match flag.as_str() {
            "--listen" => {
                let v = value()?;
                listen = Some(v.parse::<SocketAddr>().map_err(|e| format!("--listen `{v}`: {e}"))?);
            }
            "--secret" => secret = Some(value()?),
            "-h" | "--help" => {
                return Err(
                    "usage: webhook_receiver [--listen ADDR --secret SECRET (or NEXTCAP_WEBHOOK_SECRET)]".into()
                );
            }
            other => return Err(format!("unknown argument `{other}` (try --help)")),
        }
    }
    match (listen, secret.filter(|s| !s.is_empty())) {
        (None, _) => Ok(Mode::Demo),
        (Some(addr), Some(secret)) => Ok(Mode::Listen { addr, secret: WebhookSecret::new(secret) }),
        (Some(_), None) => Err("--listen needs --secret (or NEXTCAP_WEBHOOK_SECRET)".into()),
    }
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mode = parse_args().unwrap_or_else(|e| {
        eprintln!("{e}");
        std::process::exit(2)
    });
    match mode {
        Mode::Demo => demo().await,
        Mode::Listen { addr, secret } => {
            let listener = tokio::net::TcpListener::bind(addr).await?;
            println!("receiving Next Cap webhooks on http://{}{PATH} (Ctrl-C stops)", listener.local_addr()?);
            let ctrl_c = async {
                let _ = tokio::signal::ctrl_c().await;
            };
            let running = start(listener, secret, ctrl_c);
            running.server.await??;
            // What was acknowledged is still handled before exiting.
            running.worker.await?;
            Ok(())
        }
    }
}

/// Waits until the worker has handled `n` deliveries in all.
async fn until_handled(count: &mut watch::Receiver<usize>, n: usize) -> Result<(), Box<dyn std::error::Error>> {
    let wait = count.wait_for(|handled| *handled >= n);
    let timed_out = |_| format!("the worker did not handle {n} deliveries within 10 s");
    tokio::time::timeout(Duration::from_secs(10), wait).await.map_err(timed_out)??;
    Ok(())
}

async fn demo() -> Result<(), Box<dyn std::error::Error>> {
    let server = MockServer::start().await;
    println!("mock server on {}", server.url());
    let client =
        NextCapDataClient::builder(server.keys().nextcap_data.as_str()).base_url(server.nextcap_url()).build()?;

    // The URL is needed to register and the secret comes from registering: bind first (the
    // port is known, connections queue), register, then serve with the secret.
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let addr = listener.local_addr()?;
    let url = format!("http://{addr}{PATH}");
    let events = [
        WebhookEventName::LeadCreated,
        WebhookEventName::TicketCreated,
        WebhookEventName::CallRequestCreated,
        WebhookEventName::CallRequestUpdated,
        WebhookEventName::CallRequestCompleted,
    ];
    let created = client.webhooks().create(url.clone(), events.clone()).await?;
    println!("receiver on {url}, registered as webhook {} for {} events", created.webhook.id, events.len());
    println!("signing secret: {:?} (the receiver holds it)", created.secret);
    let secret = created.secret.clone();
    let mut count = start(listener, created.secret, std::future::pending()).handled;

    let actions = server.nextcap();
    println!("\n-> a visitor leaves their email in the chat");
    let lead = NewLead {
        org: "acme".into(),
        name: Some("Jane Doe".into()),
        email: Some("jane@example.com".into()),
        ..NewLead::default()
    };
    actions.capture_lead(lead)?;
    until_handled(&mut count, 1).await?;

    println!("-> a visitor files a ticket");
    let ticket = NewTicket {
        org: "acme".into(),
        subject: "Invoice shows the wrong VAT".into(),
        priority: Some("high".into()),
        ..NewTicket::default()
    };
    actions.file_ticket(ticket)?;
    until_handled(&mut count, 2).await?;

    println!("-> a visitor asks to be called back");
    let callback = NewCallRequest {
        org: "acme".into(),
        name: "Jane Doe".into(),
        phone: "+15551234567".into(),
        preferred_date: Some("2026-12-01".into()),
        preferred_time_window: Some("14:00-14:30".into()),
        ..NewCallRequest::default()
    };
    let call = actions.request_callback(callback)?;
    until_handled(&mut count, 3).await?;

    println!("-> the CRM marks the call completed (PATCH through the SDK)");
    client.call_requests().update(call.id.to_string()).status(CallRequestStatus::Completed).send().await?;
    until_handled(&mut count, 5).await?;

    server.wait_for_webhooks_idle(Duration::from_secs(10)).await;
    let log = server.webhook_deliveries();
    let ok = log.iter().filter(|a| a.status.is_some_and(|s| (200..300).contains(&s))).count();
    println!(
        "\nthe mock's delivery log: {} attempts, {ok} answered 2xx; {} events handled",
        log.len(),
        *count.borrow()
    );

    // What an attacker might send: the body a delivery was signed over, changed afterwards; a
    // correctly signed delivery captured an hour ago; and a signed body that is no delivery.
    let now = chrono::Utc::now().timestamp();
    let hour_ago = now - 3600;
    let body = br#"{"id":"d-1","event":"lead.created","data":{"lead":{"email":"jane@example.com"}}}"#.to_vec();
    let tampered = String::from_utf8_lossy(&body).replace("jane@", "mallory@").into_bytes();
    let cases = [
        ("a body changed after signing (jane@ -> mallory@)", now, sign(&secret, now, &body), tampered, 401),
        (
            "a correctly signed delivery from an hour ago (a replay)",
            hour_ago,
            sign(&secret, hour_ago, &body),
            body,
            401,
        ),
        ("a correctly signed body that is not a delivery", now, sign(&secret, now, b"[]"), b"[]".to_vec(), 400),
    ];
    println!("\nforged deliveries, POSTed to the receiver:");
    for (what, timestamp, signature, body, expected) in cases {
        println!("-> {what}");
        let status = send_forged(addr, timestamp, &signature, body).await?;
        if status != expected {
            return Err(format!("expected {expected} for {what}, got {status}").into());
        }
    }
    println!("\nall three refused; the worker handled {} deliveries, all of them genuine", *count.borrow());
    Ok(())
}

/// POSTs `body` with the signature headers to the receiver and returns the status code.
/// Plain HTTP/1.1 over a socket: this crate has no HTTP client among its dev-dependencies, and
/// the request is a few lines.
async fn send_forged(addr: SocketAddr, timestamp: i64, signature: &str, body: Vec<u8>) -> io::Result<u16> {
    use std::io::{Read, Write};
    let head = format!(
        "POST {PATH} HTTP/1.1\r\nhost: {addr}\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\
         {TIMESTAMP_HEADER}: {timestamp}\r\n{SIGNATURE_HEADER}: {signature}\r\nconnection: close\r\n\r\n",
        body.len()
    );
    tokio::task::spawn_blocking(move || {
        let mut stream = std::net::TcpStream::connect(addr)?;
        stream.write_all(head.as_bytes())?;
        stream.write_all(&body)?;
        let mut response = String::new();
        stream.read_to_string(&mut response)?;
        // "HTTP/1.1 401 Unauthorized\r\n..."
        response.split(' ').nth(1).and_then(|code| code.parse().ok()).ok_or(io::ErrorKind::InvalidData.into())
    })
    .await?
}
