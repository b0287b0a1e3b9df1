//! What a visitor reads of the studio: its session types (a page of them, or one), their
//! availability by month and by day in any zone, and what a coupon code gives on one.

use chrono::{DateTime, NaiveDate, Utc};
use chrono_tz::Tz;
use serde_json::{json, Value};

use super::{is_valid_id, rfc3339_in, Offering, Reply, Studio};
use crate::demo;
use crate::engine::Availability;

/// Why a coupon code is refused, with the contract's code for each reason.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CouponRefusal {
    /// Unknown, switched off, or not valid for this session type (or the session type takes
    /// no coupons): `coupon_not_found`, 404 at the coupon endpoint.
    NotFound,
    /// Past its `expires_at` on the studio's clock: `coupon_expired`, 422.
    Expired,
    /// Every use it allows has been made: `coupon_used_up`, 422.
    UsedUp,
}

impl CouponRefusal {
    /// The contract's error code.
    pub fn code(self) -> &'static str {
        match self {
            CouponRefusal::NotFound => "coupon_not_found",
            CouponRefusal::Expired => "coupon_expired",
            CouponRefusal::UsedUp => "coupon_used_up",
        }
    }

    /// The coupon endpoint's answer to a code refused for this reason.
    pub(super) fn reply(self) -> Reply {
        match self {
            CouponRefusal::NotFound => Reply::error(404, self.code(), "There is no such code for this session."),
            CouponRefusal::Expired => Reply::error(422, self.code(), "This code has expired."),
            CouponRefusal::UsedUp => Reply::error(422, self.code(), "This code has been used as many times as it allows."),
        }
    }
}

/// Reads "YYYY-M" or "YYYY-M-D" followed by "-" and a zone, as the availability paths carry
/// them. `parts` is 2 for a month, 3 for a day. The zone may itself hold hyphens
/// ("America/Port-au-Prince") and slashes.
pub fn parse_date_zone(s: &str, parts: usize) -> Result<(Vec<u32>, Tz, String), Reply> {
    let mut numbers = Vec::with_capacity(parts);
    let mut rest = s;
    for _ in 0..parts {
        let Some((n, tail)) = rest.split_once('-') else {
            return Err(Reply::error(
                400,
                "invalid_date",
                &format!("\"{s}\" is not of the form {}-Zone/Name", if parts == 2 { "YYYY-M" } else { "YYYY-M-D" }),
            ));
        };
        if n.is_empty() || n.len() > 4 || !n.bytes().all(|b| b.is_ascii_digit()) {
            return Err(Reply::error(400, "invalid_date", &format!("\"{n}\" in \"{s}\" is not a number")));
        }
        numbers.push(n.parse::<u32>().map_err(|_| Reply::error(400, "invalid_date", "not a number"))?);
        rest = tail;
    }
    let zone_name = rest;
    let zone: Tz = zone_name
        .parse()
        .map_err(|_| Reply::error(400, "invalid_timezone", &format!("\"{zone_name}\" is not an IANA time zone name (like Europe/London)")))?;
    Ok((numbers, zone, zone_name.to_string()))
}

impl Studio {
    /// A session type as the API shows it: in studio mode with what only its owner sees.
    fn session_type_json(&self, o: &Offering) -> Value {
        let mut v = json!(o.api);
        if self.config.login.is_some() {
            let booking_count = self.sessions.iter().filter(|s| s.session.session_type_id == o.api.id).count();
            v["internal_notes"] = json!(o.studio_only.internal_notes);
            v["private_price_notes"] = json!(o.studio_only.private_price_notes);
            v["owner_email"] = json!(demo::OWNER_EMAIL);
            v["booking_count"] = json!(booking_count);
        }
        v
    }

    /// The published session type a booking or an availability path names; 400 for an id
    /// of the wrong shape, 404 for none or a draft.
    pub(super) fn offering(&self, id: &str) -> Result<&Offering, Reply> {
        if !is_valid_id(id, "set") {
            return Err(Reply::error(400, "invalid_id_format", &format!("\"{id}\" is not a session type id (set_ and 30 letters or digits)")));
        }
        match self.offerings.iter().find(|o| o.api.id == id) {
            Some(o) if o.published() => Ok(o),
            _ => Err(Reply::error(404, "resource_not_found", &format!("No published session type {id}"))),
        }
    }

    /// GET /session_types/: one page of session types, drafts included (clients filter).
    /// The contract answers this path only with 200 (or 429/500), so a page or per_page that
    /// is not a whole number in range is read leniently: per_page is clamped to 1..=100, and
    /// anything unreadable takes the default.
    pub fn list_session_types(&self, page: Option<&str>, per_page: Option<&str>) -> Reply {
        let read = |v: Option<&str>| v.and_then(|s| s.trim().parse::<i64>().ok());
        let page = read(page).filter(|p| *p >= 1).unwrap_or(1).min(1_000_000) as u32;
        let per_page = read(per_page).map(|n| n.clamp(1, 100)).unwrap_or(i64::from(self.config.default_per_page.clamp(1, 100))) as u32;
        let total = self.offerings.len() as u32;
        let last_page = total.div_ceil(per_page).max(1);
        let from = ((page - 1) as usize).saturating_mul(per_page as usize);
        let items: Vec<Value> = self.offerings.iter().skip(from).take(per_page as usize).map(|o| self.session_type_json(o)).collect();
        let link = |p: u32| json!(format!("{}/api/v1/session_types/?page={p}&per_page={per_page}", self.config.public_base));
        Reply {
            status: 200,
            body: json!({
                "data": items,
                "meta": { "current_page": page, "per_page": per_page, "total": total, "last_page": last_page },
                "links": {
                    "first": link(1),
                    "last": link(last_page),
                    "prev": if page > 1 { link(page - 1) } else { Value::Null },
                    "next": if page < last_page { link(page + 1) } else { Value::Null },
                },
            }),
            headers: vec![],
        }
    }

    /// GET /session_types/{id}. The contract gives this path no 400, so an id of the wrong
    /// shape is simply not found. A draft is not found either, except in studio mode: the
    /// studio's own API shows its owner every session type.
    pub fn get_session_type(&self, id: &str) -> Reply {
        match self.offerings.iter().find(|o| o.api.id == id) {
            Some(o) if o.published() || self.config.login.is_some() => Reply::data(200, self.session_type_json(o)),
            _ => Reply::error(404, "resource_not_found", &format!("No published session type {id}")),
        }
    }

    /// What an availability path asks about: its session type, and the `parts` numbers, the
    /// zone and the zone's name of its "YYYY-M[-D]-Zone"; the session type is checked first.
    fn asked_availability(&self, id: &str, date_zone: &str, parts: usize) -> Result<(&Offering, Vec<u32>, Tz, String), Reply> {
        let o = self.offering(id)?;
        let (nums, zone, zone_name) = parse_date_zone(date_zone, parts)?;
        Ok((o, nums, zone, zone_name))
    }

    /// GET /session_types/{id}/check-month-avail/{YYYY-M-Zone}
    pub fn month_availability(&self, id: &str, month_zone: &str) -> Reply {
        let (o, nums, zone, zone_name) = match self.asked_availability(id, month_zone, 2) {
            Ok(v) => v,
            Err(r) => return r,
        };
        let (year, month) = (nums[0] as i32, nums[1]);
        if !(1970..=2200).contains(&year) || !(1..=12).contains(&month) {
            return Reply::error(400, "invalid_date", &format!("{year}-{month} is not a month (years 1970 to 2200)"));
        }
        let busy = self.busy();
        let a = Availability { schedule: &o.schedule, rules: &o.rules, busy: &busy, now: self.now() };
        let dates = a.month_dates(zone, year, month);
        let last_day = NaiveDate::from_ymd_opt(year, month, 1)
            .and_then(|d| d.checked_add_months(chrono::Months::new(1)))
            .and_then(|d| d.pred_opt())
            .expect("valid month");
        let next = a.next_available_date(zone, last_day);
        Reply::data(
            200,
            json!({
                "session_type_id": o.api.id,
                "year": year,
                "month": month,
                "timezone": zone_name,
                "available_dates": dates.iter().map(|d| d.format("%Y-%m-%d").to_string()).collect::<Vec<_>>(),
                "next_available_date": next.map(|d| d.format("%Y-%m-%d").to_string()),
            }),
        )
    }

    /// GET /session_types/{id}/check-day-avail/{YYYY-M-D-Zone}
    pub fn day_availability(&self, id: &str, date_zone: &str) -> Reply {
        let (o, nums, zone, zone_name) = match self.asked_availability(id, date_zone, 3) {
            Ok(v) => v,
            Err(r) => return r,
        };
        let date = match NaiveDate::from_ymd_opt(nums[0] as i32, nums[1], nums[2]) {
            Some(d) if (1970..=2200).contains(&(nums[0] as i32)) => d,
            _ => return Reply::error(400, "invalid_date", &format!("{}-{}-{} is not a date", nums[0], nums[1], nums[2])),
        };
        let busy = self.busy();
        let a = Availability { schedule: &o.schedule, rules: &o.rules, busy: &busy, now: self.now() };
        let slots: Vec<Value> =
            a.day_slots(zone, date).iter().map(|s| json!({ "start": rfc3339_in(s.start, zone), "end": rfc3339_in(s.end, zone) })).collect();
        Reply::data(200, json!({ "session_type_id": o.api.id, "date": date.format("%Y-%m-%d").to_string(), "timezone": zone_name, "slots": slots }))
    }

    /// GET /session_types/{id}/coupons/{code}: the discount a code gives on a session type.
    /// The contract gives this path no 400, so a session type id of the wrong shape is, like
    /// a draft, simply not found.
    pub fn check_coupon(&self, type_id: &str, code: &str) -> Reply {
        let Some(o) = self.offerings.iter().find(|o| o.api.id == type_id && o.published()) else {
            return Reply::error(404, "resource_not_found", &format!("No published session type {type_id}"));
        };
        match self.find_coupon(o, code, self.now()) {
            Ok(i) => Reply::data(200, self.coupons[i].coupon.to_json()),
            Err(refusal) => refusal.reply(),
        }
    }

    /// The coupon a code names for a session type, if it may be used now: codes match
    /// whatever their case, a code switched off or for other session types is unknown, and
    /// an unknown code is refused before an expired one, an expired one before a used-up one.
    pub(super) fn find_coupon(&self, o: &Offering, code: &str, now: DateTime<Utc>) -> Result<usize, CouponRefusal> {
        let code = code.trim();
        if !o.api.accepts_coupons.get() || code.is_empty() || code.chars().count() > 64 {
            return Err(CouponRefusal::NotFound);
        }
        let wanted = code.to_uppercase();
        let i = self
            .coupons
            .iter()
            .position(|c| c.enabled && c.coupon.code.to_uppercase() == wanted && c.session_type_ids.contains(&o.api.id))
            .ok_or(CouponRefusal::NotFound)?;
        let c = &self.coupons[i];
        if c.coupon.expires_at.is_some_and(|t| now >= t) {
            return Err(CouponRefusal::Expired);
        }
        if c.max_uses.is_some_and(|max| c.uses >= max) {
            return Err(CouponRefusal::UsedUp);
        }
        Ok(i)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn date_zone_paths() {
        let (n, z, name) = parse_date_zone("2025-8-Europe/London", 2).unwrap();
        assert_eq!((n, z, name.as_str()), (vec![2025, 8], Tz::Europe__London, "Europe/London"));
        let (n, z, _) = parse_date_zone("2026-3-7-America/Argentina/Buenos_Aires", 3).unwrap();
        assert_eq!((n, z), (vec![2026, 3, 7], Tz::America__Argentina__Buenos_Aires));
        let (_, z, _) = parse_date_zone("2025-8-America/Port-au-Prince", 2).unwrap();
        assert_eq!(z, Tz::America__PortauPrince);
        let (_, z, _) = parse_date_zone("2025-8-7-UTC", 3).unwrap();
        assert_eq!(z, Tz::UTC);
        assert_eq!(parse_date_zone("2025-8-Mars/Olympus", 2).unwrap_err().body["error"]["code"], "invalid_timezone");
        assert_eq!(parse_date_zone("2025-8-a/b/c/d", 2).unwrap_err().body["error"]["code"], "invalid_timezone");
        assert_eq!(parse_date_zone("2025-Europe/London", 2).unwrap_err().body["error"]["code"], "invalid_date");
        assert_eq!(parse_date_zone("x-8-Europe/London", 2).unwrap_err().body["error"]["code"], "invalid_date");
        assert_eq!(parse_date_zone("", 3).unwrap_err().body["error"]["code"], "invalid_date");
    }
}
