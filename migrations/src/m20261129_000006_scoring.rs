//! F-18 scoring forms, evaluations and their answers, calibration sessions, sampling.
//!
//! Sized for millions of sheets: an agent's list is a keyset walk of
//! `evaluations(agent_id, call_at, id)`, a team's month of `evaluations(team_id, call_at, id)`,
//! and the answers of a sheet are the prefix of their primary key `(evaluation_id, parameter_key)`,
//! and per-parameter fail rates read the daily roll-up `evaluation_day_stats`.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261129_000006_scoring"
    }
}

#[derive(DeriveIden)]
enum ScoringForms {
    Table,
    Id,
    Code,
    Version,
    Title,
    Status,
    DocumentCode,
    RetentionMonths,
    Sections,
    CreatedBy,
    CreatedAt,
    PublishedAt,
    RowVersion,
}

#[derive(DeriveIden)]
enum Evaluations {
    Table,
    Id,
    FormId,
    AgentId,
    QcoId,
    TeamId,
    CallRef,
    CallAt,
    Service,
    Bucket,
    RecordingRef,
    Comment,
    Score,
    Fatal,
    Status,
    CreatedAt,
    UpdatedAt,
    SubmittedAt,
    AcknowledgedAt,
    RetainUntil,
    Version,
    CalibrationId,
    AssignmentId,
    DisputeReason,
    DisputedAt,
    ResolutionDecision,
    ResolutionComment,
    ResolvedBy,
    ResolvedAt,
}

#[derive(DeriveIden)]
enum EvaluationAnswers {
    Table,
    EvaluationId,
    ParameterKey,
    Value,
    Comment,
    Moment,
}

#[derive(DeriveIden)]
enum EvaluationAmendments {
    Table,
    Id,
    EvaluationId,
    OldAnswers,
    OldScore,
    OldFatal,
    Comment,
    AmendedBy,
    AmendedAt,
}

#[derive(DeriveIden)]
enum CalibrationSessions {
    Table,
    Id,
    Title,
    FormId,
    CallRef,
    CallAt,
    AgentId,
    Service,
    Bucket,
    RecordingRef,
    Status,
    CreatedBy,
    CreatedAt,
    ClosedAt,
}

#[derive(DeriveIden)]
enum CalibrationParticipants {
    Table,
    SessionId,
    QcoId,
}

#[derive(DeriveIden)]
enum SamplingAssignments {
    Table,
    Id,
    BatchId,
    QcoId,
    AgentId,
    CaseId,
    CallRef,
    CallAt,
    Service,
    Bucket,
    RecordingRef,
    PeriodFrom,
    PeriodTo,
    Status,
    EvaluationId,
    CreatedBy,
    CreatedAt,
}

#[derive(DeriveIden)]
enum EvaluationDayStats {
    Table,
    TeamId,
    Day,
    ParameterKey,
    Passed,
    Failed,
    Na,
}

#[derive(DeriveIden)]
enum Users {
    Table,
    Id,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(ScoringForms::Table)
                    .col(pk_auto(ScoringForms::Id))
                    .col(string_len(ScoringForms::Code, 40))
                    .col(integer(ScoringForms::Version))
                    .col(string_len(ScoringForms::Title, 200))
                    .col(string_len(ScoringForms::Status, 16))
                    .col(string_len(ScoringForms::DocumentCode, 64))
                    .col(integer(ScoringForms::RetentionMonths))
                    // The immutable definition once published: sections and parameters as JSON text.
                    .col(text(ScoringForms::Sections))
                    .col(integer_null(ScoringForms::CreatedBy))
                    .col(timestamp_with_time_zone(ScoringForms::CreatedAt))
                    .col(timestamp_with_time_zone_null(ScoringForms::PublishedAt))
                    .col(big_integer(ScoringForms::RowVersion).default(1))
                    .foreign_key(
                        ForeignKey::create()
                            .from(ScoringForms::Table, ScoringForms::CreatedBy)
                            .to(Users::Table, Users::Id),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("uq_scoring_forms_code_version")
                    .table(ScoringForms::Table)
                    .col(ScoringForms::Code)
                    .col(ScoringForms::Version)
                    .unique()
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(CalibrationSessions::Table)
                    .col(pk_auto(CalibrationSessions::Id))
                    .col(string_len(CalibrationSessions::Title, 200))
                    .col(integer(CalibrationSessions::FormId))
                    .col(string_len(CalibrationSessions::CallRef, 100))
                    .col(timestamp_with_time_zone(CalibrationSessions::CallAt))
                    .col(integer(CalibrationSessions::AgentId))
                    .col(string_len(CalibrationSessions::Service, 8))
                    .col(string_len(CalibrationSessions::Bucket, 4))
                    .col(string_len_null(CalibrationSessions::RecordingRef, 200))
                    .col(string_len(CalibrationSessions::Status, 16))
                    .col(integer(CalibrationSessions::CreatedBy))
                    .col(timestamp_with_time_zone(CalibrationSessions::CreatedAt))
                    .col(timestamp_with_time_zone_null(CalibrationSessions::ClosedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(CalibrationSessions::Table, CalibrationSessions::FormId)
                            .to(ScoringForms::Table, ScoringForms::Id),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(CalibrationSessions::Table, CalibrationSessions::AgentId)
                            .to(Users::Table, Users::Id),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(CalibrationSessions::Table, CalibrationSessions::CreatedBy)
                            .to(Users::Table, Users::Id),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(CalibrationParticipants::Table)
                    .col(integer(CalibrationParticipants::SessionId))
                    .col(integer(CalibrationParticipants::QcoId))
                    .primary_key(
                        Index::create().col(CalibrationParticipants::SessionId).col(CalibrationParticipants::QcoId),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(CalibrationParticipants::Table, CalibrationParticipants::SessionId)
                            .to(CalibrationSessions::Table, CalibrationSessions::Id),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(CalibrationParticipants::Table, CalibrationParticipants::QcoId)
                            .to(Users::Table, Users::Id),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_calibration_participants_qco")
                    .table(CalibrationParticipants::Table)
                    .col(CalibrationParticipants::QcoId)
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(SamplingAssignments::Table)
                    .col(big_pk_auto(SamplingAssignments::Id))
                    .col(string_len(SamplingAssignments::BatchId, 36))
                    .col(integer(SamplingAssignments::QcoId))
                    .col(integer(SamplingAssignments::AgentId))
                    .col(big_integer_null(SamplingAssignments::CaseId))
                    .col(string_len(SamplingAssignments::CallRef, 100))
                    .col(timestamp_with_time_zone(SamplingAssignments::CallAt))
                    .col(string_len_null(SamplingAssignments::Service, 8))
                    .col(string_len_null(SamplingAssignments::Bucket, 4))
                    .col(string_len_null(SamplingAssignments::RecordingRef, 200))
                    .col(string_len(SamplingAssignments::PeriodFrom, 10))
                    .col(string_len(SamplingAssignments::PeriodTo, 10))
                    .col(string_len(SamplingAssignments::Status, 16))
                    .col(big_integer_null(SamplingAssignments::EvaluationId))
                    .col(integer(SamplingAssignments::CreatedBy))
                    .col(timestamp_with_time_zone(SamplingAssignments::CreatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(SamplingAssignments::Table, SamplingAssignments::QcoId)
                            .to(Users::Table, Users::Id),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(SamplingAssignments::Table, SamplingAssignments::AgentId)
                            .to(Users::Table, Users::Id),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_sampling_qco_status")
                    .table(SamplingAssignments::Table)
                    .col(SamplingAssignments::QcoId)
                    .col(SamplingAssignments::Status)
                    .col(SamplingAssignments::Id)
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_sampling_case")
                    .table(SamplingAssignments::Table)
                    .col(SamplingAssignments::CaseId)
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Evaluations::Table)
                    .col(big_pk_auto(Evaluations::Id))
                    .col(integer(Evaluations::FormId))
                    .col(integer(Evaluations::AgentId))
                    .col(integer(Evaluations::QcoId))
                    // The agent's team when the sheet was made: team views and reports stay put
                    // when an agent moves.
                    .col(integer_null(Evaluations::TeamId))
                    .col(string_len(Evaluations::CallRef, 100))
                    .col(timestamp_with_time_zone(Evaluations::CallAt))
                    .col(string_len(Evaluations::Service, 8))
                    .col(string_len(Evaluations::Bucket, 4))
                    .col(string_len_null(Evaluations::RecordingRef, 200))
                    .col(text_null(Evaluations::Comment))
                    .col(double(Evaluations::Score))
                    .col(boolean(Evaluations::Fatal))
                    .col(string_len(Evaluations::Status, 16))
                    .col(timestamp_with_time_zone(Evaluations::CreatedAt))
                    .col(timestamp_with_time_zone(Evaluations::UpdatedAt))
                    .col(timestamp_with_time_zone_null(Evaluations::SubmittedAt))
                    .col(timestamp_with_time_zone_null(Evaluations::AcknowledgedAt))
                    .col(string_len_null(Evaluations::RetainUntil, 10))
                    .col(big_integer(Evaluations::Version).default(1))
                    .col(integer_null(Evaluations::CalibrationId))
                    .col(big_integer_null(Evaluations::AssignmentId))
                    .col(text_null(Evaluations::DisputeReason))
                    .col(timestamp_with_time_zone_null(Evaluations::DisputedAt))
                    .col(string_len_null(Evaluations::ResolutionDecision, 16))
                    .col(text_null(Evaluations::ResolutionComment))
                    .col(integer_null(Evaluations::ResolvedBy))
                    .col(timestamp_with_time_zone_null(Evaluations::ResolvedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(Evaluations::Table, Evaluations::FormId)
                            .to(ScoringForms::Table, ScoringForms::Id),
                    )
                    .foreign_key(
                        ForeignKey::create().from(Evaluations::Table, Evaluations::AgentId).to(Users::Table, Users::Id),
                    )
                    .foreign_key(
                        ForeignKey::create().from(Evaluations::Table, Evaluations::QcoId).to(Users::Table, Users::Id),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(Evaluations::Table, Evaluations::ResolvedBy)
                            .to(Users::Table, Users::Id),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(Evaluations::Table, Evaluations::CalibrationId)
                            .to(CalibrationSessions::Table, CalibrationSessions::Id),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(Evaluations::Table, Evaluations::AssignmentId)
                            .to(SamplingAssignments::Table, SamplingAssignments::Id),
                    )
                    .to_owned(),
            )
            .await?;
        // An agent's sheets, newest call first (keyset paging).
        manager
            .create_index(
                Index::create()
                    .name("idx_evaluations_agent_call")
                    .table(Evaluations::Table)
                    .col(Evaluations::AgentId)
                    .col(Evaluations::CallAt)
                    .col(Evaluations::Id)
                    .to_owned(),
            )
            .await?;
        // A team's month (team views, per-parameter fail rates).
        manager
            .create_index(
                Index::create()
                    .name("idx_evaluations_team_call")
                    .table(Evaluations::Table)
                    .col(Evaluations::TeamId)
                    .col(Evaluations::CallAt)
                    .col(Evaluations::Id)
                    .to_owned(),
            )
            .await?;
        // A QCO's own sheets (drafts to finish).
        manager
            .create_index(
                Index::create()
                    .name("idx_evaluations_qco_call")
                    .table(Evaluations::Table)
                    .col(Evaluations::QcoId)
                    .col(Evaluations::CallAt)
                    .col(Evaluations::Id)
                    .to_owned(),
            )
            .await?;
        // Everyone's sheets by call time, and the dispute queue.
        manager
            .create_index(
                Index::create()
                    .name("idx_evaluations_call")
                    .table(Evaluations::Table)
                    .col(Evaluations::CallAt)
                    .col(Evaluations::Id)
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_evaluations_status")
                    .table(Evaluations::Table)
                    .col(Evaluations::Status)
                    .col(Evaluations::Id)
                    .to_owned(),
            )
            .await?;
        // One sheet per participant per calibration session (NULLs never collide).
        manager
            .create_index(
                Index::create()
                    .name("uq_evaluations_calibration_qco")
                    .table(Evaluations::Table)
                    .col(Evaluations::CalibrationId)
                    .col(Evaluations::QcoId)
                    .unique()
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(EvaluationAnswers::Table)
                    .col(big_integer(EvaluationAnswers::EvaluationId))
                    .col(string_len(EvaluationAnswers::ParameterKey, 40))
                    .col(string_len(EvaluationAnswers::Value, 4))
                    .col(text_null(EvaluationAnswers::Comment))
                    .col(string_len_null(EvaluationAnswers::Moment, 8))
                    .primary_key(
                        Index::create().col(EvaluationAnswers::EvaluationId).col(EvaluationAnswers::ParameterKey),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(EvaluationAnswers::Table, EvaluationAnswers::EvaluationId)
                            .to(Evaluations::Table, Evaluations::Id),
                    )
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(EvaluationAmendments::Table)
                    .col(big_pk_auto(EvaluationAmendments::Id))
                    .col(big_integer(EvaluationAmendments::EvaluationId))
                    .col(text(EvaluationAmendments::OldAnswers))
                    .col(double(EvaluationAmendments::OldScore))
                    .col(boolean(EvaluationAmendments::OldFatal))
                    .col(text_null(EvaluationAmendments::Comment))
                    .col(integer(EvaluationAmendments::AmendedBy))
                    .col(timestamp_with_time_zone(EvaluationAmendments::AmendedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(EvaluationAmendments::Table, EvaluationAmendments::EvaluationId)
                            .to(Evaluations::Table, Evaluations::Id),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(EvaluationAmendments::Table, EvaluationAmendments::AmendedBy)
                            .to(Users::Table, Users::Id),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_evaluation_amendments_evaluation")
                    .table(EvaluationAmendments::Table)
                    .col(EvaluationAmendments::EvaluationId)
                    .to_owned(),
            )
            .await?;
        // Per team, site day of the call and parameter: how many submitted (non-calibration)
        // sheets passed, failed or marked it N/A; the row `#sheets` counts the sheets in
        // `passed`. Kept in the transaction of every submission and amendment, so a team's
        // month of fail rates reads a few hundred rows instead of joining its answers.
        manager
            .create_table(
                Table::create()
                    .table(EvaluationDayStats::Table)
                    .col(integer(EvaluationDayStats::TeamId))
                    .col(string_len(EvaluationDayStats::Day, 10))
                    .col(string_len(EvaluationDayStats::ParameterKey, 40))
                    .col(big_integer(EvaluationDayStats::Passed).default(0))
                    .col(big_integer(EvaluationDayStats::Failed).default(0))
                    .col(big_integer(EvaluationDayStats::Na).default(0))
                    .primary_key(
                        Index::create()
                            .col(EvaluationDayStats::TeamId)
                            .col(EvaluationDayStats::Day)
                            .col(EvaluationDayStats::ParameterKey),
                    )
                    .to_owned(),
            )
            .await?;
        Ok(())
    }
}
