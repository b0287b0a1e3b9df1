//! The booking flow as a state machine: where the visitor is, what they chose and typed.
//! Views send [`Action`]s; [`Flow::apply`] decides what changes, what each change clears,
//! and which [`Effect`] (a booking to send) follows. Nothing here touches the DOM or the
//! network, so every rule is tested natively.
//!
//! The flow's answers are typed: a field's [`Problem`], a step's [`Notice`], a refusal's
//! [`Failure`]; the widget puts them into words. The booking request it sends is written in
//! [`request`], the draft kept across a reload in [`draft`].
//!
//! Clearing rules: a new session type clears the day, the slot and the payment choices; a new
//! day clears the slot; a new time zone clears the slot (the day's slots are asked again).
//! Nothing clears what the visitor typed: not a validation error, not a step back, not a new
//! session type, not a refused booking.

mod actions;
mod draft;
mod later;
pub mod manage;
pub mod request;
mod sending;
#[cfg(test)]
mod tests;

use chrono::NaiveDate;

use crate::calendar::YearMonth;
use crate::field_map::FieldMap;
use crate::json::Value;
use crate::models::{BookedSession, Coupon, IntakeField, SessionType, Slot};
use crate::money::{discount_on, payment_options, price_after, PaymentOption};
use crate::outcome::VALIDATION_FAILED;
pub use crate::outcome::{ApiError, Failure, Notice};
pub use crate::validation::Problem;
use crate::validation::{
    answer_key, check_answer, check_client_field, check_signature, coupon_shape, Answer, ClientDetails, PatternMatcher, EMAIL, FIRST_NAME, LAST_NAME,
    PHONE,
};
pub use actions::{coupon_answer, Action, BookingRefusal, ClientField, Effect, Later, Step};
pub use draft::Draft;
use manage::{ManageRefusal, Managed};
use request::{CONTRACT_SIGNATURE, COUPON_CODE, PAYMENT_METHOD_TYPE, PAYMENT_OPTION, POLICY_ACCEPTED};

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
    /// What is wrong beside each field, by key.
    pub errors: FieldMap<Problem>,
    pub payment_method: Option<String>,
    pub payment_option: Option<PaymentOption>,
    pub policies_accepted: bool,
    /// The name typed as the contract's signature, and its "I agree" box.
    pub signature: String,
    pub contract_agreed: bool,
    /// The coupon code as typed, and the coupon the studio confirmed for it.
    pub coupon_typed: String,
    pub coupon: Option<Coupon>,
    /// What the applied coupon takes off the full price (set when it is applied, so that the
    /// first steps' code does not compute it).
    coupon_off: u64,
    /// A code is being checked with the studio.
    pub coupon_checking: bool,
    /// "Continue" was pressed with a code typed but not applied: it goes on once the code is.
    continue_after_coupon: bool,
    /// A session opened through its manage link (the widget then manages it, not books).
    pub managing: Option<Managed>,
    /// The Idempotency-Key of the booking attempt under way (kept for its retries).
    pub attempt_key: Option<String>,
    /// The request that key was first sent with: a key is only ever sent again with the same
    /// request (the contract refuses a key reused for another, `idempotency_key_reused`).
    /// (As JSON text: the widget writes it so to send it anyway.)
    pub attempt_body: Option<String>,
    pub sending: bool,
    /// A message for the current step (a slot taken, a booking that failed).
    pub notice: Option<Notice>,
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
            signature: String::new(),
            contract_agreed: false,
            coupon_typed: String::new(),
            coupon: None,
            coupon_off: 0,
            coupon_checking: false,
            continue_after_coupon: false,
            managing: None,
            attempt_key: None,
            attempt_body: None,
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
        self.session_type.as_ref().is_some_and(SessionType::has_policies)
    }

    /// Whether the chosen session type has a contract to sign.
    pub fn has_contract(&self) -> bool {
        self.session_type.as_ref().is_some_and(|t| t.contract.is_some())
    }

    /// What the applied coupon takes off the full price (0 without one).
    pub fn discount(&self) -> u64 {
        if self.coupon.is_some() {
            self.coupon_off
        } else {
            0
        }
    }

    /// Applies a coupon the studio confirmed (or none): what it takes off is computed here.
    fn set_coupon(&mut self, coupon: Option<Coupon>) {
        self.coupon_off = match (&self.session_type, &coupon) {
            (Some(t), Some(c)) => discount_on(t.payment_amount_full, c.discount),
            _ => 0,
        };
        self.coupon = coupon;
    }

    /// Whether a coupon brought the price to 0: nothing to pay, no method needed.
    pub fn nothing_to_pay(&self) -> bool {
        self.coupon.is_some() && self.session_type.as_ref().is_some_and(|t| price_after(t, self.coupon_off) == 0)
    }

    /// The steps this booking goes through (payment only when the chosen session type takes
    /// it, the contract only when it has one; five before one is chosen). None while a
    /// booked session is managed.
    pub fn steps(&self) -> Vec<Step> {
        if self.managing.is_some() {
            return Vec::new();
        }
        let unknown = self.session_type.is_none();
        Step::SHOWN
            .into_iter()
            .filter(|s| *s != Step::Payment || unknown || self.collects_payment())
            .filter(|s| *s != Step::Contract || self.has_contract())
            .collect()
    }

    fn next_step(&self) -> Step {
        match self.step {
            Step::SessionType => Step::DateTime,
            Step::DateTime if self.managing.is_some() => Step::Review,
            Step::DateTime => Step::Details,
            Step::Details if self.collects_payment() => Step::Payment,
            Step::Details | Step::Payment if self.has_contract() => Step::Contract,
            Step::Details | Step::Payment | Step::Contract => Step::Review,
            Step::Review | Step::Booked => Step::Booked,
            Step::Manage => Step::Manage,
        }
    }

    fn previous_step(&self) -> Step {
        match self.step {
            Step::DateTime if self.managing.is_some() => Step::Manage,
            Step::Review if self.managing.is_some() => Step::DateTime,
            Step::SessionType => Step::SessionType,
            Step::DateTime if self.session_type_fixed => Step::DateTime,
            Step::DateTime => Step::SessionType,
            Step::Details => Step::DateTime,
            Step::Payment => Step::Details,
            Step::Review if self.has_contract() => Step::Contract,
            Step::Review | Step::Contract if self.collects_payment() => Step::Payment,
            Step::Review | Step::Contract => Step::Details,
            Step::Booked => Step::Booked,
            Step::Manage => Step::Manage,
        }
    }

    /// Whether "Back" leads anywhere.
    pub fn can_go_back(&self) -> bool {
        !matches!(self.step, Step::Booked | Step::Manage) && self.previous_step() != self.step && !self.sending
    }

    /// The payment options the chosen session type offers.
    pub fn payment_options(&self) -> Vec<PaymentOption> {
        self.session_type.as_ref().map(payment_options).unwrap_or_default()
    }

    /// The chosen session type's intake questions in the studio's order (by `order`; equal
    /// orders keep the order they came in). Sorted by insertion: a form has a handful of
    /// questions, and a library sort would be made again for this one type.
    pub fn intake_fields(&self) -> Vec<IntakeField> {
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
        self.record(key, result)
    }

    /// Records a check's problem under `key`, or clears the one there; whether it was fine.
    fn record(&mut self, key: &str, result: Result<(), Problem>) -> bool {
        match result {
            Ok(()) => {
                self.errors.remove(key);
                true
            }
            Err(problem) => {
                self.errors.insert(key.to_string(), problem);
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
        let Some(t) = &self.session_type else {
            return false;
        };
        if self.nothing_to_pay() {
            self.errors.remove(PAYMENT_METHOD_TYPE);
            self.errors.remove(PAYMENT_OPTION);
            return true;
        }
        let method_ok = self.payment_method.as_deref().is_some_and(|m| t.offers_method(m));
        if !method_ok {
            self.errors.insert(PAYMENT_METHOD_TYPE.into(), Problem::NoPaymentMethod);
        } else {
            self.errors.remove(PAYMENT_METHOD_TYPE);
        }
        if self.payment_option.is_none() && self.payment_options().len() == 1 {
            self.payment_option = Some(PaymentOption::Full);
        }
        let option_ok = self.payment_option.is_some_and(|o| self.payment_options().contains(&o));
        if !option_ok {
            self.errors.insert(PAYMENT_OPTION.into(), Problem::NoPaymentOption);
        } else {
            self.errors.remove(PAYMENT_OPTION);
        }
        method_ok && option_ok
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
                    self.contract_agreed = false;
                    // A coupon is for one session type; the code typed stays to try again.
                    self.coupon = None;
                    self.coupon_checking = false;
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
                self.errors.remove(PAYMENT_METHOD_TYPE);
                None
            }
            Action::ChoosePaymentOption(o) => {
                self.payment_option = Some(o);
                self.errors.remove(PAYMENT_OPTION);
                None
            }
            Action::AcceptPolicies(yes) => {
                self.policies_accepted = yes;
                if yes {
                    self.errors.remove(POLICY_ACCEPTED);
                }
                None
            }
            Action::OpenManaged { query } => {
                *self = Flow::new(&self.zone);
                self.managing = Some(Managed::new(String::new(), String::new()));
                self.session_type_fixed = true;
                self.step = Step::Manage;
                Some(Effect::LoadManaged { query })
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
                        self.notice = Some(Notice::SlotTaken);
                        Some(Effect::RefreshDay)
                    }
                    BookingRefusal::Invalid(problems) => {
                        self.attempt_key = None;
                        let mut earliest = Step::Review;
                        if problems.contains_key(COUPON_CODE) {
                            self.coupon = None;
                        }
                        for (key, problem) in problems {
                            earliest = earliest.min(request::step_of(&key));
                            self.errors.insert(key, problem);
                        }
                        if earliest == Step::DateTime {
                            self.slot = None;
                            self.notice = Some(Notice::SlotTaken);
                        } else {
                            self.notice = Some(Notice::FixAndRetry);
                        }
                        self.step = earliest;
                        (earliest == Step::DateTime).then_some(Effect::RefreshDay)
                    }
                    BookingRefusal::Failed(failure) => {
                        // The key is kept: trying again cannot book twice. Unless the studio
                        // says it was used for another request: the next attempt is a new one.
                        if failure.is_key_reused() {
                            self.attempt_key = None;
                        }
                        self.notice = Some(Notice::BookingFailed(failure));
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
                    self.notice = Some(Notice::ChooseATime);
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
                    self.step = self.next_step();
                    self.notice = None;
                }
                None
            }
            // The later steps' own "Continue" is [`Later::Continue`].
            Step::Contract | Step::Manage => None,
            Step::Review if self.managing.is_some() => None,
            Step::Review => {
                if self.has_policies() && !self.policies_accepted {
                    self.errors.insert(POLICY_ACCEPTED.into(), Problem::PoliciesNotAccepted);
                    return None;
                }
                if self.collects_payment() && !self.payment_complete() {
                    self.step = Step::Payment;
                    return None;
                }
                if self.has_contract() && !self.check_signature() {
                    self.step = Step::Contract;
                    return None;
                }
                let body = self.booking_body()?;
                let key = self.attempt(&body, env);
                Some(Effect::SendBooking { key, body })
            }
            Step::Booked => None,
        }
    }
}
