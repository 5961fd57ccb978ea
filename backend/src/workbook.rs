//! What every workbook in the forms' own layout shares: the cell styles and the header block a
//! controlled form carries on paper ([`FormHeader`]: title, *Kode Dokumen* with its revision,
//! *Revisi*, *Tanggal Berlaku*), followed by the export's own label / value rows. Every text a
//! user typed goes through [`spreadsheet_safe`].

use crate::documents::service::FormHeader;
use crate::error::ApiError;
use domain::cases::spreadsheet_safe;
use rust_xlsxwriter::{Format, FormatAlign, FormatBorder, Worksheet, XlsxError};

/// A failed write, as the API answers it.
pub fn failed(e: XlsxError) -> ApiError {
    ApiError::Internal(anyhow::anyhow!("writing the workbook failed: {e}"))
}

/// The styles of the forms' tables.
pub struct Styles {
    pub title: Format,
    pub bold: Format,
    pub head: Format,
    pub cell: Format,
    pub wrap: Format,
    pub number: Format,
    pub decimal: Format,
    pub total: Format,
    pub total_decimal: Format,
}

impl Default for Styles {
    fn default() -> Self {
        let border = || Format::new().set_border(FormatBorder::Thin);
        Styles {
            title: Format::new().set_bold().set_font_size(14),
            bold: Format::new().set_bold(),
            head: border()
                .set_bold()
                .set_text_wrap()
                .set_align(FormatAlign::Center)
                .set_align(FormatAlign::VerticalCenter)
                .set_background_color("#DDE6F0"),
            cell: border(),
            wrap: border().set_text_wrap().set_align(FormatAlign::Top),
            number: border().set_num_format("#,##0"),
            decimal: border().set_num_format("0.00"),
            total: border().set_bold().set_num_format("#,##0"),
            total_decimal: border().set_bold().set_num_format("0.00"),
        }
    }
}

/// Writes the header block from row 0: the title (`code — title`), the register's rows, then
/// `extra`, labels in column A and values in column C. Answers the first row after a blank one.
pub fn header_block(
    sheet: &mut Worksheet,
    styles: &Styles,
    header: &FormHeader,
    extra: &[(&str, String)],
) -> Result<u32, XlsxError> {
    sheet.write_string_with_format(
        0,
        0,
        spreadsheet_safe(&format!("{} — {}", header.code, header.title)),
        &styles.title,
    )?;
    let register = header.rows();
    let rows = register.iter().map(|(l, v)| (*l, v)).chain(extra.iter().map(|(l, v)| (*l, v)));
    let mut r = 1;
    for (label, value) in rows {
        sheet.write_string_with_format(r, 0, label, &styles.bold)?;
        sheet.write_string(r, 2, spreadsheet_safe(value))?;
        r += 1;
    }
    Ok(r + 1)
}

/// An instant in the site zone as the forms write it: `2026-11-29 14:30 WIB`.
pub fn local(state: &crate::state::AppState, at: chrono::DateTime<chrono::Utc>) -> String {
    use crate::site_time::{offset, zone_label};
    format!("{} {}", at.with_timezone(&offset(state)).format("%Y-%m-%d %H:%M"), zone_label(state))
}

/// [`local`] of an RFC 3339 text the API views carry (empty when it does not parse).
pub fn local_text(state: &crate::state::AppState, at: &str) -> String {
    chrono::DateTime::parse_from_rfc3339(at).map(|d| local(state, d.to_utc())).unwrap_or_default()
}
