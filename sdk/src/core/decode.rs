//! JSON decoding that names the field that failed.
//!
//! `serde_json` alone says "invalid type at line 1 column 4031"; through
//! `serde_path_to_error` the error names `data[17].created_at`, and the raw body is kept so the
//! caller can see what the server really sent. A date-time that lacks its offset (a common
//! server slip) is reported as such, with the expected RFC 3339 form and the value received.

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
        Err(e) => {
            let inner = e.inner().to_string();
            let message = match value_at(body, e.path()) {
                Some(serde_json::Value::String(text)) if looks_like_local_date_time(&text) => format!(
                    "expected an RFC 3339 date-time with an offset, such as `2026-03-15T10:30:00.000Z` or \
                     `2026-03-15T10:30:00+01:00`, but got `{text}` ({inner})"
                ),
                _ => inner,
            };
            failed(e.path().to_string(), message)
        }
        // The value decoded, so the first failure was trailing bytes after it.
        Ok(_) => failed(".".to_owned(), fast.to_string()),
    }
}

/// The JSON value at `path` in `body`, if the body is JSON and the path leads somewhere.
fn value_at(body: &[u8], path: &serde_path_to_error::Path) -> Option<serde_json::Value> {
    use serde_path_to_error::Segment;
    let mut value: serde_json::Value = serde_json::from_slice(body).ok()?;
    for segment in path.iter() {
        value = match segment {
            Segment::Seq { index } => value.as_array_mut()?.get_mut(*index)?.take(),
            Segment::Map { key } => value.as_object_mut()?.remove(key)?,
            Segment::Enum { .. } => value,
            Segment::Unknown => return None,
        };
    }
    Some(value)
}

/// A date and a time of day with no offset (`2026-03-15T10:30:00.000`): the shape a server
/// sends when it forgets the `Z`. Such text is not an instant, so it fails to decode as one;
/// the error then says which form was expected instead of chrono's "premature end of input".
fn looks_like_local_date_time(text: &str) -> bool {
    chrono::DateTime::parse_from_rfc3339(text).is_err()
        && ["%Y-%m-%dT%H:%M:%S%.f", "%Y-%m-%d %H:%M:%S%.f", "%Y-%m-%dT%H:%M"]
            .iter()
            .any(|format| chrono::NaiveDateTime::parse_from_str(text, format).is_ok())
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
    fn a_date_time_without_offset_names_the_field_the_expected_form_and_the_value() {
        let body = br#"{"data":[{"id":1,"when":"2026-03-15T10:30:00.000"}]}"#;
        let Error::Decode(d) = decode_json::<Env>(200, body).unwrap_err() else { panic!("expected a decode error") };
        assert_eq!(d.path, "data[0].when");
        assert!(d.message.contains("RFC 3339"), "{}", d.message);
        assert!(d.message.contains("offset"), "{}", d.message);
        assert!(d.message.contains("`2026-03-15T10:30:00.000`"), "{}", d.message);
        // Other bad values keep serde's own message.
        let body = br#"{"data":[{"id":1,"when":"yesterday"}]}"#;
        let Error::Decode(d) = decode_json::<Env>(200, body).unwrap_err() else { panic!("expected a decode error") };
        assert!(!d.message.contains("RFC 3339"), "{}", d.message);
    }

    #[test]
    fn trailing_garbage_is_an_error() {
        assert!(decode_json::<Env>(200, br#"{"data":[]} x"#).is_err());
    }
}
