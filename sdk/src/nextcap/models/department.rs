//! The department model: where tickets are routed. The Data API lists departments and the
//! CRM Integration API transfers tickets between them, so the type is shared.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::fields::{localized, null_as_default};
use crate::core::macros::string_id;

string_id!(
    /// A department's ID.
    DepartmentId
);

/// A department tickets are routed to.
#[derive(Clone, Debug, Deserialize, Serialize, PartialEq)]
#[non_exhaustive]
pub struct Department {
    /// The department's ID.
    pub id: DepartmentId,
    /// The name, in the organisation's default language.
    pub name: String,
    /// The description, in the organisation's default language.
    pub description: Option<String>,
    /// Translated names keyed by ISO 639-1 locale (only the translated ones).
    #[serde(default, deserialize_with = "null_as_default")]
    pub name_translations: BTreeMap<String, String>,
    /// Translated descriptions keyed by ISO 639-1 locale.
    #[serde(default, deserialize_with = "null_as_default")]
    pub description_translations: BTreeMap<String, String>,
    /// Languages the department accepts; empty means all.
    #[serde(default, deserialize_with = "null_as_default")]
    pub supported_languages: Vec<String>,
    /// URL-safe name.
    pub slug: String,
    /// The parent department, for nested departments.
    pub parent_id: Option<DepartmentId>,
    /// Whether this is the organisation's default department.
    #[serde(default)]
    pub is_default: bool,
    /// Display colour, `#rrggbb`.
    pub color: Option<String>,
    /// Routing settings (`autoAssign`, `businessHoursOnly`, ...).
    #[serde(default, deserialize_with = "null_as_default")]
    pub settings: serde_json::Map<String, serde_json::Value>,
    /// When it was created.
    pub created_at: DateTime<Utc>,
}

impl Department {
    /// The name in `locale` (`fa`, `fr-CA`, ...), falling back to [`Self::name`].
    ///
    /// ```
    /// # let d: deskapi::nextcap::Department = serde_json::from_value(serde_json::json!(
    /// #     {"id": "d1", "name": "Technical Support", "description": null, "slug": "technical-support",
    /// #      "name_translations": {"fa": "پشتیبانی فنی"}, "created_at": "2026-03-15T10:30:00Z"})).unwrap();
    /// assert_eq!(d.name_for("fa"), "پشتیبانی فنی");
    /// assert_eq!(d.name_for("en"), "Technical Support");
    /// ```
    pub fn name_for(&self, locale: &str) -> &str {
        localized(&self.name_translations, locale, &self.name)
    }

    /// The description in `locale`, falling back to [`Self::description`].
    pub fn description_for(&self, locale: &str) -> Option<&str> {
        let fallback = self.description.as_deref().unwrap_or_default();
        Some(localized(&self.description_translations, locale, fallback)).filter(|d| !d.is_empty())
    }
}
