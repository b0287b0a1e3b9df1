//! Every word the visitor reads, in one place: the labels, and the sentences that put the
//! booking core's typed outcomes (a field's [`Problem`], a step's [`Notice`], an
//! [`ApiError`]) into words. The core and the API client return data; only the views call
//! these.

use crate::core::flow::Step;
use crate::core::json::number_text;
use crate::core::outcome::{ApiError, Failure, Notice};
use crate::core::validation::Problem;

pub const STEP_SESSION: &str = "Session";
pub const STEP_DATE_TIME: &str = "Date & time";
pub const STEP_DETAILS: &str = "Details";
pub const STEP_PAYMENT: &str = "Payment";
pub const STEP_REVIEW: &str = "Review";
pub const STEP_BOOKED: &str = "Booked";
pub const STEPS_LABEL: &str = "Booking steps";

pub const CHOOSE_SESSION: &str = "Choose a session";
pub const LOADING_SESSIONS: &str = "Loading the studio's sessions…";
pub const STILL_LOADING: &str = "Still waiting for the studio…";
pub const NO_SESSIONS: &str = "This studio has no sessions open for booking right now.";
pub const DEPOSIT: &str = "deposit";
pub const PAY_LATER: &str = "paid at the session";
pub const RETRY: &str = "Try again";
pub const RETRYING: &str = "Trying again…";

pub const MINUTES_SHORT: &str = "min";
pub const HOUR: &str = "hour";
pub const HOURS: &str = "hours";

pub const ERR_REQUIRED: &str = "Please answer this question.";
pub const ERR_TICK: &str = "Please tick this box to continue.";
pub const ERR_CHOOSE_AT_LEAST: &str = "Please choose at least";
pub const ERR_CHOOSE_AT_MOST: &str = "Please choose at most";
pub const ERR_CHOOSE_ONE: &str = "Please choose one of the options.";
pub const ERR_NUMBER: &str = "Please enter a number.";
pub const ERR_ENTER: &str = "Please enter";
pub const ERR_OR_MORE: &str = "or more.";
pub const ERR_OR_LESS: &str = "or less.";
pub const ERR_DATE: &str = "Please enter a date.";
pub const ERR_CHOOSE: &str = "Please choose";
pub const ERR_OR_LATER: &str = "or later.";
pub const ERR_OR_EARLIER: &str = "or earlier.";
pub const ERR_AT_LEAST: &str = "Please enter at least";
pub const ERR_AT_MOST: &str = "Please enter at most";
pub const ERR_CHARACTERS: &str = "characters.";
pub const ERR_EMAIL: &str = "Please enter an e-mail address like name@example.com.";
pub const ERR_EMAIL_MISSING: &str = "Please enter your e-mail address.";
pub const ERR_PHONE: &str = "Please enter a phone number, or leave it empty.";
pub const ERR_FORMAT: &str = "Please check the format of this answer.";
pub const ERR_FIRST_NAME: &str = "Please enter your first name.";
pub const ERR_LAST_NAME: &str = "Please enter your last name.";
pub const ERR_PAYMENT_METHOD: &str = "Please choose how you would like to pay.";
pub const ERR_PAYMENT_OPTION: &str = "Please choose to pay in full or a deposit.";
pub const ERR_POLICIES: &str = "Please read and agree to the studio's policies to book.";
pub const SLOT_TAKEN: &str = "Sorry, that time was just taken. Here are the times still open; everything you typed is kept.";
pub const FIX_AND_RETRY: &str = "The studio asked for a few changes. Please check the highlighted answers.";
pub const CHOOSE_A_TIME: &str = "Please choose a time to continue.";
pub const CONTINUE: &str = "Continue";
pub const BACK: &str = "Back";
pub const BOOK: &str = "Book this session";
pub const BOOKING_NOW: &str = "Booking…";
pub const YOUR_CHOICE: &str = "Your choice";
pub const CHANGE_SESSION: &str = "Change session";
pub const CHANGE_TIME: &str = "Change date or time";
pub const TYPE_GONE: &str = "This session type is no longer open for booking.";
pub const BOOKING_OFFLINE: &str =
    "You seem to be offline, so the booking was not sent. Everything you typed is kept: book again once you are back online.";
pub const BOOKING_NOT_CONFIRMED: &str = "We couldn't confirm your booking: the connection dropped. Please try again; you will not be booked twice.";
pub const PREVIOUS_MONTH: &str = "Previous month";
pub const NEXT_MONTH: &str = "Next month";
pub const NO_TIMES_THAT_DAY: &str = "No times are left on this day. Please choose another.";
pub const TIMES: &str = "Times";
pub const TIMES_IN: &str = "Times in";
pub const STUDIO_IN: &str = "studio in";
pub const CHANGE_ZONE: &str = "Change time zone";
pub const TIME_ZONE: &str = "Time zone";
pub const UNKNOWN_ZONE: &str = "is not a time zone we know. Try a city, like Europe/Paris.";
pub const CHOOSE_DATE_TIME: &str = "Choose a date and time";
pub const LOADING_DAYS: &str = "Finding open days…";
pub const LOADING_TIMES: &str = "Finding open times…";
pub const LOADING_STEP: &str = "Loading this step…";
pub const STEP_NOT_LOADED: &str = "We couldn't load this step: the connection dropped. Everything you chose and typed is kept: please try again.";
pub const NO_OPENINGS_IN: &str = "No openings in";
pub const NEXT_OPENING: &str = "The next opening is";
pub const SHOW_NEXT_OPENING: &str = "Show the next opening";
pub const NO_LATER_OPENINGS: &str = "There are no later openings yet.";
pub const PICK_A_DAY: &str = "Choose a day to see its times.";
pub const FIRST_NAME: &str = "First name";
pub const LAST_NAME: &str = "Last name";
pub const EMAIL: &str = "Email";
pub const PHONE: &str = "Phone";
pub const OPTIONAL: &str = " (optional)";
pub const CHOOSE_PLACEHOLDER: &str = "Choose…";
pub const DEPOSIT_LABEL: &str = "Deposit";
pub const PRICE: &str = "Price";
pub const DUE_NOW: &str = "Due now";
pub const INCLUDES: &str = "Prices include";
pub const HOW_TO_PAY: &str = "How would you like to pay?";
pub const HOW_MUCH: &str = "How much now?";
pub const PAY_IN_FULL: &str = "Pay in full";
pub const PAY_DEPOSIT: &str = "Pay deposit";
pub const WHERE: &str = "Where";
pub const NAME: &str = "Name";
pub const POLICIES: &str = "The studio's policies";
pub const AGREE: &str = "I have read and agree to the studio's policies";
pub const REQUEST_SENT: &str = "Request sent! The studio will confirm your date shortly.";
pub const YOU_ARE_BOOKED: &str = "You're booked! Add the session to your calendar so you don't miss it.";
pub const WHEN: &str = "When";
pub const STUDIO_TIME: &str = "Studio's time";
pub const REFERENCE: &str = "Reference";
pub const PAY_NOW: &str = "Pay now";
pub const ADD_ICS: &str = "Add to calendar (.ics)";
pub const ADD_GOOGLE: &str = "Add to Google Calendar";
pub const BOOK_ANOTHER: &str = "Book another session";
pub const YOUR_DETAILS: &str = "Your details";
pub const REVIEW_AND_BOOK: &str = "Review and book";
pub const OPEN_BOOKING: &str = "Book a session";
pub const CLOSE: &str = "Close";

/// The step's name in the step indicator.
pub fn step_label(step: Step) -> &'static str {
    match step {
        Step::SessionType => STEP_SESSION,
        Step::DateTime => STEP_DATE_TIME,
        Step::Details => STEP_DETAILS,
        Step::Payment => STEP_PAYMENT,
        Step::Review => STEP_REVIEW,
        Step::Booked => STEP_BOOKED,
    }
}

/// The heading of a step's screen.
pub fn step_heading(step: Step) -> &'static str {
    match step {
        Step::SessionType => CHOOSE_SESSION,
        Step::DateTime => CHOOSE_DATE_TIME,
        Step::Details => YOUR_DETAILS,
        Step::Payment => STEP_PAYMENT,
        Step::Review => REVIEW_AND_BOOK,
        Step::Booked => STEP_BOOKED,
    }
}

/// How long a session lasts: "20 min", "1 hour", "1 h 30 min", "8 hours".
pub fn duration(minutes: u64) -> String {
    let (h, m) = (minutes / 60, minutes % 60);
    match (h, m) {
        (0, m) => format!("{m} {MINUTES_SHORT}"),
        (1, 0) => format!("1 {HOUR}"),
        (h, 0) => format!("{h} {HOURS}"),
        (h, m) => format!("{h} h {m} {MINUTES_SHORT}"),
    }
}

/// A session type's name and length: "Family Portrait Session · 1 hour".
pub fn session_line(name: &str, minutes: u64) -> String {
    format!("{name} · {}", duration(minutes))
}

/// A session's date and time in a zone, the one way every screen writes it: "Thursday 7
/// August 2025, 09:00", with the end ("09:00–10:00") when given, and the zone's name
/// ("(Europe/London)") when `show_zone`.
pub fn when(start: &str, end: Option<&str>, zone: &str, locale: &str, show_zone: bool) -> String {
    let date = crate::intl::date_in(start, zone).map(|d| crate::intl::format_long_date(d, locale)).unwrap_or_default();
    let mut line = format!("{date}, {}", crate::intl::format_time(start, zone, locale));
    if let Some(end) = end {
        line.push('–');
        line.push_str(&crate::intl::format_time(end, zone, locale));
    }
    if show_zone {
        line.push_str(&format!(" ({zone})"));
    }
    line
}

/// What is wrong with a field, as the message beside it.
pub fn problem(p: &Problem) -> String {
    match p {
        Problem::Required => ERR_REQUIRED.into(),
        Problem::MustTick => ERR_TICK.into(),
        Problem::TooFewChoices { min } => format!("{ERR_CHOOSE_AT_LEAST} {min}."),
        Problem::TooManyChoices { max } => format!("{ERR_CHOOSE_AT_MOST} {max}."),
        Problem::NotAnOption => ERR_CHOOSE_ONE.into(),
        Problem::NotANumber => ERR_NUMBER.into(),
        Problem::BelowMinimum { min } => format!("{ERR_ENTER} {} {ERR_OR_MORE}", number_text(*min)),
        Problem::AboveMaximum { max } => format!("{ERR_ENTER} {} {ERR_OR_LESS}", number_text(*max)),
        Problem::NotADate => ERR_DATE.into(),
        Problem::BeforeDate { date } => format!("{ERR_CHOOSE} {} {ERR_OR_LATER}", crate::core::iso::format_date(*date)),
        Problem::AfterDate { date } => format!("{ERR_CHOOSE} {} {ERR_OR_EARLIER}", crate::core::iso::format_date(*date)),
        Problem::TooShort { min } => format!("{ERR_AT_LEAST} {min} {ERR_CHARACTERS}"),
        Problem::TooLong { max } => format!("{ERR_AT_MOST} {max} {ERR_CHARACTERS}"),
        Problem::NotAnEmail => ERR_EMAIL.into(),
        Problem::NotAPhone => ERR_PHONE.into(),
        Problem::WrongFormat => ERR_FORMAT.into(),
        Problem::FirstNameMissing => ERR_FIRST_NAME.into(),
        Problem::LastNameMissing => ERR_LAST_NAME.into(),
        Problem::EmailMissing => ERR_EMAIL_MISSING.into(),
        Problem::NoPaymentMethod => ERR_PAYMENT_METHOD.into(),
        Problem::NoPaymentOption => ERR_PAYMENT_OPTION.into(),
        Problem::PoliciesNotAccepted => ERR_POLICIES.into(),
        Problem::Studio(message) => message.clone(),
    }
}

/// What went wrong asking the studio, for the visitor.
pub fn api_error(e: &ApiError) -> String {
    match e {
        ApiError::Network => "We couldn't reach the studio. Check your connection and try again.".into(),
        ApiError::Timeout => "The studio is taking too long to answer. Please try again.".into(),
        ApiError::Busy { .. } => "The studio is busy right now. Please try again in a moment.".into(),
        ApiError::Refused { message, .. } if !message.is_empty() => message.clone(),
        ApiError::Refused { status: 404, .. } => "That session type is not available for booking.".into(),
        ApiError::Refused { status, .. } if *status >= 500 => "Something went wrong at the studio. Please try again.".into(),
        ApiError::Refused { .. } => "The studio could not accept that request.".into(),
        ApiError::Unreadable => "The studio sent an answer we couldn't read. Please try again.".into(),
        ApiError::NoStudio => "This booking widget has no studio address (api-base).".into(),
        ApiError::Cancelled => "The request was cancelled.".into(),
    }
}

/// Why a booking was not made.
pub fn failure(f: &Failure) -> String {
    match f {
        Failure::Offline => BOOKING_OFFLINE.into(),
        Failure::NotConfirmed => BOOKING_NOT_CONFIRMED.into(),
        Failure::SessionTypeGone => TYPE_GONE.into(),
        Failure::Api(e) => api_error(e),
    }
}

/// A step's notice.
pub fn notice(n: &Notice) -> String {
    match n {
        Notice::SlotTaken => SLOT_TAKEN.into(),
        Notice::FixAndRetry => FIX_AND_RETRY.into(),
        Notice::ChooseATime => CHOOSE_A_TIME.into(),
        Notice::BookingFailed(f) => failure(f),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_read_naturally() {
        assert_eq!(duration(20), "20 min");
        assert_eq!(duration(60), "1 hour");
        assert_eq!(duration(90), "1 h 30 min");
        assert_eq!(duration(480), "8 hours");
        assert_eq!(duration(0), "0 min");
    }

    #[test]
    fn problems_and_errors_in_words() {
        assert_eq!(problem(&Problem::TooFewChoices { min: 2 }), "Please choose at least 2.");
        assert_eq!(problem(&Problem::AboveMaximum { max: 12.5 }), "Please enter 12.5 or less.");
        assert_eq!(problem(&Problem::Studio("Nope".into())), "Nope");
        let refused = |status, message: &str| ApiError::Refused { status, code: String::new(), message: message.into(), details: Default::default() };
        assert_eq!(api_error(&refused(404, "")), "That session type is not available for booking.");
        assert_eq!(api_error(&refused(500, "")), "Something went wrong at the studio. Please try again.");
        assert_eq!(api_error(&refused(400, "Bad zone")), "Bad zone");
        assert_eq!(
            notice(&Notice::BookingFailed(Failure::Api(ApiError::Unreadable))),
            "The studio sent an answer we couldn't read. Please try again."
        );
    }
}
