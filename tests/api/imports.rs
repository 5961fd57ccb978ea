//! API scenarios of the bounded, all-or-nothing agree import: hostile workbooks (a lying
//! `uniqueCount`, too many or too long shared strings, too many rows) are refused with 422 and
//! the server keeps answering; refused rows are listed up to 1,000 and all downloadable as CSV;
//! echoed input is cut short; an import whose server dies half-way leaves no case behind, and
//! the clean-up of such imports is safe with several servers on one database.

use crate::cases::{HEADER, csv, start_upload, upload, wait_for_staged_rows};
use chrono::Utc;
use domain::api::Page;
use domain::cases::{
    FileProblem, IMPORT_MAX_ROWS, IMPORT_REJECTED_LISTED, ImportResult, RejectedRow, RowProblem, WorkbookBound,
    problems_text,
};
use mutu_backend::App;
use mutu_backend::cases::import::{discard_unfinished, limits};
use reqwest::StatusCode;
use tests::{Backend, TestApp, hostile, on_both_databases, spawn_app};

on_both_databases!(
    an_xlsx_declaring_a_trillion_shared_strings_is_refused_and_the_server_lives,
    xlsx_bombs_are_refused_before_they_cost_memory,
    a_file_past_the_row_cap_is_refused_and_stores_nothing,
    refused_rows_are_listed_up_to_a_thousand_and_all_downloadable,
    refusals_quote_the_file_briefly,
    an_import_whose_server_dies_leaves_no_case_and_is_discarded_once,
    an_import_discarded_as_stale_stops_and_stores_nothing,
);

/// What must be unchanged after a refused file: cases, staged rows, imports, audit entries.
async fn footprint(app: &TestApp) -> [i64; 5] {
    [
        app.count("cases").await,
        app.count("import_rows").await,
        app.count("import_rejections").await,
        app.count("imports").await,
        app.count("audit_log").await,
    ]
}

/// The refusal of a file (422): its English words (`message`), after checking that it came
/// typed as well (`file_problem`, whose code is `fields.file`).
fn refusal(reply: &tests::Reply) -> String {
    let problem = file_problem(reply);
    assert_eq!(reply.body["message"], problem.to_string());
    problem.to_string()
}

/// The typed refusal of a file (422, `file_problem`; its code is `fields.file`).
fn file_problem(reply: &tests::Reply) -> FileProblem {
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", reply.body);
    let problem: FileProblem = serde_json::from_value(reply.body["file_problem"].clone())
        .unwrap_or_else(|e| panic!("no typed file_problem ({e}) in {}", reply.body));
    assert_eq!(reply.body["fields"]["file"], problem.code(), "{}", reply.body);
    problem
}

/// The server still answers, and still imports.
async fn still_serving(app: &TestApp, token: &str) {
    assert_eq!(app.client.get(app.url("/api/health")).send().await.unwrap().status(), StatusCode::OK);
    let reply = upload(
        app,
        token,
        "agree.csv",
        csv(&["131000000777,Budi Santoso,CT-0,N+2,350000,agent1,2025-03-03 09:15,janji bayar,2025-03-05,EB-7"]),
    )
    .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
}

async fn an_xlsx_declaring_a_trillion_shared_strings_is_refused_and_the_server_lives(backend: Backend) {
    let app = spawn_app(backend).await;
    let bomb = hostile::xlsx_unique_count_bomb();
    assert!(bomb.len() < 4096, "a small file: {} bytes", bomb.len());
    let tokens = [app.token("qco1").await, app.token("qrd").await, app.token("tl1").await];
    let before = footprint(&app).await;
    // Any role that may import: calamine reserved 24 TB for it and the process died.
    for (who, token) in ["qco1", "qrd", "tl1"].iter().zip(&tokens) {
        let said = refusal(&upload(&app, token, "agree.xlsx", bomb.clone()).await);
        assert!(said.contains("shared strings"), "{who}: {said}");
    }
    assert_eq!(footprint(&app).await, before, "nothing stored");
    still_serving(&app, &tokens[0]).await;
}

async fn xlsx_bombs_are_refused_before_they_cost_memory(backend: Backend) {
    let app = spawn_app(backend).await;
    let qco = app.token("qco1").await;
    let before = footprint(&app).await;
    // One string more than the reader keeps (the file has 30 million).
    let many = hostile::xlsx_tiny_shared_strings(limits::XLSX.shared_strings as u64 + 1);
    let reply = upload(&app, &qco, "agree.xlsx", many).await;
    assert_eq!(
        file_problem(&reply),
        FileProblem::WorkbookTooLarge { bound: WorkbookBound::SharedStrings, max: limits::XLSX.shared_strings as u64 }
    );
    let said = refusal(&reply);
    assert!(said.contains("more than 4,000,000 shared strings"), "{said}");
    // One string longer than the XML reader buffers (the file has 1 GiB).
    let long = hostile::xlsx_huge_shared_string(2 * limits::XLSX.xml_token_bytes as u64);
    let said = refusal(&upload(&app, &qco, "agree.xlsx", long).await);
    assert!(said.contains("too large to import"), "{said}");
    assert_eq!(footprint(&app).await, before, "nothing stored");
    still_serving(&app, &qco).await;
}

async fn a_file_past_the_row_cap_is_refused_and_stores_nothing(backend: Backend) {
    let app = spawn_app(backend).await;
    let qco = app.token("qco1").await;
    let before = footprint(&app).await;
    // 3 million rows: the sheet's dimension refuses it before a row is read.
    let started = std::time::Instant::now();
    let said = refusal(&upload(&app, &qco, "agree.xlsx", hostile::xlsx_rows(3_000_000, true)).await);
    assert_eq!(said, FileProblem::too_many_rows().to_string());
    assert!(said.contains("1,000,000 rows"), "{said}");
    assert!(
        started.elapsed() < std::time::Duration::from_secs(60),
        "refused early, not worked on: {:?}",
        started.elapsed()
    );
    // A CSV has no dimension: the row after the cap refuses it, and what was staged goes.
    let mut text = format!("{HEADER}\r\n");
    text.push_str(&"x\r\n".repeat(IMPORT_MAX_ROWS as usize + 1));
    let said = refusal(&upload(&app, &qco, "agree.csv", text.into_bytes()).await);
    assert_eq!(said, FileProblem::too_many_rows().to_string());
    assert_eq!(footprint(&app).await, before, "nothing stored");
    // Under the cap, rows are refused one by one and the file is read.
    let mut text = format!("{HEADER}\r\n");
    text.push_str(&"x\r\n".repeat(1000));
    let reply = upload(&app, &qco, "agree.csv", text.into_bytes()).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
}

async fn refused_rows_are_listed_up_to_a_thousand_and_all_downloadable(backend: Backend) {
    let app = spawn_app(backend).await;
    let qco = app.token("qco1").await;
    // 2,500 refused rows, then one good one.
    let mut bytes = hostile::csv_bad_rows_count(2_500);
    bytes.extend(b"131000000999,Sri Wahyuni,PRANPC,N,350000,agent2,2025-03-03 10:00,bayar,2025-03-05,EB-2\r\n");
    let reply = upload(&app, &qco, "agree.csv", bytes).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    let result: ImportResult = reply.json();
    assert_eq!((result.imported, result.duplicates, result.rejected_total), (1, 0, 2_500));
    assert_eq!(result.rejected.len(), IMPORT_REJECTED_LISTED, "the first 1,000 only");
    assert_eq!(result.rejected[0].row, 2);
    assert_eq!(result.rejected[999].row, 1_001);
    assert!(result.rejected[0].error.contains("unknown service"), "{:?}", result.rejected[0]);
    assert_eq!(app.count(&format!("imports WHERE id = {} AND rejected = 2500", result.import_id)).await, 1);

    // The importer downloads every refused row as CSV.
    let path = format!("/api/imports/{}/rejections.csv", result.import_id);
    let response = app.client.get(app.url(&path)).bearer_auth(&qco).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    assert!(response.headers()["content-type"].to_str().unwrap().starts_with("text/csv"));
    assert!(response.headers()["content-disposition"].to_str().unwrap().contains("attachment"));
    let body = response.text().await.unwrap();
    let lines: Vec<&str> = body.lines().collect();
    assert_eq!(lines.len(), 2_501, "a header and every refused row");
    assert_eq!(lines[0], "\u{feff}row,error");
    assert!(lines[1].starts_with("2,") && lines[1].contains("unknown service"), "{}", lines[1]);
    assert!(lines[2_500].starts_with("2501,"), "{}", lines[2_500]);

    // Other roles that may import see it too; others, and unknown imports, get 404.
    for who in ["qrd", "tl2"] {
        let reply = app.get(&path, &app.token(who).await).await;
        assert_eq!(reply.status, StatusCode::OK, "{who}");
    }
    for who in ["manager", "agent1", "dc", "admin"] {
        let reply = app.get(&path, &app.token(who).await).await;
        assert_eq!(reply.status, StatusCode::NOT_FOUND, "{who}");
    }
    assert_eq!(app.get("/api/imports/999999/rejections.csv", &qco).await.status, StatusCode::NOT_FOUND);
    assert_eq!(app.get("/api/imports/x/rejections.csv", &qco).await.status, StatusCode::NOT_FOUND);

    // The same rows a page at a time, each fault a code the browser words (what it downloads in
    // the user's language): every row once, in file order.
    let pages = format!("/api/imports/{}/rejections", result.import_id);
    let (mut rows, mut cursor) = (Vec::<RejectedRow>::new(), None::<String>);
    loop {
        let path = match &cursor {
            Some(c) => format!("{pages}?limit=500&cursor={c}"),
            None => format!("{pages}?limit=500"),
        };
        let page: Page<RejectedRow> = app.get(&path, &qco).await.json();
        rows.extend(page.items);
        match page.next_cursor {
            Some(next) => cursor = Some(next),
            None => break,
        }
    }
    assert_eq!(rows.len(), 2_500);
    assert!(rows.windows(2).all(|w| w[0].row < w[1].row));
    assert_eq!((rows[0].row, rows[2_499].row), (2, 2_501));
    assert_eq!(rows[0].problems, result.rejected[0].problems);
    assert!(matches!(rows[0].problems[..], [RowProblem::UnknownService { .. }, ..]), "{:?}", rows[0]);
    assert_eq!(rows[0].error, problems_text(&rows[0].problems));
    // The CSV's line of the same row says the same.
    assert!(lines[1_501].starts_with(&format!("{},", rows[1_500].row)), "{}", lines[1_501]);
    assert!(lines[1_501].contains(&rows[1_500].error.replace('"', "\"\"")), "{}", lines[1_501]);
    for who in ["manager", "agent1", "dc", "admin"] {
        assert_eq!(app.get(&pages, &app.token(who).await).await.status, StatusCode::NOT_FOUND, "{who}");
    }
    assert_eq!(app.get("/api/imports/999999/rejections", &qco).await.status, StatusCode::NOT_FOUND);
    assert_eq!(app.get(&format!("{pages}?limit=0"), &qco).await.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(app.get(&format!("{pages}?cursor=nonsense"), &qco).await.status, StatusCode::BAD_REQUEST);
}

async fn refusals_quote_the_file_briefly(backend: Backend) {
    let app = spawn_app(backend).await;
    let qco = app.token("qco1").await;
    let before = footprint(&app).await;
    // A 2 MB header line was quoted back whole.
    let reply = upload(&app, &qco, "agree.csv", hostile::csv_long_header(2_000_000)).await;
    let said = refusal(&reply);
    assert!(said.len() < 200, "{} bytes: {}", said.len(), &said[..said.len().min(300)]);
    assert!(reply.body.to_string().len() < 1000);
    // A header of 2,000 unknown names (within the line bound): a few of them are named.
    let names: Vec<String> = (0..2_000).map(|i| format!("kolom_tambahan_{i}")).collect();
    let said =
        refusal(&upload(&app, &qco, "agree.csv", format!("{HEADER},{}\r\n", names.join(",")).into_bytes()).await);
    assert!(said.len() < 300 && said.ends_with("and 1995 more"), "{said}");
    assert_eq!(footprint(&app).await, before);
    // A long bad cell is quoted cut short.
    let service = "TV".repeat(5_000);
    let reply = upload(
        &app,
        &qco,
        "agree.csv",
        csv(&[&format!("131000000001,Budi,{service},N+2,350000,agent1,2025-03-03 09:15,x,2025-03-05,EB-1")]),
    )
    .await;
    let result: ImportResult = reply.json();
    assert_eq!(result.rejected.len(), 1);
    assert!(
        result.rejected[0].error.chars().count() < 100 && result.rejected[0].error.contains('…'),
        "{:?}",
        result.rejected[0]
    );
}

/// A server on the given database that runs on a runtime of its own, so that it can be
/// stopped dead — its tasks dropped, nothing run after them — as `kill -9` would.
struct DoomedServer {
    address: String,
    kill: std::sync::mpsc::Sender<()>,
    thread: std::thread::JoinHandle<()>,
}

fn doomed_server(database_url: &str) -> DoomedServer {
    let url = database_url.to_owned();
    let (ready_tx, ready_rx) = std::sync::mpsc::channel();
    let (kill, kill_rx) = std::sync::mpsc::channel::<()>();
    let thread = std::thread::spawn(move || {
        let runtime =
            tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().expect("a runtime");
        runtime.block_on(async {
            let config = tests::test_config(&url);
            let app = App::start(config).await.expect("start the second server");
            let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
            ready_tx.send(format!("http://{}", listener.local_addr().expect("address"))).expect("ready");
            tokio::spawn(async move { mutu_backend::serve_until(listener, &app, std::future::pending()).await });
        });
        let _ = kill_rx.recv();
        // Every task (the import's request among them) is dropped without running again.
        runtime.shutdown_background();
    });
    DoomedServer { address: ready_rx.recv().expect("the second server starts"), kill, thread }
}

async fn an_import_whose_server_dies_leaves_no_case_and_is_discarded_once(backend: Backend) {
    let app = spawn_app(backend).await;
    let qco = app.token("qco1").await;
    let admin = app.token("admin").await;
    let before = footprint(&app).await;

    // A second server on the same database takes an upload of 27,000 rows (more than a batch,
    // so they are staged), and dies in the middle of it.
    let doomed = doomed_server(&app.database_url);
    let (mut stream, part) = start_upload(&doomed.address, &qco, "Content-Length: 30000000", 27_000).await;
    tokio::io::AsyncWriteExt::write_all(&mut stream, part.as_bytes()).await.unwrap();
    wait_for_staged_rows(&app).await;
    assert_eq!(app.count("cases").await, before[0], "no case shows while the import runs");
    doomed.kill.send(()).unwrap();
    tokio::task::spawn_blocking(move || doomed.thread.join()).await.unwrap().unwrap();
    drop(stream);

    // What the dead server left: an unfinished record and staged rows, no case, no audit entry.
    assert_eq!(app.count("cases").await, before[0], "no case of the interrupted import");
    assert_eq!(app.count("imports WHERE finished_at IS NULL").await, 1);
    assert!(app.count("import_rows").await > 0);
    assert_eq!(app.count("audit_log").await, before[4], "nothing was imported, so nothing audited");

    // Not yet stale: a live import of another server must not be taken.
    assert_eq!(discard_unfinished(&app.app.state, Utc::now()).await.unwrap(), 0);
    assert_eq!(app.count("imports WHERE finished_at IS NULL").await, 1);

    // Once stale, two servers clean up at the same time: exactly one discards it.
    let third = App::start(tests::test_config(&app.database_url)).await.unwrap();
    let later = Utc::now() + chrono::Duration::from_std(limits::STALE_AFTER).unwrap() + chrono::Duration::minutes(1);
    let (a, b) = tokio::join!(discard_unfinished(&app.app.state, later), discard_unfinished(&third.state, later));
    assert_eq!(a.unwrap() + b.unwrap(), 1, "discarded once");
    assert_eq!(discard_unfinished(&app.app.state, later).await.unwrap(), 0, "nothing left to discard");
    assert_eq!(footprint(&app).await[..4], before[..4], "no case, staged row, refusal or record left");
    assert_eq!(app.count("audit_log WHERE action = 'cases.import_discarded' AND entity = 'import'").await, 1);
    let verify = app.get("/api/audit/verify", &admin).await;
    assert_eq!(verify.body["ok"], true, "{}", verify.body);
    still_serving(&app, &qco).await;
}

async fn an_import_discarded_as_stale_stops_and_stores_nothing(backend: Backend) {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let app = spawn_app(backend).await;
    let qco = app.token("qco1").await;
    let before = footprint(&app).await;
    let (mut stream, part) = start_upload(&app.address, &qco, "Transfer-Encoding: chunked", 27_000).await;
    let chunk = |data: &[u8]| [format!("{:x}\r\n", data.len()).as_bytes(), data, &b"\r\n"[..]].concat();
    stream.write_all(&chunk(part.as_bytes())).await.unwrap();
    wait_for_staged_rows(&app).await;
    // A clean-up that takes this import for dead (as if it had stalled past the timeout).
    let later = Utc::now() + chrono::Duration::from_std(limits::STALE_AFTER).unwrap() + chrono::Duration::minutes(1);
    assert_eq!(discard_unfinished(&app.app.state, later).await.unwrap(), 1);
    // The upload then completes: the import notices and stores nothing.
    stream.write_all(&chunk(b"\r\n--mutu-test-boundary--\r\n")).await.unwrap();
    stream.write_all(b"0\r\n\r\n").await.unwrap();
    let mut answer = Vec::new();
    let _ = stream.read_to_end(&mut answer).await;
    let answer = String::from_utf8_lossy(&answer);
    assert!(answer.starts_with("HTTP/1.1 409"), "{}", &answer[..answer.len().min(400)]);
    assert!(answer.contains("import_discarded"), "{answer}");
    assert_eq!(footprint(&app).await[..4], before[..4]);
    assert_eq!(app.count("audit_log WHERE action = 'cases.imported'").await, 0);
}
