//! The booking rules every studio-booking program shares, with no browser, no network and no
//! words for people: the widget (WebAssembly) and the studio gateway (a native server) build
//! on it, so a booking is checked by exactly the same rules on both sides.
//!
//! - [`json`] and [`read`]: JSON values, and the tolerant reading of the contract's answers.
//! - [`models`]: the contract's models (session types, intake questions, slots, sessions).
//! - [`paths`] and [`facts`]: the API's paths and the deadlines, written once.
//! - [`flow`]: the booking flow as a state machine: actions in, typed outcomes out.
//! - [`validation`]: the checks on every intake field type, returning a [`validation::Problem`].
//! - [`calendar`], [`iso`], [`zones`]: the month grid and its keys, dates and instants, zone names.
//! - [`money`]: deposits, taxes and amounts due, exactly as the contract defines them.
//! - [`calendar_file`] and [`links`]: the .ics file, calendar links, safe links.
//! - [`outcome`] and [`retry`]: why a request to the studio failed, as data (the widget words
//!   it), and when to ask again.
//!
//! Words are the caller's: every outcome here is an enum, never an English sentence.

pub mod calendar;
pub mod calendar_file;
pub mod facts;
pub mod field_map;
pub mod flow;
pub mod iso;
pub mod json;
pub mod links;
pub mod models;
pub mod money;
pub mod outcome;
pub mod paths;
pub mod read;
pub mod retry;
pub mod validation;
pub mod waitlist;
pub mod zones;
