//! What an organisation's owner does in the dashboard, as control actions: change the plan,
//! deactivate and reactivate seats, make and revoke CRM keys, create API-only seats, change a
//! seat's role or widgets. Each takes effect on the next request. `org` names the organisation
//! by id, slug or name; `seat` names a seat by id, name or email.

use serde::{Deserialize, Serialize};
use serde_json::json;
use uuid::Uuid;

use super::{ActionError, locked};
use crate::{
    events::{ChatEventName, Event},
    keys::{Grant, Plan},
    state::AppState,
    store::tenancy::{NewSeat, Refused, SeatInfo, SeatWithKey},
};

impl From<Refused> for ActionError {
    fn from(r: Refused) -> ActionError {
        ActionError::invalid(r.field, r.message)
    }
}

/// `set-plan`: moves an organisation to `free`, `pro` or `enterprise`.
#[derive(Clone, Debug, Default, Deserialize, Serialize, PartialEq, Eq)]
#[serde(default, deny_unknown_fields)]
pub struct SetPlan {
    /// Organisation (required).
    pub org: String,
    /// `free`, `pro` or `enterprise` (required).
    pub plan: String,
}

/// What `set-plan` answers.
#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
pub struct PlanChanged {
    /// The organisation's name.
    pub org: String,
    /// Its plan now.
    pub plan: Plan,
}

/// `deactivate-seat` / `reactivate-seat`: one seat of an organisation.
#[derive(Clone, Debug, Default, Deserialize, Serialize, PartialEq, Eq)]
#[serde(default, deny_unknown_fields)]
pub struct SeatRef {
    /// Organisation (required).
    pub org: String,
    /// Seat id, name or email (required).
    pub seat: String,
}

/// `create-crm-key`: a new key for a seat.
#[derive(Clone, Debug, Default, Deserialize, Serialize, PartialEq, Eq)]
#[serde(default, deny_unknown_fields)]
pub struct NewCrmKey {
    /// Organisation (required).
    pub org: String,
    /// Seat id, name or email (required).
    pub seat: String,
    /// The key's name, as shown in the dashboard (required, at most 100 characters).
    pub name: String,
}

/// `revoke-crm-key`.
#[derive(Clone, Debug, Default, Deserialize, Serialize, PartialEq, Eq)]
#[serde(default, deny_unknown_fields)]
pub struct RevokeCrmKey {
    /// The raw key (`nextcap_ck_...`, required).
    pub key: String,
}

/// `create-api-only-seat`: a seat with a role, widgets and a key, in one step.
#[derive(Clone, Debug, Default, Deserialize, Serialize, PartialEq, Eq)]
#[serde(default, deny_unknown_fields)]
pub struct NewApiOnlySeat {
    /// Organisation (required).
    pub org: String,
    /// Seat name (required).
    pub name: String,
    /// Role: `owner`, `admin`, `live_chat_agent`, `ticketing_agent`, `agent`, `viewer` or
    /// `live_chat_viewer`.
    pub role: String,
    /// Widgets of the organisation it may see (at least one).
    pub widget_ids: Vec<Uuid>,
    /// Optional email, unique in the organisation.
    pub email: Option<String>,
}

/// `update-seat`: a new role and/or widgets for a seat.
#[derive(Clone, Debug, Default, Deserialize, Serialize, PartialEq, Eq)]
#[serde(default, deny_unknown_fields)]
pub struct SeatUpdate {
    /// Organisation (required).
    pub org: String,
    /// Seat id, name or email (required).
    pub seat: String,
    /// New role.
    pub role: Option<String>,
    /// New widgets.
    pub widget_ids: Option<Vec<Uuid>>,
}

fn required(field: &str, value: &str) -> Result<(), ActionError> {
    if value.trim().is_empty() { Err(ActionError::invalid(field, "is required")) } else { Ok(()) }
}

/// See [`super::NextCapActions::set_plan`].
pub fn set_plan(state: &AppState, input: SetPlan) -> Result<PlanChanged, ActionError> {
    required("org", &input.org)?;
    let plan =
        Plan::parse(&input.plan).ok_or_else(|| ActionError::invalid("plan", "must be free, pro or enterprise"))?;
    locked(state, |inner| {
        let (org, plan) = inner.store_mut().set_plan(&input.org, plan)?;
        Ok((PlanChanged { org, plan }, Vec::new()))
    })
}

/// See [`super::NextCapActions::deactivate_seat`] and `reactivate_seat`.
pub fn set_seat_active(state: &AppState, input: SeatRef, active: bool) -> Result<SeatInfo, ActionError> {
    required("org", &input.org)?;
    required("seat", &input.seat)?;
    locked(state, |inner| {
        let seat = inner.store_mut().set_seat_active(&input.org, &input.seat, active)?;
        // A deactivated seat's live-chat sockets are dropped at once, like its REST key.
        let events = match (active, inner.store().nextcap().seat(seat.id)) {
            (false, Some(row)) => {
                vec![Event::chat(row.org_id, ChatEventName::AccessRevoked, json!({ "seatId": seat.id }))]
            }
            _ => Vec::new(),
        };
        Ok((seat, events))
    })
}

/// `deactivate-seat`.
pub fn deactivate_seat(state: &AppState, input: SeatRef) -> Result<SeatInfo, ActionError> {
    set_seat_active(state, input, false)
}

/// `reactivate-seat`.
pub fn reactivate_seat(state: &AppState, input: SeatRef) -> Result<SeatInfo, ActionError> {
    set_seat_active(state, input, true)
}

/// See [`super::NextCapActions::create_crm_key`].
pub fn create_crm_key(state: &AppState, input: NewCrmKey) -> Result<SeatWithKey, ActionError> {
    required("org", &input.org)?;
    required("seat", &input.seat)?;
    locked(state, |inner| Ok((inner.store_mut().create_crm_key(&input.org, &input.seat, &input.name)?, Vec::new())))
}

/// See [`super::NextCapActions::revoke_crm_key`].
pub fn revoke_crm_key(state: &AppState, input: RevokeCrmKey) -> Result<serde_json::Value, ActionError> {
    required("key", &input.key)?;
    locked(state, |inner| {
        let org = inner.store().keys().get(&input.key).and_then(|r| match r.grant {
            Grant::NextCapCrm { org_id, .. } => Some(org_id),
            _ => None,
        });
        inner.store_mut().revoke_crm_key(&input.key)?;
        // Sockets opened with the key close with it.
        let events = org
            .map(|org| vec![Event::chat(org, ChatEventName::AccessRevoked, json!({ "apiKey": input.key }))])
            .unwrap_or_default();
        Ok((json!({ "revoked": true }), events))
    })
}

/// See [`super::NextCapActions::create_api_only_seat`].
pub fn create_api_only_seat(state: &AppState, input: NewApiOnlySeat) -> Result<SeatWithKey, ActionError> {
    required("org", &input.org)?;
    required("name", &input.name)?;
    required("role", &input.role)?;
    let new = NewSeat { name: input.name, role: input.role, widget_ids: input.widget_ids, email: input.email };
    locked(state, |inner| Ok((inner.store_mut().create_api_only_seat(&input.org, new)?, Vec::new())))
}

/// See [`super::NextCapActions::update_seat`].
pub fn update_seat(state: &AppState, input: SeatUpdate) -> Result<SeatInfo, ActionError> {
    required("org", &input.org)?;
    required("seat", &input.seat)?;
    locked(state, |inner| {
        let seat = inner.store_mut().update_seat(&input.org, &input.seat, input.role.as_deref(), input.widget_ids)?;
        Ok((seat, Vec::new()))
    })
}
