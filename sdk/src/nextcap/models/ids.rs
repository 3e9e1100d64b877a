//! The ID newtypes both Next Cap APIs use for the same things. One type per kind of ID so
//! that, say, a widget's ID cannot be passed where a team member's is expected.

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
string_id!(
    /// A lead's ID.
    LeadId
);
string_id!(
    /// The widget's text ID of a visitor ([`crate::nextcap::Visitor::visitor_id`]), as conversations use it.
    /// Not the visitor's UUID ([`VisitorId`]).
    VisitorTextId
);
