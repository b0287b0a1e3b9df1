//! The booking request of the contract (`POST /sessions`), written from the flow, and the
//! keys by which it and the studio's 422 details name each part: one place for every key.

use super::{Flow, Step};
use crate::json::{Object, Value};
use crate::models::FieldType;
use crate::money::PaymentOption;
use crate::object;
use crate::validation::Answer;

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

/// The step on which the visitor can mend the field a key names (a key of the studio's 422
/// details): their details and answers, the payment, the date and time, else the review.
pub fn step_of(key: &str) -> Step {
    let top = key.find('.').map_or(key, |dot| &key[..dot]);
    match top {
        CLIENT | ANSWERS => Step::Details,
        PAYMENT_METHOD_TYPE | PAYMENT_OPTION => Step::Payment,
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
        let collects = t.collect_payment;
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
        assert_eq!(step_of("something_new"), Step::Review);
    }
}
