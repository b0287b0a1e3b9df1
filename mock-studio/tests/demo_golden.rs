//! The demo studio's answers, kept: its catalogue (session types, in each mode and with and
//! without `--demo-contracts`), availability, coupons, covers and a run of bookings that meets
//! every check a booking has, all on a fixed clock and compared with `tests/golden/demo.json`.
//!
//! The e2e suite, the gateway's tests and the widget's tests all run against the demo, so a
//! change to how the demo is written (its data, its code) must not change a byte it serves.
//! The answers come from the router itself (`http::route`), as the server sends them; each
//! JSON body is checked to read back to the same bytes, so comparing the kept JSON compares
//! the bytes. Random ids and manage tokens are replaced by placeholders.
//!
//! After a change meant to change what the demo serves, write the file again with
//! `MOCK_STUDIO_BLESS=1 cargo test -p mock-studio --test demo_golden` and read its diff.

use hyper::Method;
use mock_studio::demo::{family_portrait_id, make_id, newborn_id};
use mock_studio::http::{route, ApiHeaders, AppState};
use mock_studio::login::StudioLogin;
use mock_studio::studio::{Clock, StudioConfig};
use regex::Regex;
use serde_json::{json, Value};

const GOLDEN: &str = "tests/golden/demo.json";

/// 2025-08-01 09:00 UTC, a Friday: the demo's dates are laid out from it.
fn fixed_now() -> chrono::DateTime<chrono::Utc> {
    chrono::DateTime::parse_from_rfc3339("2025-08-01T09:00:00Z").unwrap().with_timezone(&chrono::Utc)
}

/// Every session type id the demo has, in the order it serves them with `--demo-contracts`.
fn all_type_ids() -> Vec<String> {
    ["FAMILYPORTRAIT", "MINIAUTUMN", "WEDDING", "HEADSHOTS", "TOKYOPORTRAITS", "NYCENGAGEMENT", "NEWBORN", "MATERNITYDRAFT"]
        .iter()
        .map(|tag| make_id("set", tag))
        .collect()
}

const CODES: [&str; 13] = [
    "JUNIPER20",
    "TAKE25",
    "TOKYO5000",
    "NYC50",
    "ONTHEHOUSE",
    "TOKYOGIFT",
    "NYGIFT450",
    "HEADSHOTPRO",
    "EARLYBIRD",
    "FIRSTTEN",
    "NEWBORN10",
    "OLDFRIENDS",
    "juniper20",
];

/// One demo on the fixed clock, its seeded sessions included, and the answers it gave.
struct Recorder {
    name: &'static str,
    state: std::sync::Arc<AppState>,
    entries: Vec<Value>,
    ids: Regex,
}

impl Recorder {
    fn new(name: &'static str, config: StudioConfig) -> Recorder {
        let config = StudioConfig { clock: Clock::Fixed(fixed_now()), ..config };
        Recorder { name, state: AppState::new(config), entries: vec![], ids: Regex::new(r"\b(ses|cl)_[A-Za-z0-9]{30}\b").unwrap() }
    }

    /// Sends one request; keeps the answer (ids and tokens replaced) and gives it as sent.
    fn send(&mut self, method: Method, path: &str, key: Option<&str>, token: Option<&str>, body: &[u8]) -> (u16, Value) {
        let (path_only, query) = match path.split_once('?') {
            Some((p, q)) => (p, Some(q)),
            None => (path, None),
        };
        let headers = ApiHeaders { idempotency_key: key, manage_token: token };
        let out = route(&self.state, &method, path_only, query, headers, body);
        let text = String::from_utf8(out.body.to_vec()).expect("UTF-8");
        let parsed: Value = if out.content_type.starts_with("application/json") {
            let v: Value = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{path}: not JSON ({e}): {text}"));
            assert_eq!(serde_json::to_string(&v).unwrap(), text, "{path}: the JSON does not read back to the same bytes");
            v
        } else {
            Value::String(text)
        };
        let mut kept = self.ids.replace_all(&parsed.to_string(), "${1}_<random>").into_owned();
        if let Some(t) = parsed["data"]["manage_token"].as_str() {
            kept = kept.replace(t, "<manage token>");
        }
        let mut entry = json!({
            "demo": self.name,
            "request": self.ids.replace_all(&format!("{method} {path}"), "${1}_<random>"),
            "status": out.status,
            "content_type": out.content_type,
            "headers": out.headers.iter().map(|(k, v)| format!("{k}: {v}")).collect::<Vec<_>>(),
            "body": serde_json::from_str::<Value>(&kept).unwrap(),
        });
        if let Some(k) = key {
            entry["idempotency_key"] = json!(k);
        }
        if !body.is_empty() {
            entry["sent"] = serde_json::from_slice(body).unwrap_or_else(|_| json!(String::from_utf8_lossy(body)));
        }
        self.entries.push(entry);
        (out.status, parsed)
    }

    fn get(&mut self, path: &str) -> Value {
        self.send(Method::GET, path, None, None, b"").1
    }

    fn book(&mut self, key: &str, body: &Value) -> (u16, Value) {
        self.send(Method::POST, "/api/v1/sessions", Some(key), None, body.to_string().as_bytes())
    }

    /// The start of slot `n` of a day, for bookings.
    fn slot(&mut self, type_id: &str, day: &str, zone: &str, n: usize) -> String {
        let v = self.get(&format!("/api/v1/session_types/{type_id}/check-day-avail/{day}-{zone}"));
        v["data"]["slots"][n]["start"].as_str().unwrap_or_else(|| panic!("no slot {n} on {day}: {v}")).to_string()
    }

    /// Keeps the last answer's `data` as a pointer into `list` when it is an item of it:
    /// the same session type need not be kept twice.
    fn same_as_listed(&mut self, list: &Value) {
        let last = self.entries.last_mut().unwrap();
        let item = |data: &Value| list["data"].as_array().unwrap().iter().position(|l| l == data);
        if let Some(i) = item(&last["body"]["data"]) {
            last["body"]["data"] = json!(format!("item {i} of the list of per_page=100"));
        }
    }

    /// The catalogue and what is read from it: its pages, each type, and (with `more`) the
    /// availability around the demo's overrides and seeded sessions; each of `codes` on each
    /// type.
    fn catalogue(&mut self, ids: &[String], codes: &[&str], more: bool) {
        let list = self.get("/api/v1/session_types/?page=1&per_page=100");
        let default = self.get("/api/v1/session_types/");
        if default["data"] == list["data"] {
            self.entries.last_mut().unwrap()["body"]["data"] = json!("the items of the list of per_page=100");
        }
        self.get("/api/v1/session_types/?page=2&per_page=3");
        for id in ids {
            let t = self.get(&format!("/api/v1/session_types/{id}"));
            self.same_as_listed(&list);
            let zone = t["data"]["session_type_schedule"]["display_timezone"].as_str().unwrap_or("Europe/London").to_string();
            for code in codes {
                self.get(&format!("/api/v1/session_types/{id}/coupons/{code}"));
            }
            if !more {
                continue;
            }
            for month in [format!("2025-8-{zone}"), format!("2025-9-{zone}"), "2025-8-America/Los_Angeles".into()] {
                self.get(&format!("/api/v1/session_types/{id}/check-month-avail/{month}"));
            }
            for day in ["2025-8-2", "2025-8-5", "2025-8-6", "2025-8-8", "2025-8-10", "2025-8-17"] {
                self.get(&format!("/api/v1/session_types/{id}/check-day-avail/{day}-{zone}"));
            }
            self.get(&format!("/api/v1/session_types/{id}/check-day-avail/2025-8-5-Asia/Kathmandu"));
        }
    }
}

fn family_request(start: &str) -> Value {
    json!({
        "session_type_id": family_portrait_id(), "start": start, "timezone": "Europe/London",
        "client": {"first_name": "Ana", "last_name": "Silva", "email": "ana@example.com", "phone": "+44 20 7946 0958"},
        "answers": {"q_people": 4, "q_place": "park", "q_children": "Maya (6)", "q_pet": true, "q_unknown": "dropped"},
        "payment_method_type": "pixieset-payments", "payment_option": "partial", "policy_accepted": true
    })
}

/// A run of bookings, moves and cancellations that meets every check, in the order a booking
/// makes them.
fn bookings(r: &mut Recorder) {
    let family = family_portrait_id();
    let start = r.slot(&family, "2025-8-6", "Europe/London", 0);
    let good = family_request(&start);
    let raw = |r: &mut Recorder, key: Option<&str>, body: &[u8]| r.send(Method::POST, "/api/v1/sessions", key, None, body);
    raw(r, None, good.to_string().as_bytes());
    raw(r, Some("short"), good.to_string().as_bytes());
    raw(r, Some("key-raw-0001"), b"{not json");
    raw(r, Some("key-raw-0002"), b"[1,2,3]");
    // Each case on a slot of its own, so that a case that books takes no other case's slot.
    let mut pool = vec![];
    for day in ["2025-8-12", "2025-8-13", "2025-8-14", "2025-8-15", "2025-8-19", "2025-8-20", "2025-8-21", "2025-8-26", "2025-8-27", "2025-8-28"] {
        let v = r.get(&format!("/api/v1/session_types/{family}/check-day-avail/{day}-Europe/London"));
        pool.extend(v["data"]["slots"].as_array().unwrap().iter().map(|s| s["start"].as_str().unwrap().to_string()));
    }
    let mut n = 0;
    let mut with = |r: &mut Recorder, change: &dyn Fn(&mut Value)| {
        let mut body = good.clone();
        // Every other slot: a session's buffers close the slots either side of it.
        body["start"] = json!(pool[2 * n]);
        change(&mut body);
        n += 1;
        r.book(&format!("key-case-{n:04}"), &body)
    };
    // Reading the request: each field of the wrong type or missing.
    with(r, &|b| b["session_type_id"] = json!(5));
    with(r, &|b| {
        b.as_object_mut().unwrap().remove("start");
    });
    with(r, &|b| b["timezone"] = json!(null));
    with(r, &|b| {
        b["start"] = json!(1);
        b["timezone"] = json!(2);
    });
    with(r, &|b| {
        b.as_object_mut().unwrap().remove("client");
    });
    with(r, &|b| b["client"] = json!("Ana"));
    with(r, &|b| b["answers"] = json!([1]));
    with(r, &|b| b["answers"] = json!(null));
    with(r, &|b| b["coupon_code"] = json!(20));
    with(r, &|b| b["contract_signature"] = json!("Ana Silva"));
    // The session type.
    with(r, &|b| b["session_type_id"] = json!("set_x"));
    with(r, &|b| b["session_type_id"] = json!(make_id("set", "NOSUCH")));
    with(r, &|b| b["session_type_id"] = json!(make_id("set", "MATERNITYDRAFT")));
    // Everything wrong at once, then each concern alone.
    with(r, &|b| {
        b["start"] = json!("tomorrow");
        b["timezone"] = json!("Mars/Olympus");
        b["client"] = json!({"first_name": " ", "last_name": "", "email": "", "phone": "call me"});
        b["answers"] = json!({"q_people": 40, "q_place": "moon", "q_children": 5});
        b["coupon_code"] = json!("NOPE");
        b["payment_method_type"] = json!("paypal");
        b["payment_option"] = json!("half");
        b["policy_accepted"] = json!(false);
    });
    with(r, &|b| b["client"] = json!({"first_name": "A".repeat(101), "last_name": "é".repeat(101), "email": "ana@", "phone": 44}));
    with(r, &|b| b["client"] = json!({"first_name": "Ana", "last_name": "Silva", "email": "ana@example.com", "phone": "  "}));
    with(r, &|b| b["answers"] = json!({}));
    with(r, &|b| b["answers"] = json!({"q_people": "4", "q_place": "park", "q_children": "x".repeat(501)}));
    for code in ["NOPE", "EARLYBIRD", "FIRSTTEN", "OLDFRIENDS", "NEWBORN10", "TOKYO5000", " ", "take25"] {
        with(r, &|b| b["coupon_code"] = json!(code));
    }
    with(r, &|b| b["payment_method_type"] = json!(null));
    with(r, &|b| b["payment_method_type"] = json!("manual"));
    with(r, &|b| b["payment_option"] = json!("full"));
    with(r, &|b| b["payment_option"] = json!(null));
    with(r, &|b| {
        b["coupon_code"] = json!("ONTHEHOUSE");
        b["payment_method_type"] = json!(null);
        b["payment_option"] = json!(null);
    });
    with(r, &|b| b["policy_accepted"] = json!(1));
    with(r, &|b| b["policy_accepted"] = json!("yes"));
    // The slot: taken by a seeded session, never made, too soon, too far.
    with(r, &|b| b["start"] = json!("2025-08-05T10:00:00+01:00"));
    with(r, &|b| b["start"] = json!("2025-08-06T09:30:00+01:00"));
    with(r, &|b| b["start"] = json!("2025-08-02T10:00:00+01:00"));
    with(r, &|b| b["start"] = json!("2025-12-02T10:00:00Z"));
    // Made, replayed, and its key reused.
    let (status, made) = r.book("key-made-0001", &good);
    assert_eq!(status, 201, "{made}");
    r.book("key-made-0001", &good);
    let other = r.slot(&family, "2025-8-6", "Europe/London", 1);
    r.book("key-made-0001", &family_request(&other));
    r.book("key-made-0002", &good);
    r.get(&format!("/api/v1/session_types/{family}/check-day-avail/2025-8-6-Europe/London"));

    // The other session types, each in its own way: each request names its session type by
    // its tag and its start by a day and a zone, whose first slot it takes.
    let others = json!([
        {"key": "key-hs-0001", "session_type_id": "HEADSHOTS", "start": "2025-8-5 Europe/London", "timezone": "Europe/London",
         "client": {"first_name": "Tom", "last_name": "B", "email": "tom@example.com"}, "coupon_code": "HEADSHOTPRO",
         "answers": {"q_company": "Acme", "q_background": "grey", "q_invoice_email": "nope", "q_mobile": "12"},
         "payment_method_type": "pixieset-payments", "payment_option": "partial", "policy_accepted": true},
        {"key": "key-hs-0002", "session_type_id": "HEADSHOTS", "start": "2025-8-5 Europe/London", "timezone": "Europe/London",
         "client": {"first_name": "Tom", "last_name": "B", "email": "tom@example.com"}, "coupon_code": "HEADSHOTPRO",
         "answers": {"q_company": "Acme", "q_background": "grey"},
         "payment_method_type": "pixieset-payments", "payment_option": "full", "policy_accepted": true},
        {"key": "key-mini-0001", "session_type_id": "MINIAUTUMN", "start": "2025-8-2 Europe/London", "timezone": "Europe/Paris",
         "client": {"first_name": "Mo", "last_name": "Li", "email": "mo@example.com"}, "coupon_code": "JUNIPER20",
         "answers": {"q_backdrop": "leaves"}},
        {"key": "key-mini-0002", "session_type_id": "MINIAUTUMN", "start": "2025-8-2 Europe/London", "timezone": "Europe/Paris",
         "client": {"first_name": "Mo", "last_name": "Li", "email": "MO@example.com"},
         "answers": {"q_backdrop": "leaves"}},
        {"key": "key-wed-0001", "session_type_id": "WEDDING", "start": "2025-9-6 Europe/London", "timezone": "Europe/London",
         "client": {"first_name": "Jo", "last_name": "Wu", "email": "jo@example.com"},
         "answers": {"q_partner": "Sam Wu", "q_venue": "Whitby", "q_coverage": ["ceremony", "dance"], "q_instagram": "@jo.wu", "q_guests": 80},
         "payment_method_type": "manual", "payment_option": "partial", "policy_accepted": true},
        {"key": "key-tokyo-0001", "session_type_id": "TOKYOPORTRAITS", "start": "2025-8-7 Asia/Tokyo", "timezone": "Asia/Tokyo",
         "client": {"first_name": "Ken", "last_name": "Mori", "email": "ken@example.com"}, "coupon_code": "tokyogift",
         "answers": {"q_spots": ["meiji", "nowhere"], "q_backup_date": "2025-08-09"},
         "payment_method_type": "manual", "payment_option": "partial", "policy_accepted": true},
        {"key": "key-nyc-0001", "session_type_id": "NYCENGAGEMENT", "start": "2025-8-5 America/New_York", "timezone": "America/New_York",
         "client": {"first_name": "Liz", "last_name": "Park", "email": "liz@example.com"}, "coupon_code": "NYGIFT450",
         "answers": {"q_partner": "Dan", "q_met": "2030-01-01", "q_story": "short"},
         "payment_method_type": "paypal", "payment_option": "partial", "policy_accepted": true},
        {"key": "key-nyc-0002", "session_type_id": "NYCENGAGEMENT", "start": "2025-8-5 America/New_York", "timezone": "America/New_York",
         "client": {"first_name": "Liz", "last_name": "Park", "email": "liz@example.com"}, "coupon_code": "NYGIFT450",
         "answers": {"q_partner": "Dan", "q_met": "2020-01-01", "q_story": "We met at a gallery."},
         "payment_method_type": "paypal", "payment_option": "partial", "policy_accepted": true}
    ]);
    for mut request in others.as_array().unwrap().clone() {
        let key = request.as_object_mut().unwrap().remove("key").unwrap();
        let id = make_id("set", request["session_type_id"].as_str().unwrap());
        let (day, zone) = request["start"].as_str().unwrap().split_once(' ').unwrap();
        request["start"] = json!(r.slot(&id, day, zone, 0));
        request["session_type_id"] = json!(id);
        r.book(key.as_str().unwrap(), &request);
    }

    // A contract to sign (with --demo-contracts only).
    let newborn = newborn_id();
    if r.get(&format!("/api/v1/session_types/{newborn}"))["data"].is_object() {
        let start = r.slot(&newborn, "2025-8-7", "Europe/London", 0);
        let nb = json!({"session_type_id": newborn, "start": start, "timezone": "Europe/London", "coupon_code": "NEWBORN10",
                "client": {"first_name": "Eve", "last_name": "Ng", "email": "eve@example.com"},
                "answers": {"q_due": "2025-08-20"},
                "payment_method_type": "pixieset-payments", "payment_option": "full", "policy_accepted": true});
        r.book("key-nb-0001", &nb);
        for (i, sig) in
            [json!({"name": "E", "agreed": true}), json!({"name": "Eve Ng", "agreed": false}), json!({"name": "Eve Ng"})].iter().enumerate()
        {
            let mut b = nb.clone();
            b["contract_signature"] = sig.clone();
            r.book(&format!("key-nb-sig-{i}"), &b);
        }
        let mut b = nb.clone();
        b["contract_signature"] = json!({"name": "  Eve Ng ", "agreed": 1});
        r.book("key-nb-0002", &b);
        r.get(&format!("/api/v1/session_types/{newborn}/coupons/NEWBORN10"));
    }

    // The client's own session: seen, moved and cancelled with its token.
    let id = made["data"]["id"].as_str().unwrap().to_string();
    let token = made["data"]["manage_token"].as_str().unwrap().to_string();
    let path = format!("/api/v1/sessions/{id}");
    r.send(Method::GET, &path, None, Some(&token), b"");
    r.send(Method::GET, &path, None, Some("wrong"), b"");
    r.send(Method::GET, &path, None, None, b"");
    r.send(Method::GET, "/api/v1/sessions/ses_NOSUCHSESSION0000000000000000", None, Some(&token), b"");
    let moved_to = r.slot(&family, "2025-8-7", "Europe/London", 2);
    let move_body = json!({"start": moved_to, "timezone": "America/Chicago"}).to_string();
    let reschedule = format!("{path}/reschedule");
    r.send(Method::POST, &reschedule, None, Some(&token), move_body.as_bytes());
    r.send(Method::POST, &reschedule, Some("short"), Some(&token), move_body.as_bytes());
    r.send(Method::POST, &reschedule, Some("key-move-0001"), Some(&token), b"[1]");
    r.send(Method::POST, &reschedule, Some("key-move-0001"), Some(&token), b"{nope");
    r.send(Method::POST, &reschedule, Some("key-move-0001"), Some(&token), br#"{"start": "x"}"#);
    r.send(Method::POST, &reschedule, Some("key-move-0001"), Some(&token), move_body.as_bytes());
    r.send(Method::POST, &reschedule, Some("key-move-0001"), Some(&token), move_body.as_bytes());
    r.send(Method::POST, &reschedule, Some("key-move-0001"), Some(&token), br#"{"start": "2025-08-08T10:00:00+01:00", "timezone": "UTC"}"#);
    r.send(Method::POST, &reschedule, Some("key-move-0002"), Some(&token), br#"{"start": "2025-08-08T10:00:00+01:00", "timezone": "UTC"}"#);
    let cancel = format!("{path}/cancel");
    r.send(Method::POST, &cancel, None, Some(&token), br#"{"reason": "  Ill, sorry  "}"#);
    r.send(Method::POST, &cancel, None, Some(&token), b"");
    r.send(Method::POST, &reschedule, Some("key-move-0003"), Some(&token), move_body.as_bytes());
    r.get("/api/v1/sessions/inquiry/count");
    r.get(&format!("/api/v1/session_types/{family}/check-day-avail/2025-8-7-Europe/London"));
}

fn record_all() -> Vec<Value> {
    let ids = all_type_ids();
    let mut entries = vec![];

    let mut seven = Recorder::new("public", StudioConfig::default());
    seven.get("/api/v1");
    seven.catalogue(&ids, &["JUNIPER20", "NEWBORN10"], false);
    for cover in ["family", "autumn", "wedding", "tokyo", "engagement", "newborn", "nosuch"] {
        seven.get(&format!("/covers/{cover}.svg"));
    }
    entries.append(&mut seven.entries);

    let mut contracts = Recorder::new("public --demo-contracts", StudioConfig { demo_contracts: true, ..Default::default() });
    contracts.catalogue(&ids, &CODES, true);
    bookings(&mut contracts);
    entries.append(&mut contracts.entries);

    let login = StudioLogin::new("pixieset_session=golden-cookie", "golden-csrf").unwrap();
    let mut studio = Recorder::new("studio mode --demo-contracts", StudioConfig { demo_contracts: true, login: Some(login), ..Default::default() });
    let list = studio.get("/api/v1/session_types/?page=1&per_page=100");
    for id in &ids {
        studio.get(&format!("/api/v1/session_types/{id}"));
        studio.same_as_listed(&list);
    }
    let start = studio.slot(&family_portrait_id(), "2025-8-6", "Europe/London", 0);
    studio.book("key-studio-0001", &family_request(&start));
    studio.get(&format!("/api/v1/session_types/{}", family_portrait_id()));
    entries.append(&mut studio.entries);

    let mut small = Recorder::new("public --default-per-page 2", StudioConfig { default_per_page: 2, ..Default::default() });
    small.get("/api/v1/session_types/");
    small.get("/api/v1/session_types/?page=4");
    small.get("/api/v1/session_types/?page=x&per_page=0");
    entries.append(&mut small.entries);

    let mut unseeded = Recorder::new("public --no-seed", StudioConfig { seed_bookings: false, ..Default::default() });
    for id in [family_portrait_id(), make_id("set", "HEADSHOTS")] {
        for day in ["2025-8-5", "2025-8-8"] {
            unseeded.get(&format!("/api/v1/session_types/{id}/check-day-avail/{day}-Europe/London"));
        }
    }
    entries.append(&mut unseeded.entries);
    entries
}

/// The answers as kept: one entry a line, so that a change shows as the entries it changes.
fn to_text(entries: &[Value]) -> String {
    let lines: Vec<String> = entries.iter().map(|e| serde_json::to_string(e).unwrap()).collect();
    format!("[\n{}\n]\n", lines.join(",\n"))
}

#[test]
fn the_demo_serves_what_it_served() {
    let now = record_all();
    if std::env::var_os("MOCK_STUDIO_BLESS").is_some() {
        std::fs::create_dir_all("tests/golden").unwrap();
        std::fs::write(GOLDEN, to_text(&now)).unwrap();
        return;
    }
    let text = std::fs::read_to_string(GOLDEN).expect("tests/golden/demo.json (write it with MOCK_STUDIO_BLESS=1)");
    let kept: Vec<Value> = serde_json::from_str(&text).unwrap();
    for (i, (k, n)) in kept.iter().zip(&now).enumerate() {
        assert!(k == n, "answer {i} differs from {GOLDEN}:\n--- kept\n{k:#}\n--- now\n{n:#}");
    }
    assert_eq!(kept.len(), now.len(), "the demo gave another number of answers than {GOLDEN} keeps");
    assert_eq!(text, to_text(&now), "{GOLDEN} is not written as the test writes it");
}
