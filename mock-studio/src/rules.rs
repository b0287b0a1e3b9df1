//! What the studio checks in a booking request: discounts and amounts due, e-mail and phone
//! shapes, and the intake answers against their field type and validation rules.

use chrono::{Datelike, Duration, NaiveDate};
use serde_json::Value;

use crate::model::{Discount, IntakeField, Tax};

/// A percentage of an amount in minor units, rounded to the minor unit, half away from zero.
/// `rate` is a percentage (20, 8.875, 12.5); it is taken to six decimals so the product is
/// exact in integers, where a float would round 0.5 either way. A rate that is not a
/// positive number is 0 %.
pub fn percent_of(amount: u64, rate: f64) -> u64 {
    if !(rate.is_finite() && rate > 0.0) {
        return 0;
    }
    let micro = (rate.min(1.0e12) * 1_000_000.0).round() as u128; // rate in millionths of a percent
    let denominator: u128 = 100 * 1_000_000;
    let scaled = u128::from(amount) * micro;
    u64::try_from((scaled * 2 + denominator) / (2 * denominator)).unwrap_or(u64::MAX)
}

/// A tax on an amount in minor units, rounded to the minor unit, half away from zero.
pub fn tax_amount(amount: u64, rate: f64) -> u64 {
    percent_of(amount, rate)
}

/// What a coupon takes off a full price, as the contract says: a percentage of it rounded
/// half away from zero, or a fixed amount; never more than the price itself.
pub fn discount_amount(full: u64, discount: Discount) -> u64 {
    match discount {
        Discount::Percentage(p) => percent_of(full, p),
        Discount::Fixed(n) => n,
    }
    .min(full)
}

/// The amount a client chooses to pay before taxes: the (discounted) price, or for a deposit
/// the smaller of the deposit and that price (a deposit is never more than the price).
pub fn chosen_amount(price: u64, deposit: Option<u64>, partial: bool) -> u64 {
    match (partial, deposit) {
        (true, Some(d)) => d.min(price),
        _ => price,
    }
}

/// The amount due: the chosen amount plus each tax that is not already included.
pub fn amount_due(amount: u64, taxes: &[Tax]) -> u64 {
    amount + taxes.iter().filter(|t| !t.inclusive).map(|t| tax_amount(amount, t.rate)).sum::<u64>()
}

/// A plausible e-mail address: one `@`, a local part, a dotted domain, no spaces.
pub fn is_email(s: &str) -> bool {
    let s = s.trim();
    if s.len() > 254 || s.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return false;
    }
    let Some((local, domain)) = s.split_once('@') else {
        return false;
    };
    !local.is_empty() && !domain.contains('@') && domain.contains('.') && !domain.starts_with('.') && !domain.ends_with('.') && !domain.contains("..")
}

/// A plausible phone number: digits with spaces, dots, dashes, brackets and a leading plus;
/// 6 to 20 digits.
pub fn is_phone(s: &str) -> bool {
    let s = s.trim();
    let digits = s.chars().filter(|c| c.is_ascii_digit()).count();
    let allowed = s.chars().enumerate().all(|(i, c)| c.is_ascii_digit() || matches!(c, ' ' | '-' | '.' | '(' | ')') || (c == '+' && i == 0));
    allowed && (6..=20).contains(&digits)
}

/// Reads a date bound: "YYYY-MM-DD", "today", or "+N days" / "-N days" / "+N years"
/// (also "months" and "weeks"), relative to `today`.
pub fn parse_date_bound(spec: &str, today: NaiveDate) -> Option<NaiveDate> {
    let spec = spec.trim();
    if spec.eq_ignore_ascii_case("today") {
        return Some(today);
    }
    if let Ok(d) = NaiveDate::parse_from_str(spec, "%Y-%m-%d") {
        return Some(d);
    }
    let (number, unit) = spec.split_once(' ')?;
    let n: i64 = number.trim_start_matches('+').parse().ok()?;
    if n.abs() > 10_000 {
        return None;
    }
    match unit.trim().trim_end_matches('s').to_ascii_lowercase().as_str() {
        "day" => today.checked_add_signed(Duration::days(n)),
        "week" => today.checked_add_signed(Duration::weeks(n)),
        "month" => add_months(today, n),
        "year" => add_months(today, n * 12),
        _ => None,
    }
}

fn add_months(d: NaiveDate, n: i64) -> Option<NaiveDate> {
    let months = chrono::Months::new(u32::try_from(n.unsigned_abs()).ok()?);
    let moved = if n >= 0 { d.checked_add_months(months) } else { d.checked_sub_months(months) };
    // 29 February plus a year lands on 28 February, which checked_add_months already does.
    moved.filter(|m| m.year() > 0)
}

fn required(field: &IntakeField) -> bool {
    field.required.get()
}

fn is_blank(v: Option<&Value>) -> bool {
    match v {
        None | Some(Value::Null) => true,
        Some(Value::String(s)) => s.trim().is_empty(),
        Some(Value::Array(a)) => a.is_empty(),
        _ => false,
    }
}

/// Checks one intake answer. Ok(None): no answer (allowed); Ok(Some(v)): the answer to keep;
/// Err: the message to show beside the field.
pub fn check_answer(field: &IntakeField, value: Option<&Value>, today: NaiveDate) -> Result<Option<Value>, String> {
    let kind = field.field_type.as_str();
    if kind == "checkbox" {
        let checked = match value {
            None | Some(Value::Null) => false,
            Some(Value::Bool(b)) => *b,
            Some(Value::Number(n)) if n.as_u64() == Some(0) || n.as_u64() == Some(1) => n.as_u64() == Some(1),
            Some(_) => return Err("must be true or false".into()),
        };
        if required(field) && !checked {
            return Err("Please tick this box to continue.".into());
        }
        return Ok(Some(Value::Bool(checked)));
    }
    if is_blank(value) {
        return if required(field) { Err("This field is required.".into()) } else { Ok(None) };
    }
    let value = value.expect("not blank");
    let rules = field.validation.clone().unwrap_or_default();
    let option_values: Vec<&str> = field.options.iter().map(|o| o.value.as_str()).collect();
    match kind {
        "number" => {
            let n = match value {
                Value::Number(n) => n.as_f64(),
                Value::String(s) => s.trim().parse::<f64>().ok().filter(|f| f.is_finite()),
                _ => None,
            }
            .ok_or("Please enter a number.")?;
            if let Some(min) = rules.min_value {
                if n < min {
                    return Err(format!("Please enter {min} or more."));
                }
            }
            if let Some(max) = rules.max_value {
                if n > max {
                    return Err(format!("Please enter {max} or less."));
                }
            }
            // Whole numbers stay whole ("3 people", not 3.0).
            if n.fract() == 0.0 && n.abs() < 9.0e15 {
                Ok(Some(serde_json::json!(n as i64)))
            } else {
                Ok(Some(serde_json::json!(n)))
            }
        }
        "date" => {
            let s = value.as_str().ok_or("Please enter a date.")?;
            let d = NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d").map_err(|_| "Please enter a date as YYYY-MM-DD.")?;
            if let Some(min) = rules.min_date.as_deref().and_then(|b| parse_date_bound(b, today)) {
                if d < min {
                    return Err(format!("Please choose {} or later.", min.format("%Y-%m-%d")));
                }
            }
            if let Some(max) = rules.max_date.as_deref().and_then(|b| parse_date_bound(b, today)) {
                if d > max {
                    return Err(format!("Please choose {} or earlier.", max.format("%Y-%m-%d")));
                }
            }
            Ok(Some(Value::String(d.format("%Y-%m-%d").to_string())))
        }
        "select" | "radio" => {
            let s = value.as_str().ok_or("Please choose one of the options.")?;
            if !option_values.contains(&s) {
                return Err("Please choose one of the options.".into());
            }
            Ok(Some(Value::String(s.to_string())))
        }
        "multi_select" => {
            let items = value.as_array().ok_or("Please choose from the options.")?;
            let mut chosen = Vec::new();
            for item in items {
                let s = item.as_str().ok_or("Please choose from the options.")?;
                if !option_values.contains(&s) {
                    return Err(format!("\"{s}\" is not one of the options."));
                }
                if !chosen.contains(&s) {
                    chosen.push(s);
                }
            }
            if let Some(min) = rules.min_length {
                if (chosen.len() as u32) < min {
                    return Err(format!("Please choose at least {min}."));
                }
            }
            if let Some(max) = rules.max_length {
                if (chosen.len() as u32) > max {
                    return Err(format!("Please choose at most {max}."));
                }
            }
            Ok(Some(serde_json::json!(chosen)))
        }
        // text, textarea, email, phone, and any type this studio does not know: a string.
        _ => {
            let s = match value {
                Value::String(s) => s.trim().to_string(),
                Value::Number(n) => n.to_string(),
                _ => return Err("Please enter text.".into()),
            };
            let len = s.chars().count() as u32;
            if let Some(min) = rules.min_length {
                if len < min {
                    return Err(format!("Please enter at least {min} characters."));
                }
            }
            if let Some(max) = rules.max_length {
                if len > max {
                    return Err(format!("Please enter at most {max} characters."));
                }
            }
            if kind == "email" && !is_email(&s) {
                return Err("Please enter an e-mail address like name@example.com.".into());
            }
            if kind == "phone" && !is_phone(&s) {
                return Err("Please enter a phone number.".into());
            }
            if let Some(pattern) = rules.pattern.as_deref() {
                // The whole answer must match, as the contract says.
                let anchored = format!("^(?:{pattern})$");
                match regex::Regex::new(&anchored) {
                    Ok(re) if !re.is_match(&s) => return Err("Please check the format of this answer.".into()),
                    _ => {}
                }
            }
            Ok(Some(Value::String(s)))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{FieldOption, Flag, Validation};

    fn tax(rate: f64, inclusive: bool) -> Tax {
        Tax { id: "tx".into(), name: "T".into(), rate, inclusive }
    }

    fn field(kind: &str, required: bool, validation: Option<Validation>) -> IntakeField {
        IntakeField {
            id: "q".into(),
            order: 1,
            question_text: "Q".into(),
            field_type: kind.into(),
            required: Flag::Bool(required),
            description: None,
            placeholder: None,
            options: ["a", "b", "c"].iter().map(|v| FieldOption { value: v.to_string(), label: v.to_uppercase() }).collect(),
            validation,
        }
    }

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2025, 8, 7).unwrap()
    }

    #[test]
    fn taxes_round_half_away_from_zero() {
        assert_eq!(tax_amount(25_000, 20.0), 5_000);
        assert_eq!(tax_amount(1_999, 8.875), 177); // 177.41
        assert_eq!(tax_amount(200, 8.875), 18); // 17.75 -> 18
        assert_eq!(tax_amount(2, 25.0), 1); // 0.5 -> 1
        assert_eq!(tax_amount(33_000, 10.0), 3_300);
        assert_eq!(amount_due(10_000, &[tax(20.0, true)]), 10_000);
        assert_eq!(amount_due(10_000, &[tax(20.0, false), tax(8.875, false)]), 12_888); // 2000 + 887.5->888
        assert_eq!(tax_amount(100, f64::NAN), 0);
    }

    #[test]
    fn discounts_round_half_away_from_zero_and_never_pass_the_price() {
        assert_eq!(discount_amount(25_000, Discount::Percentage(20.0)), 5_000);
        assert_eq!(discount_amount(199, Discount::Percentage(50.0)), 100); // 99.5 -> 100
        assert_eq!(discount_amount(3, Discount::Percentage(50.0)), 2); // 1.5 -> 2
        assert_eq!(discount_amount(45_000, Discount::Percentage(12.5)), 5_625);
        assert_eq!(discount_amount(1_001, Discount::Percentage(12.5)), 125); // 125.125
        assert_eq!(discount_amount(1_004, Discount::Percentage(12.5)), 126); // 125.5 -> 126
        assert_eq!(discount_amount(25_000, Discount::Percentage(100.0)), 25_000);
        assert_eq!(discount_amount(25_000, Discount::Percentage(150.0)), 25_000);
        assert_eq!(discount_amount(25_000, Discount::Percentage(-5.0)), 0);
        assert_eq!(discount_amount(25_000, Discount::Percentage(f64::NAN)), 0);
        assert_eq!(discount_amount(45_000, Discount::Fixed(5_000)), 5_000);
        assert_eq!(discount_amount(45_000, Discount::Fixed(50_000)), 45_000);
        assert_eq!(discount_amount(0, Discount::Fixed(1)), 0);
        assert_eq!(chosen_amount(20_000, Some(7_500), true), 7_500);
        assert_eq!(chosen_amount(20_000, Some(7_500), false), 20_000);
        assert_eq!(chosen_amount(15_000, Some(20_000), true), 15_000);
        assert_eq!(chosen_amount(0, Some(20_000), true), 0);
        assert_eq!(chosen_amount(15_000, None, true), 15_000);
        assert_eq!(percent_of(u64::MAX, 1.0e300), u64::MAX);
    }

    #[test]
    fn emails_and_phones() {
        assert!(is_email("ana@example.com"));
        assert!(is_email("a.b+c@sub.example.co.uk"));
        for bad in ["", "ana", "ana@", "@x.com", "ana@example", "a b@x.com", "a@@x.com", "a@x..com", "a@.x.com"] {
            assert!(!is_email(bad), "{bad}");
        }
        assert!(is_phone("+44 20 7946 0958"));
        assert!(is_phone("(555) 010-9999"));
        assert!(!is_phone("12345"));
        assert!(!is_phone("call me"));
        assert!(!is_phone("44+20"));
    }

    #[test]
    fn date_bounds() {
        assert_eq!(parse_date_bound("today", today()), Some(today()));
        assert_eq!(parse_date_bound("+3 days", today()), NaiveDate::from_ymd_opt(2025, 8, 10));
        assert_eq!(parse_date_bound("+1 year", today()), NaiveDate::from_ymd_opt(2026, 8, 7));
        assert_eq!(parse_date_bound("-18 years", today()), NaiveDate::from_ymd_opt(2007, 8, 7));
        assert_eq!(parse_date_bound("2025-01-31", today()), NaiveDate::from_ymd_opt(2025, 1, 31));
        assert_eq!(parse_date_bound("+1 fortnight", today()), None);
        assert_eq!(parse_date_bound("+99999999 days", today()), None);
        let leap = NaiveDate::from_ymd_opt(2024, 2, 29).unwrap();
        assert_eq!(parse_date_bound("+1 year", leap), NaiveDate::from_ymd_opt(2025, 2, 28));
    }

    #[test]
    fn answers_by_type() {
        let f = field("text", true, Some(Validation { min_length: Some(2), max_length: Some(5), ..Default::default() }));
        assert!(check_answer(&f, None, today()).is_err());
        assert!(check_answer(&f, Some(&"  ".into()), today()).is_err());
        assert!(check_answer(&f, Some(&"a".into()), today()).is_err());
        assert!(check_answer(&f, Some(&"abcdef".into()), today()).is_err());
        assert_eq!(check_answer(&f, Some(&" abc ".into()), today()), Ok(Some("abc".into())));

        let f = field("number", false, Some(Validation { min_value: Some(1.0), max_value: Some(10.0), ..Default::default() }));
        assert_eq!(check_answer(&f, None, today()), Ok(None));
        assert!(check_answer(&f, Some(&serde_json::json!(11)), today()).is_err());
        assert!(check_answer(&f, Some(&"x".into()), today()).is_err());
        assert_eq!(check_answer(&f, Some(&"4".into()), today()), Ok(Some(serde_json::json!(4))));
        assert_eq!(check_answer(&f, Some(&serde_json::json!(2.5)), today()), Ok(Some(serde_json::json!(2.5))));

        let f = field("date", true, Some(Validation { min_date: Some("today".into()), max_date: Some("+1 year".into()), ..Default::default() }));
        assert!(check_answer(&f, Some(&"2025-08-06".into()), today()).is_err());
        assert!(check_answer(&f, Some(&"2026-08-08".into()), today()).is_err());
        assert!(check_answer(&f, Some(&"2025-2-30".into()), today()).is_err());
        assert!(check_answer(&f, Some(&"2025-09-01".into()), today()).is_ok());

        let f = field("select", true, None);
        assert!(check_answer(&f, Some(&"z".into()), today()).is_err());
        assert!(check_answer(&f, Some(&"b".into()), today()).is_ok());

        let f = field("multi_select", true, Some(Validation { max_length: Some(2), ..Default::default() }));
        assert!(check_answer(&f, Some(&serde_json::json!([])), today()).is_err());
        assert!(check_answer(&f, Some(&serde_json::json!(["a", "b", "c"])), today()).is_err());
        assert!(check_answer(&f, Some(&serde_json::json!(["a", "q"])), today()).is_err());
        assert_eq!(check_answer(&f, Some(&serde_json::json!(["a", "a", "b"])), today()), Ok(Some(serde_json::json!(["a", "b"]))));

        let f = field("checkbox", true, None);
        assert!(check_answer(&f, Some(&false.into()), today()).is_err());
        assert!(check_answer(&f, None, today()).is_err());
        assert_eq!(check_answer(&f, Some(&serde_json::json!(1)), today()), Ok(Some(true.into())));
        let f = field("checkbox", false, None);
        assert_eq!(check_answer(&f, None, today()), Ok(Some(false.into())));

        let f = field("text", true, Some(Validation { pattern: Some("@?[A-Za-z0-9_.]{1,30}".into()), ..Default::default() }));
        assert!(check_answer(&f, Some(&"@ana.photo".into()), today()).is_ok());
        assert!(check_answer(&f, Some(&"ana photo!".into()), today()).is_err());

        let f = field("email", true, None);
        assert!(check_answer(&f, Some(&"nope".into()), today()).is_err());
        let f = field("instagram_handle", true, None);
        assert!(check_answer(&f, Some(&"anything".into()), today()).is_ok());
        assert!(check_answer(&f, Some(&serde_json::json!({"a": 1})), today()).is_err());
    }
}
