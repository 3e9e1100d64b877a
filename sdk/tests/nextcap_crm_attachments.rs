//! Next Cap CRM attachment downloads against a stand-in API and a separate file host (another
//! origin): the stable download operation's redirect is read, not followed; the download
//! fetches the target without the key; a relative `Location` resolves against the API; a
//! keyed call that is redirected elsewhere never reaches the other host.
#![cfg(feature = "nextcap")]

mod common;

use common::*;
use deskapi::Error;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const ID: &str = "7a3f0c1e-8d2b-4c5a-9e6f-0123456789ab";

fn redirect_to(url: &str) -> ResponseTemplate {
    ResponseTemplate::new(302).insert_header("Location", url)
}

async fn mount_download(api: &MockServer, location: &str) {
    Mock::given(method("GET"))
        .and(path(format!("/external/crm/attachments/{ID}/download")))
        .respond_with(redirect_to(location))
        .mount(api)
        .await;
}

#[tokio::test]
async fn download_url_returns_the_redirect_target_without_following_it() {
    let (api, files) = (MockServer::start().await, MockServer::start().await);
    let target = format!("{}/blob/{ID}?expires=1&signature=abc", files.uri());
    mount_download(&api, &target).await;
    let url = crm(&api).attachments().download_url(ID).await.expect("download url");
    assert_eq!(url, target);
    assert!(files.received_requests().await.unwrap().is_empty(), "the redirect was not followed");
    let sent = api.received_requests().await.unwrap();
    assert_eq!(sent.len(), 1);
    assert_eq!(sent[0].headers.get("x-api-key").unwrap(), CRM_KEY, "the API itself gets the key");
}

#[tokio::test]
async fn download_fetches_the_target_without_the_key_and_streams_its_bytes() {
    let (api, files) = (MockServer::start().await, MockServer::start().await);
    mount_download(&api, &format!("{}/blob/{ID}?signature=abc", files.uri())).await;
    Mock::given(method("GET"))
        .and(path(format!("/blob/{ID}")))
        .respond_with(ResponseTemplate::new(200).set_body_bytes(b"file bytes".to_vec()))
        .mount(&files)
        .await;
    let mut out = Vec::new();
    let n = crm(&api).attachments().download(ID, &mut out).await.expect("download");
    assert_eq!((n, out.as_slice()), (10, &b"file bytes"[..]));
    let fetched = files.received_requests().await.unwrap();
    assert_eq!(fetched.len(), 1);
    assert!(fetched[0].headers.get("x-api-key").is_none(), "the key never reaches the file host");
    assert!(fetched[0].headers.get("authorization").is_none());
}

#[tokio::test]
async fn a_file_host_redirect_is_followed_keyless_and_a_relative_location_resolves_against_the_api() {
    let (api, files) = (MockServer::start().await, MockServer::start().await);
    mount_download(&api, "/files/blob?signature=abc").await;
    let url = crm(&api).attachments().download_url(ID).await.expect("relative location");
    assert_eq!(url, format!("{}/files/blob?signature=abc", api.uri()));

    // The file host moves the blob once more (as object stores do across regions).
    let (api, moved) = (MockServer::start().await, MockServer::start().await);
    mount_download(&api, &format!("{}/old", files.uri())).await;
    Mock::given(path("/old")).respond_with(redirect_to(&format!("{}/new", moved.uri()))).mount(&files).await;
    Mock::given(path("/new"))
        .respond_with(ResponseTemplate::new(200).set_body_bytes(b"moved".to_vec()))
        .mount(&moved)
        .await;
    let mut out = Vec::new();
    crm(&api).attachments().download(ID, &mut out).await.expect("download");
    assert_eq!(out, b"moved");
    for host in [&files, &moved] {
        let got = host.received_requests().await.unwrap();
        assert_eq!(got.len(), 1);
        assert!(got[0].headers.get("x-api-key").is_none());
    }
}

#[tokio::test]
async fn a_keyed_call_redirected_to_another_host_never_reaches_it() {
    let (api, other) = (MockServer::start().await, MockServer::start().await);
    Mock::given(method("GET"))
        .and(path(format!("/external/crm/attachments/{ID}")))
        .respond_with(redirect_to(&format!("{}/steal", other.uri())))
        .mount(&api)
        .await;
    let err = crm(&api).attachments().get(ID).await.unwrap_err();
    assert!(matches!(err, Error::Decode(ref d) if d.status == 302), "{err}");
    assert!(other.received_requests().await.unwrap().is_empty(), "the key stayed with the API");
}

#[tokio::test]
async fn a_download_answer_that_is_not_a_redirect_is_a_decode_error() {
    let api = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(format!("/external/crm/attachments/{ID}/download")))
        .respond_with(ResponseTemplate::new(200).set_body_string("{}"))
        .mount(&api)
        .await;
    let err = crm(&api).attachments().download_url(ID).await.unwrap_err();
    assert!(matches!(err, Error::Decode(ref d) if d.status == 200 && d.path == "Location"), "{err}");
    let err = crm(&api).attachments().download_url(" ").await.unwrap_err();
    assert!(matches!(err, Error::InvalidArgument { .. }), "{err}");
}
