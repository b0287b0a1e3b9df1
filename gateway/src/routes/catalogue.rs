//! The catalogue and its availability: the published session types' public fields, in pages
//! of the gateway's own and one by id, and a month's or a day's openings. The studio's list is
//! kept a few seconds and its availability briefly, each asked once for many visitors.

use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::extract::rejection::{PathRejection, QueryRejection};
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::get;
use axum::Router;
use chrono_tz::Tz;
use serde_json::{json, Value};
use studio_booking_core::models::{has_id_shape, SESSION_TYPE_ID_PREFIX};
use studio_booking_core::{facts, iso, paths};

use super::{data_answer, json_answer, passed_on, route, ApiError, Gateway};
use crate::public;
use crate::upstream::{Answer, UpstreamError};

/// How long the list of session types is kept before the studio is asked again.
const CATALOG_FRESH_FOR: Duration = Duration::from_secs(30);

/// The most session types a page of the list may hold (the contract's `per_page` maximum).
const PER_PAGE_MAX: u64 = 100;

/// The session types the studio has, as it sent them, and when they were asked for.
pub(super) struct Catalog {
    at: Instant,
    types: Arc<Vec<Value>>,
}

/// Why an availability answer could not be kept: the studio's error answer, or none.
enum Fetch {
    Answer(Answer),
    Upstream(UpstreamError),
}

impl Gateway {
    /// A month's or a day's availability at the studio path `path`: from the cache, or from
    /// the studio, where concurrent askers of one path wait for a single request. Only 200
    /// answers are kept.
    async fn availability(&self, path: String) -> Result<Answer, ApiError> {
        if self.config.availability_ttl.is_zero() {
            return Ok(self.studio.get(&path).await?);
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
                Fetch::Upstream(u) => Err(u.clone().into()),
            },
        }
    }

    /// Every session type of the studio (all its pages), kept for a short while; concurrent
    /// askers wait for one request to the studio.
    async fn catalog(&self) -> Result<Arc<Vec<Value>>, ApiError> {
        let mut kept = self.catalog.lock().await;
        if let Some(c) = kept.as_ref().filter(|c| c.at.elapsed() < CATALOG_FRESH_FOR) {
            self.metrics.cache_hit();
            return Ok(c.types.clone());
        }
        let mut types = Vec::new();
        for page in 1..=50 {
            let answer = self.studio.get(&paths::session_types_page("", page)).await?;
            if answer.status != 200 {
                return Err(ApiError::from_studio(&answer));
            }
            let body: Value = serde_json::from_slice(&answer.body).map_err(|_| ApiError::Unreadable)?;
            let data = body.get("data").and_then(Value::as_array).ok_or(ApiError::Unreadable)?;
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

    /// A session type's public fields, and `waitlist_enabled` where the gateway keeps a
    /// waitlist (for every published type; never the studio's own say).
    fn public_type(&self, t: &Value) -> Value {
        let mut shown = public::session_type(t);
        if let Value::Object(fields) = &mut shown {
            fields.remove("waitlist_enabled");
            if self.waitlist.is_some() {
                fields.insert("waitlist_enabled".into(), Value::Bool(true));
            }
        }
        shown
    }

    /// A published session type by id, as the studio sent it; 404 for any other (an id of
    /// another shape never reaches the studio).
    pub(crate) async fn published(&self, id: &str) -> Result<Value, ApiError> {
        if !has_id_shape(id, SESSION_TYPE_ID_PREFIX) {
            return Err(ApiError::NotFound);
        }
        let catalog = self.catalog().await?;
        catalog.iter().find(|t| t.get("id").and_then(Value::as_str) == Some(id) && public::is_published(t)).cloned().ok_or(ApiError::NotFound)
    }
}

/// The list's query: both parameters optional, read as text so that their checks are ours.
#[derive(serde::Deserialize)]
struct Paging {
    page: Option<String>,
    per_page: Option<String>,
}

/// One of the list's paging numbers: `default` when not asked; a whole number in `range`
/// otherwise, else refused with `refusal` (a widget that asks for a page or a size expects
/// that one). The contract: `page` from 1, `per_page` from 1 to 100.
fn paging_number(asked: Option<&str>, default: u64, range: std::ops::RangeInclusive<u64>, refusal: &'static str) -> Result<u64, ApiError> {
    match asked {
        None => Ok(default),
        Some(text) => text.trim().parse::<u64>().ok().filter(|n| range.contains(n)).ok_or(ApiError::BadRequest(refusal)),
    }
}

/// A list's page size: the contract's 1 to 100 (the core's page size when none is asked).
fn per_page(asked: Option<&str>) -> Result<u64, ApiError> {
    let default = facts::SESSION_TYPES_PER_PAGE.clamp(1, PER_PAGE_MAX);
    paging_number(asked, default, 1..=PER_PAGE_MAX, "per_page must be a whole number from 1 to 100.")
}

/// A list's page: from 1 (the first when none is asked; past the last, an empty one).
fn page(asked: Option<&str>) -> Result<u64, ApiError> {
    paging_number(asked, 1, 1..=u64::MAX, "page must be a whole number from 1.")
}

/// `GET /session_types/`: the published ones, their public fields, in pages.
async fn list(State(g): State<Arc<Gateway>>, query: Result<Query<Paging>, QueryRejection>) -> Result<Response, ApiError> {
    let Query(paging) = query?;
    let per_page = per_page(paging.per_page.as_deref())?;
    let page = page(paging.page.as_deref())?;
    let catalog = g.catalog().await?;
    let published: Vec<Value> = catalog.iter().filter(|t| public::is_published(t)).map(|t| g.public_type(t)).collect();
    let total = published.len() as u64;
    let last_page = total.div_ceil(per_page).max(1);
    let from = (page - 1).saturating_mul(per_page).min(total) as usize;
    let data: Vec<Value> = published.into_iter().skip(from).take(per_page as usize).collect();
    let body = json!({"data": data, "meta": {"current_page": page, "per_page": per_page, "total": total, "last_page": last_page}});
    Ok(json_answer(StatusCode::OK, body))
}

/// `GET /session_types/{id}`: a published one's public fields.
async fn detail(State(g): State<Arc<Gateway>>, path: Result<Path<String>, PathRejection>) -> Result<Response, ApiError> {
    let Path(id) = path?;
    let t = g.published(&id).await?;
    Ok(data_answer(StatusCode::OK, g.public_type(&t)))
}

/// A zone the gateway may ask the studio about: plausible as a path part, and a real IANA zone.
pub(super) fn zone_of(name: &str) -> Option<Tz> {
    paths::is_plausible_zone(name).then(|| name.parse::<Tz>().ok()).flatten()
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

/// The day of `{year}-{month}-{day}-{zone}`.
fn day_of(spec: &str) -> Option<(chrono::NaiveDate, &str)> {
    let (year, month, rest) = year_month(spec)?;
    let (day, zone) = rest.split_once('-')?;
    if day.is_empty() || day.len() > 2 || !day.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    Some((chrono::NaiveDate::from_ymd_opt(year, month, day.parse().ok()?)?, zone))
}

/// The studio path of a day's slots.
pub(crate) fn day_path(id: &str, date: chrono::NaiveDate, zone: &str) -> String {
    use chrono::Datelike;
    paths::day_availability("", id, date.year(), date.month(), date.day(), zone)
}

/// `GET /session_types/{id}/check-month-avail/{year}-{month}-{zone}`.
async fn month(State(g): State<Arc<Gateway>>, path: Result<Path<(String, String)>, PathRejection>) -> Result<Response, ApiError> {
    let Path((id, spec)) = path?;
    g.published(&id).await?;
    let (year, month, zone) = year_month(&spec).ok_or(ApiError::BadRequest("The month is not a year and a month."))?;
    zone_of(zone).ok_or(ApiError::InvalidTimezone)?;
    let answer = g.availability(paths::month_availability("", &id, year, month, zone)).await?;
    let held = g.held_starts(&id).await;
    if held.is_empty() || answer.status != 200 {
        return passed_on(&answer, public::month);
    }
    // A day whose every open slot is held for someone on the waitlist is full for others.
    // (Decided at most once a second for a month and its holds: not a day's answer read
    // again at every visitor's request.)
    let body: Value = serde_json::from_slice(&answer.body).map_err(|_| ApiError::Unreadable)?;
    let mut data = body.get("data").map(public::month).ok_or(ApiError::Unreadable)?;
    let tz = zone_of(zone).ok_or(ApiError::InvalidTimezone)?;
    let listed: Vec<String> =
        data.get("available_dates").and_then(Value::as_array).into_iter().flatten().filter_map(|v| v.as_str().map(str::to_string)).collect();
    let key = format!("{}|{held:?}", paths::month_availability("", &id, year, month, zone));
    let decide = async {
        let mut full = Vec::new();
        for date in held.iter().filter_map(|ms| chrono::DateTime::from_timestamp_millis(*ms)).map(|i| i.with_timezone(&tz).date_naive()) {
            if !listed.contains(&iso::format_date(date)) || full.contains(&date) {
                continue;
            }
            let day = g.availability(day_path(&id, date, zone)).await?;
            let slots = serde_json::from_slice::<Value>(&day.body).ok().and_then(|b| b.pointer("/data/slots").and_then(Value::as_array).cloned());
            if slots.is_some_and(|s| {
                s.iter().all(|s| s.get("start").and_then(Value::as_str).and_then(iso::parse_instant_ms).is_some_and(|ms| held.contains(&ms)))
            }) {
                full.push(date);
            }
        }
        Ok::<_, ApiError>(Arc::new(full))
    };
    let full = match g.waitlist.as_deref() {
        Some(w) => w.full_days.try_get_with(key, decide).await.map_err(|e| match &*e {
            ApiError::Upstream(u) => ApiError::Upstream(u.clone()),
            _ => ApiError::StudioFailed,
        })?,
        None => decide.await?,
    };
    if let Some(Value::Array(dates)) = data.get_mut("available_dates") {
        dates.retain(|d| !d.as_str().and_then(iso::parse_date).is_some_and(|d| full.contains(&d)));
    }
    Ok(data_answer(StatusCode::OK, data))
}

/// `GET /session_types/{id}/check-day-avail/{year}-{month}-{day}-{zone}`.
async fn day(State(g): State<Arc<Gateway>>, path: Result<Path<(String, String)>, PathRejection>) -> Result<Response, ApiError> {
    let Path((id, spec)) = path?;
    g.published(&id).await?;
    let (date, zone) = day_of(&spec).ok_or(ApiError::BadRequest("The day is not a date."))?;
    zone_of(zone).ok_or(ApiError::InvalidTimezone)?;
    let answer = g.availability(day_path(&id, date, zone)).await?;
    let held = g.held_starts(&id).await;
    if held.is_empty() || answer.status != 200 {
        return passed_on(&answer, public::day);
    }
    // A slot held for someone on the waitlist is theirs: they read it from their offer.
    let body: Value = serde_json::from_slice(&answer.body).map_err(|_| ApiError::Unreadable)?;
    let mut data = body.get("data").map(public::day).ok_or(ApiError::Unreadable)?;
    if let Some(Value::Array(slots)) = data.get_mut("slots") {
        slots.retain(|s| !s.get("start").and_then(Value::as_str).and_then(iso::parse_instant_ms).is_some_and(|ms| held.contains(&ms)));
    }
    Ok(data_answer(StatusCode::OK, data))
}

/// An availability template's route: its fixed part, then the rest of the path whole (a
/// zone's name holds slashes, so the date and zone are one wildcard, read here).
fn availability_route(template: &str) -> String {
    let fixed = template.split_once("{year}").map(|(fixed, _)| fixed).expect("an availability path starts its date with the year");
    route(&format!("{fixed}{{*spec}}"))
}

/// The catalogue's routes: the list (with and without its trailing slash), one session type
/// (the list's path and its id), and its month's and day's availability.
pub(super) fn router() -> Router<Arc<Gateway>> {
    let list_route = route(facts::SESSION_TYPES_PAGE);
    Router::new()
        .route(list_route.trim_end_matches('/'), get(list))
        .route(&list_route, get(list))
        .route(&format!("{list_route}{{id}}"), get(detail))
        .route(&availability_route(facts::MONTH_AVAILABILITY), get(month))
        .route(&availability_route(facts::DAY_AVAILABILITY), get(day))
}

#[cfg(test)]
mod tests {
    use super::*;

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
        assert_eq!(availability_route(facts::MONTH_AVAILABILITY), "/api/v1/session_types/{id}/check-month-avail/{*spec}");
        assert_eq!(availability_route(facts::DAY_AVAILABILITY), "/api/v1/session_types/{id}/check-day-avail/{*spec}");
    }

    #[test]
    fn a_page_holds_1_to_100_session_types() {
        assert_eq!(per_page(None).ok(), Some(facts::SESSION_TYPES_PER_PAGE));
        for fine in ["1", "100", " 25 "] {
            assert!(per_page(Some(fine)).is_ok(), "{fine}");
        }
        for refused in ["0", "101", "-1", "", "ten", "2.5", "99999999999999999999"] {
            assert!(matches!(per_page(Some(refused)), Err(ApiError::BadRequest(_))), "{refused}");
        }
    }
}
