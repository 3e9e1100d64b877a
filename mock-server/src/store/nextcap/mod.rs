//! Next Cap data: organisations, widgets ("agents"), departments, seats, leads, conversations
//! with messages, tickets with their timelines, call requests, visitors with sessions, and the
//! registered webhooks.
//!
//! The row structs serialize to the documented wire shapes (field names as in the source
//! document and the OpenAPI contract), so handlers return them as they are. What the API must
//! not expose is `#[serde(skip)]`: tenant fields (`org_id` on most rows), a webhook's secret,
//! a message's model usage, a department's `is_active`. Skipping in the row's own `Serialize`
//! is the one place that can strip them: every response and every webhook payload is encoded
//! from these rows, so no endpoint can forget to.
//!
//! Ordering is part of the store's invariants, because lists page through the vectors in
//! place (with 100,000 leads a sort per request would dominate): leads, conversations,
//! tickets, call requests, visitors and webhooks are kept newest first (`created_at`
//! descending; fixtures tie-break by `id`, later rows go before rows of the same instant);
//! messages, ticket events and sessions are appended in time order and
//! each list orders them itself. Code that adds rows uses [`insert_newest_first`].
//!
//! The tables are private to the store: code outside it reads one organisation's rows through
//! [`OrgView`] and changes them through [`OrgViewMut`], whose write methods (the data API's in
//! `view.rs`, the control actions' in `writes.rs` and `chats.rs`) keep these invariants in one
//! place and return the events a change causes.

mod analytics;
mod attachments;
mod call_requests;
mod chats;
mod conversations;
mod crm_lists;
mod leads;
mod members;
mod org;
mod roles;
mod seat;
mod seat_writes;
mod ticket_status;
mod tickets;
mod view;
mod visitors;
mod webhooks;
mod writes;

pub use analytics::{AnalyticsDay, AnalyticsOverview, DateRange};
pub use attachments::{Attachment, AttachmentError, Attachments, AttachmentsMut, NewUpload};
pub use call_requests::{CallRequest, CallRequestFilter, CallRequestPatch, CallRequestUpdate};
pub use chats::NewChat;
pub use conversations::{Conversation, ConversationFilter, Message, ModelUsage};
pub use crm_lists::{CrmConversationFilter, CrmTicketFilter, Sort, SortKey};
pub use leads::{Lead, LeadFilter};
pub use members::Member;
pub use seat::{Access, Denied, SeatRef, SeatView};
pub use seat_writes::{SeatViewMut, TicketChanges};

use super::cached::Cached;
pub use super::row::{Row, Window, insert_newest_first, sort_newest_first};
pub use org::{Department, Organisation, Seat, Widget};
pub use roles::{ALL_PERMISSIONS, permissions_of};
pub use ticket_status::TicketStatus;
pub use tickets::{Ticket, TicketEvent, TicketFilter, TicketView};
pub use view::{OrgView, OrgViewMut};
pub use visitors::{PageView, Visitor, VisitorFilter, VisitorProfile, VisitorSession};
pub use webhooks::Webhook;
pub use writes::TicketReply;

use uuid::Uuid;

/// Lead sources.
pub const LEAD_SOURCES: [&str; 4] = ["pre_chat_form", "in_chat", "manual", "telegram"];
/// Conversation statuses.
pub const CONVERSATION_STATUSES: [&str; 5] = ["active", "handed_off", "ticketed", "resolved", "archived"];
/// Conversation channels.
pub const CONVERSATION_CHANNELS: [&str; 5] = ["widget", "telegram", "whatsapp", "instagram", "api"];
/// Ticket statuses' wire names, in [`TicketStatus::ALL`]'s order.
pub const TICKET_STATUSES: [&str; 8] =
    ["new", "open", "in_progress", "waiting_customer", "waiting_internal", "resolved", "closed", "reopened"];
/// Ticket priorities.
pub const TICKET_PRIORITIES: [&str; 4] = ["low", "normal", "high", "urgent"];
/// Ticket sources.
pub const TICKET_SOURCES: [&str; 9] =
    ["handoff", "widget", "dashboard", "email", "api", "import", "telegram", "whatsapp", "instagram"];
/// Call request statuses.
pub const CALL_STATUSES: [&str; 5] = ["new", "contacted", "scheduled", "completed", "cancelled"];
/// Call request channels.
pub const CALL_CHANNELS: [&str; 3] = ["widget", "telegram", "api"];

/// Everything Next Cap holds.
#[derive(Clone, Debug, Default)]
pub struct NextCapStore {
    /// Organisations (Acme first).
    pub(in crate::store) orgs: Vec<Organisation>,
    /// Widgets.
    pub(in crate::store) widgets: Vec<Widget>,
    /// Departments, active and inactive.
    pub(in crate::store) departments: Vec<Department>,
    /// Seats.
    pub(in crate::store) seats: Vec<Seat>,
    /// Leads, newest first.
    pub(in crate::store) leads: Vec<Cached<Lead>>,
    /// Conversations, newest first.
    pub(in crate::store) conversations: Vec<Conversation>,
    /// Messages, in the order they were sent.
    pub(in crate::store) messages: Vec<Message>,
    /// Tickets, newest first.
    pub(in crate::store) tickets: Vec<Ticket>,
    /// Ticket timeline entries (internal notes included), in the order they happened.
    pub(in crate::store) ticket_events: Vec<TicketEvent>,
    /// Call requests, newest first.
    pub(in crate::store) call_requests: Vec<CallRequest>,
    /// Visitors, newest first.
    pub(in crate::store) visitors: Vec<Visitor>,
    /// Visit sessions, in the order they started.
    pub(in crate::store) sessions: Vec<VisitorSession>,
    /// Registered webhooks, newest first (none in the fixtures).
    pub(in crate::store) webhooks: Vec<Webhook>,
    /// CRM attachments with their bytes, oldest first (none in the fixtures).
    pub(in crate::store) attachments: Vec<Attachment>,
}

/// Whole-table reads, every organisation's rows at once, for inspecting the store (the mock's
/// own tests check what the API must never show, such as internal notes and model usage).
/// Request handlers and actions read through [`NextCapStore::org_view`] instead, which cannot
/// reach another tenant's rows.
impl NextCapStore {
    /// Every organisation (Acme first, then Globex).
    pub fn orgs(&self) -> &[Organisation] {
        &self.orgs
    }

    /// Every seat, active or not.
    pub fn seats(&self) -> &[Seat] {
        &self.seats
    }

    /// Every department, active or not, in fixture order.
    pub fn departments(&self) -> &[Department] {
        &self.departments
    }

    /// Every message, in sending order (model usage included).
    pub fn messages(&self) -> &[Message] {
        &self.messages
    }

    /// Every ticket, newest first.
    pub fn tickets(&self) -> &[Ticket] {
        &self.tickets
    }

    /// Every ticket timeline entry (internal notes included), in the order they happened.
    pub fn ticket_events(&self) -> &[TicketEvent] {
        &self.ticket_events
    }
}

impl NextCapStore {
    /// The organisation by id.
    pub fn org(&self, id: Uuid) -> Option<&Organisation> {
        self.orgs.iter().find(|o| o.id == id)
    }

    /// An organisation named by id, slug or name (case-insensitive): what the control API's
    /// `org` field accepts (`"acme"`, `"Globex"`, or a UUID).
    pub fn org_by_ref(&self, reference: &str) -> Option<&Organisation> {
        let reference = reference.trim();
        let id = Uuid::parse_str(reference).ok();
        self.orgs.iter().find(|o| {
            Some(o.id) == id || o.slug.eq_ignore_ascii_case(reference) || o.name.eq_ignore_ascii_case(reference)
        })
    }

    /// A seat by id, active or not (the auth step reads its permissions).
    pub fn seat(&self, id: Uuid) -> Option<&Seat> {
        self.seats.iter().find(|s| s.id == id)
    }

    /// An active seat of the organisation (a team member things can be assigned to).
    pub fn active_seat(&self, org_id: Uuid, id: Uuid) -> Option<&Seat> {
        self.seats.iter().find(|s| s.id == id && s.org_id == org_id && s.active)
    }

    /// A widget of the organisation.
    pub fn widget(&self, org_id: Uuid, id: Uuid) -> Option<&Widget> {
        self.widgets.iter().find(|w| w.id == id && w.org_id == org_id)
    }

    /// The organisation's widgets, in fixture order (the first one is its main widget).
    pub fn org_widgets(&self, org_id: Uuid) -> impl Iterator<Item = &Widget> {
        self.widgets.iter().filter(move |w| w.org_id == org_id)
    }
}
