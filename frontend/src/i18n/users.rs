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
        Email => "Email", "Email";
        EmailHint => "Untuk ringkasan tugas harian dan pengingat RETURN. Boleh dikosongkan.", "For the daily task digest and RETURN reminders. May be left empty.";
        NoEmail => "Belum ada — minta admin mengisinya", "None yet — ask the admin to add one";
        DigestTitle => "Notifikasi email", "Email notifications";
        DigestLabel => "Kirim ringkasan tugas saya setiap hari kerja", "Send me a digest of my tasks every working day";
        DigestHelp => "Ringkasan dikirim sekali sehari kerja dan hanya bila ada yang menunggu Anda. Pengingat RETURN yang jatuh tempo dan eskalasi ke team leader tetap dikirim.", "The digest goes out once a working day, only when something is waiting for you. Reminders of RETURNs falling due and escalations to team leaders are still sent.";
        DigestNeedsAddress => "Akun Anda belum punya alamat email, jadi belum ada email yang dikirim. Admin dapat mengisinya.", "Your account has no email address yet, so no email is sent. The admin can add one.";
        DigestOnSaved => "Ringkasan harian diaktifkan.", "The daily digest is on.";
        DigestOffSaved => "Ringkasan harian dimatikan.", "The daily digest is off.";
        NavMail => "Email keluar", "Outgoing email";
        MailTitle => "Email keluar", "Outgoing email";
        MailIntro => "Ringkasan harian, pengingat RETURN dan eskalasi yang dikirim Mutu: kepada siapa, hasilnya, dan alasannya bila gagal atau dilewati.", "The daily digests, RETURN reminders and escalations Mutu sends: to whom, what became of them, and why when one failed or was skipped.";
        MailOff => "Email mati: MUTU_SMTP_URL belum diatur di server, jadi tidak ada email yang direncanakan atau dikirim.", "Email is off: MUTU_SMTP_URL is not set on the server, so nothing is planned or sent.";
        MailCounts => "{0} menunggu · {1} terkirim · {2} gagal · {3} dilewati", "{0} waiting · {1} sent · {2} failed · {3} skipped";
        MailListTitle => "Pesan", "Messages";
        MailAll => "Semua", "All";
        MailPending => "Menunggu", "Waiting";
        MailSent => "Terkirim", "Sent";
        MailFailed => "Gagal", "Failed";
        MailSkipped => "Dilewati", "Skipped";
        MailDigest => "Ringkasan harian", "Daily digest";
        MailDueReminder => "Pengingat jatuh tempo", "Due reminder";
        MailEscalation => "Eskalasi ke team leader", "Escalation to team leader";
        MailKindHead => "Jenis", "Kind";
        MailTo => "Penerima", "Recipient";
        MailSubject => "Subjek", "Subject";
        MailReason => "Keterangan", "Note";
        MailRetry => "Kirim ulang", "Send again";
        MailRetried => "Pesan dijadwalkan untuk dikirim ulang pada putaran berikutnya (dalam 20 detik).", "The message will be sent again in the next round (within 20 seconds).";
        MailAttempts => "{0} kali dicoba", "tried {0} times";
        MailNextTry => "dicoba lagi {0}", "next try {0}";
        MailEmpty => "Belum ada email.", "No email yet.";
        MailWhyInactive => "Penerima sudah nonaktif.", "The recipient is deactivated.";
        MailWhyNoAddress => "Penerima tidak punya alamat email.", "The recipient has no email address.";
        MailWhyDigestOff => "Penerima mematikan ringkasan harian.", "The recipient turned the daily digest off.";
        MailWhyNothing => "Tidak ada yang menunggu penerima hari itu.", "Nothing was waiting for the recipient that day.";
        MailWhyNotWaiting => "RETURN sudah di-re-care atau ditutup sebelum email dikirim.", "The RETURN was re-cared or closed before the email went out.";
        MailWhyNoLeader => "Tim agent tidak punya team leader aktif.", "The agent's team has no active team leader.";
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
