//! Agents: their profiles (what `GET/PUT /external/profile` show and change) and their
//! notifications (newest first, read or unread).

use chrono::{DateTime, Utc};
use serde::Serialize;
use serde_json::{Map, Value};

use super::{AgentView, AgentViewMut, DeskHiveStore, TicketAccess};
use crate::time_fmt;

/// An agent; an external key belongs to exactly one.
#[derive(Clone, Debug)]
pub struct Agent {
    /// Id.
    pub id: u64,
    /// Name.
    pub name: String,
    /// Email.
    pub email: String,
    /// Phone.
    pub phone: Option<String>,
    /// Locale.
    pub locale: Option<String>,
    /// Avatar.
    pub avatar_url: Option<String>,
    /// Free-form settings the agent's client keeps.
    pub notification_settings: Map<String, Value>,
    /// Inactive agents' keys get 401.
    pub is_active: bool,
    /// The agent's external API key.
    pub api_key: String,
    /// Creation time.
    pub created_at: DateTime<Utc>,
}

/// The profile resource.
#[derive(Clone, Debug, Serialize)]
pub struct ProfileResource {
    /// Id.
    pub id: u64,
    /// Name.
    pub name: String,
    /// Email.
    pub email: String,
    /// Phone.
    pub phone: Option<String>,
    /// Locale.
    pub locale: Option<String>,
    /// Avatar.
    pub avatar_url: Option<String>,
    /// Settings object.
    pub notification_settings: Map<String, Value>,
    /// Always true for a key that got this far.
    pub is_active: bool,
    /// Creation time.
    #[serde(serialize_with = "time_fmt::secs")]
    pub created_at: DateTime<Utc>,
}

/// A checked `PUT /external/profile` body: `None` leaves a field alone; `Some(None)` clears
/// a nullable one.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ProfileUpdate {
    /// At most 250 characters.
    pub name: Option<String>,
    /// At most 50 characters, or cleared.
    pub phone: Option<Option<String>>,
    /// At most 10 characters, or cleared.
    pub locale: Option<Option<String>>,
    /// Replaces the settings.
    pub notification_settings: Option<Map<String, Value>>,
}

/// A stored notification.
#[derive(Clone, Debug)]
pub struct Notification {
    /// Id.
    pub id: u64,
    /// The agent it is for.
    pub agent_id: u64,
    /// `ticket_reply`, `ticket_assigned`, ...
    pub kind: String,
    /// Title.
    pub title: String,
    /// Text.
    pub message: String,
    /// The ticket it is about.
    pub ticket_id: Option<u64>,
    /// Who caused it.
    pub sender_name: Option<String>,
    /// Their avatar.
    pub sender_avatar: Option<String>,
    /// Read yet.
    pub is_read: bool,
    /// Creation time.
    pub created_at: DateTime<Utc>,
}

/// The notification resource.
#[derive(Clone, Debug, Serialize)]
pub struct NotificationResource {
    /// Id.
    pub id: u64,
    /// Kind.
    #[serde(rename = "type")]
    pub kind: String,
    /// Title.
    pub title: String,
    /// Text.
    pub message: String,
    /// The ticket.
    pub ticket_id: Option<u64>,
    /// Who caused it.
    pub sender_name: Option<String>,
    /// Their avatar.
    pub sender_avatar: Option<String>,
    /// Read yet.
    pub is_read: bool,
    /// Creation time.
    #[serde(serialize_with = "time_fmt::secs")]
    pub created_at: DateTime<Utc>,
}

impl From<&Notification> for NotificationResource {
    fn from(n: &Notification) -> NotificationResource {
        NotificationResource {
            id: n.id,
            kind: n.kind.clone(),
            title: n.title.clone(),
            message: n.message.clone(),
            ticket_id: n.ticket_id,
            sender_name: n.sender_name.clone(),
            sender_avatar: n.sender_avatar.clone(),
            is_read: n.is_read,
            created_at: n.created_at,
        }
    }
}

impl DeskHiveStore {
    /// The agents.
    pub fn agents(&self) -> &[Agent] {
        &self.agents
    }

    /// Adds an agent.
    pub fn add_agent(&mut self, agent: Agent) {
        self.agents.push(agent);
    }

    /// Every notification (fixture checks).
    pub fn notifications(&self) -> &[Notification] {
        &self.notifications
    }

    /// The next notification id.
    pub(super) fn next_notification_id(&self) -> u64 {
        self.notifications.last().map_or(1, |n| n.id + 1)
    }
}

impl AgentView<'_> {
    /// The agent's profile.
    pub fn profile(&self) -> Option<ProfileResource> {
        let a = self.store.agents.iter().find(|a| a.id == self.agent_id)?;
        Some(ProfileResource {
            id: a.id,
            name: a.name.clone(),
            email: a.email.clone(),
            phone: a.phone.clone(),
            locale: a.locale.clone(),
            avatar_url: a.avatar_url.clone(),
            notification_settings: a.notification_settings.clone(),
            is_active: a.is_active,
            created_at: a.created_at,
        })
    }

    /// One page of the agent's notifications, newest first, and their total.
    pub fn notifications(&self, offset: usize, limit: usize) -> (Vec<NotificationResource>, usize) {
        let mine: Vec<&Notification> =
            self.store.notifications.iter().rev().filter(|n| n.agent_id == self.agent_id).collect();
        let page = mine.iter().skip(offset).take(limit).map(|n| NotificationResource::from(*n)).collect();
        (page, mine.len())
    }

    /// How many of the agent's notifications are unread.
    pub fn unread_count(&self) -> usize {
        self.store.notifications.iter().filter(|n| n.agent_id == self.agent_id && !n.is_read).count()
    }
}

impl AgentViewMut<'_> {
    /// Applies a checked profile update.
    pub fn update_profile(&mut self, update: ProfileUpdate) -> Option<ProfileResource> {
        let agent = self.store.agents.iter_mut().find(|a| a.id == self.agent_id)?;
        if let Some(name) = update.name {
            agent.name = name;
        }
        if let Some(phone) = update.phone {
            agent.phone = phone;
        }
        if let Some(locale) = update.locale {
            agent.locale = locale;
        }
        if let Some(settings) = update.notification_settings {
            agent.notification_settings = settings;
        }
        self.read().profile()
    }

    /// Marks one of the agent's notifications read (again is fine); another agent's is 404.
    pub fn mark_read(&mut self, id: u64) -> Result<(), TicketAccess> {
        let agent = self.agent_id;
        let n = self
            .store
            .notifications
            .iter_mut()
            .find(|n| n.id == id && n.agent_id == agent)
            .ok_or(TicketAccess::NotFound)?;
        n.is_read = true;
        Ok(())
    }
}
