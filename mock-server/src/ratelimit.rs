//! Per-key rate limiting with each API's own algorithm and headers.
//!
//! - Next Cap: 60 requests per minute, fixed window aligned to multiples of the window length in
//!   Unix time, so `X-RateLimit-Reset` is exact and the same for every key.
//! - NexaDesk: 100 per minute, sliding window (the timestamps of the last window's accepted
//!   requests); Reset is when the oldest of them leaves the window.
//! - Desk Hive: undocumented numbers; our decision is Laravel's default `throttle:api`, 60 per
//!   minute in a fixed window that starts at the key's first request (Laravel's cache-based
//!   limiter anchors the window there).
//!
//! A refused (429) request does not count toward the window. With limiting off the headers
//! are still sent (see [`unlimited`]). The clock is passed in (Unix
//! milliseconds) so the algorithms are testable without sleeping.

use std::{collections::HashMap, collections::VecDeque, str::FromStr, time::Duration};

use crate::api::Api;

/// How the server limits requests.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub enum RateLimitSetting {
    /// Each API's documented (or, for Desk Hive, decided) limit.
    #[default]
    Documented,
    /// No limiting. The `X-RateLimit-*` headers are still sent (the contract promises them on
    /// every success response), with a limit of [`UNLIMITED`] that never runs down.
    Off,
    /// The same numbers for every API; each keeps its own algorithm.
    Custom {
        /// Requests allowed per window.
        requests: u32,
        /// Window length.
        window: Duration,
    },
}

/// Which window algorithm an API uses.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Algorithm {
    /// Fixed windows aligned to Unix-time multiples of the window length (Next Cap).
    AlignedFixed,
    /// Fixed window starting at the key's first request (Desk Hive / Laravel).
    AnchoredFixed,
    /// Sliding window over the last window's accepted requests (NexaDesk).
    Sliding,
}

/// The effective limit for one API.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Policy {
    /// Requests per window.
    pub limit: u32,
    /// Window length in milliseconds (at least 1).
    pub window_ms: u64,
    /// The algorithm.
    pub algorithm: Algorithm,
}

impl RateLimitSetting {
    /// The policy for `api`, or `None` when limiting is off.
    pub fn policy(&self, api: Api) -> Option<Policy> {
        let algorithm = match api {
            Api::NextCap => Algorithm::AlignedFixed,
            Api::NexaDesk => Algorithm::Sliding,
            Api::DeskHive => Algorithm::AnchoredFixed,
        };
        let (limit, window_ms) = match self {
            RateLimitSetting::Off => return None,
            RateLimitSetting::Documented => match api {
                Api::NexaDesk => (100, 60_000),
                Api::NextCap | Api::DeskHive => (60, 60_000),
            },
            RateLimitSetting::Custom { requests, window } => {
                let ms = u64::try_from(window.as_millis()).unwrap_or(u64::MAX);
                (*requests, ms.max(1))
            }
        };
        Some(Policy { limit, window_ms, algorithm })
    }
}

impl FromStr for RateLimitSetting {
    type Err = String;

    /// `off`, `documented`, or `N/DURATION` such as `50/5s`, `100/1m`, `10/500ms`, `1000/1h`
    /// (a bare number of seconds is accepted too).
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().as_str() {
            "off" | "none" => return Ok(RateLimitSetting::Off),
            "documented" | "default" => return Ok(RateLimitSetting::Documented),
            _ => {}
        }
        let (n, window) =
            s.split_once('/').ok_or_else(|| format!("expected off, documented or N/DURATION, got {s:?}"))?;
        let requests: u32 = n.trim().parse().map_err(|_| format!("{n:?} is not a request count"))?;
        let window = parse_duration(window.trim())?;
        if requests == 0 || window.is_zero() {
            return Err("requests and window must both be greater than zero".to_owned());
        }
        Ok(RateLimitSetting::Custom { requests, window })
    }
}

/// Parses `500ms`, `5s`, `1m`, `1h` or a bare number of seconds.
pub fn parse_duration(s: &str) -> Result<Duration, String> {
    let split = s.find(|c: char| !c.is_ascii_digit()).unwrap_or(s.len());
    let (digits, unit) = s.split_at(split);
    let n: u64 = digits.parse().map_err(|_| format!("{s:?} is not a duration like 5s or 1m"))?;
    let ms = match unit {
        "ms" => Some(n),
        "" | "s" => n.checked_mul(1_000),
        "m" => n.checked_mul(60_000),
        "h" => n.checked_mul(3_600_000),
        _ => return Err(format!("unknown duration unit {unit:?} (use ms, s, m or h)")),
    };
    ms.map(Duration::from_millis).ok_or_else(|| format!("{s:?} is too long"))
}

/// The limit reported when limiting is off.
pub const UNLIMITED: u32 = 1_000_000;

/// The headers' numbers when limiting is off: a huge limit that never runs down, resetting at
/// the next whole minute.
pub fn unlimited(now_ms: u64) -> RateInfo {
    RateInfo { limit: UNLIMITED, remaining: UNLIMITED - 1, reset: ceil_secs(now_ms - now_ms % 60_000 + 60_000) }
}

/// The numbers behind the `X-RateLimit-*` headers.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RateInfo {
    /// `X-RateLimit-Limit`.
    pub limit: u32,
    /// `X-RateLimit-Remaining`.
    pub remaining: u32,
    /// `X-RateLimit-Reset`: Unix seconds when the window resets (rounded up).
    pub reset: u64,
}

/// The verdict for one request.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Decision {
    /// Go ahead; counted.
    Allowed(RateInfo),
    /// Refused with 429; not counted.
    Limited {
        /// Headers to send.
        info: RateInfo,
        /// Whole seconds until a request would be accepted (at least 1).
        retry_after: u64,
    },
}

impl Decision {
    /// The header numbers, whichever the verdict.
    pub fn info(&self) -> RateInfo {
        match self {
            Decision::Allowed(info) | Decision::Limited { info, .. } => *info,
        }
    }
}

#[derive(Clone, Debug)]
enum Window {
    Fixed { start_ms: u64, count: u32 },
    Sliding(VecDeque<u64>),
}

/// Per-(API, key) counters.
#[derive(Clone, Debug, Default)]
pub struct RateLimiter {
    windows: HashMap<(Api, String), Window>,
}

fn ceil_secs(ms: u64) -> u64 {
    ms.div_ceil(1_000)
}

impl RateLimiter {
    /// Forgets every counter.
    pub fn clear(&mut self) {
        self.windows.clear();
    }

    /// Counts one request of `key` to `api` at `now_ms` (Unix milliseconds) under `policy`.
    pub fn check(&mut self, api: Api, key: &str, policy: Policy, now_ms: u64) -> Decision {
        let entry = self.windows.entry((api, key.to_owned())).or_insert_with(|| match policy.algorithm {
            Algorithm::Sliding => Window::Sliding(VecDeque::new()),
            Algorithm::AlignedFixed | Algorithm::AnchoredFixed => Window::Fixed { start_ms: 0, count: 0 },
        });
        match entry {
            Window::Fixed { start_ms, count } => fixed(policy, now_ms, start_ms, count),
            Window::Sliding(stamps) => sliding(policy, now_ms, stamps),
        }
    }
}

fn fixed(policy: Policy, now_ms: u64, start_ms: &mut u64, count: &mut u32) -> Decision {
    let w = policy.window_ms;
    let current_start = match policy.algorithm {
        Algorithm::AlignedFixed => now_ms - now_ms % w,
        _ if now_ms >= start_ms.saturating_add(w) || *count == 0 => now_ms,
        _ => *start_ms,
    };
    if current_start != *start_ms {
        *start_ms = current_start;
        *count = 0;
    }
    let end = start_ms.saturating_add(w);
    if *count >= policy.limit {
        let info = RateInfo { limit: policy.limit, remaining: 0, reset: ceil_secs(end) };
        let retry_after = ceil_secs(end.saturating_sub(now_ms)).max(1);
        return Decision::Limited { info, retry_after };
    }
    *count += 1;
    Decision::Allowed(RateInfo { limit: policy.limit, remaining: policy.limit - *count, reset: ceil_secs(end) })
}

fn sliding(policy: Policy, now_ms: u64, stamps: &mut VecDeque<u64>) -> Decision {
    let w = policy.window_ms;
    while stamps.front().is_some_and(|t| t.saturating_add(w) <= now_ms) {
        stamps.pop_front();
    }
    let limit_usize = usize::try_from(policy.limit).unwrap_or(usize::MAX);
    if stamps.len() >= limit_usize {
        let oldest_end = stamps.front().map_or(now_ms, |t| t.saturating_add(w));
        let info = RateInfo { limit: policy.limit, remaining: 0, reset: ceil_secs(oldest_end) };
        let retry_after = ceil_secs(oldest_end.saturating_sub(now_ms)).max(1);
        return Decision::Limited { info, retry_after };
    }
    stamps.push_back(now_ms);
    let used = u32::try_from(stamps.len()).unwrap_or(u32::MAX);
    let oldest_end = stamps.front().map_or(now_ms, |t| t.saturating_add(w));
    Decision::Allowed(RateInfo {
        limit: policy.limit,
        remaining: policy.limit.saturating_sub(used),
        reset: ceil_secs(oldest_end),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn policy(algorithm: Algorithm) -> Policy {
        Policy { limit: 2, window_ms: 10_000, algorithm }
    }

    #[test]
    fn aligned_fixed_window_resets_on_multiples() {
        let mut rl = RateLimiter::default();
        let p = policy(Algorithm::AlignedFixed);
        let a = rl.check(Api::NextCap, "k", p, 1_234_567);
        assert_eq!(a.info().reset, 1_240, "window 1_230_000..1_240_000 ends at 1240 s");
        assert_eq!(a.info().remaining, 1);
        assert!(matches!(rl.check(Api::NextCap, "k", p, 1_235_000), Decision::Allowed(_)));
        match rl.check(Api::NextCap, "k", p, 1_239_500) {
            Decision::Limited { retry_after, info } => {
                assert_eq!(retry_after, 1);
                assert_eq!(info.remaining, 0);
            }
            other => panic!("expected 429, got {other:?}"),
        }
        // The next aligned window starts fresh.
        let next = rl.check(Api::NextCap, "k", p, 1_240_000);
        assert_eq!(next, Decision::Allowed(RateInfo { limit: 2, remaining: 1, reset: 1_250 }));
        // Other keys have their own counters.
        assert_eq!(rl.check(Api::NextCap, "other", p, 1_239_500).info().remaining, 1);
    }

    #[test]
    fn anchored_window_starts_at_first_request() {
        let mut rl = RateLimiter::default();
        let p = policy(Algorithm::AnchoredFixed);
        assert_eq!(rl.check(Api::DeskHive, "k", p, 1_234_567).info().reset, 1_245);
        rl.check(Api::DeskHive, "k", p, 1_240_000);
        assert!(matches!(rl.check(Api::DeskHive, "k", p, 1_244_000), Decision::Limited { retry_after: 1, .. }));
        assert!(matches!(rl.check(Api::DeskHive, "k", p, 1_244_567), Decision::Allowed(_)));
    }

    #[test]
    fn sliding_window_frees_slots_as_requests_age() {
        let mut rl = RateLimiter::default();
        let p = policy(Algorithm::Sliding);
        rl.check(Api::NexaDesk, "k", p, 1_000_000);
        rl.check(Api::NexaDesk, "k", p, 1_006_000);
        match rl.check(Api::NexaDesk, "k", p, 1_007_000) {
            Decision::Limited { retry_after, info } => {
                assert_eq!(retry_after, 3, "oldest leaves at 1_010_000");
                assert_eq!(info.reset, 1_010);
            }
            other => panic!("expected 429, got {other:?}"),
        }
        // The oldest left; one slot is free, and the refused request did not count.
        let ok = rl.check(Api::NexaDesk, "k", p, 1_010_000);
        assert_eq!(ok, Decision::Allowed(RateInfo { limit: 2, remaining: 0, reset: 1_016 }));
    }

    #[test]
    fn parses_cli_settings() {
        assert_eq!("off".parse(), Ok(RateLimitSetting::Off));
        assert_eq!("documented".parse(), Ok(RateLimitSetting::Documented));
        assert_eq!("50/5s".parse(), Ok(RateLimitSetting::Custom { requests: 50, window: Duration::from_secs(5) }));
        assert_eq!("100/1m".parse(), Ok(RateLimitSetting::Custom { requests: 100, window: Duration::from_secs(60) }));
        assert!("0/1s".parse::<RateLimitSetting>().is_err());
        assert!("5/1y".parse::<RateLimitSetting>().is_err());
        assert!("lots".parse::<RateLimitSetting>().is_err());
    }
}
