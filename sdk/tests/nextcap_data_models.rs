//! Next Cap Data API models: the documented examples decode verbatim, every field typed;
//! unknown enum values survive; time windows and locale fallbacks behave.

mod common;

use chrono::{NaiveDate, NaiveTime, TimeZone, Utc};
use common::*;
use deskapi::Error;
use deskapi::nextcap::*;
use futures::TryStreamExt;
use serde_json::json;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

fn decode<T: serde::de::DeserializeOwned>(v: serde_json::Value) -> T {
    serde_json::from_value(v).expect("decodes")
}

#[test]
fn the_documented_ticket_decodes_with_its_department_translations() {
    let t: Ticket = decode(first_item(DOC_TICKETS));
    assert_eq!(t.ticket_number, 3461);
    assert_eq!(t.subject, "Cannot access my account");
    assert_eq!((t.status, t.priority, t.source), (TicketStatus::New, TicketPriority::Normal, TicketSource::Api));
    assert_eq!(t.agent_name.as_deref(), Some("Otet Bot .IR"));
    assert_eq!(t.agent_display_name, None);
    assert_eq!(t.assigned_agent_id, None);
    assert_eq!(t.external_source, None, "import provenance only");
    assert_eq!(t.origin_domain.as_deref(), Some("acme-fr.com"));
    assert_eq!(t.detected_language.as_deref(), Some("fa"));
    assert_eq!(t.metadata.as_ref().unwrap()["identity_verified"], json!(false));
    assert_eq!(t.created_at, Utc.with_ymd_and_hms(2026, 5, 9, 10, 30, 0).unwrap());
    // Fields the example leaves out are empty, not an error.
    assert!(t.tags.is_empty() && t.custom_fields.is_empty());
    assert_eq!((t.description, t.category, t.resolved_at), (None, None, None));

    let d = t.department.expect("the example has a department");
    assert_eq!(d.name_translations["fa"], "پشتیبانی فنی");
    assert_eq!(d.name_for("fa"), "پشتیبانی فنی");
    assert_eq!(d.name_for("fr-FR"), "Support technique");
    assert_eq!(d.name_for("de"), "Technical Support", "falls back to name");
    assert_eq!(d.supported_languages, ["en", "fa", "fr"]);
    assert_eq!(d.color.as_deref(), Some("#6366f1"));
}

#[test]
fn a_ticket_without_department_and_with_new_enum_values_still_decodes() {
    let mut v = first_item(DOC_TICKETS);
    v["department"] = json!(null);
    v["status"] = json!("escalated");
    v["source"] = json!("line");
    v["tags"] = json!(["billing", "vip"]);
    let t: Ticket = decode(v);
    assert!(t.department.is_none());
    assert_eq!(t.status, TicketStatus::Unknown("escalated".into()));
    assert!(!t.source.is_known());
    assert_eq!(t.tags, ["billing", "vip"]);
    assert_eq!(TicketStatus::KNOWN.len(), 8);
    assert_eq!(TicketPriority::KNOWN.len(), 4);
    assert_eq!(TicketSource::KNOWN.len(), 9);
    assert!(TicketSource::KNOWN.iter().any(|s| s.as_str() == "instagram"));
    assert_eq!("whatsapp".parse::<TicketSource>().unwrap(), TicketSource::WhatsApp);
}

#[test]
fn the_documented_call_request_decodes_with_custom_fields_date_and_window() {
    let r: CallRequest = decode(first_item(DOC_CALL_REQUESTS));
    assert_eq!(r.name.as_deref(), Some("Jane Doe"));
    assert_eq!(r.phone, "+15551234567");
    assert_eq!(r.preferred_date, NaiveDate::from_ymd_opt(2026, 5, 20));
    let w = r.preferred_time_window.expect("window");
    assert_eq!(
        (w.start, w.end),
        (NaiveTime::from_hms_opt(9, 0, 0).unwrap(), NaiveTime::from_hms_opt(9, 30, 0).unwrap())
    );
    assert_eq!(r.timezone.as_deref(), Some("Europe/Berlin"));
    assert_eq!((&r.status, &r.channel), (&CallRequestStatus::New, &CallRequestChannel::Widget));
    assert_eq!(r.triggered_by, "visitor");
    let custom = r.custom_fields.as_ref().expect("custom fields");
    assert_eq!(custom["topic"], "Enterprise plan");
    assert_eq!(custom["best_language"], "English");
    assert_eq!((r.notes.as_deref(), r.completed_at), (None, None));
    assert_eq!(r.lead_id, Some(LeadId::new("uuid")));

    // Serialising gives the wire format back.
    let back = serde_json::to_value(&r).unwrap();
    assert_eq!(back["preferred_time_window"], "09:00-09:30");
    assert_eq!(back["preferred_date"], "2026-05-20");
}

#[test]
fn call_request_custom_fields_may_be_null() {
    let mut v = first_item(DOC_CALL_REQUESTS);
    v["custom_fields"] = json!(null);
    v["preferred_time_window"] = json!(null);
    v["preferred_date"] = json!(null);
    let r: CallRequest = decode(v);
    assert_eq!((r.custom_fields, r.preferred_time_window, r.preferred_date), (None, None, None));
}

#[tokio::test]
async fn a_malformed_time_window_is_a_decode_error_naming_its_path() {
    let server = MockServer::start().await;
    let mut bad = first_item(DOC_CALL_REQUESTS);
    bad["preferred_time_window"] = json!("9am-10am");
    Mock::given(path("/external/call-requests"))
        .respond_with(ResponseTemplate::new(200).set_body_json(page_of(vec![first_item(DOC_CALL_REQUESTS), bad])))
        .mount(&server)
        .await;
    let err = nextcap(&server).call_requests().list().send().await.unwrap_err();
    let Error::Decode(d) = err else { panic!("expected a decode error, got {err:?}") };
    assert_eq!(d.path, "data[1].preferred_time_window");
    assert!(d.message.contains("9am-10am"), "{}", d.message);
}

#[test]
fn time_windows_parse_strictly() {
    let w: TimeWindow = "18:05-19:45".parse().unwrap();
    assert_eq!(w.end, NaiveTime::from_hms_opt(19, 45, 0).unwrap());
    assert_eq!(w.to_string(), "18:05-19:45");
    for bad in ["18:05", "18:05-", "6:05-19:45", "18:05-24:00", "18.05-19.45", "18:05 to 19:45"] {
        let err = bad.parse::<TimeWindow>().unwrap_err();
        assert!(err.to_string().contains(bad), "{err}");
    }
    assert!(serde_json::from_value::<TimeWindow>(json!(930)).is_err());
}

#[test]
fn the_documented_messages_decode_with_typed_sources() {
    let body: serde_json::Value = serde_json::from_str(DOC_MESSAGES).unwrap();
    let messages: Vec<Message> = decode(body["data"].clone());
    assert_eq!(messages[0].role, MessageRole::User);
    assert_eq!((messages[0].sources.as_ref(), messages[0].feedback.as_ref()), (None, None));
    let answer = &messages[1];
    assert_eq!(answer.role, MessageRole::Assistant);
    assert_eq!(answer.feedback, Some(MessageFeedback::Positive));
    let sources = answer.sources.as_ref().unwrap();
    assert_eq!((sources[0].title.as_str(), sources[0].chunk.as_str()), ("Password Reset Guide", "To reset..."));
    assert!(sources[0].extra.is_empty());
    let roles: Vec<&str> = MessageRole::KNOWN.iter().map(|r| r.as_str()).collect();
    assert_eq!(roles, ["user", "assistant", "system", "agent"]);
}

#[test]
fn extra_citation_fields_are_kept() {
    let m: MessageSource =
        decode(json!({"title": "FAQ", "chunk": "...", "url": "https://acme.com/faq", "score": 0.82}));
    assert_eq!(m.extra["url"], "https://acme.com/faq");
    assert_eq!(m.extra["score"], 0.82);
}

#[test]
fn conversations_decode_and_keep_visitor_ids_apart() {
    let c: Conversation = decode(conversation());
    assert_eq!((c.status, c.channel), (ConversationStatus::HandedOff, ConversationChannel::WhatsApp));
    assert_eq!(c.visitor_id, VisitorTextId::new("vis_8f2k1"));
    assert_eq!(c.assigned_agent_id, Some(UserId::new("u-42")));
    assert_eq!((c.message_count, c.satisfaction_rating), (12, Some(4)));
    assert!(c.handed_off_at.is_some() && c.resolved_at.is_none());
}

#[test]
fn ticket_events_decode_with_attachments() {
    let e: TicketEvent = decode(ticket_event());
    assert_eq!((e.kind, e.actor_type), (TicketEventType::Reply, ActorType::Agent));
    assert_eq!(e.actor_id, Some(UserId::new("u-42")));
    assert_eq!(e.content.as_deref(), Some("We reset your password."));
    assert!(!e.is_internal);
    assert_eq!(e.attachments[0].size, 20480);
    assert_eq!(e.attachments[0].filename, "steps.pdf");
}

#[test]
fn visitors_sessions_and_profiles_decode() {
    let v: Visitor = decode(visitor());
    assert_eq!(v.id, VisitorId::new("11111111-0000-4000-8000-000000000001"));
    assert_eq!(v.visitor_id.as_str(), "vis_8f2k1");
    assert_eq!((v.country.as_deref(), v.device_type), (Some("DE"), Some(DeviceType::Desktop)));
    assert_eq!((v.total_sessions, v.total_page_views, v.total_conversations), (3, 17, 1));

    let s: VisitorSession = decode(json!({
        "id": "s1", "visitor_id": "11111111-0000-4000-8000-000000000001",
        "started_at": "2026-03-15T10:00:00.000Z", "ended_at": null, "duration_seconds": null,
        "landing_url": "https://acme.com/?utm_source=news", "referrer": "https://news.example",
        "utm_source": "news", "utm_medium": "email", "utm_campaign": "spring", "utm_term": null, "utm_content": null,
        "page_view_count": 2, "page_views": [
            {"url": "https://acme.com/", "title": "Acme", "viewed_at": "2026-03-15T10:00:00.000Z"},
            {"url": "https://acme.com/pricing", "title": null, "viewed_at": "2026-03-15T10:02:00.000Z"}
        ],
        "created_at": "2026-03-15T10:00:00.000Z"
    }));
    assert_eq!(s.utm_campaign.as_deref(), Some("spring"));
    assert_eq!(s.page_views.len(), 2);
    assert_eq!(s.page_views[1].title, None);
    assert_eq!(s.ended_at, None);

    let p: VisitorProfile = decode(json!({
        "visitor_id": "11111111-0000-4000-8000-000000000001", "summary": "Evaluating the enterprise plan",
        "sentiment": "mixed", "sentiment_score": -0.1, "topics": ["pricing", "sso"], "interests": ["enterprise"],
        "intent": "purchase", "language": "de", "conversations_analyzed": 2, "generated_at": "2026-03-16T00:00:00.000Z"
    }));
    assert_eq!(p.sentiment, Some(Sentiment::Mixed));
    assert_eq!(p.sentiment_score, Some(-0.1));
    assert_eq!(p.topics, ["pricing", "sso"]);
}

#[test]
fn analytics_decode() {
    let o: AnalyticsOverview = decode(json!({
        "start_date": "2026-05-01", "end_date": "2026-05-31", "conversations": 120, "messages": 1500, "leads": 30,
        "tickets": 14, "call_requests": 6, "visitors": 900, "handed_off_conversations": 10,
        "resolved_conversations": 100, "resolution_rate": 0.83, "avg_satisfaction_rating": null,
        "positive_feedback": 40, "negative_feedback": 3
    }));
    assert_eq!(o.end_date, NaiveDate::from_ymd_opt(2026, 5, 31).unwrap());
    assert_eq!((o.conversations, o.resolution_rate, o.avg_satisfaction_rating), (120, Some(0.83), None));
    let d: AnalyticsDay = decode(json!({
        "date": "2026-05-02", "conversations": 4, "messages": 50, "leads": 1, "tickets": 0, "call_requests": 0,
        "visitors": 30, "handed_off_conversations": 0, "resolved_conversations": 3
    }));
    assert_eq!((d.date.to_string().as_str(), d.messages), ("2026-05-02", 50));
}

#[tokio::test]
async fn the_documented_departments_list_has_no_meta_and_is_one_complete_page() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/external/departments"))
        .respond_with(ResponseTemplate::new(200).set_body_raw(DOC_DEPARTMENTS, "application/json"))
        .mount(&server)
        .await;
    let client = nextcap(&server);
    let page = client.departments().list().send().await.unwrap();
    assert_eq!((page.meta.page, page.meta.total, page.meta.total_pages), (1, 1, 1));
    let d = &page.items[0];
    assert_eq!((d.slug.as_str(), d.parent_id.as_ref(), d.is_default), ("technical-support", None, false));
    assert_eq!(d.settings["autoAssign"], json!(false));
    assert_eq!(d.name_for("fa"), "پشتیبانی فنی");
    assert_eq!(d.name_for("es"), "Technical Support");
    assert_eq!(d.description_for("fr"), Some("..."));
    assert_eq!(d.description_for("es"), Some("Help with technical issues"));

    let all: Vec<Department> = client.departments().list().stream().try_collect().await.unwrap();
    assert_eq!(all.len(), 1);
    assert_eq!(server.received_requests().await.unwrap().len(), 2, "the stream stops after the only page");
}

#[test]
fn a_department_without_translations_falls_back_everywhere() {
    let d: Department = decode(json!({
        "id": "d2", "name": "Billing", "description": null, "name_translations": {}, "description_translations": null,
        "supported_languages": [], "slug": "billing", "parent_id": "d1", "is_default": true, "color": null,
        "settings": {}, "created_at": "2026-03-15T10:30:00.000Z"
    }));
    assert_eq!(d.name_for("fa"), "Billing");
    assert_eq!(d.description_for("fa"), None);
    assert_eq!(d.parent_id, Some(DepartmentId::new("d1")));
    assert!(d.supported_languages.is_empty(), "empty means every language");
}
