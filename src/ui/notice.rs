use leptos::prelude::*;

use crate::ui::context::Booking;
use crate::ui::text;

/// The current step's notice (a time just taken, answers the studio refused, a booking that
/// failed), in words, announced as it appears; nothing when there is none. Every step that
/// has one draws it with this. (A plain function, not a component: the same view for less
/// code.)
pub fn step_notice(booking: Booking) -> impl IntoView {
    move || {
        booking
            .flow
            .with(|f| f.notice.as_ref().map(|n| text::notice(booking.words, n)))
            .map(|n| view! { <p class="sb-notice" role="alert" part="notice">{n}</p> })
    }
}
