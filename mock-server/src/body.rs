//! Reading JSON request bodies into typed values with errors that name the offending field,
//! for the Data API's writes (`VALIDATION_ERROR` with `details[].field`) and the control API's
//! actions alike.
//!
//! Inputs are ordinary `#[derive(Deserialize)]` structs with `deny_unknown_fields`, so the
//! Rust API of the mock and the HTTP body share one definition. serde names the field itself
//! for unknown and missing fields; for a value of the wrong type it does not (`from_value`
//! has no path), so [`parse`] finds the culprit by taking keys out one at a time until the
//! error goes away or turns into "missing field" for that key, and failing that (another
//! required field is missing too) by the shortest prefix of keys that gives the same error.
//! That costs a few extra decodes
//! on the error path only, and avoids a path-tracking dependency.

use serde::{Deserialize, Deserializer, de::DeserializeOwned};
use serde_json::{Map, Value};

/// A body problem: the field (`body` for the body as a whole) and what is wrong with it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BodyError {
    /// The offending field.
    pub field: String,
    /// What is wrong, without the field name.
    pub message: String,
}

impl BodyError {
    /// A problem with `field`.
    pub fn new(field: impl Into<String>, message: impl Into<String>) -> BodyError {
        BodyError { field: field.into(), message: message.into() }
    }
}

/// Parses `bytes` as a JSON object into `T`.
pub fn parse<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, BodyError> {
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(BodyError::new("body", "a JSON object is required"));
    }
    let value: Value =
        serde_json::from_slice(bytes).map_err(|e| BodyError::new("body", format!("is not valid JSON ({e})")))?;
    let Value::Object(map) = value else {
        return Err(BodyError::new("body", "must be a JSON object"));
    };
    serde_json::from_value(Value::Object(map.clone())).map_err(|e| blame::<T>(&map, &e.to_string()))
}

/// Deserializes a field that may be absent (`None`), `null` (`Some(None)`) or a value
/// (`Some(Some(v))`): use with `#[serde(default, deserialize_with = "body::present")]` where
/// "leave alone" and "clear" differ.
pub fn present<'de, D, T>(d: D) -> Result<Option<Option<T>>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de>,
{
    Option::<T>::deserialize(d).map(Some)
}

fn quoted_after<'a>(text: &'a str, marker: &str) -> Option<&'a str> {
    let rest = &text[text.find(marker)? + marker.len()..];
    rest.split('`').next()
}

fn blame<T: DeserializeOwned>(map: &Map<String, Value>, error: &str) -> BodyError {
    if let Some(field) = quoted_after(error, "unknown field `") {
        let expected = error.split_once(", expected ").map_or(String::new(), |(_, e)| format!(" (expected {e})"));
        return BodyError::new(field, format!("is not a known field{expected}"));
    }
    if let Some(field) = quoted_after(error, "missing field `") {
        return BodyError::new(field, "is required");
    }
    for key in map.keys() {
        let mut rest = map.clone();
        rest.remove(key);
        match serde_json::from_value::<T>(Value::Object(rest)) {
            Ok(_) => return BodyError::new(key.clone(), error),
            Err(e) if e.to_string().starts_with(&format!("missing field `{key}`")) => {
                return BodyError::new(key.clone(), error);
            }
            Err(_) => {}
        }
    }
    // Taking one key out did not settle it: another field is missing too (its "missing field"
    // error then hides the culprit's). serde visits an object's keys in order and stops at the
    // first bad value, so the shortest prefix of keys that gives the same error ends with it.
    let mut prefix = Map::new();
    for (key, value) in map {
        prefix.insert(key.clone(), value.clone());
        if let Err(e) = serde_json::from_value::<T>(Value::Object(prefix.clone()))
            && e.to_string() == error
        {
            return BodyError::new(key.clone(), error);
        }
    }
    BodyError::new("body", error)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, Deserialize, PartialEq)]
    #[serde(deny_unknown_fields)]
    struct Input {
        name: String,
        #[serde(default)]
        count: Option<u32>,
        #[serde(default, deserialize_with = "present")]
        notes: Option<Option<String>>,
    }

    fn field(body: &str) -> String {
        parse::<Input>(body.as_bytes()).map(|_| String::new()).unwrap_or_else(|e| e.field)
    }

    #[test]
    fn names_the_offending_field() {
        assert_eq!(field(r#"{"name": "a", "colour": 1}"#), "colour");
        assert_eq!(field(r#"{"count": 1}"#), "name");
        assert_eq!(field(r#"{"name": 5}"#), "name");
        assert_eq!(field(r#"{"name": "a", "count": "x"}"#), "count");
        assert_eq!(field(r#"{"name": "a", "count": -1}"#), "count");
        assert_eq!(field(r#"{"count": "x"}"#), "count", "named even when a required field is missing too");
        assert_eq!(field(r#"{"count": 1, "notes": 5}"#), "notes");
        for whole in ["", "  ", "[1]", "nope", "\"x\""] {
            assert_eq!(field(whole), "body", "{whole:?}");
        }
        let err = parse::<Input>(br#"{"name": "a", "colour": 1}"#).unwrap_err();
        assert!(err.message.contains("expected"), "{}", err.message);
    }

    #[test]
    fn tells_absent_from_null() {
        let absent: Input = parse(br#"{"name": "a"}"#).unwrap();
        let null: Input = parse(br#"{"name": "a", "notes": null}"#).unwrap();
        let set: Input = parse(br#"{"name": "a", "notes": "hi"}"#).unwrap();
        assert_eq!((absent.notes, null.notes, set.notes), (None, Some(None), Some(Some("hi".to_owned()))));
    }
}
