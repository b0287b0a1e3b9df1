//! The contract's models (`api/openapi.yaml`) as every program reads them, tolerantly, by
//! [`crate::read`]: unknown fields are ignored, a missing, null or unusable optional field
//! takes its default, a boolean may come as `true`/`false` or, from older servers, as `0`/`1`,
//! and a whole number as `60`, `60.0` or `"60"`.

use crate::read::{flag, integer, list, object, opt_number, opt_text, opt_whole, strings, text, whole, FromJson, Object, Value};

/// The prefix of a session type's id (the contract's `set_`).
pub const SESSION_TYPE_ID_PREFIX: &str = "set_";
/// The prefix of a booked session's id (the contract's `ses_`).
pub const SESSION_ID_PREFIX: &str = "ses_";

/// Whether `id` has the contract's shape of an id: its type's prefix (`set_`, `ses_`) and 30
/// ASCII letters or digits. An id of another shape names nothing a studio has: it is refused
/// before it is put into a path (so no dot, slash or escape of a visitor's reaches one).
pub fn has_id_shape(id: &str, prefix: &str) -> bool {
    id.strip_prefix(prefix).is_some_and(|rest| rest.len() == 30 && rest.bytes().all(|b| b.is_ascii_alphanumeric()))
}

/// A session type the studio offers (portrait, wedding, mini-session…).
#[derive(Debug, Clone, PartialEq)]
pub struct SessionType {
    pub id: String,
    pub name: String,
    pub status: String,
    /// Minutes.
    pub duration: u64,
    pub location: Option<String>,
    /// Simple HTML written by the studio; shown only through the sanitiser.
    pub description: Option<String>,
    pub cover_image_url: Option<String>,
    /// Minor units (pence, cents; yen have none).
    pub payment_amount_full: u64,
    /// The deposit, when one is offered.
    pub payment_amount_partial: Option<u64>,
    pub currency: String,
    pub collect_payment: bool,
    pub minimum_notice_duration: u64,
    pub maximum_notice_duration: u64,
    pub buffer_before: u64,
    pub buffer_after: u64,
    pub payment_methods: Vec<PaymentMethod>,
    pub taxes: Vec<Tax>,
    pub intake_form_fields: Vec<IntakeField>,
    pub cancellation_policy: Option<String>,
    pub reschedule_policy: Option<String>,
    pub session_type_schedule: Option<Schedule>,
    /// The studio's contract, signed while booking (shared: a session type is cloned whole,
    /// and its contract's text need not be).
    pub contract: Option<std::sync::Arc<Contract>>,
    /// Whether a coupon code may be used for it.
    pub accepts_coupons: bool,
    /// The client may cancel their own session, until `cancel_notice_hours` before it.
    pub allow_client_cancel: bool,
    pub cancel_notice_hours: u64,
    /// The client may move their own session, until `reschedule_notice_hours` before it,
    /// at most `max_client_reschedules` times (None: no limit).
    pub allow_client_reschedule: bool,
    pub reschedule_notice_hours: u64,
    pub max_client_reschedules: Option<u64>,
}

impl SessionType {
    /// Whether visitors may book it: only "published" ones are.
    pub fn is_published(&self) -> bool {
        self.status.trim().eq_ignore_ascii_case("published")
    }

    /// The studio's own zone, when the schedule names one.
    pub fn studio_zone(&self) -> Option<&str> {
        self.session_type_schedule.as_ref().and_then(|s| s.display_timezone.as_deref()).filter(|z| !z.is_empty())
    }

    /// Whether it has policies the visitor must agree to before booking.
    pub fn has_policies(&self) -> bool {
        [&self.cancellation_policy, &self.reschedule_policy].iter().any(|p| p.as_deref().is_some_and(|s| !s.trim().is_empty()))
    }

    /// Whether a visitor may pay by the method of this `type`.
    pub fn offers_method(&self, kind: &str) -> bool {
        self.enabled_payment_methods().any(|m| m.kind == kind)
    }

    /// The payment methods a visitor may choose.
    pub fn enabled_payment_methods(&self) -> impl Iterator<Item = &PaymentMethod> {
        self.payment_methods.iter().filter(|m| m.enabled)
    }
}

/// The studio's contract for a session type: the client reads it, types their full name as
/// signature and agrees.
#[derive(Debug, Clone, PartialEq)]
pub struct Contract {
    pub id: String,
    pub title: String,
    /// Simple HTML written by the studio (as a description, plus h3 and h4); shown only
    /// through the sanitiser.
    pub body: String,
}

/// What a coupon takes off: a percentage of the full price, or a fixed amount in minor units
/// (money.rs works out the amount).
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Discount {
    Percentage(f64),
    Fixed(u64),
}

/// What a coupon code takes off a session's full price.
#[derive(Debug, Clone, PartialEq)]
pub struct Coupon {
    /// The code as the studio writes it (the visitor may have typed it in another case).
    pub code: String,
    pub discount: Discount,
    pub expires_at: Option<String>,
}

/// A way to pay: online card checkout, PayPal, a manual method such as bank transfer, or one
/// this widget does not know (shown by name).
#[derive(Debug, Clone, PartialEq)]
pub struct PaymentMethod {
    pub name: String,
    pub enabled: bool,
    pub kind: String,
    pub instructions: Option<String>,
}

/// A tax on the session's price.
#[derive(Debug, Clone, PartialEq)]
pub struct Tax {
    pub name: String,
    /// Percent, e.g. 20 or 8.875.
    pub rate: f64,
    /// True when the prices already include it.
    pub inclusive: bool,
}

/// One of the studio's intake questions.
#[derive(Debug, Clone, PartialEq)]
pub struct IntakeField {
    pub id: String,
    pub order: i64,
    pub question_text: String,
    pub field_type: FieldType,
    pub required: bool,
    pub description: Option<String>,
    pub placeholder: Option<String>,
    pub options: Vec<FieldOption>,
    pub validation: Validation,
}

/// The kind of answer an intake question asks for, read once from the contract's
/// `field_type`. A type this widget does not know is asked as text (its rules still apply).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FieldType {
    Text,
    Textarea,
    Email,
    Phone,
    Number,
    Date,
    Select,
    Radio,
    MultiSelect,
    Checkbox,
    /// A type the contract may add later: asked and checked as text.
    Unknown,
}

impl FieldType {
    /// The known types and the contract's names for them.
    pub const NAMED: [(FieldType, &'static str); 10] = [
        (FieldType::Text, "text"),
        (FieldType::Textarea, "textarea"),
        (FieldType::Email, "email"),
        (FieldType::Phone, "phone"),
        (FieldType::Number, "number"),
        (FieldType::Date, "date"),
        (FieldType::Select, "select"),
        (FieldType::Radio, "radio"),
        (FieldType::MultiSelect, "multi_select"),
        (FieldType::Checkbox, "checkbox"),
    ];

    /// The type the contract names (`"multi_select"` → [`FieldType::MultiSelect`]).
    pub fn parse(name: &str) -> FieldType {
        let name = name.trim();
        Self::NAMED.iter().find(|(_, n)| *n == name).map_or(FieldType::Unknown, |(t, _)| *t)
    }
}

/// A choice of a select, radio or multi_select question.
#[derive(Debug, Clone, PartialEq)]
pub struct FieldOption {
    pub value: String,
    pub label: String,
}

/// The rules an answer must meet.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Validation {
    pub min_length: Option<u64>,
    pub max_length: Option<u64>,
    pub min_value: Option<f64>,
    pub max_value: Option<f64>,
    pub pattern: Option<String>,
    pub min_date: Option<String>,
    pub max_date: Option<String>,
}

/// The studio's schedule: the widget needs only its zone.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Schedule {
    pub display_timezone: Option<String>,
}

/// The paging part of a list answer.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PageMeta {
    pub current_page: Option<u64>,
    pub last_page: Option<u64>,
    pub per_page: Option<u64>,
}

/// One page of session types.
#[derive(Debug, Clone)]
pub struct SessionTypePage {
    pub data: Vec<SessionType>,
    pub meta: Option<PageMeta>,
}

/// An error body: `{"error": {"code", "message", "details"}}`.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ErrorBody {
    pub error: ErrorInfo,
}

/// What an error body says.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ErrorInfo {
    pub code: String,
    pub message: String,
    pub details: Option<Object>,
}

/// The month's availability: which dates (in the zone asked) have a slot.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct MonthAvailability {
    pub available_dates: Vec<String>,
    pub next_available_date: Option<String>,
}

/// One bookable slot, exactly as the studio gave it.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Slot {
    pub start: String,
    pub end: String,
}

/// The slots of one day.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct DayAvailability {
    pub slots: Vec<Slot>,
}

/// `{"data": ...}`.
#[derive(Debug, Clone)]
pub struct Envelope<T> {
    pub data: T,
}

/// A booked session: the booking's 201 answer, or the session as its client sees it through
/// the manage link (`GET /sessions/{id}`, and the answers of a cancel or a move).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct BookedSession {
    pub id: String,
    /// booked, inquiry or cancelled.
    pub status: String,
    pub session_type_id: String,
    pub start: String,
    pub end: String,
    pub timezone: Option<String>,
    pub payment: Option<BookedPayment>,
    /// The secret of the manage link: in the booking's 201 answer (and its replays) only.
    pub manage_token: Option<String>,
    /// Who signed the contract, and when (an instant).
    pub contract_signature: Option<Signature>,
    /// The client's name as the studio keeps it (client view only).
    pub client_first_name: String,
    pub client_last_name: String,
    /// How often the client has moved it.
    pub reschedule_count: u64,
    /// The last instants a cancel or a move is allowed (client view only; None: not at all).
    pub can_cancel_until: Option<String>,
    pub can_reschedule_until: Option<String>,
    /// Moves left (None: no limit).
    pub reschedules_left: Option<u64>,
}

impl BookedSession {
    /// Whether the studio still has to confirm it (an inquiry), rather than it being booked.
    pub fn awaits_confirmation(&self) -> bool {
        !self.status.is_empty() && self.status != "booked" && !self.is_cancelled()
    }

    /// Whether it was cancelled.
    pub fn is_cancelled(&self) -> bool {
        self.status == "cancelled"
    }
}

/// A signed contract: the name typed as signature and the instant of signing.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Signature {
    pub name: String,
    pub signed_at: String,
}

/// What the booked session asks the visitor to pay, and how.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct BookedPayment {
    /// "" when nothing is to be paid (a price of 0 needs no method).
    pub method_type: String,
    pub option: String,
    /// The full price less the discount (None from servers before coupons).
    pub price: Option<u64>,
    /// What a coupon took off the full price (0 without one).
    pub discount: u64,
    pub coupon_code: Option<String>,
    pub amount_due: u64,
    pub currency: String,
    pub instructions: Option<String>,
    pub checkout_url: Option<String>,
}

impl FromJson for SessionType {
    fn from_json(v: &Value) -> Option<Self> {
        let o = v.as_object()?;
        Some(SessionType {
            id: opt_text(o, "id")?,
            name: text(o, "name"),
            status: text(o, "status"),
            duration: whole(o, "duration"),
            location: opt_text(o, "location"),
            description: opt_text(o, "description"),
            cover_image_url: opt_text(o, "cover_image_url"),
            payment_amount_full: whole(o, "payment_amount_full"),
            payment_amount_partial: opt_whole(o, "payment_amount_partial"),
            currency: text(o, "currency"),
            collect_payment: flag(o, "collect_payment"),
            minimum_notice_duration: whole(o, "minimum_notice_duration"),
            maximum_notice_duration: whole(o, "maximum_notice_duration"),
            buffer_before: whole(o, "buffer_before"),
            buffer_after: whole(o, "buffer_after"),
            payment_methods: list(o, "payment_methods")?,
            taxes: list(o, "taxes")?,
            intake_form_fields: list(o, "intake_form_fields")?,
            cancellation_policy: opt_text(o, "cancellation_policy"),
            reschedule_policy: opt_text(o, "reschedule_policy"),
            session_type_schedule: object(o, "session_type_schedule"),
            contract: object(o, "contract").map(std::sync::Arc::new),
            accepts_coupons: flag(o, "accepts_coupons"),
            allow_client_cancel: flag(o, "allow_client_cancel"),
            cancel_notice_hours: whole(o, "cancel_notice_hours"),
            allow_client_reschedule: flag(o, "allow_client_reschedule"),
            reschedule_notice_hours: whole(o, "reschedule_notice_hours"),
            max_client_reschedules: opt_whole(o, "max_client_reschedules"),
        })
    }
}

impl FromJson for Contract {
    fn from_json(v: &Value) -> Option<Self> {
        let o = v.as_object()?;
        Some(Contract { id: text(o, "id"), title: text(o, "title"), body: opt_text(o, "body")? })
    }
}

impl FromJson for Coupon {
    fn from_json(v: &Value) -> Option<Self> {
        let o = v.as_object()?;
        let value = opt_number(o, "discount_value")?;
        let discount = match text(o, "discount_type").as_str() {
            "percentage" => Discount::Percentage(value),
            "fixed" if value >= 0.0 => Discount::Fixed(value.round() as u64),
            _ => return None,
        };
        Some(Coupon { code: opt_text(o, "code")?, discount, expires_at: opt_text(o, "expires_at") })
    }
}

impl FromJson for Signature {
    fn from_json(v: &Value) -> Option<Self> {
        let o = v.as_object()?;
        Some(Signature { name: text(o, "name"), signed_at: text(o, "signed_at") })
    }
}

impl FromJson for PaymentMethod {
    fn from_json(v: &Value) -> Option<Self> {
        let o = v.as_object()?;
        Some(PaymentMethod { name: text(o, "name"), enabled: flag(o, "enabled"), kind: text(o, "type"), instructions: opt_text(o, "instructions") })
    }
}

impl FromJson for Tax {
    fn from_json(v: &Value) -> Option<Self> {
        let o = v.as_object()?;
        Some(Tax { name: text(o, "name"), rate: opt_number(o, "rate").unwrap_or(0.0), inclusive: flag(o, "inclusive") })
    }
}

impl FromJson for IntakeField {
    fn from_json(v: &Value) -> Option<Self> {
        let o = v.as_object()?;
        Some(IntakeField {
            id: opt_text(o, "id")?,
            order: integer(o, "order"),
            question_text: text(o, "question_text"),
            field_type: FieldType::parse(&text(o, "field_type")),
            required: flag(o, "required"),
            description: opt_text(o, "description"),
            placeholder: opt_text(o, "placeholder"),
            options: list(o, "options")?,
            validation: object(o, "validation").unwrap_or_default(),
        })
    }
}

impl FromJson for FieldOption {
    fn from_json(v: &Value) -> Option<Self> {
        let o = v.as_object()?;
        Some(FieldOption { value: text(o, "value"), label: text(o, "label") })
    }
}

impl FromJson for Validation {
    fn from_json(v: &Value) -> Option<Self> {
        let o = v.as_object()?;
        Some(Validation {
            min_length: opt_whole(o, "min_length"),
            max_length: opt_whole(o, "max_length"),
            min_value: opt_number(o, "min_value"),
            max_value: opt_number(o, "max_value"),
            pattern: opt_text(o, "pattern"),
            min_date: opt_text(o, "min_date"),
            max_date: opt_text(o, "max_date"),
        })
    }
}

impl FromJson for Schedule {
    fn from_json(v: &Value) -> Option<Self> {
        Some(Schedule { display_timezone: opt_text(v.as_object()?, "display_timezone") })
    }
}

impl FromJson for PageMeta {
    fn from_json(v: &Value) -> Option<Self> {
        let o = v.as_object()?;
        Some(PageMeta { current_page: opt_whole(o, "current_page"), last_page: opt_whole(o, "last_page"), per_page: opt_whole(o, "per_page") })
    }
}

impl FromJson for SessionTypePage {
    fn from_json(v: &Value) -> Option<Self> {
        let o = v.as_object()?;
        Some(SessionTypePage { data: list(o, "data")?, meta: object(o, "meta") })
    }
}

impl FromJson for ErrorBody {
    fn from_json(v: &Value) -> Option<Self> {
        Some(ErrorBody { error: object(v.as_object()?, "error").unwrap_or_default() })
    }
}

impl FromJson for ErrorInfo {
    fn from_json(v: &Value) -> Option<Self> {
        let o = v.as_object()?;
        Some(ErrorInfo { code: text(o, "code"), message: text(o, "message"), details: o.get("details").and_then(Value::as_object).cloned() })
    }
}

impl FromJson for MonthAvailability {
    fn from_json(v: &Value) -> Option<Self> {
        let o = v.as_object()?;
        Some(MonthAvailability { available_dates: strings(o, "available_dates"), next_available_date: opt_text(o, "next_available_date") })
    }
}

impl FromJson for Slot {
    fn from_json(v: &Value) -> Option<Self> {
        let o = v.as_object()?;
        Some(Slot { start: opt_text(o, "start")?, end: text(o, "end") })
    }
}

impl FromJson for DayAvailability {
    fn from_json(v: &Value) -> Option<Self> {
        Some(DayAvailability { slots: list(v.as_object()?, "slots")? })
    }
}

impl<T: FromJson> FromJson for Envelope<T> {
    fn from_json(v: &Value) -> Option<Self> {
        Some(Envelope { data: T::from_json(v.as_object()?.get("data")?)? })
    }
}

impl FromJson for BookedSession {
    fn from_json(v: &Value) -> Option<Self> {
        let o = v.as_object()?;
        let client = o.get("client").and_then(Value::as_object);
        let name = |k: &str| client.map(|c| text(c, k)).unwrap_or_default();
        Some(BookedSession {
            id: text(o, "id"),
            status: text(o, "status"),
            session_type_id: text(o, "session_type_id"),
            start: text(o, "start"),
            end: text(o, "end"),
            timezone: opt_text(o, "timezone"),
            payment: object(o, "payment"),
            manage_token: opt_text(o, "manage_token"),
            contract_signature: object(o, "contract_signature"),
            client_first_name: name("first_name"),
            client_last_name: name("last_name"),
            reschedule_count: whole(o, "reschedule_count"),
            can_cancel_until: opt_text(o, "can_cancel_until"),
            can_reschedule_until: opt_text(o, "can_reschedule_until"),
            reschedules_left: opt_whole(o, "reschedules_left"),
        })
    }
}

impl FromJson for BookedPayment {
    fn from_json(v: &Value) -> Option<Self> {
        let o = v.as_object()?;
        Some(BookedPayment {
            method_type: text(o, "method_type"),
            option: text(o, "option"),
            price: opt_whole(o, "price"),
            discount: whole(o, "discount"),
            coupon_code: opt_text(o, "coupon_code"),
            amount_due: whole(o, "amount_due"),
            currency: text(o, "currency"),
            instructions: opt_text(o, "instructions"),
            checkout_url: opt_text(o, "checkout_url"),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::read::decode;

    #[test]
    fn decodes_the_contract_example_and_older_servers() {
        let json = r#"{"data": [
            {"id": "set_SES001ABC123DEF456GHI789JKL012", "name": "Wedding Photography", "status": "published",
             "duration": 480, "location": "On-site", "currency": "gbp", "collect_payment": 1,
             "payment_amount_full": 240000, "payment_amount_partial": null,
             "payment_methods": [{"name": "Bank Transfer", "enabled": 0, "type": "manual", "instructions": "Pay"}],
             "taxes": [{"name": "VAT", "rate": 20, "inclusive": true}],
             "intake_form_fields": [{"id": "q1", "question_text": "Venue?", "field_type": "text", "required": 1,
                                     "validation": {"max_length": 120.0}}],
             "session_type_schedule": {"display_timezone": "Europe/London", "session_type_schedule_intervals": []},
             "brand_new_field": {"nested": [1, 2, 3]}},
            {"id": "set_X", "status": "draft", "duration": "30", "collect_payment": false, "taxes": null}
        ], "meta": {"current_page": 1, "last_page": 2, "per_page": 25}, "links": {}}"#;
        let page: SessionTypePage = decode(json).unwrap();
        let t = &page.data[0];
        assert!(t.collect_payment && t.is_published());
        assert_eq!(t.payment_amount_partial, None);
        assert!(!t.payment_methods[0].enabled);
        assert!(t.taxes[0].inclusive);
        assert!(t.intake_form_fields[0].required);
        assert_eq!(t.intake_form_fields[0].validation.max_length, Some(120));
        assert_eq!(t.studio_zone(), Some("Europe/London"));
        let d = &page.data[1];
        assert!(!d.is_published());
        assert_eq!(d.duration, 30);
        assert!(d.taxes.is_empty());
        assert_eq!(page.meta.unwrap().last_page, Some(2));
    }

    #[test]
    fn garbage_is_an_error_never_a_panic() {
        for garbage in ["", "null", "[]", "{\"data\": 5}", "{\"data\": [{}]}", "{\"data\": [{\"id\": 7}]}", "<html>", "{\"data\": [", "\u{0}"] {
            let _ = decode::<SessionTypePage>(garbage);
        }
        assert!(decode::<SessionTypePage>("{\"data\": [{}]}").is_none());
        assert!(decode::<SessionTypePage>("{\"data\": 5}").is_none());
        let empty: SessionTypePage = decode("{}").unwrap();
        assert!(empty.data.is_empty());
        let e: ErrorBody = decode(r#"{"error": {"code": "slot_unavailable", "message": "taken"}}"#).unwrap();
        assert_eq!(e.error.code, "slot_unavailable");
    }

    #[test]
    fn ids_have_their_prefix_and_30_letters_or_digits() {
        assert!(has_id_shape("set_FAMILYPORTRAIT0000000000000000", SESSION_TYPE_ID_PREFIX));
        assert!(has_id_shape("ses_SES002ABC123DEF456GHI789JKL012", SESSION_ID_PREFIX));
        for bad in ["set_FAMILY", "set_FAMILYPORTRAIT000000000000000/", "ses_SES002ABC123DEF456GHI789JKL012", "set_SES002ABC123DEF456GHI789JKL01é"] {
            assert!(!has_id_shape(bad, SESSION_TYPE_ID_PREFIX), "{bad}");
        }
    }
}
