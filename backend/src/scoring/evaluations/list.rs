//! `GET /api/evaluations` (the sheets the caller may see, newest call first, keyset-paged on
//! `(call_at, id)`, with its opaque cursor) and `GET /api/evaluations/summary` (the badge counts).

use super::view::{calibration_revealed, is_participant};
use crate::auth::AuthUser;
use crate::db::timestamp;
use crate::error::{ApiError, ApiResult};
use crate::paging::{Cut, PageQuery, cut};
use crate::scoring::shared::user_names;
use crate::site_time::period;
use crate::state::AppState;
use chrono::{DateTime, Utc};
use domain::api::Page;
use domain::cases::{Visibility, visibility};
use domain::problems::Problem;
use domain::scoring::{
    AnswerValue, AssignmentStatus, EvaluationCounts, EvaluationFilter, EvaluationStatus, EvaluationSummary,
};
use domain::{Action, Role};
use entity::{evaluation_answers, evaluations, sampling_assignments, scoring_forms};
use sea_orm::sea_query::{Alias, Expr, SelectStatement};
use sea_orm::{ColumnTrait, EntityTrait, ExprTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect};
use std::collections::{HashMap, HashSet};

/// The `failed` filter's parameter key, checked (`[a-z0-9_]`, 1–64; else 422 on `failed`);
/// empty is no filter.
fn failed_key(text: Option<&str>) -> ApiResult<Option<&str>> {
    let Some(key) = text.filter(|t| !t.is_empty()) else { return Ok(None) };
    let valid = key.len() <= 64 && key.bytes().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == b'_');
    if valid { Ok(Some(key)) } else { Err(ApiError::field("failed", Problem::InvalidKey)) }
}

/// Sheets the caller may see, newest call first, keyset-paged on `(call_at, id)`.
pub async fn list_evaluations(
    state: &AppState,
    auth: &AuthUser,
    filter: &EvaluationFilter,
) -> ApiResult<Page<EvaluationSummary>> {
    auth.require(Action::ViewEvaluations)?;
    let db = &state.db.conn;
    let page = PageQuery::of(filter.limit, filter.cursor.as_ref());
    let limit = page.limit()?;
    let after = page.after_position::<(DateTime<Utc>, i64)>()?;
    let (from, to) = period(state, filter.from.as_deref(), filter.to.as_deref())?;
    let mut query = evaluations::Entity::find();
    let coordinator = auth.may(Action::ManageScoringForms);
    let own_or_team = matches!(visibility(auth.role), Visibility::Own | Visibility::Team);
    if own_or_team && filter.calibration_id.is_some() {
        // Calibration sheets are never shown to agents and team leaders.
        return Ok(Page { items: vec![], next_cursor: None });
    }
    match visibility(auth.role) {
        Visibility::Own => {
            query = query
                .filter(evaluations::Column::AgentId.eq(auth.id))
                .filter(evaluations::Column::Status.ne(EvaluationStatus::Draft))
                .filter(evaluations::Column::CalibrationId.is_null());
        }
        Visibility::Team => {
            let Some(team) = auth.team_id else { return Ok(Page { items: vec![], next_cursor: None }) };
            query = query
                .filter(evaluations::Column::TeamId.eq(team))
                .filter(evaluations::Column::Status.ne(EvaluationStatus::Draft))
                .filter(evaluations::Column::CalibrationId.is_null());
        }
        Visibility::All => match filter.calibration_id {
            Some(session) => {
                query = query.filter(evaluations::Column::CalibrationId.eq(session));
                let whole = coordinator
                    || (is_participant(db, session, auth.id).await? && calibration_revealed(db, session).await?);
                if whole {
                    if !coordinator {
                        query = query.filter(
                            evaluations::Column::Status
                                .ne(EvaluationStatus::Draft)
                                .or(evaluations::Column::QcoId.eq(auth.id)),
                        );
                    }
                } else {
                    query = query.filter(evaluations::Column::QcoId.eq(auth.id));
                }
            }
            None => {
                query = query.filter(evaluations::Column::CalibrationId.is_null());
                if !coordinator {
                    query = query.filter(
                        evaluations::Column::Status
                            .ne(EvaluationStatus::Draft)
                            .or(evaluations::Column::QcoId.eq(auth.id)),
                    );
                }
            }
        },
        Visibility::None => return Err(ApiError::Forbidden),
    }
    if let Some(agent) = filter.agent_id {
        query = query.filter(evaluations::Column::AgentId.eq(agent));
    }
    if let Some(qco) = filter.qco_id {
        query = query.filter(evaluations::Column::QcoId.eq(qco));
    }
    if let Some(team) = filter.team_id {
        query = query.filter(evaluations::Column::TeamId.eq(team));
    }
    if let Some(status) = filter.status {
        query = query.filter(evaluations::Column::Status.eq(status));
    }
    if let Some(service) = filter.service {
        query = query.filter(evaluations::Column::Service.eq(service));
    }
    if let Some(bucket) = filter.bucket {
        query = query.filter(evaluations::Column::Bucket.eq(bucket));
    }
    if let Some(fatal) = filter.fatal {
        query = query.filter(evaluations::Column::Fatal.eq(fatal));
    }
    if filter.submitted == Some(true) {
        query = query.filter(evaluations::Column::Status.ne(EvaluationStatus::Draft));
    }
    if let Some(key) = failed_key(filter.failed.as_deref())? {
        // The sheets the heatmap counts a fail for: submitted, not calibration, the key failed.
        let answers = Alias::new("evaluation_answers");
        let failed = SelectStatement::new()
            .expr(Expr::val(1))
            .from(answers.clone())
            .and_where(
                Expr::col((answers.clone(), evaluation_answers::Column::EvaluationId))
                    .equals((evaluations::Entity, evaluations::Column::Id)),
            )
            .and_where(Expr::col((answers.clone(), evaluation_answers::Column::ParameterKey)).eq(key))
            .and_where(Expr::col((answers, evaluation_answers::Column::Value)).eq(AnswerValue::Fail.as_str()))
            .to_owned();
        query = query
            .filter(evaluations::Column::Status.ne(EvaluationStatus::Draft))
            .filter(evaluations::Column::CalibrationId.is_null())
            .filter(Expr::exists(failed));
    }
    let disputed = [EvaluationStatus::Disputed, EvaluationStatus::Resolved];
    match filter.disputed {
        Some(true) => query = query.filter(evaluations::Column::Status.is_in(disputed)),
        Some(false) => query = query.filter(evaluations::Column::Status.is_not_in(disputed)),
        None => {}
    }
    if let Some(from) = from {
        query = query.filter(evaluations::Column::CallAt.gte(from));
    }
    if let Some(to) = to {
        query = query.filter(evaluations::Column::CallAt.lt(to));
    }
    if let Some((at, id)) = after {
        query = query.filter(
            Expr::tuple([Expr::col(evaluations::Column::CallAt), Expr::col(evaluations::Column::Id)])
                .lt(Expr::tuple([Expr::value(at), Expr::value(id)])),
        );
    }
    let rows = query
        .order_by_desc(evaluations::Column::CallAt)
        .order_by_desc(evaluations::Column::Id)
        .limit(limit + 1)
        .all(db)
        .await?;
    let Cut { rows, next_cursor } = cut(rows, limit, |m| (m.call_at, m.id));
    let ids: Vec<i32> = rows.iter().flat_map(|m| [m.agent_id, m.qco_id]).collect();
    let people = user_names(db, ids).await?;
    let form_ids: Vec<i32> = rows.iter().map(|m| m.form_id).collect::<HashSet<_>>().into_iter().collect();
    let versions: HashMap<i32, i32> = scoring_forms::Entity::find()
        .select_only()
        .columns([scoring_forms::Column::Id, scoring_forms::Column::Version])
        .filter(scoring_forms::Column::Id.is_in(form_ids))
        .into_tuple::<(i32, i32)>()
        .all(db)
        .await?
        .into_iter()
        .collect();
    let items = rows
        .into_iter()
        .map(|m| EvaluationSummary {
            id: m.id,
            form_id: m.form_id.into(),
            form_version: versions.get(&m.form_id).copied().unwrap_or(0),
            agent_id: m.agent_id.into(),
            agent_username: people.get(&m.agent_id).map(|p| p.0.clone()).unwrap_or_default(),
            agent_name: people.get(&m.agent_id).map(|p| p.1.clone()).unwrap_or_default(),
            qco_id: m.qco_id.into(),
            qco_name: people.get(&m.qco_id).map(|p| p.1.clone()).unwrap_or_default(),
            call_ref: m.call_ref,
            call_at: timestamp(m.call_at),
            service: m.service,
            bucket: m.bucket,
            score: m.score,
            fatal: m.fatal,
            status: m.status,
            submitted_at: m.submitted_at.map(timestamp),
            calibration_id: m.calibration_id.map(i64::from),
        })
        .collect();
    Ok(Page { items, next_cursor })
}

/// The badge counts for the caller.
pub async fn counts(state: &AppState, auth: &AuthUser) -> ApiResult<EvaluationCounts> {
    auth.require(Action::ViewEvaluations)?;
    let db = &state.db.conn;
    let mut out = EvaluationCounts::default();
    if auth.role == Role::Agent {
        out.new_results = evaluations::Entity::find()
            .filter(evaluations::Column::AgentId.eq(auth.id))
            .filter(evaluations::Column::Status.eq(EvaluationStatus::Submitted))
            .filter(evaluations::Column::CalibrationId.is_null())
            .count(db)
            .await? as u32;
    }
    if auth.may(Action::ScoreCalls) {
        out.drafts = evaluations::Entity::find()
            .filter(evaluations::Column::QcoId.eq(auth.id))
            .filter(evaluations::Column::Status.eq(EvaluationStatus::Draft))
            .count(db)
            .await? as u32;
        out.assigned = sampling_assignments::Entity::find()
            .filter(sampling_assignments::Column::QcoId.eq(auth.id))
            .filter(sampling_assignments::Column::Status.eq(AssignmentStatus::Pending))
            .count(db)
            .await? as u32;
    }
    if auth.may(Action::ResolveDisputes) {
        out.open_disputes = evaluations::Entity::find()
            .filter(evaluations::Column::Status.eq(EvaluationStatus::Disputed))
            .count(db)
            .await? as u32;
    }
    Ok(out)
}
