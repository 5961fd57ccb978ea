//! Versioned scoring forms: list, read, create (a new code or the next version of one), edit a
//! draft, publish (retiring the version published before), and the form's API view that the
//! other parts read sections from.

use super::shared::{audit_entry, check_line};
use crate::auth::AuthUser;
use crate::db::{now, timestamp};
use crate::error::{ApiError, ApiResult, ResultExt};
use crate::paging::{PageQuery, cut};
use crate::state::AppState;
use domain::Action;
use domain::api::Page;
use domain::audit::AuditAction;
use domain::documents::DocKind;
use domain::problems::{Conflict, Problem};
use domain::scoring::FormFilter;
use domain::scoring::{self as rules, FormSection, FormStatus, NewScoringForm, ScoringForm};
use entity::{documents, scoring_forms};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseTransaction, EntityTrait, ExprTrait, QueryFilter,
    QueryOrder, QuerySelect,
};
use serde_json::json;

/// Default retention of sheets when the register document names none (F-18: 24 months).
pub const DEFAULT_RETENTION_MONTHS: i32 = 24;

/// The form versions of `ids` by id (one query; repeated ids are fine).
pub(crate) async fn forms_by_id(
    db: &impl ConnectionTrait,
    ids: impl IntoIterator<Item = i32>,
) -> ApiResult<std::collections::HashMap<i32, scoring_forms::Model>> {
    let ids: std::collections::BTreeSet<i32> = ids.into_iter().collect();
    Ok(scoring_forms::Entity::find()
        .filter(scoring_forms::Column::Id.is_in(ids))
        .all(db)
        .await?
        .into_iter()
        .map(|f| (f.id, f))
        .collect())
}

pub(crate) fn sections_of(model: &scoring_forms::Model) -> Vec<FormSection> {
    serde_json::from_str(&model.sections).unwrap_or_default()
}

pub(crate) fn form_view(model: scoring_forms::Model) -> ScoringForm {
    ScoringForm {
        id: model.id.into(),
        sections: sections_of(&model),
        status: model.status,
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

pub async fn list_forms(state: &AppState, auth: &AuthUser, filter: &FormFilter) -> ApiResult<Page<ScoringForm>> {
    auth.require(Action::ViewEvaluations)?;
    let page = PageQuery::of(filter.limit, filter.cursor.as_ref());
    let limit = page.limit()?;
    let mut query = scoring_forms::Entity::find().order_by_asc(scoring_forms::Column::Id);
    if let Some(after) = page.after()? {
        query = query.filter(scoring_forms::Column::Id.gt(after));
    }
    if !auth.may(Action::ManageScoringForms) {
        query = query.filter(scoring_forms::Column::Status.ne(FormStatus::Draft));
    }
    if let Some(code) = &filter.code {
        query = query.filter(scoring_forms::Column::Code.eq(code.as_str()));
    }
    if let Some(status) = filter.status {
        query = query.filter(scoring_forms::Column::Status.eq(status));
    }
    Ok(cut(query.limit(limit + 1).all(&state.db.conn).await?, limit, |f| i64::from(f.id)).page(form_view))
}

/// A form the caller may see: drafts only for those who manage forms.
async fn visible_form(db: &impl ConnectionTrait, auth: &AuthUser, id: i64) -> ApiResult<scoring_forms::Model> {
    let id = i32::try_from(id).map_err(|_| ApiError::NotFound)?;
    let form = scoring_forms::Entity::find_by_id(id).one(db).await?.ok_or(ApiError::NotFound)?;
    if form.status == FormStatus::Draft && !auth.may(Action::ManageScoringForms) {
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
        .ok_or_else(|| ApiError::field("document_code", Problem::NotFound))?;
    if document.kind != DocKind::Form {
        return Err(ApiError::field("document_code", Problem::NotAForm));
    }
    Ok((document.code, document.retention_months.unwrap_or(DEFAULT_RETENTION_MONTHS)))
}

fn validate_form(body: &NewScoringForm) -> ApiResult<()> {
    rules::validate_form(body).map_err(|errors| ApiError::Validation(errors.into_iter().collect()))?;
    if body.code.chars().any(|c| c.is_control() || c == '<' || c == '>') {
        return Err(ApiError::field("code", Problem::InvalidCharacters));
    }
    check_line("title", &body.title, 200)
}

/// Publishes draft `id` and retires the version of its code that was published before.
async fn publish_in(tx: &crate::db::WriteTx, auth: &AuthUser, form: &scoring_forms::Model) -> ApiResult<()> {
    let txn: &DatabaseTransaction = tx;
    let at = now();
    let done = scoring_forms::Entity::update_many()
        .col_expr(scoring_forms::Column::Status, Expr::value(FormStatus::Published))
        .col_expr(scoring_forms::Column::PublishedAt, Expr::value(at))
        .col_expr(scoring_forms::Column::RowVersion, Expr::col(scoring_forms::Column::RowVersion).add(1))
        .filter(scoring_forms::Column::Id.eq(form.id))
        .filter(scoring_forms::Column::Status.eq(FormStatus::Draft))
        .exec(txn)
        .await?
        .rows_affected;
    if done == 0 {
        return Err(ApiError::conflict(Conflict::WrongState, "only a draft can be published"));
    }
    let retired: Vec<i32> = scoring_forms::Entity::find()
        .select_only()
        .column(scoring_forms::Column::Id)
        .filter(scoring_forms::Column::Code.eq(form.code.as_str()))
        .filter(scoring_forms::Column::Status.eq(FormStatus::Published))
        .filter(scoring_forms::Column::Id.ne(form.id))
        .into_tuple()
        .all(txn)
        .await?;
    scoring_forms::Entity::update_many()
        .col_expr(scoring_forms::Column::Status, Expr::value(FormStatus::Retired))
        .col_expr(scoring_forms::Column::RowVersion, Expr::col(scoring_forms::Column::RowVersion).add(1))
        .filter(scoring_forms::Column::Id.is_in(retired.clone()))
        .filter(scoring_forms::Column::Status.eq(FormStatus::Published))
        .exec(txn)
        .await?;
    audit_entry(
        tx,
        auth,
        AuditAction::ScoringFormPublished,
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
    if versions.iter().any(|f| f.status == FormStatus::Draft) {
        return Err(ApiError::conflict(
            Conflict::DraftExists,
            "this form already has a draft version; edit or publish it",
        ));
    }
    let version = versions.iter().map(|f| f.version).max().unwrap_or(0) + 1;
    let inserted = scoring_forms::Entity::insert(scoring_forms::ActiveModel {
        code: Set(code.clone()),
        version: Set(version),
        title: Set(body.title.trim().to_owned()),
        status: Set(FormStatus::Draft),
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
    .on_constraint(Conflict::VersionTaken, "another version was saved at the same time; try again")?;
    let id = inserted.last_insert_id;
    audit_entry(
        &txn,
        auth,
        AuditAction::ScoringFormCreated,
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
    if form.status != FormStatus::Draft {
        return Err(ApiError::conflict(
            Conflict::WrongState,
            "a published form is never edited; save a new version instead",
        ));
    }
    validate_form(&body)?;
    let row_version = body.row_version.ok_or_else(|| ApiError::field("row_version", Problem::Required))?;
    if body.code.trim() != form.code {
        return Err(ApiError::field("code", Problem::CannotChange));
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
        .filter(scoring_forms::Column::Status.eq(FormStatus::Draft))
        .filter(scoring_forms::Column::RowVersion.eq(row_version))
        .exec(&*txn)
        .await?
        .rows_affected;
    if changed == 0 {
        return Err(ApiError::conflict(
            Conflict::StaleVersion,
            "this form was changed by someone else; reload and try again",
        ));
    }
    audit_entry(
        &txn,
        auth,
        AuditAction::ScoringFormEdited,
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
