//! The writes behind Next Cap's control actions: what a visitor does to an organisation's rows
//! (leaves a lead, asks for a call-back, files a ticket, replies to one).
//!
//! Each is a method of [`OrgViewMut`], so it can touch only the organisation's own rows. The
//! action has already checked its input against a read view (and built the row where the
//! input is the row); the method changes the tables, keeps their order (newest first, see
//! [`super`]), and returns what it made together with the [`Event`]s the change caused, which
//! the action publishes once the lock is released. Conversations, messages and visitors are in
//! [`super::chats`].

use serde::Serialize;
use serde_json::json;
use uuid::Uuid;

use super::{CallRequest, Lead, OrgViewMut, Ticket, TicketEvent, TicketStatus, TicketView, insert_newest_first};
use crate::{
    events::{ChatEventName, Event, EventName, random_uuid},
    store::cached::Cached,
};

/// What `customer-reply` returns: the ticket after the reply, and the reply's timeline entry
/// (the `ticket.customer_reply` payload's shape).
#[derive(Clone, Debug, Serialize)]
pub struct TicketReply {
    /// The ticket after the reply.
    pub ticket: TicketView,
    /// The reply.
    pub reply: TicketEvent,
}

/// A timeline entry by the customer (`created`, `customer_reply`) or the system (status
/// changes), stamped with the ticket's `updated_at`.
fn entry(ticket: &Ticket, kind: &str, content: Option<String>, old: Option<&str>, new: Option<&str>) -> TicketEvent {
    let customer = matches!(kind, "created" | "customer_reply");
    TicketEvent {
        id: random_uuid(),
        ticket_id: ticket.id,
        kind: kind.to_owned(),
        actor_type: if customer { "customer" } else { "system" }.to_owned(),
        actor_id: None,
        actor_name: if customer { ticket.visitor_email.clone() } else { None },
        content,
        is_internal: false,
        old_value: old.map(str::to_owned),
        new_value: new.map(str::to_owned),
        attachments: Vec::new(),
        created_at: ticket.updated_at,
    }
}

impl OrgViewMut<'_> {
    /// Records a lead a visitor left (its `org_id` is set here): `lead.created`. A lead named
    /// in a conversation that has none yet becomes that conversation's lead, the way the real
    /// service links the first one.
    pub fn capture_lead(&mut self, mut lead: Lead) -> (Lead, Vec<Event>) {
        let org = self.org;
        lead.org_id = org;
        let conversation = self
            .store
            .conversations
            .iter_mut()
            .find(|c| Some(c.id) == lead.conversation_id && c.org_id == org && c.lead_id.is_none());
        if let Some(c) = conversation {
            c.lead_id = Some(lead.id);
        }
        insert_newest_first(&mut self.store.leads, Cached::new(lead.clone()));
        let event = Event::new(org, EventName::LeadCreated, json!({ "lead": lead }));
        (lead, vec![event])
    }

    /// Records a visitor's request to be called back (its `org_id` is set here):
    /// `call_request.created`.
    pub fn request_callback(&mut self, mut call_request: CallRequest) -> (CallRequest, Vec<Event>) {
        call_request.org_id = self.org;
        insert_newest_first(&mut self.store.call_requests, call_request.clone());
        let event = Event::new(self.org, EventName::CallRequestCreated, json!({ "call_request": call_request }));
        (call_request, vec![event])
    }

    /// Files a ticket: sets its `org_id` and its `ticket_number` (the organisation's next),
    /// starts its timeline with the customer's `created` entry, and answers its wire shape:
    /// `ticket.created`.
    pub fn file_ticket(&mut self, mut ticket: Ticket) -> (TicketView, Vec<Event>) {
        ticket.org_id = self.org;
        ticket.ticket_number = self.read().last_ticket_number() + 1;
        let created = entry(&ticket, "created", None, None, Some("new"));
        self.store.ticket_events.push(created);
        insert_newest_first(&mut self.store.tickets, ticket.clone());
        let view = self.store.ticket_view(&ticket);
        let mut events = vec![Event::new(self.org, EventName::TicketCreated, json!({ "ticket": view }))];
        // A ticket filed from a chat is also live chat's `ticket:created` in that conversation.
        if let Some(conversation) = ticket.conversation_id {
            let data = json!({
                "conversationId": conversation,
                "ticketNumber": ticket.ticket_number,
                "subject": ticket.subject,
                "timestamp": crate::time_fmt::millis_string(&ticket.created_at),
            });
            events.push(Event::chat(self.org, ChatEventName::TicketCreated, data));
        }
        (view, events)
    }

    /// Records the customer's reply on ticket `id` at `now` and moves its status as the state
    /// machine says ([`TicketStatus::after_customer_reply`]): `ticket.customer_reply`, and when
    /// the status moved `ticket.status_changed` (and `ticket.reopened` for a reopening), with
    /// the timeline recording the change next to the reply. `None` when the organisation has
    /// no such ticket.
    pub fn customer_reply(
        &mut self,
        id: Uuid,
        content: String,
        now: chrono::DateTime<chrono::Utc>,
    ) -> Option<(TicketReply, Vec<Event>)> {
        let org = self.org;
        let ticket = self.store.tickets.iter_mut().find(|t| t.id == id && t.org_id == org)?;
        ticket.updated_at = now;
        let previous = ticket.status;
        let mut timeline = vec![entry(ticket, "customer_reply", Some(content), None, None)];
        if let Some(status) = previous.after_customer_reply() {
            ticket.status = status;
            let kind = if status == TicketStatus::Reopened { "reopened" } else { "status_changed" };
            if status == TicketStatus::Reopened {
                (ticket.resolved_at, ticket.closed_at) = (None, None);
            }
            timeline.push(entry(ticket, kind, None, Some(previous.as_str()), Some(status.as_str())));
        }
        let ticket = ticket.clone();
        self.store.ticket_events.extend(timeline.iter().cloned());
        let view = self.store.ticket_view(&ticket);
        let reply = TicketReply { ticket: view.clone(), reply: timeline[0].clone() };
        let mut events = vec![Event::new(org, EventName::TicketCustomerReply, &reply)];
        if previous != ticket.status {
            let data = json!({ "ticket": view, "previous_status": previous, "status": ticket.status });
            events.push(Event::new(org, EventName::TicketStatusChanged, &data));
            if ticket.status == TicketStatus::Reopened {
                events.push(Event::new(org, EventName::TicketReopened, &data));
            }
        }
        Some((reply, events))
    }
}
