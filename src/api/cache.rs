//! What the widget already fetched, kept for the life of the page: availability answers by
//! URL. A month or day is asked once, prefetches fill the same cache, and a booking (or a
//! slot found taken) forgets the answers it made stale.

use std::cell::RefCell;

use super::client::{day_availability, month_availability, ApiError};
use super::models::{DayAvailability, MonthAvailability};
use super::paths;
use crate::core::calendar::YearMonth;
use chrono::{Datelike, NaiveDate};

/// Answers by URL. A list, not a hash map: a visit asks for tens of months and days, found by
/// comparing a few URLs, and no hashing code is compiled in for it.
type Answers<T> = RefCell<Vec<(String, T)>>;

thread_local! {
    static MONTHS: Answers<MonthAvailability> = const { RefCell::new(Vec::new()) };
    static DAYS: Answers<DayAvailability> = const { RefCell::new(Vec::new()) };
}

fn cached<T: Clone>(answers: &Answers<T>, key: &str) -> Option<T> {
    answers.borrow().iter().find(|(k, _)| k == key).map(|(_, v)| v.clone())
}

fn keep<T>(answers: &Answers<T>, key: String, value: T) {
    let mut answers = answers.borrow_mut();
    answers.retain(|(k, _)| *k != key);
    answers.push((key, value));
}

/// A month's availability, from the cache or the studio (`cancel` stops the request).
pub async fn month(api_base: &str, session_type_id: &str, ym: YearMonth, zone: &str, cancel: Option<&web_sys::AbortSignal>) -> Result<MonthAvailability, ApiError> {
    let key = paths::month_availability(api_base, session_type_id, ym.year, ym.month, zone);
    if let Some(hit) = MONTHS.with(|m| cached(m, &key)) {
        return Ok(hit);
    }
    let fresh = month_availability(api_base, session_type_id, ym, zone, cancel).await?;
    MONTHS.with(|m| keep(m, key, fresh.clone()));
    Ok(fresh)
}

/// A day's slots, from the cache or the studio.
pub async fn day(api_base: &str, session_type_id: &str, date: NaiveDate, zone: &str, cancel: Option<&web_sys::AbortSignal>) -> Result<DayAvailability, ApiError> {
    let key = paths::day_availability(api_base, session_type_id, date.year(), date.month(), date.day(), zone);
    if let Some(hit) = DAYS.with(|d| cached(d, &key)) {
        return Ok(hit);
    }
    let fresh = day_availability(api_base, session_type_id, date, zone, cancel).await?;
    DAYS.with(|d| keep(d, key, fresh.clone()));
    Ok(fresh)
}

/// Forgets every availability answer: after a booking, or a slot found taken, the studio's
/// calendar has changed (for every session type: one photographer, one calendar).
pub fn forget_availability() {
    super::prefetch::forget();
    MONTHS.with(|m| m.borrow_mut().clear());
    DAYS.with(|d| d.borrow_mut().clear());
}
