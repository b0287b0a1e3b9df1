//! The waitlist over real sockets: the gateway (with its SQLite file) in front of the mock
//! studio, its e-mail through the mock's mail catcher (a real SMTP server on loopback). A
//! join confirmed from its e-mail, a client's cancel offered to the first person waiting,
//! the hold against everyone else, the booking with the offer's token, an offer declined or
//! run out passing on, a slot freed at the studio found by the watch, and a gateway killed
//! mid-offer that keeps its hold and sends its mail once back.

use std::sync::Arc;
use std::time::{Duration, Instant};

use chrono::Datelike;
use mock_studio::demo::family_portrait_id;
use mock_studio::mail_catcher::{Catcher, CaughtMessage};
use serde_json::{json, Value};
use studio_gateway::config::{env, WaitlistConfig};
use studio_gateway::Gateway;

mod common;
use common::{booking, client, config_with, gateway_of, mock_studio, send, Reply, Running};

const PHOTOGRAPHER: &str = "mara@juniper.example";
const PAGE: &str = "https://juniper.example/book";

/// A database file of its own for each gateway of these tests.
fn temp_db() -> String {
    static N: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(0);
    let n = N.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
    let path = std::env::temp_dir().join(format!("sb-waitlist-{}-{n}.db", std::process::id()));
    let _ = std::fs::remove_file(&path);
    format!("sqlite://{}", path.display())
}

/// The waitlist's settings of the environment, for a catcher and a database.
fn waitlist_env(catcher: &Catcher, db: &str) -> Vec<(&'static str, String)> {
    vec![
        (env::SMTP_URL, format!("smtp://{}", catcher.smtp_addr())),
        (env::MAIL_FROM, "Juniper Studio <hello@juniper.example>".into()),
        (env::BOOKING_PAGE, PAGE.into()),
        (env::NOTIFY_EMAIL, PHOTOGRAPHER.into()),
        (env::DATABASE_URL, db.into()),
    ]
}

struct Stack {
    _studio: Running,
    catcher: Catcher,
    g: Running,
    gateway: Arc<Gateway>,
}

async fn stack(tweak: impl FnOnce(&mut WaitlistConfig)) -> Stack {
    let (studio, _) = mock_studio().await;
    let catcher = Catcher::start("127.0.0.1:0").await.unwrap();
    let config = config_with(&studio.base, &waitlist_env(&catcher, &temp_db()), |c| tweak(c.waitlist.as_mut().expect("the waitlist is on")));
    let (g, gateway) = gateway_of(config, true).await;
    Stack { _studio: studio, catcher, g, gateway }
}

/// The first e-mail to `to` whose text holds `marker`, waited for (at most `within`).
async fn mail(catcher: &Catcher, to: &str, marker: &str, within: Duration) -> CaughtMessage {
    let until = Instant::now() + within;
    loop {
        if let Some(m) = catcher.messages().into_iter().find(|m| m.to.iter().any(|t| t.contains(to)) && m.text.contains(marker)) {
            return m;
        }
        assert!(
            Instant::now() < until,
            "no mail to {to} with {marker} within {within:?}: {:#?}",
            catcher.messages().iter().map(|m| (&m.to, &m.subject)).collect::<Vec<_>>()
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// The value of a link's fragment parameter in a mail's text.
fn param(text: &str, name: &str) -> String {
    let at = text.find(&format!("{name}=")).unwrap_or_else(|| panic!("no {name} in {text}")) + name.len() + 1;
    text[at..].chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_').collect()
}

/// An open day of the family portrait session at least `ahead` days from now, in London,
/// and its slots' starts.
async fn open_day(g: &str, ahead: i64) -> (String, Vec<String>) {
    let from = chrono::Utc::now().date_naive() + chrono::Duration::days(ahead);
    let mut month = from.with_day(1).unwrap();
    for _ in 0..4 {
        let url = format!("{g}/api/v1/session_types/{}/check-month-avail/{}-{}-Europe/London", family_portrait_id(), month.year(), month.month());
        let m = send(client().get(url)).await;
        for date in m.json()["data"]["available_dates"].as_array().unwrap().iter().filter_map(Value::as_str) {
            let d = chrono::NaiveDate::parse_from_str(date, "%Y-%m-%d").unwrap();
            if d < from {
                continue;
            }
            let starts = day_starts(g, date).await;
            if starts.len() >= 2 {
                return (date.to_string(), starts);
            }
        }
        month = month.checked_add_months(chrono::Months::new(1)).unwrap();
    }
    panic!("no open day");
}

/// The starts a day's availability shows.
async fn day_starts(g: &str, date: &str) -> Vec<String> {
    let d = chrono::NaiveDate::parse_from_str(date, "%Y-%m-%d").unwrap();
    let url = format!("{g}/api/v1/session_types/{}/check-day-avail/{}-{}-{}-Europe/London", family_portrait_id(), d.year(), d.month(), d.day());
    let day = send(client().get(url)).await;
    assert_eq!(day.status, 200, "{}", day.body);
    day.json()["data"]["slots"].as_array().unwrap().iter().map(|s| s["start"].as_str().unwrap().to_string()).collect()
}

async fn post(url: String, body: Value, headers: &[(&str, &str)]) -> Reply {
    let mut request = client().post(url).header("Content-Type", "application/json").body(body.to_string());
    for (k, v) in headers {
        request = request.header(*k, *v);
    }
    send(request).await
}

/// Joins the family portrait's waitlist for `date` and confirms from the e-mail.
async fn join_and_confirm(s: &Stack, first_name: &str, email: &str, date: &str) {
    join_and_confirm_at(&s.g.base, &s.catcher, first_name, email, date).await
}

async fn join_and_confirm_at(base: &str, catcher: &Catcher, first_name: &str, email: &str, date: &str) {
    let body = json!({"first_name": first_name, "email": email, "dates": [date], "timezone": "Europe/London", "language": "en", "consent": true});
    let joined = post(format!("{base}/api/v1/session_types/{}/waitlist", family_portrait_id()), body, &[]).await;
    assert_eq!(joined.status, 202, "{}", joined.body);
    let confirm = mail(catcher, email, "studio-booking-waitlist-confirm=", Duration::from_secs(15)).await;
    let token = param(&confirm.text, "studio-booking-waitlist-confirm");
    let confirmed = post(format!("{base}/api/v1/waitlist/confirm"), json!({"token": token}), &[]).await;
    assert_eq!(confirmed.status, 200, "{}", confirmed.body);
}

/// Books `start` for `email` through the gateway, with an offer's token if given.
async fn book(g: &str, start: &str, email: &str, key: &str, offer_token: Option<&str>) -> Reply {
    let mut body = booking(start);
    body["client"]["email"] = json!(email);
    let mut headers = vec![("Idempotency-Key", key)];
    if let Some(t) = offer_token {
        headers.push(("Offer-Token", t));
    }
    post(format!("{g}/api/v1/sessions"), body, &headers).await
}

/// A client's cancel through the gateway.
async fn cancel(g: &str, session: &Value) -> Reply {
    let id = session["data"]["id"].as_str().unwrap();
    let token = session["data"]["manage_token"].as_str().unwrap();
    post(format!("{g}/api/v1/sessions/{id}/cancel"), json!({}), &[("Manage-Token", token)]).await
}

/// The offer an e-mail to `email` carries: its id and token.
async fn offer_of(s: &Stack, email: &str) -> (String, String) {
    let m = mail(&s.catcher, email, "studio-booking-offer=", Duration::from_secs(15)).await;
    assert!(!m.text.contains('?') || !m.text.contains("?studio-booking"), "a token in a query: {}", m.text);
    (param(&m.text, "studio-booking-offer"), param(&m.text, "studio-booking-offer-token"))
}

async fn get_offer(g: &str, id: &str, token: &str) -> Reply {
    send(client().get(format!("{g}/api/v1/offers/{id}")).header("Offer-Token", token)).await
}

#[tokio::test]
async fn a_cancelled_slot_is_offered_held_and_booked_with_its_token() {
    let s = stack(|_| {}).await;
    let types = send(client().get(format!("{}/api/v1/session_types/", s.g.base))).await;
    assert!(types.json()["data"].as_array().unwrap().iter().all(|t| t["waitlist_enabled"] == true), "{}", types.body);
    let (date, starts) = open_day(&s.g.base, 5).await;
    let taken = book(&s.g.base, &starts[0], "ana@example.com", "wl-first-booking", None).await;
    assert_eq!(taken.status, 201, "{}", taken.body);
    join_and_confirm(&s, "Uma", "uma@example.com", &date).await;
    mail(&s.catcher, PHOTOGRAPHER, "uma@example.com", Duration::from_secs(10)).await;
    // Joining again answers the same, and no one learns who waits.
    let again =
        json!({"first_name": "Uma", "email": "UMA@example.com", "dates": [date], "timezone": "Europe/London", "language": "en", "consent": true});
    let r = post(format!("{}/api/v1/session_types/{}/waitlist", s.g.base, family_portrait_id()), again, &[]).await;
    assert_eq!((r.status, r.json()), (202, json!({"data": {"status": "confirmation_sent"}})));
    // The client cancels: the slot goes to Uma at once, held for her.
    assert_eq!(cancel(&s.g.base, &taken.json()).await.status, 200);
    let (offer, token) = offer_of(&s, "uma@example.com").await;
    assert!(!day_starts(&s.g.base, &date).await.contains(&starts[0]), "a held slot was shown to others");
    let seen = get_offer(&s.g.base, &offer, &token).await;
    assert_eq!(seen.status, 200, "{}", seen.body);
    assert_eq!((seen.json()["data"]["status"].as_str(), seen.json()["data"]["first_name"].as_str()), (Some("holding"), Some("Uma")));
    assert_eq!(seen.json()["data"]["start"], json!(starts[0]));
    assert_eq!(get_offer(&s.g.base, &offer, &"x".repeat(43)).await.status, 403);
    // Anyone else's booking of it, with no token or a wrong one, is refused as taken.
    for (key, wrong) in [("wl-other-1", None), ("wl-other-2", Some("y".repeat(43)))] {
        let r = book(&s.g.base, &starts[0], "vic@example.com", key, wrong.as_deref()).await;
        assert_eq!((r.status, r.code()), (409, "slot_unavailable".to_string()), "{}", r.body);
    }
    let mine = book(&s.g.base, &starts[0], "uma@example.com", "wl-uma-books", Some(&token)).await;
    assert_eq!(mine.status, 201, "{}", mine.body);
    mail(&s.catcher, PHOTOGRAPHER, "Uma", Duration::from_secs(10)).await;
    let after = get_offer(&s.g.base, &offer, &token).await;
    assert!(after.status == 409 || after.json()["data"]["status"] == "booked", "{}", after.body);
    assert!(s.gateway.waitlist.is_some());
}

#[tokio::test]
async fn an_offer_declined_or_run_out_passes_to_the_next_person() {
    let s = stack(|w| w.offer_hold = Duration::from_secs(3)).await;
    let (date, starts) = open_day(&s.g.base, 5).await;
    let taken = book(&s.g.base, &starts[0], "ana@example.com", "wl-pass-booking", None).await;
    assert_eq!(taken.status, 201, "{}", taken.body);
    join_and_confirm(&s, "Uma", "uma@example.com", &date).await;
    join_and_confirm(&s, "Vic", "vic@example.com", &date).await;
    assert_eq!(cancel(&s.g.base, &taken.json()).await.status, 200);
    // Uma joined first: hers. She declines: Vic's at once.
    let (offer, token) = offer_of(&s, "uma@example.com").await;
    let declined = post(format!("{}/api/v1/offers/{offer}/decline", s.g.base), json!({}), &[("Offer-Token", &token)]).await;
    assert_eq!(declined.status, 200, "{}", declined.body);
    let (vics, vic_token) = offer_of(&s, "vic@example.com").await;
    assert_ne!(vics, offer);
    // Vic lets it run out: gone for him (410), and the slot is open to all again.
    let until = Instant::now() + Duration::from_secs(15);
    loop {
        let r = get_offer(&s.g.base, &vics, &vic_token).await;
        if r.status == 410 {
            assert_eq!(r.code(), "offer_expired");
            break;
        }
        assert!(Instant::now() < until, "the offer did not run out: {}", r.body);
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    assert!(day_starts(&s.g.base, &date).await.contains(&starts[0]), "the slot stayed hidden after its offer ran out");
}

#[tokio::test]
async fn the_watch_finds_a_slot_freed_at_the_studio() {
    let (studio, state) = mock_studio().await;
    let catcher = Catcher::start("127.0.0.1:0").await.unwrap();
    let config = config_with(&studio.base, &waitlist_env(&catcher, &temp_db()), |c| c.waitlist.as_mut().unwrap().poll = Duration::from_millis(300));
    let (g, _gateway) = gateway_of(config, true).await;
    let s = Stack { _studio: studio, catcher, g, gateway: _gateway };
    let (date, starts) = open_day(&s.g.base, 5).await;
    // Booked at the studio (the photographer, by hand), then watched, then cancelled there.
    let body = {
        let mut b = booking(&starts[0]);
        b["client"]["email"] = json!("walkin@example.com");
        b
    };
    let booked = state.studio().book(Some("studio-side-1"), body.to_string().as_bytes());
    assert_eq!(booked.status, 201, "{}", booked.body);
    join_and_confirm(&s, "Uma", "uma@example.com", &date).await;
    tokio::time::sleep(Duration::from_millis(900)).await; // a look or two sees the day full
    let id = booked.body["data"]["id"].as_str().unwrap();
    let token = booked.body["data"]["manage_token"].as_str().unwrap();
    assert_eq!(state.studio().cancel(id, Some(token), b"{}").status, 200);
    let (offer, offer_token) = offer_of(&s, "uma@example.com").await;
    assert_eq!(get_offer(&s.g.base, &offer, &offer_token).await.json()["data"]["start"], json!(starts[0]));
}

#[tokio::test]
async fn without_its_settings_the_gateway_keeps_no_waitlist() {
    let (studio, _) = mock_studio().await;
    let (g, gateway) = gateway_of(config_with(&studio.base, &[], |_| {}), true).await;
    assert!(gateway.waitlist.is_none());
    let types = send(client().get(format!("{}/api/v1/session_types/", g.base))).await;
    assert!(types.json()["data"].as_array().unwrap().iter().all(|t| t.get("waitlist_enabled").is_none()), "{}", types.body);
    let join = json!({"first_name": "Uma", "email": "uma@example.com", "timezone": "Europe/London", "language": "en", "consent": true});
    for r in [
        post(format!("{}/api/v1/session_types/{}/waitlist", g.base, family_portrait_id()), join, &[]).await,
        post(format!("{}/api/v1/waitlist/confirm", g.base), json!({"token": "t".repeat(43)}), &[]).await,
        get_offer(&g.base, "off_OFF001ABC123DEF456GHI789JKL012", &"t".repeat(43)).await,
    ] {
        assert_eq!(r.status, 404, "{}", r.body);
    }
}

#[tokio::test]
async fn a_join_is_checked_and_its_answer_tells_no_one_who_waits() {
    let s = stack(|_| {}).await;
    let url = format!("{}/api/v1/session_types/{}/waitlist", s.g.base, family_portrait_id());
    let bad = json!({"first_name": "", "email": "uma@", "dates": ["2020-01-01"], "timezone": "Mars/Olympus", "language": "x", "consent": false});
    let r = post(url.clone(), bad, &[]).await;
    assert_eq!((r.status, r.code()), (422, "validation_failed".to_string()), "{}", r.body);
    let details = r.json()["error"]["details"].clone();
    for key in ["first_name", "email", "dates", "timezone", "language", "consent"] {
        assert!(details.get(key).is_some(), "{key} not named: {details}");
    }
    assert_eq!(post(url.clone(), json!("nope"), &[]).await.status, 400);
    let (_, starts) = open_day(&s.g.base, 5).await;
    let _ = starts;
    // Three confirmation e-mails a day to one address at most, whatever is sent.
    let join = json!({"first_name": "Uma", "email": "uma@example.com", "timezone": "Europe/London", "language": "en", "consent": true});
    for _ in 0..5 {
        let r = post(url.clone(), join.clone(), &[]).await;
        assert_eq!(r.status, 202, "{}", r.body);
    }
    tokio::time::sleep(Duration::from_secs(2)).await;
    let sent = s.catcher.messages().iter().filter(|m| m.to.iter().any(|t| t.contains("uma@example.com"))).count();
    assert_eq!(sent, 3, "confirmation e-mails to one address");
    // A token that is none is refused; the confirm and leave links' bodies are checked.
    let r = post(format!("{}/api/v1/waitlist/confirm", s.g.base), json!({"token": "t".repeat(43)}), &[]).await;
    assert_eq!((r.status, r.code()), (403, "invalid_token".to_string()));
    let r = post(format!("{}/api/v1/waitlist/leave", s.g.base), json!({"token": "short"}), &[]).await;
    assert_eq!(r.status, 403);
    // And the e-mails link to the booking page with their tokens in the fragment.
    let m = mail(&s.catcher, "uma@example.com", "studio-booking-waitlist-confirm=", Duration::from_secs(1)).await;
    assert!(m.text.contains(&format!("{PAGE}#studio-booking-waitlist-confirm=")), "{}", m.text);
    assert!(m.text.contains("studio-booking-waitlist-leave="), "no leave link: {}", m.text);
}

/// The gateway's own program, started with the environment `vars`; its address once it
/// listens.
fn start_gateway(vars: &[(&str, String)]) -> (std::process::Child, String) {
    use std::io::BufRead;
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_studio-gateway"))
        .envs(vars.iter().map(|(k, v)| (*k, v.as_str())))
        .env(env::LISTEN, "127.0.0.1:0")
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::inherit())
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    let mut lines = std::io::BufReader::new(stdout).lines();
    let first = lines.next().expect("a line").unwrap();
    let base = first.strip_prefix("studio-gateway listening on ").unwrap_or_else(|| panic!("{first}")).to_string();
    // Its log goes on, unread.
    std::thread::spawn(move || for _ in lines {});
    (child, base)
}

#[tokio::test]
async fn a_gateway_killed_mid_offer_keeps_its_hold_and_sends_its_mail_once_back() {
    let (studio, _) = mock_studio().await;
    let catcher = Catcher::start("127.0.0.1:0").await.unwrap();
    let smtp = catcher.smtp_addr().to_string();
    let mut vars = waitlist_env(&catcher, &temp_db());
    vars.extend([
        (env::UPSTREAM, studio.base.clone()),
        (env::COOKIE, common::COOKIE.to_string()),
        (env::CSRF_TOKEN, common::CSRF.to_string()),
        (env::ALLOWED_ORIGINS, common::SITE.to_string()),
        (env::WAITLIST_POLL_SECS, "3600".to_string()),
    ]);
    let (mut first, base) = start_gateway(&vars);
    let (date, starts) = open_day(&base, 5).await;
    let taken = book(&base, &starts[0], "ana@example.com", "wl-killed-booking", None).await;
    assert_eq!(taken.status, 201, "{}", taken.body);
    join_and_confirm_at(&base, &catcher, "Uma", "uma@example.com", &date).await;
    // The mail server goes down; the client cancels; the offer is made, its e-mail cannot go.
    catcher.stop().await;
    assert_eq!(cancel(&base, &taken.json()).await.status, 200);
    let until = Instant::now() + Duration::from_secs(10);
    while day_starts(&base, &date).await.contains(&starts[0]) {
        assert!(Instant::now() < until, "no hold was made");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    first.kill().unwrap();
    first.wait().unwrap();
    // Back: the mail server, then the gateway, on the same database.
    let catcher = Catcher::start(&smtp).await.unwrap();
    let (mut second, base) = start_gateway(&vars);
    assert!(!day_starts(&base, &date).await.contains(&starts[0]), "the hold was lost with the gateway");
    let r = book(&base, &starts[0], "vic@example.com", "wl-killed-other", None).await;
    assert_eq!(r.status, 409, "{}", r.body);
    let m = mail(&catcher, "uma@example.com", "studio-booking-offer=", Duration::from_secs(45)).await;
    let (offer, token) = (param(&m.text, "studio-booking-offer"), param(&m.text, "studio-booking-offer-token"));
    assert_eq!(get_offer(&base, &offer, &token).await.status, 200);
    let mine = book(&base, &starts[0], "uma@example.com", "wl-killed-uma", Some(&token)).await;
    assert_eq!(mine.status, 201, "{}", mine.body);
    second.kill().unwrap();
    second.wait().unwrap();
    drop(studio);
}

#[tokio::test]
async fn two_gateways_on_one_postgresql_offer_a_freed_slot_once() {
    let Ok(db) = std::env::var("STUDIO_GATEWAY_TEST_POSTGRES_URL") else {
        println!("STUDIO_GATEWAY_TEST_POSTGRES_URL is not set: the two gateways' race is not run (scripts/test.sh sets it)");
        return;
    };
    let (studio, state) = mock_studio().await;
    let catcher = Catcher::start("127.0.0.1:0").await.unwrap();
    let watched = |c: &mut studio_gateway::config::Config| c.waitlist.as_mut().unwrap().poll = Duration::from_millis(200);
    let (one, _g1) = gateway_of(config_with(&studio.base, &waitlist_env(&catcher, &db), watched), true).await;
    let (two, _g2) = gateway_of(config_with(&studio.base, &waitlist_env(&catcher, &db), watched), true).await;
    let (date, starts) = open_day(&one.base, 5).await;
    let body = {
        let mut b = booking(&starts[0]);
        b["client"]["email"] = json!("walkin@example.com");
        b
    };
    let booked = state.studio().book(Some("studio-side-race"), body.to_string().as_bytes());
    assert_eq!(booked.status, 201, "{}", booked.body);
    let email = format!("race-{}@example.com", std::process::id());
    join_and_confirm_at(&two.base, &catcher, "Uma", &email, &date).await;
    tokio::time::sleep(Duration::from_millis(700)).await;
    // Freed at the studio: both gateways' watches see it; one offer is made, one e-mail sent.
    let (id, token) = (booked.body["data"]["id"].as_str().unwrap(), booked.body["data"]["manage_token"].as_str().unwrap());
    assert_eq!(state.studio().cancel(id, Some(token), b"{}").status, 200);
    mail(&catcher, &email, "studio-booking-offer=", Duration::from_secs(15)).await;
    tokio::time::sleep(Duration::from_secs(2)).await;
    let offers = catcher.messages().iter().filter(|m| m.to.iter().any(|t| t.contains(&email)) && m.text.contains("studio-booking-offer=")).count();
    assert_eq!(offers, 1, "offers of one freed slot");
    for g in [&one.base, &two.base] {
        assert!(!day_starts(g, &date).await.contains(&starts[0]), "the hold is the same on both gateways");
    }
}

#[tokio::test]
async fn a_database_that_fails_is_said_plainly_and_no_booking_passes_a_hold_unread() {
    let (studio, _) = mock_studio().await;
    let catcher = Catcher::start("127.0.0.1:0").await.unwrap();
    let db = temp_db();
    let (g, _gateway) = gateway_of(config_with(&studio.base, &waitlist_env(&catcher, &db), |_| {}), true).await;
    let (_, starts) = open_day(&g.base, 5).await;
    // The database loses the offers' table (as a database that cannot be read).
    sqlx::any::install_default_drivers();
    let mut other = <sqlx::AnyConnection as sqlx::Connection>::connect(&db).await.unwrap();
    sqlx::query("DROP TABLE waitlist_offers").execute(&mut other).await.unwrap();
    let r = book(&g.base, &starts[0], "ana@example.com", "wl-db-down", None).await;
    assert_eq!((r.status, r.code()), (503, "waitlist_unavailable".to_string()), "{}", r.body);
    assert!(r.headers.get("retry-after").is_some());
    let offer = get_offer(&g.base, "off_OFF001ABC123DEF456GHI789JKL012", &"t".repeat(43)).await;
    assert_eq!((offer.status, offer.code()), (503, "waitlist_unavailable".to_string()), "{}", offer.body);
    // Availability is still answered.
    assert!(!day_starts(&g.base, &open_day(&g.base, 5).await.0).await.is_empty());
}

// Threads of its own: the commands are waited for by blocking this one, while the gateway
// (whose outbox may be in a transaction at that moment) goes on.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_command_line_lists_who_waits_and_forgets_a_person() {
    let db = temp_db();
    let s = {
        let (studio, _) = mock_studio().await;
        let catcher = Catcher::start("127.0.0.1:0").await.unwrap();
        let (g, gateway) = gateway_of(config_with(&studio.base, &waitlist_env(&catcher, &db), |_| {}), true).await;
        Stack { _studio: studio, catcher, g, gateway }
    };
    let (date, _) = open_day(&s.g.base, 5).await;
    join_and_confirm(&s, "Uma", "uma@example.com", &date).await;
    let run = |args: &[&str]| {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_studio-gateway"))
            .args(args)
            .env(env::DATABASE_URL, &db)
            .current_dir(std::env::temp_dir())
            .output()
            .unwrap();
        (out.status.code(), String::from_utf8_lossy(&out.stdout).into_owned())
    };
    let (code, listed) = run(&["waitlist", "list"]);
    assert_eq!(code, Some(0));
    assert!(listed.contains("uma@example.com") && listed.contains("waiting") && listed.contains(&date), "{listed}");
    let (_, one_type) = run(&["waitlist", "list", &family_portrait_id()]);
    assert!(one_type.contains("uma@example.com"), "{one_type}");
    assert_eq!(run(&["waitlist", "forget", "UMA@example.com"]), (Some(0), "Forgot UMA@example.com: 1 waitlist entry erased.\n".to_string()));
    assert_eq!(run(&["waitlist", "list"]).1, "Nobody is waiting.\n");
    // A command it does not know is refused before any database is opened or made.
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_studio-gateway"))
        .args(["waitlist", "bogus"])
        .current_dir(std::env::temp_dir())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(!std::env::temp_dir().join("studio-gateway.db").exists(), "a database was made for a wrong command");
}
