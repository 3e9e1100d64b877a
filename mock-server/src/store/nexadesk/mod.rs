//! NexaDesk data: workspaces, sales reps, leads, contacts, conversations and messages, and
//! the workspace-scoped views every handler goes through.
//!
//! rows.rs holds the row types, lists.rs the filtered, sorted windows of the list endpoints,
//! writes.rs the creates, updates and deletes (each returning the webhook events it caused).
//! Leads are stored newest first so the default sort (`created_at:desc`) costs one linear pass
//! (Rust's stable sort detects the already-sorted run).

mod lists;
mod rows;
mod visitor;
mod webhooks;
mod writes;

pub use uuid::Uuid;

pub use lists::{ContactQuery, ContactSort, ConversationQuery, ConversationSort, LeadQuery, LeadSort};
pub use rows::*;
pub use visitor::StartConversation;
pub use webhooks::NdWebhook;
pub use writes::{ContactChanges, ConversationChanges, LeadChanges, NewContact, NewLead, Outcome, WriteError};

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
    /// Messages of every conversation, oldest first.
    pub(in crate::store) messages: Vec<Message>,
    /// Webhooks registered through the control API.
    pub(in crate::store) webhooks: Vec<NdWebhook>,
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

    /// The workspace's leads, newest first.
    pub fn all_leads(&self) -> impl Iterator<Item = &'a Lead> + use<'a> {
        let workspace_id = self.workspace_id;
        self.store.leads.iter().filter(move |l| l.workspace_id == workspace_id)
    }

    /// A lead of this workspace (another workspace's is `None`, so 404).
    pub fn lead(&self, id: Uuid) -> Option<&'a Lead> {
        self.all_leads().find(|l| l.id == id)
    }

    /// A contact of this workspace.
    pub fn contact(&self, id: Uuid) -> Option<&'a Contact> {
        self.contacts().find(|c| c.id == id)
    }

    /// A conversation of this workspace.
    pub fn conversation(&self, id: Uuid) -> Option<&'a Conversation> {
        self.conversations().find(|c| c.id == id)
    }

    /// A sales rep of this workspace.
    pub fn rep(&self, id: Uuid) -> Option<&'a Rep> {
        self.reps().find(|r| r.id == id)
    }

    /// A conversation with every message, oldest first.
    pub fn conversation_detail(&self, id: Uuid) -> Option<ConversationDetail> {
        let conversation = self.conversation(id)?.clone();
        let messages = self.store.messages.iter().filter(|m| m.conversation_id == id).cloned().collect();
        Some(ConversationDetail { conversation, messages })
    }

    /// The workspace's id (`ws_...`).
    pub fn workspace_id(&self) -> &'a str {
        self.workspace_id
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
