//! End to end: Next Cap tenancy. Plans gate what an organisation's keys may call (the Data API
//! needs Pro, webhooks and the CRM need Enterprise), seats and keys change under a running
//! integration, and each change is seen on the very next request. The SDK tells a plan
//! refusal apart with `PlanRefusal::required_plan`.

mod support;

use std::time::Duration;

use deskapi::nextcap::{Plan, PlanRefusal, WebhookEventName as E};
use deskapi_mock::MockServer;
use deskapi_mock::actions::nextcap::{NewApiOnlySeat, NewCrmKey, NewLead, RevokeCrmKey, SeatRef, SeatUpdate, SetPlan};
use support::*;

/// GET on a CRM path that is no route, with a seat key: the status. An admitted key meets the
/// CRM's own 404 (so the check needs no permission), a refused one 401 or 403.
async fn crm_status(server: &MockServer, key: &str) -> (u16, String) {
    let url = format!("{}/external/crm/no-such-resource", server.nextcap_url());
    let resp = reqwest::Client::new().get(url).header("x-api-key", key).send().await.expect("a response");
    let status = resp.status().as_u16();
    (status, resp.text().await.unwrap_or_default())
}

fn set_plan(server: &MockServer, org: &str, plan: &str) {
    server.nextcap().set_plan(SetPlan { org: org.into(), plan: plan.into() }).expect("a plan change");
}

#[tokio::test]
async fn each_plan_against_each_api_both_ways() {
    let server = server().await;
    let keys = server.keys().clone();

    // Data API: Enterprise and Pro read it; Free is refused, naming the plan it needs.
    for key in [&keys.nextcap_data, &keys.nextcap_data_pro] {
        assert!(nextcap(&server, key).leads().list().send().await.is_ok());
    }
    let refused = nextcap(&server, &keys.nextcap_data_free).leads().list().send().await.expect_err("Free");
    assert_eq!(refused.required_plan(), Some(Plan::Pro), "{refused}");

    // Webhooks: Enterprise only.
    assert!(nextcap(&server, &keys.nextcap_data).webhooks().list().send().await.is_ok());
    for key in [&keys.nextcap_data_pro, &keys.nextcap_data_free] {
        let e = nextcap(&server, key).webhooks().list().send().await.expect_err("below Enterprise");
        assert_eq!(e.required_plan(), Some(Plan::Enterprise), "{e}");
    }

    // CRM: Enterprise only.
    assert_eq!(crm_status(&server, &keys.nextcap_crm_admin).await.0, 404, "admitted");
    let (status, body) = crm_status(&server, &keys.nextcap_crm_pro).await;
    assert_eq!(status, 403);
    assert!(body.contains("Enterprise plan required"), "{body}");

    // Other errors are not plan refusals.
    let not_found = nextcap(&server, &keys.nextcap_data).leads().get("00000000-0000-4000-8000-000000000000").await;
    assert_eq!(not_found.expect_err("404").required_plan(), None);

    // The listing shows each key's plan.
    let plan_of = |key: &str| server.all_keys().into_iter().find(|k| k.key == key).and_then(|k| k.plan);
    assert_eq!(plan_of(&keys.nextcap_data).as_deref(), Some("enterprise"));
    assert_eq!(plan_of(&keys.nextcap_crm_pro).as_deref(), Some("pro"));
    assert_eq!(plan_of(&keys.nextcap_data_free).as_deref(), Some("free"));
    assert_eq!(plan_of(&keys.nexadesk_read_write), None, "plans are Next Cap's");
}

#[tokio::test]
async fn a_plan_change_takes_effect_on_the_next_call_and_stops_deliveries() {
    let server = server().await;
    let client = nextcap(&server, &server.keys().nextcap_data);
    let receiver = Receiver::start(vec![]).await;
    client.webhooks().create(receiver.url.clone(), [E::LeadCreated]).await.expect("Enterprise may");

    set_plan(&server, "acme", "pro");
    let e = client.webhooks().list().send().await.expect_err("Pro may not");
    assert_eq!(e.required_plan(), Some(Plan::Enterprise));
    assert!(client.leads().list().send().await.is_ok(), "Pro still reads the Data API");
    let lead = |email: &str| NewLead { org: "acme".into(), email: Some(email.into()), ..NewLead::default() };
    server.nextcap().capture_lead(lead("a@example.com")).expect("a lead");
    assert!(server.wait_for_webhooks_idle(Duration::from_secs(5)).await);
    assert!(server.webhook_deliveries().is_empty(), "no delivery for an organisation below Enterprise");

    set_plan(&server, "acme", "free");
    let e = client.leads().list().send().await.expect_err("Free may not");
    assert_eq!(e.required_plan(), Some(Plan::Pro));

    set_plan(&server, "acme", "enterprise");
    assert!(client.webhooks().list().send().await.is_ok());
    server.nextcap().capture_lead(lead("b@example.com")).expect("a lead");
    let log = server.wait_for_deliveries(1, Duration::from_secs(10)).await.expect("delivered again");
    assert_eq!(log[0].event, "lead.created");
}

#[tokio::test]
async fn seats_and_keys_change_under_a_running_integration() {
    let server = server().await;
    let keys = server.keys().clone();
    let seat = || SeatRef { org: "acme".into(), seat: "Ada Admin".into() };

    // A deactivated seat's key is refused on the next call; reactivated, it works again.
    server.nextcap().deactivate_seat(seat()).expect("deactivated");
    assert_eq!(crm_status(&server, &keys.nextcap_crm_admin).await.0, 401);
    server.nextcap().reactivate_seat(seat()).expect("reactivated");
    assert_eq!(crm_status(&server, &keys.nextcap_crm_admin).await.0, 404);

    // A new key works at once; revoked, it is refused at once.
    let made = server
        .nextcap()
        .create_crm_key(NewCrmKey { org: "acme".into(), seat: "ada.admin@acme.example".into(), name: "sync".into() })
        .expect("a key");
    assert!(made.key.starts_with("nextcap_ck_"));
    assert!(server.all_keys().iter().any(|k| k.key == made.key), "listed");
    assert_eq!(crm_status(&server, &made.key).await.0, 404);
    server.nextcap().revoke_crm_key(RevokeCrmKey { key: made.key.clone() }).expect("revoked");
    assert_eq!(crm_status(&server, &made.key).await.0, 401);

    // An API-only seat gets its role's permissions and exactly the widgets it was given;
    // changing them shows on the next listing.
    // A widget of Acme's (a lead's `agent_id` is the widget it was captured on).
    let leads = nextcap(&server, &keys.nextcap_data).leads().list().send().await.expect("leads");
    let widget: uuid::Uuid =
        leads.items[0].agent_id.as_ref().map(|a| a.as_str()).unwrap_or_default().parse().expect("a widget id");
    let made = server
        .nextcap()
        .create_api_only_seat(NewApiOnlySeat {
            org: "acme".into(),
            name: "Sync Bot".into(),
            role: "ticketing_agent".into(),
            widget_ids: vec![widget],
            email: None,
        })
        .expect("a seat");
    assert_eq!(made.seat.widget_ids, [widget]);
    assert!(made.seat.permissions.iter().any(|p| p == "tickets:manage"));
    assert_eq!(crm_status(&server, &made.key).await.0, 404, "its key works at once");
    // It sees exactly the tickets of its one widget.
    let crm =
        |key: &str| deskapi::NextCapCrmClient::builder(key).base_url(server.nextcap_url()).build().expect("a client");
    let visible = all(crm(&made.key).tickets().list()).await;
    assert!(!visible.is_empty(), "its widget has tickets");
    let on_widget = |t: &deskapi::nextcap::CrmTicket| t.ticket.agent_id.as_ref().map(|a| a.as_str().to_owned());
    assert!(visible.iter().all(|t| on_widget(t) == Some(widget.to_string())), "only its widget's tickets");
    assert!(all(crm(&keys.nextcap_crm_admin).tickets().list()).await.len() > visible.len(), "the owner sees more");
    let update =
        SeatUpdate { org: "acme".into(), seat: "Sync Bot".into(), role: Some("viewer".into()), widget_ids: None };
    let updated = server.nextcap().update_seat(update).expect("updated");
    assert_eq!(updated.permissions, ["conversations:view-own", "tickets:view"]);
    let listed = server.all_keys().into_iter().find(|k| k.key == made.key).expect("listed");
    assert_eq!(listed.permissions, updated.permissions, "the key inherits the seat's role");

    // Bad input names the field.
    let bad = server.nextcap().set_plan(SetPlan { org: "acme".into(), plan: "gold".into() });
    assert_eq!(bad.map_err(|e| e.field).err().as_deref(), Some("plan"));
    let bad = server.nextcap().deactivate_seat(SeatRef { org: "acme".into(), seat: "nobody".into() });
    assert_eq!(bad.map_err(|e| e.field).err().as_deref(), Some("seat"));
}

#[tokio::test]
async fn the_http_control_actions_do_the_same() {
    let server = server().await;
    let post = |action: &str, body: serde_json::Value| {
        let url = format!("{}/__mock/nextcap/actions/{action}", server.url());
        async move {
            let resp = reqwest::Client::new()
                .post(url)
                .header("content-type", "application/json")
                .body(body.to_string())
                .send()
                .await
                .expect("a response");
            let status = resp.status().as_u16();
            (
                status,
                serde_json::from_slice::<serde_json::Value>(&resp.bytes().await.unwrap_or_default())
                    .unwrap_or_default(),
            )
        }
    };
    let (status, body) = post("set-plan", serde_json::json!({"org": "globex", "plan": "pro"})).await;
    assert_eq!((status, body["plan"].as_str()), (200, Some("pro")));
    let (status, body) = post("set-plan", serde_json::json!({"org": "globex", "plan": "gold"})).await;
    assert_eq!((status, body["field"].as_str()), (400, Some("plan")));
    let (status, body) =
        post("create-crm-key", serde_json::json!({"org": "acme", "seat": "Liam Chat", "name": "x"})).await;
    assert_eq!(status, 201);
    let key = body["key"].as_str().unwrap_or_default().to_owned();
    let (status, _) = post("revoke-crm-key", serde_json::json!({ "key": key })).await;
    assert_eq!(status, 200);
    let (status, body) = post("revoke-crm-key", serde_json::json!({ "key": key })).await;
    assert_eq!((status, body["field"].as_str()), (400, Some("key")));
}
