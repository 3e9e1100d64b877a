//! The APIs this crate speaks, as a plain tag: what an error or a client belongs to, and the
//! facts about each API that are safe to print (its name, its key prefix, its client type).
//!
//! Kept outside `core` so that the shared transport never names an API: `core` asks this
//! table (e.g. to tell a caller which client a mistaken key belongs to) instead of knowing
//! the APIs itself. Not behind the API features: an [`ApiKind`] is only a tag.

use std::fmt;

/// Which API a client or an error belongs to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ApiKind {
    /// Next Cap External Data API (`sk_live_` keys).
    NextCapData,
    /// Next Cap CRM Integration API (`nextcap_ck_` keys).
    NextCapCrm,
    /// NexaDesk REST API (`fc_live_` keys).
    NexaDesk,
    /// Desk Hive External API (self-hosted).
    DeskHive,
}

impl ApiKind {
    /// Every API, in documentation order.
    pub(crate) const ALL: [ApiKind; 4] =
        [ApiKind::NextCapData, ApiKind::NextCapCrm, ApiKind::NexaDesk, ApiKind::DeskHive];

    /// The documented prefix of this API's keys; `None` when its keys have no fixed prefix
    /// (Desk Hive keys are issued by each self-hosted install). A prefix names the kind of
    /// key, not the key, so it is safe to print.
    pub(crate) fn key_prefix(self) -> Option<&'static str> {
        match self {
            ApiKind::NextCapData => Some("sk_live_"),
            ApiKind::NextCapCrm => Some("nextcap_ck_"),
            ApiKind::NexaDesk => Some("fc_live_"),
            ApiKind::DeskHive => None,
        }
    }

    /// The name of the client type that takes this API's keys.
    pub(crate) fn client_name(self) -> &'static str {
        match self {
            ApiKind::NextCapData => "NextCapDataClient",
            ApiKind::NextCapCrm => "NextCapCrmClient",
            ApiKind::NexaDesk => "NexaDeskClient",
            ApiKind::DeskHive => "DeskHiveClient",
        }
    }
}

impl fmt::Display for ApiKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            ApiKind::NextCapData => "Next Cap Data",
            ApiKind::NextCapCrm => "Next Cap CRM",
            ApiKind::NexaDesk => "NexaDesk",
            ApiKind::DeskHive => "Desk Hive",
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_key_prefix_is_a_prefix_of_another() {
        let prefixes: Vec<&str> = ApiKind::ALL.iter().filter_map(|k| k.key_prefix()).collect();
        for a in &prefixes {
            for b in &prefixes {
                assert!(a == b || !a.starts_with(b), "{a} starts with {b}: a key would match two APIs");
            }
        }
    }
}
