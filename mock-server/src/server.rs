//! [`MockServer`]: the handle tests hold. It binds a socket, serves [`crate::app`] on a
//! background task, exposes per-API base URLs and the demo keys, and offers the control
//! operations as methods. Dropping it shuts the server down: a graceful-shutdown signal lets
//! in-flight requests finish and the accept loop is aborted so no task outlives the handle.

use std::{io, net::SocketAddr, time::Duration};

use tokio::{sync::oneshot, task::JoinHandle};

use crate::{
    api::Api,
    app::app,
    clock::Clock,
    deskhive::actions::DeskHiveActions,
    fault::Fault,
    journal::JournalEntry,
    keys::{DemoKeys, KeyInfo},
    nexadesk::control::NexaDeskControl,
    nextcap::{
        actions::NextCapActions,
        chat::{self, control::ChatSocket},
    },
    ratelimit::RateLimitSetting,
    state::{AppState, Config},
    webhooks::{DeliveryAttempt, WebhookRetry},
};

/// A running mock server.
///
/// ```no_run
/// # async fn demo() {
/// use deskapi_mock::{MockServer, RateLimitSetting};
/// let server = MockServer::builder()
///     .seed(7)
///     .rate_limit(RateLimitSetting::Off)
///     .start()
///     .await
///     .expect("bind");
/// println!("{} {}", server.nexadesk_url(), server.keys().nexadesk_read_write);
/// # }
/// ```
#[derive(Debug)]
pub struct MockServer {
    state: AppState,
    addr: SocketAddr,
    shutdown: Option<oneshot::Sender<()>>,
    task: JoinHandle<()>,
}

/// Configures a [`MockServer`] before it starts.
#[derive(Clone, Debug)]
#[must_use = "a builder does nothing until .start() is awaited"]
pub struct MockServerBuilder {
    config: Config,
    bind: SocketAddr,
}

impl Default for MockServerBuilder {
    fn default() -> Self {
        MockServerBuilder { config: Config::default(), bind: SocketAddr::from(([127, 0, 0, 1], 0)) }
    }
}

impl MockServerBuilder {
    /// Fixture seed (default 42). Same seed, same keys, ids and rows.
    pub fn seed(mut self, seed: u64) -> Self {
        self.config.seed = seed;
        self
    }

    /// Rate limits (default: each API's documented limit).
    pub fn rate_limit(mut self, setting: RateLimitSetting) -> Self {
        self.config.rate_limit = setting;
        self
    }

    /// Leads per organisation, for each API that has leads (default 45).
    pub fn leads(mut self, per_org: usize) -> Self {
        self.config.leads = per_org;
        self
    }

    /// Address to bind (default `127.0.0.1:0`, any free port).
    pub fn bind(mut self, addr: SocketAddr) -> Self {
        self.bind = addr;
        self
    }

    /// Adds latency to every API request, kept across `reset` (the binary's `--latency-ms`).
    pub fn latency(mut self, latency: Duration) -> Self {
        let ms = u64::try_from(latency.as_millis()).unwrap_or(u64::MAX);
        if ms > 0 {
            self.config.base_faults.push(Fault::latency(ms));
        }
        self
    }

    /// How webhook deliveries are retried (default: 5 attempts, 100 ms backoff doubling, 10 s
    /// timeout per attempt; see [`WebhookRetry`]).
    pub fn webhook_retry(mut self, retry: WebhookRetry) -> Self {
        self.config.webhook_retry = retry;
        self
    }

    /// The largest CRM attachment the server accepts, in bytes (default
    /// [`DEFAULT_ATTACHMENT_MAX_BYTES`](crate::DEFAULT_ATTACHMENT_MAX_BYTES), 50 MiB): direct
    /// uploads and presigned PUTs past it get 413, presigns declaring more get 400.
    pub fn attachment_max_bytes(mut self, bytes: u64) -> Self {
        self.config.attachment_max_bytes = bytes;
        self
    }

    /// Builds the fixtures, binds the socket and starts serving.
    pub async fn start(self) -> io::Result<MockServer> {
        let config = self.config;
        // Building 100,000 leads takes a moment; keep it off the async worker threads.
        let state = tokio::task::spawn_blocking(move || AppState::new(config)).await.map_err(io::Error::other)?;
        let listener = tokio::net::TcpListener::bind(self.bind).await?;
        let addr = listener.local_addr()?;
        // Request/response traffic: send each response at once rather than waiting on Nagle.
        let listener = axum::serve::ListenerExt::tap_io(listener, |stream: &mut tokio::net::TcpStream| {
            let _ = stream.set_nodelay(true);
        });
        let (tx, rx) = oneshot::channel::<()>();
        let router = app(state.clone());
        let task = tokio::spawn(async move {
            let serve = axum::serve(listener, router).with_graceful_shutdown(async {
                // Either an explicit signal or the handle being dropped ends the server.
                let _ = rx.await;
            });
            if let Err(error) = serve.await {
                tracing::error!(%error, "mock server stopped with an error");
            }
        });
        Ok(MockServer { state, addr, shutdown: Some(tx), task })
    }
}

impl MockServer {
    /// Starts a server with the defaults: seed 42, documented rate limits, 45 leads per
    /// organisation, on `127.0.0.1:0`.
    ///
    /// # Panics
    /// If no loopback port can be bound, which only happens on a broken machine; use
    /// [`MockServer::builder`] to handle that error.
    pub async fn start() -> MockServer {
        MockServer::builder().start().await.expect("deskapi-mock: could not bind 127.0.0.1:0")
    }

    /// A builder for a non-default server.
    pub fn builder() -> MockServerBuilder {
        MockServerBuilder::default()
    }

    /// Live chat's Socket.IO URL, `ws://HOST:PORT/socket.io/` (namespace
    /// [`MockServer::CHAT_NAMESPACE`]).
    pub fn chat_url(&self) -> String {
        format!("ws://{}/socket.io/", self.addr)
    }

    /// Live chat's Socket.IO namespace.
    pub const CHAT_NAMESPACE: &'static str = chat::NAMESPACE;

    /// `http://HOST:PORT`.
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// The bound address.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// Next Cap base URL, `{url}/nextcap/api/v1` (the SDK appends `/external/leads`).
    pub fn nextcap_url(&self) -> String {
        format!("{}{}", self.url(), Api::NextCap.base_path())
    }

    /// NexaDesk base URL, `{url}/nexadesk/api/v1/external` (the SDK appends `/leads`).
    pub fn nexadesk_url(&self) -> String {
        format!("{}{}", self.url(), Api::NexaDesk.base_path())
    }

    /// Desk Hive base URL, `{url}/deskhive/api/v1` (the SDK appends `/external/tickets`).
    pub fn deskhive_url(&self) -> String {
        format!("{}{}", self.url(), Api::DeskHive.base_path())
    }

    /// The named demo keys.
    pub fn keys(&self) -> &DemoKeys {
        self.state.demo_keys()
    }

    /// Every key (same as `GET /__mock/keys`).
    pub fn all_keys(&self) -> Vec<KeyInfo> {
        self.state.all_keys()
    }

    /// Back to the fixtures (same seed, same data); clears journal, faults, rate-limit
    /// counters, registered webhooks and the delivery log (pending retries are dropped).
    pub fn reset(&self) {
        self.state.reset();
    }

    /// The request journal, oldest first (same as `GET /__mock/requests`).
    pub fn requests(&self) -> Vec<JournalEntry> {
        self.state.requests()
    }

    /// Clears the journal (same as `DELETE /__mock/requests`).
    pub fn clear_requests(&self) {
        self.state.clear_requests();
    }

    /// Adds a fault (same as `POST /__mock/faults`).
    pub fn add_fault(&self, fault: Fault) {
        self.state.add_fault(fault);
    }

    /// Removes every fault (same as `DELETE /__mock/faults`).
    pub fn clear_faults(&self) {
        self.state.clear_faults();
    }

    /// The Next Cap control actions (a visitor captures a lead, chats, files a ticket, ...),
    /// the same as `POST /__mock/nextcap/actions/...`; each fires its webhooks.
    pub fn nextcap(&self) -> NextCapActions<'_> {
        NextCapActions::new(&self.state)
    }

    /// The NexaDesk control operations (a visitor starts, writes in and closes a conversation;
    /// webhooks are registered as in the vendor's dashboard), the same as
    /// `POST /__mock/nexadesk/actions/...` and `/__mock/nexadesk/webhooks`.
    pub fn nexadesk(&self) -> NexaDeskControl<'_> {
        NexaDeskControl::new(&self.state)
    }

    /// Next Cap live chat's connected `/crm-chat` sockets (same as `GET /__mock/chat/sockets`).
    pub fn chat_sockets(&self) -> Vec<ChatSocket> {
        chat::control::sockets(&self.state)
    }

    /// Drops the live-chat sockets of `seat` (id, name or email), or all of them for `None`,
    /// as a network failure would; returns how many (same as `POST /__mock/chat/disconnect`).
    ///
    /// # Errors
    /// [`ActionError`](crate::actions::nextcap::ActionError) 404 naming `seat` when no seat has that id, name or
    /// email (a seat with no socket connected gives `Ok(0)`).
    pub fn disconnect_chat(&self, seat: Option<&str>) -> Result<usize, crate::action::ActionError> {
        chat::control::disconnect(&self.state, seat)
    }

    /// The Desk Hive control actions (a customer replies or files a ticket, an administrator
    /// locks one), the same as `POST /__mock/deskhive/actions/...`.
    pub fn deskhive(&self) -> DeskHiveActions<'_> {
        DeskHiveActions::new(&self.state)
    }

    /// Every webhook delivery attempt so far, oldest first (same as
    /// `GET /__mock/webhooks/deliveries`).
    pub fn webhook_deliveries(&self) -> Vec<DeliveryAttempt> {
        self.state.webhook_deliveries()
    }

    /// Clears the delivery log (same as `DELETE /__mock/webhooks/deliveries`).
    pub fn clear_webhook_deliveries(&self) {
        self.state.clear_webhook_deliveries();
    }

    /// Waits until the delivery log holds at least `n` attempts (retries count one each), or
    /// `timeout` passes: `Ok` with the log, `Err` with what it held at the deadline.
    ///
    /// ```no_run
    /// # async fn demo(server: deskapi_mock::MockServer) {
    /// let log = server.wait_for_deliveries(1, std::time::Duration::from_secs(5)).await.expect("a delivery");
    /// assert_eq!(log[0].status, Some(200));
    /// # }
    /// ```
    pub async fn wait_for_deliveries(
        &self,
        n: usize,
        timeout: Duration,
    ) -> Result<Vec<DeliveryAttempt>, Vec<DeliveryAttempt>> {
        self.state.wait_for_deliveries(n, timeout).await
    }

    /// Waits until no delivery is queued or being retried; false on timeout.
    pub async fn wait_for_webhooks_idle(&self, timeout: Duration) -> bool {
        self.state.wait_for_webhooks_idle(timeout).await
    }

    /// The mock's clock, which every timestamp the mock writes follows (rows, timeline entries,
    /// events, webhook signatures and the delivery log, the journal), as do attachment URL
    /// expiry and the 24-hour staging of unlinked uploads:
    /// `server.clock().advance(Duration::from_secs(86_400))` moves all of it a day at once
    /// (`POST /__mock/clock/advance`); [`MockServer::reset`] puts it back. Rate-limit windows
    /// keep real time.
    /// Rate-limit windows keep real time.
    pub fn clock(&self) -> &Clock {
        self.state.clock()
    }

    /// The shared state, for in-process inspection.
    pub fn state(&self) -> &AppState {
        &self.state
    }
}

impl Drop for MockServer {
    fn drop(&mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        self.task.abort();
    }
}
