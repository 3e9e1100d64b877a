//! The writes behind Next Cap's chat actions: a visitor starting a conversation (and, on a
//! first chat, arriving as a new visitor with its first session), sending messages, and the
//! conversation being handed off or completed.
//!
//! Shaped like [`super::writes`]: methods of [`OrgViewMut`] taking input the action has already
//! checked against a read view (status rules included, so a refused action never copies the
//! pristine store), returning what changed with the events it caused.

use chrono::{DateTime, Utc};
use serde_json::json;
use uuid::Uuid;

use super::{Conversation, Message, OrgViewMut, PageView, Visitor, VisitorSession, insert_newest_first};
use crate::events::{ChatEventName, Event, EventName, random_uuid};

/// A conversation a visitor starts, its fields checked by the action.
#[derive(Clone, Debug)]
pub struct NewChat {
    /// The widget it starts on (one of the organisation's).
    pub agent_id: Uuid,
    /// One of [`super::CONVERSATION_CHANNELS`].
    pub channel: &'static str,
    /// The returning visitor (row id); `None` brings a new visitor with its first session.
    pub visitor: Option<Uuid>,
    /// The visitor's name, kept only when the visitor has none yet.
    pub visitor_name: Option<String>,
    /// The visitor's email, kept only when the visitor has none yet.
    pub visitor_email: Option<String>,
    /// The first message, if the visitor wrote one (it also titles the conversation).
    pub message: Option<String>,
    /// ISO 639-1 code: the conversation's detected language and a new visitor's language.
    pub language: String,
    /// A new visitor's ISO 3166-1 alpha-2 country, upper case.
    pub country: String,
}

/// A message by the visitor.
fn user_message(conversation_id: Uuid, content: String, now: DateTime<Utc>) -> Message {
    new_message(conversation_id, "user", content, now)
}

/// A message of `role` (`user` for the visitor, `agent` for a seat).
fn new_message(conversation_id: Uuid, role: &str, content: String, now: DateTime<Utc>) -> Message {
    Message {
        id: random_uuid(),
        conversation_id,
        role: role.to_owned(),
        content,
        sources: None,
        attachments: None,
        feedback: None,
        created_at: now,
        usage: None,
    }
}

impl OrgViewMut<'_> {
    /// Starts a conversation at `now`: the visitor (new or returning) counts one more
    /// conversation and is seen now, and takes the name and email it lacked; the first message,
    /// if any, is stored and titles the conversation (80 characters): `conversation.created`.
    /// `None` when `chat.visitor` is not one of the organisation's visitors.
    pub fn start_conversation(&mut self, chat: NewChat, now: DateTime<Utc>) -> Option<(Conversation, Vec<Event>)> {
        let org = self.org;
        let visitor = match chat.visitor {
            Some(id) => id,
            None => self.new_visitor(chat.agent_id, &chat.country, &chat.language, now),
        };
        let visitor = self.store.visitors.iter_mut().find(|v| v.id == visitor && v.org_id == org)?;
        visitor.name = visitor.name.take().or(chat.visitor_name);
        visitor.email = visitor.email.take().or(chat.visitor_email);
        visitor.total_conversations += 1;
        (visitor.last_seen_at, visitor.updated_at) = (now, now);
        let (text_id, name, mail) = (visitor.visitor_id.clone(), visitor.name.clone(), visitor.email.clone());
        let id = random_uuid();
        let mut conversation = Conversation {
            id,
            org_id: org,
            agent_id: chat.agent_id,
            visitor_id: text_id,
            status: "active".to_owned(),
            assigned_agent_id: None,
            channel: chat.channel.to_owned(),
            title: chat.message.as_ref().map(|m| m.chars().take(80).collect()),
            visitor_name: name,
            visitor_email: mail,
            lead_id: None,
            message_count: 0,
            satisfaction_rating: None,
            detected_language: Some(chat.language),
            handed_off_at: None,
            resolved_at: None,
            created_at: now,
            updated_at: now,
        };
        if let Some(content) = chat.message {
            self.store.messages.push(user_message(id, content, now));
            conversation.message_count = 1;
        }
        insert_newest_first(&mut self.store.conversations, conversation.clone());
        let event = Event::new(org, EventName::ConversationCreated, json!({ "conversation": conversation }));
        Some((conversation, vec![event]))
    }

    /// A first-time visitor with the session they arrived in; returns its id.
    fn new_visitor(&mut self, agent_id: Uuid, country: &str, language: &str, now: DateTime<Utc>) -> Uuid {
        let id = random_uuid();
        let text_id = format!("v_{}", crate::keys::alphanumeric(&mut rand::thread_rng(), 12));
        self.store.sessions.push(VisitorSession {
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
            org_id: self.org,
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
        insert_newest_first(&mut self.store.visitors, visitor);
        id
    }

    /// The organisation's conversation `id`, for changing.
    fn conversation_mut(&mut self, id: Uuid) -> Option<&mut Conversation> {
        let org = self.org;
        self.store.conversations.iter_mut().find(|c| c.id == id && c.org_id == org)
    }

    /// Stores a message the visitor sent at `now` in conversation `id` (whose status the action
    /// has checked): the conversation counts it, is updated now, and takes its first 80
    /// characters as title when it has none. No webhook; live chat's `message:new` to the
    /// conversation's room. `None` when the organisation has no such conversation.
    pub fn send_visitor_message(
        &mut self,
        id: Uuid,
        content: String,
        now: DateTime<Utc>,
    ) -> Option<(Message, Vec<Event>)> {
        self.add_message(id, "user", content, now)
    }

    /// Stores a message a seat's agent sent at `now` in conversation `id` (`crm:message`, whose
    /// permission the namespace has checked): counted like a visitor's, role `agent`, and
    /// `message:new` to the conversation's room. `None` when the organisation has no such
    /// conversation.
    pub fn send_agent_message(
        &mut self,
        id: Uuid,
        content: String,
        now: DateTime<Utc>,
    ) -> Option<(Message, Vec<Event>)> {
        self.add_message(id, "agent", content, now)
    }

    fn add_message(
        &mut self,
        id: Uuid,
        role: &str,
        content: String,
        now: DateTime<Utc>,
    ) -> Option<(Message, Vec<Event>)> {
        let org = self.org;
        let conversation = self.conversation_mut(id)?;
        conversation.message_count += 1;
        conversation.updated_at = now;
        if conversation.title.is_none() {
            conversation.title = Some(content.chars().take(80).collect());
        }
        let visitor_id = conversation.visitor_id.clone();
        let message = new_message(id, role, content, now);
        self.store.messages.push(message.clone());
        let event = message_new(org, &visitor_id, &message);
        Some((message, vec![event]))
    }

    /// Hands conversation `id` to a human at `now` (the action has checked it is `active`, and
    /// that `assignee` is an active seat): `handed_off`, stamped, assigned to `assignee`
    /// (unassigned for `None`): `conversation.handed_off`. `None` when the organisation has no
    /// such conversation.
    pub fn hand_off_conversation(
        &mut self,
        id: Uuid,
        assignee: Option<Uuid>,
        now: DateTime<Utc>,
    ) -> Option<(Conversation, Vec<Event>)> {
        self.change_conversation(id, EventName::ConversationHandedOff, now, |c| {
            c.status = "handed_off".to_owned();
            c.handed_off_at = Some(now);
            c.assigned_agent_id = assignee;
        })
    }

    /// Completes conversation `id` at `now` (the action has checked it is `active` or
    /// `handed_off`): `resolved`, stamped, rated `rating` (1-5, checked) or keeping its rating
    /// for `None`: `conversation.completed`. `None` when the organisation has no such
    /// conversation.
    pub fn complete_conversation(
        &mut self,
        id: Uuid,
        rating: Option<u8>,
        now: DateTime<Utc>,
    ) -> Option<(Conversation, Vec<Event>)> {
        self.change_conversation(id, EventName::ConversationCompleted, now, |c| {
            c.status = "resolved".to_owned();
            c.resolved_at = Some(now);
            c.satisfaction_rating = rating.or(c.satisfaction_rating);
        })
    }

    /// Stores the visitor's `rating` (1-5, checked) on conversation `id` at `now`. No webhook
    /// (the action publishes live chat's `feedback:received`). `None` when the organisation has
    /// no such conversation.
    pub fn rate_conversation(&mut self, id: Uuid, rating: u8, now: DateTime<Utc>) -> Option<Conversation> {
        let conversation = self.conversation_mut(id)?;
        conversation.satisfaction_rating = Some(rating);
        conversation.updated_at = now;
        Some(conversation.clone())
    }

    /// Applies `change` to conversation `id`, bumps its `updated_at` to `now`, and reports
    /// `event` with the result: the shared shape of hand-off and complete.
    fn change_conversation(
        &mut self,
        id: Uuid,
        event: EventName,
        now: DateTime<Utc>,
        change: impl FnOnce(&mut Conversation),
    ) -> Option<(Conversation, Vec<Event>)> {
        let org = self.org;
        let conversation = self.conversation_mut(id)?;
        change(conversation);
        conversation.updated_at = now;
        let conversation = conversation.clone();
        let event = Event::new(org, event, json!({ "conversation": conversation }));
        Some((conversation, vec![event]))
    }
}

/// Live chat's `message:new` for `message` of organisation `org` (the contract's `messageNew`:
/// camelCase, the visitor's text id, `attachments` null when there are none).
fn message_new(org: Uuid, visitor_id: &str, message: &Message) -> Event {
    let data = json!({
        "id": message.id,
        "conversationId": message.conversation_id,
        "role": message.role,
        "content": message.content,
        "visitorId": visitor_id,
        "createdAt": crate::time_fmt::millis_string(&message.created_at),
        "attachments": message.attachments,
    });
    Event::chat(org, ChatEventName::MessageNew, data)
}
