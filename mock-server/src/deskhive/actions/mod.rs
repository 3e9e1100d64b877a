//! Desk Hive control actions: what the customer and an administrator do in real life (reply
//! on a ticket, lock it, file a new one), so tests can make it happen and watch the agent API
//! react. Desk Hive sends no webhooks, so the actions fire no events.
//!
//! Each action is one function `fn(&AppState, Input) -> Result<Output, ActionError>` backing
//! both doors:
//! - HTTP: `POST /__mock/deskhive/actions/{name}` with the input as JSON ([`router`]),
//!   answering the created or changed resource, or `{"error", "field"}` with 400 naming the
//!   field at fault;
//! - Rust: the [`DeskHiveActions`] methods (`server.deskhive().customer_reply(..)`).
//!
//! | action | input | answers |
//! |---|---|---|
//! | `customer-reply` | [`CustomerReply`] | 201 `{ticket, message, notification_id}` |
//! | `lock-ticket` | [`LockTicket`] | 200 ticket |
//! | `file-ticket` | [`NewTicket`] | 201 ticket |

mod inputs;

pub use inputs::*;

use axum::{Router, http::StatusCode};

pub use crate::action::ActionError;
use crate::{
    action::route as action,
    state::AppState,
    store::deskhive::{ActionProblem, CustomerReplied, FiledTicket, PRIORITIES, TicketResource},
};

/// Longest reply or ticket text.
const MAX_TEXT: usize = 10_000;

impl From<ActionProblem> for ActionError {
    fn from(p: ActionProblem) -> ActionError {
        ActionError::invalid(p.field, p.message)
    }
}

/// The actions' routes, mounted at `/__mock/deskhive/actions`.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/customer-reply", action(StatusCode::CREATED, customer_reply))
        .route("/lock-ticket", action(StatusCode::OK, lock_ticket))
        .route("/file-ticket", action(StatusCode::CREATED, file_ticket))
}

/// Non-blank text of at most `max` characters, trimmed.
fn required_text(field: &str, value: &str, max: usize) -> Result<String, ActionError> {
    let value = value.trim();
    if value.is_empty() {
        return Err(ActionError::invalid(field, "is required"));
    }
    if value.chars().count() > max {
        return Err(ActionError::invalid(field, format!("must be at most {max} characters")));
    }
    Ok(value.to_owned())
}

fn required_id(field: &str, id: u64) -> Result<u64, ActionError> {
    if id == 0 {
        return Err(ActionError::invalid(field, "is required (a positive id)"));
    }
    Ok(id)
}

fn customer_reply(state: &AppState, input: CustomerReply) -> Result<CustomerReplied, ActionError> {
    let ticket_id = required_id("ticket_id", input.ticket_id)?;
    let content = required_text("content", &input.content, MAX_TEXT)?;
    let mut inner = state.lock();
    Ok(inner.store_mut().deskhive_mut().customer_reply(ticket_id, content, state.clock().now())?)
}

fn lock_ticket(state: &AppState, input: LockTicket) -> Result<TicketResource, ActionError> {
    let ticket_id = required_id("ticket_id", input.ticket_id)?;
    let mut inner = state.lock();
    Ok(inner.store_mut().deskhive_mut().lock_ticket(ticket_id, input.locked.unwrap_or(true), state.clock().now())?)
}

fn file_ticket(state: &AppState, input: NewTicket) -> Result<TicketResource, ActionError> {
    let title = required_text("title", &input.title, 255)?;
    let content = required_text("content", &input.content, MAX_TEXT)?;
    let agent_id = required_id("agent_id", input.agent_id)?;
    let priority = match input.priority.as_deref() {
        None => "medium",
        Some(p) => PRIORITIES
            .iter()
            .find(|k| **k == p)
            .ok_or_else(|| ActionError::invalid("priority", format!("must be one of: {}", PRIORITIES.join(", "))))?,
    };
    let new = FiledTicket {
        title,
        content,
        agent_id,
        customer_id: input.customer_id,
        priority: priority.to_owned(),
        department_id: input.department_id,
        label_ids: input.labels,
    };
    let mut inner = state.lock();
    Ok(inner.store_mut().deskhive_mut().file_ticket(new, state.clock().now())?)
}

/// The actions as methods, from [`crate::MockServer::deskhive`]. Each returns what it created
/// or changed.
///
/// ```no_run
/// # async fn demo() {
/// use deskapi_mock::actions::deskhive::CustomerReply;
/// let server = deskapi_mock::MockServer::start().await;
/// let replied = server
///     .deskhive()
///     .customer_reply(CustomerReply { ticket_id: 1, content: "Any news?".into() })
///     .expect("ticket 1 exists");
/// println!("{} is {}", replied.ticket.reference_id, replied.ticket.status);
/// # }
/// ```
#[derive(Clone, Copy, Debug)]
pub struct DeskHiveActions<'a> {
    state: &'a AppState,
}

impl<'a> DeskHiveActions<'a> {
    /// Actions on `state`.
    pub fn new(state: &'a AppState) -> DeskHiveActions<'a> {
        DeskHiveActions { state }
    }

    /// The customer replies on a ticket (a closed one reopens; the assignee is notified).
    pub fn customer_reply(&self, input: CustomerReply) -> Result<CustomerReplied, ActionError> {
        customer_reply(self.state, input)
    }

    /// An administrator locks or unlocks a ticket.
    pub fn lock_ticket(&self, input: LockTicket) -> Result<TicketResource, ActionError> {
        lock_ticket(self.state, input)
    }

    /// A customer files a ticket assigned to an agent (who is notified).
    pub fn file_ticket(&self, input: NewTicket) -> Result<TicketResource, ActionError> {
        file_ticket(self.state, input)
    }
}
