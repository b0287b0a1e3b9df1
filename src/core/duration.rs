//! How long a session lasts, in words.

use crate::text;

/// "20 min", "1 hour", "1 h 30 min", "8 hours".
pub fn describe_minutes(minutes: u64) -> String {
    let (h, m) = (minutes / 60, minutes % 60);
    match (h, m) {
        (0, m) => format!("{m} {}", text::MINUTES_SHORT),
        (1, 0) => format!("1 {}", text::HOUR),
        (h, 0) => format!("{h} {}", text::HOURS),
        (h, m) => format!("{h} h {m} {}", text::MINUTES_SHORT),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_read_naturally() {
        assert_eq!(describe_minutes(20), "20 min");
        assert_eq!(describe_minutes(60), "1 hour");
        assert_eq!(describe_minutes(90), "1 h 30 min");
        assert_eq!(describe_minutes(480), "8 hours");
        assert_eq!(describe_minutes(0), "0 min");
    }
}
