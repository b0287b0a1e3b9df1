//! Talking to the studio over HTTP (gloo-net's fetch): deadlines, retries of GETs, decoding,
//! and one error type for everything that can go wrong.

use std::cell::Cell;

use gloo_net::http::Request;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;

use crate::browser::{clear_timeout, set_timeout, sleep_ms};
use crate::core::facts;
use crate::core::models::{BookedSession, Coupon, Envelope, SessionType, SessionTypePage};
pub use crate::core::outcome::ApiError;
use crate::core::paths;
use crate::core::read::{decode, FromJson};
use crate::core::retry::{parse_retry_after, RetryPolicy};

/// Aborts a fetch when dropped, and after a deadline.
struct Deadline {
    controller: web_sys::AbortController,
    timer: JsValue,
    _on_timeout: Closure<dyn FnMut()>,
    timed_out: std::rc::Rc<Cell<bool>>,
    /// The caller's cancel signal and the listener that passes its abort on.
    linked: Option<(web_sys::AbortSignal, Closure<dyn FnMut()>)>,
}

impl Deadline {
    fn new(ms: u32, cancel: Option<&web_sys::AbortSignal>) -> Option<Deadline> {
        let controller = web_sys::AbortController::new().ok()?;
        let timed_out = std::rc::Rc::new(Cell::new(false));
        let (c, t) = (controller.clone(), timed_out.clone());
        let on_timeout = Closure::<dyn FnMut()>::new(move || {
            t.set(true);
            c.abort();
        });
        let timer = set_timeout(on_timeout.as_ref().unchecked_ref(), ms);
        let linked = cancel.map(|signal| {
            let c = controller.clone();
            let on_cancel = Closure::<dyn FnMut()>::new(move || c.abort());
            let _ = signal.add_event_listener_with_callback("abort", on_cancel.as_ref().unchecked_ref());
            (signal.clone(), on_cancel)
        });
        Some(Deadline { controller, timer, _on_timeout: on_timeout, timed_out, linked })
    }
}

impl Drop for Deadline {
    fn drop(&mut self) {
        clear_timeout(&self.timer);
        if let Some((signal, listener)) = &self.linked {
            let _ = signal.remove_event_listener_with_callback("abort", listener.as_ref().unchecked_ref());
        }
        // A request whose answer is no longer wanted (its view is gone) stops here.
        self.controller.abort();
    }
}

fn jitter() -> f64 {
    js_sys::Math::random()
}

fn cancelled(cancel: Option<&web_sys::AbortSignal>) -> bool {
    cancel.is_some_and(|c| c.aborted())
}

/// An attempt's outcome: the value or the error, and the Retry-After the answer carried.
type Attempt<T> = (Result<T, ApiError>, Option<u32>);

/// Makes attempts until one succeeds, retrying network errors, time-outs, 429 and 503 with
/// the policy's backoff (and Retry-After), within its budget. Aborting `cancel` stops it.
async fn with_retries<T, Fut>(
    policy: RetryPolicy,
    cancel: Option<&web_sys::AbortSignal>,
    mut attempt_once: impl FnMut() -> Fut,
) -> Result<T, ApiError>
where
    Fut: std::future::Future<Output = Attempt<T>>,
{
    let started = js_sys::Date::now();
    let mut attempt = 1;
    loop {
        if cancelled(cancel) {
            return Err(ApiError::Cancelled);
        }
        let (result, retry_after_ms) = attempt_once().await;
        if cancelled(cancel) {
            return Err(ApiError::Cancelled);
        }
        match result {
            Ok(v) => return Ok(v),
            Err(e @ (ApiError::Network | ApiError::Timeout | ApiError::Busy { .. })) => {
                let elapsed = (js_sys::Date::now() - started).max(0.0) as u32;
                match policy.wait_before_next(attempt, retry_after_ms, jitter()) {
                    // Past the budget, the visitor is told rather than kept waiting.
                    Some(wait) if policy.budget_ms.is_none_or(|b| elapsed + wait + 500 < b) => sleep_ms(wait).await,
                    _ => return Err(e),
                }
            }
            Err(e) => return Err(e),
        }
        attempt += 1;
    }
}

/// An answer sent ahead and read whole: `{ status, retryAfter, body }` (the loader's
/// `prefetch` hands answers over this way).
fn read_answer(answer: &JsValue) -> Option<(u16, Option<String>, String)> {
    let field = |name: &str| js_sys::Reflect::get(answer, &JsValue::from_str(name)).ok();
    let status = field("status")?.as_f64()?;
    let body = field("body")?.as_string()?;
    Some((status as u16, field("retryAfter").and_then(|v| v.as_string()), body))
}

/// A request to the studio: a GET of `url`, or a POST of a JSON body under an
/// Idempotency-Key. One description for both, so that the request, its deadline and its
/// retries are compiled once (not once per kind of request).
struct Outgoing<'a> {
    url: &'a str,
    /// The Idempotency-Key (if any) and the body of a POST.
    post: Option<(Option<&'a str>, &'a str)>,
    /// The Manage-Token of a client's own session.
    token: Option<&'a str>,
}

impl Outgoing<'_> {
    fn build(&self, signal: &web_sys::AbortSignal) -> Result<Request, gloo_net::Error> {
        let mut request = match self.post {
            None => Request::get(self.url),
            Some(_) => Request::post(self.url).header("Content-Type", "application/json"),
        };
        request = request.header("Accept", "application/json").abort_signal(Some(signal));
        if let Some(token) = self.token {
            request = request.header("Manage-Token", token);
        }
        match self.post {
            None => request.build(),
            Some((key, body)) => match key {
                Some(k) => request.header("Idempotency-Key", k).body(body),
                None => request.body(body),
            },
        }
    }
}

/// Sends one request (on the deadline's abort signal), or takes the answer to one sent ahead
/// (`sent`, read whole), and reads it: the body of a 2xx, or the error an answer or its
/// absence means.
async fn exchange(out: &Outgoing<'_>, timeout_ms: u32, cancel: Option<&web_sys::AbortSignal>, sent: Option<js_sys::Promise>) -> Attempt<String> {
    let Some(deadline) = Deadline::new(timeout_ms, cancel) else {
        return (Err(ApiError::Network), None);
    };
    let lost = |deadline: &Deadline| {
        if deadline.timed_out.get() {
            ApiError::Timeout
        } else {
            ApiError::Network
        }
    };
    // A request sent ahead carries its own deadline (the one this request would have), and its
    // answer is already read: nothing waits between it and the screen.
    if let Some(sent) = sent {
        return match JsFuture::from(sent).await.ok().as_ref().and_then(read_answer) {
            Some((status, retry_after, body)) => finish(status, parse_retry_after(retry_after.as_deref()), body),
            None => (Err(lost(&deadline)), None),
        };
    }
    let Ok(request) = out.build(&deadline.controller.signal()) else {
        return (Err(ApiError::Network), None);
    };
    let response = match request.send().await {
        Ok(r) => r,
        Err(_) => return (Err(lost(&deadline)), None),
    };
    let status = response.status();
    let retry_after_ms = parse_retry_after(response.headers().get("retry-after").as_deref());
    match response.text().await {
        Ok(body) => finish(status, retry_after_ms, body),
        Err(_) => (Err(lost(&deadline)), retry_after_ms),
    }
}

/// An answer's outcome: its body if 2xx, else the error its status and body mean.
fn finish(status: u16, retry_after_ms: Option<u32>, body: String) -> Attempt<String> {
    if !(200..300).contains(&status) {
        return (Err(ApiError::from_answer(status, &body, retry_after_ms)), retry_after_ms);
    }
    (Ok(body), None)
}

/// GETs JSON with a deadline per attempt and the policy's retries. Aborting `cancel` stops
/// the request in flight and its retries.
pub async fn get_json<T: FromJson>(url: &str, policy: RetryPolicy, cancel: Option<&web_sys::AbortSignal>) -> Result<T, ApiError> {
    // Decoded after the retries (an unreadable answer is not asked again): the request and its
    // retries are one piece of code for every kind of answer, not one per type.
    decode::<T>(&get_text(url, policy, cancel).await?).ok_or(ApiError::Unreadable)
}

/// GETs a 2xx body as text, with the deadlines and retries of [`get_json`].
pub(super) async fn get_text(url: &str, policy: RetryPolicy, cancel: Option<&web_sys::AbortSignal>) -> Result<String, ApiError> {
    // A request the loader sent for this URL while the widget's files loaded is the first
    // attempt (used once); the retries, if any, are the widget's own.
    send(Outgoing { url, post: None, token: None }, policy, cancel, super::prefetch::take(url), |_| true).await
}

/// Sends a request with a deadline per attempt and the policy's retries; gives the 2xx body.
/// A 2xx body that is not `usable` counts as a lost answer and is asked again.
async fn send(
    out: Outgoing<'_>,
    policy: RetryPolicy,
    cancel: Option<&web_sys::AbortSignal>,
    mut sent: Option<js_sys::Promise>,
    usable: fn(&str) -> bool,
) -> Result<String, ApiError> {
    let out = &out;
    with_retries(policy, cancel, || {
        let sent = sent.take();
        async move {
            let (answer, retry_after_ms) = exchange(out, policy.timeout_ms, cancel, sent).await;
            (answer.and_then(|body| if usable(&body) { Ok(body) } else { Err(ApiError::Network) }), retry_after_ms)
        }
    })
    .await
}

/// Every published session type of the studio, following the pages to the last.
pub async fn published_session_types(api_base: &str, cancel: Option<&web_sys::AbortSignal>) -> Result<Vec<SessionType>, ApiError> {
    if api_base.trim().is_empty() {
        return Err(ApiError::NoStudio);
    }
    let mut all = Vec::new();
    let mut page = 1;
    loop {
        // The first screen says within 8 seconds when the studio cannot be reached.
        let first_screen =
            RetryPolicy { timeout_ms: facts::SESSION_TYPES_ATTEMPT_MS, budget_ms: Some(facts::SESSION_TYPES_BUDGET_MS), ..RetryPolicy::default() };
        let p: SessionTypePage = get_json(&paths::session_types_page(api_base, page), first_screen, cancel).await?;
        let got = p.data.len();
        all.extend(p.data.into_iter().filter(SessionType::is_published));
        let last = p.meta.as_ref().and_then(|m| m.last_page);
        let per_page = p.meta.as_ref().and_then(|m| m.per_page).unwrap_or(facts::SESSION_TYPES_PER_PAGE);
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

/// Sends a booking; gives the session, typed and as the studio sent it. Retried only with the
/// same Idempotency-Key (network errors, time-outs, 429 and 503), so a retry can never book
/// twice.
pub async fn book(api_base: &str, key: &str, body: &crate::core::json::Value) -> Result<(BookedSession, crate::core::json::Value), ApiError> {
    let policy = RetryPolicy { max_attempts: 5, timeout_ms: facts::BOOKING_ATTEMPT_MS, ..RetryPolicy::default() };
    let url = paths::sessions(api_base);
    let text = body.to_string();
    fn read(text: &str) -> Option<(BookedSession, crate::core::json::Value)> {
        let raw = decode::<Envelope<crate::core::json::Value>>(text)?.data;
        Some((BookedSession::from_json(&raw)?, raw))
    }
    // A lost answer, or a 2xx whose body cannot be read, is asked again with the same key.
    let answer = send(Outgoing { url: &url, post: Some((Some(key), &text)), token: None }, policy, None, None, |t| read(t).is_some()).await?;
    read(&answer).ok_or(ApiError::Unreadable)
}

/// The booking's answer as the host page's `booked` event carries it: the manage token is
/// left out (it is the client's secret; a page's analytics must never see it).
pub fn without_token(mut raw: crate::core::json::Value) -> crate::core::json::Value {
    if let crate::core::json::Value::Object(o) = &mut raw {
        o.remove("manage_token");
    }
    raw
}

/// What the studio says of a coupon code for a session type (its discount, or why not).
/// Asked once per "Apply" (a code's uses are counted by the studio, not by asking).
pub async fn check_coupon(api_base: &str, session_type_id: &str, code: &str) -> Result<Coupon, ApiError> {
    let policy = RetryPolicy { max_attempts: 2, timeout_ms: facts::AVAILABILITY_ATTEMPT_MS, ..RetryPolicy::default() };
    let url = paths::coupon(api_base, session_type_id, code);
    let body = send(Outgoing { url: &url, post: None, token: None }, policy, None, None, |_| true).await?;
    decode::<Envelope<Coupon>>(&body).map(|e| e.data).ok_or(ApiError::Unreadable)
}

/// A client's request about their own session (`Manage-Token`): a GET when `post` is None,
/// else a cancel or a move. Retried as bookings are (a move only under its Idempotency-Key;
/// a cancel is the same whether it arrives once or twice).
pub async fn manage(url: &str, token: &str, post: Option<(Option<&str>, &str)>) -> Result<BookedSession, ApiError> {
    let policy = RetryPolicy { max_attempts: 5, timeout_ms: facts::BOOKING_ATTEMPT_MS, ..RetryPolicy::default() };
    fn read(text: &str) -> Option<BookedSession> {
        decode::<Envelope<BookedSession>>(text).map(|e| e.data)
    }
    let answer = send(Outgoing { url, post, token: Some(token) }, policy, None, None, |t| read(t).is_some()).await?;
    read(&answer).ok_or(ApiError::Unreadable)
}

/// A fresh Idempotency-Key for one booking attempt (random, 32 hex digits).
pub fn new_idempotency_key() -> String {
    let mut bytes = [0u8; 16];
    let crypto = web_sys::window().and_then(|w| w.crypto().ok());
    if let Some(c) = crypto {
        let _ = c.get_random_values_with_u8_array(&mut bytes);
    } else {
        for b in bytes.iter_mut() {
            *b = (js_sys::Math::random() * 256.0) as u8;
        }
    }
    let hex: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    format!("sb-{hex}")
}
