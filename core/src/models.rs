//! The contract's models (`api/openapi.yaml`) as every program reads them, tolerantly, by
//! [`crate::read`]: unknown fields are ignored, a missing, null or unusable optional field
//! takes its default, a boolean may come as `true`/`false` or, from older servers, as `0`/`1`,
//! and a whole number as `60`, `60.0` or `"60"`.

use crate::read::{flag, integer, list, object, opt_number, opt_text, opt_whole, strings, text, whole, FromJson, Object, Value};

/// Declares a model of the contract once per field: the struct's field, the reader that reads
/// it tolerantly ([`crate::read`]: `text`, `opt_whole`, `flag`, `list`…; `required` where a
/// field the core cannot do without, missing, makes the whole model unreadable) and its JSON
/// key. It makes the
/// struct, its [`FromJson`] and `KEYS`, the keys it reads (which the tests hold against the
/// API's description). The code is what the reader written by hand was: no byte more.
macro_rules! model {
    (@read $o:ident, $read:ident, $key:literal) => { $read($o, $key) };
    (@read $o:ident, $read:ident, $key:literal, required) => { $read($o, $key)? };
    (
        $(#[$meta:meta])*
        pub struct $name:ident {
            $( $(#[$fmeta:meta])* $field:ident: $ty:ty = $read:ident($key:literal) $($must:ident)? ),* $(,)?
        }
    ) => {
        $(#[$meta])*
        pub struct $name {
            $( $(#[$fmeta])* pub $field: $ty, )*
        }

        impl FromJson for $name {
            fn from_json(v: &Value) -> Option<Self> {
                let o = v.as_object()?;
                Some($name { $( $field: model!(@read o, $read, $key $(, $must)?), )* })
            }
        }

        impl $name {
            /// The JSON keys its fields are read from, in the fields' order.
            pub const KEYS: &'static [&'static str] = &[$($key),*];
        }
    };
}

// Readers of one field each, for fields read other than plainly.

/// The contract, shared (a session type is cloned whole; its text need not be).
fn shared<T: FromJson>(o: &Object, key: &str) -> Option<std::sync::Arc<T>> {
    object(o, key).map(std::sync::Arc::new)
}

/// An object read as a `T`, or `T`'s default when absent or unreadable.
fn object_or_default<T: FromJson + Default>(o: &Object, key: &str) -> T {
    object(o, key).unwrap_or_default()
}

/// A number, 0 when absent or unreadable.
fn number(o: &Object, key: &str) -> f64 {
    opt_number(o, key).unwrap_or(0.0)
}

/// An intake question's type, by the contract's name.
fn field_type(o: &Object, key: &str) -> FieldType {
    FieldType::parse(&text(o, key))
}

/// An error's details, as they came.
fn details(o: &Object, key: &str) -> Option<Object> {
    o.get(key).and_then(Value::as_object).cloned()
}

/// A text of the session's `client` object (the client view).
fn client_text(o: &Object, key: &str) -> String {
    o.get("client").and_then(Value::as_object).map(|c| text(c, key)).unwrap_or_default()
}

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

model! {
    /// A session type the studio offers (portrait, wedding, mini-session…).
    #[derive(Debug, Clone, PartialEq)]
    pub struct SessionType {
        id: String = opt_text("id") required,
        name: String = text("name"),
        status: String = text("status"),
        /// Minutes.
        duration: u64 = whole("duration"),
        location: Option<String> = opt_text("location"),
        /// Simple HTML written by the studio; shown only through the sanitiser.
        description: Option<String> = opt_text("description"),
        cover_image_url: Option<String> = opt_text("cover_image_url"),
        /// Minor units (pence, cents; yen have none).
        payment_amount_full: u64 = whole("payment_amount_full"),
        /// The deposit, when one is offered.
        payment_amount_partial: Option<u64> = opt_whole("payment_amount_partial"),
        currency: String = text("currency"),
        collect_payment: bool = flag("collect_payment"),
        minimum_notice_duration: u64 = whole("minimum_notice_duration"),
        maximum_notice_duration: u64 = whole("maximum_notice_duration"),
        buffer_before: u64 = whole("buffer_before"),
        buffer_after: u64 = whole("buffer_after"),
        payment_methods: Vec<PaymentMethod> = list("payment_methods") required,
        taxes: Vec<Tax> = list("taxes") required,
        intake_form_fields: Vec<IntakeField> = list("intake_form_fields") required,
        cancellation_policy: Option<String> = opt_text("cancellation_policy"),
        reschedule_policy: Option<String> = opt_text("reschedule_policy"),
        session_type_schedule: Option<Schedule> = object("session_type_schedule"),
        /// The studio's contract, signed while booking (shared: a session type is cloned whole,
        /// and its contract's text need not be).
        contract: Option<std::sync::Arc<Contract>> = shared("contract"),
        /// Whether a coupon code may be used for it.
        accepts_coupons: bool = flag("accepts_coupons"),
        /// The client may cancel their own session, until `cancel_notice_hours` before it.
        allow_client_cancel: bool = flag("allow_client_cancel"),
        cancel_notice_hours: u64 = whole("cancel_notice_hours"),
        /// The client may move their own session, until `reschedule_notice_hours` before it,
        /// at most `max_client_reschedules` times (None: no limit).
        allow_client_reschedule: bool = flag("allow_client_reschedule"),
        reschedule_notice_hours: u64 = whole("reschedule_notice_hours"),
        max_client_reschedules: Option<u64> = opt_whole("max_client_reschedules"),
        /// Set by a gateway that keeps a waitlist for it: a visitor may join it.
        waitlist_enabled: bool = flag("waitlist_enabled"),
    }
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

model! {
    /// The studio's contract for a session type: the client reads it, types their full name as
    /// signature and agrees.
    #[derive(Debug, Clone, PartialEq)]
    pub struct Contract {
        id: String = text("id"),
        title: String = text("title"),
        /// Simple HTML written by the studio (as a description, plus h3 and h4); shown only
        /// through the sanitiser.
        body: String = opt_text("body") required,
    }
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

model! {
    /// A way to pay: online card checkout, PayPal, a manual method such as bank transfer, or one
    /// this widget does not know (shown by name).
    #[derive(Debug, Clone, PartialEq)]
    pub struct PaymentMethod {
        name: String = text("name"),
        enabled: bool = flag("enabled"),
        kind: String = text("type"),
        instructions: Option<String> = opt_text("instructions"),
    }
}

model! {
    /// A tax on the session's price.
    #[derive(Debug, Clone, PartialEq)]
    pub struct Tax {
        name: String = text("name"),
        /// Percent, e.g. 20 or 8.875.
        rate: f64 = number("rate"),
        /// True when the prices already include it.
        inclusive: bool = flag("inclusive"),
    }
}

model! {
    /// One of the studio's intake questions.
    #[derive(Debug, Clone, PartialEq)]
    pub struct IntakeField {
        id: String = opt_text("id") required,
        order: i64 = integer("order"),
        question_text: String = text("question_text"),
        field_type: FieldType = field_type("field_type"),
        required: bool = flag("required"),
        description: Option<String> = opt_text("description"),
        placeholder: Option<String> = opt_text("placeholder"),
        options: Vec<FieldOption> = list("options") required,
        validation: Validation = object_or_default("validation"),
    }
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

model! {
    /// A choice of a select, radio or multi_select question.
    #[derive(Debug, Clone, PartialEq)]
    pub struct FieldOption {
        value: String = text("value"),
        label: String = text("label"),
    }
}

model! {
    /// The rules an answer must meet.
    #[derive(Debug, Clone, Default, PartialEq)]
    pub struct Validation {
        min_length: Option<u64> = opt_whole("min_length"),
        max_length: Option<u64> = opt_whole("max_length"),
        min_value: Option<f64> = opt_number("min_value"),
        max_value: Option<f64> = opt_number("max_value"),
        pattern: Option<String> = opt_text("pattern"),
        min_date: Option<String> = opt_text("min_date"),
        max_date: Option<String> = opt_text("max_date"),
    }
}

model! {
    /// The studio's schedule: the widget needs only its zone.
    #[derive(Debug, Clone, Default, PartialEq)]
    pub struct Schedule {
        display_timezone: Option<String> = opt_text("display_timezone"),
    }
}

model! {
    /// The paging part of a list answer.
    #[derive(Debug, Clone, Default, PartialEq)]
    pub struct PageMeta {
        current_page: Option<u64> = opt_whole("current_page"),
        last_page: Option<u64> = opt_whole("last_page"),
        per_page: Option<u64> = opt_whole("per_page"),
    }
}

model! {
    /// One page of session types.
    #[derive(Debug, Clone)]
    pub struct SessionTypePage {
        data: Vec<SessionType> = list("data") required,
        meta: Option<PageMeta> = object("meta"),
    }
}

model! {
    /// An error body: `{"error": {"code", "message", "details"}}`.
    #[derive(Debug, Clone, Default, PartialEq)]
    pub struct ErrorBody {
        error: ErrorInfo = object_or_default("error"),
    }
}

model! {
    /// What an error body says.
    #[derive(Debug, Clone, Default, PartialEq)]
    pub struct ErrorInfo {
        code: String = text("code"),
        message: String = text("message"),
        details: Option<Object> = details("details"),
    }
}

model! {
    /// The month's availability: which dates (in the zone asked) have a slot.
    #[derive(Debug, Clone, Default, PartialEq)]
    pub struct MonthAvailability {
        available_dates: Vec<String> = strings("available_dates"),
        next_available_date: Option<String> = opt_text("next_available_date"),
    }
}

model! {
    /// One bookable slot, exactly as the studio gave it.
    #[derive(Debug, Clone, PartialEq, Eq, Hash)]
    pub struct Slot {
        start: String = opt_text("start") required,
        end: String = text("end"),
    }
}

model! {
    /// A freed slot a gateway holds for one person of its waitlist, as they see it (with the
    /// details their entry gave, to fill in the details step).
    #[derive(Debug, Clone, PartialEq)]
    pub struct Offer {
        id: String = opt_text("id") required,
        session_type_id: String = text("session_type_id"),
        start: String = opt_text("start") required,
        end: String = text("end"),
        /// The zone of the person's entry.
        timezone: String = text("timezone"),
        /// Until when it holds (an instant).
        expires_at: String = text("expires_at"),
        /// `holding`, `declined`, `expired` or `booked`.
        status: String = text("status"),
        first_name: String = text("first_name"),
        last_name: String = text("last_name"),
        email: String = text("email"),
        phone: Option<String> = opt_text("phone"),
    }
}

/// An offer id's prefix (`off_` and 30 letters or digits).
pub const OFFER_ID_PREFIX: &str = "off_";

model! {
    /// The slots of one day.
    #[derive(Debug, Clone, Default, PartialEq)]
    pub struct DayAvailability {
        slots: Vec<Slot> = list("slots") required,
    }
}

/// `{"data": ...}`.
#[derive(Debug, Clone)]
pub struct Envelope<T> {
    pub data: T,
}

model! {
    /// A booked session: the booking's 201 answer, or the session as its client sees it through
    /// the manage link (`GET /sessions/{id}`, and the answers of a cancel or a move).
    #[derive(Debug, Clone, Default, PartialEq)]
    pub struct BookedSession {
        id: String = text("id"),
        /// booked, inquiry or cancelled.
        status: String = text("status"),
        session_type_id: String = text("session_type_id"),
        start: String = text("start"),
        end: String = text("end"),
        timezone: Option<String> = opt_text("timezone"),
        payment: Option<BookedPayment> = object("payment"),
        /// The secret of the manage link: in the booking's 201 answer (and its replays) only.
        manage_token: Option<String> = opt_text("manage_token"),
        /// Who signed the contract, and when (an instant).
        contract_signature: Option<Signature> = object("contract_signature"),
        /// The client's name as the studio keeps it (client view only: `client.first_name`).
        client_first_name: String = client_text("first_name"),
        client_last_name: String = client_text("last_name"),
        /// How often the client has moved it.
        reschedule_count: u64 = whole("reschedule_count"),
        /// The last instants a cancel or a move is allowed (client view only; None: not at all).
        can_cancel_until: Option<String> = opt_text("can_cancel_until"),
        can_reschedule_until: Option<String> = opt_text("can_reschedule_until"),
        /// Moves left (None: no limit).
        reschedules_left: Option<u64> = opt_whole("reschedules_left"),
    }
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

model! {
    /// A signed contract: the name typed as signature and the instant of signing.
    #[derive(Debug, Clone, Default, PartialEq)]
    pub struct Signature {
        name: String = text("name"),
        signed_at: String = text("signed_at"),
    }
}

model! {
    /// What the booked session asks the visitor to pay, and how.
    #[derive(Debug, Clone, Default, PartialEq)]
    pub struct BookedPayment {
        /// "" when nothing is to be paid (a price of 0 needs no method).
        method_type: String = text("method_type"),
        option: String = text("option"),
        /// The full price less the discount (None from servers before coupons).
        price: Option<u64> = opt_whole("price"),
        /// What a coupon took off the full price (0 without one).
        discount: u64 = whole("discount"),
        coupon_code: Option<String> = opt_text("coupon_code"),
        amount_due: u64 = whole("amount_due"),
        currency: String = text("currency"),
        instructions: Option<String> = opt_text("instructions"),
        checkout_url: Option<String> = opt_text("checkout_url"),
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

impl<T: FromJson> FromJson for Envelope<T> {
    fn from_json(v: &Value) -> Option<Self> {
        Some(Envelope { data: T::from_json(v.as_object()?.get("data")?)? })
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

    /// Every key a model reads is a property of the project's description of the API
    /// (api/openapi.yaml), so a field is never read from a key the contract does not have.
    #[test]
    fn every_key_read_is_in_the_api_description() {
        let described = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../api/openapi.yaml")).unwrap();
        let models: [(&str, &[&str]); 19] = [
            ("Offer", Offer::KEYS),
            ("SessionType", SessionType::KEYS),
            ("Contract", Contract::KEYS),
            ("PaymentMethod", PaymentMethod::KEYS),
            ("Tax", Tax::KEYS),
            ("IntakeField", IntakeField::KEYS),
            ("FieldOption", FieldOption::KEYS),
            ("Validation", Validation::KEYS),
            ("Schedule", Schedule::KEYS),
            ("PageMeta", PageMeta::KEYS),
            ("SessionTypePage", SessionTypePage::KEYS),
            ("ErrorBody", ErrorBody::KEYS),
            ("ErrorInfo", ErrorInfo::KEYS),
            ("MonthAvailability", MonthAvailability::KEYS),
            ("Slot", Slot::KEYS),
            ("DayAvailability", DayAvailability::KEYS),
            ("BookedSession", BookedSession::KEYS),
            ("BookedPayment", BookedPayment::KEYS),
            ("Signature", Signature::KEYS),
        ];
        for (model, keys) in models {
            for key in keys {
                let as_property = described.lines().any(|l| l.trim_start().starts_with(&format!("{key}:")));
                assert!(as_property, "{model} reads \"{key}\", which api/openapi.yaml does not describe");
            }
        }
    }
}
