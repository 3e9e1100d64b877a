//! The models both Next Cap APIs share: tickets and their timeline, conversations and their
//! messages, departments, attachments, and the ID newtypes.
//!
//! The External Data API reads these resources and the CRM Integration API acts on the same
//! ones, and the webhook payloads carry them too; defining them once here keeps one `Ticket`
//! type whichever way it arrived. Models only one API has stay with that API's endpoints.

mod attachment;
mod conversation;
mod department;
mod fields;
mod ids;
mod ticket;
mod ticket_transitions;

pub use attachment::{Attachment, AttachmentId};
pub use conversation::{
    Conversation, ConversationChannel, ConversationStatus, Message, MessageFeedback, MessageId, MessageRole,
    MessageSource,
};
pub use department::{Department, DepartmentId};
pub(crate) use fields::null_as_default;
pub use ids::{AgentId, ConversationId, LeadId, OrgId, UserId, VisitorId, VisitorTextId};
pub use ticket::{
    ActorType, Ticket, TicketDepartment, TicketEvent, TicketEventId, TicketEventType, TicketId, TicketPriority,
    TicketSource, TicketStatus,
};
