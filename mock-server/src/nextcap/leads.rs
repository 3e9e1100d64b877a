//! `GET /external/leads` and `GET /external/leads/{id}` (Data API keys).
//!
//! Filters: `source` (enum), `agent_id` (UUID), `email` (case-insensitive substring), plus the
//! shared paging and date window ([`super::list`]). Order: newest first, which is the order the
//! store keeps leads in, so a page is one scan even with 100,000 leads.

use crate::encode::Json;
use crate::store::cached::Cached;
use axum::response::IntoResponse;
use axum::{
    Extension,
    extract::{RawQuery, State},
};

use super::{
    Listed, PathId, Reply, Single, found,
    list::{list_query, org_of, path_id},
};
use crate::{
    auth::Principal,
    state::AppState,
    store::nextcap::{LEAD_SOURCES, Lead, LeadFilter},
};

/// `GET /external/leads`.
pub async fn list(
    State(state): State<AppState>,
    Extension(principal): Extension<Principal>,
    RawQuery(raw): RawQuery,
) -> Listed {
    let org = org_of(&principal)?;
    let (args, filter) = list_query(raw.as_deref(), |q, v| LeadFilter {
        source: v.check(q.one_of("source", &LEAD_SOURCES)).flatten().map(str::to_owned),
        agent_id: v.check(q.uuid("agent_id")).flatten(),
        email_lower: q.get("email").map(str::to_lowercase),
    })?;
    let inner = state.lock();
    let rows = inner.store.nextcap.leads.iter().filter(|l| l.org_id == org && filter.accepts(l));
    Ok(Json(args.page_of(rows, |row| row)).into_response())
}

/// `GET /external/leads/{id}`.
pub async fn get(
    State(state): State<AppState>,
    Extension(principal): Extension<Principal>,
    id: PathId,
) -> Reply<Single<Cached<Lead>>> {
    let (org, id) = (org_of(&principal)?, path_id(id, "Lead")?);
    let lead = state.lock().store.nextcap.leads.iter().find(|l| l.id == id && l.org_id == org).cloned();
    found(lead, "Lead")
}
