//! The strings of the agree import: its page, its columns, and why it refused a row (the codes
//! of `domain::cases::RowProblem`, worded here and nowhere else) or a file, in Bahasa Indonesia
//! and English.

use super::{K, Lang, t, tf};
use domain::cases::{FileProblem, ImportColumn, RowProblem, UnknownColumn, WorkbookBound};

/// This area's keys, added to the ones gathered so far; then the next area's macro (the last
/// is `table!`, which makes the one `K` enum).
macro_rules! imports_keys {
    ([$next:ident $($rest:ident)*] $($acc:tt)*) => {
        $next! { [$($rest)*] $($acc)*
        // The payment import
        PaymentImportTitle => "Impor pembayaran", "Import payments";
        PaymentImportIntro => "Unggah berkas pembayaran dari billing (CSV atau XLSX). Status janji bayar dihitung ulang; referensi yang sama dua kali tidak menambah apa pun.",
            "Upload the billing system's payment file (CSV or XLSX). Promise statuses are worked out again; the same reference twice adds nothing.";
        PaymentImportHint => "Reversal membatalkan pembayaran dengan referensi yang sama. Pembayaran tanpa agree disimpan dan dipakai bila agree-nya datang.",
            "A reversal undoes the payment of the same reference. Payments without an agree are kept, and used when their agree comes.";
        ReversedRows => "pembatalan", "reversals";
        UnmatchedRows => "tanpa agree", "without an agree";
        PayColCustomer => "Nomor pelanggan, sama seperti di agree", "Customer number, as in the agree";
        PayColPaidAt => "Waktu bayar (waktu situs, atau ISO 8601)", "Time of payment (site time, or ISO 8601)";
        PayColAmount => "Jumlah dalam rupiah", "Amount in rupiah";
        PayColRef => "Referensi pembayaran dari billing, unik", "The billing system's unique payment reference";
        PayColKind => "Opsional: payment (bawaan) atau reversal", "Optional: payment (the default) or reversal";
        PayColChannel => "Opsional: kanal pembayaran", "Optional: payment channel";
        // The agree import
        ImportTitle => "Impor agree", "Import agrees";
        ImportIntro => "Unggah ekspor agree harian dari MyCX/TAMARA (CSV atau XLSX). Baris yang benar disimpan walaupun ada baris lain yang salah; berkas yang sama dua kali tidak menambah apa pun.",
            "Upload the day's agree export from MyCX/TAMARA (CSV or XLSX). Good rows are kept even when others are bad; the same file twice adds nothing.";
        ImportChoose => "Berkas ekspor", "Export file";
        ImportFileLabel => "Pilih berkas CSV atau XLSX", "Choose a CSV or XLSX file";
        ImportFileHint => "Baris pertama adalah judul kolom. Maksimal 50 MB.", "The first row holds the column names. At most 50 MB.";
        ImportSubmit => "Unggah dan impor", "Upload and import";
        ImportUploading => "Mengunggah…", "Uploading…";
        ImportUploadingPercent => "Mengunggah… {0}%", "Uploading… {0}%";
        ImportProcessing => "Memproses baris…", "Processing the rows…";
        ImportNoFile => "Pilih berkas terlebih dahulu.", "Choose a file first.";
        ImportTooLarge => "Berkas lebih dari 50 MB.", "The file is larger than 50 MB.";
        ImportFileRefused => "Berkas ditolak:", "File refused:";
        ImportedRows => "baris diimpor", "rows imported";
        DuplicateRows => "duplikat dilewati", "duplicates skipped";
        RejectedRows => "baris ditolak", "rows rejected";
        ImportAllGood => "Semua baris terbaca dengan benar.", "Every row was read correctly.";
        RowNumber => "Baris", "Row";
        RejectReason => "Alasan ditolak", "Why it was refused";
        ImportColumnsTitle => "Kolom yang dibaca", "Columns read";
        ImportColumnsIntro => "Urutan kolom bebas. Setiap kolom boleh diberi nama bahasa Inggris atau bahasa Indonesia (nama kedua); huruf besar/kecil, spasi dan garis bawah tidak berpengaruh.",
            "Columns may come in any order. Each may be named in English or in Indonesian (the second name); case, spaces and underscores do not matter.";
        ImportColumnNames => "Nama kolom, dalam bahasa Inggris / Indonesia", "Column names, in English / Indonesian";
        ImportCallAtHint => "Waktu call ditulis dalam waktu lokasi, atau ISO 8601 dengan Z atau selisih zona waktu seperti dari dialer dan API (diubah ke waktu lokasi). Contoh:",
            "Call times are site time, or ISO 8601 with Z or an offset as diallers and APIs write them (converted to site time). For example:";
        ImportPairsHint => "Layanan dan bucket mengikuti SOP: CT-0 untuk tunggakan N+2, PRANPC untuk tunggakan N dan N+1.",
            "Service and bucket as the SOP pairs them: CT-0 for arrears of N+2, PRANPC for arrears of N and N+1.";
        ImportTeamHint => "Sebagai team leader, Anda hanya dapat mengimpor agree agent tim Anda sendiri; baris agent tim lain ditolak.",
            "As a team leader you import only your own team's agrees; rows of other teams' agents are refused.";
        ImportColCustomerNo => "Nomor pelanggan", "Customer number";
        ImportColCustomerName => "Nama pelanggan", "Customer name";
        ImportColService => "Layanan (CT-0 atau PRANPC)", "Service (CT-0 or PRANPC)";
        ImportColBucket => "Bucket tunggakan (N, N+1, N+2)", "Arrears bucket (N, N+1, N+2)";
        ImportColBillAmount => "Jumlah tagihan (rupiah)", "Bill amount (rupiah)";
        ImportColAgentUsername => "Username agent", "The agent's username";
        ImportColCallAt => "Waktu call", "Call time";
        ImportColReason => "Alasan (boleh kosong)", "Reason (may be empty)";
        ImportColPromiseDate => "Tanggal janji bayar", "Promised payment date";
        ImportColRecordingRef => "Referensi rekaman (boleh kosong)", "Recording reference (may be empty)";
        ImportTemplate => "Unduh templat CSV", "Download the CSV template";
        ImportRowLimitHint => "Paling banyak {0} baris data per berkas.", "At most {0} data rows per file.";
        ImportRejectedShown => "Menampilkan {0} baris pertama dari {1} baris yang ditolak.", "Showing the first {0} of {1} refused rows.";
        ImportRejectedDownload => "Unduh semua baris yang ditolak (CSV)", "Download every refused row (CSV)";
        ImportRejectedPreparing => "Menyiapkan unduhan…", "Preparing the download…";
        // Why a row was refused: the codes of `domain::cases::RowProblem`.
        RowEmpty => "{0} kosong", "{0} is empty";
        RowControlChars => "{0} berisi karakter kontrol", "{0} contains control characters";
        RowTooLong => "{0} lebih dari {1} karakter", "{0} is longer than {1} characters";
        RowUnknownService => "Layanan tidak dikenal {0} (CT-0 atau PRANPC)", "Unknown service {0} (CT-0 or PRANPC)";
        RowUnknownBucket => "Bucket tidak dikenal {0} (N, N+1 atau N+2)", "Unknown bucket {0} (N, N+1 or N+2)";
        RowServiceBucket => "Layanan {0} tidak melayani bucket {1}: menurut SOP, CT-0 untuk tunggakan N+2 dan PRANPC untuk N dan N+1",
            "Service {0} does not serve bucket {1}: by the SOP, CT-0 serves arrears of N+2 and PRANPC of N and N+1";
        RowAmountNegative => "Jumlah tagihan negatif", "The bill amount is negative";
        RowAmountInvalid => "Jumlah tagihan bukan angka {0}", "The bill amount is not an amount: {0}";
        RowAmountTooLarge => "Jumlah tagihan terlalu besar", "The bill amount is too large";
        RowCallAtInvalid => "Waktu call tidak valid {0} (YYYY-MM-DD JJ:MM, atau ISO 8601 dengan Z atau selisih zona waktu)",
            "Invalid call time {0} (YYYY-MM-DD HH:MM, or ISO 8601 with Z or an offset)";
        RowPromiseInvalid => "Tanggal janji bayar tidak valid {0} (YYYY-MM-DD)", "Invalid promised payment date {0} (YYYY-MM-DD)";
        RowPromiseBeforeCall => "Tanggal janji bayar sebelum tanggal call", "The promised payment date is before the call";
        RowUnknownAgent => "Agent tidak dikenal {0} (tidak ada agent aktif dengan username ini)",
            "Unknown agent {0} (no active agent has this username)";
        RowAgentNotInTeam => "Agent {0} bukan anggota tim Anda: team leader hanya mengimpor agree agent timnya sendiri",
            "Agent {0} is not in your team: a team leader imports only their own team's agrees";
        RowCellCount => "Baris berisi {0} sel; judul kolom berisi {1}", "The row has {0} cells; the header has {1}";
        RowNotUtf8 => "Baris ini bukan teks UTF-8 yang valid; simpan berkas sebagai \"CSV UTF-8\"",
            "The row is not valid UTF-8 text; save the file as \"CSV UTF-8\"";
        RowTooLongKib => "Baris ini lebih panjang dari {0} KiB", "The row is longer than {0} KiB";
        RowCsvUnreadable => "Baris ini tidak bisa dibaca sebagai CSV", "The row could not be read as CSV";
        RowWorkbookDamaged => "Workbook rusak mulai baris ini", "The workbook is damaged from this row on";
        // Why a whole file was refused: the codes of `domain::cases::FileProblem`.
        FileEmpty => "Berkas kosong", "The file is empty";
        FileNotCsvOrXlsx => "Berkas ini bukan CSV atau XLSX", "The file is not a CSV or XLSX file";
        FileOldExcel => "Ini berkas Excel 97 (.xls) lama; simpan sebagai XLSX atau CSV",
            "This is an old Excel 97 (.xls) file; save it as XLSX or CSV";
        FileUnreadable => "Berkas tidak bisa dibaca sebagai CSV atau XLSX", "The file could not be read as CSV or XLSX";
        FileNoHeader => "Berkas tidak punya baris judul kolom", "The file has no header row";
        FileHeaderTooLong => "Baris judul kolom lebih panjang dari {0} KiB; baris pertama harus berisi nama kolom",
            "The header row is longer than {0} KiB; the first row must name the columns";
        FileHeaderNotUtf8 => "Judul kolom bukan teks UTF-8; simpan berkas sebagai \"CSV UTF-8\"",
            "The header is not UTF-8 text; save the file as \"CSV UTF-8\"";
        FileMissingColumns => "Kolom tidak ada: {0}", "Missing columns: {0}";
        FileUnknownColumns => "kolom tidak dikenal: {0}", "unexpected columns: {0}";
        FileUnknownMore => "{0} dan {1} lainnya", "{0} and {1} more";
        FileBlankColumn => "(kosong, kolom {0})", "(empty, column {0})";
        FileColumnTwice => "Kolom {0} muncul dua kali", "Column {0} appears twice";
        FileTooManyRows => "Berkas berisi lebih dari {0} baris; pecah menjadi beberapa berkas yang lebih kecil",
            "The file has more than {0} rows; split it into smaller files";
        FileNotXlsx => "Berkas bukan workbook XLSX yang bisa dibaca", "The file is not a readable XLSX workbook";
        FileNoSheet => "Workbook tidak punya sheet", "The workbook has no sheet";
        FileSheetUnreadable => "Sheet pertama workbook tidak bisa dibaca", "The first sheet of the workbook could not be read";
        FileSheetEmpty => "Sheet pertama workbook kosong", "The workbook's first sheet is empty";
        FileWorkbookTooLarge => "Workbook terlalu besar untuk diimpor: {0}", "The workbook is too large to import: {0}";
        FileLooksLikeAgrees => "Berkas ini tampaknya ekspor agree, bukan berkas pembayaran; impor sebagai agree",
            "This looks like the agree export, not a payment file; import it as agrees";
        FileLooksLikePayments => "Berkas ini tampaknya berkas pembayaran dari sistem billing, bukan ekspor agree; impor sebagai pembayaran",
            "This looks like a payment file of the billing system, not the agree export; import it as payments";
        BoundZipParts => "zip berisi lebih dari {0} bagian", "the zip holds more than {0} parts";
        BoundPartMib => "ada bagian yang lebih besar dari {0} MiB setelah dibuka", "a part is larger than {0} MiB once unpacked";
        BoundTokenKib => "ada teks atau tag yang lebih panjang dari {0} KiB", "it holds a text or tag longer than {0} KiB";
        BoundSharedStrings => "lebih dari {0} teks bersama (shared strings)", "more than {0} shared strings";
        BoundSharedStringsMib => "lebih dari {0} MiB teks bersama (shared strings)", "more than {0} MiB of shared strings";
        BoundCellChars => "ada sel yang lebih panjang dari {0} karakter", "a cell longer than {0} characters";
        BoundTextChars => "ada teks yang lebih panjang dari {0} karakter", "a text longer than {0} characters";
        }
    };
}

/// What a column of the export holds, in words.
pub fn import_column_key(column: ImportColumn) -> K {
    use ImportColumn as C;
    match column {
        C::CustomerNo => K::ImportColCustomerNo,
        C::CustomerName => K::ImportColCustomerName,
        C::Service => K::ImportColService,
        C::Bucket => K::ImportColBucket,
        C::BillAmount => K::ImportColBillAmount,
        C::AgentUsername => K::ImportColAgentUsername,
        C::CallAt => K::ImportColCallAt,
        C::Reason => K::ImportColReason,
        C::PromiseDate => K::ImportColPromiseDate,
        C::RecordingRef => K::ImportColRecordingRef,
    }
}

/// A column as a refusal names it: its words without the parenthesis.
fn column_name(lang: Lang, column: ImportColumn) -> &'static str {
    let text = t(lang, import_column_key(column));
    text.split_once(" (").map_or(text, |(name, _)| name)
}

/// One fault of a refused row in `lang`.
pub fn row_problem(lang: Lang, problem: &RowProblem) -> String {
    use RowProblem as P;
    let n = |v: u64| crate::datetime::count(lang, v.min(i64::MAX as u64) as i64);
    let quoted = |v: &str| format!("\"{v}\"");
    match problem {
        P::Empty { column } => tf(lang, K::RowEmpty, &[column_name(lang, *column)]),
        P::ControlCharacters { column } => tf(lang, K::RowControlChars, &[column_name(lang, *column)]),
        P::TooLong { column, max } => tf(lang, K::RowTooLong, &[column_name(lang, *column), &n(u64::from(*max))]),
        P::UnknownService { value } => tf(lang, K::RowUnknownService, &[&quoted(value)]),
        P::UnknownBucket { value } => tf(lang, K::RowUnknownBucket, &[&quoted(value)]),
        P::ServiceBucketMismatch { service, bucket } => {
            tf(lang, K::RowServiceBucket, &[service.label(), bucket.label()])
        }
        P::AmountNegative => t(lang, K::RowAmountNegative).to_owned(),
        P::AmountInvalid { value } => tf(lang, K::RowAmountInvalid, &[&quoted(value)]),
        P::AmountTooLarge => t(lang, K::RowAmountTooLarge).to_owned(),
        P::CallAtInvalid { value } => tf(lang, K::RowCallAtInvalid, &[&quoted(value)]),
        P::PromiseDateInvalid { value } => tf(lang, K::RowPromiseInvalid, &[&quoted(value)]),
        P::PromiseBeforeCall => t(lang, K::RowPromiseBeforeCall).to_owned(),
        P::UnknownAgent { value } => tf(lang, K::RowUnknownAgent, &[&quoted(value)]),
        P::AgentNotInTeam { value } => tf(lang, K::RowAgentNotInTeam, &[&quoted(value)]),
        P::CellCount { cells, columns } => tf(lang, K::RowCellCount, &[&n(*cells), &n(*columns)]),
        P::NotUtf8 => t(lang, K::RowNotUtf8).to_owned(),
        P::RowTooLong { kib } => tf(lang, K::RowTooLongKib, &[&n(*kib)]),
        P::CsvUnreadable { .. } => t(lang, K::RowCsvUnreadable).to_owned(),
        P::WorkbookDamaged => t(lang, K::RowWorkbookDamaged).to_owned(),
    }
}

/// Why the import refused a whole file, in `lang`. Column names are the file's own header names
/// (as the template writes them), not translated.
pub fn file_problem(lang: Lang, problem: &FileProblem) -> String {
    use FileProblem as F;
    let n = |v: u64| crate::datetime::count(lang, v.min(i64::MAX as u64) as i64);
    match problem {
        F::EmptyFile => t(lang, K::FileEmpty).to_owned(),
        F::NotCsvOrXlsx => t(lang, K::FileNotCsvOrXlsx).to_owned(),
        F::OldExcel => t(lang, K::FileOldExcel).to_owned(),
        F::Unreadable => t(lang, K::FileUnreadable).to_owned(),
        F::NoHeader => t(lang, K::FileNoHeader).to_owned(),
        F::HeaderTooLong { kib } => tf(lang, K::FileHeaderTooLong, &[&n(*kib)]),
        F::HeaderNotUtf8 => t(lang, K::FileHeaderNotUtf8).to_owned(),
        F::Columns { missing, unknown, more } => {
            columns(lang, missing.iter().map(|c| c.name()).collect(), unknown, *more)
        }
        F::PaymentColumns { missing, unknown, more } => {
            columns(lang, missing.iter().map(|c| c.name()).collect(), unknown, *more)
        }
        F::ColumnTwice { column } => tf(lang, K::FileColumnTwice, &[column.name()]),
        F::PaymentColumnTwice { column } => tf(lang, K::FileColumnTwice, &[column.name()]),
        F::LooksLikeAgrees => t(lang, K::FileLooksLikeAgrees).to_owned(),
        F::LooksLikePayments => t(lang, K::FileLooksLikePayments).to_owned(),
        F::TooManyRows { max } => tf(lang, K::FileTooManyRows, &[&n(*max)]),
        F::NotXlsx => t(lang, K::FileNotXlsx).to_owned(),
        F::NoSheet => t(lang, K::FileNoSheet).to_owned(),
        F::SheetUnreadable => t(lang, K::FileSheetUnreadable).to_owned(),
        F::SheetEmpty => t(lang, K::FileSheetEmpty).to_owned(),
        F::WorkbookTooLarge { bound, max } => {
            let key = match bound {
                WorkbookBound::ZipParts => K::BoundZipParts,
                WorkbookBound::PartMib => K::BoundPartMib,
                WorkbookBound::TokenKib => K::BoundTokenKib,
                WorkbookBound::SharedStrings => K::BoundSharedStrings,
                WorkbookBound::SharedStringsMib => K::BoundSharedStringsMib,
                WorkbookBound::CellChars => K::BoundCellChars,
                WorkbookBound::TextChars => K::BoundTextChars,
            };
            tf(lang, K::FileWorkbookTooLarge, &[&tf(lang, key, &[&n(*max)])])
        }
    }
}

/// A header's missing and unexpected columns, in `lang` (the names as the file writes them).
fn columns(lang: Lang, missing: Vec<&str>, unknown: &[UnknownColumn], more: u64) -> String {
    let n = |v: u64| crate::datetime::count(lang, v.min(i64::MAX as u64) as i64);
    let mut parts = Vec::new();
    if !missing.is_empty() {
        parts.push(tf(lang, K::FileMissingColumns, &[&missing.join(", ")]));
    }
    if !unknown.is_empty() || more > 0 {
        let names: Vec<String> = unknown
            .iter()
            .map(|c| match c.name.as_str() {
                "" => tf(lang, K::FileBlankColumn, &[&c.position.to_string()]),
                name => name.to_owned(),
            })
            .collect();
        let mut names = names.join(", ");
        if more > 0 {
            names = tf(lang, K::FileUnknownMore, &[&names, &n(more)]).trim_start().to_owned();
        }
        parts.push(tf(lang, K::FileUnknownColumns, &[&names]));
    }
    capitalised(&parts.join("; "))
}

/// `text` with its first letter in upper case.
fn capitalised(text: &str) -> String {
    let first = text.chars().next().map_or(0, char::len_utf8);
    crate::text::upper(&text[..first]) + &text[first..]
}

#[cfg(test)]
mod imports_tests {
    use super::*;

    #[test]
    fn file_refusals_read_in_both_languages() {
        use domain::cases::UnknownColumn;
        let columns = FileProblem::Columns {
            missing: vec![ImportColumn::Reason],
            unknown: vec![UnknownColumn { position: 11, name: "notes".into() }],
            more: 0,
        };
        assert_eq!(file_problem(Lang::Id, &columns), "Kolom tidak ada: reason; kolom tidak dikenal: notes");
        assert_eq!(file_problem(Lang::En, &columns), "Missing columns: reason; unexpected columns: notes");
        let many = FileProblem::Columns {
            missing: vec![],
            unknown: vec![
                UnknownColumn { position: 3, name: String::new() },
                UnknownColumn { position: 12, name: "b".into() },
            ],
            more: 12,
        };
        assert_eq!(file_problem(Lang::Id, &many), "Kolom tidak dikenal: (kosong, kolom 3), b dan 12 lainnya");
        assert_eq!(file_problem(Lang::En, &many), "Unexpected columns: (empty, column 3), b and 12 more");
        assert_eq!(
            file_problem(Lang::Id, &FileProblem::too_many_rows()),
            "Berkas berisi lebih dari 1.000.000 baris; pecah menjadi beberapa berkas yang lebih kecil"
        );
        assert_eq!(
            file_problem(
                Lang::Id,
                &FileProblem::WorkbookTooLarge { bound: WorkbookBound::SharedStrings, max: 4_000_000 }
            ),
            "Workbook terlalu besar untuk diimpor: lebih dari 4.000.000 teks bersama (shared strings)"
        );
        assert_eq!(
            file_problem(Lang::Id, &FileProblem::WorkbookTooLarge { bound: WorkbookBound::PartMib, max: 1024 }),
            "Workbook terlalu besar untuk diimpor: ada bagian yang lebih besar dari 1.024 MiB setelah dibuka"
        );
        assert_eq!(
            file_problem(Lang::Id, &FileProblem::HeaderTooLong { kib: 64 }),
            "Baris judul kolom lebih panjang dari 64 KiB; baris pertama harus berisi nama kolom"
        );
        // Every refusal, in both languages: worded, and differently.
        let bounds = [
            WorkbookBound::ZipParts,
            WorkbookBound::PartMib,
            WorkbookBound::TokenKib,
            WorkbookBound::SharedStrings,
            WorkbookBound::SharedStringsMib,
            WorkbookBound::CellChars,
            WorkbookBound::TextChars,
        ];
        let mut all = FileProblem::samples();
        all.extend([columns, many]);
        all.extend(bounds.map(|bound| FileProblem::WorkbookTooLarge { bound, max: 100 }));
        for problem in &all {
            let (id, en) = (file_problem(Lang::Id, problem), file_problem(Lang::En, problem));
            assert!(!id.contains('{') && !en.contains('{'), "{id} / {en}");
            assert_ne!(id, en, "{problem:?}");
            // The English reads as the server's own words (the API's `message`).
            assert_eq!(en, capitalised(&problem.to_string()), "{problem:?}");
        }
    }

    #[test]
    fn every_row_problem_is_worded_in_both_languages() {
        let problems = RowProblem::samples();
        for problem in &problems {
            let (id, en) = (row_problem(Lang::Id, problem), row_problem(Lang::En, problem));
            assert!(!id.contains('{') && !en.contains('{'), "{id} / {en}");
            assert_ne!(id, en, "{problem:?}");
            // No English of the server's reaches the Indonesian words.
            assert_ne!(id, problem.to_string(), "{problem:?}");
            assert!(!id.contains("found record"), "{id}");
        }
        assert_eq!(
            row_problem(Lang::Id, &problems[5]),
            "Layanan CT-0 tidak melayani bucket N: menurut SOP, CT-0 untuk tunggakan N+2 dan PRANPC untuk N dan N+1"
        );
        assert_eq!(row_problem(Lang::Id, &problems[0]), "Nomor pelanggan kosong");
        assert_eq!(row_problem(Lang::Id, &problems[2]), "Alasan lebih dari 1.000 karakter");
        assert_eq!(row_problem(Lang::En, &problems[2]), "Reason is longer than 1,000 characters");
        assert_eq!(
            row_problem(Lang::Id, &problems[12]),
            "Agent tidak dikenal \"agent9\" (tidak ada agent aktif dengan username ini)"
        );
        for column in ImportColumn::ALL {
            assert!(!t(Lang::Id, import_column_key(column)).is_empty());
        }
    }
}
