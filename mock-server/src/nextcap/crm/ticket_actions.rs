//! The CRM ticket actions: `PATCH /tickets/{id}` and `POST /tickets/{id}/reply`, `/assign`,
//! `/transfer`, `/close`, `/reopen`, `/notes`.
//!
//! Each first finds the ticket in the seat's scope (404 another organisation's, 403 outside the
//! seat's widgets), then parses its body ([`super::inputs`]), then writes through the store,
//! which checks the status move against the state machine and the assignee and department
//! against the organisation, and returns the webhooks the change fires (none when nothing
//! changed). `PATCH` and the ticket actions answer the ticket as `getCrmTicket` does; `reply`
//! and `notes` answer 201 with the new timeline entry.

use axum::{
    extract::State,
    http::StatusCode,
    response::{IntoResponse, Response},
};
use serde::Serialize;

use super::{
    attachments::fresh_urls,
    conversations::AssignBody,
    files::BaseUrl,
    inputs::{NoteBody, PatchBody, ReplyBody, TransferBody},
    refused,
    tickets::NOUN,
};
use crate::{
    encode::JsonBody,
    events::Event,
    nextcap::{
        Item, Reply,
        error::NcError,
        extract::{self, CrmSeat, PathId},
    },
    state::AppState,
    store::nextcap::{Access, SeatViewMut, Ticket, TicketStatus},
};

/// 404/403 before the body is looked at.
fn in_scope(seat: &CrmSeat, id: &PathId<Ticket>) -> Result<(), NcError> {
    seat.read(|v| v.ticket(id.id()).map(|_| ()).map_err(refused(NOUN)))
}

/// Runs a ticket write and answers the ticket after it, as `getCrmTicket` shows it.
fn act(seat: &CrmSeat, write: impl FnOnce(&mut SeatViewMut<'_>) -> Access<(Ticket, Vec<Event>)>) -> Reply {
    let detail = seat.write(|v| {
        let (ticket, events) = write(v).map_err(refused(NOUN))?;
        Ok((v.read().crm_ticket_detail(&ticket), events))
    })?;
    Ok(JsonBody(Item { data: detail }).into_response())
}

fn created<T: Serialize>(data: T) -> Response {
    (StatusCode::CREATED, JsonBody(Item { data })).into_response()
}

/// `PATCH /external/crm/tickets/{id}`.
pub async fn update(seat: CrmSeat, id: PathId<Ticket>, body: extract::JsonBody) -> Reply {
    in_scope(&seat, &id)?;
    let changes = body.parse::<PatchBody>()?.validate()?;
    act(&seat, |v| v.update_ticket(id.id(), changes, seat.now()))
}

/// `POST /external/crm/tickets/{id}/reply`: 201 with the `reply` entry; fires `ticket.reply`.
/// `attachment_ids` are linked to the ticket (400 naming an id that is unknown, another
/// organisation's, expired, pending or already linked).
pub async fn reply(
    seat: CrmSeat,
    State(state): State<AppState>,
    base: BaseUrl,
    id: PathId<Ticket>,
    body: extract::JsonBody,
) -> Reply {
    in_scope(&seat, &id)?;
    let (content, attachment_ids) = body.parse::<ReplyBody>()?.validate()?;
    let now = state.clock().now();
    let mut entry = seat.write(|v| v.reply(id.id(), content, &attachment_ids, now).map_err(refused(NOUN)))?;
    seat.read(|v| fresh_urls(&state, &base, v.uploads(), &mut entry.attachments));
    Ok(created(entry))
}

/// `POST /external/crm/tickets/{id}/assign`.
pub async fn assign(seat: CrmSeat, id: PathId<Ticket>, body: extract::JsonBody) -> Reply {
    in_scope(&seat, &id)?;
    let agent = body.parse::<AssignBody>()?.agent()?;
    act(&seat, |v| v.assign_ticket(id.id(), agent, seat.now()))
}

/// `POST /external/crm/tickets/{id}/transfer`.
pub async fn transfer(seat: CrmSeat, id: PathId<Ticket>, body: extract::JsonBody) -> Reply {
    in_scope(&seat, &id)?;
    let (department, unassign) = body.parse::<TransferBody>()?.validate()?;
    act(&seat, |v| v.transfer_ticket(id.id(), department, unassign, seat.now()))
}

/// `POST /external/crm/tickets/{id}/close`: from any status the table lets move to `closed`.
pub async fn close(seat: CrmSeat, id: PathId<Ticket>) -> Reply {
    act(&seat, |v| v.move_ticket(id.id(), TicketStatus::Closed, seat.now()))
}

/// `POST /external/crm/tickets/{id}/reopen`: from `resolved` or `closed` only.
pub async fn reopen(seat: CrmSeat, id: PathId<Ticket>) -> Reply {
    act(&seat, |v| v.move_ticket(id.id(), TicketStatus::Reopened, seat.now()))
}

/// `POST /external/crm/tickets/{id}/notes`: 201 with the `note` entry.
pub async fn notes(seat: CrmSeat, id: PathId<Ticket>, body: extract::JsonBody) -> Reply {
    in_scope(&seat, &id)?;
    let (content, internal) = body.parse::<NoteBody>()?.validate()?;
    let note = seat.write(|v| {
        v.add_note(id.id(), content, internal, seat.now()).map(|n| (n, Vec::new())).map_err(refused(NOUN))
    })?;
    Ok(created(note))
}
