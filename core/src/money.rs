//! Amounts due, exactly as the contract defines them: the price (the full price less a
//! coupon's discount), the chosen amount (that price, or the deposit but never more than the
//! price, in minor units) plus each tax that is not included, each rounded to the minor unit
//! half away from zero.

use crate::models::{BookedPayment, Discount, SessionType, Tax};

/// Whether the visitor pays the full price or the deposit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PaymentOption {
    Full,
    Deposit,
}

impl PaymentOption {
    /// The contract's word for it.
    pub fn as_api(self) -> &'static str {
        match self {
            PaymentOption::Full => "full",
            PaymentOption::Deposit => "partial",
        }
    }

    /// The option the contract's word names.
    pub fn from_api(word: &str) -> Option<PaymentOption> {
        match word {
            "full" => Some(PaymentOption::Full),
            "partial" => Some(PaymentOption::Deposit),
            _ => None,
        }
    }
}

/// What a discount takes off a full price: a percentage of it rounded half away from zero,
/// or a fixed amount, never more than the price itself.
pub fn discount_on(full: u64, discount: Discount) -> u64 {
    match discount {
        Discount::Percentage(p) => tax_on(full, p),
        Discount::Fixed(n) => n,
    }
    .min(full)
}

/// The price after a discount (in minor units).
pub fn price_after(t: &SessionType, discount: u64) -> u64 {
    t.payment_amount_full.saturating_sub(discount)
}

/// One tax on an amount in minor units, rounded half away from zero. The rate (a percent,
/// such as 8.875) is taken to millionths so the arithmetic is exact in integers.
pub fn tax_on(amount: u64, rate_percent: f64) -> u64 {
    if !(rate_percent.is_finite() && rate_percent > 0.0) {
        return 0;
    }
    let micro = (rate_percent * 1_000_000.0).round() as u128;
    let denominator: u128 = 100 * 1_000_000;
    ((u128::from(amount) * micro * 2 + denominator) / (2 * denominator)) as u64
}

/// The taxes added on top of an amount, each rounded: (name, amount).
pub fn added_taxes(amount: u64, taxes: &[Tax]) -> Vec<(&str, u64)> {
    taxes.iter().filter(|t| !t.inclusive).map(|t| (t.name.as_str(), tax_on(amount, t.rate))).collect()
}

/// The deposit, if the session type offers one that is less than the full price.
pub fn deposit(t: &SessionType) -> Option<u64> {
    t.payment_amount_partial.filter(|&d| d > 0 && d < t.payment_amount_full)
}

/// The payment options a session type offers: full price, and the deposit when it has one.
pub fn payment_options(t: &SessionType) -> Vec<PaymentOption> {
    match deposit(t) {
        Some(_) => vec![PaymentOption::Full, PaymentOption::Deposit],
        None => vec![PaymentOption::Full],
    }
}

/// The amount before taxes for an option, after a discount: the price, or the deposit but
/// never more than the price (a deposit that is not offered means the price).
pub fn base_amount(t: &SessionType, option: PaymentOption, discount: u64) -> u64 {
    base_on(t, option, price_after(t, discount))
}

/// The amount an option is counted on when the price (after any discount) is `price`.
fn base_on(t: &SessionType, option: PaymentOption, price: u64) -> u64 {
    match option {
        PaymentOption::Deposit => deposit(t).map_or(price, |d| d.min(price)),
        PaymentOption::Full => price,
    }
}

/// What a booked session's payment was counted on before taxes, from the studio's own price
/// (the price after its discount): that price, or for a deposit the deposit but never more
/// than the price. None from a studio that does not say the price.
pub fn booked_base(t: &SessionType, p: &BookedPayment) -> Option<u64> {
    Some(base_on(t, PaymentOption::from_api(&p.option).unwrap_or(PaymentOption::Full), p.price?))
}

/// What the visitor pays now for an option, after a discount.
pub fn amount_due(t: &SessionType, option: PaymentOption, discount: u64) -> u64 {
    let base = base_amount(t, option, discount);
    base + added_taxes(base, &t.taxes).iter().map(|(_, a)| a).sum::<u64>()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tax(rate: f64, inclusive: bool) -> Tax {
        Tax { name: "T".into(), rate, inclusive }
    }

    fn session_type(full: u64, partial: Option<u64>, taxes: Vec<Tax>, currency: &str) -> SessionType {
        let mut t = <SessionType as crate::read::FromJson>::from_json(&crate::object! { "id" => "set_A", "currency" => currency }).unwrap();
        t.payment_amount_full = full;
        t.payment_amount_partial = partial;
        t.taxes = taxes;
        t
    }

    #[test]
    fn rounding_half_away_from_zero() {
        assert_eq!(tax_on(200, 8.875), 18); // 17.75
        assert_eq!(tax_on(1_999, 8.875), 177); // 177.41
        assert_eq!(tax_on(2, 25.0), 1); // 0.5
        assert_eq!(tax_on(1, 49.999_999), 0); // 0.49999999
        assert_eq!(tax_on(u64::from(u32::MAX), 20.0), 858_993_459); // 858993459.0
        assert_eq!(tax_on(100, -5.0), 0);
        assert_eq!(tax_on(100, f64::INFINITY), 0);
    }

    #[test]
    fn amounts_across_currencies_and_options() {
        // GBP, VAT included: the price is what is paid.
        let family = session_type(25_000, Some(7_500), vec![tax(20.0, true)], "gbp");
        assert_eq!(amount_due(&family, PaymentOption::Full, 0), 25_000);
        assert_eq!(amount_due(&family, PaymentOption::Deposit, 0), 7_500);
        // GBP, VAT on top.
        let headshots = session_type(15_000, None, vec![tax(20.0, false)], "gbp");
        assert_eq!(amount_due(&headshots, PaymentOption::Full, 0), 18_000);
        assert_eq!(deposit(&headshots), None);
        assert_eq!(amount_due(&headshots, PaymentOption::Deposit, 0), 18_000);
        // USD, NYC sales tax on the deposit: 20000 * 8.875% = 1775.
        let nyc = session_type(60_000, Some(20_000), vec![tax(8.875, false)], "usd");
        assert_eq!(amount_due(&nyc, PaymentOption::Deposit, 0), 21_775);
        assert_eq!(amount_due(&nyc, PaymentOption::Full, 0), 65_325);
        // JPY has no minor unit: yen in, yen out.
        let tokyo = session_type(45_001, Some(15_000), vec![tax(10.0, false), tax(0.5, false)], "jpy");
        assert_eq!(amount_due(&tokyo, PaymentOption::Full, 0), 45_001 + 4_500 + 225); // 4500.1 -> 4500, 225.005 -> 225
        assert_eq!(added_taxes(15_000, &tokyo.taxes), vec![("T", 1_500), ("T", 75)]);
        // A "deposit" as large as the price is no deposit.
        assert_eq!(deposit(&session_type(100, Some(100), vec![], "gbp")), None);
        assert_eq!(PaymentOption::Deposit.as_api(), "partial");
        for o in [PaymentOption::Full, PaymentOption::Deposit] {
            assert_eq!(PaymentOption::from_api(o.as_api()), Some(o));
        }
    }

    #[test]
    fn discounts_as_the_contract_defines_them() {
        // 20 % of £250 is £50; the deposit of £75 stays (it is less than the price).
        let family = session_type(25_000, Some(7_500), vec![tax(20.0, true)], "gbp");
        let off = discount_on(25_000, Discount::Percentage(20.0));
        assert_eq!(off, 5_000);
        assert_eq!(amount_due(&family, PaymentOption::Full, off), 20_000);
        assert_eq!(amount_due(&family, PaymentOption::Deposit, off), 7_500);
        // A fixed $500 off $600 leaves $100: the $200 deposit is capped at the price, and
        // the sales tax is on what is paid.
        let nyc = session_type(60_000, Some(20_000), vec![tax(8.875, false)], "usd");
        let off = discount_on(60_000, Discount::Fixed(50_000));
        assert_eq!(amount_due(&nyc, PaymentOption::Deposit, off), 10_000 + 888); // 887.5 -> 888
        assert_eq!(amount_due(&nyc, PaymentOption::Full, off), 10_888);
        // Percentages round half away from zero, in yen too; a discount never passes the price.
        assert_eq!(discount_on(45_001, Discount::Percentage(5.0)), 2_250); // 2250.05
        assert_eq!(discount_on(45_010, Discount::Percentage(5.0)), 2_251); // 2250.5
        assert_eq!(discount_on(45_000, Discount::Fixed(99_999)), 45_000);
        assert_eq!(discount_on(45_000, Discount::Percentage(100.0)), 45_000);
        let tokyo = session_type(45_000, Some(15_000), vec![tax(10.0, false)], "jpy");
        assert_eq!(amount_due(&tokyo, PaymentOption::Full, 45_000), 0);
        assert_eq!(amount_due(&tokyo, PaymentOption::Deposit, 45_000), 0);
        assert_eq!(amount_due(&tokyo, PaymentOption::Full, 5_000), 44_000);
    }

    #[test]
    fn a_booked_payment_is_counted_on_the_studios_price() {
        let t = session_type(25_000, Some(7_500), vec![tax(10.0, false)], "aud");
        let paid = |option: &str, price: Option<u64>| BookedPayment { option: option.into(), price, ..Default::default() };
        assert_eq!(booked_base(&t, &paid("full", Some(22_500))), Some(22_500));
        assert_eq!(booked_base(&t, &paid("partial", Some(22_500))), Some(7_500));
        // A code that took the price under the deposit: the deposit is the price.
        assert_eq!(booked_base(&t, &paid("partial", Some(5_000))), Some(5_000));
        assert_eq!(booked_base(&t, &paid("full", None)), None);
    }
}
