//! Outbound webhooks: the event bus from the store's side effects to real HTTP deliveries.
//!
//! ```text
//! handler / control action: lock, change the store, collect the Event(s) it returns, unlock
//!   -> AppState::publish(events) -> EventBus -> Deliverer (one subscriber of the bus):
//!      asks its WebhookHost for the organisation's active webhooks subscribed to each event
//!      (one short lock), one Job per (event, webhook)
//!   -> an unbounded tokio mpsc channel (sending never blocks the request)
//!   -> deliverer task: one task per job, so a slow receiver delays nobody else
//!      -> POST with X-NextCap-Signature / -Timestamp / -Event / -Delivery, retried with
//!         exponential backoff on non-2xx, connection errors and timeouts
//!      -> every attempt recorded in the delivery log (GET /__mock/webhooks/deliveries)
//! ```
//!
//! Why this shape: a request must never wait for a receiver (the real service delivers in the
//! background too), yet tests need to observe deliveries, hence the log and
//! [`crate::MockServer::wait_for_deliveries`]. The deliverer reaches the state only through the
//! narrow [`WebhookHost`] trait, held weakly, so a dropped server is freed and its deliverer
//! ends when the channel closes. Before
//! every attempt it checks that the webhook still exists and that no `reset` happened since
//! the event, so deleting a webhook stops its retries and a reset leaves a clean log.
//!
//! One deliverer serves both APIs that send webhooks: each job carries its [`Dialect`] (taken
//! from the event's topic), which decides the envelope and the signature headers, while the
//! queue, the retries and the delivery log are shared.
//!
//! The Next Cap envelope is `{id, event, created_at, org_id, data}` (the contract's `WebhookEnvelope`);
//! `id` is the event id, the same for every webhook and every retry, and equal to
//! `X-NextCap-Delivery`, so receivers can deduplicate. Each attempt is signed afresh with the
//! current time, as a retry hours later would otherwise arrive with a stale timestamp.

mod deliver;
mod log;
mod queue;
mod signature;

pub use log::{DeliveryAttempt, DeliveryLog};
pub use queue::Deliverer;
pub use signature::{sign, sign_body};

use std::time::Duration;

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::events::{Event, Topic};

/// What delivery needs from the rest of the mock, and nothing more: the webhooks an event goes
/// to, and whether one is still registered. The state implements it; the deliverer holds it
/// weakly, so a dropped server frees its state and the deliverer ends.
pub trait WebhookHost: Send + Sync {
    /// The active webhooks subscribed to a Next Cap event of their organisation.
    fn targets(&self, event: &Event) -> Vec<Target>;
    /// Whether the webhook still exists and is active (checked before every attempt, so a
    /// deleted webhook's retries stop).
    fn is_live(&self, webhook_id: Uuid) -> bool;
    /// The mock clock's time: signature timestamps and the delivery log's `at` use it, so they
    /// move with the clock like every other timestamp the mock writes.
    fn now(&self) -> chrono::DateTime<chrono::Utc>;
}

/// One webhook an event is to be delivered to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Target {
    /// The webhook.
    pub webhook_id: Uuid,
    /// Where to POST.
    pub url: String,
    /// The signing secret.
    pub secret: String,
}

/// Whose conventions a delivery follows: the envelope and the signature headers.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Dialect {
    /// Next Cap: `{id, event, created_at, org_id, data}`, `X-NextCap-Signature` over
    /// `"{timestamp}.{body}"` plus `-Timestamp`, `-Event`, `-Delivery`.
    NextCap,
    /// NexaDesk (API README): `{event, timestamp, workspace_id, data}`,
    /// `X-NexaDesk-Signature: sha256=<hex HMAC-SHA256 of the raw body>`, no timestamp header.
    NexaDesk,
}

/// The delivery body of an event and its dialect, serialized once and sent as is on every
/// attempt; `None` for topics that are never webhooks (live chat).
pub fn envelope(event: &Event) -> Option<(Dialect, Vec<u8>)> {
    let (dialect, envelope) = match &event.topic {
        Topic::NextCap { org_id, name } => (
            Dialect::NextCap,
            serde_json::json!({
                "id": event.id,
                "event": name.as_str(),
                "created_at": crate::time_fmt::millis_string(&event.created_at),
                "org_id": org_id,
                "data": event.data,
            }),
        ),
        Topic::NexaDesk { workspace_id, name } => (
            Dialect::NexaDesk,
            serde_json::json!({
                "event": name.as_str(),
                "timestamp": crate::time_fmt::millis_string(&event.created_at),
                "workspace_id": workspace_id,
                "data": event.data,
            }),
        ),
        Topic::Chat { .. } => return None,
    };
    serde_json::to_vec(&envelope).ok().map(|body| (dialect, body))
}

/// How deliveries are retried: the waits between attempts and the timeout of each.
///
/// The mock's default is fast so tests stay quick: 5 attempts with waits of 100 ms, 200 ms,
/// 400 ms and 800 ms between them, each attempt timing out after 10 s (the contract's
/// `receiver_timeout_seconds`). The contract's production schedule
/// (`retry_schedule_seconds`: 60 s, 5 min, 30 min, 2 h, 6 h) would make a test wait hours;
/// [`WebhookRetry::documented`] gives it for anyone who wants it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct WebhookRetry {
    /// The wait before each retry, in order; `backoffs.len() + 1` attempts in total.
    pub backoffs: Vec<Duration>,
    /// How long one attempt may take before it counts as failed.
    pub timeout: Duration,
}

impl Default for WebhookRetry {
    fn default() -> Self {
        WebhookRetry::exponential(5, Duration::from_millis(100))
    }
}

impl WebhookRetry {
    /// The most attempts a schedule may have (the standalone binary's `--webhook-attempts`
    /// accepts the same range).
    pub const MAX_ATTEMPTS: u32 = 100;

    /// `max_attempts` attempts (1 to [`Self::MAX_ATTEMPTS`]; values outside are clamped), the
    /// wait doubling from `initial_backoff`; 10 s timeout per attempt.
    pub fn exponential(max_attempts: u32, initial_backoff: Duration) -> WebhookRetry {
        let max_attempts = max_attempts.clamp(1, Self::MAX_ATTEMPTS);
        let backoffs = (0..max_attempts - 1).map(|i| initial_backoff.saturating_mul(2_u32.saturating_pow(i))).collect();
        WebhookRetry { backoffs, timeout: Duration::from_secs(10) }
    }

    /// The contract's production schedule: retries after 60 s, 5 min, 30 min, 2 h and 6 h.
    pub fn documented() -> WebhookRetry {
        let backoffs = [60, 300, 1800, 7200, 21_600].into_iter().map(Duration::from_secs).collect();
        WebhookRetry { backoffs, timeout: Duration::from_secs(10) }
    }

    /// The same schedule with another per-attempt timeout.
    pub fn with_timeout(mut self, timeout: Duration) -> WebhookRetry {
        self.timeout = timeout;
        self
    }

    /// Attempts in total, the first included.
    pub fn max_attempts(&self) -> u32 {
        u32::try_from(self.backoffs.len()).unwrap_or(u32::MAX - 1) + 1
    }

    /// The wait after failed attempt number `attempt` (1-based); `None` after the last one.
    pub fn backoff(&self, attempt: u32) -> Option<Duration> {
        self.backoffs.get(usize::try_from(attempt).ok()?.checked_sub(1)?).copied()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_exponential_schedule_is_clamped_to_1_to_100_attempts() {
        assert_eq!(WebhookRetry::exponential(0, Duration::from_millis(1)).backoffs.len(), 0);
        assert_eq!(WebhookRetry::exponential(u32::MAX, Duration::from_millis(1)).backoffs.len(), 99);
    }

    #[test]
    fn default_schedule_doubles_from_100ms() {
        let retry = WebhookRetry::default();
        let ms: Vec<u128> = retry.backoffs.iter().map(Duration::as_millis).collect();
        assert_eq!(ms, [100, 200, 400, 800]);
        assert_eq!(retry.max_attempts(), 5);
        assert_eq!((retry.backoff(1), retry.backoff(4), retry.backoff(5)), (Some(ms100()), Some(ms100() * 8), None));
        assert_eq!(WebhookRetry::exponential(1, ms100()).max_attempts(), 1);
        assert_eq!(WebhookRetry::exponential(0, ms100()).max_attempts(), 1, "at least one attempt");
        let documented = WebhookRetry::documented();
        assert_eq!((documented.max_attempts(), documented.backoff(5)), (6, Some(Duration::from_secs(21_600))));
    }

    fn ms100() -> Duration {
        Duration::from_millis(100)
    }

    #[test]
    fn envelope_has_the_contract_fields() {
        use crate::events::EventName;
        let org = Uuid::from_u128(7);
        let event = Event::new(org, EventName::LeadCreated, serde_json::json!({"lead": {"id": "x"}}));
        let (dialect, bytes) = envelope(&event).unwrap_or((Dialect::NexaDesk, Vec::new()));
        assert_eq!(dialect, Dialect::NextCap);
        let body: serde_json::Value = serde_json::from_slice(&bytes).unwrap_or_default();
        assert_eq!(body["id"], event.id.to_string());
        assert_eq!(body["event"], "lead.created");
        assert_eq!(body["org_id"], org.to_string());
        assert_eq!(body["data"]["lead"]["id"], "x");
        assert!(body["created_at"].as_str().is_some_and(|t| t.ends_with('Z')));
    }

    #[test]
    fn nexadesk_envelope_has_the_documented_fields() {
        use crate::events::NexaDeskEventName;
        let event = Event::nexadesk("ws_1", NexaDeskEventName::LeadCreated, serde_json::json!({"id": "x"}));
        let (dialect, bytes) = envelope(&event).unwrap_or((Dialect::NextCap, Vec::new()));
        assert_eq!(dialect, Dialect::NexaDesk);
        let body: serde_json::Value = serde_json::from_slice(&bytes).unwrap_or_default();
        let mut keys: Vec<&str> = body.as_object().map(|m| m.keys().map(String::as_str).collect()).unwrap_or_default();
        keys.sort_unstable();
        assert_eq!(keys, ["data", "event", "timestamp", "workspace_id"]);
        assert_eq!((body["event"].as_str(), body["workspace_id"].as_str()), (Some("lead.created"), Some("ws_1")));
        assert_eq!(body["data"]["id"], "x");
        let chat = Event::chat(Uuid::from_u128(1), crate::events::ChatEventName::AgentAssigned, 1);
        assert!(envelope(&chat).is_none(), "live chat is never a webhook");
    }
}
