use leptos::prelude::*;

use crate::ui::context::use_booking;
use crate::ui::text;

/// The current step's notice (a time just taken, answers the studio refused, a booking that
/// failed), in words, announced as it appears; nothing when there is none.
#[component]
pub fn StepNotice() -> impl IntoView {
    let booking = use_booking();
    move || booking.flow.with(|f| f.notice.as_ref().map(text::notice)).map(|n| view! { <p class="sb-notice" role="alert" part="notice">{n}</p> })
}
