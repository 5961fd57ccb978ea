//! The small parts: the workbook (the first sheet's relationship and the date system), its
//! relationships (where the sheet, shared strings and styles are), and the styles (which cell
//! formats show dates).

use super::xml::{Xml, XmlError, attribute};
use super::{Limits, XlsxError, archive::resolve};
use quick_xml::XmlVersion;
use quick_xml::events::Event;
use std::collections::HashMap;
use std::io::Read;

pub(super) struct Book {
    /// The relationship id of the first sheet.
    pub(super) first_sheet: Option<String>,
    pub(super) date1904: bool,
}

pub(super) fn read_workbook<R: Read>(mut xml: Xml<R>) -> Result<Book, XlsxError> {
    let mut book = Book { first_sheet: None, date1904: false };
    loop {
        match xml.next() {
            Ok(Event::Start(e) | Event::Empty(e)) => match e.local_name().as_ref() {
                "workbookPr" => book.date1904 = attribute(&e, "date1904").is_some_and(|v| v == "1" || v == "true"),
                "sheet" => {
                    // `r:id`: the relationship to the sheet's part (the prefix varies).
                    book.first_sheet = e
                        .attributes()
                        .flatten()
                        .find(|a| a.key.local_name().as_ref() == "id" && a.key.prefix().is_some())
                        .and_then(|a| a.normalized_value(XmlVersion::Implicit1_0).ok().map(|v| v.into_owned()));
                    if book.first_sheet.is_none() {
                        return Err(XlsxError::Unreadable);
                    }
                    // The date system comes before the sheets.
                    return Ok(book);
                }
                _ => {}
            },
            Ok(Event::Eof) => return Ok(book),
            Ok(_) => {}
            Err(XmlError::Bound(e)) => return Err(e),
            Err(XmlError::Syntax) => return Err(XlsxError::Unreadable),
        }
    }
}

/// The parts the workbook's relationships point to.
#[derive(Default)]
pub(super) struct Relationships {
    pub(super) sheet: Option<String>,
    pub(super) shared_strings: Option<String>,
    pub(super) styles: Option<String>,
}

pub(super) fn read_relationships<R: Read>(mut xml: Xml<R>, sheet_id: &str) -> Result<Relationships, XlsxError> {
    let mut rels = Relationships::default();
    loop {
        match xml.next() {
            Ok(Event::Start(e) | Event::Empty(e)) if e.local_name().as_ref() == "Relationship" => {
                let (Some(id), Some(kind), Some(target)) =
                    (attribute(&e, "Id"), attribute(&e, "Type"), attribute(&e, "Target"))
                else {
                    continue;
                };
                let path = resolve("xl", &target);
                if id == sheet_id {
                    rels.sheet = Some(path);
                } else if kind.ends_with("/sharedStrings") {
                    rels.shared_strings = Some(path);
                } else if kind.ends_with("/styles") {
                    rels.styles = Some(path);
                }
            }
            Ok(Event::Eof) => return Ok(rels),
            Ok(_) => {}
            Err(XmlError::Bound(e)) => return Err(e),
            Err(XmlError::Syntax) => return Err(XlsxError::Unreadable),
        }
    }
}

/// For each cell format (`cellXfs`), whether its number format shows a date or time.
pub(super) fn read_styles<R: Read>(mut xml: Xml<R>, limits: &Limits) -> Result<Vec<bool>, XlsxError> {
    let mut custom: HashMap<u32, bool> = HashMap::new();
    let mut formats: Vec<u32> = Vec::new();
    let mut in_cell_xfs = false;
    loop {
        match xml.next() {
            Ok(Event::Start(e) | Event::Empty(e)) => match e.local_name().as_ref() {
                "numFmt" if custom.len() < limits.styles => {
                    if let (Some(id), Some(code)) =
                        (attribute(&e, "numFmtId").and_then(|v| v.parse().ok()), attribute(&e, "formatCode"))
                    {
                        custom.insert(id, is_date_format(&code));
                    }
                }
                "cellXfs" => in_cell_xfs = true,
                "xf" if in_cell_xfs && formats.len() < limits.styles => {
                    formats.push(attribute(&e, "numFmtId").and_then(|v| v.parse().ok()).unwrap_or(0));
                }
                _ => {}
            },
            Ok(Event::End(e)) if e.local_name().as_ref() == "cellXfs" => in_cell_xfs = false,
            Ok(Event::Eof) => break,
            Ok(_) => {}
            Err(XmlError::Bound(e)) => return Err(e),
            // Styles only decide which numbers are dates: damaged ones make none a date.
            Err(XmlError::Syntax) => break,
        }
    }
    Ok(formats.into_iter().map(|id| custom.get(&id).copied().unwrap_or_else(|| is_builtin_date_format(id))).collect())
}

/// The built-in number formats that show a date or a time (ECMA-376 18.8.30, and the East
/// Asian ones), as calamine has them.
fn is_builtin_date_format(id: u32) -> bool {
    matches!(id, 14..=22 | 27..=36 | 45..=47 | 50..=58)
}

/// Whether a custom number format shows a date or time: a `d m y h s` outside quotes,
/// brackets and escapes, in its first section (calamine's rule, `[h]:mm` durations included).
pub(super) fn is_date_format(code: &str) -> bool {
    let (mut escaped, mut quoted, mut brackets, mut am_pm) = (false, false, 0u32, false);
    let mut previous = ' ';
    let mut elapsed = false;
    for c in code.chars() {
        if escaped {
            escaped = false;
        } else if quoted {
            quoted = c != '"';
        } else {
            match c {
                '_' | '\\' | '*' => escaped = true,
                '"' => quoted = true,
                ';' => return false,
                '[' => brackets += 1,
                ']' if brackets == 1 && elapsed => return true,
                ']' => brackets = brackets.saturating_sub(1),
                'a' | 'A' if brackets == 0 && !am_pm => am_pm = true,
                'p' | 'm' | '/' | 'P' | 'M' if brackets == 0 && am_pm => return true,
                'd' | 'm' | 'h' | 'y' | 's' | 'D' | 'M' | 'H' | 'Y' | 'S' if brackets == 0 && !am_pm => return true,
                _ => {
                    if !(elapsed && c.eq_ignore_ascii_case(&previous)) {
                        elapsed = previous == '[' && matches!(c, 'm' | 'h' | 's' | 'M' | 'H' | 'S');
                    }
                }
            }
        }
        previous = c;
    }
    false
}
