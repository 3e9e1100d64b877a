//! `POST /external/webhooks`, `GET /external/webhooks` and `DELETE /external/webhooks/{id}`.
//!
//! Creation checks the body strictly (unknown fields are 400): `url` must be an absolute
//! `http(s)` URL with a host, at most 2048 characters; `events` a non-empty list of known
//! event names without duplicates. The answer is 201 with the signing secret (`whsec_` and 32
//! random letters and digits), the only time it is shown. The list is every webhook of the
//! organisation, newest first, paginated and date-filtered like every list, and without
//! secrets. Delete answers `{data: {id, deleted: true}}`; deliveries to a deleted webhook stop,
//! retries included. Delivery itself is in [`crate::webhooks`].

use crate::encode::Json;
use axum::response::IntoResponse;
use axum::{
    Extension,
    body::Bytes,
    extract::{RawQuery, State, rejection::BytesRejection},
    http::StatusCode,
};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::{
    Listed, PathId, Reply, Single,
    error::NcError,
    list::{list_query, not_found, org_of, path_id},
};
use crate::{
    auth::Principal,
    body,
    query::{FieldError, Problem, Validator},
    state::AppState,
    store::nextcap::{WEBHOOK_EVENTS, Webhook, insert_newest_first},
    webhooks::random_uuid,
};

/// The longest URL accepted.
pub const MAX_URL_LEN: usize = 2048;

/// The body of `POST /external/webhooks`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct CreateBody {
    url: String,
    events: Vec<String>,
}

/// A created webhook: the listed fields plus the secret, shown only here.
#[derive(Debug, Serialize)]
pub struct CreatedWebhook {
    /// The webhook.
    #[serde(flatten)]
    pub webhook: Webhook,
    /// Its signing secret.
    pub secret: String,
}

/// Why `url` is not acceptable, if it is not.
pub fn check_url(url: &str) -> Result<(), String> {
    if url.len() > MAX_URL_LEN {
        return Err(format!("must be at most {MAX_URL_LEN} characters"));
    }
    match url::Url::parse(url) {
        Err(e) => Err(format!("must be an absolute http(s) URL ({e})")),
        Ok(u) if !matches!(u.scheme(), "http" | "https") => Err("must use http or https".to_owned()),
        Ok(u) if u.host_str().is_none_or(str::is_empty) => Err("must have a host".to_owned()),
        Ok(_) => Ok(()),
    }
}

/// Why `events` is not acceptable, if it is not.
fn check_events(events: &[String]) -> Result<(), String> {
    if events.is_empty() {
        return Err("must name at least one event".to_owned());
    }
    if let Some(unknown) = events.iter().find(|e| !WEBHOOK_EVENTS.contains(&e.as_str())) {
        return Err(format!("`{unknown}` is not an event; known events: {}", WEBHOOK_EVENTS.join(", ")));
    }
    if let Some((i, dup)) = events.iter().enumerate().find(|(i, e)| events[..*i].contains(e)) {
        return Err(format!("`{dup}` is listed twice (again at position {i})"));
    }
    Ok(())
}

/// `POST /external/webhooks`.
pub async fn create(
    State(state): State<AppState>,
    Extension(principal): Extension<Principal>,
    bytes: Result<Bytes, BytesRejection>,
) -> Result<(StatusCode, Json<Single<CreatedWebhook>>), NcError> {
    let org = org_of(&principal)?;
    let bytes = bytes.map_err(|e| NcError::invalid("body", e.body_text()))?;
    let input: CreateBody = body::parse(&bytes)?;
    let mut v = Validator::default();
    let other = |field: &str, why: String| FieldError::new(field, Problem::Other(why));
    v.check(check_url(&input.url).map_err(|why| other("url", why)));
    v.check(check_events(&input.events).map_err(|why| other("events", why)));
    v.finish()?;
    let secret = format!("whsec_{}", crate::keys::alphanumeric(&mut rand::thread_rng(), 32));
    let webhook = Webhook {
        id: random_uuid(),
        org_id: org,
        url: input.url,
        secret: secret.clone(),
        events: input.events,
        is_active: true,
        created_at: crate::time_fmt::now(),
    };
    insert_newest_first(&mut state.lock().store_mut().nextcap.webhooks, webhook.clone());
    Ok((StatusCode::CREATED, Json(Single { data: CreatedWebhook { webhook, secret } })))
}

/// `GET /external/webhooks`.
pub async fn list(
    State(state): State<AppState>,
    Extension(principal): Extension<Principal>,
    RawQuery(raw): RawQuery,
) -> Listed {
    let org = org_of(&principal)?;
    let (args, ()) = list_query(raw.as_deref(), |_, _| ())?;
    let inner = state.lock();
    let own = inner.store.nextcap.webhooks.iter().filter(|w| w.org_id == org);
    Ok(Json(args.page_of(own, |row| row)).into_response())
}

/// `{"id", "deleted": true}`.
#[derive(Debug, Serialize)]
pub struct Deleted {
    /// The deleted webhook.
    pub id: Uuid,
    /// Always true.
    pub deleted: bool,
}

/// `DELETE /external/webhooks/{id}`.
pub async fn delete(
    State(state): State<AppState>,
    Extension(principal): Extension<Principal>,
    id: PathId,
) -> Reply<Single<Deleted>> {
    let (org, id) = (org_of(&principal)?, path_id(id, "Webhook")?);
    let mut inner = state.lock();
    if !inner.store.nextcap.webhooks.iter().any(|w| w.id == id && w.org_id == org) {
        return Err(not_found("Webhook"));
    }
    inner.store_mut().nextcap.webhooks.retain(|w| w.id != id);
    Ok(Json(Single { data: Deleted { id, deleted: true } }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_must_be_absolute_http() {
        assert!(check_url("https://crm.example.com/hooks").is_ok());
        assert!(check_url("http://127.0.0.1:9/x?y=1").is_ok());
        for bad in ["", "/relative", "ftp://example.com", "mailto:a@b.c", "https://", "not a url"] {
            assert!(check_url(bad).is_err(), "{bad}");
        }
        assert!(check_url(&format!("https://example.com/{}", "a".repeat(MAX_URL_LEN))).is_err());
    }

    #[test]
    fn events_must_be_known_unique_and_present() {
        let list = |names: &[&str]| names.iter().map(|n| (*n).to_owned()).collect::<Vec<_>>();
        assert!(check_events(&list(&["lead.created", "ticket.created"])).is_ok());
        assert!(check_events(&[]).is_err());
        assert!(check_events(&list(&["lead.created", "lead.deleted"])).unwrap_err().contains("lead.deleted"));
        assert!(check_events(&list(&["lead.created", "lead.created"])).unwrap_err().contains("twice"));
    }
}
