//! [`Refusal`]: why the request pipeline (or an injected fault) answers instead of the handler.
//!
//! A leaf on purpose: the pipeline produces refusals without knowing any API, and each API's
//! error type turns them into its own envelope (`From<Refusal>`), handed to the pipeline as a
//! plain function ([`Renderer`]). So the pipeline never names an API and no API module calls
//! back into the pipeline.

use axum::{http::StatusCode, response::Response};

/// A refusal, rendered in the API's own envelope by its [`Renderer`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Refusal {
    /// 400: Desk Hive without `X-API-KEY` (the other APIs answer a missing key with 401).
    MissingKey,
    /// 401 with a message.
    Unauthorized(String),
    /// 403 with a message (Origin blocked, read-only scope, missing permission).
    Forbidden(String),
    /// 429, retry after this many seconds.
    RateLimited {
        /// Seconds until a request would be accepted.
        retry_after: u64,
    },
    /// 404: no route of the API matches the path.
    RouteNotFound {
        /// The request method, e.g. `GET`.
        method: String,
        /// The full request path, prefix included.
        path: String,
    },
    /// 405: the path exists, the method does not.
    MethodNotAllowed {
        /// The request method.
        method: String,
        /// The full request path, prefix included.
        path: String,
    },
    /// Any status, from a fault: the API's generic error for that status.
    Status(StatusCode),
}

/// Renders a [`Refusal`] in one API's error envelope.
pub type Renderer = fn(Refusal) -> Response;
