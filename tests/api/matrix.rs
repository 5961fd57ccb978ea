//! The authorization matrix: every operation of `/api/openapi.json` × every role and no token.
//!
//! [`TABLE`] says, for each operation, who passes its role check (`Who`: public, any signed-in
//! user, a `domain::Action` of the permission table, or a workflow step of `domain`), which
//! resources its path ids are filled with, and which roles see each of them (`Seen`: all, the
//! not-yet-effective revisions' readers, the rows of `domain::cases::visibility`, …). From that
//! the expected answer follows: no token → 401 (except public routes); a role that does not
//! pass → 403, or 404 where the resource is not visible to it; a role that passes and sees the
//! resource → anything but 401/403/404, never 5xx. An operation in the document that the table
//! lacks (a new route without an expectation) or a row whose operation is gone fails the test.

use domain::cases::{FollowupAction, FollowupStatus, Visibility, visibility};
use domain::documents::{RevisionAction, RevisionStatus};
use domain::scoring::{EvaluationAction, EvaluationStatus};
use domain::{Action, Role, can};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use std::collections::BTreeSet;
use tests::openapi::{Body, Location, Operation, Spec};
use tests::{Backend, Reply, TestApp, on_both_databases, spawn_app};

on_both_databases!(every_operation_answers_every_role_as_the_permission_table_says);

/// The demo account that stands for each role. `tl1` leads "Tim 1", whose agents are `agent1`
/// and `agent2`; `agent3` is in "Tim 2".
pub(crate) const ROLES: [(Role, &str); 7] = [
    (Role::Admin, "admin"),
    (Role::Manager, "manager"),
    (Role::DocController, "dc"),
    (Role::QcCoordinator, "qrd"),
    (Role::Qco, "qco1"),
    (Role::TeamLeader, "tl1"),
    (Role::Agent, "agent1"),
];

/// Who passes an operation's role check.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Who {
    /// No token needed (health, login, refresh, the document itself): any answer but 5xx.
    Public,
    /// Any signed-in user.
    Signed,
    /// `can(role, action)`.
    Can(Action),
    /// `can(role, a) || can(role, b)`.
    Either(Action, Action),
    /// A revision workflow step: `domain::documents::transition` does not refuse the role.
    Revision(RevisionAction),
    /// An F-18 sheet step: `domain::scoring::evaluation_transition` does not refuse the role.
    Sheet(EvaluationAction),
    /// A W-03 step: `domain::cases::followup_transition` does not refuse the role.
    Followup(FollowupAction),
    /// One role, compared outside the permission table (see the row's comment).
    Only(Role),
}

impl Who {
    pub(crate) fn allows(self, role: Role) -> bool {
        use domain::documents::{Actor, Refusal, transition};
        // A step's role rule comes before its state rule, so any state tells whether the role
        // may take it.
        match self {
            Who::Public | Who::Signed => true,
            Who::Can(action) => can(role, action),
            Who::Either(a, b) => can(role, a) || can(role, b),
            Who::Revision(step) => {
                transition(RevisionStatus::Draft, step, Actor::User(role)) != Err(Refusal::NotAllowed)
            }
            Who::Sheet(step) => {
                domain::scoring::evaluation_transition(EvaluationStatus::Draft, step, Actor::User(role))
                    != Err(Refusal::NotAllowed)
            }
            Who::Followup(step) => {
                domain::cases::followup_transition(FollowupStatus::Open, step, Actor::User(role))
                    != Err(Refusal::NotAllowed)
            }
            Who::Only(only) => role == only,
        }
    }
}

/// Whose row a case, follow-up or sheet is: `agent1`'s (Tim 1), or `agent3`'s (Tim 2).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Owner {
    Agent1 = 0,
    Agent3 = 1,
}

/// What a path's ids are filled with.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Target {
    /// The path has no ids.
    Nothing,
    /// User `qco2` (nobody's own account).
    User,
    /// Team "Tim 2".
    Team,
    /// P-01 Rev.00, effective.
    Effective,
    /// P-01 Rev.01, a draft made for the test, with an attached PDF.
    Draft,
    /// A pending agree case.
    Case(Owner),
    /// A W-03 follow-up.
    Followup(Owner),
    /// A submitted F-18 sheet (not a calibration sheet).
    Sheet(Owner),
    /// The published demo F-18 form.
    Form,
    /// A draft F-18 form made for the test.
    DraftForm,
    /// The open demo calibration session (participants `qco1`, `qco2`).
    Session,
    /// A finished agree import with refused rows, made by `qco2` for the test.
    Import,
    /// A failed message in the mail outbox, put there for the test.
    Mail,
    /// A legal hold in force, put there for the test.
    Hold,
    /// A disposed batch with its certificate, put there for the test.
    Batch,
}

/// Which roles see a resource; the others get 404.
#[derive(Clone, Copy)]
pub(crate) enum Seen {
    All,
    /// Not yet effective: `can(role, SeeDraftRevisions)`.
    Drafts,
    /// `domain::cases::visibility` applied to the target's owner.
    Rows,
    /// A rule of its own (named in the row).
    Only(fn(Role) -> bool),
}

/// Which check comes first when a role neither passes nor sees: the role check (403) or the
/// lookup of the resource (404).
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum First {
    Role,
    Row,
}

pub(crate) struct Row {
    pub(crate) op: &'static str,
    pub(crate) who: Who,
    pub(crate) first: First,
    pub(crate) targets: &'static [(Target, Seen)],
}

const NO_IDS: &[(Target, Seen)] = &[(Target::Nothing, Seen::All)];
const EFFECTIVE: &[(Target, Seen)] = &[(Target::Effective, Seen::All)];
const DRAFT: &[(Target, Seen)] = &[(Target::Draft, Seen::Drafts)];
const CASES: &[(Target, Seen)] =
    &[(Target::Case(Owner::Agent1), Seen::Rows), (Target::Case(Owner::Agent3), Seen::Rows)];
const FOLLOWUPS: &[(Target, Seen)] =
    &[(Target::Followup(Owner::Agent1), Seen::Rows), (Target::Followup(Owner::Agent3), Seen::Rows)];
const SHEETS: &[(Target, Seen)] =
    &[(Target::Sheet(Owner::Agent1), Seen::Rows), (Target::Sheet(Owner::Agent3), Seen::Rows)];

const fn row(op: &'static str, who: Who) -> Row {
    Row { op, who, first: First::Role, targets: NO_IDS }
}

const fn on(op: &'static str, who: Who, first: First, targets: &'static [(Target, Seen)]) -> Row {
    Row { op, who, first, targets }
}

fn lists_users(role: Role) -> bool {
    can(role, Action::ListUsers)
}

fn sees_backups(role: Role) -> bool {
    can(role, Action::ViewBackups)
}

fn sees_records(role: Role) -> bool {
    can(role, Action::ViewRecords)
}

fn lists_teams(role: Role) -> bool {
    can(role, Action::ListTeams)
}

fn manages_forms(role: Role) -> bool {
    can(role, Action::ManageScoringForms)
}

/// An import's refused rows: the roles that import (and the importer, `qco2`, who is one).
fn imports_cases(role: Role) -> bool {
    can(role, Action::ImportCases)
}

/// The coordinator sees every session; QCOs those they take part in (`qco1` does).
fn sees_session(role: Role) -> bool {
    can(role, Action::ManageScoringForms) || can(role, Action::ScoreCalls)
}

use Action as A;
use First::{Role as RoleFirst, Row as RowFirst};

/// Every operation's expectation. Keep it in the order of the document's tags.
pub(crate) const TABLE: &[Row] = &[
    // meta and auth
    row("GET /api/health", Who::Public),
    row("GET /api/site", Who::Public),
    row("GET /api/openapi.json", Who::Public),
    row("POST /api/auth/login", Who::Public),
    row("POST /api/auth/refresh", Who::Public),
    // Ends the caller's login: run last (see `destructive`).
    row("POST /api/auth/logout", Who::Signed),
    row("GET /api/me", Who::Can(A::UseOwnAccount)),
    // With a wrong current password: 401 `wrong_password`, nothing changes.
    row("POST /api/me/password", Who::Can(A::UseOwnAccount)),
    row("GET /api/me/tasks", Who::Signed),
    // Every role has an inbox (at least documents to read); each counts what it may see.
    row("GET /api/me/inbox", Who::Signed),
    // Turns the caller's own digest on or off.
    row("PUT /api/me/digest", Who::Can(A::UseOwnAccount)),
    // mail: the outbox is the admin's
    row("GET /api/mail/outbox", Who::Can(A::ManageUsers)),
    row("GET /api/mail/summary", Who::Can(A::ManageUsers)),
    on("POST /api/mail/outbox/{id}/retry", Who::Can(A::ManageUsers), RoleFirst, &[(Target::Mail, Seen::All)]),
    // The backup register: the admin's; hidden (404) from everyone else.
    on("GET /api/admin/backups", Who::Can(A::ViewBackups), RowFirst, &[(Target::Nothing, Seen::Only(sees_backups))]),
    // Records lifecycle (issue 15): hidden (404) from those who may not see it; 403 for those who
    // see it but may not take the step.
    on("GET /api/records/due", Who::Can(A::ViewRecords), RowFirst, &[(Target::Nothing, Seen::Only(sees_records))]),
    on("GET /api/dispositions", Who::Can(A::ViewRecords), RowFirst, &[(Target::Nothing, Seen::Only(sees_records))]),
    on("POST /api/dispositions", Who::Can(A::DisposeRecords), RowFirst, &[(Target::Nothing, Seen::Only(sees_records))]),
    on(
        "POST /api/dispositions/{id}/confirm",
        Who::Can(A::ConfirmDisposal),
        RowFirst,
        &[(Target::Batch, Seen::Only(sees_records))],
    ),
    on(
        "GET /api/dispositions/{id}/certificate",
        Who::Can(A::ViewRecords),
        RowFirst,
        &[(Target::Batch, Seen::Only(sees_records))],
    ),
    on("GET /api/holds", Who::Can(A::ViewRecords), RowFirst, &[(Target::Nothing, Seen::Only(sees_records))]),
    on("POST /api/holds", Who::Can(A::ManageHolds), RowFirst, &[(Target::Nothing, Seen::Only(sees_records))]),
    on("DELETE /api/holds/{id}", Who::Can(A::ManageHolds), RowFirst, &[(Target::Hold, Seen::Only(sees_records))]),
    // users and teams
    row("GET /api/users", Who::Can(A::ListUsers)),
    row("POST /api/users", Who::Can(A::ManageUsers)),
    row("GET /api/users/summary", Who::Can(A::ListUsers)),
    // Agents see only their own account; another's is 404.
    on("GET /api/users/{id}", Who::Signed, RowFirst, &[(Target::User, Seen::Only(lists_users))]),
    on("PATCH /api/users/{id}", Who::Can(A::ManageUsers), RoleFirst, &[(Target::User, Seen::All)]),
    on("POST /api/users/{id}/unlock", Who::Can(A::ManageUsers), RoleFirst, &[(Target::User, Seen::All)]),
    on("POST /api/users/{id}/password", Who::Can(A::ManageUsers), RoleFirst, &[(Target::User, Seen::All)]),
    row("GET /api/teams", Who::Can(A::ListTeams)),
    row("POST /api/teams", Who::Can(A::ManageUsers)),
    on("GET /api/teams/{id}", Who::Signed, RowFirst, &[(Target::Team, Seen::Only(lists_teams))]),
    on("PATCH /api/teams/{id}", Who::Can(A::ManageUsers), RoleFirst, &[(Target::Team, Seen::All)]),
    // audit
    row("GET /api/audit", Who::Can(A::ViewAudit)),
    row("GET /api/audit/verify", Who::Can(A::ViewAudit)),
    row("GET /api/audit/anchor", Who::Can(A::ViewAudit)),
    // documents
    row("GET /api/documents", Who::Can(A::ReadDocuments)),
    row("POST /api/documents", Who::Can(A::PrepareRevision)),
    row("GET /api/documents/review-flags", Who::Can(A::SeeDraftRevisions)),
    on("GET /api/documents/{code}", Who::Can(A::ReadDocuments), RoleFirst, EFFECTIVE),
    on("GET /api/documents/{code}/in-force", Who::Can(A::ReadDocuments), RoleFirst, EFFECTIVE),
    on("POST /api/documents/{code}/revisions", Who::Can(A::PrepareRevision), RoleFirst, EFFECTIVE),
    on(
        "GET /api/documents/{code}/revisions/{rev}",
        Who::Can(A::ReadDocuments),
        RowFirst,
        &[(Target::Effective, Seen::All), (Target::Draft, Seen::Drafts)],
    ),
    on("PATCH /api/documents/{code}/revisions/{rev}", Who::Revision(RevisionAction::Edit), RowFirst, DRAFT),
    on("POST /api/documents/{code}/revisions/{rev}/submit", Who::Revision(RevisionAction::Submit), RowFirst, DRAFT),
    on("POST /api/documents/{code}/revisions/{rev}/review", Who::Revision(RevisionAction::Check), RowFirst, DRAFT),
    on("POST /api/documents/{code}/revisions/{rev}/approve", Who::Revision(RevisionAction::Approve), RowFirst, DRAFT),
    on("GET /api/documents/{code}/revisions/{rev}/diff", Who::Can(A::ReadDocuments), RowFirst, DRAFT),
    on("POST /api/documents/{code}/revisions/{rev}/acknowledge", Who::Can(A::ReadDocuments), RowFirst, EFFECTIVE),
    on(
        "GET /api/documents/{code}/revisions/{rev}/acknowledgements",
        Who::Either(A::SeeDraftRevisions, A::ViewTeam),
        RoleFirst,
        EFFECTIVE,
    ),
    on("GET /api/documents/{code}/revisions/{rev}/attachment", Who::Can(A::ReadDocuments), RowFirst, DRAFT),
    on("POST /api/documents/{code}/revisions/{rev}/attachment", Who::Can(A::PrepareRevision), RoleFirst, DRAFT),
    // F-19 cases, W-03 follow-ups, reports
    row("GET /api/cases", Who::Can(A::ViewCases)),
    on("GET /api/cases/{id}", Who::Can(A::ViewCases), RowFirst, CASES),
    row("POST /api/cases/import", Who::Can(A::ImportCases)),
    row("GET /api/cases/import-template", Who::Can(A::ImportCases)),
    on("GET /api/imports/{id}/rejections.csv", Who::Signed, RowFirst, &[(Target::Import, Seen::Only(imports_cases))]),
    on("GET /api/imports/{id}/rejections", Who::Signed, RowFirst, &[(Target::Import, Seen::Only(imports_cases))]),
    row("GET /api/cases/summary", Who::Can(A::ViewCases)),
    row("GET /api/cases/checklist", Who::Can(A::ViewCases)),
    // Every version of the W-04 wording: the roles that see cases (and so validations' wording).
    row("GET /api/cases/checklist/versions", Who::Can(A::ViewCases)),
    // The service compares the role itself (`cases::service::set_checklist`): no action of the
    // permission table says "edit the W-04 checklist" yet.
    row("PUT /api/cases/checklist", Who::Only(Role::QcCoordinator)),
    on("POST /api/cases/{id}/validation", Who::Can(A::ValidateCases), RoleFirst, CASES),
    on("POST /api/cases/{id}/viewing", Who::Can(A::ValidateCases), RoleFirst, CASES),
    row("GET /api/followups", Who::Can(A::ViewCases)),
    row("GET /api/followups/summary", Who::Can(A::ViewCases)),
    on("GET /api/followups/{id}", Who::Can(A::ViewCases), RowFirst, FOLLOWUPS),
    on("POST /api/followups/{id}/recare", Who::Followup(FollowupAction::Recare), RowFirst, FOLLOWUPS),
    on("POST /api/followups/{id}/verify", Who::Can(A::VerifyFollowups), RoleFirst, FOLLOWUPS),
    row("GET /api/reports/f19", Who::Can(A::ViewF19Report)),
    row("GET /api/reports/reconciliation", Who::Can(A::ViewF19Report)),
    row("GET /api/reports/promises", Who::Can(A::ViewF19Report)),
    // Every role that sees cases has an overview of what it sees (an agent their own).
    row("GET /api/dashboards/overview", Who::Can(A::ViewCases)),
    row("GET /api/dashboards/overview/table", Who::Can(A::ViewCases)),
    row("GET /api/dashboards/breakdown", Who::Can(A::ViewCases)),
    row("GET /api/dashboards/breakdown/table", Who::Can(A::ViewCases)),
    // The fail-rate heatmap has the overview's scope rules (an agent their own column).
    row("GET /api/dashboards/heatmap", Who::Can(A::ViewCases)),
    row("GET /api/dashboards/heatmap/table", Who::Can(A::ViewCases)),
    // The work dashboard too (officers' rows for QC and managers only: tests/api/workload.rs).
    row("GET /api/dashboards/workload", Who::Can(A::ViewCases)),
    row("GET /api/dashboards/workload/table", Who::Can(A::ViewCases)),
    // F-18 scoring
    row("GET /api/scoring-forms", Who::Can(A::ViewEvaluations)),
    row("POST /api/scoring-forms", Who::Can(A::ManageScoringForms)),
    on(
        "GET /api/scoring-forms/{id}",
        Who::Either(A::ViewEvaluations, A::ManageScoringForms),
        RoleFirst,
        &[(Target::Form, Seen::All), (Target::DraftForm, Seen::Only(manages_forms))],
    ),
    on("PUT /api/scoring-forms/{id}", Who::Can(A::ManageScoringForms), RoleFirst, &[(Target::DraftForm, Seen::All)]),
    on(
        "POST /api/scoring-forms/{id}/publish",
        Who::Can(A::ManageScoringForms),
        RoleFirst,
        &[(Target::DraftForm, Seen::All)],
    ),
    row("GET /api/evaluations", Who::Can(A::ViewEvaluations)),
    row("POST /api/evaluations", Who::Can(A::ScoreCalls)),
    row("GET /api/evaluations/summary", Who::Can(A::ViewEvaluations)),
    row("GET /api/evaluations/xlsx", Who::Can(A::ViewEvaluations)),
    on("GET /api/evaluations/{id}", Who::Can(A::ViewEvaluations), RowFirst, SHEETS),
    on("GET /api/evaluations/{id}/xlsx", Who::Can(A::ViewEvaluations), RowFirst, SHEETS),
    on("PUT /api/evaluations/{id}", Who::Sheet(EvaluationAction::EditDraft), RowFirst, SHEETS),
    on("POST /api/evaluations/{id}/acknowledge", Who::Sheet(EvaluationAction::Acknowledge), RowFirst, SHEETS),
    on("POST /api/evaluations/{id}/dispute", Who::Sheet(EvaluationAction::Dispute), RowFirst, SHEETS),
    on("POST /api/evaluations/{id}/resolve", Who::Sheet(EvaluationAction::Resolve), RowFirst, SHEETS),
    row("GET /api/reports/parameter-fail-rates", Who::Either(A::ViewTeam, A::ScoreCalls)),
    row("GET /api/calibrations", Who::Either(A::ManageScoringForms, A::ScoreCalls)),
    row("POST /api/calibrations", Who::Can(A::ManageScoringForms)),
    on("GET /api/calibrations/{id}", Who::Signed, RowFirst, &[(Target::Session, Seen::Only(sees_session))]),
    on(
        "POST /api/calibrations/{id}/close",
        Who::Can(A::ManageScoringForms),
        RoleFirst,
        &[(Target::Session, Seen::All)],
    ),
    row("POST /api/sampling", Who::Can(A::ManageScoringForms)),
    row("GET /api/sampling/assignments", Who::Either(A::ManageScoringForms, A::ScoreCalls)),
    // Promises kept (issue 16): the payment import.
    row("POST /api/payments/import", Who::Can(A::ImportPayments)),
    row("GET /api/payments/import-template", Who::Can(A::ImportPayments)),
    row("GET /api/payments/unmatched", Who::Can(A::ImportPayments)),
];

/// Operations that end the caller's own login; they run after everything else.
pub(crate) fn destructive(op: &str) -> bool {
    op == "POST /api/auth/logout"
}

/// What a role should get.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Outcome {
    /// Any answer below 500 (public routes).
    Any,
    /// 401 `unauthenticated`.
    Unauthenticated,
    /// 403 `forbidden`.
    Forbidden,
    /// 404.
    Hidden,
    /// Past the role check and the lookup: anything but 401 `unauthenticated`, 403 `forbidden`
    /// and 404 (a wrong signing password, a wrong state, a refused body are all fine).
    Reached,
}

pub(crate) fn expected(row: &Row, seen: Seen, role: Option<Role>, target: Target) -> Outcome {
    let Some(role) = role else {
        return if matches!(row.who, Who::Public) { Outcome::Any } else { Outcome::Unauthenticated };
    };
    if matches!(row.who, Who::Public) {
        return Outcome::Any;
    }
    let visible = match seen {
        Seen::All => true,
        Seen::Drafts => can(role, Action::SeeDraftRevisions),
        Seen::Only(rule) => rule(role),
        Seen::Rows => {
            let owner = match target {
                Target::Case(o) | Target::Followup(o) | Target::Sheet(o) => o,
                _ => panic!("{}: Seen::Rows needs an owned target", row.op),
            };
            match visibility(role) {
                Visibility::All => true,
                Visibility::Own => owner == Owner::Agent1,
                Visibility::Team => owner == Owner::Agent1,
                Visibility::None => false,
            }
        }
    };
    match (row.who.allows(role), visible, row.first) {
        (true, true, _) => Outcome::Reached,
        (true, false, _) => Outcome::Hidden,
        (false, false, First::Row) => Outcome::Hidden,
        (false, _, _) => Outcome::Forbidden,
    }
}

fn observed(reply: &Reply) -> Outcome {
    match (reply.status, reply.error()) {
        (StatusCode::UNAUTHORIZED, "unauthenticated") => Outcome::Unauthenticated,
        (StatusCode::FORBIDDEN, "forbidden") => Outcome::Forbidden,
        (StatusCode::NOT_FOUND, _) => Outcome::Hidden,
        _ => Outcome::Reached,
    }
}

/// A message the SMTP server refused, as the mail work records one.
async fn failed_mail(app: &TestApp) -> i64 {
    use entity::mail_outbox;
    use sea_orm::{ActiveValue::Set, EntityTrait};
    let now = chrono::Utc::now();
    let row = mail_outbox::ActiveModel {
        kind: Set(domain::mail::MailKind::Digest),
        dedupe_key: Set("digest:matrix".into()),
        user_id: Set(None),
        status: Set(domain::mail::MailStatus::Failed),
        attempts: Set(1),
        next_attempt_at: Set(now),
        last_error: Set(Some("550 5.1.1 mailbox unavailable".into())),
        created_at: Set(now),
        ..Default::default()
    };
    let inserted = mail_outbox::Entity::insert(row).exec(&app.app.state.db.conn).await.expect("a failed message");
    i64::from(inserted.last_insert_id)
}

/// A hold in force, or a disposed batch with its certificate, put straight into `table`.
async fn records_fixture(app: &TestApp, table: &str) -> i64 {
    use sea_orm::EntityTrait;
    let now = chrono::Utc::now();
    let conn = &app.app.state.db.conn;
    let qrd = one_number(app, "SELECT CAST(id AS BIGINT) FROM users WHERE username = 'qrd'").await;
    if table == "legal_holds" {
        entity::legal_holds::Entity::insert(entity::legal_holds::ActiveModel {
            customer_no: sea_orm::ActiveValue::Set(Some("1300000000".into())),
            reason: sea_orm::ActiveValue::Set("Matrix".into()),
            placed_by: sea_orm::ActiveValue::Set(qrd as i32),
            placed_by_name: sea_orm::ActiveValue::Set("Sukron Azis".into()),
            placed_at: sea_orm::ActiveValue::Set(now),
            ..Default::default()
        })
        .exec(conn)
        .await
        .map(|r| i64::from(r.last_insert_id))
        .expect("a hold")
    } else {
        let certificate = serde_json::json!({
            "number": "SP-2026-0001", "disposition_id": 1, "form": domain::cases::F19_CODE, "form_title": "F-19",
            "retention_months": 24, "counts_from": "validated_or_followup_closed", "through_month": "2024-01",
            "approved_by": "Sukron Azis", "approved_at": "2026-01-01T00:00:00Z", "confirmed_by": "Mokh.arifin",
            "confirmed_at": "2026-01-01T00:00:00Z", "disposed_at": "2026-01-01T00:00:00Z", "periods": [],
            "disposed": 0, "withheld": 0, "hash_method": "sha256-merkle", "merkle_root": "", "audit_seq": 1, "backups": [],
        });
        entity::dispositions::Entity::insert(entity::dispositions::ActiveModel {
            form: sea_orm::ActiveValue::Set(domain::cases::F19_CODE.into()),
            form_title: sea_orm::ActiveValue::Set("F-19".into()),
            retention_months: sea_orm::ActiveValue::Set(24),
            through_month: sea_orm::ActiveValue::Set(Some("2024-01".into())),
            status: sea_orm::ActiveValue::Set("disposed".into()),
            due_count: sea_orm::ActiveValue::Set(0),
            approved_by: sea_orm::ActiveValue::Set(qrd as i32),
            approved_by_name: sea_orm::ActiveValue::Set("Sukron Azis".into()),
            approved_at: sea_orm::ActiveValue::Set(now),
            disposed: sea_orm::ActiveValue::Set(0),
            withheld: sea_orm::ActiveValue::Set(0),
            certificate: sea_orm::ActiveValue::Set(Some(certificate.to_string())),
            ..Default::default()
        })
        .exec(conn)
        .await
        .map(|r| i64::from(r.last_insert_id))
        .expect("a batch")
    }
}

async fn one_number(app: &TestApp, sql: &str) -> i64 {
    use sea_orm::{ConnectionTrait, Statement};
    let conn = &app.app.state.db.conn;
    let row = conn.query_one_raw(Statement::from_string(conn.get_database_backend(), sql)).await.unwrap().unwrap();
    row.try_get_by_index::<i64>(0).unwrap()
}

/// The ids the targets stand for in this app's demo data.
pub(crate) struct Ids {
    pub(crate) user: i64,
    pub(crate) team: i64,
    /// By [`Owner`].
    pub(crate) cases: [i64; 2],
    pub(crate) followups: [i64; 2],
    pub(crate) sheets: [i64; 2],
    pub(crate) form: i64,
    pub(crate) draft_form: i64,
    pub(crate) session: i64,
    pub(crate) import: i64,
    pub(crate) mail: i64,
    pub(crate) hold: i64,
    pub(crate) batch: i64,
}

/// `operation`'s path with its ids filled in for `target`.
pub(crate) fn fill_path(operation: &Operation, target: Target, ids: &Ids) -> String {
    let rev = if matches!(target, Target::Draft) { 1 } else { 0 };
    let id = match target {
        Target::User => ids.user,
        Target::Team => ids.team,
        Target::Case(o) => ids.cases[o as usize],
        Target::Followup(o) => ids.followups[o as usize],
        Target::Sheet(o) => ids.sheets[o as usize],
        Target::Form => ids.form,
        Target::DraftForm => ids.draft_form,
        Target::Session => ids.session,
        Target::Import => ids.import,
        Target::Mail => ids.mail,
        Target::Hold => ids.hold,
        Target::Batch => ids.batch,
        Target::Nothing | Target::Effective | Target::Draft => 0,
    };
    let path =
        operation.path.replace("{code}", P01).replace("{rev}", &rev.to_string()).replace("{id}", &id.to_string());
    assert!(!path.contains('{'), "{}: a path parameter the matrix does not fill", operation.key());
    path
}

/// The code of the seed SOP, whose Rev.00 is effective.
pub(crate) const P01: &str = "OB.IN.OCC.TELK.P-01";

/// `name=value` of a query parameter, the value percent-encoded.
pub(crate) fn query_pair(name: &str, value: &Value) -> String {
    let text = value.as_str().map(str::to_owned).unwrap_or_else(|| value.to_string());
    format!("{name}={}", url::form_urlencoded::byte_serialize(text.as_bytes()).collect::<String>())
}

/// The path with its ids and its required query parameters.
fn concrete_path(spec: &Spec, operation: &Operation, target: Target, ids: &Ids) -> String {
    let path = fill_path(operation, target, ids);
    let query: Vec<String> = operation
        .params
        .iter()
        .filter(|p| p.location == Location::Query && p.required)
        .map(|p| query_pair(&p.name, &spec.example(&p.schema, &p.name)))
        .collect();
    if query.is_empty() { path } else { format!("{path}?{}", query.join("&")) }
}

/// A small but real PDF, for the attachment routes.
pub(crate) const PDF: &[u8] = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n";

pub(crate) fn multipart_body(operation: &Operation) -> reqwest::multipart::Form {
    let (name, bytes, mime) = if operation.path.ends_with("/attachment") {
        ("original.pdf", PDF.to_vec(), "application/pdf")
    } else if operation.path.starts_with("/api/payments/") {
        let header: Vec<&str> = domain::promises::PaymentColumn::ALL.iter().map(|c| c.name()).collect();
        ("payments.csv", header.join(",").into_bytes(), "text/csv")
    } else {
        ("agrees.csv", domain::cases::IMPORT_COLUMNS.join(",").into_bytes(), "text/csv")
    };
    let part = reqwest::multipart::Part::bytes(bytes).file_name(name).mime_str(mime).expect("a mime type");
    reqwest::multipart::Form::new().part("file", part)
}

async fn send(app: &TestApp, spec: &Spec, operation: &Operation, path: &str, token: Option<&str>) -> Reply {
    let mut request = app.client.request(operation.method.clone(), app.url(path));
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    request = match &operation.body {
        Body::None => request,
        Body::Json(schema) => request.json(&spec.example(schema, "")),
        Body::Multipart => request.multipart(multipart_body(operation)),
    };
    TestApp::reply(request.send().await.expect("send the request")).await
}

/// A page's items (as JSON) from `path`, with a token.
async fn items(app: &TestApp, path: &str, token: &str) -> Vec<Value> {
    let reply = app.get(path, token).await;
    assert_eq!(reply.status, StatusCode::OK, "{path}: {}", reply.body);
    reply.body["items"].as_array().cloned().unwrap_or_default()
}

async fn first_id(app: &TestApp, path: &str, token: &str, what: &str) -> i64 {
    let list = items(app, path, token).await;
    list.first().and_then(|i| i["id"].as_i64()).unwrap_or_else(|| panic!("the demo data has no {what} ({path})"))
}

/// Finds the demo rows the targets stand for, and makes the two the demo lacks: a draft Rev.01
/// of P-01 with an attachment, and a draft F-18 form.
pub(crate) async fn arrange(app: &TestApp) -> Ids {
    let admin = app.token("admin").await;
    let qrd = app.token("qrd").await;
    let dc = app.token("dc").await;
    let user_id = |users: &[Value], name: &str| {
        users.iter().find(|u| u["username"] == name).and_then(|u| u["id"].as_i64()).expect("a demo user")
    };
    let users = items(app, "/api/users?limit=500", &admin).await;
    let (agent1, agent3) = (user_id(&users, "agent1"), user_id(&users, "agent3"));
    let teams = items(app, "/api/teams", &admin).await;
    let team = teams.iter().find(|t| t["name"] == "Tim 2").and_then(|t| t["id"].as_i64()).expect("team Tim 2");
    let draft = app
        .post("/api/documents/OB.IN.OCC.TELK.P-01/revisions", Some(&dc), &json!({ "change_description": "Matriks" }))
        .await;
    assert_eq!(draft.status, StatusCode::CREATED, "{}", draft.body);
    assert_eq!(draft.body["rev"], 1);
    let part = reqwest::multipart::Part::bytes(PDF.to_vec())
        .file_name("original.pdf")
        .mime_str("application/pdf")
        .expect("mime");
    let upload = app
        .client
        .post(app.url("/api/documents/OB.IN.OCC.TELK.P-01/revisions/1/attachment"))
        .bearer_auth(&dc)
        .multipart(reqwest::multipart::Form::new().part("file", part))
        .send()
        .await
        .expect("upload");
    assert_eq!(upload.status(), StatusCode::CREATED);
    let forms = items(app, "/api/scoring-forms?status=published", &qrd).await;
    let form = forms.first().cloned().expect("a published demo form");
    let new_form =
        json!({ "code": "F18-MATRIKS", "title": "Form uji matriks", "sections": form["sections"], "publish": false });
    let created = app.post("/api/scoring-forms", Some(&qrd), &new_form).await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.body);
    let qco2 = app.token("qco2").await;
    let refused = format!(
        "{}\r\n1,x,TV,N,1,agent1,2025-01-01 08:00,agree,2025-01-02,R\r\n",
        domain::cases::IMPORT_COLUMNS.join(",")
    );
    let file = reqwest::multipart::Part::bytes(refused.into_bytes())
        .file_name("agrees.csv")
        .mime_str("text/csv")
        .expect("mime");
    let import = app
        .client
        .post(app.url("/api/cases/import"))
        .bearer_auth(&qco2)
        .multipart(reqwest::multipart::Form::new().part("file", file))
        .send()
        .await
        .expect("import");
    let import = TestApp::reply(import).await;
    assert_eq!(import.status, StatusCode::OK, "{}", import.body);
    let pending = |agent: i64| format!("/api/cases?status=pending&agent_id={agent}&limit=1");
    let followups = |agent: i64| format!("/api/followups?agent_id={agent}&limit=1");
    let sheets = |agent: i64| format!("/api/evaluations?agent_id={agent}&status=submitted&limit=1");
    Ids {
        user: user_id(&users, "qco2"),
        team,
        cases: [
            first_id(app, &pending(agent1), &qrd, "pending case of agent1").await,
            first_id(app, &pending(agent3), &qrd, "pending case of agent3").await,
        ],
        followups: [
            first_id(app, &followups(agent1), &qrd, "follow-up of agent1").await,
            first_id(app, &followups(agent3), &qrd, "follow-up of agent3").await,
        ],
        sheets: [
            first_id(app, &sheets(agent1), &qrd, "sheet of agent1").await,
            first_id(app, &sheets(agent3), &qrd, "sheet of agent3").await,
        ],
        form: form["id"].as_i64().expect("form id"),
        draft_form: created.body["id"].as_i64().expect("draft form id"),
        session: first_id(app, "/api/calibrations?status=open", &qrd, "open calibration session").await,
        import: import.body["import_id"].as_i64().expect("import id"),
        mail: failed_mail(app).await,
        hold: records_fixture(app, "legal_holds").await,
        batch: records_fixture(app, "dispositions").await,
    }
}

async fn every_operation_answers_every_role_as_the_permission_table_says(backend: Backend) {
    let app = spawn_app(backend).await;
    let spec = Spec::new(app.request::<()>(Method::GET, "/api/openapi.json", None, None).await.body);
    let operations = spec.operations();

    // The table and the document list the same operations.
    let documented: BTreeSet<String> = operations.iter().map(Operation::key).collect();
    let tabled: BTreeSet<String> = TABLE.iter().map(|r| r.op.to_owned()).collect();
    assert_eq!(tabled.len(), TABLE.len(), "an operation is in the table twice");
    let missing: Vec<_> = documented.difference(&tabled).collect();
    let gone: Vec<_> = tabled.difference(&documented).collect();
    assert!(missing.is_empty(), "operations without an expectation in the matrix (add a row to TABLE): {missing:?}");
    assert!(gone.is_empty(), "rows of the matrix whose operation is no longer documented: {gone:?}");
    for operation in &operations {
        let row = TABLE.iter().find(|r| r.op == operation.key()).expect("checked above");
        assert_eq!(
            operation.secured,
            !matches!(row.who, Who::Public),
            "{}: the document's security does not match the table",
            row.op
        );
    }

    let ids = arrange(&app).await;
    let mut tokens = Vec::new();
    for (role, username) in ROLES {
        tokens.push((Some(role), Some(app.token(username).await)));
    }
    tokens.push((None, None));

    // Reads first, then writes, then what ends a login, so that no row changes what an earlier
    // one expected to see.
    let mut order: Vec<&Row> = TABLE.iter().collect();
    order.sort_by_key(|r| (destructive(r.op), !r.op.starts_with("GET ")));
    let mut failures = Vec::new();
    let mut requests = 0;
    for row in order {
        let operation = operations.iter().find(|o| o.key() == row.op).expect("checked above");
        for (target, seen) in row.targets {
            let path = concrete_path(&spec, operation, *target, &ids);
            for (role, token) in &tokens {
                let reply = send(&app, &spec, operation, &path, token.as_deref()).await;
                requests += 1;
                let who = role.map(|r| r.as_str()).unwrap_or("no token");
                assert!(
                    reply.status.as_u16() < 500,
                    "{} {path} as {who}: {} {}",
                    operation.method,
                    reply.status,
                    reply.body
                );
                let want = expected(row, *seen, *role, *target);
                let got = observed(&reply);
                if want != Outcome::Any && want != got {
                    failures.push(format!(
                        "{} {path} as {who}: expected {want:?}, got {} {}",
                        operation.method, reply.status, reply.body
                    ));
                }
            }
        }
    }
    eprintln!("matrix on {backend:?}: {} operations, {requests} requests", operations.len());
    assert!(
        failures.is_empty(),
        "{} of {requests} answers differ from the table:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
