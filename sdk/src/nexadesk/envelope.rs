//! NexaDesk's envelopes: `{success, data}` for one resource, `{success, data:[...],
//! pagination:{has_more, next_cursor, total_count, limit}}` for lists, and
//! `{success:false, error:"<message>"}` for errors (a plain string, no code).

use http::HeaderName;
use serde::Deserialize;
use serde::de::DeserializeOwned;

use crate::ApiKind;
use crate::core::decode::decode_json;
use crate::core::error::{ApiError, Result};
use crate::core::flavor::{ApiFlavor, check_prefix};
use crate::core::pagination::{NextPage, Page, PageStyle, PageToken};
use crate::core::secret::ApiKey;
use crate::core::transport::RequestSpec;

/// The documented base URL of the NexaDesk API.
pub const NEXADESK_BASE_URL: &str = "https://chats.nexadesk.ai/api/v1/external";

pub(crate) struct NexaDeskFlavor;

impl ApiFlavor for NexaDeskFlavor {
    fn kind(&self) -> ApiKind {
        ApiKind::NexaDesk
    }
    fn default_base_url(&self) -> Option<&'static str> {
        Some(NEXADESK_BASE_URL)
    }
    fn check_key(&self, key: &ApiKey) -> Result<()> {
        check_prefix(key, "fc_live_", "NexaDesk")
    }
    fn auth_header(&self, key: &ApiKey) -> (HeaderName, String) {
        (http::header::AUTHORIZATION, format!("Bearer {}", key.expose()))
    }
    fn decode_error(&self, mut base: ApiError) -> ApiError {
        #[derive(Deserialize)]
        struct Envelope {
            error: String,
        }
        if let Ok(e) = serde_json::from_str::<Envelope>(&base.body) {
            base.message = e.error;
        }
        base
    }
}

/// `{"success": true, "data": ...}` around one resource.
#[derive(Debug, Deserialize)]
pub(crate) struct Single<T> {
    pub data: T,
}

/// `data` of a delete: `{"deleted": true, "id": "..."}`.
#[derive(Debug, Deserialize)]
pub(crate) struct Deleted {
    pub id: String,
}

/// `GET {path}?id=`: the single-resource read of a list operation. A helper rather than
/// inline so the list method stays the one SDK method the contract check maps to the
/// operation both share.
pub(crate) async fn get_by_id<T: DeserializeOwned>(
    client: &super::NexaDeskClient,
    path: &str,
    id: &str,
) -> Result<Single<T>> {
    client.transport.json::<Single<T>>(with_id(http::Method::GET, path, id)?).await
}

/// `{method} {path}?id=`: the API's single-resource request style (read, update, delete), the
/// id checked before anything is sent.
pub(crate) fn with_id(method: http::Method, path: &str, id: &str) -> Result<RequestSpec> {
    super::limits::id("id", id)?;
    RequestSpec::new(method, path).query(&[("id", id)])
}

/// Pagination metadata of a NexaDesk list.
#[derive(Clone, Debug, Deserialize, PartialEq, Eq)]
#[non_exhaustive]
pub struct CursorMeta {
    /// Whether another page follows.
    pub has_more: bool,
    /// The cursor of the next page (`None` on the last page).
    pub next_cursor: Option<String>,
    /// Items matching the filters, over all pages.
    pub total_count: Option<u64>,
    /// Page size used.
    pub limit: u32,
}

/// NexaDesk's cursor envelope.
#[derive(Debug)]
pub enum NexaDeskCursor {}

impl PageStyle for NexaDeskCursor {
    type Meta = CursorMeta;

    fn decode<T: DeserializeOwned>(status: u16, body: &[u8]) -> Result<Page<T, CursorMeta>> {
        #[derive(Deserialize)]
        #[serde(bound = "T: DeserializeOwned")]
        struct List<T> {
            data: Vec<T>,
            pagination: CursorMeta,
        }
        let list: List<T> = decode_json(status, body)?;
        Ok(Page::new(list.data, list.pagination))
    }

    fn token_query(token: &PageToken) -> Option<(&'static str, String)> {
        match token {
            PageToken::Cursor(c) => Some(("cursor", c.clone())),
            // The documented offset fallback, for starting at a given page.
            PageToken::Number(n) => Some(("page", n.to_string())),
            _ => None,
        }
    }

    fn next(meta: &CursorMeta) -> NextPage {
        match (&meta.next_cursor, meta.has_more) {
            (Some(c), true) => NextPage::Cursor(c.clone()),
            // More promised without a cursor: an empty one makes the walk report it.
            (None, true) => NextPage::Cursor(String::new()),
            (_, false) => NextPage::End,
        }
    }
}
