//! The audit trail: what is written, who may read it, the chain under concurrency and tampering.

use domain::api::{AuditEntry, AuditVerification, Page};
use reqwest::StatusCode;
use serde_json::json;
use tests::{Backend, on_both_databases, spawn_app};

on_both_databases!(
    changes_are_audited_with_actor_and_payload,
    only_admin_and_qc_coordinator_read_the_audit,
    concurrent_writers_do_not_fork_the_chain,
    tampering_is_detected_by_verify,
    the_database_refuses_edits_to_the_log,
    audit_filters_and_pages,
);

async fn changes_are_audited_with_actor_and_payload(backend: Backend) {
    let app = spawn_app(backend).await;
    let admin = app.token("admin").await;
    app.post("/api/users", Some(&admin), &json!({ "username": "sari", "password": "rahasia-sekali-1", "role": "qco", "full_name": "Sari" })).await;
    app.try_login("sari", "wrong-password-x").await;
    let page: Page<AuditEntry> = app.get("/api/audit", &admin).await.json();
    let actions: Vec<&str> = page.items.iter().map(|e| e.action.as_str()).collect();
    assert_eq!(&actions[..5], ["auth.login_failed", "user.created", "auth.login", "demo.loaded", "document.imported"]);
    let created = &page.items[1];
    assert_eq!(created.actor.as_deref(), Some("admin"));
    assert_eq!(created.entity, "user");
    assert_eq!(created.payload["username"], "sari");
    assert!(created.payload.get("password").is_none(), "no secrets in the log");
    assert_eq!(page.items[0].actor.as_deref(), Some("sari"));
    // Entries chain: each names the hash of the one before.
    assert_eq!(page.items[0].prev_hash, page.items[1].hash);
}

async fn only_admin_and_qc_coordinator_read_the_audit(backend: Backend) {
    let app = spawn_app(backend).await;
    for username in ["admin", "qrd"] {
        let token = app.token(username).await;
        assert_eq!(app.get("/api/audit", &token).await.status, StatusCode::OK);
        assert_eq!(app.get("/api/audit/verify", &token).await.status, StatusCode::OK);
    }
    for username in ["manager", "dc", "qco1", "tl1", "agent1"] {
        let token = app.token(username).await;
        assert_eq!(app.get("/api/audit", &token).await.status, StatusCode::FORBIDDEN, "{username}");
        assert_eq!(app.get("/api/audit/verify", &token).await.status, StatusCode::FORBIDDEN, "{username}");
    }
}

async fn concurrent_writers_do_not_fork_the_chain(backend: Backend) {
    let app = spawn_app(backend).await;
    let admin = app.token("admin").await;
    let before: AuditVerification = app.get("/api/audit/verify", &admin).await.json();
    let mut tasks = Vec::new();
    for i in 0..12 {
        let (client, url, token) = (app.client.clone(), app.address.clone(), admin.clone());
        tasks.push(tokio::spawn(async move {
            let body = json!({ "username": format!("conc{i}"), "password": "rahasia-sekali-1", "role": "agent", "full_name": "Agen Paralel" });
            client.post(format!("{url}/api/users")).bearer_auth(token).json(&body).send().await.unwrap().status()
        }));
        let (client, url) = (app.client.clone(), app.address.clone());
        tasks.push(tokio::spawn(async move {
            let body = json!({ "username": format!("nobody{i}"), "password": "wrong-password" });
            client.post(format!("{url}/api/auth/login")).json(&body).send().await.unwrap().status()
        }));
    }
    for task in tasks {
        let status = task.await.unwrap();
        assert!(status == StatusCode::CREATED || status == StatusCode::UNAUTHORIZED, "{status}");
    }
    let after: AuditVerification = app.get("/api/audit/verify", &admin).await.json();
    assert!(after.ok, "{after:?}");
    assert_eq!(after.entries, before.entries + 24);
    assert_eq!(app.count("audit_log").await, after.entries);
}

async fn tampering_is_detected_by_verify(backend: Backend) {
    let app = spawn_app(backend).await;
    let admin = app.token("admin").await;
    app.token("qco1").await;
    let ok: AuditVerification = app.get("/api/audit/verify", &admin).await.json();
    assert!(ok.ok);
    // document.imported, demo.loaded, two logins.
    assert_eq!(ok.entries, 4);
    assert_eq!(ok.head.as_ref().map(String::len), Some(64));

    let drop_trigger = match backend {
        Backend::Sqlite => "DROP TRIGGER audit_log_no_update",
        Backend::Postgres => "DROP TRIGGER audit_log_no_change ON audit_log",
    };
    app.sql(drop_trigger).await.unwrap();
    app.sql("UPDATE audit_log SET payload = '{\"forged\":true}' WHERE seq = 2").await.unwrap();
    let bad: AuditVerification = app.get("/api/audit/verify", &admin).await.json();
    assert!(!bad.ok);
    assert_eq!(bad.first_bad, Some(2));
}

async fn the_database_refuses_edits_to_the_log(backend: Backend) {
    let app = spawn_app(backend).await;
    assert!(app.sql("UPDATE audit_log SET action = 'x' WHERE seq = 1").await.is_err());
    assert!(app.sql("DELETE FROM audit_log WHERE seq = 1").await.is_err());
    assert_eq!(app.count("audit_log").await, 2, "the demo's two entries are still there");
}

async fn audit_filters_and_pages(backend: Backend) {
    let app = spawn_app(backend).await;
    let admin = app.token("admin").await;
    for _ in 0..3 {
        app.token("tl2").await;
    }
    let by_actor: Page<AuditEntry> = app.get("/api/audit?actor=tl2", &admin).await.json();
    assert_eq!(by_actor.items.len(), 3);
    let by_entity: Page<AuditEntry> = app.get("/api/audit?entity=system", &admin).await.json();
    assert_eq!(by_entity.items.len(), 1);
    let future: Page<AuditEntry> = app.get("/api/audit?from=2999-01-01", &admin).await.json();
    assert!(future.items.is_empty());
    let bad = app.get("/api/audit?from=yesterday", &admin).await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);

    let first: Page<AuditEntry> = app.get("/api/audit?limit=2", &admin).await.json();
    assert_eq!(first.items.len(), 2);
    let cursor = first.next_cursor.expect("more pages");
    let second: Page<AuditEntry> = app.get(&format!("/api/audit?limit=2&cursor={cursor}"), &admin).await.json();
    assert!(second.items[0].seq < first.items[1].seq);
}
