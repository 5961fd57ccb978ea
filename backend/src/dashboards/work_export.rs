//! The work dashboard's charts as files (`GET /api/dashboards/workload/table?chart=…&format=…`,
//! with the dashboard's own filter): each chart as the page draws it — the backlog and the
//! overdue follow-ups by age band, the disputes by outcome, the QC officers' table — under the
//! header block every dashboard file carries (`export::Covered`), with the chart's own line (the
//! reopened share, the days to resolve, the working days and the scope's average) in that block.
//! The figures come from the same `domain::metrics` functions as the page's.

use super::export::{Covered, csv_file, xlsx_about};
use crate::error::{ApiError, ApiResult};
use crate::http::export::Format;
use crate::state::AppState;
use crate::workbook::{Styles, failed};
use domain::cases::spreadsheet_safe;
use domain::metrics::{
    AGE_BANDS, Workload, amended_share, average_score, days_to_resolve, per_working_day, reopened_share,
};
use domain::problems::Problem;
use rust_xlsxwriter::Workbook;
use serde::Deserialize;

/// Which chart of the work dashboard a file holds.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct WorkChart {
    /// `backlog`, `overdue`, `disputes` or `officers`.
    pub chart: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Chart {
    Backlog,
    Overdue,
    Disputes,
    Officers,
}

impl WorkChart {
    pub fn checked(&self) -> ApiResult<Chart> {
        match self.chart.as_deref() {
            Some("backlog") => Ok(Chart::Backlog),
            Some("overdue") => Ok(Chart::Overdue),
            Some("disputes") => Ok(Chart::Disputes),
            Some("officers") => Ok(Chart::Officers),
            None | Some("") => Err(ApiError::field("chart", Problem::Required)),
            Some(_) => Err(ApiError::field("chart", Problem::UnknownKind)),
        }
    }
}

/// A cell of a chart's file: text, or a number (blank when there is none).
enum Cell {
    Text(String),
    Count(u64),
    Figure(Option<f64>),
}

/// What a chart's file holds: its title and lines for the header block, the column heads, rows.
struct Sheet {
    word: &'static str,
    title: &'static str,
    about: Vec<(&'static str, String)>,
    head: Vec<&'static str>,
    rows: Vec<Vec<Cell>>,
}

/// An age band's label, as the page's: `0–1`, `2–3`, …, `≥ 11` working days.
fn band(band: usize) -> String {
    match AGE_BANDS.get(band + 1) {
        Some(next) => format!("{}–{}", AGE_BANDS[band], next - 1),
        None => format!("≥ {}", AGE_BANDS[band]),
    }
}

fn figure(value: Option<f64>) -> String {
    value.map(|v| format!("{v:.2}")).unwrap_or_default()
}

fn sheet(w: &Workload, chart: Chart) -> Sheet {
    let bands = |counts: &[u64]| -> Vec<Vec<Cell>> {
        counts.iter().enumerate().map(|(i, n)| vec![Cell::Text(band(i)), Cell::Count(*n)]).collect()
    };
    match chart {
        Chart::Backlog => Sheet {
            word: "antrean",
            title: "Agree menunggu validasi menurut umur / Agrees waiting for validation by age",
            about: vec![
                ("Dihitung pada / Counted on", w.today.clone()),
                ("Menunggu / Waiting", w.backlog.iter().sum::<u64>().to_string()),
            ],
            head: vec!["Umur (hari kerja sejak call) / Age (working days since the call)", "Agree / Agrees"],
            rows: bands(&w.backlog),
        },
        Chart::Overdue => {
            let reopened = reopened_share(&w.returns);
            Sheet {
                word: "terlambat",
                title: "RETURN lewat tenggat menurut umur / Overdue RETURNs by age",
                about: vec![
                    ("Dihitung pada / Counted on", w.today.clone()),
                    ("RETURN ditutup / RETURNs closed", w.returns.closed.to_string()),
                    ("Pernah dibuka ulang / Reopened", w.returns.reopened.to_string()),
                    ("Porsi dibuka ulang (%) / Reopened share (%)", figure(reopened.percent())),
                ],
                head: vec![
                    "Umur (hari kerja sejak tenggat) / Age (working days since the deadline)",
                    "RETURN / RETURNs",
                ],
                rows: bands(&w.overdue),
            }
        }
        Chart::Disputes => {
            let d = &w.disputes;
            Sheet {
                word: "sanggahan",
                title: "Sanggahan menurut hasil / Disputes by outcome",
                about: vec![
                    ("Disanggah / Disputed", d.disputed.to_string()),
                    ("Rata-rata hari sampai diputus / Mean days to resolve", figure(days_to_resolve(d))),
                    ("Porsi diubah (%) / Amended share (%)", figure(amended_share(d).percent())),
                ],
                head: vec!["Hasil / Outcome", "Lembar / Sheets"],
                rows: vec![
                    vec![Cell::Text("Dipertahankan / Upheld".into()), Cell::Count(d.upheld)],
                    vec![Cell::Text("Diubah / Amended".into()), Cell::Count(d.amended)],
                    vec![Cell::Text("Belum diputus / Not decided".into()), Cell::Count(d.open())],
                ],
            }
        }
        Chart::Officers => Sheet {
            word: "petugas_qc",
            title: "Petugas QC / QC officers",
            about: vec![
                ("Hari kerja / Working days", w.working_days.to_string()),
                ("Rata-rata skor cakupan / The scope's average score", figure(average_score(&w.sheets))),
            ],
            head: vec![
                "Petugas QC / QC officer",
                "Lembar / Sheets",
                "Lembar per hari kerja / Sheets per working day",
                "Validasi / Validations",
                "Validasi per hari kerja / Validations per working day",
                "Rata-rata skor / Average score",
                "Ketegasan / Strictness",
                "Jawaban kalibrasi / Calibration answers",
                "Beda dari mayoritas (%) / Differs from the majority (%)",
            ],
            rows: w
                .officers
                .iter()
                .map(|o| {
                    vec![
                        Cell::Text(o.name.clone()),
                        Cell::Count(o.sheets.sheets),
                        Cell::Figure(per_working_day(o.sheets.sheets, w.working_days)),
                        Cell::Count(o.validations),
                        Cell::Figure(per_working_day(o.validations, w.working_days)),
                        Cell::Figure(average_score(&o.sheets)),
                        Cell::Figure(o.strictness(&w.sheets)),
                        Cell::Count(o.calibration.den),
                        Cell::Figure(o.calibration.percent()),
                    ]
                })
                .collect(),
        },
    }
}

/// The chart's file, named for the chart, the period and the team.
pub async fn table(state: &AppState, w: &Workload, chart: Chart, format: Format) -> ApiResult<(String, Vec<u8>)> {
    let Sheet { word, title, about: lines, head, rows } = sheet(w, chart);
    let covered = Covered {
        from: &w.from,
        to: &w.to,
        team_id: w.team_id,
        agent_id: w.agent_id,
        service: w.service,
        bucket: w.bucket,
    };
    let mut about = vec![("Beban kerja / Workload", title.to_owned())];
    about.extend(covered.rows(state).await?);
    about.extend(lines);
    let team = w.team_id.map(|t| format!("_tim{t}")).unwrap_or_default();
    let name = format!("{word}_{}_{}{team}.{}", w.from, w.to, format.extension());
    let bytes = match format {
        Format::Csv => {
            let lines = rows.iter().map(|row| {
                row.iter()
                    .map(|cell| match cell {
                        Cell::Text(text) => spreadsheet_safe(text),
                        Cell::Count(n) => n.to_string(),
                        Cell::Figure(v) => figure(*v),
                    })
                    .collect()
            });
            csv_file(&about, head.iter().map(|h| (*h).to_owned()).collect(), lines)?
        }
        _ => xlsx(&about, &head, &rows)?,
    };
    Ok((name, bytes))
}

fn xlsx(about: &[(&'static str, String)], head: &[&str], rows: &[Vec<Cell>]) -> ApiResult<Vec<u8>> {
    let s = Styles::default();
    let mut workbook = Workbook::new();
    let ws = workbook.add_worksheet();
    ws.set_name("Beban kerja").map_err(failed)?;
    let head_row = xlsx_about(ws, &s, about)?;
    for (c, text) in head.iter().enumerate() {
        ws.write_string_with_format(head_row, c as u16, *text, &s.head).map_err(failed)?;
        ws.set_column_width(c as u16, if c == 0 { 30 } else { 16 }).map_err(failed)?;
    }
    ws.set_row_height(head_row, 60).map_err(failed)?;
    for (i, row) in rows.iter().enumerate() {
        let r = head_row + 1 + i as u32;
        for (c, cell) in row.iter().enumerate() {
            let c = c as u16;
            match cell {
                Cell::Text(text) => ws.write_string_with_format(r, c, spreadsheet_safe(text), &s.cell),
                Cell::Count(n) => ws.write_number_with_format(r, c, *n as f64, &s.number),
                Cell::Figure(Some(v)) => ws.write_number_with_format(r, c, *v, &s.decimal),
                Cell::Figure(None) => ws.write_blank(r, c, &s.cell),
            }
            .map_err(failed)?;
        }
    }
    workbook.save_to_buffer().map_err(failed)
}
