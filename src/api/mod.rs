//! Talking to the studio's booking API from the browser: the HTTP client with its deadlines
//! and retries, the cache of availability answers, and the requests sent ahead. The models,
//! paths, retry rules and errors are the booking core's ([`crate::core`]).

pub mod cache;
pub mod client;
pub mod prefetch;

pub use crate::core::outcome::ApiError;
