//! The strings of the app's shell, roles and their duties, login, home, account, not found, field problems, errors, the calendar: their key set, in Bahasa Indonesia and English.

/// This area's keys, added to the ones gathered so far; then the next area's macro (the last
/// is `table!`, which makes the one `K` enum).
macro_rules! common_keys {
    ([$next:ident $($rest:ident)*] $($acc:tt)*) => {
        $next! { [$($rest)*] $($acc)*
        // App and shell
        AppName => "Mutu", "Mutu";
        AppTagline => "Sistem Manajemen Mutu", "Quality Management System";
        SkipToContent => "Langsung ke konten", "Skip to content";
        MainNavigation => "Navigasi utama", "Main navigation";
        Menu => "Menu", "Menu";
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
        DutiesSourceProcedure => "Sumber: prosedur", "Source: procedure";
        DutiesSourceInstructions => "dan instruksi kerja pendukungnya", "and its supporting work instructions";
        DutiesSourceNotInForce => "belum berlaku", "not yet in force";
        DutiesSourceFailed => "Sumber: prosedur dan instruksi kerja pendukungnya (revisi yang berlaku tidak dapat dimuat).",
            "Source: the procedure and its supporting work instructions (the revisions in force could not be loaded).";
        AdminSummaryTitle => "Ringkasan administrasi", "Administration summary";
        NoBackupYet => "Belum ada cadangan. Jalankan mutu backup --to FILE di server.", "No backup yet. Run mutu backup --to FILE on the server.";
        LastBackupLine => "Cadangan terakhir: {0} · {1} · {2} baris", "Last backup: {0} · {1} · {2} rows";
        BackupVerified => "diverifikasi {0}", "verified {0}";
        BackupCheckFailed => "verifikasi gagal {0}: {1}", "verification failed {0}: {1}";
        BackupUnverified => "belum diverifikasi (mutu backup --verify FILE)", "not verified yet (mutu backup --verify FILE)";
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
        }
    };
}
