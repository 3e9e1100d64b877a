//! Ticket messages: the customer's and agents' posts, internal notes, and the per-agent likes.
//!
//! Messages are kept oldest first with ascending ids, so a ticket's thread reads in order and
//! "the last message" is the last match.

use chrono::{DateTime, Utc};
use serde::Serialize;

use super::{AgentView, AgentViewMut, DeskHiveStore, TicketAccess};
use crate::time_fmt;

/// Who wrote a message.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Sender {
    /// An agent (id).
    Agent(u64),
    /// The ticket's customer (id).
    Customer(u64),
    /// Desk Hive itself (automations).
    System,
}

/// A stored message.
#[derive(Clone, Debug)]
pub struct Message {
    /// Id.
    pub id: u64,
    /// The ticket.
    pub ticket_id: u64,
    /// Text.
    pub content: String,
    /// An internal note, hidden from the customer.
    pub is_internal: bool,
    /// Author.
    pub sender: Sender,
    /// Agents who like it, each once.
    pub liked_by: Vec<u64>,
    /// Creation time.
    pub created_at: DateTime<Utc>,
}

/// The author as rendered: `{id, name, avatar_url}`.
#[derive(Clone, Debug, Serialize)]
pub struct SenderResource {
    /// Id (agent or customer).
    pub id: u64,
    /// Name.
    pub name: String,
    /// Avatar.
    pub avatar_url: Option<String>,
}

/// The message resource (its shape is the contract's inference).
#[derive(Clone, Debug, Serialize)]
pub struct MessageResource {
    /// Id.
    pub id: u64,
    /// The ticket.
    pub ticket_id: u64,
    /// Text.
    pub content: String,
    /// Internal note.
    pub is_internal: bool,
    /// `agent`, `customer` or `system`.
    pub sender_type: &'static str,
    /// The author (null for `system`).
    pub sender: Option<SenderResource>,
    /// Attachments (the mock has none).
    pub attachments: Vec<serde_json::Value>,
    /// How many agents like it.
    pub likes_count: usize,
    /// Whether the viewing agent likes it.
    pub is_liked: bool,
    /// Creation time.
    #[serde(serialize_with = "time_fmt::secs")]
    pub created_at: DateTime<Utc>,
    /// Messages are not edited: the creation time.
    #[serde(serialize_with = "time_fmt::secs")]
    pub updated_at: DateTime<Utc>,
}

impl DeskHiveStore {
    /// Renders a message for `viewer` (an agent id; `None` for the control API).
    pub fn message_resource(&self, m: &Message, viewer: Option<u64>) -> MessageResource {
        let (sender_type, sender) = match m.sender {
            Sender::Agent(id) => (
                "agent",
                self.agents.iter().find(|a| a.id == id).map(|a| SenderResource {
                    id,
                    name: a.name.clone(),
                    avatar_url: a.avatar_url.clone(),
                }),
            ),
            Sender::Customer(id) => (
                "customer",
                self.customers.iter().find(|c| c.id == id).map(|c| SenderResource {
                    id,
                    name: c.name.clone(),
                    avatar_url: None,
                }),
            ),
            Sender::System => ("system", None),
        };
        MessageResource {
            id: m.id,
            ticket_id: m.ticket_id,
            content: m.content.clone(),
            is_internal: m.is_internal,
            sender_type,
            sender,
            attachments: Vec::new(),
            likes_count: m.liked_by.len(),
            is_liked: viewer.is_some_and(|v| m.liked_by.contains(&v)),
            created_at: m.created_at,
            updated_at: m.created_at,
        }
    }

    /// Whether the ticket's last public message is the customer's (the ball is with the agent).
    pub fn awaits_agent(&self, ticket_id: u64) -> bool {
        self.messages
            .iter()
            .rev()
            .find(|m| m.ticket_id == ticket_id && !m.is_internal)
            .is_some_and(|m| matches!(m.sender, Sender::Customer(_)))
    }

    /// The next message id.
    pub(super) fn next_message_id(&self) -> u64 {
        self.messages.last().map_or(1, |m| m.id + 1)
    }
}

impl AgentView<'_> {
    /// One page of a ticket's messages, oldest first, and their total.
    pub fn messages(
        &self,
        ticket_id: u64,
        offset: usize,
        limit: usize,
    ) -> Result<(Vec<MessageResource>, usize), TicketAccess> {
        self.ticket_index(ticket_id)?;
        let thread: Vec<&super::Message> = self.store.messages.iter().filter(|m| m.ticket_id == ticket_id).collect();
        let page = thread
            .iter()
            .skip(offset)
            .take(limit)
            .map(|m| self.store.message_resource(m, Some(self.agent_id)))
            .collect();
        Ok((page, thread.len()))
    }
}

impl AgentViewMut<'_> {
    /// The agent replies (or adds an internal note) at `now`. A locked ticket refuses.
    pub fn reply(
        &mut self,
        ticket_id: u64,
        content: String,
        is_internal: bool,
        now: DateTime<Utc>,
    ) -> Result<MessageResource, TicketAccess> {
        let index = self.read().ticket_index(ticket_id)?;
        if self.store.tickets[index].is_locked {
            return Err(TicketAccess::Locked);
        }
        let message = Message {
            id: self.store.next_message_id(),
            ticket_id,
            content,
            is_internal,
            sender: Sender::Agent(self.agent_id),
            liked_by: Vec::new(),
            created_at: now,
        };
        let ticket = &mut self.store.tickets[index];
        if !is_internal {
            ticket.last_reply_at = Some(now);
        }
        ticket.updated_at = now;
        let resource = self.store.message_resource(&message, Some(self.agent_id));
        self.store.messages.push(message);
        Ok(resource)
    }

    /// Toggles the agent's like on a message of one of its tickets: `(liked, count)` after.
    /// A message of another ticket is 404.
    pub fn toggle_like(&mut self, ticket_id: u64, message_id: u64) -> Result<(bool, usize), TicketAccess> {
        self.read().ticket_index(ticket_id)?;
        let agent = self.agent_id;
        let message = self
            .store
            .messages
            .iter_mut()
            .find(|m| m.id == message_id && m.ticket_id == ticket_id)
            .ok_or(TicketAccess::NotFound)?;
        let liked = match message.liked_by.iter().position(|a| *a == agent) {
            Some(at) => {
                message.liked_by.remove(at);
                false
            }
            None => {
                message.liked_by.push(agent);
                true
            }
        };
        Ok((liked, message.liked_by.len()))
    }
}
