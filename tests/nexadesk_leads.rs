//! End to end: the SDK's NexaDesk leads endpoint against the mock.

mod support;

use deskapi::nexadesk::{Lead, LeadSortField, PipelineStage, SortDirection};
use futures::TryStreamExt;
use support::*;

#[tokio::test]
async fn cursor_stream_returns_every_lead_once() {
    let server = server().await;
    let client = nexadesk(&server, &server.keys().nexadesk_read_write);
    let first = client.leads().list().limit(10).send().await.unwrap();
    assert!(first.meta.has_more);
    assert!(first.meta.next_cursor.is_some());
    let total = first.meta.total_count.expect("total_count is sent");
    assert!(total >= 40);
    let all: Vec<Lead> = client.leads().list().limit(10).stream().try_collect().await.unwrap();
    assert_eq!(all.len() as u64, total);
    let mut ids: Vec<_> = all.iter().map(|l| l.id.clone()).collect();
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), all.len());
    // Default order: created_at descending.
    assert!(all.windows(2).all(|w| w[0].created_at >= w[1].created_at));
}

#[tokio::test]
async fn stage_search_and_sort_are_applied() {
    let server = server().await;
    let client = nexadesk(&server, &server.keys().nexadesk_read_only);
    let all: Vec<Lead> = client.leads().list().limit(100).stream().try_collect().await.unwrap();
    for stage in PipelineStage::KNOWN {
        let got: Vec<Lead> = client.leads().list().stage(stage.clone()).stream().try_collect().await.unwrap();
        assert_eq!(got.len(), all.iter().filter(|l| &l.pipeline_stage == stage).count(), "stage {stage}");
        assert!(!got.is_empty(), "fixtures cover stage {stage}");
    }
    let company = all.iter().find_map(|l| l.visitor_company.clone()).unwrap();
    let needle: String = company.chars().take(4).collect::<String>().to_lowercase();
    let found: Vec<Lead> = client.leads().list().search(needle.clone()).stream().try_collect().await.unwrap();
    let matches = |l: &Lead| {
        [Some(&l.visitor_name), l.visitor_email.as_ref(), l.visitor_company.as_ref()]
            .into_iter()
            .flatten()
            .any(|f| f.to_lowercase().contains(&needle))
    };
    assert_eq!(found.len(), all.iter().filter(|l| matches(l)).count());
    assert!(found.iter().all(matches));

    let by_score: Vec<Lead> = client
        .leads()
        .list()
        .sort(LeadSortField::LeadScore, SortDirection::Desc)
        .limit(15)
        .stream()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(by_score.len(), all.len());
    assert!(by_score.windows(2).all(|w| w[0].lead_score >= w[1].lead_score));
    let by_name: Vec<Lead> = client
        .leads()
        .list()
        .sort(LeadSortField::VisitorName, SortDirection::Asc)
        .stream()
        .try_collect()
        .await
        .unwrap();
    assert!(by_name.windows(2).all(|w| w[0].visitor_name.to_lowercase() <= w[1].visitor_name.to_lowercase()));
}

#[tokio::test]
async fn the_page_fallback_starts_mid_list_and_continues_by_cursor() {
    let server = server().await;
    let client = nexadesk(&server, &server.keys().nexadesk_read_write);
    let all: Vec<Lead> = client.leads().list().limit(10).stream().try_collect().await.unwrap();
    let from_page_3: Vec<Lead> = client.leads().list().limit(10).page(3).stream().try_collect().await.unwrap();
    assert_eq!(from_page_3.as_slice(), &all[20..]);
}

#[tokio::test]
async fn workspaces_are_isolated_and_unknown_keys_refused() {
    let server = server().await;
    let keys = server.keys().clone();
    let acme: Vec<Lead> =
        nexadesk(&server, &keys.nexadesk_read_write).leads().list().stream().try_collect().await.unwrap();
    let globex: Vec<Lead> =
        nexadesk(&server, &keys.nexadesk_globex).leads().list().stream().try_collect().await.unwrap();
    assert!(acme.iter().all(|a| globex.iter().all(|g| g.id != a.id)));

    let err = nexadesk(&server, "fc_live_unknownunknownunknownunknown").leads().list().send().await.unwrap_err();
    let api = err.as_api().unwrap();
    assert_eq!(api.status, 401);
    assert!(!api.message.is_empty());
    assert!(api.code.is_none(), "NexaDesk errors carry no code");
}
