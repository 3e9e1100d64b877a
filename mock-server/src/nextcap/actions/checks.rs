//! The input checks the actions share, each naming the field it checks, so an action reads as
//! a list of `field = check(...)?` lines.

use uuid::Uuid;

use super::ActionError;
use crate::store::nextcap::{NextCapStore, OrgView, Widget};

/// The organisation named by `reference` (id, slug or name), as a read view of its rows.
pub fn org<'a>(store: &'a NextCapStore, reference: &str) -> Result<OrgView<'a>, ActionError> {
    if reference.trim().is_empty() {
        return Err(ActionError::invalid("org", "is required: an organisation id, or \"acme\" / \"globex\""));
    }
    store
        .org_by_ref(reference)
        .map(|o| store.org_view(o.id))
        .ok_or_else(|| ActionError::invalid("org", format!("no organisation `{reference}`")))
}

/// A required id.
pub fn required_id(field: &str, id: Option<Uuid>) -> Result<Uuid, ActionError> {
    id.ok_or_else(|| ActionError::invalid(field, "is required"))
}

/// Non-blank text of at most `max` characters, trimmed.
pub fn required_text(field: &str, value: &str, max: usize) -> Result<String, ActionError> {
    let value = value.trim();
    if value.is_empty() {
        return Err(ActionError::invalid(field, "is required"));
    }
    optional_text(field, Some(value.to_owned()), max).map(|v| v.unwrap_or_default())
}

/// Optional text of at most `max` characters; blank counts as absent.
pub fn optional_text(field: &str, value: Option<String>, max: usize) -> Result<Option<String>, ActionError> {
    match value.map(|v| v.trim().to_owned()).filter(|v| !v.is_empty()) {
        Some(v) if v.chars().count() > max => {
            Err(ActionError::invalid(field, format!("must be at most {max} characters")))
        }
        other => Ok(other),
    }
}

/// One of `allowed`, or `default` when absent.
pub fn one_of(
    field: &str,
    value: Option<&str>,
    allowed: &[&'static str],
    default: &'static str,
) -> Result<&'static str, ActionError> {
    match value {
        None => Ok(default),
        Some(v) => allowed
            .iter()
            .find(|a| **a == v)
            .copied()
            .ok_or_else(|| ActionError::invalid(field, format!("must be one of: {}", allowed.join(", ")))),
    }
}

/// An optional email of the plain `local@domain.tld` shape (what the contract's `format: email`
/// and the SDK accept), lower-cased domain kept as given.
pub fn email(field: &str, value: Option<String>) -> Result<Option<String>, ActionError> {
    let Some(value) = optional_text(field, value, 254)? else { return Ok(None) };
    let shaped = value.split_once('@').is_some_and(|(local, domain)| {
        !local.is_empty()
            && domain.contains('.')
            && !domain.starts_with('.')
            && !domain.ends_with('.')
            && !value.contains(char::is_whitespace)
            && !domain.contains('@')
    });
    if shaped { Ok(Some(value)) } else { Err(ActionError::invalid(field, "must be an email address")) }
}

/// The organisation's widget `id`, or its first widget when absent.
pub fn widget<'a>(org: &OrgView<'a>, id: Option<Uuid>) -> Result<&'a Widget, ActionError> {
    match id {
        Some(id) => {
            org.widget(id).ok_or_else(|| ActionError::invalid("agent_id", "is not a widget of this organisation"))
        }
        None => org.widgets().next().ok_or_else(|| ActionError::invalid("agent_id", "the organisation has no widget")),
    }
}

/// An optional reference to a row of the organisation, checked with `exists`.
pub fn reference(
    field: &str,
    id: Option<Uuid>,
    exists: impl FnOnce(Uuid) -> bool,
) -> Result<Option<Uuid>, ActionError> {
    match id {
        Some(id) if !exists(id) => Err(ActionError::invalid(field, "does not exist in this organisation")),
        other => Ok(other),
    }
}

/// An optional absolute http(s) URL and its host.
pub fn web_url(field: &str, value: Option<String>) -> Result<(Option<String>, Option<String>), ActionError> {
    let Some(value) = optional_text(field, value, 2048)? else { return Ok((None, None)) };
    match url::Url::parse(&value) {
        Ok(u) if matches!(u.scheme(), "http" | "https") && u.host_str().is_some_and(|h| !h.is_empty()) => {
            let host = u.host_str().map(str::to_owned);
            Ok((Some(value), host))
        }
        _ => Err(ActionError::invalid(field, "must be an absolute http(s) URL")),
    }
}

/// A phone number: digits with common separators and an optional leading `+`, 7-15 digits.
pub fn phone(field: &str, value: &str) -> Result<String, ActionError> {
    let value = required_text(field, value, 32)?;
    let digits = value.chars().filter(char::is_ascii_digit).count();
    let body = value.strip_prefix('+').unwrap_or(&value);
    let allowed = body.chars().all(|c| c.is_ascii_digit() || " -.()".contains(c));
    if allowed && (7..=15).contains(&digits) {
        Ok(value)
    } else {
        Err(ActionError::invalid(field, "must be a phone number (7-15 digits, optional leading +)"))
    }
}
