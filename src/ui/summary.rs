use leptos::prelude::*;

use crate::core::flow::{Action, Step};
use crate::intl::words::Msg;
use crate::ui::context::{use_booking, Booking};
use crate::ui::text;

/// One line of the summary, with the button that goes back to change it while `can_change`.
fn line(booking: Booking, words: Memo<String>, can_change: Memo<bool>, back_to: Step, change: Msg) -> impl IntoView {
    view! {
        <p class="sb-summary-line">
            <span>{move || words.get()}</span>
            {move || can_change.get().then(|| view! {
                <button type="button" class="sb-link" on:click=move |_| booking.send(Action::GoTo(back_to))>{booking.words.text(change)}</button>
            })}
        </p>
    }
}

/// What the visitor chose so far (session type, date and time), kept in view on every step
/// between the first and the confirmation (they draw it), with a way back to change each.
#[component]
pub fn SelectionSummary() -> impl IntoView {
    let booking = use_booking();
    let w = booking.words;
    // Two lines of text ("" when there is none), each a memo of a String like the widget's
    // other memos: no memo type of its own.
    let session_line =
        Memo::new(move |_| booking.flow.with(|f| f.session_type.as_ref().map(|t| text::session_line(w, &t.name, t.duration)).unwrap_or_default()));
    let time_line =
        Memo::new(move |_| booking.flow.with(|f| f.slot.as_ref().map(|slot| text::when(w, &slot.start, None, &f.zone, false)).unwrap_or_default()));
    // Memos, so that what they show is only built again when they change (as <Show> does).
    // (Only the steps between the first and the confirmation draw the summary.)
    let show = Memo::new(move |_| booking.flow.with(|f| f.session_type.is_some()));
    let can_change_type = Memo::new(move |_| booking.flow.with(|f| !f.session_type_fixed && !f.sending));
    let can_change_time = Memo::new(move |_| booking.flow.with(|f| f.step > Step::DateTime && !f.sending));
    view! {
        {move || show.get().then(|| view! {
            <aside class="sb-summary" aria-label=w.text(Msg::YourChoice) part="summary">
                {line(booking, session_line, can_change_type, Step::SessionType, Msg::ChangeSession)}
                {move || time_line.with(|t| !t.is_empty()).then(|| line(booking, time_line, can_change_time, Step::DateTime, Msg::ChangeTime))}
            </aside>
        })}
    }
}
