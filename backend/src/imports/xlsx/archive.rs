//! The zip of a workbook: its central directory read entry by entry (ZIP64 included), keeping
//! only short part names, and a part opened at its local header as bounded XML.

use super::xml::{Bounded, Xml};
use super::{Limits, WorkbookBound, XlsxError};
use std::collections::HashMap;
use std::io::{self, Read, Seek, SeekFrom};

/// Longest part name kept from the central directory; parts of a workbook have short names.
const PART_NAME_MAX: usize = 512;

/// Where a part is in the zip, as its central directory entry says.
#[derive(Debug, Clone, Copy)]
pub(super) struct Part {
    local_header: u64,
    compressed: u64,
    crc: u32,
}

/// The parts of the zip by lower-case name (OPC part names are case-insensitive).
pub(super) struct ZipIndex {
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
    pub(super) fn read<R: Read + Seek>(file: &mut R, limits: &Limits) -> Result<ZipIndex, XlsxError> {
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
            return Err(XlsxError::TooLarge(WorkbookBound::ZipParts, limits.zip_entries));
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

    pub(super) fn get(&self, name: &str) -> Option<Part> {
        self.parts.get(&normalise(name)).copied()
    }
}

/// A part name for lookup: lower case, `/` separators, no leading `/`.
fn normalise(name: &str) -> String {
    name.trim_start_matches(['/', '\\']).replace('\\', "/").to_lowercase()
}

/// Resolves a relationship's target against the folder of the part that holds it (`xl/`).
pub(super) fn resolve(base: &str, target: &str) -> String {
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
pub(super) fn open<'a, R: Read + Seek>(
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
