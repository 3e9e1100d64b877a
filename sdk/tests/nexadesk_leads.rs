//! NexaDesk leads against a stub server: every documented field decodes to its typed value, the
//! list builder's query (limit, cursor, page, stage, search, sort), create/update/delete
//! bodies (PATCH carries only the fields set, `null` to unassign or clear a nullable field),
//! the documented limits at the boundary and one past it (refused before sending), and each
//! error status mapped to its `NexaDeskErrorKind`.
#![cfg(feature = "nexadesk")]

mod common;
mod nexadesk_support;

use chrono::{TimeZone, Utc};
use common::*;
use deskapi::nexadesk::*;
use nexadesk_support::*;
use serde_json::{Value, json};
use wiremock::matchers::{body_json, method, path, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};

#[test]
fn every_documented_lead_field_decodes_to_its_typed_value() {
    let body = fixture!("nexadesk/leads_list.json");
    let jane: Lead = decode(body["data"][0].clone());
    assert_eq!(jane.id, LeadId::new("550e8400-e29b-41d4-a716-446655440000"));
    assert_eq!(jane.visitor_name, "Jane Smith");
    assert_eq!(jane.visitor_email.as_deref(), Some("jane@acme.example"));
    assert_eq!(jane.visitor_phone.as_deref(), Some("+1-555-0123"));
    assert_eq!(jane.visitor_company.as_deref(), Some("Acme Corp"));
    assert_eq!(jane.pipeline_stage, PipelineStage::New);
    assert_eq!(jane.need_summary.as_deref(), Some("Looking for AI chatbot solution for e-commerce site"));
    assert_eq!(jane.tags, ["ecommerce", "high-priority"]);
    assert_eq!(jane.source.as_deref(), Some("widget"));
    assert_eq!(jane.expected_billing_amount, Some(5000.0));
    assert_eq!(jane.lead_score, None, "the documented example has no score");
    assert_eq!(
        (&jane.assigned_rep_id, &jane.rep_first_name, &jane.rep_last_name, &jane.rep_email),
        (&None, &None, &None, &None)
    );
    assert_eq!(jane.created_at, Utc.with_ymd_and_hms(2026, 3, 15, 10, 30, 0).unwrap());
    assert_eq!(jane.updated_at, jane.created_at);

    let john: Lead = decode(body["data"][1].clone());
    assert_eq!(john.pipeline_stage, PipelineStage::Assigned);
    assert_eq!((john.visitor_phone.as_deref(), john.need_summary.as_deref()), (None, None));
    assert!(john.tags.is_empty());
    assert_eq!(john.expected_billing_amount, Some(1200.5));
    assert_eq!(john.lead_score, Some(87));
    assert_eq!(john.assigned_rep_id, Some(RepId::new("9b2d7c1e-4f3a-4e8b-9c0d-1a2b3c4d5e6f")));
    assert_eq!(
        (john.rep_first_name.as_deref(), john.rep_last_name.as_deref(), john.rep_email.as_deref()),
        (Some("Sara"), Some("Lind"), Some("sara.lind@acme.example"))
    );
    assert_eq!(
        john.updated_at,
        Utc.with_ymd_and_hms(2026, 3, 16, 9, 15, 30).unwrap() + chrono::Duration::milliseconds(250)
    );

    // The documented create answer leaves out phone, score and rep: they default to none.
    let created: Lead = decode(fixture!("nexadesk/lead_created.json")["data"].clone());
    assert_eq!((created.visitor_phone, created.assigned_rep_id, created.lead_score), (None, None, None));
    assert_eq!(created.source.as_deref(), Some("contact-form"));

    // A stage this SDK does not know is kept, not refused.
    let mut future = body["data"][0].clone();
    future["pipeline_stage"] = json!("nurturing");
    let lead: Lead = decode(future);
    assert_eq!(lead.pipeline_stage, PipelineStage::Unknown("nurturing".into()));
    assert!(!lead.pipeline_stage.is_known());
}

#[tokio::test]
async fn the_list_sends_each_filter_and_reads_the_cursor_envelope() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/leads"))
        .respond_with(ResponseTemplate::new(200).set_body_json(fixture!("nexadesk/leads_list.json")))
        .mount(&server)
        .await;
    let client = nexadesk(&server);
    let page = client
        .leads()
        .list()
        .limit(10)
        .stage(PipelineStage::Qualified)
        .search("acme corp")
        .sort(LeadSortField::LeadScore, SortDirection::Desc)
        .cursor("MTA")
        .send()
        .await
        .unwrap();
    assert_eq!(page.items.len(), 2);
    assert_eq!(
        (page.meta.has_more, page.meta.next_cursor.as_deref(), page.meta.total_count, page.meta.limit),
        (true, Some("MTA"), Some(142), 10)
    );
    client.leads().list().page(3).sort(LeadSortField::VisitorName, SortDirection::Asc).send().await.unwrap();
    client.leads().list().send().await.unwrap();
    let got = queries(&server).await;
    assert_eq!(
        got,
        vec![
            pairs(&[
                ("cursor", "MTA"),
                ("limit", "10"),
                ("search", "acme corp"),
                ("sort", "lead_score:desc"),
                ("stage", "qualified")
            ]),
            pairs(&[("page", "3"), ("sort", "visitor_name:asc")]),
            vec![],
        ],
        "only what was set is sent; the API's defaults apply otherwise"
    );
}

#[tokio::test]
async fn create_sends_the_fields_set_and_returns_the_new_lead() {
    let server = MockServer::start().await;
    let expected = json!({
        "visitor_name": "John Doe", "visitor_email": "john@techcorp.example", "visitor_company": "TechCorp",
        "pipeline_stage": "new", "need_summary": "Needs chatbot for WordPress site",
        "tags": ["wordpress", "small-business"], "source": "contact-form", "expected_billing_amount": 1200.0
    });
    Mock::given(method("POST"))
        .and(path("/leads"))
        .and(body_json(&expected))
        .respond_with(ResponseTemplate::new(201).set_body_json(fixture!("nexadesk/lead_created.json")))
        .expect(1)
        .mount(&server)
        .await;
    let lead = nexadesk(&server)
        .leads()
        .create("John Doe")
        .visitor_email("john@techcorp.example")
        .visitor_company("TechCorp")
        .pipeline_stage(PipelineStage::New)
        .need_summary("Needs chatbot for WordPress site")
        .tags(["wordpress", "small-business"])
        .source("contact-form")
        .expected_billing_amount(1200.0)
        .send()
        .await
        .unwrap();
    assert_eq!(lead.id, LeadId::new("660e9500-f39c-52e5-b827-557766550000"));

    // A bare create sends the name only: `source` and the stage are left to the API's defaults.
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(201).set_body_json(fixture!("nexadesk/lead_created.json")))
        .mount(&server)
        .await;
    nexadesk(&server).leads().create("Jane").send().await.unwrap();
    assert_eq!(only_body(&server).await, json!({"visitor_name": "Jane"}));
}

#[tokio::test]
async fn update_sends_only_the_fields_set_and_null_to_unassign() {
    let server = MockServer::start().await;
    Mock::given(method("PATCH"))
        .and(path("/leads"))
        .and(query_param("id", "550e8400-e29b-41d4-a716-446655440000"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"success": true, "data": nexa_lead(1)})))
        .mount(&server)
        .await;
    let client = nexadesk(&server);
    let id = "550e8400-e29b-41d4-a716-446655440000";
    client.leads().update(id).pipeline_stage(PipelineStage::Qualified).unassign_rep().send().await.unwrap();
    client
        .leads()
        .update(id)
        .assign_rep("9b2d7c1e-4f3a-4e8b-9c0d-1a2b3c4d5e6f")
        .tags(Vec::<String>::new())
        .send()
        .await
        .unwrap();
    client.leads().update(id).visitor_name("Jane Q. Smith").visitor_phone("+1-555-0199").send().await.unwrap();
    let bodies: Vec<Value> =
        server.received_requests().await.unwrap().iter().map(|r| serde_json::from_slice(&r.body).unwrap()).collect();
    assert_eq!(
        bodies,
        vec![
            json!({"pipeline_stage": "qualified", "assigned_rep_id": null}),
            json!({"assigned_rep_id": "9b2d7c1e-4f3a-4e8b-9c0d-1a2b3c4d5e6f", "tags": []}),
            json!({"visitor_name": "Jane Q. Smith", "visitor_phone": "+1-555-0199"}),
        ]
    );
}

#[tokio::test]
async fn clear_sends_null_for_each_nullable_field_and_the_last_call_wins() {
    let server = MockServer::start().await;
    Mock::given(method("PATCH"))
        .and(path("/leads"))
        .and(query_param("id", "l1"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"success": true, "data": nexa_lead(1)})))
        .mount(&server)
        .await;
    let client = nexadesk(&server);
    let update = || client.leads().update("l1");
    let names: Vec<&str> = LeadField::ALL.iter().map(|f| f.as_str()).collect();
    assert_eq!(
        names,
        [
            "visitor_email",
            "visitor_phone",
            "visitor_company",
            "need_summary",
            "expected_billing_amount",
            "assigned_rep_id"
        ],
        "exactly the nullable fields of UpdateLeadBody"
    );
    assert_eq!(LeadField::VisitorPhone.to_string(), "visitor_phone");

    update().clear(LeadField::VisitorPhone).send().await.unwrap();
    LeadField::ALL.iter().fold(update(), |u, &f| u.clear(f)).send().await.unwrap();
    // A clear replaces a value set before it, a setter replaces a clear before it.
    update().visitor_phone("+1-555-0199").clear(LeadField::VisitorPhone).send().await.unwrap();
    update().clear(LeadField::VisitorPhone).visitor_phone("+1-555-0199").send().await.unwrap();
    update()
        .assign_rep("9b2d7c1e-4f3a-4e8b-9c0d-1a2b3c4d5e6f")
        .clear(LeadField::AssignedRepId)
        .clear(LeadField::ExpectedBillingAmount)
        .expected_billing_amount(99.5)
        .send()
        .await
        .unwrap();
    // A value that broke a limit is not checked once cleared.
    update().visitor_email("not an email").clear(LeadField::VisitorEmail).send().await.unwrap();
    update().visitor_name("Jane").clear(LeadField::NeedSummary).send().await.unwrap();

    let expected = [
        json!({"visitor_phone": null}),
        json!({
            "visitor_email": null, "visitor_phone": null, "visitor_company": null, "need_summary": null,
            "expected_billing_amount": null, "assigned_rep_id": null
        }),
        json!({"visitor_phone": null}),
        json!({"visitor_phone": "+1-555-0199"}),
        json!({"assigned_rep_id": null, "expected_billing_amount": 99.5}),
        json!({"visitor_email": null}),
        json!({"visitor_name": "Jane", "need_summary": null}),
    ];
    assert_bodies_exactly(&server, &expected).await;
}

#[tokio::test]
async fn delete_addresses_the_lead_by_query_and_returns_its_id() {
    let server = MockServer::start().await;
    Mock::given(method("DELETE"))
        .and(path("/leads"))
        .and(query_param("id", "550e8400-e29b-41d4-a716-446655440000"))
        .respond_with(ResponseTemplate::new(200).set_body_json(fixture!("nexadesk/deleted.json")))
        .expect(1)
        .mount(&server)
        .await;
    let gone = nexadesk(&server).leads().delete("550e8400-e29b-41d4-a716-446655440000").await.unwrap();
    assert_eq!(gone, LeadId::new("550e8400-e29b-41d4-a716-446655440000"));
}

#[tokio::test]
async fn limits_hold_at_the_boundary_and_one_past_is_refused_before_sending() {
    let server = MockServer::start().await;
    let refusals = MockServer::start().await;
    let lead = json!({"success": true, "data": nexa_lead(1)});
    Mock::given(method("POST")).respond_with(ResponseTemplate::new(201).set_body_json(&lead)).mount(&server).await;
    Mock::given(method("PATCH")).respond_with(ResponseTemplate::new(200).set_body_json(&lead)).mount(&server).await;
    let list = json!({"success": true, "data": [], "pagination": {"has_more": false, "next_cursor": null, "total_count": 0, "limit": 100}});
    Mock::given(method("GET")).respond_with(ResponseTemplate::new(200).set_body_json(list)).mount(&server).await;
    let (ok, no) = (nexadesk(&server), nexadesk(&refusals));
    let s = |n: usize| "é".repeat(n); // characters, not bytes, are counted

    ok.leads().create(s(200)).send().await.unwrap();
    refused(no.leads().create(s(201)).send().await, "visitor_name");
    refused(no.leads().create("  ").send().await, "visitor_name");
    ok.leads().create("A").visitor_phone(s(50)).send().await.unwrap();
    refused(no.leads().create("A").visitor_phone(s(51)).send().await, "visitor_phone");
    ok.leads().create("A").visitor_company(s(200)).send().await.unwrap();
    refused(no.leads().create("A").visitor_company(s(201)).send().await, "visitor_company");
    ok.leads().create("A").need_summary(s(2000)).send().await.unwrap();
    refused(no.leads().create("A").need_summary(s(2001)).send().await, "need_summary");
    ok.leads().create("A").source(s(100)).send().await.unwrap();
    refused(no.leads().create("A").source(s(101)).send().await, "source");
    refused(no.leads().create("A").visitor_email("jane(at)acme.example").send().await, "visitor_email");
    refused(no.leads().create("A").expected_billing_amount(f64::INFINITY).send().await, "expected_billing_amount");
    refused(no.leads().create("A").pipeline_stage("hot".parse().unwrap()).send().await, "pipeline_stage");
    ok.leads().update("l1").visitor_name(s(200)).send().await.unwrap();
    refused(no.leads().update("l1").visitor_name(s(201)).send().await, "visitor_name");
    refused(no.leads().update("l1").visitor_phone(s(51)).send().await, "visitor_phone");
    refused(no.leads().update(" ").pipeline_stage(PipelineStage::Lost).send().await, "id");
    refused(no.leads().delete("").await, "id");
    ok.leads().list().limit(100).send().await.unwrap();
    ok.leads().list().limit(1).send().await.unwrap();
    refused(no.leads().list().limit(101).send().await, "limit");
    refused(no.leads().list().limit(0).send().await, "limit");
    refused(no.leads().list().search("").send().await, "search");
    refused(no.leads().list().stage(PipelineStage::Unknown("hot".into())).send().await, "stage");

    assert_nothing_sent(&refusals).await;
    assert_eq!(server.received_requests().await.unwrap().len(), 8, "every call at the boundary went out");
}

#[tokio::test]
async fn each_error_status_maps_to_its_kind_with_the_api_message() {
    let cases = [
        (400, fixture!("nexadesk/error_validation.json"), NexaDeskErrorKind::Validation),
        (401, json!({"success": false, "error": "Invalid API key"}), NexaDeskErrorKind::Unauthorized),
        (403, fixture!("nexadesk/error_scope.json"), NexaDeskErrorKind::Scope),
        (404, fixture!("nexadesk/error_not_found.json"), NexaDeskErrorKind::NotFound),
        (409, fixture!("nexadesk/error_conflict.json"), NexaDeskErrorKind::Conflict),
        (429, fixture!("nexadesk/error_rate_limited.json"), NexaDeskErrorKind::RateLimited),
        (500, json!({"success": false, "error": "Internal server error"}), NexaDeskErrorKind::Other),
    ];
    for (status, body, kind) in cases {
        let server = MockServer::start().await;
        let mut response = ResponseTemplate::new(status).set_body_json(&body);
        if status == 429 {
            response = response.insert_header("Retry-After", "42");
        }
        Mock::given(method("PATCH")).respond_with(response).mount(&server).await;
        let e = once(&server).leads().update("l1").pipeline_stage(PipelineStage::Lost).send().await.unwrap_err();
        assert_eq!(NexaDeskErrorKind::of(&e), kind, "{status}");
        let api = e.as_api().expect("an API error");
        assert_eq!((api.status, api.message.as_str()), (status, body["error"].as_str().unwrap()));
        assert!(api.code.is_none(), "NexaDesk errors carry no code");
        if status == 429 {
            assert_eq!(api.retry_after, Some(std::time::Duration::from_secs(42)));
        }
    }
    let e = nexadesk(&MockServer::start().await).leads().create("").send().await.unwrap_err();
    assert_eq!(NexaDeskErrorKind::of(&e), NexaDeskErrorKind::InvalidArgument);
}

#[tokio::test]
async fn a_walk_started_at_a_page_continues_by_cursor() {
    let server = MockServer::start().await;
    let page = |ids: &[u32], cursor: Option<&str>| {
        let items: Vec<Value> = ids.iter().map(|&n| nexa_lead(n)).collect();
        json!({"success": true, "data": items, "pagination": {"has_more": cursor.is_some(), "next_cursor": cursor, "total_count": 6, "limit": 2}})
    };
    Mock::given(query_param("page", "2"))
        .respond_with(ResponseTemplate::new(200).set_body_json(page(&[3, 4], Some("c3"))))
        .mount(&server)
        .await;
    Mock::given(query_param("cursor", "c3"))
        .respond_with(ResponseTemplate::new(200).set_body_json(page(&[5, 6], None)))
        .mount(&server)
        .await;
    let items: Vec<Lead> =
        futures::TryStreamExt::try_collect(nexadesk(&server).leads().list().limit(2).page(2).stream()).await.unwrap();
    let names: Vec<&str> = items.iter().map(|l| l.visitor_name.as_str()).collect();
    assert_eq!(names, ["Lead 3", "Lead 4", "Lead 5", "Lead 6"]);
    let got = queries(&server).await;
    assert_eq!(got.len(), 2);
    assert!(got[1].contains(&("cursor".into(), "c3".into())) && !got[1].iter().any(|(k, _)| k == "page"));
    assert!(got.iter().all(|q| q.contains(&("limit".into(), "2".into()))), "the page size is kept: {got:?}");
}
