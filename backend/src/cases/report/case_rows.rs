//! The F-19 workbook's second worksheet: every case behind the summary (the report's period and
//! team), oldest call first, with its validation and follow-up — customer, agent, call time,
//! result, recommendation, QC officer, follow-up state. Read in keyset pages of [`PAGE`] rows and
//! written to a constant-memory worksheet, so memory stays flat; at most [`CASES_MAX`] rows (a
//! larger period says so on the sheet, with the count, instead of a partial list).

use super::names;
use crate::cases::service::{CASE_TABLE, FOLLOWUP_TABLE, fetch};
use crate::documents::service::FormHeader;
use crate::error::{ApiError, ApiResult};
use crate::site_time::{self, parse_day};
use crate::state::AppState;
use crate::workbook::{Styles, failed, header_block, local};
use chrono::{DateTime, Utc};
use domain::cases::{Bucket, CaseStatus, F19Report, FollowupStatus, Service, spreadsheet_safe};
use entity::{cases, followups, validations};
use rust_xlsxwriter::Worksheet;
use sea_orm::sea_query::{Expr, JoinType, Order, Query};
use sea_orm::{ExprTrait, FromQueryResult};

/// The most case rows one workbook lists.
pub const CASES_MAX: u64 = 100_000;
/// Rows read per query.
const PAGE: u64 = 5_000;

#[derive(FromQueryResult)]
struct Line {
    id: i32,
    call_at: DateTime<Utc>,
    customer_no: String,
    customer_name: String,
    agent_id: i32,
    team_id: Option<i32>,
    service: Service,
    bucket: Bucket,
    bill_amount: i64,
    promise_date: String,
    status: CaseStatus,
    recommendation: Option<String>,
    qco_id: Option<i32>,
    validated_at: Option<DateTime<Utc>>,
    followup_status: Option<FollowupStatus>,
    due_at: Option<DateTime<Utc>>,
    closed_at: Option<DateTime<Utc>>,
}

const COLUMNS: [(&str, f64); 17] = [
    ("No", 7.0),
    ("ID", 8.0),
    ("Waktu panggilan / Call time", 17.0),
    ("No. pelanggan / Customer no.", 16.0),
    ("Nama pelanggan / Customer", 22.0),
    ("Agent", 20.0),
    ("Tim / Team", 10.0),
    ("Layanan / Service", 9.0),
    ("Bucket", 7.0),
    ("Tagihan / Bill", 12.0),
    ("Janji bayar / Promise date", 12.0),
    ("Hasil / Result", 12.0),
    ("Rekomendasi / Recommendation", 30.0),
    ("QC Officer", 18.0),
    ("Divalidasi / Validated", 17.0),
    ("Tindak lanjut / Follow-up", 16.0),
    ("Tenggat / Due", 17.0),
];

fn result_words(status: CaseStatus) -> &'static str {
    match status {
        CaseStatus::Pending => "Menunggu / Pending",
        CaseStatus::Approved => "APPROVED",
        CaseStatus::Returned => "RETURN",
    }
}

fn followup_words(status: FollowupStatus) -> &'static str {
    match status {
        FollowupStatus::Open => "Terbuka / Open",
        FollowupStatus::Recared => "Sudah re-care / Re-cared",
        FollowupStatus::Closed => "Selesai / Closed",
        FollowupStatus::Reopened => "Dibuka lagi / Reopened",
    }
}

pub(super) async fn write(
    state: &AppState,
    ws: &mut Worksheet,
    s: &Styles,
    report: &F19Report,
    header: &FormHeader,
    team: &str,
) -> ApiResult<()> {
    let extra = [
        ("Periode / Period", format!("{} s/d {}", report.from, report.to)),
        ("Tim / Team", team.to_owned()),
        ("Agree / Cases", report.totals.imported.to_string()),
    ];
    let head_row = header_block(ws, s, header, &extra).map_err(failed)?;
    for (c, (_, width)) in COLUMNS.iter().enumerate() {
        ws.set_column_width(c as u16, *width).map_err(failed)?;
    }
    if report.totals.imported > CASES_MAX {
        let text = format!(
            "Periode ini memuat {} agree; rincian per agree hanya sampai {CASES_MAX}. Persempit periode atau pilih satu tim. \
             / This period holds {} agrees; the per-case list takes at most {CASES_MAX}. Narrow the period or pick a team.",
            domain::indonesian::thousands(report.totals.imported as i64),
            report.totals.imported
        );
        ws.write_string(head_row, 0, text).map_err(failed)?;
        return Ok(());
    }
    for (c, (text, _)) in COLUMNS.iter().enumerate() {
        ws.write_string_with_format(head_row, c as u16, *text, &s.head).map_err(failed)?;
    }
    let day = |field: &str, text: &str| parse_day(field, text);
    let (start, end) = site_time::days(state, day("from", &report.from)?, day("to", &report.to)?)?;
    let team_id = report.team_id.map(|t| i32::try_from(t).map_err(|_| ApiError::NotFound)).transpose()?;
    let (users, teams) = names(&state.db.conn).await?;
    let (c, f) = (CASE_TABLE, FOLLOWUP_TABLE);
    let v = "v";
    let mut after: Option<(DateTime<Utc>, i32)> = None;
    let mut r = head_row + 1;
    loop {
        let mut query = Query::select();
        query
            .columns(
                [
                    cases::Column::Id,
                    cases::Column::CallAt,
                    cases::Column::CustomerNo,
                    cases::Column::CustomerName,
                    cases::Column::AgentId,
                    cases::Column::TeamId,
                    cases::Column::Service,
                    cases::Column::Bucket,
                    cases::Column::BillAmount,
                    cases::Column::PromiseDate,
                    cases::Column::Status,
                ]
                .map(|column| (c, column)),
            )
            .columns(
                [validations::Column::Recommendation, validations::Column::QcoId, validations::Column::ValidatedAt]
                    .map(|column| (v, column)),
            )
            .expr_as(Expr::col((f, followups::Column::Status)), "followup_status")
            .columns([followups::Column::DueAt, followups::Column::ClosedAt].map(|column| (f, column)))
            .from_as(cases::Entity, c)
            .join_as(
                JoinType::LeftJoin,
                validations::Entity,
                v,
                Expr::col((v, validations::Column::CaseId)).equals((c, cases::Column::Id)),
            )
            .join_as(
                JoinType::LeftJoin,
                followups::Entity,
                f,
                Expr::col((f, followups::Column::ValidationId)).equals((v, validations::Column::Id)),
            )
            .and_where(Expr::col((c, cases::Column::CallAt)).gte(start))
            .and_where(Expr::col((c, cases::Column::CallAt)).lt(end))
            .and_where_option(team_id.map(|t| Expr::col((c, cases::Column::TeamId)).eq(t)))
            .and_where_option(after.map(|(at, id)| {
                Expr::tuple([Expr::col((c, cases::Column::CallAt)), Expr::col((c, cases::Column::Id))])
                    .gt(Expr::tuple([Expr::value(at), Expr::value(id)]))
            }))
            .order_by((c, cases::Column::CallAt), Order::Asc)
            .order_by((c, cases::Column::Id), Order::Asc)
            .limit(PAGE);
        let lines = fetch::<Line>(&state.db.conn, &query).await?;
        let Some(last) = lines.last() else { break };
        after = Some((last.call_at, last.id));
        let full = lines.len() as u64 == PAGE;
        for line in &lines {
            if u64::from(r - head_row) > CASES_MAX {
                break;
            }
            write_line(state, ws, s, r, head_row, line, &users, &teams).map_err(failed)?;
            r += 1;
        }
        if !full || u64::from(r - head_row) > CASES_MAX {
            break;
        }
    }
    ws.set_freeze_panes(head_row + 1, 3).map_err(failed)?;
    Ok(())
}

fn write_line(
    state: &AppState,
    ws: &mut Worksheet,
    s: &Styles,
    r: u32,
    head_row: u32,
    line: &Line,
    users: &std::collections::HashMap<i32, (String, String)>,
    teams: &std::collections::HashMap<i32, String>,
) -> Result<(), rust_xlsxwriter::XlsxError> {
    let person = |id: Option<i32>| {
        id.and_then(|id| users.get(&id)).map(|(username, name)| format!("{name} ({username})")).unwrap_or_default()
    };
    let when = |at: Option<DateTime<Utc>>| at.map(|at| local(state, at)).unwrap_or_default();
    ws.write_number_with_format(r, 0, f64::from(r - head_row), &s.number)?;
    ws.write_number_with_format(r, 1, f64::from(line.id), &s.cell)?;
    let texts: [(u16, String); 6] = [
        (2, local(state, line.call_at)),
        (3, line.customer_no.clone()),
        (4, line.customer_name.clone()),
        (5, person(Some(line.agent_id))),
        (6, line.team_id.and_then(|t| teams.get(&t).cloned()).unwrap_or_default()),
        (10, line.promise_date.clone()),
    ];
    for (col, text) in texts {
        ws.write_string_with_format(r, col, spreadsheet_safe(&text), &s.cell)?;
    }
    ws.write_string_with_format(r, 7, line.service.label(), &s.cell)?;
    ws.write_string_with_format(r, 8, line.bucket.label(), &s.cell)?;
    ws.write_number_with_format(r, 9, line.bill_amount as f64, &s.number)?;
    ws.write_string_with_format(r, 11, result_words(line.status), &s.cell)?;
    ws.write_string_with_format(r, 12, spreadsheet_safe(line.recommendation.as_deref().unwrap_or_default()), &s.cell)?;
    ws.write_string_with_format(r, 13, spreadsheet_safe(&person(line.qco_id)), &s.cell)?;
    ws.write_string_with_format(r, 14, when(line.validated_at), &s.cell)?;
    ws.write_string_with_format(r, 15, line.followup_status.map(followup_words).unwrap_or_default(), &s.cell)?;
    let due = if line.closed_at.is_some() { String::new() } else { when(line.due_at) };
    ws.write_string_with_format(r, 16, due, &s.cell)?;
    Ok(())
}
