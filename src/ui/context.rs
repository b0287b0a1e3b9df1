//! The booking as the components share it: the flow signal, where the studio is, the
//! locale, and `send`, which applies an action and carries out its effect.


use leptos::prelude::*;

use crate::api::client::{book, new_idempotency_key, ApiError};
use crate::api::{cache, models::SessionType};
use crate::core::flow::{Action, BookingRefusal, Draft, Effect, Env, Flow};
use crate::core::json::Value;
use crate::{intl, text};

/// One widget's booking: shared through Leptos context.
#[derive(Clone, Copy)]
pub struct Booking {
    /// The `<studio-booking>` element, which events are sent from (None in tests).
    pub host: StoredValue<Option<web_sys::Element>, LocalStorage>,
    /// Where this widget keeps its draft in sessionStorage (each widget on a page its own).
    pub draft_key: StoredValue<String>,
    pub flow: RwSignal<Flow>,
    pub api_base: StoredValue<String>,
    pub locale: StoredValue<String>,
    /// Bumped whenever cached availability was forgotten: availability views ask again.
    pub refresh: RwSignal<u32>,
}

/// The booking of the widget this component is in.
pub fn use_booking() -> Booking {
    expect_context::<Booking>()
}

/// Whether the browser says it has no network at all.
fn is_offline() -> bool {
    web_sys::window().is_some_and(|w| !w.navigator().on_line())
}

fn refusal_of(e: ApiError) -> BookingRefusal {
    match e {
        ApiError::Refused { status: 409, .. } => BookingRefusal::SlotTaken,
        ApiError::Refused { status: 422, code, details, message } if code == "validation_failed" => {
                        let mut messages = crate::core::field_map::FieldMap::new();
            for (k, v) in details {
                let m = match v {
                    Value::Array(items) => items.first().and_then(|m| m.as_str()).unwrap_or(&message).to_string(),
                    Value::String(s) => s,
                    _ => message.clone(),
                };
                messages.insert(k, m);
            }
            if messages.is_empty() { BookingRefusal::Failed(message) } else { BookingRefusal::Invalid(messages) }
        }
        ApiError::Refused { status: 404, .. } => BookingRefusal::Failed(text::TYPE_GONE.into()),
        ApiError::Network | ApiError::Timeout if is_offline() => BookingRefusal::Failed(text::BOOKING_OFFLINE.into()),
        ApiError::Network | ApiError::Timeout => BookingRefusal::Failed(text::BOOKING_NOT_CONFIRMED.into()),
        other => BookingRefusal::Failed(other.to_string()),
    }
}


fn session_storage() -> Option<web_sys::Storage> {
    web_sys::window().and_then(|w| w.session_storage().ok().flatten())
}

impl Booking {
    /// A booking for a studio, showing times in `zone` and prices in `locale`.
    pub fn new(api_base: String, zone: &str, locale: String, host: Option<web_sys::Element>, draft_key: Option<String>) -> Booking {
        let draft_key = format!("studio-booking:draft:{}", draft_key.unwrap_or_else(|| api_base.clone()));
        Booking {
            host: StoredValue::new_local(host),
            draft_key: StoredValue::new(draft_key),
            flow: RwSignal::new(Flow::new(zone)),
            api_base: StoredValue::new(api_base),
            locale: StoredValue::new(locale),
            refresh: RwSignal::new(0),
        }
    }

    /// Sends `studio-booking:{name}` from the host element: bubbling, composed, with a detail.
    pub fn emit(self, name: &str, detail: Value) {
        let Some(host) = self.host.try_get_value().flatten() else { return };
        let init = web_sys::CustomEventInit::new();
        init.set_bubbles(true);
        init.set_composed(true);
        let detail = js_sys::JSON::parse(&detail.to_string()).unwrap_or(wasm_bindgen::JsValue::NULL);
        init.set_detail(&detail);
        if let Ok(event) = web_sys::CustomEvent::new_with_event_init_dict(&format!("studio-booking:{name}"), &init) {
            let _ = host.dispatch_event(&event);
        }
    }

    /// Takes back the draft kept before a reload, once the session types are known.
    pub fn restore_draft(self, session_types: &[SessionType]) {
        let key = self.draft_key.get_value();
        let Some(text) = session_storage().and_then(|s| s.get_item(&key).ok().flatten()) else { return };
        let Some(draft) = crate::api::json::decode::<Draft>(&text) else { return };
        let zone = self.flow.with_untracked(|f| f.zone.clone());
        let env = Env { today: intl::today_in(&zone), matcher: &intl::pattern_matches, new_key: &new_idempotency_key };
        self.flow.update(|f| f.restore(draft, session_types, &env));
    }

    /// Keeps the draft (or forgets it once booked).
    pub fn keep_draft(self, draft: Option<Draft>) {
        let Some(storage) = session_storage() else { return };
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
        let zone = self.flow.with_untracked(|f| f.zone.clone());
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
                            self.emit("booked", raw);
                        }
                        Err(e) => {
                            let refusal = refusal_of(e);
                            if let BookingRefusal::Failed(message) = &refusal {
                                self.emit("error", crate::object! { "message" => message });
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
            None => {}
        }
    }

    /// Tells the host page what the visitor just chose.
    fn emit_changes(self, before: (Option<String>, Option<chrono::NaiveDate>, Option<crate::api::models::Slot>)) {
        let (type_now, day_now, slot_now, name) = self.flow.with_untracked(|f| {
            (f.session_type.as_ref().map(|t| t.id.clone()), f.day, f.slot.clone(), f.session_type.as_ref().map(|t| t.name.clone()))
        });
        if type_now.is_some() && type_now != before.0 {
            self.emit("session-type-selected", crate::object! { "id" => type_now, "name" => name });
        }
        if let Some(day) = day_now.filter(|d| Some(*d) != before.1) {
            self.emit("date-selected", crate::object! { "date" => crate::core::iso::format_date(day) });
        }
        if let Some(slot) = slot_now.filter(|s| Some(s) != before.2.as_ref()) {
            self.emit("slot-selected", crate::object! { "start" => slot.start, "end" => slot.end });
        }
    }
}
