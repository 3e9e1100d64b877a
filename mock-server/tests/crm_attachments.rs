//! CRM attachments on the mock: direct multipart upload (415 / 400 / 413 refusals, the cut-off
//! of an endless body), presign + signed PUT + complete (content type, tampering, expiry, size
//! checks, nothing stored on refusal), signed downloads without a key, the 302 download link,
//! delete, the 24-hour staging, linking through a ticket reply, organisation scoping, and the
//! control clock that makes every expiry instant.

mod common;

use std::time::Duration;

use axum::{
    body::{Body, to_bytes},
    http::{HeaderMap, Request, StatusCode},
};
use common::{Mock, assert_nextcap_error, crm::CRM, crm::Fixture, detail_fields};
use deskapi_mock::{Config, RateLimitSetting};
use futures::StreamExt as _;
use serde_json::{Value, json};
use tower::ServiceExt;

const BOUNDARY: &str = "XbOuNdArYx";

/// A raw response: status, headers, body bytes.
struct Raw {
    status: StatusCode,
    headers: HeaderMap,
    body: Vec<u8>,
}

impl Raw {
    fn json(&self) -> Value {
        serde_json::from_slice(&self.body).unwrap_or(Value::Null)
    }
}

async fn raw(mock: &Mock, method: &str, uri: &str, headers: &[(&str, &str)], body: Body) -> Raw {
    let mut builder = Request::builder().method(method).uri(uri);
    for (k, v) in headers {
        builder = builder.header(*k, *v);
    }
    let response = mock.router.clone().oneshot(builder.body(body).expect("request")).await.expect("infallible");
    let (status, headers) = (response.status(), response.headers().clone());
    let body = to_bytes(response.into_body(), usize::MAX).await.expect("body").to_vec();
    Raw { status, headers, body }
}

fn multipart(field: &str, filename: &str, content_type: &str, bytes: &[u8]) -> Vec<u8> {
    let mut body = format!(
        "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"note\"\r\n\r\nhello\r\n--{BOUNDARY}\r\n\
         Content-Disposition: form-data; name=\"{field}\"; filename=\"{filename}\"\r\nContent-Type: {content_type}\r\n\r\n"
    )
    .into_bytes();
    body.extend_from_slice(bytes);
    body.extend_from_slice(format!("\r\n--{BOUNDARY}--\r\n").as_bytes());
    body
}

const MULTIPART: &str = "multipart/form-data; boundary=XbOuNdArYx";

async fn upload(mock: &Mock, key: &str, filename: &str, content_type: &str, bytes: &[u8]) -> Raw {
    let body = multipart("file", filename, content_type, bytes);
    raw(mock, "POST", &format!("{CRM}/attachments"), &[("x-api-key", key), ("content-type", MULTIPART)], body.into())
        .await
}

/// Uploads and returns the new attachment's id.
async fn staged(mock: &Mock, key: &str, bytes: &[u8]) -> String {
    let resp = upload(mock, key, "notes.txt", "text/plain", bytes).await;
    assert_eq!(resp.status, StatusCode::CREATED, "{}", resp.json());
    resp.json()["data"]["id"].as_str().expect("id").to_owned()
}

/// The path and query of an absolute URL the mock handed out (the tests reach it in-process).
fn local(url: &str) -> String {
    let url = url::Url::parse(url).expect("absolute URL");
    format!("{}?{}", url.path(), url.query().unwrap_or(""))
}

async fn fetch(mock: &Mock, url: &str) -> Raw {
    raw(mock, "GET", &local(url), &[], Body::empty()).await
}

fn small_limit(bytes: u64) -> Mock {
    Mock::with(Config { rate_limit: RateLimitSetting::Off, attachment_max_bytes: bytes, ..Config::default() })
}

#[tokio::test]
async fn a_direct_upload_is_staged_and_its_download_url_serves_the_exact_bytes_without_a_key() {
    let mock = Mock::new();
    let key = &Fixture::of(&mock).keys.nextcap_crm_admin;
    let bytes: Vec<u8> = (0..=255u8).cycle().take(70_000).collect();
    let resp = upload(&mock, key, "dump.bin", "application/x-thing", &bytes).await;
    assert_eq!(resp.status, StatusCode::CREATED);
    let data = &resp.json()["data"];
    assert_eq!(
        (data["filename"].as_str(), data["content_type"].as_str()),
        (Some("dump.bin"), Some("application/x-thing"))
    );
    assert_eq!((data["size"].as_u64(), data["status"].as_str()), (Some(70_000), Some("uploaded")));
    assert!(data["ticket_id"].is_null() && data["expires_at"].is_string());
    let id = data["id"].as_str().expect("id");

    let got = mock.crm_ok(key, &format!("/attachments/{id}")).await;
    let url = got["data"]["download_url"].as_str().expect("download_url");
    assert!(url.starts_with("http://localhost/nextcap/files/"), "{url}");
    let file = fetch(&mock, url).await;
    assert_eq!(file.status, StatusCode::OK);
    assert_eq!(file.headers["content-type"], "application/x-thing");
    assert_eq!(file.body, bytes);
}

#[tokio::test]
async fn an_upload_that_is_not_multipart_lacks_a_file_part_or_is_malformed_is_refused_by_name() {
    let mock = Mock::new();
    let key = &Fixture::of(&mock).keys.nextcap_crm_admin;
    let path = format!("{CRM}/attachments");
    let json =
        raw(&mock, "POST", &path, &[("x-api-key", key), ("content-type", "application/json")], "{}".into()).await;
    assert_eq!(json.status, StatusCode::UNSUPPORTED_MEDIA_TYPE);
    assert_eq!(json.json()["error"]["code"], "VALIDATION_ERROR");
    assert!(json.json()["error"]["message"].as_str().unwrap_or("").contains("multipart/form-data"));

    let no_file = multipart("attachment", "a.txt", "text/plain", b"abc");
    let resp = raw(&mock, "POST", &path, &[("x-api-key", key), ("content-type", MULTIPART)], no_file.into()).await;
    assert_eq!(resp.status, StatusCode::BAD_REQUEST);
    assert!(resp.json()["error"]["message"].as_str().unwrap_or("").contains("no `file` part"), "{}", resp.json());

    let truncated =
        b"--XbOuNdArYx\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a\"\r\n\r\nabc".to_vec();
    let resp = raw(&mock, "POST", &path, &[("x-api-key", key), ("content-type", MULTIPART)], truncated.into()).await;
    assert_eq!(resp.status, StatusCode::BAD_REQUEST, "a malformed body is a 400, never a 500");
    assert_eq!(resp.json()["error"]["code"], "VALIDATION_ERROR");

    let no_boundary =
        raw(&mock, "POST", &path, &[("x-api-key", key), ("content-type", "multipart/form-data")], "x".into()).await;
    assert_eq!(no_boundary.status, StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn a_direct_upload_is_held_to_the_presign_rules_empty_file_long_name_and_one_file_part() {
    let mock = Mock::new();
    let key = &Fixture::of(&mock).keys.nextcap_crm_admin;
    let refused = |resp: &Raw, what: &str| {
        assert_eq!(resp.status, StatusCode::BAD_REQUEST, "{what}: {}", resp.json());
        assert_eq!(resp.json()["error"]["code"], "VALIDATION_ERROR", "{what}");
        let message = resp.json()["error"]["message"].as_str().unwrap_or("").to_owned();
        assert!(message.contains(what), "{message:?} names {what:?}");
    };
    refused(&upload(&mock, key, "empty.txt", "text/plain", b"").await, "empty");
    refused(&upload(&mock, key, &"n".repeat(256), "text/plain", b"abc").await, "255");
    let at_limit = upload(&mock, key, &"n".repeat(255), "text/plain", b"abc").await;
    assert_eq!(at_limit.status, StatusCode::CREATED, "255 characters are allowed");

    let mut two = multipart("file", "a.txt", "text/plain", b"abc");
    two.truncate(two.len() - format!("--{BOUNDARY}--\r\n").len());
    two.extend_from_slice(
        format!(
            "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"b.txt\"\r\n\r\nxyz\r\n--{BOUNDARY}--\r\n"
        )
        .as_bytes(),
    );
    let path = format!("{CRM}/attachments");
    let resp = raw(&mock, "POST", &path, &[("x-api-key", key), ("content-type", MULTIPART)], two.into()).await;
    refused(&resp, "exactly one `file` part");
}

#[tokio::test]
async fn an_endless_upload_is_cut_off_with_413_once_past_the_limit() {
    let mock = small_limit(4096);
    let key = &Fixture::of(&mock).keys.nextcap_crm_admin;
    let head = format!(
        "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"big\"\r\nContent-Type: text/plain\r\n\r\n"
    );
    // Never ends: only a server that stops reading at the limit can answer at all.
    // Each chunk arrives after a yield, as from a socket, so a server that never stops reading
    // would spin forever here.
    let endless = futures::stream::once(async move { Ok::<_, std::io::Error>(bytes::Bytes::from(head)) }).chain(
        futures::stream::unfold((), |()| async {
            tokio::task::yield_now().await;
            Some((Ok(bytes::Bytes::from_static(&[b'a'; 1024])), ()))
        }),
    );
    let resp = tokio::time::timeout(
        Duration::from_secs(10),
        raw(
            &mock,
            "POST",
            &format!("{CRM}/attachments"),
            &[("x-api-key", key), ("content-type", MULTIPART)],
            Body::from_stream(endless),
        ),
    )
    .await
    .expect("answered without reading the whole body");
    assert_eq!(resp.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(resp.json()["error"]["code"], "PAYLOAD_TOO_LARGE");
    // Exactly at the limit is fine.
    assert_eq!(upload(&mock, key, "ok.txt", "text/plain", &[b'x'; 4096]).await.status, StatusCode::CREATED);
    assert_eq!(upload(&mock, key, "no.txt", "text/plain", &[b'x'; 4097]).await.status, StatusCode::PAYLOAD_TOO_LARGE);
}

async fn presign(mock: &Mock, key: &str, body: Value) -> common::Resp {
    mock.crm("POST", key, "/attachments/presign", Some(&body.to_string())).await
}

async fn put(mock: &Mock, url: &str, content_type: &str, bytes: &'static [u8]) -> Raw {
    raw(mock, "PUT", &local(url), &[("content-type", content_type)], Body::from(bytes)).await
}

#[tokio::test]
async fn a_presigned_upload_needs_the_declared_content_type_and_an_untampered_signature() {
    let mock = Mock::new();
    let key = &Fixture::of(&mock).keys.nextcap_crm_admin;
    let resp = presign(&mock, key, json!({"filename": "r.pdf", "content_type": "application/pdf", "size": 5})).await;
    assert_eq!(resp.status, StatusCode::CREATED, "{}", resp.json);
    let data = &resp.json["data"];
    let (id, url) = (data["attachment_id"].as_str().expect("id"), data["upload_url"].as_str().expect("url"));
    assert_eq!(
        (data["method"].as_str(), data["headers"]["Content-Type"].as_str()),
        (Some("PUT"), Some("application/pdf"))
    );
    let expires = chrono::DateTime::parse_from_rfc3339(data["expires_at"].as_str().expect("expiry")).expect("date");
    let ttl = expires.signed_duration_since(mock.state.clock().now()).num_seconds();
    assert!((14 * 60..=15 * 60).contains(&ttl), "15 minutes, got {ttl}s");
    assert!(url.starts_with("http://localhost/nextcap/files/"));

    let pending = mock.crm_ok(key, &format!("/attachments/{id}")).await;
    assert_eq!(pending["data"]["status"], "pending");
    assert!(pending["data"]["download_url"].is_null());
    let dl = mock.crm("GET", key, &format!("/attachments/{id}/download"), None).await;
    assert_nextcap_error(&dl, StatusCode::NOT_FOUND, "NOT_FOUND");

    // Wrong type, tampered signature, later expiry, no signature: 403 and nothing stored.
    assert_eq!(put(&mock, url, "application/octet-stream", b"%PDF-").await.status, StatusCode::FORBIDDEN);
    let tampered = url.replace("signature=", "signature=00");
    assert_eq!(put(&mock, &tampered, "application/pdf", b"%PDF-").await.status, StatusCode::FORBIDDEN);
    let later = url.replace("expires=", "expires=9");
    assert_eq!(put(&mock, &later, "application/pdf", b"%PDF-").await.status, StatusCode::FORBIDDEN);
    let unsigned = url.split('?').next().expect("path").to_owned();
    let resp = put(&mock, &unsigned, "application/pdf", b"%PDF-").await;
    assert_eq!((resp.status, resp.json()["error"]["code"].as_str()), (StatusCode::FORBIDDEN, Some("FORBIDDEN")));
    let early = mock.crm("POST", key, &format!("/attachments/{id}/complete"), None).await;
    assert_nextcap_error(&early, StatusCode::CONFLICT, "CONFLICT");

    assert_eq!(put(&mock, url, "application/pdf", b"%PDF-").await.status, StatusCode::OK);
    let done = mock.crm("POST", key, &format!("/attachments/{id}/complete"), None).await;
    assert_eq!(done.status, StatusCode::OK, "{}", done.json);
    assert_eq!(done.json["data"]["status"], "uploaded");
    let again = mock.crm("POST", key, &format!("/attachments/{id}/complete"), None).await;
    assert_eq!(
        (again.status, &again.json["data"]["id"], &again.json["data"]["status"]),
        (StatusCode::OK, &json!(id), &json!("uploaded"))
    );
    let file = fetch(&mock, done.json["data"]["download_url"].as_str().expect("url")).await;
    assert_eq!((file.status, file.body.as_slice()), (StatusCode::OK, &b"%PDF-"[..]));
    assert_eq!(file.headers["content-type"], "application/pdf");
    // A completed upload's URL no longer takes bytes.
    assert_eq!(put(&mock, url, "application/pdf", b"other").await.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn complete_checks_the_declared_size_and_presign_checks_its_fields() {
    let mock = small_limit(1000);
    let key = &Fixture::of(&mock).keys.nextcap_crm_admin;
    let resp = presign(&mock, key, json!({"filename": "a.txt", "content_type": "text/plain", "size": 10})).await;
    let (id, url) = (
        resp.json["data"]["attachment_id"].as_str().expect("id"),
        resp.json["data"]["upload_url"].as_str().expect("url"),
    );
    assert_eq!(put(&mock, url, "text/plain", b"short").await.status, StatusCode::OK);
    let resp = mock.crm("POST", key, &format!("/attachments/{id}/complete"), None).await;
    assert_nextcap_error(&resp, StatusCode::BAD_REQUEST, "VALIDATION_ERROR");
    assert_eq!(detail_fields(&resp), ["size"]);

    for (body, field) in [
        (json!({"filename": "a", "content_type": "text/plain", "size": 0}), "size"),
        (json!({"filename": "a", "content_type": "text/plain", "size": 1001}), "size"),
        (json!({"filename": "", "content_type": "text/plain", "size": 1}), "filename"),
        (json!({"filename": "a", "content_type": "plain", "size": 1}), "content_type"),
        (json!({"filename": "a", "content_type": "text/plain"}), "size"),
    ] {
        let resp = presign(&mock, key, body.clone()).await;
        assert_nextcap_error(&resp, StatusCode::BAD_REQUEST, "VALIDATION_ERROR");
        assert_eq!(detail_fields(&resp), [field], "{body}");
    }
    assert_eq!(
        presign(&mock, key, json!({"filename": "a", "content_type": "text/plain", "size": 1000})).await.status,
        StatusCode::CREATED
    );
}

#[tokio::test]
async fn upload_urls_expire_after_15_minutes_and_download_urls_after_24_hours_by_the_mock_clock() {
    let mock = Mock::new();
    let f = Fixture::of(&mock);
    let key = &f.keys.nextcap_crm_admin;
    let resp = presign(&mock, key, json!({"filename": "a.txt", "content_type": "text/plain", "size": 3})).await;
    let url = resp.json["data"]["upload_url"].as_str().expect("url").to_owned();
    mock.state.clock().advance(Duration::from_secs(15 * 60));
    let resp = put(&mock, &url, "text/plain", b"abc").await;
    assert_eq!(resp.status, StatusCode::FORBIDDEN);
    assert!(resp.json()["error"]["message"].as_str().unwrap_or("").contains("expired"));

    // A linked file lives on; its old URL dies after 24 hours, a fresh one works.
    let id = staged(&mock, key, b"kept").await;
    let ticket = f.ticket("open", 0);
    let reply = mock
        .crm(
            "POST",
            key,
            &format!("/tickets/{ticket}/reply"),
            Some(&json!({"content": "see file", "attachment_ids": [id]}).to_string()),
        )
        .await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.json);
    let old =
        mock.crm_ok(key, &format!("/attachments/{id}")).await["data"]["download_url"].as_str().expect("url").to_owned();
    mock.state.clock().advance(Duration::from_secs(24 * 3600));
    assert_eq!(fetch(&mock, &old).await.status, StatusCode::FORBIDDEN);
    let fresh = mock.crm_ok(key, &format!("/attachments/{id}")).await;
    assert_eq!(fresh["data"]["status"], "linked");
    let file = fetch(&mock, fresh["data"]["download_url"].as_str().expect("url")).await;
    assert_eq!((file.status, file.body.as_slice()), (StatusCode::OK, &b"kept"[..]));
    let tampered = fresh["data"]["download_url"].as_str().expect("url").replace(&id, &f.acme_tickets[0].id);
    assert_eq!(fetch(&mock, &tampered).await.status, StatusCode::NOT_FOUND);
    let resigned = format!("{}0", fresh["data"]["download_url"].as_str().expect("url"));
    assert_eq!(fetch(&mock, &resigned).await.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn an_unlinked_upload_is_gone_24_hours_after_creation_and_can_no_longer_be_linked() {
    let mock = Mock::new();
    let f = Fixture::of(&mock);
    let key = &f.keys.nextcap_crm_admin;
    let id = staged(&mock, key, b"temp").await;
    mock.state.clock().advance(Duration::from_secs(24 * 3600 - 60));
    mock.crm_ok(key, &format!("/attachments/{id}")).await;
    mock.state.clock().advance(Duration::from_secs(60));
    let resp = mock.crm("GET", key, &format!("/attachments/{id}"), None).await;
    assert_nextcap_error(&resp, StatusCode::NOT_FOUND, "NOT_FOUND");
    let ticket = f.ticket("open", 0);
    let body = json!({"content": "late", "attachment_ids": [id]}).to_string();
    let resp = mock.crm("POST", key, &format!("/tickets/{ticket}/reply"), Some(&body)).await;
    assert_nextcap_error(&resp, StatusCode::BAD_REQUEST, "VALIDATION_ERROR");
    assert!(resp.json["error"]["message"].as_str().unwrap_or("").contains(&id), "names the id: {}", resp.json);
}

#[tokio::test]
async fn the_download_link_redirects_to_a_fresh_url_and_delete_refuses_linked_files() {
    let mock = Mock::new();
    let f = Fixture::of(&mock);
    let key = &f.keys.nextcap_crm_admin;
    let id = staged(&mock, key, b"redirect me").await;
    let resp = mock.crm("GET", key, &format!("/attachments/{id}/download"), None).await;
    assert_eq!(resp.status, StatusCode::FOUND);
    let file = fetch(&mock, resp.header("location")).await;
    assert_eq!(file.body, b"redirect me");

    let deleted = mock.crm("DELETE", key, &format!("/attachments/{id}"), None).await;
    assert_eq!(deleted.status, StatusCode::OK);
    assert_eq!(deleted.json["data"], json!({"id": id, "deleted": true}));
    assert_nextcap_error(
        &mock.crm("GET", key, &format!("/attachments/{id}"), None).await,
        StatusCode::NOT_FOUND,
        "NOT_FOUND",
    );
    assert_eq!(fetch(&mock, resp.header("location")).await.status, StatusCode::NOT_FOUND, "its bytes are gone");

    let linked = staged(&mock, key, b"linked").await;
    let ticket = f.ticket("open", 0);
    let body = json!({"content": "file", "attachment_ids": [linked]}).to_string();
    assert_eq!(
        mock.crm("POST", key, &format!("/tickets/{ticket}/reply"), Some(&body)).await.status,
        StatusCode::CREATED
    );
    let resp = mock.crm("DELETE", key, &format!("/attachments/{linked}"), None).await;
    assert_nextcap_error(&resp, StatusCode::CONFLICT, "CONFLICT");
}

#[tokio::test]
async fn a_reply_links_its_attachments_to_the_ticket_and_its_list_row_counts_them() {
    let mock = Mock::new();
    let f = Fixture::of(&mock);
    let key = &f.keys.nextcap_crm_admin;
    let ticket = f
        .acme_tickets
        .iter()
        .enumerate()
        .find(|(i, t)| i % 7 != 0 && t.status == "open")
        .map(|(_, t)| t.id.clone())
        .expect("ticket");
    let before = mock.crm_ok(key, &format!("/tickets/{ticket}")).await;
    let count_before = before["data"]["attachment_count"].as_u64().expect("count");
    let (a, b) = (staged(&mock, key, b"one").await, staged(&mock, key, b"two!").await);

    // Unknown and another organisation's ids: 400 naming the id, nothing linked.
    let globex = staged(&mock, &f.keys.nextcap_crm_globex_admin, b"theirs").await;
    let unknown = "00000000-0000-4000-8000-000000000001";
    for bad in [unknown, globex.as_str()] {
        let body = json!({"content": "x", "attachment_ids": [a, bad]}).to_string();
        let resp = mock.crm("POST", key, &format!("/tickets/{ticket}/reply"), Some(&body)).await;
        assert_nextcap_error(&resp, StatusCode::BAD_REQUEST, "VALIDATION_ERROR");
        assert_eq!(detail_fields(&resp), ["attachment_ids"]);
        assert!(resp.json["error"]["message"].as_str().unwrap_or("").contains(bad));
    }
    assert_eq!(mock.crm_ok(key, &format!("/attachments/{a}")).await["data"]["status"], "uploaded");

    let body = json!({"content": "two files", "attachment_ids": [a, b]}).to_string();
    let reply = mock.crm("POST", key, &format!("/tickets/{ticket}/reply"), Some(&body)).await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.json);
    assert_eq!(reply.json["data"]["attachments"].as_array().map(Vec::len), Some(2));
    let detail = mock.crm_ok(key, &format!("/tickets/{ticket}")).await;
    assert_eq!(detail["data"]["attachment_count"].as_u64(), Some(count_before + 2));
    assert_eq!(detail["data"]["has_attachments"], true);
    let entry =
        detail["data"]["attachments"].as_array().and_then(|v| v.iter().find(|e| e["id"] == json!(b))).expect("listed");
    assert_eq!(entry["size"], 4);
    assert_eq!(fetch(&mock, entry["download_url"].as_str().expect("fresh url")).await.body, b"two!");
    let listed = mock.crm_ok(key, "/tickets?per_page=100").await;
    let mut rows = listed["data"].as_array().cloned().unwrap_or_default();
    for page in 2..=listed["meta"]["total_pages"].as_u64().unwrap_or(1) {
        rows.extend(
            mock.crm_ok(key, &format!("/tickets?per_page=100&page={page}")).await["data"]
                .as_array()
                .cloned()
                .unwrap_or_default(),
        );
    }
    let row = rows.iter().find(|r| r["id"] == json!(ticket)).expect("row");
    assert_eq!(
        (row["has_attachments"].as_bool(), row["attachment_count"].as_u64()),
        (Some(true), Some(count_before + 2))
    );
    let linked = mock.crm_ok(key, &format!("/attachments/{a}")).await;
    assert_eq!(
        (linked["data"]["status"].as_str(), linked["data"]["ticket_id"].as_str()),
        (Some("linked"), Some(ticket.as_str()))
    );
    assert!(linked["data"]["expires_at"].is_null());
    // Already linked: 400.
    let body = json!({"content": "again", "attachment_ids": [a]}).to_string();
    assert_nextcap_error(
        &mock.crm("POST", key, &format!("/tickets/{ticket}/reply"), Some(&body)).await,
        StatusCode::BAD_REQUEST,
        "VALIDATION_ERROR",
    );
}

#[tokio::test]
async fn attachments_belong_to_the_organisation_and_need_a_crm_key_with_the_permission() {
    let mock = Mock::new();
    let f = Fixture::of(&mock);
    let id = staged(&mock, &f.keys.nextcap_crm_admin, b"acme").await;
    // Any seat of the organisation with tickets:view reads it; another organisation's does not.
    mock.crm_ok(&f.keys.nextcap_crm_ticketing, &format!("/attachments/{id}")).await;
    for (method, path) in [
        ("GET", format!("/attachments/{id}")),
        ("DELETE", format!("/attachments/{id}")),
        ("GET", format!("/attachments/{id}/download")),
        ("POST", format!("/attachments/{id}/complete")),
    ] {
        let resp = mock.crm(method, &f.keys.nextcap_crm_globex_admin, &path, None).await;
        assert_nextcap_error(&resp, StatusCode::NOT_FOUND, "NOT_FOUND");
    }
    let resp = mock.send("GET", &format!("{CRM}/attachments/{id}"), &[], None).await;
    assert_nextcap_error(&resp, StatusCode::UNAUTHORIZED, "UNAUTHORIZED");
    let resp = mock.crm("GET", &f.keys.nextcap_data, &format!("/attachments/{id}"), None).await;
    assert_nextcap_error(&resp, StatusCode::UNAUTHORIZED, "UNAUTHORIZED");
    // The live-chat seat has neither tickets:reply nor tickets:view.
    let resp = upload(&mock, &f.keys.nextcap_crm_live_chat, "a.txt", "text/plain", b"x").await;
    assert_eq!((resp.status, resp.json()["error"]["code"].as_str()), (StatusCode::FORBIDDEN, Some("FORBIDDEN")));
    assert_nextcap_error(
        &mock.crm("GET", &f.keys.nextcap_crm_live_chat, &format!("/attachments/{id}"), None).await,
        StatusCode::FORBIDDEN,
        "FORBIDDEN",
    );
}

#[tokio::test]
async fn the_control_clock_reads_advances_and_resets() {
    let mock = Mock::new();
    let read = mock.send("GET", "/__mock/clock", &[], None).await;
    assert_eq!(read.status, StatusCode::OK);
    let before = chrono::DateTime::parse_from_rfc3339(read.json["now"].as_str().expect("now")).expect("rfc3339");
    let moved = mock.send("POST", "/__mock/clock/advance", &[], Some(r#"{"seconds": 86400}"#)).await;
    assert_eq!(moved.status, StatusCode::OK);
    let after = chrono::DateTime::parse_from_rfc3339(moved.json["now"].as_str().expect("now")).expect("rfc3339");
    assert!(after.signed_duration_since(before).num_hours() >= 24);
    assert_eq!(moved.json["offset_seconds"], 86400.0);
    for bad in [r#"{"seconds": -1}"#, r#"{"secs": 1}"#, "nope"] {
        assert_eq!(
            mock.send("POST", "/__mock/clock/advance", &[], Some(bad)).await.status,
            StatusCode::BAD_REQUEST,
            "{bad}"
        );
    }
    // curl's `-d` sends a form Content-Type; the control API reads the JSON anyway, as its
    // actions do.
    let form = [("content-type", "application/x-www-form-urlencoded")];
    let moved = raw(&mock, "POST", "/__mock/clock/advance", &form, r#"{"seconds": 60}"#.into()).await;
    assert_eq!(moved.status, StatusCode::OK, "{}", moved.json());
    assert_eq!(moved.json()["offset_seconds"], 86460.0);
    mock.send("POST", "/__mock/reset", &[], None).await;
    assert_eq!(mock.send("GET", "/__mock/clock", &[], None).await.json["offset_seconds"], 0.0);
}
