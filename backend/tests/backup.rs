//! `mutu backup`, `mutu backup --verify` and `mutu restore` as an operator runs them, on the
//! real binary: a backup taken while a server serves and a client writes, restored and served
//! again; SQLite → PostgreSQL → SQLite (the PostgreSQL cases need `MUTU_TEST_PG_URL`, which
//! `cargo xtask test` sets, and say so when they skip); every refusal with its one-line reason;
//! and the table list checked against the schema the migrations make.

use mutu_backend::audit::key::AuditKey;
use mutu_backend::backup::tables::{DEFERRED, EXCLUDED, TABLES, columns};
use sea_orm::{ConnectionTrait, Database, Statement};
use serde_json::{Value, json};
use std::io::{BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

const KEY: &str = "backup-test-audit-key-backup-test-audit-key";
const DEMO_PASSWORD: &str = "mutu-demo-2024";

/// A directory of this run's files under the target directory.
fn scratch() -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(format!(
        "backup-{}-{}",
        std::process::id(),
        uuid::Uuid::new_v4().simple()
    ));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn sqlite_url(dir: &Path, name: &str) -> String {
    format!("sqlite://{}?mode=rwc", dir.join(name).display())
}

/// `mutu` on `url` with the test's audit key and an anchor file of the database's own.
fn mutu(url: &str, dir: &Path) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_mutu"));
    let anchors = dir.join(format!("anchors-{}.jsonl", uuid::Uuid::new_v4().simple()));
    command
        .env("MUTU_DATABASE_URL", url)
        .env("MUTU_LOG", "warn")
        .env("MUTU_AUDIT_KEY", KEY)
        .env("MUTU_AUDIT_ANCHOR_FILE", anchors)
        .env_remove("MUTU_AUDIT_KEY_FILE")
        .env_remove("MUTU_JWT_SECRET");
    command
}

fn run(mut command: Command) -> Output {
    command.stdin(Stdio::null()).output().unwrap()
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// `mutu serve [--demo]` on a free port, with the address it printed.
fn serve(url: &str, dir: &Path, demo: bool) -> (Child, String) {
    let mut command = mutu(url, dir);
    command.arg("serve");
    if demo {
        command.arg("--demo");
    }
    let mut child = command
        .env("MUTU_BIND", "127.0.0.1:0")
        .env("MUTU_STATIC_DIR", env!("CARGO_TARGET_TMPDIR"))
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap()).read_line(&mut line).unwrap();
    let address =
        line.split_whitespace().find(|w| w.starts_with("http://")).expect("the address is printed").to_owned();
    (child, address)
}

fn stop(mut child: Child) {
    let _ = child.kill();
    let _ = child.wait();
}

async fn login(client: &reqwest::Client, address: &str, username: &str, password: &str) -> Option<String> {
    let reply = client
        .post(format!("{address}/api/auth/login"))
        .json(&json!({ "username": username, "password": password }))
        .send()
        .await
        .ok()?;
    if reply.status() != 200 {
        return None;
    }
    let body: Value = reply.json().await.ok()?;
    body["access_token"].as_str().map(str::to_owned)
}

/// Logs in as `username` on the server at `address` and checks the audit chain there.
async fn serves_and_verifies(address: &str, username: &str, password: &str) {
    let client = reqwest::Client::new();
    assert!(login(&client, address, username, password).await.is_some(), "{username} logs in");
    let admin = login(&client, address, "admin", DEMO_PASSWORD).await.expect("admin logs in");
    let verify: Value = client
        .get(format!("{address}/api/audit/verify"))
        .bearer_auth(&admin)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(verify["ok"], true, "{verify}");
}

/// The archive's entries, read whole (test archives are small).
fn entries(archive: &Path) -> Vec<(String, Vec<u8>)> {
    let mut zip = zip::ZipArchive::new(std::fs::File::open(archive).unwrap()).unwrap();
    (0..zip.len())
        .map(|i| {
            let mut entry = zip.by_index(i).unwrap();
            let mut bytes = Vec::new();
            entry.read_to_end(&mut bytes).unwrap();
            (entry.name().unwrap().into_owned(), bytes)
        })
        .collect()
}

fn write_archive(path: &Path, entries: &[(String, Vec<u8>)]) {
    let mut zip = zip::ZipWriter::new(std::fs::File::create(path).unwrap());
    let options = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    for (name, bytes) in entries {
        zip.start_file(name.as_str(), options).unwrap();
        zip.write_all(bytes).unwrap();
    }
    zip.finish().unwrap();
}

fn manifest(entries: &[(String, Vec<u8>)]) -> Value {
    let bytes = &entries.iter().find(|(n, _)| n == "manifest.json").expect("a manifest").1;
    serde_json::from_slice(bytes).unwrap()
}

/// An altered copy of `archive`: `edit` changes the entries; with `sign`, the manifest is signed
/// again with the audit key (as only someone holding the key could).
fn altered(
    archive: &Path,
    name: &str,
    sign: bool,
    edit: impl FnOnce(&mut Vec<(String, Vec<u8>)>, &mut Value),
) -> PathBuf {
    let mut all = entries(archive);
    let original = manifest(&all);
    let mut manifest = original.clone();
    edit(&mut all, &mut manifest);
    let bytes = serde_json::to_vec_pretty(&manifest).unwrap();
    for (entry, content) in all.iter_mut() {
        // An unchanged manifest keeps its very bytes (and so its signature).
        if entry == "manifest.json" && manifest != original {
            *content = bytes.clone();
        }
        if entry == "manifest.sig" && sign && manifest != original {
            *content = AuditKey::new(KEY.as_bytes()).sign(&bytes).into_bytes();
        }
    }
    let path = archive.with_file_name(name);
    write_archive(&path, &all);
    path
}

fn part_mut<'a>(entries: &'a mut [(String, Vec<u8>)], table: &str) -> &'a mut Vec<u8> {
    &mut entries.iter_mut().find(|(n, _)| *n == format!("data/{table}.jsonl")).expect("the part").1
}

fn sha256_hex(bytes: &[u8]) -> String {
    use sha2::Digest;
    hex::encode(sha2::Sha256::digest(bytes))
}

/// Sets the manifest entry of `table` to `bytes`' SHA-256 and length (and rows, with `rows`).
fn rehash(manifest: &mut Value, table: &str, bytes: &[u8], rows: bool) {
    let parts = manifest["parts"].as_array_mut().unwrap();
    let part = parts.iter_mut().find(|p| p["table"] == table).unwrap();
    part["sha256"] = json!(sha256_hex(bytes));
    part["bytes"] = json!(bytes.len());
    if rows {
        part["rows"] = json!(bytes.iter().filter(|b| **b == b'\n').count());
    }
}

/// Runs `mutu restore` and checks it is refused with one line containing `reason`, leaving
/// the target without Mutu's data.
fn refused(dir: &Path, archive: &Path, target: &str, reason: &str) {
    let output = run({
        let mut c = mutu(&sqlite_url(dir, "unused.db"), dir);
        c.args(["restore", "--from"]).arg(archive).args(["--to", target]);
        c
    });
    let stderr = text(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{reason}: {stderr}");
    assert_eq!(stderr.trim_end().lines().count(), 1, "one line: {stderr}");
    assert!(stderr.starts_with("mutu restore: ") && stderr.contains(reason), "expected {reason:?}: {stderr}");
}

fn manifest_of(archive: &Path) -> Value {
    manifest(&entries(archive))
}

fn rows_of(manifest: &Value, table: &str) -> i64 {
    manifest["parts"].as_array().unwrap().iter().find(|p| p["table"] == table).unwrap()["rows"].as_i64().unwrap()
}

async fn count(url: &str, table: &str) -> i64 {
    let conn = Database::connect(url).await.unwrap();
    let row = conn
        .query_one_raw(Statement::from_string(
            conn.get_database_backend(),
            format!("SELECT COUNT(*) AS n FROM {table}"),
        ))
        .await
        .unwrap()
        .unwrap();
    let n = row.try_get::<i64>("", "n").unwrap();
    conn.close().await.ok();
    n
}

/// A fresh PostgreSQL database, or `None` (with a line saying so) without `MUTU_TEST_PG_URL`.
async fn postgres_database(test: &str) -> Option<String> {
    let Ok(admin) = std::env::var("MUTU_TEST_PG_URL") else {
        println!("{test}: skipped the PostgreSQL part: MUTU_TEST_PG_URL is not set (cargo xtask test sets it)");
        return None;
    };
    let name = format!("mutu_backup_{}", uuid::Uuid::new_v4().simple());
    let conn = Database::connect(admin.as_str()).await.expect("the test PostgreSQL server");
    conn.execute_unprepared(&format!("CREATE DATABASE {name}")).await.unwrap();
    conn.close().await.ok();
    let base = admin.rsplit_once('/').map(|(base, _)| base).unwrap_or(&admin);
    Some(format!("{base}/{name}"))
}

async fn drop_postgres(url: &str) {
    let (Ok(admin), Some((_, name))) = (std::env::var("MUTU_TEST_PG_URL"), url.rsplit_once('/')) else { return };
    if let Ok(conn) = Database::connect(admin.as_str()).await {
        let _ = conn.execute_unprepared(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)")).await;
        conn.close().await.ok();
    }
}

fn backup(url: &str, dir: &Path, to: &Path) -> Output {
    run({
        let mut c = mutu(url, dir);
        c.args(["backup", "--to"]).arg(to);
        c
    })
}

fn restore(dir: &Path, from: &Path, to: &str) -> Output {
    run({
        let mut c = mutu(&sqlite_url(dir, "unused.db"), dir);
        c.args(["restore", "--from"]).arg(from).args(["--to", to]);
        c
    })
}

/// Writes through the API until told to stop: each round turns the admin's digest off and on
/// (two audited changes) and every tenth creates an account. Counts the writes done.
async fn keep_writing(address: String, stop: Arc<AtomicBool>, done: Arc<AtomicU64>) {
    let client = reqwest::Client::new();
    let token = login(&client, &address, "admin", DEMO_PASSWORD).await.expect("admin logs in");
    let mut round = 0u64;
    while !stop.load(Ordering::SeqCst) {
        for on in [false, true] {
            let reply = client
                .put(format!("{address}/api/me/digest"))
                .bearer_auth(&token)
                .json(&json!({ "digest": on }))
                .send()
                .await
                .unwrap();
            assert!(reply.status().is_success(), "{}", reply.status());
            done.fetch_add(1, Ordering::SeqCst);
        }
        if round.is_multiple_of(10) {
            let reply = client
                .post(format!("{address}/api/users"))
                .bearer_auth(&token)
                .json(&json!({
                    "username": format!("writer{round}"), "password": "rahasia-writer-2026", "role": "agent",
                    "full_name": format!("Penulis {round}"),
                }))
                .send()
                .await
                .unwrap();
            assert_eq!(reply.status(), 201, "{}", reply.text().await.unwrap_or_default());
            done.fetch_add(1, Ordering::SeqCst);
        }
        round += 1;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_backup_taken_while_writes_run_restores_verifies_and_serves() {
    let dir = scratch();
    let source = sqlite_url(&dir, "source.db");
    let (server, address) = serve(&source, &dir, true);
    let stop_writing = Arc::new(AtomicBool::new(false));
    let done = Arc::new(AtomicU64::new(0));
    let writer = tokio::spawn(keep_writing(address.clone(), stop_writing.clone(), done.clone()));
    let deadline = Instant::now() + Duration::from_secs(30);
    while done.load(Ordering::SeqCst) < 3 {
        assert!(Instant::now() < deadline, "the writer does not get going");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }

    let archive = dir.join("live.mutu.zip");
    let before = done.load(Ordering::SeqCst);
    let made = tokio::task::spawn_blocking({
        let (source, dir, archive) = (source.clone(), dir.clone(), archive.clone());
        move || backup(&source, &dir, &archive)
    })
    .await
    .unwrap();
    let during = done.load(Ordering::SeqCst) - before;
    assert!(made.status.success(), "{}", text(&made.stderr));
    assert!(text(&made.stdout).contains("rows"), "{}", text(&made.stdout));
    stop_writing.store(true, Ordering::SeqCst);
    writer.await.unwrap();
    assert!(during > 0, "writes went on while the backup ran");
    println!("{during} writes while `mutu backup` ran");
    assert!(!dir.join("live.mutu.zip.partial").exists());

    let manifest = manifest_of(&archive);
    let target = sqlite_url(&dir, "restored.db");
    let restored = restore(&dir, &archive, &target);
    assert!(restored.status.success(), "{}", text(&restored.stderr));
    assert!(text(&restored.stdout).contains("result     OK"), "{}", text(&restored.stdout));

    // Every table holds what the manifest counted; the chain is the snapshot's plus the restore's entry.
    for table in TABLES {
        let expected = rows_of(&manifest, table);
        let extra = match *table {
            "audit_log" | "backups" | "backup_checks" => 1,
            _ => 0,
        };
        assert_eq!(count(&target, table).await, expected + extra, "{table}");
    }
    assert_eq!(rows_of(&manifest, "audit_log"), manifest["audit"]["seq"].as_i64().unwrap());
    // One instant: each write changed a row and appended its entry in one transaction, and the
    // archive holds both or neither, though `users` was read long before `audit_log`.
    let conn = Database::connect(target.as_str()).await.unwrap();
    let one = |sql: &str| {
        let (conn, sql) = (&conn, sql.to_owned());
        async move {
            let row = conn.query_one_raw(Statement::from_string(conn.get_database_backend(), sql)).await.unwrap();
            row.unwrap().try_get_by_index::<String>(0).unwrap()
        }
    };
    let digest = one("SELECT CAST(digest AS TEXT) FROM users WHERE username = 'admin'").await;
    let last_said =
        one("SELECT payload FROM audit_log WHERE action = 'user.digest_changed' ORDER BY seq DESC LIMIT 1").await;
    assert_eq!(last_said == r#"{"digest":true}"#, digest == "1", "{digest} / {last_said}");
    let writers = one("SELECT CAST(COUNT(*) AS TEXT) FROM users WHERE username LIKE 'writer%'").await;
    let created =
        one("SELECT CAST(COUNT(*) AS TEXT) FROM audit_log WHERE action = 'user.created' AND payload LIKE '%\"writer%'")
            .await;
    assert_eq!(writers, created);
    conn.close().await.ok();
    assert!(rows_of(&manifest, "users") >= 11);
    // No live login comes back.
    assert_eq!(count(&target, "sessions").await, 0);
    assert_eq!(count(&target, "refresh_tokens").await, 0);
    assert!(count(&source, "sessions").await > 0);

    stop(server);
    let (restored_server, restored_address) = serve(&target, &dir, false);
    serves_and_verifies(&restored_address, "qco1", DEMO_PASSWORD).await;
    stop(restored_server);

    // --verify reports OK and records the verification in the source's register.
    let verified = run({
        let mut c = mutu(&source, &dir);
        c.args(["backup", "--verify"]).arg(&archive);
        c
    });
    let report = text(&verified.stdout);
    assert!(verified.status.success(), "{report}{}", text(&verified.stderr));
    assert!(report.contains("result     OK") && report.contains("recorded   in the backup register"), "{report}");
    let checks = count(&source, "backup_checks").await;
    assert_eq!(checks, 1);
    std::fs::remove_dir_all(&dir).ok();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqlite_to_postgresql_and_back() {
    let Some(postgres) = postgres_database("sqlite_to_postgresql_and_back").await else { return };
    let dir = scratch();
    let source = sqlite_url(&dir, "source.db");
    let (server, _) = serve(&source, &dir, true);
    stop(server);
    let first = dir.join("from-sqlite.zip");
    let made = backup(&source, &dir, &first);
    assert!(made.status.success(), "{}", text(&made.stderr));

    // SQLite → PostgreSQL, served there, a change made there.
    let restored = restore(&dir, &first, &postgres);
    assert!(restored.status.success(), "{}", text(&restored.stderr));
    assert!(!text(&restored.stdout).contains("postgres@"), "no credentials in the report");
    refused(&dir, &first, &postgres, "the target database is not empty");
    let (pg_server, pg_address) = serve(&postgres, &dir, false);
    serves_and_verifies(&pg_address, "manager", DEMO_PASSWORD).await;
    let client = reqwest::Client::new();
    let admin = login(&client, &pg_address, "admin", DEMO_PASSWORD).await.unwrap();
    let created = client
        .post(format!("{pg_address}/api/users"))
        .bearer_auth(&admin)
        .json(&json!({ "username": "pindah", "password": "rahasia-pindah-2026", "role": "qco", "full_name": "Pindah" }))
        .send()
        .await
        .unwrap();
    assert_eq!(created.status(), 201, "new ids follow the restored ones (sequences were reset)");
    stop(pg_server);

    // PostgreSQL → SQLite.
    let second = dir.join("from-postgres.zip");
    let made = backup(&postgres, &dir, &second);
    assert!(made.status.success(), "{}", text(&made.stderr));
    assert_eq!(manifest_of(&second)["engine"], "postgres");
    let back = sqlite_url(&dir, "back.db");
    let restored = restore(&dir, &second, &back);
    assert!(restored.status.success(), "{}", text(&restored.stderr));
    for table in TABLES {
        let expected = rows_of(&manifest_of(&second), table);
        let extra = i64::from(matches!(*table, "audit_log" | "backups" | "backup_checks"));
        assert_eq!(count(&back, table).await, expected + extra, "{table}");
    }
    let (back_server, back_address) = serve(&back, &dir, false);
    serves_and_verifies(&back_address, "pindah", "rahasia-pindah-2026").await;
    stop(back_server);
    drop_postgres(&postgres).await;
    std::fs::remove_dir_all(&dir).ok();
}

/// A small database of its own (one account, its audit entries) and its backup.
fn small_backup(dir: &Path) -> (String, PathBuf) {
    let source = sqlite_url(dir, "small.db");
    let mut child = mutu(&source, dir)
        .args(["user", "add", "--username", "siti", "--role", "qco", "--full-name", "Siti Aminah"])
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(b"rahasia-siti-2026").unwrap();
    assert!(child.wait().unwrap().success());
    let archive = dir.join("small.zip");
    let made = backup(&source, dir, &archive);
    assert!(made.status.success(), "{}", text(&made.stderr));
    (source, archive)
}

#[tokio::test]
async fn a_non_empty_target_and_an_altered_archive_are_refused_with_the_reason() {
    let dir = scratch();
    let (source, archive) = small_backup(&dir);

    // A target with data, including the very database backed up.
    refused(&dir, &archive, &source, "the target database is not empty");
    // A backup never overwrites a file.
    let again = backup(&source, &dir, &archive);
    assert!(!again.status.success() && text(&again.stderr).contains("exists already"));

    // One byte changed in a part.
    let byte = altered(&archive, "byte.zip", false, |entries, _| {
        let users = part_mut(entries, "users");
        let at = users.iter().position(|b| *b == b's').unwrap();
        users[at] = b'S';
    });
    let target = sqlite_url(&dir, "t1.db");
    refused(&dir, &byte, &target, "part data/users.jsonl: its SHA-256 does not match the manifest");
    assert!(!dir.join("t1.db").exists() || std::fs::metadata(dir.join("t1.db")).unwrap().len() == 0);

    // One table's rows removed, the manifest left as it was.
    let cut = |entries: &mut Vec<(String, Vec<u8>)>| {
        let log = part_mut(entries, "audit_log");
        let first_line = log.iter().position(|b| *b == b'\n').unwrap();
        log.drain(..=first_line);
        log.clone()
    };
    let removed = altered(&archive, "removed.zip", false, |entries, _| {
        cut(entries);
    });
    refused(&dir, &removed, &target, "part data/audit_log.jsonl: its SHA-256 does not match the manifest");
    // … with its hash and length updated but not signed again.
    let unsigned = altered(&archive, "unsigned.zip", false, |entries, manifest| {
        let log = cut(entries);
        rehash(manifest, "audit_log", &log, false);
    });
    refused(&dir, &unsigned, &target, "the manifest's signature does not verify");
    // … and signed again by someone holding the key, the count left as it was.
    let recounted = altered(&archive, "recounted.zip", true, |entries, manifest| {
        let log = cut(entries);
        rehash(manifest, "audit_log", &log, false);
    });
    refused(&dir, &recounted, &target, "rows, the manifest says");

    // A newer schema.
    let newer = altered(&archive, "newer.zip", true, |_, manifest| {
        manifest["schema_version"] = json!("m29991231_000001_from_the_future");
    });
    refused(&dir, &newer, &target, "is newer than this Mutu's");

    // A part longer than its manifest entry says (a zip bomb is one), and an oversized manifest.
    let longer = altered(&archive, "longer.zip", true, |entries, _| {
        part_mut(entries, "settings").extend(std::iter::repeat_n(b' ', 1 << 20));
    });
    refused(&dir, &longer, &target, "is longer than the");
    let mut all = entries(&archive);
    for (name, bytes) in all.iter_mut() {
        if name == "manifest.json" {
            bytes.extend(std::iter::repeat_n(b' ', 2 << 20));
        }
    }
    let huge = dir.join("huge.zip");
    write_archive(&huge, &all);
    refused(&dir, &huge, &target, "the manifest is larger than");
    let foreign = dir.join("foreign.zip");
    std::fs::write(&foreign, b"not a zip at all").unwrap();
    refused(&dir, &foreign, &target, "is not a Mutu backup");

    // An audit entry edited, its part rehashed and the manifest signed again: every part checks
    // out, the load runs, and the chain's replay fails it; the transaction leaves nothing behind.
    let forged = altered(&archive, "forged.zip", true, |entries, manifest| {
        let log = part_mut(entries, "audit_log");
        let text = String::from_utf8(log.clone()).unwrap().replacen("Siti Aminah", "Siti Amirah", 1);
        *log = text.into_bytes();
        let log = log.clone();
        rehash(manifest, "audit_log", &log, true);
    });
    refused(&dir, &forged, &target, "the audit chain does not verify");
    assert_eq!(count(&target, "users").await, 0, "a failed restore leaves no rows");
    assert_eq!(count(&target, "audit_log").await, 0);

    // After all that the target is still empty: the good archive restores into it.
    let restored = restore(&dir, &archive, &target);
    assert!(restored.status.success(), "{}", text(&restored.stderr));

    // --verify says OK, or why not; the source's register keeps both results.
    let verify = |file: &Path| {
        run({
            let mut c = mutu(&source, &dir);
            c.args(["backup", "--verify"]).arg(file);
            c
        })
    };
    let good = verify(&archive);
    assert!(good.status.success(), "{}", text(&good.stdout));
    assert!(text(&good.stdout).contains("result     OK"));
    let bad = verify(&byte);
    assert_eq!(bad.status.code(), Some(1));
    let report = text(&bad.stdout);
    assert!(
        report.contains("result     FAILED: part data/users.jsonl: its SHA-256 does not match the manifest"),
        "{report}"
    );
    assert!(report.contains("recorded   in the backup register"), "{report}");
    let conn = Database::connect(source.as_str()).await.unwrap();
    let rows = conn
        .query_all_raw(Statement::from_string(
            conn.get_database_backend(),
            "SELECT ok, problem FROM backup_checks ORDER BY id",
        ))
        .await
        .unwrap();
    let results: Vec<(bool, Option<String>)> =
        rows.iter().map(|r| (r.try_get("", "ok").unwrap(), r.try_get("", "problem").unwrap())).collect();
    assert_eq!(results.len(), 2);
    assert!(results[0].0 && results[0].1.is_none());
    assert!(!results[1].0 && results[1].1.as_deref().is_some_and(|p| p.contains("data/users.jsonl")));
    conn.close().await.ok();

    // The manifest carries no secret: not the JWT secret, not the database's address.
    let manifest = text(&entries(&archive).into_iter().find(|(n, _)| n == "manifest.json").unwrap().1);
    assert!(!manifest.contains("small.db") && !manifest.contains(KEY));
    let settings = text(part_mut(&mut entries(&archive), "settings"));
    assert!(!settings.contains("jwt_secret"), "{settings}");
    std::fs::remove_dir_all(&dir).ok();
}

#[tokio::test]
async fn every_table_of_the_schema_is_backed_up_or_left_out_on_purpose_in_foreign_key_order() {
    let dir = scratch();
    let url = sqlite_url(&dir, "schema.db");
    mutu_backend::db::Db::connect(&url).await.unwrap();
    let conn = Database::connect(url.as_str()).await.unwrap();
    let backend = conn.get_database_backend();
    let query = |sql: String| {
        let conn = &conn;
        async move { conn.query_all_raw(Statement::from_string(backend, sql)).await.unwrap() }
    };
    let names: Vec<String> = query(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' \
         AND name <> 'seaql_migrations' ORDER BY name"
            .into(),
    )
    .await
    .iter()
    .map(|r| r.try_get("", "name").unwrap())
    .collect();
    for name in &names {
        let kept = TABLES.contains(&name.as_str());
        let left = EXCLUDED.iter().any(|(t, _)| t == name);
        assert!(kept != left, "{name}: in a backup or left out with a reason, not both or neither");
        if !kept {
            continue;
        }
        let stored: Vec<String> = query(format!("SELECT name FROM pragma_table_info('{name}') ORDER BY cid"))
            .await
            .iter()
            .map(|r| r.try_get("", "name").unwrap())
            .collect();
        let mut ours: Vec<String> = columns(name).unwrap().into_iter().map(str::to_owned).collect();
        let mut stored_sorted = stored.clone();
        ours.sort();
        stored_sorted.sort();
        assert_eq!(ours, stored_sorted, "{name}: the entity has every column of the table");
        let position = TABLES.iter().position(|t| t == name).unwrap();
        for fk in
            query(format!("SELECT \"table\" AS parent, \"from\" AS col FROM pragma_foreign_key_list('{name}')")).await
        {
            let parent: String = fk.try_get("", "parent").unwrap();
            let column: String = fk.try_get("", "col").unwrap();
            assert!(!EXCLUDED.iter().any(|(t, _)| *t == parent), "{name}.{column} points at a table left out");
            let before = TABLES.iter().position(|t| *t == parent).is_some_and(|p| p < position);
            let deferred = DEFERRED.contains(&(name.as_str(), column.as_str()));
            assert!(before || deferred, "{name}.{column} → {parent}: load {parent} first, or defer the column");
        }
    }
    assert_eq!(names.len(), TABLES.len() + EXCLUDED.len());
    conn.close().await.ok();
    std::fs::remove_dir_all(&dir).ok();
}
