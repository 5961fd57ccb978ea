//! Hostile import files, for the API tests and the benchmark alike: each generator takes the
//! size that matters, and [`full`] names the sizes of the hardening issue (the files that
//! aborted the server or took gigabytes before the import was bounded). Workbooks are written
//! with the zip crate at its strongest deflate level, so a small upload unpacks to a lot.
//!
//! Every workbook is otherwise a valid one: the header and rows of the agree import, agent
//! `agent1` of the demo data, so that only the hostile part is what a reader must refuse.

use std::io::{Cursor, Write};
use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, ZipWriter};

/// The sizes of the issue's files.
pub mod full {
    /// Shared strings of [`super::xlsx_tiny_shared_strings`]: 30 million (a 1.2 MB upload).
    pub const TINY_SHARED_STRINGS: u64 = 30_000_000;
    /// Bytes of the one string of [`super::xlsx_huge_shared_string`]: 1 GiB (a 1 MB upload).
    pub const HUGE_SHARED_STRING: u64 = 1 << 30;
    /// Rows of [`super::xlsx_rows`]: 3 million.
    pub const XLSX_ROWS: u64 = 3_000_000;
    /// Bytes of [`super::csv_bad_rows`]: 45 MB.
    pub const CSV_BAD_ROWS_BYTES: usize = 45_000_000;
    /// Bytes of the header line of [`super::csv_long_header`]: 2 MB.
    pub const CSV_HEADER_BYTES: usize = 2_000_000;
    /// Decompressed bytes of the sheet of [`super::xlsx_sheet_bomb`]: 8 GiB (an 8 MB upload).
    pub const SHEET_BOMB_BYTES: u64 = 8 << 30;
}

/// The import's columns, as the header row of every file here.
pub const HEADER: [&str; 10] = domain::cases::IMPORT_COLUMNS;

/// A good data row of the demo data (agent1 exists there).
pub const GOOD_ROW: [&str; 10] = [
    "131000000001",
    "Budi Santoso",
    "CT-0",
    "N+2",
    "350000",
    "agent1",
    "2025-03-03 09:15",
    "janji bayar",
    "2025-03-05",
    "EB-1",
];

const MAIN_NS: &str = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
const REL_NS: &str = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";

/// A part's content: fixed bytes, or a head, a body repeated `times`, and a tail, written as
/// they are compressed so that a gigabyte of it never sits in memory.
enum Content {
    Bytes(Vec<u8>),
    Repeat { head: Vec<u8>, body: Vec<u8>, times: u64, tail: Vec<u8> },
}

/// Writes a workbook of the standard parts plus `sheet` and `shared_strings`, at the strongest
/// deflate level of the zip crate's flate2 backend.
fn workbook(sheet: Content, shared_strings: Content) -> Vec<u8> {
    let content_types = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>"#;
    let root_rels = format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="{REL_NS}/officeDocument" Target="xl/workbook.xml"/></Relationships>"#
    );
    let workbook = format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<workbook xmlns="{MAIN_NS}" xmlns:r="{REL_NS}"><sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>"#
    );
    let workbook_rels = format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="{REL_NS}/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="{REL_NS}/sharedStrings" Target="sharedStrings.xml"/></Relationships>"#
    );
    let mut zip = ZipWriter::new(Cursor::new(Vec::new()));
    let options = SimpleFileOptions::default()
        .compression_method(CompressionMethod::Deflated)
        .compression_level(Some(9))
        .large_file(true);
    let parts = [
        ("[Content_Types].xml", Content::Bytes(content_types.into())),
        ("_rels/.rels", Content::Bytes(root_rels.into_bytes())),
        ("xl/workbook.xml", Content::Bytes(workbook.into_bytes())),
        ("xl/_rels/workbook.xml.rels", Content::Bytes(workbook_rels.into_bytes())),
        ("xl/sharedStrings.xml", shared_strings),
        ("xl/worksheets/sheet1.xml", sheet),
    ];
    for (name, content) in parts {
        zip.start_file(name, options).expect("start a part");
        match content {
            Content::Bytes(bytes) => zip.write_all(&bytes).expect("write a part"),
            Content::Repeat { head, body, times, tail } => {
                zip.write_all(&head).expect("write a part");
                // Many copies of the body per write: far fewer calls into the compressor.
                let per_write = (1 << 20) / body.len().max(1) as u64 + 1;
                let chunk = body.repeat(per_write.min(times.max(1)) as usize);
                let mut left = times;
                while left >= per_write {
                    zip.write_all(&chunk).expect("write a part");
                    left -= per_write;
                }
                zip.write_all(&body.repeat(left as usize)).expect("write a part");
                zip.write_all(&tail).expect("write a part");
            }
        }
    }
    zip.finish().expect("finish the zip").into_inner()
}

/// Shared strings `<si>` of `texts`, with the given declared counts.
fn shared_strings(texts: &[&str], declared: u64) -> Content {
    let mut xml = format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><sst xmlns="{MAIN_NS}" count="{declared}" uniqueCount="{declared}">"#
    );
    for t in texts {
        xml.push_str(&format!("<si><t>{t}</t></si>"));
    }
    xml.push_str("</sst>");
    Content::Bytes(xml.into_bytes())
}

/// A row of ten cells that take the shared strings from `first` on.
fn shared_row(number: Option<u64>, first: usize) -> String {
    let mut row = match number {
        Some(n) => format!(r#"<row r="{n}">"#),
        None => "<row>".to_owned(),
    };
    for i in 0..10 {
        row.push_str(&format!(r#"<c t="s"><v>{}</v></c>"#, first + i));
    }
    row.push_str("</row>");
    row
}

fn sheet_head(dimension: Option<&str>) -> String {
    let dimension = dimension.map(|d| format!(r#"<dimension ref="{d}"/>"#)).unwrap_or_default();
    format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><worksheet xmlns="{MAIN_NS}">{dimension}<sheetData>"#
    )
}

const SHEET_TAIL: &str = "</sheetData></worksheet>";

/// The header and the good row as shared strings 0–19.
fn header_and_row() -> Vec<&'static str> {
    HEADER.iter().chain(GOOD_ROW.iter()).copied().collect()
}

/// The sheet of the header and the good row, taking shared strings 0–19: the valid part of the
/// workbooks whose shared strings are the hostile part.
fn header_and_row_sheet() -> Content {
    let sheet =
        format!("{}{}{}{SHEET_TAIL}", sheet_head(Some("A1:J2")), shared_row(Some(1), 0), shared_row(Some(2), 10));
    Content::Bytes(sheet.into_bytes())
}

/// The opening of a shared-strings part and the strings of [`header_and_row`], without declared
/// counts: what the hostile strings that follow are appended to.
fn shared_strings_head() -> String {
    let mut head = format!(r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><sst xmlns="{MAIN_NS}">"#);
    for t in header_and_row() {
        head.push_str(&format!("<si><t>{t}</t></si>"));
    }
    head
}

/// A valid workbook (the header and one good row) whose shared strings declare
/// `uniqueCount="1000000000000"`: about 1.8 KB. calamine reserved capacity for that many
/// strings, 24 TB, and the process died.
pub fn xlsx_unique_count_bomb() -> Vec<u8> {
    workbook(header_and_row_sheet(), shared_strings(&header_and_row(), 1_000_000_000_000))
}

/// A workbook whose shared strings are the header and a good row, then `count` one-letter
/// strings (declared as they really are). 30 million make a 1.2 MB upload that unpacks to
/// 500 MB and took 1.6 GB in the unbounded reader.
pub fn xlsx_tiny_shared_strings(count: u64) -> Vec<u8> {
    let strings = Content::Repeat {
        head: shared_strings_head().into_bytes(),
        body: b"<si><t>x</t></si>".to_vec(),
        times: count,
        tail: b"</sst>".to_vec(),
    };
    workbook(header_and_row_sheet(), strings)
}

/// A workbook whose good row's reason (a shared string) is `bytes` long: 1 GiB makes a 1 MB
/// upload that took 3.1 GB in the unbounded reader.
pub fn xlsx_huge_shared_string(bytes: u64) -> Vec<u8> {
    let mut head = shared_strings_head();
    head.push_str("<si><t>");
    let strings = Content::Repeat {
        head: head.into_bytes(),
        body: b"a".to_vec(),
        times: bytes,
        tail: b"</t></si></sst>".to_vec(),
    };
    workbook(header_and_row_sheet(), strings)
}

/// A workbook of the header and `rows` copies of a good row (cells without `r`, which makes
/// them compress to almost nothing), with the sheet's `<dimension>` when `with_dimension`.
/// 3 million rows were worked on for minutes; past the import's row cap the file is refused.
pub fn xlsx_rows(rows: u64, with_dimension: bool) -> Vec<u8> {
    let dimension = format!("A1:J{}", rows + 1);
    let head = format!("{}{}", sheet_head(with_dimension.then_some(dimension.as_str())), shared_row(Some(1), 0));
    let sheet = Content::Repeat {
        head: head.into_bytes(),
        body: shared_row(None, 10).into_bytes(),
        times: rows,
        tail: SHEET_TAIL.as_bytes().to_vec(),
    };
    workbook(sheet, shared_strings(&header_and_row(), 20))
}

/// A workbook whose sheet is the header, then `bytes` of empty rows `<row/>` (many small XML
/// tokens, which a reader must work through one by one): an 8 MB upload unpacks to 8 GiB.
pub fn xlsx_sheet_bomb(bytes: u64) -> Vec<u8> {
    let head = format!("{}{}", sheet_head(None), shared_row(Some(1), 0));
    let body = b"<row/>".repeat(1024 / 6);
    let times = bytes / body.len() as u64;
    let sheet = Content::Repeat { head: head.into_bytes(), body, times, tail: SHEET_TAIL.as_bytes().to_vec() };
    workbook(sheet, shared_strings(&header_and_row(), 20))
}

/// A CSV of about `bytes`: the header, then rows that are all refused (service `TV`). 45 MB
/// (600,000 rows) answered with a 191 MB list of refusals.
pub fn csv_bad_rows(bytes: usize) -> Vec<u8> {
    let mut csv = format!("{}\r\n", HEADER.join(","));
    let mut i = 0u64;
    while csv.len() < bytes {
        csv.push_str(&format!(
            "{:012},Budi Santoso,TV,N+2,350000,agent1,2025-03-03 09:15,janji bayar,2025-03-05,EB-{i}\r\n",
            131_000_000_000u64 + i
        ));
        i += 1;
    }
    csv.into_bytes()
}

/// A CSV of about `bytes` of the shortest refused rows (`x`, one cell): 45 MB hold 15 million
/// of them, each refusal longer than its row (so the unbounded answer was several times the
/// upload). Past the row cap, it is refused whole.
pub fn csv_short_bad_rows(bytes: usize) -> Vec<u8> {
    let mut csv = format!("{}\r\n", HEADER.join(","));
    let rows = bytes.saturating_sub(csv.len()) / 3;
    csv.push_str(&"x\r\n".repeat(rows));
    csv.into_bytes()
}

/// The rows of [`csv_bad_rows`] in a file of `rows` rows.
pub fn csv_bad_rows_count(rows: u64) -> Vec<u8> {
    let mut csv = format!("{}\r\n", HEADER.join(","));
    for i in 0..rows {
        csv.push_str(&format!(
            "{:012},Budi Santoso,TV,N+2,350000,agent1,2025-03-03 09:15,janji bayar,2025-03-05,EB-{i}\r\n",
            131_000_000_000u64 + i
        ));
    }
    csv.into_bytes()
}

/// A CSV whose header line is the ten columns and one more of `bytes` characters, then a good
/// row: the refusal quoted the whole line back.
pub fn csv_long_header(bytes: usize) -> Vec<u8> {
    format!("{},{}\r\n{}\r\n", HEADER.join(","), "x".repeat(bytes), GOOD_ROW.join(",")).into_bytes()
}

/// Writes every hostile file at the issue's sizes into `dir` (for measuring by hand or in the
/// benchmark): returns the paths, in the order of the issue.
pub fn write_all(dir: &std::path::Path) -> std::io::Result<Vec<std::path::PathBuf>> {
    type Make = fn() -> Vec<u8>;
    let files: [(&str, Make); 8] = [
        ("unique-count-bomb.xlsx", xlsx_unique_count_bomb),
        ("tiny-shared-strings.xlsx", || xlsx_tiny_shared_strings(full::TINY_SHARED_STRINGS)),
        ("huge-shared-string.xlsx", || xlsx_huge_shared_string(full::HUGE_SHARED_STRING)),
        ("sheet-bomb.xlsx", || xlsx_sheet_bomb(full::SHEET_BOMB_BYTES)),
        ("three-million-rows.xlsx", || xlsx_rows(full::XLSX_ROWS, true)),
        ("bad-rows.csv", || csv_bad_rows(full::CSV_BAD_ROWS_BYTES)),
        ("short-bad-rows.csv", || csv_short_bad_rows(full::CSV_BAD_ROWS_BYTES)),
        ("long-header.csv", || csv_long_header(full::CSV_HEADER_BYTES)),
    ];
    std::fs::create_dir_all(dir)?;
    let mut paths = Vec::new();
    for (name, make) in files {
        let path = dir.join(name);
        std::fs::write(&path, make())?;
        paths.push(path);
    }
    Ok(paths)
}

#[cfg(test)]
mod tests {
    /// `MUTU_HOSTILE_DIR=/some/dir cargo test -p tests --lib -- --ignored hostile` writes the
    /// files, for measuring a server by hand.
    #[test]
    #[ignore = "writes about 60 MB of files; run by hand"]
    fn write_the_hostile_files() {
        let dir = std::env::var("MUTU_HOSTILE_DIR").unwrap_or_else(|_| "target/hostile".into());
        for path in super::write_all(std::path::Path::new(&dir)).expect("write the files") {
            println!("{} {} bytes", path.display(), std::fs::metadata(&path).map(|m| m.len()).unwrap_or(0));
        }
    }
}
