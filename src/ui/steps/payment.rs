use leptos::prelude::*;

use crate::core::flow::request::{COUPON_CODE, PAYMENT_METHOD_TYPE, PAYMENT_OPTION};
use crate::core::flow::{Action, Later};
use crate::core::money::{added_taxes, amount_due, base_amount, PaymentOption};
use crate::intl::words::Msg;
use crate::ui::amounts::{amount_rows, Amounts};
use crate::ui::context::use_booking;
use crate::ui::context::Booking;
use crate::ui::nav_buttons::NavButtons;
use crate::ui::text;

/// The coupon code field, for a session type that takes codes: "Apply" asks the studio before
/// any price changes; a refused code says why beside the field; an applied one can be removed.
fn coupon_field(booking: Booking) -> impl IntoView {
    let w = booking.words;
    let typed = move || booking.flow.with(|f| f.coupon_typed.clone());
    let applied = move || booking.flow.with(|f| f.coupon.as_ref().map(|c| c.code.clone()));
    let checking = move || booking.flow.with(|f| f.coupon_checking);
    let problem = move || booking.flow.with(|f| f.errors.get(COUPON_CODE).map(|p| text::problem(w, &p.for_coupon())));
    view! {
        <div class="sb-field sb-coupon" part="coupon">
            <label for="sb-f-coupon-code">{w.text(Msg::CouponCode)}<span class="sb-optional">{w.text(Msg::Optional)}</span></label>
            <div class="sb-coupon-row">
                <input id="sb-f-coupon-code" type="text" autocomplete="off" autocapitalize="characters" spellcheck="false" maxlength="64"
                    aria-invalid=move || problem().is_some().to_string() aria-describedby="sb-f-coupon-code-error sb-coupon-status"
                    prop:value=typed
                    on:input=move |ev| booking.send_later(Later::EditCoupon(event_target_value(&ev)))
                    on:keydown=move |ev: web_sys::KeyboardEvent| if ev.key() == "Enter" {
                        ev.prevent_default();
                        booking.send_later(Later::ApplyCoupon);
                    }/>
                {move || match applied() {
                    Some(_) => view! {
                        <button type="button" class="sb-button sb-button-secondary" on:click=move |_| booking.send_later(Later::RemoveCoupon)>{w.text(Msg::RemoveCoupon)}</button>
                    }.into_any(),
                    None => view! {
                        <button type="button" class="sb-button sb-button-secondary" aria-disabled=move || checking().to_string()
                            on:click=move |_| if !checking() { booking.send_later(Later::ApplyCoupon) }>
                            {move || w.text(if checking() { Msg::Applying } else { Msg::Apply })}
                        </button>
                    }.into_any(),
                }}
            </div>
            <p class="sb-field-error" id="sb-f-coupon-code-error" role="alert">{problem}</p>
            <p class="sb-help" id="sb-coupon-status" role="status">{move || applied().map(|code| w.fill(Msg::CouponApplied, &[("code", &code)]))}</p>
        </div>
    }
}

/// How to pay: the enabled payment methods, full price or deposit, a coupon code where the
/// session type takes one, and the amount due now (the discount and any taxes added on top
/// shown); a manual method shows its instructions.
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
    let discount = move || booking.flow.with(|f| f.discount());
    let coupon_code = move || booking.flow.with(|f| f.coupon.as_ref().map(|c| c.code.clone()).unwrap_or_default());
    let free = move || booking.flow.with(|f| f.nothing_to_pay());
    let breakdown = {
        let t = t.clone();
        move || {
            let o = option().unwrap_or(PaymentOption::Full);
            let off = discount();
            let base = base_amount(&t, o, off);
            let taxes = added_taxes(base, &t.taxes);
            let included: Vec<String> = t.taxes.iter().filter(|x| x.inclusive).map(|x| x.name.clone()).collect();
            let code = coupon_code();
            let amounts = Amounts {
                currency: &t.currency,
                full: Some(t.payment_amount_full),
                discount: off,
                code: &code,
                deposit: (o == PaymentOption::Deposit).then_some(base),
                taxes,
                due: Some((amount_due(&t, o, off), Msg::DueNow)),
            };
            view! {
                <dl class="sb-amounts">{amount_rows(w, amounts, Some("sb-total"))}</dl>
                {(!included.is_empty()).then(|| view! { <p class="sb-help">{w.fill(Msg::PricesInclude, &[("taxes", &text::own(w, &crate::intl::format_list(&included, w.locale())))])}</p> })}
                {free().then(|| view! { <p class="sb-help">{w.text(Msg::NothingToPay)}</p> })}
            }
        }
    };
    let full_price = {
        let (t, money) = (t.clone(), money.clone());
        move || money(amount_due(&t, PaymentOption::Full, discount()))
    };
    let deposit_price = {
        let (t, money) = (t.clone(), money.clone());
        move || money(amount_due(&t, PaymentOption::Deposit, discount()))
    };
    let coupon = t.accepts_coupons.then(|| coupon_field(booking));
    view! {
        <div class="sb-payment" part="payment">
            <div class="sb-pay-choices" hidden=free>
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
            </div>
            {coupon}
            {breakdown}
            <NavButtons on_next=Callback::new(move |()| booking.send_later(Later::Continue))/>
        </div>
    }
    .into_any()
}
