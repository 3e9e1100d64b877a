//! Who may open the `/crm-chat` namespace (nextcap-crm-integration.txt, "Live Chat"; contract
//! `openapi/nextcap-chat.yaml`, `connectError`): the CONNECT packet's `auth: {"apiKey": ...}`
//! must be a live CRM seat key of an Enterprise organisation whose seat holds `live-chat:view`
//! or `conversations:view`, and the handshake must not carry a browser `Origin`.
//!
//! The checks are the REST pipeline's own ([`crate::auth::authenticate`]), so a key refused over
//! REST is refused here with the same code and message.

use std::fmt;

use http::{HeaderMap, Method};
use serde_json::Value;
use uuid::Uuid;

use crate::{
    auth::{self, Requirements},
    keys::{Grant, KeyFamily, Plan},
    nextcap::error::NcError,
    refusal::Refusal,
    store::Store,
};

/// The permissions of which a seat needs one to connect.
pub const CONNECT_PERMISSIONS: &[&str] = &["live-chat:view", "conversations:view"];

/// An admitted socket's identity, kept in the socket's extensions. Permissions and widgets are
/// not copied: every client event reads the seat again, so a role change applies at once.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Session {
    /// The seat's organisation.
    pub org_id: Uuid,
    /// The seat (user) id.
    pub seat_id: Uuid,
    /// The key the socket presented.
    pub api_key: String,
}

/// A refused handshake: the REST error code (`UNAUTHORIZED`, `FORBIDDEN`) and message.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Refused {
    /// `UNAUTHORIZED` or `FORBIDDEN`.
    pub code: &'static str,
    /// Why.
    pub message: String,
}

impl From<Refusal> for Refused {
    fn from(refusal: Refusal) -> Refused {
        let error = NcError::from(refusal);
        Refused { code: error.code, message: error.message }
    }
}

/// What the CONNECT_ERROR packet carries as its `message` (socketioxide sends a middleware's
/// error as `{"message": "<Display>"}` only): `CODE: message`, so a client can still tell an
/// unknown key from a missing permission.
impl fmt::Display for Refused {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.code, self.message)
    }
}

/// Checks a handshake: its HTTP headers and its auth payload (`None` when the CONNECT packet
/// had none or it was not JSON).
pub fn admit(headers: &HeaderMap, auth_payload: Option<&Value>, store: &Store) -> Result<Session, Refused> {
    if headers.contains_key("origin") {
        let message = "Browser connections are not allowed: live chat is server-to-server only";
        return Err(Refusal::Forbidden(message.into()).into());
    }
    let key = auth_payload.and_then(|a| a.get("apiKey")).and_then(Value::as_str).map(str::trim);
    let Some(key) = key.filter(|k| !k.is_empty()) else {
        let message = "Missing API key: send it in the handshake as auth: {\"apiKey\": \"nextcap_ck_...\"}";
        return Err(Refusal::Unauthorized(message.into()).into());
    };
    let needs = Requirements { permissions: CONNECT_PERMISSIONS, min_plan: Some(Plan::Enterprise) };
    let principal = auth::authenticate(KeyFamily::NextCapCrm, &Method::GET, Some(&key.into()), needs, store)?;
    match principal.grant {
        Grant::NextCapCrm { org_id, seat_id } => Ok(Session { org_id, seat_id, api_key: principal.key.to_string() }),
        // authenticate() already holds the key to the CRM family.
        _ => Err(Refusal::Unauthorized("Invalid API key".into()).into()),
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn every_refusal_has_its_code() {
        let store = crate::store::fixtures::build(42, 5);
        let keys = store.demo_keys().clone();
        let none = HeaderMap::new();
        let code = |headers: &HeaderMap, auth: Option<Value>| admit(headers, auth.as_ref(), &store).map_err(|r| r.code);
        assert_eq!(code(&none, None), Err("UNAUTHORIZED"));
        assert_eq!(code(&none, Some(json!({"apiKey": ""}))), Err("UNAUTHORIZED"));
        assert_eq!(code(&none, Some(json!({"apiKey": keys.nextcap_data}))), Err("UNAUTHORIZED"));
        assert_eq!(code(&none, Some(json!({"apiKey": keys.nextcap_crm_deactivated}))), Err("UNAUTHORIZED"));
        assert_eq!(code(&none, Some(json!({"apiKey": keys.nextcap_crm_ticketing}))), Err("FORBIDDEN"));
        assert_eq!(code(&none, Some(json!({"apiKey": keys.nextcap_crm_pro}))), Err("FORBIDDEN"));
        let mut browser = HeaderMap::new();
        browser.insert("origin", "https://evil.example".parse().expect("header"));
        assert_eq!(code(&browser, Some(json!({"apiKey": keys.nextcap_crm_admin}))), Err("FORBIDDEN"));
        let session = admit(&none, Some(&json!({"apiKey": keys.nextcap_crm_live_chat})), &store).expect("admitted");
        assert_eq!(session.api_key, keys.nextcap_crm_live_chat);
        let refused = admit(&none, None, &store).expect_err("refused");
        assert!(refused.to_string().starts_with("UNAUTHORIZED: Missing API key"), "{refused}");
    }
}
