//! What the flow is told and what it answers: the steps, the visitor's details fields, why
//! a booking was refused, the [`Action`]s views send (and the later steps' [`Later`] ones),
//! and the [`Effect`]s the flow asks for.

use super::*;

/// The steps of a booking, in order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Step {
    SessionType,
    DateTime,
    Details,
    Payment,
    /// The studio's contract, read and signed (only for a session type that has one).
    Contract,
    Review,
    Booked,
    /// A booked session opened through its manage link.
    Manage,
}

impl Step {
    /// The steps shown in the step indicator (the confirmation is not one of them).
    pub const SHOWN: [Step; 6] = [Step::SessionType, Step::DateTime, Step::Details, Step::Payment, Step::Contract, Step::Review];

    /// Every step, in order.
    pub const ALL: [Step; 8] =
        [Step::SessionType, Step::DateTime, Step::Details, Step::Payment, Step::Contract, Step::Review, Step::Booked, Step::Manage];

    /// Its name in a kept draft.
    pub fn key(self) -> &'static str {
        match self {
            Step::SessionType => "SessionType",
            Step::DateTime => "DateTime",
            Step::Details => "Details",
            Step::Payment => "Payment",
            Step::Contract => "Contract",
            Step::Review => "Review",
            Step::Booked => "Booked",
            Step::Manage => "Manage",
        }
    }
}

/// One of the visitor's own fields.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ClientField {
    FirstName,
    LastName,
    Email,
    Phone,
}

impl ClientField {
    /// The key the contract's 422 details use for it.
    pub fn key(self) -> &'static str {
        match self {
            ClientField::FirstName => FIRST_NAME,
            ClientField::LastName => LAST_NAME,
            ClientField::Email => EMAIL,
            ClientField::Phone => PHONE,
        }
    }
}

/// Why a booking was not made.
#[derive(Debug, Clone, PartialEq)]
pub enum BookingRefusal {
    /// 409 slot_unavailable: someone else took the slot first.
    SlotTaken,
    /// 422 validation_failed: the studio's problems by field key ("client.email",
    /// "answers.q1", …).
    Invalid(FieldMap<Problem>),
    /// Anything else; the same attempt (and Idempotency-Key) may be tried again.
    Failed(Failure),
}

/// What the studio said of a coupon code: its discount, or why it is refused.
pub fn coupon_answer(answer: Result<Coupon, ApiError>) -> Result<Coupon, Problem> {
    answer.map_err(|e| match e {
        ApiError::Refused { status: 404, .. } => Problem::CouponNotFound,
        ApiError::Refused { ref code, .. } => Problem::of_coupon_code(code).unwrap_or(Problem::CouponNotChecked),
        _ => Problem::CouponNotChecked,
    })
}

impl BookingRefusal {
    /// What a booking's error means for the flow: a taken slot (409), the studio's problems
    /// by field (422 `validation_failed`: its own messages, the first of each field's), a
    /// session type gone (404), an answer lost (offline, or not confirmed), or another failure.
    pub fn of(error: ApiError, offline: bool) -> BookingRefusal {
        match error {
            ApiError::Refused { status: 409, .. } => BookingRefusal::SlotTaken,
            ApiError::Refused { status: 422, ref code, ref details, ref message } if code == VALIDATION_FAILED => {
                let mut problems = FieldMap::new();
                for (key, value) in details {
                    let words = match value {
                        Value::Array(items) => items.first().and_then(|m| m.as_str()).unwrap_or(message).to_string(),
                        Value::String(s) => s.clone(),
                        _ => message.clone(),
                    };
                    // (A refused coupon is named by the coupon endpoint's own code: the payment
                    // step words it, `Problem::for_coupon`.)
                    problems.insert(key.clone(), Problem::Studio(words));
                }
                if problems.is_empty() {
                    BookingRefusal::Failed(Failure::Api(error))
                } else {
                    BookingRefusal::Invalid(problems)
                }
            }
            ApiError::Refused { status: 404, .. } => BookingRefusal::Failed(Failure::SessionTypeGone),
            ApiError::Network | ApiError::Timeout if offline => BookingRefusal::Failed(Failure::Offline),
            ApiError::Network | ApiError::Timeout => BookingRefusal::Failed(Failure::NotConfirmed),
            other => BookingRefusal::Failed(Failure::Api(other)),
        }
    }
}

/// What a visitor can do (and what the answers to the widget's requests say).
#[derive(Debug, Clone, PartialEq)]
pub enum Action {
    ChooseSessionType(SessionType),
    ShowMonth(YearMonth),
    ChooseDay(NaiveDate),
    ChooseSlot(Slot),
    ChangeZone(String),
    EditClient(ClientField, String),
    EditAnswer(String, Answer),
    /// The visitor left a field (by key): its rule is checked now.
    LeaveField(String),
    ChoosePaymentMethod(String),
    ChoosePaymentOption(PaymentOption),
    AcceptPolicies(bool),
    /// The page was opened by a manage link: `query` holds its parameters as the loader took
    /// them from the address (from the fragment, or an older link's query), in query form.
    /// The widget manages that session instead of booking.
    OpenManaged {
        query: String,
    },
    Continue,
    Back,
    /// Back to an earlier step from the summary.
    GoTo(Step),
    BookingRefused(BookingRefusal),
    Booked(BookedSession),
    StartOver,
}

/// What a visitor does on the screens of the later steps (the contract, a coupon code, a
/// managed session) and the studio's answers to it, applied by [`Flow::apply_later`]: apart
/// from [`Action`], so that the first screen's code (which applies actions) has none of it.
#[derive(Debug, Clone, PartialEq)]
pub enum Later {
    /// "Continue" (or "Book", "Move my session", "Yes, cancel") on a later step's screen.
    Continue,
    /// The name typed as the contract's signature.
    EditSignature(String),
    /// The contract's "I agree" box.
    AgreeToContract(bool),
    /// The coupon code field.
    EditCoupon(String),
    /// "Apply": the code is checked with the studio before any price changes.
    ApplyCoupon,
    /// The studio's answer about a code (the code asked about, and its discount or problem).
    CouponChecked(String, Result<Coupon, Problem>),
    /// The applied code is taken off again.
    RemoveCoupon,
    /// The manage link's session id and token, read from the page's address: it is loaded.
    LinkRead {
        id: String,
        token: String,
    },
    /// "Try again" after the managed session could not be loaded.
    Reload,
    /// The session of the manage link and its session type (None when the studio no longer
    /// publishes it: the session is shown, it cannot be moved), or why they could not be had.
    ManagedLoaded(Box<Result<(BookedSession, Option<SessionType>), ManageRefusal>>),
    /// "Reschedule": the date and time step, for a new time.
    StartMove,
    /// "Cancel booking": the confirmation opens.
    StartCancel,
    /// The confirmation closes: the booking is kept.
    KeepSession,
    /// The optional reason for a cancel.
    EditReason(String),
    /// The studio moved the session / cancelled it / refused.
    Moved(BookedSession),
    Cancelled(BookedSession),
    ManageRefused(ManageRefusal),
}

/// What the view must do after an action.
#[derive(Debug, Clone, PartialEq)]
pub enum Effect {
    /// Send this booking with this Idempotency-Key.
    SendBooking { key: String, body: Value },
    /// The slots of the chosen day are stale: ask again.
    RefreshDay,
    /// Ask the studio about a coupon code (of the chosen session type).
    CheckCoupon { code: String },
    /// Read the manage link's parameters in this query (then [`Later::LinkRead`]).
    LoadManaged { query: String },
    /// Load the managed session and its session type (then [`Later::ManagedLoaded`]).
    LoadSession { id: String, token: String },
    /// Move the managed session (`{start, timezone}`) with this Idempotency-Key.
    SendMove { key: String, id: String, token: String, body: Value },
    /// Cancel the managed session (`{reason}`).
    SendCancel { id: String, token: String, body: Value },
}
