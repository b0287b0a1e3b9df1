//! What a visitor may see of the studio's answers: only published session types, and of each
//! only the fields the contract (`api/openapi.yaml`) describes, by an allowlist. A field the
//! studio adds tomorrow (an internal note, the owner's e-mail) is left out until the contract
//! names it.

use serde_json::{Map, Value};

/// How a field is passed on.
enum Shape {
    /// As it is (a string, a number, a boolean, null).
    Plain,
    /// An object: only these fields, each by its shape.
    Object(&'static [(&'static str, Shape)]),
    /// A list of items of one shape.
    List(&'static Shape),
}

use Shape::{List, Object, Plain};

const PAYMENT_METHOD: Shape = Object(&[("name", Plain), ("enabled", Plain), ("type", Plain), ("instructions", Plain)]);
const TAX: Shape = Object(&[("id", Plain), ("name", Plain), ("rate", Plain), ("inclusive", Plain)]);
const OPTION: Shape = Object(&[("value", Plain), ("label", Plain)]);
const VALIDATION: Shape = Object(&[
    ("min_length", Plain),
    ("max_length", Plain),
    ("min_value", Plain),
    ("max_value", Plain),
    ("pattern", Plain),
    ("min_date", Plain),
    ("max_date", Plain),
]);
const QUESTION: Shape = Object(&[
    ("id", Plain),
    ("order", Plain),
    ("question_text", Plain),
    ("field_type", Plain),
    ("required", Plain),
    ("description", Plain),
    ("placeholder", Plain),
    ("options", List(&OPTION)),
    ("validation", VALIDATION),
]);
const INTERVAL: Shape = Plain;
const SCHEDULE: Shape = Object(&[
    ("id", Plain),
    ("name", Plain),
    ("schedule_type", Plain),
    ("display_timezone", Plain),
    ("session_type_schedule_intervals", List(&INTERVAL)),
]);

/// A session type, as the contract describes it.
const SESSION_TYPE: Shape = Object(&[
    ("id", Plain),
    ("name", Plain),
    ("status", Plain),
    ("duration", Plain),
    ("location", Plain),
    ("description", Plain),
    ("cover_image_url", Plain),
    ("payment_amount_full", Plain),
    ("payment_amount_partial", Plain),
    ("currency", Plain),
    ("collect_payment", Plain),
    ("minimum_notice_duration", Plain),
    ("maximum_notice_duration", Plain),
    ("buffer_before", Plain),
    ("buffer_after", Plain),
    ("payment_methods", List(&PAYMENT_METHOD)),
    ("taxes", List(&TAX)),
    ("intake_form_fields", List(&QUESTION)),
    ("cancellation_policy", Plain),
    ("reschedule_policy", Plain),
    ("session_type_schedule", SCHEDULE),
]);

const SLOT: Shape = Object(&[("start", Plain), ("end", Plain)]);
const MONTH: Shape = Object(&[
    ("session_type_id", Plain),
    ("year", Plain),
    ("month", Plain),
    ("timezone", Plain),
    ("available_dates", List(&Plain)),
    ("next_available_date", Plain),
]);
const DAY: Shape = Object(&[("session_type_id", Plain), ("date", Plain), ("timezone", Plain), ("slots", List(&SLOT))]);
const PAYMENT: Shape = Object(&[
    ("method_type", Plain),
    ("option", Plain),
    ("amount_due", Plain),
    ("currency", Plain),
    ("instructions", Plain),
    ("checkout_url", Plain),
]);
const CLIENT: Shape = Object(&[("first_name", Plain), ("last_name", Plain), ("email", Plain), ("phone", Plain)]);
/// A booked session, as the 201 answer gives the visitor who booked it.
const SESSION: Shape = Object(&[
    ("id", Plain),
    ("status", Plain),
    ("session_type_id", Plain),
    ("start", Plain),
    ("end", Plain),
    ("timezone", Plain),
    ("client", CLIENT),
    ("answers", Plain),
    ("payment", PAYMENT),
    ("created_at", Plain),
]);

fn keep(value: &Value, shape: &Shape) -> Value {
    match (shape, value) {
        (Plain, Value::Object(_) | Value::Array(_)) => value.clone(),
        (Plain, v) => v.clone(),
        (Object(fields), Value::Object(o)) => {
            let mut out = Map::new();
            for (name, inner) in *fields {
                if let Some(v) = o.get(*name) {
                    out.insert((*name).to_string(), keep(v, inner));
                }
            }
            Value::Object(out)
        }
        (List(inner), Value::Array(items)) => Value::Array(items.iter().map(|i| keep(i, inner)).collect()),
        // Not the shape the contract says: nothing of it is passed on.
        _ => Value::Null,
    }
}

/// Whether a session type (as the studio sent it) is open to visitors.
pub fn is_published(t: &Value) -> bool {
    t.get("status").and_then(Value::as_str).is_some_and(|s| s == "published")
}

/// A session type's public fields.
pub fn session_type(t: &Value) -> Value {
    keep(t, &SESSION_TYPE)
}

/// A month's availability, its public fields.
pub fn month(v: &Value) -> Value {
    keep(v, &MONTH)
}

/// A day's slots, their public fields.
pub fn day(v: &Value) -> Value {
    keep(v, &DAY)
}

/// A booked session, the fields its visitor may see.
pub fn session(v: &Value) -> Value {
    keep(v, &SESSION)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn only_the_contracts_fields_pass() {
        let studio = json!({
            "id": "set_A", "name": "Family", "status": "published", "duration": 60, "currency": "gbp",
            "internal_notes": "client owes us", "owner_email": "me@studio.example", "booking_count": 12,
            "payment_methods": [{"name": "Bank", "enabled": true, "type": "manual", "account_secret": "x"}],
            "intake_form_fields": [{"id": "q1", "field_type": "text", "options": [{"value": "a", "label": "A", "cost": 3}],
                                    "validation": {"max_length": 5, "regex_flags": "i"}, "private": true}],
            "session_type_schedule": {"display_timezone": "Europe/London", "owner_calendar_id": "cal_1"}
        });
        let public = session_type(&studio);
        assert_eq!(
            public,
            json!({
                "id": "set_A", "name": "Family", "status": "published", "duration": 60, "currency": "gbp",
                "payment_methods": [{"name": "Bank", "enabled": true, "type": "manual"}],
                "intake_form_fields": [{"id": "q1", "field_type": "text", "options": [{"value": "a", "label": "A"}], "validation": {"max_length": 5}}],
                "session_type_schedule": {"display_timezone": "Europe/London"}
            })
        );
        assert!(is_published(&studio));
        assert!(!is_published(&json!({"status": "draft"})));
        assert!(!is_published(&json!({"status": " Published"})));
        // A list where an object belongs passes nothing of it.
        assert_eq!(session_type(&json!({"id": "set_A", "session_type_schedule": ["x"]}))["session_type_schedule"], Value::Null);
    }
}
