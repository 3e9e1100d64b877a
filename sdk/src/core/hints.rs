//! Reading the numbers a server sends to schedule the client: `Retry-After`, `X-RateLimit-*`
//! and the Next Cap error body's `retryAfter`.
//!
//! These values come from outside and decide how long the client sleeps, so they are parsed in
//! one place with checked arithmetic only. A value that is out of range, negative, NaN,
//! non-numeric or absurd is treated as absent (ignored for scheduling); it can never panic the
//! client or make a successful response fail. A well-formed wait that is merely long is kept
//! as it is (saturated at [`Duration::MAX`]) so the retry loop can compare it with the
//! configured maximum and surface it instead of sleeping.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use http::HeaderMap;

/// The furthest ahead an `X-RateLimit-Reset` may lie and still be read as a window's end.
/// The documented windows are per minute; a reset days away is not a rate-limit window but
/// a broken header, and would only stall the client.
pub(crate) const MAX_RESET_AHEAD: Duration = Duration::from_secs(24 * 60 * 60);

/// A wait in seconds as the server wrote it (a JSON number or a header's decimal text).
///
/// Finite, non-negative values become a [`Duration`]; values too large for one saturate at
/// [`Duration::MAX`] (still "longer than any maximum"); NaN, infinities and negatives are
/// `None`.
pub(crate) fn seconds(secs: f64) -> Option<Duration> {
    if !secs.is_finite() || secs < 0.0 {
        return None;
    }
    Some(Duration::try_from_secs_f64(secs).unwrap_or(Duration::MAX))
}

/// `Retry-After` (RFC 9110, section 10.2.3): either delay-seconds or an HTTP-date.
///
/// Delay-seconds are read as a decimal number (fractions such as `1.5` and exponents such as
/// `1e20` are accepted); an HTTP-date (IMF-fixdate, or the obsolete RFC 850 and asctime forms)
/// becomes the time from `now` until then, zero when it is already past.
pub(crate) fn retry_after(headers: &HeaderMap, now: SystemTime) -> Option<Duration> {
    let text = headers.get(http::header::RETRY_AFTER)?.to_str().ok()?.trim();
    if text.is_empty() {
        return None;
    }
    // RFC 9110 delay-seconds are digits only; decimal fractions and exponents (`1.5`,
    // `1e20`) are read too, since servers send them and the intent is plain.
    if let Ok(secs) = text.parse::<f64>() {
        return seconds(secs);
    }
    let at = httpdate::parse_http_date(text).ok()?;
    Some(at.duration_since(now).unwrap_or_default())
}

/// A non-negative integer header (`X-RateLimit-Limit`, `X-RateLimit-Remaining`).
pub(crate) fn header_u64(headers: &HeaderMap, name: &str) -> Option<u64> {
    headers.get(name)?.to_str().ok()?.trim().parse().ok()
}

/// `X-RateLimit-Reset` (Unix seconds) as an instant, if it lies within [`MAX_RESET_AHEAD`] of
/// `now`. Values that overflow the clock or point absurdly far ahead are ignored.
pub(crate) fn reset_at(headers: &HeaderMap, now: SystemTime) -> Option<SystemTime> {
    let secs = header_u64(headers, "x-ratelimit-reset")?;
    let at = UNIX_EPOCH.checked_add(Duration::from_secs(secs))?;
    let horizon = now.checked_add(MAX_RESET_AHEAD)?;
    (at <= horizon).then_some(at)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn with(name: &'static str, value: &str) -> HeaderMap {
        let mut h = HeaderMap::new();
        h.insert(name, value.parse().unwrap());
        h
    }

    #[test]
    fn delay_seconds_whole_fractional_and_huge() {
        let now = SystemTime::now();
        assert_eq!(retry_after(&with("retry-after", "2"), now), Some(Duration::from_secs(2)));
        assert_eq!(retry_after(&with("retry-after", " 1.5 "), now), Some(Duration::from_millis(1500)));
        assert_eq!(
            retry_after(&with("retry-after", "10000000000000000000"), now),
            Some(Duration::from_secs(10u64.pow(19)))
        );
        assert_eq!(retry_after(&with("retry-after", "99999999999999999999999"), now), Some(Duration::MAX));
        assert_eq!(retry_after(&with("retry-after", "1e20"), now), Some(Duration::MAX));
    }

    #[test]
    fn garbage_negative_and_non_finite_are_ignored() {
        let now = SystemTime::now();
        for bad in ["", "-1", "NaN", "inf", "1e20x", "soon", "1..2", "-0.5", "0x10"] {
            assert_eq!(retry_after(&with("retry-after", bad), now), None, "{bad:?}");
        }
        assert_eq!(seconds(f64::NAN), None);
        assert_eq!(seconds(-0.1), None);
        assert_eq!(seconds(f64::INFINITY), None);
        assert_eq!(seconds(1e20), Some(Duration::MAX));
    }

    #[test]
    fn http_dates_become_the_time_until_then() {
        let now = UNIX_EPOCH + Duration::from_secs(1_784_112_600); // a whole second
        let ahead = httpdate::fmt_http_date(now + Duration::from_secs(4));
        assert_eq!(retry_after(&with("retry-after", &ahead), now), Some(Duration::from_secs(4)));
        let past = httpdate::fmt_http_date(now - Duration::from_secs(60));
        assert_eq!(retry_after(&with("retry-after", &past), now), Some(Duration::ZERO));
        // The obsolete forms RFC 9110 still asks recipients to accept.
        assert!(retry_after(&with("retry-after", "Sunday, 06-Nov-94 08:49:37 GMT"), now).is_some());
        assert!(retry_after(&with("retry-after", "Sun Nov  6 08:49:37 1994"), now).is_some());
    }

    #[test]
    fn resets_out_of_range_or_absurdly_far_are_ignored() {
        let now = SystemTime::now();
        for bad in ["9223372036854775808", "18446744073709551615", "-5", "abc", "1e9"] {
            assert_eq!(reset_at(&with("x-ratelimit-reset", bad), now), None, "{bad}");
        }
        let soon = now.duration_since(UNIX_EPOCH).unwrap().as_secs() + 30;
        assert!(reset_at(&with("x-ratelimit-reset", &soon.to_string()), now).is_some());
    }
}
