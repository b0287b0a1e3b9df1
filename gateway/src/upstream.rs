//! The studio, as the gateway asks it: one pooled HTTPS client (rustls) that adds the
//! photographer's login (the Cookie header, and the CSRF token on writes) to every request,
//! with a deadline per attempt, reads retried with backoff, and a booking retried only with
//! its own Idempotency-Key. A 401 or 403 means the login is no longer valid: it is remembered
//! for `/healthz`; except the 403 `invalid_token` of a request that carried a client's manage
//! token, which is the studio's verdict on that token, not on the login. Nothing here ever
//! writes a credential or a manage token into an error or a log line.

use std::sync::atomic::{AtomicU8, Ordering};
use std::sync::Arc;
use std::time::Duration;

use reqwest::header::{HeaderMap, HeaderValue, ACCEPT, CONTENT_TYPE, COOKIE, RETRY_AFTER};
use studio_booking_core::retry::{is_retryable_status, parse_retry_after, RetryPolicy};

use crate::metrics::Metrics;

/// What the gateway last learnt of the studio's login.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Login {
    /// Not asked yet.
    Unknown = 0,
    /// The studio answered with it.
    Accepted = 1,
    /// The studio answered 401 or 403: the photographer must log in again.
    Refused = 2,
}

/// An answer of the studio.
#[derive(Debug, Clone)]
pub struct Answer {
    pub status: u16,
    pub body: bytes::Bytes,
    /// Its Retry-After, in milliseconds, when it gave one.
    pub retry_after_ms: Option<u32>,
}

/// Why no usable answer came.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum UpstreamError {
    /// The studio refused the login (401/403).
    LoginRefused,
    /// No answer: the connection failed.
    Unreachable,
    /// No answer within the deadline.
    TimedOut,
    /// Still 429 or 5xx after the retries: busy (its Retry-After, if any).
    Busy { retry_after_ms: Option<u32> },
}

/// The studio's API, with the login.
pub struct Studio {
    client: reqwest::Client,
    base: String,
    csrf: HeaderValue,
    login: AtomicU8,
    metrics: Arc<Metrics>,
    reads: RetryPolicy,
    writes: RetryPolicy,
}

impl Studio {
    /// A client for the studio at `base` (its API base, no trailing slash).
    pub fn new(base: &str, cookie: &str, csrf_token: &str, timeout: Duration, metrics: Arc<Metrics>) -> Result<Studio, String> {
        let mut cookie = HeaderValue::from_str(cookie).map_err(|_| "the studio cookie is not a valid header value".to_string())?;
        cookie.set_sensitive(true);
        let mut csrf = HeaderValue::from_str(csrf_token).map_err(|_| "the CSRF token is not a valid header value".to_string())?;
        csrf.set_sensitive(true);
        let mut headers = HeaderMap::new();
        headers.insert(COOKIE, cookie);
        headers.insert(ACCEPT, HeaderValue::from_static("application/json"));
        let client = reqwest::Client::builder()
            .default_headers(headers)
            .timeout(timeout)
            .connect_timeout(timeout.min(Duration::from_secs(5)))
            .pool_idle_timeout(Duration::from_secs(60))
            .redirect(reqwest::redirect::Policy::none())
            .user_agent(concat!("studio-gateway/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(|e| format!("the HTTP client: {e}"))?;
        let ms = u32::try_from(timeout.as_millis()).unwrap_or(u32::MAX);
        Ok(Studio {
            client,
            base: base.trim_end_matches('/').to_string(),
            csrf,
            login: AtomicU8::new(Login::Unknown as u8),
            metrics,
            reads: RetryPolicy { max_attempts: 3, timeout_ms: ms, budget_ms: Some(ms.saturating_mul(2)), ..RetryPolicy::default() },
            writes: RetryPolicy { max_attempts: 3, timeout_ms: ms, budget_ms: Some(ms.saturating_mul(2)), ..RetryPolicy::default() },
        })
    }

    /// What the gateway last learnt of the login.
    pub fn login(&self) -> Login {
        match self.login.load(Ordering::Relaxed) {
            1 => Login::Accepted,
            2 => Login::Refused,
            _ => Login::Unknown,
        }
    }

    /// GETs `path` (relative to the API base, built by the gateway itself, never taken from a
    /// visitor's request as written), retrying a lost answer, a time-out, a 429 and a 5xx.
    pub async fn get(&self, path: &str) -> Result<Answer, UpstreamError> {
        let url = studio_booking_core::paths::join(&self.base, path);
        self.send(self.reads, false, || self.client.get(&url)).await
    }

    /// GETs `path` (built by the gateway) for a client, with their session's manage token in
    /// the `Manage-Token` header; retried as any read.
    pub async fn manage_get(&self, path: &str, token: &HeaderValue) -> Result<Answer, UpstreamError> {
        let url = studio_booking_core::paths::join(&self.base, path);
        self.send(self.reads, true, || self.client.get(&url).header(MANAGE_TOKEN, token.clone())).await
    }

    /// POSTs a client's change to their session (a cancel, a move) with their manage token and
    /// the CSRF token, and the Idempotency-Key when given. Retried as a booking is: a move
    /// under its own key, a cancel because cancelling a cancelled session only answers it again.
    pub async fn manage_post(
        &self,
        path: &str,
        token: &HeaderValue,
        idempotency_key: Option<&HeaderValue>,
        body: bytes::Bytes,
    ) -> Result<Answer, UpstreamError> {
        let url = studio_booking_core::paths::join(&self.base, path);
        self.send(self.writes, true, || {
            let request = self
                .client
                .post(&url)
                .header(CONTENT_TYPE, "application/json")
                .header(MANAGE_TOKEN, token.clone())
                .header("X-CSRF-Token", self.csrf.clone())
                .body(body.clone());
            match idempotency_key {
                Some(key) => request.header("Idempotency-Key", key.clone()),
                None => request,
            }
        })
        .await
    }

    /// POSTs a booking under its Idempotency-Key, with the CSRF token; a retry (a lost answer,
    /// a time-out, 429, 503) sends the same key and body, so it can never book twice.
    pub async fn book(&self, idempotency_key: &HeaderValue, body: bytes::Bytes) -> Result<Answer, UpstreamError> {
        let url = studio_booking_core::paths::sessions(&self.base);
        self.send(self.writes, false, || {
            self.client
                .post(&url)
                .header(CONTENT_TYPE, "application/json")
                .header("Idempotency-Key", idempotency_key.clone())
                .header("X-CSRF-Token", self.csrf.clone())
                .body(body.clone())
        })
        .await
    }

    /// Sends `request` (made afresh for each attempt) under `policy`. `with_token`: the request
    /// carries a client's manage token, so a 403 `invalid_token` is an answer to pass on.
    async fn send(&self, policy: RetryPolicy, with_token: bool, request: impl Fn() -> reqwest::RequestBuilder) -> Result<Answer, UpstreamError> {
        let started = std::time::Instant::now();
        let mut attempt = 1;
        loop {
            self.metrics.upstream_call();
            let outcome = match request().send().await {
                Ok(response) => {
                    let status = response.status().as_u16();
                    let retry_after_ms = parse_retry_after(response.headers().get(RETRY_AFTER).and_then(|v| v.to_str().ok()));
                    match response.bytes().await {
                        Ok(body) => Ok(Answer { status, body, retry_after_ms }),
                        Err(e) if e.is_timeout() => Err(UpstreamError::TimedOut),
                        Err(_) => Err(UpstreamError::Unreachable),
                    }
                }
                Err(e) if e.is_timeout() => Err(UpstreamError::TimedOut),
                Err(_) => Err(UpstreamError::Unreachable),
            };
            let (retry, retry_after_ms) = match &outcome {
                Ok(a) if (a.status == 401 || a.status == 403) && !(with_token && is_token_refusal(a)) => {
                    self.login.store(Login::Refused as u8, Ordering::Relaxed);
                    self.metrics.upstream_error();
                    return Err(UpstreamError::LoginRefused);
                }
                Ok(a) if is_retryable_status(a.status) || a.status >= 500 => (true, a.retry_after_ms),
                Ok(_) => {
                    self.login.store(Login::Accepted as u8, Ordering::Relaxed);
                    return outcome;
                }
                Err(_) => (true, None),
            };
            self.metrics.upstream_error();
            let elapsed = u32::try_from(started.elapsed().as_millis()).unwrap_or(u32::MAX);
            let wait = policy.wait_before_next(attempt, retry_after_ms, jitter()).filter(|w| policy.budget_ms.is_none_or(|b| elapsed + w < b));
            match (retry, wait) {
                (true, Some(ms)) => tokio::time::sleep(Duration::from_millis(u64::from(ms))).await,
                _ => {
                    return match outcome {
                        Ok(a) if is_retryable_status(a.status) => Err(UpstreamError::Busy { retry_after_ms: a.retry_after_ms }),
                        // A 500 of the studio's own (after its retries) is passed on as it is.
                        Ok(a) => Ok(a),
                        Err(e) => Err(e),
                    };
                }
            }
            attempt += 1;
        }
    }
}

/// The header of a client's manage token.
const MANAGE_TOKEN: &str = "Manage-Token";

/// Whether an answer is the studio refusing a client's manage token (403 `invalid_token`),
/// which says nothing of the gateway's own login.
fn is_token_refusal(a: &Answer) -> bool {
    a.status == 403
        && serde_json::from_slice::<serde_json::Value>(&a.body)
            .ok()
            .is_some_and(|b| b.pointer("/error/code").and_then(serde_json::Value::as_str) == Some("invalid_token"))
}

/// A number in [0, 1) for the backoff's jitter: the clock's nanoseconds are random enough to
/// spread the retries of many gateways apart.
fn jitter() -> f64 {
    let nanos = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.subsec_nanos()).unwrap_or(0);
    f64::from(nanos % 1_000_000) / 1_000_000.0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_a_403_invalid_token_is_about_the_token() {
        let answer = |status, body: &'static str| Answer { status, body: bytes::Bytes::from_static(body.as_bytes()), retry_after_ms: None };
        assert!(is_token_refusal(&answer(403, r#"{"error":{"code":"invalid_token","message":"no"}}"#)));
        assert!(!is_token_refusal(&answer(401, r#"{"error":{"code":"invalid_token","message":"no"}}"#)));
        assert!(!is_token_refusal(&answer(403, r#"{"error":{"code":"csrf_failed","message":"no"}}"#)));
        assert!(!is_token_refusal(&answer(403, "<html>Forbidden</html>")));
    }
}
