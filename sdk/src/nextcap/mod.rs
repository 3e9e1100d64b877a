//! Next Cap: the External Data API ([`data`], [`NextCapDataClient`]) and the CRM Integration
//! API ([`crm`], [`NextCapCrmClient`]). Both share one envelope and error format, and many
//! models. [`webhooks`] verifies and types the webhook deliveries the Data API's webhooks send.
//!
//! # Where things are
//! - Every Next Cap **model** (tickets, conversations, leads, call requests, ...) and ID type is
//!   re-exported here, so `deskapi::nextcap::Ticket` is the one `Ticket` whichever API returned
//!   it. The models both APIs share are defined once, in a private `models` module.
//! - The **endpoint handles** and their list filters (`Tickets`, `TicketsQuery`, ...) stay in
//!   [`data`] and [`crm`]: both APIs have tickets and conversations endpoints with different
//!   methods, so their handles have the same names and must not meet in one namespace.
//!
//! Re-exports here are listed one by one (no glob) for that reason.

pub(crate) mod envelope;

#[cfg(feature = "chat")]
pub mod chat;
pub mod crm;
pub mod data;
mod models;
mod plan;
mod query;
pub mod webhooks;

pub use crm::NextCapCrmClient;
pub use data::NextCapDataClient;
pub use envelope::{DateBound, ListWindow, NEXTCAP_BASE_URL, NextCapList, NextCapPages, PageMeta};
pub use plan::{Plan, PlanRefusal};
pub use query::PlainQuery;

// The models both APIs share.
pub use models::{
    ActorType, AgentId, Attachment, AttachmentId, Conversation, ConversationChannel, ConversationId,
    ConversationStatus, Department, DepartmentId, LeadId, Message, MessageFeedback, MessageId, MessageRole,
    MessageSource, OrgId, Ticket, TicketDepartment, TicketEvent, TicketEventId, TicketEventType, TicketId,
    TicketPriority, TicketSource, TicketStatus, UserId, VisitorId, VisitorTextId,
};

// The CRM Integration API's own models (its handles, filters and builders stay in `crm`).
pub use crm::{
    AvailabilityStatus, ConversationDetail, CrmTicket, Member, Permission, Permissions, RoleId, SeatType, TicketDetail,
};

// The Data API's own models (its handles and filters stay in `data`).
pub use data::{
    AnalyticsDay, AnalyticsOverview, CallRequest, CallRequestChannel, CallRequestId, CallRequestStatus, CreatedWebhook,
    DeviceType, Lead, LeadSource, PageView, Sentiment, SessionId, TimeWindow, TimeWindowError, Visitor, VisitorProfile,
    VisitorSession, Webhook, WebhookEventName, WebhookId,
};
