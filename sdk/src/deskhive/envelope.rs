//! Desk Hive's envelopes (a Laravel application): lists are `{data:[...], meta:{current_page,
//! last_page, per_page, total}}`; errors are flat `{message}` with `errors: {field: [..]}` on 422.

use http::HeaderName;
use serde::Deserialize;
use serde::de::DeserializeOwned;

use crate::ApiKind;
use crate::core::decode::decode_json;
use crate::core::error::{ApiError, FieldError, Result};
use crate::core::flavor::{ApiFlavor, check_prefix};
use crate::core::pagination::{NextPage, Page, PageStyle, PageToken};
use crate::core::secret::ApiKey;

pub(crate) struct DeskHiveFlavor;

impl ApiFlavor for DeskHiveFlavor {
    fn kind(&self) -> ApiKind {
        ApiKind::DeskHive
    }
    fn default_base_url(&self) -> Option<&'static str> {
        None
    }
    fn check_key(&self, key: &ApiKey) -> Result<()> {
        // The key format is not documented: only its presence and header-safety are checked.
        check_prefix(key, "", "Desk Hive")
    }
    fn auth_header(&self, key: &ApiKey) -> (HeaderName, String) {
        (HeaderName::from_static("x-api-key"), key.expose().to_owned())
    }
    fn decode_error(&self, mut base: ApiError) -> ApiError {
        #[derive(Deserialize)]
        struct Envelope {
            message: Option<String>,
            #[serde(default)]
            errors: std::collections::BTreeMap<String, Vec<String>>,
        }
        if let Ok(e) = serde_json::from_str::<Envelope>(&base.body) {
            if let Some(m) = e.message {
                base.message = m;
            }
            base.details = e
                .errors
                .into_iter()
                .flat_map(|(field, msgs)| {
                    msgs.into_iter().map(move |message| FieldError { field: field.clone(), message })
                })
                .collect();
        }
        base
    }
}

/// Pagination metadata of a Desk Hive list.
#[derive(Clone, Debug, Deserialize, PartialEq, Eq)]
#[non_exhaustive]
pub struct LaravelMeta {
    /// This page's number (1-based).
    pub current_page: u32,
    /// The last page's number.
    pub last_page: u32,
    /// Items per page.
    pub per_page: u32,
    /// Items over all pages.
    pub total: u64,
}

/// Desk Hive's Laravel page envelope.
#[derive(Debug)]
pub enum LaravelPages {}

impl PageStyle for LaravelPages {
    type Meta = LaravelMeta;

    fn decode<T: DeserializeOwned>(status: u16, body: &[u8]) -> Result<Page<T, LaravelMeta>> {
        #[derive(Deserialize)]
        #[serde(bound = "T: DeserializeOwned")]
        struct List<T> {
            data: Vec<T>,
            meta: LaravelMeta,
        }
        let list: List<T> = decode_json(status, body)?;
        Ok(Page::new(list.data, list.meta))
    }

    fn token_query(token: &PageToken) -> Option<(&'static str, String)> {
        match token {
            PageToken::Number(n) => Some(("page", n.to_string())),
            _ => None,
        }
    }

    fn position(meta: &LaravelMeta) -> Option<u32> {
        Some(meta.current_page)
    }

    fn next(meta: &LaravelMeta) -> NextPage {
        if meta.current_page < meta.last_page {
            NextPage::Number { next: meta.current_page + 1, last: meta.last_page }
        } else {
            NextPage::End
        }
    }
}

/// `{"data": ...}`: a Laravel API resource (one ticket, a reply, an unpaginated collection).
#[derive(Deserialize)]
pub(crate) struct Data<T> {
    pub(crate) data: T,
}

/// `{"status": true, "data": ...}`: the dashboard, the profile, counters and like states.
/// `status` is not checked: an error arrives with an error status and is decoded as one.
#[derive(Deserialize)]
pub(crate) struct StatusData<T> {
    pub(crate) data: T,
}
