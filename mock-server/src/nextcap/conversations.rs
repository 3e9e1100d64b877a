//! `GET /external/conversations`, `/conversations/{id}` and `/conversations/{id}/messages`.
//!
//! Filters: `status` (enum), `agent_id` (UUID), `visitor_id` (the widget's text id, exact),
//! `assigned_agent_id` (UUID). Conversations come newest first; messages oldest first (the
//! documented chronological order), without the model usage the store keeps for them.

use crate::encode::Json;
use axum::response::IntoResponse;
use axum::{
    Extension,
    extract::{RawQuery, State},
};

use super::{
    Listed, PathId, Reply, Single, found,
    list::{list_query, not_found, org_of, path_id},
};
use crate::{
    auth::Principal,
    state::AppState,
    store::nextcap::{CONVERSATION_STATUSES, Conversation, ConversationFilter, Message},
};

/// `GET /external/conversations`.
pub async fn list(
    State(state): State<AppState>,
    Extension(principal): Extension<Principal>,
    RawQuery(raw): RawQuery,
) -> Listed {
    let org = org_of(&principal)?;
    let (args, filter) = list_query(raw.as_deref(), |q, v| ConversationFilter {
        status: v.check(q.one_of("status", &CONVERSATION_STATUSES)).flatten(),
        agent_id: v.check(q.uuid("agent_id")).flatten(),
        visitor_id: q.get("visitor_id").map(str::to_owned),
        assigned_agent_id: v.check(q.uuid("assigned_agent_id")).flatten(),
    })?;
    let inner = state.lock();
    let rows = inner.store.nextcap.conversations.iter().filter(|c| c.org_id == org && filter.accepts(c));
    Ok(Json(args.page_of(rows, |row| row)).into_response())
}

/// `GET /external/conversations/{id}`.
pub async fn get(
    State(state): State<AppState>,
    Extension(principal): Extension<Principal>,
    id: PathId,
) -> Reply<Single<Conversation>> {
    let (org, id) = (org_of(&principal)?, path_id(id, "Conversation")?);
    found(state.lock().store.nextcap.conversation(org, id).cloned(), "Conversation")
}

/// `GET /external/conversations/{id}/messages`.
pub async fn messages(
    State(state): State<AppState>,
    Extension(principal): Extension<Principal>,
    id: PathId,
    RawQuery(raw): RawQuery,
) -> Listed {
    let (org, id) = (org_of(&principal)?, path_id(id, "Conversation")?);
    let (args, ()) = list_query(raw.as_deref(), |_, _| ())?;
    let inner = state.lock();
    let store = &inner.store.nextcap;
    store.conversation(org, id).ok_or_else(|| not_found("Conversation"))?;
    let mut rows: Vec<&Message> = store.messages.iter().filter(|m| m.conversation_id == id).collect();
    // Stable: messages stored in sending order keep it when their timestamps tie.
    rows.sort_by_key(|m| m.created_at);
    Ok(Json(args.page_of(rows.into_iter(), |row| row)).into_response())
}
