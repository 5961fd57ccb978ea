//! The rules of the agree import that need no database: the export's columns and the header's
//! check, one row's parsing and checking (amounts, dates and call times as exports spell them),
//! how a refusal quotes the file, the import's bounds, and the import's answer.

use super::{Bucket, Service};
use crate::dates::Date;
use serde::{Deserialize, Serialize};

/// The columns of a MyCX/TAMARA agree export, in order.
pub const IMPORT_COLUMNS: [&str; 10] = [
    "customer_no",
    "customer_name",
    "service",
    "bucket",
    "bill_amount",
    "agent_username",
    "call_at",
    "reason",
    "promise_date",
    "recording_ref",
];

/// Most data rows (after the header; blank rows not counted) one import file may hold, CSV or
/// XLSX. A larger file is refused whole, and nothing of it is stored.
pub const IMPORT_MAX_ROWS: u64 = 1_000_000;

/// Refused rows listed in the answer of an import; the rest are counted
/// ([`ImportResult::rejected_total`]) and all can be downloaded as CSV.
pub const IMPORT_REJECTED_LISTED: usize = 1_000;

/// Characters of the file's own text quoted back in a refusal (a cell, a column name); longer
/// text is cut and ends in `…`.
pub const ECHO_CHARS: usize = 40;

/// Unknown column names listed in a header's refusal; the rest are counted.
const ECHO_NAMES: usize = 5;

/// The refusal of a file with more than [`IMPORT_MAX_ROWS`] data rows.
pub fn too_many_rows() -> String {
    format!("the file has more than {} rows; split it into smaller files", IMPORT_MAX_ROWS_TEXT)
}

/// [`IMPORT_MAX_ROWS`] as the English messages write it.
pub const IMPORT_MAX_ROWS_TEXT: &str = "1,000,000";

/// Checks a header row: every column present once, nothing else. Names are compared trimmed
/// and case-insensitively; the order may differ. Returns, for each of [`IMPORT_COLUMNS`], its
/// index in the file. The refusal quotes at most a few names, each cut to [`ECHO_CHARS`].
pub fn map_header(header: &[String]) -> Result<[usize; 10], String> {
    let mut at = [usize::MAX; 10];
    let mut extra = Vec::new();
    let mut more = 0usize;
    for (i, cell) in header.iter().enumerate() {
        let name = cell.trim().trim_start_matches('\u{feff}');
        match IMPORT_COLUMNS.iter().position(|c| c.eq_ignore_ascii_case(name)) {
            Some(c) if at[c] == usize::MAX => at[c] = i,
            Some(c) => return Err(format!("column {} appears twice", IMPORT_COLUMNS[c])),
            None if extra.len() >= ECHO_NAMES => more += 1,
            None if name.is_empty() => extra.push(format!("(empty, column {})", i + 1)),
            None => extra.push(echo(&name.to_lowercase())),
        }
    }
    let mut extra = extra.join(", ");
    if more > 0 {
        extra.push_str(&format!(" and {more} more"));
    }
    let missing: Vec<&str> = IMPORT_COLUMNS.iter().zip(at).filter(|(_, i)| *i == usize::MAX).map(|(c, _)| *c).collect();
    match (missing.is_empty(), extra.is_empty()) {
        (true, true) => Ok(at),
        (false, true) => Err(format!("missing columns: {}", missing.join(", "))),
        (true, false) => Err(format!("unexpected columns: {extra}")),
        (false, false) => Err(format!("missing columns: {}; unexpected columns: {extra}", missing.join(", "))),
    }
}

/// The file's own text as a refusal quotes it: trimmed, at most [`ECHO_CHARS`] characters, cut
/// text ending in `…`.
pub fn echo(text: &str) -> String {
    let t = text.trim();
    match t.char_indices().nth(ECHO_CHARS) {
        Some((cut, _)) => format!("{}…", &t[..cut]),
        None => t.to_owned(),
    }
}

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
    /// The call time as written, normalised to `YYYY-MM-DDTHH:MM:SS` (site local time).
    pub call_at_local: String,
    pub reason: String,
    pub promise_date: Date,
    pub recording_ref: String,
}

fn text_cell(value: &str, field: &str, max: usize, required: bool) -> Result<String, String> {
    let v = value.trim();
    if v.chars().any(|c| c.is_control()) {
        return Err(format!("{field} contains control characters"));
    }
    if required && v.is_empty() {
        return Err(format!("{field} is empty"));
    }
    if v.chars().count() > max {
        return Err(format!("{field} is longer than {max} characters"));
    }
    Ok(v.to_string())
}

/// Rupiah as exports write it: `350000`, `350.000`, `Rp 350.000`, `350000.00`, `350,000`.
pub fn parse_amount(text: &str) -> Result<i64, String> {
    let t = text.trim();
    let t = t.strip_prefix("Rp").or_else(|| t.strip_prefix("RP")).or_else(|| t.strip_prefix("rp")).unwrap_or(t).trim();
    if t.starts_with('-') {
        return Err("bill_amount is negative".into());
    }
    // A trailing ".00"/",00" is cents; other separators group thousands.
    let t = t.strip_suffix(".00").or_else(|| t.strip_suffix(",00")).or_else(|| t.strip_suffix(".0")).unwrap_or(t);
    let digits: String = t.chars().filter(|c| !matches!(c, '.' | ',' | ' ')).collect();
    if digits.is_empty() || !digits.bytes().all(|c| c.is_ascii_digit()) {
        return Err(format!("bill_amount is not an amount: {}", shorten(text)));
    }
    if digits.len() > 13 {
        return Err("bill_amount is too large".into());
    }
    digits.parse().map_err(|_| "bill_amount is not an amount".into())
}

fn shorten(text: &str) -> String {
    format!("\"{}\"", echo(text))
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

/// A call time: `2026-11-29 09:15[:00]`, `2026-11-29T09:15:00`, `29/11/2026 09:15[:00]`.
/// Returns the date and seconds since midnight.
pub fn parse_call_at(text: &str) -> Option<(Date, u32)> {
    let t = text.trim();
    let (date, time) = t.split_once('T').or_else(|| t.split_once(' '))?;
    let date = parse_date(date)?;
    let mut parts = time.trim().split(':');
    let h: u32 = parts.next()?.parse().ok()?;
    let m: u32 = parts.next()?.parse().ok()?;
    let s: u32 = match parts.next() {
        Some(s) => s.split('.').next()?.parse().ok()?,
        None => 0,
    };
    if parts.next().is_some() || h > 23 || m > 59 || s > 59 {
        return None;
    }
    Some((date, h * 3600 + m * 60 + s))
}

/// Checks one data row (cells in the order of [`IMPORT_COLUMNS`]). The error is the reason
/// shown to the importer, in plain words. Unknown agents are found by the server.
pub fn parse_row(cells: &[String; 10]) -> Result<ImportRow, String> {
    let customer_no = text_cell(&cells[0], "customer_no", 40, true)?;
    let customer_name = text_cell(&cells[1], "customer_name", 200, true)?;
    let service =
        Service::parse(&cells[2]).ok_or_else(|| format!("unknown service {} (CT-0 or PRANPC)", shorten(&cells[2])))?;
    let bucket =
        Bucket::parse(&cells[3]).ok_or_else(|| format!("unknown bucket {} (N, N+1 or N+2)", shorten(&cells[3])))?;
    let bill_amount = parse_amount(&cells[4])?;
    let agent_username = text_cell(&cells[5], "agent_username", 64, true)?;
    let (call_date, secs) =
        parse_call_at(&cells[6]).ok_or_else(|| format!("bad call_at {} (YYYY-MM-DD HH:MM)", shorten(&cells[6])))?;
    let reason = text_cell(&cells[7], "reason", 1000, false)?;
    let promise_date =
        parse_date(&cells[8]).ok_or_else(|| format!("bad promise_date {} (YYYY-MM-DD)", shorten(&cells[8])))?;
    if promise_date < call_date {
        return Err("promise_date is before the call".into());
    }
    let recording_ref = text_cell(&cells[9], "recording_ref", 100, false)?;
    Ok(ImportRow {
        customer_no,
        customer_name,
        service,
        bucket,
        bill_amount,
        agent_username,
        call_at_local: format!("{call_date}T{:02}:{:02}:{:02}", secs / 3600, secs / 60 % 60, secs % 60),
        reason,
        promise_date,
        recording_ref,
    })
}

/// A row the import refused.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RejectedRow {
    /// As a spreadsheet numbers it: the header is row 1.
    pub row: u64,
    pub error: String,
}

/// `POST /api/cases/import`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ImportResult {
    /// The import's record; `GET /api/imports/{import_id}/rejections.csv` lists every refused row.
    pub import_id: i64,
    pub imported: u64,
    pub duplicates: u64,
    /// The first [`IMPORT_REJECTED_LISTED`] refused rows, by row number.
    pub rejected: Vec<RejectedRow>,
    /// Every refused row, listed or not.
    pub rejected_total: u64,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cells(row: [&str; 10]) -> [String; 10] {
        row.map(String::from)
    }

    const GOOD: [&str; 10] = [
        "131234567890",
        "Budi Santoso",
        "CT-0",
        "N+1",
        "Rp 350.000",
        "agent1",
        "2026-11-27 09:15",
        "janji bayar gajian",
        "2026-12-01",
        "EB-0001",
    ];

    #[test]
    fn a_good_row_is_normalised() {
        let row = parse_row(&cells(GOOD)).unwrap();
        assert_eq!(row.service, Service::Ct0);
        assert_eq!(row.bucket, Bucket::N1);
        assert_eq!(row.bill_amount, 350_000);
        assert_eq!(row.call_at_local, "2026-11-27T09:15:00");
        assert_eq!(row.promise_date.to_string(), "2026-12-01");
    }

    #[test]
    fn every_kind_of_bad_cell_has_a_plain_reason() {
        let cases: [(usize, &str, &str); 11] = [
            (0, "", "customer_no is empty"),
            (2, "TV", "unknown service"),
            (3, "N+3", "unknown bucket"),
            (4, "-5000", "negative"),
            (4, "lima ribu", "not an amount"),
            (6, "2026-13-01 09:00", "bad call_at"),
            (6, "kemarin", "bad call_at"),
            (8, "31/02/2026", "bad promise_date"),
            (8, "2026-11-01", "before the call"),
            (1, "Budi\u{0}", "control characters"),
            (5, "", "agent_username is empty"),
        ];
        for (col, value, reason) in cases {
            let mut row = cells(GOOD);
            row[col] = value.into();
            let err = parse_row(&row).unwrap_err();
            assert!(err.contains(reason), "{col} {value:?}: {err}");
        }
    }

    #[test]
    fn amounts_dates_and_labels_in_export_spellings() {
        assert_eq!(parse_amount("350000"), Ok(350_000));
        assert_eq!(parse_amount("350,000"), Ok(350_000));
        assert_eq!(parse_amount("350000.00"), Ok(350_000));
        assert_eq!(parse_amount("Rp350.000,00"), Ok(350_000));
        assert!(parse_amount("99999999999999").is_err());
        assert_eq!(parse_date("29/11/2026"), Date::parse("2026-11-29"));
        assert_eq!(parse_call_at("29/11/2026 08:05:09").map(|c| c.1), Some(8 * 3600 + 5 * 60 + 9));
        assert_eq!(parse_call_at("2026-11-29T24:00"), None);
        assert_eq!(Service::parse("ct 0"), Some(Service::Ct0));
        assert_eq!(Bucket::parse("n + 2"), Some(Bucket::N2));
        assert_eq!(serde_json::to_value(Service::Ct0).unwrap(), "CT0");
        assert_eq!(serde_json::to_value(Bucket::N1).unwrap(), "N1");
    }

    #[test]
    fn headers_must_have_exactly_the_columns() {
        let header: Vec<String> = IMPORT_COLUMNS.iter().rev().map(|c| c.to_uppercase()).collect();
        let at = map_header(&header).unwrap();
        assert_eq!(at[0], 9);
        let short: Vec<String> = IMPORT_COLUMNS[..9].iter().map(|c| c.to_string()).collect();
        assert_eq!(map_header(&short).unwrap_err(), "missing columns: recording_ref");
        let mut long: Vec<String> = IMPORT_COLUMNS.iter().map(|c| c.to_string()).collect();
        long.push("notes".into());
        assert_eq!(map_header(&long).unwrap_err(), "unexpected columns: notes");
        let mut bom: Vec<String> = IMPORT_COLUMNS.iter().map(|c| c.to_string()).collect();
        bom[0] = "\u{feff}customer_no".into();
        assert!(map_header(&bom).is_ok());
    }

    #[test]
    fn the_row_cap_reads_as_its_number() {
        assert_eq!(IMPORT_MAX_ROWS_TEXT.replace(',', "").parse::<u64>(), Ok(IMPORT_MAX_ROWS));
    }

    #[test]
    fn refusals_quote_the_file_briefly() {
        // A header of one 2 MB cell, and one of 100,000 unknown names.
        let mut huge: Vec<String> = IMPORT_COLUMNS.iter().map(|c| c.to_string()).collect();
        huge.push("x".repeat(2_000_000));
        let said = map_header(&huge).unwrap_err();
        assert_eq!(said, format!("unexpected columns: {}…", "x".repeat(ECHO_CHARS)));
        let many: Vec<String> = (0..100_000).map(|i| format!("kolom{i}")).collect();
        let said = map_header(&many).unwrap_err();
        assert!(said.len() < 400, "{said}");
        assert!(said.ends_with("kolom4 and 99995 more"), "{said}");
        // A cell value quoted in a row's refusal.
        let mut row = cells(GOOD);
        row[2] = "TV".repeat(10_000);
        let said = parse_row(&row).unwrap_err();
        assert!(said.chars().count() < 100 && said.contains("…\""), "{said}");
        assert_eq!(echo("  Budi  "), "Budi");
    }
}
