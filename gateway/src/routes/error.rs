//! The gateway's one error type. Every refusal and failure a handler answers is an
//! [`ApiError`], returned with `?`, and written in the contract's error body
//! (`{"error": {"code", "message", "details"?}}`): a widget reads every answer of the gateway
//! the same way, and no extractor's refusal reaches a visitor as axum's plain text.

use std::borrow::Cow;

use axum::extract::rejection::{PathRejection, QueryRejection};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde_json::{json, Map, Value};
use studio_booking_core::field_map::FieldMap;
use studio_booking_core::validation::Problem;

use super::{json_answer, words};
use crate::upstream::{Answer, UpstreamError};

/// Why the gateway does not give a visitor what they asked for: a refusal of its own (the
/// request never reached the studio), the studio's own refusal passed on, or a studio that
/// could not be asked or read.
#[derive(Debug)]
pub enum ApiError {
    /// 404 `not_found`: a path, an id or a session type that is not there for visitors.
    NotFound,
    /// 404 `coupon_not_found`: a code of another shape than a studio's codes.
    CouponNotFound,
    /// 400 `bad_request`: a request the contract does not allow, with why.
    BadRequest(&'static str),
    /// 400 `invalid_timezone`: an availability path whose zone is no IANA zone.
    InvalidTimezone,
    /// 413 `bad_request`: a body larger than the gateway takes, with what it was.
    TooLarge(&'static str),
    /// 403 `invalid_token`: a manage token missing or of another shape.
    InvalidToken,
    /// 422 `validation_failed`: what is wrong, by the key the contract's details name it with.
    Invalid { message: &'static str, problems: FieldMap<Problem> },
    /// 409 `slot_unavailable`: a booking of a time that is not open (or held for someone).
    SlotUnavailable,
    /// 403 `invalid_token`: a waitlist link's token (or an offer's) that is not one.
    InvalidLink,
    /// 410 `token_expired` or `offer_expired`: a waitlist link, or an offer, that has run out.
    Gone { code: &'static str, message: &'static str },
    /// 409 `offer_taken`: an offer booked already, or whose slot the studio no longer has.
    OfferTaken,
    /// 503 `waitlist_unavailable`: the waitlist's database could not be used just now.
    WaitlistUnavailable,
    /// 405 `method_not_allowed`: a path the gateway offers, with another method.
    MethodNotAllowed,
    /// 429 `rate_limited`: too many requests from one address, and when to come back.
    RateLimited { retry_after_secs: u64 },
    /// 503: the studio could not be asked (its login refused, no answer, busy).
    Upstream(UpstreamError),
    /// 502 `studio_unreadable`: the studio's answer is not the contract's.
    Unreadable,
    /// The studio's own refusal (a 4xx with a code), passed on in the contract's shape.
    Studio { status: StatusCode, code: String, message: String, details: Option<Value> },
    /// 502 `studio_error`: the studio failed (a 5xx, or an answer that is no refusal).
    StudioFailed,
}

/// A mark on an answer that the gateway refused the request itself, before it reached the
/// studio: the guard counts these for `/metrics`, whichever handler answered.
#[derive(Debug, Clone, Copy)]
pub(super) struct Refused;

impl ApiError {
    /// A 422 of one problem, under the key the contract's details name it with.
    pub fn invalid(key: &str, problem: Problem) -> ApiError {
        ApiError::Invalid { message: "Some answers need another look.", problems: FieldMap::from_iter([(key.to_string(), problem)]) }
    }

    /// A 422 of the problems a booking or a move has.
    pub fn invalid_all(problems: FieldMap<Problem>) -> ApiError {
        ApiError::Invalid { message: "Some answers need another look.", problems }
    }

    /// A studio's error answer in the contract's shape, rebuilt from its code, message and
    /// details (nothing else of the studio's answer goes through): a 4xx as the studio's own
    /// refusal, anything else as the studio failing.
    pub fn from_studio(answer: &Answer) -> ApiError {
        let status = StatusCode::from_u16(answer.status).unwrap_or(StatusCode::BAD_GATEWAY);
        if !status.is_client_error() {
            return ApiError::StudioFailed;
        }
        let body: Option<Value> = serde_json::from_slice(&answer.body).ok();
        let info = body.as_ref().and_then(|b| b.get("error"));
        let text = |key: &str| info.and_then(|i| i.get(key)).and_then(Value::as_str);
        let message = text("message").unwrap_or("The studio could not accept that request.").to_string();
        match text("code") {
            Some(code) => ApiError::Studio {
                status,
                code: code.to_string(),
                message,
                details: info.and_then(|i| i.get("details")).filter(|d| d.is_object()).cloned(),
            },
            None => ApiError::Studio { status, code: "refused".into(), message, details: None },
        }
    }

    /// Whether the gateway refused the request itself (counted as refused); the studio's
    /// answers, its failures and the rate limit (counted on their own) are not.
    fn is_refusal(&self) -> bool {
        !matches!(
            self,
            ApiError::RateLimited { .. }
                | ApiError::Upstream(_)
                | ApiError::Unreadable
                | ApiError::Studio { .. }
                | ApiError::StudioFailed
                | ApiError::WaitlistUnavailable
        )
    }

    /// How long a visitor should wait before asking again, when the gateway knows.
    fn retry_after_secs(&self) -> Option<u64> {
        let ms = match self {
            ApiError::RateLimited { retry_after_secs } => return Some(*retry_after_secs),
            ApiError::WaitlistUnavailable => 5_000,
            ApiError::Upstream(UpstreamError::Unreachable | UpstreamError::TimedOut) => 2_000,
            ApiError::Upstream(UpstreamError::Busy { retry_after_ms }) => retry_after_ms.unwrap_or(2_000),
            _ => return None,
        };
        Some(u64::from(ms.div_ceil(1000).max(1)))
    }

    /// The status, the code, the message and the details of the error body.
    fn parts(self) -> (StatusCode, Cow<'static, str>, Cow<'static, str>, Option<Value>) {
        let plain = |status, code: &'static str, message: &'static str| (status, code.into(), message.into(), None);
        match self {
            ApiError::NotFound => plain(StatusCode::NOT_FOUND, "not_found", "There is no such resource."),
            ApiError::CouponNotFound => plain(StatusCode::NOT_FOUND, "coupon_not_found", "There is no such code for this session."),
            ApiError::BadRequest(message) => plain(StatusCode::BAD_REQUEST, "bad_request", message),
            ApiError::InvalidTimezone => plain(StatusCode::BAD_REQUEST, "invalid_timezone", "That is not a time zone."),
            ApiError::TooLarge(message) => plain(StatusCode::PAYLOAD_TOO_LARGE, "bad_request", message),
            ApiError::InvalidToken => plain(
                StatusCode::FORBIDDEN,
                "invalid_token",
                "This link to manage the session is not valid: use the link of your booking's confirmation, or contact the studio.",
            ),
            ApiError::Invalid { message, problems } => {
                let mut details = Map::new();
                for (key, problem) in problems {
                    details.insert(key, json!([words::problem(&problem)]));
                }
                (StatusCode::UNPROCESSABLE_ENTITY, "validation_failed".into(), message.into(), Some(Value::Object(details)))
            }
            ApiError::SlotUnavailable => plain(StatusCode::CONFLICT, "slot_unavailable", "That time is no longer available."),
            ApiError::InvalidLink => plain(
                StatusCode::FORBIDDEN,
                "invalid_token",
                "This link is not valid (any more): use the link of the latest e-mail about the waitlist.",
            ),
            ApiError::Gone { code, message } => plain(StatusCode::GONE, code, message),
            ApiError::WaitlistUnavailable => plain(
                StatusCode::SERVICE_UNAVAILABLE,
                "waitlist_unavailable",
                "The waitlist cannot be reached just now. Please try again in a moment.",
            ),
            ApiError::OfferTaken => plain(StatusCode::CONFLICT, "offer_taken", "This time has been booked already, or the studio no longer has it."),
            ApiError::MethodNotAllowed => plain(StatusCode::METHOD_NOT_ALLOWED, "method_not_allowed", "That method is not offered here."),
            ApiError::RateLimited { .. } => {
                plain(StatusCode::TOO_MANY_REQUESTS, "rate_limited", "Too many requests from here. Please wait a moment.")
            }
            ApiError::Upstream(UpstreamError::LoginRefused) => plain(
                StatusCode::SERVICE_UNAVAILABLE,
                "studio_unavailable",
                "The studio cannot take bookings here right now. Please try again later.",
            ),
            ApiError::Upstream(UpstreamError::Unreachable | UpstreamError::TimedOut) => {
                plain(StatusCode::SERVICE_UNAVAILABLE, "studio_unreachable", "The studio did not answer. Please try again.")
            }
            ApiError::Upstream(UpstreamError::Busy { .. }) => {
                plain(StatusCode::SERVICE_UNAVAILABLE, "studio_busy", "The studio is busy right now. Please try again in a moment.")
            }
            ApiError::Unreadable => plain(StatusCode::BAD_GATEWAY, "studio_unreadable", "The studio sent an answer the gateway could not read."),
            ApiError::Studio { status, code, message, details } => (status, code.into(), message.into(), details),
            ApiError::StudioFailed => plain(StatusCode::BAD_GATEWAY, "studio_error", "Something went wrong at the studio. Please try again."),
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let (refused, retry_after) = (self.is_refusal(), self.retry_after_secs());
        let (status, code, message, details) = self.parts();
        let mut error = json!({"code": code, "message": message});
        if let Some(d) = details {
            error["details"] = d;
        }
        let mut response = json_answer(status, json!({"error": error}));
        if let Some(secs) = retry_after {
            response.headers_mut().insert(header::RETRY_AFTER, HeaderValue::from(secs));
        }
        if refused {
            response.extensions_mut().insert(Refused);
        }
        response
    }
}

/// A studio that could not be asked: `?` on the studio's client gives the visitor's 503.
impl From<UpstreamError> for ApiError {
    fn from(e: UpstreamError) -> ApiError {
        ApiError::Upstream(e)
    }
}

/// A path whose parts are not text (an escape of no UTF-8): nothing is there.
impl From<PathRejection> for ApiError {
    fn from(_: PathRejection) -> ApiError {
        ApiError::NotFound
    }
}

/// A query axum cannot read (a parameter given twice): the contract's 400, not axum's text.
impl From<QueryRejection> for ApiError {
    fn from(_: QueryRejection) -> ApiError {
        ApiError::BadRequest("The query cannot be read: give each parameter once.")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// An answer's body (all in memory here), as JSON.
    fn body(r: Response) -> Value {
        let runtime = tokio::runtime::Builder::new_current_thread().build().unwrap();
        let bytes = runtime.block_on(axum::body::to_bytes(r.into_body(), usize::MAX)).unwrap();
        serde_json::from_slice(&bytes).unwrap()
    }

    #[test]
    fn every_error_is_the_contracts_body_and_refusals_are_marked() {
        let r = ApiError::invalid("reason", Problem::TooLong { max: 500 }).into_response();
        assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
        assert!(r.extensions().get::<Refused>().is_some());
        assert_eq!(r.headers().get(header::CACHE_CONTROL).unwrap(), "no-store");
        let b = body(r);
        assert_eq!(b["error"]["code"], "validation_failed");
        assert_eq!(b["error"]["details"]["reason"][0], "Please enter at most 500 characters.");
        let r = ApiError::Upstream(UpstreamError::Busy { retry_after_ms: Some(2_500) }).into_response();
        assert_eq!((r.status(), r.headers().get(header::RETRY_AFTER).unwrap().to_str().unwrap()), (StatusCode::SERVICE_UNAVAILABLE, "3"));
        assert!(r.extensions().get::<Refused>().is_none());
        assert!(ApiError::Upstream(UpstreamError::LoginRefused).into_response().headers().get(header::RETRY_AFTER).is_none());
        let r = ApiError::RateLimited { retry_after_secs: 7 }.into_response();
        assert_eq!(r.headers().get(header::RETRY_AFTER).unwrap(), "7");
        assert!(r.extensions().get::<Refused>().is_none());
    }

    #[test]
    fn a_studios_refusal_is_passed_on_and_its_failure_is_not() {
        let answer = |status, text: &'static str| Answer { status, body: bytes::Bytes::from_static(text.as_bytes()), retry_after_ms: None };
        let passed = body(
            ApiError::from_studio(&answer(
                409,
                r#"{"error": {"code": "too_late", "message": "Too late.", "details": {"deadline": "d"}, "trace": "x"}}"#,
            ))
            .into_response(),
        );
        assert_eq!(passed, json!({"error": {"code": "too_late", "message": "Too late.", "details": {"deadline": "d"}}}));
        let plain = ApiError::from_studio(&answer(400, "<html>no</html>")).into_response();
        assert_eq!((plain.status(), body(plain)["error"]["code"].clone()), (StatusCode::BAD_REQUEST, json!("refused")));
        let failed = ApiError::from_studio(&answer(500, r#"{"error": {"code": "db_down", "message": "Postgres at 10.0.0.3"}}"#)).into_response();
        assert_eq!(failed.status(), StatusCode::BAD_GATEWAY);
        assert_eq!(body(failed)["error"]["code"], "studio_error");
    }
}
