//! Desk Hive data: one self-hosted installation with agents, departments, categories,
//! products, customers, labels, tickets and their messages, canned responses, knowledge-base
//! articles and notifications.
//!
//! Desk Hive is a Laravel app with integer ids, so rows are stored normalised (ids only) and
//! joined into the documented resources on the way out, the way Laravel API Resources do. The
//! tables are private: the fixtures fill them through the `add_*` methods, handlers reach them
//! only through an agent's [`AgentView`] / [`AgentViewMut`] (an agent sees only tickets assigned
//! to it: `assigned_to` is the agent, or the agent is among the ticket's `agents`), and the
//! control actions through the few installation-wide methods in [`actions`].
//!
//! Files: `tickets.rs` (tickets, filters, updates, the dashboard), `messages.rs` (messages and
//! likes), `library.rs` (canned responses, articles), `agents.rs` (agents, profiles,
//! notifications), `actions.rs` (what customers and administrators do).

mod actions;
mod agents;
mod library;
mod messages;
mod tickets;

pub use actions::{ActionProblem, CustomerReplied, FiledTicket};
pub use agents::{Agent, Notification, NotificationResource, ProfileResource, ProfileUpdate};
pub use library::{Article, ArticleResource, CannedResponse};
pub use messages::{Message, MessageResource, Sender, SenderResource};
pub use tickets::{Dashboard, Ticket, TicketFilter, TicketResource, TicketUpdate};

use serde::Serialize;

/// Ticket statuses.
pub const STATUSES: [&str; 4] = ["open", "in_progress", "on_hold", "closed"];
/// Ticket priorities.
pub const PRIORITIES: [&str; 4] = ["low", "medium", "high", "critical"];

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

/// Everything Desk Hive holds. Tables are private; see the module docs.
#[derive(Clone, Debug, Default)]
pub struct DeskHiveStore {
    installation: String,
    agents: Vec<Agent>,
    departments: Vec<Named>,
    categories: Vec<Named>,
    products: Vec<Named>,
    customers: Vec<Customer>,
    labels: Vec<Label>,
    /// Newest first.
    tickets: Vec<Ticket>,
    /// Oldest first (ids ascending).
    messages: Vec<Message>,
    canned_responses: Vec<CannedResponse>,
    articles: Vec<Article>,
    /// Oldest first (ids ascending); lists read them backwards.
    notifications: Vec<Notification>,
}

/// The reference data tickets point at, set once by the fixtures.
#[derive(Clone, Debug, Default)]
pub struct Catalog {
    /// Departments.
    pub departments: Vec<Named>,
    /// Categories (of tickets and of articles).
    pub categories: Vec<Named>,
    /// Products.
    pub products: Vec<Named>,
    /// Customers.
    pub customers: Vec<Customer>,
    /// Labels.
    pub labels: Vec<Label>,
}

fn named(list: &[Named], id: Option<u64>) -> Option<Named> {
    id.and_then(|id| list.iter().find(|n| n.id == id)).cloned()
}

impl DeskHiveStore {
    /// An empty installation called `installation` (the "organisation" of the key listing).
    pub fn new(installation: impl Into<String>) -> DeskHiveStore {
        DeskHiveStore { installation: installation.into(), ..DeskHiveStore::default() }
    }

    /// The installation's name.
    pub fn installation(&self) -> &str {
        &self.installation
    }

    /// Sets the reference data.
    pub fn set_catalog(&mut self, catalog: Catalog) {
        let Catalog { departments, categories, products, customers, labels } = catalog;
        (self.departments, self.categories, self.products, self.customers, self.labels) =
            (departments, categories, products, customers, labels);
    }

    /// The customers.
    pub fn customers(&self) -> &[Customer] {
        &self.customers
    }

    /// Every ticket, newest first (fixture checks; handlers go through a view).
    pub fn tickets(&self) -> &[Ticket] {
        &self.tickets
    }

    /// Adds a ticket (fixtures: call [`DeskHiveStore::sort_tickets`] when done).
    pub fn add_ticket(&mut self, ticket: Ticket) {
        self.tickets.push(ticket);
    }

    /// Sorts the tickets newest first, then by id descending.
    pub fn sort_tickets(&mut self) {
        self.tickets.sort_by(|a, b| b.created_at.cmp(&a.created_at).then_with(|| b.id.cmp(&a.id)));
    }

    /// Adds a message (fixtures add them oldest first).
    pub fn add_message(&mut self, message: Message) {
        self.messages.push(message);
    }

    /// Adds a canned response.
    pub fn add_canned_response(&mut self, canned: CannedResponse) {
        self.canned_responses.push(canned);
    }

    /// Adds an article.
    pub fn add_article(&mut self, article: Article) {
        self.articles.push(article);
    }

    /// Adds a notification (fixtures add them oldest first).
    pub fn add_notification(&mut self, notification: Notification) {
        self.notifications.push(notification);
    }

    /// What agent `agent_id` may see and do.
    pub fn agent_view(&self, agent_id: u64) -> AgentView<'_> {
        AgentView { store: self, agent_id }
    }

    /// What agent `agent_id` may change.
    pub fn agent_view_mut(&mut self, agent_id: u64) -> AgentViewMut<'_> {
        AgentViewMut { store: self, agent_id }
    }

    fn agent_ref(&self, id: u64) -> Option<Named> {
        self.agents.iter().find(|a| a.id == id).map(|a| Named { id: a.id, name: a.name.clone() })
    }

    fn ticket_index(&self, id: u64) -> Option<usize> {
        self.tickets.iter().position(|t| t.id == id)
    }
}

/// Why an agent cannot have a ticket (or a row under it).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TicketAccess {
    /// No such ticket (or message, or notification of the agent's): 404.
    NotFound,
    /// It exists but is assigned to other agents: 403, as Laravel's policies answer.
    Forbidden,
    /// The ticket is locked: replies are refused with 403.
    Locked,
}

/// One agent's view: the tickets assigned to it (or shared with it), its profile and its
/// notifications, plus what every agent shares (canned responses, the knowledge base).
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

impl<'a> AgentView<'a> {
    /// The index of one of the agent's tickets.
    fn ticket_index(&self, id: u64) -> Result<usize, TicketAccess> {
        let index = self.store.ticket_index(id).ok_or(TicketAccess::NotFound)?;
        if !self.store.tickets[index].visible_to(self.agent_id) {
            return Err(TicketAccess::Forbidden);
        }
        Ok(index)
    }
}
