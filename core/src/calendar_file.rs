//! Putting a booked session into the visitor's calendar: an iCalendar (.ics) event and an
//! "add to Google Calendar" link, both in UTC so every calendar shows the right local time.

use crate::iso;

fn utc_stamp(rfc3339: &str) -> Option<String> {
    iso::ics_utc_stamp(iso::parse_instant_ms(rfc3339)?)
}

/// Escapes text for an iCalendar property value.
fn ics_text(s: &str) -> String {
    s.replace('\\', "\\\\").replace(';', "\\;").replace(',', "\\,").replace('\r', "").replace('\n', "\\n")
}

/// Folds an iCalendar line at 75 octets (RFC 5545 §3.1), never inside a character.
fn fold(line: &str) -> String {
    let mut out = String::new();
    let mut width = 0;
    for c in line.chars() {
        if width + c.len_utf8() > 75 {
            out.push_str("\r\n ");
            width = 1;
        }
        out.push(c);
        width += c.len_utf8();
    }
    out
}

/// A one-event iCalendar file for a booked session; `description` is the event's notes, in
/// the visitor's language (the widget writes it); `made_ms` is when the file is made (its
/// `DTSTAMP`, which calendars compare to tell a newer copy of the event from an older one).
pub fn ics_event(id: &str, title: &str, start: &str, end: &str, location: &str, description: &str, made_ms: i64) -> String {
    let (Some(s), Some(e), Some(made)) = (utc_stamp(start), utc_stamp(end), iso::ics_utc_stamp(made_ms)) else {
        return String::new();
    };
    let lines = [
        "BEGIN:VCALENDAR".to_string(),
        "VERSION:2.0".to_string(),
        "PRODID:-//studio-booking//EN".to_string(),
        "BEGIN:VEVENT".to_string(),
        format!("UID:{}@studio-booking", ics_text(id)),
        format!("DTSTAMP:{made}"),
        format!("DTSTART:{s}"),
        format!("DTEND:{e}"),
        format!("SUMMARY:{}", ics_text(title)),
        format!("LOCATION:{}", ics_text(location)),
        format!("DESCRIPTION:{}", ics_text(description)),
        "END:VEVENT".to_string(),
        "END:VCALENDAR".to_string(),
    ];
    lines.iter().map(|l| fold(l)).collect::<Vec<_>>().join("\r\n") + "\r\n"
}

fn url_encode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// An "add to Google Calendar" link for a booked session, with `details` as the event's notes.
pub fn google_calendar_link(title: &str, start: &str, end: &str, location: &str, details: &str) -> String {
    let dates = match (utc_stamp(start), utc_stamp(end)) {
        (Some(s), Some(e)) => format!("{s}/{e}"),
        _ => String::new(),
    };
    format!(
        "https://calendar.google.com/calendar/render?action=TEMPLATE&text={}&dates={}&location={}&details={}",
        url_encode(title),
        url_encode(&dates),
        url_encode(location),
        url_encode(details)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ics_in_utc_escaped_and_folded() {
        let ics = ics_event(
            "ses_1",
            "Family; portraits, London",
            "2025-08-07T09:00:00+01:00",
            "2025-08-07T10:00:00+01:00",
            "Studio\nE2",
            "Référence : ses_1",
            iso::parse_instant_ms("2025-08-01T12:30:05Z").unwrap(),
        );
        assert!(ics.contains("DTSTAMP:20250801T123005Z\r\n"), "{ics}");
        assert!(ics.contains("DTSTART:20250807T080000Z\r\n"));
        assert!(ics.contains("DTEND:20250807T090000Z\r\n"));
        assert!(ics.contains("SUMMARY:Family\\; portraits\\, London\r\n"));
        assert!(ics.contains("LOCATION:Studio\\nE2\r\n"));
        assert!(ics.contains("DESCRIPTION:Référence : ses_1\r\n"));
        assert!(ics.starts_with("BEGIN:VCALENDAR\r\n") && ics.ends_with("END:VCALENDAR\r\n"));
        let long = ics_event("x", &"é".repeat(100), "2025-08-07T09:00:00Z", "2025-08-07T10:00:00Z", "", "", 0);
        assert!(long.split("\r\n").all(|l| l.len() <= 75), "{long}");
        assert_eq!(ics_event("x", "t", "not a time", "2025-08-07T10:00:00Z", "", "", 0), "");
    }

    #[test]
    fn google_link() {
        let link = google_calendar_link("Mini Session — Autumn", "2025-08-07T09:00:00+05:45", "2025-08-07T09:20:00+05:45", "Victoria Park", "Réf. 7");
        assert!(link.contains("dates=20250807T031500Z%2F20250807T033500Z"));
        assert!(link.contains("text=Mini%20Session%20%E2%80%94%20Autumn"));
        assert!(link.contains("location=Victoria%20Park"));
        assert!(link.contains("details=R%C3%A9f.%207"));
    }
}
