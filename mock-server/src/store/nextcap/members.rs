//! The CRM team directory's member object (shared/api/README.md, "CRM Team Directory"): a
//! seat as the directory shows it. The directory fields the seat rows do not keep (display
//! name, role presentation, activity) are derived from the seat, so a member always agrees
//! with the seat behind the key; password hashes and OTP flags do not exist here at all.

use chrono::{DateTime, Duration, Utc};
use serde::Serialize;
use uuid::Uuid;

use super::Seat;
use crate::time_fmt;

/// The roles that come with every organisation (as opposed to custom ones).
const SYSTEM_ROLES: [&str; 3] = ["owner", "admin", "agent"];

/// A team member, in the documented field order.
#[derive(Clone, Debug, Serialize)]
pub struct Member {
    /// User id (the seat id).
    pub id: Uuid,
    /// Email; null for an API-only seat without one.
    pub email: Option<String>,
    /// Full name.
    pub name: String,
    /// Name shown to visitors in chat (the first name).
    pub chat_display_name: Option<String>,
    /// Phone.
    pub phone: Option<String>,
    /// Avatar URL.
    pub avatar_url: Option<String>,
    /// Role slug.
    pub role: String,
    /// Role id.
    pub role_id: Option<Uuid>,
    /// Role display name.
    pub role_name: Option<String>,
    /// Role slug again (the directory has both).
    pub role_slug: Option<String>,
    /// Role colour.
    pub role_color: Option<String>,
    /// Whether the role is built in.
    pub role_is_system: bool,
    /// `user` or `api_only`.
    pub seat_type: &'static str,
    /// Whether the email was verified.
    pub email_verified: bool,
    /// `online`, `away`, `busy` or `offline`.
    pub availability_status: &'static str,
    /// What the member is doing.
    pub current_activity: Option<String>,
    /// ISO 639-1 codes.
    pub spoken_languages: Vec<String>,
    /// Last activity.
    #[serde(serialize_with = "time_fmt::millis_opt")]
    pub last_active_at: Option<DateTime<Utc>>,
    /// Last dashboard login.
    #[serde(serialize_with = "time_fmt::millis_opt")]
    pub last_login_at: Option<DateTime<Utc>>,
    /// Set when the seat was deactivated.
    #[serde(serialize_with = "time_fmt::millis_opt")]
    pub disabled_at: Option<DateTime<Utc>>,
    /// Creation time.
    #[serde(serialize_with = "time_fmt::millis")]
    pub created_at: DateTime<Utc>,
    /// Last update.
    #[serde(serialize_with = "time_fmt::millis")]
    pub updated_at: DateTime<Utc>,
}

/// A stable id derived from a name, so a role has the same id in every response.
fn role_id(org: Uuid, role: &str) -> Uuid {
    // FNV-1a over the organisation and the slug, shaped as a v4 UUID.
    let mut hash: u128 = 0x6c62_272e_07bb_0142_62b8_2175_6295_c58d;
    for byte in org.as_bytes().iter().chain(role.as_bytes()) {
        hash ^= u128::from(*byte);
        hash = hash.wrapping_mul(0x0000_0000_0100_0000_0000_0000_0000_013b);
    }
    uuid::Builder::from_random_bytes(hash.to_le_bytes()).into_uuid()
}

impl Member {
    /// The directory's view of `seat`. Times count from the fixtures' reference instant, so
    /// the same seed answers the same member.
    pub fn of(seat: &Seat) -> Member {
        let epoch = crate::store::fixtures::words::reference_time();
        let created_at = epoch - Duration::days(300);
        let last_active = epoch - Duration::hours(2);
        let role_name = seat.role.split('_').map(capitalise).collect::<Vec<_>>().join(" ");
        Member {
            id: seat.id,
            email: Some(seat.email.clone()),
            name: seat.name.clone(),
            chat_display_name: seat.name.split_whitespace().next().map(str::to_owned),
            phone: None,
            avatar_url: None,
            role: seat.role.clone(),
            role_id: Some(role_id(seat.org_id, &seat.role)),
            role_name: Some(role_name),
            role_slug: Some(seat.role.clone()),
            role_color: Some(if seat.role == "owner" { "#7c3aed" } else { "#2563eb" }.to_owned()),
            role_is_system: SYSTEM_ROLES.contains(&seat.role.as_str()),
            seat_type: "user",
            email_verified: seat.active,
            availability_status: if seat.active { "online" } else { "offline" },
            current_activity: None,
            spoken_languages: vec!["en".to_owned()],
            last_active_at: Some(last_active),
            last_login_at: Some(last_active),
            disabled_at: (!seat.active).then(|| epoch - Duration::days(10)),
            created_at,
            updated_at: if seat.active { last_active } else { epoch - Duration::days(10) },
        }
    }

    /// Whether `needle` (lower case) occurs in the name, display name or email.
    pub fn matches(seat: &Seat, needle: &str) -> bool {
        seat.name.to_lowercase().contains(needle) || seat.email.to_lowercase().contains(needle)
    }
}

fn capitalise(word: &str) -> String {
    let mut chars = word.chars();
    chars.next().map(|c| c.to_uppercase().chain(chars).collect()).unwrap_or_default()
}
