//! `GET /api/records/due`: the records past retention and not held, by form and the month they
//! fell due (issue 15 item 2).
use super::select::{self, active_holds, count};
use crate::db::now;
use crate::error::{ApiError, ApiResult};
use crate::site_time::site_date;
use crate::state::AppState;
use domain::dates::Date;
use domain::problems::Problem;
use domain::records::{DueGroup, DueList, DueQuery, month_end, parse_month};
use sea_orm::sea_query::{Alias, Expr, Func, Order};
use sea_orm::{ExprTrait, FromQueryResult};

#[derive(FromQueryResult)]
struct Group {
    month: String,
    n: i64,
    months: Option<i32>,
}

/// The last day a `through` month lets in, or 422.
pub fn through_day(field: &str, text: &str, today: Date) -> ApiResult<Date> {
    let (year, month) = parse_month(text.trim()).ok_or_else(|| ApiError::field(field, Problem::InvalidDate))?;
    if (year, month) > (today.year, today.month) {
        return Err(ApiError::field(field, Problem::InFuture));
    }
    Ok(month_end(year, month))
}

pub async fn due(state: &AppState, query: &DueQuery) -> ApiResult<DueList> {
    let db = &state.db.conn;
    let today = site_date(state, now());
    let through = match query.through.as_deref().filter(|t| !t.trim().is_empty()) {
        Some(text) => Some(through_day("through", text, today)?),
        None => None,
    };
    let mut forms = select::forms(db).await?;
    if let Some(code) = query.form.as_deref().filter(|c| !c.trim().is_empty()) {
        forms.retain(|f| f.code == code.trim());
        if forms.is_empty() {
            return Err(ApiError::field("form", Problem::NotAForm));
        }
    }
    let holds = active_holds(db).await?;
    let mut groups = Vec::new();
    let mut held = 0;
    for form in &forms {
        let mut cond = form.due(state, &holds, today);
        if let Some(through) = through {
            cond = cond.add(form.retain_until().lte(through.to_string()));
        }
        // Spelt out, not bound: PostgreSQL matches the grouped expression to the selected one by text.
        let month = Expr::cust("substr(r.retain_until, 1, 7)");
        let mut q = form.from();
        q.expr_as(month.clone(), Alias::new("month"))
            .expr_as(Expr::cust("COUNT(*)"), Alias::new("n"))
            .expr_as(Func::max(Expr::col((Alias::new("r"), Alias::new("retention_months")))), Alias::new("months"))
            .cond_where(cond)
            .add_group_by([month.clone()])
            .order_by_expr(month, Order::Asc);
        for g in Group::find_by_statement(db.get_database_backend().build(&q)).all(db).await? {
            groups.push(DueGroup {
                form: form.code.clone(),
                form_title: form.title.clone(),
                month: g.month,
                count: g.n,
                retention_months: g.months.unwrap_or(form.months),
            });
        }
        if let Some(covered) = form.held(state, &holds) {
            held += count(db, form.from(), form.past_retention(today).add(covered)).await?;
        }
    }
    let total = groups.iter().map(|g| g.count).sum();
    Ok(DueList { today: today.to_string(), groups, total, held })
}
