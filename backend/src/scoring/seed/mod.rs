//! Demo data of this part for `mutu serve --demo` (idempotent): the example F-18 form
//! `F18-CT0-PRANPC` v1, about forty sheets over the last eight weeks in every state (one
//! dispute amended), a closed and an open calibration session, a few sampled calls, and before
//! the eight weeks a year of closed sheets (some thirty a month) with a few past retention
//! ([`history`]).
//!
//! Split by what each part holds: the form as data ([`form`]), the writers of single sheets
//! ([`sheets`]), the year of history written in bulk ([`history`]), and here the loader that
//! puts the whole picture together.

mod form;
mod history;
mod sheets;

pub use form::{DEMO_FORM_CODE, demo_sections};

use crate::db::now;
use crate::state::AppState;
use chrono::Duration;
use domain::cases::{Bucket, Service};
use domain::scoring::{self as rules, CalibrationStatus, EvaluationStatus, FormStatus};
use entity::{calibration_participants, calibration_sessions, documents, sampling_assignments, scoring_forms, users};
use form::DEMO_FORM_TITLE;
use sea_orm::{ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter};
use sheets::{Rng, Sheet, demo_answers, insert_sheet, resolve_sheet};
use std::collections::HashMap;

pub async fn load(state: &AppState) -> anyhow::Result<()> {
    let db = &state.db.conn;
    if scoring_forms::Entity::find().filter(scoring_forms::Column::Code.eq(DEMO_FORM_CODE)).one(db).await?.is_some() {
        return Ok(());
    }
    let people: HashMap<String, users::Model> = users::Entity::find()
        .filter(users::Column::Username.is_in(["qrd", "qco1", "qco2", "agent1", "agent2", "agent3"]))
        .all(db)
        .await?
        .into_iter()
        .map(|u| (u.username.clone(), u))
        .collect();
    let (Some(qrd), Some(qco1), Some(qco2), Some(agent1), Some(agent2), Some(agent3)) = (
        people.get("qrd"),
        people.get("qco1"),
        people.get("qco2"),
        people.get("agent1"),
        people.get("agent2"),
        people.get("agent3"),
    ) else {
        return Ok(());
    };
    let retention = documents::Entity::find()
        .filter(documents::Column::Code.eq(rules::F18_CODE))
        .one(db)
        .await?
        .and_then(|d| d.retention_months)
        .unwrap_or(crate::scoring::forms::DEFAULT_RETENTION_MONTHS);
    let draft = form::demo_form();
    let sections = draft.sections.clone();
    rules::validate_form(&draft).map_err(|e| anyhow::anyhow!("the demo form is invalid: {e:?}"))?;

    let txn = state.db.write().await.map_err(|e| anyhow::anyhow!("{e}"))?;
    let at = now();
    let start = at - Duration::weeks(8);
    let form_id = scoring_forms::Entity::insert(scoring_forms::ActiveModel {
        code: Set(DEMO_FORM_CODE.into()),
        version: Set(1),
        title: Set(DEMO_FORM_TITLE.into()),
        status: Set(FormStatus::Published),
        document_code: Set(rules::F18_CODE.into()),
        retention_months: Set(retention),
        sections: Set(serde_json::to_string(&sections)?),
        created_by: Set(Some(qrd.id)),
        // Published before the oldest sheet of the history, which is pinned to it.
        created_at: Set(at - Duration::days(history::AGED_DAYS_AGO + 10)),
        published_at: Set(Some(at - Duration::days(history::AGED_DAYS_AGO + 9))),
        row_version: Set(2),
        ..Default::default()
    })
    .exec(&*txn)
    .await?
    .last_insert_id;
    let form =
        scoring_forms::Entity::find_by_id(form_id).one(&*txn).await?.ok_or_else(|| anyhow::anyhow!("form missing"))?;

    // Forty sheets, oldest first, spread over eight weeks on working hours (WIB).
    let agents = [agent1, agent2, agent3];
    let qcos = [qco1, qco2];
    let mut rng = Rng(0x05EE_DF18);
    let count = 40;
    let mut ids = Vec::new();
    for i in 0..count {
        let agent = agents[i % 3];
        let qco = qcos[(i / 3) % 2];
        let day = start + Duration::hours((i as i64) * 8 * 7 * 24 / count as i64);
        let call_at = day
            .date_naive()
            .and_hms_opt(2 + (rng.next() % 7) as u32, (rng.next() % 60) as u32, 0)
            .expect("valid time")
            .and_utc();
        let (service, bucket) = match agent.username.as_str() {
            "agent1" => (Service::Ct0, Bucket::N2),
            _ => (Service::Pranpc, if i % 2 == 0 { Bucket::N } else { Bucket::N1 }),
        };
        let status = match count - i {
            1..=2 => EvaluationStatus::Draft,
            3..=9 => EvaluationStatus::Submitted,
            10..=12 => EvaluationStatus::Disputed,
            13..=14 => EvaluationStatus::Resolved,
            _ => EvaluationStatus::Acknowledged,
        };
        let fatal = match i {
            7 => Some("fatal_salah_nominal"),
            22 => Some("fatal_tagihan_tidak_terverifikasi"),
            _ => None,
        };
        let answers = demo_answers(&sections, &mut rng, 15, fatal);
        let answers = if status == EvaluationStatus::Draft { answers.into_iter().take(9).collect() } else { answers };
        let id = insert_sheet(
            &txn,
            Sheet {
                form: &form,
                agent,
                qco,
                call_ref: format!("MYCX-{}-{:04}", call_at.format("%y%m%d"), 100 + i),
                call_at,
                service,
                bucket,
                answers,
                status,
                calibration_id: None,
                comment: Some(if fatal.is_some() {
                    "Temuan fatal; dibahas dengan TL."
                } else {
                    "Secara umum baik, perhatikan catatan per parameter."
                }),
            },
        )
        .await?;
        ids.push((id, status));
    }
    let resolved: Vec<i64> = ids.iter().filter(|(_, s)| *s == EvaluationStatus::Resolved).map(|(id, _)| *id).collect();
    for (n, id) in resolved.iter().enumerate() {
        resolve_sheet(&txn, *id, &form, qrd, n == 0).await?;
    }

    // Calibration: one closed session scored by both QCOs, one open with one sheet so far.
    for (title, agent, days_ago, closed) in [
        ("Kalibrasi mingguan: konfirmasi janji bayar PRANPC", agent2, 12, true),
        ("Kalibrasi: verifikasi identitas CT-0", agent1, 2, false),
    ] {
        let call_at = (at - Duration::days(days_ago)).date_naive().and_hms_opt(3, 15, 0).expect("valid time").and_utc();
        let id = calibration_sessions::Entity::insert(calibration_sessions::ActiveModel {
            title: Set(title.into()),
            form_id: Set(form.id),
            call_ref: Set(format!("MYCX-{}-KAL", call_at.format("%y%m%d"))),
            call_at: Set(call_at),
            agent_id: Set(agent.id),
            service: Set(if agent.username == "agent1" { Service::Ct0 } else { Service::Pranpc }),
            bucket: Set(if agent.username == "agent1" { Bucket::N2 } else { Bucket::N1 }),
            recording_ref: Set(Some(format!("eyebeam://rec/{}-kal", call_at.format("%Y%m%d")))),
            status: Set(if closed { CalibrationStatus::Closed } else { CalibrationStatus::Open }),
            created_by: Set(qrd.id),
            created_at: Set(call_at + Duration::hours(4)),
            closed_at: Set(closed.then(|| call_at + Duration::days(2))),
            ..Default::default()
        })
        .exec(&*txn)
        .await?
        .last_insert_id;
        calibration_participants::Entity::insert_many(
            [qco1, qco2]
                .iter()
                .map(|q| calibration_participants::ActiveModel { session_id: Set(id), qco_id: Set(q.id) }),
        )
        .exec_without_returning(&*txn)
        .await?;
        let scorers: &[&users::Model] = if closed { &[qco1, qco2] } else { &[qco1] };
        for qco in scorers {
            let answers = demo_answers(&sections, &mut rng, 20, None);
            insert_sheet(
                &txn,
                Sheet {
                    form: &form,
                    agent,
                    qco,
                    call_ref: format!("MYCX-{}-KAL", call_at.format("%y%m%d")),
                    call_at,
                    service: if agent.username == "agent1" { Service::Ct0 } else { Service::Pranpc },
                    bucket: if agent.username == "agent1" { Bucket::N2 } else { Bucket::N1 },
                    answers,
                    status: EvaluationStatus::Submitted,
                    calibration_id: Some(id),
                    comment: None,
                },
            )
            .await?;
        }
    }

    // A few sampled calls waiting in the QCOs' queues.
    let batch = uuid::Uuid::new_v4().to_string();
    let period_from = (at - Duration::days(7)).format("%Y-%m-%d").to_string();
    let period_to = at.format("%Y-%m-%d").to_string();
    for (n, agent) in agents.iter().enumerate() {
        for k in 0..2 {
            let call_at = (at - Duration::days(1 + k as i64 + n as i64))
                .date_naive()
                .and_hms_opt(4, 10 * (k as u32 + 1), 0)
                .expect("valid time")
                .and_utc();
            sampling_assignments::Entity::insert(sampling_assignments::ActiveModel {
                batch_id: Set(batch.clone()),
                qco_id: Set(qcos[(n * 2 + k) % 2].id),
                agent_id: Set(agent.id),
                case_id: Set(None),
                call_ref: Set(format!("MYCX-{}-S{}{}", call_at.format("%y%m%d"), n, k)),
                call_at: Set(call_at),
                service: Set(Some(if agent.username == "agent1" { Service::Ct0 } else { Service::Pranpc })),
                bucket: Set(Some(Bucket::N1)),
                recording_ref: Set(Some(format!("eyebeam://rec/{}-s{}{}", call_at.format("%Y%m%d"), n, k))),
                period_from: Set(period_from.clone()),
                period_to: Set(period_to.clone()),
                status: Set(rules::AssignmentStatus::Pending),
                evaluation_id: Set(None),
                created_by: Set(qrd.id),
                created_at: Set(at),
                ..Default::default()
            })
            .exec_without_returning(&*txn)
            .await?;
        }
    }

    // The year before the eight weeks, written in bulk after the recent rows (whose ids the
    // tests and the screenshots know), and counted by the roll-ups rebuilt just below.
    let cast = history::Cast { coordinator: qrd, qcos: [qco1, qco2], agents: [agent1, agent2, agent3] };
    history::insert(&txn, state, &form, &cast, at, start).await?;

    crate::scoring::stats::rebuild(&*txn, state.config.offset()).await.map_err(|e| anyhow::anyhow!("{e}"))?;
    // The sheets went in directly: the overview's roll-up is recomputed with them.
    crate::dashboards::rollup::rebuild(&*txn, state.config.offset()).await.map_err(|e| anyhow::anyhow!("{e}"))?;
    // No audit entry of its own: the tests of the audit trail count the demo's entries
    // (`demo.loaded`, `document.imported`), and demo rows are not anybody's change.
    txn.commit().await.map_err(|e| anyhow::anyhow!("{e}"))?;
    Ok(())
}
