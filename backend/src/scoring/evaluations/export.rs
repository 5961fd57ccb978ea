//! F-18 sheets as XLSX, laid out as the form is on paper: the register's header block (of the
//! revision in force when the sheet was made), who and what was scored, then every parameter
//! with its weight, result, comment and moment, the score, and the sign-off. One sheet
//! (`GET /api/evaluations/{id}/xlsx`), or the sheets of a period (`GET /api/evaluations/xlsx`,
//! the list's filters): a recap worksheet with one row per sheet and a column per parameter,
//! then each sheet in the form's layout on its own worksheet.

use super::list::list_evaluations;
use super::view::{views, visible};
use crate::auth::AuthUser;
use crate::documents::service::{FormHeader, FormHistory, form_header};
use crate::error::{ApiError, ApiResult};
use crate::scoring::forms::sections_of;
use crate::state::AppState;
use crate::workbook::{Styles, failed, header_block, local, local_text};
use chrono::{DateTime, Utc};
use domain::cases::spreadsheet_safe;
use domain::problems::Problem;
use domain::scoring::{
    AnswerValue, DisputeDecision, Evaluation, EvaluationFilter, EvaluationStatus, F18_CODE, FormSection,
};
use entity::{evaluations, teams};
use rust_xlsxwriter::{Workbook, Worksheet, XlsxError};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};
use std::collections::HashMap;

/// The most sheets one workbook takes (the list's largest page); a period holding more is 422
/// `period_too_long` on `to`.
pub const SHEETS_MAX: u64 = 500;

const F18_TITLE: &str = "STANDAR PENILAIAN PARAMETER LAYANAN CT-0 DAN PRANPC";

/// A sheet with what its workbook needs besides the API view.
struct Scored {
    sheet: Evaluation,
    team: String,
    sections: Vec<FormSection>,
    form_code: String,
    header: FormHeader,
}

fn result_words(value: AnswerValue) -> &'static str {
    match value {
        AnswerValue::Pass => "Lulus / Pass",
        AnswerValue::Fail => "Gagal / Fail",
        AnswerValue::Na => "Tidak berlaku / N/A",
    }
}

fn status_words(status: EvaluationStatus) -> &'static str {
    match status {
        EvaluationStatus::Draft => "Draf / Draft",
        EvaluationStatus::Submitted => "Dikirim / Submitted",
        EvaluationStatus::Acknowledged => "Diterima agent / Acknowledged",
        EvaluationStatus::Disputed => "Disanggah / Disputed",
        EvaluationStatus::Resolved => "Sanggahan selesai / Resolved",
    }
}

/// The sheets' forms, team names and headers (the revision in force at each sheet's submission,
/// or its creation for a draft).
async fn scored(db: &impl ConnectionTrait, models: Vec<evaluations::Model>) -> ApiResult<Vec<Scored>> {
    let form_ids: Vec<i32> = models.iter().map(|m| m.form_id).collect();
    let forms = crate::scoring::forms::forms_by_id(db, form_ids).await?;
    let teams: HashMap<i32, String> =
        teams::Entity::find().all(db).await?.into_iter().map(|t| (t.id, t.name)).collect();
    let made: Vec<(Option<i32>, DateTime<Utc>)> =
        models.iter().map(|m| (m.team_id, m.submitted_at.unwrap_or(m.created_at))).collect();
    let sheets = views(db, models).await?;
    let mut histories: HashMap<String, FormHistory> = HashMap::new();
    let mut out = Vec::with_capacity(sheets.len());
    for (sheet, (team, at)) in sheets.into_iter().zip(made) {
        let form = forms.get(&(sheet.form_id as i32));
        let document = form.map(|f| f.document_code.clone()).unwrap_or_else(|| F18_CODE.into());
        if !histories.contains_key(&document) {
            histories.insert(document.clone(), FormHistory::read(db, &document, F18_TITLE).await?);
        }
        let header = histories[&document].at(at);
        out.push(Scored {
            team: team.and_then(|t| teams.get(&t).cloned()).unwrap_or_else(|| "–".into()),
            sections: form.map(sections_of).unwrap_or_default(),
            form_code: form.map(|f| format!("{} v{}", f.code, f.version)).unwrap_or_default(),
            header,
            sheet,
        });
    }
    Ok(out)
}

/// One sheet in the form's layout on `ws`.
fn write_sheet(state: &AppState, ws: &mut Worksheet, s: &Styles, scored: &Scored) -> Result<(), XlsxError> {
    let e = &scored.sheet;
    let person =
        |name: &str, username: &str| if name.is_empty() { username.to_owned() } else { format!("{name} ({username})") };
    let info: Vec<(&str, String)> = vec![
        ("Agent", person(&e.agent_name, &e.agent_username)),
        ("Tim / Team", scored.team.clone()),
        ("QC Officer", e.qco_name.clone()),
        ("Panggilan / Call", e.call_ref.clone()),
        ("Waktu panggilan / Call time", local_text(state, &e.call_at)),
        ("Layanan / Service", e.service.label().into()),
        ("Bucket", e.bucket.label().into()),
        ("Rekaman / Recording", e.recording_ref.clone().unwrap_or_default()),
        ("Formulir / Form", scored.form_code.clone()),
        ("Status", status_words(e.status).into()),
    ];
    let head_row = header_block(ws, s, &scored.header, &info)?;
    let columns: [(&str, f64); 8] = [
        ("No", 5.0),
        ("Bagian / Section", 20.0),
        ("Parameter", 36.0),
        ("Bobot / Weight", 9.0),
        ("Fatal", 7.0),
        ("Hasil / Result", 16.0),
        ("Komentar / Comment", 40.0),
        ("Menit / Moment", 9.0),
    ];
    for (c, (text, width)) in columns.iter().enumerate() {
        ws.write_string_with_format(head_row, c as u16, *text, &s.head)?;
        ws.set_column_width(c as u16, *width)?;
    }
    ws.set_row_height(head_row, 30)?;
    let answers: HashMap<&str, _> = e.answers.iter().map(|a| (a.parameter.as_str(), a)).collect();
    let mut r = head_row + 1;
    let mut n = 0;
    for section in &scored.sections {
        for p in &section.parameters {
            n += 1;
            let answer = answers.get(p.key.as_str());
            ws.write_number_with_format(r, 0, n as f64, &s.number)?;
            ws.write_string_with_format(r, 1, spreadsheet_safe(&section.title), &s.wrap)?;
            ws.write_string_with_format(r, 2, spreadsheet_safe(&p.label), &s.wrap)?;
            if p.fatal {
                ws.write_blank(r, 3, &s.cell)?;
            } else {
                ws.write_number_with_format(r, 3, p.weight, &s.decimal)?;
            }
            ws.write_string_with_format(r, 4, if p.fatal { "Ya / Yes" } else { "" }, &s.cell)?;
            ws.write_string_with_format(r, 5, answer.map(|a| result_words(a.value)).unwrap_or("–"), &s.cell)?;
            let comment = answer.and_then(|a| a.comment.as_deref()).unwrap_or_default();
            ws.write_string_with_format(r, 6, spreadsheet_safe(comment), &s.wrap)?;
            ws.write_string_with_format(r, 7, answer.and_then(|a| a.moment.as_deref()).unwrap_or_default(), &s.cell)?;
            r += 1;
        }
    }
    r += 1;
    ws.write_string_with_format(r, 2, "Nilai / Score", &s.bold)?;
    ws.write_number_with_format(r, 3, e.score, &s.total_decimal)?;
    ws.write_string_with_format(r + 1, 2, "Fatal gagal / Fatal failed", &s.bold)?;
    ws.write_string(r + 1, 3, if e.fatal { "Ya / Yes" } else { "Tidak / No" })?;
    ws.write_string_with_format(r + 2, 2, "Catatan QC / QC comment", &s.bold)?;
    ws.write_string(r + 2, 3, spreadsheet_safe(e.comment.as_deref().unwrap_or_default()))?;
    r += 4;
    if let Some(d) = &e.dispute {
        ws.write_string_with_format(r, 2, "Sanggahan / Dispute", &s.bold)?;
        ws.write_string(r, 3, spreadsheet_safe(&d.reason))?;
        if let Some(decision) = d.decision {
            let decided = match decision {
                DisputeDecision::Uphold => "Nilai tetap / Upheld",
                DisputeDecision::Amend => "Nilai diubah / Amended",
            };
            let words = format!("{decided} — {}", d.resolution_comment.as_deref().unwrap_or_default());
            ws.write_string_with_format(r + 1, 2, "Keputusan / Decision", &s.bold)?;
            ws.write_string(r + 1, 3, spreadsheet_safe(&words))?;
        }
        r += 3;
    }
    // The sign-off, as the paper form closes.
    let signed = [
        ("Dinilai oleh / Scored by", e.qco_name.clone(), e.submitted_at.as_deref().map(|t| local_text(state, t))),
        ("Agent", e.agent_name.clone(), e.acknowledged_at.as_deref().map(|t| local_text(state, t))),
    ];
    for (i, (label, name, at)) in signed.into_iter().enumerate() {
        let c = (i * 4) as u16 + 1;
        ws.write_string_with_format(r, c, label, &s.bold)?;
        ws.write_string(r + 1, c, spreadsheet_safe(&name))?;
        ws.write_string(r + 2, c, at.unwrap_or_else(|| "–".into()))?;
    }
    ws.set_landscape();
    ws.set_paper_size(9); // A4
    ws.set_print_fit_to_pages(1, 0);
    Ok(())
}

fn sheet_name(e: &Evaluation) -> String {
    // At most 31 characters, none of []:*?/\ — a number and a username are safe.
    let name = format!("{} {}", e.id, e.agent_username);
    name.chars().filter(|c| !"[]:*?/\\'".contains(*c)).take(31).collect()
}

/// One sheet (`GET /api/evaluations/{id}/xlsx`): 404 where the sheet itself would be.
pub async fn sheet_xlsx(state: &AppState, auth: &AuthUser, id: i64) -> ApiResult<(String, Vec<u8>)> {
    let db = &state.db.conn;
    let model = visible(db, auth, id).await?;
    let scored = scored(db, vec![model]).await?.pop().ok_or(ApiError::NotFound)?;
    let styles = Styles::default();
    let mut workbook = Workbook::new();
    let ws = workbook.add_worksheet();
    ws.set_name("F-18").map_err(failed)?;
    write_sheet(state, ws, &styles, &scored).map_err(failed)?;
    let day: String = local_text(state, &scored.sheet.call_at).chars().take(10).collect();
    let name = format!("F-18_{}_{}_{day}.xlsx", scored.sheet.id, scored.sheet.agent_username);
    Ok((name, workbook.save_to_buffer().map_err(failed)?))
}

/// The sheets of a period (`GET /api/evaluations/xlsx`): the list's filters and visibility; the
/// period defaults to this month.
pub async fn sheets_xlsx(state: &AppState, auth: &AuthUser, filter: &EvaluationFilter) -> ApiResult<(String, Vec<u8>)> {
    let (from, to) = crate::cases::report::dates(state, filter.from.as_deref(), filter.to.as_deref())?;
    let filter = EvaluationFilter {
        from: Some(from.to_string()),
        to: Some(to.to_string()),
        limit: Some(SHEETS_MAX),
        cursor: None,
        ..filter.clone()
    };
    let page = list_evaluations(state, auth, &filter).await?;
    if page.next_cursor.is_some() {
        return Err(ApiError::field("to", Problem::PeriodTooLong));
    }
    let db = &state.db.conn;
    let ids: Vec<i64> = page.items.iter().map(|e| e.id).collect();
    let mut models = evaluations::Entity::find().filter(evaluations::Column::Id.is_in(ids.clone())).all(db).await?;
    // Oldest call first, as a paper file is kept.
    models.sort_by_key(|m| (m.call_at, m.id));
    let sheets = scored(db, models).await?;
    let team = match filter.team_id {
        Some(t) => teams::Entity::find_by_id(t).one(db).await?.map(|t| t.name).unwrap_or_else(|| format!("#{t}")),
        None => "Semua tim / All teams".into(),
    };
    let header = match sheets.first() {
        Some(first) => first.header.clone(),
        None => form_header(db, F18_CODE, crate::db::now(), F18_TITLE).await?,
    };
    let styles = Styles::default();
    let mut workbook = Workbook::new();
    let recap = workbook.add_worksheet();
    recap.set_name("Rekap").map_err(failed)?;
    write_recap(state, recap, &styles, &header, &sheets, &format!("{from} s/d {to}"), &team).map_err(failed)?;
    for scored in &sheets {
        let ws = workbook.add_worksheet();
        ws.set_name(sheet_name(&scored.sheet)).map_err(failed)?;
        write_sheet(state, ws, &styles, scored).map_err(failed)?;
    }
    let suffix = filter.team_id.map(|t| format!("_tim{t}")).unwrap_or_default();
    Ok((format!("F-18_{from}_{to}{suffix}.xlsx"), workbook.save_to_buffer().map_err(failed)?))
}

/// One row per sheet, a column per parameter (by key, in the order the forms list them), the
/// score, and the period's average and fail counts.
fn write_recap(
    state: &AppState,
    ws: &mut Worksheet,
    s: &Styles,
    header: &FormHeader,
    sheets: &[Scored],
    period: &str,
    team: &str,
) -> Result<(), XlsxError> {
    let extra = [
        ("Periode / Period", period.to_owned()),
        ("Tim / Team", team.to_owned()),
        ("Lembar / Sheets", sheets.len().to_string()),
        ("Diekspor / Exported", local(state, crate::db::now())),
    ];
    let head_row = header_block(ws, s, header, &extra)?;
    let mut parameters: Vec<(String, String)> = Vec::new();
    for sheet in sheets {
        for p in sheet.sections.iter().flat_map(|section| &section.parameters) {
            if !parameters.iter().any(|(key, _)| key == &p.key) {
                parameters.push((p.key.clone(), p.label.clone()));
            }
        }
    }
    let fixed = [
        "No",
        "Tanggal / Date",
        "Panggilan / Call",
        "Agent",
        "Tim / Team",
        "QC Officer",
        "Layanan / Service",
        "Bucket",
    ];
    let score_col = (fixed.len() + parameters.len()) as u16;
    for (c, text) in fixed.iter().enumerate() {
        ws.write_string_with_format(head_row, c as u16, *text, &s.head)?;
    }
    for (i, (_, label)) in parameters.iter().enumerate() {
        ws.write_string_with_format(head_row, (fixed.len() + i) as u16, spreadsheet_safe(label), &s.head)?;
    }
    for (i, text) in ["Nilai / Score", "Fatal", "Status"].iter().enumerate() {
        ws.write_string_with_format(head_row, score_col + i as u16, *text, &s.head)?;
    }
    let mut fails = vec![0u64; parameters.len()];
    let mut r = head_row + 1;
    for (n, scored) in sheets.iter().enumerate() {
        let e = &scored.sheet;
        ws.write_number_with_format(r, 0, (n + 1) as f64, &s.number)?;
        let texts = [
            local_text(state, &e.call_at),
            e.call_ref.clone(),
            e.agent_name.clone(),
            scored.team.clone(),
            e.qco_name.clone(),
            e.service.label().into(),
            e.bucket.label().into(),
        ];
        for (c, text) in texts.iter().enumerate() {
            ws.write_string_with_format(r, 1 + c as u16, spreadsheet_safe(text), &s.cell)?;
        }
        for (i, (key, _)) in parameters.iter().enumerate() {
            let value = e.answers.iter().find(|a| &a.parameter == key).map(|a| a.value);
            if value == Some(AnswerValue::Fail) {
                fails[i] += 1;
            }
            let word = match value {
                Some(AnswerValue::Pass) => "Lulus",
                Some(AnswerValue::Fail) => "Gagal",
                Some(AnswerValue::Na) => "N/A",
                None => "",
            };
            ws.write_string_with_format(r, (fixed.len() + i) as u16, word, &s.cell)?;
        }
        ws.write_number_with_format(r, score_col, e.score, &s.decimal)?;
        ws.write_string_with_format(r, score_col + 1, if e.fatal { "Ya" } else { "" }, &s.cell)?;
        ws.write_string_with_format(r, score_col + 2, status_words(e.status), &s.cell)?;
        r += 1;
    }
    if !sheets.is_empty() {
        ws.write_string_with_format(r, 0, "Gagal / Failed", &s.bold)?;
        for (i, count) in fails.iter().enumerate() {
            ws.write_number_with_format(r, (fixed.len() + i) as u16, *count as f64, &s.total)?;
        }
        let mean = sheets.iter().map(|x| x.sheet.score).sum::<f64>() / sheets.len() as f64;
        ws.write_string_with_format(r + 1, 0, "Rata-rata / Average", &s.bold)?;
        ws.write_number_with_format(r + 1, score_col, (mean * 100.0).round() / 100.0, &s.total_decimal)?;
    } else {
        ws.write_string(r, 0, "Tidak ada lembar penilaian pada periode ini. / No sheets in this period.")?;
    }
    ws.set_column_width(0, 5)?;
    for (c, width) in [(1u16, 17.0), (2, 14.0), (3, 20.0), (4, 10.0), (5, 18.0), (6, 9.0), (7, 7.0)] {
        ws.set_column_width(c, width)?;
    }
    for i in 0..parameters.len() as u16 {
        ws.set_column_width(fixed.len() as u16 + i, 11)?;
    }
    ws.set_column_width(score_col + 2, 22)?;
    ws.set_row_height(head_row, 60)?;
    ws.set_freeze_panes(head_row + 1, 4)?;
    Ok(())
}
