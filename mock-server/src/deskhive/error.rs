//! Desk Hive's (Laravel's) flat error body: `{"message": "..."}`, and for validation 422
//! `{"message": "...", "errors": {"field": ["..."]}}` worded the way Laravel words it
//! (`The per_page field must be an integer.`). A 429 carries `Retry-After`, as Laravel's
//! throttle middleware sends it.

use std::collections::BTreeMap;

use axum::{
    Json,
    extract::rejection::{BytesRejection, JsonRejection, PathRejection, QueryRejection},
    http::{HeaderValue, StatusCode},
    response::{IntoResponse, Response},
};
use serde::Serialize;

use crate::{
    query::{FieldError, Problem},
    refusal::Refusal,
};

/// A Desk Hive error response.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DhError {
    /// HTTP status.
    pub status: StatusCode,
    /// `message`.
    pub message: String,
    /// `errors` (422 only).
    pub errors: Option<BTreeMap<String, Vec<String>>>,
    /// `Retry-After` seconds (429 only).
    pub retry_after: Option<u64>,
}

impl DhError {
    /// An error with a status and message.
    pub fn new(status: StatusCode, message: impl Into<String>) -> DhError {
        DhError { status, message: message.into(), errors: None, retry_after: None }
    }

    /// 404 `Not found.`
    pub fn not_found(message: impl Into<String>) -> DhError {
        DhError::new(StatusCode::NOT_FOUND, message)
    }
}

/// Laravel's wording of one field problem.
pub fn laravel_message(error: &FieldError) -> String {
    let f = &error.field;
    match &error.problem {
        Problem::NotInteger => format!("The {f} field must be an integer."),
        Problem::TooSmall(min) => format!("The {f} field must be at least {min}."),
        Problem::TooLarge(max) => format!("The {f} field must not be greater than {max}."),
        Problem::NotOneOf(_) => format!("The selected {f} is invalid."),
        Problem::NotUuid => format!("The {f} field must be a valid UUID."),
        Problem::NotDate => format!("The {f} field must be a valid date."),
        Problem::Other(text) => format!("The {f} field {text}."),
    }
}

impl From<Vec<FieldError>> for DhError {
    fn from(errors: Vec<FieldError>) -> DhError {
        let mut map: BTreeMap<String, Vec<String>> = BTreeMap::new();
        for e in &errors {
            map.entry(e.field.clone()).or_default().push(laravel_message(e));
        }
        let first = errors.first().map(laravel_message).unwrap_or_default();
        // Laravel: "<first message> (and N more error(s))".
        let message = match errors.len() {
            0 | 1 => first,
            2 => format!("{first} (and 1 more error)"),
            n => format!("{first} (and {} more errors)", n - 1),
        };
        DhError { errors: Some(map), ..DhError::new(StatusCode::UNPROCESSABLE_ENTITY, message) }
    }
}

impl From<FieldError> for DhError {
    fn from(error: FieldError) -> DhError {
        DhError::from(vec![error])
    }
}

impl From<Refusal> for DhError {
    fn from(refusal: Refusal) -> DhError {
        match refusal {
            Refusal::MissingKey => DhError::new(StatusCode::BAD_REQUEST, "API key is required."),
            // Laravel's auth failure message, whatever the reason.
            Refusal::Unauthorized(_) => DhError::new(StatusCode::UNAUTHORIZED, "Unauthenticated."),
            Refusal::Forbidden(message) => DhError::new(StatusCode::FORBIDDEN, message),
            Refusal::RateLimited { retry_after } => DhError {
                retry_after: Some(retry_after),
                ..DhError::new(StatusCode::TOO_MANY_REQUESTS, "Too Many Attempts.")
            },
            Refusal::Status(status) => {
                let message = match status.as_u16() {
                    500..=599 => "Server Error".to_owned(),
                    _ => status.canonical_reason().unwrap_or("Error").to_owned(),
                };
                DhError::new(status, message)
            }
            // Laravel names the route without the leading slash (and here without the prefix).
            Refusal::RouteNotFound { path, .. } => {
                let route = path.trim_start_matches("/deskhive/");
                DhError::not_found(format!("The route {route} could not be found."))
            }
            Refusal::MethodNotAllowed { method, path } => {
                let route = path.trim_start_matches("/deskhive/");
                DhError::new(
                    StatusCode::METHOD_NOT_ALLOWED,
                    format!("The {method} method is not supported for route {route}."),
                )
            }
        }
    }
}

/// The renderer the pipeline gets for Desk Hive.
pub fn render(refusal: Refusal) -> Response {
    DhError::from(refusal).into_response()
}

impl From<JsonRejection> for DhError {
    fn from(rejection: JsonRejection) -> DhError {
        let error = FieldError::new("body", Problem::Other(rejection.body_text()));
        DhError::from(error)
    }
}

/// A body that could not be read (over the 2 MiB limit: 413, as Laravel's `PostTooLargeException`)
/// still gets Laravel's `{"message"}`, never axum's plain-text rejection.
impl From<BytesRejection> for DhError {
    fn from(rejection: BytesRejection) -> DhError {
        DhError::new(rejection.status(), rejection.body_text())
    }
}

impl From<QueryRejection> for DhError {
    fn from(rejection: QueryRejection) -> DhError {
        DhError::from(FieldError::new("query", Problem::Other(rejection.body_text())))
    }
}

impl From<PathRejection> for DhError {
    fn from(_: PathRejection) -> DhError {
        DhError::not_found("Not found.")
    }
}

#[derive(Serialize)]
struct Envelope<'a> {
    message: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    errors: Option<&'a BTreeMap<String, Vec<String>>>,
}

impl IntoResponse for DhError {
    fn into_response(self) -> Response {
        // A struct keeps `message` first, as Laravel writes it (a json! map sorts keys).
        let body = Envelope { message: &self.message, errors: self.errors.as_ref() };
        let mut response = (self.status, Json(body)).into_response();
        if let Some(seconds) = self.retry_after {
            response.headers_mut().insert("retry-after", HeaderValue::from(seconds));
        }
        response
    }
}
