//! The [`Api`] enum: which of the three mocked products a request, key or journal entry
//! belongs to. A leaf: it names no other module, so every layer can use it.
//!
//! The three APIs share paths such as `/api/v1/external/leads`, so each lives under its own
//! prefix (`/nextcap`, `/nexadesk`, `/deskhive`).

use serde::{Deserialize, Serialize};

/// One of the mocked APIs.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Api {
    /// Next Cap: External Data API and CRM Integration API (one host, two key families).
    NextCap,
    /// NexaDesk REST API.
    NexaDesk,
    /// Desk Hive external (agent) API.
    DeskHive,
}

impl Api {
    /// Every API, in a fixed order.
    pub const ALL: [Api; 3] = [Api::NextCap, Api::NexaDesk, Api::DeskHive];

    /// The name used in the journal, in faults and in the control API.
    pub fn name(self) -> &'static str {
        match self {
            Api::NextCap => "nextcap",
            Api::NexaDesk => "nexadesk",
            Api::DeskHive => "deskhive",
        }
    }

    /// The path prefix the API is mounted under.
    pub fn prefix(self) -> &'static str {
        match self {
            Api::NextCap => "/nextcap",
            Api::NexaDesk => "/nexadesk",
            Api::DeskHive => "/deskhive",
        }
    }

    /// The API's base URL path, as the SDK configures it (the part after `http://HOST:PORT`).
    pub fn base_path(self) -> &'static str {
        match self {
            Api::NextCap => "/nextcap/api/v1",
            Api::NexaDesk => "/nexadesk/api/v1/external",
            Api::DeskHive => "/deskhive/api/v1",
        }
    }
}
