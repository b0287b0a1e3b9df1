//! The demo studio: Juniper & Co. Photography, a London studio that also shoots in Tokyo and
//! New York. Its session types are data, in `data/demo.json` (embedded in the binary): a
//! photographer's catalogue reads better, and changes with less risk, as one file in the
//! API's own shape than as Rust. This module reads that file and lays out what depends on the
//! day the server starts (dates of overrides, coupons' expiry, sessions already booked), so
//! the demo never goes stale.
//!
//! The data file holds, besides the API's fields of each session type:
//! - `defaults`: fields every session type has unless it says otherwise (its status, when it
//!   was created and updated);
//! - `payment_methods`: the studio's ways to pay, by name; a session type lists the names, or
//!   `{"method": name, "enabled": false}` for one it shows switched off;
//! - `contracts`: contracts to sign, whose body is written as a list of pieces joined
//!   together; a session type names one by id in `contract` (and that id is its
//!   `contract_template_id`);
//! - per session type: `cover` (the name of a cover served at `/covers/{name}.svg`), and
//!   `schedule`: its id, name, zone, the tag its interval ids are made from, the weekly
//!   openings (`days`, 0 for Sunday, each with the `open` intervals) and date overrides
//!   (`days_from_today`, `or_next` to move to the first such weekday on or after it, and the
//!   `open` intervals: none for a day off); and what the API does not show: `step_min` (how
//!   often slots start), `booking_status` (booked at once, or an inquiry the studio confirms)
//!   and `studio_only` (what only its owner sees, in studio mode); `note`, for a person
//!   reading the file, says why a session type is set up as it is.
//!
//! A field the file lacks, misspells or holds wrongly fails loudly, at the first read: the
//! crate's tests read it. Coupons and the sessions already booked stay in code below: they
//! are few, and are laid out from the day the server starts.

use std::collections::BTreeMap;
use std::sync::OnceLock;

use chrono::{DateTime, Datelike, Duration, NaiveDate, Utc, Weekday};
use serde::Deserialize;
use serde_json::{json, Map, Value};

use crate::engine::{format_hhmm, parse_hhmm, start_of_day};
use crate::model::*;

/// An id of the contract's shape with a readable tag: prefix, "_", 30 alphanumerics.
pub fn make_id(prefix: &str, tag: &str) -> String {
    let mut body: String = tag.chars().filter(|c| c.is_ascii_alphanumeric()).take(30).collect();
    while body.len() < 30 {
        body.push('0');
    }
    format!("{prefix}_{body}")
}

/// The id of the demo's family portrait session type (tests use it by name).
pub fn family_portrait_id() -> String {
    make_id("set", "FAMILYPORTRAIT")
}

/// The id of the demo's mini-session day type (`--demo-mini-days`).
pub fn holiday_minis_id() -> String {
    make_id("set", "HOLIDAYMINIS")
}

/// The id of the demo's newborn session type, the one whose clients sign a contract.
pub fn newborn_id() -> String {
    make_id("set", "NEWBORN")
}

/// A session type of the demo with what the API does not show: how often slots start and
/// whether a booking is confirmed at once or waits as an inquiry.
#[derive(Debug, Clone)]
pub struct DemoSessionType {
    /// The session type as the API shows it to anyone.
    pub api: SessionType,
    /// Slots start every `step_min` minutes through each opening.
    pub step_min: u32,
    /// A new session's status: "booked", or "inquiry" until the studio confirms it.
    pub booking_status: String,
    /// What only the studio's owner sees.
    pub studio_only: StudioOnly,
}

/// What the studio's own API shows its owner of a session type besides the public fields,
/// and a visitor must never see: served in studio mode only (with `owner_email` and a live
/// `booking_count`).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StudioOnly {
    /// The photographer's private note.
    pub internal_notes: Option<String>,
    /// The photographer's private pricing: floor prices, discount codes, costs.
    pub private_price_notes: Option<String>,
}

/// The e-mail address of the studio's owner login, as the studio's own API shows it.
pub const OWNER_EMAIL: &str = "mara.quinn@juniper-photo.example";

/// The demo's data file, as the binary carries it.
const DATA: &str = include_str!("../data/demo.json");

/// The data file, read.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct DemoData {
    /// For a person reading the file.
    #[allow(dead_code)]
    about: String,
    defaults: Map<String, Value>,
    payment_methods: BTreeMap<String, PaymentMethod>,
    contracts: Vec<ContractEntry>,
    session_types: Vec<TypeEntry>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ContractEntry {
    id: String,
    title: String,
    /// Pieces of the body's HTML, one a line in the file, joined as they are.
    body: Vec<String>,
}

/// A session type's payment method: one of the studio's by name, or one shown with another
/// `enabled`.
#[derive(Deserialize)]
#[serde(untagged)]
enum MethodRef {
    Named(String),
    Adjusted { method: String, enabled: Flag },
}

/// A session type in the file: the API's own fields pass through (`api`), the others are
/// laid out by [`TypeEntry::session_type`].
#[derive(Deserialize)]
struct TypeEntry {
    /// For a person reading the file: why the session type is set up as it is.
    #[allow(dead_code)]
    note: Option<String>,
    cover: Option<String>,
    payment_methods: Vec<MethodRef>,
    contract: Option<String>,
    /// The binary's flag without which the session type is left out (`--demo-mini-days`).
    #[serde(default)]
    only_with_flag: Option<String>,
    schedule: ScheduleEntry,
    step_min: u32,
    booking_status: String,
    studio_only: StudioOnly,
    #[serde(flatten)]
    api: Map<String, Value>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ScheduleEntry {
    id: String,
    name: String,
    timezone: String,
    /// Each weekly interval's id is made of it, its day and its place in the day.
    interval_tag: String,
    weekly: Vec<WeeklyEntry>,
    #[serde(default)]
    overrides: Vec<OverrideEntry>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct WeeklyEntry {
    days: Vec<u32>,
    open: Vec<(String, String)>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct OverrideEntry {
    days_from_today: i64,
    /// "Sun" to "Sat": the first such day on or after `days_from_today`.
    or_next: Option<String>,
    open: Vec<(String, String)>,
}

/// The data file, read once. A file that does not read is a bug of this crate, caught by
/// its tests: the binary cannot do without its demo.
fn data() -> &'static DemoData {
    static DATA_READ: OnceLock<DemoData> = OnceLock::new();
    DATA_READ.get_or_init(|| serde_json::from_str(DATA).unwrap_or_else(|e| panic!("data/demo.json: {e}")))
}

fn next_weekday(from: NaiveDate, day: Weekday) -> NaiveDate {
    let mut d = from;
    while d.weekday() != day {
        d += Duration::days(1);
    }
    d
}

/// "HH:MM" as the API writes it; the file's times are read as the engine reads them.
fn hhmm(s: &str) -> String {
    format_hhmm(parse_hhmm(s).unwrap_or_else(|| panic!("data/demo.json: {s} is not a time")))
}

impl ScheduleEntry {
    fn schedule(&self, today: NaiveDate) -> ScheduleJson {
        let mut intervals = Vec::new();
        for w in &self.weekly {
            for &d in &w.days {
                for (i, (start, end)) in w.open.iter().enumerate() {
                    intervals.push(ScheduleInterval {
                        id: make_id("sa", &format!("{}D{d}I{i}", self.interval_tag)),
                        day_of_week: d,
                        start_time: start.clone(),
                        end_time: end.clone(),
                    });
                }
            }
        }
        let overrides = self
            .overrides
            .iter()
            .map(|o| {
                let mut date = today + Duration::days(o.days_from_today);
                if let Some(day) = &o.or_next {
                    date = next_weekday(date, day.parse().unwrap_or_else(|_| panic!("data/demo.json: {day} is not a weekday")));
                }
                DateOverrideJson {
                    date: date.format("%Y-%m-%d").to_string(),
                    intervals: o.open.iter().map(|(s, e)| OverrideInterval { start_time: hhmm(s), end_time: hhmm(e) }).collect(),
                }
            })
            .collect();
        ScheduleJson {
            id: self.id.clone(),
            name: self.name.clone(),
            schedule_type: "custom".into(),
            display_timezone: self.timezone.clone(),
            session_type_schedule_intervals: intervals,
            date_overrides: overrides,
        }
    }
}

impl TypeEntry {
    /// The session type as the API shows it: the file's defaults, its own fields, and what
    /// is laid out from the day and the server's public URL.
    fn session_type(&self, data: &DemoData, today: NaiveDate, public_base: &str) -> SessionType {
        let id = self.api.get("id").and_then(Value::as_str).unwrap_or("?");
        let fail = |what: String| -> ! { panic!("data/demo.json, session type {id}: {what}") };
        let mut api = data.defaults.clone();
        api.extend(self.api.clone());
        api.insert("cover_image_url".into(), json!(self.cover.as_ref().map(|name| format!("{public_base}/covers/{name}.svg"))));
        let methods: Vec<PaymentMethod> = self
            .payment_methods
            .iter()
            .map(|m| {
                let (name, enabled) = match m {
                    MethodRef::Named(name) => (name, None),
                    MethodRef::Adjusted { method, enabled } => (method, Some(*enabled)),
                };
                let found = data.payment_methods.get(name).unwrap_or_else(|| fail(format!("no payment method {name}")));
                PaymentMethod { enabled: enabled.unwrap_or(found.enabled), ..found.clone() }
            })
            .collect();
        api.insert("payment_methods".into(), json!(methods));
        if let Some(contract_id) = &self.contract {
            let c = data.contracts.iter().find(|c| &c.id == contract_id).unwrap_or_else(|| fail(format!("no contract {contract_id}")));
            let contract = Contract { id: c.id.clone(), title: c.title.clone(), body: c.body.concat() };
            api.insert("contract_template_id".into(), json!(c.id));
            api.insert("contract".into(), json!(contract));
        }
        api.insert("session_type_schedule".into(), json!(self.schedule.schedule(today)));
        serde_json::from_value(Value::Object(api)).unwrap_or_else(|e| fail(e.to_string()))
    }
}

/// The demo studio's session types, in the file's order; `today` is the studio's date
/// (Europe/London) at start-up.
///
/// `contracts` (the binary's `--demo-contracts`) keeps the session types whose clients sign
/// a contract while booking (the Newborn Studio Session, before the draft). Without it the
/// demo has the seven types it had before contracts, in the same order, and none asks for a
/// signature: the widget cannot sign one yet, so a visitor of the demo could not book it.
///
/// The mini-session days of `--demo-mini-days` are left out: see [`session_types_with`].
pub fn session_types(today: NaiveDate, public_base: &str, contracts: bool) -> Vec<DemoSessionType> {
    session_types_with(today, public_base, contracts, false)
}

/// [`session_types`], and with `mini_days` (the binary's `--demo-mini-days`) the Holiday Mini
/// Sessions too, whose openings fall on three Saturdays only (the widget shows them as a
/// sign-up sheet of days). Without it the demo, its golden test and the end-to-end counts
/// are as they were.
pub fn session_types_with(today: NaiveDate, public_base: &str, contracts: bool, mini_days: bool) -> Vec<DemoSessionType> {
    let data = data();
    data.session_types
        .iter()
        .filter(|t| contracts || t.contract.is_none())
        .filter(|t| match t.only_with_flag.as_deref() {
            Some("--demo-mini-days") => mini_days,
            Some(other) => panic!("data/demo.json: no flag {other}"),
            None => true,
        })
        .map(|t| DemoSessionType {
            api: t.session_type(data, today, public_base),
            step_min: t.step_min,
            booking_status: t.booking_status.clone(),
            studio_only: t.studio_only.clone(),
        })
        .collect()
}

/// A coupon of the demo, with what the coupon endpoint does not show: which session types it
/// is valid for, whether it is switched on, and how often it may be and was used.
#[derive(Debug, Clone)]
pub struct DemoCoupon {
    /// The code as the coupon endpoint shows it.
    pub coupon: Coupon,
    /// The session types it is valid for.
    pub session_type_ids: Vec<String>,
    /// A code switched off is refused as if unknown.
    pub enabled: bool,
    /// How many bookings may use it; None for no limit.
    pub max_uses: Option<u32>,
    /// How many bookings have used it.
    pub uses: u32,
}

/// The demo studio's coupon codes and gift cards for the session types it `offers` (of
/// [`session_types`]); `today` is the studio's date at start-up. Together they give every
/// answer of the coupon endpoint: percentage and fixed codes in each of the demo's
/// currencies, a 100 % code, gift cards worth more than the price (the discount stops at the
/// price) or than the deposit, a code that expires in 60 days, one that expired, one used up,
/// one with uses left (NEWBORN10, with the newborn session only), one switched off, and codes
/// valid for one session type only. A code names only session types offered, and a code left
/// with none is not there at all.
pub fn coupons(today: NaiveDate, offers: &[DemoSessionType]) -> Vec<DemoCoupon> {
    let london = chrono_tz::Europe::London;
    let family = family_portrait_id();
    let headshots = make_id("set", "HEADSHOTS");
    let tokyo = make_id("set", "TOKYOPORTRAITS");
    let engagement = make_id("set", "NYCENGAGEMENT");
    let newborn = newborn_id();
    let all = vec![family.clone(), headshots.clone(), tokyo.clone(), engagement.clone(), newborn.clone()];
    let gbp = vec![family, headshots.clone(), newborn.clone()];
    let coupon = |code: &str, discount: Discount, expires_at: Option<DateTime<Utc>>, session_type_ids: &[String]| DemoCoupon {
        coupon: Coupon { code: code.into(), discount, expires_at },
        session_type_ids: session_type_ids.to_vec(),
        enabled: true,
        max_uses: None,
        uses: 0,
    };
    let mut coupons = vec![
        // The friends-and-family code of the studio's private price notes.
        coupon("JUNIPER20", Discount::Percentage(20.0), None, &all),
        coupon("TAKE25", Discount::Fixed(2_500), Some(start_of_day(london, today + Duration::days(60))), &gbp),
        coupon("TOKYO5000", Discount::Fixed(5_000), None, std::slice::from_ref(&tokyo)),
        coupon("NYC50", Discount::Fixed(5_000), None, std::slice::from_ref(&engagement)),
        coupon("ONTHEHOUSE", Discount::Percentage(100.0), None, &all),
        // Gift cards: ¥50,000 on a ¥45,000 session; $450 off $600, under the $200 deposit.
        coupon("TOKYOGIFT", Discount::Fixed(50_000), None, std::slice::from_ref(&tokyo)),
        coupon("NYGIFT450", Discount::Fixed(45_000), None, std::slice::from_ref(&engagement)),
        coupon("HEADSHOTPRO", Discount::Percentage(12.5), None, std::slice::from_ref(&headshots)),
        coupon("EARLYBIRD", Discount::Percentage(15.0), Some(start_of_day(london, today - Duration::days(30))), &all),
        DemoCoupon { max_uses: Some(10), uses: 10, ..coupon("FIRSTTEN", Discount::Percentage(10.0), None, &all) },
        DemoCoupon { max_uses: Some(3), uses: 1, ..coupon("NEWBORN10", Discount::Percentage(10.0), None, std::slice::from_ref(&newborn)) },
        DemoCoupon { enabled: false, ..coupon("OLDFRIENDS", Discount::Percentage(25.0), None, &all) },
    ];
    coupons.retain_mut(|c| {
        c.session_type_ids.retain(|id| offers.iter().any(|t| &t.api.id == id));
        !c.session_type_ids.is_empty()
    });
    coupons
}

/// The Holiday Mini Sessions' days: the Saturdays on or after 10, 17 and 24 days from
/// `today`, as its schedule's overrides in data/demo.json say (a test compares them).
pub fn mini_session_days(today: NaiveDate) -> [NaiveDate; 3] {
    [10, 17, 24].map(|n| next_weekday(today + Duration::days(n), Weekday::Sat))
}

/// Sessions the demo studio already has when it starts: (session type id, local date, "HH:MM").
/// Those of a session type the demo does not offer (the mini sessions without
/// `--demo-mini-days`) are left out.
pub fn seeded_bookings(today: NaiveDate) -> Vec<(String, NaiveDate, &'static str)> {
    let mut d = today + Duration::days(3);
    while !matches!(d.weekday(), Weekday::Tue | Weekday::Wed | Weekday::Thu) {
        d += Duration::days(1);
    }
    vec![
        (family_portrait_id(), d, "10:00"),
        (family_portrait_id(), d, "14:00"),
        (make_id("set", "HEADSHOTS"), next_weekday(d + Duration::days(1), Weekday::Fri), "08:30"),
        // Early birds on the first two mini-session days.
        (holiday_minis_id(), mini_session_days(today)[0], "10:00"),
        (holiday_minis_id(), mini_session_days(today)[0], "10:20"),
        (holiday_minis_id(), mini_session_days(today)[1], "11:00"),
    ]
}

/// An SVG cover image for a session type: a soft gradient with the studio's mark.
pub fn cover_svg(name: &str) -> Option<String> {
    let (a, b, label) = match name {
        "family" => ("#f6d5b8", "#c97b63", "Family"),
        "autumn" => ("#f2c14e", "#b5542d", "Autumn"),
        "wedding" => ("#f5efe6", "#9a8c98", "Wedding"),
        "tokyo" => ("#f7c6d9", "#4a4e69", "Tokyo"),
        "engagement" => ("#ffd6a5", "#6d597a", "New York"),
        "newborn" => ("#fdf0e6", "#a3b18a", "Newborn"),
        "holiday" => ("#d8e9d6", "#2f5d50", "Holiday"),
        _ => return None,
    };
    Some(format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 640 360\" width=\"640\" height=\"360\">\
         <defs><linearGradient id=\"g\" x1=\"0\" y1=\"0\" x2=\"1\" y2=\"1\"><stop offset=\"0\" stop-color=\"{a}\"/>\
         <stop offset=\"1\" stop-color=\"{b}\"/></linearGradient></defs><rect width=\"640\" height=\"360\" fill=\"url(#g)\"/>\
         <circle cx=\"520\" cy=\"90\" r=\"46\" fill=\"#fff\" opacity=\".35\"/>\
         <text x=\"40\" y=\"320\" font-family=\"Georgia,serif\" font-size=\"44\" fill=\"#fff\">{label}</text></svg>"
    ))
}

/// "Now" for the demo's relative dates: the studio's own date.
pub fn studio_today(now: DateTime<Utc>) -> NaiveDate {
    now.with_timezone(&chrono_tz::Europe::London).date_naive()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::studio::is_valid_id;

    #[test]
    fn the_data_file_reads_and_agrees_with_the_code() {
        let today = NaiveDate::from_ymd_opt(2025, 8, 1).unwrap();
        let all = session_types_with(today, "http://demo", true, true);
        assert_eq!(all.len(), 9);
        assert_eq!(session_types(today, "http://demo", true).len(), 8, "without mini days, the eight types of --demo-contracts");
        assert_eq!(session_types(today, "http://demo", false).len(), 7, "without contracts, the seven types the older tests count");
        // The mini sessions open on the days the seed books, and on no other.
        let minis = all.iter().find(|t| t.api.id == holiday_minis_id()).unwrap();
        let schedule = &minis.api.session_type_schedule;
        assert!(schedule.session_type_schedule_intervals.is_empty());
        let days: Vec<String> = schedule.date_overrides.iter().map(|o| o.date.clone()).collect();
        assert_eq!(days, mini_session_days(today).map(|d| d.format("%Y-%m-%d").to_string()));
        let ids: Vec<&str> = all.iter().map(|t| t.api.id.as_str()).collect();
        for t in &all {
            assert!(is_valid_id(&t.api.id, "set"), "{}", t.api.id);
            assert!(["booked", "inquiry"].contains(&t.booking_status.as_str()) && t.step_min > 0, "{}", t.api.id);
            if let Some(url) = &t.api.cover_image_url {
                let name = url.strip_prefix("http://demo/covers/").and_then(|n| n.strip_suffix(".svg")).unwrap();
                assert!(cover_svg(name).is_some(), "no cover {name}");
            }
            for i in &t.api.session_type_schedule.session_type_schedule_intervals {
                assert!(is_valid_id(&i.id, "sa") && parse_hhmm(&i.start_time).is_some() && parse_hhmm(&i.end_time).is_some(), "{i:?}");
            }
        }
        // Every id the code names is a session type of the file.
        let coupons = coupons(today, &all);
        assert_eq!(coupons.len(), 12);
        let named = coupons.iter().flat_map(|c| c.session_type_ids.clone()).chain(seeded_bookings(today).into_iter().map(|(id, _, _)| id));
        for id in named.chain([family_portrait_id(), newborn_id()]) {
            assert!(ids.contains(&id.as_str()), "{id} is not in data/demo.json");
        }
        // Overrides fall on the days the file says, from the day given.
        let family = &all[0].api.session_type_schedule.date_overrides;
        assert_eq!((family[0].date.as_str(), family[1].date.as_str()), ("2025-08-10", "2025-08-17"));
    }
}
