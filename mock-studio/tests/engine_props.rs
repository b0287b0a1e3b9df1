//! Properties of the availability engine for random schedules, zones, dates and bookings,
//! each checked against a plain reading of the rules rather than the engine's own helpers.

use chrono::{DateTime, Datelike, Duration, NaiveDate, NaiveDateTime, NaiveTime, TimeZone, Utc};
use chrono_tz::Tz;
use mock_studio::engine::*;
use proptest::prelude::*;

/// Zones with whole, half and three-quarter hour offsets, DST in either hemisphere, a
/// 30-minute DST, DST at midnight, and the date line.
const ZONES: &[&str] = &[
    "UTC",
    "Europe/London",
    "America/Los_Angeles",
    "America/St_Johns",
    "Asia/Kathmandu",
    "Australia/Lord_Howe",
    "Pacific/Kiritimati",
    "Pacific/Chatham",
    "America/Havana",
    "America/Santiago",
    "Asia/Tehran",
    "Europe/Dublin",
    "Australia/Adelaide",
    "Pacific/Apia",
    "America/Argentina/Buenos_Aires",
];

fn zone() -> impl Strategy<Value = Tz> {
    (0..ZONES.len()).prop_map(|i| ZONES[i].parse().unwrap())
}

fn opening() -> impl Strategy<Value = Opening> {
    (0u32..96, 1u32..40).prop_map(|(start_q, len_q)| {
        let start_min = start_q * 15;
        Opening { start_min, end_min: (start_min + len_q * 15).min(1440) }
    })
}

fn schedule() -> impl Strategy<Value = Schedule> {
    (zone(), prop::collection::vec((0u32..7, opening()), 1..8), prop::collection::vec((0i64..60, prop::collection::vec(opening(), 0..3)), 0..3))
        .prop_map(|(zone, weekly, overrides)| Schedule {
            zone,
            weekly: weekly.into_iter().map(|(day_of_week, opening)| WeeklyOpening { day_of_week, opening }).collect(),
            overrides: overrides
                .into_iter()
                .map(|(offset, openings)| DateOverride { date: base_date() + Duration::days(offset), openings })
                .collect(),
        })
}

fn rules() -> impl Strategy<Value = Rules> {
    (
        prop::sample::select(vec![15u32, 20, 30, 45, 60, 90, 120, 240]),
        prop::sample::select(vec![15u32, 30, 60]),
        0u32..61,
        0u32..61,
        0u32..4,
        5u32..60,
    )
        .prop_map(|(duration_min, step_min, buffer_before_min, buffer_after_min, min_notice_days, extra)| Rules {
            duration_min,
            step_min,
            buffer_before_min,
            buffer_after_min,
            min_notice_days,
            max_notice_days: min_notice_days + extra,
        })
}

/// A spread of base dates: around DST changes in both hemispheres and around new year.
fn base_date() -> NaiveDate {
    NaiveDate::from_ymd_opt(2025, 3, 1).unwrap()
}

fn now_strategy() -> impl Strategy<Value = DateTime<Utc>> {
    (0i64..300 * 24 * 4)
        .prop_map(|quarter_hours| Utc.from_utc_datetime(&base_date().and_time(NaiveTime::MIN)) + Duration::minutes(quarter_hours * 15))
}

fn busy_list() -> impl Strategy<Value = Vec<(i64, u32, u32, u32)>> {
    // Offsets in minutes from now, durations, buffers.
    prop::collection::vec((0i64..40 * 24 * 60, 15u32..240, 0u32..60, 0u32..60), 0..12)
}

fn to_busy(now: DateTime<Utc>, list: &[(i64, u32, u32, u32)]) -> Vec<Busy> {
    list.iter()
        .map(|&(offset, len, before, after)| {
            let start = now + Duration::minutes(offset);
            Busy { start, end: start + Duration::minutes(i64::from(len)), buffer_before_min: before, buffer_after_min: after }
        })
        .collect()
}

/// The instant a local wall-clock time of `zone` names. A time a clock skips (a DST gap) names
/// the instant the clock jumps, the first local minute after it; a time it shows twice (a
/// fold) names its earlier instant when it opens an opening and its later one when it closes.
fn instant_of(zone: Tz, local: NaiveDateTime, closing: bool) -> DateTime<Utc> {
    (0..=180)
        .find_map(|k| {
            let r = zone.from_local_datetime(&(local + Duration::minutes(k)));
            if closing {
                r.latest()
            } else {
                r.earliest()
            }
        })
        .expect("no zone skips three hours")
        .with_timezone(&Utc)
}

/// The plain reading of "inside an opening in the studio's zone": the slot lies between the
/// instants that one opening of the local date it starts on begins and ends at. (Wall clocks
/// alone mislead at a gap: an opening until 24:00 on Chile's night of the spring change ends
/// at the instant the clocks show 01:00.)
fn inside_an_opening(schedule: &Schedule, slot: &Slot) -> bool {
    let date = slot.start.with_timezone(&schedule.zone).date_naive();
    let at = |m: u32| -> NaiveDateTime { date.and_time(NaiveTime::MIN) + Duration::minutes(i64::from(m)) };
    schedule
        .openings_on(date)
        .iter()
        .any(|o| slot.start >= instant_of(schedule.zone, at(o.start_min), false) && slot.end <= instant_of(schedule.zone, at(o.end_min), true))
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn slots_respect_every_rule(schedule in schedule(), rules in rules(), now in now_strategy(), busy in busy_list(), ask_zone in zone(), day in 0i64..45) {
        let busy = to_busy(now, &busy);
        let a = Availability { schedule: &schedule, rules: &rules, busy: &busy, now };
        let date = now.with_timezone(&ask_zone).date_naive() + Duration::days(day);
        let slots = a.day_slots(ask_zone, date);
        let (earliest, latest) = (now + Duration::days(i64::from(rules.min_notice_days)), now + Duration::days(i64::from(rules.max_notice_days)));
        for (i, slot) in slots.iter().enumerate() {
            // The day asked, in the zone asked.
            prop_assert_eq!(slot.start.with_timezone(&ask_zone).date_naive(), date);
            // Sorted, each once.
            if i > 0 { prop_assert!(slots[i - 1].start < slot.start); }
            // Its length.
            prop_assert_eq!((slot.end - slot.start).num_minutes(), i64::from(rules.duration_min));
            // Notice.
            prop_assert!(slot.start >= earliest && slot.start <= latest, "{} outside notice {}..{}", slot.start, earliest, latest);
            // Inside an opening in the studio's zone.
            prop_assert!(inside_an_opening(&schedule, slot), "{:?} outside the openings in {}", slot, schedule.zone);
            // Clear of every booked session and both sides' buffers.
            for b in &busy {
                let b_wide = (b.start - Duration::minutes(i64::from(b.buffer_before_min)), b.end + Duration::minutes(i64::from(b.buffer_after_min)));
                prop_assert!(slot.end <= b_wide.0 || slot.start >= b_wide.1, "{:?} overlaps {:?} with its buffers", slot, b);
                let s_wide = (slot.start - Duration::minutes(i64::from(rules.buffer_before_min)), slot.end + Duration::minutes(i64::from(rules.buffer_after_min)));
                prop_assert!(s_wide.1 <= b.start || s_wide.0 >= b.end, "{:?} with its buffers overlaps {:?}", slot, b);
            }
            // And the booking check agrees.
            prop_assert!(a.offers(slot.start));
        }
    }

    #[test]
    fn a_day_holds_exactly_the_slots_that_start_on_it(schedule in schedule(), rules in rules(), now in now_strategy(), ask_zone in zone(), day in 0i64..40) {
        let a = Availability { schedule: &schedule, rules: &rules, busy: &[], now };
        let date = now.with_timezone(&ask_zone).date_naive() + Duration::days(day);
        // Every slot over a wide window, sorted by the day it starts on in the zone asked.
        let wide = a.slots_between(now - Duration::days(1), now + Duration::days(70));
        let expected: Vec<Slot> = wide.into_iter().filter(|s| s.start.with_timezone(&ask_zone).date_naive() == date).collect();
        prop_assert_eq!(a.day_slots(ask_zone, date), expected);
    }

    #[test]
    fn month_dates_are_the_days_with_slots(schedule in schedule(), rules in rules(), now in now_strategy(), ask_zone in zone(), months_ahead in 0u32..2) {
        let a = Availability { schedule: &schedule, rules: &rules, busy: &[], now };
        let first = now.with_timezone(&ask_zone).date_naive().with_day(1).unwrap() + chrono::Months::new(months_ahead);
        let dates = a.month_dates(ask_zone, first.year(), first.month());
        let mut d = first;
        while d.month() == first.month() {
            prop_assert_eq!(dates.contains(&d), !a.day_slots(ask_zone, d).is_empty(), "{}", d);
            d += Duration::days(1);
        }
        // The next available date is the first later day with a slot.
        let last = first + chrono::Months::new(1) - Duration::days(1);
        let next = a.next_available_date(ask_zone, last);
        if let Some(n) = next {
            prop_assert!(n > last);
            prop_assert!(!a.day_slots(ask_zone, n).is_empty());
            let mut probe = last + Duration::days(1);
            while probe < n {
                prop_assert!(a.day_slots(ask_zone, probe).is_empty(), "{} has slots before {}", probe, n);
                probe += Duration::days(1);
            }
        }
    }
}
