//! The widget's time zone conversions go through the browser's Intl (no zone database in the
//! wasm). This differential test checks them against chrono-tz for every zone both know: at
//! two ordinary instants of the year, and around every offset change of 2026 (the hours
//! before, at and after each DST change).
#![cfg(target_arch = "wasm32")]

use chrono::{DateTime, Duration, Offset, TimeZone, Utc};
use chrono_tz::{Tz, TZ_VARIANTS};
use studio_booking::intl::{is_valid_zone, wall_clock};
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

/// Zones whose 2026 rules differ between this Chromium's zone data and chrono-tz 0.10.4's:
/// the browser keeps summer time after 1 November 2026 in these Canadian zones and differs on
/// Moldova's changes. The widget follows the browser's (updated with the browser); any other
/// difference is a bug in the widget's conversions.
const DATA_DIFFERS: &[&str] = &[
    "America/Edmonton",
    "America/Inuvik",
    "America/Rainy_River",
    "America/Vancouver",
    "America/Winnipeg",
    "America/Yellowknife",
    "Canada/Central",
    "Canada/Mountain",
    "Canada/Pacific",
    "Europe/Chisinau",
    "Europe/Tiraspol",
];

fn offset_at(zone: Tz, t: DateTime<Utc>) -> i32 {
    zone.offset_from_utc_datetime(&t.naive_utc()).fix().local_minus_utc()
}

/// Instants where a zone's offset changes during 2026 (found hour by hour, then to the minute).
fn changes_in_2026(zone: Tz) -> Vec<DateTime<Utc>> {
    let mut out = Vec::new();
    let mut t = Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0).unwrap();
    let end = Utc.with_ymd_and_hms(2027, 1, 1, 0, 0, 0).unwrap();
    let mut before = offset_at(zone, t);
    while t < end {
        let next = t + Duration::hours(1);
        let after = offset_at(zone, next);
        if after != before {
            let mut m = t;
            while offset_at(zone, m) == before {
                m += Duration::minutes(1);
            }
            out.push(m);
            before = after;
        }
        t = next;
    }
    out
}

#[wasm_bindgen_test]
fn intl_wall_clock_matches_chrono_tz_in_every_zone() {
    let mut checked = 0;
    let mut zones = 0;
    let mut mismatches = Vec::new();
    for zone in TZ_VARIANTS.iter().copied() {
        let name = zone.name();
        if !is_valid_zone(name) {
            continue;
        }
        zones += 1;
        let mut instants = vec![Utc.with_ymd_and_hms(2026, 1, 15, 12, 0, 0).unwrap(), Utc.with_ymd_and_hms(2026, 7, 15, 12, 0, 0).unwrap()];
        for change in changes_in_2026(zone) {
            for minutes in [-90, -31, -1, 0, 1, 30, 90] {
                instants.push(change + Duration::minutes(minutes));
            }
        }
        for t in instants {
            let expected = t.with_timezone(&zone).naive_local();
            let want = (
                expected.date(),
                expected.format("%H").to_string().parse::<u32>().unwrap(),
                expected.format("%M").to_string().parse::<u32>().unwrap(),
            );
            let got = wall_clock(t.timestamp_millis() as f64, name);
            checked += 1;
            if got != Some(want) && !DATA_DIFFERS.contains(&name) {
                mismatches.push(format!("{name} at {t}: Intl {got:?}, chrono-tz {want:?}"));
            }
        }
    }
    web_sys::console::log_1(
        &format!(
            "time zones: {zones} zones, {checked} instants compared, {} differ ({} zones left out for newer data)",
            mismatches.len(),
            DATA_DIFFERS.len()
        )
        .into(),
    );
    assert!(zones > 300, "the browser knows only {zones} zones");
    assert!(mismatches.is_empty(), "{} differences:\n{}", mismatches.len(), mismatches.join("\n"));
}
