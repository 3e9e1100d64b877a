//! What every API's control actions share (`POST /__mock/{api}/actions/...` and the webhook
//! registration of NexaDesk's dashboard): the refusal [`ActionError`], answered as
//! `{"error", "field"}` with its status, and [`route`], which reads the JSON body into the
//! action's input (naming the field at fault) and answers its output.
//!
//! Each API's actions module keeps only its actions; the body reading, the error shape and the
//! status handling are written once here.

use axum::{
    body::Bytes,
    extract::{State, rejection::BytesRejection},
    http::StatusCode,
    response::{IntoResponse, Response},
    routing::{MethodRouter, post},
};
use serde::{Serialize, de::DeserializeOwned};
use serde_json::json;

use crate::{body, encode::JsonBody, state::AppState};

/// Why an action was refused.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{field}: {message}")]
pub struct ActionError {
    /// 400 for bad input, 404 for something named that does not exist, 409 for a resource in
    /// the wrong state.
    pub status: u16,
    /// The input field at fault (`body` for the body as a whole).
    pub field: String,
    /// What is wrong.
    pub message: String,
}

impl ActionError {
    /// A refusal with `status`, naming `field`.
    pub fn new(status: u16, field: &str, message: impl Into<String>) -> ActionError {
        ActionError { status, field: field.to_owned(), message: message.into() }
    }

    /// 400 naming `field`.
    pub fn invalid(field: &str, message: impl Into<String>) -> ActionError {
        ActionError::new(400, field, message)
    }

    /// 409 naming `field` (the resource it names is in the wrong state).
    pub fn conflict(field: &str, message: impl Into<String>) -> ActionError {
        ActionError::new(409, field, message)
    }
}

impl From<body::BodyError> for ActionError {
    fn from(e: body::BodyError) -> ActionError {
        ActionError::invalid(&e.field, e.message)
    }
}

impl IntoResponse for ActionError {
    fn into_response(self) -> Response {
        let status = StatusCode::from_u16(self.status).unwrap_or(StatusCode::BAD_REQUEST);
        (status, JsonBody(json!({ "error": self.to_string(), "field": self.field }))).into_response()
    }
}

/// A `POST` route running `f` on the JSON body and answering `status` with its output.
pub fn route<I, O>(status: StatusCode, f: fn(&AppState, I) -> Result<O, ActionError>) -> MethodRouter<AppState>
where
    I: DeserializeOwned + Send + 'static,
    O: Serialize + Send + 'static,
{
    post(move |State(state): State<AppState>, bytes: Result<Bytes, BytesRejection>| async move {
        let input = bytes
            .map_err(|e| ActionError::invalid("body", e.body_text()))
            .and_then(|b| body::parse::<I>(&b).map_err(ActionError::from));
        match input.and_then(|input| f(&state, input)) {
            Ok(out) => (status, JsonBody(out)).into_response(),
            Err(e) => e.into_response(),
        }
    })
}
