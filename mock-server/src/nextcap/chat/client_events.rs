//! The four client events of `/crm-chat` and their acknowledgements (contract
//! `openapi/nextcap-chat.yaml`: `crm:join`, `crm:leave`, `crm:message`, `crm:typing`).
//!
//! Each is a plain function from the socket's [`Session`] and the event's payload to an ack
//! (`{"success": true, ...}`) or an [`AckError`] (`{"success": false, "error": {code,
//! message}}` with the REST API's codes), so the rules are testable without a socket; the
//! namespace only wires them to Socket.IO. Nothing a client sends may disconnect the socket:
//! every bad payload is a `VALIDATION_ERROR` ack.

use serde_json::{Value, json};
use uuid::Uuid;

use super::handshake::Session;
use crate::{state::AppState, store::nextcap::Conversation};

/// The longest `content` of `crm:message`, in characters (the visitor's `send-message` limit).
pub const MAX_CONTENT: usize = 10_000;

/// A failure ack: a REST error code and a message.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AckError {
    /// `VALIDATION_ERROR`, `UNAUTHORIZED`, `FORBIDDEN` or `NOT_FOUND`.
    pub code: &'static str,
    /// Why.
    pub message: String,
}

impl AckError {
    fn new(code: &'static str, message: impl Into<String>) -> AckError {
        AckError { code, message: message.into() }
    }

    fn invalid(message: impl Into<String>) -> AckError {
        AckError::new("VALIDATION_ERROR", message)
    }

    /// The ack payload.
    pub fn to_ack(&self) -> Value {
        json!({ "success": false, "error": { "code": self.code, "message": self.message } })
    }
}

/// What an ack handler answers.
pub type AckResult = Result<Value, AckError>;

/// The ack payload of `result`.
pub fn ack_payload(result: &AckResult) -> Value {
    match result {
        Ok(value) => value.clone(),
        Err(error) => error.to_ack(),
    }
}

/// The payload as an object, or why not.
fn object(payload: Option<&Value>) -> Result<&serde_json::Map<String, Value>, AckError> {
    payload.and_then(Value::as_object).ok_or_else(|| AckError::invalid("The payload must be a JSON object"))
}

/// `conversationId` of the payload: a UUID.
fn conversation_id(payload: Option<&Value>) -> Result<Uuid, AckError> {
    let field = object(payload)?.get("conversationId");
    let text = field.and_then(Value::as_str).map(str::trim).filter(|s| !s.is_empty());
    let text = text.ok_or_else(|| AckError::invalid("conversationId is required (a UUID string)"))?;
    Uuid::parse_str(text).map_err(|_| AckError::invalid("conversationId must be a UUID"))
}

/// Reads the seat behind `session` and the conversation it names, enforcing access:
/// `any_of` permissions (FORBIDDEN), the organisation and the seat's widgets (NOT_FOUND, as REST
/// answers an id outside them), and view-own seats only their assigned conversations (NOT_FOUND).
fn with_conversation<T>(
    state: &AppState,
    session: &Session,
    id: Uuid,
    any_of: &[&str],
    f: impl FnOnce(&Conversation) -> T,
) -> Result<T, AckError> {
    let inner = state.lock();
    let store = &inner.store();
    let seat = store.nextcap().seat(session.seat_id).filter(|s| s.active);
    let seat = seat.filter(|_| store.keys().get(&session.api_key).is_some());
    let seat = seat.ok_or_else(|| AckError::new("UNAUTHORIZED", "API key is no longer valid"))?;
    let holds = |p: &str| seat.permissions.iter().any(|h| h == p);
    if !any_of.iter().any(|p| holds(p)) {
        return Err(AckError::new(
            "FORBIDDEN",
            format!("Insufficient permissions: requires one of {}", any_of.join(", ")),
        ));
    }
    let missing = || AckError::new("NOT_FOUND", "Conversation not found");
    let org = store.nextcap().org_view(session.org_id);
    let conversation = org.conversation(id).ok_or_else(missing)?;
    if !seat.widget_ids.contains(&conversation.agent_id) {
        return Err(missing());
    }
    if !holds("conversations:view") && conversation.assigned_agent_id != Some(seat.id) {
        return Err(missing());
    }
    Ok(f(conversation))
}

/// `crm:join`: the conversation the socket may now join as a room.
pub fn join(state: &AppState, session: &Session, payload: Option<&Value>) -> Result<Uuid, AckError> {
    let id = conversation_id(payload)?;
    with_conversation(state, session, id, &["conversations:view", "conversations:view-own"], |c| c.id)
}

/// `crm:leave`: the room to leave (leaving a room not joined succeeds too).
pub fn leave(payload: Option<&Value>) -> Result<Uuid, AckError> {
    conversation_id(payload)
}

/// `crm:message`: stores an `agent` message and publishes its `message:new`; the ack carries
/// `messageId` and `createdAt`.
pub fn message(state: &AppState, session: &Session, payload: Option<&Value>) -> AckResult {
    let id = conversation_id(payload)?;
    let content = object(payload)?.get("content").and_then(Value::as_str);
    let content = content.filter(|c| !c.trim().is_empty());
    let content = content.ok_or_else(|| AckError::invalid("content is required (a non-empty string)"))?;
    if content.chars().count() > MAX_CONTENT {
        return Err(AckError::invalid(format!("content must be at most {MAX_CONTENT} characters")));
    }
    with_conversation(state, session, id, &["live-chat:join"], |_| ())?;
    let written = {
        let mut inner = state.lock();
        let mut org = inner.store_mut().nextcap_mut().org_view_mut(session.org_id);
        org.send_agent_message(id, content.to_owned(), state.clock().now())
    };
    let (message, events) = written.ok_or_else(|| AckError::new("NOT_FOUND", "Conversation not found"))?;
    state.publish(events);
    // `createdAt` is not in the document (only `messageId` is); the contract offers it as an
    // optional field, the same instant as the `message:new` it causes, so no lookup is needed.
    let created_at = crate::time_fmt::millis_string(&message.created_at);
    Ok(json!({ "success": true, "messageId": message.id, "createdAt": created_at }))
}

/// `crm:typing`: the conversation and the `typing` payload the namespace emits to the others in
/// its room (not through the event bus, which would echo it to the typing agent too).
pub fn typing(state: &AppState, session: &Session, payload: Option<&Value>) -> Result<(Uuid, Value), AckError> {
    let id = conversation_id(payload)?;
    with_conversation(state, session, id, &["live-chat:join"], |_| ())?;
    Ok((id, json!({ "conversationId": id, "role": "agent", "identifier": session.seat_id })))
}
