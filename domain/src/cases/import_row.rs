//! One data row of the agree import: its cells checked and normalised (amounts, dates and call
//! times as exports spell them, call times with an offset brought to the site's zone, the SOP's
//! pairs of service and bucket), and every fault of it listed, not only the first.

use super::{Bucket, ImportColumn, RowProblem, Service, echo, sort_problems};
use crate::dates::Date;

/// One good row of an import, before the agent's username is resolved.
#[derive(Debug, Clone, PartialEq)]
pub struct ImportRow {
    pub customer_no: String,
    pub customer_name: String,
    pub service: Service,
    pub bucket: Bucket,
    /// Whole rupiah.
    pub bill_amount: i64,
    pub agent_username: String,
    /// The call time in the site's zone, normalised to `YYYY-MM-DDTHH:MM:SS`.
    pub call_at_local: String,
    pub reason: String,
    pub promise_date: Date,
    pub recording_ref: String,
}

/// A refused row: every fault found, in the order of the columns, and the agent's username when
/// that cell was good, so that the server can add what it finds about the agent.
#[derive(Debug, Clone, PartialEq)]
pub struct RowFaults {
    pub problems: Vec<RowProblem>,
    pub agent_username: Option<String>,
}

impl RowFaults {
    /// A row refused for one fault of the whole row (it could not be read cell by cell).
    pub fn whole(problem: RowProblem) -> RowFaults {
        RowFaults { problems: vec![problem], agent_username: None }
    }

    /// A checked row with one more fault: a good row becomes a refused one.
    pub fn add(checked: Result<ImportRow, RowFaults>, problem: RowProblem) -> RowFaults {
        let mut faults = match checked {
            Ok(row) => RowFaults { problems: Vec::new(), agent_username: Some(row.agent_username) },
            Err(faults) => faults,
        };
        faults.problems.push(problem);
        sort_problems(&mut faults.problems);
        faults
    }
}

impl ImportColumn {
    /// Whether a row must fill this column (the reason and the recording may be empty).
    pub fn required(self) -> bool {
        !matches!(self, ImportColumn::Reason | ImportColumn::RecordingRef)
    }
}

/// The trimmed cell, or `None` with the fault noted: a required one empty, control characters,
/// more than `max` characters.
fn text_cell(value: &str, column: ImportColumn, max: u32, problems: &mut Vec<RowProblem>) -> Option<String> {
    let v = value.trim();
    if v.chars().any(|c| c.is_control()) {
        problems.push(RowProblem::ControlCharacters { column });
    } else if column.required() && v.is_empty() {
        problems.push(RowProblem::Empty { column });
    } else if v.chars().count() > max as usize {
        problems.push(RowProblem::TooLong { column, max });
    } else {
        return Some(v.to_owned());
    }
    None
}

/// A required cell's trimmed text, or `None` with [`RowProblem::Empty`] noted.
fn filled<'a>(value: &'a str, column: ImportColumn, problems: &mut Vec<RowProblem>) -> Option<&'a str> {
    let v = value.trim();
    if v.is_empty() {
        problems.push(RowProblem::Empty { column });
        return None;
    }
    Some(v)
}

/// Rupiah as exports write it: `350000`, `350.000`, `Rp 350.000`, `350000.00`, `350,000`.
pub fn parse_amount(text: &str) -> Result<i64, RowProblem> {
    let t = text.trim();
    let t = t.strip_prefix("Rp").or_else(|| t.strip_prefix("RP")).or_else(|| t.strip_prefix("rp")).unwrap_or(t).trim();
    if t.starts_with('-') {
        return Err(RowProblem::AmountNegative);
    }
    // A trailing ".00"/",00" is cents; other separators group thousands.
    let t = t.strip_suffix(".00").or_else(|| t.strip_suffix(",00")).or_else(|| t.strip_suffix(".0")).unwrap_or(t);
    let digits: String = t.chars().filter(|c| !matches!(c, '.' | ',' | ' ')).collect();
    if digits.is_empty() || !digits.bytes().all(|c| c.is_ascii_digit()) {
        return Err(RowProblem::AmountInvalid { value: echo(text) });
    }
    if digits.len() > 13 {
        return Err(RowProblem::AmountTooLarge);
    }
    digits.parse().map_err(|_| RowProblem::AmountInvalid { value: echo(text) })
}

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

/// Checks one data row (cells in the order of [`super::IMPORT_COLUMNS`]); `site_offset` is the
/// site zone's offset from UTC in seconds, for call times written with one. A refused row lists
/// every fault found, in the order of the columns. Unknown agents are found by the server.
pub fn parse_row(cells: &[String; 10], site_offset: i32) -> Result<ImportRow, RowFaults> {
    use ImportColumn as C;
    let mut problems = Vec::new();
    let p = &mut problems;
    let customer_no = text_cell(&cells[0], C::CustomerNo, 40, p);
    let customer_name = text_cell(&cells[1], C::CustomerName, 200, p);
    let service = filled(&cells[2], C::Service, p).and_then(|v| {
        Service::parse(v).or_else(|| {
            p.push(RowProblem::UnknownService { value: echo(v) });
            None
        })
    });
    let bucket = filled(&cells[3], C::Bucket, p).and_then(|v| {
        Bucket::parse(v).or_else(|| {
            p.push(RowProblem::UnknownBucket { value: echo(v) });
            None
        })
    });
    if let (Some(service), Some(bucket)) = (service, bucket)
        && !service.serves(bucket)
    {
        p.push(RowProblem::ServiceBucketMismatch { service, bucket });
    }
    let bill_amount = filled(&cells[4], C::BillAmount, p).and_then(|v| parse_amount(v).map_err(|e| p.push(e)).ok());
    let agent_username = text_cell(&cells[5], C::AgentUsername, 64, p);
    let call_at = filled(&cells[6], C::CallAt, p).and_then(|v| {
        call_at_in_site(v, site_offset).or_else(|| {
            p.push(RowProblem::CallAtInvalid { value: echo(v) });
            None
        })
    });
    let reason = text_cell(&cells[7], C::Reason, 1000, p);
    let promise_date = filled(&cells[8], C::PromiseDate, p).and_then(|v| {
        parse_date(v).or_else(|| {
            p.push(RowProblem::PromiseDateInvalid { value: echo(v) });
            None
        })
    });
    if let (Some(promise), Some((call_date, _))) = (promise_date, call_at)
        && promise < call_date
    {
        p.push(RowProblem::PromiseBeforeCall);
    }
    let recording_ref = text_cell(&cells[9], C::RecordingRef, 100, p);
    if !problems.is_empty() {
        sort_problems(&mut problems);
        return Err(RowFaults { problems, agent_username });
    }
    // No fault noted: every cell was read.
    let (
        Some(customer_no),
        Some(customer_name),
        Some(service),
        Some(bucket),
        Some(bill_amount),
        Some(agent),
        Some((day, secs)),
        Some(reason),
        Some(promise_date),
        Some(recording_ref),
    ) = (
        customer_no,
        customer_name,
        service,
        bucket,
        bill_amount,
        agent_username,
        call_at,
        reason,
        promise_date,
        recording_ref,
    )
    else {
        // Not reached: a cell that was not read noted its fault.
        return Err(RowFaults { problems, agent_username: None });
    };
    Ok(ImportRow {
        customer_no,
        customer_name,
        service,
        bucket,
        bill_amount,
        agent_username: agent,
        call_at_local: format!("{day}T{:02}:{:02}:{:02}", secs / 3600, secs / 60 % 60, secs % 60),
        reason,
        promise_date,
        recording_ref,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cells(row: [&str; 10]) -> [String; 10] {
        row.map(String::from)
    }

    /// WIB, seconds east of UTC.
    const WIB: i32 = 7 * 3600;

    const GOOD: [&str; 10] = [
        "131234567890",
        "Budi Santoso",
        "CT-0",
        "N+2",
        "Rp 350.000",
        "agent1",
        "2026-11-27 09:15",
        "janji bayar gajian",
        "2026-11-29",
        "EB-0001",
    ];

    fn problems(row: &[String; 10]) -> Vec<RowProblem> {
        parse_row(row, WIB).unwrap_err().problems
    }

    #[test]
    fn a_good_row_is_normalised() {
        let row = parse_row(&cells(GOOD), WIB).unwrap();
        assert_eq!(row.service, Service::Ct0);
        assert_eq!(row.bucket, Bucket::N2);
        assert_eq!(row.bill_amount, 350_000);
        assert_eq!(row.call_at_local, "2026-11-27T09:15:00");
        assert_eq!(row.promise_date.to_string(), "2026-11-29");
    }

    #[test]
    fn every_kind_of_bad_cell_has_a_plain_reason() {
        let cases: [(usize, &str, &str); 14] = [
            (0, "", "customer_no is empty"),
            (2, "TV", "unknown service"),
            (2, " ", "service is empty"),
            (3, "N+3", "unknown bucket"),
            (3, "N", "service CT-0 does not serve bucket N"),
            (4, "-5000", "negative"),
            (4, "lima ribu", "not an amount"),
            (6, "2026-13-01 09:00", "bad call_at"),
            (6, "kemarin", "bad call_at"),
            (6, "2026-11-27T09:15:00+25:00", "bad call_at"),
            (8, "31/02/2026", "bad promise_date"),
            (8, "2026-11-01", "before the call"),
            (1, "Budi\u{0}", "control characters"),
            (5, "", "agent_username is empty"),
        ];
        for (col, value, reason) in cases {
            let mut row = cells(GOOD);
            row[col] = value.into();
            let said = super::super::problems_text(&problems(&row));
            assert!(said.contains(reason), "{col} {value:?}: {said}");
        }
    }

    #[test]
    fn the_sop_pairs_services_and_buckets() {
        for (service, bucket, good) in [
            ("CT-0", "N+2", true),
            ("CT-0", "N", false),
            ("CT-0", "N+1", false),
            ("PRANPC", "N", true),
            ("PRANPC", "N1", true),
            ("PRANPC", "N+2", false),
        ] {
            let mut row = cells(GOOD);
            (row[2], row[3]) = (service.into(), bucket.into());
            match parse_row(&row, WIB) {
                Ok(_) => assert!(good, "{service} {bucket}"),
                Err(faults) => {
                    assert!(!good, "{service} {bucket}");
                    let named = RowProblem::ServiceBucketMismatch {
                        service: Service::parse(service).unwrap(),
                        bucket: Bucket::parse(bucket).unwrap(),
                    };
                    assert_eq!(faults.problems, [named]);
                }
            }
        }
    }

    #[test]
    fn a_row_with_several_faults_lists_them_all_in_column_order() {
        let mut row = cells(GOOD);
        row[0] = String::new();
        row[3] = "N".into();
        row[4] = "-1".into();
        row[8] = "2026-11-01".into();
        let faults = parse_row(&row, WIB).unwrap_err();
        assert_eq!(
            faults.problems,
            [
                RowProblem::Empty { column: ImportColumn::CustomerNo },
                RowProblem::ServiceBucketMismatch { service: Service::Ct0, bucket: Bucket::N },
                RowProblem::AmountNegative,
                RowProblem::PromiseBeforeCall,
            ]
        );
        assert_eq!(faults.agent_username.as_deref(), Some("agent1"), "the agent can still be checked");
        // A fault of the whole row goes first; a good row becomes a refused one.
        let added = RowFaults::add(parse_row(&cells(GOOD), WIB), RowProblem::CellCount { cells: 11, columns: 10 });
        assert_eq!(added.problems, [RowProblem::CellCount { cells: 11, columns: 10 }]);
        assert_eq!(added.agent_username.as_deref(), Some("agent1"));
    }

    #[test]
    fn amounts_dates_and_labels_in_export_spellings() {
        assert_eq!(parse_amount("350000"), Ok(350_000));
        assert_eq!(parse_amount("350,000"), Ok(350_000));
        assert_eq!(parse_amount("350000.00"), Ok(350_000));
        assert_eq!(parse_amount("Rp350.000,00"), Ok(350_000));
        assert_eq!(parse_amount("99999999999999"), Err(RowProblem::AmountTooLarge));
        assert_eq!(parse_date("29/11/2026"), Date::parse("2026-11-29"));
        assert_eq!(parse_call_at("29/11/2026 08:05:09").map(|c| c.1), Some(8 * 3600 + 5 * 60 + 9));
        assert_eq!(parse_call_at("2026-11-29T24:00"), None);
        assert_eq!(Service::parse("ct 0"), Some(Service::Ct0));
        assert_eq!(Bucket::parse("n + 2"), Some(Bucket::N2));
        assert_eq!(serde_json::to_value(Service::Ct0).unwrap(), "CT0");
        assert_eq!(serde_json::to_value(Bucket::N1).unwrap(), "N1");
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
        // The promise is checked against the call's day at the site.
        let mut row = cells(GOOD);
        (row[6], row[8]) = ("2026-11-28T20:00:00Z".into(), "2026-11-28".into());
        assert_eq!(problems(&row), [RowProblem::PromiseBeforeCall]);
        row[8] = "2026-11-29".into();
        assert_eq!(parse_row(&row, WIB).unwrap().call_at_local, "2026-11-29T03:00:00");
    }

    #[test]
    fn values_are_quoted_briefly() {
        let mut row = cells(GOOD);
        row[2] = "TV".repeat(10_000);
        let said = problems(&row);
        let RowProblem::UnknownService { value } = &said[0] else { panic!("{said:?}") };
        assert!(value.chars().count() <= 41 && value.ends_with('…'), "{value}");
    }
}
