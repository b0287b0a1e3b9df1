//! The HTTP side of the mock studio: routing of the contract's paths, CORS for any origin
//! (public mode) or the owner's login and no CORS at all (studio mode, [`crate::login`]),
//! the admin endpoints tests use, fault injection, and a server loop that stops cleanly.
//!
//! Routing is done by hand over the raw path, so that every answer, even to a path, method
//! or body no router would accept, is an error of the contract's shape.

use std::io;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use bytes::Bytes;
use http_body_util::{BodyExt, Full, Limited};
use hyper::body::Incoming;
use hyper::header::{HeaderMap, HeaderValue, CONTENT_LENGTH, CONTENT_TYPE, COOKIE};
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper::{Method, Request, Response, StatusCode};
use hyper_util::rt::{TokioIo, TokioTimer};
use serde_json::{json, Value};
use tokio::net::TcpListener;

use crate::demo;
use crate::faults::{FaultKind, FaultRule, Faults};
use crate::studio::{Clock, Reply, Studio, StudioConfig};

/// The largest request body read: a booking is a few KB at most.
pub const MAX_BODY_BYTES: usize = 64 * 1024;

/// Everything the server shares between connections.
pub struct AppState {
    pub studio: Mutex<Studio>,
    pub faults: Mutex<Faults>,
    pub config: StudioConfig,
    /// Studio mode: the owner's login has expired (`/__admin/session/expire`), so every API
    /// request gets 401 until `/__admin/session/renew` or `/__admin/reset`.
    pub login_expired: AtomicBool,
}

impl AppState {
    /// A fresh demo studio with no faults.
    pub fn new(config: StudioConfig) -> Arc<AppState> {
        Arc::new(AppState {
            studio: Mutex::new(Studio::demo(config.clone())),
            faults: Mutex::new(Faults::default()),
            config,
            login_expired: AtomicBool::new(false),
        })
    }

    /// The studio, even if a thread panicked while holding it (its data stays consistent:
    /// every change is a single push).
    pub fn studio(&self) -> MutexGuard<'_, Studio> {
        self.studio.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// The fault rules.
    pub fn faults(&self) -> MutexGuard<'_, Faults> {
        self.faults.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// An answer before CORS and the connection's own headers are added.
#[derive(Debug, Clone)]
pub struct Out {
    pub status: u16,
    pub content_type: &'static str,
    pub body: Bytes,
    pub headers: Vec<(&'static str, String)>,
}

impl Out {
    fn json(reply: Reply) -> Out {
        Out {
            status: reply.status,
            content_type: "application/json; charset=utf-8",
            body: Bytes::from(serde_json::to_vec(&reply.body).unwrap_or_default()),
            headers: reply.headers,
        }
    }

    fn error(status: u16, code: &str, message: &str) -> Out {
        Out::json(Reply::error(status, code, message))
    }

    fn text(status: u16, content_type: &'static str, body: String) -> Out {
        Out { status, content_type, body: Bytes::from(body), headers: vec![] }
    }

    /// The response, with CORS headers for any origin when `cors` (public mode).
    fn into_response(self, cors: bool) -> Response<Full<Bytes>> {
        let mut response = Response::new(Full::new(self.body));
        *response.status_mut() = StatusCode::from_u16(self.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        let h = response.headers_mut();
        h.insert(CONTENT_TYPE, HeaderValue::from_static(self.content_type));
        if cors {
            h.insert("access-control-allow-origin", HeaderValue::from_static("*"));
            h.insert("access-control-expose-headers", HeaderValue::from_static("Retry-After, X-RateLimit-Limit, X-RateLimit-Remaining"));
        }
        h.insert("cache-control", HeaderValue::from_static("no-store"));
        for (name, value) in self.headers {
            if let Ok(v) = HeaderValue::from_str(&value) {
                h.insert(name, v);
            }
        }
        response
    }
}

/// Decodes %XX escapes of a path; None when the result is not UTF-8 or an escape is broken.
pub fn percent_decode(s: &str) -> Option<String> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = s.get(i + 1..i + 3)?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

fn query_param(query: Option<&str>, name: &str) -> Option<String> {
    query?.split('&').find_map(|pair| {
        let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
        (k == name).then(|| percent_decode(&v.replace('+', " ")).unwrap_or_default())
    })
}

fn method_not_allowed(allow: &'static str) -> Out {
    let mut out = Out::error(405, "method_not_allowed", &format!("This path answers {allow} only."));
    out.headers.push(("allow", allow.to_string()));
    out
}

fn admin(state: &AppState, method: &Method, path: &str, body: &[u8]) -> Out {
    let parsed: Result<Value, _> = if body.is_empty() { Ok(json!({})) } else { serde_json::from_slice(body) };
    let Ok(input) = parsed else {
        return Out::error(400, "bad_request", "The body is not valid JSON.");
    };
    match (method, path) {
        (&Method::GET, "/__admin/faults") => {
            let f = state.faults();
            Out::json(Reply::data(200, json!({ "rules": f.rules(), "injected": f.injected })))
        }
        (&Method::POST, "/__admin/faults") => {
            let rules: Vec<Value> = if input.is_array() { input.as_array().cloned().unwrap_or_default() } else { vec![input] };
            let mut f = state.faults();
            for r in rules {
                match serde_json::from_value::<FaultRule>(r).map_err(|e| e.to_string()).and_then(|r| f.add(r)) {
                    Ok(()) => {}
                    Err(e) => return Out::error(400, "bad_request", &format!("Not a fault rule: {e}")),
                }
            }
            Out::json(Reply::data(200, json!({ "rules": f.rules(), "injected": f.injected })))
        }
        (&Method::DELETE, "/__admin/faults") => {
            state.faults().clear();
            Out::json(Reply::data(200, json!({ "rules": [] })))
        }
        (&Method::POST, "/__admin/reset") => {
            let clock = state.studio().now();
            let mut config = state.config.clone();
            if config.clock != Clock::System {
                config.clock = Clock::Fixed(clock);
            }
            *state.studio() = Studio::demo(config);
            state.faults().clear();
            state.login_expired.store(false, Ordering::SeqCst);
            Out::json(Reply::data(200, json!({ "reset": true })))
        }
        (&Method::POST, "/__admin/session/expire" | "/__admin/session/renew") => {
            if state.config.login.is_none() {
                return Out::error(404, "resource_not_found", "There is no login to expire or renew: start with --studio-cookie and --csrf-token.");
            }
            let expired = path.ends_with("/expire");
            state.login_expired.store(expired, Ordering::SeqCst);
            Out::json(Reply::data(200, json!({ "logged_in": !expired })))
        }
        (&Method::POST, "/__admin/clock") => {
            let clock = if let Some(now) = input.get("now").and_then(Value::as_str) {
                match chrono::DateTime::parse_from_rfc3339(now) {
                    Ok(t) => Clock::Fixed(t.with_timezone(&chrono::Utc)),
                    Err(_) => return Out::error(400, "bad_request", "now must be an RFC 3339 instant"),
                }
            } else if let Some(minutes) = input.get("shift_minutes").and_then(Value::as_i64) {
                Clock::Shifted(chrono::Duration::minutes(minutes.clamp(-10_000_000, 10_000_000)))
            } else {
                Clock::System
            };
            let mut studio = state.studio();
            studio.set_clock(clock);
            Out::json(Reply::data(200, json!({ "now": studio.now().to_rfc3339() })))
        }
        (&Method::POST, p) if p.starts_with("/__admin/session_types/") && p.ends_with("/description") => {
            let id = &p["/__admin/session_types/".len()..p.len() - "/description".len()];
            let description = input.get("description").and_then(Value::as_str).map(str::to_string);
            if state.studio().set_description(id, description) {
                Out::json(Reply::data(200, json!({ "id": id })))
            } else {
                Out::error(404, "resource_not_found", "No session type with that id.")
            }
        }
        _ => Out::error(
            404,
            "resource_not_found",
            "Admin paths: GET/POST/DELETE /__admin/faults, POST /__admin/reset, POST /__admin/clock, \
             POST /__admin/session_types/{id}/description, POST /__admin/session/expire, POST /__admin/session/renew",
        ),
    }
}

fn checkout_page(state: &AppState, id: &str) -> Out {
    let studio = state.studio();
    let Some(session) = studio.session(id) else {
        return Out::text(404, "text/html; charset=utf-8", "<!doctype html><title>Not found</title><p>No such session.</p>".into());
    };
    let name = session["session_type_id"].as_str().and_then(|t| studio.session_type_name(t)).unwrap_or_default();
    let amount = session["payment"]["amount_due"].as_u64().unwrap_or(0);
    let currency = session["payment"]["currency"].as_str().unwrap_or("").to_uppercase();
    let escape = |s: &str| s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;");
    Out::text(
        200,
        "text/html; charset=utf-8",
        format!(
            "<!doctype html><html lang=\"en\"><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width\">\
             <title>Demo checkout</title><main style=\"font:16px system-ui;max-width:32rem;margin:3rem auto\">\
             <h1>Demo checkout</h1><p>This is the demo studio: no card is charged.</p>\
             <p>{} — {} minor units of {}.</p><p>Session {}</p></main></html>",
            escape(&name),
            amount,
            escape(&currency),
            escape(id)
        ),
    )
}

/// The request headers the API reads besides the login's.
#[derive(Clone, Copy, Default)]
pub struct ApiHeaders<'a> {
    pub idempotency_key: Option<&'a str>,
    /// A session's secret: never logged, never repeated in an answer.
    pub manage_token: Option<&'a str>,
}

/// Answers one request (after faults are decided).
pub fn route(state: &AppState, method: &Method, raw_path: &str, query: Option<&str>, headers: ApiHeaders<'_>, body: &[u8]) -> Out {
    let Some(path) = percent_decode(raw_path) else {
        return Out::error(404, "resource_not_found", "No such path: it has a broken %-escape or is not UTF-8.");
    };
    if path.starts_with("/__admin/") {
        return admin(state, method, &path, body);
    }
    if let Some(name) = path.strip_prefix("/covers/").and_then(|n| n.strip_suffix(".svg")) {
        return match demo::cover_svg(name) {
            Some(svg) => Out::text(200, "image/svg+xml", svg),
            None => Out::error(404, "resource_not_found", "No such cover."),
        };
    }
    if let Some(id) = path.strip_prefix("/checkout/") {
        return checkout_page(state, id);
    }
    if path == "/" || path == "/api/v1" || path == "/api/v1/" {
        return Out::json(Reply::data(
            200,
            json!({
                "name": "mock-studio: the demo studio of studio-booking",
                "endpoints": [
                    "GET /api/v1/session_types/?page=1&per_page=25",
                    "GET /api/v1/session_types/{id}",
                    "GET /api/v1/session_types/{id}/check-month-avail/{year}-{month}-{Zone/Name}",
                    "GET /api/v1/session_types/{id}/check-day-avail/{year}-{month}-{day}-{Zone/Name}",
                    "GET /api/v1/session_types/{id}/coupons/{code}",
                    "POST /api/v1/sessions (Idempotency-Key header)",
                    "GET /api/v1/sessions",
                    "GET /api/v1/sessions/{id} (Manage-Token header)",
                    "POST /api/v1/sessions/{id}/cancel (Manage-Token header)",
                    "POST /api/v1/sessions/{id}/reschedule (Manage-Token and Idempotency-Key headers)",
                    "GET /api/v1/sessions/inquiry/count",
                ],
            }),
        ));
    }
    let Some(api) = path.strip_prefix("/api/v1/") else {
        return Out::error(404, "resource_not_found", &format!("No such path: {path}"));
    };
    let segments: Vec<&str> = api.trim_end_matches('/').split('/').collect();
    let get_only = |f: &dyn Fn() -> Out| {
        if method == Method::GET {
            f()
        } else {
            method_not_allowed("GET")
        }
    };
    let post_only = |f: &dyn Fn() -> Out| {
        if method == Method::POST {
            f()
        } else {
            method_not_allowed("POST")
        }
    };
    let token = headers.manage_token;
    match segments.as_slice() {
        ["session_types"] => get_only(&|| {
            Out::json(state.studio().list_session_types(query_param(query, "page").as_deref(), query_param(query, "per_page").as_deref()))
        }),
        ["session_types", id] => get_only(&|| Out::json(state.studio().get_session_type(id))),
        ["session_types", id, "check-month-avail", rest @ ..] if !rest.is_empty() => {
            let arg = rest.join("/");
            get_only(&|| Out::json(state.studio().month_availability(id, &arg)))
        }
        ["session_types", id, "check-day-avail", rest @ ..] if !rest.is_empty() => {
            let arg = rest.join("/");
            get_only(&|| Out::json(state.studio().day_availability(id, &arg)))
        }
        ["session_types", id, "coupons", code @ ..] if !code.is_empty() => {
            // A code holding an escaped slash came apart with the path: put it together.
            let code = code.join("/");
            get_only(&|| Out::json(state.studio().check_coupon(id, &code)))
        }
        ["sessions"] => match *method {
            Method::GET => Out::json(state.studio().list_sessions()),
            Method::POST => Out::json(state.studio().book(headers.idempotency_key, body)),
            _ => method_not_allowed("GET, POST"),
        },
        ["sessions", "inquiry", "count"] => get_only(&|| Out::json(state.studio().inquiry_count())),
        ["sessions", id] => get_only(&|| Out::json(state.studio().client_session(id, token))),
        ["sessions", id, "cancel"] => post_only(&|| Out::json(state.studio().cancel(id, token, body))),
        ["sessions", id, "reschedule"] => post_only(&|| Out::json(state.studio().reschedule(id, token, headers.idempotency_key, body))),
        _ => Out::error(404, "resource_not_found", &format!("No such path: {path}")),
    }
}

fn fault_answer(rule: &FaultRule) -> Out {
    match rule.kind {
        FaultKind::Malformed => Out::text(200, "application/json; charset=utf-8", "{\"data\": [{\"id\": \"set_\", \"name\": <<not json>>".into()),
        _ => {
            let status = rule.status.unwrap_or(500);
            let mut out = match (&rule.body, status) {
                (Some(body), _) => Out::text(status, "text/plain; charset=utf-8", body.clone()),
                (None, 429) => Out::error(429, "rate_limited", "Too many requests: please wait a moment."),
                (None, 503) => Out::error(503, "unavailable", "The studio is briefly unavailable."),
                (None, s) if s >= 500 => Out::error(s, "server_error", "Something went wrong at the studio."),
                (None, s) => Out::error(s, "injected_fault", "An injected fault."),
            };
            if let Some(seconds) = rule.retry_after {
                out.headers.push(("retry-after", seconds.to_string()));
            }
            out
        }
    }
}

fn preflight() -> Response<Full<Bytes>> {
    let mut r = Out::text(204, "text/plain", String::new()).into_response(true);
    let h = r.headers_mut();
    h.insert("access-control-allow-methods", HeaderValue::from_static("GET, POST, OPTIONS"));
    h.insert("access-control-allow-headers", HeaderValue::from_static("Content-Type, Idempotency-Key, Manage-Token"));
    h.insert("access-control-max-age", HeaderValue::from_static("86400"));
    r
}

/// In studio mode, the 401 that a request without the owner's login gets; None when it
/// may pass. Only the test harness (`/__admin/`) and the demo's own pages (`/covers/`,
/// `/checkout/`) need no login: every other path does, even one that does not exist, as on
/// a real studio. A write (any method but GET and HEAD) needs the CSRF token too. The
/// messages never repeat what was sent or expected.
fn login_refusal(state: &AppState, method: &Method, raw_path: &str, headers: &HeaderMap) -> Option<Out> {
    let login = state.config.login.as_ref()?;
    let open = percent_decode(raw_path).is_some_and(|p| ["/__admin/", "/covers/", "/checkout/"].iter().any(|prefix| p.starts_with(prefix)));
    if open {
        return None;
    }
    if !login.cookie_matches(headers.get_all(COOKIE).iter().map(HeaderValue::as_bytes)) {
        return Some(Out::error(401, "unauthorized", "Log in to the studio: this request has no valid session cookie."));
    }
    if state.login_expired.load(Ordering::SeqCst) {
        return Some(Out::error(401, "unauthorized", "The studio's login session has expired: log in again."));
    }
    if !matches!(*method, Method::GET | Method::HEAD) && !login.csrf_matches(headers.get("x-csrf-token").map(HeaderValue::as_bytes)) {
        return Some(Out::error(401, "csrf_failed", "A write needs the login's X-CSRF-Token header: it is missing or wrong."));
    }
    None
}

/// Answers one HTTP request, applying faults. An `Err` makes hyper close the connection
/// without an answer: that is how a dropped connection is injected.
pub async fn handle(state: Arc<AppState>, req: Request<Incoming>) -> Result<Response<Full<Bytes>>, io::Error> {
    let method = req.method().clone();
    let path = req.uri().path().to_string();
    // Public mode answers any origin; a studio (studio mode) answers no cross-origin request.
    let cors = state.config.login.is_none();
    if method == Method::OPTIONS {
        return Ok(if cors { preflight() } else { method_not_allowed("GET, POST").into_response(false) });
    }
    let plan = if path.starts_with("/__admin/") { Default::default() } else { state.faults().plan(method.as_str(), &path) };
    if plan.delay_ms > 0 {
        tokio::time::sleep(Duration::from_millis(plan.delay_ms)).await;
    }
    if let Some(rule) = &plan.fault {
        match rule.kind {
            FaultKind::Drop => return Err(io::Error::other("injected fault: connection dropped")),
            FaultKind::Status | FaultKind::Malformed => return Ok(fault_answer(rule).into_response(cors)),
            _ => {}
        }
    }

    let query = req.uri().query().map(str::to_string);
    let key = req.headers().get("idempotency-key").and_then(|v| v.to_str().ok()).map(str::to_string);
    // Not logged, like every header: the mock logs no request at all.
    let token = req.headers().get("manage-token").and_then(|v| v.to_str().ok()).map(str::to_string);
    let declared = req.headers().get(CONTENT_LENGTH).and_then(|v| v.to_str().ok()).and_then(|v| v.parse::<u64>().ok());
    let refusal = login_refusal(&state, &method, &path, req.headers());
    let out = if let Some(refusal) = refusal {
        refusal
    } else if declared.is_some_and(|n| n > MAX_BODY_BYTES as u64) {
        Out::error(400, "bad_request", &format!("The body is larger than {} KB.", MAX_BODY_BYTES / 1024))
    } else {
        match Limited::new(req.into_body(), MAX_BODY_BYTES).collect().await {
            Ok(collected) => {
                let body = collected.to_bytes();
                let headers = ApiHeaders { idempotency_key: key.as_deref(), manage_token: token.as_deref() };
                route(&state, &method, &path, query.as_deref(), headers, &body)
            }
            Err(_) => Out::error(400, "bad_request", &format!("The body is larger than {} KB, or was cut off.", MAX_BODY_BYTES / 1024)),
        }
    };

    match plan.fault.map(|r| r.kind) {
        Some(FaultKind::DropAfter) => Err(io::Error::other("injected fault: answer dropped after the work was done")),
        Some(FaultKind::Truncated) => {
            let cut = out.body.len() / 2;
            Ok(Out { body: out.body.slice(..cut), ..out }.into_response(cors))
        }
        _ => Ok(out.into_response(cors)),
    }
}

/// Serves until `shutdown` completes, then lets open connections finish (5 s at most).
pub async fn serve(listener: TcpListener, state: Arc<AppState>, shutdown: impl std::future::Future<Output = ()>) {
    let graceful = hyper_util::server::graceful::GracefulShutdown::new();
    tokio::pin!(shutdown);
    loop {
        tokio::select! {
            accepted = listener.accept() => {
                let stream = match accepted {
                    Ok((stream, _)) => stream,
                    Err(_) => {
                        // Out of file descriptors or a reset before accept: wait a little, go on.
                        tokio::time::sleep(Duration::from_millis(20)).await;
                        continue;
                    }
                };
                let state = state.clone();
                let service = service_fn(move |req| handle(state.clone(), req));
                let mut builder = http1::Builder::new();
                builder.timer(TokioTimer::new()).header_read_timeout(Duration::from_secs(10));
                let connection = builder.serve_connection(TokioIo::new(stream), service);
                let watched = graceful.watch(connection);
                tokio::spawn(async move {
                    let _ = watched.await;
                });
            }
            () = &mut shutdown => break,
        }
    }
    tokio::select! {
        () = graceful.shutdown() => {}
        () = tokio::time::sleep(Duration::from_secs(5)) => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decoding() {
        assert_eq!(percent_decode("/a%2Fb").as_deref(), Some("/a/b"));
        assert_eq!(percent_decode("%E2%82%AC").as_deref(), Some("€"));
        assert_eq!(percent_decode("%zz"), None);
        assert_eq!(percent_decode("%2"), None);
        assert_eq!(percent_decode("%FF"), None);
        assert_eq!(query_param(Some("page=2&per_page=3"), "per_page").as_deref(), Some("3"));
        assert_eq!(query_param(Some("page"), "page").as_deref(), Some(""));
        assert_eq!(query_param(None, "page"), None);
    }
}
