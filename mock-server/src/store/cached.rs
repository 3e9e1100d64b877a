//! A row that keeps its own encoded JSON.
//!
//! Rows are read far more often than they change: a CI suite lists the same leads again and
//! again. Encoding a page of rows (string escaping, number and timestamp formatting) was most
//! of a list request's cost, so a [`Cached`] row encodes itself once, on first use, and a page
//! becomes a concatenation of ready-made JSON. Any mutable access drops the stored encoding,
//! so a changed row can never be served stale.

use std::ops::{Deref, DerefMut};
use std::sync::OnceLock;

use serde::{Serialize, Serializer};
use serde_json::value::RawValue;

/// `T`, plus its JSON encoding once it has been serialized.
#[derive(Clone, Debug)]
pub struct Cached<T> {
    value: T,
    json: OnceLock<Option<Box<RawValue>>>,
}

impl<T> Cached<T> {
    /// Wraps a row; nothing is encoded until it is first serialized.
    pub fn new(value: T) -> Self {
        Self { value, json: OnceLock::new() }
    }

    /// The row itself.
    pub fn into_inner(self) -> T {
        self.value
    }
}

impl<T> Deref for Cached<T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.value
    }
}

impl<T> DerefMut for Cached<T> {
    /// Mutable access means the row may change: forget the encoding.
    fn deref_mut(&mut self) -> &mut T {
        self.json = OnceLock::new();
        &mut self.value
    }
}

impl<T> From<T> for Cached<T> {
    fn from(value: T) -> Self {
        Self::new(value)
    }
}

impl<T: Serialize> Serialize for Cached<T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        // The responses are JSON, where a RawValue is written verbatim. Should encoding fail
        // (it cannot for the store's types), the row is serialized the ordinary way.
        match self.json.get_or_init(|| serde_json::value::to_raw_value(&self.value).ok()) {
            Some(raw) => raw.serialize(serializer),
            None => self.value.serialize(serializer),
        }
    }
}

impl<T: super::row::Row> super::row::Row for Cached<T> {
    fn id(&self) -> uuid::Uuid {
        self.value.id()
    }
    fn created_at(&self) -> chrono::DateTime<chrono::Utc> {
        self.value.created_at()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Clone, Debug, Serialize)]
    struct Row {
        name: String,
        n: u32,
    }

    #[test]
    fn encodes_like_the_row_and_forgets_the_encoding_on_change() {
        let mut row = Cached::new(Row { name: "a \"quoted\" é".into(), n: 1 });
        let plain = serde_json::to_string(&*row).unwrap();
        assert_eq!(serde_json::to_string(&row).unwrap(), plain);
        assert_eq!(serde_json::to_string(&row).unwrap(), plain, "second use reads the stored encoding");
        row.n = 2;
        assert_eq!(serde_json::to_string(&row).unwrap(), r#"{"name":"a \"quoted\" é","n":2}"#);
        let page = serde_json::to_string(&serde_json::json!({"data": [serde_json::to_value(&row).unwrap()]})).unwrap();
        assert!(page.contains(r#""n":2"#));
    }
}
