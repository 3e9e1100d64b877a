//! API keys as a secret type.
//!
//! A key grants server-to-server access to an organisation's data, so it must never reach a
//! log line, a panic message or an error string by accident. [`ApiKey`] keeps the key private
//! behind a type whose `Debug` and `Display` print only a redacted form, and the transport marks
//! the header value as sensitive so the HTTP stack does not log it either.

use std::fmt;

use crate::api_kind::ApiKind;

/// An API key whose `Debug`/`Display` output never contains the key.
///
/// ```
/// use deskapi::ApiKey;
/// let key = ApiKey::new("sk_live_0123456789abcdef");
/// assert_eq!(format!("{key:?}"), "ApiKey(sk_live_…redacted)");
/// ```
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct ApiKey(Box<str>);

impl ApiKey {
    /// Wraps a key. Nothing is checked here: each client checks the key's shape when it is built.
    pub fn new(key: impl Into<String>) -> Self {
        Self(key.into().into_boxed_str())
    }

    /// The key itself. Crate-private: only the transport needs it, to set the auth header.
    pub(crate) fn expose(&self) -> &str {
        &self.0
    }

    /// The documented prefix the key starts with, if any (safe to print).
    pub fn known_prefix(&self) -> Option<&'static str> {
        // Prefixes are safe to show: they identify the kind of key, not the key.
        ApiKind::ALL.into_iter().filter_map(ApiKind::key_prefix).find(|p| self.0.starts_with(p))
    }
}

impl fmt::Debug for ApiKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "ApiKey({}…redacted)", self.known_prefix().unwrap_or(""))
    }
}

impl fmt::Display for ApiKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}…redacted", self.known_prefix().unwrap_or(""))
    }
}

impl From<&str> for ApiKey {
    fn from(key: &str) -> Self {
        Self::new(key)
    }
}

impl From<String> for ApiKey {
    fn from(key: String) -> Self {
        Self::new(key)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_and_display_never_show_the_key() {
        for raw in ["sk_live_SECRETSECRET", "nextcap_ck_SECRETSECRET", "fc_live_SECRETSECRET", "SECRETSECRET"] {
            let key = ApiKey::new(raw);
            let shown = format!("{key:?} {key} {:?}", Some(&key));
            assert!(!shown.contains("SECRETSECRET"), "{shown}");
            assert!(shown.contains("redacted"));
        }
    }

    #[test]
    fn known_prefix_is_reported() {
        assert_eq!(ApiKey::new("fc_live_x").known_prefix(), Some("fc_live_"));
        assert_eq!(ApiKey::new("abc").known_prefix(), None);
    }
}
