//! What a client does with their own session after booking: see it, cancel it, or move it
//! to another slot, each with the manage token of the booking's 201 answer in the
//! `Manage-Token` header, within the session type's notice windows on the studio's clock.
//!
//! The token is a secret. The studio keeps only its SHA-256 digest, and checks a token by
//! comparing digests in constant time: a guess costs one digest and one comparison of 32
//! bytes whatever it holds, so a token that is nearly right is refused as fast as one that is
//! all wrong, and an unknown session costs the same work as a known one. No answer but the
//! booking's (and its replays) ever holds a token, and no message repeats one.

use chrono::{DateTime, Duration, SecondsFormat, Utc};
use chrono_tz::Tz;
use rand::distr::{Alphanumeric, SampleString};
use serde_json::{json, Map, Value};
use sha2::{Digest, Sha256};

use super::{keyed_request, rfc3339_in, slot_refusal, Reply, StoredSession, Studio};
use crate::engine::Availability;
use crate::login::constant_time_eq;

/// The length of a manage token: 48 letters and digits, some 285 bits (the contract asks for
/// at least 32 characters).
pub const MANAGE_TOKEN_LEN: usize = 48;

/// The longest reason a client may give for cancelling, in characters.
const MAX_REASON_CHARS: usize = 500;

/// A new manage token, from the thread's generator (a cryptographically secure one,
/// seeded by the operating system).
pub(super) fn new_token() -> String {
    Alphanumeric.sample_string(&mut rand::rng(), MANAGE_TOKEN_LEN)
}

/// The digest a token is kept and compared as.
pub(super) fn digest(token: &[u8]) -> [u8; 32] {
    Sha256::digest(token).into()
}

/// What a token is compared with when no session has the id asked for: no token's digest.
const NO_SESSION: [u8; 32] = [0; 32];

/// An instant as the session shows its times: in the zone it was booked (or moved) in.
fn in_zone(t: DateTime<Utc>, zone_name: &str) -> String {
    match zone_name.parse::<Tz>() {
        Ok(zone) => rfc3339_in(t, zone),
        Err(_) => t.to_rfc3339_opts(SecondsFormat::Secs, false),
    }
}

impl Studio {
    /// The index of the session a request names, if its `Manage-Token` is that session's.
    /// The contract gives these paths no 400: an id of the wrong shape is simply not found.
    fn authorize(&self, id: &str, token: Option<&str>) -> Result<usize, Reply> {
        let found = self.sessions.iter().position(|s| s.session.id == id);
        let given = digest(token.unwrap_or_default().as_bytes());
        let expected = found.map_or(NO_SESSION, |i| self.sessions[i].token_digest);
        let matches = constant_time_eq(&given, &expected);
        match found {
            None => Err(Reply::error(404, "resource_not_found", &format!("No session {id}"))),
            Some(i) if matches && token.is_some() => Ok(i),
            Some(_) => Err(Reply::error(
                403,
                "invalid_token",
                "This link to manage the session is not valid: use the link of your booking's confirmation, or contact the studio.",
            )),
        }
    }

    /// The last instant a client may cancel, or move, a session: so many hours before its
    /// current start.
    fn deadline(s: &StoredSession, notice_hours: u32) -> DateTime<Utc> {
        s.busy.start - Duration::hours(i64::from(notice_hours))
    }

    /// A session as its client sees it: what was booked and paid, and until when they may
    /// cancel or move it (the instant even when it has passed, so a client can say until
    /// when it was possible; null when the session type does not allow it or the session is
    /// cancelled).
    fn client_view(&self, index: usize) -> Value {
        let s = &self.sessions[index];
        let session = &s.session;
        let api = self.offerings.iter().find(|o| o.api.id == session.session_type_id).map(|o| &o.api);
        let open = !s.cancelled();
        let can_cancel = api.is_some_and(|a| a.allow_client_cancel.get());
        let can_move = api.is_some_and(|a| a.allow_client_reschedule.get());
        let until = |allowed: bool, hours: u32| (allowed && open).then(|| in_zone(Self::deadline(s, hours), &session.timezone));
        let reschedules_left = match api {
            Some(a) if can_move => a.max_client_reschedules.map(|max| max.saturating_sub(session.reschedule_count)),
            _ => Some(0),
        };
        json!({
            "id": session.id,
            "status": session.status,
            "session_type_id": session.session_type_id,
            "start": session.start,
            "end": session.end,
            "timezone": session.timezone,
            "client": {
                "first_name": session.client.first_name,
                "last_name": session.client.last_name,
                "email": session.client.email,
            },
            "payment": session.payment,
            "reschedule_count": session.reschedule_count,
            "can_cancel_until": until(can_cancel, api.map_or(0, |a| a.cancel_notice_hours)),
            "can_reschedule_until": until(can_move, api.map_or(0, |a| a.reschedule_notice_hours)),
            "reschedules_left": reschedules_left,
        })
    }

    /// GET /sessions/{id}: the session as its client sees it.
    pub fn client_session(&self, id: &str, token: Option<&str>) -> Reply {
        match self.authorize(id, token) {
            Ok(i) => Reply::data(200, self.client_view(i)),
            Err(r) => r,
        }
    }

    /// POST /sessions/{id}/cancel: the client cancels, with an optional reason. Allowed
    /// while the session type lets its clients cancel and the start is at least
    /// `cancel_notice_hours` away; a cancelled session is cancelled again with 200. The slot
    /// is free at once.
    pub fn cancel(&mut self, id: &str, token: Option<&str>, body: &[u8]) -> Reply {
        let i = match self.authorize(id, token) {
            Ok(i) => i,
            Err(r) => return r,
        };
        let reason = match read_reason(body) {
            Ok(r) => r,
            Err(r) => return r,
        };
        if self.sessions[i].cancelled() {
            return Reply::data(200, self.client_view(i));
        }
        let now = self.now();
        let Some(api) = self.offerings.iter().find(|o| o.api.id == self.sessions[i].session.session_type_id).map(|o| &o.api) else {
            return not_allowed("cancelled");
        };
        if !api.allow_client_cancel.get() {
            return not_allowed("cancelled");
        }
        let deadline = Self::deadline(&self.sessions[i], api.cancel_notice_hours);
        if now > deadline {
            return too_late(&self.sessions[i], deadline, "cancel");
        }
        let s = &mut self.sessions[i];
        s.session.status = "cancelled".into();
        s.session.cancelled_at = Some(now.to_rfc3339_opts(SecondsFormat::Secs, false));
        s.session.cancel_reason = reason;
        Reply::data(200, self.client_view(i))
    }

    /// POST /sessions/{id}/reschedule: the client moves the session to another slot of its
    /// session type. `key` is the Idempotency-Key header: the same key with the same body
    /// gets the first answer again and moves nothing more; with another body (or another
    /// session), 422 `idempotency_key_reused`.
    pub fn reschedule(&mut self, id: &str, token: Option<&str>, key: Option<&str>, body: &[u8]) -> Reply {
        let i = match self.authorize(id, token) {
            Ok(i) => i,
            Err(r) => return r,
        };
        let (key, body) = match keyed_request(key, body, "move") {
            Ok(v) => v,
            Err(r) => return r,
        };
        let request = json!({ "session_id": id, "body": body });
        let reused = "This Idempotency-Key was used for a different request: make a new key for a new move.";
        if let Some(previous) = self.reschedules.replay(key, &request, reused) {
            return previous;
        }
        let reply = self.reschedule_once(i, &body);
        // Only a move made is remembered: a refused one may be corrected and sent again.
        self.reschedules.keep(key, request, &reply, 200);
        reply
    }

    fn reschedule_once(&mut self, i: usize, body: &Value) -> Reply {
        let now = self.now();
        if self.sessions[i].cancelled() {
            return Reply::error(409, "session_cancelled", "This session was cancelled: book a new one instead.");
        }
        let Some(o) = self.offerings.iter().find(|o| o.api.id == self.sessions[i].session.session_type_id).cloned() else {
            return not_allowed("moved");
        };
        if !o.api.allow_client_reschedule.get() {
            return not_allowed("moved");
        }
        if let Some(max) = o.api.max_client_reschedules {
            if self.sessions[i].session.reschedule_count >= max {
                return Reply::error_with(
                    422,
                    "reschedule_limit_reached",
                    &format!("This session has been moved as many times as the studio allows ({max}): please contact the studio."),
                    json!({ "max_client_reschedules": max }),
                );
            }
        }
        let deadline = Self::deadline(&self.sessions[i], o.api.reschedule_notice_hours);
        if now > deadline {
            return too_late(&self.sessions[i], deadline, "move");
        }

        let mut details = Map::new();
        let start = match body.get("start").and_then(Value::as_str).map(DateTime::parse_from_rfc3339) {
            Some(Ok(t)) => Some(t.with_timezone(&Utc)),
            _ => {
                details.insert("start".into(), json!(["must be a date and time like 2025-08-07T09:00:00+01:00"]));
                None
            }
        };
        let zone: Option<Tz> = body.get("timezone").and_then(Value::as_str).and_then(|z| z.parse().ok());
        if zone.is_none() {
            details.insert("timezone".into(), json!(["is not an IANA time zone name"]));
        }
        let (Some(start), Some(zone)) = (start, zone) else {
            return Reply::error_with(422, "validation_failed", "The new time needs another look.", Value::Object(details));
        };
        if start == self.sessions[i].busy.start {
            return Reply::error_with(
                422,
                "validation_failed",
                "That is the session's own time.",
                json!({ "start": ["is the session's current start: choose another time"] }),
            );
        }

        // The session's own slot does not stand in the way of its move.
        let busy: Vec<_> = self.sessions.iter().enumerate().filter(|(k, s)| *k != i && !s.cancelled()).map(|(_, s)| s.busy).collect();
        let a = Availability { schedule: &o.schedule, rules: &o.rules, busy: &busy, now };
        if let Some(refused) = slot_refusal(&a, start) {
            return refused;
        }
        let end = start + Duration::minutes(i64::from(o.rules.duration_min));
        let s = &mut self.sessions[i];
        // The old slot is free as soon as the session leaves it: it is the same entry.
        s.busy.start = start;
        s.busy.end = end;
        s.session.start = rfc3339_in(start, zone);
        s.session.end = rfc3339_in(end, zone);
        s.session.timezone = zone.name().into();
        s.session.reschedule_count += 1;
        Reply::data(200, self.client_view(i))
    }
}

/// The optional `{"reason": …}` of a cancel: no body, an empty one, or null is no reason.
fn read_reason(body: &[u8]) -> Result<Option<String>, Reply> {
    if body.trim_ascii().is_empty() {
        return Ok(None);
    }
    let reason = match serde_json::from_slice::<Value>(body) {
        Ok(Value::Object(m)) => m.get("reason").cloned(),
        Ok(_) => return Err(Reply::error(400, "bad_request", "The body must be a JSON object, or left out.")),
        Err(e) => return Err(Reply::error(400, "bad_request", &format!("The body is not valid JSON: {e}"))),
    };
    match reason {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) if s.trim().chars().count() > MAX_REASON_CHARS => Err(Reply::error_with(
            422,
            "validation_failed",
            "The reason is too long.",
            json!({ "reason": [format!("Please keep the reason to {MAX_REASON_CHARS} characters.")] }),
        )),
        Some(Value::String(s)) => Ok(Some(s.trim().to_string()).filter(|s| !s.is_empty())),
        Some(_) => Err(Reply::error(400, "bad_request", "reason must be a string")),
    }
}

fn not_allowed(done: &str) -> Reply {
    Reply::error(422, "not_allowed", &format!("This session cannot be {done} online: please contact the studio."))
}

/// 409 `too_late`, with the last instant it was allowed in `details.deadline`.
fn too_late(s: &StoredSession, deadline: DateTime<Utc>, what: &str) -> Reply {
    let deadline = in_zone(deadline, &s.session.timezone);
    Reply::error_with(
        409,
        "too_late",
        &format!("It is too late to {what} this session online (it was possible until {deadline}): please contact the studio."),
        json!({ "deadline": deadline }),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_long_random_and_kept_as_digests() {
        let (a, b) = (new_token(), new_token());
        assert_eq!(a.len(), MANAGE_TOKEN_LEN);
        assert!(a.len() >= 32 && a.bytes().all(|c| c.is_ascii_alphanumeric()));
        assert_ne!(a, b);
        assert_eq!(digest(a.as_bytes()), digest(a.as_bytes()));
        assert_ne!(digest(a.as_bytes()), digest(b.as_bytes()));
        assert_ne!(digest(b""), NO_SESSION);
    }

    #[test]
    fn reasons() {
        assert_eq!(read_reason(b""), Ok(None));
        assert_eq!(read_reason(b"  \n"), Ok(None));
        assert_eq!(read_reason(br#"{}"#), Ok(None));
        assert_eq!(read_reason(br#"{"reason": null}"#), Ok(None));
        assert_eq!(read_reason(br#"{"reason": "  "}"#), Ok(None));
        assert_eq!(read_reason(br#"{"reason": " Ill, sorry "}"#), Ok(Some("Ill, sorry".into())));
        assert_eq!(read_reason(br#"{"reason": 5}"#).unwrap_err().status, 400);
        assert_eq!(read_reason(b"[1]").unwrap_err().status, 400);
        assert_eq!(read_reason(b"{nope").unwrap_err().status, 400);
        let long = json!({ "reason": "é".repeat(501) }).to_string();
        assert_eq!(read_reason(long.as_bytes()).unwrap_err().status, 422);
        let ok = json!({ "reason": "é".repeat(500) }).to_string();
        assert!(read_reason(ok.as_bytes()).is_ok());
    }
}
