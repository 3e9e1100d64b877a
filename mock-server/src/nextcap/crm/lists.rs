//! The CRM lists' query parameters: comma-separated `status`, `priority` and `source` (a row
//! matches any value; every value must be known, or the 400 names the parameter), `search`
//! (case-insensitive, over subject and description), and `sort_by` / `sort_order` with the
//! names the document lists (`createdAt`, `updatedAt`, and for tickets `priority`,
//! `ticketNumber`). The shared paging and date arguments are parsed next to these by
//! [`ListQuery`](crate::nextcap::extract::ListQuery), so one 400 names every bad field.

use crate::{
    nextcap::extract::ListFilter,
    query::{FieldError, Problem, QueryParams, Validator},
    store::nextcap::{
        CONVERSATION_STATUSES, CrmConversationFilter, CrmTicketFilter, Sort, SortKey, TICKET_PRIORITIES,
        TICKET_SOURCES, TICKET_STATUSES, TicketStatus,
    },
};

/// The values of a comma-separated parameter (blank entries ignored); an unknown one is a 400
/// naming `field` and the allowed values.
fn many(q: &QueryParams<'_>, v: &mut Validator, field: &str, allowed: &[&'static str]) -> Vec<&'static str> {
    let Some(raw) = q.get(field) else { return Vec::new() };
    let mut values = Vec::new();
    for item in raw.split(',').map(str::trim).filter(|s| !s.is_empty()) {
        match allowed.iter().find(|a| **a == item) {
            Some(known) => values.push(*known),
            None => {
                v.push(FieldError::new(field, Problem::NotOneOf(allowed.to_vec())));
                return Vec::new();
            }
        }
    }
    values
}

/// `a, b,,c` -> `["a", "b", "c"]`.
fn split(raw: &str) -> Vec<String> {
    raw.split(',').map(str::trim).filter(|t| !t.is_empty()).map(str::to_owned).collect()
}

fn sort(q: &QueryParams<'_>, v: &mut Validator, keys: &[&'static str]) -> Sort {
    let key = v.check(q.one_of("sort_by", keys)).flatten().map(SortKey::parse).unwrap_or_default();
    let order = v.check(q.one_of("sort_order", &["asc", "desc"])).flatten();
    Sort { key, ascending: order == Some("asc") }
}

impl ListFilter for CrmTicketFilter {
    fn parse(q: &QueryParams<'_>, v: &mut Validator) -> CrmTicketFilter {
        CrmTicketFilter {
            status: many(q, v, "status", &TICKET_STATUSES).into_iter().filter_map(TicketStatus::parse).collect(),
            priority: many(q, v, "priority", &TICKET_PRIORITIES),
            source: many(q, v, "source", &TICKET_SOURCES),
            department_id: v.check(q.uuid("department_id")).flatten(),
            assigned_agent_id: v.check(q.uuid("assigned_agent_id")).flatten(),
            tags: q.get("tags").map(split).unwrap_or_default(),
            category: q.get("category").map(str::to_owned),
            search: q.get("search").map(str::trim).filter(|s| !s.is_empty()).map(str::to_lowercase),
            sort: sort(q, v, &SortKey::TICKET_NAMES),
        }
    }
}

impl ListFilter for CrmConversationFilter {
    fn parse(q: &QueryParams<'_>, v: &mut Validator) -> CrmConversationFilter {
        CrmConversationFilter {
            status: many(q, v, "status", &CONVERSATION_STATUSES),
            agent_id: v.check(q.uuid("agent_id")).flatten(),
            assigned_agent_id: v.check(q.uuid("assigned_agent_id")).flatten(),
            visitor_id: q.get("visitor_id").map(str::to_owned),
            sort: sort(q, v, &SortKey::CONVERSATION_NAMES),
        }
    }
}

/// The team directory's `search`, lower-cased.
#[derive(Clone, Debug, Default)]
pub struct MemberSearch(pub Option<String>);

impl ListFilter for MemberSearch {
    fn parse(q: &QueryParams<'_>, _: &mut Validator) -> MemberSearch {
        MemberSearch(q.get("search").map(str::trim).filter(|s| !s.is_empty()).map(str::to_lowercase))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn comma_lists_accept_known_values_and_name_the_field_otherwise() {
        let q = QueryParams::parse(Some("status=open,%20closed,&priority=high,bogus&sort_by=size"));
        let mut v = Validator::default();
        let filter = CrmTicketFilter::parse(&q, &mut v);
        assert_eq!(filter.status, [TicketStatus::Open, TicketStatus::Closed]);
        let fields: Vec<String> = v.finish().err().unwrap_or_default().into_iter().map(|e| e.field).collect();
        assert_eq!(fields, ["priority", "sort_by"]);
    }
}
