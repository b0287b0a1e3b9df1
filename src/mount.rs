//! Mounting, called by the loader (`loader/studio-booking.js`): each `<studio-booking>`
//! element gets an open shadow root holding the widget (and the widget's styles, which the
//! loader carries and gives it), so the host page's CSS and the widget's never meet. Where
//! the loader drew the session type list itself before this code ran, the mount is drawn
//! beside it and the loader swaps it in once it shows the same list. The element's attributes are read at each mount;
//! the loader mounts again when one changes. This is the top layer: it makes what a widget
//! needs (its settings, its [`Booking`]) and passes it down; nothing below calls back up.
//! Whatever a mount adds to the page (the popup's listeners included) goes with its unmount.

use std::any::Any;
use std::cell::RefCell;

use leptos::prelude::*;
use wasm_bindgen::prelude::*;
use web_sys::{Element, HtmlElement, ShadowRootInit, ShadowRootMode};

use crate::core::flow::Action;
use crate::intl::words::{Msg, Words};
use crate::ui::context::{Booking, WidgetSettings};
use crate::ui::events::{attribute, theme_property};
use crate::ui::widget::BookingWidget;

thread_local! {
    /// The widgets on the page: their element and what unmounts them when dropped (the
    /// Leptos mount, and in popup mode the button, the dialog and their listeners).
    static MOUNTED: RefCell<Vec<(Element, Box<dyn Any>)>> = const { RefCell::new(Vec::new()) };
    /// Each mounted widget's booking, for the element's JS API.
    static BOOKINGS: RefCell<Vec<(Element, Booking)>> = const { RefCell::new(Vec::new()) };
}

/// Remembers a widget's booking, for the element's JS API.
fn register_booking(host: Element, booking: Booking) {
    BOOKINGS.with(|b| {
        let mut b = b.borrow_mut();
        b.retain(|(h, _)| *h != host);
        b.push((host, booking));
    });
}

/// An event listener added by a mount, removed when dropped (with its closure).
struct Listener {
    target: web_sys::EventTarget,
    kind: &'static str,
    callback: Closure<dyn FnMut(web_sys::Event)>,
}

impl Listener {
    fn add(target: &web_sys::EventTarget, kind: &'static str, f: impl FnMut(web_sys::Event) + 'static) -> Option<Listener> {
        let callback = Closure::<dyn FnMut(web_sys::Event)>::new(f);
        target.add_event_listener_with_callback(kind, callback.as_ref().unchecked_ref()).ok()?;
        Some(Listener { target: target.clone(), kind, callback })
    }
}

impl Drop for Listener {
    fn drop(&mut self) {
        let _ = self.target.remove_event_listener_with_callback(self.kind, self.callback.as_ref().unchecked_ref());
    }
}

/// Popup mode's button and dialog, and their listeners: all taken away when dropped.
struct Popup {
    elements: [Element; 2],
    _listeners: [Listener; 3],
}

impl Drop for Popup {
    fn drop(&mut self) {
        for e in &self.elements {
            e.remove();
        }
    }
}

/// An attribute, or the host page's URL query parameter of the same name.
fn setting(host: &Element, name: &'static str) -> Option<String> {
    let from_page = || {
        let search = web_sys::window()?.location().search().ok()?;
        web_sys::UrlSearchParams::new_with_str(&search).ok()?.get(name)
    };
    host.get_attribute(name).or_else(from_page).map(|v| v.trim().to_string()).filter(|v| !v.is_empty())
}

fn css_colour_ok(value: &str) -> bool {
    web_sys::css::supports_with_value("color", value).unwrap_or(false)
}

/// Mounts (or mounts again) the widget into a `<studio-booking>` element, in `language` (a
/// code of interface.json's `languages` whose messages were offered, else English) with the
/// formats of `locale` (else the element's `locale` attribute, else the browser's). The
/// loader chooses both before the wasm runs (the attribute, the page's `<html lang>`, the
/// browser's languages). `link` is a manage link's parameters in query form, which the loader
/// took out of the page's address before anything else ran (from its fragment, or an older
/// link's query): the widget then opens that session. It is kept in memory only.
#[wasm_bindgen]
pub fn mount_widget(host: Element, language: Option<String>, locale: Option<String>, link: Option<String>) {
    unmount_widget(host.clone());
    let _ = mount_into(&host, language, locale, link);
}

/// Keeps a language file's messages (as the loader read them) for the widgets mounted in
/// that language next; a file of another build is refused (false) and English is used.
#[wasm_bindgen]
pub fn offer_language(language: &str, messages: JsValue) -> bool {
    crate::intl::words::offer(language, &messages)
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
/// popup widget (in inline mode the widget is always open).
#[wasm_bindgen]
pub fn widget_command(host: Element, command: &str) {
    let dialog = || host.shadow_root()?.query_selector("dialog.sb-dialog").ok().flatten()?.dyn_into::<web_sys::HtmlDialogElement>().ok();
    match command {
        "reset" => {
            let booking = BOOKINGS.with(|b| b.borrow().iter().find(|(h, _)| *h == host).map(|(_, b)| *b));
            if let Some(booking) = booking {
                booking.send(Action::StartOver);
            }
        }
        "open" => {
            if let Some(d) = dialog().filter(|d| !d.open()) {
                let _ = d.show_modal();
            }
        }
        "close" => {
            if let Some(d) = dialog() {
                d.close();
            }
        }
        _ => {}
    }
}

/// The popup's button (named by the element's own text) and its modal dialog, which the
/// widget goes into.
fn build_popup(document: &web_sys::Document, host: &Element, root: &web_sys::ShadowRoot, words: Words) -> Option<Popup> {
    let label = host.text_content().map(|t| t.split_whitespace().collect::<Vec<_>>().join(" ")).filter(|t| !t.is_empty());
    let label = label.unwrap_or_else(|| words.text(Msg::OpenBooking).to_string());
    let button = document.create_element("button").ok()?;
    button.set_attribute("type", "button").ok()?;
    button.set_attribute("class", "sb-open-button").ok()?;
    button.set_attribute("part", "open-button").ok()?;
    button.set_attribute("aria-haspopup", "dialog").ok()?;
    button.set_text_content(Some(&label));
    let dialog: web_sys::HtmlDialogElement = document.create_element("dialog").ok()?.dyn_into().ok()?;
    dialog.set_attribute("class", "sb-dialog").ok()?;
    dialog.set_attribute("part", "dialog").ok()?;
    dialog.set_attribute("aria-label", &label).ok()?;
    let close = document.create_element("button").ok()?;
    close.set_attribute("type", "button").ok()?;
    close.set_attribute("class", "sb-close").ok()?;
    close.set_attribute("aria-label", words.text(Msg::Close)).ok()?;
    close.set_text_content(Some("×"));
    dialog.append_child(&close).ok()?;
    let to_open = dialog.clone();
    let on_open = Listener::add(&button, "click", move |_| {
        if !to_open.open() {
            let _ = to_open.show_modal();
        }
    })?;
    let to_close = dialog.clone();
    let on_close = Listener::add(&close, "click", move |_| to_close.close())?;
    // Tab and Shift+Tab wrap around inside the dialog instead of leaving for the browser.
    let trap_in = dialog.clone();
    let trap_root = root.clone();
    let on_key = Listener::add(&dialog, "keydown", move |ev: web_sys::Event| {
        let Some(ev) = ev.dyn_ref::<web_sys::KeyboardEvent>() else {
            return;
        };
        if ev.key() != "Tab" {
            return;
        }
        let Ok(list) = trap_in.query_selector_all(
            "button:not([disabled]), [href], input:not([disabled]), select:not([disabled]), textarea:not([disabled]), [tabindex='0']",
        ) else {
            return;
        };
        let items: Vec<HtmlElement> = (0..list.length())
            .filter_map(|i| list.item(i))
            .filter_map(|n| n.dyn_into::<HtmlElement>().ok())
            .filter(|e| e.offset_parent().is_some() || e.get_client_rects().length() > 0)
            .collect();
        let (Some(first), Some(last)) = (items.first(), items.last()) else {
            return;
        };
        let active = trap_root.active_element();
        let at = |e: &HtmlElement| active.as_ref().is_some_and(|a| a == e.unchecked_ref::<Element>());
        if ev.shift_key() && (at(first) || active.is_none()) {
            ev.prevent_default();
            let _ = last.focus();
        } else if !ev.shift_key() && (at(last) || active.is_none()) {
            ev.prevent_default();
            let _ = first.focus();
        }
    })?;
    root.append_child(&button).ok()?;
    root.append_child(&dialog).ok()?;
    Some(Popup { elements: [button, dialog.into()], _listeners: [on_open, on_close, on_key] })
}

/// The element's own draft name: its id, or its place among the page's widgets, with the
/// studio and the session type it books.
fn draft_key(document: &web_sys::Document, host: &Element) -> String {
    let place = if host.id().is_empty() {
        let all = document.query_selector_all("studio-booking").ok();
        let index = all.and_then(|l| (0..l.length()).find(|&i| l.item(i).is_some_and(|n| &n == host.unchecked_ref::<web_sys::Node>())));
        format!("#{}", index.unwrap_or(0))
    } else {
        host.id()
    };
    format!(
        "{}|{}|{place}",
        host.get_attribute(attribute::API_BASE).unwrap_or_default(),
        host.get_attribute(attribute::SESSION_TYPE).unwrap_or_default()
    )
}

fn mount_into(host: &Element, language: Option<String>, locale: Option<String>, link: Option<String>) -> Option<()> {
    let document = web_sys::window()?.document()?;
    let root = match host.shadow_root() {
        Some(root) => root,
        None => host.attach_shadow(&ShadowRootInit::new(ShadowRootMode::Open)).ok()?,
    };
    // Whatever was there (a message from the loader, an earlier mount) makes way, but for the
    // widget's styles, which the loader gives every shadow root (one stylesheet it carries
    // and shares, or a <style> where constructed sheets are missing), and the first screen it
    // drew from the list's answer, which it swaps for this mount's once that shows the same.
    let early = root.query_selector("[data-early]").ok().flatten();
    let children = root.child_nodes();
    for i in (0..children.length()).rev() {
        let Some(child) = children.item(i) else { continue };
        let keep = child.node_name().eq_ignore_ascii_case("style") || early.as_ref().is_some_and(|e| e.unchecked_ref::<web_sys::Node>() == &child);
        if !keep {
            root.remove_child(&child).ok()?;
        }
    }
    let popup_mode = setting(host, attribute::MODE).is_some_and(|m| m == "popup");
    // In popup mode the widget lives in a modal <dialog>: the browser keeps focus inside it,
    // closes it on Escape and gives focus back to the button that opened it.
    let theme = setting(host, attribute::THEME).filter(|t| matches!(t.as_str(), "light" | "dark" | "auto")).unwrap_or_else(|| "light".into());
    let locale = locale.or_else(|| setting(host, attribute::LOCALE));
    // The words are made here, before the mount, for the popup's button; the booking made
    // inside the mount shares them (a widget's words are the same for a language and locale).
    let words = Words::new(language.as_deref(), &crate::intl::usable_locale(locale.as_deref()));
    let popup = if popup_mode { Some(build_popup(&document, host, &root, words)?) } else { None };
    let parent: web_sys::Node = match &popup {
        Some(p) => {
            let _ = p.elements[1].set_attribute("data-theme", &theme);
            p.elements[1].clone().into()
        }
        None => root.clone().into(),
    };
    let container: HtmlElement = document.create_element("div").ok()?.dyn_into().ok()?;
    container.set_class_name("sb-root");
    let _ = container.set_attribute("data-theme", &theme);
    // The language for screen readers and hyphenation, and the direction the whole widget
    // (the popup's button and dialog too) is laid out in.
    let dir = if words.rtl() { "rtl" } else { "ltr" };
    let (language, locale_tag) = (words.language(), words.locale());
    let lang = if locale_tag.split('-').next() == language.split('-').next() { locale_tag } else { language };
    let mark = |element: &Element| {
        let _ = element.set_attribute("lang", lang);
        let _ = element.set_attribute("dir", dir);
    };
    mark(&container);
    if let Some(p) = &popup {
        p.elements.iter().for_each(mark);
    }
    if let Some(accent) = setting(host, attribute::ACCENT).filter(|a| css_colour_ok(a)) {
        let _ = container.style().set_property(theme_property::ACCENT, &accent);
    }
    parent.append_child(&container).ok()?;
    let api_base = host.get_attribute(attribute::API_BASE).unwrap_or_default();
    let settings = WidgetSettings {
        session_type: setting(host, attribute::SESSION_TYPE),
        language: Some(words.language().to_string()),
        locale,
        timezone: setting(host, attribute::TIMEZONE),
        prefill_name: setting(host, attribute::PREFILL_NAME),
        prefill_email: setting(host, attribute::PREFILL_EMAIL),
        draft_key: Some(draft_key(&document, host)),
        manage_query: link,
        ready_sent: early.is_some(),
    };
    // A manage link opens its session at once, in popup mode too.
    let open_now = popup_mode && settings.manage_query.is_some();
    let for_widget = host.clone();
    let handle = leptos::mount::mount_to(container, move || {
        // Made inside the mount, so that its signals go with it.
        let booking = Booking::for_page(api_base, &settings, Some(for_widget.clone()));
        register_booking(for_widget, booking);
        view! { <BookingWidget booking=booking settings=settings/> }
    });
    MOUNTED.with(|m| m.borrow_mut().push((host.clone(), Box::new((handle, popup)))));
    if open_now {
        widget_command(host.clone(), "open");
    }
    Some(())
}
