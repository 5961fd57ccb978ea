//! The audit trail: what is written, who may read it, the chain under concurrency and tampering
//! by someone who can write the database file (edits, rehashing, cutting entries off, dropping
//! triggers, removing the chain record), anchors, the key, and chains made before keying.

use domain::api::{AnchorStatus, AuditEntry, AuditVerification, ChainProblem, Page};
use mutu_backend::audit::anchor::{self, Anchor, Outcome};
use mutu_backend::audit::service::{GENESIS, entry_hash, verify};
use mutu_backend::{App, Config};
use reqwest::StatusCode;
use sea_orm::{ConnectionTrait, Statement};
use serde_json::json;
use tests::{Backend, TEST_AUDIT_KEY, TEST_JWT_SECRET, TestApp, on_both_databases, scratch_dir, spawn_app};

/// The routes this part adds to the OpenAPI document, all called below (see `http.rs`).
pub const ROUTES: &[&str] = &["GET /api/audit/anchor"];

on_both_databases!(
    changes_are_audited_with_actor_and_payload,
    only_admin_and_qc_coordinator_read_the_audit,
    concurrent_writers_do_not_fork_the_chain,
    tampering_is_detected_by_verify,
    the_database_refuses_edits_to_the_log,
    audit_filters_and_pages,
    audit_days_are_whole_site_days_with_to_included,
    an_edited_entry_rehashed_with_plain_sha256_is_detected,
    entries_cut_off_with_the_head_rewound_are_detected_against_the_anchor,
    dropped_or_disabled_triggers_are_recreated_at_the_next_start,
    anchors_are_signed_exported_and_shown,
    a_server_with_another_audit_key_refuses_to_start,
    a_removed_chain_record_is_detected_even_after_a_restart,
    a_chain_made_before_keying_is_keyed_from_then_on_and_its_old_entries_stay_pinned,
);

/// One row of `audit_log` as stored.
struct Row {
    seq: i64,
    at: String,
    actor_id: Option<i32>,
    actor: Option<String>,
    action: String,
    entity: String,
    entity_id: Option<String>,
    payload: String,
    hash: String,
}

async fn rows(conn: &impl ConnectionTrait) -> Vec<Row> {
    let statement = Statement::from_string(conn.get_database_backend(), "SELECT * FROM audit_log ORDER BY seq");
    let rows = conn.query_all_raw(statement).await.expect("read audit_log");
    rows.iter()
        .map(|r| Row {
            seq: r.try_get("", "seq").unwrap(),
            at: r.try_get("", "at").unwrap(),
            actor_id: r.try_get("", "actor_id").unwrap(),
            actor: r.try_get("", "actor").unwrap(),
            action: r.try_get("", "action").unwrap(),
            entity: r.try_get("", "entity").unwrap(),
            entity_id: r.try_get("", "entity_id").unwrap(),
            payload: r.try_get("", "payload").unwrap(),
            hash: r.try_get("", "hash").unwrap(),
        })
        .collect()
}

/// An SQL string literal.
fn quote(text: &str) -> String {
    format!("'{}'", text.replace('\'', "''"))
}

/// Writes the hashes of entry `seq` over the stored ones, as someone rewriting the chain does.
async fn set_hashes(conn: &impl ConnectionTrait, seq: i64, prev_hash: &str, hash: &str) {
    let update =
        format!("UPDATE audit_log SET prev_hash = {}, hash = {} WHERE seq = {seq}", quote(prev_hash), quote(hash));
    conn.execute_unprepared(&update).await.unwrap();
}

/// What someone who can write the database file does first: drop every trigger that guards the
/// log and its head (those that exist).
async fn drop_guards(app: &TestApp) {
    let statements: &[&str] = match app.backend {
        Backend::Sqlite => &[
            "DROP TRIGGER IF EXISTS audit_log_no_update",
            "DROP TRIGGER IF EXISTS audit_log_no_delete",
            "DROP TRIGGER IF EXISTS audit_head_guard",
            "DROP TRIGGER IF EXISTS audit_head_no_delete",
        ],
        Backend::Postgres => &[
            "DROP TRIGGER IF EXISTS audit_log_no_change ON audit_log",
            "DROP TRIGGER IF EXISTS audit_log_no_truncate ON audit_log",
            "DROP TRIGGER IF EXISTS audit_head_guard ON audit_head",
        ],
    };
    for statement in statements {
        app.sql(statement).await.unwrap();
    }
}

/// Rewrites the chain from `from` on with plain SHA-256 hashes, as the chain was before it was
/// keyed, and points the head at the new last hash.
async fn rehash_plain(app: &TestApp, from: i64) {
    let rows = rows(&app.app.state.db.conn).await;
    let mut prev =
        rows.iter().find(|r| r.seq == from - 1).map(|r| r.hash.clone()).unwrap_or_else(|| GENESIS.to_owned());
    for row in rows.iter().filter(|r| r.seq >= from) {
        let hash = entry_hash(
            row.seq,
            &row.at,
            row.actor_id,
            row.actor.as_deref(),
            &row.action,
            &row.entity,
            row.entity_id.as_deref(),
            &row.payload,
            &prev,
        );
        set_hashes(&app.app.state.db.conn, row.seq, &prev, &hash).await;
        prev = hash;
    }
    app.sql(&format!("UPDATE audit_head SET hash = {} WHERE id = 1", quote(&prev))).await.unwrap();
}

/// A second server process on the same database (same configuration, fresh memory).
async fn restart(app: &TestApp) -> App {
    App::start(app.app.state.config.clone()).await.expect("restart the app")
}

async fn changes_are_audited_with_actor_and_payload(backend: Backend) {
    let app = spawn_app(backend).await;
    let admin = app.token("admin").await;
    app.post(
        "/api/users",
        Some(&admin),
        &json!({ "username": "sari", "password": "rahasia-sekali-1", "role": "qco", "full_name": "Sari" }),
    )
    .await;
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
        assert_eq!(app.get("/api/audit/anchor", &token).await.status, StatusCode::OK);
    }
    for username in ["manager", "dc", "qco1", "tl1", "agent1"] {
        let token = app.token(username).await;
        assert_eq!(app.get("/api/audit", &token).await.status, StatusCode::FORBIDDEN, "{username}");
        assert_eq!(app.get("/api/audit/verify", &token).await.status, StatusCode::FORBIDDEN, "{username}");
        assert_eq!(app.get("/api/audit/anchor", &token).await.status, StatusCode::FORBIDDEN, "{username}");
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
    assert_eq!(bad.problem, Some(ChainProblem::EntryMismatch));
}

async fn the_database_refuses_edits_to_the_log(backend: Backend) {
    let app = spawn_app(backend).await;
    assert!(app.sql("UPDATE audit_log SET action = 'x' WHERE seq = 1").await.is_err());
    assert!(app.sql("DELETE FROM audit_log WHERE seq = 1").await.is_err());
    assert!(app.sql("UPDATE audit_head SET seq = 1 WHERE id = 1").await.is_err(), "the head does not move back");
    assert!(
        app.sql("UPDATE audit_head SET chain_id = 'x', record_mac = NULL WHERE id = 1").await.is_err(),
        "the chain record stays"
    );
    assert!(app.sql("DELETE FROM audit_head").await.is_err());
    if backend == Backend::Postgres {
        assert!(
            app.sql("TRUNCATE audit_log").await.is_err(),
            "row triggers do not see TRUNCATE; a statement trigger does"
        );
    }
    assert_eq!(app.count("audit_log").await, 2, "the demo's two entries are still there");
}

async fn an_edited_entry_rehashed_with_plain_sha256_is_detected(backend: Backend) {
    let app = spawn_app(backend).await;
    let admin = app.token("admin").await;
    app.token("qco1").await;
    let before: AuditVerification = app.get("/api/audit/verify", &admin).await.json();
    assert!(before.ok, "{before:?}");

    drop_guards(&app).await;
    app.sql("UPDATE audit_log SET payload = '{\"forged\":true}' WHERE seq = 2").await.unwrap();
    rehash_plain(&app, 2).await;

    let after: AuditVerification = app.get("/api/audit/verify", &admin).await.json();
    assert!(!after.ok, "a chain recomputed without the key must not verify: {after:?}");
    assert_eq!(after.first_bad, Some(2));
    assert_eq!(after.problem, Some(ChainProblem::EntryMismatch));
}

async fn entries_cut_off_with_the_head_rewound_are_detected_against_the_anchor(backend: Backend) {
    let app = spawn_app(backend).await;
    let admin = app.token("admin").await;
    for _ in 0..3 {
        app.token("qco1").await;
    }
    // Two demo entries and four logins; the server signs that head.
    let Outcome::Anchored(anchored) = anchor::anchor_now(&app.app.state).await.unwrap() else {
        panic!("nothing anchored")
    };
    assert_eq!(anchored.seq, 6);

    drop_guards(&app).await;
    app.sql("DELETE FROM audit_log WHERE seq > 4").await.unwrap();
    app.sql("UPDATE audit_head SET seq = 4, hash = (SELECT hash FROM audit_log WHERE seq = 4) WHERE id = 1")
        .await
        .unwrap();

    let cut: AuditVerification = app.get("/api/audit/verify", &admin).await.json();
    assert!(!cut.ok, "a chain cut back behind its anchor must not verify: {cut:?}");
    assert_eq!(cut.problem, Some(ChainProblem::AnchorPastHead));
    assert_eq!((cut.entries, cut.first_bad), (4, Some(5)));
    let anchor = cut.anchor.expect("the anchor it was checked against");
    assert_eq!((anchor.anchor.seq, anchor.matches), (6, false));
    let status: AnchorStatus = app.get("/api/audit/anchor", &admin).await.json();
    assert_eq!(status.head_seq, 4);
    assert_eq!(status.latest.map(|l| (l.anchor.seq, l.matches)), Some((6, false)));
    assert!(matches!(
        anchor::anchor_now(&app.app.state).await.unwrap(),
        Outcome::Refused { problem: ChainProblem::AnchorPastHead, .. }
    ));

    // Another server, started after the cut, reads the anchor from the file.
    let restarted = restart(&app).await;
    assert_eq!(verify(&restarted.state).await.unwrap().problem, Some(ChainProblem::AnchorPastHead));

    // The server writes on past the anchored sequence number: the entry there is another one.
    for _ in 0..3 {
        app.token("qco2").await;
    }
    let regrown: AuditVerification = app.get("/api/audit/verify", &admin).await.json();
    assert!(!regrown.ok, "{regrown:?}");
    assert_eq!((regrown.problem, regrown.first_bad), (Some(ChainProblem::AnchorMismatch), Some(6)));
    assert!(matches!(
        anchor::anchor_now(&app.app.state).await.unwrap(),
        Outcome::Refused { problem: ChainProblem::AnchorMismatch, .. }
    ));

    // With the anchor file gone too, the running server still holds the anchor in memory.
    std::fs::remove_file(&app.app.state.audit.anchors.file).unwrap();
    let without_file: AuditVerification = app.get("/api/audit/verify", &admin).await.json();
    assert_eq!(without_file.problem, Some(ChainProblem::AnchorMismatch));
}

async fn dropped_or_disabled_triggers_are_recreated_at_the_next_start(backend: Backend) {
    let app = spawn_app(backend).await;
    let sabotage: &[&str] = match backend {
        Backend::Sqlite => &[
            "DROP TRIGGER audit_log_no_update",
            "DROP TRIGGER audit_log_no_delete",
            // One call, so one connection: another pooled connection's schema may not have seen
            // the drop yet and would find the name taken.
            "DROP TRIGGER audit_head_guard; CREATE TRIGGER audit_head_guard BEFORE UPDATE ON audit_head BEGIN SELECT 1; END",
        ],
        Backend::Postgres => &[
            "DROP TRIGGER audit_log_no_change ON audit_log",
            "ALTER TABLE audit_log DISABLE TRIGGER audit_log_no_truncate",
            "CREATE OR REPLACE FUNCTION audit_head_guard() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$",
        ],
    };
    for statement in sabotage {
        app.sql(statement).await.unwrap();
    }
    assert!(app.sql("UPDATE audit_log SET action = action WHERE seq = 1").await.is_ok(), "the guards are down");
    let entries = app.count("audit_log").await;

    let restarted = restart(&app).await;

    assert!(app.sql("UPDATE audit_log SET action = 'x' WHERE seq = 1").await.is_err());
    assert!(app.sql("DELETE FROM audit_log WHERE seq = 1").await.is_err());
    assert!(app.sql("UPDATE audit_head SET seq = 1 WHERE id = 1").await.is_err());
    if backend == Backend::Postgres {
        assert!(app.sql("TRUNCATE audit_log").await.is_err());
    }
    let expected = match backend {
        Backend::Sqlite => json!(["audit_log_no_update", "audit_log_no_delete", "audit_head_guard"]),
        Backend::Postgres => json!(["audit_head_guard()", "audit_log_no_change", "audit_log_no_truncate"]),
    };
    let admin = app.token("admin").await;
    let page: Page<AuditEntry> = app.get("/api/audit?entity=audit", &admin).await.json();
    assert_eq!(page.items.len(), 1);
    assert_eq!(page.items[0].action, "audit.triggers_restored");
    assert_eq!(page.items[0].payload["triggers"], expected);
    assert!(verify(&restarted.state).await.unwrap().ok);
    assert_eq!(app.count("audit_log").await, entries + 2, "the restoration and the login");

    restart(&app).await;
    assert_eq!(app.count("audit_log").await, entries + 2, "nothing to restore the next time");
}

async fn anchors_are_signed_exported_and_shown(backend: Backend) {
    let app = spawn_app(backend).await;
    let admin = app.token("admin").await;
    let state = &app.app.state;
    let file = state.audit.anchors.file.clone();
    let head: AuditVerification = app.get("/api/audit/verify", &admin).await.json();
    assert_eq!(head.anchor, None, "nothing anchored yet");

    let Outcome::Anchored(first) = anchor::anchor_now(state).await.unwrap() else { panic!("nothing anchored") };
    assert_eq!((first.seq, Some(first.hash.clone())), (3, head.head));
    let lines: Vec<Anchor> =
        std::fs::read_to_string(&file).unwrap().lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    assert_eq!(lines.as_slice(), std::slice::from_ref(&first));
    assert!(first.verifies(&state.audit.key));
    assert!(!std::fs::read_to_string(&file).unwrap().contains(TEST_AUDIT_KEY), "the key is never written out");
    assert_eq!(
        anchor::anchor_now(state).await.unwrap(),
        Outcome::Unchanged(first.clone()),
        "no new anchor for an unmoved head"
    );

    let status: AnchorStatus = app.get("/api/audit/anchor", &admin).await.json();
    assert_eq!((status.head_seq, status.interval_secs), (3, 300));
    assert_eq!(status.latest.map(|l| (l.anchor.seq, l.anchor.at, l.matches)), Some((3, first.at.clone(), true)));

    app.token("qrd").await;
    let Outcome::Anchored(second) = anchor::anchor_now(state).await.unwrap() else { panic!("nothing anchored") };
    assert_eq!(second.seq, 4);
    assert_eq!(std::fs::read_to_string(&file).unwrap().lines().count(), 2);

    // A line forged without the key is ignored.
    let forged = Anchor { seq: 99, ..second.clone() };
    std::fs::write(
        &file,
        format!(
            "{}\n{}\n",
            std::fs::read_to_string(&file).unwrap().trim_end(),
            serde_json::to_string(&forged).unwrap()
        ),
    )
    .unwrap();
    let verified: AuditVerification = app.get("/api/audit/verify", &admin).await.json();
    assert!(verified.ok, "{verified:?}");
    assert_eq!(verified.anchor.map(|a| (a.anchor.seq, a.matches)), Some((4, true)));
}

async fn a_server_with_another_audit_key_refuses_to_start(backend: Backend) {
    let app = spawn_app(backend).await;
    let mut config = app.app.state.config.clone();
    config.audit_key = Some("another-audit-key-another-audit-key-0000".into());
    let error = App::start(config).await.err().expect("a server with another key must not start");
    let text = format!("{error:#}");
    assert!(text.contains("does not verify with this audit key"), "{text}");
    assert!(!text.contains("another-audit-key") && !text.contains(TEST_AUDIT_KEY), "no key in the message: {text}");
}

async fn a_removed_chain_record_is_detected_even_after_a_restart(backend: Backend) {
    let app = spawn_app(backend).await;
    let admin = app.token("admin").await;
    drop_guards(&app).await;
    app.sql("UPDATE audit_head SET chain_id = NULL, keyed_from = NULL, keyed_prev_hash = NULL, record_mac = NULL WHERE id = 1")
        .await
        .unwrap();
    let bad: AuditVerification = app.get("/api/audit/verify", &admin).await.json();
    assert_eq!((bad.ok, bad.problem), (false, Some(ChainProblem::ChainRecordInvalid)));

    // A restart takes it for a chain made before keying and keys it from the next entry on, but
    // the entries already keyed do not pass for plain ones.
    let restarted = restart(&app).await;
    let after = verify(&restarted.state).await.unwrap();
    assert_eq!((after.ok, after.problem, after.first_bad), (false, Some(ChainProblem::EntryMismatch), Some(1)));
}

/// A database as the server left it before the chain was keyed: the schema before the keying
/// migration and three entries hashed with plain SHA-256.
async fn database_made_before_keying(backend: Backend) -> String {
    let url = tests::fresh_database(backend).await;
    let conn = sea_orm::Database::connect(url.as_str()).await.unwrap();
    <migrations::Migrator as migrations::MigratorTrait>::up(&conn, Some(6)).await.unwrap();
    let mut prev = GENESIS.to_owned();
    for seq in 1..=3i64 {
        let at = format!("2026-01-0{seq}T08:00:00.000000Z");
        let hash = entry_hash(seq, &at, None, None, "legacy.event", "system", None, "{}", &prev);
        let insert = format!(
            "INSERT INTO audit_log (seq, at, actor_id, actor, action, entity, entity_id, payload, prev_hash, hash) \
             VALUES ({seq}, {}, NULL, NULL, 'legacy.event', 'system', NULL, '{{}}', {}, {})",
            quote(&at),
            quote(&prev),
            quote(&hash)
        );
        conn.execute_unprepared(&insert).await.unwrap();
        prev = hash;
    }
    conn.execute_unprepared(&format!("UPDATE audit_head SET seq = 3, hash = {} WHERE id = 1", quote(&prev)))
        .await
        .unwrap();
    conn.close().await.unwrap();
    url
}

async fn a_chain_made_before_keying_is_keyed_from_then_on_and_its_old_entries_stay_pinned(backend: Backend) {
    let url = database_made_before_keying(backend).await;
    let mut config = Config::for_database(&url);
    config.jwt_secret = Some(TEST_JWT_SECRET.into());
    config.audit_key = Some(TEST_AUDIT_KEY.into());
    config.audit_anchor_file = Some(scratch_dir("anchors").join(format!("{}.jsonl", uuid::Uuid::new_v4().simple())));
    let app = App::start(config.clone()).await.expect("start on the old database");
    app.load_demo().await.unwrap();

    let ok = verify(&app.state).await.unwrap();
    assert!(ok.ok, "{ok:?}");
    assert_eq!((ok.keyed_from, ok.entries), (Some(4), 6), "three plain entries, the keying, the demo's two");
    let conn = &app.state.db.conn;
    let stored = rows(conn).await;
    assert_eq!(stored[3].action, "audit.chain_keyed");
    assert_eq!(serde_json::from_str::<serde_json::Value>(&stored[3].payload).unwrap()["keyed_from"], 4);
    // Entries are written as they were, only the new ones keyed.
    assert_eq!(
        stored[2].hash,
        entry_hash(3, &stored[2].at, None, None, "legacy.event", "system", None, "{}", &stored[1].hash)
    );
    assert_ne!(
        stored[4].hash,
        entry_hash(
            5,
            &stored[4].at,
            stored[4].actor_id,
            stored[4].actor.as_deref(),
            &stored[4].action,
            &stored[4].entity,
            stored[4].entity_id.as_deref(),
            &stored[4].payload,
            &stored[3].hash
        )
    );
    assert_eq!(verify(&App::start(config).await.unwrap().state).await.unwrap().keyed_from, Some(4), "keyed once");

    // Someone rewrites an old entry and recomputes the plain hashes: the keyed part does not follow.
    for statement in match backend {
        Backend::Sqlite => ["DROP TRIGGER audit_log_no_update", "DROP TRIGGER audit_head_guard"],
        Backend::Postgres => {
            ["DROP TRIGGER audit_log_no_change ON audit_log", "DROP TRIGGER audit_head_guard ON audit_head"]
        }
    } {
        conn.execute_unprepared(statement).await.unwrap();
    }
    conn.execute_unprepared("UPDATE audit_log SET action = 'legacy.forged' WHERE seq = 2").await.unwrap();
    let mut prev = stored[0].hash.clone();
    for row in &stored[1..3] {
        let action = if row.seq == 2 { "legacy.forged" } else { row.action.as_str() };
        let hash = entry_hash(row.seq, &row.at, None, None, action, "system", None, "{}", &prev);
        set_hashes(conn, row.seq, &prev, &hash).await;
        prev = hash;
    }
    let bad = verify(&app.state).await.unwrap();
    assert_eq!((bad.ok, bad.problem, bad.first_bad), (false, Some(ChainProblem::EntryMismatch), Some(4)), "{bad:?}");
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

/// `from`/`to` as days are the site's days (WIB in the tests), `to` included, as every other period
/// of the API reads them; instants are taken as given.
async fn audit_days_are_whole_site_days_with_to_included(backend: Backend) {
    let app = spawn_app(backend).await;
    let admin = app.token("admin").await;
    let newest: Page<AuditEntry> = app.get("/api/audit?limit=1", &admin).await.json();
    let entry = &newest.items[0];
    let at = chrono::DateTime::parse_from_rfc3339(&entry.at).unwrap().to_utc();
    let wib = chrono::FixedOffset::east_opt(7 * 3600).unwrap();
    let day = at.with_timezone(&wib).date_naive();
    let seqs = |page: Page<AuditEntry>| page.items.iter().map(|e| e.seq).collect::<Vec<_>>();
    // The whole WIB day of the entry, given as one day for both ends, holds it (a UTC reading of
    // the day misses it: before 17:00 UTC through `to`, after through `from`).
    let same_day: Page<AuditEntry> = app.get(&format!("/api/audit?from={day}&to={day}&limit=500"), &admin).await.json();
    assert!(seqs(same_day).contains(&entry.seq), "{day} should hold {}", entry.at);
    let before = day.pred_opt().unwrap();
    let earlier: Page<AuditEntry> = app.get(&format!("/api/audit?to={before}&limit=500"), &admin).await.json();
    assert!(!seqs(earlier).contains(&entry.seq));
    let after = day.succ_opt().unwrap();
    let later: Page<AuditEntry> = app.get(&format!("/api/audit?from={after}"), &admin).await.json();
    assert!(later.items.is_empty());
    // Instants are exclusive at `to` and inclusive at `from`.
    let stamp = at.to_rfc3339_opts(chrono::SecondsFormat::Micros, true);
    let up_to: Page<AuditEntry> = app.get(&format!("/api/audit?to={stamp}&limit=500"), &admin).await.json();
    assert!(!seqs(up_to).contains(&entry.seq));
    let from: Page<AuditEntry> = app.get(&format!("/api/audit?from={stamp}&limit=500"), &admin).await.json();
    assert!(seqs(from).contains(&entry.seq));
    for bad in ["from=-0001-01-01", "to=2026-02-30", "from=2026-01-01T25:00:00Z"] {
        assert_eq!(
            app.get(&format!("/api/audit?{bad}"), &admin).await.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{bad}"
        );
    }
}
