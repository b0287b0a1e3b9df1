//! The booking request of the contract (`POST /sessions`), written from the flow, and the
//! keys by which it and the studio's 422 details name each part: one place for every key.

use chrono::NaiveDate;

use super::{Flow, Step};
use crate::field_map::FieldMap;
use crate::json::{number_text, Object, Value};
use crate::models::{FieldType, SessionType};
use crate::money::{payment_options, PaymentOption};
use crate::object;
use crate::validation::{
    answer_key, check_answer, check_client_field, check_signature, coupon_shape, Answer, ClientDetails, PatternMatcher, Problem, EMAIL, FIRST_NAME,
    LAST_NAME, PHONE,
};

/// The session type booked.
pub const SESSION_TYPE_ID: &str = "session_type_id";
/// The slot's start, as the studio gave it.
pub const START: &str = "start";
/// The zone the visitor saw the times in.
pub const TIMEZONE: &str = "timezone";
/// The visitor's own details (`client.first_name`, … in 422 details).
pub const CLIENT: &str = "client";
/// The intake answers by question id (`answers.{id}` in 422 details).
pub const ANSWERS: &str = "answers";
/// How the visitor pays (a payment method's `type`).
pub const PAYMENT_METHOD_TYPE: &str = "payment_method_type";
/// Full price or deposit (`full` or `partial`).
pub const PAYMENT_OPTION: &str = "payment_option";
/// Whether the studio's policies were agreed to.
pub const POLICY_ACCEPTED: &str = "policy_accepted";
/// A coupon code (`coupon_code` in 422 details, with the coupon endpoint's error code).
pub const COUPON_CODE: &str = "coupon_code";
/// The contract's signature: `{name, agreed}`.
pub const CONTRACT_SIGNATURE: &str = "contract_signature";

/// The step on which the visitor can mend the field a key names (a key of the studio's 422
/// details): their details and answers, the payment, the date and time, else the review.
pub fn step_of(key: &str) -> Step {
    let top = key.find('.').map_or(key, |dot| &key[..dot]);
    match top {
        CLIENT | ANSWERS => Step::Details,
        PAYMENT_METHOD_TYPE | PAYMENT_OPTION | COUPON_CODE => Step::Payment,
        CONTRACT_SIGNATURE => Step::Contract,
        START | TIMEZONE => Step::DateTime,
        _ => Step::Review,
    }
}

/// An intake answer as the request carries it: a checkbox as a boolean, a number answer as a
/// number (whole numbers without a fraction), choices as a list, text trimmed; None for a
/// blank answer, which is left out.
pub fn answer_value(kind: &FieldType, answer: &Answer) -> Option<Value> {
    Some(match (kind, answer) {
        (FieldType::Checkbox, Answer::Checked(b)) => Value::Bool(*b),
        (_, a) if a.is_blank() => return None,
        (FieldType::Number, Answer::Text(s)) => match crate::json::parse_number(s.trim()) {
            Some(n) => Value::Number(n),
            None => s.trim().into(),
        },
        (_, Answer::Text(s)) => s.trim().into(),
        (_, Answer::Chosen(items)) => items.as_slice().into(),
        (_, Answer::Checked(b)) => Value::Bool(*b),
    })
}

/// An answer as a booking request carries it, read back into the form's shape; Err for a
/// value no form gives (an object, or a list with other than strings in it).
fn answer_of(value: &Value) -> Result<Option<Answer>, Problem> {
    Ok(Some(match value {
        Value::Null => return Ok(None),
        Value::Bool(b) => Answer::Checked(*b),
        Value::Number(n) => Answer::Text(number_text(*n)),
        Value::String(s) => Answer::Text(s.clone()),
        Value::Array(items) => {
            let chosen: Vec<String> = items.iter().filter_map(|i| i.as_str().map(str::to_string)).collect();
            if chosen.len() != items.len() {
                return Err(Problem::NotAnOption);
            }
            Answer::Chosen(chosen)
        }
        Value::Object(_) => return Err(Problem::WrongFormat),
    }))
}

/// Checks a booking request (`POST /sessions`'s body) against its session type with the very
/// rules the widget's flow uses: the visitor's details, every intake answer by its question's
/// type and rules, the payment method and option when payment is collected, the policies
/// agreed to, the contract signed, a coupon code only where one is taken. Gives the problems by the key a 422's details name them with (none: fine). The
/// slot, which only the studio's calendar can confirm, is the caller's to check.
pub fn check_request(t: &SessionType, request: &Value, today: NaiveDate, matcher: PatternMatcher) -> FieldMap<Problem> {
    let mut problems = FieldMap::new();
    let text_of = |o: Option<&Value>, key: &str| o.and_then(|c| c.get(key)).and_then(Value::as_str).unwrap_or_default().to_string();
    let client = request.get(CLIENT);
    let details = ClientDetails {
        first_name: text_of(client, "first_name"),
        last_name: text_of(client, "last_name"),
        email: text_of(client, "email"),
        phone: text_of(client, "phone"),
    };
    for key in [FIRST_NAME, LAST_NAME, EMAIL, PHONE] {
        if let Err(p) = check_client_field(key, &details) {
            problems.insert(key.to_string(), p);
        }
    }
    let answers = request.get(ANSWERS).and_then(Value::as_object);
    for field in &t.intake_form_fields {
        let checked = match answer_of(answers.and_then(|a| a.get(&field.id)).unwrap_or(&Value::Null)) {
            Ok(answer) => check_answer(field, answer.as_ref(), today, matcher),
            Err(problem) => Err(problem),
        };
        if let Err(p) = checked {
            problems.insert(answer_key(&field.id), p);
        }
    }
    // With a coupon code only the studio knows the price: one that brings it to 0 needs no
    // payment method, so the method and option are the studio's to check.
    let coupon_sent = t.accepts_coupons && request.get(COUPON_CODE).and_then(Value::as_str).is_some_and(|c| !c.trim().is_empty());
    if t.collect_payment && !coupon_sent {
        let method = request.get(PAYMENT_METHOD_TYPE).and_then(Value::as_str);
        if !method.is_some_and(|m| t.offers_method(m)) {
            problems.insert(PAYMENT_METHOD_TYPE.to_string(), Problem::NoPaymentMethod);
        }
        let option = request.get(PAYMENT_OPTION).and_then(Value::as_str).and_then(PaymentOption::from_api);
        if !option.is_some_and(|o| payment_options(t).contains(&o)) {
            problems.insert(PAYMENT_OPTION.to_string(), Problem::NoPaymentOption);
        }
    }
    if t.has_policies() && request.get(POLICY_ACCEPTED).and_then(Value::as_bool) != Some(true) {
        problems.insert(POLICY_ACCEPTED.to_string(), Problem::PoliciesNotAccepted);
    }
    if t.contract.is_some() {
        let signature = request.get(CONTRACT_SIGNATURE);
        let name = signature.and_then(|s| s.get("name")).and_then(Value::as_str).unwrap_or_default();
        let agreed = signature.and_then(|s| s.get("agreed")).and_then(Value::as_bool) == Some(true);
        if let Err(p) = check_signature(name, agreed) {
            problems.insert(CONTRACT_SIGNATURE.to_string(), p);
        }
    }
    match request.get(COUPON_CODE) {
        None | Some(Value::Null) => {}
        Some(_) if !t.accepts_coupons => {
            problems.insert(COUPON_CODE.to_string(), Problem::CouponNotAccepted);
        }
        Some(Value::String(code)) if coupon_shape(code).is_some() => {}
        Some(_) => {
            problems.insert(COUPON_CODE.to_string(), Problem::CouponNotFound);
        }
    }
    problems
}

impl Flow {
    /// The booking request of the contract, from what was chosen and typed.
    pub fn booking_body(&self) -> Option<Value> {
        let t = self.session_type.as_ref()?;
        let slot = self.slot.as_ref()?;
        let mut answers = Object::new();
        for field in self.intake_fields() {
            if let Some(value) = self.answers.get(&field.id).and_then(|a| answer_value(&field.field_type, a)) {
                answers.insert(field.id.as_str(), value);
            }
        }
        let phone = self.client.phone.trim();
        // Nothing to pay (a 100 % code): no method and no option are sent.
        let collects = t.collect_payment && !self.nothing_to_pay();
        Some(object! {
            SESSION_TYPE_ID => &t.id,
            START => &slot.start,
            TIMEZONE => &self.zone,
            CLIENT => object! {
                "first_name" => self.client.first_name.trim(),
                "last_name" => self.client.last_name.trim(),
                "email" => self.client.email.trim(),
                "phone" => (!phone.is_empty()).then_some(phone),
            },
            ANSWERS => answers,
            PAYMENT_METHOD_TYPE => self.payment_method.as_ref().filter(|_| collects),
            PAYMENT_OPTION => self.payment_option.filter(|_| collects).map(PaymentOption::as_api),
            POLICY_ACCEPTED => self.policies_accepted,
            COUPON_CODE => self.coupon.as_ref().filter(|_| t.accepts_coupons).map(|c| c.code.as_str()),
            CONTRACT_SIGNATURE => t.contract.is_some().then(|| object! { "name" => self.signature.trim(), "agreed" => self.contract_agreed }),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refused_keys_lead_to_the_step_that_mends_them() {
        assert_eq!(step_of("client.email"), Step::Details);
        assert_eq!(step_of("answers.q_people"), Step::Details);
        assert_eq!(step_of(PAYMENT_OPTION), Step::Payment);
        assert_eq!(step_of(START), Step::DateTime);
        assert_eq!(step_of(POLICY_ACCEPTED), Step::Review);
        assert_eq!(step_of(COUPON_CODE), Step::Payment);
        assert_eq!(step_of(CONTRACT_SIGNATURE), Step::Contract);
        assert_eq!(step_of("something_new"), Step::Review);
    }

    fn no_pattern(_: &str, _: &str) -> Option<bool> {
        None
    }

    fn session_type() -> SessionType {
        crate::read::decode(
            r#"{"id": "set_A", "status": "published", "collect_payment": true, "payment_amount_full": 10000,
                "payment_amount_partial": 2500, "cancellation_policy": "No refunds.",
                "payment_methods": [{"name": "Bank", "enabled": true, "type": "manual"}, {"name": "PayPal", "enabled": false, "type": "paypal"}],
                "intake_form_fields": [
                    {"id": "q_people", "field_type": "number", "required": true, "validation": {"min_value": 1, "max_value": 12}},
                    {"id": "q_place", "field_type": "radio", "required": true, "options": [{"value": "park", "label": "Park"}]},
                    {"id": "q_moments", "field_type": "multi_select", "options": [{"value": "a", "label": "A"}]},
                    {"id": "q_pets", "field_type": "checkbox"}]}"#,
        )
        .unwrap()
    }

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 12, 2).unwrap()
    }

    #[test]
    fn a_request_the_widget_would_send_passes() {
        let request = crate::json::parse(
            r#"{"session_type_id": "set_A", "start": "2026-12-04T10:00:00Z", "timezone": "Europe/London",
                "client": {"first_name": "Ana", "last_name": "Silva", "email": "ana@example.com", "phone": null},
                "answers": {"q_people": 3, "q_place": "park", "q_moments": ["a"], "q_pets": false},
                "payment_method_type": "manual", "payment_option": "partial", "policy_accepted": true}"#,
        )
        .unwrap();
        assert!(check_request(&session_type(), &request, today(), &no_pattern).is_empty());
    }

    #[test]
    fn every_rule_of_the_widget_is_checked_again() {
        let request = crate::json::parse(
            r#"{"client": {"first_name": " ", "last_name": "Silva", "email": "ana@", "phone": "12"},
                "answers": {"q_people": 40, "q_place": "beach", "q_moments": ["a", 3], "q_pets": {"x": 1}},
                "payment_method_type": "paypal", "payment_option": "partial", "policy_accepted": false}"#,
        )
        .unwrap();
        let problems = check_request(&session_type(), &request, today(), &no_pattern);
        assert_eq!(problems.get("client.first_name"), Some(&Problem::FirstNameMissing));
        assert_eq!(problems.get("client.email"), Some(&Problem::NotAnEmail));
        assert_eq!(problems.get("client.phone"), Some(&Problem::NotAPhone));
        assert_eq!(problems.get("answers.q_people"), Some(&Problem::AboveMaximum { max: 12.0 }));
        assert_eq!(problems.get("answers.q_place"), Some(&Problem::NotAnOption));
        assert_eq!(problems.get("answers.q_moments"), Some(&Problem::NotAnOption));
        assert_eq!(problems.get("answers.q_pets"), Some(&Problem::WrongFormat));
        assert_eq!(problems.get(PAYMENT_METHOD_TYPE), Some(&Problem::NoPaymentMethod), "a disabled method");
        assert_eq!(problems.get(POLICY_ACCEPTED), Some(&Problem::PoliciesNotAccepted));
        assert!(problems.get("client.last_name").is_none() && problems.get(PAYMENT_OPTION).is_none());
        // Nothing at all: every required thing is missing.
        let empty = check_request(&session_type(), &Value::Null, today(), &no_pattern);
        assert_eq!(empty.get("answers.q_people"), Some(&Problem::Required));
        assert_eq!(empty.get(PAYMENT_OPTION), Some(&Problem::NoPaymentOption));
    }

    #[test]
    fn a_contract_is_signed_and_a_coupon_only_sent_where_taken() {
        let mut t = session_type();
        let base = r#""client": {"first_name": "Ana", "last_name": "Silva", "email": "ana@example.com"},
            "answers": {"q_people": 3, "q_place": "park"}, "payment_method_type": "manual", "payment_option": "full", "policy_accepted": true"#;
        let ask = |t: &SessionType, extra: &str| check_request(t, &crate::json::parse(&format!("{{{base}{extra}}}")).unwrap(), today(), &no_pattern);
        assert_eq!(ask(&t, r#", "coupon_code": "TAKE25""#).get(COUPON_CODE), Some(&Problem::CouponNotAccepted));
        assert!(ask(&t, r#", "coupon_code": null"#).is_empty());
        t.accepts_coupons = true;
        assert!(ask(&t, r#", "coupon_code": "TAKE25""#).is_empty());
        // A code may bring the price to 0, which needs no method: the studio checks that.
        let unpaid = check_request(
            &t,
            &crate::json::parse(
                r#"{"client": {"first_name": "Ana", "last_name": "Silva", "email": "ana@example.com"},
                "answers": {"q_people": 3, "q_place": "park"}, "policy_accepted": true, "coupon_code": "ONTHEHOUSE"}"#,
            )
            .unwrap(),
            today(),
            &no_pattern,
        );
        assert!(unpaid.is_empty(), "{unpaid:?}");
        assert_eq!(ask(&t, r#", "coupon_code": "../x""#).get(COUPON_CODE), Some(&Problem::CouponNotFound));
        assert_eq!(ask(&t, r#", "coupon_code": 25"#).get(COUPON_CODE), Some(&Problem::CouponNotFound));
        t.contract = crate::read::decode(r#"{"id": "ct_1", "title": "Agreement", "body": "<p>Terms</p>"}"#).map(std::sync::Arc::new);
        assert_eq!(ask(&t, "").get(CONTRACT_SIGNATURE), Some(&Problem::SignatureMissing));
        assert_eq!(ask(&t, r#", "contract_signature": {"name": "A", "agreed": true}"#).get(CONTRACT_SIGNATURE), Some(&Problem::TooShort { min: 2 }));
        assert_eq!(
            ask(&t, r#", "contract_signature": {"name": "Ana Silva", "agreed": false}"#).get(CONTRACT_SIGNATURE),
            Some(&Problem::ContractNotAgreed)
        );
        let long = "x".repeat(121);
        assert_eq!(
            ask(&t, &format!(r#", "contract_signature": {{"name": "{long}", "agreed": true}}"#)).get(CONTRACT_SIGNATURE),
            Some(&Problem::TooLong { max: 120 })
        );
        assert!(ask(&t, r#", "contract_signature": {"name": " Ana Silva ", "agreed": true}"#).is_empty());
    }
}
