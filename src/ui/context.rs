//! The booking as the components share it: the flow signal, where the studio is, the
//! locale, and `send`, which applies an action and carries out its effect.

use leptos::prelude::*;

use crate::api::cache;
use crate::api::client::{book, check_coupon, manage, new_idempotency_key, published_session_types, without_token};
use crate::browser::{is_offline, session_storage};
use crate::core::flow::manage::ManageRefusal;
use crate::core::flow::{coupon_answer, Action, BookingRefusal, Draft, Effect, Env, Flow};
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
    /// The page a confirmation's manage link opens (absolute; default: the page itself).
    pub manage_url: Option<String>,
    /// A manage link's session and token, read from the page's address (then removed from it).
    pub managed: Option<(String, String)>,
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
    /// The page a confirmation's manage link opens (absolute; "" for none).
    pub manage_page: StoredValue<String>,
}

/// What the host page hears of a moved or cancelled session: never the token.
fn session_detail(s: &crate::core::models::BookedSession) -> Value {
    crate::object! { "id" => &s.id, "status" => &s.status, "start" => &s.start, "end" => &s.end }
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
            manage_page: StoredValue::new(String::new()),
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
        let booking = Booking::new(api_base, &zone, words, host, settings.draft_key.clone());
        booking.manage_page.set_value(settings.manage_url.clone().unwrap_or_default());
        booking
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
        let zone = self.zone();
        let env = Env { today: intl::today_in(&zone), matcher: &intl::pattern_matches, new_key: &new_idempotency_key };
        let before = self.flow.with_untracked(|f| (f.session_type.as_ref().map(|t| t.id.clone()), f.day, f.slot.clone()));
        let mut effect = None;
        self.flow.update(|f| effect = f.apply(action, &env));
        self.emit_changes(before);
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
            Some(Effect::CheckCoupon { code }) => {
                let base = self.api_base.get_value();
                let Some(type_id) = self.flow.with_untracked(|f| f.session_type.as_ref().map(|t| t.id.clone())) else {
                    return;
                };
                leptos::task::spawn_local(async move {
                    let answer = coupon_answer(check_coupon(&base, &type_id, &code).await);
                    self.send(Action::CouponChecked(code, answer));
                });
            }
            Some(Effect::LoadManaged { id, token }) => self.load_managed(id, token),
            Some(Effect::SendMove { key, id, token, body }) => {
                let url = crate::core::paths::reschedule_session(&self.api_base.get_value(), &id);
                leptos::task::spawn_local(async move {
                    match manage(&url, &token, Some((Some(&key), &body.to_string()))).await {
                        Ok(session) => {
                            cache::forget_availability();
                            self.refresh.update(|n| *n += 1);
                            self.emit(WidgetEvent::Rescheduled, session_detail(&session));
                            self.send(Action::Moved(session));
                        }
                        Err(e) => self.refused(e),
                    }
                });
            }
            Some(Effect::SendCancel { id, token, body }) => {
                let url = crate::core::paths::cancel_session(&self.api_base.get_value(), &id);
                leptos::task::spawn_local(async move {
                    match manage(&url, &token, Some((None, &body.to_string()))).await {
                        Ok(session) => {
                            cache::forget_availability();
                            self.emit(WidgetEvent::Cancelled, session_detail(&session));
                            self.send(Action::Cancelled(session));
                        }
                        Err(e) => self.refused(e),
                    }
                });
            }
            None => {}
        }
    }

    /// A manage request refused: the flow shows why (and the page hears of it).
    fn refused(self, e: crate::core::outcome::ApiError) {
        let refusal = ManageRefusal::of(e, is_offline());
        self.emit(WidgetEvent::Error, crate::object! { "message" => text::manage_refusal(self.words, &refusal, &self.zone()) });
        self.send(Action::ManageRefused(refusal));
    }

    /// Loads a manage link's session, then its session type from the studio's published ones.
    fn load_managed(self, id: String, token: String) {
        let base = self.api_base.get_value();
        leptos::task::spawn_local(async move {
            let url = crate::core::paths::session(&base, &id);
            let answer = match manage(&url, &token, None).await {
                Ok(session) => {
                    // The session is shown even when its type cannot be had (then it cannot be moved).
                    let types = published_session_types(&base, None).await.unwrap_or_default();
                    let t = types.into_iter().find(|t| t.id == session.session_type_id);
                    Ok((session, t))
                }
                Err(e) => Err(ManageRefusal::of(e, is_offline())),
            };
            self.send(Action::ManagedLoaded(Box::new(answer)));
        });
    }

    /// The manage link of a booked session on this widget's page (None without a token).
    pub fn manage_link(self, session: &crate::core::models::BookedSession) -> Option<String> {
        let token = session.manage_token.as_deref()?;
        let page = self.manage_page.get_value();
        (!page.is_empty()).then(|| crate::core::flow::manage::link_to(&page, &session.id, token))
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
