//! Retention fixed per record (issue 15 item 1). A sheet takes its form's retention from the
//! register when it is submitted, a validation when it is made; `retain_until` counts from the
//! day the record closes (`domain::records::counts_from`). A later change to the register's
//! retention changes only records made after it.
use crate::db::WriteTx;
use crate::error::ApiResult;
use crate::scoring::forms::DEFAULT_RETENTION_MONTHS;
use crate::site_time::site_date;
use crate::state::AppState;
use chrono::{DateTime, Utc};
use domain::cases::{F19_CODE, FollowupStatus, ValidationResult};
use domain::records::counts_from;
use entity::{documents, evaluations, followups, scoring_forms, validations};
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use std::collections::HashMap;

/// Rows the start-up fill reads and writes at a time.
const FILL_PAGE: u64 = 1_000;

/// A form's retention in the register now (months), or the default when the register has none.
pub async fn register_months(db: &impl ConnectionTrait, code: &str) -> ApiResult<i32> {
    let doc = documents::Entity::find().filter(documents::Column::Code.eq(code)).one(db).await?;
    Ok(doc.and_then(|d| d.retention_months).filter(|m| *m > 0).unwrap_or(DEFAULT_RETENTION_MONTHS))
}

/// `YYYY-MM-DD`: the site day of `closed` plus `months`.
pub fn retain_until(state: &AppState, closed: DateTime<Utc>, months: i32) -> String {
    domain::dates::retain_until(site_date(state, closed), months.max(0) as u32).to_string()
}

/// Sets a sheet's `retain_until` from its closing (`counts_from::ACKNOWLEDGED` or `RESOLVED`),
/// in the closing's transaction.
pub async fn close_sheet(txn: &WriteTx, state: &AppState, id: i64, at: DateTime<Utc>, from: &str) -> ApiResult<()> {
    let Some(sheet) = evaluations::Entity::find_by_id(id).one(&**txn).await? else { return Ok(()) };
    let months = match sheet.retention_months {
        Some(months) => months,
        None => form_months(&**txn, sheet.form_id).await?,
    };
    evaluations::Entity::update_many()
        .col_expr(evaluations::Column::RetentionMonths, Expr::value(months))
        .col_expr(evaluations::Column::RetainUntil, Expr::value(retain_until(state, at, months)))
        .col_expr(evaluations::Column::RetentionFrom, Expr::value(from))
        .filter(evaluations::Column::Id.eq(id))
        .exec(&**txn)
        .await?;
    Ok(())
}

/// A RETURN's validation closes with its follow-up: `retain_until` counts from `at`.
pub async fn close_validation(txn: &WriteTx, state: &AppState, validation_id: i32, at: DateTime<Utc>) -> ApiResult<()> {
    let Some(row) = validations::Entity::find_by_id(validation_id).one(&**txn).await? else { return Ok(()) };
    let months = match row.retention_months {
        Some(months) => months,
        None => register_months(&**txn, F19_CODE).await?,
    };
    validations::Entity::update_many()
        .col_expr(validations::Column::RetentionMonths, Expr::value(months))
        .col_expr(validations::Column::RetainUntil, Expr::value(retain_until(state, at, months)))
        .col_expr(validations::Column::RetentionFrom, Expr::value(counts_from::FOLLOWUP_CLOSED))
        .filter(validations::Column::Id.eq(validation_id))
        .exec(&**txn)
        .await?;
    Ok(())
}

/// The register retention of a scoring form's document.
pub async fn form_months(db: &impl ConnectionTrait, form_id: i32) -> ApiResult<i32> {
    match scoring_forms::Entity::find_by_id(form_id).one(db).await? {
        Some(form) => register_months(db, &form.document_code).await,
        None => Ok(DEFAULT_RETENTION_MONTHS),
    }
}

/// Gives the records made before retention was kept per record theirs: the register's retention
/// now, counted from each record's closing. Runs at start; a no-op once every record has it.
pub async fn ensure(state: &AppState) -> anyhow::Result<()> {
    let db = &state.db.conn;
    let mut months_of_form: HashMap<i32, i32> = HashMap::new();
    loop {
        let sheets = evaluations::Entity::find()
            .filter(evaluations::Column::RetentionMonths.is_null())
            .filter(evaluations::Column::SubmittedAt.is_not_null())
            .order_by_asc(evaluations::Column::Id)
            .limit(FILL_PAGE)
            .all(db)
            .await?;
        if sheets.is_empty() {
            break;
        }
        let txn = state.db.write().await?;
        for sheet in &sheets {
            let months = match months_of_form.get(&sheet.form_id) {
                Some(months) => *months,
                None => {
                    let months = form_months(&*txn, sheet.form_id).await?;
                    months_of_form.insert(sheet.form_id, months);
                    months
                }
            };
            let closing = match (sheet.resolved_at, sheet.acknowledged_at) {
                (Some(at), _) => Some((at, counts_from::RESOLVED)),
                (None, Some(at)) => Some((at, counts_from::ACKNOWLEDGED)),
                (None, None) => None,
            };
            evaluations::Entity::update_many()
                .col_expr(evaluations::Column::RetentionMonths, Expr::value(months))
                .col_expr(
                    evaluations::Column::RetainUntil,
                    Expr::value(closing.map(|(at, _)| retain_until(state, at, months))),
                )
                .col_expr(evaluations::Column::RetentionFrom, Expr::value(closing.map(|(_, from)| from)))
                .filter(evaluations::Column::Id.eq(sheet.id))
                .exec(&*txn)
                .await?;
        }
        txn.commit().await?;
    }
    let f19 = register_months(db, F19_CODE).await?;
    loop {
        let rows = validations::Entity::find()
            .filter(validations::Column::RetentionMonths.is_null())
            .order_by_asc(validations::Column::Id)
            .limit(FILL_PAGE)
            .all(db)
            .await?;
        if rows.is_empty() {
            break;
        }
        let ids: Vec<i32> = rows.iter().map(|v| v.id).collect();
        let closed: HashMap<i32, DateTime<Utc>> = followups::Entity::find()
            .filter(followups::Column::ValidationId.is_in(ids))
            .filter(followups::Column::Status.eq(FollowupStatus::Closed))
            .all(db)
            .await?
            .into_iter()
            .filter_map(|f| Some((f.validation_id, f.closed_at?)))
            .collect();
        let txn = state.db.write().await?;
        for row in &rows {
            let closing = match row.result {
                ValidationResult::Approved => Some((row.validated_at, counts_from::VALIDATED)),
                ValidationResult::Returned => closed.get(&row.id).map(|at| (*at, counts_from::FOLLOWUP_CLOSED)),
            };
            let until = match closing {
                Some((at, _)) => retain_until(state, at, f19),
                None => retain_until(state, row.validated_at, f19),
            };
            validations::Entity::update_many()
                .col_expr(validations::Column::RetentionMonths, Expr::value(f19))
                .col_expr(validations::Column::RetainUntil, Expr::value(until))
                .col_expr(validations::Column::RetentionFrom, Expr::value(closing.map(|(_, from)| from)))
                .filter(validations::Column::Id.eq(row.id))
                .exec(&*txn)
                .await?;
        }
        txn.commit().await?;
    }
    Ok(())
}
