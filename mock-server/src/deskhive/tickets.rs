//! `GET /external/tickets`: the tickets assigned to the key's agent (as assignee or among the
//! ticket's `agents`), newest first, Laravel-paginated (`per_page` 1-100, default 15; `page`
//! >= 1, default 1), filtered by `status`, `priority` and `department_id`.
//!
//! `GET /external/tickets/{id}`: one ticket as `{"data": ...}`. Another agent's ticket is 403
//! (a Laravel policy refuses, the row exists); an unknown or non-integer id is 404 (route-model
//! binding finds nothing).

use axum::{
    extract::{Path, RawQuery, rejection::PathRejection},
    http::StatusCode,
};
use serde::Serialize;

use super::{Agent, LaravelMeta, LaravelPage, error::DhError};
use crate::{
    encode::JsonBody,
    query::{QueryParams, Validator},
    store::deskhive::{PRIORITIES, STATUSES, TicketAccess, TicketFilter, TicketResource},
};

/// Default `per_page`.
pub const DEFAULT_PER_PAGE: i64 = 15;
/// Largest `per_page` (undocumented; our decision, the common Laravel cap).
pub const MAX_PER_PAGE: i64 = 100;

/// `GET /external/tickets`.
pub async fn list(agent: Agent, RawQuery(raw): RawQuery) -> Result<JsonBody<LaravelPage<TicketResource>>, DhError> {
    let q = QueryParams::parse(raw.as_deref());
    let mut v = Validator::default();
    let per_page = v.check(q.int("per_page", DEFAULT_PER_PAGE, 1, MAX_PER_PAGE)).unwrap_or(DEFAULT_PER_PAGE);
    let page = v.check(q.int("page", 1, 1, i64::MAX)).unwrap_or(1);
    let filter = TicketFilter {
        status: v.check(q.one_of("status", &STATUSES)).flatten().map(str::to_owned),
        priority: v.check(q.one_of("priority", &PRIORITIES)).flatten().map(str::to_owned),
        department_id: v.check(q.opt_int("department_id", 1)).flatten().and_then(|d| u64::try_from(d).ok()),
    };
    v.finish()?;
    let per_page = usize::try_from(per_page).unwrap_or(1);
    let page = usize::try_from(page).unwrap_or(usize::MAX);
    let offset = (page - 1).saturating_mul(per_page);
    let (data, total) = agent.read(|v| v.tickets(&filter, offset, per_page));
    Ok(JsonBody(LaravelPage { data, meta: LaravelMeta::new(page, per_page, total) }))
}

/// A single resource: `{"data": {...}}`.
#[derive(Clone, Debug, Serialize)]
pub struct Single<T> {
    /// The resource.
    pub data: T,
}

/// `GET /external/tickets/{id}`.
pub async fn get(
    agent: Agent,
    id: Result<Path<String>, PathRejection>,
) -> Result<JsonBody<Single<TicketResource>>, DhError> {
    let Path(id) = id?;
    let not_found = || DhError::not_found("Ticket not found.");
    let id: u64 = id.parse().map_err(|_| not_found())?;
    match agent.read(|v| v.ticket(id)) {
        Ok(data) => Ok(JsonBody(Single { data })),
        Err(TicketAccess::NotFound) => Err(not_found()),
        Err(TicketAccess::Forbidden) => Err(DhError::new(StatusCode::FORBIDDEN, "This action is unauthorized.")),
    }
}
