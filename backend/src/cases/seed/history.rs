//! A year of F-19 history before the demo's three recent weeks, so the dashboards' trend, the
//! validation charts and the W-03 punctuality have months to show (issue 13): some fifty agree
//! cases a month from the first day of the month a year before this one, every one validated
//! (mostly APPROVED), every RETURN's follow-up closed (some re-cared or verified late, some
//! reopened once); and a handful of agrees old enough to be past retention today (issue 15's due
//! list).
//!
//! Tim 1 returns fewer agrees as the year goes on, Tim 2 a few more; qco2, the lenient officer,
//! returns fewer than qco1. agent1 calls CT-0 bucket N+2, the others PRANPC N and N+1, as in the
//! recent weeks.
//!
//! Rows go in directly and in bulk (multi-row inserts in one transaction, no audit entries): the
//! demo is loaded by every API test, so they must cost well under a second. Each column holds
//! what the import, the validation and the follow-up steps would have written
//! (`crate::cases::service`): the checklist version in force, the register's retention counted
//! from the closing, the deadlines of each round and the late steps counted against them.

use super::{CUSTOMERS, Lcg, REASONS, RECOMMENDATIONS};
use crate::cases::service::{due_at, verify_due_at, version_in_force};
use crate::records::retention::{register_months, retain_until};
use crate::site_time::{local_to_utc, site_date};
use crate::state::AppState;
use chrono::{DateTime, Duration, NaiveDate, Utc};
use domain::cases::{Bucket, CaseStatus, F19_CODE, FollowupStatus, FollowupStepKind, Service, ValidationResult};
use domain::dates::Date;
use domain::records::counts_from;
use entity::{cases, followup_steps, followups, users, validations};
use sea_orm::{ActiveValue::Set, ColumnTrait, DatabaseTransaction, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use std::collections::HashMap;

/// How many days before today the agrees past retention were called: some 26 months, so that
/// with the default 24 months from the closing they fell due two months ago.
const AGED_DAYS_AGO: i64 = 800;

/// The agrees past retention, a few days apart (the last one RETURNed).
const AGED_CASES: i64 = 6;

/// Rows per multi-row insert: well under SQLite's and PostgreSQL's limits on bound values.
const CHUNK: usize = 400;

/// A site-local wall time on `day` as an instant.
fn at_local(state: &AppState, day: Date, hour: u32, minute: u32) -> DateTime<Utc> {
    let naive = NaiveDate::from_ymd_opt(day.year, day.month, day.day)
        .and_then(|d| d.and_hms_opt(hour, minute, 0))
        .expect("a calendar day and a valid time");
    local_to_utc(state, naive)
}

/// How a RETURN's follow-up went.
#[derive(Clone, Copy, PartialEq)]
enum Course {
    /// Re-cared and closed in time.
    InTime,
    /// Re-cared after the agent's due date.
    LateRecare,
    /// Verified after QC's deadline.
    LateVerification,
    /// Reopened once, then re-cared and closed in time.
    Reopened,
}

/// One agree of the history before it is written: the case, who validated it and how.
struct Planned {
    case: cases::ActiveModel,
    recording_ref: String,
    agent: usize,
    qco: usize,
    validated_at: DateTime<Utc>,
    /// `None` for APPROVED; the checklist item failed (0–3) and the course of the follow-up.
    returned: Option<(usize, Course)>,
}

/// A follow-up step before it is written (its follow-up known by the case's recording ref).
struct Step {
    kind: FollowupStepKind,
    actor: &'static str,
    at: DateTime<Utc>,
    note: Option<String>,
    recare: Option<(String, DateTime<Utc>)>,
    due_at: Option<DateTime<Utc>>,
    verify_due_at: Option<DateTime<Utc>>,
}

/// The people by username, the agents first.
struct Cast {
    agents: [users::Model; 3],
    qcos: [users::Model; 2],
    coordinator: users::Model,
}

impl Cast {
    async fn load(txn: &DatabaseTransaction) -> anyhow::Result<Option<Cast>> {
        let mut by_name: HashMap<String, users::Model> = users::Entity::find()
            .filter(users::Column::Username.is_in(["qrd", "qco1", "qco2", "agent1", "agent2", "agent3"]))
            .all(txn)
            .await?
            .into_iter()
            .map(|u| (u.username.clone(), u))
            .collect();
        let mut take = |name: &str| by_name.remove(name);
        let (Some(a1), Some(a2), Some(a3), Some(q1), Some(q2), Some(qrd)) =
            (take("agent1"), take("agent2"), take("agent3"), take("qco1"), take("qco2"), take("qrd"))
        else {
            return Ok(None);
        };
        Ok(Some(Cast { agents: [a1, a2, a3], qcos: [q1, q2], coordinator: qrd }))
    }
}

/// Plans the agree `n` of `agent` called at `call_at`, validated by `qco`.
fn plan(
    cast: &Cast,
    (agent, qco): (usize, usize),
    n: u64,
    call_at: DateTime<Utc>,
    call_day: Date,
    returned: Option<(usize, Course)>,
    rng: &mut Lcg,
) -> Planned {
    let who = &cast.agents[agent];
    let (service, bucket) = match agent {
        0 => (Service::Ct0, Bucket::N2),
        _ => (Service::Pranpc, if rng.next(2) == 0 { Bucket::N } else { Bucket::N1 }),
    };
    let promise = call_day.add_days(1 + rng.next(3) as i64);
    let promise =
        if bucket == Bucket::N { promise.min(Bucket::N.latest_promise(call_day)).max(call_day) } else { promise };
    let recording_ref = format!("EB-{}-H{:04}", call_day.to_string().replace('-', ""), n);
    let case = cases::ActiveModel {
        customer_no: Set(format!("13{:010}", 1_530_000_000 + n * 7)),
        customer_name: Set(CUSTOMERS[(n as usize * 7 + agent) % CUSTOMERS.len()].to_owned()),
        service: Set(service),
        bucket: Set(bucket),
        bill_amount: Set(((70 + rng.next(230)) * 5_000) as i64),
        agent_id: Set(who.id),
        team_id: Set(who.team_id),
        call_at: Set(call_at),
        reason: Set(REASONS[rng.next(REASONS.len() as u64) as usize].to_owned()),
        promise_date: Set(promise.to_string()),
        recording_ref: Set(recording_ref.clone()),
        status: Set(if returned.is_some() { CaseStatus::Returned } else { CaseStatus::Approved }),
        // Imported the morning after the call, by the coordinator, before imports were kept.
        imported_at: Set(call_at + Duration::hours(18)),
        imported_by: Set(Some(cast.coordinator.id)),
        import_id: Set(None),
        ..Default::default()
    };
    let validated_at = call_at + Duration::hours(20 + rng.next(8) as i64);
    Planned { case, recording_ref, agent, qco, validated_at, returned }
}

/// The course of a RETURN: mostly in time, some late on either side, some reopened once.
fn course(rng: &mut Lcg) -> Course {
    match rng.next(100) {
        0..55 => Course::InTime,
        55..70 => Course::LateRecare,
        70..82 => Course::LateVerification,
        _ => Course::Reopened,
    }
}

/// Inserts the history of every call day before `until` (the first day of the recent weeks),
/// with the agrees past retention. The dashboards' roll-up is rebuilt afterwards by the scoring
/// part's loader, which runs after this one.
pub(super) async fn insert(state: &AppState, until: Date) -> anyhow::Result<()> {
    let txn = state.db.write().await.map_err(|e| anyhow::anyhow!("{e}"))?;
    let Some(cast) = Cast::load(&txn).await? else { return Ok(()) };
    let today = site_date(state, crate::db::now());
    let first = Date { year: today.year - 1, month: today.month, day: 1 };
    let last = until.add_days(-1);
    let span = (last.to_days() - first.to_days()).max(1) as f64;
    let mut rng = Lcg(20_251_201);
    let mut planned = Vec::new();
    let mut n = 0u64;

    // The agrees past retention: approved, and the last one returned and closed.
    for k in 0..AGED_CASES {
        let mut day = today.add_days(k * 3 - AGED_DAYS_AGO);
        while !day.is_working_day() {
            day = day.add_days(1);
        }
        let call_at = at_local(state, day, 9 + k as u32, 15);
        let returned = (k == AGED_CASES - 1).then_some((0, Course::InTime));
        planned.push(plan(&cast, (k as usize % 3, k as usize % 2), n, call_at, day, returned, &mut rng));
        n += 1;
    }

    // Two or three agrees on every working day; Tim 1 returns fewer as the year goes on, Tim 2
    // a few more, and qco2 returns fewer than qco1.
    let mut day = first;
    while day <= last {
        if day.is_working_day() {
            let progress = (day.to_days() - first.to_days()) as f64 / span;
            let count = if rng.next(10) < 3 { 3 } else { 2 };
            for _ in 0..count {
                let agent = (n % 3) as usize;
                let qco = rng.next(2) as usize;
                let strict = if agent == 2 { 20.0 + 6.0 * progress } else { 24.0 - 12.0 * progress };
                let percent = if qco == 1 { strict * 0.7 } else { strict };
                let returned =
                    ((rng.next(1000) as f64) < percent * 10.0).then(|| (rng.next(4) as usize, course(&mut rng)));
                let call_at = at_local(state, day, 8 + rng.next(9) as u32, rng.next(60) as u32);
                planned.push(plan(&cast, (agent, qco), n, call_at, day, returned, &mut rng));
                n += 1;
            }
        }
        day = day.add_days(1);
    }

    // The cases, then their ids back by recording reference (unique in the history).
    let before_case = cases::Entity::find().order_by_desc(cases::Column::Id).one(&*txn).await?.map_or(0, |c| c.id);
    let rows: Vec<cases::ActiveModel> = planned.iter().map(|p| p.case.clone()).collect();
    for chunk in rows.chunks(CHUNK) {
        cases::Entity::insert_many(chunk.to_vec()).exec_without_returning(&*txn).await?;
    }
    let case_ids: HashMap<String, i32> = cases::Entity::find()
        .select_only()
        .column(cases::Column::RecordingRef)
        .column(cases::Column::Id)
        .filter(cases::Column::Id.gt(before_case))
        .into_tuple::<(String, i32)>()
        .all(&*txn)
        .await?
        .into_iter()
        .collect();
    let case_of = |p: &Planned| {
        case_ids
            .get(&p.recording_ref)
            .copied()
            .ok_or_else(|| anyhow::anyhow!("history case {} missing", p.recording_ref))
    };

    // The validations, with every RETURN's follow-up worked out round by round.
    let checklist_version = version_in_force(&*txn).await.map_err(|e| anyhow::anyhow!("{e}"))?;
    let months = register_months(&*txn, F19_CODE).await.map_err(|e| anyhow::anyhow!("{e}"))?;
    let mut validation_rows = Vec::with_capacity(planned.len());
    // Per returned case: the follow-up row (without its validation id) and its steps.
    let mut worked: Vec<(i32, followups::ActiveModel, Vec<Step>)> = Vec::new();
    for p in &planned {
        let case_id = case_of(p)?;
        let qco = &cast.qcos[p.qco];
        let mut checklist = [true; 4];
        let (result, recommendation, retain, from) = match p.returned {
            None => {
                (ValidationResult::Approved, None, retain_until(state, p.validated_at, months), counts_from::VALIDATED)
            }
            Some((item, course)) => {
                checklist[item] = false;
                let recommendation = RECOMMENDATIONS[item].to_owned();
                let (row, steps, closed_at) = follow_up(state, p, course, &recommendation, &mut rng);
                worked.push((case_id, row, steps));
                (
                    ValidationResult::Returned,
                    Some(recommendation),
                    retain_until(state, closed_at, months),
                    counts_from::FOLLOWUP_CLOSED,
                )
            }
        };
        validation_rows.push(validations::ActiveModel {
            case_id: Set(case_id),
            result: Set(result),
            identity_verified: Set(checklist[0]),
            amount_and_date_correct: Set(checklist[1]),
            explicit_agreement: Set(checklist[2]),
            reason_matches: Set(checklist[3]),
            recommendation: Set(recommendation),
            qco_id: Set(qco.id),
            validated_at: Set(p.validated_at),
            retain_until: Set(retain),
            evaluation_id: Set(None),
            checklist_version: Set(Some(checklist_version)),
            retention_months: Set(Some(months)),
            retention_from: Set(Some(from.to_owned())),
            ..Default::default()
        });
    }
    let before_validation =
        validations::Entity::find().order_by_desc(validations::Column::Id).one(&*txn).await?.map_or(0, |v| v.id);
    for chunk in validation_rows.chunks(CHUNK) {
        validations::Entity::insert_many(chunk.to_vec()).exec_without_returning(&*txn).await?;
    }
    let validation_ids: HashMap<i32, i32> = validations::Entity::find()
        .select_only()
        .column(validations::Column::CaseId)
        .column(validations::Column::Id)
        .filter(validations::Column::Id.gt(before_validation))
        .into_tuple::<(i32, i32)>()
        .all(&*txn)
        .await?
        .into_iter()
        .collect();

    // The follow-ups, then their steps.
    let before_followup =
        followups::Entity::find().order_by_desc(followups::Column::Id).one(&*txn).await?.map_or(0, |f| f.id);
    let mut followup_rows = Vec::with_capacity(worked.len());
    for (case_id, row, _) in &worked {
        let validation = validation_ids.get(case_id).copied().ok_or_else(|| anyhow::anyhow!("validation missing"))?;
        let mut row = row.clone();
        row.case_id = Set(*case_id);
        row.validation_id = Set(validation);
        followup_rows.push(row);
    }
    for chunk in followup_rows.chunks(CHUNK) {
        followups::Entity::insert_many(chunk.to_vec()).exec_without_returning(&*txn).await?;
    }
    let followup_ids: HashMap<i32, i32> = followups::Entity::find()
        .select_only()
        .column(followups::Column::CaseId)
        .column(followups::Column::Id)
        .filter(followups::Column::Id.gt(before_followup))
        .into_tuple::<(i32, i32)>()
        .all(&*txn)
        .await?
        .into_iter()
        .collect();
    let name_of = |username: &str| -> (Option<i32>, String) {
        cast.agents
            .iter()
            .chain(cast.qcos.iter())
            .find(|u| u.username == username)
            .map_or((None, username.to_owned()), |u| (Some(u.id), u.full_name.clone()))
    };
    let mut step_rows = Vec::new();
    for (case_id, _, steps) in worked {
        let followup = followup_ids.get(&case_id).copied().ok_or_else(|| anyhow::anyhow!("follow-up missing"))?;
        for step in steps {
            let (actor_id, actor_name) = name_of(step.actor);
            let (recare_call_ref, recared_at) = step.recare.map_or((None, None), |(r, t)| (Some(r), Some(t)));
            step_rows.push(followup_steps::ActiveModel {
                followup_id: Set(followup),
                step: Set(step.kind),
                actor_id: Set(actor_id),
                actor_name: Set(actor_name),
                at: Set(step.at),
                note: Set(step.note),
                recare_call_ref: Set(recare_call_ref),
                recared_at: Set(recared_at),
                due_at: Set(step.due_at),
                verify_due_at: Set(step.verify_due_at),
                promise_date: Set(None),
                ..Default::default()
            });
        }
    }
    for chunk in step_rows.chunks(CHUNK) {
        followup_steps::Entity::insert_many(chunk.to_vec()).exec_without_returning(&*txn).await?;
    }
    txn.commit().await.map_err(|e| anyhow::anyhow!("{e}"))?;
    Ok(())
}

/// A RETURN's follow-up from its opening to its closing as the W-03 steps would leave it: the
/// row (case and validation ids still to set), its steps, and the closing time. Lateness is
/// counted the way the steps count it, against the deadline of each round.
fn follow_up(
    state: &AppState,
    p: &Planned,
    course: Course,
    recommendation: &str,
    rng: &mut Lcg,
) -> (followups::ActiveModel, Vec<Step>, DateTime<Utc>) {
    let agent = ["agent1", "agent2", "agent3"][p.agent];
    let qco = ["qco1", "qco2"][p.qco];
    let opened = p.validated_at;
    let mut due = due_at(state, opened);
    let mut steps = vec![Step {
        kind: FollowupStepKind::Opened,
        actor: qco,
        at: opened,
        note: Some(recommendation.to_owned()),
        recare: None,
        due_at: Some(due),
        verify_due_at: None,
    }];
    let (mut late_recares, mut late_verifications) = (0, 0);
    let mut last_comment = None;
    let mut round_start = opened;
    let rounds = if course == Course::Reopened { 2 } else { 1 };
    let mut closed_at = opened;
    for round in 0..rounds {
        let recared = if course == Course::LateRecare {
            due + Duration::hours(4 + rng.next(30) as i64)
        } else {
            round_start + Duration::hours(20 + rng.next(6) as i64)
        };
        if recared > due {
            late_recares += 1;
        }
        let verify_due = verify_due_at(state, recared);
        steps.push(Step {
            kind: FollowupStepKind::Recared,
            actor: agent,
            at: recared,
            note: Some(
                ["Sudah caring ulang; identitas dikonfirmasi", "Sudah caring ulang; pelanggan setuju bayar"]
                    [rng.next(2) as usize]
                    .to_owned(),
            ),
            recare: Some((
                format!("EB-RC-{}-{}", p.recording_ref.trim_start_matches("EB-"), round + 1),
                recared - Duration::minutes(20),
            )),
            due_at: None,
            verify_due_at: Some(verify_due),
        });
        let verified = if course == Course::LateVerification {
            verify_due + Duration::hours(3 + rng.next(20) as i64)
        } else {
            recared + Duration::hours(2 + rng.next(5) as i64)
        };
        if verified > verify_due {
            late_verifications += 1;
        }
        if round + 1 < rounds {
            let comment = "Rekaman caring ulang belum menyebutkan tanggal janji bayar; ulangi.".to_owned();
            due = due_at(state, verified);
            steps.push(Step {
                kind: FollowupStepKind::Reopened,
                actor: qco,
                at: verified,
                note: Some(comment.clone()),
                recare: None,
                due_at: Some(due),
                verify_due_at: None,
            });
            last_comment = Some(comment);
            round_start = verified;
        } else {
            steps.push(Step {
                kind: FollowupStepKind::Closed,
                actor: qco,
                at: verified,
                note: Some("Caring ulang sesuai, ditutup.".to_owned()),
                recare: None,
                due_at: None,
                verify_due_at: None,
            });
            closed_at = verified;
        }
    }
    let row = followups::ActiveModel {
        agent_id: p.case.agent_id.clone(),
        // The agent's team now, as the validation gives it: the same, demo agents never move.
        team_id: p.case.team_id.clone(),
        recommendation: Set(recommendation.to_owned()),
        status: Set(FollowupStatus::Closed),
        opened_at: Set(opened),
        due_at: Set(due),
        closed_at: Set(Some(closed_at)),
        // One more with every step after the opening.
        version: Set(steps.len() as i32),
        last_comment: Set(last_comment),
        updated_at: Set(closed_at),
        verify_due_at: Set(None),
        late_recares: Set(late_recares),
        late_verifications: Set(late_verifications),
        ..Default::default()
    };
    (row, steps, closed_at)
}
