//! Fault injection: make matching requests slow, fail with a status, or lose their connection,
//! so the SDK's retry, timeout and backoff paths can be tested against a real server.
//!
//! A fault matches on any combination of API, operationId, path prefix and method (an empty
//! filter matches every API request). The first matching fault, in insertion order, applies;
//! `times` counts down and the fault disappears at zero. Faults run after auth and rate
//! limiting, so an injected failure still carries the rate-limit headers a real one would.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// One injected fault. Build with [`Fault::latency`], [`Fault::status`] or
/// [`Fault::drop_connection`] and narrow it with the chained setters.
///
/// ```
/// use deskapi_mock::Fault;
/// let fault = Fault::status(503).times(2).operation("listLeads").header("retry-after", "1");
/// assert_eq!(fault.status, Some(503));
/// ```
#[derive(Clone, Debug, Default, Serialize, Deserialize, PartialEq)]
#[serde(default, deny_unknown_fields)]
#[must_use = "a fault does nothing until it is added to a server"]
pub struct Fault {
    /// Only requests to this API (`nextcap`, `nexadesk`, `deskhive`).
    pub api: Option<String>,
    /// Only requests whose matched route has this operationId.
    pub operation_id: Option<String>,
    /// Only requests whose path (with API prefix, without query) starts with this.
    pub path_prefix: Option<String>,
    /// Only requests with this method (case-insensitive).
    pub method: Option<String>,
    /// Answer with this status instead of calling the handler.
    pub status: Option<u16>,
    /// Body for `status`; by default the API's own error envelope.
    pub body: Option<serde_json::Value>,
    /// Extra response headers for `status` (e.g. `retry-after`).
    pub headers: BTreeMap<String, String>,
    /// Delay before anything else happens, in milliseconds.
    pub delay_ms: u64,
    /// Drop the connection instead of answering (the client sees a transport error).
    pub drop_connection: bool,
    /// How many matching requests this applies to; `None` means every one, forever.
    pub times: Option<u32>,
}

impl Fault {
    /// Adds `ms` of latency to every matching request, which then proceeds normally.
    pub fn latency(ms: u64) -> Fault {
        Fault { delay_ms: ms, ..Fault::default() }
    }

    /// Answers matching requests with `code` in the API's error envelope.
    pub fn status(code: u16) -> Fault {
        Fault { status: Some(code), ..Fault::default() }
    }

    /// Drops the connection of matching requests without an answer.
    pub fn drop_connection() -> Fault {
        Fault { drop_connection: true, ..Fault::default() }
    }

    /// Applies to the next `n` matching requests only.
    pub fn times(mut self, n: u32) -> Fault {
        self.times = Some(n);
        self
    }

    /// Only requests to this API (`nextcap`, `nexadesk`, `deskhive`).
    pub fn api(mut self, api: impl Into<String>) -> Fault {
        self.api = Some(api.into());
        self
    }

    /// Only requests matching this operationId.
    pub fn operation(mut self, operation_id: impl Into<String>) -> Fault {
        self.operation_id = Some(operation_id.into());
        self
    }

    /// Only requests whose full path starts with `prefix`.
    pub fn path_prefix(mut self, prefix: impl Into<String>) -> Fault {
        self.path_prefix = Some(prefix.into());
        self
    }

    /// Only requests with this method.
    pub fn method(mut self, method: impl Into<String>) -> Fault {
        self.method = Some(method.into());
        self
    }

    /// Replaces the default error envelope of a status fault.
    pub fn body(mut self, body: serde_json::Value) -> Fault {
        self.body = Some(body);
        self
    }

    /// Adds a response header to a status fault.
    pub fn header(mut self, name: impl Into<String>, value: impl Into<String>) -> Fault {
        self.headers.insert(name.into(), value.into());
        self
    }

    /// Adds a delay before the fault's effect.
    pub fn delay(mut self, ms: u64) -> Fault {
        self.delay_ms = ms;
        self
    }

    /// Checks the parts a caller can get wrong; the control API answers 400 with this.
    pub fn validate(&self) -> Result<(), String> {
        if let Some(code) = self.status
            && !(100..=599).contains(&code)
        {
            return Err(format!("status: {code} is not an HTTP status (100-599)"));
        }
        for (name, value) in &self.headers {
            if http::HeaderName::from_bytes(name.as_bytes()).is_err() {
                return Err(format!("headers: {name:?} is not a valid header name"));
            }
            if http::HeaderValue::from_str(value).is_err() {
                return Err(format!("headers: value of {name:?} is not a valid header value"));
            }
        }
        if let Some(m) = &self.method
            && http::Method::from_bytes(m.to_ascii_uppercase().as_bytes()).is_err()
        {
            return Err(format!("method: {m:?} is not an HTTP method"));
        }
        Ok(())
    }

    fn matches(&self, req: &FaultTarget<'_>) -> bool {
        let api_ok = self.api.as_deref().is_none_or(|a| a == req.api);
        let op_ok = self.operation_id.as_deref().is_none_or(|op| Some(op) == req.operation_id);
        let path_ok = self.path_prefix.as_deref().is_none_or(|p| req.path.starts_with(p));
        let method_ok = self.method.as_deref().is_none_or(|m| m.eq_ignore_ascii_case(req.method));
        api_ok && op_ok && path_ok && method_ok
    }
}

/// The request attributes a fault filters on.
#[derive(Clone, Copy, Debug)]
pub struct FaultTarget<'a> {
    /// API name.
    pub api: &'a str,
    /// Matched operationId.
    pub operation_id: Option<&'a str>,
    /// Full path without query.
    pub path: &'a str,
    /// Method.
    pub method: &'a str,
}

/// The active faults, in insertion order.
#[derive(Clone, Debug, Default)]
pub struct FaultSet {
    faults: Vec<Fault>,
}

impl FaultSet {
    /// Adds a fault (one with `times: Some(0)` would never fire, so it is not kept).
    pub fn add(&mut self, fault: Fault) {
        if fault.times != Some(0) {
            self.faults.push(fault);
        }
    }

    /// Removes every fault; returns how many there were.
    pub fn clear(&mut self) -> usize {
        let n = self.faults.len();
        self.faults.clear();
        n
    }

    /// Every active fault.
    pub fn list(&self) -> Vec<Fault> {
        self.faults.clone()
    }

    /// Takes one use of the first fault matching the request: counts `times` down and removes
    /// the fault when it reaches zero.
    pub fn take(&mut self, target: &FaultTarget<'_>) -> Option<Fault> {
        let index = self.faults.iter().position(|f| f.matches(target))?;
        let fault = &mut self.faults[index];
        match fault.times.as_mut() {
            Some(left) if *left <= 1 => Some(self.faults.remove(index)),
            Some(left) => {
                *left -= 1;
                Some(fault.clone())
            }
            None => Some(fault.clone()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn target<'a>(op: Option<&'a str>) -> FaultTarget<'a> {
        FaultTarget { api: "nextcap", operation_id: op, path: "/nextcap/api/v1/external/leads", method: "GET" }
    }

    #[test]
    fn times_counts_down_and_filters_apply() {
        let mut set = FaultSet::default();
        set.add(Fault::status(500).times(2).operation("listLeads"));
        assert!(set.take(&target(Some("getLead"))).is_none());
        assert_eq!(set.take(&target(Some("listLeads"))).and_then(|f| f.status), Some(500));
        assert!(set.take(&target(Some("listLeads"))).is_some());
        assert!(set.take(&target(Some("listLeads"))).is_none());
        assert!(set.list().is_empty());
    }

    #[test]
    fn json_round_trip_and_validation() {
        let f: Fault = serde_json::from_str(r#"{"status": 503, "times": 1}"#).expect("json");
        assert_eq!(f, Fault::status(503).times(1));
        assert!(serde_json::from_str::<Fault>(r#"{"statuz": 1}"#).is_err());
        assert!(Fault::status(42).validate().is_err());
        assert!(Fault::latency(5).method("GET").validate().is_ok());
    }
}
