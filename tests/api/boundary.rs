//! The input boundary (`backend/src/error.rs` and the `domain::dates::de` helpers): a NUL
//! character in a path, a query or a JSON string, a date outside the years both databases
//! handle, and a number outside its type are 4xx in our shape on both databases, and change
//! nothing.

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use tests::{Backend, TestApp, assert_error_shape, on_both_databases, spawn_app};

on_both_databases!(
    a_nul_character_anywhere_is_refused_and_changes_nothing,
    dates_outside_the_supported_years_are_422_naming_the_field,
    numbers_outside_their_range_are_4xx,
    odd_authorization_headers_are_401_in_our_shape,
    forged_cursors_are_400,
    every_period_reads_an_empty_day_as_no_bound,
);

/// Sends every request, checks each answer is one of `allowed` in our shape, and that no table
/// changed.
async fn all_refused(
    app: &TestApp,
    token: &str,
    requests: &[(Method, String, Option<Value>)],
    allowed: &[StatusCode],
) -> Vec<tests::Reply> {
    let before = app.table_counts().await;
    let mut replies = Vec::new();
    for (method, path, body) in requests {
        let reply = app.send(method.clone(), path, Some(token), body.as_ref()).await;
        let context = format!("{method} {path} {}", body.as_ref().map(Value::to_string).unwrap_or_default());
        assert!(allowed.contains(&reply.status), "{context}: {} {}", reply.status, reply.body);
        assert_error_shape(&reply, &context);
        replies.push(reply);
    }
    assert_eq!(app.table_counts().await, before, "a refused request wrote something");
    replies
}

async fn a_nul_character_anywhere_is_refused_and_changes_nothing(backend: Backend) {
    let app = spawn_app(backend).await;
    let admin = app.token("admin").await;
    let get = |path: &str| (Method::GET, path.to_owned(), None);
    let requests = vec![
        get("/api/users?q=%00"),
        get("/api/users?role=agent%00"),
        get("/api/documents?q=a%00b"),
        get("/api/documents?kind=%00"),
        get("/api/audit?entity=%00"),
        get("/api/audit?actor=admin%00"),
        get("/api/cases?status=%00"),
        get("/api/cases?service=CT0%00"),
        get("/api/followups?status=%00"),
        get("/api/scoring-forms?code=%00"),
        get("/api/evaluations?status=%00"),
        get("/api/sampling/assignments?batch_id=%00"),
        get("/api/users?limit=10&cursor=%00"),
        get("/api/users?q%00=x"),
        get("/api/documents/a%00b"),
        get("/api/documents/OB.IN.OCC.TELK.P-01%00/revisions/0"),
        get("/api/documents/%00/in-force?at=2026-01-01"),
        (Method::POST, "/api/documents/a%00b/revisions".into(), Some(json!({ "change_description": "x" }))),
        (Method::POST, "/api/teams".into(), Some(json!({ "name": "Tim\u{0}3" }))),
        (
            Method::POST,
            "/api/documents".into(),
            Some(json!({ "code": "OB.IN.OCC.TELK.W-09\u{0}", "kind": "work_instruction", "title": "T" })),
        ),
        (
            Method::POST,
            "/api/documents".into(),
            Some(
                json!({ "code": "OB.IN.OCC.TELK.W-09", "kind": "work_instruction", "title": "T", "parent_code": "\u{0}" }),
            ),
        ),
        (
            Method::PUT,
            "/api/cases/checklist".into(),
            Some(json!({ "items": [{ "key": "a\u{0}", "label_id": "x", "label_en": "y" }] })),
        ),
        (
            Method::POST,
            "/api/users".into(),
            Some(
                json!({ "username": "budi", "password": "rahasia-sekali-1", "role": "agent", "full_name": "B", "x\u{0}": 1 }),
            ),
        ),
    ];
    let replies =
        all_refused(&app, &admin, &requests, &[StatusCode::BAD_REQUEST, StatusCode::UNPROCESSABLE_ENTITY]).await;
    // Where the field is known, it is named.
    assert_eq!(replies[0].body["fields"]["q"], "invalid_characters", "{}", replies[0].body);
    assert_eq!(replies[18].body["fields"]["name"], "invalid_characters", "{}", replies[18].body);
    assert_eq!(replies[21].body["fields"]["items[0].key"], "invalid_characters", "{}", replies[21].body);
    // The coordinator's and the QCO's routes too.
    let qrd = app.token("qrd").await;
    let sampling = json!({ "from": "2026-01-01", "to": "2026-01-31", "per_agent": 1, "qco_ids": [5],
                           "calls": [{ "agent_id": 9, "call_ref": "A\u{0}", "call_at": "2026-01-02T08:00:00Z" }] });
    let replies = all_refused(
        &app,
        &qrd,
        &[(Method::POST, "/api/sampling".into(), Some(sampling))],
        &[StatusCode::UNPROCESSABLE_ENTITY],
    )
    .await;
    assert_eq!(replies[0].body["fields"]["calls[0].call_ref"], "invalid_characters");
    let qco = app.token("qco1").await;
    let validation = json!({ "result": "returned", "checklist": { "identity_verified": true, "amount_and_date_correct": true,
                             "explicit_agreement": true, "reason_matches": true }, "recommendation": "Ulangi\u{0}" });
    all_refused(
        &app,
        &qco,
        &[(Method::POST, "/api/cases/1/validation".into(), Some(validation))],
        &[StatusCode::UNPROCESSABLE_ENTITY],
    )
    .await;
    // A NUL in a login is refused before it reaches the database, like any other bad login.
    let login = app.post("/api/auth/login", None, &json!({ "username": "admin\u{0}", "password": "x" })).await;
    assert!(login.status.is_client_error(), "{} {}", login.status, login.body);
    assert_eq!(app.request::<()>(Method::GET, "/api/health", None, None).await.status, StatusCode::OK);
}

async fn dates_outside_the_supported_years_are_422_naming_the_field(backend: Backend) {
    let app = spawn_app(backend).await;
    let qrd = app.token("qrd").await;
    let sampling = |from: &str, to: &str| json!({ "from": from, "to": to, "per_agent": 1, "qco_ids": [5] });
    let cases: Vec<(Method, String, Option<Value>, &str)> = vec![
        (Method::POST, "/api/sampling".into(), Some(sampling("-0001-01-01", "2026-01-31")), "from"),
        (Method::POST, "/api/sampling".into(), Some(sampling("2026-01-01", "99999-01-01")), "to"),
        (Method::POST, "/api/sampling".into(), Some(sampling("1899-12-31", "2026-01-31")), "from"),
        (Method::POST, "/api/sampling".into(), Some(sampling("2026-02-30", "2026-03-01")), "from"),
        (
            Method::POST,
            "/api/sampling".into(),
            Some(json!({ "from": "2026-01-01", "to": "2026-01-31", "per_agent": 1, "qco_ids": [5],
                         "calls": [{ "agent_id": 9, "call_ref": "A", "call_at": "0001-01-01T00:00:00Z" }] })),
            "calls[0].call_at",
        ),
        (Method::GET, "/api/evaluations?from=-0001-01-01".into(), None, "from"),
        (Method::GET, "/api/evaluations?to=99999-01-01".into(), None, "to"),
        (Method::GET, "/api/cases?from=1000-01-01".into(), None, "from"),
        (Method::GET, "/api/reports/f19?to=-0001-01-01".into(), None, "to"),
        (Method::GET, "/api/reports/reconciliation?from=99999-12-31".into(), None, "from"),
        (Method::GET, "/api/reports/parameter-fail-rates?from=-0001-01-01&to=2026-01-01".into(), None, "from"),
        (Method::GET, "/api/documents/OB.IN.OCC.TELK.P-01/in-force?at=-0001-01-01".into(), None, "at"),
        (Method::GET, "/api/documents/OB.IN.OCC.TELK.P-01/in-force?at=99999-01-01T00:00:00Z".into(), None, "at"),
        (
            Method::POST,
            "/api/calibrations".into(),
            Some(
                json!({ "title": "K", "form_id": 1, "call_ref": "C-1", "call_at": "-0001-01-01T00:00:00Z", "agent_id": 9,
                         "service": "CT0", "bucket": "N", "qco_ids": [5, 6] }),
            ),
            "call_at",
        ),
    ];
    let requests: Vec<_> = cases.iter().map(|(m, p, b, _)| (m.clone(), p.clone(), b.clone())).collect();
    let replies = all_refused(&app, &qrd, &requests, &[StatusCode::UNPROCESSABLE_ENTITY]).await;
    for ((method, path, _, field), reply) in cases.iter().zip(&replies) {
        assert_eq!(reply.error(), "validation_failed", "{method} {path}");
        assert!(reply.body["fields"][field].is_string(), "{method} {path}: {field} in {}", reply.body);
    }
    // The other roles' date fields: a QCO's sheet, a document controller's draft, an agent's re-care.
    let qco = app.token("qco1").await;
    let sheet = json!({ "form_id": 1, "agent_id": 9, "call_ref": "C-1", "call_at": "99999-01-01T00:00:00Z", "service": "CT0", "bucket": "N", "answers": [], "submit": false });
    let replies = all_refused(
        &app,
        &qco,
        &[(Method::POST, "/api/evaluations".into(), Some(sheet))],
        &[StatusCode::UNPROCESSABLE_ENTITY],
    )
    .await;
    assert!(replies[0].body["fields"]["call_at"].is_string(), "{}", replies[0].body);
    let dc = app.token("dc").await;
    let draft = json!({ "change_description": "Perubahan", "effective_date": "-0001-01-01" });
    let replies = all_refused(
        &app,
        &dc,
        &[(Method::POST, "/api/documents/OB.IN.OCC.TELK.P-01/revisions".into(), Some(draft))],
        &[StatusCode::UNPROCESSABLE_ENTITY],
    )
    .await;
    assert!(replies[0].body["fields"]["effective_date"].is_string(), "{}", replies[0].body);
    let agent = app.token("agent1").await;
    let recare =
        json!({ "note": "Sudah ditelepon ulang", "recare_call_ref": "EB-1", "recared_at": "-0001-01-01T00:00:00Z" });
    let replies = all_refused(
        &app,
        &agent,
        &[(Method::POST, "/api/followups/1/recare".into(), Some(recare))],
        &[StatusCode::UNPROCESSABLE_ENTITY],
    )
    .await;
    assert!(replies[0].body["fields"]["recared_at"].is_string(), "{}", replies[0].body);
}

async fn numbers_outside_their_range_are_4xx(backend: Backend) {
    let app = spawn_app(backend).await;
    let admin = app.token("admin").await;
    let qrd = app.token("qrd").await;
    let get = |path: &str| (Method::GET, path.to_owned(), None::<Value>);
    let mut requests = Vec::new();
    for id in [
        "0",
        "-1",
        "2147483648",
        "-2147483649",
        "9223372036854775807",
        "9223372036854775808",
        "99999999999999999999",
        "1e3",
        "0x10",
    ] {
        for route in ["users", "teams", "cases", "followups", "evaluations", "scoring-forms", "calibrations"] {
            requests.push(get(&format!("/api/{route}/{id}")));
        }
        requests.push(get(&format!("/api/documents/OB.IN.OCC.TELK.P-01/revisions/{id}")));
        requests.push(get(&format!("/api/documents/OB.IN.OCC.TELK.P-01/revisions/0/diff?against={id}")));
        for filter in [
            "users?team_id",
            "cases?agent_id",
            "cases?team_id",
            "followups?agent_id",
            "followups?team_id",
            "evaluations?agent_id",
            "evaluations?team_id",
            "evaluations?qco_id",
            "evaluations?calibration_id",
            "sampling/assignments?qco_id",
            "reports/f19?team_id",
            "reports/parameter-fail-rates?from=2026-01-01&to=2026-01-31&team_id",
            "reports/reconciliation?days",
            "users?limit",
            "audit?actor",
        ] {
            requests.push(get(&format!("/api/{filter}={id}")));
        }
    }
    let before = app.table_counts().await;
    for (method, path, _) in &requests {
        let reply = app.send(method.clone(), path, Some(&admin), None).await;
        assert!(reply.status.as_u16() < 500, "{method} {path}: {} {}", reply.status, reply.body);
        if !reply.status.is_success() {
            assert_error_shape(&reply, path);
        }
    }
    // Numbers in bodies: ids beyond i32, negative counts, a team no id can name.
    for body in [
        json!({ "from": "2026-01-01", "to": "2026-01-31", "per_agent": 1, "qco_ids": [9223372036854775807i64] }),
        json!({ "from": "2026-01-01", "to": "2026-01-31", "per_agent": -1, "qco_ids": [5] }),
        json!({ "from": "2026-01-01", "to": "2026-01-31", "per_agent": 4294967296u64, "qco_ids": [5] }),
        json!({ "from": "2026-01-01", "to": "2026-01-31", "per_agent": 1, "qco_ids": [5], "team_id": -2147483649i64 }),
        json!({ "from": "2026-01-01", "to": "2026-01-31", "per_agent": 1, "qco_ids": [5], "calls": [{ "agent_id": 4294967305u64, "call_ref": "A", "call_at": "2026-01-02T08:00:00Z" }] }),
    ] {
        let reply = app.post("/api/sampling", Some(&qrd), &body).await;
        assert!(reply.status.is_client_error(), "{body}: {} {}", reply.status, reply.body);
        assert_error_shape(&reply, &body.to_string());
    }
    assert_eq!(app.table_counts().await, before, "a refused request wrote something");
}

async fn odd_authorization_headers_are_401_in_our_shape(backend: Backend) {
    let app = spawn_app(backend).await;
    let values: Vec<Vec<u8>> = vec![
        b"Bearer \xff\xfe\x80".to_vec(),
        b"Bearer ".to_vec(),
        b"Basic YWRtaW46eA==".to_vec(),
        // Long, but within the 16 KiB request head the server reads.
        format!("Bearer {}", "a".repeat(8 * 1024)).into_bytes(),
        b"Bearer a.b.c".to_vec(),
        "Bearer é漢字".as_bytes().to_vec(),
    ];
    for value in values {
        let header = reqwest::header::HeaderValue::from_bytes(&value).expect("a header value");
        let response = app
            .client
            .get(app.url("/api/me"))
            .header(reqwest::header::AUTHORIZATION, header)
            .send()
            .await
            .expect("send");
        let reply = TestApp::reply(response).await;
        let context = String::from_utf8_lossy(&value).chars().take(40).collect::<String>();
        assert_eq!(reply.status, StatusCode::UNAUTHORIZED, "{context}: {}", reply.body);
        assert_eq!(reply.error(), "unauthenticated", "{context}");
        assert_error_shape(&reply, &context);
    }
}

/// Cursors are opaque, but a client can forge one: a position at an instant no database holds
/// (PostgreSQL's timestamps start in 4713 BC, chrono's in 262144 BC) or an id beyond any key.
async fn forged_cursors_are_400(backend: Backend) {
    use base64::Engine;
    let app = spawn_app(backend).await;
    let qrd = app.token("qrd").await;
    let b64 = |s: &str| base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(s);
    let year_minus_10000 = -377_705_116_800_000_000i64;
    let forged = [
        ("cases?status=pending", format!("t:{year_minus_10000}:1")),
        ("cases", format!("t:{year_minus_10000}:1")),
        ("cases", "t:0:-1".to_owned()),
        ("followups", format!("f:0:{year_minus_10000}:1")),
        ("followups", "f:99999999999:0:1".to_owned()),
        ("evaluations", format!("e:{year_minus_10000}:1")),
        ("evaluations", "e:0:9223372036854775807".to_owned()),
        ("users", "k:9223372036854775807".to_owned()),
        ("audit", "k:-9223372036854775808".to_owned()),
    ];
    let before = app.table_counts().await;
    for (list, cursor) in forged {
        let separator = if list.contains('?') { '&' } else { '?' };
        let path = format!("/api/{list}{separator}cursor={}", b64(&cursor));
        let reply = app.get(&path, &qrd).await;
        // A position outside the API's years is refused; any other one is just a position.
        if cursor.contains(&year_minus_10000.to_string()) {
            assert_eq!(reply.status, StatusCode::BAD_REQUEST, "{path} ({cursor}): {}", reply.body);
        }
        assert!(reply.status.as_u16() < 500, "{path} ({cursor}): {} {}", reply.status, reply.body);
        if !reply.status.is_success() {
            assert_error_shape(&reply, &cursor);
        }
    }
    assert_eq!(app.table_counts().await, before);
}

/// One reading of a period everywhere (`backend/src/site_time.rs`): in a query string an empty
/// `from=` or `to=` (what a cleared form field sends) is no bound, on every list and report; a day a
/// request body or a report requires is `required` when empty, never a panic or "invalid".
async fn every_period_reads_an_empty_day_as_no_bound(backend: Backend) {
    let app = spawn_app(backend).await;
    let qrd = app.token("qrd").await;
    for path in [
        "/api/evaluations?from=&to=",
        "/api/cases?from=&to=",
        "/api/reports/f19?from=&to=",
        "/api/reports/reconciliation?from=&to=",
        "/api/audit?from=&to=",
    ] {
        let reply = app.send(Method::GET, path, Some(&qrd), None).await;
        assert_eq!(reply.status, StatusCode::OK, "{path}: {}", reply.body);
        let bounded = app.send(Method::GET, &path.replace("from=&to=", "from=2025-01-01&to="), Some(&qrd), None).await;
        assert_eq!(bounded.status, StatusCode::OK, "{path} with only from: {}", bounded.body);
    }
    let sampling = json!({ "from": "", "to": "2026-01-31", "per_agent": 1, "qco_ids": [5] });
    let fail_rates = "/api/reports/parameter-fail-rates?from=&to=2026-01-31";
    let replies = all_refused(
        &app,
        &qrd,
        &[(Method::POST, "/api/sampling".into(), Some(sampling)), (Method::GET, fail_rates.into(), None)],
        &[StatusCode::UNPROCESSABLE_ENTITY],
    )
    .await;
    for reply in replies {
        assert_eq!(reply.body["fields"]["from"], "required", "{}", reply.body);
    }
}
