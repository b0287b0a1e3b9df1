//! studio-booking: a WebAssembly booking widget for photography studios.
//!
//! - [`core`]: the pure booking flow and the rules behind it (no DOM, tested natively).
//! - [`api`]: the studio's booking API: models, paths, retries, the HTTP client.
//! - [`ui`]: Leptos components that read signals and send actions.
//! - [`mount`]: puts a widget into every `<studio-booking>` element, inside a shadow root.

pub mod api;
pub mod core;
pub mod intl;
pub mod mount;
pub mod text;
pub mod ui;
