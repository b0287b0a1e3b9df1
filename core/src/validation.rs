//! The checks on what the visitor types: their name, e-mail and phone, and every intake
//! answer against its field type and the studio's rules. Each check gives a [`Problem`]: the
//! widget words it beside the field, the gateway sends it in a 422. A `pattern` rule is matched by the caller's matcher (the browser's RegExp in the widget),
//! so no regular-expression engine is compiled in.

use chrono::{Datelike, Duration, Months, NaiveDate};

use crate::json::Value;
use crate::models::{FieldType, IntakeField};

/// What is wrong with an answer (or a choice the booking needs), as data.
#[derive(Debug, Clone, PartialEq)]
pub enum Problem {
    /// A required question left blank.
    Required,
    /// A required checkbox left unticked.
    MustTick,
    /// Fewer choices than the studio asks for.
    TooFewChoices { min: u64 },
    /// More choices than the studio allows.
    TooManyChoices { max: u64 },
    /// A value that is not one of the question's options.
    NotAnOption,
    /// Not a number.
    NotANumber,
    /// A number below the studio's minimum.
    BelowMinimum { min: f64 },
    /// A number above the studio's maximum.
    AboveMaximum { max: f64 },
    /// Not a date (YYYY-MM-DD).
    NotADate,
    /// A date before the earliest allowed.
    BeforeDate { date: NaiveDate },
    /// A date after the latest allowed.
    AfterDate { date: NaiveDate },
    /// Fewer characters than the studio asks for.
    TooShort { min: u64 },
    /// More characters than allowed.
    TooLong { max: u64 },
    /// Not an e-mail address.
    NotAnEmail,
    /// Not a phone number.
    NotAPhone,
    /// Does not match the studio's pattern.
    WrongFormat,
    /// The visitor's first name is missing.
    FirstNameMissing,
    /// The visitor's last name is missing.
    LastNameMissing,
    /// The visitor's e-mail address is missing.
    EmailMissing,
    /// No payment method chosen (or one that is not offered).
    NoPaymentMethod,
    /// Neither full price nor deposit chosen.
    NoPaymentOption,
    /// The studio's policies not agreed to.
    PoliciesNotAccepted,
    /// No name typed as the contract's signature.
    SignatureMissing,
    /// The contract's "I agree" box left unticked.
    ContractNotAgreed,
    /// A coupon code for a session type that takes none.
    CouponNotAccepted,
    /// A coupon code the studio does not know for this session type (404 coupon_not_found).
    CouponNotFound,
    /// A coupon code past its date (coupon_expired).
    CouponExpired,
    /// A coupon code used as often as it may be (coupon_used_up).
    CouponUsedUp,
    /// The studio could not be asked about the code (offline, busy): try again.
    CouponNotChecked,
    /// The studio's own message for a field it refused (a 422's details), as it wrote it.
    Studio(String),
}

/// The contract's error codes of a refused coupon code, with their problems: the coupon
/// endpoint's answer, and a booking's `details.coupon_code`.
pub const COUPON_REFUSALS: [(&str, Problem); 3] =
    [("coupon_not_found", Problem::CouponNotFound), ("coupon_expired", Problem::CouponExpired), ("coupon_used_up", Problem::CouponUsedUp)];

impl Problem {
    /// The problem a refused coupon's code names (None for another code).
    pub fn of_coupon_code(code: &str) -> Option<Problem> {
        COUPON_REFUSALS.iter().find(|(c, _)| *c == code.trim()).map(|(_, p)| p.clone())
    }

    /// A coupon's problem as data: the studio's refusal of a booking names a refused code by
    /// the coupon endpoint's own code (`details.coupon_code: ["coupon_used_up"]`), read here
    /// where the code is shown (not on the way in, which every booking's code passes).
    pub fn for_coupon(&self) -> Problem {
        match self {
            Problem::Studio(words) => Problem::of_coupon_code(words).unwrap_or_else(|| self.clone()),
            other => other.clone(),
        }
    }
}

/// The shortest and longest signature, in characters (the contract's).
pub const SIGNATURE_MIN: u64 = 2;
pub const SIGNATURE_MAX: u64 = 120;

/// Checks the name typed as a contract's signature and the "I agree" box.
pub fn check_signature(name: &str, agreed: bool) -> Result<(), Problem> {
    let n = name.trim().chars().count() as u64;
    if n == 0 {
        Err(Problem::SignatureMissing)
    } else if n < SIGNATURE_MIN {
        Err(Problem::TooShort { min: SIGNATURE_MIN })
    } else if n > SIGNATURE_MAX {
        Err(Problem::TooLong { max: SIGNATURE_MAX })
    } else if !agreed {
        Err(Problem::ContractNotAgreed)
    } else {
        Ok(())
    }
}

/// The longest coupon code, in characters (the contract's).
pub const COUPON_MAX: usize = 64;

/// A coupon code as it is asked about: trimmed; None when it cannot be one (empty, too long,
/// or with other than letters, digits, `-` and `_`), which is refused as unknown without
/// asking the studio (and is never put into a path).
pub fn coupon_shape(code: &str) -> Option<&str> {
    let code = code.trim();
    (!code.is_empty() && code.len() <= COUPON_MAX && code.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')).then_some(code)
}

/// An answer as the form holds it.
#[derive(Debug, Clone, PartialEq)]
pub enum Answer {
    Text(String),
    Checked(bool),
    Chosen(Vec<String>),
}

impl Answer {
    /// Whether nothing was given.
    pub fn is_blank(&self) -> bool {
        match self {
            Answer::Text(s) => s.trim().is_empty(),
            Answer::Checked(b) => !b,
            Answer::Chosen(v) => v.is_empty(),
        }
    }

    /// The answer in a kept draft: `{"Text": "…"}`, `{"Checked": true}` or `{"Chosen": […]}`.
    pub fn to_json(&self) -> Value {
        match self {
            Answer::Text(s) => crate::object! { "Text" => s },
            Answer::Checked(b) => crate::object! { "Checked" => *b },
            Answer::Chosen(v) => crate::object! { "Chosen" => v.as_slice() },
        }
    }

    /// Reads an answer kept by [`Answer::to_json`].
    pub fn from_json(v: &Value) -> Option<Answer> {
        let (kind, value) = v.as_object()?.iter().next()?;
        match kind.as_str() {
            "Text" => Some(Answer::Text(value.as_str()?.to_string())),
            "Checked" => Some(Answer::Checked(value.as_bool()?)),
            "Chosen" => Some(Answer::Chosen(value.as_array()?.iter().filter_map(|i| i.as_str().map(str::to_string)).collect())),
            _ => None,
        }
    }

    /// The text of a text answer ("" for the others).
    pub fn text(&self) -> &str {
        match self {
            Answer::Text(s) => s,
            _ => "",
        }
    }
}

/// Matches a whole answer against a studio's pattern; None when the pattern itself is broken
/// (then the rule is not applied: the studio's mistake must not stop a booking).
pub type PatternMatcher<'a> = &'a dyn Fn(&str, &str) -> Option<bool>;

/// A plausible e-mail address: one @, something before it, a dotted domain, no spaces.
pub fn is_email(s: &str) -> bool {
    let s = s.trim();
    let Some((local, domain)) = s.split_once('@') else {
        return false;
    };
    s.len() <= 254
        && !s.chars().any(char::is_whitespace)
        && !local.is_empty()
        && !domain.contains('@')
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !domain.contains("..")
}

/// A plausible phone number: 6 to 20 digits with spaces, dots, dashes, brackets, a leading +.
pub fn is_phone(s: &str) -> bool {
    let s = s.trim();
    let digits = s.chars().filter(char::is_ascii_digit).count();
    s.chars().enumerate().all(|(i, c)| c.is_ascii_digit() || matches!(c, ' ' | '-' | '.' | '(' | ')') || (c == '+' && i == 0))
        && (6..=20).contains(&digits)
}

/// Reads a date bound: "YYYY-MM-DD", "today", "+N days|weeks|months|years" (or minus).
pub fn date_bound(spec: &str, today: NaiveDate) -> Option<NaiveDate> {
    let spec = spec.trim();
    if spec.eq_ignore_ascii_case("today") {
        return Some(today);
    }
    if let Some(d) = crate::iso::parse_date(spec) {
        return Some(d);
    }
    let (n, unit) = spec.split_once(' ')?;
    let n: i64 = n.trim_start_matches('+').parse().ok()?;
    if n.abs() > 10_000 {
        return None;
    }
    let months = |m: i64| {
        let k = Months::new(u32::try_from(m.unsigned_abs()).ok()?);
        if m >= 0 {
            today.checked_add_months(k)
        } else {
            today.checked_sub_months(k)
        }
    };
    match unit.trim().trim_end_matches('s').to_ascii_lowercase().as_str() {
        "day" => today.checked_add_signed(Duration::days(n)),
        "week" => today.checked_add_signed(Duration::weeks(n)),
        "month" => months(n),
        "year" => months(n * 12),
        _ => None,
    }
    .filter(|d| d.year() > 0)
}

/// Checks one intake answer against its question's type and the studio's rules.
pub fn check_answer(field: &IntakeField, answer: Option<&Answer>, today: NaiveDate, matcher: PatternMatcher) -> Result<(), Problem> {
    let Some(answer) = answer.filter(|a| !a.is_blank()) else {
        return match (field.required, &field.field_type) {
            (false, _) => Ok(()),
            (true, FieldType::Checkbox) => Err(Problem::MustTick),
            (true, _) => Err(Problem::Required),
        };
    };
    let rules = &field.validation;
    match (&field.field_type, answer) {
        (FieldType::Checkbox, _) => Ok(()),
        (FieldType::MultiSelect, Answer::Chosen(items)) => {
            if !items.iter().all(|v| field.options.iter().any(|o| &o.value == v)) {
                return Err(Problem::NotAnOption);
            }
            let n = items.len() as u64;
            if let Some(min) = rules.min_length.filter(|&m| n < m) {
                return Err(Problem::TooFewChoices { min });
            }
            if let Some(max) = rules.max_length.filter(|&m| n > m) {
                return Err(Problem::TooManyChoices { max });
            }
            Ok(())
        }
        (FieldType::Select | FieldType::Radio, Answer::Text(v)) => {
            if field.options.iter().any(|o| &o.value == v) {
                Ok(())
            } else {
                Err(Problem::NotAnOption)
            }
        }
        (FieldType::Number, Answer::Text(v)) => {
            let n = crate::json::parse_number(v.trim()).ok_or(Problem::NotANumber)?;
            if let Some(min) = rules.min_value.filter(|&m| n < m) {
                return Err(Problem::BelowMinimum { min });
            }
            if let Some(max) = rules.max_value.filter(|&m| n > m) {
                return Err(Problem::AboveMaximum { max });
            }
            Ok(())
        }
        (FieldType::Date, Answer::Text(v)) => {
            let d = crate::iso::parse_date(v.trim()).ok_or(Problem::NotADate)?;
            if let Some(date) = rules.min_date.as_deref().and_then(|b| date_bound(b, today)).filter(|&m| d < m) {
                return Err(Problem::BeforeDate { date });
            }
            if let Some(date) = rules.max_date.as_deref().and_then(|b| date_bound(b, today)).filter(|&m| d > m) {
                return Err(Problem::AfterDate { date });
            }
            Ok(())
        }
        // Text, a text area, an e-mail address, a phone number, or a type not known yet.
        (kind, Answer::Text(v)) => {
            let v = v.trim();
            let len = v.chars().count() as u64;
            if let Some(min) = rules.min_length.filter(|&m| len < m) {
                return Err(Problem::TooShort { min });
            }
            if let Some(max) = rules.max_length.filter(|&m| len > m) {
                return Err(Problem::TooLong { max });
            }
            if *kind == FieldType::Email && !is_email(v) {
                return Err(Problem::NotAnEmail);
            }
            if *kind == FieldType::Phone && !is_phone(v) {
                return Err(Problem::NotAPhone);
            }
            if let Some(pattern) = rules.pattern.as_deref().filter(|p| !p.is_empty()) {
                if matcher(pattern, v) == Some(false) {
                    return Err(Problem::WrongFormat);
                }
            }
            Ok(())
        }
        // An answer of the wrong shape for its field (cannot come from the form).
        _ => Err(Problem::Required),
    }
}

/// The visitor's own details.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ClientDetails {
    pub first_name: String,
    pub last_name: String,
    pub email: String,
    pub phone: String,
}

/// The keys of the visitor's own fields, as the contract's 422 details name them.
pub const FIRST_NAME: &str = "client.first_name";
pub const LAST_NAME: &str = "client.last_name";
pub const EMAIL: &str = "client.email";
pub const PHONE: &str = "client.phone";

/// The key of an intake answer ("answers.q1").
pub fn answer_key(field_id: &str) -> String {
    format!("answers.{field_id}")
}

/// The longest name the studio takes, in characters.
pub const NAME_MAX: u64 = 100;

/// Checks one of the visitor's own fields by key.
pub fn check_client_field(key: &str, details: &ClientDetails) -> Result<(), Problem> {
    let required = |v: &str, missing: Problem| {
        if v.trim().is_empty() {
            Err(missing)
        } else {
            Ok(())
        }
    };
    match key {
        FIRST_NAME => required(&details.first_name, Problem::FirstNameMissing).and_then(|_| max_len(&details.first_name)),
        LAST_NAME => required(&details.last_name, Problem::LastNameMissing).and_then(|_| max_len(&details.last_name)),
        EMAIL => {
            required(&details.email, Problem::EmailMissing).and_then(|_| if is_email(&details.email) { Ok(()) } else { Err(Problem::NotAnEmail) })
        }
        PHONE => {
            if details.phone.trim().is_empty() || is_phone(&details.phone) {
                Ok(())
            } else {
                Err(Problem::NotAPhone)
            }
        }
        _ => Ok(()),
    }
}

fn max_len(v: &str) -> Result<(), Problem> {
    if v.trim().chars().count() as u64 > NAME_MAX {
        Err(Problem::TooLong { max: NAME_MAX })
    } else {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::models::{FieldOption, Validation};

    fn kind_of(name: &str) -> FieldType {
        FieldType::parse(name)
    }

    fn field(kind: &str, required: bool, validation: Validation) -> IntakeField {
        IntakeField {
            id: "q".into(),
            order: 1,
            question_text: "Q".into(),
            field_type: kind_of(kind),
            required,
            description: None,
            placeholder: None,
            options: ["a", "b"].iter().map(|v| FieldOption { value: v.to_string(), label: v.to_uppercase() }).collect(),
            validation,
        }
    }

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2025, 8, 7).unwrap()
    }

    fn no_pattern(_: &str, _: &str) -> Option<bool> {
        None
    }

    fn t(s: &str) -> Answer {
        Answer::Text(s.into())
    }

    #[test]
    fn required_and_blank() {
        let f = field("text", true, Validation::default());
        assert!(check_answer(&f, None, today(), &no_pattern).is_err());
        assert!(check_answer(&f, Some(&t("   ")), today(), &no_pattern).is_err());
        assert!(check_answer(&field("text", false, Validation::default()), None, today(), &no_pattern).is_ok());
        let cb = field("checkbox", true, Validation::default());
        assert_eq!(check_answer(&cb, Some(&Answer::Checked(false)), today(), &no_pattern), Err(Problem::MustTick));
        assert!(check_answer(&cb, Some(&Answer::Checked(true)), today(), &no_pattern).is_ok());
    }

    #[test]
    fn rules_by_type() {
        let len = field("textarea", false, Validation { min_length: Some(3), max_length: Some(5), ..Default::default() });
        assert!(check_answer(&len, Some(&t("ab")), today(), &no_pattern).is_err());
        assert!(check_answer(&len, Some(&t("abcdef")), today(), &no_pattern).is_err());
        assert!(check_answer(&len, Some(&t("éèê")), today(), &no_pattern).is_ok());
        let num = field("number", false, Validation { min_value: Some(1.0), max_value: Some(12.0), ..Default::default() });
        assert!(check_answer(&num, Some(&t("0")), today(), &no_pattern).is_err());
        assert!(check_answer(&num, Some(&t("13")), today(), &no_pattern).is_err());
        assert!(check_answer(&num, Some(&t("x")), today(), &no_pattern).is_err());
        assert!(check_answer(&num, Some(&t("NaN")), today(), &no_pattern).is_err());
        assert!(check_answer(&num, Some(&t(" 4 ")), today(), &no_pattern).is_ok());
        let date = field("date", false, Validation { min_date: Some("today".into()), max_date: Some("+1 year".into()), ..Default::default() });
        assert!(check_answer(&date, Some(&t("2025-08-06")), today(), &no_pattern).is_err());
        assert!(check_answer(&date, Some(&t("2026-08-08")), today(), &no_pattern).is_err());
        assert!(check_answer(&date, Some(&t("2025-02-30")), today(), &no_pattern).is_err());
        assert!(check_answer(&date, Some(&t("2026-08-07")), today(), &no_pattern).is_ok());
        let sel = field("select", true, Validation::default());
        assert!(check_answer(&sel, Some(&t("z")), today(), &no_pattern).is_err());
        assert!(check_answer(&sel, Some(&t("a")), today(), &no_pattern).is_ok());
        // Each problem names its rule, for words with the number or date in them.
        assert_eq!(check_answer(&num, Some(&t("0")), today(), &no_pattern), Err(Problem::BelowMinimum { min: 1.0 }));
        assert_eq!(check_answer(&num, Some(&t("x")), today(), &no_pattern), Err(Problem::NotANumber));
        assert_eq!(check_answer(&date, Some(&t("2025-08-06")), today(), &no_pattern), Err(Problem::BeforeDate { date: today() }));
        assert_eq!(check_answer(&len, Some(&t("abcdef")), today(), &no_pattern), Err(Problem::TooLong { max: 5 }));
        assert_eq!(check_answer(&sel, Some(&t("z")), today(), &no_pattern), Err(Problem::NotAnOption));
        let multi = field("multi_select", true, Validation { min_length: Some(1), max_length: Some(1), ..Default::default() });
        assert_eq!(
            check_answer(&multi, Some(&Answer::Chosen(vec!["a".into(), "b".into()])), today(), &no_pattern),
            Err(Problem::TooManyChoices { max: 1 })
        );
        let two = field("multi_select", false, Validation { min_length: Some(2), ..Default::default() });
        assert_eq!(check_answer(&two, Some(&Answer::Chosen(vec!["a".into()])), today(), &no_pattern), Err(Problem::TooFewChoices { min: 2 }));
        assert!(check_answer(&multi, Some(&Answer::Chosen(vec![])), today(), &no_pattern).is_err());
        assert!(check_answer(&multi, Some(&Answer::Chosen(vec!["a".into(), "b".into()])), today(), &no_pattern).is_err());
        let email = field("email", false, Validation::default());
        assert!(check_answer(&email, Some(&t("a@b")), today(), &no_pattern).is_err());
        let unknown = field("social_handle", false, Validation { pattern: Some("@?\\w+".into()), ..Default::default() });
        let matcher = |p: &str, v: &str| Some(p == "@?\\w+" && !v.contains(' '));
        assert!(check_answer(&unknown, Some(&t("@ana")), today(), &matcher).is_ok());
        assert_eq!(check_answer(&unknown, Some(&t("a b")), today(), &matcher), Err(Problem::WrongFormat));
        // A broken pattern is the studio's mistake: not applied.
        assert!(check_answer(&unknown, Some(&t("a b")), today(), &no_pattern).is_ok());
    }

    #[test]
    fn client_fields() {
        let mut d = ClientDetails::default();
        assert_eq!(check_client_field(FIRST_NAME, &d), Err(Problem::FirstNameMissing));
        assert_eq!(check_client_field(EMAIL, &d), Err(Problem::EmailMissing));
        assert!(check_client_field(EMAIL, &d).is_err());
        assert!(check_client_field(PHONE, &d).is_ok());
        d.first_name = "Ana".into();
        d.email = "ana@example".into();
        d.phone = "12".into();
        assert!(check_client_field(FIRST_NAME, &d).is_ok());
        assert_eq!(check_client_field(EMAIL, &d), Err(Problem::NotAnEmail));
        assert!(check_client_field(PHONE, &d).is_err());
        d.email = "ana@example.com".into();
        d.phone = "+44 20 7946 0958".into();
        assert!(check_client_field(EMAIL, &d).is_ok() && check_client_field(PHONE, &d).is_ok());
        assert_eq!(date_bound("-18 years", today()), NaiveDate::from_ymd_opt(2007, 8, 7));
        assert_eq!(date_bound("soon", today()), None);
    }
}
