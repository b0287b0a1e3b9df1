//! studio-booking: a WebAssembly booking widget for photography studios.
//!
//! Layers run one way, each using only those below it:
//! [`mount`] → [`ui`] → ([`api`], [`intl`], [`browser`]) → [`core`].
//!
//! - [`core`]: the booking rules, a crate of their own (`studio-booking-core`): models, the
//!   flow, validation, the calendar, money, dates, paths. No DOM, no network, no words.
//! - [`browser`]: timers and the browser's own facts (online, storage), for the layers above.
//! - [`api`]: the studio's booking API over HTTP: the client, its retries, the cache.
//! - [`intl`]: dates, times, zones and prices through the browser's `Intl`.
//! - [`ui`]: Leptos components that read signals, send actions and put outcomes into words.
//! - [`mount`]: puts a widget into every `<studio-booking>` element, inside a shadow root.

pub use studio_booking_core as core;
pub use studio_booking_core::object;

pub mod api;
pub mod browser;
pub mod intl;
pub mod mount;
pub mod ui;
