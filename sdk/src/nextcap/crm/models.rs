//! The shapes only the CRM Integration API returns: a ticket row with its attachment counts
//! ([`CrmTicket`]), a single ticket with its attachments ([`TicketDetail`]) and a conversation
//! with its whole message history ([`ConversationDetail`]).
//!
//! Each wraps the shared model (`#[serde(flatten)]`) instead of copying its fields, so a
//! ticket is the same [`Ticket`] whichever API returned it; `Deref` gives direct access to the
//! shared fields (`detail.subject`). Source: `CrmTicket`, `CrmTicketDetail` and
//! `CrmConversationDetail` in `openapi/nextcap-crm.yaml`.

use std::ops::Deref;

use serde::{Deserialize, Serialize};

use crate::nextcap::models::{Attachment, Conversation, Message, Ticket};

/// A ticket as the CRM list returns it: the shared [`Ticket`] plus how many files it has, so
/// a caller can pick the tickets worth opening without a request per ticket.
#[derive(Clone, Debug, Deserialize, Serialize, PartialEq)]
#[non_exhaustive]
pub struct CrmTicket {
    /// The ticket.
    #[serde(flatten)]
    pub ticket: Ticket,
    /// True when at least one file is attached to the ticket or its timeline.
    pub has_attachments: bool,
    /// How many files are attached.
    pub attachment_count: u64,
}

impl Deref for CrmTicket {
    type Target = Ticket;
    fn deref(&self) -> &Ticket {
        &self.ticket
    }
}

/// A single ticket (`GET /external/crm/tickets/:id` and every ticket action's answer): the
/// list row plus its attachments, whose download URLs are presigned for 24 hours.
#[derive(Clone, Debug, Deserialize, Serialize, PartialEq)]
#[non_exhaustive]
pub struct TicketDetail {
    /// The ticket with its attachment counts.
    #[serde(flatten)]
    pub ticket: CrmTicket,
    /// Every attached file (always present; empty when there is none).
    pub attachments: Vec<Attachment>,
}

impl Deref for TicketDetail {
    type Target = CrmTicket;
    fn deref(&self) -> &CrmTicket {
        &self.ticket
    }
}

/// A conversation with its full message history, oldest first
/// (`GET /external/crm/conversations/:id`). Attachment URLs are presigned for 24 hours.
#[derive(Clone, Debug, Deserialize, Serialize, PartialEq)]
#[non_exhaustive]
pub struct ConversationDetail {
    /// The conversation.
    #[serde(flatten)]
    pub conversation: Conversation,
    /// Every message, oldest first.
    pub messages: Vec<Message>,
}

impl Deref for ConversationDetail {
    type Target = Conversation;
    fn deref(&self) -> &Conversation {
        &self.conversation
    }
}
