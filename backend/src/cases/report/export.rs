//! The F-19 report written out: the CSV (UTF-8 with a BOM) and the XLSX workbook, both with the
//! register's header block and the same columns (the workbook adds the cases behind them, see
//! `super::case_rows`), every text cell through [`domain::cases::spreadsheet_safe`].

use super::{F19_TITLE, names};
use crate::db::now;
use crate::documents::service::{FormHeader, form_header};
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;
use crate::workbook::{Styles, failed, header_block, local_text};
use chrono::DateTime;
use domain::cases::{F19Counts, F19Report, spreadsheet_safe};
use rust_xlsxwriter::{Format, Workbook, Worksheet, XlsxError};

/// The team's name for the header block.
async fn team_label(state: &AppState, report: &F19Report) -> ApiResult<String> {
    let Some(team) = report.team_id else { return Ok("Semua tim / All teams".into()) };
    let (_, teams) = names(&state.db.conn).await?;
    Ok(i32::try_from(team).ok().and_then(|t| teams.get(&t).cloned()).unwrap_or_else(|| format!("#{team}")))
}

const HEADERS: [&str; 16] = [
    "Tim / Team",
    "Username",
    "Agent",
    "Layanan / Service",
    "Bucket",
    "Diimpor / Imported",
    "Divalidasi / Validated",
    "Approved",
    "Return",
    "Approval rate (%)",
    "Return selesai tepat waktu / Closed in time",
    "Return terbuka / Open",
    "Return terlambat / Overdue",
    "Re-care agent tepat waktu / Agent re-cared in time",
    "Verifikasi QC tepat waktu / QC verified in time",
    "Verifikasi QC terlambat / QC verification overdue",
];

/// Columns 6–16 of a row or of the totals, in both exports: four counts, the approval rate and
/// the six return counts (closed in time, open, the agent's overdue, then the agent's and QC's
/// punctuality apart, and QC's overdue).
fn count_columns(c: &F19Counts) -> ([u64; 4], Option<f64>, [u64; 6]) {
    (
        [c.imported, c.validated, c.approved, c.returned],
        c.approval_rate,
        [
            c.returns_closed_in_time,
            c.returns_open,
            c.returns_overdue,
            c.returns_recared_in_time,
            c.returns_verified_in_time,
            c.returns_verify_overdue,
        ],
    )
}

fn csv_counts(c: &F19Counts) -> impl Iterator<Item = String> {
    let (counts, rate, returns) = count_columns(c);
    let rate = rate.map(|r| format!("{r:.2}")).unwrap_or_default();
    counts
        .into_iter()
        .map(|n| n.to_string())
        .chain(std::iter::once(rate))
        .chain(returns.into_iter().map(|n| n.to_string()))
}

/// Writes [`count_columns`] into row `r` of the sheet from column 5 on.
fn write_counts(
    sheet: &mut Worksheet,
    r: u32,
    c: &F19Counts,
    number: &Format,
    rate_format: &Format,
) -> Result<(), XlsxError> {
    let (counts, rate, returns) = count_columns(c);
    for (i, n) in counts.into_iter().enumerate() {
        sheet.write_number_with_format(r, 5 + i as u16, n as f64, number)?;
    }
    match rate {
        Some(rate) => sheet.write_number_with_format(r, 9, rate, rate_format)?,
        None => sheet.write_blank(r, 9, rate_format)?,
    };
    for (i, n) in returns.into_iter().enumerate() {
        sheet.write_number_with_format(r, 10 + i as u16, n as f64, number)?;
    }
    Ok(())
}

/// The register's header of F-19 as it stands when the report is made.
async fn register_header(state: &AppState, report: &F19Report) -> ApiResult<FormHeader> {
    let at = DateTime::parse_from_rfc3339(&report.generated_at).map(|d| d.to_utc()).unwrap_or_else(|_| now());
    form_header(&state.db.conn, &report.form_code, at, F19_TITLE).await
}

/// The export's own rows below the register's.
fn report_rows(state: &AppState, report: &F19Report, team: &str) -> [(&'static str, String); 3] {
    [
        ("Periode / Period", format!("{} s/d {}", report.from, report.to)),
        ("Tim / Team", team.to_owned()),
        ("Diekspor / Exported", local_text(state, &report.generated_at)),
    ]
}

pub fn file_name(report: &F19Report, ext: &str) -> String {
    format!(
        "F-19_{}_{}{}.{ext}",
        report.from,
        report.to,
        report.team_id.map(|t| format!("_tim{t}")).unwrap_or_default()
    )
}

pub async fn csv(state: &AppState, report: &F19Report) -> ApiResult<Vec<u8>> {
    let team = team_label(state, report).await?;
    let header = register_header(state, report).await?;
    let mut writer = csv::WriterBuilder::new().flexible(true).from_writer(Vec::new());
    let err = |e: csv::Error| ApiError::Internal(anyhow::anyhow!("writing the CSV failed: {e}"));
    let title = [("Formulir / Form", F19_TITLE.to_owned())];
    for (label, value) in title.into_iter().chain(header.rows()).chain(report_rows(state, report, &team)) {
        writer.write_record([spreadsheet_safe(label), spreadsheet_safe(&value)]).map_err(err)?;
    }
    writer.write_record([""]).map_err(err)?;
    writer.write_record(HEADERS.map(spreadsheet_safe)).map_err(err)?;
    for row in &report.rows {
        let c = &row.counts;
        writer
            .write_record(
                [
                    spreadsheet_safe(row.team_name.as_deref().unwrap_or("-")),
                    spreadsheet_safe(&row.agent_username),
                    spreadsheet_safe(&row.agent_name),
                    row.service.label().into(),
                    row.bucket.label().into(),
                ]
                .into_iter()
                .chain(csv_counts(c)),
            )
            .map_err(err)?;
    }
    let blanks = std::iter::repeat_n(String::new(), 4);
    writer
        .write_record(std::iter::once("Total".to_owned()).chain(blanks).chain(csv_counts(&report.totals)))
        .map_err(err)?;
    let mut bytes = b"\xEF\xBB\xBF".to_vec(); // a BOM, so spreadsheets read UTF-8
    bytes.extend(writer.into_inner().map_err(|e| ApiError::Internal(anyhow::anyhow!("writing the CSV failed: {e}")))?);
    Ok(bytes)
}

/// The F-19 workbook: the summary under the register's header block, and a second worksheet of
/// the cases behind it (at most [`CASES_MAX`]; above that it says so and names the count).
pub async fn xlsx(state: &AppState, report: &F19Report) -> ApiResult<Vec<u8>> {
    let team = team_label(state, report).await?;
    let header = register_header(state, report).await?;
    let s = Styles::default();
    let mut workbook = Workbook::new();
    let sheet = workbook.add_worksheet();
    sheet.set_name("F-19").map_err(failed)?;
    let header_row = header_block(sheet, &s, &header, &report_rows(state, report, &team)).map_err(failed)?;
    write_summary(sheet, &s, report, header_row).map_err(failed)?;
    let cases = workbook.add_worksheet_with_constant_memory().map_err(failed)?;
    cases.set_name("Rincian").map_err(failed)?;
    super::case_rows::write(state, cases, &s, report, &header, &team).await?;
    workbook.save_to_buffer().map_err(failed)
}

fn write_summary(sheet: &mut Worksheet, s: &Styles, report: &F19Report, header_row: u32) -> Result<(), XlsxError> {
    for (c, text) in HEADERS.iter().enumerate() {
        sheet.write_string_with_format(header_row, c as u16, spreadsheet_safe(text), &s.head)?;
    }
    let mut r = header_row + 1;
    for row in &report.rows {
        let c = &row.counts;
        sheet.write_string_with_format(r, 0, spreadsheet_safe(row.team_name.as_deref().unwrap_or("-")), &s.cell)?;
        sheet.write_string_with_format(r, 1, spreadsheet_safe(&row.agent_username), &s.cell)?;
        sheet.write_string_with_format(r, 2, spreadsheet_safe(&row.agent_name), &s.cell)?;
        sheet.write_string_with_format(r, 3, row.service.label(), &s.cell)?;
        sheet.write_string_with_format(r, 4, row.bucket.label(), &s.cell)?;
        write_counts(sheet, r, c, &s.number, &s.decimal)?;
        r += 1;
    }
    sheet.write_string_with_format(r, 0, "Total", &s.total)?;
    for c in 1..5u16 {
        sheet.write_blank(r, c, &s.total)?;
    }
    write_counts(sheet, r, &report.totals, &s.total, &s.total_decimal)?;
    sheet.set_column_width(0, 12)?;
    sheet.set_column_width(1, 12)?;
    sheet.set_column_width(2, 22)?;
    for c in 3..HEADERS.len() as u16 {
        sheet.set_column_width(c, 13)?;
    }
    sheet.set_row_height(header_row, 45)?;
    sheet.set_freeze_panes(header_row + 1, 0)?;
    Ok(())
}
