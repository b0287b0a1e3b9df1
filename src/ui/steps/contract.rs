use leptos::prelude::*;

use crate::core::flow::request::CONTRACT_SIGNATURE;
use crate::core::flow::Later;
use crate::core::validation::Problem;
use crate::intl::words::Msg;
use crate::ui::context::use_booking;
use crate::ui::nav_buttons::NavButtons;
use crate::ui::notice::step_notice;
use crate::ui::studio_text::StudioText;
use crate::ui::text;

/// The studio's contract: read in a scrollable region under its title, signed by typing one's
/// full name (the field's name says "Signature") and ticking that one agrees. It is signed
/// when the session is booked.
#[component]
pub fn ContractStep() -> impl IntoView {
    let booking = use_booking();
    let w = booking.words;
    let Some(contract) = booking.flow.with_untracked(|f| f.session_type.as_ref().and_then(|t| t.contract.clone())) else {
        return ().into_any();
    };
    let problem = move || booking.flow.with(|f| f.errors.get(CONTRACT_SIGNATURE).cloned());
    // The box's own problem is shown beside it; the name's beside the name.
    let name_problem = move || problem().filter(|p| *p != Problem::ContractNotAgreed).map(|p| text::problem(w, &p));
    let agree_problem = move || problem().filter(|p| *p == Problem::ContractNotAgreed).map(|p| text::problem(w, &p));
    let signature = move || booking.flow.with(|f| f.signature.clone());
    let agreed = move || booking.flow.with(|f| f.contract_agreed);
    view! {
        <div class="sb-contract" part="contract">
            {step_notice(booking)}
            <section class="sb-contract-text" aria-labelledby="sb-contract-title" tabindex="0">
                <h3 id="sb-contract-title">{contract.title.clone()}</h3>
                <StudioText html=contract.body.clone() headings=true/>
            </section>
            <p class="sb-help" id="sb-signature-help">{w.text(Msg::ContractHelp)}</p>
            <div class="sb-field">
                <label for="sb-f-contract-signature">{w.text(Msg::Signature)}</label>
                <input id="sb-f-contract-signature" type="text" autocomplete="name" required=true maxlength="120"
                    class="sb-signature"
                    aria-invalid=move || name_problem().is_some().to_string()
                    aria-describedby="sb-signature-help sb-f-contract-signature-error"
                    prop:value=signature
                    on:input=move |ev| booking.send_later(Later::EditSignature(event_target_value(&ev)))/>
                <p class="sb-field-error" id="sb-f-contract-signature-error">{name_problem}</p>
            </div>
            <div class="sb-field sb-check">
                <input type="checkbox" id="sb-contract-agree" prop:checked=agreed aria-describedby="sb-contract-agree-error"
                    aria-invalid=move || agree_problem().is_some().to_string()
                    on:change=move |ev| booking.send_later(Later::AgreeToContract(event_target_checked(&ev)))/>
                <label for="sb-contract-agree">{w.text(Msg::ContractAgree)}</label>
            </div>
            <p class="sb-field-error" id="sb-contract-agree-error">{agree_problem}</p>
            <NavButtons on_next=Callback::new(move |()| booking.send_later(Later::Continue))/>
        </div>
    }
    .into_any()
}
