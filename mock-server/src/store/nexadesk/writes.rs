//! Writes: the REST API's creates, updates and deletes, and the visitor actions of the control
//! API. Each input is a plain `Deserialize` struct (the HTTP body and the in-process handle
//! share it) whose `check` applies the documented limits (`nexadesk-leads.txt`, API README);
//! the rules that need the workspace's rows (unique contact email, rep membership) are checked
//! in the write itself. Every write returns the webhook events it caused.
//!
//! PATCH bodies tell "absent" (leave alone) from `null` (clear) with [`crate::body::present`];
//! `null` on a field that cannot be empty (a name, a stage, tags) is refused.

use serde::Deserialize;
use serde_json::Number;
use uuid::Uuid;

use super::{CONVERSATION_STATUSES, Contact, Conversation, Lead, Message, STAGES, WorkspaceViewMut};
use crate::body::present;
use crate::events::{Event, NexaDeskEventName, random_uuid};
use chrono::{DateTime, Utc};

/// Why a write was refused; the API layer renders it in NexaDesk's envelope.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum WriteError {
    /// 400: a field breaks a documented rule.
    Invalid {
        /// The field.
        field: String,
        /// What is wrong, without the field name.
        message: String,
    },
    /// 404: no such row in this workspace (the noun: `Lead`, `Contact`, `Conversation`).
    NotFound(&'static str),
    /// 409: a duplicate (a contact email already used in the workspace).
    Conflict(String),
}

/// A write's value and the events it caused.
pub type Outcome<T> = Result<(T, Vec<Event>), WriteError>;

fn invalid(field: &str, message: impl Into<String>) -> WriteError {
    WriteError::Invalid { field: field.to_owned(), message: message.into() }
}

fn max_chars(field: &str, value: Option<&str>, max: usize) -> Result<(), WriteError> {
    match value {
        Some(v) if v.chars().count() > max => Err(invalid(field, format!("must be at most {max} characters"))),
        _ => Ok(()),
    }
}

fn required(field: &str, value: &str, max: usize) -> Result<(), WriteError> {
    if value.trim().is_empty() {
        return Err(invalid(field, "is required"));
    }
    max_chars(field, Some(value), max)
}

/// A plausible address: `local@domain.tld`, no whitespace, non-empty labels.
pub fn is_email(value: &str) -> bool {
    let Some((local, domain)) = value.rsplit_once('@') else { return false };
    !local.is_empty()
        && value.len() <= 254
        && !value.chars().any(|c| c.is_whitespace() || c.is_control())
        && domain.contains('.')
        && domain.split('.').all(|label| !label.is_empty() && label.chars().all(|c| c.is_alphanumeric() || c == '-'))
}

fn email(field: &str, value: Option<&str>) -> Result<(), WriteError> {
    match value {
        Some(v) if !is_email(v) => Err(invalid(field, "must be a valid email address")),
        _ => Ok(()),
    }
}

fn one_of(field: &str, value: Option<&str>, allowed: &[&str]) -> Result<(), WriteError> {
    match value {
        Some(v) if !allowed.contains(&v) => Err(invalid(field, format!("must be one of {}", allowed.join(", ")))),
        _ => Ok(()),
    }
}

/// `Some(None)` (a `null`) on a field that cannot be cleared.
fn not_null<T>(field: &str, value: Option<Option<T>>) -> Result<Option<T>, WriteError> {
    match value {
        Some(None) => Err(invalid(field, "must not be null")),
        Some(Some(v)) => Ok(Some(v)),
        None => Ok(None),
    }
}

/// Applies a clearable change.
fn apply<T>(slot: &mut Option<T>, change: Option<Option<T>>) {
    if let Some(value) = change {
        *slot = value;
    }
}

/// `POST /leads` body (`nexadesk-leads.txt`, "Create Lead").
#[derive(Clone, Debug, Default, Deserialize)]
pub struct NewLead {
    /// Required, at most 200 characters.
    pub visitor_name: String,
    /// A valid email.
    #[serde(default)]
    pub visitor_email: Option<String>,
    /// At most 50 characters.
    #[serde(default)]
    pub visitor_phone: Option<String>,
    /// At most 200 characters.
    #[serde(default)]
    pub visitor_company: Option<String>,
    /// One of [`STAGES`]; `new` when absent.
    #[serde(default)]
    pub pipeline_stage: Option<String>,
    /// At most 2000 characters.
    #[serde(default)]
    pub need_summary: Option<String>,
    /// Tags.
    #[serde(default)]
    pub tags: Option<Vec<String>>,
    /// At most 100 characters; `api` when absent.
    #[serde(default)]
    pub source: Option<String>,
    /// Estimated deal value.
    #[serde(default)]
    pub expected_billing_amount: Option<Number>,
}

impl NewLead {
    /// The documented limits.
    pub fn check(&self) -> Result<(), WriteError> {
        required("visitor_name", &self.visitor_name, 200)?;
        email("visitor_email", self.visitor_email.as_deref())?;
        max_chars("visitor_phone", self.visitor_phone.as_deref(), 50)?;
        max_chars("visitor_company", self.visitor_company.as_deref(), 200)?;
        one_of("pipeline_stage", self.pipeline_stage.as_deref(), &STAGES)?;
        max_chars("need_summary", self.need_summary.as_deref(), 2000)?;
        max_chars("source", self.source.as_deref(), 100)
    }
}

/// `PATCH /leads?id=` body: only the fields sent change; `assigned_rep_id: null` unassigns.
#[derive(Clone, Debug, Default, Deserialize)]
pub struct LeadChanges {
    /// New stage.
    #[serde(default, deserialize_with = "present")]
    pub pipeline_stage: Option<Option<String>>,
    /// A rep of the workspace, or `null` to unassign.
    #[serde(default, deserialize_with = "present")]
    pub assigned_rep_id: Option<Option<Uuid>>,
    /// New name.
    #[serde(default, deserialize_with = "present")]
    pub visitor_name: Option<Option<String>>,
    /// New email (`null` clears).
    #[serde(default, deserialize_with = "present")]
    pub visitor_email: Option<Option<String>>,
    /// New phone (`null` clears).
    #[serde(default, deserialize_with = "present")]
    pub visitor_phone: Option<Option<String>>,
    /// New company (`null` clears).
    #[serde(default, deserialize_with = "present")]
    pub visitor_company: Option<Option<String>>,
    /// New needs (`null` clears).
    #[serde(default, deserialize_with = "present")]
    pub need_summary: Option<Option<String>>,
    /// Replaces the tags.
    #[serde(default, deserialize_with = "present")]
    pub tags: Option<Option<Vec<String>>>,
    /// New deal value (`null` clears).
    #[serde(default, deserialize_with = "present")]
    pub expected_billing_amount: Option<Option<Number>>,
}

fn inner(value: &Option<Option<String>>) -> Option<&str> {
    value.as_ref().and_then(Option::as_deref)
}

impl LeadChanges {
    /// The create limits, on the fields sent.
    pub fn check(&self) -> Result<(), WriteError> {
        if let Some(name) = not_null("visitor_name", self.visitor_name.clone())? {
            required("visitor_name", &name, 200)?;
        }
        one_of("pipeline_stage", not_null("pipeline_stage", self.pipeline_stage.clone())?.as_deref(), &STAGES)?;
        not_null("tags", self.tags.clone())?;
        email("visitor_email", inner(&self.visitor_email))?;
        max_chars("visitor_phone", inner(&self.visitor_phone), 50)?;
        max_chars("visitor_company", inner(&self.visitor_company), 200)?;
        max_chars("need_summary", inner(&self.need_summary), 2000)
    }
}

/// `POST /contacts` body (API README: `first_name` required, limits, email deduplicates).
#[derive(Clone, Debug, Default, Deserialize)]
pub struct NewContact {
    /// Required, at most 100 characters.
    pub first_name: String,
    /// At most 100 characters.
    #[serde(default)]
    pub last_name: Option<String>,
    /// Valid, unique in the workspace (409 otherwise).
    #[serde(default)]
    pub email: Option<String>,
    /// At most 50 characters.
    #[serde(default)]
    pub phone: Option<String>,
    /// At most 200 characters (inferred, like a lead's company).
    #[serde(default)]
    pub company_name: Option<String>,
    /// Tags.
    #[serde(default)]
    pub tags: Option<Vec<String>>,
    /// At most 2000 characters (inferred).
    #[serde(default)]
    pub profile_notes: Option<String>,
}

impl NewContact {
    /// The documented limits (uniqueness is checked by the write).
    pub fn check(&self) -> Result<(), WriteError> {
        required("first_name", &self.first_name, 100)?;
        max_chars("last_name", self.last_name.as_deref(), 100)?;
        email("email", self.email.as_deref())?;
        max_chars("phone", self.phone.as_deref(), 50)?;
        max_chars("company_name", self.company_name.as_deref(), 200)?;
        max_chars("profile_notes", self.profile_notes.as_deref(), 2000)
    }
}

/// `PATCH /contacts?id=` body: only the fields sent change; `null` clears an optional field.
#[derive(Clone, Debug, Default, Deserialize)]
pub struct ContactChanges {
    /// New first name.
    #[serde(default, deserialize_with = "present")]
    pub first_name: Option<Option<String>>,
    /// New last name.
    #[serde(default, deserialize_with = "present")]
    pub last_name: Option<Option<String>>,
    /// New email (409 when another contact has it).
    #[serde(default, deserialize_with = "present")]
    pub email: Option<Option<String>>,
    /// New phone.
    #[serde(default, deserialize_with = "present")]
    pub phone: Option<Option<String>>,
    /// New company.
    #[serde(default, deserialize_with = "present")]
    pub company_name: Option<Option<String>>,
    /// Replaces the tags.
    #[serde(default, deserialize_with = "present")]
    pub tags: Option<Option<Vec<String>>>,
    /// New notes.
    #[serde(default, deserialize_with = "present")]
    pub profile_notes: Option<Option<String>>,
}

impl ContactChanges {
    /// The create limits, on the fields sent.
    pub fn check(&self) -> Result<(), WriteError> {
        if let Some(name) = not_null("first_name", self.first_name.clone())? {
            required("first_name", &name, 100)?;
        }
        not_null("tags", self.tags.clone())?;
        max_chars("last_name", inner(&self.last_name), 100)?;
        email("email", inner(&self.email))?;
        max_chars("phone", inner(&self.phone), 50)?;
        max_chars("company_name", inner(&self.company_name), 200)?;
        max_chars("profile_notes", inner(&self.profile_notes), 2000)
    }
}

/// `PATCH /conversations?id=` body: status, assignment, tags; at least one.
#[derive(Clone, Debug, Default, Deserialize)]
pub struct ConversationChanges {
    /// New status (`archived` closes the conversation).
    #[serde(default, deserialize_with = "present")]
    pub status: Option<Option<String>>,
    /// A rep of the workspace, or `null` to unassign.
    #[serde(default, deserialize_with = "present")]
    pub agent_id: Option<Option<Uuid>>,
    /// Replaces the tags.
    #[serde(default, deserialize_with = "present")]
    pub tags: Option<Option<Vec<String>>>,
}

impl ConversationChanges {
    /// A known status, no nulls but `agent_id`, and at least one field.
    pub fn check(&self) -> Result<(), WriteError> {
        if self.status.is_none() && self.agent_id.is_none() && self.tags.is_none() {
            return Err(invalid("body", "must contain at least one of status, agent_id, tags"));
        }
        one_of("status", not_null("status", self.status.clone())?.as_deref(), &CONVERSATION_STATUSES)?;
        not_null("tags", self.tags.clone()).map(drop)
    }
}

impl WorkspaceViewMut<'_> {
    fn event(&self, name: NexaDeskEventName, data: impl serde::Serialize) -> Event {
        Event::nexadesk(self.workspace_id, name, data)
    }

    fn lead_mut(&mut self, id: Uuid) -> Result<&mut Lead, WriteError> {
        let workspace_id = self.workspace_id;
        self.store
            .leads
            .iter_mut()
            .find(|l| l.id == id && l.workspace_id == workspace_id)
            .ok_or(WriteError::NotFound("Lead"))
    }

    fn contact_mut(&mut self, id: Uuid) -> Result<&mut Contact, WriteError> {
        let workspace_id = self.workspace_id;
        self.store
            .contacts
            .iter_mut()
            .find(|c| c.id == id && c.workspace_id == workspace_id)
            .ok_or(WriteError::NotFound("Contact"))
    }

    pub(super) fn conversation_mut(&mut self, id: Uuid) -> Result<&mut Conversation, WriteError> {
        let workspace_id = self.workspace_id;
        self.store
            .conversations
            .iter_mut()
            .find(|c| c.id == id && c.workspace_id == workspace_id)
            .ok_or(WriteError::NotFound("Conversation"))
    }

    /// `(id, first, last, email)` of a rep of this workspace, or 400 naming `field`.
    fn rep_of(&self, field: &str, id: Uuid) -> Result<(Uuid, String, String, String), WriteError> {
        self.read()
            .rep(id)
            .map(|r| (r.id, r.first_name.clone(), r.last_name.clone(), r.email.clone()))
            .ok_or_else(|| invalid(field, "is not a sales rep of this workspace"))
    }

    /// Creates a lead at `now` (`lead.created`).
    pub fn create_lead(&mut self, input: NewLead, now: DateTime<Utc>) -> Outcome<Lead> {
        input.check()?;
        let lead = Lead {
            id: random_uuid(),
            workspace_id: self.workspace_id.to_owned(),
            visitor_name: input.visitor_name,
            visitor_email: input.visitor_email,
            visitor_phone: input.visitor_phone,
            visitor_company: input.visitor_company,
            pipeline_stage: input.pipeline_stage.unwrap_or_else(|| "new".to_owned()),
            need_summary: input.need_summary,
            tags: input.tags.unwrap_or_default(),
            source: input.source.unwrap_or_else(|| "api".to_owned()),
            expected_billing_amount: input.expected_billing_amount,
            assigned_rep_id: None,
            rep_first_name: None,
            rep_last_name: None,
            rep_email: None,
            lead_score: None,
            created_at: now,
            updated_at: now,
        };
        // Newest first, as the table is kept.
        self.store.leads.insert(0, lead.clone());
        let event = self.event(NexaDeskEventName::LeadCreated, &lead);
        Ok((lead, vec![event]))
    }

    /// Updates the fields sent, at `now` (`lead.updated`).
    pub fn update_lead(&mut self, id: Uuid, changes: LeadChanges, now: DateTime<Utc>) -> Outcome<Lead> {
        self.lead_mut(id)?;
        changes.check()?;
        let rep = match changes.assigned_rep_id {
            Some(Some(rep)) => Some(Some(self.rep_of("assigned_rep_id", rep)?)),
            Some(None) => Some(None),
            None => None,
        };
        let lead = self.lead_mut(id)?;
        if let Some(rep) = rep {
            lead.assigned_rep_id = rep.as_ref().map(|r| r.0);
            lead.rep_first_name = rep.as_ref().map(|r| r.1.clone());
            lead.rep_last_name = rep.as_ref().map(|r| r.2.clone());
            lead.rep_email = rep.map(|r| r.3);
        }
        if let Some(Some(name)) = changes.visitor_name {
            lead.visitor_name = name;
        }
        if let Some(Some(stage)) = changes.pipeline_stage {
            lead.pipeline_stage = stage;
        }
        if let Some(Some(tags)) = changes.tags {
            lead.tags = tags;
        }
        apply(&mut lead.visitor_email, changes.visitor_email);
        apply(&mut lead.visitor_phone, changes.visitor_phone);
        apply(&mut lead.visitor_company, changes.visitor_company);
        apply(&mut lead.need_summary, changes.need_summary);
        apply(&mut lead.expected_billing_amount, changes.expected_billing_amount);
        lead.updated_at = now;
        let lead = lead.clone();
        let event = self.event(NexaDeskEventName::LeadUpdated, &lead);
        Ok((lead, vec![event]))
    }

    /// Deletes a lead (`lead.deleted`, carrying its last state).
    pub fn delete_lead(&mut self, id: Uuid) -> Outcome<Uuid> {
        let lead = self.lead_mut(id)?.clone();
        self.store.leads.retain(|l| l.id != id);
        Ok((id, vec![self.event(NexaDeskEventName::LeadDeleted, &lead)]))
    }

    fn email_taken(&self, email: &str, except: Option<Uuid>) -> bool {
        let email = email.to_lowercase();
        self.read()
            .contacts()
            .any(|c| Some(c.id) != except && c.email.as_deref().is_some_and(|e| e.to_lowercase() == email))
    }

    fn conflict(email: &str) -> WriteError {
        WriteError::Conflict(format!("email: a contact with email {email} already exists"))
    }

    /// Creates a contact at `now` (`contact.created`); an email in use is 409.
    pub fn create_contact(&mut self, input: NewContact, now: DateTime<Utc>) -> Outcome<Contact> {
        input.check()?;
        if let Some(email) = input.email.as_deref().filter(|e| self.email_taken(e, None)) {
            return Err(Self::conflict(email));
        }
        let contact = Contact {
            id: random_uuid(),
            workspace_id: self.workspace_id.to_owned(),
            first_name: input.first_name,
            last_name: input.last_name,
            email: input.email,
            phone: input.phone,
            company_name: input.company_name,
            avatar_url: None,
            tags: input.tags.unwrap_or_default(),
            profile_notes: input.profile_notes,
            interest_summary: None,
            last_activity: None,
            created_at: now,
            conversation_count: 0,
            last_conversation_at: None,
        };
        self.store.contacts.push(contact.clone());
        let event = self.event(NexaDeskEventName::ContactCreated, &contact);
        Ok((contact, vec![event]))
    }

    /// Updates the fields sent (`contact.updated`); an email another contact has is 409.
    pub fn update_contact(&mut self, id: Uuid, changes: ContactChanges) -> Outcome<Contact> {
        self.contact_mut(id)?;
        changes.check()?;
        if let Some(email) = inner(&changes.email).filter(|e| self.email_taken(e, Some(id))) {
            return Err(Self::conflict(email));
        }
        let contact = self.contact_mut(id)?;
        if let Some(Some(name)) = changes.first_name {
            contact.first_name = name;
        }
        if let Some(Some(tags)) = changes.tags {
            contact.tags = tags;
        }
        apply(&mut contact.last_name, changes.last_name);
        apply(&mut contact.email, changes.email);
        apply(&mut contact.phone, changes.phone);
        apply(&mut contact.company_name, changes.company_name);
        apply(&mut contact.profile_notes, changes.profile_notes);
        let contact = contact.clone();
        let event = self.event(NexaDeskEventName::ContactUpdated, &contact);
        Ok((contact, vec![event]))
    }

    /// Deletes a contact (no event exists for it).
    pub fn delete_contact(&mut self, id: Uuid) -> Outcome<Uuid> {
        self.contact_mut(id)?;
        self.store.contacts.retain(|c| c.id != id);
        Ok((id, Vec::new()))
    }

    /// Changes status, assignment or tags (`conversation.updated`, and `conversation.closed`
    /// when the status becomes `archived`), at `now`.
    pub fn update_conversation(
        &mut self,
        id: Uuid,
        changes: ConversationChanges,
        now: DateTime<Utc>,
    ) -> Outcome<Conversation> {
        self.conversation_mut(id)?;
        changes.check()?;
        let agent = match changes.agent_id {
            Some(Some(agent)) => Some(Some(self.rep_of("agent_id", agent)?)),
            Some(None) => Some(None),
            None => None,
        };
        let conversation = self.conversation_mut(id)?;
        let was_archived = conversation.status == "archived";
        if let Some(agent) = agent {
            conversation.agent_id = agent.as_ref().map(|a| a.0);
            conversation.agent_name = agent.map(|a| format!("{} {}", a.1, a.2));
        }
        if let Some(Some(status)) = changes.status {
            conversation.status = status;
        }
        if let Some(Some(tags)) = changes.tags {
            conversation.tags = tags;
        }
        conversation.updated_at = now;
        let conversation = conversation.clone();
        let mut events = vec![self.event(NexaDeskEventName::ConversationUpdated, &conversation)];
        if !was_archived && conversation.status == "archived" {
            events.push(self.event(NexaDeskEventName::ConversationClosed, &conversation));
        }
        Ok((conversation, events))
    }

    /// Appends a message sent at `now` to a conversation, keeping its preview and count in step.
    pub(super) fn push_message(
        &mut self,
        conversation_id: Uuid,
        sender: (&str, Option<String>),
        content: String,
        now: DateTime<Utc>,
    ) -> Message {
        let message = Message {
            id: random_uuid(),
            conversation_id,
            workspace_id: self.workspace_id.to_owned(),
            sender_type: sender.0.to_owned(),
            sender_name: sender.1,
            content,
            created_at: now,
        };
        if let Ok(conversation) = self.conversation_mut(conversation_id) {
            conversation.last_message = Some(message.content.clone());
            conversation.message_count += 1;
            conversation.updated_at = message.created_at;
        }
        self.store.messages.push(message.clone());
        message
    }
}
