//! The strings of F-19 agree validation, W-03 follow-ups and their reports: their key set, in Bahasa Indonesia and English, and the helpers that pick them.

use super::{K, Lang, t};

/// This area's keys, added to the ones gathered so far; then the next area's macro (the last
/// is `table!`, which makes the one `K` enum).
macro_rules! cases_keys {
    ([$next:ident $($rest:ident)*] $($acc:tt)*) => {
        $next! { [$($rest)*] $($acc)*
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
        PromiseTitle => "Janji bayar", "Promise to pay";
        PromiseStatusLabel => "Status janji", "Promise status";
        PromiseKept => "Ditepati", "Kept";
        PromiseBroken => "Ingkar", "Broken";
        PromisePending => "Menunggu", "Pending";
        PromiseDue => "Batas bayar", "Pay by";
        PromisePromised => "Dijanjikan", "Promised";
        PromisePaid => "Dibayar", "Paid";
        PromiseNoPayments => "Belum ada pembayaran yang tercatat untuk janji ini.", "No payment has been recorded for this promise yet.";
        PromiseReportTitle => "Laporan janji bayar", "Promise keep rates";
        PromiseReportIntro => "Janji bayar yang ditepati: ditepati / (ditepati + ingkar). Klik angka untuk membuka agree-nya.",
            "Promises to pay kept: kept / (kept + broken). Click a count to open its agrees.";
        PromiseRules => "Ditepati bila pembayaran sejak call mencapai {0}% dari janji paling lambat tanggal janji + {1} hari kerja; ingkar bila hari itu lewat.",
            "Kept when payments from the call on reach {0}% of the promise by the promise date + {1} working days; broken when that day has passed.";
        PromiseReportEmpty => "Tidak ada janji bayar dari call pada periode ini.", "No promises to pay from calls in this period.";
        GroupBy => "Kelompokkan", "Group by";
        GroupQco => "QCO", "QCO";
        GroupResult => "Hasil validasi QC", "QC outcome";
        GroupMonth => "Bulan call", "Month of the call";
        KeepRate => "Tingkat tepat janji", "Keep rate";
        OutcomeApproved => "APPROVED", "APPROVED";
        OutcomeReturnedClosed => "RETURN, sudah selesai", "RETURN, closed";
        OutcomeReturnedOpen => "RETURN, masih terbuka", "RETURN, still open";
        OutcomeNotValidated => "Belum divalidasi", "Not validated yet";
        DrillFilter => "Dari laporan janji bayar:", "From the keep-rate report:";
        ClearFilter => "Hapus saringan", "Clear the filter";
        PaymentRef => "Referensi", "Reference";
        PaymentPaidAt => "Waktu bayar", "Paid at";
        PaymentKindLabel => "Jenis", "Kind";
        PaymentAmount => "Jumlah", "Amount";
        PaymentKindPayment => "Pembayaran", "Payment";
        PaymentKindReversal => "Pembatalan", "Reversal";
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
        EvaluationNotFound => "Tidak ada lembar F-18 dengan nomor ini.", "There is no F-18 sheet with this number.";
        EvaluationOtherAgent => "Lembar F-18 ini menilai agent lain, bukan agent agree ini.", "This F-18 sheet scores another agent, not this agree's agent.";
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
        TabWaitingForAgent => "Menunggu agent", "Waiting for the agent";
        OverdueCount => "terlambat", "overdue";
        OpenedOn => "Dibuka", "Opened";
        DueOn => "Jatuh tempo", "Due";
        AgeDays => "Umur (hari)", "Age (days)";
        PerAgentTitle => "Per agent", "By agent";
        OldestOpenDays => "Terlama terbuka (hari)", "Oldest open (days)";
        AutoRefresh => "Daftar ini diperbarui otomatis setiap 20 detik.", "This list refreshes by itself every 20 seconds.";
        OpenReturnsCount => "{0} RETURN terbuka", "{0} open returns";
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
        ClosedAgentLate => "Agent mencatat caring ulang setelah jatuh tempo putarannya ({0} kali).", "The agent recorded a re-care after its round's due date ({0} times).";
        ClosedQcLate => "QC memverifikasi setelah tenggat verifikasinya ({0} kali) — keterlambatan QC, bukan agent.", "QC verified after its verification deadline ({0} times) — QC's delay, not the agent's.";
        FollowupVerifyDue => "Tenggat verifikasi QC {0}", "QC to verify by {0}";
        VerifyOverdue => "Verifikasi terlambat", "Verification overdue";
        VerifyOverdueOnly => "Hanya verifikasi terlambat", "Verification overdue only";
        VerifyOverdueCount => "verifikasi QC terlambat", "QC verifications overdue";
        VerifyDueOn => "Tenggat verifikasi QC", "QC's deadline";
        QcDueShort => "Tenggat QC {0}", "QC by {0}";
        StepDueAt => "Jatuh tempo agent: {0}", "Agent's due date: {0}";
        StepVerifyDueAt => "Tenggat verifikasi QC: {0}", "QC's verification deadline: {0}";
        StepAfterDeadline => "setelah tenggat", "after the deadline";
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
        RecaredAtZone => "Waktu caring ({0})", "Re-care time ({0})";
        RecaredAtInvalid => "Isi tanggal dan jam yang valid.", "Enter a valid date and time.";
        RecaredInFuture => "Waktu caring tidak boleh di masa depan.", "The re-care time cannot be in the future.";
        RecaredBeforeReturn => "Waktu caring tidak boleh sebelum RETURN dibuka.", "The re-care cannot be before the RETURN was opened.";
        RecareSubmit => "Simpan caring ulang", "Save the re-care";
        RecarePromise => "Tanggal janji bayar baru (jika ada)", "New promised payment date (if any)";
        RecarePromiseHint => "Isi bila pelanggan menjanjikan tanggal bayar baru pada call re-care ini. Tanggal janji di agree asli tetap tercatat.",
            "Fill in when the customer promised a new payment date on this re-care call. The agree's original promise stays on record.";
        RecareDone => "Re-care tersimpan dan menunggu verifikasi QC.", "The re-care is recorded and waits for QC's verification.";
        RecareDoneBy => "Re-care tersimpan. QC memverifikasinya paling lambat {0}.", "The re-care is recorded. QC verifies it by {0}.";
        StepNewPromise => "Janji bayar baru: {0}", "New promised payment date: {0}";
        VerifyTitle => "Verifikasi QC", "QC verification";
        VerifyIntro => "Dengarkan call baru. Tutup bila caring sudah benar, atau buka ulang dengan komentar untuk agent.",
            "Listen to the new call. Close it if the re-care was right, or reopen it with a comment for the agent.";
        VerifyComment => "Komentar", "Comment";
        VerifyCommentHint => "Wajib bila dibuka ulang: agent akan melihatnya.", "Required when reopening: the agent will see it.";
        ReopenNeedsComment => "Tulis komentar agar agent tahu apa yang harus diperbaiki.", "Write a comment so the agent knows what to fix.";
        Reopen => "Buka ulang", "Reopen";
        CloseFollowup => "Tutup (selesai)", "Close (done)";
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
        ColOverdue => "Agent terlambat", "Agent overdue";
        ColInTimeAgentQc => "Tepat waktu: agent / QC", "In time: agent / QC";
        ColOverdueAgentQc => "Terlambat: agent / QC", "Overdue: agent / QC";
        ColRecaredInTime => "Caring agent tepat waktu", "Agent re-cared in time";
        ColVerifiedInTime => "Verifikasi QC tepat waktu", "QC verified in time";
        ColVerifyOverdue => "Verifikasi QC terlambat", "QC verification overdue";
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
        ChecklistEditIntro => "Kalimat empat butir checklist tapping yang dicentang QCO saat memvalidasi agree. Butirnya tetap; teksnya (bahasa Indonesia dan Inggris) bagian dari W-04, sehingga setiap perubahan menjadi versi baru yang Anda tandatangani dengan alasannya.",
            "The wording of the four tapping checklist items a QCO ticks when validating an agree. The items are fixed; their text (Indonesian and English) is part of W-04, so every change is a new version you sign, with its reason.";
        ChecklistReadOnly => "Kalimat checklist tapping yang dicentang QCO. Hanya koordinator QRD yang dapat mengubahnya.",
            "The tapping checklist a QCO ticks. Only the QRD coordinator can change its wording.";
        ChecklistItemsTitle => "Butir checklist", "Checklist items";
        ChecklistItemCol => "Butir", "Item";
        ChecklistItemN => "Butir {0}", "Item {0}";
        LabelIdText => "Teks bahasa Indonesia", "Indonesian text";
        LabelEnText => "Teks bahasa Inggris", "English text";
        ChecklistDefaults => "Isi dengan teks bawaan", "Fill in the built-in wording";
        // W-04 wording versions (issue 12 item 1)
        ChecklistVersionN => "Versi {0}", "Version {0}";
        ChecklistInForceTitle => "Versi yang berlaku", "Version in force";
        ChecklistInForceMark => "berlaku", "in force";
        ChecklistSignedBy => "Ditandatangani {0} ({1}), {2}", "Signed by {0} ({1}), {2}";
        ChecklistUnsigned => "Teks yang dipakai saat versi teks dimulai, dibawa apa adanya; tidak ditandatangani ({0}).",
            "The wording in use when wording versions began, carried over as it was; not signed ({0}).";
        ChecklistReasonLabel => "Alasan perubahan", "Reason for the change";
        ChecklistSignatureLabel => "Tanda tangan", "Signature";
        ChecklistReasonHint => "Wajib. Disimpan bersama versi baru dan di log audit.", "Required. Kept with the new version and in the audit log.";
        ChecklistSignPassword => "Kata sandi Anda (tanda tangan elektronik)", "Your password (electronic signature)";
        ChecklistSignMeaning => "Dengan menandatangani, Anda menetapkan teks ini sebagai versi baru W-04 untuk setiap validasi berikutnya. Validasi yang sudah ada tetap dengan teks versinya.",
            "By signing, you make this wording the new version of W-04 for every validation from now on. Validations already made keep the wording of their version.";
        ChecklistSignSave => "Tandatangani versi baru", "Sign the new version";
        ChecklistSigned => "Versi {0} ditandatangani dan kini berlaku.", "Version {0} is signed and now in force.";
        ChecklistUnchanged => "Teksnya sama dengan versi yang berlaku; tidak ada versi baru yang dibuat.", "The wording is the same as the version in force; no new version was made.";
        ChecklistChangedMeanwhile => "Versi lain ditandatangani sementara itu. Muat ulang halaman dan periksa teksnya lagi.",
            "Another version was signed meanwhile. Reload the page and check the wording again.";
        ChecklistVersionsTitle => "Riwayat versi teks", "Wording version history";
        ChecklistNotSigned => "tidak ditandatangani", "not signed";
        ChecklistWordingVersion => "Teks W-04 v{0}", "W-04 wording v{0}";
        ChecklistWordingLabel => "Teks checklist", "Checklist wording";
        ChecklistWordingUnversioned => "Dicatat sebelum teks W-04 berversi: butir ditampilkan dengan teks bawaan, yang belum tentu teks yang dilihat QCO saat itu.",
            "Recorded before W-04 wording versions: the items are shown in the default wording, which may not be the wording the QCO saw.";
        ChecklistWordingChanged => "Teks checklist W-04 diganti dengan versi baru saat Anda memeriksa. Baca ulang butirnya, centang lagi, lalu validasi.",
            "The W-04 checklist wording was replaced by a new version while you were checking. Read the items again, tick them again, then validate.";
        }
    };
}

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

/// The label of a step in a follow-up's history.
pub fn followup_step_key(step: domain::cases::FollowupStepKind) -> K {
    use domain::cases::FollowupStepKind as S;
    match step {
        S::Opened => K::StepOpened,
        S::Recared => K::StepRecared,
        S::Closed => K::StepClosed,
        S::Reopened => K::StepReopened,
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

#[cfg(test)]
mod cases_tests {
    use super::*;

    #[test]
    fn every_state_and_step_has_a_label() {
        for s in domain::cases::CaseStatus::ALL {
            assert!(!t(Lang::Id, case_status_key(s)).is_empty());
        }
        let steps: std::collections::HashSet<&str> =
            domain::cases::FollowupStepKind::ALL.into_iter().map(|s| t(Lang::Id, followup_step_key(s))).collect();
        assert_eq!(steps.len(), domain::cases::FollowupStepKind::ALL.len(), "each step its own label");
        assert_eq!(checklist_items(Lang::En)[3].0, "reason_matches");
    }
}
