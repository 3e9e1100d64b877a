//! Clearing optional fields on PATCH: the update bodies (`UpdateLeadBody`,
//! `UpdateContactBody` in `openapi/nexadesk.yaml`) tell a field left out (unchanged) from a
//! field sent as `null` (cleared). A clearable field is held as `Option<Option<T>>`: `None`
//! is not serialized, `Some(None)` is `null`, `Some(Some(v))` is the value. One slot per field
//! means the last setter or clear wins and the JSON key appears once.
//!
//! The set of clearable fields is a small `#[non_exhaustive]` enum per resource, generated
//! with the body's `clear` by [`nullable_fields!`], so each field is named once and a field the
//! API may not null (a name, a stage, tags) has no variant to reach it.

/// The text set on a clearable field, if any: what the limits check (a clear has no limit).
pub(crate) fn text(slot: &Option<Option<String>>) -> Option<&str> {
    slot.as_ref().and_then(Option::as_deref)
}

/// Defines `pub enum $name` listing the fields of `$body` that `null` clears, its wire names,
/// and `$body::clear`, which sets the field's slot to `Some(None)` (sent as `null`).
macro_rules! nullable_fields {
    (
        $(#[$meta:meta])*
        pub enum $name:ident for $body:ty {
            $( $(#[$vmeta:meta])* $variant:ident => $field:ident ),+ $(,)?
        }
    ) => {
        $(#[$meta])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum $name {
            $( $(#[$vmeta])* $variant, )+
        }

        impl $name {
            /// Every clearable field, in the contract's order.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The field's name on the wire, e.g. `"visitor_phone"`.
            pub fn as_str(self) -> &'static str {
                match self {
                    $( $name::$variant => stringify!($field), )+
                }
            }
        }

        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl $body {
            /// Replaces whatever was set on `field` with `null`.
            fn clear(&mut self, field: $name) {
                match field {
                    $( $name::$variant => self.$field = Some(None), )+
                }
            }
        }
    };
}

pub(crate) use nullable_fields;

#[cfg(test)]
mod tests {
    use super::text;

    #[test]
    fn only_a_value_set_is_checked() {
        assert_eq!(text(&None), None);
        assert_eq!(text(&Some(None)), None);
        assert_eq!(text(&Some(Some("a".to_owned()))), Some("a"));
    }
}
