//! `POST /external/webhooks`, `GET /external/webhooks` and `DELETE /external/webhooks/{id}`.
//!
//! Creation checks the body strictly (unknown fields are 400): `url` must be an absolute
//! `http(s)` URL with a host, at most 2048 characters; `events` a non-empty list of known
//! event names without duplicates. The answer is 201 with the signing secret (`whsec_` and 32
//! random letters and digits), the only time it is shown. The list is every webhook of the
//! organisation, newest first, paginated and date-filtered like every list, and without
//! secrets. Delete answers `{data: {id, deleted: true}}`; deliveries to a deleted webhook stop,
//! retries included. Delivery itself is in [`crate::webhooks`].

use axum::{http::StatusCode, response::IntoResponse};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::{
    encode::JsonBody,
    events::{EventName, random_uuid},
    nextcap::{
        Item, Reply,
        extract::{self, DataOrg, ListQuery, PathId, not_found},
    },
    query::{FieldError, Problem, Validator},
    store::nextcap::Webhook,
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
    if let Some(unknown) = events.iter().find(|e| EventName::parse(e).is_none()) {
        let known: Vec<&str> = EventName::ALL.iter().map(|e| e.as_str()).collect();
        return Err(format!("`{unknown}` is not an event; known events: {}", known.join(", ")));
    }
    if let Some((i, dup)) = events.iter().enumerate().find(|(i, e)| events[..*i].contains(e)) {
        return Err(format!("`{dup}` is listed twice (again at position {i})"));
    }
    Ok(())
}

/// `POST /external/webhooks`: 201 with the webhook and its secret.
pub async fn create(org: DataOrg, body: extract::JsonBody) -> Reply {
    let input: CreateBody = body.parse()?;
    let mut v = Validator::default();
    let other = |field: &str, why: String| FieldError::new(field, Problem::Other(why));
    v.check(check_url(&input.url).map_err(|why| other("url", why)));
    v.check(check_events(&input.events).map_err(|why| other("events", why)));
    v.finish()?;
    let secret = format!("whsec_{}", crate::keys::alphanumeric(&mut rand::thread_rng(), 32));
    let webhook = Webhook {
        id: random_uuid(),
        org_id: Uuid::nil(),
        url: input.url,
        secret: secret.clone(),
        events: input.events,
        is_active: true,
        created_at: org.now(),
    };
    let webhook = org.write(|v| Ok((v.add_webhook(webhook), Vec::new())))?;
    Ok((StatusCode::CREATED, JsonBody(Item { data: CreatedWebhook { webhook, secret } })).into_response())
}

/// `GET /external/webhooks`, newest first, without secrets.
pub async fn list(org: DataOrg, ListQuery { args, target, .. }: ListQuery<()>) -> Reply {
    org.read_cached("listWebhooks", &target, |v| Ok(JsonBody(args.page_of(v.webhooks(), |row| row)).encode()))
}

/// `{"id", "deleted": true}`.
#[derive(Debug, Serialize)]
pub struct Deleted {
    /// The deleted webhook.
    pub id: Uuid,
    /// Always true.
    pub deleted: bool,
}

/// `DELETE /external/webhooks/{id}`: its queued and retrying deliveries stop.
pub async fn delete(org: DataOrg, id: PathId<Webhook>) -> Reply {
    let id = id.id();
    // Checked on a read first: a write copies the pristine fixtures on its first use.
    if !org.read(|v| v.webhooks().any(|w| w.id == id)) || !org.write(|v| Ok((v.delete_webhook(id), Vec::new())))? {
        return Err(not_found("Webhook"));
    }
    Ok(JsonBody(Item { data: Deleted { id, deleted: true } }).into_response())
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
