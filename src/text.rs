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
