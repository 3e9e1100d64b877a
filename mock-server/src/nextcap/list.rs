//! What every Data API list and lookup shares, so each endpoint is only its own filters.
//!
//! - [`list_query`] parses the shared arguments (`page` >= 1, `per_page` 1-100,
//!   `created_after` / `created_before` as ISO 8601 dates or date-times, both exclusive) and
//!   the endpoint's own filters in one go, so one 400 names every bad field at once.
//! - [`ListArgs::page_of`] applies the date window to rows already in the endpoint's order and
//!   cuts one page out in a single pass, rendering only the rows on the page (a page past the
//!   end is an empty page, not an error). Rows can be rendered as borrows and the page encoded
//!   while the store's lock is held ([`Listed`]): cloning every row only to serialize it was a
//!   large share of a list request's cost.
//! - [`path_id`] turns a path id into a UUID; a malformed id is as absent as an unknown one or
//!   another organisation's (one 404 for all three, so nothing leaks).
//! - [`org_of`] is the tenant of the calling Data API key.

use axum::extract::{Path, rejection::PathRejection};
use uuid::Uuid;

use super::{PageMeta, Paged, error::NcError};
use crate::{
    auth::Principal,
    keys::Grant,
    query::{QueryParams, Validator},
    store::nextcap::{Row, Window},
};

/// Largest `per_page`.
pub const MAX_PER_PAGE: i64 = 100;
/// Default `per_page`.
pub const DEFAULT_PER_PAGE: i64 = 20;

/// The arguments every paginated list takes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ListArgs {
    /// Requested page, from 1.
    pub page: usize,
    /// Page size, 1-100.
    pub per_page: usize,
    /// `created_after` / `created_before`.
    pub window: Window,
}

impl ListArgs {
    /// Reads the shared arguments, recording bad ones in `v`.
    pub fn parse(q: &QueryParams, v: &mut Validator) -> ListArgs {
        let page = v.check(q.int("page", 1, 1, i64::MAX)).unwrap_or(1);
        let per_page = v.check(q.int("per_page", DEFAULT_PER_PAGE, 1, MAX_PER_PAGE)).unwrap_or(DEFAULT_PER_PAGE);
        let window = Window {
            after: v.check(q.datetime("created_after")).flatten(),
            before: v.check(q.datetime("created_before")).flatten(),
        };
        // Both are validated positive and per_page <= 100; the conversions cannot truncate.
        let to_usize = |n: i64| usize::try_from(n).unwrap_or(usize::MAX);
        ListArgs { page: to_usize(page), per_page: to_usize(per_page), window }
    }

    /// One page of `rows` (already filtered by the endpoint and in its order) inside the date
    /// window, each rendered with `render`, and the number of rows that matched.
    pub fn page_of<'a, R, T>(&self, rows: impl Iterator<Item = &'a R>, mut render: impl FnMut(&'a R) -> T) -> Paged<T>
    where
        R: Row + 'a,
    {
        let offset = (self.page - 1).saturating_mul(self.per_page);
        let mut data = Vec::new();
        let mut total = 0;
        for row in rows.filter(|r| self.window.contains(r.created_at())) {
            if total >= offset && data.len() < self.per_page {
                data.push(render(row));
            }
            total += 1;
        }
        Paged { data, meta: PageMeta::new(self.page, self.per_page, total) }
    }
}

/// Parses a list request's query: the shared arguments plus the endpoint's own `filters`.
/// Every bad field is reported in one 400.
pub fn list_query<F>(
    raw: Option<&str>,
    filters: impl FnOnce(&QueryParams, &mut Validator) -> F,
) -> Result<(ListArgs, F), NcError> {
    let q = QueryParams::parse(raw);
    let mut v = Validator::default();
    let args = ListArgs::parse(&q, &mut v);
    let filters = filters(&q, &mut v);
    v.finish()?;
    Ok((args, filters))
}

/// `"{noun} not found"`, the one 404 every lookup gives.
pub fn not_found(noun: &str) -> NcError {
    NcError::not_found(format!("{noun} not found"))
}

/// The UUID in a path; anything else is the same 404 as an unknown id.
pub fn path_id(id: Result<Path<String>, PathRejection>, noun: &str) -> Result<Uuid, NcError> {
    let Path(id) = id.map_err(|_| not_found(noun))?;
    Uuid::parse_str(&id).map_err(|_| not_found(noun))
}

/// The organisation a Data API principal belongs to.
pub fn org_of(principal: &Principal) -> Result<Uuid, NcError> {
    match principal.grant {
        Grant::NextCapData { org_id } => Ok(org_id),
        // The pipeline only lets data keys through to data routes; this is defence in depth.
        _ => Err(NcError::unauthorized("Invalid API key")),
    }
}
