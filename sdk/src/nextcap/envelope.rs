//! Next Cap's envelopes: `{data}` for one resource, `{data, meta:{page, per_page, total,
//! total_pages}}` for lists, and `{success:false, error:{code, message, details, retryAfter}}`
//! for errors. Both Next Cap APIs (Data and CRM) share them; only the key prefix differs.
//! A list without `meta` (the documented departments example has none) is read as one
//! complete page, so such lists still work with `.send()`, `.pages()` and `.stream()`.

use chrono::{DateTime, NaiveDate, SecondsFormat, Utc};
use http::HeaderName;
use serde::Deserialize;
use serde::de::DeserializeOwned;

use crate::ApiKind;
use crate::core::decode::decode_json;
use crate::core::error::{ApiError, Error, FieldError, Result};
use crate::core::flavor::{ApiFlavor, check_prefix};
use crate::core::pagination::{NextPage, Page, PageStyle, PageToken};
use crate::core::secret::ApiKey;

/// The documented base URL of both Next Cap APIs.
pub const NEXTCAP_BASE_URL: &str = "https://api.nextcap.ai/api/v1";

pub(crate) struct NextCapFlavor {
    kind: ApiKind,
    prefix: &'static str,
    name: &'static str,
}

pub(crate) static DATA: NextCapFlavor =
    NextCapFlavor { kind: ApiKind::NextCapData, prefix: "sk_live_", name: "Next Cap Data API" };
pub(crate) static CRM: NextCapFlavor =
    NextCapFlavor { kind: ApiKind::NextCapCrm, prefix: "nextcap_ck_", name: "Next Cap CRM" };

impl ApiFlavor for NextCapFlavor {
    fn kind(&self) -> ApiKind {
        self.kind
    }
    fn default_base_url(&self) -> Option<&'static str> {
        Some(NEXTCAP_BASE_URL)
    }
    fn check_key(&self, key: &ApiKey) -> Result<()> {
        check_prefix(key, self.prefix, self.name)
    }
    fn auth_header(&self, key: &ApiKey) -> (HeaderName, String) {
        (HeaderName::from_static("x-api-key"), key.expose().to_owned())
    }
    fn decode_error(&self, mut base: ApiError) -> ApiError {
        #[derive(Deserialize)]
        struct Envelope {
            error: Body,
        }
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Body {
            Full {
                code: Option<String>,
                message: Option<String>,
                #[serde(default)]
                details: Option<Vec<Detail>>,
                // Any JSON value: a hint of the wrong type must not hide the message.
                #[serde(rename = "retryAfter")]
                retry_after: Option<serde_json::Value>,
            },
            Text(String),
        }
        #[derive(Deserialize)]
        struct Detail {
            #[serde(default)]
            field: String,
            #[serde(default)]
            message: String,
        }
        match serde_json::from_str::<Envelope>(&base.body).map(|e| e.error) {
            Ok(Body::Full { code, message, details, retry_after }) => {
                base.code = code;
                if let Some(m) = message {
                    base.message = m;
                }
                base.details = details
                    .unwrap_or_default()
                    .into_iter()
                    .map(|d| FieldError { field: d.field, message: d.message })
                    .collect();
                if base.retry_after.is_none() {
                    base.retry_after = retry_after
                        .and_then(|v| v.as_f64().or_else(|| v.as_str()?.trim().parse().ok()))
                        .and_then(crate::core::hints::seconds);
                }
            }
            Ok(Body::Text(m)) => base.message = m,
            Err(_) => {}
        }
        base
    }
}

/// Pagination metadata of a Next Cap list.
#[derive(Clone, Debug, Deserialize, PartialEq, Eq)]
#[non_exhaustive]
pub struct PageMeta {
    /// This page's number (1-based).
    pub page: u32,
    /// Items per page.
    pub per_page: u32,
    /// Items matching the filters, over all pages.
    pub total: u64,
    /// Number of pages.
    pub total_pages: u32,
}

/// Next Cap's page-number envelope.
#[derive(Debug)]
pub enum NextCapPages {}

impl PageStyle for NextCapPages {
    type Meta = PageMeta;

    fn decode<T: DeserializeOwned>(status: u16, body: &[u8]) -> Result<Page<T, PageMeta>> {
        #[derive(Deserialize)]
        #[serde(bound = "T: DeserializeOwned")]
        struct List<T> {
            data: Vec<T>,
            meta: Option<PageMeta>,
        }
        let list: List<T> = decode_json(status, body)?;
        // Some lists (departments, webhooks) come whole, without `meta`: one complete page.
        let meta = list.meta.unwrap_or_else(|| {
            let n = u32::try_from(list.data.len()).unwrap_or(u32::MAX);
            PageMeta { page: 1, per_page: n, total: u64::from(n), total_pages: 1 }
        });
        Ok(Page::new(list.data, meta))
    }

    fn token_query(token: &PageToken) -> Option<(&'static str, String)> {
        match token {
            PageToken::Number(n) => Some(("page", n.to_string())),
            _ => None,
        }
    }

    fn position(meta: &PageMeta) -> Option<u32> {
        Some(meta.page)
    }

    const SNAPSHOT_FILTER: Option<&'static str> = Some("created_before");

    fn next(meta: &PageMeta) -> NextPage {
        if meta.page < meta.total_pages {
            NextPage::Number { next: meta.page + 1, last: meta.total_pages }
        } else {
            NextPage::End
        }
    }
}

/// `{"data": ...}` around a single resource.
#[derive(Deserialize)]
#[serde(bound = "T: DeserializeOwned")]
pub(crate) struct Data<T> {
    pub data: T,
}

/// Sends `spec` and unwraps the `{data}` envelope of the answer: what every single-resource
/// call of both Next Cap clients (Data and CRM) does.
pub(crate) async fn send_data<T: DeserializeOwned>(
    transport: &crate::core::transport::Transport,
    spec: crate::core::transport::RequestSpec,
) -> Result<T> {
    let env: Data<T> = transport.json(spec).await?;
    Ok(env.data)
}

/// A date filter bound: a whole day or an exact instant (both are ISO 8601 on the wire).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DateBound {
    /// A calendar date, sent as `YYYY-MM-DD`.
    Date(NaiveDate),
    /// An instant, sent as RFC 3339 in UTC.
    Instant(DateTime<Utc>),
}

impl DateBound {
    fn as_instant(&self) -> DateTime<Utc> {
        match self {
            DateBound::Date(d) => d.and_hms_opt(0, 0, 0).unwrap_or_default().and_utc(),
            DateBound::Instant(t) => *t,
        }
    }
    fn wire(&self) -> String {
        match self {
            DateBound::Date(d) => d.format("%Y-%m-%d").to_string(),
            DateBound::Instant(t) => t.to_rfc3339_opts(SecondsFormat::Millis, true),
        }
    }
}

impl From<NaiveDate> for DateBound {
    fn from(d: NaiveDate) -> Self {
        DateBound::Date(d)
    }
}

impl From<DateTime<Utc>> for DateBound {
    fn from(t: DateTime<Utc>) -> Self {
        DateBound::Instant(t)
    }
}

/// The filters every Next Cap list takes: page size and creation window.
#[derive(Clone, Debug, Default, serde::Serialize)]
#[non_exhaustive]
pub struct ListWindow {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) per_page: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) created_after: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) created_before: Option<String>,
    #[serde(skip)]
    bounds: (Option<DateTime<Utc>>, Option<DateTime<Utc>>),
}

impl ListWindow {
    pub(crate) fn set_after(&mut self, b: DateBound) {
        self.created_after = Some(b.wire());
        self.bounds.0 = Some(b.as_instant());
    }
    pub(crate) fn set_before(&mut self, b: DateBound) {
        self.created_before = Some(b.wire());
        self.bounds.1 = Some(b.as_instant());
    }
    pub(crate) fn validate(&self) -> Result<()> {
        crate::core::validate::in_range("per_page", self.per_page, 1..=100)?;
        if let (Some(a), Some(b)) = self.bounds
            && b <= a
        {
            return Err(Error::invalid("created_before", "must be later than created_after"));
        }
        Ok(())
    }
}

/// Implemented by every Next Cap list's filters, giving them the shared setters.
pub trait NextCapList: crate::core::pagination::ListParams<Style = NextCapPages> {
    #[doc(hidden)]
    fn window(&mut self) -> &mut ListWindow;
}

impl<P: NextCapList> crate::ListRequest<P> {
    /// Items per page, 1-100 (the API's default is 20).
    pub fn per_page(mut self, n: u32) -> Self {
        self.params.window().per_page = Some(n);
        self
    }
    /// Only items created after this date or instant.
    pub fn created_after(mut self, bound: impl Into<DateBound>) -> Self {
        self.params.window().set_after(bound.into());
        self
    }
    /// Only items created before this date or instant.
    pub fn created_before(mut self, bound: impl Into<DateBound>) -> Self {
        self.params.window().set_before(bound.into());
        self
    }
}
