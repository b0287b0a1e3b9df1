use leptos::prelude::*;

use crate::text;

/// A plain message about something that failed to load, announced to screen readers, with a
/// button to try again.
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
