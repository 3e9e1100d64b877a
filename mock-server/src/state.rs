//! Shared server state: the store, the journal, the faults, the rate-limit counters and the
//! webhook delivery log, behind one lock, plus the event bus to the webhook deliverer and the
//! control operations the handle and the control API both use.
//!
//! [`AppState`] is a cheap `Clone` around `Arc<Shared>`. The lock is a std `Mutex`, not a tokio
//! one, because no critical section awaits: each handler locks, reads or writes, renders, and
//! unlocks. A std mutex is cheaper and cannot be held across an `.await` by accident (the guard
//! is not `Send`, so such code would not compile inside a handler). A poisoned lock (a panic
//! while held) is recovered rather than propagated, so one bug cannot wedge every later request.

use std::{
    sync::{Arc, Mutex, MutexGuard, Weak},
    time::Duration,
};

use crate::{
    fault::{Fault, FaultSet},
    fixtures,
    journal::{Journal, JournalEntry},
    keys::{DemoKeys, KeyInfo},
    ratelimit::{RateLimitSetting, RateLimiter},
    store::Store,
    webhooks::{DeliveryAttempt, DeliveryLog, Event, EventBus, WebhookRetry, bus_jobs},
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
}

impl Default for Config {
    fn default() -> Self {
        Config {
            seed: 42,
            rate_limit: RateLimitSetting::Documented,
            leads: fixtures::DEFAULT_LEADS,
            base_faults: Vec::new(),
            webhook_retry: WebhookRetry::default(),
        }
    }
}

/// Everything mutable, behind the one lock.
#[derive(Debug)]
pub struct Inner {
    /// The live data, shared with the pristine copy until the first write (copy-on-write:
    /// with 100,000 leads a deep copy at start-up or on every reset would cost a second).
    pub store: Arc<Store>,
    /// Request journal.
    pub journal: Journal,
    /// Active faults.
    pub faults: FaultSet,
    /// Rate-limit counters.
    pub limiter: RateLimiter,
    /// Every webhook delivery attempt.
    pub deliveries: DeliveryLog,
}

impl Inner {
    /// The store for writing; copies it first if the pristine fixtures still share it.
    pub fn store_mut(&mut self) -> &mut Store {
        Arc::make_mut(&mut self.store)
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
}

/// Cheap-to-clone handle on the shared state.
#[derive(Clone, Debug)]
pub struct AppState {
    shared: Arc<Shared>,
}

/// A handle that does not keep the state alive: the webhook deliverer holds one, so dropping
/// the server frees its state and ends the deliverer.
#[derive(Clone, Debug)]
pub struct WeakState(Weak<Shared>);

impl WeakState {
    /// The state, if it still exists.
    pub fn upgrade(&self) -> Option<AppState> {
        self.0.upgrade().map(|shared| AppState { shared })
    }
}

impl AppState {
    /// Builds the fixtures for `config` and the initial state.
    pub fn new(config: Config) -> AppState {
        let pristine = Arc::new(fixtures::build(config.seed, config.leads));
        let mut faults = FaultSet::default();
        for fault in &config.base_faults {
            faults.add(fault.clone());
        }
        let inner = Inner {
            store: Arc::clone(&pristine),
            journal: Journal::default(),
            faults,
            limiter: RateLimiter::default(),
            deliveries: DeliveryLog::default(),
        };
        let shared = Shared { config, pristine, inner: Mutex::new(inner), bus: EventBus::default() };
        AppState { shared: Arc::new(shared) }
    }

    /// The configuration.
    pub fn config(&self) -> &Config {
        &self.shared.config
    }

    /// Locks the state. Never hold the guard across an `.await`.
    pub fn lock(&self) -> MutexGuard<'_, Inner> {
        self.shared.inner.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// The named demo keys (they never change, so no lock).
    pub fn demo_keys(&self) -> &DemoKeys {
        &self.shared.pristine.demo_keys
    }

    /// Every key with its API, organisation and permissions.
    pub fn all_keys(&self) -> Vec<KeyInfo> {
        self.lock().store.keys.list()
    }

    /// A handle that does not keep the state alive.
    pub fn downgrade(&self) -> WeakState {
        WeakState(Arc::downgrade(&self.shared))
    }

    /// The event bus to the webhook deliverer.
    pub fn bus(&self) -> &EventBus {
        &self.shared.bus
    }

    /// Delivers `events` to every active webhook of their organisation subscribed to them, in
    /// the background. Call it after releasing the lock the events were made under.
    pub fn publish(&self, events: Vec<Event>) {
        if events.is_empty() {
            return;
        }
        let jobs = {
            let inner = self.lock();
            bus_jobs(&inner.store.nextcap, &events, self.shared.bus.generation())
        };
        self.shared.bus.send(self, jobs);
    }

    /// Every webhook delivery attempt so far, oldest first.
    pub fn webhook_deliveries(&self) -> Vec<DeliveryAttempt> {
        self.lock().deliveries.entries()
    }

    /// Clears the delivery log; returns how many attempts it held.
    pub fn clear_webhook_deliveries(&self) -> usize {
        self.lock().deliveries.clear()
    }

    /// Waits until the delivery log holds at least `n` attempts, or `timeout` passes.
    /// `Ok` with the log, or `Err` with what it held at the deadline.
    pub async fn wait_for_deliveries(
        &self,
        n: usize,
        timeout: Duration,
    ) -> Result<Vec<DeliveryAttempt>, Vec<DeliveryAttempt>> {
        let done = self.wait_until(timeout, |s| s.lock().deliveries.len() >= n).await;
        let log = self.webhook_deliveries();
        if done { Ok(log) } else { Err(log) }
    }

    /// Waits until no delivery is queued or in flight (retries included); false on timeout.
    pub async fn wait_for_webhooks_idle(&self, timeout: Duration) -> bool {
        self.wait_until(timeout, |s| s.shared.bus.progress().pending() == 0).await
    }

    async fn wait_until(&self, timeout: Duration, done: impl Fn(&AppState) -> bool) -> bool {
        let progress = Arc::clone(self.shared.bus.progress());
        let deadline = tokio::time::Instant::now() + timeout;
        loop {
            // Registered before the check, so a change between the check and the wait wakes us.
            let changed = progress.notifier().notified();
            tokio::pin!(changed);
            changed.as_mut().enable();
            if done(self) {
                return true;
            }
            if tokio::time::timeout_at(deadline, changed).await.is_err() {
                return done(self);
            }
        }
    }

    /// Back to the fixtures; clears journal, faults (except base faults), counters, webhooks
    /// and the delivery log. Deliveries still queued or retrying are dropped.
    pub fn reset(&self) {
        let mut inner = self.lock();
        // Under the lock, so no delivery attempt of the old generation can log after this.
        self.shared.bus.bump_generation();
        inner.deliveries.clear();
        inner.store = Arc::clone(&self.shared.pristine);
        inner.journal.clear();
        inner.faults.clear();
        for fault in &self.shared.config.base_faults {
            inner.faults.add(fault.clone());
        }
        inner.limiter.clear();
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
