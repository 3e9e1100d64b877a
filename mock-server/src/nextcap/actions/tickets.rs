//! `file-ticket` and `customer-reply`: the customer's side of a ticket.
//!
//! A customer reply follows the usual help-desk rule: on a `resolved` or `closed` ticket it
//! reopens the ticket (`reopened`), on a ticket `waiting_customer` it hands the ball back
//! (`open`); either way the timeline records the change next to the reply, and the matching
//! webhooks fire after `ticket.customer_reply`.

use serde::Serialize;
use serde_json::{Value, json};

use super::{
    ActionError, CustomerReply, NewTicket,
    checks::{email, one_of, optional_text, org, reference, required_id, required_text, web_url, widget},
};
use crate::{
    events::{Event, EventName, random_uuid},
    state::AppState,
    store::nextcap::{
        TICKET_PRIORITIES, TICKET_SOURCES, Ticket, TicketEvent, TicketStatus, TicketView, insert_newest_first,
    },
    time_fmt,
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

/// Trimmed, non-blank, comma-free tags, each once.
fn tags(raw: Vec<String>) -> Result<Vec<String>, ActionError> {
    let mut out: Vec<String> = Vec::new();
    for tag in raw {
        let tag = tag.trim().to_owned();
        if tag.is_empty() || tag.contains(',') || tag.chars().count() > 50 {
            return Err(ActionError::invalid("tags", "each tag must be 1-50 characters without commas"));
        }
        if !out.contains(&tag) {
            out.push(tag);
        }
    }
    Ok(out)
}

/// See [`super::NextCapActions::file_ticket`].
pub fn file_ticket(state: &AppState, input: NewTicket) -> Result<TicketView, ActionError> {
    let (view, event) = {
        let mut inner = state.lock();
        let store = &inner.store.nextcap;
        let org_id = org(store, &input.org)?;
        let department_id = match input.department_id {
            Some(id) if store.department(org_id, id).is_some_and(|d| d.is_active) => Some(id),
            Some(_) => {
                return Err(ActionError::invalid("department_id", "is not an active department of this organisation"));
            }
            None => store.departments.iter().find(|d| d.org_id == org_id && d.is_active && d.is_default).map(|d| d.id),
        };
        let widget = widget(store, org_id, input.agent_id)?;
        let (origin_url, origin_domain) = web_url("origin_url", input.origin_url)?;
        let mut metadata = json!({ "identity_verified": false });
        if let (Some(url), Some(domain)) = (&origin_url, &origin_domain) {
            metadata["originUrl"] = json!(url);
            metadata["originDomain"] = json!(domain);
        }
        let number = store.tickets.iter().filter(|t| t.org_id == org_id).map(|t| t.ticket_number).max().unwrap_or(0);
        let now = time_fmt::now();
        let ticket = Ticket {
            id: random_uuid(),
            org_id,
            ticket_number: number + 1,
            subject: required_text("subject", &input.subject, 255)?,
            description: optional_text("description", input.description, 10_000)?,
            status: TicketStatus::New,
            priority: one_of("priority", input.priority.as_deref(), &TICKET_PRIORITIES, "normal")?.to_owned(),
            department_id,
            assigned_agent_id: None,
            agent_id: widget.id,
            agent_name: widget.name.clone(),
            agent_display_name: None,
            source: one_of("source", input.source.as_deref(), &TICKET_SOURCES, "widget")?.to_owned(),
            external_id: None,
            external_source: None,
            origin_url,
            origin_domain,
            visitor_email: email("visitor_email", input.visitor_email)?,
            detected_language: optional_text("detected_language", input.detected_language, 16)?,
            custom_fields: Value::Object(input.custom_fields.unwrap_or_default()),
            metadata,
            category: optional_text("category", input.category, 100)?,
            tags: tags(input.tags)?,
            conversation_id: reference("conversation_id", input.conversation_id, |id| {
                store.conversation(org_id, id).is_some()
            })?,
            resolved_at: None,
            closed_at: None,
            created_at: now,
            updated_at: now,
        };
        let created = entry(&ticket, "created", None, None, Some("new"));
        let store = &mut inner.store_mut().nextcap;
        store.ticket_events.push(created);
        insert_newest_first(&mut store.tickets, ticket.clone());
        let view = store.ticket_view(&ticket);
        let event = Event::new(org_id, EventName::TicketCreated, json!({ "ticket": view }));
        (view, event)
    };
    state.publish(vec![event]);
    Ok(view)
}

/// See [`super::NextCapActions::customer_reply`].
pub fn customer_reply(state: &AppState, input: CustomerReply) -> Result<TicketReply, ActionError> {
    let (reply, events) = {
        let mut inner = state.lock();
        let org_id = org(&inner.store.nextcap, &input.org)?;
        let id = required_id("ticket_id", input.ticket_id)?;
        let content = required_text("content", &input.content, 10_000)?;
        inner
            .store
            .nextcap
            .ticket(org_id, id)
            .ok_or_else(|| ActionError::invalid("ticket_id", "does not exist in this organisation"))?;
        let store = &mut inner.store_mut().nextcap;
        let (ticket, previous, timeline) = apply_reply(store.tickets.iter_mut().find(|t| t.id == id), content)?;
        store.ticket_events.extend(timeline.iter().cloned());
        let view = store.ticket_view(&ticket);
        let reply = TicketReply { ticket: view.clone(), reply: timeline[0].clone() };
        let mut events = vec![Event::new(org_id, EventName::TicketCustomerReply, &reply)];
        if previous != ticket.status {
            let data = json!({ "ticket": view, "previous_status": previous, "status": ticket.status });
            events.push(Event::new(org_id, EventName::TicketStatusChanged, &data));
            if ticket.status == TicketStatus::Reopened {
                events.push(Event::new(org_id, EventName::TicketReopened, &data));
            }
        }
        (reply, events)
    };
    state.publish(events);
    Ok(reply)
}

/// Records the reply on `ticket` and moves its status as the state machine says
/// ([`TicketStatus::after_customer_reply`]); returns the ticket, its previous status, and the
/// new timeline entries (the reply first).
fn apply_reply(
    ticket: Option<&mut Ticket>,
    content: String,
) -> Result<(Ticket, TicketStatus, Vec<TicketEvent>), ActionError> {
    let ticket = ticket.ok_or_else(|| ActionError::invalid("ticket_id", "does not exist in this organisation"))?;
    ticket.updated_at = time_fmt::now();
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
    Ok((ticket.clone(), previous, timeline))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_are_trimmed_unique_and_comma_free() {
        assert_eq!(tags(vec![" vip ".into(), "bug".into(), "vip".into()]), Ok(vec!["vip".into(), "bug".into()]));
        assert_eq!(tags(vec!["a,b".into()]).unwrap_err().field, "tags");
        assert_eq!(tags(vec![" ".into()]).unwrap_err().field, "tags");
    }
}
