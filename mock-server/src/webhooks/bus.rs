//! The event bus: an unbounded mpsc channel from publishers to the deliverer task, the
//! generation counter `reset` bumps, and the progress counters tests wait on.
//!
//! Unbounded on purpose: publishers run inside request handlers (after releasing the state
//! lock), and a bounded channel could make a request wait for a slow receiver, which the real
//! service never does; the jobs are small and the deliverer drains them at once. The deliverer starts lazily, on the first
//! publish that happens inside a tokio runtime, so `AppState::new` stays a plain synchronous
//! constructor (it runs on a blocking thread at start-up, and in handler tests).

use std::sync::{
    Arc, Mutex,
    atomic::{AtomicU64, AtomicUsize, Ordering},
};

use bytes::Bytes;
use tokio::sync::{Notify, mpsc};
use uuid::Uuid;

use super::deliver;
use crate::state::AppState;

/// One delivery to make: an event to one webhook.
#[derive(Clone, Debug)]
pub(crate) struct Job {
    /// The event id.
    pub delivery_id: Uuid,
    /// The webhook.
    pub webhook_id: Uuid,
    /// The event name.
    pub event: &'static str,
    /// Where to POST.
    pub url: String,
    /// The webhook's signing secret.
    pub secret: String,
    /// The envelope, serialized once.
    pub body: Bytes,
    /// The bus generation when the event happened; a `reset` since makes the job obsolete.
    pub generation: u64,
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

    /// The notifier to wait on.
    pub fn notifier(&self) -> &Notify {
        &self.changed
    }

    /// Jobs queued or in flight.
    pub fn pending(&self) -> usize {
        self.pending.load(Ordering::SeqCst)
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

/// The bus; one per [`AppState`].
#[derive(Debug)]
pub struct EventBus {
    tx: mpsc::UnboundedSender<Job>,
    /// Taken by the deliverer when it starts.
    rx: Mutex<Option<mpsc::UnboundedReceiver<Job>>>,
    progress: Arc<Progress>,
    generation: AtomicU64,
}

impl Default for EventBus {
    fn default() -> Self {
        let (tx, rx) = mpsc::unbounded_channel();
        EventBus { tx, rx: Mutex::new(Some(rx)), progress: Arc::default(), generation: AtomicU64::new(0) }
    }
}

impl EventBus {
    /// The current generation.
    pub fn generation(&self) -> u64 {
        self.generation.load(Ordering::SeqCst)
    }

    /// Makes every queued and in-flight job obsolete (called by `reset`).
    pub fn bump_generation(&self) {
        self.generation.fetch_add(1, Ordering::SeqCst);
        self.progress.changed();
    }

    pub(crate) fn progress(&self) -> &Arc<Progress> {
        &self.progress
    }

    /// Queues `jobs`, starting the deliverer first if it is not running yet.
    pub(crate) fn send(&self, state: &AppState, jobs: Vec<Job>) {
        if jobs.is_empty() {
            return;
        }
        self.start(state);
        for job in jobs {
            self.progress.pending.fetch_add(1, Ordering::SeqCst);
            if self.tx.send(job).is_err() {
                // Only possible once the deliverer is gone, i.e. while the state is dropped.
                self.progress.pending.fetch_sub(1, Ordering::SeqCst);
            }
        }
    }

    fn start(&self, state: &AppState) {
        let Ok(handle) = tokio::runtime::Handle::try_current() else {
            // No runtime (a synchronous caller): jobs wait in the channel for a later start.
            return;
        };
        let mut rx = self.rx.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        if let Some(rx) = rx.take() {
            handle.spawn(deliver::run(rx, state.downgrade(), Arc::clone(&self.progress)));
        }
    }
}
