//! Next Cap's error envelope, for every failure a Next Cap route can produce:
//! `{"success": false, "error": {"code", "message", "details"?: [{field, message}], "retryAfter"?}}`.
//!
//! Documented codes: `VALIDATION_ERROR` (400), `UNAUTHORIZED` (401), `RATE_LIMITED` (429, with
//! `retryAfter` in seconds and no `Retry-After` header, which Next Cap does not document).
//! Undocumented statuses use the natural codes `FORBIDDEN`, `NOT_FOUND`, `METHOD_NOT_ALLOWED`,
//! `CONFLICT` and `INTERNAL_ERROR`. axum extractor rejections map to `VALIDATION_ERROR` so bad
//! input never yields a plain-text 4xx or a 500.

use axum::{
    Json,
    extract::rejection::{JsonRejection, PathRejection, QueryRejection},
    http::StatusCode,
    response::{IntoResponse, Response},
};
use serde::Serialize;

use crate::{body::BodyError, query::FieldError, refusal::Refusal};

/// One `details` entry.
#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
pub struct Detail {
    /// Offending field.
    pub field: String,
    /// What is wrong.
    pub message: String,
}

/// A Next Cap error response.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NcError {
    /// HTTP status.
    pub status: StatusCode,
    /// Machine-readable code.
    pub code: &'static str,
    /// Human-readable message.
    pub message: String,
    /// Field errors (validation only).
    pub details: Vec<Detail>,
    /// Seconds to wait (429 only).
    pub retry_after: Option<u64>,
}

impl NcError {
    fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> NcError {
        NcError { status, code, message: message.into(), details: Vec::new(), retry_after: None }
    }

    /// Any status with the code [`NcError::code_for`] gives it (409 `CONFLICT`, 413
    /// `PAYLOAD_TOO_LARGE`, 415 `VALIDATION_ERROR`, ...).
    pub fn status(status: StatusCode, message: impl Into<String>) -> NcError {
        NcError::new(status, NcError::code_for(status), message)
    }

    /// 404 `NOT_FOUND`.
    pub fn not_found(message: impl Into<String>) -> NcError {
        NcError::new(StatusCode::NOT_FOUND, "NOT_FOUND", message)
    }

    /// 401 `UNAUTHORIZED`.
    pub fn unauthorized(message: impl Into<String>) -> NcError {
        NcError::new(StatusCode::UNAUTHORIZED, "UNAUTHORIZED", message)
    }

    /// 403 `FORBIDDEN`.
    pub fn forbidden(message: impl Into<String>) -> NcError {
        NcError::new(StatusCode::FORBIDDEN, "FORBIDDEN", message)
    }

    /// 400 `VALIDATION_ERROR` naming one field that is not in the query (e.g. the body).
    pub fn invalid(field: &str, message: impl Into<String>) -> NcError {
        let message = message.into();
        NcError {
            details: vec![Detail { field: field.to_owned(), message: message.clone() }],
            ..NcError::new(StatusCode::BAD_REQUEST, "VALIDATION_ERROR", format!("{field}: {message}"))
        }
    }

    /// The code Next Cap would use for `status`.
    pub fn code_for(status: StatusCode) -> &'static str {
        match status.as_u16() {
            // 415 too: a body of the wrong type is bad input, and the envelope has no other code.
            400 | 415 | 422 => "VALIDATION_ERROR",
            401 => "UNAUTHORIZED",
            403 => "FORBIDDEN",
            404 => "NOT_FOUND",
            405 => "METHOD_NOT_ALLOWED",
            409 => "CONFLICT",
            413 => "PAYLOAD_TOO_LARGE",
            429 => "RATE_LIMITED",
            503 => "SERVICE_UNAVAILABLE",
            _ => "INTERNAL_ERROR",
        }
    }
}

impl From<Vec<FieldError>> for NcError {
    fn from(errors: Vec<FieldError>) -> NcError {
        let details: Vec<Detail> =
            errors.iter().map(|e| Detail { field: e.field.clone(), message: e.message() }).collect();
        let message = details.iter().map(|d| format!("{}: {}", d.field, d.message)).collect::<Vec<_>>().join("; ");
        NcError { details, ..NcError::new(StatusCode::BAD_REQUEST, "VALIDATION_ERROR", message) }
    }
}

impl From<FieldError> for NcError {
    fn from(error: FieldError) -> NcError {
        NcError::from(vec![error])
    }
}

impl From<Refusal> for NcError {
    fn from(refusal: Refusal) -> NcError {
        match refusal {
            Refusal::MissingKey => NcError::unauthorized("Missing API key"),
            Refusal::Unauthorized(message) => NcError::unauthorized(message),
            Refusal::Forbidden(message) => NcError::forbidden(message),
            Refusal::RateLimited { retry_after } => NcError {
                retry_after: Some(retry_after),
                ..NcError::new(
                    StatusCode::TOO_MANY_REQUESTS,
                    "RATE_LIMITED",
                    format!("Rate limit exceeded. Retry in {retry_after} seconds."),
                )
            },
            Refusal::RouteNotFound { method, path } => NcError::not_found(format!("Route {method} {path} not found")),
            Refusal::MethodNotAllowed { method, path } => NcError::new(
                StatusCode::METHOD_NOT_ALLOWED,
                "METHOD_NOT_ALLOWED",
                format!("Method {method} is not allowed on {path}"),
            ),
            Refusal::Status(status) => {
                NcError::new(status, NcError::code_for(status), status.canonical_reason().unwrap_or("Error"))
            }
        }
    }
}

/// The renderer the pipeline gets for both Next Cap specs.
pub fn render(refusal: Refusal) -> Response {
    NcError::from(refusal).into_response()
}

impl From<BodyError> for NcError {
    fn from(error: BodyError) -> NcError {
        NcError::invalid(&error.field, error.message)
    }
}

impl From<JsonRejection> for NcError {
    fn from(rejection: JsonRejection) -> NcError {
        NcError::invalid("body", rejection.body_text())
    }
}

impl From<QueryRejection> for NcError {
    fn from(rejection: QueryRejection) -> NcError {
        NcError::invalid("query", rejection.body_text())
    }
}

impl From<PathRejection> for NcError {
    fn from(_: PathRejection) -> NcError {
        // A path that cannot even be decoded names nothing that exists.
        NcError::not_found("Resource not found")
    }
}

#[derive(Serialize)]
struct Envelope<'a> {
    success: bool,
    error: Body<'a>,
}

#[derive(Serialize)]
struct Body<'a> {
    code: &'a str,
    message: &'a str,
    #[serde(skip_serializing_if = "<[Detail]>::is_empty")]
    details: &'a [Detail],
    #[serde(rename = "retryAfter", skip_serializing_if = "Option::is_none")]
    retry_after: Option<u64>,
}

impl IntoResponse for NcError {
    fn into_response(self) -> Response {
        let body = Envelope {
            success: false,
            error: Body {
                code: self.code,
                message: &self.message,
                details: &self.details,
                retry_after: self.retry_after,
            },
        };
        (self.status, Json(body)).into_response()
    }
}
