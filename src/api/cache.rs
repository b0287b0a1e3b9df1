//! What the widget already fetched, kept for the life of the page: availability answers by
//! URL. A month or day is asked once, prefetches fill the same cache, and a booking (or a
//! slot found taken) forgets the answers it made stale.

use std::cell::RefCell;

use super::client::{get_text, ApiError};
use crate::core::calendar::YearMonth;
use crate::core::models::{DayAvailability, Envelope, MonthAvailability};
use crate::core::paths;
use crate::core::read::{decode, FromJson};
use crate::core::retry::RetryPolicy;
use chrono::{Datelike, NaiveDate};

thread_local! {
    /// Answers by URL, kept as the studio wrote them and read again at each use: one cache,
    /// and one piece of code, for every kind of answer. A list, not a hash map: a visit asks
    /// for tens of months and days, found by comparing a few URLs.
    static ANSWERS: RefCell<Vec<(String, String)>> = const { RefCell::new(Vec::new()) };
}

/// An availability answer, from the cache or the studio (`cancel` stops the request), read as
/// a `T`. The body is kept as the studio wrote it, once it has read as a `T`.
async fn availability<T: FromJson>(url: String, zone: &str, cancel: Option<&web_sys::AbortSignal>) -> Result<T, ApiError> {
    if !paths::is_plausible_zone(zone) {
        return Err(ApiError::Refused {
            status: 400,
            code: "invalid_timezone".into(),
            message: format!("\"{zone}\" is not a time zone this widget can ask for."),
            details: Default::default(),
        });
    }
    let hit = ANSWERS.with(|a| a.borrow().iter().find(|(k, _)| *k == url).map(|(_, v)| v.clone()));
    let fresh = hit.is_none();
    let body = match hit {
        Some(body) => body,
        None => get_text(&url, RetryPolicy::default(), cancel).await?,
    };
    let value = decode::<Envelope<T>>(&body).ok_or(ApiError::Unreadable)?.data;
    if fresh {
        ANSWERS.with(|a| {
            let mut a = a.borrow_mut();
            a.retain(|(k, _)| *k != url);
            a.push((url, body));
        });
    }
    Ok(value)
}

/// Which dates of a month have openings, in a zone: from the cache or the studio.
pub async fn month(
    api_base: &str,
    session_type_id: &str,
    ym: YearMonth,
    zone: &str,
    cancel: Option<&web_sys::AbortSignal>,
) -> Result<MonthAvailability, ApiError> {
    availability(paths::month_availability(api_base, session_type_id, ym.year, ym.month, zone), zone, cancel).await
}

/// The slots of a day, in a zone: from the cache or the studio.
pub async fn day(
    api_base: &str,
    session_type_id: &str,
    date: NaiveDate,
    zone: &str,
    cancel: Option<&web_sys::AbortSignal>,
) -> Result<DayAvailability, ApiError> {
    availability(paths::day_availability(api_base, session_type_id, date.year(), date.month(), date.day(), zone), zone, cancel).await
}

/// Forgets every availability answer: after a booking, or a slot found taken, the studio's
/// calendar has changed (for every session type: one photographer, one calendar).
pub fn forget_availability() {
    super::prefetch::forget();
    ANSWERS.with(|a| a.borrow_mut().clear());
}
