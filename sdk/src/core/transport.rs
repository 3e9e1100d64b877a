//! The one place a request goes out: auth, rate limiting, retries, deadline, tracing.
//!
//! Every endpoint method builds a [`RequestSpec`] and calls [`Transport::execute`] (or one of
//! the typed helpers). The spec is plain data, so a retry rebuilds the request from it rather
//! than cloning a half-consumed `reqwest::Request`.

use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use http::{HeaderMap, Method};
use serde::Serialize;
use serde::de::DeserializeOwned;
use tokio::time::Instant;
use tracing::Instrument;

use super::config::ClientOptions;
use super::decode::decode_json;
use super::error::{DecodeError, Error, Result};
use super::flavor::{ApiFlavor, base_error, sensitive};
use super::ratelimit::RateLimiter;
use super::secret::ApiKey;

/// A request as data: rebuilt for every attempt.
#[derive(Clone, Debug)]
pub(crate) struct RequestSpec {
    pub method: Method,
    /// Path below the base URL, segments already percent-encoded, starting with `/`.
    pub path: String,
    /// Encoded query string without the leading `?` (may be empty).
    pub query: String,
    pub body: Option<Bytes>,
}

impl RequestSpec {
    pub(crate) fn new(method: Method, path: impl Into<String>) -> Self {
        Self { method, path: path.into(), query: String::new(), body: None }
    }

    /// Sets the query from a serializable struct (fields that are `None` are skipped by it).
    pub(crate) fn query(mut self, query: &impl Serialize) -> Result<Self> {
        self.query = serde_urlencoded::to_string(query)
            .map_err(|e| Error::invalid("query", format!("cannot encode the query string: {e}")))?;
        Ok(self)
    }

    /// Sets a JSON body.
    pub(crate) fn json(mut self, body: &impl Serialize) -> Result<Self> {
        let bytes =
            serde_json::to_vec(body).map_err(|e| Error::invalid("body", format!("cannot encode the body: {e}")))?;
        self.body = Some(Bytes::from(bytes));
        Ok(self)
    }

    fn idempotent(&self) -> bool {
        matches!(self.method, Method::GET | Method::HEAD | Method::PUT | Method::DELETE | Method::OPTIONS)
    }
}

/// A response that passed the status check.
#[derive(Debug)]
pub(crate) struct RawResponse {
    pub status: u16,
    pub body: Bytes,
    /// The server's clock when it answered (the `Date` header, RFC 9110 section 6.6.1), if sent
    /// and valid: list walks pin their snapshot to it rather than to the local clock.
    pub date: Option<std::time::SystemTime>,
    /// The `Location` header of a redirect (RFC 9110 section 10.2.2), as sent (maybe relative).
    pub location: Option<String>,
}

/// Shared by every clone of a client.
pub(crate) struct Inner {
    http: reqwest::Client,
    base_url: String,
    key: ApiKey,
    flavor: &'static dyn ApiFlavor,
    limiter: Arc<RateLimiter>,
    pub(crate) options: ClientOptions,
}

/// Cheap to clone: an `Arc` around the client's state.
#[derive(Clone)]
pub(crate) struct Transport {
    inner: Arc<Inner>,
}

impl std::fmt::Debug for Transport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Transport")
            .field("api", &self.inner.flavor.kind())
            .field("base_url", &self.inner.base_url)
            .field("key", &self.inner.key)
            .finish_non_exhaustive()
    }
}

impl Transport {
    pub(crate) fn new(flavor: &'static dyn ApiFlavor, key: ApiKey, options: ClientOptions) -> Result<Self> {
        flavor.check_key(&key)?;
        let base_url = match options.base_url.as_deref().or(flavor.default_base_url()) {
            Some(url) => check_base_url(url)?,
            None => {
                return Err(Error::invalid(
                    "base_url",
                    format!(
                        "{} is self-hosted: set the installation's base URL, e.g. https://help.example.com/api/v1",
                        flavor.kind()
                    ),
                ));
            }
        };
        // The header must be valid before the first request, not fail on it.
        sensitive(&flavor.auth_header(&key).1)?;
        let http = match &options.http {
            Some(client) => client.clone(),
            None => reqwest::Client::builder()
                .timeout(options.timeout)
                .connect_timeout(options.connect_timeout)
                .user_agent(options.user_agent.clone())
                // Redirects are never followed for the client: reqwest strips only the standard
                // credential headers on a cross-origin redirect, not a custom one such as Next
                // Cap's `x-api-key`, so following would hand the key to whatever host a 3xx
                // names. The one operation that redirects reads `Location` itself
                // ([`Transport::redirect_target`]), and presigned fetches follow by hand, keyless.
                .redirect(reqwest::redirect::Policy::none())
                .build()
                .map_err(Error::Transport)?,
        };
        let limiter = RateLimiter::shared(&base_url, fingerprint(&key));
        Ok(Self { inner: Arc::new(Inner { http, base_url, key, flavor, limiter, options }) })
    }

    pub(crate) fn base_url(&self) -> &str {
        &self.inner.base_url
    }

    pub(crate) fn options(&self) -> &ClientOptions {
        &self.inner.options
    }

    /// Sends `spec` and decodes a success body as `T`.
    pub(crate) async fn json<T: DeserializeOwned>(&self, spec: RequestSpec) -> Result<T> {
        let resp = self.execute(spec).await?;
        decode_json(resp.status, &resp.body)
    }

    /// Sends `spec` with retries, rate limiting and the call's deadline; returns a 2xx/3xx
    /// response or the decoded API error.
    pub(crate) async fn execute(&self, spec: RequestSpec) -> Result<RawResponse> {
        let deadline = self.inner.options.retry.deadline;
        let deadline_at = later(Instant::now(), deadline);
        match tokio::time::timeout_at(deadline_at, self.run(&spec, deadline_at)).await {
            Ok(result) => result,
            Err(_) => Err(Error::Timeout { deadline }),
        }
    }

    async fn run(&self, spec: &RequestSpec, deadline_at: Instant) -> Result<RawResponse> {
        let inner = &*self.inner;
        let policy = &inner.options.retry;
        let mut failures = 0u32;
        let mut limited = 0u32;
        for attempt in 1u32.. {
            if inner.options.respect_rate_limit {
                let left = deadline_at.saturating_duration_since(Instant::now());
                // A wait beyond the cap is not taken: the request goes out and the API's own
                // 429 reaches the caller, which is more useful than a guess.
                let _ = inner.limiter.acquire(policy.max_rate_limit_wait.min(left)).await;
            }
            let span = tracing::debug_span!(
                "deskapi.request",
                api = %inner.flavor.kind(),
                method = %spec.method,
                path = %spec.path,
                attempt,
                status = tracing::field::Empty,
            );
            let outcome = self.send_once(spec).instrument(span.clone()).await;
            let wait = match outcome {
                Ok((status, headers, body)) => {
                    span.record("status", status);
                    if status < 400 {
                        inner.limiter.observe(&headers, None);
                        let date = headers
                            .get(http::header::DATE)
                            .and_then(|v| v.to_str().ok())
                            .and_then(|v| httpdate::parse_http_date(v).ok());
                        let location =
                            headers.get(http::header::LOCATION).and_then(|v| v.to_str().ok()).map(str::to_owned);
                        return Ok(RawResponse { status, body, date, location });
                    }
                    let err = inner.flavor.decode_error(base_error(inner.flavor.kind(), status, &headers, &body));
                    if status == 429 {
                        let hint = err
                            .retry_after
                            .or_else(|| {
                                inner.limiter.observe(&headers, None);
                                inner.limiter.until_reset()
                            })
                            .unwrap_or_else(|| policy.backoff(limited + 1));
                        limited += 1;
                        if limited > policy.max_rate_limited_retries || hint > policy.max_rate_limit_wait {
                            // Not slept: the caller gets the 429 with the server's hint in it.
                            inner.limiter.observe(&headers, None);
                            return Err(Error::Api(Box::new(err)));
                        }
                        inner.limiter.observe(&headers, Some(hint));
                        tracing::debug!(parent: &span, wait_ms = hint.as_millis() as u64, "429: waiting before retrying");
                        (hint, Error::Api(Box::new(err)))
                    } else {
                        inner.limiter.observe(&headers, None);
                        // A 5xx may say when to come back (`Retry-After` on a 503); a hint
                        // beyond the maximum wait is surfaced rather than slept.
                        let hint = err.retry_after.filter(|_| status >= 500);
                        let within = hint.is_none_or(|h| h <= policy.max_rate_limit_wait);
                        if status >= 500 && within && spec.idempotent() && failures + 1 < policy.max_attempts {
                            failures += 1;
                            (hint.unwrap_or_else(|| policy.backoff(failures)), Error::Api(Box::new(err)))
                        } else {
                            return Err(Error::Api(Box::new(err)));
                        }
                    }
                }
                Err(e) => {
                    inner.limiter.abandon_probe();
                    // An attempt that ran out of time (before the headers or while the body
                    // stalled) is a timeout, whatever stage reqwest was in when it fired.
                    let err = if e.is_timeout() {
                        Error::Timeout { deadline: inner.options.timeout }
                    } else {
                        Error::Transport(e)
                    };
                    if spec.idempotent() && failures + 1 < policy.max_attempts {
                        failures += 1;
                        (policy.backoff(failures), err)
                    } else {
                        return Err(err);
                    }
                }
            };
            let (delay, last_error) = wait;
            if Instant::now().checked_add(delay).is_none_or(|at| at >= deadline_at) {
                // Sleeping would cross the deadline: the last error says more than a timeout.
                return Err(last_error);
            }
            tracing::debug!(delay_ms = delay.as_millis() as u64, error = %last_error, "retrying");
            tokio::time::sleep(delay).await;
        }
        unreachable!("the attempt counter is unbounded")
    }

    async fn send_once(&self, spec: &RequestSpec) -> std::result::Result<(u16, HeaderMap, Bytes), reqwest::Error> {
        let inner = &*self.inner;
        let mut url = String::with_capacity(inner.base_url.len() + spec.path.len() + spec.query.len() + 1);
        url.push_str(&inner.base_url);
        url.push_str(&spec.path);
        if !spec.query.is_empty() {
            url.push('?');
            url.push_str(&spec.query);
        }
        let (name, value) = inner.flavor.auth_header(&inner.key);
        // Checked when the client was built, so this cannot fail here.
        let value = sensitive(&value).unwrap_or_else(|_| http::HeaderValue::from_static(""));
        let mut req = inner
            .http
            .request(spec.method.clone(), url)
            .header(name, value)
            .header(http::header::ACCEPT, "application/json");
        if let Some(body) = &spec.body {
            req = req.header(http::header::CONTENT_TYPE, "application/json").body(body.clone());
        }
        let started = std::time::Instant::now();
        let resp = req.send().await?;
        let status = resp.status().as_u16();
        let headers = resp.headers().clone();
        let body = resp.bytes().await?;
        tracing::debug!(status, elapsed_ms = started.elapsed().as_millis() as u64, "response");
        Ok((status, headers, body))
    }
}

/// Where a one-shot request goes: a path under the API's base URL (sent with the key), or an
/// absolute presigned URL (sent without it: its signature is the authorisation, and the key must
/// never reach a file host).
pub(crate) enum Target {
    /// A path under the base URL.
    Api(String),
    /// An absolute URL handed out by the API.
    Presigned(String),
}

impl Transport {
    /// Sends one request exactly once (no retry: an upload's body is a stream that cannot be
    /// replayed) and returns the response with its body unread, so a download can be streamed.
    /// `build` adds the body and headers. An error status is decoded into the API's error.
    pub(crate) async fn once(
        &self,
        method: Method,
        target: Target,
        build: impl FnOnce(reqwest::RequestBuilder) -> reqwest::RequestBuilder,
    ) -> Result<reqwest::Response> {
        let inner = &*self.inner;
        let (url, keyed) = match target {
            Target::Api(path) => (format!("{}{path}", inner.base_url), true),
            Target::Presigned(url) => (url, false),
        };
        let follow = !keyed && method == Method::GET;
        let mut req = inner.http.request(method, url);
        if keyed {
            if inner.options.respect_rate_limit {
                let _ = inner.limiter.acquire(inner.options.retry.max_rate_limit_wait).await;
            }
            let (name, value) = inner.flavor.auth_header(&inner.key);
            let value = sensitive(&value).unwrap_or_else(|_| http::HeaderValue::from_static(""));
            req = req.header(name, value).header(http::header::ACCEPT, "application/json");
        }
        let failed = |e: reqwest::Error| {
            if keyed {
                inner.limiter.abandon_probe();
            }
            if e.is_timeout() { Error::Timeout { deadline: inner.options.timeout } } else { Error::Transport(e) }
        };
        let mut resp = build(req).send().await.map_err(failed)?;
        // A keyless GET (a presigned download) may be redirected by its file host; it carries no
        // key, so following it by hand is safe where the client's own policy follows nothing.
        let mut hops = 0;
        while follow && resp.status().is_redirection() && hops < MAX_REDIRECTS {
            let Some(next) = location_of(resp.url(), resp.headers()) else { break };
            hops += 1;
            resp = inner.http.get(next).send().await.map_err(failed)?;
        }
        let status = resp.status().as_u16();
        let headers = resp.headers().clone();
        if keyed {
            inner.limiter.observe(&headers, None);
        }
        if status < 400 {
            return Ok(resp);
        }
        let body = resp.bytes().await.map_err(Error::Transport)?;
        Err(Error::Api(Box::new(inner.flavor.decode_error(base_error(inner.flavor.kind(), status, &headers, &body)))))
    }
}

/// Redirects a keyless download follows before its 3xx counts as the answer (reqwest's default).
const MAX_REDIRECTS: usize = 10;

/// The absolute URL a redirect's `Location` names, resolved against the URL that answered
/// (RFC 9110 section 10.2.2 allows a relative reference); `None` without a usable header.
fn location_of(base: &url::Url, headers: &HeaderMap) -> Option<url::Url> {
    let value = headers.get(http::header::LOCATION)?.to_str().ok()?;
    base.join(value).ok().filter(|u| matches!(u.scheme(), "http" | "https"))
}

impl Transport {
    /// Sends `spec` (a `GET` with the key, retried like any other) to an operation that answers
    /// with a redirect, and returns the absolute URL of its `Location` without following it, so
    /// the key never reaches the redirect's target. A success that is not a redirect, or a
    /// redirect without a usable `Location`, is a [`Error::Decode`] naming the status.
    pub(crate) async fn redirect_target(&self, spec: RequestSpec) -> Result<String> {
        let url = format!("{}{}", self.inner.base_url, spec.path);
        let resp = self.execute(spec).await?;
        let base = url::Url::parse(&url).map_err(|e| Error::invalid("path", e.to_string()))?;
        let target = (300..400)
            .contains(&resp.status)
            .then_some(resp.location.as_deref())
            .flatten()
            .and_then(|loc| base.join(loc).ok())
            .filter(|u| matches!(u.scheme(), "http" | "https"));
        target.map(String::from).ok_or_else(|| {
            Error::Decode(Box::new(DecodeError {
                status: resp.status,
                path: "Location".to_owned(),
                message: "expected a redirect with an http(s) `Location` header".to_owned(),
                body: String::from_utf8_lossy(&resp.body).into_owned(),
            }))
        })
    }
}

/// `at + by`, or an instant decades ahead when the sum overflows the clock (a configured
/// `Duration::MAX` deadline means "no deadline", not a panic).
fn later(at: Instant, by: Duration) -> Instant {
    at.checked_add(by).or_else(|| at.checked_add(Duration::from_secs(60 * 60 * 24 * 365 * 30))).unwrap_or(at)
}

/// Validates and normalises a base URL (no trailing slash).
fn check_base_url(url: &str) -> Result<String> {
    let parsed = url::Url::parse(url).map_err(|e| Error::invalid("base_url", format!("`{url}` is not a URL: {e}")))?;
    if !matches!(parsed.scheme(), "http" | "https") {
        return Err(Error::invalid("base_url", format!("`{url}` must use http or https")));
    }
    if parsed.host_str().is_none_or(str::is_empty) {
        return Err(Error::invalid("base_url", format!("`{url}` has no host")));
    }
    if parsed.query().is_some() || parsed.fragment().is_some() {
        return Err(Error::invalid("base_url", format!("`{url}` must not have a query or fragment")));
    }
    Ok(url.trim_end_matches('/').to_owned())
}

/// A stable, non-reversible identity for a key, so the rate-limiter registry never stores it.
fn fingerprint(key: &ApiKey) -> u64 {
    use std::hash::BuildHasher;
    static SEED: std::sync::OnceLock<std::collections::hash_map::RandomState> = std::sync::OnceLock::new();
    SEED.get_or_init(Default::default).hash_one(key.expose())
}

/// Percent-encodes one path segment (an ID), rejecting an empty one before any request.
pub(crate) fn segment(name: &str, value: &str) -> Result<String> {
    if value.trim().is_empty() {
        return Err(Error::invalid(name, "must not be empty"));
    }
    const SEGMENT: &percent_encoding::AsciiSet =
        &percent_encoding::NON_ALPHANUMERIC.remove(b'-').remove(b'_').remove(b'.').remove(b'~');
    Ok(percent_encoding::utf8_percent_encode(value, SEGMENT).to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base_urls_are_checked_and_normalised() {
        assert_eq!(check_base_url("https://x.test/api/v1/").unwrap(), "https://x.test/api/v1");
        for bad in ["", "x.test", "ftp://x.test", "https://x.test/api?x=1", "https://x.test/#f"] {
            assert!(check_base_url(bad).is_err(), "{bad}");
        }
    }

    async fn transport_for(server: &wiremock::MockServer) -> Transport {
        let options = ClientOptions {
            base_url: Some(server.uri()),
            retry: super::super::config::RetryPolicy::default().initial_backoff(std::time::Duration::from_millis(5)),
            ..ClientOptions::default()
        };
        Transport::new(&super::super::flavor::PLAIN, ApiKey::new("sk_live_unit"), options).unwrap()
    }

    #[tokio::test]
    async fn server_errors_are_not_retried_for_post_or_patch() {
        use wiremock::{Mock, ResponseTemplate, matchers::any};
        for method in [Method::POST, Method::PATCH] {
            let server = wiremock::MockServer::start().await;
            Mock::given(any()).respond_with(ResponseTemplate::new(503)).mount(&server).await;
            let t = transport_for(&server).await;
            let spec = RequestSpec::new(method.clone(), "/external/webhooks")
                .json(&serde_json::json!({"url": "https://x.test"}))
                .unwrap();
            let err = t.execute(spec).await.unwrap_err();
            assert_eq!(err.status(), Some(503));
            assert_eq!(server.received_requests().await.unwrap().len(), 1, "{method} must not be retried");
        }
    }

    #[tokio::test]
    async fn a_429_is_retried_even_for_post() {
        use wiremock::{Mock, ResponseTemplate, matchers::any};
        let server = wiremock::MockServer::start().await;
        Mock::given(any())
            .respond_with(ResponseTemplate::new(429).insert_header("retry-after", "0"))
            .up_to_n_times(1)
            .mount(&server)
            .await;
        Mock::given(any()).respond_with(ResponseTemplate::new(201).set_body_string("{}")).mount(&server).await;
        let t = transport_for(&server).await;
        let spec = RequestSpec::new(Method::POST, "/external/webhooks").json(&serde_json::json!({})).unwrap();
        assert_eq!(t.execute(spec).await.unwrap().status, 201);
        assert_eq!(server.received_requests().await.unwrap().len(), 2);
    }

    #[test]
    fn segments_are_encoded_and_empty_ones_rejected() {
        assert_eq!(segment("id", "a b/c").unwrap(), "a%20b%2Fc");
        assert!(matches!(segment("id", " "), Err(Error::InvalidArgument { .. })));
    }
}
