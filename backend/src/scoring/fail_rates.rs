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
use sea_orm::ConnectionTrait;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
use std::collections::HashMap;

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
    let labels = ParameterLabels::read(db).await?;
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
            label: labels.label(&key),
            parameter: key,
            answered: answered as u32,
            failed: failed as u32,
            na: na as u32,
            fail_rate: if answered == 0 { 0.0 } else { (failed as f64 / answered as f64 * 10_000.0).round() / 100.0 },
        });
    }
    Ok(FailRateReport { from: from_day, to: to_day, team_id: team.map(i64::from), sheets: sheets as u32, parameters })
}

/// What the forms say of each parameter key, for reports that show keys counted over time: the
/// label and fatal flag of the newest published (non-draft) form version that has the key — a
/// key is stable across versions while its wording may change — and its place in the newest
/// form of all.
#[derive(Debug, Default)]
pub struct ParameterLabels {
    /// Key → (label, fatal), from the newest version that has it.
    known: HashMap<String, (String, bool)>,
    /// Key → its position in the newest form.
    place: HashMap<String, usize>,
}

impl ParameterLabels {
    /// Reads every non-draft form version, oldest first, so that newer ones win.
    pub async fn read(db: &impl ConnectionTrait) -> ApiResult<ParameterLabels> {
        let mut labels = ParameterLabels::default();
        for form in scoring_forms::Entity::find()
            .filter(scoring_forms::Column::Status.ne(FormStatus::Draft))
            .order_by_asc(scoring_forms::Column::Id)
            .all(db)
            .await?
        {
            labels.place.clear();
            for (i, p) in rules::parameters(&sections_of(&form)).enumerate() {
                labels.known.insert(p.key.clone(), (p.label.clone(), p.fatal));
                labels.place.insert(p.key.clone(), i);
            }
        }
        Ok(labels)
    }

    /// The key's label, or the key itself when no form has it (any more).
    pub fn label(&self, key: &str) -> String {
        self.known.get(key).map(|(label, _)| label.clone()).unwrap_or_else(|| key.to_owned())
    }

    /// Whether the newest version that has the key makes it fatal.
    pub fn fatal(&self, key: &str) -> bool {
        self.known.get(key).is_some_and(|(_, fatal)| *fatal)
    }

    /// Sorts keys as the newest form orders its parameters, then the keys it lacks by key.
    pub fn sort(&self, keys: &mut [String]) {
        keys.sort_by(|a, b| {
            let place = |k: &String| self.place.get(k).copied().unwrap_or(usize::MAX);
            place(a).cmp(&place(b)).then_with(|| a.cmp(b))
        });
    }
}
