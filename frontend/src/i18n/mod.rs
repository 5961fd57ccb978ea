//! Every string the user sees, in Bahasa Indonesia (the default) and English.
//!
//! One key set per area (`common`, `documents`, `cases`, `imports`, `scoring`, `users`, `audit`,
//! `metrics`), gathered at compile time into one `K` enum: each key names an `(id, en)` pair. Text
//! with values in it uses numbered placeholders (`{0}`, `{1}`) so a translation may put them in a
//! different order. Nothing here touches the browser, so the table's completeness is tested on the
//! host.

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

/// Defines the key enum, the list of every key, and the table, from every area's list gathered
/// into one, so a key cannot exist without both translations.
macro_rules! table {
    ([] $($key:ident => $id:literal, $en:literal;)*) => {
        /// A translatable string.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum K { $($key),* }

        impl K {
            /// Every key, for the completeness tests.
            #[cfg_attr(not(test), allow(dead_code))]
            pub const ALL: &'static [K] = &[$(K::$key),*];

            /// The `(Indonesian, English)` pair.
            pub fn pair(self) -> (&'static str, &'static str) {
                let n = 2 * self as usize;
                TEXT_STARTS.with(|starts| (text(starts, n), text(starts, n + 1)))
            }
        }

        /// Every text in key order, each key's Indonesian then its English, each ended by a NUL.
        /// One string whose texts are found once at start ([`TEXT_STARTS`]), rather than a `match`
        /// that compiles to tables of a pointer and a length per text (−5.4 KB brotli).
        const TEXTS: &str = concat!($($id, "\0", $en, "\0"),*);
    };
}

thread_local! {
    /// Where each text of `TEXTS` starts, and where the last one ends (one past its NUL).
    static TEXT_STARTS: Vec<u32> =
        std::iter::once(0).chain(TEXTS.bytes().zip(1..).filter(|(b, _)| *b == 0).map(|(_, end)| end)).collect();
}

/// The `n`th text of `TEXTS` (without its NUL).
fn text(starts: &[u32], n: usize) -> &'static str {
    &TEXTS[starts[n] as usize..starts[n + 1] as usize - 1]
}

#[macro_use]
mod common;
#[macro_use]
mod documents;
#[macro_use]
mod cases;
#[macro_use]
mod imports;
#[macro_use]
mod scoring;
#[macro_use]
mod users;
#[macro_use]
mod audit;
#[macro_use]
mod metrics;
#[macro_use]
mod problems;
#[macro_use]
mod records;

pub use cases::*;
pub use documents::*;
pub use imports::*;
pub use metrics::metric_keys;
pub use problems::{conflict_key, field_error};
pub use scoring::*;

common_keys! { [documents_keys cases_keys imports_keys scoring_keys users_keys audit_keys metrics_keys problems_keys records_keys table] }

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
        // "Email" is the word Indonesian offices use (KBBI: "surel"; nobody says it on the floor).
        K::Email,
        K::Leader,
        K::LangIdShort,
        K::LangEnShort,
        // The role's short name and SOP status words, the same on the floor in both languages.
        K::GroupQco,
        K::OutcomeApproved,
        K::Month4,
        K::Month9,
        K::Month11,
        K::HistoryRev,
        K::AttachmentHash,
        // "Menu" is the Indonesian word too.
        K::Menu,
        K::StatusLabel,
    ];

    #[test]
    fn every_key_has_its_two_texts() {
        // A NUL inside a text would shift every later key's texts (see `TEXTS`).
        assert_eq!(TEXT_STARTS.with(Vec::len), 2 * K::ALL.len() + 1);
        assert_eq!(K::AppName.pair(), ("Mutu", "Mutu"));
        assert_eq!(K::NavCases.pair(), ("Validasi agree", "Agree validation"));
        assert!(K::ALL.iter().all(|k| !k.pair().0.is_empty() && !k.pair().1.is_empty()));
    }

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
        assert_eq!(field_error(Lang::Id, "code", "kind_mismatch"), t(Lang::Id, K::FieldKindMismatch));
        assert_eq!(field_error(Lang::En, "parent_code", "not_found"), "Parent document not found.");
        assert_eq!(field_error(Lang::En, "title", "required"), "Required.");
        for status in domain::documents::RevisionStatus::ALL {
            assert!(!t(Lang::Id, status_key(status)).is_empty());
        }
    }
}
