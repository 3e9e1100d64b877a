//! `GET /external/tickets`, `/tickets/{id}` and `/tickets/{id}/events` (the timeline).
//!
//! Filters: `status`, `priority`, `source` (enums), `department_id`, `assigned_agent_id`
//! (UUIDs), `category` (exact), and `tags`: comma-separated, a ticket matches when it carries
//! ANY of them (`tags=vip,bug` is "vip or bug"; blank entries are ignored). Any-of is our
//! reading of an undocumented filter: it is what a CRM syncing "tickets tagged X or Y" wants,
//! and all-of can still be had by filtering the result. Tickets render with their department
//! embedded; the timeline is oldest first and never contains internal notes.

use crate::encode::Json;
use axum::response::IntoResponse;
use axum::{
    Extension,
    extract::{RawQuery, State},
};

use super::{
    Listed, Paged, PathId, Reply, Single, found,
    list::{list_query, not_found, org_of, path_id},
};
use crate::{
    auth::Principal,
    state::AppState,
    store::nextcap::{TICKET_PRIORITIES, TICKET_SOURCES, TICKET_STATUSES, TicketEvent, TicketFilter, TicketView},
};

/// `GET /external/tickets`.
pub async fn list(
    State(state): State<AppState>,
    Extension(principal): Extension<Principal>,
    RawQuery(raw): RawQuery,
) -> Reply<Paged<TicketView>> {
    let org = org_of(&principal)?;
    let (args, filter) = list_query(raw.as_deref(), |q, v| TicketFilter {
        status: v.check(q.one_of("status", &TICKET_STATUSES)).flatten(),
        priority: v.check(q.one_of("priority", &TICKET_PRIORITIES)).flatten(),
        department_id: v.check(q.uuid("department_id")).flatten(),
        assigned_agent_id: v.check(q.uuid("assigned_agent_id")).flatten(),
        category: q.get("category").map(str::to_owned),
        tags: q.get("tags").map(split_tags).unwrap_or_default(),
        source: v.check(q.one_of("source", &TICKET_SOURCES)).flatten(),
    })?;
    let inner = state.lock();
    let store = &inner.store.nextcap;
    let rows = store.tickets.iter().filter(|t| t.org_id == org && filter.accepts(t));
    Ok(Json(args.page_of(rows, |t| store.ticket_view(t))))
}

/// `a, b,,c` -> `["a", "b", "c"]`.
fn split_tags(raw: &str) -> Vec<String> {
    raw.split(',').map(str::trim).filter(|t| !t.is_empty()).map(str::to_owned).collect()
}

/// `GET /external/tickets/{id}`.
pub async fn get(
    State(state): State<AppState>,
    Extension(principal): Extension<Principal>,
    id: PathId,
) -> Reply<Single<TicketView>> {
    let (org, id) = (org_of(&principal)?, path_id(id, "Ticket")?);
    let inner = state.lock();
    let store = &inner.store.nextcap;
    found(store.ticket(org, id).map(|t| store.ticket_view(t)), "Ticket")
}

/// `GET /external/tickets/{id}/events`.
pub async fn events(
    State(state): State<AppState>,
    Extension(principal): Extension<Principal>,
    id: PathId,
    RawQuery(raw): RawQuery,
) -> Listed {
    let (org, id) = (org_of(&principal)?, path_id(id, "Ticket")?);
    let (args, ()) = list_query(raw.as_deref(), |_, _| ())?;
    let inner = state.lock();
    let store = &inner.store.nextcap;
    store.ticket(org, id).ok_or_else(|| not_found("Ticket"))?;
    let mut rows: Vec<&TicketEvent> = store.public_ticket_events(id).collect();
    rows.sort_by_key(|e| e.created_at);
    Ok(Json(args.page_of(rows.into_iter(), |row| row)).into_response())
}

#[cfg(test)]
mod tests {
    #[test]
    fn tags_split_on_commas_and_drop_blanks() {
        assert_eq!(super::split_tags(" vip, bug,,  "), ["vip", "bug"]);
        assert!(super::split_tags(",").is_empty());
    }
}
