//! The booking flow, step by step: what each action changes and keeps.

use super::*;
use crate::json::Value;
use crate::outcome::ApiError;
use crate::read::FromJson;
use request::{CONTRACT_SIGNATURE, COUPON_CODE};

/// "Continue" as each screen sends it: the later steps' own screens (payment, the contract,
/// a move's review, the managed session) send [`Later::Continue`].
fn next(f: &mut Flow, e: &Env) -> Option<Effect> {
    match f.step {
        Step::Payment | Step::Contract | Step::Manage => f.apply_later(Later::Continue, e),
        Step::Review if f.managing.is_some() => f.apply_later(Later::Continue, e),
        _ => f.apply(Action::Continue, e),
    }
}

fn no_pattern(_: &str, _: &str) -> Option<bool> {
    None
}

fn env() -> Env<'static> {
    Env { today: NaiveDate::from_ymd_opt(2025, 8, 1).unwrap(), matcher: &no_pattern, new_key: &|| "key-00000001".to_string() }
}

/// Test JSON, written as text.
fn json(text: &str) -> Value {
    crate::json::parse(text).expect("test JSON")
}

fn session_type(id: &str, collect: bool, deposit: Option<u64>, policy: bool) -> SessionType {
    let deposit = deposit.map_or("null".to_string(), |d| d.to_string());
    let policy = if policy { r#""No refunds.""# } else { "null" };
    SessionType::from_json(&json(&format!(
        r#"{{
        "id": "{id}", "name": "{id}", "status": "published", "duration": 60, "currency": "gbp",
        "payment_amount_full": 10000, "payment_amount_partial": {deposit}, "collect_payment": {collect},
        "cancellation_policy": {policy},
        "payment_methods": [
            {{"name": "Card", "enabled": true, "type": "pixieset-payments"}},
            {{"name": "Bank", "enabled": 1, "type": "manual", "instructions": "Pay"}},
            {{"name": "PayPal", "enabled": 0, "type": "paypal"}}
        ],
        "intake_form_fields": [
            {{"id": "q2", "order": 2, "question_text": "Guests", "field_type": "number", "required": true, "validation": {{"max_value": 10}}}},
            {{"id": "q1", "order": 1, "question_text": "Pet?", "field_type": "checkbox"}},
            {{"id": "q3", "order": 3, "question_text": "Moments", "field_type": "multi_select", "options": [{{"value": "a", "label": "A"}}]}}
        ]
    }}"#
    )))
    .unwrap()
}

fn slot(start: &str) -> Slot {
    Slot { start: start.into(), end: String::new() }
}

fn day(d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2025, 8, d).unwrap()
}

/// A flow on the details step with a session type, a day and a slot.
fn at_details(t: SessionType) -> Flow {
    let e = env();
    let mut f = Flow::new("Europe/London");
    f.apply(Action::ChooseSessionType(t), &e);
    f.apply(Action::ChooseDay(day(7)), &e);
    f.apply(Action::ChooseSlot(slot("2025-08-07T09:00:00+01:00")), &e);
    f.apply(Action::Continue, &e);
    assert_eq!(f.step, Step::Details);
    f
}

fn fill_details(f: &mut Flow) {
    let e = env();
    f.apply(Action::EditClient(ClientField::FirstName, "Ana".into()), &e);
    f.apply(Action::EditClient(ClientField::LastName, "Silva".into()), &e);
    f.apply(Action::EditClient(ClientField::Email, "ana@example.com".into()), &e);
    f.apply(Action::EditAnswer("q2".into(), Answer::Text("4".into())), &e);
}

#[test]
fn the_whole_way_with_payment_and_policies() {
    let e = env();
    let mut f = at_details(session_type("set_A", true, Some(2500), true));
    assert_eq!(f.steps(), Step::SHOWN.into_iter().filter(|s| *s != Step::Contract).collect::<Vec<_>>());
    // Continue with nothing typed: every missing field gets its message, nothing moves.
    f.apply(Action::Continue, &e);
    assert_eq!(f.step, Step::Details);
    assert!(f.errors.contains_key("client.first_name") && f.errors.contains_key("answers.q2"));
    assert!(!f.errors.contains_key("client.phone") && !f.errors.contains_key("answers.q1"));
    fill_details(&mut f);
    assert!(f.errors.is_empty(), "fixed answers clear their messages: {:?}", f.errors);
    f.apply(Action::Continue, &e);
    assert_eq!(f.step, Step::Payment);
    f.apply(Action::Continue, &e);
    assert_eq!(f.step, Step::Payment);
    assert!(f.errors.contains_key("payment_method_type") && f.errors.contains_key("payment_option"));
    f.apply(Action::ChoosePaymentMethod("manual".into()), &e);
    f.apply(Action::ChoosePaymentOption(PaymentOption::Deposit), &e);
    f.apply(Action::Continue, &e);
    assert_eq!(f.step, Step::Review);
    assert_eq!(f.apply(Action::Continue, &e), None, "policies not accepted yet");
    assert!(f.errors.contains_key("policy_accepted"));
    f.apply(Action::AcceptPolicies(true), &e);
    let Some(Effect::SendBooking { key, body }) = f.apply(Action::Continue, &e) else { panic!("no booking sent") };
    assert_eq!(key, "key-00000001");
    assert_eq!(body["start"].as_str(), Some("2025-08-07T09:00:00+01:00"));
    assert_eq!(body["timezone"].as_str(), Some("Europe/London"));
    assert_eq!(body["client"], json(r#"{"first_name": "Ana", "last_name": "Silva", "email": "ana@example.com", "phone": null}"#));
    assert_eq!(body["answers"], json(r#"{"q2": 4}"#));
    assert_eq!((body["payment_method_type"].clone(), body["payment_option"].clone()), (Value::from("manual"), Value::from("partial")));
    assert_eq!(body["policy_accepted"], Value::Bool(true));
    // While it is on its way, a second click sends nothing and nothing can change.
    assert!(f.sending);
    assert_eq!(f.apply(Action::Continue, &e), None);
    f.apply(Action::Back, &e);
    assert_eq!(f.step, Step::Review);
    f.apply(Action::Booked(BookedSession { id: "ses_1".into(), ..Default::default() }), &e);
    assert_eq!(f.step, Step::Booked);
    assert!(!f.can_go_back());
}

#[test]
fn no_payment_step_when_nothing_is_collected() {
    assert_eq!(Flow::new("UTC").steps().len(), 5, "before a choice, every step is shown");
    let e = env();
    let mut f = at_details(session_type("set_B", false, None, false));
    assert_eq!(f.steps(), vec![Step::SessionType, Step::DateTime, Step::Details, Step::Review]);
    fill_details(&mut f);
    f.apply(Action::Continue, &e);
    assert_eq!(f.step, Step::Review);
    f.apply(Action::Back, &e);
    assert_eq!(f.step, Step::Details);
    f.apply(Action::Continue, &e);
    let Some(Effect::SendBooking { body, .. }) = f.apply(Action::Continue, &e) else { panic!() };
    assert_eq!(body["payment_method_type"], Value::Null);
    assert_eq!(body["payment_option"], Value::Null);
}

#[test]
fn back_steps_and_what_they_keep() {
    let e = env();
    let mut f = at_details(session_type("set_A", true, None, false));
    fill_details(&mut f);
    f.apply(Action::Back, &e);
    assert_eq!(f.step, Step::DateTime);
    assert!(f.slot.is_some() && f.day.is_some());
    f.apply(Action::Back, &e);
    assert_eq!(f.step, Step::SessionType);
    f.apply(Action::Back, &e);
    assert_eq!(f.step, Step::SessionType);
    // The same session type again keeps the date and time.
    f.apply(Action::ChooseSessionType(session_type("set_A", true, None, false)), &e);
    assert!(f.slot.is_some());
    // Another one clears them, never the answers.
    f.apply(Action::ChooseSessionType(session_type("set_B", false, None, false)), &e);
    assert_eq!((f.day, f.slot.clone(), f.month), (None, None, None));
    assert_eq!(f.client.first_name, "Ana");
    assert_eq!(f.answers.get("q2"), Some(&Answer::Text("4".into())));
}

#[test]
fn a_new_day_or_zone_clears_only_the_slot() {
    let e = env();
    let mut f = at_details(session_type("set_A", true, None, false));
    f.apply(Action::GoTo(Step::DateTime), &e);
    assert_eq!(f.step, Step::DateTime);
    f.apply(Action::ChooseDay(day(7)), &e);
    assert!(f.slot.is_some(), "the same day keeps its slot");
    f.apply(Action::ChooseDay(day(8)), &e);
    assert_eq!((f.day, f.slot.clone()), (Some(day(8)), None));
    f.apply(Action::ChooseSlot(slot("2025-08-08T10:00:00+01:00")), &e);
    f.apply(Action::ChangeZone("Europe/London".into()), &e);
    assert!(f.slot.is_some(), "the same zone changes nothing");
    f.apply(Action::ChangeZone("Asia/Kathmandu".into()), &e);
    assert_eq!((f.day, f.slot.clone(), f.zone.as_str()), (Some(day(8)), None, "Asia/Kathmandu"));
    f.apply(Action::Continue, &e);
    assert_eq!(f.step, Step::DateTime);
    assert_eq!(f.notice.as_ref(), Some(&Notice::ChooseATime));
    f.apply(Action::ShowMonth(YearMonth { year: 2025, month: 9 }), &e);
    assert_eq!(f.day, Some(day(8)));
    // GoTo only goes back.
    f.apply(Action::GoTo(Step::Review), &e);
    assert_eq!(f.step, Step::DateTime);
}

fn to_review(t: SessionType) -> Flow {
    let e = env();
    let mut f = at_details(t);
    fill_details(&mut f);
    f.apply(Action::Continue, &e);
    if f.step == Step::Payment {
        f.apply(Action::ChoosePaymentMethod("pixieset-payments".into()), &e);
        f.apply(Action::Continue, &e);
    }
    assert_eq!(f.step, Step::Review);
    f
}

#[test]
fn a_taken_slot_goes_back_to_fresh_slots_keeping_everything_typed() {
    let e = env();
    let mut f = to_review(session_type("set_A", true, None, false));
    assert_eq!(f.payment_option, Some(PaymentOption::Full), "the only option is chosen for the visitor");
    assert!(matches!(f.apply(Action::Continue, &e), Some(Effect::SendBooking { .. })));
    assert_eq!(f.apply(Action::BookingRefused(BookingRefusal::SlotTaken), &e), Some(Effect::RefreshDay));
    assert_eq!(f.step, Step::DateTime);
    assert_eq!((f.day, f.slot.clone(), f.attempt_key.clone()), (Some(day(7)), None, None));
    assert_eq!(f.notice.as_ref(), Some(&Notice::SlotTaken));
    assert_eq!(f.client.email, "ana@example.com");
    assert_eq!(f.payment_method.as_deref(), Some("pixieset-payments"));
}

#[test]
fn validation_refusals_go_to_the_earliest_field() {
    let e = env();
    let mut f = to_review(session_type("set_A", true, None, false));
    f.apply(Action::Continue, &e);
    let messages = FieldMap::from_iter([
        ("payment_option".to_string(), Problem::Studio("Pick one".to_string())),
        ("client.email".to_string(), Problem::Studio("Bad e-mail".to_string())),
    ]);
    assert_eq!(f.apply(Action::BookingRefused(BookingRefusal::Invalid(messages)), &e), None);
    assert_eq!(f.step, Step::Details);
    assert_eq!(f.errors.get("client.email"), Some(&Problem::Studio("Bad e-mail".into())));
    assert_eq!(f.notice, Some(Notice::FixAndRetry));
    assert_eq!(f.client.first_name, "Ana");
    assert!(f.attempt_key.is_none() && !f.sending);
}

#[test]
fn a_failed_send_keeps_its_key_for_the_retry() {
    let e = env();
    let mut f = to_review(session_type("set_A", false, None, false));
    let Some(Effect::SendBooking { key: first, .. }) = f.apply(Action::Continue, &e) else { panic!() };
    f.apply(Action::BookingRefused(BookingRefusal::Failed(Failure::Offline)), &e);
    assert_eq!((f.step, f.notice.as_ref()), (Step::Review, Some(&Notice::BookingFailed(Failure::Offline))));
    let other_keys = Env { new_key: &|| "key-different".to_string(), ..env() };
    let Some(Effect::SendBooking { key: again, .. }) = f.apply(Action::Continue, &other_keys) else { panic!() };
    assert_eq!(first, again);
    // Changed after a failure, the booking is another request: a new key.
    f.apply(Action::BookingRefused(BookingRefusal::Failed(Failure::NotConfirmed)), &e);
    f.apply(Action::GoTo(Step::Details), &e);
    f.apply(Action::EditClient(ClientField::FirstName, "Anna".into()), &e);
    f.apply(Action::Continue, &e);
    let Some(Effect::SendBooking { key: changed, body }) = f.apply(Action::Continue, &other_keys) else { panic!() };
    assert_eq!((changed.as_str(), body["client"]["first_name"].as_str()), ("key-different", Some("Anna")));
    // A key the studio says was used for another request is not sent again.
    let reused = ApiError::Refused { status: 422, code: "idempotency_key_reused".into(), message: String::new(), details: Default::default() };
    f.apply(Action::BookingRefused(BookingRefusal::Failed(Failure::Api(reused))), &e);
    assert_eq!(f.attempt_key, None);
}

#[test]
fn answers_are_sent_by_type() {
    let e = env();
    let mut f = to_review(session_type("set_A", false, None, false));
    f.apply(Action::GoTo(Step::Details), &e);
    f.apply(Action::EditAnswer("q1".into(), Answer::Checked(true)), &e);
    f.apply(Action::EditAnswer("q3".into(), Answer::Chosen(vec!["a".into()])), &e);
    f.apply(Action::EditAnswer("q2".into(), Answer::Text(" 2.5 ".into())), &e);
    f.apply(Action::EditClient(ClientField::Phone, " +44 20 7946 0958 ".into()), &e);
    let body = f.booking_body().unwrap();
    assert_eq!(body["answers"], json(r#"{"q1": true, "q2": 2.5, "q3": ["a"]}"#));
    assert_eq!(body["client"]["phone"].as_str(), Some("+44 20 7946 0958"));
}

#[test]
fn a_fixed_session_type_has_no_way_back_to_the_list_and_start_over_keeps_the_name() {
    let e = env();
    let mut f = Flow::new("UTC");
    f.session_type_fixed = true;
    f.apply(Action::ChooseSessionType(session_type("set_A", false, None, false)), &e);
    assert_eq!(f.step, Step::DateTime);
    assert!(!f.can_go_back());
    f.apply(Action::GoTo(Step::SessionType), &e);
    assert_eq!(f.step, Step::DateTime);
    f.apply(Action::EditClient(ClientField::FirstName, "Ana".into()), &e);
    f.apply(Action::EditAnswer("q2".into(), Answer::Text("3".into())), &e);
    f.apply(Action::StartOver, &e);
    assert_eq!((f.step, f.client.first_name.as_str(), f.answers.len()), (Step::DateTime, "Ana", 0));
}

#[test]
fn intake_questions_in_the_studios_order_ties_as_they_came() {
    let mut t = session_type("set_A", false, None, false);
    let q = |id: &str, order: i64| IntakeField { id: id.into(), order, ..t.intake_form_fields[0].clone() };
    t.intake_form_fields = vec![q("c", 3), q("a1", 1), q("b", 2), q("a2", 1), q("z", -5), q("a3", 1)];
    let mut f = Flow::new("UTC");
    f.session_type = Some(t);
    let ids: Vec<String> = f.intake_fields().into_iter().map(|f| f.id).collect();
    assert_eq!(ids, ["z", "a1", "a2", "a3", "b", "c"]);
}

#[test]
fn prefill_fills_only_what_is_empty() {
    let mut f = Flow::new("UTC");
    f.prefill(Some("  Ana Maria Silva "), Some("ana@example.com"));
    assert_eq!((f.client.first_name.as_str(), f.client.last_name.as_str(), f.client.email.as_str()), ("Ana", "Maria Silva", "ana@example.com"));
    f.prefill(Some("Bob"), Some("bob@example.com"));
    assert_eq!((f.client.first_name.as_str(), f.client.email.as_str()), ("Ana", "ana@example.com"));
    let mut g = Flow::new("UTC");
    g.prefill(Some("Cher"), None);
    assert_eq!((g.client.first_name.as_str(), g.client.last_name.as_str()), ("Cher", ""));
}

#[test]
fn a_draft_survives_a_reload() {
    let e = env();
    let mut f = at_details(session_type("set_A", true, Some(2500), false));
    fill_details(&mut f);
    f.apply(Action::ChoosePaymentMethod("manual".into()), &e);
    f.apply_later(Later::EditSignature("Ana Silva".into()), &e);
    f.apply_later(Later::EditCoupon("take25".into()), &e);
    let kept = f.draft().unwrap().to_json().to_string();
    let draft: Draft = crate::read::decode(&kept).unwrap();
    assert_eq!(Some(&draft), f.draft().as_ref());
    let mut again = Flow::new("UTC");
    again.restore(draft.clone(), &[session_type("set_A", true, Some(2500), false)], &e);
    assert_eq!(again.step, Step::Details);
    assert_eq!((again.zone.as_str(), again.client.first_name.as_str()), ("Europe/London", "Ana"));
    assert_eq!(again.slot, f.slot);
    assert_eq!(again.answers, f.answers);
    assert_eq!(again.payment_method.as_deref(), Some("manual"));
    assert_eq!((again.signature.as_str(), again.coupon_typed.as_str()), ("Ana Silva", "take25"), "what was typed, not a coupon applied");
    // The session type is gone: what was typed stays, the choices do not.
    let mut gone = Flow::new("UTC");
    gone.restore(draft, &[], &e);
    assert_eq!((gone.step, gone.session_type.is_none(), gone.client.email.as_str()), (Step::SessionType, true, "ana@example.com"));
    // Garbage in storage is no draft at all.
    assert!(crate::read::decode::<Draft>("{\"step\": 7}").is_none());
    assert!(crate::read::decode::<Draft>("[]").is_none());
    let odd: Draft = crate::read::decode(r#"{"day": "garbage", "month": {"year": 2026, "month": 13}, "answers": {"q": {"Nope": 1}}}"#).unwrap();
    assert_eq!((odd.day, odd.month, odd.answers.len()), (None, None, 0));
    // Once booked, nothing is kept; nor before anything is chosen or typed.
    f.step = Step::Booked;
    assert!(f.draft().is_none());
    assert!(Flow::new("UTC").draft().is_none());
}

#[test]
fn a_bookings_error_becomes_the_refusal_the_flow_acts_on() {
    let refused = |status, code: &str, details: &str| ApiError::Refused {
        status,
        code: code.into(),
        message: "Check".into(),
        details: json(details).as_object().cloned().unwrap_or_default(),
    };
    assert_eq!(BookingRefusal::of(refused(409, "slot_unavailable", "{}"), false), BookingRefusal::SlotTaken);
    let invalid = BookingRefusal::of(refused(422, "validation_failed", r#"{"client.email": ["Bad", "Worse"], "answers.q1": "Odd", "x": 3}"#), false);
    let BookingRefusal::Invalid(problems) = invalid else { panic!("{invalid:?}") };
    assert_eq!(problems.get("client.email"), Some(&Problem::Studio("Bad".into())));
    assert_eq!(problems.get("answers.q1"), Some(&Problem::Studio("Odd".into())));
    assert_eq!(problems.get("x"), Some(&Problem::Studio("Check".into())));
    // A 422 with no details is a failure to show as it is.
    assert!(matches!(BookingRefusal::of(refused(422, "validation_failed", "{}"), false), BookingRefusal::Failed(Failure::Api(_))));
    assert_eq!(BookingRefusal::of(refused(404, "not_found", "{}"), false), BookingRefusal::Failed(Failure::SessionTypeGone));
    assert_eq!(BookingRefusal::of(ApiError::Timeout, true), BookingRefusal::Failed(Failure::Offline));
    assert_eq!(BookingRefusal::of(ApiError::Network, false), BookingRefusal::Failed(Failure::NotConfirmed));
    assert_eq!(BookingRefusal::of(ApiError::Unreadable, false), BookingRefusal::Failed(Failure::Api(ApiError::Unreadable)));
}

/// A session type with a contract to sign and coupons taken.
fn with_contract_and_coupons(collect: bool) -> SessionType {
    let mut t = session_type("set_C", collect, Some(2500), false);
    t.contract = crate::read::decode(r#"{"id": "ct_1", "title": "Agreement", "body": "<p>Terms</p>"}"#).map(std::sync::Arc::new);
    t.accepts_coupons = true;
    t
}

fn coupon(code: &str, discount: crate::models::Discount) -> Coupon {
    Coupon { code: code.into(), discount, expires_at: None }
}

#[test]
fn the_contract_is_signed_before_the_review_and_nothing_typed_is_lost() {
    let e = env();
    let mut f = at_details(with_contract_and_coupons(false));
    assert_eq!(f.steps(), vec![Step::SessionType, Step::DateTime, Step::Details, Step::Contract, Step::Review]);
    fill_details(&mut f);
    next(&mut f, &e);
    assert_eq!(f.step, Step::Contract);
    // Nothing typed, then one letter, then the name without the box.
    next(&mut f, &e);
    assert_eq!(f.errors.get(CONTRACT_SIGNATURE), Some(&Problem::SignatureMissing));
    f.apply_later(Later::EditSignature("A".into()), &e);
    assert_eq!(f.errors.get(CONTRACT_SIGNATURE), Some(&Problem::TooShort { min: 2 }));
    f.apply_later(Later::EditSignature("Ana Silva".into()), &e);
    assert_eq!(f.errors.get(CONTRACT_SIGNATURE), Some(&Problem::ContractNotAgreed));
    f.apply_later(Later::AgreeToContract(true), &e);
    assert!(f.errors.is_empty());
    next(&mut f, &e);
    assert_eq!(f.step, Step::Review);
    // Back and forth keeps the signature; a taken slot too.
    f.apply(Action::Back, &e);
    assert_eq!((f.step, f.signature.as_str(), f.contract_agreed), (Step::Contract, "Ana Silva", true));
    next(&mut f, &e);
    let Some(Effect::SendBooking { body, .. }) = next(&mut f, &e) else { panic!("a booking is sent") };
    assert_eq!(body.get("contract_signature"), Some(&json(r#"{"name": "Ana Silva", "agreed": true}"#)));
    assert_eq!(body.get("coupon_code"), Some(&Value::Null));
    f.apply(Action::BookingRefused(BookingRefusal::SlotTaken), &e);
    assert_eq!((f.step, f.signature.as_str(), f.contract_agreed), (Step::DateTime, "Ana Silva", true));
    // The studio's refusal of the signature leads back to the contract.
    let mut f = to_review_signed();
    next(&mut f, &e);
    let refusal = BookingRefusal::of(
        ApiError::from_answer(
            422,
            r#"{"error": {"code": "validation_failed", "message": "", "details": {"contract_signature": ["Please agree."]}}}"#,
            None,
        ),
        false,
    );
    f.apply(Action::BookingRefused(refusal), &e);
    assert_eq!(f.step, Step::Contract);
}

fn to_review_signed() -> Flow {
    let e = env();
    let mut f = at_details(with_contract_and_coupons(false));
    fill_details(&mut f);
    next(&mut f, &e);
    f.apply_later(Later::EditSignature("Ana Silva".into()), &e);
    f.apply_later(Later::AgreeToContract(true), &e);
    next(&mut f, &e);
    assert_eq!(f.step, Step::Review);
    f
}

#[test]
fn a_coupon_is_checked_before_any_price_changes() {
    use crate::models::Discount;
    use crate::money::amount_due;
    let e = env();
    let mut f = at_details(with_contract_and_coupons(true));
    fill_details(&mut f);
    next(&mut f, &e);
    assert_eq!(f.step, Step::Payment);
    // A code of no possible shape is refused without asking.
    f.apply_later(Later::EditCoupon("../etc".into()), &e);
    assert_eq!(f.apply_later(Later::ApplyCoupon, &e), None);
    assert_eq!(f.errors.get(COUPON_CODE), Some(&Problem::CouponNotFound));
    // A refused code says why; the price stays.
    f.apply_later(Later::EditCoupon("earlybird".into()), &e);
    assert!(f.errors.get(COUPON_CODE).is_none(), "typing clears the message");
    assert_eq!(f.apply_later(Later::ApplyCoupon, &e), Some(Effect::CheckCoupon { code: "earlybird".into() }));
    f.apply_later(Later::CouponChecked("earlybird".into(), Err(Problem::CouponExpired)), &e);
    assert_eq!((f.errors.get(COUPON_CODE), f.discount()), (Some(&Problem::CouponExpired), 0));
    // An answer about a code no longer typed is ignored.
    f.apply_later(Later::EditCoupon("take25".into()), &e);
    f.apply_later(Later::ApplyCoupon, &e);
    f.apply_later(Later::CouponChecked("earlybird".into(), Ok(coupon("EARLYBIRD", Discount::Percentage(50.0)))), &e);
    assert_eq!(f.coupon, None);
    f.apply_later(Later::CouponChecked("take25".into(), Ok(coupon("TAKE25", Discount::Fixed(2_500)))), &e);
    assert_eq!(f.discount(), 2_500);
    let t = f.session_type.clone().unwrap();
    assert_eq!(amount_due(&t, PaymentOption::Full, f.discount()), 7_500);
    assert_eq!(amount_due(&t, PaymentOption::Deposit, f.discount()), 2_500);
    // Removed, then typed and "Continue" without "Apply": it is applied first, then goes on.
    f.apply_later(Later::RemoveCoupon, &e);
    assert_eq!((f.discount(), f.coupon_typed.as_str()), (0, ""));
    f.apply(Action::ChoosePaymentMethod("manual".into()), &e);
    f.apply(Action::ChoosePaymentOption(PaymentOption::Full), &e);
    f.apply_later(Later::EditCoupon(" onthehouse ".into()), &e);
    assert_eq!(next(&mut f, &e), Some(Effect::CheckCoupon { code: "onthehouse".into() }));
    assert_eq!(f.step, Step::Payment);
    f.apply_later(Later::CouponChecked("onthehouse".into(), Ok(coupon("ONTHEHOUSE", Discount::Percentage(100.0)))), &e);
    assert_eq!(f.step, Step::Contract);
    assert!(f.nothing_to_pay());
    // A 100 % code needs no payment method.
    f.payment_method = None;
    f.apply_later(Later::EditSignature("Ana Silva".into()), &e);
    f.apply_later(Later::AgreeToContract(true), &e);
    next(&mut f, &e);
    let Some(Effect::SendBooking { body, .. }) = next(&mut f, &e) else { panic!("a booking is sent") };
    assert_eq!(body.get("coupon_code").and_then(Value::as_str), Some("ONTHEHOUSE"));
    // The studio refusing the code at booking takes it off and leads back to it.
    let refusal = BookingRefusal::of(
        ApiError::from_answer(
            422,
            r#"{"error": {"code": "validation_failed", "message": "", "details": {"coupon_code": ["coupon_used_up"]}}}"#,
            None,
        ),
        false,
    );
    f.apply(Action::BookingRefused(refusal), &e);
    assert_eq!((f.step, f.coupon.clone()), (Step::Payment, None));
    assert_eq!(f.errors.get(COUPON_CODE).map(Problem::for_coupon), Some(Problem::CouponUsedUp));
    assert_eq!(Problem::Studio("Not today.".into()).for_coupon(), Problem::Studio("Not today.".into()));
    assert_eq!(f.coupon_typed, " onthehouse ", "the code typed stays");
    // What the coupon endpoint's answers mean.
    let answer = |status: u16, code: &str| coupon_answer(Err(ApiError::from_answer(status, &format!(r#"{{"error": {{"code": "{code}"}}}}"#), None)));
    assert_eq!(answer(404, "coupon_not_found"), Err(Problem::CouponNotFound));
    assert_eq!(answer(422, "coupon_expired"), Err(Problem::CouponExpired));
    assert_eq!(answer(422, "coupon_used_up"), Err(Problem::CouponUsedUp));
    assert_eq!(answer(429, ""), Err(Problem::CouponNotChecked));
    assert_eq!(coupon_answer(Err(ApiError::Network)), Err(Problem::CouponNotChecked));
}

#[test]
fn a_managed_session_is_moved_then_cancelled() {
    use manage::{Done, ManageRefusal};
    let e = env();
    let mut f = Flow::new("Asia/Tokyo");
    f.client.first_name = "Kept?".into();
    let id = "ses_ABCDEFGHIJKLMNOPQRSTUVWXYZ0123".to_string();
    let token = "t".repeat(48);
    let query = format!("?a=1&studio-booking-session={id}&studio-booking-token={token}");
    assert_eq!(f.apply(Action::OpenManaged { query: query.clone() }, &e), Some(Effect::LoadManaged { query }));
    assert_eq!((f.step, f.steps(), f.client.first_name.as_str(), f.draft()), (Step::Manage, vec![], "", None));
    assert_eq!(
        f.apply_later(Later::LinkRead { id: id.clone(), token: token.clone() }, &e),
        Some(Effect::LoadSession { id: id.clone(), token: token.clone() })
    );
    // Not loaded (offline): "Try again" asks again.
    f.apply_later(Later::ManagedLoaded(Box::new(Err(ManageRefusal::Failed(Failure::Offline)))), &e);
    assert_eq!(f.apply_later(Later::Reload, &e), Some(Effect::LoadSession { id: id.clone(), token: token.clone() }));
    assert_eq!(f.managing.as_ref().unwrap().refusal, None);
    let session = BookedSession { id: id.clone(), status: "booked".into(), start: "2025-08-20T10:00:00+01:00".into(), ..Default::default() };
    f.apply_later(Later::ManagedLoaded(Box::new(Ok((session.clone(), Some(session_type("set_A", true, None, false)))))), &e);
    assert!(!f.can_go_back());
    // Move: the date and time step, its review, then the move is sent with a key.
    f.apply_later(Later::StartMove, &e);
    assert_eq!(f.step, Step::DateTime);
    f.apply(Action::ChooseDay(day(21)), &e);
    f.apply(Action::ChooseSlot(slot("2025-08-21T11:00:00+01:00")), &e);
    next(&mut f, &e);
    assert_eq!(f.step, Step::Review);
    let Some(Effect::SendMove { key, id: sent_id, token: sent_token, body }) = next(&mut f, &e) else { panic!("a move is sent") };
    assert_eq!((key.as_str(), sent_id.as_str(), sent_token.as_str()), ("key-00000001", id.as_str(), token.as_str()));
    assert_eq!(body, json(r#"{"start": "2025-08-21T11:00:00+01:00", "timezone": "Asia/Tokyo"}"#));
    // Someone took it: fresh times, then another one.
    assert_eq!(f.apply_later(Later::ManageRefused(ManageRefusal::SlotTaken), &e), Some(Effect::RefreshDay));
    assert_eq!((f.step, f.slot.clone(), f.notice.clone()), (Step::DateTime, None, Some(Notice::SlotTaken)));
    f.apply(Action::ChooseSlot(slot("2025-08-21T12:00:00+01:00")), &e);
    next(&mut f, &e);
    assert!(matches!(next(&mut f, &e), Some(Effect::SendMove { .. })));
    let moved = BookedSession { start: "2025-08-21T12:00:00+01:00".into(), reschedule_count: 1, ..session.clone() };
    f.apply_later(Later::Moved(moved), &e);
    let m = f.managing.clone().unwrap();
    assert_eq!((f.step, m.done, m.session.unwrap().reschedule_count), (Step::Manage, Some(Done::Moved), 1));
    // Cancel: the confirmation, a reason, closed and opened again (the reason stays), sent.
    f.apply_later(Later::StartCancel, &e);
    f.apply_later(Later::EditReason("Flight moved".into()), &e);
    f.apply_later(Later::KeepSession, &e);
    assert_eq!(next(&mut f, &e), None, "nothing to confirm");
    f.apply_later(Later::StartCancel, &e);
    let Some(Effect::SendCancel { body, .. }) = next(&mut f, &e) else { panic!("a cancel is sent") };
    assert_eq!(body, json(r#"{"reason": "Flight moved"}"#));
    f.apply_later(Later::ManageRefused(ManageRefusal::TooLate { deadline: Some("2025-08-19T12:00:00+01:00".into()) }), &e);
    let m = f.managing.clone().unwrap();
    assert_eq!((f.step, m.confirming_cancel, m.reason.as_str()), (Step::Manage, false, "Flight moved"));
    assert!(matches!(m.refusal, Some(ManageRefusal::TooLate { .. })));
    f.apply_later(Later::StartCancel, &e);
    next(&mut f, &e);
    f.apply_later(Later::Cancelled(BookedSession { status: "cancelled".into(), ..session }), &e);
    let m = f.managing.clone().unwrap();
    assert_eq!((m.done, m.refusal.clone()), (Some(Done::Cancelled), None));
    assert!(m.cancel_window(0) == manage::Window::Never && m.move_window(0) == manage::Window::Never);
}
