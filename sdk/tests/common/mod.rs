//! Helpers shared by the SDK's wiremock tests.
#![allow(dead_code)]

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use serde_json::{Value, json};
use wiremock::{Request, Respond, ResponseTemplate};

pub const DATA_KEY: &str = "sk_live_TESTKEYTESTKEYTESTKEY";
pub const NEXA_KEY: &str = "fc_live_TESTKEYTESTKEYTESTKEY";
pub const HIVE_KEY: &str = "hive0123456789TESTKEY";

/// Fast retries so tests do not sleep for long.
pub fn fast_policy() -> deskapi::RetryPolicy {
    deskapi::RetryPolicy::default().initial_backoff(Duration::from_millis(5)).max_backoff(Duration::from_millis(20))
}

pub fn nextcap(server: &wiremock::MockServer) -> deskapi::NextCapDataClient {
    deskapi::NextCapDataClient::builder(DATA_KEY).base_url(server.uri()).retry_policy(fast_policy()).build().unwrap()
}

pub fn nexadesk(server: &wiremock::MockServer) -> deskapi::NexaDeskClient {
    deskapi::NexaDeskClient::builder(NEXA_KEY).base_url(server.uri()).retry_policy(fast_policy()).build().unwrap()
}

pub fn deskhive(server: &wiremock::MockServer) -> deskapi::DeskHiveClient {
    deskapi::DeskHiveClient::builder(HIVE_KEY).base_url(server.uri()).retry_policy(fast_policy()).build().unwrap()
}

pub fn lead(n: u32) -> Value {
    json!({
        "id": format!("00000000-0000-4000-8000-{n:012}"),
        "email": format!("lead{n}@acme.com"), "name": format!("Lead {n}"), "phone": null, "company": "Acme",
        "custom_fields": {}, "source": "pre_chat_form", "agent_id": "a1", "conversation_id": null,
        "visitor_id": "v1", "created_at": "2026-03-15T10:30:00.000Z", "updated_at": "2026-03-15T10:30:00.000Z"
    })
}

pub fn nexa_lead(n: u32) -> Value {
    json!({
        "id": format!("lead-{n}"), "visitor_name": format!("Lead {n}"), "visitor_email": null,
        "pipeline_stage": "new", "tags": [], "created_at": "2026-03-15T10:30:00.000Z",
        "updated_at": "2026-03-15T10:30:00.000Z"
    })
}

pub fn unix_now() -> u64 {
    SystemTime::now().duration_since(UNIX_EPOCH).unwrap().as_secs()
}

/// Serves Next Cap lead pages: `total` leads, `per_page` from the query (default 20).
pub struct LeadPages {
    pub total: u32,
    pub delay: Duration,
}

impl Respond for LeadPages {
    fn respond(&self, req: &Request) -> ResponseTemplate {
        let q: std::collections::HashMap<String, String> = req.url.query_pairs().into_owned().collect();
        let page: u32 = q.get("page").and_then(|p| p.parse().ok()).unwrap_or(1);
        let per_page: u32 = q.get("per_page").and_then(|p| p.parse().ok()).unwrap_or(20);
        let total_pages = self.total.div_ceil(per_page);
        let start = (page - 1) * per_page;
        let items: Vec<Value> = (start..(start + per_page).min(self.total)).map(lead).collect();
        ResponseTemplate::new(200)
            .set_delay(self.delay)
            .set_body_json(json!({"data": items, "meta": {"page": page, "per_page": per_page, "total": self.total, "total_pages": total_pages}}))
    }
}
