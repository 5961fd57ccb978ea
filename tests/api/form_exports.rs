//! Excel in the forms' own layout (issue 13, part 5): a scored F-18 sheet, the F-18 sheets of a
//! period, and the F-19 workbook's header block and per-case sheet — each opened with calamine
//! and read cell by cell against what the API says of the same records.

use crate::cases::{approve, give_back, import_ok};
use calamine::{Data, Range, Reader, Xlsx};
use chrono::{Duration, Utc};
use domain::api::Page;
use domain::cases::{Case, F19Report};
use domain::scoring::{Evaluation, EvaluationSummary, ScoringForm};
use reqwest::StatusCode;
use serde_json::{Value, json};
use tests::{Backend, DEMO_PASSWORD, TestApp, on_both_databases, spawn_app};

on_both_databases!(
    a_scored_sheet_downloads_in_the_forms_layout_with_the_revision_of_its_day,
    the_sheets_of_a_period_download_as_a_recap_and_one_worksheet_each,
    the_f19_workbook_carries_the_register_header_and_the_cases_behind_it,
);

const F18: &str = "OB.IN.QCC.TELK.F-18";

type Workbook = Xlsx<std::io::Cursor<Vec<u8>>>;

/// Downloads `path` as `token` and opens it, checking the answer is an XLSX attachment.
async fn workbook(app: &TestApp, path: &str, token: &str) -> (Workbook, String) {
    let response = app.get_response(path, token).await;
    assert_eq!(response.status(), StatusCode::OK, "{path}");
    assert!(response.headers()["content-type"].to_str().unwrap().contains("spreadsheetml"));
    let disposition = response.headers()["content-disposition"].to_str().unwrap().to_owned();
    assert!(disposition.starts_with("attachment; filename=\""), "{disposition}");
    let bytes = response.bytes().await.unwrap().to_vec();
    (calamine::open_workbook_from_rs(std::io::Cursor::new(bytes)).unwrap(), disposition)
}

fn cells(range: &Range<Data>) -> Vec<Vec<String>> {
    range.rows().map(|r| r.iter().map(|c| c.to_string()).collect()).collect()
}

/// The value beside `label` in the header block (column C).
fn labelled<'a>(cells: &'a [Vec<String>], label: &str) -> &'a str {
    let row = cells.iter().find(|r| r.first().is_some_and(|c| c == label)).unwrap_or_else(|| panic!("no {label}"));
    &row[2]
}

fn row_index(cells: &[Vec<String>], first: &str) -> usize {
    cells.iter().position(|r| r.first().is_some_and(|c| c == first)).unwrap_or_else(|| panic!("no row {first}"))
}

async fn user_id(app: &TestApp, username: &str) -> i64 {
    let admin = app.token("admin").await;
    let users: Page<domain::users::User> = app.get(&format!("/api/users?q={username}&limit=500"), &admin).await.json();
    users.items.iter().find(|u| u.username == username).unwrap().id
}

async fn demo_form(app: &TestApp, token: &str) -> ScoringForm {
    let forms: Page<ScoringForm> =
        app.get("/api/scoring-forms?code=F18-CT0-PRANPC&status=published", token).await.json();
    forms.items.into_iter().next().expect("the demo form is published")
}

/// A submitted sheet for `agent_id`, every parameter passed but `failed` (with a comment).
async fn scored(app: &TestApp, qco: &str, form: &ScoringForm, agent_id: i64, failed: &str) -> Evaluation {
    let answers: Vec<Value> = form
        .sections
        .iter()
        .flat_map(|s| &s.parameters)
        .map(|p| {
            if p.key == failed {
                json!({ "parameter": p.key, "value": "fail", "comment": "=Salam tidak diucapkan.", "moment": "00:12" })
            } else {
                json!({ "parameter": p.key, "value": "pass" })
            }
        })
        .collect();
    let body = json!({
        "form_id": form.id, "agent_id": agent_id, "call_ref": "MYCX-XLSX-0001",
        "call_at": (Utc::now() - Duration::hours(2)).to_rfc3339(), "service": "CT0", "bucket": "N2",
        "answers": answers, "comment": "Perlu latihan pembukaan.", "submit": true,
    });
    let reply = app.post("/api/evaluations", Some(qco), &body).await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.body);
    reply.json()
}

/// F-18 gets Rev.01, in force from now (approved for today).
async fn revise_f18(app: &TestApp) {
    let (dc, qrd, manager) = (app.token("dc").await, app.token("qrd").await, app.token("manager").await);
    let path = format!("/api/documents/{F18}/revisions");
    let draft = app.post(&path, Some(&dc), &json!({ "change_description": "Bobot salam diubah." })).await;
    assert_eq!(draft.status, StatusCode::CREATED, "{}", draft.body);
    let rev = draft.body["rev"].as_i64().unwrap();
    let steps = [
        (&dc, "submit", json!({ "password": DEMO_PASSWORD })),
        (&qrd, "review", json!({ "decision": "approve", "password": DEMO_PASSWORD })),
        (
            &manager,
            "approve",
            json!({ "decision": "approve", "password": DEMO_PASSWORD,
                    "effective_date": (Utc::now() + Duration::hours(7)).format("%Y-%m-%d").to_string() }),
        ),
    ];
    for (who, step, body) in steps {
        let reply = app.post(&format!("{path}/{rev}/{step}"), Some(who), &body).await;
        assert_eq!(reply.status, StatusCode::OK, "{step}: {}", reply.body);
    }
}

async fn a_scored_sheet_downloads_in_the_forms_layout_with_the_revision_of_its_day(backend: Backend) {
    let app = spawn_app(backend).await;
    let qco = app.token("qco1").await;
    let form = demo_form(&app, &qco).await;
    let agent1 = user_id(&app, "agent1").await;
    let parameters: Vec<_> = form.sections.iter().flat_map(|s| &s.parameters).collect();
    let failed = parameters.iter().find(|p| !p.fatal).unwrap().key.clone();
    let sheet = scored(&app, &qco, &form, agent1, &failed).await;

    let path = format!("/api/evaluations/{}/xlsx", sheet.id);
    let (mut book, disposition) = workbook(&app, &path, &qco).await;
    assert!(disposition.contains(&format!("F-18_{}_agent1_", sheet.id)), "{disposition}");
    let cells = cells(&book.worksheet_range("F-18").unwrap());
    assert!(cells[0][0].starts_with(&format!("{F18} — ")), "{:?}", cells[0]);
    assert_eq!(labelled(&cells, "Kode Dokumen / Document code"), format!("{F18}.Rev.00"));
    assert_eq!(labelled(&cells, "Revisi / Revision"), "00");
    assert_eq!(labelled(&cells, "Tanggal Berlaku / Effective date"), "13 Oktober 2022");
    assert_eq!(labelled(&cells, "Agent"), format!("{} (agent1)", sheet.agent_name));
    assert_eq!(labelled(&cells, "QC Officer"), sheet.qco_name);
    assert_eq!(labelled(&cells, "Panggilan / Call"), "MYCX-XLSX-0001");
    assert_eq!(labelled(&cells, "Layanan / Service"), "CT-0");
    assert_eq!(labelled(&cells, "Formulir / Form"), format!("{} v{}", form.code, form.version));
    assert!(labelled(&cells, "Waktu panggilan / Call time").ends_with(" WIB"));

    // The parameter table: every parameter of the form, in its order, with weight and result.
    let head = row_index(&cells, "No");
    assert_eq!(cells[head][1..6], ["Bagian / Section", "Parameter", "Bobot / Weight", "Fatal", "Hasil / Result"]);
    for (i, p) in parameters.iter().enumerate() {
        let row = &cells[head + 1 + i];
        assert_eq!(row[0], (i + 1).to_string());
        assert_eq!(row[2], p.label);
        if p.fatal {
            assert_eq!((row[3].as_str(), row[4].as_str()), ("", "Ya / Yes"), "{}", p.key);
        } else {
            assert_eq!(row[3].parse::<f64>().unwrap(), p.weight, "{}", p.key);
        }
        if p.key == failed {
            assert_eq!(row[5], "Gagal / Fail");
            assert_eq!(row[6], "'=Salam tidak diucapkan.", "a formula is defused");
            assert_eq!(row[7], "00:12");
        } else {
            assert_eq!(row[5], "Lulus / Pass");
        }
    }
    let score = &cells[row_index_in(&cells, 2, "Nilai / Score")];
    assert_eq!(score[3].parse::<f64>().unwrap(), sheet.score);
    assert!(sheet.score < 100.0);
    let comment = &cells[row_index_in(&cells, 2, "Catatan QC / QC comment")];
    assert_eq!(comment[3], "Perlu latihan pembukaan.");

    // Who may see the sheet may download it; anyone else gets the sheet's 404.
    for who in ["agent1", "tl1", "qrd", "manager"] {
        assert_eq!(app.get_response(&path, &app.token(who).await).await.status(), StatusCode::OK, "{who}");
    }
    for who in ["agent3", "tl2", "dc"] {
        assert_eq!(app.get(&path, &app.token(who).await).await.status, StatusCode::NOT_FOUND, "{who}");
    }
    assert_eq!(app.get("/api/evaluations/999999/xlsx", &qco).await.status, StatusCode::NOT_FOUND);
    assert_eq!(app.get("/api/evaluations/abc/xlsx", &qco).await.status, StatusCode::NOT_FOUND);

    // A new revision of F-18 heads the sheets made after it; the earlier sheet keeps Rev.00.
    revise_f18(&app).await;
    let later = scored(&app, &qco, &form, agent1, &failed).await;
    let (mut book, _) = workbook(&app, &format!("/api/evaluations/{}/xlsx", later.id), &qco).await;
    let later_cells = self::cells(&book.worksheet_range("F-18").unwrap());
    assert_eq!(labelled(&later_cells, "Kode Dokumen / Document code"), format!("{F18}.Rev.01"));
    assert_ne!(labelled(&later_cells, "Tanggal Berlaku / Effective date"), "13 Oktober 2022");
    let (mut book, _) = workbook(&app, &path, &qco).await;
    let earlier = self::cells(&book.worksheet_range("F-18").unwrap());
    assert_eq!(labelled(&earlier, "Kode Dokumen / Document code"), format!("{F18}.Rev.00"));
}

fn row_index_in(cells: &[Vec<String>], column: usize, text: &str) -> usize {
    cells.iter().position(|r| r.get(column).is_some_and(|c| c == text)).unwrap_or_else(|| panic!("no {text}"))
}

async fn the_sheets_of_a_period_download_as_a_recap_and_one_worksheet_each(backend: Backend) {
    let app = spawn_app(backend).await;
    let qrd = app.token("qrd").await;
    let teams: Value = app.get("/api/teams?limit=500", &qrd).await.body;
    let tim1 =
        teams["items"].as_array().unwrap().iter().find(|t| t["name"] == "Tim 1").unwrap()["id"].as_i64().unwrap();
    let to = (Utc::now() + Duration::hours(7)).format("%Y-%m-%d").to_string();
    let from = (Utc::now() + Duration::hours(7) - Duration::days(120)).format("%Y-%m-%d").to_string();
    let filter = format!("team_id={tim1}&from={from}&to={to}");
    let listed: Page<EvaluationSummary> = app.get(&format!("/api/evaluations?{filter}&limit=500"), &qrd).await.json();
    assert!(listed.items.len() >= 3, "the demo has Tim 1 sheets in the period");

    let (mut book, disposition) = workbook(&app, &format!("/api/evaluations/xlsx?{filter}"), &qrd).await;
    assert!(disposition.contains(&format!("F-18_{from}_{to}_tim{tim1}.xlsx")), "{disposition}");
    let names = book.sheet_names();
    assert_eq!(names.len(), 1 + listed.items.len(), "a recap, then one worksheet per sheet");
    assert_eq!(names[0], "Rekap");
    let recap = cells(&book.worksheet_range("Rekap").unwrap());
    assert_eq!(labelled(&recap, "Periode / Period"), format!("{from} s/d {to}"));
    assert_eq!(labelled(&recap, "Tim / Team"), "Tim 1");
    assert_eq!(labelled(&recap, "Lembar / Sheets"), listed.items.len().to_string());
    assert!(labelled(&recap, "Kode Dokumen / Document code").starts_with(F18));
    let head = row_index(&recap, "No");
    let score_col = recap[head].iter().position(|c| c == "Nilai / Score").unwrap();
    let rows = &recap[head + 1..head + 1 + listed.items.len()];
    // Oldest call first; the scores are the list's.
    let mut expected: Vec<&EvaluationSummary> = listed.items.iter().collect();
    expected.sort_by(|a, b| (&a.call_at, a.id).cmp(&(&b.call_at, b.id)));
    for (row, sheet) in rows.iter().zip(&expected) {
        assert_eq!(row[2], sheet.call_ref);
        assert_eq!(row[3], sheet.agent_name);
        assert_eq!(row[4], "Tim 1");
        assert_eq!(row[score_col].parse::<f64>().unwrap(), sheet.score, "{}", sheet.id);
    }
    // The failed counts per parameter, recounted from each sheet's answers.
    let failed_row = &recap[row_index(&recap, "Gagal / Failed")];
    let mut fails: std::collections::BTreeMap<String, u64> = Default::default();
    for sheet in &listed.items {
        let full: Evaluation = app.get(&format!("/api/evaluations/{}", sheet.id), &qrd).await.json();
        for a in full.answers {
            if a.value == domain::scoring::AnswerValue::Fail {
                *fails.entry(a.parameter).or_default() += 1;
            }
        }
    }
    let form = demo_form(&app, &qrd).await;
    for (i, p) in form.sections.iter().flat_map(|s| &s.parameters).enumerate() {
        assert_eq!(recap[head][8 + i], p.label);
        let count: u64 = failed_row[8 + i].parse().unwrap();
        assert_eq!(count, fails.get(&p.key).copied().unwrap_or(0), "{}", p.key);
    }
    let mean = listed.items.iter().map(|e| e.score).sum::<f64>() / listed.items.len() as f64;
    let average = &recap[row_index(&recap, "Rata-rata / Average")];
    assert!((average[score_col].parse::<f64>().unwrap() - mean).abs() < 0.006);
    // Each sheet's worksheet is the form's layout.
    let first = cells(&book.worksheet_range(&names[1]).unwrap());
    assert_eq!(labelled(&first, "Panggilan / Call"), expected[0].call_ref);

    // Visibility is the list's: a team leader's export never holds another team's sheet, an
    // agent's only their own; the document controller may not.
    let (mut book, _) =
        workbook(&app, &format!("/api/evaluations/xlsx?from={from}&to={to}"), &app.token("tl2").await).await;
    let recap = cells(&book.worksheet_range("Rekap").unwrap());
    let head = row_index(&recap, "No");
    let n: usize = labelled(&recap, "Lembar / Sheets").parse().unwrap();
    assert!(n > 0);
    assert!(recap[head + 1..head + 1 + n].iter().all(|r| r[4] == "Tim 2"));
    let (mut book, _) =
        workbook(&app, &format!("/api/evaluations/xlsx?from={from}&to={to}"), &app.token("agent1").await).await;
    let recap = cells(&book.worksheet_range("Rekap").unwrap());
    let head = row_index(&recap, "No");
    let n: usize = labelled(&recap, "Lembar / Sheets").parse().unwrap();
    assert!(recap[head + 1..head + 1 + n].iter().all(|r| r[3].contains("Agent") || !r[3].is_empty()));
    let own: Page<EvaluationSummary> =
        app.get(&format!("/api/evaluations?from={from}&to={to}&limit=500"), &app.token("agent1").await).await.json();
    assert_eq!(n, own.items.len());
    assert_eq!(app.get("/api/evaluations/xlsx", &app.token("dc").await).await.status, StatusCode::FORBIDDEN);
    // An empty period is a workbook that says so, not an error.
    let (mut book, _) = workbook(&app, "/api/evaluations/xlsx?from=2020-01-01&to=2020-01-31", &qrd).await;
    let recap = cells(&book.worksheet_range("Rekap").unwrap());
    assert_eq!(labelled(&recap, "Lembar / Sheets"), "0");
    assert!(recap.iter().flatten().any(|c| c.starts_with("Tidak ada lembar penilaian")));
    for bad in ["from=kemarin", "from=2024-02-01&to=2024-01-01", "from=2020-01-01&to=2024-01-01", "status=lost"] {
        let reply = app.get(&format!("/api/evaluations/xlsx?{bad}"), &qrd).await;
        assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY, "{bad}: {}", reply.body);
    }
}

async fn the_f19_workbook_carries_the_register_header_and_the_cases_behind_it(backend: Backend) {
    let app = spawn_app(backend).await;
    let qrd = app.token("qrd").await;
    let imported = import_ok(
        &app,
        &qrd,
        &[
            "131000000701,Budi Santoso,CT-0,N+2,100000,agent1,2025-08-01 09:00,x,2025-08-02,EB-701",
            "131000000702,Sri Wahyuni,PRANPC,N,250000,agent2,2025-08-02 10:00,x,2025-08-15,EB-702",
            "131000000703,Ahmad,PRANPC,N+1,75000,agent3,2025-08-03 11:00,x,2025-08-05,EB-703",
        ],
    )
    .await;
    assert_eq!(imported.imported, 3, "{:?}", imported.rejected);
    let qco = app.token("qco1").await;
    let cases: Page<Case> = app.get("/api/cases?from=2025-08-01&to=2025-08-31&limit=500", &qrd).await.json();
    let id = |no: &str| cases.items.iter().find(|c| c.customer_no == no).unwrap().id;
    let approved = app.post(&format!("/api/cases/{}/validation", id("131000000701")), Some(&qco), &approve()).await;
    assert_eq!(approved.status, StatusCode::CREATED, "{}", approved.body);
    let returned = app
        .post(
            &format!("/api/cases/{}/validation", id("131000000702")),
            Some(&qco),
            &give_back("Konfirmasi ulang tanggal bayar."),
        )
        .await;
    assert_eq!(returned.status, StatusCode::CREATED, "{}", returned.body);

    let path = "/api/reports/f19?from=2025-08-01&to=2025-08-31&format=xlsx";
    let report: F19Report = app.get("/api/reports/f19?from=2025-08-01&to=2025-08-31", &qrd).await.json();
    let (mut book, _) = workbook(&app, path, &qrd).await;
    assert_eq!(book.sheet_names(), ["F-19", "Rincian"]);
    let summary = cells(&book.worksheet_range("F-19").unwrap());
    assert!(summary[0][0].starts_with("OB.IN.QCC.TELK.F-19 — "), "{:?}", summary[0]);
    assert_eq!(labelled(&summary, "Kode Dokumen / Document code"), "OB.IN.QCC.TELK.F-19.Rev.00");
    assert_eq!(labelled(&summary, "Tanggal Berlaku / Effective date"), "13 Oktober 2022");
    assert_eq!(labelled(&summary, "Periode / Period"), "2025-08-01 s/d 2025-08-31");
    let total = &summary[row_index(&summary, "Total")];
    assert_eq!(total[5], report.totals.imported.to_string());

    let rows = cells(&book.worksheet_range("Rincian").unwrap());
    assert_eq!(labelled(&rows, "Agree / Cases"), "3");
    let head = row_index(&rows, "No");
    let col = |name: &str| rows[head].iter().position(|c| c == name).unwrap_or_else(|| panic!("no column {name}"));
    let lines = &rows[head + 1..];
    assert_eq!(lines.len() as u64, report.totals.imported, "one row per case behind the summary");
    let line = |no: &str| lines.iter().find(|r| r[col("No. pelanggan / Customer no.")] == no).unwrap();
    let budi = line("131000000701");
    assert_eq!(budi[col("Nama pelanggan / Customer")], "Budi Santoso");
    assert_eq!(budi[col("Waktu panggilan / Call time")], "2025-08-01 09:00 WIB");
    assert_eq!(budi[col("Hasil / Result")], "APPROVED");
    assert!(budi[col("QC Officer")].ends_with("(qco1)"));
    assert!(budi[col("Agent")].ends_with("(agent1)"));
    let sri = line("131000000702");
    assert_eq!(sri[col("Hasil / Result")], "RETURN");
    assert_eq!(sri[col("Rekomendasi / Recommendation")], "Konfirmasi ulang tanggal bayar.");
    assert_eq!(sri[col("Tindak lanjut / Follow-up")], "Terbuka / Open");
    assert!(!sri[col("Tenggat / Due")].is_empty());
    let ahmad = line("131000000703");
    assert_eq!(ahmad[col("Hasil / Result")], "Menunggu / Pending");
    assert_eq!(ahmad[col("QC Officer")], "");
    // Oldest call first.
    assert_eq!(lines[0][col("No. pelanggan / Customer no.")], "131000000701");

    // A team leader's workbook lists their team's cases only.
    let (mut book, _) = workbook(&app, path, &app.token("tl2").await).await;
    let rows = cells(&book.worksheet_range("Rincian").unwrap());
    let head = row_index(&rows, "No");
    let lines = &rows[head + 1..];
    assert_eq!(lines.len(), 1);
    assert!(lines[0][col("Agent")].ends_with("(agent3)"));
}
