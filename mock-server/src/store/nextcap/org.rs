//! The tenant side of Next Cap: organisations, their widgets, departments and seats.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use serde::Serialize;
use serde_json::Value;
use uuid::Uuid;

use super::{NextCapStore, Row};
use crate::{keys::Plan, time_fmt};

/// A customer organisation (tenant).
#[derive(Clone, Debug, Serialize)]
pub struct Organisation {
    /// Organisation id.
    pub id: Uuid,
    /// Display name ("Acme", "Globex").
    pub name: String,
    /// URL-safe name.
    pub slug: String,
    /// What the organisation pays for, which decides what its keys may call.
    #[serde(skip)]
    pub plan: Plan,
}

/// A widget, which Next Cap calls an "agent" (`agent_id` filters).
#[derive(Clone, Debug, Serialize)]
pub struct Widget {
    /// Widget id.
    pub id: Uuid,
    /// Owning organisation.
    #[serde(skip)]
    pub org_id: Uuid,
    /// Operational name shown in the dashboard (tickets' `agent_name`).
    pub name: String,
}

/// A department, as `GET /external/departments` documents it.
#[derive(Clone, Debug, Serialize)]
pub struct Department {
    /// Department id.
    pub id: Uuid,
    /// Owning organisation.
    #[serde(skip)]
    pub org_id: Uuid,
    /// Default name.
    pub name: String,
    /// Default description.
    pub description: Option<String>,
    /// Name by ISO 639-1 locale.
    pub name_translations: BTreeMap<String, String>,
    /// Description by locale.
    pub description_translations: BTreeMap<String, String>,
    /// Accepted languages; empty means all.
    pub supported_languages: Vec<String>,
    /// URL-safe name.
    pub slug: String,
    /// Parent department.
    pub parent_id: Option<Uuid>,
    /// Whether new tickets land here by default.
    pub is_default: bool,
    /// Hex colour.
    pub color: String,
    /// Free-form settings (`autoAssign`, `businessHoursOnly`).
    pub settings: Value,
    /// Creation time.
    #[serde(serialize_with = "time_fmt::millis")]
    pub created_at: DateTime<Utc>,
    /// False for a department switched off in the dashboard: the list leaves it out (it
    /// documents "active departments"), but it can still be fetched by id, because old
    /// tickets keep pointing at it. Not a documented field, so not serialized.
    #[serde(skip)]
    pub is_active: bool,
}

impl Row for Department {
    fn id(&self) -> Uuid {
        self.id
    }
    fn created_at(&self) -> DateTime<Utc> {
        self.created_at
    }
}

/// A seat (team member); its id is the user id used as `assigned_agent_id`.
#[derive(Clone, Debug, Serialize)]
pub struct Seat {
    /// User id.
    pub id: Uuid,
    /// Owning organisation.
    #[serde(skip)]
    pub org_id: Uuid,
    /// Full name.
    pub name: String,
    /// Email.
    pub email: String,
    /// Role slug (`owner`, `live_chat_agent`, ...).
    pub role: String,
    /// Permissions the role grants.
    pub permissions: Vec<String>,
    /// Widgets the seat may see.
    pub widget_ids: Vec<Uuid>,
    /// False once deactivated (its CRM key stops working).
    pub active: bool,
}

impl NextCapStore {
    /// One department of an organisation, active or not.
    pub fn department(&self, org_id: Uuid, id: Uuid) -> Option<&Department> {
        self.departments.iter().find(|d| d.id == id && d.org_id == org_id)
    }
}
