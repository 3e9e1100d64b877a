//! Telling NexaDesk's errors apart. The API's error body is a bare message
//! (`{"success": false, "error": "..."}`, no code), so the kind comes from the status the
//! getting-started document lists: 400 validation, 401 key, 403 scope (or IP allow-list),
//! 404 not found, 409 conflict (duplicate), 429 rate limited.

use crate::core::error::Error;

/// What kind of failure a NexaDesk call met.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum NexaDeskErrorKind {
    /// Refused before sending: an argument broke a documented limit.
    InvalidArgument,
    /// 400: the API refused a field (the message names it).
    Validation,
    /// 401: missing, unknown or revoked key.
    Unauthorized,
    /// 403: the key lacks the scope (a `read` key writing) or the IP is not allowed.
    Scope,
    /// 404: no such resource in the key's workspace.
    NotFound,
    /// 409: a duplicate, e.g. a contact email already in use.
    Conflict,
    /// 429: rate limited (100 requests per minute per key).
    RateLimited,
    /// Anything else: 5xx, transport, decoding.
    Other,
}

impl NexaDeskErrorKind {
    /// The kind of `error`.
    ///
    /// ```
    /// use deskapi::nexadesk::NexaDeskErrorKind;
    /// # fn check(error: &deskapi::Error) {
    /// if NexaDeskErrorKind::of(error) == NexaDeskErrorKind::Conflict {
    ///     // The email exists: update that contact instead.
    /// }
    /// # }
    /// ```
    pub fn of(error: &Error) -> NexaDeskErrorKind {
        if matches!(error, Error::InvalidArgument { .. }) {
            return NexaDeskErrorKind::InvalidArgument;
        }
        match error.status() {
            Some(400) => NexaDeskErrorKind::Validation,
            Some(401) => NexaDeskErrorKind::Unauthorized,
            Some(403) => NexaDeskErrorKind::Scope,
            Some(404) => NexaDeskErrorKind::NotFound,
            Some(409) => NexaDeskErrorKind::Conflict,
            Some(429) => NexaDeskErrorKind::RateLimited,
            _ => NexaDeskErrorKind::Other,
        }
    }
}
