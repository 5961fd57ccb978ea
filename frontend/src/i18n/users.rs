//! The strings of users and teams: their key set, in Bahasa Indonesia and English.

/// This area's keys, added to the ones gathered so far; then the next area's macro (the last
/// is `table!`, which makes the one `K` enum).
macro_rules! users_keys {
    ([$next:ident $($rest:ident)*] $($acc:tt)*) => {
        $next! { [$($rest)*] $($acc)*
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
        TeamMoveNote => "Tindak lanjut RETURN yang belum ditutup ikut pindah ke team leader tim baru. Case, lembar F-18 dan tindak lanjut yang sudah ditutup tetap tercatat di tim lama.", "RETURN follow-ups not yet closed move to the new team's leader. Cases, F-18 sheets and closed follow-ups stay recorded with the old team.";
        UserSaved => "Perubahan pada {0} tersimpan.", "Changes to {0} were saved.";
        LastLogin => "Login terakhir", "Last login";
        NeverLoggedIn => "Belum pernah", "Never";
        LockedUntil => "Terkunci s.d. {0}", "Locked until {0}";
        LockedHint => "Salah kata sandi berkali-kali; login ditolak sampai waktu ini.", "Too many wrong passwords; logins are refused until this time.";
        Unlock => "Buka kunci", "Unlock";
        UserUnlocked => "Kunci {0} dibuka: {0} bisa login lagi sekarang.", "{0} is unlocked and can log in again now.";
        UnlockFailed => "Kunci tidak bisa dibuka. Coba lagi.", "The account could not be unlocked. Try again.";
        PasswordUnchanged => "Pilih kata sandi baru milik Anda sendiri, bukan kata sandi sementara.", "Choose a new password of your own, not the one-time password.";
        OwnAccountPassword => "Kata sandi Anda sendiri diganti di halaman Akun saya.", "Your own password is changed on the My account page.";
        OneTimeTitle => "Kata sandi sementara", "One-time password";
        OneTimeHint => "Untuk pengguna yang lupa kata sandi: semua login-nya berakhir, kuncinya dibuka, dan ia harus menggantinya saat login berikutnya.",
            "For a user who forgot their password: their logins end, a lock-out is lifted, and they must change it at their next login.";
        OneTimeSet => "Setel kata sandi sementara", "Set the one-time password";
        OneTimeDone => "Kata sandi sementara untuk {0} disetel. Berikan kepadanya secara langsung; ia harus menggantinya saat login.", "A one-time password is set for {0}. Give it to them in person; they must change it when they log in.";
        MustChangeTitle => "Ganti kata sandi sementara Anda", "Change your one-time password";
        MustChangeIntro => "Administrator menyetel kata sandi sementara untuk akun Anda. Buat kata sandi baru milik Anda sendiri sebelum melanjutkan.",
            "The administrator set a one-time password for your account. Make a new password of your own before you go on.";
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
        }
    };
}
