//! # deskapi
//!
//! A typed async client for the CRM and help-desk APIs of three chat-support products:
//! **Next Cap** (External Data API and CRM Integration API), **NexaDesk** and **Desk Hive**.
//!
//! ```no_run
//! use futures::TryStreamExt;
//!
//! # #[cfg(feature = "nextcap")]
//! # async fn run() -> deskapi::Result<()> {
//! let nextcap = deskapi::NextCapDataClient::new("sk_live_YOUR_KEY")?;
//! // Every lead, page after page, with the next pages fetched while you work.
//! let mut leads = nextcap.leads().list().per_page(100).stream();
//! while let Some(lead) = leads.try_next().await? {
//!     println!("{:?} {:?}", lead.name, lead.email);
//! }
//! # Ok(()) }
//! ```
//!
//! # Layout
//! - [`core`](crate::ListRequest) (private module, public types re-exported here): the transport
//!   (auth header, rate limiter, retries with backoff and a total deadline, tracing), the generic
//!   paginator and the one [`Error`] type. It knows no API.
//! - [`nextcap`], [`nexadesk`], [`deskhive`]: one module per API, each with its client, its
//!   envelope (how lists, single resources and errors look) and its endpoints and models.
//!   Next Cap has two APIs: `nextcap::data` and `nextcap::crm` hold each one's client and
//!   endpoint handles, and the models they share are re-exported once from `nextcap`.
//! - [`ApiKind`]: which API a client or an error belongs to, with the facts about each API
//!   (name, key prefix, client type) that `core` asks for instead of naming the APIs.
//!
//! # Behaviour every client shares
//! - **Keys** are checked when the client is built (prefix, header-safety) and kept in an
//!   [`ApiKey`], whose `Debug` never shows the key.
//! - **Rate limits**: the `X-RateLimit-*` headers are read; when the window is spent the client
//!   waits for the reset instead of being refused; a 429 is waited out (`Retry-After`, the body's
//!   `retryAfter`, or the reset) and retried. The window is shared per key by all clones and tasks.
//! - **Retries**: 5xx, timeouts and connection errors are retried with exponential backoff and
//!   jitter, for idempotent methods only (GET, PUT, DELETE); never POST or PATCH.
//! - **Lists**: `.send()` (one page and its metadata), `.pages()`, `.stream()` (every item).
//! - **Invalid arguments** fail with [`Error::InvalidArgument`] before anything is sent.
#![warn(missing_docs)]

mod api_kind;
// `core` serves every API; with only some API features on, the helpers only the others use
// (integer IDs, path segments, JSON bodies, ...) go unused. The full build (every feature, as
// in CI's clippy run) still reports dead code in `core`.
#[cfg_attr(
    not(all(feature = "nextcap", feature = "nexadesk", feature = "deskhive")),
    allow(dead_code, unused_macros, unused_imports)
)]
pub(crate) mod core;

#[cfg(feature = "deskhive")]
pub mod deskhive;
#[cfg(feature = "nexadesk")]
pub mod nexadesk;
#[cfg(feature = "nextcap")]
pub mod nextcap;

pub use crate::api_kind::ApiKind;
pub use crate::core::client::ClientBuilder;
pub use crate::core::config::{DEFAULT_READ_AHEAD, RetryPolicy};
pub use crate::core::error::{ApiError, DecodeError, Error, FieldError, Result};
pub use crate::core::pagination::{Items, ListParams, ListRequest, NextPage, Page, PageStyle, PageToken, Pages};
pub use crate::core::secret::ApiKey;
pub use crate::core::validate::Known;

#[cfg(feature = "deskhive")]
pub use deskhive::DeskHiveClient;
#[cfg(feature = "nexadesk")]
pub use nexadesk::NexaDeskClient;
#[cfg(feature = "nextcap")]
pub use nextcap::{NextCapCrmClient, NextCapDataClient};

/// The README's examples, compiled as doctests so they cannot drift from the API.
/// They use every API, so they are compiled only when every API feature is on.
#[doc = include_str!("../../README.md")]
#[cfg(all(doctest, feature = "nextcap", feature = "nexadesk", feature = "deskhive", feature = "chat"))]
pub struct ReadmeDoctests;
