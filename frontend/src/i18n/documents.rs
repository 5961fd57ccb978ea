//! The strings of controlled documents (ISO 9001 clause 7.5): their key set, in Bahasa Indonesia and English, and the helpers that pick them.

use super::{K, Lang, tf};

/// This area's keys, added to the ones gathered so far; then the next area's macro (the last
/// is `table!`, which makes the one `K` enum).
macro_rules! documents_keys {
    ([$next:ident $($rest:ident)*] $($acc:tt)*) => {
        $next! { [$($rest)*] $($acc)*
        // Documents (ISO 9001 clause 7.5)
        NavDocuments => "Dokumen", "Documents";
        NavTasks => "Tugas saya", "My tasks";
        InboxCount => "{0} tugas menunggu", "{0} tasks waiting";
        DocumentsTitle => "Daftar Dokumen Terkendali", "Controlled document register";
        DocumentsIntro => "Prosedur, instruksi kerja, dan formulir beserta revisi yang berlaku.",
            "Procedures, work instructions and forms, with the revision in force.";
        SearchDocuments => "Cari kode atau judul", "Search code or title";
        Search => "Cari", "Search";
        DocKindLabel => "Jenis", "Kind";
        KindProcedure => "Prosedur", "Procedure";
        KindWorkInstruction => "Instruksi kerja", "Work instruction";
        KindForm => "Formulir", "Form";
        HeadProcedure => "Prosedur Operasi Standar", "Standard Operating Procedure";
        HeadWorkInstruction => "Instruksi Kerja", "Work Instruction";
        HeadForm => "Formulir", "Form Template";
        DocCode => "Kode", "Code";
        DocTitleLabel => "Judul", "Title";
        EffectiveRevision => "Revisi berlaku", "Effective revision";
        NotYetEffective => "Belum berlaku", "Not yet in force";
        NewDocument => "Dokumen baru", "New document";
        CreateDocument => "Buat dokumen", "Create document";
        ParentDocument => "Dokumen induk", "Parent document";
        NoParent => "Tanpa induk", "No parent";
        RetentionMonthsField => "Masa simpan (bulan)", "Retention (months)";
        RecordOwnerField => "Penanggung jawab rekaman", "Records owner";
        RetentionLabel => "Masa Simpan", "Retention";
        RecordOwnerLabel => "Penanggung Jawab", "Responsible";
        RetentionMonths => "{0} bulan", "{0} months";
        RetentionMonthsYears => "{0} bulan ({1} tahun)", "{0} months ({1} years)";
        CodeHint => "Contoh: OB.IN.OCC.TELK.P-01 (tanpa nomor revisi).", "For example OB.IN.OCC.TELK.P-01 (without the revision).";
        DocumentCreated => "Dokumen {0} telah dibuat.", "Document {0} was created.";
        FieldInvalidCode => "Kode tidak sah: segmen huruf besar/angka dipisah titik, diakhiri mis. P-01, W-01 atau F-01.",
            "Not a valid code: capital-letter/digit segments separated by dots, ending in e.g. P-01, W-01 or F-01.";
        FieldKindMismatch => "Huruf pada kode tidak sesuai jenisnya (P prosedur, W instruksi kerja, F formulir).",
            "The code's letter does not match the kind (P procedure, W work instruction, F form).";
        FieldCodeHasRevision => "Kode dokumen tidak memuat nomor revisi.", "A document code does not include the revision.";
        FieldFormsOnly => "Hanya untuk formulir.", "Forms only.";
        FieldOutOfRange => "Di luar rentang yang diizinkan.", "Out of the allowed range.";
        FieldInPast => "Tanggal tidak boleh sebelum hari ini.", "The date may not be before today.";
        FieldParentNotFound => "Dokumen induk tidak ditemukan.", "Parent document not found.";
        Children => "Dokumen turunan", "Child documents";
        NoChildren => "Tidak ada dokumen turunan.", "No child documents.";
        RevisionsTitle => "Revisi", "Revisions";
        NoRevisions => "Belum ada revisi.", "No revisions yet.";
        NewRevision => "Revisi baru", "New revision";
        NewRevisionIntro => "Draf baru disalin dari revisi terakhir. Jelaskan perubahan yang akan dibuat.",
            "The new draft starts as a copy of the latest revision. Describe the change you will make.";
        ChangeDescription => "Deskripsi perubahan", "Change description";
        CreateDraft => "Buat draf", "Create draft";
        RevisionInProgress => "Sudah ada revisi yang sedang disusun; selesaikan dulu revisi itu.",
            "A revision is already in progress; finish that one first.";
        OpenEffective => "Buka revisi yang berlaku", "Open the effective revision";
        InForceTitle => "Berlaku pada…", "In force at…";
        InForceCheck => "Periksa", "Check";
        InForceTime => "Jam", "Time";
        InForceResult => "Pada {0} yang berlaku adalah {1}.", "At {0} the revision in force is {1}.";
        InForceScheduled => "Pada {0} yang berlaku adalah {1}, yang dijadwalkan berlaku mulai {2} (belum berlaku sekarang).",
            "At {0} the revision in force is {1}, scheduled to take effect from {2} (not in force yet).";
        InForceNone => "Tidak ada revisi (yang dapat Anda lihat) yang berlaku pada {0}.",
            "No revision (that you may see) is in force at {0}.";
        InForceFrom => "Berlaku sejak", "In force from";
        ScheduledFrom => "Dijadwalkan berlaku mulai", "Scheduled to take effect from";
        SupersededFrom => "Digantikan sejak", "Superseded from";
        ApprovalDateDiffers => "Tanggal ini berbeda dari rencana tanggal berlaku pengendali dokumen ({0}).",
            "This date differs from the effective date the document controller planned ({0}).";
        TaskPlanned => "rencana berlaku {0}", "planned for {0}";
        StatusDraft => "Draf", "Draft";
        StatusInReview => "Dalam pemeriksaan", "In review";
        StatusChecked => "Sudah diperiksa", "Checked";
        StatusApproved => "Disetujui", "Approved";
        StatusEffective => "Berlaku", "Effective";
        StatusSuperseded => "Digantikan", "Superseded";
        EffectiveDateLabel => "Tanggal Berlaku", "Effective Date";
        DocumentCodeLabel => "Kode Dokumen", "Document Code";
        RevisionLabel => "Revisi", "Revision";
        PreparedBy => "Dibuat oleh", "Prepared by";
        CheckedBy => "Diperiksa oleh", "Checked by";
        ApprovedBy => "Disetujui oleh", "Approved by";
        SigName => "Nama", "Name";
        SigPosition => "Jabatan", "Position";
        SigDate => "Tanggal", "Date";
        SigPaper => "tanda tangan kertas", "paper signature";
        SigElectronic => "tanda tangan elektronik", "electronic signature";
        SigHash => "hash isi {0}", "content hash {0}";
        SigVoid => "batal: revisi dikembalikan ke draf", "void: the revision went back to draft";
        SigPending => "Belum ditandatangani", "Not signed yet";
        HistoryTitle => "Catatan Perubahan Dokumen", "Document Change Record";
        HistoryRev => "Rev.", "Rev.";
        HistoryDescription => "Deskripsi Perubahan", "Description of Change";
        SupersededBanner => "Revisi ini sudah digantikan dan tidak berlaku lagi.", "This revision has been superseded and is no longer in force.";
        NotEffectiveBanner => "Revisi ini belum berlaku.", "This revision is not in force yet.";
        ReturnedBanner => "Dikembalikan dengan catatan: {0}", "Returned with the comment: {0}";
        ApprovedBanner => "Disetujui; berlaku mulai {0}.", "Approved; in force from {0}.";
        ActionEdit => "Ubah draf", "Edit draft";
        ActionSubmit => "Tandatangani & ajukan", "Sign & submit";
        ActionCheck => "Periksa & tandatangani", "Check & sign";
        ActionApprove => "Setujui & tandatangani", "Approve & sign";
        ActionReturn => "Kembalikan ke draf", "Return to draft";
        ActionAcknowledge => "Saya telah membaca dan memahami", "I have read and understood";
        Acknowledged => "Anda telah mengonfirmasi membaca dan memahami revisi ini.", "You have confirmed reading and understanding this revision.";
        AckEndTitle => "Sudah selesai membaca?", "Finished reading?";
        AckEndText => "Konfirmasikan bahwa Anda telah membaca dan memahami revisi ini, termasuk perubahan yang dijelaskan di atas.",
            "Confirm that you have read and understood this revision, including the changes described above.";
        CompareWith => "Bandingkan dengan…", "Compare with…";
        PrintCopy => "Cetak salinan terkendali", "Print controlled copy";
        BodyMarkdown => "Isi (Markdown)", "Body (Markdown)";
        Preview => "Pratinjau", "Preview";
        PlannedEffectiveDate => "Rencana tanggal berlaku", "Planned effective date";
        StaleDraft => "Draf ini diubah orang lain saat Anda menyunting. Versi terbaru sudah dimuat; ulangi perubahan Anda.",
            "Someone else changed this draft while you edited it. The latest version is loaded; make your change again.";
        DraftSaved => "Draf disimpan.", "Draft saved.";
        SignDialogTitle => "Tanda tangan elektronik", "Electronic signature";
        ReturnDialogTitle => "Kembalikan ke draf", "Return to draft";
        SignMeaningPrepared => "Dengan menandatangani, Anda menyatakan telah MENYUSUN dokumen ini dan mengajukannya untuk diperiksa.",
            "By signing you state that you PREPARED this document and submit it for checking.";
        SignMeaningChecked => "Dengan menandatangani, Anda menyatakan telah MEMERIKSA dokumen ini.",
            "By signing you state that you CHECKED this document.";
        SignMeaningApproved => "Dengan menandatangani, Anda menyatakan telah MENYETUJUI dokumen ini untuk berlaku pada tanggal di bawah.",
            "By signing you state that you APPROVE this document to take effect on the date below.";
        SignMeaningReturn => "Revisi ini akan kembali menjadi draf. Tuliskan alasannya; penyusun akan membacanya.",
            "This revision goes back to draft. Write the reason; the preparer will read it.";
        SignWhat => "Yang Anda tandatangani", "What you sign";
        SignReference => "Referensi", "Reference";
        SignContentHash => "Hash isi (SHA-256)", "Content hash (SHA-256)";
        SignPassword => "Kata sandi Anda (ulangi)", "Your password (again)";
        SignComment => "Catatan", "Comment";
        SignConfirm => "Tandatangani", "Sign";
        ReturnConfirm => "Kembalikan", "Return";
        Signing => "Menyimpan tanda tangan…", "Signing…";
        SignWrongPassword => "Kata sandi salah. Tidak ada yang berubah.", "Wrong password. Nothing was changed.";
        SignSegregation => "Anda sudah menandatangani langkah lain revisi ini; satu orang tidak boleh menandatangani dua langkah.",
            "You already signed another step of this revision; one person may not sign two steps.";
        SignWrongState => "Status revisi ini sudah berubah. Tutup dan muat ulang halaman.",
            "This revision's status has changed. Close and reload the page.";
        SignForbidden => "Peran Anda tidak boleh menandatangani langkah ini.", "Your role may not sign this step.";
        SignedOk => "Tanda tangan tersimpan.", "Signature recorded.";
        ReturnedOk => "Revisi dikembalikan ke draf.", "The revision went back to draft.";
        AckTitle => "Konfirmasi membaca", "Read confirmations";
        AckPending => "Belum membaca ({0})", "Not read yet ({0})";
        AckDone => "Sudah membaca ({0})", "Read ({0})";
        AckAllRead => "Semua sudah membaca.", "Everyone has read it.";
        AttachmentTitle => "Berkas asli", "Original file";
        AttachmentNone => "Belum ada berkas asli untuk revisi ini.", "This revision has no original file yet.";
        AttachmentName => "Nama berkas", "File name";
        AttachmentType => "Jenis", "Type";
        AttachmentSize => "Ukuran", "Size";
        AttachmentBytes => "{0} bita", "{0} bytes";
        AttachmentHash => "SHA-256", "SHA-256";
        AttachmentUploadedAt => "Diunggah", "Uploaded";
        AttachmentDownload => "Unduh", "Download";
        AttachmentDownloading => "Mengunduh…", "Downloading…";
        AttachmentChoose => "Pilih berkas PDF atau DOCX (maks. 50 MB)", "Choose a PDF or DOCX file (max. 50 MB)";
        AttachmentUpload => "Unggah", "Upload";
        AttachmentReplace => "Ganti berkas", "Replace file";
        AttachmentUploading => "Mengunggah…", "Uploading…";
        AttachmentUploaded => "Berkas asli tersimpan.", "Original file saved.";
        AttachmentNoFile => "Pilih berkas terlebih dahulu.", "Choose a file first.";
        AttachmentTooLarge => "Berkas terlalu besar: maksimal 50 MB.", "The file is too large: 50 MB at most.";
        AttachmentNotPdfOrDocx => "Berkas ini bukan PDF atau DOCX. Hanya berkas PDF atau DOCX yang bisa dilampirkan.",
            "This file is not a PDF or DOCX. Only PDF or DOCX files can be attached.";
        AttachmentWrongState => "Berkas asli hanya bisa dilampirkan selama revisi masih draf. Muat ulang halaman.",
            "An original file can only be attached while the revision is a draft. Reload the page.";
        AttachmentForbidden => "Peran Anda tidak boleh melampirkan berkas asli.", "Your role may not attach an original file.";
        DiffTitle => "Perbandingan revisi", "Compare revisions";
        DiffAgainst => "Bandingkan dengan", "Compare with";
        DiffCounts => "{0} baris ditambah, {1} baris dihapus", "{0} lines added, {1} lines removed";
        DiffTitleChanged => "Judul juga berubah.", "The title changed too.";
        DiffNoOther => "Belum ada revisi lain untuk dibandingkan.", "There is no other revision to compare with.";
        DiffSame => "Isi kedua revisi sama.", "Both revisions have the same body.";
        ControlledCopy => "SALINAN TERKENDALI", "CONTROLLED COPY";
        UncontrolledCopy => "BUKAN SALINAN TERKENDALI — revisi ini tidak berlaku", "NOT A CONTROLLED COPY — this revision is not in force";
        PrintedBy => "Dicetak oleh {0} pada {1}", "Printed by {0} on {1}";
        PrintButton => "Cetak", "Print";
        TasksIntro => "Semua yang menunggu tindakan Anda. Setiap angka membuka daftarnya.",
            "Everything waiting for you. Each count opens its list.";
        InboxTitle => "Menunggu Anda", "Waiting for you";
        InboxCallsToScore => "Call untuk dinilai", "Calls to score";
        InboxSheetDrafts => "Draf penilaian Anda", "Your scoring drafts";
        InboxAgreesToValidate => "Agree menunggu validasi", "Agrees waiting for validation";
        InboxDisputes => "Sanggahan untuk diputuskan", "Disputes to resolve";
        InboxReturnsToVerify => "RETURN menunggu verifikasi", "Returns waiting for verification";
        InboxRevisionDrafts => "Draf revisi untuk diselesaikan", "Revision drafts to finish";
        InboxRevisionsToCheck => "Revisi untuk diperiksa", "Revisions to check";
        InboxRevisionsToApprove => "Revisi untuk disetujui", "Revisions to approve";
        InboxReturnsOpen => "RETURN saya yang terbuka", "My open returns";
        InboxReturnsOverdue => "RETURN tim yang terlambat", "Team's overdue returns";
        InboxSheetsToAcknowledge => "Hasil penilaian untuk diterima", "Results to acknowledge";
        InboxTeamSheets => "Hasil tim yang belum diterima agent", "Team results not yet acknowledged";
        InboxDocumentsToRead => "Dokumen untuk dibaca", "Documents to read";
        InboxOverdue => "{0} terlambat", "{0} overdue";
        InboxOpen => "Buka", "Open";
        InboxNothing => "Tidak ada yang menunggu Anda.", "Nothing is waiting for you.";
        TasksDrafts => "Draf untuk diselesaikan", "Drafts to finish";
        TasksToCheck => "Menunggu pemeriksaan Anda", "Waiting for your check";
        TasksToApprove => "Menunggu persetujuan Anda", "Waiting for your approval";
        TasksToRead => "Belum Anda baca", "Not read yet";
        TasksNone => "Tidak ada.", "Nothing here.";
        TaskReturned => "Dikembalikan", "Returned";
        ReviewFlagsTitle => "Dokumen turunan yang perlu ditinjau", "Child documents to review";
        ReviewFlagText => "Induknya {0} berlaku sejak {1}; dokumen ini terakhir berlaku {2}.",
            "Its parent {0} is in force since {1}; this document's latest took effect {2}.";
        }
    };
}

/// The name of a document kind.
pub fn kind_key(kind: domain::documents::DocKind) -> K {
    use domain::documents::DocKind;
    match kind {
        DocKind::Procedure => K::KindProcedure,
        DocKind::WorkInstruction => K::KindWorkInstruction,
        DocKind::Form => K::KindForm,
    }
}

/// The heading of a kind's header block (`Prosedur Operasi Standar`, …).
pub fn kind_head_key(kind: domain::documents::DocKind) -> K {
    use domain::documents::DocKind;
    match kind {
        DocKind::Procedure => K::HeadProcedure,
        DocKind::WorkInstruction => K::HeadWorkInstruction,
        DocKind::Form => K::HeadForm,
    }
}

/// The name of a revision status.
pub fn status_key(status: domain::documents::RevisionStatus) -> K {
    use domain::documents::RevisionStatus as S;
    match status {
        S::Draft => K::StatusDraft,
        S::InReview => K::StatusInReview,
        S::Checked => K::StatusChecked,
        S::Approved => K::StatusApproved,
        S::Effective => K::StatusEffective,
        S::Superseded => K::StatusSuperseded,
    }
}

/// `24 bulan (2 tahun)` for a retention period in months.
pub fn retention_text(lang: Lang, months: i32) -> String {
    if months > 0 && months % 12 == 0 {
        tf(lang, K::RetentionMonthsYears, &[&months.to_string(), &(months / 12).to_string()])
    } else {
        tf(lang, K::RetentionMonths, &[&months.to_string()])
    }
}
