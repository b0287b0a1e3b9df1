use leptos::prelude::*;

use crate::core::flow::Step;
use crate::intl::words::Msg;
use crate::ui::context::use_booking;
use crate::ui::text;

/// Where the visitor is in the booking, and what is left: Session · Date & time · Details ·
/// Payment · Review (Payment only when the session type takes payment). The current step
/// carries `aria-current="step"`.
#[component]
pub fn StepIndicator(
    /// The step the visitor is on.
    current: Memo<Step>,
    /// The steps of this booking, in order.
    steps: Memo<Vec<Step>>,
) -> impl IntoView {
    let w = use_booking().words;
    view! {
        <ol class="sb-steps" aria-label=w.text(Msg::StepsLabel) part="steps">
            {move || steps
                .get()
                .into_iter()
                .enumerate()
                .map(|(i, step)| {
                    let state = move || {
                        let now = current.get();
                        if step == now { "current" } else if step < now { "done" } else { "todo" }
                    };
                    view! {
                        <li class="sb-step" data-state=state aria-current=move || (state() == "current").then_some("step")>
                            <span class="sb-step-number" aria-hidden="true">{crate::intl::format_number((i + 1) as f64, w.locale())}</span>
                            <span class="sb-step-label">{text::step_label(w, step)}</span>
                        </li>
                    }
                })
                .collect_view()}
        </ol>
    }
}
