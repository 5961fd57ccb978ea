//! The records of a form as SQL: which rows, their columns, and the conditions of due and held.
//!
//! F-18 sheets are `evaluations` rows of the scoring forms filed under the register code; F-19
//! records are `validations` joined to their case, named by the case id.
use crate::error::{ApiError, ApiResult};
use crate::site_time::day_start;
use crate::state::AppState;
use domain::cases::F19_CODE;
use domain::dates::Date;
use domain::documents::DocKind;
use domain::problems::Problem;
use entity::{documents, legal_holds};
use sea_orm::sea_query::{Alias, Cond, Condition, Expr, IntoCondition, Query, SelectStatement, SimpleExpr};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, ExprTrait, QueryFilter, QueryOrder, QuerySelect};

/// What a form's records are.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// F-18 sheets (`evaluations`), named by the sheet id.
    Sheets,
    /// F-19 validations with their case and follow-up, named by the case id.
    Validations,
}

/// A form whose records Mutu keeps, as the register has it now.
#[derive(Debug, Clone)]
pub struct RecordForm {
    pub code: String,
    pub title: String,
    pub kind: Kind,
    pub months: i32,
}

/// The register's forms with a retention: the ones that have records.
pub async fn forms(db: &impl ConnectionTrait) -> ApiResult<Vec<RecordForm>> {
    let docs = documents::Entity::find()
        .filter(documents::Column::Kind.eq(DocKind::Form))
        .filter(documents::Column::RetentionMonths.is_not_null())
        .order_by_asc(documents::Column::Code)
        .all(db)
        .await?;
    Ok(docs
        .into_iter()
        .map(|d| RecordForm {
            kind: if d.code == F19_CODE { Kind::Validations } else { Kind::Sheets },
            months: d.retention_months.unwrap_or(crate::scoring::forms::DEFAULT_RETENTION_MONTHS),
            code: d.code,
            title: d.title,
        })
        .collect())
}

/// The form a request names, or 422 on `field`.
pub async fn form(db: &impl ConnectionTrait, field: &str, code: &str) -> ApiResult<RecordForm> {
    forms(db)
        .await?
        .into_iter()
        .find(|f| f.code == code.trim())
        .ok_or_else(|| ApiError::field(field, Problem::NotAForm))
}

fn col(table: &str, column: &str) -> Expr {
    Expr::col((Alias::new(table), Alias::new(column)))
}

impl RecordForm {
    /// `SELECT … FROM` the form's records, without columns.
    pub fn from(&self) -> SelectStatement {
        let mut q = Query::select();
        match self.kind {
            Kind::Sheets => {
                q.from_as(Alias::new("evaluations"), Alias::new("r")).and_where(
                    col("r", "form_id").in_subquery(
                        Query::select()
                            .column(Alias::new("id"))
                            .from(Alias::new("scoring_forms"))
                            .and_where(Expr::col(Alias::new("document_code")).eq(self.code.as_str()))
                            .to_owned(),
                    ),
                );
            }
            Kind::Validations => {
                q.from_as(Alias::new("validations"), Alias::new("r")).inner_join(
                    Alias::new("cases"),
                    col("cases", "id").equals((Alias::new("r"), Alias::new("case_id"))),
                );
            }
        }
        q
    }

    /// The record's id (sheet id, case id).
    pub fn id(&self) -> Expr {
        match self.kind {
            Kind::Sheets => col("r", "id"),
            Kind::Validations => col("cases", "id"),
        }
    }

    /// The record's id as a selected column, read as `i64` on both engines (case ids are
    /// `INTEGER`).
    pub fn id_column(&self) -> Expr {
        Expr::cust(match self.kind {
            Kind::Sheets => "CAST(r.id AS BIGINT)",
            Kind::Validations => "CAST(cases.id AS BIGINT)",
        })
    }

    fn of_call(&self, column: &str) -> Expr {
        match self.kind {
            Kind::Sheets => col("r", column),
            Kind::Validations => col("cases", column),
        }
    }

    pub fn call_at(&self) -> Expr {
        self.of_call("call_at")
    }

    pub fn retain_until(&self) -> Expr {
        col("r", "retain_until")
    }

    /// Closed and past retention on `today`.
    pub fn past_retention(&self, today: Date) -> Condition {
        Cond::all().add(col("r", "retention_from").is_not_null()).add(col("r", "retain_until").lt(today.to_string()))
    }

    /// What `hold` covers among this form's records; `None` when it covers none of them.
    pub fn held_by(&self, state: &AppState, hold: &legal_holds::Model) -> Option<Condition> {
        if hold.form.as_deref().is_some_and(|f| f != self.code) {
            return None;
        }
        let mut all = Cond::all();
        if let Some(ids) = &hold.record_ids {
            let ids: Vec<i64> = serde_json::from_str(ids).unwrap_or_default();
            all = all.add(self.id().is_in(ids));
        }
        if let Some(agent) = hold.agent_id {
            all = all.add(self.of_call("agent_id").eq(agent));
        }
        if let Some(team) = hold.team_id {
            all = all.add(self.of_call("team_id").eq(team));
        }
        if let Some(customer) = &hold.customer_no {
            match self.kind {
                Kind::Validations => all = all.add(col("cases", "customer_no").eq(customer.as_str())),
                Kind::Sheets => return None,
            }
        }
        if let Some(from) = hold.from_day.as_deref().and_then(Date::parse) {
            all = all.add(self.call_at().gte(day_start(state, from)));
        }
        if let Some(to) = hold.to_day.as_deref().and_then(Date::parse) {
            all = all.add(self.call_at().lt(day_start(state, Date::from_days(to.to_days() + 1))));
        }
        Some(all)
    }

    /// Covered by any of `holds`; `None` when none of them covers this form.
    pub fn held(&self, state: &AppState, holds: &[legal_holds::Model]) -> Option<Condition> {
        let any: Vec<Condition> = holds.iter().filter_map(|h| self.held_by(state, h)).collect();
        (!any.is_empty()).then(|| any.into_iter().fold(Cond::any(), |c, h| c.add(h)))
    }

    /// Past retention on `today` and not held.
    pub fn due(&self, state: &AppState, holds: &[legal_holds::Model], today: Date) -> Condition {
        let mut due = self.past_retention(today);
        if let Some(held) = self.held(state, holds) {
            due = due.add(held.not());
        }
        due
    }
}

/// The holds in force (never more than `MAX_ACTIVE_HOLDS`).
pub async fn active_holds(db: &impl ConnectionTrait) -> ApiResult<Vec<legal_holds::Model>> {
    Ok(legal_holds::Entity::find()
        .filter(legal_holds::Column::ReleasedAt.is_null())
        .order_by_asc(legal_holds::Column::Id)
        .limit(domain::records::MAX_ACTIVE_HOLDS as u64)
        .all(db)
        .await?)
}

/// `COUNT(*)` of `q` where `cond`.
pub async fn count(db: &impl ConnectionTrait, mut q: SelectStatement, cond: impl IntoCondition) -> ApiResult<i64> {
    q.expr_as(Expr::cust("COUNT(*)"), Alias::new("n")).cond_where(cond);
    let row = db.query_one(&q).await?;
    Ok(row.map(|r| r.try_get::<i64>("", "n")).transpose()?.unwrap_or(0))
}

/// A value as a SQL expression (for callers that compare columns).
pub fn value(v: impl Into<sea_orm::Value>) -> SimpleExpr {
    SimpleExpr::Value(v.into())
}
