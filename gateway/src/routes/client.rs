//! A client's own session, with the manage token of their booking's answer: seen
//! (`GET /sessions/{id}`), cancelled or moved. An id or a token of another shape than the
//! contract's (the core's) never reaches the studio; the studio decides the rest (the token,
//! the notice windows, the moves left), and its refusals are passed on.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::rejection::{BytesRejection, PathRejection};
use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderValue};
use axum::response::Response;
use axum::routing::{get, post};
use axum::Router;
use serde_json::{json, Value};
use studio_booking_core::field_map::FieldMap;
use studio_booking_core::flow::manage::{is_manage_token, REASON_MAX};
use studio_booking_core::flow::request::{START, TIMEZONE};
use studio_booking_core::models::{has_id_shape, SESSION_ID_PREFIX};
use studio_booking_core::validation::Problem;
use studio_booking_core::{facts, iso, paths};

use super::catalogue::zone_of;
use super::guards::idempotency_key;
use super::{passed_on, route, ApiError, Gateway};
use crate::public;
use crate::upstream::Answer;
use crate::waitlist::Hold;

/// What a cancel or a move larger than the gateway takes is refused with.
const TOO_LARGE: ApiError = ApiError::TooLarge("The request is larger than the gateway takes.");

/// The `Manage-Token` a client sends for their session, as the contract allows it: one
/// header of the core's token shape. Marked sensitive, so that no printout of a request to
/// the studio shows it.
fn manage_token(headers: &HeaderMap) -> Option<HeaderValue> {
    let mut all = headers.get_all("manage-token").iter();
    let (Some(token), None) = (all.next(), all.next()) else { return None };
    token.to_str().ok().is_some_and(is_manage_token).then(|| {
        let mut token = token.clone();
        token.set_sensitive(true);
        token
    })
}

/// The session id of a client's request and their manage token, or why not: an id of another
/// shape (404), a token missing or of another shape (403). Neither reaches the studio.
fn managed(path: Result<Path<String>, PathRejection>, headers: &HeaderMap) -> Result<(String, HeaderValue), ApiError> {
    let id = match path {
        Ok(Path(id)) if has_id_shape(&id, SESSION_ID_PREFIX) => id,
        _ => return Err(ApiError::NotFound),
    };
    let token = manage_token(headers).ok_or(ApiError::InvalidToken)?;
    Ok((id, token))
}

/// The optional `{"reason": …}` of a cancel: no body, an empty one, no reason or null is
/// none; a reason is trimmed and at most the core's [`REASON_MAX`] characters.
fn cancel_reason(body: &[u8]) -> Result<Option<String>, ApiError> {
    if body.trim_ascii().is_empty() {
        return Ok(None);
    }
    let Ok(Value::Object(request)) = serde_json::from_slice::<Value>(body) else {
        return Err(ApiError::BadRequest("The cancel's body is not a JSON object."));
    };
    match request.get("reason") {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(reason)) if reason.trim().chars().count() > REASON_MAX => Err(ApiError::Invalid {
            message: "The reason is too long.",
            problems: FieldMap::from_iter([("reason".to_string(), Problem::TooLong { max: REASON_MAX as u64 })]),
        }),
        Some(Value::String(reason)) => Ok(Some(reason.trim().to_string()).filter(|r| !r.is_empty())),
        Some(_) => Err(ApiError::BadRequest("The reason is not text.")),
    }
}

/// A studio's answer to a client's cancel or move, passed on; once it is done, the kept
/// availability is forgotten, as after a booking (one photographer, one calendar: the slot
/// freed, or taken, may be any session type's).
fn changed(g: &Gateway, answer: &Answer) -> Result<Response, ApiError> {
    if answer.status == 200 {
        g.availability.invalidate_all();
    }
    passed_on(answer, public::client_session)
}

/// `GET /sessions/{id}`: the session as its client sees it, with their manage token.
async fn client_session(State(g): State<Arc<Gateway>>, headers: HeaderMap, path: Result<Path<String>, PathRejection>) -> Result<Response, ApiError> {
    let (id, token) = managed(path, &headers)?;
    let answer = g.studio.manage_get(&paths::session("", &id), &token).await?;
    passed_on(&answer, public::client_session)
}

/// `POST /sessions/{id}/cancel`: the client cancels, with an optional reason. The studio
/// decides whether it still may (409 `too_late` with `details.deadline`, 422 `not_allowed`).
async fn cancel(
    State(g): State<Arc<Gateway>>,
    headers: HeaderMap,
    path: Result<Path<String>, PathRejection>,
    body: Result<Bytes, BytesRejection>,
) -> Result<Response, ApiError> {
    let (id, token) = managed(path, &headers)?;
    let reason = cancel_reason(&body.map_err(|_| TOO_LARGE)?)?;
    let forwarded = match reason {
        Some(r) => json!({"reason": r}),
        None => json!({}),
    };
    let answer = g.studio.manage_post(&paths::cancel_session("", &id), &token, None, Bytes::from(forwarded.to_string())).await?;
    let session = serde_json::from_slice::<Value>(&answer.body).ok().and_then(|b| b.get("data").cloned());
    if answer.status == 200 {
        if let Some(freed) = session.as_ref().and_then(slot_of) {
            offer_freed(&g, freed);
        }
    }
    changed(&g, &answer)
}

/// The session type and start (Unix ms) of a studio's session.
fn slot_of(session: &Value) -> Option<(String, i64)> {
    let id = session.get("session_type_id").and_then(Value::as_str)?;
    let start = session.get("start").and_then(Value::as_str).and_then(iso::parse_instant_ms)?;
    Some((id.to_string(), start))
}

/// A slot a client's cancel or move freed, offered to the next person waiting at once (in
/// the background: the client's answer does not wait for it).
fn offer_freed(g: &Arc<Gateway>, (session_type_id, start_ms): (String, i64)) {
    if g.waitlist.is_none() {
        return;
    }
    let g = g.clone();
    tokio::spawn(async move {
        g.availability.invalidate_all();
        g.offer_if_free(&session_type_id, start_ms).await;
    });
}

/// `POST /sessions/{id}/reschedule`: the client moves the session to another slot, under an
/// Idempotency-Key as a booking. Only `start` (an instant) and `timezone` (an IANA zone) are
/// passed on; the studio decides whether the slot is open and the move still allowed.
async fn reschedule(
    State(g): State<Arc<Gateway>>,
    headers: HeaderMap,
    path: Result<Path<String>, PathRejection>,
    body: Result<Bytes, BytesRejection>,
) -> Result<Response, ApiError> {
    let (id, token) = managed(path, &headers)?;
    let body = body.map_err(|_| TOO_LARGE)?;
    let key = idempotency_key(&headers, "A move needs an Idempotency-Key header of 8 to 255 visible characters.")?;
    let Ok(Value::Object(request)) = serde_json::from_slice::<Value>(&body) else {
        return Err(ApiError::BadRequest("The move is not a JSON object."));
    };
    let (start, zone) = (request.get(START).and_then(Value::as_str), request.get(TIMEZONE).and_then(Value::as_str));
    let mut problems = FieldMap::new();
    match start {
        None => problems.insert(START.to_string(), Problem::Required),
        Some(s) if iso::parse_instant_ms(s).is_none() => problems.insert(START.to_string(), Problem::WrongFormat),
        Some(_) => None,
    };
    match zone {
        None => problems.insert(TIMEZONE.to_string(), Problem::Required),
        Some(z) if zone_of(z).is_none() => problems.insert(TIMEZONE.to_string(), Problem::WrongFormat),
        Some(_) => None,
    };
    if !problems.is_empty() {
        return Err(ApiError::invalid_all(problems));
    }
    let forwarded = json!({START: start, TIMEZONE: zone});
    // Where a waitlist is kept, the slot the session leaves is offered once it has moved.
    let before = match g.waitlist {
        Some(_) => g.studio.manage_get(&paths::session("", &id), &token).await.ok().filter(|a| a.status == 200),
        None => None,
    };
    let left = before.as_ref().and_then(|a| serde_json::from_slice::<Value>(&a.body).ok()).and_then(|b| b.get("data").and_then(slot_of));
    // A move into a slot held for someone on the waitlist is refused as a booking of it is.
    if let (Some(w), Some((type_id, _)), Some(to_ms)) = (g.waitlist.as_deref(), &left, start.and_then(iso::parse_instant_ms)) {
        let offer = super::waitlist::offer_token(&headers);
        match w.store.hold_check(type_id, to_ms, offer.as_ref().and_then(|t| t.to_str().ok()), crate::offers::now_ms()).await {
            Ok(Hold::Held) => return Err(ApiError::SlotUnavailable),
            Ok(_) => {}
            Err(e) => {
                tracing::warn!(error = %e, "waitlist: holds not read for a move");
                return Err(ApiError::WaitlistUnavailable);
            }
        }
    }
    let answer = g.studio.manage_post(&paths::reschedule_session("", &id), &token, Some(&key), Bytes::from(forwarded.to_string())).await?;
    if answer.status == 200 {
        let now_at = serde_json::from_slice::<Value>(&answer.body).ok().and_then(|b| b.get("data").and_then(slot_of));
        if let Some(freed) = left.filter(|l| Some(l) != now_at.as_ref()) {
            offer_freed(&g, freed);
        }
    }
    changed(&g, &answer)
}

/// A client's routes: their session, its cancel and its move.
pub(super) fn router() -> Router<Arc<Gateway>> {
    Router::new()
        .route(&route(facts::SESSION), get(client_session))
        .route(&route(facts::CANCEL_SESSION), post(cancel))
        .route(&route(facts::RESCHEDULE_SESSION), post(reschedule))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn manage_tokens_are_one_header_of_32_to_128_visible_characters() {
        let with = |values: &[&[u8]]| {
            let mut h = HeaderMap::new();
            for v in values {
                h.append("manage-token", HeaderValue::from_bytes(v).unwrap());
            }
            manage_token(&h)
        };
        let good = "A".repeat(48);
        let token = with(&[good.as_bytes()]).unwrap();
        assert!(token.is_sensitive() && token == good.as_str());
        assert!(format!("{token:?}").contains("Sensitive") && !format!("{token:?}").contains(&good));
        assert!(with(&[]).is_none());
        assert!(with(&["A".repeat(31).as_bytes()]).is_none());
        assert!(with(&["A".repeat(128).as_bytes()]).is_some());
        assert!(with(&["A".repeat(129).as_bytes()]).is_none());
        assert!(with(&[format!("{} {}", "A".repeat(20), "B".repeat(20)).as_bytes()]).is_none());
        assert!(with(&[format!("{}\t", "A".repeat(40)).as_bytes()]).is_none());
        assert!(with(&[&[0xC3u8; 40]]).is_none());
        assert!(with(&[good.as_bytes(), good.as_bytes()]).is_none(), "two tokens are none");
    }

    #[test]
    fn session_ids_are_the_cores_shape() {
        let token = "A".repeat(48);
        let mut h = HeaderMap::new();
        h.insert("manage-token", HeaderValue::from_str(&token).unwrap());
        let id = |s: &str| managed(Ok(Path(s.to_string())), &h);
        assert!(id("ses_SES002ABC123DEF456GHI789JKL012").is_ok());
        for bad in ["ses_SES002ABC123DEF456GHI789JKL01", "set_SES002ABC123DEF456GHI789JKL012", "ses_SES002ABC123DEF456GHI789JKL01é"] {
            assert!(matches!(id(bad), Err(ApiError::NotFound)), "{bad}");
        }
        assert!(matches!(managed(Ok(Path("ses_SES002ABC123DEF456GHI789JKL012".into())), &HeaderMap::new()), Err(ApiError::InvalidToken)));
    }

    #[test]
    fn a_cancels_reason_is_optional_text_of_500_characters() {
        let reason = |body: &[u8]| cancel_reason(body).ok();
        assert_eq!(reason(b""), Some(None));
        assert_eq!(reason(b" \n"), Some(None));
        assert_eq!(reason(b"{}"), Some(None));
        assert_eq!(reason(br#"{"reason": null}"#), Some(None));
        assert_eq!(reason(br#"{"reason": "  "}"#), Some(None));
        assert_eq!(reason(br#"{"reason": " Ill, sorry ", "refund_to": "x"}"#), Some(Some("Ill, sorry".to_string())));
        assert_eq!(reason(json!({"reason": "é".repeat(500)}).to_string().as_bytes()), Some(Some("é".repeat(500))));
        let too_long = cancel_reason(json!({"reason": "é".repeat(501)}).to_string().as_bytes());
        assert!(matches!(&too_long, Err(ApiError::Invalid { problems, .. }) if problems.get("reason") == Some(&Problem::TooLong { max: 500 })));
        for bad in [&b"{nope"[..], b"[1]", b"\"x\""] {
            assert!(matches!(cancel_reason(bad), Err(ApiError::BadRequest("The cancel's body is not a JSON object."))));
        }
        assert!(matches!(cancel_reason(br#"{"reason": 5}"#), Err(ApiError::BadRequest("The reason is not text."))));
    }
}
