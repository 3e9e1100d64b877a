//! Tenant-scoped views of the Next Cap store: [`OrgView`] reads and [`OrgViewMut`] writes one
//! organisation's rows and nothing else.
//!
//! Handlers reach the store only through a view built from the caller's key, so isolation is
//! structural: there is no accessor that takes a row id without the organisation, and no handler
//! writes an `org_id == org` filter of its own (one forgotten filter would leak another tenant's
//! data). Lookups of another organisation's id answer `None`, which the API renders as the same
//! 404 as an unknown id. The CRM's seat view (widget scoping, view-own) narrows this further.

use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::{
    AnalyticsDay, AnalyticsOverview, CallRequest, CallRequestPatch, CallRequestUpdate, Conversation, DateRange,
    Department, Lead, Message, NextCapStore, Seat, Ticket, TicketEvent, TicketView, Visitor, VisitorProfile,
    VisitorSession, Webhook, Widget, insert_newest_first,
};
use crate::store::cached::Cached;

/// One organisation's rows, read-only.
#[derive(Clone, Copy, Debug)]
pub struct OrgView<'a> {
    store: &'a NextCapStore,
    org: Uuid,
}

impl NextCapStore {
    /// The rows of organisation `org`.
    pub fn org_view(&self, org: Uuid) -> OrgView<'_> {
        OrgView { store: self, org }
    }

    /// The rows of organisation `org`, for writing.
    pub fn org_view_mut(&mut self, org: Uuid) -> OrgViewMut<'_> {
        OrgViewMut { store: self, org }
    }
}

impl<'a> OrgView<'a> {
    /// The organisation's id.
    pub fn org_id(&self) -> Uuid {
        self.org
    }

    /// Leads, newest first.
    pub fn leads(&self) -> impl Iterator<Item = &'a Cached<Lead>> + use<'a> {
        let org = self.org;
        self.store.leads.iter().filter(move |l| l.org_id == org)
    }

    /// One lead.
    pub fn lead(&self, id: Uuid) -> Option<&'a Cached<Lead>> {
        self.leads().find(|l| l.id == id)
    }

    /// Conversations, newest first.
    pub fn conversations(&self) -> impl Iterator<Item = &'a Conversation> + use<'a> {
        let org = self.org;
        self.store.conversations.iter().filter(move |c| c.org_id == org)
    }

    /// One conversation.
    pub fn conversation(&self, id: Uuid) -> Option<&'a Conversation> {
        self.store.conversation(self.org, id)
    }

    /// A conversation's messages in sending order; `None` when the conversation is not the
    /// organisation's. Stable: messages stored in sending order keep it when timestamps tie.
    pub fn messages(&self, conversation_id: Uuid) -> Option<Vec<&'a Message>> {
        self.conversation(conversation_id)?;
        let mut rows: Vec<&Message> =
            self.store.messages.iter().filter(|m| m.conversation_id == conversation_id).collect();
        rows.sort_by_key(|m| m.created_at);
        Some(rows)
    }

    /// Tickets, newest first.
    pub fn tickets(&self) -> impl Iterator<Item = &'a Ticket> + use<'a> {
        let org = self.org;
        self.store.tickets.iter().filter(move |t| t.org_id == org)
    }

    /// One ticket.
    pub fn ticket(&self, id: Uuid) -> Option<&'a Ticket> {
        self.store.ticket(self.org, id)
    }

    /// The wire shape of one of the organisation's tickets, department joined in.
    pub fn ticket_view(&self, ticket: &Ticket) -> TicketView {
        self.store.ticket_view(ticket)
    }

    /// A ticket's public timeline, oldest first; `None` when the ticket is not the
    /// organisation's.
    pub fn ticket_events(&self, ticket_id: Uuid) -> Option<Vec<&'a TicketEvent>> {
        self.ticket(ticket_id)?;
        let mut rows: Vec<&TicketEvent> = self.store.public_ticket_events(ticket_id).collect();
        rows.sort_by_key(|e| e.created_at);
        Some(rows)
    }

    /// Call requests, newest first.
    pub fn call_requests(&self) -> impl Iterator<Item = &'a CallRequest> + use<'a> {
        let org = self.org;
        self.store.call_requests.iter().filter(move |c| c.org_id == org)
    }

    /// One call request.
    pub fn call_request(&self, id: Uuid) -> Option<&'a CallRequest> {
        self.store.call_request(self.org, id)
    }

    /// Visitors, newest first.
    pub fn visitors(&self) -> impl Iterator<Item = &'a Visitor> + use<'a> {
        let org = self.org;
        self.store.visitors.iter().filter(move |v| v.org_id == org)
    }

    /// One visitor.
    pub fn visitor(&self, id: Uuid) -> Option<&'a Visitor> {
        self.store.visitor(self.org, id)
    }

    /// A visitor's sessions, newest first; `None` when the visitor is not the organisation's.
    pub fn sessions(&self, visitor_id: Uuid) -> Option<Vec<&'a VisitorSession>> {
        self.visitor(visitor_id)?;
        let mut rows: Vec<&VisitorSession> =
            self.store.sessions.iter().filter(|s| s.visitor_id == visitor_id).collect();
        rows.sort_by_key(|s| std::cmp::Reverse(s.started_at));
        Some(rows)
    }

    /// A visitor's profile: `None` for a visitor that is not the organisation's, `Some(None)`
    /// for one with no conversation to derive a profile from.
    pub fn visitor_profile(&self, visitor_id: Uuid) -> Option<Option<VisitorProfile>> {
        self.visitor(visitor_id).map(|v| self.store.visitor_profile(v))
    }

    /// One of the organisation's widgets.
    pub fn widget(&self, id: Uuid) -> Option<&'a Widget> {
        self.store.widget(self.org, id)
    }

    /// The organisation's widgets, in fixture order (the first one is its main widget).
    pub fn widgets(&self) -> impl Iterator<Item = &'a Widget> + use<'a> {
        self.store.org_widgets(self.org)
    }

    /// A visitor by its text id (`v_...`, what a conversation's `visitor_id` holds).
    pub fn visitor_by_text_id(&self, text_id: &str) -> Option<&'a Visitor> {
        self.store.visitor_by_text_id(self.org, text_id)
    }

    /// The active department new tickets land in when none is named, if the organisation has
    /// one.
    pub fn default_department(&self) -> Option<&'a Department> {
        self.active_departments().find(|d| d.is_default)
    }

    /// The highest ticket number the organisation has used (0 before its first ticket):
    /// numbers count per organisation.
    pub fn last_ticket_number(&self) -> u64 {
        self.tickets().map(|t| t.ticket_number).max().unwrap_or(0)
    }

    /// Active departments, in fixture order.
    pub fn active_departments(&self) -> impl Iterator<Item = &'a Department> + use<'a> {
        let org = self.org;
        self.store.departments.iter().filter(move |d| d.org_id == org && d.is_active)
    }

    /// One department, active or not.
    pub fn department(&self, id: Uuid) -> Option<&'a Department> {
        self.store.department(self.org, id)
    }

    /// An active seat (someone things can be assigned to).
    pub fn active_seat(&self, id: Uuid) -> Option<&'a Seat> {
        self.store.active_seat(self.org, id)
    }

    /// Registered webhooks, newest first.
    pub fn webhooks(&self) -> impl Iterator<Item = &'a Webhook> + use<'a> {
        let org = self.org;
        self.store.webhooks.iter().filter(move |w| w.org_id == org)
    }

    /// Totals over `range`.
    pub fn analytics_overview(&self, range: &DateRange) -> AnalyticsOverview {
        self.store.analytics_overview(self.org, range)
    }

    /// One row per day of `range`.
    pub fn analytics_daily(&self, range: &DateRange) -> Vec<AnalyticsDay> {
        self.store.analytics_daily(self.org, range)
    }
}

/// One organisation's rows, for writing.
#[derive(Debug)]
pub struct OrgViewMut<'a> {
    // Seen by the sibling modules whose writes are further methods of this view.
    pub(super) store: &'a mut NextCapStore,
    pub(super) org: Uuid,
}

impl OrgViewMut<'_> {
    /// The read-only view of the same organisation.
    pub fn read(&self) -> OrgView<'_> {
        self.store.org_view(self.org)
    }

    /// Applies `patch` to one call request at `now`; `None` when it is not the organisation's.
    /// See [`NextCapStore::update_call_request`] for what counts as a change.
    pub fn update_call_request(
        &mut self,
        id: Uuid,
        patch: CallRequestPatch,
        now: DateTime<Utc>,
    ) -> Option<CallRequestUpdate> {
        self.store.update_call_request(self.org, id, patch, now)
    }

    /// Registers a webhook for the organisation (its `org_id` is set here).
    pub fn add_webhook(&mut self, mut webhook: Webhook) -> Webhook {
        webhook.org_id = self.org;
        insert_newest_first(&mut self.store.webhooks, webhook.clone());
        webhook
    }

    /// Deletes one of the organisation's webhooks; false when it has no such webhook.
    pub fn delete_webhook(&mut self, id: Uuid) -> bool {
        let org = self.org;
        let before = self.store.webhooks.len();
        self.store.webhooks.retain(|w| !(w.id == id && w.org_id == org));
        self.store.webhooks.len() != before
    }
}
