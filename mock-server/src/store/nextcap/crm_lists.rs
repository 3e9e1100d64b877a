//! The CRM's list filters and sort orders (nextcap-crm-integration.txt, `GET
//! /external/crm/conversations` and `/tickets`).
//!
//! Unlike the Data API's filters, `status`, `priority` and `source` take comma-separated
//! values (a row matches any of them), tickets have a case-insensitive `search` over subject
//! and description, and both lists take `sort_by` / `sort_order`. The tables are kept newest
//! first, so the default order (`createdAt desc`) needs no sort; any other order sorts the
//! matching rows once, stably, with the id as the last tie-break so pages never overlap.

use std::cmp::Ordering;

use uuid::Uuid;

use super::{Conversation, Ticket, TicketStatus};

/// Priorities from least to most urgent, for `sort_by=priority`.
const PRIORITY_RANK: [&str; 4] = ["low", "normal", "high", "urgent"];

/// A `sort_by` value.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum SortKey {
    /// `createdAt` (the default).
    #[default]
    CreatedAt,
    /// `updatedAt`.
    UpdatedAt,
    /// `priority` (tickets only): low < normal < high < urgent.
    Priority,
    /// `ticketNumber` (tickets only).
    TicketNumber,
}

impl SortKey {
    /// The values conversations accept.
    pub const CONVERSATION_NAMES: [&'static str; 2] = ["createdAt", "updatedAt"];
    /// The values tickets accept.
    pub const TICKET_NAMES: [&'static str; 4] = ["createdAt", "updatedAt", "priority", "ticketNumber"];

    /// The key named `name` (one of the names above).
    pub fn parse(name: &str) -> SortKey {
        match name {
            "updatedAt" => SortKey::UpdatedAt,
            "priority" => SortKey::Priority,
            "ticketNumber" => SortKey::TicketNumber,
            _ => SortKey::CreatedAt,
        }
    }
}

/// `sort_by` and `sort_order`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Sort {
    /// The field.
    pub key: SortKey,
    /// `sort_order=asc`; descending otherwise (the default).
    pub ascending: bool,
}

impl Sort {
    /// Whether this is the tables' own order, so no sort is needed.
    pub fn is_default(&self) -> bool {
        self.key == SortKey::CreatedAt && !self.ascending
    }

    fn apply<T>(&self, rows: &mut [&T], key: impl Fn(&T, &T) -> Ordering, id: impl Fn(&T) -> Uuid) {
        rows.sort_by(|a, b| {
            let order = key(a, b).then_with(|| id(a).cmp(&id(b)));
            if self.ascending { order } else { order.reverse() }
        });
    }

    /// Sorts tickets in place.
    pub fn tickets(&self, rows: &mut [&Ticket]) {
        if self.is_default() {
            return;
        }
        let rank = |t: &Ticket| PRIORITY_RANK.iter().position(|p| *p == t.priority);
        let key = self.key;
        self.apply(
            rows,
            |a, b| match key {
                SortKey::CreatedAt => a.created_at.cmp(&b.created_at),
                SortKey::UpdatedAt => a.updated_at.cmp(&b.updated_at),
                SortKey::Priority => rank(a).cmp(&rank(b)),
                SortKey::TicketNumber => a.ticket_number.cmp(&b.ticket_number),
            },
            |t| t.id,
        );
    }

    /// Sorts conversations in place (`priority` and `ticketNumber` never reach here).
    pub fn conversations(&self, rows: &mut [&Conversation]) {
        if self.is_default() {
            return;
        }
        let key = self.key;
        self.apply(
            rows,
            |a, b| match key {
                SortKey::UpdatedAt => a.updated_at.cmp(&b.updated_at),
                _ => a.created_at.cmp(&b.created_at),
            },
            |c| c.id,
        );
    }
}

/// Filters of the CRM ticket list besides the date window; empty lists mean "any".
#[derive(Clone, Debug, Default)]
pub struct CrmTicketFilter {
    /// Any of these statuses.
    pub status: Vec<TicketStatus>,
    /// Any of these priorities.
    pub priority: Vec<&'static str>,
    /// Any of these sources.
    pub source: Vec<&'static str>,
    /// Only this department.
    pub department_id: Option<Uuid>,
    /// Only tickets assigned to this seat.
    pub assigned_agent_id: Option<Uuid>,
    /// Tickets carrying any of these tags.
    pub tags: Vec<String>,
    /// Only this category (exact).
    pub category: Option<String>,
    /// Lower-cased text that the subject or the description must contain.
    pub search: Option<String>,
    /// The order.
    pub sort: Sort,
}

impl CrmTicketFilter {
    /// Whether `t` passes every filter that is set.
    pub fn accepts(&self, t: &Ticket) -> bool {
        let any = |list: &[&str], value: &str| list.is_empty() || list.contains(&value);
        (self.status.is_empty() || self.status.contains(&t.status))
            && any(&self.priority, &t.priority)
            && any(&self.source, &t.source)
            && self.department_id.is_none_or(|d| t.department_id == Some(d))
            && self.assigned_agent_id.is_none_or(|a| t.assigned_agent_id == Some(a))
            && (self.tags.is_empty() || self.tags.iter().any(|tag| t.tags.contains(tag)))
            && self.category.as_deref().is_none_or(|c| t.category.as_deref() == Some(c))
            && self.search.as_deref().is_none_or(|needle| {
                t.subject.to_lowercase().contains(needle)
                    || t.description.as_deref().is_some_and(|d| d.to_lowercase().contains(needle))
            })
    }
}

/// Filters of the CRM conversation list besides the date window.
#[derive(Clone, Debug, Default)]
pub struct CrmConversationFilter {
    /// Any of these statuses.
    pub status: Vec<&'static str>,
    /// Only this widget.
    pub agent_id: Option<Uuid>,
    /// Only conversations assigned to this seat.
    pub assigned_agent_id: Option<Uuid>,
    /// Only this visitor (text id, exact).
    pub visitor_id: Option<String>,
    /// The order.
    pub sort: Sort,
}

impl CrmConversationFilter {
    /// Whether `c` passes every filter that is set.
    pub fn accepts(&self, c: &Conversation) -> bool {
        (self.status.is_empty() || self.status.contains(&c.status.as_str()))
            && self.agent_id.is_none_or(|a| c.agent_id == a)
            && self.assigned_agent_id.is_none_or(|a| c.assigned_agent_id == Some(a))
            && self.visitor_id.as_deref().is_none_or(|v| c.visitor_id == v)
    }
}
