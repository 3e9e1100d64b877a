//! `GET /external/visitors`, `/visitors/{id}`, `/visitors/{id}/sessions` and
//! `/visitors/{id}/profile`.
//!
//! Filters: `country` (two letters, ISO 3166-1 alpha-2, matched case-insensitively, as the
//! contract's pattern allows `de` as well as `DE`) and `has_email` (`true` / `false`).
//! Visitors and their sessions come newest first. The profile is derived from the visitor's
//! conversations; a visitor without any has none yet (404).

use crate::encode::Json;
use axum::response::IntoResponse;
use axum::{
    Extension,
    extract::{RawQuery, State},
};

use super::{
    Listed, PathId, Reply, Single, found,
    list::{list_query, not_found, org_of, path_id},
};
use crate::{
    auth::Principal,
    query::{FieldError, Problem},
    state::AppState,
    store::nextcap::{Visitor, VisitorFilter, VisitorProfile, VisitorSession},
};

const NOUN: &str = "Visitor";

/// `GET /external/visitors`.
pub async fn list(
    State(state): State<AppState>,
    Extension(principal): Extension<Principal>,
    RawQuery(raw): RawQuery,
) -> Listed {
    let org = org_of(&principal)?;
    let (args, filter) = list_query(raw.as_deref(), |q, v| VisitorFilter {
        country: q.get("country").and_then(|c| v.check(country(c))),
        has_email: v.check(q.boolean("has_email")).flatten(),
    })?;
    let inner = state.lock();
    let rows = inner.store.nextcap.visitors.iter().filter(|v| v.org_id == org && filter.accepts(v));
    Ok(Json(args.page_of(rows, |row| row)).into_response())
}

/// Two ASCII letters, upper-cased.
fn country(raw: &str) -> Result<String, FieldError> {
    let code = raw.trim();
    if code.len() == 2 && code.bytes().all(|b| b.is_ascii_alphabetic()) {
        Ok(code.to_ascii_uppercase())
    } else {
        Err(FieldError::new("country", Problem::Other("must be a two-letter ISO 3166-1 code such as US".to_owned())))
    }
}

/// `GET /external/visitors/{id}`.
pub async fn get(
    State(state): State<AppState>,
    Extension(principal): Extension<Principal>,
    id: PathId,
) -> Reply<Single<Visitor>> {
    let (org, id) = (org_of(&principal)?, path_id(id, NOUN)?);
    found(state.lock().store.nextcap.visitor(org, id).cloned(), NOUN)
}

/// `GET /external/visitors/{id}/sessions`.
pub async fn sessions(
    State(state): State<AppState>,
    Extension(principal): Extension<Principal>,
    id: PathId,
    RawQuery(raw): RawQuery,
) -> Listed {
    let (org, id) = (org_of(&principal)?, path_id(id, NOUN)?);
    let (args, ()) = list_query(raw.as_deref(), |_, _| ())?;
    let inner = state.lock();
    let store = &inner.store.nextcap;
    store.visitor(org, id).ok_or_else(|| not_found(NOUN))?;
    let mut rows: Vec<&VisitorSession> = store.sessions.iter().filter(|s| s.visitor_id == id).collect();
    rows.sort_by_key(|s| std::cmp::Reverse(s.started_at));
    Ok(Json(args.page_of(rows.into_iter(), |row| row)).into_response())
}

/// `GET /external/visitors/{id}/profile`.
pub async fn profile(
    State(state): State<AppState>,
    Extension(principal): Extension<Principal>,
    id: PathId,
) -> Reply<Single<VisitorProfile>> {
    let (org, id) = (org_of(&principal)?, path_id(id, NOUN)?);
    let inner = state.lock();
    let store = &inner.store.nextcap;
    let visitor = store.visitor(org, id).ok_or_else(|| not_found(NOUN))?;
    found(store.visitor_profile(visitor), "Visitor profile")
}
