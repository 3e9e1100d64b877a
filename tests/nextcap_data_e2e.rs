//! End to end: every Next Cap Data API endpoint through the SDK against the mock over a real
//! socket. Each filter is checked twice: every returned item satisfies it, and the count equals
//! what filtering the full list by hand gives. Then tenant isolation over every endpoint, the
//! call request update rules, and analytics against the lists.

mod support;

use std::collections::BTreeSet;

use chrono::{Duration as Delta, NaiveDate, TimeZone, Utc};
use deskapi::Error;
use deskapi::nextcap::{
    CallRequestChannel, CallRequestStatus, ConversationStatus, TicketEventType, TicketPriority, TicketSource,
    TicketStatus, WebhookEventName,
};
use futures::TryStreamExt;
use support::*;

fn acme(server: &deskapi_mock::MockServer) -> deskapi::NextCapDataClient {
    nextcap(server, &server.keys().nextcap_data)
}

fn globex(server: &deskapi_mock::MockServer) -> deskapi::NextCapDataClient {
    nextcap(server, &server.keys().nextcap_data_globex)
}

/// Asserts that every item of `got` passes `keep` and that there are as many as in `all`.
fn same_as_by_hand<T: std::fmt::Debug>(got: &[T], all: &[T], keep: impl Fn(&T) -> bool, what: &str) {
    assert!(got.iter().all(&keep), "{what}: an item does not satisfy the filter");
    assert_eq!(got.len(), all.iter().filter(|x| keep(x)).count(), "{what}: count differs from filtering by hand");
}

#[tokio::test]
async fn conversations_every_filter_alone_and_combined() {
    let server = server().await;
    let client = acme(&server);
    let all = all(client.conversations().list().per_page(100)).await;
    assert_eq!(all.len(), 30);
    for status in ConversationStatus::KNOWN {
        let got = support::all(client.conversations().list().status(status.clone())).await;
        same_as_by_hand(&got, &all, |c| &c.status == status, status.as_str());
        assert!(!got.is_empty(), "the fixtures have every status");
    }
    let agent = all[0].agent_id.clone();
    let got = support::all(client.conversations().list().agent_id(agent.clone())).await;
    same_as_by_hand(&got, &all, |c| c.agent_id == agent, "agent_id");
    let visitor = all[1].visitor_id.clone();
    let got = support::all(client.conversations().list().visitor_id(visitor.clone())).await;
    same_as_by_hand(&got, &all, |c| c.visitor_id == visitor, "visitor_id");
    let assignee = all.iter().find_map(|c| c.assigned_agent_id.clone()).expect("handed-off conversations are assigned");
    let got = support::all(client.conversations().list().assigned_agent_id(assignee.clone())).await;
    same_as_by_hand(&got, &all, |c| c.assigned_agent_id.as_ref() == Some(&assignee), "assigned_agent_id");
    let got =
        support::all(client.conversations().list().status(ConversationStatus::Resolved).agent_id(agent.clone())).await;
    same_as_by_hand(&got, &all, |c| c.status == ConversationStatus::Resolved && c.agent_id == agent, "combined");
}

#[tokio::test]
async fn a_conversation_and_its_messages_oldest_first() {
    let server = server().await;
    let client = acme(&server);
    let conversations = all(client.conversations().list()).await;
    for c in conversations.iter().take(8) {
        assert_eq!(&client.conversations().get(c.id.clone()).await.unwrap(), c);
        let messages = all(client.conversations().messages(c.id.clone()).per_page(3)).await;
        assert_eq!(messages.len() as u64, c.message_count);
        assert!(messages.windows(2).all(|w| w[0].created_at <= w[1].created_at), "chronological");
        assert!(messages.iter().all(|m| m.conversation_id == c.id && m.role.is_known()));
        assert_eq!(c.title.as_deref(), messages.iter().find(|m| m.role.as_str() == "user").map(|m| m.content.as_str()));
    }
    let assistant = conversations.iter().find(|c| c.message_count >= 4).expect("a long conversation");
    let messages = all(client.conversations().messages(assistant.id.clone())).await;
    assert!(messages.iter().any(|m| m.sources.as_ref().is_some_and(|s| !s.is_empty())), "citations come through");
}

#[tokio::test]
async fn tickets_every_filter_alone_and_combined_with_any_of_tags() {
    let server = server().await;
    let client = acme(&server);
    let all = all(client.tickets().list().per_page(100)).await;
    assert_eq!(all.len(), 40);
    for status in TicketStatus::KNOWN {
        let got = support::all(client.tickets().list().status(status.clone())).await;
        same_as_by_hand(&got, &all, |t| &t.status == status, status.as_str());
    }
    for priority in TicketPriority::KNOWN {
        let got = support::all(client.tickets().list().priority(priority.clone())).await;
        same_as_by_hand(&got, &all, |t| &t.priority == priority, priority.as_str());
    }
    for source in TicketSource::KNOWN {
        let got = support::all(client.tickets().list().source(source.clone())).await;
        same_as_by_hand(&got, &all, |t| &t.source == source, source.as_str());
    }
    for category in ["account", "billing", "bug"] {
        let got = support::all(client.tickets().list().category(category)).await;
        same_as_by_hand(&got, &all, |t| t.category.as_deref() == Some(category), category);
    }
    let department = all.iter().find_map(|t| t.department_id.clone()).expect("departments");
    let got = support::all(client.tickets().list().department_id(department.clone())).await;
    same_as_by_hand(&got, &all, |t| t.department_id.as_ref() == Some(&department), "department_id");
    let assignee = all.iter().find_map(|t| t.assigned_agent_id.clone()).expect("assignees");
    let got = support::all(client.tickets().list().assigned_agent_id(assignee.clone())).await;
    same_as_by_hand(&got, &all, |t| t.assigned_agent_id.as_ref() == Some(&assignee), "assigned_agent_id");
    // Tags match ANY of the given ones (the mock's documented choice).
    let any = |t: &deskapi::nextcap::Ticket| t.tags.iter().any(|x| x == "vip" || x == "bug");
    let got = support::all(client.tickets().list().tags(["vip", "bug"])).await;
    same_as_by_hand(&got, &all, any, "tags=vip,bug");
    assert!(got.len() > all.iter().filter(|t| t.tags.contains(&"vip".to_owned())).count());
    let got = support::all(
        client.tickets().list().status(TicketStatus::New).priority(TicketPriority::Low).tags(["vip", "bug"]),
    )
    .await;
    same_as_by_hand(
        &got,
        &all,
        |t| t.status == TicketStatus::New && t.priority == TicketPriority::Low && any(t),
        "combined",
    );
}

#[tokio::test]
async fn tickets_embed_their_department_and_timelines_hide_internal_notes() {
    let server = server().await;
    let client = acme(&server);
    let departments = client.departments().list().send().await.unwrap().items;
    let mut events_seen = 0;
    for ticket in all(client.tickets().list().per_page(100)).await {
        let one = client.tickets().get(ticket.id.clone()).await.unwrap();
        assert_eq!(one, ticket);
        match (&ticket.department_id, &ticket.department) {
            (Some(id), Some(d)) => {
                let full = departments.iter().find(|x| &x.id == id).expect("an active department");
                assert_eq!((d.name_for("fr"), d.name.as_str()), (full.name_for("fr"), full.name.as_str()));
            }
            (None, None) => {}
            other => panic!("department_id and department disagree: {other:?}"),
        }
        let events = all(client.tickets().events(ticket.id.clone())).await;
        assert_eq!(events[0].kind, TicketEventType::Created);
        assert!(events.windows(2).all(|w| w[0].created_at <= w[1].created_at));
        assert!(events.iter().all(|e| !e.is_internal && e.kind != TicketEventType::Note && e.ticket_id == ticket.id));
        events_seen += events.len();
    }
    let internal = server.state().lock().store().nextcap().ticket_events().iter().filter(|e| e.is_internal).count();
    assert!(internal > 0 && events_seen > 40, "notes exist in the store, yet none came out");
}

#[tokio::test]
async fn call_requests_filters_and_lookup() {
    let server = server().await;
    let client = acme(&server);
    let all = all(client.call_requests().list()).await;
    assert_eq!(all.len(), 20);
    for status in CallRequestStatus::KNOWN {
        let got = support::all(client.call_requests().list().status(status.clone())).await;
        same_as_by_hand(&got, &all, |c| &c.status == status, status.as_str());
    }
    for channel in CallRequestChannel::KNOWN {
        let got = support::all(client.call_requests().list().channel(channel.clone())).await;
        same_as_by_hand(&got, &all, |c| &c.channel == channel, channel.as_str());
    }
    let got =
        support::all(client.call_requests().list().status(CallRequestStatus::New).channel(CallRequestChannel::Widget))
            .await;
    same_as_by_hand(
        &got,
        &all,
        |c| c.status == CallRequestStatus::New && c.channel == CallRequestChannel::Widget,
        "both",
    );
    for c in all.iter().take(5) {
        assert_eq!(&client.call_requests().get(c.id.clone()).await.unwrap(), c);
    }
    assert!(all.iter().any(|c| c.custom_fields.is_none()) && all.iter().any(|c| c.custom_fields.is_some()));
    assert!(all.iter().all(|c| c.preferred_time_window.is_some_and(|w| w.to_string() == "09:00-09:30")));
}

#[tokio::test]
async fn call_request_updates_set_and_clear_completed_at() {
    let server = server().await;
    let client = acme(&server);
    let open = client.call_requests().list().status(CallRequestStatus::Contacted).send().await.unwrap().items.remove(0);
    let assignee =
        all(client.conversations().list()).await.into_iter().find_map(|c| c.assigned_agent_id).expect("a seat");
    let done = client
        .call_requests()
        .update(open.id.clone())
        .status(CallRequestStatus::Completed)
        .assigned_user_id(assignee.clone())
        .notes("Called, sorted.")
        .send()
        .await
        .unwrap();
    assert_eq!(
        (done.status.clone(), done.assigned_user_id.clone(), done.notes.as_deref()),
        (CallRequestStatus::Completed, Some(assignee), Some("Called, sorted."))
    );
    let completed_at = done.completed_at.expect("completed_at is set");
    assert!(done.updated_at > open.updated_at && (Utc::now() - completed_at) < Delta::seconds(30));
    assert_eq!(client.call_requests().get(open.id.clone()).await.unwrap(), done, "stored");
    let back = client
        .call_requests()
        .update(open.id.clone())
        .status(CallRequestStatus::Scheduled)
        .unassign()
        .clear_notes()
        .send()
        .await
        .unwrap();
    assert!(back.completed_at.is_none() && back.assigned_user_id.is_none() && back.notes.is_none());
}

#[tokio::test]
async fn call_request_updates_are_checked_by_the_sdk_and_by_the_mock() {
    let server = server().await;
    let client = acme(&server);
    let id = client.call_requests().list().send().await.unwrap().items[0].id.clone();
    server.clear_requests();
    // Refused before sending: an unknown status, and an update that sets nothing.
    let err = client
        .call_requests()
        .update(id.clone())
        .status(CallRequestStatus::Unknown("done".into()))
        .send()
        .await
        .unwrap_err();
    assert!(matches!(&err, Error::InvalidArgument { name, .. } if name == "status"), "{err:?}");
    assert!(matches!(client.call_requests().update(id.clone()).send().await, Err(Error::InvalidArgument { .. })));
    assert!(server.requests().is_empty(), "nothing was sent");
    // Refused by the mock: a team member of another organisation.
    let foreign = all(globex(&server).tickets().list())
        .await
        .into_iter()
        .find_map(|t| t.assigned_agent_id)
        .expect("a Globex seat");
    let err = client.call_requests().update(id.clone()).assigned_user_id(foreign).send().await.unwrap_err();
    let api = err.as_api().expect("an API error");
    assert_eq!((api.status, api.code.as_deref()), (400, Some("VALIDATION_ERROR")));
    assert_eq!(api.details.iter().map(|d| d.field.as_str()).collect::<Vec<_>>(), ["assigned_user_id"]);
    let err = client.call_requests().update(id).notes("n".repeat(5001)).send().await.unwrap_err();
    assert_eq!(err.as_api().map(|a| a.details[0].field.clone()).as_deref(), Some("notes"));
}

#[tokio::test]
async fn visitors_filters_sessions_and_profiles() {
    let server = server().await;
    let client = acme(&server);
    let all = all(client.visitors().list()).await;
    assert_eq!(all.len(), 40);
    for has in [true, false] {
        let got = support::all(client.visitors().list().has_email(has)).await;
        same_as_by_hand(&got, &all, |v| v.email.is_some() == has, "has_email");
    }
    let country = all[0].country.clone().expect("a country");
    let got = support::all(client.visitors().list().country(country.to_lowercase())).await;
    same_as_by_hand(&got, &all, |v| v.country.as_ref() == Some(&country), "country");
    let got = support::all(client.visitors().list().country(country.clone()).has_email(true)).await;
    same_as_by_hand(&got, &all, |v| v.country.as_ref() == Some(&country) && v.email.is_some(), "combined");
    let mut profiles = 0;
    for v in all.iter().take(12) {
        assert_eq!(&client.visitors().get(v.id.clone()).await.unwrap(), v);
        let sessions = support::all(client.visitors().sessions(v.id.clone()).per_page(4)).await;
        assert_eq!(sessions.len() as u64, v.total_sessions);
        assert_eq!(sessions.iter().map(|s| s.page_view_count).sum::<u64>(), v.total_page_views);
        assert!(sessions.windows(2).all(|w| w[0].started_at >= w[1].started_at), "newest first");
        match client.visitors().profile(v.id.clone()).await {
            Ok(p) => {
                assert_eq!((p.visitor_id.clone(), p.conversations_analyzed), (v.id.clone(), v.total_conversations));
                profiles += 1;
            }
            Err(e) => assert_eq!((e.status(), v.total_conversations), (Some(404), 0), "no conversations, no profile"),
        }
    }
    assert!(profiles > 0);
}

#[tokio::test]
async fn departments_are_the_active_ones_with_translations() {
    let server = server().await;
    let client = acme(&server);
    let list = client.departments().list().send().await.unwrap();
    let names: Vec<&str> = list.items.iter().map(|d| d.name.as_str()).collect();
    assert_eq!(names, ["Technical Support", "Billing", "Sales"], "Legacy Support is inactive");
    let billing = client.departments().get(list.items[1].id.clone()).await.unwrap();
    assert_eq!(billing, list.items[1]);
    assert_eq!((billing.name_for("fr"), billing.name_for("fa")), ("Facturation", "Billing"), "fa falls back");
    assert!(billing.supported_languages.is_empty() && billing.is_default);
    let globex = globex(&server).departments().list().send().await.unwrap().items;
    assert!(globex.iter().all(|g| list.items.iter().all(|a| a.id != g.id)));
}

#[tokio::test]
async fn departments_and_webhooks_lists_page_like_every_list() {
    // The SDK offers per_page on every list; the mock must honour it, not ignore it.
    let server = server().await;
    let client = acme(&server);
    let page = client.departments().list().per_page(2).send().await.unwrap();
    assert_eq!((page.items.len(), page.meta.total, page.meta.total_pages), (2, 3, 2));
    let streamed: Vec<_> = client.departments().list().per_page(1).stream().try_collect().await.unwrap();
    assert_eq!(streamed.len(), 3);
    for n in 0..3 {
        let url = format!("https://hooks.example.com/{n}");
        client.webhooks().create(url, [WebhookEventName::LeadCreated]).await.unwrap();
    }
    let page = client.webhooks().list().per_page(2).send().await.unwrap();
    assert_eq!((page.items.len(), page.meta.total), (2, 3));
    let all: Vec<_> = client.webhooks().list().per_page(2).stream().try_collect().await.unwrap();
    assert_eq!(all.len(), 3);
}

#[tokio::test]
async fn analytics_overview_counts_equal_the_lists_for_the_same_range() {
    let server = server().await;
    let client = acme(&server);
    let (start, end) = (NaiveDate::from_ymd_opt(2026, 8, 15).unwrap(), NaiveDate::from_ymd_opt(2026, 10, 14).unwrap());
    let overview = client.analytics().overview(start, end).await.unwrap();
    assert_eq!((overview.start_date, overview.end_date), (start, end));
    // The lists' bounds are exclusive: just before the first midnight, exactly at the last.
    let after = Utc.from_utc_datetime(&start.and_hms_opt(0, 0, 0).unwrap()) - Delta::milliseconds(1);
    let before = Utc.from_utc_datetime(&(end + Delta::days(1)).and_hms_opt(0, 0, 0).unwrap());
    let leads = all(client.leads().list().created_after(after).created_before(before)).await;
    let tickets = all(client.tickets().list().created_after(after).created_before(before)).await;
    let calls = all(client.call_requests().list().created_after(after).created_before(before)).await;
    let visitors = all(client.visitors().list().created_after(after).created_before(before)).await;
    let conversations = all(client.conversations().list().created_after(after).created_before(before)).await;
    let counts = [leads.len(), tickets.len(), calls.len(), visitors.len(), conversations.len()].map(|n| n as u64);
    assert_eq!(
        counts,
        [overview.leads, overview.tickets, overview.call_requests, overview.visitors, overview.conversations]
    );
    assert!(counts.iter().all(|n| *n > 0), "the range holds data: {counts:?}");
    let resolved = conversations.iter().filter(|c| c.status == ConversationStatus::Resolved).count() as u64;
    let handed_off = conversations.iter().filter(|c| c.handed_off_at.is_some()).count() as u64;
    assert_eq!((overview.resolved_conversations, overview.handed_off_conversations), (resolved, handed_off));
    let rate = overview.resolution_rate.expect("there are conversations");
    assert!((rate - resolved as f64 / conversations.len() as f64).abs() < 1e-9);
    let ratings: Vec<f64> = conversations.iter().filter_map(|c| c.satisfaction_rating).map(f64::from).collect();
    let mean = (!ratings.is_empty()).then(|| ratings.iter().sum::<f64>() / ratings.len() as f64);
    assert_eq!(overview.avg_satisfaction_rating.map(|m| (m * 1e6).round()), mean.map(|m| (m * 1e6).round()));
}

#[tokio::test]
async fn analytics_daily_has_every_day_and_adds_up() {
    let server = server().await;
    let client = acme(&server);
    let (start, end) = (NaiveDate::from_ymd_opt(2026, 7, 1).unwrap(), NaiveDate::from_ymd_opt(2026, 10, 31).unwrap());
    let days = client.analytics().daily(start, end).await.unwrap();
    assert_eq!(days.len(), 123);
    assert!(days.iter().enumerate().all(|(i, d)| d.date == start + Delta::days(i as i64)));
    let overview = client.analytics().overview(start, end).await.unwrap();
    assert_eq!(days.iter().map(|d| d.leads).sum::<u64>(), overview.leads);
    assert_eq!(days.iter().map(|d| d.messages).sum::<u64>(), overview.messages);
    assert_eq!(days.iter().map(|d| d.conversations).sum::<u64>(), overview.conversations);
    // The SDK refuses a reversed range itself; the mock refuses a range over 366 days.
    server.clear_requests();
    assert!(matches!(client.analytics().daily(end, start).await, Err(Error::InvalidArgument { .. })));
    assert!(server.requests().is_empty());
    let err = client.analytics().overview(start, start + Delta::days(366)).await.unwrap_err();
    let api = err.as_api().expect("an API error");
    assert_eq!((api.status, api.details[0].field.as_str()), (400, "end_date"));
}

#[tokio::test]
async fn date_windows_are_exclusive_through_the_sdk() {
    let server = server().await;
    let client = acme(&server);
    let tickets = all(client.tickets().list()).await;
    let pivot = tickets[10].created_at;
    let newer = all(client.tickets().list().created_after(pivot)).await;
    let older = all(client.tickets().list().created_before(pivot)).await;
    assert_eq!(newer.len(), tickets.iter().filter(|t| t.created_at > pivot).count());
    assert_eq!(newer.len() + older.len() + 1, tickets.len(), "the pivot is in neither");
    let messages_of = tickets.iter().find_map(|t| t.conversation_id.clone()).expect("a ticket from a conversation");
    let messages = all(client.conversations().messages(messages_of.clone())).await;
    let later = all(client.conversations().messages(messages_of).created_after(messages[0].created_at)).await;
    assert_eq!(later.len(), messages.iter().filter(|m| m.created_at > messages[0].created_at).count());
}

#[tokio::test]
async fn every_list_streams_each_row_once_across_pages() {
    let server = server().await;
    let client = acme(&server);
    let ids = |v: Vec<String>| (v.len(), v.into_iter().collect::<BTreeSet<_>>().len());
    let conv =
        all(client.conversations().list().per_page(7)).await.into_iter().map(|x| x.id.as_str().to_owned()).collect();
    let tick = all(client.tickets().list().per_page(7)).await.into_iter().map(|x| x.id.as_str().to_owned()).collect();
    let call =
        all(client.call_requests().list().per_page(7)).await.into_iter().map(|x| x.id.as_str().to_owned()).collect();
    let visi = all(client.visitors().list().per_page(7)).await.into_iter().map(|x| x.id.as_str().to_owned()).collect();
    assert_eq!([ids(conv), ids(tick), ids(call), ids(visi)], [(30, 30), (40, 40), (20, 20), (40, 40)]);
    let past = client.tickets().list().per_page(100).page(5).send().await.unwrap();
    assert!(past.items.is_empty() && past.meta.total == 40);
    assert!(matches!(client.tickets().list().per_page(0).send().await, Err(Error::InvalidArgument { .. })));
}

#[tokio::test]
async fn globex_never_sees_an_acme_id_on_any_endpoint() {
    let server = server().await;
    let (a, g) = (acme(&server), globex(&server));
    let conversation = a.conversations().list().send().await.unwrap().items.remove(0).id;
    let ticket = a.tickets().list().send().await.unwrap().items.remove(0).id;
    let call = a.call_requests().list().send().await.unwrap().items.remove(0).id;
    let visitor = a.visitors().list().send().await.unwrap().items.remove(0).id;
    let department = a.departments().list().send().await.unwrap().items.remove(0).id;
    let lead = a.leads().list().send().await.unwrap().items.remove(0).id;
    let statuses = [
        g.conversations().get(conversation.clone()).await.err().and_then(|e| e.status()),
        g.conversations().messages(conversation.clone()).send().await.err().and_then(|e| e.status()),
        g.tickets().get(ticket.clone()).await.err().and_then(|e| e.status()),
        g.tickets().events(ticket.clone()).send().await.err().and_then(|e| e.status()),
        g.call_requests().get(call.clone()).await.err().and_then(|e| e.status()),
        g.call_requests().update(call.clone()).notes("x").send().await.err().and_then(|e| e.status()),
        g.visitors().get(visitor.clone()).await.err().and_then(|e| e.status()),
        g.visitors().sessions(visitor.clone()).send().await.err().and_then(|e| e.status()),
        g.visitors().profile(visitor.clone()).await.err().and_then(|e| e.status()),
        g.departments().get(department.clone()).await.err().and_then(|e| e.status()),
        g.leads().get(lead.clone()).await.err().and_then(|e| e.status()),
    ];
    assert_eq!(statuses, [Some(404); 11]);
    assert!(
        a.call_requests().get(call.clone()).await.unwrap().notes.as_deref() != Some("x"),
        "the foreign PATCH changed nothing"
    );
    let globex_ids: BTreeSet<String> = [
        all(g.conversations().list()).await.into_iter().map(|x| x.id.as_str().to_owned()).collect::<Vec<_>>(),
        all(g.tickets().list()).await.into_iter().map(|x| x.id.as_str().to_owned()).collect(),
        all(g.call_requests().list()).await.into_iter().map(|x| x.id.as_str().to_owned()).collect(),
        all(g.visitors().list()).await.into_iter().map(|x| x.id.as_str().to_owned()).collect(),
        all(g.departments().list()).await.into_iter().map(|x| x.id.as_str().to_owned()).collect(),
        all(g.leads().list()).await.into_iter().map(|x| x.id.as_str().to_owned()).collect(),
    ]
    .concat()
    .into_iter()
    .collect();
    assert_eq!(globex_ids.len(), 12 + 16 + 8 + 15 + 2 + 45);
    for id in
        [conversation.as_str(), ticket.as_str(), call.as_str(), visitor.as_str(), department.as_str(), lead.as_str()]
    {
        assert!(!globex_ids.contains(id), "{id} leaked into a Globex list");
    }
    let year = (NaiveDate::from_ymd_opt(2026, 1, 1).unwrap(), NaiveDate::from_ymd_opt(2026, 12, 31).unwrap());
    let overview = g.analytics().overview(year.0, year.1).await.unwrap();
    assert_eq!((overview.leads, overview.tickets, overview.conversations), (45, 16, 12), "Globex's own numbers");
}
