//! `GET /external/crm/tickets`, `/tickets/{id}` and `/tickets/{id}/events`.
//!
//! The seat sees the tickets of its widgets; a ticket of its organisation outside them is 403,
//! another organisation's 404. Listed tickets carry `has_attachments` and `attachment_count`,
//! a single ticket also `attachments[]`. The timeline is oldest first and shows internal notes
//! only to seats with `tickets:manage`.

use axum::{extract::State, response::IntoResponse};

use super::{attachments::fresh_urls, files::BaseUrl, refused};
use crate::{
    encode::JsonBody,
    nextcap::{
        Item, Reply,
        extract::{CrmSeat, ListQuery, PathId},
    },
    state::AppState,
    store::nextcap::{CrmTicketFilter, Ticket},
};

pub(super) const NOUN: &str = "Ticket";

/// `GET /external/crm/tickets`.
pub async fn list(seat: CrmSeat, ListQuery { args, filter, target }: ListQuery<CrmTicketFilter>) -> Reply {
    seat.read_cached("listCrmTickets", &target, |v| {
        let mut rows: Vec<&Ticket> = v.tickets().filter(|t| filter.accepts(t)).collect();
        filter.sort.tickets(&mut rows);
        Ok(JsonBody(args.page_of(rows.into_iter(), |t| v.crm_ticket(t))).encode())
    })
}

/// `GET /external/crm/tickets/{id}`, with its attachments.
pub async fn get(seat: CrmSeat, State(state): State<AppState>, base: BaseUrl, id: PathId<Ticket>) -> Reply {
    seat.read(|v| {
        let ticket = v.ticket(id.id()).map_err(refused(NOUN))?;
        let mut detail = v.crm_ticket_detail(ticket);
        fresh_urls(&state, &base, v.uploads(), &mut detail.attachments);
        Ok(JsonBody(Item { data: detail }).into_response())
    })
}

/// `GET /external/crm/tickets/{id}/events`: the timeline, oldest first.
pub async fn events(seat: CrmSeat, id: PathId<Ticket>, ListQuery { args, target, .. }: ListQuery<()>) -> Reply {
    seat.read_cached("listCrmTicketEvents", &target, |v| {
        let rows = v.ticket_events(id.id()).map_err(refused(NOUN))?;
        Ok(JsonBody(args.page_of(rows.into_iter(), |e| e)).encode())
    })
}
