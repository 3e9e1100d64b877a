//! Authentication: which header carries the key in each API, and what a presented key grants.
//!
//! - Next Cap: `X-Api-Key: <key>` or `Authorization: Bearer <key>`. Data routes accept only
//!   `sk_live_` data keys; CRM routes (`/external/crm/...`) only `nextcap_ck_` seat keys. A key
//!   of the other family is treated as unknown (401), since the real service looks keys up per
//!   family. A deactivated seat's key gets 401.
//! - NexaDesk: `Authorization: Bearer fc_live_...` only; a read-only key on a write method
//!   (POST, PATCH, PUT, DELETE) gets 403.
//! - Desk Hive: `X-API-KEY`; missing is 400, unknown key or inactive agent is 401.
//!
//! The outcome is a [`Principal`] that the pipeline puts into the request extensions for
//! handlers, or a [`Refusal`] that the pipeline renders in the API's envelope.

use axum::http::{HeaderMap, Method};

use crate::{
    api::Api,
    keys::{Grant, KeyRecord},
    pipeline::Refusal,
    store::Store,
};

/// The authenticated caller, available to handlers as `Extension<Principal>`.
#[derive(Clone, Debug)]
pub struct Principal {
    /// The key as presented (rate limits are per key).
    pub key: String,
    /// What the key grants.
    pub grant: Grant,
}

fn header<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers.get(name).and_then(|v| v.to_str().ok()).map(str::trim).filter(|v| !v.is_empty())
}

fn bearer(headers: &HeaderMap) -> Option<&str> {
    let value = header(headers, "authorization")?;
    let (scheme, token) = value.split_once(' ')?;
    let token = token.trim();
    (scheme.eq_ignore_ascii_case("bearer") && !token.is_empty()).then_some(token)
}

/// The key a request presents, read from the API's own header(s).
pub fn presented_key(api: Api, headers: &HeaderMap) -> Option<String> {
    let key = match api {
        Api::NextCap => header(headers, "x-api-key").or_else(|| bearer(headers)),
        Api::NexaDesk => bearer(headers),
        Api::DeskHive => header(headers, "x-api-key"),
    };
    key.map(str::to_owned)
}

/// Whether a Next Cap path belongs to the CRM Integration API (seat keys).
pub fn is_nextcap_crm_path(full_path: &str) -> bool {
    full_path.starts_with("/nextcap/api/v1/external/crm")
}

fn is_write(method: &Method) -> bool {
    matches!(*method, Method::POST | Method::PATCH | Method::PUT | Method::DELETE)
}

/// Resolves the presented key for a request to `full_path` (with the API prefix).
pub fn authenticate(
    api: Api,
    full_path: &str,
    method: &Method,
    key: Option<&str>,
    store: &Store,
) -> Result<Principal, Refusal> {
    let Some(key) = key else {
        return Err(match api {
            Api::NextCap => {
                Refusal::Unauthorized("Missing API key: send it in the X-Api-Key header or as a Bearer token".into())
            }
            Api::NexaDesk => Refusal::Unauthorized("Missing API key: send Authorization: Bearer fc_live_...".into()),
            Api::DeskHive => Refusal::MissingKey,
        });
    };
    let record = store.keys.get(key).filter(|r| belongs(api, full_path, r));
    let Some(record) = record else {
        return Err(Refusal::Unauthorized("Invalid API key".into()));
    };
    if !record.info.active {
        let why = match api {
            Api::NextCap => "API key is no longer valid: its seat was deactivated",
            _ => "Unauthenticated.",
        };
        return Err(Refusal::Unauthorized(why.into()));
    }
    if let Grant::NexaDesk { write: false, .. } = record.grant {
        if is_write(method) {
            return Err(Refusal::Forbidden("Insufficient scope: this API key is read-only".into()));
        }
    }
    Ok(Principal { key: key.to_owned(), grant: record.grant.clone() })
}

fn belongs(api: Api, full_path: &str, record: &KeyRecord) -> bool {
    match (&record.grant, api) {
        (Grant::NextCapData { .. }, Api::NextCap) => !is_nextcap_crm_path(full_path),
        (Grant::NextCapCrm { .. }, Api::NextCap) => is_nextcap_crm_path(full_path),
        (Grant::NexaDesk { .. }, Api::NexaDesk) => true,
        (Grant::DeskHive { .. }, Api::DeskHive) => true,
        _ => false,
    }
}
