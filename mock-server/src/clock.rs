//! [`Clock`]: the mock's controllable clock. Everything time-based reads it: every timestamp the
//! mock writes (rows' `created_at`/`updated_at`, timeline entries, events and their webhook
//! envelopes, webhook signature timestamps, journal entries), presigned URL expiry and the
//! 24-hour staging of unlinked uploads. So a test can move time forward a day in a call instead
//! of waiting (`POST /__mock/clock/advance`, `server.clock().advance(..)`). Handlers reach it as
//! `tenant.now()` or `state.clock().now()`; there is deliberately no wall-clock "now" helper
//! elsewhere in the mock, so a new write cannot bypass it.
//!
//! It is wall-clock time plus an offset that only grows, so timestamps stay realistic and two
//! readings never go backwards. Rate-limit windows deliberately keep real time: a test that
//! advances the clock must not also empty every bucket. The offset is an atomic, not part of the
//! locked state, so reading the time never takes the store's lock.

use std::{
    sync::atomic::{AtomicI64, Ordering},
    time::Duration,
};

use chrono::{DateTime, SubsecRound, Utc};

/// Wall-clock time moved forward by a settable offset; `reset` puts it back to real time.
#[derive(Debug, Default)]
pub struct Clock {
    /// How far the mock's time is ahead of real time, in milliseconds.
    offset_ms: AtomicI64,
}

impl Clock {
    /// The mock's current time, cut to whole milliseconds: the precision the wire carries.
    /// Rows stamped with it compare with the filters a client builds from their JSON exactly as
    /// the client expects (a row shown as `...00.123Z` is not "after" `created_after=...00.123Z`).
    pub fn now(&self) -> DateTime<Utc> {
        (Utc::now() + chrono::Duration::milliseconds(self.offset_ms.load(Ordering::Relaxed))).trunc_subsecs(3)
    }

    /// Moves the clock forward by `by` (saturating at about 292 million years), and returns the new time.
    pub fn advance(&self, by: Duration) -> DateTime<Utc> {
        let ms = i64::try_from(by.as_millis()).unwrap_or(i64::MAX);
        let _ = self.offset_ms.fetch_update(Ordering::Relaxed, Ordering::Relaxed, |o| Some(o.saturating_add(ms)));
        self.now()
    }

    /// How far ahead of real time the clock is.
    pub fn offset(&self) -> Duration {
        Duration::from_millis(u64::try_from(self.offset_ms.load(Ordering::Relaxed)).unwrap_or(0))
    }

    /// Back to real time.
    pub fn reset(&self) {
        self.offset_ms.store(0, Ordering::Relaxed);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn advancing_moves_now_forward_and_reset_returns_to_real_time() {
        let clock = Clock::default();
        let before = clock.now();
        let after = clock.advance(Duration::from_secs(86_400));
        assert!(after - before >= chrono::Duration::hours(24));
        assert_eq!(clock.offset(), Duration::from_secs(86_400));
        clock.reset();
        assert!(clock.now() - before < chrono::Duration::hours(1));
        assert_eq!(clock.offset(), Duration::ZERO);
    }
}
