//! Mounting: each `<studio-booking>` element gets an open shadow root holding the widget's
//! styles and the widget, so the host page's CSS and the widget's never meet.

use leptos::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{Element, HtmlElement, ShadowRootInit, ShadowRootMode};

use crate::ui::widget::BookingWidget;

/// The widget's stylesheet, put into every shadow root.
pub const WIDGET_CSS: &str = include_str!("../style/widget.css");

/// Mounts a widget into every `<studio-booking>` element of the page that has none yet.
pub fn mount_all() {
    let Some(document) = web_sys::window().and_then(|w| w.document()) else { return };
    let Ok(hosts) = document.query_selector_all("studio-booking") else { return };
    for i in 0..hosts.length() {
        if let Some(host) = hosts.item(i).and_then(|n| n.dyn_into::<Element>().ok()) {
            mount_into(&host);
        }
    }
}

/// Mounts one widget into `host`'s shadow root, reading its `api-base` and `session-type`
/// attributes. Does
/// nothing if the element already has a shadow root.
pub fn mount_into(host: &Element) -> Option<()> {
    if host.shadow_root().is_some() {
        return None;
    }
    let document = web_sys::window()?.document()?;
    let root = host.attach_shadow(&ShadowRootInit::new(ShadowRootMode::Open)).ok()?;
    let style = document.create_element("style").ok()?;
    style.set_text_content(Some(WIDGET_CSS));
    root.append_child(&style).ok()?;
    let container: HtmlElement = document.create_element("div").ok()?.dyn_into().ok()?;
    container.set_class_name("sb-root");
    root.append_child(&container).ok()?;
    let api_base = host.get_attribute("api-base").unwrap_or_default();
    let session_type = host.get_attribute("session-type").map(|s| s.trim().to_string()).filter(|s| !s.is_empty());
    leptos::mount::mount_to(container, move || view! { <BookingWidget api_base=api_base session_type=session_type/> }).forget();
    Some(())
}
