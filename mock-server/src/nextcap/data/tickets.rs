//! `GET /external/tickets`, `/tickets/{id}` and `/tickets/{id}/events` (the timeline).
//!
//! Filters: `status`, `priority`, `source` (enums), `department_id`, `assigned_agent_id`
//! (UUIDs), `category` (exact), and `tags`: comma-separated, a ticket matches when it carries
//! ANY of them (`tags=vip,bug` is "vip or bug"; blank entries are ignored). Any-of is our
//! reading of an undocumented filter: it is what a CRM syncing "tickets tagged X or Y" wants,
//! and all-of can still be had by filtering the result. Tickets render with their department
//! embedded; the timeline is oldest first and never contains internal notes.

use crate::{
    encode::JsonBody,
    nextcap::{
        Reply,
        extract::{DataOrg, ListFilter, ListQuery, PathId, not_found},
        found,
    },
    query::{QueryParams, Validator},
    store::nextcap::{TICKET_PRIORITIES, TICKET_SOURCES, TICKET_STATUSES, Ticket, TicketFilter, TicketStatus},
};

impl ListFilter for TicketFilter {
    fn parse(q: &QueryParams<'_>, v: &mut Validator) -> TicketFilter {
        TicketFilter {
            status: v.check(q.one_of("status", &TICKET_STATUSES)).flatten().and_then(TicketStatus::parse),
            priority: v.check(q.one_of("priority", &TICKET_PRIORITIES)).flatten(),
            department_id: v.check(q.uuid("department_id")).flatten(),
            assigned_agent_id: v.check(q.uuid("assigned_agent_id")).flatten(),
            category: q.get("category").map(str::to_owned),
            tags: q.get("tags").map(split_tags).unwrap_or_default(),
            source: v.check(q.one_of("source", &TICKET_SOURCES)).flatten(),
        }
    }
}

/// `GET /external/tickets`.
pub async fn list(org: DataOrg, ListQuery { args, filter, target }: ListQuery<TicketFilter>) -> Reply {
    org.read_cached("listTickets", &target, |v| {
        let rows = v.tickets().filter(|t| filter.accepts(t));
        Ok(JsonBody(args.page_of(rows, |t| v.ticket_view(t))).encode())
    })
}

/// `a, b,,c` -> `["a", "b", "c"]`.
fn split_tags(raw: &str) -> Vec<String> {
    raw.split(',').map(str::trim).filter(|t| !t.is_empty()).map(str::to_owned).collect()
}

/// `GET /external/tickets/{id}`, with its department.
pub async fn get(org: DataOrg, id: PathId<Ticket>) -> Reply {
    org.read(|v| found(v.ticket(id.id()).map(|t| v.ticket_view(t)), "Ticket"))
}

/// `GET /external/tickets/{id}/events`: the public timeline, oldest first.
pub async fn events(org: DataOrg, id: PathId<Ticket>, ListQuery { args, target, .. }: ListQuery<()>) -> Reply {
    org.read_cached("listTicketEvents", &target, |v| {
        let rows = v.ticket_events(id.id()).ok_or_else(|| not_found("Ticket"))?;
        Ok(JsonBody(args.page_of(rows.into_iter(), |row| row)).encode())
    })
}

#[cfg(test)]
mod tests {
    #[test]
    fn tags_split_on_commas_and_drop_blanks() {
        assert_eq!(super::split_tags(" vip, bug,,  "), ["vip", "bug"]);
        assert!(super::split_tags(",").is_empty());
    }
}
