//! The waitlist's benchmark (a measurement, not a test):
//!
//! ```sh
//! cargo run --release -p studio-gateway --example waitlist -- [--trials 20] [--poll-secs 5]
//! ```
//!
//! Starts the mock studio in studio mode, the mock's mail catcher (a real SMTP server on
//! loopback) and the gateway with its waitlist on (SQLite in a temporary file), all in one
//! process on 127.0.0.1. Then, `--trials` times: a client books a slot through the gateway,
//! a person joins the waitlist for that day and confirms from the e-mail, and the client
//! cancels through the gateway; it prints the time from the cancel being sent to the offer
//! e-mail accepted by the SMTP server. Then, a few times, the same with the session booked
//! and cancelled at the studio itself, which the gateway learns of by its watch of the
//! studio's availability (every `--poll-secs`): the time from the studio's cancel to the offer
//! e-mail.

use std::sync::Arc;
use std::time::{Duration, Instant};

use chrono::Datelike;
use mock_studio::demo::family_portrait_id;
use mock_studio::http::{serve, AppState};
use mock_studio::login::StudioLogin;
use mock_studio::mail_catcher::Catcher;
use mock_studio::studio::StudioConfig;
use serde_json::{json, Value};
use studio_gateway::config::{env, Config};
use studio_gateway::Gateway;
use tokio::net::TcpListener;

const COOKIE: &str = "pxs_session=bench-5c1e7a90d3b2";
const CSRF: &str = "csrf-bench-0a7d";

/// A GET's JSON answer.
async fn get_json(http: &reqwest::Client, url: String) -> Value {
    serde_json::from_str(&http.get(url).send().await.unwrap().text().await.unwrap()).unwrap_or_default()
}

/// A POST of `body` as JSON (reqwest's own `json` is not among the gateway's features).
fn with_json(request: reqwest::RequestBuilder, body: &Value) -> reqwest::RequestBuilder {
    request.header("Content-Type", "application/json").body(body.to_string())
}

/// A booking of the family portrait session at `start` for `email`.
fn booking(start: &str, email: &str) -> Value {
    json!({
        "session_type_id": family_portrait_id(), "start": start, "timezone": "Europe/London",
        "client": {"first_name": "Ana", "last_name": "Silva", "email": email},
        "answers": {"q_people": 3, "q_place": "park"},
        "payment_method_type": "manual", "payment_option": "partial", "policy_accepted": true
    })
}

/// The value of a link's fragment parameter in a mail's text.
fn param(text: &str, name: &str) -> String {
    let at = text.find(&format!("{name}=")).map(|i| i + name.len() + 1).unwrap_or(text.len());
    text[at..].chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_').collect()
}

/// Waits for the first mail to `to` holding `marker`; the time it was seen.
async fn mail_for(catcher: &Catcher, to: &str, marker: &str) -> (Instant, String) {
    let until = Instant::now() + Duration::from_secs(120);
    loop {
        if let Some(m) = catcher.messages().into_iter().find(|m| m.to.iter().any(|t| t == to) && m.text.contains(marker)) {
            return (Instant::now(), m.text);
        }
        assert!(Instant::now() < until, "no mail to {to} in two minutes");
        tokio::time::sleep(Duration::from_millis(1)).await;
    }
}

/// The first open slot of each open day of the family portrait session from 5 days ahead,
/// in London.
async fn open_slots(http: &reqwest::Client, g: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let from = chrono::Utc::now().date_naive() + chrono::Duration::days(5);
    let mut month = from.with_day(1).unwrap();
    for _ in 0..4 {
        let url = format!("{g}/session_types/{}/check-month-avail/{}-{}-Europe/London", family_portrait_id(), month.year(), month.month());
        let m = get_json(http, url).await;
        for date in m["data"]["available_dates"].as_array().into_iter().flatten().filter_map(Value::as_str) {
            let d = chrono::NaiveDate::parse_from_str(date, "%Y-%m-%d").unwrap();
            if d < from {
                continue;
            }
            let url = format!("{g}/session_types/{}/check-day-avail/{}-{}-{}-Europe/London", family_portrait_id(), d.year(), d.month(), d.day());
            let day = get_json(http, url).await;
            // One slot a day: a booking may close the times around it (its buffers).
            if let Some(s) = day["data"]["slots"][0]["start"].as_str() {
                out.push((date.to_string(), s.to_string()));
            }
        }
        month = month.checked_add_months(chrono::Months::new(1)).unwrap();
    }
    out
}

/// Joins the waitlist for `date` as `email` (from its own client address) and confirms it.
async fn join(http: &reqwest::Client, g: &str, catcher: &Catcher, email: &str, date: &str, n: usize) {
    let body = json!({"first_name": "Uma", "email": email, "dates": [date], "timezone": "Europe/London", "language": "en", "consent": true});
    let request =
        http.post(format!("{g}/session_types/{}/waitlist", family_portrait_id())).header("X-Forwarded-For", format!("198.51.100.{}", n % 250 + 1));
    let r = with_json(request, &body).send().await.unwrap();
    assert_eq!(r.status(), 202);
    let (_, text) = mail_for(catcher, email, "studio-booking-waitlist-confirm=").await;
    let token = param(&text, "studio-booking-waitlist-confirm");
    let r = with_json(http.post(format!("{g}/waitlist/confirm")), &json!({"token": token})).send().await.unwrap();
    assert_eq!(r.status(), 200);
}

fn summary(name: &str, mut ms: Vec<f64>) {
    ms.sort_by(|a, b| a.total_cmp(b));
    let at = |p: f64| ms[((ms.len() - 1) as f64 * p).round() as usize];
    println!("{name:<58} n {:>3}  p50 {:>8.1} ms  p95 {:>8.1} ms  max {:>8.1} ms", ms.len(), at(0.5), at(0.95), at(1.0));
}

#[tokio::main]
async fn main() {
    let mut args = std::env::args().skip(1);
    let (mut trials, mut poll_secs) = (20usize, 5u64);
    while let Some(a) = args.next() {
        match a.as_str() {
            "--trials" => trials = args.next().and_then(|v| v.parse().ok()).unwrap_or(trials),
            "--poll-secs" => poll_secs = args.next().and_then(|v| v.parse().ok()).unwrap_or(poll_secs),
            _ => {}
        }
    }
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let studio = AppState::new(StudioConfig {
        public_base: format!("http://{addr}"),
        seed_bookings: false,
        login: Some(StudioLogin::new(COOKIE, CSRF).unwrap()),
        ..Default::default()
    });
    tokio::spawn(serve(listener, studio.clone(), std::future::pending::<()>()));
    let catcher = Catcher::start("127.0.0.1:0").await.unwrap();
    let db = std::env::temp_dir().join(format!("sb-waitlist-bench-{}.db", std::process::id()));
    let vars = [
        (env::UPSTREAM, format!("http://{addr}/api/v1")),
        (env::COOKIE, COOKIE.to_string()),
        (env::CSRF_TOKEN, CSRF.to_string()),
        (env::ALLOWED_ORIGINS, "https://juniper.example".to_string()),
        (env::TRUST_FORWARDED_FOR, "true".to_string()),
        (env::SMTP_URL, format!("smtp://{}", catcher.smtp_addr())),
        (env::MAIL_FROM, "Juniper Studio <hello@juniper.example>".to_string()),
        (env::BOOKING_PAGE, "https://juniper.example/book".to_string()),
        (env::DATABASE_URL, format!("sqlite://{}", db.display())),
        (env::WAITLIST_POLL_SECS, poll_secs.to_string()),
    ];
    let mut config = Config::load(None, |n| vars.iter().find(|(k, _)| *k == n).map(|(_, v)| v.clone()), |p| Err(p.to_string())).unwrap();
    // One address books, cancels and confirms for everyone here: the per-address limits would
    // measure themselves (each join still comes from an address of its own).
    config.reads_per_minute = 10_000_000;
    config.bookings_per_minute = 10_000_000;
    let gateway: Arc<Gateway> = Gateway::open(config).await.unwrap();
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let g = format!("http://{}/api/v1", listener.local_addr().unwrap());
    tokio::spawn(studio_gateway::serve(listener, gateway.clone(), std::future::pending::<()>()));
    let http = reqwest::Client::new();
    println!(
        "studio-gateway waitlist benchmark — {trials} cancels through the gateway, {} freed at the studio (watched every {poll_secs} s); {} cores, one process on 127.0.0.1 (mock studio, gateway with SQLite, mail catcher)",
        trials.div_ceil(4),
        std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1)
    );
    let mut slots = open_slots(&http, &g).await.into_iter();

    // A client's cancel through the gateway: offered at once.
    let mut through = Vec::new();
    for i in 0..trials {
        let (date, start) = slots.next().expect("enough open slots");
        let request = http.post(format!("{g}/sessions")).header("Idempotency-Key", format!("bench-cancel-{i:04}"));
        let answer = with_json(request, &booking(&start, &format!("client{i}@example.com"))).send().await.unwrap();
        let booked: Value = serde_json::from_str(&answer.text().await.unwrap()).unwrap();
        assert!(booked["data"]["id"].is_string(), "{booked}");
        let (id, token) = (booked["data"]["id"].as_str().unwrap().to_string(), booked["data"]["manage_token"].as_str().unwrap().to_string());
        let email = format!("waiting{i}@example.com");
        join(&http, &g, &catcher, &email, &date, i).await;
        let sent = Instant::now();
        let r = with_json(http.post(format!("{g}/sessions/{id}/cancel")).header("Manage-Token", token), &json!({})).send().await.unwrap();
        assert_eq!(r.status(), 200);
        let (seen, _) = mail_for(&catcher, &email, "studio-booking-offer=").await;
        through.push((seen - sent).as_secs_f64() * 1000.0);
    }
    summary("a client's cancel through the gateway → offer e-mail accepted", through);

    // A session cancelled at the studio: found by the watch.
    let mut watched = Vec::new();
    for i in 0..trials.div_ceil(4) {
        let (date, start) = slots.next().expect("enough open slots");
        let booked =
            studio.studio().book(Some(&format!("bench-studio-{i:04}")), booking(&start, &format!("walkin{i}@example.com")).to_string().as_bytes());
        assert_eq!(booked.status, 201, "{}", booked.body);
        let email = format!("watching{i}@example.com");
        join(&http, &g, &catcher, &email, &date, 100 + i).await;
        // A look of the watch sees the day full first.
        tokio::time::sleep(Duration::from_secs(poll_secs + 1)).await;
        let (id, token) = (booked.body["data"]["id"].as_str().unwrap(), booked.body["data"]["manage_token"].as_str().unwrap());
        let sent = Instant::now();
        assert_eq!(studio.studio().cancel(id, Some(token), b"{}").status, 200);
        let (seen, _) = mail_for(&catcher, &email, "studio-booking-offer=").await;
        watched.push((seen - sent).as_secs_f64() * 1000.0);
    }
    summary(&format!("a cancel at the studio, watched every {poll_secs} s → offer e-mail"), watched);
    let _ = std::fs::remove_file(&db);
}
