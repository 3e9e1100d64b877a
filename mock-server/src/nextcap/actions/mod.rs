//! Next Cap control actions: what visitors do in real life (capture a lead, chat, get handed
//! off, file a ticket, reply to it, ask for a call-back), so tests can make it happen and see
//! the webhooks the real service would send.
//!
//! Each action is one function `fn(&AppState, Input) -> Result<Output, ActionError>` that,
//! under the lock, checks its input against a read view of the organisation, makes one write
//! through its [`OrgViewMut`](crate::store::nextcap::OrgViewMut) (the row logic lives in the
//! store), and publishes the events that write returns after releasing the lock. The same
//! function backs both doors:
//! - HTTP: `POST /__mock/nextcap/actions/{name}` with the input as JSON ([`router`]), answering
//!   the created or changed resource, or `{"error", "field"}` with 400 (bad input, naming the
//!   field), 409 (the resource is in a state the action does not apply to);
//! - Rust: the [`NextCapActions`] methods (`server.nextcap().capture_lead(..)`).
//!
//! | action | input | answers | events |
//! |---|---|---|---|
//! | `capture-lead` | [`NewLead`] | 201 lead | `lead.created` |
//! | `start-conversation` | [`NewConversation`] | 201 conversation | `conversation.created` |
//! | `send-message` | [`VisitorMessage`] | 201 message | live chat `message:new` |
//! | `hand-off` | [`HandOff`] | 200 conversation | `conversation.handed_off` |
//! | `complete-conversation` | [`CompleteConversation`] | 200 conversation | `conversation.completed` |
//! | `file-ticket` | [`NewTicket`] | 201 ticket | `ticket.created` |
//! | `customer-reply` | [`CustomerReply`] | 201 `{ticket, reply}` | `ticket.customer_reply` (+ see its docs) |
//! | `request-callback` | [`NewCallRequest`] | 201 call request | `call_request.created` |
//! | `visitor-typing` | [`VisitorTyping`] | 200 `{"typing": true}` | live chat `typing`, `typing:content` |
//! | `rate-conversation` | [`RateConversation`] | 200 conversation | live chat `feedback:received` |

mod checks;
mod conversations;
mod inputs;
mod leads;
mod live_chat;
mod tenancy;
mod tickets;

pub use crate::store::nextcap::TicketReply;
pub use crate::store::tenancy::{SeatInfo, SeatWithKey};
pub use inputs::*;
pub use live_chat::{RateConversation, VisitorTyping};
pub use tenancy::{NewApiOnlySeat, NewCrmKey, PlanChanged, RevokeCrmKey, SeatRef, SeatUpdate, SetPlan};

use axum::{Router, http::StatusCode};

pub use crate::action::ActionError;
use crate::{
    action::route as action,
    events::Event,
    state::{AppState, Inner},
    store::nextcap::{CallRequest, Conversation, Lead, Message, TicketView},
};

/// Runs `f` (check the input, then one store write) under the lock, and publishes the events
/// it returns once the lock is released, so no subscriber runs while the store is held.
fn locked<T>(
    state: &AppState,
    f: impl FnOnce(&mut Inner) -> Result<(T, Vec<Event>), ActionError>,
) -> Result<T, ActionError> {
    let (out, events) = f(&mut state.lock())?;
    state.publish(events);
    Ok(out)
}

/// The actions' routes, mounted at `/__mock/nextcap/actions`.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/capture-lead", action(StatusCode::CREATED, leads::capture_lead))
        .route("/start-conversation", action(StatusCode::CREATED, conversations::start))
        .route("/send-message", action(StatusCode::CREATED, conversations::send_message))
        .route("/hand-off", action(StatusCode::OK, conversations::hand_off))
        .route("/complete-conversation", action(StatusCode::OK, conversations::complete))
        .route("/file-ticket", action(StatusCode::CREATED, tickets::file_ticket))
        .route("/customer-reply", action(StatusCode::CREATED, tickets::customer_reply))
        .route("/request-callback", action(StatusCode::CREATED, leads::request_callback))
        .route("/visitor-typing", action(StatusCode::OK, live_chat::visitor_typing))
        .route("/rate-conversation", action(StatusCode::OK, live_chat::rate_conversation))
        .route("/set-plan", action(StatusCode::OK, tenancy::set_plan))
        .route("/deactivate-seat", action(StatusCode::OK, tenancy::deactivate_seat))
        .route("/reactivate-seat", action(StatusCode::OK, tenancy::reactivate_seat))
        .route("/create-crm-key", action(StatusCode::CREATED, tenancy::create_crm_key))
        .route("/revoke-crm-key", action(StatusCode::OK, tenancy::revoke_crm_key))
        .route("/create-api-only-seat", action(StatusCode::CREATED, tenancy::create_api_only_seat))
        .route("/update-seat", action(StatusCode::OK, tenancy::update_seat))
}

/// The actions as methods, from [`crate::MockServer::nextcap`]. Each returns what it created or
/// changed and fires the matching webhooks in the background.
///
/// ```no_run
/// # async fn demo() {
/// use deskapi_mock::actions::nextcap::NewLead;
/// let server = deskapi_mock::MockServer::start().await;
/// let lead = server
///     .nextcap()
///     .capture_lead(NewLead { org: "acme".into(), email: Some("jane@example.com".into()), ..Default::default() })
///     .expect("a valid lead");
/// println!("{}", lead.id);
/// # }
/// ```
#[derive(Clone, Copy, Debug)]
pub struct NextCapActions<'a> {
    state: &'a AppState,
}

impl<'a> NextCapActions<'a> {
    /// Actions on `state`.
    pub fn new(state: &'a AppState) -> NextCapActions<'a> {
        NextCapActions { state }
    }

    /// A visitor leaves contact details: `lead.created`.
    pub fn capture_lead(&self, input: NewLead) -> Result<Lead, ActionError> {
        leads::capture_lead(self.state, input)
    }

    /// A visitor starts chatting: `conversation.created`.
    pub fn start_conversation(&self, input: NewConversation) -> Result<Conversation, ActionError> {
        conversations::start(self.state, input)
    }

    /// The visitor is typing: live chat's `typing` (role `visitor`) and, with `content`,
    /// `typing:content`.
    pub fn visitor_typing(&self, input: VisitorTyping) -> Result<serde_json::Value, ActionError> {
        live_chat::visitor_typing(self.state, input)
    }

    /// The visitor rates a conversation: live chat's `feedback:received`.
    pub fn rate_conversation(&self, input: RateConversation) -> Result<Conversation, ActionError> {
        live_chat::rate_conversation(self.state, input)
    }

    /// The visitor sends a message in a conversation (no webhook; live chat's `message:new`).
    pub fn send_visitor_message(&self, input: VisitorMessage) -> Result<Message, ActionError> {
        conversations::send_message(self.state, input)
    }

    /// The AI hands an active conversation to a human: `conversation.handed_off`.
    pub fn hand_off_conversation(&self, input: HandOff) -> Result<Conversation, ActionError> {
        conversations::hand_off(self.state, input)
    }

    /// A conversation ends: `conversation.completed`.
    pub fn complete_conversation(&self, input: CompleteConversation) -> Result<Conversation, ActionError> {
        conversations::complete(self.state, input)
    }

    /// A visitor files a ticket: `ticket.created`.
    pub fn file_ticket(&self, input: NewTicket) -> Result<TicketView, ActionError> {
        tickets::file_ticket(self.state, input)
    }

    /// The customer replies on a ticket: `ticket.customer_reply`, and when that reopens it
    /// `ticket.status_changed` and `ticket.reopened`.
    pub fn customer_reply(&self, input: CustomerReply) -> Result<TicketReply, ActionError> {
        tickets::customer_reply(self.state, input)
    }

    /// A visitor asks to be called back: `call_request.created`.
    pub fn request_callback(&self, input: NewCallRequest) -> Result<CallRequest, ActionError> {
        leads::request_callback(self.state, input)
    }

    /// Moves an organisation to another plan (`POST .../set-plan`); the next request is judged
    /// by it: the Data API needs Pro, webhooks and the CRM need Enterprise.
    pub fn set_plan(&self, input: SetPlan) -> Result<PlanChanged, ActionError> {
        tenancy::set_plan(self.state, input)
    }

    /// Deactivates a seat: its CRM keys get 401 from the next request on.
    pub fn deactivate_seat(&self, input: SeatRef) -> Result<SeatInfo, ActionError> {
        tenancy::deactivate_seat(self.state, input)
    }

    /// Reactivates a seat: its CRM keys work again.
    pub fn reactivate_seat(&self, input: SeatRef) -> Result<SeatInfo, ActionError> {
        tenancy::reactivate_seat(self.state, input)
    }

    /// Makes a new CRM key for a seat and returns it (raw, shown once).
    pub fn create_crm_key(&self, input: NewCrmKey) -> Result<SeatWithKey, ActionError> {
        tenancy::create_crm_key(self.state, input)
    }

    /// Revokes a CRM key: 401 from the next request on.
    pub fn revoke_crm_key(&self, input: RevokeCrmKey) -> Result<serde_json::Value, ActionError> {
        tenancy::revoke_crm_key(self.state, input)
    }

    /// Creates an API-only seat with its role's permissions, the given widgets and a key.
    pub fn create_api_only_seat(&self, input: NewApiOnlySeat) -> Result<SeatWithKey, ActionError> {
        tenancy::create_api_only_seat(self.state, input)
    }

    /// Changes a seat's role and/or widgets; its keys inherit them on the next request.
    pub fn update_seat(&self, input: SeatUpdate) -> Result<SeatInfo, ActionError> {
        tenancy::update_seat(self.state, input)
    }
}
