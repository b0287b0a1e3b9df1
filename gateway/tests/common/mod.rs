//! What the gateway's tests over real sockets share: the mock studio in studio mode, the
//! gateway in front of it, and plain HTTP helpers.
#![allow(dead_code)]

use std::sync::Arc;
use std::time::Duration;

use mock_studio::demo::family_portrait_id;
use mock_studio::http::{serve, AppState};
use mock_studio::studio::StudioConfig;
use serde_json::{json, Value};
use studio_gateway::config::{env, Config};
use studio_gateway::Gateway;
use tokio::net::TcpListener;

/// The site the gateway lets call it.
pub const SITE: &str = "https://juniper.example";

/// A running server, stopped when dropped.
pub struct Running {
    pub base: String,
    pub _stop: tokio::sync::oneshot::Sender<()>,
}

/// The gateway's login, which the mock in studio mode asks for.
pub const COOKIE: &str = "pxs_session=s3cr3t-cookie";
pub const CSRF: &str = "csrf-s3cr3t";

/// The mock studio in studio mode: the owner's login on every request, the CSRF token on
/// writes, no CORS, private fields and drafts listed, as the real Studio API.
pub async fn mock_studio() -> (Running, Arc<AppState>) {
    mock_studio_with(|_| {}).await
}

pub async fn mock_studio_with(tweak: impl FnOnce(&mut StudioConfig)) -> (Running, Arc<AppState>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap().to_string();
    let login = mock_studio::login::StudioLogin::new(COOKIE, CSRF).unwrap();
    let mut config = StudioConfig { public_base: format!("http://{addr}"), seed_bookings: false, login: Some(login), ..Default::default() };
    tweak(&mut config);
    let state = AppState::new(config);
    let (tx, rx) = tokio::sync::oneshot::channel::<()>();
    tokio::spawn(serve(listener, state.clone(), async move {
        let _ = rx.await;
    }));
    (Running { base: format!("http://{addr}/api/v1"), _stop: tx }, state)
}

pub async fn gateway(upstream: &str) -> (Running, Arc<Gateway>) {
    gateway_with(upstream, |_| {}).await
}

pub async fn gateway_with(upstream: &str, tweak: impl FnOnce(&mut Config)) -> (Running, Arc<Gateway>) {
    gateway_of(config_with(upstream, &[], tweak), false).await
}

/// The gateway's settings for `upstream`, with `more` of the environment, then `tweak`ed.
pub fn config_with(upstream: &str, more: &[(&str, String)], tweak: impl FnOnce(&mut Config)) -> Config {
    let mut vars = vec![
        (env::UPSTREAM, upstream.to_string()),
        (env::COOKIE, format!("theme=dark; {COOKIE}")),
        (env::CSRF_TOKEN, CSRF.to_string()),
        (env::ALLOWED_ORIGINS, SITE.to_string()),
    ];
    vars.extend(more.iter().cloned());
    let mut config = Config::load(None, |n| vars.iter().find(|(k, _)| *k == n).map(|(_, v)| v.clone()), |p| Err(p.to_string())).unwrap();
    config.upstream_timeout = Duration::from_millis(1500);
    tweak(&mut config);
    config
}

/// The gateway of `config`, serving on a free port of loopback: as made by `Gateway::open`
/// (its waitlist opened and its timers started) when `open`, else by `Gateway::new`.
pub async fn gateway_of(config: Config, open: bool) -> (Running, Arc<Gateway>) {
    let g = if open { Gateway::open(config).await.unwrap() } else { Gateway::new(config).unwrap() };
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap().to_string();
    let (tx, rx) = tokio::sync::oneshot::channel::<()>();
    tokio::spawn(studio_gateway::serve(listener, g.clone(), async move {
        let _ = rx.await;
    }));
    (Running { base: format!("http://{addr}"), _stop: tx }, g)
}

pub struct Reply {
    pub status: u16,
    pub headers: reqwest::header::HeaderMap,
    pub body: String,
}

impl Reply {
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.body))
    }
    pub fn code(&self) -> String {
        self.json()["error"]["code"].as_str().unwrap_or_default().to_string()
    }
}

pub async fn send(request: reqwest::RequestBuilder) -> Reply {
    let r = request.send().await.unwrap();
    Reply { status: r.status().as_u16(), headers: r.headers().clone(), body: r.text().await.unwrap() }
}

pub fn client() -> reqwest::Client {
    reqwest::Client::new()
}

/// POSTs a booking request as JSON, under an Idempotency-Key when given.
pub async fn post_booking(url: impl reqwest::IntoUrl, key: Option<&str>, body: &Value) -> Reply {
    let request = client().post(url).header("Content-Type", "application/json").body(body.to_string());
    send(match key {
        Some(k) => request.header("Idempotency-Key", k),
        None => request,
    })
    .await
}

/// The first open slot of the family portrait session type, in London: (its day, its start).
pub async fn first_slot(g: &str) -> (String, String) {
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

pub fn booking(start: &str) -> Value {
    json!({
        "session_type_id": family_portrait_id(), "start": start, "timezone": "Europe/London",
        "client": {"first_name": "Ana", "last_name": "Silva", "email": "ana@example.com"},
        "answers": {"q_people": 3, "q_place": "park"},
        "payment_method_type": "manual", "payment_option": "partial", "policy_accepted": true,
        "smuggled": "not for the studio"
    })
}

/// The sessions the studio holds, as its own list gives them.
pub fn studio_sessions(state: &AppState) -> Vec<Value> {
    state.studio().list_sessions().body["data"].as_array().cloned().unwrap_or_default()
}

pub fn sessions_at_the_studio(state: &AppState) -> usize {
    studio_sessions(state).len()
}
