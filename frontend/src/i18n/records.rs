//! The strings of the records lifecycle (issue 15): their key set, in Bahasa Indonesia and English.

/// This area's keys, added to the ones gathered so far; then the next area's macro.
macro_rules! records_keys {
    ([$next:ident $($rest:ident)*] $($acc:tt)*) => {
        $next! { [$($rest)*] $($acc)*
        NavRecords => "Retensi arsip", "Records retention";
        RecordsTitle => "Retensi & pemusnahan arsip", "Records retention & disposal";
        RecordsIntro => "Lembar F-18 dan validasi F-19 disimpan selama masa retensi formulirnya di daftar dokumen, dihitung sejak arsip ditutup (lembar diakui atau sanggahan diputuskan; validasi APPROVED atau RETURN ditutup). Pemusnahan perlu dua tanda tangan: Koordinator QC menyetujui, manajer atau admin mengonfirmasi. Arsip yang ditahan legal hold tidak pernah dimusnahkan.",
            "F-18 sheets and F-19 validations are kept for their form's retention in the register, counted from the record's closing (sheet acknowledged or dispute resolved; validation APPROVED or RETURN closed). Disposal takes two signatures: the QC coordinator approves, a manager or admin confirms. Records under a legal hold are never disposed.";
        DueTitle => "Arsip lewat masa simpan", "Records past retention";
        NothingDue => "Tidak ada arsip yang lewat masa simpannya.", "No record is past its retention.";
        DueMonth => "Jatuh tempo", "Fell due";
        Records => "Arsip", "Records";
        RetentionCol => "Retensi (bulan)", "Retention (months)";
        HeldPastRetention => "{0} arsip lewat masa simpan ditahan legal hold (tidak ditampilkan di atas).", "{0} records past retention are kept by legal holds (not listed above).";
        ApproveDisposal => "Setujui pemusnahan", "Approve disposal";
        ApproveMeaning => "Anda menyetujui pemusnahan {0} arsip {1} yang jatuh tempo s.d. {2}. Arsip belum dimusnahkan sampai orang kedua mengonfirmasi.",
            "You approve the disposal of {0} records of {1} due through {2}. Nothing is disposed until a second person confirms.";
        BatchesTitle => "Batch pemusnahan", "Disposal batches";
        NoBatches => "Belum ada batch pemusnahan.", "No disposal batch yet.";
        BatchApproved => "Menunggu konfirmasi", "Waiting for confirmation";
        BatchDisposing => "Sedang dimusnahkan", "Disposing";
        BatchDisposed => "Dimusnahkan", "Disposed";
        Withheld => "{0} ditahan hold", "{0} kept by holds";
        ApprovedByLabel => "Disetujui", "Approved";
        ConfirmedByLabel => "Dikonfirmasi", "Confirmed";
        StatusLabel => "Status", "Status";
        ConfirmDisposal => "Konfirmasi pemusnahan", "Confirm disposal";
        ConfirmMeaning => "Anda mengonfirmasi pemusnahan {0} arsip {1} yang disetujui {2}. Isinya dihapus dan diganti tombstone berisi hash; tindakan ini tidak dapat dibatalkan.",
            "You confirm the disposal of {0} records of {1} approved by {2}. Their content is deleted and replaced by tombstones with hashes; this cannot be undone.";
        DisposalApproved => "Pemusnahan disetujui; menunggu konfirmasi orang kedua.", "Disposal approved; waiting for a second person to confirm.";
        DisposalDone => "Arsip dimusnahkan; sertifikat diterbitkan.", "Records disposed; the certificate is issued.";
        DisposalRunning => "Pemusnahan berjalan; sertifikat terbit saat selesai (muat ulang halaman).", "Disposal is running; the certificate is issued when it ends (reload the page).";
        Certificate => "Sertifikat", "Certificate";
        HoldsTitle => "Legal hold", "Legal holds";
        NoHolds => "Tidak ada legal hold.", "No legal hold.";
        Reason => "Alasan", "Reason";
        HoldScopeLabel => "Cakupan", "Scope";
        PlacedBy => "Ditempatkan", "Placed";
        HoldInForce => "Berlaku", "In force";
        ReleasedBy => "Dilepas {0}, {1}", "Released by {0}, {1}";
        ReleaseHold => "Lepas hold", "Release hold";
        ReleaseMeaning => "Setelah dilepas, arsip yang dicakup hold ini dapat jatuh tempo dan dimusnahkan lagi.", "Once released, the records this hold covers can fall due and be disposed again.";
        PlaceHold => "Tempatkan legal hold", "Place a legal hold";
        HoldFormIntro => "Isi satu atau lebih kriteria; hold mencakup arsip yang memenuhi semuanya. Alasan dan tanda tangan diminta berikutnya.",
            "Fill in one or more criteria; the hold covers the records that meet all of them. The reason and signature come next.";
        AllForms => "Semua formulir", "All forms";
        HoldIds => "Nomor arsip (lembar F-18 / kasus F-19), dipisah koma", "Record numbers (F-18 sheet / F-19 case), comma-separated";
        HoldAgent => "Agent pada arsip", "Agent";
        TeamLabel => "Tim", "Team";
        AnyAgent => "Semua agent", "Any agent";
        AnyTeam => "Semua tim", "Any team";
        HoldPlaced => "Legal hold ditempatkan.", "Legal hold placed.";
        HoldReleased => "Legal hold dilepas.", "Legal hold released.";
        Sign => "Tanda tangani", "Sign";
        ReportDisposed => "{0} agree periode ini sudah dimusnahkan setelah masa simpannya: jumlahnya tetap dihitung, rinciannya tidak ada lagi.",
            "{0} agrees of this period were disposed at the end of their retention: they are still counted, but their details are gone.";
        }
    };
}
