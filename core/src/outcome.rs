//! Outcomes as data: why a request to the studio did not give what was asked, and the notices
//! the booking flow puts above a step. No words here: the widget turns each into a sentence
//! in the visitor's language, and the gateway into a status and an error body.

use crate::json::Object;
use crate::models::ErrorBody;
use crate::read::decode;
use crate::retry::is_retryable_status;

/// Everything that can go wrong when asking the studio.
#[derive(Debug, Clone, PartialEq)]
pub enum ApiError {
    /// No answer: the connection failed or dropped.
    Network,
    /// No answer within the deadline.
    Timeout,
    /// 429 or 502–504: the studio asked to wait (Retry-After, when it said how long).
    Busy { retry_after_ms: Option<u32> },
    /// Any other error answer. `message` is the studio's own (it may be empty); `code` and
    /// `details` are the contract's error body's.
    Refused { status: u16, code: String, message: String, details: Object },
    /// An answer that is not what the contract says (not JSON, or missing what a model needs).
    Unreadable,
    /// The widget was given no studio address (`api-base`).
    NoStudio,
    /// The request was stopped because its answer is no longer wanted.
    Cancelled,
}

impl ApiError {
    /// The error an error answer means (JSON of the contract, or anything else).
    pub fn from_answer(status: u16, body: &str, retry_after_ms: Option<u32>) -> ApiError {
        if is_retryable_status(status) {
            return ApiError::Busy { retry_after_ms };
        }
        let info = decode::<ErrorBody>(body).map(|b| b.error).unwrap_or_default();
        ApiError::Refused { status, code: info.code, message: info.message.trim().to_string(), details: info.details.unwrap_or_default() }
    }
}

/// Why a booking that was sent did not go through, beyond a taken slot or refused answers.
#[derive(Debug, Clone, PartialEq)]
pub enum Failure {
    /// The browser has no network: nothing was sent.
    Offline,
    /// The connection dropped before the studio's answer came: it may or may not have been
    /// booked, and trying again with the same key cannot book twice.
    NotConfirmed,
    /// The session type is no longer open for booking (404).
    SessionTypeGone,
    /// Anything else the studio or the network did.
    Api(ApiError),
}

/// The error code of a booking refused for its answers (details by field key).
pub const VALIDATION_FAILED: &str = "validation_failed";

/// The error code of a booking whose Idempotency-Key was first used for another request.
pub const IDEMPOTENCY_KEY_REUSED: &str = "idempotency_key_reused";

impl Failure {
    /// Whether the studio refused the booking's key as used for another request.
    pub fn is_key_reused(&self) -> bool {
        matches!(self, Failure::Api(ApiError::Refused { code, .. }) if code == IDEMPOTENCY_KEY_REUSED)
    }
}

/// A message for the visitor above the current step.
#[derive(Debug, Clone, PartialEq)]
pub enum Notice {
    /// Someone else booked the chosen time first: fresh times are shown, nothing typed is lost.
    SlotTaken,
    /// The studio refused some answers: they are marked beside their fields.
    FixAndRetry,
    /// "Continue" without a time chosen.
    ChooseATime,
    /// The booking was not made; trying again is safe.
    BookingFailed(Failure),
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn error_answers_become_typed_errors() {
        assert_eq!(ApiError::from_answer(429, "", Some(2_000)), ApiError::Busy { retry_after_ms: Some(2_000) });
        assert_eq!(ApiError::from_answer(503, "{}", None), ApiError::Busy { retry_after_ms: None });
        let refused = ApiError::from_answer(409, r#"{"error": {"code": "slot_unavailable", "message": " Taken "}}"#, None);
        assert_eq!(refused, ApiError::Refused { status: 409, code: "slot_unavailable".into(), message: "Taken".into(), details: Object::new() });
        // A body that is not the contract's is still an error of its status, with no message.
        let html = ApiError::from_answer(500, "<html>oops</html>", None);
        assert_eq!(html, ApiError::Refused { status: 500, code: String::new(), message: String::new(), details: Object::new() });
    }
}
