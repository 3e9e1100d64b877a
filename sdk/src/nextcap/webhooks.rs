//! Receiving Next Cap webhook deliveries: check the signature, reject replays, get a typed
//! event.
//!
//! ```no_run
//! use deskapi::nextcap::webhooks::{WebhookEvent, verify_and_parse};
//!
//! fn handle(secret: &str, headers: &http::HeaderMap, body: &[u8]) -> Result<(), Box<dyn std::error::Error>> {
//!     // Pass the body exactly as received: the signature covers its bytes, not its JSON.
//!     let delivery = verify_and_parse(secret, headers, body)?;
//!     match delivery.event {
//!         WebhookEvent::TicketCreated(e) => println!("new ticket #{}", e.ticket.ticket_number),
//!         WebhookEvent::CallRequestCreated(e) => println!("call {}", e.call_request.phone),
//!         other => println!("{} (ignored)", other.name()),
//!     }
//!     Ok(())
//! }
//! ```
//!
//! # The scheme
//! Each delivery carries `X-NextCap-Timestamp` (Unix seconds) and `X-NextCap-Signature:
//! sha256=<hex>`, the HMAC-SHA256 of `"{timestamp}.{raw body}"` keyed with the secret returned
//! when the webhook was created. Signing the timestamp with the body means an intercepted
//! delivery cannot be replayed later: deliveries more than [`DEFAULT_TOLERANCE`] away from the
//! receiver's clock are refused. The signature is compared in constant time.
//!
//! The vendor documents neither the headers nor the signed string; this is the scheme the
//! project's OpenAPI contract fixes (`x-webhook-signature`), and the mock server signs with
//! [`sign`].
//!
//! # Why one enum
//! [`WebhookEvent`] has one variant per documented event, each with its payload typed, so a
//! receiver matches on it instead of comparing strings and decoding `data` itself. An event
//! this SDK does not know yet is kept as [`WebhookEvent::Unknown`], not refused: the sender
//! would otherwise retry it forever.

use std::fmt;
use std::time::Duration;

use chrono::{DateTime, Utc};
use hmac::{Hmac, Mac};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use sha2::Sha256;

pub use super::data::WebhookEventName;
use super::data::{CallRequest, Lead};
use super::models::{Conversation, DepartmentId, OrgId, Ticket, TicketEvent, TicketStatus, UserId};
use crate::core::macros::string_id;

/// The header carrying `sha256=<hex HMAC-SHA256>`.
pub const SIGNATURE_HEADER: &str = "x-nextcap-signature";
/// The header carrying the signing time, in Unix seconds.
pub const TIMESTAMP_HEADER: &str = "x-nextcap-timestamp";
/// The header naming the event (also in the body).
pub const EVENT_HEADER: &str = "x-nextcap-event";
/// The header carrying the delivery ID (also the body's `id`), stable across retries.
pub const DELIVERY_HEADER: &str = "x-nextcap-delivery";
/// How far a delivery's timestamp may be from the receiver's clock, either way.
pub const DEFAULT_TOLERANCE: Duration = Duration::from_secs(300);

/// A webhook's signing secret, returned once when the webhook is created. `Debug` never
/// shows it; [`Self::expose`] does, to store it.
#[derive(Clone, Deserialize)]
#[serde(transparent)]
pub struct WebhookSecret(Box<str>);

impl WebhookSecret {
    /// Wraps a secret (e.g. read back from your configuration).
    pub fn new(secret: impl Into<String>) -> Self {
        Self(secret.into().into_boxed_str())
    }

    /// The secret itself, to store it. Never log it.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for WebhookSecret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("WebhookSecret(…redacted)")
    }
}

impl From<&str> for WebhookSecret {
    fn from(s: &str) -> Self {
        Self::new(s)
    }
}

impl From<String> for WebhookSecret {
    fn from(s: String) -> Self {
        Self::new(s)
    }
}

/// What [`verify_and_parse`] and [`sign`] accept as the secret: a [`WebhookSecret`], a `str`
/// or a `String`.
pub trait SigningSecret {
    /// The key bytes.
    fn key_bytes(&self) -> &[u8];
}

impl SigningSecret for WebhookSecret {
    fn key_bytes(&self) -> &[u8] {
        self.0.as_bytes()
    }
}

impl SigningSecret for str {
    fn key_bytes(&self) -> &[u8] {
        self.as_bytes()
    }
}

impl SigningSecret for String {
    fn key_bytes(&self) -> &[u8] {
        self.as_bytes()
    }
}

/// Why a delivery was refused.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum WebhookError {
    /// The secret given to verify with is empty (a configuration mistake, not a bad delivery).
    #[error("the webhook secret is empty")]
    EmptySecret,
    /// A required header is absent.
    #[error("the `{name}` header is missing")]
    MissingHeader {
        /// The header's name.
        name: &'static str,
    },
    /// A header is present but not in the expected form.
    #[error("the `{name}` header is malformed: {reason}")]
    MalformedHeader {
        /// The header's name.
        name: &'static str,
        /// What is wrong with it.
        reason: &'static str,
    },
    /// The signature does not match the body, the timestamp and the secret.
    #[error("the signature does not match")]
    BadSignature,
    /// The signature matches but the timestamp is too far from now (a replay, or a wrong clock).
    #[error("the delivery was signed at {timestamp}, {} seconds from now ({now}); the tolerance is {} s", (now - timestamp).abs(), tolerance.as_secs())]
    StaleTimestamp {
        /// The delivery's timestamp (Unix seconds).
        timestamp: i64,
        /// The receiver's time (Unix seconds).
        now: i64,
        /// The tolerance that was applied.
        tolerance: Duration,
    },
    /// The body is authentic but not a delivery of the expected shape.
    #[error("the body could not be parsed at `{path}`: {message}")]
    MalformedBody {
        /// Path to the offending field, e.g. `data.ticket.status` (`.` for the whole body).
        path: String,
        /// What is wrong with it.
        message: String,
    },
}

string_id!(
    /// A delivery's ID: the same on every retry of one event, for deduplication.
    DeliveryId
);

/// The body of every delivery, as sent: `data` still untyped. [`verify_and_parse`] returns
/// the typed [`WebhookDelivery`] instead; this is for building or inspecting raw bodies.
#[derive(Clone, Debug, Deserialize, Serialize, PartialEq)]
#[non_exhaustive]
pub struct WebhookEnvelope {
    /// The delivery ID.
    pub id: DeliveryId,
    /// The event name.
    pub event: WebhookEventName,
    /// When the event happened.
    pub created_at: DateTime<Utc>,
    /// The organisation.
    pub org_id: OrgId,
    /// The event's payload.
    pub data: serde_json::Value,
}

/// A verified delivery with its event typed.
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub struct WebhookDelivery {
    /// The delivery ID: the same on every retry, so you can ignore one you have handled.
    pub id: DeliveryId,
    /// When the event happened.
    pub created_at: DateTime<Utc>,
    /// The organisation.
    pub org_id: OrgId,
    /// The event and its payload.
    pub event: WebhookEvent,
}

/// One Next Cap webhook event with its payload. Payloads are boxed: they hold whole
/// resources, and the enum should stay small.
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub enum WebhookEvent {
    /// `lead.created`.
    LeadCreated(Box<LeadEventData>),
    /// `ticket.created`.
    TicketCreated(Box<TicketEventData>),
    /// `ticket.updated`: any field change.
    TicketUpdated(Box<TicketUpdatedData>),
    /// `ticket.status_changed`.
    TicketStatusChanged(Box<TicketStatusChangedData>),
    /// `ticket.assigned`: assigned or reassigned.
    TicketAssigned(Box<TicketAssignedData>),
    /// `ticket.department_changed`.
    TicketDepartmentChanged(Box<TicketDepartmentChangedData>),
    /// `ticket.reopened`.
    TicketReopened(Box<TicketStatusChangedData>),
    /// `ticket.reply`: an agent replied.
    TicketReply(Box<TicketReplyData>),
    /// `ticket.customer_reply`: the customer replied (widget or email).
    TicketCustomerReply(Box<TicketReplyData>),
    /// `conversation.created`.
    ConversationCreated(Box<ConversationEventData>),
    /// `conversation.completed`: the AI completed it.
    ConversationCompleted(Box<ConversationEventData>),
    /// `conversation.handed_off`: escalated to a human.
    ConversationHandedOff(Box<ConversationEventData>),
    /// `call_request.created`.
    CallRequestCreated(Box<CallRequestEventData>),
    /// `call_request.updated`: status, assignment or notes changed.
    CallRequestUpdated(Box<CallRequestUpdatedData>),
    /// `call_request.completed` (sent in addition to `call_request.updated`).
    CallRequestCompleted(Box<CallRequestEventData>),
    /// An event this version of the SDK does not know, kept as it came.
    Unknown {
        /// The event name.
        event: String,
        /// The untyped payload.
        data: serde_json::Value,
    },
}

impl WebhookEvent {
    /// The event's name, e.g. `ticket.created`.
    pub fn name(&self) -> &str {
        match self {
            Self::LeadCreated(_) => "lead.created",
            Self::TicketCreated(_) => "ticket.created",
            Self::TicketUpdated(_) => "ticket.updated",
            Self::TicketStatusChanged(_) => "ticket.status_changed",
            Self::TicketAssigned(_) => "ticket.assigned",
            Self::TicketDepartmentChanged(_) => "ticket.department_changed",
            Self::TicketReopened(_) => "ticket.reopened",
            Self::TicketReply(_) => "ticket.reply",
            Self::TicketCustomerReply(_) => "ticket.customer_reply",
            Self::ConversationCreated(_) => "conversation.created",
            Self::ConversationCompleted(_) => "conversation.completed",
            Self::ConversationHandedOff(_) => "conversation.handed_off",
            Self::CallRequestCreated(_) => "call_request.created",
            Self::CallRequestUpdated(_) => "call_request.updated",
            Self::CallRequestCompleted(_) => "call_request.completed",
            Self::Unknown { event, .. } => event,
        }
    }

    /// Types `data` by the event name. The match is exhaustive over [`WebhookEventName`], so
    /// a name added there cannot be forgotten here.
    fn from_parts(name: WebhookEventName, data: serde_json::Value) -> Result<Self, WebhookError> {
        use WebhookEventName as N;
        Ok(match name {
            N::LeadCreated => Self::LeadCreated(payload(data)?),
            N::TicketCreated => Self::TicketCreated(payload(data)?),
            N::TicketUpdated => Self::TicketUpdated(payload(data)?),
            N::TicketStatusChanged => Self::TicketStatusChanged(payload(data)?),
            N::TicketAssigned => Self::TicketAssigned(payload(data)?),
            N::TicketDepartmentChanged => Self::TicketDepartmentChanged(payload(data)?),
            N::TicketReopened => Self::TicketReopened(payload(data)?),
            N::TicketReply => Self::TicketReply(payload(data)?),
            N::TicketCustomerReply => Self::TicketCustomerReply(payload(data)?),
            N::ConversationCreated => Self::ConversationCreated(payload(data)?),
            N::ConversationCompleted => Self::ConversationCompleted(payload(data)?),
            N::ConversationHandedOff => Self::ConversationHandedOff(payload(data)?),
            N::CallRequestCreated => Self::CallRequestCreated(payload(data)?),
            N::CallRequestUpdated => Self::CallRequestUpdated(payload(data)?),
            N::CallRequestCompleted => Self::CallRequestCompleted(payload(data)?),
            N::Unknown(event) => Self::Unknown { event, data },
        })
    }
}

/// Decodes an event's `data`, naming the failing path from the body's root.
fn payload<T: DeserializeOwned>(data: serde_json::Value) -> Result<Box<T>, WebhookError> {
    serde_path_to_error::deserialize(data).map(Box::new).map_err(|e| {
        let inner = e.path().to_string();
        let path = if inner == "." { "data".to_owned() } else { format!("data.{inner}") };
        WebhookError::MalformedBody { path, message: e.inner().to_string() }
    })
}

/// Payload of `lead.created`.
#[derive(Clone, Debug, Deserialize, Serialize, PartialEq)]
#[non_exhaustive]
pub struct LeadEventData {
    /// The lead.
    pub lead: Lead,
}

/// Payload of `ticket.created`.
#[derive(Clone, Debug, Deserialize, Serialize, PartialEq)]
#[non_exhaustive]
pub struct TicketEventData {
    /// The ticket.
    pub ticket: Ticket,
}

/// Payload of `ticket.updated`.
#[derive(Clone, Debug, Deserialize, Serialize, PartialEq)]
#[non_exhaustive]
pub struct TicketUpdatedData {
    /// The ticket after the change.
    pub ticket: Ticket,
    /// The names of the fields that changed.
    #[serde(default)]
    pub changed_fields: Vec<String>,
}

/// Payload of `ticket.status_changed` and `ticket.reopened`.
#[derive(Clone, Debug, Deserialize, Serialize, PartialEq)]
#[non_exhaustive]
pub struct TicketStatusChangedData {
    /// The ticket after the change.
    pub ticket: Ticket,
    /// The status before.
    pub previous_status: TicketStatus,
    /// The status now.
    pub status: TicketStatus,
}

/// Payload of `ticket.assigned`.
#[derive(Clone, Debug, Deserialize, Serialize, PartialEq)]
#[non_exhaustive]
pub struct TicketAssignedData {
    /// The ticket after the change.
    pub ticket: Ticket,
    /// The previous assignee.
    pub previous_assigned_agent_id: Option<UserId>,
    /// The assignee now.
    pub assigned_agent_id: Option<UserId>,
}

/// Payload of `ticket.department_changed`.
#[derive(Clone, Debug, Deserialize, Serialize, PartialEq)]
#[non_exhaustive]
pub struct TicketDepartmentChangedData {
    /// The ticket after the change.
    pub ticket: Ticket,
    /// The previous department.
    pub previous_department_id: Option<DepartmentId>,
    /// The department now.
    pub department_id: Option<DepartmentId>,
}

/// Payload of `ticket.reply` and `ticket.customer_reply`.
#[derive(Clone, Debug, Deserialize, Serialize, PartialEq)]
#[non_exhaustive]
pub struct TicketReplyData {
    /// The ticket.
    pub ticket: Ticket,
    /// The reply: `content` is the text, `actor_id` the replying agent (`None` for customers).
    pub reply: TicketEvent,
}

impl TicketReplyData {
    /// The reply's text (what `ticket.reply` documents it carries, with the actor).
    pub fn content(&self) -> Option<&str> {
        self.reply.content.as_deref()
    }
    /// The seat that replied: the agent's user ID; `None` for a customer's reply.
    pub fn actor_id(&self) -> Option<&UserId> {
        self.reply.actor_id.as_ref()
    }
}

/// Payload of the `conversation.*` events.
#[derive(Clone, Debug, Deserialize, Serialize, PartialEq)]
#[non_exhaustive]
pub struct ConversationEventData {
    /// The conversation.
    pub conversation: Conversation,
}

/// Payload of `call_request.created` and `call_request.completed`.
#[derive(Clone, Debug, Deserialize, Serialize, PartialEq)]
#[non_exhaustive]
pub struct CallRequestEventData {
    /// The call request.
    pub call_request: CallRequest,
}

/// Payload of `call_request.updated`.
#[derive(Clone, Debug, Deserialize, Serialize, PartialEq)]
#[non_exhaustive]
pub struct CallRequestUpdatedData {
    /// The call request after the change.
    pub call_request: CallRequest,
    /// The names of the fields that changed.
    #[serde(default)]
    pub changed_fields: Vec<String>,
}

/// The `X-NextCap-Signature` value for `body` signed at `timestamp` (Unix seconds):
/// `sha256=` and the lowercase hex HMAC-SHA256 of `"{timestamp}.{body}"`.
///
/// ```
/// let sig = deskapi::nextcap::webhooks::sign("whsec_test", 1_760_000_000, br#"{"id":"1"}"#);
/// assert!(sig.starts_with("sha256=") && sig.len() == 7 + 64);
/// ```
pub fn sign<S: SigningSecret + ?Sized>(secret: &S, timestamp: i64, body: &[u8]) -> String {
    let mac = mac(secret.key_bytes(), timestamp.to_string().as_bytes(), body);
    format!("sha256={}", hex::encode(mac.finalize().into_bytes()))
}

fn mac(key: &[u8], timestamp: &[u8], body: &[u8]) -> Hmac<Sha256> {
    let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(key).expect("HMAC takes a key of any length");
    mac.update(timestamp);
    mac.update(b".");
    mac.update(body);
    mac
}

/// Verifies a delivery against the clock, with the [`DEFAULT_TOLERANCE`], and parses it.
/// `raw_body` must be the bytes as received, before any JSON parsing.
///
/// ```no_run
/// # fn run(headers: http::HeaderMap, body: bytes::Bytes) -> Result<(), deskapi::nextcap::webhooks::WebhookError> {
/// use deskapi::nextcap::webhooks::{WebhookSecret, verify_and_parse};
/// let secret = WebhookSecret::new(std::env::var("NEXTCAP_WEBHOOK_SECRET").unwrap_or_default());
/// let delivery = verify_and_parse(&secret, &headers, &body)?;
/// println!("{} {}", delivery.id, delivery.event.name());
/// # Ok(()) }
/// ```
pub fn verify_and_parse<S: SigningSecret + ?Sized>(
    secret: &S,
    headers: &http::HeaderMap,
    raw_body: &[u8],
) -> Result<WebhookDelivery, WebhookError> {
    verify_and_parse_with(secret, headers, raw_body, DEFAULT_TOLERANCE, Utc::now())
}

/// [`verify_and_parse`] with an explicit tolerance and current time (for tests, or a
/// receiver whose clock is known to drift).
pub fn verify_and_parse_with<S: SigningSecret + ?Sized>(
    secret: &S,
    headers: &http::HeaderMap,
    raw_body: &[u8],
    tolerance: Duration,
    now: DateTime<Utc>,
) -> Result<WebhookDelivery, WebhookError> {
    let key = secret.key_bytes();
    if key.is_empty() {
        return Err(WebhookError::EmptySecret);
    }
    let signature = header(headers, SIGNATURE_HEADER)?;
    let stamp = header(headers, TIMESTAMP_HEADER)?;
    let malformed = |name, reason| WebhookError::MalformedHeader { name, reason };
    if stamp.is_empty() || !stamp.bytes().all(|b| b.is_ascii_digit()) {
        return Err(malformed(TIMESTAMP_HEADER, "expected Unix seconds"));
    }
    let timestamp: i64 = stamp.parse().map_err(|_| malformed(TIMESTAMP_HEADER, "expected Unix seconds"))?;
    let hex_sig = signature.strip_prefix("sha256=").ok_or(malformed(SIGNATURE_HEADER, "expected `sha256=<hex>`"))?;
    let expected = hex::decode(hex_sig).map_err(|_| malformed(SIGNATURE_HEADER, "expected `sha256=<hex>`"))?;
    // Signed over the header text as received, so a reformatted number cannot match by accident.
    mac(key, stamp.as_bytes(), raw_body).verify_slice(&expected).map_err(|_| WebhookError::BadSignature)?;

    let now = now.timestamp();
    if now.abs_diff(timestamp) > tolerance.as_secs() {
        return Err(WebhookError::StaleTimestamp { timestamp, now, tolerance });
    }
    parse(raw_body)
}

fn header<'h>(headers: &'h http::HeaderMap, name: &'static str) -> Result<&'h str, WebhookError> {
    let value = headers.get(name).ok_or(WebhookError::MissingHeader { name })?;
    let text = value.to_str().map_err(|_| WebhookError::MalformedHeader { name, reason: "not ASCII" })?;
    Ok(text.trim())
}

fn parse(raw_body: &[u8]) -> Result<WebhookDelivery, WebhookError> {
    let mut de = serde_json::Deserializer::from_slice(raw_body);
    let malformed = |path: String, e: &serde_json::Error| WebhookError::MalformedBody { path, message: e.to_string() };
    let envelope: WebhookEnvelope =
        serde_path_to_error::deserialize(&mut de).map_err(|e| malformed(e.path().to_string(), e.inner()))?;
    de.end().map_err(|e| malformed(".".to_owned(), &e))?;
    let WebhookEnvelope { id, event, created_at, org_id, data } = envelope;
    Ok(WebhookDelivery { id, created_at, org_id, event: WebhookEvent::from_parts(event, data)? })
}
