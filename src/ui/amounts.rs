//! What a booking costs, line by line: the payment step, the confirmation and a client's own
//! booking show the same rows in the same order, so that a total and a tax never trade
//! places between two screens.

use leptos::prelude::*;

use crate::core::models::{BookedPayment, SessionType};
use crate::core::money::{added_taxes, booked_base, PaymentOption};
use crate::intl::words::{Msg, Words};
use crate::ui::text;

/// The amounts of one booking, in minor units of `currency`.
pub struct Amounts<'a> {
    /// The currency's code.
    pub currency: &'a str,
    /// The full price before a code (None from a studio that does not say it).
    pub full: Option<u64>,
    /// What a coupon code took off (0 without one), and the code.
    pub discount: u64,
    /// The code that took it off.
    pub code: &'a str,
    /// The deposit the payment is on, when it is a deposit.
    pub deposit: Option<u64>,
    /// Each tax added on top: its name and amount.
    pub taxes: Vec<(&'a str, u64)>,
    /// What is due now, and its line's words ("Due now", or "Amount due" for a booking made
    /// before); None where nothing is due any more (a cancelled booking).
    pub due: Option<(u64, Msg)>,
}

impl<'a> Amounts<'a> {
    /// A booked session's amounts, as the studio counted them (its price, discount and amount
    /// due; the taxes on top worked out from its price by the contract's rule, as the payment
    /// step showed them); `due` names the line of what is due, None for nothing due.
    pub fn booked(t: Option<&'a SessionType>, p: &'a BookedPayment, due: Option<Msg>) -> Self {
        let base = t.and_then(|t| booked_base(t, p));
        Amounts {
            currency: &p.currency,
            full: p.price.map(|price| price + p.discount),
            discount: p.discount,
            code: p.coupon_code.as_deref().unwrap_or_default(),
            deposit: base.filter(|_| PaymentOption::from_api(&p.option) == Some(PaymentOption::Deposit)),
            taxes: t.zip(base).map(|(t, b)| added_taxes(b, &t.taxes)).unwrap_or_default(),
            due: due.map(|label| (p.amount_due, label)),
        }
    }
}

/// An amount taken off (a discount), as the locale writes a negative amount in that currency
/// ("-£25.00", "‏-25.00 ₪"): the locale places the sign, not a sign glued before a price.
fn money_off(minor: u64, currency: &str, locale: &str) -> String {
    let code = currency.trim().to_ascii_uppercase();
    match crate::intl::money_format(&code, locale) {
        Some((format, unit)) => crate::intl::write_money(&format, -(minor as f64) / unit),
        None => format!("-{}.{:02} {code}", minor / 100, minor % 100),
    }
}

/// The rows (`<div><dt>…</dt><dd>…</dd></div>`) of `a`: with a code, the price, what the code
/// took off and the new total; the deposit (or without a code, the price) the payment is on;
/// each tax added on top; then what is due now, `total_class` marking it.
pub fn amount_rows(w: Words, a: Amounts, total_class: Option<&'static str>) -> impl IntoView {
    let money = |minor: u64| text::price(w, minor, a.currency);
    let row = |label: String, amount: String| view! { <div><dt>{label}</dt><dd>{amount}</dd></div> };
    let discounted = a.full.filter(|_| a.discount > 0).map(|full| {
        view! {
            {row(w.text(Msg::Price).into(), money(full))}
            <div class="sb-discount"><dt>{w.fill(Msg::Discount, &[("code", a.code)])}</dt><dd>{money_off(a.discount, a.currency, w.locale())}</dd></div>
            {row(w.text(Msg::Total).into(), money(full.saturating_sub(a.discount)))}
        }
    });
    let chosen = match (a.deposit, a.full) {
        (Some(d), _) => Some(row(w.text(Msg::Deposit).into(), money(d))),
        (None, Some(full)) if a.discount == 0 => Some(row(w.text(Msg::Price).into(), money(full))),
        _ => None,
    };
    let taxes = a.taxes.into_iter().map(|(name, amount)| row(name.to_string(), money(amount))).collect_view();
    let due = a.due.map(|(amount, label)| view! { <div class=total_class><dt>{w.text(label)}</dt><dd>{money(amount)}</dd></div> });
    view! { {discounted} {chosen} {taxes} {due} }
}
