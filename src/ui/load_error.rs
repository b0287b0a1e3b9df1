use leptos::prelude::*;

use crate::ui::text;

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
    if let Some(booking) = use_context::<crate::ui::context::Booking>() {
        booking.emit(crate::ui::events::WidgetEvent::Error, crate::object! { "message" => &message });
    }
    view! {
        <div class="sb-error" role="alert" part="error">
            <p>{message}</p>
            <button type="button" class="sb-button sb-button-secondary" disabled=move || retrying.get()
                on:click=move |_| on_retry.run(())>
                {move || if retrying.get() { text::RETRYING } else { text::RETRY }}
            </button>
        </div>
    }
}
