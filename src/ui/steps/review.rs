use leptos::prelude::*;

use crate::core::flow::request::POLICY_ACCEPTED;
use crate::core::flow::Action;
use crate::core::money::{amount_due, PaymentOption};
use crate::intl::words::Msg;
use crate::ui::context::use_booking;
use crate::ui::nav_buttons::NavButtons;
use crate::ui::notice::step_notice;
use crate::ui::text;

/// Everything chosen, the studio's policies with an "I agree" box, and the book button.
#[component]
pub fn ReviewStep() -> impl IntoView {
    let booking = use_booking();
    let w = booking.words;
    let f = booking.flow.get_untracked();
    if f.managing.is_some() {
        return view! { <crate::ui::steps::manage::MoveReview/> }.into_any();
    }
    let Some(t) = f.session_type.clone() else {
        return ().into_any();
    };
    let when = f.slot.as_ref().map(|s| text::when(w, &s.start, None, &f.zone, true));
    let payment = f.collects_payment().then(|| {
        if f.nothing_to_pay() {
            return text::price(w, 0, &t.currency);
        }
        let o = f.payment_option.unwrap_or(PaymentOption::Full);
        let method = t.payment_methods.iter().find(|m| Some(&m.kind) == f.payment_method.as_ref()).map(|m| m.name.clone()).unwrap_or_default();
        let what = w.text(if o == PaymentOption::Deposit { Msg::Deposit } else { Msg::FullAmount });
        w.fill(
            Msg::PaymentLine,
            &[("amount", &text::price(w, amount_due(&t, o, f.discount()), &t.currency)), ("option", what), ("method", &text::own(w, &method))],
        )
    });
    let policies: Vec<String> =
        [t.cancellation_policy.clone(), t.reschedule_policy.clone()].into_iter().flatten().filter(|p| !p.trim().is_empty()).collect();
    let has_policies = !policies.is_empty();
    let accepted = move || booking.flow.with(|f| f.policies_accepted);
    let policy_error = move || booking.flow.with(|f| f.errors.get(POLICY_ACCEPTED).map(|p| text::problem(w, p)));
    let name = text::full_name(w, &f.client.first_name, &f.client.last_name);
    view! {
        <div class="sb-review" part="review">
            {step_notice(booking)}
            <dl class="sb-review-list">
                <div><dt>{w.text(Msg::Session)}</dt><dd>{text::session_line(w, &t.name, t.duration)}</dd></div>
                {t.location.clone().map(|l| view! { <div><dt>{w.text(Msg::Where)}</dt><dd>{l}</dd></div> })}
                <div><dt>{w.text(Msg::StepDateTime)}</dt><dd>{when}</dd></div>
                <div><dt>{w.text(Msg::Name)}</dt><dd>{name}</dd></div>
                <div><dt>{w.text(Msg::Email)}</dt><dd>{f.client.email.clone()}</dd></div>
                {payment.map(|p| view! { <div><dt>{w.text(Msg::StepPayment)}</dt><dd>{p}</dd></div> })}
                {f.coupon.as_ref().map(|c| view! { <div><dt>{w.text(Msg::CouponCode)}</dt><dd>{c.code.clone()}</dd></div> })}
                {t.contract.as_ref().map(|c| view! { <div><dt>{w.text(Msg::StepContract)}</dt><dd>{c.title.clone()}</dd></div> })}
            </dl>
            {has_policies.then(|| view! {
                <section class="sb-policies" aria-labelledby="sb-policies-title">
                    <h3 id="sb-policies-title">{w.text(Msg::Policies)}</h3>
                    {policies.into_iter().map(|p| view! { <p>{p}</p> }).collect_view()}
                    <div class="sb-field sb-check">
                        <input type="checkbox" id="sb-agree" prop:checked=accepted aria-describedby="sb-agree-error"
                            aria-invalid=move || policy_error().is_some().to_string()
                            on:change=move |ev| booking.send(Action::AcceptPolicies(event_target_checked(&ev)))/>
                        <label for="sb-agree">{w.text(Msg::Agree)}</label>
                    </div>
                    <p class="sb-field-error" id="sb-agree-error">{policy_error}</p>
                </section>
            })}
            <NavButtons next_label=Msg::Book/>
        </div>
    }
    .into_any()
}
