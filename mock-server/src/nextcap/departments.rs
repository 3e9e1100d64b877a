//! `GET /external/departments` (the active departments, oldest first, paginated and
//! date-filtered like every list: the document says all lists are, although its example shows
//! no `meta`) and `GET /external/departments/{id}` (active or not: tickets keep pointing at a
//! department after it is switched off, and their `department_id` must resolve).

use crate::encode::Json;
use axum::response::IntoResponse;
use axum::{
    Extension,
    extract::{RawQuery, State},
};

use super::{
    Listed, PathId, Reply, Single, found,
    list::{list_query, org_of, path_id},
};
use crate::{auth::Principal, state::AppState, store::nextcap::Department};

/// `GET /external/departments`.
pub async fn list(
    State(state): State<AppState>,
    Extension(principal): Extension<Principal>,
    RawQuery(raw): RawQuery,
) -> Listed {
    let org = org_of(&principal)?;
    let (args, ()) = list_query(raw.as_deref(), |_, _| ())?;
    let inner = state.lock();
    let active = inner.store.nextcap.departments.iter().filter(|d| d.org_id == org && d.is_active);
    Ok(Json(args.page_of(active, |row| row)).into_response())
}

/// `GET /external/departments/{id}`.
pub async fn get(
    State(state): State<AppState>,
    Extension(principal): Extension<Principal>,
    id: PathId,
) -> Reply<Single<Department>> {
    let (org, id) = (org_of(&principal)?, path_id(id, "Department")?);
    found(state.lock().store.nextcap.department(org, id).cloned(), "Department")
}
