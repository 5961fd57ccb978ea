//! The answer rows of a sheet: read back (in the form's order), checked before they are stored
//! (`domain::scoring::check_answers` plus the comment text rule) and written. Used by the sheet
//! writers, its view and the dispute resolution's amendment.

use crate::error::{ApiError, ApiResult};
use crate::scoring::shared::{COMMENT_MAX, check_text};
use domain::scoring::{self as rules, Answer, FormSection};
use entity::evaluation_answers;
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseTransaction, EntityTrait, QueryFilter, QueryOrder,
};
use std::collections::HashMap;

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
            value: row.value,
            comment: row.comment,
            moment: row.moment,
        });
    }
    Ok(out)
}

/// Orders answers as the form lists its parameters.
pub(in crate::scoring) fn in_form_order(sections: &[FormSection], mut answers: Vec<Answer>) -> Vec<Answer> {
    let order: HashMap<&str, usize> =
        rules::parameters(sections).enumerate().map(|(i, p)| (p.key.as_str(), i)).collect();
    answers.sort_by_key(|a| order.get(a.parameter.as_str()).copied().unwrap_or(usize::MAX));
    answers
}

/// Checks answers against their form (`domain::scoring::check_answers`) and each comment's text.
pub(in crate::scoring) fn check_answers(sections: &[FormSection], answers: &[Answer], submit: bool) -> ApiResult<()> {
    rules::check_answers(sections, answers, submit)
        .map_err(|errors| ApiError::Validation(errors.into_iter().collect()))?;
    for a in answers {
        if let Some(c) = &a.comment {
            check_text(&format!("answers.{}", a.parameter), c, COMMENT_MAX)?;
        }
    }
    Ok(())
}

/// Stores a sheet's answers (comments and moments trimmed, empty ones as none).
pub(in crate::scoring) async fn insert_answers(
    txn: &DatabaseTransaction,
    evaluation_id: i64,
    answers: &[Answer],
) -> ApiResult<()> {
    if answers.is_empty() {
        return Ok(());
    }
    let rows = answers.iter().map(|a| evaluation_answers::ActiveModel {
        evaluation_id: Set(evaluation_id),
        parameter_key: Set(a.parameter.clone()),
        value: Set(a.value),
        comment: Set(a.comment.as_deref().map(str::trim).filter(|c| !c.is_empty()).map(str::to_owned)),
        moment: Set(a.moment.clone().filter(|m| !m.is_empty())),
    });
    evaluation_answers::Entity::insert_many(rows).exec_without_returning(txn).await?;
    Ok(())
}
