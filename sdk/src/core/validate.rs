//! Argument checks shared by every endpoint, so invalid input fails before any request.

use super::error::{Error, Result};

/// A string enum with an `Unknown` fallback (implemented by the `string_enum!` macro).
pub trait Known: AsRef<str> {
    /// False for a value the SDK does not know.
    fn is_known(&self) -> bool;
    /// The known values, comma-separated, for error messages.
    fn choices() -> String;
}

/// Rejects an enum filter value the SDK does not know (the API would refuse it).
pub(crate) fn known<E: Known>(name: &str, value: Option<&E>) -> Result<()> {
    match value {
        Some(v) if !v.is_known() => {
            Err(Error::invalid(name, format!("`{}` is not one of: {}", v.as_ref(), E::choices())))
        }
        _ => Ok(()),
    }
}

/// Rejects a present but blank text argument.
pub(crate) fn non_empty(name: &str, value: Option<&str>) -> Result<()> {
    match value {
        Some(v) if v.trim().is_empty() => Err(Error::invalid(name, "must not be empty")),
        _ => Ok(()),
    }
}

/// Rejects a number outside `range`.
pub(crate) fn in_range(name: &str, value: Option<u32>, range: std::ops::RangeInclusive<u32>) -> Result<()> {
    match value {
        Some(n) if !range.contains(&n) => {
            Err(Error::invalid(name, format!("must be between {} and {}, got {n}", range.start(), range.end())))
        }
        _ => Ok(()),
    }
}
