//! Receiving NexaDesk webhook deliveries: check the signature, get a typed event.
//!
//! ```no_run
//! use deskapi::nexadesk::webhooks::{NexaDeskEvent, verify_and_parse};
//!
//! fn handle(secret: &str, headers: &http::HeaderMap, body: &[u8]) -> Result<(), Box<dyn std::error::Error>> {
//!     // Pass the body exactly as received: the signature covers its bytes, not its JSON.
//!     let delivery = verify_and_parse(secret, headers, body)?;
//!     match delivery.event {
//!         NexaDeskEvent::LeadCreated(lead) => println!("new lead {}", lead.visitor_name),
//!         NexaDeskEvent::MessageCreated(message) => println!("message: {}", message.content),
//!         other => println!("{} (ignored)", other.name()),
//!     }
//!     Ok(())
//! }
//! ```
//!
//! # The scheme (API README, NexaDesk webhooks)
//! Webhooks are created in the NexaDesk dashboard, which shows their secret. Each delivery is
//! a POST of `{"event", "timestamp", "workspace_id": "ws_...", "data": <the full resource>}`
//! with `X-NexaDesk-Signature: sha256=<hex HMAC-SHA256 of the raw body>` keyed with that
//! secret. There is no timestamp header, so, unlike Next Cap's, the signature cannot bound a
//! replay; receivers that care can deduplicate on the body. The comparison is constant time
//! (`hmac`'s `verify_slice`).
//!
//! An event this SDK does not know is kept as [`NexaDeskEvent::Unknown`], not refused: the
//! sender would otherwise retry it.

use chrono::{DateTime, Utc};
use hmac::{Hmac, Mac};
use serde::Deserialize;
use serde::de::DeserializeOwned;
use serde_json::Value;
use sha2::Sha256;

use super::contacts::Contact;
use super::conversations::{Conversation, Message};
use super::leads::Lead;

/// The signature header (HTTP header names are case-insensitive; this is the lowercase form).
pub const SIGNATURE_HEADER: &str = "x-nexadesk-signature";

/// Why a delivery was refused.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum NexaDeskWebhookError {
    /// The secret is empty (a configuration mistake, refused rather than signing with it).
    #[error("the webhook secret is empty")]
    EmptySecret,
    /// No `X-NexaDesk-Signature` header.
    #[error("the X-NexaDesk-Signature header is missing")]
    MissingSignature,
    /// The header is not `sha256=` and 64 hex digits.
    #[error("the X-NexaDesk-Signature header is malformed: {0}")]
    MalformedSignature(&'static str),
    /// The signature does not match the body: wrong secret or altered body.
    #[error("the signature does not match the body")]
    BadSignature,
    /// The body is signed correctly but is not the documented envelope, or `data` does not
    /// have the event's shape.
    #[error("the delivery body cannot be decoded: {0}")]
    Body(#[from] serde_json::Error),
}

/// A verified delivery.
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub struct NexaDeskDelivery {
    /// The event and its resource.
    pub event: NexaDeskEvent,
    /// When it happened.
    pub timestamp: DateTime<Utc>,
    /// The workspace (`ws_...`).
    pub workspace_id: String,
}

/// A NexaDesk webhook event with its resource typed.
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub enum NexaDeskEvent {
    /// `conversation.created`.
    ConversationCreated(Conversation),
    /// `conversation.updated`: status, assignment or tags changed.
    ConversationUpdated(Conversation),
    /// `conversation.closed`.
    ConversationClosed(Conversation),
    /// `message.created`.
    MessageCreated(Message),
    /// `lead.created`.
    LeadCreated(Lead),
    /// `lead.updated`.
    LeadUpdated(Lead),
    /// `lead.deleted`: the lead as it was.
    LeadDeleted(Lead),
    /// `contact.created`.
    ContactCreated(Contact),
    /// `contact.updated`.
    ContactUpdated(Contact),
    /// An event this SDK does not know, with its raw `data`.
    Unknown {
        /// The event name.
        event: String,
        /// The raw resource.
        data: Value,
    },
}

impl NexaDeskEvent {
    /// The wire name (`lead.created`, ...).
    pub fn name(&self) -> &str {
        match self {
            NexaDeskEvent::ConversationCreated(_) => "conversation.created",
            NexaDeskEvent::ConversationUpdated(_) => "conversation.updated",
            NexaDeskEvent::ConversationClosed(_) => "conversation.closed",
            NexaDeskEvent::MessageCreated(_) => "message.created",
            NexaDeskEvent::LeadCreated(_) => "lead.created",
            NexaDeskEvent::LeadUpdated(_) => "lead.updated",
            NexaDeskEvent::LeadDeleted(_) => "lead.deleted",
            NexaDeskEvent::ContactCreated(_) => "contact.created",
            NexaDeskEvent::ContactUpdated(_) => "contact.updated",
            NexaDeskEvent::Unknown { event, .. } => event,
        }
    }

    fn decode(event: String, data: Value) -> Result<NexaDeskEvent, serde_json::Error> {
        fn typed<T: DeserializeOwned>(data: Value) -> Result<T, serde_json::Error> {
            serde_json::from_value(data)
        }
        Ok(match event.as_str() {
            "conversation.created" => NexaDeskEvent::ConversationCreated(typed(data)?),
            "conversation.updated" => NexaDeskEvent::ConversationUpdated(typed(data)?),
            "conversation.closed" => NexaDeskEvent::ConversationClosed(typed(data)?),
            "message.created" => NexaDeskEvent::MessageCreated(typed(data)?),
            "lead.created" => NexaDeskEvent::LeadCreated(typed(data)?),
            "lead.updated" => NexaDeskEvent::LeadUpdated(typed(data)?),
            "lead.deleted" => NexaDeskEvent::LeadDeleted(typed(data)?),
            "contact.created" => NexaDeskEvent::ContactCreated(typed(data)?),
            "contact.updated" => NexaDeskEvent::ContactUpdated(typed(data)?),
            _ => NexaDeskEvent::Unknown { event, data },
        })
    }
}

fn mac(secret: &str) -> Result<Hmac<Sha256>, NexaDeskWebhookError> {
    if secret.is_empty() {
        return Err(NexaDeskWebhookError::EmptySecret);
    }
    // HMAC takes keys of any length, so this only fails for an empty-key policy we enforce above.
    <Hmac<Sha256> as Mac>::new_from_slice(secret.as_bytes()).map_err(|_| NexaDeskWebhookError::EmptySecret)
}

/// `sha256=<lowercase hex HMAC-SHA256 of body>`: the header value a delivery of `body` carries.
/// For tests and for forwarding deliveries.
///
/// ```
/// let signature = deskapi::nexadesk::webhooks::sign("secret", br#"{"event":"lead.created"}"#).unwrap();
/// assert!(signature.starts_with("sha256=") && signature.len() == 7 + 64);
/// ```
pub fn sign(secret: &str, body: &[u8]) -> Result<String, NexaDeskWebhookError> {
    let mut mac = mac(secret)?;
    mac.update(body);
    Ok(format!("sha256={}", hex::encode(mac.finalize().into_bytes())))
}

/// Checks `X-NexaDesk-Signature` against the raw `body` (constant time) and decodes the
/// envelope into a typed event.
///
/// Errors: [`NexaDeskWebhookError`]: missing or malformed header, wrong signature, or a body
/// that is not the documented envelope. An unknown event name is not an error.
pub fn verify_and_parse(
    secret: &str,
    headers: &http::HeaderMap,
    body: &[u8],
) -> Result<NexaDeskDelivery, NexaDeskWebhookError> {
    let mut mac = mac(secret)?;
    let header = headers.get(SIGNATURE_HEADER).ok_or(NexaDeskWebhookError::MissingSignature)?;
    let header = header.to_str().map_err(|_| NexaDeskWebhookError::MalformedSignature("not ASCII"))?;
    let hex_digest =
        header.trim().strip_prefix("sha256=").ok_or(NexaDeskWebhookError::MalformedSignature("no sha256= prefix"))?;
    if hex_digest.len() != 64 {
        return Err(NexaDeskWebhookError::MalformedSignature("not 64 hex digits"));
    }
    let digest = hex::decode(hex_digest).map_err(|_| NexaDeskWebhookError::MalformedSignature("not hex"))?;
    mac.update(body);
    mac.verify_slice(&digest).map_err(|_| NexaDeskWebhookError::BadSignature)?;

    #[derive(Deserialize)]
    struct Envelope {
        event: String,
        timestamp: DateTime<Utc>,
        workspace_id: String,
        data: Value,
    }
    let envelope: Envelope = serde_json::from_slice(body)?;
    Ok(NexaDeskDelivery {
        event: NexaDeskEvent::decode(envelope.event, envelope.data)?,
        timestamp: envelope.timestamp,
        workspace_id: envelope.workspace_id,
    })
}
