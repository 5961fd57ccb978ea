//! The dashboards' breakdowns (issue 13): the overview's tallies of one period split by team,
//! agent, service or bucket (`GET /api/dashboards/breakdown`), and the per-parameter fail rate
//! as a heatmap of parameters × teams (the site) or × agents (a team)
//! (`GET /api/dashboards/heatmap`). The server sends counts; the browser and the exports turn
//! them into figures with [`Tallies::figure`] and [`super::parameter_fail_rate`].

use super::{ParameterTally, Tallies};
use crate::cases::{Bucket, Service};
use serde::{Deserialize, Serialize};

crate::codes::code_enum! {
    /// What a breakdown groups by (`by=`).
    pub enum Dimension {
        Team,
        Agent,
        Service,
        Bucket,
    }
}

/// A breakdown's query beside the [`super::DashboardFilter`]: `by` (required) and, for an
/// export, `format`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams), into_params(parameter_in = Query))]
pub struct BreakdownQuery {
    /// `team`, `agent`, `service` or `bucket`.
    #[serde(default)]
    pub by: Option<String>,
}

/// One group of a breakdown: its key (a team's or agent's id, a service's or bucket's code), its
/// label (the name as it stands, the code's label) and its tallies over the period.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BreakdownRow {
    pub key: String,
    pub label: String,
    pub tallies: Tallies,
}

/// `GET /api/dashboards/breakdown`: the period's tallies of the caller's scope (as the overview's)
/// per group, groups with nothing counted left out, ordered by label.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Breakdown {
    pub by: Dimension,
    pub from: String,
    pub to: String,
    pub team_id: Option<i64>,
    pub agent_id: Option<i64>,
    pub service: Option<Service>,
    pub bucket: Option<Bucket>,
    pub rows: Vec<BreakdownRow>,
}

/// A heatmap column: a team (the site's map) or an agent (a team's).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct HeatmapColumn {
    pub key: String,
    pub label: String,
}

/// A heatmap row: a parameter of the F-18 forms, labelled from the newest form version that has it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct HeatmapParameter {
    pub key: String,
    pub label: String,
    pub fatal: bool,
}

/// One cell: a parameter's answers in one column's counted sheets.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct HeatmapCell {
    pub parameter: String,
    pub column: String,
    pub tally: ParameterTally,
}

/// `GET /api/dashboards/heatmap`: per parameter and team (`by` = `team`: the site) or agent
/// (`agent`: a team, or an agent's own), the answers of the period's counted sheets.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Heatmap {
    pub by: Dimension,
    pub from: String,
    pub to: String,
    pub team_id: Option<i64>,
    pub agent_id: Option<i64>,
    pub service: Option<Service>,
    pub bucket: Option<Bucket>,
    pub columns: Vec<HeatmapColumn>,
    pub parameters: Vec<HeatmapParameter>,
    pub cells: Vec<HeatmapCell>,
}

/// How many of a heatmap's worst cells are marked.
pub const WORST_CELLS: usize = 3;

/// The least answered a cell must be to be marked among the worst: one fail in two answers is
/// noise, not a finding.
pub const WORST_MIN_ANSWERED: u64 = 5;

impl Heatmap {
    /// The cells marked as the worst: the [`WORST_CELLS`] highest fail rates among cells answered
    /// at least [`WORST_MIN_ANSWERED`] times and failed at least once; ties by more fails, then
    /// by position (parameter, column), so the marks are stable.
    pub fn worst(&self) -> Vec<(String, String)> {
        // Three passes for the highest remaining, rather than a sort: the browser computes this
        // too, and a sort's code costs its bundle more than the loop.
        let counts = |c: &HeatmapCell| (u128::from(c.tally.fail), u128::from(c.tally.pass + c.tally.fail));
        let worse = |a: &HeatmapCell, b: &HeatmapCell| {
            let ((af, an), (bf, bn)) = (counts(a), counts(b));
            af * bn > bf * an || (af * bn == bf * an && af > bf)
        };
        let mut chosen: Vec<&HeatmapCell> = Vec::new();
        for _ in 0..WORST_CELLS {
            let mut best: Option<&HeatmapCell> = None;
            for c in &self.cells {
                let eligible = c.tally.fail > 0 && c.tally.pass + c.tally.fail >= WORST_MIN_ANSWERED;
                if eligible && !chosen.iter().any(|d| std::ptr::eq(*d, c)) && best.is_none_or(|b| worse(c, b)) {
                    best = Some(c);
                }
            }
            match best {
                Some(c) => chosen.push(c),
                None => break,
            }
        }
        chosen.into_iter().map(|c| (c.parameter.clone(), c.column.clone())).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cell(parameter: &str, column: &str, pass: u64, fail: u64) -> HeatmapCell {
        HeatmapCell { parameter: parameter.into(), column: column.into(), tally: ParameterTally { pass, fail, na: 0 } }
    }

    #[test]
    fn the_worst_cells_are_the_highest_fail_rates_with_enough_answers() {
        let map = Heatmap {
            by: Dimension::Team,
            from: "2026-01-01".into(),
            to: "2026-01-31".into(),
            team_id: None,
            agent_id: None,
            service: None,
            bucket: None,
            columns: vec![],
            parameters: vec![],
            cells: vec![
                cell("a", "1", 1, 1), // 50 %, too few answers
                cell("a", "2", 5, 5), // 50 %
                cell("b", "1", 2, 8), // 80 %
                cell("b", "2", 8, 2), // 20 %
                cell("c", "1", 10, 0),
                cell("c", "2", 5, 5), // 50 %, tie with a/2 on rate and fails: by position
            ],
        };
        assert_eq!(
            map.worst(),
            [("b".to_owned(), "1".to_owned()), ("a".to_owned(), "2".to_owned()), ("c".to_owned(), "2".to_owned())]
        );
    }

    #[test]
    fn dimensions_are_words() {
        assert_eq!("agent".parse::<Dimension>(), Ok(Dimension::Agent));
        assert_eq!(Dimension::Bucket.as_str(), "bucket");
        assert!("qco".parse::<Dimension>().is_err());
    }
}
