//! Who may see a sheet (`domain::cases::visibility`, drafts, calibration sessions) and the API
//! view of sheets with their answers, names, dispute and amendment history.

use super::answers::{answers_of, in_form_order};
use crate::auth::AuthUser;
use crate::db::timestamp;
use crate::error::{ApiError, ApiResult};
use crate::scoring::forms::sections_of;
use crate::scoring::shared::user_names;
use crate::state::AppState;
use domain::Action;
use domain::cases::{Visibility, visibility};
use domain::scoring::{Amendment, CalibrationStatus, Dispute, Evaluation, EvaluationStatus};
use entity::{calibration_participants, calibration_sessions, evaluation_amendments, evaluations};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};
use std::collections::HashSet;

/// Whether a calibration session's sheets are shown to its participants: closed (by the
/// coordinator, or automatically once every participant submitted).
pub(super) async fn calibration_revealed(db: &impl ConnectionTrait, session_id: i32) -> ApiResult<bool> {
    Ok(calibration_sessions::Entity::find_by_id(session_id)
        .one(db)
        .await?
        .is_some_and(|s| s.status == CalibrationStatus::Closed))
}

pub(crate) async fn is_participant(db: &impl ConnectionTrait, session_id: i32, user_id: i32) -> ApiResult<bool> {
    Ok(calibration_participants::Entity::find_by_id((session_id, user_id)).one(db).await?.is_some())
}

/// May the caller see this sheet? (`domain::cases::visibility`, plus: drafts only for their QCO
/// and the coordinator; calibration sheets only inside their session.)
async fn can_see(db: &impl ConnectionTrait, auth: &AuthUser, model: &evaluations::Model) -> ApiResult<bool> {
    if !auth.may(Action::ViewEvaluations) {
        return Ok(false);
    }
    let own_qco = model.qco_id == auth.id;
    let coordinator = auth.may(Action::ManageScoringForms);
    if let Some(session) = model.calibration_id {
        if own_qco || coordinator {
            return Ok(true);
        }
        return Ok(model.status != EvaluationStatus::Draft
            && is_participant(db, session, auth.id).await?
            && calibration_revealed(db, session).await?);
    }
    if model.status == EvaluationStatus::Draft && !own_qco && !coordinator {
        return Ok(false);
    }
    Ok(match visibility(auth.role) {
        Visibility::Own => model.agent_id == auth.id,
        Visibility::Team => auth.team_id.is_some() && model.team_id == auth.team_id,
        Visibility::All => true,
        Visibility::None => false,
    })
}

/// A sheet the caller may see, else 404.
pub(crate) async fn visible(db: &impl ConnectionTrait, auth: &AuthUser, id: i64) -> ApiResult<evaluations::Model> {
    let model = evaluations::Entity::find_by_id(id).one(db).await?.ok_or(ApiError::NotFound)?;
    if can_see(db, auth, &model).await? { Ok(model) } else { Err(ApiError::NotFound) }
}

/// The API view of sheets, with answers, names, dispute and amendment history.
pub(crate) async fn views(db: &impl ConnectionTrait, models: Vec<evaluations::Model>) -> ApiResult<Vec<Evaluation>> {
    let ids: Vec<i64> = models.iter().map(|m| m.id).collect();
    let mut answers = answers_of(db, &ids).await?;
    let form_ids: Vec<i32> = models.iter().map(|m| m.form_id).collect::<HashSet<_>>().into_iter().collect();
    let forms = crate::scoring::forms::forms_by_id(db, form_ids).await?;
    let amendments = evaluation_amendments::Entity::find()
        .filter(evaluation_amendments::Column::EvaluationId.is_in(ids.clone()))
        .order_by_asc(evaluation_amendments::Column::Id)
        .all(db)
        .await?;
    let ids: Vec<i32> = models
        .iter()
        .flat_map(|m| [Some(m.agent_id), Some(m.qco_id), m.resolved_by])
        .flatten()
        .chain(amendments.iter().map(|a| a.amended_by))
        .collect();
    let people = user_names(db, ids).await?;
    let name = |id: i32| people.get(&id).map(|p| p.1.clone()).unwrap_or_default();
    let mut out = Vec::with_capacity(models.len());
    for m in models {
        let form = forms.get(&m.form_id);
        let sections = form.map(sections_of).unwrap_or_default();
        let status = m.status;
        out.push(Evaluation {
            id: m.id,
            form_id: m.form_id.into(),
            form_version: form.map(|f| f.version).unwrap_or(0),
            agent_id: m.agent_id.into(),
            agent_username: people.get(&m.agent_id).map(|p| p.0.clone()).unwrap_or_default(),
            agent_name: name(m.agent_id),
            qco_id: m.qco_id.into(),
            qco_name: name(m.qco_id),
            call_ref: m.call_ref,
            call_at: timestamp(m.call_at),
            service: m.service,
            bucket: m.bucket,
            recording_ref: m.recording_ref,
            answers: in_form_order(&sections, answers.remove(&m.id).unwrap_or_default()),
            comment: m.comment,
            score: m.score,
            fatal: m.fatal,
            status,
            created_at: timestamp(m.created_at),
            submitted_at: m.submitted_at.map(timestamp),
            retain_until: m.retain_until,
            dispute: m.dispute_reason.map(|reason| Dispute {
                reason,
                disputed_at: m.disputed_at.map(timestamp).unwrap_or_default(),
                decision: m.resolution_decision,
                resolution_comment: m.resolution_comment,
                resolved_by: m.resolved_by.map(name),
                resolved_at: m.resolved_at.map(timestamp),
            }),
            amendments: amendments
                .iter()
                .filter(|a| a.evaluation_id == m.id)
                .map(|a| Amendment {
                    answers: serde_json::from_str(&a.old_answers).unwrap_or_default(),
                    score: a.old_score,
                    fatal: a.old_fatal,
                    amended_by: name(a.amended_by),
                    amended_at: timestamp(a.amended_at),
                })
                .collect(),
            calibration_id: m.calibration_id.map(i64::from),
            version: m.version,
            acknowledged_at: m.acknowledged_at.map(timestamp),
            assignment_id: m.assignment_id,
        });
    }
    Ok(out)
}

pub(crate) async fn view(db: &impl ConnectionTrait, model: evaluations::Model) -> ApiResult<Evaluation> {
    views(db, vec![model]).await?.pop().ok_or(ApiError::NotFound)
}

pub async fn get_evaluation(state: &AppState, auth: &AuthUser, id: i64) -> ApiResult<Evaluation> {
    let db = &state.db.conn;
    let model = visible(db, auth, id).await?;
    view(db, model).await
}
