//! What differs between the APIs, as seen by the shared transport.
//!
//! `core` knows no API. Each API module implements [`ApiFlavor`] once: how its key is checked
//! and sent, and how its error envelope is decoded. The transport, retry loop, rate limiter and
//! paginator are written once against this trait.

use http::{HeaderMap, HeaderName, HeaderValue};

use super::error::{ApiError, Error, Result};
use super::secret::ApiKey;
use crate::api_kind::ApiKind;

/// One API's differences.
pub(crate) trait ApiFlavor: Send + Sync + 'static {
    /// Which API this is.
    fn kind(&self) -> ApiKind;
    /// The documented base URL, or `None` when the API is self-hosted.
    fn default_base_url(&self) -> Option<&'static str>;
    /// Checks the key's shape before any request is made.
    fn check_key(&self, key: &ApiKey) -> Result<()>;
    /// The auth header for this key.
    fn auth_header(&self, key: &ApiKey) -> (HeaderName, String);
    /// Fills code, message, details and retry hint from the API's own error envelope.
    /// `base` already carries status, raw body, request id and a `Retry-After` header.
    fn decode_error(&self, base: ApiError) -> ApiError;
}

/// Builds the header value, marked sensitive so the HTTP stack never logs it.
pub(crate) fn sensitive(value: &str) -> Result<HeaderValue> {
    let mut v = HeaderValue::from_str(value)
        .map_err(|_| Error::invalid("api_key", "the key contains characters that are not allowed in an HTTP header"))?;
    v.set_sensitive(true);
    Ok(v)
}

/// Checks a key against the documented prefix, naming the other key kinds it might be.
pub(crate) fn check_prefix(key: &ApiKey, prefix: &str, what: &str) -> Result<()> {
    let raw = key.expose();
    if raw.is_empty() {
        return Err(Error::invalid("api_key", format!("{what} key is empty")));
    }
    if raw.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err(Error::invalid("api_key", "the key contains whitespace or control characters"));
    }
    if prefix.is_empty() {
        return Ok(());
    }
    if !raw.starts_with(prefix) || raw.len() == prefix.len() {
        let hint = key
            .known_prefix()
            .and_then(|p| ApiKind::ALL.into_iter().find(|k| k.key_prefix() == Some(p)))
            .map(|k| format!(" (this is a {k} key: use {})", k.client_name()))
            .unwrap_or_default();
        return Err(Error::invalid("api_key", format!("a {what} key starts with `{prefix}`{hint}")));
    }
    Ok(())
}

/// The parts of an error response every API shares.
pub(crate) fn base_error(kind: ApiKind, status: u16, headers: &HeaderMap, body: &[u8]) -> ApiError {
    let body = String::from_utf8_lossy(body).into_owned();
    let reason = http::StatusCode::from_u16(status).ok().and_then(|s| s.canonical_reason()).unwrap_or("error");
    let message = if body.trim().is_empty() {
        format!("HTTP {status} {reason} (empty body)")
    } else {
        format!("HTTP {status} {reason} (the body is not the API's error envelope)")
    };
    ApiError {
        api: kind,
        status,
        code: None,
        message,
        details: Vec::new(),
        retry_after: super::hints::retry_after(headers, std::time::SystemTime::now()),
        request_id: headers.get("x-request-id").and_then(|v| v.to_str().ok()).map(str::to_owned),
        body,
    }
}

/// A flavor with no envelope of its own, for the unit tests of the shared transport: they
/// must build with any one API feature, so they cannot borrow an API's flavor.
#[cfg(test)]
pub(crate) static PLAIN: PlainFlavor = PlainFlavor;

/// See [`PLAIN`].
#[cfg(test)]
pub(crate) struct PlainFlavor;

#[cfg(test)]
impl ApiFlavor for PlainFlavor {
    fn kind(&self) -> ApiKind {
        ApiKind::DeskHive
    }
    fn default_base_url(&self) -> Option<&'static str> {
        None
    }
    fn check_key(&self, key: &ApiKey) -> Result<()> {
        check_prefix(key, "", "test")
    }
    fn auth_header(&self, key: &ApiKey) -> (HeaderName, String) {
        (http::header::AUTHORIZATION, format!("Bearer {}", key.expose()))
    }
    fn decode_error(&self, base: ApiError) -> ApiError {
        base
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wrong_prefix_names_the_right_client_without_showing_the_key() {
        let err = check_prefix(&ApiKey::new("fc_live_SECRETKEY"), "sk_live_", "Next Cap Data").unwrap_err();
        let text = err.to_string();
        assert!(text.contains("NexaDeskClient"), "{text}");
        assert!(!text.contains("SECRETKEY"));
        assert!(check_prefix(&ApiKey::new("sk_live_"), "sk_live_", "Next Cap Data").is_err());
        assert!(check_prefix(&ApiKey::new("sk_live_ab cd"), "sk_live_", "Next Cap Data").is_err());
        assert!(check_prefix(&ApiKey::new("sk_live_abcd"), "sk_live_", "Next Cap Data").is_ok());
    }

    #[test]
    fn html_body_becomes_a_summary_message_and_keeps_the_body() {
        let e = base_error(ApiKind::NexaDesk, 502, &HeaderMap::new(), b"<html>Bad Gateway</html>");
        assert_eq!(e.status, 502);
        assert!(e.message.contains("502 Bad Gateway"));
        assert_eq!(e.body, "<html>Bad Gateway</html>");
    }
}
