use leptos::prelude::*;

use crate::text;
use crate::ui::context::use_booking;
use crate::core::flow::Action;

/// "Back" and "Continue" (or the step's own word for going on, such as "Book").
#[component]
pub fn NavButtons(
    /// The name of the button that goes on.
    #[prop(into, default = Signal::stored(text::CONTINUE))]
    next_label: Signal<&'static str>,
) -> impl IntoView {
    let booking = use_booking();
    let can_back = move || booking.flow.with(|f| f.can_go_back());
    let sending = move || booking.flow.with(|f| f.sending);
    view! {
        <div class="sb-nav" part="navigation">
            <Show when=can_back>
                <button type="button" class="sb-button sb-button-secondary" on:click=move |_| booking.send(Action::Back)>
                    {text::BACK}
                </button>
            </Show>
            <button type="button" class="sb-button sb-next" aria-disabled=move || sending().to_string()
                on:click=move |_| booking.send(Action::Continue)>
                {move || if sending() { text::BOOKING_NOW } else { next_label.get() }}
            </button>
        </div>
    }
}
