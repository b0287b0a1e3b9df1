//! The few things of the browser itself that the layers above share: timers, "after the
//! next paint", whether the browser is online, and the tab's session storage. Nothing here
//! knows about bookings or HTTP.

use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_name = setTimeout)]
    fn set_timeout_js(callback: &js_sys::Function, ms: i32) -> JsValue;
    #[wasm_bindgen(js_name = clearTimeout)]
    fn clear_timeout_js(id: &JsValue);
    #[wasm_bindgen(js_name = requestAnimationFrame)]
    fn request_animation_frame(callback: &JsValue);
}

/// Calls `callback` after `ms` milliseconds; gives the timer's id for [`clear_timeout`].
pub fn set_timeout(callback: &js_sys::Function, ms: u32) -> JsValue {
    set_timeout_js(callback, ms.min(i32::MAX as u32) as i32)
}

/// Stops a timer of [`set_timeout`] before it fires.
pub fn clear_timeout(id: &JsValue) {
    clear_timeout_js(id);
}

/// Waits `ms` milliseconds.
pub async fn sleep_ms(ms: u32) {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        set_timeout(&resolve, ms);
    });
    let _ = JsFuture::from(promise).await;
}

/// Waits until the browser has painted its next frame (a timer set from the frame's
/// animation callback runs after that paint): for work that must not delay what is shown.
pub async fn after_next_paint() {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        request_animation_frame(&Closure::once_into_js(move || {
            set_timeout(&resolve, 0);
        }));
    });
    let _ = JsFuture::from(promise).await;
}

/// Whether the browser says it has no network at all.
pub fn is_offline() -> bool {
    web_sys::window().is_some_and(|w| !w.navigator().on_line())
}

/// The tab's session storage, where it may be used (not in every private mode or sandbox).
pub fn session_storage() -> Option<web_sys::Storage> {
    web_sys::window().and_then(|w| w.session_storage().ok().flatten())
}
