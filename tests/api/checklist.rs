//! The W-04 checklist wording is frozen per validation (issue 12 item 1): the wording is
//! versioned, each new version signed by the QC coordinator with their password and a reason and
//! audited; a validation names the version it was made with and its case shows that wording, in
//! both languages, whatever is in force later. A QCO who ticked a wording no longer in force gets
//! 409 instead of a record against a wording they did not see.

use crate::cases::{approve, case_of, import_ok};
use domain::api::Page;
use domain::cases::{Case, ChecklistLabels, ChecklistVersion};
use reqwest::{Method, StatusCode};
use sea_orm::{ConnectionTrait, Database, Statement};
use serde_json::{Value, json};
use tests::{Backend, DEMO_PASSWORD, TestApp, fresh_database, on_both_databases, spawn_app};

on_both_databases!(
    a_validation_keeps_the_wording_of_its_version,
    a_wrong_password_or_another_role_signs_nothing,
    versions_are_listed_newest_first_and_paged,
    the_first_version_carries_over_the_saved_wording,
);

const CHECKLIST: &str = "/api/cases/checklist";

/// The defaults with item 1 and item 4 reworded in both languages.
fn reworded() -> ChecklistLabels {
    let mut labels = ChecklistLabels::default();
    labels.items[0].label_id = "Nama dan nomor layanan pelanggan dicocokkan".into();
    labels.items[0].label_en = "Customer name and service number matched".into();
    labels.items[3].label_id = "Reason sesuai isi percakapan dan catatan sistem".into();
    labels.items[3].label_en = "Reason matches the call and the system notes".into();
    labels
}

fn change(labels: &ChecklistLabels, password: &str, version: Option<i64>) -> Value {
    json!({ "items": labels.items, "reason": "Butir 1 dan 4 diperjelas setelah audit internal",
            "password": password, "version": version })
}

async fn put(app: &TestApp, token: &str, body: &Value) -> tests::Reply {
    app.request(Method::PUT, CHECKLIST, Some(token), Some(body)).await
}

fn with_version(body: Value, version: Option<i64>) -> Value {
    let mut body = body;
    body["checklist_version"] = json!(version);
    body
}

async fn two_cases(app: &TestApp, qrd: &str) -> (Case, Case, Case) {
    import_ok(
        app,
        qrd,
        &[
            "131000000301,Budi Santoso,CT-0,N+2,350.000,agent1,2025-03-03 09:00,janji bayar,2025-03-05,EB-301",
            "131000000302,Sri Wahyuni,PRANPC,N,350.000,agent2,2025-03-03 10:00,janji bayar,2025-03-05,EB-302",
            "131000000303,Ahmad Fauzi,PRANPC,N+1,350.000,agent3,2025-03-03 11:00,janji bayar,2025-03-05,EB-303",
        ],
    )
    .await;
    (
        case_of(app, qrd, "131000000301").await,
        case_of(app, qrd, "131000000302").await,
        case_of(app, qrd, "131000000303").await,
    )
}

async fn a_validation_keeps_the_wording_of_its_version(backend: Backend) {
    let app = spawn_app(backend).await;
    let (qco, qrd) = (app.token("qco1").await, app.token("qrd").await);
    let (first, second, third) = two_cases(&app, &qrd).await;

    // Version 1 is the wording in use when versions began (here the defaults), signed by nobody.
    let v1: ChecklistVersion = app.get(CHECKLIST, &qco).await.json();
    assert_eq!((v1.version, v1.labels()), (1, ChecklistLabels::default()));
    assert_eq!((v1.signed_by, v1.signer_name.as_deref(), v1.signer_role), (None, None, None));
    assert!(!v1.reason.is_empty());

    // A QCO validates under version 1 and names it.
    let reply =
        app.post(&format!("/api/cases/{}/validation", first.id), Some(&qco), &with_version(approve(), Some(1))).await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.body);
    let made: Case = reply.json();
    let validation = made.validation.expect("the validation");
    assert_eq!(validation.checklist_version, Some(1));
    assert_eq!(validation.checklist_wording, Some(ChecklistLabels::default()));

    // The coordinator signs version 2.
    let signer = app.login("qrd", DEMO_PASSWORD).await.user;
    let reply = put(&app, &qrd, &change(&reworded(), DEMO_PASSWORD, Some(1))).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    let v2: ChecklistVersion = reply.json();
    assert_eq!((v2.version, v2.labels()), (2, reworded()));
    assert_eq!(v2.signed_by, Some(signer.id));
    assert_eq!(v2.signer_name.as_deref(), Some(signer.full_name.as_str()));
    assert_eq!(v2.signer_role, Some(domain::Role::QcCoordinator));
    assert_eq!(v2.reason, "Butir 1 dan 4 diperjelas setelah audit internal");
    assert_eq!(app.get(CHECKLIST, &qco).await.json::<ChecklistVersion>(), v2);

    // The earlier validation still shows version 1's exact wording, in both languages, to
    // everyone who sees the case.
    for who in ["qco1", "qrd", "agent1", "tl1", "manager"] {
        let case: Case = app.get(&format!("/api/cases/{}", first.id), &app.token(who).await).await.json();
        let validation = case.validation.expect("validated");
        assert_eq!(validation.checklist_version, Some(1), "{who}");
        assert_eq!(validation.checklist_wording, Some(ChecklistLabels::default()), "{who}");
    }

    // A QCO who ticked version 1 after version 2 was signed: 409, nothing recorded.
    let before = app.count("validations").await;
    let reply =
        app.post(&format!("/api/cases/{}/validation", second.id), Some(&qco), &with_version(approve(), Some(1))).await;
    assert_eq!(reply.status, StatusCode::CONFLICT, "{}", reply.body);
    assert_eq!(reply.error(), "checklist_changed");
    assert_eq!(app.count("validations").await, before);
    let still: Case = app.get(&format!("/api/cases/{}", second.id), &qco).await.json();
    assert_eq!(still.status, domain::cases::CaseStatus::Pending);
    // With the version in force it is recorded, with that wording; without one, the version in
    // force is recorded.
    let reply =
        app.post(&format!("/api/cases/{}/validation", second.id), Some(&qco), &with_version(approve(), Some(2))).await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.body);
    let validation = reply.json::<Case>().validation.unwrap();
    assert_eq!((validation.checklist_version, validation.checklist_wording), (Some(2), Some(reworded())));
    let reply = app.post(&format!("/api/cases/{}/validation", third.id), Some(&qco), &approve()).await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.body);
    assert_eq!(reply.json::<Case>().validation.unwrap().checklist_version, Some(2));
    assert_eq!(app.count("validations WHERE checklist_version = 2").await, 2);
    // Lists carry the version, not the wording.
    let list: Page<Case> = app.get("/api/cases?status=approved&from=2025-03-01&to=2025-03-31", &qco).await.json();
    let listed = list.items.iter().find(|c| c.id == first.id).and_then(|c| c.validation.clone()).unwrap();
    assert_eq!((listed.checklist_version, listed.checklist_wording), (Some(1), None));

    // The audit entry names both versions, both wordings and the reason, and no password.
    let entry = "audit_log WHERE action = 'checklist.version_signed' AND entity_id = '2'";
    assert_eq!(app.count(entry).await, 1);
    for part in [
        r#""from_version":1"#,
        r#""to_version":2"#,
        "Customer identity verified",
        "Customer name and service number matched",
        "setelah audit internal",
    ] {
        assert_eq!(app.count(&format!("{entry} AND payload LIKE '%{part}%'")).await, 1, "{part}");
    }
    assert_eq!(app.count(&format!("audit_log WHERE payload LIKE '%{DEMO_PASSWORD}%'")).await, 0);
    assert_eq!(
        app.count("audit_log WHERE action = 'case.validated' AND payload LIKE '%\"checklist_version\":2%'").await,
        2
    );

    // A validation recorded before wording versions has none, and no wording is claimed for it.
    app.sql(&format!("UPDATE validations SET checklist_version = NULL WHERE case_id = {}", first.id)).await.unwrap();
    let old = app.get(&format!("/api/cases/{}", first.id), &qco).await.json::<Case>().validation.unwrap();
    assert_eq!((old.checklist_version, old.checklist_wording), (None, None));
}

async fn a_wrong_password_or_another_role_signs_nothing(backend: Backend) {
    let app = spawn_app(backend).await;
    let qrd = app.token("qrd").await;
    let signed = "audit_log WHERE action = 'checklist.version_signed'";

    // Other roles, even with their own right password: 403.
    for who in ["qco1", "admin", "manager", "tl1", "agent1", "dc"] {
        let reply = put(&app, &app.token(who).await, &change(&reworded(), DEMO_PASSWORD, Some(1))).await;
        assert_eq!(reply.status, StatusCode::FORBIDDEN, "{who}: {}", reply.body);
    }
    nothing_signed(&app).await;

    // The coordinator with a wrong password: the documents' refusal, audited as a failed
    // re-authentication for this purpose; nothing else changes.
    let failures = "audit_log WHERE action = 'auth.reauth_failed' AND payload LIKE '%checklist.sign%'";
    let reply = put(&app, &qrd, &change(&reworded(), "not-the-password-1", Some(1))).await;
    assert_eq!((reply.status, reply.error()), (StatusCode::UNAUTHORIZED, "wrong_password"), "{}", reply.body);
    assert_eq!(app.count(failures).await, 1);
    nothing_signed(&app).await;

    // The same wording again is no new version; a reason is required; a stale version is 409.
    // These are refused before the password is looked at (as a document's signature is).
    let reply = put(&app, &qrd, &change(&ChecklistLabels::default(), "not-the-password-1", Some(1))).await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", reply.body);
    assert_eq!(reply.body["fields"]["items"], "unchanged");
    let mut no_reason = change(&reworded(), "not-the-password-1", Some(1));
    no_reason["reason"] = json!("  ");
    let reply = put(&app, &qrd, &no_reason).await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", reply.body);
    assert_eq!(reply.body["fields"]["reason"], "required");
    let reply = put(&app, &qrd, &change(&reworded(), "not-the-password-1", Some(7))).await;
    assert_eq!((reply.status, reply.error()), (StatusCode::CONFLICT, "checklist_changed"), "{}", reply.body);
    assert_eq!(app.count(failures).await, 1);
    nothing_signed(&app).await;

    // Signed: version 2; editing version 1 again is now stale.
    let reply = put(&app, &qrd, &change(&reworded(), DEMO_PASSWORD, Some(1))).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    let mut again = reworded();
    again.items[1].label_en = "Amount and due date stated correctly".into();
    let reply = put(&app, &qrd, &change(&again, DEMO_PASSWORD, Some(1))).await;
    assert_eq!((reply.status, reply.error()), (StatusCode::CONFLICT, "checklist_changed"), "{}", reply.body);
    assert_eq!(app.count("checklist_versions").await, 2);
    assert_eq!(app.count(signed).await, 1);
}

/// One version (the first), no signing entry, and the first wording in force.
async fn nothing_signed(app: &TestApp) {
    assert_eq!(app.count("checklist_versions").await, 1);
    assert_eq!(app.count("audit_log WHERE action = 'checklist.version_signed'").await, 0);
    let now: ChecklistVersion = app.get(CHECKLIST, &app.token("qco1").await).await.json();
    assert_eq!((now.version, now.labels()), (1, ChecklistLabels::default()));
}

async fn versions_are_listed_newest_first_and_paged(backend: Backend) {
    let app = spawn_app(backend).await;
    let qrd = app.token("qrd").await;
    let mut labels = reworded();
    for (n, text) in ["Amount and due date stated correctly", "Amount and payment date confirmed"].iter().enumerate() {
        labels.items[1].label_en = (*text).into();
        let reply = put(&app, &qrd, &change(&labels, DEMO_PASSWORD, Some(n as i64 + 1))).await;
        assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    }
    let agent = app.token("agent1").await;
    let page: Page<ChecklistVersion> = app.get(&format!("{CHECKLIST}/versions?limit=2"), &agent).await.json();
    assert_eq!(page.items.iter().map(|v| v.version).collect::<Vec<_>>(), [3, 2]);
    assert_eq!(page.items[0].items[1].label_en, "Amount and payment date confirmed");
    assert_eq!(page.items[1].items[1].label_en, "Amount and due date stated correctly");
    let cursor = page.next_cursor.expect("a further page");
    let rest: Page<ChecklistVersion> =
        app.get(&format!("{CHECKLIST}/versions?limit=2&cursor={cursor}"), &agent).await.json();
    assert_eq!(rest.items.iter().map(|v| v.version).collect::<Vec<_>>(), [1]);
    assert_eq!(
        (rest.items[0].labels(), rest.items[0].signed_by, rest.next_cursor),
        (ChecklistLabels::default(), None, None)
    );
    // The in-force answer is the newest version.
    assert_eq!(app.get(CHECKLIST, &agent).await.json::<ChecklistVersion>(), page.items[0]);
    // Bounded like every list; the roles that see no cases see no versions either.
    let reply = app.get(&format!("{CHECKLIST}/versions?limit=501"), &agent).await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(app.get(&format!("{CHECKLIST}/versions"), &app.token("dc").await).await.status, StatusCode::FORBIDDEN);
}

/// An install whose coordinator had saved wording before versions began keeps it as version 1.
async fn the_first_version_carries_over_the_saved_wording(backend: Backend) {
    use migrations::MigratorTrait;
    let url = fresh_database(backend).await;
    let conn = Database::connect(url.as_str()).await.unwrap();
    let all = migrations::Migrator::migrations();
    let before = all.iter().position(|m| m.name() == "m20261206_000001_checklist_versions").unwrap();
    migrations::Migrator::up(&conn, Some(before as u32)).await.unwrap();
    // As the old editor saved it (any order of items).
    let mut saved = reworded();
    saved.items.reverse();
    let value = serde_json::to_string(&saved).unwrap().replace('\'', "''");
    conn.execute_unprepared(&format!(r#"INSERT INTO "settings" ("key", "value") VALUES ('w04_checklist', '{value}')"#))
        .await
        .unwrap();
    migrations::Migrator::up(&conn, None).await.unwrap();
    let backend_kind = conn.get_database_backend();
    let rows = conn
        .query_all_raw(Statement::from_string(
            backend_kind,
            "SELECT version, items, signed_by, signer_name, reason FROM checklist_versions",
        ))
        .await
        .unwrap();
    assert_eq!(rows.len(), 1);
    let row = &rows[0];
    assert_eq!(row.try_get::<i32>("", "version").unwrap(), 1);
    let items: ChecklistLabels = serde_json::from_str(&row.try_get::<String>("", "items").unwrap()).unwrap();
    assert_eq!(items, reworded(), "the saved wording, in the items' order");
    assert_eq!(row.try_get::<Option<i32>>("", "signed_by").unwrap(), None);
    assert_eq!(row.try_get::<Option<String>>("", "signer_name").unwrap(), None);
    assert!(row.try_get::<String>("", "reason").unwrap().contains("carried over"));
    conn.close().await.ok();
}
