//! Requests sent before the code that reads them asks: the loader's request for the session
//! type list (sent while the widget's files load) and the widget's request for a preselected
//! session type's first month (sent beside the list). Each is the first attempt of the first
//! GET of exactly its URL within a few seconds, used once; after that, or once availability
//! is forgotten (a booking was made), it is not used.

use std::cell::RefCell;

use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;

/// How long a request sent ahead stays usable: an answer older than this may be stale.
const FRESH_FOR_MS: f64 = 20_000.0;

thread_local! {
    static OFFERED: RefCell<Vec<(String, js_sys::Promise, f64)>> = const { RefCell::new(Vec::new()) };
    static IGNORE: Closure<dyn FnMut(JsValue)> = Closure::new(|_: JsValue| {});
}

/// Called by the loader (and [`send_ahead`]): `answer` is the promise of the answer for
/// `url`, read whole: `{ status, retryAfter, body }`.
#[wasm_bindgen]
pub fn offer_prefetched(url: String, answer: js_sys::Promise) {
    OFFERED.with(|o| {
        let mut o = o.borrow_mut();
        o.retain(|(u, _, _)| !crate::core::paths::same_request(u, &url));
        o.push((url, answer, js_sys::Date::now()));
    });
}

/// Sends a GET for `url` now (with its own deadline of `timeout_ms`) and keeps it for the
/// first [`take`] of that URL.
pub fn send_ahead(url: &str, timeout_ms: u32) {
    // The loader may have sent it already.
    if OFFERED.with(|o| o.borrow().iter().any(|(u, _, _)| crate::core::paths::same_request(u, url))) {
        return;
    }
    let Some(window) = web_sys::window() else {
        return;
    };
    let init = web_sys::RequestInit::new();
    let headers = js_sys::Object::new();
    let _ = js_sys::Reflect::set(&headers, &"Accept".into(), &"application/json".into());
    init.set_headers(&headers);
    init.set_signal(Some(&web_sys::AbortSignal::timeout_with_u32(timeout_ms)));
    let sent = window.fetch_with_str_and_init(url, &init);
    // Read whole as it arrives, the same shape as the loader's answers (see [`read_whole`]).
    let answer = wasm_bindgen_futures::future_to_promise(async move { read_whole(sent).await.ok_or(JsValue::NULL) });
    // The reader sees a failure; an answer nobody takes must not warn in the console.
    IGNORE.with(|ignore| {
        let _ = answer.catch(ignore);
    });
    offer_prefetched(url.to_string(), answer);
}

/// Waits for a fetch's answer and reads its body: `{ status, retryAfter, body }`, the shape
/// the loader hands over too (reading a body later would take a task of its own, between
/// the answer and the screen that shows it). None if the answer or its body was lost.
async fn read_whole(sent: js_sys::Promise) -> Option<JsValue> {
    let response: web_sys::Response = JsFuture::from(sent).await.ok()?.dyn_into().ok()?;
    let body = JsFuture::from(response.text().ok()?).await.ok()?;
    let retry_after = response.headers().get("retry-after").ok().flatten();
    let answer = js_sys::Object::new();
    let set = |k: &str, v: &JsValue| js_sys::Reflect::set(&answer, &JsValue::from_str(k), v).ok();
    set("status", &JsValue::from(response.status()))?;
    set("retryAfter", &retry_after.map(JsValue::from).unwrap_or(JsValue::NULL))?;
    set("body", &body)?;
    Some(answer.into())
}

/// The request sent ahead for `url` (or for the same thing: see [`crate::core::paths::same_request`]),
/// if it is still fresh, taken away so it is used once.
pub fn take(url: &str) -> Option<js_sys::Promise> {
    OFFERED.with(|o| {
        let mut o = o.borrow_mut();
        let now = js_sys::Date::now();
        o.retain(|(_, _, at)| now - at < FRESH_FOR_MS);
        let at = o.iter().position(|(u, _, _)| crate::core::paths::same_request(u, url))?;
        Some(o.remove(at).1)
    })
}

/// Forgets every request sent ahead (the studio's calendar has changed).
pub fn forget() {
    OFFERED.with(|o| o.borrow_mut().clear());
}
