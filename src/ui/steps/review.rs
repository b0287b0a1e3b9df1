use leptos::prelude::*;

use crate::core::flow::request::POLICY_ACCEPTED;
use crate::core::flow::Action;
use crate::core::money::{amount_due, PaymentOption};
use crate::intl;
use crate::ui::context::use_booking;
use crate::ui::nav_buttons::NavButtons;
use crate::ui::notice::step_notice;
use crate::ui::text;

/// Everything chosen, the studio's policies with an "I agree" box, and the book button.
#[component]
pub fn ReviewStep() -> impl IntoView {
    let booking = use_booking();
    let locale = booking.locale.get_value();
    let f = booking.flow.get_untracked();
    let Some(t) = f.session_type.clone() else {
        return ().into_any();
    };
    let when = f.slot.as_ref().map(|s| text::when(&s.start, None, &f.zone, &locale, true));
    let payment = f.collects_payment().then(|| {
        let o = f.payment_option.unwrap_or(PaymentOption::Full);
        let method = t.payment_methods.iter().find(|m| Some(&m.kind) == f.payment_method.as_ref()).map(|m| m.name.clone()).unwrap_or_default();
        let what = if o == PaymentOption::Deposit { text::DEPOSIT_LABEL } else { text::PAY_IN_FULL };
        format!("{} · {what} · {method}", intl::format_money(amount_due(&t, o), &t.currency, &locale))
    });
    let policies: Vec<String> =
        [t.cancellation_policy.clone(), t.reschedule_policy.clone()].into_iter().flatten().filter(|p| !p.trim().is_empty()).collect();
    let has_policies = !policies.is_empty();
    let accepted = move || booking.flow.with(|f| f.policies_accepted);
    let policy_error = move || booking.flow.with(|f| f.errors.get(POLICY_ACCEPTED).map(text::problem));
    let name = format!("{} {}", f.client.first_name.trim(), f.client.last_name.trim());
    view! {
        <div class="sb-review" part="review">
            {step_notice(booking)}
            <dl class="sb-review-list">
                <div><dt>{text::STEP_SESSION}</dt><dd>{text::session_line(&t.name, t.duration)}</dd></div>
                {t.location.clone().map(|l| view! { <div><dt>{text::WHERE}</dt><dd>{l}</dd></div> })}
                <div><dt>{text::STEP_DATE_TIME}</dt><dd>{when}</dd></div>
                <div><dt>{text::NAME}</dt><dd>{name}</dd></div>
                <div><dt>{text::EMAIL}</dt><dd>{f.client.email.clone()}</dd></div>
                {payment.map(|p| view! { <div><dt>{text::STEP_PAYMENT}</dt><dd>{p}</dd></div> })}
            </dl>
            {has_policies.then(|| view! {
                <section class="sb-policies" aria-labelledby="sb-policies-title">
                    <h3 id="sb-policies-title">{text::POLICIES}</h3>
                    {policies.into_iter().map(|p| view! { <p>{p}</p> }).collect_view()}
                    <div class="sb-field sb-check">
                        <input type="checkbox" id="sb-agree" prop:checked=accepted aria-describedby="sb-agree-error"
                            aria-invalid=move || policy_error().is_some().to_string()
                            on:change=move |ev| booking.send(Action::AcceptPolicies(event_target_checked(&ev)))/>
                        <label for="sb-agree">{text::AGREE}</label>
                    </div>
                    <p class="sb-field-error" id="sb-agree-error">{policy_error}</p>
                </section>
            })}
            <NavButtons next_label=text::BOOK/>
        </div>
    }
    .into_any()
}
