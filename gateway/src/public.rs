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
/// The studio's contract for a session type, to be read and signed while booking: its
/// wording only (the studio's template id is an internal one and stays hidden).
const CONTRACT: Shape = Object(&[("id", Plain), ("title", Plain), ("body", Plain)]);
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
    ("contract", CONTRACT),
    ("accepts_coupons", Plain),
    ("allow_client_cancel", Plain),
    ("cancel_notice_hours", Plain),
    ("allow_client_reschedule", Plain),
    ("reschedule_notice_hours", Plain),
    ("max_client_reschedules", Plain),
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
    ("price", Plain),
    ("discount", Plain),
    ("coupon_code", Plain),
    ("amount_due", Plain),
    ("currency", Plain),
    ("instructions", Plain),
    ("checkout_url", Plain),
]);
const CLIENT: Shape = Object(&[("first_name", Plain), ("last_name", Plain), ("email", Plain), ("phone", Plain)]);
const SIGNATURE: Shape = Object(&[("name", Plain), ("signed_at", Plain)]);
/// A booked session, as the 201 answer gives the visitor who booked it: with its manage
/// token, the secret with which that visitor later sees, cancels or moves it (only this
/// answer holds it; it is never logged).
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
    ("manage_token", Plain),
    ("contract_signature", SIGNATURE),
    ("reschedule_count", Plain),
    ("created_at", Plain),
]);
/// A session as its client sees it with the manage token (seen, cancelled or moved): no
/// answers, no phone, no token.
const CLIENT_SESSION: Shape = Object(&[
    ("id", Plain),
    ("status", Plain),
    ("session_type_id", Plain),
    ("start", Plain),
    ("end", Plain),
    ("timezone", Plain),
    ("client", Object(&[("first_name", Plain), ("last_name", Plain), ("email", Plain)])),
    ("payment", PAYMENT),
    ("reschedule_count", Plain),
    ("can_cancel_until", Plain),
    ("can_reschedule_until", Plain),
    ("reschedules_left", Plain),
    ("contract_signature", SIGNATURE),
]);
/// What a coupon code takes off a session type's price.
const COUPON: Shape = Object(&[("code", Plain), ("discount_type", Plain), ("discount_value", Plain), ("expires_at", Plain)]);

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

/// A session as its client manages it, the fields they may see.
pub fn client_session(v: &Value) -> Value {
    keep(v, &CLIENT_SESSION)
}

/// A coupon's public fields.
pub fn coupon(v: &Value) -> Value {
    keep(v, &COUPON)
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

    #[test]
    fn the_contract_coupons_and_client_windows_pass_but_internal_template_ids_do_not() {
        let studio = json!({
            "id": "set_A", "status": "published",
            "contract_template_id": "ct_X", "questionnaire_template_id": "qt_X",
            "contract": {"id": "ct_X", "title": "Agreement", "body": "<p>Terms</p>", "version_notes": "draft 3", "owner_signature": "M.Q."},
            "accepts_coupons": 1, "allow_client_cancel": true, "cancel_notice_hours": 48,
            "allow_client_reschedule": false, "reschedule_notice_hours": 0, "max_client_reschedules": null
        });
        assert_eq!(
            session_type(&studio),
            json!({
                "id": "set_A", "status": "published",
                "contract": {"id": "ct_X", "title": "Agreement", "body": "<p>Terms</p>"},
                "accepts_coupons": 1, "allow_client_cancel": true, "cancel_notice_hours": 48,
                "allow_client_reschedule": false, "reschedule_notice_hours": 0, "max_client_reschedules": null
            })
        );
        // No contract is null, and stays so.
        assert_eq!(session_type(&json!({"contract": null}))["contract"], Value::Null);
        assert_eq!(
            coupon(&json!({"code": "SUMMER20", "discount_type": "percentage", "discount_value": 20, "expires_at": null, "uses": 3, "max_uses": 10})),
            json!({"code": "SUMMER20", "discount_type": "percentage", "discount_value": 20, "expires_at": null})
        );
    }

    #[test]
    fn a_booked_session_carries_its_token_once_and_the_clients_view_never() {
        let studio = json!({
            "id": "ses_A", "status": "booked", "session_type_id": "set_A", "start": "s", "end": "e", "timezone": "Europe/London",
            "client": {"id": "cl_A", "first_name": "Ana", "last_name": "Silva", "email": "ana@example.com", "phone": "+44 1"},
            "answers": {"q": 1},
            "payment": {"method_type": "manual", "option": "full", "price": 20000, "discount": 5000, "coupon_code": "JUNIPER20",
                        "amount_due": 20000, "currency": "gbp", "instructions": null, "checkout_url": null, "processor_ref": "pi_123"},
            "manage_token": "t".repeat(48),
            "contract_signature": {"name": "Ana Silva", "signed_at": "2030-01-01T10:00:00Z", "ip": "203.0.113.9"},
            "reschedule_count": 0, "created_at": "c",
            "can_cancel_until": "2030-01-05T10:00:00Z", "can_reschedule_until": null, "reschedules_left": 1,
            "internal_notes": "x", "cancel_reason": "private"
        });
        let booked = session(&studio);
        assert_eq!(booked["manage_token"], studio["manage_token"]);
        assert_eq!(booked["payment"]["discount"], 5000);
        assert_eq!(booked["payment"]["coupon_code"], "JUNIPER20");
        assert_eq!(booked["contract_signature"], json!({"name": "Ana Silva", "signed_at": "2030-01-01T10:00:00Z"}));
        assert!(booked.get("internal_notes").is_none() && booked["payment"].get("processor_ref").is_none());
        let view = client_session(&studio);
        for gone in ["manage_token", "answers", "internal_notes", "cancel_reason", "created_at"] {
            assert!(view.get(gone).is_none(), "{gone} passed");
        }
        assert_eq!(view["client"], json!({"first_name": "Ana", "last_name": "Silva", "email": "ana@example.com"}));
        assert_eq!((view["can_cancel_until"].as_str(), view["reschedules_left"].as_u64()), (Some("2030-01-05T10:00:00Z"), Some(1)));
        assert_eq!(view["can_reschedule_until"], Value::Null);
        assert_eq!(view["payment"]["price"], 20000);
        assert_eq!(view["contract_signature"]["name"], "Ana Silva");
        assert!(view["contract_signature"].get("ip").is_none());
    }
}
