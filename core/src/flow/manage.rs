//! A booked session opened through its manage link: what the client may still do with it
//! (move it, cancel it) within the studio's windows, and why the studio refused when it did.
//! The flow's [`super::Flow::managing`] holds it; moving reuses the date and time step.

use crate::json::Value;
use crate::models::BookedSession;
use crate::object;
use crate::outcome::{ApiError, Failure};

/// The parameters of a manage link, on the photographer's page (or the `manage-url` page):
/// long names, so that they never meet a page's own (interface.json's `manageLink`, which the
/// loader reads too). A link carries them in its fragment, which no server, `Referer` or
/// request ever sees; links written before that carry them in the query, and are still read.
pub const SESSION_PARAM: &str = crate::facts::MANAGE_SESSION_PARAM;
/// The manage token's parameter: read once by the loader, and at once removed from the
/// address bar.
pub const TOKEN_PARAM: &str = crate::facts::MANAGE_TOKEN_PARAM;

/// The longest cancel reason the studio takes, in characters.
pub const REASON_MAX: usize = 500;

/// Whether a link's session id and token (its query parameters, decoded) are of the
/// contract's shape: `ses_` and 30 letters and digits; a token of [`is_manage_token`]'s.
/// Another link is not followed (nothing of it is sent anywhere).
pub fn is_manage_link(id: &str, token: &str) -> bool {
    crate::models::has_id_shape(id, crate::models::SESSION_ID_PREFIX) && is_manage_token(token)
}

/// Whether a manage token has the contract's shape: 32 to 128 visible ASCII characters. The
/// widget follows no link with another, and the gateway passes on no other to the studio.
pub fn is_manage_token(token: &str) -> bool {
    (32..=128).contains(&token.len()) && token.bytes().all(|b| b.is_ascii_graphic())
}

/// A token as a query value: letters, digits, `-`, `_`, `.` and `~` as they are, every other
/// byte `%XX`.
fn encoded(v: &str) -> String {
    v.bytes()
        .map(|b| if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') { (b as char).to_string() } else { format!("%{b:02X}") })
        .collect()
}

/// The manage link of a session on `page` (an absolute URL): the page with its own query
/// (less an older link's parameters) and a fragment that holds only the link's parameters
/// (the page's own fragment is not part of it). A fragment is never sent to a server nor
/// written in a `Referer`: the token stays between the client and the widget.
pub fn link_to(page: &str, id: &str, token: &str) -> String {
    let page = page.split('#').next().unwrap_or_default();
    let (path, query) = page.split_once('?').unwrap_or((page, ""));
    let kept: Vec<&str> = query
        .split('&')
        .filter(|p| !p.is_empty())
        .filter(|p| {
            let k = p.split('=').next().unwrap_or_default();
            k != SESSION_PARAM && k != TOKEN_PARAM
        })
        .collect();
    let query = if kept.is_empty() { String::new() } else { format!("?{}", kept.join("&")) };
    format!("{path}{query}#{SESSION_PARAM}={id}&{TOKEN_PARAM}={}", encoded(token))
}

/// Whether the client may still do something, by the studio's own last instant for it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Window {
    /// Allowed until this instant (as the studio wrote it).
    Open { until: String },
    /// It was allowed until this instant, which has passed.
    Closed { until: String },
    /// The studio does not allow it for this session (or it is cancelled, or no moves are
    /// left).
    Never,
}

impl Window {
    /// The window an instant (`can_cancel_until`, `can_reschedule_until`) gives at `now_ms`.
    pub fn of(until: Option<&str>, now_ms: i64) -> Window {
        match until.and_then(|u| Some((u, crate::iso::parse_instant_ms(u)?))) {
            Some((u, at)) if now_ms < at => Window::Open { until: u.to_string() },
            Some((u, _)) => Window::Closed { until: u.to_string() },
            None => Window::Never,
        }
    }

    /// Whether it is open.
    pub fn is_open(&self) -> bool {
        matches!(self, Window::Open { .. })
    }
}

/// What was last done with the session on this page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Done {
    Moved,
    Cancelled,
}

/// Why the studio refused to show, move or cancel the session.
#[derive(Debug, Clone, PartialEq)]
pub enum ManageRefusal {
    /// 403 invalid_token or 404: a wrong or old link.
    WrongLink,
    /// 409 too_late: past the notice window (details.deadline, when given).
    TooLate { deadline: Option<String> },
    /// 422 not_allowed: the studio does not let clients do this for this session type.
    NotAllowed,
    /// 422 reschedule_limit_reached: no moves left.
    LimitReached,
    /// 409 slot_unavailable: someone else took the new time first.
    SlotTaken,
    /// 409 session_cancelled: it was cancelled already.
    AlreadyCancelled,
    /// Anything else (offline, busy, an error answer): trying again is safe.
    Failed(Failure),
}

impl ManageRefusal {
    /// What an error answer to a manage request means.
    pub fn of(error: ApiError, offline: bool) -> ManageRefusal {
        match &error {
            ApiError::Refused { status: 403 | 404, .. } => ManageRefusal::WrongLink,
            ApiError::Refused { code, details, .. } => match code.as_str() {
                "invalid_token" => ManageRefusal::WrongLink,
                "too_late" => ManageRefusal::TooLate { deadline: details.get("deadline").and_then(Value::as_str).map(str::to_string) },
                "not_allowed" => ManageRefusal::NotAllowed,
                "reschedule_limit_reached" => ManageRefusal::LimitReached,
                "slot_unavailable" => ManageRefusal::SlotTaken,
                "session_cancelled" => ManageRefusal::AlreadyCancelled,
                _ => ManageRefusal::Failed(Failure::Api(error)),
            },
            ApiError::Network | ApiError::Timeout if offline => ManageRefusal::Failed(Failure::Offline),
            ApiError::Network | ApiError::Timeout => ManageRefusal::Failed(Failure::NotConfirmed),
            _ => ManageRefusal::Failed(Failure::Api(error)),
        }
    }
}

/// A session opened through its manage link, and what the client is doing with it.
#[derive(Debug, Clone, PartialEq)]
pub struct Managed {
    pub id: String,
    /// The manage token (a secret: sent only as the Manage-Token header to the studio).
    pub token: String,
    /// The session as the studio last gave it (None while it loads).
    pub session: Option<BookedSession>,
    /// The "Cancel booking" confirmation is open.
    pub confirming_cancel: bool,
    /// The optional reason typed for a cancel (kept if the confirmation is closed).
    pub reason: String,
    pub done: Option<Done>,
    pub refusal: Option<ManageRefusal>,
}

impl Managed {
    /// A link's session, not loaded yet.
    pub fn new(id: String, token: String) -> Managed {
        Managed { id, token, session: None, confirming_cancel: false, reason: String::new(), done: None, refusal: None }
    }

    /// Whether the client may cancel it at `now_ms`.
    pub fn cancel_window(&self, now_ms: i64) -> Window {
        match &self.session {
            Some(s) if !s.is_cancelled() => Window::of(s.can_cancel_until.as_deref(), now_ms),
            _ => Window::Never,
        }
    }

    /// Whether the client may move it at `now_ms`.
    pub fn move_window(&self, now_ms: i64) -> Window {
        match &self.session {
            Some(s) if !s.is_cancelled() && s.reschedules_left != Some(0) => Window::of(s.can_reschedule_until.as_deref(), now_ms),
            _ => Window::Never,
        }
    }

    /// The cancel request's body.
    pub fn cancel_body(&self) -> Value {
        let reason = self.reason.trim();
        let reason: String = reason.chars().take(REASON_MAX).collect();
        object! { "reason" => (!reason.is_empty()).then_some(reason) }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const ID: &str = "ses_ABCDEFGHIJKLMNOPQRSTUVWXYZ0123";
    const TOKEN: &str = "tok_0123456789abcdefghijklmnopqrstuvwxyzABCD";

    /// A link's parameters decoded as the browser's URLSearchParams reads them (tests only).
    fn read(link: &str) -> (String, String) {
        let query = link.split_once('#').unwrap().1;
        let get = |name: &str| {
            let v = query.split('&').find_map(|p| p.strip_prefix(&format!("{name}="))).unwrap();
            let (b, mut out, mut i) = (v.as_bytes(), Vec::new(), 0);
            while i < b.len() {
                if b[i] == b'%' {
                    out.push(u8::from_str_radix(&v[i + 1..i + 3], 16).unwrap());
                    i += 3;
                } else {
                    out.push(b[i]);
                    i += 1;
                }
            }
            String::from_utf8(out).unwrap()
        };
        (get(SESSION_PARAM), get(TOKEN_PARAM))
    }

    #[test]
    fn a_link_is_written_and_read_back() {
        // The page's query stays; its fragment gives way to the link's parameters.
        let link = link_to("https://juniper.example/book?ref=news#top", ID, TOKEN);
        assert_eq!(link, format!("https://juniper.example/book?ref=news#{SESSION_PARAM}={ID}&{TOKEN_PARAM}={TOKEN}"));
        assert_eq!(read(&link), (ID.to_string(), TOKEN.to_string()));
        assert_eq!(
            link_to("https://juniper.example/book", ID, TOKEN),
            format!("https://juniper.example/book#{SESSION_PARAM}={ID}&{TOKEN_PARAM}={TOKEN}")
        );
        // A link made again on a page that carries one keeps one.
        let again = link_to(&link, ID, TOKEN);
        assert_eq!(again.matches(TOKEN_PARAM).count(), 1);
        // An older link's parameters in the page's query do not stay there.
        let old = format!("https://juniper.example/book?{SESSION_PARAM}={ID}&ref=news&{TOKEN_PARAM}={TOKEN}");
        assert_eq!(link_to(&old, ID, TOKEN), link);
        // A token with other characters goes through escaped.
        let odd = "a+b/c=d".repeat(6);
        let link = link_to("https://juniper.example/", ID, &odd);
        assert!(!link.contains('+'));
        assert_eq!(read(&link).1, odd);
        assert!(is_manage_link(ID, &odd));
    }

    #[test]
    fn links_of_the_wrong_shape_are_not_followed() {
        assert!(is_manage_link(ID, TOKEN));
        let spaced = format!("{TOKEN} x");
        for (id, token) in [("ses_short", TOKEN), (ID, "short"), ("../../ses_ABCDEFGHIJKLMNOPQRSTUVWXYZ01", TOKEN), (ID, spaced.as_str())] {
            assert!(!is_manage_link(id, token), "{id} {token}");
        }
        assert!(!is_manage_link(ID, &"x".repeat(129)));
    }

    #[test]
    fn windows_and_refusals() {
        let at = crate::iso::parse_instant_ms("2026-12-10T09:00:00Z").unwrap();
        assert!(Window::of(Some("2026-12-10T10:00:00+01:00"), at - 1).is_open());
        assert_eq!(Window::of(Some("2026-12-10T10:00:00+01:00"), at), Window::Closed { until: "2026-12-10T10:00:00+01:00".into() });
        assert_eq!(Window::of(None, at), Window::Never);
        let mut m = Managed::new(ID.into(), TOKEN.into());
        m.session =
            Some(BookedSession { can_reschedule_until: Some("2026-12-11T00:00:00Z".into()), reschedules_left: Some(0), ..Default::default() });
        assert_eq!(m.move_window(at), Window::Never, "no moves left");
        m.reason = format!("  {}  ", "é".repeat(600));
        assert_eq!(m.cancel_body().get("reason").and_then(Value::as_str).map(|r| r.chars().count()), Some(REASON_MAX));
        let refused = |status: u16, code: &str, details: &str| {
            ManageRefusal::of(
                ApiError::from_answer(status, &format!(r#"{{"error": {{"code": "{code}", "message": "", "details": {details}}}}}"#), None),
                false,
            )
        };
        assert_eq!(
            refused(409, "too_late", r#"{"deadline": "2026-12-09T10:00:00Z"}"#),
            ManageRefusal::TooLate { deadline: Some("2026-12-09T10:00:00Z".into()) }
        );
        assert_eq!(refused(403, "invalid_token", "null"), ManageRefusal::WrongLink);
        assert_eq!(refused(404, "resource_not_found", "null"), ManageRefusal::WrongLink);
        assert_eq!(refused(422, "not_allowed", "null"), ManageRefusal::NotAllowed);
        assert_eq!(refused(422, "reschedule_limit_reached", "null"), ManageRefusal::LimitReached);
        assert_eq!(refused(409, "slot_unavailable", "null"), ManageRefusal::SlotTaken);
        assert_eq!(refused(409, "session_cancelled", "null"), ManageRefusal::AlreadyCancelled);
        assert!(matches!(refused(500, "", "null"), ManageRefusal::Failed(_)));
        assert_eq!(ManageRefusal::of(ApiError::Network, true), ManageRefusal::Failed(Failure::Offline));
    }
}
