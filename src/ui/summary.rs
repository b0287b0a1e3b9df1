use leptos::prelude::*;

use crate::core::duration::describe_minutes;
use crate::core::flow::{Action, Step};
use crate::intl;
use crate::text;
use crate::ui::context::use_booking;

/// What the visitor chose so far (session type, date and time), kept in view on every step
/// after the first, with a way back to change each.
#[component]
pub fn SelectionSummary() -> impl IntoView {
    let booking = use_booking();
    let locale = booking.locale.get_value();
    let line = Memo::new(move |_| {
        booking.flow.with(|f| {
            let t = f.session_type.as_ref()?;
            let mut parts = vec![format!("{} · {}", t.name, describe_minutes(t.duration))];
            if let Some(slot) = &f.slot {
                let date = intl::date_in(&slot.start, &f.zone).map(|d| intl::format_long_date(d, &locale)).unwrap_or_default();
                parts.push(format!("{date}, {}", intl::format_time(&slot.start, &f.zone, &locale)));
            }
            Some(parts)
        })
    });
    // Memos, so that what they show is only built again when they change (as <Show> does).
    let show = Memo::new(move |_| booking.flow.with(|f| f.step > Step::SessionType && f.step < Step::Booked && f.session_type.is_some()));
    let can_change_type = Memo::new(move |_| booking.flow.with(|f| !f.session_type_fixed && !f.sending));
    let can_change_time = Memo::new(move |_| booking.flow.with(|f| f.step > Step::DateTime && !f.sending));
    view! {
        {move || show.get().then(|| view! {
            <aside class="sb-summary" aria-label=text::YOUR_CHOICE part="summary">
                {move || line.get().map(|parts| {
                    let mut it = parts.into_iter();
                    let session = it.next().unwrap_or_default();
                    let when = it.next();
                    view! {
                        <p class="sb-summary-line">
                            <span>{session}</span>
                            {move || can_change_type.get().then(|| view! {
                                <button type="button" class="sb-link" on:click=move |_| booking.send(Action::GoTo(Step::SessionType))>
                                    {text::CHANGE_SESSION}
                                </button>
                            })}
                        </p>
                        {when.map(|w| view! {
                            <p class="sb-summary-line">
                                <span>{w}</span>
                                {move || can_change_time.get().then(|| view! {
                                    <button type="button" class="sb-link" on:click=move |_| booking.send(Action::GoTo(Step::DateTime))>
                                        {text::CHANGE_TIME}
                                    </button>
                                })}
                            </p>
                        })}
                    }
                })}
            </aside>
        })}
    }
}
