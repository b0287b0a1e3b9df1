use leptos::prelude::*;

use crate::core::flow::Action;
use crate::core::models::Slot;
use crate::intl;
use crate::intl::words::Msg;
use crate::ui::context::use_booking;

/// The times of a day as buttons named by the time, in the visitor's zone. It says when times
/// are shown (`on_shown`): the date step then has the next steps' code fetched while the
/// visitor reads them.
#[component]
pub fn SlotList(
    slots: Vec<Slot>,
    zone: String,
    locale: String,
    /// The chosen time, if any.
    selected: Memo<Option<Slot>>,
    /// The action choosing a time sends (`Action::ChooseSlot`).
    on_choose: fn(Slot) -> Action,
    /// Called once the times are shown (not for a day without times).
    on_shown: fn(),
) -> impl IntoView {
    let booking = use_booking();
    if slots.is_empty() {
        return view! { <p class="sb-empty" role="status">{booking.words.text(Msg::NoTimesThatDay)}</p> }.into_any();
    }
    on_shown();
    view! {
        <ul class="sb-slots" role="list" aria-label=booking.words.text(Msg::Times) part="slots">
            {slots.into_iter().map(|slot| {
                let label = intl::format_time(&slot.start, &zone, &locale);
                let is_chosen = { let s = slot.clone(); move || selected.with(|c| c.as_ref() == Some(&s)) };
                let chosen_class = is_chosen.clone();
                view! {
                    <li>
                        <button type="button" class="sb-slot" part="slot" class:sb-chosen=chosen_class
                            aria-pressed=move || is_chosen().to_string()
                            on:click=move |_| booking.send(on_choose(slot.clone()))>{label}</button>
                    </li>
                }
            }).collect_view()}
        </ul>
    }
    .into_any()
}
