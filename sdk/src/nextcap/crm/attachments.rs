//! CRM attachments (nextcap-crm-integration.txt, "Attachments"; `openapi/nextcap-crm.yaml`):
//! direct multipart upload, presigned upload (presign, `PUT`, complete), metadata with a fresh
//! 24-hour download URL, the stable download redirect, download, delete. An upload is staged for 24 hours until a ticket reply
//! names it in `attachment_ids` ([`ReplyToTicket::attachment_ids`](super::ReplyToTicket::attachment_ids)).
//!
//! Upload and download bodies are streams end to end: a file is read in chunks as it is sent
//! (`reqwest`'s streamed multipart part or streamed `PUT` body) and a download is written chunk by
//! chunk, so neither is ever held whole in memory. The size limit (50 MB, or
//! [`Upload::max_bytes`]) is checked before anything is sent. Uploads are sent once, never
//! retried, because a stream cannot be replayed. Presigned URLs are fetched without the API key:
//! their signature authorises them, and the key must not reach a file host. For the same reason
//! the download redirect is read, never followed with the key (the client follows no redirect).

use std::{collections::BTreeMap, path::PathBuf, sync::Arc};

use bytes::Bytes;
use chrono::{DateTime, Utc};
use futures::{StreamExt, TryStreamExt, stream::BoxStream};
use serde::{Deserialize, Serialize};
use tokio::io::{AsyncWrite, AsyncWriteExt};

use super::NextCapCrmClient;
use super::common::item_path;
use crate::core::error::{Error, Result};
use crate::core::macros::string_enum;
use crate::core::transport::{RequestSpec, Target};
use crate::nextcap::models::{AttachmentId, TicketId};

/// The document's upload limit: "Max 50MB", 52,428,800 bytes (plans may allow more: see
/// [`Upload::max_bytes`]).
pub const MAX_ATTACHMENT_BYTES: u64 = 52_428_800;

/// Chunk size of the body stream (and of the progress callback): in-memory bytes are sliced,
/// and a file is read, this much at a time; larger reads than tokio's 4 KiB default mean
/// fewer system calls and frames per megabyte at a cost of one 64 KiB buffer.
const CHUNK: usize = 64 * 1024;

string_enum! {
    /// Where an upload is in its life.
    pub enum UploadStatus {
        /// Presigned; its bytes have not been completed yet.
        Pending => "pending",
        /// Staged for 24 hours, not linked to a ticket.
        Uploaded => "uploaded",
        /// Linked to a ticket by a reply; kept.
        Linked => "linked",
    }
}

/// An uploaded file as the attachment endpoints show it (`AttachmentUpload` in the contract).
#[derive(Clone, Debug, Deserialize, Serialize, PartialEq, Eq)]
#[non_exhaustive]
pub struct AttachmentUpload {
    /// The attachment's ID, for `attachment_ids` of a reply.
    pub id: AttachmentId,
    /// The original file name.
    pub filename: String,
    /// MIME type.
    pub content_type: String,
    /// Size in bytes.
    pub size: u64,
    /// Pending, uploaded (staged) or linked.
    pub status: UploadStatus,
    /// The ticket a reply linked it to.
    pub ticket_id: Option<TicketId>,
    /// A download URL valid for 24 hours (no key needed); `None` while pending.
    pub download_url: Option<String>,
    /// When `download_url` stops working.
    pub download_url_expires_at: Option<DateTime<Utc>>,
    /// When an unlinked upload is deleted; `None` once linked.
    pub expires_at: Option<DateTime<Utc>>,
    /// When it was uploaded (or presigned).
    pub created_at: DateTime<Utc>,
}

/// Where and how to `PUT` a presigned upload (`PresignedUpload` in the contract).
#[derive(Clone, Debug, Deserialize, Serialize, PartialEq, Eq)]
#[non_exhaustive]
pub struct PresignedUpload {
    /// The new attachment's ID.
    pub attachment_id: AttachmentId,
    /// The absolute URL to `PUT` the bytes to (valid 15 minutes).
    pub upload_url: String,
    /// Always `PUT`.
    pub method: String,
    /// Headers the `PUT` must carry (`Content-Type`, exactly as declared).
    pub headers: BTreeMap<String, String>,
    /// When `upload_url` stops working.
    pub expires_at: DateTime<Utc>,
}

/// `{"id", "deleted": true}`, the answer to a delete.
#[derive(Clone, Debug, Deserialize, Serialize, PartialEq, Eq)]
#[non_exhaustive]
pub struct DeletedAttachment {
    /// The deleted attachment.
    pub id: AttachmentId,
    /// Always true.
    pub deleted: bool,
}

/// A progress callback: `(bytes sent so far, total bytes)`, called after each chunk is handed
/// to the connection.
pub type Progress = Arc<dyn Fn(u64, u64) + Send + Sync>;

/// The attachment endpoints (`client.attachments()`). Uploads need `tickets:reply`, reads
/// `tickets:view` (the contract's inferred permissions).
#[derive(Clone, Copy, Debug)]
pub struct Attachments<'a> {
    pub(super) client: &'a NextCapCrmClient,
}

enum Source {
    Path(PathBuf),
    Bytes(Bytes),
    Stream(u64, BoxStream<'static, std::io::Result<Bytes>>),
}

/// An upload being prepared; `.send()` uploads it. Built by [`Attachments::upload`],
/// [`Attachments::upload_bytes`], [`Attachments::upload_stream`] and
/// [`Attachments::upload_presigned`].
#[must_use = "an upload does nothing until .send() is awaited"]
pub struct Upload<'a> {
    client: &'a NextCapCrmClient,
    source: Source,
    filename: Option<String>,
    content_type: Option<String>,
    progress: Option<Progress>,
    presigned: bool,
    max_bytes: u64,
}

impl std::fmt::Debug for Upload<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Upload")
            .field("filename", &self.filename)
            .field("content_type", &self.content_type)
            .field("presigned", &self.presigned)
            .finish_non_exhaustive()
    }
}

impl<'a> Attachments<'a> {
    fn upload_of(&self, source: Source, filename: Option<String>, content_type: Option<String>) -> Upload<'a> {
        Upload {
            client: self.client,
            source,
            filename,
            content_type,
            progress: None,
            presigned: false,
            max_bytes: MAX_ATTACHMENT_BYTES,
        }
    }

    /// Uploads the file at `path` (streamed from disk), named after it, its content type
    /// guessed from the extension unless [`Upload::content_type`] is set.
    ///
    /// ```no_run
    /// # async fn run(client: deskapi::NextCapCrmClient) -> deskapi::Result<()> {
    /// let file = client.attachments().upload("invoice.pdf").progress(|sent, total| println!("{sent}/{total}")).send().await?;
    /// client.tickets().reply("TICKET_ID", "Invoice attached.").attachment_ids([file.id]).send().await?;
    /// # Ok(()) }
    /// ```
    #[doc(alias = "uploadCrmAttachment")]
    pub fn upload(&self, path: impl Into<PathBuf>) -> Upload<'a> {
        self.upload_of(Source::Path(path.into()), None, None)
    }

    /// Uploads `bytes` as a file called `filename` of type `content_type`.
    ///
    /// ```no_run
    /// # async fn run(client: deskapi::NextCapCrmClient) -> deskapi::Result<()> {
    /// let file = client.attachments().upload_bytes("notes.txt", "text/plain", "hello").send().await?;
    /// # let _ = file; Ok(()) }
    /// ```
    pub fn upload_bytes(
        &self,
        filename: impl Into<String>,
        content_type: impl Into<String>,
        bytes: impl Into<Bytes>,
    ) -> Upload<'a> {
        self.upload_of(Source::Bytes(bytes.into()), Some(filename.into()), Some(content_type.into()))
    }

    /// Uploads a stream of `size` bytes as a file called `filename` of type `content_type`; the
    /// stream must yield exactly `size` bytes.
    ///
    /// ```no_run
    /// # async fn run(client: deskapi::NextCapCrmClient) -> deskapi::Result<()> {
    /// let chunks = futures::stream::iter([Ok(bytes::Bytes::from_static(b"a,b\n1,2\n"))]);
    /// let file = client.attachments().upload_stream("data.csv", "text/csv", 8, chunks).send().await?;
    /// # let _ = file; Ok(()) }
    /// ```
    pub fn upload_stream<S>(
        &self,
        filename: impl Into<String>,
        content_type: impl Into<String>,
        size: u64,
        stream: S,
    ) -> Upload<'a>
    where
        S: futures::Stream<Item = std::io::Result<Bytes>> + Send + 'static,
    {
        self.upload_of(Source::Stream(size, stream.boxed()), Some(filename.into()), Some(content_type.into()))
    }

    /// Uploads the file at `path` the presigned way: presign, `PUT` the bytes straight to the
    /// returned URL, complete. Same options as [`Attachments::upload`].
    ///
    /// ```no_run
    /// # async fn run(client: deskapi::NextCapCrmClient) -> deskapi::Result<()> {
    /// let file = client.attachments().upload_presigned("video.mp4").send().await?;
    /// # let _ = file; Ok(()) }
    /// ```
    pub fn upload_presigned(&self, path: impl Into<PathBuf>) -> Upload<'a> {
        self.upload(path).presigned()
    }

    /// Announces an upload of `size` bytes: returns where to `PUT` it (15 minutes). Then call
    /// [`Attachments::complete`]. [`Upload::presigned`] does all three steps.
    ///
    /// ```no_run
    /// # async fn run(client: deskapi::NextCapCrmClient) -> deskapi::Result<()> {
    /// let p = client.attachments().presign("a.pdf", "application/pdf", 1024).await?;
    /// println!("PUT {} before {}", p.upload_url, p.expires_at);
    /// # Ok(()) }
    /// ```
    #[doc(alias = "presignCrmAttachment")]
    pub async fn presign(&self, filename: &str, content_type: &str, size: u64) -> Result<PresignedUpload> {
        if filename.trim().is_empty() {
            return Err(Error::invalid("filename", "must not be empty"));
        }
        if size == 0 {
            return Err(Error::invalid("size", "must be at least 1 byte"));
        }
        let body = serde_json::json!({ "filename": filename, "content_type": content_type, "size": size });
        let spec = RequestSpec::new(http::Method::POST, "/external/crm/attachments/presign").json(&body)?;
        self.client.send(spec).await
    }

    /// Confirms a presigned upload: the server checks the bytes arrived with the declared size
    /// (400 otherwise, 409 before any `PUT`).
    ///
    /// ```no_run
    /// # async fn run(client: deskapi::NextCapCrmClient) -> deskapi::Result<()> {
    /// let done = client.attachments().complete("ATTACHMENT_ID").await?;
    /// assert!(done.download_url.is_some());
    /// # Ok(()) }
    /// ```
    #[doc(alias = "completeCrmAttachment")]
    pub async fn complete(&self, id: impl Into<AttachmentId>) -> Result<AttachmentUpload> {
        let path = item_path("attachments", "id", id.into().as_str(), "/complete")?;
        self.client.send(RequestSpec::new(http::Method::POST, path)).await
    }

    /// The attachment's metadata with a fresh 24-hour download URL.
    ///
    /// ```no_run
    /// # async fn run(client: deskapi::NextCapCrmClient) -> deskapi::Result<()> {
    /// let a = client.attachments().get("ATTACHMENT_ID").await?;
    /// println!("{} ({} bytes): {:?}", a.filename, a.size, a.download_url);
    /// # Ok(()) }
    /// ```
    #[doc(alias = "getCrmAttachment")]
    pub async fn get(&self, id: impl Into<AttachmentId>) -> Result<AttachmentUpload> {
        self.client.fetch(item_path("attachments", "id", id.into().as_str(), "")).await
    }

    /// The stable download operation: `GET /external/crm/attachments/:id/download` answers
    /// `302 Found` to a fresh download URL valid for 24 hours, and this returns that absolute URL
    /// (the `Location` header, resolved against the request) without following it. The key is
    /// sent to the API only, never to the URL's host: the URL's signature is its authorisation,
    /// so it can be handed to a browser or another process as it is. A pending upload has no
    /// bytes yet: 404 `NOT_FOUND`, like an unknown id or another organisation's.
    ///
    /// Source: nextcap-crm-integration.txt, "Attachments" ("302-redirects to a fresh 24h
    /// download URL on every request"); `downloadCrmAttachment` in `openapi/nextcap-crm.yaml`.
    ///
    /// ```no_run
    /// # async fn run(client: deskapi::NextCapCrmClient) -> deskapi::Result<()> {
    /// let url = client.attachments().download_url("ATTACHMENT_ID").await?;
    /// println!("valid for 24 hours, no key needed: {url}");
    /// # Ok(()) }
    /// ```
    #[doc(alias = "downloadCrmAttachment")]
    pub async fn download_url(&self, id: impl Into<AttachmentId>) -> Result<String> {
        let path = item_path("attachments", "id", id.into().as_str(), "/download")?;
        self.client.transport.redirect_target(RequestSpec::new(http::Method::GET, path)).await
    }

    /// Streams the file's bytes into `out`; returns how many were written. The fresh URL comes
    /// from the stable download operation ([`Attachments::download_url`]) and is fetched without
    /// the key. A pending upload has no bytes yet: 404 `NOT_FOUND`.
    ///
    /// ```no_run
    /// # async fn run(client: deskapi::NextCapCrmClient) -> deskapi::Result<()> {
    /// let mut buf = Vec::new();
    /// client.attachments().download("ATTACHMENT_ID", &mut buf).await?;
    /// # Ok(()) }
    /// ```
    pub async fn download<W: AsyncWrite + Unpin>(&self, id: impl Into<AttachmentId>, out: &mut W) -> Result<u64> {
        let url = self.download_url(id).await?;
        let resp = self.client.transport.once(http::Method::GET, Target::Presigned(url), |r| r).await?;
        let mut body = resp.bytes_stream();
        let mut written = 0u64;
        while let Some(chunk) = body.next().await {
            let chunk = chunk.map_err(Error::Transport)?;
            out.write_all(&chunk).await.map_err(|e| Error::invalid("out", format!("could not write: {e}")))?;
            written += chunk.len() as u64;
        }
        out.flush().await.map_err(|e| Error::invalid("out", format!("could not write: {e}")))?;
        Ok(written)
    }

    /// Streams the file into a new file at `path` (replacing it); returns the bytes written.
    ///
    /// ```no_run
    /// # async fn run(client: deskapi::NextCapCrmClient) -> deskapi::Result<()> {
    /// client.attachments().download_to_path("ATTACHMENT_ID", "copy.pdf").await?;
    /// # Ok(()) }
    /// ```
    pub async fn download_to_path(&self, id: impl Into<AttachmentId>, path: impl Into<PathBuf>) -> Result<u64> {
        let path = path.into();
        let mut file = tokio::fs::File::create(&path)
            .await
            .map_err(|e| Error::invalid("path", format!("cannot create {}: {e}", path.display())))?;
        self.download(id, &mut file).await
    }

    /// Deletes an upload not linked to a ticket (a linked one is 409 `CONFLICT`).
    ///
    /// ```no_run
    /// # async fn run(client: deskapi::NextCapCrmClient) -> deskapi::Result<()> {
    /// client.attachments().delete("ATTACHMENT_ID").await?;
    /// # Ok(()) }
    /// ```
    #[doc(alias = "deleteCrmAttachment")]
    pub async fn delete(&self, id: impl Into<AttachmentId>) -> Result<DeletedAttachment> {
        let path = item_path("attachments", "id", id.into().as_str(), "")?;
        self.client.send(RequestSpec::new(http::Method::DELETE, path)).await
    }
}

impl Upload<'_> {
    /// The file name to record (default: the path's file name).
    pub fn filename(mut self, filename: impl Into<String>) -> Self {
        self.filename = Some(filename.into());
        self
    }

    /// The MIME type to record (default for a path: guessed from its extension).
    pub fn content_type(mut self, content_type: impl Into<String>) -> Self {
        self.content_type = Some(content_type.into());
        self
    }

    /// Calls `f(sent, total)` as the body goes out.
    pub fn progress(mut self, f: impl Fn(u64, u64) + Send + Sync + 'static) -> Self {
        self.progress = Some(Arc::new(f));
        self
    }

    /// Uploads through a presigned URL (presign, `PUT`, complete) instead of multipart.
    pub fn presigned(mut self) -> Self {
        self.presigned = true;
        self
    }

    /// The largest file to send, in bytes (default [`MAX_ATTACHMENT_BYTES`]); checked before
    /// sending. Raise it when the plan allows more.
    pub fn max_bytes(mut self, bytes: u64) -> Self {
        self.max_bytes = bytes;
        self
    }

    /// Uploads; returns the staged attachment.
    #[doc(alias = "uploadCrmAttachment")]
    pub async fn send(mut self) -> Result<AttachmentUpload> {
        let (filename, content_type, size, stream) = self.open().await?;
        if size > self.max_bytes {
            let max = self.max_bytes;
            return Err(Error::invalid("size", format!("the file has {size} bytes; the limit is {max}")));
        }
        let stream = with_progress(stream, size, self.progress.clone());
        let body = reqwest::Body::wrap_stream(stream);
        let attachments = Attachments { client: self.client };
        if self.presigned {
            let p = attachments.presign(&filename, &content_type, size).await?;
            let put = |r: reqwest::RequestBuilder| {
                r.header(http::header::CONTENT_TYPE, content_type.as_str())
                    .header(http::header::CONTENT_LENGTH, size)
                    .body(body)
            };
            self.client.transport.once(http::Method::PUT, Target::Presigned(p.upload_url), put).await?;
            return attachments.complete(p.attachment_id).await;
        }
        let part = reqwest::multipart::Part::stream_with_length(body, size)
            .file_name(filename)
            .mime_str(&content_type)
            .map_err(|_| Error::invalid("content_type", format!("{content_type:?} is not a MIME type")))?;
        let form = reqwest::multipart::Form::new().part("file", part);
        let spec = RequestSpec::new(http::Method::POST, "/external/crm/attachments");
        let resp = self.client.transport.once(spec.method, Target::Api(spec.path), |r| r.multipart(form)).await?;
        let status = resp.status().as_u16();
        let bytes = resp.bytes().await.map_err(Error::Transport)?;
        let env: crate::nextcap::envelope::Data<AttachmentUpload> = crate::core::decode::decode_json(status, &bytes)?;
        Ok(env.data)
    }

    /// The name, type, size and byte stream of the source.
    async fn open(&mut self) -> Result<(String, String, u64, BoxStream<'static, std::io::Result<Bytes>>)> {
        let source = std::mem::replace(&mut self.source, Source::Bytes(Bytes::new()));
        let (name, guessed, size, stream) = match source {
            Source::Path(path) => {
                let file = tokio::fs::File::open(&path)
                    .await
                    .map_err(|e| Error::invalid("path", format!("cannot open {}: {e}", path.display())))?;
                let size = file.metadata().await.map_err(|e| Error::invalid("path", e.to_string()))?.len();
                let name = path.file_name().map(|n| n.to_string_lossy().into_owned());
                let guessed = mime_guess::from_path(&path).first_or_octet_stream().to_string();
                (name, guessed, size, tokio_util::io::ReaderStream::with_capacity(file, CHUNK).boxed())
            }
            Source::Bytes(bytes) => {
                let size = bytes.len() as u64;
                let chunks =
                    (0..bytes.len()).step_by(CHUNK).map(move |i| Ok(bytes.slice(i..bytes.len().min(i + CHUNK))));
                (
                    None,
                    "application/octet-stream".to_owned(),
                    size,
                    futures::stream::iter(chunks.collect::<Vec<_>>()).boxed(),
                )
            }
            Source::Stream(size, stream) => (None, "application/octet-stream".to_owned(), size, stream),
        };
        let filename = self.filename.take().or(name).filter(|n| !n.trim().is_empty());
        let filename = filename.ok_or_else(|| Error::invalid("filename", "must not be empty"))?;
        let content_type = self.content_type.take().unwrap_or(guessed);
        Ok((filename, content_type, size, stream))
    }
}

/// The stream, reporting `(sent, total)` after each chunk.
fn with_progress(
    stream: BoxStream<'static, std::io::Result<Bytes>>,
    total: u64,
    progress: Option<Progress>,
) -> BoxStream<'static, std::io::Result<Bytes>> {
    let Some(progress) = progress else { return stream };
    let mut sent = 0u64;
    stream
        .map_ok(move |chunk| {
            sent += chunk.len() as u64;
            progress(sent, total);
            chunk
        })
        .boxed()
}
