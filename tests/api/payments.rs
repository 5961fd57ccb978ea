//! API scenarios of the payment import (issue 16): good and bad rows with their row numbers and
//! reasons, a re-import that adds nothing, a reference imported again with another amount, a
//! reversal in a later file breaking a kept promise, unmatched payments, CSV and XLSX, the
//! template, who may import, the other import's file, and files past the bounds.

use crate::cases::import_ok;
use domain::api::Page;
use domain::cases::{FileProblem, RejectedRow, RowProblem};
use domain::problems::Problem;
use domain::promises::{PaymentColumn, PaymentImportResult, PaymentKind, PaymentRowProblem, UnmatchedPayment};
use reqwest::StatusCode;
use tests::{Backend, TestApp, hostile, on_both_databases, spawn_app};

/// Every operation of this part, as `METHOD /path` in the OpenAPI document (checked by
/// `http::openapi_documents_exactly_the_routes_that_exist`).
pub const ROUTES: &[&str] =
    &["POST /api/payments/import", "GET /api/payments/import-template", "GET /api/payments/unmatched"];

on_both_databases!(
    a_payment_file_keeps_good_rows_and_names_every_bad_one,
    a_reimport_adds_nothing_and_another_amount_is_a_conflict,
    a_reversal_in_a_later_file_breaks_a_kept_promise,
    an_xlsx_payment_file_reads_typed_cells,
    the_template_imports_and_only_coordinators_and_admins_may_import,
    the_other_imports_file_is_named_and_stores_nothing,
    files_past_the_bounds_are_refused,
    unmatched_payments_are_listed_until_their_match_comes,
);

const HEADER: &str = "customer_no,paid_at,amount,payment_ref,kind,channel";

fn csv(lines: &[&str]) -> Vec<u8> {
    let mut text = format!("{HEADER}\r\n");
    for line in lines {
        text.push_str(line);
        text.push_str("\r\n");
    }
    text.into_bytes()
}

async fn upload(app: &TestApp, token: &str, name: &str, bytes: Vec<u8>) -> tests::Reply {
    app.upload("/api/payments/import", token, name, bytes).await
}

async fn pay(app: &TestApp, token: &str, lines: &[&str]) -> PaymentImportResult {
    let reply = upload(app, token, "payments.csv", csv(lines)).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    reply.json()
}

/// The agree of customer `customer_no`: a call on 3 March 2025, 350,000 promised by 5 March.
async fn agree(app: &TestApp, customer_no: &str) {
    let qco = app.token("qco1").await;
    let line =
        format!("{customer_no},Budi Santoso,CT-0,N+2,350000,agent1,2025-03-03 09:15,janji bayar,2025-03-05,EB-1");
    let result = import_ok(app, &qco, &[&line]).await;
    assert_eq!(result.imported, 1, "{result:?}");
}

/// What a refused file must leave as it was.
async fn footprint(app: &TestApp) -> std::collections::BTreeMap<String, i64> {
    let tables = ["payments", "payment_import_rows", "import_rejections", "imports", "audit_log", "cases"];
    app.counts_of(&tables.map(String::from)).await
}

fn file_problem(reply: &tests::Reply) -> FileProblem {
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", reply.body);
    let problem: FileProblem = serde_json::from_value(reply.body["file_problem"].clone())
        .unwrap_or_else(|e| panic!("no typed file_problem ({e}) in {}", reply.body));
    assert_eq!(reply.body["fields"]["file"], problem.code(), "{}", reply.body);
    assert_eq!(reply.body["message"], problem.to_string());
    problem
}

fn cell(column: PaymentColumn, code: Problem) -> PaymentRowProblem {
    PaymentRowProblem::new(column, code)
}

async fn a_payment_file_keeps_good_rows_and_names_every_bad_one(backend: Backend) {
    use PaymentColumn as C;
    let app = spawn_app(backend).await;
    // The demo data has payments of its own.
    let demo_payments = app.count("payments").await;
    agree(&app, "131000009001").await;
    let qrd = app.token("qrd").await;
    let tomorrow = (chrono::Utc::now() + chrono::Duration::days(1)).format("%Y-%m-%d 08:00").to_string();
    let later = (chrono::Utc::now() + chrono::Duration::days(5)).format("%Y-%m-%d 08:00").to_string();
    let ahead = format!("131000009001,{tomorrow},1000,TRX-AHEAD,,");
    let future = format!("131000009001,{later},1000,TRX-FUTURE,,");
    let result = pay(
        &app,
        &qrd,
        &[
            /* 2 */ "131000009001,2025-03-04 10:00,Rp 100.000,TRX-1,payment,BCA",
            /* 3 */ "131000009001,2025-03-04 11:00,0,TRX-2,payment,BCA",
            /* 4 */ "131000009001,2025-03-04,100000,TRX-3,,",
            /* 5 */ "131000009001,2025-03-04 12:00,100000,TRX-4,refund,",
            /* 6 */ ",kemarin,-5,,pembayaran,",
            /* 7: empty cells, skipped */ ",,,,,",
            /* 8 */ "999000000001,2025-03-04T03:00:00Z,50000,TRX-5,pembayaran,Indomaret",
            /* 9 */ "131000009001,2025-03-05 09:00,-100000,TRX-1,pembatalan,",
            /* 10 */ "131000009001,2025-03-05 09:00,100000,TRX-404,reversal,",
            /* 11 */ &ahead,
            /* 12 */ &future,
            /* 13 */ "131000009001,2025-03-04 10:00,5000,TRX-6,payment,BCA,extra",
        ],
    )
    .await;
    // Imported: TRX-1, TRX-5 (a customer without agree), the reversal of TRX-1, the reversal of
    // a payment never seen, the payment a day ahead.
    assert_eq!((result.imported, result.duplicates), (5, 0), "{result:?}");
    assert_eq!(result.reversed, 1, "{result:?}");
    assert_eq!(result.unmatched, 2, "TRX-5 and TRX-404: {result:?}");
    let rows: Vec<u64> = result.rejected.iter().map(|r| r.row).collect();
    assert_eq!(rows, [3, 4, 5, 6, 12, 13]);
    assert_eq!(result.rejected_total, 6);
    let by_row = |row: u64| result.rejected.iter().find(|r| r.row == row).unwrap();
    assert_eq!(by_row(3).payment_problems, [cell(C::Amount, Problem::OutOfRange)]);
    assert!(by_row(3).error.contains("amount must be above 0"), "{}", by_row(3).error);
    assert_eq!(by_row(4).payment_problems, [cell(C::PaidAt, Problem::InvalidTimestamp)]);
    assert_eq!(by_row(5).payment_problems, [cell(C::Kind, Problem::UnknownKind)]);
    assert_eq!(
        by_row(6).payment_problems,
        [
            cell(C::CustomerNo, Problem::Required),
            cell(C::PaidAt, Problem::InvalidTimestamp),
            cell(C::Amount, Problem::OutOfRange),
            cell(C::PaymentRef, Problem::Required),
        ]
    );
    assert_eq!(
        by_row(6).error,
        "customer_no is empty; bad paid_at (YYYY-MM-DD HH:MM, or ISO 8601 with Z or an offset); amount must be above 0 \
         (only a reversal may be 0 or negative) and at most 13 digits; payment_ref is empty"
    );
    assert_eq!(by_row(12).payment_problems, [cell(C::PaidAt, Problem::InFuture)]);
    assert_eq!(by_row(13).problems, [RowProblem::CellCount { cells: 7, columns: 6 }]);
    assert!(by_row(13).payment_problems.is_empty(), "{:?}", by_row(13));
    assert_eq!(app.count("payments").await, demo_payments + 5);
    assert_eq!(app.count("payment_import_rows").await, 0, "the staging is emptied");
    assert_eq!(app.count("imports WHERE kind = 'payments' AND finished_at IS NOT NULL").await, 1);
    assert_eq!(app.count("audit_log WHERE action = 'payments.imported'").await, 1);
    assert_eq!(app.count("payments WHERE channel = 'Indomaret' AND amount = 50000").await, 1);

    // Every refused row is listed, with its codes, for those who may import payments (and the
    // importer); not for those who import agrees only.
    let path = format!("/api/imports/{}/rejections", result.import_id);
    let page: Page<RejectedRow> = app.get(&path, &qrd).await.json();
    assert_eq!(page.items.len(), 6);
    assert_eq!(page.items[0].payment_problems, [cell(C::Amount, Problem::OutOfRange)]);
    assert_eq!(page.items[5].problems, [RowProblem::CellCount { cells: 7, columns: 6 }]);
    assert_eq!(app.get(&path, &app.token("admin").await).await.status, StatusCode::OK);
    for who in ["qco1", "tl1", "agent1"] {
        let token = app.token(who).await;
        assert_eq!(app.get(&path, &token).await.status, StatusCode::NOT_FOUND, "{who}");
        let csv = app.get_response(&format!("{path}.csv"), &token).await;
        assert_eq!(csv.status(), StatusCode::NOT_FOUND, "{who}");
    }
    let csv = app.get_response(&format!("{path}.csv"), &qrd).await.text().await.unwrap();
    assert!(csv.contains("13,the row has 7 cells; the header has 6"), "{csv}");
}

async fn a_reimport_adds_nothing_and_another_amount_is_a_conflict(backend: Backend) {
    let app = spawn_app(backend).await;
    // The demo data has payments of its own.
    let demo_payments = app.count("payments").await;
    agree(&app, "131000009002").await;
    let qrd = app.token("qrd").await;
    let lines = [
        "131000009002,2025-03-04 10:00,100000,TRX-A,,",
        "131000009002,2025-03-04 11:00,50000,TRX-B,,",
        "131000009002,2025-03-06 11:00,50000,TRX-B,reversal,",
    ];
    let first = pay(&app, &qrd, &lines).await;
    assert_eq!((first.imported, first.duplicates, first.reversed, first.rejected_total), (3, 0, 1, 0));
    let again = pay(&app, &qrd, &lines).await;
    assert_eq!((again.imported, again.duplicates, again.reversed, again.unmatched), (0, 3, 0, 0), "{again:?}");
    assert_eq!(again.rejected_total, 0);
    assert_eq!(app.count("payments").await, demo_payments + 3);

    // The same reference with another amount: refused, naming the stored amount. Within one
    // file the first row of a reference is the one imported; a later one with another amount
    // is a conflict too, with the same amount a duplicate.
    let changed = pay(
        &app,
        &qrd,
        &[
            /* 2 */ "131000009002,2025-03-04 10:00,120000,TRX-A,,",
            /* 3 */ "131000009002,2025-03-04 12:00,70000,TRX-C,,",
            /* 4 */ "131000009002,2025-03-04 12:00,75000,TRX-C,,",
            /* 5 */ "131000009002,2025-03-04 12:00,70000,TRX-C,,",
            /* 6 */ "131000009003,2025-03-04 10:00,120000,TRX-A,,",
        ],
    )
    .await;
    assert_eq!((changed.imported, changed.duplicates), (2, 1), "{changed:?}");
    assert_eq!(changed.rejected_total, 2);
    let rows: Vec<(u64, Option<i64>)> =
        changed.rejected.iter().map(|r| (r.row, r.payment_problems[0].stored_amount)).collect();
    assert_eq!(rows, [(2, Some(100_000)), (4, Some(70_000))]);
    assert_eq!(changed.rejected[0].payment_problems, [PaymentRowProblem::conflict(100_000)]);
    assert_eq!(
        changed.rejected[0].error,
        "this payment_ref is already imported for this customer with the amount 100,000"
    );
    assert_eq!(app.count("payments WHERE payment_ref = 'TRX-A' AND amount = 100000").await, 1);
    let page: Page<RejectedRow> = app.get(&format!("/api/imports/{}/rejections", changed.import_id), &qrd).await.json();
    assert_eq!(page.items.iter().map(|r| r.row).collect::<Vec<_>>(), [2, 4]);
    assert_eq!(page.items[1].payment_problems, [PaymentRowProblem::conflict(70_000)]);
}

async fn a_reversal_in_a_later_file_breaks_a_kept_promise(backend: Backend) {
    let app = spawn_app(backend).await;
    agree(&app, "131000009004").await;
    let qrd = app.token("qrd").await;
    let status = |s: &'static str| format!("case_promises WHERE customer_no = '131000009004' AND status = '{s}'");
    let paid = pay(&app, &qrd, &["131000009004,2025-03-04 10:00,350000,TRX-K,,BCA"]).await;
    assert_eq!((paid.imported, paid.unmatched), (1, 0));
    assert_eq!(app.count(&status("kept")).await, 1, "the payment keeps the promise");
    let kept_by = format!("promise_history WHERE status = 'kept' AND cause = 'import:{}'", paid.import_id);
    assert_eq!(app.count(&kept_by).await, 1);

    let undone = pay(&app, &qrd, &["131000009004,2025-03-10 09:00,350000,TRX-K,reversal,BCA"]).await;
    assert_eq!((undone.imported, undone.reversed, undone.unmatched), (1, 1, 0));
    assert_eq!(app.count(&status("broken")).await, 1, "the reversal breaks it: its due day is long past");
    let broken_by = format!("promise_history WHERE status = 'broken' AND cause = 'import:{}'", undone.import_id);
    assert_eq!(app.count(&broken_by).await, 1);
    assert_eq!(app.count(&kept_by).await, 1, "the history keeps the kept");

    // The same reversal again changes nothing.
    let again = pay(&app, &qrd, &["131000009004,2025-03-10 09:00,350000,TRX-K,reversal,BCA"]).await;
    assert_eq!((again.imported, again.duplicates), (0, 1));
    assert_eq!(app.count("promise_history WHERE cause LIKE 'import:%'").await, 2);
}

async fn an_xlsx_payment_file_reads_typed_cells(backend: Backend) {
    use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};
    let app = spawn_app(backend).await;
    agree(&app, "131000009005").await;
    let admin = app.token("admin").await;
    let mut workbook = Workbook::new();
    let sheet = workbook.add_worksheet();
    // The Indonesian names, another order, no `kind` and no `channel`.
    for (c, name) in ["Jumlah", "Nomor Pelanggan", "Referensi Pembayaran", "Waktu Bayar"].iter().enumerate() {
        sheet.write_string(0, c as u16, *name).unwrap();
    }
    let when = Format::new().set_num_format("yyyy-mm-dd hh:mm");
    // Row 2: a number and a date-time.
    sheet.write_number(1, 0, 350000.0).unwrap();
    sheet.write_string(1, 1, "131000009005").unwrap();
    sheet.write_string(1, 2, "TRX-X1").unwrap();
    let at = ExcelDateTime::from_ymd(2025, 3, 4).unwrap().and_hms(14, 5, 0).unwrap();
    sheet.write_datetime_with_format(1, 3, &at, &when).unwrap();
    // Row 3: a date-time at midnight keeps its time.
    sheet.write_number(2, 0, 1000.0).unwrap();
    sheet.write_string(2, 1, "131000009005").unwrap();
    sheet.write_string(2, 2, "TRX-X2").unwrap();
    let midnight = ExcelDateTime::from_ymd(2025, 3, 5).unwrap().and_hms(0, 0, 0).unwrap();
    sheet.write_datetime_with_format(2, 3, midnight, &when).unwrap();
    // Row 5 (row 4 empty): a negative payment.
    sheet.write_number(4, 0, -1.0).unwrap();
    sheet.write_string(4, 1, "131000009005").unwrap();
    sheet.write_string(4, 2, "TRX-X3").unwrap();
    sheet.write_datetime_with_format(4, 3, &at, &when).unwrap();
    let bytes = workbook.save_to_buffer().unwrap();
    let reply = upload(&app, &admin, "pembayaran.xlsx", bytes).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    let result: PaymentImportResult = reply.json();
    assert_eq!((result.imported, result.unmatched), (2, 0), "{result:?}");
    assert_eq!(result.rejected.iter().map(|r| r.row).collect::<Vec<_>>(), [5]);
    assert_eq!(result.rejected[0].payment_problems, [cell(PaymentColumn::Amount, Problem::OutOfRange)]);
    assert_eq!(app.count("payments WHERE payment_ref = 'TRX-X1' AND amount = 350000 AND kind = 'payment'").await, 1);
    assert_eq!(app.count("case_promises WHERE customer_no = '131000009005' AND status = 'kept'").await, 1);
}

async fn the_template_imports_and_only_coordinators_and_admins_may_import(backend: Backend) {
    let app = spawn_app(backend).await;
    let qrd = app.token("qrd").await;
    let reply = app.get_response("/api/payments/import-template", &qrd).await;
    assert_eq!(reply.status(), StatusCode::OK);
    assert!(reply.headers()["content-type"].to_str().unwrap().starts_with("text/csv"));
    let template = reply.text().await.unwrap();
    assert!(template.starts_with(&format!("{HEADER}\r\n")), "{template}");
    assert_eq!(template.lines().count(), 3, "{template}");
    let result: PaymentImportResult = upload(&app, &qrd, "template.csv", template.into_bytes()).await.json();
    assert_eq!((result.imported, result.reversed, result.rejected_total), (2, 1, 0), "{result:?}");

    let before = app.count("imports").await;
    for who in ["qco1", "agent1", "tl1", "manager", "dc"] {
        let token = app.token(who).await;
        let reply = upload(&app, &token, "payments.csv", csv(&["1,2025-03-04 10:00,1,R,,"])).await;
        assert_eq!(reply.status, StatusCode::FORBIDDEN, "{who}: {}", reply.body);
        assert_eq!(reply.body["error"], "forbidden");
        let template = app.get("/api/payments/import-template", &token).await;
        assert_eq!(template.status, StatusCode::FORBIDDEN, "{who}");
    }
    assert_eq!(app.count("imports").await, before);
}

async fn the_other_imports_file_is_named_and_stores_nothing(backend: Backend) {
    let app = spawn_app(backend).await;
    let (qrd, qco) = (app.token("qrd").await, app.token("qco1").await);
    let before = footprint(&app).await;
    let agrees = crate::cases::csv(&[
        "131000000001,Budi Santoso,CT-0,N+2,350000,agent1,2025-03-03 09:15,janji bayar,2025-03-05,EB-1",
    ]);
    let reply = upload(&app, &qrd, "agree.csv", agrees).await;
    assert_eq!(file_problem(&reply), FileProblem::LooksLikeAgrees);
    let reply = crate::cases::upload(&app, &qco, "payments.csv", csv(&["1,2025-03-04 10:00,1,R,,"])).await;
    assert_eq!(file_problem(&reply), FileProblem::LooksLikePayments);
    // The four required columns without `kind` and `channel` are a payment file too.
    let short = b"nomor_pelanggan;waktu_bayar;jumlah;referensi_pembayaran\r\n1;2025-03-04 10:00;1;R\r\n".to_vec();
    let reply = crate::cases::upload(&app, &qco, "payments.csv", short).await;
    assert_eq!(file_problem(&reply), FileProblem::LooksLikePayments);
    // A payment file lacking a column, with one of its own.
    let reply = upload(&app, &qrd, "payments.csv", b"customer_no,paid_at,amount,notes\r\n".to_vec()).await;
    let problem = file_problem(&reply);
    assert!(matches!(&problem, FileProblem::PaymentColumns { missing, .. } if missing == &[PaymentColumn::PaymentRef]));
    assert_eq!(problem.to_string(), "missing columns: payment_ref; unexpected columns: notes");
    let reply = upload(&app, &qrd, "payments.csv", b"customer_no,paid_at,amount,payment_ref,jumlah\r\n".to_vec()).await;
    assert_eq!(file_problem(&reply), FileProblem::PaymentColumnTwice { column: PaymentColumn::Amount });
    assert_eq!(footprint(&app).await, before, "nothing stored");
}

async fn files_past_the_bounds_are_refused(backend: Backend) {
    let app = spawn_app(backend).await;
    let qrd = app.token("qrd").await;
    let before = footprint(&app).await;
    // 3 million rows: the sheet's dimension refuses it before a row is read.
    let reply = upload(&app, &qrd, "payments.xlsx", hostile::xlsx_rows(3_000_000, true)).await;
    assert_eq!(file_problem(&reply), FileProblem::too_many_rows());
    let reply = upload(&app, &qrd, "payments.xlsx", hostile::xlsx_unique_count_bomb()).await;
    assert!(file_problem(&reply).to_string().contains("shared strings"));
    // Past 50 MiB: 413, and nothing stored.
    let mut big = csv(&[]);
    let line = "131000009009,2025-03-04 10:00,1000,TRX-BIG,payment,BCA\r\n";
    while big.len() <= mutu_backend::imports::UPLOAD_LIMIT {
        big.extend_from_slice(line.repeat(10_000).as_bytes());
    }
    let reply = upload(&app, &qrd, "payments.csv", big).await;
    assert_eq!(reply.status, StatusCode::PAYLOAD_TOO_LARGE, "{}", reply.body);
    assert_eq!(footprint(&app).await, before, "nothing stored");
}

async fn unmatched_payments_are_listed_until_their_match_comes(backend: Backend) {
    let app = spawn_app(backend).await;
    let qrd = app.token("qrd").await;
    let listed = |page: Page<UnmatchedPayment>| -> Vec<(String, String, PaymentKind)> {
        page.items.into_iter().map(|p| (p.customer_no, p.payment_ref, p.kind)).collect()
    };
    // The demo's payments all have their agree.
    let before: Page<UnmatchedPayment> = app.get("/api/payments/unmatched", &qrd).await.json();
    assert!(before.items.is_empty(), "{:?}", before.items);
    agree(&app, "131700000001").await;
    let result = pay(
        &app,
        &qrd,
        &[
            "131700000009,2025-03-04 10:00,350000,TRX-9,payment,BCA",
            "131700000001,2025-03-04 10:00,-350000,TRX-NONE,reversal,BCA",
            "131700000001,2025-03-04 11:00,350000,TRX-1,payment,BCA",
        ],
    )
    .await;
    assert_eq!((result.imported, result.unmatched), (3, 2), "{result:?}");
    let page: Page<UnmatchedPayment> = app.get("/api/payments/unmatched?limit=1", &qrd).await.json();
    assert_eq!(listed(page.clone()), vec![("131700000009".into(), "TRX-9".into(), PaymentKind::Payment)]);
    let cursor = page.next_cursor.expect("a second page");
    let rest: Page<UnmatchedPayment> = app.get(&format!("/api/payments/unmatched?cursor={cursor}"), &qrd).await.json();
    assert_eq!(listed(rest), vec![("131700000001".into(), "TRX-NONE".into(), PaymentKind::Reversal)]);

    // The customer's agree comes: their payment is no longer unmatched.
    agree(&app, "131700000009").await;
    let after: Page<UnmatchedPayment> = app.get("/api/payments/unmatched", &qrd).await.json();
    assert_eq!(listed(after), vec![("131700000001".into(), "TRX-NONE".into(), PaymentKind::Reversal)]);
    for who in ["qco1", "tl1", "agent1", "manager"] {
        let reply = app.get("/api/payments/unmatched", &app.token(who).await).await;
        assert_eq!(reply.status, StatusCode::FORBIDDEN, "{who}");
    }
    assert_eq!(app.get("/api/payments/unmatched?limit=0", &qrd).await.status, StatusCode::UNPROCESSABLE_ENTITY);
}
