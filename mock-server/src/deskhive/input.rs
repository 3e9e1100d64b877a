//! Request input the Laravel way: a JSON body read into a map (a body that is not a JSON
//! object counts as no input, as `$request->all()` sees it), strings trimmed and empty strings
//! turned into null (Laravel's `TrimStrings` and `ConvertEmptyStringsToNull` middleware), and
//! each rule a function returning a [`FieldError`] the error module words as Laravel does.
//! Also the pagination parameters every list shares.

use serde_json::{Map, Value};

use crate::query::{FieldError, Problem, QueryParams, Validator};

/// Largest `per_page` (undocumented; our decision, the common Laravel cap).
pub const MAX_PER_PAGE: i64 = 100;

/// `page` and `per_page` of a list, checked: `(page, per_page, offset)`.
pub fn paging(q: &QueryParams<'_>, v: &mut Validator, default_per_page: i64) -> (usize, usize, usize) {
    let per_page = v.check(q.int("per_page", default_per_page, 1, MAX_PER_PAGE)).unwrap_or(default_per_page);
    let page = v.check(q.int("page", 1, 1, i64::MAX)).unwrap_or(1);
    let per_page = usize::try_from(per_page).unwrap_or(1);
    let page = usize::try_from(page).unwrap_or(usize::MAX);
    (page, per_page, (page - 1).saturating_mul(per_page))
}

/// A request body as Laravel's input bag.
#[derive(Debug, Default)]
pub struct Input {
    fields: Map<String, Value>,
}

fn other(field: &str, text: &str) -> FieldError {
    FieldError::new(field, Problem::Other(text.to_owned()))
}

impl Input {
    /// Reads a body; anything but a JSON object is no input.
    pub fn parse(bytes: &[u8]) -> Input {
        match serde_json::from_slice::<Value>(bytes) {
            Ok(Value::Object(fields)) => Input { fields: fields.into_iter().map(|(k, v)| (k, normalise(v))).collect() },
            _ => Input::default(),
        }
    }

    /// The field as sent (after trimming), `None` when absent.
    fn get(&self, name: &str) -> Option<&Value> {
        self.fields.get(name)
    }

    /// `required|string`: present, not null, a string.
    pub fn required_string(&self, name: &str) -> Result<String, FieldError> {
        match self.get(name) {
            None | Some(Value::Null) => Err(other(name, "is required")),
            Some(Value::String(s)) => Ok(s.clone()),
            Some(_) => Err(other(name, "must be a string")),
        }
    }

    /// `sometimes|string|max:N`: absent is `None`; null or not a string fails.
    pub fn string_max(&self, name: &str, max: usize) -> Result<Option<String>, FieldError> {
        match self.get(name) {
            None => Ok(None),
            Some(Value::String(s)) => max_chars(name, s, max).map(Some),
            Some(_) => Err(other(name, "must be a string")),
        }
    }

    /// `sometimes|nullable|string|max:N`: absent `None`, null `Some(None)`.
    pub fn nullable_string_max(&self, name: &str, max: usize) -> Result<Option<Option<String>>, FieldError> {
        match self.get(name) {
            None => Ok(None),
            Some(Value::Null) => Ok(Some(None)),
            Some(Value::String(s)) => max_chars(name, s, max).map(|s| Some(Some(s))),
            Some(_) => Err(other(name, "must be a string")),
        }
    }

    /// `sometimes|boolean`: true, false, 1, 0, "1", "0".
    pub fn boolean(&self, name: &str) -> Result<Option<bool>, FieldError> {
        match self.get(name) {
            None => Ok(None),
            Some(Value::Bool(b)) => Ok(Some(*b)),
            Some(Value::Number(n)) if n.as_u64() == Some(1) => Ok(Some(true)),
            Some(Value::Number(n)) if n.as_u64() == Some(0) => Ok(Some(false)),
            Some(Value::String(s)) if s == "1" => Ok(Some(true)),
            Some(Value::String(s)) if s == "0" => Ok(Some(false)),
            Some(_) => Err(other(name, "must be true or false")),
        }
    }

    /// `sometimes|in:...`: one of `allowed`; null or anything else fails.
    pub fn one_of(&self, name: &str, allowed: &[&'static str]) -> Result<Option<&'static str>, FieldError> {
        match self.get(name) {
            None => Ok(None),
            Some(Value::String(s)) => allowed
                .iter()
                .find(|a| **a == s)
                .copied()
                .map(Some)
                .ok_or_else(|| FieldError::new(name, Problem::NotOneOf(allowed.to_vec()))),
            Some(_) => Err(FieldError::new(name, Problem::NotOneOf(allowed.to_vec()))),
        }
    }

    /// `sometimes|array` of ids, each passing `exists` (`name.N` names a bad element).
    pub fn id_array(&self, name: &str, exists: impl Fn(u64) -> bool) -> Result<Option<Vec<u64>>, Vec<FieldError>> {
        match self.get(name) {
            None => Ok(None),
            Some(Value::Array(items)) => {
                let mut ids = Vec::new();
                let mut errors = Vec::new();
                for (n, item) in items.iter().enumerate() {
                    match item.as_u64().filter(|id| exists(*id)) {
                        Some(id) => ids.push(id),
                        None => errors.push(FieldError::new(&format!("{name}.{n}"), Problem::NotOneOf(Vec::new()))),
                    }
                }
                if errors.is_empty() { Ok(Some(ids)) } else { Err(errors) }
            }
            Some(_) => Err(vec![other(name, "must be an array")]),
        }
    }

    /// `sometimes|array` holding settings: a JSON object (an empty list is an empty one).
    pub fn object(&self, name: &str) -> Result<Option<Map<String, Value>>, FieldError> {
        match self.get(name) {
            None => Ok(None),
            Some(Value::Object(map)) => Ok(Some(map.clone())),
            Some(Value::Array(items)) if items.is_empty() => Ok(Some(Map::new())),
            Some(_) => Err(other(name, "must be an array")),
        }
    }
}

fn max_chars(name: &str, s: &str, max: usize) -> Result<String, FieldError> {
    if s.chars().count() > max {
        return Err(other(name, &format!("must not be greater than {max} characters")));
    }
    Ok(s.to_owned())
}

/// Top-level strings trimmed, and empty ones null (nested values are left as sent).
fn normalise(value: Value) -> Value {
    match value {
        Value::String(s) if s.trim().is_empty() => Value::Null,
        Value::String(s) => Value::String(s.trim().to_owned()),
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn laravel_middleware_and_rules() {
        let input = Input::parse(br#"{"a": "  x ", "b": "   ", "c": 1, "d": [1, 9], "e": "1"}"#);
        assert_eq!(input.required_string("a"), Ok("x".to_owned()));
        assert!(input.required_string("b").is_err(), "blank is null is missing");
        assert!(input.string_max("c", 5).is_err());
        assert_eq!(input.string_max("a", 1), Ok(Some("x".to_owned())));
        assert!(input.string_max("a", 0).is_err());
        assert_eq!(input.nullable_string_max("b", 3), Ok(Some(None)));
        assert_eq!(input.boolean("c"), Ok(Some(true)));
        assert_eq!(input.boolean("e"), Ok(Some(true)));
        assert!(input.boolean("a").is_err());
        let errors = input.id_array("d", |id| id < 5).unwrap_err();
        assert_eq!(errors[0].field, "d.1");
        assert!(Input::parse(b"[1]").required_string("a").is_err(), "a list is no input");
    }
}
