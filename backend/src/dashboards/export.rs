//! The dashboards' tables as files: the overview's month by month
//! (`GET /api/dashboards/overview/table?format=csv|xlsx`, with the overview's own filter) and a
//! breakdown's group by group (`GET /api/dashboards/breakdown/table`). The same figures as the page's table (`Tallies::figure`, one
//! definition for both), a column of counts beside each, under a header naming the scope, the
//! trend's months and when it was made. Nothing a person typed is in it but team and agent names,
//! which go through `spreadsheet_safe`.

use crate::error::{ApiError, ApiResult};
use crate::http::export::Format;
use crate::state::AppState;
use crate::workbook::{Styles, failed, local};
use domain::cases::{Bucket, Service, spreadsheet_safe};
use domain::metrics::{Breakdown, Dimension, Metric, OVERVIEW_METRICS, Overview, Tallies};
use domain::problems::Problem;
use entity::{teams, users};
use rust_xlsxwriter::{Workbook, Worksheet};
use sea_orm::EntityTrait;
use serde::Deserialize;

/// `format` of the table's file.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct TableFormat {
    /// `csv` or `xlsx`.
    pub format: Option<String>,
}

impl TableFormat {
    pub fn checked(&self) -> ApiResult<Format> {
        match Format::of(self.format.as_deref())? {
            Format::Json => Err(ApiError::field("format", Problem::UnknownFormat)),
            file => Ok(file),
        }
    }
}

/// A metric's column head, in both languages (as the page words it), with its unit.
fn label(metric: Metric) -> &'static str {
    match metric {
        Metric::AverageScore => "Rata-rata skor / Average score",
        Metric::FatalRate => "Tingkat fatal / Fatal rate (%)",
        Metric::DisputeRate => "Tingkat sanggahan / Dispute rate (%)",
        Metric::ApprovalRate => "Tingkat APPROVED / Approval rate (%)",
        Metric::ReturnRate => "Tingkat RETURN / RETURN rate (%)",
        Metric::ReturnOnTime => "RETURN selesai tepat waktu / RETURNs closed on time (%)",
        Metric::ParameterFailRate => "Tingkat gagal parameter / Parameter fail rate (%)",
        Metric::QcStrictness => "Ketegasan QC / QC strictness",
    }
}

/// What the count beside a figure counts.
fn counted(metric: Metric) -> &'static str {
    match metric {
        Metric::AverageScore | Metric::FatalRate => "lembar / sheets",
        Metric::DisputeRate => "ditanggapi / answered",
        Metric::ApprovalRate | Metric::ReturnRate => "divalidasi / validated",
        Metric::ReturnOnTime => "ditutup / closed",
        Metric::ParameterFailRate | Metric::QcStrictness => "n",
    }
}

/// The header rows: the table's kind (and months), then what it covers.
async fn about(
    state: &AppState,
    title: &str,
    months: Option<String>,
    covered: Covered<'_>,
) -> ApiResult<Vec<(&'static str, String)>> {
    let mut rows = vec![("Ringkasan / Overview", title.to_owned())];
    if let Some(months) = months {
        rows.push(("Bulan / Months", months));
    }
    rows.extend(covered.rows(state).await?);
    Ok(rows)
}

/// What a dashboard's file covers, as its answer says: the period and the scope.
pub(super) struct Covered<'a> {
    pub from: &'a str,
    pub to: &'a str,
    pub team_id: Option<i64>,
    pub agent_id: Option<i64>,
    pub service: Option<Service>,
    pub bucket: Option<Bucket>,
}

impl Covered<'_> {
    /// The header rows every dashboard file carries under its title: the period, the team (or
    /// all), the agent (an agent's own), service, bucket and when it was made — so a printed or
    /// forwarded file still says what it counts.
    pub(super) async fn rows(&self, state: &AppState) -> ApiResult<Vec<(&'static str, String)>> {
        let db = &state.db.conn;
        let team = match self.team_id.and_then(|t| i32::try_from(t).ok()) {
            Some(t) => teams::Entity::find_by_id(t).one(db).await?.map(|t| t.name).unwrap_or_default(),
            None => "Semua tim / All teams".into(),
        };
        let mut rows = vec![("Periode / Period", format!("{} s/d {}", self.from, self.to)), ("Tim / Team", team)];
        if let Some(agent) = self.agent_id.and_then(|a| i32::try_from(a).ok()) {
            let name = users::Entity::find_by_id(agent).one(db).await?.map(|u| u.full_name).unwrap_or_default();
            rows.push(("Agent", name));
        }
        let all = || "Semua / All".to_owned();
        rows.push(("Layanan / Service", self.service.map(|s| s.label().to_owned()).unwrap_or_else(all)));
        rows.push(("Bucket", self.bucket.map(|b| b.label().to_owned()).unwrap_or_else(all)));
        rows.push(("Diekspor / Exported", local(state, crate::db::now())));
        Ok(rows)
    }
}

fn head(first: &str) -> Vec<String> {
    std::iter::once(first.to_owned())
        .chain(OVERVIEW_METRICS.iter().flat_map(|m| [label(*m).to_owned(), counted(*m).to_owned()]))
        .collect()
}

/// The overview's month-by-month table as a file named for its scope and months.
pub async fn table(state: &AppState, o: &Overview, format: Format) -> ApiResult<(String, Vec<u8>)> {
    let months = match (o.trend.first(), o.trend.last()) {
        (Some(first), Some(last)) => Some((first.month.clone(), last.month.clone())),
        _ => None,
    };
    let covered = Covered {
        from: &o.from,
        to: &o.to,
        team_id: o.team_id,
        agent_id: o.agent_id,
        service: o.service,
        bucket: o.bucket,
    };
    let span = months.as_ref().map(|(a, b)| format!("{a} s/d {b}"));
    let about = about(state, "Tren bulanan / Month by month", span, covered).await?;
    let span = months.map(|(a, b)| format!("{a}_{b}")).unwrap_or_else(|| o.to.clone());
    let team = o.team_id.map(|t| format!("_tim{t}")).unwrap_or_default();
    let name = format!("ringkasan_{span}{team}.{}", format.extension());
    let rows: Vec<(String, Tallies)> = o.trend.iter().map(|p| (p.month.clone(), p.tallies)).collect();
    Ok((name, write(format, &about, "Bulan / Month", &rows)?))
}

/// A breakdown's table as a file: one row per group, the six figures with their counts.
pub async fn breakdown(state: &AppState, b: &Breakdown, format: Format) -> ApiResult<(String, Vec<u8>)> {
    let (word, first, title) = match b.by {
        Dimension::Team => ("tim", "Tim / Team", "Per tim / By team"),
        Dimension::Agent => ("agent", "Agent", "Per agent / By agent"),
        Dimension::Service => ("layanan", "Layanan / Service", "Per layanan / By service"),
        Dimension::Bucket => ("bucket", "Bucket", "Per bucket / By bucket"),
    };
    let covered = Covered {
        from: &b.from,
        to: &b.to,
        team_id: b.team_id,
        agent_id: b.agent_id,
        service: b.service,
        bucket: b.bucket,
    };
    let about = about(state, title, None, covered).await?;
    let team = b.team_id.map(|t| format!("_tim{t}")).unwrap_or_default();
    let name = format!("rincian_{word}_{}_{}{team}.{}", b.from, b.to, format.extension());
    let rows: Vec<(String, Tallies)> = b.rows.iter().map(|r| (r.label.clone(), r.tallies)).collect();
    Ok((name, write(format, &about, first, &rows)?))
}

/// The header rows, then the column heads and a line per `(label, tallies)`: each of the six
/// figures (`Tallies::figure`) with the count behind it.
fn write(
    format: Format,
    about: &[(&'static str, String)],
    first: &str,
    rows: &[(String, Tallies)],
) -> ApiResult<Vec<u8>> {
    match format {
        Format::Csv => {
            let lines = rows.iter().map(|(label, tallies)| {
                let cells = OVERVIEW_METRICS.iter().flat_map(|m| {
                    let (value, n) = tallies.figure(*m);
                    [value.map(|v| format!("{v:.2}")).unwrap_or_default(), n.to_string()]
                });
                std::iter::once(spreadsheet_safe(label)).chain(cells).collect()
            });
            csv_file(about, head(first), lines)
        }
        _ => xlsx(about, first, rows),
    }
}

/// A dashboard's CSV: the header block (values through `spreadsheet_safe`), a blank line, the
/// column heads and the lines, behind a byte-order mark so spreadsheet programs read UTF-8.
/// Whatever a person typed in `lines` must already be `spreadsheet_safe`.
pub(super) fn csv_file(
    about: &[(&'static str, String)],
    head: Vec<String>,
    lines: impl IntoIterator<Item = Vec<String>>,
) -> ApiResult<Vec<u8>> {
    let err = |e: csv::Error| ApiError::Internal(anyhow::anyhow!("writing the CSV failed: {e}"));
    let mut writer = csv::WriterBuilder::new().flexible(true).from_writer(Vec::new());
    for (label, value) in about {
        writer.write_record([(*label).to_owned(), spreadsheet_safe(value)]).map_err(err)?;
    }
    writer.write_record([""]).map_err(err)?;
    writer.write_record(head).map_err(err)?;
    for line in lines {
        writer.write_record(line).map_err(err)?;
    }
    let mut bytes = b"\xEF\xBB\xBF".to_vec();
    bytes.extend(writer.into_inner().map_err(|e| ApiError::Internal(anyhow::anyhow!("writing the CSV failed: {e}")))?);
    Ok(bytes)
}

/// Writes a dashboard's header block from row 0 (labels bold in column A, values in column C);
/// answers the row for the column heads, after a blank one.
pub(super) fn xlsx_about(ws: &mut Worksheet, s: &Styles, about: &[(&'static str, String)]) -> ApiResult<u32> {
    for (r, (label, value)) in about.iter().enumerate() {
        ws.write_string_with_format(r as u32, 0, *label, &s.bold).map_err(failed)?;
        ws.write_string(r as u32, 2, spreadsheet_safe(value)).map_err(failed)?;
    }
    Ok(about.len() as u32 + 1)
}

fn xlsx(about: &[(&'static str, String)], first: &str, rows: &[(String, Tallies)]) -> ApiResult<Vec<u8>> {
    let s = Styles::default();
    let mut workbook = Workbook::new();
    let ws = workbook.add_worksheet();
    ws.set_name("Ringkasan").map_err(failed)?;
    let head_row = xlsx_about(ws, &s, about)?;
    for (c, text) in head(first).iter().enumerate() {
        ws.write_string_with_format(head_row, c as u16, text, &s.head).map_err(failed)?;
        let width = match c {
            0 => 18,
            c if c % 2 == 1 => 16,
            _ => 11,
        };
        ws.set_column_width(c as u16, width).map_err(failed)?;
    }
    ws.set_row_height(head_row, 60).map_err(failed)?;
    for (i, (label, tallies)) in rows.iter().enumerate() {
        let r = head_row + 1 + i as u32;
        ws.write_string_with_format(r, 0, spreadsheet_safe(label), &s.cell).map_err(failed)?;
        for (j, metric) in OVERVIEW_METRICS.iter().enumerate() {
            let (value, n) = tallies.figure(*metric);
            let c = 1 + 2 * j as u16;
            match value {
                Some(v) => ws.write_number_with_format(r, c, v, &s.decimal).map_err(failed)?,
                None => ws.write_blank(r, c, &s.cell).map_err(failed)?,
            };
            ws.write_number_with_format(r, c + 1, n as f64, &s.number).map_err(failed)?;
        }
    }
    ws.set_freeze_panes(head_row + 1, 1).map_err(failed)?;
    workbook.save_to_buffer().map_err(failed)
}
