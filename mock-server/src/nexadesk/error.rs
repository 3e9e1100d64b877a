//! NexaDesk's error envelope: `{"success": false, "error": "<message>"}`, a plain string with
//! no code. Validation errors read `"<field>: <message>"` so the field is still named.
//! A 429 carries `Retry-After` (seconds), as the vendor documents.

use axum::{
    Json,
    extract::rejection::{BytesRejection, JsonRejection, PathRejection, QueryRejection},
    http::{HeaderValue, StatusCode},
    response::{IntoResponse, Response},
};
use serde::Serialize;

use crate::{body::BodyError, query::FieldError, refusal::Refusal, store::nexadesk::WriteError};

/// A NexaDesk error response.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NdError {
    /// HTTP status.
    pub status: StatusCode,
    /// The `error` string.
    pub message: String,
    /// `Retry-After` seconds (429 only).
    pub retry_after: Option<u64>,
}

impl NdError {
    /// An error with a status and message.
    pub fn new(status: StatusCode, message: impl Into<String>) -> NdError {
        NdError { status, message: message.into(), retry_after: None }
    }

    /// 400 naming a field.
    pub fn invalid(field: &str, message: &str) -> NdError {
        NdError::new(StatusCode::BAD_REQUEST, format!("{field}: {message}"))
    }
}

impl NdError {
    /// 404 for a row of this noun (`Lead`, `Contact`, `Conversation`).
    pub fn not_found(noun: &str) -> NdError {
        NdError::new(StatusCode::NOT_FOUND, format!("{noun} not found"))
    }
}

impl From<BodyError> for NdError {
    fn from(error: BodyError) -> NdError {
        NdError::invalid(&error.field, &error.message)
    }
}

/// A body that could not be read (over the 2 MiB limit: 413) still gets the envelope, never
/// axum's plain-text rejection.
impl From<BytesRejection> for NdError {
    fn from(rejection: BytesRejection) -> NdError {
        NdError::new(rejection.status(), format!("body: {}", rejection.body_text()))
    }
}

impl From<WriteError> for NdError {
    fn from(error: WriteError) -> NdError {
        match error {
            WriteError::Invalid { field, message } => NdError::invalid(&field, &message),
            WriteError::NotFound(noun) => NdError::not_found(noun),
            WriteError::Conflict(message) => NdError::new(StatusCode::CONFLICT, message),
        }
    }
}

impl From<FieldError> for NdError {
    fn from(error: FieldError) -> NdError {
        NdError::invalid(&error.field, &error.message())
    }
}

impl From<Vec<FieldError>> for NdError {
    /// NexaDesk reports one problem at a time: the first.
    fn from(errors: Vec<FieldError>) -> NdError {
        errors.into_iter().next().map_or_else(|| NdError::new(StatusCode::BAD_REQUEST, "Bad request"), NdError::from)
    }
}

impl From<Refusal> for NdError {
    fn from(refusal: Refusal) -> NdError {
        match refusal {
            Refusal::MissingKey => NdError::new(StatusCode::UNAUTHORIZED, "Missing API key"),
            Refusal::Unauthorized(message) => NdError::new(StatusCode::UNAUTHORIZED, message),
            Refusal::Forbidden(message) => NdError::new(StatusCode::FORBIDDEN, message),
            Refusal::RateLimited { retry_after } => NdError {
                retry_after: Some(retry_after),
                ..NdError::new(StatusCode::TOO_MANY_REQUESTS, "Rate limit exceeded")
            },
            Refusal::RouteNotFound { method, path } => {
                NdError::new(StatusCode::NOT_FOUND, format!("Not found: {method} {path}"))
            }
            Refusal::MethodNotAllowed { method, path } => {
                NdError::new(StatusCode::METHOD_NOT_ALLOWED, format!("Method {method} not allowed on {path}"))
            }
            Refusal::Status(status) => NdError::new(status, status.canonical_reason().unwrap_or("Error")),
        }
    }
}

/// The renderer the pipeline gets for NexaDesk.
pub fn render(refusal: Refusal) -> Response {
    NdError::from(refusal).into_response()
}

impl From<JsonRejection> for NdError {
    fn from(rejection: JsonRejection) -> NdError {
        NdError::invalid("body", &rejection.body_text())
    }
}

impl From<QueryRejection> for NdError {
    fn from(rejection: QueryRejection) -> NdError {
        NdError::invalid("query", &rejection.body_text())
    }
}

impl From<PathRejection> for NdError {
    fn from(_: PathRejection) -> NdError {
        NdError::new(StatusCode::NOT_FOUND, "Not found")
    }
}

#[derive(Serialize)]
struct Envelope<'a> {
    success: bool,
    error: &'a str,
}

impl IntoResponse for NdError {
    fn into_response(self) -> Response {
        // A struct keeps `success` first on the wire (a json! map would sort the keys).
        let body = Envelope { success: false, error: &self.message };
        let mut response = (self.status, Json(body)).into_response();
        if let Some(seconds) = self.retry_after {
            response.headers_mut().insert("retry-after", HeaderValue::from(seconds));
        }
        response
    }
}
