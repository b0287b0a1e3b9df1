//! The waitlist's state and rules (the issue "Mini-session days and a waitlist"): a visitor
//! joins a session type's waitlist and confirms it from an e-mail (double opt-in); when a slot
//! frees up, it is offered to the first confirmed person in joining order whose wanted days
//! include it, held for them for a while, and they book it with the offer's token.
//!
//! This module keeps that state in SQLite (one gateway) or PostgreSQL (several gateways on one
//! database) with one set of SQL (`gateway/migrations/`, run on [`Store::open`]), and decides
//! what happens; the routes, the e-mails' wording and sending, and the studio's calls are done
//! elsewhere and call the [`Store`]. Every change that sends mail writes that mail into the
//! outbox in the same transaction, so a crash after a change still sends its mail, and a crash
//! before it sends nothing. Tokens of the e-mails' links are kept only as hashes ([`tokens`]).
//!
//! Times are Unix milliseconds, passed in as `now_ms` so that the tests control the clock.

mod outbox;
mod rules;
pub mod tokens;

use std::str::FromStr;
use std::time::Duration;

use chrono::{DateTime, NaiveDate, SecondsFormat, TimeZone};
use chrono_tz::Tz;
use serde::Serialize;
use sqlx::any::{AnyConnectOptions, AnyPoolOptions};
use sqlx::{AnyConnection, AnyPool, Row};

pub use outbox::QueuedMail;

/// A minute, an hour and a day in milliseconds.
const MINUTE_MS: i64 = 60_000;
const HOUR_MS: i64 = 60 * MINUTE_MS;
const DAY_MS: i64 = 24 * HOUR_MS;

/// How long a confirm link works, and how long an unconfirmed entry is kept.
pub const CONFIRM_FOR_MS: i64 = 48 * HOUR_MS;
/// How long a confirmed entry that takes any day waits before it is forgotten.
pub const ANY_DAY_KEPT_MS: i64 = 90 * DAY_MS;
/// How many confirmation e-mails one address may be sent on one UTC day (the rest are not
/// sent, silently: a form filled in again and again cannot make the gateway spam someone).
pub const CONFIRM_MAILS_PER_DAY: i64 = 3;
/// How long a leave link works (it ends sooner with the entry: then it answers "left").
const LEAVE_FOR_MS: i64 = 365 * DAY_MS;
/// How long a sent mail's row is kept (its payload is scrubbed when sent).
const SENT_KEPT_MS: i64 = 7 * DAY_MS;
/// How long an offer that ended is kept once its person has left the list.
const ENDED_OFFER_KEPT_MS: i64 = 30 * DAY_MS;

/// A visitor's request to join a session type's waitlist (the routes checked its shape).
#[derive(Clone, Debug, PartialEq)]
pub struct Join {
    /// The session type waited for (`set_…`).
    pub session_type_id: String,
    /// Its name, as the e-mails show it.
    pub session_type_name: String,
    /// The visitor's first name.
    pub first_name: String,
    /// The visitor's last name.
    pub last_name: String,
    /// The visitor's e-mail address, as typed.
    pub email: String,
    /// The visitor's phone number, if given.
    pub phone: Option<String>,
    /// The days they can come, in their own zone; empty: any day.
    pub dates: Vec<NaiveDate>,
    /// The visitor's IANA zone (their days are days of this zone).
    pub timezone: String,
    /// The language of their e-mails.
    pub language: String,
    /// The URL of the photographer's booking page, which the e-mails' links open.
    pub booking_page: String,
}

/// A waitlist entry as its person sees it (the contract's `WaitlistEntry`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct EntryView {
    /// The session type waited for.
    pub session_type_id: String,
    /// The days wanted (YYYY-MM-DD, in `timezone`); empty: any day.
    pub dates: Vec<String>,
    /// The person's zone.
    pub timezone: String,
    /// `waiting`, `offered` (a slot is held for them) or `booked`.
    pub status: String,
}

/// A slot that has become free: the studio's cancelled session, or an offer that ended.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FreedSlot {
    /// Its session type.
    pub session_type_id: String,
    /// The session type's name, for the e-mails.
    pub session_type_name: String,
    /// Its start, RFC 3339 as the studio gave it.
    pub start: String,
    /// Its start in Unix milliseconds (what holds are keyed by).
    pub start_ms: i64,
    /// Its end, RFC 3339 as the studio gave it.
    pub end: String,
}

/// An offer just made by [`Store::offer_freed`] (its mail is already in the outbox).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OfferMade {
    /// The offer's id (`off_…`).
    pub offer_id: String,
    /// Until when the slot is held for its person (Unix ms).
    pub expires_at: i64,
}

/// An offer as its person sees it (the contract's `Offer`). Once booked, the person's details
/// are gone (their entry ended): the names and address are then empty.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct OfferView {
    /// The offer's id (`off_…`).
    pub id: String,
    /// The session type of the slot.
    pub session_type_id: String,
    /// The slot's start, RFC 3339 as the studio gave it.
    pub start: String,
    /// The slot's end, RFC 3339 as the studio gave it.
    pub end: String,
    /// The person's zone.
    pub timezone: String,
    /// Until when the slot is held (RFC 3339, UTC).
    pub expires_at: String,
    /// `holding`, `declined`, `expired`, `booked` or `taken`.
    pub status: String,
    /// The person's first name.
    pub first_name: String,
    /// The person's last name.
    pub last_name: String,
    /// The person's e-mail address.
    pub email: String,
    /// The person's phone number, if they gave one.
    pub phone: Option<String>,
}

/// Whether a slot may be booked by whoever asks ([`Store::hold_check`]).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Hold {
    /// No one holds it.
    Free,
    /// It is held for the person whose offer token came with the booking.
    ForThisToken {
        /// The offer to mark booked once the studio accepted the booking.
        offer_id: String,
    },
    /// It is held for someone else: not bookable now.
    Held,
}

/// A waitlist entry as the photographer's command line lists it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ListedEntry {
    /// The person's e-mail address, as typed.
    pub email: String,
    /// Their first name.
    pub first_name: String,
    /// Their last name.
    pub last_name: String,
    /// The session type waited for.
    pub session_type_id: String,
    /// Its name.
    pub session_type_name: String,
    /// The days wanted (YYYY-MM-DD); empty: any day.
    pub dates: Vec<String>,
    /// `unconfirmed`, `waiting` or `offered`.
    pub status: String,
    /// When they joined (Unix ms).
    pub joined_at: i64,
}

/// Why a confirm or leave link's token is refused.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TokenError {
    /// Not a token of this waitlist (403).
    Invalid,
    /// A token whose time has passed (410).
    Expired,
    /// The database failed (500); the text is for the log.
    Store(String),
}

impl TokenError {
    /// The HTTP status the contract gives this refusal.
    pub fn status(&self) -> u16 {
        match self {
            TokenError::Invalid => 403,
            TokenError::Expired => 410,
            TokenError::Store(_) => 500,
        }
    }
}

impl From<String> for TokenError {
    fn from(e: String) -> Self {
        TokenError::Store(e)
    }
}

impl std::fmt::Display for TokenError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            TokenError::Invalid => f.write_str("invalid token"),
            TokenError::Expired => f.write_str("token expired"),
            TokenError::Store(e) => write!(f, "waitlist store: {e}"),
        }
    }
}

/// Why an offer's page or its decline is refused.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum OfferError {
    /// No such offer (404).
    NotFound,
    /// Not this offer's token (403).
    Invalid,
    /// The hold ran out (410).
    Expired,
    /// The slot is gone: the studio refused its booking, or it was booked (409).
    Taken,
    /// The database failed (500); the text is for the log.
    Store(String),
}

impl OfferError {
    /// The HTTP status the contract gives this refusal.
    pub fn status(&self) -> u16 {
        match self {
            OfferError::NotFound => 404,
            OfferError::Invalid => 403,
            OfferError::Expired => 410,
            OfferError::Taken => 409,
            OfferError::Store(_) => 500,
        }
    }
}

impl From<String> for OfferError {
    fn from(e: String) -> Self {
        OfferError::Store(e)
    }
}

impl std::fmt::Display for OfferError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            OfferError::NotFound => f.write_str("no such offer"),
            OfferError::Invalid => f.write_str("invalid token"),
            OfferError::Expired => f.write_str("offer expired"),
            OfferError::Taken => f.write_str("slot taken"),
            OfferError::Store(e) => write!(f, "waitlist store: {e}"),
        }
    }
}

/// The database a [`Store`] keeps the waitlist in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Backend {
    Sqlite,
    Postgres,
}

/// The waitlist's state in SQLite or PostgreSQL. Cheap to clone (a pool); every method is one
/// transaction, safe with other gateways on the same PostgreSQL database.
#[derive(Clone, Debug)]
pub struct Store {
    pool: AnyPool,
    backend: Backend,
    /// The photographer's address for the `notify_*` mails; None: none are written.
    notify: Option<String>,
}

/// The migrations of both backends (one SQL serves SQLite and PostgreSQL).
static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("./migrations");

impl Store {
    /// Opens (and migrates) the waitlist at `url`: `sqlite://path` (the file is made if
    /// missing), `sqlite::memory:` (tests: one connection, gone when dropped) or
    /// `postgres://…`. SQLite runs in WAL mode and waits for a busy database rather than fail.
    pub async fn open(url: &str) -> Result<Store, String> {
        sqlx::any::install_default_drivers();
        let backend = if url.starts_with("sqlite:") {
            Backend::Sqlite
        } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Backend::Postgres
        } else {
            return Err("the waitlist's database must be a sqlite: or postgres:// URL".into());
        };
        let memory = backend == Backend::Sqlite && url.contains(":memory:");
        let mut url = url.to_string();
        if backend == Backend::Sqlite && !memory && !url.contains("mode=") {
            url.push_str(if url.contains('?') { "&mode=rwc" } else { "?mode=rwc" });
        }
        let options = AnyConnectOptions::from_str(&url).map_err(|e| format!("waitlist database URL: {e}"))?;
        let mut pool = AnyPoolOptions::new().acquire_timeout(Duration::from_secs(30));
        if backend == Backend::Sqlite {
            // Each connection to `:memory:` is a database of its own: one connection, kept.
            pool = if memory { pool.max_connections(1).idle_timeout(None).max_lifetime(None) } else { pool.max_connections(8) };
            pool = pool.after_connect(|conn, _| {
                Box::pin(async move {
                    // Another gateway's (or task's) write waits its turn instead of failing.
                    sqlx::query("PRAGMA busy_timeout = 10000").execute(&mut *conn).await?;
                    sqlx::query("PRAGMA foreign_keys = ON").execute(&mut *conn).await?;
                    Ok(())
                })
            });
        } else {
            pool = pool.max_connections(16);
        }
        let pool = pool.connect_with(options).await.map_err(|e| format!("waitlist database: {e}"))?;
        if backend == Backend::Sqlite && !memory {
            // WAL lets readers read while one writes; it is kept in the file once set.
            sqlx::query("PRAGMA journal_mode = WAL").execute(&pool).await.map_err(db)?;
        }
        MIGRATOR.run(&pool).await.map_err(|e| format!("waitlist migrations: {e}"))?;
        Ok(Store { pool, backend, notify: None })
    }

    /// This store, writing the `notify_*` mails (someone joined, a slot was filled from the
    /// waitlist) to the photographer's `address`; None: none are written.
    pub fn with_notify(mut self, address: Option<&str>) -> Store {
        self.notify = address.map(|a| a.trim().to_string()).filter(|a| !a.is_empty());
        self
    }

    /// Closes the pool's connections (a store is also closed when dropped).
    pub async fn close(&self) {
        self.pool.close().await;
    }

    /// A transaction that may write. SQLite's takes the write lock at once (`BEGIN
    /// IMMEDIATE`): a read-then-write transaction could otherwise fail when another wrote
    /// between its read and its write, where waiting is what is wanted.
    async fn begin(&self) -> Result<sqlx::Transaction<'static, sqlx::Any>, String> {
        match self.backend {
            Backend::Sqlite => self.pool.begin_with("BEGIN IMMEDIATE").await.map_err(db),
            Backend::Postgres => self.pool.begin().await.map_err(db),
        }
    }
}

/// A database error, as text for the log (it never holds a token: only hashes are bound).
fn db(e: sqlx::Error) -> String {
    format!("waitlist database: {e}")
}

/// Whether `e` is a unique index refusing a row (another gateway or task was first).
fn unique_violation(e: &sqlx::Error) -> bool {
    matches!(e, sqlx::Error::Database(d) if d.is_unique_violation())
}

/// An e-mail address as the waitlist compares addresses: trimmed, lowercase.
pub fn email_key(email: &str) -> String {
    email.trim().to_lowercase()
}

/// `ms` as RFC 3339 in UTC, to the second (`2027-03-13T20:00:00Z`).
fn rfc3339(ms: i64) -> String {
    DateTime::from_timestamp_millis(ms).unwrap_or_default().to_rfc3339_opts(SecondsFormat::Secs, true)
}

/// The UTC day of `ms`, as YYYY-MM-DD.
fn utc_day(ms: i64) -> String {
    DateTime::from_timestamp_millis(ms).unwrap_or_default().date_naive().to_string()
}

/// Days as stored: a JSON array of YYYY-MM-DD (`[]`: any day).
fn dates_text(dates: &[NaiveDate]) -> String {
    let mut days: Vec<String> = dates.iter().map(|d| d.to_string()).collect();
    days.sort();
    days.dedup();
    serde_json::Value::from(days).to_string()
}

/// Days as stored, read back; an empty text or `[]` is any day.
fn parse_dates(text: &str) -> Vec<NaiveDate> {
    serde_json::from_str::<Vec<String>>(text).unwrap_or_default().iter().filter_map(|d| d.parse().ok()).collect()
}

/// The zone of an entry (UTC should a stored name ever fail to parse).
fn zone(name: &str) -> Tz {
    name.parse().unwrap_or(Tz::UTC)
}

/// The Unix ms at which `day` begins in `tz` (the first instant of it, past a gap).
fn day_start_ms(day: NaiveDate, tz: Tz) -> i64 {
    let midnight = day.and_hms_opt(0, 0, 0).unwrap_or_default();
    match tz.from_local_datetime(&midnight).earliest() {
        Some(t) => t.timestamp_millis(),
        // Midnight skipped by a clock change: an hour later exists.
        None => tz.from_local_datetime(&(midnight + chrono::Duration::hours(1))).earliest().map_or(0, |t| t.timestamp_millis()),
    }
}

/// How long a confirmed entry is kept: to the end of its last wanted day (in its zone) and a
/// day more, or 90 days for any day.
fn kept_until(dates: &[NaiveDate], tz: Tz, now_ms: i64) -> i64 {
    match dates.iter().max() {
        Some(last) => day_start_ms(*last + chrono::Days::new(2), tz),
        None => now_ms + ANY_DAY_KEPT_MS,
    }
}

/// A waitlist entry as stored.
#[derive(Clone, Debug)]
struct Entry {
    id: String,
    session_type_id: String,
    session_type_name: String,
    email: String,
    first_name: String,
    last_name: String,
    phone: Option<String>,
    dates: Vec<NaiveDate>,
    timezone: String,
    language: String,
    booking_page: String,
    status: String,
    joined_at: i64,
}

/// The columns [`Entry::from_row`] reads, in its order.
const ENTRY_COLUMNS: &str =
    "id, session_type_id, session_type_name, email, first_name, last_name, phone, dates, timezone, language, booking_page, status, joined_at";

impl Entry {
    fn from_row(row: &sqlx::any::AnyRow) -> Result<Entry, String> {
        Ok(Entry {
            id: row.try_get("id").map_err(db)?,
            session_type_id: row.try_get("session_type_id").map_err(db)?,
            session_type_name: row.try_get("session_type_name").map_err(db)?,
            email: row.try_get("email").map_err(db)?,
            first_name: row.try_get("first_name").map_err(db)?,
            last_name: row.try_get("last_name").map_err(db)?,
            phone: row.try_get("phone").map_err(db)?,
            dates: parse_dates(&row.try_get::<String, _>("dates").map_err(db)?),
            timezone: row.try_get("timezone").map_err(db)?,
            language: row.try_get("language").map_err(db)?,
            booking_page: row.try_get("booking_page").map_err(db)?,
            status: row.try_get("status").map_err(db)?,
            joined_at: row.try_get("joined_at").map_err(db)?,
        })
    }

    /// Whether a slot starting at `start_ms` falls on one of this entry's days, in its zone.
    fn wants(&self, start_ms: i64) -> bool {
        if self.dates.is_empty() {
            return true;
        }
        let Some(start) = DateTime::from_timestamp_millis(start_ms) else { return false };
        self.dates.contains(&start.with_timezone(&zone(&self.timezone)).date_naive())
    }

    /// The view its person sees.
    fn view(&self) -> EntryView {
        let status = if self.status == "offered" { "offered" } else { "waiting" };
        EntryView {
            session_type_id: self.session_type_id.clone(),
            dates: self.dates.iter().map(|d| d.to_string()).collect(),
            timezone: self.timezone.clone(),
            status: status.into(),
        }
    }

    /// What every mail to this person carries: whom it greets, what they wait for, in which
    /// zone and for which days, where the links lead, and a fresh leave link's token.
    fn payload(&self, leave_token: &str) -> serde_json::Map<String, serde_json::Value> {
        let mut p = serde_json::Map::new();
        p.insert("first_name".into(), self.first_name.clone().into());
        p.insert("session_type_name".into(), self.session_type_name.clone().into());
        p.insert("timezone".into(), self.timezone.clone().into());
        p.insert("dates".into(), self.dates.iter().map(|d| d.to_string()).collect::<Vec<_>>().into());
        p.insert("booking_page".into(), self.booking_page.clone().into());
        p.insert("leave_token".into(), leave_token.into());
        p
    }

    /// What a mail to the photographer about this person carries (who, and how to reach them).
    fn notify_payload(&self) -> serde_json::Map<String, serde_json::Value> {
        let mut p = serde_json::Map::new();
        p.insert("first_name".into(), self.first_name.clone().into());
        p.insert("last_name".into(), self.last_name.clone().into());
        p.insert("email".into(), self.email.clone().into());
        p.insert("phone".into(), self.phone.clone().into());
        p.insert("session_type_name".into(), self.session_type_name.clone().into());
        p.insert("timezone".into(), self.timezone.clone().into());
        p.insert("dates".into(), self.dates.iter().map(|d| d.to_string()).collect::<Vec<_>>().into());
        p.insert("booking_page".into(), self.booking_page.clone().into());
        p
    }
}

/// The entry `id`, if it is still there.
async fn load_entry(c: &mut AnyConnection, id: &str) -> Result<Option<Entry>, String> {
    let row =
        sqlx::query(&format!("SELECT {ENTRY_COLUMNS} FROM waitlist_entries WHERE id = $1")).bind(id).fetch_optional(&mut *c).await.map_err(db)?;
    row.as_ref().map(Entry::from_row).transpose()
}
