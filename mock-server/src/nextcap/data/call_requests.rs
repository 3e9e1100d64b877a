//! `GET /external/call-requests`, `/call-requests/{id}` and `PATCH /call-requests/{id}`.
//!
//! Filters: `status`, `channel` (enums). The `PATCH` body takes `status` (enum), an
//! `assigned_user_id` (an active team member of the same organisation, or `null` to
//! unassign) and `notes` (a string of at most [`MAX_NOTES`] characters, or `null`). Unknown
//! fields, an empty body and `{}` are 400: a CRM that misspells a field should hear about it
//! rather than get a silent no-op. The store applies the change ([`crate::store::nextcap`]);
//! a real change fires `call_request.updated`, and moving to `completed` also fires
//! `call_request.completed`.

use axum::response::IntoResponse;
use serde::Deserialize;
use serde_json::json;
use uuid::Uuid;

use crate::{
    body,
    encode::JsonBody,
    events::{Event, EventName},
    nextcap::{
        Item, Reply,
        error::NcError,
        extract::{self, DataOrg, ListFilter, ListQuery, PathId, not_found},
        found,
    },
    query::{FieldError, Problem, QueryParams, Validator},
    store::nextcap::{CALL_CHANNELS, CALL_STATUSES, CallRequest, CallRequestFilter, CallRequestPatch},
};

/// The longest `notes` accepted, in characters.
pub const MAX_NOTES: usize = 5000;

const NOUN: &str = "Call request";

impl ListFilter for CallRequestFilter {
    fn parse(q: &QueryParams<'_>, v: &mut Validator) -> CallRequestFilter {
        CallRequestFilter {
            status: v.check(q.one_of("status", &CALL_STATUSES)).flatten(),
            channel: v.check(q.one_of("channel", &CALL_CHANNELS)).flatten(),
        }
    }
}

/// `GET /external/call-requests`.
pub async fn list(org: DataOrg, ListQuery { args, filter, target }: ListQuery<CallRequestFilter>) -> Reply {
    org.read_cached("listCallRequests", &target, |v| {
        let rows = v.call_requests().filter(|c| filter.accepts(c));
        Ok(JsonBody(args.page_of(rows, |row| row)).encode())
    })
}

/// `GET /external/call-requests/{id}`.
pub async fn get(org: DataOrg, id: PathId<CallRequest>) -> Reply {
    org.read(|v| found(v.call_request(id.id()), NOUN))
}

/// The `PATCH` body as sent: `None` absent, `Some(None)` null.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct PatchBody {
    #[serde(default, deserialize_with = "body::present")]
    status: Option<Option<String>>,
    #[serde(default, deserialize_with = "body::present")]
    assigned_user_id: Option<Option<String>>,
    #[serde(default, deserialize_with = "body::present")]
    notes: Option<Option<String>>,
}

/// Checks every field on its own (the seat check needs the store and comes later).
fn validate(body: PatchBody) -> Result<CallRequestPatch, Vec<FieldError>> {
    let other = |field: &str, text: &str| FieldError::new(field, Problem::Other(text.to_owned()));
    let mut v = Validator::default();
    if body.status.is_none() && body.assigned_user_id.is_none() && body.notes.is_none() {
        v.push(other("body", "give at least one of status, assigned_user_id, notes"));
    }
    let status = match body.status {
        None => None,
        Some(s) => {
            let known = s.as_deref().and_then(|s| CALL_STATUSES.iter().find(|k| **k == s).copied());
            v.check(known.map(Some).ok_or_else(|| FieldError::new("status", Problem::NotOneOf(CALL_STATUSES.to_vec()))))
                .flatten()
        }
    };
    let assigned_user_id = match body.assigned_user_id {
        None => None,
        Some(None) => Some(None),
        Some(Some(raw)) => v
            .check(Uuid::parse_str(raw.trim()).map_err(|_| FieldError::new("assigned_user_id", Problem::NotUuid)))
            .map(Some),
    };
    if let Some(Some(notes)) = &body.notes
        && notes.chars().count() > MAX_NOTES
    {
        v.push(other("notes", &format!("must be at most {MAX_NOTES} characters")));
    }
    v.finish()?;
    Ok(CallRequestPatch { status, assigned_user_id, notes: body.notes })
}

/// `PATCH /external/call-requests/{id}`: an unknown id is 404 before the body is looked at;
/// an assignee must be an active seat of the organisation. Fires `call_request.updated` when
/// something changed and `call_request.completed` when the status became `completed`.
pub async fn update(org: DataOrg, id: PathId<CallRequest>, body: extract::JsonBody) -> Reply {
    let id = id.id();
    org.read(|v| v.call_request(id).map(|_| ()).ok_or_else(|| not_found(NOUN)))?;
    let patch = validate(body.parse()?)?;
    let update = org.write(|v| {
        if let Some(Some(user)) = patch.assigned_user_id
            && v.read().active_seat(user).is_none()
        {
            let why = "must be the id of an active team member of this organisation";
            return Err(NcError::invalid("assigned_user_id", why));
        }
        let update = v.update_call_request(id, patch, org.now()).ok_or_else(|| not_found(NOUN))?;
        let org = v.read().org_id();
        let mut events = Vec::new();
        if !update.changed_fields.is_empty() {
            let data = json!({ "call_request": update.call_request, "changed_fields": update.changed_fields });
            events.push(Event::new(org, EventName::CallRequestUpdated, data));
        }
        if update.completed {
            events.push(Event::new(
                org,
                EventName::CallRequestCompleted,
                json!({ "call_request": update.call_request }),
            ));
        }
        Ok((update, events))
    })?;
    Ok(JsonBody(Item { data: update.call_request }).into_response())
}
