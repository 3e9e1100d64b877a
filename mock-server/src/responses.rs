//! [`ResponseCache`]: the encoded bodies of read responses, kept until the store next changes.
//!
//! A CI suite or a load test lists the same page again and again, and between two writes the
//! answer cannot change: a list is a function of the store, the tenant and the query. So a
//! handler whose answer is exactly that (nothing from the clock, nothing from headers) can
//! keep the bytes it encoded and serve them again (see [`crate::tenant::Tenant::read_cached`]).
//! The cache lives next to the store under the one lock, and every way to change the store
//! ([`crate::state::Inner::store_mut`], `reset`) empties it first, so no answer outlives the
//! rows it was made from.
//!
//! Entries are keyed by the tenant kind (a type), the tenant, the operation and the
//! request-target (path and query as received), so one tenant can never be served another's
//! page. The cache holds at most [`MAX_BYTES`] of bodies and the request-targets they are
//! filed under (a target can be far longer than its page: a client that sends a new long query
//! each time must not grow the cache without bound); when a new entry would pass that, it is
//! emptied and starts again.

use std::{
    any::{Any, TypeId},
    collections::HashMap,
    hash::Hash,
};

use bytes::Bytes;

/// The most body bytes kept (16 MiB).
pub const MAX_BYTES: usize = 16 * 1024 * 1024;

/// Bodies by tenant, then operationId, then request-target: nested, so that a lookup borrows
/// its key instead of building one. Every list request looks here, so the maps hash with
/// foldhash (seeded per process) rather than SipHash.
type Entries<Id> = Map<Id, Map<&'static str, Map<Box<str>, Bytes>>>;

type Map<K, V> = HashMap<K, V, foldhash::fast::RandomState>;

/// Encoded response bodies, per tenant kind.
#[derive(Debug, Default)]
pub struct ResponseCache {
    /// For each tenant kind `K` (by `TypeId`), an `Entries<K's id type>`.
    kinds: Map<TypeId, Box<dyn Any + Send + Sync>>,
    /// Bytes of bodies held.
    bytes: usize,
    /// Bytes of the request-targets the bodies are filed under.
    target_bytes: usize,
}

impl ResponseCache {
    /// The body of `operation_id` at `target` for `tenant`, of tenant kind `K`, if any.
    pub fn get<K: 'static, Id: Hash + Eq + Send + Sync + 'static>(
        &self,
        tenant: &Id,
        operation_id: &'static str,
        target: &str,
    ) -> Option<Bytes> {
        let entries = self.kinds.get(&TypeId::of::<K>())?.downcast_ref::<Entries<Id>>()?;
        entries.get(tenant)?.get(operation_id)?.get(target).cloned()
    }

    /// Files a copy of `body` as the answer of `operation_id` at `target` for `tenant` (emptying
    /// the cache first if its bodies and targets would pass [`MAX_BYTES`]; an entry larger than
    /// that on its own is not kept). The copy is of the body's exact length: the encoder's
    /// buffer has room to spare, which would stay allocated with it and escape the bound.
    pub fn insert<K: 'static, Id: Clone + Hash + Eq + Send + Sync + 'static>(
        &mut self,
        tenant: &Id,
        operation_id: &'static str,
        target: &str,
        body: &[u8],
    ) {
        let size = body.len().saturating_add(target.len());
        if size > MAX_BYTES {
            return;
        }
        if self.bytes + self.target_bytes + size > MAX_BYTES {
            self.clear();
        }
        let entries = self.kinds.entry(TypeId::of::<K>()).or_insert_with(|| Box::new(Entries::<Id>::default()));
        // The map under `K`'s TypeId is only ever created with `K`'s id type, just above.
        if let Some(entries) = entries.downcast_mut::<Entries<Id>>() {
            let bodies = entries.entry(tenant.clone()).or_default().entry(operation_id).or_default();
            self.bytes += body.len();
            self.target_bytes += target.len();
            if let Some(old) = bodies.insert(target.into(), Bytes::copy_from_slice(body)) {
                self.bytes -= old.len();
                self.target_bytes -= target.len();
            }
        }
    }

    /// Forgets every body.
    pub fn clear(&mut self) {
        // Nothing is counted without an entry, so an empty map means nothing to reset.
        if !self.kinds.is_empty() {
            self.kinds.clear();
            self.bytes = 0;
            self.target_bytes = 0;
        }
    }

    /// Bytes of bodies held.
    #[cfg(test)]
    fn bytes(&self) -> usize {
        self.bytes
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    enum Orgs {}
    enum Seats {}

    #[test]
    fn a_body_is_served_only_to_its_tenant_kind_tenant_operation_and_query() {
        let mut cache = ResponseCache::default();
        cache.insert::<Orgs, u64>(&1, "listLeads", "/leads?page=2", b"one");
        assert_eq!(cache.get::<Orgs, u64>(&1, "listLeads", "/leads?page=2"), Some(Bytes::from_static(b"one")));
        assert_eq!(cache.get::<Orgs, u64>(&2, "listLeads", "/leads?page=2"), None, "another tenant");
        assert_eq!(cache.get::<Orgs, u64>(&1, "listLeads", "/leads?page=3"), None, "another target");
        assert_eq!(cache.get::<Orgs, u64>(&1, "listTickets", "/leads?page=2"), None, "another operation");
        assert_eq!(
            cache.get::<Seats, u64>(&1, "listLeads", "/leads?page=2"),
            None,
            "another tenant kind, same id type"
        );
    }

    #[test]
    fn clearing_forgets_everything_and_the_byte_bound_holds() {
        let mut cache = ResponseCache::default();
        let op = "listLeads";
        cache.insert::<Orgs, u64>(&1, op, "/", &[0; 10]);
        cache.insert::<Orgs, u64>(&1, op, "/", &[0; 20]);
        assert_eq!(cache.bytes(), 20, "a replaced body no longer counts");
        cache.clear();
        assert_eq!((cache.get::<Orgs, u64>(&1, op, "/"), cache.bytes()), (None, 0));

        let half = MAX_BYTES / 2 + 1;
        cache.insert::<Orgs, u64>(&1, op, "/a", &vec![0; half]);
        cache.insert::<Orgs, u64>(&1, op, "/b", &vec![0; half]);
        assert_eq!(cache.bytes(), half, "the first body went when the second would have passed the bound");
        assert!(cache.get::<Orgs, u64>(&1, op, "/a").is_none() && cache.get::<Orgs, u64>(&1, op, "/b").is_some());
        cache.insert::<Orgs, u64>(&1, op, "/c", &vec![0; MAX_BYTES + 1]);
        assert!(cache.get::<Orgs, u64>(&1, op, "/c").is_none(), "a body over the bound is not kept");
    }

    #[test]
    fn long_targets_count_against_the_bound() {
        let mut cache = ResponseCache::default();
        let op = "listLeads";
        // Small pages under targets of a quarter of the bound each: without counting the
        // targets, thousands of these would be kept (gigabytes of keys).
        let long = |i: usize| format!("/leads?page={i}&q={}", "x".repeat(MAX_BYTES / 4));
        for i in 0..8 {
            cache.insert::<Orgs, u64>(&1, op, &long(i), b"{}");
        }
        let kept = (0..8).filter(|&i| cache.get::<Orgs, u64>(&1, op, &long(i)).is_some()).count();
        assert!((1..=3).contains(&kept), "{kept} entries of a quarter of the bound each were kept");
        assert!(cache.get::<Orgs, u64>(&1, op, &long(7)).is_some(), "the newest entry is kept");
        let huge = format!("/leads?q={}", "x".repeat(MAX_BYTES));
        cache.insert::<Orgs, u64>(&1, op, &huge, b"{}");
        assert!(cache.get::<Orgs, u64>(&1, op, &huge).is_none(), "a target over the bound is not kept");
    }
}
