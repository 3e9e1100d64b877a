//! The inputs of the Desk Hive control actions: the JSON bodies of
//! `POST /__mock/deskhive/actions/...` and the arguments of the [`super::DeskHiveActions`]
//! methods, one definition for both.
//!
//! Every field has a default (`Default` and `#[serde(default)]`), so Rust callers write
//! `CustomerReply { ticket_id: 7, content: "..".into() }` and JSON callers send only what they
//! need; what is required is checked by the action, which names the field. Unknown fields are
//! refused so a typo is an error, not a silently ignored value.

use serde::{Deserialize, Serialize};

/// `customer-reply`: the ticket's customer answers. A closed ticket reopens to `open`; the
/// assigned agent gets a `ticket_reply` notification.
#[derive(Clone, Debug, Default, Deserialize, Serialize, PartialEq, Eq)]
#[serde(default, deny_unknown_fields)]
pub struct CustomerReply {
    /// The ticket (required, an existing id).
    pub ticket_id: u64,
    /// The text (required, at most 10,000 characters).
    pub content: String,
}

/// `lock-ticket`: an administrator locks (or unlocks) a ticket; a locked ticket refuses the
/// agents' replies with 403.
#[derive(Clone, Debug, Default, Deserialize, Serialize, PartialEq, Eq)]
#[serde(default, deny_unknown_fields)]
pub struct LockTicket {
    /// The ticket (required, an existing id).
    pub ticket_id: u64,
    /// Locked or not; default true.
    pub locked: Option<bool>,
}

/// `file-ticket`: a customer files a ticket and it is assigned to an agent, who gets a
/// `ticket_assigned` notification.
#[derive(Clone, Debug, Default, Deserialize, Serialize, PartialEq, Eq)]
#[serde(default, deny_unknown_fields)]
pub struct NewTicket {
    /// Title (required, at most 255 characters).
    pub title: String,
    /// The customer's text (required, at most 10,000 characters); also the first message.
    pub content: String,
    /// The active agent it is assigned to (required).
    pub agent_id: u64,
    /// The customer; default customer 1.
    pub customer_id: Option<u64>,
    /// One of the priorities; default `medium`.
    pub priority: Option<String>,
    /// Department id.
    pub department_id: Option<u64>,
    /// Label ids.
    pub labels: Vec<u64>,
}
