//! The in-memory store: every row of the three APIs plus the key directory.
//!
//! One plain struct per API, no interior locking: the whole [`Store`] sits behind the single
//! lock in [`crate::state`], so a handler sees one consistent snapshot and later write
//! endpoints (which touch several tables and fire events) need no lock ordering.
//! [`fixtures`] builds it from the seed; `reset` replaces it with a pristine copy.

pub mod cached;
pub mod deskhive;
pub mod fixtures;
pub mod nexadesk;
pub mod nextcap;
pub mod row;

use crate::keys::{DemoKeys, KeyDirectory};

/// Everything the mock holds for the three APIs.
#[derive(Clone, Debug)]
pub struct Store {
    /// Next Cap rows.
    pub nextcap: nextcap::NextCapStore,
    /// NexaDesk rows.
    pub nexadesk: nexadesk::NexaDeskStore,
    /// Desk Hive rows.
    pub deskhive: deskhive::DeskHiveStore,
    /// Every key, for the auth step and `GET /__mock/keys`.
    pub keys: KeyDirectory,
    /// The named demo keys.
    pub demo_keys: DemoKeys,
}
