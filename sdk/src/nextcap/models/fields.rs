//! Decoding and lookup rules every Next Cap model applies the same way: a `null` where the
//! documents promise an array or object, and translated names with a locale fallback.

use std::collections::BTreeMap;

use serde::{Deserialize, Deserializer};

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
}
