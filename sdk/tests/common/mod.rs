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

// ---- Next Cap External Data API fixtures -----------------------------------------------------
// The `DOC_*` bodies are copied verbatim from nextcap-external-data-api.txt; the others follow
// openapi/nextcap-data.yaml where the document shows no example.

/// `GET /external/tickets`, as documented (with the Persian department translation).
pub const DOC_TICKETS: &str = r##"{
"data": [
{
"id": "uuid",
"ticket_number": 3461,
"subject": "Cannot access my account",
"status": "new",
"priority": "normal",
"department_id": "uuid",
"department": {
"id": "uuid",
"name": "Technical Support",
"name_translations": { "fa": "پشتیبانی فنی", "fr": "Support technique" },
"description_translations": { "fa": "...", "fr": "..." },
"supported_languages": ["en", "fa", "fr"],
"color": "#6366f1",
"is_default": false
},
"assigned_agent_id": null,
"agent_id": "uuid",
"agent_name": "Otet Bot .IR",
"agent_display_name": null,
"source": "api",
"external_id": null,
"external_source": null,
"origin_url": "https://acme-fr.com/billing",
"origin_domain": "acme-fr.com",
"visitor_email": "user@example.com",
"detected_language": "fa",
"metadata": { "api_key_id": "...", "identity_verified": false, "originUrl": "https://acme-fr.com/billing", "originDomain": "acme-fr.com" },
"created_at": "2026-05-09T10:30:00.000Z",
"updated_at": "2026-05-09T10:30:00.000Z"
}
],
"meta": { "page": 1, "per_page": 20, "total": 42, "total_pages": 3 }
}"##;

/// `GET /external/call-requests`, as documented (with custom fields).
pub const DOC_CALL_REQUESTS: &str = r##"{
"data": [
{
"id": "uuid",
"org_id": "uuid",
"agent_id": "uuid",
"conversation_id": "uuid",
"visitor_id": "uuid",
"lead_id": "uuid",
"name": "Jane Doe",
"email": "jane@example.com",
"phone": "+15551234567",
"notes": null,
"preferred_time": null,
"subject": "Question about pricing",
"preferred_date": "2026-05-20",
"preferred_time_window": "09:00-09:30",
"timezone": "Europe/Berlin",
"status": "new",
"assigned_user_id": null,
"triggered_by": "visitor",
"channel": "widget",
"visitor_language": "en",
"source_url": "https://acme.com/pricing",
"source_domain": "acme.com",
"custom_fields": {
"best_language": "English",
"topic": "Enterprise plan"
},
"created_at": "2026-05-14T12:34:00.000Z",
"updated_at": "2026-05-14T12:34:00.000Z",
"completed_at": null
}
],
"meta": { "page": 1, "per_page": 20, "total": 12, "total_pages": 1 }
}"##;

/// `GET /external/departments`, as documented: no `meta`.
pub const DOC_DEPARTMENTS: &str = r##"{
"data": [
{
"id": "uuid",
"name": "Technical Support",
"description": "Help with technical issues",
"name_translations": { "fa": "پشتیبانی فنی", "fr": "Support technique" },
"description_translations": { "fa": "...", "fr": "..." },
"supported_languages": ["en", "fa", "fr"],
"slug": "technical-support",
"parent_id": null,
"is_default": false,
"color": "#6366f1",
"settings": { "autoAssign": false, "businessHoursOnly": false },
"created_at": "2026-03-15T10:30:00.000Z"
}
]
}"##;

/// `GET /external/conversations/:id/messages`, as documented.
pub const DOC_MESSAGES: &str = r##"{
"data": [
{
"id": "uuid",
"conversation_id": "uuid",
"role": "user",
"content": "How do I reset my password?",
"sources": null,
"attachments": null,
"feedback": null,
"created_at": "2026-03-15T10:30:00.000Z"
},
{
"id": "uuid",
"conversation_id": "uuid",
"role": "assistant",
"content": "You can reset your password from...",
"sources": [{ "title": "Password Reset Guide", "chunk": "To reset..." }],
"attachments": null,
"feedback": "positive",
"created_at": "2026-03-15T10:30:05.000Z"
}
],
"meta": { "page": 1, "per_page": 20, "total": 8, "total_pages": 1 }
}"##;

/// The first item of a documented list body.
pub fn first_item(doc: &str) -> Value {
    let body: Value = serde_json::from_str(doc).expect("the documented example is JSON");
    body["data"][0].clone()
}

/// A one-page list body around `items`.
pub fn page_of(items: Vec<Value>) -> Value {
    let n = items.len();
    json!({"data": items, "meta": {"page": 1, "per_page": 20, "total": n, "total_pages": 1}})
}

pub fn conversation() -> Value {
    json!({
        "id": "c0000000-0000-4000-8000-000000000001", "agent_id": "a1", "visitor_id": "vis_8f2k1",
        "status": "handed_off", "assigned_agent_id": "u-42", "channel": "whatsapp",
        "title": "Refund for order 1042", "visitor_name": "Sara", "visitor_email": "sara@example.com",
        "lead_id": null, "message_count": 12, "satisfaction_rating": 4, "detected_language": "en",
        "handed_off_at": "2026-03-15T10:35:00.000Z", "resolved_at": null,
        "created_at": "2026-03-15T10:30:00.000Z", "updated_at": "2026-03-15T10:40:00.000Z"
    })
}

pub fn ticket_event() -> Value {
    json!({
        "id": "e1", "ticket_id": "uuid", "type": "reply", "actor_type": "agent", "actor_id": "u-42",
        "actor_name": "Mina", "content": "We reset your password.", "is_internal": false,
        "old_value": null, "new_value": null, "attachments": [{
            "id": "att1", "filename": "steps.pdf", "content_type": "application/pdf", "size": 20480,
            "download_url": "https://files.nextcap.ai/att1?sig=x", "download_url_expires_at": "2026-05-10T10:30:00.000Z",
            "created_at": "2026-05-09T11:00:00.000Z"
        }],
        "created_at": "2026-05-09T11:00:00.000Z"
    })
}

pub fn visitor() -> Value {
    json!({
        "id": "11111111-0000-4000-8000-000000000001", "visitor_id": "vis_8f2k1", "agent_id": "a1",
        "name": "Sara", "email": "sara@example.com", "phone": null, "country": "DE", "city": "Berlin",
        "language": "de", "timezone": "Europe/Berlin", "browser": "Firefox", "os": "Linux",
        "device_type": "desktop", "total_sessions": 3, "total_page_views": 17, "total_conversations": 1,
        "first_seen_at": "2026-03-01T08:00:00.000Z", "last_seen_at": "2026-03-15T10:30:00.000Z",
        "created_at": "2026-03-01T08:00:00.000Z", "updated_at": "2026-03-15T10:30:00.000Z"
    })
}

pub fn webhook(id: &str) -> Value {
    json!({
        "id": id, "url": "https://crm.example.com/hooks", "events": ["lead.created", "ticket.created"],
        "is_active": true, "created_at": "2026-05-01T09:00:00.000Z"
    })
}
