//! Studio mode over real HTTP on loopback: the mock as the studio's own API behind its
//! owner's login (a session cookie, an X-CSRF-Token on writes), with no CORS and with the
//! fields only the owner sees; public mode beside it, unchanged. And the binary's options.

mod common;

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};

use common::{fixed_now, send, start, Answer, Server};
use mock_studio::demo::{family_portrait_id, make_id};
use mock_studio::login::StudioLogin;
use mock_studio::studio::{Clock, StudioConfig};
use serde_json::{json, Value};

const COOKIE_NAME: &str = "pixieset_session";
const COOKIE_VALUE: &str = "Zq8v3LrT0pXw-secret-session";
const CSRF: &str = "csrf-Kb7Yd2Nn5Hs9-secret";
/// The owner's cookie as a browser sends it, among others.
const GOOD_COOKIE: &str = "_ga=GA1.2.345; pixieset_session=Zq8v3LrT0pXw-secret-session; theme=dark";
/// The fields a studio's own API shows its owner and a visitor must never see.
const PRIVATE_FIELDS: [&str; 4] = ["internal_notes", "private_price_notes", "owner_email", "booking_count"];

/// The demo on the fixed clock, with the owner's login (studio mode) or without (public).
async fn start_demo(login: Option<StudioLogin>) -> Server {
    start(StudioConfig { clock: Clock::Fixed(fixed_now()), login, ..Default::default() }).await
}

async fn studio() -> Server {
    start_demo(Some(StudioLogin::new(&format!("{COOKIE_NAME}={COOKIE_VALUE}"), CSRF).unwrap())).await
}

async fn public() -> Server {
    start_demo(None).await
}

/// Neither the cookie's value nor the token shows anywhere in the answer.
fn keeps_the_secrets(a: &Answer) -> bool {
    let all = format!("{:?} {}", a.headers, a.body);
    !all.contains(COOKIE_VALUE) && !all.contains(CSRF)
}

/// A GET with the owner's cookie (among others).
async fn get(s: &Server, path: &str) -> Answer {
    send(s, "GET", path, &[("Cookie", GOOD_COOKIE)], b"").await
}

async fn admin(s: &Server, path: &str) -> Answer {
    send(s, "POST", path, &[], b"").await
}

fn family_booking(start: &str) -> Value {
    json!({
        "session_type_id": family_portrait_id(),
        "start": start,
        "timezone": "Europe/London",
        "client": {"first_name": "Ana", "last_name": "Silva", "email": "ana@example.com"},
        "answers": {"q_people": 4, "q_place": "park"},
        "payment_method_type": "manual",
        "payment_option": "partial",
        "policy_accepted": true
    })
}

async fn first_family_slot(s: &Server) -> String {
    let a = get(s, &format!("/api/v1/session_types/{}/check-day-avail/2025-8-5-Europe/London", family_portrait_id())).await;
    assert_eq!(a.status, 200, "{}", a.body);
    a.json()["data"]["slots"][0]["start"].as_str().expect("a slot").to_string()
}

#[tokio::test]
async fn every_api_path_needs_the_owners_cookie() {
    let s = studio().await;
    let id = family_portrait_id();
    let paths = [
        "/api/v1/session_types/".to_string(),
        "/api/v1/session_types?page=2&per_page=3".to_string(),
        format!("/api/v1/session_types/{id}"),
        format!("/api/v1/session_types/{id}/check-month-avail/2025-8-Europe/London"),
        format!("/api/v1/session_types/{id}/check-day-avail/2025-8-5-Europe/London"),
        "/api/v1/sessions".to_string(),
        "/api/v1/sessions/inquiry/count".to_string(),
        "/api/v1".to_string(),
        "/".to_string(),
        // Unknown paths and %-escapes get no further without the login either.
        "/api/v1/no/such/thing".to_string(),
        "/%61pi/v1/sessions".to_string(),
        "/api/v1/sessions%2Finquiry%2Fcount".to_string(),
    ];
    let refused = [
        vec![],
        vec![("Cookie", "theme=dark")],
        vec![("Cookie", "pixieset_session=wrong")],
        vec![("Cookie", "pixieset_session=Zq8v3LrT0pXw-secret-sessio")],
        vec![("Cookie", "pixieset_session=Zq8v3LrT0pXw-secret-session2")],
        vec![("Cookie", "Pixieset_Session=Zq8v3LrT0pXw-secret-session")],
        vec![("Cookie", "other_session=Zq8v3LrT0pXw-secret-session")],
        // The right value in the wrong place: a header of its own, not the cookie.
        vec![("X-CSRF-Token", COOKIE_VALUE), ("Authorization", "Bearer Zq8v3LrT0pXw-secret-session")],
    ];
    for path in &paths {
        for headers in &refused {
            let a = send(&s, "GET", path, headers, b"").await;
            assert_eq!((a.status, a.code()), (401, "unauthorized".to_string()), "{path} {headers:?}: {}", a.body);
            assert!(a.json()["error"]["message"].is_string());
            assert!(keeps_the_secrets(&a), "{path}: {a:?}");
        }
        let ok = get(&s, path).await;
        assert!(ok.status != 401, "{path}: {}", ok.body);
    }
    // The pair alone, or among other cookies in any order, or in a second Cookie header.
    for headers in [
        vec![("Cookie", "pixieset_session=Zq8v3LrT0pXw-secret-session")],
        vec![("Cookie", "a=1;pixieset_session=Zq8v3LrT0pXw-secret-session;b=2")],
        vec![("Cookie", "a=1"), ("Cookie", "pixieset_session=Zq8v3LrT0pXw-secret-session")],
    ] {
        let a = send(&s, "GET", "/api/v1/session_types/", &headers, b"").await;
        assert_eq!(a.status, 200, "{headers:?}: {}", a.body);
    }
    // The test harness and the demo's own pages need no login.
    assert_eq!(send(&s, "GET", "/__admin/faults", &[], b"").await.status, 200);
    assert_eq!(send(&s, "GET", "/covers/family.svg", &[], b"").await.status, 200);
}

#[tokio::test]
async fn a_write_needs_the_csrf_token_too() {
    let s = studio().await;
    let start = first_family_slot(&s).await;
    let body = family_booking(&start).to_string();
    let post = |headers: Vec<(&'static str, &'static str)>| {
        let (s, body) = (&s, body.clone());
        async move {
            let mut all = vec![("Content-Type", "application/json"), ("Idempotency-Key", "studio-mode-key-1")];
            all.extend(headers);
            send(s, "POST", "/api/v1/sessions", &all, body.as_bytes()).await
        }
    };
    for (headers, code) in [
        (vec![("Cookie", GOOD_COOKIE)], "csrf_failed"),
        (vec![("Cookie", GOOD_COOKIE), ("X-CSRF-Token", "")], "csrf_failed"),
        (vec![("Cookie", GOOD_COOKIE), ("X-CSRF-Token", "csrf-Kb7Yd2Nn5Hs9-secre")], "csrf_failed"),
        (vec![("Cookie", GOOD_COOKIE), ("X-CSRF-Token", "csrf-Kb7Yd2Nn5Hs9-secret2")], "csrf_failed"),
        (vec![("Cookie", GOOD_COOKIE), ("X-CSRF-Token", COOKIE_VALUE)], "csrf_failed"),
        (vec![("Cookie", GOOD_COOKIE), ("X-CSRF-Token", "CSRF-KB7YD2NN5HS9-SECRET")], "csrf_failed"),
        // The token without the cookie is no login.
        (vec![("X-CSRF-Token", CSRF)], "unauthorized"),
        (vec![("Cookie", "pixieset_session=nope"), ("X-CSRF-Token", CSRF)], "unauthorized"),
    ] {
        let a = post(headers.clone()).await;
        assert_eq!((a.status, a.code()), (401, code.to_string()), "{headers:?}: {}", a.body);
        assert!(keeps_the_secrets(&a), "{a:?}");
    }
    // Nothing was booked by the refused requests.
    assert_eq!(get(&s, "/api/v1/sessions").await.json()["data"].as_array().unwrap().len(), 3);
    let booked = post(vec![("Cookie", GOOD_COOKIE), ("X-CSRF-Token", CSRF)]).await;
    assert_eq!(booked.status, 201, "{}", booked.body);
    assert_eq!(booked.json()["data"]["start"], json!(start));
    // Reading needs no token; the studio's list of booked sessions, clients and all, is there.
    let sessions = get(&s, "/api/v1/sessions").await.json();
    let sessions = sessions["data"].as_array().unwrap();
    assert_eq!(sessions.len(), 4);
    assert!(sessions.iter().any(|x| x["client"]["email"] == "ruth.okafor@example.com"));
    assert!(sessions.iter().any(|x| x["client"]["email"] == "ana@example.com"));
}

#[tokio::test]
async fn a_studio_answers_no_cross_origin_request() {
    let s = studio().await;
    let origin = ("Origin", "https://photographer.example");
    let preflight = send(
        &s,
        "OPTIONS",
        "/api/v1/sessions",
        &[origin, ("Access-Control-Request-Method", "POST"), ("Access-Control-Request-Headers", "content-type, idempotency-key, x-csrf-token")],
        b"",
    )
    .await;
    assert_eq!((preflight.status, preflight.code()), (405, "method_not_allowed".to_string()));
    assert_eq!(preflight.cors_headers(), Vec::<&str>::new());
    let ok = send(&s, "GET", "/api/v1/session_types/", &[origin, ("Cookie", GOOD_COOKIE)], b"").await;
    assert_eq!(ok.status, 200);
    assert_eq!(ok.cors_headers(), Vec::<&str>::new());
    let refused = send(&s, "GET", "/api/v1/session_types/", &[origin], b"").await;
    assert_eq!(refused.status, 401);
    assert_eq!(refused.cors_headers(), Vec::<&str>::new());
    // Nor do injected faults or the harness.
    let rule = br#"{"kind": "status", "status": 503, "retry_after": 1, "count": 1}"#;
    let added = send(&s, "POST", "/__admin/faults", &[origin], rule).await;
    assert_eq!(added.cors_headers(), Vec::<&str>::new());
    let fault = send(&s, "GET", "/api/v1/session_types/", &[origin, ("Cookie", GOOD_COOKIE)], b"").await;
    assert_eq!(fault.status, 503);
    assert_eq!(fault.cors_headers(), Vec::<&str>::new());

    // Public mode keeps its CORS for any origin.
    let p = public().await;
    let a = send(&p, "GET", "/api/v1/session_types/", &[origin], b"").await;
    assert_eq!(a.status, 200);
    assert!(a.headers.iter().any(|(k, v)| k.eq_ignore_ascii_case("access-control-allow-origin") && v == "*"));
    let pre = send(&p, "OPTIONS", "/api/v1/sessions", &[origin, ("Access-Control-Request-Method", "POST")], b"").await;
    assert_eq!(pre.status, 204);
    assert!(pre.cors_headers().len() >= 3, "{pre:?}");
}

#[tokio::test]
async fn the_owner_sees_private_fields_and_drafts_a_visitor_never_does() {
    let s = studio().await;
    let list = get(&s, "/api/v1/session_types/").await.json();
    let all = list["data"].as_array().unwrap();
    assert_eq!(all.len(), 7);
    assert_eq!(all.iter().filter(|t| t["status"] == "draft").count(), 1);
    for t in all {
        for field in PRIVATE_FIELDS {
            assert!(t.get(field).is_some(), "{field} missing in {}", t["id"]);
        }
        assert_eq!(t["owner_email"], "mara.quinn@juniper-photo.example");
        assert!(t["internal_notes"].as_str().is_some_and(|n| !n.is_empty()));
        assert!(t["created_at"].is_string() && t["updated_at"].is_string());
    }
    let count = |id: String| all.iter().find(|t| t["id"] == json!(id)).unwrap()["booking_count"].clone();
    // The seeded sessions: two family portraits and one headshot.
    assert_eq!((count(family_portrait_id()), count(make_id("set", "HEADSHOTS")), count(make_id("set", "WEDDING"))), (json!(2), json!(1), json!(0)));
    let one = get(&s, &format!("/api/v1/session_types/{}", family_portrait_id())).await.json();
    assert!(one["data"]["private_price_notes"].as_str().unwrap().contains("JUNIPER20"));
    assert_eq!(one["data"]["booking_count"], 2);
    // The owner's API shows a draft by its id too; it still cannot be booked.
    let draft = get(&s, &format!("/api/v1/session_types/{}", make_id("set", "MATERNITYDRAFT"))).await;
    assert_eq!(draft.status, 200);
    assert_eq!(draft.json()["data"]["status"], "draft");
    assert!(draft.json()["data"]["internal_notes"].is_string());
    let draft_month = get(&s, &format!("/api/v1/session_types/{}/check-month-avail/2025-8-UTC", make_id("set", "MATERNITYDRAFT"))).await;
    assert_eq!(draft_month.status, 404);

    // Public mode: none of it.
    let p = public().await;
    let list = send(&p, "GET", "/api/v1/session_types/", &[], b"").await.json();
    let all = list["data"].as_array().unwrap();
    assert_eq!(all.len(), 7);
    let one = send(&p, "GET", &format!("/api/v1/session_types/{}", family_portrait_id()), &[], b"").await.json();
    for t in all.iter().chain([&one["data"]]) {
        for field in PRIVATE_FIELDS {
            assert!(t.get(field).is_none(), "{field} shown in public mode: {}", t["id"]);
        }
    }
    let text = serde_json::to_string(&list).unwrap();
    assert!(!text.contains("JUNIPER20") && !text.contains("juniper-photo.example"));
    let draft = send(&p, "GET", &format!("/api/v1/session_types/{}", make_id("set", "MATERNITYDRAFT")), &[], b"").await;
    assert_eq!(draft.status, 404);
}

#[tokio::test]
async fn an_expired_login_is_refused_until_renewed() {
    let s = studio().await;
    let path = "/api/v1/session_types/";
    assert_eq!(get(&s, path).await.status, 200);
    let expired = admin(&s, "/__admin/session/expire").await;
    assert_eq!((expired.status, expired.json()), (200, json!({"data": {"logged_in": false}})));
    for path in [path, "/api/v1/sessions", "/api/v1"] {
        let a = get(&s, path).await;
        assert_eq!((a.status, a.code()), (401, "unauthorized".to_string()), "{path}");
        assert!(a.json()["error"]["message"].as_str().unwrap().contains("expired"));
    }
    let a =
        send(&s, "POST", "/api/v1/sessions", &[("Cookie", GOOD_COOKIE), ("X-CSRF-Token", CSRF), ("Idempotency-Key", "expired-key-1")], b"{}").await;
    assert_eq!((a.status, a.code()), (401, "unauthorized".to_string()));
    // The harness itself still answers.
    assert_eq!(send(&s, "GET", "/__admin/faults", &[], b"").await.status, 200);
    let renewed = admin(&s, "/__admin/session/renew").await;
    assert_eq!((renewed.status, renewed.json()), (200, json!({"data": {"logged_in": true}})));
    assert_eq!(get(&s, path).await.status, 200);
    // A reset is back to the start: logged in.
    assert_eq!(admin(&s, "/__admin/session/expire").await.status, 200);
    assert_eq!(get(&s, path).await.status, 401);
    assert_eq!(admin(&s, "/__admin/reset").await.status, 200);
    assert_eq!(get(&s, path).await.status, 200);

    // Public mode has no login to expire.
    let p = public().await;
    assert_eq!(admin(&p, "/__admin/session/expire").await.status, 404);
    assert_eq!(send(&p, "GET", path, &[], b"").await.status, 200);
}

/// Runs the binary with these arguments; stdout's first line (None when it exits first) and
/// stderr. A server that starts is killed.
fn run_binary(args: &[&str]) -> (Option<String>, String, Option<i32>) {
    let mut child =
        Command::new(env!("CARGO_BIN_EXE_mock-studio")).args(args).stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().expect("the binary starts");
    let mut line = String::new();
    let read = BufReader::new(child.stdout.take().unwrap()).read_line(&mut line).unwrap_or(0);
    let first = (read > 0).then_some(line);
    if first.is_some() {
        child.kill().ok();
    }
    let out = child.wait_with_output().unwrap();
    (first, String::from_utf8_lossy(&out.stderr).into_owned(), if read > 0 { None } else { out.status.code() })
}

#[test]
fn the_binarys_studio_options() {
    let cookie = format!("{COOKIE_NAME}={COOKIE_VALUE}");
    let (line, stderr, _) = run_binary(&["--addr", "127.0.0.1:0", "--studio-cookie", &cookie, "--csrf-token", CSRF]);
    let line = line.expect("a line once it listens");
    assert!(line.starts_with("mock-studio listening on http://127.0.0.1:") && line.contains("studio mode") && line.contains(COOKIE_NAME), "{line}");
    assert!(!line.contains(COOKIE_VALUE) && !line.contains(CSRF) && !stderr.contains(COOKIE_VALUE) && !stderr.contains(CSRF), "{line} {stderr}");

    let (line, _, _) = run_binary(&["--addr", "127.0.0.1:0"]);
    assert!(line.is_some_and(|l| !l.contains("studio mode")));

    for args in [
        vec!["--studio-cookie", cookie.as_str()],
        vec!["--csrf-token", CSRF],
        vec!["--studio-cookie", "Zq8v3LrT0pXw-secret-session", "--csrf-token", CSRF],
        vec!["--studio-cookie", "pixieset_session=Zq8v3LrT0pXw-secret-session;", "--csrf-token", CSRF],
        vec!["--studio-cookie", cookie.as_str(), "--csrf-token", "csrf-Kb7Yd2Nn5Hs9-secret\n"],
        vec!["--studio-cookie", cookie.as_str(), "--csrf-token"],
    ] {
        let (line, stderr, code) = run_binary(&[&["--addr", "127.0.0.1:0"], args.as_slice()].concat());
        assert_eq!((line, code), (None, Some(2)), "{args:?}: {stderr}");
        assert!(stderr.contains("--studio-cookie") || stderr.contains("--csrf-token"), "{stderr}");
        assert!(!stderr.contains(COOKIE_VALUE) && !stderr.contains("Kb7Yd2Nn5Hs9"), "{args:?}: {stderr}");
    }
}

/// The session types the binary lists when started with these arguments (public mode).
fn listed_by_binary(args: &[&str]) -> Vec<Value> {
    use std::io::{Read, Write};
    let mut child = Command::new(env!("CARGO_BIN_EXE_mock-studio"))
        .args([&["--addr", "127.0.0.1:0", "--now", "2025-08-01T09:00:00Z"], args].concat())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the binary starts");
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap()).read_line(&mut line).unwrap();
    let addr = line.split("http://").nth(1).and_then(|r| r.split('/').next()).map(str::to_string);
    let answer = addr.map(|addr| {
        let mut stream = std::net::TcpStream::connect(&addr).unwrap();
        write!(stream, "GET /api/v1/session_types/ HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n").unwrap();
        let mut out = String::new();
        stream.read_to_string(&mut out).unwrap();
        out
    });
    child.kill().ok();
    child.wait().ok();
    let answer = answer.unwrap_or_else(|| panic!("the binary did not listen: {line}"));
    let body = answer.split_once("\r\n\r\n").map(|(_, b)| b).unwrap_or_default();
    serde_json::from_str::<Value>(body).unwrap()["data"].as_array().unwrap().clone()
}

#[test]
fn the_binarys_demo_contracts_option() {
    let plain = listed_by_binary(&[]);
    assert_eq!(plain.len(), 7);
    assert!(plain.iter().all(|t| t["contract"].is_null()), "no contract without --demo-contracts");
    let with = listed_by_binary(&["--demo-contracts"]);
    assert_eq!(with.len(), 8);
    let signed: Vec<&Value> = with.iter().filter(|t| t["contract"].is_object()).collect();
    assert_eq!(signed.len(), 1);
    assert_eq!((signed[0]["id"].clone(), signed[0]["status"].clone()), (json!(make_id("set", "NEWBORN")), json!("published")));
    // The rest are the same seven, in the same order.
    let ids = |list: &[Value]| list.iter().filter(|t| t["contract"].is_null()).map(|t| t["id"].clone()).collect::<Vec<_>>();
    assert_eq!(ids(&with), ids(&plain));
    // --help tells of it.
    let (line, stderr, code) = run_binary(&["--help"]);
    assert_eq!((line, code), (None, Some(2)));
    assert!(stderr.contains("--demo-contracts") && stderr.contains("Newborn Studio Session"), "{stderr}");
}
