//! `GET /external/call-requests`, `/call-requests/{id}` and `PATCH /call-requests/{id}`.
//!
//! Filters: `status`, `channel` (enums). The `PATCH` body takes `status` (enum), an
//! `assigned_user_id` (an active team member of the same organisation, or `null` to
//! unassign) and `notes` (a string of at most [`MAX_NOTES`] characters, or `null`). Unknown
//! fields, an empty body and `{}` are 400: a CRM that misspells a field should hear about it
//! rather than get a silent no-op. The store applies the change ([`crate::store::nextcap`]);
//! a real change fires `call_request.updated`, and moving to `completed` also fires
//! `call_request.completed`.

use crate::encode::Json;
use axum::response::IntoResponse;
use axum::{
    Extension,
    body::Bytes,
    extract::{RawQuery, State, rejection::BytesRejection},
};
use serde::Deserialize;
use serde_json::json;
use uuid::Uuid;

use super::{
    Listed, PathId, Reply, Single, found,
    list::{list_query, not_found, org_of, path_id},
};
use crate::{
    auth::Principal,
    body,
    query::{FieldError, Problem, Validator},
    state::AppState,
    store::nextcap::{CALL_CHANNELS, CALL_STATUSES, CallRequest, CallRequestFilter, CallRequestPatch},
    webhooks::Event,
};

/// The longest `notes` accepted, in characters.
pub const MAX_NOTES: usize = 5000;

const NOUN: &str = "Call request";

/// `GET /external/call-requests`.
pub async fn list(
    State(state): State<AppState>,
    Extension(principal): Extension<Principal>,
    RawQuery(raw): RawQuery,
) -> Listed {
    let org = org_of(&principal)?;
    let (args, filter) = list_query(raw.as_deref(), |q, v| CallRequestFilter {
        status: v.check(q.one_of("status", &CALL_STATUSES)).flatten(),
        channel: v.check(q.one_of("channel", &CALL_CHANNELS)).flatten(),
    })?;
    let inner = state.lock();
    let rows = inner.store.nextcap.call_requests.iter().filter(|c| c.org_id == org && filter.accepts(c));
    Ok(Json(args.page_of(rows, |row| row)).into_response())
}

/// `GET /external/call-requests/{id}`.
pub async fn get(
    State(state): State<AppState>,
    Extension(principal): Extension<Principal>,
    id: PathId,
) -> Reply<Single<CallRequest>> {
    let (org, id) = (org_of(&principal)?, path_id(id, NOUN)?);
    found(state.lock().store.nextcap.call_request(org, id).cloned(), NOUN)
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
    if let Some(Some(notes)) = &body.notes {
        if notes.chars().count() > MAX_NOTES {
            v.push(other("notes", &format!("must be at most {MAX_NOTES} characters")));
        }
    }
    v.finish()?;
    Ok(CallRequestPatch { status, assigned_user_id, notes: body.notes })
}

/// `PATCH /external/call-requests/{id}`.
pub async fn update(
    State(state): State<AppState>,
    Extension(principal): Extension<Principal>,
    id: PathId,
    bytes: Result<Bytes, BytesRejection>,
) -> Reply<Single<CallRequest>> {
    let (org, id) = (org_of(&principal)?, path_id(id, NOUN)?);
    state.lock().store.nextcap.call_request(org, id).ok_or_else(|| not_found(NOUN))?;
    let bytes = bytes.map_err(|e| super::error::NcError::invalid("body", e.body_text()))?;
    let patch = validate(body::parse(&bytes)?)?;
    let (update, events) = {
        let mut inner = state.lock();
        if let Some(Some(user)) = patch.assigned_user_id {
            if inner.store.nextcap.active_seat(org, user).is_none() {
                let why = "must be the id of an active team member of this organisation";
                return Err(super::error::NcError::invalid("assigned_user_id", why));
            }
        }
        let now = crate::time_fmt::now();
        let update =
            inner.store_mut().nextcap.update_call_request(org, id, patch, now).ok_or_else(|| not_found(NOUN))?;
        let mut events = Vec::new();
        if !update.changed_fields.is_empty() {
            let data = json!({ "call_request": update.call_request, "changed_fields": update.changed_fields });
            events.push(Event::new(org, "call_request.updated", data));
        }
        if update.completed {
            events.push(Event::new(org, "call_request.completed", json!({ "call_request": update.call_request })));
        }
        (update, events)
    };
    state.publish(events);
    Ok(Json(Single { data: update.call_request }))
}
