//! What the CRM endpoints share: the path of one item, the sort parameters of the lists, and
//! the comma-separated encoding of multi-valued filters.
//!
//! The sort values are plain enums (no `Unknown` fallback): they are only ever sent, and a
//! value the API does not document would be refused by it anyway.

use serde::{Serialize, Serializer};

use crate::core::error::{Error, Result};
use crate::core::transport::segment;
use crate::core::validate::Known;

/// `/external/crm/{collection}/{id}{tail}`, with the ID percent-encoded and an empty one
/// rejected (named `name` in the error).
pub(crate) fn item_path(collection: &str, name: &str, id: &str, tail: &str) -> Result<String> {
    Ok(format!("/external/crm/{collection}/{}{tail}", segment(name, id)?))
}

/// Sort direction of a list (`sort_order`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum SortOrder {
    /// Oldest / lowest first.
    Asc,
    /// Newest / highest first (the API's default).
    Desc,
}

/// Sort field of the conversation list (`sort_by`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
pub enum ConversationSortBy {
    /// By creation time (the API's default).
    #[serde(rename = "createdAt")]
    CreatedAt,
    /// By last change.
    #[serde(rename = "updatedAt")]
    UpdatedAt,
}

/// Sort field of the ticket list (`sort_by`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
pub enum TicketSortBy {
    /// By creation time (the API's default).
    #[serde(rename = "createdAt")]
    CreatedAt,
    /// By last change.
    #[serde(rename = "updatedAt")]
    UpdatedAt,
    /// By priority.
    #[serde(rename = "priority")]
    Priority,
    /// By the organisation's running ticket number.
    #[serde(rename = "ticketNumber")]
    TicketNumber,
}

/// Serializes a set of enum values as one `a,b` parameter, as the API takes them.
pub(crate) fn comma_separated<T: AsRef<str>, S: Serializer>(
    values: &Option<Vec<T>>,
    s: S,
) -> std::result::Result<S::Ok, S::Error> {
    let joined: Vec<&str> = values.as_deref().unwrap_or_default().iter().map(AsRef::as_ref).collect();
    s.serialize_str(&joined.join(","))
}

/// Collects a multi-valued filter, dropping repeats but keeping the caller's order.
pub(crate) fn collect_distinct<T: PartialEq>(values: impl IntoIterator<Item = T>) -> Vec<T> {
    let mut out = Vec::new();
    for v in values {
        if !out.contains(&v) {
            out.push(v);
        }
    }
    out
}

/// Rejects an empty set or a value the SDK does not know (the API refuses both).
pub(crate) fn known_set<E: Known>(name: &str, values: Option<&[E]>) -> Result<()> {
    match values {
        Some([]) => Err(Error::invalid(name, "give at least one value")),
        Some(values) => values.iter().try_for_each(|v| crate::core::validate::known(name, Some(v))),
        None => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn item_paths_encode_and_reject_ids() {
        assert_eq!(item_path("tickets", "id", "a/b", "/reply").unwrap(), "/external/crm/tickets/a%2Fb/reply");
        assert!(item_path("tickets", "id", " ", "").is_err());
    }

    #[test]
    fn distinct_values_keep_their_order() {
        assert_eq!(collect_distinct(["b", "a", "b"]), ["b", "a"]);
    }
}
