//! `start-conversation`, `send-message`, `hand-off` and `complete-conversation`: a chat's life.
//!
//! The lifecycle the actions allow: `active` -> `handed_off` (hand-off) -> `resolved`
//! (complete; also straight from `active`). Messages can be sent until the conversation is
//! archived. Starting a conversation without a known visitor brings a new visitor (with its
//! first session), as a first chat on a site does.

use serde_json::json;
use uuid::Uuid;

use super::{
    ActionError, CompleteConversation, HandOff, NewConversation, VisitorMessage,
    checks::{email, one_of, optional_text, org, required_id, required_text, widget},
};
use crate::{
    events::{Event, EventName, random_uuid},
    state::AppState,
    store::nextcap::{
        CONVERSATION_CHANNELS, Conversation, Message, NextCapStore, PageView, Visitor, VisitorSession,
        insert_newest_first,
    },
    time_fmt,
};

/// The longest message accepted, in characters.
const MAX_MESSAGE: usize = 10_000;

/// See [`super::NextCapActions::start_conversation`].
pub fn start(state: &AppState, input: NewConversation) -> Result<Conversation, ActionError> {
    let (conversation, event) = {
        let mut inner = state.lock();
        let store = &inner.store.nextcap;
        let org_id = org(store, &input.org)?;
        let agent_id = widget(store, org_id, input.agent_id)?.id;
        let channel = one_of("channel", input.channel.as_deref(), &CONVERSATION_CHANNELS, "widget")?;
        let visitor_email = email("visitor_email", input.visitor_email)?;
        let visitor_name = optional_text("visitor_name", input.visitor_name, 200)?;
        let message = optional_text("message", input.message, MAX_MESSAGE)?;
        let language = optional_text("language", input.language, 16)?.unwrap_or_else(|| "en".to_owned());
        let known = match input.visitor_id.as_deref().map(str::trim).filter(|v| !v.is_empty()) {
            Some(text_id) => Some(
                store
                    .visitor_by_text_id(org_id, text_id)
                    .map(|v| v.id)
                    .ok_or_else(|| ActionError::invalid("visitor_id", "is not a visitor of this organisation"))?,
            ),
            None => None,
        };
        let country = country(input.country)?;
        let now = time_fmt::now();
        let store = &mut inner.store_mut().nextcap;
        let visitor = match known {
            Some(id) => id,
            None => new_visitor(store, org_id, agent_id, &country, &language, now),
        };
        let visitor = store
            .visitors
            .iter_mut()
            .find(|v| v.id == visitor)
            .ok_or_else(|| ActionError::invalid("visitor_id", "is not a visitor of this organisation"))?;
        visitor.name = visitor.name.take().or(visitor_name);
        visitor.email = visitor.email.take().or(visitor_email);
        visitor.total_conversations += 1;
        (visitor.last_seen_at, visitor.updated_at) = (now, now);
        let (text_id, name, mail) = (visitor.visitor_id.clone(), visitor.name.clone(), visitor.email.clone());
        let id = random_uuid();
        let mut conversation = Conversation {
            id,
            org_id,
            agent_id,
            visitor_id: text_id,
            status: "active".to_owned(),
            assigned_agent_id: None,
            channel: channel.to_owned(),
            title: message.as_ref().map(|m| m.chars().take(80).collect()),
            visitor_name: name,
            visitor_email: mail,
            lead_id: None,
            message_count: 0,
            satisfaction_rating: None,
            detected_language: Some(language),
            handed_off_at: None,
            resolved_at: None,
            created_at: now,
            updated_at: now,
        };
        if let Some(content) = message {
            store.messages.push(user_message(id, content, now));
            conversation.message_count = 1;
        }
        insert_newest_first(&mut store.conversations, conversation.clone());
        let event = Event::new(org_id, EventName::ConversationCreated, json!({ "conversation": conversation }));
        (conversation, event)
    };
    state.publish(vec![event]);
    Ok(conversation)
}

fn country(value: Option<String>) -> Result<String, ActionError> {
    match optional_text("country", value, 2)? {
        None => Ok("US".to_owned()),
        Some(c) if c.len() == 2 && c.bytes().all(|b| b.is_ascii_alphabetic()) => Ok(c.to_ascii_uppercase()),
        Some(_) => Err(ActionError::invalid("country", "must be a two-letter ISO 3166-1 code")),
    }
}

/// A first-time visitor with the session they arrived in; returns its id.
fn new_visitor(
    store: &mut NextCapStore,
    org_id: Uuid,
    agent_id: Uuid,
    country: &str,
    language: &str,
    now: chrono::DateTime<chrono::Utc>,
) -> Uuid {
    let id = random_uuid();
    let text_id = format!("v_{}", crate::keys::alphanumeric(&mut rand::thread_rng(), 12));
    store.sessions.push(VisitorSession {
        id: random_uuid(),
        visitor_id: id,
        started_at: now,
        ended_at: None,
        duration_seconds: None,
        landing_url: Some("https://acme.com/".to_owned()),
        referrer: None,
        utm_source: None,
        utm_medium: None,
        utm_campaign: None,
        utm_term: None,
        utm_content: None,
        page_view_count: 1,
        page_views: vec![PageView {
            url: "https://acme.com/".to_owned(),
            title: Some("Home".to_owned()),
            viewed_at: now,
        }],
        created_at: now,
    });
    let visitor = Visitor {
        id,
        org_id,
        visitor_id: text_id,
        agent_id: Some(agent_id),
        name: None,
        email: None,
        phone: None,
        country: country.to_owned(),
        city: None,
        language: Some(language.to_owned()),
        timezone: None,
        browser: Some("Chrome".to_owned()),
        os: Some("macOS".to_owned()),
        device_type: Some("desktop".to_owned()),
        total_sessions: 1,
        total_page_views: 1,
        total_conversations: 0,
        first_seen_at: now,
        last_seen_at: now,
        created_at: now,
        updated_at: now,
    };
    insert_newest_first(&mut store.visitors, visitor);
    id
}

fn user_message(conversation_id: Uuid, content: String, now: chrono::DateTime<chrono::Utc>) -> Message {
    Message {
        id: random_uuid(),
        conversation_id,
        role: "user".to_owned(),
        content,
        sources: None,
        attachments: None,
        feedback: None,
        created_at: now,
        usage: None,
    }
}

/// The organisation's conversation named by `conversation_id`, for changing.
fn conversation_mut(
    store: &mut NextCapStore,
    org_id: Uuid,
    id: Option<Uuid>,
) -> Result<&mut Conversation, ActionError> {
    let id = required_id("conversation_id", id)?;
    store
        .conversations
        .iter_mut()
        .find(|c| c.id == id && c.org_id == org_id)
        .ok_or_else(|| ActionError::invalid("conversation_id", "does not exist in this organisation"))
}

/// See [`super::NextCapActions::send_visitor_message`].
pub fn send_message(state: &AppState, input: VisitorMessage) -> Result<Message, ActionError> {
    let mut inner = state.lock();
    let org_id = org(&inner.store.nextcap, &input.org)?;
    let content = required_text("content", &input.content, MAX_MESSAGE)?;
    let id = required_id("conversation_id", input.conversation_id)?;
    // Checked on the shared store first: `store_mut` copies the pristine fixtures on the first
    // write, which a request that is going to fail should not cause.
    inner
        .store
        .nextcap
        .conversation(org_id, id)
        .ok_or_else(|| ActionError::invalid("conversation_id", "does not exist in this organisation"))?;
    let now = time_fmt::now();
    let store = &mut inner.store_mut().nextcap;
    let conversation = conversation_mut(store, org_id, Some(id))?;
    if conversation.status == "archived" {
        return Err(ActionError::conflict("conversation_id", "the conversation is archived"));
    }
    conversation.message_count += 1;
    conversation.updated_at = now;
    if conversation.title.is_none() {
        conversation.title = Some(content.chars().take(80).collect());
    }
    let message = user_message(id, content, now);
    store.messages.push(message.clone());
    Ok(message)
}

/// Applies `change` to the conversation after `allowed` approved its status, then publishes
/// `event` with the result: the shared shape of hand-off and complete.
fn transition(
    state: &AppState,
    org_ref: &str,
    id: Option<Uuid>,
    event: EventName,
    allowed: &[&str],
    change: impl FnOnce(&mut Conversation, chrono::DateTime<chrono::Utc>),
) -> Result<Conversation, ActionError> {
    let (conversation, event) = {
        let mut inner = state.lock();
        let org_id = org(&inner.store.nextcap, org_ref)?;
        let id = required_id("conversation_id", id)?;
        let current = inner
            .store
            .nextcap
            .conversation(org_id, id)
            .ok_or_else(|| ActionError::invalid("conversation_id", "does not exist in this organisation"))?;
        if !allowed.contains(&current.status.as_str()) {
            let why =
                format!("the conversation is {}; this needs one that is {}", current.status, allowed.join(" or "));
            return Err(ActionError::conflict("conversation_id", why));
        }
        let conversation = conversation_mut(&mut inner.store_mut().nextcap, org_id, Some(id))?;
        let now = time_fmt::now();
        change(conversation, now);
        conversation.updated_at = now;
        let conversation = conversation.clone();
        let event = Event::new(org_id, event, json!({ "conversation": conversation }));
        (conversation, event)
    };
    state.publish(vec![event]);
    Ok(conversation)
}

/// See [`super::NextCapActions::hand_off_conversation`].
pub fn hand_off(state: &AppState, input: HandOff) -> Result<Conversation, ActionError> {
    if let Some(seat) = input.assigned_agent_id {
        let inner = state.lock();
        let org_id = org(&inner.store.nextcap, &input.org)?;
        inner.store.nextcap.active_seat(org_id, seat).ok_or_else(|| {
            ActionError::invalid("assigned_agent_id", "is not an active team member of this organisation")
        })?;
    }
    transition(state, &input.org, input.conversation_id, EventName::ConversationHandedOff, &["active"], |c, now| {
        c.status = "handed_off".to_owned();
        c.handed_off_at = Some(now);
        c.assigned_agent_id = input.assigned_agent_id;
    })
}

/// See [`super::NextCapActions::complete_conversation`].
pub fn complete(state: &AppState, input: CompleteConversation) -> Result<Conversation, ActionError> {
    if input.satisfaction_rating.is_some_and(|r| !(1..=5).contains(&r)) {
        return Err(ActionError::invalid("satisfaction_rating", "must be 1 to 5"));
    }
    let allowed = ["active", "handed_off"];
    transition(state, &input.org, input.conversation_id, EventName::ConversationCompleted, &allowed, |c, now| {
        c.status = "resolved".to_owned();
        c.resolved_at = Some(now);
        c.satisfaction_rating = input.satisfaction_rating.or(c.satisfaction_rating);
    })
}
