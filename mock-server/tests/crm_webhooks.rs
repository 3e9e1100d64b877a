//! Webhooks fired by CRM agent actions, delivered over real sockets to a receiver registered
//! with the Data API: `ticket.updated` for any field change, plus `ticket.status_changed`,
//! `ticket.assigned`, `ticket.department_changed`, `ticket.reopened` and `ticket.reply` (with
//! the content and the acting seat's id); a change that changes nothing fires nothing.

mod common;

use std::time::Duration;

use common::{Receiver, s};
use deskapi_mock::{MockServer, RateLimitSetting};
use serde_json::{Value, json};

const EVENTS: [&str; 6] = [
    "ticket.updated",
    "ticket.status_changed",
    "ticket.assigned",
    "ticket.department_changed",
    "ticket.reopened",
    "ticket.reply",
];

async fn call(method: reqwest::Method, url: &str, key: &str, body: Option<Value>) -> (u16, Value) {
    let mut request = reqwest::Client::new().request(method, url).header("x-api-key", key);
    if let Some(body) = body {
        request = request.header("content-type", "application/json").body(body.to_string());
    }
    let resp = request.send().await.expect("request");
    let status = resp.status().as_u16();
    let bytes = resp.bytes().await.expect("body");
    (status, serde_json::from_slice(&bytes).unwrap_or(Value::Null))
}

#[tokio::test]
async fn agent_actions_fire_ticket_webhooks_and_no_ops_fire_nothing() {
    let server = MockServer::builder().rate_limit(RateLimitSetting::Off).start().await.expect("start");
    let receiver = Receiver::start(vec![], Duration::ZERO).await;
    let keys = server.keys().clone();
    let target = format!("{}/external/webhooks", server.nextcap_url());
    let (status, _) =
        call(reqwest::Method::POST, &target, &keys.nextcap_data, Some(json!({"url": receiver.url, "events": EVENTS})))
            .await;
    assert_eq!(status, 201);
    let (ticket, priority, tara, liam, department) = {
        let inner = server.state().lock();
        let nc = inner.store().nextcap();
        let acme = nc.orgs()[0].id;
        let seat =
            |name: &str| nc.seats().iter().find(|x| x.name == name).map(|x| x.id.to_string()).unwrap_or_default();
        let t = nc.tickets().iter().find(|t| t.org_id == acme && t.status == "open").expect("an open ticket");
        let department = nc
            .departments()
            .iter()
            .find(|d| d.org_id == acme && d.is_active && Some(d.id) != t.department_id)
            .map(|d| d.id.to_string());
        (t.id.to_string(), t.priority.clone(), seat("Tara Tickets"), seat("Liam Chat"), department.unwrap_or_default())
    };
    let crm = format!("{}/external/crm/tickets/{ticket}", server.nextcap_url());
    let key = &keys.nextcap_crm_ticketing;
    let post = |path: &str, body: Option<Value>| {
        let url = format!("{crm}{path}");
        let key = key.clone();
        async move { call(reqwest::Method::POST, &url, &key, body).await }
    };
    // No-ops first: nothing they do may reach the receiver.
    let (s0, _) = call(reqwest::Method::PATCH, &crm, key, Some(json!({"priority": priority}))).await;
    assert_eq!(s0, 200);
    assert_eq!(post("/notes", Some(json!({"content": "internal"}))).await.0, 201);
    // Real changes.
    let other = if priority == "urgent" { "low" } else { "urgent" };
    let (s1, _) =
        call(reqwest::Method::PATCH, &crm, key, Some(json!({"status": "in_progress", "priority": other}))).await;
    assert_eq!(s1, 200);
    assert_eq!(post("/assign", Some(json!({"agent_id": liam}))).await.0, 200);
    assert_eq!(post("/assign", Some(json!({"agent_id": liam}))).await.0, 200, "again: no change");
    assert_eq!(post("/transfer", Some(json!({"department_id": department, "unassign": false}))).await.0, 200);
    assert_eq!(post("/close", None).await.0, 200);
    assert_eq!(post("/reopen", None).await.0, 200);
    assert_eq!(post("/reply", Some(json!({"content": "Fixed on our side."}))).await.0, 201);
    let expected = 2 + 2 + 2 + 2 + 3 + 1;
    server.wait_for_deliveries(expected, Duration::from_secs(10)).await.expect("every delivery");
    assert!(server.wait_for_webhooks_idle(Duration::from_secs(5)).await);
    tokio::time::sleep(Duration::from_millis(200)).await;
    let got: Vec<Value> = receiver.got().iter().map(|r| r.json()).collect();
    let mut names: Vec<&str> = got.iter().map(|b| s(b, "event")).collect();
    names.sort_unstable();
    let mut want = vec![
        "ticket.updated",
        "ticket.status_changed",
        "ticket.updated",
        "ticket.assigned",
        "ticket.updated",
        "ticket.department_changed",
        "ticket.updated",
        "ticket.status_changed",
        "ticket.updated",
        "ticket.status_changed",
        "ticket.reopened",
        "ticket.reply",
    ];
    want.sort_unstable();
    assert_eq!(names, want, "exactly these, and nothing for the no-ops");
    let of = |name: &'static str| got.iter().filter(move |b| s(b, "event") == name).cloned();
    let first_update =
        of("ticket.updated").find(|b| b["data"]["changed_fields"].as_array().is_some_and(|f| f.len() == 2));
    let mut fields: Vec<String> = first_update
        .map(|b| {
            b["data"]["changed_fields"]
                .as_array()
                .into_iter()
                .flatten()
                .map(|v| v.as_str().unwrap_or("").to_owned())
                .collect()
        })
        .unwrap_or_default();
    fields.sort();
    assert_eq!(fields, ["priority", "status"]);
    let assigned = of("ticket.assigned").next().unwrap_or_default();
    assert_eq!(assigned["data"]["assigned_agent_id"], json!(liam));
    let moved = of("ticket.department_changed").next().unwrap_or_default();
    assert_eq!(moved["data"]["department_id"], json!(department));
    let reopened = of("ticket.reopened").next().unwrap_or_default();
    assert_eq!(
        (reopened["data"]["previous_status"].clone(), reopened["data"]["status"].clone()),
        (json!("closed"), json!("reopened"))
    );
    let reply = of("ticket.reply").next().unwrap_or_default();
    assert_eq!(reply["data"]["reply"]["content"], "Fixed on our side.");
    assert_eq!(reply["data"]["reply"]["actor_id"], json!(tara), "the acting seat");
    assert_eq!(reply["data"]["ticket"]["id"], json!(ticket));
    assert!(got.iter().all(|b| b["data"]["ticket"]["id"] == json!(ticket)));
}
