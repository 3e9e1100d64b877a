//! The agent's own things and what all agents share:
//! - `GET /external/dashboard`: counts over the agent's tickets (`closed_today` by the mock's
//!   clock, UTC);
//! - `GET /external/canned-responses`: every active one, by `sort_order` then `title`,
//!   `{"data": [...]}` without pagination;
//! - `GET /external/knowledge-base/search?q=`: `q` required, at least 2 characters after
//!   trimming; published articles matching title, content or excerpt, at most 20;
//! - `GET` / `PUT /external/profile`: `name` (string, max 250), `phone` (nullable, max 50),
//!   `locale` (nullable, max 10), `notification_settings` (an object), each optional;
//! - `GET /external/notifications` (newest first, default 20 per page),
//!   `GET /external/notifications/unread-count`, `POST /external/notifications/{id}/read`
//!   (another agent's notification is 404, as a query scoped to the agent finds nothing).

use axum::{
    body::Bytes,
    extract::rejection::BytesRejection,
    extract::{Path, RawQuery, rejection::PathRejection},
    http::StatusCode,
};
use serde::Serialize;
use serde_json::{Value, json};

use super::{
    Agent, LaravelMeta, LaravelPage, Single, StatusData,
    error::DhError,
    input::{Input, paging},
    one_id,
};
use crate::{
    encode::JsonBody,
    query::{FieldError, Problem, QueryParams, Validator},
    store::deskhive::{
        ArticleResource, CannedResponse, Dashboard, NotificationResource, ProfileResource, ProfileUpdate,
    },
};

/// Default `per_page` of notifications (documented).
pub const DEFAULT_PER_PAGE: i64 = 20;

/// `GET /external/dashboard`.
pub async fn dashboard(agent: Agent) -> JsonBody<StatusData<Dashboard>> {
    let now = agent.now();
    JsonBody(StatusData::new(agent.read(|v| v.dashboard(now))))
}

/// `GET /external/canned-responses`.
pub async fn canned_responses(agent: Agent) -> JsonBody<Single<Vec<CannedResponse>>> {
    JsonBody(Single { data: agent.read(|v| v.canned_responses()) })
}

/// `GET /external/knowledge-base/search`.
pub async fn search_articles(
    agent: Agent,
    RawQuery(raw): RawQuery,
) -> Result<JsonBody<Single<Vec<ArticleResource>>>, DhError> {
    let q = QueryParams::parse(raw.as_deref());
    let text = q.get("q").map(str::trim).unwrap_or_default();
    if text.is_empty() {
        return Err(FieldError::new("q", Problem::Other("is required".to_owned())).into());
    }
    if text.chars().count() < 2 {
        return Err(FieldError::new("q", Problem::Other("must be at least 2 characters".to_owned())).into());
    }
    Ok(JsonBody(Single { data: agent.read(|v| v.search_articles(text)) }))
}

fn no_agent() -> DhError {
    // The key's agent vanished between auth and now: what Laravel's auth guard answers.
    DhError::new(StatusCode::UNAUTHORIZED, "Unauthenticated.")
}

/// `GET /external/profile`.
pub async fn profile(agent: Agent) -> Result<JsonBody<StatusData<ProfileResource>>, DhError> {
    agent.read(|v| v.profile()).map(|p| JsonBody(StatusData::new(p))).ok_or_else(no_agent)
}

/// `PUT /external/profile`.
pub async fn update_profile(
    agent: Agent,
    body: Result<Bytes, BytesRejection>,
) -> Result<JsonBody<StatusData<ProfileResource>>, DhError> {
    let input = Input::parse(&body?);
    let mut v = Validator::default();
    let update = ProfileUpdate {
        name: v.check(input.string_max("name", 250)).flatten(),
        phone: v.check(input.nullable_string_max("phone", 50)).flatten(),
        locale: v.check(input.nullable_string_max("locale", 10)).flatten(),
        notification_settings: v.check(input.object("notification_settings")).flatten(),
    };
    v.finish()?;
    let profile = agent.write(|view| Ok((view.update_profile(update).ok_or_else(no_agent)?, Vec::new())))?;
    Ok(JsonBody(StatusData::new(profile)))
}

/// `GET /external/notifications`.
pub async fn notifications(
    agent: Agent,
    RawQuery(raw): RawQuery,
) -> Result<JsonBody<LaravelPage<NotificationResource>>, DhError> {
    let q = QueryParams::parse(raw.as_deref());
    let mut v = Validator::default();
    let (page, per_page, offset) = paging(&q, &mut v, DEFAULT_PER_PAGE);
    v.finish()?;
    let (data, total) = agent.read(|v| v.notifications(offset, per_page));
    Ok(JsonBody(LaravelPage { data, meta: LaravelMeta::new(page, per_page, total) }))
}

/// `{"unread_count"}`.
#[derive(Clone, Copy, Debug, Serialize)]
pub struct UnreadCount {
    /// Unread notifications of the agent.
    pub unread_count: usize,
}

/// `GET /external/notifications/unread-count`.
pub async fn unread_count(agent: Agent) -> JsonBody<StatusData<UnreadCount>> {
    JsonBody(StatusData::new(UnreadCount { unread_count: agent.read(|v| v.unread_count()) }))
}

/// `POST /external/notifications/{id}/read`.
pub async fn mark_read(agent: Agent, id: Result<Path<String>, PathRejection>) -> Result<JsonBody<Value>, DhError> {
    let id = one_id(id)?;
    agent.write(|view| {
        view.mark_read(id).map_err(|_| DhError::not_found("Notification not found."))?;
        Ok(((), Vec::new()))
    })?;
    Ok(JsonBody(json!({ "status": true, "message": "Notification marked as read" })))
}
