//! The [`Deliverer`]: the event bus's webhook subscriber. It turns events into jobs on an
//! unbounded mpsc channel to the delivery task, and owns the delivery log, the generation
//! counter `reset` bumps, and the progress counters tests wait on.
//!
//! Unbounded on purpose: publishers run inside request handlers (after releasing the state
//! lock), and a bounded channel could make a request wait for a slow receiver, which the real
//! service never does; the jobs are small and the task drains them at once. The task starts
//! lazily, on the first publish inside a tokio runtime, so building the state stays a plain
//! synchronous constructor (it runs on a blocking thread at start-up, and in handler tests).

use std::{
    sync::{
        Arc, Mutex, MutexGuard, Weak,
        atomic::{AtomicUsize, Ordering},
    },
    time::Duration,
};

use bytes::Bytes;
use tokio::sync::{Notify, mpsc};
use uuid::Uuid;

use super::{DeliveryAttempt, DeliveryLog, Dialect, WebhookHost, WebhookRetry, deliver, envelope};
use crate::events::{Event, Subscriber};

/// One delivery to make: an event to one webhook.
#[derive(Clone, Debug)]
pub(crate) struct Job {
    /// The event id.
    pub delivery_id: Uuid,
    /// The webhook.
    pub webhook_id: Uuid,
    /// The event's wire name.
    pub event: &'static str,
    /// Where to POST.
    pub url: String,
    /// The webhook's signing secret.
    pub secret: String,
    /// The envelope, serialized once.
    pub body: Bytes,
    /// The generation when the event happened; a `reset` since makes the job obsolete.
    pub generation: u64,
    /// Whose envelope and signature headers.
    pub dialect: Dialect,
}

/// What waiters watch: jobs not finished yet, and a signal on every change.
#[derive(Debug, Default)]
pub(crate) struct Progress {
    pending: AtomicUsize,
    changed: Notify,
}

impl Progress {
    /// Wakes everyone waiting for a change.
    pub fn changed(&self) {
        self.changed.notify_waiters();
    }
}

/// Marks one job finished when dropped, however its task ends.
pub(crate) struct PendingGuard(pub Arc<Progress>);

impl Drop for PendingGuard {
    fn drop(&mut self) {
        self.0.pending.fetch_sub(1, Ordering::SeqCst);
        self.0.changed();
    }
}

/// The log and the generation, changed together under one lock so that no attempt of an old
/// generation can be logged after a reset.
#[derive(Debug, Default)]
struct Ledger {
    generation: u64,
    log: DeliveryLog,
}

/// Webhook delivery, subscribed to the event bus; one per server.
#[derive(Debug)]
pub struct Deliverer {
    host: Weak<dyn WebhookHost>,
    retry: WebhookRetry,
    me: Weak<Deliverer>,
    tx: mpsc::UnboundedSender<Job>,
    /// Taken by the delivery task when it starts.
    rx: Mutex<Option<mpsc::UnboundedReceiver<Job>>>,
    progress: Arc<Progress>,
    ledger: Mutex<Ledger>,
}

impl std::fmt::Debug for dyn WebhookHost {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("WebhookHost")
    }
}

impl Deliverer {
    /// A deliverer for `host`'s webhooks, retrying as `retry` says.
    pub fn new(host: Weak<dyn WebhookHost>, retry: WebhookRetry) -> Arc<Deliverer> {
        let (tx, rx) = mpsc::unbounded_channel();
        Arc::new_cyclic(|me| Deliverer {
            host,
            retry,
            me: me.clone(),
            tx,
            rx: Mutex::new(Some(rx)),
            progress: Arc::default(),
            ledger: Mutex::default(),
        })
    }

    fn ledger(&self) -> MutexGuard<'_, Ledger> {
        self.ledger.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Every attempt so far, oldest first.
    pub fn deliveries(&self) -> Vec<DeliveryAttempt> {
        self.ledger().log.entries()
    }

    /// Clears the log; returns how many attempts it held.
    pub fn clear(&self) -> usize {
        self.ledger().log.clear()
    }

    /// Waits until the log holds at least `n` attempts, or `timeout` passes. `Ok` with the
    /// log, or `Err` with what it held at the deadline.
    pub async fn wait_for_deliveries(
        &self,
        n: usize,
        timeout: Duration,
    ) -> Result<Vec<DeliveryAttempt>, Vec<DeliveryAttempt>> {
        let done = self.wait_until(timeout, || self.ledger().log.len() >= n).await;
        let log = self.deliveries();
        if done { Ok(log) } else { Err(log) }
    }

    /// Waits until no delivery is queued or in flight (retries included); false on timeout.
    pub async fn wait_for_idle(&self, timeout: Duration) -> bool {
        self.wait_until(timeout, || self.progress.pending.load(Ordering::SeqCst) == 0).await
    }

    async fn wait_until(&self, timeout: Duration, done: impl Fn() -> bool) -> bool {
        let deadline = tokio::time::Instant::now() + timeout;
        loop {
            // Registered before the check, so a change between the check and the wait wakes us.
            let changed = self.progress.changed.notified();
            tokio::pin!(changed);
            changed.as_mut().enable();
            if done() {
                return true;
            }
            if tokio::time::timeout_at(deadline, changed).await.is_err() {
                return done();
            }
        }
    }

    /// The retry settings, if `job` should still be attempted: the server exists, no reset
    /// happened since the event, and the webhook is still registered and active.
    pub(crate) fn still_wanted(&self, job: &Job) -> Option<WebhookRetry> {
        let host = self.host.upgrade()?;
        if self.ledger().generation != job.generation {
            return None;
        }
        host.is_live(job.webhook_id).then(|| self.retry.clone())
    }

    /// The host's clock; `None` once the server is gone.
    pub(crate) fn now(&self) -> Option<chrono::DateTime<chrono::Utc>> {
        self.host.upgrade().map(|host| host.now())
    }

    /// Logs an attempt; false when the job became obsolete meanwhile (a reset).
    pub(crate) fn record(&self, job: &Job, attempt: DeliveryAttempt) -> bool {
        {
            let mut ledger = self.ledger();
            if ledger.generation != job.generation {
                return false;
            }
            ledger.log.push(attempt);
        }
        self.progress.changed();
        true
    }

    fn start(&self) {
        let Ok(handle) = tokio::runtime::Handle::try_current() else {
            // No runtime (a synchronous caller): jobs wait in the channel for a later start.
            return;
        };
        let mut rx = self.rx.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        if let Some(rx) = rx.take() {
            handle.spawn(deliver::run(rx, self.me.clone(), Arc::clone(&self.progress)));
        }
    }
}

impl Subscriber for Deliverer {
    fn on_events(&self, events: &[Event]) {
        let Some(host) = self.host.upgrade() else { return };
        let generation = self.ledger().generation;
        let mut jobs = Vec::new();
        for event in events {
            let Some((dialect, body)) = envelope(event) else { continue };
            let targets = host.targets(event);
            if targets.is_empty() {
                continue;
            }
            let body = Bytes::from(body);
            jobs.extend(targets.into_iter().map(|t| Job {
                delivery_id: event.id,
                webhook_id: t.webhook_id,
                event: event.topic.name(),
                url: t.url,
                secret: t.secret,
                body: body.clone(),
                generation,
                dialect,
            }));
        }
        if jobs.is_empty() {
            return;
        }
        self.start();
        for job in jobs {
            self.progress.pending.fetch_add(1, Ordering::SeqCst);
            if self.tx.send(job).is_err() {
                // Only possible once the delivery task is gone, i.e. while the server is dropped.
                self.progress.pending.fetch_sub(1, Ordering::SeqCst);
            }
        }
    }

    /// Makes every queued and in-flight job obsolete and clears the log, atomically.
    fn reset(&self) {
        {
            let mut ledger = self.ledger();
            ledger.generation += 1;
            ledger.log.clear();
        }
        self.progress.changed();
    }
}
