//! The widget's pure core: no DOM, no network, tested natively with `cargo test`.

pub mod calendar;
pub mod calendar_file;
pub mod duration;
pub mod field_map;
pub mod flow;
pub mod iso;
pub mod json;
pub mod links;
pub mod money;
pub mod validation;
pub mod zones;
