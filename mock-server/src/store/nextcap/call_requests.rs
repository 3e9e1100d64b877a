//! Call-back requests: the row, the list filters, and the one write the Data API allows
//! (`PATCH`: status, assignment, notes), applied here so its rules live next to the data.

use chrono::{DateTime, Utc};
use serde::Serialize;
use serde_json::Value;
use uuid::Uuid;

use super::{NextCapStore, Row};
use crate::time_fmt;

/// A call-back request, the documented fields.
#[derive(Clone, Debug, Serialize)]
pub struct CallRequest {
    /// Id.
    pub id: Uuid,
    /// Organisation (this one is exposed).
    pub org_id: Uuid,
    /// Widget id.
    pub agent_id: Uuid,
    /// Conversation id.
    pub conversation_id: Option<Uuid>,
    /// Visitor id.
    pub visitor_id: Option<Uuid>,
    /// Lead id.
    pub lead_id: Option<Uuid>,
    /// Name.
    pub name: String,
    /// Email.
    pub email: Option<String>,
    /// Phone.
    pub phone: String,
    /// Notes from the team.
    pub notes: Option<String>,
    /// Legacy free-text time.
    pub preferred_time: Option<String>,
    /// Subject.
    pub subject: Option<String>,
    /// `YYYY-MM-DD`.
    pub preferred_date: Option<String>,
    /// `HH:MM-HH:MM`.
    pub preferred_time_window: Option<String>,
    /// IANA zone.
    pub timezone: Option<String>,
    /// One of [`super::CALL_STATUSES`].
    pub status: String,
    /// Seat handling it.
    pub assigned_user_id: Option<Uuid>,
    /// `visitor` or `agent`.
    pub triggered_by: String,
    /// One of [`super::CALL_CHANNELS`].
    pub channel: String,
    /// Visitor language.
    pub visitor_language: Option<String>,
    /// Page URL.
    pub source_url: Option<String>,
    /// Page host.
    pub source_domain: Option<String>,
    /// Extra form answers; null when none.
    pub custom_fields: Option<Value>,
    /// Creation time.
    #[serde(serialize_with = "time_fmt::millis")]
    pub created_at: DateTime<Utc>,
    /// Last update.
    #[serde(serialize_with = "time_fmt::millis")]
    pub updated_at: DateTime<Utc>,
    /// Completion time.
    #[serde(serialize_with = "time_fmt::millis_opt")]
    pub completed_at: Option<DateTime<Utc>>,
}

impl Row for CallRequest {
    fn id(&self) -> Uuid {
        self.id
    }
    fn created_at(&self) -> DateTime<Utc> {
        self.created_at
    }
}

/// Filters of `GET /external/call-requests` besides the shared date window.
#[derive(Clone, Debug, Default)]
pub struct CallRequestFilter {
    /// Only this status.
    pub status: Option<&'static str>,
    /// Only this channel.
    pub channel: Option<&'static str>,
}

impl CallRequestFilter {
    /// Whether `c` passes every filter that is set.
    pub fn accepts(&self, c: &CallRequest) -> bool {
        self.status.is_none_or(|s| c.status == s) && self.channel.is_none_or(|ch| c.channel == ch)
    }
}

/// A validated `PATCH` body: `None` leaves a field alone, `Some(None)` clears it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CallRequestPatch {
    /// New status (already checked against [`super::CALL_STATUSES`]).
    pub status: Option<&'static str>,
    /// New assignee (already checked to be an active seat of the organisation), or unassign.
    pub assigned_user_id: Option<Option<Uuid>>,
    /// New notes, or clear them.
    pub notes: Option<Option<String>>,
}

/// What a `PATCH` did.
#[derive(Clone, Debug)]
pub struct CallRequestUpdate {
    /// The row after the change.
    pub call_request: CallRequest,
    /// The fields whose value changed (`completed_at` and `updated_at` included when they
    /// moved), in the order the webhook payload lists them.
    pub changed_fields: Vec<&'static str>,
    /// Whether this change moved the row into `completed`.
    pub completed: bool,
}

impl NextCapStore {
    /// One call request of an organisation.
    pub fn call_request(&self, org_id: Uuid, id: Uuid) -> Option<&CallRequest> {
        self.call_requests.iter().find(|c| c.id == id && c.org_id == org_id)
    }

    /// Applies `patch` at `now`; `None` when the organisation has no such call request.
    ///
    /// Only values that actually change count: sending the current status again changes
    /// nothing, bumps nothing and (in the handler) fires nothing. Entering `completed` stamps
    /// `completed_at`; leaving it clears the stamp, so `completed_at` is set exactly when the
    /// row is completed.
    pub fn update_call_request(
        &mut self,
        org_id: Uuid,
        id: Uuid,
        patch: CallRequestPatch,
        now: DateTime<Utc>,
    ) -> Option<CallRequestUpdate> {
        let row = self.call_requests.iter_mut().find(|c| c.id == id && c.org_id == org_id)?;
        let mut changed = Vec::new();
        let mut completed = false;
        if let Some(status) = patch.status.filter(|s| row.status != *s) {
            completed = status == "completed";
            let was_completed = row.status == "completed";
            row.status = status.to_owned();
            changed.push("status");
            if completed || was_completed {
                row.completed_at = completed.then_some(now);
                changed.push("completed_at");
            }
        }
        if let Some(assignee) = patch.assigned_user_id.filter(|a| row.assigned_user_id != *a) {
            row.assigned_user_id = assignee;
            changed.push("assigned_user_id");
        }
        if let Some(notes) = patch.notes.filter(|n| row.notes != *n) {
            row.notes = notes;
            changed.push("notes");
        }
        if !changed.is_empty() {
            row.updated_at = now;
            changed.push("updated_at");
        }
        Some(CallRequestUpdate { call_request: row.clone(), changed_fields: changed, completed })
    }
}
