//! The waitlist's paths (the contract's "gateway" ones; 404 where no waitlist is kept):
//! joining a session type's waitlist, confirming and leaving it with an e-mail's token, and
//! an offer of a freed slot, seen or declined with its `Offer-Token`. The same answer to a
//! join whoever asks, so that no one can learn who waits; tokens are never logged.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::rejection::{BytesRejection, PathRejection};
use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::Response;
use axum::routing::{get, post};
use axum::{Extension, Router};
use serde_json::{json, Value};
use studio_booking_core::facts;
use studio_booking_core::flow::manage::is_manage_token;
use studio_booking_core::models::{has_id_shape, OFFER_ID_PREFIX};
use studio_booking_core::waitlist::{check_join, wishable_days, JoinRequest};

use super::catalogue::zone_of;
use super::guards::ClientAddress;
use super::{core_value, data_answer, route, ApiError, Gateway};
use crate::offers::now_ms;
use crate::waitlist::{Join, OfferError, OfferView, TokenError};

/// An `Offer-Token` as the contract allows it: one header of 32 to 128 visible characters,
/// marked sensitive so that no printout shows it. None for none or another.
pub(super) fn offer_token(headers: &HeaderMap) -> Option<HeaderValue> {
    let mut all = headers.get_all("offer-token").iter();
    let (Some(token), None) = (all.next(), all.next()) else { return None };
    token.to_str().ok().is_some_and(is_manage_token).then(|| {
        let mut token = token.clone();
        token.set_sensitive(true);
        token
    })
}

/// A store's failure: said plainly, logged without anything personal.
fn store_failed(e: impl std::fmt::Display) -> ApiError {
    tracing::warn!(error = %e, "waitlist: the database failed");
    ApiError::WaitlistUnavailable
}

fn token_refused(e: TokenError) -> ApiError {
    match e {
        TokenError::Invalid => ApiError::InvalidLink,
        TokenError::Expired => {
            ApiError::Gone { code: "token_expired", message: "This link has run out: join the waitlist again from the booking page." }
        }
        TokenError::Store(e) => store_failed(e),
    }
}

fn offer_refused(e: OfferError) -> ApiError {
    match e {
        OfferError::NotFound => ApiError::NotFound,
        OfferError::Invalid => ApiError::InvalidLink,
        OfferError::Expired => ApiError::Gone { code: "offer_expired", message: "This offer has run out: the time went to the next person waiting." },
        OfferError::Taken => ApiError::OfferTaken,
        OfferError::Store(e) => store_failed(e),
    }
}

/// The `{"token": …}` of a confirm or leave link: a token of the contract's shape, or 403.
fn token_of(body: Result<Bytes, BytesRejection>) -> Result<String, ApiError> {
    let body = body.map_err(|_| ApiError::TooLarge("The request is larger than the gateway takes."))?;
    let Ok(Value::Object(request)) = serde_json::from_slice::<Value>(&body) else {
        return Err(ApiError::BadRequest("The request is not a JSON object."));
    };
    match request.get("token").and_then(Value::as_str) {
        Some(t) if is_manage_token(t) => Ok(t.to_string()),
        _ => Err(ApiError::InvalidLink),
    }
}

/// `POST /session_types/{id}/waitlist`: a wish for a session type's days, confirmed by e-mail.
async fn join(
    State(g): State<Arc<Gateway>>,
    Extension(ClientAddress(client)): Extension<ClientAddress>,
    path: Result<Path<String>, PathRejection>,
    body: Result<Bytes, BytesRejection>,
) -> Result<Response, ApiError> {
    let w = g.waitlist()?;
    let Path(id) = path?;
    let t = g.session_type(&id).await?;
    let body = body.map_err(|_| ApiError::TooLarge("The request is larger than the gateway takes."))?;
    let Ok(request @ Value::Object(_)) = serde_json::from_slice::<Value>(&body) else {
        return Err(ApiError::BadRequest("The request is not a JSON object."));
    };
    let (r, mut problems) = JoinRequest::from_json(&core_value(&request));
    let zone = zone_of(&r.timezone);
    let today = chrono::Utc::now().with_timezone(&zone.unwrap_or(chrono_tz::UTC)).date_naive();
    for (key, problem) in check_join(&r, wishable_days(&t, today), &|z| zone_of(z).is_some()) {
        problems.insert(key, problem);
    }
    if !problems.is_empty() {
        return Err(ApiError::invalid_all(problems));
    }
    w.count_join(client).map_err(|retry_after_secs| ApiError::RateLimited { retry_after_secs })?;
    let joined = Join {
        session_type_id: t.id.clone(),
        session_type_name: t.name.clone(),
        first_name: r.first_name.trim().to_string(),
        last_name: r.last_name.trim().to_string(),
        email: r.email.trim().to_string(),
        phone: r.phone.map(|p| p.trim().to_string()).filter(|p| !p.is_empty()),
        dates: r.dates,
        timezone: r.timezone,
        language: r.language,
        booking_page: w.settings.booking_page.clone(),
    };
    w.store.join(joined, now_ms()).await.map_err(store_failed)?;
    w.mail_queued.notify_one();
    Ok(data_answer(StatusCode::ACCEPTED, json!({"status": "confirmation_sent"})))
}

/// `POST /waitlist/confirm`: the confirmation e-mail's link, opened.
async fn confirm(State(g): State<Arc<Gateway>>, body: Result<Bytes, BytesRejection>) -> Result<Response, ApiError> {
    let w = g.waitlist()?;
    let token = token_of(body)?;
    let entry = w.store.confirm(&token, now_ms()).await.map_err(token_refused)?;
    w.mail_queued.notify_one();
    Ok(data_answer(StatusCode::OK, serde_json::to_value(entry).unwrap_or_default()))
}

/// `POST /waitlist/leave`: the entry and its person's details deleted; a slot held for them
/// passes on.
async fn leave(State(g): State<Arc<Gateway>>, body: Result<Bytes, BytesRejection>) -> Result<Response, ApiError> {
    let w = g.waitlist()?;
    let token = token_of(body)?;
    let freed = w.store.leave(&token, now_ms()).await.map_err(token_refused)?;
    w.mail_queued.notify_one();
    if let Some(slot) = freed {
        g.pass_on(slot).await;
    }
    Ok(data_answer(StatusCode::OK, json!({"status": "left"})))
}

/// The offer's id and token of a request, or why not: an id of another shape (404), a token
/// missing or of another shape (403).
fn offer_asked(path: Result<Path<String>, PathRejection>, headers: &HeaderMap) -> Result<(String, String), ApiError> {
    let id = match path {
        Ok(Path(id)) if has_id_shape(&id, OFFER_ID_PREFIX) => id,
        _ => return Err(ApiError::NotFound),
    };
    let token = offer_token(headers).ok_or(ApiError::InvalidLink)?;
    let token = token.to_str().map_err(|_| ApiError::InvalidLink)?.to_string();
    Ok((id, token))
}

/// The contract's `Offer` of a view.
fn offer_json(view: &OfferView) -> Value {
    serde_json::to_value(view).unwrap_or_default()
}

/// `GET /offers/{id}`: the slot held for its person, until when.
async fn offer(State(g): State<Arc<Gateway>>, headers: HeaderMap, path: Result<Path<String>, PathRejection>) -> Result<Response, ApiError> {
    let w = g.waitlist()?;
    let (id, token) = offer_asked(path, &headers)?;
    let view = w.store.offer(&id, &token, now_ms()).await.map_err(offer_refused)?;
    Ok(data_answer(StatusCode::OK, offer_json(&view)))
}

/// `POST /offers/{id}/decline`: the slot goes to the next person waiting at once.
async fn decline(State(g): State<Arc<Gateway>>, headers: HeaderMap, path: Result<Path<String>, PathRejection>) -> Result<Response, ApiError> {
    let w = g.waitlist()?;
    let (id, token) = offer_asked(path, &headers)?;
    let (view, freed) = w.store.decline(&id, &token, now_ms()).await.map_err(offer_refused)?;
    w.mail_queued.notify_one();
    if let Some(slot) = freed {
        g.pass_on(slot).await;
    }
    Ok(data_answer(StatusCode::OK, offer_json(&view)))
}

/// The waitlist's routes.
pub(super) fn router() -> Router<Arc<Gateway>> {
    Router::new()
        .route(&route(facts::JOIN_WAITLIST), post(join))
        .route(&route(facts::CONFIRM_WAITLIST), post(confirm))
        .route(&route(facts::LEAVE_WAITLIST), post(leave))
        .route(&route(facts::OFFER), get(offer))
        .route(&route(facts::DECLINE_OFFER), post(decline))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn offer_tokens_are_one_sensitive_header_of_the_contracts_shape() {
        let mut h = HeaderMap::new();
        assert!(offer_token(&h).is_none());
        h.insert("offer-token", HeaderValue::from_str(&"t".repeat(43)).unwrap());
        let token = offer_token(&h).unwrap();
        assert!(token.is_sensitive() && !format!("{token:?}").contains("ttt"));
        h.append("offer-token", HeaderValue::from_str(&"t".repeat(43)).unwrap());
        assert!(offer_token(&h).is_none(), "two tokens are none");
        let asked = |id: &str| offer_asked(Ok(Path(id.to_string())), &HeaderMap::new());
        assert!(matches!(asked("off_OFF001ABC123DEF456GHI789JKL012"), Err(ApiError::InvalidLink)));
        assert!(matches!(asked("ses_OFF001ABC123DEF456GHI789JKL012"), Err(ApiError::NotFound)));
    }
}
