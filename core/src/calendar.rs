//! The month calendar as a grid of weeks, and how keyboard focus moves in it (the WAI-ARIA
//! date-grid pattern): arrows by a day or a week, Home/End to the week's ends, PageUp and
//! PageDown by a month (Shift: a year).

use chrono::{Datelike, Duration, Months, NaiveDate, Weekday};

/// A month of a year.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct YearMonth {
    pub year: i32,
    pub month: u32,
}

impl YearMonth {
    /// The month a date is in.
    pub fn of(date: NaiveDate) -> YearMonth {
        YearMonth { year: date.year(), month: date.month() }
    }

    /// Its first day.
    pub fn first_day(self) -> NaiveDate {
        NaiveDate::from_ymd_opt(self.year, self.month, 1).unwrap_or(NaiveDate::MIN)
    }

    /// Its last day.
    pub fn last_day(self) -> NaiveDate {
        self.next().first_day().pred_opt().unwrap_or(NaiveDate::MAX)
    }

    /// The month after.
    pub fn next(self) -> YearMonth {
        if self.month >= 12 {
            YearMonth { year: self.year + 1, month: 1 }
        } else {
            YearMonth { year: self.year, month: self.month + 1 }
        }
    }

    /// The month before.
    pub fn prev(self) -> YearMonth {
        if self.month <= 1 {
            YearMonth { year: self.year - 1, month: 12 }
        } else {
            YearMonth { year: self.year, month: self.month - 1 }
        }
    }
}

/// The weeks of a month, each seven days starting on `week_start`; days outside the month
/// are None.
pub fn month_grid(ym: YearMonth, week_start: Weekday) -> Vec<[Option<NaiveDate>; 7]> {
    let first = ym.first_day();
    let lead = (first.weekday().num_days_from_monday() + 7 - week_start.num_days_from_monday()) % 7;
    let mut weeks = Vec::with_capacity(6);
    let mut day = first - Duration::days(i64::from(lead));
    while day <= ym.last_day() {
        let mut week = [None; 7];
        for slot in week.iter_mut() {
            if day.month() == ym.month && day.year() == ym.year {
                *slot = Some(day);
            }
            day += Duration::days(1);
        }
        weeks.push(week);
    }
    weeks
}

/// The seven weekdays in the order a week shows them.
pub fn weekdays_from(week_start: Weekday) -> [Weekday; 7] {
    let mut out = [week_start; 7];
    for i in 1..7 {
        out[i] = out[i - 1].succ();
    }
    out
}

/// A key that moves focus in the date grid.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GridKey {
    Left,
    Right,
    Up,
    Down,
    Home,
    End,
    PageUp,
    PageDown,
    ShiftPageUp,
    ShiftPageDown,
}

impl GridKey {
    /// Reads a KeyboardEvent's `key` (and whether Shift was held).
    ///
    /// In a right-to-left page the grid is drawn mirrored (the week starts on the right), so
    /// the arrow keys follow what the visitor sees: ArrowRight moves to the previous day.
    pub fn from_key(key: &str, shift: bool, right_to_left: bool) -> Option<GridKey> {
        let (left, right) = if right_to_left { (GridKey::Right, GridKey::Left) } else { (GridKey::Left, GridKey::Right) };
        Some(match (key, shift) {
            ("ArrowLeft", _) => left,
            ("ArrowRight", _) => right,
            ("ArrowUp", _) => GridKey::Up,
            ("ArrowDown", _) => GridKey::Down,
            ("Home", _) => GridKey::Home,
            ("End", _) => GridKey::End,
            ("PageUp", false) => GridKey::PageUp,
            ("PageDown", false) => GridKey::PageDown,
            ("PageUp", true) => GridKey::ShiftPageUp,
            ("PageDown", true) => GridKey::ShiftPageDown,
            _ => return None,
        })
    }
}

fn add_months_clamped(date: NaiveDate, months: i32) -> NaiveDate {
    let moved =
        if months >= 0 { date.checked_add_months(Months::new(months as u32)) } else { date.checked_sub_months(Months::new(months.unsigned_abs())) };
    moved.unwrap_or(date)
}

/// Where focus goes from `date` on a key, in a grid whose weeks start on `week_start`. In a
/// right-to-left layout Left and Right swap (the caller says so).
pub fn move_focus(date: NaiveDate, key: GridKey, week_start: Weekday, rtl: bool) -> NaiveDate {
    let (left, right) = if rtl { (1, -1) } else { (-1, 1) };
    let offset_in_week = i64::from((date.weekday().num_days_from_monday() + 7 - week_start.num_days_from_monday()) % 7);
    let shifted = |days: i64| date.checked_add_signed(Duration::days(days)).unwrap_or(date);
    match key {
        GridKey::Left => shifted(left),
        GridKey::Right => shifted(right),
        GridKey::Up => shifted(-7),
        GridKey::Down => shifted(7),
        GridKey::Home => shifted(-offset_in_week),
        GridKey::End => shifted(6 - offset_in_week),
        GridKey::PageUp => add_months_clamped(date, -1),
        GridKey::PageDown => add_months_clamped(date, 1),
        GridKey::ShiftPageUp => add_months_clamped(date, -12),
        GridKey::ShiftPageDown => add_months_clamped(date, 12),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn grids_start_on_the_locale_first_day() {
        let aug = YearMonth { year: 2025, month: 8 }; // 1 August 2025 is a Friday
        let monday = month_grid(aug, Weekday::Mon);
        assert_eq!(monday[0], [None, None, None, None, Some(d(2025, 8, 1)), Some(d(2025, 8, 2)), Some(d(2025, 8, 3))]);
        assert_eq!(monday.len(), 5);
        assert_eq!(monday[4][6], Some(d(2025, 8, 31)));
        let sunday = month_grid(aug, Weekday::Sun);
        assert_eq!(sunday[0][5], Some(d(2025, 8, 1)));
        assert_eq!(sunday.len(), 6);
        assert_eq!(sunday[5][0], Some(d(2025, 8, 31)));
        let saturday = month_grid(YearMonth { year: 2026, month: 2 }, Weekday::Sat);
        assert_eq!(saturday.iter().flatten().flatten().count(), 28);
        assert_eq!(weekdays_from(Weekday::Sun)[6], Weekday::Sat);
    }

    #[test]
    fn months_roll_over_years() {
        let dec = YearMonth { year: 2025, month: 12 };
        assert_eq!(dec.next(), YearMonth { year: 2026, month: 1 });
        assert_eq!(dec.next().prev(), dec);
        assert_eq!(YearMonth { year: 2024, month: 2 }.last_day(), d(2024, 2, 29));
        assert_eq!(YearMonth::of(d(2025, 8, 7)), YearMonth { year: 2025, month: 8 });
    }

    #[test]
    fn keyboard_moves_like_a_date_grid() {
        let thu = d(2025, 8, 7);
        assert_eq!(move_focus(thu, GridKey::Right, Weekday::Mon, false), d(2025, 8, 8));
        assert_eq!(move_focus(thu, GridKey::Right, Weekday::Mon, true), d(2025, 8, 6));
        assert_eq!(move_focus(thu, GridKey::Up, Weekday::Mon, false), d(2025, 7, 31));
        assert_eq!(move_focus(thu, GridKey::Down, Weekday::Mon, false), d(2025, 8, 14));
        assert_eq!(move_focus(thu, GridKey::Home, Weekday::Mon, false), d(2025, 8, 4));
        assert_eq!(move_focus(thu, GridKey::End, Weekday::Mon, false), d(2025, 8, 10));
        assert_eq!(move_focus(thu, GridKey::Home, Weekday::Sun, false), d(2025, 8, 3));
        assert_eq!(move_focus(thu, GridKey::End, Weekday::Sun, false), d(2025, 8, 9));
        assert_eq!(move_focus(d(2025, 1, 31), GridKey::PageDown, Weekday::Mon, false), d(2025, 2, 28));
        assert_eq!(move_focus(d(2024, 2, 29), GridKey::ShiftPageDown, Weekday::Mon, false), d(2025, 2, 28));
        assert_eq!(move_focus(d(2025, 3, 31), GridKey::PageUp, Weekday::Mon, false), d(2025, 2, 28));
        assert_eq!(GridKey::from_key("PageUp", true, false), Some(GridKey::ShiftPageUp));
        assert_eq!(GridKey::from_key("a", false, false), None);
        assert_eq!(GridKey::from_key("ArrowRight", false, false), Some(GridKey::Right));
        assert_eq!(GridKey::from_key("ArrowRight", false, true), Some(GridKey::Left));
        assert_eq!(GridKey::from_key("ArrowLeft", false, true), Some(GridKey::Right));
    }
}
