//! The gateway over real sockets, in front of the mock studio on loopback: every public
//! endpoint, the refusals (paths, methods, bookings that break the rules, other sites), and a
//! studio that is down. Nothing refused may reach the studio: its call counter says so.

use std::sync::Arc;
use std::time::Duration;

use mock_studio::demo::{family_portrait_id, make_id};
use mock_studio::http::{serve, AppState};
use mock_studio::studio::StudioConfig;
use serde_json::{json, Value};
use studio_gateway::config::{env, Config};
use studio_gateway::Gateway;
use tokio::net::TcpListener;

const SITE: &str = "https://juniper.example";

/// A running server, stopped when dropped.
struct Running {
    base: String,
    _stop: tokio::sync::oneshot::Sender<()>,
}

/// The gateway's login, which the mock in studio mode asks for.
const COOKIE: &str = "pxs_session=s3cr3t-cookie";
const CSRF: &str = "csrf-s3cr3t";

/// The mock studio in studio mode: the owner's login on every request, the CSRF token on
/// writes, no CORS, private fields and drafts listed, as the real Studio API.
async fn mock_studio() -> (Running, Arc<AppState>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap().to_string();
    let login = mock_studio::login::StudioLogin::new(COOKIE, CSRF).unwrap();
    let state = AppState::new(StudioConfig { public_base: format!("http://{addr}"), seed_bookings: false, login: Some(login), ..Default::default() });
    let (tx, rx) = tokio::sync::oneshot::channel::<()>();
    tokio::spawn(serve(listener, state.clone(), async move {
        let _ = rx.await;
    }));
    (Running { base: format!("http://{addr}/api/v1"), _stop: tx }, state)
}

async fn gateway(upstream: &str) -> (Running, Arc<Gateway>) {
    gateway_with(upstream, |_| {}).await
}

async fn gateway_with(upstream: &str, tweak: impl FnOnce(&mut Config)) -> (Running, Arc<Gateway>) {
    let vars = [
        (env::UPSTREAM, upstream.to_string()),
        (env::COOKIE, format!("theme=dark; {COOKIE}")),
        (env::CSRF_TOKEN, CSRF.to_string()),
        (env::ALLOWED_ORIGINS, SITE.to_string()),
    ];
    let mut config = Config::load(None, |n| vars.iter().find(|(k, _)| *k == n).map(|(_, v)| v.clone()), |p| Err(p.to_string())).unwrap();
    config.upstream_timeout = Duration::from_millis(1500);
    tweak(&mut config);
    let g = Gateway::new(config).unwrap();
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap().to_string();
    let (tx, rx) = tokio::sync::oneshot::channel::<()>();
    tokio::spawn(studio_gateway::serve(listener, g.clone(), async move {
        let _ = rx.await;
    }));
    (Running { base: format!("http://{addr}"), _stop: tx }, g)
}

struct Reply {
    status: u16,
    headers: reqwest::header::HeaderMap,
    body: String,
}

impl Reply {
    fn json(&self) -> Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.body))
    }
    fn code(&self) -> String {
        self.json()["error"]["code"].as_str().unwrap_or_default().to_string()
    }
}

async fn send(request: reqwest::RequestBuilder) -> Reply {
    let r = request.send().await.unwrap();
    Reply { status: r.status().as_u16(), headers: r.headers().clone(), body: r.text().await.unwrap() }
}

fn client() -> reqwest::Client {
    reqwest::Client::new()
}

/// POSTs a booking request as JSON, under an Idempotency-Key when given.
async fn post_booking(url: impl reqwest::IntoUrl, key: Option<&str>, body: &Value) -> Reply {
    let request = client().post(url).header("Content-Type", "application/json").body(body.to_string());
    send(match key {
        Some(k) => request.header("Idempotency-Key", k),
        None => request,
    })
    .await
}

/// The first open slot of the family portrait session type, in London: (its day, its start).
async fn first_slot(g: &str) -> (String, String) {
    let today = chrono::Utc::now().date_naive();
    use chrono::Datelike;
    let mut ym = (today.year(), today.month());
    for _ in 0..4 {
        let url = format!("{g}/api/v1/session_types/{}/check-month-avail/{}-{}-Europe/London", family_portrait_id(), ym.0, ym.1);
        let month = send(client().get(url)).await;
        assert_eq!(month.status, 200, "{}", month.body);
        if let Some(date) = month.json()["data"]["available_dates"][0].as_str() {
            let d = chrono::NaiveDate::parse_from_str(date, "%Y-%m-%d").unwrap();
            let url =
                format!("{g}/api/v1/session_types/{}/check-day-avail/{}-{}-{}-Europe/London", family_portrait_id(), d.year(), d.month(), d.day());
            let day = send(client().get(url)).await;
            assert_eq!(day.status, 200, "{}", day.body);
            return (date.to_string(), day.json()["data"]["slots"][0]["start"].as_str().unwrap().to_string());
        }
        ym = if ym.1 == 12 { (ym.0 + 1, 1) } else { (ym.0, ym.1 + 1) };
    }
    panic!("no open day in four months");
}

fn booking(start: &str) -> Value {
    json!({
        "session_type_id": family_portrait_id(), "start": start, "timezone": "Europe/London",
        "client": {"first_name": "Ana", "last_name": "Silva", "email": "ana@example.com"},
        "answers": {"q_people": 3, "q_place": "park"},
        "payment_method_type": "manual", "payment_option": "partial", "policy_accepted": true,
        "smuggled": "not for the studio"
    })
}

/// The sessions the studio holds, as its own list gives them.
fn studio_sessions(state: &AppState) -> Vec<Value> {
    state.studio().list_sessions().body["data"].as_array().cloned().unwrap_or_default()
}

fn sessions_at_the_studio(state: &AppState) -> usize {
    studio_sessions(state).len()
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
