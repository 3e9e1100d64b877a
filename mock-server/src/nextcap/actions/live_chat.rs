//! `visitor-typing` and `rate-conversation`: what a visitor does that only live chat hears
//! (contract `openapi/nextcap-chat.yaml`: `typing` with role `visitor`, `typing:content`,
//! `feedback:received`). Neither is a webhook event.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value, json};
use uuid::Uuid;

use super::{
    ActionError,
    checks::{org, required_id},
    locked,
};
use crate::events::{ChatEventName, Event};
use crate::{state::AppState, store::nextcap::Conversation};

/// The longest unsent text `visitor-typing` carries, in characters.
const MAX_DRAFT: usize = 10_000;

/// `visitor-typing`: the visitor is typing in a conversation (fires `typing` with role
/// `visitor`, and `typing:content` with the text so far when `content` is given).
#[derive(Clone, Debug, Default, Deserialize, Serialize, PartialEq)]
#[serde(default, deny_unknown_fields)]
pub struct VisitorTyping {
    /// Organisation (required).
    pub org: String,
    /// The conversation (required).
    pub conversation_id: Option<Uuid>,
    /// The unsent text so far, if the widget shares it.
    pub content: Option<String>,
}

/// `rate-conversation`: the visitor rates a conversation (stores the rating on it; fires
/// `feedback:received`).
#[derive(Clone, Debug, Default, Deserialize, Serialize, PartialEq)]
#[serde(default, deny_unknown_fields)]
pub struct RateConversation {
    /// Organisation (required).
    pub org: String,
    /// The conversation (required).
    pub conversation_id: Option<Uuid>,
    /// 1-5 (required).
    pub satisfaction_rating: Option<u8>,
    /// Free-form feedback, sent as `feedbackData`.
    pub feedback: Option<Map<String, Value>>,
}

fn missing() -> ActionError {
    ActionError::invalid("conversation_id", "does not exist in this organisation")
}

/// See [`super::NextCapActions::visitor_typing`]; answers `{"typing": true}`.
pub fn visitor_typing(state: &AppState, input: VisitorTyping) -> Result<Value, ActionError> {
    if input.content.as_ref().is_some_and(|c| c.chars().count() > MAX_DRAFT) {
        return Err(ActionError::invalid("content", format!("must be at most {MAX_DRAFT} characters")));
    }
    locked(state, |inner| {
        let org = org(inner.store().nextcap(), &input.org)?;
        let id = required_id("conversation_id", input.conversation_id)?;
        let conversation = org.conversation(id).ok_or_else(missing)?;
        let visitor = &conversation.visitor_id;
        let mut events = vec![Event::chat(
            org.org_id(),
            ChatEventName::Typing,
            json!({ "conversationId": id, "role": "visitor", "identifier": visitor }),
        )];
        if let Some(content) = input.content {
            let data = json!({ "conversationId": id, "visitorId": visitor, "content": content });
            events.push(Event::chat(org.org_id(), ChatEventName::TypingContent, data));
        }
        Ok((json!({ "typing": true }), events))
    })
}

/// See [`super::NextCapActions::rate_conversation`].
pub fn rate_conversation(state: &AppState, input: RateConversation) -> Result<Conversation, ActionError> {
    let rating = input
        .satisfaction_rating
        .filter(|r| (1..=5).contains(r))
        .ok_or_else(|| ActionError::invalid("satisfaction_rating", "is required, 1-5"))?;
    locked(state, |inner| {
        let org = org(inner.store().nextcap(), &input.org)?;
        let id = required_id("conversation_id", input.conversation_id)?;
        org.conversation(id).ok_or_else(missing)?;
        let org_id = org.org_id();
        let mut view = inner.store_mut().nextcap_mut().org_view_mut(org_id);
        let conversation = view.rate_conversation(id, rating, state.clock().now()).ok_or_else(missing)?;
        let data = json!({
            "conversationId": id,
            "satisfactionRating": rating,
            "feedbackData": input.feedback,
        });
        Ok((conversation, vec![Event::chat(org_id, ChatEventName::FeedbackReceived, data)]))
    })
}
