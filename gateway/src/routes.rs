//! The gateway's HTTP surface: exactly the contract's public endpoints under `/api/v1` (the
//! published session types, their month and day availability, a coupon check, a booking, and
//! a client's own session seen, cancelled or moved with its manage token), `/healthz` and
//! `/metrics`. Every other path or method is refused here and never reaches the studio. The
//! gateway builds each studio URL itself from what it parsed and checked (the core's
//! paths), so nothing a visitor writes in a path, a query or a header is passed on as written.

use std::net::{IpAddr, SocketAddr};
use std::num::NonZeroU32;
use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::body::Bytes;
use axum::extract::rejection::{BytesRejection, PathRejection};
use axum::extract::{Path, Query, Request, State};
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;
use chrono_tz::Tz;
use serde_json::{json, Map, Value};
use studio_booking_core::field_map::FieldMap;
use studio_booking_core::flow::request::{
    check_request, ANSWERS, CLIENT, CONTRACT_SIGNATURE, COUPON_CODE, PAYMENT_METHOD_TYPE, PAYMENT_OPTION, POLICY_ACCEPTED, SESSION_TYPE_ID, START,
    TIMEZONE,
};
use studio_booking_core::models::SessionType;
use studio_booking_core::validation::{Problem, COUPON_REFUSALS};
use studio_booking_core::{facts, iso, paths};
use tokio::sync::Mutex;
use tower_http::compression::CompressionLayer;
use tower_http::cors::{AllowOrigin, CorsLayer};

use crate::config::{Config, Origins};
use crate::metrics::Metrics;
use crate::public;
use crate::upstream::{Answer, Login, Studio, UpstreamError};

/// How long the list of session types is kept before the studio is asked again.
const CATALOG_FRESH_FOR: Duration = Duration::from_secs(30);

/// The session types the studio has, as it sent them, and when they were asked for.
struct Catalog {
    at: Instant,
    types: Arc<Vec<Value>>,
}

/// Why an availability answer could not be kept: the studio's error answer, or none.
enum Fetch {
    Answer(Answer),
    Upstream(UpstreamError),
}

type Limiter = governor::DefaultKeyedRateLimiter<IpAddr>;

fn limiter(per_minute: u32) -> Limiter {
    let n = NonZeroU32::new(per_minute.max(1)).expect("at least one");
    governor::RateLimiter::keyed(governor::Quota::per_minute(n))
}

/// What every handler shares.
pub struct Gateway {
    pub config: Config,
    pub studio: Studio,
    pub metrics: Arc<Metrics>,
    catalog: Mutex<Option<Catalog>>,
    /// Month and day availability by the studio path asked, for `availability_ttl`.
    availability: moka::future::Cache<String, Answer>,
    reads: Limiter,
    bookings: Limiter,
    coupons: Limiter,
}

impl Gateway {
    /// A gateway for these settings.
    pub fn new(config: Config) -> Result<Arc<Gateway>, String> {
        let metrics = Arc::new(Metrics::default());
        let studio = Studio::new(&config.upstream, &config.cookie, &config.csrf_token, config.upstream_timeout, metrics.clone())?;
        let availability =
            moka::future::Cache::builder().max_capacity(20_000).time_to_live(config.availability_ttl.max(Duration::from_millis(1))).build();
        let (reads, bookings, coupons) =
            (limiter(config.reads_per_minute), limiter(config.bookings_per_minute), limiter(config.coupon_checks_per_minute));
        Ok(Arc::new(Gateway { config, studio, metrics, catalog: Mutex::new(None), availability, reads, bookings, coupons }))
    }

    /// A month's or a day's availability at the studio path `path`: from the cache, or from
    /// the studio, where concurrent askers of one path wait for a single request. Only 200
    /// answers are kept.
    async fn availability(&self, path: String) -> Result<Answer, Response> {
        if self.config.availability_ttl.is_zero() {
            return match self.studio.get(&path).await {
                Ok(a) => Ok(a),
                Err(e) => Err(upstream_failure(e)),
            };
        }
        if let Some(hit) = self.availability.get(&path).await {
            self.metrics.cache_hit();
            return Ok(hit);
        }
        let studio = &self.studio;
        let asked = path.clone();
        let fetched = self
            .availability
            .try_get_with(path, async move {
                match studio.get(&asked).await {
                    Ok(a) if a.status == 200 => Ok(a),
                    Ok(a) => Err(Fetch::Answer(a)),
                    Err(e) => Err(Fetch::Upstream(e)),
                }
            })
            .await;
        match fetched {
            Ok(a) => Ok(a),
            Err(e) => match &*e {
                Fetch::Answer(a) => Ok(a.clone()),
                Fetch::Upstream(u) => Err(upstream_failure(u.clone())),
            },
        }
    }

    /// Every session type of the studio (all its pages), kept for a short while; concurrent
    /// askers wait for one request to the studio.
    async fn catalog(&self) -> Result<Arc<Vec<Value>>, Response> {
        let mut kept = self.catalog.lock().await;
        if let Some(c) = kept.as_ref().filter(|c| c.at.elapsed() < CATALOG_FRESH_FOR) {
            self.metrics.cache_hit();
            return Ok(c.types.clone());
        }
        let mut types = Vec::new();
        for page in 1..=50 {
            let answer = self.studio.get(&paths::session_types_page("", page)).await.map_err(upstream_failure)?;
            if answer.status != 200 {
                return Err(studio_error(&answer));
            }
            let body: Value = serde_json::from_slice(&answer.body).map_err(|_| unreadable())?;
            let Some(data) = body.get("data").and_then(Value::as_array) else { return Err(unreadable()) };
            types.extend(data.iter().cloned());
            let last = body.pointer("/meta/last_page").and_then(Value::as_u64).unwrap_or(page);
            if page >= last || data.is_empty() {
                break;
            }
        }
        let types = Arc::new(types);
        *kept = Some(Catalog { at: Instant::now(), types: types.clone() });
        Ok(types)
    }

    /// A published session type by id, as the studio sent it; 404 for any other.
    async fn published(&self, id: &str) -> Result<Value, Response> {
        if !is_session_type_id(id) {
            return Err(not_found());
        }
        let catalog = self.catalog().await?;
        catalog.iter().find(|t| t.get("id").and_then(Value::as_str) == Some(id) && public::is_published(t)).cloned().ok_or_else(not_found)
    }
}

impl Gateway {
    /// Whether the studio already holds a session of this type, at this instant, for this
    /// e-mail address (a booking whose answer was lost on its way back).
    async fn booked_already(&self, id: &str, start_ms: i64, email: &str) -> bool {
        let email = email.trim();
        if email.is_empty() {
            return false;
        }
        let Ok(answer) = self.studio.get(&paths::sessions("")).await else { return false };
        let sessions: Vec<Value> =
            serde_json::from_slice::<Value>(&answer.body).ok().and_then(|b| b.get("data").and_then(Value::as_array).cloned()).unwrap_or_default();
        sessions.iter().any(|s| {
            s.get("session_type_id").and_then(Value::as_str) == Some(id)
                && s.get("start").and_then(Value::as_str).and_then(iso::parse_instant_ms) == Some(start_ms)
                && s.pointer("/client/email").and_then(Value::as_str).is_some_and(|e| e.trim().eq_ignore_ascii_case(email))
                && s.get("status").and_then(Value::as_str) != Some("cancelled")
        })
    }
}

/// The contract's shape of an id: its prefix (`set_`, `ses_`) and 30 letters or digits.
fn has_id_shape(id: &str, prefix: &str) -> bool {
    id.strip_prefix(prefix).is_some_and(|rest| rest.len() == 30 && rest.bytes().all(|b| b.is_ascii_alphanumeric()))
}

/// The contract's shape of a session type id: `set_` and 30 letters or digits.
fn is_session_type_id(id: &str) -> bool {
    has_id_shape(id, "set_")
}

/// The contract's shape of a session id: `ses_` and 30 letters or digits.
fn is_session_id(id: &str) -> bool {
    has_id_shape(id, "ses_")
}

/// The contract's error body.
pub fn error(status: StatusCode, code: &str, message: &str) -> Response {
    error_with(status, code, message, None)
}

fn error_with(status: StatusCode, code: &str, message: &str, details: Option<Value>) -> Response {
    let mut body = json!({"error": {"code": code, "message": message}});
    if let Some(d) = details {
        body["error"]["details"] = d;
    }
    (status, [(header::CACHE_CONTROL, "no-store")], axum::Json(body)).into_response()
}

fn not_found() -> Response {
    error(StatusCode::NOT_FOUND, "not_found", "There is no such resource.")
}

fn unreadable() -> Response {
    error(StatusCode::BAD_GATEWAY, "studio_unreadable", "The studio sent an answer the gateway could not read.")
}

/// What the visitor is told when the studio could not be asked.
fn upstream_failure(e: UpstreamError) -> Response {
    let (code, message, retry) = match e {
        UpstreamError::LoginRefused => ("studio_unavailable", "The studio cannot take bookings here right now. Please try again later.", None),
        UpstreamError::Unreachable | UpstreamError::TimedOut => ("studio_unreachable", "The studio did not answer. Please try again.", Some(2_000)),
        UpstreamError::Busy { retry_after_ms } => {
            ("studio_busy", "The studio is busy right now. Please try again in a moment.", retry_after_ms.or(Some(2_000)))
        }
    };
    let mut r = error(StatusCode::SERVICE_UNAVAILABLE, code, message);
    if let Some(ms) = retry {
        let secs = ms.div_ceil(1000).max(1).to_string();
        r.headers_mut().insert(header::RETRY_AFTER, HeaderValue::from_str(&secs).expect("digits"));
    }
    r
}

/// A studio error answer passed on in the contract's shape, rebuilt from its code, message and
/// details (nothing else of the studio's answer goes through).
fn studio_error(answer: &Answer) -> Response {
    let status = StatusCode::from_u16(answer.status).unwrap_or(StatusCode::BAD_GATEWAY);
    let body: Option<Value> = serde_json::from_slice(&answer.body).ok();
    let info = body.as_ref().and_then(|b| b.get("error"));
    let code = info.and_then(|i| i.get("code")).and_then(Value::as_str);
    let message = info.and_then(|i| i.get("message")).and_then(Value::as_str).unwrap_or("The studio could not accept that request.");
    let details = info.and_then(|i| i.get("details")).filter(|d| d.is_object()).cloned();
    match (status.is_client_error(), code) {
        (true, Some(code)) => error_with(status, code, message, details),
        (true, None) => error(status, "refused", message),
        _ => error(StatusCode::BAD_GATEWAY, "studio_error", "Something went wrong at the studio. Please try again."),
    }
}

/// An answer of `{"data": …}` with the public fields of the studio's `data`.
fn passed_on(answer: &Answer, keep: fn(&Value) -> Value) -> Response {
    if answer.status != 200 {
        return studio_error(answer);
    }
    match serde_json::from_slice::<Value>(&answer.body).ok().and_then(|b| b.get("data").map(keep)) {
        Some(data) => (StatusCode::OK, [(header::CACHE_CONTROL, "no-store")], axum::Json(json!({"data": data}))).into_response(),
        None => unreadable(),
    }
}

#[derive(serde::Deserialize)]
struct Paging {
    page: Option<String>,
    per_page: Option<String>,
}

/// `GET /session_types/`: the published ones, their public fields, in pages.
async fn list(State(g): State<Arc<Gateway>>, Query(paging): Query<Paging>) -> Response {
    let catalog = match g.catalog().await {
        Ok(c) => c,
        Err(r) => return r,
    };
    let published: Vec<Value> = catalog.iter().filter(|t| public::is_published(t)).map(public::session_type).collect();
    let number = |v: Option<&String>| v.and_then(|s| s.trim().parse::<u64>().ok());
    let per_page = number(paging.per_page.as_ref()).unwrap_or(facts::SESSION_TYPES_PER_PAGE).clamp(1, 100);
    let total = published.len() as u64;
    let last_page = total.div_ceil(per_page).max(1);
    let page = number(paging.page.as_ref()).unwrap_or(1).max(1);
    let from = ((page - 1) * per_page).min(total) as usize;
    let data: Vec<Value> = published.into_iter().skip(from).take(per_page as usize).collect();
    let body = json!({"data": data, "meta": {"current_page": page, "per_page": per_page, "total": total, "last_page": last_page}});
    (StatusCode::OK, [(header::CACHE_CONTROL, "no-store")], axum::Json(body)).into_response()
}

/// `GET /session_types/{id}`: a published one's public fields.
async fn detail(State(g): State<Arc<Gateway>>, Path(id): Path<String>) -> Response {
    match g.published(&id).await {
        Ok(t) => (StatusCode::OK, [(header::CACHE_CONTROL, "no-store")], axum::Json(json!({"data": public::session_type(&t)}))).into_response(),
        Err(r) => r,
    }
}

/// A zone the gateway may ask the studio about: plausible as a path part, and a real IANA zone.
fn zone_of(name: &str) -> Option<Tz> {
    paths::is_plausible_zone(name).then(|| name.parse::<Tz>().ok()).flatten()
}

fn bad_zone() -> Response {
    error(StatusCode::BAD_REQUEST, "invalid_timezone", "That is not a time zone.")
}

/// Reads `{year}-{month}-{rest}` of an availability path: numbers without signs, a month 1–12.
fn year_month(spec: &str) -> Option<(i32, u32, &str)> {
    let (year, rest) = spec.split_once('-')?;
    let (month, rest) = rest.split_once('-')?;
    let digits = |s: &str| !s.is_empty() && s.len() <= 4 && s.bytes().all(|b| b.is_ascii_digit());
    if !(digits(year) && digits(month)) {
        return None;
    }
    let (year, month) = (year.parse().ok()?, month.parse().ok()?);
    ((1970..=9999).contains(&year) && (1..=12).contains(&month)).then_some((year, month, rest))
}

/// `GET /session_types/{id}/check-month-avail/{year}-{month}-{zone}`.
async fn month(State(g): State<Arc<Gateway>>, Path((id, spec)): Path<(String, String)>) -> Response {
    if let Err(r) = g.published(&id).await {
        return r;
    }
    let Some((year, month, zone)) = year_month(&spec) else { return bad_request("The month is not a year and a month.") };
    if zone_of(zone).is_none() {
        return bad_zone();
    }
    match g.availability(paths::month_availability("", &id, year, month, zone)).await {
        Ok(answer) => passed_on(&answer, public::month),
        Err(r) => r,
    }
}

/// The day of `{year}-{month}-{day}-{zone}`.
fn day_of(spec: &str) -> Option<(chrono::NaiveDate, &str)> {
    let (year, month, rest) = year_month(spec)?;
    let (day, zone) = rest.split_once('-')?;
    if day.is_empty() || day.len() > 2 || !day.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    Some((chrono::NaiveDate::from_ymd_opt(year, month, day.parse().ok()?)?, zone))
}

/// `GET /session_types/{id}/check-day-avail/{year}-{month}-{day}-{zone}`.
async fn day(State(g): State<Arc<Gateway>>, Path((id, spec)): Path<(String, String)>) -> Response {
    if let Err(r) = g.published(&id).await {
        return r;
    }
    let Some((date, zone)) = day_of(&spec) else { return bad_request("The day is not a date.") };
    if zone_of(zone).is_none() {
        return bad_zone();
    }
    match g.availability(day_path(&id, date, zone)).await {
        Ok(answer) => passed_on(&answer, public::day),
        Err(r) => r,
    }
}

fn day_path(id: &str, date: chrono::NaiveDate, zone: &str) -> String {
    use chrono::Datelike;
    paths::day_availability("", id, date.year(), date.month(), date.day(), zone)
}

fn bad_request(message: &str) -> Response {
    error(StatusCode::BAD_REQUEST, "bad_request", message)
}

/// The words of a problem, for the contract's 422 details (the widget shows the studio's
/// words as they come).
fn problem_words(p: &Problem) -> String {
    match p {
        Problem::Required => "This question needs an answer.".into(),
        Problem::MustTick => "This box must be ticked.".into(),
        Problem::TooFewChoices { min } => format!("Choose at least {min}."),
        Problem::TooManyChoices { max } => format!("Choose at most {max}."),
        Problem::NotAnOption => "Choose one of the options.".into(),
        Problem::NotANumber => "Enter a number.".into(),
        Problem::BelowMinimum { min } => format!("Enter {min} or more."),
        Problem::AboveMaximum { max } => format!("Enter {max} or less."),
        Problem::NotADate => "Enter a date (YYYY-MM-DD).".into(),
        Problem::BeforeDate { date } => format!("Choose {} or later.", iso::format_date(*date)),
        Problem::AfterDate { date } => format!("Choose {} or earlier.", iso::format_date(*date)),
        Problem::TooShort { min } => format!("Enter at least {min} characters."),
        Problem::TooLong { max } => format!("Enter at most {max} characters."),
        Problem::NotAnEmail => "Enter an e-mail address like name@example.com.".into(),
        Problem::NotAPhone => "Enter a phone number.".into(),
        Problem::WrongFormat => "Check the format of this answer.".into(),
        Problem::FirstNameMissing => "Enter a first name.".into(),
        Problem::LastNameMissing => "Enter a last name.".into(),
        Problem::EmailMissing => "Enter an e-mail address.".into(),
        Problem::NoPaymentMethod => "Choose one of the payment methods offered.".into(),
        Problem::NoPaymentOption => "Choose to pay in full or the deposit offered.".into(),
        Problem::PoliciesNotAccepted => "The studio's policies must be accepted.".into(),
        Problem::SignatureMissing => "Type your full name as your signature.".into(),
        Problem::ContractNotAgreed => "The contract must be agreed to.".into(),
        Problem::CouponNotAccepted => "This session type takes no coupon codes.".into(),
        // A refused code is named by the coupon endpoint's own code, as the studio does.
        Problem::CouponNotFound | Problem::CouponExpired | Problem::CouponUsedUp | Problem::CouponNotChecked => {
            COUPON_REFUSALS.iter().find(|(_, q)| q == p).map_or("coupon_not_found", |(code, _)| code).into()
        }
        Problem::Studio(words) => words.clone(),
    }
}

fn refused(g: &Gateway, problems: FieldMap<Problem>) -> Response {
    g.metrics.refused();
    let mut details = Map::new();
    for (key, problem) in problems {
        details.insert(key, json!([problem_words(&problem)]));
    }
    error_with(StatusCode::UNPROCESSABLE_ENTITY, "validation_failed", "Some answers need another look.", Some(Value::Object(details)))
}

/// A studio's pattern, matched whole, as the widget matches it (JavaScript's RegExp there,
/// the regex crate here); None for a pattern that does not compile (not applied).
fn pattern_matches(pattern: &str, value: &str) -> Option<bool> {
    let re = regex::RegexBuilder::new(&format!("^(?:{pattern})$")).size_limit(1 << 20).build().ok()?;
    Some(re.is_match(value))
}

/// The booking request's fields the contract names, and nothing else.
fn booking_fields(request: &Value) -> Value {
    let only = |v: &Value, keys: &[&str]| {
        let mut kept = Map::new();
        for k in keys {
            if let Some(x) = v.get(*k) {
                kept.insert((*k).to_string(), x.clone());
            }
        }
        Value::Object(kept)
    };
    let mut out = Map::new();
    for key in
        [SESSION_TYPE_ID, START, TIMEZONE, CLIENT, ANSWERS, PAYMENT_METHOD_TYPE, PAYMENT_OPTION, POLICY_ACCEPTED, COUPON_CODE, CONTRACT_SIGNATURE]
    {
        if let Some(v) = request.get(key) {
            let v = match key {
                CLIENT => only(v, &["first_name", "last_name", "email", "phone"]),
                // A signature is an object of these two; null (none) or anything else is left
                // as it is, for the checks to refuse.
                CONTRACT_SIGNATURE if v.is_object() => only(v, &["name", "agreed"]),
                _ => v.clone(),
            };
            out.insert(key.to_string(), v);
        }
    }
    Value::Object(out)
}

/// An Idempotency-Key as the contract allows it: 8 to 255 visible ASCII characters.
fn idempotency_key(headers: &HeaderMap) -> Option<HeaderValue> {
    let key = headers.get("idempotency-key")?;
    let ok = (8..=255).contains(&key.len()) && key.as_bytes().iter().all(|b| (0x21..=0x7e).contains(b));
    ok.then(|| key.clone())
}

/// `POST /sessions`: a booking, checked before it reaches the studio.
async fn book(State(g): State<Arc<Gateway>>, headers: HeaderMap, body: Result<Bytes, BytesRejection>) -> Response {
    let Ok(body) = body else {
        g.metrics.refused();
        return error(StatusCode::PAYLOAD_TOO_LARGE, "bad_request", "The booking is larger than the gateway takes.");
    };
    let Some(key) = idempotency_key(&headers) else {
        g.metrics.refused();
        return bad_request("A booking needs an Idempotency-Key header of 8 to 255 visible characters.");
    };
    let Ok(request) = serde_json::from_slice::<Value>(&body) else {
        g.metrics.refused();
        return bad_request("The booking is not JSON.");
    };
    let request = booking_fields(&request);
    if let Some(r) = too_long(&g.config, &request) {
        g.metrics.refused();
        return r;
    }
    let Some(id) = request.get(SESSION_TYPE_ID).and_then(Value::as_str) else {
        return refused(&g, FieldMap::from_iter([(SESSION_TYPE_ID.to_string(), Problem::Required)]));
    };
    let studio_type = match g.published(id).await {
        Ok(t) => t,
        Err(r) => return r,
    };
    let Some(t) = studio_booking_core::read::decode::<SessionType>(&studio_type.to_string()) else { return unreadable() };
    let (zone_name, start) = (request.get(TIMEZONE).and_then(Value::as_str).unwrap_or(""), request.get(START).and_then(Value::as_str).unwrap_or(""));
    let Some(zone) = zone_of(zone_name) else {
        return refused(&g, FieldMap::from_iter([(TIMEZONE.to_string(), Problem::WrongFormat)]));
    };
    let Some(start_ms) = iso::parse_instant_ms(start) else {
        return refused(&g, FieldMap::from_iter([(START.to_string(), Problem::WrongFormat)]));
    };
    let instant = chrono::DateTime::from_timestamp_millis(start_ms).unwrap_or_default();
    let today = chrono::Utc::now().with_timezone(&zone).date_naive();
    let core_request = studio_booking_core::json::parse(&request.to_string()).unwrap_or_default();
    let problems = check_request(&t, &core_request, today, &pattern_matches);
    if !problems.is_empty() {
        return refused(&g, problems);
    }
    // The slot must be open right now: among that day's slots, in the visitor's zone.
    let day = instant.with_timezone(&zone).date_naive();
    let open = match g.studio.get(&day_path(id, day, zone_name)).await {
        Ok(a) if a.status == 200 => serde_json::from_slice::<Value>(&a.body)
            .ok()
            .and_then(|b| b.pointer("/data/slots").and_then(Value::as_array).cloned())
            .is_some_and(|slots| slots.iter().any(|s| s.get("start").and_then(Value::as_str).and_then(iso::parse_instant_ms) == Some(start_ms))),
        Ok(a) => return studio_error(&a),
        Err(e) => return upstream_failure(e),
    };
    // A time no longer open may be this very booking, made by an attempt whose answer was
    // lost: then the studio answers it again under its Idempotency-Key (or refuses another
    // key), so it goes on. Anything else never reaches the studio.
    if !open && !g.booked_already(id, start_ms, request.pointer("/client/email").and_then(Value::as_str).unwrap_or("")).await {
        g.metrics.refused();
        return error(StatusCode::CONFLICT, "slot_unavailable", "That time is no longer available.");
    }
    match g.studio.book(&key, Bytes::from(request.to_string())).await {
        Ok(a) if a.status == 201 || a.status == 200 => {
            // One photographer, one calendar: every session type's days may have changed.
            g.availability.invalidate_all();
            let status = StatusCode::from_u16(a.status).unwrap_or(StatusCode::CREATED);
            match serde_json::from_slice::<Value>(&a.body).ok().and_then(|b| b.get("data").map(public::session)) {
                Some(session) => (status, [(header::CACHE_CONTROL, "no-store")], axum::Json(json!({"data": session}))).into_response(),
                None => unreadable(),
            }
        }
        Ok(a) => studio_error(&a),
        Err(e) => upstream_failure(e),
    }
}

/// Refuses a booking with too many answers, or an answer or detail too long.
fn too_long(config: &Config, request: &Value) -> Option<Response> {
    let answers = request.get("answers").and_then(Value::as_object);
    if answers.is_some_and(|a| a.len() > config.max_answers) {
        return Some(bad_request("The booking has more answers than the studio asks for."));
    }
    let long = |v: &Value| match v {
        Value::String(s) => s.chars().count() > config.max_answer_chars,
        Value::Array(items) => items.len() > 100 || items.iter().any(|i| i.as_str().is_some_and(|s| s.chars().count() > config.max_answer_chars)),
        Value::Object(_) => true,
        _ => false,
    };
    let client_long =
        request.get("client").and_then(Value::as_object).is_some_and(|c| c.values().any(|v| v.as_str().is_some_and(|s| s.chars().count() > 320)));
    (answers.is_some_and(|a| a.values().any(long)) || client_long).then(|| bad_request("An answer is longer than the gateway takes."))
}

/// A coupon code the gateway asks the studio about: 1 to 64 letters, digits, `-` or `_`.
/// Codes are words a photographer makes up (`SUMMER20`, `NEWBORN10`); anything else (a dot,
/// a slash, a space, an escape) is no code of theirs and never reaches the studio.
fn is_coupon_code(code: &str) -> bool {
    (1..=64).contains(&code.len()) && code.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

/// `s` as one path segment: every byte but the unreserved ones percent-encoded.
fn path_segment(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// The studio path of a coupon check (the code as one encoded segment).
fn coupon_path(session_type_id: &str, code: &str) -> String {
    paths::coupon("", session_type_id, &path_segment(code))
}

fn coupon_not_found() -> Response {
    error(StatusCode::NOT_FOUND, "coupon_not_found", "There is no such code for this session.")
}

/// `GET /session_types/{id}/coupons/{code}`: what a code takes off a published session
/// type's price. Asked afresh every time: the studio counts a code's uses, so a kept answer
/// could call a code good that has just been used up. A code of another shape is refused
/// here (404 `coupon_not_found`) and never reaches the studio.
async fn coupon(State(g): State<Arc<Gateway>>, path: Result<Path<(String, String)>, PathRejection>) -> Response {
    let Ok(Path((id, code))) = path else {
        g.metrics.refused();
        return coupon_not_found();
    };
    if !is_session_type_id(&id) {
        g.metrics.refused();
        return not_found();
    }
    if !is_coupon_code(&code) {
        g.metrics.refused();
        return coupon_not_found();
    }
    if let Err(r) = g.published(&id).await {
        return r;
    }
    match g.studio.get(&coupon_path(&id, &code)).await {
        Ok(answer) => passed_on(&answer, public::coupon),
        Err(e) => upstream_failure(e),
    }
}

/// The `Manage-Token` a client sends for their session, as the contract allows it: one
/// header of 32 to 128 visible ASCII characters. Marked sensitive, so that no printout of a
/// request to the studio shows it.
fn manage_token(headers: &HeaderMap) -> Option<HeaderValue> {
    let mut all = headers.get_all("manage-token").iter();
    let (Some(token), None) = (all.next(), all.next()) else { return None };
    let ok = (32..=128).contains(&token.len()) && token.as_bytes().iter().all(|b| (0x21..=0x7e).contains(b));
    ok.then(|| {
        let mut token = token.clone();
        token.set_sensitive(true);
        token
    })
}

/// Why a client's request about their own session is refused before it reaches the studio.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Refusal {
    /// A session id of another shape (404 `not_found`).
    NoSuchSession,
    /// A manage token missing or of another shape (403 `invalid_token`).
    InvalidToken,
    /// A cancel's body that is not a JSON object (400).
    NotAnObject,
    /// A cancel's reason that is not text (400).
    ReasonNotText,
    /// A cancel's reason longer than [`MAX_REASON_CHARS`] (422 `validation_failed`).
    ReasonTooLong,
    /// A cancel or a move larger than the gateway takes (413).
    TooLarge,
}

impl Refusal {
    fn response(self) -> Response {
        match self {
            Refusal::NoSuchSession => not_found(),
            Refusal::InvalidToken => error(
                StatusCode::FORBIDDEN,
                "invalid_token",
                "This link to manage the session is not valid: use the link of your booking's confirmation, or contact the studio.",
            ),
            Refusal::NotAnObject => bad_request("The cancel's body is not a JSON object."),
            Refusal::TooLarge => error(StatusCode::PAYLOAD_TOO_LARGE, "bad_request", "The request is larger than the gateway takes."),
            Refusal::ReasonNotText => bad_request("The reason is not text."),
            Refusal::ReasonTooLong => error_with(
                StatusCode::UNPROCESSABLE_ENTITY,
                "validation_failed",
                "The reason is too long.",
                Some(json!({"reason": [format!("Please keep the reason to {MAX_REASON_CHARS} characters.")]})),
            ),
        }
    }
}

/// The session id of a client's request and their manage token, or why not: an id of another
/// shape, a token missing or of another shape. Neither reaches the studio.
fn managed(path: Result<Path<String>, PathRejection>, headers: &HeaderMap) -> Result<(String, HeaderValue), Refusal> {
    let id = match path {
        Ok(Path(id)) if is_session_id(&id) => id,
        _ => return Err(Refusal::NoSuchSession),
    };
    manage_token(headers).map(|token| (id, token)).ok_or(Refusal::InvalidToken)
}

/// A client's cancel or move: its session id, token and body, or why it is refused (an id or
/// token of another shape, a body larger than the gateway takes).
fn managed_write(
    path: Result<Path<String>, PathRejection>,
    headers: &HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<(String, HeaderValue, Bytes), Refusal> {
    let (id, token) = managed(path, headers)?;
    Ok((id, token, body.map_err(|_| Refusal::TooLarge)?))
}

/// A refusal of a client's request, counted and answered.
fn refuse(g: &Gateway, refusal: Refusal) -> Response {
    g.metrics.refused();
    refusal.response()
}

/// A studio's answer to a client's cancel or move, passed on; once it is done, the kept
/// availability is forgotten, as after a booking (one photographer, one calendar: the slot
/// freed, or taken, may be any session type's).
fn changed(g: &Gateway, answer: &Answer) -> Response {
    if answer.status == 200 {
        g.availability.invalidate_all();
    }
    passed_on(answer, public::client_session)
}

/// `GET /sessions/{id}`: the session as its client sees it, with their manage token.
async fn client_session(State(g): State<Arc<Gateway>>, headers: HeaderMap, path: Result<Path<String>, PathRejection>) -> Response {
    let (id, token) = match managed(path, &headers) {
        Ok(m) => m,
        Err(r) => return refuse(&g, r),
    };
    match g.studio.manage_get(&paths::session("", &id), &token).await {
        Ok(answer) => passed_on(&answer, public::client_session),
        Err(e) => upstream_failure(e),
    }
}

/// The longest reason a client may give for cancelling, in characters.
const MAX_REASON_CHARS: usize = 500;

/// The optional `{"reason": …}` of a cancel: no body, an empty one, no reason or null is
/// none; a reason is trimmed and at most [`MAX_REASON_CHARS`] characters.
fn cancel_reason(body: &[u8]) -> Result<Option<String>, Refusal> {
    if body.trim_ascii().is_empty() {
        return Ok(None);
    }
    let Ok(Value::Object(request)) = serde_json::from_slice::<Value>(body) else { return Err(Refusal::NotAnObject) };
    match request.get("reason") {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(reason)) if reason.trim().chars().count() > MAX_REASON_CHARS => Err(Refusal::ReasonTooLong),
        Some(Value::String(reason)) => Ok(Some(reason.trim().to_string()).filter(|r| !r.is_empty())),
        Some(_) => Err(Refusal::ReasonNotText),
    }
}

/// `POST /sessions/{id}/cancel`: the client cancels, with an optional reason. The studio
/// decides whether it still may (409 `too_late` with `details.deadline`, 422 `not_allowed`).
async fn cancel(
    State(g): State<Arc<Gateway>>,
    headers: HeaderMap,
    path: Result<Path<String>, PathRejection>,
    body: Result<Bytes, BytesRejection>,
) -> Response {
    let (id, token, body) = match managed_write(path, &headers, body) {
        Ok(w) => w,
        Err(r) => return refuse(&g, r),
    };
    let reason = match cancel_reason(&body) {
        Ok(r) => r,
        Err(r) => return refuse(&g, r),
    };
    let forwarded = match reason {
        Some(r) => json!({"reason": r}),
        None => json!({}),
    };
    match g.studio.manage_post(&paths::cancel_session("", &id), &token, None, Bytes::from(forwarded.to_string())).await {
        Ok(answer) => changed(&g, &answer),
        Err(e) => upstream_failure(e),
    }
}

/// `POST /sessions/{id}/reschedule`: the client moves the session to another slot, under an
/// Idempotency-Key as a booking. Only `start` (an instant) and `timezone` (an IANA zone) are
/// passed on; the studio decides whether the slot is open and the move still allowed.
async fn reschedule(
    State(g): State<Arc<Gateway>>,
    headers: HeaderMap,
    path: Result<Path<String>, PathRejection>,
    body: Result<Bytes, BytesRejection>,
) -> Response {
    let (id, token, body) = match managed_write(path, &headers, body) {
        Ok(w) => w,
        Err(r) => return refuse(&g, r),
    };
    let Some(key) = idempotency_key(&headers) else {
        g.metrics.refused();
        return bad_request("A move needs an Idempotency-Key header of 8 to 255 visible characters.");
    };
    let Ok(Value::Object(request)) = serde_json::from_slice::<Value>(&body) else {
        g.metrics.refused();
        return bad_request("The move is not a JSON object.");
    };
    let (start, zone) = (request.get(START).and_then(Value::as_str), request.get(TIMEZONE).and_then(Value::as_str));
    let mut problems = FieldMap::new();
    match start {
        None => problems.insert(START.to_string(), Problem::Required),
        Some(s) if iso::parse_instant_ms(s).is_none() => problems.insert(START.to_string(), Problem::WrongFormat),
        Some(_) => None,
    };
    match zone {
        None => problems.insert(TIMEZONE.to_string(), Problem::Required),
        Some(z) if zone_of(z).is_none() => problems.insert(TIMEZONE.to_string(), Problem::WrongFormat),
        Some(_) => None,
    };
    if !problems.is_empty() {
        return refused(&g, problems);
    }
    let forwarded = json!({START: start, TIMEZONE: zone});
    match g.studio.manage_post(&paths::reschedule_session("", &id), &token, Some(&key), Bytes::from(forwarded.to_string())).await {
        Ok(answer) => changed(&g, &answer),
        Err(e) => upstream_failure(e),
    }
}

/// `/healthz`: 200 while the studio accepts the gateway's login, 503 once it has refused it
/// (or cannot be reached), so the photographer learns it before their clients do.
async fn healthz(State(g): State<Arc<Gateway>>) -> Response {
    let probe = g.studio.get(&paths::session_types_page("", 1)).await;
    let (status, state) = match (probe, g.studio.login()) {
        (Err(UpstreamError::LoginRefused), _) | (_, Login::Refused) => (StatusCode::SERVICE_UNAVAILABLE, "studio_login_refused"),
        (Ok(a), _) if a.status == 200 => (StatusCode::OK, "ok"),
        _ => (StatusCode::SERVICE_UNAVAILABLE, "studio_unreachable"),
    };
    (status, [(header::CACHE_CONTROL, "no-store")], axum::Json(json!({"status": state}))).into_response()
}

async fn metrics(State(g): State<Arc<Gateway>>) -> Response {
    (StatusCode::OK, [(header::CONTENT_TYPE, "text/plain; version=0.0.4")], g.metrics.render()).into_response()
}

async fn fallback(State(g): State<Arc<Gateway>>) -> Response {
    g.metrics.refused();
    not_found()
}

async fn method_not_allowed(State(g): State<Arc<Gateway>>) -> Response {
    g.metrics.refused();
    error(StatusCode::METHOD_NOT_ALLOWED, "method_not_allowed", "That method is not offered here.")
}

/// Whether a raw request path holds what could climb out of the API or smuggle a separator:
/// dot segments (written or encoded), encoded slashes or backslashes, empty segments, control
/// characters. Such a request is refused whole.
fn is_hostile_path(raw: &str) -> bool {
    let lower = raw.to_ascii_lowercase();
    raw.contains("//")
        || raw.contains('\\')
        || raw.split('/').any(|s| s == "." || s == "..")
        || ["%2e", "%2f", "%5c", "%00", "%0a", "%0d", "%25"].iter().any(|e| lower.contains(e))
        || raw.bytes().any(|b| b < 0x20 || b == 0x7f)
}

/// The client's address: the connection's peer, or, behind a proxy the gateway is told to
/// trust, the last address in `X-Forwarded-For` (the one that proxy added).
fn client_address(config: &Config, request: &Request) -> IpAddr {
    let peer = request.extensions().get::<axum::extract::ConnectInfo<SocketAddr>>().map(|c| c.0.ip());
    let forwarded = || {
        let all = request.headers().get_all("x-forwarded-for");
        let last = all.iter().filter_map(|v| v.to_str().ok()).flat_map(|v| v.split(',')).map(str::trim).rfind(|v| !v.is_empty())?;
        last.parse::<IpAddr>().ok()
    };
    let chosen = if config.trust_forwarded_for { forwarded().or(peer) } else { peer };
    chosen.unwrap_or(IpAddr::from([0, 0, 0, 0]))
}

/// Whether a request path is a coupon check.
fn is_coupon_check(path: &str) -> bool {
    path.starts_with("/api/v1/session_types/") && path.contains("/coupons/")
}

/// The path as the log shows it: at most 160 characters, no control characters, and a coupon
/// code left out (a gift card's code is as good as money). Session ids stay: they open nothing
/// without their manage token.
fn logged_path(path: &str) -> String {
    let path = match path.find("/coupons/") {
        Some(at) if is_coupon_check(path) => format!("{}/coupons/-", &path[..at]),
        _ => path.to_string(),
    };
    path.chars().take(160).filter(|c| !c.is_control()).collect()
}

/// Counts the request, refuses hostile paths before any routing, and writes one log line:
/// method, path (no query, no coupon code), status, time, upstream calls. No header is
/// logged: no personal data, no credentials, no manage token.
async fn guard(State(g): State<Arc<Gateway>>, request: Request, next: Next) -> Response {
    g.metrics.request();
    let started = Instant::now();
    let method = request.method().clone();
    let path = request.uri().path().to_string();
    let calls_before = g.metrics.upstream_calls();
    let client = client_address(&g.config, &request);
    // Writes (a booking, a client's cancel or move) count against the bookings' limit, reads
    // (a client's own session among them) against the reads'. A coupon check counts against
    // the reads' and a stricter one of its own: codes are short words that can be guessed,
    // each check says whether one exists, and a gift card's code is worth money, while a
    // visitor checks one or two codes.
    let (limiter, also) = match (method == Method::POST, is_coupon_check(&path)) {
        (true, _) => (&g.bookings, None),
        (false, coupon) => (&g.reads, coupon.then_some(&g.coupons)),
    };
    let response = if is_hostile_path(&path) || request.uri().query().is_some_and(|q| q.len() > 256) {
        g.metrics.refused();
        not_found()
    } else if method == Method::OPTIONS {
        next.run(request).await
    } else if let Err(not_until) = limiter.check_key(&client).and_then(|()| also.map_or(Ok(()), |l| l.check_key(&client))) {
        g.metrics.rate_limited();
        let wait = not_until.wait_time_from(governor::clock::Clock::now(&governor::clock::DefaultClock::default()));
        let mut r = error(StatusCode::TOO_MANY_REQUESTS, "rate_limited", "Too many requests from here. Please wait a moment.");
        let secs = wait.as_secs().max(1).to_string();
        r.headers_mut().insert(header::RETRY_AFTER, HeaderValue::from_str(&secs).expect("digits"));
        r
    } else {
        next.run(request).await
    };
    // The limiters forget addresses that have not asked for a while.
    if g.metrics.requests() % 4096 == 0 {
        g.reads.retain_recent();
        g.bookings.retain_recent();
        g.coupons.retain_recent();
    }
    let shown = logged_path(&path);
    tracing::info!(
        method = %method,
        path = %shown,
        status = response.status().as_u16(),
        ms = started.elapsed().as_millis() as u64,
        upstream_calls = g.metrics.upstream_calls().saturating_sub(calls_before),
        "request"
    );
    response
}

/// The whole gateway as an axum router.
pub fn router(g: Arc<Gateway>) -> Router {
    let cors = CorsLayer::new()
        .allow_methods([Method::GET, Method::POST])
        .allow_headers([
            header::CONTENT_TYPE,
            header::ACCEPT,
            header::HeaderName::from_static("idempotency-key"),
            header::HeaderName::from_static("manage-token"),
        ])
        .expose_headers([header::RETRY_AFTER])
        .max_age(Duration::from_secs(600));
    let cors = match &g.config.allowed_origins {
        Origins::Any => cors.allow_origin(AllowOrigin::any()),
        Origins::Exactly(list) => cors.allow_origin(AllowOrigin::list(list.iter().filter_map(|o| HeaderValue::from_str(o).ok()))),
    };
    Router::new()
        .route("/api/v1/session_types/", get(list))
        .route("/api/v1/session_types", get(list))
        .route("/api/v1/session_types/{id}", get(detail))
        .route("/api/v1/session_types/{id}/check-month-avail/{*spec}", get(month))
        .route("/api/v1/session_types/{id}/check-day-avail/{*spec}", get(day))
        .route("/api/v1/session_types/{id}/coupons/{code}", get(coupon))
        .route("/api/v1/sessions", post(book))
        .route("/api/v1/sessions/{id}", get(client_session))
        .route("/api/v1/sessions/{id}/cancel", post(cancel))
        .route("/api/v1/sessions/{id}/reschedule", post(reschedule))
        .route("/healthz", get(healthz))
        .route("/metrics", get(metrics))
        .fallback(fallback)
        .method_not_allowed_fallback(method_not_allowed)
        .layer(axum::extract::DefaultBodyLimit::max(g.config.max_body_bytes))
        .layer(CompressionLayer::new())
        .layer(cors)
        .layer(middleware::from_fn_with_state(g.clone(), guard))
        .layer(tower_http::timeout::TimeoutLayer::with_status_code(StatusCode::REQUEST_TIMEOUT, g.config.request_timeout))
        .with_state(g)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hostile_paths_are_recognised() {
        for bad in [
            "/api/v1/../admin",
            "/api/v1/session_types/%2e%2e/x",
            "/api/v1/session_types/a%2Fb",
            "//api/v1/sessions",
            "/api/v1/session_types/x/check-day-avail/2026-1-1-Europe%5cLondon",
            "/api/v1/./sessions",
            "/api/v1/x%0d%0aSet-Cookie:%20a",
            "/api/v1/%252e%252e/",
        ] {
            assert!(is_hostile_path(bad), "{bad}");
        }
        for fine in ["/api/v1/session_types/", "/api/v1/session_types/set_A/check-day-avail/2026-12-2-America/Argentina/Buenos_Aires", "/healthz"] {
            assert!(!is_hostile_path(fine), "{fine}");
        }
    }

    #[test]
    fn availability_paths_are_read_strictly() {
        assert_eq!(year_month("2026-12-Europe/London"), Some((2026, 12, "Europe/London")));
        assert_eq!(year_month("2026-13-UTC"), None);
        assert_eq!(year_month("+2026-1-UTC"), None);
        assert_eq!(day_of("2026-2-30-UTC"), None);
        assert_eq!(
            day_of("2026-2-3-America/Argentina/Buenos_Aires").map(|(d, z)| (d.to_string(), z)),
            Some(("2026-02-03".into(), "America/Argentina/Buenos_Aires"))
        );
        assert!(zone_of("Asia/Kathmandu").is_some());
        assert!(zone_of("Mars/Olympus").is_none() && zone_of("../etc").is_none());
        assert!(is_session_type_id("set_FAMILYPORTRAIT0000000000000000"));
        assert!(!is_session_type_id("set_FAMILY") && !is_session_type_id("set_FAMILYPORTRAIT000000000000000/"));
    }

    #[test]
    fn keys_and_patterns() {
        let mut h = HeaderMap::new();
        assert!(idempotency_key(&h).is_none());
        h.insert("idempotency-key", HeaderValue::from_static("short"));
        assert!(idempotency_key(&h).is_none());
        h.insert("idempotency-key", HeaderValue::from_static("sb-0123456789abcdef"));
        assert!(idempotency_key(&h).is_some());
        assert_eq!(pattern_matches("@?\\w+", "@ana"), Some(true));
        assert_eq!(pattern_matches("@?\\w+", "a b"), Some(false));
        assert_eq!(pattern_matches("(", "x"), None);
    }

    #[test]
    fn coupon_codes_are_read_strictly_and_sent_as_one_segment() {
        for good in ["SUMMER20", "a", "new-born_10", &"X".repeat(64)] {
            assert!(is_coupon_code(good), "{good}");
        }
        for bad in ["", "../x", "..", "%2e%2e", "a/b", "a b", "a.b", "é20", "a?b=1", "a#b", &"X".repeat(65)] {
            assert!(!is_coupon_code(bad), "{bad}");
        }
        assert_eq!(path_segment("SUMMER-20_x"), "SUMMER-20_x");
        assert_eq!(path_segment("../a b/é"), "..%2Fa%20b%2F%C3%A9");
        assert_eq!(coupon_path("set_A", "JUNIPER20"), "/session_types/set_A/coupons/JUNIPER20");
        assert_eq!(paths::session("", "ses_A"), "/sessions/ses_A");
        assert_eq!(paths::cancel_session("", "ses_A"), "/sessions/ses_A/cancel");
        assert!(is_session_id("ses_SES002ABC123DEF456GHI789JKL012"));
        assert!(!is_session_id("ses_SES002ABC123DEF456GHI789JKL01") && !is_session_id("set_SES002ABC123DEF456GHI789JKL012"));
        assert!(!is_session_id("ses_SES002ABC123DEF456GHI789JKL01é"));
    }

    #[test]
    fn manage_tokens_are_one_header_of_32_to_128_visible_characters() {
        let with = |values: &[&[u8]]| {
            let mut h = HeaderMap::new();
            for v in values {
                h.append("manage-token", HeaderValue::from_bytes(v).unwrap());
            }
            manage_token(&h)
        };
        let good = "A".repeat(48);
        let token = with(&[good.as_bytes()]).unwrap();
        assert!(token.is_sensitive() && token == good.as_str());
        assert!(format!("{token:?}").contains("Sensitive") && !format!("{token:?}").contains(&good));
        assert!(with(&[]).is_none());
        assert!(with(&["A".repeat(31).as_bytes()]).is_none());
        assert!(with(&["A".repeat(128).as_bytes()]).is_some());
        assert!(with(&["A".repeat(129).as_bytes()]).is_none());
        assert!(with(&[format!("{} {}", "A".repeat(20), "B".repeat(20)).as_bytes()]).is_none());
        assert!(with(&[format!("{}\t", "A".repeat(40)).as_bytes()]).is_none());
        assert!(with(&[&[0xC3u8; 40]]).is_none());
        assert!(with(&[good.as_bytes(), good.as_bytes()]).is_none(), "two tokens are none");
    }

    #[test]
    fn a_cancels_reason_is_optional_text_of_500_characters() {
        assert_eq!(cancel_reason(b"").ok(), Some(None));
        assert_eq!(cancel_reason(b" \n").ok(), Some(None));
        assert_eq!(cancel_reason(b"{}").ok(), Some(None));
        assert_eq!(cancel_reason(br#"{"reason": null}"#).ok(), Some(None));
        assert_eq!(cancel_reason(br#"{"reason": "  "}"#).ok(), Some(None));
        assert_eq!(cancel_reason(br#"{"reason": " Ill, sorry ", "refund_to": "x"}"#).ok(), Some(Some("Ill, sorry".to_string())));
        assert_eq!(cancel_reason(json!({"reason": "é".repeat(500)}).to_string().as_bytes()).ok(), Some(Some("é".repeat(500))));
        assert_eq!(cancel_reason(json!({"reason": "é".repeat(501)}).to_string().as_bytes()), Err(Refusal::ReasonTooLong));
        for bad in [&b"{nope"[..], b"[1]", b"\"x\""] {
            assert_eq!(cancel_reason(bad), Err(Refusal::NotAnObject));
        }
        assert_eq!(cancel_reason(br#"{"reason": 5}"#), Err(Refusal::ReasonNotText));
        assert_eq!(Refusal::ReasonTooLong.response().status(), StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(Refusal::InvalidToken.response().status(), StatusCode::FORBIDDEN);
        assert_eq!(Refusal::NoSuchSession.response().status(), StatusCode::NOT_FOUND);
    }

    #[test]
    fn the_log_shows_no_coupon_code() {
        assert_eq!(logged_path("/api/v1/session_types/set_A/coupons/TOKYOGIFT"), "/api/v1/session_types/set_A/coupons/-");
        assert_eq!(logged_path("/api/v1/sessions/ses_A/cancel"), "/api/v1/sessions/ses_A/cancel");
        assert_eq!(logged_path(&format!("/api/v1/{}", "a".repeat(300))).chars().count(), 160);
        assert!(is_coupon_check("/api/v1/session_types/set_A/coupons/X") && !is_coupon_check("/api/v1/sessions/ses_A"));
    }

    #[test]
    fn a_booking_passes_its_coupon_and_signature_and_nothing_else() {
        let request = json!({
            "session_type_id": "set_A", "coupon_code": "JUNIPER20",
            "contract_signature": {"name": "Ana Silva", "agreed": true, "ip": "203.0.113.9"},
            "client": {"first_name": "Ana", "id": "cl_OTHER"}, "manage_token": "x", "status": "booked"
        });
        assert_eq!(
            booking_fields(&request),
            json!({
                "session_type_id": "set_A", "coupon_code": "JUNIPER20",
                "contract_signature": {"name": "Ana Silva", "agreed": true},
                "client": {"first_name": "Ana"}
            })
        );
        let none = booking_fields(&json!({"coupon_code": null, "contract_signature": null}));
        assert_eq!(none, json!({"coupon_code": null, "contract_signature": null}));
        assert_eq!(json!({START: "s", TIMEZONE: "z"}), json!({"start": "s", "timezone": "z"}));
    }
}
