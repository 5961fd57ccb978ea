//! `GET /api/dashboards/heatmap`: the per-parameter fail rate of the F-18 answers as a map of
//! parameters × teams (the site) or × agents (a team, or an agent's own column), for the
//! overview's filter and scope (`super::scope_of`, the same rules as the overview). The server
//! sends counts per cell; the browser and the export turn them into rates with
//! `domain::metrics::parameter_fail_rate`, and mark the worst cells with `Heatmap::worst`.
//!
//! The counts are read from the roll-up `parameter_day_stats` (`crate::scoring::stats`), kept
//! per site day of the call, team, agent, service, bucket and parameter by the writes that submit
//! and amend sheets: one `GROUP BY` over the period's days, never the sheets or their answers.
//! Parameters are labelled (and flagged fatal) as the newest form version that has them says,
//! the way the fail-rate report labels them (`ParameterLabels`), and ordered as the newest form
//! orders them.
//!
//! `GET /api/dashboards/heatmap/table?format=csv|xlsx` is the map as a file: a line per
//! parameter, per column its fail rate and answered count, and a last column naming the columns
//! of that line's worst cells (the XLSX also fills those cells).

use super::export::{Covered, TableFormat, csv_file, xlsx_about};
use super::{Scope, scope_of};
use crate::auth::AuthUser;
use crate::db::now;
use crate::error::{ApiResult, Query};
use crate::http::export::Format;
use crate::scoring::fail_rates::ParameterLabels;
use crate::scoring::stats::{self, MapScope};
use crate::state::AppState;
use crate::workbook::{Styles, failed};
use axum::extract::State;
use chrono::{DateTime, Utc};
use domain::Action;
use domain::api::ErrorBody;
use domain::cases::spreadsheet_safe;
use domain::metrics::{
    DashboardFilter, Dimension, Heatmap, HeatmapCell, HeatmapColumn, HeatmapParameter, ParameterTally,
    parameter_fail_rate,
};
use entity::{teams, users};
use rust_xlsxwriter::{Format as CellFormat, Workbook};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use std::collections::{BTreeSet, HashMap, HashSet};

/// The label of the column of sheets scored without a team (`team_id` 0 in the roll-up).
const NO_TEAM: &str = "—";

/// The fail-rate heatmap of the caller's scope for the period (default: this month so far): per
/// parameter and team (the site) or agent (a team; an agent sees their own column), the pass,
/// fail and N/A answers of the counted sheets. Cells only where something was counted.
#[utoipa::path(get, path = "/dashboards/heatmap", tag = "reports",
    params(DashboardFilter),
    responses((status = 200, body = Heatmap), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)),
    security(("bearer" = [])))]
pub(super) async fn heatmap(
    State(state): State<AppState>,
    auth: AuthUser,
    Query(filter): Query<DashboardFilter>,
) -> ApiResult<axum::Json<Heatmap>> {
    auth.require(Action::ViewCases)?;
    heatmap_at(&state, &auth, &filter, now()).await.map(axum::Json)
}

/// The heatmap as a file (`format=csv|xlsx`, with the heatmap's filter and scope): a line per
/// parameter, per column its fail rate (%) and answered count, and the columns of the line's
/// worst cells (`Heatmap::worst`) named in a last column (filled in the XLSX).
#[utoipa::path(get, path = "/dashboards/heatmap/table", tag = "reports",
    params(DashboardFilter, TableFormat),
    responses((status = 200, description = "the CSV or XLSX file"), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)),
    security(("bearer" = [])))]
pub(super) async fn heatmap_table(
    State(state): State<AppState>,
    auth: AuthUser,
    Query(filter): Query<DashboardFilter>,
    Query(format): Query<TableFormat>,
) -> ApiResult<axum::response::Response> {
    auth.require(Action::ViewCases)?;
    let format = format.checked()?;
    let map = heatmap_at(&state, &auth, &filter, now()).await?;
    let (name, bytes) = table(&state, &map, format).await?;
    Ok(format.attachment(&name, bytes))
}

/// The heatmap as it stands at `at`.
pub(super) async fn heatmap_at(
    state: &AppState,
    who: &AuthUser,
    filter: &DashboardFilter,
    at: DateTime<Utc>,
) -> ApiResult<Heatmap> {
    let (period, scope) = scope_of(state, who, filter, at).await?;
    let Scope { team, agent, service, bucket } = scope;
    // The site's map is per team; a team's (and an agent's own) per agent.
    let by_agent = team.is_some() || agent.is_some();
    let db = &state.db.conn;
    let sums = stats::map_sums(db, MapScope { team, agent, service, bucket, by_agent }, period.from, period.to).await?;

    let ids: Vec<i32> = sums.iter().map(|s| s.column).collect::<BTreeSet<_>>().into_iter().collect();
    let names: HashMap<i32, String> = if by_agent {
        users::Entity::find()
            .filter(users::Column::Id.is_in(ids.clone()))
            .all(db)
            .await?
            .into_iter()
            .map(|u| (u.id, u.full_name))
            .collect()
    } else {
        teams::Entity::find()
            .filter(teams::Column::Id.is_in(ids.clone()))
            .all(db)
            .await?
            .into_iter()
            .map(|t| (t.id, t.name))
            .collect()
    };
    let mut columns: Vec<(i32, String)> = ids
        .into_iter()
        .map(|id| {
            let label = match names.get(&id) {
                Some(name) => name.clone(),
                None if !by_agent && id == 0 => NO_TEAM.to_owned(),
                None => format!("#{id}"),
            };
            (id, label)
        })
        .collect();
    // By name, as the breakdowns order their groups; "no team" last.
    columns.sort_by(|(a, la), (b, lb)| {
        (*a == 0 && !by_agent).cmp(&(*b == 0 && !by_agent)).then(la.cmp(lb)).then(a.cmp(b))
    });

    let labels = ParameterLabels::read(db).await?;
    let mut keys: Vec<String> = sums.iter().map(|s| s.parameter.clone()).collect::<HashSet<_>>().into_iter().collect();
    labels.sort(&mut keys);
    let parameters = keys
        .iter()
        .map(|key| HeatmapParameter { key: key.clone(), label: labels.label(key), fatal: labels.fatal(key) })
        .collect();

    // Cells in the map's reading order: parameter by parameter, column by column.
    let row_of: HashMap<&str, usize> = keys.iter().enumerate().map(|(i, k)| (k.as_str(), i)).collect();
    let column_of: HashMap<i32, usize> = columns.iter().enumerate().map(|(i, (id, _))| (*id, i)).collect();
    let mut cells: Vec<(usize, usize, HeatmapCell)> = sums
        .into_iter()
        .map(|s| {
            let place = (row_of[s.parameter.as_str()], column_of[&s.column]);
            let tally = ParameterTally { pass: s.passed, fail: s.failed, na: s.na };
            (place.0, place.1, HeatmapCell { parameter: s.parameter, column: s.column.to_string(), tally })
        })
        .collect();
    cells.sort_by_key(|(row, column, _)| (*row, *column));

    Ok(Heatmap {
        by: if by_agent { Dimension::Agent } else { Dimension::Team },
        from: period.from.to_string(),
        to: period.to.to_string(),
        team_id: team.map(i64::from),
        agent_id: agent.map(i64::from),
        service,
        bucket,
        columns: columns.into_iter().map(|(id, label)| HeatmapColumn { key: id.to_string(), label }).collect(),
        parameters,
        cells: cells.into_iter().map(|(_, _, cell)| cell).collect(),
    })
}

/// A cell's fail rate in percent, two decimals (none when nothing was answered pass or fail).
fn rate(tally: &ParameterTally) -> Option<f64> {
    parameter_fail_rate(tally).percent()
}

/// The column heads: the parameter, its fatal flag, a rate and a count per column, the worst.
fn head(map: &Heatmap) -> Vec<String> {
    let mut head = vec!["Parameter".to_owned(), "Fatal".to_owned()];
    for column in &map.columns {
        let name = spreadsheet_safe(&column.label);
        head.push(format!("{name} — gagal / fail (%)"));
        head.push(format!("{name} — n"));
    }
    head.push("Terburuk / Worst".to_owned());
    head
}

/// One parameter's line of the file.
struct Line<'a> {
    parameter: &'a HeatmapParameter,
    /// The cells' tallies in column order (none where nothing was counted).
    tallies: Vec<Option<ParameterTally>>,
    /// Whether each cell is among the map's worst (`Heatmap::worst`).
    worst: Vec<bool>,
    /// The worst cells' column labels, `; `-separated (the file's last column).
    worst_names: String,
}

/// The map's lines, a parameter each, in the map's order.
fn lines(map: &Heatmap) -> Vec<Line<'_>> {
    let worst: HashSet<(String, String)> = map.worst().into_iter().collect();
    let cells: HashMap<(&str, &str), &ParameterTally> =
        map.cells.iter().map(|c| ((c.parameter.as_str(), c.column.as_str()), &c.tally)).collect();
    map.parameters
        .iter()
        .map(|p| {
            let tallies =
                map.columns.iter().map(|c| cells.get(&(p.key.as_str(), c.key.as_str())).map(|t| **t)).collect();
            let marked: Vec<bool> =
                map.columns.iter().map(|c| worst.contains(&(p.key.clone(), c.key.clone()))).collect();
            let names: Vec<String> =
                map.columns.iter().zip(&marked).filter(|(_, m)| **m).map(|(c, _)| spreadsheet_safe(&c.label)).collect();
            Line { parameter: p, tallies, worst: marked, worst_names: names.join("; ") }
        })
        .collect()
}

/// The map as a file named for its period and scope.
async fn table(state: &AppState, map: &Heatmap, format: Format) -> ApiResult<(String, Vec<u8>)> {
    let by = match map.by {
        Dimension::Team => "Per tim / By team",
        _ => "Per agent / By agent",
    };
    let mut about = vec![("Peta gagal parameter / Parameter fail-rate heatmap", by.to_owned())];
    let covered = Covered {
        from: &map.from,
        to: &map.to,
        team_id: map.team_id,
        agent_id: map.agent_id,
        service: map.service,
        bucket: map.bucket,
    };
    about.extend(covered.rows(state).await?);
    let team = map.team_id.map(|t| format!("_tim{t}")).unwrap_or_default();
    let name = format!("peta_gagal_{}_{}{team}.{}", map.from, map.to, format.extension());
    let bytes = match format {
        Format::Csv => csv(map, &about)?,
        _ => xlsx(map, &about)?,
    };
    Ok((name, bytes))
}

fn csv(map: &Heatmap, about: &[(&'static str, String)]) -> ApiResult<Vec<u8>> {
    let out = lines(map).into_iter().map(|line| {
        let p = line.parameter;
        let mut out = vec![spreadsheet_safe(&p.label), if p.fatal { "Ya / Yes" } else { "" }.to_owned()];
        for tally in &line.tallies {
            out.push(tally.and_then(|t| rate(&t)).map(|v| format!("{v:.2}")).unwrap_or_default());
            out.push(tally.map(|t| (t.pass + t.fail).to_string()).unwrap_or_default());
        }
        out.push(line.worst_names);
        out
    });
    csv_file(about, head(map), out)
}

fn xlsx(map: &Heatmap, about: &[(&'static str, String)]) -> ApiResult<Vec<u8>> {
    let s = Styles::default();
    let marked_style = s.decimal.clone().set_background_color("#F4B6B6").set_bold();
    let mut workbook = Workbook::new();
    let ws = workbook.add_worksheet();
    ws.set_name("Peta gagal").map_err(failed)?;
    let head_row = xlsx_about(ws, &s, about)?;
    let head = head(map);
    for (c, text) in head.iter().enumerate() {
        ws.write_string_with_format(head_row, c as u16, text, &s.head).map_err(failed)?;
        let width = match c {
            0 => 40,
            1 => 9,
            _ if c == head.len() - 1 => 24,
            _ if c % 2 == 0 => 14,
            _ => 8,
        };
        ws.set_column_width(c as u16, width).map_err(failed)?;
    }
    ws.set_row_height(head_row, 60).map_err(failed)?;
    for (i, line) in lines(map).into_iter().enumerate() {
        let (r, p) = (head_row + 1 + i as u32, line.parameter);
        ws.write_string_with_format(r, 0, spreadsheet_safe(&p.label), &s.cell).map_err(failed)?;
        ws.write_string_with_format(r, 1, if p.fatal { "Ya / Yes" } else { "" }, &s.cell).map_err(failed)?;
        for (j, (tally, worst)) in line.tallies.iter().zip(&line.worst).enumerate() {
            let c = 2 + 2 * j as u16;
            let style: &CellFormat = if *worst { &marked_style } else { &s.decimal };
            match tally.and_then(|t| rate(&t)) {
                Some(v) => ws.write_number_with_format(r, c, v, style).map_err(failed)?,
                None => ws.write_blank(r, c, &s.cell).map_err(failed)?,
            };
            match tally {
                Some(t) => {
                    ws.write_number_with_format(r, c + 1, (t.pass + t.fail) as f64, &s.number).map_err(failed)?
                }
                None => ws.write_blank(r, c + 1, &s.cell).map_err(failed)?,
            };
        }
        let last = 2 + 2 * map.columns.len() as u16;
        ws.write_string_with_format(r, last, &line.worst_names, &s.cell).map_err(failed)?;
    }
    ws.set_freeze_panes(head_row + 1, 1).map_err(failed)?;
    workbook.save_to_buffer().map_err(failed)
}
