//! The request journal: one entry per request that reached an API prefix, so tests can assert
//! what the SDK actually sent (how many retries, which operation, which key).
//!
//! The journal is bounded ([`JOURNAL_CAPACITY`], oldest entries dropped first) because the
//! standalone binary also serves benchmarks that send far more requests than any test reads.

use std::collections::VecDeque;

use serde::{Deserialize, Serialize};

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
    /// When the request arrived (RFC 3339, UTC, wall clock).
    pub at: String,
}

/// The bounded list of entries.
#[derive(Clone, Debug, Default)]
pub struct Journal {
    entries: VecDeque<JournalEntry>,
}

impl Journal {
    /// Records an entry, dropping the oldest when full.
    pub fn push(&mut self, entry: JournalEntry) {
        if self.entries.len() >= JOURNAL_CAPACITY {
            self.entries.pop_front();
        }
        self.entries.push_back(entry);
    }

    /// Every entry, oldest first.
    pub fn entries(&self) -> Vec<JournalEntry> {
        self.entries.iter().cloned().collect()
    }

    /// Forgets every entry; returns how many there were.
    pub fn clear(&mut self) -> usize {
        let n = self.entries.len();
        self.entries.clear();
        n
    }
}
