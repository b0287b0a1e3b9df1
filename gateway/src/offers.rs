//! The waitlist at work: a slot that comes free (a client's cancel or move through the
//! gateway, an offer declined or run out, or a slot the watch of the studio's availability
//! had not seen) is offered to the next person waiting, held for them, and kept out of
//! everyone else's availability while it holds. The state is the [`Store`]'s (a database
//! several gateways may share); this is what the gateway does with it, and its timers.

use std::net::IpAddr;
use std::num::NonZeroU32;
use std::sync::Arc;
use std::time::Duration;

use chrono::{Datelike, NaiveDate, Utc};
use serde_json::Value;
use studio_booking_core::models::{DayAvailability, MonthAvailability, SessionType};
use studio_booking_core::read::FromJson;
use studio_booking_core::{iso, paths};
use tokio::sync::Notify;

use crate::config::WaitlistConfig;
use crate::mail::{Catalogues, MailQueue, Mailer, QueuedMail};
use crate::routes::{core_value, day_path, ApiError};
use crate::waitlist::{FreedSlot, Store};
use crate::Gateway;

/// How often offers that ran out are passed on (and the database tidied, every hundredth):
/// at most this far apart, and four times within a hold however short.
const EXPIRY_EVERY: Duration = Duration::from_secs(20);
/// The most days of availability the watch asks the studio for, per session type and look,
/// for people who can come any day (the nearest ones: a mini-session day is soon).
const ANY_DAY_WATCH_DAYS: usize = 62;
/// Joins one client address may send in an hour (each may cost an e-mail).
const JOINS_PER_HOUR: u32 = 10;
/// How long a session type's holds are kept in memory for availability answers: not asked of
/// the database at every visitor's request. Another gateway's new hold shows within this; a
/// booking of a held slot is refused whatever it shows, as the holds it is checked against
/// are read afresh.
const HOLDS_FRESH_FOR: Duration = Duration::from_secs(1);

/// The waitlist's parts: its state, its settings, and what wakes the mail's sender.
pub struct Waitlist {
    /// The entries, offers and outgoing mail.
    pub store: Store,
    /// Its settings (the booking page, the hold, the watch's pace).
    pub settings: WaitlistConfig,
    /// Told whenever mail is queued, so that it goes at once.
    pub mail_queued: Arc<Notify>,
    /// Joins by client address, on top of the writes' limit: each join may cost an e-mail.
    joins: governor::DefaultKeyedRateLimiter<IpAddr>,
    /// The holds of each session type, as availability answers use them (for
    /// [`HOLDS_FRESH_FOR`]; forgotten at once when this gateway makes or ends one).
    holds: moka::future::Cache<String, Arc<Vec<i64>>>,
    /// The days of a month (by its path and its holds) whose every slot is held, as month
    /// answers leave them out: decided at most once for [`HOLDS_FRESH_FOR`].
    pub(crate) full_days: moka::future::Cache<String, Arc<Vec<NaiveDate>>>,
}

impl Waitlist {
    /// Opens the database (running its migrations) for these settings.
    pub async fn open(settings: WaitlistConfig) -> Result<Waitlist, String> {
        let store = Store::open(&settings.database_url).await?.with_notify(settings.notify_email.as_deref());
        let quota = governor::Quota::per_hour(NonZeroU32::new(JOINS_PER_HOUR).expect("not zero"));
        let holds = moka::future::Cache::builder().max_capacity(10_000).time_to_live(HOLDS_FRESH_FOR).build();
        let full_days = moka::future::Cache::builder().max_capacity(10_000).time_to_live(HOLDS_FRESH_FOR).build();
        Ok(Waitlist { store, settings, mail_queued: Arc::new(Notify::new()), joins: governor::RateLimiter::keyed(quota), holds, full_days })
    }

    /// Forgets the kept holds (after this gateway made or ended one).
    pub(crate) fn holds_changed(&self) {
        self.holds.invalidate_all();
    }

    /// Counts a join from `client`; Err with the seconds to wait when it sends too many.
    pub(crate) fn count_join(&self, client: IpAddr) -> Result<(), u64> {
        let now = governor::clock::Clock::now(&governor::clock::DefaultClock::default());
        self.joins.check_key(&client).map_err(|not_until| not_until.wait_time_from(now).as_secs().max(1))
    }
}

/// Now, as the store counts time.
pub(crate) fn now_ms() -> i64 {
    Utc::now().timestamp_millis()
}

/// The outbox as the mail's sender drains it.
impl MailQueue for Store {
    async fn claim_due_mail(&self, now_ms: i64, lease_ms: i64, limit: i64) -> Result<Vec<QueuedMail>, String> {
        Store::claim_due_mail(self, now_ms, lease_ms, limit.max(1) as usize).await
    }

    async fn mail_sent(&self, id: &str) -> Result<(), String> {
        Store::mail_sent(self, id).await
    }

    async fn mail_failed(&self, id: &str, next_attempt_ms: i64, error: &str) -> Result<(), String> {
        Store::mail_failed(self, id, next_attempt_ms, error).await
    }
}

impl Gateway {
    /// The waitlist, or 404 where the gateway keeps none (as a studio answers).
    pub(crate) fn waitlist(&self) -> Result<&Waitlist, ApiError> {
        self.waitlist.as_deref().ok_or(ApiError::NotFound)
    }

    /// A published session type, read by the core.
    pub(crate) async fn session_type(&self, id: &str) -> Result<SessionType, ApiError> {
        SessionType::from_json(&core_value(&self.published(id).await?)).ok_or(ApiError::Unreadable)
    }

    /// The starts (Unix ms) of `id`'s slots held for someone now; none where no waitlist is
    /// kept. A database that cannot be read hides nothing here: a booking is still checked
    /// against the holds, and refused while they cannot be read.
    pub(crate) async fn held_starts(&self, id: &str) -> Vec<i64> {
        let Some(w) = self.waitlist.as_deref() else { return Vec::new() };
        let read = w
            .holds
            .try_get_with(id.to_string(), async {
                // The held slots that have not run out (expire_due passes them on soon).
                w.store.held_starts(id, now_ms()).await.map(Arc::new)
            })
            .await;
        match read {
            Ok(held) => held.as_ref().clone(),
            Err(e) => {
                tracing::warn!(error = %e, "waitlist: holds not read");
                Vec::new()
            }
        }
    }

    /// A slot of `id` starting at `start_ms` may have come free: if the studio has it open
    /// now and no one holds it, it is offered to the next person waiting for that day, held
    /// until the hold's end or, sooner, the type's minimum notice before it.
    pub(crate) async fn offer_if_free(&self, id: &str, start_ms: i64) {
        let Some(w) = self.waitlist.as_deref() else { return };
        let outcome = async {
            let t = self.session_type(id).await?;
            let zone_name = t.studio_zone().unwrap_or("UTC").to_string();
            let zone = zone_name.parse::<chrono_tz::Tz>().unwrap_or(chrono_tz::UTC);
            let Some(instant) = chrono::DateTime::from_timestamp_millis(start_ms) else { return Ok(()) };
            let day = self.studio.get(&day_path(id, instant.with_timezone(&zone).date_naive(), &zone_name)).await?;
            let slots = (day.status == 200)
                .then(|| serde_json::from_slice::<Value>(&day.body).ok())
                .flatten()
                .and_then(|b| b.get("data").map(core_value))
                .and_then(|d| DayAvailability::from_json(&d))
                .map(|d| d.slots)
                .unwrap_or_default();
            let Some(slot) = slots.into_iter().find(|s| iso::parse_instant_ms(&s.start) == Some(start_ms)) else { return Ok(()) };
            self.offer_slot(
                w,
                &t,
                FreedSlot { session_type_id: id.to_string(), session_type_name: t.name.clone(), start: slot.start, start_ms, end: slot.end },
            )
            .await;
            Ok::<(), ApiError>(())
        }
        .await;
        if let Err(e) = outcome {
            tracing::warn!(session_type = id, error = ?e, "waitlist: a freed slot could not be looked at");
        }
    }

    /// Offers `slot` (open at the studio, just freed) to the next person waiting.
    async fn offer_slot(&self, w: &Waitlist, t: &SessionType, slot: FreedSlot) {
        let now = now_ms();
        let notice_ms = (t.minimum_notice_duration.min(3_650) as i64) * 86_400_000;
        let hold_until = (now + w.settings.offer_hold.as_millis() as i64).min(slot.start_ms - notice_ms);
        match w.store.offer_freed(slot, hold_until, now).await {
            Ok(Some(made)) => {
                tracing::info!(offer = %made.offer_id, session_type = %t.id, "waitlist: a freed slot offered");
                w.holds_changed();
                w.mail_queued.notify_one();
            }
            Ok(None) => {}
            Err(e) => tracing::warn!(error = %e, "waitlist: a freed slot not offered"),
        }
    }

    /// A slot that was held (an offer declined, run out, or left) goes to the next person,
    /// if the studio still has it.
    pub(crate) async fn pass_on(&self, slot: FreedSlot) {
        if let Some(w) = self.waitlist.as_deref() {
            w.holds_changed();
        }
        self.offer_if_free(&slot.session_type_id, slot.start_ms).await;
    }

    /// One look of the watch: the days people wait for, asked of the studio; a slot open now
    /// that was not at the last look has come free (the photographer cancelled a session or
    /// added a time in the studio) and is offered.
    pub async fn watch_once(&self) {
        let Some(w) = self.waitlist.as_deref() else { return };
        let wanted = match w.store.wanted(now_ms()).await {
            Ok(w) => w,
            Err(e) => {
                tracing::warn!(error = %e, "waitlist: the days waited for not read");
                return;
            }
        };
        for (id, days) in wanted {
            let Ok(t) = self.session_type(&id).await else { continue };
            let zone = t.studio_zone().unwrap_or("UTC").to_string();
            let today = Utc::now().with_timezone(&zone.parse::<chrono_tz::Tz>().unwrap_or(chrono_tz::UTC)).date_naive();
            let days = if days.is_empty() { self.open_days(&id, &zone, today).await } else { around(&days) };
            for day in days.into_iter().filter(|d| *d >= today) {
                let Ok(answer) = self.studio.get(&day_path(&id, day, &zone)).await else { continue };
                let Some(open) = (answer.status == 200)
                    .then(|| serde_json::from_slice::<Value>(&answer.body).ok())
                    .flatten()
                    .and_then(|b| b.get("data").map(core_value))
                    .and_then(|d| DayAvailability::from_json(&d))
                else {
                    continue;
                };
                let starts: Vec<String> = open.slots.iter().map(|s| s.start.clone()).collect();
                match w.store.observe_open(&id, day, &starts).await {
                    Ok(new) => {
                        for slot in open.slots.into_iter().filter(|s| new.contains(&s.start)) {
                            let Some(start_ms) = iso::parse_instant_ms(&slot.start) else { continue };
                            let freed = FreedSlot {
                                session_type_id: id.clone(),
                                session_type_name: t.name.clone(),
                                start: slot.start,
                                start_ms,
                                end: slot.end,
                            };
                            self.offer_slot(w, &t, freed).await;
                        }
                    }
                    Err(e) => tracing::warn!(error = %e, "waitlist: a look of the watch not kept"),
                }
            }
        }
    }

    /// The open days of `id` from `today`, the nearest [`ANY_DAY_WATCH_DAYS`] of them, from
    /// the months the studio answers for.
    async fn open_days(&self, id: &str, zone: &str, today: NaiveDate) -> Vec<NaiveDate> {
        let mut days = Vec::new();
        let mut month = today.with_day(1).unwrap_or(today);
        for _ in 0..3 {
            if let Ok(answer) = self.studio.get(&paths::month_availability("", id, month.year(), month.month(), zone)).await {
                let m = (answer.status == 200)
                    .then(|| serde_json::from_slice::<Value>(&answer.body).ok())
                    .flatten()
                    .and_then(|b| b.get("data").map(core_value))
                    .and_then(|d| MonthAvailability::from_json(&d));
                days.extend(m.iter().flat_map(|m| m.available_dates.iter()).filter_map(|d| iso::parse_date(d)));
            }
            month = month.checked_add_months(chrono::Months::new(1)).unwrap_or(month);
        }
        days.retain(|d| *d >= today);
        days.sort();
        days.dedup();
        days.truncate(ANY_DAY_WATCH_DAYS);
        days
    }
}

/// The studio's days that may hold a slot on one of `days` in any person's zone: each day and
/// the days beside it (zones lie up to 14 hours either side of the studio's).
fn around(days: &[NaiveDate]) -> Vec<NaiveDate> {
    let mut all: Vec<NaiveDate> = days.iter().flat_map(|d| [d.pred_opt(), Some(*d), d.succ_opt()]).flatten().collect();
    all.sort();
    all.dedup();
    all
}

/// The waitlist's timers, for as long as the gateway runs: the mail's sender; offers that ran
/// out passed on (and the database tidied of what it may no longer keep); the watch of the
/// studio's availability every `poll`.
pub fn start(g: Arc<Gateway>) -> Result<(), String> {
    let Some(w) = g.waitlist.as_deref() else { return Ok(()) };
    let mailer = Mailer::new(&w.settings.smtp_url, &w.settings.mail_from)?;
    let catalogues = Arc::new(Catalogues::load()?);
    tokio::spawn(crate::mail::run_outbox(Arc::new(w.store.clone()), mailer, catalogues, w.mail_queued.clone()));
    let timers = g.clone();
    let every = EXPIRY_EVERY.min(w.settings.offer_hold / 4).max(Duration::from_millis(250));
    tokio::spawn(async move {
        let mut ticks: u64 = 0;
        loop {
            tokio::time::sleep(every).await;
            let Some(w) = timers.waitlist.as_deref() else { return };
            match w.store.expire_due(now_ms()).await {
                Ok(ended) => {
                    for slot in ended {
                        timers.pass_on(slot).await;
                    }
                }
                Err(e) => tracing::warn!(error = %e, "waitlist: offers that ran out not passed on"),
            }
            if ticks.is_multiple_of(100) {
                if let Err(e) = w.store.purge(now_ms()).await {
                    tracing::warn!(error = %e, "waitlist: not tidied");
                }
            }
            ticks += 1;
        }
    });
    let watch = g.clone();
    let poll = w.settings.poll;
    tokio::spawn(async move {
        loop {
            watch.watch_once().await;
            tokio::time::sleep(poll).await;
        }
    });
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_watch_looks_at_each_wanted_day_and_the_days_beside_it() {
        let d = |s: &str| iso::parse_date(s).unwrap();
        assert_eq!(around(&[d("2027-03-14"), d("2027-03-15")]), vec![d("2027-03-13"), d("2027-03-14"), d("2027-03-15"), d("2027-03-16")]);
    }
}
