//! Shared server state: the store, the journal, the faults and the rate-limit counters behind
//! one lock, the mock clock and the URL signer beside it, the event bus with its webhook deliverer (which owns the delivery log), and the
//! control operations the handle and the control API both use.
//!
//! [`AppState`] is a cheap `Clone` around `Arc<Shared>`. The lock is a std `Mutex`, not a tokio
//! one, because no critical section awaits: each handler locks, reads or writes, renders, and
//! unlocks. A std mutex is cheaper and cannot be held across an `.await` by accident (the guard
//! is not `Send`, so such code would not compile inside a handler). A poisoned lock (a panic
//! while held) is recovered rather than propagated, so one bug cannot wedge every later request.

use std::{
    any::Any,
    sync::{Arc, Mutex, MutexGuard, OnceLock},
    time::Duration,
};

use uuid::Uuid;

use crate::{
    clock::Clock,
    events::{Event, EventBus, Topic},
    fault::{Fault, FaultSet},
    journal::{Journal, JournalEntry},
    keys::{DemoKeys, KeyInfo},
    ratelimit::{RateLimitSetting, RateLimiter},
    responses::ResponseCache,
    signing::UrlSigner,
    store::{Store, fixtures},
    webhooks::{Deliverer, DeliveryAttempt, Target, WebhookHost, WebhookRetry},
};

/// How the server was configured; `reset` returns to exactly this.
#[derive(Clone, Debug, PartialEq)]
pub struct Config {
    /// Fixture seed.
    pub seed: u64,
    /// Rate limits.
    pub rate_limit: RateLimitSetting,
    /// Leads per organisation (per API that has leads).
    pub leads: usize,
    /// Faults present from the start and restored by `reset` (the binary's `--latency-ms`).
    pub base_faults: Vec<Fault>,
    /// How webhook deliveries are retried.
    pub webhook_retry: WebhookRetry,
    /// The largest CRM attachment accepted, in bytes (the binary's `--attachment-max-bytes`;
    /// the document's 50 MB by default).
    pub attachment_max_bytes: u64,
}

/// The document's attachment limit: "Max 50MB", as the contract reads it, 52,428,800 bytes.
pub const DEFAULT_ATTACHMENT_MAX_BYTES: u64 = 50 * 1024 * 1024;

impl Default for Config {
    fn default() -> Self {
        Config {
            seed: 42,
            rate_limit: RateLimitSetting::Documented,
            leads: fixtures::DEFAULT_LEADS,
            base_faults: Vec::new(),
            webhook_retry: WebhookRetry::default(),
            attachment_max_bytes: DEFAULT_ATTACHMENT_MAX_BYTES,
        }
    }
}

/// Everything mutable, behind the one lock.
#[derive(Debug)]
pub struct Inner {
    /// The live data, shared with the pristine copy until the first write (copy-on-write:
    /// with 100,000 leads a deep copy at start-up or on every reset would cost a second).
    store: Arc<Store>,
    /// Encoded read responses, valid for the store as it is; emptied by every way of changing
    /// it.
    responses: ResponseCache,
    /// Request journal.
    pub journal: Journal,
    /// Active faults.
    pub faults: FaultSet,
    /// Rate-limit counters.
    pub limiter: RateLimiter,
}

impl Inner {
    /// The store, for reading.
    pub fn store(&self) -> &Store {
        &self.store
    }

    /// The store for writing; copies it first if the pristine fixtures still share it. The
    /// cached responses are dropped first: whatever the caller changes, none can be stale.
    pub fn store_mut(&mut self) -> &mut Store {
        self.responses.clear();
        Arc::make_mut(&mut self.store)
    }

    /// The store for reading and the response cache for writing, together (a cached read
    /// encodes from the one and files the result in the other under the same lock).
    pub fn store_and_responses(&mut self) -> (&Store, &mut ResponseCache) {
        (&self.store, &mut self.responses)
    }

    /// Points the store back at `store` (the pristine fixtures), dropping cached responses.
    fn replace_store(&mut self, store: Arc<Store>) {
        self.responses.clear();
        self.store = store;
    }
}

/// State shared by every request and by the [`crate::MockServer`] handle.
#[derive(Debug)]
pub struct Shared {
    config: Config,
    /// The store as built from the seed; `reset` points back to it instead of regenerating.
    pristine: Arc<Store>,
    inner: Mutex<Inner>,
    bus: EventBus,
    deliverer: Arc<Deliverer>,
    chat: ChatSlot,
    clock: Clock,
    signer: UrlSigner,
}

/// Where live chat keeps its namespace for as long as the state lives. Its type belongs to
/// `nextcap::chat`, which sits above this module, hence `Any`; the first [`crate::app`] built on
/// the state fills it, so every router and the handle reach the same sockets.
#[derive(Default)]
pub struct ChatSlot(OnceLock<Arc<dyn Any + Send + Sync>>);

impl ChatSlot {
    /// The value, made by `init` on first use.
    pub fn get_or_init(&self, init: impl FnOnce() -> Arc<dyn Any + Send + Sync>) -> &Arc<dyn Any + Send + Sync> {
        self.0.get_or_init(init)
    }

    /// The value, if made.
    pub fn get(&self) -> Option<&Arc<dyn Any + Send + Sync>> {
        self.0.get()
    }
}

impl std::fmt::Debug for ChatSlot {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(if self.0.get().is_some() { "ChatSlot(set)" } else { "ChatSlot(empty)" })
    }
}

impl Shared {
    fn lock(&self) -> MutexGuard<'_, Inner> {
        self.inner.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

/// What webhook delivery may ask of the state, one short lock each.
impl WebhookHost for Shared {
    fn targets(&self, event: &Event) -> Vec<Target> {
        let inner = self.lock();
        match &event.topic {
            Topic::NextCap { org_id, name } => inner
                .store()
                .nextcap()
                .subscribers(*org_id, *name)
                .map(|w| Target { webhook_id: w.id, url: w.url.clone(), secret: w.secret.clone() })
                .collect(),
            Topic::NexaDesk { workspace_id, name } => inner
                .store()
                .nexadesk()
                .subscribers(workspace_id, *name)
                .map(|w| Target { webhook_id: w.id, url: w.url.clone(), secret: w.secret.clone() })
                .collect(),
            Topic::Chat { .. } => Vec::new(),
        }
    }

    fn is_live(&self, webhook_id: Uuid) -> bool {
        let inner = self.lock();
        inner.store().nextcap().webhook_is_live(webhook_id) || inner.store().nexadesk().webhook_is_live(webhook_id)
    }

    fn now(&self) -> chrono::DateTime<chrono::Utc> {
        self.clock.now()
    }
}

/// Cheap-to-clone handle on the shared state.
#[derive(Clone, Debug)]
pub struct AppState {
    shared: Arc<Shared>,
}

impl AppState {
    /// Builds the fixtures for `config` and the initial state.
    pub fn new(config: Config) -> AppState {
        let pristine = fixtures::shared(config.seed, config.leads);
        let mut faults = FaultSet::default();
        for fault in &config.base_faults {
            faults.add(fault.clone());
        }
        let inner = Inner {
            store: Arc::clone(&pristine),
            responses: ResponseCache::default(),
            journal: Journal::default(),
            faults,
            limiter: RateLimiter::default(),
        };
        let shared = Arc::new_cyclic(|me: &std::sync::Weak<Shared>| {
            let host: std::sync::Weak<dyn WebhookHost> = me.clone();
            let deliverer = Deliverer::new(host, config.webhook_retry.clone());
            let bus = EventBus::default();
            bus.subscribe(deliverer.clone());
            Shared {
                config,
                pristine,
                inner: Mutex::new(inner),
                bus,
                deliverer,
                chat: ChatSlot::default(),
                clock: Clock::default(),
                signer: UrlSigner::default(),
            }
        });
        AppState { shared }
    }

    /// The configuration.
    pub fn config(&self) -> &Config {
        &self.shared.config
    }

    /// The mock's clock: every timestamp the mock writes, URL and staging expiry; `reset` puts
    /// it back.
    pub fn clock(&self) -> &Clock {
        &self.shared.clock
    }

    /// Signs and checks the presigned attachment URLs (one random secret per server).
    pub fn signer(&self) -> &UrlSigner {
        &self.shared.signer
    }

    /// Locks the state. Never hold the guard across an `.await`.
    pub fn lock(&self) -> MutexGuard<'_, Inner> {
        self.shared.lock()
    }

    /// The named demo keys (they never change, so no lock).
    pub fn demo_keys(&self) -> &DemoKeys {
        self.shared.pristine.demo_keys()
    }

    /// Every key with its API, organisation and permissions.
    pub fn all_keys(&self) -> Vec<KeyInfo> {
        self.lock().store().key_listing()
    }

    /// The event bus; further subscribers (live chat, other APIs' webhooks) join it here.
    pub fn bus(&self) -> &EventBus {
        &self.shared.bus
    }

    /// Live chat's slot, which the live-chat module fills and reads.
    pub fn chat_slot(&self) -> &ChatSlot {
        &self.shared.chat
    }

    /// Publishes what a write caused to every subscriber of the bus (webhook delivery among
    /// them). Call it after releasing the lock the events were made under.
    /// Each event is stamped with the mock clock's time here, so an advanced clock shows in
    /// `created_at` and in the webhook envelopes made from it.
    pub fn publish(&self, mut events: Vec<Event>) {
        let now = self.clock().now();
        events.iter_mut().for_each(|e| e.created_at = now);
        self.shared.bus.publish(&events);
    }

    /// Every webhook delivery attempt so far, oldest first.
    pub fn webhook_deliveries(&self) -> Vec<DeliveryAttempt> {
        self.shared.deliverer.deliveries()
    }

    /// Clears the delivery log; returns how many attempts it held.
    pub fn clear_webhook_deliveries(&self) -> usize {
        self.shared.deliverer.clear()
    }

    /// Waits until the delivery log holds at least `n` attempts, or `timeout` passes.
    /// `Ok` with the log, or `Err` with what it held at the deadline.
    pub async fn wait_for_deliveries(
        &self,
        n: usize,
        timeout: Duration,
    ) -> Result<Vec<DeliveryAttempt>, Vec<DeliveryAttempt>> {
        self.shared.deliverer.wait_for_deliveries(n, timeout).await
    }

    /// Waits until no delivery is queued or in flight (retries included); false on timeout.
    pub async fn wait_for_webhooks_idle(&self, timeout: Duration) -> bool {
        self.shared.deliverer.wait_for_idle(timeout).await
    }

    /// Back to the fixtures; clears journal, faults (except base faults), counters, webhooks
    /// and the delivery log. Deliveries still queued or retrying are dropped.
    pub fn reset(&self) {
        let mut inner = self.lock();
        // Under the lock, so no event of the old store can be queued after this.
        self.shared.bus.reset();
        inner.replace_store(Arc::clone(&self.shared.pristine));
        inner.journal.clear();
        inner.faults.clear();
        for fault in &self.shared.config.base_faults {
            inner.faults.add(fault.clone());
        }
        inner.limiter.clear();
        self.shared.clock.reset();
    }

    /// The journal, oldest first.
    pub fn requests(&self) -> Vec<JournalEntry> {
        self.lock().journal.entries()
    }

    /// Clears the journal; returns how many entries there were.
    pub fn clear_requests(&self) -> usize {
        self.lock().journal.clear()
    }

    /// Adds a fault.
    pub fn add_fault(&self, fault: Fault) {
        self.lock().faults.add(fault);
    }

    /// Active faults.
    pub fn faults(&self) -> Vec<Fault> {
        self.lock().faults.list()
    }

    /// Removes every fault (base faults included); returns how many there were.
    pub fn clear_faults(&self) -> usize {
        self.lock().faults.clear()
    }
}
