//! The agent's tickets:
//! - `GET /external/tickets`: the tickets assigned to the key's agent (as assignee or among
//!   the ticket's `agents`), newest first, Laravel-paginated (`per_page` 1-100, default 15;
//!   `page` >= 1, default 1), filtered by `status`, `priority` and `department_id`;
//! - `GET /external/tickets/{id}`: one ticket as `{"data": ...}`;
//! - `PUT /external/tickets/{id}`: `status`, `priority`, `labels` (ids of existing labels,
//!   replacing the ticket's), each optional; 422 names every bad field (`labels.N` for a bad
//!   element); the updated ticket as `{"data": ...}`;
//! - `POST /external/tickets/{id}/close`: status `closed`, `closed_at`, `is_resolved`.
//!
//! Another agent's ticket is 403 (a Laravel policy refuses, the row exists); an unknown or
//! non-integer id is 404 (route-model binding finds nothing). Access is checked before the
//! body, as route-model binding and policies run before validation in Laravel.

use axum::{
    body::Bytes,
    extract::rejection::BytesRejection,
    extract::{Path, RawQuery, rejection::PathRejection},
};

use super::{
    Agent, LaravelMeta, LaravelPage, Single,
    error::DhError,
    input::{Input, paging},
    one_id,
};
use crate::{
    encode::JsonBody,
    query::{QueryParams, Validator},
    store::deskhive::{PRIORITIES, STATUSES, TicketFilter, TicketResource, TicketUpdate},
};

/// Default `per_page`.
pub const DEFAULT_PER_PAGE: i64 = 15;

type One = Result<JsonBody<Single<TicketResource>>, DhError>;

/// `GET /external/tickets`.
pub async fn list(agent: Agent, RawQuery(raw): RawQuery) -> Result<JsonBody<LaravelPage<TicketResource>>, DhError> {
    let q = QueryParams::parse(raw.as_deref());
    let mut v = Validator::default();
    let (page, per_page, offset) = paging(&q, &mut v, DEFAULT_PER_PAGE);
    let filter = TicketFilter {
        status: v.check(q.one_of("status", &STATUSES)).flatten().map(str::to_owned),
        priority: v.check(q.one_of("priority", &PRIORITIES)).flatten().map(str::to_owned),
        department_id: v.check(q.opt_int("department_id", 1)).flatten().and_then(|d| u64::try_from(d).ok()),
    };
    v.finish()?;
    let (data, total) = agent.read(|v| v.tickets(&filter, offset, per_page));
    Ok(JsonBody(LaravelPage { data, meta: LaravelMeta::new(page, per_page, total) }))
}

/// `GET /external/tickets/{id}`.
pub async fn get(agent: Agent, id: Result<Path<String>, PathRejection>) -> One {
    let id = one_id(id)?;
    Ok(JsonBody(Single { data: agent.read(|v| v.ticket(id))? }))
}

/// `PUT /external/tickets/{id}`.
pub async fn update(agent: Agent, id: Result<Path<String>, PathRejection>, body: Result<Bytes, BytesRejection>) -> One {
    let id = one_id(id)?;
    let input = Input::parse(&body?);
    let data = agent.write(|view| {
        view.read().ticket(id)?;
        let mut v = Validator::default();
        let status = v.check(input.one_of("status", &STATUSES)).flatten();
        let priority = v.check(input.one_of("priority", &PRIORITIES)).flatten();
        let labels = match input.id_array("labels", |l| view.read().label_exists(l)) {
            Ok(labels) => labels,
            Err(errors) => {
                errors.into_iter().for_each(|e| v.push(e));
                None
            }
        };
        v.finish()?;
        let update = TicketUpdate { status: status.map(str::to_owned), priority: priority.map(str::to_owned), labels };
        Ok((view.update_ticket(id, update, agent.now())?, Vec::new()))
    })?;
    Ok(JsonBody(Single { data }))
}

/// `POST /external/tickets/{id}/close`.
pub async fn close(agent: Agent, id: Result<Path<String>, PathRejection>) -> One {
    let id = one_id(id)?;
    let data = agent.write(|view| Ok((view.close_ticket(id, agent.now())?, Vec::new())))?;
    Ok(JsonBody(Single { data }))
}
