//! Query-string parsing with precise per-field errors.
//!
//! axum's `Query<T>` rejects a whole request with one generic message; the APIs instead name
//! the offending field (`per_page`, `created_after`, ...), each in its own envelope. So handlers
//! take the raw query, [`QueryParams::parse`] it into name/value pairs (this never fails:
//! malformed percent-escapes decode lossily, as browsers and Express do), and pull typed values
//! out with the helpers below, which return a [`FieldError`] the API's error type renders.
//!
//! An empty value (`?email=`) counts as absent, the way Express and Laravel treat empty filters.

use std::borrow::Cow;

use chrono::{DateTime, NaiveDate, Utc};
use uuid::Uuid;

use crate::time_fmt::parse_iso8601;

/// One invalid field.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FieldError {
    /// The query parameter (or body field) name.
    pub field: String,
    /// What is wrong, without the field name.
    pub problem: Problem,
}

/// What is wrong with a field; each API words these its own way.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Problem {
    /// Not an integer.
    NotInteger,
    /// An integer below the minimum.
    TooSmall(i64),
    /// An integer above the maximum.
    TooLarge(i64),
    /// Not one of the allowed values.
    NotOneOf(Vec<&'static str>),
    /// Not a UUID.
    NotUuid,
    /// Not an ISO 8601 date or date-time.
    NotDate,
    /// Anything else, already worded.
    Other(String),
}

impl FieldError {
    /// Builds an error for `field`.
    pub fn new(field: &str, problem: Problem) -> FieldError {
        FieldError { field: field.to_owned(), problem }
    }

    /// Plain English, used by Next Cap and NexaDesk (`must be an integer`).
    pub fn message(&self) -> String {
        match &self.problem {
            Problem::NotInteger => "must be an integer".to_owned(),
            Problem::TooSmall(min) => format!("must be greater than or equal to {min}"),
            Problem::TooLarge(max) => format!("must be less than or equal to {max}"),
            Problem::NotOneOf(allowed) => format!("must be one of: {}", allowed.join(", ")),
            Problem::NotUuid => "must be a valid UUID".to_owned(),
            Problem::NotDate => "must be an ISO 8601 date or date-time".to_owned(),
            Problem::Other(text) => text.clone(),
        }
    }
}

/// The request-target of `uri` as received: path and query (RFC 9112 section 3.2), or the
/// path alone.
pub fn request_target(uri: &axum::http::Uri) -> &str {
    uri.path_and_query().map_or_else(|| uri.path(), |p| p.as_str())
}

/// The decoded query string. Names and values borrow from the raw query unless they needed
/// decoding (`%20`, `+`), which most do not.
#[derive(Clone, Debug, Default)]
pub struct QueryParams<'a> {
    pairs: Vec<(Cow<'a, str>, Cow<'a, str>)>,
}

impl<'a> QueryParams<'a> {
    /// Decodes `a=1&b=x%20y`; never fails.
    pub fn parse(raw: Option<&'a str>) -> QueryParams<'a> {
        let pairs = raw.map(|q| url::form_urlencoded::parse(q.as_bytes()).collect()).unwrap_or_default();
        QueryParams { pairs }
    }

    /// The first non-empty value of `name`.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.pairs.iter().find(|(k, v)| k == name && !v.is_empty()).map(|(_, v)| v.as_ref())
    }

    /// An integer in `min..=max`, or `default` when absent.
    pub fn int(&self, name: &str, default: i64, min: i64, max: i64) -> Result<i64, FieldError> {
        let Some(raw) = self.get(name) else {
            return Ok(default);
        };
        let n: i64 = raw.trim().parse().map_err(|_| FieldError::new(name, Problem::NotInteger))?;
        if n < min {
            return Err(FieldError::new(name, Problem::TooSmall(min)));
        }
        if n > max {
            return Err(FieldError::new(name, Problem::TooLarge(max)));
        }
        Ok(n)
    }

    /// An optional integer of at least `min` (ids).
    pub fn opt_int(&self, name: &str, min: i64) -> Result<Option<i64>, FieldError> {
        match self.get(name) {
            None => Ok(None),
            Some(_) => self.int(name, 0, min, i64::MAX).map(Some),
        }
    }

    /// One of `allowed` (exact, case-sensitive like the real APIs), when present.
    pub fn one_of(&self, name: &str, allowed: &[&'static str]) -> Result<Option<&'static str>, FieldError> {
        match self.get(name) {
            None => Ok(None),
            Some(v) => allowed
                .iter()
                .find(|a| **a == v)
                .copied()
                .map(Some)
                .ok_or_else(|| FieldError::new(name, Problem::NotOneOf(allowed.to_vec()))),
        }
    }

    /// A UUID, when present.
    pub fn uuid(&self, name: &str) -> Result<Option<Uuid>, FieldError> {
        match self.get(name) {
            None => Ok(None),
            Some(v) => Uuid::parse_str(v.trim()).map(Some).map_err(|_| FieldError::new(name, Problem::NotUuid)),
        }
    }

    /// `true` or `false` (exactly; JSON's spelling, which is what the contracts' boolean
    /// query parameters send), when present.
    pub fn boolean(&self, name: &str) -> Result<Option<bool>, FieldError> {
        match self.get(name) {
            None => Ok(None),
            Some("true") => Ok(Some(true)),
            Some("false") => Ok(Some(false)),
            Some(_) => Err(FieldError::new(name, Problem::Other("must be true or false".to_owned()))),
        }
    }

    /// A required calendar date, exactly `YYYY-MM-DD`.
    pub fn required_date(&self, name: &str) -> Result<NaiveDate, FieldError> {
        let Some(v) = self.get(name) else {
            return Err(FieldError::new(name, Problem::Other("is required (YYYY-MM-DD)".to_owned())));
        };
        // chrono alone would accept `2026-5-1`; the documented format has fixed widths.
        let shaped = v.len() == 10 && v.as_bytes()[4] == b'-' && v.as_bytes()[7] == b'-';
        NaiveDate::parse_from_str(v, "%Y-%m-%d")
            .ok()
            .filter(|_| shaped)
            .ok_or_else(|| FieldError::new(name, Problem::Other("must be a date in YYYY-MM-DD form".to_owned())))
    }

    /// An ISO 8601 date or date-time, when present.
    pub fn datetime(&self, name: &str) -> Result<Option<DateTime<Utc>>, FieldError> {
        match self.get(name) {
            None => Ok(None),
            Some(v) => parse_iso8601(v.trim()).map(Some).ok_or_else(|| FieldError::new(name, Problem::NotDate)),
        }
    }
}

/// Collects every field error of a request, so the response names all of them at once
/// (Next Cap's `details` and Laravel's `errors` list every bad field, not just the first).
#[derive(Debug, Default)]
pub struct Validator {
    errors: Vec<FieldError>,
}

impl Validator {
    /// Keeps the value, or records the error and yields `None`.
    pub fn check<T>(&mut self, result: Result<T, FieldError>) -> Option<T> {
        result.map_err(|e| self.errors.push(e)).ok()
    }

    /// Records an error found outside the helpers.
    pub fn push(&mut self, error: FieldError) {
        self.errors.push(error);
    }

    /// `Ok` when nothing was wrong, else every error in field order of checking.
    pub fn finish(self) -> Result<(), Vec<FieldError>> {
        if self.errors.is_empty() { Ok(()) } else { Err(self.errors) }
    }
}

/// `total / per_page` rounded up; 0 when there is nothing.
pub fn page_count(total: usize, per_page: usize) -> usize {
    total.div_ceil(per_page.max(1))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typed_values_and_field_errors() {
        let q = QueryParams::parse(Some("page=2&per_page=abc&source=chat&email=&id=x%20y"));
        assert_eq!(q.int("page", 1, 1, i64::MAX), Ok(2));
        assert_eq!(q.int("per_page", 20, 1, 100).unwrap_err().field, "per_page");
        assert_eq!(q.get("email"), None);
        assert_eq!(q.get("id"), Some("x y"));
        let err = q.one_of("source", &["in_chat", "manual"]).unwrap_err();
        assert_eq!(err.message(), "must be one of: in_chat, manual");
        assert_eq!(
            QueryParams::parse(Some("per_page=0")).int("per_page", 20, 1, 100),
            Err(FieldError::new("per_page", Problem::TooSmall(1)))
        );
        assert!(QueryParams::parse(Some("d=nope")).datetime("d").is_err());
        assert!(QueryParams::parse(Some("%zz=%%")).pairs.len() == 1);
        let b = QueryParams::parse(Some("a=true&b=false&c=yes&d=2026-05-01&e=2026-5-1&f=2026-02-30"));
        assert_eq!((b.boolean("a"), b.boolean("b"), b.boolean("z")), (Ok(Some(true)), Ok(Some(false)), Ok(None)));
        assert_eq!(b.boolean("c").unwrap_err().field, "c");
        assert_eq!(b.required_date("d").map(|d| d.to_string()), Ok("2026-05-01".to_owned()));
        for bad in ["e", "f", "missing"] {
            assert_eq!(b.required_date(bad).unwrap_err().field, bad);
        }
        assert_eq!(page_count(0, 20), 0);
        assert_eq!(page_count(41, 20), 3);
    }
}
