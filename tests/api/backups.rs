//! The backup register as the admin reads it: `GET /api/admin/backups` lists each backup made
//! of the database with its last verification; every other role gets 404. (The `mutu backup`
//! and `mutu restore` commands themselves are tested on the real binary in
//! `backend/tests/backup.rs`.)

use mutu_backend::backup::{self, register};
use reqwest::StatusCode;
use tests::{Backend, on_both_databases, scratch_dir, spawn_app};

/// The routes this part adds to the OpenAPI document, all called below (see `http.rs`).
pub const ROUTES: &[&str] = &["GET /api/admin/backups"];

on_both_databases!(the_admin_sees_each_backup_with_its_last_verification_and_other_roles_get_404);

async fn the_admin_sees_each_backup_with_its_last_verification_and_other_roles_get_404(backend: Backend) {
    let app = spawn_app(backend).await;
    let admin = app.token("admin").await;
    let before = app.get("/api/admin/backups", &admin).await;
    assert_eq!(before.status, StatusCode::OK);
    assert_eq!(before.body, serde_json::json!([]));

    let file = scratch_dir("backups").join(format!("{}.zip", uuid::Uuid::new_v4().simple()));
    let state = &app.app.state;
    let made = backup::backup(state, &file).await.expect("a backup");
    let verified = backup::verify(&file, state.audit.key.clone()).await.map_err(|f| f.error).expect("it verifies");
    let outcome = register::Outcome { kind: "verify", problem: None, rows_total: verified.rows };
    assert!(register::record_verification(state, &made.manifest.archive_id, &outcome).await.unwrap());
    std::fs::remove_file(&file).ok();

    let listed = app.get("/api/admin/backups", &admin).await;
    assert_eq!(listed.status, StatusCode::OK);
    let entries: Vec<domain::backups::BackupEntry> = listed.json();
    assert_eq!(entries.len(), 1);
    let entry = &entries[0];
    assert_eq!(entry.archive_id, made.manifest.archive_id);
    assert_eq!(entry.origin, "made");
    assert_eq!(entry.size_bytes, i64::try_from(made.size).unwrap());
    assert_eq!(entry.manifest_sha256, made.manifest_sha256);
    assert_eq!(entry.audit_head, made.manifest.audit.head);
    assert_eq!(entry.rows_total, i64::try_from(verified.rows).unwrap());
    assert!(entry.rows_total > 1000, "the demo data is in it: {}", entry.rows_total);
    let check = entry.last_check.as_ref().expect("its verification");
    assert!(check.ok && check.kind == "verify" && check.problem.is_none(), "{check:?}");

    // Each step is audited, in the transaction of its register row.
    let audit = app.get("/api/audit?entity=backup", &admin).await;
    let actions: Vec<&str> =
        audit.body["items"].as_array().unwrap().iter().filter_map(|e| e["action"].as_str()).collect();
    assert_eq!(actions, ["backup.verified", "backup.made"]);

    for user in ["qco1", "manager", "qrd", "dc", "tl1", "agent1"] {
        let token = app.token(user).await;
        let reply = app.get("/api/admin/backups", &token).await;
        assert_eq!(reply.status, StatusCode::NOT_FOUND, "{user}");
    }
}
