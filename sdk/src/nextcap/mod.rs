//! Next Cap: the External Data API ([`NextCapDataClient`]) and the CRM Integration API
//! ([`NextCapCrmClient`]). Both share one envelope and error format.

pub(crate) mod envelope;

mod crm;
mod data;

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
