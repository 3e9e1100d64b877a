//! Leads: the row and the filters of `GET /external/leads`.

use chrono::{DateTime, Utc};
use serde::Serialize;
use serde_json::Value;
use uuid::Uuid;

use super::Row;
use crate::time_fmt;

/// A lead, exactly the documented fields.
#[derive(Clone, Debug, Serialize)]
pub struct Lead {
    /// Lead id.
    pub id: Uuid,
    /// Owning organisation.
    #[serde(skip)]
    pub org_id: Uuid,
    /// Email.
    pub email: Option<String>,
    /// Name.
    pub name: Option<String>,
    /// Phone.
    pub phone: Option<String>,
    /// Company.
    pub company: Option<String>,
    /// Extra pre-chat form answers (an object, possibly empty).
    pub custom_fields: Value,
    /// One of [`super::LEAD_SOURCES`].
    pub source: String,
    /// Widget id.
    pub agent_id: Uuid,
    /// Conversation the lead was captured in.
    pub conversation_id: Option<Uuid>,
    /// Visitor id.
    pub visitor_id: Option<Uuid>,
    /// Creation time.
    #[serde(serialize_with = "time_fmt::millis")]
    pub created_at: DateTime<Utc>,
    /// Last update.
    #[serde(serialize_with = "time_fmt::millis")]
    pub updated_at: DateTime<Utc>,
}

impl Row for Lead {
    fn id(&self) -> Uuid {
        self.id
    }
    fn created_at(&self) -> DateTime<Utc> {
        self.created_at
    }
}

/// Filters of `GET /external/leads` besides the shared date window.
#[derive(Clone, Debug, Default)]
pub struct LeadFilter {
    /// Only this source.
    pub source: Option<String>,
    /// Only this widget.
    pub agent_id: Option<Uuid>,
    /// Case-insensitive substring of the email, already lower-cased.
    pub email_lower: Option<String>,
}

impl LeadFilter {
    /// Whether `lead` passes every filter that is set.
    pub fn accepts(&self, lead: &Lead) -> bool {
        self.source.as_deref().is_none_or(|s| lead.source == s)
            && self.agent_id.is_none_or(|a| lead.agent_id == a)
            && self
                .email_lower
                .as_deref()
                .is_none_or(|needle| lead.email.as_deref().is_some_and(|e| e.to_lowercase().contains(needle)))
    }
}
