//! Next Cap Data API handler tests (reads): every list's paging, order and filters (alone and
//! combined, checked against filtering the full list by hand), 404s, field-naming 400s, what
//! must never be exposed, departments, visitors, and the analytics math.

mod common;

use std::collections::BTreeSet;

use axum::http::StatusCode;
use common::{Mock, assert_nextcap_error, data, detail_fields, ids, s};
use serde_json::Value;

const LISTS: [(&str, u64); 5] = [
    ("/external/leads", 45),
    ("/external/conversations", 30),
    ("/external/tickets", 40),
    ("/external/call-requests", 20),
    ("/external/visitors", 40),
];

/// How many of `all` satisfy `keep`, to compare with a filtered list's total.
fn count(all: &[Value], keep: impl Fn(&Value) -> bool) -> u64 {
    all.iter().filter(|r| keep(r)).count() as u64
}

async fn total(mock: &Mock, path: &str) -> u64 {
    let resp = mock.nextcap(path).await;
    assert_eq!(resp.status, StatusCode::OK, "{path}: {}", resp.json);
    resp.json["meta"]["total"].as_u64().unwrap_or(u64::MAX)
}

#[tokio::test]
async fn every_list_pages_through_each_row_once_newest_first() {
    let mock = Mock::new();
    for (path, expected) in LISTS {
        let first = mock.nextcap(&format!("{path}?per_page=7")).await;
        assert_eq!(first.json["meta"]["total"], expected, "{path}");
        assert_eq!(first.json["meta"]["total_pages"], expected.div_ceil(7), "{path}");
        let mut seen = Vec::new();
        for page in 1..=expected.div_ceil(7) {
            seen.extend(ids(&mock.nextcap(&format!("{path}?per_page=7&page={page}")).await));
        }
        let unique: BTreeSet<_> = seen.iter().collect();
        assert_eq!((seen.len() as u64, unique.len() as u64), (expected, expected), "{path}");
        let all = mock.nextcap_all(path).await;
        let created: Vec<&str> = all.iter().map(|r| s(r, "created_at")).collect();
        assert!(created.windows(2).all(|w| w[0] >= w[1]), "{path} is newest first");
        let past = mock.nextcap(&format!("{path}?page=99")).await;
        assert!(data(&past).is_empty() && past.json["meta"]["total"] == expected, "{path}");
    }
}

#[tokio::test]
async fn conversation_filters_alone_and_combined_match_filtering_by_hand() {
    let mock = Mock::new();
    let all = mock.nextcap_all("/external/conversations").await;
    for status in ["active", "handed_off", "ticketed", "resolved", "archived"] {
        let n = total(&mock, &format!("/external/conversations?status={status}")).await;
        assert_eq!(n, count(&all, |c| s(c, "status") == status), "{status}");
        assert!(n > 0, "the fixtures cycle statuses");
    }
    let agent = s(&all[0], "agent_id").to_owned();
    let by_agent = count(&all, |c| s(c, "agent_id") == agent);
    assert_eq!(total(&mock, &format!("/external/conversations?agent_id={agent}")).await, by_agent);
    assert!(by_agent < 30, "Acme has two widgets");
    let visitor = s(&all[3], "visitor_id").to_owned();
    let rows = mock.nextcap_all(&format!("/external/conversations?visitor_id={visitor}")).await;
    assert_eq!(rows.len() as u64, count(&all, |c| s(c, "visitor_id") == visitor));
    assert!(rows.iter().all(|c| s(c, "visitor_id") == visitor));
    let assigned = all.iter().find_map(|c| c["assigned_agent_id"].as_str()).expect("some are assigned").to_owned();
    let n = total(&mock, &format!("/external/conversations?assigned_agent_id={assigned}")).await;
    assert_eq!(n, count(&all, |c| s(c, "assigned_agent_id") == assigned));
    let combined = format!("/external/conversations?status=resolved&agent_id={agent}");
    let expected = count(&all, |c| s(c, "status") == "resolved" && s(c, "agent_id") == agent);
    assert_eq!(total(&mock, &combined).await, expected);
}

#[tokio::test]
async fn ticket_filters_alone_and_combined_and_tags_are_any_of() {
    let mock = Mock::new();
    let all = mock.nextcap_all("/external/tickets").await;
    let has_tag = |t: &Value, tag: &str| t["tags"].as_array().is_some_and(|a| a.iter().any(|x| x == tag));
    for (field, values) in [
        (
            "status",
            vec![
                "new",
                "open",
                "in_progress",
                "waiting_customer",
                "waiting_internal",
                "resolved",
                "closed",
                "reopened",
            ],
        ),
        ("priority", vec!["low", "normal", "high", "urgent"]),
        ("source", vec!["handoff", "widget", "email", "import"]),
        ("category", vec!["account", "billing", "bug"]),
    ] {
        for value in values {
            let n = total(&mock, &format!("/external/tickets?{field}={value}")).await;
            assert_eq!(n, count(&all, |t| s(t, field) == value), "{field}={value}");
        }
    }
    let department = all.iter().find_map(|t| t["department_id"].as_str()).expect("departments").to_owned();
    let n = total(&mock, &format!("/external/tickets?department_id={department}")).await;
    assert_eq!(n, count(&all, |t| s(t, "department_id") == department));
    let agent = all.iter().find_map(|t| t["assigned_agent_id"].as_str()).expect("assignees").to_owned();
    let n = total(&mock, &format!("/external/tickets?assigned_agent_id={agent}")).await;
    assert_eq!(n, count(&all, |t| s(t, "assigned_agent_id") == agent));
    // Any-of: "vip,bug" is vip OR bug, and a ticket with both counts once.
    let vip = count(&all, |t| has_tag(t, "vip"));
    let either = count(&all, |t| has_tag(t, "vip") || has_tag(t, "bug"));
    assert!(all.iter().any(|t| t["tags"].as_array().is_some_and(|a| a.len() > 1)), "some tickets have two tags");
    assert_eq!(total(&mock, "/external/tickets?tags=vip").await, vip);
    assert_eq!(total(&mock, "/external/tickets?tags=vip,%20bug,").await, either);
    assert!(either > vip);
    let combined = "/external/tickets?status=new&priority=low&tags=vip,bug,billing,urgent-followup,refund";
    let expected = count(&all, |t| {
        s(t, "status") == "new" && s(t, "priority") == "low" && !t["tags"].as_array().is_none_or(Vec::is_empty)
    });
    assert_eq!(total(&mock, combined).await, expected);
    assert_eq!(total(&mock, "/external/tickets?tags=no-such-tag").await, 0);
}

#[tokio::test]
async fn call_request_and_visitor_filters_match_filtering_by_hand() {
    let mock = Mock::new();
    let calls = mock.nextcap_all("/external/call-requests").await;
    for status in ["new", "contacted", "scheduled", "completed", "cancelled"] {
        let n = total(&mock, &format!("/external/call-requests?status={status}")).await;
        assert_eq!(n, count(&calls, |c| s(c, "status") == status));
    }
    for channel in ["widget", "telegram", "api"] {
        let n = total(&mock, &format!("/external/call-requests?channel={channel}")).await;
        assert_eq!(n, count(&calls, |c| s(c, "channel") == channel));
    }
    let both = count(&calls, |c| s(c, "status") == "new" && s(c, "channel") == "widget");
    assert_eq!(total(&mock, "/external/call-requests?status=new&channel=widget").await, both);

    let visitors = mock.nextcap_all("/external/visitors").await;
    let with = total(&mock, "/external/visitors?has_email=true").await;
    let without = total(&mock, "/external/visitors?has_email=false").await;
    assert_eq!(
        (with, without),
        (count(&visitors, |v| v["email"].is_string()), count(&visitors, |v| v["email"].is_null()))
    );
    assert_eq!(with + without, 40);
    let country = s(&visitors[0], "country").to_owned();
    let lower = total(&mock, &format!("/external/visitors?country={}", country.to_lowercase())).await;
    assert_eq!(lower, count(&visitors, |v| s(v, "country") == country), "country is case-insensitive");
    let both = count(&visitors, |v| s(v, "country") == country && v["email"].is_string());
    assert_eq!(total(&mock, &format!("/external/visitors?country={country}&has_email=true")).await, both);
}

#[tokio::test]
async fn date_windows_are_exclusive_on_every_list() {
    let mock = Mock::new();
    for (path, _) in LISTS {
        let all = mock.nextcap_all(path).await;
        let pivot = s(&all[5], "created_at").to_owned();
        let after = total(&mock, &format!("{path}?created_after={pivot}")).await;
        let before = total(&mock, &format!("{path}?created_before={pivot}")).await;
        let equal = count(&all, |r| s(r, "created_at") == pivot);
        assert_eq!(after + before + equal, all.len() as u64, "{path}: the pivot itself matches neither");
        assert_eq!(after, count(&all, |r| s(r, "created_at") > pivot.as_str()), "{path}");
        let window = format!("{path}?created_after={}&created_before={pivot}", s(&all[all.len() - 2], "created_at"));
        assert!(total(&mock, &window).await > 0, "{path}");
        assert_eq!(total(&mock, &format!("{path}?created_after=2026-01-01")).await, all.len() as u64, "a plain date");
    }
}

#[tokio::test]
async fn messages_are_chronological_and_never_expose_model_usage() {
    let mock = Mock::new();
    // The store really holds usage for assistant messages: stripping it is the encoder's job.
    let stored = mock.state.lock().store().nextcap().messages().iter().filter(|m| m.usage.is_some()).count();
    assert!(stored > 0);
    for conversation in mock.nextcap_all("/external/conversations").await.iter().take(10) {
        let id = s(conversation, "id");
        let resp = mock.nextcap(&format!("/external/conversations/{id}/messages")).await;
        let rows = data(&resp);
        assert_eq!(rows.len() as u64, conversation["message_count"].as_u64().unwrap_or(0));
        let times: Vec<&str> = rows.iter().map(|m| s(m, "created_at")).collect();
        assert!(times.windows(2).all(|w| w[0] <= w[1]), "oldest first");
        for m in rows {
            let keys: BTreeSet<&str> =
                m.as_object().map(|o| o.keys().map(String::as_str).collect()).unwrap_or_default();
            let documented =
                ["attachments", "content", "conversation_id", "created_at", "feedback", "id", "role", "sources"];
            assert_eq!(keys, documented.into_iter().collect(), "{m}");
        }
        let text = resp.json.to_string();
        for secret in ["token", "latency", "model", "gpt-", "claude"] {
            assert!(!text.contains(secret), "{secret} leaked: {text}");
        }
    }
}

#[tokio::test]
async fn ticket_timelines_never_include_internal_notes() {
    let mock = Mock::new();
    let noted: Vec<String> = {
        let inner = mock.state.lock();
        let nc = inner.store().nextcap();
        let acme = nc.orgs()[0].id;
        let acme_ticket = |id| nc.tickets().iter().any(|t| t.id == id && t.org_id == acme);
        let notes = nc.ticket_events().iter().filter(|e| e.is_internal && acme_ticket(e.ticket_id));
        notes.map(|e| e.ticket_id.to_string()).collect::<BTreeSet<_>>().into_iter().collect()
    };
    assert!(noted.len() > 5, "the fixtures hold internal notes");
    for id in &noted {
        let resp = mock.nextcap(&format!("/external/tickets/{id}/events?per_page=100")).await;
        assert_eq!(resp.status, StatusCode::OK);
        let events = data(&resp);
        assert!(!events.is_empty());
        assert!(events.iter().all(|e| e["is_internal"] == false && e["type"] != "note"), "{}", resp.json);
        assert!(!resp.json.to_string().contains("Internal:"));
        assert_eq!(s(&events[0], "type"), "created");
        let times: Vec<&str> = events.iter().map(|e| s(e, "created_at")).collect();
        assert!(times.windows(2).all(|w| w[0] <= w[1]), "oldest first");
    }
}

#[tokio::test]
async fn tickets_embed_their_department_or_null() {
    let mock = Mock::new();
    let departments = mock.nextcap("/external/departments").await;
    for t in mock.nextcap_all("/external/tickets").await {
        match t["department_id"].as_str() {
            None => assert!(t["department"].is_null()),
            Some(id) => {
                assert_eq!(t["department"]["id"], id);
                let d = data(&departments).iter().find(|d| d["id"] == id).expect("an active department");
                assert_eq!(t["department"]["name_translations"], d["name_translations"]);
            }
        }
    }
}

#[tokio::test]
async fn unknown_foreign_and_malformed_ids_are_404_everywhere() {
    let mock = Mock::new();
    let pick = |resp: &common::Resp| s(&data(resp)[0], "id").to_owned();
    let conversation = pick(&mock.nextcap("/external/conversations").await);
    let ticket = pick(&mock.nextcap("/external/tickets").await);
    let call = pick(&mock.nextcap("/external/call-requests").await);
    let visitor = pick(&mock.nextcap("/external/visitors").await);
    let department = pick(&mock.nextcap("/external/departments").await);
    let paths = [
        format!("/external/conversations/{conversation}"),
        format!("/external/conversations/{conversation}/messages"),
        format!("/external/tickets/{ticket}"),
        format!("/external/tickets/{ticket}/events"),
        format!("/external/call-requests/{call}"),
        format!("/external/visitors/{visitor}"),
        format!("/external/visitors/{visitor}/sessions"),
        format!("/external/departments/{department}"),
    ];
    for path in &paths {
        assert_eq!(mock.nextcap(path).await.status, StatusCode::OK, "{path}");
        assert_nextcap_error(&mock.globex(path).await, StatusCode::NOT_FOUND, "NOT_FOUND");
        let unknown = path.replace(path.split('/').nth(3).unwrap_or(""), "00000000-0000-4000-8000-000000000000");
        assert_nextcap_error(&mock.nextcap(&unknown).await, StatusCode::NOT_FOUND, "NOT_FOUND");
        let malformed = path.replace(path.split('/').nth(3).unwrap_or(""), "not-a-uuid");
        assert_nextcap_error(&mock.nextcap(&malformed).await, StatusCode::NOT_FOUND, "NOT_FOUND");
    }
    // Lists never show the other organisation's rows.
    for (path, _) in LISTS {
        let acme: BTreeSet<String> = ids(&mock.nextcap(&format!("{path}?per_page=100")).await).into_iter().collect();
        let globex = ids(&mock.globex(&format!("{path}?per_page=100")).await);
        assert!(!globex.is_empty() && globex.iter().all(|g| !acme.contains(g)), "{path}");
    }
}

#[tokio::test]
async fn bad_query_values_name_their_fields_on_every_list() {
    let mock = Mock::new();
    for (path, query, fields) in [
        ("/external/conversations", "status=open", vec!["status"]),
        ("/external/conversations", "agent_id=x&assigned_agent_id=y", vec!["agent_id", "assigned_agent_id"]),
        ("/external/tickets", "priority=medium", vec!["priority"]),
        ("/external/tickets", "status=pending&source=fax&department_id=1", vec!["status", "department_id", "source"]),
        ("/external/call-requests", "channel=phone", vec!["channel"]),
        ("/external/call-requests", "per_page=101&created_after=tomorrow", vec!["per_page", "created_after"]),
        ("/external/visitors", "country=USA", vec!["country"]),
        ("/external/visitors", "has_email=yes", vec!["has_email"]),
        ("/external/visitors", "page=0&created_before=2026-13-01", vec!["page", "created_before"]),
        ("/external/analytics/overview", "", vec!["start_date", "end_date"]),
        ("/external/analytics/daily", "start_date=2026-05-01&end_date=05/02/2026", vec!["end_date"]),
        ("/external/analytics/overview", "start_date=2026-5-1&end_date=2026-05-02", vec!["start_date"]),
    ] {
        let resp = mock.nextcap(&format!("{path}?{query}")).await;
        assert_nextcap_error(&resp, StatusCode::BAD_REQUEST, "VALIDATION_ERROR");
        assert_eq!(detail_fields(&resp), fields, "{path}?{query}");
    }
    let conversation = s(&data(&mock.nextcap("/external/conversations").await)[0], "id").to_owned();
    let resp = mock.nextcap(&format!("/external/conversations/{conversation}/messages?per_page=0")).await;
    assert_eq!(detail_fields(&resp), ["per_page"]);
}

#[tokio::test]
async fn departments_list_only_active_ones_paginated_but_get_any() {
    let mock = Mock::new();
    let list = mock.nextcap("/external/departments").await;
    assert_eq!(list.json["meta"]["total"], 3, "paginated like every list: {}", list.json);
    let names: Vec<&str> = data(&list).iter().map(|d| s(d, "name")).collect();
    assert_eq!(names, ["Technical Support", "Billing", "Sales"]);
    let second = mock.nextcap("/external/departments?per_page=2&page=2").await;
    let names: Vec<&str> = data(&second).iter().map(|d| s(d, "name")).collect();
    assert_eq!((names, second.json["meta"]["total_pages"].as_u64()), (vec!["Sales"], Some(2)));
    let bad = mock.nextcap("/external/departments?per_page=0").await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    let legacy = mock
        .state
        .lock()
        .store()
        .nextcap()
        .departments()
        .iter()
        .find(|d| !d.is_active)
        .map(|d| d.id)
        .expect("one inactive");
    let one = mock.nextcap(&format!("/external/departments/{legacy}")).await;
    assert_eq!((one.status, s(&one.json["data"], "name")), (StatusCode::OK, "Legacy Support"));
    assert!(one.json["data"].get("is_active").is_none(), "not a documented field");
    let globex = mock.globex("/external/departments").await;
    assert_eq!(data(&globex).len(), 2);
}

#[tokio::test]
async fn visitors_sessions_and_profiles_agree_with_their_totals() {
    let mock = Mock::new();
    let visitors = mock.nextcap_all("/external/visitors").await;
    let conversations = mock.nextcap_all("/external/conversations").await;
    let (mut with_profile, mut without) = (0, 0);
    for v in &visitors {
        let id = s(v, "id");
        let sessions = mock.nextcap_all(&format!("/external/visitors/{id}/sessions")).await;
        assert_eq!(sessions.len() as u64, v["total_sessions"].as_u64().unwrap_or(0));
        let views: u64 = sessions.iter().map(|x| x["page_view_count"].as_u64().unwrap_or(0)).sum();
        assert_eq!(views, v["total_page_views"].as_u64().unwrap_or(0));
        let started: Vec<&str> = sessions.iter().map(|x| s(x, "started_at")).collect();
        assert!(started.windows(2).all(|w| w[0] >= w[1]), "newest first");
        let chats = count(&conversations, |c| c["visitor_id"] == v["visitor_id"]);
        assert_eq!(chats, v["total_conversations"].as_u64().unwrap_or(0));
        let profile = mock.nextcap(&format!("/external/visitors/{id}/profile")).await;
        if chats == 0 {
            assert_nextcap_error(&profile, StatusCode::NOT_FOUND, "NOT_FOUND");
            without += 1;
        } else {
            assert_eq!(profile.json["data"]["conversations_analyzed"], chats);
            assert_eq!(profile.json["data"]["visitor_id"], id);
            let score = profile.json["data"]["sentiment_score"].as_f64().unwrap_or(9.0);
            assert!((-1.0..=1.0).contains(&score));
            with_profile += 1;
        }
    }
    assert!(with_profile > 0 && without > 0, "both cases exist in the fixtures");
}

#[tokio::test]
async fn analytics_are_computed_from_the_rows_of_the_range() {
    let mock = Mock::new();
    let (start, end) = ("2026-08-01", "2026-09-30");
    let in_range = |r: &Value| s(r, "created_at") >= start && s(r, "created_at") < "2026-10-01";
    let overview = mock.nextcap(&format!("/external/analytics/overview?start_date={start}&end_date={end}")).await;
    assert_eq!(overview.status, StatusCode::OK, "{}", overview.json);
    let o = &overview.json["data"];
    let conversations = mock.nextcap_all("/external/conversations").await;
    for (counter, path) in [
        ("leads", "/external/leads"),
        ("tickets", "/external/tickets"),
        ("call_requests", "/external/call-requests"),
        ("visitors", "/external/visitors"),
        ("conversations", "/external/conversations"),
    ] {
        let rows = mock.nextcap_all(path).await;
        assert_eq!(o[counter], count(&rows, in_range), "{counter}");
    }
    let convs: Vec<&Value> = conversations.iter().filter(|c| in_range(c)).collect();
    let resolved = convs.iter().filter(|c| s(c, "status") == "resolved").count() as f64;
    assert_eq!(o["resolved_conversations"], resolved as u64);
    assert_eq!(o["handed_off_conversations"], convs.iter().filter(|c| c["handed_off_at"].is_string()).count());
    assert!((o["resolution_rate"].as_f64().unwrap_or(-1.0) - resolved / convs.len() as f64).abs() < 1e-9);

    let daily = mock.nextcap(&format!("/external/analytics/daily?start_date={start}&end_date={end}")).await;
    let days = data(&daily);
    assert_eq!(days.len(), 61, "one row per day, inclusive");
    assert_eq!((s(&days[0], "date"), s(&days[60], "date")), (start, end));
    for counter in
        ["leads", "tickets", "conversations", "messages", "visitors", "call_requests", "resolved_conversations"]
    {
        let sum: u64 = days.iter().map(|d| d[counter].as_u64().unwrap_or(0)).sum();
        assert_eq!(o[counter], sum, "daily {counter} adds up to the overview");
    }
    let empty = mock.nextcap("/external/analytics/overview?start_date=2020-01-01&end_date=2020-01-01").await;
    assert_eq!(
        (empty.json["data"]["conversations"].as_u64(), &empty.json["data"]["resolution_rate"]),
        (Some(0), &Value::Null)
    );
}

#[tokio::test]
async fn analytics_ranges_are_ordered_and_at_most_366_days() {
    let mock = Mock::new();
    let ok = mock.nextcap("/external/analytics/daily?start_date=2024-01-01&end_date=2024-12-31").await;
    assert_eq!((ok.status, data(&ok).len()), (StatusCode::OK, 366));
    for query in ["start_date=2024-01-01&end_date=2025-01-01", "start_date=2026-05-02&end_date=2026-05-01"] {
        for path in ["overview", "daily"] {
            let resp = mock.nextcap(&format!("/external/analytics/{path}?{query}")).await;
            assert_nextcap_error(&resp, StatusCode::BAD_REQUEST, "VALIDATION_ERROR");
            assert_eq!(detail_fields(&resp), ["end_date"], "{query}");
        }
    }
    let globex = mock.globex("/external/analytics/overview?start_date=2026-01-01&end_date=2026-12-31").await;
    assert_eq!(globex.json["data"]["leads"], 45, "each organisation sees its own numbers");
}
