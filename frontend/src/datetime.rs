//! Dates and times the Indonesian way, without a date library (the bundle has a size budget).
//!
//! The API sends RFC 3339 timestamps in UTC; the call centre reads them in the site's zone (the
//! server's `MUTU_TIMEZONE`: WIB, WITA or WIT, none with daylight saving), with the zone written
//! after the time. The zone is asked of the server (`GET /api/site`) before the app first renders
//! ([`set_site_zone`]); WIB until then. Dates are day-first: `13 Oktober 2022` or `13/10/2022`.
//! Indonesian writes times with a dot (`08.30`), English with a colon.

use crate::i18n::{Lang, month_key, t};
use domain::dates::{Date, days_in_month};
use std::cell::Cell;

thread_local! {
    /// The site zone's offset from UTC in seconds (WIB until the server says otherwise).
    static SITE_OFFSET: Cell<i64> = const { Cell::new(7 * 3600) };
}

/// Sets the site zone from the server's `utc_offset_seconds` (a whole-hour offset within a day).
pub fn set_site_zone(utc_offset_seconds: i64) {
    if utc_offset_seconds.abs() < 86_400 {
        SITE_OFFSET.with(|offset| offset.set(utc_offset_seconds));
    }
}

/// The site zone's offset from UTC in seconds.
pub fn site_offset() -> i64 {
    SITE_OFFSET.with(Cell::get)
}

/// The site zone's name: WIB, WITA, WIT (the same in both languages), or `UTC±h`.
pub fn zone_label() -> String {
    match site_offset() {
        25_200 => "WIB".into(),
        28_800 => "WITA".into(),
        32_400 => "WIT".into(),
        0 => "UTC".into(),
        other => format!("UTC{:+}", other / 3600),
    }
}

/// A wall-clock moment in the site zone.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Wall {
    pub year: i64,
    pub month: u32,
    pub day: u32,
    pub hour: u32,
    pub minute: u32,
    pub second: u32,
}

/// Days since 1970-01-01 of a proleptic Gregorian date (the server's calendar, `domain::dates`).
fn days_from_civil(year: i64, month: u32, day: u32) -> i64 {
    Date { year: year as i32, month, day }.to_days()
}

/// The date of a day count since 1970-01-01 (inverse of [`days_from_civil`]).
fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let Date { year, month, day } = Date::from_days(days);
    (i64::from(year), month, day)
}

fn number(text: &str) -> Option<u32> {
    if text.is_empty() || !text.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    text.parse().ok()
}

/// Parses `YYYY-MM-DD`.
pub fn parse_date(text: &str) -> Option<(i64, u32, u32)> {
    let bytes = text.as_bytes();
    if bytes.len() != 10 || bytes[4] != b'-' || bytes[7] != b'-' {
        return None;
    }
    let year = i64::from(number(&text[0..4])?);
    let month = number(&text[5..7])?;
    let day = number(&text[8..10])?;
    if !(1..=12).contains(&month) || day == 0 || day > days_in_month(year as i32, month) {
        return None;
    }
    Some((year, month, day))
}

/// Parses an RFC 3339 timestamp (`2022-10-13T01:30:00Z`, fractions and `±HH:MM` offsets too) into
/// seconds since the Unix epoch.
pub fn parse_rfc3339(text: &str) -> Option<i64> {
    if text.len() < 20 || !text.is_char_boundary(10) || !text.is_char_boundary(19) {
        return None;
    }
    let (year, month, day) = parse_date(&text[..10])?;
    let rest = &text[10..];
    if !matches!(rest.as_bytes()[0], b'T' | b't' | b' ') {
        return None;
    }
    let clock = &rest[1..9];
    let cb = clock.as_bytes();
    if cb[2] != b':' || cb[5] != b':' {
        return None;
    }
    let hour = number(&clock[0..2])?;
    let minute = number(&clock[3..5])?;
    let second = number(&clock[6..8])?;
    if hour > 23 || minute > 59 || second > 60 {
        return None;
    }
    let mut zone = &rest[9..];
    if let Some(fraction) = zone.strip_prefix('.') {
        let digits = fraction.bytes().take_while(u8::is_ascii_digit).count();
        if digits == 0 {
            return None;
        }
        zone = &fraction[digits..];
    }
    let offset = match zone {
        "Z" | "z" => 0,
        _ => {
            let zb = zone.as_bytes();
            if zb.len() != 6 || zb[3] != b':' {
                return None;
            }
            let sign = match zb[0] {
                b'+' => 1,
                b'-' => -1,
                _ => return None,
            };
            let oh = i64::from(number(&zone[1..3])?);
            let om = i64::from(number(&zone[4..6])?);
            sign * (oh * 3600 + om * 60)
        }
    };
    let days = days_from_civil(year, month, day);
    Some(days * 86_400 + i64::from(hour) * 3600 + i64::from(minute) * 60 + i64::from(second) - offset)
}

/// The site's wall clock of an instant.
pub fn to_site(epoch_seconds: i64) -> Wall {
    let local = epoch_seconds + site_offset();
    let days = local.div_euclid(86_400);
    let secs = local.rem_euclid(86_400);
    let (year, month, day) = civil_from_days(days);
    Wall { year, month, day, hour: (secs / 3600) as u32, minute: (secs % 3600 / 60) as u32, second: (secs % 60) as u32 }
}

fn month_name(lang: Lang, month: u32) -> &'static str {
    month_key(month).map_or("?", |k| t(lang, k))
}

fn time_sep(lang: Lang) -> char {
    match lang {
        Lang::Id => '.',
        Lang::En => ':',
    }
}

/// `2022-10` → `Oktober 2022` (`October 2022`); anything unparsable is shown as it came.
pub fn month_label(lang: Lang, month: &str) -> String {
    match parse_date(&format!("{month}-01")) {
        Some((y, m, _)) => format!("{} {y}", month_name(lang, m)),
        None => month.to_owned(),
    }
}

/// `2022-10-13` → `13 Oktober 2022` (`13 October 2022`); anything unparsable is shown as it came.
pub fn long_date(lang: Lang, date: &str) -> String {
    match parse_date(date) {
        Some((y, m, d)) => format!("{d} {} {y}", month_name(lang, m)),
        None => date.to_owned(),
    }
}

/// An RFC 3339 instant as `13 Oktober 2022, 08.30 WIB` (the site's zone).
pub fn long_datetime(lang: Lang, timestamp: &str) -> String {
    let Some(epoch) = parse_rfc3339(timestamp) else { return timestamp.to_owned() };
    let w = to_site(epoch);
    let sep = time_sep(lang);
    format!("{} {} {}, {:02}{sep}{:02} {}", w.day, month_name(lang, w.month), w.year, w.hour, w.minute, zone_label())
}

/// A wall-clock day and time of the site (`2026-12-01`, `10:30`, as date and time fields give
/// them) as `1 Desember 2026, 10.30 WIB`.
pub fn wall_datetime(lang: Lang, date: &str, time: &str) -> String {
    let clock: String = time.chars().take(5).map(|c| if c == ':' { time_sep(lang) } else { c }).collect();
    format!("{}, {clock} {}", long_date(lang, date), zone_label())
}

/// The site's wall-clock time now, as a time field's `HH:MM`.
pub fn now_time() -> String {
    let w = to_site(now_epoch());
    format!("{:02}:{:02}", w.hour, w.minute)
}

/// An RFC 3339 instant as `13/10/2022 08.30.15 WIB`, for tables.
pub fn short_datetime(lang: Lang, timestamp: &str) -> String {
    let Some(epoch) = parse_rfc3339(timestamp) else { return timestamp.to_owned() };
    let w = to_site(epoch);
    let sep = time_sep(lang);
    format!(
        "{:02}/{:02}/{} {:02}{sep}{:02}{sep}{:02} {}",
        w.day,
        w.month,
        w.year,
        w.hour,
        w.minute,
        w.second,
        zone_label()
    )
}

/// An instant to the minute for tables: `29/11/2026 08.05 WIB` ([`short_datetime`] without
/// its seconds).
pub fn minute_datetime(lang: Lang, timestamp: &str) -> String {
    let full = short_datetime(lang, timestamp);
    // `dd/mm/yyyy hh.mm.ss WIB`: drop the `.ss`.
    match full.rsplit_once(' ') {
        Some((clock, zone)) if clock.len() == 19 => format!("{} {zone}", &clock[..16]),
        _ => full,
    }
}

/// An RFC 3339 instant as the site's date `13/10/2022`.
pub fn short_date(timestamp: &str) -> String {
    let Some(epoch) = parse_rfc3339(timestamp) else { return timestamp.to_owned() };
    let w = to_site(epoch);
    format!("{:02}/{:02}/{}", w.day, w.month, w.year)
}

/// The site's calendar day `days` after the instant `epoch_seconds`, as `YYYY-MM-DD`.
pub fn site_date_plus(epoch_seconds: i64, days: i64) -> String {
    let w = to_site(epoch_seconds);
    let (y, m, d) = civil_from_days(days_from_civil(w.year, w.month, w.day) + days);
    format!("{y:04}-{m:02}-{d:02}")
}

/// The site zone's offset as RFC 3339 writes it: `+07:00`.
pub fn offset_text() -> String {
    let offset = site_offset();
    let sign = if offset < 0 { '-' } else { '+' };
    format!("{sign}{:02}:{:02}", offset.abs() / 3600, offset.abs() % 3600 / 60)
}

/// A `datetime-local` value (`YYYY-MM-DDTHH:MM`, seconds optional), read in the site zone, as
/// RFC 3339 with the site's offset, keeping the precision typed (`2026-11-29T10:30:00+08:00`).
pub fn local_input_to_rfc3339(value: &str) -> Option<String> {
    let (date, time) = value.trim().split_once('T')?;
    parse_date(date)?;
    let time = if time.len() == 5 { format!("{time}:00") } else { time.chars().take(8).collect() };
    let text = format!("{date}T{time}{}", offset_text());
    parse_rfc3339(&text).map(|_| text)
}

/// A `datetime-local` value read in the site zone as an RFC 3339 instant in UTC (`…Z`).
pub fn local_input_to_utc(value: &str) -> Option<String> {
    let u = to_utc_wall(parse_rfc3339(&local_input_to_rfc3339(value)?)?);
    Some(format!("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z", u.year, u.month, u.day, u.hour, u.minute, u.second))
}

/// An RFC 3339 instant as a `datetime-local` value in the site zone (empty if unreadable).
pub fn utc_to_local_input(timestamp: &str) -> String {
    parse_rfc3339(timestamp).map_or_else(String::new, |epoch| {
        let w = to_site(epoch);
        format!("{:04}-{:02}-{:02}T{:02}:{:02}", w.year, w.month, w.day, w.hour, w.minute)
    })
}

/// Now in the site zone as a `datetime-local` value (`seconds`: with them, for sending).
pub fn now_local_input(seconds: bool) -> String {
    let w = to_site(now_epoch());
    let minutes = format!("{:04}-{:02}-{:02}T{:02}:{:02}", w.year, w.month, w.day, w.hour, w.minute);
    if seconds { format!("{minutes}:{:02}", w.second) } else { minutes }
}

/// The UTC wall clock of an instant.
fn to_utc_wall(epoch_seconds: i64) -> Wall {
    to_site(epoch_seconds - site_offset())
}

/// Seconds since the Unix epoch, from the browser's clock.
pub fn now_epoch() -> i64 {
    (js_sys::Date::now() / 1000.0) as i64
}

/// Today's site date plus `days`, as `YYYY-MM-DD`.
pub fn today_plus(days: i64) -> String {
    site_date_plus(now_epoch(), days)
}

/// A count with thousands grouped the local way: `1.234` (id), `1,234` (en).
pub fn count(lang: Lang, n: i64) -> String {
    let sep = match lang {
        Lang::Id => '.',
        Lang::En => ',',
    };
    domain::indonesian::grouped(n, sep)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wall_times_are_written_the_local_way() {
        assert_eq!(wall_datetime(Lang::Id, "2026-12-01", "10:30"), "1 Desember 2026, 10.30 WIB");
        assert_eq!(wall_datetime(Lang::En, "2026-12-01", "09:05:00"), "1 December 2026, 09:05 WIB");
    }

    #[test]
    fn civil_days_round_trip_across_centuries() {
        for days in (-800_000..800_000).step_by(997) {
            let (y, m, d) = civil_from_days(days);
            assert_eq!(days_from_civil(y, m, d), days);
        }
        assert_eq!(days_from_civil(1970, 1, 1), 0);
        assert_eq!(days_from_civil(2000, 3, 1), 11_017);
    }

    #[test]
    fn parses_utc_fractions_and_offsets() {
        assert_eq!(parse_rfc3339("1970-01-01T00:00:00Z"), Some(0));
        assert_eq!(parse_rfc3339("2022-10-13T00:00:00Z"), Some(1_665_619_200));
        assert_eq!(parse_rfc3339("2022-10-13T00:00:00.123456Z"), Some(1_665_619_200));
        assert_eq!(parse_rfc3339("2022-10-13T07:00:00+07:00"), Some(1_665_619_200));
        assert_eq!(parse_rfc3339("2022-10-12T23:00:00-01:00"), Some(1_665_619_200));
        assert_eq!(parse_rfc3339("2022-10-13T00:00:00+00:00"), Some(1_665_619_200));
    }

    #[test]
    fn refuses_what_is_not_a_timestamp() {
        for bad in [
            "",
            "2022-10-13",
            "2022-13-01T00:00:00Z",
            "2022-02-30T00:00:00Z",
            "2022-10-13T24:00:00Z",
            "2022-10-13T00:00:00",
            "2022-10-13T00:00:00.Z",
            "2022-10-13X00:00:00Z",
            "yyyy-mm-ddThh:mm:ssZ",
            "2022-10-13T00:00:00+7",
            "2022-10-13T00:00:00éé",
        ] {
            assert_eq!(parse_rfc3339(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn another_site_zone_moves_every_time_and_its_label() {
        // Each test runs on a thread of its own, and the zone is per thread.
        set_site_zone(8 * 3600);
        assert_eq!(zone_label(), "WITA");
        assert_eq!(long_datetime(Lang::Id, "2022-10-13T01:30:00Z"), "13 Oktober 2022, 09.30 WITA");
        assert_eq!(short_datetime(Lang::En, "2022-08-12T16:03:04Z"), "13/08/2022 00:03:04 WITA");
        assert_eq!(local_input_to_rfc3339("2026-11-29T06:30").as_deref(), Some("2026-11-29T06:30:00+08:00"));
        assert_eq!(local_input_to_utc("2026-11-29T06:30").as_deref(), Some("2026-11-28T22:30:00Z"));
        assert_eq!(utc_to_local_input("2026-11-28T22:30:00Z"), "2026-11-29T06:30");
        set_site_zone(9 * 3600);
        assert_eq!((zone_label(), offset_text()), ("WIT".to_owned(), "+09:00".to_owned()));
        set_site_zone(0);
        assert_eq!((zone_label(), offset_text()), ("UTC".to_owned(), "+00:00".to_owned()));
    }

    #[test]
    fn site_inputs_read_in_wib_by_default() {
        assert_eq!(local_input_to_rfc3339("2026-11-29T06:30").as_deref(), Some("2026-11-29T06:30:00+07:00"));
        assert_eq!(local_input_to_rfc3339("2026-11-29T06:30:15").as_deref(), Some("2026-11-29T06:30:15+07:00"));
        assert_eq!(local_input_to_utc("2026-11-29T06:30").as_deref(), Some("2026-11-28T23:30:00Z"));
        assert_eq!(utc_to_local_input("2026-11-28T23:30:00Z"), "2026-11-29T06:30");
        assert_eq!(local_input_to_utc("nope"), None);
        assert_eq!(local_input_to_rfc3339("2026-02-30T06:30"), None);
    }

    #[test]
    fn wib_is_seven_hours_ahead_and_rolls_the_date() {
        let epoch = parse_rfc3339("2022-10-12T18:30:05Z").unwrap();
        assert_eq!(to_site(epoch), Wall { year: 2022, month: 10, day: 13, hour: 1, minute: 30, second: 5 });
        let new_year = parse_rfc3339("2023-12-31T17:00:00Z").unwrap();
        assert_eq!(to_site(new_year), Wall { year: 2024, month: 1, day: 1, hour: 0, minute: 0, second: 0 });
        let leap = parse_rfc3339("2024-02-28T20:00:00Z").unwrap();
        assert_eq!((to_site(leap).month, to_site(leap).day), (2, 29));
    }

    #[test]
    fn formats_the_indonesian_way() {
        assert_eq!(long_date(Lang::Id, "2022-10-13"), "13 Oktober 2022");
        assert_eq!(long_date(Lang::En, "2022-10-13"), "13 October 2022");
        assert_eq!(long_date(Lang::Id, "not a date"), "not a date");
        assert_eq!(long_datetime(Lang::Id, "2022-10-13T01:30:00Z"), "13 Oktober 2022, 08.30 WIB");
        assert_eq!(long_datetime(Lang::En, "2022-10-13T01:30:00Z"), "13 October 2022, 08:30 WIB");
        assert_eq!(short_datetime(Lang::Id, "2022-08-12T02:03:04Z"), "12/08/2022 09.03.04 WIB");
        assert_eq!(short_datetime(Lang::En, "2022-08-12T02:03:04Z"), "12/08/2022 09:03:04 WIB");
        assert_eq!(short_date("2022-08-11T20:00:00Z"), "12/08/2022");
        assert_eq!(long_datetime(Lang::Id, "garbage"), "garbage");
    }

    #[test]
    fn counts_group_thousands() {
        assert_eq!(count(Lang::Id, 0), "0");
        assert_eq!(count(Lang::Id, 999), "999");
        assert_eq!(count(Lang::Id, 1_234), "1.234");
        assert_eq!(count(Lang::En, 1_234_567), "1,234,567");
        assert_eq!(count(Lang::Id, -350_000), "-350.000");
    }

    #[test]
    fn site_dates_move_by_days() {
        let late = parse_rfc3339("2022-12-31T18:00:00Z").unwrap();
        assert_eq!(site_date_plus(late, 0), "2023-01-01");
        assert_eq!(site_date_plus(late, 1), "2023-01-02");
        assert_eq!(site_date_plus(parse_rfc3339("2024-02-28T00:00:00Z").unwrap(), 1), "2024-02-29");
    }
}
