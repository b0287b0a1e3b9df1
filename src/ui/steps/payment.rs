use leptos::prelude::*;

use crate::core::flow::request::{PAYMENT_METHOD_TYPE, PAYMENT_OPTION};
use crate::core::flow::Action;
use crate::core::money::{added_taxes, amount_due, base_amount, PaymentOption};
use crate::intl::words::Msg;
use crate::ui::context::use_booking;
use crate::ui::nav_buttons::NavButtons;
use crate::ui::text;

/// How to pay: the enabled payment methods, full price or deposit, and the amount due now
/// with any taxes added on top; a manual method shows its instructions.
#[component]
pub fn PaymentStep() -> impl IntoView {
    let booking = use_booking();
    let w = booking.words;
    let Some(t) = booking.flow.with_untracked(|f| f.session_type.clone()) else {
        return ().into_any();
    };
    let options = booking.flow.with_untracked(|f| f.payment_options());
    let money = {
        let c = t.currency.clone();
        move |minor: u64| text::price(w, minor, &c)
    };
    let method = move || booking.flow.with(|f| f.payment_method.clone());
    let option = move || booking.flow.with(|f| f.payment_option);
    let error = move |key: &'static str| move || booking.flow.with(|f| f.errors.get(key).map(|p| text::problem(w, p)));
    let methods = t.enabled_payment_methods().cloned().collect::<Vec<_>>();
    let chosen_instructions = {
        let methods = methods.clone();
        move || method().and_then(|m| methods.iter().find(|pm| pm.kind == m).and_then(|pm| pm.instructions.clone())).filter(|i| !i.trim().is_empty())
    };
    let breakdown = {
        let t = t.clone();
        let money = money.clone();
        move || {
            let o = option().unwrap_or(PaymentOption::Full);
            let base = base_amount(&t, o);
            let taxes = added_taxes(base, &t.taxes);
            let included: Vec<String> = t.taxes.iter().filter(|x| x.inclusive).map(|x| x.name.clone()).collect();
            view! {
                <dl class="sb-amounts">
                    <div><dt>{w.text(if o == PaymentOption::Deposit { Msg::Deposit } else { Msg::Price })}</dt><dd>{money(base)}</dd></div>
                    {taxes.into_iter().map(|(name, amount)| view! { <div><dt>{name.to_string()}</dt><dd>{money(amount)}</dd></div> }).collect_view()}
                    <div class="sb-total"><dt>{w.text(Msg::DueNow)}</dt><dd>{money(amount_due(&t, o))}</dd></div>
                </dl>
                {(!included.is_empty()).then(|| view! { <p class="sb-help">{w.fill(Msg::PricesInclude, &[("taxes", &crate::intl::format_list(&included, w.locale()))])}</p> })}
            }
        }
    };
    let full_price = money(amount_due(&t, PaymentOption::Full));
    let deposit_price = money(amount_due(&t, PaymentOption::Deposit));
    view! {
        <div class="sb-payment" part="payment">
            <fieldset class="sb-field sb-choices" aria-describedby="sb-pay-method-error">
                <legend>{w.text(Msg::HowToPay)}</legend>
                {methods.into_iter().enumerate().map(|(i, m)| {
                    let id = format!("sb-pay-method-{i}");
                    let kind = m.kind.clone();
                    let k2 = m.kind.clone();
                    view! {
                        <div class="sb-option">
                            <input type="radio" id=id.clone() name="sb-pay-method" value=m.kind.clone()
                                prop:checked=move || method().as_deref() == Some(k2.as_str())
                                on:change=move |_| booking.send(Action::ChoosePaymentMethod(kind.clone()))/>
                            <label for=id>{m.name.clone()}</label>
                        </div>
                    }
                }).collect_view()}
                <p class="sb-field-error" id="sb-pay-method-error">{error(PAYMENT_METHOD_TYPE)}</p>
            </fieldset>
            {move || chosen_instructions().map(|i| view! { <p class="sb-instructions">{i}</p> })}
            {(options.len() > 1).then(|| view! {
                <fieldset class="sb-field sb-choices" aria-describedby="sb-pay-option-error">
                    <legend>{w.text(Msg::HowMuch)}</legend>
                    <div class="sb-option">
                        <input type="radio" id="sb-pay-full" name="sb-pay-option" value="full"
                            prop:checked=move || option() == Some(PaymentOption::Full)
                            on:change=move |_| booking.send(Action::ChoosePaymentOption(PaymentOption::Full))/>
                        <label for="sb-pay-full">{w.text(Msg::PayInFull)}<span class="sb-option-note">{full_price}</span></label>
                    </div>
                    <div class="sb-option">
                        <input type="radio" id="sb-pay-deposit" name="sb-pay-option" value="partial"
                            prop:checked=move || option() == Some(PaymentOption::Deposit)
                            on:change=move |_| booking.send(Action::ChoosePaymentOption(PaymentOption::Deposit))/>
                        <label for="sb-pay-deposit">{w.text(Msg::PayDeposit)}<span class="sb-option-note">{deposit_price}</span></label>
                    </div>
                    <p class="sb-field-error" id="sb-pay-option-error">{error(PAYMENT_OPTION)}</p>
                </fieldset>
            })}
            {breakdown}
            <NavButtons/>
        </div>
    }
    .into_any()
}
