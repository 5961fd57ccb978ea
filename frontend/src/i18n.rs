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
    UsersCount => "Pengguna", "Users";
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
    ErrTooMany => "Terlalu banyak percobaan. Tunggu sebentar lalu coba lagi.", "Too many attempts. Wait a moment and try again.";
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
        K::Month1, K::Month2, K::Month3, K::Month4, K::Month5, K::Month6,
        K::Month7, K::Month8, K::Month9, K::Month10, K::Month11, K::Month12,
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

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    /// Keys whose two texts are rightly the same word in both languages.
    const SAME_IN_BOTH: &[K] = &[
        K::AppName, K::NoneDash, K::RoleAdmin, K::RoleTeamLeader, K::RoleAgent, K::Status,
        K::Leader, K::LangIdShort, K::LangEnShort, K::Month4, K::Month9, K::Month11, K::TimeZoneWib,
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
}
