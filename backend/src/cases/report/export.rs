//! The F-19 report written out: the CSV (UTF-8 with a BOM) and the XLSX workbook, both with the
//! same header block and columns, every text cell through [`domain::cases::spreadsheet_safe`].

use super::{F19_TITLE, names};
use crate::db::now;
use crate::error::{ApiError, ApiResult};
use crate::site_time::{offset, zone_label};
use crate::state::AppState;
use chrono::{DateTime, Utc};
use domain::cases::{F19Counts, F19Report, spreadsheet_safe};
use rust_xlsxwriter::{Format, Worksheet, XlsxError};

/// The team's name for the header block.
async fn team_label(state: &AppState, report: &F19Report) -> ApiResult<String> {
    let Some(team) = report.team_id else { return Ok("Semua tim / All teams".into()) };
    let (_, teams) = names(&state.db.conn).await?;
    Ok(i32::try_from(team).ok().and_then(|t| teams.get(&t).cloned()).unwrap_or_else(|| format!("#{team}")))
}

/// The export time in the site zone: `2026-11-29 14:30 WIB`.
fn local_time(state: &AppState, at: &str) -> String {
    let at = DateTime::parse_from_rfc3339(at).map(|d| d.with_timezone(&Utc)).unwrap_or_else(|_| now());
    format!("{} {}", at.with_timezone(&offset(state)).format("%Y-%m-%d %H:%M"), zone_label(state))
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

fn header_block(state: &AppState, report: &F19Report, team: &str) -> Vec<(String, String)> {
    vec![
        ("Kode formulir / Form code".into(), report.form_code.clone()),
        ("Formulir / Form".into(), F19_TITLE.into()),
        ("Periode / Period".into(), format!("{} s/d {}", report.from, report.to)),
        ("Tim / Team".into(), team.to_owned()),
        ("Diekspor / Exported".into(), local_time(state, &report.generated_at)),
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
    let mut writer = csv::WriterBuilder::new().flexible(true).from_writer(Vec::new());
    let err = |e: csv::Error| ApiError::Internal(anyhow::anyhow!("writing the CSV failed: {e}"));
    for (label, value) in header_block(state, report, &team) {
        writer.write_record([spreadsheet_safe(&label), spreadsheet_safe(&value)]).map_err(err)?;
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

pub async fn xlsx(state: &AppState, report: &F19Report) -> ApiResult<Vec<u8>> {
    use rust_xlsxwriter::{FormatAlign, FormatBorder, Workbook};
    let team = team_label(state, report).await?;
    let err = |e: XlsxError| ApiError::Internal(anyhow::anyhow!("writing the workbook failed: {e}"));
    let mut workbook = Workbook::new();
    let sheet = workbook.add_worksheet();
    sheet.set_name("F-19").map_err(err)?;
    let title = Format::new().set_bold().set_font_size(14);
    let bold = Format::new().set_bold();
    let head = Format::new()
        .set_bold()
        .set_text_wrap()
        .set_align(FormatAlign::Center)
        .set_border(FormatBorder::Thin)
        .set_background_color("#DDE6F0");
    let cell = Format::new().set_border(FormatBorder::Thin);
    let number = Format::new().set_border(FormatBorder::Thin).set_num_format("#,##0");
    let percent = Format::new().set_border(FormatBorder::Thin).set_num_format("0.00");
    let total = Format::new().set_bold().set_border(FormatBorder::Thin).set_num_format("#,##0");
    let total_rate = Format::new().set_bold().set_border(FormatBorder::Thin).set_num_format("0.00");

    sheet
        .write_string_with_format(0, 0, spreadsheet_safe(&format!("{} — {}", report.form_code, F19_TITLE)), &title)
        .map_err(err)?;
    for (i, (label, value)) in header_block(state, report, &team).into_iter().enumerate() {
        let r = 1 + i as u32;
        sheet.write_string_with_format(r, 0, spreadsheet_safe(&label), &bold).map_err(err)?;
        sheet.write_string(r, 2, spreadsheet_safe(&value)).map_err(err)?;
    }
    let header_row = 7u32;
    for (c, text) in HEADERS.iter().enumerate() {
        sheet.write_string_with_format(header_row, c as u16, spreadsheet_safe(text), &head).map_err(err)?;
    }
    let mut r = header_row + 1;
    for row in &report.rows {
        let c = &row.counts;
        sheet
            .write_string_with_format(r, 0, spreadsheet_safe(row.team_name.as_deref().unwrap_or("-")), &cell)
            .map_err(err)?;
        sheet.write_string_with_format(r, 1, spreadsheet_safe(&row.agent_username), &cell).map_err(err)?;
        sheet.write_string_with_format(r, 2, spreadsheet_safe(&row.agent_name), &cell).map_err(err)?;
        sheet.write_string_with_format(r, 3, row.service.label(), &cell).map_err(err)?;
        sheet.write_string_with_format(r, 4, row.bucket.label(), &cell).map_err(err)?;
        write_counts(sheet, r, c, &number, &percent).map_err(err)?;
        r += 1;
    }
    sheet.write_string_with_format(r, 0, "Total", &total).map_err(err)?;
    for c in 1..5u16 {
        sheet.write_blank(r, c, &total).map_err(err)?;
    }
    write_counts(sheet, r, &report.totals, &total, &total_rate).map_err(err)?;
    sheet.set_column_width(0, 12).map_err(err)?;
    sheet.set_column_width(1, 12).map_err(err)?;
    sheet.set_column_width(2, 22).map_err(err)?;
    for c in 3..HEADERS.len() as u16 {
        sheet.set_column_width(c, 13).map_err(err)?;
    }
    sheet.set_row_height(header_row, 45).map_err(err)?;
    sheet.set_freeze_panes(header_row + 1, 0).map_err(err)?;
    workbook.save_to_buffer().map_err(err)
}
