//! What happens outside the agent API: a customer replies, an administrator locks a ticket, a
//! customer files a ticket that is assigned to an agent. The control actions call these; the
//! rules live here so the HTTP and in-process doors share them.

use chrono::{DateTime, Utc};
use serde::Serialize;

use super::{DeskHiveStore, Message, MessageResource, Notification, Sender, Ticket, TicketResource};

/// An input that names nothing in the installation, or a ticket in the wrong state.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ActionProblem {
    /// The input field at fault.
    pub field: &'static str,
    /// What is wrong.
    pub message: String,
}

impl ActionProblem {
    fn new(field: &'static str, message: impl Into<String>) -> ActionProblem {
        ActionProblem { field, message: message.into() }
    }
}

/// What `customer-reply` did.
#[derive(Clone, Debug, Serialize)]
pub struct CustomerReplied {
    /// The ticket afterwards (a closed one is `open` again).
    pub ticket: TicketResource,
    /// The customer's message.
    pub message: MessageResource,
    /// The assigned agent's new notification id, if the ticket has an assignee.
    pub notification_id: Option<u64>,
}

/// A new ticket for `file-ticket`, its text already checked.
#[derive(Clone, Debug, Default)]
pub struct FiledTicket {
    /// Title.
    pub title: String,
    /// Body.
    pub content: String,
    /// The active agent it is assigned to.
    pub agent_id: u64,
    /// The customer (default: the first).
    pub customer_id: Option<u64>,
    /// One of [`super::PRIORITIES`].
    pub priority: String,
    /// Department.
    pub department_id: Option<u64>,
    /// Labels.
    pub label_ids: Vec<u64>,
}

impl DeskHiveStore {
    fn ticket_for_action(&self, id: u64) -> Result<usize, ActionProblem> {
        self.ticket_index(id).ok_or_else(|| ActionProblem::new("ticket_id", format!("no ticket {id}")))
    }

    fn notify(&mut self, agent_id: u64, kind: &str, title: String, message: &str, ticket: &Ticket) -> u64 {
        let id = self.next_notification_id();
        let customer = self.customers.iter().find(|c| c.id == ticket.customer_id);
        self.notifications.push(Notification {
            id,
            agent_id,
            kind: kind.to_owned(),
            title,
            message: message.to_owned(),
            ticket_id: Some(ticket.id),
            sender_name: customer.map(|c| c.name.clone()),
            sender_avatar: None,
            is_read: false,
            created_at: ticket.updated_at,
        });
        id
    }

    /// The customer answers on a ticket at `now`: a closed ticket reopens to `open`, and the
    /// assigned agent gets a `ticket_reply` notification.
    pub fn customer_reply(
        &mut self,
        ticket_id: u64,
        content: String,
        now: DateTime<Utc>,
    ) -> Result<CustomerReplied, ActionProblem> {
        let index = self.ticket_for_action(ticket_id)?;
        let message = Message {
            id: self.next_message_id(),
            ticket_id,
            content,
            is_internal: false,
            sender: Sender::Customer(self.tickets[index].customer_id),
            liked_by: Vec::new(),
            created_at: now,
        };
        let ticket = &mut self.tickets[index];
        if ticket.status == "closed" {
            ticket.set_status("open", now);
        }
        ticket.updated_at = now;
        let ticket = ticket.clone();
        let rendered = self.message_resource(&message, None);
        self.messages.push(message);
        let reference = format!("#{}", 1000 + ticket.id);
        let notification_id = ticket.assigned_to.map(|agent| {
            self.notify(
                agent,
                "ticket_reply",
                format!("New reply on {reference}"),
                "Customer replied to your ticket",
                &ticket,
            )
        });
        Ok(CustomerReplied { ticket: self.ticket_resource(&ticket), message: rendered, notification_id })
    }

    /// Locks or unlocks a ticket (an administrator's doing); a locked ticket refuses replies.
    pub fn lock_ticket(
        &mut self,
        ticket_id: u64,
        locked: bool,
        now: DateTime<Utc>,
    ) -> Result<TicketResource, ActionProblem> {
        let index = self.ticket_for_action(ticket_id)?;
        let ticket = &mut self.tickets[index];
        if ticket.is_locked != locked {
            ticket.is_locked = locked;
            ticket.updated_at = now;
        }
        Ok(self.ticket_resource(&self.tickets[index]))
    }

    /// A customer files a ticket at `now`, assigned to an active agent, who is notified
    /// (`ticket_assigned`). The ticket is `open` with the customer's text as its first message.
    pub fn file_ticket(&mut self, new: FiledTicket, now: DateTime<Utc>) -> Result<TicketResource, ActionProblem> {
        if !self.agents.iter().any(|a| a.id == new.agent_id && a.is_active) {
            return Err(ActionProblem::new("agent_id", format!("no active agent {}", new.agent_id)));
        }
        let customer_id = new.customer_id.unwrap_or(1);
        if !self.customers.iter().any(|c| c.id == customer_id) {
            return Err(ActionProblem::new("customer_id", format!("no customer {customer_id}")));
        }
        if let Some(d) = new.department_id.filter(|d| !self.departments.iter().any(|x| x.id == *d)) {
            return Err(ActionProblem::new("department_id", format!("no department {d}")));
        }
        if let Some(l) = new.label_ids.iter().find(|l| !self.label_exists(**l)) {
            return Err(ActionProblem::new("labels", format!("no label {l}")));
        }
        let id = self.tickets.iter().map(|t| t.id).max().unwrap_or(0) + 1;
        let ticket = Ticket {
            id,
            title: new.title,
            content: new.content.clone(),
            status: "open".to_owned(),
            priority: new.priority,
            department_id: new.department_id,
            category_id: None,
            product_id: None,
            customer_id,
            label_ids: new.label_ids,
            assigned_to: Some(new.agent_id),
            agent_ids: Vec::new(),
            custom_fields: Vec::new(),
            is_locked: false,
            last_reply_at: None,
            closed_at: None,
            created_at: now,
            updated_at: now,
        };
        self.messages.push(Message {
            id: self.next_message_id(),
            ticket_id: id,
            content: new.content,
            is_internal: false,
            sender: Sender::Customer(customer_id),
            liked_by: Vec::new(),
            created_at: now,
        });
        let title = format!("New ticket #{} assigned to you", 1000 + id);
        self.notify(new.agent_id, "ticket_assigned", title, "A customer filed a new ticket", &ticket);
        let rendered = self.ticket_resource(&ticket);
        // Newest first: a ticket filed now goes in front.
        self.tickets.insert(0, ticket);
        Ok(rendered)
    }
}
