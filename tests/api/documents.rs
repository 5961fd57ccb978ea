//! Document control: the seed in the register, the signed DC → QRD → manager workflow, effective
//! dates (with a controllable clock), in-force lookups, diffs and read confirmations.

use chrono::{Duration, Utc};
use domain::api::{AcknowledgementStatus, DocumentDetail, DocumentSummary, Page, Revision, RevisionDiff};
use domain::documents::RevisionStatus;
use mutu_backend::documents::service::apply_effective_dates;
use reqwest::{Method, StatusCode};
use serde_json::json;
use tests::{Backend, DEMO_PASSWORD, TestApp, on_both_databases, spawn_app};

const P01: &str = "OB.IN.OCC.TELK.P-01";

on_both_databases!(
    the_seed_sop_is_in_the_register_with_its_paper_signatures,
    a_revision_goes_from_draft_to_effective_by_three_signatures,
    a_wrong_password_changes_nothing,
    one_person_cannot_sign_two_steps,
    returning_needs_a_reason_and_voids_the_signatures,
    steps_out_of_order_or_by_the_wrong_role_are_refused,
    drafts_are_hidden_from_readers,
    documents_are_registered_with_valid_codes_only,
    readers_confirm_the_effective_revision,
    approval_for_today_takes_effect_at_once_and_past_dates_are_refused,
    my_tasks_show_what_waits_for_each_person,
    children_are_flagged_when_their_parent_changes,
);

/// Tomorrow in the site's zone (WIB, UTC+7, the test server's default): between 17:00 and 24:00
/// UTC the UTC date is already the site's today.
fn tomorrow() -> String {
    (Utc::now() + Duration::hours(7) + Duration::days(1)).format("%Y-%m-%d").to_string()
}

/// DC drafts Rev.01 with a changed body, submits; QRD checks; the manager approves for tomorrow.
async fn approved_rev01(app: &TestApp) -> Revision {
    let dc = app.token("dc").await;
    let qrd = app.token("qrd").await;
    let manager = app.token("manager").await;
    let path = format!("/api/documents/{P01}/revisions");
    let draft = app.post(&path, Some(&dc), &json!({ "change_description": "Menambah catatan tentang MyCX." })).await;
    assert_eq!(draft.status, StatusCode::CREATED, "{}", draft.body);
    let draft: Revision = draft.json();
    assert_eq!((draft.rev, draft.label.as_str(), draft.status), (1, "Rev.01", RevisionStatus::Draft));
    let body = format!("{}12.1. Agent wajib memperbarui data pelanggan di MyCX.\n", draft.body);
    let edited = app.patch(&format!("{path}/1"), &dc, &json!({ "version": draft.version, "body": body })).await;
    assert_eq!(edited.status, StatusCode::OK, "{}", edited.body);
    let submitted = app.post(&format!("{path}/1/submit"), Some(&dc), &json!({ "password": DEMO_PASSWORD })).await;
    assert_eq!(submitted.status, StatusCode::OK, "{}", submitted.body);
    assert_eq!(submitted.body["status"], "in_review");
    let checked = app
        .post(
            &format!("{path}/1/review"),
            Some(&qrd),
            &json!({ "decision": "approve", "comment": "", "password": DEMO_PASSWORD }),
        )
        .await;
    assert_eq!(checked.status, StatusCode::OK, "{}", checked.body);
    assert_eq!(checked.body["status"], "checked");
    let approved = app
        .post(&format!("{path}/1/approve"), Some(&manager), &json!({ "decision": "approve", "comment": "Setuju.", "password": DEMO_PASSWORD, "effective_date": tomorrow() }))
        .await;
    assert_eq!(approved.status, StatusCode::OK, "{}", approved.body);
    approved.json()
}

async fn the_seed_sop_is_in_the_register_with_its_paper_signatures(backend: Backend) {
    let app = spawn_app(backend).await;
    let agent = app.token("agent1").await;
    let register: Page<DocumentSummary> = app.get("/api/documents", &agent).await.json();
    assert_eq!(register.items.len(), 6);
    let forms: Page<DocumentSummary> = app.get("/api/documents?kind=form", &agent).await.json();
    assert_eq!(
        forms.items.iter().map(|d| d.code.as_str()).collect::<Vec<_>>(),
        ["OB.IN.QCC.TELK.F-18", "OB.IN.QCC.TELK.F-19"]
    );
    let found: Page<DocumentSummary> = app.get("/api/documents?q=TAPPING", &agent).await.json();
    assert_eq!(found.items[0].code, "OB.IN.QCC.TELK.W-04");

    let p01: DocumentDetail = app.get(&format!("/api/documents/{P01}"), &agent).await.json();
    assert_eq!(p01.children.len(), 5);
    let effective = p01.effective_revision.expect("Rev.00 is effective");
    assert_eq!((effective.label.as_str(), effective.effective_date.as_deref()), ("Rev.00", Some("2022-10-13")));
    let f18: DocumentDetail = app.get("/api/documents/OB.IN.QCC.TELK.F-18", &agent).await.json();
    assert_eq!((f18.retention_months, f18.record_owner.as_deref()), (Some(24), Some("Quality Control")));
    assert_eq!(f18.parent_code.as_deref(), Some(P01));

    let rev0: Revision = app.get(&format!("/api/documents/{P01}/revisions/0"), &agent).await.json();
    assert_eq!(rev0.reference, "OB.IN.OCC.TELK.P-01.Rev.00");
    assert!(rev0.body.contains("Klausul 8.2.1 ISO 9001:2015"));
    let block: Vec<(String, &str, &str, &str)> = rev0
        .signatures
        .iter()
        .map(|s| {
            (
                serde_json::to_value(s.meaning).unwrap().as_str().unwrap().to_owned(),
                s.name.as_str(),
                s.position.as_str(),
                s.source.as_str(),
            )
        })
        .collect();
    assert_eq!(
        block,
        [
            ("prepared".to_owned(), "Andika Ardiansah", "DC Area", "paper"),
            ("checked".to_owned(), "Sukron Azis", "Koordinator QRD", "paper"),
            ("approved".to_owned(), "Mokh.arifin", "Manager", "paper"),
        ]
    );
    assert_eq!(rev0.signatures[2].signed_at, "2022-10-11T17:00:00.000000Z", "12 Oktober 2022, 00:00 WIB");
    assert_eq!(rev0.history.len(), 1);
    assert_eq!(rev0.history[0].effective_date.as_deref(), Some("2022-10-13"));
}

async fn a_revision_goes_from_draft_to_effective_by_three_signatures(backend: Backend) {
    let app = spawn_app(backend).await;
    let approved = approved_rev01(&app).await;
    assert_eq!(approved.status, RevisionStatus::Approved);
    let names: Vec<&str> = approved.signatures.iter().map(|s| s.name.as_str()).collect();
    assert_eq!(names, ["Andika Ardiansah", "Sukron Azis", "Mokh.arifin"]);
    assert!(approved.signatures.iter().all(|s| s.source.as_str() == "electronic" && s.content_sha256.len() == 64));
    assert_eq!(
        approved.signatures[0].content_sha256, approved.signatures[1].content_sha256,
        "preparer and checker sign the same content"
    );

    // Not yet: the effective date is tomorrow. Run the switch with a clock we control.
    assert_eq!(apply_effective_dates(&app.app.state, Utc::now()).await.unwrap(), 0);
    let reader = app.token("agent2").await;
    assert_eq!(app.get(&format!("/api/documents/{P01}/revisions/1"), &reader).await.status, StatusCode::NOT_FOUND);
    let later = Utc::now() + Duration::days(2);
    assert_eq!(apply_effective_dates(&app.app.state, later).await.unwrap(), 1);
    assert_eq!(apply_effective_dates(&app.app.state, later).await.unwrap(), 0, "idempotent");

    let rev1: Revision = app.get(&format!("/api/documents/{P01}/revisions/1"), &reader).await.json();
    assert_eq!(rev1.status, RevisionStatus::Effective);
    let rev0: Revision = app.get(&format!("/api/documents/{P01}/revisions/0"), &reader).await.json();
    assert_eq!(rev0.status, RevisionStatus::Superseded);
    assert_eq!(rev0.superseded_at, rev1.effective_at);
    assert_eq!(rev1.history.iter().map(|h| h.label.as_str()).collect::<Vec<_>>(), ["Rev.00", "Rev.01"]);
    let detail: DocumentDetail = app.get(&format!("/api/documents/{P01}"), &reader).await.json();
    assert_eq!(detail.effective_revision.map(|e| e.rev), Some(1));

    let in_2023: Revision =
        app.get(&format!("/api/documents/{P01}/in-force?at=2023-01-01T00:00:00Z"), &reader).await.json();
    assert_eq!(in_2023.rev, 0);
    let at = (later + Duration::hours(1)).to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
    let now_in_force: Revision = app.get(&format!("/api/documents/{P01}/in-force?at={at}"), &reader).await.json();
    assert_eq!(now_in_force.rev, 1);
    assert_eq!(
        app.get(&format!("/api/documents/{P01}/in-force?at=2020-01-01"), &reader).await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        app.get(&format!("/api/documents/{P01}/in-force?at=kemarin"), &reader).await.status,
        StatusCode::UNPROCESSABLE_ENTITY
    );

    let diff: RevisionDiff = app.get(&format!("/api/documents/{P01}/revisions/1/diff?against=0"), &reader).await.json();
    assert_eq!((diff.inserted, diff.deleted), (1, 0));
    assert!(diff.lines.iter().any(|l| l.tag == "insert" && l.text.contains("12.1. Agent wajib")));

    let admin = app.token("admin").await;
    let audit = app.get("/api/audit?entity=revision", &admin).await;
    let actions: Vec<&str> =
        audit.body["items"].as_array().unwrap().iter().map(|e| e["action"].as_str().unwrap()).collect();
    for expected in [
        "revision.created",
        "revision.edited",
        "revision.submitted",
        "revision.checked",
        "revision.approved",
        "revision.effective",
        "revision.superseded",
    ] {
        assert!(actions.contains(&expected), "{expected} in {actions:?}");
    }
    let verify = app.get("/api/audit/verify", &admin).await;
    assert_eq!(verify.body["ok"], true);
}

async fn a_wrong_password_changes_nothing(backend: Backend) {
    let app = spawn_app(backend).await;
    let dc = app.token("dc").await;
    let path = format!("/api/documents/{P01}/revisions");
    app.post(&path, Some(&dc), &json!({ "change_description": "Perubahan kecil." })).await;
    let audit_before = app.count("audit_log").await;
    let wrong = app.post(&format!("{path}/1/submit"), Some(&dc), &json!({ "password": "bukan-sandinya" })).await;
    assert_eq!(wrong.status, StatusCode::UNAUTHORIZED);
    assert_eq!(wrong.error(), "wrong_password");
    let still: Revision = app.get(&format!("{path}/1"), &dc).await.json();
    assert_eq!(still.status, RevisionStatus::Draft);
    assert!(still.signatures.is_empty());
    // The only trace is the audited failed attempt (it also counts towards the lock-out).
    assert_eq!(app.count("audit_log").await, audit_before + 1);
    let admin = app.token("admin").await;
    let last = app.get("/api/audit?limit=5", &admin).await;
    let failed = last.body["items"].as_array().unwrap().iter().find(|e| e["action"] != "auth.login").unwrap().clone();
    assert_eq!(failed["action"], "auth.reauth_failed");
    assert_eq!(failed["payload"]["purpose"], "revision.submit");
}

async fn one_person_cannot_sign_two_steps(backend: Backend) {
    let app = spawn_app(backend).await;
    let admin = app.token("admin").await;
    let path = format!("/api/documents/{P01}/revisions");
    app.post(&path, Some(&admin), &json!({ "change_description": "Admin menyiapkan." })).await;
    let submitted = app.post(&format!("{path}/1/submit"), Some(&admin), &json!({ "password": DEMO_PASSWORD })).await;
    assert_eq!(submitted.status, StatusCode::OK);
    let check = app
        .post(&format!("{path}/1/review"), Some(&admin), &json!({ "decision": "approve", "password": DEMO_PASSWORD }))
        .await;
    assert_eq!(check.status, StatusCode::FORBIDDEN);
    assert_eq!(check.error(), "segregation_of_duties");
    let qrd = app.token("qrd").await;
    let checked = app
        .post(&format!("{path}/1/review"), Some(&qrd), &json!({ "decision": "approve", "password": DEMO_PASSWORD }))
        .await;
    assert_eq!(checked.status, StatusCode::OK);
    let approve = app
        .post(
            &format!("{path}/1/approve"),
            Some(&admin),
            &json!({ "decision": "approve", "password": DEMO_PASSWORD, "effective_date": tomorrow() }),
        )
        .await;
    assert_eq!(approve.error(), "segregation_of_duties");
}

async fn returning_needs_a_reason_and_voids_the_signatures(backend: Backend) {
    let app = spawn_app(backend).await;
    let (dc, qrd) = (app.token("dc").await, app.token("qrd").await);
    let path = format!("/api/documents/{P01}/revisions");
    app.post(&path, Some(&dc), &json!({ "change_description": "Revisi uji." })).await;
    app.post(&format!("{path}/1/submit"), Some(&dc), &json!({ "password": DEMO_PASSWORD })).await;
    let no_reason = app
        .post(
            &format!("{path}/1/review"),
            Some(&qrd),
            &json!({ "decision": "return", "comment": " ", "password": DEMO_PASSWORD }),
        )
        .await;
    assert_eq!(no_reason.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(no_reason.body["fields"]["comment"], "required");
    let returned = app
        .post(
            &format!("{path}/1/review"),
            Some(&qrd),
            &json!({ "decision": "return", "comment": "Bagian 8 belum lengkap.", "password": DEMO_PASSWORD }),
        )
        .await;
    assert_eq!(returned.status, StatusCode::OK);
    let returned: Revision = returned.json();
    assert_eq!(returned.status, RevisionStatus::Draft);
    assert_eq!(returned.return_comment.as_deref(), Some("Bagian 8 belum lengkap."));
    assert!(returned.signatures.iter().all(|s| s.void));
    // The DC fixes it and signs again.
    let again = app.post(&format!("{path}/1/submit"), Some(&dc), &json!({ "password": DEMO_PASSWORD })).await;
    assert_eq!(again.status, StatusCode::OK);
    assert_eq!(again.body["return_comment"], serde_json::Value::Null);
}

async fn steps_out_of_order_or_by_the_wrong_role_are_refused(backend: Backend) {
    let app = spawn_app(backend).await;
    let (dc, qco, manager) = (app.token("dc").await, app.token("qco1").await, app.token("manager").await);
    let path = format!("/api/documents/{P01}/revisions");
    assert_eq!(app.post(&path, Some(&qco), &json!({ "change_description": "x" })).await.status, StatusCode::FORBIDDEN);
    let draft: Revision = app.post(&path, Some(&dc), &json!({ "change_description": "Uji urutan." })).await.json();
    assert_eq!(
        app.post(&path, Some(&dc), &json!({ "change_description": "Kedua." })).await.error(),
        "revision_in_progress"
    );
    let early = app
        .post(
            &format!("{path}/1/approve"),
            Some(&manager),
            &json!({ "decision": "approve", "password": DEMO_PASSWORD, "effective_date": tomorrow() }),
        )
        .await;
    assert_eq!(early.status, StatusCode::CONFLICT);
    assert_eq!(early.error(), "wrong_state");
    let by_manager = app.post(&format!("{path}/1/submit"), Some(&manager), &json!({ "password": DEMO_PASSWORD })).await;
    assert_eq!(by_manager.status, StatusCode::FORBIDDEN);
    let stale =
        app.patch(&format!("{path}/1"), &dc, &json!({ "version": draft.version + 5, "title": "Judul baru" })).await;
    assert_eq!(stale.error(), "stale_version");
    app.post(&format!("{path}/1/submit"), Some(&dc), &json!({ "password": DEMO_PASSWORD })).await;
    let edit_in_review =
        app.patch(&format!("{path}/1"), &dc, &json!({ "version": draft.version + 1, "title": "Judul baru" })).await;
    assert_eq!(edit_in_review.status, StatusCode::CONFLICT);
    let unknown = app
        .post(
            &format!("{path}/1/review"),
            Some(&app.token("qrd").await),
            &json!({ "decision": "maybe", "password": DEMO_PASSWORD }),
        )
        .await;
    assert_eq!(unknown.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        app.post(&format!("{path}/9/submit"), Some(&dc), &json!({ "password": DEMO_PASSWORD })).await.status,
        StatusCode::NOT_FOUND
    );
}

async fn drafts_are_hidden_from_readers(backend: Backend) {
    let app = spawn_app(backend).await;
    let dc = app.token("dc").await;
    app.post(&format!("/api/documents/{P01}/revisions"), Some(&dc), &json!({ "change_description": "Draf rahasia." }))
        .await;
    for reader in ["agent1", "qco1", "tl1"] {
        let token = app.token(reader).await;
        assert_eq!(
            app.get(&format!("/api/documents/{P01}/revisions/1"), &token).await.status,
            StatusCode::NOT_FOUND,
            "{reader}"
        );
        let detail: DocumentDetail = app.get(&format!("/api/documents/{P01}"), &token).await.json();
        assert_eq!(detail.revisions.len(), 1, "{reader} sees only Rev.00");
    }
    for role_user in ["dc", "qrd", "manager", "admin"] {
        let token = app.token(role_user).await;
        assert_eq!(
            app.get(&format!("/api/documents/{P01}/revisions/1"), &token).await.status,
            StatusCode::OK,
            "{role_user}"
        );
    }
}

async fn documents_are_registered_with_valid_codes_only(backend: Backend) {
    let app = spawn_app(backend).await;
    let dc = app.token("dc").await;
    let ok = app.post("/api/documents", Some(&dc), &json!({ "code": "OB.IN.QCC.TELK.W-05", "kind": "work_instruction", "title": "KALIBRASI QCO", "parent_code": P01 })).await;
    assert_eq!(ok.status, StatusCode::CREATED, "{}", ok.body);
    let detail: DocumentDetail = ok.json();
    assert!(detail.revisions.is_empty());
    let dup = app
        .post(
            "/api/documents",
            Some(&dc),
            &json!({ "code": "OB.IN.QCC.TELK.W-05", "kind": "work_instruction", "title": "Lagi" }),
        )
        .await;
    assert_eq!(dup.status, StatusCode::CONFLICT);
    let cases = [
        (json!({ "code": "OB.IN.QCC.TELK.F-20", "kind": "procedure", "title": "X" }), "code"),
        (json!({ "code": "ob.in.P-02", "kind": "procedure", "title": "X" }), "code"),
        (json!({ "code": "OB.IN.OCC.TELK.P-01.Rev.01", "kind": "procedure", "title": "X" }), "code"),
        (
            json!({ "code": "OB.IN.QCC.TELK.F-20", "kind": "form", "title": "Form tanpa masa simpan" }),
            "retention_months",
        ),
        (
            json!({ "code": "OB.IN.QCC.TELK.W-09", "kind": "work_instruction", "title": "X", "parent_code": "OB.NOPE.P-99" }),
            "parent_code",
        ),
        (json!({ "code": "OB.IN.QCC.TELK.W-09", "kind": "memo", "title": "X" }), "kind"),
        (
            json!({ "code": "OB.IN.QCC.TELK.W-09", "kind": "work_instruction", "title": "<script>alert(1)</script>" }),
            "title",
        ),
    ];
    for (body, field) in cases {
        let reply = app.post("/api/documents", Some(&dc), &body).await;
        assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        assert!(reply.body["fields"][field].is_string(), "{field}: {}", reply.body);
    }
    let agent = app.token("agent1").await;
    assert_eq!(
        app.post("/api/documents", Some(&agent), &json!({ "code": "OB.X.P-03", "kind": "procedure", "title": "X" }))
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(app.get("/api/documents/OB.NOPE.P-99", &agent).await.status, StatusCode::NOT_FOUND);
}

async fn readers_confirm_the_effective_revision(backend: Backend) {
    let app = spawn_app(backend).await;
    let agent = app.token("agent1").await;
    let path = format!("/api/documents/{P01}/revisions/0");
    let before: Revision = app.get(&path, &agent).await.json();
    assert!(!before.acknowledged);
    let ack = app.request::<()>(Method::POST, &format!("{path}/acknowledge"), Some(&agent), None).await;
    assert_eq!(ack.status, StatusCode::NO_CONTENT);
    let twice = app.request::<()>(Method::POST, &format!("{path}/acknowledge"), Some(&agent), None).await;
    assert_eq!(twice.status, StatusCode::NO_CONTENT);
    let after: Revision = app.get(&path, &agent).await.json();
    assert!(after.acknowledged);

    let qrd = app.token("qrd").await;
    let status: AcknowledgementStatus = app.get(&format!("{path}/acknowledgements"), &qrd).await.json();
    assert_eq!(status.acknowledged.iter().map(|a| a.user.username.as_str()).collect::<Vec<_>>(), ["agent1"]);
    assert_eq!(status.pending.len(), 10);
    assert_eq!(app.get(&format!("{path}/acknowledgements"), &agent).await.status, StatusCode::FORBIDDEN);

    let dc = app.token("dc").await;
    app.post(&format!("/api/documents/{P01}/revisions"), Some(&dc), &json!({ "change_description": "Draf." })).await;
    let draft_ack = app
        .request::<()>(Method::POST, &format!("/api/documents/{P01}/revisions/1/acknowledge"), Some(&dc), None)
        .await;
    assert_eq!(draft_ack.error(), "not_effective");
    let admin = app.token("admin").await;
    let acks = app.get("/api/audit?entity=revision", &admin).await;
    let count =
        acks.body["items"].as_array().unwrap().iter().filter(|e| e["action"] == "revision.acknowledged").count();
    assert_eq!(count, 1, "confirming twice is audited once");
}

async fn approval_for_today_takes_effect_at_once_and_past_dates_are_refused(backend: Backend) {
    let app = spawn_app(backend).await;
    let (dc, qrd, manager) = (app.token("dc").await, app.token("qrd").await, app.token("manager").await);
    let path = format!("/api/documents/{P01}/revisions");
    app.post(&path, Some(&dc), &json!({ "change_description": "Berlaku hari ini." })).await;
    app.post(&format!("{path}/1/submit"), Some(&dc), &json!({ "password": DEMO_PASSWORD })).await;
    app.post(&format!("{path}/1/review"), Some(&qrd), &json!({ "decision": "approve", "password": DEMO_PASSWORD }))
        .await;
    let past = app
        .post(
            &format!("{path}/1/approve"),
            Some(&manager),
            &json!({ "decision": "approve", "password": DEMO_PASSWORD, "effective_date": "2020-01-01" }),
        )
        .await;
    assert_eq!(past.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(past.body["fields"]["effective_date"], "in_past");
    let missing = app
        .post(
            &format!("{path}/1/approve"),
            Some(&manager),
            &json!({ "decision": "approve", "password": DEMO_PASSWORD }),
        )
        .await;
    assert_eq!(missing.body["fields"]["effective_date"], "required");
    // "Today" in the site's zone (WIB).
    let today = (Utc::now() + Duration::hours(7)).format("%Y-%m-%d").to_string();
    let approved = app
        .post(
            &format!("{path}/1/approve"),
            Some(&manager),
            &json!({ "decision": "approve", "password": DEMO_PASSWORD, "effective_date": today }),
        )
        .await;
    assert_eq!(approved.status, StatusCode::OK, "{}", approved.body);
    assert_eq!(approved.body["status"], "effective");
    let old: Revision = app.get(&format!("{path}/0"), &manager).await.json();
    assert_eq!(old.status, RevisionStatus::Superseded);
}

async fn my_tasks_show_what_waits_for_each_person(backend: Backend) {
    let app = spawn_app(backend).await;
    let agent = app.token("agent1").await;
    let tasks: domain::api::MyTasks = app.get("/api/me/tasks", &agent).await.json();
    assert_eq!(tasks.to_read.len(), 6, "every effective revision is unread at first");
    assert!(tasks.drafts.is_empty() && tasks.to_check.is_empty() && tasks.to_approve.is_empty());
    app.request::<()>(Method::POST, &format!("/api/documents/{P01}/revisions/0/acknowledge"), Some(&agent), None).await;
    let tasks: domain::api::MyTasks = app.get("/api/me/tasks", &agent).await.json();
    assert_eq!(tasks.to_read.len(), 5);

    let (dc, qrd, manager) = (app.token("dc").await, app.token("qrd").await, app.token("manager").await);
    app.post(&format!("/api/documents/{P01}/revisions"), Some(&dc), &json!({ "change_description": "Tugas." })).await;
    let dc_tasks: domain::api::MyTasks = app.get("/api/me/tasks", &dc).await.json();
    assert_eq!(dc_tasks.drafts.len(), 1);
    app.post(&format!("/api/documents/{P01}/revisions/1/submit"), Some(&dc), &json!({ "password": DEMO_PASSWORD }))
        .await;
    let qrd_tasks: domain::api::MyTasks = app.get("/api/me/tasks", &qrd).await.json();
    assert_eq!(qrd_tasks.to_check.iter().map(|t| t.label.as_str()).collect::<Vec<_>>(), ["Rev.01"]);
    let manager_tasks: domain::api::MyTasks = app.get("/api/me/tasks", &manager).await.json();
    assert!(manager_tasks.to_approve.is_empty(), "not checked yet");
}

async fn children_are_flagged_when_their_parent_changes(backend: Backend) {
    let app = spawn_app(backend).await;
    let dc = app.token("dc").await;
    let none: Vec<domain::api::ReviewFlag> = app.get("/api/documents/review-flags", &dc).await.json();
    assert!(none.is_empty());
    approved_rev01(&app).await;
    apply_effective_dates(&app.app.state, Utc::now() + Duration::days(2)).await.unwrap();
    let flags: Vec<domain::api::ReviewFlag> = app.get("/api/documents/review-flags", &dc).await.json();
    assert_eq!(flags.len(), 5);
    assert!(flags.iter().all(|f| f.parent_code == P01));
    let agent = app.token("agent1").await;
    assert_eq!(app.get("/api/documents/review-flags", &agent).await.status, StatusCode::FORBIDDEN);
}

mod attachments {
    use super::*;
    use tests::on_both_databases;

    on_both_databases!(
        the_original_file_is_attached_by_content_and_kept_with_its_hash,
        oversized_and_wrong_files_are_refused
    );

    async fn upload(app: &TestApp, token: &str, rev: i32, name: &str, bytes: Vec<u8>) -> tests::Reply {
        app.upload(&format!("/api/documents/{P01}/revisions/{rev}/attachment"), token, name, bytes).await
    }

    /// A multipart upload of `size` bytes sent by hand. The server answers 413 and closes before
    /// the body is all sent, so an ordinary client may fail writing (broken pipe) instead of
    /// reading the answer; here the write errors are ignored and the answer is read.
    async fn upload_by_hand(app: &TestApp, token: &str, size: usize) -> String {
        use tokio::io::{AsyncReadExt, AsyncWriteExt};
        let boundary = "mutu-test-boundary";
        let head_part = format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"big.pdf\"\r\nContent-Type: application/pdf\r\n\r\n%PDF-1.7\n"
        );
        let tail_part = format!("\r\n--{boundary}--\r\n");
        let host = app.address.trim_start_matches("http://").to_owned();
        let mut stream = tokio::net::TcpStream::connect(&host).await.unwrap();
        let head = format!(
            "POST /api/documents/{P01}/revisions/1/attachment HTTP/1.1\r\nHost: {host}\r\nAuthorization: Bearer {token}\r\n\
             Content-Type: multipart/form-data; boundary={boundary}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{head_part}",
            head_part.len() + size + tail_part.len()
        );
        stream.write_all(head.as_bytes()).await.unwrap();
        let chunk = vec![b'x'; 64 * 1024];
        let mut sent = 0;
        while sent < size {
            if stream.write_all(&chunk).await.is_err() {
                break;
            }
            sent += chunk.len();
        }
        let _ = stream.write_all(tail_part.as_bytes()).await;
        let mut answer = Vec::new();
        let _ = stream.read_to_end(&mut answer).await;
        String::from_utf8_lossy(&answer).into_owned()
    }

    fn pdf() -> Vec<u8> {
        let mut bytes = b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n".to_vec();
        bytes.extend(std::iter::repeat_n(b'x', 4096));
        bytes.extend(b"\n%%EOF\n");
        bytes
    }

    async fn the_original_file_is_attached_by_content_and_kept_with_its_hash(backend: Backend) {
        let app = spawn_app(backend).await;
        let dc = app.token("dc").await;
        app.post(
            &format!("/api/documents/{P01}/revisions"),
            Some(&dc),
            &json!({ "change_description": "Dengan berkas asli." }),
        )
        .await;
        let reply = upload(&app, &dc, 1, "../../P-01 Rev.01.pdf", pdf()).await;
        assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.body);
        assert_eq!(reply.body["content_type"], "application/pdf");
        assert_eq!(reply.body["filename"], "P-01 Rev.01.pdf");
        let sha = reply.body["sha256"].as_str().unwrap().to_owned();
        let revision: Revision = app.get(&format!("/api/documents/{P01}/revisions/1"), &dc).await.json();
        assert_eq!(revision.attachment.as_ref().map(|a| a.sha256.as_str()), Some(sha.as_str()));
        let download = app.get_response(&format!("/api/documents/{P01}/revisions/1/attachment"), &dc).await;
        assert_eq!(download.status(), StatusCode::OK);
        assert_eq!(download.headers()["content-type"], "application/pdf");
        assert_eq!(download.bytes().await.unwrap().to_vec(), pdf());
        // Readers may not see the draft's file.
        let agent = app.token("agent1").await;
        let hidden = app.get_response(&format!("/api/documents/{P01}/revisions/1/attachment"), &agent).await;
        assert_eq!(hidden.status(), StatusCode::NOT_FOUND);
        // Only drafts take files.
        app.post(&format!("/api/documents/{P01}/revisions/1/submit"), Some(&dc), &json!({ "password": DEMO_PASSWORD }))
            .await;
        assert_eq!(upload(&app, &dc, 1, "late.pdf", pdf()).await.status, StatusCode::CONFLICT);
    }

    async fn oversized_and_wrong_files_are_refused(backend: Backend) {
        let app = spawn_app(backend).await;
        let dc = app.token("dc").await;
        app.post(
            &format!("/api/documents/{P01}/revisions"),
            Some(&dc),
            &json!({ "change_description": "Uji berkas." }),
        )
        .await;
        let exe = upload(&app, &dc, 1, "evil.pdf", b"MZ\x90\x00 not really a pdf".to_vec()).await;
        assert_eq!(exe.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(exe.body["fields"]["file"], "not_pdf_or_docx");
        let zip = upload(&app, &dc, 1, "x.docx", b"PK\x03\x04 just a zip, no word part".to_vec()).await;
        assert_eq!(zip.status, StatusCode::UNPROCESSABLE_ENTITY);
        let answer = upload_by_hand(&app, &dc, 51 * 1024 * 1024).await;
        assert!(answer.starts_with("HTTP/1.1 413"), "{}", &answer[..answer.len().min(200)]);
        assert!(answer.contains(r#""error":"payload_too_large""#), "{answer}");
        let agent = app.token("agent1").await;
        assert_eq!(upload(&app, &agent, 1, "a.pdf", pdf()).await.status, StatusCode::FORBIDDEN);
        let revision: Revision = app.get(&format!("/api/documents/{P01}/revisions/1"), &dc).await.json();
        assert!(revision.attachment.is_none(), "nothing stored");
        // JSON routes keep their 1 MiB limit.
        let huge_json = json!({ "change_description": "x".repeat(2 * 1024 * 1024) });
        let reply = app.patch(&format!("/api/documents/{P01}/revisions/1"), &dc, &huge_json).await;
        assert_eq!(reply.status, StatusCode::PAYLOAD_TOO_LARGE);
    }
}
