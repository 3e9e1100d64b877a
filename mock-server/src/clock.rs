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

use chrono::{DateTime, Utc};

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
        self.at(crate::time_fmt::now_millis())
    }

    /// The mock's time when the wall clock reads `wall_ms` (Unix milliseconds), for a caller
    /// that needs the wall-clock reading too (the request pipeline: rate-limit windows keep
    /// real time), so one reading serves both.
    pub fn at(&self, wall_ms: u64) -> DateTime<Utc> {
        let wall = i64::try_from(wall_ms).unwrap_or(i64::MAX);
        let ms = wall.saturating_add(self.offset_ms.load(Ordering::Relaxed)).min(LATEST_MS);
        DateTime::<Utc>::from_timestamp_millis(ms).unwrap_or_else(latest)
    }

    /// Moves the clock forward by `by` and returns the new time. The clock stops at
    /// 9999-12-31T23:59:59.999Z: RFC 3339 timestamps have four-digit years, so a later time
    /// could not be written on the wire (and far enough past it, chrono's range ends).
    pub fn advance(&self, by: Duration) -> DateTime<Utc> {
        let ms = i64::try_from(by.as_millis()).unwrap_or(i64::MAX);
        let ceiling = (latest() - Utc::now()).num_milliseconds().max(0);
        let _ = self
            .offset_ms
            .fetch_update(Ordering::Relaxed, Ordering::Relaxed, |o| Some(o.saturating_add(ms).min(ceiling)));
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

/// The last instant the clock can show: the end of year 9999, the last year RFC 3339 can write.
/// 9999-12-31T23:59:59.999Z in Unix milliseconds.
const LATEST_MS: i64 = 253_402_300_799_999;

fn latest() -> DateTime<Utc> {
    DateTime::<Utc>::from_timestamp_millis(LATEST_MS).unwrap_or(DateTime::<Utc>::MAX_UTC)
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

    #[test]
    fn advancing_past_year_9999_stops_there_instead_of_overflowing() {
        let clock = Clock::default();
        for _ in 0..3 {
            clock.advance(Duration::from_secs(1_000_000_000_000));
        }
        clock.advance(Duration::MAX);
        let now = clock.now();
        assert!(now.to_rfc3339_opts(chrono::SecondsFormat::Millis, true).starts_with("9999-12-31T23:59:59."), "{now}");
        assert!(clock.now() >= now && clock.now() <= latest());
    }
}
