//! Coupons and contracts in the studio itself, without HTTP: every answer of the coupon
//! endpoint, the amounts a booking with a code comes to in each of the demo's currencies
//! (with and without a deposit, taxes included and added), the uses a code counts, and the
//! signature a contract asks for. The newborn session, the demo's one type with a contract
//! (and its code NEWBORN10), is there with the option `demo_contracts` (`--demo-contracts`)
//! only, which these tests turn on; the last ones check the demo without it.

use mock_studio::demo::{family_portrait_id, make_id, newborn_id};
use mock_studio::studio::{Clock, Studio, StudioConfig};
use serde_json::{json, Value};

/// 2025-08-01 09:00 UTC, a Friday: the demo's dates (and its coupons' expiry) are laid out
/// from it.
fn at(instant: &str) -> chrono::DateTime<chrono::Utc> {
    chrono::DateTime::parse_from_rfc3339(instant).unwrap().with_timezone(&chrono::Utc)
}

/// The demo with its contract session type (`--demo-contracts`).
fn studio() -> Studio {
    Studio::demo(StudioConfig { demo_contracts: true, ..default_demo_config() })
}

/// The demo as it starts without options: no session type with a contract.
fn default_demo_config() -> StudioConfig {
    StudioConfig { clock: Clock::Fixed(at("2025-08-01T09:00:00Z")), seed_bookings: false, ..Default::default() }
}

fn headshots() -> String {
    make_id("set", "HEADSHOTS")
}
fn tokyo() -> String {
    make_id("set", "TOKYOPORTRAITS")
}
fn engagement() -> String {
    make_id("set", "NYCENGAGEMENT")
}

fn code_of(reply: &mock_studio::studio::Reply) -> (u16, String) {
    (reply.status, reply.body["error"]["code"].as_str().unwrap_or("").to_string())
}

/// The `n`th slot of a day (unpadded "2025-8-5") in a zone.
fn slot(studio: &Studio, type_id: &str, day: &str, zone: &str, n: usize) -> String {
    let a = studio.day_availability(type_id, &format!("{day}-{zone}"));
    assert_eq!(a.status, 200, "{}", a.body);
    a.body["data"]["slots"][n]["start"].as_str().unwrap_or_else(|| panic!("no slot {n} on {day}: {}", a.body)).to_string()
}

/// A booking request that each demo session type accepts, at `start`.
fn request(type_id: &str, start: &str) -> Value {
    let mut r = json!({
        "session_type_id": type_id, "start": start, "timezone": "Europe/London",
        "client": {"first_name": "Ana", "last_name": "Silva", "email": "ana@example.com"},
        "payment_method_type": "pixieset-payments", "payment_option": "full", "policy_accepted": true,
    });
    r["answers"] = if type_id == family_portrait_id() {
        json!({"q_people": 3, "q_place": "studio"})
    } else if type_id == headshots() {
        json!({"q_company": "Acme", "q_background": "white"})
    } else if type_id == engagement() {
        json!({"q_partner": "Leo"})
    } else if type_id == newborn_id() {
        r["contract_signature"] = json!({"name": "Ana Silva", "agreed": true});
        json!({"q_due": "2025-08-20"})
    } else {
        json!({})
    };
    r
}

fn book(studio: &mut Studio, key: &str, body: &Value) -> mock_studio::studio::Reply {
    studio.book(Some(key), body.to_string().as_bytes())
}

/// The first slot still free of a session type, from 2 August 2025 on, in a zone.
fn first_free(studio: &Studio, type_id: &str, zone: &str) -> String {
    let mut day = chrono::NaiveDate::from_ymd_opt(2025, 8, 2).unwrap();
    for _ in 0..120 {
        let a = studio.day_availability(type_id, &format!("{}-{zone}", day.format("%Y-%-m-%-d")));
        if let Some(start) = a.body["data"]["slots"][0]["start"].as_str() {
            return start.to_string();
        }
        day = day.succ_opt().unwrap();
    }
    panic!("no free slot of {type_id} in four months");
}

#[test]
fn the_coupon_endpoint_answers_each_code_as_the_contract_says() {
    let s = studio();
    let family = family_portrait_id();
    let ok = s.check_coupon(&family, "JUNIPER20");
    assert_eq!(ok.status, 200, "{}", ok.body);
    assert_eq!(ok.body["data"], json!({"code": "JUNIPER20", "discount_type": "percentage", "discount_value": 20, "expires_at": null}));
    // Whatever the case, and with spaces around; the answer gives the studio's spelling.
    for typed in ["juniper20", "Juniper20", " JUNIPER20 ", "jUnIpEr20"] {
        assert_eq!(s.check_coupon(&family, typed).body["data"]["code"], "JUNIPER20", "{typed}");
    }
    assert_eq!(
        s.check_coupon(&family, "take25").body["data"],
        json!({"code": "TAKE25", "discount_type": "fixed", "discount_value": 2500, "expires_at": "2025-09-29T23:00:00+00:00"})
    );
    assert_eq!(s.check_coupon(&headshots(), "headshotpro").body["data"]["discount_value"], json!(12.5));

    for (type_id, code, expected) in [
        (family.clone(), "NOSUCHCODE", (404, "coupon_not_found")),
        (family.clone(), "OLDFRIENDS", (404, "coupon_not_found")),  // switched off
        (family.clone(), "HEADSHOTPRO", (404, "coupon_not_found")), // another session type's
        (tokyo(), "NYC50", (404, "coupon_not_found")),
        (tokyo(), "TAKE25", (404, "coupon_not_found")),                         // pounds, not yen
        (make_id("set", "MINIAUTUMN"), "JUNIPER20", (404, "coupon_not_found")), // takes no coupons
        (family.clone(), &"J".repeat(65), (404, "coupon_not_found")),
        (family.clone(), "JUNIPER2", (404, "coupon_not_found")),
        (family.clone(), "EARLYBIRD", (422, "coupon_expired")),
        (family.clone(), "earlybird", (422, "coupon_expired")),
        (family.clone(), "FIRSTTEN", (422, "coupon_used_up")),
        (make_id("set", "MATERNITYDRAFT"), "JUNIPER20", (404, "resource_not_found")),
        (make_id("set", "NOSUCH"), "JUNIPER20", (404, "resource_not_found")),
        ("set_x".to_string(), "JUNIPER20", (404, "resource_not_found")),
    ] {
        let r = s.check_coupon(&type_id, code);
        assert_eq!(code_of(&r), (expected.0, expected.1.to_string()), "{type_id} {code}: {}", r.body);
        assert!(r.body["error"]["message"].as_str().is_some_and(|m| !m.is_empty()));
    }
}

#[test]
fn a_code_expires_at_its_instant_on_the_studios_clock() {
    let mut s = studio();
    let family = family_portrait_id();
    // TAKE25 expires at the start of the 60th day from the demo's first: 2025-09-30 00:00 in London.
    s.set_clock(Clock::Fixed(at("2025-09-29T22:59:59Z")));
    assert_eq!(s.check_coupon(&family, "TAKE25").status, 200);
    s.set_clock(Clock::Fixed(at("2025-09-29T23:00:00Z")));
    assert_eq!(code_of(&s.check_coupon(&family, "TAKE25")), (422, "coupon_expired".into()));
    // And a booking with it is refused for that reason, by the code in details.coupon_code.
    let start = slot(&s, &family, "2025-10-7", "Europe/London", 0);
    let mut body = request(&family, &start);
    body["coupon_code"] = json!("take25");
    let r = book(&mut s, "key-expired-1", &body);
    assert_eq!(code_of(&r), (422, "validation_failed".into()), "{}", r.body);
    assert_eq!(r.body["error"]["details"], json!({"coupon_code": ["coupon_expired"]}));
}

#[test]
fn a_booking_refuses_each_bad_code_by_its_code() {
    let mut s = studio();
    let start = slot(&s, &family_portrait_id(), "2025-8-5", "Europe/London", 0);
    for (code, why) in [
        ("NOSUCHCODE", "coupon_not_found"),
        ("oldfriends", "coupon_not_found"),
        ("HEADSHOTPRO", "coupon_not_found"),
        ("EARLYBIRD", "coupon_expired"),
        ("FIRSTTEN", "coupon_used_up"),
    ] {
        let mut body = request(&family_portrait_id(), &start);
        body["coupon_code"] = json!(code);
        let r = book(&mut s, &format!("key-bad-code-{code}"), &body);
        assert_eq!(code_of(&r), (422, "validation_failed".into()), "{code}: {}", r.body);
        assert_eq!(r.body["error"]["details"]["coupon_code"], json!([why]), "{code}");
    }
    // A code on a session type that takes none.
    let mini = make_id("set", "MINIAUTUMN");
    let mini_start = slot(&s, &mini, "2025-8-2", "Europe/London", 0);
    let r = book(
        &mut s,
        "key-bad-code-mini",
        &json!({
            "session_type_id": mini, "start": mini_start, "timezone": "Europe/London",
            "client": {"first_name": "Ben", "last_name": "Okoro", "email": "ben@example.com"},
            "answers": {"q_backdrop": "leaves"}, "coupon_code": "JUNIPER20"
        }),
    );
    assert_eq!(r.body["error"]["details"], json!({"coupon_code": ["coupon_not_found"]}));
    // Not a string: the request itself is malformed. Empty or null: no code at all.
    let mut body = request(&family_portrait_id(), &start);
    body["coupon_code"] = json!(20);
    assert_eq!(code_of(&book(&mut s, "key-bad-code-number", &body)), (400, "bad_request".into()));
    for (i, none) in [json!(""), json!("   "), Value::Null].into_iter().enumerate() {
        let mut body = request(&family_portrait_id(), &slot(&s, &family_portrait_id(), "2025-8-5", "Europe/London", 0));
        body["coupon_code"] = none;
        let r = book(&mut s, &format!("key-no-code-{i}"), &body);
        assert_eq!(r.status, 201, "{}", r.body);
        assert_eq!(r.body["data"]["payment"]["discount"], 0);
        assert_eq!(r.body["data"]["payment"]["coupon_code"], Value::Null);
        assert_eq!(r.body["data"]["payment"]["price"], 25_000);
    }
    assert_eq!(s.list_sessions().body["data"].as_array().unwrap().len(), 3);
}

/// (session type, code, payment option) and the payment expected: (price, discount, amount due).
#[test]
fn amounts_in_pounds_dollars_and_yen_with_and_without_deposits_and_taxes() {
    let cases: [(String, Option<&str>, &str, [u64; 3]); 23] = [
        // GBP with a deposit, VAT included (£250, deposit £75).
        (family_portrait_id(), None, "full", [25_000, 0, 25_000]),
        (family_portrait_id(), Some("JUNIPER20"), "full", [20_000, 5_000, 20_000]),
        (family_portrait_id(), Some("juniper20"), "partial", [20_000, 5_000, 7_500]),
        (family_portrait_id(), Some("TAKE25"), "full", [22_500, 2_500, 22_500]),
        (family_portrait_id(), Some("TAKE25"), "partial", [22_500, 2_500, 7_500]),
        // GBP without a deposit, VAT added (£150 + 20 %).
        (headshots(), None, "full", [15_000, 0, 18_000]),
        (headshots(), Some("JUNIPER20"), "full", [12_000, 3_000, 14_400]),
        (headshots(), Some("HEADSHOTPRO"), "full", [13_125, 1_875, 15_750]), // 12.5 %
        (headshots(), Some("TAKE25"), "full", [12_500, 2_500, 15_000]),
        // USD with a deposit, NY sales tax added ($600, deposit $200, 8.875 %).
        (engagement(), None, "partial", [60_000, 0, 21_775]),
        (engagement(), Some("JUNIPER20"), "full", [48_000, 12_000, 52_260]),
        (engagement(), Some("JUNIPER20"), "partial", [48_000, 12_000, 21_775]),
        (engagement(), Some("NYC50"), "full", [55_000, 5_000, 59_881]), // tax 4,881.25 -> 4,881
        // A $450 gift card leaves $150, less than the deposit: the deposit is the price.
        (engagement(), Some("NYGIFT450"), "partial", [15_000, 45_000, 16_331]), // tax 1,331.25 -> 1,331
        (engagement(), Some("NYGIFT450"), "full", [15_000, 45_000, 16_331]),
        // JPY with a deposit, consumption tax included (¥45,000, deposit ¥15,000).
        (tokyo(), None, "full", [45_000, 0, 45_000]),
        (tokyo(), Some("JUNIPER20"), "full", [36_000, 9_000, 36_000]),
        (tokyo(), Some("JUNIPER20"), "partial", [36_000, 9_000, 15_000]),
        (tokyo(), Some("TOKYO5000"), "partial", [40_000, 5_000, 15_000]),
        // A ¥50,000 gift card on a ¥45,000 session takes ¥45,000 off, not more.
        (tokyo(), Some("TOKYOGIFT"), "full", [0, 45_000, 0]),
        // 100 % off.
        (family_portrait_id(), Some("ONTHEHOUSE"), "partial", [0, 25_000, 0]),
        (engagement(), Some("ONTHEHOUSE"), "full", [0, 60_000, 0]),
        (newborn_id(), Some("JUNIPER20"), "partial", [28_000, 7_000, 10_000]),
    ];
    let mut s = studio();
    for (i, (type_id, code, option, [price, discount, due])) in cases.iter().enumerate() {
        // Each takes the first slot left free by the others.
        let zone = match type_id.as_str() {
            t if t == tokyo() => "Asia/Tokyo",
            t if t == engagement() => "America/New_York",
            _ => "Europe/London",
        };
        let start = first_free(&s, type_id, zone);
        let mut body = request(type_id, &start);
        body["timezone"] = json!(zone);
        body["payment_option"] = json!(option);
        if type_id == &tokyo() {
            body["payment_method_type"] = json!("manual");
        }
        if let Some(code) = code {
            body["coupon_code"] = json!(code);
        }
        let r = book(&mut s, &format!("key-amounts-{i:02}"), &body);
        assert_eq!(r.status, 201, "case {i} {type_id} {code:?}: {}", r.body);
        let p = &r.body["data"]["payment"];
        assert_eq!(
            (p["price"].as_u64(), p["discount"].as_u64(), p["amount_due"].as_u64()),
            (Some(*price), Some(*discount), Some(*due)),
            "case {i} {type_id} {code:?} {option}: {p}"
        );
        assert_eq!(p["coupon_code"], code.map_or(Value::Null, |c| json!(c.to_uppercase())), "case {i}");
        if *price == 0 {
            // Nothing to pay: no method, no checkout.
            assert_eq!(
                (p["method_type"].clone(), p["checkout_url"].clone(), p["option"].clone()),
                (Value::Null, Value::Null, json!("full")),
                "case {i}"
            );
        } else {
            assert!(p["method_type"].is_string(), "case {i}");
        }
    }
}

#[test]
fn a_price_of_nothing_needs_no_payment_method() {
    let mut s = studio();
    let family = family_portrait_id();
    let start = slot(&s, &family, "2025-8-5", "Europe/London", 0);
    let mut body = request(&family, &start);
    body["payment_method_type"] = Value::Null;
    body["payment_option"] = Value::Null;
    // Without the code, a method and an option are needed.
    let r = book(&mut s, "key-free-1", &body);
    let details = r.body["error"]["details"].clone();
    assert!(details["payment_method_type"].is_array() && details["payment_option"].is_array(), "{details}");
    body["coupon_code"] = json!("onthehouse");
    let r = book(&mut s, "key-free-2", &body);
    assert_eq!(r.status, 201, "{}", r.body);
    assert_eq!(
        r.body["data"]["payment"],
        json!({"method_type": null, "option": "full", "price": 0, "discount": 25_000, "coupon_code": "ONTHEHOUSE", "amount_due": 0,
               "currency": "gbp", "instructions": null, "checkout_url": null})
    );
    // A method sent anyway is not used: nothing is to be paid.
    let start = slot(&s, &family, "2025-8-5", "Europe/London", 0);
    let mut body = request(&family, &start);
    body["payment_method_type"] = json!("paypal"); // not even enabled for this session type
    body["coupon_code"] = json!("ONTHEHOUSE");
    let r = book(&mut s, "key-free-3", &body);
    assert_eq!(r.status, 201, "{}", r.body);
    assert_eq!(r.body["data"]["payment"]["method_type"], Value::Null);
}

#[test]
fn a_use_is_counted_once_per_booking_never_for_a_replay_or_a_refusal() {
    let mut s = studio();
    let newborn = newborn_id();
    // NEWBORN10 allows three uses and has had one.
    assert_eq!(s.check_coupon(&newborn, "newborn10").status, 200);
    let next = |s: &mut Studio, key: &str, code: &str| {
        let mut body = request(&newborn, &first_free(s, &newborn, "Europe/London"));
        body["coupon_code"] = json!(code);
        book(s, key, &body)
    };
    let first = first_free(&s, &newborn, "Europe/London");
    let mut body = request(&newborn, &first);
    body["coupon_code"] = json!("newborn10");
    let r = book(&mut s, "key-uses-first", &body);
    assert_eq!(r.status, 201, "{}", r.body);
    assert_eq!(r.body["data"]["payment"]["discount"], 3_500);
    // The same request again (a retry): the same answer, no second use.
    for _ in 0..3 {
        assert_eq!(book(&mut s, "key-uses-first", &body), r);
    }
    assert_eq!(s.check_coupon(&newborn, "NEWBORN10").status, 200, "one use left");
    // A booking refused for its slot (taken by the first) uses nothing.
    let taken = book(&mut s, "key-uses-taken", &body);
    assert_eq!(code_of(&taken), (409, "slot_unavailable".into()));
    // A booking refused for its answers uses nothing either.
    let mut bad = body.clone();
    bad["client"]["email"] = json!("nope");
    assert_eq!(book(&mut s, "key-uses-bad", &bad).status, 422);
    assert_eq!(s.check_coupon(&newborn, "NEWBORN10").status, 200, "still one use left");
    // The last use, then none.
    let r = next(&mut s, "key-uses-last", "NEWBORN10");
    assert_eq!(r.status, 201, "{}", r.body);
    assert_eq!(code_of(&s.check_coupon(&newborn, "NEWBORN10")), (422, "coupon_used_up".into()));
    let r = next(&mut s, "key-uses-none-left", "NEWBORN10");
    assert_eq!(r.body["error"]["details"], json!({"coupon_code": ["coupon_used_up"]}));
    // Codes without a limit go on.
    for i in 0..2 {
        assert_eq!(next(&mut s, &format!("key-uses-unlimited-{i}"), "JUNIPER20").status, 201);
    }
    assert_eq!(s.check_coupon(&newborn, "JUNIPER20").status, 200);
}

#[test]
fn a_contract_needs_a_signature_which_the_studio_keeps() {
    let mut s = studio();
    let newborn = newborn_id();
    let t = s.get_session_type(&newborn).body["data"].clone();
    assert_eq!(t["contract"]["id"], t["contract_template_id"]);
    assert!(t["contract"]["title"].as_str().unwrap().contains("agreement"));
    let html = t["contract"]["body"].as_str().unwrap();
    assert!(html.starts_with("<h3>") && html.contains("<h4>") && !html.contains("<script"), "{html}");

    let start = slot(&s, &newborn, "2025-8-5", "Europe/London", 0);
    let signed = |sig: Value| {
        let mut body = request(&newborn, &start);
        body["contract_signature"] = sig;
        body
    };
    for (i, sig) in [
        Value::Null,
        json!({"name": "Ana Silva", "agreed": false}),
        json!({"name": "Ana Silva"}),
        json!({"name": " A ", "agreed": true}),
        json!({"name": "A".repeat(121), "agreed": true}),
        json!({"agreed": true}),
        json!({"name": 7, "agreed": true}),
    ]
    .into_iter()
    .enumerate()
    {
        let r = book(&mut s, &format!("key-sign-bad-{i}"), &signed(sig.clone()));
        assert_eq!(code_of(&r), (422, "validation_failed".into()), "{sig}: {}", r.body);
        let details = r.body["error"]["details"].as_object().unwrap();
        assert_eq!(details.keys().collect::<Vec<_>>(), ["contract_signature"], "{sig}");
        assert!(details["contract_signature"][0].as_str().is_some_and(|m| m.len() > 10));
    }
    let mut body = signed(json!("Ana Silva"));
    assert_eq!(code_of(&book(&mut s, "key-sign-string", &body)), (400, "bad_request".into()));

    body = signed(json!({"name": "  Ana Maria Silva  ", "agreed": true}));
    let r = book(&mut s, "key-sign-good", &body);
    assert_eq!(r.status, 201, "{}", r.body);
    let expected = json!({"name": "Ana Maria Silva", "signed_at": "2025-08-01T09:00:00+00:00"});
    assert_eq!(r.body["data"]["contract_signature"], expected);
    let listed = s.list_sessions().body["data"][0].clone();
    assert_eq!(listed["contract_signature"], expected);

    // A session type without a contract keeps no signature, even one sent.
    let family = family_portrait_id();
    let mut body = request(&family, &slot(&s, &family, "2025-8-6", "Europe/London", 0));
    body["contract_signature"] = json!({"name": "Ana Silva", "agreed": true});
    let r = book(&mut s, "key-sign-none", &body);
    assert_eq!(r.status, 201, "{}", r.body);
    assert_eq!(r.body["data"]["contract_signature"], Value::Null);
    assert_eq!(r.body["data"]["reschedule_count"], 0);
}

#[test]
fn the_demo_offers_every_kind_of_session_type_the_issue_asks_for() {
    let s = studio();
    let all = s.list_session_types(None, None).body["data"].as_array().unwrap().clone();
    let published: Vec<&Value> = all.iter().filter(|t| t["status"] == "published").collect();
    let yes = |v: &Value| v == &json!(true) || v == &json!(1);
    assert!(published.iter().any(|t| t["contract"].is_object()), "a contract");
    assert!(published.iter().filter(|t| yes(&t["accepts_coupons"])).count() >= 4, "coupons in pounds, dollars and yen");
    assert!(published.iter().any(|t| yes(&t["allow_client_cancel"]) && yes(&t["allow_client_reschedule"]) && t["max_client_reschedules"].is_u64()));
    assert!(published.iter().any(|t| yes(&t["allow_client_reschedule"]) && t["max_client_reschedules"].is_null()), "moves without a limit");
    assert!(published.iter().any(|t| !yes(&t["allow_client_cancel"]) && !yes(&t["allow_client_reschedule"])), "neither");
    for t in &all {
        for key in ["accepts_coupons", "allow_client_cancel", "cancel_notice_hours", "allow_client_reschedule", "reschedule_notice_hours"] {
            assert!(!t[key].is_null(), "{} has no {key}", t["name"]);
        }
        assert!(t.as_object().unwrap().contains_key("contract") && t.as_object().unwrap().contains_key("max_client_reschedules"));
    }
    // The family portrait's windows are the ones its policies state.
    let family = s.get_session_type(&family_portrait_id()).body["data"].clone();
    assert_eq!(
        (family["cancel_notice_hours"].clone(), family["reschedule_notice_hours"].clone(), family["max_client_reschedules"].clone()),
        (json!(48), json!(24), json!(1))
    );
    assert_eq!(family["contract"], Value::Null, "the existing journeys book it without signing");
}

/// The demo's session types before contracts, in their order: what the demo publishes
/// without the option.
fn the_seven() -> Vec<String> {
    ["FAMILYPORTRAIT", "MINIAUTUMN", "WEDDING", "HEADSHOTS", "TOKYOPORTRAITS", "NYCENGAGEMENT", "MATERNITYDRAFT"]
        .iter()
        .map(|tag| make_id("set", tag))
        .collect()
}

fn ids(studio: &Studio) -> Vec<String> {
    studio.list_session_types(None, None).body["data"].as_array().unwrap().iter().map(|t| t["id"].as_str().unwrap().to_string()).collect()
}

#[test]
fn without_the_option_the_demo_has_its_seven_types_and_no_contract() {
    let mut s = Studio::demo(default_demo_config());
    assert_eq!(ids(&s), the_seven());
    let all = s.list_session_types(None, None).body["data"].as_array().unwrap().clone();
    assert!(all.iter().all(|t| t["contract"].is_null()), "no session type asks for a signature");
    // The newborn session is not there at all, nor its code.
    let newborn = newborn_id();
    assert_eq!(code_of(&s.get_session_type(&newborn)), (404, "resource_not_found".into()));
    assert_eq!(code_of(&s.check_coupon(&newborn, "NEWBORN10")), (404, "resource_not_found".into()));
    assert_eq!(code_of(&s.check_coupon(&family_portrait_id(), "NEWBORN10")), (404, "coupon_not_found".into()));
    let r = book(&mut s, "key-no-newborn", &request(&newborn, "2025-08-05T09:30:00+01:00"));
    assert_eq!(code_of(&r), (404, "resource_not_found".into()), "{}", r.body);
    // Every other code answers as with the option.
    let with = studio();
    for code in ["JUNIPER20", "TAKE25", "ONTHEHOUSE", "EARLYBIRD", "FIRSTTEN", "OLDFRIENDS", "HEADSHOTPRO"] {
        for type_id in [family_portrait_id(), headshots(), tokyo(), engagement()] {
            assert_eq!(s.check_coupon(&type_id, code), with.check_coupon(&type_id, code), "{code} on {type_id}");
        }
    }
}

#[test]
fn with_the_option_the_newborn_session_comes_before_the_draft() {
    let s = studio();
    let mut expected = the_seven();
    expected.insert(6, newborn_id());
    assert_eq!(ids(&s), expected);
    let contracts: Vec<String> = s.list_session_types(None, None).body["data"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|t| t["contract"].is_object())
        .map(|t| t["id"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(contracts, [newborn_id()]);
    assert_eq!(s.check_coupon(&newborn_id(), "NEWBORN10").status, 200);
}
