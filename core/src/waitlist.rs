//! The waitlist's rules every program shares: what a request to join a session type's
//! waitlist holds, and when it is whole (the widget checks it before sending, the gateway
//! again before keeping it). The gateway keeps the list; the Studio API has none.

use chrono::NaiveDate;

use crate::field_map::FieldMap;
use crate::json::Value;
use crate::models::SessionType;
use crate::validation::{is_email, is_phone, Problem};
use crate::{iso, object};

/// The request's keys, as the contract names them (and the details of a 422 with them).
pub const FIRST_NAME: &str = "first_name";
/// The last name (optional).
pub const LAST_NAME: &str = "last_name";
/// The e-mail address the confirmation and any offer go to.
pub const EMAIL: &str = "email";
/// The phone number (optional).
pub const PHONE: &str = "phone";
/// The days wanted (none: any day).
pub const DATES: &str = "dates";
/// The visitor's zone, in which the days are meant and the e-mails' times written.
pub const TIMEZONE: &str = "timezone";
/// The language the e-mails are written in.
pub const LANGUAGE: &str = "language";
/// The visitor's agreement to be e-mailed about this waitlist.
pub const CONSENT: &str = "consent";

/// The longest first or last name taken (characters).
pub const NAME_MAX: u64 = 120;
/// The longest e-mail address (characters).
pub const EMAIL_MAX: u64 = 254;
/// The longest phone number (characters).
pub const PHONE_MAX: u64 = 40;
/// The most days one may ask for at once.
pub const DATES_MAX: u64 = 31;

/// A request to join a session type's waitlist.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct JoinRequest {
    pub first_name: String,
    pub last_name: String,
    pub email: String,
    pub phone: Option<String>,
    /// The days wanted, in `timezone`; empty for any day the type is offered on.
    pub dates: Vec<NaiveDate>,
    pub timezone: String,
    pub language: String,
    pub consent: bool,
}

impl JoinRequest {
    /// The request as the contract's JSON (what the widget sends).
    pub fn to_json(&self) -> Value {
        let dates: Vec<Value> = self.dates.iter().map(|d| Value::String(iso::format_date(*d))).collect();
        object! {
            FIRST_NAME => self.first_name.trim(),
            LAST_NAME => self.last_name.trim(),
            EMAIL => self.email.trim(),
            PHONE => self.phone.as_deref().map(str::trim).filter(|p| !p.is_empty()),
            DATES => Value::Array(dates),
            TIMEZONE => self.timezone.as_str(),
            LANGUAGE => self.language.as_str(),
            CONSENT => self.consent,
        }
    }

    /// The request read from the contract's JSON; the problems of what is there but of
    /// another kind (a name that is a number, a date that is no date) are left to
    /// [`check_join`], which finds them missing or wrong.
    pub fn from_json(v: &Value) -> (JoinRequest, FieldMap<Problem>) {
        let mut problems = FieldMap::new();
        let text = |key: &str| v.get(key).and_then(Value::as_str).map(str::to_string).unwrap_or_default();
        let mut dates = Vec::new();
        match v.get(DATES) {
            None | Some(Value::Null) => {}
            Some(Value::Array(items)) => {
                for item in items {
                    match item.as_str().and_then(iso::parse_date) {
                        Some(d) if !dates.contains(&d) => dates.push(d),
                        Some(_) => {}
                        None => {
                            problems.insert(DATES.to_string(), Problem::NotADate);
                        }
                    }
                }
            }
            Some(_) => {
                problems.insert(DATES.to_string(), Problem::NotADate);
            }
        }
        dates.sort();
        let request = JoinRequest {
            first_name: text(FIRST_NAME),
            last_name: text(LAST_NAME),
            email: text(EMAIL),
            phone: v.get(PHONE).and_then(Value::as_str).map(str::to_string),
            dates,
            timezone: text(TIMEZONE),
            language: text(LANGUAGE),
            consent: v.get(CONSENT).and_then(Value::as_bool) == Some(true),
        };
        (request, problems)
    }
}

/// The days a session type may be wished for, seen from `today` in the visitor's zone: from
/// its minimum notice to its maximum notice (days), as its calendar offers them.
pub fn wishable_days(t: &SessionType, today: NaiveDate) -> (NaiveDate, NaiveDate) {
    let days = |n: u64| chrono::Days::new(n.min(3_650));
    let first = today.checked_add_days(days(t.minimum_notice_duration)).unwrap_or(today);
    let last = today.checked_add_days(days(t.maximum_notice_duration.max(t.minimum_notice_duration))).unwrap_or(first);
    (first, last)
}

/// Whether `tag` is written as a BCP 47 language tag (`fr`, `pt-BR`, `zh-Hant-TW`).
pub fn is_language_tag(tag: &str) -> bool {
    let mut parts = tag.split('-');
    let first = parts.next().unwrap_or("");
    tag.len() <= 35
        && (2..=3).contains(&first.len())
        && first.bytes().all(|b| b.is_ascii_alphabetic())
        && parts.all(|p| (1..=8).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_alphanumeric()))
}

/// What is wrong with a request to join, by the contract's keys: the days must fall within
/// `days` (from [`wishable_days`]); the zone is checked by `is_zone` (the widget's and the
/// gateway's own zone databases).
pub fn check_join(r: &JoinRequest, days: (NaiveDate, NaiveDate), is_zone: &dyn Fn(&str) -> bool) -> FieldMap<Problem> {
    let mut problems = FieldMap::new();
    let chars = |s: &str| s.trim().chars().count() as u64;
    let mut put = |key: &str, p: Problem| {
        problems.insert(key.to_string(), p);
    };
    if r.first_name.trim().is_empty() {
        put(FIRST_NAME, Problem::FirstNameMissing);
    } else if chars(&r.first_name) > NAME_MAX {
        put(FIRST_NAME, Problem::TooLong { max: NAME_MAX });
    }
    if chars(&r.last_name) > NAME_MAX {
        put(LAST_NAME, Problem::TooLong { max: NAME_MAX });
    }
    if r.email.trim().is_empty() {
        put(EMAIL, Problem::EmailMissing);
    } else if chars(&r.email) > EMAIL_MAX {
        put(EMAIL, Problem::TooLong { max: EMAIL_MAX });
    } else if !is_email(&r.email) {
        put(EMAIL, Problem::NotAnEmail);
    }
    if let Some(phone) = r.phone.as_deref().filter(|p| !p.trim().is_empty()) {
        if chars(phone) > PHONE_MAX {
            put(PHONE, Problem::TooLong { max: PHONE_MAX });
        } else if !is_phone(phone) {
            put(PHONE, Problem::NotAPhone);
        }
    }
    if r.dates.len() as u64 > DATES_MAX {
        put(DATES, Problem::TooManyChoices { max: DATES_MAX });
    } else if r.dates.iter().any(|d| *d < days.0) {
        put(DATES, Problem::BeforeDate { date: days.0 });
    } else if r.dates.iter().any(|d| *d > days.1) {
        put(DATES, Problem::AfterDate { date: days.1 });
    }
    if !is_zone(&r.timezone) {
        put(TIMEZONE, Problem::WrongFormat);
    }
    if !is_language_tag(&r.language) {
        put(LANGUAGE, Problem::WrongFormat);
    }
    if !r.consent {
        put(CONSENT, Problem::MustTick);
    }
    problems
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::json;

    fn day(s: &str) -> NaiveDate {
        iso::parse_date(s).unwrap()
    }

    fn whole() -> JoinRequest {
        JoinRequest {
            first_name: "Ana".into(),
            last_name: String::new(),
            email: "ana@example.com".into(),
            phone: None,
            dates: vec![day("2027-03-14")],
            timezone: "Pacific/Auckland".into(),
            language: "pt-BR".into(),
            consent: true,
        }
    }

    const WINDOW: (&str, &str) = ("2027-03-01", "2027-04-30");

    fn check(r: &JoinRequest) -> FieldMap<Problem> {
        check_join(r, (day(WINDOW.0), day(WINDOW.1)), &|z| z.contains('/'))
    }

    #[test]
    fn a_whole_request_goes_there_and_back_as_the_contracts_json() {
        let r = whole();
        assert!(check(&r).is_empty());
        let text = r.to_json().to_string();
        assert_eq!(
            text,
            r#"{"first_name":"Ana","last_name":"","email":"ana@example.com","phone":null,"dates":["2027-03-14"],"timezone":"Pacific/Auckland","language":"pt-BR","consent":true}"#
        );
        let (back, problems) = JoinRequest::from_json(&json::parse(&text).unwrap());
        assert!(problems.is_empty());
        assert_eq!(back, r);
    }

    #[test]
    fn what_is_missing_or_wrong_is_named_by_the_contracts_keys() {
        let r = JoinRequest {
            first_name: " ".into(),
            email: "ana@".into(),
            phone: Some("call me".into()),
            dates: vec![day("2027-02-27")],
            timezone: "Nowhere".into(),
            language: "english please".into(),
            consent: false,
            ..whole()
        };
        let p = check(&r);
        assert_eq!(p.get(FIRST_NAME), Some(&Problem::FirstNameMissing));
        assert_eq!(p.get(EMAIL), Some(&Problem::NotAnEmail));
        assert_eq!(p.get(PHONE), Some(&Problem::NotAPhone));
        assert_eq!(p.get(DATES), Some(&Problem::BeforeDate { date: day(WINDOW.0) }));
        assert_eq!(p.get(TIMEZONE), Some(&Problem::WrongFormat));
        assert_eq!(p.get(LANGUAGE), Some(&Problem::WrongFormat));
        assert_eq!(p.get(CONSENT), Some(&Problem::MustTick));
        let late = JoinRequest { dates: vec![day("2027-05-01")], ..whole() };
        assert_eq!(check(&late).get(DATES), Some(&Problem::AfterDate { date: day(WINDOW.1) }));
        let many = JoinRequest { dates: (1..=32).map(|n| day("2027-03-01") + chrono::Days::new(n)).collect(), ..whole() };
        assert_eq!(check(&many).get(DATES), Some(&Problem::TooManyChoices { max: DATES_MAX }));
        let long = JoinRequest { first_name: "é".repeat(121), ..whole() };
        assert_eq!(check(&long).get(FIRST_NAME), Some(&Problem::TooLong { max: NAME_MAX }));
    }

    #[test]
    fn days_are_read_as_dates_once_each_in_order_and_anything_else_is_not_a_date() {
        let (r, p) = JoinRequest::from_json(&json::parse(r#"{"dates":["2027-03-15","2027-03-14","2027-03-15"],"consent":"yes"}"#).unwrap());
        assert_eq!(r.dates, vec![day("2027-03-14"), day("2027-03-15")]);
        assert!(p.is_empty() && !r.consent);
        let (_, p) = JoinRequest::from_json(&json::parse(r#"{"dates":["2027-02-30"]}"#).unwrap());
        assert_eq!(p.get(DATES), Some(&Problem::NotADate));
        let (r, p) = JoinRequest::from_json(&json::parse(r#"{"dates":null}"#).unwrap());
        assert!(r.dates.is_empty() && p.is_empty(), "null: any day");
    }

    #[test]
    fn language_tags_and_the_days_a_type_may_be_wished_for() {
        for good in ["en", "pt-BR", "zh-Hant-TW", "nb"] {
            assert!(is_language_tag(good), "{good}");
        }
        for bad in ["", "e", "english", "en_GB", "en-", "<script>"] {
            assert!(!is_language_tag(bad), "{bad}");
        }
        let read = crate::object! { "id" => "set_A", "minimum_notice_duration" => 2, "maximum_notice_duration" => 60 };
        let t = <SessionType as crate::read::FromJson>::from_json(&read).unwrap();
        assert_eq!(wishable_days(&t, day("2027-03-01")), (day("2027-03-03"), day("2027-04-30")));
    }
}
