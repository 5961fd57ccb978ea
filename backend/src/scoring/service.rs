//! Queries and transactions of F-18 scoring: versioned forms, sheets and their workflow
//! (`domain::scoring::evaluation_transition`), and the per-parameter report. Every change is a
//! conditional update committed with its audit entry; scores come from `domain::scoring::score`,
//! the function the browser uses for the live score.

use crate::audit::{self, Entry};
use crate::auth::AuthUser;
use crate::db::{PageQuery, now, timestamp};
use crate::documents::service::start_of_day;
use crate::error::{ApiError, ApiResult, ResultExt};
use crate::scoring::stats;
use crate::state::AppState;
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::{DateTime, Datelike, Duration, NaiveDate, Utc};
use domain::api::Page;
use domain::cases::{Bucket, Service, Visibility, visibility};
use domain::documents::{Actor as RuleActor, Refusal};
use domain::scoring::{
    self as rules, Amendment, Answer, AnswerValue, Dispute, Evaluation, EvaluationAction, EvaluationCounts,
    EvaluationStatus, EvaluationSummary, FailRateReport, FormSection, FormStatus, NewEvaluation, NewScoringForm,
    ParameterFailRate, ResolveRequest, ScoringForm,
};
use domain::{Action, Role};
use entity::{
    calibration_participants, calibration_sessions, documents, evaluation_amendments, evaluation_answers, evaluations,
    sampling_assignments, scoring_forms, users,
};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseTransaction, EntityTrait, ExprTrait, PaginatorTrait,
    QueryFilter, QueryOrder, QuerySelect,
};
use serde::Deserialize;
use serde_json::json;
use std::collections::{BTreeMap, HashMap, HashSet};

/// Default retention of sheets when the register document names none (F-18: 24 months).
pub const DEFAULT_RETENTION_MONTHS: i32 = 24;
const CALL_REF_MAX: usize = 100;
const RECORDING_REF_MAX: usize = 200;
const COMMENT_MAX: usize = 2000;

// ---------------------------------------------------------------------------------------------
// Small helpers
// ---------------------------------------------------------------------------------------------

pub(crate) fn refusal(refusal: Refusal) -> ApiError {
    match refusal {
        Refusal::NotAllowed => ApiError::Forbidden,
        Refusal::WrongState => ApiError::conflict("wrong_state", "the sheet is not in a state where this step applies"),
    }
}

/// A one-line text field: required or not, at most `max` characters, no control characters.
pub(crate) fn check_line(field: &str, value: &str, max: usize) -> ApiResult<()> {
    if value.trim().is_empty() {
        return Err(ApiError::field(field, "required"));
    }
    if value.chars().count() > max {
        return Err(ApiError::field(field, "too_long"));
    }
    if value.chars().any(char::is_control) {
        return Err(ApiError::field(field, "invalid_characters"));
    }
    Ok(())
}

/// Free text (comments, reasons): newlines allowed, no other control characters.
pub(crate) fn check_text(field: &str, value: &str, max: usize) -> ApiResult<()> {
    if value.chars().count() > max {
        return Err(ApiError::field(field, "too_long"));
    }
    if value.chars().any(|c| c.is_control() && c != '\n' && c != '\r' && c != '\t') {
        return Err(ApiError::field(field, "invalid_characters"));
    }
    Ok(())
}

pub(crate) fn parse_instant(field: &str, text: &str) -> ApiResult<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(text)
        .map(|d| d.with_timezone(&Utc))
        .map_err(|_| ApiError::field(field, "invalid_timestamp"))
}

pub(crate) fn parse_day(field: &str, text: &str) -> ApiResult<NaiveDate> {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").map_err(|_| ApiError::field(field, "invalid_date"))
}

/// `[from 00:00, to + 1 day 00:00)` in the site's zone.
/// A period's bounds as instants, each optional.
pub(crate) type Bounds = (Option<DateTime<Utc>>, Option<DateTime<Utc>>);

pub(crate) fn period(state: &AppState, from: Option<&str>, to: Option<&str>) -> ApiResult<Bounds> {
    let from = from.map(|t| parse_day("from", t)).transpose()?;
    let to = to.map(|t| parse_day("to", t)).transpose()?;
    if let (Some(f), Some(t)) = (from, to)
        && f > t
    {
        return Err(ApiError::field("to", "before_from"));
    }
    Ok((from.map(|d| start_of_day(state, d)), to.map(|d| start_of_day(state, d + Duration::days(1)))))
}

fn site_day(state: &AppState, at: DateTime<Utc>) -> domain::dates::Date {
    let day = at.with_timezone(&state.config.offset()).date_naive();
    domain::dates::Date { year: day.year(), month: day.month(), day: day.day() }
}

pub(crate) fn service_of(text: &str) -> Service {
    Service::parse(text).unwrap_or(Service::Ct0)
}

pub(crate) fn bucket_of(text: &str) -> Bucket {
    Bucket::parse(text).unwrap_or(Bucket::N)
}

fn status_of(model: &evaluations::Model) -> EvaluationStatus {
    EvaluationStatus::parse(&model.status).unwrap_or(EvaluationStatus::Draft)
}

fn answer_value(text: &str) -> AnswerValue {
    match text {
        "pass" => AnswerValue::Pass,
        "fail" => AnswerValue::Fail,
        _ => AnswerValue::Na,
    }
}

/// An opaque cursor for the position `(call_at, id)` of the sheet lists.
fn encode_position(at: DateTime<Utc>, id: i64) -> String {
    URL_SAFE_NO_PAD.encode(format!("e:{}:{id}", at.timestamp_micros()))
}

fn decode_position(text: &str) -> Option<(DateTime<Utc>, i64)> {
    let text = String::from_utf8(URL_SAFE_NO_PAD.decode(text).ok()?).ok()?;
    let mut parts = text.strip_prefix("e:")?.split(':');
    let micros: i64 = parts.next()?.parse().ok()?;
    let id: i64 = parts.next()?.parse().ok()?;
    Some((crate::db::cursor_instant(micros)?, id))
}

/// Names of users by id (one query).
pub(crate) async fn user_names(db: &impl ConnectionTrait, ids: Vec<i32>) -> ApiResult<HashMap<i32, (String, String)>> {
    let ids: Vec<i32> = ids.into_iter().collect::<HashSet<_>>().into_iter().collect();
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    let rows: Vec<(i32, String, String)> = users::Entity::find()
        .select_only()
        .columns([users::Column::Id, users::Column::Username, users::Column::FullName])
        .filter(users::Column::Id.is_in(ids))
        .into_tuple()
        .all(db)
        .await?;
    Ok(rows.into_iter().map(|(id, username, name)| (id, (username, name))).collect())
}

/// A user that is active and has the given role.
pub(crate) async fn active_with_role(
    db: &impl ConnectionTrait,
    id: i64,
    role: Role,
) -> ApiResult<Option<users::Model>> {
    let Ok(id) = i32::try_from(id) else { return Ok(None) };
    Ok(users::Entity::find_by_id(id)
        .filter(users::Column::Active.eq(true))
        .filter(users::Column::Role.eq(role.as_str()))
        .one(db)
        .await?)
}

async fn audit_entry(
    tx: &crate::db::WriteTx,
    auth: &AuthUser,
    action: &str,
    entity: &str,
    id: impl ToString,
    payload: serde_json::Value,
) -> ApiResult<()> {
    audit::append(tx, Entry { actor: &auth.actor(), action, entity, entity_id: Some(id.to_string()), payload })
        .await
        .map(|_| ())
}

// ---------------------------------------------------------------------------------------------
// Forms
// ---------------------------------------------------------------------------------------------

pub(crate) fn sections_of(model: &scoring_forms::Model) -> Vec<FormSection> {
    serde_json::from_str(&model.sections).unwrap_or_default()
}

pub(crate) fn form_view(model: scoring_forms::Model) -> ScoringForm {
    ScoringForm {
        id: model.id.into(),
        sections: sections_of(&model),
        status: FormStatus::parse(&model.status).unwrap_or(FormStatus::Draft),
        code: model.code,
        version: model.version,
        title: model.title,
        document_code: model.document_code,
        retention_months: model.retention_months,
        created_at: timestamp(model.created_at),
        published_at: model.published_at.map(timestamp),
        row_version: model.row_version,
    }
}

/// Filters of `GET /api/scoring-forms`.
#[derive(Debug, Default, Deserialize)]
pub struct FormFilter {
    pub code: Option<String>,
    pub status: Option<String>,
    pub limit: Option<u64>,
    pub cursor: Option<String>,
}

pub async fn list_forms(state: &AppState, auth: &AuthUser, filter: &FormFilter) -> ApiResult<Page<ScoringForm>> {
    auth.require(Action::ViewEvaluations)?;
    let page = PageQuery { limit: filter.limit, cursor: filter.cursor.clone() };
    let limit = page.limit()?;
    let mut query = scoring_forms::Entity::find().order_by_asc(scoring_forms::Column::Id);
    if let Some(after) = page.after()? {
        query = query.filter(scoring_forms::Column::Id.gt(after));
    }
    if !auth.may(Action::ManageScoringForms) {
        query = query.filter(scoring_forms::Column::Status.ne(FormStatus::Draft.as_str()));
    }
    if let Some(code) = &filter.code {
        query = query.filter(scoring_forms::Column::Code.eq(code.as_str()));
    }
    if let Some(status) = &filter.status {
        let status = FormStatus::parse(status).ok_or_else(|| ApiError::field("status", "unknown_status"))?;
        query = query.filter(scoring_forms::Column::Status.eq(status.as_str()));
    }
    let rows = query.limit(limit + 1).all(&state.db.conn).await?;
    let more = rows.len() as u64 > limit;
    let rows: Vec<_> = rows.into_iter().take(limit as usize).collect();
    let next_cursor = if more { rows.last().map(|f| crate::db::encode_cursor(f.id.into())) } else { None };
    Ok(Page { items: rows.into_iter().map(form_view).collect(), next_cursor })
}

/// A form the caller may see: drafts only for those who manage forms.
async fn visible_form(db: &impl ConnectionTrait, auth: &AuthUser, id: i64) -> ApiResult<scoring_forms::Model> {
    let id = i32::try_from(id).map_err(|_| ApiError::NotFound)?;
    let form = scoring_forms::Entity::find_by_id(id).one(db).await?.ok_or(ApiError::NotFound)?;
    if form.status == FormStatus::Draft.as_str() && !auth.may(Action::ManageScoringForms) {
        return Err(ApiError::NotFound);
    }
    Ok(form)
}

pub async fn get_form(state: &AppState, auth: &AuthUser, id: i64) -> ApiResult<ScoringForm> {
    if !auth.may(Action::ViewEvaluations) && !auth.may(Action::ManageScoringForms) {
        return Err(ApiError::Forbidden);
    }
    visible_form(&state.db.conn, auth, id).await.map(form_view)
}

/// The register document a form's sheets are records of, and its retention.
async fn register_document(db: &impl ConnectionTrait, code: Option<&str>) -> ApiResult<(String, i32)> {
    let code = code.map(str::trim).filter(|c| !c.is_empty()).unwrap_or(rules::F18_CODE);
    let document = documents::Entity::find()
        .filter(documents::Column::Code.eq(code))
        .one(db)
        .await?
        .ok_or_else(|| ApiError::field("document_code", "not_found"))?;
    if document.kind != "form" {
        return Err(ApiError::field("document_code", "not_a_form"));
    }
    Ok((document.code, document.retention_months.unwrap_or(DEFAULT_RETENTION_MONTHS)))
}

fn validate_form(body: &NewScoringForm) -> ApiResult<()> {
    rules::validate_form(body).map_err(|errors| ApiError::Validation(errors.into_iter().collect()))?;
    if body.code.chars().any(|c| c.is_control() || c == '<' || c == '>') {
        return Err(ApiError::field("code", "invalid_characters"));
    }
    check_line("title", &body.title, 200)
}

/// Publishes draft `id` and retires the version of its code that was published before.
async fn publish_in(tx: &crate::db::WriteTx, auth: &AuthUser, form: &scoring_forms::Model) -> ApiResult<()> {
    let txn: &DatabaseTransaction = tx;
    let at = now();
    let done = scoring_forms::Entity::update_many()
        .col_expr(scoring_forms::Column::Status, Expr::value(FormStatus::Published.as_str()))
        .col_expr(scoring_forms::Column::PublishedAt, Expr::value(at))
        .col_expr(scoring_forms::Column::RowVersion, Expr::col(scoring_forms::Column::RowVersion).add(1))
        .filter(scoring_forms::Column::Id.eq(form.id))
        .filter(scoring_forms::Column::Status.eq(FormStatus::Draft.as_str()))
        .exec(txn)
        .await?
        .rows_affected;
    if done == 0 {
        return Err(ApiError::conflict("wrong_state", "only a draft can be published"));
    }
    let retired: Vec<i32> = scoring_forms::Entity::find()
        .select_only()
        .column(scoring_forms::Column::Id)
        .filter(scoring_forms::Column::Code.eq(form.code.as_str()))
        .filter(scoring_forms::Column::Status.eq(FormStatus::Published.as_str()))
        .filter(scoring_forms::Column::Id.ne(form.id))
        .into_tuple()
        .all(txn)
        .await?;
    scoring_forms::Entity::update_many()
        .col_expr(scoring_forms::Column::Status, Expr::value(FormStatus::Retired.as_str()))
        .col_expr(scoring_forms::Column::RowVersion, Expr::col(scoring_forms::Column::RowVersion).add(1))
        .filter(scoring_forms::Column::Id.is_in(retired.clone()))
        .filter(scoring_forms::Column::Status.eq(FormStatus::Published.as_str()))
        .exec(txn)
        .await?;
    audit_entry(
        tx,
        auth,
        "scoring_form.published",
        "scoring_form",
        form.id,
        json!({ "code": form.code, "version": form.version, "retired": retired }),
    )
    .await
}

/// A new form, or the next version of an existing code (a draft, or published at once).
pub async fn create_form(state: &AppState, auth: &AuthUser, body: NewScoringForm) -> ApiResult<ScoringForm> {
    auth.require(Action::ManageScoringForms)?;
    validate_form(&body)?;
    let code = body.code.trim().to_owned();
    let txn = state.db.write().await?;
    let (document_code, retention) = register_document(&*txn, body.document_code.as_deref()).await?;
    let versions =
        scoring_forms::Entity::find().filter(scoring_forms::Column::Code.eq(code.as_str())).all(&*txn).await?;
    if versions.iter().any(|f| f.status == FormStatus::Draft.as_str()) {
        return Err(ApiError::conflict("draft_exists", "this form already has a draft version; edit or publish it"));
    }
    let version = versions.iter().map(|f| f.version).max().unwrap_or(0) + 1;
    let inserted = scoring_forms::Entity::insert(scoring_forms::ActiveModel {
        code: Set(code.clone()),
        version: Set(version),
        title: Set(body.title.trim().to_owned()),
        status: Set(FormStatus::Draft.as_str().into()),
        document_code: Set(document_code.clone()),
        retention_months: Set(retention),
        sections: Set(serde_json::to_string(&body.sections).map_err(anyhow::Error::from)?),
        created_by: Set(Some(auth.id)),
        created_at: Set(now()),
        published_at: Set(None),
        row_version: Set(1),
        ..Default::default()
    })
    .exec(&*txn)
    .await
    .on_constraint("version_taken", "another version was saved at the same time; try again")?;
    let id = inserted.last_insert_id;
    audit_entry(
        &txn,
        auth,
        "scoring_form.created",
        "scoring_form",
        id,
        json!({ "code": code, "version": version, "document_code": document_code, "retention_months": retention }),
    )
    .await?;
    let model = scoring_forms::Entity::find_by_id(id).one(&*txn).await?.ok_or(ApiError::NotFound)?;
    if body.publish {
        publish_in(&txn, auth, &model).await?;
    }
    let model = scoring_forms::Entity::find_by_id(id).one(&*txn).await?.ok_or(ApiError::NotFound)?;
    txn.commit().await?;
    Ok(form_view(model))
}

/// Edits a draft (with `row_version`); a published or retired version is never edited.
pub async fn update_form(state: &AppState, auth: &AuthUser, id: i64, body: NewScoringForm) -> ApiResult<ScoringForm> {
    auth.require(Action::ManageScoringForms)?;
    let txn = state.db.write().await?;
    let form = visible_form(&*txn, auth, id).await?;
    if form.status != FormStatus::Draft.as_str() {
        return Err(ApiError::conflict("wrong_state", "a published form is never edited; save a new version instead"));
    }
    validate_form(&body)?;
    let row_version = body.row_version.ok_or_else(|| ApiError::field("row_version", "required"))?;
    if body.code.trim() != form.code {
        return Err(ApiError::field("code", "cannot_change"));
    }
    let (document_code, retention) =
        register_document(&*txn, body.document_code.as_deref().or(Some(form.document_code.as_str()))).await?;
    let changed = scoring_forms::Entity::update_many()
        .col_expr(scoring_forms::Column::Title, Expr::value(body.title.trim()))
        .col_expr(
            scoring_forms::Column::Sections,
            Expr::value(serde_json::to_string(&body.sections).map_err(anyhow::Error::from)?),
        )
        .col_expr(scoring_forms::Column::DocumentCode, Expr::value(document_code.as_str()))
        .col_expr(scoring_forms::Column::RetentionMonths, Expr::value(retention))
        .col_expr(scoring_forms::Column::RowVersion, Expr::col(scoring_forms::Column::RowVersion).add(1))
        .filter(scoring_forms::Column::Id.eq(form.id))
        .filter(scoring_forms::Column::Status.eq(FormStatus::Draft.as_str()))
        .filter(scoring_forms::Column::RowVersion.eq(row_version))
        .exec(&*txn)
        .await?
        .rows_affected;
    if changed == 0 {
        return Err(ApiError::conflict("stale_version", "this form was changed by someone else; reload and try again"));
    }
    audit_entry(
        &txn,
        auth,
        "scoring_form.edited",
        "scoring_form",
        form.id,
        json!({ "code": form.code, "version": form.version }),
    )
    .await?;
    if body.publish {
        publish_in(&txn, auth, &form).await?;
    }
    let model = scoring_forms::Entity::find_by_id(form.id).one(&*txn).await?.ok_or(ApiError::NotFound)?;
    txn.commit().await?;
    Ok(form_view(model))
}

pub async fn publish_form(state: &AppState, auth: &AuthUser, id: i64) -> ApiResult<ScoringForm> {
    auth.require(Action::ManageScoringForms)?;
    let txn = state.db.write().await?;
    let form = visible_form(&*txn, auth, id).await?;
    publish_in(&txn, auth, &form).await?;
    let model = scoring_forms::Entity::find_by_id(form.id).one(&*txn).await?.ok_or(ApiError::NotFound)?;
    txn.commit().await?;
    Ok(form_view(model))
}

// ---------------------------------------------------------------------------------------------
// Sheets: visibility and the API view
// ---------------------------------------------------------------------------------------------

/// Whether a calibration session's sheets are shown to its participants: closed (by the
/// coordinator, or automatically once every participant submitted).
async fn calibration_revealed(db: &impl ConnectionTrait, session_id: i32) -> ApiResult<bool> {
    Ok(calibration_sessions::Entity::find_by_id(session_id).one(db).await?.is_some_and(|s| s.status == "closed"))
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
        return Ok(model.status != EvaluationStatus::Draft.as_str()
            && is_participant(db, session, auth.id).await?
            && calibration_revealed(db, session).await?);
    }
    if model.status == EvaluationStatus::Draft.as_str() && !own_qco && !coordinator {
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

pub(crate) async fn answers_of(db: &impl ConnectionTrait, ids: &[i64]) -> ApiResult<HashMap<i64, Vec<Answer>>> {
    let mut out: HashMap<i64, Vec<Answer>> = HashMap::new();
    if ids.is_empty() {
        return Ok(out);
    }
    let rows = evaluation_answers::Entity::find()
        .filter(evaluation_answers::Column::EvaluationId.is_in(ids.to_vec()))
        .order_by_asc(evaluation_answers::Column::EvaluationId)
        .all(db)
        .await?;
    for row in rows {
        out.entry(row.evaluation_id).or_default().push(Answer {
            parameter: row.parameter_key,
            value: answer_value(&row.value),
            comment: row.comment,
            moment: row.moment,
        });
    }
    Ok(out)
}

/// Orders answers as the form lists its parameters.
fn in_form_order(sections: &[FormSection], mut answers: Vec<Answer>) -> Vec<Answer> {
    let order: HashMap<&str, usize> =
        rules::parameters(sections).enumerate().map(|(i, p)| (p.key.as_str(), i)).collect();
    answers.sort_by_key(|a| order.get(a.parameter.as_str()).copied().unwrap_or(usize::MAX));
    answers
}

/// The API view of sheets, with answers, names, dispute and amendment history.
pub(crate) async fn views(db: &impl ConnectionTrait, models: Vec<evaluations::Model>) -> ApiResult<Vec<Evaluation>> {
    let ids: Vec<i64> = models.iter().map(|m| m.id).collect();
    let mut answers = answers_of(db, &ids).await?;
    let form_ids: Vec<i32> = models.iter().map(|m| m.form_id).collect::<HashSet<_>>().into_iter().collect();
    let forms: HashMap<i32, scoring_forms::Model> = scoring_forms::Entity::find()
        .filter(scoring_forms::Column::Id.is_in(form_ids))
        .all(db)
        .await?
        .into_iter()
        .map(|f| (f.id, f))
        .collect();
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
        let status = status_of(&m);
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
            service: service_of(&m.service),
            bucket: bucket_of(&m.bucket),
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

// ---------------------------------------------------------------------------------------------
// Sheets: scoring
// ---------------------------------------------------------------------------------------------

/// The call fields of a sheet, checked.
struct Call {
    agent: users::Model,
    call_ref: String,
    call_at: DateTime<Utc>,
    service: Service,
    bucket: Bucket,
    recording_ref: Option<String>,
}

async fn check_call(db: &impl ConnectionTrait, body: &NewEvaluation) -> ApiResult<Call> {
    check_line("call_ref", &body.call_ref, CALL_REF_MAX)?;
    let call_at = parse_instant("call_at", &body.call_at)?;
    if call_at > now() + Duration::days(1) {
        return Err(ApiError::field("call_at", "in_future"));
    }
    let recording_ref = body.recording_ref.as_deref().map(str::trim).filter(|r| !r.is_empty()).map(str::to_owned);
    if let Some(r) = &recording_ref {
        check_line("recording_ref", r, RECORDING_REF_MAX)?;
    }
    let agent = active_with_role(db, body.agent_id, Role::Agent)
        .await?
        .ok_or_else(|| ApiError::field("agent_id", "not_an_agent"))?;
    Ok(Call {
        agent,
        call_ref: body.call_ref.trim().to_owned(),
        call_at,
        service: body.service,
        bucket: body.bucket,
        recording_ref,
    })
}

fn check_comment(comment: &Option<String>) -> ApiResult<Option<String>> {
    match comment.as_deref().map(str::trim).filter(|c| !c.is_empty()) {
        Some(c) => {
            check_text("comment", c, COMMENT_MAX)?;
            Ok(Some(c.to_owned()))
        }
        None => Ok(None),
    }
}

fn check_answers(sections: &[FormSection], answers: &[Answer], submit: bool) -> ApiResult<()> {
    rules::check_answers(sections, answers, submit)
        .map_err(|errors| ApiError::Validation(errors.into_iter().collect()))?;
    for a in answers {
        if let Some(c) = &a.comment {
            check_text(&format!("answers.{}", a.parameter), c, COMMENT_MAX)?;
        }
    }
    Ok(())
}

async fn insert_answers(txn: &DatabaseTransaction, evaluation_id: i64, answers: &[Answer]) -> ApiResult<()> {
    if answers.is_empty() {
        return Ok(());
    }
    let rows = answers.iter().map(|a| evaluation_answers::ActiveModel {
        evaluation_id: Set(evaluation_id),
        parameter_key: Set(a.parameter.clone()),
        value: Set(a.value.as_str().into()),
        comment: Set(a.comment.as_deref().map(str::trim).filter(|c| !c.is_empty()).map(str::to_owned)),
        moment: Set(a.moment.clone().filter(|m| !m.is_empty())),
    });
    evaluation_answers::Entity::insert_many(rows).exec_without_returning(txn).await?;
    Ok(())
}

fn retain_until(state: &AppState, submitted: DateTime<Utc>, form: &scoring_forms::Model) -> String {
    domain::dates::retain_until(site_day(state, submitted), Ord::max(form.retention_months, 0) as u32).to_string()
}

/// Marks a sampled call as scored once its sheet is submitted.
async fn settle_assignment(
    txn: &DatabaseTransaction,
    assignment_id: Option<i64>,
    evaluation_id: i64,
    submitted: bool,
) -> ApiResult<()> {
    if let (Some(id), true) = (assignment_id, submitted) {
        sampling_assignments::Entity::update_many()
            .col_expr(sampling_assignments::Column::Status, Expr::value("done"))
            .col_expr(sampling_assignments::Column::EvaluationId, Expr::value(evaluation_id))
            .filter(sampling_assignments::Column::Id.eq(id))
            .exec(txn)
            .await?;
    }
    Ok(())
}

/// `POST /api/evaluations`: a new sheet by a QCO, as a draft or submitted at once.
pub async fn create_evaluation(state: &AppState, auth: &AuthUser, body: NewEvaluation) -> ApiResult<Evaluation> {
    auth.require(Action::ScoreCalls)?;
    let action = if body.submit { EvaluationAction::Submit } else { EvaluationAction::EditDraft };
    rules::evaluation_transition(EvaluationStatus::Draft, action, RuleActor::User(auth.role)).map_err(refusal)?;
    let comment = check_comment(&body.comment)?;
    let txn = state.db.write().await?;
    let (form, call, calibration_id) = match body.calibration_id {
        Some(session_id) => {
            let session_id = i32::try_from(session_id).map_err(|_| ApiError::NotFound)?;
            let session =
                calibration_sessions::Entity::find_by_id(session_id).one(&*txn).await?.ok_or(ApiError::NotFound)?;
            if !is_participant(&*txn, session.id, auth.id).await? {
                return Err(ApiError::NotFound);
            }
            if session.status != "open" {
                return Err(ApiError::conflict("calibration_closed", "this calibration session is closed"));
            }
            let taken = evaluations::Entity::find()
                .filter(evaluations::Column::CalibrationId.eq(session.id))
                .filter(evaluations::Column::QcoId.eq(auth.id))
                .count(&*txn)
                .await?;
            if taken > 0 {
                return Err(ApiError::conflict(
                    "already_scored",
                    "you already have a sheet in this calibration session; edit that one",
                ));
            }
            let form =
                scoring_forms::Entity::find_by_id(session.form_id).one(&*txn).await?.ok_or(ApiError::NotFound)?;
            let agent = users::Entity::find_by_id(session.agent_id).one(&*txn).await?.ok_or(ApiError::NotFound)?;
            let call = Call {
                agent,
                call_ref: session.call_ref.clone(),
                call_at: session.call_at,
                service: service_of(&session.service),
                bucket: bucket_of(&session.bucket),
                recording_ref: session.recording_ref.clone(),
            };
            (form, call, Some(session.id))
        }
        None => {
            let form = match i32::try_from(body.form_id) {
                Ok(id) => scoring_forms::Entity::find_by_id(id).one(&*txn).await?,
                Err(_) => None,
            }
            .ok_or_else(|| ApiError::field("form_id", "not_found"))?;
            if form.status != FormStatus::Published.as_str() {
                return Err(ApiError::field("form_id", "not_published"));
            }
            (form, check_call(&*txn, &body).await?, None)
        }
    };
    if let Some(assignment_id) = body.assignment_id {
        let assignment = sampling_assignments::Entity::find_by_id(assignment_id)
            .filter(sampling_assignments::Column::QcoId.eq(auth.id))
            .one(&*txn)
            .await?
            .ok_or_else(|| ApiError::field("assignment_id", "not_found"))?;
        if assignment.agent_id != call.agent.id {
            return Err(ApiError::field("assignment_id", "other_agent"));
        }
        if assignment.status != "pending" || assignment.evaluation_id.is_some() {
            return Err(ApiError::conflict("already_scored", "this assigned call already has a sheet"));
        }
    }
    let sections = sections_of(&form);
    check_answers(&sections, &body.answers, body.submit)?;
    let result = rules::score(&sections, &body.answers);
    let at = now();
    let status = if body.submit { EvaluationStatus::Submitted } else { EvaluationStatus::Draft };
    let inserted = evaluations::Entity::insert(evaluations::ActiveModel {
        form_id: Set(form.id),
        agent_id: Set(call.agent.id),
        qco_id: Set(auth.id),
        team_id: Set(call.agent.team_id),
        call_ref: Set(call.call_ref.clone()),
        call_at: Set(call.call_at),
        service: Set(call.service.as_str().into()),
        bucket: Set(call.bucket.as_str().into()),
        recording_ref: Set(call.recording_ref.clone()),
        comment: Set(comment),
        score: Set(result.score),
        fatal: Set(result.fatal),
        status: Set(status.as_str().into()),
        created_at: Set(at),
        updated_at: Set(at),
        submitted_at: Set(body.submit.then_some(at)),
        acknowledged_at: Set(None),
        retain_until: Set(body.submit.then(|| retain_until(state, at, &form))),
        version: Set(1),
        calibration_id: Set(calibration_id),
        assignment_id: Set(body.assignment_id),
        ..Default::default()
    })
    .exec(&*txn)
    .await
    .on_constraint("already_scored", "you already have a sheet in this calibration session")?;
    let id = inserted.last_insert_id;
    insert_answers(&txn, id, &body.answers).await?;
    if body.submit && calibration_id.is_none() {
        stats::add(&*txn, call.agent.team_id, &stats::day_of(call.call_at, state.config.offset()), &body.answers, 1)
            .await?;
    }
    if let Some(assignment_id) = body.assignment_id {
        let linked = sampling_assignments::Entity::update_many()
            .col_expr(sampling_assignments::Column::EvaluationId, Expr::value(id))
            .col_expr(sampling_assignments::Column::Status, Expr::value(if body.submit { "done" } else { "pending" }))
            .filter(sampling_assignments::Column::Id.eq(assignment_id))
            .filter(sampling_assignments::Column::Status.eq("pending"))
            .filter(sampling_assignments::Column::EvaluationId.is_null())
            .exec(&*txn)
            .await?
            .rows_affected;
        if linked == 0 {
            return Err(ApiError::conflict("already_scored", "this assigned call already has a sheet"));
        }
    }
    let action_name = if body.submit { "evaluation.submitted" } else { "evaluation.drafted" };
    audit_entry(
        &txn,
        auth,
        action_name,
        "evaluation",
        id,
        json!({
            "form": format!("{} v{}", form.code, form.version), "agent_id": call.agent.id, "call_ref": call.call_ref,
            "score": result.score, "fatal": result.fatal, "answers": body.answers.len(), "calibration_id": calibration_id,
            "assignment_id": body.assignment_id,
        }),
    )
    .await?;
    if let (Some(session), true) = (calibration_id, body.submit) {
        crate::scoring::calibration::close_when_all_scored(&txn, session).await?;
    }
    let model = evaluations::Entity::find_by_id(id).one(&*txn).await?.ok_or(ApiError::NotFound)?;
    let out = view(&*txn, model).await?;
    txn.commit().await?;
    Ok(out)
}

/// `PUT /api/evaluations/{id}`: the QCO saves their draft again, or submits it.
pub async fn update_evaluation(
    state: &AppState,
    auth: &AuthUser,
    id: i64,
    body: NewEvaluation,
) -> ApiResult<Evaluation> {
    let db = &state.db.conn;
    let model = visible(db, auth, id).await?;
    let action = if body.submit { EvaluationAction::Submit } else { EvaluationAction::EditDraft };
    rules::evaluation_transition(status_of(&model), action, RuleActor::User(auth.role)).map_err(refusal)?;
    if model.qco_id != auth.id {
        return Err(ApiError::Forbidden);
    }
    let version = body.version.ok_or_else(|| ApiError::field("version", "required"))?;
    if body.form_id != i64::from(model.form_id) {
        return Err(ApiError::field("form_id", "pinned"));
    }
    let comment = check_comment(&body.comment)?;
    let txn = state.db.write().await?;
    if let Some(session) = model.calibration_id
        && calibration_sessions::Entity::find_by_id(session).one(&*txn).await?.is_none_or(|s| s.status != "open")
    {
        return Err(ApiError::conflict(
            "calibration_closed",
            "this calibration session is closed; its sheets are revealed",
        ));
    }
    // A calibration sheet's call is the session's; only answers and comment change.
    let call = if model.calibration_id.is_some() { None } else { Some(check_call(&*txn, &body).await?) };
    if let (Some(assignment_id), Some(call)) = (model.assignment_id, &call) {
        let assignment = sampling_assignments::Entity::find_by_id(assignment_id).one(&*txn).await?;
        if assignment.is_some_and(|a| a.agent_id != call.agent.id) {
            return Err(ApiError::field("agent_id", "other_agent"));
        }
    }
    let form = scoring_forms::Entity::find_by_id(model.form_id).one(&*txn).await?.ok_or(ApiError::NotFound)?;
    let sections = sections_of(&form);
    check_answers(&sections, &body.answers, body.submit)?;
    let result = rules::score(&sections, &body.answers);
    let at = now();
    let status = if body.submit { EvaluationStatus::Submitted } else { EvaluationStatus::Draft };
    let mut update = evaluations::Entity::update_many()
        .col_expr(evaluations::Column::Score, Expr::value(result.score))
        .col_expr(evaluations::Column::Fatal, Expr::value(result.fatal))
        .col_expr(evaluations::Column::Comment, Expr::value(comment))
        .col_expr(evaluations::Column::Status, Expr::value(status.as_str()))
        .col_expr(evaluations::Column::UpdatedAt, Expr::value(at))
        .col_expr(evaluations::Column::Version, Expr::col(evaluations::Column::Version).add(1))
        .filter(evaluations::Column::Id.eq(model.id))
        .filter(evaluations::Column::QcoId.eq(auth.id))
        .filter(evaluations::Column::Status.eq(EvaluationStatus::Draft.as_str()))
        .filter(evaluations::Column::Version.eq(version));
    if let Some(call) = &call {
        update = update
            .col_expr(evaluations::Column::AgentId, Expr::value(call.agent.id))
            .col_expr(evaluations::Column::TeamId, Expr::value(call.agent.team_id))
            .col_expr(evaluations::Column::CallRef, Expr::value(call.call_ref.as_str()))
            .col_expr(evaluations::Column::CallAt, Expr::value(call.call_at))
            .col_expr(evaluations::Column::Service, Expr::value(call.service.as_str()))
            .col_expr(evaluations::Column::Bucket, Expr::value(call.bucket.as_str()))
            .col_expr(evaluations::Column::RecordingRef, Expr::value(call.recording_ref.clone()));
    }
    if body.submit {
        update = update
            .col_expr(evaluations::Column::SubmittedAt, Expr::value(at))
            .col_expr(evaluations::Column::RetainUntil, Expr::value(retain_until(state, at, &form)));
    }
    if update.exec(&*txn).await?.rows_affected == 0 {
        return Err(ApiError::conflict("stale_version", "this sheet was changed meanwhile; reload and try again"));
    }
    evaluation_answers::Entity::delete_many()
        .filter(evaluation_answers::Column::EvaluationId.eq(model.id))
        .exec(&*txn)
        .await?;
    insert_answers(&txn, model.id, &body.answers).await?;
    if body.submit && model.calibration_id.is_none() {
        let (team, call_at) = match &call {
            Some(call) => (call.agent.team_id, call.call_at),
            None => (model.team_id, model.call_at),
        };
        stats::add(&*txn, team, &stats::day_of(call_at, state.config.offset()), &body.answers, 1).await?;
    }
    settle_assignment(&txn, model.assignment_id, model.id, body.submit).await?;
    let action_name = if body.submit { "evaluation.submitted" } else { "evaluation.edited" };
    audit_entry(
        &txn,
        auth,
        action_name,
        "evaluation",
        model.id,
        json!({ "score": result.score, "fatal": result.fatal, "answers": body.answers.len() }),
    )
    .await?;
    if let (Some(session), true) = (model.calibration_id, body.submit) {
        crate::scoring::calibration::close_when_all_scored(&txn, session).await?;
    }
    let model = evaluations::Entity::find_by_id(model.id).one(&*txn).await?.ok_or(ApiError::NotFound)?;
    let out = view(&*txn, model).await?;
    txn.commit().await?;
    Ok(out)
}

// ---------------------------------------------------------------------------------------------
// Sheets: the agent's answer and the coordinator's resolution
// ---------------------------------------------------------------------------------------------

async fn agent_step(
    state: &AppState,
    auth: &AuthUser,
    id: i64,
    action: EvaluationAction,
    reason: Option<&str>,
) -> ApiResult<Evaluation> {
    let db = &state.db.conn;
    let model = visible(db, auth, id).await?;
    let from = status_of(&model);
    let to = rules::evaluation_transition(from, action, RuleActor::User(auth.role)).map_err(refusal)?;
    if model.agent_id != auth.id {
        return Err(ApiError::NotFound);
    }
    let reason = match reason {
        Some(text) => {
            if text.trim().is_empty() {
                return Err(ApiError::field("reason", "required"));
            }
            check_text("reason", text.trim(), COMMENT_MAX)?;
            Some(text.trim().to_owned())
        }
        None => None,
    };
    let at = now();
    let txn = state.db.write().await?;
    let mut update = evaluations::Entity::update_many()
        .col_expr(evaluations::Column::Status, Expr::value(to.as_str()))
        .col_expr(evaluations::Column::UpdatedAt, Expr::value(at))
        .col_expr(evaluations::Column::Version, Expr::col(evaluations::Column::Version).add(1))
        .filter(evaluations::Column::Id.eq(model.id))
        .filter(evaluations::Column::AgentId.eq(auth.id))
        .filter(evaluations::Column::Status.eq(from.as_str()));
    update = match &reason {
        Some(reason) => update
            .col_expr(evaluations::Column::DisputeReason, Expr::value(reason.as_str()))
            .col_expr(evaluations::Column::DisputedAt, Expr::value(at)),
        None => update.col_expr(evaluations::Column::AcknowledgedAt, Expr::value(at)),
    };
    if update.exec(&*txn).await?.rows_affected == 0 {
        return Err(ApiError::conflict("wrong_state", "the sheet changed meanwhile; reload and try again"));
    }
    let (name, payload) = match &reason {
        Some(reason) => ("evaluation.disputed", json!({ "reason": reason })),
        None => ("evaluation.acknowledged", json!({})),
    };
    audit_entry(&txn, auth, name, "evaluation", model.id, payload).await?;
    let model = evaluations::Entity::find_by_id(model.id).one(&*txn).await?.ok_or(ApiError::NotFound)?;
    let out = view(&*txn, model).await?;
    txn.commit().await?;
    Ok(out)
}

pub async fn acknowledge(state: &AppState, auth: &AuthUser, id: i64) -> ApiResult<Evaluation> {
    agent_step(state, auth, id, EvaluationAction::Acknowledge, None).await
}

pub async fn dispute(state: &AppState, auth: &AuthUser, id: i64, reason: &str) -> ApiResult<Evaluation> {
    agent_step(state, auth, id, EvaluationAction::Dispute, Some(reason)).await
}

/// `uphold` keeps the sheet; `amend` replaces the whole answer set (checked like a submission),
/// recomputes the score and keeps the old answers in the history.
pub async fn resolve(state: &AppState, auth: &AuthUser, id: i64, body: ResolveRequest) -> ApiResult<Evaluation> {
    let db = &state.db.conn;
    let model = visible(db, auth, id).await?;
    let from = status_of(&model);
    let to =
        rules::evaluation_transition(from, EvaluationAction::Resolve, RuleActor::User(auth.role)).map_err(refusal)?;
    let amend = match body.decision.as_str() {
        "uphold" => false,
        "amend" => true,
        _ => return Err(ApiError::field("decision", "unknown_decision")),
    };
    if body.comment.trim().is_empty() {
        return Err(ApiError::field("comment", "required"));
    }
    check_text("comment", body.comment.trim(), COMMENT_MAX)?;
    let form = scoring_forms::Entity::find_by_id(model.form_id).one(db).await?.ok_or(ApiError::NotFound)?;
    let sections = sections_of(&form);
    let new_answers = if amend {
        let answers = body.answers.clone().ok_or_else(|| ApiError::field("answers", "required"))?;
        check_answers(&sections, &answers, true)?;
        Some(answers)
    } else {
        None
    };
    let at = now();
    let txn = state.db.write().await?;
    let mut update = evaluations::Entity::update_many()
        .col_expr(evaluations::Column::Status, Expr::value(to.as_str()))
        .col_expr(evaluations::Column::ResolutionDecision, Expr::value(body.decision.as_str()))
        .col_expr(evaluations::Column::ResolutionComment, Expr::value(body.comment.trim()))
        .col_expr(evaluations::Column::ResolvedBy, Expr::value(auth.id))
        .col_expr(evaluations::Column::ResolvedAt, Expr::value(at))
        .col_expr(evaluations::Column::UpdatedAt, Expr::value(at))
        .col_expr(evaluations::Column::Version, Expr::col(evaluations::Column::Version).add(1))
        .filter(evaluations::Column::Id.eq(model.id))
        .filter(evaluations::Column::Status.eq(from.as_str()));
    let mut payload = json!({ "decision": body.decision, "comment": body.comment.trim() });
    if let Some(answers) = &new_answers {
        let result = rules::score(&sections, answers);
        update = update
            .col_expr(evaluations::Column::Score, Expr::value(result.score))
            .col_expr(evaluations::Column::Fatal, Expr::value(result.fatal));
        payload["old_score"] = json!(model.score);
        payload["new_score"] = json!(result.score);
        payload["new_fatal"] = json!(result.fatal);
    }
    if update.exec(&*txn).await?.rows_affected == 0 {
        return Err(ApiError::conflict("wrong_state", "the sheet changed meanwhile; reload and try again"));
    }
    if let Some(answers) = &new_answers {
        let old = answers_of(&*txn, &[model.id]).await?.remove(&model.id).unwrap_or_default();
        let old = in_form_order(&sections, old);
        evaluation_amendments::Entity::insert(evaluation_amendments::ActiveModel {
            evaluation_id: Set(model.id),
            old_answers: Set(serde_json::to_string(&old).map_err(anyhow::Error::from)?),
            old_score: Set(model.score),
            old_fatal: Set(model.fatal),
            comment: Set(Some(body.comment.trim().to_owned())),
            amended_by: Set(auth.id),
            amended_at: Set(at),
            ..Default::default()
        })
        .exec_without_returning(&*txn)
        .await?;
        evaluation_answers::Entity::delete_many()
            .filter(evaluation_answers::Column::EvaluationId.eq(model.id))
            .exec(&*txn)
            .await?;
        insert_answers(&txn, model.id, answers).await?;
        if model.calibration_id.is_none() {
            let day = stats::day_of(model.call_at, state.config.offset());
            stats::add(&*txn, model.team_id, &day, &old, -1).await?;
            stats::add(&*txn, model.team_id, &day, answers, 1).await?;
        }
    }
    audit_entry(&txn, auth, "evaluation.resolved", "evaluation", model.id, payload).await?;
    let model = evaluations::Entity::find_by_id(model.id).one(&*txn).await?.ok_or(ApiError::NotFound)?;
    let out = view(&*txn, model).await?;
    txn.commit().await?;
    Ok(out)
}

// ---------------------------------------------------------------------------------------------
// Lists and counts
// ---------------------------------------------------------------------------------------------

/// Filters of `GET /api/evaluations`.
#[derive(Debug, Default, Deserialize)]
pub struct EvaluationFilter {
    pub agent_id: Option<i64>,
    pub qco_id: Option<i64>,
    pub team_id: Option<i64>,
    pub calibration_id: Option<i64>,
    pub status: Option<String>,
    /// Call date from (`YYYY-MM-DD`, site day, inclusive).
    #[serde(default, deserialize_with = "domain::dates::de::opt_day")]
    pub from: Option<String>,
    /// Call date to (inclusive).
    #[serde(default, deserialize_with = "domain::dates::de::opt_day")]
    pub to: Option<String>,
    pub limit: Option<u64>,
    pub cursor: Option<String>,
}

fn id32(value: i64) -> i32 {
    i32::try_from(value).unwrap_or(-1)
}

/// Sheets the caller may see, newest call first, keyset-paged on `(call_at, id)`.
pub async fn list_evaluations(
    state: &AppState,
    auth: &AuthUser,
    filter: &EvaluationFilter,
) -> ApiResult<Page<EvaluationSummary>> {
    auth.require(Action::ViewEvaluations)?;
    let db = &state.db.conn;
    let limit = PageQuery { limit: filter.limit, cursor: None }.limit()?;
    let after = match &filter.cursor {
        Some(text) => Some(decode_position(text).ok_or_else(|| ApiError::BadRequest("invalid cursor".into()))?),
        None => None,
    };
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
                .filter(evaluations::Column::Status.ne(EvaluationStatus::Draft.as_str()))
                .filter(evaluations::Column::CalibrationId.is_null());
        }
        Visibility::Team => {
            let Some(team) = auth.team_id else { return Ok(Page { items: vec![], next_cursor: None }) };
            query = query
                .filter(evaluations::Column::TeamId.eq(team))
                .filter(evaluations::Column::Status.ne(EvaluationStatus::Draft.as_str()))
                .filter(evaluations::Column::CalibrationId.is_null());
        }
        Visibility::All => match filter.calibration_id {
            Some(session) => {
                let session = id32(session);
                query = query.filter(evaluations::Column::CalibrationId.eq(session));
                let whole = coordinator
                    || (is_participant(db, session, auth.id).await? && calibration_revealed(db, session).await?);
                if whole {
                    if !coordinator {
                        query = query.filter(
                            evaluations::Column::Status
                                .ne(EvaluationStatus::Draft.as_str())
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
                            .ne(EvaluationStatus::Draft.as_str())
                            .or(evaluations::Column::QcoId.eq(auth.id)),
                    );
                }
            }
        },
        Visibility::None => return Err(ApiError::Forbidden),
    }
    if let Some(agent) = filter.agent_id {
        query = query.filter(evaluations::Column::AgentId.eq(id32(agent)));
    }
    if let Some(qco) = filter.qco_id {
        query = query.filter(evaluations::Column::QcoId.eq(id32(qco)));
    }
    if let Some(team) = filter.team_id {
        query = query.filter(evaluations::Column::TeamId.eq(id32(team)));
    }
    if let Some(status) = &filter.status {
        let status = EvaluationStatus::parse(status).ok_or_else(|| ApiError::field("status", "unknown_status"))?;
        query = query.filter(evaluations::Column::Status.eq(status.as_str()));
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
    let more = rows.len() as u64 > limit;
    let rows: Vec<evaluations::Model> = rows.into_iter().take(limit as usize).collect();
    let next_cursor = if more { rows.last().map(|m| encode_position(m.call_at, m.id)) } else { None };
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
            service: service_of(&m.service),
            bucket: bucket_of(&m.bucket),
            score: m.score,
            fatal: m.fatal,
            status: EvaluationStatus::parse(&m.status).unwrap_or(EvaluationStatus::Draft),
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
            .filter(evaluations::Column::Status.eq(EvaluationStatus::Submitted.as_str()))
            .filter(evaluations::Column::CalibrationId.is_null())
            .count(db)
            .await? as u32;
    }
    if auth.may(Action::ScoreCalls) {
        out.drafts = evaluations::Entity::find()
            .filter(evaluations::Column::QcoId.eq(auth.id))
            .filter(evaluations::Column::Status.eq(EvaluationStatus::Draft.as_str()))
            .count(db)
            .await? as u32;
        out.assigned = sampling_assignments::Entity::find()
            .filter(sampling_assignments::Column::QcoId.eq(auth.id))
            .filter(sampling_assignments::Column::Status.eq("pending"))
            .count(db)
            .await? as u32;
    }
    if auth.may(Action::ResolveDisputes) {
        out.open_disputes = evaluations::Entity::find()
            .filter(evaluations::Column::Status.eq(EvaluationStatus::Disputed.as_str()))
            .count(db)
            .await? as u32;
    }
    Ok(out)
}

// ---------------------------------------------------------------------------------------------
// Per-parameter fail rates
// ---------------------------------------------------------------------------------------------

/// Query of `GET /api/reports/parameter-fail-rates`.
#[derive(Debug, Default, Deserialize)]
pub struct FailRateQuery {
    pub team_id: Option<i64>,
    #[serde(default, deserialize_with = "domain::dates::de::opt_day")]
    pub from: Option<String>,
    #[serde(default, deserialize_with = "domain::dates::de::opt_day")]
    pub to: Option<String>,
}

/// Per parameter key: how often it was answered, failed and N/A on the submitted sheets of a
/// team (team leaders: their own) whose call falls in the period, from the daily roll-up
/// (`super::stats`).
pub async fn fail_rates(state: &AppState, auth: &AuthUser, query: &FailRateQuery) -> ApiResult<FailRateReport> {
    if !auth.may(Action::ViewTeam) && !auth.may(Action::ScoreCalls) {
        return Err(ApiError::Forbidden);
    }
    let from_text = query.from.as_deref().ok_or_else(|| ApiError::field("from", "required"))?;
    let to_text = query.to.as_deref().ok_or_else(|| ApiError::field("to", "required"))?;
    period(state, Some(from_text), Some(to_text))?;
    let from_day = parse_day("from", from_text)?.format("%Y-%m-%d").to_string();
    let to_day = parse_day("to", to_text)?.format("%Y-%m-%d").to_string();
    let team = match (visibility(auth.role), query.team_id) {
        (Visibility::Team, Some(team)) if Some(id32(team)) != auth.team_id => return Err(ApiError::Forbidden),
        (Visibility::Team, _) => Some(auth.team_id.ok_or(ApiError::Forbidden)?),
        (_, team) => team.map(id32),
    };
    let db = &state.db.conn;
    let rows = stats::sums(db, team, &from_day, &to_day).await?;
    // Labels from the newest form version that has the key.
    let mut labels: BTreeMap<String, String> = BTreeMap::new();
    for form in scoring_forms::Entity::find()
        .filter(scoring_forms::Column::Status.ne(FormStatus::Draft.as_str()))
        .order_by_asc(scoring_forms::Column::Id)
        .all(db)
        .await?
    {
        for p in rules::parameters(&sections_of(&form)) {
            labels.insert(p.key.clone(), p.label.clone());
        }
    }
    let mut parameters = Vec::with_capacity(rows.len());
    let mut sheets = 0;
    for (key, passed, failed, na) in rows {
        if key == stats::SHEETS {
            sheets = passed;
            continue;
        }
        let answered = passed + failed;
        if answered + na == 0 {
            continue;
        }
        parameters.push(ParameterFailRate {
            label: labels.get(&key).cloned().unwrap_or_else(|| key.clone()),
            parameter: key,
            answered: answered as u32,
            failed: failed as u32,
            na: na as u32,
            fail_rate: if answered == 0 { 0.0 } else { (failed as f64 / answered as f64 * 10_000.0).round() / 100.0 },
        });
    }
    Ok(FailRateReport { from: from_day, to: to_day, team_id: team.map(i64::from), sheets: sheets as u32, parameters })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_round_trip_and_garbage_is_refused() {
        let at = DateTime::from_timestamp_micros(1_700_000_000_123_456).unwrap();
        assert_eq!(decode_position(&encode_position(at, 42)), Some((at, 42)));
        assert_eq!(decode_position("garbage"), None);
    }
}
