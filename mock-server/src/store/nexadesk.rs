//! NexaDesk data: workspaces, sales reps, leads, contacts and conversations.
//!
//! Leads serialize to the fields documented in `nexadesk-leads.txt` plus `lead_score`
//! (0-100), which the documented sort field `lead_score` implies. Leads are stored newest
//! first so the default sort (`created_at:desc`) costs one linear pass (Rust's stable sort
//! detects the already-sorted run).

use std::cmp::Ordering;

use chrono::{DateTime, Utc};
use serde::Serialize;
use serde_json::Number;
use uuid::Uuid;

use crate::time_fmt;

/// Pipeline stages.
pub const STAGES: [&str; 6] = ["new", "qualified", "assigned", "contacted", "converted", "lost"];
/// Conversation statuses.
pub const CONVERSATION_STATUSES: [&str; 4] = ["open", "pending", "active", "archived"];

/// A workspace (tenant).
#[derive(Clone, Debug, Serialize)]
pub struct Workspace {
    /// `ws_...`.
    pub id: String,
    /// Display name.
    pub name: String,
}

/// A sales rep of a workspace (`assigned_rep_id`).
#[derive(Clone, Debug, Serialize)]
pub struct Rep {
    /// Rep id.
    pub id: Uuid,
    /// Workspace.
    #[serde(skip)]
    pub workspace_id: String,
    /// First name.
    pub first_name: String,
    /// Last name.
    pub last_name: String,
    /// Email.
    pub email: String,
}

/// A lead, as documented (plus `lead_score`).
#[derive(Clone, Debug, Serialize)]
pub struct Lead {
    /// Lead id.
    pub id: Uuid,
    /// Workspace.
    #[serde(skip)]
    pub workspace_id: String,
    /// Name.
    pub visitor_name: String,
    /// Email.
    pub visitor_email: Option<String>,
    /// Phone.
    pub visitor_phone: Option<String>,
    /// Company.
    pub visitor_company: Option<String>,
    /// One of [`STAGES`].
    pub pipeline_stage: String,
    /// What the lead needs.
    pub need_summary: Option<String>,
    /// Tags.
    pub tags: Vec<String>,
    /// Free-form source (`widget`, `api`, `contact-form`, ...).
    pub source: String,
    /// Estimated deal value.
    pub expected_billing_amount: Option<Number>,
    /// Assigned rep.
    pub assigned_rep_id: Option<Uuid>,
    /// Rep first name (joined).
    pub rep_first_name: Option<String>,
    /// Rep last name (joined).
    pub rep_last_name: Option<String>,
    /// Rep email (joined).
    pub rep_email: Option<String>,
    /// Lead score, 0-100.
    pub lead_score: u8,
    /// Creation time.
    #[serde(serialize_with = "time_fmt::millis")]
    pub created_at: DateTime<Utc>,
    /// Last update.
    #[serde(serialize_with = "time_fmt::millis")]
    pub updated_at: DateTime<Utc>,
}

/// A contact, the fields the vendor documents.
#[derive(Clone, Debug, Serialize)]
pub struct Contact {
    /// Id.
    pub id: Uuid,
    /// Workspace.
    #[serde(skip)]
    pub workspace_id: String,
    /// First name.
    pub first_name: String,
    /// Last name.
    pub last_name: Option<String>,
    /// Email (deduplication key).
    pub email: Option<String>,
    /// Phone.
    pub phone: Option<String>,
    /// Company.
    pub company_name: Option<String>,
    /// Avatar.
    pub avatar_url: Option<String>,
    /// Tags.
    pub tags: Vec<String>,
    /// Notes.
    pub profile_notes: Option<String>,
    /// AI summary of interests.
    pub interest_summary: Option<String>,
    /// Last activity.
    #[serde(serialize_with = "time_fmt::millis_opt")]
    pub last_activity: Option<DateTime<Utc>>,
    /// Creation time.
    #[serde(serialize_with = "time_fmt::millis")]
    pub created_at: DateTime<Utc>,
    /// Conversations with this contact.
    pub conversation_count: u32,
    /// Latest conversation.
    #[serde(serialize_with = "time_fmt::millis_opt")]
    pub last_conversation_at: Option<DateTime<Utc>>,
}

/// A conversation list item, the fields the vendor documents.
#[derive(Clone, Debug, Serialize)]
pub struct Conversation {
    /// Id.
    pub id: Uuid,
    /// Workspace.
    #[serde(skip)]
    pub workspace_id: String,
    /// Channel.
    pub source: String,
    /// One of [`CONVERSATION_STATUSES`].
    pub status: String,
    /// Tags.
    pub tags: Vec<String>,
    /// Creation time.
    #[serde(serialize_with = "time_fmt::millis")]
    pub created_at: DateTime<Utc>,
    /// Last update.
    #[serde(serialize_with = "time_fmt::millis")]
    pub updated_at: DateTime<Utc>,
    /// Assigned rep.
    pub agent_id: Option<Uuid>,
    /// Department.
    pub department_id: Option<Uuid>,
    /// Visitor name.
    pub visitor_name: Option<String>,
    /// Visitor email.
    pub visitor_email: Option<String>,
    /// Visitor company.
    pub visitor_company: Option<String>,
    /// Assigned rep name.
    pub agent_name: Option<String>,
    /// Last message text.
    pub last_message: Option<String>,
    /// Number of messages.
    pub message_count: u32,
}

/// Everything NexaDesk holds.
#[derive(Clone, Debug, Default)]
pub struct NexaDeskStore {
    /// Workspaces (Acme first).
    pub(in crate::store) workspaces: Vec<Workspace>,
    /// Reps.
    pub(in crate::store) reps: Vec<Rep>,
    /// Leads, newest first.
    pub(in crate::store) leads: Vec<Lead>,
    /// Contacts.
    pub(in crate::store) contacts: Vec<Contact>,
    /// Conversations.
    pub(in crate::store) conversations: Vec<Conversation>,
}

/// Sortable lead fields.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LeadSort {
    /// `created_at`.
    CreatedAt,
    /// `updated_at`.
    UpdatedAt,
    /// `lead_score`.
    LeadScore,
    /// `visitor_name` (case-insensitive).
    VisitorName,
}

/// Filters and order of `GET /leads`.
#[derive(Clone, Debug)]
pub struct LeadQuery {
    /// Only this stage.
    pub stage: Option<String>,
    /// Case-insensitive substring of name, email or company.
    pub search: Option<String>,
    /// Sort field.
    pub sort: LeadSort,
    /// Descending?
    pub descending: bool,
}

fn compare(a: &Lead, b: &Lead, sort: LeadSort) -> Ordering {
    match sort {
        LeadSort::CreatedAt => a.created_at.cmp(&b.created_at),
        LeadSort::UpdatedAt => a.updated_at.cmp(&b.updated_at),
        LeadSort::LeadScore => a.lead_score.cmp(&b.lead_score),
        LeadSort::VisitorName => a.visitor_name.to_lowercase().cmp(&b.visitor_name.to_lowercase()),
    }
}

fn contains_ci(field: Option<&str>, needle: &str) -> bool {
    field.is_some_and(|f| f.to_lowercase().contains(needle))
}

/// One workspace's rows: every accessor is scoped to the workspace, so no handler filters by
/// tenant itself (another workspace's rows are never listed and, by id, are 404).
#[derive(Clone, Copy, Debug)]
pub struct WorkspaceView<'a> {
    store: &'a NexaDeskStore,
    workspace_id: &'a str,
}

/// One workspace's rows, for writing.
#[derive(Debug)]
pub struct WorkspaceViewMut<'a> {
    store: &'a mut NexaDeskStore,
    workspace_id: &'a str,
}

impl WorkspaceViewMut<'_> {
    /// The read-only view of the same workspace.
    pub fn read(&self) -> WorkspaceView<'_> {
        self.store.workspace_view(self.workspace_id)
    }
}

impl NexaDeskStore {
    /// The rows of workspace `workspace_id`.
    pub fn workspace_view<'a>(&'a self, workspace_id: &'a str) -> WorkspaceView<'a> {
        WorkspaceView { store: self, workspace_id }
    }

    /// The rows of workspace `workspace_id`, for writing.
    pub fn workspace_view_mut<'a>(&'a mut self, workspace_id: &'a str) -> WorkspaceViewMut<'a> {
        WorkspaceViewMut { store: self, workspace_id }
    }
}

impl<'a> WorkspaceView<'a> {
    /// The workspace's sales reps, in fixture order.
    pub fn reps(&self) -> impl Iterator<Item = &'a Rep> + use<'a> {
        let workspace_id = self.workspace_id;
        self.store.reps.iter().filter(move |r| r.workspace_id == workspace_id)
    }

    /// The workspace's contacts, in fixture order.
    pub fn contacts(&self) -> impl Iterator<Item = &'a Contact> + use<'a> {
        let workspace_id = self.workspace_id;
        self.store.contacts.iter().filter(move |c| c.workspace_id == workspace_id)
    }

    /// The workspace's conversations, in fixture order.
    pub fn conversations(&self) -> impl Iterator<Item = &'a Conversation> + use<'a> {
        let workspace_id = self.workspace_id;
        self.store.conversations.iter().filter(move |c| c.workspace_id == workspace_id)
    }

    /// One window (`offset`, `limit`) of the workspace's leads, and the total that match.
    pub fn leads(&self, query: &LeadQuery, offset: usize, limit: usize) -> (Vec<Lead>, usize) {
        let workspace_id = self.workspace_id;
        let needle = query.search.as_ref().map(|s| s.to_lowercase());
        let mut rows: Vec<&Lead> = self
            .store
            .leads
            .iter()
            .filter(|l| l.workspace_id == workspace_id)
            .filter(|l| query.stage.as_deref().is_none_or(|s| l.pipeline_stage == s))
            .filter(|l| {
                needle.as_deref().is_none_or(|n| {
                    contains_ci(Some(&l.visitor_name), n)
                        || contains_ci(l.visitor_email.as_deref(), n)
                        || contains_ci(l.visitor_company.as_deref(), n)
                })
            })
            .collect();
        // Ties fall back to the id so that pages never overlap or skip a row.
        rows.sort_by(|a, b| {
            let primary = compare(a, b, query.sort);
            let primary = if query.descending { primary.reverse() } else { primary };
            primary.then_with(|| a.id.cmp(&b.id))
        });
        let total = rows.len();
        let page = rows.into_iter().skip(offset).take(limit).cloned().collect();
        (page, total)
    }
}

#[cfg(test)]
mod tests {
    /// Each workspace's view sees its own rows and together they see every row once.
    #[test]
    fn workspace_views_partition_the_rows() {
        let store = crate::store::fixtures::build(42, 5);
        let nd = store.nexadesk();
        let (mut reps, mut contacts, mut conversations) = (0, 0, 0);
        for workspace in &nd.workspaces {
            let view = nd.workspace_view(&workspace.id);
            assert_eq!(view.reps().count(), 3, "three reps per workspace");
            assert!(view.contacts().all(|c| c.workspace_id == workspace.id));
            assert!(view.conversations().all(|c| c.workspace_id == workspace.id));
            reps += view.reps().count();
            contacts += view.contacts().count();
            conversations += view.conversations().count();
        }
        assert_eq!((reps, contacts, conversations), (nd.reps.len(), nd.contacts.len(), nd.conversations.len()));
        assert_eq!(contacts, crate::store::fixtures::nexadesk::CONTACTS.iter().sum::<usize>());
    }
}
