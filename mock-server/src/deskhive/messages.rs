//! A ticket's thread:
//! - `GET /external/tickets/{id}/messages`: oldest first, internal notes included,
//!   Laravel-paginated (default 30 per page);
//! - `POST /external/tickets/{id}/messages`: `content` (required string), `is_internal`
//!   (boolean, default false); 201 with the message; a locked ticket is 403;
//! - `POST /external/tickets/{id}/messages/{message_id}/like`: toggles the agent's like,
//!   `{"status": true, "data": {"liked", "count"}}`; a message of another ticket is 404.
//!
//! Ticket access (404, then 403 for another agent's ticket) comes first, then validation, then
//! the lock: Laravel binds and authorises before it validates, and the lock is the
//! controller's own check.

use axum::{
    body::Bytes,
    extract::rejection::BytesRejection,
    extract::{Path, RawQuery, rejection::PathRejection},
    http::StatusCode,
};
use serde::Serialize;

use super::{
    Agent, LaravelMeta, LaravelPage, Single, StatusData,
    error::DhError,
    input::{Input, paging},
    one_id, path_id,
};
use crate::{
    encode::JsonBody,
    query::{QueryParams, Validator},
    store::deskhive::MessageResource,
};

/// Default `per_page` of a thread (documented).
pub const DEFAULT_PER_PAGE: i64 = 30;

/// `GET /external/tickets/{id}/messages`.
pub async fn list(
    agent: Agent,
    id: Result<Path<String>, PathRejection>,
    RawQuery(raw): RawQuery,
) -> Result<JsonBody<LaravelPage<MessageResource>>, DhError> {
    let id = one_id(id)?;
    let q = QueryParams::parse(raw.as_deref());
    let mut v = Validator::default();
    let (page, per_page, offset) = paging(&q, &mut v, DEFAULT_PER_PAGE);
    // The ticket first: an unknown ticket is 404 whatever the query says.
    agent.read(|view| view.ticket(id))?;
    v.finish()?;
    let (data, total) = agent.read(|view| view.messages(id, offset, per_page))?;
    Ok(JsonBody(LaravelPage { data, meta: LaravelMeta::new(page, per_page, total) }))
}

/// `POST /external/tickets/{id}/messages`.
pub async fn reply(
    agent: Agent,
    id: Result<Path<String>, PathRejection>,
    body: Result<Bytes, BytesRejection>,
) -> Result<(StatusCode, JsonBody<Single<MessageResource>>), DhError> {
    let id = one_id(id)?;
    let input = Input::parse(&body?);
    let data = agent.write(|view| {
        view.read().ticket(id)?;
        let mut v = Validator::default();
        let content = v.check(input.required_string("content"));
        let is_internal = v.check(input.boolean("is_internal")).flatten().unwrap_or(false);
        v.finish()?;
        let content = content.unwrap_or_default();
        Ok((view.reply(id, content, is_internal, agent.now())?, Vec::new()))
    })?;
    Ok((StatusCode::CREATED, JsonBody(Single { data })))
}

/// `{"liked", "count"}`.
#[derive(Clone, Copy, Debug, Serialize)]
pub struct LikeState {
    /// Whether the agent likes the message now.
    pub liked: bool,
    /// Likes on the message now.
    pub count: usize,
}

/// `POST /external/tickets/{id}/messages/{message_id}/like`.
pub async fn like(
    agent: Agent,
    ids: Result<Path<(String, String)>, PathRejection>,
) -> Result<JsonBody<StatusData<LikeState>>, DhError> {
    let Path((ticket, message)) = ids?;
    let (ticket, message) = (path_id(&ticket)?, path_id(&message)?);
    let (liked, count) = agent.write(|view| {
        let state = view.toggle_like(ticket, message).map_err(|e| {
            if view.read().ticket(ticket).is_ok() { DhError::not_found("Message not found.") } else { e.into() }
        })?;
        Ok((state, Vec::new()))
    })?;
    Ok(JsonBody(StatusData::new(LikeState { liked, count })))
}
