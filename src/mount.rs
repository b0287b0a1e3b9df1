//! Mounting, called by the loader (`loader/studio-booking.js`): each `<studio-booking>`
//! element gets an open shadow root holding the widget's styles and the widget, so the host
//! page's CSS and the widget's never meet. The element's attributes are read at each mount;
//! the loader mounts again when one changes.

use std::any::Any;
use std::cell::RefCell;

use leptos::prelude::*;
use wasm_bindgen::prelude::*;
use web_sys::{Element, HtmlElement, ShadowRootInit, ShadowRootMode};

use crate::core::flow::Action;
use crate::ui::context::Booking;
use crate::ui::widget::{BookingWidget, WidgetSettings};

/// The widget's stylesheet, put into every shadow root.
pub const WIDGET_CSS: &str = include_str!("../style/widget.css");

thread_local! {
    /// The widgets on the page: their element and what unmounts them when dropped.
    static MOUNTED: RefCell<Vec<(Element, Box<dyn Any>)>> = const { RefCell::new(Vec::new()) };
    /// Each mounted widget's booking, for the element's JS API.
    static BOOKINGS: RefCell<Vec<(Element, Booking)>> = const { RefCell::new(Vec::new()) };
}

/// Remembers a widget's booking (called by the widget as it mounts).
pub fn register_booking(host: Element, booking: Booking) {
    BOOKINGS.with(|b| {
        let mut b = b.borrow_mut();
        b.retain(|(h, _)| *h != host);
        b.push((host, booking));
    });
}

/// An attribute, or the host page's URL query parameter of the same name.
fn setting(host: &Element, name: &str) -> Option<String> {
    let from_page = || {
        let search = web_sys::window()?.location().search().ok()?;
        web_sys::UrlSearchParams::new_with_str(&search).ok()?.get(name)
    };
    host.get_attribute(name).or_else(from_page).map(|v| v.trim().to_string()).filter(|v| !v.is_empty())
}

fn css_colour_ok(value: &str) -> bool {
    web_sys::css::supports_with_value("color", value).unwrap_or(false)
}

/// Mounts (or mounts again) the widget into a `<studio-booking>` element.
#[wasm_bindgen]
pub fn mount_widget(host: Element) {
    unmount_widget(host.clone());
    let _ = mount_into(&host);
}

/// Takes the widget out of an element that left the page.
#[wasm_bindgen]
pub fn unmount_widget(host: Element) {
    let gone: Vec<Box<dyn Any>> = MOUNTED.with(|m| {
        let mut m = m.borrow_mut();
        let (out, keep): (Vec<_>, Vec<_>) = m.drain(..).partition(|(h, _)| *h == host);
        *m = keep;
        out.into_iter().map(|(_, handle)| handle).collect()
    });
    BOOKINGS.with(|b| b.borrow_mut().retain(|(h, _)| *h != host));
    drop(gone);
}

/// The element's JS API: "reset" starts the booking over; "open" and "close" show and hide a
/// popup widget.
#[wasm_bindgen]
pub fn widget_command(host: Element, command: &str) {
    let booking = BOOKINGS.with(|b| b.borrow().iter().find(|(h, _)| *h == host).map(|(_, b)| *b));
    if let (Some(booking), "reset") = (booking, command) {
        booking.send(Action::StartOver);
    }
}

fn mount_into(host: &Element) -> Option<()> {
    let document = web_sys::window()?.document()?;
    let root = match host.shadow_root() {
        Some(root) => root,
        None => host.attach_shadow(&ShadowRootInit::new(ShadowRootMode::Open)).ok()?,
    };
    // Whatever was there (a message from the loader, an earlier mount) makes way.
    while let Some(child) = root.first_child() {
        root.remove_child(&child).ok()?;
    }
    let style = document.create_element("style").ok()?;
    style.set_text_content(Some(WIDGET_CSS));
    root.append_child(&style).ok()?;
    let container: HtmlElement = document.create_element("div").ok()?.dyn_into().ok()?;
    container.set_class_name("sb-root");
    let theme = setting(host, "theme").filter(|t| matches!(t.as_str(), "light" | "dark" | "auto")).unwrap_or_else(|| "light".into());
    let _ = container.set_attribute("data-theme", &theme);
    if let Some(accent) = setting(host, "accent").filter(|a| css_colour_ok(a)) {
        let _ = container.style().set_property("--studio-booking-accent", &accent);
    }
    root.append_child(&container).ok()?;
    let api_base = host.get_attribute("api-base").unwrap_or_default();
    let settings = WidgetSettings {
        session_type: setting(host, "session-type"),
        locale: setting(host, "locale"),
        timezone: setting(host, "timezone"),
        prefill_name: setting(host, "prefill-name"),
        prefill_email: setting(host, "prefill-email"),
    };
    let for_widget = host.clone();
    let handle = leptos::mount::mount_to(container, move || {
        view! { <BookingWidget api_base=api_base settings=settings host=for_widget/> }
    });
    MOUNTED.with(|m| m.borrow_mut().push((host.clone(), Box::new(handle))));
    Some(())
}
