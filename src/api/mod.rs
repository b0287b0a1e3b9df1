//! The studio's booking API as the widget uses it: typed models of the contract, the paths,
//! the retry rules and the HTTP client.

pub mod cache;
pub mod client;
pub mod json;
pub mod models;
pub mod paths;
pub mod prefetch;
pub mod retry;

pub use client::ApiError;
