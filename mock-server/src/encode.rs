//! JSON response bodies, encoded in one pass into one buffer.
//!
//! axum's `Json` serializes into a small `BytesMut` that grows as it goes, one `put_slice`
//! per token; a profile of the mock under load showed that growing and copying as a large
//! share of its time. Responses here are a few KiB to a few hundred KiB, so serializing into a
//! `Vec` that starts large enough for a typical page, and handing that `Vec` to the body
//! without a copy, does the same work with one or two allocations.

use axum::{
    body::Body,
    http::{HeaderValue, StatusCode, header},
    response::{IntoResponse, Response},
};
use bytes::Bytes;
use serde::Serialize;

/// Big enough for a default page of most resources in one allocation.
const INITIAL_CAPACITY: usize = 16 * 1024;

/// A JSON response body (`Content-Type: application/json`), encoded in one pass (named apart
/// from `axum::Json`, which the error renderers still use for their small bodies).
#[derive(Clone, Copy, Debug, Default)]
pub struct JsonBody<T>(pub T);

/// An encoded JSON body, or the error of a `Serialize` impl that failed.
pub type Encoded = Result<Bytes, serde_json::Error>;

impl<T: Serialize> JsonBody<T> {
    /// The encoded body.
    pub fn encode(&self) -> Encoded {
        let mut buf = Vec::with_capacity(INITIAL_CAPACITY);
        serde_json::to_writer(&mut buf, &self.0)?;
        Ok(Bytes::from(buf))
    }
}

impl<T: Serialize> IntoResponse for JsonBody<T> {
    fn into_response(self) -> Response {
        match self.encode() {
            Ok(body) => json_response(body),
            Err(e) => encoding_failed(&e),
        }
    }
}

/// A 200 with an already encoded JSON body.
pub fn json_response(body: Bytes) -> Response {
    let mut response = Response::new(Body::from(body));
    response.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("application/json"));
    response
}

/// The answer when encoding failed. Only a `Serialize` impl that fails on purpose (or a map
/// with non-string keys) gets here; the store has neither. Still an answer, never a panic.
pub fn encoding_failed(e: &serde_json::Error) -> Response {
    (StatusCode::INTERNAL_SERVER_ERROR, format!("response encoding failed: {e}")).into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn encodes_with_the_json_content_type() {
        let response = JsonBody(serde_json::json!({"data": [1, 2], "meta": {"page": 1}})).into_response();
        assert_eq!(response.headers()[header::CONTENT_TYPE], "application/json");
        let body = axum::body::to_bytes(response.into_body(), usize::MAX).await.unwrap();
        assert_eq!(&body[..], br#"{"data":[1,2],"meta":{"page":1}}"#);
    }
}
