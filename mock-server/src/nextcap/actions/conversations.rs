//! `start-conversation`, `send-message`, `hand-off` and `complete-conversation`: a chat's life.
//!
//! The lifecycle the actions allow: `active` -> `handed_off` (hand-off) -> `resolved`
//! (complete; also straight from `active`). Messages can be sent until the conversation is
//! archived. Starting a conversation without a known visitor brings a new visitor (with its
//! first session), as a first chat on a site does.

use uuid::Uuid;

use super::{
    ActionError, CompleteConversation, HandOff, NewConversation, VisitorMessage,
    checks::{email, one_of, optional_text, org, required_id, required_text, widget},
    locked,
};
use crate::{
    events::Event,
    state::AppState,
    store::nextcap::{CONVERSATION_CHANNELS, Conversation, Message, NewChat, OrgView, OrgViewMut},
};

/// The longest message accepted, in characters.
const MAX_MESSAGE: usize = 10_000;

/// See [`super::NextCapActions::start_conversation`].
pub fn start(state: &AppState, input: NewConversation) -> Result<Conversation, ActionError> {
    let unknown_visitor = || ActionError::invalid("visitor_id", "is not a visitor of this organisation");
    locked(state, |inner| {
        let org = org(inner.store().nextcap(), &input.org)?;
        let agent_id = widget(&org, input.agent_id)?.id;
        let channel = one_of("channel", input.channel.as_deref(), &CONVERSATION_CHANNELS, "widget")?;
        let visitor_email = email("visitor_email", input.visitor_email)?;
        let visitor_name = optional_text("visitor_name", input.visitor_name, 200)?;
        let message = optional_text("message", input.message, MAX_MESSAGE)?;
        let language = optional_text("language", input.language, 16)?.unwrap_or_else(|| "en".to_owned());
        let visitor = match input.visitor_id.as_deref().map(str::trim).filter(|v| !v.is_empty()) {
            Some(text_id) => Some(org.visitor_by_text_id(text_id).map(|v| v.id).ok_or_else(unknown_visitor)?),
            None => None,
        };
        let country = country(input.country)?;
        let chat = NewChat { agent_id, channel, visitor, visitor_name, visitor_email, message, language, country };
        let org_id = org.org_id();
        let now = state.clock().now();
        inner.store_mut().nextcap_mut().org_view_mut(org_id).start_conversation(chat, now).ok_or_else(unknown_visitor)
    })
}

fn country(value: Option<String>) -> Result<String, ActionError> {
    match optional_text("country", value, 2)? {
        None => Ok("US".to_owned()),
        Some(c) if c.len() == 2 && c.bytes().all(|b| b.is_ascii_alphabetic()) => Ok(c.to_ascii_uppercase()),
        Some(_) => Err(ActionError::invalid("country", "must be a two-letter ISO 3166-1 code")),
    }
}

/// The organisation's conversation named by `conversation_id`, read-only.
fn conversation<'a>(org: &OrgView<'a>, id: Option<Uuid>) -> Result<&'a Conversation, ActionError> {
    let id = required_id("conversation_id", id)?;
    org.conversation(id).ok_or_else(missing)
}

fn missing() -> ActionError {
    ActionError::invalid("conversation_id", "does not exist in this organisation")
}

/// See [`super::NextCapActions::send_visitor_message`].
pub fn send_message(state: &AppState, input: VisitorMessage) -> Result<Message, ActionError> {
    locked(state, |inner| {
        let org = org(inner.store().nextcap(), &input.org)?;
        let content = required_text("content", &input.content, MAX_MESSAGE)?;
        // Checked on the shared store first: `store_mut` copies the pristine fixtures on the
        // first write, which a request that is going to fail should not cause.
        let current = conversation(&org, input.conversation_id)?;
        if current.status == "archived" {
            return Err(ActionError::conflict("conversation_id", "the conversation is archived"));
        }
        let (org_id, id) = (org.org_id(), current.id);
        inner
            .store_mut()
            .nextcap_mut()
            .org_view_mut(org_id)
            .send_visitor_message(id, content, state.clock().now())
            .ok_or_else(missing)
    })
}

/// Checks that the conversation's status is one of `allowed` (after `check` approved the rest
/// of the input), then makes the `change`: the shared shape of hand-off and complete.
fn transition(
    state: &AppState,
    org_ref: &str,
    id: Option<Uuid>,
    allowed: &[&str],
    check: impl FnOnce(&OrgView<'_>) -> Result<(), ActionError>,
    change: impl FnOnce(&mut OrgViewMut<'_>, Uuid) -> Option<(Conversation, Vec<Event>)>,
) -> Result<Conversation, ActionError> {
    locked(state, |inner| {
        let org = org(inner.store().nextcap(), org_ref)?;
        check(&org)?;
        let current = conversation(&org, id)?;
        if !allowed.contains(&current.status.as_str()) {
            let why =
                format!("the conversation is {}; this needs one that is {}", current.status, allowed.join(" or "));
            return Err(ActionError::conflict("conversation_id", why));
        }
        let (org_id, id) = (org.org_id(), current.id);
        change(&mut inner.store_mut().nextcap_mut().org_view_mut(org_id), id).ok_or_else(missing)
    })
}

/// See [`super::NextCapActions::hand_off_conversation`].
pub fn hand_off(state: &AppState, input: HandOff) -> Result<Conversation, ActionError> {
    let assignee = input.assigned_agent_id;
    let seat_check = |org: &OrgView<'_>| match assignee {
        Some(seat) if org.active_seat(seat).is_none() => {
            Err(ActionError::invalid("assigned_agent_id", "is not an active team member of this organisation"))
        }
        _ => Ok(()),
    };
    transition(state, &input.org, input.conversation_id, &["active"], seat_check, |view, id| {
        view.hand_off_conversation(id, assignee, state.clock().now())
    })
}

/// See [`super::NextCapActions::complete_conversation`].
pub fn complete(state: &AppState, input: CompleteConversation) -> Result<Conversation, ActionError> {
    if input.satisfaction_rating.is_some_and(|r| !(1..=5).contains(&r)) {
        return Err(ActionError::invalid("satisfaction_rating", "must be 1 to 5"));
    }
    let allowed = ["active", "handed_off"];
    transition(
        state,
        &input.org,
        input.conversation_id,
        &allowed,
        |_| Ok(()),
        |view, id| view.complete_conversation(id, input.satisfaction_rating, state.clock().now()),
    )
}
