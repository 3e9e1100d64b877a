//! The bodies of the CRM ticket actions, checked field by field before the store sees them.
//!
//! `PATCH /tickets/{id}` sends only the fields to change: an empty object, an unknown field or
//! a value of the wrong type is a 400 naming the field (a CRM that misspells a field should
//! hear about it rather than get a silent no-op). `category`, `description`, `department_id`
//! and `assigned_agent_id` may be `null` to clear them; the others may not. `tags` and
//! `metadata` replace what the ticket had, `custom_fields` are merged key by key, and
//! `metadata` may be at most [`MAX_METADATA_BYTES`] serialized (the document: "Max 10KB").
//! Whether the status move, the department and the assignee are allowed is the store's check
//! ([`crate::store::nextcap::SeatViewMut::update_ticket`]).

use serde::Deserialize;
use serde_json::{Map, Value};
use uuid::Uuid;

use crate::{
    body,
    query::{FieldError, Problem, Validator},
    store::nextcap::{TICKET_PRIORITIES, TICKET_STATUSES, TicketChanges, TicketStatus},
};

/// The largest `metadata` accepted, in bytes of compact JSON (10 KB).
pub const MAX_METADATA_BYTES: usize = 10 * 1024;
/// The most `attachment_ids` a reply may name.
pub const MAX_REPLY_ATTACHMENTS: usize = 20;

/// `None` absent, `Some(None)` null, `Some(Some(v))` a value.
type Sent<T> = Option<Option<T>>;

/// The `PATCH` body as sent.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PatchBody {
    #[serde(default, deserialize_with = "body::present")]
    status: Sent<String>,
    #[serde(default, deserialize_with = "body::present")]
    priority: Sent<String>,
    #[serde(default, deserialize_with = "body::present")]
    category: Sent<String>,
    #[serde(default, deserialize_with = "body::present")]
    tags: Sent<Vec<String>>,
    #[serde(default, deserialize_with = "body::present")]
    department_id: Sent<String>,
    #[serde(default, deserialize_with = "body::present")]
    assigned_agent_id: Sent<String>,
    #[serde(default, deserialize_with = "body::present")]
    subject: Sent<String>,
    #[serde(default, deserialize_with = "body::present")]
    description: Sent<String>,
    #[serde(default, deserialize_with = "body::present")]
    custom_fields: Sent<Map<String, Value>>,
    #[serde(default, deserialize_with = "body::present")]
    metadata: Sent<Map<String, Value>>,
}

fn other(field: &str, text: &str) -> FieldError {
    FieldError::new(field, Problem::Other(text.to_owned()))
}

/// A field that may not be null: its value, or a recorded 400.
fn required<T>(v: &mut Validator, field: &str, sent: Sent<T>) -> Option<T> {
    match sent {
        Some(None) => {
            v.push(other(field, "must not be null"));
            None
        }
        Some(Some(value)) => Some(value),
        None => None,
    }
}

/// One of `allowed`, or a recorded 400.
fn known(v: &mut Validator, field: &str, value: Option<String>, allowed: &[&'static str]) -> Option<&'static str> {
    let value = value?;
    let found = allowed.iter().find(|a| **a == value).copied();
    if found.is_none() {
        v.push(FieldError::new(field, Problem::NotOneOf(allowed.to_vec())));
    }
    found
}

/// A nullable UUID field.
fn nullable_uuid(v: &mut Validator, field: &str, sent: Sent<String>) -> Option<Option<Uuid>> {
    match sent? {
        None => Some(None),
        Some(raw) => {
            v.check(Uuid::parse_str(raw.trim()).map_err(|_| FieldError::new(field, Problem::NotUuid))).map(Some)
        }
    }
}

impl PatchBody {
    /// The changes, or every problem at once.
    pub fn validate(self) -> Result<TicketChanges, Vec<FieldError>> {
        let mut v = Validator::default();
        let empty = self.status.is_none()
            && self.priority.is_none()
            && self.category.is_none()
            && self.tags.is_none()
            && self.department_id.is_none()
            && self.assigned_agent_id.is_none()
            && self.subject.is_none()
            && self.description.is_none()
            && self.custom_fields.is_none()
            && self.metadata.is_none();
        if empty {
            v.push(other("body", "give at least one field to change"));
        }
        let status = required(&mut v, "status", self.status);
        let status = known(&mut v, "status", status, &TICKET_STATUSES).and_then(TicketStatus::parse);
        let priority = required(&mut v, "priority", self.priority);
        let priority = known(&mut v, "priority", priority, &TICKET_PRIORITIES);
        let subject = required(&mut v, "subject", self.subject);
        if subject.as_deref().is_some_and(|s| s.trim().is_empty()) {
            v.push(other("subject", "must not be empty"));
        }
        let tags = required(&mut v, "tags", self.tags);
        let custom_fields = required(&mut v, "custom_fields", self.custom_fields);
        let metadata = required(&mut v, "metadata", self.metadata).map(Value::Object);
        if let Some(size) = metadata.as_ref().map(|m| m.to_string().len())
            && size > MAX_METADATA_BYTES
        {
            v.push(other("metadata", &format!("must be at most {MAX_METADATA_BYTES} bytes as JSON (got {size})")));
        }
        let department_id = nullable_uuid(&mut v, "department_id", self.department_id);
        let assigned_agent_id = nullable_uuid(&mut v, "assigned_agent_id", self.assigned_agent_id);
        v.finish()?;
        Ok(TicketChanges {
            status,
            priority,
            category: self.category,
            tags,
            department_id,
            assigned_agent_id,
            subject,
            description: self.description,
            custom_fields,
            metadata,
        })
    }
}

/// `POST /tickets/{id}/reply`: `content` required and not blank, at most
/// [`MAX_REPLY_ATTACHMENTS`] distinct `attachment_ids`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReplyBody {
    content: String,
    #[serde(default)]
    attachment_ids: Vec<String>,
}

impl ReplyBody {
    /// The reply text and the attachment ids (duplicates dropped), or every problem at once.
    /// Whether the ids name linkable uploads is the store's check.
    pub fn validate(self) -> Result<(String, Vec<Uuid>), Vec<FieldError>> {
        let mut v = Validator::default();
        if self.content.trim().is_empty() {
            v.push(other("content", "must not be empty"));
        }
        if self.attachment_ids.len() > MAX_REPLY_ATTACHMENTS {
            v.push(other("attachment_ids", &format!("must name at most {MAX_REPLY_ATTACHMENTS} attachments")));
        } else if self.attachment_ids.iter().any(|id| Uuid::parse_str(id.trim()).is_err()) {
            v.push(FieldError::new("attachment_ids", Problem::NotUuid));
        }
        v.finish()?;
        let mut ids: Vec<Uuid> = Vec::new();
        for id in self.attachment_ids.iter().filter_map(|id| Uuid::parse_str(id.trim()).ok()) {
            if !ids.contains(&id) {
                ids.push(id);
            }
        }
        Ok((self.content, ids))
    }
}

/// `POST /tickets/{id}/transfer`: `department_id` required, `unassign` defaults to true.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TransferBody {
    department_id: String,
    #[serde(default = "yes")]
    unassign: bool,
}

fn yes() -> bool {
    true
}

impl TransferBody {
    /// The department and whether to unassign.
    pub fn validate(self) -> Result<(Uuid, bool), FieldError> {
        let department = Uuid::parse_str(self.department_id.trim())
            .map_err(|_| FieldError::new("department_id", Problem::NotUuid))?;
        Ok((department, self.unassign))
    }
}

/// `POST /tickets/{id}/notes`: `content` required and not blank, `is_internal` defaults to
/// true.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NoteBody {
    content: String,
    #[serde(default = "yes")]
    is_internal: bool,
}

impl NoteBody {
    /// The note's text and whether it is internal.
    pub fn validate(self) -> Result<(String, bool), FieldError> {
        if self.content.trim().is_empty() {
            return Err(other("content", "must not be empty"));
        }
        Ok((self.content, self.is_internal))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn patch(json: &str) -> Result<TicketChanges, Vec<String>> {
        let body: PatchBody = body::parse(json.as_bytes()).map_err(|e| vec![e.field])?;
        body.validate().map_err(|errors| errors.into_iter().map(|e| e.field).collect())
    }

    #[test]
    fn patch_bodies_name_every_bad_field() {
        assert_eq!(patch("{}").err(), Some(vec!["body".to_owned()]));
        assert_eq!(patch(r#"{"colour": "red"}"#).err(), Some(vec!["colour".to_owned()]));
        assert_eq!(patch(r#"{"tags": "vip"}"#).err(), Some(vec!["tags".to_owned()]));
        assert_eq!(
            patch(r#"{"status": "done", "priority": null, "department_id": "x"}"#).err(),
            Some(vec!["status".to_owned(), "priority".to_owned(), "department_id".to_owned()])
        );
        let big = format!(r#"{{"metadata": {{"blob": "{}"}}}}"#, "x".repeat(MAX_METADATA_BYTES));
        assert_eq!(patch(&big).err(), Some(vec!["metadata".to_owned()]));
        let ok = patch(r#"{"assigned_agent_id": null, "tags": [], "category": null}"#).unwrap_or_default();
        assert_eq!((ok.assigned_agent_id, ok.tags, ok.category), (Some(None), Some(vec![]), Some(None)));
    }
}
