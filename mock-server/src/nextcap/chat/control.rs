//! Live chat's control operations, mounted at `/__mock/chat` and mirrored by
//! [`crate::MockServer::chat_sockets`] / [`crate::MockServer::disconnect_chat`]:
//!
//! | method | path | does |
//! |---|---|---|
//! | GET | `/__mock/chat/sockets` | the connected sockets: `[{id, orgId, seatId, seatName, rooms}]` |
//! | POST | `/__mock/chat/disconnect` | `{"seat"?}` (id, name or email): drops that seat's sockets, or all; `{"disconnected": n}`; 404 `{"error", "field": "seat"}` for a seat that does not exist |
//!
//! Dropping sockets from the server side is how tests exercise a client's reconnects.

use axum::{
    Json, Router,
    body::Bytes,
    extract::State,
    http::{HeaderMap, StatusCode, header},
    response::{IntoResponse, Response},
    routing::{get, post},
};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::{NAMESPACE, hub, session};
use crate::{action::ActionError, state::AppState};

/// One connected socket, as the control API lists it.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct ChatSocket {
    /// The Socket.IO socket id.
    pub id: String,
    /// The seat's organisation.
    pub org_id: Uuid,
    /// The seat.
    pub seat_id: Uuid,
    /// The seat's name.
    pub seat_name: String,
    /// The rooms (conversation ids) it joined, sorted.
    pub rooms: Vec<String>,
}

/// `POST /__mock/chat/disconnect`'s body.
#[derive(Clone, Debug, Default, Deserialize, Serialize, PartialEq, Eq)]
#[serde(default, deny_unknown_fields)]
pub struct Disconnect {
    /// The seat (id, name or email); every socket when absent.
    pub seat: Option<String>,
}

/// The connected sockets of `state`'s namespace, in no particular order.
pub fn sockets(state: &AppState) -> Vec<ChatSocket> {
    let Some(ns) = hub(state).io().of(NAMESPACE) else { return Vec::new() };
    let inner = state.lock();
    ns.sockets()
        .into_iter()
        .filter_map(|socket| {
            let s = session(&socket)?;
            let seat_name = inner.store().nextcap().seat(s.seat_id).map(|seat| seat.name.clone()).unwrap_or_default();
            let mut rooms: Vec<String> = socket.rooms().into_iter().map(|r| r.to_string()).collect();
            rooms.sort_unstable();
            Some(ChatSocket { id: socket.id.to_string(), org_id: s.org_id, seat_id: s.seat_id, seat_name, rooms })
        })
        .collect()
}

/// Drops the sockets of `seat` (id, name or email), or every socket for `None`; returns how
/// many were dropped (0 when the seat exists but has none connected).
///
/// # Errors
/// 404 naming `seat` when no seat of any organisation has that id, name or email.
pub fn disconnect(state: &AppState, seat: Option<&str>) -> Result<usize, ActionError> {
    let wanted: Option<Vec<Uuid>> = match seat {
        None => None,
        Some(wanted) => {
            let inner = state.lock();
            let matching: Vec<Uuid> = inner
                .store()
                .nextcap()
                .seats()
                .iter()
                .filter(|r| r.id.to_string() == wanted || r.name == wanted || r.email == wanted)
                .map(|r| r.id)
                .collect();
            if matching.is_empty() {
                return Err(ActionError::new(404, "seat", format!("no seat has the id, name or email {wanted:?}")));
            }
            Some(matching)
        }
    };
    let Some(ns) = hub(state).io().of(NAMESPACE) else { return Ok(0) };
    let mut dropped = 0;
    for socket in ns.sockets() {
        let targeted = session(&socket).is_some_and(|s| wanted.as_ref().is_none_or(|w| w.contains(&s.seat_id)));
        if targeted && socket.disconnect().is_ok() {
            dropped += 1;
        }
    }
    Ok(dropped)
}

/// The control routes (mounted at `/__mock/chat`).
pub fn router() -> Router<AppState> {
    Router::new().route("/sockets", get(list)).route("/disconnect", post(drop_sockets))
}

async fn list(State(state): State<AppState>) -> Json<Vec<ChatSocket>> {
    Json(sockets(&state))
}

/// No body drops every socket. A body is read as JSON whatever its `Content-Type` (curl's `-d`
/// sends a form type), so a seat named in it is never ignored; a body that is not `{"seat"?}`
/// (or an empty one declared as JSON) is a 400 `{"error"}` like the rest of the control API's.
async fn drop_sockets(State(state): State<AppState>, headers: HeaderMap, body: Bytes) -> Response {
    let declared_json = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.trim_start().to_ascii_lowercase().starts_with("application/json"));
    let seat = if body.iter().all(u8::is_ascii_whitespace) && !declared_json {
        None
    } else {
        match crate::body::parse::<Disconnect>(&body) {
            Ok(d) => d.seat,
            Err(e) => {
                let message = format!("invalid body: {}: {}", e.field, e.message);
                return (StatusCode::BAD_REQUEST, Json(serde_json::json!({ "error": message }))).into_response();
            }
        }
    };
    match disconnect(&state, seat.as_deref()) {
        Ok(n) => Json(serde_json::json!({ "disconnected": n })).into_response(),
        Err(e) => e.into_response(),
    }
}
