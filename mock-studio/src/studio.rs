//! The studio's state and everything the API can ask of it, free of HTTP: each operation
//! takes plain values and gives a [`Reply`] (a status and a JSON body of the contract).
//!
//! The whole studio sits behind one mutex, and a booking (or a move) is checked and stored
//! while it is held, so two bookings can never take the same slot, a coupon's last use goes
//! to one booking only, and an Idempotency-Key is answered once, however many requests race.
//!
//! What a visitor reads (session types, availability, coupons) is in [`catalogue`], a booking
//! in [`booking`], and what a client does with their session afterwards (see, cancel, move it
//! with its manage token) in [`manage`].

mod booking;
mod catalogue;
mod manage;

use std::collections::HashMap;
use std::fmt;

use chrono::{DateTime, Duration, NaiveDate, SecondsFormat, Utc};
use chrono_tz::Tz;
use rand::distr::{Alphanumeric, SampleString};
use serde_json::{json, Map, Value};

use crate::demo::{self, DemoCoupon, DemoSessionType, StudioOnly};
use crate::engine::{self, Availability, Busy, DateOverride, Opening, Rules, Schedule, WeeklyOpening};
use crate::login::StudioLogin;
use crate::model::*;

pub use catalogue::{parse_date_zone, CouponRefusal};
pub use manage::MANAGE_TOKEN_LEN;

/// An answer to give: a status and a JSON body, plus any extra headers.
#[derive(Debug, Clone, PartialEq)]
pub struct Reply {
    /// The HTTP status.
    pub status: u16,
    /// The JSON body: `{"data": ...}`, or an error of the contract's shape.
    pub body: Value,
    /// Headers the answer needs besides the server's own.
    pub headers: Vec<(&'static str, String)>,
}

/// Why a start a booking or a move asks for cannot be had: someone took it (409
/// slot_unavailable), or the session type never offers it (422); None when it is open.
pub(crate) fn slot_refusal(a: &Availability, start: DateTime<Utc>) -> Option<Reply> {
    if a.offers(start) {
        return None;
    }
    Some(if a.schedule_makes(start) {
        Reply::error(409, "slot_unavailable", "Sorry, that time was just taken or is no longer open. Please choose another.")
    } else {
        Reply::error_with(
            422,
            "validation_failed",
            "That time is not one this session type offers.",
            json!({ "start": ["is not a time this session type offers; choose one from check-day-avail"] }),
        )
    })
}

impl Reply {
    /// A success: `{"data": ...}` with optional meta and links.
    pub fn data(status: u16, data: Value) -> Reply {
        Reply { status, body: json!({ "data": data }), headers: vec![] }
    }

    /// An error of the contract's shape.
    pub fn error(status: u16, code: &str, message: &str) -> Reply {
        Reply { status, body: error_body(code, message, None), headers: vec![] }
    }

    fn error_with(status: u16, code: &str, message: &str, details: Value) -> Reply {
        Reply { status, body: error_body(code, message, Some(details)), headers: vec![] }
    }
}

/// Where the studio's clock stands: the real time, a fixed instant, or the real time moved.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Clock {
    /// The machine's clock.
    System,
    /// Always this instant (`--now`, and tests).
    Fixed(DateTime<Utc>),
    /// The machine's clock moved by this much (`/__admin/clock` with `shift_minutes`).
    Shifted(Duration),
}

impl Clock {
    /// The instant it reads now.
    pub fn now(&self) -> DateTime<Utc> {
        match *self {
            Clock::System => Utc::now(),
            Clock::Fixed(t) => t,
            Clock::Shifted(d) => Utc::now() + d,
        }
    }
}

/// A session type with its schedule read into the engine's terms.
#[derive(Debug, Clone)]
struct Offering {
    api: SessionType,
    schedule: Schedule,
    rules: Rules,
    booking_status: String,
    studio_only: StudioOnly,
}

impl Offering {
    fn from_demo(d: DemoSessionType) -> Offering {
        let s = &d.api.session_type_schedule;
        let zone: Tz = s.display_timezone.parse().expect("demo zones are valid");
        let opening = |start: &str, end: &str| Opening {
            start_min: engine::parse_hhmm(start).expect("demo time"),
            end_min: engine::parse_hhmm(end).expect("demo time"),
        };
        let schedule = Schedule {
            zone,
            weekly: s
                .session_type_schedule_intervals
                .iter()
                .map(|i| WeeklyOpening { day_of_week: i.day_of_week, opening: opening(&i.start_time, &i.end_time) })
                .collect(),
            overrides: s
                .date_overrides
                .iter()
                .map(|o| DateOverride {
                    date: NaiveDate::parse_from_str(&o.date, "%Y-%m-%d").expect("demo date"),
                    openings: o.intervals.iter().map(|i| opening(&i.start_time, &i.end_time)).collect(),
                })
                .collect(),
        };
        let rules = Rules {
            duration_min: d.api.duration,
            step_min: d.step_min,
            buffer_before_min: d.api.buffer_before,
            buffer_after_min: d.api.buffer_after,
            min_notice_days: d.api.minimum_notice_duration,
            max_notice_days: d.api.maximum_notice_duration,
        };
        Offering { api: d.api, schedule, rules, booking_status: d.booking_status, studio_only: d.studio_only }
    }

    fn published(&self) -> bool {
        self.api.status == "published"
    }
}

#[derive(Debug, Clone)]
struct StoredSession {
    session: Session,
    busy: Busy,
    /// The SHA-256 digest of the session's manage token: the token itself is kept nowhere
    /// but in the booking's answer (for its replays).
    token_digest: [u8; 32],
}

impl StoredSession {
    fn cancelled(&self) -> bool {
        self.session.status == "cancelled"
    }
}

#[derive(Clone)]
struct IdempotentAnswer {
    request: Value,
    reply: Reply,
}

/// Without the answer: a booking's answer holds its manage token, which no printout may show.
impl fmt::Debug for IdempotentAnswer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("IdempotentAnswer").field("request", &self.request).field("status", &self.reply.status).finish_non_exhaustive()
    }
}

/// The answers given to Idempotency-Keys, of bookings or of moves: the same key with the same
/// request gets the first answer again, with another request 422 `idempotency_key_reused`.
#[derive(Debug, Default)]
struct Remembered(HashMap<String, IdempotentAnswer>);

impl Remembered {
    /// The answer a key has had, to give again; `reused` is the message when the request
    /// differs.
    fn replay(&self, key: &str, request: &Value, reused: &str) -> Option<Reply> {
        let previous = self.0.get(key)?;
        Some(if previous.request == *request { previous.reply.clone() } else { Reply::error(422, "idempotency_key_reused", reused) })
    }

    /// Keeps the answer when it has the status of a request that did its work (`done`): a
    /// refused request may be corrected and sent again with its key.
    fn keep(&mut self, key: &str, request: Value, reply: &Reply, done: u16) {
        if reply.status == done {
            self.0.insert(key.to_string(), IdempotentAnswer { request, reply: reply.clone() });
        }
    }
}

/// The Idempotency-Key (8 to 255 characters once trimmed) and the JSON object body that a
/// booking and a move both start from; `attempt` is what one key is made for, as the
/// message for a missing key says.
fn keyed_request<'k>(key: Option<&'k str>, body: &[u8], attempt: &str) -> Result<(&'k str, Value), Reply> {
    let Some(key) = key.map(str::trim) else {
        let message = format!("The Idempotency-Key header is required: make one per {attempt} and send it again with every retry.");
        return Err(Reply::error(400, "bad_request", &message));
    };
    if !(8..=255).contains(&key.len()) {
        return Err(Reply::error(400, "bad_request", "The Idempotency-Key header must be 8 to 255 characters long."));
    }
    match serde_json::from_slice(body) {
        Ok(v @ Value::Object(_)) => Ok((key, v)),
        Ok(_) => Err(Reply::error(400, "bad_request", "The body must be a JSON object.")),
        Err(e) => Err(Reply::error(400, "bad_request", &format!("The body is not valid JSON: {e}"))),
    }
}

/// Settings the studio starts with.
#[derive(Debug, Clone)]
pub struct StudioConfig {
    /// The public URL of the server, e.g. "http://127.0.0.1:8787": covers and checkout links.
    pub public_base: String,
    /// per_page when a client sends none (the contract's default is 25).
    pub default_per_page: u32,
    /// Whether to start with the demo's sessions already booked.
    pub seed_bookings: bool,
    /// The studio's clock: the demo's dates are laid out from its reading at start-up.
    pub clock: Clock,
    /// Studio mode: the owner's login every API request must carry, as a real studio asks
    /// (see [`crate::login`]); the session types then show their private fields too. None
    /// is public mode: the public booking part, for any origin.
    pub login: Option<StudioLogin>,
    /// Whether the demo includes the Newborn Studio Session, published with its contract to
    /// sign and its coupon NEWBORN10 (`--demo-contracts`; the README's demo runs with it). Off
    /// by default, so that the tests written for the seven types keep their counts.
    pub demo_contracts: bool,
    /// Whether the demo includes the Holiday Mini Sessions, whose openings fall on three days
    /// only (`--demo-mini-days`): the widget shows them as a sign-up sheet. Off by default,
    /// like `demo_contracts`, so the default demo and its counts stay as they were.
    pub demo_mini_days: bool,
}

impl Default for StudioConfig {
    fn default() -> Self {
        StudioConfig {
            public_base: "http://127.0.0.1:8787".into(),
            default_per_page: 25,
            seed_bookings: true,
            clock: Clock::System,
            login: None,
            demo_contracts: false,
            demo_mini_days: false,
        }
    }
}

/// The demo studio: its session types and coupons, the sessions booked and the answers given
/// to Idempotency-Keys (of bookings and of moves).
#[derive(Debug)]
pub struct Studio {
    config: StudioConfig,
    offerings: Vec<Offering>,
    coupons: Vec<DemoCoupon>,
    sessions: Vec<StoredSession>,
    idempotency: Remembered,
    reschedules: Remembered,
    clients_by_email: HashMap<String, String>,
}

/// What a new session is made of, once the booking request has been checked.
struct NewSession {
    start: DateTime<Utc>,
    zone: Tz,
    client: Client,
    answers: Map<String, Value>,
    payment: Option<Payment>,
    contract_signature: Option<ContractSignature>,
}

/// Whether an id has the contract's shape: the prefix, "_", 30 ASCII letters or digits.
pub fn is_valid_id(id: &str, prefix: &str) -> bool {
    id.strip_prefix(prefix)
        .and_then(|rest| rest.strip_prefix('_'))
        .is_some_and(|body| body.len() == 30 && body.bytes().all(|b| b.is_ascii_alphanumeric()))
}

fn random_id(prefix: &str) -> String {
    format!("{prefix}_{}", Alphanumeric.sample_string(&mut rand::rng(), 30))
}

fn rfc3339_in(t: DateTime<Utc>, zone: Tz) -> String {
    t.with_timezone(&zone).to_rfc3339_opts(SecondsFormat::Secs, false)
}

impl Studio {
    /// A studio with the demo's session types (and, if asked, its sessions already booked).
    pub fn demo(config: StudioConfig) -> Studio {
        let now = config.clock.now();
        let today = demo::studio_today(now);
        let types = demo::session_types_with(today, &config.public_base, config.demo_contracts, config.demo_mini_days);
        let coupons = demo::coupons(today, &types);
        let offerings: Vec<Offering> = types.into_iter().map(Offering::from_demo).collect();
        let mut studio = Studio {
            config,
            offerings,
            coupons,
            sessions: vec![],
            idempotency: Remembered::default(),
            reschedules: Remembered::default(),
            clients_by_email: HashMap::new(),
        };
        if studio.config.seed_bookings {
            let seeds = [
                ("Ruth", "Okafor", "ruth.okafor@example.com"),
                ("Tom", "Brennan", "tom@brennan-design.example"),
                ("Priya", "Shah", "priya.shah@example.org"),
                ("Hannah", "Whitfield", "hannah.whitfield@example.com"),
                ("Lucas", "Moreau", "lucas.moreau@example.net"),
                ("Amara", "Osei", "amara.osei@example.org"),
            ];
            for ((type_id, date, time), (first, last, email)) in demo::seeded_bookings(today).into_iter().zip(seeds) {
                let Some(o) = studio.offerings.iter().find(|o| o.api.id == type_id).cloned() else {
                    continue;
                };
                let start = engine::first_instant_at_or_after(
                    o.schedule.zone,
                    date.and_time(chrono::NaiveTime::MIN) + Duration::minutes(i64::from(engine::parse_hhmm(time).unwrap_or(600))),
                );
                let client = studio.client_for(first, last, email, None);
                let new = NewSession { start, zone: o.schedule.zone, client, answers: Map::new(), payment: None, contract_signature: None };
                // Nobody holds the manage tokens of the demo's own sessions.
                studio.store_session(&o, new, now);
            }
        }
        studio
    }

    /// The instant the studio's clock reads.
    pub fn now(&self) -> DateTime<Utc> {
        self.config.clock.now()
    }

    /// Sets the studio's clock.
    pub fn set_clock(&mut self, clock: Clock) {
        self.config.clock = clock;
    }

    /// Everyone's sessions as the engine sees them; a cancelled one holds no time.
    fn busy(&self) -> Vec<Busy> {
        self.sessions.iter().filter(|s| !s.cancelled()).map(|s| s.busy).collect()
    }

    /// GET /sessions: every session, oldest first.
    pub fn list_sessions(&self) -> Reply {
        let total = self.sessions.len();
        Reply {
            status: 200,
            body: json!({
                "data": self.sessions.iter().map(|s| &s.session).collect::<Vec<_>>(),
                "meta": { "current_page": 1, "per_page": total.max(1), "total": total, "last_page": 1 },
            }),
            headers: vec![],
        }
    }

    /// GET /sessions/inquiry/count: sessions waiting for the studio to confirm them.
    pub fn inquiry_count(&self) -> Reply {
        let count = self.sessions.iter().filter(|s| s.session.status == "inquiry").count();
        Reply::data(200, json!({ "count": count }))
    }

    fn client_for(&mut self, first: &str, last: &str, email: &str, phone: Option<String>) -> Client {
        let key = email.trim().to_lowercase();
        let id = self.clients_by_email.entry(key).or_insert_with(|| random_id("cl")).clone();
        Client { id, first_name: first.trim().into(), last_name: last.trim().into(), email: email.trim().into(), phone }
    }

    /// Stores a new session; gives it and its manage token, which is kept nowhere else.
    fn store_session(&mut self, o: &Offering, new: NewSession, now: DateTime<Utc>) -> (Session, String) {
        let end = new.start + Duration::minutes(i64::from(o.rules.duration_min));
        let mut session = Session {
            id: random_id("ses"),
            status: o.booking_status.clone(),
            session_type_id: o.api.id.clone(),
            start: rfc3339_in(new.start, new.zone),
            end: rfc3339_in(end, new.zone),
            timezone: new.zone.name().into(),
            client: new.client,
            answers: new.answers,
            payment: new.payment,
            contract_signature: new.contract_signature,
            reschedule_count: 0,
            created_at: now.to_rfc3339_opts(SecondsFormat::Secs, false),
            cancelled_at: None,
            cancel_reason: None,
        };
        if let Some(p) = session.payment.as_mut() {
            if matches!(p.method_type.as_deref(), Some("pixieset-payments" | "paypal")) {
                p.checkout_url = Some(format!("{}/checkout/{}", self.config.public_base, session.id));
            }
        }
        let busy = Busy { start: new.start, end, buffer_before_min: o.rules.buffer_before_min, buffer_after_min: o.rules.buffer_after_min };
        let token = manage::new_token();
        self.sessions.push(StoredSession { session: session.clone(), busy, token_digest: manage::digest(token.as_bytes()) });
        (session, token)
    }

    /// One booked session by id (for the demo checkout page).
    pub fn session(&self, id: &str) -> Option<Value> {
        self.sessions.iter().find(|s| s.session.id == id).map(|s| json!(s.session))
    }

    /// Replaces a session type's description (an admin call, for tests of what the widget
    /// does with a hostile or odd description). False when there is no such session type.
    pub fn set_description(&mut self, id: &str, description: Option<String>) -> bool {
        match self.offerings.iter_mut().find(|o| o.api.id == id) {
            Some(o) => {
                o.api.description = description;
                true
            }
            None => false,
        }
    }

    /// The name of a session type, by id (for the demo checkout page).
    pub fn session_type_name(&self, id: &str) -> Option<String> {
        self.offerings.iter().find(|o| o.api.id == id).map(|o| o.api.name.clone())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_of_the_contract_shape() {
        assert!(is_valid_id("set_SES001ABC123DEF456GHI789JKL012", "set"));
        assert!(!is_valid_id("set_SES001ABC123DEF456GHI789JKL01", "set"));
        assert!(!is_valid_id("ses_SES001ABC123DEF456GHI789JKL012", "set"));
        assert!(!is_valid_id("set_SES001ABC123DEF456GHI789JKL01!", "set"));
        assert!(!is_valid_id("set_ÉES001ABC123DEF456GHI789JKL01", "set"));
        assert!(is_valid_id(&random_id("ses"), "ses"));
        assert!(is_valid_id(&demo::make_id("set", "X"), "set"));
    }
}
