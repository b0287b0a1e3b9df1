//! Talking to the studio over HTTP (gloo-net's fetch): deadlines, retries of GETs, decoding,
//! and one error type for everything that can go wrong.

use std::cell::Cell;

use gloo_net::http::Request;
use serde::de::DeserializeOwned;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;

use super::models::{ErrorBody, SessionType, SessionTypePage};
use super::paths;
use super::retry::{is_retryable_status, parse_retry_after, RetryPolicy};

/// Everything that can go wrong when asking the studio, worded for the visitor.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ApiError {
    #[error("We couldn't reach the studio. Check your connection and try again.")]
    Network,
    #[error("The studio is taking too long to answer. Please try again.")]
    Timeout,
    #[error("The studio is busy right now. Please try again in a moment.")]
    Busy { retry_after_ms: Option<u32> },
    #[error("{message}")]
    Refused { status: u16, code: String, message: String, details: serde_json::Map<String, serde_json::Value> },
    #[error("The studio sent an answer we couldn't read. Please try again.")]
    Unreadable,
    #[error("This booking widget has no studio address (api-base).")]
    NoStudio,
    #[error("The request was cancelled.")]
    Cancelled,
}

impl ApiError {
    /// Turns an error answer (JSON of the contract, or anything else) into an error.
    pub fn from_answer(status: u16, body: &str, retry_after_ms: Option<u32>) -> ApiError {
        if is_retryable_status(status) {
            return ApiError::Busy { retry_after_ms };
        }
        let info = serde_json::from_str::<ErrorBody>(body).map(|b| b.error).unwrap_or_default();
        let message = if info.message.trim().is_empty() {
            match status {
                404 => "That session type is not available for booking.".to_string(),
                s if s >= 500 => "Something went wrong at the studio. Please try again.".to_string(),
                _ => "The studio could not accept that request.".to_string(),
            }
        } else {
            info.message
        };
        ApiError::Refused { status, code: info.code, message, details: info.details.unwrap_or_default() }
    }

    /// Whether trying again may help (as opposed to a refusal that will stay one).
    pub fn is_transient(&self) -> bool {
        match self {
            ApiError::Network | ApiError::Timeout | ApiError::Busy { .. } | ApiError::Unreadable => true,
            ApiError::Refused { status, .. } => *status >= 500,
            ApiError::NoStudio | ApiError::Cancelled => false,
        }
    }
}

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_name = setTimeout)]
    fn set_timeout(callback: &js_sys::Function, ms: i32) -> JsValue;
    #[wasm_bindgen(js_name = clearTimeout)]
    fn clear_timeout(id: &JsValue);
}

/// Waits `ms` milliseconds.
pub async fn sleep_ms(ms: u32) {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        set_timeout(&resolve, ms.min(i32::MAX as u32) as i32);
    });
    let _ = JsFuture::from(promise).await;
}

/// Aborts a fetch when dropped, and after a deadline.
struct Deadline {
    controller: web_sys::AbortController,
    timer: JsValue,
    _on_timeout: Closure<dyn FnMut()>,
    timed_out: std::rc::Rc<Cell<bool>>,
}

impl Deadline {
    fn new(ms: u32) -> Option<Deadline> {
        let controller = web_sys::AbortController::new().ok()?;
        let timed_out = std::rc::Rc::new(Cell::new(false));
        let (c, t) = (controller.clone(), timed_out.clone());
        let on_timeout = Closure::<dyn FnMut()>::new(move || {
            t.set(true);
            c.abort();
        });
        let timer = set_timeout(on_timeout.as_ref().unchecked_ref(), ms as i32);
        Some(Deadline { controller, timer, _on_timeout: on_timeout, timed_out })
    }
}

impl Drop for Deadline {
    fn drop(&mut self) {
        clear_timeout(&self.timer);
        // A request whose answer is no longer wanted (its view is gone) stops here.
        self.controller.abort();
    }
}

fn jitter() -> f64 {
    js_sys::Math::random()
}

/// GETs JSON with a deadline per attempt, retrying network errors, time-outs, 429 and 503
/// (honouring Retry-After). Dropping the future aborts the request in flight.
pub async fn get_json<T: DeserializeOwned>(url: &str, policy: RetryPolicy) -> Result<T, ApiError> {
    let mut attempt = 1;
    loop {
        let (result, retry_after_ms) = get_once::<T>(url, policy.timeout_ms).await;
        match result {
            Ok(v) => return Ok(v),
            Err(e @ (ApiError::Network | ApiError::Timeout | ApiError::Busy { .. })) => {
                match policy.wait_before_next(attempt, retry_after_ms, jitter()) {
                    Some(wait) => sleep_ms(wait).await,
                    None => return Err(e),
                }
            }
            Err(e) => return Err(e),
        }
        attempt += 1;
    }
}

async fn get_once<T: DeserializeOwned>(url: &str, timeout_ms: u32) -> (Result<T, ApiError>, Option<u32>) {
    let Some(deadline) = Deadline::new(timeout_ms) else { return (Err(ApiError::Network), None) };
    let signal = deadline.controller.signal();
    let sent = Request::get(url).header("Accept", "application/json").abort_signal(Some(&signal)).send().await;
    let response = match sent {
        Ok(r) => r,
        Err(_) if deadline.timed_out.get() => return (Err(ApiError::Timeout), None),
        Err(_) => return (Err(ApiError::Network), None),
    };
    let status = response.status();
    let retry_after_ms = parse_retry_after(response.headers().get("retry-after").as_deref());
    let body = match response.text().await {
        Ok(b) => b,
        Err(_) if deadline.timed_out.get() => return (Err(ApiError::Timeout), retry_after_ms),
        Err(_) => return (Err(ApiError::Network), retry_after_ms),
    };
    if !(200..300).contains(&status) {
        let e = ApiError::from_answer(status, &body, retry_after_ms);
        return (Err(e), retry_after_ms);
    }
    (serde_json::from_str::<T>(&body).map_err(|_| ApiError::Unreadable), None)
}

/// Every published session type of the studio, following the pages to the last.
pub async fn published_session_types(api_base: &str) -> Result<Vec<SessionType>, ApiError> {
    if api_base.trim().is_empty() {
        return Err(ApiError::NoStudio);
    }
    let mut all = Vec::new();
    let mut page = 1;
    loop {
        let p: SessionTypePage = get_json(&paths::session_types_page(api_base, page), RetryPolicy::default()).await?;
        let got = p.data.len();
        all.extend(p.data.into_iter().filter(SessionType::is_published));
        let last = p.meta.as_ref().and_then(|m| m.last_page);
        let per_page = p.meta.as_ref().and_then(|m| m.per_page).unwrap_or(100);
        let more = match last {
            Some(last) => page < last,
            None => got as u64 >= per_page && got > 0,
        };
        // A server that keeps saying "more" is not followed forever.
        if !more || page >= 50 {
            break;
        }
        page += 1;
    }
    Ok(all)
}
