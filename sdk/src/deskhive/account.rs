//! The key's agent: its dashboard counts, its profile (get, update) and its notifications
//! (list, unread count, mark read). Source: deskhive-external-api.txt, "Dashboard",
//! "Profile", "Notifications".

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::envelope::{LaravelPages, StatusData};
use super::ticket_models::TicketId;
use super::{DeskHiveClient, id_path};
use crate::core::error::{Error, Result};
use crate::core::macros::{int_id, string_enum};
use crate::core::pagination::{ListParams, ListRequest};
use crate::core::transport::RequestSpec;
use crate::core::validate::in_range;

int_id!(
    /// An agent's ID.
    AgentId
);
int_id!(
    /// A notification's ID.
    NotificationId
);

string_enum! {
    /// What a notification is about.
    pub enum NotificationType {
        /// A customer replied on one of the agent's tickets.
        TicketReply => "ticket_reply",
        /// A ticket was assigned to the agent.
        TicketAssigned => "ticket_assigned",
    }
}

/// Ticket counts of the key's agent.
#[derive(Clone, Copy, Debug, Deserialize, Serialize, PartialEq, Eq)]
#[non_exhaustive]
pub struct Dashboard {
    /// Tickets in `open`.
    pub open_tickets: u64,
    /// Tickets in `in_progress`.
    pub in_progress_tickets: u64,
    /// Tickets whose last message is the customer's.
    pub needs_response: u64,
    /// Tickets closed today (the server's day).
    pub closed_today: u64,
}

/// The key's agent.
#[derive(Clone, Debug, Deserialize, Serialize, PartialEq)]
#[non_exhaustive]
pub struct Profile {
    /// Agent ID.
    pub id: AgentId,
    /// Name.
    pub name: String,
    /// Email address.
    pub email: String,
    /// Phone.
    #[serde(default)]
    pub phone: Option<String>,
    /// Locale, e.g. `en`.
    #[serde(default)]
    pub locale: Option<String>,
    /// Avatar URL.
    #[serde(default)]
    pub avatar_url: Option<String>,
    /// Free-form settings (an empty object when none; a JSON list is read as empty).
    #[serde(default, deserialize_with = "settings")]
    pub notification_settings: Map<String, Value>,
    /// Whether the agent is active.
    pub is_active: bool,
    /// Creation time.
    pub created_at: DateTime<Utc>,
}

/// PHP encodes an empty array as `[]`: read any non-object as no settings.
fn settings<'de, D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Map<String, Value>, D::Error> {
    Ok(match Value::deserialize(d)? {
        Value::Object(map) => map,
        _ => Map::new(),
    })
}

/// A notification of the key's agent.
#[derive(Clone, Debug, Deserialize, Serialize, PartialEq, Eq)]
#[non_exhaustive]
pub struct Notification {
    /// ID.
    pub id: NotificationId,
    /// What it is about.
    #[serde(rename = "type")]
    pub kind: NotificationType,
    /// Title, e.g. `New reply on #1001`.
    pub title: String,
    /// Text.
    pub message: String,
    /// The ticket it is about.
    #[serde(default)]
    pub ticket_id: Option<TicketId>,
    /// Who caused it.
    #[serde(default)]
    pub sender_name: Option<String>,
    /// Their avatar URL.
    #[serde(default)]
    pub sender_avatar: Option<String>,
    /// Read yet.
    pub is_read: bool,
    /// Creation time.
    pub created_at: DateTime<Utc>,
}

/// Paging of `GET /external/notifications` (default 20 per page).
#[derive(Clone, Debug, Default, Serialize)]
#[non_exhaustive]
pub struct NotificationsQuery {
    #[serde(skip_serializing_if = "Option::is_none")]
    per_page: Option<u32>,
}

impl ListParams for NotificationsQuery {
    type Item = Notification;
    type Style = LaravelPages;
    fn validate(&self) -> Result<()> {
        in_range("per_page", self.per_page, 1..=100)
    }
}

impl ListRequest<NotificationsQuery> {
    /// Items per page, 1-100 (the API's default is 20).
    pub fn per_page(mut self, n: u32) -> Self {
        self.params.per_page = Some(n);
        self
    }
}

/// The body of `PUT /external/profile`: only the fields set are sent; `Some(None)` is an
/// explicit `null` (clear).
#[derive(Clone, Debug, Default, Serialize)]
struct ProfilePatch {
    #[serde(skip_serializing_if = "Option::is_none")]
    name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    phone: Option<Option<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    locale: Option<Option<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    notification_settings: Option<Map<String, Value>>,
}

/// A profile update being built; from [`ProfileApi::update`].
#[derive(Debug)]
#[must_use = "an update does nothing until you call .send()"]
pub struct UpdateProfile<'a> {
    client: &'a DeskHiveClient,
    patch: ProfilePatch,
}

fn at_most(name: &str, value: Option<&str>, max: usize) -> Result<()> {
    match value {
        Some(v) if v.chars().count() > max => Err(Error::invalid(name, format!("must be at most {max} characters"))),
        _ => Ok(()),
    }
}

impl UpdateProfile<'_> {
    /// The display name (1-250 characters).
    pub fn name(mut self, name: impl Into<String>) -> Self {
        self.patch.name = Some(name.into());
        self
    }
    /// The phone number (at most 50 characters).
    pub fn phone(mut self, phone: impl Into<String>) -> Self {
        self.patch.phone = Some(Some(phone.into()));
        self
    }
    /// Removes the phone number.
    pub fn clear_phone(mut self) -> Self {
        self.patch.phone = Some(None);
        self
    }
    /// The locale, e.g. `en` or `pt-BR` (at most 10 characters).
    pub fn locale(mut self, locale: impl Into<String>) -> Self {
        self.patch.locale = Some(Some(locale.into()));
        self
    }
    /// Removes the locale.
    pub fn clear_locale(mut self) -> Self {
        self.patch.locale = Some(None);
        self
    }
    /// Replaces the notification settings.
    pub fn notification_settings(mut self, settings: Map<String, Value>) -> Self {
        self.patch.notification_settings = Some(settings);
        self
    }

    /// Sends the update and returns the profile. Nothing set, a blank name, or a value over
    /// its length limit (name 250, phone 50, locale 10 characters) is refused before sending.
    ///
    /// ```no_run
    /// # async fn run(client: deskapi::DeskHiveClient) -> deskapi::Result<()> {
    /// let me = client.profile().update().name("Sam Agent").send().await?;
    /// println!("{}", me.name);
    /// # Ok(()) }
    /// ```
    #[doc(alias = "updateProfile")]
    pub async fn send(self) -> Result<Profile> {
        let p = &self.patch;
        if p.name.is_none() && p.phone.is_none() && p.locale.is_none() && p.notification_settings.is_none() {
            return Err(Error::invalid("update", "set at least one of name, phone, locale or notification_settings"));
        }
        if p.name.as_deref().is_some_and(|n| n.trim().is_empty()) {
            return Err(Error::invalid("name", "must not be empty"));
        }
        at_most("name", p.name.as_deref(), 250)?;
        at_most("phone", p.phone.as_ref().and_then(Option::as_deref), 50)?;
        at_most("locale", p.locale.as_ref().and_then(Option::as_deref), 10)?;
        let spec = RequestSpec::new(http::Method::PUT, "/external/profile").json(p)?;
        Ok(self.client.transport.json::<StatusData<Profile>>(spec).await?.data)
    }
}

/// The profile endpoints; from [`DeskHiveClient::profile`].
#[derive(Debug)]
pub struct ProfileApi<'a> {
    pub(crate) client: &'a DeskHiveClient,
}

impl<'a> ProfileApi<'a> {
    /// The key's agent.
    ///
    /// ```no_run
    /// # async fn run(client: deskapi::DeskHiveClient) -> deskapi::Result<()> {
    /// let me = client.profile().get().await?;
    /// println!("{} <{}> {:?}", me.name, me.email, me.locale);
    /// # Ok(()) }
    /// ```
    #[doc(alias = "getProfile")]
    pub async fn get(&self) -> Result<Profile> {
        let spec = RequestSpec::new(http::Method::GET, "/external/profile");
        Ok(self.client.transport.json::<StatusData<Profile>>(spec).await?.data)
    }

    /// Starts a profile update (`PUT`; only the fields set are sent).
    ///
    /// ```no_run
    /// # async fn run(client: deskapi::DeskHiveClient) -> deskapi::Result<()> {
    /// let me = client.profile().update().locale("de").clear_phone().send().await?;
    /// assert_eq!(me.locale.as_deref(), Some("de"));
    /// # Ok(()) }
    /// ```
    pub fn update(&self) -> UpdateProfile<'a> {
        UpdateProfile { client: self.client, patch: ProfilePatch::default() }
    }
}

#[derive(Deserialize)]
struct UnreadCount {
    unread_count: u64,
}

/// The notification endpoints; from [`DeskHiveClient::notifications`].
#[derive(Debug)]
pub struct Notifications<'a> {
    pub(crate) client: &'a DeskHiveClient,
}

impl Notifications<'_> {
    /// Lists the agent's notifications, newest first.
    ///
    /// ```no_run
    /// # async fn run(client: deskapi::DeskHiveClient) -> deskapi::Result<()> {
    /// let page = client.notifications().list().per_page(50).send().await?;
    /// for n in page.items.iter().filter(|n| !n.is_read) {
    ///     println!("{}: {}", n.title, n.message);
    /// }
    /// # Ok(()) }
    /// ```
    #[doc(alias = "listNotifications")]
    pub fn list(&self) -> ListRequest<NotificationsQuery> {
        ListRequest::new(
            &self.client.transport,
            Ok("/external/notifications".to_owned()),
            NotificationsQuery::default(),
        )
    }

    /// How many of the agent's notifications are unread.
    ///
    /// ```no_run
    /// # async fn run(client: deskapi::DeskHiveClient) -> deskapi::Result<()> {
    /// println!("{} unread", client.notifications().unread_count().await?);
    /// # Ok(()) }
    /// ```
    #[doc(alias = "getUnreadNotificationCount")]
    pub async fn unread_count(&self) -> Result<u64> {
        let spec = RequestSpec::new(http::Method::GET, "/external/notifications/unread-count");
        Ok(self.client.transport.json::<StatusData<UnreadCount>>(spec).await?.data.unread_count)
    }

    /// Marks one of the agent's notifications read (again is fine; another agent's is a 404).
    ///
    /// ```no_run
    /// # async fn run(client: deskapi::DeskHiveClient) -> deskapi::Result<()> {
    /// client.notifications().mark_read(7).await?;
    /// # Ok(()) }
    /// ```
    #[doc(alias = "markNotificationRead")]
    pub async fn mark_read(&self, id: impl Into<NotificationId>) -> Result<()> {
        let path = id_path("notification", id.into().0, "/external/notifications", "/read")?;
        self.client.transport.execute(RequestSpec::new(http::Method::POST, path)).await?;
        Ok(())
    }
}
