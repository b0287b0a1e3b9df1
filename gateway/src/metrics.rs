//! Counters for `/metrics`, in Prometheus' text format: requests, upstream calls and errors,
//! cache hits, refusals by rate limit. Counters only, no labels with a visitor's data.

use std::sync::atomic::{AtomicU64, Ordering};

/// The gateway's counters since it started.
#[derive(Debug, Default)]
pub struct Metrics {
    requests: AtomicU64,
    upstream_calls: AtomicU64,
    upstream_errors: AtomicU64,
    cache_hits: AtomicU64,
    rate_limited: AtomicU64,
    refused: AtomicU64,
}

fn add(counter: &AtomicU64) {
    counter.fetch_add(1, Ordering::Relaxed);
}

impl Metrics {
    /// A visitor's request came in.
    pub fn request(&self) {
        add(&self.requests);
    }
    /// A request went to the studio (each retry counts).
    pub fn upstream_call(&self) {
        add(&self.upstream_calls);
    }
    /// The studio's answer was an error or none came.
    pub fn upstream_error(&self) {
        add(&self.upstream_errors);
    }
    /// An answer was served from the cache.
    pub fn cache_hit(&self) {
        add(&self.cache_hits);
    }
    /// A visitor was refused for asking too often.
    pub fn rate_limited(&self) {
        add(&self.rate_limited);
    }
    /// A request was refused before reaching the studio (a path or method not offered, a
    /// booking that breaks the session type's rules, a body too large).
    pub fn refused(&self) {
        add(&self.refused);
    }

    /// The requests so far.
    pub fn requests(&self) -> u64 {
        self.requests.load(Ordering::Relaxed)
    }

    /// The upstream calls so far (for tests and the load benchmark).
    pub fn upstream_calls(&self) -> u64 {
        self.upstream_calls.load(Ordering::Relaxed)
    }

    /// The counters in Prometheus' text exposition format.
    pub fn render(&self) -> String {
        let mut out = String::new();
        for (name, help, counter) in [
            ("studio_gateway_requests_total", "Requests from visitors.", &self.requests),
            ("studio_gateway_upstream_calls_total", "Requests sent to the studio, retries included.", &self.upstream_calls),
            ("studio_gateway_upstream_errors_total", "Studio answers that were errors, or that never came.", &self.upstream_errors),
            ("studio_gateway_cache_hits_total", "Answers served from the cache.", &self.cache_hits),
            ("studio_gateway_rate_limited_total", "Requests refused with 429 for asking too often.", &self.rate_limited),
            ("studio_gateway_refused_total", "Requests refused before they reached the studio.", &self.refused),
        ] {
            out += &format!("# HELP {name} {help}\n# TYPE {name} counter\n{name} {}\n", counter.load(Ordering::Relaxed));
        }
        out
    }
}
