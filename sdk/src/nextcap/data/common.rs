//! What the Data API's endpoints share: the path of one item of a collection.
//!
//! Kept here so that each resource file only holds what is particular to it.

use crate::core::error::Result;
use crate::core::transport::segment;

/// `/external/{collection}/{id}{tail}`, with the ID percent-encoded and an empty one rejected.
pub(crate) fn item_path(collection: &str, id: &str, tail: &str) -> Result<String> {
    Ok(format!("/external/{collection}/{}{tail}", segment("id", id)?))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn item_paths_encode_and_reject_ids() {
        assert_eq!(item_path("tickets", "a/b", "/events").unwrap(), "/external/tickets/a%2Fb/events");
        assert!(item_path("tickets", "", "").is_err());
    }
}
