//! The keep-rate report (`GET /api/reports/promises`): the stored promises of the period's
//! calls (the F-19 report's period rule: at most three years) counted by status, summed from the
//! roll-up kept with them (`promises::rollup`: per site day of the call, one SQL aggregate per
//! report), never row by row; the rate of each row and of the totals from the counts (`domain::metrics::keep_rate`),
//! never from an average of rates. CSV and XLSX write the same rows.

use super::rollup::{self, By};
use crate::auth::AuthUser;
use crate::dashboards::rollup::Scope;
use crate::error::{ApiError, ApiResult};
use crate::site_time;
use crate::state::AppState;
use domain::cases::{self as rules, Visibility};
use domain::dates::Date;
use domain::metrics::PromiseTally;
use domain::promises::{PromiseGroup, PromiseReport, PromiseReportQuery, PromiseReportRow, QcOutcome};
use entity::{teams, users};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use std::collections::HashMap;

/// One group's counts.
struct Counted {
    key: Option<String>,
    tally: PromiseTally,
}

/// The report of `query` over the site days `from` to `to` for the caller (team leaders: their
/// own team, whatever `team_id` says; agents: their own agrees), summed from the roll-up
/// (`promises::rollup`).
pub async fn report(
    state: &AppState,
    who: &AuthUser,
    query: &PromiseReportQuery,
    (from, to): (Date, Date),
) -> ApiResult<PromiseReport> {
    site_time::days(state, from, to)?;
    let group = query.group_by.unwrap_or(PromiseGroup::Agent);
    let mut only = Scope { team: query.team_id, agent: None, service: query.service, bucket: query.bucket };
    match rules::visibility(who.role) {
        Visibility::All => {}
        Visibility::Own => only.agent = Some(who.id),
        // A team leader without a team sees no rows.
        Visibility::Team => only.team = who.team_id.or(Some(-1)),
        Visibility::None => return Err(ApiError::Forbidden),
    }
    let by = match group {
        PromiseGroup::Agent => By::Agent,
        PromiseGroup::Team => By::Team,
        PromiseGroup::Qco => By::Qco,
        PromiseGroup::Result => By::Outcome,
        PromiseGroup::Service => By::Service,
        PromiseGroup::Bucket => By::Bucket,
        PromiseGroup::Month => By::Month,
    };
    let counted: Vec<Counted> = rollup::report_rows(&state.db.conn, by, only, (from, to))
        .await?
        .into_iter()
        .map(|(key, [kept, broken, pending])| {
            let n = |v: i64| u64::try_from(v).unwrap_or(0);
            // No team, no QC officer: stored as 0.
            let none = key == "0" && matches!(group, PromiseGroup::Team | PromiseGroup::Qco);
            Counted {
                key: (!none).then_some(key),
                tally: PromiseTally { kept: n(kept), broken: n(broken), pending: n(pending) },
            }
        })
        .collect();
    let labels = labels(state, group, &counted).await?;
    let mut total = PromiseTally::default();
    let mut rows: Vec<(String, PromiseReportRow)> = Vec::new();
    for row in &counted {
        let tally = row.tally;
        if tally.kept + tally.broken + tally.pending == 0 {
            continue;
        }
        total += tally;
        let key = row.key.clone().unwrap_or_else(|| "none".to_owned());
        let label = labels.get(&key).cloned().unwrap_or_else(|| key.clone());
        rows.push((sort_key(group, &key, &label), PromiseReportRow { key, label, counts: tally.into() }));
    }
    rows.sort_by(|a, b| a.0.cmp(&b.0));
    Ok(PromiseReport {
        rows: rows.into_iter().map(|(_, row)| row).collect(),
        totals: total.into(),
        threshold_pct: state.config.promise_rules.threshold_pct(),
        grace_days: state.config.promise_rules.grace_days(),
    })
}

/// Rows in the order people look for them: names alphabetically, results in their fixed order,
/// months in time.
fn sort_key(group: PromiseGroup, key: &str, label: &str) -> String {
    match group {
        PromiseGroup::Result => {
            QcOutcome::ALL.iter().position(|k| k.as_str() == key).unwrap_or(QcOutcome::ALL.len()).to_string()
        }
        PromiseGroup::Month | PromiseGroup::Service | PromiseGroup::Bucket => key.to_owned(),
        _ => label.to_lowercase(),
    }
}

/// What people call each key: a user's name, a team's, a result in words, a service's label.
async fn labels(state: &AppState, group: PromiseGroup, rows: &[Counted]) -> ApiResult<HashMap<String, String>> {
    let ids: Vec<i32> = rows.iter().filter_map(|r| r.key.as_deref()?.parse().ok()).collect();
    let db = &state.db.conn;
    Ok(match group {
        PromiseGroup::Agent | PromiseGroup::Qco => users::Entity::find()
            .filter(users::Column::Id.is_in(ids))
            .all(db)
            .await?
            .into_iter()
            .map(|u| (u.id.to_string(), format!("{} ({})", u.full_name, u.username)))
            .collect(),
        PromiseGroup::Team => teams::Entity::find()
            .filter(teams::Column::Id.is_in(ids))
            .all(db)
            .await?
            .into_iter()
            .map(|t| (t.id.to_string(), t.name))
            .collect(),
        PromiseGroup::Result => {
            QcOutcome::ALL.into_iter().map(|r| (r.as_str().to_owned(), r.english().to_owned())).collect()
        }
        PromiseGroup::Service => {
            domain::cases::Service::ALL.into_iter().map(|s| (s.as_str().to_owned(), s.label().to_owned())).collect()
        }
        PromiseGroup::Bucket => {
            domain::cases::Bucket::ALL.into_iter().map(|b| (b.as_str().to_owned(), b.label().to_owned())).collect()
        }
        PromiseGroup::Month => HashMap::new(),
    })
}

/// The column heads of the CSV and XLSX (Indonesian first, as the centre's files are).
const HEADS: [&str; 6] =
    ["Kunci / Key", "Kelompok / Group", "Ditepati / Kept", "Ingkar / Broken", "Menunggu / Pending", "Keep rate %"];

/// The report's rows and totals as cells, heads first.
fn table(report: &PromiseReport) -> Vec<Vec<Cell>> {
    let counts = |c: &domain::promises::PromiseCounts| {
        [
            Cell::Number(c.kept as f64),
            Cell::Number(c.broken as f64),
            Cell::Number(c.pending as f64),
            c.keep_rate.map_or(Cell::Text("–".into()), Cell::Rate),
        ]
    };
    let mut rows = vec![HEADS.iter().map(|h| Cell::Text((*h).to_owned())).collect::<Vec<_>>()];
    for row in &report.rows {
        rows.push(
            [Cell::Text(row.key.clone()), Cell::Text(row.label.clone())]
                .into_iter()
                .chain(counts(&row.counts))
                .collect(),
        );
    }
    rows.push(
        [Cell::Text("Total".into()), Cell::Text(String::new())].into_iter().chain(counts(&report.totals)).collect(),
    );
    rows
}

enum Cell {
    Text(String),
    Number(f64),
    Rate(f64),
}

impl Cell {
    fn text(&self) -> String {
        match self {
            Cell::Text(t) => domain::cases::spreadsheet_safe(t),
            Cell::Number(n) => format!("{n}"),
            Cell::Rate(r) => format!("{r:.2}"),
        }
    }
}

/// The report as CSV (UTF-8 with a BOM, so spreadsheets read it).
pub fn csv(report: &PromiseReport) -> ApiResult<Vec<u8>> {
    let err = |e: csv::Error| ApiError::Internal(anyhow::anyhow!("writing the CSV failed: {e}"));
    let mut writer = csv::WriterBuilder::new().from_writer(Vec::new());
    for row in table(report) {
        writer.write_record(row.iter().map(Cell::text)).map_err(err)?;
    }
    let mut bytes = b"\xEF\xBB\xBF".to_vec();
    bytes.extend(writer.into_inner().map_err(|e| ApiError::Internal(anyhow::anyhow!("writing the CSV failed: {e}")))?);
    Ok(bytes)
}

/// The report as one XLSX sheet: a title line, then the table with numbers as numbers.
pub fn xlsx(report: &PromiseReport, title: &str) -> ApiResult<Vec<u8>> {
    use rust_xlsxwriter::{Format, Workbook, XlsxError};
    let err = |e: XlsxError| ApiError::Internal(anyhow::anyhow!("writing the workbook failed: {e}"));
    let mut workbook = Workbook::new();
    let sheet = workbook.add_worksheet();
    sheet.set_name("Janji bayar").map_err(err)?;
    let bold = Format::new().set_bold();
    let rate = Format::new().set_num_format("0.00");
    sheet.write_string_with_format(0, 0, domain::cases::spreadsheet_safe(title), &bold).map_err(err)?;
    for (r, row) in table(report).iter().enumerate() {
        let r = 2 + r as u32;
        for (c, cell) in row.iter().enumerate() {
            let c = c as u16;
            match cell {
                Cell::Number(n) => sheet.write_number(r, c, *n).map(|_| ()),
                Cell::Rate(x) => sheet.write_number_with_format(r, c, *x, &rate).map(|_| ()),
                Cell::Text(_) if r == 2 => sheet.write_string_with_format(r, c, cell.text(), &bold).map(|_| ()),
                Cell::Text(_) => sheet.write_string(r, c, cell.text()).map(|_| ()),
            }
            .map_err(err)?;
        }
    }
    sheet.set_column_width(1, 36).map_err(err)?;
    workbook.save_to_buffer().map_err(err)
}
