//! The attachment model: a file on a message or a ticket event. The CRM Integration API
//! uploads them and the Data API returns them, so the type is shared.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::core::macros::string_id;

string_id!(
    /// An attachment's ID.
    AttachmentId
);

/// A file attached to a message or a ticket event.
#[derive(Clone, Debug, Deserialize, Serialize, PartialEq, Eq)]
#[non_exhaustive]
pub struct Attachment {
    /// The attachment's ID.
    pub id: AttachmentId,
    /// The file name as uploaded.
    pub filename: String,
    /// MIME type, e.g. `image/png`.
    pub content_type: String,
    /// Size in bytes.
    pub size: u64,
    /// A presigned download URL, valid for 24 hours.
    pub download_url: Option<String>,
    /// When `download_url` stops working.
    pub download_url_expires_at: Option<DateTime<Utc>>,
    /// When the file was attached.
    pub created_at: DateTime<Utc>,
}
