//! Requests sent before the code that reads them asks: the loader's requests for the session
//! type list and, for a preselected session type (or one chosen on the list the loader drew),
//! its first month, sent while the widget's files load. Each is the first attempt of the first
//! GET of exactly its URL within a few seconds, used once; after that, or once availability
//! is forgotten (a booking was made), it is not used.

use std::cell::RefCell;

use wasm_bindgen::prelude::*;

/// How long a request sent ahead stays usable: an answer older than this may be stale.
const FRESH_FOR_MS: f64 = 20_000.0;

thread_local! {
    static OFFERED: RefCell<Vec<(String, js_sys::Promise, f64)>> = const { RefCell::new(Vec::new()) };
}

/// Called by the loader: `answer` is the promise of the answer for
/// `url`, read whole: `{ status, retryAfter, body }`.
#[wasm_bindgen]
pub fn offer_prefetched(url: String, answer: js_sys::Promise) {
    OFFERED.with(|o| {
        let mut o = o.borrow_mut();
        o.retain(|(u, _, _)| !crate::core::paths::same_request(u, &url));
        o.push((url, answer, js_sys::Date::now()));
    });
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
