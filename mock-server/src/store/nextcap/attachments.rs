//! CRM attachments: the organisation's uploaded files, their bytes held in memory, and the rules
//! of the document's "Attachments" section (nextcap-crm-integration.txt).
//!
//! An upload is `pending` after a presign until its bytes arrive and it is completed,
//! `uploaded` (staged) after a direct upload or a completion, and `linked` once a ticket reply
//! names it. An unlinked upload lives [`STAGING`] (24 hours) from its creation by the mock's
//! clock: past that it is as absent as an unknown id everywhere, and the next write purges it.
//! Every lookup takes `now` for that reason instead of reading a clock itself.
//!
//! The bytes are [`Bytes`], so the copy-on-write store clones them by reference count. Access is
//! structural: [`Attachments`] and [`AttachmentsMut`] are bound to one organisation, so another
//! organisation's id is simply not found. The presigned PUT, which carries no key, reaches a row
//! by id through [`NextCapStore::pending_upload`] and [`NextCapStore::store_upload`]: its
//! signature, checked before, is what authorises it.

use bytes::Bytes;
use chrono::{DateTime, Duration, Utc};
use serde_json::{Value, json};
use uuid::Uuid;

use super::NextCapStore;
use crate::{events::random_uuid, time_fmt};

/// How long an unlinked upload is kept (the document: "Files uploaded here sit in a staging area
/// for 24h").
pub const STAGING: Duration = Duration::hours(24);

/// Where an upload is in its life.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AttachmentStatus {
    /// Presigned; waiting for its bytes and completion.
    Pending,
    /// Staged: its bytes are here, no ticket names it yet.
    Uploaded,
    /// Named by a ticket reply; kept for good.
    Linked,
}

impl AttachmentStatus {
    /// The contract's wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            AttachmentStatus::Pending => "pending",
            AttachmentStatus::Uploaded => "uploaded",
            AttachmentStatus::Linked => "linked",
        }
    }
}

/// One uploaded (or announced) file.
#[derive(Clone, Debug)]
pub struct Attachment {
    /// Its id (`attachment_id`).
    pub id: Uuid,
    /// The organisation it belongs to.
    pub org_id: Uuid,
    /// The original file name.
    pub filename: String,
    /// Its MIME type, as uploaded or declared.
    pub content_type: String,
    /// Its size in bytes (declared, for a pending upload).
    pub size: u64,
    /// Its state.
    pub status: AttachmentStatus,
    /// The ticket a reply linked it to.
    pub ticket_id: Option<Uuid>,
    /// When it was created (upload or presign), by the mock's clock.
    pub created_at: DateTime<Utc>,
    /// Its bytes; `None` until a presigned PUT delivers them.
    pub bytes: Option<Bytes>,
}

impl Attachment {
    /// When an unlinked upload is purged; `None` once linked.
    pub fn expires_at(&self) -> Option<DateTime<Utc>> {
        (self.status != AttachmentStatus::Linked).then(|| self.created_at + STAGING)
    }

    /// Whether it still exists at `now`.
    pub fn is_live(&self, now: DateTime<Utc>) -> bool {
        self.expires_at().is_none_or(|at| now < at)
    }

    /// The contract's `AttachmentUpload`, with the download URL (and its expiry) the caller
    /// signed, `None` while pending.
    pub fn to_json(&self, download: Option<(String, DateTime<Utc>)>) -> Value {
        let (url, url_expires) = download.map_or((None, None), |(u, at)| (Some(u), Some(time_fmt::millis_string(&at))));
        json!({
            "id": self.id,
            "filename": self.filename,
            "content_type": self.content_type,
            "size": self.size,
            "status": self.status.as_str(),
            "ticket_id": self.ticket_id,
            "download_url": url,
            "download_url_expires_at": url_expires,
            "expires_at": self.expires_at().map(|at| time_fmt::millis_string(&at)),
            "created_at": time_fmt::millis_string(&self.created_at),
        })
    }

    /// The entry a ticket's `attachments[]` shows (the contract's `Attachment`); the download URL
    /// is left null here and signed fresh whenever the ticket is read.
    pub fn ticket_entry(&self) -> Value {
        json!({
            "id": self.id,
            "filename": self.filename,
            "content_type": self.content_type,
            "size": self.size,
            "download_url": null,
            "download_url_expires_at": null,
            "created_at": time_fmt::millis_string(&self.created_at),
        })
    }
}

/// Why an attachment operation is refused.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum AttachmentError {
    /// Unknown, another organisation's, expired or deleted: 404.
    Missing,
    /// The request does not fit the upload (size mismatch, an id that cannot be linked): 400.
    Invalid {
        /// The field at fault.
        field: &'static str,
        /// What is wrong.
        message: String,
    },
    /// The upload's state forbids it (nothing uploaded yet, already linked): 409.
    Conflict(String),
}

/// A new file as it arrives.
#[derive(Clone, Debug)]
pub struct NewUpload {
    /// File name.
    pub filename: String,
    /// MIME type.
    pub content_type: String,
    /// Declared size (presign) in bytes; a direct upload's is its bytes' length.
    pub size: u64,
    /// The bytes, for a direct upload.
    pub bytes: Option<Bytes>,
}

/// One organisation's attachments, read-only.
#[derive(Clone, Copy, Debug)]
pub struct Attachments<'a> {
    pub(in crate::store) store: &'a NextCapStore,
    pub(in crate::store) org: Uuid,
}

impl<'a> Attachments<'a> {
    /// The organisation's live attachment `id`.
    pub fn get(&self, id: Uuid, now: DateTime<Utc>) -> Result<&'a Attachment, AttachmentError> {
        self.store
            .attachments
            .iter()
            .find(|a| a.id == id && a.org_id == self.org && a.is_live(now))
            .ok_or(AttachmentError::Missing)
    }
}

/// One organisation's attachments, for writing.
#[derive(Debug)]
pub struct AttachmentsMut<'a> {
    pub(in crate::store) store: &'a mut NextCapStore,
    pub(in crate::store) org: Uuid,
}

impl AttachmentsMut<'_> {
    fn read(&self) -> Attachments<'_> {
        Attachments { store: self.store, org: self.org }
    }

    fn row_mut(&mut self, id: Uuid) -> &mut Attachment {
        // Callers found the row through `read().get` first, so the lookup cannot miss.
        let index = self.store.attachments.iter().position(|a| a.id == id).unwrap_or(0);
        &mut self.store.attachments[index]
    }

    /// Stores a new upload: `uploaded` when it has its bytes, `pending` (a presign) otherwise.
    pub fn create(&mut self, new: NewUpload, now: DateTime<Utc>) -> Attachment {
        self.store.purge_expired(now);
        let status = if new.bytes.is_some() { AttachmentStatus::Uploaded } else { AttachmentStatus::Pending };
        let row = Attachment {
            id: random_uuid(),
            org_id: self.org,
            filename: new.filename,
            content_type: new.content_type,
            size: new.size,
            status,
            ticket_id: None,
            created_at: now,
            bytes: new.bytes,
        };
        self.store.attachments.push(row.clone());
        row
    }

    /// Completes a presigned upload: 409 when no bytes arrived yet, 400 when their size is not
    /// the declared one; a completed or linked upload is returned unchanged.
    pub fn complete(&mut self, id: Uuid, now: DateTime<Utc>) -> Result<Attachment, AttachmentError> {
        let row = self.read().get(id, now)?;
        if row.status != AttachmentStatus::Pending {
            return Ok(row.clone());
        }
        let Some(bytes) = &row.bytes else {
            return Err(AttachmentError::Conflict(
                "nothing has been uploaded to this attachment's upload_url yet".into(),
            ));
        };
        if bytes.len() as u64 != row.size {
            let message = format!("the uploaded file has {} bytes, but {} were declared", bytes.len(), row.size);
            return Err(AttachmentError::Invalid { field: "size", message });
        }
        let row = self.row_mut(id);
        row.status = AttachmentStatus::Uploaded;
        Ok(row.clone())
    }

    /// Deletes an unlinked upload; a linked one is 409.
    pub fn delete(&mut self, id: Uuid, now: DateTime<Utc>) -> Result<Attachment, AttachmentError> {
        let row = self.read().get(id, now)?;
        if row.status == AttachmentStatus::Linked {
            return Err(AttachmentError::Conflict("the attachment is linked to a ticket and cannot be deleted".into()));
        }
        let row = row.clone();
        self.store.attachments.retain(|a| a.id != id);
        Ok(row)
    }

    /// Checks that every id names a staged upload of the organisation (400 naming the first that
    /// does not), then links them all to `ticket`, returning them in the given order.
    pub fn link(&mut self, ids: &[Uuid], ticket: Uuid, now: DateTime<Utc>) -> Result<Vec<Attachment>, AttachmentError> {
        let invalid = |id: Uuid, why: &str| AttachmentError::Invalid {
            field: "attachment_ids",
            message: format!("attachment {id} {why}"),
        };
        for &id in ids {
            match self.read().get(id, now) {
                Err(_) => return Err(invalid(id, "does not exist (unknown, expired or another organisation's)")),
                Ok(a) if a.status == AttachmentStatus::Pending => return Err(invalid(id, "is not completed yet")),
                Ok(a) if a.status == AttachmentStatus::Linked => return Err(invalid(id, "is already linked")),
                Ok(_) => {}
            }
        }
        self.store.purge_expired(now);
        Ok(ids
            .iter()
            .map(|&id| {
                let row = self.row_mut(id);
                (row.status, row.ticket_id) = (AttachmentStatus::Linked, Some(ticket));
                row.clone()
            })
            .collect())
    }
}

impl NextCapStore {
    /// The attachments of organisation `org`.
    pub fn attachments(&self, org: Uuid) -> Attachments<'_> {
        Attachments { store: self, org }
    }

    /// The attachments of organisation `org`, for writing.
    pub fn attachments_mut(&mut self, org: Uuid) -> AttachmentsMut<'_> {
        AttachmentsMut { store: self, org }
    }

    /// Any organisation's live attachment by id, for the presigned URLs (authorised by their
    /// signature, not a key).
    pub fn stored_attachment(&self, id: Uuid, now: DateTime<Utc>) -> Option<&Attachment> {
        self.attachments.iter().find(|a| a.id == id && a.is_live(now))
    }

    /// A live pending upload by id, waiting for its presigned PUT.
    pub fn pending_upload(&self, id: Uuid, now: DateTime<Utc>) -> Option<&Attachment> {
        self.stored_attachment(id, now).filter(|a| a.status == AttachmentStatus::Pending)
    }

    /// Stores the bytes of a presigned PUT (replacing an earlier PUT's, as object stores do);
    /// false when the upload is no longer pending.
    pub fn store_upload(&mut self, id: Uuid, bytes: Bytes, now: DateTime<Utc>) -> bool {
        let pending = self.pending_upload(id, now).is_some();
        if let Some(row) = self.attachments.iter_mut().find(|a| a.id == id).filter(|_| pending) {
            row.bytes = Some(bytes);
        }
        pending
    }

    /// Drops the unlinked uploads whose staging ended.
    fn purge_expired(&mut self, now: DateTime<Utc>) {
        self.attachments.retain(|a| a.is_live(now));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn upload(bytes: Option<&'static [u8]>, size: u64) -> NewUpload {
        NewUpload {
            filename: "a.txt".into(),
            content_type: "text/plain".into(),
            size,
            bytes: bytes.map(Bytes::from_static),
        }
    }

    #[test]
    fn staging_ends_after_a_day_unless_linked() {
        let mut store = NextCapStore::default();
        let (org, now) = (random_uuid(), Utc::now());
        let a = store.attachments_mut(org).create(upload(Some(b"abc"), 3), now);
        let b = store.attachments_mut(org).create(upload(Some(b"abc"), 3), now);
        let ticket = random_uuid();
        store.attachments_mut(org).link(&[b.id], ticket, now).expect("staged uploads link");
        let later = now + STAGING;
        assert_eq!(store.attachments(org).get(a.id, later).map(|a| a.id), Err(AttachmentError::Missing));
        assert_eq!(store.attachments(org).get(b.id, later).map(|a| a.ticket_id), Ok(Some(ticket)));
        assert!(store.attachments(random_uuid()).get(b.id, now).is_err(), "another organisation's");
    }

    #[test]
    fn complete_needs_the_declared_bytes() {
        let mut store = NextCapStore::default();
        let (org, now) = (random_uuid(), Utc::now());
        let p = store.attachments_mut(org).create(upload(None, 3), now);
        assert!(matches!(store.attachments_mut(org).complete(p.id, now), Err(AttachmentError::Conflict(_))));
        assert!(store.store_upload(p.id, Bytes::from_static(b"ab"), now));
        assert!(matches!(store.attachments_mut(org).complete(p.id, now), Err(AttachmentError::Invalid { .. })));
        assert!(store.store_upload(p.id, Bytes::from_static(b"abc"), now));
        let done = store.attachments_mut(org).complete(p.id, now).expect("size matches");
        assert_eq!(done.status, AttachmentStatus::Uploaded);
        assert!(!store.store_upload(p.id, Bytes::from_static(b"xyz"), now), "no longer pending");
    }
}
