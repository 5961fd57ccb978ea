//! Calendar days without a clock: `YYYY-MM-DD` parsing, months and working days added, the
//! weekday. Retention dates and follow-up due dates are computed here so that the server and the
//! browser agree on them (and the browser build stays free of a date library).

use std::fmt;

/// The earliest year a date or timestamp sent to the API may have. Nothing Mutu records happened
/// before it, and both databases (and every date library in between) handle it.
pub const MIN_YEAR: i32 = 1900;
/// The latest year a date or timestamp sent to the API may have (four digits, as api.md writes
/// dates).
pub const MAX_YEAR: i32 = 9999;

/// A day of the proleptic Gregorian calendar.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    pub year: i32,
    pub month: u32,
    pub day: u32,
}

fn is_leap(year: i32) -> bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
}

/// Days in `month` of `year`.
pub fn days_in_month(year: i32, month: u32) -> u32 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if is_leap(year) => 29,
        _ => 28,
    }
}

impl Date {
    /// A valid day, or `None`.
    pub fn new(year: i32, month: u32, day: u32) -> Option<Date> {
        ((1..=9999).contains(&year) && (1..=12).contains(&month) && day >= 1 && day <= days_in_month(year, month))
            .then_some(Date { year, month, day })
    }

    /// Strictly `YYYY-MM-DD`.
    pub fn parse(text: &str) -> Option<Date> {
        let b = text.as_bytes();
        if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
            return None;
        }
        let digits = |r: std::ops::Range<usize>| -> Option<u32> {
            let part = &text[r];
            part.bytes().all(|c| c.is_ascii_digit()).then(|| part.parse().ok()).flatten()
        };
        Date::new(digits(0..4)? as i32, digits(5..7)?, digits(8..10)?)
    }

    /// Days since 1970-01-01 (negative before).
    pub fn to_days(self) -> i64 {
        // Howard Hinnant's days_from_civil.
        let y = i64::from(self.year) - i64::from(self.month <= 2);
        let era = y.div_euclid(400);
        let yoe = y - era * 400;
        let m = i64::from(self.month);
        let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(self.day) - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        era * 146_097 + doe - 719_468
    }

    /// The inverse of [`Date::to_days`].
    pub fn from_days(days: i64) -> Date {
        let z = days + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z - era * 146_097;
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
        let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
        let year = (yoe + era * 400 + i64::from(month <= 2)) as i32;
        Date { year, month, day }
    }

    /// 1 = Monday … 7 = Sunday.
    pub fn iso_weekday(self) -> u32 {
        // 1970-01-01 was a Thursday (4).
        ((self.to_days() + 3).rem_euclid(7) + 1) as u32
    }

    pub fn add_days(self, n: i64) -> Date {
        Date::from_days(self.to_days() + n)
    }

    /// The same day `n` months later; the last day of the month when that day does not exist
    /// (31 January + 1 month = 28 or 29 February).
    pub fn add_months(self, n: u32) -> Date {
        let total = i64::from(self.year) * 12 + i64::from(self.month - 1) + i64::from(n);
        let year = total.div_euclid(12) as i32;
        let month = total.rem_euclid(12) as u32 + 1;
        Date { year, month, day: self.day.min(days_in_month(year, month)) }
    }

    /// `n` working days (Monday to Friday) after this day. From a Friday, 1 working day is the
    /// next Monday; from a Saturday or Sunday the count starts on the Monday.
    pub fn add_working_days(self, n: u32) -> Date {
        let mut day = self;
        let mut left = n;
        while left > 0 {
            day = day.add_days(1);
            if day.iso_weekday() <= 5 {
                left -= 1;
            }
        }
        day
    }

    /// Monday to Friday.
    pub fn is_working_day(self) -> bool {
        self.iso_weekday() <= 5
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

/// A `YYYY-MM-DD` day of the API: strictly that form, a real day, and a year from [`MIN_YEAR`]
/// to [`MAX_YEAR`]. The error is the field problem code (`invalid_date`, `out_of_range`).
pub fn check_day(text: &str) -> Result<Date, crate::problems::Problem> {
    let day = Date::parse(text).ok_or(crate::problems::Problem::InvalidDate)?;
    if (MIN_YEAR..=MAX_YEAR).contains(&day.year) { Ok(day) } else { Err(crate::problems::Problem::OutOfRange) }
}

/// The date part of an RFC 3339 timestamp of the API (`YYYY-MM-DDThh:mm…`): a real day in the
/// years [`MIN_YEAR`]..=[`MAX_YEAR`], followed by the time. The time and the offset are left to
/// the server's full parser; this check is what keeps a year like `-0001` or `99999` away from
/// the databases. The error is the field problem code (`invalid_timestamp`, `out_of_range`).
pub fn check_timestamp(text: &str) -> Result<Date, crate::problems::Problem> {
    let (date, rest) = match (text.get(..10), text.get(10..)) {
        (Some(date), Some(rest)) => (date, rest),
        _ => return Err(crate::problems::Problem::InvalidTimestamp),
    };
    if !rest.starts_with(['T', 't', ' ']) {
        return Err(crate::problems::Problem::InvalidTimestamp);
    }
    check_day(date).map_err(|problem| match problem {
        crate::problems::Problem::OutOfRange => problem,
        _ => crate::problems::Problem::InvalidTimestamp,
    })
}

/// Either a day or a timestamp (`GET …/in-force?at=`, the audit filters).
pub fn check_day_or_timestamp(text: &str) -> Result<Date, crate::problems::Problem> {
    if text.len() == 10 { check_day(text) } else { check_timestamp(text) }
}

/// `deserialize_with` helpers for the date and timestamp fields of requests: a value outside
/// [`check_day`] / [`check_timestamp`] fails deserialisation with a field problem
/// ([`crate::validation::field_problem`]), which the server answers with 422 naming the field.
/// The fields stay `String`s, so the browser app builds requests as before. An empty text is
/// passed through: the handlers already say whether an empty filter means "none" or is an error.
pub mod de {
    use super::{check_day, check_day_or_timestamp, check_timestamp};
    use crate::validation::field_problem;
    use serde::{Deserialize, Deserializer};

    fn checked<'de, D: Deserializer<'de>>(
        de: D,
        check: fn(&str) -> Result<super::Date, crate::problems::Problem>,
    ) -> Result<String, D::Error> {
        let text = String::deserialize(de)?;
        if !text.is_empty()
            && let Err(problem) = check(&text)
        {
            return Err(serde::de::Error::custom(field_problem(problem.as_str())));
        }
        Ok(text)
    }

    /// A required `YYYY-MM-DD`.
    pub fn day<'de, D: Deserializer<'de>>(de: D) -> Result<String, D::Error> {
        checked(de, check_day)
    }

    /// A required RFC 3339 timestamp.
    pub fn timestamp<'de, D: Deserializer<'de>>(de: D) -> Result<String, D::Error> {
        checked(de, check_timestamp)
    }

    /// An optional `YYYY-MM-DD` (absent or `null` is `None`).
    pub fn opt_day<'de, D: Deserializer<'de>>(de: D) -> Result<Option<String>, D::Error> {
        Option::<Checked<DayTag>>::deserialize(de).map(|o| o.map(|c| c.0))
    }

    /// An optional RFC 3339 timestamp.
    pub fn opt_timestamp<'de, D: Deserializer<'de>>(de: D) -> Result<Option<String>, D::Error> {
        Option::<Checked<TimestampTag>>::deserialize(de).map(|o| o.map(|c| c.0))
    }

    /// An optional day or timestamp.
    pub fn opt_day_or_timestamp<'de, D: Deserializer<'de>>(de: D) -> Result<Option<String>, D::Error> {
        Option::<Checked<EitherTag>>::deserialize(de).map(|o| o.map(|c| c.0))
    }

    /// A patch field: absent (outer `None`, with `#[serde(default)]`), `null` (`Some(None)`) or a
    /// `YYYY-MM-DD`.
    pub fn patch_day<'de, D: Deserializer<'de>>(de: D) -> Result<Option<Option<String>>, D::Error> {
        Option::<Checked<DayTag>>::deserialize(de).map(|o| Some(o.map(|c| c.0)))
    }

    /// Which check a [`Checked`] runs (so `Option<Checked<_>>` can use serde's own `Option`).
    trait Tag {
        const CHECK: fn(&str) -> Result<super::Date, crate::problems::Problem>;
    }
    struct DayTag;
    struct TimestampTag;
    struct EitherTag;
    impl Tag for DayTag {
        const CHECK: fn(&str) -> Result<super::Date, crate::problems::Problem> = check_day;
    }
    impl Tag for TimestampTag {
        const CHECK: fn(&str) -> Result<super::Date, crate::problems::Problem> = check_timestamp;
    }
    impl Tag for EitherTag {
        const CHECK: fn(&str) -> Result<super::Date, crate::problems::Problem> = check_day_or_timestamp;
    }

    struct Checked<T>(String, std::marker::PhantomData<T>);

    impl<'de, T: Tag> Deserialize<'de> for Checked<T> {
        fn deserialize<D: Deserializer<'de>>(de: D) -> Result<Self, D::Error> {
            checked(de, T::CHECK).map(|text| Checked(text, std::marker::PhantomData))
        }
    }
}

/// The date a record may be disposed of: the day it was made plus its form's retention period.
pub fn retain_until(created: Date, retention_months: u32) -> Date {
    created.add_months(retention_months)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Date {
        Date::parse(s).unwrap()
    }

    #[test]
    fn parses_only_real_days_in_the_strict_form() {
        assert_eq!(d("2022-10-13"), Date { year: 2022, month: 10, day: 13 });
        for bad in [
            "2022-02-30",
            "2023-02-29",
            "2022-13-01",
            "2022-00-10",
            "22-10-13",
            "2022/10/13",
            "2022-1-13",
            "+022-10-13",
            "",
            "2022-10-13T00",
        ] {
            assert_eq!(Date::parse(bad), None, "{bad}");
        }
        assert_eq!(d("2024-02-29").to_string(), "2024-02-29");
    }

    #[test]
    fn days_round_trip_and_weekdays_are_right() {
        assert_eq!(d("1970-01-01").to_days(), 0);
        assert_eq!(d("2022-10-13").iso_weekday(), 4); // a Thursday
        assert_eq!(d("2026-11-29").iso_weekday(), 7); // a Sunday
        for days in (-800_000..800_000).step_by(97) {
            assert_eq!(Date::from_days(days).to_days(), days);
        }
    }

    #[test]
    fn months_clamp_to_the_end_of_the_month() {
        assert_eq!(d("2022-10-13").add_months(24), d("2024-10-13"));
        assert_eq!(d("2024-01-31").add_months(1), d("2024-02-29"));
        assert_eq!(d("2023-01-31").add_months(1), d("2023-02-28"));
        assert_eq!(d("2024-02-29").add_months(24), d("2026-02-28"));
        assert_eq!(d("2024-11-15").add_months(2), d("2025-01-15"));
        assert_eq!(retain_until(d("2026-11-29"), 24), d("2028-11-29"));
    }

    #[test]
    fn api_days_and_timestamps_keep_to_the_years_both_databases_handle() {
        assert_eq!(check_day("2026-02-28"), Ok(d("2026-02-28")));
        assert_eq!(check_day("1900-01-01"), Ok(d("1900-01-01")));
        assert_eq!(check_day("9999-12-31"), Ok(d("9999-12-31")));
        assert_eq!(check_day("1899-12-31"), Err(crate::problems::Problem::OutOfRange));
        assert_eq!(check_day("0000-01-01"), Err(crate::problems::Problem::InvalidDate));
        for bad in ["-0001-01-01", "99999-01-01", "2026-02-30", "2026-1-5", "", "2026-01-01\0"] {
            assert_eq!(check_day(bad), Err(crate::problems::Problem::InvalidDate), "{bad}");
        }
        assert!(check_timestamp("2026-11-29T08:00:00+07:00").is_ok());
        assert!(check_timestamp("2026-11-29 08:00:00Z").is_ok());
        assert_eq!(check_timestamp("0001-01-01T00:00:00Z"), Err(crate::problems::Problem::OutOfRange));
        for bad in [
            "-0001-01-01T00:00:00Z",
            "99999-01-01T00:00:00Z",
            "2026-02-30T00:00:00Z",
            "2026-11-29",
            "2026-11-29X",
            "é",
            "2026-11-2é",
        ] {
            assert_eq!(check_timestamp(bad), Err(crate::problems::Problem::InvalidTimestamp), "{bad}");
        }
        assert!(check_day_or_timestamp("2026-11-29").is_ok());
        assert!(check_day_or_timestamp("2026-11-29T00:00:00Z").is_ok());
        assert_eq!(check_day_or_timestamp("1000-11-29"), Err(crate::problems::Problem::OutOfRange));
    }

    #[test]
    fn date_fields_refuse_bad_values_as_field_problems() {
        #[derive(serde::Deserialize, Debug)]
        struct Body {
            #[serde(deserialize_with = "de::day")]
            day: String,
            #[serde(default, deserialize_with = "de::opt_timestamp")]
            at: Option<String>,
            #[serde(default, deserialize_with = "de::patch_day")]
            patch: Option<Option<String>>,
        }
        let ok: Body = serde_json::from_str(r#"{"day":"2026-11-29","at":null}"#).unwrap();
        assert_eq!((ok.day.as_str(), ok.at, ok.patch), ("2026-11-29", None, None));
        let null: Body = serde_json::from_str(r#"{"day":"","patch":null}"#).unwrap();
        assert_eq!(null.patch, Some(None));
        for body in [
            r#"{"day":"-0001-01-01"}"#,
            r#"{"day":"2026-11-29","at":"99999-01-01T00:00:00Z"}"#,
            r#"{"day":"2026-11-29","patch":"1800-01-01"}"#,
        ] {
            let err = serde_json::from_str::<Body>(body).unwrap_err().to_string();
            assert!(crate::validation::parse_field_problem(&err).is_some(), "{body}: {err}");
        }
        assert!(
            crate::validation::parse_field_problem(
                &serde_json::from_str::<Body>(r#"{"day":5}"#).unwrap_err().to_string()
            )
            .is_none()
        );
    }

    #[test]
    fn working_days_skip_weekends() {
        assert_eq!(d("2026-11-26").add_working_days(2), d("2026-11-30")); // Thu → Mon
        assert_eq!(d("2026-11-27").add_working_days(1), d("2026-11-30")); // Fri → Mon
        assert_eq!(d("2026-11-28").add_working_days(2), d("2026-12-01")); // Sat → Tue
        assert_eq!(d("2026-11-23").add_working_days(2), d("2026-11-25")); // Mon → Wed
        assert_eq!(d("2026-11-23").add_working_days(0), d("2026-11-23"));
        assert!(!d("2026-11-29").is_working_day());
    }
}
