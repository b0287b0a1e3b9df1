//! The widget's Leptos components. They read signals and send actions; the decisions live
//! in [`crate::core`].

pub mod calendar;
pub mod context;
pub mod keyed;
pub mod load_error;
pub mod nav_buttons;
pub mod slot_list;
pub mod step_indicator;
pub mod steps;
pub mod studio_text;
pub mod summary;
pub mod widget;
pub mod zone_picker;
