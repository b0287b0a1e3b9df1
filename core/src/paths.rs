//! The URLs of the contract, built exactly as it writes them: unpadded dates, the zone's
//! slashes as they are (`2025-8-7-America/Argentina/Buenos_Aires`). The templates are
//! `interface.json`'s (through [`crate::facts`]), which the loader fills in too.

use crate::facts;

/// Whether a string can be an IANA zone name in a path: letters, digits, `_`, `-`, `+` and
/// at most two slashes between non-empty parts. Anything else is refused before a request.
pub fn is_plausible_zone(zone: &str) -> bool {
    let parts: Vec<&str> = zone.split('/').collect();
    !zone.is_empty()
        && zone.len() <= 64
        && parts.len() <= 3
        && parts.iter().all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'+')))
}

/// Joins the API base and a path, with exactly one slash between them.
pub fn join(base: &str, path: &str) -> String {
    format!("{}/{}", base.trim_end_matches('/'), path.trim_start_matches('/'))
}

/// One page of the session type list.
pub fn session_types_page(base: &str, page: u64) -> String {
    join(base, &facts::session_types_page_path(page, facts::SESSION_TYPES_PER_PAGE))
}

/// Which days of a month have openings, in a zone.
pub fn month_availability(base: &str, session_type_id: &str, year: i32, month: u32, zone: &str) -> String {
    join(base, &facts::month_availability_path(session_type_id, year, month, zone))
}

/// The slots of one day, in a zone.
pub fn day_availability(base: &str, session_type_id: &str, year: i32, month: u32, day: u32, zone: &str) -> String {
    join(base, &facts::day_availability_path(session_type_id, year, month, day, zone))
}

/// Where bookings are sent.
pub fn sessions(base: &str) -> String {
    join(base, &facts::sessions_path())
}

/// Where a coupon code is checked. The code must be of [`crate::validation::coupon_shape`]
/// (letters, digits, `-`, `_`): nothing in it needs escaping.
pub fn coupon(base: &str, session_type_id: &str, code: &str) -> String {
    join(base, &facts::coupon_path(session_type_id, code))
}

/// A booked session, as its client sees it (with the Manage-Token).
pub fn session(base: &str, id: &str) -> String {
    join(base, &facts::session_path(id))
}

/// Where a client cancels their session.
pub fn cancel_session(base: &str, id: &str) -> String {
    join(base, &facts::cancel_session_path(id))
}

/// Where a client moves their session.
pub fn reschedule_session(base: &str, id: &str) -> String {
    join(base, &facts::reschedule_session_path(id))
}

/// Whether two request URLs ask the same thing: equal, or availability URLs equal but for a
/// zone named by its old and its current IANA name ("Asia/Calcutta", "Asia/Kolkata"), which
/// name the same zone. (The loader sends a first request with the name the browser reports;
/// the widget asks with the current name.)
pub fn same_request(a: &str, b: &str) -> bool {
    if a == b {
        return true;
    }
    let split = |u: &'_ str| -> Option<(usize, String)> {
        let marker = ["/check-month-avail/", "/check-day-avail/"].into_iter().find_map(|m| u.find(m).map(|at| at + m.len()))?;
        let dashes = if u[..marker].ends_with("/check-day-avail/") { 3 } else { 2 };
        let zone_at = marker + u[marker..].match_indices('-').nth(dashes - 1)?.0 + 1;
        Some((zone_at, crate::zones::current_name(&u[zone_at..]).to_string()))
    };
    match (split(a), split(b)) {
        (Some((za, zone_a)), Some((zb, zone_b))) => a[..za] == b[..zb] && zone_a == zone_b,
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn requests_for_one_zone_by_two_names_are_the_same() {
        let b = "https://studio.example/api/v1";
        assert!(same_request(&month_availability(b, "set_A", 2026, 11, "Asia/Calcutta"), &month_availability(b, "set_A", 2026, 11, "Asia/Kolkata")));
        assert!(same_request(
            &day_availability(b, "set_A", 2026, 11, 3, "America/Buenos_Aires"),
            &day_availability(b, "set_A", 2026, 11, 3, "America/Argentina/Buenos_Aires")
        ));
        assert!(same_request(&session_types_page(b, 1), &session_types_page(b, 1)));
        assert!(!same_request(&session_types_page(b, 1), &session_types_page(b, 2)));
        assert!(!same_request(&month_availability(b, "set_A", 2026, 11, "Asia/Calcutta"), &month_availability(b, "set_A", 2026, 12, "Asia/Kolkata")));
        assert!(!same_request(
            &month_availability(b, "set_A", 2026, 11, "Europe/London"),
            &month_availability(b, "set_B", 2026, 11, "Europe/London")
        ));
        assert!(!same_request(&month_availability(b, "set_A", 2026, 11, "Europe/London"), &month_availability(b, "set_A", 2026, 11, "Europe/Paris")));
        assert!(!same_request(&month_availability(b, "set_A", 2026, 11, "UTC"), &day_availability(b, "set_A", 2026, 11, 1, "UTC")));
    }

    #[test]
    fn paths_for_zones_with_zero_one_and_two_slashes() {
        let b = "https://studio.example/api/v1/";
        assert_eq!(month_availability(b, "set_A", 2025, 8, "UTC"), "https://studio.example/api/v1/session_types/set_A/check-month-avail/2025-8-UTC");
        assert_eq!(
            month_availability(b, "set_A", 2025, 8, "Europe/London"),
            "https://studio.example/api/v1/session_types/set_A/check-month-avail/2025-8-Europe/London"
        );
        assert_eq!(
            day_availability("/api/v1", "set_A", 2025, 8, 7, "America/Argentina/Buenos_Aires"),
            "/api/v1/session_types/set_A/check-day-avail/2025-8-7-America/Argentina/Buenos_Aires"
        );
        assert_eq!(session_types_page("/api/v1", 2), "/api/v1/session_types/?page=2&per_page=100");
        assert_eq!(sessions("/api/v1/"), "/api/v1/sessions");
    }

    #[test]
    fn a_value_is_never_read_as_a_placeholder() {
        assert_eq!(month_availability("/b", "set_{zone}", 2025, 8, "UTC"), "/b/session_types/set_{zone}/check-month-avail/2025-8-UTC");
    }

    #[test]
    fn implausible_zones_are_refused() {
        for ok in ["UTC", "Europe/London", "America/Argentina/Buenos_Aires", "America/Port-au-Prince", "Etc/GMT+5"] {
            assert!(is_plausible_zone(ok), "{ok}");
        }
        for bad in ["", "A/b/c/d", "Europe//London", "/London", "Europe/London/", "Europe/Lon don", "../../etc", "a?b", "Europe/London#x"] {
            assert!(!is_plausible_zone(bad), "{bad}");
        }
    }
}
