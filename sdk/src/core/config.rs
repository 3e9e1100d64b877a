//! Options every client shares: retries, rate limiting, timeouts, read-ahead.
//!
//! The defaults are chosen for a server-to-server integration that would rather wait than
//! fail: a 429 is waited out (the request was not processed), 5xx and transport errors are
//! retried for idempotent methods only, and every call has a total deadline so no retry loop
//! can hang a caller.

use std::time::Duration;

/// How failed attempts are retried. All durations are upper bounds, never exceeded.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct RetryPolicy {
    /// Attempts in total for 5xx/transport failures of idempotent requests (1 = no retry).
    pub max_attempts: u32,
    /// Backoff before the first retry; doubled each time, with jitter.
    pub initial_backoff: Duration,
    /// Largest backoff between two attempts.
    pub max_backoff: Duration,
    /// Total time one call may take, waits and retries included.
    pub deadline: Duration,
    /// How many 429 answers one call waits out before giving up.
    pub max_rate_limited_retries: u32,
    /// The longest single wait a 429 (or an empty rate-limit window) may impose; a longer one
    /// fails the call with the API's 429 error instead of sleeping.
    pub max_rate_limit_wait: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        Self {
            max_attempts: 4,
            initial_backoff: Duration::from_millis(200),
            max_backoff: Duration::from_secs(8),
            deadline: Duration::from_secs(180),
            max_rate_limited_retries: 10,
            max_rate_limit_wait: Duration::from_secs(75),
        }
    }
}

impl RetryPolicy {
    /// A policy that never retries (one attempt, 429s surfaced at once).
    pub fn none() -> Self {
        Self { max_attempts: 1, max_rate_limited_retries: 0, ..Self::default() }
    }
    /// Sets [`Self::max_attempts`] (at least 1). 429 answers are not counted here: they are
    /// waited out up to [`Self::max_rate_limited_retries`] times; set that to 0, or use
    /// [`Self::none`], to get a 429 back at once.
    pub fn max_attempts(mut self, n: u32) -> Self {
        self.max_attempts = n.max(1);
        self
    }
    /// Sets [`Self::initial_backoff`].
    pub fn initial_backoff(mut self, d: Duration) -> Self {
        self.initial_backoff = d;
        self
    }
    /// Sets [`Self::max_backoff`].
    pub fn max_backoff(mut self, d: Duration) -> Self {
        self.max_backoff = d;
        self
    }
    /// Sets [`Self::deadline`].
    pub fn deadline(mut self, d: Duration) -> Self {
        self.deadline = d;
        self
    }
    /// Sets [`Self::max_rate_limited_retries`].
    pub fn max_rate_limited_retries(mut self, n: u32) -> Self {
        self.max_rate_limited_retries = n;
        self
    }
    /// Sets [`Self::max_rate_limit_wait`].
    pub fn max_rate_limit_wait(mut self, d: Duration) -> Self {
        self.max_rate_limit_wait = d;
        self
    }

    /// Backoff before retry number `retry` (1-based): exponential, capped, with "equal jitter"
    /// (half fixed, half random) so concurrent callers spread out without collapsing to zero.
    pub(crate) fn backoff(&self, retry: u32) -> Duration {
        let exp = self.initial_backoff.saturating_mul(1u32 << retry.saturating_sub(1).min(16));
        let capped = exp.min(self.max_backoff);
        let half = capped / 2;
        let jitter = half.mul_f64(rand::random::<f64>());
        half + jitter
    }
}

/// Settings shared by every client builder.
#[derive(Clone, Debug)]
pub(crate) struct ClientOptions {
    pub base_url: Option<String>,
    pub retry: RetryPolicy,
    pub respect_rate_limit: bool,
    pub timeout: Duration,
    pub connect_timeout: Duration,
    pub read_ahead: usize,
    pub user_agent: String,
    pub http: Option<reqwest::Client>,
}

impl Default for ClientOptions {
    fn default() -> Self {
        Self {
            base_url: None,
            retry: RetryPolicy::default(),
            respect_rate_limit: true,
            timeout: Duration::from_secs(30),
            connect_timeout: Duration::from_secs(10),
            read_ahead: DEFAULT_READ_AHEAD,
            user_agent: concat!("deskapi-rust/", env!("CARGO_PKG_VERSION")).to_owned(),
            http: None,
        }
    }
}

/// Pages a stream may fetch ahead of the caller by default. Page-numbered lists fetch this
/// many pages concurrently; cursor lists can only ever have the next page in flight.
pub const DEFAULT_READ_AHEAD: usize = 4;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_grows_is_capped_and_jittered_within_bounds() {
        let p =
            RetryPolicy::default().initial_backoff(Duration::from_millis(100)).max_backoff(Duration::from_millis(1000));
        for _ in 0..100 {
            let b1 = p.backoff(1);
            assert!(b1 >= Duration::from_millis(50) && b1 <= Duration::from_millis(100), "{b1:?}");
            let b3 = p.backoff(3);
            assert!(b3 >= Duration::from_millis(200) && b3 <= Duration::from_millis(400), "{b3:?}");
            let b10 = p.backoff(10);
            assert!(b10 >= Duration::from_millis(500) && b10 <= Duration::from_millis(1000), "{b10:?}");
        }
    }
}
