//! `capture-lead` and `request-callback`: a visitor handing over contact details, either as a
//! lead or as a request to be called back.

use chrono::NaiveDate;
use serde_json::Value;

use super::{
    ActionError, NewCallRequest, NewLead,
    checks::{email, optional_text, org, phone, reference, required_text, web_url, widget},
    locked,
};
use crate::{
    events::random_uuid,
    state::AppState,
    store::nextcap::{CALL_CHANNELS, CallRequest, LEAD_SOURCES, Lead},
};

/// See [`super::NextCapActions::capture_lead`].
pub fn capture_lead(state: &AppState, input: NewLead) -> Result<Lead, ActionError> {
    locked(state, |inner| {
        let org = org(inner.store().nextcap(), &input.org)?;
        let email = email("email", input.email)?;
        let phone = optional_text("phone", input.phone, 50)?;
        if email.is_none() && phone.is_none() {
            return Err(ActionError::invalid("email", "an email or a phone is required"));
        }
        let source = super::checks::one_of("source", input.source.as_deref(), &LEAD_SOURCES, "in_chat")?;
        let agent_id = widget(&org, input.agent_id)?.id;
        let conversation_id = reference("conversation_id", input.conversation_id, |id| org.conversation(id).is_some())?;
        let visitor_id = reference("visitor_id", input.visitor_id, |id| org.visitor(id).is_some())?;
        let now = state.clock().now();
        let org_id = org.org_id();
        let lead = Lead {
            id: random_uuid(),
            org_id,
            email,
            name: optional_text("name", input.name, 200)?,
            phone,
            company: optional_text("company", input.company, 200)?,
            custom_fields: Value::Object(input.custom_fields.unwrap_or_default()),
            source: source.to_owned(),
            agent_id,
            conversation_id,
            visitor_id,
            created_at: now,
            updated_at: now,
        };
        Ok(inner.store_mut().nextcap_mut().org_view_mut(org_id).capture_lead(lead))
    })
}

/// `HH:MM-HH:MM` with valid 24-hour times.
fn time_window(value: Option<String>) -> Result<Option<String>, ActionError> {
    let Some(value) = optional_text("preferred_time_window", value, 11)? else { return Ok(None) };
    let hh_mm = |s: &str| {
        let b = s.as_bytes();
        b.len() == 5 && b[2] == b':' && chrono::NaiveTime::parse_from_str(s, "%H:%M").is_ok()
    };
    match value.split_once('-') {
        Some((a, b)) if hh_mm(a) && hh_mm(b) => Ok(Some(value)),
        _ => Err(ActionError::invalid("preferred_time_window", "must be HH:MM-HH:MM (24-hour)")),
    }
}

/// See [`super::NextCapActions::request_callback`].
pub fn request_callback(state: &AppState, input: NewCallRequest) -> Result<CallRequest, ActionError> {
    locked(state, |inner| {
        let org = org(inner.store().nextcap(), &input.org)?;
        let preferred_date = optional_text("preferred_date", input.preferred_date, 10)?;
        if let Some(d) = &preferred_date {
            NaiveDate::parse_from_str(d, "%Y-%m-%d")
                .ok()
                .filter(|_| d.len() == 10)
                .ok_or_else(|| ActionError::invalid("preferred_date", "must be a date in YYYY-MM-DD form"))?;
        }
        let (source_url, source_domain) = web_url("source_url", input.source_url)?;
        let now = state.clock().now();
        let org_id = org.org_id();
        let call_request = CallRequest {
            id: random_uuid(),
            org_id,
            agent_id: widget(&org, input.agent_id)?.id,
            conversation_id: reference("conversation_id", input.conversation_id, |id| org.conversation(id).is_some())?,
            visitor_id: reference("visitor_id", input.visitor_id, |id| org.visitor(id).is_some())?,
            lead_id: reference("lead_id", input.lead_id, |id| org.lead(id).is_some())?,
            name: required_text("name", &input.name, 200)?,
            email: email("email", input.email)?,
            phone: phone("phone", &input.phone)?,
            notes: optional_text("notes", input.notes, crate::nextcap::data::MAX_NOTES)?,
            preferred_time: None,
            subject: optional_text("subject", input.subject, 255)?,
            preferred_date,
            preferred_time_window: time_window(input.preferred_time_window)?,
            timezone: optional_text("timezone", input.timezone, 64)?,
            status: "new".to_owned(),
            assigned_user_id: None,
            triggered_by: "visitor".to_owned(),
            channel: super::checks::one_of("channel", input.channel.as_deref(), &CALL_CHANNELS, "widget")?.to_owned(),
            visitor_language: optional_text("visitor_language", input.visitor_language, 16)?,
            source_url,
            source_domain,
            custom_fields: input.custom_fields.filter(|m| !m.is_empty()).map(Value::Object),
            created_at: now,
            updated_at: now,
            completed_at: None,
        };
        Ok(inner.store_mut().nextcap_mut().org_view_mut(org_id).request_callback(call_request))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn time_windows_are_strict() {
        assert_eq!(time_window(Some("09:00-09:30".into())), Ok(Some("09:00-09:30".into())));
        assert_eq!(time_window(None), Ok(None));
        for bad in ["9:00-9:30", "09:00", "24:00-25:00", "09:00-09:60", "09:00 - 09:30"] {
            assert!(time_window(Some(bad.into())).is_err(), "{bad}");
        }
    }
}
