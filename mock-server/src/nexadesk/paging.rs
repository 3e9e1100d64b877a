//! What every NexaDesk list shares: `limit` (default 50, max 100), `cursor` with the `page`
//! fallback, `sort=field:direction` against each resource's allowed fields, and the
//! single-resource `?id=` of the API's style.
//!
//! The cursor is opaque to clients but simple here: the base64url (no padding) encoding of
//! the row offset as decimal text; the docs' example `MTA` decodes to `10`, the offset after
//! a first page of ten. A cursor wins over `page`; `page` means offset `(page - 1) * limit`.
//! A cursor that does not decode to an offset is a 400 naming `cursor`.

use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
use uuid::Uuid;

use super::{Page, Pagination, error::NdError};
use crate::query::{FieldError, Problem, QueryParams, Validator};

/// Default `limit`.
pub const DEFAULT_LIMIT: i64 = 50;
/// Largest `limit`.
pub const MAX_LIMIT: i64 = 100;

/// Encodes an offset as a cursor.
pub fn encode_cursor(offset: usize) -> String {
    URL_SAFE_NO_PAD.encode(offset.to_string())
}

/// Decodes a cursor into an offset.
pub fn decode_cursor(cursor: &str) -> Option<usize> {
    let bytes = URL_SAFE_NO_PAD.decode(cursor.trim_end_matches('=')).ok()?;
    let text = std::str::from_utf8(&bytes).ok()?;
    if text.is_empty() || !text.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    text.parse().ok()
}

/// `sort=field:direction` with `field` one of `fields` (their wire names, paired with the
/// store's sort key); `default` when absent. Returns the key and whether it is descending.
pub fn parse_sort<S: Copy>(value: Option<&str>, fields: &[(&str, S)], default: S) -> Result<(S, bool), FieldError> {
    let Some(value) = value else {
        return Ok((default, true));
    };
    let invalid = || {
        let names: Vec<&str> = fields.iter().map(|(name, _)| *name).collect();
        FieldError::new(
            "sort",
            Problem::Other(format!(
                "must be field:direction with field one of {} and direction asc or desc",
                names.join(", ")
            )),
        )
    };
    let (field, dir) = value.split_once(':').ok_or_else(invalid)?;
    let sort = fields.iter().find(|(name, _)| *name == field).map(|(_, s)| *s).ok_or_else(invalid)?;
    let descending = match dir {
        "desc" => true,
        "asc" => false,
        _ => return Err(invalid()),
    };
    Ok((sort, descending))
}

/// `(offset, limit)` from `limit` and `cursor` or `page`.
pub fn window(q: &QueryParams<'_>, v: &mut Validator) -> (usize, usize) {
    let limit = v.check(q.int("limit", DEFAULT_LIMIT, 1, MAX_LIMIT)).unwrap_or(DEFAULT_LIMIT);
    let limit = usize::try_from(limit).unwrap_or(1);
    let offset = match q.get("cursor") {
        Some(cursor) => v.check(
            decode_cursor(cursor).ok_or_else(|| FieldError::new("cursor", Problem::Other("invalid cursor".to_owned()))),
        ),
        None => v
            .check(q.int("page", 1, 1, i64::MAX))
            .map(|page| usize::try_from(page - 1).unwrap_or(usize::MAX).saturating_mul(limit)),
    };
    (offset.unwrap_or(0), limit)
}

/// The list envelope for one window.
pub fn page<T>(data: Vec<T>, total: usize, offset: usize, limit: usize) -> Page<T> {
    let has_more = offset.saturating_add(data.len()) < total;
    let pagination = Pagination {
        has_more,
        next_cursor: has_more.then(|| encode_cursor(offset + limit)),
        total_count: total,
        limit,
    };
    Page { success: true, data, pagination }
}

/// The `?id=` of a single-resource operation: missing or empty is 400; one that is not a
/// UUID cannot name a row, so it is the same 404 as an unknown one.
pub fn required_id(q: &QueryParams<'_>, noun: &str) -> Result<Uuid, NdError> {
    let id = optional_id(q, noun)?;
    id.ok_or_else(|| NdError::invalid("id", "is required"))
}

/// The `?id=` of a read that lists without it: `None` when absent.
pub fn optional_id(q: &QueryParams<'_>, noun: &str) -> Result<Option<Uuid>, NdError> {
    match q.get("id").map(str::trim) {
        None => Ok(None),
        Some("") => Err(NdError::invalid("id", "is required")),
        Some(text) => Uuid::parse_str(text).map(Some).map_err(|_| NdError::not_found(noun)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Clone, Copy, Debug, PartialEq)]
    enum Key {
        A,
        B,
    }

    #[test]
    fn cursor_is_base64url_of_the_offset() {
        assert_eq!(encode_cursor(10), "MTA");
        assert_eq!(decode_cursor("MTA"), Some(10));
        assert_eq!(decode_cursor("MTA="), Some(10));
        assert_eq!(decode_cursor("bm9wZQ"), None, "decodes to 'nope'");
        assert_eq!(decode_cursor("!!!"), None);
    }

    #[test]
    fn sort_takes_only_the_allowed_fields() {
        let fields = [("a", Key::A), ("b", Key::B)];
        assert_eq!(parse_sort(Some("b:asc"), &fields, Key::A), Ok((Key::B, false)));
        assert_eq!(parse_sort(None, &fields, Key::A), Ok((Key::A, true)));
        assert!(parse_sort(Some("c:desc"), &fields, Key::A).is_err());
        assert!(parse_sort(Some("a"), &fields, Key::A).is_err());
        assert!(parse_sort(Some("a:up"), &fields, Key::A).is_err());
    }
}
