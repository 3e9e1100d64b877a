//! Seat roles and the permissions each grants (nextcap-crm-integration.txt, "Permissions
//! Reference": "The CRM key inherits the user's role permissions"). Owners and admins hold
//! every permission, `team:invite` included; the other roles are the fixtures' and the ones
//! `create-api-only-seat` / `update-seat` accept.

/// Every CRM permission the document names.
pub const ALL_PERMISSIONS: [&str; 10] = [
    "conversations:view",
    "conversations:view-own",
    "live-chat:view",
    "live-chat:join",
    "tickets:view",
    "tickets:manage",
    "tickets:reply",
    "tickets:assign",
    "tickets:close",
    "team:invite",
];

/// Each role and its permissions.
pub const ROLES: [(&str, &[&str]); 7] = [
    ("owner", &ALL_PERMISSIONS),
    ("admin", &ALL_PERMISSIONS),
    ("live_chat_agent", &["live-chat:view", "live-chat:join", "conversations:view"]),
    ("ticketing_agent", &["tickets:view", "tickets:manage", "tickets:reply", "tickets:assign", "tickets:close"]),
    ("agent", &["conversations:view", "tickets:view"]),
    ("viewer", &["conversations:view-own", "tickets:view"]),
    // A live-chat seat that sees only the conversations assigned to it (the chat namespace
    // admits it through `live-chat:view`; `crm:join` then holds it to its own conversations).
    ("live_chat_viewer", &["live-chat:view", "conversations:view-own"]),
];

/// The permissions of `role`, if it is one.
pub fn permissions_of(role: &str) -> Option<&'static [&'static str]> {
    ROLES.iter().find(|(name, _)| *name == role).map(|(_, permissions)| *permissions)
}
