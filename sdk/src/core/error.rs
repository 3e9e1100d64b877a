//! The one error type every call returns.
//!
//! Callers match on *what went wrong*, not on which API they talked to: an API refusal
//! ([`ApiError`], with each vendor's envelope already decoded), a body that did not match the
//! model ([`DecodeError`], naming the field path and keeping the raw body), a transport failure,
//! a spent deadline, or an argument rejected before anything was sent.

use std::fmt;
use std::time::Duration;

use crate::api_kind::ApiKind;

/// Everything that can go wrong in a call.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The API answered with an error status (its envelope decoded into [`ApiError`]).
    #[error(transparent)]
    Api(Box<ApiError>),
    /// The API answered with success, but the body did not match the expected shape.
    #[error(transparent)]
    Decode(Box<DecodeError>),
    /// The request could not be sent or its response could not be read.
    #[error("transport error: {0}")]
    Transport(#[source] reqwest::Error),
    /// Time ran out: the call's total deadline (retries and waits included) passed, or the
    /// last attempt hit the per-attempt timeout, before the headers or while the body stalled.
    #[error("the call did not finish within its time limit of {deadline:?}")]
    Timeout {
        /// The limit that ran out: the call's deadline, or the per-attempt timeout.
        deadline: Duration,
    },
    /// A list walk (`.pages()` / `.stream()`) could not get every page the server promised:
    /// a page's envelope contradicted the request (another page number than the one asked
    /// for, a cursor seen before, more pages promised without a cursor to reach them, or a run
    /// of empty pages that never ends). Everything received before was yielded; this error
    /// comes last, so a walk never ends cleanly while data is missing.
    #[error("the list is incomplete after {pages} page(s): {reason}")]
    IncompleteList {
        /// Pages yielded before the walk stopped.
        pages: u64,
        /// What the server sent that made the rest unreachable.
        reason: String,
    },
    /// An argument was rejected before any request was sent.
    #[error("invalid argument `{name}`: {message}")]
    InvalidArgument {
        /// The argument's name (a builder setter or constructor parameter).
        name: String,
        /// What is wrong with it.
        message: String,
    },
}

impl Error {
    pub(crate) fn invalid(name: impl Into<String>, message: impl Into<String>) -> Self {
        Error::InvalidArgument { name: name.into(), message: message.into() }
    }

    /// The API error, if this is one.
    pub fn as_api(&self) -> Option<&ApiError> {
        match self {
            Error::Api(e) => Some(e),
            _ => None,
        }
    }

    /// The HTTP status of an API error.
    pub fn status(&self) -> Option<u16> {
        self.as_api().map(|e| e.status)
    }
}

/// One field-level complaint inside an API error.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FieldError {
    /// The field the API complained about.
    pub field: String,
    /// The API's message for it.
    pub message: String,
}

/// An error response from an API, decoded from that API's own envelope.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct ApiError {
    /// Which API answered.
    pub api: ApiKind,
    /// HTTP status code.
    pub status: u16,
    /// Machine-readable code (Next Cap only, e.g. `VALIDATION_ERROR`).
    pub code: Option<String>,
    /// Human-readable message; for a body that is not the API's envelope, a summary of it.
    pub message: String,
    /// Field-level details (Next Cap `details`, Desk Hive `errors`).
    pub details: Vec<FieldError>,
    /// How long the API asked us to wait (`Retry-After` header or the body's `retryAfter`).
    pub retry_after: Option<Duration>,
    /// The request id the API returned, if any (`X-Request-Id`).
    pub request_id: Option<String>,
    /// The raw response body, as received.
    pub body: String,
}

impl ApiError {
    /// True for 429 Too Many Requests.
    pub fn is_rate_limited(&self) -> bool {
        self.status == 429
    }
    /// True for 404 Not Found.
    pub fn is_not_found(&self) -> bool {
        self.status == 404
    }
    /// True for 401 Unauthorized.
    pub fn is_unauthorized(&self) -> bool {
        self.status == 401
    }
    /// True for 403 Forbidden.
    pub fn is_forbidden(&self) -> bool {
        self.status == 403
    }
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} API error {}", self.api, self.status)?;
        if let Some(code) = &self.code {
            write!(f, " {code}")?;
        }
        write!(f, ": {}", self.message)?;
        for d in &self.details {
            write!(f, "; {}: {}", d.field, d.message)?;
        }
        Ok(())
    }
}

impl std::error::Error for ApiError {}

/// A success response whose body did not match the model.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct DecodeError {
    /// HTTP status of the response.
    pub status: u16,
    /// Path to the offending field, e.g. `data[3].created_at` (`.` for the whole body).
    pub path: String,
    /// What serde said about it.
    pub message: String,
    /// The raw response body, as received.
    pub body: String,
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "could not decode the response at `{}`: {}", self.path, self.message)
    }
}

impl std::error::Error for DecodeError {}

/// Shorthand for `std::result::Result<T, deskapi::Error>`.
pub type Result<T, E = Error> = std::result::Result<T, E>;
