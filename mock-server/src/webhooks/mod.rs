//! Outbound webhooks: the event bus from the store's side effects to real HTTP deliveries.
//!
//! ```text
//! handler / control action: lock, change the store, build Event(s), unlock
//!   -> AppState::publish(events): find the organisation's active webhooks subscribed to each
//!      event (one short lock), one Job per (event, webhook)
//!   -> EventBus: an unbounded tokio mpsc channel (sending never blocks the request)
//!   -> deliverer task: one task per job, so a slow receiver delays nobody else
//!      -> POST with X-NextCap-Signature / -Timestamp / -Event / -Delivery, retried with
//!         exponential backoff on non-2xx, connection errors and timeouts
//!      -> every attempt recorded in the delivery log (GET /__mock/webhooks/deliveries)
//! ```
//!
//! Why this shape: a request must never wait for a receiver (the real service delivers in the
//! background too), yet tests need to observe deliveries, hence the log and
//! [`crate::MockServer::wait_for_deliveries`]. The deliverer holds only a weak reference to the
//! state, so a dropped server is freed and its deliverer ends when the channel closes. Before
//! every attempt it checks that the webhook still exists and that no `reset` happened since
//! the event, so deleting a webhook stops its retries and a reset leaves a clean log.
//!
//! The envelope is `{id, event, created_at, org_id, data}` (the contract's `WebhookEnvelope`);
//! `id` is the event id, the same for every webhook and every retry, and equal to
//! `X-NextCap-Delivery`, so receivers can deduplicate. Each attempt is signed afresh with the
//! current time, as a retry hours later would otherwise arrive with a stale timestamp.

mod bus;
mod deliver;
mod log;
mod signature;

pub use bus::EventBus;
pub use log::{DeliveryAttempt, DeliveryLog};
pub use signature::{hmac_hex, sign};

use std::time::Duration;

use bytes::Bytes;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use uuid::Uuid;

use crate::store::nextcap::NextCapStore;

/// Something that happened in an organisation, to be delivered to its subscribed webhooks.
#[derive(Clone, Debug, PartialEq)]
pub struct Event {
    /// Event id (the envelope's `id` and `X-NextCap-Delivery`).
    pub id: Uuid,
    /// The organisation it happened in.
    pub org_id: Uuid,
    /// One of [`crate::store::nextcap::WEBHOOK_EVENTS`].
    pub name: &'static str,
    /// When it happened.
    pub created_at: DateTime<Utc>,
    /// The payload, e.g. `{"lead": {...}}`.
    pub data: Value,
}

impl Event {
    /// An event happening now with a fresh random id. `data` is serialized here, from the same
    /// row types the API renders, so a payload always has the API's shape.
    pub fn new(org_id: Uuid, name: &'static str, data: impl Serialize) -> Event {
        Event {
            id: random_uuid(),
            org_id,
            name,
            created_at: crate::time_fmt::now(),
            // Rows serialize infallibly (no maps with non-string keys), so Null never happens.
            data: serde_json::to_value(data).unwrap_or(Value::Null),
        }
    }

    /// The delivery body: the envelope, serialized once and sent as is on every attempt.
    pub fn body(&self) -> Vec<u8> {
        let envelope = serde_json::json!({
            "id": self.id,
            "event": self.name,
            "created_at": crate::time_fmt::millis_string(&self.created_at),
            "org_id": self.org_id,
            "data": self.data,
        });
        serde_json::to_vec(&envelope).unwrap_or_default()
    }
}

/// One job per (event, subscribed active webhook of the event's organisation).
pub(crate) fn bus_jobs(store: &NextCapStore, events: &[Event], generation: u64) -> Vec<bus::Job> {
    let mut jobs = Vec::new();
    for event in events {
        let body = Bytes::from(event.body());
        jobs.extend(store.subscribers(event.org_id, event.name).map(|w| bus::Job {
            delivery_id: event.id,
            webhook_id: w.id,
            event: event.name,
            url: w.url.clone(),
            secret: w.secret.clone(),
            body: body.clone(),
            generation,
        }));
    }
    jobs
}

/// A v4-shaped UUID from the thread RNG (webhook and event ids are not part of the seeded
/// fixtures, so they need not be deterministic).
pub fn random_uuid() -> Uuid {
    uuid::Builder::from_random_bytes(rand::random()).into_uuid()
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
    /// `max_attempts` attempts (at least 1), the wait doubling from `initial_backoff`; 10 s
    /// timeout per attempt.
    pub fn exponential(max_attempts: u32, initial_backoff: Duration) -> WebhookRetry {
        let backoffs = (0..max_attempts.saturating_sub(1))
            .map(|i| initial_backoff.saturating_mul(2_u32.saturating_pow(i)))
            .collect();
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
        let org = Uuid::from_u128(7);
        let event = Event::new(org, "lead.created", serde_json::json!({"lead": {"id": "x"}}));
        let body: Value = serde_json::from_slice(&event.body()).unwrap_or_default();
        assert_eq!(body["id"], event.id.to_string());
        assert_eq!(body["event"], "lead.created");
        assert_eq!(body["org_id"], org.to_string());
        assert_eq!(body["data"]["lead"]["id"], "x");
        assert!(body["created_at"].as_str().is_some_and(|t| t.ends_with('Z')));
    }
}
