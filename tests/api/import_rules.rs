//! API scenarios of the import's rules from the SOP and of the records that must say what was
//! true (issue 12): a service paired with a bucket the SOP does not give it is refused naming
//! both; a row lists every fault it has, in the answer and in the CSV download; call times with
//! `Z` or an offset are brought to the site zone, and columns may be named in Indonesian, in any
//! case; a team leader imports only their own team's agents; a validation's F-18 sheet must be
//! one of the case's agent; a re-care in the RETURN's own second or minute is accepted.

use crate::cases::{HEADER, approve, case_of, csv, give_back, import_ok, qco_who, upload, user_id};
use chrono::{Duration, FixedOffset, Timelike, Utc};
use domain::cases::{Bucket, ImportColumn, ImportResult, RejectedRow, RowProblem, Service};
use mutu_backend::audit::Trail;
use mutu_backend::cases::service;
use reqwest::StatusCode;
use serde_json::json;
use tests::{Backend, Spawn, TestApp, on_both_databases, spawn_app, spawn_app_with};

on_both_databases!(
    a_service_with_a_bucket_the_sop_does_not_give_it_is_refused_naming_both,
    a_row_lists_every_fault_in_the_answer_and_the_download,
    iso_call_times_and_indonesian_headers_are_read_in_the_site_zone,
    a_team_leader_imports_only_their_own_teams_agents,
    a_validation_names_an_existing_sheet_of_the_same_agent,
    a_recare_in_the_returns_own_second_or_minute_is_accepted,
);

/// The refused row of a spreadsheet row number.
fn refused(result: &ImportResult, row: u64) -> &RejectedRow {
    result.rejected.iter().find(|r| r.row == row).unwrap_or_else(|| panic!("row {row} refused: {result:?}"))
}

/// Every refused row of an import as the CSV download has them (row number → error).
async fn downloaded(app: &TestApp, token: &str, import_id: i64) -> Vec<(u64, String)> {
    let reply = app.get(&format!("/api/imports/{import_id}/rejections.csv"), token).await;
    assert_eq!(reply.status, StatusCode::OK);
    let text = reply.body.as_str().expect("a CSV").trim_start_matches('\u{feff}').to_owned();
    let mut lines = text.lines();
    assert_eq!(lines.next(), Some("row,error"));
    lines
        .map(|line| {
            let (row, error) = line.split_once(',').expect("two cells");
            // A cell with a comma or a quote is quoted, its quotes doubled.
            let error = match error.strip_prefix('"').and_then(|e| e.strip_suffix('"')) {
                Some(quoted) => quoted.replace("\"\"", "\""),
                None => error.to_owned(),
            };
            (row.parse().expect("a row number"), error)
        })
        .collect()
}

async fn a_service_with_a_bucket_the_sop_does_not_give_it_is_refused_naming_both(backend: Backend) {
    let app = spawn_app(backend).await;
    let qco = app.token("qco1").await;
    let reply = upload(
        &app,
        &qco,
        "agree.csv",
        csv(&[
            /* 2 */ "131000000601,Budi,CT-0,N+2,100000,agent1,2025-03-03 09:00,x,2025-03-05,EB-601",
            /* 3 */ "131000000602,Sri,CT-0,N,100000,agent1,2025-03-03 09:05,x,2025-03-05,EB-602",
            /* 4 */ "131000000603,Ahmad,CT-0,N+1,100000,agent1,2025-03-03 09:10,x,2025-03-05,EB-603",
            /* 5 */ "131000000604,Nur,PRANPC,N,100000,agent2,2025-03-03 09:15,x,2025-03-05,EB-604",
            /* 6 */ "131000000605,Hendra,PRANPC,N1,100000,agent2,2025-03-03 09:20,x,2025-03-05,EB-605",
            /* 7 */ "131000000606,Rini,PRANPC,N+2,100000,agent2,2025-03-03 09:25,x,2025-03-05,EB-606",
        ]),
    )
    .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    let result: ImportResult = reply.json();
    assert_eq!((result.imported, result.rejected_total), (3, 3), "{result:?}");
    for (row, service, bucket) in
        [(3, Service::Ct0, Bucket::N), (4, Service::Ct0, Bucket::N1), (7, Service::Pranpc, Bucket::N2)]
    {
        let r = refused(&result, row);
        assert_eq!(r.problems, [RowProblem::ServiceBucketMismatch { service, bucket }], "row {row}");
        assert!(
            r.error.contains(&format!("service {} does not serve bucket {}", service.label(), bucket.label())),
            "row {row}: {}",
            r.error
        );
    }
    // The code and its values, as the browser reads them.
    assert_eq!(
        reply.body["rejected"][0]["problems"][0],
        json!({ "code": "service_bucket_mismatch", "service": "CT0", "bucket": "N" })
    );
    assert_eq!(app.count("cases WHERE customer_no IN ('131000000602', '131000000603', '131000000606')").await, 0);
    let csv = downloaded(&app, &qco, result.import_id).await;
    assert!(csv[0].1.contains("service CT-0 does not serve bucket N "), "{csv:?}");
}

async fn a_row_lists_every_fault_in_the_answer_and_the_download(backend: Backend) {
    let app = spawn_app(backend).await;
    let qco = app.token("qco1").await;
    let mut bytes = csv(&[
        // Five faults: empty customer, CT-0 with N, negative amount, an unknown agent, a promise
        // before the call.
        /* 2 */
        ",Budi,CT-0,N,-5000,nobody,2025-03-03 09:00,x,2025-03-01,EB-1",
        // Text past the header's cells, and a bad call time.
        /* 3 */
        "131000000702,Sri,PRANPC,N,100000,agent2,kemarin,x,2025-03-05,EB-2,catatan",
        // A short row lacking required cells: its cell count, not each missing cell.
        /* 4 */
        "131000000703,Ahmad",
        /* 5 */ "131000000704,Nur,PRANPC,N+1,100000,agent3,2025-03-03 09:15,x,2025-03-05,EB-4",
    ]);
    // 1,100 rows of two faults each: the answer still lists the first 1,000.
    for i in 0..1_100 {
        bytes.extend(format!("1310009{i:05},Eko,TV,N,100000,agent1,2025-03-03 10:00,x,2025-03-01,EB-{i}\r\n").bytes());
    }
    let reply = upload(&app, &qco, "agree.csv", bytes).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    let result: ImportResult = reply.json();
    assert_eq!((result.imported, result.rejected_total), (1, 1_103));
    assert_eq!(result.rejected.len(), 1_000, "the first 1,000 refused rows are listed");

    let first = refused(&result, 2);
    assert_eq!(
        first.problems,
        [
            RowProblem::Empty { column: ImportColumn::CustomerNo },
            RowProblem::ServiceBucketMismatch { service: Service::Ct0, bucket: Bucket::N },
            RowProblem::AmountNegative,
            RowProblem::UnknownAgent { value: "nobody".into() },
            RowProblem::PromiseBeforeCall,
        ],
        "every fault, in the order of the columns"
    );
    for words in
        ["customer_no is empty", "does not serve bucket N", "negative", "unknown agent \"nobody\"", "before the call"]
    {
        assert!(first.error.contains(words), "{} should say {words}", first.error);
    }
    assert_eq!(
        refused(&result, 3).problems,
        [RowProblem::CellCount { cells: 11, columns: 10 }, RowProblem::CallAtInvalid { value: "kemarin".into() }]
    );
    assert_eq!(refused(&result, 4).problems, [RowProblem::CellCount { cells: 2, columns: 10 }]);
    let many = refused(&result, 6);
    assert_eq!(
        many.problems,
        [RowProblem::UnknownService { value: "TV".into() }, RowProblem::PromiseBeforeCall],
        "{many:?}"
    );

    // The download has every refused row, each with every fault.
    let csv = downloaded(&app, &qco, result.import_id).await;
    assert_eq!(csv.len(), 1_103);
    assert_eq!(csv[0].0, 2);
    assert_eq!(csv[0].1, first.error);
    assert_eq!(csv[0].1.matches("; ").count(), 4, "five faults: {}", csv[0].1);
    let last = &csv[1_102];
    assert_eq!(last.0, 1_105);
    assert!(last.1.contains("unknown service \"TV\"") && last.1.contains("before the call"), "{}", last.1);
}

async fn iso_call_times_and_indonesian_headers_are_read_in_the_site_zone(backend: Backend) {
    // A site in WITA (Asia/Makassar, UTC+8).
    let app = spawn_app_with(
        backend,
        Spawn { configure: |config| config.timezone = "Asia/Makassar".into(), ..Spawn::default() },
    )
    .await;
    let qco = app.token("qco1").await;
    // The Indonesian names as the import page shows them, typed in another case and spacing,
    // in another order; one English name among them.
    let header = "Nomor Pelanggan,NAMA_PELANGGAN,Layanan,BUCKET,Jumlah Tagihan,Username Agent,waktu call,Alasan,Tanggal Janji Bayar,Recording_Ref";
    let rows = [
        // Site time as written: 09:15 WITA is 01:15 UTC.
        /* 2 */
        "131000000801,Budi,CT-0,N+2,100000,agent1,2025-03-03 09:15,x,2025-03-05,EB-1",
        // As a dialler writes it, in UTC.
        /* 3 */
        "131000000802,Sri,PRANPC,N,100000,agent2,2025-03-03T02:15:00Z,x,2025-03-05,EB-2",
        // With the WIB offset, with a fraction.
        /* 4 */
        "131000000803,Ahmad,PRANPC,N+1,100000,agent3,2025-03-03T09:15:00.500+07:00,x,2025-03-05,EB-3",
        // An offset without a colon, apart from the time.
        /* 5 */
        "131000000804,Nur,CT-0,N+2,100000,agent1,2025-03-03 12:15:00 +1100,x,2025-03-05,EB-4",
        // 20:30 UTC is the next day at the site: a promise for the day written is before the call.
        /* 6 */
        "131000000805,Hendra,CT-0,N+2,100000,agent1,2025-03-03T20:30:00Z,x,2025-03-03,EB-5",
        /* 7 */ "131000000806,Rini,CT-0,N+2,100000,agent1,2025-03-03T20:30:00Z,x,2025-03-04,EB-6",
        /* 8 */ "131000000807,Joko,CT-0,N+2,100000,agent1,2025-03-03T09:15:00+25:00,x,2025-03-05,EB-7",
    ];
    let text = format!("{header}\r\n{}\r\n", rows.join("\r\n"));
    let reply = upload(&app, &qco, "agree-indonesia.csv", text.into_bytes()).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    let result: ImportResult = reply.json();
    assert_eq!((result.imported, result.rejected_total), (5, 2), "{result:?}");
    assert_eq!(refused(&result, 6).problems, [RowProblem::PromiseBeforeCall]);
    assert!(matches!(refused(&result, 8).problems[..], [RowProblem::CallAtInvalid { .. }]));
    for (customer, utc) in [
        ("131000000801", "2025-03-03T01:15:00.000000Z"),
        ("131000000802", "2025-03-03T02:15:00.000000Z"),
        ("131000000803", "2025-03-03T02:15:00.000000Z"),
        ("131000000804", "2025-03-03T01:15:00.000000Z"),
        ("131000000806", "2025-03-03T20:30:00.000000Z"),
    ] {
        assert_eq!(case_of(&app, &qco, customer).await.call_at, utc, "{customer}");
    }
    // The F-19 day of the late call is the site's: 4 March.
    let day: domain::api::Page<domain::cases::Case> =
        app.get("/api/cases?from=2025-03-04&to=2025-03-04", &qco).await.json();
    assert!(day.items.iter().any(|c| c.customer_no == "131000000806"), "{day:?}");
    // The English header still reads, in any case.
    let reply = upload(
        &app,
        &qco,
        "agree.csv",
        format!(
            "{}\r\n131000000808,Agus,CT-0,N+2,100000,agent1,2025-03-04T01:00:00Z,x,2025-03-05,EB-8\r\n",
            HEADER.to_uppercase()
        )
        .into_bytes(),
    )
    .await;
    assert_eq!(reply.body["imported"], 1, "{}", reply.body);
}

async fn a_team_leader_imports_only_their_own_teams_agents(backend: Backend) {
    let app = spawn_app(backend).await;
    // Tim 1 is agent1 and agent2; Tim 2 is agent3.
    let lines = [
        /* 2 */ "131000000901,Budi,CT-0,N+2,100000,agent1,2025-03-03 09:00,x,2025-03-05,EB-1",
        /* 3 */ "131000000902,Sri,PRANPC,N,100000,agent2,2025-03-03 09:05,x,2025-03-05,EB-2",
        /* 4 */ "131000000903,Ahmad,PRANPC,N+1,100000,agent3,2025-03-03 09:10,x,2025-03-05,EB-3",
        /* 5 */ "131000000904,Nur,PRANPC,N+2,100000,agent3,2025-03-03 09:15,x,2025-03-05,EB-4",
    ];
    let tl1 = app.token("tl1").await;
    let result = import_ok(&app, &tl1, &lines).await;
    assert_eq!((result.imported, result.rejected_total), (2, 2), "{result:?}");
    assert_eq!(refused(&result, 4).problems, [RowProblem::AgentNotInTeam { value: "agent3".into() }]);
    assert!(refused(&result, 4).error.contains("not in your team"), "{:?}", refused(&result, 4));
    // Another team's agent is one fault among the others.
    assert_eq!(
        refused(&result, 5).problems,
        [
            RowProblem::ServiceBucketMismatch { service: Service::Pranpc, bucket: Bucket::N2 },
            RowProblem::AgentNotInTeam { value: "agent3".into() },
        ]
    );
    assert_eq!(app.count("cases WHERE customer_no = '131000000903'").await, 0);

    // Tim 2's leader: the other way round (Tim 1's rows are already there or not theirs).
    let tl2 = app.token("tl2").await;
    let result = import_ok(&app, &tl2, &lines).await;
    assert_eq!((result.imported, result.rejected_total), (1, 3), "{result:?}");
    for row in [2, 3] {
        assert!(matches!(refused(&result, row).problems[..], [RowProblem::AgentNotInTeam { .. }]), "row {row}");
    }
    // QC imports every team's agents.
    let result = import_ok(&app, &app.token("qco1").await, &lines).await;
    assert_eq!((result.imported, result.duplicates, result.rejected_total), (0, 3, 1), "{result:?}");
}

/// The id of an F-18 sheet of the agent, as QC lists them.
pub(crate) async fn sheet_of(app: &TestApp, agent_id: i64) -> i64 {
    let list = app.get(&format!("/api/evaluations?agent_id={agent_id}&limit=1"), &app.token("qrd").await).await;
    list.body["items"][0]["id"].as_i64().unwrap_or_else(|| panic!("a sheet of agent {agent_id}: {}", list.body))
}

async fn a_validation_names_an_existing_sheet_of_the_same_agent(backend: Backend) {
    let app = spawn_app(backend).await;
    let qrd = app.token("qrd").await;
    import_ok(&app, &qrd, &["131000001001,Sri,PRANPC,N,100000,agent2,2025-03-03 09:00,x,2025-03-05,EB-1"]).await;
    let case = case_of(&app, &qrd, "131000001001").await;
    let path = format!("/api/cases/{}/validation", case.id);
    let qco = app.token("qco1").await;
    let theirs = sheet_of(&app, i64::from(user_id(&app, "agent1").await)).await;
    let audit = app.count("audit_log").await;
    for (evaluation, problem) in
        [(json!(theirs), "other_agent"), (json!(987_654), "not_found"), (json!(-1), "not_found")]
    {
        let mut body = approve();
        body["evaluation_id"] = evaluation.clone();
        let reply = app.post(&path, Some(&qco), &body).await;
        assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY, "{evaluation}: {}", reply.body);
        assert_eq!(reply.body["fields"]["evaluation_id"], problem, "{evaluation}");
    }
    assert_eq!(app.count("audit_log").await, audit, "refusals change nothing");
    assert_eq!(case_of(&app, &qrd, "131000001001").await.status, domain::cases::CaseStatus::Pending);
    // A sheet of the case's own agent is taken.
    let own = sheet_of(&app, case.agent_id).await;
    let mut body = approve();
    body["evaluation_id"] = json!(own);
    let reply = app.post(&path, Some(&qco), &body).await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.body);
    assert_eq!(reply.body["validation"]["evaluation_id"], own);
}

async fn a_recare_in_the_returns_own_second_or_minute_is_accepted(backend: Backend) {
    let app = spawn_app(backend).await;
    let qrd = app.token("qrd").await;
    import_ok(
        &app,
        &qrd,
        &[
            "131000001101,Budi,CT-0,N+2,100000,agent1,2025-03-03 09:00,x,2025-03-05,EB-1",
            "131000001102,Sri,CT-0,N+2,100000,agent1,2025-03-03 09:05,x,2025-03-05,EB-2",
        ],
    )
    .await;
    let who = qco_who(&app, user_id(&app, "qco1").await).await;
    // Two RETURNs an hour ago, half a second into their 30th second.
    let at = (Utc::now() - Duration::hours(1)).with_second(30).unwrap().with_nanosecond(500_000_000).unwrap();
    let mut followups = Vec::new();
    for customer in ["131000001101", "131000001102"] {
        let case = case_of(&app, &qrd, customer).await;
        let body: domain::cases::NewValidation = serde_json::from_value(give_back("Konfirmasi identitas.")).unwrap();
        let case = service::validate_at(&app.app.state, &who, case.id, body, at, Trail::EachStep).await.unwrap();
        followups.push(case.validation.and_then(|v| v.followup_id).expect("a follow-up"));
    }
    let agent1 = app.token("agent1").await;
    let recare = |id: i64, stamp: String| {
        let app = &app;
        let agent1 = agent1.clone();
        async move {
            let body = json!({ "note": "Sudah caring ulang.", "recare_call_ref": "EB-RC-1", "recared_at": stamp });
            app.post(&format!("/api/followups/{id}/recare"), Some(&agent1), &body).await
        }
    };
    let wib = FixedOffset::east_opt(7 * 3600).unwrap();
    let site = at.with_timezone(&wib);
    // Before the RETURN at the precision sent: a second, or the minute before.
    for stamp in [
        (at - Duration::seconds(1)).format("%Y-%m-%dT%H:%M:%SZ").to_string(),
        (site - Duration::minutes(1)).format("%Y-%m-%dT%H:%M:00+07:00").to_string(),
        (at - Duration::milliseconds(100)).format("%Y-%m-%dT%H:%M:%S%.3fZ").to_string(),
    ] {
        let reply = recare(followups[0], stamp.clone()).await;
        assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY, "{stamp}: {}", reply.body);
        assert_eq!(reply.body["fields"]["recared_at"], "before_the_return", "{stamp}");
    }
    // The RETURN's own second, as an API client sends it.
    let stamp = at.format("%Y-%m-%dT%H:%M:%SZ").to_string();
    let reply = recare(followups[0], stamp.clone()).await;
    assert_eq!(reply.status, StatusCode::OK, "{stamp}: {}", reply.body);
    // The RETURN's own minute, as the browser's form sends it.
    let stamp = site.format("%Y-%m-%dT%H:%M:00+07:00").to_string();
    let reply = recare(followups[1], stamp.clone()).await;
    assert_eq!(reply.status, StatusCode::OK, "{stamp}: {}", reply.body);
}
