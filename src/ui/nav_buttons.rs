use leptos::prelude::*;
use wasm_bindgen::JsCast;

use crate::core::flow::Action;
use crate::intl::words::Msg;
use crate::ui::context::use_booking;

/// "Back" and "Continue" (or the step's own word for going on, such as "Book").
#[component]
pub fn NavButtons(
    /// The name of the button that goes on.
    #[prop(default = Msg::Continue)]
    next_label: Msg,
    /// Its name while the step's request is on its way.
    #[prop(default = Msg::BookingNow)]
    sending_label: Msg,
    /// What going on does instead of [`Action::Continue`]: a later step's screen (payment,
    /// the contract, a move's review) sends its own (`Later::Continue`), whose code stays in
    /// the later steps' file (the date step draws these buttons too).
    #[prop(optional)]
    on_next: Option<Callback<()>>,
) -> impl IntoView {
    let booking = use_booking();
    let can_back = Memo::new(move |_| booking.flow.with(|f| f.can_go_back()));
    let sending = move || booking.flow.with(|f| f.sending);
    view! {
        <div class="sb-nav" part="navigation">
            {move || can_back.get().then(|| view! {
                <button type="button" class="sb-button sb-button-secondary" part="back-button" on:click=move |_| booking.send(Action::Back)>
                    {booking.words.text(Msg::Back)}
                </button>
            })}
            <button type="button" class="sb-button sb-next" part="next-button" aria-disabled=move || sending().to_string()
                on:click=move |ev| {
                    let before = booking.flow.with_untracked(|f| f.step);
                    match on_next {
                        Some(go_on) => go_on.run(()),
                        None => booking.send(Action::Continue),
                    }
                    let stayed = booking.flow.with_untracked(|f| f.step == before && !f.errors.is_empty());
                    // Staying put because of a mistake: focus goes to the first field to fix.
                    if let (true, Some(button)) = (stayed, ev.current_target().and_then(|t| t.dyn_into::<web_sys::Element>().ok())) {
                        leptos::task::spawn_local(async move {
                            crate::browser::sleep_ms(0).await;
                            let first = button.closest(".sb-widget").ok().flatten()
                                .and_then(|w| w.query_selector("input[aria-invalid='true'], select[aria-invalid='true'], textarea[aria-invalid='true'], fieldset[aria-invalid='true'] input").ok().flatten())
                                .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok());
                            if let Some(field) = first {
                                let _ = field.focus();
                            }
                        });
                    }
                }>
                {move || booking.words.text(if sending() { sending_label } else { next_label })}
            </button>
        </div>
    }
}
