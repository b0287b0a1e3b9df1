//! Browser tests of mounting: a page that changes a widget's attributes again and again (the
//! loader mounts it again each time) holds no more listeners or memory than after the first.
#![cfg(target_arch = "wasm32")]

use studio_booking::browser::sleep_ms;
use studio_booking::mount::{mount_widget, unmount_widget};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

/// Counts every event listener added and not removed since this was first called, on any
/// target (wraps `EventTarget.prototype.addEventListener` and `removeEventListener`).
fn live_listeners() -> u32 {
    let count = js_sys::Function::new_no_args(
        r#"
        if (!window.__liveListeners) {
          const live = new Map(); // target -> Set of "type" + listener
          const key = (type, fn, opts) => `${type}|${(typeof opts === 'boolean' ? opts : !!(opts && opts.capture))}`;
          const add = EventTarget.prototype.addEventListener;
          const remove = EventTarget.prototype.removeEventListener;
          EventTarget.prototype.addEventListener = function (type, fn, opts) {
            if (fn) {
              if (!live.has(this)) live.set(this, new Map());
              const byKey = live.get(this);
              const k = key(type, fn, opts);
              if (!byKey.has(k)) byKey.set(k, new Set());
              byKey.get(k).add(fn);
            }
            return add.call(this, type, fn, opts);
          };
          EventTarget.prototype.removeEventListener = function (type, fn, opts) {
            live.get(this)?.get(key(type, fn, opts))?.delete(fn);
            return remove.call(this, type, fn, opts);
          };
          window.__liveListeners = () => { let n = 0; for (const m of live.values()) for (const s of m.values()) n += s.size; return n; };
        }
        return window.__liveListeners();
        "#,
    )
    .call0(&JsValue::NULL)
    .unwrap();
    count.as_f64().unwrap() as u32
}

/// The wasm memory's size in bytes (it never shrinks: growth is what stayed allocated).
fn wasm_memory_bytes() -> f64 {
    let memory: js_sys::WebAssembly::Memory = wasm_bindgen::memory().unchecked_into();
    memory.buffer().unchecked_into::<js_sys::ArrayBuffer>().byte_length() as f64
}

#[wasm_bindgen_test]
async fn a_hundred_remounts_of_a_popup_keep_no_listeners_or_memory() {
    live_listeners();
    let document = web_sys::window().unwrap().document().unwrap();
    let host = document.create_element("studio-booking").unwrap();
    host.set_attribute("mode", "popup").unwrap();
    host.set_text_content(Some("Book a mini session"));
    document.body().unwrap().append_child(&host).unwrap();

    mount_widget(host.clone(), None, None, None);
    sleep_ms(30).await;
    // A second mount first: Leptos' delegated listeners on the document and the first mount's
    // caches are made once, whatever the number of mounts after.
    host.set_attribute("accent", "#123456").unwrap();
    mount_widget(host.clone(), None, None, None);
    sleep_ms(30).await;
    let (listeners, memory) = (live_listeners(), wasm_memory_bytes());
    assert!(listeners > 0, "the popup listens to its button and dialog");

    for i in 0..100 {
        host.set_attribute("accent", &format!("#{:06x}", i * 1000)).unwrap();
        mount_widget(host.clone(), None, None, None);
        sleep_ms(1).await;
    }
    sleep_ms(50).await;
    let shadow = host.shadow_root().unwrap();
    assert_eq!(shadow.query_selector_all("button.sb-open-button").unwrap().length(), 1, "one popup button");
    assert_eq!(shadow.query_selector_all("dialog").unwrap().length(), 1, "one dialog");
    assert_eq!(live_listeners(), listeners, "listeners after 100 remounts against after the first");
    let grown = wasm_memory_bytes() - memory;
    web_sys::console::log_1(&format!("100 remounts: {listeners} listeners before and after, wasm memory +{grown} bytes").into());
    assert!(grown <= 65_536.0, "wasm memory grew by {grown} bytes over 100 remounts");

    // Unmounted, it leaves no listener of its own behind.
    unmount_widget(host.clone());
    host.remove();
    assert!(live_listeners() < listeners, "the popup's listeners go with it");
    assert_eq!(host.shadow_root().unwrap().query_selector_all("button.sb-open-button").unwrap().length(), 0);
}
