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
//! The outcome is a [`Principal`] that the pipeline hands to the handler (in [`PRINCIPAL`]),
//! or a [`Refusal`] that the pipeline renders in the API's envelope.

use std::sync::Arc;

use axum::http::{HeaderMap, HeaderName, Method, header::AUTHORIZATION};

use crate::{
    api::Api,
    keys::{Grant, KeyFamily, Plan},
    refusal::Refusal,
    store::Store,
};

tokio::task_local! {
    /// The authenticated caller (`None` on a public route), for as long as the pipeline runs
    /// the handler (the `Tenant` extractor reads it). A task-local rather than a request
    /// extension: the request's extension map already holds axum's three entries, and a fourth
    /// made it grow on every request.
    pub static PRINCIPAL: Option<Principal>;
}

/// The authenticated caller.
#[derive(Clone, Debug)]
pub struct Principal {
    /// The key as presented (rate limits are per key; the journal records it).
    pub key: Arc<str>,
    /// What the key grants.
    pub grant: Grant,
}

/// `X-Api-Key` (Next Cap) and `X-API-KEY` (Desk Hive): header names are case-insensitive.
const X_API_KEY: HeaderName = HeaderName::from_static("x-api-key");

fn header<'a>(headers: &'a HeaderMap, name: &HeaderName) -> Option<&'a str> {
    headers.get(name).and_then(|v| v.to_str().ok()).map(str::trim).filter(|v| !v.is_empty())
}

fn bearer(headers: &HeaderMap) -> Option<&str> {
    let value = header(headers, &AUTHORIZATION)?;
    let (scheme, token) = value.split_once(' ')?;
    let token = token.trim();
    (scheme.eq_ignore_ascii_case("bearer") && !token.is_empty()).then_some(token)
}

/// The key a request presents, read from the API's own header(s).
pub fn presented_key(api: Api, headers: &HeaderMap) -> Option<&str> {
    match api {
        Api::NextCap => header(headers, &X_API_KEY).or_else(|| bearer(headers)),
        Api::NexaDesk => bearer(headers),
        Api::DeskHive => header(headers, &X_API_KEY),
    }
}

fn is_write(method: &Method) -> bool {
    matches!(*method, Method::POST | Method::PATCH | Method::PUT | Method::DELETE)
}

/// What a route asks of the caller beyond a key of its family.
#[derive(Clone, Copy, Debug, Default)]
pub struct Requirements<'a> {
    /// `anyOf` permissions of the seat; empty for none (and for unmatched paths).
    pub permissions: &'a [&'a str],
    /// The plan the organisation needs; `None` for APIs without plans.
    pub min_plan: Option<Plan>,
}

/// Resolves the key presented to a route of `family`'s table.
pub fn authenticate(
    family: KeyFamily,
    method: &Method,
    key: Option<&Arc<str>>,
    needs: Requirements<'_>,
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
    // A seat's key follows its seat at once ("If a seat is removed or deactivated, its CRM key
    // stops working immediately"), so the seat is read live rather than from the key record.
    let active = match record.grant {
        Grant::NextCapCrm { seat_id, .. } => store.nextcap().seat(seat_id).is_some_and(|s| s.active),
        _ => record.info.active,
    };
    if !active {
        let why = match family {
            KeyFamily::NextCapData | KeyFamily::NextCapCrm => "API key is no longer valid: its seat was deactivated",
            _ => "Unauthenticated.",
        };
        return Err(Refusal::Unauthorized(why.into()));
    }
    if let Some(plan) = needs.min_plan {
        check_plan(&record.grant, plan, store)?;
    }
    if let Grant::NexaDesk { write: false, .. } = record.grant
        && is_write(method)
    {
        return Err(Refusal::Forbidden("Insufficient scope: this API key is read-only".into()));
    }
    if !needs.permissions.is_empty() {
        check_permissions(&record.grant, needs.permissions, store)?;
    }
    Ok(Principal { key: Arc::clone(key), grant: record.grant.clone() })
}

/// The organisation behind a Next Cap key must be on `needed` or above
/// (nextcap-external-data-api.txt and nextcap-crm-integration.txt, "Plan requirements"):
/// otherwise 403 whose message names the plan, e.g. `Enterprise plan required`.
fn check_plan(grant: &Grant, needed: Plan, store: &Store) -> Result<(), Refusal> {
    let org_id = match grant {
        Grant::NextCapData { org_id } | Grant::NextCapCrm { org_id, .. } => *org_id,
        _ => return Ok(()),
    };
    let plan = store.nextcap().org(org_id).map_or(Plan::Free, |o| o.plan);
    if plan >= needed {
        return Ok(());
    }
    let what = match needed {
        Plan::Enterprise => "this feature is available on the Enterprise plan only",
        _ => "API access needs the Pro plan or above",
    };
    Err(Refusal::Forbidden(format!(
        "{} plan required: {what} (this organisation is on {})",
        needed.title(),
        plan.title()
    )))
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
            let needs = Requirements { permissions, min_plan: None };
            authenticate(family, &Method::GET, Some(&Arc::from(key)), needs, &store).map(|p| p.grant.family())
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

    #[test]
    fn plans_gate_next_cap_keys() {
        let store = crate::store::fixtures::build(42, 5);
        let keys = store.demo_keys().clone();
        let auth = |family, key: &str, min_plan| {
            let needs = Requirements { permissions: &[], min_plan };
            authenticate(family, &Method::GET, Some(&Arc::from(key)), needs, &store).map(|_| ())
        };
        let data = KeyFamily::NextCapData;
        assert_eq!(auth(data, &keys.nextcap_data, Some(Plan::Enterprise)), Ok(()));
        assert_eq!(auth(data, &keys.nextcap_data_pro, Some(Plan::Pro)), Ok(()));
        let refused = |r: Result<(), Refusal>, plan: &str| matches!(r, Err(Refusal::Forbidden(ref m)) if m.starts_with(&format!("{plan} plan required")));
        assert!(refused(auth(data, &keys.nextcap_data_pro, Some(Plan::Enterprise)), "Enterprise"));
        assert!(refused(auth(data, &keys.nextcap_data_free, Some(Plan::Pro)), "Pro"));
        assert!(refused(auth(KeyFamily::NextCapCrm, &keys.nextcap_crm_pro, Some(Plan::Enterprise)), "Enterprise"));
        assert_eq!(auth(KeyFamily::NextCapCrm, &keys.nextcap_crm_admin, Some(Plan::Enterprise)), Ok(()));
    }
}
