//! One router for every API: what a path no route matches gets (the 404 of the API whose
//! mount point contains it, journaled like any request of that API, or the plain 404 outside
//! every API), and the list-page cache: a cached page never outlives a change to the store
//! and never crosses tenants.

mod common;

use axum::http::StatusCode;
use common::Mock;
use deskapi_mock::Config;

fn last_journal_entry(mock: &Mock) -> Option<(String, Option<String>, u16)> {
    mock.state.requests().pop().map(|e| (e.path, e.operation_id, e.status))
}

#[tokio::test]
async fn unmatched_paths_get_the_404_of_the_api_whose_mount_point_holds_them() {
    let mock = Mock::with(Config::default());
    let data_key = mock.state.demo_keys().nextcap_data.clone();

    // Under /nextcap, including the presigned files' prefix: Next Cap's Data API envelope.
    for path in ["/nextcap/api/v1/external/nope", "/nextcap/files", "/nextcap/files/a/b"] {
        let r = mock.get(path, &[("x-api-key", &data_key)]).await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "{path}");
        assert_eq!(
            (r.json["success"].as_bool(), r.json["error"]["code"].as_str()),
            (Some(false), Some("NOT_FOUND")),
            "{path}"
        );
        assert_eq!(last_journal_entry(&mock), Some((path.to_owned(), None, 404)), "{path} is journaled");
    }

    // Under the CRM's longer mount point: the CRM table, so a Data key is refused there.
    let r = mock.get("/nextcap/api/v1/external/crm/nope", &[("x-api-key", &data_key)]).await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);

    // Each other API in its own envelope: NexaDesk and Desk Hive without a key refuse first.
    assert_eq!(mock.get("/nexadesk/api/v1/external/nope", &[]).await.status, StatusCode::UNAUTHORIZED);
    assert_eq!(mock.get("/deskhive/api/v1/external/nope", &[]).await.status, StatusCode::BAD_REQUEST);

    // A look-alike prefix is outside every API: the control API's plain 404, not journaled.
    let before = mock.state.requests().len();
    let r = mock.get("/nextcapx/api/v1/external/leads", &[("x-api-key", &data_key)]).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert!(r.json["error"].as_str().is_some_and(|e| e.contains("/nextcapx/api/v1/external/leads")), "{}", r.json);
    assert_eq!(mock.state.requests().len(), before);
}

#[tokio::test]
async fn a_wrong_method_on_a_known_path_is_the_apis_405() {
    let mock = Mock::with(Config::default());
    let key = mock.state.demo_keys().nextcap_data.clone();
    let r = mock.send("DELETE", "/nextcap/api/v1/external/leads", &[("x-api-key", &key)], None).await;
    assert_eq!(r.status, StatusCode::METHOD_NOT_ALLOWED);
    assert_eq!(r.json["success"], false);
    assert_eq!(last_journal_entry(&mock), Some(("/nextcap/api/v1/external/leads".to_owned(), None, 405)));
}

#[tokio::test]
async fn socket_io_is_served_at_its_path() {
    use tower::ServiceExt;
    let mock = Mock::with(Config::default());
    let request = axum::http::Request::get("/socket.io/?EIO=4&transport=polling").body(axum::body::Body::empty());
    let response = mock.router.clone().oneshot(request.expect("request")).await.expect("infallible");
    assert_eq!(response.status(), StatusCode::OK);
    let body = axum::body::to_bytes(response.into_body(), 1 << 20).await.expect("body");
    // Engine.IO's open packet: `0` and the handshake's JSON.
    assert!(body.starts_with(b"0{\"sid\""), "{}", String::from_utf8_lossy(&body));
}

#[tokio::test]
async fn a_cached_page_is_dropped_by_any_write_and_by_reset() {
    let mock = Mock::with(Config::default());
    let page = "/external/leads?per_page=5";
    let first = mock.nextcap(page).await;
    let again = mock.nextcap(page).await;
    assert_eq!(first.json, again.json, "the same store, the same page");

    // A control action changes the store: the newest lead leads the next page.
    let lead = mock.action("capture-lead", r#"{"org": "acme", "email": "cache@example.com"}"#).await;
    let after = mock.nextcap(page).await;
    assert_eq!(after.json["data"][0]["id"], lead.json["id"], "{}", after.json);
    assert_eq!(after.json["meta"]["total"].as_u64(), first.json["meta"]["total"].as_u64().map(|t| t + 1));

    // Back to the fixtures: the page as it first was.
    mock.state.reset();
    assert_eq!(mock.nextcap(page).await.json, first.json);
}

#[tokio::test]
async fn the_same_query_from_two_organisations_gets_each_its_own_page() {
    let mock = Mock::with(Config::default());
    let globex = mock.state.demo_keys().nextcap_data_globex.clone();
    let page = "/nextcap/api/v1/external/leads?per_page=5";
    let acme = mock.nextcap("/external/leads?per_page=5").await;
    let theirs = mock.get(page, &[("x-api-key", &globex)]).await;
    assert_eq!(theirs.status, StatusCode::OK);
    let ids = |r: &common::Resp| {
        r.json["data"].as_array().map(|rows| rows.iter().map(|l| l["id"].clone()).collect::<Vec<_>>())
    };
    let (acme_ids, globex_ids) = (ids(&acme), ids(&theirs));
    assert!(acme_ids.as_ref().is_some_and(|a| !a.is_empty()));
    assert!(
        acme_ids.as_ref().zip(globex_ids.as_ref()).is_some_and(|(a, g)| a.iter().all(|id| !g.contains(id))),
        "no lead of Acme's in Globex's page"
    );
}
