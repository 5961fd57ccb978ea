//! Every string the user sees, in Bahasa Indonesia (the default) and English.
//!
//! One table: each key names an `(id, en)` pair. Text with values in it uses numbered
//! placeholders (`{0}`, `{1}`) so a translation may put them in a different order. Nothing here
//! touches the browser, so the table's completeness is tested on the host.

use domain::Role;

/// The two languages of the app. Indonesian is the default.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Lang {
    #[default]
    Id,
    En,
}

impl Lang {
    /// The BCP 47 code, also the value kept in local storage and set on `<html lang>`.
    pub fn code(self) -> &'static str {
        match self {
            Lang::Id => "id",
            Lang::En => "en",
        }
    }

    /// Reads a stored code; anything unknown falls back to `None` (and so to Indonesian).
    pub fn from_code(code: &str) -> Option<Lang> {
        match code {
            "id" => Some(Lang::Id),
            "en" => Some(Lang::En),
            _ => None,
        }
    }
}

/// Defines the key enum, the list of every key, and the table, from one list, so a key cannot
/// exist without both translations.
macro_rules! table {
    ($($key:ident => $id:literal, $en:literal;)*) => {
        /// A translatable string.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum K { $($key),* }

        impl K {
            /// Every key, for the completeness tests.
            #[cfg_attr(not(test), allow(dead_code))]
            pub const ALL: &'static [K] = &[$(K::$key),*];

            /// The `(Indonesian, English)` pair.
            pub fn pair(self) -> (&'static str, &'static str) {
                match self { $(K::$key => ($id, $en)),* }
            }
        }
    };
}

table! {
    // App and shell
    AppName => "Mutu", "Mutu";
    AppTagline => "Sistem Manajemen Mutu", "Quality Management System";
    SkipToContent => "Langsung ke konten", "Skip to content";
    MainNavigation => "Navigasi utama", "Main navigation";
    Language => "Bahasa", "Language";
    LangIdName => "Bahasa Indonesia", "Indonesian";
    LangEnName => "Bahasa Inggris", "English";
    LangIdShort => "ID", "ID";
    LangEnShort => "EN", "EN";
    Logout => "Keluar", "Log out";
    LoggingOut => "Keluar…", "Logging out…";
    NavHome => "Beranda", "Home";
    NavUsers => "Pengguna", "Users";
    NavTeams => "Tim", "Teams";
    NavAudit => "Jejak audit", "Audit trail";
    NavAccount => "Akun saya", "My account";
    SignedInAs => "Masuk sebagai", "Signed in as";
    Loading => "Memuat…", "Loading…";
    Saving => "Menyimpan…", "Saving…";
    Save => "Simpan", "Save";
    Cancel => "Batal", "Cancel";
    Close => "Tutup", "Close";
    Edit => "Ubah", "Edit";
    LoadMore => "Muat lebih banyak", "Load more";
    Retry => "Coba lagi", "Try again";
    All => "Semua", "All";
    NoTeam => "Tanpa tim", "No team";
    NoneDash => "—", "—";
    ShowingCount => "Menampilkan {0} data", "Showing {0} rows";
    ShowingCountMore => "Menampilkan {0} data pertama", "Showing the first {0} rows";
    EmptyList => "Tidak ada data.", "Nothing to show.";

    // Roles
    RoleAdmin => "Administrator", "Administrator";
    RoleManager => "Manajer", "Manager";
    RoleDocController => "Pengendali Dokumen (DC)", "Document Controller (DC)";
    RoleQcCoordinator => "Koordinator QC/QRD", "QC/QRD Coordinator";
    RoleQco => "Petugas QC (QCO)", "QC Officer (QCO)";
    RoleTeamLeader => "Team Leader", "Team Leader";
    RoleAgent => "Agent", "Agent";

    // Role duties (from the SOP P-01 and its work instructions)
    DutyAdmin => "Mengelola akun pengguna, peran, dan tim, serta menjaga keutuhan jejak audit sistem.",
        "Manages user accounts, roles and teams, and keeps the system's audit trail intact.";
    DutyManager => "Menyetujui (Disetujui oleh) revisi dokumen terkendali beserta tanggal berlakunya, serta memantau kinerja tim, skor penilaian, dan laporan validasi agree.",
        "Approves (Approved by) revisions of controlled documents and their effective dates, and follows team performance, scores and agree-validation reports.";
    DutyDocController => "Menyusun (Dibuat oleh) revisi dokumen terkendali — prosedur P-01, instruksi kerja W-01, W-03, W-04, formulir F-18 dan F-19 — dan memelihara catatan perubahan dokumen.",
        "Prepares (Prepared by) revisions of controlled documents — procedure P-01, work instructions W-01, W-03, W-04, forms F-18 and F-19 — and keeps the revision history.";
    DutyQcCoordinator => "Memeriksa (Diperiksa oleh) revisi dokumen terkendali, menyelesaikan sanggahan penilaian, memantau laporan F-19 dan tindak lanjut RETURN, serta mengawasi masa simpan rekaman dan jejak audit.",
        "Checks (Checked by) revisions of controlled documents, resolves disputed scores, follows the F-19 report and RETURN follow-ups, and oversees record retention and the audit trail.";
    DutyQco => "Menilai rekaman call dengan formulir F-18 dan memvalidasi setiap agree dengan tapping (W-04): APPROVED, atau RETURN dengan rekomendasi agar pelanggan di-caring kembali oleh agent. Hasil validasi dilaporkan pada F-19 (W-01).",
        "Scores recorded calls on form F-18 and validates every agree by tapping (W-04): APPROVED, or RETURN with a recommendation for the agent to care for the customer again. Validation results are reported on F-19 (W-01).";
    DutyTeamLeader => "Membawahi agent dalam satu tim: export data all reason dari TAMARA dan MyCX, memeriksa inputan agent, meneruskan data yang tidak sesuai ke agent untuk input ulang, dan memantau RETURN tim.",
        "Leads the agents of one team: exports all-reason data from TAMARA and MyCX, checks the agents' input, sends what is wrong back to the agent to re-enter, and follows the team's RETURN cases.";
    DutyAgent => "Melakukan pick order dapros di MyCX, caring dan penagihan kepada pelanggan sesuai standar parameter layanan, input hasil caring (reason) di MyCX dan TAMARA, serta menindaklanjuti hasil validasi RETURN dari QC (W-03).",
        "Picks prospect data (dapros) in MyCX, cares for and collects from customers to the service parameter standard, enters the call result (reason) in MyCX and TAMARA, and follows up RETURN results from QC (W-03).";

    // Documents (ISO 9001 clause 7.5)
    NavDocuments => "Dokumen", "Documents";
    NavTasks => "Tugas saya", "My tasks";
    UnreadCount => "{0} belum dibaca", "{0} unread";
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
    FieldCodeTaken => "Kode ini sudah terdaftar.", "This code is already registered.";
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
    InForceTitle => "Berlaku pada tanggal…", "In force on…";
    InForceCheck => "Periksa", "Check";
    InForceResult => "Pada {0} yang berlaku adalah {1}.", "On {0} the revision in force was {1}.";
    InForceNone => "Tidak ada revisi yang berlaku pada {0}.", "No revision was in force on {0}.";
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
    BackToRevision => "Kembali ke revisi", "Back to the revision";
    ControlledCopy => "SALINAN TERKENDALI", "CONTROLLED COPY";
    UncontrolledCopy => "BUKAN SALINAN TERKENDALI — revisi ini tidak berlaku", "NOT A CONTROLLED COPY — this revision is not in force";
    PrintedBy => "Dicetak oleh {0} pada {1}", "Printed by {0} on {1}";
    PrintButton => "Cetak", "Print";
    TasksIntro => "Revisi dokumen yang menunggu tindakan Anda.", "Document revisions waiting for you.";
    TasksDrafts => "Draf untuk diselesaikan", "Drafts to finish";
    TasksToCheck => "Menunggu pemeriksaan Anda", "Waiting for your check";
    TasksToApprove => "Menunggu persetujuan Anda", "Waiting for your approval";
    TasksToRead => "Belum Anda baca", "Not read yet";
    TasksNone => "Tidak ada.", "Nothing here.";
    TaskReturned => "Dikembalikan", "Returned";
    ReviewFlagsTitle => "Dokumen turunan yang perlu ditinjau", "Child documents to review";
    ReviewFlagText => "Induknya {0} berlaku sejak {1}; dokumen ini terakhir berlaku {2}.",
        "Its parent {0} is in force since {1}; this document's latest took effect {2}.";

    // F-19 agree validation, W-03 follow-ups, reports (cases part)
    NavCases => "Validasi agree", "Agree validation";
    NavFollowups => "Return", "Returns";
    NavReportF19 => "Laporan F-19", "F-19 report";
    CasesTitle => "Validasi agree", "Agree validation";
    CasesIntroQco => "Agree yang menunggu validasi, dari call paling lama. Buka satu, dengarkan rekamannya (tapping W-04), lalu tandai APPROVED atau RETURN.",
        "Agrees waiting for validation, oldest call first. Open one, listen to the recording (W-04 tapping), then mark it APPROVED or RETURN.";
    CasesIntroAgent => "Agree Anda dan hasil validasinya oleh QC.", "Your agrees and how QC validated them.";
    CasesIntroTeam => "Agree tim Anda dan hasil validasinya.", "Your team's agrees and how they were validated.";
    CasesIntroAll => "Semua agree yang diimpor dan hasil validasinya.", "Every imported agree and how it was validated.";
    CasesEmpty => "Tidak ada agree yang cocok dengan filter ini.", "No agrees match these filters.";
    CaseStatusLabel => "Status validasi", "Validation status";
    CaseStatusPending => "Menunggu", "Pending";
    CaseStatusApproved => "APPROVED", "Approved";
    CaseStatusReturned => "RETURN", "Returned";
    ServiceLabel => "Layanan", "Service";
    BucketLabel => "Bucket", "Arrears bucket";
    AgentLabel => "Agent", "Agent name";
    CallFrom => "Call dari", "Calls from";
    CallTo => "Call sampai", "Calls to";
    CallTime => "Waktu call", "Call time";
    CustomerLabel => "Pelanggan", "Customer";
    CustomerNo => "Nomor pelanggan", "Customer number";
    BillLabel => "Tagihan", "Bill";
    PromiseDate => "Janji bayar", "Promised payment";
    RecordingRef => "Rekaman", "Recording";
    ReasonLabel => "Alasan", "Reason";
    ImportCases => "Impor agree", "Import agrees";
    CaseTitle => "Agree", "Agree case";
    CaseFacts => "Data agree", "Agree details";
    CaseAwaitsValidation => "Agree ini menunggu validasi QCO.", "This agree is waiting for a QCO's validation.";
    ValidationTitle => "Validasi (tapping W-04)", "Validation (W-04 tapping)";
    ChecklistTitle => "Checklist tapping", "Tapping checklist";
    CheckIdentity => "Identitas pelanggan terverifikasi", "Customer identity verified";
    CheckAmountDate => "Jumlah dan tanggal bayar disebutkan dengan benar", "Amount and payment date stated correctly";
    CheckExplicit => "Pelanggan menyatakan setuju dengan jelas", "Customer agreed explicitly";
    CheckReason => "Alasan yang diisi sesuai dengan isi call", "Reason entered matches the call";
    ChecklistIncomplete => "Untuk APPROVED, semua butir checklist harus dicentang.", "APPROVED needs every checklist item ticked.";
    EvaluationIdLabel => "Lembar F-18 (opsional)", "F-18 sheet (optional)";
    EvaluationIdHint => "Nomor penilaian F-18 untuk call yang sama, bila ada.", "The number of an F-18 evaluation of the same call, if there is one.";
    RecommendationLabel => "Rekomendasi untuk agent", "Recommendation for the agent";
    RecommendationHint => "Apa yang harus dilakukan agent saat men-caring kembali pelanggan.", "What the agent should do when caring for the customer again.";
    RecommendationRequired => "RETURN wajib disertai rekomendasi untuk agent.", "A RETURN needs a recommendation for the agent.";
    Approve => "APPROVED", "Approve";
    ReturnAction => "RETURN", "Return";
    SendReturn => "Kirim RETURN", "Send RETURN";
    AlreadyValidated => "QCO lain sudah memvalidasi agree ini lebih dulu. Hasilnya ditampilkan di bawah.",
        "Another QCO validated this case first. Their result is shown below.";
    ValidationRecordTitle => "Catatan validasi (F-19)", "Validation record (F-19)";
    ResultLabel => "Hasil", "Result";
    CaseApproved => "APPROVED", "Approved";
    CaseReturned => "RETURN", "Returned";
    ValidatedBy => "Divalidasi oleh", "Validated by";
    ValidatedAt => "Waktu validasi", "Validated at";
    RetainUntil => "Disimpan sampai", "Kept until";
    Yes => "ya", "yes";
    No => "tidak", "no";
    OpenFollowup => "Buka tindak lanjut RETURN", "Open the RETURN follow-up";
    FollowupsTitle => "Tindak lanjut RETURN", "RETURN follow-ups";
    FollowupsIntro => "RETURN yang harus di-caring kembali oleh agent (W-03). Tab \"Menunggu verifikasi\" berisi yang sudah di-caring dan perlu Anda periksa.",
        "RETURNs the agents must care for again (W-03). The \"Awaiting verification\" tab holds the re-cared ones for you to check.";
    MyReturnsTitle => "Return saya", "My returns";
    MyReturnsIntro => "Agree Anda yang di-RETURN oleh QC: caring kembali pelanggan sebelum jatuh tempo, lalu catat hasilnya.",
        "Your agrees that QC returned: care for the customer again before the due date, then record what you did.";
    TeamReturnsTitle => "Return tim", "Team returns";
    TeamReturnsIntro => "RETURN agent tim Anda, dengan umur dan yang terlambat.", "Your team's RETURNs, with their ages and the overdue ones.";
    FollowupsEmpty => "Tidak ada RETURN di sini.", "No returns here.";
    FollowupStatusOpen => "Terbuka", "Open";
    FollowupStatusRecared => "Sudah di-caring", "Re-cared";
    FollowupStatusClosed => "Selesai", "Closed";
    FollowupStatusReopened => "Dibuka ulang", "Reopened";
    AwaitingVerification => "Menunggu verifikasi", "Awaiting verification";
    OverdueOnly => "Hanya yang terlambat", "Overdue only";
    Overdue => "Terlambat", "Overdue";
    WaitingForAgent => "menunggu agent", "waiting for the agent";
    OverdueCount => "terlambat", "overdue";
    OpenedOn => "Dibuka", "Opened";
    DueOn => "Jatuh tempo", "Due";
    AgeDays => "Umur (hari)", "Age (days)";
    PerAgentTitle => "Per agent", "By agent";
    OldestOpenDays => "Terlama terbuka (hari)", "Oldest open (days)";
    AutoRefresh => "Daftar ini diperbarui otomatis setiap 20 detik.", "This list refreshes by itself every 20 seconds.";
    OpenReturnsCount => "{0} RETURN terbuka", "{0} open returns";
    CasesHomeTitle => "Validasi agree dan RETURN", "Agree validation and returns";
    PendingCases => "Agree menunggu validasi", "Agrees waiting for validation";
    OpenQueue => "Buka antrean validasi", "Open the validation queue";
    OpenCases => "Lihat agree", "See the agrees";
    MyOpenReturns => "RETURN saya yang terbuka", "My open returns";
    TeamOpenReturns => "RETURN tim yang terbuka", "Team's open returns";
    OpenReturnsAll => "RETURN terbuka", "Open returns";
    OverdueReturns => "RETURN terlambat", "Overdue returns";
    OpenMyReturns => "Buka Return saya", "Open my returns";
    OpenTeamReturns => "Buka Return tim", "Open team returns";
    OpenFollowups => "Buka tindak lanjut", "Open the follow-ups";
    FollowupTitle => "Tindak lanjut RETURN", "RETURN follow-up";
    FollowupDue => "Jatuh tempo {0}", "Due {0}";
    ReopenedBecause => "Dibuka ulang oleh QC:", "Reopened by QC:";
    RecommendationFromQc => "Rekomendasi QC", "QC's recommendation";
    ClosedInTime => "Tindak lanjut ini selesai tepat waktu.", "This follow-up was closed in time.";
    ClosedLate => "Tindak lanjut ini selesai setelah jatuh tempo.", "This follow-up was closed after its due date.";
    OpenCase => "Buka agree", "Open the case";
    FollowupHistoryTitle => "Riwayat", "History";
    StepOpened => "RETURN dibuka", "RETURN opened";
    StepRecared => "Di-caring kembali", "Re-cared";
    StepClosed => "Diverifikasi dan ditutup", "Verified and closed";
    StepReopened => "Dibuka ulang", "Reopened";
    RecareTitle => "Catat caring ulang", "Record the re-care";
    RecareIntro => "Setelah menghubungi pelanggan kembali, catat apa yang dilakukan, referensi call baru dan waktunya.",
        "After calling the customer again, record what was done, the new call's reference and its time.";
    RecareNote => "Yang dilakukan", "What was done";
    RecareCallRef => "Referensi call baru", "New call reference";
    RecaredAt => "Waktu caring", "Re-cared at";
    RecaredAtWib => "Waktu caring (WIB)", "Re-care time (WIB)";
    RecaredAtInvalid => "Isi tanggal dan jam yang valid.", "Enter a valid date and time.";
    RecaredInFuture => "Waktu caring tidak boleh di masa depan.", "The re-care time cannot be in the future.";
    RecaredBeforeReturn => "Waktu caring tidak boleh sebelum RETURN dibuka.", "The re-care cannot be before the RETURN was opened.";
    RecareSubmit => "Simpan caring ulang", "Save the re-care";
    VerifyTitle => "Verifikasi QC", "QC verification";
    VerifyIntro => "Dengarkan call baru. Tutup bila caring sudah benar, atau buka ulang dengan komentar untuk agent.",
        "Listen to the new call. Close it if the re-care was right, or reopen it with a comment for the agent.";
    VerifyComment => "Komentar", "Comment";
    VerifyCommentHint => "Wajib bila dibuka ulang: agent akan melihatnya.", "Required when reopening: the agent will see it.";
    ReopenNeedsComment => "Tulis komentar agar agent tahu apa yang harus diperbaiki.", "Write a comment so the agent knows what to fix.";
    Reopen => "Buka ulang", "Reopen";
    CloseFollowup => "Tutup (selesai)", "Close (done)";
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
    ImportColumnsIntro => "Urutan kolom bebas; nama kolom harus persis seperti ini (huruf besar/kecil tidak berpengaruh).",
        "Columns may come in any order; their names must be exactly these (case does not matter).";
    ImportTemplate => "Unduh templat CSV", "Download the CSV template";
    ImportRowLimitHint => "Paling banyak {0} baris data per berkas.", "At most {0} data rows per file.";
    ImportRejectedShown => "Menampilkan {0} baris pertama dari {1} baris yang ditolak.", "Showing the first {0} of {1} refused rows.";
    ImportRejectedDownload => "Unduh semua baris yang ditolak (CSV)", "Download every refused row (CSV)";
    ReportTitle => "Laporan F-19", "F-19 report";
    ReportIntro => "Hasil validasi agree per tim, agent, layanan dan bucket untuk periode yang dipilih (tanggal call).",
        "Agree validation results by team, agent, service and bucket for the chosen period (call dates).";
    ReportFormName => "Form Pelaporan Hasil Validasi Agree", "Agree Validation Results Report Form";
    FormCode => "Kode formulir", "Form code";
    Period => "Periode", "Period";
    PeriodFrom => "Dari tanggal", "From";
    PeriodTo => "Sampai tanggal", "To";
    AllTeams => "Semua tim", "All teams";
    GeneratedAt => "Dibuat", "Generated";
    ShowReport => "Tampilkan", "Show";
    DownloadXlsx => "Unduh XLSX", "Download XLSX";
    DownloadCsv => "Unduh CSV", "Download CSV";
    Downloading => "Mengunduh…", "Downloading…";
    ReportEmpty => "Tidak ada agree pada periode ini.", "No agrees in this period.";
    ColImported => "Diimpor", "Imported";
    ColValidated => "Divalidasi", "Validated";
    ColApproved => "APPROVED", "Approved";
    ColReturned => "RETURN", "Returned";
    ColApprovalRate => "% approved", "Approval rate";
    ColClosedInTime => "Return selesai tepat waktu", "Returns closed in time";
    ColOpen => "Masih terbuka", "Still open";
    ColOverdue => "Terlambat", "Overdue";
    Totals => "Total", "Totals";
    ReconciliationTitle => "Rekonsiliasi", "Reconciliation";
    ReconciliationIntro => "Yang perlu diperiksa ulang pada periode ini: agree yang belum divalidasi, pelanggan yang agree lebih dari sekali, dan janji bayar melewati batas bucket.",
        "What needs a second look in this period: agrees not validated yet, customers who agreed more than once, and promises beyond the bucket's limit.";
    DaysWithoutValidation => "Hari tanpa validasi", "Days without validation";
    UnvalidatedTitle => "Belum divalidasi lebih dari {0} hari", "Not validated after {0} days";
    RepeatedTitle => "Pelanggan agree lebih dari sekali", "Customers who agreed more than once";
    LatePromisesTitle => "Janji bayar melewati batas bucket", "Promises beyond the bucket's allowed date";
    AgreeCount => "Jumlah agree", "Agrees";
    AllowedPromise => "Batas janji bayar", "Latest allowed";
    NothingToCheck => "Tidak ada yang perlu diperiksa.", "Nothing to check.";
    EditChecklist => "Ubah teks checklist W-04", "Edit the W-04 checklist wording";
    ChecklistEditTitle => "Teks checklist W-04", "W-04 checklist wording";
    ChecklistEditIntro => "Kalimat empat butir checklist tapping yang dicentang QCO saat memvalidasi agree. Butirnya tetap; hanya teksnya yang dapat diubah, dalam bahasa Indonesia dan Inggris.",
        "The wording of the four tapping checklist items a QCO ticks when validating an agree. The items are fixed; only their text can be changed, in Indonesian and English.";
    ChecklistReadOnly => "Kalimat checklist tapping yang dicentang QCO. Hanya koordinator QRD yang dapat mengubahnya.",
        "The tapping checklist a QCO ticks. Only the QRD coordinator can change its wording.";
    ChecklistItemsTitle => "Butir checklist", "Checklist items";
    ChecklistItemCol => "Butir", "Item";
    ChecklistItemN => "Butir {0}", "Item {0}";
    LabelIdText => "Teks bahasa Indonesia", "Indonesian text";
    LabelEnText => "Teks bahasa Inggris", "English text";
    ChecklistDefaults => "Isi dengan teks bawaan", "Fill in the built-in wording";
    ChecklistSaved => "Teks checklist tersimpan. QCO melihatnya saat membuka agree.", "Checklist wording saved. QCOs see it when they open an agree.";
    // (end of the cases part)

    // Login
    LoginTitle => "Masuk ke Mutu", "Sign in to Mutu";
    LoginIntro => "Gunakan nama pengguna dan kata sandi yang diberikan administrator.",
        "Use the username and password your administrator gave you.";
    Username => "Nama pengguna", "Username";
    Password => "Kata sandi", "Password";
    LoginSubmit => "Masuk", "Sign in";
    LoggingIn => "Memproses…", "Signing in…";
    LoginInvalid => "Nama pengguna atau kata sandi salah.", "Wrong username or password.";
    LoginLocked => "Terlalu banyak percobaan gagal. Akun ini dikunci sementara selama 15 menit; coba lagi nanti atau hubungi administrator.",
        "Too many failed attempts. This account is locked for 15 minutes; try again later or ask your administrator.";
    LoginMissing => "Isi nama pengguna dan kata sandi.", "Enter your username and password.";
    SessionExpiredNotice => "Sesi Anda telah berakhir. Silakan masuk kembali.", "Your session has ended. Please sign in again.";
    LoggedOutNotice => "Anda telah keluar.", "You have logged out.";
    LoginFooter => "Prosedur Operasi Standar OB.IN.OCC.TELK.P-01 · Layanan CT-0 dan PRANPC",
        "Standard Operating Procedure OB.IN.OCC.TELK.P-01 · CT-0 and PRANPC services";

    // Home
    HomeTitle => "Beranda", "Home";
    Welcome => "Selamat datang, {0}", "Welcome, {0}";
    ProfileTitle => "Profil", "Profile";
    FullName => "Nama lengkap", "Full name";
    Position => "Jabatan", "Position";
    Role => "Peran", "Role";
    Team => "Tim", "Team";
    Status => "Status", "Status";
    DutiesTitle => "Tugas Anda menurut SOP", "Your duties under the SOP";
    DutiesSource => "Sumber: Prosedur OB.IN.OCC.TELK.P-01 Rev.00 dan instruksi kerja pendukungnya.",
        "Source: procedure OB.IN.OCC.TELK.P-01 Rev.00 and its supporting work instructions.";
    AdminSummaryTitle => "Ringkasan administrasi", "Administration summary";
    ActiveUsersCount => "Pengguna aktif", "Active users";
    SearchUsers => "Cari nama atau username", "Search name or username";
    InactiveUsersCount => "{0} nonaktif", "{0} inactive";
    TeamsCount => "Tim", "Teams";
    ManageUsersLink => "Kelola pengguna", "Manage users";
    ManageTeamsLink => "Kelola tim", "Manage teams";
    MyTeamTitle => "Anggota tim {0}", "Members of {0}";
    MyTeamEmpty => "Tim ini belum memiliki anggota.", "This team has no members yet.";
    TeamsOverviewTitle => "Tim", "Teams";
    AuditStatusTitle => "Status rantai jejak audit", "Audit chain status";
    OpenAuditLink => "Buka jejak audit", "Open the audit trail";

    // Users and teams
    UsersTitle => "Pengguna", "Users";
    UsersIntro => "Akun, peran, dan tim semua staf yang memakai Mutu.", "Accounts, roles and teams of everyone who uses Mutu.";
    FilterRole => "Filter peran", "Filter by role";
    FilterTeam => "Filter tim", "Filter by team";
    Active => "Aktif", "Active";
    Inactive => "Nonaktif", "Inactive";
    CreatedAt => "Dibuat", "Created";
    Actions => "Tindakan", "Actions";
    CreateUserTitle => "Tambah pengguna", "Add a user";
    CreateUser => "Tambah pengguna", "Add user";
    Creating => "Menambahkan…", "Adding…";
    UserCreated => "Pengguna {0} berhasil ditambahkan.", "User {0} was added.";
    EditUserTitle => "Ubah pengguna {0}", "Edit user {0}";
    AccountActive => "Akun aktif (dapat masuk)", "Account active (can sign in)";
    UserSaved => "Perubahan pada {0} tersimpan.", "Changes to {0} were saved.";
    NoChanges => "Tidak ada perubahan untuk disimpan.", "There are no changes to save.";
    StaleUser => "Pengguna ini baru saja diubah oleh orang lain. Data terbaru sudah dimuat; periksa lalu ulangi perubahan Anda.",
        "Someone else changed this user just now. The latest data is loaded; check it and make your change again.";
    UsernameHint => "{0}–{1} karakter: a–z, 0–9, titik, _ atau -.", "{0}–{1} characters: a–z, 0–9, dot, _ or -.";
    PasswordHint => "Minimal {0} karakter.", "At least {0} characters.";
    TeamsTitle => "Tim", "Teams";
    TeamsIntro => "Tim agent beserta team leader-nya.", "Agent teams and their team leaders.";
    TeamName => "Nama tim", "Team name";
    Leader => "Team leader", "Team leader";
    NoLeader => "Belum ada leader", "No leader";
    Members => "Anggota", "Members";
    CreateTeamTitle => "Tambah tim", "Add a team";
    CreateTeam => "Tambah tim", "Add team";
    TeamCreated => "Tim {0} berhasil ditambahkan.", "Team {0} was added.";
    EditTeamTitle => "Ubah tim {0}", "Edit team {0}";
    TeamSaved => "Perubahan pada tim {0} tersimpan.", "Changes to team {0} were saved.";
    StaleTeam => "Tim ini baru saja diubah oleh orang lain. Data terbaru sudah dimuat; periksa lalu ulangi perubahan Anda.",
        "Someone else changed this team just now. The latest data is loaded; check it and make your change again.";

    // Audit
    AuditTitle => "Jejak audit", "Audit trail";
    AuditIntro => "Log setiap perubahan status, hanya dapat ditambah. Setiap entri terantai dengan hash entri sebelumnya.",
        "An append-only log of every change of state. Each entry is chained to the previous one by hash.";
    VerifyChain => "Verifikasi rantai", "Verify chain";
    Verifying => "Memverifikasi…", "Verifying…";
    ChainOk => "Rantai utuh: {0} entri terverifikasi.", "Chain intact: {0} entries verified.";
    ChainBroken => "Rantai rusak: entri #{0} tidak cocok dengan hash-nya. {1} entri diperiksa.",
        "Chain broken: entry #{0} does not match its hash. {1} entries checked.";
    ChainBrokenUnknown => "Rantai rusak. {0} entri diperiksa.", "Chain broken. {0} entries checked.";
    ChainHead => "Hash terakhir", "Head hash";
    ChainEmpty => "Belum ada entri.", "No entries yet.";
    Seq => "No.", "Seq";
    Time => "Waktu", "Time";
    Actor => "Pelaku", "Actor";
    AuditAction => "Aksi", "Action";
    Entity => "Objek", "Entity";
    Details => "Rincian", "Details";
    SystemActor => "sistem", "system";
    AnchorTitle => "Jangkar rantai", "Chain anchor";
    AnchorExplain => "Saat mulai dan setiap {0} menit, server menandatangani kepala rantai dengan kunci audit dan menyimpannya di log server serta di berkas jangkar di luar basis data, sehingga log yang dipotong tetap ketahuan.",
        "At start and every {0} minutes the server signs the chain's head with the audit key and keeps it in the server log and in an anchor file outside the database, so a log cut short is still found out.";
    AnchorLatest => "Jangkar terakhir: entri #{0}, ditandatangani {1}.", "Latest anchor: entry #{0}, signed {1}.";
    AnchorNone => "Belum ada jangkar: server belum menandatangani kepala rantai.", "No anchor yet: the server has not signed the chain's head.";
    AnchorMatches => "Rantai masih cocok dengan jangkar ini.", "The chain still matches this anchor.";
    AnchorNoMatch => "Rantai tidak cocok lagi dengan jangkar ini: entri telah dihapus atau diganti.",
        "The chain no longer matches this anchor: entries were removed or replaced.";
    AnchorHeadSeq => "Kepala rantai saat ini: entri #{0}.", "The chain's head now: entry #{0}.";
    AnchorHash => "Hash yang ditandatangani", "Signed hash";
    ChainCheckedAgainst => "Diperiksa terhadap jangkar entri #{0} ({1}): {2}", "Checked against the anchor of entry #{0} ({1}): {2}";
    ChainAnchorOk => "cocok.", "matches.";
    ChainAnchorBad => "tidak cocok.", "does not match.";
    ChainKeyedFrom => "Entri sejak #{0} dikunci dengan HMAC; {1} entri sebelumnya dibuat sebelum rantai dikunci, tetap memakai SHA-256 biasa, dan dijamin oleh catatan rantai.",
        "Entries from #{0} on are keyed (HMAC); the {1} earlier ones were written before the chain was keyed, keep their plain SHA-256 and are pinned by the chain record.";
    ProblemEntryMismatch => "Entri #{0} tidak cocok dengan hash berkuncinya atau dengan entri sebelumnya: entri itu diubah.",
        "Entry #{0} does not match its keyed hash or the entry before it: it was changed.";
    ProblemHeadMismatch => "Penanda kepala rantai tidak menunjuk entri terakhir.", "The chain's head marker does not name the last entry.";
    ProblemEntriesMissing => "Entri sejak #{0} hilang: catatan rantai menjamin entri yang lebih banyak.",
        "Entries from #{0} on are missing: the chain record vouches for more.";
    ProblemChainRecord => "Catatan rantai (sejak entri mana rantai dikunci) hilang atau tidak sah.",
        "The chain record (from which entry on the chain is keyed) is missing or not valid.";
    ProblemAnchorPastHead => "Log dipotong: jangkar entri #{0} menandatangani entri yang kini tidak ada; rantai berakhir di entri #{1}.",
        "The log was cut back: the anchor of entry #{0} signed an entry that is gone; the chain ends at entry #{1}.";
    ProblemAnchorMismatch => "Entri #{0} bukan lagi entri yang ditandatangani jangkarnya: entri dihapus lalu ditulis ulang.",
        "Entry #{0} is no longer the one its anchor signed: entries were removed and written anew.";

    // Account
    AccountTitle => "Akun saya", "My account";
    ChangePasswordTitle => "Ganti kata sandi", "Change password";
    CurrentPassword => "Kata sandi saat ini", "Current password";
    NewPassword => "Kata sandi baru", "New password";
    ConfirmPassword => "Ulangi kata sandi baru", "Repeat the new password";
    ChangePassword => "Ganti kata sandi", "Change password";
    PasswordChanged => "Kata sandi berhasil diganti.", "Your password was changed.";
    WrongCurrentPassword => "Kata sandi saat ini salah.", "The current password is wrong.";

    // Not found
    NotFoundTitle => "Halaman tidak ditemukan", "Page not found";
    NotFoundText => "Halaman yang Anda cari tidak ada, atau tidak tersedia untuk akun Anda.",
        "The page you are looking for does not exist, or is not available to your account.";
    BackHome => "Kembali ke beranda", "Back to home";

    // Field problems (codes from domain::validation and the server's 422 `fields`)
    FieldRequired => "Wajib diisi.", "Required.";
    FieldTooShort => "Terlalu pendek.", "Too short.";
    FieldTooShortMin => "Terlalu pendek: minimal {0} karakter.", "Too short: at least {0} characters.";
    FieldTooLong => "Terlalu panjang.", "Too long.";
    FieldTooLongMax => "Terlalu panjang: maksimal {0} karakter.", "Too long: at most {0} characters.";
    FieldInvalidChars => "Mengandung karakter yang tidak diizinkan.", "Contains characters that are not allowed.";
    FieldUnknownRole => "Pilih peran yang tersedia.", "Choose one of the roles.";
    FieldTaken => "Sudah dipakai; pilih yang lain.", "Already taken; choose another.";
    FieldUnknownTeam => "Tim tidak ditemukan.", "Team not found.";
    FieldUnknownUser => "Pengguna tidak ditemukan.", "User not found.";
    FieldNotFound => "Tidak ditemukan.", "Not found.";
    FieldNotTeamLeader => "Pengguna ini tidak berperan sebagai team leader.", "This user does not have the team leader role.";
    FieldMismatch => "Tidak sama dengan kata sandi baru.", "Does not match the new password.";
    FieldInvalid => "Isian tidak valid ({0}).", "Invalid value ({0}).";
    FormHasErrors => "Periksa kembali isian yang ditandai.", "Please check the marked fields.";

    // Errors
    ErrNetwork => "Tidak dapat terhubung ke server. Periksa jaringan lalu coba lagi.", "Cannot reach the server. Check the network and try again.";
    ErrSessionExpired => "Sesi Anda telah berakhir. Silakan masuk kembali.", "Your session has ended. Please sign in again.";
    ErrUnexpected => "Server memberi jawaban yang tidak dikenali.", "The server gave an answer the app does not understand.";
    ErrBadRequest => "Permintaan tidak dapat diproses.", "The request could not be processed.";
    ErrUnauthorized => "Anda tidak berwenang atau kata sandi salah.", "Not authorised, or a wrong password.";
    ErrForbidden => "Anda tidak berwenang melakukan tindakan ini.", "You are not allowed to do this.";
    ErrNotFound => "Data tidak ditemukan.", "Not found.";
    ErrOwnAccount => "Anda tidak dapat menonaktifkan akun sendiri atau mengubah peran sendiri.", "You cannot deactivate your own account or change your own role.";
    ErrConflict => "Data telah berubah atau sudah ada. Muat ulang lalu coba lagi.", "The data changed or already exists. Reload and try again.";
    ErrTooLarge => "Data yang dikirim terlalu besar.", "What you sent is too large.";
    ErrInvalid => "Isian tidak valid. Periksa kembali isian yang ditandai.", "Some values are not valid. Please check the marked fields.";
    ErrTooMany => "Terlalu banyak percobaan kata sandi yang salah. Akun dikunci sementara (paling lama 15 menit); coba lagi nanti atau hubungi administrator.", "Too many wrong passwords. The account is locked for a while (at most 15 minutes); try again later or contact the administrator.";
    ErrBusy => "Server sedang sibuk melayani banyak permintaan. Coba lagi beberapa detik lagi.", "The server is busy with many requests. Try again in a few seconds.";
    ErrServer => "Terjadi gangguan pada server. Coba lagi beberapa saat lagi.", "The server had a problem. Try again in a moment.";
    ErrorCode => "kode: {0}", "code: {0}";

    // Calendar (dates are shown the Indonesian way in both languages: 13 Oktober 2022)
    Month1 => "Januari", "January";
    Month2 => "Februari", "February";
    Month3 => "Maret", "March";
    Month4 => "April", "April";
    Month5 => "Mei", "May";
    Month6 => "Juni", "June";
    Month7 => "Juli", "July";
    Month8 => "Agustus", "August";
    Month9 => "September", "September";
    Month10 => "Oktober", "October";
    Month11 => "November", "November";
    Month12 => "Desember", "December";
    TimeZoneWib => "WIB", "WIB";

    // F-18 scoring (scoring part)
    NavEvaluations => "Penilaian F-18", "F-18 scoring";
    NavScoringForms => "Formulir penilaian", "Scoring forms";
    NavCalibration => "Kalibrasi", "Calibration";
    NavSampling => "Sampling call", "Call sampling";
    NewSheetsCount => "{0} hasil penilaian baru", "{0} new scoring results";
    OpenDisputesCount => "{0} sanggahan menunggu", "{0} disputes waiting";
    AssignedCallsCount => "{0} call ditugaskan belum dinilai", "{0} assigned calls not scored yet";
    EvaluationsTitle => "Penilaian call (F-18)", "Call scoring (F-18)";
    EvaluationsIntro => "Lembar penilaian F-18 yang boleh Anda lihat, panggilan terbaru di atas.", "The F-18 sheets you may see, latest call first.";
    EvaluationsIntroAgent => "Hasil penilaian call Anda. Buka yang baru, baca tiap parameter, lalu terima atau ajukan sanggahan.", "The scores of your calls. Open the new ones, read each parameter, then acknowledge or dispute.";
    EvaluationTitle => "Lembar penilaian", "Scoring sheet";
    TabAllSheets => "Semua lembar", "All sheets";
    TabDisputes => "Antrean sanggahan", "Dispute queue";
    TabMyDrafts => "Draf saya", "My drafts";
    TabAssigned => "Ditugaskan ke saya", "Assigned to me";
    AssignedIntro => "Call hasil sampling yang harus Anda nilai. Pilih Nilai untuk mulai dengan data call sudah terisi.", "Sampled calls for you to score. Choose Score to start with the call details filled in.";
    NoSheets => "Belum ada lembar penilaian.", "No scoring sheets yet.";
    NoAssignments => "Tidak ada call yang ditugaskan.", "No calls assigned.";
    NewMark => "Baru", "New";
    OpenSheet => "Buka lembar", "Open sheet";
    StartScoring => "Nilai", "Score";
    NotScoredYet => "Belum menilai", "Not scored yet";
    HasScored => "Sudah menilai", "Has scored";
    QcoLabel => "Petugas QC", "QC officer";
    CallRefLabel => "Referensi call", "Call reference";
    CallAtLabel => "Waktu call (WIB)", "Call time (WIB)";
    RecordingRefLabel => "Referensi rekaman", "Recording reference";
    FormLabel => "Formulir", "Form";
    SubmittedAt => "Dikirim", "Submitted";
    ScoreLabel => "Skor", "Score";
    LiveScore => "Skor saat ini", "Score so far";
    AnsweredCount => "{0} dari {1} parameter dijawab", "{0} of {1} parameters answered";
    FatalFailed => "FATAL: item fatal gagal, skor 0", "FATAL: a fatal item failed, score 0";
    FatalItem => "Item fatal", "Fatal";
    WeightPoints => "Bobot {0}", "Weight {0}";
    CommentOnFailShort => "Komentar wajib", "Comment on fail";
    CommentOnFailHint => "Jika gagal, komentar wajib diisi", "A failed answer needs a comment";
    AnswerPass => "Lulus", "Pass";
    AnswerFail => "Gagal", "Fail";
    AnswerNa => "Tidak berlaku", "N/A";
    NotAnswered => "Belum dijawab", "Not answered";
    CommentLabel => "Komentar", "Comment";
    CommentPlaceholder => "Komentar (opsional)", "Comment (optional)";
    CommentRequiredPlaceholder => "Komentar wajib: apa yang kurang?", "Comment required: what was missing?";
    MomentLabel => "Menit rekaman (mm:dd)", "Moment in the recording (mm:ss)";
    SheetKeys => "Keyboard: P lulus · F gagal · N tidak berlaku · J/K atau ↓/↑ pindah parameter · C komentar · Delete hapus jawaban · Enter di komentar lanjut ke parameter berikutnya.", "Keyboard: P pass · F fail · N not applicable · J/K or ↓/↑ move · C comment · Delete clears · Enter in a comment moves on to the next parameter.";
    ScoreCallTitle => "Nilai call", "Score a call";
    ScoreCallIntro => "Isi data call, lalu nilai parameter satu per satu. Skor dihitung langsung dengan rumus yang sama dengan server.", "Enter the call, then score parameter by parameter. The score is computed as you go with the server's own formula.";
    CallDetails => "Data call", "The call";
    SheetTitle => "Parameter penilaian", "Scoring parameters";
    OverallComment => "Catatan umum", "Overall comment";
    ProblemsCount => "{0} hal perlu dilengkapi:", "{0} things to complete:";
    SaveDraft => "Simpan draf", "Save draft";
    SubmitSheet => "Kirim ke agent", "Submit to the agent";
    SubmitHint => "Draf bisa dilanjutkan nanti. Setelah dikirim, lembar tidak bisa diubah dan agent diberi tahu.", "A draft can be continued later. Once submitted the sheet is final and the agent is told.";
    NoPublishedForm => "Belum ada formulir penilaian yang terbit. Minta Koordinator QRD menerbitkan formulir F-18.", "No scoring form is published yet. Ask the QRD coordinator to publish the F-18 form.";
    PickerPlaceholder => "Nama atau username…", "Name or username…";
    SheetNumber => "Lembar #{0}", "Sheet #{0}";
    ContinueDraft => "Lanjutkan draf penilaian", "Continue the draft";
    AgentActionsHint => "Sudah membaca hasilnya? Terima, atau ajukan sanggahan dengan alasan.", "Read the result? Acknowledge it, or dispute it with a reason.";
    Acknowledge => "Terima hasil", "Acknowledge";
    Dispute => "Ajukan sanggahan", "Dispute";
    DisputeTitle => "Sanggahan", "Dispute";
    DisputeIntro => "Jelaskan parameter mana yang menurut Anda keliru dan mengapa. Koordinator QRD akan meninjau.", "Say which parameters you think are wrong and why. The QRD coordinator will review it.";
    DisputeReason => "Alasan sanggahan", "Reason";
    SendDispute => "Kirim sanggahan", "Send dispute";
    AcknowledgedNotice => "Hasil penilaian diterima.", "Result acknowledged.";
    DisputedNotice => "Sanggahan terkirim ke Koordinator QRD.", "Dispute sent to the QRD coordinator.";
    DecisionUpheld => "Skor dipertahankan", "Score upheld";
    DecisionAmended => "Jawaban diubah", "Answers amended";
    ResolveTitle => "Selesaikan sanggahan", "Resolve the dispute";
    ResolveIntro => "Pertahankan skor, atau ubah jawaban di bawah (skor dihitung ulang).", "Uphold the score, or change the answers below (the score is recomputed).";
    ScoreNow => "Skor sekarang", "Score now";
    ScoreAmended => "Skor setelah diubah", "Amended score";
    ResolveComment => "Catatan keputusan", "Decision note";
    Uphold => "Pertahankan skor", "Uphold";
    Amend => "Simpan perubahan jawaban", "Amend the answers";
    UpholdDisabledHint => "Jawaban sudah diubah: simpan sebagai perubahan, atau kembalikan dulu.", "Answers were changed: amend, or change them back first.";
    UpheldNotice => "Sanggahan diselesaikan: skor dipertahankan.", "Dispute resolved: score upheld.";
    AmendedNotice => "Sanggahan diselesaikan: jawaban diubah dan skor dihitung ulang.", "Dispute resolved: answers amended and the score recomputed.";
    AmendmentHistory => "Riwayat perubahan jawaban", "Amendment history";
    AmendedAt => "Diubah", "Amended";
    AmendedBy => "Oleh", "By";
    ScoreBefore => "Skor sebelumnya", "Earlier score";
    AnswersBefore => "Yang berubah", "What changed";
    EvalDraft => "Draf", "Draft";
    EvalSubmitted => "Baru dikirim", "Submitted";
    EvalAcknowledged => "Diterima agent", "Acknowledged";
    EvalDisputed => "Disanggah", "Disputed";
    EvalResolved => "Sanggahan selesai", "Resolved";
    ScoringFormsTitle => "Formulir penilaian F-18", "F-18 scoring forms";
    ScoringFormsIntro => "Setiap terbit menjadi versi baru yang tidak bisa diubah; kunci parameter tetap sama antarversi agar tren tetap terbaca.", "Publishing makes a new version that is never edited; parameter keys stay the same across versions so trends survive.";
    ScoringFormTitle => "Formulir penilaian", "Scoring form";
    NewForm => "Formulir baru", "New form";
    FormVersion => "Versi", "Version";
    FormTitleLabel => "Judul", "Title";
    FormDocument => "Dokumen register", "Register document";
    ParameterCount => "Parameter", "Parameters";
    WeightTotal => "Total bobot", "Weight total";
    WeightTotalIs => "Total bobot item non-fatal: {0}", "Weight of the non-fatal items: {0}";
    WeightTotalHint => "biasanya 100", "usually 100";
    PublishedAt => "Terbit", "Published";
    FormDraft => "Draf", "Draft";
    FormPublished => "Berlaku", "Published";
    FormRetired => "Diganti", "Retired";
    FormRecordOf => "Rekaman dari {0}, disimpan {1} bulan", "Records of {0}, kept {1} months";
    NewVersionFromThis => "Versi baru dari ini", "New version from this";
    NewVersionOf => "Versi baru {0}", "New version of {0}";
    ParamKey => "Kunci", "Key";
    ParamLabel => "Parameter", "Parameter label";
    ParamGuidance => "Panduan untuk QCO", "Guidance for the QCO";
    ParamWeight => "Bobot", "Weight";
    AllowNa => "Boleh N/A", "N/A allowed";
    SectionTitle => "Judul bagian", "Section title";
    MoveUp => "Naikkan", "Move up";
    MoveDown => "Turunkan", "Move down";
    Remove => "Hapus", "Remove";
    RemoveSection => "Hapus bagian", "Remove section";
    AddParameter => "+ Tambah parameter", "+ Add parameter";
    AddSection => "+ Tambah bagian", "+ Add section";
    PublishForm => "Terbitkan", "Publish";
    SavedNotice => "Tersimpan.", "Saved.";
    CalibrationsTitle => "Kalibrasi penilaian", "Scoring calibration";
    CalibrationsIntro => "Beberapa QCO menilai call yang sama tanpa melihat nilai yang lain, lalu kesepakatan per parameter dibandingkan.", "Several QCOs score the same call without seeing each other's answers; then agreement per parameter is compared.";
    CalibrationTitle => "Sesi kalibrasi", "Calibration session";
    NoCalibrations => "Belum ada sesi kalibrasi.", "No calibration sessions yet.";
    NewCalibration => "Sesi kalibrasi baru", "New calibration session";
    CalibrationName => "Nama sesi", "Session name";
    CalibrationQcos => "QCO peserta", "Participating QCOs";
    CreateCalibration => "Buat sesi", "Create session";
    ScoredCount => "Sudah menilai", "Scored";
    CalibrationOpen => "Berjalan", "Open";
    CalibrationClosed => "Selesai", "Closed";
    CloseCalibration => "Tutup sesi", "Close session";
    CalibrationBlindHint => "Nilai call ini sendiri. Jawaban QCO lain baru terlihat setelah semua menilai atau sesi ditutup.", "Score this call on your own. Other QCOs' answers show once everyone has scored or the session closes.";
    CalibrationWaitOthers => "Penilaian Anda tersimpan. Hasil kalibrasi tampil setelah semua peserta menilai.", "Your sheet is in. The results show once every participant has scored.";
    CalibrationNotRevealed => "Hasil kalibrasi tampil setelah semua peserta menilai atau sesi ditutup.", "The results show once every participant has scored or the session closes.";
    YourScore => "Skor Anda:", "Your score:";
    NoResultsYet => "Belum ada hasil.", "No results yet.";
    ScoreSpread => "Sebaran skor", "Score spread";
    MinScore => "Terendah", "Lowest";
    MeanScore => "Rata-rata", "Mean";
    MaxScore => "Tertinggi", "Highest";
    StdDev => "Simpangan baku", "Standard deviation";
    MostDivergent => "Paling berbeda dari mayoritas: {0} ({1} parameter)", "Differs most from the majority: {0} ({1} parameters)";
    AgreementTitle => "Kesepakatan per parameter", "Agreement per parameter";
    AgreementIntro => "Persentase QCO yang memberi jawaban terbanyak. P lulus, F gagal, N tidak berlaku; sel bergaris berbeda dari mayoritas.", "Share of QCOs who gave the most common answer. P pass, F fail, N not applicable; outlined cells differ from the majority.";
    Agreement => "Kesepakatan", "Agreement";
    SamplingTitle => "Sampling call", "Call sampling";
    SamplingIntro => "Ambil N call acak per agent dalam satu periode dari data agree yang diimpor, dibagi rata ke QCO yang dipilih.", "Draw N random calls per agent over a period from the imported agree cases, shared evenly among the chosen QCOs.";
    SamplingRequestTitle => "Minta sampling", "Request a sample";
    PerAgent => "Call per agent", "Calls per agent";
    AssignTo => "Bagikan ke QCO", "Assign to QCOs";
    RequestSampling => "Ambil sampel", "Draw the sample";
    SamplingDone => "{0} call ditugaskan.", "{0} calls assigned.";
    SamplingShort => "{0} agent punya call lebih sedikit dari yang diminta.", "{0} agents had fewer calls than asked for.";
    SamplingQueue => "Antrean penilaian", "Scoring queue";
    HomeScoringTitle => "Penilaian F-18", "F-18 scoring";
    HomeNewResults => "Hasil penilaian baru", "New scoring results";
    HomeDrafts => "Draf penilaian", "Scoring drafts";
    HomeAssigned => "Call ditugaskan", "Assigned calls";
    HomeDisputes => "Sanggahan menunggu", "Disputes waiting";
    OpenEvaluations => "Buka penilaian", "Open scoring";
    ErrAtLeastTwo => "Pilih paling sedikit dua QCO.", "Choose at least two QCOs.";
    ErrNotAnswered => "Belum dijawab.", "Not answered.";
    ErrCommentNeeded => "Item gagal ini wajib diberi komentar.", "This failed item needs a comment.";
    ErrNaNotAllowed => "N/A tidak diizinkan untuk parameter ini.", "N/A is not allowed for this parameter.";
    ErrMoment => "Menit rekaman ditulis mm:dd, misalnya 01:35.", "Write the moment as mm:ss, e.g. 01:35.";
    ErrKey => "Unik: a-z, 0-9 dan _.", "Unique: a-z, 0-9 and _.";
    ErrWeight => "Bobot: lebih dari 0, maks. 1000.", "Weight: above 0, at most 1000.";
    ErrFatalWeight => "Item fatal tidak berbobot (0).", "A fatal item carries no weight (0).";
    ErrNoParameters => "Formulir perlu paling sedikit satu parameter berbobot.", "A form needs at least one weighted parameter.";
    ErrNotAgent => "Pengguna ini bukan agent.", "This user is not an agent.";
    ErrNoImportedCases => "Belum ada data agree yang diimpor (F-19) untuk diambil sampelnya.", "No imported agree cases (F-19) to sample from yet.";
    ErrNotQco => "Pilih petugas QC yang aktif.", "Choose active QC officers.";
    ErrInFuture => "Waktu call tidak boleh di masa depan.", "The call cannot be in the future.";
    ErrNotPublished => "Formulir ini belum terbit.", "This form is not published.";
    ErrBeforeFrom => "Harus sesudah tanggal awal.", "Must be after the start date.";
    WaitingForAgentAnswer => "Menunggu agent menerima atau menyanggah.", "Waiting for the agent to acknowledge or dispute.";
    // (end of the scoring part)
}

/// The text of `key` in `lang`.
pub fn t(lang: Lang, key: K) -> &'static str {
    let (id, en) = key.pair();
    match lang {
        Lang::Id => id,
        Lang::En => en,
    }
}

/// The text of `key` in `lang` with `{0}`, `{1}`, … replaced by `args`.
pub fn tf(lang: Lang, key: K, args: &[&str]) -> String {
    fill(t(lang, key), args)
}

/// Replaces the numbered placeholders of `template`; a placeholder without an argument stays.
pub fn fill(template: &str, args: &[&str]) -> String {
    let mut out = template.to_owned();
    for (i, arg) in args.iter().enumerate() {
        out = out.replace(&format!("{{{i}}}"), arg);
    }
    out
}

/// The translated name of a role.
pub fn role_key(role: Role) -> K {
    match role {
        Role::Admin => K::RoleAdmin,
        Role::Manager => K::RoleManager,
        Role::DocController => K::RoleDocController,
        Role::QcCoordinator => K::RoleQcCoordinator,
        Role::Qco => K::RoleQco,
        Role::TeamLeader => K::RoleTeamLeader,
        Role::Agent => K::RoleAgent,
    }
}

/// What a role does in the SOP, for the landing page.
pub fn duty_key(role: Role) -> K {
    match role {
        Role::Admin => K::DutyAdmin,
        Role::Manager => K::DutyManager,
        Role::DocController => K::DutyDocController,
        Role::QcCoordinator => K::DutyQcCoordinator,
        Role::Qco => K::DutyQco,
        Role::TeamLeader => K::DutyTeamLeader,
        Role::Agent => K::DutyAgent,
    }
}

/// The name of month `month` (1–12).
pub fn month_key(month: u32) -> Option<K> {
    const MONTHS: [K; 12] = [
        K::Month1,
        K::Month2,
        K::Month3,
        K::Month4,
        K::Month5,
        K::Month6,
        K::Month7,
        K::Month8,
        K::Month9,
        K::Month10,
        K::Month11,
        K::Month12,
    ];
    MONTHS.get(month.checked_sub(1)? as usize).copied()
}

/// The hint under a new username field, with the limits of `domain::validation`.
pub fn username_hint(lang: Lang) -> String {
    use domain::validation::{USERNAME_MAX, USERNAME_MIN};
    tf(lang, K::UsernameHint, &[&USERNAME_MIN.to_string(), &USERNAME_MAX.to_string()])
}

/// The hint under a new password field.
pub fn password_hint(lang: Lang) -> String {
    tf(lang, K::PasswordHint, &[&domain::validation::PASSWORD_MIN.to_string()])
}

/// Explains a field problem code (from `domain::validation` or a 422 `fields` map) for `field`.
pub fn field_error(lang: Lang, field: &str, code: &str) -> String {
    use domain::validation::{NAME_MAX, PASSWORD_MAX, PASSWORD_MIN, USERNAME_MAX, USERNAME_MIN};
    let min = match field {
        "username" => Some(USERNAME_MIN),
        "password" | "new_password" => Some(PASSWORD_MIN),
        _ => None,
    };
    let max = match field {
        "username" => Some(USERNAME_MAX),
        "password" | "new_password" => Some(PASSWORD_MAX),
        "full_name" | "position" | "name" => Some(NAME_MAX),
        _ => None,
    };
    match code {
        "required" => t(lang, K::FieldRequired).to_owned(),
        "too_short" => match min {
            Some(n) => tf(lang, K::FieldTooShortMin, &[&n.to_string()]),
            None => t(lang, K::FieldTooShort).to_owned(),
        },
        "too_long" => match max {
            Some(n) => tf(lang, K::FieldTooLongMax, &[&n.to_string()]),
            None => t(lang, K::FieldTooLong).to_owned(),
        },
        "invalid_characters" => t(lang, K::FieldInvalidChars).to_owned(),
        "unknown_role" => t(lang, K::FieldUnknownRole).to_owned(),
        "taken" | "duplicate" => t(lang, K::FieldTaken).to_owned(),
        "not_found" => match field {
            "team_id" => t(lang, K::FieldUnknownTeam).to_owned(),
            "leader_id" => t(lang, K::FieldUnknownUser).to_owned(),
            _ => t(lang, K::FieldNotFound).to_owned(),
        },
        "not_team_leader" => t(lang, K::FieldNotTeamLeader).to_owned(),
        "mismatch" => t(lang, K::FieldMismatch).to_owned(),
        other => tf(lang, K::FieldInvalid, &[other]),
    }
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

/// A document or revision field problem (`code`, `retention_months`, `effective_date`, …).
pub fn doc_field_error(lang: Lang, field: &str, code: &str) -> String {
    let key = match (field, code) {
        (_, "invalid_code") => K::FieldInvalidCode,
        (_, "kind_mismatch") => K::FieldKindMismatch,
        (_, "code_includes_revision") => K::FieldCodeHasRevision,
        (_, "code_taken") => K::FieldCodeTaken,
        (_, "forms_only") => K::FieldFormsOnly,
        (_, "out_of_range") => K::FieldOutOfRange,
        (_, "in_past") => K::FieldInPast,
        ("parent_code", "not_found") => K::FieldParentNotFound,
        _ => return field_error(lang, field, code),
    };
    t(lang, key).to_owned()
}

/// `24 bulan (2 tahun)` for a retention period in months.
pub fn retention_text(lang: Lang, months: i32) -> String {
    if months > 0 && months % 12 == 0 {
        tf(lang, K::RetentionMonthsYears, &[&months.to_string(), &(months / 12).to_string()])
    } else {
        tf(lang, K::RetentionMonths, &[&months.to_string()])
    }
}

// ---- F-18 scoring helpers (scoring part) ------------------------------------------------------

/// The name of a sheet status.
pub fn eval_status_key(status: domain::scoring::EvaluationStatus) -> K {
    use domain::scoring::EvaluationStatus as S;
    match status {
        S::Draft => K::EvalDraft,
        S::Submitted => K::EvalSubmitted,
        S::Acknowledged => K::EvalAcknowledged,
        S::Disputed => K::EvalDisputed,
        S::Resolved => K::EvalResolved,
    }
}

/// The name of a scoring form status.
pub fn form_status_key(status: domain::scoring::FormStatus) -> K {
    use domain::scoring::FormStatus as S;
    match status {
        S::Draft => K::FormDraft,
        S::Published => K::FormPublished,
        S::Retired => K::FormRetired,
    }
}

/// Explains a scoring problem: a code (`required`, `at_least_two`, …) or the text of
/// `domain::scoring::{validate_form, check_answers}` (which the server sends as it is).
pub fn scoring_error(lang: Lang, problem: &str) -> String {
    let key = match problem {
        "at_least_two" => K::ErrAtLeastTwo,
        "not answered" => K::ErrNotAnswered,
        "a failed item needs a comment" => K::ErrCommentNeeded,
        "N/A is not allowed for this parameter" => K::ErrNaNotAllowed,
        "moment must be mm:ss" => K::ErrMoment,
        "unique, lowercase letters, digits and _" => K::ErrKey,
        "must be above 0 and at most 1000" | "must be a number" => K::ErrWeight,
        "a fatal item carries no weight (0)" => K::ErrFatalWeight,
        "a form needs at least one parameter" | "a form needs at least one weighted (non-fatal) parameter" => {
            K::ErrNoParameters
        }
        "not_agent" | "not an agent" | "not_an_agent" => K::ErrNotAgent,
        "no_imported_cases" => K::ErrNoImportedCases,
        "not_a_qco" => K::ErrNotQco,
        "in_future" => K::ErrInFuture,
        "not_published" => K::ErrNotPublished,
        "before_from" => K::ErrBeforeFrom,
        "1 to 40 characters" | "1 to 200 characters" | "1 to 300 characters" | "required" => K::FieldRequired,
        code if !code.contains(' ') => return doc_field_error(lang, "", code),
        other => return other.to_owned(),
    };
    t(lang, key).to_owned()
}
// ---- (end of the F-18 scoring helpers) ----------------------------------------------------------
// ---- F-19 agree validation and W-03 follow-ups: labels (cases part) ----

/// The label of an agree case's state.
pub fn case_status_key(status: domain::cases::CaseStatus) -> K {
    use domain::cases::CaseStatus as S;
    match status {
        S::Pending => K::CaseStatusPending,
        S::Approved => K::CaseStatusApproved,
        S::Returned => K::CaseStatusReturned,
    }
}

/// The label of a follow-up's state.
pub fn followup_status_key(status: domain::cases::FollowupStatus) -> K {
    use domain::cases::FollowupStatus as S;
    match status {
        S::Open => K::FollowupStatusOpen,
        S::Recared => K::FollowupStatusRecared,
        S::Closed => K::FollowupStatusClosed,
        S::Reopened => K::FollowupStatusReopened,
    }
}

/// The label of a step in a follow-up's history (`opened`, `recared`, `closed`, `reopened`).
pub fn followup_step_key(step: &str) -> K {
    match step {
        "recared" => K::StepRecared,
        "closed" => K::StepClosed,
        "reopened" => K::StepReopened,
        _ => K::StepOpened,
    }
}

/// The W-04 checklist items in their order: the field name and its label.
pub fn checklist_items(lang: Lang) -> [(&'static str, &'static str); 4] {
    [
        ("identity_verified", t(lang, K::CheckIdentity)),
        ("amount_and_date_correct", t(lang, K::CheckAmountDate)),
        ("explicit_agreement", t(lang, K::CheckExplicit)),
        ("reason_matches", t(lang, K::CheckReason)),
    ]
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
mod cases_tests {
    use super::*;

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
    fn every_state_and_step_has_a_label() {
        for s in domain::cases::CaseStatus::ALL {
            assert!(!t(Lang::Id, case_status_key(s)).is_empty());
        }
        for s in domain::cases::FollowupStatus::ALL {
            assert_eq!(followup_step_key(s.as_str()) == K::StepOpened, s == domain::cases::FollowupStatus::Open);
        }
        assert_eq!(checklist_items(Lang::En)[3].0, "reason_matches");
    }
}

// ---- (end of the cases part's labels) ----

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    /// Keys whose two texts are rightly the same word in both languages.
    const SAME_IN_BOTH: &[K] = &[
        K::AppName,
        K::NoneDash,
        K::RoleAdmin,
        K::RoleTeamLeader,
        K::RoleAgent,
        K::Status,
        K::Leader,
        K::LangIdShort,
        K::LangEnShort,
        K::Month4,
        K::Month9,
        K::Month11,
        K::TimeZoneWib,
        K::HistoryRev,
        K::AttachmentHash,
    ];

    fn placeholders(text: &str) -> Vec<String> {
        let mut found: Vec<String> = (0..10).map(|i| format!("{{{i}}}")).filter(|p| text.contains(p)).collect();
        found.sort();
        found
    }

    #[test]
    fn every_key_has_both_texts() {
        for key in K::ALL {
            let (id, en) = key.pair();
            assert!(!id.trim().is_empty(), "{key:?} has no Indonesian text");
            assert!(!en.trim().is_empty(), "{key:?} has no English text");
        }
    }

    #[test]
    fn translations_differ_unless_listed() {
        for key in K::ALL {
            let (id, en) = key.pair();
            if id == en {
                assert!(SAME_IN_BOTH.contains(key), "{key:?} looks untranslated: {id:?}");
            }
        }
    }

    #[test]
    fn both_languages_use_the_same_placeholders() {
        for key in K::ALL {
            let (id, en) = key.pair();
            assert_eq!(placeholders(id), placeholders(en), "{key:?}");
        }
    }

    #[test]
    fn every_role_has_a_distinct_name_and_duty() {
        let names: HashSet<&str> = Role::ALL.iter().map(|r| t(Lang::Id, role_key(*r))).collect();
        assert_eq!(names.len(), Role::ALL.len());
        let duties: HashSet<&str> = Role::ALL.iter().map(|r| t(Lang::En, duty_key(*r))).collect();
        assert_eq!(duties.len(), Role::ALL.len());
    }

    #[test]
    fn fill_replaces_numbered_placeholders_in_any_order() {
        assert_eq!(fill("{1} lalu {0}", &["a", "b"]), "b lalu a");
        assert_eq!(tf(Lang::Id, K::Welcome, &["Budi"]), "Selamat datang, Budi");
        assert_eq!(tf(Lang::En, K::Welcome, &["Budi"]), "Welcome, Budi");
    }

    #[test]
    fn language_codes_round_trip() {
        for lang in [Lang::Id, Lang::En] {
            assert_eq!(Lang::from_code(lang.code()), Some(lang));
        }
        assert_eq!(Lang::from_code("fr"), None);
        assert_eq!(Lang::default(), Lang::Id);
    }

    #[test]
    fn field_errors_are_translated_with_limits() {
        use domain::validation::{PASSWORD_MIN, USERNAME_MIN};
        assert_eq!(
            field_error(Lang::Id, "password", "too_short"),
            format!("Terlalu pendek: minimal {PASSWORD_MIN} karakter.")
        );
        assert_eq!(
            field_error(Lang::En, "username", "too_short"),
            format!("Too short: at least {USERNAME_MIN} characters.")
        );
        assert_eq!(field_error(Lang::Id, "username", "taken"), "Sudah dipakai; pilih yang lain.");
        assert_eq!(field_error(Lang::En, "role", "unknown_role"), "Choose one of the roles.");
        assert_eq!(field_error(Lang::En, "team_id", "not_found"), "Team not found.");
        assert!(field_error(Lang::En, "x", "weird_code").contains("weird_code"));
    }

    #[test]
    fn months_cover_one_to_twelve() {
        assert_eq!(month_key(0), None);
        assert_eq!(month_key(13), None);
        assert_eq!(t(Lang::Id, month_key(10).unwrap()), "Oktober");
        assert_eq!(t(Lang::En, month_key(5).unwrap()), "May");
    }

    #[test]
    fn document_texts() {
        assert_eq!(retention_text(Lang::Id, 24), "24 bulan (2 tahun)");
        assert_eq!(retention_text(Lang::En, 18), "18 months");
        assert_eq!(doc_field_error(Lang::Id, "code", "kind_mismatch"), t(Lang::Id, K::FieldKindMismatch));
        assert_eq!(doc_field_error(Lang::En, "parent_code", "not_found"), "Parent document not found.");
        assert_eq!(doc_field_error(Lang::En, "title", "required"), "Required.");
        for status in domain::documents::RevisionStatus::ALL {
            assert!(!t(Lang::Id, status_key(status)).is_empty());
        }
    }
}
