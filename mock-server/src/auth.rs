//! Authentication: which header carries the key in each API, and what a presented key grants.
//!
//! - Next Cap: `X-Api-Key: <key>` or `Authorization: Bearer <key>`. Data routes accept only
//!   `sk_live_` data keys; CRM routes (`/external/crm/...`) only `nextcap_ck_` seat keys (each
//!   route table names its [`KeyFamily`]). A key of the other family is treated as unknown
//!   (401), since the real service looks keys up per family. A deactivated seat's key gets 401;
//!   a seat without any of a route's permissions gets 403 `FORBIDDEN`.
//! - NexaDesk: `Authorization: Bearer fc_live_...` only; a read-only key on a write method
//!   (POST, PATCH, PUT, DELETE) gets 403.
//! - Desk Hive: `X-API-KEY`; missing is 400, unknown key or inactive agent is 401.
//!
//! The outcome is a [`Principal`] that the pipeline puts into the request extensions for
//! handlers, or a [`Refusal`] that the pipeline renders in the API's envelope.

use axum::http::{HeaderMap, Method};

use crate::{
    api::Api,
    keys::{Grant, KeyFamily},
    refusal::Refusal,
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

fn is_write(method: &Method) -> bool {
    matches!(*method, Method::POST | Method::PATCH | Method::PUT | Method::DELETE)
}

/// Resolves the key presented to a route of `family`'s table. `permissions` are the matched
/// route's `anyOf` permissions (empty for none, and for unmatched paths).
pub fn authenticate(
    family: KeyFamily,
    method: &Method,
    key: Option<&str>,
    permissions: &[&str],
    store: &Store,
) -> Result<Principal, Refusal> {
    let Some(key) = key else {
        return Err(match family {
            KeyFamily::NextCapData | KeyFamily::NextCapCrm => {
                Refusal::Unauthorized("Missing API key: send it in the X-Api-Key header or as a Bearer token".into())
            }
            KeyFamily::NexaDesk => {
                Refusal::Unauthorized("Missing API key: send Authorization: Bearer fc_live_...".into())
            }
            KeyFamily::DeskHive => Refusal::MissingKey,
        });
    };
    // Each family is its own directory in the real services: another family's key is unknown.
    let record = store.keys().get(key).filter(|r| r.grant.family() == family);
    let Some(record) = record else {
        return Err(Refusal::Unauthorized("Invalid API key".into()));
    };
    if !record.info.active {
        let why = match family {
            KeyFamily::NextCapData | KeyFamily::NextCapCrm => "API key is no longer valid: its seat was deactivated",
            _ => "Unauthenticated.",
        };
        return Err(Refusal::Unauthorized(why.into()));
    }
    if let Grant::NexaDesk { write: false, .. } = record.grant {
        if is_write(method) {
            return Err(Refusal::Forbidden("Insufficient scope: this API key is read-only".into()));
        }
    }
    if !permissions.is_empty() {
        check_permissions(&record.grant, permissions, store)?;
    }
    Ok(Principal { key: key.to_owned(), grant: record.grant.clone() })
}

/// `anyOf`: the seat behind a CRM key needs at least one of `required` (nextcap-crm-integration.txt,
/// "Permissions"); keys without seats have no permissions to check.
fn check_permissions(grant: &Grant, required: &[&str], store: &Store) -> Result<(), Refusal> {
    let Grant::NextCapCrm { seat_id, .. } = grant else { return Ok(()) };
    let held = store.nextcap().seat(*seat_id).map(|s| s.permissions.as_slice()).unwrap_or_default();
    if required.iter().any(|p| held.iter().any(|h| h == p)) {
        return Ok(());
    }
    let names = required.join(", ");
    let message = if required.len() == 1 {
        format!("Insufficient permissions: requires {names}")
    } else {
        format!("Insufficient permissions: requires one of {names}")
    };
    Err(Refusal::Forbidden(message))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn families_and_any_of_permissions() {
        let store = crate::store::fixtures::build(42, 5);
        let keys = store.demo_keys().clone();
        let auth = |family, key: &str, permissions: &[&str]| {
            authenticate(family, &Method::GET, Some(key), permissions, &store).map(|p| p.grant.family())
        };
        assert_eq!(auth(KeyFamily::NextCapData, &keys.nextcap_data, &[]), Ok(KeyFamily::NextCapData));
        assert!(matches!(auth(KeyFamily::NextCapCrm, &keys.nextcap_data, &[]), Err(Refusal::Unauthorized(_))));
        assert!(matches!(auth(KeyFamily::NextCapData, &keys.nextcap_crm_admin, &[]), Err(Refusal::Unauthorized(_))));
        // The live-chat seat has live-chat:view, live-chat:join and conversations:view only.
        let live_chat = keys.nextcap_crm_live_chat.as_str();
        assert_eq!(auth(KeyFamily::NextCapCrm, live_chat, &["conversations:view"]), Ok(KeyFamily::NextCapCrm));
        assert_eq!(
            auth(KeyFamily::NextCapCrm, live_chat, &["tickets:view", "conversations:view"]),
            Ok(KeyFamily::NextCapCrm),
            "any one of the listed permissions is enough"
        );
        let Err(Refusal::Forbidden(message)) = auth(KeyFamily::NextCapCrm, live_chat, &["tickets:view"]) else {
            panic!("a seat without the permission is refused with 403");
        };
        assert!(message.contains("tickets:view"), "{message}");
        assert_eq!(auth(KeyFamily::NextCapCrm, &keys.nextcap_crm_admin, &["team:invite"]), Ok(KeyFamily::NextCapCrm));
        assert!(matches!(
            auth(KeyFamily::NextCapCrm, &keys.nextcap_crm_deactivated, &[]),
            Err(Refusal::Unauthorized(_))
        ));
    }
}
