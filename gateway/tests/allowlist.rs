//! The allowlist never drops a field the core reads. For every session type, month and day of
//! availability, coupon and session the demo studio serves in studio mode (its private fields
//! included, as a real studio answers the gateway), the core reads the same model from the
//! gateway's allowlisted answer as from the studio's own. The gateway adds no field of its own
//! to these answers; one it added would have to be set aside before comparing.
//!
//! The studio is the mock's state itself, asked without HTTP: what it answers is what its
//! server sends, and the comparison is about the allowlist, not the network.

use std::fmt::Debug;

use chrono::{Datelike, NaiveDate};
use mock_studio::studio::{Studio, StudioConfig};
use serde_json::{json, Value};
use studio_booking_core::models::{BookedSession, Coupon, DayAvailability, FieldType, MonthAvailability, SessionType};
use studio_booking_core::read::{decode, FromJson};
use studio_gateway::public;

/// Reads the studio's `original` and the allowlisted one (`keep` of it) as the widget reads an
/// answer (its JSON text, by the core's reader), asserts that the models are the same, and
/// gives the model.
fn same_model<T: FromJson + PartialEq + Debug>(what: &str, original: &Value, keep: fn(&Value) -> Value) -> T {
    let read = |v: &Value| decode::<T>(&v.to_string());
    let from_studio = read(original).unwrap_or_else(|| panic!("{what}: the core cannot read the studio's answer {original}"));
    let kept = keep(original);
    assert_eq!(read(&kept).as_ref(), Some(&from_studio), "{what}: the allowlist changed what the core reads\nstudio: {original}\ngateway: {kept}");
    from_studio
}

/// The demo studio in studio mode, with its sessions already booked and its contracts.
fn demo_studio() -> Studio {
    let login = mock_studio::login::StudioLogin::new("pxs_session=s3cr3t-cookie", "csrf-s3cr3t").unwrap();
    Studio::demo(StudioConfig { seed_bookings: true, demo_contracts: true, login: Some(login), ..Default::default() })
}

/// The first day, on or after `from`, on which `t` has an open slot in `zone`, with its slots'
/// starts; every month and day asked on the way is compared too.
fn open_day(studio: &Studio, t: &SessionType, zone: &str, from: NaiveDate) -> Option<(NaiveDate, Vec<String>)> {
    let mut month = from.with_day(1)?;
    for _ in 0..6 {
        let asked = studio.month_availability(&t.id, &format!("{}-{}-{zone}", month.year(), month.month()));
        assert_eq!(asked.status, 200, "{}: {}", t.id, asked.body);
        let m: MonthAvailability = same_model(&format!("{} {month}", t.id), &asked.body["data"], public::month);
        for date in m.available_dates.iter().filter_map(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok()).filter(|d| *d >= from) {
            let asked = studio.day_availability(&t.id, &format!("{}-{}-{}-{zone}", date.year(), date.month(), date.day()));
            assert_eq!(asked.status, 200, "{}: {}", t.id, asked.body);
            let day: DayAvailability = same_model(&format!("{} {date}", t.id), &asked.body["data"], public::day);
            if !day.slots.is_empty() {
                return Some((date, day.slots.into_iter().map(|s| s.start).collect()));
            }
        }
        month = month.checked_add_months(chrono::Months::new(1))?;
    }
    None
}

/// A booking of `t` at `start` that its rules take: every required question answered by its
/// type, the first payment method offered, the deposit where there is one, the policies
/// agreed, the contract signed, and `coupon` when given.
fn booking_of(t: &SessionType, start: &str, zone: &str, today: NaiveDate, coupon: Option<&str>) -> Value {
    let mut answers = serde_json::Map::new();
    for f in t.intake_form_fields.iter().filter(|f| f.required) {
        let first = f.options.first().map(|o| o.value.clone()).unwrap_or_default();
        let answer = match f.field_type {
            FieldType::Number => json!(f.validation.min_value.unwrap_or(1.0)),
            FieldType::Select | FieldType::Radio => json!(first),
            FieldType::MultiSelect => json!([first]),
            FieldType::Checkbox => json!(true),
            FieldType::Date => json!(today.format("%Y-%m-%d").to_string()),
            FieldType::Email => json!("ana@example.com"),
            FieldType::Phone => json!("+44 20 7946 0000"),
            _ => json!("Ana Silva"),
        };
        answers.insert(f.id.clone(), answer);
    }
    let paying = t.collect_payment;
    json!({
        "session_type_id": t.id, "start": start, "timezone": zone,
        "client": {"first_name": "Ana", "last_name": "Silva", "email": "ana@example.com", "phone": "+44 20 7946 0000"},
        "answers": answers,
        "payment_method_type": paying.then(|| t.enabled_payment_methods().next().map(|m| m.kind.clone())).flatten(),
        "payment_option": paying.then_some(if t.payment_amount_partial.is_some() { "partial" } else { "full" }),
        "policy_accepted": true,
        "coupon_code": coupon,
        "contract_signature": t.contract.as_ref().map(|_| json!({"name": "Ana Silva", "agreed": true})),
    })
}

#[test]
fn the_core_reads_the_same_from_the_allowlisted_answers_as_from_the_studios() {
    let mut studio = demo_studio();
    let today = mock_studio::demo::studio_today(chrono::Utc::now());
    // Every session type, drafts too, from the list and one by one.
    let list = studio.list_session_types(Some("1"), Some("100"));
    assert_eq!(list.status, 200);
    let raw_types = list.body["data"].as_array().unwrap().clone();
    assert!(raw_types.len() >= 7, "the demo's types: {}", raw_types.len());
    assert!(raw_types.iter().any(|t| t.get("internal_notes").is_some()), "studio mode shows the private fields");
    let mut types = Vec::new();
    for raw in &raw_types {
        let t: SessionType = same_model(&format!("session type {}", raw["id"]), raw, public::session_type);
        let one = studio.get_session_type(&t.id);
        assert_eq!(same_model::<SessionType>(&format!("session type {}", t.id), &one.body["data"], public::session_type), t);
        types.push(t);
    }
    // Every coupon the demo has, checked on every published type.
    let offered = mock_studio::demo::session_types(today, "http://127.0.0.1:8787", true);
    let codes: Vec<String> = mock_studio::demo::coupons(today, &offered).into_iter().map(|c| c.coupon.code).collect();
    let mut coupons_read = 0;
    for t in types.iter().filter(|t| t.is_published()) {
        for code in &codes {
            let checked = studio.check_coupon(&t.id, code);
            if checked.status == 200 {
                let _: Coupon = same_model(&format!("coupon {code} of {}", t.id), &checked.body["data"], public::coupon);
                coupons_read += 1;
            }
        }
    }
    assert!(coupons_read >= 10, "coupons read: {coupons_read}");
    // A booking of every published type (with a coupon, a 100 % one, or none), its answer,
    // and its client's view of it.
    let mut booked = Vec::new();
    for (i, t) in types.iter().filter(|t| t.is_published()).enumerate() {
        let zone = t.studio_zone().unwrap_or("UTC").to_string();
        // A day far enough ahead that the client may still cancel and move it, at any hour of
        // today (a week's cancel notice from a slot five days ahead was already past).
        let notice_days = t.cancel_notice_hours.max(t.reschedule_notice_hours).div_ceil(24) as i64;
        let from = today + chrono::Duration::days((notice_days + 2).max(5));
        let (_, starts) = open_day(&studio, t, &zone, from).unwrap_or_else(|| panic!("{}: no open day", t.id));
        let coupon = ["JUNIPER20", "ONTHEHOUSE"][i % 2];
        let coupon = (t.accepts_coupons && studio.check_coupon(&t.id, coupon).status == 200).then_some(coupon);
        let body = booking_of(t, &starts[0], &zone, today, coupon);
        let answer = studio.book(Some(&format!("sb-allowlist-{i:04}")), body.to_string().as_bytes());
        assert_eq!(answer.status, 201, "{}: {}\n{body}", t.id, answer.body);
        let session: BookedSession = same_model(&format!("booking of {}", t.id), &answer.body["data"], public::session);
        let token = session.manage_token.clone().expect("the booking's answer holds its manage token");
        let view = studio.client_session(&session.id, Some(&token));
        assert_eq!(view.status, 200, "{}", view.body);
        let _: BookedSession = same_model(&format!("client view of {}", session.id), &view.body["data"], public::client_session);
        booked.push((t.clone(), zone, session.id, token, starts));
    }
    // Every session the studio holds, the demo's own among them.
    let held = studio.list_sessions();
    let sessions = held.body["data"].as_array().unwrap().clone();
    assert_eq!(sessions.len(), booked.len() + 3, "the demo's three sessions and ours");
    for raw in &sessions {
        let _: BookedSession = same_model(&format!("session {}", raw["id"]), raw, public::session);
    }
    // A client's move and cancel, and their answers.
    let (mut moved, mut cancelled) = (0, 0);
    for (i, (t, zone, id, token, starts)) in booked.iter().enumerate() {
        if t.allow_client_reschedule && starts.len() > 1 {
            let to = json!({"start": starts[starts.len() - 1], "timezone": zone});
            let answer = studio.reschedule(id, Some(token), Some(&format!("mv-allowlist-{i:04}")), to.to_string().as_bytes());
            assert_eq!(answer.status, 200, "move of {id}: {}", answer.body);
            let view: BookedSession = same_model(&format!("move of {id}"), &answer.body["data"], public::client_session);
            assert_eq!(view.reschedule_count, 1);
            moved += 1;
        }
        if t.allow_client_cancel {
            let answer = studio.cancel(id, Some(token), br#"{"reason": "Plans changed."}"#);
            assert_eq!(answer.status, 200, "cancel of {id}: {}", answer.body);
            let view: BookedSession = same_model(&format!("cancel of {id}"), &answer.body["data"], public::client_session);
            assert!(view.is_cancelled());
            cancelled += 1;
        }
    }
    assert!(moved >= 1 && cancelled >= 1, "moved {moved}, cancelled {cancelled}");
    for raw in studio.list_sessions().body["data"].as_array().unwrap() {
        let _: BookedSession = same_model(&format!("session {}", raw["id"]), raw, public::session);
    }
}
