//! Input rules shared by the server (which enforces them) and the browser app (which shows them
//! before a request is sent). Problems are machine codes per field, which the app translates.

use crate::api::{NewTeam, NewUser, UserPatch};
use crate::permissions::Role;
use std::collections::BTreeMap;

/// Field name → problem code (`too_short`, `invalid_characters`, …).
pub type FieldErrors = BTreeMap<String, String>;

/// The prefix of a deserialisation error that is a field problem rather than a malformed body:
/// `field_problem:out_of_range`. Serde carries only text from a `deserialize_with` helper to the
/// server, which finds this marker and answers 422 with the field's path instead of 400.
pub const FIELD_PROBLEM: &str = "field_problem:";

/// The error text of a field problem raised during deserialisation (see [`FIELD_PROBLEM`]).
pub fn field_problem(code: &str) -> String {
    format!("{FIELD_PROBLEM}{code}")
}

/// The problem code inside a deserialisation error's text, if it is a field problem. (The text
/// may carry more around it, such as serde_json's ` at line 1 column 9`.)
pub fn parse_field_problem(text: &str) -> Option<&str> {
    let start = text.find(FIELD_PROBLEM)? + FIELD_PROBLEM.len();
    let rest = &text[start..];
    let end = rest.find(|c: char| !(c.is_ascii_lowercase() || c == '_')).unwrap_or(rest.len());
    (end > 0).then(|| &rest[..end])
}

/// Minimum password length (api.md).
pub const PASSWORD_MIN: usize = 10;
/// Maximum password length: bounds the hashing work a request can ask for.
pub const PASSWORD_MAX: usize = 256;
/// Username length bounds.
pub const USERNAME_MIN: usize = 2;
pub const USERNAME_MAX: usize = 64;
/// Maximum length of a person's name, a position or a team name.
pub const NAME_MAX: usize = 120;

/// A username: 2–64 of (the demo has `dc`) `a-z 0-9 . _ -`, starting with a letter or digit.
pub fn username(value: &str) -> Result<(), crate::problems::Problem> {
    let len = value.chars().count();
    if len < USERNAME_MIN {
        return Err(crate::problems::Problem::TooShort);
    }
    if len > USERNAME_MAX {
        return Err(crate::problems::Problem::TooLong);
    }
    let ok_char = |c: char| c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '.' | '_' | '-');
    if !value.chars().all(ok_char) {
        return Err(crate::problems::Problem::InvalidCharacters);
    }
    if !value.starts_with(|c: char| c.is_ascii_alphanumeric()) {
        return Err(crate::problems::Problem::InvalidCharacters);
    }
    Ok(())
}

/// A new password: 10–256 characters, no control characters.
pub fn password(value: &str) -> Result<(), crate::problems::Problem> {
    let len = value.chars().count();
    if len < PASSWORD_MIN {
        return Err(crate::problems::Problem::TooShort);
    }
    if len > PASSWORD_MAX {
        return Err(crate::problems::Problem::TooLong);
    }
    if value.chars().any(char::is_control) {
        return Err(crate::problems::Problem::InvalidCharacters);
    }
    Ok(())
}

/// A person's name, a position or a team name: letters (any script), digits, spaces and the
/// punctuation names really use (`. , ' - ( ) / &`). Markup and statement separators are refused.
pub fn name(value: &str, required: bool) -> Result<(), crate::problems::Problem> {
    let trimmed = value.trim();
    if trimmed.is_empty() {
        return if required { Err(crate::problems::Problem::Required) } else { Ok(()) };
    }
    if value.chars().count() > NAME_MAX {
        return Err(crate::problems::Problem::TooLong);
    }
    let ok_char = |c: char| c.is_alphanumeric() || c == ' ' || ".,'-()/&".contains(c);
    if !value.chars().all(ok_char) {
        return Err(crate::problems::Problem::InvalidCharacters);
    }
    Ok(())
}

/// What a free-text field may hold: the one text check of every field that is not a name, a
/// username or a password (titles, codes, comments, notes, reasons, checklist wording).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TextRule {
    /// The most characters (after trimming the ends).
    pub max: usize,
    /// Empty (or only white space) is `required`.
    pub required: bool,
    /// Newlines and tabs allowed (other control characters never are).
    pub multiline: bool,
    /// `<` and `>` allowed (text shown as markup nowhere may still be refused them, e.g. titles).
    pub brackets: bool,
}

impl TextRule {
    /// A required line: no control characters at all.
    pub const fn line(max: usize) -> TextRule {
        TextRule { max, required: true, multiline: false, brackets: true }
    }

    /// Free text (a comment, a note, a reason): may be empty, may span lines.
    pub const fn free(max: usize) -> TextRule {
        TextRule { max, required: false, multiline: true, brackets: true }
    }

    /// The same, required.
    pub const fn required(self) -> TextRule {
        TextRule { required: true, ..self }
    }

    /// The same, with `<` and `>` refused.
    pub const fn no_brackets(self) -> TextRule {
        TextRule { brackets: false, ..self }
    }
}

/// Checks a text field against its rule: `required`, `too_long` or `invalid_characters`.
pub fn text(value: &str, rule: TextRule) -> Result<(), crate::problems::Problem> {
    let trimmed = value.trim();
    if trimmed.is_empty() {
        return if rule.required { Err(crate::problems::Problem::Required) } else { Ok(()) };
    }
    if trimmed.chars().count() > rule.max {
        return Err(crate::problems::Problem::TooLong);
    }
    let allowed_control = |c: char| rule.multiline && matches!(c, '\n' | '\r' | '\t');
    if value.chars().any(|c| (c.is_control() && !allowed_control(c)) || (!rule.brackets && matches!(c, '<' | '>'))) {
        return Err(crate::problems::Problem::InvalidCharacters);
    }
    Ok(())
}

fn put(errors: &mut FieldErrors, field: &str, result: Result<(), crate::problems::Problem>) {
    if let Err(code) = result {
        errors.insert(field.to_owned(), code.into());
    }
}

/// Checks `POST /api/users`; returns the parsed role when every field is valid.
pub fn new_user(body: &NewUser) -> Result<Role, FieldErrors> {
    let mut errors = FieldErrors::new();
    put(&mut errors, "username", username(&body.username));
    put(&mut errors, "password", password(&body.password));
    put(&mut errors, "full_name", name(&body.full_name, true));
    put(&mut errors, "position", name(&body.position, false));
    if let Some(email) = body.email.as_deref().filter(|e| !e.trim().is_empty()) {
        put(&mut errors, "email", crate::mail::check_email(email));
    }
    let role = body.role.parse::<Role>();
    if role.is_err() {
        errors.insert("role".into(), "unknown_role".into());
    }
    match role {
        Ok(role) if errors.is_empty() => Ok(role),
        _ => Err(errors),
    }
}

/// Checks `PATCH /api/users/{id}`; returns the parsed role if one was sent.
pub fn user_patch(body: &UserPatch) -> Result<Option<Role>, FieldErrors> {
    let mut errors = FieldErrors::new();
    if let Some(full_name) = &body.full_name {
        put(&mut errors, "full_name", name(full_name, true));
    }
    if let Some(position) = &body.position {
        put(&mut errors, "position", name(position, false));
    }
    if let Some(Some(email)) = &body.email
        && !email.trim().is_empty()
    {
        put(&mut errors, "email", crate::mail::check_email(email));
    }
    let role = match &body.role {
        None => None,
        Some(text) => match text.parse::<Role>() {
            Ok(role) => Some(role),
            Err(_) => {
                errors.insert("role".into(), "unknown_role".into());
                None
            }
        },
    };
    if errors.is_empty() { Ok(role) } else { Err(errors) }
}

/// Checks `POST /api/teams`.
pub fn new_team(body: &NewTeam) -> Result<(), FieldErrors> {
    let mut errors = FieldErrors::new();
    put(&mut errors, "name", name(&body.name, true));
    if errors.is_empty() { Ok(()) } else { Err(errors) }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn user(username: &str, password: &str, role: &str, full_name: &str) -> NewUser {
        NewUser {
            username: username.into(),
            password: password.into(),
            role: role.into(),
            full_name: full_name.into(),
            position: String::new(),
            team_id: None,
            email: None,
        }
    }

    #[test]
    fn one_text_check_for_lines_free_text_and_markup() {
        let line = TextRule::line(5);
        assert_eq!(text("abc", line), Ok(()));
        assert_eq!(text("  ", line), Err(crate::problems::Problem::Required));
        assert_eq!(text("abcdef", line), Err(crate::problems::Problem::TooLong));
        assert_eq!(text(" abcde ", line), Ok(()), "the ends are not counted");
        assert_eq!(text("a\nb", line), Err(crate::problems::Problem::InvalidCharacters));
        assert_eq!(text("a<b>", line), Ok(()));
        assert_eq!(text("a<b>", line.no_brackets()), Err(crate::problems::Problem::InvalidCharacters));
        let free = TextRule::free(10);
        assert_eq!(text("", free), Ok(()));
        assert_eq!(text("", free.required()), Err(crate::problems::Problem::Required));
        assert_eq!(text("a\r\nb\tc", free), Ok(()));
        assert_eq!(text("a\u{7}b", free), Err(crate::problems::Problem::InvalidCharacters));
        assert_eq!(text("a\u{0}b", free), Err(crate::problems::Problem::InvalidCharacters));
    }

    #[test]
    fn usernames_follow_the_rules() {
        assert_eq!(username("agent1"), Ok(()));
        assert_eq!(username("andi.s_2-x"), Ok(()));
        assert_eq!(username("a"), Err(crate::problems::Problem::TooShort));
        assert_eq!(username("dc"), Ok(()));
        assert_eq!(username(&"a".repeat(10_000)), Err(crate::problems::Problem::TooLong));
        assert_eq!(username("Agent1"), Err(crate::problems::Problem::InvalidCharacters));
        assert_eq!(username("a'; DROP TABLE users; --"), Err(crate::problems::Problem::InvalidCharacters));
        assert_eq!(username("nul\0byte"), Err(crate::problems::Problem::InvalidCharacters));
        assert_eq!(username(".hidden"), Err(crate::problems::Problem::InvalidCharacters));
    }

    #[test]
    fn passwords_need_ten_characters() {
        assert_eq!(password("123456789"), Err(crate::problems::Problem::TooShort));
        assert_eq!(password("1234567890"), Ok(()));
        assert_eq!(password("kata sandi\0x"), Err(crate::problems::Problem::InvalidCharacters));
        assert_eq!(password(&"x".repeat(257)), Err(crate::problems::Problem::TooLong));
    }

    #[test]
    fn names_accept_real_names_and_refuse_markup() {
        assert_eq!(name("Mokh.arifin", true), Ok(()));
        assert_eq!(name("Ma'ruf Amin", true), Ok(()));
        assert_eq!(name("Koordinator QRD", true), Ok(()));
        assert_eq!(name("Tim 1", true), Ok(()));
        assert_eq!(name("<script>alert(1)</script>", true), Err(crate::problems::Problem::InvalidCharacters));
        assert_eq!(name("x'; DROP TABLE users; --", true), Err(crate::problems::Problem::InvalidCharacters));
        assert_eq!(name("   ", true), Err(crate::problems::Problem::Required));
        assert_eq!(name("", false), Ok(()));
    }

    #[test]
    fn new_user_reports_every_bad_field() {
        let errors = new_user(&user("A", "short", "root", "")).unwrap_err();
        assert_eq!(errors.get("username").map(String::as_str), Some("too_short"));
        assert_eq!(errors.get("password").map(String::as_str), Some("too_short"));
        assert_eq!(errors.get("role").map(String::as_str), Some("unknown_role"));
        assert_eq!(errors.get("full_name").map(String::as_str), Some("required"));
        assert_eq!(new_user(&user("budi", "rahasia-budi-1", "agent", "Budi")), Ok(Role::Agent));
    }

    #[test]
    fn patch_with_unknown_role_is_refused() {
        let patch = UserPatch { version: 1, role: Some("superuser".into()), ..Default::default() };
        assert!(user_patch(&patch).is_err());
        let patch = UserPatch { version: 1, role: Some("qco".into()), ..Default::default() };
        assert_eq!(user_patch(&patch), Ok(Some(Role::Qco)));
    }
}
