//! The availability engine: which instants a session type can start at.
//!
//! Everything here is pure: a schedule in the studio's own zone, the rules of a session type,
//! the sessions already booked and "now" go in; slots come out. The HTTP layer only parses
//! paths and renders the answers.
//!
//! Rules, as a photographer sets them up:
//! - A schedule has weekly intervals ("Tuesdays 09:00–17:00") in its `display_timezone`, and
//!   date overrides that replace the weekly intervals of one date (no intervals: a day off).
//! - Candidate starts step through each interval in wall-clock time from its start, every
//!   `step` minutes; a session must end (in real elapsed time) by the interval's end.
//! - A wall-clock start that does not exist (a spring-forward gap) is no slot; a wall-clock
//!   start that exists twice (an autumn fold) is offered once, at its first occurrence.
//! - Buffers are minutes kept free of other sessions before and after a session: a slot may
//!   not overlap a booked session widened by that session's buffers, and the slot widened by
//!   its own buffers may not overlap a booked session.
//! - Minimum and maximum notice are whole days (24 h) counted from now.
//! - Booked sessions of every session type block each other: one photographer, one calendar.

use chrono::{DateTime, Datelike, Duration, LocalResult, NaiveDate, NaiveDateTime, NaiveTime, TimeZone, Utc};
use chrono_tz::Tz;

/// How far ahead any search looks at the most, whatever the maximum notice says.
pub const MAX_HORIZON_DAYS: i64 = 3 * 366;

/// One opening of a schedule in wall-clock minutes from the local midnight; `end` may be 1440.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Opening {
    pub start_min: u32,
    pub end_min: u32,
}

/// A weekly opening: `day_of_week` 0 is Sunday, as in the API.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WeeklyOpening {
    pub day_of_week: u32,
    pub opening: Opening,
}

/// Openings of one date that replace the weekly ones; none means a day off.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DateOverride {
    pub date: NaiveDate,
    pub openings: Vec<Opening>,
}

/// A studio's schedule for one session type, in the studio's zone.
#[derive(Debug, Clone)]
pub struct Schedule {
    pub zone: Tz,
    pub weekly: Vec<WeeklyOpening>,
    pub overrides: Vec<DateOverride>,
}

/// The timing rules of a session type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rules {
    pub duration_min: u32,
    pub step_min: u32,
    pub buffer_before_min: u32,
    pub buffer_after_min: u32,
    pub min_notice_days: u32,
    pub max_notice_days: u32,
}

/// A session already booked, with the buffers of its own session type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Busy {
    pub start: DateTime<Utc>,
    pub end: DateTime<Utc>,
    pub buffer_before_min: u32,
    pub buffer_after_min: u32,
}

/// A bookable slot: a start and end instant.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Slot {
    pub start: DateTime<Utc>,
    pub end: DateTime<Utc>,
}

/// Parses "HH:MM" (00:00 to 24:00) into minutes from midnight.
pub fn parse_hhmm(s: &str) -> Option<u32> {
    let (h, m) = s.split_once(':')?;
    if h.is_empty() || h.len() > 2 || m.len() != 2 {
        return None;
    }
    let h: u32 = h.parse().ok()?;
    let m: u32 = m.parse().ok()?;
    if m >= 60 || h > 24 || (h == 24 && m != 0) {
        return None;
    }
    Some(h * 60 + m)
}

/// Formats minutes from midnight as "HH:MM".
pub fn format_hhmm(min: u32) -> String {
    format!("{:02}:{:02}", min / 60, min % 60)
}

fn wall(date: NaiveDate, min: u32) -> NaiveDateTime {
    date.and_time(NaiveTime::MIN) + Duration::minutes(i64::from(min))
}

/// The first instant at or after a wall-clock time: inside a gap, the end of the gap;
/// inside a fold, the first occurrence.
pub fn first_instant_at_or_after(zone: Tz, local: NaiveDateTime) -> DateTime<Utc> {
    let mut probe = local;
    // Gaps are at most a few hours long; step minute by minute out of one.
    for _ in 0..(26 * 60) {
        match zone.from_local_datetime(&probe) {
            LocalResult::Single(t) => return t.with_timezone(&Utc),
            LocalResult::Ambiguous(a, _) => return a.with_timezone(&Utc),
            LocalResult::None => probe += Duration::minutes(1),
        }
    }
    // Unreachable for real zone data; fall back to reading the wall clock as UTC.
    Utc.from_utc_datetime(&local)
}

/// The last instant a wall-clock time can mean: inside a fold, the second occurrence;
/// inside a gap, the end of the gap.
fn last_instant_for(zone: Tz, local: NaiveDateTime) -> DateTime<Utc> {
    match zone.from_local_datetime(&local) {
        LocalResult::Single(t) => t.with_timezone(&Utc),
        LocalResult::Ambiguous(_, b) => b.with_timezone(&Utc),
        LocalResult::None => first_instant_at_or_after(zone, local),
    }
}

/// The instant a local date starts in a zone (its first instant, even when midnight is skipped).
pub fn start_of_day(zone: Tz, date: NaiveDate) -> DateTime<Utc> {
    first_instant_at_or_after(zone, date.and_time(NaiveTime::MIN))
}

impl Schedule {
    /// The openings of one local date of the studio: its override, or its weekday's intervals.
    pub fn openings_on(&self, date: NaiveDate) -> Vec<Opening> {
        if let Some(o) = self.overrides.iter().find(|o| o.date == date) {
            return o.openings.clone();
        }
        let dow = date.weekday().num_days_from_sunday();
        self.weekly.iter().filter(|w| w.day_of_week == dow).map(|w| w.opening).collect()
    }

    /// Every slot the schedule alone makes on one local date of the studio, sorted, ignoring
    /// notice and bookings.
    pub fn candidates_on(&self, rules: &Rules, date: NaiveDate) -> Vec<Slot> {
        let mut out = Vec::new();
        let step = rules.step_min.max(1);
        let duration = Duration::minutes(i64::from(rules.duration_min.max(1)));
        for opening in self.openings_on(date) {
            if opening.end_min <= opening.start_min {
                continue;
            }
            let open_at = first_instant_at_or_after(self.zone, wall(date, opening.start_min));
            let close_at = last_instant_for(self.zone, wall(date, opening.end_min));
            let mut m = opening.start_min;
            while m < opening.end_min {
                let start = match self.zone.from_local_datetime(&wall(date, m)) {
                    LocalResult::Single(t) => Some(t.with_timezone(&Utc)),
                    LocalResult::Ambiguous(a, _) => Some(a.with_timezone(&Utc)),
                    LocalResult::None => None,
                };
                if let Some(start) = start {
                    let end = start + duration;
                    if start >= open_at && end <= close_at {
                        out.push(Slot { start, end });
                    }
                }
                m += step;
            }
        }
        out.sort();
        out.dedup();
        out
    }
}

fn overlaps(a_start: DateTime<Utc>, a_end: DateTime<Utc>, b_start: DateTime<Utc>, b_end: DateTime<Utc>) -> bool {
    a_start < b_end && b_start < a_end
}

impl Rules {
    /// Whether a slot keeps clear of a booked session and both their buffers.
    pub fn is_clear_of(&self, slot: &Slot, busy: &Busy) -> bool {
        let min = |m: u32| Duration::minutes(i64::from(m));
        let busy_wide_start = busy.start - min(busy.buffer_before_min);
        let busy_wide_end = busy.end + min(busy.buffer_after_min);
        let slot_wide_start = slot.start - min(self.buffer_before_min);
        let slot_wide_end = slot.end + min(self.buffer_after_min);
        !overlaps(slot.start, slot.end, busy_wide_start, busy_wide_end) && !overlaps(slot_wide_start, slot_wide_end, busy.start, busy.end)
    }

    /// The earliest and latest start allowed by the notice rules.
    pub fn notice_window(&self, now: DateTime<Utc>) -> (DateTime<Utc>, DateTime<Utc>) {
        let earliest = now + Duration::days(i64::from(self.min_notice_days));
        let latest_days = i64::from(self.max_notice_days).min(MAX_HORIZON_DAYS);
        (earliest, now + Duration::days(latest_days))
    }
}

/// What the engine needs to answer for one session type.
#[derive(Debug, Clone, Copy)]
pub struct Availability<'a> {
    pub schedule: &'a Schedule,
    pub rules: &'a Rules,
    pub busy: &'a [Busy],
    pub now: DateTime<Utc>,
}

impl Availability<'_> {
    /// The bookable slots starting in `[from, to)`, sorted by start.
    pub fn slots_between(&self, from: DateTime<Utc>, to: DateTime<Utc>) -> Vec<Slot> {
        let (earliest, latest) = self.rules.notice_window(self.now);
        let from = from.max(earliest);
        let to = to.min(latest + Duration::seconds(1));
        if from >= to {
            return Vec::new();
        }
        // Studio dates whose slots can start in the range: one day of slack on either side
        // covers any difference between zones and the longest opening.
        let first = from.with_timezone(&self.schedule.zone).date_naive() - Duration::days(1);
        let last = to.with_timezone(&self.schedule.zone).date_naive() + Duration::days(1);
        let mut out = Vec::new();
        let mut d = first;
        while d <= last {
            for slot in self.schedule.candidates_on(self.rules, d) {
                if slot.start >= from && slot.start < to && self.busy.iter().all(|b| self.rules.is_clear_of(&slot, b)) {
                    out.push(slot);
                }
            }
            d += Duration::days(1);
        }
        out.sort();
        out.dedup();
        out
    }

    /// The slots that start on one local date of the zone the visitor asks in.
    pub fn day_slots(&self, zone: Tz, date: NaiveDate) -> Vec<Slot> {
        let Some(next) = date.succ_opt() else {
            return Vec::new();
        };
        self.slots_between(start_of_day(zone, date), start_of_day(zone, next))
    }

    /// The dates of a month, in the visitor's zone, on which at least one slot starts.
    pub fn month_dates(&self, zone: Tz, year: i32, month: u32) -> Vec<NaiveDate> {
        let Some(first) = NaiveDate::from_ymd_opt(year, month, 1) else {
            return Vec::new();
        };
        let Some(next_first) = first.checked_add_months(chrono::Months::new(1)) else {
            return Vec::new();
        };
        let slots = self.slots_between(start_of_day(zone, first), start_of_day(zone, next_first));
        let mut dates: Vec<NaiveDate> = slots.iter().map(|s| s.start.with_timezone(&zone).date_naive()).collect();
        dates.dedup();
        dates
    }

    /// The first date after `after` (in the visitor's zone) with a slot, within maximum notice.
    pub fn next_available_date(&self, zone: Tz, after: NaiveDate) -> Option<NaiveDate> {
        let from = start_of_day(zone, after.succ_opt()?);
        let (_, latest) = self.rules.notice_window(self.now);
        // Search in windows of a month so that a near answer is found without a long scan.
        let mut window_start = from;
        while window_start <= latest {
            let window_end = window_start + Duration::days(31);
            if let Some(slot) = self.slots_between(window_start, window_end).first() {
                return Some(slot.start.with_timezone(&zone).date_naive());
            }
            window_start = window_end;
        }
        None
    }

    /// Whether a start instant is offered right now.
    pub fn offers(&self, start: DateTime<Utc>) -> bool {
        self.slots_between(start, start + Duration::seconds(1)).iter().any(|s| s.start == start)
    }

    /// Whether a start instant is one the schedule makes at all, whatever notice and bookings say.
    pub fn schedule_makes(&self, start: DateTime<Utc>) -> bool {
        let d = start.with_timezone(&self.schedule.zone).date_naive();
        (-1..=1).any(|k| self.schedule.candidates_on(self.rules, d + Duration::days(k)).iter().any(|s| s.start == start))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono_tz::Tz;

    fn weekdays(start: &str, end: &str) -> Vec<WeeklyOpening> {
        (1..=5)
            .map(|d| WeeklyOpening { day_of_week: d, opening: Opening { start_min: parse_hhmm(start).unwrap(), end_min: parse_hhmm(end).unwrap() } })
            .collect()
    }

    fn every_day(start: &str, end: &str) -> Vec<WeeklyOpening> {
        (0..=6)
            .map(|d| WeeklyOpening { day_of_week: d, opening: Opening { start_min: parse_hhmm(start).unwrap(), end_min: parse_hhmm(end).unwrap() } })
            .collect()
    }

    fn rules(duration: u32) -> Rules {
        Rules { duration_min: duration, step_min: duration, buffer_before_min: 0, buffer_after_min: 0, min_notice_days: 0, max_notice_days: 365 }
    }

    fn utc(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
    }

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn hhmm_parses_and_rejects() {
        assert_eq!(parse_hhmm("09:30"), Some(570));
        assert_eq!(parse_hhmm("24:00"), Some(1440));
        assert_eq!(parse_hhmm("9:05"), Some(545));
        for bad in ["24:01", "12:60", "1230", "", ":30", "12:3", "-1:00", "ab:cd"] {
            assert_eq!(parse_hhmm(bad), None, "{bad}");
        }
        assert_eq!(format_hhmm(1440), "24:00");
    }

    #[test]
    fn weekday_slots_in_london_summer() {
        let schedule = Schedule { zone: Tz::Europe__London, weekly: weekdays("09:00", "12:00"), overrides: vec![] };
        let r = rules(60);
        let a = Availability { schedule: &schedule, rules: &r, busy: &[], now: utc("2025-08-01T00:00:00Z") };
        let slots = a.day_slots(Tz::Europe__London, d("2025-08-07"));
        let starts: Vec<String> = slots.iter().map(|s| s.start.to_rfc3339()).collect();
        assert_eq!(starts, ["2025-08-07T08:00:00+00:00", "2025-08-07T09:00:00+00:00", "2025-08-07T10:00:00+00:00"]);
        // Saturday: nothing.
        assert!(a.day_slots(Tz::Europe__London, d("2025-08-09")).is_empty());
    }

    #[test]
    fn spring_forward_gap_is_no_slot_and_fold_is_offered_once() {
        // Europe/London: 2025-03-30 01:00 -> 02:00 (gap 01:00-02:00); 2025-10-26 02:00 -> 01:00 (fold 01:00-02:00).
        let schedule = Schedule { zone: Tz::Europe__London, weekly: every_day("00:00", "04:00"), overrides: vec![] };
        let r = Rules { step_min: 30, ..rules(30) };
        let a = Availability { schedule: &schedule, rules: &r, busy: &[], now: utc("2025-01-01T00:00:00Z") };
        let spring = a.day_slots(Tz::Europe__London, d("2025-03-30"));
        let local: Vec<String> = spring.iter().map(|s| s.start.with_timezone(&Tz::Europe__London).format("%H:%M").to_string()).collect();
        assert_eq!(local, ["00:00", "00:30", "02:00", "02:30", "03:00", "03:30"]);
        let autumn = a.day_slots(Tz::Europe__London, d("2025-10-26"));
        let local: Vec<String> = autumn.iter().map(|s| s.start.with_timezone(&Tz::Europe__London).format("%H:%M").to_string()).collect();
        assert_eq!(local, ["00:00", "00:30", "01:00", "01:30", "02:00", "02:30", "03:00", "03:30"]);
        // Every instant once.
        let mut starts: Vec<_> = autumn.iter().map(|s| s.start).collect();
        starts.dedup();
        assert_eq!(starts.len(), 8);
    }

    #[test]
    fn kathmandu_and_st_johns_offsets() {
        let schedule = Schedule { zone: Tz::Asia__Kathmandu, weekly: weekdays("10:00", "11:00"), overrides: vec![] };
        let r = rules(60);
        let a = Availability { schedule: &schedule, rules: &r, busy: &[], now: utc("2025-08-01T00:00:00Z") };
        let slots = a.day_slots(Tz::Asia__Kathmandu, d("2025-08-07"));
        assert_eq!(slots.len(), 1);
        assert_eq!(slots[0].start, utc("2025-08-07T04:15:00Z"));
        // Seen from St John's (-02:30 in summer) it is still the evening before.
        let there = a.day_slots(Tz::America__St_Johns, d("2025-08-07"));
        assert_eq!(there.len(), 1);
        assert_eq!(there[0].start.with_timezone(&Tz::America__St_Johns).to_rfc3339(), "2025-08-07T01:45:00-02:30");
        assert!(a.day_slots(Tz::America__St_Johns, d("2025-08-06")).iter().all(|s| s.start != slots[0].start));
    }

    #[test]
    fn buffers_and_bookings_block() {
        let schedule = Schedule { zone: Tz::UTC, weekly: every_day("09:00", "13:00"), overrides: vec![] };
        let r = Rules { step_min: 30, buffer_before_min: 30, buffer_after_min: 0, ..rules(60) };
        let busy = [Busy { start: utc("2025-08-07T11:00:00Z"), end: utc("2025-08-07T12:00:00Z"), buffer_before_min: 0, buffer_after_min: 30 }];
        let a = Availability { schedule: &schedule, rules: &r, busy: &busy, now: utc("2025-08-01T00:00:00Z") };
        let starts: Vec<String> = a.day_slots(Tz::UTC, d("2025-08-07")).iter().map(|s| s.start.format("%H:%M").to_string()).collect();
        // 10:00 ends as the booked session starts, and its own buffer before (09:30-10:00)
        // holds no session. 10:30-11:30 overlap the session; 12:00 overlaps the session's
        // buffer after (until 12:30); 12:30 would end after the opening closes at 13:00.
        assert_eq!(starts, ["09:00", "09:30", "10:00"]);
    }

    #[test]
    fn notice_window_limits_slots() {
        let schedule = Schedule { zone: Tz::UTC, weekly: every_day("09:00", "10:00"), overrides: vec![] };
        let r = Rules { min_notice_days: 2, max_notice_days: 5, ..rules(60) };
        let a = Availability { schedule: &schedule, rules: &r, busy: &[], now: utc("2025-08-01T09:30:00Z") };
        let dates = a.month_dates(Tz::UTC, 2025, 8);
        assert_eq!(dates, [d("2025-08-04"), d("2025-08-05"), d("2025-08-06")]);
        assert_eq!(a.next_available_date(Tz::UTC, d("2025-08-04")), Some(d("2025-08-05")));
        assert_eq!(a.next_available_date(Tz::UTC, d("2025-08-31")), None);
    }

    #[test]
    fn overrides_replace_a_day() {
        let schedule = Schedule {
            zone: Tz::UTC,
            weekly: weekdays("09:00", "10:00"),
            overrides: vec![
                DateOverride { date: d("2025-08-07"), openings: vec![] },
                DateOverride { date: d("2025-08-09"), openings: vec![Opening { start_min: 600, end_min: 720 }] },
            ],
        };
        let r = rules(60);
        let a = Availability { schedule: &schedule, rules: &r, busy: &[], now: utc("2025-08-01T00:00:00Z") };
        assert!(a.day_slots(Tz::UTC, d("2025-08-07")).is_empty());
        assert_eq!(a.day_slots(Tz::UTC, d("2025-08-09")).len(), 2);
        assert_eq!(a.day_slots(Tz::UTC, d("2025-08-08")).len(), 1);
    }

    #[test]
    fn midnight_gap_day_starts_after_the_gap() {
        // America/Havana springs forward at 00:00 -> 01:00 (2025-03-09).
        let zone: Tz = "America/Havana".parse().unwrap();
        let start = start_of_day(zone, d("2025-03-09"));
        assert_eq!(start.with_timezone(&zone).format("%H:%M").to_string(), "01:00");
    }

    #[test]
    fn offers_and_schedule_makes() {
        let schedule = Schedule { zone: Tz::UTC, weekly: every_day("09:00", "11:00"), overrides: vec![] };
        let r = rules(60);
        let busy = [Busy { start: utc("2025-08-07T09:00:00Z"), end: utc("2025-08-07T10:00:00Z"), buffer_before_min: 0, buffer_after_min: 0 }];
        let a = Availability { schedule: &schedule, rules: &r, busy: &busy, now: utc("2025-08-01T00:00:00Z") };
        assert!(!a.offers(utc("2025-08-07T09:00:00Z")));
        assert!(a.schedule_makes(utc("2025-08-07T09:00:00Z")));
        assert!(a.offers(utc("2025-08-07T10:00:00Z")));
        assert!(!a.schedule_makes(utc("2025-08-07T09:30:00Z")));
    }
}
