//! The English words of a [`Problem`] in a 422's details: the widget's own English
//! (`i18n/en.json`, built into the gateway), so that a visitor reads the same sentence whether
//! the widget or the gateway found the problem, and a change of wording there is one here.

use std::sync::LazyLock;

use serde_json::{Map, Value};
use studio_booking_core::iso;
use studio_booking_core::validation::{Problem, COUPON_REFUSALS};

/// The widget's English messages, by name.
static ENGLISH: LazyLock<Map<String, Value>> = LazyLock::new(|| serde_json::from_str(include_str!("../../../i18n/en.json")).unwrap_or_default());

/// The message `name` of en.json; for plural forms, the one for `count` (English has "one"
/// and "other"). None for a name en.json does not have.
fn message(name: &str, count: Option<u64>) -> Option<&'static str> {
    match ENGLISH.get(name)? {
        Value::String(text) => Some(text),
        Value::Object(forms) => forms.get(if count == Some(1) { "one" } else { "other" })?.as_str(),
        _ => None,
    }
}

/// How the widget words a problem: en.json's message, the count that picks its plural form,
/// and the value of its one placeholder, if any.
struct Wording {
    name: &'static str,
    count: Option<u64>,
    fill: Option<(&'static str, String)>,
}

/// The wording of a problem the widget words too; None for the ones it names otherwise.
fn named(p: &Problem) -> Option<Wording> {
    let text = |name| Some(Wording { name, count: None, fill: None });
    let count = |name, n: u64| Some(Wording { name, count: Some(n), fill: Some(("count", n.to_string())) });
    let fill = |name, key, value: String| Some(Wording { name, count: None, fill: Some((key, value)) });
    match p {
        Problem::Required => text("problem_required"),
        Problem::MustTick => text("problem_tick"),
        Problem::TooFewChoices { min } => count("problem_too_few_choices", *min),
        Problem::TooManyChoices { max } => count("problem_too_many_choices", *max),
        Problem::NotAnOption => text("problem_not_an_option"),
        Problem::NotANumber => text("problem_not_a_number"),
        Problem::BelowMinimum { min } => fill("problem_below_minimum", "number", min.to_string()),
        Problem::AboveMaximum { max } => fill("problem_above_maximum", "number", max.to_string()),
        Problem::NotADate => text("problem_not_a_date"),
        Problem::BeforeDate { date } => fill("problem_before_date", "date", iso::format_date(*date)),
        Problem::AfterDate { date } => fill("problem_after_date", "date", iso::format_date(*date)),
        Problem::TooShort { min } => count("problem_too_short", *min),
        Problem::TooLong { max } => count("problem_too_long", *max),
        Problem::NotAnEmail => text("problem_email"),
        Problem::NotAPhone => text("problem_phone"),
        Problem::WrongFormat => text("problem_format"),
        Problem::FirstNameMissing => text("problem_first_name"),
        Problem::LastNameMissing => text("problem_last_name"),
        Problem::EmailMissing => text("problem_email_missing"),
        Problem::NoPaymentMethod => text("problem_payment_method"),
        Problem::NoPaymentOption => text("problem_payment_option"),
        Problem::PoliciesNotAccepted => text("problem_policies"),
        Problem::SignatureMissing => text("problem_signature"),
        Problem::ContractNotAgreed => text("problem_contract_agree"),
        Problem::CouponNotAccepted => text("problem_coupon"),
        Problem::CouponNotFound | Problem::CouponExpired | Problem::CouponUsedUp | Problem::CouponNotChecked | Problem::Studio(_) => None,
    }
}

/// The words of a problem, for the contract's 422 details. A refused coupon code is named by
/// the coupon endpoint's own code, as the studio does (the widget reads it back as its
/// problem); the studio's own words stay as they are.
pub(super) fn problem(p: &Problem) -> String {
    if let Some(Wording { name, count, fill }) = named(p) {
        let text = message(name, count).or_else(|| message("problem_format", None)).unwrap_or("Please check this answer.");
        return match fill {
            Some((key, value)) => text.replace(&format!("{{{key}}}"), &value),
            None => text.to_string(),
        };
    }
    match p {
        Problem::Studio(words) => words.clone(),
        _ => COUPON_REFUSALS.iter().find(|(_, q)| q == p).map_or("coupon_not_found", |(code, _)| code).into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// One of each problem the gateway may word.
    fn every_problem() -> Vec<Problem> {
        let date = chrono::NaiveDate::from_ymd_opt(2026, 3, 5).unwrap();
        vec![
            Problem::Required,
            Problem::MustTick,
            Problem::TooFewChoices { min: 2 },
            Problem::TooManyChoices { max: 1 },
            Problem::NotAnOption,
            Problem::NotANumber,
            Problem::BelowMinimum { min: 1.0 },
            Problem::AboveMaximum { max: 12.5 },
            Problem::NotADate,
            Problem::BeforeDate { date },
            Problem::AfterDate { date },
            Problem::TooShort { min: 2 },
            Problem::TooLong { max: 500 },
            Problem::NotAnEmail,
            Problem::NotAPhone,
            Problem::WrongFormat,
            Problem::FirstNameMissing,
            Problem::LastNameMissing,
            Problem::EmailMissing,
            Problem::NoPaymentMethod,
            Problem::NoPaymentOption,
            Problem::PoliciesNotAccepted,
            Problem::SignatureMissing,
            Problem::ContractNotAgreed,
            Problem::CouponNotAccepted,
        ]
    }

    #[test]
    fn every_problem_has_its_words_in_en_json() {
        for p in every_problem() {
            let Wording { name, count, .. } = named(&p).unwrap();
            assert!(message(name, count).is_some(), "en.json has no {name}");
            let words = problem(&p);
            assert!(!words.contains('{') && words.ends_with('.'), "{p:?}: {words}");
        }
        assert_eq!(problem(&Problem::Required), "Please answer this question.");
        assert_eq!(problem(&Problem::TooManyChoices { max: 1 }), "Please choose at most 1 option.");
        assert_eq!(problem(&Problem::TooFewChoices { min: 2 }), "Please choose at least 2 options.");
        assert_eq!(problem(&Problem::AboveMaximum { max: 12.5 }), "Please enter 12.5 or less.");
        assert_eq!(problem(&Problem::BelowMinimum { min: 1.0 }), "Please enter 1 or more.");
        assert_eq!(
            problem(&Problem::BeforeDate { date: chrono::NaiveDate::from_ymd_opt(2026, 3, 5).unwrap() }),
            "Please choose 2026-03-05 or later."
        );
    }

    #[test]
    fn a_refused_coupon_is_named_by_its_code_and_the_studios_words_stay() {
        assert_eq!(problem(&Problem::CouponUsedUp), "coupon_used_up");
        assert_eq!(problem(&Problem::CouponExpired), "coupon_expired");
        assert_eq!(problem(&Problem::CouponNotChecked), "coupon_not_found");
        assert_eq!(problem(&Problem::Studio("Ask us first.".into())), "Ask us first.");
    }
}
