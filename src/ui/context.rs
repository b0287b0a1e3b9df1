//! The booking as the components share it: the flow signal, where the studio is, the
//! locale, and `send`, which applies an action and carries out its effect.

use std::cell::{Cell, RefCell};

use leptos::prelude::*;

use crate::api::cache;
use crate::api::client::{book, new_idempotency_key, without_token};
use crate::browser::{is_offline, session_storage};
use crate::core::flow::{Action, BookingRefusal, Draft, Effect, Env, Flow, Later};
use crate::core::json::Value;
use crate::core::models::{SessionType, Slot};
use crate::intl;
use crate::intl::words::Words;
use crate::ui::events::WidgetEvent;
use crate::ui::text;

/// What the page sets on a widget: the `<studio-booking>` element's attributes.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct WidgetSettings {
    /// A session type to book (its id): the list is skipped. An id the studio does not
    /// publish shows the list instead.
    pub session_type: Option<String>,
    /// The language of the widget's words: a code of interface.json's `languages`, chosen
    /// by the loader (default: English).
    pub language: Option<String>,
    /// A BCP 47 locale for dates, times and prices (default: the browser's).
    pub locale: Option<String>,
    /// An IANA zone to show times in (default: the browser's).
    pub timezone: Option<String>,
    /// The visitor's name and e-mail, filled in for them.
    pub prefill_name: Option<String>,
    pub prefill_email: Option<String>,
    /// Names this widget's draft in sessionStorage (default: the API base), so that two
    /// widgets on one page keep apart.
    pub draft_key: Option<String>,
    /// A manage link's parameters in query form, when the page was opened by one (the loader
    /// took them out of the address; the later steps' code reads them).
    pub manage_query: Option<String>,
    /// The loader drew the session type list from its answer before this code ran, and sent
    /// `ready` for it: the widget does not send it again when it takes over.
    pub ready_sent: bool,
}

/// One widget's booking: shared through Leptos context.
#[derive(Clone, Copy)]
pub struct Booking {
    /// The `<studio-booking>` element, which events are sent from (None in tests).
    pub host: StoredValue<Option<web_sys::Element>, LocalStorage>,
    /// Where this widget keeps its draft in sessionStorage (each widget on a page its own).
    pub draft_key: StoredValue<String>,
    pub flow: RwSignal<Flow>,
    pub api_base: StoredValue<String>,
    /// The visitor's language and locale: every word, date, time and price.
    pub words: Words,
    /// Bumped whenever cached availability was forgotten: availability views ask again.
    pub refresh: RwSignal<u32>,
}

/// Carries out an effect of the later steps (a coupon to check, a move or a cancel to send, a
/// managed session to load). Its code is in the later steps' file, which registers it when it
/// loads ([`register_later_effects`]); an effect that comes first waits for it.
pub type LaterEffects = fn(Booking, Effect);

thread_local! {
    static LATER: Cell<Option<LaterEffects>> = const { Cell::new(None) };
    static PENDING: RefCell<Vec<(Booking, Effect)>> = const { RefCell::new(Vec::new()) };
}

/// Registers the later steps' effects (and carries out those that waited for them).
pub fn register_later_effects(carry_out: LaterEffects) {
    if LATER.with(Cell::get).is_some() {
        return;
    }
    LATER.with(|l| l.set(Some(carry_out)));
    for (booking, effect) in PENDING.with(|p| std::mem::take(&mut *p.borrow_mut())) {
        carry_out(booking, effect);
    }
}

/// The booking of the widget this component is in.
pub fn use_booking() -> Booking {
    expect_context::<Booking>()
}

impl Booking {
    /// A booking for a studio, showing times in `zone`, in the language and formats of `words`.
    pub fn new(api_base: String, zone: &str, words: Words, host: Option<web_sys::Element>, draft_key: Option<String>) -> Booking {
        intl::use_browser_numbers();
        let draft_key = format!("studio-booking:draft:{}", draft_key.unwrap_or_else(|| api_base.clone()));
        Booking {
            host: StoredValue::new_local(host),
            draft_key: StoredValue::new(draft_key),
            flow: RwSignal::new(Flow::new(zone)),
            api_base: StoredValue::new(api_base),
            words,
            refresh: RwSignal::new(0),
        }
    }

    /// The booking of a widget the page set up with `settings`: prices and dates in its
    /// locale (else the browser's), times in its zone (else the visitor's own), events sent
    /// from `host`.
    pub fn for_page(api_base: String, settings: &WidgetSettings, host: Option<web_sys::Element>) -> Booking {
        let words = Words::new(settings.language.as_deref(), &intl::usable_locale(settings.locale.as_deref()));
        let zone = settings
            .timezone
            .as_deref()
            .map(crate::core::zones::current_name)
            .filter(|z| intl::is_valid_zone(z))
            .map(str::to_string)
            .unwrap_or_else(intl::visitor_zone);
        Booking::new(api_base, &zone, words, host, settings.draft_key.clone())
    }

    /// The zone times are shown in now.
    pub fn zone(self) -> String {
        self.flow.with_untracked(|f| f.zone.clone())
    }

    /// Sends one of the element's events from the host element: bubbling, composed, with a
    /// detail.
    pub fn emit(self, event: WidgetEvent, detail: Value) {
        let Some(host) = self.host.try_get_value().flatten() else {
            return;
        };
        let init = web_sys::CustomEventInit::new();
        init.set_bubbles(true);
        init.set_composed(true);
        let detail = js_sys::JSON::parse(&detail.to_string()).unwrap_or(wasm_bindgen::JsValue::NULL);
        init.set_detail(&detail);
        if let Ok(event) = web_sys::CustomEvent::new_with_event_init_dict(event.dom_name(), &init) {
            let _ = host.dispatch_event(&event);
        }
    }

    /// Takes back the draft kept before a reload, once the session types are known.
    pub fn restore_draft(self, session_types: &[SessionType]) {
        let key = self.draft_key.get_value();
        let Some(text) = session_storage().and_then(|s| s.get_item(&key).ok().flatten()) else {
            return;
        };
        let Some(draft) = crate::core::read::decode::<Draft>(&text) else {
            return;
        };
        let zone = self.zone();
        let env = Env { today: intl::today_in(&zone), matcher: &intl::pattern_matches, new_key: &new_idempotency_key };
        self.flow.update(|f| f.restore(draft, session_types, &env));
    }

    /// Keeps the draft (or forgets it once booked).
    pub fn keep_draft(self, draft: Option<Draft>) {
        let Some(storage) = session_storage() else {
            return;
        };
        let key = self.draft_key.get_value();
        match draft.map(|d| d.to_json().to_string()) {
            Some(text) => {
                let _ = storage.set_item(&key, &text);
            }
            None => {
                let _ = storage.remove_item(&key);
            }
        }
    }

    /// Applies an action to the flow and carries out what follows from it.
    pub fn send(self, action: Action) {
        self.change(|f, env| f.apply(action, env));
    }

    /// Applies one of the later steps' actions (their screens' own) and carries out what
    /// follows from it.
    pub fn send_later(self, action: Later) {
        self.change(|f, env| f.apply_later(action, env));
    }

    /// Changes the flow (the one generic piece: what follows is compiled once).
    fn change(self, apply: impl FnOnce(&mut Flow, &Env) -> Option<Effect>) {
        let zone = self.zone();
        let env = Env { today: intl::today_in(&zone), matcher: &intl::pattern_matches, new_key: &new_idempotency_key };
        let before = self.flow.with_untracked(|f| (f.session_type.as_ref().map(|t| t.id.clone()), f.day, f.slot.clone()));
        let mut effect = None;
        self.flow.update(|f| effect = apply(f, &env));
        self.emit_changes(before);
        self.carry_out(effect);
    }

    /// Carries out what an action's change asks for.
    #[inline(never)]
    fn carry_out(self, effect: Option<Effect>) {
        match effect {
            Some(Effect::SendBooking { key, body }) => {
                let base = self.api_base.get_value();
                leptos::task::spawn_local(async move {
                    match book(&base, &key, &body).await {
                        Ok((session, raw)) => {
                            cache::forget_availability();
                            self.refresh.update(|n| *n += 1);
                            self.send(Action::Booked(session));
                            self.emit(WidgetEvent::Booked, without_token(raw));
                        }
                        Err(e) => {
                            let refusal = BookingRefusal::of(e, is_offline());
                            if let BookingRefusal::Failed(failure) = &refusal {
                                self.emit(WidgetEvent::Error, crate::object! { "message" => text::failure(self.words, failure) });
                            }
                            self.send(Action::BookingRefused(refusal));
                        }
                    }
                });
            }
            Some(Effect::RefreshDay) => {
                cache::forget_availability();
                self.refresh.update(|n| *n += 1);
            }
            // A coupon, a move, a cancel, a managed session to load: the later steps' own
            // code (their file registers it), so the first screen carries none of it.
            Some(other) => match LATER.with(Cell::get) {
                Some(carry_out) => carry_out(self, other),
                None => PENDING.with(|p| p.borrow_mut().push((self, other))),
            },
            None => {}
        }
    }

    /// The manage link of a booked session (None without a token): on the page of the
    /// element's `manage-url` attribute (an http or https address, relative to this page;
    /// never taken from the page's query, where a link could send the token elsewhere), else
    /// on this page.
    pub fn manage_link(self, session: &crate::core::models::BookedSession) -> Option<String> {
        let token = session.manage_token.as_deref()?;
        let here = web_sys::window()?.location().href().ok()?;
        let given = self.host.get_value().and_then(|h| h.get_attribute(crate::ui::events::attribute::MANAGE_URL));
        let page = match given.map(|v| v.trim().to_string()).filter(|v| !v.is_empty()) {
            Some(given) => web_sys::Url::new_with_base(&given, &here).ok()?.href(),
            None => here,
        };
        let link = crate::core::flow::manage::link_to(&page, &session.id, token);
        (page.starts_with("http") && crate::core::links::is_safe_href(&link)).then_some(link)
    }

    /// Tells the host page what the visitor just chose.
    fn emit_changes(self, before: (Option<String>, Option<chrono::NaiveDate>, Option<Slot>)) {
        let (type_now, day_now, slot_now, name) = self.flow.with_untracked(|f| {
            (f.session_type.as_ref().map(|t| t.id.clone()), f.day, f.slot.clone(), f.session_type.as_ref().map(|t| t.name.clone()))
        });
        if type_now.is_some() && type_now != before.0 {
            self.emit(WidgetEvent::SessionTypeSelected, crate::object! { "id" => type_now, "name" => name });
        }
        if let Some(day) = day_now.filter(|d| Some(*d) != before.1) {
            self.emit(WidgetEvent::DateSelected, crate::object! { "date" => crate::core::iso::format_date(day) });
        }
        if let Some(slot) = slot_now.filter(|s| Some(s) != before.2.as_ref()) {
            self.emit(WidgetEvent::SlotSelected, crate::object! { "start" => slot.start, "end" => slot.end });
        }
    }
}
