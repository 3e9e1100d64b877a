//! Next Cap CRM team directory: members decode with every field typed (API-only and
//! deactivated seats included), the list searches and pages without the snapshot pin, lookups
//! by ID and by URL-encoded email reach their paths; bad arguments are refused before sending.
//! Also the typed permission set.
#![cfg(feature = "nextcap")]

mod common;

use chrono::{TimeZone, Utc};
use common::*;
use deskapi::Error;
use deskapi::nextcap::*;
use futures::TryStreamExt;
use serde_json::json;
use wiremock::matchers::{method, path, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};

fn list_body() -> serde_json::Value {
    fixture!("nextcap/crm_members_list.json")
}

#[test]
fn members_decode_with_every_field_typed() {
    let m: Member = decode(fixture!("nextcap/crm_member.json")["data"].clone());
    assert_eq!(m.id, UserId::new("u0000000-0000-4000-8000-000000000007"));
    assert_eq!(m.email.as_deref(), Some("mina@acme.com"));
    assert_eq!((m.name.as_str(), m.chat_display_name.as_deref()), ("Mina Rahimi", Some("Mina")));
    assert_eq!(m.phone.as_deref(), Some("+33 1 23 45 67 89"));
    assert_eq!(m.avatar_url.as_deref(), Some("https://cdn.nextcap.ai/avatars/mina.png"));
    assert_eq!(m.role, "admin");
    assert_eq!(m.role_id, Some(RoleId::new("r0000000-0000-4000-8000-000000000002")));
    assert_eq!(
        (m.role_name.as_deref(), m.role_slug.as_deref(), m.role_color.as_deref()),
        (Some("Admin"), Some("admin"), Some("#6366f1"))
    );
    assert!(m.role_is_system && m.email_verified);
    assert_eq!((&m.seat_type, &m.availability_status), (&SeatType::User, &AvailabilityStatus::Online));
    assert_eq!(m.current_activity.as_deref(), Some("In a chat"));
    assert_eq!(m.spoken_languages, ["en", "fa", "fr"]);
    assert_eq!(m.last_active_at, Some(Utc.with_ymd_and_hms(2026, 4, 7, 15, 5, 0).unwrap()));
    assert_eq!(m.last_login_at, Some(Utc.with_ymd_and_hms(2026, 4, 7, 8, 0, 0).unwrap()));
    assert_eq!(m.created_at, Utc.with_ymd_and_hms(2025, 11, 2, 9, 0, 0).unwrap());
    assert!(m.is_active());

    let bot: Member = decode(list_body()["data"][1].clone());
    assert_eq!(
        (&bot.email, &bot.seat_type, &bot.availability_status),
        (&None, &SeatType::ApiOnly, &AvailabilityStatus::Offline)
    );
    assert!(!bot.role_is_system && bot.spoken_languages.is_empty());
    assert_eq!(bot.disabled_at, Some(Utc.with_ymd_and_hms(2026, 4, 1, 12, 0, 0).unwrap()));
    assert!(!bot.is_active());

    let mut newer = list_body()["data"][0].clone();
    newer["seat_type"] = json!("sso");
    newer["availability_status"] = json!("in_meeting");
    let m: Member = decode(newer);
    assert_eq!(
        (m.seat_type, m.availability_status),
        (SeatType::Unknown("sso".into()), AvailabilityStatus::Unknown("in_meeting".into()))
    );
}

#[tokio::test]
async fn the_list_searches_and_walks_pages_without_a_date_pin() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/external/crm/members"))
        .and(query_param("search", "mina"))
        .and(query_param("per_page", "1"))
        .respond_with(|r: &wiremock::Request| {
            let page: u32 = r.url.query_pairs().find(|(k, _)| k == "page").map_or(1, |(_, v)| v.parse().unwrap());
            let item = fixture!("nextcap/crm_members_list.json")["data"][page as usize - 1].clone();
            ResponseTemplate::new(200).set_body_json(
                json!({"data": [item], "meta": {"page": page, "per_page": 1, "total": 2, "total_pages": 2}}),
            )
        })
        .expect(2)
        .mount(&server)
        .await;
    let all: Vec<Member> =
        crm(&server).members().list().search("mina").per_page(1).stream().try_collect().await.unwrap();
    assert_eq!(all.len(), 2);
    assert_eq!(all[1].seat_type, SeatType::ApiOnly);
    let queries: Vec<String> = server
        .received_requests()
        .await
        .unwrap()
        .iter()
        .map(|r| r.url.query().unwrap_or_default().to_owned())
        .collect();
    assert!(queries.iter().all(|q| !q.contains("created_before")), "the member list takes no date filter: {queries:?}");
}

#[tokio::test]
async fn members_are_looked_up_by_id_and_by_url_encoded_email() {
    let server = MockServer::start().await;
    serve(&server, "/external/crm/members/u7", fixture!("nextcap/crm_member.json")).await;
    let m = crm(&server).members().get("u7").await.unwrap();
    assert_eq!(m.name, "Mina Rahimi");

    let server = MockServer::start().await;
    serve(&server, "/external/crm/members/by-email/mina%2Bsupport%40acme.com", fixture!("nextcap/crm_member.json"))
        .await;
    let m = crm(&server).members().by_email("mina+support@acme.com").await.unwrap();
    assert_eq!(m.email.as_deref(), Some("mina@acme.com"));
    let raw = server.received_requests().await.unwrap()[0].url.path().to_owned();
    assert_eq!(raw, "/external/crm/members/by-email/mina%2Bsupport%40acme.com", "`+` and `@` are encoded");
}

#[tokio::test]
async fn a_missing_member_is_a_not_found_error() {
    let server = MockServer::start().await;
    Mock::given(path("/external/crm/members/by-email/nobody%40acme.com"))
        .respond_with(
            ResponseTemplate::new(404).set_body_json(
                json!({"success": false, "error": {"code": "NOT_FOUND", "message": "Member not found"}}),
            ),
        )
        .expect(1)
        .mount(&server)
        .await;
    let err = crm(&server).members().by_email("nobody@acme.com").await.unwrap_err();
    let api = err.as_api().expect("an API error");
    assert!(api.is_not_found());
    assert_eq!(api.code.as_deref(), Some("NOT_FOUND"));
}

fn is_invalid(e: Error, name: &str) {
    match e {
        Error::InvalidArgument { name: n, .. } => assert_eq!(n, name),
        other => panic!("expected InvalidArgument({name}), got {other:?}"),
    }
}

#[tokio::test]
async fn bad_arguments_are_refused_before_sending() {
    let server = MockServer::start().await;
    let client = crm(&server);
    let members = client.members();
    is_invalid(members.by_email("").await.unwrap_err(), "email");
    is_invalid(members.by_email("  ").await.unwrap_err(), "email");
    is_invalid(members.by_email("mina.acme.com").await.unwrap_err(), "email");
    is_invalid(members.get("").await.unwrap_err(), "id");
    is_invalid(members.list().per_page(0).send().await.unwrap_err(), "per_page");
    is_invalid(members.list().per_page(101).send().await.unwrap_err(), "per_page");
    is_invalid(members.list().search("").send().await.unwrap_err(), "search");
    is_invalid(members.list().page(0).send().await.unwrap_err(), "page");
    assert_nothing_sent(&server).await;
}

#[test]
fn permissions_are_a_typed_set() {
    let names = [
        "live-chat:view",
        "live-chat:join",
        "conversations:view",
        "conversations:view-own",
        "tickets:view",
        "tickets:manage",
        "tickets:reply",
        "tickets:assign",
        "tickets:close",
        "team:invite",
    ];
    assert_eq!(Permission::KNOWN.iter().map(Permission::as_str).collect::<Vec<_>>(), names);
    let seat: Permissions =
        serde_json::from_value(json!(["tickets:view", "tickets:reply", "tickets:view", "billing:export"])).unwrap();
    assert_eq!(seat.len(), 3, "repeats collapse");
    assert!(seat.contains(&Permission::TicketsView) && seat.contains(&Permission::TicketsReply));
    assert!(seat.contains(&Permission::Unknown("billing:export".into())), "unknown permissions are kept");
    assert!(!seat.contains(&Permission::TicketsManage));
    assert!(seat.contains_any(&[Permission::TicketsManage, Permission::TicketsReply]));
    assert!(!seat.contains_any(&[Permission::ConversationsView, Permission::ConversationsViewOwn]));
    assert_eq!(serde_json::to_value(&seat).unwrap(), json!(["billing:export", "tickets:reply", "tickets:view"]));

    let mut own: Permissions = [Permission::ConversationsViewOwn].into_iter().collect();
    assert!(own.insert(Permission::LiveChatJoin) && !own.insert(Permission::LiveChatJoin));
    assert!(own.remove(&Permission::ConversationsViewOwn));
    assert_eq!(own.iter().cloned().collect::<Vec<_>>(), [Permission::LiveChatJoin]);
    assert!(Permissions::new().is_empty());
}
