//! The widget's Leptos components. They read signals, send actions and put the booking
//! core's outcomes into words ([`text`]); the decisions live in [`crate::core`].

pub mod amounts;
pub mod calendar;
pub mod context;
pub mod events;
pub mod keyed;
pub mod later_effects;
pub mod load_error;
pub mod nav_buttons;
pub mod notice;
pub mod slot_list;
pub mod step_indicator;
pub mod steps;
pub mod studio_text;
pub mod summary;
pub mod text;
pub mod widget;
pub mod zone_picker;

use leptos::prelude::Effect;

/// Runs `f` after rendering, and again whenever a signal it read changes (a Leptos
/// [`Effect`]). Every effect of the widget goes through this one boxed closure type, so
/// Leptos' effect machinery is compiled once rather than once per closure (about 2 KB of wasm
/// each).
pub fn effect(f: impl FnMut() + 'static) {
    let mut f = f;
    let boxed: Box<dyn FnMut(Option<()>)> = Box::new(move |_| f());
    Effect::new(boxed);
}
