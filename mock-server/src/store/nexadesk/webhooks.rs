//! NexaDesk webhooks. The vendor creates them in its dashboard only (no REST endpoints), so
//! the mock offers registration through its control API (`/__mock/nexadesk/webhooks`) and the
//! in-process handle; delivery reads the subscribers here. A webhook with no `events` list
//! receives every event, as a dashboard webhook subscribed to all would.

use chrono::{DateTime, Utc};
use serde::Serialize;
use uuid::Uuid;

use super::NexaDeskStore;
use crate::events::{NexaDeskEventName, random_uuid};
use crate::time_fmt;

/// A registered NexaDesk webhook.
#[derive(Clone, Debug, Serialize)]
pub struct NdWebhook {
    /// Id.
    pub id: Uuid,
    /// The workspace whose events it receives (`ws_...`).
    pub workspace_id: String,
    /// Where deliveries are POSTed.
    pub url: String,
    /// The events it receives; empty means all.
    pub events: Vec<String>,
    /// The HMAC-SHA256 signing secret.
    pub secret: String,
    /// Registration time.
    #[serde(serialize_with = "time_fmt::millis")]
    pub created_at: DateTime<Utc>,
}

impl NexaDeskStore {
    /// The id of the workspace named by `workspace`: its id (`ws_...`) or its name
    /// (`Acme`, case-insensitive).
    pub fn resolve_workspace(&self, workspace: &str) -> Option<String> {
        self.workspaces
            .iter()
            .find(|w| w.id == workspace || w.name.eq_ignore_ascii_case(workspace))
            .map(|w| w.id.clone())
    }

    /// Registers a webhook at `now`; `events` must be NexaDesk event names (checked by the caller).
    pub fn register_webhook(
        &mut self,
        workspace_id: String,
        url: String,
        events: Vec<String>,
        now: DateTime<Utc>,
    ) -> NdWebhook {
        let id = random_uuid();
        let webhook =
            NdWebhook { id, workspace_id, url, events, secret: format!("ndsec_{}", id.simple()), created_at: now };
        self.webhooks.push(webhook.clone());
        webhook
    }

    /// Every registered webhook, oldest first.
    pub fn webhooks(&self) -> &[NdWebhook] {
        &self.webhooks
    }

    /// Removes a webhook; false when there was none.
    pub fn delete_webhook(&mut self, id: Uuid) -> bool {
        let before = self.webhooks.len();
        self.webhooks.retain(|w| w.id != id);
        self.webhooks.len() != before
    }

    /// The webhooks of `workspace_id` that receive `name`.
    pub fn subscribers<'a>(
        &'a self,
        workspace_id: &'a str,
        name: NexaDeskEventName,
    ) -> impl Iterator<Item = &'a NdWebhook> + use<'a> {
        self.webhooks.iter().filter(move |w| {
            w.workspace_id == workspace_id && (w.events.is_empty() || w.events.iter().any(|e| e == name.as_str()))
        })
    }

    /// Whether the webhook is still registered.
    pub fn webhook_is_live(&self, id: Uuid) -> bool {
        self.webhooks.iter().any(|w| w.id == id)
    }
}
