//! Months and periods of the site calendar for dashboards: a period is two site days, both
//! included (as every report reads `from`/`to`), the period before it to compare with, and the
//! twelve-month window of a trend chart. Days are [`crate::dates::Date`]s, so month lengths and
//! leap years are those of the retention and due dates.

use crate::dates::{Date, MAX_YEAR, MIN_YEAR, days_in_month};
use crate::problems::Problem;
use std::fmt;

/// How many months a trend chart shows, the period's own month last.
pub const TREND_MONTHS: u32 = 12;

/// A calendar month.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Month {
    pub year: i32,
    /// 1–12.
    pub month: u32,
}

impl Month {
    /// A month of the years 1–9999, or `None`.
    pub fn new(year: i32, month: u32) -> Option<Month> {
        ((1..=9999).contains(&year) && (1..=12).contains(&month)).then_some(Month { year, month })
    }

    /// The month of a day.
    pub fn of(day: Date) -> Month {
        Month { year: day.year, month: day.month }
    }

    /// Strictly `YYYY-MM`.
    pub fn parse(text: &str) -> Option<Month> {
        let b = text.as_bytes();
        if b.len() != 7 || b[4] != b'-' || !b[..4].iter().chain(&b[5..]).all(u8::is_ascii_digit) {
            return None;
        }
        Month::new(text[..4].parse().ok()?, text[5..].parse().ok()?)
    }

    pub fn first_day(self) -> Date {
        Date { year: self.year, month: self.month, day: 1 }
    }

    pub fn last_day(self) -> Date {
        Date { year: self.year, month: self.month, day: days_in_month(self.year, self.month) }
    }

    /// `n` months later (earlier when negative).
    pub fn add_months(self, n: i64) -> Month {
        let total = i64::from(self.year) * 12 + i64::from(self.month - 1) + n;
        Month { year: total.div_euclid(12) as i32, month: total.rem_euclid(12) as u32 + 1 }
    }

    /// How many months from this one to `later` (0 for the same month).
    pub fn until(self, later: Month) -> i64 {
        (i64::from(later.year) - i64::from(self.year)) * 12 + i64::from(later.month) - i64::from(self.month)
    }
}

impl fmt::Display for Month {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}", self.year, self.month)
    }
}

/// A `YYYY-MM` month of the API, in the years [`MIN_YEAR`]..=[`MAX_YEAR`] (as
/// [`crate::dates::check_day`] takes days). The error is the field problem code.
pub fn check_month(text: &str) -> Result<Month, Problem> {
    let month = Month::parse(text).ok_or(Problem::InvalidDate)?;
    if (MIN_YEAR..=MAX_YEAR).contains(&month.year) { Ok(month) } else { Err(Problem::OutOfRange) }
}

/// Site days `from` to `to`, both included (`from <= to`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Period {
    pub from: Date,
    pub to: Date,
}

impl Period {
    /// A whole month.
    pub fn month(month: Month) -> Period {
        Period { from: month.first_day(), to: month.last_day() }
    }

    /// How many days, both ends included.
    pub fn days(self) -> i64 {
        self.to.to_days() - self.from.to_days() + 1
    }

    /// The months the period touches, oldest first (the points of a chart by month).
    pub fn months(self) -> Vec<Month> {
        let first = Month::of(self.from);
        (0..=first.until(Month::of(self.to))).map(|n| first.add_months(n)).collect()
    }

    /// The period to compare with, just before this one:
    /// - starting on the 1st (a month, several months, or this month so far): the same days of
    ///   the same number of months before — March is compared with February, 1–15 March with
    ///   1–15 February, a period ending on a month's last day with one ending on a month's last
    ///   day (31 March → 28 or 29 February);
    /// - any other period: as many days, ending the day before it starts.
    pub fn previous(self) -> Period {
        if self.from.day != 1 {
            let days = self.days();
            return Period { from: self.from.add_days(-days), to: self.from.add_days(-1) };
        }
        let back = -(Month::of(self.from).until(Month::of(self.to)) + 1);
        let to_month = Month::of(self.to).add_months(back);
        let to = if self.to == Month::of(self.to).last_day() {
            to_month.last_day()
        } else {
            Date { day: self.to.day.min(days_in_month(to_month.year, to_month.month)), ..to_month.first_day() }
        };
        Period { from: Month::of(self.from).add_months(back).first_day(), to }
    }

    /// The window of a trend chart: the [`TREND_MONTHS`] months ending with the period's last
    /// month, from the first day of the earliest to the period's last day (so a month still
    /// running is shown so far).
    pub fn trend(self) -> Period {
        let first = Month::of(self.to).add_months(-(i64::from(TREND_MONTHS) - 1));
        Period { from: first.first_day(), to: self.to }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(text: &str) -> Date {
        Date::parse(text).unwrap()
    }

    fn p(from: &str, to: &str) -> Period {
        Period { from: d(from), to: d(to) }
    }

    fn m(text: &str) -> Month {
        Month::parse(text).unwrap()
    }

    #[test]
    fn months_parse_strictly_and_know_their_days() {
        assert_eq!(m("2024-02"), Month { year: 2024, month: 2 });
        assert_eq!(m("2024-02").last_day(), d("2024-02-29"));
        assert_eq!(m("2023-02").last_day(), d("2023-02-28"));
        assert_eq!(m("2026-12").first_day(), d("2026-12-01"));
        assert_eq!(m("2026-12").to_string(), "2026-12");
        for bad in ["2026-13", "2026-00", "2026-1", "26-01", "2026/01", "2026-01-01", "+026-01", "0000-01", ""] {
            assert_eq!(Month::parse(bad), None, "{bad}");
        }
        assert_eq!(check_month("1899-12"), Err(Problem::OutOfRange));
        assert_eq!(check_month("2026-13"), Err(Problem::InvalidDate));
        assert_eq!(check_month("1900-01"), Ok(m("1900-01")));
    }

    #[test]
    fn months_count_across_years() {
        assert_eq!(m("2026-01").add_months(-1), m("2025-12"));
        assert_eq!(m("2026-01").add_months(-13), m("2024-12"));
        assert_eq!(m("2025-11").add_months(2), m("2026-01"));
        assert_eq!(m("2025-11").until(m("2026-02")), 3);
        assert_eq!(m("2026-02").until(m("2026-02")), 0);
        assert_eq!(Month::of(d("2024-02-29")), m("2024-02"));
    }

    #[test]
    fn a_period_lists_its_days_and_months() {
        assert_eq!(p("2026-03-01", "2026-03-01").days(), 1);
        assert_eq!(p("2024-02-01", "2024-02-29").days(), 29);
        assert_eq!(Period::month(m("2024-02")), p("2024-02-01", "2024-02-29"));
        assert_eq!(p("2025-11-20", "2026-01-05").months(), vec![m("2025-11"), m("2025-12"), m("2026-01")]);
        assert_eq!(p("2026-03-02", "2026-03-09").months(), vec![m("2026-03")]);
    }

    #[test]
    fn a_month_is_compared_with_the_month_before() {
        assert_eq!(Period::month(m("2026-03")).previous(), Period::month(m("2026-02")));
        assert_eq!(Period::month(m("2026-01")).previous(), Period::month(m("2025-12")));
        assert_eq!(Period::month(m("2024-03")).previous(), p("2024-02-01", "2024-02-29"));
        assert_eq!(p("2026-02-01", "2026-02-28").previous(), Period::month(m("2026-01")), "28 Feb ends a month");
    }

    #[test]
    fn this_month_so_far_is_compared_with_the_same_days_before() {
        assert_eq!(p("2026-03-01", "2026-03-15").previous(), p("2026-02-01", "2026-02-15"));
        assert_eq!(p("2026-03-01", "2026-03-30").previous(), p("2026-02-01", "2026-02-28"), "clamped");
        assert_eq!(p("2026-01-01", "2026-01-07").previous(), p("2025-12-01", "2025-12-07"));
    }

    #[test]
    fn several_months_are_compared_with_as_many_before() {
        assert_eq!(p("2026-01-01", "2026-03-31").previous(), p("2025-10-01", "2025-12-31"));
        assert_eq!(p("2026-02-01", "2026-04-30").previous(), p("2025-11-01", "2026-01-31"), "to a month's end");
        assert_eq!(p("2026-01-01", "2026-12-31").previous(), p("2025-01-01", "2025-12-31"));
        assert_eq!(p("2026-03-01", "2026-04-10").previous(), p("2026-01-01", "2026-02-10"));
    }

    #[test]
    fn other_periods_are_compared_with_as_many_days_before() {
        assert_eq!(p("2026-03-10", "2026-03-16").previous(), p("2026-03-03", "2026-03-09"));
        assert_eq!(p("2026-03-05", "2026-03-05").previous(), p("2026-03-04", "2026-03-04"));
        assert_eq!(p("2024-03-02", "2024-03-31").previous(), p("2024-02-01", "2024-03-01"), "across a leap day");
    }

    #[test]
    fn the_trend_is_twelve_months_ending_with_the_periods_month() {
        let trend = p("2026-12-01", "2026-12-07").trend();
        assert_eq!(trend, p("2026-01-01", "2026-12-07"));
        assert_eq!(trend.months().len(), TREND_MONTHS as usize);
        assert_eq!(Period::month(m("2026-02")).trend(), p("2025-03-01", "2026-02-28"));
        assert_eq!(p("2024-06-10", "2026-02-14").trend().months().first(), Some(&m("2025-03")));
    }
}
