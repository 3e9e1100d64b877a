//! Desk Hive data: one self-hosted installation with agents, departments, categories,
//! products, customers, labels and tickets.
//!
//! Desk Hive is a Laravel app with integer ids, so rows are stored normalised (ids only) and
//! [`DeskHiveStore::ticket_resource`] joins them into the documented ticket resource, the way
//! a Laravel API Resource would. Agents see only tickets assigned to them: `assigned_to` is the
//! agent, or the agent is among the ticket's `agents` (collaborators).

use chrono::{DateTime, Utc};
use serde::Serialize;

use crate::time_fmt;

/// Ticket statuses.
pub const STATUSES: [&str; 4] = ["open", "in_progress", "on_hold", "closed"];
/// Ticket priorities.
pub const PRIORITIES: [&str; 4] = ["low", "medium", "high", "critical"];

/// An agent; an external key belongs to exactly one.
#[derive(Clone, Debug, Serialize)]
pub struct Agent {
    /// Id.
    pub id: u64,
    /// Name.
    pub name: String,
    /// Email.
    pub email: String,
    /// Phone.
    pub phone: Option<String>,
    /// Locale.
    pub locale: Option<String>,
    /// Avatar.
    pub avatar_url: Option<String>,
    /// Inactive agents' keys get 401.
    pub is_active: bool,
    /// The agent's external API key.
    #[serde(skip)]
    pub api_key: String,
    /// Creation time.
    #[serde(serialize_with = "time_fmt::secs")]
    pub created_at: DateTime<Utc>,
}

/// `{ "id", "name" }`: departments, categories, products, and agent references.
#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
pub struct Named {
    /// Id.
    pub id: u64,
    /// Name.
    pub name: String,
}

/// A customer reference.
#[derive(Clone, Debug, Serialize)]
pub struct Customer {
    /// Id.
    pub id: u64,
    /// Name.
    pub name: String,
    /// Email.
    pub email: String,
}

/// A label.
#[derive(Clone, Debug, Serialize)]
pub struct Label {
    /// Id.
    pub id: u64,
    /// Name.
    pub name: String,
    /// Hex colour.
    pub color: String,
}

/// A custom field value on a ticket.
#[derive(Clone, Debug, Serialize)]
pub struct CustomField {
    /// Field id.
    pub id: u64,
    /// Label.
    pub label: String,
    /// Field type (`text`, `select`, ...).
    #[serde(rename = "type")]
    pub kind: String,
    /// Value.
    pub value: String,
}

/// A stored ticket (ids, not objects).
#[derive(Clone, Debug)]
pub struct Ticket {
    /// Id.
    pub id: u64,
    /// Title.
    pub title: String,
    /// Body.
    pub content: String,
    /// One of [`STATUSES`].
    pub status: String,
    /// One of [`PRIORITIES`].
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

/// Everything Desk Hive holds.
#[derive(Clone, Debug, Default)]
pub struct DeskHiveStore {
    /// Installation name (the "organisation" in the key listing).
    pub installation: String,
    /// Agents.
    pub agents: Vec<Agent>,
    /// Departments.
    pub departments: Vec<Named>,
    /// Categories.
    pub categories: Vec<Named>,
    /// Products.
    pub products: Vec<Named>,
    /// Customers.
    pub customers: Vec<Customer>,
    /// Labels.
    pub labels: Vec<Label>,
    /// Tickets, newest first.
    pub tickets: Vec<Ticket>,
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

impl Ticket {
    /// Whether `agent_id` may see this ticket.
    pub fn visible_to(&self, agent_id: u64) -> bool {
        self.assigned_to == Some(agent_id) || self.agent_ids.contains(&agent_id)
    }
}

fn named(list: &[Named], id: Option<u64>) -> Option<Named> {
    id.and_then(|id| list.iter().find(|n| n.id == id)).cloned()
}

impl DeskHiveStore {
    /// The agent owning an external key.
    pub fn agent_by_key(&self, key: &str) -> Option<&Agent> {
        self.agents.iter().find(|a| a.api_key == key)
    }

    fn agent_ref(&self, id: u64) -> Option<Named> {
        self.agents.iter().find(|a| a.id == id).map(|a| Named { id: a.id, name: a.name.clone() })
    }

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

    /// What agent `agent_id` may see and do.
    pub fn agent_view(&self, agent_id: u64) -> AgentView<'_> {
        AgentView { store: self, agent_id }
    }

    /// What agent `agent_id` may change.
    pub fn agent_view_mut(&mut self, agent_id: u64) -> AgentViewMut<'_> {
        AgentViewMut { store: self, agent_id }
    }
}

/// Why an agent cannot have a ticket.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TicketAccess {
    /// No such ticket in the installation: 404.
    NotFound,
    /// It exists but is assigned to other agents: 403, as Laravel's policies answer.
    Forbidden,
}

/// One agent's view: the tickets assigned to it (or shared with it) and nothing else.
#[derive(Clone, Copy, Debug)]
pub struct AgentView<'a> {
    store: &'a DeskHiveStore,
    agent_id: u64,
}

/// One agent's view, for writing.
#[derive(Debug)]
pub struct AgentViewMut<'a> {
    store: &'a mut DeskHiveStore,
    agent_id: u64,
}

impl AgentViewMut<'_> {
    /// The read-only view of the same agent.
    pub fn read(&self) -> AgentView<'_> {
        self.store.agent_view(self.agent_id)
    }
}

impl AgentView<'_> {
    /// One of the agent's tickets as the API renders it.
    pub fn ticket(&self, id: u64) -> Result<TicketResource, TicketAccess> {
        let ticket = self.store.tickets.iter().find(|t| t.id == id).ok_or(TicketAccess::NotFound)?;
        if !ticket.visible_to(self.agent_id) {
            return Err(TicketAccess::Forbidden);
        }
        Ok(self.store.ticket_resource(ticket))
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
}
