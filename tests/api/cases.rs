//! API scenarios of the cases part: the agree import (CSV and XLSX, every kind of bad row and
//! bad file), the validation queue and who sees which case, the race of two QCOs for one case,
//! the W-03 follow-up loop, the F-19 report with its exports, reconciliation and the demo data.

use chrono::{Duration, Utc};
use domain::api::Page;
use domain::cases::{Case, CaseSummary, F19Report, Followup, FollowupSummary, ImportResult, Reconciliation};
use mutu_backend::audit::Trail;
use mutu_backend::auth::AuthUser;
use mutu_backend::cases::service;
use reqwest::StatusCode;
use serde_json::{Value, json};
use tests::{Backend, TestApp, on_both_databases, spawn_app};

/// Every operation of this part, as `METHOD /path` in the OpenAPI document (checked by
/// `http::openapi_documents_exactly_the_routes_that_exist`).
pub const ROUTES: &[&str] = &[
    "GET /api/cases",
    "GET /api/cases/{id}",
    "POST /api/cases/import",
    "GET /api/cases/import-template",
    "GET /api/imports/{id}/rejections.csv",
    "GET /api/imports/{id}/rejections",
    "GET /api/cases/summary",
    "GET /api/cases/checklist",
    "PUT /api/cases/checklist",
    "GET /api/cases/checklist/versions",
    "POST /api/cases/{id}/validation",
    "POST /api/cases/{id}/viewing",
    "GET /api/followups",
    "GET /api/followups/summary",
    "GET /api/followups/{id}",
    "POST /api/followups/{id}/recare",
    "POST /api/followups/{id}/verify",
    "GET /api/reports/f19",
    "GET /api/reports/reconciliation",
];

on_both_databases!(
    a_csv_import_keeps_good_rows_and_names_every_bad_one,
    an_xlsx_import_reads_typed_cells,
    bad_files_are_refused_and_store_nothing,
    an_upload_past_50_mib_is_413,
    a_multi_batch_csv_imports_exactly_the_right_counts,
    an_upload_that_fails_half_way_stores_nothing,
    agents_and_team_leaders_see_only_their_cases_and_followups,
    the_case_summary_counts_every_pending_case_the_caller_sees,
    the_queue_is_oldest_first_filtered_and_paged,
    of_many_parallel_validations_exactly_one_wins,
    validation_rules_and_records,
    a_return_goes_open_recared_reopened_recared_closed,
    followup_lists_overdue_and_summary,
    the_f19_report_counts_and_exports,
    reconciliation_finds_what_needs_a_second_look,
    the_demo_has_cases_in_every_state,
    the_qrd_coordinator_words_the_checklist,
);

pub const HEADER: &str =
    "customer_no,customer_name,service,bucket,bill_amount,agent_username,call_at,reason,promise_date,recording_ref";

pub fn csv(lines: &[&str]) -> Vec<u8> {
    let mut text = format!("{HEADER}\r\n");
    for line in lines {
        text.push_str(line);
        text.push_str("\r\n");
    }
    text.into_bytes()
}

pub async fn upload(app: &TestApp, token: &str, name: &str, bytes: Vec<u8>) -> tests::Reply {
    app.upload("/api/cases/import", token, name, bytes).await
}

pub(crate) async fn import_ok(app: &TestApp, token: &str, lines: &[&str]) -> ImportResult {
    let reply = upload(app, token, "agree.csv", csv(lines)).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    reply.json()
}

async fn count_where(app: &TestApp, table_and_condition: &str) -> i64 {
    app.count(table_and_condition).await
}

/// The cases of one customer number (as the QC sees them).
pub(crate) async fn case_of(app: &TestApp, token: &str, customer_no: &str) -> Case {
    let page: Page<Case> = app.get("/api/cases?from=2025-01-01&to=2025-12-31&limit=500", token).await.json();
    page.items.into_iter().find(|c| c.customer_no == customer_no).unwrap_or_else(|| panic!("case {customer_no}"))
}

pub(crate) fn approve() -> Value {
    json!({ "result": "approved", "checklist": { "identity_verified": true, "amount_and_date_correct": true, "explicit_agreement": true, "reason_matches": true } })
}

pub(crate) fn give_back(recommendation: &str) -> Value {
    json!({ "result": "returned", "checklist": { "identity_verified": false, "amount_and_date_correct": true, "explicit_agreement": true, "reason_matches": true },
            "recommendation": recommendation })
}

pub(crate) fn recare_body() -> Value {
    json!({ "note": "Sudah caring ulang, identitas dikonfirmasi.", "recare_call_ref": "EB-RC-0001", "recared_at": Utc::now().to_rfc3339() })
}

async fn a_csv_import_keeps_good_rows_and_names_every_bad_one(backend: Backend) {
    let app = spawn_app(backend).await;
    let qrd = app.token("qrd").await;
    let before = app.count("cases").await;
    let mut bytes = csv(&[
        /* 2 */
        "131000000001,Budi Santoso,CT-0,N+2,Rp 350.000,agent1,2025-03-03 09:15,janji bayar gajian,2025-03-05,EB-1",
        /* 3 */
        "131000000002,Sri Wahyuni,PRANPC,N,350000,nobody,2025-03-03 10:00,bayar transfer,2025-03-05,EB-2",
        /* 4 */ "131000000003,Ahmad Fauzi,PRANPC,N1,350000,agent2,kemarin,bayar transfer,2025-03-05,EB-3",
        /* 5 */ "131000000004,Nur Aisyah,PRANPC,N,-5000,agent2,2025-03-03 11:00,bayar transfer,2025-03-05,EB-4",
        /* 6 */ "131000000005,Hendra,TV,N,5000,agent2,2025-03-03 11:00,x,2025-03-05,EB-5",
        /* 7 */ "131000000006,Rini,PRANPC,N+3,5000,agent2,2025-03-03 11:00,x,2025-03-05,EB-6",
        /* 8 */
        "\"=cmd|' /C calc'!A0\",\"=HYPERLINK(\"\"x\"\")\",PRANPC,N+1,\"350,000\",agent3,03/03/2025 12:30:00,\"@SUM(A1)\",2025-03-06,EB-8",
        /* 9 */
        "131000000001,Budi Santoso,CT-0,N+2,Rp 350.000,agent1,2025-03-03 09:15,duplikat dalam file,2025-03-05,EB-1",
        /* 10 */ "131000000010,Joko,CT-0,N+2,100000,qco1,2025-03-03 13:00,bukan agent,2025-03-05,EB-10",
        /* 11 */ "131000000011,Yuliana,CT-0,N+2,100000,agent1,2025-03-03 13:00,,2025-03-01,EB-11",
        /* 12 */ "131000000012,Agus,CT-0,N+2,100000,agent1,2025-03-03 13:00,too,few",
    ]);
    // Row 13: a cell that is not UTF-8.
    bytes.extend(b"131000000013,Wati \xff\xfe,CT-0,N+2,100000,agent1,2025-03-03 14:00,x,2025-03-05,EB-13\r\n");
    // A blank line at the end (spreadsheets write them) is skipped, not refused.
    bytes.extend(b",,,,,,,,,\r\n");
    let reply = upload(&app, &qrd, "agree 2025-03-03.csv", bytes.clone()).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    let result: ImportResult = reply.json();
    assert_eq!(result.imported, 2, "{result:?}");
    assert_eq!(result.duplicates, 1, "the same row twice in one file");
    let reasons: Vec<(u64, &str)> = result.rejected.iter().map(|r| (r.row, r.error.as_str())).collect();
    let expect = [
        (3, "unknown agent"),
        (4, "bad call_at"),
        (5, "negative"),
        (6, "unknown service"),
        (7, "unknown bucket"),
        (10, "unknown agent"),
        (11, "before the call"),
        (12, "promise_date"),
        (13, "UTF-8"),
    ];
    assert_eq!(reasons.len(), expect.len(), "{reasons:?}");
    for ((row, error), (want_row, want)) in reasons.iter().zip(expect) {
        assert_eq!(*row, want_row, "{reasons:?}");
        assert!(error.contains(want), "row {row}: {error} should say {want}");
    }
    assert_eq!(app.count("cases").await, before + 2);

    // Site time (WIB) is stored as UTC; the formula is kept as text.
    let qco = app.token("qco1").await;
    let budi = case_of(&app, &qco, "131000000001").await;
    assert_eq!(budi.call_at, "2025-03-03T02:15:00.000000Z");
    assert_eq!(budi.bill_amount, 350_000);
    assert_eq!(budi.agent_username, "agent1");
    assert_eq!(budi.status, domain::cases::CaseStatus::Pending);
    assert!(budi.team_id.is_some(), "the team at import time");
    let formula = case_of(&app, &qco, "=cmd|' /C calc'!A0").await;
    assert_eq!(formula.customer_name, "=HYPERLINK(\"x\")");
    assert_eq!(formula.reason, "@SUM(A1)");

    // The same file twice imports nothing new.
    let again: ImportResult = upload(&app, &qrd, "agree 2025-03-03.csv", bytes).await.json();
    assert_eq!((again.imported, again.duplicates, again.rejected.len()), (0, 3, 9));
    assert_eq!(app.count("cases").await, before + 2);

    // One audit entry per import, with the file's hash and the counts.
    assert_eq!(count_where(&app, "audit_log WHERE action = 'cases.imported'").await, 2);
    assert_eq!(count_where(&app, "imports WHERE imported = 2 AND duplicates = 1 AND rejected = 9").await, 1);
    let audit: Value = app.get("/api/audit?entity=import", &app.token("admin").await).await.body;
    let payload = &audit["items"][0]["payload"];
    assert_eq!(payload["sha256"].as_str().map(str::len), Some(64), "{audit}");

    // Semicolon CSVs (Indonesian spreadsheets) and team leaders.
    let tl1 = app.token("tl1").await;
    let semi = format!(
        "{}\r\n131000000020;Ratna;PRANPC;N;\"Rp 150.000\";agent2;2025-03-04 08:00;bayar;2025-03-05;EB-20\r\n",
        HEADER.replace(',', ";")
    );
    let reply = upload(&app, &tl1, "agree.csv", semi.into_bytes()).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    assert_eq!(reply.body["imported"], 1);

    // Roles: agents, managers and the document controller may not import.
    for who in ["agent1", "manager", "dc"] {
        let reply = upload(&app, &app.token(who).await, "agree.csv", csv(&[])).await;
        assert_eq!(reply.status, StatusCode::FORBIDDEN, "{who}");
    }
    // The template is the header row.
    let template = app.get("/api/cases/import-template", &qco).await;
    assert_eq!(template.status, StatusCode::OK);
    assert_eq!(template.body.as_str().unwrap().trim(), HEADER);
    assert!(template.headers["content-disposition"].to_str().unwrap().contains("attachment"));
}

async fn an_xlsx_import_reads_typed_cells(backend: Backend) {
    use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};
    let app = spawn_app(backend).await;
    let qco = app.token("qco1").await;
    let mut workbook = Workbook::new();
    let sheet = workbook.add_worksheet();
    // Columns in another order than the template: the header decides.
    let columns = [
        "agent_username",
        "customer_no",
        "customer_name",
        "service",
        "bucket",
        "bill_amount",
        "call_at",
        "reason",
        "promise_date",
        "recording_ref",
    ];
    for (c, name) in columns.iter().enumerate() {
        sheet.write_string(0, c as u16, name.to_uppercase()).unwrap();
    }
    let when = Format::new().set_num_format("yyyy-mm-dd hh:mm");
    let day = Format::new().set_num_format("yyyy-mm-dd");
    // Row 2: typed cells (a number, a date-time, a date).
    sheet.write_string(1, 0, "agent3").unwrap();
    sheet.write_string(1, 1, "131000000101").unwrap();
    sheet.write_string(1, 2, "Kartika Dewi").unwrap();
    sheet.write_string(1, 3, "PRANPC").unwrap();
    sheet.write_string(1, 4, "N+1").unwrap();
    sheet.write_number(1, 5, 425000.0).unwrap();
    sheet
        .write_datetime_with_format(
            1,
            6,
            ExcelDateTime::from_ymd(2025, 3, 10).unwrap().and_hms(14, 5, 0).unwrap(),
            &when,
        )
        .unwrap();
    sheet.write_string(1, 7, "bayar lewat minimarket").unwrap();
    sheet.write_datetime_with_format(1, 8, ExcelDateTime::from_ymd(2025, 3, 12).unwrap(), &day).unwrap();
    sheet.write_string(1, 9, "EB-101").unwrap();
    // Row 3: text cells, a formula-looking name kept as text.
    for (c, v) in
        ["agent1", "131000000102", "=1+2", "CT-0", "N+2", "Rp 99.000", "2025-03-10 15:00", "x", "2025-03-11", "EB-102"]
            .iter()
            .enumerate()
    {
        sheet.write_string(2, c as u16, *v).unwrap();
    }
    // Row 5 (row 4 left empty): a negative amount.
    for (c, v) in
        ["agent1", "131000000103", "Eko", "CT-0", "N+2", "-1", "2025-03-10 15:00", "x", "2025-03-11", "EB-103"]
            .iter()
            .enumerate()
    {
        sheet.write_string(4, c as u16, *v).unwrap();
    }
    let bytes = workbook.save_to_buffer().unwrap();
    let reply = upload(&app, &qco, "agree.xlsx", bytes.clone()).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    let result: ImportResult = reply.json();
    assert_eq!((result.imported, result.duplicates), (2, 0), "{result:?}");
    assert_eq!(result.rejected.len(), 1);
    assert_eq!(result.rejected[0].row, 5);
    assert!(result.rejected[0].error.contains("negative"));
    let kartika = case_of(&app, &qco, "131000000101").await;
    assert_eq!(kartika.bill_amount, 425_000);
    assert_eq!(kartika.call_at, "2025-03-10T07:05:00.000000Z");
    assert_eq!(kartika.promise_date, "2025-03-12");
    assert_eq!(kartika.bucket, domain::cases::Bucket::N1);
    assert_eq!(case_of(&app, &qco, "131000000102").await.customer_name, "=1+2");
    let again: ImportResult = upload(&app, &qco, "agree.xlsx", bytes).await.json();
    assert_eq!((again.imported, again.duplicates), (0, 2));
}

async fn bad_files_are_refused_and_store_nothing(backend: Backend) {
    let app = spawn_app(backend).await;
    let qco = app.token("qco1").await;
    let (cases, imports, audit) = (app.count("cases").await, app.count("imports").await, app.count("audit_log").await);
    let short_header = "customer_no,customer_name,service,bucket,bill_amount,agent_username,call_at,reason,promise_date\r\n1,2,3,4,5,6,7,8,9\r\n";
    let long_header = format!("{HEADER},notes\r\n");
    let files: Vec<(&str, Vec<u8>, &str)> = vec![
        ("empty.csv", Vec::new(), "empty"),
        ("blank.csv", b"  \r\n\r\n".to_vec(), "empty"),
        ("scan.pdf", b"%PDF-1.7\n1 0 obj << >> endobj\n%%EOF".to_vec(), "not a CSV or XLSX"),
        ("photo.png", b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR".to_vec(), "not a CSV or XLSX"),
        ("old.xls", b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1rest".to_vec(), "XLSX or CSV"),
        ("broken.xlsx", b"PK\x03\x04 this is no workbook".to_vec(), "XLSX"),
        ("short.csv", short_header.as_bytes().to_vec(), "missing columns: recording_ref"),
        ("long.csv", long_header.into_bytes(), "unexpected columns: notes"),
        ("latin1.csv", b"customer_no,customer_n\xe4me\r\n".to_vec(), "UTF-8"),
    ];
    for (name, bytes, problem) in files {
        let reply = upload(&app, &qco, name, bytes).await;
        assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY, "{name}: {}", reply.body);
        let said = reply.body["message"].as_str().unwrap_or_default();
        assert!(said.contains(problem), "{name}: {said} should say {problem}");
        let typed: domain::cases::FileProblem = serde_json::from_value(reply.body["file_problem"].clone()).unwrap();
        assert_eq!(reply.body["fields"]["file"], typed.code(), "{name}");
        assert_eq!(typed.to_string(), said, "{name}");
    }
    // No file field at all.
    let form = reqwest::multipart::Form::new().text("other", "x");
    let response =
        app.client.post(app.url("/api/cases/import")).bearer_auth(&qco).multipart(form).send().await.unwrap();
    let reply = TestApp::reply(response).await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(reply.body["fields"]["file"].is_string());
    assert_eq!(app.count("cases").await, cases);
    assert_eq!(app.count("imports").await, imports);
    assert_eq!(app.count("audit_log").await, audit);
}

async fn an_upload_past_50_mib_is_413(backend: Backend) {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let app = spawn_app(backend).await;
    let qco = app.token("qco1").await;
    let (cases, imports) = (app.count("cases").await, app.count("imports").await);
    let size = 51 * 1024 * 1024;
    let boundary = "mutu-test-boundary";
    let head_part = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"big.csv\"\r\nContent-Type: text/csv\r\n\r\n{HEADER}\r\n"
    );
    let tail_part = format!("\r\n--{boundary}--\r\n");
    let host = app.address.trim_start_matches("http://").to_owned();
    let mut stream = tokio::net::TcpStream::connect(&host).await.unwrap();
    let head = format!(
        "POST /api/cases/import HTTP/1.1\r\nHost: {host}\r\nAuthorization: Bearer {qco}\r\n\
         Content-Type: multipart/form-data; boundary={boundary}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{head_part}",
        head_part.len() + size + tail_part.len()
    );
    stream.write_all(head.as_bytes()).await.unwrap();
    let line =
        "131000000001,Budi Santoso,CT-0,N+2,350000,agent1,2025-03-03 09:15,janji bayar,2025-03-05,EB-1\r\n".repeat(700);
    let mut sent = 0;
    while sent < size {
        if stream.write_all(line.as_bytes()).await.is_err() {
            break;
        }
        sent += line.len();
    }
    let _ = stream.write_all(tail_part.as_bytes()).await;
    let mut answer = Vec::new();
    let _ = stream.read_to_end(&mut answer).await;
    let answer = String::from_utf8_lossy(&answer);
    assert!(answer.starts_with("HTTP/1.1 413"), "{}", &answer[..answer.len().min(300)]);
    assert!(answer.contains(r#""error":"payload_too_large""#), "{answer}");
    assert_eq!(app.count("cases").await, cases);
    assert_eq!(app.count("imports").await, imports);
}

/// A file of 12,500 rows: more than one batch of the import (10,000 rows a transaction) and of
/// its INSERT statements (2,000 rows), with bad rows spread over it, blank lines, and duplicates
/// within a statement, across statements and across batches. The counts are worked out here row
/// by row and must match exactly; the second import of the same file adds nothing.
async fn a_multi_batch_csv_imports_exactly_the_right_counts(backend: Backend) {
    use std::collections::HashSet;
    let app = spawn_app(backend).await;
    let qco = app.token("qco1").await;
    let (cases, imports) = (app.count("cases").await, app.count("imports").await);
    let agents = ["agent1", "agent2", "agent3"];
    let line = |i: usize| {
        format!(
            "IMB{i:09},Pelanggan {i},{},{},{},{},2025-04-{:02} {:02}:{:02}:{:02},janji bayar,2025-04-28,EB-{i}",
            // The SOP's pairs: CT-0 serves N+2, PRANPC N and N+1.
            ["CT-0", "PRANPC", "PRANPC"][i % 3],
            ["N+2", "N", "N+1"][i % 3],
            150_000 + i % 40 * 5_000,
            agents[i % 3],
            1 + i % 27,
            8 + i / 3600 % 10,
            i / 60 % 60,
            i % 60
        )
    };
    // Which earlier line each duplicate repeats: next to it, across the first statements'
    // boundary (~2,000 good rows), across the first batch's boundary (record 25,000), and far back.
    let duplicates = [(3, 2), (2_005, 1_990), (2_006, 1_990), (25_003, 24_996), (25_004, 2), (26_400, 5)];
    let mut text = format!("{HEADER}\r\n");
    let mut good_keys = HashSet::new();
    let (mut good, mut expected_rejected) = (0u64, Vec::new());
    for n in 0..26_500 {
        let row = n as u64 + 2;
        if n > 0 && n % 3_001 == 0 {
            text.push_str(",,,,,,,,,\r\n");
            continue;
        }
        if let Some((_, of)) = duplicates.iter().find(|(at, _)| *at == n) {
            text.push_str(&line(*of));
            good += 1;
        } else if n % 499 == 17 {
            text.push_str(&line(n).replace(",janji bayar,", ",janji bayar,2025-04-28,"));
            expected_rejected.push((row, "cells"));
        } else if n % 1_201 == 600 {
            text.push_str(&line(n).replace(&format!(",{},", agents[n % 3]), ",nobody,"));
            expected_rejected.push((row, "unknown agent"));
        } else if n % 2_503 == 1_000 {
            text.push_str(&line(n).replace(",EB-", ",").replace(",2025-04-28,", ",2025-03-01,"));
            expected_rejected.push((row, "before the call"));
        } else {
            text.push_str(&line(n));
            good_keys.insert(n);
            good += 1;
        }
        text.push_str("\r\n");
    }
    let imported = good_keys.len() as u64;
    assert_eq!(good - imported, duplicates.len() as u64, "every duplicate repeats a good row");
    assert!(expected_rejected.len() > 30, "bad rows all over the file");

    let reply = upload(&app, &qco, "agree-besar.csv", text.clone().into_bytes()).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    let result: ImportResult = reply.json();
    assert_eq!((result.imported, result.duplicates), (imported, good - imported), "{:?}", &result.rejected[..3]);
    let got: Vec<u64> = result.rejected.iter().map(|r| r.row).collect();
    let want: Vec<u64> = expected_rejected.iter().map(|(row, _)| *row).collect();
    assert_eq!(got, want, "the spreadsheet row of every refused row, in order");
    for (rejected, (_, reason)) in result.rejected.iter().zip(&expected_rejected) {
        assert!(rejected.error.contains(reason), "row {}: {} should say {reason}", rejected.row, rejected.error);
    }
    assert_eq!(app.count("cases").await, cases + imported as i64);
    assert_eq!(app.count("imports").await, imports + 1);
    let record = format!(
        "imports WHERE imported = {imported} AND duplicates = {} AND rejected = {}",
        good - imported,
        want.len()
    );
    assert_eq!(count_where(&app, &record).await, 1);
    // The file's hash, computed while it streamed in, is the hash of the whole file.
    let sha = mutu_backend::auth::tokens::token_hash(&text);
    assert_eq!(count_where(&app, &format!("imports WHERE sha256 = '{sha}'")).await, 1);
    let audit: Value = app.get("/api/audit?entity=import", &app.token("admin").await).await.body;
    assert_eq!(audit["items"][0]["payload"]["sha256"], sha, "{audit}");
    assert_eq!(audit["items"][0]["payload"]["imported"], imported);
    // Rows are stored whole: the last line, its agent's team, its call time in UTC.
    let last = "cases WHERE customer_no = 'IMB000026499' AND status = 'pending' AND team_id IS NOT NULL AND bill_amount = 245000";
    assert_eq!(count_where(&app, last).await, 1);
    let agent1 = user_id(&app, "agent1").await;
    let on_the_day: Page<Case> =
        app.get(&format!("/api/cases?from=2025-04-13&to=2025-04-13&agent_id={agent1}&limit=500"), &qco).await.json();
    let case = on_the_day.items.iter().find(|c| c.customer_no == "IMB000026499").expect("IMB000026499 on 13 April");
    // Row 26,499: 2025-04-13 15:21:39 WIB is 08:21:39 UTC.
    assert_eq!(case.call_at, "2025-04-13T08:21:39.000000Z");
    assert_eq!(case.agent_username, "agent1");

    // The same file again: nothing new, every good row a duplicate.
    let again: ImportResult = upload(&app, &qco, "agree-besar.csv", text.into_bytes()).await.json();
    assert_eq!((again.imported, again.duplicates, again.rejected.len()), (0, good, want.len()));
    assert_eq!(app.count("cases").await, cases + imported as i64);
}

/// Sends the start of an upload by hand: the request head, then the multipart head with the
/// CSV header and `rows` distinct rows. Returns the open connection.
pub async fn start_upload(address: &str, token: &str, framing: &str, rows: usize) -> (tokio::net::TcpStream, String) {
    use tokio::io::AsyncWriteExt;
    let boundary = "mutu-test-boundary";
    let mut part = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"agree.csv\"\r\nContent-Type: text/csv\r\n\r\n{HEADER}\r\n"
    );
    for i in 0..rows {
        part.push_str(&format!("IMH{i:09},Pelanggan {i},CT-0,N+2,150000,agent1,2025-05-{:02} 09:{:02}:{:02},janji bayar,2025-05-28,EB-{i}\r\n", 1 + i % 27, i / 60 % 60, i % 60));
    }
    let host = address.trim_start_matches("http://").to_owned();
    let mut stream = tokio::net::TcpStream::connect(&host).await.unwrap();
    let head = format!(
        "POST /api/cases/import HTTP/1.1\r\nHost: {host}\r\nAuthorization: Bearer {token}\r\n\
         Content-Type: multipart/form-data; boundary={boundary}\r\n{framing}\r\nConnection: close\r\n\r\n"
    );
    stream.write_all(head.as_bytes()).await.unwrap();
    (stream, part)
}

/// Waits until the import has staged some of the rows sent so far.
pub async fn wait_for_staged_rows(app: &TestApp) {
    for _ in 0..400 {
        if app.count("import_rows").await > 0 {
            return;
        }
        tokio::time::sleep(std::time::Duration::from_millis(25)).await;
    }
    panic!("the import staged nothing of the rows sent");
}

/// The upload is parsed and staged as it arrives (no case shows before the end); when it then
/// fails — past 50 MiB with no declared length (chunked), or the client gone — what was staged
/// is taken back.
async fn an_upload_that_fails_half_way_stores_nothing(backend: Backend) {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let app = spawn_app(backend).await;
    let qco = app.token("qco1").await;
    let (cases, imports, audit) = (app.count("cases").await, app.count("imports").await, app.count("audit_log").await);

    // Chunked: 27,000 distinct rows (more than a batch of 25,000, so they are stored), then the same row
    // over and over past 50 MiB.
    let (mut stream, part) = start_upload(&app.address, &qco, "Transfer-Encoding: chunked", 27_000).await;
    let chunk = |data: &[u8]| [format!("{:x}\r\n", data.len()).as_bytes(), data, &b"\r\n"[..]].concat();
    stream.write_all(&chunk(part.as_bytes())).await.unwrap();
    wait_for_staged_rows(&app).await;
    assert_eq!(app.count("imports").await, imports + 1, "the import is under way");
    assert_eq!(app.count("cases").await, cases, "no case shows before the import is complete");
    let line =
        "131000000001,Budi Santoso,CT-0,N+2,350000,agent1,2025-03-03 09:15,janji bayar,2025-03-05,EB-1\r\n".repeat(700);
    let mut sent = part.len();
    while sent < 51 * 1024 * 1024 {
        if stream.write_all(&chunk(line.as_bytes())).await.is_err() {
            break;
        }
        sent += line.len();
    }
    let _ = stream.write_all(b"0\r\n\r\n").await;
    let mut answer = Vec::new();
    let _ = stream.read_to_end(&mut answer).await;
    let answer = String::from_utf8_lossy(&answer);
    assert!(answer.starts_with("HTTP/1.1 413"), "{}", &answer[..answer.len().min(300)]);
    assert_eq!(app.count("cases").await, cases);
    assert_eq!(app.count("import_rows").await, 0, "the staged rows are taken back");
    assert_eq!(app.count("imports").await, imports);

    // The client goes away half-way through a declared 30 MB upload.
    let (mut stream, part) = start_upload(&app.address, &qco, "Content-Length: 30000000", 27_000).await;
    stream.write_all(part.as_bytes()).await.unwrap();
    wait_for_staged_rows(&app).await;
    drop(stream);
    let mut left = i64::MAX;
    for _ in 0..400 {
        left = app.count("import_rows").await + app.count("cases").await - cases + app.count("imports").await - imports;
        if left == 0 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(25)).await;
    }
    assert_eq!(left, 0, "the rows and the record of the broken upload are taken back");
    assert_eq!(app.count("audit_log").await, audit, "no import is recorded");
}

/// Imports three cases in March 2025: one per demo agent. Returns the QRD's token.
async fn three_cases(app: &TestApp) -> String {
    let qrd = app.token("qrd").await;
    import_ok(
        app,
        &qrd,
        &[
            "131000000201,Budi Santoso,CT-0,N+2,350.000,agent1,2025-03-03 09:00,janji bayar,2025-03-05,EB-201",
            "131000000202,Sri Wahyuni,PRANPC,N,350.000,agent2,2025-03-03 10:00,janji bayar,2025-03-05,EB-202",
            "131000000203,Ahmad Fauzi,PRANPC,N+1,350.000,agent3,2025-03-03 11:00,janji bayar,2025-03-05,EB-203",
        ],
    )
    .await;
    qrd
}

async fn agents_and_team_leaders_see_only_their_cases_and_followups(backend: Backend) {
    let app = spawn_app(backend).await;
    let qrd = three_cases(&app).await;
    let qco = app.token("qco1").await;
    let (a1, a3) = (case_of(&app, &qrd, "131000000201").await, case_of(&app, &qrd, "131000000203").await);
    let f1 =
        app.post(&format!("/api/cases/{}/validation", a1.id), Some(&qco), &give_back("Konfirmasi identitas.")).await;
    assert_eq!(f1.status, StatusCode::CREATED, "{}", f1.body);
    let f1 = f1.body["validation"]["followup_id"].as_i64().unwrap();
    let f3 = app.post(&format!("/api/cases/{}/validation", a3.id), Some(&qco), &give_back("Konfirmasi nominal.")).await;
    let f3 = f3.body["validation"]["followup_id"].as_i64().unwrap();

    let agent1 = app.token("agent1").await;
    let mine: Page<Case> = app.get("/api/cases?limit=500", &agent1).await.json();
    assert!(!mine.items.is_empty());
    assert!(mine.items.iter().all(|c| c.agent_username == "agent1"));
    assert_eq!(app.get(&format!("/api/cases/{}", a1.id), &agent1).await.status, StatusCode::OK);
    assert_eq!(app.get(&format!("/api/cases/{}", a3.id), &agent1).await.status, StatusCode::NOT_FOUND);
    assert_eq!(app.get(&format!("/api/followups/{f1}"), &agent1).await.status, StatusCode::OK);
    assert_eq!(app.get(&format!("/api/followups/{f3}"), &agent1).await.status, StatusCode::NOT_FOUND);
    let theirs: Page<Case> = app.get(&format!("/api/cases?agent_id={}", a3.agent_id), &agent1).await.json();
    assert!(theirs.items.is_empty(), "a filter cannot widen what an agent sees");

    let tl1 = app.token("tl1").await;
    let team: Page<Case> = app.get("/api/cases?limit=500", &tl1).await.json();
    assert!(team.items.iter().any(|c| c.agent_username == "agent2"));
    assert!(team.items.iter().all(|c| c.agent_username == "agent1" || c.agent_username == "agent2"));
    assert_eq!(app.get(&format!("/api/cases/{}", a3.id), &tl1).await.status, StatusCode::NOT_FOUND);
    let tl2 = app.token("tl2").await;
    assert_eq!(app.get(&format!("/api/followups/{f1}"), &tl2).await.status, StatusCode::NOT_FOUND);
    assert_eq!(app.get(&format!("/api/followups/{f3}"), &tl2).await.status, StatusCode::OK);
    let team_followups: Page<Followup> = app.get("/api/followups?limit=500", &tl2).await.json();
    assert!(team_followups.items.iter().all(|f| f.agent_username == "agent3"));

    let dc = app.token("dc").await;
    assert_eq!(app.get("/api/cases", &dc).await.status, StatusCode::FORBIDDEN);
    assert_eq!(app.get("/api/followups", &dc).await.status, StatusCode::FORBIDDEN);
    assert_eq!(app.get(&format!("/api/cases/{}", a1.id), &dc).await.status, StatusCode::NOT_FOUND);
    assert_eq!(app.get(&format!("/api/followups/{f1}"), &dc).await.status, StatusCode::NOT_FOUND);
    for who in ["manager", "admin", "qco2"] {
        assert_eq!(
            app.get(&format!("/api/cases/{}", a3.id), &app.token(who).await).await.status,
            StatusCode::OK,
            "{who}"
        );
    }
    assert_eq!(app.get("/api/cases/999999", &qco).await.status, StatusCode::NOT_FOUND);
    assert_eq!(app.get("/api/cases/abc", &qco).await.status, StatusCode::NOT_FOUND);
}

async fn the_case_summary_counts_every_pending_case_the_caller_sees(backend: Backend) {
    let app = spawn_app(backend).await;
    let qrd = app.token("qrd").await;
    // More than one page (500) of pending agrees, so the count cannot come from a list.
    let lines: Vec<String> = (0..620)
        .map(|i| format!("13200000{i:04},Pelanggan {i},PRANPC,N,350.000,agent{},2025-04-{:02} 09:{:02},janji bayar,2025-04-28,EB-{i}", 1 + i % 3, 1 + i % 20, i % 60))
        .collect();
    let lines: Vec<&str> = lines.iter().map(String::as_str).collect();
    assert_eq!(import_ok(&app, &qrd, &lines).await.imported, 620);

    let pending = "cases WHERE status = 'pending'";
    let qco = app.token("qco1").await;
    let all: CaseSummary = app.get("/api/cases/summary", &qco).await.json();
    assert!(all.pending > 600);
    assert_eq!(all.pending as i64, count_where(&app, pending).await);
    let first: Page<Case> = app.get("/api/cases?status=pending&limit=1", &qco).await.json();
    assert_eq!(all.oldest_pending_call_at.as_deref(), Some(first.items[0].call_at.as_str()));

    let agent1 = user_id(&app, "agent1").await;
    let own: CaseSummary = app.get("/api/cases/summary", &app.token("agent1").await).await.json();
    assert_eq!(own.pending as i64, count_where(&app, &format!("{pending} AND agent_id = {agent1}")).await);
    assert!(own.pending >= 200 && own.pending < all.pending);
    let team: CaseSummary = app.get("/api/cases/summary", &app.token("tl2").await).await.json();
    let tl2_team = "(SELECT team_id FROM users WHERE username = 'tl2')";
    assert_eq!(team.pending as i64, count_where(&app, &format!("{pending} AND team_id = {tl2_team}")).await);
    assert!(team.pending > 0 && team.pending < all.pending);

    // A validation takes the case out of the count.
    let case = &first.items[0];
    let done = app.post(&format!("/api/cases/{}/validation", case.id), Some(&qco), &approve()).await;
    assert_eq!(done.status, StatusCode::CREATED, "{}", done.body);
    let after: CaseSummary = app.get("/api/cases/summary", &qco).await.json();
    assert_eq!(after.pending, all.pending - 1);

    assert_eq!(app.get("/api/cases/summary", &app.token("dc").await).await.status, StatusCode::FORBIDDEN);
}

async fn the_queue_is_oldest_first_filtered_and_paged(backend: Backend) {
    let app = spawn_app(backend).await;
    let qrd = app.token("qrd").await;
    let mut lines = Vec::new();
    for i in 0..7 {
        let (agent, service, bucket) =
            [("agent1", "CT-0", "N+2"), ("agent2", "PRANPC", "N"), ("agent3", "PRANPC", "N+1")][i % 3];
        lines.push(format!(
            "13100000030{i},Pelanggan {i},{service},{bucket},100000,{agent},2025-04-0{} 0{}:00,x,2025-04-09,EB-30{i}",
            7 - i,
            8 + i % 2
        ));
    }
    let refs: Vec<&str> = lines.iter().map(String::as_str).collect();
    let result = import_ok(&app, &qrd, &refs).await;
    assert_eq!(result.imported, 7, "{result:?}");
    let qco = app.token("qco1").await;
    let mut seen = Vec::new();
    let mut cursor: Option<String> = None;
    loop {
        let path = match &cursor {
            Some(c) => format!("/api/cases?status=pending&from=2025-04-01&to=2025-04-30&limit=3&cursor={c}"),
            None => "/api/cases?status=pending&from=2025-04-01&to=2025-04-30&limit=3".into(),
        };
        let page: Page<Case> = app.get(&path, &qco).await.json();
        seen.extend(page.items.into_iter().map(|c| (c.call_at, c.customer_no)));
        match page.next_cursor {
            Some(next) => cursor = Some(next),
            None => break,
        }
    }
    assert_eq!(seen.len(), 7);
    assert!(seen.windows(2).all(|w| w[0].0 <= w[1].0), "oldest first: {seen:?}");
    assert_eq!(seen[0].1, "131000000306");

    let only = |q: &str| format!("/api/cases?from=2025-04-01&to=2025-04-30&{q}");
    let ct0: Page<Case> = app.get(&only("service=CT0"), &qco).await.json();
    assert_eq!(ct0.items.len(), 3);
    let n1: Page<Case> = app.get(&only("bucket=N%2B1"), &qco).await.json();
    assert_eq!(n1.items.len(), 2);
    assert!(n1.items.windows(2).all(|w| w[0].call_at >= w[1].call_at), "other lists: latest first");
    let day: Page<Case> = app.get("/api/cases?from=2025-04-03&to=2025-04-03", &qco).await.json();
    assert_eq!(day.items.len(), 1);
    // 3 April is agent2's call (Tim 1, with agent1).
    let agent2_id = day.items[0].agent_id;
    let team1_id = day.items[0].team_id.unwrap();
    let by_agent: Page<Case> = app.get(&only(&format!("agent_id={agent2_id}")), &qco).await.json();
    assert_eq!(by_agent.items.len(), 2);
    assert!(by_agent.items.iter().all(|c| c.agent_id == agent2_id));
    let by_team: Page<Case> = app.get(&only(&format!("team_id={team1_id}")), &qco).await.json();
    assert_eq!(by_team.items.len(), 5);
    assert!(by_team.items.iter().all(|c| c.agent_username != "agent3"));
    for bad in ["status=done", "service=TV", "bucket=N9", "from=kemarin", "from=2025-04-05&to=2025-04-01", "limit=0"] {
        let reply = app.get(&format!("/api/cases?{bad}"), &qco).await;
        assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY, "{bad}");
    }
    assert_eq!(app.get("/api/cases?cursor=garbage", &qco).await.status, StatusCode::BAD_REQUEST);
}

async fn of_many_parallel_validations_exactly_one_wins(backend: Backend) {
    let app = spawn_app(backend).await;
    let qrd = three_cases(&app).await;
    let case = case_of(&app, &qrd, "131000000202").await;
    let tokens = [app.token("qco1").await, app.token("qco2").await];
    let mut tasks = Vec::new();
    for i in 0..20 {
        let (client, url, token) =
            (app.client.clone(), app.url(&format!("/api/cases/{}/validation", case.id)), tokens[i % 2].clone());
        let body = if i % 3 == 0 { give_back("Ulangi konfirmasi.") } else { approve() };
        tasks.push(tokio::spawn(async move {
            let response = client.post(url).bearer_auth(token).json(&body).send().await.unwrap();
            TestApp::reply(response).await
        }));
    }
    let mut created = 0;
    for task in tasks {
        let reply = task.await.unwrap();
        match reply.status {
            StatusCode::CREATED => created += 1,
            StatusCode::CONFLICT => {
                assert_eq!(reply.error(), "already_validated");
                assert!(reply.body["message"].as_str().unwrap().contains("already been validated"));
            }
            other => panic!("unexpected {other}: {}", reply.body),
        }
    }
    assert_eq!(created, 1);
    assert_eq!(count_where(&app, &format!("validations WHERE case_id = {}", case.id)).await, 1);
    assert_eq!(
        count_where(&app, &format!("audit_log WHERE action = 'case.validated' AND entity_id = '{}'", case.id)).await,
        1
    );
    let after = app.get(&format!("/api/cases/{}", case.id), &qrd).await.json::<Case>();
    assert_ne!(after.status, domain::cases::CaseStatus::Pending);
    let followups = count_where(&app, &format!("followups WHERE case_id = {}", case.id)).await;
    assert_eq!(followups, i64::from(after.status == domain::cases::CaseStatus::Returned));
}

async fn validation_rules_and_records(backend: Backend) {
    let app = spawn_app(backend).await;
    let qrd = three_cases(&app).await;
    let qco = app.token("qco1").await;
    let case = case_of(&app, &qrd, "131000000201").await;
    let path = format!("/api/cases/{}/validation", case.id);
    let others: Vec<(String, String)> = vec![
        ("qrd".into(), app.token("qrd").await),
        ("tl1".into(), app.token("tl1").await),
        ("agent1".into(), app.token("agent1").await),
        ("manager".into(), app.token("manager").await),
    ];
    let audit = app.count("audit_log").await;

    let mut no_reason = give_back("   ");
    let reply = app.post(&path, Some(&qco), &no_reason).await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(reply.body["fields"]["recommendation"].is_string());
    no_reason["recommendation"] = Value::Null;
    assert_eq!(app.post(&path, Some(&qco), &no_reason).await.status, StatusCode::UNPROCESSABLE_ENTITY);
    let mut half = approve();
    half["checklist"]["reason_matches"] = json!(false);
    let reply = app.post(&path, Some(&qco), &half).await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(reply.body["fields"]["checklist"].is_string());
    assert_eq!(app.post(&path, Some(&qco), &json!({ "result": "maybe" })).await.status, StatusCode::BAD_REQUEST);
    for (who, token) in &others {
        assert_eq!(app.post(&path, Some(token), &approve()).await.status, StatusCode::FORBIDDEN, "{who}");
    }
    assert_eq!(app.post("/api/cases/999999/validation", Some(&qco), &approve()).await.status, StatusCode::NOT_FOUND);
    assert_eq!(app.count("audit_log").await, audit, "refusals change nothing");

    let reply = app.post(&path, Some(&qco), &give_back("Verifikasi identitas pelanggan belum dilakukan.")).await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.body);
    let validated: Case = reply.json();
    assert_eq!(validated.status, domain::cases::CaseStatus::Returned);
    let v = validated.validation.expect("the validation");
    assert_eq!(v.qco_name, "Rina Marlina");
    assert!(!v.checklist.identity_verified);
    let today = Utc::now().with_timezone(&chrono::FixedOffset::east_opt(7 * 3600).unwrap()).date_naive();
    let expected = domain::dates::retain_until(domain::dates::Date::parse(&today.to_string()).unwrap(), 24).to_string();
    assert_eq!(v.retain_until, expected, "validated + 24 months");
    let followup_id = v.followup_id.expect("a RETURN opens a follow-up");

    // Due at the end of the site day two working days later.
    let followup: Followup = app.get(&format!("/api/followups/{followup_id}"), &qco).await.json();
    let due_day = domain::dates::Date::parse(&today.to_string()).unwrap().add_working_days(2);
    let due = chrono::DateTime::parse_from_rfc3339(&followup.due_at)
        .unwrap()
        .with_timezone(&chrono::FixedOffset::east_opt(7 * 3600).unwrap());
    assert_eq!(due.date_naive().to_string(), due_day.to_string());
    assert_eq!(due.format("%H:%M").to_string(), "23:59");
    assert_eq!(followup.status, domain::cases::FollowupStatus::Open);
    assert_eq!(followup.recommendation, "Verifikasi identitas pelanggan belum dilakukan.");
    assert_eq!(followup.history.len(), 1);
    assert_eq!(followup.history[0].step.as_str(), "opened");

    // Validating again: 409, by the same or another QCO.
    for who in ["qco1", "qco2"] {
        let reply = app.post(&path, Some(&app.token(who).await), &approve()).await;
        assert_eq!(reply.status, StatusCode::CONFLICT, "{who}");
        assert_eq!(reply.error(), "already_validated");
    }
    assert_eq!(count_where(&app, "audit_log WHERE action = 'case.validated'").await, 1);

    // APPROVED opens nothing; an F-18 sheet can be referred to.
    let other = case_of(&app, &qrd, "131000000202").await;
    let sheet = crate::import_rules::sheet_of(&app, other.agent_id).await;
    let mut body = approve();
    body["evaluation_id"] = json!(sheet);
    let reply = app.post(&format!("/api/cases/{}/validation", other.id), Some(&app.token("qco2").await), &body).await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.body);
    assert_eq!(reply.body["validation"]["evaluation_id"], sheet);
    assert!(reply.body["validation"]["followup_id"].is_null());
    assert_eq!(count_where(&app, &format!("followups WHERE case_id = {}", other.id)).await, 0);
}

async fn a_return_goes_open_recared_reopened_recared_closed(backend: Backend) {
    let app = spawn_app(backend).await;
    let qrd = three_cases(&app).await;
    let qco = app.token("qco1").await;
    let case = case_of(&app, &qrd, "131000000201").await;
    let reply = app
        .post(&format!("/api/cases/{}/validation", case.id), Some(&qco), &give_back("Konfirmasi identitas pemilik."))
        .await;
    let id = reply.body["validation"]["followup_id"].as_i64().unwrap();
    let (recare, verify) = (format!("/api/followups/{id}/recare"), format!("/api/followups/{id}/verify"));
    let agent1 = app.token("agent1").await;

    // Verify before the re-care: 409.
    let reply = app.post(&verify, Some(&qco), &json!({ "decision": "close", "comment": "" })).await;
    assert_eq!(reply.status, StatusCode::CONFLICT);
    assert_eq!(reply.error(), "wrong_state");
    // Someone else's agent: 404; QC cannot re-care: 403; a team leader neither.
    assert_eq!(app.post(&recare, Some(&app.token("agent2").await), &recare_body()).await.status, StatusCode::NOT_FOUND);
    assert_eq!(app.post(&recare, Some(&qco), &recare_body()).await.status, StatusCode::FORBIDDEN);
    assert_eq!(app.post(&recare, Some(&app.token("tl1").await), &recare_body()).await.status, StatusCode::FORBIDDEN);
    // Bad re-care bodies.
    let mut bad = recare_body();
    bad["note"] = json!(" ");
    assert_eq!(app.post(&recare, Some(&agent1), &bad).await.status, StatusCode::UNPROCESSABLE_ENTITY);
    let mut bad = recare_body();
    bad["recared_at"] = json!("kemarin");
    assert_eq!(app.post(&recare, Some(&agent1), &bad).await.status, StatusCode::UNPROCESSABLE_ENTITY);
    let mut bad = recare_body();
    bad["recared_at"] = json!((Utc::now() + Duration::days(1)).to_rfc3339());
    assert_eq!(app.post(&recare, Some(&agent1), &bad).await.status, StatusCode::UNPROCESSABLE_ENTITY);

    let reply = app.post(&recare, Some(&agent1), &recare_body()).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    assert_eq!(reply.body["status"], "recared");
    // Twice: 409.
    assert_eq!(app.post(&recare, Some(&agent1), &recare_body()).await.status, StatusCode::CONFLICT);
    // Only QC verifies; reopening needs a comment; decisions are close or reopen.
    assert_eq!(app.post(&verify, Some(&agent1), &json!({ "decision": "close" })).await.status, StatusCode::FORBIDDEN);
    assert_eq!(
        app.post(&verify, Some(&app.token("tl1").await), &json!({ "decision": "close" })).await.status,
        StatusCode::FORBIDDEN
    );
    let reply = app.post(&verify, Some(&qco), &json!({ "decision": "reopen", "comment": "  " })).await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(reply.body["fields"]["comment"].is_string());
    assert_eq!(
        app.post(&verify, Some(&qco), &json!({ "decision": "maybe" })).await.status,
        StatusCode::UNPROCESSABLE_ENTITY
    );

    let reply = app
        .post(
            &verify,
            Some(&app.token("qrd").await),
            &json!({ "decision": "reopen", "comment": "Tanggal janji bayar belum disebutkan." }),
        )
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    let reopened: Followup = reply.json();
    assert_eq!(reopened.status, domain::cases::FollowupStatus::Reopened);
    assert_eq!(reopened.last_comment.as_deref(), Some("Tanggal janji bayar belum disebutkan."));
    // The agent sees why.
    let seen: Followup = app.get(&format!("/api/followups/{id}"), &agent1).await.json();
    assert_eq!(seen.last_comment.as_deref(), Some("Tanggal janji bayar belum disebutkan."));

    assert_eq!(app.post(&recare, Some(&agent1), &recare_body()).await.status, StatusCode::OK);
    let reply = app.post(&verify, Some(&qco), &json!({ "decision": "close", "comment": "Sesuai." })).await;
    assert_eq!(reply.status, StatusCode::OK);
    let closed: Followup = reply.json();
    assert_eq!(closed.status, domain::cases::FollowupStatus::Closed);
    assert_eq!(closed.closed_in_time, Some(true));
    assert!(closed.closed_at.is_some());
    let steps: Vec<&str> = closed.history.iter().map(|s| s.step.as_str()).collect();
    assert_eq!(steps, ["opened", "recared", "reopened", "recared", "closed"]);
    assert_eq!(closed.history[1].recare_call_ref.as_deref(), Some("EB-RC-0001"));
    assert_eq!(closed.history[2].by, "Sukron Azis");
    assert_eq!(closed.version, 5);
    // Closed is the end.
    assert_eq!(app.post(&recare, Some(&agent1), &recare_body()).await.status, StatusCode::CONFLICT);
    assert_eq!(
        app.post(&verify, Some(&qco), &json!({ "decision": "reopen", "comment": "lagi" })).await.status,
        StatusCode::CONFLICT
    );
    assert_eq!(count_where(&app, &format!("audit_log WHERE entity = 'followup' AND entity_id = '{id}'")).await, 4);
    assert_eq!(
        app.post("/api/followups/999999/recare", Some(&agent1), &recare_body()).await.status,
        StatusCode::NOT_FOUND
    );
}

/// A QC officer's account (`id`), acting outside a request.
pub(crate) async fn qco_who(app: &TestApp, id: i32) -> AuthUser {
    AuthUser::account(&app.app.state.db.conn, id).await.expect("an active account")
}

pub(crate) async fn user_id(app: &TestApp, username: &str) -> i32 {
    let admin = app.token("admin").await;
    let users: Value = app.get("/api/users?limit=500", &admin).await.body;
    users["items"].as_array().unwrap().iter().find(|u| u["username"] == username).unwrap()["id"].as_i64().unwrap()
        as i32
}

async fn followup_lists_overdue_and_summary(backend: Backend) {
    let app = spawn_app(backend).await;
    let qrd = three_cases(&app).await;
    let qco1 = user_id(&app, "qco1").await;
    let state = &app.app.state;
    // A RETURN of ten days ago is overdue; one of now is not.
    let old = case_of(&app, &qrd, "131000000201").await;
    let body = domain::cases::NewValidation {
        result: domain::cases::ValidationResult::Returned,
        checklist: Default::default(),
        recommendation: Some("Ulangi.".into()),
        evaluation_id: None,
        checklist_version: None,
    };
    let old = service::validate_at(
        state,
        &qco_who(&app, qco1).await,
        old.id,
        body.clone(),
        Utc::now() - Duration::days(10),
        Trail::EachStep,
    )
    .await
    .unwrap();
    let old_id = old.validation.unwrap().followup_id.unwrap();
    let fresh = case_of(&app, &qrd, "131000000202").await;
    let fresh = service::validate_at(state, &qco_who(&app, qco1).await, fresh.id, body, Utc::now(), Trail::EachStep)
        .await
        .unwrap();
    let fresh_id = fresh.validation.unwrap().followup_id.unwrap();

    let agent1 = app.token("agent1").await;
    let mine: Page<Followup> = app.get("/api/followups", &agent1).await.json();
    assert!(mine.items.iter().all(|f| f.agent_username == "agent1"));
    assert!(mine.items[0].overdue, "overdue first");
    let overdue: Page<Followup> =
        app.get("/api/followups?overdue=true&limit=500", &app.token("qrd").await).await.json();
    assert!(overdue.items.iter().any(|f| f.id == old_id));
    assert!(overdue.items.iter().all(|f| f.overdue));
    assert!(!overdue.items.iter().any(|f| f.id == fresh_id));
    let open: Page<Followup> = app.get("/api/followups?status=open&limit=500", &qrd).await.json();
    assert!(open.items.iter().all(|f| f.status == domain::cases::FollowupStatus::Open));
    let by_agent: Page<Followup> =
        app.get(&format!("/api/followups?agent_id={}&limit=500", old.agent_id), &qrd).await.json();
    assert!(by_agent.items.iter().all(|f| f.agent_id == old.agent_id));
    assert!(by_agent.items.iter().any(|f| f.id == old_id));
    let by_team: Page<Followup> =
        app.get(&format!("/api/followups?team_id={}&limit=500", old.team_id.unwrap()), &qrd).await.json();
    assert!(by_team.items.iter().any(|f| f.id == fresh_id));
    assert_eq!(app.get("/api/followups?status=gone", &qrd).await.status, StatusCode::UNPROCESSABLE_ENTITY);
    // Paging through everything gives each once, overdue ones before the others.
    let mut all = Vec::new();
    let mut path = "/api/followups?limit=2".to_owned();
    loop {
        let page: Page<Followup> = app.get(&path, &qrd).await.json();
        all.extend(page.items);
        match page.next_cursor {
            Some(c) => path = format!("/api/followups?limit=2&cursor={c}"),
            None => break,
        }
    }
    let total = app.count("followups").await as usize;
    assert_eq!(all.len(), total);
    let first_not_overdue = all.iter().position(|f| !f.overdue).unwrap_or(all.len());
    assert!(all[first_not_overdue..].iter().all(|f| !f.overdue));

    // The badge: the agent's own counts; team leaders per agent.
    let summary: FollowupSummary = app.get("/api/followups/summary", &agent1).await.json();
    let own = mine.items.iter().filter(|f| f.status.awaits_agent()).count() as u64;
    assert_eq!(summary.open, own);
    assert!(summary.overdue >= 1);
    assert!(summary.per_agent.is_empty());
    assert!(summary.changed_at.is_some());
    let tl1: FollowupSummary = app.get("/api/followups/summary", &app.token("tl1").await).await.json();
    assert!(tl1.per_agent.iter().all(|a| a.agent_username == "agent1" || a.agent_username == "agent2"));
    assert!(tl1.per_agent.iter().any(|a| a.agent_username == "agent1" && a.overdue >= 1 && a.oldest_open_at.is_some()));
    // It moves when a follow-up changes.
    tokio::time::sleep(std::time::Duration::from_millis(5)).await;
    let reply =
        app.post(&format!("/api/followups/{fresh_id}/recare"), Some(&app.token("agent2").await), &recare_body()).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    let later: FollowupSummary = app.get("/api/followups/summary", &app.token("tl1").await).await.json();
    assert!(later.changed_at > tl1.changed_at);
    assert_eq!(later.recared, tl1.recared + 1);
    assert_eq!(app.get("/api/followups/summary", &app.token("dc").await).await.status, StatusCode::FORBIDDEN);
}

async fn the_f19_report_counts_and_exports(backend: Backend) {
    let app = spawn_app(backend).await;
    let qrd = app.token("qrd").await;
    // May 2025: agent1 (Tim 1) CT-0 N+2 ×3, agent2 (Tim 1) PRANPC N ×2, agent3 (Tim 2) PRANPC N+1 ×1.
    import_ok(
        &app,
        &qrd,
        &[
            "131000000401,A,CT-0,N+2,100000,agent1,2025-05-05 09:00,x,2025-05-06,EB-401",
            "131000000402,B,CT-0,N+2,100000,agent1,2025-05-06 09:00,x,2025-05-07,EB-402",
            "131000000403,C,CT-0,N+2,100000,agent1,2025-05-07 09:00,x,2025-05-08,EB-403",
            "131000000404,D,PRANPC,N,100000,agent2,2025-05-05 09:00,x,2025-05-06,EB-404",
            "131000000405,E,PRANPC,N,100000,agent2,2025-05-06 09:00,x,2025-05-07,EB-405",
            "131000000406,F,PRANPC,N+1,100000,agent3,2025-05-05 09:00,x,2025-05-06,EB-406",
            // Outside the period.
            "131000000407,G,CT-0,N+2,100000,agent1,2025-06-01 09:00,x,2025-06-02,EB-407",
            // 1 May 00:30 WIB is 30 April in UTC: inside May by the site's calendar.
            "131000000408,H,PRANPC,N+1,100000,agent3,2025-05-01 00:30,x,2025-05-02,EB-408",
        ],
    )
    .await;
    let qco = app.token("qco1").await;
    let validate = |no: &'static str, body: Value| {
        let (app, qco, qrd) = (&app, qco.clone(), qrd.clone());
        async move {
            let case = case_of(app, &qrd, no).await;
            let reply = app.post(&format!("/api/cases/{}/validation", case.id), Some(&qco), &body).await;
            assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.body);
            reply.body["validation"]["followup_id"].as_i64()
        }
    };
    validate("131000000401", approve()).await;
    validate("131000000402", approve()).await;
    let returned = validate("131000000403", give_back("Ulangi.")).await.unwrap();
    validate("131000000404", approve()).await;
    validate("131000000406", give_back("Ulangi.")).await;
    // agent1's return is re-cared and closed in time.
    app.post(&format!("/api/followups/{returned}/recare"), Some(&app.token("agent1").await), &recare_body()).await;
    app.post(&format!("/api/followups/{returned}/verify"), Some(&qco), &json!({ "decision": "close" })).await;

    let report: F19Report = app.get("/api/reports/f19?from=2025-05-01&to=2025-05-31", &qrd).await.json();
    assert_eq!(report.form_code, "OB.IN.QCC.TELK.F-19");
    assert_eq!((report.from.as_str(), report.to.as_str()), ("2025-05-01", "2025-05-31"));
    let t = &report.totals;
    assert_eq!((t.imported, t.validated, t.approved, t.returned), (7, 5, 3, 2));
    assert_eq!(t.approval_rate, Some(60.0));
    assert_eq!((t.returns_closed_in_time, t.returns_open, t.returns_overdue), (1, 1, 0));
    assert_eq!(report.rows.len(), 3);
    let row = |agent: &str| report.rows.iter().find(|r| r.agent_username == agent).unwrap();
    let a1 = &row("agent1").counts;
    assert_eq!((a1.imported, a1.validated, a1.approved, a1.returned, a1.returns_closed_in_time), (3, 3, 2, 1, 1));
    assert_eq!(a1.approval_rate, Some(66.67));
    assert_eq!(row("agent1").team_name.as_deref(), Some("Tim 1"));
    let a2 = &row("agent2").counts;
    assert_eq!((a2.imported, a2.validated, a2.approved), (2, 1, 1));
    let a3 = &row("agent3").counts;
    assert_eq!((a3.imported, a3.validated, a3.returned, a3.returns_open), (2, 1, 1, 1));
    assert_eq!(a3.approval_rate, Some(0.0));
    assert_eq!(report.rows[0].team_name.as_deref(), Some("Tim 1"), "sorted by team");

    // Team leaders: their team only, whatever they ask.
    let tl1 = app.token("tl1").await;
    let team: F19Report = app.get("/api/reports/f19?from=2025-05-01&to=2025-05-31", &tl1).await.json();
    assert_eq!(team.totals.imported, 5);
    assert!(team.rows.iter().all(|r| r.team_name.as_deref() == Some("Tim 1")));
    let tim2 = report.rows.iter().find(|r| r.agent_username == "agent3").unwrap().team_id.unwrap();
    assert_eq!(
        app.get(&format!("/api/reports/f19?from=2025-05-01&to=2025-05-31&team_id={tim2}"), &tl1).await.status,
        StatusCode::FORBIDDEN
    );
    let only2: F19Report =
        app.get(&format!("/api/reports/f19?from=2025-05-01&to=2025-05-31&team_id={tim2}"), &qrd).await.json();
    assert_eq!(only2.totals.imported, 2);
    for who in ["agent1", "dc", "admin"] {
        assert_eq!(app.get("/api/reports/f19", &app.token(who).await).await.status, StatusCode::FORBIDDEN, "{who}");
    }
    assert_eq!(app.get("/api/reports/f19", &app.token("manager").await).await.status, StatusCode::OK);
    for bad in ["from=kemarin", "from=2025-05-31&to=2025-05-01", "format=pdf"] {
        assert_eq!(
            app.get(&format!("/api/reports/f19?{bad}"), &qrd).await.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{bad}"
        );
    }

    // CSV: the header block, the table, the totals; formulas defused.
    app.sql("UPDATE users SET full_name = '=HYPERLINK(\"http://x\")' WHERE username = 'agent3'").await.unwrap();
    let response = app.get_response("/api/reports/f19?from=2025-05-01&to=2025-05-31&format=csv", &qrd).await;
    assert_eq!(response.status(), StatusCode::OK);
    let disposition = response.headers()["content-disposition"].to_str().unwrap().to_owned();
    assert!(
        disposition.starts_with("attachment") && disposition.contains("F-19_2025-05-01_2025-05-31.csv"),
        "{disposition}"
    );
    let text = response.text().await.unwrap();
    assert!(text.contains("OB.IN.QCC.TELK.F-19"));
    assert!(text.contains("Form Pelaporan Hasil Validasi Agree"));
    assert!(text.contains("2025-05-01 s/d 2025-05-31"));
    assert!(text.contains(" WIB"));
    assert!(text.contains("'=HYPERLINK"), "{text}");
    assert!(!text.contains(",=HYPERLINK") && !text.contains(",\"=HYPERLINK"), "{text}");
    assert!(text.lines().any(|l| l.starts_with("Total,,,,,7,5,3,2,60.00,1,1,0")), "{text}");

    // XLSX: a real workbook.
    use calamine::{Reader, Xlsx};
    let response = app.get_response("/api/reports/f19?from=2025-05-01&to=2025-05-31&format=xlsx", &qrd).await;
    assert_eq!(response.status(), StatusCode::OK);
    assert!(response.headers()["content-type"].to_str().unwrap().contains("spreadsheetml"));
    let bytes = response.bytes().await.unwrap().to_vec();
    assert!(bytes.starts_with(b"PK\x03\x04"));
    let mut workbook: Xlsx<_> = calamine::open_workbook_from_rs(std::io::Cursor::new(bytes)).unwrap();
    let range = workbook.worksheet_range("F-19").unwrap();
    let cells: Vec<Vec<String>> = range.rows().map(|r| r.iter().map(|c| c.to_string()).collect()).collect();
    assert!(cells[0][0].contains("OB.IN.QCC.TELK.F-19"), "{:?}", cells[0]);
    assert!(cells.iter().flatten().any(|c| c.contains("2025-05-01 s/d 2025-05-31")));
    assert!(cells.iter().flatten().any(|c| c.starts_with("'=HYPERLINK")));
    let total = cells.iter().find(|r| r[0] == "Total").expect("a totals row");
    assert_eq!(&total[5..9], ["7", "5", "3", "2"]);
}

async fn reconciliation_finds_what_needs_a_second_look(backend: Backend) {
    let app = spawn_app(backend).await;
    let qrd = app.token("qrd").await;
    import_ok(
        &app,
        &qrd,
        &[
            // The same customer twice in the period.
            "131000000501,Budi,CT-0,N+2,100000,agent1,2025-07-01 09:00,x,2025-07-02,EB-501",
            "131000000501,Budi,CT-0,N+2,100000,agent1,2025-07-08 09:00,x,2025-07-09,EB-502",
            // N+2 must pay within 3 days: 10 days is too late.
            "131000000503,Sri,CT-0,N+2,100000,agent2,2025-07-02 09:00,x,2025-07-12,EB-503",
            // N pays by the 20th: the 25th is too late; N+1 within 7 days: fine.
            "131000000504,Ahmad,PRANPC,N,100000,agent3,2025-07-03 09:00,x,2025-07-25,EB-504",
            "131000000505,Nur,PRANPC,N+1,100000,agent3,2025-07-03 09:00,x,2025-07-10,EB-505",
        ],
    )
    .await;
    let qco = app.token("qco1").await;
    let validated = case_of(&app, &qrd, "131000000505").await;
    app.post(&format!("/api/cases/{}/validation", validated.id), Some(&qco), &approve()).await;
    let report: Reconciliation =
        app.get("/api/reports/reconciliation?from=2025-07-01&to=2025-07-31&days=3", &qrd).await.json();
    assert_eq!(report.unvalidated.len(), 4, "all but the validated one are long pending");
    assert!(report.unvalidated.windows(2).all(|w| w[0].call_at <= w[1].call_at));
    assert_eq!(report.repeated_customers.len(), 1);
    assert_eq!(report.repeated_customers[0].customer_no, "131000000501");
    assert_eq!(report.repeated_customers[0].agrees, 2);
    assert_eq!(report.repeated_customers[0].case_ids.len(), 2);
    let late: Vec<&str> = report.late_promises.iter().map(|c| c.customer_no.as_str()).collect();
    assert_eq!(late, ["131000000503", "131000000504"]);
    let tl2: Reconciliation =
        app.get("/api/reports/reconciliation?from=2025-07-01&to=2025-07-31", &app.token("tl2").await).await.json();
    assert!(tl2.unvalidated.iter().all(|c| c.agent_username == "agent3"));
    assert_eq!(tl2.late_promises.len(), 1);
    assert_eq!(app.get("/api/reports/reconciliation", &app.token("agent1").await).await.status, StatusCode::FORBIDDEN);
    assert_eq!(app.get("/api/reports/reconciliation?days=9999", &qrd).await.status, StatusCode::UNPROCESSABLE_ENTITY);
}

async fn the_demo_has_cases_in_every_state(backend: Backend) {
    let app = spawn_app(backend).await;
    // Sixty agrees of the last three weeks came through the import; the year before them was
    // written directly, without one (`cases::seed::history`).
    assert_eq!(count_where(&app, "cases WHERE import_id IS NOT NULL").await, 60);
    let all = app.count("cases").await;
    app.app.load_demo().await.unwrap();
    assert_eq!(app.count("cases").await, all, "loading twice adds nothing");
    for status in ["pending", "approved", "returned"] {
        assert!(count_where(&app, &format!("cases WHERE status = '{status}'")).await > 0, "{status}");
    }
    for status in ["open", "recared", "reopened", "closed"] {
        assert!(count_where(&app, &format!("followups WHERE status = '{status}'")).await > 0, "{status}");
    }
    let qrd = app.token("qrd").await;
    let overdue: Page<Followup> = app.get("/api/followups?overdue=true", &qrd).await.json();
    assert!(!overdue.items.is_empty());
    let queue: Page<Case> = app.get("/api/cases?status=pending", &qrd).await.json();
    assert!(queue.items.len() >= 10);
    let agent1: FollowupSummary = app.get("/api/followups/summary", &app.token("agent1").await).await.json();
    assert!(agent1.open + agent1.recared > 0);
    // The three weeks (site days) of the sixty imported agrees.
    let three_weeks = (Utc::now() + Duration::hours(7) - Duration::days(21)).format("%Y-%m-%d");
    let report: F19Report = app.get(&format!("/api/reports/f19?from={three_weeks}"), &qrd).await.json();
    assert_eq!(report.totals.imported, 60);
    assert!(report.totals.approved > 0 && report.totals.returned > 0);
    let recon: Reconciliation = app
        .get(
            &format!("/api/reports/reconciliation?from={}", (Utc::now() - Duration::days(40)).format("%Y-%m-%d")),
            &qrd,
        )
        .await
        .json();
    assert!(!recon.repeated_customers.is_empty() && !recon.late_promises.is_empty() && !recon.unvalidated.is_empty());
    // The demo adds no audit entries of its own beyond the foundation's.
    assert_eq!(count_where(&app, "audit_log WHERE entity IN ('case', 'followup', 'import')").await, 0);
}

async fn the_qrd_coordinator_words_the_checklist(backend: Backend) {
    let app = spawn_app(backend).await;
    let (qco, qrd) = (app.token("qco1").await, app.token("qrd").await);
    let reply = app.get("/api/cases/checklist", &qco).await;
    assert_eq!(reply.status, StatusCode::OK);
    let current: domain::cases::ChecklistVersion = reply.json();
    let mut labels = current.labels();
    assert_eq!(labels, domain::cases::ChecklistLabels::default());
    assert_eq!(labels.items.len(), 4);
    labels.items[0].label_id = "Nama dan nomor layanan pelanggan dicocokkan".into();
    // A change of wording is signed: the items, a reason and the signer's password.
    let change = |labels: &domain::cases::ChecklistLabels| json!({ "items": labels.items, "reason": "Butir 1 diperjelas", "password": tests::DEMO_PASSWORD });
    for who in ["qco1", "admin", "tl1"] {
        let token = app.token(who).await;
        let reply =
            app.request(reqwest::Method::PUT, "/api/cases/checklist", Some(&token), Some(&change(&labels))).await;
        assert_eq!(reply.status, StatusCode::FORBIDDEN, "{who}");
    }
    let mut bad = labels.clone();
    bad.items.pop();
    let reply = app.request(reqwest::Method::PUT, "/api/cases/checklist", Some(&qrd), Some(&change(&bad))).await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(reply.body["fields"]["items.reason_matches"].is_string());
    let reply = app.request(reqwest::Method::PUT, "/api/cases/checklist", Some(&qrd), Some(&change(&labels))).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    let seen: domain::cases::ChecklistVersion =
        app.get("/api/cases/checklist", &app.token("agent1").await).await.json();
    assert_eq!(seen.items[0].label_id, "Nama dan nomor layanan pelanggan dicocokkan");
    assert_eq!(seen.version, current.version + 1);
    assert_eq!(count_where(&app, "audit_log WHERE action = 'checklist.version_signed'").await, 1);
    assert_eq!(app.get("/api/cases/checklist", &app.token("dc").await).await.status, StatusCode::FORBIDDEN);
}
