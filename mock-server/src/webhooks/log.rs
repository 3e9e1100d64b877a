//! The delivery log: one entry per delivery attempt, oldest first, so tests can see what was
//! sent where, how each attempt ended, and the retries. Bounded like the request journal,
//! because a standalone mock fuzzed for a long time would otherwise grow without end.

use std::collections::VecDeque;

use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// The most attempts kept; older ones are dropped first.
pub const DELIVERY_LOG_CAPACITY: usize = 10_000;

/// One delivery attempt.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
pub struct DeliveryAttempt {
    /// The event id: the envelope's `id` and `X-NextCap-Delivery`, the same on every retry.
    pub delivery_id: Uuid,
    /// The webhook delivered to.
    pub webhook_id: Uuid,
    /// The event name.
    pub event: String,
    /// The URL POSTed to.
    pub url: String,
    /// 1 for the first attempt.
    pub attempt: u32,
    /// The receiver's HTTP status; `None` when there was none (connection error, timeout).
    pub status: Option<u16>,
    /// What went wrong without a status; `None` when a status came back.
    pub error: Option<String>,
    /// Whether another attempt follows (false after a 2xx and after the last attempt).
    pub will_retry: bool,
    /// When the attempt finished (RFC 3339, UTC, wall clock).
    pub at: String,
}

impl DeliveryAttempt {
    /// Whether the receiver acknowledged the delivery (any 2xx).
    pub fn succeeded(&self) -> bool {
        self.status.is_some_and(|s| (200..300).contains(&s))
    }
}

/// The bounded list of attempts.
#[derive(Clone, Debug, Default)]
pub struct DeliveryLog {
    entries: VecDeque<DeliveryAttempt>,
}

impl DeliveryLog {
    /// Records an attempt, dropping the oldest when full.
    pub fn push(&mut self, entry: DeliveryAttempt) {
        if self.entries.len() >= DELIVERY_LOG_CAPACITY {
            self.entries.pop_front();
        }
        self.entries.push_back(entry);
    }

    /// Every attempt, oldest first.
    pub fn entries(&self) -> Vec<DeliveryAttempt> {
        self.entries.iter().cloned().collect()
    }

    /// How many attempts are recorded.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Forgets every attempt; returns how many there were.
    pub fn clear(&mut self) -> usize {
        let n = self.entries.len();
        self.entries.clear();
        n
    }
}
