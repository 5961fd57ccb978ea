//! The F-19 report (*Form Pelaporan Hasil Validasi Agree*) as JSON, XLSX and CSV, and the
//! reconciliation lists. Counts come from SQL aggregates grouped by team, agent, service and
//! bucket over the period's calls (the covering index `idx_cases_report`); follow-up counts from
//! a second aggregate over the period's RETURNs. Rows are never loaded one by one.

use crate::cases::service::{Sql, Who, case_from_row, count, day_start, get, names, period, site_date, zone_label};
use crate::db::{now, timestamp};
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;
use chrono::{DateTime, Utc};
use domain::Role;
use domain::cases::{
    Bucket, F19_CODE, F19Counts, F19Report, F19Row, Reconciliation, RepeatedCustomer, Service, spreadsheet_safe,
};
use domain::dates::Date;
use rust_xlsxwriter::{Format, Worksheet, XlsxError};
use serde::Deserialize;
use std::collections::BTreeMap;

pub const F19_TITLE: &str = "Form Pelaporan Hasil Validasi Agree";

/// `GET /api/reports/f19` query.
#[derive(Debug, Default, Deserialize)]
pub struct F19Query {
    #[serde(default, deserialize_with = "domain::dates::de::opt_day")]
    pub from: Option<String>,
    #[serde(default, deserialize_with = "domain::dates::de::opt_day")]
    pub to: Option<String>,
    pub team_id: Option<i64>,
    pub format: Option<String>,
}

/// The period asked for, or the current month up to today (site days).
fn dates(state: &AppState, from: Option<&str>, to: Option<&str>) -> ApiResult<(Date, Date)> {
    let today = site_date(state, now());
    let from = match from.filter(|f| !f.is_empty()) {
        Some(text) => Date::parse(text).ok_or_else(|| ApiError::field("from", "invalid_date"))?,
        None => Date { day: 1, ..today },
    };
    let to = match to.filter(|t| !t.is_empty()) {
        Some(text) => Date::parse(text).ok_or_else(|| ApiError::field("to", "invalid_date"))?,
        None => today.max(from),
    };
    if to < from {
        return Err(ApiError::field("to", "before_from"));
    }
    if to.to_days() - from.to_days() > 366 * 3 {
        return Err(ApiError::field("to", "period_too_long"));
    }
    Ok((from, to))
}

type Key = (Option<i32>, i32, String, String);

pub async fn f19(state: &AppState, who: &Who, query: &F19Query) -> ApiResult<F19Report> {
    if !domain::can(who.role, domain::Action::ViewF19Report) {
        return Err(ApiError::Forbidden);
    }
    let (from, to) = dates(state, query.from.as_deref(), query.to.as_deref())?;
    let mut team = match query.team_id {
        Some(t) => Some(i32::try_from(t).map_err(|_| ApiError::field("team_id", "out_of_range"))?),
        None => None,
    };
    // Team leaders see their own team's report only.
    if who.role == Role::TeamLeader {
        match (team, who.team_id) {
            (Some(t), Some(own)) if t != own => return Err(ApiError::Forbidden),
            (_, Some(own)) => team = Some(own),
            (_, None) => return Err(ApiError::Forbidden),
        }
    }
    let (start, end) = (day_start(state, from), day_start(state, to.add_days(1)));
    let at = now();
    let db = &state.db.conn;

    let mut sql = Sql::new(
        "SELECT c.team_id, c.agent_id, c.service, c.bucket, COUNT(*) AS imported, \
         SUM(CASE WHEN c.status <> 'pending' THEN 1 ELSE 0 END) AS validated, \
         SUM(CASE WHEN c.status = 'approved' THEN 1 ELSE 0 END) AS approved, \
         SUM(CASE WHEN c.status = 'returned' THEN 1 ELSE 0 END) AS returned \
         FROM cases c WHERE ",
    );
    let (p1, p2) = (sql.bind(start), sql.bind(end));
    sql.push(&format!("c.call_at >= {p1} AND c.call_at < {p2}"));
    if let Some(t) = team {
        let p = sql.bind(t);
        sql.push(&format!(" AND c.team_id = {p}"));
    }
    sql.push(" GROUP BY c.team_id, c.agent_id, c.service, c.bucket");
    let mut groups: BTreeMap<Key, F19Counts> = BTreeMap::new();
    for row in sql.all(db).await? {
        let key: Key = (get(&row, "team_id")?, get(&row, "agent_id")?, get(&row, "service")?, get(&row, "bucket")?);
        groups.insert(
            key,
            F19Counts {
                imported: count(&row, "imported")?,
                validated: count(&row, "validated")?,
                approved: count(&row, "approved")?,
                returned: count(&row, "returned")?,
                ..Default::default()
            },
        );
    }

    let mut sql = Sql::new("SELECT c.team_id, c.agent_id, c.service, c.bucket, ");
    let p_now = sql.bind(at);
    sql.push(&format!(
        "SUM(CASE WHEN f.status = 'closed' AND f.closed_at <= f.due_at THEN 1 ELSE 0 END) AS closed_in_time, \
         SUM(CASE WHEN f.status <> 'closed' THEN 1 ELSE 0 END) AS still_open, \
         SUM(CASE WHEN f.status IN ('open', 'reopened') AND f.due_at < {p_now} THEN 1 ELSE 0 END) AS overdue \
         FROM followups f JOIN cases c ON c.id = f.case_id WHERE "
    ));
    let (p1, p2) = (sql.bind(start), sql.bind(end));
    sql.push(&format!("c.call_at >= {p1} AND c.call_at < {p2}"));
    if let Some(t) = team {
        let p = sql.bind(t);
        sql.push(&format!(" AND c.team_id = {p}"));
    }
    sql.push(" GROUP BY c.team_id, c.agent_id, c.service, c.bucket");
    for row in sql.all(db).await? {
        let key: Key = (get(&row, "team_id")?, get(&row, "agent_id")?, get(&row, "service")?, get(&row, "bucket")?);
        let counts = groups.entry(key).or_default();
        counts.returns_closed_in_time = count(&row, "closed_in_time")?;
        counts.returns_open = count(&row, "still_open")?;
        counts.returns_overdue = count(&row, "overdue")?;
    }

    let (users, teams) = names(db).await?;
    let mut totals = F19Counts::default();
    let mut rows: Vec<F19Row> = groups
        .into_iter()
        .map(|((team_id, agent_id, service, bucket), counts)| {
            totals.imported += counts.imported;
            totals.validated += counts.validated;
            totals.approved += counts.approved;
            totals.returned += counts.returned;
            totals.returns_closed_in_time += counts.returns_closed_in_time;
            totals.returns_open += counts.returns_open;
            totals.returns_overdue += counts.returns_overdue;
            let (username, name) = users.get(&agent_id).cloned().unwrap_or_default();
            F19Row {
                team_id: team_id.map(i64::from),
                team_name: team_id.and_then(|t| teams.get(&t).cloned()),
                agent_id: agent_id.into(),
                agent_username: username,
                agent_name: name,
                service: Service::parse(&service).unwrap_or(Service::Ct0),
                bucket: Bucket::parse(&bucket).unwrap_or(Bucket::N),
                counts: counts.with_rate(),
            }
        })
        .collect();
    rows.sort_by(|a, b| {
        (a.team_name.is_none(), &a.team_name, &a.agent_username, a.service, a.bucket).cmp(&(
            b.team_name.is_none(),
            &b.team_name,
            &b.agent_username,
            b.service,
            b.bucket,
        ))
    });
    Ok(F19Report {
        form_code: F19_CODE.into(),
        from: from.to_string(),
        to: to.to_string(),
        team_id: team.map(i64::from),
        generated_at: timestamp(at),
        rows,
        totals: totals.with_rate(),
    })
}

/// The team's name for the header block.
async fn team_label(state: &AppState, report: &F19Report) -> ApiResult<String> {
    let Some(team) = report.team_id else { return Ok("Semua tim / All teams".into()) };
    let (_, teams) = names(&state.db.conn).await?;
    Ok(i32::try_from(team).ok().and_then(|t| teams.get(&t).cloned()).unwrap_or_else(|| format!("#{team}")))
}

/// The export time in the site zone: `2026-11-29 14:30 WIB`.
fn local_time(state: &AppState, at: &str) -> String {
    let at = DateTime::parse_from_rfc3339(at).map(|d| d.with_timezone(&Utc)).unwrap_or_else(|_| now());
    format!("{} {}", at.with_timezone(&state.config.offset()).format("%Y-%m-%d %H:%M"), zone_label(state))
}

const HEADERS: [&str; 13] = [
    "Tim / Team",
    "Username",
    "Agent",
    "Layanan / Service",
    "Bucket",
    "Diimpor / Imported",
    "Divalidasi / Validated",
    "Approved",
    "Return",
    "Approval rate (%)",
    "Return selesai tepat waktu / Closed in time",
    "Return terbuka / Open",
    "Return terlambat / Overdue",
];

/// Columns 6–13 of a row or of the totals, in both exports: four counts, the approval rate and
/// the three return counts.
fn count_columns(c: &F19Counts) -> ([u64; 4], Option<f64>, [u64; 3]) {
    (
        [c.imported, c.validated, c.approved, c.returned],
        c.approval_rate,
        [c.returns_closed_in_time, c.returns_open, c.returns_overdue],
    )
}

fn csv_counts(c: &F19Counts) -> impl Iterator<Item = String> {
    let (counts, rate, returns) = count_columns(c);
    let rate = rate.map(|r| format!("{r:.2}")).unwrap_or_default();
    counts
        .into_iter()
        .map(|n| n.to_string())
        .chain(std::iter::once(rate))
        .chain(returns.into_iter().map(|n| n.to_string()))
}

/// Writes [`count_columns`] into row `r` of the sheet from column 5 on.
fn write_counts(
    sheet: &mut Worksheet,
    r: u32,
    c: &F19Counts,
    number: &Format,
    rate_format: &Format,
) -> Result<(), XlsxError> {
    let (counts, rate, returns) = count_columns(c);
    for (i, n) in counts.into_iter().enumerate() {
        sheet.write_number_with_format(r, 5 + i as u16, n as f64, number)?;
    }
    match rate {
        Some(rate) => sheet.write_number_with_format(r, 9, rate, rate_format)?,
        None => sheet.write_blank(r, 9, rate_format)?,
    };
    for (i, n) in returns.into_iter().enumerate() {
        sheet.write_number_with_format(r, 10 + i as u16, n as f64, number)?;
    }
    Ok(())
}

fn header_block(state: &AppState, report: &F19Report, team: &str) -> Vec<(String, String)> {
    vec![
        ("Kode formulir / Form code".into(), report.form_code.clone()),
        ("Formulir / Form".into(), F19_TITLE.into()),
        ("Periode / Period".into(), format!("{} s/d {}", report.from, report.to)),
        ("Tim / Team".into(), team.to_owned()),
        ("Diekspor / Exported".into(), local_time(state, &report.generated_at)),
    ]
}

pub fn file_name(report: &F19Report, ext: &str) -> String {
    format!(
        "F-19_{}_{}{}.{ext}",
        report.from,
        report.to,
        report.team_id.map(|t| format!("_tim{t}")).unwrap_or_default()
    )
}

pub async fn csv(state: &AppState, report: &F19Report) -> ApiResult<Vec<u8>> {
    let team = team_label(state, report).await?;
    let mut writer = csv::WriterBuilder::new().flexible(true).from_writer(Vec::new());
    let err = |e: csv::Error| ApiError::Internal(anyhow::anyhow!("writing the CSV failed: {e}"));
    for (label, value) in header_block(state, report, &team) {
        writer.write_record([spreadsheet_safe(&label), spreadsheet_safe(&value)]).map_err(err)?;
    }
    writer.write_record([""]).map_err(err)?;
    writer.write_record(HEADERS.map(spreadsheet_safe)).map_err(err)?;
    for row in &report.rows {
        let c = &row.counts;
        writer
            .write_record(
                [
                    spreadsheet_safe(row.team_name.as_deref().unwrap_or("-")),
                    spreadsheet_safe(&row.agent_username),
                    spreadsheet_safe(&row.agent_name),
                    row.service.label().into(),
                    row.bucket.label().into(),
                ]
                .into_iter()
                .chain(csv_counts(c)),
            )
            .map_err(err)?;
    }
    let blanks = std::iter::repeat_n(String::new(), 4);
    writer
        .write_record(std::iter::once("Total".to_owned()).chain(blanks).chain(csv_counts(&report.totals)))
        .map_err(err)?;
    let mut bytes = b"\xEF\xBB\xBF".to_vec(); // a BOM, so spreadsheets read UTF-8
    bytes.extend(writer.into_inner().map_err(|e| ApiError::Internal(anyhow::anyhow!("writing the CSV failed: {e}")))?);
    Ok(bytes)
}

pub async fn xlsx(state: &AppState, report: &F19Report) -> ApiResult<Vec<u8>> {
    use rust_xlsxwriter::{FormatAlign, FormatBorder, Workbook};
    let team = team_label(state, report).await?;
    let err = |e: XlsxError| ApiError::Internal(anyhow::anyhow!("writing the workbook failed: {e}"));
    let mut workbook = Workbook::new();
    let sheet = workbook.add_worksheet();
    sheet.set_name("F-19").map_err(err)?;
    let title = Format::new().set_bold().set_font_size(14);
    let bold = Format::new().set_bold();
    let head = Format::new()
        .set_bold()
        .set_text_wrap()
        .set_align(FormatAlign::Center)
        .set_border(FormatBorder::Thin)
        .set_background_color("#DDE6F0");
    let cell = Format::new().set_border(FormatBorder::Thin);
    let number = Format::new().set_border(FormatBorder::Thin).set_num_format("#,##0");
    let percent = Format::new().set_border(FormatBorder::Thin).set_num_format("0.00");
    let total = Format::new().set_bold().set_border(FormatBorder::Thin).set_num_format("#,##0");
    let total_rate = Format::new().set_bold().set_border(FormatBorder::Thin).set_num_format("0.00");

    sheet
        .write_string_with_format(0, 0, spreadsheet_safe(&format!("{} — {}", report.form_code, F19_TITLE)), &title)
        .map_err(err)?;
    for (i, (label, value)) in header_block(state, report, &team).into_iter().enumerate() {
        let r = 1 + i as u32;
        sheet.write_string_with_format(r, 0, spreadsheet_safe(&label), &bold).map_err(err)?;
        sheet.write_string(r, 2, spreadsheet_safe(&value)).map_err(err)?;
    }
    let header_row = 7u32;
    for (c, text) in HEADERS.iter().enumerate() {
        sheet.write_string_with_format(header_row, c as u16, spreadsheet_safe(text), &head).map_err(err)?;
    }
    let mut r = header_row + 1;
    for row in &report.rows {
        let c = &row.counts;
        sheet
            .write_string_with_format(r, 0, spreadsheet_safe(row.team_name.as_deref().unwrap_or("-")), &cell)
            .map_err(err)?;
        sheet.write_string_with_format(r, 1, spreadsheet_safe(&row.agent_username), &cell).map_err(err)?;
        sheet.write_string_with_format(r, 2, spreadsheet_safe(&row.agent_name), &cell).map_err(err)?;
        sheet.write_string_with_format(r, 3, row.service.label(), &cell).map_err(err)?;
        sheet.write_string_with_format(r, 4, row.bucket.label(), &cell).map_err(err)?;
        write_counts(sheet, r, c, &number, &percent).map_err(err)?;
        r += 1;
    }
    sheet.write_string_with_format(r, 0, "Total", &total).map_err(err)?;
    for c in 1..5u16 {
        sheet.write_blank(r, c, &total).map_err(err)?;
    }
    write_counts(sheet, r, &report.totals, &total, &total_rate).map_err(err)?;
    sheet.set_column_width(0, 12).map_err(err)?;
    sheet.set_column_width(1, 12).map_err(err)?;
    sheet.set_column_width(2, 22).map_err(err)?;
    for c in 3..13u16 {
        sheet.set_column_width(c, 13).map_err(err)?;
    }
    sheet.set_row_height(header_row, 45).map_err(err)?;
    sheet.set_freeze_panes(header_row + 1, 0).map_err(err)?;
    workbook.save_to_buffer().map_err(err)
}

// ---------------------------------------------------------------------------------------------
// Reconciliation
// ---------------------------------------------------------------------------------------------

#[derive(Debug, Default, Deserialize)]
pub struct ReconciliationQuery {
    #[serde(default, deserialize_with = "domain::dates::de::opt_day")]
    pub from: Option<String>,
    #[serde(default, deserialize_with = "domain::dates::de::opt_day")]
    pub to: Option<String>,
    /// Pending longer than this many days after the call (default 2).
    pub days: Option<u32>,
}

/// At most this many entries per list (the oldest first).
const LIST_MAX: usize = 500;

pub async fn reconciliation(state: &AppState, who: &Who, query: &ReconciliationQuery) -> ApiResult<Reconciliation> {
    if !domain::can(who.role, domain::Action::ViewF19Report) {
        return Err(ApiError::Forbidden);
    }
    let days = query.days.unwrap_or(2);
    if days > 365 {
        return Err(ApiError::field("days", "out_of_range"));
    }
    let (from, to) = dates(state, query.from.as_deref(), query.to.as_deref())?;
    let (start, end) = period(state, Some(&from.to_string()), Some(&to.to_string()))?;
    let (start, end) = (start.expect("from given"), end.expect("to given"));
    let db = &state.db.conn;
    let team_only = |sql: &mut Sql| {
        if who.role == Role::TeamLeader {
            let p = sql.bind(who.team_id.unwrap_or(-1));
            sql.push(&format!(" AND c.team_id = {p}"));
        }
    };
    let columns = crate::cases::service::CASE_SELECT;

    // Pending longer than `days` after the call.
    let mut sql = Sql::new(columns);
    let cutoff = now() - chrono::Duration::days(i64::from(days));
    let (p1, p2, p3) = (sql.bind(start), sql.bind(end), sql.bind(cutoff));
    sql.push(&format!(" WHERE c.status = 'pending' AND c.call_at >= {p1} AND c.call_at < {p2} AND c.call_at < {p3}"));
    team_only(&mut sql);
    sql.push(&format!(" ORDER BY c.call_at, c.id LIMIT {LIST_MAX}"));
    let unvalidated = sql.all(db).await?.iter().map(case_from_row).collect::<ApiResult<Vec<_>>>()?;

    // The same customer agreed more than once in the period.
    let mut sql =
        Sql::new("SELECT c.customer_no, MIN(c.customer_name) AS customer_name, COUNT(*) AS agrees FROM cases c WHERE ");
    let (p1, p2) = (sql.bind(start), sql.bind(end));
    sql.push(&format!("c.call_at >= {p1} AND c.call_at < {p2}"));
    team_only(&mut sql);
    sql.push(&format!(
        " GROUP BY c.customer_no HAVING COUNT(*) > 1 ORDER BY COUNT(*) DESC, c.customer_no LIMIT {LIST_MAX}"
    ));
    let mut repeated_customers = Vec::new();
    for row in sql.all(db).await? {
        let customer_no: String = get(&row, "customer_no")?;
        let mut ids = Sql::new("SELECT c.id FROM cases c WHERE c.customer_no = ");
        let (p0, p1, p2) = (ids.bind(customer_no.clone()), ids.bind(start), ids.bind(end));
        ids.push(&format!("{p0} AND c.call_at >= {p1} AND c.call_at < {p2}"));
        team_only(&mut ids);
        ids.push(" ORDER BY c.call_at, c.id");
        let case_ids =
            ids.all(db).await?.iter().map(|r| get::<i32>(r, "id").map(i64::from)).collect::<ApiResult<Vec<_>>>()?;
        repeated_customers.push(RepeatedCustomer {
            customer_no,
            customer_name: get(&row, "customer_name")?,
            agrees: count(&row, "agrees")?,
            case_ids,
        });
    }

    // Promised later than the bucket allows: checked in pages of the period's calls.
    let mut late_ids = Vec::new();
    let mut after: Option<(DateTime<Utc>, i32)> = None;
    'pages: loop {
        let mut sql = Sql::new("SELECT c.id, c.bucket, c.call_at, c.promise_date FROM cases c WHERE ");
        let (p1, p2) = (sql.bind(start), sql.bind(end));
        sql.push(&format!("c.call_at >= {p1} AND c.call_at < {p2}"));
        team_only(&mut sql);
        if let Some((at, id)) = after {
            let (a1, a2, i) = (sql.bind(at), sql.bind(at), sql.bind(id));
            sql.push(&format!(" AND (c.call_at > {a1} OR (c.call_at = {a2} AND c.id > {i}))"));
        }
        sql.push(" ORDER BY c.call_at, c.id LIMIT 5000");
        let rows = sql.all(db).await?;
        if rows.is_empty() {
            break;
        }
        for row in &rows {
            let id: i32 = get(row, "id")?;
            let call_at: DateTime<Utc> = get(row, "call_at")?;
            after = Some((call_at, id));
            let bucket = Bucket::parse(&get::<String>(row, "bucket")?).unwrap_or(Bucket::N);
            let Some(promise) = Date::parse(&get::<String>(row, "promise_date")?) else { continue };
            if promise > bucket.latest_promise(site_date(state, call_at)) {
                late_ids.push(id);
                if late_ids.len() >= LIST_MAX {
                    break 'pages;
                }
            }
        }
        if rows.len() < 5000 {
            break;
        }
    }
    let mut late_promises = Vec::new();
    for chunk in late_ids.chunks(100) {
        let mut sql = Sql::new(columns);
        let placeholders: Vec<String> = chunk.iter().map(|id| sql.bind(*id)).collect();
        sql.push(&format!(" WHERE c.id IN ({}) ORDER BY c.call_at, c.id", placeholders.join(", ")));
        for row in sql.all(db).await? {
            late_promises.push(case_from_row(&row)?);
        }
    }
    Ok(Reconciliation { unvalidated, repeated_customers, late_promises })
}
