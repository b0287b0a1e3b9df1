//! A client's own session over real HTTP on loopback, with the manage token of its booking:
//! seeing it, moving it and cancelling it within the notice windows as the studio's clock
//! (moved by /__admin/clock) reads them, and every refusal of the contract. Also the coupon
//! endpoint and a contract's signature on the wire (the newborn session, in the demo with
//! `demo_contracts`), and the token kept secret: in the 201
//! and its replays only, never in the studio's list, never in the server's output.

mod common;

use std::time::Duration;

use common::{book, fixed_now, get, preflight, send, set_clock, slots, start, Answer, Server};
use mock_studio::demo::{family_portrait_id, make_id, newborn_id};
use mock_studio::studio::{Clock, Studio, StudioConfig, MANAGE_TOKEN_LEN};
use serde_json::{json, Value};

/// The demo as it starts without options.
async fn demo() -> Server {
    start_demo(false).await
}

/// The demo with its contract session type, the newborn session (`--demo-contracts`).
async fn demo_with_contracts() -> Server {
    start_demo(true).await
}

async fn start_demo(demo_contracts: bool) -> Server {
    start(StudioConfig { clock: Clock::Fixed(fixed_now()), seed_bookings: false, demo_contracts, ..Default::default() }).await
}

/// GET /sessions/{id} with a token (or none).
async fn see(s: &Server, id: &str, token: Option<&str>) -> Answer {
    let headers: Vec<(&str, &str)> = token.map(|t| vec![("Manage-Token", t)]).unwrap_or_default();
    send(s, "GET", &format!("/api/v1/sessions/{id}"), &headers, b"").await
}

async fn cancel(s: &Server, id: &str, token: &str, body: &str) -> Answer {
    send(s, "POST", &format!("/api/v1/sessions/{id}/cancel"), &[("Manage-Token", token), ("Content-Type", "application/json")], body.as_bytes()).await
}

async fn reschedule(s: &Server, id: &str, token: &str, key: &str, start: &str, zone: &str) -> Answer {
    let body = json!({ "start": start, "timezone": zone }).to_string();
    send(
        s,
        "POST",
        &format!("/api/v1/sessions/{id}/reschedule"),
        &[("Manage-Token", token), ("Idempotency-Key", key), ("Content-Type", "application/json")],
        body.as_bytes(),
    )
    .await
}

fn family_booking(start: &str, zone: &str) -> Value {
    json!({
        "session_type_id": family_portrait_id(), "start": start, "timezone": zone,
        "client": {"first_name": "Ana", "last_name": "Silva", "email": "ana@example.com", "phone": "+44 20 7946 0958"},
        "answers": {"q_people": 4, "q_place": "park"},
        "payment_method_type": "manual", "payment_option": "partial", "policy_accepted": true, "coupon_code": "Juniper20"
    })
}

fn newborn_booking(start: &str) -> Value {
    json!({
        "session_type_id": newborn_id(), "start": start, "timezone": "Europe/London",
        "client": {"first_name": "Noor", "last_name": "Haddad", "email": "noor@example.com"},
        "answers": {"q_due": "2025-08-10"},
        "payment_method_type": "pixieset-payments", "payment_option": "partial", "policy_accepted": true,
        "contract_signature": {"name": "Noor Haddad", "agreed": true}
    })
}

/// Books and gives the session's id and manage token.
async fn booked(s: &Server, key: &str, body: &Value) -> (String, String) {
    let a = book(s, key, body).await;
    assert_eq!(a.status, 201, "{}", a.body);
    let data = a.json()["data"].clone();
    (data["id"].as_str().unwrap().to_string(), data["manage_token"].as_str().unwrap().to_string())
}

/// The same instant, whatever offset it is written with.
fn same_instant(a: &Value, b: &str) -> bool {
    let parse = |s: &str| chrono::DateTime::parse_from_rfc3339(s).unwrap();
    a.as_str().is_some_and(|a| parse(a) == parse(b))
}

#[tokio::test]
async fn the_token_comes_with_the_booking_and_its_replays_only() {
    let s = demo().await;
    let start = slots(&s, &family_portrait_id(), "2025-8-5", "Asia/Kathmandu").await[0].clone();
    let body = family_booking(&start, "Asia/Kathmandu");
    let first = book(&s, "key-token-0001", &body).await;
    assert_eq!(first.status, 201, "{}", first.body);
    let token = first.json()["data"]["manage_token"].as_str().unwrap().to_string();
    assert!(token.len() >= 32 && token.len() == MANAGE_TOKEN_LEN && token.bytes().all(|b| b.is_ascii_alphanumeric()), "{token}");
    let replay = book(&s, "key-token-0001", &body).await;
    assert_eq!((replay.status, replay.body.as_str()), (201, first.body.as_str()), "a replay is the first answer, token and all");
    // Another booking, another token.
    let other = slots(&s, &family_portrait_id(), "2025-8-6", "Asia/Kathmandu").await[0].clone();
    let (_, token2) = booked(&s, "key-token-0002", &family_booking(&other, "Asia/Kathmandu")).await;
    assert_ne!(token, token2);

    // The studio's list has neither token, nor any manage_token at all.
    let list = get(&s, "/api/v1/sessions").await;
    assert_eq!(list.json()["data"].as_array().unwrap().len(), 2);
    assert!(!list.body.contains(&token) && !list.body.contains(&token2) && !list.body.contains("manage_token"), "{}", list.body);
    // Nor the client's own view, nor the demo checkout page.
    let id = first.json()["data"]["id"].as_str().unwrap().to_string();
    let mine = see(&s, &id, Some(&token)).await;
    assert_eq!(mine.status, 200, "{}", mine.body);
    assert!(!mine.body.contains(&token) && !mine.body.contains("manage_token"));
    assert!(!get(&s, &format!("/checkout/{id}")).await.body.contains(&token));
}

#[tokio::test]
async fn a_client_sees_their_session_with_its_windows() {
    let s = demo().await;
    // Tuesday 5 August, 09:00 in London, booked from Kathmandu (UTC+05:45).
    let start = slots(&s, &family_portrait_id(), "2025-8-5", "Europe/London").await[0].clone();
    assert_eq!(start, "2025-08-05T09:00:00+01:00");
    let (id, token) = booked(&s, "key-see-00001", &family_booking(&start, "Asia/Kathmandu")).await;
    let a = see(&s, &id, Some(&token)).await;
    assert_eq!(a.status, 200, "{}", a.body);
    assert_eq!(a.header("access-control-allow-origin"), Some("*"));
    let v = a.json()["data"].clone();
    assert_eq!(
        v,
        json!({
            "id": id, "status": "booked", "session_type_id": family_portrait_id(),
            "start": "2025-08-05T13:45:00+05:45", "end": "2025-08-05T14:45:00+05:45", "timezone": "Asia/Kathmandu",
            "client": {"first_name": "Ana", "last_name": "Silva", "email": "ana@example.com"},
            "payment": {"method_type": "manual", "option": "partial", "price": 20_000, "discount": 5_000, "coupon_code": "JUNIPER20",
                        "amount_due": 7_500, "currency": "gbp",
                        "instructions": v["payment"]["instructions"], "checkout_url": null},
            "reschedule_count": 0,
            // 48 hours before for a cancel, 24 for a move, one move allowed.
            "can_cancel_until": "2025-08-03T13:45:00+05:45",
            "can_reschedule_until": "2025-08-04T13:45:00+05:45",
            "reschedules_left": 1,
        })
    );
    assert!(v["payment"]["instructions"].as_str().unwrap().contains("sort code"));

    // Session types that allow less: no cancel and no move for the mini session; moves
    // without a limit for the engagement session.
    let mini = make_id("set", "MINIAUTUMN");
    let mini_start = slots(&s, &mini, "2025-8-2", "Europe/London").await[0].clone();
    let (mini_id, mini_token) = booked(
        &s,
        "key-see-00002",
        &json!({"session_type_id": mini, "start": mini_start, "timezone": "Europe/London",
                "client": {"first_name": "Ben", "last_name": "Okoro", "email": "ben@example.com"}, "answers": {"q_backdrop": "leaves"}}),
    )
    .await;
    let v = see(&s, &mini_id, Some(&mini_token)).await.json()["data"].clone();
    assert_eq!(
        (v["can_cancel_until"].clone(), v["can_reschedule_until"].clone(), v["reschedules_left"].clone()),
        (Value::Null, Value::Null, json!(0))
    );
    assert_eq!(v["payment"], Value::Null);
    assert_eq!(cancel(&s, &mini_id, &mini_token, "").await.status_code(), (422, "not_allowed".into()));
    let later = slots(&s, &mini, "2025-8-2", "Europe/London").await[1].clone();
    assert_eq!(reschedule(&s, &mini_id, &mini_token, "key-mini-move-1", &later, "Europe/London").await.status_code(), (422, "not_allowed".into()));

    let ny = make_id("set", "NYCENGAGEMENT");
    let ny_start = slots(&s, &ny, "2025-8-6", "America/New_York").await[0].clone();
    let (ny_id, ny_token) = booked(
        &s,
        "key-see-00003",
        &json!({"session_type_id": ny, "start": ny_start, "timezone": "America/New_York",
                "client": {"first_name": "Maya", "last_name": "Cruz", "email": "maya@example.com"}, "answers": {"q_partner": "Leo"},
                "payment_method_type": "paypal", "payment_option": "full", "policy_accepted": true, "coupon_code": "nyc50"}),
    )
    .await;
    let v = see(&s, &ny_id, Some(&ny_token)).await.json()["data"].clone();
    assert_eq!(v["reschedules_left"], Value::Null, "no limit");
    assert_eq!((v["payment"]["price"].clone(), v["payment"]["amount_due"].clone()), (json!(55_000), json!(59_881)));
    assert_eq!(v["can_cancel_until"], "2025-07-30T15:00:00-04:00", "7 days before, already past");
    let too_late = cancel(&s, &ny_id, &ny_token, "").await;
    assert_eq!(too_late.status_code(), (409, "too_late".into()));
    assert_eq!(too_late.json()["error"]["details"]["deadline"], "2025-07-30T15:00:00-04:00");
}

#[tokio::test]
async fn a_wrong_missing_or_guessed_token_is_refused_and_an_unknown_session_is_not_found() {
    let s = demo().await;
    let start = slots(&s, &family_portrait_id(), "2025-8-5", "Europe/London").await[0].clone();
    let (id, token) = booked(&s, "key-wrong-0001", &family_booking(&start, "Europe/London")).await;
    let other_start = slots(&s, &family_portrait_id(), "2025-8-6", "Europe/London").await[0].clone();
    let (other_id, other_token) = booked(&s, "key-wrong-0002", &family_booking(&other_start, "Europe/London")).await;

    let mut nearly = token.clone();
    let last = nearly.pop().unwrap();
    nearly.push(if last == 'a' { 'b' } else { 'a' });
    let wrong = [
        None,
        Some(String::new()),
        Some(other_token.clone()), // another session's
        Some(nearly),              // all but its last character right
        Some(token[..32].to_string()),
        Some(format!("{token}x")),
        Some(token.to_lowercase()).filter(|t| t != &token),
        Some(token.to_uppercase()).filter(|t| t != &token),
        Some(format!(" {token}x")),
    ];
    for given in wrong.iter().filter(|g| g.as_deref() != Some(token.as_str())) {
        let given = given.as_deref();
        let a = see(&s, &id, given).await;
        assert_eq!(a.status_code(), (403, "invalid_token".into()), "{given:?}: {}", a.body);
        assert!(!a.body.contains(&token) && !a.body.contains(&other_token), "the message repeats no token");
        if let Some(t) = given {
            assert_eq!(cancel(&s, &id, t, "").await.status_code(), (403, "invalid_token".into()));
            assert_eq!(reschedule(&s, &id, t, "key-wrong-move", &other_start, "UTC").await.status_code(), (403, "invalid_token".into()));
        }
    }
    // Nothing was changed by all that.
    let v = see(&s, &id, Some(&token)).await.json()["data"].clone();
    assert_eq!((v["status"].clone(), v["reschedule_count"].clone()), (json!("booked"), json!(0)));
    assert_eq!(see(&s, &other_id, Some(&other_token)).await.status, 200);

    // An id no session has, or of the wrong shape: not found, token or not.
    for unknown in [make_id("ses", "NOSUCHSESSION"), "ses_short".to_string(), "inquiry".to_string()] {
        assert_eq!(see(&s, &unknown, Some(&token)).await.status_code(), (404, "resource_not_found".into()), "{unknown}");
        assert_eq!(cancel(&s, &unknown, &token, "").await.status, 404);
        assert_eq!(reschedule(&s, &unknown, &token, "key-unknown-1", &start, "UTC").await.status, 404);
    }
    // The wrong methods.
    let a = send(&s, "POST", &format!("/api/v1/sessions/{id}"), &[("Manage-Token", &token)], b"").await;
    assert_eq!((a.status, a.header("allow")), (405, Some("GET")));
    let a = send(&s, "GET", &format!("/api/v1/sessions/{id}/cancel"), &[("Manage-Token", &token)], b"").await;
    assert_eq!((a.status, a.header("allow")), (405, Some("POST")));
}

#[tokio::test]
async fn a_move_frees_the_old_slot_counts_up_to_the_limit_and_replays() {
    let s = demo().await;
    let family = family_portrait_id();
    let day = slots(&s, &family, "2025-8-5", "Europe/London").await;
    assert_eq!(&day[..3], ["2025-08-05T09:00:00+01:00", "2025-08-05T10:00:00+01:00", "2025-08-05T11:00:00+01:00"]);
    let (id, token) = booked(&s, "key-move-00001", &family_booking(&day[0], "Europe/London")).await;
    let taken = slots(&s, &family, "2025-8-5", "Europe/London").await;
    assert!(!taken.contains(&day[0]) && !taken.contains(&day[1]), "its slot and, for the buffers, the next: {taken:?}");

    // Moved to 11:00, seen from New York.
    let new_start = "2025-08-05T06:00:00-04:00";
    let moved = reschedule(&s, &id, &token, "key-move-first", new_start, "America/New_York").await;
    assert_eq!(moved.status, 200, "{}", moved.body);
    let v = moved.json()["data"].clone();
    assert_eq!(
        (v["start"].clone(), v["end"].clone(), v["timezone"].clone()),
        (json!(new_start), json!("2025-08-05T07:00:00-04:00"), json!("America/New_York"))
    );
    assert_eq!((v["reschedule_count"].clone(), v["reschedules_left"].clone()), (json!(1), json!(0)));
    assert_eq!(v["can_reschedule_until"], "2025-08-04T06:00:00-04:00");
    assert_eq!(v["id"], json!(id), "the same session");
    // The old slot is free at once; the new one is taken.
    let now_free = slots(&s, &family, "2025-8-5", "Europe/London").await;
    assert!(now_free.contains(&day[0]) && !now_free.contains(&day[2]), "{now_free:?}");
    // The studio's list says the same.
    let listed = get(&s, "/api/v1/sessions").await.json()["data"][0].clone();
    assert!(same_instant(&listed["start"], new_start));
    assert_eq!(listed["reschedule_count"], 1);

    // The same key and body: the first answer again, nothing moved twice.
    let again = reschedule(&s, &id, &token, "key-move-first", new_start, "America/New_York").await;
    assert_eq!((again.status, again.body.as_str()), (200, moved.body.as_str()));
    // The same key, another body.
    let reused = reschedule(&s, &id, &token, "key-move-first", &day[3], "Europe/London").await;
    assert_eq!(reused.status_code(), (422, "idempotency_key_reused".into()));
    // The family session may be moved once.
    let limit = reschedule(&s, &id, &token, "key-move-second", &day[3], "Europe/London").await;
    assert_eq!(limit.status_code(), (422, "reschedule_limit_reached".into()), "{}", limit.body);
    assert_eq!(get(&s, "/api/v1/sessions").await.json()["data"][0]["reschedule_count"], 1);
    // A replay of the first move still answers as it did, even now that no move is left.
    assert_eq!(reschedule(&s, &id, &token, "key-move-first", new_start, "America/New_York").await.status, 200);
}

#[tokio::test]
async fn a_move_onto_its_own_time_a_taken_slot_or_no_slot_is_refused() {
    let s = demo_with_contracts().await;
    let newborn = newborn_id();
    // The newborn session: two hours from 09:30 or 10:30 on Mondays, Tuesdays and Thursdays.
    let tuesday = slots(&s, &newborn, "2025-8-5", "Europe/London").await;
    assert_eq!(tuesday, ["2025-08-05T09:30:00+01:00", "2025-08-05T10:30:00+01:00"]);
    let (id, token) = booked(&s, "key-own-00001", &newborn_booking(&tuesday[0])).await;
    assert_eq!(slots(&s, &newborn, "2025-8-5", "Europe/London").await, Vec::<String>::new());
    // Its own slot does not stand in the way: 10:30 overlaps the session at 09:30.
    let a = reschedule(&s, &id, &token, "key-own-move-1", &tuesday[1], "Europe/London").await;
    assert_eq!(a.status, 200, "{}", a.body);
    assert_eq!((a.json()["data"]["start"].clone(), a.json()["data"]["reschedules_left"].clone()), (json!(tuesday[1]), json!(1)));

    // Onto the time it has.
    let a = reschedule(&s, &id, &token, "key-own-move-2", "2025-08-05T09:30:00Z", "UTC").await;
    assert_eq!(a.status_code(), (422, "validation_failed".into()));
    assert!(a.json()["error"]["details"]["start"].is_array());
    // Onto another client's session.
    let thursday = slots(&s, &newborn, "2025-8-7", "Europe/London").await;
    let mut other = newborn_booking(&thursday[0]);
    other["client"]["email"] = json!("other@example.com");
    booked(&s, "key-own-00002", &other).await;
    let a = reschedule(&s, &id, &token, "key-own-move-3", &thursday[0], "Europe/London").await;
    assert_eq!(a.status_code(), (409, "slot_unavailable".into()), "{}", a.body);
    // A time the schedule never makes, a start that is no instant, a zone that is none.
    for (body, field) in [
        (json!({"start": "2025-08-07T09:45:00+01:00", "timezone": "Europe/London"}), "start"),
        (json!({"start": "next Thursday", "timezone": "Europe/London"}), "start"),
        (json!({"timezone": "Europe/London"}), "start"),
        (json!({"start": thursday[1], "timezone": "Mars/Olympus"}), "timezone"),
        (json!({"start": thursday[1]}), "timezone"),
    ] {
        let a = send(
            &s,
            "POST",
            &format!("/api/v1/sessions/{id}/reschedule"),
            &[("Manage-Token", &token), ("Idempotency-Key", "key-own-move-4")],
            body.to_string().as_bytes(),
        )
        .await;
        assert_eq!(a.status_code(), (422, "validation_failed".into()), "{body}");
        assert!(a.json()["error"]["details"][field].is_array(), "{body}: {}", a.body);
    }
    // A request that cannot be read: no key, a key too short, a body that is not an object.
    for (key, body) in [(None, "{}"), (Some("short"), "{}"), (Some("key-own-move-5"), "{nope"), (Some("key-own-move-6"), "[]")] {
        let mut headers = vec![("Manage-Token", token.as_str())];
        if let Some(k) = key {
            headers.push(("Idempotency-Key", k));
        }
        let a = send(&s, "POST", &format!("/api/v1/sessions/{id}/reschedule"), &headers, body.as_bytes()).await;
        assert_eq!(a.status_code(), (400, "bad_request".into()), "{key:?} {body}");
    }
    // None of that moved it or used a move.
    let v = see(&s, &id, Some(&token)).await.json()["data"].clone();
    assert_eq!((v["start"].clone(), v["reschedule_count"].clone()), (json!(tuesday[1]), json!(1)));
}

#[tokio::test]
async fn the_windows_close_at_their_instant_on_the_studios_clock() {
    let s = demo_with_contracts().await;
    let newborn = newborn_id();
    // Thursday 7 August, 09:30 in London (08:30 UTC): moves until 48 hours before, cancels
    // until 72 hours before.
    let start = slots(&s, &newborn, "2025-8-7", "Europe/London").await[0].clone();
    assert_eq!(start, "2025-08-07T09:30:00+01:00");
    let (id, token) = booked(&s, "key-edges-0001", &newborn_booking(&start)).await;

    set_clock(&s, "2025-08-04T08:30:01Z").await;
    let late = cancel(&s, &id, &token, "").await;
    assert_eq!(late.status_code(), (409, "too_late".into()), "{}", late.body);
    assert_eq!(late.json()["error"]["details"], json!({"deadline": "2025-08-04T09:30:00+01:00"}));

    set_clock(&s, "2025-08-05T08:30:01Z").await;
    let monday = "2025-08-11T09:30:00+01:00";
    let late = reschedule(&s, &id, &token, "key-edges-move", monday, "Europe/London").await;
    assert_eq!(late.status_code(), (409, "too_late".into()), "{}", late.body);
    assert_eq!(late.json()["error"]["details"], json!({"deadline": "2025-08-05T09:30:00+01:00"}));
    // The client's view still says until when it was possible.
    let v = see(&s, &id, Some(&token)).await.json()["data"].clone();
    assert_eq!(
        (v["can_cancel_until"].clone(), v["can_reschedule_until"].clone()),
        (json!("2025-08-04T09:30:00+01:00"), json!("2025-08-05T09:30:00+01:00"))
    );

    // At the very instant, it is still possible (the refused key is free to use again).
    set_clock(&s, "2025-08-05T08:30:00Z").await;
    let moved = reschedule(&s, &id, &token, "key-edges-move", monday, "Europe/London").await;
    assert_eq!(moved.status, 200, "{}", moved.body);
    // The new start has its own windows: cancel until 72 hours before Monday 09:30.
    assert_eq!(moved.json()["data"]["can_cancel_until"], "2025-08-08T09:30:00+01:00");
    set_clock(&s, "2025-08-08T08:30:00Z").await;
    let cancelled = cancel(&s, &id, &token, r#"{"reason": "  The baby came early!  "}"#).await;
    assert_eq!(cancelled.status, 200, "{}", cancelled.body);
    let v = cancelled.json()["data"].clone();
    assert_eq!(v["status"], "cancelled");
    assert_eq!((v["can_cancel_until"].clone(), v["can_reschedule_until"].clone()), (Value::Null, Value::Null));
    let listed = get(&s, "/api/v1/sessions").await.json()["data"][0].clone();
    assert_eq!(
        (listed["status"].clone(), listed["cancelled_at"].clone(), listed["cancel_reason"].clone()),
        (json!("cancelled"), json!("2025-08-08T08:30:00+00:00"), json!("The baby came early!"))
    );
}

#[tokio::test]
async fn a_cancel_frees_the_slot_and_a_cancelled_session_stays_cancelled() {
    let s = demo().await;
    let family = family_portrait_id();
    let start = slots(&s, &family, "2025-8-6", "Europe/London").await[0].clone();
    let (id, token) = booked(&s, "key-cancel-001", &family_booking(&start, "Europe/London")).await;
    assert!(!slots(&s, &family, "2025-8-6", "Europe/London").await.contains(&start));
    // A body that cannot be read, or a reason too long, cancels nothing.
    for (body, expected) in [("{nope", (400, "bad_request")), (r#"{"reason": 5}"#, (400, "bad_request"))] {
        assert_eq!(cancel(&s, &id, &token, body).await.status_code(), (expected.0, expected.1.to_string()), "{body}");
    }
    let long = json!({ "reason": "x".repeat(501) }).to_string();
    let a = cancel(&s, &id, &token, &long).await;
    assert_eq!(a.status_code(), (422, "validation_failed".into()));
    assert!(a.json()["error"]["details"]["reason"].is_array());
    assert_eq!(see(&s, &id, Some(&token)).await.json()["data"]["status"], "booked");

    // No body at all is a cancel without a reason.
    let a = send(&s, "POST", &format!("/api/v1/sessions/{id}/cancel"), &[("Manage-Token", &token)], b"").await;
    assert_eq!(a.status, 200, "{}", a.body);
    assert_eq!(a.json()["data"]["status"], "cancelled");
    // The slot is free at once, and another client books it.
    assert!(slots(&s, &family, "2025-8-6", "Europe/London").await.contains(&start));
    let mut next = family_booking(&start, "Europe/London");
    next["client"]["email"] = json!("next@example.com");
    booked(&s, "key-cancel-002", &next).await;

    // Cancelling again: 200 with it as it is, whatever the clock says.
    set_clock(&s, "2025-08-06T08:00:00Z").await;
    let again = cancel(&s, &id, &token, r#"{"reason": "twice"}"#).await;
    assert_eq!((again.status, again.json()["data"]["status"].clone()), (200, json!("cancelled")));
    let listed = get(&s, "/api/v1/sessions").await.json()["data"][0].clone();
    assert_eq!((listed["status"].clone(), listed.get("cancel_reason").cloned()), (json!("cancelled"), None), "the first cancel stands");
    // A cancelled session is moved no more.
    set_clock(&s, "2025-08-01T09:00:00Z").await;
    let later = slots(&s, &family, "2025-8-7", "Europe/London").await[0].clone();
    let a = reschedule(&s, &id, &token, "key-cancel-move", &later, "Europe/London").await;
    assert_eq!(a.status_code(), (409, "session_cancelled".into()));
    // A cancelled session is no inquiry and blocks nothing.
    assert_eq!(get(&s, "/api/v1/sessions/inquiry/count").await.json()["data"]["count"], 0);
}

#[tokio::test]
async fn the_coupon_endpoint_and_a_signed_contract_on_the_wire() {
    let s = demo_with_contracts().await;
    let family = family_portrait_id();
    let a = get(&s, &format!("/api/v1/session_types/{family}/coupons/juniper20")).await;
    assert_eq!(a.status, 200, "{}", a.body);
    assert_eq!(a.header("access-control-allow-origin"), Some("*"));
    assert_eq!(a.json()["data"]["code"], "JUNIPER20");
    assert_eq!(get(&s, &format!("/api/v1/session_types/{family}/coupons/%20Juniper20%20")).await.status, 200);
    for (code, expected) in [
        ("EARLYBIRD", (422, "coupon_expired")),
        ("firstten", (422, "coupon_used_up")),
        ("OLDFRIENDS", (404, "coupon_not_found")),
        ("HEADSHOTPRO", (404, "coupon_not_found")),
        ("NOPE", (404, "coupon_not_found")),
        ("a%2Fb", (404, "coupon_not_found")),
    ] {
        let a = get(&s, &format!("/api/v1/session_types/{family}/coupons/{code}")).await;
        assert_eq!(a.status_code(), (expected.0, expected.1.to_string()), "{code}: {}", a.body);
    }
    let a = send(&s, "POST", &format!("/api/v1/session_types/{family}/coupons/JUNIPER20"), &[], b"").await;
    assert_eq!(a.status, 405);

    // A contract signed while booking, and found on the studio with its name.
    let newborn = newborn_id();
    let t = get(&s, &format!("/api/v1/session_types/{newborn}")).await.json()["data"].clone();
    assert_eq!(t["contract"]["id"], make_id("ct", "NEWBORN"));
    let start = slots(&s, &newborn, "2025-8-5", "Europe/London").await[0].clone();
    let mut unsigned = newborn_booking(&start);
    unsigned.as_object_mut().unwrap().remove("contract_signature");
    let a = book(&s, "key-contract-01", &unsigned).await;
    assert_eq!(a.status_code(), (422, "validation_failed".into()));
    assert!(a.json()["error"]["details"]["contract_signature"].is_array());
    let (id, _) = booked(&s, "key-contract-02", &newborn_booking(&start)).await;
    let listed = get(&s, "/api/v1/sessions").await.json()["data"][0].clone();
    assert_eq!(listed["id"], json!(id));
    assert_eq!(listed["contract_signature"], json!({"name": "Noor Haddad", "signed_at": "2025-08-01T09:00:00+00:00"}));
}

#[tokio::test]
async fn a_preflight_allows_the_manage_token_header() {
    let s = demo().await;
    let a = preflight(&s, "/api/v1/sessions/ses_X/cancel", "manage-token").await;
    assert_eq!(a.status, 204);
    assert!(a.header("access-control-allow-headers").unwrap().contains("Manage-Token"));
}

/// A token nearly right takes as long to refuse as one all wrong, and an unknown session as
/// long as a known one: every check is one digest and one comparison of 32 bytes. Timed in
/// the studio itself (no sockets), alternating the kinds in rounds and keeping each kind's
/// fastest round, so that a busy machine slows all alike; the bound is loose, as a test on a
/// shared machine must be, yet an early exit on the first wrong character would still show.
#[test]
fn a_guessed_token_is_refused_as_fast_as_a_wrong_one() {
    let mut studio = Studio::demo(StudioConfig { clock: Clock::Fixed(fixed_now()), seed_bookings: false, ..Default::default() });
    let start = studio.day_availability(&family_portrait_id(), "2025-8-5-Europe/London").body["data"]["slots"][0]["start"].clone();
    let reply = studio.book(Some("key-timing-01"), family_booking(start.as_str().unwrap(), "Europe/London").to_string().as_bytes());
    let id = reply.body["data"]["id"].as_str().unwrap().to_string();
    let token = reply.body["data"]["manage_token"].as_str().unwrap().to_string();
    let mut nearly = token.clone();
    nearly.pop();
    nearly.push(if token.ends_with('Z') { 'Y' } else { 'Z' });
    let all_wrong = "0".repeat(token.len());
    let unknown = make_id("ses", "NOSUCHSESSION");
    let kinds: [(&str, &str); 3] = [(&id, &nearly), (&id, &all_wrong), (&unknown, &token)];
    for (session, given) in kinds {
        assert!(studio.client_session(session, Some(given)).status >= 400);
    }
    let mut fastest = [Duration::MAX; 3];
    for _ in 0..7 {
        for (k, (session, given)) in kinds.iter().enumerate() {
            let t = std::time::Instant::now();
            for _ in 0..400 {
                std::hint::black_box(studio.client_session(session, Some(given)));
            }
            fastest[k] = fastest[k].min(t.elapsed());
        }
    }
    let (min, max) = (fastest.iter().min().unwrap(), fastest.iter().max().unwrap());
    assert!(max.as_secs_f64() < 3.0 * min.as_secs_f64(), "nearly right, all wrong, unknown session: {fastest:?}");
}

/// The binary prints a line when it listens and one when it stops, and nothing of a
/// session's token in between, whatever is done with it.
#[cfg(unix)]
#[test]
fn the_server_never_prints_a_token() {
    use std::io::{BufRead, BufReader, Read, Write};
    use std::process::{Command, Stdio};

    let mut child = Command::new(env!("CARGO_BIN_EXE_mock-studio"))
        .args(["--addr", "127.0.0.1:0", "--now", "2025-08-01T09:00:00Z", "--no-seed"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the binary starts");
    let mut stdout = BufReader::new(child.stdout.take().unwrap());
    let mut first = String::new();
    stdout.read_line(&mut first).unwrap();
    let addr = first.split("http://").nth(1).and_then(|r| r.split('/').next()).expect("the address it listens on").to_string();
    let http = |method: &str, path: &str, headers: &[(&str, &str)], body: &str| -> String {
        let mut stream = std::net::TcpStream::connect(&addr).unwrap();
        let mut head = format!("{method} {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\nContent-Length: {}\r\n", body.len());
        for (k, v) in headers {
            head.push_str(&format!("{k}: {v}\r\n"));
        }
        stream.write_all(format!("{head}\r\n{body}").as_bytes()).unwrap();
        let mut out = String::new();
        stream.read_to_string(&mut out).unwrap();
        out.split_once("\r\n\r\n").map(|(_, b)| b.to_string()).unwrap_or_default()
    };
    let day: Value = serde_json::from_str(&http(
        "GET",
        &format!("/api/v1/session_types/{}/check-day-avail/2025-8-5-Europe/London", family_portrait_id()),
        &[],
        "",
    ))
    .unwrap();
    let start = day["data"]["slots"][0]["start"].as_str().unwrap().to_string();
    let booked: Value =
        serde_json::from_str(&http("POST", "/api/v1/sessions", &[("Idempotency-Key", "key-binary-01")], &family_booking(&start, "UTC").to_string()))
            .unwrap();
    let id = booked["data"]["id"].as_str().unwrap().to_string();
    let token = booked["data"]["manage_token"].as_str().unwrap().to_string();
    let path = format!("/api/v1/sessions/{id}");
    assert!(http("GET", &path, &[("Manage-Token", &token)], "").contains("\"booked\""));
    assert!(http("GET", &path, &[("Manage-Token", &token[1..])], "").contains("invalid_token"));
    assert!(http("POST", &format!("{path}/cancel"), &[("Manage-Token", &token)], "").contains("\"cancelled\""));

    let stopped = Command::new("kill").args(["-TERM", &child.id().to_string()]).status().unwrap();
    assert!(stopped.success());
    let mut rest = String::new();
    stdout.read_to_string(&mut rest).unwrap();
    let out = child.wait_with_output().unwrap();
    let printed = format!("{first}{rest}{}", String::from_utf8_lossy(&out.stderr));
    assert!(printed.contains("mock-studio stopped"), "{printed}");
    assert!(!printed.contains(&token) && !printed.contains(&token[1..]) && !printed.contains(&token[..20]), "{printed}");
}
