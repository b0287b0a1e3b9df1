//! The mock studio over real HTTP on loopback: every endpoint and error of the contract,
//! idempotency, races for one slot, CORS and fault injection.

mod common;

use std::sync::Arc;
use std::time::Duration;

use common::{book, first_slot, fixed_now, get, preflight, send, start, try_send, Server};
use mock_studio::demo::{family_portrait_id, make_id};
use mock_studio::studio::{Clock, StudioConfig};
use serde_json::{json, Value};

async fn demo() -> Server {
    start(StudioConfig { clock: Clock::Fixed(fixed_now()), seed_bookings: false, ..Default::default() }).await
}

fn family_booking(start: &str) -> Value {
    json!({
        "session_type_id": family_portrait_id(),
        "start": start,
        "timezone": "Asia/Kathmandu",
        "client": {"first_name": "Ana", "last_name": "Silva", "email": "ana@example.com", "phone": "+44 20 7946 0958"},
        "answers": {"q_people": 4, "q_place": "park", "q_children": "Maya (6)"},
        "payment_method_type": "pixieset-payments",
        "payment_option": "full",
        "policy_accepted": true
    })
}

#[tokio::test]
async fn lists_session_types_in_pages_with_drafts() {
    let s = demo().await;
    let a = get(&s, "/api/v1/session_types/").await;
    assert_eq!(a.status, 200);
    assert_eq!(a.header("access-control-allow-origin"), Some("*"));
    let v = a.json();
    let all = v["data"].as_array().unwrap();
    assert_eq!(all.len(), 7);
    assert_eq!(v["meta"], json!({"current_page": 1, "per_page": 25, "total": 7, "last_page": 1}));
    assert_eq!(all.iter().filter(|t| t["status"] == "draft").count(), 1);
    // Every field type of the contract, and one the contract does not know.
    let kinds: std::collections::BTreeSet<String> =
        all.iter().flat_map(|t| t["intake_form_fields"].as_array().unwrap().iter().map(|f| f["field_type"].as_str().unwrap().to_string())).collect();
    for k in ["text", "textarea", "email", "phone", "number", "date", "select", "radio", "checkbox", "multi_select", "social_handle"] {
        assert!(kinds.contains(k), "{k} missing");
    }
    // One older-server collect_payment: 0, and a zero-decimal currency.
    assert!(all.iter().any(|t| t["collect_payment"] == json!(0)));
    assert!(all.iter().any(|t| t["currency"] == "jpy"));

    let p2 = get(&s, "/api/v1/session_types?page=2&per_page=3").await.json();
    assert_eq!(p2["meta"], json!({"current_page": 2, "per_page": 3, "total": 7, "last_page": 3}));
    assert_eq!(p2["data"].as_array().unwrap().len(), 3);
    assert!(p2["links"]["next"].as_str().unwrap().ends_with("page=3&per_page=3"));
    let p9 = get(&s, "/api/v1/session_types/?page=9&per_page=3").await.json();
    assert_eq!(p9["data"], json!([]));
    // Out-of-range or unreadable paging is read leniently (the contract gives this path no 400).
    for (query, page, per_page) in [("page=0", 1, 25), ("per_page=101", 1, 100), ("per_page=abc", 1, 25), ("page=-1&per_page=0", 1, 1)] {
        let v = get(&s, &format!("/api/v1/session_types/?{query}")).await.json();
        assert_eq!((v["meta"]["current_page"].clone(), v["meta"]["per_page"].clone()), (json!(page), json!(per_page)), "{query}");
    }
}

#[tokio::test]
async fn demo_contracts_adds_the_newborn_session_and_a_reset_keeps_it() {
    let s = start(StudioConfig { demo_contracts: true, clock: Clock::Fixed(fixed_now()), seed_bookings: false, ..Default::default() }).await;
    let newborn = make_id("set", "NEWBORN");
    for round in ["at the start", "after a reset"] {
        let v = get(&s, "/api/v1/session_types/").await.json();
        assert_eq!(v["meta"]["total"], 8, "{round}");
        let all = v["data"].as_array().unwrap();
        assert_eq!(all[6]["id"], json!(newborn), "{round}: before the draft");
        assert_eq!(all.iter().filter(|t| t["contract"].is_object()).count(), 1, "{round}");
        assert_eq!(get(&s, &format!("/api/v1/session_types/{newborn}/coupons/NEWBORN10")).await.status, 200, "{round}");
        let reset = send(&s, "POST", "/__admin/reset", &[], b"").await;
        assert_eq!(reset.status, 200);
    }
    // Without it: not there.
    let d = demo().await;
    assert_eq!(get(&d, &format!("/api/v1/session_types/{newborn}")).await.status, 404);
    assert!(get(&d, "/api/v1/session_types/").await.json()["data"].as_array().unwrap().iter().all(|t| t["contract"].is_null()));
}

#[tokio::test]
async fn default_per_page_can_be_made_small() {
    let s = start(StudioConfig { default_per_page: 3, clock: Clock::Fixed(fixed_now()), ..Default::default() }).await;
    let v = get(&s, "/api/v1/session_types/").await.json();
    assert_eq!(v["meta"]["last_page"], 3);
}

#[tokio::test]
async fn one_session_type_and_its_errors() {
    let s = demo().await;
    let a = get(&s, &format!("/api/v1/session_types/{}", family_portrait_id())).await;
    assert_eq!(a.status, 200);
    assert_eq!(a.json()["data"]["name"], "Family Portrait Session");
    let draft = get(&s, &format!("/api/v1/session_types/{}", make_id("set", "MATERNITYDRAFT"))).await;
    assert_eq!((draft.status, draft.code()), (404, "resource_not_found".into()));
    let unknown = get(&s, &format!("/api/v1/session_types/{}", make_id("set", "NOSUCH"))).await;
    assert_eq!(unknown.status, 404);
    let bad = get(&s, "/api/v1/session_types/set_short").await;
    assert_eq!((bad.status, bad.code()), (404, "resource_not_found".into()));
    let bad = get(&s, "/api/v1/session_types/set_short/check-month-avail/2025-8-UTC").await;
    assert_eq!((bad.status, bad.code()), (400, "invalid_id_format".into()));
    let wrong_method = send(&s, "DELETE", &format!("/api/v1/session_types/{}", family_portrait_id()), &[], b"").await;
    assert_eq!(wrong_method.status, 405);
    assert_eq!(wrong_method.header("allow"), Some("GET"));
    let nowhere = get(&s, "/api/v2/whatever").await;
    assert_eq!((nowhere.status, nowhere.code()), (404, "resource_not_found".into()));
    let broken = get(&s, "/api/v1/session_types/%FF%FE").await;
    assert_eq!(broken.status, 404);
}

#[tokio::test]
async fn admin_replaces_a_description() {
    let s = demo().await;
    let path = format!("/__admin/session_types/{}/description", family_portrait_id());
    let body = br#"{"description": "<script>alert(1)</script><p>New</p>"}"#;
    assert_eq!(send(&s, "POST", &path, &[], body).await.status, 200);
    let a = get(&s, &format!("/api/v1/session_types/{}", family_portrait_id())).await;
    assert_eq!(a.json()["data"]["description"], "<script>alert(1)</script><p>New</p>");
    let none = send(&s, "POST", &format!("/__admin/session_types/{}/description", make_id("set", "NOSUCH")), &[], body).await;
    assert_eq!(none.status, 404);
}

#[tokio::test]
async fn month_and_day_availability_in_zones_with_zero_one_and_two_slashes() {
    let s = demo().await;
    let id = family_portrait_id();
    for zone in ["UTC", "Europe/London", "America/Argentina/Buenos_Aires", "Asia/Kathmandu"] {
        let m = get(&s, &format!("/api/v1/session_types/{id}/check-month-avail/2025-8-{zone}")).await;
        assert_eq!(m.status, 200, "{zone}: {}", m.body);
        let v = m.json();
        assert_eq!(v["data"]["timezone"], zone);
        assert_eq!((v["data"]["year"].clone(), v["data"]["month"].clone()), (json!(2025), json!(8)));
        let dates = v["data"]["available_dates"].as_array().unwrap();
        assert!(!dates.is_empty());
        // Minimum notice of 2 days from 1 August 09:00 UTC.
        assert!(dates.iter().all(|d| d.as_str().unwrap() >= "2025-08-03"), "{zone}: {dates:?}");
        assert_eq!(v["data"]["next_available_date"].as_str().map(|d| &d[..7]), Some("2025-09"));
        let day = dates[0].as_str().unwrap();
        let (y, rest) = day.split_once('-').unwrap();
        let (mo, d) = rest.split_once('-').unwrap();
        let unpadded = format!("{y}-{}-{}", mo.trim_start_matches('0'), d.trim_start_matches('0'));
        let a = get(&s, &format!("/api/v1/session_types/{id}/check-day-avail/{unpadded}-{zone}")).await;
        assert_eq!(a.status, 200);
        let slots = a.json()["data"]["slots"].as_array().unwrap().clone();
        assert!(!slots.is_empty(), "{zone} {day}");
        for slot in &slots {
            let start = chrono::DateTime::parse_from_rfc3339(slot["start"].as_str().unwrap()).unwrap();
            let end = chrono::DateTime::parse_from_rfc3339(slot["end"].as_str().unwrap()).unwrap();
            assert_eq!((end - start).num_minutes(), 60);
            let tz: chrono_tz::Tz = zone.parse().unwrap();
            assert_eq!(start.with_timezone(&tz).format("%Y-%m-%d").to_string(), day);
        }
    }
    // Percent-encoded slashes mean the same.
    let a = get(&s, &format!("/api/v1/session_types/{id}/check-month-avail/2025-8-Europe%2FLondon")).await;
    assert_eq!(a.status, 200);
    for (path, code) in [
        ("check-day-avail/2025-2-30-UTC", "invalid_date"),
        ("check-day-avail/2025-13-1-UTC", "invalid_date"),
        ("check-month-avail/2025-0-UTC", "invalid_date"),
        ("check-month-avail/20x5-1-UTC", "invalid_date"),
        ("check-month-avail/2025-1", "invalid_date"),
        ("check-month-avail/2025-1-Mars/Olympus_Mons", "invalid_timezone"),
        ("check-day-avail/2025-1-2-America/Argentina/Buenos_Aires/Extra", "invalid_timezone"),
    ] {
        let a = get(&s, &format!("/api/v1/session_types/{id}/{path}")).await;
        assert_eq!((a.status, a.code()), (400, code.to_string()), "{path}: {}", a.body);
    }
    let draft = get(&s, &format!("/api/v1/session_types/{}/check-month-avail/2025-8-UTC", make_id("set", "MATERNITYDRAFT"))).await;
    assert_eq!(draft.status, 404);
}

#[tokio::test]
async fn booking_takes_the_slot_and_is_idempotent() {
    let s = demo().await;
    let start = first_slot(&s, &family_portrait_id(), "2025-8-5", "Asia/Kathmandu").await;
    let body = family_booking(&start);
    let first = book(&s, "key-aaaaaaaa", &body).await;
    assert_eq!(first.status, 201, "{}", first.body);
    let session = first.json()["data"].clone();
    assert!(session["id"].as_str().unwrap().starts_with("ses_"));
    assert_eq!(session["status"], "booked");
    assert_eq!(session["timezone"], "Asia/Kathmandu");
    assert_eq!(session["answers"], json!({"q_people": 4, "q_place": "park", "q_children": "Maya (6)", "q_pet": false}));
    assert_eq!(session["payment"]["amount_due"], 25_000); // VAT is included in the price
    assert!(session["payment"]["checkout_url"].as_str().unwrap().contains("/checkout/ses_"));
    assert_eq!(
        chrono::DateTime::parse_from_rfc3339(session["start"].as_str().unwrap()).unwrap(),
        chrono::DateTime::parse_from_rfc3339(&start).unwrap()
    );

    // The same key and body: the same answer, nothing more booked.
    let again = book(&s, "key-aaaaaaaa", &body).await;
    assert_eq!(again.status, 201);
    assert_eq!(again.json()["data"]["id"], session["id"]);
    // The same key, another body.
    let mut other = body.clone();
    other["client"]["first_name"] = json!("Anna");
    let reused = book(&s, "key-aaaaaaaa", &other).await;
    assert_eq!((reused.status, reused.code()), (422, "idempotency_key_reused".into()));
    // Another key for the same slot: taken.
    let taken = book(&s, "key-bbbbbbbb", &body).await;
    assert_eq!((taken.status, taken.code()), (409, "slot_unavailable".into()));

    let day = get(&s, &format!("/api/v1/session_types/{}/check-day-avail/2025-8-5-Asia/Kathmandu", family_portrait_id())).await.json();
    assert!(day["data"]["slots"].as_array().unwrap().iter().all(|x| x["start"] != json!(start)));
    let sessions = get(&s, "/api/v1/sessions").await.json();
    assert_eq!(sessions["data"].as_array().unwrap().len(), 1);
    assert_eq!(sessions["data"][0]["id"], session["id"]);

    let checkout = get(&s, &format!("/checkout/{}", session["id"].as_str().unwrap())).await;
    assert_eq!(checkout.status, 200);
    assert!(checkout.body.contains("Demo checkout"));
}

#[tokio::test]
async fn booking_validation_and_malformed_requests() {
    let s = demo().await;
    let start = first_slot(&s, &family_portrait_id(), "2025-8-5", "Europe/London").await;
    let mut bad = family_booking(&start);
    bad["client"] = json!({"first_name": " ", "last_name": "Silva", "email": "ana@", "phone": "call me"});
    bad["answers"] = json!({"q_people": 40, "q_place": "moon"});
    bad["payment_method_type"] = json!("paypal"); // disabled for this session type
    bad["payment_option"] = json!("half");
    bad["policy_accepted"] = json!(false);
    let a = book(&s, "key-validate1", &bad).await;
    assert_eq!((a.status, a.code()), (422, "validation_failed".into()));
    let details = a.json()["error"]["details"].clone();
    for path in [
        "client.first_name",
        "client.email",
        "client.phone",
        "answers.q_people",
        "answers.q_place",
        "payment_method_type",
        "payment_option",
        "policy_accepted",
    ] {
        assert!(details[path].is_array(), "{path} missing in {details}");
    }
    // A time the schedule never makes.
    let mut off = family_booking("2025-08-05T03:17:00Z");
    off["timezone"] = json!("UTC");
    let a = book(&s, "key-validate2", &off).await;
    assert_eq!(a.status, 422);
    assert!(a.json()["error"]["details"]["start"].is_array());
    // A deposit where there is none.
    let headshots = make_id("set", "HEADSHOTS");
    let hs_start = first_slot(&s, &headshots, "2025-8-5", "Europe/London").await;
    let hs = json!({
        "session_type_id": headshots, "start": hs_start, "timezone": "Europe/London",
        "client": {"first_name": "Tom", "last_name": "B", "email": "tom@example.com"},
        "answers": {"q_company": "Acme", "q_background": "grey"},
        "payment_method_type": "pixieset-payments", "payment_option": "partial", "policy_accepted": true
    });
    let a = book(&s, "key-validate3", &hs).await;
    assert!(a.json()["error"]["details"]["payment_option"].is_array());
    // Exclusive VAT is added.
    let mut full = hs.clone();
    full["payment_option"] = json!("full");
    let a = book(&s, "key-validate4", &full).await;
    assert_eq!(a.status, 201, "{}", a.body);
    assert_eq!(a.json()["data"]["payment"]["amount_due"], 18_000);

    let send_raw = |key: Option<&'static str>, body: Vec<u8>| {
        let addr = s.addr.clone();
        async move {
            let mut headers = vec![("Content-Type", "application/json")];
            if let Some(k) = key {
                headers.push(("Idempotency-Key", k));
            }
            try_send(&addr, "POST", "/api/v1/sessions", &headers, &body).await.unwrap()
        }
    };
    for (key, body, status) in [
        (None, family_booking(&start).to_string().into_bytes(), 400),
        (Some("short"), family_booking(&start).to_string().into_bytes(), 400),
        (Some("key-raw-0001"), b"{not json".to_vec(), 400),
        (Some("key-raw-0002"), b"[1,2,3]".to_vec(), 400),
        (Some("key-raw-0003"), br#"{"session_type_id": 5}"#.to_vec(), 400),
        (Some("key-raw-0004"), br#"{"session_type_id": "set_x", "start": "a", "timezone": "UTC", "client": {}}"#.to_vec(), 400),
        (
            Some("key-raw-0005"),
            format!(r#"{{"session_type_id": "{}", "start": "a", "timezone": "UTC", "client": 1}}"#, family_portrait_id()).into_bytes(),
            400,
        ),
        (
            Some("key-raw-0006"),
            format!(r#"{{"session_type_id": "{}", "start": "a", "timezone": "UTC", "client": {{}}}}"#, make_id("set", "MATERNITYDRAFT")).into_bytes(),
            404,
        ),
        (Some("key-raw-0007"), vec![b' '; 10 * 1024 * 1024], 400),
    ] {
        let a = send_raw(key, body).await;
        assert_eq!(a.status, status, "{key:?}: {}", a.body);
        assert!(a.json()["error"]["code"].is_string());
    }
    assert_eq!(get(&s, "/api/v1/sessions").await.json()["data"].as_array().unwrap().len(), 1);
}

#[tokio::test]
async fn wedding_bookings_are_inquiries() {
    let s = demo().await;
    let wedding = make_id("set", "WEDDING");
    let month = get(&s, &format!("/api/v1/session_types/{wedding}/check-month-avail/2025-9-Europe/London")).await.json();
    let date = month["data"]["available_dates"][0].as_str().unwrap().to_string();
    assert!(date.as_str() >= "2025-08-31", "30 days of notice: {date}");
    let d = chrono::NaiveDate::parse_from_str(&date, "%Y-%m-%d").unwrap();
    let start = first_slot(&s, &wedding, &d.format("%Y-%-m-%-d").to_string(), "Europe/London").await;
    let body = json!({
        "session_type_id": wedding, "start": start, "timezone": "Europe/London",
        "client": {"first_name": "Sam", "last_name": "Lee", "email": "sam@example.com"},
        "answers": {"q_partner": "Alex Kim", "q_venue": "Town Hall", "q_coverage": ["ceremony", "dance"], "q_instagram": "@sam.lee"},
        "payment_method_type": "manual", "payment_option": "partial", "policy_accepted": 1
    });
    let a = book(&s, "key-wedding-1", &body).await;
    assert_eq!(a.status, 201, "{}", a.body);
    assert_eq!(a.json()["data"]["status"], "inquiry");
    assert_eq!(get(&s, "/api/v1/sessions/inquiry/count").await.json(), json!({"data": {"count": 1}}));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_race_for_one_slot_books_it_once() {
    let s = Arc::new(demo().await);
    let start = first_slot(&s, &family_portrait_id(), "2025-8-6", "Europe/London").await;
    let mut tasks = Vec::new();
    for i in 0..40 {
        let s = s.clone();
        let body = family_booking(&start);
        tasks.push(tokio::spawn(async move { book(&s, &format!("race-key-{i:04}"), &body).await.status }));
    }
    let mut statuses = Vec::new();
    for t in tasks {
        statuses.push(t.await.unwrap());
    }
    assert_eq!(statuses.iter().filter(|&&c| c == 201).count(), 1, "{statuses:?}");
    assert_eq!(statuses.iter().filter(|&&c| c == 409).count(), 39);

    // Identical requests with one key, all at once: one session, one id.
    let start2 = first_slot(&s, &family_portrait_id(), "2025-8-7", "Europe/London").await;
    let mut tasks = Vec::new();
    for _ in 0..20 {
        let s = s.clone();
        let body = family_booking(&start2);
        tasks.push(tokio::spawn(async move { book(&s, "same-key-for-all", &body).await }));
    }
    let mut ids = std::collections::BTreeSet::new();
    for t in tasks {
        let a = t.await.unwrap();
        assert_eq!(a.status, 201);
        ids.insert(a.json()["data"]["id"].as_str().unwrap().to_string());
    }
    assert_eq!(ids.len(), 1);
    assert_eq!(get(&s, "/api/v1/sessions").await.json()["data"].as_array().unwrap().len(), 2);
}

#[tokio::test]
async fn cors_preflight_for_any_origin() {
    let s = demo().await;
    let a = preflight(&s, "/api/v1/sessions", "content-type, idempotency-key").await;
    assert_eq!(a.status, 204);
    assert_eq!(a.header("access-control-allow-origin"), Some("*"));
    assert!(a.header("access-control-allow-headers").unwrap().contains("Idempotency-Key"));
    assert!(a.header("access-control-allow-methods").unwrap().contains("POST"));
}

async fn add_fault(s: &Server, rule: Value) {
    let a = send(s, "POST", "/__admin/faults", &[("Content-Type", "application/json")], rule.to_string().as_bytes()).await;
    assert_eq!(a.status, 200, "{}", a.body);
}

#[tokio::test]
async fn injected_faults() {
    let s = demo().await;
    add_fault(&s, json!({"kind": "status", "status": 503, "retry_after": 2, "path": "/session_types", "count": 1})).await;
    let a = get(&s, "/api/v1/session_types/").await;
    assert_eq!((a.status, a.header("retry-after"), a.code()), (503, Some("2"), "unavailable".into()));
    assert_eq!(get(&s, "/api/v1/session_types/").await.status, 200);

    add_fault(&s, json!({"kind": "status", "status": 429, "retry_after": 1, "count": 2})).await;
    assert_eq!(get(&s, "/api/v1/sessions").await.code(), "rate_limited");
    assert_eq!(get(&s, "/api/v1/sessions").await.status, 429);
    assert_eq!(get(&s, "/api/v1/sessions").await.status, 200);

    add_fault(&s, json!({"kind": "status", "status": 500, "body": "<html>oops</html>", "count": 1})).await;
    let a = get(&s, "/api/v1/sessions").await;
    assert_eq!((a.status, a.body.as_str()), (500, "<html>oops</html>"));

    add_fault(&s, json!({"kind": "malformed", "count": 1})).await;
    let a = get(&s, "/api/v1/session_types/").await;
    assert_eq!(a.status, 200);
    assert!(serde_json::from_str::<Value>(&a.body).is_err());

    add_fault(&s, json!({"kind": "truncated", "count": 1})).await;
    let a = get(&s, "/api/v1/session_types/").await;
    assert!(serde_json::from_str::<Value>(&a.body).is_err());
    assert!(a.body.starts_with("{\"data\""));

    add_fault(&s, json!({"kind": "drop", "count": 1})).await;
    assert!(try_send(&s.addr, "GET", "/api/v1/session_types/", &[], b"").await.is_err());

    add_fault(&s, json!({"kind": "latency", "latency_ms": 300, "count": 1})).await;
    let t = std::time::Instant::now();
    assert_eq!(get(&s, "/api/v1/sessions").await.status, 200);
    assert!(t.elapsed() >= Duration::from_millis(300));

    // The answer to a booking is lost after the booking is made; the retry with the same key
    // gets the same session and nothing is booked twice.
    let start = first_slot(&s, &family_portrait_id(), "2025-8-5", "Europe/London").await;
    add_fault(&s, json!({"kind": "drop_after", "method": "POST", "path": "/sessions", "count": 1})).await;
    let body = family_booking(&start);
    assert!(try_send(&s.addr, "POST", "/api/v1/sessions", &[("Idempotency-Key", "lost-answer-1")], body.to_string().as_bytes()).await.is_err());
    let retry = book(&s, "lost-answer-1", &body).await;
    assert_eq!(retry.status, 201);
    assert_eq!(get(&s, "/api/v1/sessions").await.json()["data"].as_array().unwrap().len(), 1);

    let bad = send(&s, "POST", "/__admin/faults", &[], br#"{"kind": "explode"}"#).await;
    assert_eq!(bad.status, 400);
    let faults = get(&s, "/__admin/faults").await.json();
    assert_eq!(faults["data"]["rules"], json!([]));
    assert_eq!(faults["data"]["injected"], 9);
}

#[tokio::test]
async fn reset_and_clock() {
    let s = start(StudioConfig { clock: Clock::Fixed(fixed_now()), ..Default::default() }).await;
    let seeded = get(&s, "/api/v1/sessions").await.json()["data"].as_array().unwrap().len();
    assert_eq!(seeded, 3);
    let start = first_slot(&s, &family_portrait_id(), "2025-8-5", "Europe/London").await;
    assert_eq!(book(&s, "reset-key-1", &family_booking(&start)).await.status, 201);
    assert_eq!(send(&s, "POST", "/__admin/reset", &[], b"").await.status, 200);
    assert_eq!(get(&s, "/api/v1/sessions").await.json()["data"].as_array().unwrap().len(), 3);
    let a = send(&s, "POST", "/__admin/clock", &[], br#"{"now": "2025-12-01T00:00:00Z"}"#).await;
    assert_eq!(a.json()["data"]["now"], "2025-12-01T00:00:00+00:00");
    let m = get(&s, &format!("/api/v1/session_types/{}/check-month-avail/2025-8-UTC", family_portrait_id())).await.json();
    assert_eq!(m["data"]["available_dates"], json!([]));
    assert_eq!(m["data"]["next_available_date"].as_str().map(|d| &d[..7]), Some("2025-12"));
}
