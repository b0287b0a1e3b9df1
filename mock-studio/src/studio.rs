//! The studio's state and everything the API can ask of it, free of HTTP: each operation
//! takes plain values and gives a [`Reply`] (a status and a JSON body of the contract).
//!
//! The whole studio sits behind one mutex, and a booking (or a move) is checked and stored
//! while it is held, so two bookings can never take the same slot, a coupon's last use goes
//! to one booking only, and an Idempotency-Key is answered once, however many requests race.
//!
//! What a client does with their session afterwards (see, cancel, move it with its manage
//! token) is in [`manage`].

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
use crate::rules::{amount_due, check_answer, chosen_amount, discount_amount, is_email, is_phone};

pub use manage::MANAGE_TOKEN_LEN;

/// An answer to give: a status and a JSON body, plus any extra headers.
#[derive(Debug, Clone, PartialEq)]
pub struct Reply {
    pub status: u16,
    pub body: Value,
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
    System,
    Fixed(DateTime<Utc>),
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
    booking_status: &'static str,
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

/// Why a coupon code is refused, with the contract's code for each reason.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CouponRefusal {
    /// Unknown, switched off, or not valid for this session type (or the session type takes
    /// no coupons): `coupon_not_found`, 404 at the coupon endpoint.
    NotFound,
    /// Past its `expires_at` on the studio's clock: `coupon_expired`, 422.
    Expired,
    /// Every use it allows has been made: `coupon_used_up`, 422.
    UsedUp,
}

impl CouponRefusal {
    /// The contract's error code.
    pub fn code(self) -> &'static str {
        match self {
            CouponRefusal::NotFound => "coupon_not_found",
            CouponRefusal::Expired => "coupon_expired",
            CouponRefusal::UsedUp => "coupon_used_up",
        }
    }

    fn reply(self) -> Reply {
        match self {
            CouponRefusal::NotFound => Reply::error(404, self.code(), "There is no such code for this session."),
            CouponRefusal::Expired => Reply::error(422, self.code(), "This code has expired."),
            CouponRefusal::UsedUp => Reply::error(422, self.code(), "This code has been used as many times as it allows."),
        }
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
    pub clock: Clock,
    /// Studio mode: the owner's login every API request must carry, as a real studio asks
    /// (see [`crate::login`]); the session types then show their private fields too. None
    /// is public mode: the public booking part, for any origin.
    pub login: Option<StudioLogin>,
    /// Whether the demo includes the Newborn Studio Session, published with its contract to
    /// sign and its coupon NEWBORN10 (`--demo-contracts`; the README's demo runs with it). Off
    /// by default, so that the tests written for the seven types keep their counts.
    pub demo_contracts: bool,
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
    idempotency: HashMap<String, IdempotentAnswer>,
    reschedules: HashMap<String, IdempotentAnswer>,
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

/// Reads "YYYY-M" or "YYYY-M-D" followed by "-" and a zone, as the availability paths carry
/// them. `parts` is 2 for a month, 3 for a day. The zone may itself hold hyphens
/// ("America/Port-au-Prince") and slashes.
pub fn parse_date_zone(s: &str, parts: usize) -> Result<(Vec<u32>, Tz, String), Reply> {
    let mut numbers = Vec::with_capacity(parts);
    let mut rest = s;
    for _ in 0..parts {
        let Some((n, tail)) = rest.split_once('-') else {
            return Err(Reply::error(
                400,
                "invalid_date",
                &format!("\"{s}\" is not of the form {}-Zone/Name", if parts == 2 { "YYYY-M" } else { "YYYY-M-D" }),
            ));
        };
        if n.is_empty() || n.len() > 4 || !n.bytes().all(|b| b.is_ascii_digit()) {
            return Err(Reply::error(400, "invalid_date", &format!("\"{n}\" in \"{s}\" is not a number")));
        }
        numbers.push(n.parse::<u32>().map_err(|_| Reply::error(400, "invalid_date", "not a number"))?);
        rest = tail;
    }
    let zone_name = rest;
    let zone: Tz = zone_name
        .parse()
        .map_err(|_| Reply::error(400, "invalid_timezone", &format!("\"{zone_name}\" is not an IANA time zone name (like Europe/London)")))?;
    Ok((numbers, zone, zone_name.to_string()))
}

impl Studio {
    /// A studio with the demo's session types (and, if asked, its sessions already booked).
    pub fn demo(config: StudioConfig) -> Studio {
        let now = config.clock.now();
        let today = demo::studio_today(now);
        let types = demo::session_types(today, &config.public_base, config.demo_contracts);
        let coupons = demo::coupons(today, &types);
        let offerings: Vec<Offering> = types.into_iter().map(Offering::from_demo).collect();
        let mut studio = Studio {
            config,
            offerings,
            coupons,
            sessions: vec![],
            idempotency: HashMap::new(),
            reschedules: HashMap::new(),
            clients_by_email: HashMap::new(),
        };
        if studio.config.seed_bookings {
            let seeds = [
                ("Ruth", "Okafor", "ruth.okafor@example.com"),
                ("Tom", "Brennan", "tom@brennan-design.example"),
                ("Priya", "Shah", "priya.shah@example.org"),
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

    /// A session type as the API shows it: in studio mode with what only its owner sees.
    fn session_type_json(&self, o: &Offering) -> Value {
        let mut v = json!(o.api);
        if self.config.login.is_some() {
            let booking_count = self.sessions.iter().filter(|s| s.session.session_type_id == o.api.id).count();
            v["internal_notes"] = json!(o.studio_only.internal_notes);
            v["private_price_notes"] = json!(o.studio_only.private_price_notes);
            v["owner_email"] = json!(demo::OWNER_EMAIL);
            v["booking_count"] = json!(booking_count);
        }
        v
    }

    fn offering(&self, id: &str) -> Result<&Offering, Reply> {
        if !is_valid_id(id, "set") {
            return Err(Reply::error(400, "invalid_id_format", &format!("\"{id}\" is not a session type id (set_ and 30 letters or digits)")));
        }
        match self.offerings.iter().find(|o| o.api.id == id) {
            Some(o) if o.published() => Ok(o),
            _ => Err(Reply::error(404, "resource_not_found", &format!("No published session type {id}"))),
        }
    }

    /// GET /session_types/: one page of session types, drafts included (clients filter).
    /// The contract answers this path only with 200 (or 429/500), so a page or per_page that
    /// is not a whole number in range is read leniently: per_page is clamped to 1..=100, and
    /// anything unreadable takes the default.
    pub fn list_session_types(&self, page: Option<&str>, per_page: Option<&str>) -> Reply {
        let read = |v: Option<&str>| v.and_then(|s| s.trim().parse::<i64>().ok());
        let page = read(page).filter(|p| *p >= 1).unwrap_or(1).min(1_000_000) as u32;
        let per_page = read(per_page).map(|n| n.clamp(1, 100)).unwrap_or(i64::from(self.config.default_per_page.clamp(1, 100))) as u32;
        let total = self.offerings.len() as u32;
        let last_page = total.div_ceil(per_page).max(1);
        let from = ((page - 1) as usize).saturating_mul(per_page as usize);
        let items: Vec<Value> = self.offerings.iter().skip(from).take(per_page as usize).map(|o| self.session_type_json(o)).collect();
        let link = |p: u32| json!(format!("{}/api/v1/session_types/?page={p}&per_page={per_page}", self.config.public_base));
        Reply {
            status: 200,
            body: json!({
                "data": items,
                "meta": { "current_page": page, "per_page": per_page, "total": total, "last_page": last_page },
                "links": {
                    "first": link(1),
                    "last": link(last_page),
                    "prev": if page > 1 { link(page - 1) } else { Value::Null },
                    "next": if page < last_page { link(page + 1) } else { Value::Null },
                },
            }),
            headers: vec![],
        }
    }

    /// GET /session_types/{id}. The contract gives this path no 400, so an id of the wrong
    /// shape is simply not found. A draft is not found either, except in studio mode: the
    /// studio's own API shows its owner every session type.
    pub fn get_session_type(&self, id: &str) -> Reply {
        match self.offerings.iter().find(|o| o.api.id == id) {
            Some(o) if o.published() || self.config.login.is_some() => Reply::data(200, self.session_type_json(o)),
            _ => Reply::error(404, "resource_not_found", &format!("No published session type {id}")),
        }
    }

    /// GET /session_types/{id}/check-month-avail/{YYYY-M-Zone}
    pub fn month_availability(&self, id: &str, month_zone: &str) -> Reply {
        let o = match self.offering(id) {
            Ok(o) => o,
            Err(r) => return r,
        };
        let (nums, zone, zone_name) = match parse_date_zone(month_zone, 2) {
            Ok(v) => v,
            Err(r) => return r,
        };
        let (year, month) = (nums[0] as i32, nums[1]);
        if !(1970..=2200).contains(&year) || !(1..=12).contains(&month) {
            return Reply::error(400, "invalid_date", &format!("{year}-{month} is not a month (years 1970 to 2200)"));
        }
        let busy = self.busy();
        let a = Availability { schedule: &o.schedule, rules: &o.rules, busy: &busy, now: self.now() };
        let dates = a.month_dates(zone, year, month);
        let last_day = NaiveDate::from_ymd_opt(year, month, 1)
            .and_then(|d| d.checked_add_months(chrono::Months::new(1)))
            .and_then(|d| d.pred_opt())
            .expect("valid month");
        let next = a.next_available_date(zone, last_day);
        Reply::data(
            200,
            json!({
                "session_type_id": o.api.id,
                "year": year,
                "month": month,
                "timezone": zone_name,
                "available_dates": dates.iter().map(|d| d.format("%Y-%m-%d").to_string()).collect::<Vec<_>>(),
                "next_available_date": next.map(|d| d.format("%Y-%m-%d").to_string()),
            }),
        )
    }

    /// GET /session_types/{id}/check-day-avail/{YYYY-M-D-Zone}
    pub fn day_availability(&self, id: &str, date_zone: &str) -> Reply {
        let o = match self.offering(id) {
            Ok(o) => o,
            Err(r) => return r,
        };
        let (nums, zone, zone_name) = match parse_date_zone(date_zone, 3) {
            Ok(v) => v,
            Err(r) => return r,
        };
        let date = match NaiveDate::from_ymd_opt(nums[0] as i32, nums[1], nums[2]) {
            Some(d) if (1970..=2200).contains(&(nums[0] as i32)) => d,
            _ => return Reply::error(400, "invalid_date", &format!("{}-{}-{} is not a date", nums[0], nums[1], nums[2])),
        };
        let busy = self.busy();
        let a = Availability { schedule: &o.schedule, rules: &o.rules, busy: &busy, now: self.now() };
        let slots: Vec<Value> =
            a.day_slots(zone, date).iter().map(|s| json!({ "start": rfc3339_in(s.start, zone), "end": rfc3339_in(s.end, zone) })).collect();
        Reply::data(200, json!({ "session_type_id": o.api.id, "date": date.format("%Y-%m-%d").to_string(), "timezone": zone_name, "slots": slots }))
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

    /// GET /session_types/{id}/coupons/{code}: the discount a code gives on a session type.
    /// The contract gives this path no 400, so a session type id of the wrong shape is, like
    /// a draft, simply not found.
    pub fn check_coupon(&self, type_id: &str, code: &str) -> Reply {
        let Some(o) = self.offerings.iter().find(|o| o.api.id == type_id && o.published()) else {
            return Reply::error(404, "resource_not_found", &format!("No published session type {type_id}"));
        };
        match self.find_coupon(o, code, self.now()) {
            Ok(i) => Reply::data(200, self.coupons[i].coupon.to_json()),
            Err(refusal) => refusal.reply(),
        }
    }

    /// The coupon a code names for a session type, if it may be used now: codes match
    /// whatever their case, a code switched off or for other session types is unknown, and
    /// an unknown code is refused before an expired one, an expired one before a used-up one.
    fn find_coupon(&self, o: &Offering, code: &str, now: DateTime<Utc>) -> Result<usize, CouponRefusal> {
        let code = code.trim();
        if !o.api.accepts_coupons.get() || code.is_empty() || code.chars().count() > 64 {
            return Err(CouponRefusal::NotFound);
        }
        let wanted = code.to_uppercase();
        let i = self
            .coupons
            .iter()
            .position(|c| c.enabled && c.coupon.code.to_uppercase() == wanted && c.session_type_ids.contains(&o.api.id))
            .ok_or(CouponRefusal::NotFound)?;
        let c = &self.coupons[i];
        if c.coupon.expires_at.is_some_and(|t| now >= t) {
            return Err(CouponRefusal::Expired);
        }
        if c.max_uses.is_some_and(|max| c.uses >= max) {
            return Err(CouponRefusal::UsedUp);
        }
        Ok(i)
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
            status: o.booking_status.into(),
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

    /// The session type a session is of, by id (for the demo checkout page).
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

    pub fn session_type_name(&self, id: &str) -> Option<String> {
        self.offerings.iter().find(|o| o.api.id == id).map(|o| o.api.name.clone())
    }

    /// POST /sessions: books a session. `key` is the Idempotency-Key header, `body` the raw body.
    pub fn book(&mut self, key: Option<&str>, body: &[u8]) -> Reply {
        let Some(key) = key.map(str::trim) else {
            return Reply::error(
                400,
                "bad_request",
                "The Idempotency-Key header is required: make one per booking attempt and send it again with every retry.",
            );
        };
        if !(8..=255).contains(&key.len()) {
            return Reply::error(400, "bad_request", "The Idempotency-Key header must be 8 to 255 characters long.");
        }
        let request: Value = match serde_json::from_slice(body) {
            Ok(v @ Value::Object(_)) => v,
            Ok(_) => return Reply::error(400, "bad_request", "The body must be a JSON object."),
            Err(e) => return Reply::error(400, "bad_request", &format!("The body is not valid JSON: {e}")),
        };
        if let Some(previous) = self.idempotency.get(key) {
            if previous.request == request {
                return previous.reply.clone();
            }
            return Reply::error(
                422,
                "idempotency_key_reused",
                "This Idempotency-Key was used for a different booking: make a new key for a new attempt.",
            );
        }
        let reply = self.book_once(&request);
        // Only a booking made is remembered: a refused request may be corrected and sent again.
        if reply.status == 201 {
            self.idempotency.insert(key.to_string(), IdempotentAnswer { request, reply: reply.clone() });
        }
        reply
    }

    fn book_once(&mut self, request: &Value) -> Reply {
        let text = |v: &Value, name: &str| -> Result<String, Reply> {
            match v.get(name) {
                Some(Value::String(s)) => Ok(s.clone()),
                None | Some(Value::Null) => Err(Reply::error(400, "bad_request", &format!("{name} is required"))),
                Some(_) => Err(Reply::error(400, "bad_request", &format!("{name} must be a string"))),
            }
        };
        let (type_id, start_text, zone_text) = match (text(request, "session_type_id"), text(request, "start"), text(request, "timezone")) {
            (Ok(a), Ok(b), Ok(c)) => (a, b, c),
            (Err(r), _, _) | (_, Err(r), _) | (_, _, Err(r)) => return r,
        };
        let client = match request.get("client") {
            Some(c @ Value::Object(_)) => c.clone(),
            None | Some(Value::Null) => return Reply::error(400, "bad_request", "client is required"),
            Some(_) => return Reply::error(400, "bad_request", "client must be an object"),
        };
        let answers = match request.get("answers") {
            None | Some(Value::Null) => Map::new(),
            Some(Value::Object(m)) => m.clone(),
            Some(_) => return Reply::error(400, "bad_request", "answers must be an object"),
        };
        let coupon_code = match request.get("coupon_code") {
            None | Some(Value::Null) => None,
            Some(Value::String(s)) if s.trim().is_empty() => None,
            Some(Value::String(s)) => Some(s.clone()),
            Some(_) => return Reply::error(400, "bad_request", "coupon_code must be a string"),
        };
        let signature = match request.get("contract_signature") {
            None | Some(Value::Null) => None,
            Some(Value::Object(m)) => Some(m.clone()),
            Some(_) => return Reply::error(400, "bad_request", "contract_signature must be an object"),
        };
        let o = match self.offering(&type_id) {
            Ok(o) => o.clone(),
            Err(r) => return r,
        };
        let now = self.now();
        let mut details: Map<String, Value> = Map::new();
        let mut problem = |path: &str, message: &str| {
            details.insert(path.to_string(), json!([message]));
        };

        let start = DateTime::parse_from_rfc3339(&start_text).map(|t| t.with_timezone(&Utc));
        if start.is_err() {
            problem("start", "must be a date and time like 2025-08-07T09:00:00+01:00");
        }
        let zone: Option<Tz> = zone_text.parse().ok();
        if zone.is_none() {
            problem("timezone", "is not an IANA time zone name");
        }

        let client_text = |name: &str| client.get(name).and_then(Value::as_str).map(str::trim).unwrap_or("").to_string();
        let (first, last, email) = (client_text("first_name"), client_text("last_name"), client_text("email"));
        if first.is_empty() {
            problem("client.first_name", "Please enter your first name.");
        } else if first.chars().count() > 100 {
            problem("client.first_name", "Please enter at most 100 characters.");
        }
        if last.is_empty() {
            problem("client.last_name", "Please enter your last name.");
        } else if last.chars().count() > 100 {
            problem("client.last_name", "Please enter at most 100 characters.");
        }
        if email.is_empty() {
            problem("client.email", "Please enter your e-mail address.");
        } else if !is_email(&email) {
            problem("client.email", "Please enter an e-mail address like name@example.com.");
        }
        let phone = match client.get("phone") {
            None | Some(Value::Null) => None,
            Some(Value::String(s)) if s.trim().is_empty() => None,
            Some(Value::String(s)) if is_phone(s) => Some(s.trim().to_string()),
            Some(_) => {
                problem("client.phone", "Please enter a phone number, or leave it empty.");
                None
            }
        };

        let today = now.with_timezone(&o.schedule.zone).date_naive();
        let mut kept = Map::new();
        let mut fields = o.api.intake_form_fields.clone();
        fields.sort_by_key(|f| f.order);
        for field in &fields {
            match check_answer(field, answers.get(&field.id), today) {
                Ok(Some(v)) => {
                    kept.insert(field.id.clone(), v);
                }
                Ok(None) => {}
                Err(message) => problem(&format!("answers.{}", field.id), &message),
            }
        }

        // A refused code is named in details.coupon_code by the coupon endpoint's own code
        // (coupon_not_found, coupon_expired, coupon_used_up), for the client to put in words.
        let coupon = match coupon_code.as_deref() {
            None => None,
            Some(code) => match self.find_coupon(&o, code, now) {
                Ok(i) => Some(i),
                Err(refusal) => {
                    problem("coupon_code", refusal.code());
                    None
                }
            },
        };

        let mut payment = None;
        if o.api.collect_payment.get() {
            let full = o.api.payment_amount_full;
            let (discount, coupon_code) = match coupon {
                Some(i) => (discount_amount(full, self.coupons[i].coupon.discount), Some(self.coupons[i].coupon.code.clone())),
                None => (0, None),
            };
            let price = full - discount;
            if price == 0 {
                // Nothing to pay: no method is needed, and none sent is used.
                payment = Some(Payment {
                    method_type: None,
                    option: "full".into(),
                    price,
                    discount,
                    coupon_code,
                    amount_due: 0,
                    currency: o.api.currency.clone(),
                    instructions: None,
                    checkout_url: None,
                });
            } else {
                let method = request.get("payment_method_type").and_then(Value::as_str).unwrap_or("");
                let option = request.get("payment_option").and_then(Value::as_str).unwrap_or("");
                let chosen = o.api.payment_methods.iter().find(|m| m.kind == method && m.enabled.get());
                if chosen.is_none() {
                    problem("payment_method_type", "Please choose how you would like to pay.");
                }
                let amount = match option {
                    "full" => Some(price),
                    "partial" if o.api.payment_amount_partial.is_some() => Some(chosen_amount(price, o.api.payment_amount_partial, true)),
                    "partial" => {
                        problem("payment_option", "This session has no deposit: please pay in full.");
                        None
                    }
                    _ => {
                        problem("payment_option", "Please choose to pay in full or a deposit.");
                        None
                    }
                };
                if let (Some(m), Some(amount)) = (chosen, amount) {
                    payment = Some(Payment {
                        method_type: Some(m.kind.clone()),
                        option: option.into(),
                        price,
                        discount,
                        coupon_code,
                        amount_due: amount_due(amount, &o.api.taxes),
                        currency: o.api.currency.clone(),
                        instructions: m.instructions.clone(),
                        checkout_url: None,
                    });
                }
            }
        }

        let mut contract_signature = None;
        if o.api.contract.is_some() {
            match &signature {
                None => problem("contract_signature", "Please read the contract, type your full name as your signature and agree to it."),
                Some(sig) => {
                    let name = sig.get("name").and_then(Value::as_str).map(str::trim).unwrap_or("");
                    let agreed = matches!(sig.get("agreed"), Some(Value::Bool(true))) || sig.get("agreed").and_then(Value::as_u64) == Some(1);
                    if !(2..=120).contains(&name.chars().count()) {
                        problem("contract_signature", "Please type your full name as your signature (2 to 120 characters).");
                    } else if !agreed {
                        problem("contract_signature", "Please agree to the contract to book.");
                    } else {
                        contract_signature =
                            Some(ContractSignature { name: name.to_string(), signed_at: now.to_rfc3339_opts(SecondsFormat::Secs, false) });
                    }
                }
            }
        }

        let has_policy = |p: &Option<String>| p.as_deref().is_some_and(|s| !s.trim().is_empty());
        if has_policy(&o.api.cancellation_policy) || has_policy(&o.api.reschedule_policy) {
            let accepted = matches!(request.get("policy_accepted"), Some(Value::Bool(true)))
                || request.get("policy_accepted").and_then(Value::as_u64) == Some(1);
            if !accepted {
                problem("policy_accepted", "Please read and agree to the studio's policies.");
            }
        }

        if !details.is_empty() {
            return Reply::error_with(422, "validation_failed", "Some answers need another look.", Value::Object(details));
        }
        let (Ok(start), Some(zone)) = (start, zone) else { unreachable!("checked above") };

        let busy = self.busy();
        let a = Availability { schedule: &o.schedule, rules: &o.rules, busy: &busy, now };
        if let Some(refused) = slot_refusal(&a, start) {
            return refused;
        }
        let client = self.client_for(&first, &last, &email, phone);
        let new = NewSession { start, zone, client, answers: kept, payment, contract_signature };
        let (session, token) = self.store_session(&o, new, now);
        // A use is counted once the session is booked: a refused booking uses nothing, and a
        // replay of this answer never comes back here.
        if let Some(i) = coupon {
            self.coupons[i].uses += 1;
        }
        let mut data = json!(session);
        data["manage_token"] = json!(token);
        Reply::data(201, data)
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

    #[test]
    fn a_deposit_above_the_full_price_costs_the_full_price() {
        let now = DateTime::parse_from_rfc3339("2025-08-01T09:00:00Z").unwrap().with_timezone(&Utc);
        let mut studio = Studio::demo(StudioConfig { clock: Clock::Fixed(now), seed_bookings: false, ..Default::default() });
        let id = demo::family_portrait_id();
        let book = |studio: &mut Studio, key: &str, start: &str| {
            let body = json!({
                "session_type_id": id, "start": start, "timezone": "Europe/London",
                "client": {"first_name": "Ana", "last_name": "Silva", "email": "ana@example.com"},
                "answers": {"q_people": 3, "q_place": "park"},
                "payment_method_type": "pixieset-payments", "payment_option": "partial", "policy_accepted": true
            });
            let reply = studio.book(Some(key), body.to_string().as_bytes());
            assert_eq!(reply.status, 201, "{}", reply.body);
            reply.body["data"]["payment"]["amount_due"].clone()
        };
        let slots = studio.day_availability(&id, "2025-8-5-Europe/London").body["data"]["slots"].clone();
        let slot = |i: usize| slots[i]["start"].as_str().unwrap().to_string();
        assert_eq!(book(&mut studio, "key-deposit-1", &slot(0)), 7_500); // the demo's deposit (VAT included)
        studio.offerings.iter_mut().find(|o| o.api.id == id).unwrap().api.payment_amount_partial = Some(99_999);
        assert_eq!(book(&mut studio, "key-deposit-2", &slot(2)), 25_000);
    }

    #[test]
    fn date_zone_paths() {
        let (n, z, name) = parse_date_zone("2025-8-Europe/London", 2).unwrap();
        assert_eq!((n, z, name.as_str()), (vec![2025, 8], Tz::Europe__London, "Europe/London"));
        let (n, z, _) = parse_date_zone("2026-3-7-America/Argentina/Buenos_Aires", 3).unwrap();
        assert_eq!((n, z), (vec![2026, 3, 7], Tz::America__Argentina__Buenos_Aires));
        let (_, z, _) = parse_date_zone("2025-8-America/Port-au-Prince", 2).unwrap();
        assert_eq!(z, Tz::America__PortauPrince);
        let (_, z, _) = parse_date_zone("2025-8-7-UTC", 3).unwrap();
        assert_eq!(z, Tz::UTC);
        assert_eq!(parse_date_zone("2025-8-Mars/Olympus", 2).unwrap_err().body["error"]["code"], "invalid_timezone");
        assert_eq!(parse_date_zone("2025-8-a/b/c/d", 2).unwrap_err().body["error"]["code"], "invalid_timezone");
        assert_eq!(parse_date_zone("2025-Europe/London", 2).unwrap_err().body["error"]["code"], "invalid_date");
        assert_eq!(parse_date_zone("x-8-Europe/London", 2).unwrap_err().body["error"]["code"], "invalid_date");
        assert_eq!(parse_date_zone("", 3).unwrap_err().body["error"]["code"], "invalid_date");
    }
}
