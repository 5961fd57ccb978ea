//! One data row of the agree import: its cells checked and normalised (amounts as exports spell
//! them, dates and call times by `call_time`, the SOP's pairs of service and bucket), and every
//! fault of it listed, not only the first.

use super::{Bucket, ImportColumn, RowProblem, Service, call_at_in_site, echo, parse_date, sort_problems};
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
    fn amounts_and_labels_in_export_spellings() {
        assert_eq!(parse_amount("350000"), Ok(350_000));
        assert_eq!(parse_amount("350,000"), Ok(350_000));
        assert_eq!(parse_amount("350000.00"), Ok(350_000));
        assert_eq!(parse_amount("Rp350.000,00"), Ok(350_000));
        assert_eq!(parse_amount("99999999999999"), Err(RowProblem::AmountTooLarge));
        assert_eq!(Service::parse("ct 0"), Some(Service::Ct0));
        assert_eq!(Bucket::parse("n + 2"), Some(Bucket::N2));
        assert_eq!(serde_json::to_value(Service::Ct0).unwrap(), "CT0");
        assert_eq!(serde_json::to_value(Bucket::N1).unwrap(), "N1");
    }

    #[test]
    fn a_call_time_with_an_offset_is_checked_on_the_sites_day() {
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
