//! A call request's preferred time window, `HH:MM-HH:MM` on the wire.
//!
//! Parsed into two [`NaiveTime`]s rather than kept as text, so a CRM can schedule the call
//! without parsing it again; the format is checked strictly, and a value that does not match
//! fails the decode at its path instead of surfacing later as a wrong time.

use std::fmt;
use std::str::FromStr;

use chrono::{NaiveTime, Timelike};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A 24-hour time range in the visitor's local time zone (see the call request's `timezone`).
///
/// `end` may be earlier than `start` for a window that crosses midnight.
///
/// ```
/// use deskapi::nextcap::TimeWindow;
/// let w: TimeWindow = "09:00-09:30".parse().unwrap();
/// assert_eq!(w.start.to_string(), "09:00:00");
/// assert_eq!(w.to_string(), "09:00-09:30");
/// assert!("9:00-9:30".parse::<TimeWindow>().is_err());
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct TimeWindow {
    /// Start of the window.
    pub start: NaiveTime,
    /// End of the window.
    pub end: NaiveTime,
}

/// Why a text is not an `HH:MM-HH:MM` window.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("`{0}` is not a time window of the form HH:MM-HH:MM (24-hour)")]
pub struct TimeWindowError(String);

impl FromStr for TimeWindow {
    type Err = TimeWindowError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let fail = || TimeWindowError(s.to_owned());
        let (start, end) = s.split_once('-').ok_or_else(fail)?;
        Ok(TimeWindow { start: hh_mm(start).ok_or_else(fail)?, end: hh_mm(end).ok_or_else(fail)? })
    }
}

/// Exactly two digits, a colon, two digits; chrono alone would also take `9:5`.
fn hh_mm(s: &str) -> Option<NaiveTime> {
    let b = s.as_bytes();
    let shaped = b.len() == 5 && b[2] == b':' && [0, 1, 3, 4].iter().all(|&i| b[i].is_ascii_digit());
    let digits = |i: usize| u32::from(b[i] - b'0') * 10 + u32::from(b[i + 1] - b'0');
    if shaped { NaiveTime::from_hms_opt(digits(0), digits(3), 0) } else { None }
}

impl fmt::Display for TimeWindow {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (s, e) = (self.start, self.end);
        write!(f, "{:02}:{:02}-{:02}:{:02}", s.hour(), s.minute(), e.hour(), e.minute())
    }
}

impl Serialize for TimeWindow {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for TimeWindow {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = <std::borrow::Cow<'de, str>>::deserialize(d)?;
        text.parse().map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_prints_round_trip() {
        let w: TimeWindow = "23:30-00:15".parse().unwrap();
        assert_eq!(
            (w.start, w.end),
            (NaiveTime::from_hms_opt(23, 30, 0).unwrap(), NaiveTime::from_hms_opt(0, 15, 0).unwrap())
        );
        assert_eq!(w.to_string(), "23:30-00:15");
        assert_eq!(serde_json::to_string(&w).unwrap(), r#""23:30-00:15""#);
        assert_eq!(serde_json::from_str::<TimeWindow>(r#""23:30-00:15""#).unwrap(), w);
    }

    #[test]
    fn rejects_anything_else() {
        for bad in [
            "",
            "09:00",
            "09:00-",
            "9:00-09:30",
            "09:00-09:3",
            "24:00-25:00",
            "09:60-10:00",
            "09:00 - 09:30",
            "0a:00-09:30",
            "09:00-09:30-10:00",
        ] {
            assert!(bad.parse::<TimeWindow>().is_err(), "{bad}");
        }
    }
}
