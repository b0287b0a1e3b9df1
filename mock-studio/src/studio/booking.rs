//! A booking: POST /sessions. The request is read first (each field of the JSON type the
//! contract gives it, or 400) and its session type found (400, 404); then each concern is
//! checked in turn, by a function of its own: the start and the zone, the client, the intake
//! answers, the coupon, the payment, the contract's signature, the policies. Their problems
//! are gathered into one 422 `validation_failed`, so that a client corrects them all at once.
//! Only a request with none has its slot checked (taken: 409; never offered, or outside the
//! notice window: see [`slot_refusal`]) and is booked.

use chrono::{DateTime, NaiveDate, SecondsFormat, Utc};
use chrono_tz::Tz;
use serde_json::{json, Map, Value};

use super::{keyed_request, slot_refusal, NewSession, Offering, Reply, Studio};
use crate::engine::Availability;
use crate::model::{ContractSignature, Coupon, IntakeField, Payment};
use crate::rules::{amount_due, check_answer, chosen_amount, discount_amount, is_email, is_phone};

/// A booking request as read: each field of the JSON type the contract gives it, nothing
/// else checked yet.
struct BookingRequest {
    session_type_id: String,
    start: String,
    timezone: String,
    client: Map<String, Value>,
    answers: Map<String, Value>,
    /// None when left out, null or blank.
    coupon_code: Option<String>,
    contract_signature: Option<Map<String, Value>>,
    /// "" when left out or not a string: no choice made.
    payment_method_type: String,
    payment_option: String,
    policy_accepted: bool,
}

fn bad_request(message: &str) -> Reply {
    Reply::error(400, "bad_request", message)
}

/// A string field the request must have.
fn text(request: &Value, name: &str) -> Result<String, Reply> {
    match request.get(name) {
        Some(Value::String(s)) => Ok(s.clone()),
        None | Some(Value::Null) => Err(bad_request(&format!("{name} is required"))),
        Some(_) => Err(bad_request(&format!("{name} must be a string"))),
    }
}

/// An object field the request may leave out (or send as null).
fn object(request: &Value, name: &str) -> Result<Option<Map<String, Value>>, Reply> {
    match request.get(name) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Object(m)) => Ok(Some(m.clone())),
        Some(_) => Err(bad_request(&format!("{name} must be an object"))),
    }
}

/// A yes as a client may send it: `true`, or `1` as older clients do.
fn yes(v: Option<&Value>) -> bool {
    matches!(v, Some(Value::Bool(true))) || v.and_then(Value::as_u64) == Some(1)
}

impl BookingRequest {
    /// Reads the request's fields in the order a 400 names the first one wrong.
    fn read(request: &Value) -> Result<BookingRequest, Reply> {
        let session_type_id = text(request, "session_type_id")?;
        let start = text(request, "start")?;
        let timezone = text(request, "timezone")?;
        let client = object(request, "client")?.ok_or_else(|| bad_request("client is required"))?;
        let answers = object(request, "answers")?.unwrap_or_default();
        let coupon_code = match request.get("coupon_code") {
            None | Some(Value::Null) => None,
            Some(Value::String(s)) if s.trim().is_empty() => None,
            Some(Value::String(s)) => Some(s.clone()),
            Some(_) => return Err(bad_request("coupon_code must be a string")),
        };
        let contract_signature = object(request, "contract_signature")?;
        let choice = |name: &str| request.get(name).and_then(Value::as_str).unwrap_or("").to_string();
        Ok(BookingRequest {
            session_type_id,
            start,
            timezone,
            client,
            answers,
            coupon_code,
            contract_signature,
            payment_method_type: choice("payment_method_type"),
            payment_option: choice("payment_option"),
            policy_accepted: yes(request.get("policy_accepted")),
        })
    }
}

/// The details of a 422 `validation_failed`: each answer that needs another look, by its
/// path in the request (`client.email`, `answers.q_people`), with what to tell the client.
#[derive(Default)]
struct Problems(Map<String, Value>);

impl Problems {
    fn one(path: &str, message: &str) -> Problems {
        let mut p = Problems::default();
        p.add(path, message);
        p
    }

    fn add(&mut self, path: &str, message: &str) {
        self.0.insert(path.to_string(), json!([message]));
    }

    /// `value` when nothing needs another look.
    fn or<T>(self, value: T) -> Result<T, Problems> {
        if self.0.is_empty() {
            Ok(value)
        } else {
            Err(self)
        }
    }

    /// What a check gives when it passes; when it fails, its problems join these.
    fn take<T>(&mut self, checked: Result<T, Problems>) -> Option<T> {
        checked.map_err(|p| self.0.extend(p.0)).ok()
    }

    fn reply(self) -> Reply {
        Reply::error_with(422, "validation_failed", "Some answers need another look.", Value::Object(self.0))
    }
}

/// The start: an instant with its offset.
fn check_start(start: &str) -> Result<DateTime<Utc>, Problems> {
    DateTime::parse_from_rfc3339(start)
        .map(|t| t.with_timezone(&Utc))
        .map_err(|_| Problems::one("start", "must be a date and time like 2025-08-07T09:00:00+01:00"))
}

/// The zone the client books in, which the session's times are shown in.
fn check_timezone(zone: &str) -> Result<Tz, Problems> {
    zone.parse().map_err(|_| Problems::one("timezone", "is not an IANA time zone name"))
}

/// The client as the studio keeps them: trimmed names and e-mail, and a phone if given.
struct ClientDetails {
    first: String,
    last: String,
    email: String,
    phone: Option<String>,
}

/// The client's names (1 to 100 characters), e-mail address and optional phone number.
fn check_client(client: &Map<String, Value>) -> Result<ClientDetails, Problems> {
    let mut p = Problems::default();
    let text = |name: &str| client.get(name).and_then(Value::as_str).map(str::trim).unwrap_or("").to_string();
    let (first, last, email) = (text("first_name"), text("last_name"), text("email"));
    for (path, name, missing) in
        [("client.first_name", &first, "Please enter your first name."), ("client.last_name", &last, "Please enter your last name.")]
    {
        if name.is_empty() {
            p.add(path, missing);
        } else if name.chars().count() > 100 {
            p.add(path, "Please enter at most 100 characters.");
        }
    }
    if email.is_empty() {
        p.add("client.email", "Please enter your e-mail address.");
    } else if !is_email(&email) {
        p.add("client.email", "Please enter an e-mail address like name@example.com.");
    }
    let phone = match client.get("phone") {
        None | Some(Value::Null) => None,
        Some(Value::String(s)) if s.trim().is_empty() => None,
        Some(Value::String(s)) if is_phone(s) => Some(s.trim().to_string()),
        Some(_) => {
            p.add("client.phone", "Please enter a phone number, or leave it empty.");
            None
        }
    };
    p.or(ClientDetails { first, last, email, phone })
}

/// The answers to the session type's intake form, in the form's order: those kept (as the
/// form reads them; answers to no question are dropped), or each one refused.
fn check_answers(o: &Offering, answers: &Map<String, Value>, today: NaiveDate) -> Result<Map<String, Value>, Problems> {
    let mut p = Problems::default();
    let mut kept = Map::new();
    let mut fields: Vec<&IntakeField> = o.api.intake_form_fields.iter().collect();
    fields.sort_by_key(|f| f.order);
    for field in fields {
        match check_answer(field, answers.get(&field.id), today) {
            Ok(Some(v)) => {
                kept.insert(field.id.clone(), v);
            }
            Ok(None) => {}
            Err(message) => p.add(&format!("answers.{}", field.id), &message),
        }
    }
    p.or(kept)
}

/// What the client pays and how, when the session type collects payment: the full price
/// less the coupon's discount; nothing to choose when that is nothing, else a method the
/// session type has switched on, and "full" or (where there is a deposit) "partial".
fn check_payment(o: &Offering, coupon: Option<&Coupon>, method: &str, option: &str) -> Result<Option<Payment>, Problems> {
    if !o.api.collect_payment.get() {
        return Ok(None);
    }
    let full = o.api.payment_amount_full;
    let (discount, coupon_code) = match coupon {
        Some(c) => (discount_amount(full, c.discount), Some(c.code.clone())),
        None => (0, None),
    };
    let price = full - discount;
    let payment = |method_type: Option<String>, option: &str, amount_due: u64, instructions: Option<String>| Payment {
        method_type,
        option: option.into(),
        price,
        discount,
        coupon_code: coupon_code.clone(),
        amount_due,
        currency: o.api.currency.clone(),
        instructions,
        checkout_url: None,
    };
    if price == 0 {
        // Nothing to pay: no method is needed, and none sent is used.
        return Ok(Some(payment(None, "full", 0, None)));
    }
    let mut p = Problems::default();
    let chosen = o.api.payment_methods.iter().find(|m| m.kind == method && m.enabled.get());
    if chosen.is_none() {
        p.add("payment_method_type", "Please choose how you would like to pay.");
    }
    let amount = match option {
        "full" => Some(price),
        "partial" if o.api.payment_amount_partial.is_some() => Some(chosen_amount(price, o.api.payment_amount_partial, true)),
        "partial" => {
            p.add("payment_option", "This session has no deposit: please pay in full.");
            None
        }
        _ => {
            p.add("payment_option", "Please choose to pay in full or a deposit.");
            None
        }
    };
    match (chosen, amount) {
        (Some(m), Some(amount)) => Ok(Some(payment(Some(m.kind.clone()), option, amount_due(amount, &o.api.taxes), m.instructions.clone()))),
        _ => Err(p),
    }
}

/// The client's signature, when the session type has a contract: the name they typed (2 to
/// 120 characters) and their agreement, kept with the instant on the studio's clock.
fn check_signature(o: &Offering, signature: Option<&Map<String, Value>>, now: DateTime<Utc>) -> Result<Option<ContractSignature>, Problems> {
    if o.api.contract.is_none() {
        return Ok(None);
    }
    let refuse = |message: &str| Err(Problems::one("contract_signature", message));
    let Some(sig) = signature else {
        return refuse("Please read the contract, type your full name as your signature and agree to it.");
    };
    let name = sig.get("name").and_then(Value::as_str).map(str::trim).unwrap_or("");
    if !(2..=120).contains(&name.chars().count()) {
        return refuse("Please type your full name as your signature (2 to 120 characters).");
    }
    if !yes(sig.get("agreed")) {
        return refuse("Please agree to the contract to book.");
    }
    Ok(Some(ContractSignature { name: name.to_string(), signed_at: now.to_rfc3339_opts(SecondsFormat::Secs, false) }))
}

/// The client's agreement to the studio's policies, when the session type has any.
fn check_policy(o: &Offering, accepted: bool) -> Result<(), Problems> {
    let has = |p: &Option<String>| p.as_deref().is_some_and(|s| !s.trim().is_empty());
    if (has(&o.api.cancellation_policy) || has(&o.api.reschedule_policy)) && !accepted {
        return Err(Problems::one("policy_accepted", "Please read and agree to the studio's policies."));
    }
    Ok(())
}

impl Studio {
    /// POST /sessions: books a session. `key` is the Idempotency-Key header, `body` the raw body.
    pub fn book(&mut self, key: Option<&str>, body: &[u8]) -> Reply {
        let (key, request) = match keyed_request(key, body, "booking attempt") {
            Ok(v) => v,
            Err(r) => return r,
        };
        let reused = "This Idempotency-Key was used for a different booking: make a new key for a new attempt.";
        if let Some(previous) = self.idempotency.replay(key, &request, reused) {
            return previous;
        }
        let reply = self.book_once(&request);
        // Only a booking made is remembered: a refused request may be corrected and sent again.
        self.idempotency.keep(key, request, &reply, 201);
        reply
    }

    /// The coupon the request's code names, if it gives one and it may be used now. A
    /// refused code is named in details.coupon_code by the coupon endpoint's own code
    /// (coupon_not_found, coupon_expired, coupon_used_up), for the client to put in words.
    fn check_coupon_code(&self, o: &Offering, code: Option<&str>, now: DateTime<Utc>) -> Result<Option<usize>, Problems> {
        match code {
            None => Ok(None),
            Some(code) => self.find_coupon(o, code, now).map(Some).map_err(|refusal| Problems::one("coupon_code", refusal.code())),
        }
    }

    fn book_once(&mut self, request: &Value) -> Reply {
        let req = match BookingRequest::read(request) {
            Ok(r) => r,
            Err(r) => return r,
        };
        let o = match self.offering(&req.session_type_id) {
            Ok(o) => o.clone(),
            Err(r) => return r,
        };
        let now = self.now();
        let today = now.with_timezone(&o.schedule.zone).date_naive();
        // Each concern in turn, every one of them checked even when an earlier one failed.
        let mut problems = Problems::default();
        let start = problems.take(check_start(&req.start));
        let zone = problems.take(check_timezone(&req.timezone));
        let client = problems.take(check_client(&req.client));
        let answers = problems.take(check_answers(&o, &req.answers, today));
        let coupon = problems.take(self.check_coupon_code(&o, req.coupon_code.as_deref(), now));
        let discount = coupon.flatten().map(|i| &self.coupons[i].coupon);
        let payment = problems.take(check_payment(&o, discount, &req.payment_method_type, &req.payment_option));
        let signature = problems.take(check_signature(&o, req.contract_signature.as_ref(), now));
        let policy = problems.take(check_policy(&o, req.policy_accepted));
        // A check gives its value only when it passes: one missing is a problem to tell.
        let (Some(start), Some(zone), Some(client), Some(answers), Some(coupon), Some(payment), Some(contract_signature), Some(())) =
            (start, zone, client, answers, coupon, payment, signature, policy)
        else {
            return problems.reply();
        };

        // The slot last: the time asked for may be taken (409), or never offered (422).
        let busy = self.busy();
        if let Some(refused) = slot_refusal(&Availability { schedule: &o.schedule, rules: &o.rules, busy: &busy, now }, start) {
            return refused;
        }
        let client = self.client_for(&client.first, &client.last, &client.email, client.phone);
        let new = NewSession { start, zone, client, answers, payment, contract_signature };
        let (session, token) = self.store_session(&o, new, now);
        // A use is counted once the session is booked: a refused booking uses nothing, and a
        // replay of this answer never comes back here.
        if let Some(i) = coupon {
            self.coupons[i].uses += 1;
        }
        let mut data = json!(session);
        data["manage_token"] = json!(token);
        Reply::data(201, data)
    }
}

#[cfg(test)]
mod tests {
    use super::super::{Clock, StudioConfig};
    use super::*;
    use crate::demo;

    #[test]
    fn a_deposit_above_the_full_price_costs_the_full_price() {
        let now = DateTime::parse_from_rfc3339("2025-08-01T09:00:00Z").unwrap().with_timezone(&Utc);
        let mut studio = Studio::demo(StudioConfig { clock: Clock::Fixed(now), seed_bookings: false, ..Default::default() });
        let id = demo::family_portrait_id();
        let book = |studio: &mut Studio, key: &str, start: &str| {
            let body = json!({
                "session_type_id": id, "start": start, "timezone": "Europe/London",
                "client": {"first_name": "Ana", "last_name": "Silva", "email": "ana@example.com"},
                "answers": {"q_people": 3, "q_place": "park"},
                "payment_method_type": "pixieset-payments", "payment_option": "partial", "policy_accepted": true
            });
            let reply = studio.book(Some(key), body.to_string().as_bytes());
            assert_eq!(reply.status, 201, "{}", reply.body);
            reply.body["data"]["payment"]["amount_due"].clone()
        };
        let slots = studio.day_availability(&id, "2025-8-5-Europe/London").body["data"]["slots"].clone();
        let slot = |i: usize| slots[i]["start"].as_str().unwrap().to_string();
        assert_eq!(book(&mut studio, "key-deposit-1", &slot(0)), 7_500); // the demo's deposit (VAT included)
        studio.offerings.iter_mut().find(|o| o.api.id == id).unwrap().api.payment_amount_partial = Some(99_999);
        assert_eq!(book(&mut studio, "key-deposit-2", &slot(2)), 25_000);
    }

    #[test]
    fn requests_are_read_field_by_field_in_order() {
        let code = |v: Value| BookingRequest::read(&v).err().map(|r| r.body["error"]["message"].as_str().unwrap().to_string());
        assert_eq!(code(json!({})), Some("session_type_id is required".into()));
        assert_eq!(code(json!({"session_type_id": "x", "start": 1, "timezone": 2})), Some("start must be a string".into()));
        let base = json!({"session_type_id": "x", "start": "s", "timezone": "z"});
        assert_eq!(code(base.clone()), Some("client is required".into()));
        let mut r = base.clone();
        r["client"] = json!({});
        assert_eq!(code(r.clone()), None);
        r["answers"] = json!([]);
        assert_eq!(code(r.clone()), Some("answers must be an object".into()));
        r["answers"] = json!(null);
        r["coupon_code"] = json!("  ");
        r["policy_accepted"] = json!(1);
        let read = BookingRequest::read(&r).ok().unwrap();
        assert_eq!((read.coupon_code, read.policy_accepted, read.payment_option.as_str()), (None, true, ""));
    }
}
