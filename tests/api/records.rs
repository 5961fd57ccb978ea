//! The records lifecycle (issue 15): retention fixed per record from the register and counted
//! from the record's closing; the due list; legal holds of each kind of scope; two-stage signed
//! disposal with segregation of duties; a hold placed between approval and confirmation keeping
//! exactly its records; tombstones, the certificate and its Merkle root, recomputed here; the
//! audit chain and the dashboards' counts after disposal.

use domain::cases::F19_CODE;
use domain::records::{Certificate, Disposition, DueList, Hold};
use domain::scoring::F18_CODE;
use reqwest::{Method, StatusCode};
use sea_orm::{ConnectionTrait, Statement};
use serde_json::{Value, json};
use sha2::{Digest, Sha256};
use tests::{Backend, DEMO_PASSWORD, TestApp, assert_error_shape, on_both_databases, spawn_app};

/// The routes this part adds to the OpenAPI document, all called below (see `http.rs`).
pub const ROUTES: &[&str] = &[
    "DELETE /api/holds/{id}",
    "GET /api/dispositions",
    "GET /api/dispositions/{id}/certificate",
    "GET /api/holds",
    "GET /api/records/due",
    "POST /api/dispositions",
    "POST /api/dispositions/{id}/confirm",
    "POST /api/holds",
];

async fn numbers(app: &TestApp, sql: &str) -> Vec<i64> {
    let conn = &app.app.state.db.conn;
    let rows = conn.query_all_raw(Statement::from_string(conn.get_database_backend(), sql)).await.expect(sql);
    rows.iter()
        .map(|r| {
            r.try_get_by_index::<i64>(0).or_else(|_| r.try_get_by_index::<i32>(0).map(i64::from)).expect("a number")
        })
        .collect()
}

async fn texts(app: &TestApp, sql: &str) -> Vec<String> {
    let conn = &app.app.state.db.conn;
    let rows = conn.query_all_raw(Statement::from_string(conn.get_database_backend(), sql)).await.expect(sql);
    rows.iter().map(|r| r.try_get_by_index::<Option<String>>(0).expect("a text").unwrap_or_default()).collect()
}

async fn one(app: &TestApp, sql: &str) -> i64 {
    numbers(app, sql).await[0]
}

fn merkle(leaves: &[String]) -> String {
    let mut level: Vec<Vec<u8>> = leaves.iter().map(|h| hex::decode(h).unwrap()).collect();
    while level.len() > 1 {
        level = level
            .chunks(2)
            .map(|p| {
                if p.len() == 1 {
                    return p[0].clone();
                }
                let mut h = Sha256::new();
                h.update([1u8]);
                h.update(&p[0]);
                h.update(&p[1]);
                h.finalize().to_vec()
            })
            .collect();
    }
    hex::encode(&level[0])
}

on_both_databases!(
    retention_is_fixed_per_record_and_counts_from_its_closing,
    holds_disposal_certificate_and_their_refusals,
    a_confirmation_answers_before_a_long_disposal_ends
);

async fn retention_is_fixed_per_record_and_counts_from_its_closing(backend: Backend) {
    let app = spawn_app(backend).await;
    // The demo's acknowledged sheets count from their acknowledgement; open ones have no date.
    assert_eq!(
        one(&app, "SELECT COUNT(*) FROM evaluations WHERE status = 'acknowledged' AND (retention_from <> 'acknowledged' OR retain_until IS NULL OR retention_months <> 24)").await,
        0
    );
    assert!(one(&app, "SELECT COUNT(*) FROM evaluations WHERE status = 'acknowledged'").await > 0);
    assert_eq!(
        one(&app, "SELECT COUNT(*) FROM evaluations WHERE status IN ('submitted', 'disputed') AND (retain_until IS NOT NULL OR retention_from IS NOT NULL)").await,
        0
    );
    // APPROVED validations count from themselves; RETURNs from their follow-up's closing, and
    // not at all while it is open.
    assert_eq!(
        one(&app, "SELECT COUNT(*) FROM validations WHERE result = 'approved' AND (retention_from IS NULL OR retention_from <> 'validated' OR retention_months <> 24)").await,
        0
    );
    assert_eq!(
        one(&app, "SELECT COUNT(*) FROM validations v JOIN followups f ON f.validation_id = v.id WHERE f.status <> 'closed' AND v.retention_from IS NOT NULL").await,
        0
    );
    let closed = one(
        &app,
        "SELECT COUNT(*) FROM validations v JOIN followups f ON f.validation_id = v.id WHERE f.status = 'closed'",
    )
    .await;
    assert!(closed > 0);
    assert_eq!(
        one(&app, "SELECT COUNT(*) FROM validations v JOIN followups f ON f.validation_id = v.id WHERE f.status = 'closed' AND v.retention_from = 'followup_closed'").await,
        closed
    );

    // A register edit changes only the records made after it: an agent acknowledges a sheet
    // after F-18's retention went to 60 months; the sheet took its retention (24) at submission.
    app.sql(&format!("UPDATE documents SET retention_months = 60 WHERE code = '{F18_CODE}'")).await.unwrap();
    let sheet = one(&app, "SELECT MIN(e.id) FROM evaluations e JOIN users u ON u.id = e.agent_id WHERE e.status = 'submitted' AND u.username = 'agent1'").await;
    let agent = app.token("agent1").await;
    let ack = app.post(&format!("/api/evaluations/{sheet}/acknowledge"), Some(&agent), &json!({})).await;
    assert_eq!(ack.status, StatusCode::OK, "{}", ack.body);
    let row = texts(&app, &format!("SELECT retention_from FROM evaluations WHERE id = {sheet}")).await;
    assert_eq!(row, ["acknowledged"]);
    assert_eq!(one(&app, &format!("SELECT retention_months FROM evaluations WHERE id = {sheet}")).await, 24);
    let until = texts(&app, &format!("SELECT retain_until FROM evaluations WHERE id = {sheet}")).await;
    let today = chrono::Utc::now().with_timezone(&chrono::FixedOffset::east_opt(7 * 3600).unwrap()).date_naive();
    let expected = domain::dates::retain_until(domain::dates::Date::parse(&today.to_string()).unwrap(), 24);
    assert_eq!(until, [expected.to_string()]);
}

async fn holds_disposal_certificate_and_their_refusals(backend: Backend) {
    let app = spawn_app(backend).await;
    let qrd = app.token("qrd").await;
    let manager = app.token("manager").await;
    let admin = app.token("admin").await;

    // Age the closed records: F-19 ones fell due in January and February 2024, F-18 ones in
    // January 2024.
    app.sql("UPDATE validations SET retain_until = CASE WHEN id % 2 = 0 THEN '2024-01-15' ELSE '2024-02-10' END WHERE retention_from IS NOT NULL").await.unwrap();
    app.sql("UPDATE evaluations SET retain_until = '2024-01-20' WHERE retention_from IS NOT NULL").await.unwrap();
    let f19_due = one(&app, "SELECT COUNT(*) FROM validations WHERE retention_from IS NOT NULL").await;
    let f18_due = one(&app, "SELECT COUNT(*) FROM evaluations WHERE retention_from IS NOT NULL").await;
    assert!(f19_due >= 4 && f18_due >= 2, "{f19_due} {f18_due}");

    let due: DueList = app.get("/api/records/due", &qrd).await.json();
    let sum = |due: &DueList, form: &str| due.groups.iter().filter(|g| g.form == form).map(|g| g.count).sum::<i64>();
    assert_eq!(sum(&due, F19_CODE), f19_due);
    assert_eq!(sum(&due, F18_CODE), f18_due);
    assert_eq!(due.total, f19_due + f18_due);
    assert_eq!(due.held, 0);
    let jan =
        one(&app, "SELECT COUNT(*) FROM validations WHERE retain_until = '2024-01-15' AND retention_from IS NOT NULL")
            .await;
    let months: Vec<(&str, i64)> =
        due.groups.iter().filter(|g| g.form == F19_CODE).map(|g| (g.month.as_str(), g.count)).collect();
    assert_eq!(months, [("2024-01", jan), ("2024-02", f19_due - jan)]);
    let through: DueList = app.get(&format!("/api/records/due?form={F19_CODE}&through=2024-01"), &qrd).await.json();
    assert_eq!(through.total, jan);

    // Who may see it: others get 404.
    for user in ["qco1", "tl1", "agent1", "dc"] {
        let token = app.token(user).await;
        assert_eq!(app.get("/api/records/due", &token).await.status, StatusCode::NOT_FOUND, "{user}");
        assert_eq!(app.get("/api/holds", &token).await.status, StatusCode::NOT_FOUND, "{user}");
    }
    assert_eq!(app.get("/api/records/due", &manager).await.status, StatusCode::OK);

    // Holds: bad ones refused with nothing written.
    let refused = [
        (json!({ "scope": {}, "reason": "Audit", "password": DEMO_PASSWORD }), StatusCode::UNPROCESSABLE_ENTITY),
        (
            json!({ "scope": { "agent_id": 4 }, "reason": "  ", "password": DEMO_PASSWORD }),
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        (
            json!({ "scope": { "record_ids": [1] }, "reason": "x", "password": DEMO_PASSWORD }),
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        (
            json!({ "scope": { "team_id": 999 }, "reason": "x", "password": DEMO_PASSWORD }),
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        (
            json!({ "scope": { "from": "2024-13-01" }, "reason": "x", "password": DEMO_PASSWORD }),
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        (json!({ "scope": { "customer_no": "1" }, "reason": "x", "password": "wrong" }), StatusCode::UNAUTHORIZED),
    ];
    for (body, status) in refused {
        let reply = app.post("/api/holds", Some(&qrd), &body).await;
        assert_eq!(reply.status, status, "{body}: {}", reply.body);
        assert_error_shape(&reply, "a refused hold");
    }
    let reply = app
        .post(
            "/api/holds",
            Some(&manager),
            &json!({ "scope": { "agent_id": 4 }, "reason": "x", "password": DEMO_PASSWORD }),
        )
        .await;
    assert_eq!(reply.status, StatusCode::FORBIDDEN);
    assert_eq!(app.count("legal_holds").await, 0);

    // One hold per kind of scope, each covering what the rows say it does.
    let agent = one(&app, "SELECT c.agent_id FROM validations v JOIN cases c ON c.id = v.case_id WHERE v.retention_from IS NOT NULL ORDER BY c.id LIMIT 1").await;
    let customer = texts(&app, &format!("SELECT c.customer_no FROM validations v JOIN cases c ON c.id = v.case_id WHERE v.retention_from IS NOT NULL AND c.agent_id <> {agent} ORDER BY c.id LIMIT 1")).await.remove(0);
    let sheet_ids = numbers(&app, "SELECT id FROM evaluations WHERE retention_from IS NOT NULL ORDER BY id").await;
    let held_sheet = sheet_ids[0];
    let place = |scope: Value| {
        let (app, qrd) = (&app, &qrd);
        async move {
            let reply = app
                .post(
                    "/api/holds",
                    Some(qrd),
                    &json!({ "scope": scope, "reason": "Pemeriksaan OJK", "password": DEMO_PASSWORD }),
                )
                .await;
            assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.body);
            reply.json::<Hold>()
        }
    };
    let by_agent = place(json!({ "agent_id": agent, "form": F19_CODE })).await;
    let agent_f19 = one(
        &app,
        &format!("SELECT COUNT(*) FROM validations v JOIN cases c ON c.id = v.case_id WHERE c.agent_id = {agent}"),
    )
    .await;
    assert_eq!(by_agent.covers.len(), 1);
    assert_eq!(by_agent.covers[0].count, agent_f19);
    let by_customer = place(json!({ "customer_no": customer })).await;
    let customer_f19 = one(
        &app,
        &format!(
            "SELECT COUNT(*) FROM validations v JOIN cases c ON c.id = v.case_id WHERE c.customer_no = '{customer}'"
        ),
    )
    .await;
    assert_eq!(
        by_customer.covers.iter().map(|c| (c.form.as_str(), c.count)).collect::<Vec<_>>(),
        [(F19_CODE, customer_f19)]
    );
    let by_ids = place(json!({ "form": F18_CODE, "record_ids": [held_sheet] })).await;
    assert_eq!(by_ids.covers[0].count, 1);
    // A team over a call period that has no records covers nothing, and is still listed.
    let by_team = place(json!({ "team_id": 1, "from": "2001-01-01", "to": "2001-12-31" })).await;
    assert!(by_team.covers.iter().all(|c| c.count == 0));
    let listed: Vec<Hold> = app.get("/api/holds", &manager).await.json();
    assert_eq!(listed.len(), 4);

    let held_f19 = one(&app, &format!("SELECT COUNT(*) FROM validations v JOIN cases c ON c.id = v.case_id WHERE v.retention_from IS NOT NULL AND (c.agent_id = {agent} OR c.customer_no = '{customer}')")).await;
    let due: DueList = app.get("/api/records/due", &qrd).await.json();
    assert_eq!(sum(&due, F19_CODE), f19_due - held_f19);
    assert_eq!(sum(&due, F18_CODE), f18_due - 1);
    assert_eq!(due.held, held_f19 + 1);

    // Disposition refusals: role, password, a held, an undue and an unknown record.
    let held_case = one(&app, &format!("SELECT MIN(c.id) FROM validations v JOIN cases c ON c.id = v.case_id WHERE v.retention_from IS NOT NULL AND c.agent_id = {agent}")).await;
    let open_case = one(&app, "SELECT MIN(case_id) FROM validations WHERE retention_from IS NULL").await;
    let approve = |body: Value, token: String| {
        let app = &app;
        async move { app.post("/api/dispositions", Some(&token), &body).await }
    };
    let reply =
        approve(json!({ "form": F19_CODE, "through_month": "2024-02", "password": DEMO_PASSWORD }), manager.clone())
            .await;
    assert_eq!(reply.status, StatusCode::FORBIDDEN);
    let reply =
        approve(json!({ "form": F19_CODE, "through_month": "2024-02", "password": "wrong" }), qrd.clone()).await;
    assert_eq!(reply.status, StatusCode::UNAUTHORIZED);
    let reply =
        approve(json!({ "form": F19_CODE, "record_ids": [held_case], "password": DEMO_PASSWORD }), qrd.clone()).await;
    assert_eq!((reply.status, reply.error()), (StatusCode::CONFLICT, "record_held"), "{}", reply.body);
    assert!(reply.body["message"].as_str().unwrap().contains(&held_case.to_string()));
    let reply =
        approve(json!({ "form": F19_CODE, "record_ids": [open_case], "password": DEMO_PASSWORD }), qrd.clone()).await;
    assert_eq!((reply.status, reply.error()), (StatusCode::CONFLICT, "record_not_due"), "{}", reply.body);
    for body in [
        json!({ "form": F19_CODE, "record_ids": [99_999_999], "password": DEMO_PASSWORD }),
        json!({ "form": "OB.IN.QCC.TELK.W-04", "through_month": "2024-02", "password": DEMO_PASSWORD }),
        json!({ "form": F19_CODE, "through_month": "2999-01", "password": DEMO_PASSWORD }),
        json!({ "form": F19_CODE, "through_month": "2024-1", "password": DEMO_PASSWORD }),
        json!({ "form": F19_CODE, "password": DEMO_PASSWORD }),
        json!({ "form": F19_CODE, "through_month": "2001-01", "password": DEMO_PASSWORD }),
    ] {
        let reply = approve(body.clone(), qrd.clone()).await;
        assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY, "{body}: {}", reply.body);
    }
    assert_eq!(app.count("dispositions").await, 0);

    // The F-19 batch through February, approved.
    let reply =
        approve(json!({ "form": F19_CODE, "through_month": "2024-02", "password": DEMO_PASSWORD }), qrd.clone()).await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.body);
    let batch: Disposition = reply.json();
    assert_eq!((batch.status.as_str(), batch.due_count), ("approved", f19_due - held_f19));
    assert_eq!(
        app.get(&format!("/api/dispositions/{}/certificate", batch.id), &qrd).await.status,
        StatusCode::NOT_FOUND
    );

    // A hold placed between approval and confirmation keeps exactly its records.
    let late_case = one(&app, &format!("SELECT MAX(c.id) FROM validations v JOIN cases c ON c.id = v.case_id WHERE v.retention_from IS NOT NULL AND c.agent_id <> {agent} AND c.customer_no <> '{customer}'")).await;
    let late = place(json!({ "form": F19_CODE, "record_ids": [late_case] })).await;
    assert_eq!(late.covers[0].count, 1);

    // Confirmation: not by the QC coordinator (403), not with a wrong password (401); not by the
    // approver even once they are a manager (403 segregation_of_duties).
    let confirm = |id: i64, token: String, password: &'static str| {
        let app = &app;
        async move {
            app.post(&format!("/api/dispositions/{id}/confirm"), Some(&token), &json!({ "password": password })).await
        }
    };
    assert_eq!(confirm(batch.id, qrd.clone(), DEMO_PASSWORD).await.status, StatusCode::FORBIDDEN);
    assert_eq!(confirm(batch.id, manager.clone(), "wrong").await.status, StatusCode::UNAUTHORIZED);
    app.sql("UPDATE users SET role = 'manager' WHERE username = 'qrd'").await.unwrap();
    let approver_as_manager = app.token("qrd").await;
    let reply = confirm(batch.id, approver_as_manager, DEMO_PASSWORD).await;
    assert_eq!((reply.status, reply.error()), (StatusCode::FORBIDDEN, "segregation_of_duties"), "{}", reply.body);
    app.sql("UPDATE users SET role = 'qc_coordinator' WHERE username = 'qrd'").await.unwrap();
    let qrd = app.token("qrd").await;
    assert_eq!(app.count("disposed_records").await, 0);

    let today = chrono::Utc::now().with_timezone(&chrono::FixedOffset::east_opt(7 * 3600).unwrap()).date_naive();
    // Over the whole demo (its history goes back some 26 months), so that every disposed agree
    // falls in the report's period.
    let report_path = format!("/api/reports/f19?from={}&to={today}", today - chrono::Duration::days(1000));
    let report_before = app.get(&report_path, &manager).await.body;
    assert_eq!(report_before["disposed"], 0);
    let rollup_before = numbers(
        &app,
        "SELECT CAST(COALESCE(SUM(approved), 0) + COALESCE(SUM(returned), 0) AS BIGINT) FROM dashboard_day_stats",
    )
    .await;
    // The keep-rate report of the same days, by QC's outcome (the demo's agrees have promises).
    let keep_path =
        format!("/api/reports/promises?from={}&to={today}&group_by=result", today - chrono::Duration::days(1000));
    let keep_before = app.get(&keep_path, &manager).await.body;
    assert!(keep_before["totals"]["kept"].as_u64().unwrap_or(0) > 0, "{keep_before}");
    let audit_before = one(&app, "SELECT COUNT(*) FROM audit_log").await;
    let reply = confirm(batch.id, manager.clone(), DEMO_PASSWORD).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    let done: Disposition = reply.json();
    assert_eq!(done.status, "disposed");
    assert_eq!((done.disposed, done.withheld), (batch.due_count - 1, 1));
    assert_eq!(confirm(batch.id, admin.clone(), DEMO_PASSWORD).await.status, StatusCode::CONFLICT);

    // What is left: the held records, their tombstones for the rest.
    assert_eq!(one(&app, &format!("SELECT COUNT(*) FROM cases WHERE id = {late_case}")).await, 1);
    assert_eq!(one(&app, &format!("SELECT COUNT(*) FROM cases WHERE id = {held_case}")).await, 1);
    assert_eq!(one(&app, "SELECT COUNT(*) FROM validations WHERE retention_from IS NOT NULL").await, held_f19 + 1);
    let hashes = texts(
        &app,
        &format!("SELECT sha256 FROM disposed_records WHERE disposition_id = {} ORDER BY record_id", done.id),
    )
    .await;
    assert_eq!(hashes.len() as i64, done.disposed);
    assert!(hashes.iter().all(|h| h.len() == 64));
    let disposed_case = one(&app, "SELECT MIN(record_id) FROM disposed_records").await;
    assert_eq!(app.get(&format!("/api/cases/{disposed_case}"), &qrd).await.status, StatusCode::NOT_FOUND);
    assert_eq!(one(&app, &format!("SELECT COUNT(*) FROM followups WHERE case_id = {disposed_case}")).await, 0);

    // The certificate, with its root recomputed from the tombstones.
    let reply = app.get(&format!("/api/dispositions/{}/certificate", done.id), &manager).await;
    assert_eq!(reply.status, StatusCode::OK);
    let certificate: Certificate = reply.json();
    assert_eq!(certificate.merkle_root, merkle(&hashes));
    assert_eq!(done.merkle_root.as_deref(), Some(certificate.merkle_root.as_str()));
    assert_eq!(certificate.disposed, done.disposed);
    assert_eq!(certificate.periods.iter().map(|p| p.count).sum::<i64>(), done.disposed);
    assert_eq!((certificate.approved_by.as_str(), certificate.confirmed_by.as_str()), ("Sukron Azis", "Mokh.arifin"));
    assert_eq!((certificate.retention_months, certificate.withheld), (24, 1));
    assert!(certificate.audit_seq > 0);
    let page = app.get_response(&format!("/api/dispositions/{}/certificate?format=html", done.id), &manager).await;
    assert_eq!(page.status(), StatusCode::OK);
    let html = page.text().await.unwrap();
    assert!(
        html.contains(&certificate.number)
            && html.contains(&certificate.merkle_root)
            && html.contains("SERTIFIKAT PEMUSNAHAN")
    );

    // The audit chain holds the steps and still verifies; the dashboards' counts stay.
    assert!(one(&app, "SELECT COUNT(*) FROM audit_log").await > audit_before);
    let verify = app.get("/api/audit/verify", &admin).await;
    assert_eq!(verify.body["ok"], true, "{}", verify.body);
    let actions =
        texts(&app, "SELECT action FROM audit_log WHERE entity IN ('disposition', 'hold') ORDER BY seq").await;
    for action in
        ["hold.placed", "disposition.approved", "disposition.confirmed", "records.disposed", "disposition.finished"]
    {
        assert!(actions.iter().any(|a| a == action), "{action} in {actions:?}");
    }
    // The F-19 report counts the disposed agrees from their tombstones: the same rows and totals.
    let report_after = app.get(&report_path, &manager).await.body;
    assert_eq!(report_after["totals"], report_before["totals"]);
    assert_eq!(report_after["rows"], report_before["rows"]);
    assert_eq!(report_after["disposed"], done.disposed);
    let rollup_after = numbers(
        &app,
        "SELECT CAST(COALESCE(SUM(approved), 0) + COALESCE(SUM(returned), 0) AS BIGINT) FROM dashboard_day_stats",
    )
    .await;
    assert_eq!(rollup_before, rollup_after);
    // A rebuild of the roll-up (a new site zone, a new version of it) keeps them as well: the
    // tombstones stand in for the disposed agrees, row for row of the roll-up.
    let f19_rows = "SELECT CAST(day AS TEXT) || ' ' || CAST(team_id AS TEXT) || ' ' || CAST(agent_id AS TEXT) || ' ' \
         || service || ' ' || bucket || ' ' || CAST(approved AS TEXT) || ' ' || CAST(returned AS TEXT) || ' ' \
         || CAST(closed AS TEXT) || ' ' || CAST(closed_in_time AS TEXT) || ' ' || CAST(recared_in_time AS TEXT) \
         || ' ' || CAST(verified_in_time AS TEXT) FROM dashboard_day_stats WHERE approved + returned > 0 \
         ORDER BY day, team_id, agent_id, service, bucket";
    let before_rebuild = texts(&app, f19_rows).await;
    let state = &app.app.state;
    mutu_backend::dashboards::rollup::rebuild(&state.db.conn, state.config.offset()).await.unwrap();
    assert_eq!(texts(&app, f19_rows).await, before_rebuild, "the disposed agrees' days after a rebuild");
    // The keep rates keep the disposed agrees' promises too (the tombstones keep their status),
    // after the disposal and after a rebuild of their roll-up.
    assert!(one(&app, "SELECT COUNT(*) FROM disposed_records WHERE promise_status IS NOT NULL").await > 0);
    assert_eq!(app.get(&keep_path, &manager).await.body, keep_before, "keep rates after the disposal");
    let promise_rows = "SELECT day || ' ' || CAST(team_id AS TEXT) || ' ' || outcome || ' ' || service || ' ' || bucket \
         || ' ' || CAST(kept AS TEXT) || ' ' || CAST(broken AS TEXT) || ' ' || CAST(pending AS TEXT) \
         FROM promise_team_day_stats WHERE kept + broken + pending > 0 ORDER BY day, team_id, outcome, service, bucket";
    let promises_before = texts(&app, promise_rows).await;
    mutu_backend::promises::rollup::rebuild(&state.db.conn, state.config.offset()).await.unwrap();
    assert_eq!(texts(&app, promise_rows).await, promises_before, "the keep-rate roll-up after a rebuild");
    assert_eq!(app.get(&keep_path, &manager).await.body, keep_before, "keep rates after a rebuild");

    // A disposed record cannot be named again; the list shows the batch.
    let reply =
        approve(json!({ "form": F19_CODE, "record_ids": [disposed_case], "password": DEMO_PASSWORD }), qrd.clone())
            .await;
    assert_eq!((reply.status, reply.error()), (StatusCode::CONFLICT, "record_disposed"), "{}", reply.body);
    let list: Vec<Disposition> = app.get("/api/dispositions", &admin).await.json();
    assert_eq!(list.len(), 1);

    // Releasing the late hold: signed, then it covers nothing and its record is due again.
    let path = format!("/api/holds/{}", late.id);
    let reply =
        app.request(Method::DELETE, &path, Some(&qrd), Some(&json!({ "reason": "", "password": DEMO_PASSWORD }))).await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    let reply = app
        .request(Method::DELETE, &path, Some(&qrd), Some(&json!({ "reason": "Selesai", "password": DEMO_PASSWORD })))
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    let released: Hold = reply.json();
    assert_eq!(released.released_by.as_deref(), Some("Sukron Azis"));
    let reply = app
        .request(Method::DELETE, &path, Some(&qrd), Some(&json!({ "reason": "Lagi", "password": DEMO_PASSWORD })))
        .await;
    assert_eq!(reply.status, StatusCode::CONFLICT);
    let due: DueList = app.get(&format!("/api/records/due?form={F19_CODE}"), &qrd).await.json();
    assert_eq!(due.total, 1);
    assert_eq!(due.held, held_f19);
}

/// A confirmation does not wait for a disposal longer than the server's wait (15 s; none here):
/// 202 with the batch still `disposing`, which goes on to its end and its certificate.
async fn a_confirmation_answers_before_a_long_disposal_ends(backend: Backend) {
    let app = tests::spawn_app_with(
        backend,
        tests::Spawn { configure: |c| c.disposal_wait = std::time::Duration::ZERO, ..Default::default() },
    )
    .await;
    let (qrd, manager) = (app.token("qrd").await, app.token("manager").await);
    app.sql("UPDATE validations SET retain_until = '2024-01-15' WHERE retention_from IS NOT NULL").await.unwrap();
    let due = one(&app, "SELECT COUNT(*) FROM validations WHERE retention_from IS NOT NULL").await;
    let body = json!({ "form": F19_CODE, "through_month": "2024-01", "password": DEMO_PASSWORD });
    let batch: Disposition = app.post("/api/dispositions", Some(&qrd), &body).await.json();
    let reply = app
        .post(&format!("/api/dispositions/{}/confirm", batch.id), Some(&manager), &json!({ "password": DEMO_PASSWORD }))
        .await;
    assert_eq!(reply.status, StatusCode::ACCEPTED, "{}", reply.body);
    let answered: Disposition = reply.json();
    assert_eq!((answered.id, answered.status.as_str()), (batch.id, "disposing"));
    assert!(answered.confirmed_by.is_some());
    // Confirming again while it runs: 409, nothing started twice.
    let again = app
        .post(&format!("/api/dispositions/{}/confirm", batch.id), Some(&manager), &json!({ "password": DEMO_PASSWORD }))
        .await;
    assert_eq!(again.status, StatusCode::CONFLICT);
    // The list shows it end, with every due record disposed and the certificate issued.
    let mut done = answered;
    for _ in 0..600 {
        if done.status == "disposed" {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        let list: Vec<Disposition> = app.get("/api/dispositions", &manager).await.json();
        done = list.into_iter().find(|d| d.id == batch.id).expect("the batch is listed");
    }
    assert_eq!((done.status.as_str(), done.disposed), ("disposed", due));
    let certificate = app.get(&format!("/api/dispositions/{}/certificate", batch.id), &manager).await;
    assert_eq!(certificate.status, StatusCode::OK);
    assert_eq!(certificate.body["disposed"], due);
    assert_eq!(one(&app, "SELECT COUNT(*) FROM disposed_records").await, due);
}
