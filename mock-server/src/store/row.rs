//! What every table of rows shares: an identity and a creation time ([`Row`]), the
//! `created_after` / `created_before` window, and the newest-first order lists page through in
//! place.

use chrono::{DateTime, Utc};
use uuid::Uuid;

/// A row with an identity and a creation time: what the shared `created_after` /
/// `created_before` filter reads and what [`insert_newest_first`] orders by.
pub trait Row {
    /// The row's id.
    fn id(&self) -> Uuid;
    /// When the row was created.
    fn created_at(&self) -> DateTime<Utc>;
}

/// `created_after` / `created_before`, both exclusive (the documented filters of every list).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Window {
    /// Only rows created strictly after this.
    pub after: Option<DateTime<Utc>>,
    /// Only rows created strictly before this.
    pub before: Option<DateTime<Utc>>,
}

impl Window {
    /// Whether `t` lies inside the window.
    pub fn contains(&self, t: DateTime<Utc>) -> bool {
        self.after.is_none_or(|a| t > a) && self.before.is_none_or(|b| t < b)
    }
}

/// Inserts `row` where it belongs in `rows`, which is kept newest first, so lists keep paging
/// in place after a write. A row created in the same millisecond as others goes before them:
/// the one added last is the newest, which keeps "create two, list, the second comes first"
/// true however fast the two creations were.
pub fn insert_newest_first<T: Row>(rows: &mut Vec<T>, row: T) -> usize {
    let at = rows.partition_point(|r| r.created_at() > row.created_at());
    rows.insert(at, row);
    at
}

/// Sorts `rows` newest first, then by id (the fixtures' order; rows added later keep the
/// newest-first order through [`insert_newest_first`]).
pub fn sort_newest_first<T: Row>(rows: &mut [T]) {
    rows.sort_by(|a, b| b.created_at().cmp(&a.created_at()).then_with(|| a.id().cmp(&b.id())));
}

#[cfg(test)]
mod tests {
    use super::*;

    struct R(u128, i64);
    impl Row for R {
        fn id(&self) -> Uuid {
            Uuid::from_u128(self.0)
        }
        fn created_at(&self) -> DateTime<Utc> {
            DateTime::from_timestamp(self.1, 0).unwrap_or_default()
        }
    }

    #[test]
    fn insertion_keeps_newest_first_and_the_last_added_first_on_ties() {
        let mut rows = vec![R(1, 30), R(2, 20), R(3, 20), R(4, 10)];
        sort_newest_first(&mut rows);
        assert_eq!(insert_newest_first(&mut rows, R(9, 40)), 0);
        assert_eq!(insert_newest_first(&mut rows, R(7, 20)), 2, "before the rows of the same instant");
        assert_eq!(insert_newest_first(&mut rows, R(5, 5)), 6);
        let order: Vec<u128> = rows.iter().map(|r| r.0).collect();
        assert_eq!(order, [9, 1, 7, 2, 3, 4, 5]);
    }

    #[test]
    fn window_bounds_are_exclusive() {
        let t = |s| DateTime::from_timestamp(s, 0).unwrap_or_default();
        let w = Window { after: Some(t(10)), before: Some(t(20)) };
        assert!(!w.contains(t(10)) && w.contains(t(11)) && w.contains(t(19)) && !w.contains(t(20)));
        assert!(Window::default().contains(t(0)));
    }
}
