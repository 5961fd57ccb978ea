//! The strings of F-18 call scoring: their key set, in Bahasa Indonesia and English, and the helpers that pick them.

use super::K;

/// This area's keys, added to the ones gathered so far; then the next area's macro (the last
/// is `table!`, which makes the one `K` enum).
macro_rules! scoring_keys {
    ([$next:ident $($rest:ident)*] $($acc:tt)*) => {
        $next! { [$($rest)*] $($acc)*
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
        CallAtLabel => "Waktu call", "Call time";
        CallAtZone => "Waktu call ({0})", "Call time ({0})";
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
        ConfirmApproveTitle => "Catat APPROVED?", "Record APPROVED?";
        ConfirmReturnTitle => "Kirim RETURN ke agent?", "Send the RETURN to the agent?";
        ConfirmValidationText => "Hasil validasi dicatat atas nama Anda dan tidak bisa diubah lagi.",
            "The result is recorded in your name and cannot be changed afterwards.";
        SheetRestored => "Lembar yang belum selesai dipulihkan dari perangkat ini: lanjutkan dari sini.",
            "The unfinished sheet was restored from this device: carry on from here.";
        SubmitAndNext => "Kirim & call berikutnya", "Submit & next call";
        AlsoOpenBy => "Agree ini juga sedang dibuka oleh {0}: sepakati siapa yang memvalidasinya.",
            "This agree is also open for {0}: agree on who validates it.";
        RecordAndNext => "Catat & agree berikutnya", "Record & next agree";
        ConfirmSubmitTitle => "Kirim lembar ke agent?", "Send the sheet to the agent?";
        ConfirmSubmitText => "Skor {0}. Setelah dikirim, lembar tidak bisa diubah lagi dan agent menerima hasilnya.",
            "Score {0}. Once sent, the sheet can no longer be changed and the agent receives the result.";
        SubmitHint => "Draf bisa dilanjutkan nanti. Setelah dikirim, lembar tidak bisa diubah dan agent diberi tahu.", "A draft can be continued later. Once submitted the sheet is final and the agent is told.";
        NoPublishedForm => "Belum ada formulir penilaian yang terbit. Minta Koordinator QRD menerbitkan formulir F-18.", "No scoring form is published yet. Ask the QRD coordinator to publish the F-18 form.";
        PickerPlaceholder => "Nama atau username…", "Name or username…";
        PickerNotPicked => "Pilih nama dari daftar: teks yang diketik belum memilih siapa pun.",
            "Pick a name from the list: the typed text has not chosen anyone.";
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
        ErrNotQco => "Pilih petugas QC yang aktif.", "Choose active QC officers.";
        ErrInFuture => "Waktu call tidak boleh di masa depan.", "The call cannot be in the future.";
        ErrNotPublished => "Formulir ini belum terbit.", "This form is not published.";
        ErrBeforeFrom => "Harus sesudah tanggal awal.", "Must be after the start date.";
        WaitingForAgentAnswer => "Menunggu agent menerima atau menyanggah.", "Waiting for the agent to acknowledge or dispute.";
        }
    };
}

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
