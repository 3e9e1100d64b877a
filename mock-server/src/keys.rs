//! API keys: the demo keys handed to tests, the key directory the auth step consults, and the
//! deterministic key generator.
//!
//! Keys are generated from their own seeded RNG stream (see [`crate::store::fixtures`]) so that adding
//! fixture data in a later issue never changes a key a test or a README already printed.

use std::collections::HashMap;

use rand::Rng;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// Next Cap Data API key prefix.
pub const NEXTCAP_DATA_PREFIX: &str = "sk_live_";
/// Next Cap CRM key prefix.
pub const NEXTCAP_CRM_PREFIX: &str = "nextcap_ck_";
/// NexaDesk key prefix.
pub const NEXADESK_PREFIX: &str = "fc_live_";
/// Length of the Desk Hive external key (the format is undocumented; this is our choice).
pub const DESKHIVE_KEY_LEN: usize = 40;

/// The keys a test needs, one per role the fixtures define. Same seed, same keys.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
pub struct DemoKeys {
    /// Acme organisation data key (`sk_live_...`).
    pub nextcap_data: String,
    /// Globex organisation data key.
    pub nextcap_data_globex: String,
    /// Acme owner seat CRM key (`nextcap_ck_...`), every permission, every widget.
    pub nextcap_crm_admin: String,
    /// Acme live-chat agent: `live-chat:view`, `live-chat:join`, `conversations:view`.
    pub nextcap_crm_live_chat: String,
    /// Acme ticketing agent: `tickets:view`, `tickets:manage`, `tickets:reply`,
    /// `tickets:assign`, `tickets:close`.
    pub nextcap_crm_ticketing: String,
    /// Acme seat with `conversations:view-own`, `tickets:view`, access to one widget only.
    pub nextcap_crm_view_own: String,
    /// Acme seat that is deactivated: every request gets 401.
    pub nextcap_crm_deactivated: String,
    /// Globex owner seat CRM key.
    pub nextcap_crm_globex_admin: String,
    /// NexaDesk Acme workspace key with scopes `read` and `write` (`fc_live_...`).
    pub nexadesk_read_write: String,
    /// NexaDesk Acme workspace key with scope `read` only.
    pub nexadesk_read_only: String,
    /// NexaDesk Globex workspace key, `read` and `write`.
    pub nexadesk_globex: String,
    /// Desk Hive external key of an active agent with assigned tickets.
    pub deskhive_agent: String,
    /// Desk Hive external key of another active agent (other tickets).
    pub deskhive_agent_2: String,
    /// Desk Hive external key of an inactive agent: every request gets 401.
    pub deskhive_inactive: String,
    /// Vandelay (Pro plan) data key: the Data API works, webhook management is 403.
    pub nextcap_data_pro: String,
    /// Vandelay (Pro plan) owner's CRM key: 403, the CRM Integration API needs Enterprise.
    pub nextcap_crm_pro: String,
    /// Wonka (Free plan) data key: 403 on every Data API route.
    pub nextcap_data_free: String,
}

/// One key as the control API lists it (`GET /__mock/keys`).
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
pub struct KeyInfo {
    /// The key itself.
    pub key: String,
    /// `nextcap-data`, `nextcap-crm`, `nexadesk` or `deskhive`.
    pub api: String,
    /// Organisation (Next Cap), workspace (NexaDesk) or installation (Desk Hive) name.
    pub organisation: String,
    /// Seat role, key scope summary or agent role.
    pub role: String,
    /// Permissions (Next Cap CRM), scopes (NexaDesk), or what the key may do.
    pub permissions: Vec<String>,
    /// False for the deactivated seat and the inactive agent.
    pub active: bool,
    /// Human-readable label, e.g. the seat or agent name.
    pub label: String,
    /// The organisation's plan (`free`, `pro`, `enterprise`), for Next Cap keys; as it is now,
    /// since `set-plan` changes it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub plan: Option<String>,
}

/// A Next Cap plan (nextcap-external-data-api.txt, "Plan requirements"): REST access to the
/// Data API needs Pro or above; webhooks and the CRM Integration API need Enterprise.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Plan {
    /// No API access.
    Free,
    /// The Data API, without webhooks.
    Pro,
    /// Everything: Data API, webhooks, CRM Integration API.
    Enterprise,
}

impl Plan {
    /// Every plan, lowest first.
    pub const ALL: [Plan; 3] = [Plan::Free, Plan::Pro, Plan::Enterprise];

    /// The wire name (`free`, `pro`, `enterprise`).
    pub fn as_str(self) -> &'static str {
        match self {
            Plan::Free => "free",
            Plan::Pro => "pro",
            Plan::Enterprise => "enterprise",
        }
    }

    /// The plan named `name` (case-insensitive).
    pub fn parse(name: &str) -> Option<Plan> {
        Plan::ALL.into_iter().find(|p| p.as_str().eq_ignore_ascii_case(name.trim()))
    }

    /// How refusals name it: `Pro plan required`, `Enterprise plan required`.
    pub fn title(self) -> &'static str {
        match self {
            Plan::Free => "Free",
            Plan::Pro => "Pro",
            Plan::Enterprise => "Enterprise",
        }
    }
}

/// The key families: each API (and each half of Next Cap) looks keys up in its own family, so a
/// key of another family is as unknown as a made-up one.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum KeyFamily {
    /// Next Cap External Data API, `sk_live_` organisation keys.
    NextCapData,
    /// Next Cap CRM Integration API, `nextcap_ck_` seat keys.
    NextCapCrm,
    /// NexaDesk, `fc_live_` workspace keys.
    NexaDesk,
    /// Desk Hive external agent keys.
    DeskHive,
}

impl KeyFamily {
    /// The contract name (`nextcap-data`, `nextcap-crm`, `nexadesk`, `deskhive`): the
    /// `openapi/` file stem and the `api` field of `GET /__mock/keys`.
    pub fn contract(self) -> &'static str {
        match self {
            KeyFamily::NextCapData => "nextcap-data",
            KeyFamily::NextCapCrm => "nextcap-crm",
            KeyFamily::NexaDesk => "nexadesk",
            KeyFamily::DeskHive => "deskhive",
        }
    }
}

/// What a key grants once authenticated: the tenant and identity it acts as.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Grant {
    /// A Next Cap Data API key of one organisation.
    NextCapData {
        /// Organisation id.
        org_id: Uuid,
    },
    /// A Next Cap CRM key of one seat.
    NextCapCrm {
        /// Organisation id.
        org_id: Uuid,
        /// Seat (user) id.
        seat_id: Uuid,
    },
    /// A NexaDesk key of one workspace.
    NexaDesk {
        /// Workspace id (`ws_...`).
        workspace_id: String,
        /// Whether the key has the `write` scope.
        write: bool,
    },
    /// A Desk Hive external key of one agent.
    DeskHive {
        /// Agent id.
        agent_id: u64,
    },
}

impl Grant {
    /// The family the key belongs to.
    pub fn family(&self) -> KeyFamily {
        match self {
            Grant::NextCapData { .. } => KeyFamily::NextCapData,
            Grant::NextCapCrm { .. } => KeyFamily::NextCapCrm,
            Grant::NexaDesk { .. } => KeyFamily::NexaDesk,
            Grant::DeskHive { .. } => KeyFamily::DeskHive,
        }
    }
}

/// A directory entry: the public description plus the grant.
#[derive(Clone, Debug)]
pub struct KeyRecord {
    /// As listed by the control API.
    pub info: KeyInfo,
    /// What the key acts as.
    pub grant: Grant,
}

/// Every key the mock knows, by key string, in a stable listing order.
#[derive(Clone, Debug, Default)]
pub struct KeyDirectory {
    order: Vec<String>,
    /// Looked up on every request: foldhash (seeded per process) rather than SipHash.
    by_key: HashMap<String, KeyRecord, foldhash::fast::RandomState>,
}

impl KeyDirectory {
    /// Adds a key; the listing keeps insertion order.
    pub fn insert(&mut self, record: KeyRecord) {
        self.order.push(record.info.key.clone());
        self.by_key.insert(record.info.key.clone(), record);
    }

    /// Looks a presented key up.
    pub fn get(&self, key: &str) -> Option<&KeyRecord> {
        self.by_key.get(key)
    }

    /// Every key record, in insertion order.
    pub fn records(&self) -> impl Iterator<Item = &KeyRecord> {
        self.order.iter().filter_map(|k| self.by_key.get(k))
    }

    /// Forgets a key (a revoked CRM key); false when there was no such key.
    pub fn remove(&mut self, key: &str) -> bool {
        self.order.retain(|k| k != key);
        self.by_key.remove(key).is_some()
    }

    /// The keys of a seat, in insertion order.
    pub fn seat_keys(&self, seat: Uuid) -> impl Iterator<Item = &KeyRecord> {
        self.records().filter(move |r| matches!(r.grant, Grant::NextCapCrm { seat_id, .. } if seat_id == seat))
    }
}

const ALPHANUMERIC: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

/// `len` random ASCII letters and digits.
pub fn alphanumeric(rng: &mut impl Rng, len: usize) -> String {
    (0..len).map(|_| char::from(ALPHANUMERIC[rng.gen_range(0..ALPHANUMERIC.len())])).collect()
}

/// A prefixed key with 32 random alphanumerics, the documented shape of every prefixed key.
pub fn prefixed_key(rng: &mut impl Rng, prefix: &str) -> String {
    format!("{prefix}{}", alphanumeric(rng, 32))
}
