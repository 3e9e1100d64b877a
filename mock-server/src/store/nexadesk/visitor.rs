//! The visitor's side of a conversation, driven by the control API (`/__mock/nexadesk/actions`)
//! and the in-process handle, since the REST API has no way to start a chat: a visitor opens
//! a conversation (`conversation.created`, and `message.created` for a first message), writes
//! in it (`message.created`) and closes it (`conversation.closed`: status `archived`).

use serde::Deserialize;
use uuid::Uuid;

use super::writes::{Outcome, WriteError, is_email};
use super::{Conversation, Message, WorkspaceViewMut};
use crate::events::{Event, NexaDeskEventName, random_uuid};
use chrono::{DateTime, Utc};

/// Longest visitor message (not documented; the lead `need_summary` limit).
pub const MAX_MESSAGE_CHARS: usize = 2000;

fn invalid(field: &str, message: &str) -> WriteError {
    WriteError::Invalid { field: field.to_owned(), message: message.to_owned() }
}

/// A visitor starting a conversation from the widget.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StartConversation {
    /// The visitor's name (required, at most 200 characters).
    pub visitor_name: String,
    /// The visitor's email.
    #[serde(default)]
    pub visitor_email: Option<String>,
    /// A first message.
    #[serde(default)]
    pub message: Option<String>,
}

fn check_content(field: &str, content: &str) -> Result<(), WriteError> {
    if content.trim().is_empty() {
        return Err(invalid(field, "is required"));
    }
    if content.chars().count() > MAX_MESSAGE_CHARS {
        return Err(invalid(field, "must be at most 2000 characters"));
    }
    Ok(())
}

impl WorkspaceViewMut<'_> {
    /// Opens a conversation (status `open`, source `widget`) at `now`.
    pub fn start_conversation(&mut self, input: StartConversation, now: DateTime<Utc>) -> Outcome<Conversation> {
        if input.visitor_name.trim().is_empty() || input.visitor_name.chars().count() > 200 {
            return Err(invalid("visitor_name", "is required and at most 200 characters"));
        }
        if input.visitor_email.as_deref().is_some_and(|e| !is_email(e)) {
            return Err(invalid("visitor_email", "must be a valid email address"));
        }
        if let Some(message) = &input.message {
            check_content("message", message)?;
        }
        let conversation = Conversation {
            id: random_uuid(),
            workspace_id: self.workspace_id.to_owned(),
            source: "widget".to_owned(),
            status: "open".to_owned(),
            tags: Vec::new(),
            created_at: now,
            updated_at: now,
            agent_id: None,
            department_id: None,
            visitor_name: Some(input.visitor_name.clone()),
            visitor_email: input.visitor_email,
            visitor_company: None,
            agent_name: None,
            last_message: None,
            message_count: 0,
        };
        let id = conversation.id;
        self.store.conversations.push(conversation);
        let mut events = Vec::new();
        let message = input.message.map(|text| self.push_message(id, ("visitor", Some(input.visitor_name)), text, now));
        let conversation = self.read().conversation(id).cloned().ok_or(WriteError::NotFound("Conversation"))?;
        events.push(Event::nexadesk(self.workspace_id, NexaDeskEventName::ConversationCreated, &conversation));
        if let Some(message) = message {
            events.push(Event::nexadesk(self.workspace_id, NexaDeskEventName::MessageCreated, &message));
        }
        Ok((conversation, events))
    }

    /// A visitor message in an open conversation at `now`; a closed (`archived`) one is 400.
    pub fn visitor_message(&mut self, conversation_id: Uuid, content: String, now: DateTime<Utc>) -> Outcome<Message> {
        let conversation = self.conversation_mut(conversation_id)?;
        if conversation.status == "archived" {
            return Err(invalid("conversation_id", "the conversation is closed"));
        }
        let name = conversation.visitor_name.clone();
        check_content("content", &content)?;
        let message = self.push_message(conversation_id, ("visitor", name), content, now);
        let event = Event::nexadesk(self.workspace_id, NexaDeskEventName::MessageCreated, &message);
        Ok((message, vec![event]))
    }

    /// The visitor leaves at `now`: status `archived` (`conversation.closed`); closing twice is 400.
    pub fn close_conversation(&mut self, conversation_id: Uuid, now: DateTime<Utc>) -> Outcome<Conversation> {
        let conversation = self.conversation_mut(conversation_id)?;
        if conversation.status == "archived" {
            return Err(invalid("conversation_id", "the conversation is already closed"));
        }
        conversation.status = "archived".to_owned();
        conversation.updated_at = now;
        let conversation = conversation.clone();
        let event = Event::nexadesk(self.workspace_id, NexaDeskEventName::ConversationClosed, &conversation);
        Ok((conversation, vec![event]))
    }
}
