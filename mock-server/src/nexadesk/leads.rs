//! `GET /leads`: cursor pagination with a `page` fallback, stage filter, search and sort.
//!
//! The cursor is opaque to clients but simple here: the base64url (no padding) encoding of
//! the row offset as decimal text; the docs' example `MTA` decodes to `10`, the offset after
//! a first page of ten. A cursor wins over `page`; `page` means offset `(page - 1) * limit`.
//! A cursor that does not decode to an offset is a 400 naming `cursor`.

use axum::extract::RawQuery;
use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};

use super::{Page, Pagination, Workspace, error::NdError};
use crate::{
    encode::JsonBody,
    query::{FieldError, Problem, QueryParams, Validator},
    store::nexadesk::{Lead, LeadQuery, LeadSort, STAGES},
};

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

fn parse_sort(value: Option<&str>) -> Result<(LeadSort, bool), FieldError> {
    let Some(value) = value else {
        return Ok((LeadSort::CreatedAt, true));
    };
    let invalid = || {
        FieldError::new(
            "sort",
            Problem::Other(
                "must be field:direction with field one of created_at, updated_at, lead_score, \
                 visitor_name and direction asc or desc"
                    .to_owned(),
            ),
        )
    };
    let (field, dir) = value.split_once(':').ok_or_else(invalid)?;
    let sort = match field {
        "created_at" => LeadSort::CreatedAt,
        "updated_at" => LeadSort::UpdatedAt,
        "lead_score" => LeadSort::LeadScore,
        "visitor_name" => LeadSort::VisitorName,
        _ => return Err(invalid()),
    };
    let descending = match dir {
        "desc" => true,
        "asc" => false,
        _ => return Err(invalid()),
    };
    Ok((sort, descending))
}

/// `GET /leads`.
pub async fn list(workspace: Workspace, RawQuery(raw): RawQuery) -> Result<JsonBody<Page<Lead>>, NdError> {
    let q = QueryParams::parse(raw.as_deref());
    let mut v = Validator::default();
    let limit = v.check(q.int("limit", DEFAULT_LIMIT, 1, MAX_LIMIT)).unwrap_or(DEFAULT_LIMIT);
    let limit = usize::try_from(limit).unwrap_or(1);
    let stage = v.check(q.one_of("stage", &STAGES)).flatten();
    let sort = v.check(parse_sort(q.get("sort")));
    let offset = match q.get("cursor") {
        Some(cursor) => v.check(
            decode_cursor(cursor).ok_or_else(|| FieldError::new("cursor", Problem::Other("invalid cursor".to_owned()))),
        ),
        None => v
            .check(q.int("page", 1, 1, i64::MAX))
            .map(|page| usize::try_from(page - 1).unwrap_or(usize::MAX).saturating_mul(limit)),
    };
    v.finish()?;
    let (Some((sort, descending)), Some(offset)) = (sort, offset) else {
        return Err(NdError::invalid("query", "invalid parameters"));
    };
    let query =
        LeadQuery { stage: stage.map(str::to_owned), search: q.get("search").map(str::to_owned), sort, descending };
    let (data, total) = workspace.read(|v| v.leads(&query, offset, limit));
    let has_more = offset.saturating_add(data.len()) < total;
    let pagination = Pagination {
        has_more,
        next_cursor: has_more.then(|| encode_cursor(offset + limit)),
        total_count: total,
        limit,
    };
    Ok(JsonBody(Page { success: true, data, pagination }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cursor_is_base64url_of_the_offset() {
        assert_eq!(encode_cursor(10), "MTA");
        assert_eq!(decode_cursor("MTA"), Some(10));
        assert_eq!(decode_cursor("MTA="), Some(10));
        assert_eq!(decode_cursor("bm9wZQ"), None, "decodes to 'nope'");
        assert_eq!(decode_cursor("!!!"), None);
        assert_eq!(parse_sort(Some("lead_score:asc")), Ok((LeadSort::LeadScore, false)));
        assert!(parse_sort(Some("name:desc")).is_err());
        assert!(parse_sort(Some("created_at")).is_err());
    }
}
