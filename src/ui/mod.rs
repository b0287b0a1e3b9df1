//! The widget's Leptos components. They read signals and send actions; the decisions live
//! in [`crate::core`].

pub mod load_error;
pub mod step_indicator;
pub mod steps;
pub mod studio_text;
pub mod widget;
