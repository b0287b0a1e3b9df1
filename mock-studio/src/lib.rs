//! mock-studio: the demo photography studio that speaks the booking API of
//! `api/openapi.yaml`, for the widget's run command, its tests, and anyone trying the
//! widget without a Pixieset account.
//!
//! - [`engine`]: availability, pure and time-zone exact.
//! - [`rules`]: money (discounts, deposits, taxes), e-mail, phone and intake answer checks.
//! - [`demo`]: the demo studio: its session types, read from the data file `data/demo.json`,
//!   its coupons and the sessions it starts with.
//! - [`studio`]: the state and every operation of the API, free of HTTP: what a visitor reads
//!   in `studio::catalogue`, a booking and its checks in `studio::booking`, a client's own
//!   session (see, cancel, move with its manage token) in `studio::manage`.
//! - [`faults`]: fault injection for tests.
//! - [`login`]: studio mode, the owner's login a real studio asks for.
//! - [`http`]: routing, CORS (public mode), the login check (studio mode), admin endpoints
//!   and the server loop.

pub mod demo;
pub mod engine;
pub mod faults;
pub mod http;
pub mod login;
pub mod mail_catcher;
pub mod model;
pub mod rules;
pub mod studio;
