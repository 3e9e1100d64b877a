//! Registered webhooks (Enterprise plan). They live in the store, not beside it, so `reset`
//! forgets them with everything else and tenant isolation works as for any other row.

use chrono::{DateTime, Utc};
use serde::Serialize;
use uuid::Uuid;

use super::{NextCapStore, Row};
use crate::{events::EventName, keys::Plan, time_fmt};

/// A registered webhook. Serializes without the secret (the list shape); creation adds the
/// secret to its one response itself.
#[derive(Clone, Debug, Serialize)]
pub struct Webhook {
    /// Id.
    pub id: Uuid,
    /// Owning organisation.
    #[serde(skip)]
    pub org_id: Uuid,
    /// Where deliveries are POSTed.
    pub url: String,
    /// Signing secret (`whsec_...`), shown once on creation.
    #[serde(skip)]
    pub secret: String,
    /// Subscribed events, each once, in the order given.
    pub events: Vec<String>,
    /// Whether deliveries are made.
    pub is_active: bool,
    /// Registration time.
    #[serde(serialize_with = "time_fmt::millis")]
    pub created_at: DateTime<Utc>,
}

impl Row for Webhook {
    fn id(&self) -> Uuid {
        self.id
    }
    fn created_at(&self) -> DateTime<Utc> {
        self.created_at
    }
}

impl NextCapStore {
    /// The organisation's active webhooks subscribed to `event`.
    /// Nothing is delivered for an organisation no longer on Enterprise (webhooks are an
    /// Enterprise feature); its webhooks stay registered for when it is again.
    pub fn subscribers(&self, org_id: Uuid, event: EventName) -> impl Iterator<Item = &Webhook> {
        let enterprise = self.org(org_id).is_some_and(|o| o.plan == Plan::Enterprise);
        self.webhooks
            .iter()
            .filter(move |_| enterprise)
            .filter(move |w| w.org_id == org_id && w.is_active && w.events.iter().any(|e| e == event.as_str()))
    }

    /// Whether a webhook still exists, is active and its organisation still on Enterprise
    /// (checked before every delivery attempt, so deleting a webhook or leaving Enterprise stops
    /// its retries).
    pub fn webhook_is_live(&self, id: Uuid) -> bool {
        self.webhooks
            .iter()
            .any(|w| w.id == id && w.is_active && self.org(w.org_id).is_some_and(|o| o.plan == Plan::Enterprise))
    }
}
