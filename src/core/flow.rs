//! The booking flow as a state machine: where the visitor is, what they chose and typed.
//! Views send [`Action`]s; [`Flow::apply`] decides what changes, what each change clears,
//! and which [`Effect`] (a booking to send) follows. Nothing here touches the DOM or the
//! network, so every rule is tested natively.
//!
//! Clearing rules: a new session type clears the day, the slot and the payment choices; a new
//! day clears the slot; a new time zone clears the slot (the day's slots are asked again).
//! Nothing clears what the visitor typed: not a validation error, not a step back, not a new
//! session type, not a refused booking.

use chrono::NaiveDate;
use crate::core::json::{Object, Value};
use crate::object;

use super::calendar::YearMonth;
use super::field_map::FieldMap;
use super::money::{deposit, PaymentOption};
use super::validation::{answer_key, check_answer, check_client_field, Answer, ClientDetails, PatternMatcher, EMAIL, FIRST_NAME, LAST_NAME, PHONE};
use crate::api::json::FromJson;
use crate::api::models::{BookedSession, SessionType, Slot};
use crate::text;

/// The steps of a booking, in order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Step {
    SessionType,
    DateTime,
    Details,
    Payment,
    Review,
    Booked,
}

impl Step {
    /// The steps shown in the step indicator (the confirmation is not one of them).
    pub const SHOWN: [Step; 5] = [Step::SessionType, Step::DateTime, Step::Details, Step::Payment, Step::Review];

    /// Every step, in order.
    pub const ALL: [Step; 6] = [Step::SessionType, Step::DateTime, Step::Details, Step::Payment, Step::Review, Step::Booked];

    /// Its name in a kept draft.
    pub fn key(self) -> &'static str {
        match self {
            Step::SessionType => "SessionType",
            Step::DateTime => "DateTime",
            Step::Details => "Details",
            Step::Payment => "Payment",
            Step::Review => "Review",
            Step::Booked => "Booked",
        }
    }

    /// The step's name in the indicator.
    pub fn label(self) -> &'static str {
        match self {
            Step::SessionType => text::STEP_SESSION,
            Step::DateTime => text::STEP_DATE_TIME,
            Step::Details => text::STEP_DETAILS,
            Step::Payment => text::STEP_PAYMENT,
            Step::Review => text::STEP_REVIEW,
            Step::Booked => text::STEP_BOOKED,
        }
    }
}

/// One of the visitor's own fields.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ClientField {
    FirstName,
    LastName,
    Email,
    Phone,
}

impl ClientField {
    /// The key the contract's 422 details use for it.
    pub fn key(self) -> &'static str {
        match self {
            ClientField::FirstName => FIRST_NAME,
            ClientField::LastName => LAST_NAME,
            ClientField::Email => EMAIL,
            ClientField::Phone => PHONE,
        }
    }
}

/// Why a booking was not made.
#[derive(Debug, Clone, PartialEq)]
pub enum BookingRefusal {
    /// 409 slot_unavailable: someone else took the slot first.
    SlotTaken,
    /// 422 validation_failed: messages by field key ("client.email", "answers.q1", …).
    Invalid(FieldMap<String>),
    /// Anything else: a message; the same attempt (and Idempotency-Key) may be tried again.
    Failed(String),
}

/// What a visitor can do (and what the answers to the widget's requests say).
#[derive(Debug, Clone, PartialEq)]
pub enum Action {
    ChooseSessionType(SessionType),
    ShowMonth(YearMonth),
    ChooseDay(NaiveDate),
    ChooseSlot(Slot),
    ChangeZone(String),
    EditClient(ClientField, String),
    EditAnswer(String, Answer),
    /// The visitor left a field (by key): its rule is checked now.
    LeaveField(String),
    ChoosePaymentMethod(String),
    ChoosePaymentOption(PaymentOption),
    AcceptPolicies(bool),
    Continue,
    Back,
    /// Back to an earlier step from the summary.
    GoTo(Step),
    BookingRefused(BookingRefusal),
    Booked(BookedSession),
    StartOver,
}

/// What the view must do after an action.
#[derive(Debug, Clone, PartialEq)]
pub enum Effect {
    /// Send this booking with this Idempotency-Key.
    SendBooking { key: String, body: Value },
    /// The slots of the chosen day are stale: ask again.
    RefreshDay,
}

/// What the flow needs from the world: today's date, a pattern matcher, a key maker.
pub struct Env<'a> {
    pub today: NaiveDate,
    pub matcher: PatternMatcher<'a>,
    pub new_key: &'a dyn Fn() -> String,
}

/// Where the visitor is and everything they chose and typed.
#[derive(Debug, Clone, PartialEq)]
pub struct Flow {
    pub step: Step,
    pub session_type: Option<SessionType>,
    /// The session type was given by the page (`session-type`): its list is skipped.
    pub session_type_fixed: bool,
    pub month: Option<YearMonth>,
    pub day: Option<NaiveDate>,
    pub slot: Option<Slot>,
    /// The zone times are shown in.
    pub zone: String,
    pub client: ClientDetails,
    pub answers: FieldMap<Answer>,
    /// Messages shown beside fields, by key.
    pub errors: FieldMap<String>,
    pub payment_method: Option<String>,
    pub payment_option: Option<PaymentOption>,
    pub policies_accepted: bool,
    /// The Idempotency-Key of the booking attempt under way (kept for its retries).
    pub attempt_key: Option<String>,
    pub sending: bool,
    /// A message for the current step (a slot taken, a booking that failed).
    pub notice: Option<String>,
    pub booked: Option<BookedSession>,
}

impl Flow {
    /// A new flow showing times in `zone`.
    pub fn new(zone: &str) -> Flow {
        Flow {
            step: Step::SessionType,
            session_type: None,
            session_type_fixed: false,
            month: None,
            day: None,
            slot: None,
            zone: zone.to_string(),
            client: ClientDetails::default(),
            answers: FieldMap::new(),
            errors: FieldMap::new(),
            payment_method: None,
            payment_option: None,
            policies_accepted: false,
            attempt_key: None,
            sending: false,
            notice: None,
            booked: None,
        }
    }

    /// Whether the chosen session type takes payment when booking.
    pub fn collects_payment(&self) -> bool {
        self.session_type.as_ref().is_some_and(|t| t.collect_payment)
    }

    /// Whether the chosen session type has policies to agree to.
    pub fn has_policies(&self) -> bool {
        self.session_type.as_ref().is_some_and(|t| {
            [&t.cancellation_policy, &t.reschedule_policy].iter().any(|p| p.as_deref().is_some_and(|s| !s.trim().is_empty()))
        })
    }

    /// The steps this booking goes through (payment only when the chosen session type takes
    /// it; all five before one is chosen).
    pub fn steps(&self) -> Vec<Step> {
        let unknown = self.session_type.is_none();
        Step::SHOWN.into_iter().filter(|s| *s != Step::Payment || unknown || self.collects_payment()).collect()
    }

    fn next_step(&self) -> Step {
        match self.step {
            Step::SessionType => Step::DateTime,
            Step::DateTime => Step::Details,
            Step::Details if self.collects_payment() => Step::Payment,
            Step::Details | Step::Payment => Step::Review,
            Step::Review | Step::Booked => Step::Booked,
        }
    }

    fn previous_step(&self) -> Step {
        match self.step {
            Step::SessionType => Step::SessionType,
            Step::DateTime if self.session_type_fixed => Step::DateTime,
            Step::DateTime => Step::SessionType,
            Step::Details => Step::DateTime,
            Step::Payment => Step::Details,
            Step::Review if self.collects_payment() => Step::Payment,
            Step::Review => Step::Details,
            Step::Booked => Step::Booked,
        }
    }

    /// Whether "Back" leads anywhere.
    pub fn can_go_back(&self) -> bool {
        !matches!(self.step, Step::Booked) && self.previous_step() != self.step && !self.sending
    }

    /// The payment options the chosen session type offers.
    pub fn payment_options(&self) -> Vec<PaymentOption> {
        match &self.session_type {
            Some(t) if deposit(t).is_some() => vec![PaymentOption::Full, PaymentOption::Deposit],
            Some(_) => vec![PaymentOption::Full],
            None => vec![],
        }
    }

    /// The chosen session type's intake questions in the studio's order (by `order`; equal
    /// orders keep the order they came in). Sorted by insertion: a form has a handful of
    /// questions, and a library sort would be made again for this one type.
    pub fn intake_fields(&self) -> Vec<crate::api::models::IntakeField> {
        let mut fields = self.session_type.as_ref().map(|t| t.intake_form_fields.clone()).unwrap_or_default();
        for i in 1..fields.len() {
            let mut j = i;
            while j > 0 && fields[j - 1].order > fields[j].order {
                fields.swap(j - 1, j);
                j -= 1;
            }
        }
        fields
    }

    /// Checks one field by key; records or clears its message. Returns whether it is fine.
    fn check_key(&mut self, key: &str, env: &Env) -> bool {
        let result = if key.starts_with("client.") {
            check_client_field(key, &self.client)
        } else if let Some(id) = key.strip_prefix("answers.") {
            match self.intake_fields().iter().find(|f| f.id == id) {
                Some(field) => check_answer(field, self.answers.get(id), env.today, env.matcher),
                None => Ok(()),
            }
        } else {
            Ok(())
        };
        match result {
            Ok(()) => {
                self.errors.remove(key);
                true
            }
            Err(message) => {
                self.errors.insert(key.to_string(), message);
                false
            }
        }
    }

    /// The keys of every field on the details step, in the order they are shown.
    pub fn detail_keys(&self) -> Vec<String> {
        let mut keys: Vec<String> = [FIRST_NAME, LAST_NAME, EMAIL, PHONE].iter().map(|k| k.to_string()).collect();
        keys.extend(self.intake_fields().iter().map(|f| answer_key(&f.id)));
        keys
    }

    fn payment_complete(&mut self) -> bool {
        let Some(t) = &self.session_type else { return false };
        let method_ok = self.payment_method.as_ref().is_some_and(|m| t.enabled_payment_methods().any(|pm| &pm.kind == m));
        if !method_ok {
            self.errors.insert("payment_method_type".into(), text::ERR_PAYMENT_METHOD.into());
        } else {
            self.errors.remove("payment_method_type");
        }
        if self.payment_option.is_none() && self.payment_options().len() == 1 {
            self.payment_option = Some(PaymentOption::Full);
        }
        let option_ok = self.payment_option.is_some_and(|o| self.payment_options().contains(&o));
        if !option_ok {
            self.errors.insert("payment_option".into(), text::ERR_PAYMENT_OPTION.into());
        } else {
            self.errors.remove("payment_option");
        }
        method_ok && option_ok
    }

    /// The booking request of the contract, from what was chosen and typed.
    pub fn booking_body(&self) -> Option<Value> {
        let t = self.session_type.as_ref()?;
        let slot = self.slot.as_ref()?;
        let mut answers = Object::new();
        for field in self.intake_fields() {
            let Some(answer) = self.answers.get(&field.id) else { continue };
            let value = match (field.field_type.as_str(), answer) {
                ("checkbox", Answer::Checked(b)) => Value::Bool(*b),
                (_, a) if a.is_blank() => continue,
                // A number answer is sent as a number (whole numbers without a fraction).
                ("number", Answer::Text(s)) => match crate::core::json::parse_number(s.trim()) {
                    Some(n) => Value::Number(n),
                    None => s.trim().into(),
                },
                (_, Answer::Text(s)) => s.trim().into(),
                (_, Answer::Chosen(items)) => items.as_slice().into(),
                (_, Answer::Checked(b)) => Value::Bool(*b),
            };
            answers.insert(field.id.as_str(), value);
        }
        let phone = self.client.phone.trim();
        let collects = t.collect_payment;
        Some(object! {
            "session_type_id" => &t.id,
            "start" => &slot.start,
            "timezone" => &self.zone,
            "client" => object! {
                "first_name" => self.client.first_name.trim(),
                "last_name" => self.client.last_name.trim(),
                "email" => self.client.email.trim(),
                "phone" => (!phone.is_empty()).then_some(phone),
            },
            "answers" => answers,
            "payment_method_type" => self.payment_method.as_ref().filter(|_| collects),
            "payment_option" => self.payment_option.filter(|_| collects).map(PaymentOption::as_api),
            "policy_accepted" => self.policies_accepted,
        })
    }

    /// Applies an action; returns what the view must do next, if anything.
    pub fn apply(&mut self, action: Action, env: &Env) -> Option<Effect> {
        if self.sending && !matches!(action, Action::BookingRefused(_) | Action::Booked(_)) {
            // While a booking is on its way, nothing may change what it books.
            return None;
        }
        match action {
            Action::ChooseSessionType(t) => {
                let changed = self.session_type.as_ref().is_none_or(|old| old.id != t.id);
                if changed {
                    self.day = None;
                    self.slot = None;
                    self.month = None;
                    self.payment_method = None;
                    self.payment_option = None;
                    self.policies_accepted = false;
                    self.errors.clear();
                }
                let single_method = {
                    let mut enabled = t.enabled_payment_methods();
                    match (enabled.next(), enabled.next()) {
                        (Some(m), None) => Some(m.kind.clone()),
                        _ => None,
                    }
                };
                if self.payment_method.is_none() {
                    self.payment_method = single_method;
                }
                self.session_type = Some(t);
                self.notice = None;
                self.step = Step::DateTime;
                None
            }
            Action::ShowMonth(m) => {
                self.month = Some(m);
                None
            }
            Action::ChooseDay(d) => {
                if self.day != Some(d) {
                    self.slot = None;
                }
                self.day = Some(d);
                self.month = Some(YearMonth::of(d));
                None
            }
            Action::ChooseSlot(s) => {
                self.slot = Some(s);
                self.notice = None;
                None
            }
            Action::ChangeZone(z) => {
                if z != self.zone {
                    self.zone = z;
                    self.slot = None;
                }
                None
            }
            Action::EditClient(field, value) => {
                match field {
                    ClientField::FirstName => self.client.first_name = value,
                    ClientField::LastName => self.client.last_name = value,
                    ClientField::Email => self.client.email = value,
                    ClientField::Phone => self.client.phone = value,
                }
                // A message already shown goes away as soon as the answer is right.
                if self.errors.contains_key(field.key()) {
                    self.check_key(field.key(), env);
                }
                None
            }
            Action::EditAnswer(id, answer) => {
                let key = answer_key(&id);
                self.answers.insert(id, answer);
                if self.errors.contains_key(&key) {
                    self.check_key(&key, env);
                }
                None
            }
            Action::LeaveField(key) => {
                self.check_key(&key, env);
                None
            }
            Action::ChoosePaymentMethod(m) => {
                self.payment_method = Some(m);
                self.errors.remove("payment_method_type");
                None
            }
            Action::ChoosePaymentOption(o) => {
                self.payment_option = Some(o);
                self.errors.remove("payment_option");
                None
            }
            Action::AcceptPolicies(yes) => {
                self.policies_accepted = yes;
                if yes {
                    self.errors.remove("policy_accepted");
                }
                None
            }
            Action::Continue => self.continue_from_step(env),
            Action::Back => {
                if self.can_go_back() {
                    self.step = self.previous_step();
                    self.notice = None;
                }
                None
            }
            Action::GoTo(step) => {
                if step < self.step && self.step != Step::Booked && !(step == Step::SessionType && self.session_type_fixed) {
                    self.step = step;
                    self.notice = None;
                }
                None
            }
            Action::BookingRefused(refusal) => {
                self.sending = false;
                match refusal {
                    BookingRefusal::SlotTaken => {
                        self.attempt_key = None;
                        self.slot = None;
                        self.step = Step::DateTime;
                        self.notice = Some(text::SLOT_TAKEN.into());
                        Some(Effect::RefreshDay)
                    }
                    BookingRefusal::Invalid(messages) => {
                        self.attempt_key = None;
                        let mut earliest = Step::Review;
                        for (key, message) in messages {
                            let step = if key.starts_with("client.") || key.starts_with("answers.") {
                                Step::Details
                            } else if key.starts_with("payment") {
                                Step::Payment
                            } else if key == "start" || key == "timezone" {
                                Step::DateTime
                            } else {
                                Step::Review
                            };
                            earliest = earliest.min(step);
                            self.errors.insert(key, message);
                        }
                        if earliest == Step::DateTime {
                            self.slot = None;
                            self.notice = Some(text::SLOT_TAKEN.into());
                        } else {
                            self.notice = Some(text::FIX_AND_RETRY.into());
                        }
                        self.step = earliest;
                        (earliest == Step::DateTime).then_some(Effect::RefreshDay)
                    }
                    BookingRefusal::Failed(message) => {
                        // The key is kept: trying again cannot book twice.
                        self.notice = Some(message);
                        None
                    }
                }
            }
            Action::Booked(session) => {
                self.sending = false;
                self.attempt_key = None;
                self.booked = Some(session);
                self.notice = None;
                self.step = Step::Booked;
                None
            }
            Action::StartOver => {
                let zone = self.zone.clone();
                let fixed = self.session_type_fixed.then(|| self.session_type.clone()).flatten();
                let client = std::mem::take(&mut self.client);
                *self = Flow::new(&zone);
                // The visitor's name and e-mail stay for a second booking; answers do not.
                self.client = client;
                if let Some(t) = fixed {
                    self.session_type_fixed = true;
                    self.apply(Action::ChooseSessionType(t), env);
                }
                None
            }
        }
    }

    fn continue_from_step(&mut self, env: &Env) -> Option<Effect> {
        match self.step {
            Step::SessionType => {
                if self.session_type.is_some() {
                    self.step = Step::DateTime;
                }
                None
            }
            Step::DateTime => {
                if self.slot.is_some() {
                    self.step = self.next_step();
                    self.notice = None;
                } else {
                    self.notice = Some(text::CHOOSE_A_TIME.into());
                }
                None
            }
            Step::Details => {
                let keys = self.detail_keys();
                let mut all_ok = true;
                for key in keys {
                    all_ok &= self.check_key(&key, env);
                }
                if all_ok {
                    self.step = self.next_step();
                    self.notice = None;
                }
                None
            }
            Step::Payment => {
                if self.payment_complete() {
                    self.step = Step::Review;
                    self.notice = None;
                }
                None
            }
            Step::Review => {
                if self.has_policies() && !self.policies_accepted {
                    self.errors.insert("policy_accepted".into(), text::ERR_POLICIES.into());
                    return None;
                }
                if self.collects_payment() && !self.payment_complete() {
                    self.step = Step::Payment;
                    return None;
                }
                let body = self.booking_body()?;
                let key = self.attempt_key.get_or_insert_with(env.new_key).clone();
                self.sending = true;
                self.notice = None;
                Some(Effect::SendBooking { key, body })
            }
            Step::Booked => None,
        }
    }
}

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
            "day" => self.day.map(super::iso::format_date),
            "slot" => self.slot.as_ref().map(|s| object! { "start" => &s.start, "end" => &s.end }),
            "zone" => &self.zone,
            "client" => object! { "first_name" => &c.first_name, "last_name" => &c.last_name, "email" => &c.email, "phone" => &c.phone },
            "answers" => answers,
            "payment_method" => &self.payment_method,
            "payment_option" => self.payment_option.map(PaymentOption::as_api),
        }
    }
}

impl FromJson for Draft {
    /// Reads a kept draft; None for anything that is not one (a draft from another version of
    /// the widget, or garbage): then nothing is restored.
    fn from_json(v: &Value) -> Option<Self> {
        use crate::api::json::{object, opt_text, text};
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
            day: opt_text(o, "day").and_then(|d| super::iso::parse_date(&d)),
            slot: object(o, "slot"),
            zone: opt_text(o, "zone"),
            client: ClientDetails { first_name: client_field("first_name"), last_name: client_field("last_name"), email: client_field("email"), phone: client_field("phone") },
            answers,
            payment_method: opt_text(o, "payment_method"),
            payment_option: match opt_text(o, "payment_option").as_deref() {
                Some("full") => Some(PaymentOption::Full),
                Some("partial") => Some(PaymentOption::Deposit),
                _ => None,
            },
        })
    }
}

impl Flow {
    /// The draft to keep; None once booked (nothing is left to keep).
    pub fn draft(&self) -> Option<Draft> {
        // Booked, or nothing chosen or typed yet: there is nothing to keep.
        let untouched = self.session_type.is_none() && self.client == ClientDetails::default() && self.answers.is_empty();
        if self.step == Step::Booked || untouched {
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
        })
    }

    /// Fills in the visitor's name and e-mail given by the page, where they typed nothing. A
    /// name is split at its first space into first and last name.
    pub fn prefill(&mut self, name: Option<&str>, email: Option<&str>) {
        if let Some(name) = name.map(str::trim).filter(|n| !n.is_empty()) {
            let (first, last) = name.split_once(' ').unwrap_or((name, ""));
            if self.client.first_name.is_empty() && self.client.last_name.is_empty() {
                self.client.first_name = first.trim().to_string();
                self.client.last_name = last.trim().to_string();
            }
        }
        if let Some(email) = email.map(str::trim).filter(|e| !e.is_empty()) {
            if self.client.email.is_empty() {
                self.client.email = email.to_string();
            }
        }
    }

    /// Takes a kept draft back. `session_types` are the studio's published ones now: a draft
    /// whose session type is gone keeps only what was typed. The visitor returns at most to
    /// the details step (payment and review are quick to pass again, and a slot may be gone).
    pub fn restore(&mut self, draft: Draft, session_types: &[SessionType], env: &Env) {
        if let Some(zone) = draft.zone.filter(|z| crate::api::paths::is_plausible_zone(z)) {
            self.zone = zone;
        }
        self.client = draft.client;
        self.answers = draft.answers;
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::models::IntakeField;

    fn no_pattern(_: &str, _: &str) -> Option<bool> {
        None
    }

    fn env() -> Env<'static> {
        Env { today: NaiveDate::from_ymd_opt(2025, 8, 1).unwrap(), matcher: &no_pattern, new_key: &|| "key-00000001".to_string() }
    }

    /// Test JSON, written as text.
    fn json(text: &str) -> Value {
        crate::core::json::parse(text).expect("test JSON")
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
        assert_eq!(f.steps(), Step::SHOWN.to_vec());
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
        assert_eq!(f.notice.as_deref(), Some(text::CHOOSE_A_TIME));
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
        assert_eq!(f.notice.as_deref(), Some(text::SLOT_TAKEN));
        assert_eq!(f.client.email, "ana@example.com");
        assert_eq!(f.payment_method.as_deref(), Some("pixieset-payments"));
    }

    #[test]
    fn validation_refusals_go_to_the_earliest_field() {
        let e = env();
        let mut f = to_review(session_type("set_A", true, None, false));
        f.apply(Action::Continue, &e);
        let messages = FieldMap::from_iter([
            ("payment_option".to_string(), "Pick one".to_string()),
            ("client.email".to_string(), "Bad e-mail".to_string()),
        ]);
        assert_eq!(f.apply(Action::BookingRefused(BookingRefusal::Invalid(messages)), &e), None);
        assert_eq!(f.step, Step::Details);
        assert_eq!(f.errors.get("client.email").map(String::as_str), Some("Bad e-mail"));
        assert_eq!(f.client.first_name, "Ana");
        assert!(f.attempt_key.is_none() && !f.sending);
    }

    #[test]
    fn a_failed_send_keeps_its_key_for_the_retry() {
        let e = env();
        let mut f = to_review(session_type("set_A", false, None, false));
        let Some(Effect::SendBooking { key: first, .. }) = f.apply(Action::Continue, &e) else { panic!() };
        f.apply(Action::BookingRefused(BookingRefusal::Failed("offline".into())), &e);
        assert_eq!((f.step, f.notice.as_deref()), (Step::Review, Some("offline")));
        let other_keys = Env { new_key: &|| "key-different".to_string(), ..env() };
        let Some(Effect::SendBooking { key: again, .. }) = f.apply(Action::Continue, &other_keys) else { panic!() };
        assert_eq!(first, again);
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
        let kept = f.draft().unwrap().to_json().to_string();
        let draft: Draft = crate::api::json::decode(&kept).unwrap();
        assert_eq!(Some(&draft), f.draft().as_ref());
        let mut again = Flow::new("UTC");
        again.restore(draft.clone(), &[session_type("set_A", true, Some(2500), false)], &e);
        assert_eq!(again.step, Step::Details);
        assert_eq!((again.zone.as_str(), again.client.first_name.as_str()), ("Europe/London", "Ana"));
        assert_eq!(again.slot, f.slot);
        assert_eq!(again.answers, f.answers);
        assert_eq!(again.payment_method.as_deref(), Some("manual"));
        // The session type is gone: what was typed stays, the choices do not.
        let mut gone = Flow::new("UTC");
        gone.restore(draft, &[], &e);
        assert_eq!((gone.step, gone.session_type.is_none(), gone.client.email.as_str()), (Step::SessionType, true, "ana@example.com"));
        // Garbage in storage is no draft at all.
        assert!(crate::api::json::decode::<Draft>("{\"step\": 7}").is_none());
        assert!(crate::api::json::decode::<Draft>("[]").is_none());
        let odd: Draft = crate::api::json::decode(r#"{"day": "garbage", "month": {"year": 2026, "month": 13}, "answers": {"q": {"Nope": 1}}}"#).unwrap();
        assert_eq!((odd.day, odd.month, odd.answers.len()), (None, None, 0));
        // Once booked, nothing is kept; nor before anything is chosen or typed.
        f.step = Step::Booked;
        assert!(f.draft().is_none());
        assert!(Flow::new("UTC").draft().is_none());
    }
}
