//! The site's clock and calendar, in one place: the site zone (`MUTU_TIMEZONE`; Indonesia keeps no
//! daylight saving time, so a fixed offset is exact), a site-local wall time as an instant, the
//! site's calendar day of an instant, the first and last second of a site day, and the periods
//! that list filters and reports take as `from`/`to` calendar days.
//!
//! One reading of a period everywhere: `from` and `to` are site days, both inclusive, so the
//! period is `[from 00:00, to + 1 day 00:00)` in the site zone. In a query string an empty value
//! (`?from=`, what a cleared form field sends) means no bound, as an absent one does; a day a
//! request body requires is read with [`required_day`], where empty is `required`.

use crate::error::{ApiError, ApiResult};
use crate::state::AppState;
use chrono::{DateTime, FixedOffset, NaiveDate, NaiveDateTime, TimeZone, Utc};
use domain::dates::{Date, check_day};
use domain::problems::Problem;

/// A calendar day, as `domain` or chrono writes it.
pub trait CalendarDay: Copy {
    fn naive(self) -> NaiveDate;
}

impl CalendarDay for NaiveDate {
    fn naive(self) -> NaiveDate {
        self
    }
}

impl CalendarDay for Date {
    fn naive(self) -> NaiveDate {
        NaiveDate::from_ymd_opt(self.year, self.month, self.day).expect("a Date is a valid day")
    }
}

/// The site zone's offset from UTC.
pub fn offset(state: &AppState) -> FixedOffset {
    state.config.offset()
}

/// The site zone's usual abbreviation: WIB, WITA, WIT (or UTC).
pub fn zone_label(state: &AppState) -> &'static str {
    label_of(offset(state))
}

/// The abbreviation of an Indonesian zone's offset.
pub fn label_of(offset: FixedOffset) -> &'static str {
    match offset.local_minus_utc() {
        25200 => "WIB",
        28800 => "WITA",
        32400 => "WIT",
        _ => "UTC",
    }
}

/// A site-local wall time as an instant.
pub fn local_to_utc(state: &AppState, local: NaiveDateTime) -> DateTime<Utc> {
    offset(state).from_local_datetime(&local).single().map_or_else(|| Utc.from_utc_datetime(&local), |d| d.to_utc())
}

/// The site's calendar day of an instant.
pub fn site_day(state: &AppState, at: DateTime<Utc>) -> NaiveDate {
    at.with_timezone(&offset(state)).date_naive()
}

/// The site's calendar day of an instant, as `domain` writes days.
pub fn site_date(state: &AppState, at: DateTime<Utc>) -> Date {
    let day = site_day(state, at);
    Date::new(chrono::Datelike::year(&day), chrono::Datelike::month(&day), chrono::Datelike::day(&day))
        .expect("a chrono day is a valid day")
}

/// 00:00 of a site day.
pub fn day_start(state: &AppState, day: impl CalendarDay) -> DateTime<Utc> {
    local_to_utc(state, day.naive().and_hms_opt(0, 0, 0).expect("midnight exists"))
}

/// The last second of a site day.
pub fn day_end(state: &AppState, day: impl CalendarDay) -> DateTime<Utc> {
    local_to_utc(state, day.naive().and_hms_opt(23, 59, 59).expect("a valid time"))
}

/// An instant range; either end may be open.
pub type Period = (Option<DateTime<Utc>>, Option<DateTime<Utc>>);

/// A `YYYY-MM-DD` day of the API (years 1900–9999), or the field problem.
pub fn parse_day(field: &str, text: &str) -> ApiResult<Date> {
    check_day(text).map_err(|problem| ApiError::field(field, problem))
}

/// A day a request requires: empty is `required`.
pub fn required_day(field: &str, text: &str) -> ApiResult<Date> {
    if text.is_empty() {
        return Err(ApiError::field(field, Problem::Required));
    }
    parse_day(field, text)
}

/// An RFC 3339 instant of the API, or `invalid_timestamp`.
pub fn parse_instant(field: &str, text: &str) -> ApiResult<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(text)
        .map(|d| d.to_utc())
        .map_err(|_| ApiError::field(field, Problem::InvalidTimestamp))
}

/// `from`/`to` days of a query (both inclusive; absent or empty: no bound) as an instant range.
pub fn period(state: &AppState, from: Option<&str>, to: Option<&str>) -> ApiResult<Period> {
    let day = |field: &str, text: Option<&str>| text.filter(|t| !t.is_empty()).map(|t| parse_day(field, t)).transpose();
    let (from, to) = (day("from", from)?, day("to", to)?);
    if let (Some(f), Some(t)) = (from, to)
        && t < f
    {
        return Err(ApiError::field("to", Problem::BeforeFrom));
    }
    Ok((from.map(|d| day_start(state, d)), to.map(|d| day_start(state, d.add_days(1)))))
}

/// Two given days (both inclusive) as the instants `[from 00:00, to + 1 day 00:00)`.
pub fn days(state: &AppState, from: Date, to: Date) -> ApiResult<(DateTime<Utc>, DateTime<Utc>)> {
    if to < from {
        return Err(ApiError::field("to", Problem::BeforeFrom));
    }
    Ok((day_start(state, from), day_start(state, to.add_days(1))))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_of_the_indonesian_zones() {
        let east = |h| FixedOffset::east_opt(h * 3600).unwrap();
        assert_eq!(
            [label_of(east(7)), label_of(east(8)), label_of(east(9)), label_of(east(0))],
            ["WIB", "WITA", "WIT", "UTC"]
        );
    }

    #[test]
    fn a_date_and_a_chrono_day_are_the_same_day() {
        let date = Date::parse("2024-02-29").unwrap();
        assert_eq!(date.naive(), NaiveDate::from_ymd_opt(2024, 2, 29).unwrap());
    }
}
