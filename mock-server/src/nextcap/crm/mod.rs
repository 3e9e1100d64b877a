//! The Next Cap CRM Integration API (nextcap-crm-integration.txt): per-seat `nextcap_ck_` keys,
//! mounted at `/nextcap/api/v1/external/crm`.
//!
//! [`spec`] is the route table: each route names the permissions it needs with
//! [`Route::any_of`] (the contract's `x-permissions`, `anyOf`), and the pipeline answers 403
//! `FORBIDDEN` to a seat that has none of them before the handler runs. Handlers act through
//! [`CrmSeat`](super::extract::CrmSeat), whose views are scoped to the seat's widgets, so a
//! row outside them is 403 and another organisation's id 404 ([`refused`]). Attachments belong
//! to the organisation rather than a widget; their presigned URLs are served by [`files`], a
//! router outside this table (the signature, not a key, authorises them).

mod attachments;
mod conversations;
pub mod files;
mod inputs;
mod lists;
mod members;
mod ticket_actions;
mod tickets;

use axum::http::Method;

use super::{error::NcError, extract::not_found};
use crate::{
    api::Api,
    keys::{KeyFamily, Plan},
    routes::{ApiSpec, Route},
    store::nextcap::Denied,
};

/// Where the CRM routes live; their paths in the table are relative to it.
pub const MOUNT: &str = "/nextcap/api/v1/external/crm";

/// The CRM spec: seat keys, the route table, Next Cap's errors.
pub fn spec() -> ApiSpec {
    ApiSpec {
        api: Api::NextCap,
        family: KeyFamily::NextCapCrm,
        mount: MOUNT,
        routes: routes(),
        render: super::error::render,
        min_plan: Some(Plan::Enterprise),
    }
}

const CONVERSATIONS_VIEW: &[&str] = &["conversations:view", "conversations:view-own"];

/// The route table (paths inside [`MOUNT`]); permissions as the document's "Permissions
/// Reference" and shared/api/README.md (team directory: `team:invite`).
#[rustfmt::skip]
fn routes() -> Vec<Route> {
    use Method as M;
    vec![
        Route::get("/conversations", "listCrmConversations", conversations::list).any_of(CONVERSATIONS_VIEW),
        Route::get("/conversations/queue", "getCrmConversationQueue", conversations::queue).any_of(&["live-chat:join"]),
        Route::get("/conversations/{id}", "getCrmConversation", conversations::get).any_of(CONVERSATIONS_VIEW),
        Route::get("/conversations/{id}/messages", "listCrmConversationMessages", conversations::messages).any_of(CONVERSATIONS_VIEW),
        Route::new(M::POST, "/conversations/{id}/assign", "assignCrmConversation", conversations::assign).any_of(&["live-chat:join"]),
        Route::new(M::POST, "/conversations/{id}/resolve", "resolveCrmConversation", conversations::resolve).any_of(&["live-chat:join"]),
        Route::get("/tickets", "listCrmTickets", tickets::list).any_of(&["tickets:view"]),
        Route::get("/tickets/{id}", "getCrmTicket", tickets::get).any_of(&["tickets:view"]),
        Route::get("/tickets/{id}/events", "listCrmTicketEvents", tickets::events).any_of(&["tickets:view"]),
        Route::new(M::PATCH, "/tickets/{id}", "updateCrmTicket", ticket_actions::update).any_of(&["tickets:manage"]),
        Route::new(M::POST, "/tickets/{id}/reply", "replyCrmTicket", ticket_actions::reply).any_of(&["tickets:reply"]),
        Route::new(M::POST, "/tickets/{id}/assign", "assignCrmTicket", ticket_actions::assign).any_of(&["tickets:assign"]),
        Route::new(M::POST, "/tickets/{id}/transfer", "transferCrmTicket", ticket_actions::transfer).any_of(&["tickets:manage"]),
        Route::new(M::POST, "/tickets/{id}/close", "closeCrmTicket", ticket_actions::close).any_of(&["tickets:close"]),
        Route::new(M::POST, "/tickets/{id}/reopen", "reopenCrmTicket", ticket_actions::reopen).any_of(&["tickets:manage"]),
        Route::new(M::POST, "/tickets/{id}/notes", "addCrmTicketNote", ticket_actions::notes).any_of(&["tickets:manage"]),
        Route::new(M::POST, "/attachments", "uploadCrmAttachment", attachments::upload).any_of(&["tickets:reply"]),
        Route::new(M::POST, "/attachments/presign", "presignCrmAttachment", attachments::presign).any_of(&["tickets:reply"]),
        Route::new(M::POST, "/attachments/{id}/complete", "completeCrmAttachment", attachments::complete).any_of(&["tickets:reply"]),
        Route::get("/attachments/{id}", "getCrmAttachment", attachments::get).any_of(&["tickets:view"]),
        Route::get("/attachments/{id}/download", "downloadCrmAttachment", attachments::download).any_of(&["tickets:view"]),
        Route::new(M::DELETE, "/attachments/{id}", "deleteCrmAttachment", attachments::delete).any_of(&["tickets:reply"]),
        Route::get("/members", "listCrmMembers", members::list).any_of(&["team:invite"]),
        Route::get("/members/by-email/{email}", "getCrmMemberByEmail", members::by_email).any_of(&["team:invite"]),
        Route::get("/members/{id}", "getCrmMember", members::get).any_of(&["team:invite"]),
    ]
}

/// Renders a scoped lookup's refusal: 404 naming `noun` for a row the organisation does not
/// have, 403 for one outside the seat's widgets (the document: "Returns 403 if you don't have
/// widget access"), 400 naming the field for refused input.
pub fn refused(noun: &'static str) -> impl Fn(Denied) -> NcError {
    move |denied| match denied {
        Denied::Missing => not_found(noun),
        Denied::OutOfScope => {
            NcError::forbidden(format!("{noun} is outside the widgets this API key's seat is assigned to"))
        }
        Denied::Invalid { field, message } => NcError::invalid(field, message),
    }
}
