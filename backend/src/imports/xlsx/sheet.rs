//! The sheet, streamed row by row: cell references, the declared dimension, cells typed (shared
//! and inline strings, numbers, booleans, errors, dates in either date system).

use super::shared_strings::SharedStrings;
use super::xml::{Xml, XmlError, push_reference, raw_attribute};
use super::{Cell, Limits, WorkbookBound, XlsxError};
use chrono::{NaiveDate, NaiveDateTime, TimeDelta, Timelike};
use quick_xml::events::Event;
use std::io::Read;

/// What types a number: the cell formats that are dates, and the date system.
pub(super) struct Types {
    pub(super) date_styles: Vec<bool>,
    pub(super) date1904: bool,
}

/// A cell reference `BC12` → (row 12, column index 54); either part may be missing.
fn cell_ref(r: &[u8]) -> (Option<u64>, Option<usize>) {
    let letters = r.iter().take_while(|b| b.is_ascii_alphabetic()).count();
    let column = (1..=3)
        .contains(&letters)
        .then(|| r[..letters].iter().fold(0usize, |n, b| n * 26 + usize::from(b.to_ascii_uppercase() - b'A') + 1) - 1);
    let row = std::str::from_utf8(&r[letters..]).ok().and_then(|d| d.parse::<u64>().ok()).filter(|n| *n > 0);
    (row, column)
}

/// Rows the dimension `A1:J3000001` spans after its first.
pub(super) fn dimension_rows(reference: &[u8]) -> Option<u64> {
    let text = std::str::from_utf8(reference).ok()?;
    let (first, last) = text.split_once(':').unwrap_or((text, text));
    let (first, last) = (cell_ref(first.as_bytes()).0?, cell_ref(last.as_bytes()).0?);
    Some(last.saturating_sub(first))
}

/// An Excel serial day number as a date and time (Excel's 1900 leap-year bug kept, as
/// calamine does); `None` outside Excel's range (0 to 9999-12-31).
fn excel_date(serial: f64, date1904: bool) -> Option<NaiveDateTime> {
    if !(0.0..2_958_466.0).contains(&serial) {
        return None;
    }
    let serial = if date1904 { serial + 1462.0 } else { serial };
    let serial = if serial < 60.0 { serial + 1.0 } else { serial };
    let epoch = NaiveDate::from_ymd_opt(1899, 12, 30)?.and_hms_opt(0, 0, 0)?;
    let at = epoch.checked_add_signed(TimeDelta::milliseconds((serial * 86_400_000.0).round() as i64))?;
    at.with_nanosecond(0)
}

/// The cell of `<c t=… s=…><v>value</v></c>` (or its inline string).
fn typed_cell(kind: &str, style: usize, value: &str, shared: &SharedStrings, types: &Types) -> Option<Cell> {
    Some(match kind {
        "s" => Cell::Text(shared.get(value.trim().parse().ok()?)?.to_owned()),
        "str" | "inlineStr" | "d" => Cell::Text(value.to_owned()),
        "b" => Cell::Bool(matches!(value.trim(), "1" | "true")),
        "e" => Cell::Error(value.to_owned()),
        _ if value.trim().is_empty() => Cell::Empty,
        _ => {
            let text = value.trim();
            if types.date_styles.get(style).copied().unwrap_or(false)
                && let Some(date) = text.parse::<f64>().ok().and_then(|f| excel_date(f, types.date1904))
            {
                Cell::Date(date)
            } else if let Ok(i) = text.parse::<i64>() {
                Cell::Int(i)
            } else if let Ok(f) = text.parse::<f64>() {
                Cell::Float(f)
            } else {
                Cell::Text(value.to_owned())
            }
        }
    })
}

/// The cell being read.
struct Open {
    column: usize,
    kind: String,
    style: usize,
}

pub(super) fn read_sheet<R: Read>(
    mut xml: Xml<R>,
    shared: &SharedStrings,
    types: &Types,
    limits: &Limits,
    on_row: &mut impl FnMut(u64, &[Cell]) -> bool,
) -> Result<(), XlsxError> {
    let too_long_cell = || XlsxError::TooLarge(WorkbookBound::CellChars, (limits.cell_bytes / 4) as u64);
    let mut cells: Vec<Cell> = Vec::new();
    let mut value = String::new();
    let (mut row, mut last_row): (Option<u64>, u64) = (None, 0);
    let mut next_column = 0usize;
    let mut cell: Option<Open> = None;
    // Inside `<v>`, or inside `<t>` of an inline string (outside phonetic runs).
    let (mut in_value, mut in_inline, mut phonetic) = (false, false, 0u32);
    loop {
        let event = match xml.next() {
            Ok(event) => event,
            Err(XmlError::Bound(e)) => return Err(e),
            Err(XmlError::Syntax) => return Err(XlsxError::Damaged { row: last_row + 1 }),
        };
        match event {
            Event::Start(e) | Event::Empty(e)
                if e.local_name().as_ref() == "dimension"
                    && raw_attribute(&e, "ref")
                        .and_then(|r| dimension_rows(r.as_bytes()))
                        .is_some_and(|rows| rows > limits.data_rows) =>
            {
                return Err(XlsxError::TooManyRows);
            }
            Event::Start(e) if e.local_name().as_ref() == "row" => {
                let number = raw_attribute(&e, "r").and_then(|r| r.trim().parse::<u64>().ok()).filter(|n| *n > 0);
                row = Some(number.unwrap_or(last_row + 1));
                cells.clear();
                next_column = 0;
            }
            Event::Empty(e) if e.local_name().as_ref() == "row" => {
                last_row = raw_attribute(&e, "r").and_then(|r| r.trim().parse::<u64>().ok()).unwrap_or(last_row + 1);
            }
            Event::End(e) if e.local_name().as_ref() == "row" => {
                let number = row.take().unwrap_or(last_row + 1);
                last_row = number;
                if !cells.is_empty() && !on_row(number, &cells) {
                    return Ok(());
                }
            }
            // An empty element `<c r="B2" s="1"/>` holds nothing: only its column counts.
            Event::Empty(e) if e.local_name().as_ref() == "c" => {
                next_column = raw_attribute(&e, "r").and_then(|r| cell_ref(r.as_bytes()).1).unwrap_or(next_column) + 1;
            }
            Event::Start(e) if e.local_name().as_ref() == "c" => {
                let column = raw_attribute(&e, "r").and_then(|r| cell_ref(r.as_bytes()).1).unwrap_or(next_column);
                next_column = column + 1;
                let kind = raw_attribute(&e, "t").map(|t| t.into_owned()).unwrap_or_default();
                let style = raw_attribute(&e, "s").and_then(|s| s.trim().parse().ok()).unwrap_or(0);
                value.clear();
                cell = Some(Open { column, kind, style });
            }
            Event::End(e) if e.local_name().as_ref() == "c" => {
                if let Some(open) = cell.take()
                    && open.column < limits.columns
                {
                    let typed = typed_cell(&open.kind, open.style, &value, shared, types)
                        .ok_or(XlsxError::Damaged { row: row.unwrap_or(last_row + 1) })?;
                    if cells.len() <= open.column {
                        cells.resize(open.column + 1, Cell::Empty);
                    }
                    cells[open.column] = typed;
                }
            }
            Event::Start(e) => match e.local_name().as_ref() {
                "v" if cell.is_some() => in_value = true,
                "is" if cell.is_some() => in_inline = true,
                "rPh" => phonetic += 1,
                _ => {}
            },
            Event::End(e) => match e.local_name().as_ref() {
                "v" => in_value = false,
                "is" => in_inline = false,
                "rPh" => phonetic = phonetic.saturating_sub(1),
                "sheetData" => return Ok(()),
                _ => {}
            },
            Event::Text(t) if in_value || (in_inline && phonetic == 0) => {
                let text = t.xml10_content();
                if value.len() + text.len() > limits.cell_bytes {
                    return Err(too_long_cell());
                }
                value.push_str(&text);
            }
            Event::CData(t) if in_value || (in_inline && phonetic == 0) => {
                if value.len() + t.len() > limits.cell_bytes {
                    return Err(too_long_cell());
                }
                value.push_str(&t);
            }
            Event::GeneralRef(r) if in_value || (in_inline && phonetic == 0) => {
                if value.len() + 4 > limits.cell_bytes {
                    return Err(too_long_cell());
                }
                push_reference(&mut value, &r);
            }
            Event::Eof => return Ok(()),
            _ => {}
        }
    }
}
