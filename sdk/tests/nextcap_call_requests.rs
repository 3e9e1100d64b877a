//! Next Cap call requests: the documented example decodes (custom fields, date, time window),
//! filters and get, and the PATCH update sends only the fields set.
#![cfg(feature = "nextcap")]

mod common;

use chrono::{NaiveDate, NaiveTime};
use common::*;
use deskapi::Error;
use deskapi::nextcap::*;
use serde_json::json;
use wiremock::matchers::{body_json, header, method, path, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};

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

fn updated_call_request(status: &str) -> serde_json::Value {
    let mut r = first_item(DOC_CALL_REQUESTS);
    r["status"] = json!(status);
    r["assigned_user_id"] = json!("u-42");
    r["notes"] = json!("Left voicemail; will retry tomorrow.");
    r
}

#[tokio::test]
async fn a_call_request_update_is_a_patch_with_only_the_fields_set() {
    let server = MockServer::start().await;
    Mock::given(method("PATCH"))
        .and(path("/external/call-requests/cr1"))
        .and(header("content-type", "application/json"))
        .and(body_json(json!({
            "status": "contacted",
            "assigned_user_id": "u-42",
            "notes": "Left voicemail; will retry tomorrow."
        })))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"data": updated_call_request("contacted")})))
        .expect(1)
        .mount(&server)
        .await;
    let updated = nextcap(&server)
        .call_requests()
        .update("cr1")
        .status(CallRequestStatus::Contacted)
        .assigned_user_id("u-42")
        .notes("Left voicemail; will retry tomorrow.")
        .send()
        .await
        .unwrap();
    assert_eq!(updated.status, CallRequestStatus::Contacted);
    assert_eq!(updated.assigned_user_id, Some(UserId::new("u-42")));
}

#[tokio::test]
async fn unassigning_and_clearing_notes_send_explicit_nulls() {
    let server = MockServer::start().await;
    Mock::given(method("PATCH"))
        .and(body_json(json!({"assigned_user_id": null, "notes": null})))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"data": first_item(DOC_CALL_REQUESTS)})))
        .expect(1)
        .mount(&server)
        .await;
    let r = nextcap(&server).call_requests().update("cr1").unassign().clear_notes().send().await.unwrap();
    assert_eq!(r.assigned_user_id, None);
}

#[tokio::test]
async fn a_status_only_update_sends_only_the_status() {
    let server = MockServer::start().await;
    Mock::given(method("PATCH"))
        .and(body_json(json!({"status": "completed"})))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"data": updated_call_request("completed")})))
        .expect(1)
        .mount(&server)
        .await;
    let r = nextcap(&server).call_requests().update("cr1").status(CallRequestStatus::Completed).send().await.unwrap();
    assert_eq!(r.status, CallRequestStatus::Completed);
}

#[tokio::test]
async fn invalid_updates_are_refused_before_sending() {
    let server = MockServer::start().await;
    let client = nextcap(&server);
    let cases = [
        ("update", client.call_requests().update("cr1").send().await.unwrap_err()),
        (
            "status",
            client.call_requests().update("cr1").status("callback_later".parse().unwrap()).send().await.unwrap_err(),
        ),
        ("assigned_user_id", client.call_requests().update("cr1").assigned_user_id(" ").send().await.unwrap_err()),
        ("id", client.call_requests().update("").notes("x").send().await.unwrap_err()),
    ];
    for (expected, err) in cases {
        assert!(matches!(&err, Error::InvalidArgument { name, .. } if name == expected), "{expected}: {err:?}");
    }
    assert!(server.received_requests().await.unwrap().is_empty());
}
