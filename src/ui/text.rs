//! The sentences that put the booking core's typed outcomes (a field's [`Problem`], a step's
//! [`Notice`], an [`ApiError`]) and the widget's facts (a step, a length of time, a session's
//! date and zone) into the visitor's language. The words themselves are the catalogues'
//! (i18n/, read through [`Words`]); the core and the API client return data, and only the
//! views call these.

use crate::core::flow::manage::ManageRefusal;
use crate::core::flow::Step;
use crate::core::models::SessionType;
use crate::core::outcome::{ApiError, Failure, Notice};
use crate::core::validation::Problem;
use crate::intl;
use crate::intl::words::{Msg, Words};

/// The step's name in the step indicator.
pub fn step_label(w: Words, step: Step) -> &'static str {
    w.text(match step {
        Step::SessionType => Msg::StepSession,
        Step::DateTime => Msg::StepDateTime,
        Step::Details => Msg::StepDetails,
        Step::Payment => Msg::StepPayment,
        Step::Contract => Msg::StepContract,
        Step::Review => Msg::StepReview,
        Step::Booked => Msg::StepBooked,
        Step::Manage => Msg::HeadingManage,
    })
}

/// What the heading of a step's screen depends on besides the step.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct HeadingCase {
    /// The studio has still to confirm the session (a request, not a booking).
    pub request: bool,
    /// A managed session is being moved (its review confirms the new time).
    pub moving: bool,
    /// The managed session is cancelled.
    pub cancelled: bool,
}

/// The heading of a step's screen.
pub fn step_heading(w: Words, step: Step, case: HeadingCase) -> &'static str {
    w.text(match step {
        Step::Booked if case.request => Msg::HeadingRequestSent,
        Step::Review if case.moving => Msg::HeadingMove,
        Step::Manage if case.cancelled => Msg::HeadingCancelled,
        Step::Contract => Msg::HeadingContract,
        Step::Manage => Msg::HeadingManage,
        Step::SessionType => Msg::HeadingSession,
        Step::DateTime => Msg::HeadingDateTime,
        Step::Details => Msg::HeadingDetails,
        Step::Payment => Msg::HeadingPayment,
        Step::Review => Msg::HeadingReview,
        Step::Booked => Msg::HeadingBooked,
    })
}

/// Whether the language writes the family name first (Japanese): the details step asks for
/// it first too.
pub fn family_name_first(w: Words) -> bool {
    w.language() == "ja"
}

/// A person's name as the language writes it.
pub fn full_name(w: Words, first: &str, last: &str) -> String {
    let (first, last) = (first.trim(), last.trim());
    if family_name_first(w) {
        format!("{last} {first}")
    } else {
        format!("{first} {last}")
    }
}

/// How long a session lasts, in words ("1 hour, 30 minutes").
pub fn duration(w: Words, minutes: u64) -> String {
    intl::format_duration(minutes, w.locale())
}

/// A person's name or the studio's own words (a session type, a payment method, tax names) to
/// go into a sentence: isolated (FSI … PDI), since its direction is its own, not the
/// sentence's ("Signed by محمد, 2 December"). A right-to-left sentence isolates every value
/// itself ([`Words::fill`]). (Here, not in `Words`: only the later steps' files carry it.)
pub fn own(w: Words, words: &str) -> String {
    if w.rtl() {
        words.to_string()
    } else {
        format!("\u{2068}{words}\u{2069}")
    }
}

/// A session type's name and length: "Family Portrait Session · 1 hour".
pub fn session_line(w: Words, name: &str, minutes: u64) -> String {
    w.fill(Msg::SessionLine, &[("session", &own(w, name)), ("duration", &duration(w, minutes))])
}

/// Who signed the studio's contract, and when (`date`: "" when the studio did not say).
pub fn signed_by(w: Words, name: &str, date: &str) -> String {
    w.fill(Msg::ContractSignedBy, &[("name", &own(w, name)), ("date", date)])
}

/// An amount, or "Free" when it is nothing.
pub fn price(w: Words, minor: u64, currency: &str) -> String {
    if minor == 0 {
        w.text(Msg::Free).into()
    } else {
        intl::format_money(minor, currency, w.locale())
    }
}

/// The price line of a session type: "£250.00 · £75.00 deposit", the price "paid at the
/// session" when nothing is collected online, or "Free".
pub fn price_line(w: Words, t: &SessionType) -> String {
    let full = price(w, t.payment_amount_full, &t.currency);
    match (t.payment_amount_full, t.collect_payment, t.payment_amount_partial) {
        (0, _, _) => full,
        (_, false, _) => w.fill(Msg::PricePaidAtSession, &[("price", &full)]),
        (_, true, Some(deposit)) if deposit > 0 && deposit < t.payment_amount_full => {
            w.fill(Msg::PriceWithDeposit, &[("price", &full), ("deposit", &price(w, deposit, &t.currency))])
        }
        (_, true, _) => full,
    }
}

/// A zone as people name it, with its offset at an instant: "Nepal Time (GMT+5:45)".
pub fn zone_label(w: Words, zone: &str, at_ms: f64) -> String {
    let (name, offset) = intl::zone_name_and_offset(zone, w.locale(), at_ms);
    // A zone the locale has no name for is named by its offset ("UTC+03:00"): once is enough.
    let before_sign = |s: &str| s.split(['+', '-', '\u{2212}']).next().unwrap_or("").to_string();
    if name == offset || before_sign(&name) == before_sign(&offset) {
        name
    } else {
        w.fill(Msg::ZoneNameOffset, &[("name", &name), ("offset", &offset)])
    }
}

/// A session's date and time in a zone, the one way every screen writes it (the locale's
/// full date and short time, with the end as a range when given), followed by the zone's
/// name when `show_zone`.
pub fn when(w: Words, start: &str, end: Option<&str>, zone: &str, show_zone: bool) -> String {
    let time = intl::format_date_time(start, end, zone, w.locale());
    if !show_zone {
        return time;
    }
    let at = intl::instant_ms(start).unwrap_or_else(intl::now_ms);
    w.fill(Msg::TimeInZone, &[("time", &time), ("zone", &zone_label(w, zone, at))])
}

/// What is wrong with a field, as the message beside it.
pub fn problem(w: Words, p: &Problem) -> String {
    let number = |n: f64| intl::format_number(n, w.locale());
    let date = |d| intl::format_long_date(d, w.locale());
    match p {
        Problem::Required => w.text(Msg::ProblemRequired).into(),
        Problem::MustTick => w.text(Msg::ProblemTick).into(),
        Problem::TooFewChoices { min } => w.count(Msg::ProblemTooFewChoices, *min),
        Problem::TooManyChoices { max } => w.count(Msg::ProblemTooManyChoices, *max),
        Problem::NotAnOption => w.text(Msg::ProblemNotAnOption).into(),
        Problem::NotANumber => w.text(Msg::ProblemNotANumber).into(),
        Problem::BelowMinimum { min } => w.fill(Msg::ProblemBelowMinimum, &[("number", &number(*min))]),
        Problem::AboveMaximum { max } => w.fill(Msg::ProblemAboveMaximum, &[("number", &number(*max))]),
        Problem::NotADate => w.text(Msg::ProblemNotADate).into(),
        Problem::BeforeDate { date: d } => w.fill(Msg::ProblemBeforeDate, &[("date", &date(*d))]),
        Problem::AfterDate { date: d } => w.fill(Msg::ProblemAfterDate, &[("date", &date(*d))]),
        Problem::TooShort { min } => w.count(Msg::ProblemTooShort, *min),
        Problem::TooLong { max } => w.count(Msg::ProblemTooLong, *max),
        Problem::NotAnEmail => w.text(Msg::ProblemEmail).into(),
        Problem::NotAPhone => w.text(Msg::ProblemPhone).into(),
        Problem::WrongFormat => w.text(Msg::ProblemFormat).into(),
        Problem::FirstNameMissing => w.text(Msg::ProblemFirstName).into(),
        Problem::LastNameMissing => w.text(Msg::ProblemLastName).into(),
        Problem::EmailMissing => w.text(Msg::ProblemEmailMissing).into(),
        Problem::NoPaymentMethod => w.text(Msg::ProblemPaymentMethod).into(),
        Problem::NoPaymentOption => w.text(Msg::ProblemPaymentOption).into(),
        Problem::PoliciesNotAccepted => w.text(Msg::ProblemPolicies).into(),
        Problem::SignatureMissing => w.text(Msg::ProblemSignature).into(),
        Problem::ContractNotAgreed => w.text(Msg::ProblemContractAgree).into(),
        Problem::CouponNotAccepted => w.text(Msg::ProblemCoupon).into(),
        Problem::CouponNotFound => w.text(Msg::ProblemCouponNotFound).into(),
        Problem::CouponExpired => w.text(Msg::ProblemCouponExpired).into(),
        Problem::CouponUsedUp => w.text(Msg::ProblemCouponUsedUp).into(),
        Problem::CouponNotChecked => w.text(Msg::ProblemCouponNotChecked).into(),
        // The studio's own words, as it wrote them.
        Problem::Studio(message) => message.clone(),
    }
}

/// What went wrong asking the studio, for the visitor.
pub fn api_error(w: Words, e: &ApiError) -> String {
    let message = match e {
        ApiError::Network => Msg::ErrorNetwork,
        ApiError::Timeout => Msg::ErrorTimeout,
        ApiError::Busy { .. } => Msg::ErrorBusy,
        // The studio's own words, as it wrote them.
        ApiError::Refused { message, .. } if !message.is_empty() => return message.clone(),
        ApiError::Refused { status: 404, .. } => Msg::ErrorNotFound,
        ApiError::Refused { status, .. } if *status >= 500 => Msg::ErrorStudioFailed,
        ApiError::Refused { .. } => Msg::ErrorRefused,
        ApiError::Unreadable => Msg::ErrorUnreadable,
        ApiError::NoStudio => Msg::ErrorNoStudio,
        ApiError::Cancelled => Msg::ErrorCancelled,
    };
    w.text(message).into()
}

/// Why a booking was not made.
pub fn failure(w: Words, f: &Failure) -> String {
    match f {
        Failure::Offline => w.text(Msg::FailureOffline).into(),
        Failure::NotConfirmed => w.text(Msg::FailureNotConfirmed).into(),
        Failure::SessionTypeGone => w.text(Msg::FailureTypeGone).into(),
        Failure::Api(e) => api_error(w, e),
    }
}

/// An instant the studio gave (a deadline, a signature's time) as a date and time in `zone`.
pub fn instant(w: Words, at: &str, zone: &str) -> String {
    intl::format_date_time(at, None, zone, w.locale())
}

/// Why the studio refused to show, move or cancel a managed session.
pub fn manage_refusal(w: Words, r: &ManageRefusal, zone: &str) -> String {
    match r {
        ManageRefusal::WrongLink => w.text(Msg::RefusalWrongLink).into(),
        ManageRefusal::TooLate { deadline: Some(d) } => w.fill(Msg::RefusalTooLate, &[("date", &instant(w, d, zone))]),
        ManageRefusal::TooLate { deadline: None } => w.text(Msg::RefusalTooLatePlain).into(),
        ManageRefusal::NotAllowed => w.text(Msg::RefusalNotAllowed).into(),
        ManageRefusal::LimitReached => w.text(Msg::RefusalLimit).into(),
        ManageRefusal::SlotTaken => w.text(Msg::NoticeSlotTaken).into(),
        ManageRefusal::AlreadyCancelled => w.text(Msg::RefusalAlreadyCancelled).into(),
        ManageRefusal::Failed(f) => failure(w, f),
    }
}

/// A step's notice.
pub fn notice(w: Words, n: &Notice) -> String {
    match n {
        Notice::SlotTaken => w.text(Msg::NoticeSlotTaken).into(),
        Notice::FixAndRetry => w.text(Msg::NoticeFixAndRetry).into(),
        Notice::ChooseATime => w.text(Msg::NoticeChooseATime).into(),
        Notice::BookingFailed(f) => failure(w, f),
    }
}
