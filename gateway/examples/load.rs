//! The gateway's load benchmark (a measurement, not a test):
//!
//! ```sh
//! cargo run --release -p studio-gateway --example load -- [--seconds 60] [--visitors 300] [--waitlist]
//! ```
//!
//! `--waitlist` runs the gateway with its waitlist on (SQLite in a temporary file, its e-mail
//! to the mock's mail catcher), 60 people waiting (on given days or any day) and 10 freed
//! slots held for some of them, so that every availability answer is checked against the
//! holds: the figures to compare with a run without it.
//!
//! Starts the mock studio in studio mode and the gateway in front of it on loopback, then for
//! `--seconds` lets `--visitors` simulated visitors browse as people do (the session type
//! list, a month in one of several zones, a day, a pause between each) and book now and then,
//! a fifth of them racing for the first time of the day. Then, the studio back to its start,
//! the same visitors go straight to the studio (with its login) for as long. It prints requests per second, p50 and p99
//! latency both ways, the share of studio requests the gateway's cache and coalescing saved,
//! bookings made, lost (answered 201 but not at the studio) and doubled (two sessions at one
//! time, or a session nobody was told of), and a scan of every answer and gateway log line
//! for the login (found: 0). Everything runs on this machine, one process, 127.0.0.1 only.

use std::collections::{HashMap, HashSet};
use std::io::Write;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use mock_studio::http::{serve, AppState};
use mock_studio::login::StudioLogin;
use mock_studio::studio::StudioConfig;
use serde_json::{json, Value};
use studio_gateway::config::{env, Config};
use studio_gateway::Gateway;
use tokio::net::TcpListener;

const COOKIE: &str = "pxs_session=load-7f3a9c1e5b2d4f60";
const CSRF: &str = "csrf-load-91bd27e4c0a3";
const ZONES: [&str; 5] = ["Europe/London", "America/New_York", "Asia/Tokyo", "Asia/Kathmandu", "UTC"];

/// Where the gateway's log lines go, to be scanned for the login afterwards.
#[derive(Clone, Default)]
struct LogBuffer(Arc<Mutex<Vec<u8>>>);

impl Write for LogBuffer {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// A small random number source per visitor (xorshift), seeded apart.
struct Dice(u64);

impl Dice {
    fn below(&mut self, n: usize) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 % n.max(1) as u64) as usize
    }
}

/// What one phase measured.
#[derive(Default)]
struct Tally {
    latencies_us: Vec<u64>,
    errors: u64,
    booked: Vec<(String, String)>, // (session id, start)
    taken: u64,
    refused: u64,
    leaks: u64,
}

/// The way one visitor reaches the studio: through the gateway, or straight with the login.
#[derive(Clone)]
struct Way {
    api: String,
    login: bool,
}

fn with_login(way: &Way, request: reqwest::RequestBuilder, write: bool) -> reqwest::RequestBuilder {
    let request = if way.login { request.header("Cookie", COOKIE) } else { request };
    if way.login && write {
        request.header("X-CSRF-Token", CSRF)
    } else {
        request
    }
}

/// Valid answers to a session type's questions, and the rest of a booking request.
fn booking_for(t: &Value, start: &str, zone: &str, n: u64) -> Value {
    let mut answers = serde_json::Map::new();
    for q in t["intake_form_fields"].as_array().into_iter().flatten() {
        if q["required"] != json!(true) && q["required"] != json!(1) {
            continue;
        }
        let first = q["options"][0]["value"].clone();
        let v = match q["field_type"].as_str().unwrap_or("text") {
            "number" => json!(q["validation"]["min_value"].as_f64().unwrap_or(1.0).max(1.0)),
            "radio" | "select" => first,
            "multi_select" => json!([first]),
            "checkbox" => json!(true),
            "email" => json!("guest@example.com"),
            "phone" => json!("+44 20 7946 0958"),
            "date" => json!((chrono::Utc::now() + chrono::Duration::days(14)).format("%Y-%m-%d").to_string()),
            _ => json!("Load test answer"),
        };
        answers.insert(q["id"].as_str().unwrap_or_default().to_string(), v);
    }
    let method = t["payment_methods"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|m| m["enabled"] == json!(true) || m["enabled"] == json!(1))
        .map(|m| m["type"].clone());
    let collects = t["collect_payment"] == json!(true) || t["collect_payment"] == json!(1);
    json!({
        "session_type_id": t["id"], "start": start, "timezone": zone,
        "client": {"first_name": "Visitor", "last_name": format!("N{n}"), "email": format!("visitor{n}@example.com")},
        "answers": answers,
        "payment_method_type": if collects { method.unwrap_or(Value::Null) } else { Value::Null },
        "payment_option": if collects { json!("full") } else { Value::Null },
        "policy_accepted": true,
    })
}

/// One request, timed; the answer's status and body (None when no answer came).
async fn timed(tally: &Mutex<Tally>, request: reqwest::RequestBuilder) -> Option<(u16, String)> {
    let started = Instant::now();
    let answer = request.send().await;
    let out = match answer {
        Ok(r) => {
            let status = r.status().as_u16();
            let headers = format!("{:?}", r.headers());
            let body = r.text().await.unwrap_or_default();
            let mut t = tally.lock().unwrap();
            t.latencies_us.push(started.elapsed().as_micros() as u64);
            let secrets = [COOKIE.split('=').nth(1).unwrap(), CSRF];
            if secrets.iter().any(|s| body.contains(s) || headers.contains(s)) {
                t.leaks += 1;
            }
            Some((status, body))
        }
        Err(_) => None,
    };
    if out.as_ref().is_none_or(|(s, _)| *s >= 500) {
        tally.lock().unwrap().errors += 1;
    }
    out
}

/// One visitor, until `until`.
async fn visitor(way: Way, client: reqwest::Client, tally: Arc<Mutex<Tally>>, seed: u64, until: Instant) {
    let mut dice = Dice(seed | 1);
    let mut n = 0u64;
    while Instant::now() < until {
        n += 1;
        let pause = || Duration::from_millis(50 + (seed % 7) * 20);
        let Some((200, list)) = timed(&tally, with_login(&way, client.get(format!("{}/session_types/?page=1&per_page=100", way.api)), false)).await
        else {
            continue;
        };
        let types: Vec<Value> = serde_json::from_str::<Value>(&list)
            .ok()
            .and_then(|v| v["data"].as_array().cloned())
            .unwrap_or_default()
            .into_iter()
            .filter(|t| t["status"] == "published")
            .collect();
        if types.is_empty() {
            continue;
        }
        let t = &types[dice.below(types.len())];
        let id = t["id"].as_str().unwrap_or_default();
        let zone = ZONES[dice.below(ZONES.len())];
        tokio::time::sleep(pause()).await;
        let now = chrono::Utc::now();
        use chrono::Datelike;
        let (y, m) = if dice.below(2) == 0 {
            (now.year(), now.month())
        } else if now.month() == 12 {
            (now.year() + 1, 1)
        } else {
            (now.year(), now.month() + 1)
        };
        let Some((200, month)) =
            timed(&tally, with_login(&way, client.get(format!("{}/session_types/{id}/check-month-avail/{y}-{m}-{zone}", way.api)), false)).await
        else {
            continue;
        };
        let dates: Vec<String> = serde_json::from_str::<Value>(&month)
            .ok()
            .and_then(|v| v["data"]["available_dates"].as_array().cloned())
            .unwrap_or_default()
            .into_iter()
            .filter_map(|d| d.as_str().map(str::to_string))
            .collect();
        if dates.is_empty() {
            continue;
        }
        // A fifth of the visitors race for the first open day and time.
        let racing = seed.is_multiple_of(5);
        let date = if racing { dates[0].clone() } else { dates[dice.below(dates.len())].clone() };
        let d = chrono::NaiveDate::parse_from_str(&date, "%Y-%m-%d").unwrap();
        tokio::time::sleep(pause()).await;
        let url = format!("{}/session_types/{id}/check-day-avail/{}-{}-{}-{zone}", way.api, d.year(), d.month(), d.day());
        let Some((200, day)) = timed(&tally, with_login(&way, client.get(url), false)).await else { continue };
        let slots: Vec<String> = serde_json::from_str::<Value>(&day)
            .ok()
            .and_then(|v| v["data"]["slots"].as_array().cloned())
            .unwrap_or_default()
            .into_iter()
            .filter_map(|s| s["start"].as_str().map(str::to_string))
            .collect();
        if slots.is_empty() {
            continue;
        }
        tokio::time::sleep(pause()).await;
        // One visit in six ends in a booking; racers book more often.
        if dice.below(if racing { 2 } else { 6 }) != 0 {
            continue;
        }
        let start = if racing { slots[0].clone() } else { slots[dice.below(slots.len())].clone() };
        let body = booking_for(t, &start, zone, seed * 1_000 + n).to_string();
        let key = format!("load-{seed}-{n}");
        // A lost answer is asked again with the same key, as the widget does.
        for _ in 0..3 {
            let request = client
                .post(format!("{}/sessions", way.api))
                .header("Content-Type", "application/json")
                .header("Idempotency-Key", &key)
                .body(body.clone());
            match timed(&tally, with_login(&way, request, true)).await {
                Some((201, answer)) => {
                    let session: Value = serde_json::from_str(&answer).unwrap_or_default();
                    let sid = session["data"]["id"].as_str().unwrap_or_default().to_string();
                    tally.lock().unwrap().booked.push((sid, start.clone()));
                    break;
                }
                Some((409, _)) => {
                    tally.lock().unwrap().taken += 1;
                    break;
                }
                Some((s, _)) if s < 500 => {
                    tally.lock().unwrap().refused += 1;
                    break;
                }
                _ => continue,
            }
        }
    }
}

fn percentile(sorted: &[u64], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    sorted[((sorted.len() - 1) as f64 * p).round() as usize] as f64 / 1000.0
}

async fn phase(name: &str, way: Way, visitors: u64, seconds: u64) -> Tally {
    let client = reqwest::Client::builder().pool_max_idle_per_host(visitors as usize).build().unwrap();
    let tally = Arc::new(Mutex::new(Tally::default()));
    let until = Instant::now() + Duration::from_secs(seconds);
    let started = Instant::now();
    let tasks: Vec<_> =
        (0..visitors).map(|i| tokio::spawn(visitor(way.clone(), client.clone(), tally.clone(), 0x9e37_79b9 + i * 7919, until))).collect();
    for t in tasks {
        let _ = t.await;
    }
    let elapsed = started.elapsed().as_secs_f64();
    let mut t = Arc::try_unwrap(tally).ok().unwrap().into_inner().unwrap();
    t.latencies_us.sort_unstable();
    println!(
        "{name:<28} {:>8} requests  {:>7.1} req/s  p50 {:>6.1} ms  p99 {:>7.1} ms  errors {:>4}  booked {:>4}  taken by another {:>4}  refused {:>3}",
        t.latencies_us.len(),
        t.latencies_us.len() as f64 / elapsed,
        percentile(&t.latencies_us, 0.5),
        percentile(&t.latencies_us, 0.99),
        t.errors,
        t.booked.len(),
        t.taken,
        t.refused,
    );
    t
}

/// 60 people on the family portrait's waitlist (each from an address of its own, confirmed
/// from their e-mail; a third for any day), then 10 of its slots booked and cancelled through
/// the gateway, each offered and held for one of them. How many are held.
async fn seed_waitlist(g: &str, catcher: &mock_studio::mail_catcher::Catcher) -> usize {
    use chrono::Datelike;
    let http = reqwest::Client::new();
    let get = |url: String| {
        let http = http.clone();
        async move { serde_json::from_str::<Value>(&http.get(url).send().await.unwrap().text().await.unwrap()).unwrap_or_default() }
    };
    let post = |url: String, body: Value, header: (&'static str, String)| {
        let http = http.clone();
        async move {
            let r = http.post(url).header("Content-Type", "application/json").header(header.0, header.1).body(body.to_string()).send().await.unwrap();
            serde_json::from_str::<Value>(&r.text().await.unwrap()).unwrap_or_default()
        }
    };
    let id = mock_studio::demo::family_portrait_id();
    let from = chrono::Utc::now().date_naive() + chrono::Duration::days(5);
    let mut days = Vec::new();
    let mut month = from.with_day(1).unwrap();
    while days.len() < 10 {
        let m = get(format!("{g}/session_types/{id}/check-month-avail/{}-{}-Europe/London", month.year(), month.month())).await;
        for date in m["data"]["available_dates"].as_array().into_iter().flatten().filter_map(Value::as_str) {
            let d = chrono::NaiveDate::parse_from_str(date, "%Y-%m-%d").unwrap();
            let day = get(format!("{g}/session_types/{id}/check-day-avail/{}-{}-{}-Europe/London", d.year(), d.month(), d.day())).await;
            if let (true, Some(start)) = (d >= from, day["data"]["slots"][0]["start"].as_str()) {
                days.push((date.to_string(), start.to_string()));
            }
        }
        month = month.checked_add_months(chrono::Months::new(1)).unwrap();
    }
    days.truncate(10);
    for n in 0..60 {
        let dates = if n % 3 == 0 { json!([]) } else { json!([days[n % days.len()].0]) };
        let email = format!("waiting{n}@example.com");
        let body = json!({"first_name": "Uma", "email": email, "dates": dates, "timezone": "Europe/London", "language": "en", "consent": true});
        post(format!("{g}/session_types/{id}/waitlist"), body, ("X-Forwarded-For", format!("198.51.100.{}", n + 1))).await;
        let until = Instant::now() + Duration::from_secs(30);
        let text = loop {
            if let Some(m) = catcher.messages().into_iter().find(|m| m.to.contains(&email)) {
                break m.text;
            }
            assert!(Instant::now() < until, "no confirmation e-mail");
            tokio::time::sleep(Duration::from_millis(5)).await;
        };
        let at = text.find("studio-booking-waitlist-confirm=").unwrap() + "studio-booking-waitlist-confirm=".len();
        let token: String = text[at..].chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_').collect();
        post(format!("{g}/waitlist/confirm"), json!({"token": token}), ("X-Forwarded-For", "198.51.100.250".into())).await;
    }
    let types = get(format!("{g}/session_types/{id}")).await;
    for (n, (_, start)) in days.iter().enumerate() {
        let booked = post(
            format!("{g}/sessions"),
            booking_for(&types["data"], start, "Europe/London", 9_000 + n as u64),
            ("Idempotency-Key", format!("seed-hold-{n:03}")),
        )
        .await;
        let (sid, token) =
            (booked["data"]["id"].as_str().unwrap_or_default(), booked["data"]["manage_token"].as_str().unwrap_or_default().to_string());
        post(format!("{g}/sessions/{sid}/cancel"), json!({}), ("Manage-Token", token)).await;
    }
    tokio::time::sleep(Duration::from_secs(2)).await;
    catcher.messages().iter().filter(|m| m.text.contains("studio-booking-offer=")).count()
}

/// The studio's sessions, asked with the login.
async fn studio_sessions(api: &str) -> Vec<Value> {
    let r = reqwest::Client::new().get(format!("{api}/sessions")).header("Cookie", COOKIE).send().await.unwrap();
    serde_json::from_str::<Value>(&r.text().await.unwrap()).unwrap()["data"].as_array().cloned().unwrap_or_default()
}

#[tokio::main]
async fn main() {
    let mut args = std::env::args().skip(1);
    let (mut seconds, mut visitors, mut waitlist) = (60u64, 300u64, false);
    while let Some(a) = args.next() {
        match a.as_str() {
            "--waitlist" => waitlist = true,
            "--seconds" => seconds = args.next().and_then(|v| v.parse().ok()).unwrap_or(seconds),
            "--visitors" => visitors = args.next().and_then(|v| v.parse().ok()).unwrap_or(visitors),
            _ => {}
        }
    }
    let log = LogBuffer::default();
    let writer = log.clone();
    tracing_subscriber::fmt().json().with_target(false).with_writer(move || writer.clone()).init();

    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let studio = AppState::new(StudioConfig {
        public_base: format!("http://{addr}"),
        seed_bookings: false,
        login: Some(StudioLogin::new(COOKIE, CSRF).unwrap()),
        ..Default::default()
    });
    tokio::spawn(serve(listener, studio.clone(), std::future::pending::<()>()));
    let studio_api = format!("http://{addr}/api/v1");

    let mut vars = vec![
        (env::UPSTREAM, studio_api.clone()),
        (env::COOKIE, COOKIE.to_string()),
        (env::CSRF_TOKEN, CSRF.to_string()),
        (env::ALLOWED_ORIGINS, "https://juniper.example".to_string()),
    ];
    let catcher = match waitlist {
        true => Some(mock_studio::mail_catcher::Catcher::start("127.0.0.1:0").await.unwrap()),
        false => None,
    };
    let db = std::env::temp_dir().join(format!("sb-load-{}.db", std::process::id()));
    if let Some(c) = &catcher {
        vars.extend([
            (env::SMTP_URL, format!("smtp://{}", c.smtp_addr())),
            (env::MAIL_FROM, "Juniper Studio <hello@juniper.example>".to_string()),
            (env::BOOKING_PAGE, "https://juniper.example/book".to_string()),
            (env::DATABASE_URL, format!("sqlite://{}", db.display())),
            (env::TRUST_FORWARDED_FOR, "true".to_string()),
        ]);
    }
    let mut config = Config::load(None, |n| vars.iter().find(|(k, _)| *k == n).map(|(_, v)| v.clone()), |p| Err(p.to_string())).unwrap();
    // Every simulated visitor comes from 127.0.0.1: the per-address limits would measure
    // themselves, not the gateway.
    config.reads_per_minute = 10_000_000;
    config.bookings_per_minute = 10_000_000;
    let gateway = Gateway::open(config).await.unwrap();
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let gateway_api = format!("http://{}/api/v1", listener.local_addr().unwrap());
    tokio::spawn(studio_gateway::serve(listener, gateway.clone(), std::future::pending::<()>()));
    if let Some(c) = &catcher {
        let held = seed_waitlist(&gateway_api, c).await;
        println!("waitlist on: 60 people waiting, {held} freed slots held for some of them");
    }

    println!(
        "studio-gateway load benchmark — {} visitors, {seconds} s each way, {} cores, one process on 127.0.0.1 (mock studio in studio mode, gateway, visitors)",
        visitors,
        std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1)
    );
    let through = phase("through the gateway", Way { api: gateway_api, login: false }, visitors, seconds).await;
    let requests = gateway.metrics.requests();
    let upstream = gateway.metrics.upstream_calls();
    let after_gateway = studio_sessions(&studio_api).await;
    // The studio back to its start, so that both ways meet the same calendar.
    let reset = studio_api.replace("/api/v1", "/__admin/reset");
    reqwest::Client::new().post(reset).send().await.unwrap();
    let straight = phase("straight to the studio", Way { api: studio_api.clone(), login: true }, visitors, seconds).await;

    // Bookings: every 201 must be at the studio once; no time may hold two sessions.
    // (The waitlist's seed booked and cancelled its own: not the visitors'.)
    let after_gateway: Vec<Value> = after_gateway.into_iter().filter(|s| s["status"] != "cancelled").collect();
    let at_studio: HashSet<String> = after_gateway.iter().filter_map(|s| s["id"].as_str().map(str::to_string)).collect();
    let told: HashSet<String> = through.booked.iter().map(|(id, _)| id.clone()).collect();
    let lost = told.iter().filter(|id| !at_studio.contains(*id)).count();
    let unknown = at_studio.iter().filter(|id| !told.contains(*id)).count();
    let mut by_start: HashMap<i64, usize> = HashMap::new();
    for s in &after_gateway {
        if let Some(t) = s["start"].as_str().and_then(|t| chrono::DateTime::parse_from_rfc3339(t).ok()) {
            *by_start.entry(t.timestamp()).or_default() += 1;
        }
    }
    let doubled = by_start.values().filter(|&&n| n > 1).count() + unknown;
    let log_text = String::from_utf8_lossy(&log.0.lock().unwrap()).to_string();
    let log_lines = log_text.lines().count();
    let leaked_in_log = [COOKIE.split('=').nth(1).unwrap(), CSRF].iter().filter(|s| log_text.contains(**s)).count();
    println!(
        "upstream calls saved by the cache and coalescing: {:.1} % ({upstream} studio requests for {requests} visitor requests)",
        100.0 * (1.0 - upstream as f64 / requests.max(1) as f64)
    );
    println!(
        "bookings through the gateway: made {} (distinct {}), lost {lost}, doubled {doubled}; straight: made {}",
        through.booked.len(),
        told.len(),
        straight.booked.len()
    );
    println!(
        "credential scan: {} answers and {log_lines} gateway log lines read, found {}",
        through.latencies_us.len() + straight.latencies_us.len(),
        through.leaks + straight.leaks + leaked_in_log as u64
    );
    let _ = std::fs::remove_file(&db);
}
