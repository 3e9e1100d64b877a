//! Timestamp wire formats.
//!
//! Next Cap and NexaDesk write `2026-03-15T10:30:00.000Z` (milliseconds, `Z`), Desk Hive writes
//! Laravel's `2026-03-14T09:00:00Z` (whole seconds). The store keeps `DateTime<Utc>` and the
//! models pick a format with `#[serde(serialize_with = ...)]`, so one instant never has two
//! spellings inside one API. Parsing of the filters' ISO 8601 input lives here too, because
//! "what counts as a date" is a wire-format question.

use chrono::{DateTime, NaiveDate, NaiveDateTime, SecondsFormat, Utc};
use serde::Serializer;

/// `2026-03-15T10:30:00.000Z`, the Next Cap / NexaDesk spelling.
pub fn millis_string(t: &DateTime<Utc>) -> String {
    match Millis::of(t) {
        Some(m) => m.as_str().to_owned(),
        None => t.to_rfc3339_opts(SecondsFormat::Millis, true),
    }
}

/// Year, month, day of the `days`-th day since 1970-01-01 (proleptic Gregorian), by the
/// well-known era arithmetic (400-year cycles of 146,097 days, years starting in March):
/// direct integer maths, where chrono's getters go through its general calendar types.
fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (yoe + era * 400 + i64::from(month <= 2), month, day)
}

/// `YYYY-MM-DDTHH:MM:SS.mmmZ` on the stack: every timestamp of every response goes through
/// here, and chrono's general formatter allocates a `String` per call.
struct Millis([u8; 24]);

impl Millis {
    /// `None` for years outside 0..=9999, which need chrono's wider format.
    fn of(t: &DateTime<Utc>) -> Option<Millis> {
        let secs = t.timestamp();
        let (year, month, day) = civil_from_days(secs.div_euclid(86_400));
        let year = u32::try_from(year).ok().filter(|y| *y <= 9999)?;
        let of_day = secs.rem_euclid(86_400) as u32;
        // chrono keeps a leap second as :59 with 1000+ ms; it is shown as :60.
        let (leap, millis) = match t.timestamp_subsec_millis() {
            ms @ 0..=999 => (0, ms),
            ms => (1, ms - 1000),
        };
        let mut b = *b"0000-00-00T00:00:00.000Z";
        let mut put = |at: usize, width: usize, mut n: u32| {
            for i in (at..at + width).rev() {
                b[i] = b'0' + (n % 10) as u8;
                n /= 10;
            }
        };
        put(0, 4, year);
        put(5, 2, month);
        put(8, 2, day);
        put(11, 2, of_day / 3600);
        put(14, 2, of_day % 3600 / 60);
        put(17, 2, of_day % 60 + leap);
        put(20, 3, millis);
        Some(Millis(b))
    }

    fn as_str(&self) -> &str {
        // Only ASCII digits and separators were written.
        std::str::from_utf8(&self.0).unwrap_or("")
    }
}

/// `2026-03-15T10:30:00Z`, the Desk Hive (Laravel) spelling.
pub fn secs_string(t: &DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Secs, true)
}

/// Serializes a timestamp with milliseconds (Next Cap, NexaDesk).
pub fn millis<S: Serializer>(t: &DateTime<Utc>, s: S) -> Result<S::Ok, S::Error> {
    match Millis::of(t) {
        Some(m) => s.serialize_str(m.as_str()),
        None => s.serialize_str(&t.to_rfc3339_opts(SecondsFormat::Millis, true)),
    }
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

/// The current Unix time in milliseconds: the rate limiter's clock, which keeps real time on
/// purpose (advancing the mock's [`crate::Clock`] must not empty every bucket). Timestamps the
/// mock writes come from that clock instead.
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

    #[test]
    fn the_fast_formatter_agrees_with_chrono() {
        // Spread over years 1970-2099, with every millisecond remainder pattern.
        let mut secs: i64 = 0;
        for i in 0..20_000i64 {
            secs = (secs + 197_731 * (i % 97 + 1)) % 4_102_444_800;
            let t = DateTime::from_timestamp(secs, ((i * 7_919) % 1000) as u32 * 1_000_000).expect("in range");
            assert_eq!(millis_string(&t), t.to_rfc3339_opts(SecondsFormat::Millis, true), "{secs}");
        }
        for days in [-719_468i64, -1, 0, 59, 60, 11_016, 2_932_896] {
            let t = DateTime::from_timestamp(days * 86_400 + 43_200, 5_000_000).expect("in range");
            assert_eq!(millis_string(&t), t.to_rfc3339_opts(SecondsFormat::Millis, true), "day {days}");
        }
        let far = DateTime::from_timestamp(253_402_300_800, 0).expect("year 10000");
        assert_eq!(millis_string(&far), far.to_rfc3339_opts(SecondsFormat::Millis, true));
    }
}
