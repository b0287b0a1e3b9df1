//! The few date formats the contract uses, read and written by hand: "YYYY-MM-DD" dates and
//! RFC 3339 instants. chrono's general strftime parser and formatter cost some 20 KB of
//! wasm for these two shapes, so the widget does without them.

use chrono::{Datelike, NaiveDate};

/// Reads "YYYY-MM-DD" (exactly: four-digit year, two-digit month and day), as the contract's
/// `format: date` writes it.
pub fn parse_date(s: &str) -> Option<NaiveDate> {
    let b = s.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    NaiveDate::from_ymd_opt(digits(&b[0..4])? as i32, digits(&b[5..7])?, digits(&b[8..10])?)
}

/// Writes a date as "YYYY-MM-DD".
pub fn format_date(d: NaiveDate) -> String {
    format!("{:04}-{:02}-{:02}", d.year(), d.month(), d.day())
}

/// Reads an RFC 3339 instant ("2026-11-23T14:30:00Z", "…+05:45", "…-03:30.500") into
/// milliseconds since the Unix epoch.
pub fn parse_instant_ms(s: &str) -> Option<i64> {
    let b = s.as_bytes();
    if b.len() < 20 || !matches!(b[10], b'T' | b't' | b' ') || b[13] != b':' || b[16] != b':' {
        return None;
    }
    let date = parse_date(&s[..10])?;
    let (h, m, sec) = (digits(&b[11..13])?, digits(&b[14..16])?, digits(&b[17..19])?);
    if h > 23 || m > 59 || sec > 60 {
        return None;
    }
    let mut i = 19;
    let mut millis = 0u32;
    if b[i] == b'.' {
        i += 1;
        let start = i;
        while i < b.len() && b[i].is_ascii_digit() {
            if i - start < 3 {
                millis = millis * 10 + u32::from(b[i] - b'0');
            }
            i += 1;
        }
        if i == start {
            return None;
        }
        for _ in (i - start)..3 {
            millis *= 10;
        }
    }
    let offset_min: i64 = match &b[i..] {
        [b'Z' | b'z'] => 0,
        [sign @ (b'+' | b'-'), oh @ .., b':', _, _] if oh.len() == 2 => {
            let (oh, om) = (digits(&b[i + 1..i + 3])?, digits(&b[i + 4..i + 6])?);
            if oh > 23 || om > 59 {
                return None;
            }
            let minutes = i64::from(oh * 60 + om);
            if *sign == b'-' {
                -minutes
            } else {
                minutes
            }
        }
        _ => return None,
    };
    let days = i64::from(date.num_days_from_ce()) - 719_163; // 1970-01-01
    let local_s = days * 86_400 + i64::from(h * 3600 + m * 60 + sec.min(59));
    Some((local_s - offset_min * 60) * 1000 + i64::from(millis))
}

/// Writes an instant (milliseconds since the epoch) as iCalendar's UTC "YYYYMMDDTHHMMSSZ".
pub fn ics_utc_stamp(ms: i64) -> Option<String> {
    let secs = ms.div_euclid(1000);
    let (days, in_day) = (secs.div_euclid(86_400), secs.rem_euclid(86_400));
    let date = NaiveDate::from_num_days_from_ce_opt(i32::try_from(days + 719_163).ok()?)?;
    Some(format!("{:04}{:02}{:02}T{:02}{:02}{:02}Z", date.year(), date.month(), date.day(), in_day / 3600, in_day % 3600 / 60, in_day % 60))
}

fn digits(b: &[u8]) -> Option<u32> {
    b.iter().try_fold(0u32, |n, &c| c.is_ascii_digit().then(|| n * 10 + u32::from(c - b'0')))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_read_and_written() {
        assert_eq!(parse_date("2026-02-28"), NaiveDate::from_ymd_opt(2026, 2, 28));
        assert_eq!(parse_date("2024-02-29"), NaiveDate::from_ymd_opt(2024, 2, 29));
        for bad in ["2026-02-29", "2026-2-28", "2026-13-01", "26-02-28", "2026-02-28T", "", "abcd-ef-gh", "2026/02/28"] {
            assert_eq!(parse_date(bad), None, "{bad}");
        }
        assert_eq!(format_date(NaiveDate::from_ymd_opt(987, 3, 4).unwrap()), "0987-03-04");
        let d = NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
        assert_eq!(parse_date(&format_date(d)), Some(d));
    }

    #[test]
    fn instants_agree_with_chrono() {
        for s in [
            "2026-11-23T14:30:00Z",
            "1970-01-01T00:00:00Z",
            "2027-03-01T09:15:00+05:45",
            "2027-03-01T09:15:00-03:30",
            "2026-10-04T02:00:00+14:00",
            "2026-06-30T23:59:59.123Z",
            "2026-06-30T23:59:59.1+01:00",
            "1969-12-31T23:59:59.999Z",
            "2026-11-23t14:30:00z",
        ] {
            let want = chrono::DateTime::parse_from_rfc3339(s).unwrap().timestamp_millis();
            assert_eq!(parse_instant_ms(s), Some(want), "{s}");
        }
        for bad in ["2026-11-23T14:30:00", "2026-11-23T24:30:00Z", "2026-11-23T14:30:00+5:45", "2026-11-23T14:30:00.Z", "2026-11-23 14:30Z", "x"] {
            assert_eq!(parse_instant_ms(bad), None, "{bad}");
        }
    }

    #[test]
    fn ics_stamps_are_utc() {
        assert_eq!(ics_utc_stamp(parse_instant_ms("2027-03-01T09:15:00+05:45").unwrap()).as_deref(), Some("20270301T033000Z"));
        assert_eq!(ics_utc_stamp(-1000).as_deref(), Some("19691231T235959Z"));
    }
}
