//! A booking (`POST /sessions`), checked before it reaches the studio: only the contract's
//! fields, within the gateway's limits, of a published session type, by the core's own rules
//! (the very checks the widget makes), at a time that is open right now. The studio sees only
//! what passed, under the visitor's Idempotency-Key.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use axum::routing::post;
use axum::Router;
use serde_json::{Map, Value};
use studio_booking_core::flow::request::{
    check_request, ANSWERS, CLIENT, CONTRACT_SIGNATURE, COUPON_CODE, PAYMENT_METHOD_TYPE, PAYMENT_OPTION, POLICY_ACCEPTED, SESSION_TYPE_ID, START,
    TIMEZONE,
};
use studio_booking_core::models::SessionType;
use studio_booking_core::read::FromJson;
use studio_booking_core::validation::Problem;
use studio_booking_core::{facts, iso, json as core_json, paths};

use super::catalogue::{day_path, zone_of};
use super::guards::idempotency_key;
use super::{data_answer, route, ApiError, Gateway};
use crate::config::Config;
use crate::public;
use crate::waitlist::Hold;

impl Gateway {
    /// Whether the studio already holds a session of this type, at this instant, for this
    /// e-mail address (a booking whose answer was lost on its way back).
    async fn booked_already(&self, id: &str, start_ms: i64, email: &str) -> bool {
        let email = email.trim();
        if email.is_empty() {
            return false;
        }
        let Ok(answer) = self.studio.get(&paths::sessions("")).await else { return false };
        let sessions: Vec<Value> =
            serde_json::from_slice::<Value>(&answer.body).ok().and_then(|b| b.get("data").and_then(Value::as_array).cloned()).unwrap_or_default();
        sessions.iter().any(|s| {
            s.get("session_type_id").and_then(Value::as_str) == Some(id)
                && s.get("start").and_then(Value::as_str).and_then(iso::parse_instant_ms) == Some(start_ms)
                && s.pointer("/client/email").and_then(Value::as_str).is_some_and(|e| e.trim().eq_ignore_ascii_case(email))
                && s.get("status").and_then(Value::as_str) != Some("cancelled")
        })
    }
}

/// A JSON value as the core reads it, converted as it stands: the core's own parser would
/// read the same value from its printed text (numbers as `f64`, members in the same order),
/// without the printing and the reading.
pub(crate) fn core_value(v: &Value) -> core_json::Value {
    match v {
        Value::Null => core_json::Value::Null,
        Value::Bool(b) => core_json::Value::Bool(*b),
        Value::Number(n) => core_json::Value::Number(n.as_f64().unwrap_or(0.0)),
        Value::String(s) => core_json::Value::String(s.clone()),
        Value::Array(items) => core_json::Value::Array(items.iter().map(core_value).collect()),
        Value::Object(members) => {
            let mut o = core_json::Object::new();
            for (k, v) in members {
                o.insert(k.clone(), core_value(v));
            }
            core_json::Value::Object(o)
        }
    }
}

/// A studio's pattern, matched whole, as the widget matches it (JavaScript's RegExp there,
/// the regex crate here); None for a pattern that does not compile (not applied).
fn pattern_matches(pattern: &str, value: &str) -> Option<bool> {
    let re = regex::RegexBuilder::new(&format!("^(?:{pattern})$")).size_limit(1 << 20).build().ok()?;
    Some(re.is_match(value))
}

/// The booking request's fields the contract names, and nothing else.
fn booking_fields(request: &Value) -> Value {
    let only = |v: &Value, keys: &[&str]| {
        let mut kept = Map::new();
        for k in keys {
            if let Some(x) = v.get(*k) {
                kept.insert((*k).to_string(), x.clone());
            }
        }
        Value::Object(kept)
    };
    let mut out = Map::new();
    for key in
        [SESSION_TYPE_ID, START, TIMEZONE, CLIENT, ANSWERS, PAYMENT_METHOD_TYPE, PAYMENT_OPTION, POLICY_ACCEPTED, COUPON_CODE, CONTRACT_SIGNATURE]
    {
        if let Some(v) = request.get(key) {
            let v = match key {
                CLIENT => only(v, &["first_name", "last_name", "email", "phone"]),
                // A signature is an object of these two; null (none) or anything else is left
                // as it is, for the checks to refuse.
                CONTRACT_SIGNATURE if v.is_object() => only(v, &["name", "agreed"]),
                _ => v.clone(),
            };
            out.insert(key.to_string(), v);
        }
    }
    Value::Object(out)
}

/// Refuses a booking with too many answers, or an answer or detail too long.
fn within_limits(config: &Config, request: &Value) -> Result<(), ApiError> {
    let answers = request.get(ANSWERS).and_then(Value::as_object);
    if answers.is_some_and(|a| a.len() > config.max_answers) {
        return Err(ApiError::BadRequest("The booking has more answers than the studio asks for."));
    }
    let long = |v: &Value| match v {
        Value::String(s) => s.chars().count() > config.max_answer_chars,
        Value::Array(items) => items.len() > 100 || items.iter().any(|i| i.as_str().is_some_and(|s| s.chars().count() > config.max_answer_chars)),
        Value::Object(_) => true,
        _ => false,
    };
    let client_long =
        request.get(CLIENT).and_then(Value::as_object).is_some_and(|c| c.values().any(|v| v.as_str().is_some_and(|s| s.chars().count() > 320)));
    if answers.is_some_and(|a| a.values().any(long)) || client_long {
        return Err(ApiError::BadRequest("An answer is longer than the gateway takes."));
    }
    Ok(())
}

/// `POST /sessions`: a booking, checked before it reaches the studio.
async fn book(State(g): State<Arc<Gateway>>, headers: HeaderMap, body: Result<Bytes, BytesRejection>) -> Result<Response, ApiError> {
    let body = body.map_err(|_| ApiError::TooLarge("The booking is larger than the gateway takes."))?;
    let key = idempotency_key(&headers, "A booking needs an Idempotency-Key header of 8 to 255 visible characters.")?;
    let request: Value = serde_json::from_slice(&body).map_err(|_| ApiError::BadRequest("The booking is not JSON."))?;
    let request = booking_fields(&request);
    within_limits(&g.config, &request)?;
    let id = request.get(SESSION_TYPE_ID).and_then(Value::as_str).ok_or_else(|| ApiError::invalid(SESSION_TYPE_ID, Problem::Required))?;
    let t = SessionType::from_json(&core_value(&g.published(id).await?)).ok_or(ApiError::Unreadable)?;
    let (zone_name, start) = (request.get(TIMEZONE).and_then(Value::as_str).unwrap_or(""), request.get(START).and_then(Value::as_str).unwrap_or(""));
    let zone = zone_of(zone_name).ok_or_else(|| ApiError::invalid(TIMEZONE, Problem::WrongFormat))?;
    let start_ms = iso::parse_instant_ms(start).ok_or_else(|| ApiError::invalid(START, Problem::WrongFormat))?;
    let instant = chrono::DateTime::from_timestamp_millis(start_ms).unwrap_or_default();
    let today = chrono::Utc::now().with_timezone(&zone).date_naive();
    let problems = check_request(&t, &core_value(&request), today, &pattern_matches);
    if !problems.is_empty() {
        return Err(ApiError::invalid_all(problems));
    }
    // A slot held for someone on the waitlist is theirs alone: bookable only with that
    // offer's token (any other booking of it, or one the holds cannot be read for, is 409 or
    // 503, never booked past the hold).
    let mut offer_id = None;
    if let Some(w) = g.waitlist.as_deref() {
        let token = super::waitlist::offer_token(&headers);
        let token = token.as_ref().and_then(|t| t.to_str().ok());
        match w.store.hold_check(id, start_ms, token, crate::offers::now_ms()).await {
            Ok(Hold::Free) => {}
            Ok(Hold::ForThisToken { offer_id: held_for }) => offer_id = Some(held_for),
            Ok(Hold::Held) => return Err(ApiError::SlotUnavailable),
            Err(e) => {
                tracing::warn!(error = %e, "waitlist: holds not read for a booking");
                return Err(ApiError::WaitlistUnavailable);
            }
        }
    }
    // The slot must be open right now: among that day's slots, in the visitor's zone.
    let day = g.studio.get(&day_path(id, instant.with_timezone(&zone).date_naive(), zone_name)).await?;
    if day.status != 200 {
        return Err(ApiError::from_studio(&day));
    }
    let open = serde_json::from_slice::<Value>(&day.body)
        .ok()
        .and_then(|b| b.pointer("/data/slots").and_then(Value::as_array).cloned())
        .is_some_and(|slots| slots.iter().any(|s| s.get("start").and_then(Value::as_str).and_then(iso::parse_instant_ms) == Some(start_ms)));
    // A time no longer open may be this very booking, made by an attempt whose answer was
    // lost: then the studio answers it again under its Idempotency-Key (or refuses another
    // key), so it goes on. Anything else never reaches the studio.
    if !open && !g.booked_already(id, start_ms, request.pointer("/client/email").and_then(Value::as_str).unwrap_or("")).await {
        return Err(ApiError::SlotUnavailable);
    }
    let answer = g.studio.book(&key, Bytes::from(request.to_string())).await?;
    if let (Some(w), Some(offer)) = (g.waitlist.as_deref(), &offer_id) {
        // Booked from an offer: the person's entry ends. Refused as taken (the photographer
        // took the slot by hand): they keep their place for the next freed slot.
        let now = crate::offers::now_ms();
        let done = match answer.status {
            200 | 201 => w.store.booked(offer, now).await,
            409 => w.store.taken(offer, now).await,
            _ => Ok(()),
        };
        if let Err(e) = done {
            tracing::warn!(error = %e, "waitlist: an offer's booking not recorded");
        }
        w.holds_changed();
        w.mail_queued.notify_one();
    }
    if answer.status != 201 && answer.status != 200 {
        return Err(ApiError::from_studio(&answer));
    }
    // One photographer, one calendar: every session type's days may have changed.
    g.availability.invalidate_all();
    let status = StatusCode::from_u16(answer.status).unwrap_or(StatusCode::CREATED);
    let session = serde_json::from_slice::<Value>(&answer.body).ok().and_then(|b| b.get("data").map(public::session)).ok_or(ApiError::Unreadable)?;
    Ok(data_answer(status, session))
}

/// The booking's route.
pub(super) fn router() -> Router<Arc<Gateway>> {
    Router::new().route(&route(facts::SESSIONS), post(book))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_booking_passes_its_coupon_and_signature_and_nothing_else() {
        let request = json!({
            "session_type_id": "set_A", "coupon_code": "JUNIPER20",
            "contract_signature": {"name": "Ana Silva", "agreed": true, "ip": "203.0.113.9"},
            "client": {"first_name": "Ana", "id": "cl_OTHER"}, "manage_token": "x", "status": "booked"
        });
        assert_eq!(
            booking_fields(&request),
            json!({
                "session_type_id": "set_A", "coupon_code": "JUNIPER20",
                "contract_signature": {"name": "Ana Silva", "agreed": true},
                "client": {"first_name": "Ana"}
            })
        );
        let none = booking_fields(&json!({"coupon_code": null, "contract_signature": null}));
        assert_eq!(none, json!({"coupon_code": null, "contract_signature": null}));
        assert_eq!(json!({START: "s", TIMEZONE: "z"}), json!({"start": "s", "timezone": "z"}));
    }

    #[test]
    fn patterns_are_matched_whole_and_broken_ones_not_applied() {
        assert_eq!(pattern_matches("@?\\w+", "@ana"), Some(true));
        assert_eq!(pattern_matches("@?\\w+", "a b"), Some(false));
        assert_eq!(pattern_matches("(", "x"), None);
    }

    #[test]
    fn a_value_reaches_the_core_as_its_text_would() {
        let v = json!({
            "z": 1, "a": [true, null, -0.5, 1e300, 12345678901234567890u64, -42], "s": "é \" \\ \u{1F600}",
            "nested": {"b": {"c": []}, "a": {}}, "big": 9007199254740993u64, "tiny": 5e-324
        });
        assert_eq!(core_value(&v), core_json::parse(&v.to_string()).unwrap());
    }
}
