//! The deliverer: takes jobs off the bus and POSTs them, one task per job, with retries.
//!
//! A Next Cap attempt is signed with the time it is made (see [`super::sign`]) and carries
//! `X-NextCap-Signature`, `X-NextCap-Timestamp`, `X-NextCap-Event` and `X-NextCap-Delivery`;
//! a NexaDesk attempt carries `X-NexaDesk-Signature` over the raw body ([`super::sign_body`]).
//! Any 2xx ends the job; anything else (another status, a connection error, a timeout) is
//! retried after the configured backoff until the attempts run out. Every attempt lands in
//! the delivery log. Before each attempt the job checks that the server still exists, that
//! no reset happened, and that the webhook is still registered and active.

use std::sync::{Arc, Weak};

use reqwest::header::{CONTENT_TYPE, HeaderValue, USER_AGENT};
use tokio::sync::mpsc;

use super::{
    DeliveryAttempt, Dialect, WebhookRetry,
    queue::{Deliverer, Job, PendingGuard, Progress},
    sign, sign_body,
};

/// Receives jobs until the channel closes (the deliverer, and with it the server, was dropped).
pub(crate) async fn run(mut rx: mpsc::UnboundedReceiver<Job>, deliverer: Weak<Deliverer>, progress: Arc<Progress>) {
    // No proxy: receivers are usually on this machine, and a proxy taken from the
    // environment would swallow 127.0.0.1 traffic.
    let client = reqwest::Client::builder()
        .no_proxy()
        .user_agent(concat!("NextCap-Webhooks/1.0 (deskapi-mock ", env!("CARGO_PKG_VERSION"), ")"))
        .build()
        .unwrap_or_default();
    while let Some(job) = rx.recv().await {
        let guard = PendingGuard(Arc::clone(&progress));
        tokio::spawn(deliver(job, deliverer.clone(), client.clone(), guard));
    }
}

/// How one attempt ended.
struct Outcome {
    status: Option<u16>,
    error: Option<String>,
}

async fn deliver(job: Job, deliverer: Weak<Deliverer>, client: reqwest::Client, _guard: PendingGuard) {
    let mut attempt = 1;
    loop {
        let Some((retry, now)) = deliverer.upgrade().and_then(|d| Some((d.still_wanted(&job)?, d.now()?))) else {
            return;
        };
        let outcome = post(&client, &job, &retry, now.timestamp()).await;
        let succeeded = outcome.status.is_some_and(|s| (200..300).contains(&s));
        let wait = if succeeded { None } else { retry.backoff(attempt) };
        if !record(&deliverer, &job, attempt, outcome, wait.is_some()) {
            return;
        }
        let Some(wait) = wait else { return };
        tokio::time::sleep(wait).await;
        attempt += 1;
    }
}

/// POSTs the job once; `timestamp` (Unix seconds, the mock's clock) is what a Next Cap
/// signature covers.
async fn post(client: &reqwest::Client, job: &Job, retry: &WebhookRetry, timestamp: i64) -> Outcome {
    let request =
        client.post(&job.url).timeout(retry.timeout).header(CONTENT_TYPE, HeaderValue::from_static("application/json"));
    let request = match job.dialect {
        Dialect::NextCap => request
            .header("x-nextcap-signature", sign(&job.secret, timestamp, &job.body))
            .header("x-nextcap-timestamp", timestamp.to_string())
            .header("x-nextcap-event", job.event)
            .header("x-nextcap-delivery", job.delivery_id.to_string()),
        Dialect::NexaDesk => request
            .header(USER_AGENT, HeaderValue::from_static("NexaDesk-Webhooks/1.0 (deskapi-mock)"))
            .header("x-nexadesk-signature", sign_body(&job.secret, &job.body)),
    };
    let request = request.body(job.body.clone());
    match request.send().await {
        Ok(response) => {
            let status = response.status();
            // Read the body so the connection can be reused; its content does not matter.
            let _ = response.bytes().await;
            Outcome { status: Some(status.as_u16()), error: None }
        }
        Err(e) if e.is_timeout() => {
            Outcome { status: None, error: Some(format!("timed out after {} ms", retry.timeout.as_millis())) }
        }
        Err(e) => Outcome { status: None, error: Some(error_chain(&e)) },
    }
}

/// The error with its causes, e.g. `error sending request: connection refused`.
fn error_chain(e: &dyn std::error::Error) -> String {
    let mut text = e.to_string();
    let mut source = e.source();
    while let Some(s) = source {
        text.push_str(": ");
        text.push_str(&s.to_string());
        source = s.source();
    }
    text
}

/// Logs the attempt; false when the job became obsolete meanwhile (server gone or reset).
fn record(deliverer: &Weak<Deliverer>, job: &Job, attempt: u32, outcome: Outcome, will_retry: bool) -> bool {
    let Some(deliverer) = deliverer.upgrade() else { return false };
    let Some(at) = deliverer.now() else { return false };
    deliverer.record(
        job,
        DeliveryAttempt {
            delivery_id: job.delivery_id,
            webhook_id: job.webhook_id,
            event: job.event.to_owned(),
            url: job.url.clone(),
            attempt,
            status: outcome.status,
            error: outcome.error,
            will_retry,
            at: crate::time_fmt::millis_string(&at),
        },
    )
}
