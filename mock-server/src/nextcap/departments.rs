//! `GET /external/departments` (every active department, whole, without `meta`, as the
//! documented example shows) and `GET /external/departments/{id}` (active or not: tickets keep
//! pointing at a department after it is switched off, and their `department_id` must resolve).

use axum::{Extension, Json, extract::State};

use super::{
    PathId, Reply, Single, Whole, found,
    list::{org_of, path_id},
};
use crate::{auth::Principal, state::AppState, store::nextcap::Department};

/// `GET /external/departments`.
pub async fn list(
    State(state): State<AppState>,
    Extension(principal): Extension<Principal>,
) -> Reply<Whole<Department>> {
    let org = org_of(&principal)?;
    let inner = state.lock();
    let data = inner.store.nextcap.departments.iter().filter(|d| d.org_id == org && d.is_active).cloned().collect();
    Ok(Json(Single { data }))
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
