//! The reader against workbooks built in the test: typed cells, date systems and formats, every
//! bound, damaged and foreign files, and a workbook written by rust_xlsxwriter.

use super::sheet::dimension_rows;
use super::workbook::is_date_format;
use super::*;
use chrono::NaiveDate;
use std::io::{Cursor, Write};

const LIMITS: Limits = Limits {
    zip_entries: 100,
    small_part_bytes: 1 << 20,
    shared_strings_part_bytes: 1 << 20,
    sheet_bytes: 1 << 20,
    shared_strings: 1000,
    shared_string_bytes: 64 * 1024,
    cell_bytes: 4 * 1024,
    xml_token_bytes: 8 * 1024,
    styles: 100,
    columns: 16,
    data_rows: 1000,
};
const MAIN: &str = r#"xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main""#;
const REL: &str = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";

fn zip(parts: &[(&str, &[u8])]) -> Vec<u8> {
    let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    for (name, bytes) in parts {
        zip.start_file(*name, options).unwrap();
        zip.write_all(bytes).unwrap();
    }
    zip.finish().unwrap().into_inner()
}

/// A workbook of a sheet's `<sheetData>` rows, shared strings, styles and the date system.
fn book(rows: &str, strings: &str, styles: &str, date1904: bool) -> Vec<u8> {
    book_with("", rows, strings, styles, date1904)
}

/// [`book`] with more before `<sheetData>` (a dimension).
fn book_with(before_data: &str, rows: &str, strings: &str, styles: &str, date1904: bool) -> Vec<u8> {
    let workbook = format!(
        r#"<workbook {MAIN} xmlns:r="{REL}"><workbookPr date1904="{}"/><sheets><sheet name="Agree" sheetId="7" r:id="rId3"/><sheet name="Other" sheetId="1" r:id="rId1"/></sheets></workbook>"#,
        u8::from(date1904)
    );
    let rels = format!(
        r#"<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="{REL}/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId3" Type="{REL}/worksheet" Target="/xl/worksheets/../worksheets/data.xml"/><Relationship Id="rId4" Type="{REL}/sharedStrings" Target="strings.xml"/><Relationship Id="rId5" Type="{REL}/styles" Target="styles.xml"/></Relationships>"#
    );
    let sheet =
        format!(r#"<worksheet {MAIN}>{before_data}<sheetData>{rows}</sheetData><mergeCells count="0"/></worksheet>"#);
    let other = format!(
        r#"<worksheet {MAIN}><sheetData><row r="1"><c t="inlineStr"><is><t>wrong sheet</t></is></c></row></sheetData></worksheet>"#
    );
    zip(&[
        ("xl/workbook.xml", workbook.as_bytes()),
        ("xl/_rels/workbook.xml.rels", rels.as_bytes()),
        ("xl/worksheets/sheet1.xml", other.as_bytes()),
        ("xl/worksheets/data.xml", sheet.as_bytes()),
        ("xl/strings.xml", strings.as_bytes()),
        ("xl/styles.xml", styles.as_bytes()),
    ])
}

fn read(bytes: &[u8], limits: &Limits) -> Result<Vec<(u64, Vec<Cell>)>, XlsxError> {
    let mut rows = Vec::new();
    read_first_sheet(&mut Cursor::new(bytes), limits, |n, cells| {
        rows.push((n, cells.to_vec()));
        true
    })
    .map(|()| rows)
}

fn text(s: &str) -> Cell {
    Cell::Text(s.to_owned())
}

fn at(y: i32, m: u32, d: u32, h: u32, mi: u32) -> Cell {
    Cell::Date(NaiveDate::from_ymd_opt(y, m, d).unwrap().and_hms_opt(h, mi, 0).unwrap())
}

const STYLES: &str = r#"<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><numFmts count="2"><numFmt numFmtId="164" formatCode="yyyy\-mm\-dd\ hh:mm"/><numFmt numFmtId="165" formatCode="&quot;Rp&quot;\ #,##0"/></numFmts><cellStyleXfs count="1"><xf numFmtId="14"/></cellStyleXfs><cellXfs count="4"><xf numFmtId="0"/><xf numFmtId="164"/><xf numFmtId="165"/><xf numFmtId="14"/></cellXfs></styleSheet>"#;

#[test]
fn cells_come_out_typed_from_the_first_sheet() {
    let strings = r#"<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="1" uniqueCount="1"><si><t>Budi</t></si><si><r><rPr><b/></rPr><t xml:space="preserve">Sri </t></r><r><t>Wahyuni</t></r><rPh sb="0" eb="1"><t>SW</t></rPh></si><si/><si><t>A &amp; B &#233;</t></si></sst>"#;
    let rows = concat!(
        r#"<row r="2" spans="1:9"><c r="A2" t="s"><v>0</v></c><c r="C2" t="s"><v>1</v></c><c t="s"><v>3</v></c><c r="E2" s="1"><v>45726.586805555555</v></c>"#,
        r#"<c r="F2" s="3"><v>45728</v></c><c r="G2" s="2"><v>350000</v></c><c r="H2"><v>1.5</v></c><c r="I2" t="b"><v>1</v></c></row>"#,
        r#"<row r="4"><c r="B4" t="inlineStr"><is><t>inline &lt;teks&gt;</t></is></c><c r="C4" t="str"><f>A1&amp;"x"</f><v>hasil</v></c>"#,
        r#"<c r="D4" t="e"><v>#N/A</v></c><c r="E4" s="1"/><c r="F4" t="s"><v>2</v></c><c r="Z4"><v>9</v></c><c r="R4"><v>12345678901234</v></c></row>"#,
        r#"<row><c><v>-7</v></c></row><row r="9"/>"#,
    );
    let got = read(&book(rows, strings, STYLES, false), &LIMITS).unwrap();
    assert_eq!(got.len(), 3, "{got:?}");
    assert_eq!(got[0].0, 2);
    assert_eq!(
        got[0].1,
        vec![
            text("Budi"),
            Cell::Empty,
            text("Sri Wahyuni"),
            text("A & B é"),
            at(2025, 3, 10, 14, 5),
            at(2025, 3, 12, 0, 0),
            Cell::Int(350_000),
            Cell::Float(1.5),
            Cell::Bool(true)
        ]
    );
    assert_eq!(got[1].0, 4);
    assert_eq!(
        got[1].1[..6],
        [Cell::Empty, text("inline <teks>"), text("hasil"), Cell::Error("#N/A".into()), Cell::Empty, text("")]
    );
    assert_eq!(got[1].1.len(), 6, "columns past the bound (R, Z) are ignored");
    assert_eq!(got[2], (5, vec![Cell::Int(-7)]), "a row without `r` follows the last one");
}

#[test]
fn the_1904_date_system_and_custom_date_formats_are_read() {
    let rows =
        r#"<row r="1"><c s="1"><v>44264.586805555555</v></c><c s="3"><v>0</v></c><c s="2"><v>45000</v></c></row>"#;
    let got = read(&book(rows, "<sst/>", STYLES, true), &LIMITS).unwrap();
    assert_eq!(got[0].1, vec![at(2025, 3, 10, 14, 5), at(1904, 1, 1, 0, 0), Cell::Int(45_000)]);
    assert!(is_date_format("dd/mm/yyyy"));
    assert!(is_date_format("[$-421]d mmmm yyyy;@"));
    assert!(is_date_format("[h]:mm:ss"));
    assert!(!is_date_format("\"Rp\"\\ #,##0"));
    assert!(!is_date_format("0.00;[Red]-0.00"));
    assert!(!is_date_format("General"));
}

#[test]
fn declared_counts_reserve_nothing_and_a_huge_one_is_refused() {
    let rows = r#"<row r="1"><c t="s"><v>2</v></c></row>"#;
    // A count that lies low is no problem: the strings are read as they come.
    let strings = r#"<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="1" uniqueCount="1"><si><t>a</t></si><si><t>b</t></si><si><t>c</t></si></sst>"#;
    assert_eq!(read(&book(rows, strings, STYLES, false), &LIMITS).unwrap()[0].1, vec![text("c")]);
    // 10¹² declared: refused before a string is read (calamine reserved 24 TB for it).
    let bomb = r#"<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="1000000000000" uniqueCount="1000000000000"><si><t>a</t></si></sst>"#;
    let err = read(&book(rows, bomb, STYLES, false), &LIMITS).unwrap_err();
    assert_eq!(err, XlsxError::TooLarge(WorkbookBound::SharedStrings, 1000));
}

#[test]
fn shared_strings_are_bounded_in_count_bytes_and_length() {
    let rows = r#"<row r="1"><c t="s"><v>0</v></c></row>"#;
    let many = format!("<sst>{}</sst>", "<si><t>x</t></si>".repeat(1001));
    assert!(matches!(
        read(&book(rows, &many, STYLES, false), &LIMITS),
        Err(XlsxError::TooLarge(WorkbookBound::SharedStrings, 1000))
    ));
    let bulky = format!("<sst>{}</sst>", format!("<si><t>{}</t></si>", "y".repeat(4000)).repeat(20));
    assert!(matches!(
        read(&book(rows, &bulky, STYLES, false), &LIMITS),
        Err(XlsxError::TooLarge(WorkbookBound::SharedStringsMib, _))
    ));
    // One string longer than a cell may be, in pieces the XML reader takes one at a time.
    let long = format!("<sst><si><t>{}</t></si></sst>", "z&amp;".repeat(3000));
    assert!(matches!(
        read(&book(rows, &long, STYLES, false), &LIMITS),
        Err(XlsxError::TooLarge(WorkbookBound::TextChars, _))
    ));
    // One text token longer than the XML reader may buffer (checked at each refill of its
    // 64 KiB buffer).
    let token = format!("<sst><si><t>{}</t></si></sst>", "w".repeat(200_000));
    assert!(matches!(
        read(&book(rows, &token, STYLES, false), &LIMITS),
        Err(XlsxError::TooLarge(WorkbookBound::TokenKib, 8))
    ));
}

#[test]
fn parts_are_bounded_once_unpacked() {
    // 2 MiB of empty elements compress to a few KiB; the sheet may unpack to 1 MiB.
    let rows = format!(r#"<row r="1"><c t="inlineStr"><is><t>a</t></is></c></row>{}"#, "<x/>".repeat(1 << 19));
    let bytes = book(&rows, "<sst/>", STYLES, false);
    assert!(bytes.len() < 64 * 1024);
    let mut seen = 0;
    let err = read_first_sheet(&mut Cursor::new(&bytes), &LIMITS, |_, _| {
        seen += 1;
        true
    })
    .unwrap_err();
    assert_eq!(err, XlsxError::TooLarge(WorkbookBound::PartMib, 1));
    assert!(err.problem().to_string().ends_with("a part is larger than 1 MiB once unpacked"), "{err:?}");
    assert_eq!(seen, 1, "the rows before the bound were read");
}

#[test]
fn a_dimension_past_the_row_bound_refuses_before_any_row() {
    // 1,002 rows: 1,001 after the first.
    let bytes =
        book_with(r#"<dimension ref="A1:J1002"/>"#, r#"<row r="1"><c><v>1</v></c></row>"#, "<sst/>", STYLES, false);
    let err = read_first_sheet(&mut Cursor::new(&bytes), &LIMITS, |_, _| panic!("no row is read")).unwrap_err();
    assert_eq!(err, XlsxError::TooManyRows);
    assert_eq!(dimension_rows(b"A1:J1001"), Some(1000));
    assert_eq!(dimension_rows(b"B3"), Some(0));
}

#[test]
fn damaged_and_foreign_files_are_told_apart() {
    assert_eq!(read(b"PK\x03\x04 this is no workbook", &LIMITS).unwrap_err(), XlsxError::Unreadable);
    assert_eq!(read(&zip(&[("hello.txt", b"hi")]), &LIMITS).unwrap_err(), XlsxError::Unreadable);
    let no_sheet = zip(&[("xl/workbook.xml", format!("<workbook {MAIN}><sheets/></workbook>").as_bytes())]);
    assert_eq!(read(&no_sheet, &LIMITS).unwrap_err(), XlsxError::NoSheet);
    // Well-formed rows, then broken XML: the rows before stand.
    let mut rows = Vec::new();
    let broken = book(
        r#"<row r="1"><c><v>1</v></c></row><row r="2"><c><v>2</v></c></row><row r="3"><c><v>3</c></row>"#,
        "<sst/>",
        STYLES,
        false,
    );
    let err = read_first_sheet(&mut Cursor::new(&broken), &LIMITS, |n, _| {
        rows.push(n);
        true
    })
    .unwrap_err();
    assert_eq!((err, rows), (XlsxError::Damaged { row: 3 }, vec![1, 2]));
    // A shared string that is not there.
    let missing = book(r#"<row r="1"><c t="s"><v>5</v></c></row>"#, "<sst/>", STYLES, false);
    assert_eq!(read(&missing, &LIMITS).unwrap_err(), XlsxError::Damaged { row: 1 });
}

#[test]
fn a_zip_of_too_many_parts_is_refused_before_they_are_listed() {
    let names: Vec<String> = (0..101).map(|i| format!("xl/part{i}.xml")).collect();
    let parts: Vec<(&str, &[u8])> = names.iter().map(|n| (n.as_str(), &b""[..])).collect();
    assert_eq!(read(&zip(&parts), &LIMITS).unwrap_err(), XlsxError::TooLarge(WorkbookBound::ZipParts, 100));
}

#[test]
fn a_workbook_written_by_rust_xlsxwriter_reads_as_written() {
    use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};
    let mut workbook = Workbook::new();
    let sheet = workbook.add_worksheet();
    sheet.write_string(0, 0, "call_at").unwrap();
    sheet.write_string(0, 1, "R&D <x>").unwrap();
    let when = Format::new().set_num_format("yyyy-mm-dd hh:mm");
    sheet
        .write_datetime_with_format(
            1,
            0,
            ExcelDateTime::from_ymd(2025, 3, 10).unwrap().and_hms(0, 0, 0).unwrap(),
            &when,
        )
        .unwrap();
    sheet.write_number(1, 1, 425000.0).unwrap();
    sheet.write_boolean(1, 2, false).unwrap();
    let bytes = workbook.save_to_buffer().unwrap();
    let got = read(&bytes, &LIMITS).unwrap();
    assert_eq!(
        got,
        vec![
            (1, vec![text("call_at"), text("R&D <x>")]),
            (2, vec![at(2025, 3, 10, 0, 0), Cell::Int(425_000), Cell::Bool(false)])
        ]
    );
}
