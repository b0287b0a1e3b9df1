//! The JSON shapes of the contract (`api/openapi.yaml`) as the mock studio sends them.
//!
//! These are the server's own models, written apart from the widget's tolerant ones on
//! purpose: the two sides check each other against the contract instead of sharing a mistake.
//!
//! A session type and what it holds are also read, strictly (an unknown field is an error,
//! so a misspelt one in the data cannot pass for a missing one), from the demo's data file
//! (`data/demo.json`, see [`crate::demo`]).

use serde::{Deserialize, Serialize};
use serde_json::Value;

/// A boolean as the API writes it: `true`/`false`, or `0`/`1` from older servers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Flag {
    /// `true` or `false`, as the contract writes it.
    Bool(bool),
    /// `0` or `1`, as older servers write it (the demo keeps a few, for the clients' sake).
    Int(u8),
}

impl Flag {
    /// The boolean it stands for.
    pub fn get(self) -> bool {
        match self {
            Flag::Bool(b) => b,
            Flag::Int(n) => n != 0,
        }
    }
}

/// A way to pay a session type offers; `instructions` tell a client how, for a manual one.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PaymentMethod {
    pub name: String,
    pub enabled: Flag,
    #[serde(rename = "type")]
    pub kind: String,
    pub instructions: Option<String>,
}

/// A tax on a session type's price: included in it, or added at checkout.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Tax {
    pub id: String,
    pub name: String,
    pub rate: f64,
    pub inclusive: bool,
}

/// One choice of a select, radio or multi_select question: the value sent, the label shown.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FieldOption {
    pub value: String,
    pub label: String,
}

/// What an answer to an intake question must satisfy; a bound left out is not checked.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Validation {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub min_length: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max_length: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub min_value: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max_value: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pattern: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub min_date: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max_date: Option<String>,
}

/// A question of a session type's intake form.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IntakeField {
    pub id: String,
    pub order: i32,
    pub question_text: String,
    pub field_type: String,
    pub required: Flag,
    pub description: Option<String>,
    pub placeholder: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub options: Vec<FieldOption>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub validation: Option<Validation>,
}

/// A weekly opening of a schedule: a day (0 for Sunday) and local times "HH:MM".
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScheduleInterval {
    pub id: String,
    pub day_of_week: u32,
    pub start_time: String,
    pub end_time: String,
}

/// Openings of one date that replace the weekly intervals. Not in the contract: servers may
/// add fields, and clients ignore this one; it is here so a person can see why a day is off.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DateOverrideJson {
    pub date: String,
    pub intervals: Vec<OverrideInterval>,
}

/// One opening of a date override, in local times "HH:MM".
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OverrideInterval {
    pub start_time: String,
    pub end_time: String,
}

/// A session type's schedule: its weekly openings and date overrides, in its own zone.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScheduleJson {
    pub id: String,
    pub name: String,
    pub schedule_type: String,
    pub display_timezone: String,
    pub session_type_schedule_intervals: Vec<ScheduleInterval>,
    pub date_overrides: Vec<DateOverrideJson>,
}

/// A session type as the API shows it to anyone (studio mode adds the owner's fields).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SessionType {
    pub id: String,
    pub name: String,
    pub status: String,
    pub duration: u32,
    pub location: Option<String>,
    pub description: Option<String>,
    pub cover_image_url: Option<String>,
    pub payment_amount_full: u64,
    pub payment_amount_partial: Option<u64>,
    pub currency: String,
    pub collect_payment: Flag,
    pub minimum_notice_duration: u32,
    pub maximum_notice_duration: u32,
    pub buffer_before: u32,
    pub buffer_after: u32,
    pub payment_methods: Vec<PaymentMethod>,
    pub taxes: Vec<Tax>,
    pub intake_form_fields: Vec<IntakeField>,
    pub cancellation_policy: Option<String>,
    pub reschedule_policy: Option<String>,
    pub contract_template_id: Option<String>,
    /// The contract a client signs while booking; none asks for no signature.
    pub contract: Option<Contract>,
    pub accepts_coupons: Flag,
    pub allow_client_cancel: Flag,
    /// A client may cancel until this many hours before the start.
    pub cancel_notice_hours: u32,
    pub allow_client_reschedule: Flag,
    /// A client may move a session until this many hours before its current start.
    pub reschedule_notice_hours: u32,
    /// How many times a client may move one session; None for no limit.
    pub max_client_reschedules: Option<u32>,
    pub questionnaire_template_id: Option<String>,
    pub session_type_schedule: ScheduleJson,
    pub created_at: String,
    pub updated_at: String,
}

/// A session type's contract: its body is simple HTML (what a description may hold, plus
/// h3 and h4).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Contract {
    pub id: String,
    pub title: String,
    pub body: String,
}

/// How a coupon takes its discount off the full price.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Discount {
    /// This percentage of the full price (20 for 20 %), rounded to the minor unit.
    Percentage(f64),
    /// This many minor units of the session type's currency, never more than the price.
    Fixed(u64),
}

/// A coupon code as the coupon endpoint shows it.
#[derive(Debug, Clone, PartialEq)]
pub struct Coupon {
    /// The code as the studio wrote it (clients may type it in any case).
    pub code: String,
    pub discount: Discount,
    pub expires_at: Option<chrono::DateTime<chrono::Utc>>,
}

impl Coupon {
    /// The contract's shape: `{code, discount_type, discount_value, expires_at}`. A whole
    /// value is written as an integer (a fixed amount is always one) so that a client
    /// reading minor units as integers can.
    pub fn to_json(&self) -> Value {
        let (kind, value) = match self.discount {
            Discount::Percentage(p) if p.fract() == 0.0 && p.abs() < 1e15 => ("percentage", serde_json::json!(p as i64)),
            Discount::Percentage(p) => ("percentage", serde_json::json!(p)),
            Discount::Fixed(n) => ("fixed", serde_json::json!(n)),
        };
        serde_json::json!({
            "code": self.code,
            "discount_type": kind,
            "discount_value": value,
            "expires_at": self.expires_at.map(|t| t.to_rfc3339_opts(chrono::SecondsFormat::Secs, false)),
        })
    }
}

/// The client of a session, as the studio knows them (one id per e-mail address).
#[derive(Debug, Clone, Serialize)]
pub struct Client {
    pub id: String,
    pub first_name: String,
    pub last_name: String,
    pub email: String,
    pub phone: Option<String>,
}

/// What a client pays and how. `price` is the full price less the coupon's `discount`;
/// `method_type` is None when the price is 0 (nothing to pay, so no method was needed).
#[derive(Debug, Clone, Serialize)]
pub struct Payment {
    pub method_type: Option<String>,
    pub option: String,
    pub price: u64,
    pub discount: u64,
    pub coupon_code: Option<String>,
    pub amount_due: u64,
    pub currency: String,
    pub instructions: Option<String>,
    pub checkout_url: Option<String>,
}

/// The contract as the client signed it: the name they typed and when, on the studio's clock.
#[derive(Debug, Clone, Serialize)]
pub struct ContractSignature {
    pub name: String,
    pub signed_at: String,
}

/// A booked session, as GET /sessions and the 201 answer show it. The manage token is not
/// here: the 201 answer adds it, and nothing else ever shows it.
#[derive(Debug, Clone, Serialize)]
pub struct Session {
    pub id: String,
    pub status: String,
    pub session_type_id: String,
    pub start: String,
    pub end: String,
    pub timezone: String,
    pub client: Client,
    pub answers: serde_json::Map<String, Value>,
    pub payment: Option<Payment>,
    pub contract_signature: Option<ContractSignature>,
    pub reschedule_count: u32,
    pub created_at: String,
    /// When the client cancelled it (not in the contract: what the studio keeps of it).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cancelled_at: Option<String>,
    /// The reason the client gave when cancelling, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cancel_reason: Option<String>,
}

/// An error body of the contract: `{"error": {"code", "message", "details"?}}`.
pub fn error_body(code: &str, message: &str, details: Option<Value>) -> Value {
    let mut error = serde_json::json!({ "code": code, "message": message });
    if let Some(details) = details {
        error["details"] = details;
    }
    serde_json::json!({ "error": error })
}
