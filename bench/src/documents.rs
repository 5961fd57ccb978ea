//! **C** — document control at size: 5,000 documents with 50 revisions each and 3,000 users,
//! bulk-loaded into a fresh SQLite database. Measures the register's first page, a document
//! page (50 revisions) and the who-has-not-read list of an effective revision.
//! Targets (issue *document control*): register and document page p99 < 30 ms; the who-has-not-
//! read list for 3,000 users < 100 ms.

use std::time::Duration;

use anyhow::{Context, Result};
use mutu_backend::{App, Config};
use sea_orm::{ConnectionTrait, TransactionTrait};

use crate::load::{self, Stats, Target};

pub const DOCUMENTS: usize = 5_000;
pub const REVISIONS: usize = 50;
pub const USERS: usize = 3_000;
const BATCH: usize = 500;

pub struct ResultC {
    pub register: Stats,
    pub document: Stats,
    pub unread: Stats,
}

impl ResultC {
    pub fn pass(&self) -> bool {
        self.register.p99() < Duration::from_millis(30)
            && self.document.p99() < Duration::from_millis(30)
            && self.unread.p99() < Duration::from_millis(100)
            && self.register.errors + self.document.errors + self.unread.errors == 0
    }
}

/// Mutu on a fresh database with the demo data plus the bulk documents and users.
pub async fn start(db_dir: &std::path::Path) -> Result<App> {
    let url = format!("sqlite://{}?mode=rwc", db_dir.join("documents.db").display());
    let app = App::start(Config::for_database(&url)).await.context("starting Mutu for C")?;
    app.load_demo().await.context("loading the demo data")?;
    // One transaction on one connection (the pool would hand out others).
    let txn = app.state.db.conn.begin().await?;
    let db = &txn;
    let hash: String = "x".into();
    let at = "2024-01-01T00:00:00+00:00";
    for chunk in (0..USERS).collect::<Vec<_>>().chunks(BATCH) {
        let rows: Vec<String> = chunk
            .iter()
            .map(|i| format!("('bulk{i}', '{hash}', 'Agen Massal {i}', 'Agent', 'agent', NULL, 1, 1, '{at}', '{at}')"))
            .collect();
        db.execute_unprepared(&format!(
            "INSERT INTO users (username, password_hash, full_name, position, role, team_id, active, version, created_at, updated_at) VALUES {}",
            rows.join(",")
        ))
        .await?;
    }
    let body = "## 1. Tujuan\nTeks contoh untuk uji beban.\n".repeat(6);
    for chunk in (0..DOCUMENTS).collect::<Vec<_>>().chunks(BATCH) {
        let rows: Vec<String> = chunk
            .iter()
            .map(|i| format!("('OB.IN.BNC.TELK.W-{i:04}', 'work_instruction', 'INSTRUKSI KERJA UJI {i}', NULL, NULL, NULL, '{at}')"))
            .collect();
        db.execute_unprepared(&format!(
            "INSERT INTO documents (code, kind, title, parent_id, retention_months, record_owner, created_at) VALUES {}",
            rows.join(",")
        ))
        .await?;
    }
    let first_id: i64 = db
        .query_one_raw(sea_orm::Statement::from_string(
            db.get_database_backend(),
            "SELECT MIN(id) AS id FROM documents WHERE code LIKE 'OB.IN.BNC.%'",
        ))
        .await?
        .context("no bulk documents")?
        .try_get("", "id")?;
    let all: Vec<(usize, usize)> = (0..DOCUMENTS).flat_map(|d| (0..REVISIONS).map(move |r| (d, r))).collect();
    for chunk in all.chunks(BATCH) {
        let rows: Vec<String> = chunk
            .iter()
            .map(|(d, r)| {
                let id = first_id + *d as i64;
                let (status, superseded) = if *r + 1 == REVISIONS { ("effective", "NULL".to_owned()) } else { ("superseded", format!("'{at}'")) };
                format!("({id}, {r}, 'INSTRUKSI KERJA UJI {d}', '{body}', 'Perubahan {r}', '{status}', '2024-01-01', '{at}', {superseded}, 1, '{at}', '{at}')")
            })
            .collect();
        db.execute_unprepared(&format!(
            "INSERT INTO revisions (document_id, rev, title, body, change_description, status, effective_date, effective_at, superseded_at, version, created_at, updated_at) VALUES {}",
            rows.join(",")
        ))
        .await?;
    }
    txn.commit().await?;
    Ok(app)
}

pub async fn measure(mutu: std::net::SocketAddr, token: &str, warmup: Duration, measure: Duration) -> Result<ResultC> {
    println!("\nC. Document control with {DOCUMENTS} documents × {REVISIONS} revisions and {USERS} extra users");
    let register = Target::get(&format!("http://{mutu}/api/documents?limit=50"), Some(token))?;
    let document = Target::get(&format!("http://{mutu}/api/documents/OB.IN.BNC.TELK.W-2500"), Some(token))?;
    let unread = Target::get(
        &format!("http://{mutu}/api/documents/OB.IN.BNC.TELK.W-2500/revisions/{}/acknowledgements", REVISIONS - 1),
        Some(token),
    )?;
    let register = load::closed_loop(&register, 8, warmup, measure).await?;
    let document = load::closed_loop(&document, 8, warmup, measure).await?;
    let unread = load::closed_loop(&unread, 1, warmup, measure).await?;
    println!("{}", Stats::header());
    println!("{}", register.row("register, first page"));
    println!("{}", document.row("document page, 50 revs"));
    println!("{}", unread.row("who has not read (3,011)"));
    let result = ResultC { register, document, unread };
    println!(
        "{}: register p99 {} and document p99 {} (target < 30 ms); who-has-not-read p99 {} (target < 100 ms)",
        if result.pass() { "PASS" } else { "FAIL" },
        load::ms(result.register.p99()),
        load::ms(result.document.p99()),
        load::ms(result.unread.p99())
    );
    Ok(result)
}

/// Logs in `username` (demo password) and returns the access token.
pub async fn token(mutu: std::net::SocketAddr, username: &str) -> Result<String> {
    let login = Target::login(&format!("http://{mutu}/api/auth/login"), username, crate::DEMO_PASSWORD)?;
    let (status, body) = login.fetch(&load::client()).await?;
    anyhow::ensure!(status == 200, "logging in as {username} answered {status}");
    let body: serde_json::Value = serde_json::from_slice(&body)?;
    Ok(body["access_token"].as_str().context("no access_token")?.to_owned())
}
