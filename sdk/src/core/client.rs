//! The builder every client is made with.
//!
//! One generic builder instead of one per API: the options are the same everywhere, and what
//! differs (key prefix, auth header, error envelope, default URL) comes from the API's flavor.

use std::fmt;
use std::time::Duration;

use super::config::{ClientOptions, RetryPolicy};
use super::error::Result;
use super::flavor::ApiFlavor;
use super::secret::ApiKey;
use super::transport::Transport;

/// Builds a client of type `C`; get one from the client type's `builder(key)` (every client has one).
#[must_use = "call .build() to get a client"]
pub struct ClientBuilder<C> {
    flavor: &'static dyn ApiFlavor,
    key: ApiKey,
    options: ClientOptions,
    make: fn(Transport) -> C,
}

impl<C> fmt::Debug for ClientBuilder<C> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("api", &self.flavor.kind())
            .field("key", &self.key)
            .field("options", &self.options)
            .finish()
    }
}

impl<C> ClientBuilder<C> {
    pub(crate) fn new(flavor: &'static dyn ApiFlavor, key: ApiKey, make: fn(Transport) -> C) -> Self {
        Self { flavor, key, options: ClientOptions::default(), make }
    }

    /// Points the client somewhere else: a mock server, a proxy, a self-hosted installation.
    /// Must be an `http(s)` URL without query or fragment; a trailing `/` is ignored.
    pub fn base_url(mut self, url: impl Into<String>) -> Self {
        self.options.base_url = Some(url.into());
        self
    }

    /// Replaces the retry policy.
    pub fn retry_policy(mut self, policy: RetryPolicy) -> Self {
        self.options.retry = policy;
        self
    }

    /// Whether to wait before sending when the rate-limit window is spent (default `true`).
    /// With `false`, requests go out regardless and 429s are still retried per the policy.
    pub fn respect_rate_limit(mut self, yes: bool) -> Self {
        self.options.respect_rate_limit = yes;
        self
    }

    /// Timeout of a single attempt (default 30 s). The call's total is the policy's deadline.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.options.timeout = timeout;
        self
    }

    /// Connect timeout (default 10 s).
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.options.connect_timeout = timeout;
        self
    }

    /// Default read-ahead of list streams, in pages (at least 1; default 4).
    pub fn read_ahead(mut self, pages: usize) -> Self {
        self.options.read_ahead = pages.max(1);
        self
    }

    /// The `User-Agent` header.
    pub fn user_agent(mut self, agent: impl Into<String>) -> Self {
        self.options.user_agent = agent.into();
        self
    }

    /// Uses this `reqwest::Client` (its own timeouts, user agent and redirect policy apply).
    /// Build it with `.redirect(reqwest::redirect::Policy::none())`, as the SDK's own client is:
    /// reqwest drops only the standard credential headers when a redirect changes origin, so a
    /// client that follows redirects would forward a custom key header (Next Cap's
    /// `x-api-key`, Desk Hive's) to the redirect's target. The SDK reads the redirects it
    /// expects itself.
    pub fn http_client(mut self, client: reqwest::Client) -> Self {
        self.options.http = Some(client);
        self
    }

    /// Checks the key and the base URL, and builds the client. No request is sent.
    pub fn build(self) -> Result<C> {
        let transport = Transport::new(self.flavor, self.key, self.options)?;
        Ok((self.make)(transport))
    }
}
