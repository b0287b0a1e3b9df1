//! Facts written once, in `interface.json` at the workspace's root, which the loader's JS
//! reads too: the paths of the studio's API (templates with `{name}` placeholders, filled in
//! by [`crate::paths`]), the size of a page of session types, and the deadlines every
//! program keeps (`WIDGET_FILES_MS`, `SPLIT_FILE_MS`, `SESSION_TYPES_ATTEMPT_MS`,
//! `SESSION_TYPES_BUDGET_MS`, `AVAILABILITY_ATTEMPT_MS`, `BOOKING_ATTEMPT_MS`).

include!(concat!(env!("OUT_DIR"), "/facts.rs"));
