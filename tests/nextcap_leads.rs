//! End to end: the SDK's Next Cap leads endpoints against the mock over a real socket.

mod support;

use chrono::{Duration as Days, Utc};
use deskapi::nextcap::{Lead, LeadSource};
use futures::TryStreamExt;
use support::*;

async fn all_leads(client: &deskapi::NextCapDataClient) -> Vec<Lead> {
    client.leads().list().per_page(100).stream().try_collect().await.unwrap()
}

#[tokio::test]
async fn stream_returns_every_lead_once_across_pages_matching_the_total() {
    let server = server().await;
    let client = nextcap(&server, &server.keys().nextcap_data);
    let first = client.leads().list().per_page(7).send().await.unwrap();
    assert!(first.meta.total >= 40, "fixtures have at least 40 leads per organisation");
    assert_eq!(first.meta.total_pages as u64, first.meta.total.div_ceil(7));
    let streamed: Vec<Lead> = client.leads().list().per_page(7).stream().try_collect().await.unwrap();
    assert_eq!(streamed.len() as u64, first.meta.total);
    let mut ids: Vec<_> = streamed.iter().map(|l| l.id.clone()).collect();
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), streamed.len(), "no lead twice");
    // Newest first, as the mock documents.
    assert!(streamed.windows(2).all(|w| w[0].created_at >= w[1].created_at));
    let list_ops = server.requests().iter().filter(|e| e.operation_id.as_deref() == Some("listLeads")).count();
    assert_eq!(list_ops as u32, first.meta.total_pages + 1);
}

#[tokio::test]
async fn filters_select_what_they_say() {
    let server = server().await;
    let client = nextcap(&server, &server.keys().nextcap_data);
    let all = all_leads(&client).await;

    for source in LeadSource::KNOWN {
        let got: Vec<Lead> = client.leads().list().source(source.clone()).stream().try_collect().await.unwrap();
        let expected = all.iter().filter(|l| &l.source == source).count();
        assert_eq!(got.len(), expected, "source {source}");
        assert!(got.iter().all(|l| &l.source == source));
    }
    assert!(LeadSource::KNOWN.iter().filter(|s| all.iter().any(|l| &l.source == *s)).count() >= 3);

    let agent = all.iter().find_map(|l| l.agent_id.clone()).expect("leads have widgets");
    let by_agent: Vec<Lead> = client.leads().list().agent_id(agent.clone()).stream().try_collect().await.unwrap();
    assert!(!by_agent.is_empty() && by_agent.len() < all.len());
    assert!(by_agent.iter().all(|l| l.agent_id.as_ref() == Some(&agent)));

    // Partial, case-insensitive email match: take a domain that several leads share.
    let domain = all.iter().filter_map(|l| l.email.as_deref()).filter_map(|e| e.split('@').nth(1)).next().unwrap();
    let needle = domain.to_uppercase();
    let by_email: Vec<Lead> = client.leads().list().email(needle.clone()).stream().try_collect().await.unwrap();
    let expected = all.iter().filter(|l| l.email.as_deref().is_some_and(|e| e.to_lowercase().contains(domain))).count();
    assert_eq!(by_email.len(), expected);
    assert!(!by_email.is_empty());

    // Date window: exclusive bounds around a middle lead's creation time.
    let mut times: Vec<_> = all.iter().map(|l| l.created_at).collect();
    times.sort();
    let (after, before) = (times[times.len() / 4], times[3 * times.len() / 4]);
    let window: Vec<Lead> =
        client.leads().list().created_after(after).created_before(before).stream().try_collect().await.unwrap();
    let expected = all.iter().filter(|l| l.created_at > after && l.created_at < before).count();
    assert_eq!(window.len(), expected);
    assert!(window.iter().all(|l| l.created_at > after && l.created_at < before));

    // A day-granular bound is accepted too.
    let since = (Utc::now() - Days::days(3650)).date_naive();
    let recent: Vec<Lead> = client.leads().list().created_after(since).stream().try_collect().await.unwrap();
    assert_eq!(recent.len(), all.len());
}

#[tokio::test]
async fn get_returns_the_lead_and_unknown_or_foreign_ids_are_not_found() {
    let server = server().await;
    let keys = server.keys().clone();
    let acme = nextcap(&server, &keys.nextcap_data);
    let globex = nextcap(&server, &keys.nextcap_data_globex);
    let lead = acme.leads().list().per_page(1).send().await.unwrap().items.remove(0);
    assert_eq!(acme.leads().get(lead.id.clone()).await.unwrap(), lead);

    let err = acme.leads().get("00000000-0000-4000-8000-000000000000").await.unwrap_err();
    let api = err.as_api().expect("an API error");
    assert_eq!((api.status, api.code.as_deref()), (404, Some("NOT_FOUND")));

    // Another organisation's lead is as unknown as a made-up one: no existence leak.
    let err = globex.leads().get(lead.id.clone()).await.unwrap_err();
    assert_eq!(err.status(), Some(404));
}

#[tokio::test]
async fn organisations_never_see_each_others_leads() {
    let server = server().await;
    let keys = server.keys().clone();
    let acme = all_leads(&nextcap(&server, &keys.nextcap_data)).await;
    let globex = all_leads(&nextcap(&server, &keys.nextcap_data_globex)).await;
    assert!(!acme.is_empty() && !globex.is_empty());
    assert!(acme.iter().all(|a| globex.iter().all(|g| g.id != a.id)));
}

#[tokio::test]
async fn bad_keys_are_refused_in_the_api_envelope() {
    let server = server().await;
    let unknown = nextcap(&server, "sk_live_00000000000000000000000000000000");
    let err = unknown.leads().list().send().await.unwrap_err();
    let api = err.as_api().unwrap();
    assert_eq!((api.status, api.code.as_deref()), (401, Some("UNAUTHORIZED")));

    // A CRM key is not a data key: the SDK refuses it before sending anything.
    let crm_key = server.keys().nextcap_crm_admin.clone();
    assert!(deskapi::NextCapDataClient::builder(crm_key.as_str()).base_url(server.nextcap_url()).build().is_err());
}

#[tokio::test]
async fn a_page_past_the_end_is_empty_and_stream_stops() {
    let server = server().await;
    let client = nextcap(&server, &server.keys().nextcap_data);
    let page = client.leads().list().per_page(100).page(99).send().await.unwrap();
    assert!(page.items.is_empty());
    assert_eq!(page.meta.page, 99);
}
