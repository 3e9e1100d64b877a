//! Tickets: the stored row, the documented resource it is joined into, the list filter, the
//! agent's updates (`PUT`, close) and the dashboard counts computed from the agent's tickets.

use chrono::{DateTime, Utc};
use serde::Serialize;

use super::{AgentView, AgentViewMut, CustomField, Customer, DeskHiveStore, Label, Named, TicketAccess, named};
use crate::time_fmt;

/// A stored ticket (ids, not objects).
#[derive(Clone, Debug)]
pub struct Ticket {
    /// Id.
    pub id: u64,
    /// Title.
    pub title: String,
    /// Body.
    pub content: String,
    /// One of [`super::STATUSES`].
    pub status: String,
    /// One of [`super::PRIORITIES`].
    pub priority: String,
    /// Department.
    pub department_id: Option<u64>,
    /// Category.
    pub category_id: Option<u64>,
    /// Product.
    pub product_id: Option<u64>,
    /// Customer.
    pub customer_id: u64,
    /// Labels.
    pub label_ids: Vec<u64>,
    /// Assignee.
    pub assigned_to: Option<u64>,
    /// Collaborating agents.
    pub agent_ids: Vec<u64>,
    /// Custom fields.
    pub custom_fields: Vec<CustomField>,
    /// Locked tickets refuse replies (403).
    pub is_locked: bool,
    /// Last reply.
    pub last_reply_at: Option<DateTime<Utc>>,
    /// Closing time.
    pub closed_at: Option<DateTime<Utc>>,
    /// Creation time.
    pub created_at: DateTime<Utc>,
    /// Last update.
    pub updated_at: DateTime<Utc>,
}

impl Ticket {
    /// Whether `agent_id` may see this ticket.
    pub fn visible_to(&self, agent_id: u64) -> bool {
        self.assigned_to == Some(agent_id) || self.agent_ids.contains(&agent_id)
    }

    /// Sets the status; `closed` stamps `closed_at`, leaving `closed` clears it.
    pub(super) fn set_status(&mut self, status: &str, now: DateTime<Utc>) {
        if status == "closed" && self.status != "closed" {
            self.closed_at = Some(now);
        } else if status != "closed" {
            self.closed_at = None;
        }
        self.status = status.to_owned();
    }
}

/// The documented ticket resource.
#[derive(Clone, Debug, Serialize)]
pub struct TicketResource {
    /// Id.
    pub id: u64,
    /// `#1001`.
    pub reference_id: String,
    /// Title.
    pub title: String,
    /// Body.
    pub content: String,
    /// Status.
    pub status: String,
    /// Priority.
    pub priority: String,
    /// Department.
    pub department: Option<Named>,
    /// Category.
    pub category: Option<Named>,
    /// Product.
    pub product: Option<Named>,
    /// Customer.
    pub customer: Option<Customer>,
    /// Labels.
    pub labels: Vec<Label>,
    /// Assignee.
    pub assigned_to: Option<Named>,
    /// Collaborators.
    pub agents: Vec<Named>,
    /// Custom fields.
    pub custom_fields: Vec<CustomField>,
    /// Closed means resolved.
    pub is_resolved: bool,
    /// Locked.
    pub is_locked: bool,
    /// Last reply.
    #[serde(serialize_with = "time_fmt::secs_opt")]
    pub last_reply_at: Option<DateTime<Utc>>,
    /// Closing time.
    #[serde(serialize_with = "time_fmt::secs_opt")]
    pub closed_at: Option<DateTime<Utc>>,
    /// Creation time.
    #[serde(serialize_with = "time_fmt::secs")]
    pub created_at: DateTime<Utc>,
    /// Last update.
    #[serde(serialize_with = "time_fmt::secs")]
    pub updated_at: DateTime<Utc>,
}

/// Filters of `GET /external/tickets`.
#[derive(Clone, Debug, Default)]
pub struct TicketFilter {
    /// Only this status.
    pub status: Option<String>,
    /// Only this priority.
    pub priority: Option<String>,
    /// Only this department.
    pub department_id: Option<u64>,
}

/// A checked `PUT /external/tickets/{id}` body: `None` leaves a field alone.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TicketUpdate {
    /// New status (one of [`super::STATUSES`]).
    pub status: Option<String>,
    /// New priority (one of [`super::PRIORITIES`]).
    pub priority: Option<String>,
    /// The labels, replacing the ticket's (existing label ids).
    pub labels: Option<Vec<u64>>,
}

/// `GET /external/dashboard`'s counts.
#[derive(Clone, Copy, Debug, Default, Serialize, PartialEq, Eq)]
pub struct Dashboard {
    /// The agent's tickets in `open`.
    pub open_tickets: usize,
    /// ... in `in_progress`.
    pub in_progress_tickets: usize,
    /// Tickets not closed whose last public message is the customer's.
    pub needs_response: usize,
    /// Tickets closed on the mock clock's current UTC day.
    pub closed_today: usize,
}

impl DeskHiveStore {
    /// Joins a stored ticket into the documented resource.
    pub fn ticket_resource(&self, t: &Ticket) -> TicketResource {
        TicketResource {
            id: t.id,
            reference_id: format!("#{}", 1000 + t.id),
            title: t.title.clone(),
            content: t.content.clone(),
            status: t.status.clone(),
            priority: t.priority.clone(),
            department: named(&self.departments, t.department_id),
            category: named(&self.categories, t.category_id),
            product: named(&self.products, t.product_id),
            customer: self.customers.iter().find(|c| c.id == t.customer_id).cloned(),
            labels: self.labels.iter().filter(|l| t.label_ids.contains(&l.id)).cloned().collect(),
            assigned_to: t.assigned_to.and_then(|id| self.agent_ref(id)),
            agents: t.agent_ids.iter().filter_map(|id| self.agent_ref(*id)).collect(),
            custom_fields: t.custom_fields.clone(),
            is_resolved: t.status == "closed",
            is_locked: t.is_locked,
            last_reply_at: t.last_reply_at,
            closed_at: t.closed_at,
            created_at: t.created_at,
            updated_at: t.updated_at,
        }
    }

    /// Whether `id` is an existing label.
    pub fn label_exists(&self, id: u64) -> bool {
        self.labels.iter().any(|l| l.id == id)
    }
}

impl AgentView<'_> {
    /// One of the agent's tickets as the API renders it.
    pub fn ticket(&self, id: u64) -> Result<TicketResource, TicketAccess> {
        let index = self.ticket_index(id)?;
        Ok(self.store.ticket_resource(&self.store.tickets[index]))
    }

    /// Whether the label exists (labels are installation-wide).
    pub fn label_exists(&self, id: u64) -> bool {
        self.store.label_exists(id)
    }

    /// One page of the tickets the agent may see, and the total.
    pub fn tickets(&self, filter: &TicketFilter, offset: usize, limit: usize) -> (Vec<TicketResource>, usize) {
        let agent_id = self.agent_id;
        let matching: Vec<&Ticket> = self
            .store
            .tickets
            .iter()
            .filter(|t| t.visible_to(agent_id))
            .filter(|t| filter.status.as_deref().is_none_or(|s| t.status == s))
            .filter(|t| filter.priority.as_deref().is_none_or(|p| t.priority == p))
            .filter(|t| filter.department_id.is_none_or(|d| t.department_id == Some(d)))
            .collect();
        let page = matching.iter().skip(offset).take(limit).map(|t| self.store.ticket_resource(t)).collect();
        (page, matching.len())
    }

    /// The dashboard counts over the agent's tickets, `now` being the mock's clock.
    pub fn dashboard(&self, now: DateTime<Utc>) -> Dashboard {
        let mut counts = Dashboard::default();
        for t in self.store.tickets.iter().filter(|t| t.visible_to(self.agent_id)) {
            match t.status.as_str() {
                "open" => counts.open_tickets += 1,
                "in_progress" => counts.in_progress_tickets += 1,
                _ => {}
            }
            if t.status != "closed" && self.store.awaits_agent(t.id) {
                counts.needs_response += 1;
            }
            if t.status == "closed" && t.closed_at.is_some_and(|c| c.date_naive() == now.date_naive()) {
                counts.closed_today += 1;
            }
        }
        counts
    }
}

impl AgentViewMut<'_> {
    /// Applies a checked update to one of the agent's tickets at `now`.
    pub fn update_ticket(
        &mut self,
        id: u64,
        update: TicketUpdate,
        now: DateTime<Utc>,
    ) -> Result<TicketResource, TicketAccess> {
        let index = self.read().ticket_index(id)?;
        let ticket = &mut self.store.tickets[index];
        if let Some(status) = update.status {
            ticket.set_status(&status, now);
        }
        if let Some(priority) = update.priority {
            ticket.priority = priority;
        }
        if let Some(labels) = update.labels {
            ticket.label_ids = labels;
            ticket.label_ids.dedup();
        }
        ticket.updated_at = now;
        Ok(self.store.ticket_resource(&self.store.tickets[index]))
    }

    /// Closes one of the agent's tickets; closing a closed ticket changes nothing.
    pub fn close_ticket(&mut self, id: u64, now: DateTime<Utc>) -> Result<TicketResource, TicketAccess> {
        let index = self.read().ticket_index(id)?;
        let ticket = &mut self.store.tickets[index];
        if ticket.status != "closed" {
            ticket.set_status("closed", now);
            ticket.updated_at = now;
        }
        Ok(self.store.ticket_resource(&self.store.tickets[index]))
    }
}
