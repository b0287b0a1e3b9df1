//! The gateway over real sockets, in front of the mock studio on loopback: every public
//! endpoint, the refusals (paths, methods, bookings that break the rules, other sites), and a
//! studio that is down. Nothing refused may reach the studio: its call counter says so.

use std::sync::Arc;
use std::time::Duration;

use mock_studio::demo::{family_portrait_id, make_id};
use mock_studio::http::AppState;
use mock_studio::studio::StudioConfig;
use serde_json::{json, Value};
use studio_gateway::config::Config;
use studio_gateway::Gateway;
use tokio::net::TcpListener;

mod common;
use common::{booking, client, first_slot, post_booking, send, sessions_at_the_studio, studio_sessions, Reply, Running, CSRF, SITE};

/// Where the log lines of this test process go, to be read by the tests that check them.
#[derive(Clone, Default)]
struct LogBuffer(Arc<std::sync::Mutex<Vec<u8>>>);

impl std::io::Write for LogBuffer {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// Every log line of this process, at every level, as the gateway's own JSON log writes them
/// (the `log` records of its libraries included, as `main` sets it up). One subscriber for the
/// whole process, installed before any server starts: a subscriber of one test's thread alone
/// can miss events whose first use raced with another test's thread (tracing keeps, per
/// place in the code, whether anyone listens).
fn process_log() -> &'static LogBuffer {
    static LOG: std::sync::OnceLock<LogBuffer> = std::sync::OnceLock::new();
    LOG.get_or_init(|| {
        let log = LogBuffer::default();
        let writer = log.clone();
        tracing_subscriber::fmt()
            .json()
            .with_max_level(tracing::Level::TRACE)
            .with_writer(move || writer.clone())
            .try_init()
            .expect("the only subscriber of this process");
        log
    })
}

async fn mock_studio() -> (Running, Arc<AppState>) {
    mock_studio_with(|_| {}).await
}

async fn mock_studio_with(tweak: impl FnOnce(&mut StudioConfig)) -> (Running, Arc<AppState>) {
    process_log();
    common::mock_studio_with(tweak).await
}

async fn gateway(upstream: &str) -> (Running, Arc<Gateway>) {
    gateway_with(upstream, |_| {}).await
}

async fn gateway_with(upstream: &str, tweak: impl FnOnce(&mut Config)) -> (Running, Arc<Gateway>) {
    process_log();
    common::gateway_with(upstream, tweak).await
}

#[tokio::test]
async fn visitors_see_published_session_types_and_their_public_fields_only() {
    let (studio, _) = mock_studio().await;
    let (g, _) = gateway(&studio.base).await;
    let list = send(client().get(format!("{}/api/v1/session_types/?page=1&per_page=100", g.base))).await;
    assert_eq!(list.status, 200, "{}", list.body);
    let data = list.json()["data"].as_array().unwrap().clone();
    assert!(!data.is_empty());
    assert!(data.iter().all(|t| t["status"] == "published"), "a draft was listed");
    assert!(!list.body.contains(&make_id("set", "MATERNITYDRAFT")));
    // The studio's private fields (studio mode lists them) never pass.
    for private in ["internal_notes", "private_price_notes", "owner_email", "booking_count", "mara.quinn"] {
        assert!(!list.body.contains(private), "{private} leaked");
    }
    let allowed = [
        "id",
        "name",
        "status",
        "duration",
        "location",
        "description",
        "cover_image_url",
        "payment_amount_full",
        "payment_amount_partial",
        "currency",
        "collect_payment",
        "minimum_notice_duration",
        "maximum_notice_duration",
        "buffer_before",
        "buffer_after",
        "payment_methods",
        "taxes",
        "intake_form_fields",
        "cancellation_policy",
        "reschedule_policy",
        "contract",
        "accepts_coupons",
        "allow_client_cancel",
        "cancel_notice_hours",
        "allow_client_reschedule",
        "reschedule_notice_hours",
        "max_client_reschedules",
        "session_type_schedule",
    ];
    for t in &data {
        for key in t.as_object().unwrap().keys() {
            assert!(allowed.contains(&key.as_str()), "field {key} passed");
        }
    }
    // Paging of its own: the widget follows meta.last_page.
    let page = send(client().get(format!("{}/api/v1/session_types/?page=2&per_page=2", g.base))).await.json();
    assert_eq!(page["meta"]["per_page"], 2);
    assert_eq!(page["meta"]["last_page"], json!(data.len().div_ceil(2)));
    let one = send(client().get(format!("{}/api/v1/session_types/{}", g.base, family_portrait_id()))).await;
    assert_eq!((one.status, one.json()["data"]["id"].as_str()), (200, Some(family_portrait_id().as_str())));
    // A draft, an unknown id and an id of the wrong shape are all simply not there.
    for id in [make_id("set", "MATERNITYDRAFT"), make_id("set", "NOSUCHTYPE"), "set_x".to_string()] {
        let r = send(client().get(format!("{}/api/v1/session_types/{id}", g.base))).await;
        assert_eq!((r.status, r.code()), (404, "not_found".to_string()), "{id}");
        let r = send(client().get(format!("{}/api/v1/session_types/{id}/check-month-avail/2026-12-Europe/London", g.base))).await;
        assert_eq!(r.status, 404, "{id}");
    }
}

#[tokio::test]
async fn a_booking_is_checked_then_made_once() {
    let (studio, state) = mock_studio().await;
    let (g, _) = gateway(&studio.base).await;
    let (_, start) = first_slot(&g.base).await;
    let url = format!("{}/api/v1/sessions", g.base);
    // Answers that break the session type's rules: 422 with the contract's details, and the
    // studio never sees it.
    let mut wrong = booking(&start);
    wrong["answers"] = json!({"q_people": 40, "q_place": "beach"});
    wrong["client"]["email"] = json!("ana@");
    wrong["payment_method_type"] = json!("bitcoin");
    wrong["policy_accepted"] = json!(false);
    let r = post_booking(&url, Some("sb-test-wrong-0001"), &wrong).await;
    assert_eq!((r.status, r.code()), (422, "validation_failed".to_string()), "{}", r.body);
    let details = &r.json()["error"]["details"];
    for key in ["answers.q_people", "answers.q_place", "client.email", "payment_method_type", "policy_accepted"] {
        assert!(details[key][0].is_string(), "{key} in {details}");
    }
    assert_eq!(sessions_at_the_studio(&state), 0);
    // A draft session type cannot be booked, whatever the rest says.
    let mut draft = booking(&start);
    draft["session_type_id"] = json!(make_id("set", "MATERNITYDRAFT"));
    let r = post_booking(&url, Some("sb-test-draft-0001"), &draft).await;
    assert_eq!((r.status, r.code()), (404, "not_found".to_string()), "{}", r.body);
    // A time that is not open.
    let r = post_booking(&url, Some("sb-test-slot-0001"), &booking("2020-01-01T10:00:00Z")).await;
    assert_eq!((r.status, r.code()), (409, "slot_unavailable".to_string()), "{}", r.body);
    // No key, a key too short, a body too large.
    let r = post_booking(&url, None, &booking(&start)).await;
    assert_eq!(r.status, 400);
    let r = post_booking(&url, Some("short"), &booking(&start)).await;
    assert_eq!(r.status, 400);
    let mut huge = booking(&start);
    huge["answers"]["q_children"] = json!("x".repeat(40_000));
    let r = post_booking(&url, Some("sb-test-huge-0001"), &huge).await;
    assert_eq!(r.status, 413);
    assert_eq!(sessions_at_the_studio(&state), 0);
    // The real thing, twice with one key: one session.
    let ok = post_booking(&url, Some("sb-test-good-0001"), &booking(&start)).await;
    assert_eq!(ok.status, 201, "{}", ok.body);
    assert_eq!(ok.json()["data"]["start"].as_str().map(|s| s.len() > 10), Some(true));
    let again = post_booking(&url, Some("sb-test-good-0001"), &booking(&start)).await;
    assert_eq!(again.json()["data"]["id"], ok.json()["data"]["id"]);
    assert_eq!(sessions_at_the_studio(&state), 1);
    // Only the contract's fields reached the studio.
    assert!(!serde_json::to_string(&studio_sessions(&state)).unwrap().contains("smuggled"));
}

#[tokio::test]
async fn nothing_but_the_public_surface_passes() {
    let (studio, _) = mock_studio().await;
    let (g, gw) = gateway(&studio.base).await;
    let before = gw.metrics.upstream_calls();
    for (method, path, status) in [
        ("GET", "/api/v1/sessions", 405),
        ("GET", "/api/v1/sessions/inquiry/count", 404),
        ("POST", "/__admin/reset", 404),
        ("GET", "/__admin/faults", 404),
        ("DELETE", "/api/v1/session_types/", 405),
        ("GET", "/api/v1/../__admin/faults", 404),
        ("GET", "/api/v1/session_types/%2e%2e/%2e%2e/__admin/faults", 404),
        ("GET", "/api/v1/session_types/set_FAMILYPORTRAIT0000000000000000%2fcheck-month-avail%2f2026-12-UTC", 404),
        ("GET", "//api/v1/session_types/", 404),
        ("GET", "/api/v1/session_types/set_FAMILYPORTRAIT0000000000000000/check-month-avail/2026-12-Europe%0d%0aX-Evil:%201", 404),
        ("GET", "/api/v1/session_types/set_FAMILYPORTRAIT0000000000000000/check-month-avail/2026-12-Mars/Olympus", 400),
        ("GET", "/api/v1/session_types/set_FAMILYPORTRAIT0000000000000000/check-day-avail/2026-2-30-UTC", 400),
        ("GET", "/checkout/ses_1", 404),
        ("GET", "/", 404),
    ] {
        let r = send(client().request(method.parse().unwrap(), format!("{}{path}", g.base))).await;
        assert_eq!(r.status, status, "{method} {path}: {}", r.body);
        assert!(!r.code().is_empty(), "{method} {path}: the contract's error body");
    }
    // Only the check of the session type list (its first read) went to the studio.
    assert!(gw.metrics.upstream_calls() - before <= 1, "refused requests reached the studio");
    // Query tricks are not passed on: the gateway writes the studio's URLs itself.
    let r = send(client().get(format!("{}/api/v1/session_types/?per_page=1&page=1&include=internal_notes&status=draft", g.base))).await;
    assert_eq!(r.status, 200);
    assert!(r.json()["data"].as_array().unwrap().iter().all(|t| t["status"] == "published"));
}

/// Whether an answer is the contract's error body (`ErrorBody`): JSON, an `error` object of a
/// code and a message, its details (if any) an object, nothing else.
fn assert_error_body(r: &Reply, status: u16, code: &str) {
    assert_eq!(r.status, status, "{}", r.body);
    assert!(r.headers.get("content-type").and_then(|v| v.to_str().ok()).is_some_and(|t| t.starts_with("application/json")), "{:?}", r.headers);
    let body = r.json();
    assert_eq!(body.as_object().map(|o| o.len()), Some(1), "{body}");
    let error = body["error"].as_object().unwrap_or_else(|| panic!("no error object: {body}"));
    assert_eq!(error.get("code").and_then(Value::as_str), Some(code), "{body}");
    assert!(error.get("message").and_then(Value::as_str).is_some_and(|m| !m.is_empty()), "{body}");
    assert!(error.keys().all(|k| ["code", "message", "details"].contains(&k.as_str())), "{body}");
    assert!(error.get("details").is_none_or(Value::is_object), "{body}");
}

#[tokio::test]
async fn the_lists_query_is_refused_in_the_contracts_error_body_when_it_breaks_the_contract() {
    let (studio, _) = mock_studio().await;
    let (g, gw) = gateway(&studio.base).await;
    let list = |query: &str| send(client().get(format!("{}/api/v1/session_types/?{query}", g.base)));
    let before = gw.metrics.upstream_calls();
    // A parameter given twice: axum's own refusal is plain text; the gateway's is the contract's.
    for query in ["per_page=1&per_page=2", "page=1&page=2", "page=1&per_page=5&page=1"] {
        assert_error_body(&list(query).await, 400, "bad_request");
    }
    // A page size outside the contract's 1 to 100, or not a number.
    for query in ["per_page=0", "per_page=101", "per_page=-1", "per_page=ten", "page=2&per_page=1000"] {
        assert_error_body(&list(query).await, 400, "bad_request");
    }
    // A page that is not a whole number from 1.
    for query in ["page=0", "page=-1", "page=first"] {
        assert_error_body(&list(query).await, 400, "bad_request");
    }
    assert_eq!(gw.metrics.upstream_calls(), before, "a refused list reached the studio");
    assert!(send(client().get(format!("{}/metrics", g.base))).await.body.contains("studio_gateway_refused_total 11"));
    // The bounds themselves pass.
    for per_page in [1, 100] {
        let r = list(&format!("per_page={per_page}")).await;
        assert_eq!(r.status, 200, "{}", r.body);
        assert_eq!(r.json()["meta"]["per_page"], per_page);
    }
    let all = list("per_page=100&page=1").await.json();
    assert_eq!(all["meta"]["total"].as_u64(), all["data"].as_array().map(|d| d.len() as u64));
    // Other refusals and failures are the contract's body too.
    let id = family_portrait_id();
    assert_error_body(&send(client().get(format!("{}/api/v1/session_types/{id}/check-month-avail/2026-13-UTC", g.base))).await, 400, "bad_request");
    assert_error_body(
        &send(client().get(format!("{}/api/v1/session_types/{id}/check-month-avail/2026-12-Mars/Olympus", g.base))).await,
        400,
        "invalid_timezone",
    );
    assert_error_body(&send(client().delete(format!("{}/api/v1/sessions", g.base))).await, 405, "method_not_allowed");
    // A path that is no text (an escape of no UTF-8) is nothing there, in the contract's body.
    for path in ["/api/v1/session_types/%FF".to_string(), format!("/api/v1/session_types/{id}/check-day-avail/2026-1-1-Europe/%FF")] {
        let (status, body) = raw_get(&g.base, &path).await;
        assert_eq!(status, 404, "{path}: {body}");
        assert!(body.contains(r#""code":"not_found""#), "{path}: {body}");
    }
    assert_error_body(&send(client().get(format!("{}/nowhere", g.base))).await, 404, "not_found");
}

#[tokio::test]
async fn only_the_photographers_sites_may_call_it_from_a_browser() {
    let (studio, _) = mock_studio().await;
    let (g, _) = gateway(&studio.base).await;
    let url = format!("{}/api/v1/session_types/", g.base);
    let ours = send(client().get(&url).header("Origin", SITE)).await;
    assert_eq!(ours.headers.get("access-control-allow-origin").and_then(|v| v.to_str().ok()), Some(SITE));
    let theirs = send(client().get(&url).header("Origin", "https://evil.example")).await;
    assert!(theirs.headers.get("access-control-allow-origin").is_none());
    let preflight = send(
        client()
            .request(reqwest::Method::OPTIONS, format!("{}/api/v1/sessions", g.base))
            .header("Origin", SITE)
            .header("Access-Control-Request-Method", "POST")
            .header("Access-Control-Request-Headers", "content-type,idempotency-key"),
    )
    .await;
    assert_eq!(preflight.headers.get("access-control-allow-origin").and_then(|v| v.to_str().ok()), Some(SITE));
    assert_eq!(preflight.headers.get("access-control-max-age").and_then(|v| v.to_str().ok()), Some("600"));
}

#[tokio::test]
async fn a_studio_that_is_down_is_said_plainly_and_healthz_tells() {
    // Nothing listens on this port.
    let closed = TcpListener::bind("127.0.0.1:0").await.unwrap().local_addr().unwrap();
    let (g, _) = gateway(&format!("http://{closed}/api/v1")).await;
    let r = send(client().get(format!("{}/api/v1/session_types/", g.base))).await;
    assert_eq!((r.status, r.code()), (503, "studio_unreachable".to_string()));
    assert!(r.headers.get("retry-after").is_some());
    let health = send(client().get(format!("{}/healthz", g.base))).await;
    assert_eq!(health.status, 503);
    let (studio, _) = mock_studio().await;
    let (g, _) = gateway(&studio.base).await;
    let health = send(client().get(format!("{}/healthz", g.base))).await;
    assert_eq!((health.status, health.json()["status"].as_str()), (200, Some("ok")));
    let metrics = send(client().get(format!("{}/metrics", g.base))).await;
    assert!(metrics.body.contains("studio_gateway_upstream_calls_total"));
    assert!(!metrics.body.contains("s3cr3t"));
}

#[tokio::test]
async fn an_expired_studio_login_is_told_to_visitors_as_unavailable_and_to_the_photographer_by_healthz() {
    let (studio, state) = mock_studio().await;
    let (g, _) = gateway(&studio.base).await;
    assert_eq!(send(client().get(format!("{}/healthz", g.base))).await.status, 200);
    let admin = studio.base.replace("/api/v1", "/__admin/session/expire");
    assert_eq!(send(client().post(admin)).await.status, 200);
    // The list is kept a short while; a day's times are asked afresh.
    let r = send(client().get(format!("{}/api/v1/session_types/{}/check-day-avail/2030-1-7-UTC", g.base, family_portrait_id()))).await;
    assert_eq!((r.status, r.code()), (503, "studio_unavailable".to_string()), "{}", r.body);
    assert!(!r.body.contains("s3cr3t"));
    let health = send(client().get(format!("{}/healthz", g.base))).await;
    assert_eq!((health.status, health.json()["status"].as_str()), (503, Some("studio_login_refused")));
    // Logged in again, the next health check says so.
    drop(state);
    let renew = studio.base.replace("/api/v1", "/__admin/session/renew");
    assert_eq!(send(client().post(renew)).await.status, 200);
    let health = send(client().get(format!("{}/healthz", g.base))).await;
    assert_eq!(health.status, 200, "{}", health.body);
}

#[tokio::test]
async fn availability_is_kept_briefly_asked_once_for_many_and_forgotten_after_a_booking() {
    let (studio, _) = mock_studio().await;
    let (g, gw) = gateway(&studio.base).await;
    let (date, start) = first_slot(&g.base).await;
    let d = chrono::NaiveDate::parse_from_str(&date, "%Y-%m-%d").unwrap();
    use chrono::Datelike;
    // Another zone than first_slot's, so that nothing of it is kept yet.
    let url =
        format!("{}/api/v1/session_types/{}/check-day-avail/{}-{}-{}-Europe/Dublin", g.base, family_portrait_id(), d.year(), d.month(), d.day());
    let before = gw.metrics.upstream_calls();
    let asks: Vec<_> = (0..20).map(|_| tokio::spawn(send(client().get(url.clone())))).collect();
    for ask in asks {
        assert_eq!(ask.await.unwrap().status, 200);
    }
    assert_eq!(gw.metrics.upstream_calls() - before, 1, "twenty visitors at once, one question to the studio");
    let again = gw.metrics.upstream_calls();
    assert_eq!(send(client().get(&url)).await.status, 200);
    assert_eq!(gw.metrics.upstream_calls(), again, "kept");
    // A booking forgets what was kept: the day is asked again, without the booked time.
    let ok = post_booking(format!("{}/api/v1/sessions", g.base), Some("sb-test-cache-0001"), &booking(&start)).await;
    assert_eq!(ok.status, 201, "{}", ok.body);
    let after = send(client().get(&url)).await;
    assert!(!after.body.contains(&start), "the booked time is still offered");
    assert!(send(client().get(format!("{}/metrics", g.base))).await.body.contains("studio_gateway_cache_hits_total"));
}

#[tokio::test]
async fn a_client_that_asks_too_often_is_told_when_to_come_back() {
    let (studio, _) = mock_studio().await;
    let (g, _) = gateway_with(&studio.base, |c| {
        c.reads_per_minute = 5;
        c.trust_forwarded_for = true;
    })
    .await;
    let url = format!("{}/api/v1/session_types/", g.base);
    let from = |ip: &'static str| client().get(&url).header("X-Forwarded-For", format!("203.0.113.9, {ip}"));
    for _ in 0..5 {
        assert_eq!(send(from("198.51.100.1")).await.status, 200);
    }
    let limited = send(from("198.51.100.1")).await;
    assert_eq!((limited.status, limited.code()), (429, "rate_limited".to_string()));
    assert!(limited.headers.get("retry-after").and_then(|v| v.to_str().ok()).and_then(|v| v.parse::<u64>().ok()).is_some_and(|s| s >= 1));
    // Another visitor behind the same proxy is not held back by the first.
    assert_eq!(send(from("198.51.100.2")).await.status, 200);
}

/// Adds fault rules to the mock studio (its test harness, which needs no login).
async fn inject(studio: &Running, rules: Value) {
    let admin = studio.base.replace("/api/v1", "/__admin/faults");
    let r = send(client().post(admin).header("Content-Type", "application/json").body(rules.to_string())).await;
    assert!(r.status < 300, "fault not taken: {}", r.body);
}

#[tokio::test]
async fn a_slow_busy_or_garbled_studio_gets_a_clear_answer_and_a_way_on() {
    let (studio, _) = mock_studio().await;
    let (g, gw) = gateway(&studio.base).await;
    let day = |d: u32| format!("{}/api/v1/session_types/{}/check-day-avail/2030-1-{d}-UTC", g.base, family_portrait_id());
    // Garbled: a 200 that is not JSON, every time.
    inject(&studio, json!({"kind": "malformed", "path": "/check-day-avail/2030-1-7", "count": 10})).await;
    let r = send(client().get(day(7))).await;
    assert_eq!((r.status, r.code()), (502, "studio_unreadable".to_string()), "{}", r.body);
    // Slow: past the gateway's deadline for each attempt (1.5 s here), then a clear 503.
    inject(&studio, json!({"kind": "latency", "latency_ms": 4000, "path": "/check-day-avail/2030-1-8", "count": 10})).await;
    let started = std::time::Instant::now();
    let r = send(client().get(day(8))).await;
    assert_eq!((r.status, r.code()), (503, "studio_unreachable".to_string()), "{}", r.body);
    assert!(started.elapsed() < Duration::from_secs(10), "the visitor waited {:?}", started.elapsed());
    // Busy once: retried with backoff, and the visitor never sees it.
    inject(&studio, json!({"kind": "status", "status": 503, "path": "/check-day-avail/2030-1-9", "count": 1})).await;
    let calls = gw.metrics.upstream_calls();
    let r = send(client().get(day(9))).await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(gw.metrics.upstream_calls() - calls, 2, "one retry");
    // Busy for good: 503 with the Retry-After the widget honours.
    inject(&studio, json!({"kind": "status", "status": 429, "retry_after": 3, "path": "/check-day-avail/2030-1-10", "count": 10})).await;
    let r = send(client().get(day(10))).await;
    assert_eq!((r.status, r.code()), (503, "studio_busy".to_string()), "{}", r.body);
    assert_eq!(r.headers.get("retry-after").and_then(|v| v.to_str().ok()), Some("3"));
}

#[tokio::test]
async fn a_request_past_the_gateways_own_deadline_is_told_in_the_contracts_body() {
    let (studio, _) = mock_studio().await;
    // The whole request's deadline shorter than one attempt at the studio.
    let (g, _) = gateway_with(&studio.base, |c| c.request_timeout = Duration::from_millis(300)).await;
    inject(&studio, json!({"kind": "latency", "latency_ms": 3000, "path": "/check-day-avail/2030-1-8", "count": 10})).await;
    let started = std::time::Instant::now();
    let r = send(client().get(format!("{}/api/v1/session_types/{}/check-day-avail/2030-1-8-UTC", g.base, family_portrait_id()))).await;
    assert!(started.elapsed() < Duration::from_millis(1500), "the visitor waited {:?}", started.elapsed());
    assert_error_body(&r, 503, "studio_unreachable");
    assert!(r.headers.get("retry-after").is_some(), "a way on: when to try again");
}

#[tokio::test]
async fn a_client_that_trickles_its_headers_or_sends_too_many_is_cut_off() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let (studio, _) = mock_studio().await;
    let (g, _) = gateway_with(&studio.base, |c| c.header_timeout = Duration::from_millis(300)).await;
    let addr = g.base.trim_start_matches("http://").to_string();
    // Half a request line, then nothing: the gateway hangs up after the header deadline.
    let mut slow = tokio::net::TcpStream::connect(&addr).await.unwrap();
    slow.write_all(b"GET /api/v1/session_types/ HTTP/1.1\r\nHost: x\r\n").await.unwrap();
    let mut rest = Vec::new();
    let read = tokio::time::timeout(Duration::from_secs(5), slow.read_to_end(&mut rest)).await;
    assert!(read.is_ok(), "the connection was still open after 5 s");
    // Headers larger than the gateway takes: refused, never served.
    let mut big = tokio::net::TcpStream::connect(&addr).await.unwrap();
    let request = format!("GET /api/v1/session_types/ HTTP/1.1\r\nHost: x\r\nX-Filler: {}\r\n\r\n", "a".repeat(64 * 1024));
    let _ = big.write_all(request.as_bytes()).await;
    let mut answer = Vec::new();
    let _ = tokio::time::timeout(Duration::from_secs(5), big.read_to_end(&mut answer)).await;
    let answer = String::from_utf8_lossy(&answer);
    assert!(!answer.starts_with("HTTP/1.1 200"), "served: {}", answer.lines().next().unwrap_or(""));
}

// ---- Coupons, contracts, and a client's own session (issue 22) ----

/// Sends `GET {path}` as written (no client library tidies its dot segments or escapes up)
/// and gives the answer's status and body.
async fn raw_get(base: &str, path: &str) -> (u16, String) {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let mut stream = tokio::net::TcpStream::connect(base.trim_start_matches("http://")).await.unwrap();
    stream.write_all(format!("GET {path} HTTP/1.1\r\nHost: gateway\r\nConnection: close\r\n\r\n").as_bytes()).await.unwrap();
    let mut answer = Vec::new();
    tokio::time::timeout(Duration::from_secs(5), stream.read_to_end(&mut answer)).await.unwrap().unwrap();
    let answer = String::from_utf8_lossy(&answer).to_string();
    let status = answer.split(' ').nth(1).and_then(|s| s.parse().ok()).unwrap_or(0);
    (status, answer.split_once("\r\n\r\n").map(|(_, body)| body.to_string()).unwrap_or_default())
}

/// The starts of the open slots of the first day, at least `days_ahead` days from now, on
/// which `type_id` has at least `at_least` slots in London.
async fn open_slots(g: &str, type_id: &str, days_ahead: i64, at_least: usize) -> Vec<String> {
    use chrono::Datelike;
    let from = chrono::Utc::now().date_naive() + chrono::Duration::days(days_ahead);
    let mut ym = (from.year(), from.month());
    for _ in 0..5 {
        let url = format!("{g}/api/v1/session_types/{type_id}/check-month-avail/{}-{}-Europe/London", ym.0, ym.1);
        let month = send(client().get(url)).await;
        assert_eq!(month.status, 200, "{}", month.body);
        for date in month.json()["data"]["available_dates"].as_array().unwrap() {
            let d = chrono::NaiveDate::parse_from_str(date.as_str().unwrap(), "%Y-%m-%d").unwrap();
            if d < from {
                continue;
            }
            let url = format!("{g}/api/v1/session_types/{type_id}/check-day-avail/{}-{}-{}-Europe/London", d.year(), d.month(), d.day());
            let day = send(client().get(url)).await;
            assert_eq!(day.status, 200, "{}", day.body);
            let starts: Vec<String> =
                day.json()["data"]["slots"].as_array().unwrap().iter().map(|s| s["start"].as_str().unwrap().to_string()).collect();
            if starts.len() >= at_least {
                return starts;
            }
        }
        ym = if ym.1 == 12 { (ym.0 + 1, 1) } else { (ym.0, ym.1 + 1) };
    }
    panic!("no day with {at_least} open slots {days_ahead} days ahead or later");
}

/// The gateway's URL of a day's availability of the family portrait, in London, for the day
/// an RFC 3339 start falls on there.
fn family_day_url(g: &str, start: &str) -> String {
    use chrono::Datelike;
    let t = chrono::DateTime::parse_from_rfc3339(start).unwrap().with_timezone(&chrono_tz::Europe::London);
    format!("{g}/api/v1/session_types/{}/check-day-avail/{}-{}-{}-Europe/London", family_portrait_id(), t.year(), t.month(), t.day())
}

/// Books the family portrait at `start` through the gateway; gives the 201 answer's data.
async fn book_family(g: &str, start: &str, key: &str) -> Value {
    let ok = post_booking(format!("{g}/api/v1/sessions"), Some(key), &booking(start)).await;
    assert_eq!(ok.status, 201, "{}", ok.body);
    ok.json()["data"].clone()
}

/// A request about a client's own session, with their manage token when given.
fn manage(request: reqwest::RequestBuilder, token: Option<&str>) -> reqwest::RequestBuilder {
    match token {
        Some(t) => request.header("Manage-Token", t),
        None => request,
    }
}

async fn cancel(g: &str, id: &str, token: Option<&str>, body: Option<Value>) -> Reply {
    let request = manage(client().post(format!("{g}/api/v1/sessions/{id}/cancel")), token);
    send(match body {
        Some(b) => request.header("Content-Type", "application/json").body(b.to_string()),
        None => request,
    })
    .await
}

async fn reschedule(g: &str, id: &str, token: Option<&str>, key: Option<&str>, body: &Value) -> Reply {
    let request = manage(client().post(format!("{g}/api/v1/sessions/{id}/reschedule")), token)
        .header("Content-Type", "application/json")
        .body(body.to_string());
    send(match key {
        Some(k) => request.header("Idempotency-Key", k),
        None => request,
    })
    .await
}

/// The fields a client's own view of their session may have (the contract's ClientSession).
const CLIENT_SESSION_FIELDS: [&str; 13] = [
    "id",
    "status",
    "session_type_id",
    "start",
    "end",
    "timezone",
    "client",
    "payment",
    "reschedule_count",
    "can_cancel_until",
    "can_reschedule_until",
    "reschedules_left",
    "contract_signature",
];

fn assert_client_view(view: &Value) {
    for key in view.as_object().unwrap().keys() {
        assert!(CLIENT_SESSION_FIELDS.contains(&key.as_str()), "field {key} passed in {view}");
    }
    for key in view["client"].as_object().unwrap().keys() {
        assert!(["first_name", "last_name", "email"].contains(&key.as_str()), "client.{key} passed");
    }
}

#[tokio::test]
async fn session_types_show_their_contract_coupons_and_client_windows_but_no_internal_template_id() {
    let (studio, _) = mock_studio_with(|c| c.demo_contracts = true).await;
    let (g, _) = gateway(&studio.base).await;
    let list = send(client().get(format!("{}/api/v1/session_types/?per_page=100", g.base))).await;
    assert_eq!(list.status, 200, "{}", list.body);
    // The studio's template ids (the family portrait's contract template has no contract to
    // show yet, the wedding's questionnaire template) stay inside.
    for hidden in ["contract_template_id", "questionnaire_template_id", &make_id("ct", "FAMILY"), &make_id("qt", "WEDDING")] {
        assert!(!list.body.contains(hidden), "{hidden} passed");
    }
    let types = list.json()["data"].as_array().unwrap().clone();
    let by_id = |id: &str| types.iter().find(|t| t["id"] == id).cloned().unwrap_or_else(|| panic!("{id} not listed"));
    let newborn = by_id(&mock_studio::demo::newborn_id());
    let contract = newborn["contract"].as_object().unwrap();
    assert_eq!(contract.keys().map(String::as_str).collect::<Vec<_>>(), ["body", "id", "title"]);
    assert_eq!(contract["id"], make_id("ct", "NEWBORN"));
    assert!(contract["body"].as_str().unwrap().contains("<h3>"));
    let family = by_id(&family_portrait_id());
    assert_eq!(family["contract"], Value::Null);
    assert_eq!(
        [&family["accepts_coupons"], &family["allow_client_cancel"], &family["cancel_notice_hours"]],
        [&json!(true), &json!(true), &json!(48)]
    );
    assert_eq!(
        [&family["allow_client_reschedule"], &family["reschedule_notice_hours"], &family["max_client_reschedules"]],
        [&json!(true), &json!(24), &json!(1)]
    );
    // One session type's details say the same.
    let one = send(client().get(format!("{}/api/v1/session_types/{}", g.base, mock_studio::demo::newborn_id()))).await;
    assert_eq!(one.json()["data"]["contract"], newborn["contract"]);
    assert_eq!(one.json()["data"]["max_client_reschedules"], 2);
}

#[tokio::test]
async fn a_coupon_is_asked_afresh_and_its_refusals_passed_on() {
    let (studio, _) = mock_studio().await;
    let (g, gw) = gateway(&studio.base).await;
    let url = |code: &str| format!("{}/api/v1/session_types/{}/coupons/{code}", g.base, family_portrait_id());
    let ok = send(client().get(url("JUNIPER20"))).await;
    assert_eq!(ok.status, 200, "{}", ok.body);
    assert_eq!(ok.json()["data"], json!({"code": "JUNIPER20", "discount_type": "percentage", "discount_value": 20, "expires_at": null}));
    // Not kept: every check asks the studio, which counts a code's uses.
    let before = gw.metrics.upstream_calls();
    assert_eq!(send(client().get(url("juniper20"))).await.status, 200);
    assert_eq!(gw.metrics.upstream_calls() - before, 1);
    for (code, status, error) in [("NOSUCHCODE", 404, "coupon_not_found"), ("EARLYBIRD", 422, "coupon_expired"), ("FIRSTTEN", 422, "coupon_used_up")]
    {
        let r = send(client().get(url(code))).await;
        assert_eq!((r.status, r.code()), (status, error.to_string()), "{code}: {}", r.body);
        assert!(!r.json()["error"]["message"].as_str().unwrap_or_default().is_empty());
    }
    // A draft session type has no coupons to check.
    let r = send(client().get(format!("{}/api/v1/session_types/{}/coupons/JUNIPER20", g.base, make_id("set", "MATERNITYDRAFT")))).await;
    assert_eq!((r.status, r.code()), (404, "not_found".to_string()));
    // Codes of another shape never reach the studio: sent as written, dot segments and
    // escapes included.
    let before = gw.metrics.upstream_calls();
    let id = family_portrait_id();
    for (code, error) in [
        ("../x", "not_found"),
        ("..", "not_found"),
        ("%2e%2e", "not_found"),
        ("%2E%2e%2Fx", "not_found"),
        ("a%2fb", "not_found"),
        (&"X".repeat(65), "coupon_not_found"),
        ("a%20b", "coupon_not_found"),
        ("JUNIPER.20", "coupon_not_found"),
        ("%FF", "coupon_not_found"),
        ("%C3%A920", "coupon_not_found"),
    ] {
        let (status, body) = raw_get(&g.base, &format!("/api/v1/session_types/{id}/coupons/{code}")).await;
        assert_eq!(status, 404, "{code}: {body}");
        assert!(body.contains(&format!("\"code\":\"{error}\"")), "{code}: {body}");
    }
    let (status, _) = raw_get(&g.base, &format!("/api/v1/session_types/{id}/coupons/")).await;
    assert_eq!(status, 404);
    assert_eq!(gw.metrics.upstream_calls(), before, "a hostile code reached the studio");
}

#[tokio::test]
async fn coupon_checks_have_a_stricter_limit_of_their_own() {
    let (studio, _) = mock_studio().await;
    let (g, _) = gateway_with(&studio.base, |c| c.coupon_checks_per_minute = 3).await;
    let url = format!("{}/api/v1/session_types/{}/coupons/GUESS01", g.base, family_portrait_id());
    for _ in 0..3 {
        assert_eq!(send(client().get(&url)).await.status, 404);
    }
    let limited = send(client().get(&url)).await;
    assert_eq!((limited.status, limited.code()), (429, "rate_limited".to_string()));
    assert!(limited.headers.get("retry-after").is_some());
    // Other reads go on.
    assert_eq!(send(client().get(format!("{}/api/v1/session_types/", g.base))).await.status, 200);
}

#[tokio::test]
async fn a_booking_passes_its_coupon_and_signature_and_the_answer_its_token() {
    let (studio, state) = mock_studio_with(|c| c.demo_contracts = true).await;
    let (g, _) = gateway(&studio.base).await;
    let starts = open_slots(&g.base, &family_portrait_id(), 3, 1).await;
    let mut with_coupon = booking(&starts[0]);
    with_coupon["coupon_code"] = json!("JUNIPER20");
    let ok = post_booking(format!("{}/api/v1/sessions", g.base), Some("sb-test-coupon-0001"), &with_coupon).await;
    assert_eq!(ok.status, 201, "{}", ok.body);
    let data = &ok.json()["data"];
    assert_eq!((data["payment"]["price"].as_u64(), data["payment"]["discount"].as_u64()), (Some(20_000), Some(5_000)));
    assert_eq!(data["payment"]["coupon_code"], "JUNIPER20");
    assert_eq!(data["reschedule_count"], 0);
    assert!(data["manage_token"].as_str().is_some_and(|t| t.len() >= 32), "{data}");
    // A contract signed while booking: its name and agreement reach the studio, the name and
    // the instant come back.
    let newborn = mock_studio::demo::newborn_id();
    let starts = open_slots(&g.base, &newborn, 4, 1).await;
    let today = chrono::Utc::now().date_naive().format("%Y-%m-%d").to_string();
    let signed = json!({
        "session_type_id": newborn, "start": starts[0], "timezone": "Europe/London",
        "client": {"first_name": "Ana", "last_name": "Silva", "email": "ana@example.com"},
        "answers": {"q_due": today}, "payment_method_type": "manual", "payment_option": "partial", "policy_accepted": true,
        "contract_signature": {"name": "Ana Silva", "agreed": true, "witness": "not for the studio"}
    });
    let ok = post_booking(format!("{}/api/v1/sessions", g.base), Some("sb-test-signed-0001"), &signed).await;
    assert_eq!(ok.status, 201, "{}", ok.body);
    let signature = &ok.json()["data"]["contract_signature"];
    assert_eq!(signature["name"], "Ana Silva");
    assert!(signature["signed_at"].is_string());
    let held = serde_json::to_string(&studio_sessions(&state)).unwrap();
    assert!(held.contains("Ana Silva") && !held.contains("witness"));
}

#[tokio::test]
async fn a_client_sees_their_session_with_its_token_and_nobody_without() {
    let (studio, _) = mock_studio().await;
    let (g, gw) = gateway(&studio.base).await;
    let starts = open_slots(&g.base, &family_portrait_id(), 3, 1).await;
    let booked = book_family(&g.base, &starts[0], "sb-test-view-0001").await;
    let (id, token) = (booked["id"].as_str().unwrap(), booked["manage_token"].as_str().unwrap());
    let url = format!("{}/api/v1/sessions/{id}", g.base);
    let seen = send(manage(client().get(&url), Some(token))).await;
    assert_eq!(seen.status, 200, "{}", seen.body);
    let view = seen.json()["data"].clone();
    assert_client_view(&view);
    assert_eq!((view["id"].as_str(), view["status"].as_str(), view["reschedule_count"].as_u64()), (Some(id), Some("booked"), Some(0)));
    assert!(view["can_cancel_until"].is_string() && view["can_reschedule_until"].is_string());
    assert_eq!(view["reschedules_left"], 1);
    assert!(!seen.body.contains(token), "the token was shown again");
    // A wrong token: the studio's 403, passed on, and the gateway's own login is not doubted.
    let wrong = send(manage(client().get(&url), Some(&"A".repeat(48)))).await;
    assert_eq!((wrong.status, wrong.code()), (403, "invalid_token".to_string()), "{}", wrong.body);
    let health = send(client().get(format!("{}/healthz", g.base))).await;
    assert_eq!(health.status, 200, "a client's wrong token made the login look refused: {}", health.body);
    // An unknown session of the right shape: the studio's 404.
    let unknown = send(manage(client().get(format!("{}/api/v1/sessions/{}", g.base, make_id("ses", "NOSUCHSESSION"))), Some(token))).await;
    assert_eq!(unknown.status, 404, "{}", unknown.body);
    // No token, one of the wrong shape, two tokens, or an id of the wrong shape: refused
    // without asking the studio.
    let before = gw.metrics.upstream_calls();
    for token in [None, Some("short"), Some(&*format!("{} {}", "A".repeat(20), "B".repeat(20))), Some(&*"A".repeat(129))] {
        let r = send(manage(client().get(&url), token)).await;
        assert_eq!((r.status, r.code()), (403, "invalid_token".to_string()), "{token:?}");
    }
    let twice = send(client().get(&url).header("Manage-Token", token).header("Manage-Token", token)).await;
    assert_eq!(twice.status, 403);
    for bad in ["ses_short", "inquiry", &format!("{id}x")] {
        let r = send(manage(client().get(format!("{}/api/v1/sessions/{bad}", g.base)), Some(token))).await;
        assert_eq!((r.status, r.code()), (404, "not_found".to_string()), "{bad}");
    }
    assert_eq!(gw.metrics.upstream_calls(), before, "a refused request reached the studio");
    // Other methods are not offered.
    assert_eq!(send(manage(client().delete(&url), Some(token))).await.status, 405);
    assert_eq!(send(manage(client().get(format!("{url}/cancel")), Some(token))).await.status, 405);
}

#[tokio::test]
async fn a_client_cancels_in_time_and_the_slot_is_offered_again() {
    let (studio, state) = mock_studio().await;
    let (g, gw) = gateway(&studio.base).await;
    let starts = open_slots(&g.base, &family_portrait_id(), 5, 1).await;
    let booked = book_family(&g.base, &starts[0], "sb-test-cancel-0001").await;
    let (id, token) = (booked["id"].as_str().unwrap(), booked["manage_token"].as_str().unwrap());
    // The day without the booked time, now kept by the gateway.
    let day = family_day_url(&g.base, &starts[0]);
    assert!(!send(client().get(&day)).await.body.contains(&starts[0]));
    let calls = gw.metrics.upstream_calls();
    assert!(!send(client().get(&day)).await.body.contains(&starts[0]));
    assert_eq!(gw.metrics.upstream_calls(), calls, "the day is kept");
    // A reason too long, or not text: refused here.
    let r = cancel(&g.base, id, Some(token), Some(json!({"reason": "x".repeat(501)}))).await;
    assert_eq!((r.status, r.code()), (422, "validation_failed".to_string()));
    assert!(r.json()["error"]["details"]["reason"][0].is_string());
    assert_eq!(cancel(&g.base, id, Some(token), Some(json!({"reason": 5}))).await.status, 400);
    assert_eq!(cancel(&g.base, id, None, None).await.code(), "invalid_token");
    assert_eq!(gw.metrics.upstream_calls(), calls, "a refused cancel reached the studio");
    let done = cancel(&g.base, id, Some(token), Some(json!({"reason": "  We moved away.  ", "refund": "all"}))).await;
    assert_eq!(done.status, 200, "{}", done.body);
    let view = done.json()["data"].clone();
    assert_client_view(&view);
    assert_eq!((view["status"].as_str(), &view["can_cancel_until"]), (Some("cancelled"), &Value::Null));
    let held = studio_sessions(&state);
    assert_eq!(held[0]["cancel_reason"], "We moved away.");
    // The time is offered again at once: what was kept is forgotten.
    assert!(send(client().get(&day)).await.body.contains(&starts[0]), "the freed time is not offered");
    // Cancelling again (a retry) answers the same; without a body too.
    let again = cancel(&g.base, id, Some(token), None).await;
    assert_eq!((again.status, again.json()["data"]["status"].as_str()), (200, Some("cancelled")));
    // A cancelled session cannot be moved.
    let moved = reschedule(&g.base, id, Some(token), Some("mv-test-cancelled-1"), &json!({"start": starts[0], "timezone": "Europe/London"})).await;
    assert_eq!((moved.status, moved.code()), (409, "session_cancelled".to_string()));
}

#[tokio::test]
async fn a_client_moves_their_session_once_under_a_key() {
    let (studio, _) = mock_studio().await;
    let (g, gw) = gateway(&studio.base).await;
    let starts = open_slots(&g.base, &family_portrait_id(), 5, 3).await;
    let booked = book_family(&g.base, &starts[0], "sb-test-move-0001").await;
    let (id, token) = (booked["id"].as_str().unwrap(), booked["manage_token"].as_str().unwrap());
    let to = json!({"start": starts[2], "timezone": "Europe/London"});
    // Refused here: no key, no token, a start or a zone that is not one, not JSON.
    let calls = gw.metrics.upstream_calls();
    assert_eq!(reschedule(&g.base, id, Some(token), None, &to).await.status, 400);
    assert_eq!(reschedule(&g.base, id, Some(token), Some("short"), &to).await.status, 400);
    assert_eq!(reschedule(&g.base, id, None, Some("mv-test-0001"), &to).await.code(), "invalid_token");
    let wrong = reschedule(&g.base, id, Some(token), Some("mv-test-0001"), &json!({"start": "next tuesday", "timezone": "Mars/Olympus"})).await;
    assert_eq!((wrong.status, wrong.code()), (422, "validation_failed".to_string()), "{}", wrong.body);
    assert!(wrong.json()["error"]["details"]["start"][0].is_string() && wrong.json()["error"]["details"]["timezone"][0].is_string());
    let missing = reschedule(&g.base, id, Some(token), Some("mv-test-0001"), &json!({"start": starts[2]})).await;
    assert!(missing.json()["error"]["details"]["timezone"][0].is_string(), "{}", missing.body);
    assert_eq!(reschedule(&g.base, id, Some(token), Some("mv-test-0001"), &json!([1])).await.status, 400);
    assert_eq!(gw.metrics.upstream_calls(), calls, "a refused move reached the studio");
    // The day as kept before the move.
    let day = family_day_url(&g.base, &starts[0]);
    let kept = send(client().get(&day)).await.body;
    assert!(!kept.contains(&starts[0]));
    // The move, and its retry under the same key: one move, the same answer.
    let moved =
        reschedule(&g.base, id, Some(token), Some("mv-test-0001"), &json!({"start": starts[2], "timezone": "Europe/London", "reschedule_count": 0}))
            .await;
    assert_eq!(moved.status, 200, "{}", moved.body);
    let view = moved.json()["data"].clone();
    assert_client_view(&view);
    assert_eq!(
        (view["start"].as_str(), view["reschedule_count"].as_u64(), view["reschedules_left"].as_u64()),
        (Some(starts[2].as_str()), Some(1), Some(0))
    );
    let replay = reschedule(&g.base, id, Some(token), Some("mv-test-0001"), &to).await;
    assert_eq!((replay.status, replay.json()), (200, moved.json()));
    // The old time is free again, the new one taken: what was kept is forgotten.
    let after = send(client().get(&day)).await.body;
    assert!(after.contains(&starts[0]) && !after.contains(&starts[2]), "{after}");
    // The family portrait allows one move: a second is the studio's 422, its details passed on.
    let second = reschedule(&g.base, id, Some(token), Some("mv-test-0002"), &json!({"start": starts[1], "timezone": "Europe/London"})).await;
    assert_eq!((second.status, second.code()), (422, "reschedule_limit_reached".to_string()), "{}", second.body);
    assert_eq!(second.json()["error"]["details"]["max_client_reschedules"], 1);
    // The same key for another move: the studio refuses it.
    let reused = reschedule(&g.base, id, Some(token), Some("mv-test-0001"), &json!({"start": starts[1], "timezone": "Europe/London"})).await;
    assert_eq!((reused.status, reused.code()), (422, "idempotency_key_reused".to_string()));
}

#[tokio::test]
async fn too_late_is_passed_on_with_its_deadline() {
    let (studio, _) = mock_studio().await;
    let (g, _) = gateway(&studio.base).await;
    let starts = open_slots(&g.base, &family_portrait_id(), 5, 2).await;
    let booked = book_family(&g.base, &starts[0], "sb-test-late-0001").await;
    let (id, token) = (booked["id"].as_str().unwrap(), booked["manage_token"].as_str().unwrap());
    // The studio's clock an hour before the session: past both notice windows (48 h, 24 h).
    let start = chrono::DateTime::parse_from_rfc3339(&starts[0]).unwrap();
    let clock = studio.base.replace("/api/v1", "/__admin/clock");
    let now = (start - chrono::Duration::hours(1)).to_rfc3339();
    assert_eq!(send(client().post(clock).header("Content-Type", "application/json").body(json!({"now": now}).to_string())).await.status, 200);
    let late = cancel(&g.base, id, Some(token), None).await;
    assert_eq!((late.status, late.code()), (409, "too_late".to_string()), "{}", late.body);
    let deadline = late.json()["error"]["details"]["deadline"].as_str().map(|d| chrono::DateTime::parse_from_rfc3339(d).unwrap());
    assert_eq!(deadline, Some(start - chrono::Duration::hours(48)));
    let late = reschedule(&g.base, id, Some(token), Some("mv-test-late-0001"), &json!({"start": starts[1], "timezone": "Europe/London"})).await;
    assert_eq!((late.status, late.code()), (409, "too_late".to_string()), "{}", late.body);
    let deadline = late.json()["error"]["details"]["deadline"].as_str().map(|d| chrono::DateTime::parse_from_rfc3339(d).unwrap());
    assert_eq!(deadline, Some(start - chrono::Duration::hours(24)));
    // The client's view says until when it was possible.
    let seen = send(manage(client().get(format!("{}/api/v1/sessions/{id}", g.base)), Some(token))).await;
    assert_eq!(seen.json()["data"]["status"], "booked");
    assert!(seen.json()["data"]["can_cancel_until"].is_string());
}

#[tokio::test]
async fn cancels_and_moves_count_as_writes() {
    let (studio, _) = mock_studio().await;
    let (g, _) = gateway_with(&studio.base, |c| c.bookings_per_minute = 2).await;
    let id = make_id("ses", "NOSUCHSESSION");
    assert_eq!(cancel(&g.base, &id, None, None).await.status, 403);
    assert_eq!(reschedule(&g.base, &id, None, None, &json!({})).await.status, 403);
    let limited = cancel(&g.base, &id, None, None).await;
    assert_eq!((limited.status, limited.code()), (429, "rate_limited".to_string()));
    // Reading one's session is a read.
    assert_eq!(send(client().get(format!("{}/api/v1/sessions/{id}", g.base))).await.status, 403);
}

#[tokio::test]
async fn a_browser_may_send_the_manage_token_from_the_photographers_sites() {
    let (studio, _) = mock_studio().await;
    let (g, _) = gateway(&studio.base).await;
    let id = make_id("ses", "ANYSESSION");
    for (method, path) in [
        ("POST", format!("/api/v1/sessions/{id}/cancel")),
        ("POST", format!("/api/v1/sessions/{id}/reschedule")),
        ("GET", format!("/api/v1/sessions/{id}")),
    ] {
        let preflight = send(
            client()
                .request(reqwest::Method::OPTIONS, format!("{}{path}", g.base))
                .header("Origin", SITE)
                .header("Access-Control-Request-Method", method)
                .header("Access-Control-Request-Headers", "content-type,idempotency-key,manage-token"),
        )
        .await;
        assert!(preflight.status < 300, "{path}: {}", preflight.status);
        assert_eq!(preflight.headers.get("access-control-allow-origin").and_then(|v| v.to_str().ok()), Some(SITE));
        let allowed = preflight.headers.get("access-control-allow-headers").and_then(|v| v.to_str().ok()).unwrap_or_default().to_ascii_lowercase();
        for h in ["content-type", "idempotency-key", "manage-token"] {
            assert!(allowed.contains(h), "{path}: {h} not allowed ({allowed})");
        }
    }
    let theirs = send(
        client()
            .request(reqwest::Method::OPTIONS, format!("{}/api/v1/sessions/{id}/cancel", g.base))
            .header("Origin", "https://evil.example")
            .header("Access-Control-Request-Method", "POST")
            .header("Access-Control-Request-Headers", "manage-token"),
    )
    .await;
    assert!(theirs.headers.get("access-control-allow-origin").is_none());
}

#[tokio::test]
async fn the_manage_token_never_reaches_the_log_or_the_metrics() {
    let (studio, _) = mock_studio().await;
    let (g, _) = gateway(&studio.base).await;
    let starts = open_slots(&g.base, &family_portrait_id(), 5, 1).await;
    let booked = book_family(&g.base, &starts[0], "sb-test-log-0001").await;
    let (id, token) = (booked["id"].as_str().unwrap(), booked["manage_token"].as_str().unwrap());
    assert_eq!(send(manage(client().get(format!("{}/api/v1/sessions/{id}", g.base)), Some(token))).await.status, 200);
    // A wrong token is a secret-shaped guess too.
    let guess = "G".repeat(48);
    assert_eq!(send(manage(client().get(format!("{}/api/v1/sessions/{id}", g.base)), Some(&guess))).await.status, 403);
    let done = cancel(&g.base, id, Some(token), Some(json!({"reason": "Sorry"}))).await;
    assert_eq!(done.status, 200, "{}", done.body);
    let gift = send(client().get(format!("{}/api/v1/session_types/{}/coupons/JUNIPER20", g.base, family_portrait_id()))).await;
    assert_eq!(gift.status, 200);
    let metrics = send(client().get(format!("{}/metrics", g.base))).await.body;
    let text = String::from_utf8_lossy(&process_log().0.lock().unwrap()).to_string();
    assert!(text.contains(&format!("/api/v1/sessions/{id}/cancel")), "the cancel was not logged: {text}");
    let secrets = [
        ("the manage token", token),
        ("a guessed token", &guess),
        ("the cookie", "s3cr3t-cookie"),
        ("the CSRF token", CSRF),
        ("the coupon code", "JUNIPER20"),
    ];
    for (what, secret) in secrets {
        assert!(!text.contains(secret), "the log holds {what}");
        assert!(!metrics.contains(secret), "the metrics hold {what}");
    }
}
