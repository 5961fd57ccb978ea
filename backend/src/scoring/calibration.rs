//! Calibration sessions: the QC coordinator puts one call before chosen QCOs; each scores it
//! blind (`POST /api/evaluations` with `calibration_id`); once every participant has submitted
//! (the session then closes itself) or the coordinator closes it, everyone in it sees all sheets
//! and `domain::scoring::calibration_stats`.

use crate::audit::{self, Actor, Entry};
use crate::auth::AuthUser;
use crate::db::{now, timestamp};
use crate::error::{ApiError, ApiResult};
use crate::paging::{Cut, PageQuery, cut};
use crate::scoring::evaluations::view::{is_participant, views};
use crate::scoring::forms::sections_of;
use crate::scoring::shared::{active_with_role, check_line, published_form, user_names};
use crate::site_time::parse_instant;
use crate::state::AppState;
use domain::api::Page;
use domain::audit::AuditAction;
use domain::problems::{Conflict, Problem};
use domain::scoring::CalibrationFilter;
use domain::scoring::{
    self as rules, Calibration, CalibrationParticipant, CalibrationStatus, CalibrationSummary, EvaluationStatus,
    NewCalibration,
};
use domain::{Action, Role};
use entity::{calibration_participants, calibration_sessions, evaluations, scoring_forms};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseTransaction, EntityTrait, PaginatorTrait, QueryFilter,
    QueryOrder, QuerySelect,
};
use serde_json::json;
use std::collections::{BTreeSet, HashMap};

/// `POST /api/calibrations` (QC coordinator).
pub async fn create(state: &AppState, auth: &AuthUser, body: NewCalibration) -> ApiResult<Calibration> {
    auth.require(Action::ManageScoringForms)?;
    check_line("title", &body.title, 200)?;
    check_line("call_ref", &body.call_ref, 100)?;
    let call_at = parse_instant("call_at", &body.call_at)?;
    let recording_ref = body.recording_ref.as_deref().map(str::trim).filter(|r| !r.is_empty()).map(str::to_owned);
    if let Some(r) = &recording_ref {
        check_line("recording_ref", r, 200)?;
    }
    let qco_ids: BTreeSet<i64> = body.qco_ids.iter().copied().collect();
    if qco_ids.len() < 2 {
        return Err(ApiError::field("qco_ids", Problem::AtLeastTwo));
    }
    let txn = state.db.write().await?;
    let form = published_form(&*txn, body.form_id).await?;
    let agent = active_with_role(&*txn, body.agent_id, Role::Agent)
        .await?
        .ok_or_else(|| ApiError::field("agent_id", Problem::NotAnAgent))?;
    let mut qcos = Vec::new();
    for id in &qco_ids {
        let qco = active_with_role(&*txn, *id, Role::Qco)
            .await?
            .ok_or_else(|| ApiError::field("qco_ids", Problem::NotAQco))?;
        qcos.push(qco.id);
    }
    let inserted = calibration_sessions::Entity::insert(calibration_sessions::ActiveModel {
        title: Set(body.title.trim().to_owned()),
        form_id: Set(form.id),
        call_ref: Set(body.call_ref.trim().to_owned()),
        call_at: Set(call_at),
        agent_id: Set(agent.id),
        service: Set(body.service),
        bucket: Set(body.bucket),
        recording_ref: Set(recording_ref),
        status: Set(CalibrationStatus::Open),
        created_by: Set(auth.id),
        created_at: Set(now()),
        closed_at: Set(None),
        ..Default::default()
    })
    .exec(&*txn)
    .await?;
    let id = inserted.last_insert_id;
    calibration_participants::Entity::insert_many(
        qcos.iter().map(|q| calibration_participants::ActiveModel { session_id: Set(id), qco_id: Set(*q) }),
    )
    .exec_without_returning(&*txn)
    .await?;
    audit::append(
        &txn,
        Entry {
            actor: &auth.actor(),
            action: AuditAction::CalibrationCreated,
            entity: "calibration",
            entity_id: Some(id.to_string()),
            payload: json!({ "title": body.title.trim(), "form_id": form.id, "call_ref": body.call_ref.trim(), "agent_id": agent.id, "qco_ids": qcos }),
        },
    )
    .await?;
    let out = detail_in(&*txn, auth, id).await?;
    txn.commit().await?;
    Ok(out)
}

/// The coordinator sees every session; a QCO those they take part in. Newest first.
pub async fn list(
    state: &AppState,
    auth: &AuthUser,
    filter: &CalibrationFilter,
) -> ApiResult<Page<CalibrationSummary>> {
    let coordinator = auth.may(Action::ManageScoringForms);
    if !coordinator && !auth.may(Action::ScoreCalls) {
        return Err(ApiError::Forbidden);
    }
    let db = &state.db.conn;
    let page = PageQuery::of(filter.limit, filter.cursor.as_ref());
    let limit = page.limit()?;
    let mut query = calibration_sessions::Entity::find().order_by_desc(calibration_sessions::Column::Id);
    if let Some(after) = page.after()? {
        query = query.filter(calibration_sessions::Column::Id.lt(after));
    }
    if let Some(status) = filter.status {
        query = query.filter(calibration_sessions::Column::Status.eq(status));
    }
    if !coordinator {
        let mine: Vec<i32> = calibration_participants::Entity::find()
            .select_only()
            .column(calibration_participants::Column::SessionId)
            .filter(calibration_participants::Column::QcoId.eq(auth.id))
            .into_tuple()
            .all(db)
            .await?;
        query = query.filter(calibration_sessions::Column::Id.is_in(mine));
    }
    let Cut { rows, next_cursor } = cut(query.limit(limit + 1).all(db).await?, limit, |s| i64::from(s.id));
    let ids: Vec<i32> = rows.iter().map(|s| s.id).collect();
    let participants: Vec<(i32, i32)> = calibration_participants::Entity::find()
        .select_only()
        .columns([calibration_participants::Column::SessionId, calibration_participants::Column::QcoId])
        .filter(calibration_participants::Column::SessionId.is_in(ids.clone()))
        .into_tuple()
        .all(db)
        .await?;
    let scored: Vec<Option<i32>> = evaluations::Entity::find()
        .select_only()
        .column(evaluations::Column::CalibrationId)
        .filter(evaluations::Column::CalibrationId.is_in(ids))
        .filter(evaluations::Column::Status.ne(EvaluationStatus::Draft))
        .into_tuple()
        .all(db)
        .await?;
    let agent_ids: Vec<i32> = rows.iter().map(|s| s.agent_id).collect();
    let people = user_names(db, agent_ids).await?;
    let items = rows
        .into_iter()
        .map(|s| CalibrationSummary {
            id: s.id.into(),
            participants: participants.iter().filter(|(sid, _)| *sid == s.id).count() as u32,
            scored: scored.iter().filter(|c| **c == Some(s.id)).count() as u32,
            title: s.title,
            form_id: s.form_id.into(),
            call_ref: s.call_ref,
            call_at: timestamp(s.call_at),
            agent_name: people.get(&s.agent_id).map(|p| p.1.clone()).unwrap_or_default(),
            status: s.status,
            created_at: timestamp(s.created_at),
        })
        .collect();
    Ok(Page { items, next_cursor })
}

pub async fn detail(state: &AppState, auth: &AuthUser, id: i64) -> ApiResult<Calibration> {
    let id = i32::try_from(id).map_err(|_| ApiError::NotFound)?;
    detail_in(&state.db.conn, auth, id).await
}

/// The session as the caller may see it: blind while open (own sheet and who has scored);
/// everything once closed. The coordinator always sees everything.
async fn detail_in(db: &impl ConnectionTrait, auth: &AuthUser, id: i32) -> ApiResult<Calibration> {
    let session = calibration_sessions::Entity::find_by_id(id).one(db).await?.ok_or(ApiError::NotFound)?;
    let coordinator = auth.may(Action::ManageScoringForms);
    let participant = auth.may(Action::ScoreCalls) && is_participant(db, id, auth.id).await?;
    if !coordinator && !participant {
        return Err(ApiError::NotFound);
    }
    let revealed = session.status == CalibrationStatus::Closed;
    let see_all = revealed || coordinator;
    let form = scoring_forms::Entity::find_by_id(session.form_id).one(db).await?.ok_or(ApiError::NotFound)?;
    let qcos: Vec<i32> = calibration_participants::Entity::find()
        .select_only()
        .column(calibration_participants::Column::QcoId)
        .filter(calibration_participants::Column::SessionId.eq(id))
        .order_by_asc(calibration_participants::Column::QcoId)
        .into_tuple()
        .all(db)
        .await?;
    let sheets = evaluations::Entity::find()
        .filter(evaluations::Column::CalibrationId.eq(id))
        .order_by_asc(evaluations::Column::Id)
        .all(db)
        .await?;
    let by_qco: HashMap<i32, &evaluations::Model> = sheets.iter().map(|s| (s.qco_id, s)).collect();
    let people = user_names(db, qcos.iter().copied().chain([session.agent_id]).collect()).await?;
    let participants = qcos
        .iter()
        .map(|q| {
            let sheet = by_qco.get(q);
            CalibrationParticipant {
                qco_id: (*q).into(),
                qco_name: people.get(q).map(|p| p.1.clone()).unwrap_or_default(),
                scored: sheet.is_some_and(|s| s.status != EvaluationStatus::Draft),
                evaluation_id: sheet
                    .filter(|s| s.qco_id == auth.id || (see_all && s.status != EvaluationStatus::Draft))
                    .map(|s| s.id),
            }
        })
        .collect();
    let my_evaluation_id = by_qco.get(&auth.id).map(|s| s.id);
    let shown: Vec<evaluations::Model> = sheets
        .iter()
        .filter(|s| s.qco_id == auth.id || (see_all && s.status != EvaluationStatus::Draft))
        .cloned()
        .collect();
    let shown = views(db, shown).await?;
    let stats = if see_all {
        let submitted: Vec<(i64, Vec<rules::Answer>)> = shown
            .iter()
            .filter(|e| e.status != EvaluationStatus::Draft)
            .map(|e| (e.qco_id, e.answers.clone()))
            .collect();
        Some(rules::calibration_stats(&sections_of(&form), &submitted))
    } else {
        None
    };
    Ok(Calibration {
        id: session.id.into(),
        title: session.title,
        form_id: form.id.into(),
        form_version: form.version,
        call_ref: session.call_ref,
        call_at: timestamp(session.call_at),
        agent_id: session.agent_id.into(),
        agent_name: people.get(&session.agent_id).map(|p| p.1.clone()).unwrap_or_default(),
        service: session.service,
        bucket: session.bucket,
        recording_ref: session.recording_ref,
        status: session.status,
        created_at: timestamp(session.created_at),
        closed_at: session.closed_at.map(timestamp),
        participants,
        revealed,
        my_evaluation_id,
        sheets: shown,
        stats,
    })
}

/// `POST /api/calibrations/{id}/close` (QC coordinator): reveals the sheets and statistics.
pub async fn close(state: &AppState, auth: &AuthUser, id: i64) -> ApiResult<Calibration> {
    auth.require(Action::ManageScoringForms)?;
    let id = i32::try_from(id).map_err(|_| ApiError::NotFound)?;
    let txn = state.db.write().await?;
    calibration_sessions::Entity::find_by_id(id).one(&*txn).await?.ok_or(ApiError::NotFound)?;
    let closed = calibration_sessions::Entity::update_many()
        .col_expr(calibration_sessions::Column::Status, Expr::value(CalibrationStatus::Closed))
        .col_expr(calibration_sessions::Column::ClosedAt, Expr::value(now()))
        .filter(calibration_sessions::Column::Id.eq(id))
        .filter(calibration_sessions::Column::Status.eq(CalibrationStatus::Open))
        .exec(&*txn)
        .await?
        .rows_affected;
    if closed == 0 {
        return Err(ApiError::conflict(Conflict::WrongState, "this calibration session is already closed"));
    }
    audit::append(
        &txn,
        Entry {
            actor: &auth.actor(),
            action: AuditAction::CalibrationClosed,
            entity: "calibration",
            entity_id: Some(id.to_string()),
            payload: json!({ "reason": "closed_by_coordinator" }),
        },
    )
    .await?;
    let out = detail_in(&*txn, auth, id).await?;
    txn.commit().await?;
    Ok(out)
}

/// Closes an open session once every participant has submitted a sheet (in the transaction of
/// the last submission).
pub async fn close_when_all_scored(tx: &crate::db::WriteTx, session_id: i32) -> ApiResult<()> {
    let txn: &DatabaseTransaction = tx;
    let participants = calibration_participants::Entity::find()
        .filter(calibration_participants::Column::SessionId.eq(session_id))
        .count(txn)
        .await?;
    let submitted = evaluations::Entity::find()
        .filter(evaluations::Column::CalibrationId.eq(session_id))
        .filter(evaluations::Column::Status.ne(EvaluationStatus::Draft))
        .count(txn)
        .await?;
    if participants == 0 || submitted < participants {
        return Ok(());
    }
    let closed = calibration_sessions::Entity::update_many()
        .col_expr(calibration_sessions::Column::Status, Expr::value(CalibrationStatus::Closed))
        .col_expr(calibration_sessions::Column::ClosedAt, Expr::value(now()))
        .filter(calibration_sessions::Column::Id.eq(session_id))
        .filter(calibration_sessions::Column::Status.eq(CalibrationStatus::Open))
        .exec(txn)
        .await?
        .rows_affected;
    if closed == 1 {
        audit::append(
            tx,
            Entry {
                actor: &Actor::system(),
                action: AuditAction::CalibrationClosed,
                entity: "calibration",
                entity_id: Some(session_id.to_string()),
                payload: json!({ "reason": "all_scored", "sheets": submitted }),
            },
        )
        .await?;
    }
    Ok(())
}
