use leptos::prelude::*;

use crate::intl::words::Msg;
use crate::ui::context::use_booking;

/// A plain message about something that failed to load, announced to screen readers, with a
/// button to try again. The host page hears of it too (`studio-booking:error`).
#[component]
pub fn LoadError(
    /// What went wrong, in the visitor's words.
    message: String,
    /// Whether a retry is under way.
    #[prop(into)]
    retrying: Signal<bool>,
    /// Tries again.
    on_retry: Callback<()>,
) -> impl IntoView {
    let booking = use_booking();
    booking.emit(crate::ui::events::WidgetEvent::Error, crate::object! { "message" => &message });
    let words = booking.words;
    view! {
        <div class="sb-error" role="alert" part="error">
            <p>{message}</p>
            <button type="button" class="sb-button sb-button-secondary" disabled=move || retrying.get()
                on:click=move |_| on_retry.run(())>
                {move || words.text(if retrying.get() { Msg::Retrying } else { Msg::Retry })}
            </button>
        </div>
    }
}
