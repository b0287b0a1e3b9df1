//! The booking as the components share it: the flow signal, where the studio is, the
//! locale, and `send`, which applies an action and carries out its effect.

use std::collections::BTreeMap;

use leptos::prelude::*;

use crate::api::client::{book, new_idempotency_key, ApiError};
use crate::api::{cache, models::SessionType};
use crate::core::flow::{Action, BookingRefusal, Draft, Effect, Env, Flow};
use crate::{intl, text};

/// One widget's booking: shared through Leptos context.
#[derive(Clone, Copy)]
pub struct Booking {
    pub flow: RwSignal<Flow>,
    pub api_base: StoredValue<String>,
    pub locale: StoredValue<String>,
    /// Bumped whenever cached availability was forgotten: availability views ask again.
    pub refresh: RwSignal<u32>,
    /// The studio's published session types, once loaded.
    pub session_types: RwSignal<Option<Vec<SessionType>>>,
}

/// The booking of the widget this component is in.
pub fn use_booking() -> Booking {
    expect_context::<Booking>()
}

fn refusal_of(e: ApiError) -> BookingRefusal {
    match e {
        ApiError::Refused { status: 409, .. } => BookingRefusal::SlotTaken,
        ApiError::Refused { status: 422, code, details, message } if code == "validation_failed" => {
            let messages: BTreeMap<String, String> = details
                .into_iter()
                .map(|(k, v)| {
                    let m = match v {
                        serde_json::Value::Array(items) => items.first().and_then(|m| m.as_str()).unwrap_or(&message).to_string(),
                        serde_json::Value::String(s) => s,
                        _ => message.clone(),
                    };
                    (k, m)
                })
                .collect();
            if messages.is_empty() { BookingRefusal::Failed(message) } else { BookingRefusal::Invalid(messages) }
        }
        ApiError::Refused { status: 404, .. } => BookingRefusal::Failed(text::TYPE_GONE.into()),
        ApiError::Network | ApiError::Timeout => BookingRefusal::Failed(text::BOOKING_NOT_CONFIRMED.into()),
        other => BookingRefusal::Failed(other.to_string()),
    }
}

/// Where a widget keeps its draft in sessionStorage: one per studio.
fn draft_key(api_base: &str) -> String {
    format!("studio-booking:draft:{api_base}")
}

fn session_storage() -> Option<web_sys::Storage> {
    web_sys::window().and_then(|w| w.session_storage().ok().flatten())
}

impl Booking {
    /// Takes back the draft kept before a reload, once the session types are known.
    pub fn restore_draft(self, session_types: &[SessionType]) {
        let key = draft_key(&self.api_base.get_value());
        let Some(text) = session_storage().and_then(|s| s.get_item(&key).ok().flatten()) else { return };
        let Ok(draft) = serde_json::from_str::<Draft>(&text) else { return };
        let zone = self.flow.with_untracked(|f| f.zone.clone());
        let env = Env { today: intl::today_in(&zone), matcher: &intl::pattern_matches, new_key: &new_idempotency_key };
        self.flow.update(|f| f.restore(draft, session_types, &env));
    }

    /// Keeps the draft (or forgets it once booked).
    pub fn keep_draft(self, draft: Option<Draft>) {
        let Some(storage) = session_storage() else { return };
        let key = draft_key(&self.api_base.get_value());
        match draft.and_then(|d| serde_json::to_string(&d).ok()) {
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
        let mut effect = None;
        self.flow.update(|f| effect = f.apply(action, &env));
        match effect {
            Some(Effect::SendBooking { key, body }) => {
                let base = self.api_base.get_value();
                leptos::task::spawn_local(async move {
                    match book(&base, &key, &body).await {
                        Ok(session) => {
                            cache::forget_availability();
                            self.refresh.update(|n| *n += 1);
                            self.send(Action::Booked(session));
                        }
                        Err(e) => self.send(Action::BookingRefused(refusal_of(e))),
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
}
