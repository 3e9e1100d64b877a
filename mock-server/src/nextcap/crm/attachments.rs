//! The CRM attachment endpoints (nextcap-crm-integration.txt, "Attachments"): direct multipart
//! upload, presign + complete, metadata with a fresh download URL, the stable download redirect,
//! and delete.
//!
//! The direct upload is parsed as a stream with `multer` and its `file` part is counted as it
//! arrives, so a body over the server's limit is answered 413 as soon as it passes it, without
//! reading the rest; a body that is not `multipart/form-data` is 415, one without a `file` part
//! or a malformed one 400. Attachments belong to the organisation (another organisation's id is
//! 404); time (URL expiry, the 24-hour staging) is the mock's clock. The URLs are built and
//! served by [`super::files`].

use axum::{
    body::Body,
    extract::State,
    http::{HeaderMap, StatusCode, header},
    response::{IntoResponse, Response},
};
use bytes::BytesMut;
use serde::Deserialize;
use serde_json::json;

use super::files::{self, BaseUrl};
use crate::{
    encode::JsonBody,
    nextcap::{
        Item, Reply,
        error::NcError,
        extract::{self, CrmSeat, PathId, not_found},
    },
    state::AppState,
    store::nextcap::{Attachment, AttachmentError, NewUpload},
};

const NOUN: &str = "Attachment";

fn refused(e: AttachmentError) -> NcError {
    match e {
        AttachmentError::Missing => not_found(NOUN),
        AttachmentError::Invalid { field, message } => NcError::invalid(field, message),
        AttachmentError::Conflict(message) => NcError::status(StatusCode::CONFLICT, message),
    }
}

/// `{"data": AttachmentUpload}` with a fresh download URL.
fn shown(state: &AppState, base: &BaseUrl, a: &Attachment, status: StatusCode) -> Response {
    let download = files::download_url(state, base, a, state.clock().now());
    (status, JsonBody(Item { data: a.to_json(download) })).into_response()
}

/// `POST /external/crm/attachments`: `multipart/form-data` with a `file` part -> 201.
pub async fn upload(
    seat: CrmSeat,
    State(state): State<AppState>,
    base: BaseUrl,
    headers: HeaderMap,
    body: Body,
) -> Reply {
    let content_type = headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or("");
    if !content_type.trim_start().to_ascii_lowercase().starts_with("multipart/form-data") {
        let sent = if content_type.is_empty() { "none".to_owned() } else { format!("{content_type:?}") };
        let message = format!("The body must be multipart/form-data with a `file` part; Content-Type was {sent}");
        return Err(NcError::status(StatusCode::UNSUPPORTED_MEDIA_TYPE, message));
    }
    let boundary = multer::parse_boundary(content_type)
        .map_err(|e| NcError::invalid("file", format!("malformed multipart Content-Type: {e}")))?;
    let max = state.config().attachment_max_bytes;
    // A hard cap on the whole body too (the file plus room for part headers), since the parser
    // reads ahead whatever the connection has already delivered.
    let cap = multer::SizeLimit::new().whole_stream(max.saturating_add(64 * 1024));
    let mut multipart = multer::Multipart::with_constraints(
        body.into_data_stream(),
        boundary,
        multer::Constraints::new().size_limit(cap),
    );
    let malformed = |e: multer::Error| match e {
        multer::Error::StreamSizeExceeded { .. } => files::too_large(max),
        e => NcError::invalid("file", format!("malformed multipart body: {e}")),
    };
    let mut upload = None;
    while let Some(mut field) = multipart.next_field().await.map_err(malformed)? {
        if field.name() != Some("file") {
            // Other parts are skipped (read and dropped).
            while field.chunk().await.map_err(malformed)?.is_some() {}
            continue;
        }
        if upload.is_some() {
            return Err(NcError::invalid("file", "send exactly one `file` part; this body has more"));
        }
        let filename = field.file_name().map(str::trim).filter(|n| !n.is_empty()).unwrap_or("file").to_owned();
        if filename.chars().count() > 255 {
            return Err(NcError::invalid("file", "the file name must be at most 255 characters"));
        }
        let content_type = field.content_type().map_or("application/octet-stream".to_owned(), |m| m.to_string());
        let mut buf = BytesMut::new();
        while let Some(chunk) = field.chunk().await.map_err(malformed)? {
            files::push_limited(&mut buf, &chunk, max)?;
        }
        let bytes = buf.freeze();
        if bytes.is_empty() {
            // As a presign's `size` must be at least 1.
            return Err(NcError::invalid("file", "the file is empty (0 bytes)"));
        }
        upload = Some(NewUpload { filename, content_type, size: bytes.len() as u64, bytes: Some(bytes) });
    }
    let upload = upload.ok_or_else(|| NcError::invalid("file", "the multipart body has no `file` part"))?;
    let now = state.clock().now();
    let row = seat.write(|v| Ok((v.attachments_mut().create(upload, now), Vec::new())))?;
    Ok(shown(&state, &base, &row, StatusCode::CREATED))
}

/// `POST /attachments/presign`'s body.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct PresignBody {
    filename: String,
    content_type: String,
    size: u64,
}

impl PresignBody {
    fn validate(self, max: u64) -> Result<NewUpload, NcError> {
        let filename = self.filename.trim();
        if filename.is_empty() || filename.chars().count() > 255 {
            return Err(NcError::invalid("filename", "must be 1 to 255 characters"));
        }
        let ct = self.content_type.trim();
        let is_mime = ct.split_once('/').is_some_and(|(t, s)| !t.is_empty() && !s.is_empty());
        if !is_mime || axum::http::HeaderValue::from_str(ct).is_err() {
            return Err(NcError::invalid("content_type", "must be a MIME type such as application/pdf"));
        }
        if self.size == 0 || self.size > max {
            return Err(NcError::invalid("size", format!("must be between 1 and {max} bytes")));
        }
        Ok(NewUpload { filename: filename.to_owned(), content_type: ct.to_owned(), size: self.size, bytes: None })
    }
}

/// `POST /external/crm/attachments/presign`: 201 with the signed `PUT` URL (15 minutes).
pub async fn presign(seat: CrmSeat, State(state): State<AppState>, base: BaseUrl, body: extract::JsonBody) -> Reply {
    let upload = body.parse::<PresignBody>()?.validate(state.config().attachment_max_bytes)?;
    let now = state.clock().now();
    let row = seat.write(|v| Ok((v.attachments_mut().create(upload, now), Vec::new())))?;
    let (url, expires) = files::upload_url(&state, &base, &row, now);
    let data = json!({
        "attachment_id": row.id,
        "upload_url": url,
        "method": "PUT",
        "headers": { "Content-Type": row.content_type },
        "expires_at": crate::time_fmt::millis_string(&expires),
    });
    Ok((StatusCode::CREATED, JsonBody(Item { data })).into_response())
}

/// `POST /external/crm/attachments/{id}/complete`.
pub async fn complete(seat: CrmSeat, State(state): State<AppState>, base: BaseUrl, id: PathId<Attachment>) -> Reply {
    let now = state.clock().now();
    let row = seat.write(|v| v.attachments_mut().complete(id.id(), now).map(|a| (a, Vec::new())).map_err(refused))?;
    Ok(shown(&state, &base, &row, StatusCode::OK))
}

/// `GET /external/crm/attachments/{id}`: metadata and a fresh 24-hour download URL.
pub async fn get(seat: CrmSeat, State(state): State<AppState>, base: BaseUrl, id: PathId<Attachment>) -> Reply {
    let now = state.clock().now();
    let row = seat.read(|v| v.uploads().get(id.id(), now).cloned()).map_err(refused)?;
    Ok(shown(&state, &base, &row, StatusCode::OK))
}

/// `GET /external/crm/attachments/{id}/download`: 302 to a fresh download URL; pending is 404.
pub async fn download(seat: CrmSeat, State(state): State<AppState>, base: BaseUrl, id: PathId<Attachment>) -> Reply {
    let now = state.clock().now();
    let row = seat.read(|v| v.uploads().get(id.id(), now).cloned()).map_err(refused)?;
    let (url, _) = files::download_url(&state, &base, &row, now).ok_or_else(|| not_found(NOUN))?;
    Ok((StatusCode::FOUND, [(header::LOCATION, url)]).into_response())
}

/// `DELETE /external/crm/attachments/{id}`: an unlinked upload only (409 otherwise).
pub async fn delete(seat: CrmSeat, State(state): State<AppState>, id: PathId<Attachment>) -> Reply {
    let now = state.clock().now();
    let row = seat.write(|v| v.attachments_mut().delete(id.id(), now).map(|a| (a, Vec::new())).map_err(refused))?;
    Ok(JsonBody(Item { data: json!({ "id": row.id, "deleted": true }) }).into_response())
}

/// Fills the download URL of every entry of a ticket's `attachments[]` that came from the
/// attachment endpoints (those are stored with a null URL, since a URL lives only 24 hours) with
/// a fresh one; entries with a URL of their own are left alone.
pub fn fresh_urls(
    state: &AppState,
    base: &BaseUrl,
    stored: crate::store::nextcap::Attachments<'_>,
    entries: &mut [serde_json::Value],
) {
    let now = state.clock().now();
    for entry in entries.iter_mut().filter(|e| e["download_url"].is_null()) {
        let Some(row) = entry["id"].as_str().and_then(|id| uuid::Uuid::parse_str(id).ok()) else { continue };
        let Ok(row) = stored.get(row, now) else { continue };
        if let Some((url, expires)) = files::download_url(state, base, row, now) {
            entry["download_url"] = json!(url);
            entry["download_url_expires_at"] = json!(crate::time_fmt::millis_string(&expires));
        }
    }
}
