//! What the tests over real HTTP share: the demo serving on a free port of loopback, and a
//! minimal HTTP/1.1 client that sends exactly the bytes a test asks for (no client library
//! would send a broken body or leave out a header on purpose).
//!
//! Each test crate that says `mod common;` uses part of it.
#![allow(dead_code)]

use std::time::Duration;

use mock_studio::http::{serve, AppState};
use mock_studio::studio::StudioConfig;
use serde_json::{json, Value};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// A running server on a free port, stopped when dropped.
pub struct Server {
    /// "127.0.0.1:PORT".
    pub addr: String,
    _stop: tokio::sync::oneshot::Sender<()>,
}

/// 2025-08-01 09:00 UTC, a Friday: the demo's dates are laid out from it.
pub fn fixed_now() -> chrono::DateTime<chrono::Utc> {
    chrono::DateTime::parse_from_rfc3339("2025-08-01T09:00:00Z").unwrap().with_timezone(&chrono::Utc)
}

/// The demo with `config`, its answers giving its own address as their public base.
pub async fn start(config: StudioConfig) -> Server {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap().to_string();
    let state = AppState::new(StudioConfig { public_base: format!("http://{addr}"), ..config });
    let (tx, rx) = tokio::sync::oneshot::channel::<()>();
    tokio::spawn(serve(listener, state, async move {
        let _ = rx.await;
    }));
    Server { addr, _stop: tx }
}

/// An answer as it came: status, headers and body.
#[derive(Debug)]
pub struct Answer {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: String,
}

impl Answer {
    /// The body as JSON; a test fails when it is not.
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.body))
    }

    /// A header's value, by its name in any case.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(k, _)| k.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }

    /// The contract's error code, or "" for an answer that is not an error.
    pub fn code(&self) -> String {
        self.json()["error"]["code"].as_str().unwrap_or("").to_string()
    }

    /// The status and the error code, to compare in one go.
    pub fn status_code(&self) -> (u16, String) {
        (self.status, self.code())
    }

    /// The names of the CORS headers the answer carries.
    pub fn cors_headers(&self) -> Vec<&str> {
        self.headers.iter().map(|(k, _)| k.as_str()).filter(|k| k.to_ascii_lowercase().starts_with("access-control-")).collect()
    }
}

/// One request on a connection of its own. Err when the server closes the connection
/// without an answer (as an injected fault does), or gives none in 20 seconds.
pub async fn try_send(addr: &str, method: &str, path: &str, headers: &[(&str, &str)], body: &[u8]) -> Result<Answer, String> {
    let mut stream = TcpStream::connect(addr).await.map_err(|e| e.to_string())?;
    let mut head = format!("{method} {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\nContent-Length: {}\r\n", body.len());
    for (k, v) in headers {
        head.push_str(&format!("{k}: {v}\r\n"));
    }
    head.push_str("\r\n");
    stream.write_all(head.as_bytes()).await.map_err(|e| e.to_string())?;
    // A server that refuses the request before its body may close first: its answer counts.
    let _ = stream.write_all(body).await;
    let mut raw = Vec::new();
    tokio::time::timeout(Duration::from_secs(20), stream.read_to_end(&mut raw))
        .await
        .map_err(|_| "timed out".to_string())?
        .map_err(|e| e.to_string())?;
    let text = String::from_utf8_lossy(&raw).to_string();
    let (head, body) = text.split_once("\r\n\r\n").ok_or_else(|| format!("no answer: {text:?}"))?;
    let mut lines = head.lines();
    let status = lines.next().and_then(|l| l.split(' ').nth(1)).and_then(|s| s.parse().ok()).ok_or("no status")?;
    let headers = lines.filter_map(|l| l.split_once(':')).map(|(k, v)| (k.trim().to_string(), v.trim().to_string())).collect();
    Ok(Answer { status, headers, body: body.to_string() })
}

/// One request that must be answered.
pub async fn send(s: &Server, method: &str, path: &str, headers: &[(&str, &str)], body: &[u8]) -> Answer {
    try_send(&s.addr, method, path, headers, body).await.unwrap_or_else(|e| panic!("{method} {path}: {e}"))
}

/// A browser's CORS preflight from a photographer's page, for a POST with `request_headers`.
pub async fn preflight(s: &Server, path: &str, request_headers: &str) -> Answer {
    let headers =
        [("Origin", "https://photographer.example"), ("Access-Control-Request-Method", "POST"), ("Access-Control-Request-Headers", request_headers)];
    send(s, "OPTIONS", path, &headers, b"").await
}

/// A GET with no headers of its own.
pub async fn get(s: &Server, path: &str) -> Answer {
    send(s, "GET", path, &[], b"").await
}

/// POST /sessions with an Idempotency-Key.
pub async fn book(s: &Server, key: &str, body: &Value) -> Answer {
    send(s, "POST", "/api/v1/sessions", &[("Content-Type", "application/json"), ("Idempotency-Key", key)], body.to_string().as_bytes()).await
}

/// Sets the studio's clock to an instant (`/__admin/clock`).
pub async fn set_clock(s: &Server, now: &str) {
    let a = send(s, "POST", "/__admin/clock", &[], json!({ "now": now }).to_string().as_bytes()).await;
    assert_eq!(a.status, 200, "{}", a.body);
}

/// The starts of a day's slots ("2025-8-5") in a zone.
pub async fn slots(s: &Server, type_id: &str, day: &str, zone: &str) -> Vec<String> {
    let a = get(s, &format!("/api/v1/session_types/{type_id}/check-day-avail/{day}-{zone}")).await;
    assert_eq!(a.status, 200, "{}", a.body);
    a.json()["data"]["slots"].as_array().unwrap().iter().map(|x| x["start"].as_str().unwrap().to_string()).collect()
}

/// The start of a day's first slot.
pub async fn first_slot(s: &Server, type_id: &str, day: &str, zone: &str) -> String {
    slots(s, type_id, day, zone).await.into_iter().next().unwrap_or_else(|| panic!("no slot on {day} in {zone}"))
}
