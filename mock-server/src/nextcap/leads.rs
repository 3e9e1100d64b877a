//! `GET /external/leads` and `GET /external/leads/{id}` (Data API keys).
//!
//! Paging: `page` >= 1 (default 1), `per_page` 1-100 (default 20); a page past the end is an
//! empty page, not an error. Filters: `created_after` / `created_before` (ISO 8601 date or
//! date-time, both exclusive), `source` (enum), `agent_id` (UUID), `email` (case-insensitive
//! substring). Order: `created_at` descending, then `id`.
//!
//! A lead id that is not a UUID, belongs to another organisation or does not exist is 404
//! with the same message: answering 400 for a malformed id would be harmless, but one answer
//! for "not yours" and "not there" is the rule that avoids existence leaks, so we keep it
//! uniform.

use axum::{
    Extension, Json,
    extract::{Path, RawQuery, State, rejection::PathRejection},
};
use uuid::Uuid;

use super::{PageMeta, Paged, Single, data_org, error::NcError};
use crate::{
    auth::Principal,
    query::{QueryParams, Validator},
    state::AppState,
    store::nextcap::{LEAD_SOURCES, Lead, LeadFilter},
};

/// Largest `per_page`.
pub const MAX_PER_PAGE: i64 = 100;
/// Default `per_page`.
pub const DEFAULT_PER_PAGE: i64 = 20;

/// `GET /external/leads`.
pub async fn list(
    State(state): State<AppState>,
    Extension(principal): Extension<Principal>,
    RawQuery(raw): RawQuery,
) -> Result<Json<Paged<Lead>>, NcError> {
    let org_id = data_org(&principal)?;
    let q = QueryParams::parse(raw.as_deref());
    let mut v = Validator::default();
    let page = v.check(q.int("page", 1, 1, i64::MAX)).unwrap_or(1);
    let per_page = v.check(q.int("per_page", DEFAULT_PER_PAGE, 1, MAX_PER_PAGE)).unwrap_or(DEFAULT_PER_PAGE);
    let filter = LeadFilter {
        created_after: v.check(q.datetime("created_after")).flatten(),
        created_before: v.check(q.datetime("created_before")).flatten(),
        source: v.check(q.one_of("source", &LEAD_SOURCES)).flatten().map(str::to_owned),
        agent_id: v.check(q.uuid("agent_id")).flatten(),
        email: q.get("email").map(str::to_owned),
    };
    v.finish()?;
    // Both are validated positive and per_page <= 100; the conversions cannot truncate.
    let (page, per_page) = (to_usize(page), to_usize(per_page));
    let offset = (page - 1).saturating_mul(per_page);
    let (data, total) = state.lock().store.nextcap.list_leads(org_id, &filter, offset, per_page);
    Ok(Json(Paged { data, meta: PageMeta::new(page, per_page, total) }))
}

/// `GET /external/leads/{id}`.
pub async fn get(
    State(state): State<AppState>,
    Extension(principal): Extension<Principal>,
    id: Result<Path<String>, PathRejection>,
) -> Result<Json<Single<Lead>>, NcError> {
    let org_id = data_org(&principal)?;
    let Path(id) = id?;
    let not_found = || NcError::not_found("Lead not found");
    let id = Uuid::parse_str(&id).map_err(|_| not_found())?;
    let lead = state.lock().store.nextcap.lead(org_id, id).cloned();
    lead.map(|data| Json(Single { data })).ok_or_else(not_found)
}

fn to_usize(n: i64) -> usize {
    usize::try_from(n).unwrap_or(usize::MAX)
}
