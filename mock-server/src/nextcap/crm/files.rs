//! The mock's file storage for CRM attachments: the presigned URLs the attachment endpoints hand
//! out, and the router that serves them at [`MOUNT`] (`PUT` an upload, `GET` a download).
//!
//! Like an object store's URLs, these carry no API key: the HMAC signature in the query
//! ([`crate::signing`]) over the method, the path, the content type, the size and the expiry is
//! the authorisation, so the router sits outside the API pipeline (no key demanded, not in the
//! operation table) and answers 403 in Next Cap's envelope to a missing, tampered or expired
//! signature, or to a PUT whose `Content-Type` is not exactly the declared one. Expiry is judged
//! by the mock's clock ([`crate::clock::Clock`]). Bodies are read as a stream and cut off at the
//! server's attachment limit.

use axum::{
    Router,
    body::Body,
    extract::{FromRequestParts, Path, RawQuery, State},
    http::{HeaderMap, StatusCode, header, request::Parts},
    response::{IntoResponse, Response},
    routing::get,
};
use bytes::{Bytes, BytesMut};
use chrono::{DateTime, Duration, Utc};
use futures::{Stream, StreamExt};
use uuid::Uuid;

use crate::{
    nextcap::{Reply, error::NcError},
    signing::Grant,
    state::AppState,
    store::nextcap::Attachment,
};

/// Where the file router is mounted.
pub const MOUNT: &str = "/nextcap/files";
/// How long a presigned upload URL works (15 minutes).
pub const UPLOAD_URL_TTL: Duration = Duration::minutes(15);
/// How long a download URL works (the document: "24h validity").
pub const DOWNLOAD_URL_TTL: Duration = Duration::hours(24);

/// `scheme://host` of the request, so the URLs handed out point back at this mock however it
/// was reached (`Host` header; `localhost` when a test's request has none).
#[derive(Clone, Debug)]
pub struct BaseUrl(pub String);

impl<S: Send + Sync> FromRequestParts<S> for BaseUrl {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        let host = parts
            .headers
            .get(header::HOST)
            .and_then(|h| h.to_str().ok())
            .or_else(|| parts.uri.authority().map(|a| a.as_str()))
            .unwrap_or("localhost");
        Ok(BaseUrl(format!("http://{host}")))
    }
}

fn path_of(id: Uuid) -> String {
    format!("{MOUNT}/{id}")
}

fn signed_url(state: &AppState, base: &BaseUrl, grant: &Grant<'_>) -> String {
    let signature = state.signer().sign(grant);
    format!("{}{}?expires={}&signature={signature}", base.0, grant.path, grant.expires)
}

/// A presigned `PUT` URL for pending upload `a` and its expiry.
pub fn upload_url(state: &AppState, base: &BaseUrl, a: &Attachment, now: DateTime<Utc>) -> (String, DateTime<Utc>) {
    let expires = now + UPLOAD_URL_TTL;
    let path = path_of(a.id);
    let grant =
        Grant { method: "PUT", path: &path, content_type: &a.content_type, size: a.size, expires: expires.timestamp() };
    (signed_url(state, base, &grant), expires)
}

/// A fresh presigned `GET` URL for `a` and its expiry; `None` while `a` is pending.
pub fn download_url(
    state: &AppState,
    base: &BaseUrl,
    a: &Attachment,
    now: DateTime<Utc>,
) -> Option<(String, DateTime<Utc>)> {
    a.bytes.as_ref()?;
    let expires = now + DOWNLOAD_URL_TTL;
    let path = path_of(a.id);
    let grant =
        Grant { method: "GET", path: &path, content_type: &a.content_type, size: a.size, expires: expires.timestamp() };
    Some((signed_url(state, base, &grant), expires))
}

/// Reads a body stream whole, refusing it with 413 as soon as it passes `max` bytes (the rest is
/// never read). A transport error mid-body is a 400.
pub async fn read_limited<S, E>(mut stream: S, max: u64) -> Result<Bytes, NcError>
where
    S: Stream<Item = Result<Bytes, E>> + Unpin,
    E: std::fmt::Display,
{
    let mut buf = BytesMut::new();
    while let Some(chunk) = stream.next().await {
        let chunk = chunk.map_err(|e| NcError::invalid("file", format!("the body could not be read: {e}")))?;
        push_limited(&mut buf, &chunk, max)?;
    }
    Ok(buf.freeze())
}

/// Appends `chunk`, or 413 when that would pass `max` bytes.
pub fn push_limited(buf: &mut BytesMut, chunk: &[u8], max: u64) -> Result<(), NcError> {
    if (buf.len() + chunk.len()) as u64 > max {
        return Err(too_large(max));
    }
    buf.extend_from_slice(chunk);
    Ok(())
}

/// 413 `PAYLOAD_TOO_LARGE` naming the limit.
pub fn too_large(max: u64) -> NcError {
    NcError::status(StatusCode::PAYLOAD_TOO_LARGE, format!("The file exceeds the upload limit of {max} bytes"))
}

/// The file routes, at `{MOUNT}/{id}` (full paths, to merge into the application's router).
pub fn router() -> Router<AppState> {
    Router::new().route(&format!("{MOUNT}/{{id}}"), get(download).put(upload))
}

/// The signature and expiry of a presigned URL, from its query; 403 when either is missing.
fn signature_of(query: Option<&str>) -> Result<(i64, String), NcError> {
    let mut expires = None;
    let mut signature = None;
    for (k, v) in url::form_urlencoded::parse(query.unwrap_or("").as_bytes()) {
        match &*k {
            "expires" => expires = v.parse::<i64>().ok(),
            "signature" => signature = Some(v.into_owned()),
            _ => {}
        }
    }
    match (expires, signature) {
        (Some(e), Some(s)) => Ok((e, s)),
        _ => Err(NcError::forbidden("The URL is not signed: `expires` and `signature` are required")),
    }
}

/// Checks a presigned request against the row it names: a valid signature that has not expired.
fn authorise(state: &AppState, method: &str, a: &Attachment, query: Option<&str>) -> Result<(), NcError> {
    let (expires, signature) = signature_of(query)?;
    let path = path_of(a.id);
    let grant = Grant { method, path: &path, content_type: &a.content_type, size: a.size, expires };
    if !state.signer().verify(&grant, &signature) {
        return Err(NcError::forbidden("The URL's signature does not match the request"));
    }
    if state.clock().now().timestamp() >= expires {
        return Err(NcError::forbidden("The URL has expired"));
    }
    Ok(())
}

fn uuid(id: &str) -> Result<Uuid, NcError> {
    Uuid::parse_str(id).map_err(|_| NcError::not_found("File not found"))
}

/// `PUT {MOUNT}/{id}`: the presigned upload. The `Content-Type` must be the declared one
/// exactly; the bytes are stored only once the signature, the expiry and the type are checked.
async fn upload(
    State(state): State<AppState>,
    Path(id): Path<String>,
    RawQuery(query): RawQuery,
    headers: HeaderMap,
    body: Body,
) -> Reply {
    let id = uuid(&id)?;
    let row = state.lock().store().nextcap().pending_upload(id, state.clock().now()).cloned();
    let row = row.ok_or_else(|| NcError::forbidden("The URL does not name a pending upload"))?;
    authorise(&state, "PUT", &row, query.as_deref())?;
    let sent = headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or("");
    if sent != row.content_type {
        let declared = &row.content_type;
        return Err(NcError::forbidden(format!(
            "Content-Type must be exactly {declared:?} (the presigned one), not {sent:?}"
        )));
    }
    let bytes = read_limited(body.into_data_stream(), state.config().attachment_max_bytes).await?;
    let now = state.clock().now();
    if !state.lock().store_mut().nextcap_mut().store_upload(id, bytes, now) {
        return Err(NcError::forbidden("The upload was completed or removed meanwhile"));
    }
    Ok(StatusCode::OK.into_response())
}

/// `GET {MOUNT}/{id}`: the presigned download, the exact bytes with the stored content type.
async fn download(State(state): State<AppState>, Path(id): Path<String>, RawQuery(query): RawQuery) -> Reply {
    let id = uuid(&id)?;
    let row = state.lock().store().nextcap().stored_attachment(id, state.clock().now()).cloned();
    let row = row.ok_or_else(|| NcError::not_found("File not found"))?;
    authorise(&state, "GET", &row, query.as_deref())?;
    let bytes = row.bytes.unwrap_or_default();
    Ok(Response::builder()
        .header(header::CONTENT_TYPE, row.content_type.as_str())
        .header(header::CONTENT_LENGTH, bytes.len())
        .body(Body::from(bytes))
        .unwrap_or_else(|_| {
            NcError::status(StatusCode::INTERNAL_SERVER_ERROR, "bad stored content type").into_response()
        }))
}
