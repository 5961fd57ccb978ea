//! The archive file: a zip holding `manifest.json` and one part per table,
//! `data/<table>.jsonl` (one row per line, see `tables`), each deflated.
//!
//! Writing streams each part into the zip while hashing it. Reading never trusts the zip's own
//! sizes: the manifest is read only up to [`MANIFEST_LIMIT`], a part only up to the bytes its
//! manifest entry names (one byte more is a refusal), and a line only up to [`LINE_LIMIT`].

use super::tables::RowSink;
use crate::audit::key::AuditKey;
use anyhow::{Context, bail};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::fs::File;
use std::io::{BufRead, BufReader, Read, Write};
use std::path::Path;

/// What `format` says in every Mutu backup's manifest.
pub const FORMAT: &str = "mutu-backup";
/// The layout of the archive (not of the schema): this reader reads version 1.
pub const FORMAT_VERSION: u32 = 1;
/// The manifest's name in the zip.
pub const MANIFEST: &str = "manifest.json";
/// The manifest's HMAC-SHA-256 with the audit key, in hex: a manifest rewritten to match
/// altered parts does not verify without the key.
pub const SIGNATURE: &str = "manifest.sig";
/// A manifest larger than this is refused before it is parsed.
pub const MANIFEST_LIMIT: u64 = 1024 * 1024;
/// A row's line longer than this is refused (a 50 MiB attachment is some 67 MiB of base64).
pub const LINE_LIMIT: usize = 96 * 1024 * 1024;
/// Entries in the zip at most.
pub const ENTRIES_LIMIT: usize = 256;

/// The manifest: what the archive holds and how to check it.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Manifest {
    pub format: String,
    pub format_version: u32,
    /// A UUID naming this archive in backup registers.
    pub archive_id: String,
    pub mutu_version: String,
    /// The last migration applied to the database the snapshot was taken of.
    pub schema_version: String,
    /// When the snapshot was taken (RFC 3339, UTC).
    pub made_at: String,
    /// The engine the snapshot was taken from (`sqlite` or `postgres`); the archive itself is
    /// engine-neutral.
    pub engine: String,
    pub audit: AuditMark,
    /// Tables (and settings) deliberately left out.
    pub excluded: Vec<String>,
    pub parts: Vec<Part>,
}

/// The audit chain as the snapshot holds it.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct AuditMark {
    /// Entries in the chain (the head's sequence number).
    pub seq: i64,
    /// The head's hash (the genesis hash of an empty chain).
    pub head: String,
    pub chain_id: Option<String>,
    /// The id of the audit key the chain verifies with (a MAC of a fixed text, not the key).
    pub key_id: String,
}

/// One table's part.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Part {
    pub table: String,
    /// Its name in the zip.
    pub file: String,
    pub columns: Vec<String>,
    pub rows: u64,
    /// Uncompressed bytes.
    pub bytes: u64,
    /// SHA-256 of the uncompressed part, in hex.
    pub sha256: String,
}

impl Manifest {
    pub fn rows_total(&self) -> u64 {
        self.parts.iter().map(|p| p.rows).sum()
    }
}

/// A part's name in the zip.
pub fn part_file(table: &str) -> String {
    format!("data/{table}.jsonl")
}

/// An archive being written: parts one after the other, then the manifest.
pub struct Writer {
    zip: zip::ZipWriter<File>,
    current: Option<(Sha256, u64, u64)>,
}

impl Writer {
    pub fn create(path: &Path) -> anyhow::Result<Writer> {
        let file = File::options()
            .write(true)
            .create_new(true)
            .open(path)
            .with_context(|| format!("cannot create {}", path.display()))?;
        Ok(Writer { zip: zip::ZipWriter::new(file), current: None })
    }

    fn options() -> zip::write::SimpleFileOptions {
        zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated)
            // Parts of large tables pass 4 GiB.
            .large_file(true)
    }

    pub fn start_part(&mut self, table: &str) -> anyhow::Result<()> {
        self.zip.start_file(part_file(table), Self::options())?;
        self.current = Some((Sha256::new(), 0, 0));
        Ok(())
    }

    /// Ends the part: its rows, bytes and SHA-256.
    pub fn end_part(&mut self) -> anyhow::Result<(u64, u64, String)> {
        let (hash, rows, bytes) = self.current.take().context("no part is open")?;
        Ok((rows, bytes, hex::encode(hash.finalize())))
    }

    /// Writes the manifest and its signature and closes the file; returns the manifest's SHA-256.
    pub fn finish(mut self, manifest: &Manifest, key: &AuditKey) -> anyhow::Result<String> {
        let bytes = serde_json::to_vec_pretty(manifest)?;
        self.zip.start_file(MANIFEST, Self::options())?;
        self.zip.write_all(&bytes)?;
        self.zip.start_file(SIGNATURE, Self::options())?;
        self.zip.write_all(key.sign(&bytes).as_bytes())?;
        let file = self.zip.finish()?;
        file.sync_all()?;
        Ok(hex::encode(Sha256::digest(&bytes)))
    }
}

impl RowSink for Writer {
    fn row(&mut self, line: &[u8]) -> anyhow::Result<()> {
        let (hash, rows, bytes) = self.current.as_mut().context("no part is open")?;
        hash.update(line);
        hash.update(b"\n");
        *rows += 1;
        *bytes += line.len() as u64 + 1;
        self.zip.write_all(line)?;
        self.zip.write_all(b"\n")?;
        Ok(())
    }
}

/// An archive opened for reading, its manifest read and checked for shape.
pub struct Reader {
    zip: zip::ZipArchive<BufReader<File>>,
    pub manifest: Manifest,
    /// SHA-256 of the manifest's bytes.
    pub manifest_sha256: String,
    manifest_bytes: Vec<u8>,
    signature: String,
    pub size: u64,
}

impl Reader {
    pub fn open(path: &Path) -> anyhow::Result<Reader> {
        let file = File::open(path).with_context(|| format!("cannot open {}", path.display()))?;
        let size = file.metadata()?.len();
        let mut zip = zip::ZipArchive::new(BufReader::new(file))
            .map_err(|e| anyhow::anyhow!("{} is not a Mutu backup (not a zip archive: {e})", path.display()))?;
        if zip.len() > ENTRIES_LIMIT {
            bail!("{} is not a Mutu backup: {} entries (at most {ENTRIES_LIMIT})", path.display(), zip.len());
        }
        let mut bytes = Vec::new();
        {
            let entry = zip
                .by_name(MANIFEST)
                .map_err(|_| anyhow::anyhow!("{} is not a Mutu backup: it has no {MANIFEST}", path.display()))?;
            entry.take(MANIFEST_LIMIT + 1).read_to_end(&mut bytes)?;
        }
        if bytes.len() as u64 > MANIFEST_LIMIT {
            bail!("the manifest is larger than {MANIFEST_LIMIT} bytes: refused");
        }
        let manifest: Manifest =
            serde_json::from_slice(&bytes).map_err(|e| anyhow::anyhow!("the manifest is not readable: {e}"))?;
        if manifest.format != FORMAT {
            bail!("{} is not a Mutu backup (its manifest's format is {:?})", path.display(), manifest.format);
        }
        if manifest.format_version != FORMAT_VERSION {
            bail!(
                "the archive's format version {} is not one this Mutu reads ({FORMAT_VERSION})",
                manifest.format_version
            );
        }
        for part in &manifest.parts {
            if part.file != part_file(&part.table) {
                bail!("the manifest names part {:?} for table {:?}: refused", part.file, part.table);
            }
        }
        let mut signature = String::new();
        if let Ok(entry) = zip.by_name(SIGNATURE) {
            entry.take(128).read_to_string(&mut signature).context("the manifest's signature is not readable")?;
        }
        let manifest_sha256 = hex::encode(Sha256::digest(&bytes));
        Ok(Reader { zip, manifest, manifest_sha256, manifest_bytes: bytes, signature, size })
    }

    /// Refuses a manifest that was not signed with `key` (named by its id in the message).
    pub fn check_signature(&self, key: &AuditKey) -> anyhow::Result<()> {
        if self.manifest.audit.key_id != key.id() {
            bail!(
                "the archive was signed with audit key {} and this audit key is {}: give the key of the database the \
                 backup was taken from (MUTU_AUDIT_KEY or MUTU_AUDIT_KEY_FILE)",
                self.manifest.audit.key_id,
                key.id()
            );
        }
        if !key.verifies(&self.manifest_bytes, self.signature.trim()) {
            bail!("the manifest's signature does not verify: the manifest was altered (or the archive is not whole)");
        }
        Ok(())
    }

    /// Opens `part` for reading line by line (see [`PartLines`]).
    pub fn part(&mut self, part: &Part) -> anyhow::Result<PartLines<'_>> {
        let entry = self
            .zip
            .by_name(&part.file)
            .map_err(|_| anyhow::anyhow!("part {} is missing from the archive", part.file))?;
        Ok(PartLines {
            reader: BufReader::with_capacity(256 * 1024, entry.take(part.bytes + 1)),
            part: part.clone(),
            hash: Sha256::new(),
            rows: 0,
            bytes: 0,
            line: Vec::new(),
        })
    }

    /// Reads `part` whole, checking it against its manifest entry (see [`PartLines`]).
    pub fn check_part(&mut self, part: &Part) -> anyhow::Result<()> {
        let mut lines = self.part(part)?;
        while lines.next_line()?.is_some() {}
        lines.finish()
    }
}

/// A part read line by line, hashed and counted as it goes. Refuses a part longer than its
/// manifest entry or a line over [`LINE_LIMIT`] as soon as it is read; [`PartLines::finish`]
/// then refuses a SHA-256, byte or row count that differs from the entry. Lines are handed out
/// before the hash is known: use them only where a refusal at the end undoes them.
pub struct PartLines<'a> {
    reader: BufReader<std::io::Take<zip::read::ZipFile<'a, BufReader<File>>>>,
    part: Part,
    hash: Sha256,
    rows: u64,
    bytes: u64,
    line: Vec<u8>,
}

impl PartLines<'_> {
    /// The next line, without its newline; `None` at the end.
    pub fn next_line(&mut self) -> anyhow::Result<Option<&[u8]>> {
        let part = &self.part;
        self.line.clear();
        let n = (&mut self.reader).take(LINE_LIMIT as u64 + 1).read_until(b'\n', &mut self.line)?;
        if n == 0 {
            return Ok(None);
        }
        self.bytes += n as u64;
        if self.bytes > part.bytes {
            bail!("part {} is longer than the {} bytes its manifest entry says: refused", part.file, part.bytes);
        }
        if self.line.last() != Some(&b'\n') {
            if self.line.len() > LINE_LIMIT {
                bail!("part {} has a line longer than {LINE_LIMIT} bytes: refused", part.file);
            }
            bail!("part {} ends in the middle of a line", part.file);
        }
        self.hash.update(&self.line);
        self.rows += 1;
        Ok(Some(&self.line[..self.line.len() - 1]))
    }

    /// Checks what was read against the manifest entry (call it after the last line).
    pub fn finish(self) -> anyhow::Result<()> {
        let part = &self.part;
        let sha = hex::encode(self.hash.finalize());
        if sha != part.sha256 {
            bail!("part {}: its SHA-256 does not match the manifest (the archive was altered or damaged)", part.file);
        }
        if self.bytes != part.bytes {
            bail!("part {}: {} bytes, the manifest says {}", part.file, self.bytes, part.bytes);
        }
        if self.rows != part.rows {
            bail!("part {}: {} rows, the manifest says {}", part.file, self.rows, part.rows);
        }
        Ok(())
    }
}
