//! What a CRM seat does to its organisation's rows: picking up and resolving conversations,
//! and the ticket actions (update, reply, assign, transfer, close, reopen, notes).
//!
//! Every method first finds the row through the seat's scope ([`SeatView`]), so a write can
//! never reach a row the seat could not read; it then checks its input against the store (an
//! assignee must be an active seat, a department one of the organisation's active ones, a
//! status move one the state machine allows) and only then changes anything, so a refused
//! write leaves no trace. Each returns what it made with the events it caused: Next Cap
//! webhooks for tickets (`ticket.updated` for any field change plus the specific event), the
//! live-chat events `agent:assigned` / `conversation:resolved` for conversations. A write that
//! changes nothing returns the row as it is and no event.

use chrono::{DateTime, Utc};
use serde_json::{Value, json};
use uuid::Uuid;

use super::seat::{Access, Denied, SeatRef, SeatView};
use super::{
    Attachment, AttachmentError, AttachmentsMut, Conversation, NextCapStore, Ticket, TicketEvent, TicketStatus,
};
use crate::events::{ChatEventName, Event, EventName, random_uuid};
use crate::time_fmt;

/// A ticket update as validated from the request: `None` leaves a field alone; for the
/// nullable ones `Some(None)` clears it.
#[derive(Clone, Debug, Default)]
pub struct TicketChanges {
    /// New status (checked against the state machine here).
    pub status: Option<TicketStatus>,
    /// New priority (one of [`super::TICKET_PRIORITIES`]).
    pub priority: Option<&'static str>,
    /// New category.
    pub category: Option<Option<String>>,
    /// Replacement tags.
    pub tags: Option<Vec<String>>,
    /// New department (checked here).
    pub department_id: Option<Option<Uuid>>,
    /// New assignee (checked here).
    pub assigned_agent_id: Option<Option<Uuid>>,
    /// New subject.
    pub subject: Option<String>,
    /// New description.
    pub description: Option<Option<String>>,
    /// Custom fields to set (merged key by key into the existing object).
    pub custom_fields: Option<serde_json::Map<String, Value>>,
    /// Replacement metadata.
    pub metadata: Option<Value>,
}

/// One seat's rows, for writing.
#[derive(Debug)]
pub struct SeatViewMut<'a> {
    store: &'a mut NextCapStore,
    who: SeatRef,
}

impl NextCapStore {
    /// The rows seat `who` may change.
    pub fn seat_view_mut(&mut self, who: SeatRef) -> SeatViewMut<'_> {
        SeatViewMut { store: self, who }
    }
}

/// A ticket before and after a change, for the events.
struct Before {
    status: TicketStatus,
    assignee: Option<Uuid>,
    department: Option<Uuid>,
}

impl SeatViewMut<'_> {
    /// The read-only view of the same seat.
    pub fn read(&self) -> SeatView<'_> {
        self.store.seat_view(self.who)
    }

    fn org(&self) -> Uuid {
        self.who.org
    }

    /// The organisation's attachments, for writing (uploads belong to the organisation, not to
    /// a widget, so any seat of it reaches them).
    pub fn attachments_mut(&mut self) -> AttachmentsMut<'_> {
        let org = self.org();
        self.store.attachments_mut(org)
    }

    fn conversation_mut(&mut self, id: Uuid) -> &mut Conversation {
        let org = self.org();
        // Callers found the row through the seat's scope first; index lookups cannot miss.
        let index = self.store.conversations.iter().position(|c| c.id == id && c.org_id == org).unwrap_or(0);
        &mut self.store.conversations[index]
    }

    fn ticket_mut(&mut self, id: Uuid) -> &mut Ticket {
        let org = self.org();
        let index = self.store.tickets.iter().position(|t| t.id == id && t.org_id == org).unwrap_or(0);
        &mut self.store.tickets[index]
    }

    fn check_agent(&self, field: &'static str, agent: Uuid) -> Access<()> {
        match self.read().org().active_seat(agent) {
            Some(_) => Ok(()),
            None => Err(Denied::invalid(field, "must be the id of an active team member of this organisation")),
        }
    }

    fn check_department(&self, field: &'static str, department: Uuid) -> Access<()> {
        match self.read().org().department(department) {
            Some(d) if d.is_active => Ok(()),
            _ => Err(Denied::invalid(field, "must be the id of an active department of this organisation")),
        }
    }

    /// Assigns conversation `id` (of the seat's widgets) to team member `agent` at `now`:
    /// `agent:assigned` with `{conversationId, agentUserId, timestamp}`.
    pub fn assign_conversation(
        &mut self,
        id: Uuid,
        agent: Uuid,
        now: DateTime<Utc>,
    ) -> Access<(Conversation, Vec<Event>)> {
        self.read().widget_conversation(id)?;
        self.check_agent("agent_id", agent)?;
        let org = self.org();
        let c = self.conversation_mut(id);
        if c.assigned_agent_id == Some(agent) {
            return Ok((c.clone(), Vec::new()));
        }
        (c.assigned_agent_id, c.updated_at) = (Some(agent), now);
        let data = json!({ "conversationId": id, "agentUserId": agent, "timestamp": time_fmt::millis_string(&now) });
        Ok((c.clone(), vec![Event::chat(org, ChatEventName::AgentAssigned, data)]))
    }

    /// Resolves conversation `id` at `now`: `conversation:resolved` with `{conversationId,
    /// timestamp}`; an already resolved one is returned as it is.
    pub fn resolve_conversation(&mut self, id: Uuid, now: DateTime<Utc>) -> Access<(Conversation, Vec<Event>)> {
        self.read().widget_conversation(id)?;
        let org = self.org();
        let c = self.conversation_mut(id);
        if c.status == "resolved" {
            return Ok((c.clone(), Vec::new()));
        }
        c.status = "resolved".to_owned();
        (c.resolved_at, c.updated_at) = (Some(now), now);
        let data = json!({ "conversationId": id, "timestamp": time_fmt::millis_string(&now) });
        Ok((c.clone(), vec![Event::chat(org, ChatEventName::ConversationResolved, data)]))
    }

    /// A timeline entry by the seat, at `now`.
    fn entry(
        &self,
        ticket: Uuid,
        kind: &str,
        content: Option<String>,
        change: (Option<String>, Option<String>),
        now: DateTime<Utc>,
    ) -> TicketEvent {
        let seat = self.read().seat().map(|s| (s.id, s.name.clone()));
        TicketEvent {
            id: random_uuid(),
            ticket_id: ticket,
            kind: kind.to_owned(),
            actor_type: "agent".to_owned(),
            actor_id: seat.as_ref().map(|s| s.0),
            actor_name: seat.map(|s| s.1),
            content,
            is_internal: false,
            old_value: change.0,
            new_value: change.1,
            attachments: Vec::new(),
            created_at: now,
        }
    }

    /// Applies `changes` to ticket `id` at `now`. Every reference and the status move are
    /// checked before anything changes; a status equal to the current one is not a move the
    /// table lists, so it is refused too. Fires `ticket.updated` with `changed_fields` when
    /// anything changed, and per field `ticket.status_changed` (+ `ticket.reopened`),
    /// `ticket.assigned`, `ticket.department_changed`.
    pub fn update_ticket(
        &mut self,
        id: Uuid,
        changes: TicketChanges,
        now: DateTime<Utc>,
    ) -> Access<(Ticket, Vec<Event>)> {
        let current = self.read().ticket(id)?.clone();
        if let Some(to) = changes.status
            && !current.status.can_move_to(to)
        {
            let allowed: Vec<&str> = current.status.next().iter().map(|s| s.as_str()).collect();
            let why = format!("cannot move from {} to {to}; allowed: {}", current.status, allowed.join(", "));
            return Err(Denied::invalid("status", why));
        }
        if let Some(Some(agent)) = changes.assigned_agent_id {
            self.check_agent("assigned_agent_id", agent)?;
        }
        if let Some(Some(department)) = changes.department_id {
            self.check_department("department_id", department)?;
        }
        let before =
            Before { status: current.status, assignee: current.assigned_agent_id, department: current.department_id };
        let mut changed: Vec<&'static str> = Vec::new();
        let t = self.ticket_mut(id);
        macro_rules! set {
            ($field:ident, $value:expr) => {
                let value = $value;
                if t.$field != value {
                    t.$field = value;
                    changed.push(stringify!($field));
                }
            };
        }
        if let Some(status) = changes.status {
            set!(status, status);
            match status {
                TicketStatus::Resolved => t.resolved_at = Some(now),
                TicketStatus::Closed => t.closed_at = Some(now),
                TicketStatus::Reopened => (t.resolved_at, t.closed_at) = (None, None),
                _ => {}
            }
        }
        if let Some(priority) = changes.priority {
            set!(priority, priority.to_owned());
        }
        if let Some(category) = changes.category {
            set!(category, category);
        }
        if let Some(tags) = changes.tags {
            set!(tags, tags);
        }
        if let Some(department) = changes.department_id {
            set!(department_id, department);
        }
        if let Some(agent) = changes.assigned_agent_id {
            set!(assigned_agent_id, agent);
        }
        if let Some(subject) = changes.subject {
            set!(subject, subject);
        }
        if let Some(description) = changes.description {
            set!(description, description);
        }
        if let Some(fields) = changes.custom_fields {
            let mut merged = t.custom_fields.as_object().cloned().unwrap_or_default();
            merged.extend(fields);
            set!(custom_fields, Value::Object(merged));
        }
        if let Some(metadata) = changes.metadata {
            set!(metadata, metadata);
        }
        Ok(self.finish_change(id, before, &changed, now))
    }

    /// Stamps a changed ticket, writes its timeline entries and builds the events.
    fn finish_change(
        &mut self,
        id: Uuid,
        before: Before,
        changed: &[&str],
        now: DateTime<Utc>,
    ) -> (Ticket, Vec<Event>) {
        let org = self.org();
        if changed.is_empty() {
            let t = self.ticket_mut(id).clone();
            return (t, Vec::new());
        }
        let t = self.ticket_mut(id);
        t.updated_at = now;
        let ticket = t.clone();
        let view = self.store.ticket_view(&ticket);
        let text = |v: Option<Uuid>| v.map(|u| u.to_string());
        let mut timeline = Vec::new();
        let mut events =
            vec![Event::new(org, EventName::TicketUpdated, json!({ "ticket": view, "changed_fields": changed }))];
        if before.status != ticket.status {
            let data = json!({ "ticket": view, "previous_status": before.status, "status": ticket.status });
            events.push(Event::new(org, EventName::TicketStatusChanged, &data));
            let reopened = ticket.status == TicketStatus::Reopened;
            if reopened {
                events.push(Event::new(org, EventName::TicketReopened, &data));
            }
            let change = (Some(before.status.to_string()), Some(ticket.status.to_string()));
            timeline.push(self.entry(id, if reopened { "reopened" } else { "status_changed" }, None, change, now));
        }
        if before.assignee != ticket.assigned_agent_id {
            let data = json!({ "ticket": view, "previous_assigned_agent_id": before.assignee, "assigned_agent_id": ticket.assigned_agent_id });
            if ticket.assigned_agent_id.is_some() {
                events.push(Event::new(org, EventName::TicketAssigned, data));
            }
            timeline.push(self.entry(
                id,
                "assigned",
                None,
                (text(before.assignee), text(ticket.assigned_agent_id)),
                now,
            ));
        }
        if before.department != ticket.department_id {
            let data = json!({ "ticket": view, "previous_department_id": before.department, "department_id": ticket.department_id });
            events.push(Event::new(org, EventName::TicketDepartmentChanged, data));
            let change = (text(before.department), text(ticket.department_id));
            timeline.push(self.entry(id, "department_changed", None, change, now));
        }
        let other: Vec<&str> = changed
            .iter()
            .copied()
            .filter(|f| !matches!(*f, "status" | "assigned_agent_id" | "department_id"))
            .collect();
        if !other.is_empty() {
            timeline.push(self.entry(id, "updated", None, (None, Some(other.join(","))), now));
        }
        self.store.ticket_events.extend(timeline);
        (ticket, events)
    }

    /// Assigns ticket `id` to `agent`: `ticket.assigned` and `ticket.updated`.
    pub fn assign_ticket(&mut self, id: Uuid, agent: Uuid, now: DateTime<Utc>) -> Access<(Ticket, Vec<Event>)> {
        let changes = TicketChanges { assigned_agent_id: Some(Some(agent)), ..TicketChanges::default() };
        self.update_ticket(id, changes, now).map_err(|e| rename(e, "agent_id"))
    }

    /// Moves ticket `id` to `department`, clearing the assignee when `unassign`:
    /// `ticket.department_changed` and `ticket.updated`.
    pub fn transfer_ticket(
        &mut self,
        id: Uuid,
        department: Uuid,
        unassign: bool,
        now: DateTime<Utc>,
    ) -> Access<(Ticket, Vec<Event>)> {
        let changes = TicketChanges {
            department_id: Some(Some(department)),
            assigned_agent_id: unassign.then_some(None),
            ..TicketChanges::default()
        };
        self.update_ticket(id, changes, now)
    }

    /// Moves ticket `id` to `status` (close and reopen), refusing what the table does not allow.
    pub fn move_ticket(&mut self, id: Uuid, status: TicketStatus, now: DateTime<Utc>) -> Access<(Ticket, Vec<Event>)> {
        self.update_ticket(id, TicketChanges { status: Some(status), ..TicketChanges::default() }, now)
    }

    /// The seat's reply on ticket `id`: a public `reply` entry, `ticket.reply` with the
    /// ticket and the entry (content and the acting seat's id). The status is not changed.
    pub fn reply(
        &mut self,
        id: Uuid,
        content: String,
        attachment_ids: &[Uuid],
        now: DateTime<Utc>,
    ) -> Access<(TicketEvent, Vec<Event>)> {
        self.read().ticket(id)?;
        let linked = self.attachments_mut().link(attachment_ids, id, now).map_err(|e| match e {
            AttachmentError::Invalid { field, message } => Denied::Invalid { field, message },
            AttachmentError::Missing | AttachmentError::Conflict(_) => Denied::Missing,
        })?;
        let mut reply = self.entry(id, "reply", Some(content), (None, None), now);
        reply.attachments = linked.iter().map(Attachment::ticket_entry).collect();
        let t = self.ticket_mut(id);
        t.updated_at = now;
        let ticket = t.clone();
        self.store.ticket_events.push(reply.clone());
        let data = json!({ "ticket": self.store.ticket_view(&ticket), "reply": reply });
        Ok((reply, vec![Event::new(self.org(), EventName::TicketReply, data)]))
    }

    /// A note on ticket `id`'s timeline, internal unless `is_internal` is false. A note changes
    /// no ticket field, so it fires nothing.
    pub fn add_note(
        &mut self,
        id: Uuid,
        content: String,
        is_internal: bool,
        now: DateTime<Utc>,
    ) -> Access<TicketEvent> {
        self.read().ticket(id)?;
        let mut note = self.entry(id, "note", Some(content), (None, None), now);
        note.is_internal = is_internal;
        self.store.ticket_events.push(note.clone());
        Ok(note)
    }
}

/// The same refusal, naming the request's field instead of the update's.
fn rename(denied: Denied, field: &'static str) -> Denied {
    match denied {
        Denied::Invalid { message, .. } => Denied::Invalid { field, message },
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::events::Topic;

    #[test]
    fn assign_and_resolve_publish_the_live_chat_events_once() {
        let mut store = crate::store::fixtures::build(42, 5);
        let nc = store.nextcap_mut();
        let org = nc.orgs[0].id;
        let liam = nc.seats.iter().find(|s| s.name == "Liam Chat").map(|s| s.id).unwrap_or_default();
        let who = SeatRef { org, seat: liam };
        let queued = nc.seat_view(who).queue()[0].id;
        let now = chrono::Utc::now();
        let mut seat = nc.seat_view_mut(who);
        let (c, events) = seat.assign_conversation(queued, liam, now).unwrap_or_else(|e| panic!("{e:?}"));
        assert_eq!(c.assigned_agent_id, Some(liam));
        assert_eq!(events.len(), 1);
        assert_eq!(events[0].topic, Topic::Chat { org_id: org, name: ChatEventName::AgentAssigned });
        assert_eq!(events[0].data["conversationId"], json!(queued));
        assert_eq!(events[0].data["agentUserId"], json!(liam));
        assert!(events[0].data["timestamp"].is_string());
        assert!(seat.assign_conversation(queued, liam, now).is_ok_and(|(_, e)| e.is_empty()), "no change, no event");
        let (c, events) = seat.resolve_conversation(queued, now).unwrap_or_else(|e| panic!("{e:?}"));
        assert_eq!(c.status, "resolved");
        assert_eq!(events[0].topic, Topic::Chat { org_id: org, name: ChatEventName::ConversationResolved });
        assert_eq!(events[0].data["conversationId"], json!(queued));
        assert!(seat.resolve_conversation(queued, now).is_ok_and(|(_, e)| e.is_empty()));
        let stranger = Uuid::from_u128(7);
        assert_eq!(seat.resolve_conversation(stranger, now).err(), Some(Denied::Missing));
    }
}
