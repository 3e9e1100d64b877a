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
pub mod tenancy;

use crate::keys::{DemoKeys, KeyDirectory};

/// Everything the mock holds for the three APIs.
#[derive(Clone, Debug)]
pub struct Store {
    /// Next Cap rows.
    pub(in crate::store) nextcap: nextcap::NextCapStore,
    /// NexaDesk rows.
    pub(in crate::store) nexadesk: nexadesk::NexaDeskStore,
    /// Desk Hive rows.
    pub(in crate::store) deskhive: deskhive::DeskHiveStore,
    /// Every key, for the auth step and `GET /__mock/keys`.
    pub(in crate::store) keys: KeyDirectory,
    /// The named demo keys.
    pub(in crate::store) demo_keys: DemoKeys,
}

impl Store {
    /// Next Cap's rows; handlers and actions go on to [`nextcap::NextCapStore::org_view`].
    pub fn nextcap(&self) -> &nextcap::NextCapStore {
        &self.nextcap
    }

    /// Next Cap's rows, for writing (through [`nextcap::NextCapStore::org_view_mut`]).
    pub fn nextcap_mut(&mut self) -> &mut nextcap::NextCapStore {
        &mut self.nextcap
    }

    /// NexaDesk's rows; handlers go on to [`nexadesk::NexaDeskStore::workspace_view`].
    pub fn nexadesk(&self) -> &nexadesk::NexaDeskStore {
        &self.nexadesk
    }

    /// NexaDesk's rows, for writing (through [`nexadesk::NexaDeskStore::workspace_view_mut`]).
    pub fn nexadesk_mut(&mut self) -> &mut nexadesk::NexaDeskStore {
        &mut self.nexadesk
    }

    /// Desk Hive's rows; handlers go on to [`deskhive::DeskHiveStore::agent_view`].
    pub fn deskhive(&self) -> &deskhive::DeskHiveStore {
        &self.deskhive
    }

    /// Desk Hive's rows, for writing (through [`deskhive::DeskHiveStore::agent_view_mut`]).
    pub fn deskhive_mut(&mut self) -> &mut deskhive::DeskHiveStore {
        &mut self.deskhive
    }

    /// Every key: what the auth step looks a presented key up in, and what
    /// `GET /__mock/keys` lists.
    pub fn keys(&self) -> &KeyDirectory {
        &self.keys
    }

    /// The named demo keys (one per role the fixtures define; same seed, same keys).
    pub fn demo_keys(&self) -> &DemoKeys {
        &self.demo_keys
    }
}
