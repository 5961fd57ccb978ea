//! The keep-rate report (`GET /api/reports/promises`): the stored promises of the period's
//! calls (the F-19 report's period rule: at most three years) counted by status in one SQL
//! aggregate per grouping (per month for `month`, each month's bounds in site time), never row
//! by row; the rate of each row and of the totals from the counts (`domain::metrics::keep_rate`),
//! never from an average of rates. CSV and XLSX write the same rows.

use crate::auth::AuthUser;
use crate::cases::service::deadlines::how_many;
use crate::cases::service::{CASE_TABLE, fetch, stored, visible};
use crate::error::{ApiError, ApiResult};
use crate::site_time;
use crate::state::AppState;
use domain::cases::{CaseStatus, FollowupStatus};
use domain::dates::Date;
use domain::metrics::PromiseTally;
use domain::promises::{PromiseGroup, PromiseReport, PromiseReportQuery, PromiseReportRow, PromiseStatus, QcOutcome};
use entity::{case_promises, cases, followups, teams, users, validations};
use sea_orm::sea_query::{Expr, JoinType, Query, SelectStatement};
use sea_orm::{ColumnTrait, EntityTrait, ExprTrait, FromQueryResult, QueryFilter};
use std::collections::HashMap;

const P: &str = "p";
const V: &str = "v";
const F: &str = "f";

/// One group's counts.
#[derive(FromQueryResult)]
struct Counted {
    key: Option<String>,
    kept: Option<i64>,
    broken: Option<i64>,
    pending: Option<i64>,
}

impl Counted {
    fn tally(&self) -> PromiseTally {
        let n = |v: Option<i64>| u64::try_from(v.unwrap_or(0)).unwrap_or(0);
        PromiseTally { kept: n(self.kept), broken: n(self.broken), pending: n(self.pending) }
    }
}

/// The expression a grouping's rows are keyed by, as text.
fn key_expr(group: PromiseGroup) -> Expr {
    let c = CASE_TABLE;
    let text = |expr: Expr| expr.cast_as("TEXT");
    match group {
        PromiseGroup::Agent => text(Expr::col((c, cases::Column::AgentId))),
        PromiseGroup::Team => text(Expr::col((c, cases::Column::TeamId))),
        PromiseGroup::Qco => text(Expr::col((V, validations::Column::QcoId))),
        PromiseGroup::Service => Expr::col((c, cases::Column::Service)),
        PromiseGroup::Bucket => Expr::col((c, cases::Column::Bucket)),
        PromiseGroup::Result => Expr::case(
            Expr::col((c, cases::Column::Status)).eq(stored(CaseStatus::Approved)),
            Expr::val(QcOutcome::Approved.as_str()),
        )
        .case(
            Expr::col((c, cases::Column::Status))
                .eq(stored(CaseStatus::Returned))
                .and(Expr::col((F, followups::Column::Status)).eq(stored(FollowupStatus::Closed))),
            Expr::val(QcOutcome::ReturnedClosed.as_str()),
        )
        .case(
            Expr::col((c, cases::Column::Status)).eq(stored(CaseStatus::Returned)),
            Expr::val(QcOutcome::ReturnedOpen.as_str()),
        )
        .finally(Expr::val(QcOutcome::NotValidated.as_str()))
        .into(),
        // One aggregate per month: the key is written in by the caller.
        PromiseGroup::Month => Expr::val(""),
    }
}

/// Which agrees a report counts beside the period: a team, a service, a bucket.
#[derive(Clone, Copy)]
struct Narrowed {
    team: Option<i32>,
    service: Option<domain::cases::Service>,
    bucket: Option<domain::cases::Bucket>,
}

/// The aggregate of the stored promises of calls in `[start, end)` the caller sees, by `group`.
fn aggregate(
    who: &AuthUser,
    group: PromiseGroup,
    Narrowed { team, service, bucket }: Narrowed,
    (start, end): (chrono::DateTime<chrono::Utc>, chrono::DateTime<chrono::Utc>),
) -> ApiResult<SelectStatement> {
    let c = CASE_TABLE;
    let visibility =
        visible(who, (c, cases::Column::AgentId), (c, cases::Column::TeamId)).ok_or(ApiError::Forbidden)?;
    let status = |s: PromiseStatus| how_many(Expr::col((P, case_promises::Column::Status)).eq(stored(s)));
    let mut query = Query::select();
    query
        .expr_as(key_expr(group), "key")
        .expr_as(status(PromiseStatus::Kept), "kept")
        .expr_as(status(PromiseStatus::Broken), "broken")
        .expr_as(status(PromiseStatus::Pending), "pending")
        .from_as(case_promises::Entity, P)
        .join_as(
            JoinType::InnerJoin,
            cases::Entity,
            c,
            Expr::col((c, cases::Column::Id)).equals((P, case_promises::Column::CaseId)),
        )
        .and_where(Expr::col((c, cases::Column::CallAt)).gte(start))
        .and_where(Expr::col((c, cases::Column::CallAt)).lt(end))
        .cond_where(visibility);
    if matches!(group, PromiseGroup::Qco | PromiseGroup::Result) {
        query.join_as(
            JoinType::LeftJoin,
            validations::Entity,
            V,
            Expr::col((V, validations::Column::CaseId)).equals((c, cases::Column::Id)),
        );
    }
    if group == PromiseGroup::Result {
        query.join_as(
            JoinType::LeftJoin,
            followups::Entity,
            F,
            Expr::col((F, followups::Column::CaseId)).equals((c, cases::Column::Id)),
        );
    }
    if let Some(team) = team {
        query.and_where(Expr::col((c, cases::Column::TeamId)).eq(team));
    }
    if let Some(service) = service {
        query.and_where(Expr::col((c, cases::Column::Service)).eq(stored(service)));
    }
    if let Some(bucket) = bucket {
        query.and_where(Expr::col((c, cases::Column::Bucket)).eq(stored(bucket)));
    }
    if group != PromiseGroup::Month {
        // By position: PostgreSQL would not match a repeated CASE whose words are bound values.
        query.add_group_by([Expr::cust("1")]);
    }
    Ok(query)
}

/// The report of `query` over the site days `from` to `to` for the caller (team leaders: their
/// own team, whatever `team_id` says).
pub async fn report(
    state: &AppState,
    who: &AuthUser,
    query: &PromiseReportQuery,
    (from, to): (Date, Date),
) -> ApiResult<PromiseReport> {
    let group = query.group_by.unwrap_or(PromiseGroup::Agent);
    let team = if who.role == domain::Role::TeamLeader { who.team_id.or(Some(-1)) } else { query.team_id };
    let narrowed = Narrowed { team, service: query.service, bucket: query.bucket };
    let db = &state.db.conn;
    let mut counted: Vec<Counted> = Vec::new();
    if group == PromiseGroup::Month {
        let mut month = Date { day: 1, ..from };
        while month <= to {
            let next = month.add_months(1);
            let first = month.max(from);
            let last = next.add_days(-1).min(to);
            let bounds = site_time::days(state, first, last)?;
            let rows: Vec<Counted> = fetch(db, &aggregate(who, group, narrowed, bounds)?).await?;
            for mut row in rows {
                row.key = Some(format!("{:04}-{:02}", month.year, month.month));
                counted.push(row);
            }
            month = next;
        }
    } else {
        counted = fetch(db, &aggregate(who, group, narrowed, site_time::days(state, from, to)?)?).await?;
    }
    let labels = labels(state, group, &counted).await?;
    let mut total = PromiseTally::default();
    let mut rows: Vec<(String, PromiseReportRow)> = Vec::new();
    for row in &counted {
        let tally = row.tally();
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
