//! What the Data API's resources share: the filters of a list that has no filters of its own,
//! attachments, and the small decoding and lookup rules every model applies the same way.
//!
//! Kept here so that each resource file only holds what is particular to it.

use std::collections::BTreeMap;
use std::fmt;
use std::marker::PhantomData;

use chrono::{DateTime, Utc};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Deserializer, Serialize};

use crate::core::error::Result;
use crate::core::macros::string_id;
use crate::core::pagination::ListParams;
use crate::core::transport::segment;
use crate::nextcap::envelope::{ListWindow, NextCapList, NextCapPages};

/// Filters of a list that takes only the ones every Next Cap list shares (page size and
/// creation window): a conversation's messages, a ticket's events, a visitor's sessions,
/// departments and webhooks. `T` is the item type.
#[derive(Serialize)]
#[serde(bound = "")]
pub struct PlainQuery<T> {
    #[serde(flatten)]
    window: ListWindow,
    #[serde(skip)]
    item: PhantomData<fn() -> T>,
}

impl<T> Default for PlainQuery<T> {
    fn default() -> Self {
        Self { window: ListWindow::default(), item: PhantomData }
    }
}

impl<T> Clone for PlainQuery<T> {
    fn clone(&self) -> Self {
        Self { window: self.window.clone(), item: PhantomData }
    }
}

impl<T> fmt::Debug for PlainQuery<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PlainQuery").field("window", &self.window).finish()
    }
}

impl<T: DeserializeOwned + Send + 'static> ListParams for PlainQuery<T> {
    type Item = T;
    type Style = NextCapPages;
    fn validate(&self) -> Result<()> {
        self.window.validate()
    }
}

impl<T: DeserializeOwned + Send + 'static> NextCapList for PlainQuery<T> {
    fn window(&mut self) -> &mut ListWindow {
        &mut self.window
    }
}

string_id!(
    /// An attachment's ID.
    AttachmentId
);

/// A file attached to a message or a ticket event.
#[derive(Clone, Debug, Deserialize, Serialize, PartialEq, Eq)]
#[non_exhaustive]
pub struct Attachment {
    /// The attachment's ID.
    pub id: AttachmentId,
    /// The file name as uploaded.
    pub filename: String,
    /// MIME type, e.g. `image/png`.
    pub content_type: String,
    /// Size in bytes.
    pub size: u64,
    /// A presigned download URL, valid for 24 hours.
    pub download_url: Option<String>,
    /// When `download_url` stops working.
    pub download_url_expires_at: Option<DateTime<Utc>>,
    /// When the file was attached.
    pub created_at: DateTime<Utc>,
}

/// `/external/{collection}/{id}{tail}`, with the ID percent-encoded and an empty one rejected.
pub(crate) fn item_path(collection: &str, id: &str, tail: &str) -> Result<String> {
    Ok(format!("/external/{collection}/{}{tail}", segment("id", id)?))
}

/// Decodes `null` as the type's default: the spec promises arrays and objects, and an
/// explicit `null` for one of them carries no more meaning than an empty one.
pub(crate) fn null_as_default<'de, D, T>(d: D) -> std::result::Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: Default + Deserialize<'de>,
{
    Ok(Option::<T>::deserialize(d)?.unwrap_or_default())
}

/// The translation for `locale` (`fr`, or `fr-CA` falling back to `fr`), else `fallback`.
/// A blank translation counts as missing: the dashboard only stores the ones that were filled.
pub(crate) fn localized<'a>(map: &'a BTreeMap<String, String>, locale: &str, fallback: &'a str) -> &'a str {
    let primary = locale.split(['-', '_']).next().unwrap_or(locale);
    [locale, primary]
        .into_iter()
        .find_map(|l| map.get(l).or_else(|| map.get(&l.to_ascii_lowercase())))
        .map(String::as_str)
        .filter(|t| !t.trim().is_empty())
        .unwrap_or(fallback)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn localized_tries_the_exact_locale_then_the_language_then_the_fallback() {
        let map: BTreeMap<String, String> =
            [("fa", "پشتیبانی فنی"), ("fr", "Support technique"), ("pt-BR", "Suporte"), ("de", " ")]
                .into_iter()
                .map(|(k, v)| (k.to_owned(), v.to_owned()))
                .collect();
        assert_eq!(localized(&map, "fa", "Tech"), "پشتیبانی فنی");
        assert_eq!(localized(&map, "fr-CA", "Tech"), "Support technique");
        assert_eq!(localized(&map, "FR", "Tech"), "Support technique");
        assert_eq!(localized(&map, "pt-BR", "Tech"), "Suporte");
        assert_eq!(localized(&map, "de", "Tech"), "Tech", "blank counts as missing");
        assert_eq!(localized(&map, "ja", "Tech"), "Tech");
    }

    #[test]
    fn item_paths_encode_and_reject_ids() {
        assert_eq!(item_path("tickets", "a/b", "/events").unwrap(), "/external/tickets/a%2Fb/events");
        assert!(item_path("tickets", "", "").is_err());
    }
}
