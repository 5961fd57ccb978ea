//! `GET /api/reports/parameter-fail-rates`: per parameter key, how often it was answered,
//! failed and N/A over a period, read from the daily roll-up ([`super::stats`]) and labelled
//! from the newest form version that has the key.

use super::forms::sections_of;
use super::stats;
use crate::auth::AuthUser;
use crate::error::{ApiError, ApiResult};
use crate::site_time::{self, required_day};
use crate::state::AppState;
use domain::Action;
use domain::cases::{Visibility, visibility};
use domain::scoring::FailRateQuery;
use domain::scoring::{self as rules, FailRateReport, FormStatus, ParameterFailRate};
use entity::scoring_forms;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
use std::collections::BTreeMap;

/// Per parameter key: how often it was answered, failed and N/A on the submitted sheets of a
/// team (team leaders: their own) whose call falls in the period, from the daily roll-up
/// (`super::stats`).
pub async fn fail_rates(state: &AppState, auth: &AuthUser, query: &FailRateQuery) -> ApiResult<FailRateReport> {
    if !auth.may(Action::ViewTeam) && !auth.may(Action::ScoreCalls) {
        return Err(ApiError::Forbidden);
    }
    let from = required_day("from", query.from.as_deref().unwrap_or_default())?;
    let to = required_day("to", query.to.as_deref().unwrap_or_default())?;
    site_time::days(state, from, to)?;
    let (from_day, to_day) = (from.to_string(), to.to_string());
    let team = match (visibility(auth.role), query.team_id) {
        (Visibility::Team, Some(team)) if Some(team) != auth.team_id => return Err(ApiError::Forbidden),
        (Visibility::Team, _) => Some(auth.team_id.ok_or(ApiError::Forbidden)?),
        (_, team) => team,
    };
    let db = &state.db.conn;
    let rows = stats::sums(db, team, &from_day, &to_day).await?;
    // Labels from the newest form version that has the key.
    let mut labels: BTreeMap<String, String> = BTreeMap::new();
    for form in scoring_forms::Entity::find()
        .filter(scoring_forms::Column::Status.ne(FormStatus::Draft))
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
