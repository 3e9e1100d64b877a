//! The documented input limits, checked before a request is sent so that a bad argument is an
//! [`Error::InvalidArgument`](crate::Error::InvalidArgument) naming the field and nothing
//! reaches the API. Lengths count characters (Unicode scalar values), as the documents' "max N
//! characters" reads. Sources: `nexadesk-leads.txt` (leads) and the API README (contacts).

use crate::core::error::{Error, Result};

/// Refuses text longer than `max` characters.
pub(crate) fn max_chars(name: &str, value: Option<&str>, max: usize) -> Result<()> {
    match value {
        Some(v) if v.chars().count() > max => {
            Err(Error::invalid(name, format!("must be at most {max} characters, got {}", v.chars().count())))
        }
        _ => Ok(()),
    }
}

/// Refuses blank text or text longer than `max` characters.
pub(crate) fn required(name: &str, value: &str, max: usize) -> Result<()> {
    if value.trim().is_empty() {
        return Err(Error::invalid(name, "is required and must not be blank"));
    }
    max_chars(name, Some(value), max)
}

/// Refuses what cannot be an email address: `local@domain.tld`, no whitespace, non-empty
/// labels. Deliberately loose (RFC 5322 allows far more); the API has the last word.
pub(crate) fn email(name: &str, value: Option<&str>) -> Result<()> {
    let Some(value) = value else { return Ok(()) };
    let valid = value.rsplit_once('@').is_some_and(|(local, domain)| {
        !local.is_empty()
            && value.len() <= 254
            && !value.chars().any(|c| c.is_whitespace() || c.is_control())
            && domain.contains('.')
            && domain.split('.').all(|l| !l.is_empty() && l.chars().all(|c| c.is_alphanumeric() || c == '-'))
    });
    if valid { Ok(()) } else { Err(Error::invalid(name, format!("`{value}` is not a valid email address"))) }
}

/// Refuses an empty id (the API would answer 400 for a missing `?id=`).
pub(crate) fn id(name: &str, value: &str) -> Result<()> {
    if value.trim().is_empty() {
        return Err(Error::invalid(name, "must not be empty"));
    }
    Ok(())
}

/// Refuses a non-finite number (JSON has no NaN or infinity).
pub(crate) fn finite(name: &str, value: Option<f64>) -> Result<()> {
    match value {
        Some(v) if !v.is_finite() => Err(Error::invalid(name, "must be a finite number")),
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn limits_hold_at_the_boundary() {
        assert!(max_chars("f", Some(&"é".repeat(50)), 50).is_ok(), "characters, not bytes");
        assert!(max_chars("f", Some(&"a".repeat(51)), 50).is_err());
        assert!(required("f", " ", 10).is_err());
        assert!(email("e", Some("a@b.co")).is_ok());
        for bad in ["a", "a@b", "@b.co", "a b@c.co", "a@b..co"] {
            assert!(email("e", Some(bad)).is_err(), "{bad}");
        }
        assert!(finite("n", Some(f64::NAN)).is_err());
    }
}
