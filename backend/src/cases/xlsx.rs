//! A bounded, streaming reader of the first sheet of an XLSX workbook (the agree import's).
//!
//! An XLSX is a zip of XML parts, and nothing it declares is trusted: not the zip's entry count
//! or sizes, not the shared strings' `count`/`uniqueCount` (calamine reserved memory from
//! `uniqueCount`, so 1.8 KB declaring 10¹² strings aborted the process). Every bound is a field of
//! [`Limits`] (the import's are `super::import::limits::XLSX`), checked before memory is spent:
//!
//! - the central directory is read here, entry by entry, keeping only short part names (the zip
//!   crate's archive reader keeps every entry, a few hundred bytes each, of up to a million in
//!   50 MiB); parts are then opened at their local headers through the zip crate;
//! - every part is read through [`Bounded`], which counts the *decompressed* bytes and refuses
//!   past the part's bound, and which also bounds what one XML token (a tag or a run of text)
//!   may buffer, so neither a bomb nor a single gigabyte-long string is ever held;
//! - shared strings are kept in one string with an offset per string, up to a count and a total
//!   of bytes; the sheet is streamed row by row, cells right of [`Limits::columns`] ignored;
//! - the sheet's `<dimension ref="A1:J3000001">`, when present, refuses too many rows before
//!   any row is read.
//!
//! Cells come out typed as calamine typed them (shared and inline strings, numbers, booleans,
//! errors, and numbers in a date format as dates, in the 1900 or 1904 date system), so the
//! import turns them into the same text as before.

use chrono::{NaiveDate, NaiveDateTime, TimeDelta, Timelike};
use quick_xml::XmlVersion;
use quick_xml::events::{BytesStart, Event};
use std::collections::HashMap;
use std::io::{self, BufRead, Read, Seek, SeekFrom};

/// The bounds of one read.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// Entries in the zip's central directory (a workbook has a dozen or so parts).
    pub zip_entries: u64,
    /// Decompressed bytes of each small part: the workbook, its relationships, the styles.
    pub small_part_bytes: u64,
    /// Decompressed bytes of the shared strings part.
    pub shared_strings_part_bytes: u64,
    /// Decompressed bytes of the sheet.
    pub sheet_bytes: u64,
    /// Shared strings kept (whatever the part declares).
    pub shared_strings: usize,
    /// Bytes of text of all shared strings together.
    pub shared_string_bytes: usize,
    /// Bytes of one string or cell (Excel itself writes at most 32,767 characters).
    pub cell_bytes: usize,
    /// Bytes of one XML token: what the XML reader buffers at most.
    pub xml_token_bytes: usize,
    /// Cell formats read from the styles; formats past it are not dates.
    pub styles: usize,
    /// Columns read of each row; cells further right are ignored.
    pub columns: usize,
    /// Rows after the first that the sheet's declared dimension may span.
    pub data_rows: u64,
}

/// Why a workbook could not be read (whole or from some row on).
#[derive(Debug, Clone, PartialEq)]
pub enum XlsxError {
    /// Not a zip, a part missing or encrypted, or XML that is not a workbook.
    Unreadable,
    /// The workbook lists no sheet.
    NoSheet,
    /// The first sheet is missing or is not a sheet.
    SheetUnreadable,
    /// A bound of [`Limits`] was passed; the text says which, in plain words.
    TooLarge(String),
    /// The sheet's dimension spans more rows than [`Limits::data_rows`] after the first.
    TooManyRows,
    /// The sheet broke off (bad XML, a missing shared string): rows before `row` were read.
    Damaged { row: u64 },
}

impl std::fmt::Display for XlsxError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            XlsxError::Unreadable => f.write_str("the file is not a readable XLSX workbook"),
            XlsxError::NoSheet => f.write_str("the workbook has no sheet"),
            XlsxError::SheetUnreadable => f.write_str("the first sheet of the workbook could not be read"),
            XlsxError::TooLarge(what) => write!(f, "the workbook is too large to import: {what}"),
            XlsxError::TooManyRows => f.write_str("the sheet has too many rows"),
            XlsxError::Damaged { .. } => f.write_str("the workbook is damaged from this row on"),
        }
    }
}

/// One cell as the sheet types it.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Empty,
    /// A shared, inline or formula string, or a date written as ISO text (`t="d"`).
    Text(String),
    Int(i64),
    Float(f64),
    Bool(bool),
    /// A number in a date or time format, to the second.
    Date(NaiveDateTime),
    /// An error value such as `#N/A`.
    Error(String),
}

/// Reads the first sheet of the workbook in `file`, calling `on_row` with the number (from 1)
/// and the cells (from column A, gaps as [`Cell::Empty`]) of each row that has cells, in file
/// order, until it returns false.
pub fn read_first_sheet<R: Read + Seek>(
    file: &mut R,
    limits: &Limits,
    mut on_row: impl FnMut(u64, &[Cell]) -> bool,
) -> Result<(), XlsxError> {
    let zip = ZipIndex::read(file, limits)?;
    let workbook = zip.get("xl/workbook.xml").ok_or(XlsxError::Unreadable)?;
    let book = read_workbook(open(file, workbook, limits.small_part_bytes, limits)?)?;
    let Some(sheet_id) = book.first_sheet else {
        return Err(XlsxError::NoSheet);
    };
    let rels = match zip.get("xl/_rels/workbook.xml.rels") {
        Some(part) => read_relationships(open(file, part, limits.small_part_bytes, limits)?, &sheet_id)?,
        None => Relationships::default(),
    };
    let sheet_path = rels.sheet.unwrap_or_else(|| "xl/worksheets/sheet1.xml".to_owned());
    let sheet = zip.get(&sheet_path).ok_or(XlsxError::SheetUnreadable)?;
    let date_styles = match zip.get(rels.styles.as_deref().unwrap_or("xl/styles.xml")) {
        Some(part) => read_styles(open(file, part, limits.small_part_bytes, limits)?, limits)?,
        None => Vec::new(),
    };
    let shared = match zip.get(rels.shared_strings.as_deref().unwrap_or("xl/sharedstrings.xml")) {
        Some(part) => read_shared_strings(open(file, part, limits.shared_strings_part_bytes, limits)?, limits)?,
        None => SharedStrings::default(),
    };
    let types = Types { date_styles, date1904: book.date1904 };
    read_sheet(
        open(file, sheet, limits.sheet_bytes, limits)
            .map_err(|e| if e == XlsxError::Unreadable { XlsxError::SheetUnreadable } else { e })?,
        &shared,
        &types,
        limits,
        &mut on_row,
    )
}

// ---------------------------------------------------------------------------------------------
// The zip
// ---------------------------------------------------------------------------------------------

/// Longest part name kept from the central directory; parts of a workbook have short names.
const PART_NAME_MAX: usize = 512;

/// Where a part is in the zip, as its central directory entry says.
#[derive(Debug, Clone, Copy)]
struct Part {
    local_header: u64,
    compressed: u64,
    crc: u32,
}

/// The parts of the zip by lower-case name (OPC part names are case-insensitive).
struct ZipIndex {
    parts: HashMap<String, Part>,
}

fn le16(b: &[u8], at: usize) -> u64 {
    u64::from(u16::from_le_bytes([b[at], b[at + 1]]))
}

fn le32(b: &[u8], at: usize) -> u64 {
    u64::from(u32::from_le_bytes([b[at], b[at + 1], b[at + 2], b[at + 3]]))
}

fn le64(b: &[u8], at: usize) -> u64 {
    let mut bytes = [0u8; 8];
    bytes.copy_from_slice(&b[at..at + 8]);
    u64::from_le_bytes(bytes)
}

impl ZipIndex {
    /// Reads the central directory: the end record (searched for in the last 64 KiB, the
    /// longest comment it may have), its ZIP64 variant when the end record says so, then each
    /// entry, keeping the short names only.
    fn read<R: Read + Seek>(file: &mut R, limits: &Limits) -> Result<ZipIndex, XlsxError> {
        let bad = |_| XlsxError::Unreadable;
        let len = file.seek(SeekFrom::End(0)).map_err(bad)?;
        let tail_len = len.min(22 + 65_535);
        file.seek(SeekFrom::Start(len - tail_len)).map_err(bad)?;
        let mut tail = vec![0u8; tail_len as usize];
        file.read_exact(&mut tail).map_err(bad)?;
        let end = (0..tail.len().saturating_sub(21))
            .rev()
            .find(|&i| tail[i..i + 4] == *b"PK\x05\x06")
            .ok_or(XlsxError::Unreadable)?;
        let (mut entries, mut dir_size, mut dir_start) =
            (le16(&tail, end + 10), le32(&tail, end + 12), le32(&tail, end + 16));
        if entries == 0xFFFF || dir_size == 0xFFFF_FFFF || dir_start == 0xFFFF_FFFF {
            // ZIP64: a locator just before the end record points at the ZIP64 end record.
            let locator =
                end.checked_sub(20).filter(|&l| tail[l..l + 4] == *b"PK\x06\x07").ok_or(XlsxError::Unreadable)?;
            file.seek(SeekFrom::Start(le64(&tail, locator + 8))).map_err(bad)?;
            let mut record = [0u8; 56];
            file.read_exact(&mut record).map_err(bad)?;
            if record[..4] != *b"PK\x06\x06" {
                return Err(XlsxError::Unreadable);
            }
            (entries, dir_size, dir_start) = (le64(&record, 32), le64(&record, 40), le64(&record, 48));
        }
        if entries > limits.zip_entries {
            return Err(XlsxError::TooLarge(format!("the zip holds more than {} parts", limits.zip_entries)));
        }
        if dir_start.checked_add(dir_size).is_none_or(|e| e > len) {
            return Err(XlsxError::Unreadable);
        }
        file.seek(SeekFrom::Start(dir_start)).map_err(bad)?;
        let mut dir = io::BufReader::with_capacity(64 * 1024, (&mut *file).take(dir_size));
        let mut parts = HashMap::new();
        let mut name = Vec::new();
        let mut extra = Vec::new();
        for _ in 0..entries {
            let mut fixed = [0u8; 46];
            dir.read_exact(&mut fixed).map_err(bad)?;
            if fixed[..4] != *b"PK\x01\x02" {
                return Err(XlsxError::Unreadable);
            }
            let (name_len, extra_len, comment_len) =
                (le16(&fixed, 28) as usize, le16(&fixed, 30) as usize, le16(&fixed, 32));
            name.resize(name_len, 0);
            dir.read_exact(&mut name).map_err(bad)?;
            extra.resize(extra_len, 0);
            dir.read_exact(&mut extra).map_err(bad)?;
            io::copy(&mut (&mut dir).take(comment_len), &mut io::sink()).map_err(bad)?;
            let (mut compressed, mut local_header) = (le32(&fixed, 20), le32(&fixed, 42));
            let uncompressed_in_extra = le32(&fixed, 24) == 0xFFFF_FFFF;
            // The ZIP64 extra field holds, in this order, whichever of the sizes and offset
            // are 0xFFFFFFFF in the fixed part.
            let mut at = 0;
            while at + 4 <= extra.len() {
                let (id, size) = (le16(&extra, at), le16(&extra, at + 2) as usize);
                let body = extra.get(at + 4..at + 4 + size).ok_or(XlsxError::Unreadable)?;
                if id == 1 {
                    let mut values = body.chunks_exact(8).map(|c| le64(c, 0));
                    if uncompressed_in_extra {
                        values.next();
                    }
                    if compressed == 0xFFFF_FFFF {
                        compressed = values.next().ok_or(XlsxError::Unreadable)?;
                    }
                    if local_header == 0xFFFF_FFFF {
                        local_header = values.next().ok_or(XlsxError::Unreadable)?;
                    }
                }
                at += 4 + size;
            }
            if name_len <= PART_NAME_MAX
                && let Ok(text) = std::str::from_utf8(&name)
            {
                let part = Part { local_header, compressed, crc: le32(&fixed, 16) as u32 };
                parts.entry(normalise(text)).or_insert(part);
            }
        }
        Ok(ZipIndex { parts })
    }

    fn get(&self, name: &str) -> Option<Part> {
        self.parts.get(&normalise(name)).copied()
    }
}

/// A part name for lookup: lower case, `/` separators, no leading `/`.
fn normalise(name: &str) -> String {
    name.trim_start_matches(['/', '\\']).replace('\\', "/").to_lowercase()
}

/// Resolves a relationship's target against the folder of the part that holds it (`xl/`).
fn resolve(base: &str, target: &str) -> String {
    let mut path: Vec<&str> =
        if target.starts_with('/') { Vec::new() } else { base.split('/').filter(|s| !s.is_empty()).collect() };
    for segment in target.split('/') {
        match segment {
            "" | "." => {}
            ".." => {
                path.pop();
            }
            s => path.push(s),
        }
    }
    path.join("/")
}

/// Opens a part for reading as XML, decompressed through [`Bounded`].
fn open<'a, R: Read + Seek>(
    file: &'a mut R,
    part: Part,
    max_bytes: u64,
    limits: &Limits,
) -> Result<Xml<zip::read::ZipFile<'a, R>>, XlsxError> {
    file.seek(SeekFrom::Start(part.local_header)).map_err(|_| XlsxError::Unreadable)?;
    // Sizes and checksum come from the central directory: local headers followed by a data
    // descriptor carry none.
    let options = zip::ZipReadOptions::new().override_compressed_size(part.compressed).override_crc(part.crc);
    let entry = zip::read::read_zipfile_from_stream_with_options(file, options)
        .map_err(|_| XlsxError::Unreadable)?
        .ok_or(XlsxError::Unreadable)?;
    let mut reader = quick_xml::Reader::from_reader(Bounded::new(entry, max_bytes, limits.xml_token_bytes));
    reader.config_mut().trim_text(false);
    Ok(Xml { reader, buf: Vec::new() })
}

// ---------------------------------------------------------------------------------------------
// Bounded reading of XML
// ---------------------------------------------------------------------------------------------

/// Which bound a [`Bounded`] reader hit.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Hit {
    Part(u64),
    Token(usize),
}

/// A buffered reader that fails once more than `max` bytes came out of `inner` (the
/// decompressor), and once more than `max_token` bytes were consumed since the last
/// [`Bounded::mark`]: the XML reader consumes exactly one event between marks, so that is what
/// it may buffer for one event.
struct Bounded<R> {
    inner: R,
    buf: Box<[u8]>,
    pos: usize,
    end: usize,
    pulled: u64,
    max: u64,
    token: usize,
    max_token: usize,
    hit: Option<Hit>,
}

impl<R: Read> Bounded<R> {
    fn new(inner: R, max: u64, max_token: usize) -> Self {
        Bounded {
            inner,
            buf: vec![0; 64 * 1024].into_boxed_slice(),
            pos: 0,
            end: 0,
            pulled: 0,
            max,
            token: 0,
            max_token,
            hit: None,
        }
    }

    fn mark(&mut self) {
        self.token = 0;
    }
}

impl<R: Read> BufRead for Bounded<R> {
    fn fill_buf(&mut self) -> io::Result<&[u8]> {
        if self.token > self.max_token {
            self.hit = Some(Hit::Token(self.max_token));
            return Err(io::Error::other("an XML token is too long"));
        }
        if self.pos == self.end {
            let n = self.inner.read(&mut self.buf)?;
            self.pulled += n as u64;
            if self.pulled > self.max {
                self.hit = Some(Hit::Part(self.max));
                return Err(io::Error::other("a part is too large"));
            }
            (self.pos, self.end) = (0, n);
        }
        Ok(&self.buf[self.pos..self.end])
    }

    fn consume(&mut self, n: usize) {
        let n = n.min(self.end - self.pos);
        self.pos += n;
        self.token += n;
    }
}

impl<R: Read> Read for Bounded<R> {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        let available = self.fill_buf()?;
        let n = available.len().min(out.len());
        out[..n].copy_from_slice(&available[..n]);
        self.consume(n);
        Ok(n)
    }
}

/// A part's XML, one event at a time.
struct Xml<R: Read> {
    reader: quick_xml::Reader<Bounded<R>>,
    buf: Vec<u8>,
}

/// Why reading XML stopped.
enum XmlError {
    /// A bound was hit: the file is refused.
    Bound(XlsxError),
    /// Not well-formed (or not readable at all).
    Syntax,
}

impl<R: Read> Xml<R> {
    fn next(&mut self) -> Result<Event<'_>, XmlError> {
        self.buf.clear();
        self.reader.get_mut().mark();
        let hit = &mut None;
        let event = self.reader.read_event_into(&mut self.buf);
        if event.is_err() {
            *hit = self.reader.get_ref().hit;
        }
        event.map_err(|_| match hit {
            Some(Hit::Part(max)) => XmlError::Bound(XlsxError::TooLarge(format!(
                "a part is larger than {} MiB once unpacked",
                *max / (1024 * 1024)
            ))),
            Some(Hit::Token(max)) => {
                XmlError::Bound(XlsxError::TooLarge(format!("it holds a text or tag longer than {} KiB", *max / 1024)))
            }
            None => XmlError::Syntax,
        })
    }
}

/// The value of the attribute `name` (its local name, whatever the prefix), unescaped.
fn attribute(e: &BytesStart<'_>, name: &str) -> Option<String> {
    e.attributes()
        .flatten()
        .find(|a| a.key.local_name().as_ref() == name)
        .and_then(|a| a.normalized_value(XmlVersion::Implicit1_0).ok().map(|v| v.into_owned()))
}

/// The raw value of the attribute `name` (for values that are never escaped: `r`, `t`, `s`).
fn raw_attribute<'e>(e: &'e BytesStart<'_>, name: &str) -> Option<std::borrow::Cow<'e, str>> {
    e.attributes().flatten().find(|a| a.key.as_ref() == name).map(|a| a.value)
}

/// Appends the text of a general reference (`&amp;`, `&#233;`) to `out`.
fn push_reference(out: &mut String, reference: &quick_xml::events::BytesRef<'_>) {
    if let Ok(Some(c)) = reference.resolve_char_ref() {
        out.push(c);
        return;
    }
    match reference.as_ref() {
        "amp" => out.push('&'),
        "lt" => out.push('<'),
        "gt" => out.push('>'),
        "quot" => out.push('"'),
        "apos" => out.push('\''),
        // Entities a DTD would define are not expanded (there is no DTD in a workbook).
        other => {
            out.push('&');
            out.push_str(other);
            out.push(';');
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Workbook, relationships, styles
// ---------------------------------------------------------------------------------------------

struct Book {
    /// The relationship id of the first sheet.
    first_sheet: Option<String>,
    date1904: bool,
}

fn read_workbook<R: Read>(mut xml: Xml<R>) -> Result<Book, XlsxError> {
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
struct Relationships {
    sheet: Option<String>,
    shared_strings: Option<String>,
    styles: Option<String>,
}

fn read_relationships<R: Read>(mut xml: Xml<R>, sheet_id: &str) -> Result<Relationships, XlsxError> {
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
fn read_styles<R: Read>(mut xml: Xml<R>, limits: &Limits) -> Result<Vec<bool>, XlsxError> {
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
fn is_date_format(code: &str) -> bool {
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

// ---------------------------------------------------------------------------------------------
// Shared strings
// ---------------------------------------------------------------------------------------------

/// All shared strings in one text, each ending at its offset.
#[derive(Default)]
struct SharedStrings {
    text: String,
    ends: Vec<u32>,
}

impl SharedStrings {
    fn get(&self, index: usize) -> Option<&str> {
        let end = *self.ends.get(index)? as usize;
        let start = if index == 0 { 0 } else { self.ends[index - 1] as usize };
        self.text.get(start..end)
    }
}

/// Reads `<si>` items: the text of `<t>` elements, directly or in rich-text runs `<r>`; the
/// phonetic runs `<rPh>` are not text of the cell. `count` and `uniqueCount` reserve nothing;
/// declaring more strings than the bound refuses the file at once.
fn read_shared_strings<R: Read>(mut xml: Xml<R>, limits: &Limits) -> Result<SharedStrings, XlsxError> {
    let too_many = || XlsxError::TooLarge(format!("more than {} shared strings", limits.shared_strings));
    let too_long = || {
        XlsxError::TooLarge(format!("more than {} MiB of shared strings", limits.shared_string_bytes / (1024 * 1024)))
    };
    let too_long_cell = || XlsxError::TooLarge(format!("a text longer than {} characters", limits.cell_bytes / 4));
    let mut shared = SharedStrings::default();
    let (mut start, mut in_t, mut phonetic) = (0usize, false, 0u32);
    let push_end = |shared: &mut SharedStrings| -> Result<(), XlsxError> {
        if shared.ends.len() >= limits.shared_strings {
            return Err(too_many());
        }
        shared.ends.push(shared.text.len() as u32);
        Ok(())
    };
    loop {
        let event = match xml.next() {
            Ok(event) => event,
            Err(XmlError::Bound(e)) => return Err(e),
            Err(XmlError::Syntax) => return Err(XlsxError::Unreadable),
        };
        let add = |text: &str, shared: &mut SharedStrings| -> Result<(), XlsxError> {
            if shared.text.len() - start + text.len() > limits.cell_bytes {
                return Err(too_long_cell());
            }
            if shared.text.len() + text.len() > limits.shared_string_bytes {
                return Err(too_long());
            }
            shared.text.push_str(text);
            Ok(())
        };
        match event {
            Event::Start(e) => match e.local_name().as_ref() {
                // The declared counts are never used to reserve memory, but one past the
                // bound refuses the file before any string is read.
                "sst"
                    if ["count", "uniqueCount"].iter().any(|a| {
                        attribute(&e, a)
                            .and_then(|v| v.trim().parse::<u64>().ok())
                            .is_some_and(|n| n > limits.shared_strings as u64)
                    }) =>
                {
                    return Err(too_many());
                }
                "si" => start = shared.text.len(),
                "rPh" => phonetic += 1,
                "t" if phonetic == 0 => in_t = true,
                _ => {}
            },
            Event::Empty(e) if e.local_name().as_ref() == "si" => push_end(&mut shared)?,
            Event::End(e) => match e.local_name().as_ref() {
                "si" => push_end(&mut shared)?,
                "rPh" => phonetic = phonetic.saturating_sub(1),
                "t" => in_t = false,
                _ => {}
            },
            Event::Text(t) if in_t => add(&t.xml10_content(), &mut shared)?,
            Event::CData(t) if in_t => add(&t, &mut shared)?,
            Event::GeneralRef(r) if in_t => {
                let mut one = String::new();
                push_reference(&mut one, &r);
                add(&one, &mut shared)?;
            }
            Event::Eof => break,
            _ => {}
        }
    }
    if shared.text.len() > u32::MAX as usize {
        return Err(too_long());
    }
    shared.text.shrink_to_fit();
    shared.ends.shrink_to_fit();
    Ok(shared)
}

// ---------------------------------------------------------------------------------------------
// The sheet
// ---------------------------------------------------------------------------------------------

/// What types a number: the cell formats that are dates, and the date system.
struct Types {
    date_styles: Vec<bool>,
    date1904: bool,
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
fn dimension_rows(reference: &[u8]) -> Option<u64> {
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

fn read_sheet<R: Read>(
    mut xml: Xml<R>,
    shared: &SharedStrings,
    types: &Types,
    limits: &Limits,
    on_row: &mut impl FnMut(u64, &[Cell]) -> bool,
) -> Result<(), XlsxError> {
    let too_long_cell = || XlsxError::TooLarge(format!("a cell longer than {} characters", limits.cell_bytes / 4));
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

#[cfg(test)]
mod tests {
    use super::*;
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
        let sheet = format!(
            r#"<worksheet {MAIN}>{before_data}<sheetData>{rows}</sheetData><mergeCells count="0"/></worksheet>"#
        );
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
        assert_eq!(err, XlsxError::TooLarge("more than 1000 shared strings".into()));
    }

    #[test]
    fn shared_strings_are_bounded_in_count_bytes_and_length() {
        let rows = r#"<row r="1"><c t="s"><v>0</v></c></row>"#;
        let many = format!("<sst>{}</sst>", "<si><t>x</t></si>".repeat(1001));
        assert!(
            matches!(read(&book(rows, &many, STYLES, false), &LIMITS), Err(XlsxError::TooLarge(m)) if m.contains("1000 shared strings"))
        );
        let bulky = format!("<sst>{}</sst>", format!("<si><t>{}</t></si>", "y".repeat(4000)).repeat(20));
        assert!(
            matches!(read(&book(rows, &bulky, STYLES, false), &LIMITS), Err(XlsxError::TooLarge(m)) if m.contains("MiB of shared strings"))
        );
        // One string longer than a cell may be, in pieces the XML reader takes one at a time.
        let long = format!("<sst><si><t>{}</t></si></sst>", "z&amp;".repeat(3000));
        assert!(
            matches!(read(&book(rows, &long, STYLES, false), &LIMITS), Err(XlsxError::TooLarge(m)) if m.contains("text longer than"))
        );
        // One text token longer than the XML reader may buffer (checked at each refill of its
        // 64 KiB buffer).
        let token = format!("<sst><si><t>{}</t></si></sst>", "w".repeat(200_000));
        assert!(
            matches!(read(&book(rows, &token, STYLES, false), &LIMITS), Err(XlsxError::TooLarge(m)) if m.contains("longer than 8 KiB"))
        );
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
        assert!(matches!(err, XlsxError::TooLarge(ref m) if m.contains("larger than 1 MiB once unpacked")), "{err:?}");
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
        assert_eq!(
            read(&zip(&parts), &LIMITS).unwrap_err(),
            XlsxError::TooLarge("the zip holds more than 100 parts".into())
        );
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
}
