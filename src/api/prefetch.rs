//! Requests the loader sent while the widget's files were loading (the session type list),
//! so the first screen does not wait for a request that could have started earlier. Each is
//! the first attempt of the first GET of exactly its URL, and is used once.

use std::cell::RefCell;

use wasm_bindgen::prelude::*;

thread_local! {
    static OFFERED: RefCell<Vec<(String, js_sys::Promise)>> = const { RefCell::new(Vec::new()) };
}

/// Called by the loader: `answer` is its `fetch(url)`, a `Promise<Response>`.
#[wasm_bindgen]
pub fn offer_prefetched(url: String, answer: js_sys::Promise) {
    OFFERED.with(|o| {
        let mut o = o.borrow_mut();
        o.retain(|(u, _)| *u != url);
        o.push((url, answer));
    });
}

/// The request offered for `url`, taken away so that it is used only once.
pub fn take(url: &str) -> Option<js_sys::Promise> {
    OFFERED.with(|o| {
        let mut o = o.borrow_mut();
        let at = o.iter().position(|(u, _)| u == url)?;
        Some(o.remove(at).1)
    })
}
