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
//!     -> app: one router; every API route at its full path (mount point included), each
//!        wrapped in the pipeline; unmatched paths to their API's 404 by mount point;
//!        /socket.io/ to live chat; control API at /__mock
//!     -> pipeline: origin check -> auth (key family, route permissions) -> rate limit
//!        -> faults -> handler -> journal; refusals rendered by the API's own renderer
//!     -> handler (extractors give the tenant view, path id, body, list query; list pages
//!        are cached per tenant and request-target until the store changes)
//!     -> store (tenant-scoped views), behind the one lock in state
//!     -> store writes return events -> one event bus -> webhook deliverer -> delivery log
//!                                                    -> live chat (Socket.IO /crm-chat rooms)
//! ```
//!
//! Dependencies point down only; no module calls back into the one that assembled it:
//!
//! ```text
//! lib.rs, main.rs, server.rs     the handle, the builder, the binary
//! app.rs                         assembles the specs, the control API, the actions and the
//!                                presigned-file router (nextcap/crm/files.rs, /nextcap/files)
//! nextcap/{data,crm}, nexadesk/, deskhive/, control/    one folder per API: spec + handlers
//! nextcap/chat/                  live chat: the Socket.IO namespace, its acks and fan-out
//! pipeline.rs                    the per-request steps; gets each API's renderer
//! routes.rs, auth.rs, tenant.rs  route tables (operationId, access, permissions); key ->
//!                                principal; the tenant extractor and its scoped store views
//! state.rs, webhooks/            shared state; delivery, reaching the state through a trait
//! store/                         rows and their rules (tenant views, ticket state machine,
//!                                the writes the actions make); store/fixtures/ builds it
//! leaves                         api (the Api enum), refusal, events, keys, journal, fault,
//!                                ratelimit, encode, body, query, time_fmt, clock (the mock's
//!                                controllable time), signing (presigned URL HMACs)
//! ```
//!
//! # Time
//!
//! Every timestamp the mock writes comes from the server's [`Clock`] (`tenant.now()` in a
//! handler, `state.clock().now()` in a control action, passed as `now` into store writes;
//! events are stamped when published), never from the wall clock, so
//! `POST /__mock/clock/advance` moves rows, events, webhook signatures and the journal alike.
//! Rate-limit windows alone keep real time (`time_fmt::now_millis`).
//!
//! Adding an endpoint: one line in the API's route table (with its operationId and, for the
//! CRM, its permissions), a handler of a few lines built from the API's extractors, store logic
//! in `store/`, and the tests; `CONTRIBUTING.md` has the checklist.

mod action;
mod api;
mod app;
mod auth;
mod body;
mod clock;
mod control;
mod deskhive;
mod encode;
mod events;
mod fault;
mod journal;
mod keys;
mod nexadesk;
mod nextcap;
mod pipeline;
mod query;
mod ratelimit;
mod refusal;
mod responses;
mod routes;
mod server;
mod signing;
mod state;
mod store;
mod tenant;
mod time_fmt;
mod webhooks;

pub use api::Api;
pub use app::{app, operations};
pub use clock::Clock;
pub use events::EventName;
pub use fault::Fault;
pub use journal::JournalEntry;
pub use keys::{DemoKeys, KeyInfo, Plan};
pub use nextcap::chat::control::ChatSocket;
pub use ratelimit::{RateLimitSetting, UNLIMITED};
pub use routes::OperationInfo;
pub use server::{MockServer, MockServerBuilder};
pub use state::{AppState, Config, DEFAULT_ATTACHMENT_MAX_BYTES};
pub use webhooks::{DeliveryAttempt, WebhookRetry, sign as sign_webhook, sign_body as sign_nexadesk_webhook};

/// The control actions: what the other side of each API does in real life (for Next Cap, a
/// visitor capturing a lead, chatting, filing a ticket), with their inputs and outputs. Each is
/// reachable as `POST /__mock/{api}/actions/{action}` and as a method of the [`MockServer`]
/// handle (`server.nextcap().capture_lead(..)`, `server.deskhive().customer_reply(..)`).
pub mod actions {
    /// Next Cap's actions ([`MockServer::nextcap`](crate::MockServer::nextcap)).
    pub mod nextcap {
        pub use crate::nextcap::actions::{
            ActionError, CompleteConversation, CustomerReply, HandOff, NewApiOnlySeat, NewCallRequest, NewConversation,
            NewCrmKey, NewLead, NewTicket, NextCapActions, PlanChanged, RateConversation, RevokeCrmKey, SeatInfo,
            SeatRef, SeatUpdate, SeatWithKey, SetPlan, TicketReply, VisitorMessage, VisitorTyping,
        };
    }

    /// NexaDesk's control operations ([`MockServer::nexadesk`](crate::MockServer::nexadesk)):
    /// a visitor's conversation, and webhook registration (the vendor's dashboard).
    pub mod nexadesk {
        pub use crate::nexadesk::control::{
            CloseConversation, ControlError, NewWebhook, NexaDeskControl, SendMessage, StartConversation,
        };
        pub use crate::store::nexadesk::{Conversation, Message, NdWebhook};
    }

    /// Desk Hive's actions ([`MockServer::deskhive`](crate::MockServer::deskhive)): what the
    /// customer and an administrator do; the outputs are the agent API's resources.
    pub mod deskhive {
        pub use crate::deskhive::actions::{ActionError, CustomerReply, DeskHiveActions, LockTicket, NewTicket};
        pub use crate::store::deskhive::{CustomerReplied, MessageResource, SenderResource, TicketResource};
    }
}
