//! `file-ticket` and `customer-reply`: the customer's side of a ticket.
//!
//! A customer reply follows the usual help-desk rule: on a `resolved` or `closed` ticket it
//! reopens the ticket (`reopened`), on a ticket `waiting_customer` it hands the ball back
//! (`open`); either way the timeline records the change next to the reply, and the matching
//! webhooks fire after `ticket.customer_reply`.

use serde_json::{Value, json};

use super::{
    ActionError, CustomerReply, NewTicket,
    checks::{email, one_of, optional_text, org, reference, required_id, required_text, web_url, widget},
    locked,
};
use crate::{
    events::random_uuid,
    state::AppState,
    store::nextcap::{TICKET_PRIORITIES, TICKET_SOURCES, Ticket, TicketReply, TicketStatus, TicketView},
};

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
    locked(state, |inner| {
        let org = org(inner.store().nextcap(), &input.org)?;
        let department_id = match input.department_id {
            Some(id) if org.department(id).is_some_and(|d| d.is_active) => Some(id),
            Some(_) => {
                return Err(ActionError::invalid("department_id", "is not an active department of this organisation"));
            }
            None => org.default_department().map(|d| d.id),
        };
        let widget = widget(&org, input.agent_id)?;
        let (origin_url, origin_domain) = web_url("origin_url", input.origin_url)?;
        let mut metadata = json!({ "identity_verified": false });
        if let (Some(url), Some(domain)) = (&origin_url, &origin_domain) {
            metadata["originUrl"] = json!(url);
            metadata["originDomain"] = json!(domain);
        }
        let now = state.clock().now();
        let org_id = org.org_id();
        let ticket = Ticket {
            id: random_uuid(),
            org_id,
            // The store numbers the ticket when it files it.
            ticket_number: 0,
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
            conversation_id: reference("conversation_id", input.conversation_id, |id| org.conversation(id).is_some())?,
            resolved_at: None,
            closed_at: None,
            created_at: now,
            updated_at: now,
        };
        Ok(inner.store_mut().nextcap_mut().org_view_mut(org_id).file_ticket(ticket))
    })
}

/// See [`super::NextCapActions::customer_reply`].
pub fn customer_reply(state: &AppState, input: CustomerReply) -> Result<TicketReply, ActionError> {
    let missing = || ActionError::invalid("ticket_id", "does not exist in this organisation");
    locked(state, |inner| {
        let org = org(inner.store().nextcap(), &input.org)?;
        let id = required_id("ticket_id", input.ticket_id)?;
        let content = required_text("content", &input.content, 10_000)?;
        // Checked on the shared store first: `store_mut` copies the pristine fixtures on the
        // first write, which a request that is going to fail should not cause.
        org.ticket(id).ok_or_else(missing)?;
        let org_id = org.org_id();
        inner
            .store_mut()
            .nextcap_mut()
            .org_view_mut(org_id)
            .customer_reply(id, content, state.clock().now())
            .ok_or_else(missing)
    })
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
