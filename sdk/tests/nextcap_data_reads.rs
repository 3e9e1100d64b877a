//! Next Cap Data API read endpoints: each path, each filter in the query string, and the
//! sub-lists (messages, events, sessions) paginating like every other list.

mod common;

use chrono::{NaiveDate, TimeZone, Utc};
use common::*;
use deskapi::Error;
use deskapi::nextcap::*;
use futures::TryStreamExt;
use serde_json::json;
use wiremock::matchers::{method, path, query_param, query_param_is_missing};
use wiremock::{Mock, MockServer, ResponseTemplate};

async fn serve(server: &MockServer, route: &str, body: serde_json::Value) {
    Mock::given(method("GET"))
        .and(path(route))
        .respond_with(ResponseTemplate::new(200).set_body_json(body))
        .expect(1)
        .mount(server)
        .await;
}

/// The query string of the only request the server saw.
async fn only_query(server: &MockServer) -> String {
    let requests = server.received_requests().await.unwrap();
    assert_eq!(requests.len(), 1);
    requests[0].url.query().unwrap_or_default().to_owned()
}

#[tokio::test]
async fn conversation_filters_reach_the_query_string() {
    let server = MockServer::start().await;
    Mock::given(path("/external/conversations"))
        .and(query_param("status", "handed_off"))
        .and(query_param("agent_id", "a1"))
        .and(query_param("visitor_id", "vis_8f2k1"))
        .and(query_param("assigned_agent_id", "u-42"))
        .and(query_param("per_page", "50"))
        .and(query_param("created_after", "2026-03-01"))
        .and(query_param("created_before", "2026-03-31T12:00:00.000Z"))
        .respond_with(ResponseTemplate::new(200).set_body_json(page_of(vec![conversation()])))
        .expect(1)
        .mount(&server)
        .await;
    let page = nextcap(&server)
        .conversations()
        .list()
        .status(ConversationStatus::HandedOff)
        .agent_id("a1")
        .visitor_id("vis_8f2k1")
        .assigned_agent_id("u-42")
        .per_page(50)
        .created_after(NaiveDate::from_ymd_opt(2026, 3, 1).unwrap())
        .created_before(Utc.with_ymd_and_hms(2026, 3, 31, 12, 0, 0).unwrap())
        .send()
        .await
        .unwrap();
    assert_eq!(page.items[0].title.as_deref(), Some("Refund for order 1042"));
}

#[tokio::test]
async fn a_conversation_and_its_messages_page_by_page() {
    let server = MockServer::start().await;
    serve(&server, "/external/conversations/c%201", json!({"data": conversation()})).await;
    let message = |n: u32| {
        let mut m = first_item(DOC_MESSAGES);
        m["id"] = json!(format!("m{n}"));
        m
    };
    let body = |page: u32| {
        json!({"data": [message(page * 2 - 1), message(page * 2)],
               "meta": {"page": page, "per_page": 2, "total": 4, "total_pages": 2}})
    };
    Mock::given(path("/external/conversations/c%201/messages"))
        .and(query_param("per_page", "2"))
        .and(query_param_is_missing("page"))
        .respond_with(ResponseTemplate::new(200).set_body_json(body(1)))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(path("/external/conversations/c%201/messages"))
        .and(query_param("per_page", "2"))
        .and(query_param("page", "2"))
        .respond_with(ResponseTemplate::new(200).set_body_json(body(2)))
        .expect(1)
        .mount(&server)
        .await;
    let client = nextcap(&server);
    let c = client.conversations().get("c 1").await.unwrap();
    assert_eq!(c.status, ConversationStatus::HandedOff);
    let ids: Vec<String> = client
        .conversations()
        .messages("c 1")
        .per_page(2)
        .stream()
        .map_ok(|m| m.id.to_string())
        .try_collect()
        .await
        .unwrap();
    assert_eq!(ids, ["m1", "m2", "m3", "m4"]);
}

#[tokio::test]
async fn ticket_filters_reach_the_query_string_with_tags_comma_separated() {
    let server = MockServer::start().await;
    Mock::given(path("/external/tickets"))
        .and(query_param("status", "waiting_customer"))
        .and(query_param("priority", "urgent"))
        .and(query_param("department_id", "d1"))
        .and(query_param("assigned_agent_id", "u-42"))
        .and(query_param("category", "billing"))
        .and(query_param("tags", "vip,refund"))
        .and(query_param("source", "whatsapp"))
        .respond_with(ResponseTemplate::new(200).set_body_raw(DOC_TICKETS, "application/json"))
        .expect(1)
        .mount(&server)
        .await;
    let page = nextcap(&server)
        .tickets()
        .list()
        .status(TicketStatus::WaitingCustomer)
        .priority(TicketPriority::Urgent)
        .department_id("d1")
        .assigned_agent_id("u-42")
        .category("billing")
        .tags(vec!["vip".to_owned(), "refund".to_owned()])
        .source(TicketSource::WhatsApp)
        .send()
        .await
        .unwrap();
    assert_eq!(page.items[0].ticket_number, 3461);
    assert_eq!(page.meta.total, 42);
}

#[tokio::test]
async fn a_ticket_and_its_timeline() {
    let server = MockServer::start().await;
    serve(&server, "/external/tickets/t1", json!({"data": first_item(DOC_TICKETS)})).await;
    serve(&server, "/external/tickets/t1/events", page_of(vec![ticket_event()])).await;
    let client = nextcap(&server);
    let t = client.tickets().get("t1").await.unwrap();
    assert_eq!(t.department.unwrap().name_for("fa"), "پشتیبانی فنی");
    let events: Vec<TicketEvent> = client.tickets().events(TicketId::new("t1")).stream().try_collect().await.unwrap();
    assert_eq!(events[0].kind, TicketEventType::Reply);
}

#[tokio::test]
async fn call_request_filters_and_get() {
    let server = MockServer::start().await;
    Mock::given(path("/external/call-requests"))
        .and(query_param("status", "scheduled"))
        .and(query_param("channel", "telegram"))
        .and(query_param("page", "2"))
        .respond_with(ResponseTemplate::new(200).set_body_raw(DOC_CALL_REQUESTS, "application/json"))
        .expect(1)
        .mount(&server)
        .await;
    serve(&server, "/external/call-requests/cr1", json!({"data": first_item(DOC_CALL_REQUESTS)})).await;
    let client = nextcap(&server);
    let page = client
        .call_requests()
        .list()
        .status(CallRequestStatus::Scheduled)
        .channel(CallRequestChannel::Telegram)
        .page(2)
        .send()
        .await
        .unwrap();
    assert_eq!(page.items[0].subject.as_deref(), Some("Question about pricing"));
    let r = client.call_requests().get("cr1").await.unwrap();
    assert_eq!(r.custom_fields.unwrap()["topic"], "Enterprise plan");
}

#[tokio::test]
async fn visitor_filters_send_an_upper_case_country_and_a_boolean() {
    let server = MockServer::start().await;
    Mock::given(path("/external/visitors"))
        .and(query_param("country", "DE"))
        .and(query_param("has_email", "false"))
        .respond_with(ResponseTemplate::new(200).set_body_json(page_of(vec![visitor()])))
        .expect(1)
        .mount(&server)
        .await;
    let page = nextcap(&server).visitors().list().country("de").has_email(false).send().await.unwrap();
    assert_eq!(page.items[0].city.as_deref(), Some("Berlin"));
}

#[tokio::test]
async fn a_visitor_its_sessions_and_its_profile() {
    let server = MockServer::start().await;
    let id = "11111111-0000-4000-8000-000000000001";
    serve(&server, &format!("/external/visitors/{id}"), json!({"data": visitor()})).await;
    serve(&server, &format!("/external/visitors/{id}/sessions"), page_of(vec![])).await;
    serve(
        &server,
        &format!("/external/visitors/{id}/profile"),
        json!({"data": {"visitor_id": id, "summary": null, "sentiment": "positive", "sentiment_score": 0.7,
            "topics": [], "interests": null, "intent": null, "language": "de", "conversations_analyzed": 1,
            "generated_at": "2026-03-16T00:00:00.000Z"}}),
    )
    .await;
    let client = nextcap(&server);
    let v = client.visitors().get(id).await.unwrap();
    let sessions: Vec<VisitorSession> = client.visitors().sessions(&v.id).stream().try_collect().await.unwrap();
    assert!(sessions.is_empty());
    let p = client.visitors().profile(v.id.clone()).await.unwrap();
    assert_eq!((p.sentiment, p.interests.len()), (Some(Sentiment::Positive), 0));
}

#[tokio::test]
async fn a_missing_profile_is_a_not_found_api_error() {
    let server = MockServer::start().await;
    Mock::given(path("/external/visitors/v9/profile"))
        .respond_with(ResponseTemplate::new(404).set_body_json(
            json!({"success": false, "error": {"code": "NOT_FOUND", "message": "No profile generated yet"}}),
        ))
        .mount(&server)
        .await;
    let err = nextcap(&server).visitors().profile("v9").await.unwrap_err();
    let api = err.as_api().expect("an API error");
    assert!(api.is_not_found());
    assert_eq!(api.code.as_deref(), Some("NOT_FOUND"));
}

#[tokio::test]
async fn one_department() {
    let server = MockServer::start().await;
    serve(&server, "/external/departments/d1", json!({"data": first_item(DOC_DEPARTMENTS)})).await;
    let d = nextcap(&server).departments().get("d1").await.unwrap();
    assert_eq!(d.name_for("fr"), "Support technique");
}

#[tokio::test]
async fn analytics_send_the_range_as_dates() {
    let server = MockServer::start().await;
    Mock::given(path("/external/analytics/overview"))
        .and(query_param("start_date", "2026-05-01"))
        .and(query_param("end_date", "2026-05-31"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"data": {
            "start_date": "2026-05-01", "end_date": "2026-05-31", "conversations": 120, "messages": 1500,
            "leads": 30, "tickets": 14, "call_requests": 6, "visitors": 900, "handed_off_conversations": 10,
            "resolved_conversations": 100, "resolution_rate": 0.83, "avg_satisfaction_rating": 4.4,
            "positive_feedback": 40, "negative_feedback": 3
        }})))
        .expect(1)
        .mount(&server)
        .await;
    let day = |d| NaiveDate::from_ymd_opt(2026, 5, d).unwrap();
    Mock::given(path("/external/analytics/daily"))
        .and(query_param("start_date", "2026-05-02"))
        .and(query_param("end_date", "2026-05-02"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"data": [{
            "date": "2026-05-02", "conversations": 4, "messages": 50, "leads": 1, "tickets": 0, "call_requests": 0,
            "visitors": 30, "handed_off_conversations": 0, "resolved_conversations": 3
        }]})))
        .expect(1)
        .mount(&server)
        .await;
    let client = nextcap(&server);
    let overview = client.analytics().overview(day(1), day(31)).await.unwrap();
    assert_eq!(overview.avg_satisfaction_rating, Some(4.4));
    let days = client.analytics().daily(day(2), day(2)).await.unwrap();
    assert_eq!((days.len(), days[0].visitors), (1, 30), "a one-day range is allowed");
}

#[tokio::test]
async fn an_analytics_range_ending_before_it_starts_is_refused_before_sending() {
    let server = MockServer::start().await;
    let client = nextcap(&server);
    let (start, end) = (NaiveDate::from_ymd_opt(2026, 5, 31).unwrap(), NaiveDate::from_ymd_opt(2026, 5, 1).unwrap());
    for err in [
        client.analytics().overview(start, end).await.unwrap_err(),
        client.analytics().daily(start, end).await.unwrap_err(),
    ] {
        assert!(matches!(&err, Error::InvalidArgument { name, .. } if name == "end"), "{err:?}");
    }
    assert!(server.received_requests().await.unwrap().is_empty());
}

#[tokio::test]
async fn the_shared_list_filters_work_on_every_list() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(query_param("per_page", "5"))
        .and(query_param("created_after", "2026-01-01"))
        .respond_with(ResponseTemplate::new(200).set_body_json(page_of(vec![])))
        .mount(&server)
        .await;
    let c = nextcap(&server);
    let after = NaiveDate::from_ymd_opt(2026, 1, 1).unwrap();
    c.conversations().list().per_page(5).created_after(after).send().await.unwrap();
    c.conversations().messages("c1").per_page(5).created_after(after).send().await.unwrap();
    c.tickets().list().per_page(5).created_after(after).send().await.unwrap();
    c.tickets().events("t1").per_page(5).created_after(after).send().await.unwrap();
    c.call_requests().list().per_page(5).created_after(after).send().await.unwrap();
    c.visitors().list().per_page(5).created_after(after).send().await.unwrap();
    c.visitors().sessions("v1").per_page(5).created_after(after).send().await.unwrap();
    c.departments().list().per_page(5).created_after(after).send().await.unwrap();
    c.webhooks().list().per_page(5).created_after(after).send().await.unwrap();
    assert_eq!(only_paths(&server).await.len(), 9);
}

async fn only_paths(server: &MockServer) -> Vec<String> {
    server.received_requests().await.unwrap().iter().map(|r| r.url.path().to_owned()).collect()
}

#[tokio::test]
async fn unset_filters_are_not_sent() {
    let server = MockServer::start().await;
    serve(&server, "/external/tickets", page_of(vec![])).await;
    nextcap(&server).tickets().list().send().await.unwrap();
    assert_eq!(only_query(&server).await, "");
}
