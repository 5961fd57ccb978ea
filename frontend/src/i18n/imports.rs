//! The strings of the agree import: its page, its columns, and why it refused a row (the codes
//! of `domain::cases::RowProblem`, worded here and nowhere else) or a file, in Bahasa Indonesia
//! and English.

use super::{K, Lang, t, tf};
use domain::cases::{ImportColumn, RowProblem};

/// This area's keys, added to the ones gathered so far; then the next area's macro (the last
/// is `table!`, which makes the one `K` enum).
macro_rules! imports_keys {
    ([$next:ident $($rest:ident)*] $($acc:tt)*) => {
        $next! { [$($rest)*] $($acc)*
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

/// The import columns in words.
fn import_field_id(field: &str) -> Option<&'static str> {
    Some(match field {
        "customer_no" => "Nomor pelanggan",
        "customer_name" => "Nama pelanggan",
        "service" => "Layanan",
        "bucket" => "Bucket",
        "bill_amount" => "Jumlah tagihan",
        "agent_username" => "Username agent",
        "call_at" => "Waktu call",
        "reason" => "Alasan",
        "promise_date" => "Tanggal janji bayar",
        "recording_ref" => "Referensi rekaman",
        _ => return None,
    })
}

/// Why the import refused a row (or the file), in Indonesian when the reason is one the import
/// gives; English, and anything unknown, as the server wrote it.
pub fn import_reason(lang: Lang, text: &str) -> String {
    if lang == Lang::En {
        return text.to_owned();
    }
    if text == domain::cases::too_many_rows() {
        let rows = crate::datetime::count(lang, domain::cases::IMPORT_MAX_ROWS as i64);
        return format!("Berkas berisi lebih dari {rows} baris; pecah menjadi beberapa berkas yang lebih kecil");
    }
    if let Some((name, rest)) = text.split_once(' ').and_then(|(field, rest)| Some((import_field_id(field)?, rest))) {
        if rest == "is empty" {
            return format!("{name} kosong");
        }
        if rest == "contains control characters" {
            return format!("{name} berisi karakter kontrol");
        }
        if let Some(n) = rest.strip_prefix("is longer than ").and_then(|r| r.strip_suffix(" characters")) {
            return format!("{name} lebih dari {n} karakter");
        }
    }
    // Longer phrases first, so a phrase never loses to a piece of itself.
    const PHRASES: [(&str, &str); 46] = [
        (
            "this is an old Excel 97 (.xls) file; save it as XLSX or CSV",
            "ini berkas Excel 97 (.xls) lama; simpan sebagai XLSX atau CSV",
        ),
        ("; the first row must name the columns", "; baris pertama harus berisi nama kolom"),
        ("the workbook is too large to import", "workbook terlalu besar untuk diimpor"),
        ("it holds a text or tag longer than", "ada teks atau tag yang lebih panjang dari"),
        ("the header row is longer than", "baris judul kolom lebih panjang dari"),
        ("the zip holds more than", "zip berisi lebih dari"),
        ("the row is longer than", "baris ini lebih panjang dari"),
        ("a part is larger than", "ada bagian yang lebih besar dari"),
        ("a text longer than", "ada teks yang lebih panjang dari"),
        ("a cell longer than", "ada sel yang lebih panjang dari"),
        ("once unpacked", "setelah dibuka"),
        (" shared strings", " teks bersama (shared strings)"),
        (" characters", " karakter"),
        (" parts", " bagian"),
        ("the first sheet of the workbook could not be read", "sheet pertama workbook tidak bisa dibaca"),
        ("(no active agent has this username)", "(tidak ada agent aktif dengan username ini)"),
        ("the file could not be read as CSV or XLSX", "berkas tidak bisa dibaca sebagai CSV atau XLSX"),
        ("the workbook is damaged from this row on", "workbook rusak mulai baris ini"),
        ("the file is not a readable XLSX workbook", "berkas bukan workbook XLSX yang bisa dibaca"),
        ("the row is not valid UTF-8 text", "baris ini bukan teks UTF-8 yang valid"),
        ("the file is not a CSV or XLSX file", "berkas ini bukan CSV atau XLSX"),
        ("the workbook's first sheet is empty", "sheet pertama workbook kosong"),
        ("the header is not UTF-8 text", "judul kolom bukan teks UTF-8"),
        ("promise_date is before the call", "tanggal janji bayar sebelum tanggal call"),
        ("the row could not be read as CSV", "baris tidak bisa dibaca sebagai CSV"),
        ("bill_amount is not an amount", "jumlah tagihan bukan angka"),
        ("; save the file as", "; simpan berkas sebagai"),
        ("the file has no header row", "berkas tidak punya baris judul kolom"),
        ("bill_amount is too large", "jumlah tagihan terlalu besar"),
        ("bill_amount is negative", "jumlah tagihan negatif"),
        (" cells; the header has ", " sel; judul kolom berisi "),
        ("the workbook has no sheet", "workbook tidak punya sheet"),
        ("unexpected columns", "kolom tidak dikenal"),
        ("bad promise_date", "tanggal janji bayar tidak valid"),
        ("missing columns", "kolom tidak ada"),
        ("unknown service", "layanan tidak dikenal"),
        ("the file is empty", "berkas kosong"),
        ("unknown bucket", "bucket tidak dikenal"),
        ("the row has ", "baris berisi "),
        ("unknown agent", "agent tidak dikenal"),
        ("appears twice", "muncul dua kali"),
        ("bad call_at", "waktu call tidak valid"),
        ("(empty, column", "(kosong, kolom"),
        ("column ", "kolom "),
        ("more than", "lebih dari"),
        // "… and 12 more" of a header's unknown columns.
        (" more", " lainnya"),
    ];
    let mut out = text.to_owned();
    for (en, id) in PHRASES {
        out = out.replace(en, id);
    }
    if out == text {
        return out;
    }
    out = out.replace(" or ", " atau ").replace(" and ", " dan ").replace("HH:MM", "JJ:MM");
    let mut chars = out.chars();
    chars.next().map(|c| c.to_uppercase().chain(chars).collect()).unwrap_or_default()
}

#[cfg(test)]
mod imports_tests {
    use super::*;
    use domain::cases::{Bucket, Service};

    #[test]
    fn import_reasons_read_in_indonesian() {
        assert_eq!(
            import_reason(Lang::Id, "unknown service \"TV\" (CT-0 or PRANPC)"),
            "Layanan tidak dikenal \"TV\" (CT-0 atau PRANPC)"
        );
        assert_eq!(import_reason(Lang::Id, "bill_amount is negative"), "Jumlah tagihan negatif");
        assert_eq!(import_reason(Lang::Id, "customer_no is empty"), "Nomor pelanggan kosong");
        assert_eq!(import_reason(Lang::Id, "reason is longer than 1000 characters"), "Alasan lebih dari 1000 karakter");
        assert_eq!(import_reason(Lang::Id, "something new"), "something new");
        assert_eq!(
            import_reason(Lang::Id, "missing columns: reason; unexpected columns: notes"),
            "Kolom tidak ada: reason; kolom tidak dikenal: notes"
        );
        assert_eq!(
            import_reason(Lang::Id, "unknown agent \"agent9\" (no active agent has this username)"),
            "Agent tidak dikenal \"agent9\" (tidak ada agent aktif dengan username ini)"
        );
        assert_eq!(
            import_reason(Lang::Id, "bad call_at \"kemarin\" (YYYY-MM-DD HH:MM)"),
            "Waktu call tidak valid \"kemarin\" (YYYY-MM-DD JJ:MM)"
        );
        assert_eq!(
            import_reason(Lang::Id, "the row has 9 cells; the header has 10"),
            "Baris berisi 9 sel; judul kolom berisi 10"
        );
        assert_eq!(import_reason(Lang::En, "bill_amount is negative"), "bill_amount is negative");
        assert_eq!(
            import_reason(Lang::Id, &domain::cases::too_many_rows()),
            "Berkas berisi lebih dari 1.000.000 baris; pecah menjadi beberapa berkas yang lebih kecil"
        );
        assert_eq!(
            import_reason(Lang::Id, "the workbook is too large to import: more than 4000000 shared strings"),
            "Workbook terlalu besar untuk diimpor: lebih dari 4000000 teks bersama (shared strings)"
        );
        assert_eq!(
            import_reason(
                Lang::Id,
                "the workbook is too large to import: a part is larger than 1024 MiB once unpacked"
            ),
            "Workbook terlalu besar untuk diimpor: ada bagian yang lebih besar dari 1024 MiB setelah dibuka"
        );
        assert_eq!(
            import_reason(Lang::Id, "unexpected columns: a, b, c, d, e and 12 more"),
            "Kolom tidak dikenal: a, b, c, d, e dan 12 lainnya"
        );
        assert_eq!(
            import_reason(Lang::Id, "the header row is longer than 64 KiB; the first row must name the columns"),
            "Baris judul kolom lebih panjang dari 64 KiB; baris pertama harus berisi nama kolom"
        );
    }

    #[test]
    fn every_row_problem_is_worded_in_both_languages() {
        use ImportColumn as C;
        let problems = [
            RowProblem::Empty { column: C::CustomerNo },
            RowProblem::ControlCharacters { column: C::Reason },
            RowProblem::TooLong { column: C::Reason, max: 1000 },
            RowProblem::UnknownService { value: "TV".into() },
            RowProblem::UnknownBucket { value: "N+3".into() },
            RowProblem::ServiceBucketMismatch { service: Service::Ct0, bucket: Bucket::N },
            RowProblem::AmountNegative,
            RowProblem::AmountInvalid { value: "lima".into() },
            RowProblem::AmountTooLarge,
            RowProblem::CallAtInvalid { value: "kemarin".into() },
            RowProblem::PromiseDateInvalid { value: "31/02/2026".into() },
            RowProblem::PromiseBeforeCall,
            RowProblem::UnknownAgent { value: "agent9".into() },
            RowProblem::AgentNotInTeam { value: "agent3".into() },
            RowProblem::CellCount { cells: 11, columns: 10 },
            RowProblem::NotUtf8,
            RowProblem::RowTooLong { kib: 64 },
            RowProblem::CsvUnreadable { detail: "found record with 3 fields".into() },
            RowProblem::WorkbookDamaged,
        ];
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
