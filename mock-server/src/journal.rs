//! The request journal: one entry per request that reached an API prefix, so tests can assert
//! what the SDK actually sent (how many retries, which operation, which key).
//!
//! The journal is bounded ([`JOURNAL_CAPACITY`], oldest entries dropped first) because the
//! standalone binary also serves benchmarks that send far more requests than any test reads.

use std::{collections::VecDeque, sync::Arc};

use axum::http::Method;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use smallvec::SmallVec;

use crate::{api::Api, time_fmt};

/// The most entries kept; older ones are dropped first.
pub const JOURNAL_CAPACITY: usize = 100_000;

/// Request-targets up to this many bytes are kept inside the entry.
const INLINE_TARGET: usize = 96;

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

/// One request as the pipeline reports it, borrowing its request-target.
#[derive(Debug)]
pub struct Seen<'a> {
    /// HTTP method.
    pub method: Method,
    /// Path and query as received.
    pub target: &'a str,
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

/// One request as the journal keeps it: what the pipeline already holds, kept as it is (the
/// method, the matched operation as a `&'static str`, the key it shares with the principal,
/// the clock's time), and the target copied (a slice of hyper's read buffer kept here would
/// keep that whole buffer alive). Every request of every API writes one, and most are never
/// read, so the strings of a [`JournalEntry`] are only made when the journal is read.
///
/// The target is kept inline up to [`INLINE_TARGET`] bytes (most API paths with their query),
/// so a full journal writes its ring in order instead of touching a heap buffer last used
/// 100,000 requests ago.
#[derive(Clone, Debug)]
struct Recorded {
    method: Method,
    target: SmallVec<[u8; INLINE_TARGET]>,
    api: Api,
    operation_id: Option<&'static str>,
    status: u16,
    key: Option<Arc<str>>,
    at: DateTime<Utc>,
}

impl Recorded {
    fn entry(&self) -> JournalEntry {
        JournalEntry {
            method: self.method.to_string(),
            path: String::from_utf8_lossy(&self.target).into_owned(),
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
    pub fn push(&mut self, seen: Seen<'_>) {
        if self.entries.len() >= JOURNAL_CAPACITY {
            self.entries.pop_front();
        }
        let Seen { method, target, api, operation_id, status, key, at } = seen;
        let target = SmallVec::from_slice(target.as_bytes());
        self.entries.push_back(Recorded { method, target, api, operation_id, status, key, at });
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

#[cfg(test)]
mod tests {
    use super::*;

    fn seen(target: &str) -> Seen<'_> {
        Seen {
            method: Method::GET,
            target,
            api: Api::NextCap,
            operation_id: Some("listLeads"),
            status: 200,
            key: Some(Arc::from("sk_live_x")),
            at: DateTime::<Utc>::from_timestamp_millis(1_764_547_200_123).unwrap_or_default(),
        }
    }

    #[test]
    fn a_full_journal_drops_the_oldest_and_records_the_newest_whole() {
        let mut journal = Journal::default();
        for i in 0..JOURNAL_CAPACITY + 2 {
            journal.push(seen(&format!("/nextcap/api/v1/external/leads?page={i}")));
        }
        assert_eq!(journal.len(), JOURNAL_CAPACITY);
        let entries = journal.entries();
        assert_eq!(entries[0].path, "/nextcap/api/v1/external/leads?page=2", "the two oldest went");
        // Short and long targets (inline and on the heap) come back whole.
        let long = format!("/nextcap/api/v1/external/leads?email={}", "a".repeat(200));
        journal.push(seen(&long));
        assert_eq!(journal.entries().pop().map(|e| e.path), Some(long));
        journal.push(seen("/x"));
        let last = journal.entries().pop().map(|e| (e.path, e.method, e.api, e.operation_id, e.status, e.key, e.at));
        let expected = (
            "/x".to_owned(),
            "GET".to_owned(),
            "nextcap".to_owned(),
            Some("listLeads".to_owned()),
            200,
            Some("sk_live_x".to_owned()),
            "2025-12-01T00:00:00.123Z".to_owned(),
        );
        assert_eq!(last, Some(expected));
        assert_eq!((journal.clear(), journal.is_empty()), (JOURNAL_CAPACITY, true));
    }
}
