//! The request journal: one entry per request that reached an API prefix, so tests can assert
//! what the SDK actually sent (how many retries, which operation, which key).
//!
//! The journal is bounded ([`JOURNAL_CAPACITY`], oldest entries dropped first) because the
//! standalone binary also serves benchmarks that send far more requests than any test reads.

use std::{collections::VecDeque, sync::Arc};

use axum::http::Method;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::{api::Api, time_fmt};

/// The most entries kept; older ones are dropped first.
pub const JOURNAL_CAPACITY: usize = 100_000;

/// One recorded request.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
pub struct JournalEntry {
    /// HTTP method, upper case.
    pub method: String,
    /// Full path including the API prefix and the query string, as received.
    pub path: String,
    /// `nextcap`, `nexadesk` or `deskhive`.
    pub api: String,
    /// The operationId of the matched route; `None` for unknown routes and wrong methods.
    pub operation_id: Option<String>,
    /// Final status sent; `0` when a fault dropped the connection instead of answering.
    pub status: u16,
    /// The key presented (valid or not), if any.
    pub key: Option<String>,
    /// When the request arrived (RFC 3339 with milliseconds, UTC, by the mock clock).
    pub at: String,
}

/// One request as the pipeline records it: what it already holds, kept as it is (the method,
/// the matched operation as a `&'static str`, the key it shares with the principal, the
/// clock's time). Every request of
/// every API writes one, and most are never read, so the strings of a [`JournalEntry`] are
/// only made when the journal is read.
#[derive(Clone, Debug)]
pub struct Recorded {
    /// HTTP method.
    pub method: Method,
    /// Path and query as received.
    pub target: Box<str>,
    /// The API whose prefix it reached.
    pub api: Api,
    /// The operationId of the matched route.
    pub operation_id: Option<&'static str>,
    /// Final status sent; `0` for a dropped connection.
    pub status: u16,
    /// The key presented, if any.
    pub key: Option<Arc<str>>,
    /// When the request arrived (mock clock).
    pub at: DateTime<Utc>,
}

impl Recorded {
    fn entry(&self) -> JournalEntry {
        JournalEntry {
            method: self.method.to_string(),
            path: self.target.to_string(),
            api: self.api.name().to_owned(),
            operation_id: self.operation_id.map(str::to_owned),
            status: self.status,
            key: self.key.as_deref().map(str::to_owned),
            at: time_fmt::millis_string(&self.at),
        }
    }
}

/// The bounded list of entries.
#[derive(Clone, Debug, Default)]
pub struct Journal {
    entries: VecDeque<Recorded>,
}

impl Journal {
    /// Records a request, dropping the oldest when full.
    pub fn push(&mut self, entry: Recorded) {
        if self.entries.len() >= JOURNAL_CAPACITY {
            self.entries.pop_front();
        }
        self.entries.push_back(entry);
    }

    /// Every entry, oldest first.
    pub fn entries(&self) -> Vec<JournalEntry> {
        self.entries.iter().map(Recorded::entry).collect()
    }

    /// How many entries there are.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Forgets every entry; returns how many there were.
    pub fn clear(&mut self) -> usize {
        let n = self.entries.len();
        self.entries.clear();
        n
    }
}
