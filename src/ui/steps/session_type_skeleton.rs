use leptos::prelude::*;

/// The shape of the session type list while it loads: three grey cards where the real ones
/// will be, so nothing jumps when they arrive.
#[component]
pub fn SessionTypeSkeleton(
    /// What is being waited for, read out to screen readers.
    message: RwSignal<&'static str>,
) -> impl IntoView {
    view! {
        <div class="sb-skeleton-list" aria-busy="true">
            <p class="sb-waiting" role="status">{move || message.get()}</p>
            {(0..3)
                .map(|_| {
                    view! {
                        <div class="sb-card sb-skeleton" aria-hidden="true">
                            <div class="sb-skeleton-cover"></div>
                            <div class="sb-card-body">
                                <div class="sb-skeleton-line sb-w60"></div>
                                <div class="sb-skeleton-line sb-w40"></div>
                                <div class="sb-skeleton-line sb-w80"></div>
                            </div>
                        </div>
                    }
                })
                .collect_view()}
        </div>
    }
}
