//! Next Cap: the External Data API ([`NextCapDataClient`]) and the CRM Integration API
//! ([`NextCapCrmClient`]). Both share one envelope and error format. [`webhooks`] verifies and
//! types the webhook deliveries the Data API's webhooks send.

pub(crate) mod envelope;

mod crm;
mod data;
pub mod webhooks;

pub use crm::NextCapCrmClient;
pub use data::*;
pub use envelope::{DateBound, ListWindow, NEXTCAP_BASE_URL, NextCapList, NextCapPages, PageMeta};

use crate::core::macros::string_id;

string_id!(
    /// A widget ("agent") ID: Next Cap calls a chat widget an agent.
    AgentId
);
string_id!(
    /// A conversation's ID.
    ConversationId
);
string_id!(
    /// A visitor's ID.
    VisitorId
);
string_id!(
    /// A team member's user ID: the human agent a ticket, conversation or call request is
    /// assigned to, or who acted on it. Not to be mixed up with [`AgentId`], which is a widget.
    UserId
);
string_id!(
    /// An organisation's ID.
    OrgId
);
