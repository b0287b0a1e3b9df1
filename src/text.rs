//! Every string the visitor reads, in one place, so a translation can be added.

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
pub const SELECTED: &str = "Selected";

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
