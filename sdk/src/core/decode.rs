//! JSON decoding that names the field that failed.
//!
//! `serde_json` alone says "invalid type at line 1 column 4031"; through
//! `serde_path_to_error` the error names `data[17].created_at`, and the raw body is kept so the
//! caller can see what the server really sent.

use serde::de::DeserializeOwned;

use super::error::{DecodeError, Error, Result};

/// Decodes `body` as `T`; on failure the error names the path and keeps the body.
///
/// The fast path is plain `serde_json`; only when it fails is the body decoded a second time
/// through `serde_path_to_error` to find the path. Tracking the path costs time on every
/// field, and a success (nearly every response) has no use for it.
pub(crate) fn decode_json<T: DeserializeOwned>(status: u16, body: &[u8]) -> Result<T> {
    match serde_json::from_slice(body) {
        Ok(value) => Ok(value),
        Err(fast) => Err(locate_failure::<T>(status, body, fast)),
    }
}

#[cold]
fn locate_failure<T: DeserializeOwned>(status: u16, body: &[u8], fast: serde_json::Error) -> Error {
    let failed = |path: String, message: String| {
        Error::Decode(Box::new(DecodeError { status, path, message, body: String::from_utf8_lossy(body).into_owned() }))
    };
    let mut de = serde_json::Deserializer::from_slice(body);
    match serde_path_to_error::deserialize::<_, T>(&mut de) {
        Err(e) => failed(e.path().to_string(), e.inner().to_string()),
        // The value decoded, so the first failure was trailing bytes after it.
        Ok(_) => failed(".".to_owned(), fast.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    #[derive(Debug, Deserialize)]
    #[allow(dead_code)]
    struct Item {
        id: u32,
        when: chrono::DateTime<chrono::Utc>,
    }
    #[derive(Debug, Deserialize)]
    #[allow(dead_code)]
    struct Env {
        data: Vec<Item>,
    }

    #[test]
    fn failure_names_the_path_and_keeps_the_body() {
        let body = br#"{"data":[{"id":1,"when":"2026-01-01T00:00:00Z"},{"id":2,"when":"yesterday"}]}"#;
        let err = decode_json::<Env>(200, body).unwrap_err();
        let Error::Decode(d) = err else { panic!("expected a decode error") };
        assert_eq!(d.path, "data[1].when");
        assert_eq!(d.body.as_bytes(), body);
        assert_eq!(d.status, 200);
    }

    #[test]
    fn trailing_garbage_is_an_error() {
        assert!(decode_json::<Env>(200, br#"{"data":[]} x"#).is_err());
    }
}
