//! `deskapi-mock`: an in-process and standalone mock of the Next Cap, NexaDesk and Desk Hive
//! APIs, faithful enough that the `deskapi` SDK's tests can meet every documented rule
//! (auth, envelopes, pagination, rate limits, Origin blocking) without a network.
//!
//! ```no_run
//! # async fn demo() {
//! let server = deskapi_mock::MockServer::start().await;
//! let leads_url = format!("{}/external/leads", server.nextcap_url());
//! let key = &server.keys().nextcap_data;
//! // ... point a client at `leads_url` with `X-Api-Key: {key}` ...
//! # let _ = (leads_url, key);
//! # }
//! ```
//!
//! # Layout
//!
//! Every request flows one way, and every module owns one step of that flow:
//!
//! ```text
//! TCP -> server (MockServer, axum::serve)
//!     -> app(): one sub-router per API, mounted under its prefix  (api)
//!     -> pipeline: origin check -> auth -> rate limit -> journal -> faults
//!        (pipeline, auth, ratelimit, journal, fault)
//!     -> handler (nextcap, nexadesk, deskhive: route table + handlers + error envelope)
//!     -> Store (store, built by fixtures from the seed), behind the one lock in state
//!     -> side effects -> event bus -> webhook deliverer -> delivery log      (webhooks)
//! ```
//!
//! - [`api`]: the API enum, the route-table type and `app()` that assembles the routers.
//! - [`query`]: query-string parsing into typed values with per-field errors; [`body`]: the
//!   same for JSON bodies.
//! - [`webhooks`]: events, the bus to the background deliverer, signing, retries, the log.
//! - [`nextcap::actions`]: what visitors do (leads, chats, tickets, call-backs), as control
//!   routes and as [`MockServer::nextcap`] methods, firing the webhooks.
//! - [`control`]: the `/__mock/...` control API (same operations as [`MockServer`] methods).
//! - [`time_fmt`]: the timestamp formats the APIs use on the wire.
//! - [`encode`]: JSON response bodies encoded in one pass into one pre-sized buffer.
//!
//! Adding an endpoint to an API means adding one line to that API's route table and one
//! handler; the pipeline, the journal's operationId and the error envelopes come for free.

pub mod api;
pub mod auth;
pub mod body;
pub mod control;
pub mod deskhive;
pub mod encode;
pub mod fault;
pub mod fixtures;
pub mod journal;
pub mod keys;
pub mod nexadesk;
pub mod nextcap;
pub mod pipeline;
pub mod query;
pub mod ratelimit;
pub mod server;
pub mod state;
pub mod store;
pub mod time_fmt;
pub mod webhooks;

pub use api::{Api, app};
pub use fault::Fault;
pub use journal::JournalEntry;
pub use keys::{DemoKeys, KeyInfo};
pub use ratelimit::RateLimitSetting;
pub use server::{MockServer, MockServerBuilder};
pub use state::{AppState, Config};
pub use webhooks::{DeliveryAttempt, WebhookRetry};
