//! Dates and call times as agree exports write them: `2026-11-29` or `29/11/2026`; site time as
//! written, or ISO 8601 with `Z` or an offset (as diallers and APIs write it), brought to the
//! site's zone.

use crate::dates::Date;

/// A date as exports write it: `2026-11-29` or `29/11/2026`.
pub fn parse_date(text: &str) -> Option<Date> {
    let t = text.trim();
    if let Some(d) = Date::parse(t) {
        return Some(d);
    }
    let mut parts = t.split('/');
    let (d, m, y) = (parts.next()?, parts.next()?, parts.next()?);
    if parts.next().is_some() || y.len() != 4 || d.is_empty() || d.len() > 2 || m.is_empty() || m.len() > 2 {
        return None;
    }
    Date::new(y.parse().ok()?, m.parse().ok()?, d.parse().ok()?)
}

/// Two ASCII digits as a number.
fn two_digits(text: &str) -> Option<i32> {
    (text.len() == 2 && text.bytes().all(|b| b.is_ascii_digit())).then(|| text.parse().ok()).flatten()
}

/// An ISO 8601 offset after the time: `Z`, `+07:00`, `+0700`, `+07`, `-03:30`. Returns the time
/// before it and the offset in seconds east of UTC (`None` when the time carries none).
fn split_offset(time: &str) -> Option<(&str, Option<i32>)> {
    if let Some(clock) = time.strip_suffix(['Z', 'z']) {
        return Some((clock, Some(0)));
    }
    let Some(at) = time.rfind(['+', '-']) else { return Some((time, None)) };
    let (clock, offset) = time.split_at(at);
    let sign = if offset.starts_with('-') { -1 } else { 1 };
    let digits = &offset[1..];
    let (h, m) = match digits.split_once(':') {
        Some((h, m)) => (two_digits(h)?, two_digits(m)?),
        None if digits.len() == 4 => (two_digits(&digits[..2])?, two_digits(&digits[2..])?),
        None => (two_digits(digits)?, 0),
    };
    if h > 23 || m > 59 {
        return None;
    }
    Some((clock, Some(sign * (h * 3600 + m * 60))))
}

/// A call time as exports write it: `2026-11-29 09:15[:00]`, `2026-11-29T09:15:00`,
/// `29/11/2026 09:15[:00]`, and ISO 8601 with `Z` or an offset as diallers and APIs write it
/// (`2026-11-29T02:15:00Z`, `2026-11-29T09:15:00.250+07:00`, `… +0700`). Returns the date as
/// written, seconds since midnight, and the offset in seconds east of UTC if there is one.
pub fn parse_call_at(text: &str) -> Option<(Date, u32, Option<i32>)> {
    let t = text.trim();
    let (date, time) = t.split_once('T').or_else(|| t.split_once('t')).or_else(|| t.split_once(' '))?;
    let date = parse_date(date)?;
    // `09:15:00 +07:00`: the offset may stand apart.
    let time: String = time.split_whitespace().collect();
    let (clock, offset) = split_offset(&time)?;
    let mut parts = clock.split(':');
    let h: u32 = parts.next()?.parse().ok()?;
    let m: u32 = parts.next()?.parse().ok()?;
    let s: u32 = match parts.next() {
        Some(s) => {
            let (whole, fraction) = s.split_once('.').unwrap_or((s, "0"));
            if fraction.is_empty() || !fraction.bytes().all(|b| b.is_ascii_digit()) {
                return None;
            }
            whole.parse().ok()?
        }
        None => 0,
    };
    if parts.next().is_some() || h > 23 || m > 59 || s > 59 {
        return None;
    }
    Some((date, h * 3600 + m * 60 + s, offset))
}

/// A call time in the site's zone (`site_offset`: seconds east of UTC, from `MUTU_TIMEZONE`):
/// as written when it carries no offset (the export's times are site time), else converted.
/// Returns the site's date and seconds since its midnight.
pub fn call_at_in_site(text: &str, site_offset: i32) -> Option<(Date, u32)> {
    let (date, secs, offset) = parse_call_at(text)?;
    let Some(offset) = offset else { return Some((date, secs)) };
    let local = i64::from(secs) - i64::from(offset) + i64::from(site_offset);
    Some((date.add_days(local.div_euclid(86_400)), local.rem_euclid(86_400) as u32))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// WIB, seconds east of UTC.
    const WIB: i32 = 7 * 3600;

    #[test]
    fn dates_and_times_in_export_spellings() {
        assert_eq!(parse_date("29/11/2026"), Date::parse("2026-11-29"));
        assert_eq!(parse_call_at("29/11/2026 08:05:09").map(|c| c.1), Some(8 * 3600 + 5 * 60 + 9));
        assert_eq!(parse_call_at("2026-11-29T24:00"), None);
        assert_eq!(parse_call_at("2026-11-29T09:15:00+07:00").map(|c| c.2), Some(Some(7 * 3600)));
    }

    #[test]
    fn iso_call_times_are_brought_to_the_site_zone() {
        let at = |text: &str, site: i32| {
            call_at_in_site(text, site).map(|(d, s)| format!("{d} {:02}:{:02}:{:02}", s / 3600, s / 60 % 60, s % 60))
        };
        let same = Some("2026-11-29 09:15:00".to_owned());
        assert_eq!(at("2026-11-29 09:15", WIB), same, "no offset: site time as written");
        assert_eq!(at("2026-11-29T02:15:00Z", WIB), same);
        assert_eq!(at("2026-11-29t02:15:00z", WIB), same);
        assert_eq!(at("2026-11-29T02:15:00.250Z", WIB), same);
        assert_eq!(at("2026-11-29T09:15:00+07:00", WIB), same);
        assert_eq!(at("2026-11-29T10:15:00+0800", WIB), same);
        assert_eq!(at("2026-11-29 09:15:00 +07", WIB), same);
        assert_eq!(at("2026-11-28T22:45:00-03:30", WIB), same);
        // Across midnight and into WITA (Asia/Makassar, UTC+8).
        assert_eq!(at("2026-11-29T20:30:00Z", WIB), Some("2026-11-30 03:30:00".into()));
        assert_eq!(at("2026-12-31T17:00:00Z", 8 * 3600), Some("2027-01-01 01:00:00".into()));
        assert_eq!(at("2026-11-29T02:15:00Z", 8 * 3600), Some("2026-11-29 10:15:00".into()));
        for bad in
            ["2026-11-29T09:15:00+7", "2026-11-29T09:15:00+24:00", "2026-11-29T09:15:00.Z", "2026-11-29T09:15+07:0"]
        {
            assert_eq!(at(bad, WIB), None, "{bad}");
        }
    }
}
