//! `GET /api/dashboards/breakdown?by=team|agent|service|bucket`: the overview's tallies of the
//! period split by one of the filter bar's own dimensions — which team's score is falling, which
//! agent's RETURN rate is high, whether CT-0 or PRANPC approves more — for the bar charts under
//! the overview, and `…/breakdown/table` as CSV or XLSX. Read from the same roll-up as the
//! overview (`rollup::grouped`, one `GROUP BY` over the period's days), in the same scope: a team
//! leader's groups are their own team's agents, an agent's only themselves.

use super::export::{self, TableFormat};
use super::{now, scope_of};
use crate::auth::AuthUser;
use crate::error::{ApiError, ApiResult, Query};
use crate::state::AppState;
use axum::extract::State;
use chrono::{DateTime, Utc};
use domain::Action;
use domain::api::ErrorBody;
use domain::cases::{Bucket, Service};
use domain::metrics::{Breakdown, BreakdownQuery, BreakdownRow, DashboardFilter, Dimension};
use domain::problems::Problem;
use entity::{teams, users};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use std::collections::HashMap;

/// The period's tallies of the caller's scope per team, agent, service or bucket (`by`), with
/// the overview's filter; groups that counted nothing are left out.
#[utoipa::path(get, path = "/dashboards/breakdown", tag = "reports",
    params(DashboardFilter, BreakdownQuery),
    responses((status = 200, body = Breakdown), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn breakdown(
    State(state): State<AppState>,
    auth: AuthUser,
    Query(filter): Query<DashboardFilter>,
    Query(query): Query<BreakdownQuery>,
) -> ApiResult<axum::Json<Breakdown>> {
    auth.require(Action::ViewCases)?;
    breakdown_at(&state, &auth, &filter, &query, now()).await.map(axum::Json)
}

/// A breakdown as a file (`format=csv|xlsx`): a row per group with the six figures of the
/// overview and the count behind each, as the page's table shows them.
#[utoipa::path(get, path = "/dashboards/breakdown/table", tag = "reports",
    params(DashboardFilter, BreakdownQuery, TableFormat),
    responses((status = 200, description = "the CSV or XLSX file"), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn breakdown_table(
    State(state): State<AppState>,
    auth: AuthUser,
    Query(filter): Query<DashboardFilter>,
    Query(query): Query<BreakdownQuery>,
    Query(format): Query<TableFormat>,
) -> ApiResult<axum::response::Response> {
    auth.require(Action::ViewCases)?;
    let format = format.checked()?;
    let b = breakdown_at(&state, &auth, &filter, &query, now()).await?;
    let (name, bytes) = export::breakdown(&state, &b, format).await?;
    Ok(format.attachment(&name, bytes))
}

/// `by`, required: one of the four words, else 422 on `by`.
fn dimension(query: &BreakdownQuery) -> ApiResult<Dimension> {
    match query.by.as_deref().map(str::trim) {
        None | Some("") => Err(ApiError::field("by", Problem::Required)),
        Some(word) => word.parse().map_err(|_| ApiError::field("by", Problem::UnknownGrouping)),
    }
}

/// The breakdown as it stands at `at`.
async fn breakdown_at(
    state: &AppState,
    who: &AuthUser,
    filter: &DashboardFilter,
    query: &BreakdownQuery,
    at: DateTime<Utc>,
) -> ApiResult<Breakdown> {
    let by = dimension(query)?;
    let (period, scope) = scope_of(state, who, filter, at).await?;
    let db = &state.db.conn;
    let groups = super::rollup::grouped(db, scope.rolled(), period.from, period.to, by).await?;
    let ids = |groups: &[(String, _)]| -> Vec<i32> { groups.iter().filter_map(|(k, _)| k.parse().ok()).collect() };
    let names: HashMap<String, String> = match by {
        Dimension::Team => teams::Entity::find()
            .filter(teams::Column::Id.is_in(ids(&groups)))
            .all(db)
            .await?
            .into_iter()
            .map(|t| (t.id.to_string(), t.name))
            .collect(),
        Dimension::Agent => users::Entity::find()
            .filter(users::Column::Id.is_in(ids(&groups)))
            .all(db)
            .await?
            .into_iter()
            .map(|u| (u.id.to_string(), u.full_name))
            .collect(),
        Dimension::Service => Service::ALL.iter().map(|s| (s.as_str().to_owned(), s.label().to_owned())).collect(),
        Dimension::Bucket => Bucket::ALL.iter().map(|b| (b.as_str().to_owned(), b.label().to_owned())).collect(),
    };
    let mut rows: Vec<BreakdownRow> = groups
        .into_iter()
        .filter(|(_, tallies)| *tallies != Default::default())
        .map(|(key, tallies)| {
            // Team 0 holds the records of agents without a team.
            let label = names.get(&key).cloned().unwrap_or_else(|| if key == "0" { "—".into() } else { key.clone() });
            BreakdownRow { key, label, tallies }
        })
        .collect();
    // Services and buckets in the SOP's order; teams and agents by name.
    match by {
        Dimension::Service | Dimension::Bucket => {
            let rank = |key: &str| match by {
                Dimension::Service => Service::ALL.iter().position(|s| s.as_str() == key),
                _ => Bucket::ALL.iter().position(|b| b.as_str() == key),
            };
            rows.sort_by_key(|r| rank(&r.key).unwrap_or(usize::MAX));
        }
        _ => rows.sort_by(|a, b| a.label.to_lowercase().cmp(&b.label.to_lowercase()).then(a.key.cmp(&b.key))),
    }
    Ok(Breakdown {
        by,
        from: period.from.to_string(),
        to: period.to.to_string(),
        team_id: scope.team.map(i64::from),
        agent_id: scope.agent.map(i64::from),
        service: scope.service,
        bucket: scope.bucket,
        rows,
    })
}
