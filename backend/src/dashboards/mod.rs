//! `GET /api/dashboards/overview`: the tallies behind the landing page's dashboard (issue 13) —
//! F-18 sheets and the agents' answers, F-19 validations and closed W-03 RETURNs of a scope, for
//! the period, the period before and each month of the trend, and what waits now. The browser
//! turns tallies into figures with `domain::metrics`, as `docs/metrics.md` defines them.
//!
//! The tallies are read from the roll-up `dashboard_day_stats` (`rollup`), kept per site day of
//! the call, team, agent, service and bucket by the writes themselves: one aggregate over the days
//! that cover every stretch (the trend's twelve months and the period before), with a
//! `SUM(CASE …)` column per stretch and count — never the sheets, cases or follow-ups. What is
//! waiting is two small counts over the open rows.
//!
//! Who sees what is the lists' rule (`domain::cases::visibility`): the site for QC and managers
//! (narrowed to a team on request), a team leader their own team, an agent their own records
//! beside their team's period; another team is 403, as on the F-19 report.
//!
//! `export` writes the month-by-month table as CSV or XLSX (`/api/dashboards/overview/table`);
//! `heatmap` answers the per-parameter fail-rate map of the same scope (`/api/dashboards/heatmap`).

use crate::auth::AuthUser;
use crate::cases::service::deadlines::{awaits_agent, how_many, overdue_expr, verify_overdue_expr};
use crate::cases::service::{CASE_TABLE, FOLLOWUP_TABLE, counted, stored};
use crate::db::now;
use crate::error::{ApiError, ApiResult, Query};
use crate::site_time::site_date;
use crate::state::AppState;
use axum::extract::State;
use chrono::{DateTime, Utc};
use domain::Action;
use domain::api::ErrorBody;
use domain::cases::{Bucket, CaseStatus, FollowupStatus, Service, Visibility, visibility};
use domain::metrics::{DashboardFilter, Overview, Period, TrendPoint, Waiting};
use domain::problems::Problem;
use entity::{cases, followups, teams};
use sea_orm::sea_query::{Alias, Asterisk, Condition, Expr, Func, JoinType, SelectStatement};
use sea_orm::{ConnectionTrait, EntityTrait, ExprTrait, QueryResult};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

mod breakdown;
mod export;
mod heatmap;
pub mod rollup;
mod work_export;
mod workload;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(overview))
        .routes(routes!(overview_table))
        .routes(routes!(breakdown::breakdown))
        .routes(routes!(breakdown::breakdown_table))
        .routes(routes!(heatmap::heatmap))
        .routes(routes!(heatmap::heatmap_table))
        .routes(routes!(workload::workload))
        .routes(routes!(workload::workload_table))
}

/// The overview of the caller's scope: tallies for the period (default: this month so far), the
/// period before it and the twelve months of the trend, and the agrees and RETURNs waiting now.
/// Counts only: every figure is computed from them by `domain::metrics`.
#[utoipa::path(get, path = "/dashboards/overview", tag = "reports",
    params(DashboardFilter),
    responses((status = 200, body = Overview), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)),
    security(("bearer" = [])))]
async fn overview(
    State(state): State<AppState>,
    auth: AuthUser,
    Query(filter): Query<DashboardFilter>,
) -> ApiResult<axum::Json<Overview>> {
    auth.require(Action::ViewCases)?;
    overview_at(&state, &auth, &filter, now()).await.map(axum::Json)
}

/// The overview's month-by-month table as a file (`format=csv|xlsx`, with the overview's
/// filter and scope): each month's six figures, as the page shows them, with the count behind
/// each.
#[utoipa::path(get, path = "/dashboards/overview/table", tag = "reports",
    params(DashboardFilter, export::TableFormat),
    responses((status = 200, description = "the CSV or XLSX file"), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)),
    security(("bearer" = [])))]
async fn overview_table(
    State(state): State<AppState>,
    auth: AuthUser,
    Query(filter): Query<DashboardFilter>,
    Query(format): Query<export::TableFormat>,
) -> ApiResult<axum::response::Response> {
    auth.require(Action::ViewCases)?;
    let format = format.checked()?;
    let overview = overview_at(&state, &auth, &filter, now()).await?;
    let (name, bytes) = export::table(&state, &overview, format).await?;
    Ok(format.attachment(&name, bytes))
}

/// Whose records a tally counts: narrowed by team, agent, service and bucket.
#[derive(Debug, Clone, Copy, Default)]
struct Scope {
    team: Option<i32>,
    agent: Option<i32>,
    service: Option<Service>,
    bucket: Option<Bucket>,
}

impl Scope {
    /// The same scope over the roll-up's columns.
    fn rolled(self) -> rollup::Scope {
        rollup::Scope { team: self.team, agent: self.agent, service: self.service, bucket: self.bucket }
    }

    /// The scope's conditions on a table `alias` with the four usual columns.
    fn on(self, alias: &str) -> Condition {
        let col = |name: &str| Expr::col((Alias::new(alias), Alias::new(name)));
        Condition::all()
            .add_option(self.team.map(|t| col("team_id").eq(t)))
            .add_option(self.agent.map(|a| col("agent_id").eq(a)))
            .add_option(self.service.map(|s| col("service").eq(stored(s))))
            .add_option(self.bucket.map(|b| col("bucket").eq(stored(b))))
    }
}

/// The period and the scope a dashboard of `who` counts, from its filter, as at `at`: the site
/// for QC and managers (a team when `team_id` names one), a team leader's own team, an agent's
/// own records in their team. Refuses a bad filter (422), an unknown team (422 on `team_id`),
/// another team than the caller's own for team leaders and agents, and roles that see no cases
/// (403). Every dashboard route reads its scope here, so they agree on who sees what.
async fn scope_of(
    state: &AppState,
    who: &AuthUser,
    filter: &DashboardFilter,
    at: DateTime<Utc>,
) -> ApiResult<(Period, Scope)> {
    let checked = filter.check(site_date(state, at)).map_err(ApiError::Validation)?;
    let asked_team = checked
        .team_id
        .map(|t| i32::try_from(t).map_err(|_| ApiError::field("team_id", Problem::NotFound)))
        .transpose()?;
    if let Some(team) = asked_team
        && teams::Entity::find_by_id(team).one(&state.db.conn).await?.is_none()
    {
        return Err(ApiError::field("team_id", Problem::NotFound));
    }
    let visible = visibility(who.role);
    // A team leader's and an agent's scope is their own team: another is not theirs to see.
    if matches!(visible, Visibility::Team | Visibility::Own) && asked_team.is_some() && asked_team != who.team_id {
        return Err(ApiError::Forbidden);
    }
    let (team, agent) = match visible {
        Visibility::All => (asked_team, None),
        Visibility::Team => (Some(who.team_id.ok_or(ApiError::Forbidden)?), None),
        Visibility::Own => (who.team_id, Some(who.id)),
        Visibility::None => return Err(ApiError::Forbidden),
    };
    Ok((checked.period, Scope { team, agent, service: checked.service, bucket: checked.bucket }))
}

/// The overview as it stands at `at`.
pub async fn overview_at(
    state: &AppState,
    who: &AuthUser,
    filter: &DashboardFilter,
    at: DateTime<Utc>,
) -> ApiResult<Overview> {
    let (period, scope) = scope_of(state, who, filter, at).await?;
    let db = &state.db.conn;
    let previous = period.previous();
    let trend = period.trend();
    let mut stretches = vec![period, previous];
    let months = trend.months();
    for month in &months {
        let whole = Period::month(*month);
        stretches.push(Period { from: whole.from.max(trend.from), to: whole.to.min(trend.to) });
    }
    let days: Vec<_> = stretches.iter().map(|p| (p.from, p.to)).collect();
    let mut tallies = rollup::sums(db, scope.rolled(), &days).await?;
    let team = match scope.agent {
        Some(_) if scope.team.is_some() => {
            let team_scope = Scope { agent: None, ..scope };
            Some(rollup::sums(db, team_scope.rolled(), &days[..1]).await?[0])
        }
        _ => None,
    };
    let trend_points = months
        .iter()
        .zip(tallies.drain(2..))
        .map(|(month, tallies)| TrendPoint { month: month.to_string(), tallies })
        .collect();
    Ok(Overview {
        from: period.from.to_string(),
        to: period.to.to_string(),
        previous_from: previous.from.to_string(),
        previous_to: previous.to.to_string(),
        team_id: scope.team.map(i64::from),
        agent_id: scope.agent.map(i64::from),
        service: scope.service,
        bucket: scope.bucket,
        current: tallies[0],
        previous: tallies[1],
        trend: trend_points,
        team,
        waiting: waiting(state, db, scope, at).await?,
    })
}

/// The agrees not validated yet and the RETURNs not closed in the scope, now.
async fn waiting(state: &AppState, db: &impl ConnectionTrait, scope: Scope, at: DateTime<Utc>) -> ApiResult<Waiting> {
    let c = CASE_TABLE;
    let mut waiting = Waiting::default();
    if scope.agent.is_none() {
        // The site's or a team's: the roll-up's pending agrees per call day.
        let days = rollup::pending_days(db, scope.rolled()).await?;
        waiting.pending_agrees = days.iter().map(|(_, n)| n).sum();
        waiting.oldest_pending_day = days.first().map(|(day, _)| day.to_string());
    } else {
        // An agent's own: few, counted.
        let mut query = SelectStatement::new();
        query
            .expr_as(Func::count(Expr::col(Asterisk)), "pending")
            .expr_as(Func::min(Expr::col((Alias::new(c), cases::Column::CallAt))), "oldest")
            .from_as(cases::Entity, Alias::new(c))
            .and_where(Expr::col((Alias::new(c), cases::Column::Status)).eq(stored(CaseStatus::Pending)))
            .cond_where(scope.on(c));
        if let Some(row) = one(db, &query).await? {
            waiting.pending_agrees = count(&row, "pending");
            let oldest: Option<DateTime<Utc>> = row.try_get("", "oldest").ok().flatten();
            waiting.oldest_pending_day = oldest.map(|at| site_date(state, at).to_string());
        }
    }

    let f = FOLLOWUP_TABLE;
    let mut query = SelectStatement::new();
    query
        .expr_as(how_many(awaits_agent()), "open")
        .expr_as(how_many(overdue_expr(at).or(verify_overdue_expr(at))), "overdue")
        .expr_as(
            how_many(Expr::col((Alias::new(f), followups::Column::Status)).eq(stored(FollowupStatus::Recared))),
            "recared",
        )
        .from_as(followups::Entity, Alias::new(f))
        .join_as(
            JoinType::InnerJoin,
            cases::Entity,
            Alias::new(c),
            Expr::col((Alias::new(c), cases::Column::Id)).equals((Alias::new(f), followups::Column::CaseId)),
        )
        .and_where(crate::cases::service::deadlines::not_closed())
        .cond_where(scope.on(c));
    if let Some(row) = one(db, &query).await? {
        waiting.open_returns = count(&row, "open");
        waiting.overdue_returns = count(&row, "overdue");
        waiting.recared_returns = count(&row, "recared");
    }
    Ok(waiting)
}

async fn one(db: &impl ConnectionTrait, query: &SelectStatement) -> ApiResult<Option<QueryResult>> {
    let statement = db.get_database_backend().build(query);
    Ok(db.query_one_raw(statement).await?)
}

/// A count column (NULL when no row matched: 0).
fn count(row: &QueryResult, column: &str) -> u64 {
    counted(row.try_get("", column).ok().flatten())
}
