//! What survives a page reload: the visitor's choices and answers, kept as JSON (in the
//! widget, in sessionStorage) and taken back once the studio's session types are known.

use chrono::NaiveDate;

use super::{Action, Env, Flow, Step};
use crate::calendar::YearMonth;
use crate::field_map::FieldMap;
use crate::json::{Object, Value};
use crate::models::{SessionType, Slot};
use crate::money::PaymentOption;
use crate::object;
use crate::read::{object, opt_text, text, FromJson};
use crate::validation::{Answer, ClientDetails};

/// What is kept of a booking in progress across a page reload (in sessionStorage): what
/// the visitor chose and typed, never what the studio sent.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Draft {
    pub step: Option<Step>,
    pub session_type_id: Option<String>,
    pub month: Option<YearMonth>,
    pub day: Option<NaiveDate>,
    pub slot: Option<Slot>,
    pub zone: Option<String>,
    pub client: ClientDetails,
    pub answers: FieldMap<Answer>,
    pub payment_method: Option<String>,
    pub payment_option: Option<PaymentOption>,
    /// The name typed as the contract's signature, and the coupon code typed.
    pub signature: String,
    pub coupon: String,
}

impl Draft {
    /// The draft as JSON, to keep as text.
    pub fn to_json(&self) -> Value {
        let mut answers = Object::new();
        for (k, a) in self.answers.iter() {
            answers.insert(k.as_str(), a.to_json());
        }
        let c = &self.client;
        object! {
            "step" => self.step.map(Step::key),
            "session_type_id" => &self.session_type_id,
            "month" => self.month.map(|m| object! { "year" => m.year, "month" => m.month }),
            "day" => self.day.map(crate::iso::format_date),
            "slot" => self.slot.as_ref().map(|s| object! { "start" => &s.start, "end" => &s.end }),
            "zone" => &self.zone,
            "client" => object! { "first_name" => &c.first_name, "last_name" => &c.last_name, "email" => &c.email, "phone" => &c.phone },
            "answers" => answers,
            "payment_method" => &self.payment_method,
            "payment_option" => self.payment_option.map(PaymentOption::as_api),
            "signature" => &self.signature,
            "coupon" => &self.coupon,
        }
    }
}

impl FromJson for Draft {
    /// Reads a kept draft; None for anything that is not one (a draft from another version of
    /// the widget, or garbage): then nothing is restored.
    fn from_json(v: &Value) -> Option<Self> {
        let o = v.as_object()?;
        let step = match o.get("step") {
            None | Some(Value::Null) => None,
            Some(s) => Some(Step::ALL.into_iter().find(|k| Some(k.key()) == s.as_str())?),
        };
        let month = o.get("month").and_then(Value::as_object).and_then(|m| {
            let (year, month) = (m.get("year")?.as_f64()?, m.get("month")?.as_f64()?);
            let whole = year.fract() == 0.0 && month.fract() == 0.0 && year.abs() < 1.0e6;
            (whole && (1.0..=12.0).contains(&month)).then_some(YearMonth { year: year as i32, month: month as u32 })
        });
        let client = o.get("client").and_then(Value::as_object);
        let client_field = |k: &str| client.map(|c| text(c, k)).unwrap_or_default();
        let mut answers = FieldMap::new();
        for (k, v) in o.get("answers").and_then(Value::as_object).into_iter().flatten() {
            if let Some(a) = Answer::from_json(v) {
                answers.insert(k.clone(), a);
            }
        }
        Some(Draft {
            step,
            session_type_id: opt_text(o, "session_type_id"),
            month,
            day: opt_text(o, "day").and_then(|d| crate::iso::parse_date(&d)),
            slot: object(o, "slot"),
            zone: opt_text(o, "zone"),
            client: ClientDetails {
                first_name: client_field("first_name"),
                last_name: client_field("last_name"),
                email: client_field("email"),
                phone: client_field("phone"),
            },
            answers,
            payment_method: opt_text(o, "payment_method"),
            payment_option: opt_text(o, "payment_option").as_deref().and_then(PaymentOption::from_api),
            signature: text(o, "signature"),
            coupon: text(o, "coupon"),
        })
    }
}

impl Flow {
    /// The draft to keep; None once booked (nothing is left to keep).
    pub fn draft(&self) -> Option<Draft> {
        // Booked, or nothing chosen or typed yet: there is nothing to keep.
        let untouched = self.session_type.is_none() && self.client == ClientDetails::default() && self.answers.is_empty();
        if self.step == Step::Booked || untouched || self.managing.is_some() {
            return None;
        }
        Some(Draft {
            step: Some(self.step),
            session_type_id: self.session_type.as_ref().map(|t| t.id.clone()),
            month: self.month,
            day: self.day,
            slot: self.slot.clone(),
            zone: Some(self.zone.clone()),
            client: self.client.clone(),
            answers: self.answers.clone(),
            payment_method: self.payment_method.clone(),
            payment_option: self.payment_option,
            signature: self.signature.clone(),
            coupon: self.coupon_typed.clone(),
        })
    }

    /// Takes a kept draft back. `session_types` are the studio's published ones now: a draft
    /// whose session type is gone keeps only what was typed. The visitor returns at most to
    /// the details step (payment and review are quick to pass again, and a slot may be gone).
    pub fn restore(&mut self, draft: Draft, session_types: &[SessionType], env: &Env) {
        if let Some(zone) = draft.zone.filter(|z| crate::paths::is_plausible_zone(z)) {
            self.zone = zone;
        }
        self.client = draft.client;
        self.answers = draft.answers;
        self.signature = draft.signature;
        self.coupon_typed = draft.coupon;
        let chosen = draft.session_type_id.and_then(|id| session_types.iter().find(|t| t.id == id).cloned());
        let Some(t) = chosen else { return };
        self.apply(Action::ChooseSessionType(t), env);
        self.month = draft.month;
        if let Some(day) = draft.day {
            self.day = Some(day);
            self.slot = draft.slot;
        }
        self.payment_method = draft.payment_method.or(self.payment_method.take());
        self.payment_option = draft.payment_option;
        let wanted = draft.step.unwrap_or(Step::DateTime).min(Step::Details);
        if wanted == Step::Details && self.slot.is_some() {
            self.step = Step::Details;
        }
    }
}
