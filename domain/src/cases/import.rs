//! The rules of the agree import that need no database: the export's columns (English and
//! Indonesian names) and the header's check, how a refusal quotes the file, the import's bounds,
//! and the import's answer. One row's rules are in `import_row`, its faults in `row_problems`.

use super::{FileProblem, ImportColumn, RowProblem, UnknownColumn};
use serde::{Deserialize, Serialize};

/// The columns of a MyCX/TAMARA agree export, in order.
pub const IMPORT_COLUMNS: [&str; 10] = [
    "customer_no",
    "customer_name",
    "service",
    "bucket",
    "bill_amount",
    "agent_username",
    "call_at",
    "reason",
    "promise_date",
    "recording_ref",
];

/// The same columns by their Indonesian names, accepted as well (the import page shows both).
pub const IMPORT_COLUMNS_ID: [&str; 10] = [
    "nomor_pelanggan",
    "nama_pelanggan",
    "layanan",
    "bucket",
    "jumlah_tagihan",
    "username_agent",
    "waktu_call",
    "alasan",
    "tanggal_janji_bayar",
    "referensi_rekaman",
];

/// Most data rows (after the header; blank rows not counted) one import file may hold, CSV or
/// XLSX. A larger file is refused whole, and nothing of it is stored.
pub const IMPORT_MAX_ROWS: u64 = 1_000_000;

/// Refused rows listed in the answer of an import; the rest are counted
/// ([`ImportResult::rejected_total`]) and all can be downloaded as CSV.
pub const IMPORT_REJECTED_LISTED: usize = 1_000;

/// Characters of the file's own text quoted back in a refusal (a cell, a column name); longer
/// text is cut and ends in `…`.
pub const ECHO_CHARS: usize = 40;

/// Unknown column names listed in a header's refusal; the rest are counted.
const ECHO_NAMES: usize = 5;

/// A header name as it is compared: trimmed, without a byte order mark, in lower case (any
/// script), with spaces, dots and hyphens read as `_` and runs of `_` as one. So `Customer No`,
/// `CUSTOMER_NO` and `customer-no` are `customer_no`, and `Nomor Pelanggan` is `nomor_pelanggan`.
pub fn header_key(name: &str) -> String {
    let mut key = String::with_capacity(name.len());
    for c in name.trim().trim_start_matches('\u{feff}').trim().chars().flat_map(char::to_lowercase) {
        let c = if c.is_whitespace() || matches!(c, '.' | '-' | '_') { '_' } else { c };
        if !(c == '_' && (key.is_empty() || key.ends_with('_'))) {
            key.push(c);
        }
    }
    while key.ends_with('_') {
        key.pop();
    }
    key
}

/// What is wrong with a header, for any import's columns `C`.
pub enum HeaderFault<C> {
    /// One column named twice (under its English and its Indonesian name, say).
    Twice(C),
    /// Required columns missing, or names of no column; `more` unknown names were not listed.
    Columns { missing: Vec<C>, unknown: Vec<UnknownColumn>, more: u64 },
}

/// Reads a header row against the columns `all` (each at its own index in `all`), named by
/// `names` (English, Indonesian) and compared by [`header_key`]; the order may differ. Every
/// name must be a column, none twice, and every column for which `required` holds present.
/// Returns, for each column, its index in the file (`usize::MAX` for an optional one absent).
/// The refusal quotes at most a few names, each cut to [`ECHO_CHARS`]. Both imports read their
/// headers with it: the agree export's ([`map_header`]) and the billing system's payments.
pub fn map_columns<C: Copy, const N: usize>(
    header: &[String],
    all: [C; N],
    names: impl Fn(C) -> [&'static str; 2],
    required: impl Fn(C) -> bool,
) -> Result<[usize; N], HeaderFault<C>> {
    let mut at = [usize::MAX; N];
    let mut unknown = Vec::new();
    let mut more = 0u64;
    for (i, cell) in header.iter().enumerate() {
        let name = cell.trim().trim_start_matches('\u{feff}');
        let key = header_key(name);
        match (0..N).find(|&c| names(all[c]).contains(&key.as_str())) {
            Some(c) if at[c] == usize::MAX => at[c] = i,
            Some(c) => return Err(HeaderFault::Twice(all[c])),
            None if unknown.len() >= ECHO_NAMES => more += 1,
            None => unknown.push(UnknownColumn { position: i as u64 + 1, name: echo(&name.to_lowercase()) }),
        }
    }
    let missing: Vec<C> = (0..N).filter(|&c| at[c] == usize::MAX && required(all[c])).map(|c| all[c]).collect();
    if missing.is_empty() && unknown.is_empty() { Ok(at) } else { Err(HeaderFault::Columns { missing, unknown, more }) }
}

/// Checks a header row of the agree export: every column present once, nothing else. A column
/// may be named in English or in Indonesian ([`IMPORT_COLUMNS_ID`]), compared by [`header_key`]
/// (so without regard to case); the order may differ. Returns, for each of [`IMPORT_COLUMNS`],
/// its index in the file. The refusal quotes at most a few names, each cut to [`ECHO_CHARS`].
pub fn map_header(header: &[String]) -> Result<[usize; 10], FileProblem> {
    map_columns(header, ImportColumn::ALL, |c| [c.name(), c.name_id()], |_| true).map_err(|fault| match fault {
        HeaderFault::Twice(column) => FileProblem::ColumnTwice { column },
        HeaderFault::Columns { missing, unknown, more } => FileProblem::Columns { missing, unknown, more },
    })
}

/// The agree import's header check: [`map_header`], except that the header of the billing
/// system's payment export is refused as such ([`FileProblem::LooksLikePayments`]), which says
/// more than its list of missing and unexpected columns.
pub fn map_agree_header(header: &[String]) -> Result<[usize; 10], FileProblem> {
    map_header(header).map_err(|problem| {
        if crate::promises::map_payment_columns(header).is_ok() { FileProblem::LooksLikePayments } else { problem }
    })
}

/// The file's own text as a refusal quotes it: trimmed, at most [`ECHO_CHARS`] characters, cut
/// text ending in `…`, control characters (which a database may not store) shown as `�`.
pub fn echo(text: &str) -> String {
    let t = text.trim();
    let shown = |s: &str| s.chars().map(|c| if c.is_control() { '\u{fffd}' } else { c }).collect::<String>();
    match t.char_indices().nth(ECHO_CHARS) {
        Some((cut, _)) => format!("{}…", shown(&t[..cut])),
        None => shown(t),
    }
}

/// A row the import refused.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RejectedRow {
    /// As a spreadsheet numbers it: the header is row 1.
    pub row: u64,
    /// Every fault of the row in English words, `; ` between them (as the CSV download has it).
    pub error: String,
    /// Every fault of the row as a code with its values, in the order of the columns: what the
    /// browser words in the user's language.
    #[serde(default)]
    pub problems: Vec<RowProblem>,
    /// A payment import's row (`GET /api/imports/{id}/rejections` of one): the faults of its
    /// cells, as the payment import's answer has them ([`crate::promises::PaymentRejectedRow`]);
    /// `problems` then holds the faults of the row as a whole. Absent for an agree import.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub payment_problems: Vec<crate::promises::PaymentRowProblem>,
}

/// `POST /api/cases/import`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ImportResult {
    /// The import's record; `GET /api/imports/{import_id}/rejections.csv` lists every refused row.
    pub import_id: i64,
    pub imported: u64,
    pub duplicates: u64,
    /// The first [`IMPORT_REJECTED_LISTED`] refused rows, by row number.
    pub rejected: Vec<RejectedRow>,
    /// Every refused row, listed or not.
    pub rejected_total: u64,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(list: &[&str]) -> Vec<String> {
        list.iter().map(|c| c.to_string()).collect()
    }

    #[test]
    fn headers_must_have_exactly_the_columns() {
        let header: Vec<String> = IMPORT_COLUMNS.iter().rev().map(|c| c.to_uppercase()).collect();
        let at = map_header(&header).unwrap();
        assert_eq!(at[0], 9);
        assert_eq!(map_header(&names(&IMPORT_COLUMNS[..9])).unwrap_err().to_string(), "missing columns: recording_ref");
        let mut long = names(&IMPORT_COLUMNS);
        long.push("notes".into());
        assert_eq!(map_header(&long).unwrap_err().to_string(), "unexpected columns: notes");
        let mut bom = names(&IMPORT_COLUMNS);
        bom[0] = "\u{feff}customer_no".into();
        assert!(map_header(&bom).is_ok());
    }

    #[test]
    fn headers_in_indonesian_or_any_case_are_read() {
        // The Indonesian names, as a spreadsheet user types them.
        let typed: Vec<String> = IMPORT_COLUMNS_ID.iter().map(|c| c.replace('_', " ").to_uppercase()).collect();
        assert_eq!(map_header(&typed).unwrap(), [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
        // English and Indonesian mixed, in title case and with hyphens, in another order.
        let mixed = names(&[
            "Referensi Rekaman",
            "Customer-No",
            "Nama Pelanggan",
            "SERVICE",
            "Bucket",
            "Jumlah_Tagihan",
            " Agent Username ",
            "Waktu Call",
            "reason",
            "Tanggal Janji Bayar",
        ]);
        assert_eq!(map_header(&mixed).unwrap(), [1, 2, 3, 4, 5, 6, 7, 8, 9, 0]);
        // One column under both of its names is there twice.
        let mut twice = names(&IMPORT_COLUMNS);
        twice[0] = "nomor_pelanggan".into();
        twice.push("Customer_No".into());
        assert_eq!(map_header(&twice).unwrap_err(), FileProblem::ColumnTwice { column: ImportColumn::CustomerNo });
        assert_eq!(map_header(&twice).unwrap_err().to_string(), "column customer_no appears twice");
        assert_eq!(header_key("\u{feff} Nomor  Pelanggan. "), "nomor_pelanggan");
        assert_eq!(header_key("ÜBER-Spalte"), "über_spalte");
    }

    #[test]
    fn refusals_quote_the_file_briefly() {
        // A header of one 2 MB cell, and one of 100,000 unknown names.
        let mut huge = names(&IMPORT_COLUMNS);
        huge.push("x".repeat(2_000_000));
        let said = map_header(&huge).unwrap_err().to_string();
        assert_eq!(said, format!("unexpected columns: {}…", "x".repeat(ECHO_CHARS)));
        let many: Vec<String> = (0..100_000).map(|i| format!("kolom{i}")).collect();
        let said = map_header(&many).unwrap_err().to_string();
        assert!(said.len() < 400, "{said}");
        assert!(said.ends_with("kolom4 and 99995 more"), "{said}");
        assert_eq!(echo("  Budi  "), "Budi");
        assert_eq!(echo("TV\u{0}"), "TV\u{fffd}");
    }
}
