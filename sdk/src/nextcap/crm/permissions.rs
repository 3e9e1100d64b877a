//! Seat permissions: what a CRM key may do is what its seat's role allows (the document's
//! "Permissions Reference"). Typed so that a caller can hold a seat's permissions as a set and
//! ask before calling, instead of comparing strings.
//!
//! [`Permission`] has an `Unknown` fallback like every enum the API sends, so a permission the
//! SDK does not know yet is kept, not refused.

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};

use crate::core::macros::string_enum;

string_enum! {
    /// One permission of a seat's role, as the dashboard and the document name it.
    pub enum Permission {
        /// Connect to the live-chat WebSocket.
        LiveChatView => "live-chat:view",
        /// Send messages and typing indicators, see the handoff queue, assign and resolve
        /// conversations.
        LiveChatJoin => "live-chat:join",
        /// See every conversation of the seat's widgets.
        ConversationsView => "conversations:view",
        /// See only the conversations assigned to the seat.
        ConversationsViewOwn => "conversations:view-own",
        /// List and read tickets and their timelines.
        TicketsView => "tickets:view",
        /// Update, transfer, reopen tickets, add notes, see internal notes.
        TicketsManage => "tickets:manage",
        /// Reply to tickets.
        TicketsReply => "tickets:reply",
        /// Assign tickets.
        TicketsAssign => "tickets:assign",
        /// Close tickets.
        TicketsClose => "tickets:close",
        /// Invite members; also needed for the team directory (owners and admins).
        TeamInvite => "team:invite",
    }
}

impl PartialOrd for Permission {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

/// Ordered by wire name, so a [`Permissions`] set lists them alphabetically (a known value
/// before an `Unknown` one spelled the same, to stay consistent with `Eq`).
impl Ord for Permission {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.as_str().cmp(other.as_str()).then_with(|| other.is_known().cmp(&self.is_known()))
    }
}

/// A seat's permissions, as a set. Serialized as a JSON array of permission names.
///
/// ```
/// use deskapi::nextcap::crm::{Permission, Permissions};
/// let seat: Permissions = [Permission::TicketsView, Permission::TicketsReply].into_iter().collect();
/// assert!(seat.contains(&Permission::TicketsReply));
/// // The document's rules are "any of": listing conversations needs view or view-own.
/// assert!(!seat.contains_any(&[Permission::ConversationsView, Permission::ConversationsViewOwn]));
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(transparent)]
pub struct Permissions(BTreeSet<Permission>);

impl Permissions {
    /// An empty set.
    pub fn new() -> Self {
        Self::default()
    }
    /// True when the set holds `permission`.
    pub fn contains(&self, permission: &Permission) -> bool {
        self.0.contains(permission)
    }
    /// True when the set holds at least one of `any_of` (the API's rule for every endpoint).
    pub fn contains_any(&self, any_of: &[Permission]) -> bool {
        any_of.iter().any(|p| self.0.contains(p))
    }
    /// Adds a permission; false if it was already there.
    pub fn insert(&mut self, permission: Permission) -> bool {
        self.0.insert(permission)
    }
    /// Removes a permission; false if it was not there.
    pub fn remove(&mut self, permission: &Permission) -> bool {
        self.0.remove(permission)
    }
    /// The permissions, by name.
    pub fn iter(&self) -> impl Iterator<Item = &Permission> {
        self.0.iter()
    }
    /// How many permissions the set holds.
    pub fn len(&self) -> usize {
        self.0.len()
    }
    /// True for an empty set.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl FromIterator<Permission> for Permissions {
    fn from_iter<I: IntoIterator<Item = Permission>>(iter: I) -> Self {
        Self(iter.into_iter().collect())
    }
}

impl Extend<Permission> for Permissions {
    fn extend<I: IntoIterator<Item = Permission>>(&mut self, iter: I) {
        self.0.extend(iter);
    }
}

impl<'a> IntoIterator for &'a Permissions {
    type Item = &'a Permission;
    type IntoIter = std::collections::btree_set::Iter<'a, Permission>;
    fn into_iter(self) -> Self::IntoIter {
        self.0.iter()
    }
}
