//! Writers of demo sheets: a deterministic generator, plausible answers, one sheet in a given
//! state (answers, score and retention as the API would store them) and a dispute's resolution.
//! Rows are written directly, without audit entries (see [`super::load`]).

use crate::db::now;
use crate::scoring::evaluations::answers::insert_answers;
use chrono::{DateTime, Datelike, Duration, Utc};
use domain::cases::{Bucket, Service};
use domain::scoring::{self as rules, Answer, AnswerValue, DisputeDecision, EvaluationStatus, FormSection};
use entity::{evaluation_amendments, evaluation_answers, evaluations, scoring_forms, users};
use sea_orm::{ActiveValue::Set, ColumnTrait, DatabaseTransaction, EntityTrait, QueryFilter};

/// A small deterministic generator, so the demo is the same on every load.
pub(super) struct Rng(pub(super) u64);
impl Rng {
    pub(super) fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn percent(&mut self) -> u64 {
        self.next() % 100
    }
}

pub(super) const FAIL_COMMENTS: &[&str] = &[
    "Tidak dilakukan sesuai standar.",
    "Disampaikan terlalu cepat, pelanggan meminta diulang.",
    "Terlewat; pelanggan tidak mendapat informasi ini.",
    "Kurang jelas, perlu latihan bersama TL.",
];

/// Answers for a demo sheet: mostly passes, some fails with comment and moment, N/A where
/// allowed now and then; `fatal` fails one fatal item.
pub(super) fn demo_answers(
    sections: &[FormSection],
    rng: &mut Rng,
    fail_percent: u64,
    fatal: Option<&str>,
) -> Vec<Answer> {
    answers_by(sections, rng, fatal, |rng, _| rng.percent() < 12, |rng, _| rng.percent() < fail_percent)
}

/// A sheet's answers: the fatal parameter `fatal` failed (every other fatal one passed); each
/// other parameter N/A when it allows it and `na` says so, else failed when `fail` says so, else
/// passed; a failed one with a comment and a moment. `na` and `fail` draw from `rng`, so the
/// recent demo's odds and the history's moods are the same generator.
pub(super) fn answers_by(
    sections: &[FormSection],
    rng: &mut Rng,
    fatal: Option<&str>,
    mut na: impl FnMut(&mut Rng, &rules::FormParameter) -> bool,
    mut fail: impl FnMut(&mut Rng, &rules::FormParameter) -> bool,
) -> Vec<Answer> {
    rules::parameters(sections)
        .map(|p| {
            let value = if p.fatal {
                if fatal == Some(p.key.as_str()) { AnswerValue::Fail } else { AnswerValue::Pass }
            } else if p.allow_na && na(rng, p) {
                AnswerValue::Na
            } else if fail(rng, p) {
                AnswerValue::Fail
            } else {
                AnswerValue::Pass
            };
            let (comment, moment) = if value == AnswerValue::Fail {
                let c = FAIL_COMMENTS[(rng.next() % FAIL_COMMENTS.len() as u64) as usize];
                (Some(c.to_owned()), Some(format!("{:02}:{:02}", rng.next() % 6, rng.next() % 60)))
            } else {
                (None, None)
            };
            Answer { parameter: p.key.clone(), value, comment, moment }
        })
        .collect()
}

fn retain(at: DateTime<Utc>, months: i32) -> String {
    let day = (at + Duration::hours(7)).date_naive();
    rules_date(day.year(), day.month(), day.day(), months)
}

fn rules_date(year: i32, month: u32, day: u32, months: i32) -> String {
    domain::dates::retain_until(domain::dates::Date { year, month, day }, months.max(0) as u32).to_string()
}

/// One demo sheet to insert.
pub(super) struct Sheet<'a> {
    pub(super) form: &'a scoring_forms::Model,
    pub(super) agent: &'a users::Model,
    pub(super) qco: &'a users::Model,
    pub(super) call_ref: String,
    pub(super) call_at: DateTime<Utc>,
    pub(super) service: Service,
    pub(super) bucket: Bucket,
    pub(super) answers: Vec<Answer>,
    pub(super) status: EvaluationStatus,
    pub(super) calibration_id: Option<i32>,
    pub(super) comment: Option<&'static str>,
}

/// Inserts one demo sheet with its answers; returns its id.
pub(super) async fn insert_sheet(txn: &DatabaseTransaction, sheet: Sheet<'_>) -> anyhow::Result<i64> {
    let sections: Vec<FormSection> = serde_json::from_str(&sheet.form.sections)?;
    let score = rules::score(&sections, &sheet.answers);
    let submitted = sheet.status != EvaluationStatus::Draft;
    let submitted_at = sheet.call_at + Duration::hours(20);
    let disputed = matches!(sheet.status, EvaluationStatus::Disputed | EvaluationStatus::Resolved);
    let acknowledged_at = (sheet.status == EvaluationStatus::Acknowledged).then(|| submitted_at + Duration::hours(5));
    let inserted = evaluations::Entity::insert(evaluations::ActiveModel {
        form_id: Set(sheet.form.id),
        agent_id: Set(sheet.agent.id),
        qco_id: Set(sheet.qco.id),
        team_id: Set(sheet.agent.team_id),
        call_ref: Set(sheet.call_ref),
        call_at: Set(sheet.call_at),
        service: Set(sheet.service),
        bucket: Set(sheet.bucket),
        recording_ref: Set(Some(format!("eyebeam://rec/{}", sheet.call_at.format("%Y%m%d-%H%M%S")))),
        comment: Set(sheet.comment.map(str::to_owned)),
        score: Set(score.score),
        fatal: Set(score.fatal),
        status: Set(sheet.status),
        created_at: Set(sheet.call_at + Duration::hours(2)),
        updated_at: Set(if submitted { submitted_at } else { sheet.call_at + Duration::hours(2) }),
        submitted_at: Set(submitted.then_some(submitted_at)),
        acknowledged_at: Set(acknowledged_at),
        // Retention counts from the closing: here, the acknowledgement (issue 15).
        retain_until: Set(acknowledged_at.map(|at| retain(at, sheet.form.retention_months))),
        retention_months: Set(submitted.then_some(sheet.form.retention_months)),
        retention_from: Set(acknowledged_at.map(|_| domain::records::counts_from::ACKNOWLEDGED.to_owned())),
        version: Set(1),
        calibration_id: Set(sheet.calibration_id),
        assignment_id: Set(None),
        dispute_reason: Set(disputed.then(|| {
            "Pelanggan sudah terverifikasi di awal panggilan (menit 00:20), mohon didengar ulang.".to_owned()
        })),
        disputed_at: Set(disputed.then(|| submitted_at + Duration::hours(6))),
        resolution_decision: Set(None),
        resolution_comment: Set(None),
        resolved_by: Set(None),
        resolved_at: Set(None),
        ..Default::default()
    })
    .exec(txn)
    .await?;
    let id = inserted.last_insert_id;
    insert_answers(txn, id, &sheet.answers).await?;
    Ok(id)
}

/// Resolves a demo dispute: upheld, or amended with every failed non-fatal answer turned into a
/// pass (the old answers kept).
pub(super) async fn resolve_sheet(
    txn: &DatabaseTransaction,
    id: i64,
    form: &scoring_forms::Model,
    coordinator: &users::Model,
    amend: bool,
) -> anyhow::Result<()> {
    let model =
        evaluations::Entity::find_by_id(id).one(txn).await?.ok_or_else(|| anyhow::anyhow!("sheet {id} missing"))?;
    let at = model.disputed_at.unwrap_or_else(now) + Duration::hours(20);
    let mut update = evaluations::ActiveModel {
        id: Set(id),
        status: Set(EvaluationStatus::Resolved),
        resolution_decision: Set(Some(if amend { DisputeDecision::Amend } else { DisputeDecision::Uphold })),
        resolution_comment: Set(Some(
            if amend {
                "Setelah didengar ulang, verifikasi sudah dilakukan di awal panggilan. Nilai dikoreksi."
            } else {
                "Rekaman sudah didengar ulang; penilaian QCO sesuai standar."
            }
            .into(),
        )),
        resolved_by: Set(Some(coordinator.id)),
        resolved_at: Set(Some(at)),
        // Closed by the resolution, as the API's resolve dates it (`records::retention`).
        retain_until: Set(Some(retain(at, form.retention_months))),
        retention_months: Set(Some(form.retention_months)),
        retention_from: Set(Some(domain::records::counts_from::RESOLVED.to_owned())),
        updated_at: Set(at),
        version: Set(2),
        ..Default::default()
    };
    if amend {
        let sections: Vec<FormSection> = serde_json::from_str(&form.sections)?;
        let old: Vec<Answer> = evaluation_answers::Entity::find()
            .filter(evaluation_answers::Column::EvaluationId.eq(id))
            .all(txn)
            .await?
            .into_iter()
            .map(|a| Answer { parameter: a.parameter_key, value: a.value, comment: a.comment, moment: a.moment })
            .collect();
        let new: Vec<Answer> = old
            .iter()
            .map(|a| {
                if a.value == AnswerValue::Fail {
                    Answer { value: AnswerValue::Pass, comment: None, moment: None, ..a.clone() }
                } else {
                    a.clone()
                }
            })
            .collect();
        let score = rules::score(&sections, &new);
        evaluation_amendments::Entity::insert(evaluation_amendments::ActiveModel {
            evaluation_id: Set(id),
            old_answers: Set(serde_json::to_string(&old)?),
            old_score: Set(model.score),
            old_fatal: Set(model.fatal),
            comment: Set(Some("Koreksi hasil sanggahan agent.".into())),
            amended_by: Set(coordinator.id),
            amended_at: Set(at),
            ..Default::default()
        })
        .exec_without_returning(txn)
        .await?;
        evaluation_answers::Entity::delete_many()
            .filter(evaluation_answers::Column::EvaluationId.eq(id))
            .exec(txn)
            .await?;
        insert_answers(txn, id, &new).await?;
        update.score = Set(score.score);
        update.fatal = Set(score.fatal);
    }
    evaluations::Entity::update(update).exec(txn).await?;
    Ok(())
}
