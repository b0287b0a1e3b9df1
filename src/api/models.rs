//! The widget's view of the contract's JSON (`shared/api/openapi.yaml`), decoded tolerantly:
//! unknown fields are ignored, a missing or null optional field takes its default, and a
//! boolean may come as `true`/`false` or, from older servers, as `0`/`1`.

use serde::{Deserialize, Deserializer};

/// Reads a boolean written as true/false, 0/1 (any non-zero number is true), "true"/"false"
/// or "0"/"1"; null reads as false.
pub fn bool01<'de, D: Deserializer<'de>>(d: D) -> Result<bool, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Loose {
        Bool(bool),
        Int(i64),
        Float(f64),
        Text(String),
        Null(()),
    }
    Ok(match Loose::deserialize(d)? {
        Loose::Bool(b) => b,
        Loose::Int(n) => n != 0,
        Loose::Float(f) => f != 0.0,
        Loose::Text(s) => matches!(s.trim().to_ascii_lowercase().as_str(), "true" | "1" | "yes"),
        Loose::Null(()) => false,
    })
}

/// Reads a value whose null means "the default" (an empty list, zero).
pub fn null_default<'de, D, T>(d: D) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de> + Default,
{
    Ok(Option::<T>::deserialize(d)?.unwrap_or_default())
}

/// Reads a whole number that may come as a float (`60.0`) or a numeric string; anything
/// else is 0.
pub fn loose_u64<'de, D: Deserializer<'de>>(d: D) -> Result<u64, D::Error> {
    Ok(loose_opt_u64(d)?.unwrap_or(0))
}

/// Like [`loose_u64`], keeping absence and null apart from zero.
pub fn loose_opt_u64<'de, D: Deserializer<'de>>(d: D) -> Result<Option<u64>, D::Error> {
    let v = Option::<serde_json::Value>::deserialize(d)?;
    Ok(match v {
        Some(serde_json::Value::Number(n)) => n.as_u64().or_else(|| n.as_f64().filter(|f| *f >= 0.0 && f.is_finite()).map(|f| f.round() as u64)),
        Some(serde_json::Value::String(s)) => s.trim().parse().ok(),
        _ => None,
    })
}

/// A session type the studio offers (portrait, wedding, mini-session…).
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct SessionType {
    pub id: String,
    #[serde(default, deserialize_with = "null_default")]
    pub name: String,
    #[serde(default, deserialize_with = "null_default")]
    pub status: String,
    /// Minutes.
    #[serde(default, deserialize_with = "loose_u64")]
    pub duration: u64,
    #[serde(default)]
    pub location: Option<String>,
    /// Simple HTML written by the studio; shown only through the sanitiser.
    #[serde(default)]
    pub description: Option<String>,
    #[serde(default)]
    pub cover_image_url: Option<String>,
    /// Minor units (pence, cents; yen have none).
    #[serde(default, deserialize_with = "loose_u64")]
    pub payment_amount_full: u64,
    /// The deposit, when one is offered.
    #[serde(default, deserialize_with = "loose_opt_u64")]
    pub payment_amount_partial: Option<u64>,
    #[serde(default, deserialize_with = "null_default")]
    pub currency: String,
    #[serde(default, deserialize_with = "bool01")]
    pub collect_payment: bool,
    #[serde(default, deserialize_with = "loose_u64")]
    pub minimum_notice_duration: u64,
    #[serde(default, deserialize_with = "loose_u64")]
    pub maximum_notice_duration: u64,
    #[serde(default, deserialize_with = "loose_u64")]
    pub buffer_before: u64,
    #[serde(default, deserialize_with = "loose_u64")]
    pub buffer_after: u64,
    #[serde(default, deserialize_with = "null_default")]
    pub payment_methods: Vec<PaymentMethod>,
    #[serde(default, deserialize_with = "null_default")]
    pub taxes: Vec<Tax>,
    #[serde(default, deserialize_with = "null_default")]
    pub intake_form_fields: Vec<IntakeField>,
    #[serde(default)]
    pub cancellation_policy: Option<String>,
    #[serde(default)]
    pub reschedule_policy: Option<String>,
    #[serde(default)]
    pub session_type_schedule: Option<Schedule>,
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

    /// The payment methods a visitor may choose.
    pub fn enabled_payment_methods(&self) -> impl Iterator<Item = &PaymentMethod> {
        self.payment_methods.iter().filter(|m| m.enabled)
    }
}

/// A way to pay: online card checkout, PayPal, a manual method such as bank transfer, or one
/// this widget does not know (shown by name).
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct PaymentMethod {
    #[serde(default, deserialize_with = "null_default")]
    pub name: String,
    #[serde(default, deserialize_with = "bool01")]
    pub enabled: bool,
    #[serde(rename = "type", default, deserialize_with = "null_default")]
    pub kind: String,
    #[serde(default)]
    pub instructions: Option<String>,
}

/// A tax on the session's price.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct Tax {
    #[serde(default, deserialize_with = "null_default")]
    pub name: String,
    /// Percent, e.g. 20 or 8.875.
    #[serde(default, deserialize_with = "null_default")]
    pub rate: f64,
    /// True when the prices already include it.
    #[serde(default, deserialize_with = "bool01")]
    pub inclusive: bool,
}

/// One of the studio's intake questions.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct IntakeField {
    pub id: String,
    #[serde(default, deserialize_with = "null_default")]
    pub order: i64,
    #[serde(default, deserialize_with = "null_default")]
    pub question_text: String,
    #[serde(default, deserialize_with = "null_default")]
    pub field_type: String,
    #[serde(default, deserialize_with = "bool01")]
    pub required: bool,
    #[serde(default)]
    pub description: Option<String>,
    #[serde(default)]
    pub placeholder: Option<String>,
    #[serde(default, deserialize_with = "null_default")]
    pub options: Vec<FieldOption>,
    #[serde(default, deserialize_with = "null_default")]
    pub validation: Validation,
}

/// A choice of a select, radio or multi_select question.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct FieldOption {
    #[serde(default, deserialize_with = "null_default")]
    pub value: String,
    #[serde(default, deserialize_with = "null_default")]
    pub label: String,
}

/// The rules an answer must meet.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
pub struct Validation {
    #[serde(default, deserialize_with = "loose_opt_u64")]
    pub min_length: Option<u64>,
    #[serde(default, deserialize_with = "loose_opt_u64")]
    pub max_length: Option<u64>,
    #[serde(default)]
    pub min_value: Option<f64>,
    #[serde(default)]
    pub max_value: Option<f64>,
    #[serde(default)]
    pub pattern: Option<String>,
    #[serde(default)]
    pub min_date: Option<String>,
    #[serde(default)]
    pub max_date: Option<String>,
}

/// The studio's schedule: the widget needs only its zone.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
pub struct Schedule {
    #[serde(default)]
    pub display_timezone: Option<String>,
}

/// The paging part of a list answer.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
pub struct PageMeta {
    #[serde(default, deserialize_with = "loose_opt_u64")]
    pub current_page: Option<u64>,
    #[serde(default, deserialize_with = "loose_opt_u64")]
    pub last_page: Option<u64>,
    #[serde(default, deserialize_with = "loose_opt_u64")]
    pub per_page: Option<u64>,
}

/// One page of session types.
#[derive(Debug, Clone, Deserialize)]
pub struct SessionTypePage {
    #[serde(default, deserialize_with = "null_default")]
    pub data: Vec<SessionType>,
    #[serde(default)]
    pub meta: Option<PageMeta>,
}

/// An error body: `{"error": {"code", "message", "details"}}`.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
pub struct ErrorBody {
    #[serde(default)]
    pub error: ErrorInfo,
}

/// What an error body says.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
pub struct ErrorInfo {
    #[serde(default, deserialize_with = "null_default")]
    pub code: String,
    #[serde(default, deserialize_with = "null_default")]
    pub message: String,
    #[serde(default)]
    pub details: Option<serde_json::Map<String, serde_json::Value>>,
}

/// The month's availability: which dates (in the zone asked) have a slot.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
pub struct MonthAvailability {
    #[serde(default, deserialize_with = "null_default")]
    pub available_dates: Vec<String>,
    #[serde(default)]
    pub next_available_date: Option<String>,
}

/// One bookable slot, exactly as the studio gave it.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Deserialize, serde::Serialize)]
pub struct Slot {
    pub start: String,
    #[serde(default, deserialize_with = "null_default")]
    pub end: String,
}

/// The slots of one day.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
pub struct DayAvailability {
    #[serde(default, deserialize_with = "null_default")]
    pub slots: Vec<Slot>,
}

/// `{"data": ...}`.
#[derive(Debug, Clone, Deserialize)]
pub struct Envelope<T> {
    pub data: T,
}

/// A booked session, from the 201 answer.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
pub struct BookedSession {
    #[serde(default, deserialize_with = "null_default")]
    pub id: String,
    #[serde(default, deserialize_with = "null_default")]
    pub status: String,
    #[serde(default, deserialize_with = "null_default")]
    pub start: String,
    #[serde(default, deserialize_with = "null_default")]
    pub end: String,
    #[serde(default)]
    pub timezone: Option<String>,
    #[serde(default)]
    pub payment: Option<BookedPayment>,
}

/// What the booked session asks the visitor to pay, and how.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
pub struct BookedPayment {
    #[serde(default, deserialize_with = "null_default")]
    pub method_type: String,
    #[serde(default, deserialize_with = "null_default")]
    pub option: String,
    #[serde(default, deserialize_with = "loose_u64")]
    pub amount_due: u64,
    #[serde(default, deserialize_with = "null_default")]
    pub currency: String,
    #[serde(default)]
    pub instructions: Option<String>,
    #[serde(default)]
    pub checkout_url: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

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
        let page: SessionTypePage = serde_json::from_str(json).unwrap();
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
            let _ = serde_json::from_str::<SessionTypePage>(garbage);
        }
        assert!(serde_json::from_str::<SessionTypePage>("{\"data\": [{}]}").is_err());
        let empty: SessionTypePage = serde_json::from_str("{}").unwrap();
        assert!(empty.data.is_empty());
        let e: ErrorBody = serde_json::from_str(r#"{"error": {"code": "slot_unavailable", "message": "taken"}}"#).unwrap();
        assert_eq!(e.error.code, "slot_unavailable");
    }
}
