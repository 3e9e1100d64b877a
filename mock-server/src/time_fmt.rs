//! Timestamp wire formats.
//!
//! Next Cap and NexaDesk write `2026-03-15T10:30:00.000Z` (milliseconds, `Z`), Desk Hive writes
//! Laravel's `2026-03-14T09:00:00Z` (whole seconds). The store keeps `DateTime<Utc>` and the
//! models pick a format with `#[serde(serialize_with = ...)]`, so one instant never has two
//! spellings inside one API. Parsing of the filters' ISO 8601 input lives here too, because
//! "what counts as a date" is a wire-format question.

use chrono::{DateTime, NaiveDate, NaiveDateTime, SecondsFormat, SubsecRound, Utc};
use serde::Serializer;

/// `2026-03-15T10:30:00.000Z`, the Next Cap / NexaDesk spelling.
pub fn millis_string(t: &DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Millis, true)
}

/// `2026-03-15T10:30:00Z`, the Desk Hive (Laravel) spelling.
pub fn secs_string(t: &DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Secs, true)
}

/// Serializes a timestamp with milliseconds (Next Cap, NexaDesk).
pub fn millis<S: Serializer>(t: &DateTime<Utc>, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&millis_string(t))
}

/// Serializes an optional timestamp with milliseconds; `None` becomes `null`.
pub fn millis_opt<S: Serializer>(t: &Option<DateTime<Utc>>, s: S) -> Result<S::Ok, S::Error> {
    match t {
        Some(t) => millis(t, s),
        None => s.serialize_none(),
    }
}

/// Serializes a timestamp in whole seconds (Desk Hive).
pub fn secs<S: Serializer>(t: &DateTime<Utc>, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&secs_string(t))
}

/// Serializes an optional timestamp in whole seconds; `None` becomes `null`.
pub fn secs_opt<S: Serializer>(t: &Option<DateTime<Utc>>, s: S) -> Result<S::Ok, S::Error> {
    match t {
        Some(t) => secs(t, s),
        None => s.serialize_none(),
    }
}

/// Parses a filter value that the docs call "ISO 8601": a calendar date (`2026-01-01`, taken as
/// midnight UTC), an RFC 3339 date-time with offset, or a date-time without offset (taken as
/// UTC, which is what the JavaScript `Date` behind Next Cap does with a trailing `Z` and what
/// users mean when they leave it off).
pub fn parse_iso8601(value: &str) -> Option<DateTime<Utc>> {
    if let Ok(d) = NaiveDate::parse_from_str(value, "%Y-%m-%d") {
        return d.and_hms_opt(0, 0, 0).map(|n| n.and_utc());
    }
    if let Ok(t) = DateTime::parse_from_rfc3339(value) {
        return Some(t.with_timezone(&Utc));
    }
    ["%Y-%m-%dT%H:%M:%S%.f", "%Y-%m-%dT%H:%M"]
        .iter()
        .find_map(|f| NaiveDateTime::parse_from_str(value, f).ok())
        .map(|n| n.and_utc())
}

/// Now, cut to whole milliseconds: the precision the wire carries. Rows stamped with it
/// compare with the filters a client builds from their JSON exactly as the client expects
/// (a row shown as `...00.123Z` is not "after" `created_after=...00.123Z`).
pub fn now() -> DateTime<Utc> {
    Utc::now().trunc_subsecs(3)
}

/// The current Unix time in milliseconds; the rate limiter's clock.
pub fn now_millis() -> u64 {
    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap_or_default();
    u64::try_from(now.as_millis()).unwrap_or(u64::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_and_parses() {
        let t = parse_iso8601("2026-03-15T10:30:00Z").expect("date-time");
        assert_eq!(millis_string(&t), "2026-03-15T10:30:00.000Z");
        assert_eq!(secs_string(&t), "2026-03-15T10:30:00Z");
        let d = parse_iso8601("2026-01-01").expect("date");
        assert_eq!(millis_string(&d), "2026-01-01T00:00:00.000Z");
        let o = parse_iso8601("2026-01-01T02:00:00+02:00").expect("offset");
        assert_eq!(o, d);
        assert!(parse_iso8601("2026-13-01").is_none());
        assert!(parse_iso8601("yesterday").is_none());
    }
}
