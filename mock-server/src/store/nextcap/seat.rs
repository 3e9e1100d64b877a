//! The CRM's seat-scoped view of the Next Cap store (nextcap-crm-integration.txt, "How It
//! Works"): a CRM key acts as one seat, and the seat sees only the data of the widgets it is
//! assigned to; a seat that may only `conversations:view-own` sees only the conversations
//! assigned to it.
//!
//! [`SeatView`] narrows the organisation's rows (the same tables [`super::OrgView`] reads) and
//! its lookups answer an [`Access`] instead of an `Option`, because the document
//! distinguishes the two ways a row can be out of reach: another organisation's id is as
//! absent as an unknown one (404), while a row of the seat's own organisation outside its
//! widgets is 403 ("Returns 403 if you don't have widget access"). The writes a seat makes are
//! in [`super::seat_writes`].

use uuid::Uuid;

use super::{Attachments, Conversation, Message, NextCapStore, OrgView, Seat, Ticket, TicketEvent, TicketView};
use serde::Serialize;
use serde_json::Value;

/// Why a seat cannot reach a row, or why its input is refused.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Denied {
    /// No such row in the seat's organisation (unknown id, or another organisation's): 404.
    Missing,
    /// The row is the organisation's but outside the seat's widgets (or, for a view-own seat,
    /// not assigned to it): 403.
    OutOfScope,
    /// The input names something the organisation does not have, or asks for a move the rules
    /// forbid: 400 naming `field`.
    Invalid {
        /// The offending field.
        field: &'static str,
        /// What is wrong with it.
        message: String,
    },
}

impl Denied {
    /// A 400 for `field`.
    pub fn invalid(field: &'static str, message: impl Into<String>) -> Denied {
        Denied::Invalid { field, message: message.into() }
    }
}

/// The outcome of a scoped lookup.
pub type Access<T> = Result<T, Denied>;

/// Which seat a CRM key acts as.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct SeatRef {
    /// The seat's organisation.
    pub org: Uuid,
    /// The seat (its user id).
    pub seat: Uuid,
}

/// A ticket as listed to a seat: the ticket's wire shape plus its attachment counts.
#[derive(Clone, Debug, Serialize)]
pub struct CrmTicketView {
    /// The ticket with its department.
    #[serde(flatten)]
    pub ticket: TicketView,
    /// Whether any public timeline entry carries a file.
    pub has_attachments: bool,
    /// How many files the public timeline carries.
    pub attachment_count: usize,
}

/// A single ticket: the listed shape plus the files themselves.
#[derive(Clone, Debug, Serialize)]
pub struct CrmTicketDetail {
    /// The listed shape.
    #[serde(flatten)]
    pub ticket: CrmTicketView,
    /// Every file of the public timeline, oldest first.
    pub attachments: Vec<Value>,
}

/// A conversation with its whole message history, oldest first.
#[derive(Clone, Debug, Serialize)]
pub struct ConversationDetail<'a> {
    /// The conversation.
    #[serde(flatten)]
    pub conversation: &'a Conversation,
    /// Every message.
    pub messages: Vec<&'a Message>,
}

/// One seat's rows, read-only.
#[derive(Clone, Copy, Debug)]
pub struct SeatView<'a> {
    store: &'a NextCapStore,
    org: Uuid,
    /// `None` only for a seat that vanished after authentication: it then sees nothing.
    seat: Option<&'a Seat>,
}

impl NextCapStore {
    /// The rows seat `who` may see.
    pub fn seat_view(&self, who: SeatRef) -> SeatView<'_> {
        let seat = self.seats.iter().find(|s| s.id == who.seat && s.org_id == who.org);
        SeatView { store: self, org: who.org, seat }
    }
}

impl<'a> SeatView<'a> {
    /// The organisation's unscoped view (departments, seats: what is not widget data).
    pub fn org(&self) -> OrgView<'a> {
        self.store.org_view(self.org)
    }

    /// The organisation's attachments (they belong to the organisation, not to a widget).
    pub fn uploads(&self) -> Attachments<'a> {
        self.store.attachments(self.org)
    }

    /// The seat, when it exists.
    pub fn seat(&self) -> Option<&'a Seat> {
        self.seat
    }

    /// Whether the seat holds `permission`.
    pub fn can(&self, permission: &str) -> bool {
        self.seat.is_some_and(|s| s.permissions.iter().any(|p| p == permission))
    }

    /// Whether the seat is assigned widget `id`.
    pub fn sees_widget(&self, id: Uuid) -> bool {
        self.seat.is_some_and(|s| s.widget_ids.contains(&id))
    }

    /// Whether the seat may read `c`: its widget, and, without `conversations:view`, assigned
    /// to the seat.
    fn reads_conversation(&self, c: &Conversation) -> bool {
        self.sees_widget(c.agent_id)
            && (self.can("conversations:view") || (c.assigned_agent_id.is_some() && c.assigned_agent_id == self.id()))
    }

    fn id(&self) -> Option<Uuid> {
        self.seat.map(|s| s.id)
    }

    /// Conversations the seat may read, newest first.
    pub fn conversations(&self) -> impl Iterator<Item = &'a Conversation> + use<'a> {
        let me = *self;
        self.org().conversations().filter(move |c| me.reads_conversation(c))
    }

    /// One conversation the seat may read.
    pub fn conversation(&self, id: Uuid) -> Access<&'a Conversation> {
        let c = self.org().conversation(id).ok_or(Denied::Missing)?;
        if self.reads_conversation(c) { Ok(c) } else { Err(Denied::OutOfScope) }
    }

    /// One conversation of the seat's widgets, whoever it is assigned to (what live-chat
    /// actions reach: a seat picks conversations up from the queue).
    pub fn widget_conversation(&self, id: Uuid) -> Access<&'a Conversation> {
        let c = self.org().conversation(id).ok_or(Denied::Missing)?;
        if self.sees_widget(c.agent_id) { Ok(c) } else { Err(Denied::OutOfScope) }
    }

    /// A readable conversation with its messages, oldest first.
    pub fn conversation_detail(&self, id: Uuid) -> Access<ConversationDetail<'a>> {
        let conversation = self.conversation(id)?;
        let messages = self.org().messages(id).unwrap_or_default();
        Ok(ConversationDetail { conversation, messages })
    }

    /// A readable conversation's messages, oldest first.
    pub fn messages(&self, id: Uuid) -> Access<Vec<&'a Message>> {
        self.conversation(id)?;
        Ok(self.org().messages(id).unwrap_or_default())
    }

    /// The handoff queue: handed-off, unassigned conversations of the seat's widgets, longest
    /// waiting first.
    pub fn queue(&self) -> Vec<&'a Conversation> {
        let me = *self;
        let mut rows: Vec<&Conversation> = self
            .org()
            .conversations()
            .filter(|c| c.status == "handed_off" && c.assigned_agent_id.is_none() && me.sees_widget(c.agent_id))
            .collect();
        rows.sort_by_key(|c| (c.handed_off_at.unwrap_or(c.created_at), c.id));
        rows
    }

    /// Tickets of the seat's widgets, newest first.
    pub fn tickets(&self) -> impl Iterator<Item = &'a Ticket> + use<'a> {
        let me = *self;
        self.org().tickets().filter(move |t| me.sees_widget(t.agent_id))
    }

    /// One ticket of the seat's widgets.
    pub fn ticket(&self, id: Uuid) -> Access<&'a Ticket> {
        let t = self.org().ticket(id).ok_or(Denied::Missing)?;
        if self.sees_widget(t.agent_id) { Ok(t) } else { Err(Denied::OutOfScope) }
    }

    /// The files of a ticket's public timeline, oldest first.
    fn attachments(&self, ticket: &Ticket) -> Vec<&'a Value> {
        let mut events: Vec<&TicketEvent> = self.store.public_ticket_events(ticket.id).collect();
        events.sort_by_key(|e| e.created_at);
        events.into_iter().flat_map(|e| e.attachments.iter()).collect()
    }

    /// The listed shape of `ticket`.
    pub fn crm_ticket(&self, ticket: &Ticket) -> CrmTicketView {
        let attachment_count = self.attachments(ticket).len();
        CrmTicketView {
            ticket: self.store.ticket_view(ticket),
            has_attachments: attachment_count > 0,
            attachment_count,
        }
    }

    /// The single-ticket shape of `ticket`, files included.
    pub fn crm_ticket_detail(&self, ticket: &Ticket) -> CrmTicketDetail {
        let attachments = self.attachments(ticket).into_iter().cloned().collect();
        CrmTicketDetail { ticket: self.crm_ticket(ticket), attachments }
    }

    /// A ticket's timeline, oldest first; internal notes only for seats with `tickets:manage`
    /// (the document: "Users with tickets:manage see internal notes").
    pub fn ticket_events(&self, id: Uuid) -> Access<Vec<&'a TicketEvent>> {
        self.ticket(id)?;
        let internal = self.can("tickets:manage");
        let mut rows: Vec<&TicketEvent> =
            self.store.ticket_events.iter().filter(|e| e.ticket_id == id && (internal || !e.is_internal)).collect();
        rows.sort_by_key(|e| e.created_at);
        Ok(rows)
    }

    /// The organisation's team members (every seat, deactivated ones included), in fixture
    /// order.
    pub fn members(&self) -> impl Iterator<Item = &'a Seat> + use<'a> {
        let org = self.org;
        self.store.seats.iter().filter(move |s| s.org_id == org)
    }
}
