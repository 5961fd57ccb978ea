//! A year of F-18 history before the demo's eight recent weeks, so every chart of the dashboards
//! (issue 13) has a shape to show: some thirty sheets a month from the first day of the month a
//! year before this one, all closed (acknowledged, a few disputed and resolved), and a handful
//! of sheets old enough to be past retention today (issue 15's due list).
//!
//! The shape is made on purpose: Tim 1 improves over the year while Tim 2 stays flat and slips
//! a little; [`OFTEN_FAILED`] fails about a third of the time (more in Tim 2); a fatal item fails
//! on a few sheets; and qco2 is the lenient officer, failing fewer parameters than qco1, so the
//! two officers' averages differ by several points.
//!
//! Rows go in directly and in bulk (multi-row inserts in the loader's transaction, no audit
//! entries): every demo load of every API test pays for them, so they must cost well under a
//! second. Each column holds what the API would have written: the score from
//! `domain::scoring::score`, the version after each step, and retention fixed at submission and
//! counted from the closing (`crate::records::retention`).

use super::sheets::{Rng, answers_by};
use crate::records::retention::retain_until;
use crate::site_time::{local_to_utc, site_date};
use crate::state::AppState;
use chrono::{DateTime, Datelike, Duration, NaiveDate, Utc};
use domain::cases::{Bucket, Service};
use domain::dates::Date;
use domain::records::counts_from;
use domain::scoring::{self as rules, Answer, AnswerValue, DisputeDecision, EvaluationStatus, FormSection};
use entity::{evaluation_amendments, evaluation_answers, evaluations, scoring_forms, users};
use sea_orm::{ActiveValue::Set, ColumnTrait, DatabaseTransaction, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use std::collections::HashMap;

/// The parameter the demo's agents fail most often: confirming the promise's date and amount
/// again before the call ends, the step an agent in a hurry skips.
pub const OFTEN_FAILED: &str = "konfirmasi_janji";

/// How many days before today the sheets past retention were called: some 26 months, so that
/// with the default 24 months from the acknowledgement they fell due two months ago.
pub(super) const AGED_DAYS_AGO: i64 = 800;

/// The sheets past retention, a week apart.
const AGED_SHEETS: i64 = 4;

/// Rows per multi-row insert: well under SQLite's and PostgreSQL's limits on bound values.
const CHUNK: usize = 500;

/// Who appears on the history's sheets.
pub(super) struct Cast<'a> {
    pub(super) coordinator: &'a users::Model,
    /// qco1, then qco2 (the lenient one).
    pub(super) qcos: [&'a users::Model; 2],
    /// agent1 (Tim 1, CT-0), agent2 (Tim 1, PRANPC), agent3 (Tim 2, PRANPC).
    pub(super) agents: [&'a users::Model; 3],
}

/// True with the given chance (in percent, fractions allowed).
fn chance(rng: &mut Rng, percent: f64) -> bool {
    ((rng.next() % 10_000) as f64) < percent * 100.0
}

/// A site-local wall time on `day` as an instant.
fn at_local(state: &AppState, day: Date, hour: u32, minute: u32) -> DateTime<Utc> {
    let naive = NaiveDate::from_ymd_opt(day.year, day.month, day.day)
        .and_then(|d| d.and_hms_opt(hour, minute, 0))
        .expect("a calendar day and a valid time");
    local_to_utc(state, naive)
}

/// What makes one sheet's answers: its team's year so far (0 at the start, 1 at the end), the
/// officer, whether the call was in bucket N (no consequences to explain then).
struct Mood {
    tim2: bool,
    lenient: bool,
    progress: f64,
    bucket_n: bool,
}

impl Mood {
    /// The chance (percent) that an ordinary parameter fails: Tim 1 from 2.2 times the base
    /// down to 1.3 times over the year, Tim 2 from 1.3 up to 1.6 times; qco2's base is lower.
    /// Both teams end the year near the recent weeks' sheets (15 % of fails on every
    /// parameter), so the trend runs into them without a step: Tim 1 from an average of about
    /// 71 up to 81, Tim 2 from 81 down to 77.
    fn ordinary(&self) -> f64 {
        let base = if self.lenient { 6.0 } else { 12.5 };
        let trend = if self.tim2 { 1.3 + 0.3 * self.progress } else { 2.2 - 0.9 * self.progress };
        base * trend
    }

    /// The chance (percent) that [`OFTEN_FAILED`] fails: qco1 finds it in nearly half of Tim 1's
    /// early calls and a quarter of its late ones, and in half or more of Tim 2's; qco2 in 65 %
    /// as many.
    fn often(&self) -> f64 {
        let strict = if self.tim2 { 50.0 + 10.0 * self.progress } else { 48.0 - 22.0 * self.progress };
        if self.lenient { strict * 0.65 } else { strict }
    }

    /// The chance (percent) of a fatal finding: rare, and rarer with the lenient officer.
    fn fatal(&self) -> f64 {
        if self.lenient { 2.0 } else { 4.0 }
    }
}

/// One sheet's answers in the form's order.
fn answers(sections: &[FormSection], rng: &mut Rng, mood: &Mood) -> Vec<Answer> {
    let fatal_keys: Vec<&str> = rules::parameters(sections).filter(|p| p.fatal).map(|p| p.key.as_str()).collect();
    let fatal = (!fatal_keys.is_empty() && chance(rng, mood.fatal()))
        .then(|| fatal_keys[(rng.next() % fatal_keys.len() as u64) as usize]);
    answers_by(
        sections,
        rng,
        fatal,
        |rng, p| (p.key == "info_konsekuensi" && mood.bucket_n) || chance(rng, 12.0),
        |rng, p| chance(rng, if p.key == OFTEN_FAILED { mood.often() } else { mood.ordinary() }),
    )
}

/// What an amendment keeps: the answers the QCO gave, the score and the fatal flag they made,
/// the coordinator's comment and the time.
type Amended = (Vec<Answer>, f64, bool, &'static str, DateTime<Utc>);

/// A sheet of the history before it is written.
struct Planned {
    row: evaluations::ActiveModel,
    call_ref: String,
    answers: Vec<Answer>,
    /// For a dispute amended, what the amendment keeps.
    amended: Option<Amended>,
}

/// Plans one sheet of `agent` scored by `qco` on `call_at`; `dispute` makes it disputed and
/// resolved (`Some(true)` amended, `Some(false)` upheld) instead of acknowledged.
#[allow(clippy::too_many_arguments)]
fn plan(
    state: &AppState,
    form: &scoring_forms::Model,
    sections: &[FormSection],
    cast: &Cast<'_>,
    (agent, qco): (usize, usize),
    call_at: DateTime<Utc>,
    call_ref: String,
    rng: &mut Rng,
    progress: f64,
    dispute: Option<bool>,
) -> Planned {
    let who = cast.agents[agent];
    let (service, bucket) = match agent {
        0 => (Service::Ct0, Bucket::N2),
        _ => (Service::Pranpc, if rng.next().is_multiple_of(2) { Bucket::N } else { Bucket::N1 }),
    };
    let mood = Mood { tim2: agent == 2, lenient: qco == 1, progress, bucket_n: bucket == Bucket::N };
    let given = answers(sections, rng, &mood);
    let first = rules::score(sections, &given);
    let submitted_at = call_at + Duration::hours(18 + (rng.next() % 8) as i64);
    let months = form.retention_months;
    let mut row = evaluations::ActiveModel {
        form_id: Set(form.id),
        agent_id: Set(who.id),
        qco_id: Set(cast.qcos[qco].id),
        team_id: Set(who.team_id),
        call_ref: Set(call_ref.clone()),
        call_at: Set(call_at),
        service: Set(service),
        bucket: Set(bucket),
        recording_ref: Set(Some(format!("eyebeam://rec/{}", call_at.format("%Y%m%d-%H%M%S")))),
        comment: Set(Some(
            if first.fatal {
                "Temuan fatal; dibahas dengan TL."
            } else if first.score < 80.0 {
                "Beberapa parameter terlewat; perlu coaching bersama TL."
            } else {
                "Secara umum baik, perhatikan catatan per parameter."
            }
            .to_owned(),
        )),
        score: Set(first.score),
        fatal: Set(first.fatal),
        created_at: Set(call_at + Duration::hours(2)),
        submitted_at: Set(Some(submitted_at)),
        retention_months: Set(Some(months)),
        calibration_id: Set(None),
        assignment_id: Set(None),
        ..Default::default()
    };
    let mut final_answers = given.clone();
    let mut amended = None;
    match dispute {
        None => {
            // Acknowledged by the agent within two days: version 2, retention counts from it.
            let acknowledged_at = submitted_at + Duration::hours(3 + (rng.next() % 40) as i64);
            row.status = Set(EvaluationStatus::Acknowledged);
            row.updated_at = Set(acknowledged_at);
            row.acknowledged_at = Set(Some(acknowledged_at));
            row.retain_until = Set(Some(retain_until(state, acknowledged_at, months)));
            row.retention_from = Set(Some(counts_from::ACKNOWLEDGED.to_owned()));
            row.version = Set(2);
            row.dispute_reason = Set(None);
            row.disputed_at = Set(None);
            row.resolution_decision = Set(None);
            row.resolution_comment = Set(None);
            row.resolved_by = Set(None);
            row.resolved_at = Set(None);
        }
        Some(amend) => {
            // Disputed (version 2), then resolved by the coordinator (version 3); an amendment
            // turns the first failed answer into a pass and keeps the QCO's answers.
            let disputed_at = submitted_at + Duration::hours(6);
            let resolved_at = disputed_at + Duration::hours(20 + (rng.next() % 30) as i64);
            let comment = if amend {
                "Setelah didengar ulang, temuan tidak terbukti. Nilai dikoreksi."
            } else {
                "Rekaman sudah didengar ulang; penilaian QCO sesuai standar."
            };
            if amend && let Some(i) = final_answers.iter().position(|a| a.value == AnswerValue::Fail) {
                final_answers[i] = Answer { value: AnswerValue::Pass, comment: None, moment: None, ..given[i].clone() };
                let new = rules::score(sections, &final_answers);
                row.score = Set(new.score);
                row.fatal = Set(new.fatal);
                amended = Some((given, first.score, first.fatal, comment, resolved_at));
            }
            row.status = Set(EvaluationStatus::Resolved);
            row.updated_at = Set(resolved_at);
            row.acknowledged_at = Set(None);
            row.retain_until = Set(Some(retain_until(state, resolved_at, months)));
            row.retention_from = Set(Some(counts_from::RESOLVED.to_owned()));
            row.version = Set(3);
            row.dispute_reason = Set(Some(
                "Menurut saya konfirmasi janji bayar sudah saya sampaikan, mohon rekaman didengar ulang.".to_owned(),
            ));
            row.disputed_at = Set(Some(disputed_at));
            row.resolution_decision =
                Set(Some(if amended.is_some() { DisputeDecision::Amend } else { DisputeDecision::Uphold }));
            row.resolution_comment = Set(Some(comment.to_owned()));
            row.resolved_by = Set(Some(cast.coordinator.id));
            row.resolved_at = Set(Some(resolved_at));
        }
    }
    Planned { row, call_ref, answers: final_answers, amended }
}

/// Inserts the history of every call day before `until` (the first call of the recent weeks),
/// with the sheets past retention; the loader rebuilds the roll-ups afterwards.
pub(super) async fn insert(
    txn: &DatabaseTransaction,
    state: &AppState,
    form: &scoring_forms::Model,
    cast: &Cast<'_>,
    now: DateTime<Utc>,
    until: DateTime<Utc>,
) -> anyhow::Result<()> {
    let sections: Vec<FormSection> = serde_json::from_str(&form.sections)?;
    let today = site_date(state, now);
    let first = Date { year: today.year - 1, month: today.month, day: 1 };
    // The recent sheets begin on the UTC day of `until` (their calls are in working hours, so
    // it is also their site day): the history ends the day before.
    let until_day = until.date_naive();
    let last = Date { year: until_day.year(), month: until_day.month(), day: until_day.day() }.add_days(-1);
    let span = (last.to_days() - first.to_days()).max(1) as f64;
    let mut rng = Rng(0x1157_0F18);
    let mut planned = Vec::new();

    // The sheets past retention first (oldest), acknowledged like the rest.
    for k in 0..AGED_SHEETS {
        let mut day = today.add_days(k * 7 - AGED_DAYS_AGO);
        while !day.is_working_day() {
            day = day.add_days(1);
        }
        let call_at = at_local(state, day, 10, 5 + 9 * k as u32);
        let call_ref = format!("MYCX-{}-{:04}", call_at.format("%y%m%d"), 9000 + k);
        planned.push(plan(
            state,
            form,
            &sections,
            cast,
            (k as usize % 3, k as usize % 2),
            call_at,
            call_ref,
            &mut rng,
            0.0,
            None,
        ));
    }

    // One or two sheets on every working day.
    let mut day = first;
    let mut n = 0;
    while day <= last {
        if day.is_working_day() {
            let progress = (day.to_days() - first.to_days()) as f64 / span;
            let count = if chance(&mut rng, 40.0) { 2 } else { 1 };
            for _ in 0..count {
                // The agents in turn (each team's share steady month after month), the officer
                // drawn at random.
                let agent = (n % 3) as usize;
                let qco = (rng.next() % 2) as usize;
                let call_at = at_local(state, day, 8 + (rng.next() % 9) as u32, (rng.next() % 60) as u32);
                let call_ref = format!("MYCX-{}-{:04}", call_at.format("%y%m%d"), 5000 + n);
                // One sheet in sixteen disputed; a third of the disputes amended.
                let dispute = chance(&mut rng, 6.25).then(|| rng.next().is_multiple_of(3));
                planned.push(plan(
                    state,
                    form,
                    &sections,
                    cast,
                    (agent, qco),
                    call_at,
                    call_ref,
                    &mut rng,
                    progress,
                    dispute,
                ));
                n += 1;
            }
        }
        day = day.add_days(1);
    }

    // The sheets in bulk, then their ids back by call reference (unique in the history) for the
    // answers and the amendments.
    let before = evaluations::Entity::find().order_by_desc(evaluations::Column::Id).one(txn).await?.map_or(0, |e| e.id);
    let mut rows = Vec::with_capacity(planned.len());
    let mut rest = Vec::with_capacity(planned.len());
    for p in planned {
        rows.push(p.row);
        rest.push((p.call_ref, p.answers, p.amended));
    }
    let mut rows = rows.into_iter().peekable();
    while rows.peek().is_some() {
        let chunk: Vec<_> = rows.by_ref().take(CHUNK).collect();
        evaluations::Entity::insert_many(chunk).exec_without_returning(txn).await?;
    }
    let ids: HashMap<String, i64> = evaluations::Entity::find()
        .select_only()
        .column(evaluations::Column::CallRef)
        .column(evaluations::Column::Id)
        .filter(evaluations::Column::Id.gt(before))
        .into_tuple::<(String, i64)>()
        .all(txn)
        .await?
        .into_iter()
        .collect();

    let mut answer_rows = Vec::new();
    let mut amendments = Vec::new();
    for (call_ref, answers, amended) in rest {
        let id = *ids.get(&call_ref).ok_or_else(|| anyhow::anyhow!("history sheet {call_ref} missing"))?;
        answer_rows.extend(answers.into_iter().map(|a| evaluation_answers::ActiveModel {
            evaluation_id: Set(id),
            parameter_key: Set(a.parameter),
            value: Set(a.value),
            comment: Set(a.comment),
            moment: Set(a.moment),
        }));
        if let Some((old, old_score, old_fatal, comment, at)) = amended {
            amendments.push(evaluation_amendments::ActiveModel {
                evaluation_id: Set(id),
                old_answers: Set(serde_json::to_string(&old)?),
                old_score: Set(old_score),
                old_fatal: Set(old_fatal),
                comment: Set(Some(comment.to_owned())),
                amended_by: Set(cast.coordinator.id),
                amended_at: Set(at),
                ..Default::default()
            });
        }
    }
    let mut answer_rows = answer_rows.into_iter().peekable();
    while answer_rows.peek().is_some() {
        let chunk: Vec<_> = answer_rows.by_ref().take(CHUNK * 2).collect();
        evaluation_answers::Entity::insert_many(chunk).exec_without_returning(txn).await?;
    }
    if !amendments.is_empty() {
        evaluation_amendments::Entity::insert_many(amendments).exec_without_returning(txn).await?;
    }
    Ok(())
}
