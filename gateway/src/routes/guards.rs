//! What every request passes before a handler sees it: a path that cannot climb out of the
//! API or smuggle a separator, the rate limits of the client's address, and one log line;
//! and the shape of the Idempotency-Key a write must carry. Nothing here logs a header, a
//! query, a coupon code or a manage token.

use std::net::{IpAddr, SocketAddr};
use std::num::NonZeroU32;
use std::sync::{Arc, LazyLock};
use std::time::{Duration, Instant};

use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderValue, Method};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use studio_booking_core::facts;

use super::error::Refused;
use super::{route, ApiError, Gateway};
use crate::config::Config;

/// Requests counted by client address (a burst of a minute's worth allowed).
type Limiter = governor::DefaultKeyedRateLimiter<IpAddr>;

/// The client's address as the guard took it (the proxy's view where it is trusted), for
/// handlers with limits of their own.
#[derive(Debug, Clone, Copy)]
pub(crate) struct ClientAddress(pub IpAddr);

/// A limiter of `per_minute` requests (at least one, whatever the settings say).
fn limiter(per_minute: u32) -> Limiter {
    let n = NonZeroU32::new(per_minute.max(1)).expect("at least one");
    governor::RateLimiter::keyed(governor::Quota::per_minute(n))
}

/// How often one client address may ask, by kind of request. Writes (a booking, a client's
/// cancel or move) count against the bookings' limit, reads (a client's own session among
/// them) against the reads'. A coupon check counts against the reads' and a stricter one of
/// its own: codes are short words that can be guessed, each check says whether one exists,
/// and a gift card's code is worth money, while a visitor checks one or two codes.
pub(super) struct Limits {
    reads: Limiter,
    bookings: Limiter,
    coupons: Limiter,
}

impl Limits {
    /// The limits of these settings.
    pub(super) fn new(config: &Config) -> Limits {
        Limits {
            reads: limiter(config.reads_per_minute),
            bookings: limiter(config.bookings_per_minute),
            coupons: limiter(config.coupon_checks_per_minute),
        }
    }

    /// Counts a request of `client`; Err with how long it must wait when it asks too often.
    fn check(&self, client: IpAddr, write: bool, coupon_check: bool) -> Result<(), Duration> {
        let (limiter, also) = if write { (&self.bookings, None) } else { (&self.reads, coupon_check.then_some(&self.coupons)) };
        let now = || governor::clock::Clock::now(&governor::clock::DefaultClock::default());
        limiter.check_key(&client).and_then(|()| also.map_or(Ok(()), |l| l.check_key(&client))).map_err(|not_until| not_until.wait_time_from(now()))
    }

    /// Forgets the addresses that have not asked for a while.
    fn forget_quiet(&self) {
        self.reads.retain_recent();
        self.bookings.retain_recent();
        self.coupons.retain_recent();
    }
}

/// Whether a raw request path holds what could climb out of the API or smuggle a separator:
/// dot segments (written or encoded), encoded slashes or backslashes, empty segments, control
/// characters. Such a request is refused whole.
fn is_hostile_path(raw: &str) -> bool {
    let lower = raw.to_ascii_lowercase();
    raw.contains("//")
        || raw.contains('\\')
        || raw.split('/').any(|s| s == "." || s == "..")
        || ["%2e", "%2f", "%5c", "%00", "%0a", "%0d", "%25"].iter().any(|e| lower.contains(e))
        || raw.bytes().any(|b| b < 0x20 || b == 0x7f)
}

/// The client's address: the connection's peer, or, behind a proxy the gateway is told to
/// trust, the last address in `X-Forwarded-For` (the one that proxy added).
fn client_address(config: &Config, request: &Request) -> IpAddr {
    let peer = request.extensions().get::<axum::extract::ConnectInfo<SocketAddr>>().map(|c| c.0.ip());
    let forwarded = || {
        let all = request.headers().get_all("x-forwarded-for");
        let last = all.iter().filter_map(|v| v.to_str().ok()).flat_map(|v| v.split(',')).map(str::trim).rfind(|v| !v.is_empty())?;
        last.parse::<IpAddr>().ok()
    };
    let chosen = if config.trust_forwarded_for { forwarded().or(peer) } else { peer };
    chosen.unwrap_or(IpAddr::from([0, 0, 0, 0]))
}

/// The coupon check's route in two parts, around its session type id: what comes before it
/// (`/api/v1/session_types/`) and what between it and the code (`/coupons/`).
static COUPON_ROUTE: LazyLock<(String, String)> = LazyLock::new(|| {
    let route = route(facts::COUPON);
    let (before, rest) = route.split_once("{id}").expect("the coupon path names its session type");
    let (between, _) = rest.split_once("{code}").expect("the coupon path ends with its code");
    (before.to_string(), between.to_string())
});

/// Whether a request path is a coupon check.
fn is_coupon_check(path: &str) -> bool {
    let (before, between) = &*COUPON_ROUTE;
    path.starts_with(before.as_str()) && path.contains(between.as_str())
}

/// The path as the log shows it: at most 160 characters, no control characters, and a coupon
/// code left out (a gift card's code is as good as money). Session ids stay: they open nothing
/// without their manage token.
fn logged_path(path: &str) -> String {
    let between = &COUPON_ROUTE.1;
    let path = match path.find(between.as_str()) {
        Some(at) if is_coupon_check(path) => format!("{}{between}-", &path[..at]),
        _ => path.to_string(),
    };
    path.chars().take(160).filter(|c| !c.is_control()).collect()
}

/// The gateway's own deadline for a whole request (`request_timeout`): past it the studio is
/// taken as unavailable, and the visitor hears so in the contract's JSON body (503
/// `studio_unavailable`, with Retry-After), like any other answer, not an empty 408.
pub(super) async fn deadline(State(g): State<Arc<Gateway>>, request: Request, next: Next) -> Response {
    match tokio::time::timeout(g.config.request_timeout, next.run(request)).await {
        Ok(answer) => answer,
        Err(_) => ApiError::Upstream(crate::upstream::UpstreamError::TimedOut).into_response(),
    }
}

/// Counts the request, refuses hostile paths before any routing, holds back a client that
/// asks too often, counts the gateway's own refusals, and writes one log line: method, path
/// (no query, no coupon code), status, time, upstream calls. No header is logged: no personal
/// data, no credentials, no manage token.
pub(super) async fn guard(State(g): State<Arc<Gateway>>, mut request: Request, next: Next) -> Response {
    g.metrics.request();
    let started = Instant::now();
    let method = request.method().clone();
    let path = request.uri().path().to_string();
    let calls_before = g.metrics.upstream_calls();
    let client = client_address(&g.config, &request);
    request.extensions_mut().insert(ClientAddress(client));
    let response = if is_hostile_path(&path) || request.uri().query().is_some_and(|q| q.len() > 256) {
        ApiError::NotFound.into_response()
    } else if method == Method::OPTIONS {
        next.run(request).await
    } else if let Err(wait) = g.limits.check(client, method == Method::POST, is_coupon_check(&path)) {
        g.metrics.rate_limited();
        ApiError::RateLimited { retry_after_secs: wait.as_secs().max(1) }.into_response()
    } else {
        next.run(request).await
    };
    if response.extensions().get::<Refused>().is_some() {
        g.metrics.refused();
    }
    if g.metrics.requests() % 4096 == 0 {
        g.limits.forget_quiet();
    }
    let shown = logged_path(&path);
    tracing::info!(
        method = %method,
        path = %shown,
        status = response.status().as_u16(),
        ms = started.elapsed().as_millis() as u64,
        upstream_calls = g.metrics.upstream_calls().saturating_sub(calls_before),
        "request"
    );
    response
}

/// An Idempotency-Key as the contract allows it: 8 to 255 visible ASCII characters; Err with
/// `refusal` (a 400 that says which request needs one) for none or another.
pub(super) fn idempotency_key(headers: &HeaderMap, refusal: &'static str) -> Result<HeaderValue, ApiError> {
    let key = headers.get("idempotency-key").ok_or(ApiError::BadRequest(refusal))?;
    let ok = (8..=255).contains(&key.len()) && key.as_bytes().iter().all(|b| (0x21..=0x7e).contains(b));
    ok.then(|| key.clone()).ok_or(ApiError::BadRequest(refusal))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hostile_paths_are_recognised() {
        for bad in [
            "/api/v1/../admin",
            "/api/v1/session_types/%2e%2e/x",
            "/api/v1/session_types/a%2Fb",
            "//api/v1/sessions",
            "/api/v1/session_types/x/check-day-avail/2026-1-1-Europe%5cLondon",
            "/api/v1/./sessions",
            "/api/v1/x%0d%0aSet-Cookie:%20a",
            "/api/v1/%252e%252e/",
        ] {
            assert!(is_hostile_path(bad), "{bad}");
        }
        for fine in ["/api/v1/session_types/", "/api/v1/session_types/set_A/check-day-avail/2026-12-2-America/Argentina/Buenos_Aires", "/healthz"] {
            assert!(!is_hostile_path(fine), "{fine}");
        }
    }

    #[test]
    fn idempotency_keys_are_8_to_255_visible_characters() {
        let mut h = HeaderMap::new();
        assert!(idempotency_key(&h, "none").is_err());
        h.insert("idempotency-key", HeaderValue::from_static("short"));
        assert!(idempotency_key(&h, "short").is_err());
        h.insert("idempotency-key", HeaderValue::from_static("sb-0123456789abcdef"));
        assert!(idempotency_key(&h, "fine").is_ok());
        h.insert("idempotency-key", HeaderValue::from_static("sb-0123456789 abcdef"));
        assert!(matches!(idempotency_key(&h, "spaced"), Err(ApiError::BadRequest("spaced"))));
    }

    #[test]
    fn the_log_shows_no_coupon_code() {
        assert_eq!(logged_path("/api/v1/session_types/set_A/coupons/TOKYOGIFT"), "/api/v1/session_types/set_A/coupons/-");
        assert_eq!(logged_path("/api/v1/sessions/ses_A/cancel"), "/api/v1/sessions/ses_A/cancel");
        assert_eq!(logged_path(&format!("/api/v1/{}", "a".repeat(300))).chars().count(), 160);
        assert!(is_coupon_check("/api/v1/session_types/set_A/coupons/X") && !is_coupon_check("/api/v1/sessions/ses_A"));
    }
}
