//! Client-side rate limiting from the server's `X-RateLimit-*` headers.
//!
//! All three APIs send `X-RateLimit-Limit`, `-Remaining` and `-Reset` (Unix seconds). One
//! [`RateLimiter`] exists per (base URL, key) in the process, shared by every clone of a client,
//! every concurrent stream and every separately built client with the same key, because the
//! server counts per key, not per client object.
//!
//! The limiter keeps a local estimate of the window: it reserves one unit per request before
//! sending, lowers the estimate to whatever the server reports, and when it would be refused it
//! sleeps until the reset instead. Until the first response tells it the window, only one
//! request is let through (a probe), so a burst of tasks at start-up cannot overrun a small limit.
//!
//! Header values are read through [`super::hints`]: a reset that overflows the clock or lies
//! absurdly far ahead is ignored, and every instant is computed with checked arithmetic, so no
//! header can panic a call or hold it back beyond the caller's maximum wait.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock, Weak};
use std::time::{Duration, SystemTime};

use http::HeaderMap;
use tokio::sync::Notify;

use super::hints::{header_u64, reset_at};

/// Live limiters by (base URL, key fingerprint); weak, so dropped clients free theirs.
type Registry = HashMap<(String, u64), Weak<RateLimiter>>;

/// Decision for one request about to be sent.
enum Admit {
    Go,
    WaitUntil(SystemTime),
    WaitForProbe,
}

#[derive(Debug, Default)]
struct Window {
    limit: Option<u64>,
    /// Local estimate of requests still allowed in the current window.
    remaining: Option<u64>,
    /// When the current window ends (from `X-RateLimit-Reset`).
    reset_at: Option<SystemTime>,
    /// Set after a 429: nothing is sent before this.
    blocked_until: Option<SystemTime>,
    /// A request is out while we know nothing of the window.
    probing: bool,
    /// The last response carried no rate-limit headers: nothing to gate on.
    headerless: bool,
}

/// Shared per-key limiter. Cheap to clone through `Arc`.
#[derive(Debug, Default)]
pub(crate) struct RateLimiter {
    state: Mutex<Window>,
    changed: Notify,
}

/// Small margin after a reset instant: the header has whole-second precision and the two
/// clocks are not the same clock.
const RESET_MARGIN: Duration = Duration::from_millis(30);

impl RateLimiter {
    /// The limiter for this (base URL, key), created on first use.
    pub(crate) fn shared(base_url: &str, key_fingerprint: u64) -> Arc<RateLimiter> {
        static REGISTRY: OnceLock<Mutex<Registry>> = OnceLock::new();
        let mut map = REGISTRY.get_or_init(Default::default).lock().unwrap_or_else(|e| e.into_inner());
        map.retain(|_, w| w.strong_count() > 0);
        let slot = (base_url.to_owned(), key_fingerprint);
        if let Some(existing) = map.get(&slot).and_then(Weak::upgrade) {
            return existing;
        }
        let fresh = Arc::new(RateLimiter::default());
        map.insert(slot, Arc::downgrade(&fresh));
        fresh
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Window> {
        // The state is a handful of integers, always left consistent: a panic elsewhere while
        // holding the lock cannot corrupt it, so poisoning is ignored.
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Waits until a request may be sent, and reserves it. `max_wait` caps a single wait:
    /// beyond it, returns the time the caller would have had to wait.
    pub(crate) async fn acquire(&self, max_wait: Duration) -> Result<(), Duration> {
        loop {
            let notified = self.changed.notified();
            tokio::pin!(notified);
            notified.as_mut().enable();
            let decision = {
                let mut w = self.lock();
                let now = SystemTime::now();
                Self::admit(&mut w, now)
            };
            match decision {
                Admit::Go => return Ok(()),
                Admit::WaitForProbe => {
                    // The probe's response (or its failure) notifies; the timeout is a backstop.
                    let _ = tokio::time::timeout(Duration::from_secs(5), notified).await;
                    let mut w = self.lock();
                    if w.probing && w.remaining.is_none() {
                        // The probe never reported back (e.g. dropped future): stop waiting for it.
                        w.probing = false;
                    }
                }
                Admit::WaitUntil(when) => {
                    let wait = when.duration_since(SystemTime::now()).unwrap_or_default();
                    if wait > max_wait {
                        return Err(wait);
                    }
                    tracing::debug!(wait_ms = wait.as_millis() as u64, "rate limit: waiting for the window to reset");
                    tokio::time::sleep(wait).await;
                }
            }
        }
    }

    fn admit(w: &mut Window, now: SystemTime) -> Admit {
        if let Some(until) = w.blocked_until {
            if until > now {
                return Admit::WaitUntil(until);
            }
            w.blocked_until = None;
        }
        if w.headerless {
            return Admit::Go;
        }
        if let Some(reset) = w.reset_at
            && reset.checked_add(RESET_MARGIN).is_none_or(|r| r <= now)
        {
            // The window we knew is over: assume a fresh one until a response says otherwise.
            w.remaining = w.limit;
            w.reset_at = None;
        }
        match w.remaining {
            None if w.probing => Admit::WaitForProbe,
            None => {
                w.probing = true;
                Admit::Go
            }
            Some(0) => match w.reset_at {
                Some(reset) => Admit::WaitUntil(reset.checked_add(RESET_MARGIN).unwrap_or(reset)),
                // No reset known but nothing left: let one request find out.
                None => {
                    w.remaining = None;
                    w.probing = true;
                    Admit::Go
                }
            },
            Some(n) => {
                w.remaining = Some(n - 1);
                Admit::Go
            }
        }
    }

    /// Learns from a response's headers. `retry_after` is set for a 429.
    pub(crate) fn observe(&self, headers: &HeaderMap, retry_after: Option<Duration>) {
        let now = SystemTime::now();
        let limit = header_u64(headers, "x-ratelimit-limit");
        let remaining = header_u64(headers, "x-ratelimit-remaining");
        let reset = reset_at(headers, now);
        {
            let mut w = self.lock();
            w.probing = false;
            if limit.is_some() {
                w.limit = limit;
            }
            match (remaining, reset) {
                (Some(r), Some(reset)) => match w.reset_at {
                    // A response from a window older than the one we track says nothing new.
                    Some(known) if reset < known => {}
                    Some(known) if reset == known => w.remaining = Some(w.remaining.map_or(r, |l| l.min(r))),
                    _ => {
                        // A newer window: requests already reserved locally may or may not
                        // have been counted in it, so keep the lower of the two estimates.
                        w.reset_at = Some(reset);
                        w.remaining = Some(w.remaining.map_or(r, |l| l.min(r)));
                    }
                },
                (Some(r), None) => w.remaining = Some(w.remaining.map_or(r, |l| l.min(r))),
                _ => {}
            }
            // No headers at all (limits off, or an API that does not send them): hold nothing back.
            w.headerless = remaining.is_none() && limit.is_none() && retry_after.is_none();
            if let Some(wait) = retry_after {
                // Wait exactly as long as the server asked, then let one probe find out where the
                // window stands. Assuming "nothing left until the reset" would turn a short
                // Retry-After into a wait for the whole window.
                // A wait the clock cannot represent blocks nothing: the caller surfaces it.
                if let Some(until) = now.checked_add(wait) {
                    w.blocked_until = Some(w.blocked_until.map_or(until, |b| b.max(until)));
                    w.remaining = None;
                }
            }
        }
        self.changed.notify_waiters();
    }

    /// Called when a request failed without a response, so a probe does not block forever.
    pub(crate) fn abandon_probe(&self) {
        self.lock().probing = false;
        self.changed.notify_waiters();
    }

    /// Seconds until the known window resets (for a 429 without any wait hint).
    pub(crate) fn until_reset(&self) -> Option<Duration> {
        let w = self.lock();
        w.reset_at.and_then(|r| r.duration_since(SystemTime::now()).ok()).map(|d| d.saturating_add(RESET_MARGIN))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::UNIX_EPOCH;

    fn headers(limit: u64, remaining: u64, reset: SystemTime) -> HeaderMap {
        let mut h = HeaderMap::new();
        h.insert("x-ratelimit-limit", limit.into());
        h.insert("x-ratelimit-remaining", remaining.into());
        let secs = reset.duration_since(UNIX_EPOCH).unwrap().as_secs();
        h.insert("x-ratelimit-reset", secs.into());
        h
    }

    #[tokio::test]
    async fn first_request_probes_then_budget_is_counted_down() {
        let rl = RateLimiter::default();
        rl.acquire(Duration::from_secs(1)).await.unwrap();
        // Second caller must wait for the probe's answer.
        assert!(matches!(RateLimiter::admit(&mut rl.lock(), SystemTime::now()), Admit::WaitForProbe));
        let reset = SystemTime::now() + Duration::from_secs(3600);
        rl.observe(&headers(10, 2, reset), None);
        rl.acquire(Duration::from_secs(1)).await.unwrap();
        rl.acquire(Duration::from_secs(1)).await.unwrap();
        // Budget spent: the next one would wait about an hour, more than allowed.
        let err = rl.acquire(Duration::from_secs(1)).await.unwrap_err();
        assert!(err > Duration::from_secs(3000));
    }

    #[tokio::test]
    async fn stale_window_reports_are_ignored_and_lower_reports_win() {
        let rl = RateLimiter::default();
        let now = SystemTime::now();
        rl.observe(&headers(100, 50, now + Duration::from_secs(120)), None);
        rl.observe(&headers(100, 90, now + Duration::from_secs(60)), None); // older window
        assert_eq!(rl.lock().remaining, Some(50));
        rl.observe(&headers(100, 40, now + Duration::from_secs(120)), None);
        assert_eq!(rl.lock().remaining, Some(40));
    }

    #[tokio::test]
    async fn retry_after_blocks_until_then() {
        let rl = RateLimiter::default();
        rl.observe(&HeaderMap::new(), Some(Duration::from_secs(30)));
        let err = rl.acquire(Duration::from_secs(1)).await.unwrap_err();
        assert!(err > Duration::from_secs(25) && err <= Duration::from_secs(31));
    }

    #[tokio::test]
    async fn a_short_retry_after_is_not_stretched_to_the_window_reset() {
        let rl = RateLimiter::default();
        // A 429 that says "retry in 1 s" while the window (plenty left) resets in an hour.
        let reset = SystemTime::now() + Duration::from_secs(3600);
        rl.observe(&headers(1000, 900, reset), Some(Duration::from_millis(50)));
        let started = std::time::Instant::now();
        rl.acquire(Duration::from_secs(5)).await.unwrap();
        let waited = started.elapsed();
        assert!(waited >= Duration::from_millis(40) && waited < Duration::from_secs(2), "waited {waited:?}");
        // That request went out as a probe: the next one waits for its answer.
        assert!(matches!(RateLimiter::admit(&mut rl.lock(), SystemTime::now()), Admit::WaitForProbe));
    }

    #[tokio::test]
    async fn headerless_api_is_never_gated() {
        let rl = RateLimiter::default();
        rl.acquire(Duration::from_millis(1)).await.unwrap();
        rl.observe(&HeaderMap::new(), None);
        // Many concurrent reservations, no response in between: none waits for a probe.
        for _ in 0..5 {
            assert!(matches!(RateLimiter::admit(&mut rl.lock(), SystemTime::now()), Admit::Go));
        }
    }

    #[test]
    fn registry_shares_per_url_and_key() {
        let a = RateLimiter::shared("http://a", 1);
        let b = RateLimiter::shared("http://a", 1);
        let c = RateLimiter::shared("http://b", 1);
        assert!(Arc::ptr_eq(&a, &b));
        assert!(!Arc::ptr_eq(&a, &c));
    }
}
