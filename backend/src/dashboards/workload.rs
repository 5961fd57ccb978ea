//! `GET /api/dashboards/workload` (issue 13, charts 4–7): in the overview's scope, the agrees
//! waiting for validation and the RETURN follow-ups past a deadline now, each by age in working
//! days; of the period's calls, the closed RETURNs QC reopened, the disputes and how they ended;
//! and each QC officer's sheets, validations, scores and calibration answers.
//!
//! What it reads, and why that is bounded at the site's size:
//! - the ages: one `SUM(CASE …)` column per band over the open rows only (the pending agrees,
//!   the follow-ups not closed — the queues, by their status index), against cutoff instants
//!   computed here from the site calendar (`domain::metrics::band_cutoffs`);
//! - reopened RETURNs: the overview's roll-up (its `closed` and `reopened` counts);
//! - disputes: one aggregate over the period's disputed sheets, grouped by the site days of
//!   dispute and decision so that the days between are counted here, a row per pair of days;
//! - officers: one `GROUP BY` officer over the period's days of `officer_day_stats` (the
//!   roll-up `rollup::add` keeps with the overview's); calibration: the period's closed sessions
//!   and their sheets' answers (a few a week).

use super::{Scope, count, one, scope_of};
use crate::auth::AuthUser;
use crate::cases::service::deadlines::{how_many, overdue_expr, verify_overdue_expr};
use crate::cases::service::{CASE_TABLE, FOLLOWUP_TABLE, stored};
use crate::db::now;
use crate::error::{ApiResult, Query};
use crate::site_time::{day_start, site_date};
use crate::state::AppState;
use axum::extract::State;
use chrono::{DateTime, Utc};
use domain::api::ErrorBody;
use domain::cases::CaseStatus;
use domain::dates::Date;
use domain::metrics::{
    DashboardFilter, DisputeTally, OfficerRow, Period, Rate, ReopenTally, SheetTally, Workload, band_cutoffs,
    bands_from_cumulative, working_days_in,
};
use domain::scoring::{Answer, CalibrationStatus, DisputeDecision, EvaluationStatus};
use domain::{Action, Role};
use entity::{calibration_sessions, cases, evaluations, followups};
use sea_orm::sea_query::{Alias, Asterisk, Expr, Func, JoinType, SelectStatement};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, ExprTrait, QueryFilter, QuerySelect};
use std::collections::{BTreeMap, HashMap};

/// The work dashboard of the caller's scope (as the overview's): the backlog and the overdue
/// follow-ups now by age in working days, the period's reopened RETURNs and disputes, and the QC
/// officers' work (all of them for the QC coordinator, managers and admins; a QC officer their
/// own; team leaders and agents none).
#[utoipa::path(get, path = "/dashboards/workload", tag = "reports",
    params(DashboardFilter),
    responses((status = 200, body = Workload), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)),
    security(("bearer" = [])))]
pub(super) async fn workload(
    State(state): State<AppState>,
    auth: AuthUser,
    Query(filter): Query<DashboardFilter>,
) -> ApiResult<axum::Json<Workload>> {
    auth.require(Action::ViewCases)?;
    workload_at(&state, &auth, &filter, now()).await.map(axum::Json)
}

/// One chart of the work dashboard as a file (`chart=backlog|overdue|disputes|officers`,
/// `format=csv|xlsx`, with the dashboard's filter and scope): its rows as the page draws them,
/// under the header block of every dashboard file with the chart's own line.
#[utoipa::path(get, path = "/dashboards/workload/table", tag = "reports",
    params(DashboardFilter, super::work_export::WorkChart, super::export::TableFormat),
    responses((status = 200, description = "the CSV or XLSX file"), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)),
    security(("bearer" = [])))]
pub(super) async fn workload_table(
    State(state): State<AppState>,
    auth: AuthUser,
    Query(filter): Query<DashboardFilter>,
    Query(chart): Query<super::work_export::WorkChart>,
    Query(format): Query<super::export::TableFormat>,
) -> ApiResult<axum::response::Response> {
    auth.require(Action::ViewCases)?;
    let (chart, format) = (chart.checked()?, format.checked()?);
    let work = workload_at(&state, &auth, &filter, now()).await?;
    let (name, bytes) = super::work_export::table(&state, &work, chart, format).await?;
    Ok(format.attachment(&name, bytes))
}

/// The work dashboard as it stands at `at`.
pub async fn workload_at(
    state: &AppState,
    who: &AuthUser,
    filter: &DashboardFilter,
    at: DateTime<Utc>,
) -> ApiResult<Workload> {
    let (period, scope) = scope_of(state, who, filter, at).await?;
    let db = &state.db.conn;
    let today = site_date(state, at);
    // A row of the cutoff's day or before is at least the band's age: before 00:00 of the next day.
    let cutoffs: Vec<DateTime<Utc>> = band_cutoffs(today).iter().map(|d| day_start(state, d.add_days(1))).collect();
    let (start, end) = (day_start(state, period.from), day_start(state, period.to.add_days(1)));
    let officers = match who.role {
        Role::Admin | Role::Manager | Role::QcCoordinator => officers(state, scope, period, start, end, None).await?,
        Role::Qco => officers(state, scope, period, start, end, Some(who.id)).await?,
        _ => Vec::new(),
    };
    Ok(Workload {
        from: period.from.to_string(),
        to: period.to.to_string(),
        team_id: scope.team.map(i64::from),
        agent_id: scope.agent.map(i64::from),
        service: scope.service,
        bucket: scope.bucket,
        today: today.to_string(),
        backlog: match scope.agent {
            // The site's or a team's: the roll-up's pending agrees per call day, banded here.
            None => {
                let days = super::rollup::pending_days(db, scope.rolled()).await?;
                let at_least = band_cutoffs(today)
                    .map(|last| days.iter().filter(|(d, _)| *d <= last).map(|(_, n)| n).sum::<u64>());
                bands_from_cumulative(at_least)
            }
            Some(_) => backlog(db, scope, &cutoffs).await?,
        },
        overdue: overdue(db, scope, &cutoffs, at).await?,
        returns: {
            let (closed, reopened) = super::rollup::reopened(db, scope.rolled(), period.from, period.to).await?;
            ReopenTally { closed, reopened }
        },
        disputes: disputes(state, scope, start, end).await?,
        working_days: working_days_in(period.from, period.to, today),
        sheets: super::rollup::sums(db, scope.rolled(), &[(period.from, period.to)]).await?[0].sheets,
        officers,
    })
}

fn col(table: &str, column: impl sea_orm::sea_query::IntoIden) -> Expr {
    Expr::col((Alias::new(table), column))
}

/// The cumulative band columns `b0..b4` of `query` as counts per band.
async fn banded(db: &impl ConnectionTrait, query: &SelectStatement) -> ApiResult<Vec<u64>> {
    let mut at_least = [0; 5];
    if let Some(row) = one(db, query).await? {
        for (band, n) in at_least.iter_mut().enumerate() {
            *n = count(&row, &format!("b{band}"));
        }
    }
    Ok(bands_from_cumulative(at_least))
}

/// The pending agrees of the scope per band of working days since their call.
async fn backlog(db: &impl ConnectionTrait, scope: Scope, cutoffs: &[DateTime<Utc>]) -> ApiResult<Vec<u64>> {
    let c = CASE_TABLE;
    let mut query = SelectStatement::new();
    for (band, cutoff) in cutoffs.iter().enumerate() {
        query.expr_as(how_many(col(c, cases::Column::CallAt).lt(*cutoff)), format!("b{band}"));
    }
    query
        .from_as(cases::Entity, Alias::new(c))
        .and_where(col(c, cases::Column::Status).eq(stored(CaseStatus::Pending)))
        .cond_where(scope.on(c));
    banded(db, &query).await
}

/// The follow-ups of the scope past a deadline at `at`, per band of working days since the
/// deadline's day (the agent's due date while it waits for the agent, QC's deadline once
/// re-cared).
async fn overdue(
    db: &impl ConnectionTrait,
    scope: Scope,
    cutoffs: &[DateTime<Utc>],
    at: DateTime<Utc>,
) -> ApiResult<Vec<u64>> {
    let (f, c) = (FOLLOWUP_TABLE, CASE_TABLE);
    let mut query = SelectStatement::new();
    for (band, cutoff) in cutoffs.iter().enumerate() {
        let before = Ord::min(*cutoff, at);
        query.expr_as(how_many(overdue_expr(before).or(verify_overdue_expr(before))), format!("b{band}"));
    }
    query
        .from_as(followups::Entity, Alias::new(f))
        .join_as(
            JoinType::InnerJoin,
            cases::Entity,
            Alias::new(c),
            col(c, cases::Column::Id).equals((Alias::new(f), followups::Column::CaseId)),
        )
        .and_where(crate::cases::service::deadlines::not_closed())
        .cond_where(scope.on(c));
    banded(db, &query).await
}

/// The counted sheets (submitted, not calibration) of the scope's calls in `start..end`.
fn counted_sheets(scope: Scope, start: DateTime<Utc>, end: DateTime<Utc>) -> SelectStatement {
    let e = "e";
    let mut query = SelectStatement::new();
    query
        .from_as(evaluations::Entity, Alias::new(e))
        .and_where(col(e, evaluations::Column::Status).ne(stored(EvaluationStatus::Draft)))
        .and_where(col(e, evaluations::Column::CalibrationId).is_null())
        .and_where(col(e, evaluations::Column::CallAt).gte(start))
        .and_where(col(e, evaluations::Column::CallAt).lt(end))
        .cond_where(scope.on(e));
    query
}

/// The disputes of the scope's counted sheets, decided ones with the days to their decision.
async fn disputes(state: &AppState, scope: Scope, start: DateTime<Utc>, end: DateTime<Utc>) -> ApiResult<DisputeTally> {
    let db = &state.db.conn;
    let backend = db.get_database_backend();
    let offset = state.config.offset();
    let mut query = counted_sheets(scope, start, end);
    query
        .expr_as(Func::count(Expr::col(Asterisk)), "n")
        .expr_as(col("e", evaluations::Column::ResolutionDecision), "decision")
        .expr_as(Expr::cust(super::rollup::day_of(backend, "e.disputed_at", offset)), "disputed_day")
        .expr_as(Expr::cust(super::rollup::day_of(backend, "e.resolved_at", offset)), "resolved_day")
        .and_where(
            col("e", evaluations::Column::Status)
                .is_in([stored(EvaluationStatus::Disputed), stored(EvaluationStatus::Resolved)]),
        )
        .add_group_by([Expr::cust("2"), Expr::cust("3"), Expr::cust("4")]);
    let rows = db.query_all_raw(backend.build(&query)).await?;
    let mut tally = DisputeTally::default();
    for row in rows {
        let n = count(&row, "n");
        tally.disputed += n;
        let decision: Option<DisputeDecision> = row.try_get("", "decision").ok().flatten();
        let day = |c: &str| row.try_get::<Option<String>>("", c).ok().flatten().and_then(|d| Date::parse(&d));
        match decision {
            Some(DisputeDecision::Uphold) => tally.upheld += n,
            Some(DisputeDecision::Amend) => tally.amended += n,
            None => continue,
        }
        if let (Some(from), Some(to)) = (day("disputed_day"), day("resolved_day")) {
            tally.days += n * u64::try_from(to.to_days() - from.to_days()).unwrap_or(0);
        }
    }
    Ok(tally)
}

/// Each QC officer's work in the scope and period (only `only`'s when given), by name.
async fn officers(
    state: &AppState,
    scope: Scope,
    period: Period,
    start: DateTime<Utc>,
    end: DateTime<Utc>,
    only: Option<i32>,
) -> ApiResult<Vec<OfficerRow>> {
    let db = &state.db.conn;
    let mut rows: BTreeMap<i32, OfficerRow> = BTreeMap::new();
    fn row_of(rows: &mut BTreeMap<i32, OfficerRow>, id: i32) -> &mut OfficerRow {
        rows.entry(id).or_insert_with(|| OfficerRow {
            id: id.into(),
            name: String::new(),
            sheets: SheetTally::default(),
            validations: 0,
            calibration: Rate::default(),
        })
    }

    // Their sheets and validations from the roll-up, one row per officer.
    for (qco, sheets, validations) in super::rollup::officers(db, scope.rolled(), period.from, period.to, only).await? {
        let r = row_of(&mut rows, qco);
        r.sheets = sheets;
        r.validations = validations;
    }

    for (qco, distance) in calibration(db, scope, start, end).await? {
        if only.is_none_or(|id| id == qco) {
            row_of(&mut rows, qco).calibration = distance;
        }
    }
    let names = crate::scoring::shared::user_names(db, rows.keys().copied().collect()).await?;
    let mut out: Vec<OfficerRow> = rows
        .into_values()
        .map(|mut r| {
            r.name = names.get(&(r.id as i32)).map(|n| n.1.clone()).unwrap_or_default();
            r
        })
        .collect();
    out.sort_by(|a, b| a.name.cmp(&b.name).then(a.id.cmp(&b.id)));
    Ok(out)
}

/// Per QC officer, over the closed calibration sessions of calls in `start..end` (narrowed by
/// service and bucket; sessions belong to the site, not a team): answers that differ from their
/// session's majority, out of their answers.
async fn calibration(
    db: &impl ConnectionTrait,
    scope: Scope,
    start: DateTime<Utc>,
    end: DateTime<Utc>,
) -> ApiResult<HashMap<i32, Rate>> {
    let mut sessions = calibration_sessions::Entity::find()
        .filter(calibration_sessions::Column::Status.eq(CalibrationStatus::Closed))
        .filter(calibration_sessions::Column::CallAt.gte(start))
        .filter(calibration_sessions::Column::CallAt.lt(end));
    if let Some(service) = scope.service {
        sessions = sessions.filter(calibration_sessions::Column::Service.eq(service));
    }
    if let Some(bucket) = scope.bucket {
        sessions = sessions.filter(calibration_sessions::Column::Bucket.eq(bucket));
    }
    let sessions = sessions.all(db).await?;
    let mut out: HashMap<i32, Rate> = HashMap::new();
    if sessions.is_empty() {
        return Ok(out);
    }
    let form_ids: Vec<i32> = sessions.iter().map(|s| s.form_id).collect();
    let forms = crate::scoring::forms::forms_by_id(db, form_ids).await?;
    let session_ids: Vec<i32> = sessions.iter().map(|s| s.id).collect();
    let sheets: Vec<(i64, i32, Option<i32>)> = evaluations::Entity::find()
        .select_only()
        .columns([evaluations::Column::Id, evaluations::Column::QcoId, evaluations::Column::CalibrationId])
        .filter(evaluations::Column::CalibrationId.is_in(session_ids))
        .filter(evaluations::Column::Status.ne(EvaluationStatus::Draft))
        .into_tuple()
        .all(db)
        .await?;
    let ids: Vec<i64> = sheets.iter().map(|s| s.0).collect();
    let mut by_sheet = crate::scoring::evaluations::answers::answers_of(db, &ids).await?;
    for session in &sessions {
        let Some(form) = forms.get(&session.form_id) else { continue };
        let scored: Vec<(i64, Vec<Answer>)> = sheets
            .iter()
            .filter(|s| s.2 == Some(session.id))
            .map(|s| (i64::from(s.1), by_sheet.remove(&s.0).unwrap_or_default()))
            .collect();
        for (qco, differs, answered) in
            domain::scoring::majority_distance(&crate::scoring::forms::sections_of(form), &scored)
        {
            *out.entry(qco as i32).or_default() += Rate::new(u64::from(differs), u64::from(answered));
        }
    }
    Ok(out)
}
