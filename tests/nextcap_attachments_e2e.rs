//! End to end: the SDK's attachment calls against the mock's CRM attachment endpoints: direct
//! and presigned uploads (bytes, a file on disk, a stream) with progress, metadata, streamed
//! downloads, linking through a reply, delete, the size limit checked before sending, and
//! expiry made instant with the mock's clock.

mod support;

use std::{
    sync::{Arc, Mutex},
    time::Duration,
};

use deskapi::nextcap::crm::UploadStatus;
use deskapi::{Error, NextCapCrmClient};
use deskapi_mock::MockServer;
use support::*;

fn crm(server: &MockServer, key: &str) -> NextCapCrmClient {
    NextCapCrmClient::builder(key).base_url(server.nextcap_url()).retry_policy(policy()).build().unwrap()
}

fn status(e: &Error) -> Option<u16> {
    e.status()
}

fn payload(len: usize) -> Vec<u8> {
    (0..len).map(|i| (i * 31 % 251) as u8).collect()
}

#[tokio::test]
async fn direct_uploads_of_bytes_files_and_streams_download_back_exactly() {
    let server = server().await;
    let admin = crm(&server, &server.keys().nextcap_crm_admin);
    let bytes = payload(300_000);

    let seen = Arc::new(Mutex::new(Vec::new()));
    let log = Arc::clone(&seen);
    let a = admin
        .attachments()
        .upload_bytes("blob.bin", "application/octet-stream", bytes.clone())
        .progress(move |sent, total| log.lock().unwrap().push((sent, total)))
        .send()
        .await
        .expect("upload bytes");
    assert_eq!((a.size, a.status.clone(), a.filename.as_str()), (300_000, UploadStatus::Uploaded, "blob.bin"));
    let seen = seen.lock().unwrap().clone();
    assert!(seen.len() > 1 && seen.windows(2).all(|w| w[0].0 < w[1].0), "progress grows chunk by chunk");
    assert_eq!(seen.last(), Some(&(300_000, 300_000)));
    let mut out = Vec::new();
    assert_eq!(admin.attachments().download(a.id.clone(), &mut out).await.expect("download"), 300_000);
    assert_eq!(out, bytes);

    let dir = std::env::temp_dir().join(format!("deskapi-attach-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("report.pdf");
    std::fs::write(&path, &bytes[..1000]).unwrap();
    let f = admin.attachments().upload(&path).send().await.expect("upload path");
    assert_eq!((f.filename.as_str(), f.content_type.as_str(), f.size), ("report.pdf", "application/pdf", 1000));
    let copy = dir.join("copy.pdf");
    admin.attachments().download_to_path(f.id.clone(), &copy).await.expect("download to path");
    assert_eq!(std::fs::read(&copy).unwrap(), &bytes[..1000]);

    let chunks =
        futures::stream::iter(vec![Ok(bytes::Bytes::from_static(b"a,b\n")), Ok(bytes::Bytes::from_static(b"1,2\n"))]);
    let s = admin.attachments().upload_stream("data.csv", "text/csv", 8, chunks).send().await.expect("stream");
    let got = admin.attachments().get(s.id.clone()).await.expect("get");
    assert_eq!((got.content_type.as_str(), got.size), ("text/csv", 8));
    assert!(got.download_url.is_some() && got.expires_at.is_some());
    std::fs::remove_dir_all(&dir).ok();
}

#[tokio::test]
async fn presigned_uploads_complete_and_link_to_a_reply_then_cannot_be_deleted() {
    let server = server().await;
    let admin = crm(&server, &server.keys().nextcap_crm_admin);
    let bytes = payload(5000);
    let dir = std::env::temp_dir().join(format!("deskapi-presign-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("photo.png");
    std::fs::write(&path, &bytes).unwrap();
    let last = Arc::new(Mutex::new((0, 0)));
    let log = Arc::clone(&last);
    let p = admin
        .attachments()
        .upload_presigned(&path)
        .progress(move |sent, total| *log.lock().unwrap() = (sent, total))
        .send()
        .await
        .expect("presigned upload");
    assert_eq!((p.status.clone(), p.content_type.as_str(), p.size), (UploadStatus::Uploaded, "image/png", 5000));
    assert_eq!(*last.lock().unwrap(), (5000, 5000));
    let mut out = Vec::new();
    admin.attachments().download(p.id.clone(), &mut out).await.expect("download");
    assert_eq!(out, bytes);

    // Presign alone, then complete before any PUT: 409.
    let pending = admin.attachments().presign("x.txt", "text/plain", 3).await.expect("presign");
    assert!(pending.upload_url.starts_with(&server.url()), "{}", pending.upload_url);
    let early = admin.attachments().complete(pending.attachment_id.clone()).await.unwrap_err();
    assert_eq!(status(&early), Some(409));

    let tickets = all(admin.tickets().list().per_page(100)).await;
    let ticket = tickets.iter().find(|t| !t.has_attachments).expect("a ticket without files");
    admin
        .tickets()
        .reply(ticket.ticket.id.clone(), "Photo attached.")
        .attachment_ids([p.id.clone()])
        .send()
        .await
        .expect("reply");
    let detail = admin.tickets().get(ticket.ticket.id.clone()).await.expect("ticket");
    let listed = detail.attachments.iter().find(|a| a.id == p.id).expect("linked file listed");
    assert!(listed.download_url.is_some());
    let linked = admin.attachments().get(p.id.clone()).await.expect("get");
    assert_eq!(linked.status, UploadStatus::Linked);
    assert_eq!(status(&admin.attachments().delete(p.id.clone()).await.unwrap_err()), Some(409));

    let spare = admin.attachments().upload_bytes("spare.txt", "text/plain", "spare").send().await.expect("upload");
    let gone = admin.attachments().delete(spare.id.clone()).await.expect("delete");
    assert!(gone.deleted);
    assert_eq!(status(&admin.attachments().get(spare.id).await.unwrap_err()), Some(404));
    std::fs::remove_dir_all(&dir).ok();
}

#[tokio::test]
async fn the_size_limit_is_checked_before_sending_and_the_server_enforces_its_own() {
    let server = MockServer::builder()
        .rate_limit(deskapi_mock::RateLimitSetting::Off)
        .attachment_max_bytes(1024)
        .start()
        .await
        .unwrap();
    let admin = crm(&server, &server.keys().nextcap_crm_admin);
    server.clear_requests();
    let err = admin
        .attachments()
        .upload_bytes("big", "text/plain", vec![0u8; 2000])
        .max_bytes(1500)
        .send()
        .await
        .unwrap_err();
    assert!(matches!(err, Error::InvalidArgument { ref name, .. } if name == "size"), "{err}");
    assert!(server.requests().is_empty(), "nothing was sent");
    let err = admin.attachments().upload_bytes("big", "text/plain", vec![0u8; 2000]).send().await.unwrap_err();
    assert_eq!(status(&err), Some(413), "the server's own, smaller limit: {err}");
    let err =
        admin.attachments().upload_bytes("big", "text/plain", vec![0u8; 2000]).presigned().send().await.unwrap_err();
    assert_eq!(status(&err), Some(400), "presign refuses a size over the server's limit");
}

#[tokio::test]
async fn staged_uploads_expire_after_a_day_on_the_mock_clock_and_other_organisations_never_see_them() {
    let server = server().await;
    let admin = crm(&server, &server.keys().nextcap_crm_admin);
    let globex = crm(&server, &server.keys().nextcap_crm_globex_admin);
    let a = admin.attachments().upload_bytes("t.txt", "text/plain", "temp").send().await.expect("upload");
    assert_eq!(status(&globex.attachments().get(a.id.clone()).await.unwrap_err()), Some(404));
    server.clock().advance(Duration::from_secs(24 * 3600));
    assert_eq!(status(&admin.attachments().get(a.id.clone()).await.unwrap_err()), Some(404));
    server.reset();
    assert!(server.clock().offset().is_zero());
}

#[tokio::test]
async fn the_stable_download_operation_hands_out_a_keyless_url_and_refuses_pending_and_foreign_ids() {
    let server = server().await;
    let admin = crm(&server, &server.keys().nextcap_crm_admin);
    let globex = crm(&server, &server.keys().nextcap_crm_globex_admin);
    let bytes = payload(70_000);
    let a = admin.attachments().upload_bytes("log.txt", "text/plain", bytes.clone()).send().await.expect("upload");

    let url = admin.attachments().download_url(a.id.clone()).await.expect("download url");
    assert!(url.starts_with(&format!("{}/nextcap/files/", server.url())), "{url}");
    // A plain client with no key fetches it: the signature is the authorisation.
    let resp = reqwest::get(&url).await.expect("fetch");
    assert_eq!(resp.status(), 200);
    assert_eq!(resp.headers()["content-type"], "text/plain");
    assert_eq!(resp.bytes().await.unwrap().as_ref(), bytes.as_slice());
    // Linked, so it outlives the 24-hour staging; every call signs a fresh URL: a day later the
    // old one is refused, a new one works.
    let tickets = all(admin.tickets().list().per_page(100)).await;
    let ticket = tickets.first().expect("a ticket");
    admin.tickets().reply(ticket.ticket.id.clone(), "Log.").attachment_ids([a.id.clone()]).send().await.expect("reply");
    server.clock().advance(Duration::from_secs(23 * 3600));
    let fresh = admin.attachments().download_url(a.id.clone()).await.expect("fresh url");
    server.clock().advance(Duration::from_secs(3600 + 1));
    assert_eq!(reqwest::get(&url).await.unwrap().status(), 403, "the first URL expired");
    assert_eq!(reqwest::get(&fresh).await.unwrap().status(), 200, "the fresh URL still works");
    server.reset();

    let a = admin.attachments().upload_bytes("b.txt", "text/plain", "b").send().await.expect("upload");
    assert_eq!(status(&globex.attachments().download_url(a.id.clone()).await.unwrap_err()), Some(404));
    let pending = admin.attachments().presign("p.txt", "text/plain", 3).await.expect("presign");
    let err = admin.attachments().download_url(pending.attachment_id.clone()).await.unwrap_err();
    assert_eq!(status(&err), Some(404), "a pending upload has no bytes to download");
    let mut out = Vec::new();
    assert_eq!(status(&admin.attachments().download(pending.attachment_id, &mut out).await.unwrap_err()), Some(404));
}
