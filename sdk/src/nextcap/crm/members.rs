//! The CRM team directory: `GET /external/crm/members`, `/members/:id` and
//! `/members/by-email/:email`, for looking up the organisation's employees (not visitors).
//! Owner/admin seats only: the key's seat needs `team:invite`, others get 403.
//!
//! Source: the "CRM Team Directory" facts in shared/api/README.md (the member object's fields)
//! and `Member` in `openapi/nextcap-crm.yaml`. A member's `id` is the user ID that assigning a
//! ticket or conversation takes, so it is a [`UserId`].
//!
//! The list takes only page, page size and `search` (no date filter), so its walks are not
//! pinned with `created_before` like the Data API's lists ([`CrmPages`](super::CrmPages)).

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::NextCapCrmClient;
use super::common::{CrmPages, item_path};
use crate::core::error::{Error, Result};
use crate::core::macros::{string_enum, string_id};
use crate::core::pagination::{ListParams, ListRequest};
use crate::core::validate::{in_range, non_empty};
use crate::nextcap::models::{UserId, null_as_default};

string_id!(
    /// A role's ID.
    RoleId
);

string_enum! {
    /// How a seat was created.
    pub enum SeatType {
        /// A team member with a dashboard account.
        User => "user",
        /// An API-only seat (created for an integration, no sign-up).
        ApiOnly => "api_only",
    }
}

string_enum! {
    /// A member's availability in the dashboard.
    pub enum AvailabilityStatus {
        /// Online.
        Online => "online",
        /// Away.
        Away => "away",
        /// Busy.
        Busy => "busy",
        /// Offline.
        Offline => "offline",
    }
}

/// A team member (seat) of the organisation. Never carries password hashes or OTP flags.
#[derive(Clone, Debug, Deserialize, Serialize, PartialEq)]
#[non_exhaustive]
pub struct Member {
    /// The member's user ID (what the assign actions take).
    pub id: UserId,
    /// Email; `None` for an API-only seat created without one.
    pub email: Option<String>,
    /// Full name.
    pub name: String,
    /// The name shown to visitors in chat.
    pub chat_display_name: Option<String>,
    /// Phone number.
    pub phone: Option<String>,
    /// Avatar image URL.
    pub avatar_url: Option<String>,
    /// The role's slug (`owner`, `admin`, `agent`, or an organisation's own).
    pub role: String,
    /// The role's ID.
    pub role_id: Option<RoleId>,
    /// The role's display name.
    pub role_name: Option<String>,
    /// The role's slug, as stored with the role.
    pub role_slug: Option<String>,
    /// The role's display colour.
    pub role_color: Option<String>,
    /// True for the built-in roles.
    pub role_is_system: bool,
    /// How the seat was created.
    pub seat_type: SeatType,
    /// Whether the email was verified.
    pub email_verified: bool,
    /// Availability in the dashboard.
    pub availability_status: AvailabilityStatus,
    /// What the member is doing now, if reported.
    pub current_activity: Option<String>,
    /// ISO 639-1 codes of the languages the member speaks.
    #[serde(default, deserialize_with = "null_as_default")]
    pub spoken_languages: Vec<String>,
    /// Last activity.
    pub last_active_at: Option<DateTime<Utc>>,
    /// Last dashboard login.
    pub last_login_at: Option<DateTime<Utc>>,
    /// When the seat was deactivated (its CRM keys stop working at once); `None` if active.
    pub disabled_at: Option<DateTime<Utc>>,
    /// When the seat was created.
    pub created_at: DateTime<Utc>,
    /// When it last changed.
    pub updated_at: DateTime<Utc>,
}

impl Member {
    /// True unless the seat was deactivated.
    pub fn is_active(&self) -> bool {
        self.disabled_at.is_none()
    }
}

/// Filters of `GET /external/crm/members`.
#[derive(Clone, Debug, Default, Serialize)]
#[non_exhaustive]
pub struct MembersQuery {
    #[serde(skip_serializing_if = "Option::is_none")]
    per_page: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    search: Option<String>,
}

impl ListParams for MembersQuery {
    type Item = Member;
    type Style = CrmPages;
    fn validate(&self) -> Result<()> {
        in_range("per_page", self.per_page, 1..=100)?;
        non_empty("search", self.search.as_deref())
    }
}

impl ListRequest<MembersQuery> {
    /// Members per page, 1-100 (the API's default is 20).
    pub fn per_page(mut self, n: u32) -> Self {
        self.params.per_page = Some(n);
        self
    }
    /// Only members whose name, chat display name or email contains this text
    /// (case-insensitive).
    pub fn search(mut self, text: impl Into<String>) -> Self {
        self.params.search = Some(text.into());
        self
    }
}

/// The team directory endpoints; from [`NextCapCrmClient::members`].
#[derive(Debug)]
pub struct Members<'a> {
    pub(crate) client: &'a NextCapCrmClient,
}

impl Members<'_> {
    /// Lists the organisation's team members. Needs `team:invite`.
    ///
    /// ```no_run
    /// # async fn run(client: deskapi::NextCapCrmClient) -> deskapi::Result<()> {
    /// use futures::TryStreamExt;
    /// let anas: Vec<_> = client.members().list().search("ana").stream().try_collect().await?;
    /// for m in anas.iter().filter(|m| m.is_active()) {
    ///     println!("{} <{:?}> {} {}", m.name, m.email, m.role, m.availability_status);
    /// }
    /// # Ok(()) }
    /// ```
    #[doc(alias = "listCrmMembers")]
    pub fn list(&self) -> ListRequest<MembersQuery> {
        self.client.list(Ok("/external/crm/members".to_owned()))
    }

    /// Gets one team member by user ID. Needs `team:invite`.
    ///
    /// ```no_run
    /// # async fn run(client: deskapi::NextCapCrmClient) -> deskapi::Result<()> {
    /// let m = client.members().get("3c4d5e60-0000-4000-8000-000000000007").await?;
    /// println!("{} speaks {:?}", m.name, m.spoken_languages);
    /// # Ok(()) }
    /// ```
    #[doc(alias = "getCrmMember")]
    pub async fn get(&self, id: impl Into<UserId>) -> Result<Member> {
        self.client.fetch(item_path("members", "id", id.into().as_str(), "")).await
    }

    /// Looks a team member up by email (matched case-insensitively; the SDK URL-encodes it
    /// into the path, so `+` and `@` arrive intact). An empty email, or one without `@`, is
    /// refused before sending. Needs `team:invite`.
    ///
    /// ```no_run
    /// # async fn run(client: deskapi::NextCapCrmClient) -> deskapi::Result<()> {
    /// let m = client.members().by_email("ana+support@acme.com").await?;
    /// println!("{} is {}", m.id, m.role);
    /// # Ok(()) }
    /// ```
    #[doc(alias = "getCrmMemberByEmail")]
    pub async fn by_email(&self, email: &str) -> Result<Member> {
        if !email.trim().is_empty() && !email.contains('@') {
            return Err(Error::invalid("email", "is not an email address (no `@`)"));
        }
        self.client.fetch(item_path("members/by-email", "email", email, "")).await
    }
}
