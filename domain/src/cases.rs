//! F-19 agree validation and W-03 return follow-ups: services and buckets, the import row rules,
//! the W-04 tapping checklist, the follow-up state machine, who sees which cases, and the wire
//! types of those parts of the API.

use crate::dates::Date;
use crate::documents::{Actor, Refusal};
use crate::permissions::{Action, Role, can};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The register code of the validation report form.
pub const F19_CODE: &str = "OB.IN.QCC.TELK.F-19";

/// The outbound programme a call belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum Service {
    #[serde(rename = "CT0")]
    Ct0,
    #[serde(rename = "PRANPC")]
    Pranpc,
}

impl Service {
    pub const ALL: [Service; 2] = [Service::Ct0, Service::Pranpc];
    pub fn as_str(self) -> &'static str {
        match self {
            Service::Ct0 => "CT0",
            Service::Pranpc => "PRANPC",
        }
    }
    /// How people write it: `CT-0`, `PRANPC`.
    pub fn label(self) -> &'static str {
        match self {
            Service::Ct0 => "CT-0",
            Service::Pranpc => "PRANPC",
        }
    }
    /// Accepts the API form and the way exports spell it (`CT0`, `CT-0`, `ct 0`, `pranpc`).
    pub fn parse(text: &str) -> Option<Service> {
        let norm: String = text.chars().filter(|c| c.is_ascii_alphanumeric()).collect::<String>().to_ascii_uppercase();
        match norm.as_str() {
            "CT0" => Some(Service::Ct0),
            "PRANPC" => Some(Service::Pranpc),
            _ => None,
        }
    }
}

/// The arrears bucket: bills of this month (N), one month (N+1) or two months (N+2) back.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum Bucket {
    N,
    N1,
    N2,
}

impl Bucket {
    pub const ALL: [Bucket; 3] = [Bucket::N, Bucket::N1, Bucket::N2];
    pub fn as_str(self) -> &'static str {
        match self {
            Bucket::N => "N",
            Bucket::N1 => "N1",
            Bucket::N2 => "N2",
        }
    }
    /// How people write it: `N`, `N+1`, `N+2`.
    pub fn label(self) -> &'static str {
        match self {
            Bucket::N => "N",
            Bucket::N1 => "N+1",
            Bucket::N2 => "N+2",
        }
    }
    /// Accepts `N`, `N1`, `N+1`, `n + 2`.
    pub fn parse(text: &str) -> Option<Bucket> {
        let norm: String =
            text.chars().filter(|c| !c.is_whitespace() && *c != '+').collect::<String>().to_ascii_uppercase();
        match norm.as_str() {
            "N" => Some(Bucket::N),
            "N1" => Some(Bucket::N1),
            "N2" => Some(Bucket::N2),
            _ => None,
        }
    }
    /// The latest promised payment date allowed for a call on `call_date`: bucket N must pay by
    /// the 20th of the call's month, N+1 within 7 days, N+2 within 3 days (the isolation date).
    pub fn latest_promise(self, call_date: Date) -> Date {
        match self {
            Bucket::N => Date { day: 20, ..call_date }.max(call_date),
            Bucket::N1 => call_date.add_days(7),
            Bucket::N2 => call_date.add_days(3),
        }
    }
}

/// Where an agree case stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum CaseStatus {
    Pending,
    Approved,
    Returned,
}

impl CaseStatus {
    pub const ALL: [CaseStatus; 3] = [CaseStatus::Pending, CaseStatus::Approved, CaseStatus::Returned];
    pub fn as_str(self) -> &'static str {
        match self {
            CaseStatus::Pending => "pending",
            CaseStatus::Approved => "approved",
            CaseStatus::Returned => "returned",
        }
    }
    pub fn parse(text: &str) -> Option<CaseStatus> {
        CaseStatus::ALL.into_iter().find(|s| s.as_str() == text)
    }
}

/// Which rows of cases, follow-ups and evaluations a role sees. Anything outside is a 404.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Visibility {
    /// Only rows whose agent is the caller.
    Own,
    /// Only rows whose agent is in the caller's team.
    Team,
    All,
    /// The role has no business with these rows (403 on lists, 404 on single rows).
    None,
}

/// The one rule for who sees agree cases, follow-ups and F-18 sheets.
pub fn visibility(role: Role) -> Visibility {
    match role {
        Role::Agent => Visibility::Own,
        Role::TeamLeader => Visibility::Team,
        Role::Qco | Role::QcCoordinator | Role::Manager | Role::Admin => Visibility::All,
        Role::DocController => Visibility::None,
    }
}

// ---------------------------------------------------------------------------------------------
// Import
// ---------------------------------------------------------------------------------------------

/// The columns of a MyCX/TAMARA agree export, in order.
pub const IMPORT_COLUMNS: [&str; 10] = [
    "customer_no",
    "customer_name",
    "service",
    "bucket",
    "bill_amount",
    "agent_username",
    "call_at",
    "reason",
    "promise_date",
    "recording_ref",
];

/// Most data rows (after the header; blank rows not counted) one import file may hold, CSV or
/// XLSX. A larger file is refused whole, and nothing of it is stored.
pub const IMPORT_MAX_ROWS: u64 = 1_000_000;

/// Refused rows listed in the answer of an import; the rest are counted
/// ([`ImportResult::rejected_total`]) and all can be downloaded as CSV.
pub const IMPORT_REJECTED_LISTED: usize = 1_000;

/// Characters of the file's own text quoted back in a refusal (a cell, a column name); longer
/// text is cut and ends in `…`.
pub const ECHO_CHARS: usize = 40;

/// Unknown column names listed in a header's refusal; the rest are counted.
const ECHO_NAMES: usize = 5;

/// The refusal of a file with more than [`IMPORT_MAX_ROWS`] data rows.
pub fn too_many_rows() -> String {
    format!("the file has more than {} rows; split it into smaller files", IMPORT_MAX_ROWS_TEXT)
}

/// [`IMPORT_MAX_ROWS`] as the English messages write it.
pub const IMPORT_MAX_ROWS_TEXT: &str = "1,000,000";

/// Checks a header row: every column present once, nothing else. Names are compared trimmed
/// and case-insensitively; the order may differ. Returns, for each of [`IMPORT_COLUMNS`], its
/// index in the file. The refusal quotes at most a few names, each cut to [`ECHO_CHARS`].
pub fn map_header(header: &[String]) -> Result<[usize; 10], String> {
    let mut at = [usize::MAX; 10];
    let mut extra = Vec::new();
    let mut more = 0usize;
    for (i, cell) in header.iter().enumerate() {
        let name = cell.trim().trim_start_matches('\u{feff}');
        match IMPORT_COLUMNS.iter().position(|c| c.eq_ignore_ascii_case(name)) {
            Some(c) if at[c] == usize::MAX => at[c] = i,
            Some(c) => return Err(format!("column {} appears twice", IMPORT_COLUMNS[c])),
            None if extra.len() >= ECHO_NAMES => more += 1,
            None if name.is_empty() => extra.push(format!("(empty, column {})", i + 1)),
            None => extra.push(echo(&name.to_lowercase())),
        }
    }
    let mut extra = extra.join(", ");
    if more > 0 {
        extra.push_str(&format!(" and {more} more"));
    }
    let missing: Vec<&str> = IMPORT_COLUMNS.iter().zip(at).filter(|(_, i)| *i == usize::MAX).map(|(c, _)| *c).collect();
    match (missing.is_empty(), extra.is_empty()) {
        (true, true) => Ok(at),
        (false, true) => Err(format!("missing columns: {}", missing.join(", "))),
        (true, false) => Err(format!("unexpected columns: {extra}")),
        (false, false) => Err(format!("missing columns: {}; unexpected columns: {extra}", missing.join(", "))),
    }
}

/// The file's own text as a refusal quotes it: trimmed, at most [`ECHO_CHARS`] characters, cut
/// text ending in `…`.
pub fn echo(text: &str) -> String {
    let t = text.trim();
    match t.char_indices().nth(ECHO_CHARS) {
        Some((cut, _)) => format!("{}…", &t[..cut]),
        None => t.to_owned(),
    }
}

/// One good row of an import, before the agent's username is resolved.
#[derive(Debug, Clone, PartialEq)]
pub struct ImportRow {
    pub customer_no: String,
    pub customer_name: String,
    pub service: Service,
    pub bucket: Bucket,
    /// Whole rupiah.
    pub bill_amount: i64,
    pub agent_username: String,
    /// The call time as written, normalised to `YYYY-MM-DDTHH:MM:SS` (site local time).
    pub call_at_local: String,
    pub reason: String,
    pub promise_date: Date,
    pub recording_ref: String,
}

fn text_cell(value: &str, field: &str, max: usize, required: bool) -> Result<String, String> {
    let v = value.trim();
    if v.chars().any(|c| c.is_control()) {
        return Err(format!("{field} contains control characters"));
    }
    if required && v.is_empty() {
        return Err(format!("{field} is empty"));
    }
    if v.chars().count() > max {
        return Err(format!("{field} is longer than {max} characters"));
    }
    Ok(v.to_string())
}

/// Rupiah as exports write it: `350000`, `350.000`, `Rp 350.000`, `350000.00`, `350,000`.
pub fn parse_amount(text: &str) -> Result<i64, String> {
    let t = text.trim();
    let t = t.strip_prefix("Rp").or_else(|| t.strip_prefix("RP")).or_else(|| t.strip_prefix("rp")).unwrap_or(t).trim();
    if t.starts_with('-') {
        return Err("bill_amount is negative".into());
    }
    // A trailing ".00"/",00" is cents; other separators group thousands.
    let t = t.strip_suffix(".00").or_else(|| t.strip_suffix(",00")).or_else(|| t.strip_suffix(".0")).unwrap_or(t);
    let digits: String = t.chars().filter(|c| !matches!(c, '.' | ',' | ' ')).collect();
    if digits.is_empty() || !digits.bytes().all(|c| c.is_ascii_digit()) {
        return Err(format!("bill_amount is not an amount: {}", shorten(text)));
    }
    if digits.len() > 13 {
        return Err("bill_amount is too large".into());
    }
    digits.parse().map_err(|_| "bill_amount is not an amount".into())
}

fn shorten(text: &str) -> String {
    format!("\"{}\"", echo(text))
}

/// A date as exports write it: `2026-11-29` or `29/11/2026`.
pub fn parse_date(text: &str) -> Option<Date> {
    let t = text.trim();
    if let Some(d) = Date::parse(t) {
        return Some(d);
    }
    let mut parts = t.split('/');
    let (d, m, y) = (parts.next()?, parts.next()?, parts.next()?);
    if parts.next().is_some() || y.len() != 4 || d.is_empty() || d.len() > 2 || m.is_empty() || m.len() > 2 {
        return None;
    }
    Date::new(y.parse().ok()?, m.parse().ok()?, d.parse().ok()?)
}

/// A call time: `2026-11-29 09:15[:00]`, `2026-11-29T09:15:00`, `29/11/2026 09:15[:00]`.
/// Returns the date and seconds since midnight.
pub fn parse_call_at(text: &str) -> Option<(Date, u32)> {
    let t = text.trim();
    let (date, time) = t.split_once('T').or_else(|| t.split_once(' '))?;
    let date = parse_date(date)?;
    let mut parts = time.trim().split(':');
    let h: u32 = parts.next()?.parse().ok()?;
    let m: u32 = parts.next()?.parse().ok()?;
    let s: u32 = match parts.next() {
        Some(s) => s.split('.').next()?.parse().ok()?,
        None => 0,
    };
    if parts.next().is_some() || h > 23 || m > 59 || s > 59 {
        return None;
    }
    Some((date, h * 3600 + m * 60 + s))
}

/// Checks one data row (cells in the order of [`IMPORT_COLUMNS`]). The error is the reason
/// shown to the importer, in plain words. Unknown agents are found by the server.
pub fn parse_row(cells: &[String; 10]) -> Result<ImportRow, String> {
    let customer_no = text_cell(&cells[0], "customer_no", 40, true)?;
    let customer_name = text_cell(&cells[1], "customer_name", 200, true)?;
    let service =
        Service::parse(&cells[2]).ok_or_else(|| format!("unknown service {} (CT-0 or PRANPC)", shorten(&cells[2])))?;
    let bucket =
        Bucket::parse(&cells[3]).ok_or_else(|| format!("unknown bucket {} (N, N+1 or N+2)", shorten(&cells[3])))?;
    let bill_amount = parse_amount(&cells[4])?;
    let agent_username = text_cell(&cells[5], "agent_username", 64, true)?;
    let (call_date, secs) =
        parse_call_at(&cells[6]).ok_or_else(|| format!("bad call_at {} (YYYY-MM-DD HH:MM)", shorten(&cells[6])))?;
    let reason = text_cell(&cells[7], "reason", 1000, false)?;
    let promise_date =
        parse_date(&cells[8]).ok_or_else(|| format!("bad promise_date {} (YYYY-MM-DD)", shorten(&cells[8])))?;
    if promise_date < call_date {
        return Err("promise_date is before the call".into());
    }
    let recording_ref = text_cell(&cells[9], "recording_ref", 100, false)?;
    Ok(ImportRow {
        customer_no,
        customer_name,
        service,
        bucket,
        bill_amount,
        agent_username,
        call_at_local: format!("{call_date}T{:02}:{:02}:{:02}", secs / 3600, secs / 60 % 60, secs % 60),
        reason,
        promise_date,
        recording_ref,
    })
}

/// A cell written into a CSV or XLSX export: text that a spreadsheet would run as a formula
/// (`=`, `+`, `-`, `@`, tab, carriage return first) gets a leading apostrophe.
pub fn spreadsheet_safe(text: &str) -> String {
    match text.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => format!("'{text}"),
        _ => text.to_string(),
    }
}

// ---------------------------------------------------------------------------------------------
// Validation (W-04 tapping checklist)
// ---------------------------------------------------------------------------------------------

/// The W-04 tapping checklist a QCO ticks while listening to the recording.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Checklist {
    pub identity_verified: bool,
    pub amount_and_date_correct: bool,
    pub explicit_agreement: bool,
    pub reason_matches: bool,
}

impl Checklist {
    pub fn all_ticked(&self) -> bool {
        self.identity_verified && self.amount_and_date_correct && self.explicit_agreement && self.reason_matches
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum ValidationResult {
    Approved,
    Returned,
}

/// `POST /api/cases/{id}/validation`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewValidation {
    pub result: ValidationResult,
    pub checklist: Checklist,
    #[serde(default)]
    pub recommendation: Option<String>,
    /// An F-18 sheet scored for the same call.
    #[serde(default)]
    pub evaluation_id: Option<i64>,
}

/// The rules of a validation that need no database: RETURN needs a recommendation; APPROVED
/// needs every checklist item ticked.
pub fn check_validation(v: &NewValidation) -> Result<(), BTreeMap<String, String>> {
    let mut errors = BTreeMap::new();
    let recommendation = v.recommendation.as_deref().map(str::trim).unwrap_or("");
    if v.result == ValidationResult::Returned && recommendation.is_empty() {
        errors.insert("recommendation".into(), "a RETURN needs a recommendation for the agent".into());
    }
    if recommendation.chars().count() > 2000 {
        errors.insert("recommendation".into(), "at most 2000 characters".into());
    }
    if v.result == ValidationResult::Approved && !v.checklist.all_ticked() {
        errors.insert("checklist".into(), "APPROVED needs every checklist item ticked".into());
    }
    if errors.is_empty() { Ok(()) } else { Err(errors) }
}

/// The keys of the W-04 checklist items, in the order they are shown.
pub const CHECKLIST_KEYS: [&str; 4] =
    ["identity_verified", "amount_and_date_correct", "explicit_agreement", "reason_matches"];

/// The wording of one W-04 checklist item, in both languages.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ChecklistItem {
    /// One of [`CHECKLIST_KEYS`].
    pub key: String,
    pub label_id: String,
    pub label_en: String,
}

/// `GET`/`PUT /api/cases/checklist`: the wording of the W-04 checklist, edited by the QRD
/// coordinator. The items themselves (the keys) are fixed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ChecklistLabels {
    pub items: Vec<ChecklistItem>,
}

impl Default for ChecklistLabels {
    fn default() -> Self {
        let item =
            |key: &str, id: &str, en: &str| ChecklistItem { key: key.into(), label_id: id.into(), label_en: en.into() };
        ChecklistLabels {
            items: vec![
                item("identity_verified", "Identitas pelanggan diverifikasi", "Customer identity verified"),
                item(
                    "amount_and_date_correct",
                    "Nominal dan tanggal bayar disampaikan dengan benar",
                    "Amount and payment date stated correctly",
                ),
                item("explicit_agreement", "Pelanggan menyatakan setuju secara tegas", "Customer agreed explicitly"),
                item("reason_matches", "Reason yang diinput sesuai isi percakapan", "Reason entered matches the call"),
            ],
        }
    }
}

/// Checks edited labels: every key once, in any order; labels 1–200 characters, one line.
/// Returns them in the order of [`CHECKLIST_KEYS`].
pub fn check_checklist_labels(labels: &ChecklistLabels) -> Result<ChecklistLabels, BTreeMap<String, String>> {
    let mut errors = BTreeMap::new();
    let mut items = Vec::new();
    for key in CHECKLIST_KEYS {
        let found: Vec<&ChecklistItem> = labels.items.iter().filter(|i| i.key == key).collect();
        let [item] = found.as_slice() else {
            errors.insert(format!("items.{key}"), if found.is_empty() { "missing".into() } else { "duplicate".into() });
            continue;
        };
        for (field, text) in [("label_id", &item.label_id), ("label_en", &item.label_en)] {
            let t = text.trim();
            if t.is_empty() {
                errors.insert(format!("items.{key}.{field}"), "required".into());
            } else if t.chars().count() > 200 {
                errors.insert(format!("items.{key}.{field}"), "too_long".into());
            } else if t.chars().any(|c| c.is_control() || c == '<' || c == '>') {
                errors.insert(format!("items.{key}.{field}"), "invalid_characters".into());
            }
        }
        items.push(ChecklistItem {
            key: key.into(),
            label_id: item.label_id.trim().into(),
            label_en: item.label_en.trim().into(),
        });
    }
    if let Some(unknown) = labels.items.iter().find(|i| !CHECKLIST_KEYS.contains(&i.key.as_str())) {
        errors.insert("items".into(), format!("unknown item {}", unknown.key.chars().take(40).collect::<String>()));
    }
    if errors.is_empty() { Ok(ChecklistLabels { items }) } else { Err(errors) }
}

/// A validation as recorded (an F-19 record).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Validation {
    pub id: i64,
    pub result: ValidationResult,
    pub checklist: Checklist,
    pub recommendation: Option<String>,
    pub qco_id: i64,
    pub qco_name: String,
    pub validated_at: String,
    /// `YYYY-MM-DD`: validated + 24 months.
    pub retain_until: String,
    pub evaluation_id: Option<i64>,
    pub followup_id: Option<i64>,
}

/// An agree case.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Case {
    pub id: i64,
    pub customer_no: String,
    pub customer_name: String,
    pub service: Service,
    pub bucket: Bucket,
    pub bill_amount: i64,
    pub agent_id: i64,
    pub agent_username: String,
    pub agent_name: String,
    pub team_id: Option<i64>,
    pub call_at: String,
    pub reason: String,
    pub promise_date: String,
    pub recording_ref: String,
    pub status: CaseStatus,
    pub imported_at: String,
    pub validation: Option<Validation>,
}

/// A row the import refused.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RejectedRow {
    /// As a spreadsheet numbers it: the header is row 1.
    pub row: u64,
    pub error: String,
}

/// `POST /api/cases/import`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ImportResult {
    /// The import's record; `GET /api/imports/{import_id}/rejections.csv` lists every refused row.
    pub import_id: i64,
    pub imported: u64,
    pub duplicates: u64,
    /// The first [`IMPORT_REJECTED_LISTED`] refused rows, by row number.
    pub rejected: Vec<RejectedRow>,
    /// Every refused row, listed or not.
    pub rejected_total: u64,
}

// ---------------------------------------------------------------------------------------------
// Follow-ups (W-03)
// ---------------------------------------------------------------------------------------------

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum FollowupStatus {
    Open,
    Recared,
    Closed,
    Reopened,
}

impl FollowupStatus {
    pub const ALL: [FollowupStatus; 4] =
        [FollowupStatus::Open, FollowupStatus::Recared, FollowupStatus::Closed, FollowupStatus::Reopened];
    pub fn as_str(self) -> &'static str {
        match self {
            FollowupStatus::Open => "open",
            FollowupStatus::Recared => "recared",
            FollowupStatus::Closed => "closed",
            FollowupStatus::Reopened => "reopened",
        }
    }
    pub fn parse(text: &str) -> Option<FollowupStatus> {
        FollowupStatus::ALL.into_iter().find(|s| s.as_str() == text)
    }
    /// Waiting for the agent.
    pub fn awaits_agent(self) -> bool {
        matches!(self, FollowupStatus::Open | FollowupStatus::Reopened)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FollowupAction {
    /// The agent records the re-care.
    Recare,
    /// QC verifies and closes.
    Close,
    /// QC verifies and sends it back to the agent.
    Reopen,
}

impl FollowupAction {
    pub const ALL: [FollowupAction; 3] = [FollowupAction::Recare, FollowupAction::Close, FollowupAction::Reopen];
}

/// open → recared → closed | reopened (→ recared …). Whose follow-up it is (the agent's own) is
/// checked by the server.
pub fn followup_transition(
    from: FollowupStatus,
    action: FollowupAction,
    actor: Actor,
) -> Result<FollowupStatus, Refusal> {
    use FollowupAction as A;
    use FollowupStatus as S;
    let Actor::User(role) = actor else { return Err(Refusal::NotAllowed) };
    let allowed = match action {
        A::Recare => role == Role::Agent,
        A::Close | A::Reopen => can(role, Action::VerifyFollowups),
    };
    if !allowed {
        return Err(Refusal::NotAllowed);
    }
    match (from, action) {
        (S::Open | S::Reopened, A::Recare) => Ok(S::Recared),
        (S::Recared, A::Close) => Ok(S::Closed),
        (S::Recared, A::Reopen) => Ok(S::Reopened),
        _ => Err(Refusal::WrongState),
    }
}

/// One step in a follow-up's history.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FollowupStep {
    /// `opened`, `recared`, `closed`, `reopened`.
    pub step: String,
    pub by: String,
    pub at: String,
    pub note: Option<String>,
    pub recare_call_ref: Option<String>,
    pub recared_at: Option<String>,
}

/// A W-03 follow-up of a RETURN.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Followup {
    pub id: i64,
    pub case_id: i64,
    pub agent_id: i64,
    pub agent_username: String,
    pub agent_name: String,
    pub team_id: Option<i64>,
    pub customer_no: String,
    pub customer_name: String,
    pub recommendation: String,
    pub status: FollowupStatus,
    pub opened_at: String,
    pub due_at: String,
    pub overdue: bool,
    /// The last QC comment when reopened.
    pub last_comment: Option<String>,
    pub closed_at: Option<String>,
    /// Closed on or before `due_at`.
    pub closed_in_time: Option<bool>,
    pub history: Vec<FollowupStep>,
    pub version: i64,
}

/// `POST /api/followups/{id}/recare`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RecareRequest {
    pub note: String,
    pub recare_call_ref: String,
    /// RFC 3339.
    #[cfg_attr(feature = "openapi", schema(format = DateTime))]
    #[serde(deserialize_with = "crate::dates::de::timestamp")]
    pub recared_at: String,
}

/// `POST /api/followups/{id}/verify`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct VerifyRequest {
    /// `close` or `reopen`.
    #[cfg_attr(feature = "openapi", schema(example = "close"))]
    pub decision: String,
    #[serde(default)]
    pub comment: String,
}

/// `GET /api/followups/summary`: the caller's badge, polled by the browser every 20–30 s.
/// `GET /api/cases/summary`: the pending agrees the caller sees, counted whole (not a page), and
/// the call time of the oldest one, for the landing page.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CaseSummary {
    pub pending: u64,
    pub oldest_pending_call_at: Option<String>,
}

/// `changed_at` is the latest change of any follow-up the caller sees: when it moves, the
/// follow-up list is stale.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FollowupSummary {
    /// Waiting for the agent (open or reopened).
    pub open: u64,
    /// Re-cared, waiting for QC to verify.
    pub recared: u64,
    /// Waiting for the agent past `due_at`.
    pub overdue: u64,
    pub changed_at: Option<String>,
    /// For team leaders and QC: the same counts per agent (empty for agents).
    pub per_agent: Vec<AgentFollowupCounts>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AgentFollowupCounts {
    pub agent_id: i64,
    pub agent_username: String,
    pub agent_name: String,
    pub team_id: Option<i64>,
    pub open: u64,
    pub recared: u64,
    pub overdue: u64,
    /// The oldest follow-up still waiting for this agent: when it was opened.
    pub oldest_open_at: Option<String>,
}

// ---------------------------------------------------------------------------------------------
// F-19 report and reconciliation
// ---------------------------------------------------------------------------------------------

/// The counts of one group (or the totals) of the F-19 report.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct F19Counts {
    pub imported: u64,
    pub validated: u64,
    pub approved: u64,
    pub returned: u64,
    /// approved / validated × 100, two decimals; null when nothing was validated.
    pub approval_rate: Option<f64>,
    pub returns_closed_in_time: u64,
    pub returns_open: u64,
    pub returns_overdue: u64,
}

impl F19Counts {
    /// Fills `approval_rate` from the counts.
    pub fn with_rate(mut self) -> F19Counts {
        self.approval_rate = approval_rate(self.approved, self.validated);
        self
    }
}

pub fn approval_rate(approved: u64, validated: u64) -> Option<f64> {
    (validated > 0).then(|| (approved as f64 / validated as f64 * 10_000.0).round() / 100.0)
}

/// One row of the F-19 report: a team × agent × service × bucket group.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct F19Row {
    pub team_id: Option<i64>,
    pub team_name: Option<String>,
    pub agent_id: i64,
    pub agent_username: String,
    pub agent_name: String,
    pub service: Service,
    pub bucket: Bucket,
    #[serde(flatten)]
    pub counts: F19Counts,
}

/// `GET /api/reports/f19`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct F19Report {
    pub form_code: String,
    pub from: String,
    pub to: String,
    pub team_id: Option<i64>,
    pub generated_at: String,
    pub rows: Vec<F19Row>,
    pub totals: F19Counts,
}

/// `GET /api/reports/reconciliation`: what needs a second look.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Reconciliation {
    /// Pending longer than `days` after the call.
    pub unvalidated: Vec<Case>,
    /// The same customer agreed more than once in the period.
    pub repeated_customers: Vec<RepeatedCustomer>,
    /// Promised later than the bucket allows ([`Bucket::latest_promise`]).
    pub late_promises: Vec<Case>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RepeatedCustomer {
    pub customer_no: String,
    pub customer_name: String,
    pub agrees: u64,
    pub case_ids: Vec<i64>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cells(row: [&str; 10]) -> [String; 10] {
        row.map(String::from)
    }

    const GOOD: [&str; 10] = [
        "131234567890",
        "Budi Santoso",
        "CT-0",
        "N+1",
        "Rp 350.000",
        "agent1",
        "2026-11-27 09:15",
        "janji bayar gajian",
        "2026-12-01",
        "EB-0001",
    ];

    #[test]
    fn a_good_row_is_normalised() {
        let row = parse_row(&cells(GOOD)).unwrap();
        assert_eq!(row.service, Service::Ct0);
        assert_eq!(row.bucket, Bucket::N1);
        assert_eq!(row.bill_amount, 350_000);
        assert_eq!(row.call_at_local, "2026-11-27T09:15:00");
        assert_eq!(row.promise_date.to_string(), "2026-12-01");
    }

    #[test]
    fn every_kind_of_bad_cell_has_a_plain_reason() {
        let cases: [(usize, &str, &str); 11] = [
            (0, "", "customer_no is empty"),
            (2, "TV", "unknown service"),
            (3, "N+3", "unknown bucket"),
            (4, "-5000", "negative"),
            (4, "lima ribu", "not an amount"),
            (6, "2026-13-01 09:00", "bad call_at"),
            (6, "kemarin", "bad call_at"),
            (8, "31/02/2026", "bad promise_date"),
            (8, "2026-11-01", "before the call"),
            (1, "Budi\u{0}", "control characters"),
            (5, "", "agent_username is empty"),
        ];
        for (col, value, reason) in cases {
            let mut row = cells(GOOD);
            row[col] = value.into();
            let err = parse_row(&row).unwrap_err();
            assert!(err.contains(reason), "{col} {value:?}: {err}");
        }
    }

    #[test]
    fn amounts_dates_and_labels_in_export_spellings() {
        assert_eq!(parse_amount("350000"), Ok(350_000));
        assert_eq!(parse_amount("350,000"), Ok(350_000));
        assert_eq!(parse_amount("350000.00"), Ok(350_000));
        assert_eq!(parse_amount("Rp350.000,00"), Ok(350_000));
        assert!(parse_amount("99999999999999").is_err());
        assert_eq!(parse_date("29/11/2026"), Date::parse("2026-11-29"));
        assert_eq!(parse_call_at("29/11/2026 08:05:09").map(|c| c.1), Some(8 * 3600 + 5 * 60 + 9));
        assert_eq!(parse_call_at("2026-11-29T24:00"), None);
        assert_eq!(Service::parse("ct 0"), Some(Service::Ct0));
        assert_eq!(Bucket::parse("n + 2"), Some(Bucket::N2));
        assert_eq!(serde_json::to_value(Service::Ct0).unwrap(), "CT0");
        assert_eq!(serde_json::to_value(Bucket::N1).unwrap(), "N1");
    }

    #[test]
    fn headers_must_have_exactly_the_columns() {
        let header: Vec<String> = IMPORT_COLUMNS.iter().rev().map(|c| c.to_uppercase()).collect();
        let at = map_header(&header).unwrap();
        assert_eq!(at[0], 9);
        let short: Vec<String> = IMPORT_COLUMNS[..9].iter().map(|c| c.to_string()).collect();
        assert_eq!(map_header(&short).unwrap_err(), "missing columns: recording_ref");
        let mut long: Vec<String> = IMPORT_COLUMNS.iter().map(|c| c.to_string()).collect();
        long.push("notes".into());
        assert_eq!(map_header(&long).unwrap_err(), "unexpected columns: notes");
        let mut bom: Vec<String> = IMPORT_COLUMNS.iter().map(|c| c.to_string()).collect();
        bom[0] = "\u{feff}customer_no".into();
        assert!(map_header(&bom).is_ok());
    }

    #[test]
    fn the_row_cap_reads_as_its_number() {
        assert_eq!(IMPORT_MAX_ROWS_TEXT.replace(',', "").parse::<u64>(), Ok(IMPORT_MAX_ROWS));
    }

    #[test]
    fn refusals_quote_the_file_briefly() {
        // A header of one 2 MB cell, and one of 100,000 unknown names.
        let mut huge: Vec<String> = IMPORT_COLUMNS.iter().map(|c| c.to_string()).collect();
        huge.push("x".repeat(2_000_000));
        let said = map_header(&huge).unwrap_err();
        assert_eq!(said, format!("unexpected columns: {}…", "x".repeat(ECHO_CHARS)));
        let many: Vec<String> = (0..100_000).map(|i| format!("kolom{i}")).collect();
        let said = map_header(&many).unwrap_err();
        assert!(said.len() < 400, "{said}");
        assert!(said.ends_with("kolom4 and 99995 more"), "{said}");
        // A cell value quoted in a row's refusal.
        let mut row = cells(GOOD);
        row[2] = "TV".repeat(10_000);
        let said = parse_row(&row).unwrap_err();
        assert!(said.chars().count() < 100 && said.contains("…\""), "{said}");
        assert_eq!(echo("  Budi  "), "Budi");
    }

    #[test]
    fn formulas_are_defused_for_spreadsheets() {
        assert_eq!(spreadsheet_safe("=cmd|' /C calc'!A0"), "'=cmd|' /C calc'!A0");
        assert_eq!(spreadsheet_safe("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(spreadsheet_safe("Budi"), "Budi");
    }

    #[test]
    fn checklist_labels_need_every_item_once() {
        let ok = ChecklistLabels::default();
        assert_eq!(check_checklist_labels(&ok).unwrap(), ok);
        let mut reversed = ok.clone();
        reversed.items.reverse();
        assert_eq!(check_checklist_labels(&reversed).unwrap(), ok, "normalised to the fixed order");
        let mut short = ok.clone();
        short.items.pop();
        assert!(check_checklist_labels(&short).unwrap_err().contains_key("items.reason_matches"));
        let mut blank = ok.clone();
        blank.items[0].label_en = "  ".into();
        assert!(check_checklist_labels(&blank).unwrap_err().contains_key("items.identity_verified.label_en"));
        let mut extra = ok.clone();
        extra.items.push(ChecklistItem { key: "mood".into(), label_id: "x".into(), label_en: "x".into() });
        assert!(check_checklist_labels(&extra).unwrap_err().contains_key("items"));
    }

    #[test]
    fn validation_rules() {
        let all = Checklist {
            identity_verified: true,
            amount_and_date_correct: true,
            explicit_agreement: true,
            reason_matches: true,
        };
        let ok = NewValidation {
            result: ValidationResult::Approved,
            checklist: all.clone(),
            recommendation: None,
            evaluation_id: None,
        };
        assert!(check_validation(&ok).is_ok());
        let ret = NewValidation {
            result: ValidationResult::Returned,
            checklist: Checklist::default(),
            recommendation: Some("  ".into()),
            evaluation_id: None,
        };
        assert!(check_validation(&ret).unwrap_err().contains_key("recommendation"));
        let half = NewValidation { checklist: Checklist { reason_matches: false, ..all }, ..ok };
        assert!(check_validation(&half).unwrap_err().contains_key("checklist"));
    }

    #[test]
    fn the_followup_table() {
        use FollowupAction as A;
        use FollowupStatus as S;
        for from in S::ALL {
            for action in A::ALL {
                for role in Role::ALL {
                    let who = match action {
                        A::Recare => role == Role::Agent,
                        A::Close | A::Reopen => matches!(role, Role::Qco | Role::QcCoordinator),
                    };
                    let expected = if !who {
                        Err(Refusal::NotAllowed)
                    } else {
                        match (from, action) {
                            (S::Open, A::Recare) | (S::Reopened, A::Recare) => Ok(S::Recared),
                            (S::Recared, A::Close) => Ok(S::Closed),
                            (S::Recared, A::Reopen) => Ok(S::Reopened),
                            _ => Err(Refusal::WrongState),
                        }
                    };
                    assert_eq!(
                        followup_transition(from, action, Actor::User(role)),
                        expected,
                        "{from:?} {action:?} {role:?}"
                    );
                }
                assert_eq!(followup_transition(from, action, Actor::System), Err(Refusal::NotAllowed));
            }
        }
    }

    #[test]
    fn visibility_by_role() {
        assert_eq!(visibility(Role::Agent), Visibility::Own);
        assert_eq!(visibility(Role::TeamLeader), Visibility::Team);
        assert_eq!(visibility(Role::DocController), Visibility::None);
        for r in [Role::Qco, Role::QcCoordinator, Role::Manager, Role::Admin] {
            assert_eq!(visibility(r), Visibility::All);
        }
    }

    #[test]
    fn bucket_promise_limits() {
        let d = Date::parse("2026-11-10").unwrap();
        assert_eq!(Bucket::N.latest_promise(d).to_string(), "2026-11-20");
        assert_eq!(Bucket::N.latest_promise(Date::parse("2026-11-25").unwrap()).to_string(), "2026-11-25");
        assert_eq!(Bucket::N1.latest_promise(d).to_string(), "2026-11-17");
        assert_eq!(Bucket::N2.latest_promise(d).to_string(), "2026-11-13");
        assert_eq!(approval_rate(2, 3), Some(66.67));
        assert_eq!(approval_rate(0, 0), None);
    }
}
