//! F-19 agree validation at size (`cargo xtask bench f19`):
//!
//! - **D** — import of a 100,000-row CSV through `POST /api/cases/import` against `sqlite3 .import`
//!   of the same file into a plain table, in one run. Target: Mutu ≥ 0.5× the rows/s. Memory: the
//!   server's peak resident memory while importing 100,000 rows and while importing 300,000 rows;
//!   flat means the second is not three times the first.
//! - **E** — the F-19 report for one month over 15 million cases (24 months of a 2,000-agent
//!   site), against the same aggregate written by hand in the `sqlite3` shell on the same file,
//!   and on PostgreSQL against `psql`. Target: ≤ 1.5× the hand-written time.
//! - **F** — the validation queue's first page with 1 million pending cases. Target: p99 < 20 ms.
//!
//! The data generator is [`generate`]: plain SQL (a recursive CTE on SQLite, `generate_series` on
//! PostgreSQL) writing straight into Mutu's schema after Mutu has migrated it.

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail, ensure};
use mutu_backend::{App, Config};
use sea_orm::{ConnectionTrait, DatabaseBackend, Statement};

use crate::load::{self, Stats, Target};

/// The size of the generated site.
#[derive(Clone, Copy)]
pub struct Size {
    pub agents: i64,
    pub months: i64,
    pub cases: i64,
    pub pending: i64,
}

impl Size {
    pub fn scaled(scale: f64) -> Size {
        Size { agents: 2_000, months: 24, cases: (15_000_000.0 * scale) as i64, pending: (1_000_000.0 * scale) as i64 }
    }
}

pub const AGENTS_PER_TEAM: i64 = 20;
pub const QCOS: i64 = 40;
/// The first generated call: 24 months back from the run (the generator counts from here).
const DAY: i64 = 86_400;

pub struct ResultD {
    pub mutu_rows_per_s: f64,
    pub sqlite_rows_per_s: f64,
    /// For context, not a target: sqlite3 itself moving the same rows into Mutu's `cases` table.
    pub floor_rows_per_s: f64,
    pub peak_100k_mb: f64,
    pub peak_300k_mb: f64,
}

impl ResultD {
    pub fn ratio(&self) -> f64 {
        self.mutu_rows_per_s / self.sqlite_rows_per_s
    }
    pub fn flat(&self) -> bool {
        self.peak_300k_mb < 2.0 * self.peak_100k_mb.max(8.0)
    }
    pub fn pass(&self) -> bool {
        self.ratio() >= 0.5 && self.flat()
    }
}

pub struct ResultE {
    pub database: &'static str,
    pub mutu: Duration,
    pub by_hand: Duration,
    pub groups: usize,
}

impl ResultE {
    pub fn ratio(&self) -> f64 {
        self.mutu.as_secs_f64() / self.by_hand.as_secs_f64()
    }
    pub fn pass(&self) -> bool {
        self.ratio() <= 1.5
    }
}

pub struct ResultF {
    pub database: &'static str,
    pub queue: Stats,
}

impl ResultF {
    pub fn pass(&self) -> bool {
        self.queue.p99() < Duration::from_millis(20) && self.queue.errors == 0
    }
}

fn sql(backend: DatabaseBackend, sqlite: &str, postgres: &str) -> Statement {
    Statement::from_string(backend, if backend == DatabaseBackend::Postgres { postgres } else { sqlite }.to_owned())
}

/// Seconds since the epoch of the start of the generated period.
pub fn period_start(size: Size) -> i64 {
    let now =
        std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_secs() as i64).unwrap_or(0);
    (now / DAY) * DAY - size.months * 30 * DAY
}

/// The generated site: teams of 20 agents, QCOs, and the period its calls fall in.
pub struct Site {
    pub first_team: i64,
    pub first_agent: i64,
    pub first_qco: i64,
    pub agents: i64,
    pub months: i64,
    /// Seconds since the epoch of the period's first call.
    pub start: i64,
}

impl Site {
    pub fn span_secs(&self) -> i64 {
        self.months * 30 * DAY
    }
}

/// Teams, agents and QCOs of the bench site (accounts that cannot log in).
pub async fn generate_site(app: &App, size: Size) -> Result<Site> {
    let db = &app.state.db.conn;
    let b = db.get_database_backend();
    let at = "2024-01-01T00:00:00+00:00";
    let teams = size.agents / AGENTS_PER_TEAM;
    for t in 0..teams {
        db.execute_unprepared(&format!(
            "INSERT INTO teams (name, leader_id, version, created_at) VALUES ('Bench Tim {t}', NULL, 1, '{at}')"
        ))
        .await?;
    }
    let first_team: i64 = db
        .query_one_raw(sql(
            b,
            "SELECT MIN(id) AS id FROM teams WHERE name LIKE 'Bench Tim %'",
            "SELECT MIN(id)::bigint AS id FROM teams WHERE name LIKE 'Bench Tim %'",
        ))
        .await?
        .context("no teams")?
        .try_get("", "id")?;
    let active = if b == DatabaseBackend::Postgres { "TRUE" } else { "1" };
    let mut rows = Vec::new();
    for a in 0..size.agents {
        rows.push(format!(
            "('bagent{a}', 'x', 'Agen Bench {a}', 'Agent', 'agent', {}, {active}, 1, '{at}', '{at}')",
            first_team + a / AGENTS_PER_TEAM
        ));
    }
    for q in 0..QCOS {
        rows.push(format!("('bqco{q}', 'x', 'QCO Bench {q}', 'QCO', 'qco', NULL, {active}, 1, '{at}', '{at}')"));
    }
    for chunk in rows.chunks(500) {
        db.execute_unprepared(&format!(
            "INSERT INTO users (username, password_hash, full_name, position, role, team_id, active, version, created_at, updated_at) VALUES {}",
            chunk.join(",")
        ))
        .await?;
    }
    let first_agent: i64 = db
        .query_one_raw(sql(
            b,
            "SELECT MIN(id) AS id FROM users WHERE username LIKE 'bagent%'",
            "SELECT MIN(id)::bigint AS id FROM users WHERE username LIKE 'bagent%'",
        ))
        .await?
        .context("no agents")?
        .try_get("", "id")?;
    let first_qco: i64 = db
        .query_one_raw(sql(
            b,
            "SELECT MIN(id) AS id FROM users WHERE username LIKE 'bqco%'",
            "SELECT MIN(id)::bigint AS id FROM users WHERE username LIKE 'bqco%'",
        ))
        .await?
        .context("no qcos")?
        .try_get("", "id")?;
    Ok(Site { first_team, first_agent, first_qco, agents: size.agents, months: size.months, start: period_start(size) })
}

/// `size.cases` agree cases spread evenly over the site's period (the newest `size.pending`
/// still pending, the rest validated: 85 % approved, 15 % returned with a follow-up in every
/// state).
pub async fn generate(app: &App, site: &Site, size: Size) -> Result<()> {
    let db = &app.state.db.conn;
    let b = db.get_database_backend();
    let started = Instant::now();
    let (first_team, first_agent, first_qco) = (site.first_team, site.first_agent, site.first_qco);
    let teams = size.agents / AGENTS_PER_TEAM;
    let start = site.start;
    let span = site.span_secs();
    let step = span as f64 / size.cases as f64;
    let n = size.cases;
    let settled = n - size.pending;
    let agents = size.agents;
    // Case i: agent i % agents, call at start + i·step, customer B{i}; i < settled is validated.
    let status =
        format!("CASE WHEN i >= {settled} THEN 'pending' WHEN (i * 7) % 100 < 15 THEN 'returned' ELSE 'approved' END");
    // The SOP's pairs: CT-0 serves N+2, PRANPC N and N+1.
    let service = "CASE WHEN i % 3 = 0 THEN 'CT0' ELSE 'PRANPC' END";
    let bucket = "CASE i % 3 WHEN 0 THEN 'N2' WHEN 1 THEN 'N' ELSE 'N1' END";
    let columns = "customer_no, customer_name, service, bucket, bill_amount, agent_id, team_id, call_at, reason, promise_date, recording_ref, status, imported_at, imported_by, import_id";
    let sqlite_cases = format!(
        "WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < {last}) \
         INSERT INTO cases ({columns}) SELECT 'B' || i, 'Pelanggan ' || i, {service}, {bucket}, 100000 + (i % 50) * 10000, \
         {first_agent} + i % {agents}, {first_team} + (i % {agents}) / {AGENTS_PER_TEAM}, \
         strftime('%Y-%m-%dT%H:%M:%S+00:00', {start} + CAST(i * {step} AS INTEGER), 'unixepoch'), 'janji bayar', \
         strftime('%Y-%m-%d', {start} + CAST(i * {step} AS INTEGER) + 3 * {DAY}, 'unixepoch'), 'EB-' || i, {status}, \
         strftime('%Y-%m-%dT%H:%M:%S+00:00', {start} + CAST(i * {step} AS INTEGER) + 3600, 'unixepoch'), NULL, NULL FROM n",
        last = n - 1
    );
    let pg_cases = format!(
        "INSERT INTO cases ({columns}) SELECT 'B' || i, 'Pelanggan ' || i, {service}, {bucket}, 100000 + (i % 50) * 10000, \
         {first_agent} + i % {agents}, {first_team} + (i % {agents}) / {AGENTS_PER_TEAM}, \
         to_timestamp({start} + floor(i * {step})), 'janji bayar', \
         to_char(to_timestamp({start} + floor(i * {step}) + 3 * {DAY}) AT TIME ZONE 'UTC', 'YYYY-MM-DD'), 'EB-' || i, {status}, \
         to_timestamp({start} + floor(i * {step}) + 3600), NULL, NULL FROM generate_series(0::bigint, {last}::bigint) AS i",
        last = n - 1
    );
    println!("  generating {n} cases ({} pending) for {agents} agents in {teams} teams …", size.pending);
    db.execute_unprepared(if b == DatabaseBackend::Postgres { &pg_cases } else { &sqlite_cases }).await?;
    println!("  … cases in {:.0} s; validations …", started.elapsed().as_secs_f64());
    let tru = if b == DatabaseBackend::Postgres { "TRUE" } else { "1" };
    let (validated_at, retain) = if b == DatabaseBackend::Postgres {
        (
            "c.call_at + interval '1 day'".to_owned(),
            "to_char((c.call_at + interval '1 day') AT TIME ZONE 'UTC' + interval '24 months', 'YYYY-MM-DD')"
                .to_owned(),
        )
    } else {
        (
            "strftime('%Y-%m-%dT%H:%M:%S+00:00', c.call_at, '+1 day')".to_owned(),
            "strftime('%Y-%m-%d', c.call_at, '+1 day', '+24 months')".to_owned(),
        )
    };
    db.execute_unprepared(&format!(
        "INSERT INTO validations (case_id, result, identity_verified, amount_and_date_correct, explicit_agreement, reason_matches, recommendation, qco_id, validated_at, retain_until, evaluation_id, retention_months, retention_from) \
         SELECT c.id, c.status, {tru}, {tru}, {tru}, {tru}, CASE WHEN c.status = 'returned' THEN 'Lakukan caring ulang' END, {first_qco} + c.id % {QCOS}, {validated_at}, {retain}, NULL, \
         24, CASE WHEN c.status = 'approved' THEN 'validated' END \
         FROM cases c WHERE c.customer_no LIKE 'B%' AND c.status <> 'pending' ORDER BY c.id"
    ))
    .await?;
    println!("  … validations in {:.0} s; follow-ups …", started.elapsed().as_secs_f64());
    let (due, closed) = if b == DatabaseBackend::Postgres {
        ("v.validated_at + interval '3 days'".to_owned(), "v.validated_at + interval '2 days'".to_owned())
    } else {
        (
            "strftime('%Y-%m-%dT%H:%M:%S+00:00', v.validated_at, '+3 days')".to_owned(),
            "strftime('%Y-%m-%dT%H:%M:%S+00:00', v.validated_at, '+2 days')".to_owned(),
        )
    };
    // Follow-ups: 70 % closed in time, 10 % recared, 20 % still open (overdue when old).
    db.execute_unprepared(&format!(
        "INSERT INTO followups (case_id, validation_id, agent_id, team_id, recommendation, status, opened_at, due_at, closed_at, version, last_comment, updated_at) \
         SELECT v.case_id, v.id, c.agent_id, c.team_id, 'Lakukan caring ulang', \
         CASE WHEN v.id % 10 < 7 THEN 'closed' WHEN v.id % 10 = 7 THEN 'recared' ELSE 'open' END, v.validated_at, {due}, \
         CASE WHEN v.id % 10 < 7 THEN {closed} END, 1, NULL, v.validated_at \
         FROM validations v JOIN cases c ON c.id = v.case_id WHERE v.result = 'returned' AND c.customer_no LIKE 'B%' ORDER BY v.id"
    ))
    .await?;
    // The dashboards' roll-up the server keeps with every validation and closed RETURN.
    mutu_backend::dashboards::rollup::rebuild(db, app.state.config.offset())
        .await
        .map_err(|e| anyhow::anyhow!("rebuilding the dashboards' roll-up: {e:?}"))?;
    db.execute_unprepared("ANALYZE").await?;
    println!("  … generated in {:.0} s", started.elapsed().as_secs_f64());
    Ok(())
}

/// The month the report is asked for: the last whole 30 days before the pending tail.
pub fn report_period(size: Size) -> (String, String) {
    let start = period_start(size);
    let settled_end =
        start + ((size.cases - size.pending) as f64 * (size.months * 30 * DAY) as f64 / size.cases as f64) as i64;
    let to = settled_end / DAY * DAY - DAY;
    let from = to - 29 * DAY;
    (day(from), day(to))
}

pub fn day(secs: i64) -> String {
    let d = domain::dates::Date::from_days(secs.div_euclid(DAY));
    d.to_string()
}

/// The F-19 aggregate as a person would write it in the database's own shell.
fn by_hand_sql(backend: DatabaseBackend, from_utc: &str, to_utc: &str, now_utc: &str) -> String {
    let range = if backend == DatabaseBackend::Postgres {
        format!("c.call_at >= '{from_utc}'::timestamptz AND c.call_at < '{to_utc}'::timestamptz")
    } else {
        format!("c.call_at >= '{from_utc}' AND c.call_at < '{to_utc}'")
    };
    let now =
        if backend == DatabaseBackend::Postgres { format!("'{now_utc}'::timestamptz") } else { format!("'{now_utc}'") };
    format!(
        "SELECT c.team_id, c.agent_id, c.service, c.bucket, COUNT(*) AS imported, \
         SUM(CASE WHEN c.status <> 'pending' THEN 1 ELSE 0 END) AS validated, \
         SUM(CASE WHEN c.status = 'approved' THEN 1 ELSE 0 END) AS approved, \
         SUM(CASE WHEN c.status = 'returned' THEN 1 ELSE 0 END) AS returned, \
         SUM(CASE WHEN f.status = 'closed' AND f.late_recares = 0 AND f.late_verifications = 0 THEN 1 ELSE 0 END) AS closed_in_time, \
         SUM(CASE WHEN f.status = 'closed' AND f.late_recares = 0 THEN 1 ELSE 0 END) AS recared_in_time, \
         SUM(CASE WHEN f.status = 'closed' AND f.late_verifications = 0 THEN 1 ELSE 0 END) AS verified_in_time, \
         SUM(CASE WHEN f.status <> 'closed' THEN 1 ELSE 0 END) AS still_open, \
         SUM(CASE WHEN f.status IN ('open', 'reopened') AND f.due_at < {now} THEN 1 ELSE 0 END) AS overdue, \
         SUM(CASE WHEN f.status = 'recared' AND f.verify_due_at < {now} THEN 1 ELSE 0 END) AS verify_overdue \
         FROM cases c LEFT JOIN followups f ON f.case_id = c.id WHERE {range} \
         GROUP BY c.team_id, c.agent_id, c.service, c.bucket"
    )
}

/// The median of `runs` timings of `f`.
async fn median<F, Fut>(runs: usize, mut f: F) -> Result<Duration>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<()>>,
{
    let mut times = Vec::with_capacity(runs);
    for _ in 0..runs {
        let started = Instant::now();
        f().await?;
        times.push(started.elapsed());
    }
    times.sort();
    Ok(times[times.len() / 2])
}

/// E and F on one database that [`generate`] has filled.
pub async fn measure_report_and_queue(
    database: &'static str,
    app: &App,
    mutu: std::net::SocketAddr,
    shell: Shell<'_>,
    size: Size,
    warmup: Duration,
    measure: Duration,
) -> Result<(ResultE, ResultF)> {
    let token = crate::documents::token(mutu, "qrd").await?;
    let (from, to) = report_period(size);
    let url = format!("http://{mutu}/api/reports/f19?from={from}&to={to}");
    let client = load::client();
    let report = Target::get(&url, Some(&token))?;
    let (status, body) = report.fetch(&client).await?;
    ensure!(
        status == 200,
        "the F-19 report answered {status}: {}",
        String::from_utf8_lossy(&body[..body.len().min(300)])
    );
    let json: serde_json::Value = serde_json::from_slice(&body)?;
    let groups = json["rows"].as_array().map_or(0, Vec::len);
    let imported = json["totals"]["imported"].as_u64().unwrap_or(0);
    ensure!(imported > 0, "the report period {from}..{to} holds no cases");
    let mutu_time = median(5, || {
        let (report, client) = (report.clone(), client.clone());
        async move {
            let (status, _) = report.fetch(&client).await?;
            ensure!(status == 200, "the F-19 report answered {status}");
            Ok(())
        }
    })
    .await?;
    // The same period in UTC, as the server computes it (site zone WIB by default).
    let offset = app.state.config.offset();
    let local_midnight = |d: &str| -> String {
        let date = chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d").expect("date");
        let local = date.and_hms_opt(0, 0, 0).expect("midnight");
        let utc = local - chrono::Duration::seconds(i64::from(offset.local_minus_utc()));
        format!("{}+00:00", utc.format("%Y-%m-%dT%H:%M:%S"))
    };
    let to_next = (chrono::NaiveDate::parse_from_str(&to, "%Y-%m-%d")? + chrono::Duration::days(1))
        .format("%Y-%m-%d")
        .to_string();
    let backend = app.state.db.conn.get_database_backend();
    let now = chrono::Utc::now().format("%Y-%m-%dT%H:%M:%S+00:00").to_string();
    let query = by_hand_sql(backend, &local_midnight(&from), &local_midnight(&to_next), &now);
    let hand_groups = shell.run(&query)?;
    ensure!(hand_groups == groups, "the hand-written aggregate gives {hand_groups} groups, Mutu {groups}");
    let by_hand = median(5, || {
        let result = shell.run(&query).map(|_| ());
        async move { result }
    })
    .await?;
    let e = ResultE { database, mutu: mutu_time, by_hand, groups };
    println!(
        "  E ({database}): F-19 report {from}..{to} ({imported} cases, {groups} rows): Mutu {} vs by hand {} = {:.2}× (target ≤ 1.5×)",
        load::ms(e.mutu),
        load::ms(e.by_hand),
        e.ratio()
    );

    let qco = crate::documents::token(mutu, "qco1").await?;
    let queue = Target::get(&format!("http://{mutu}/api/cases?status=pending&limit=50"), Some(&qco))?;
    let (status, body) = queue.fetch(&client).await?;
    ensure!(status == 200, "the queue answered {status}");
    let first: serde_json::Value = serde_json::from_slice(&body)?;
    ensure!(first["items"].as_array().map_or(0, Vec::len) == 50, "the queue's first page is not full");
    let queue = load::closed_loop(&queue, 4, warmup, measure).await?;
    println!("{}", Stats::header());
    println!("{}", queue.row(&format!("queue first page ({database})")));
    Ok((e, ResultF { database, queue }))
}

/// The database's own shell: `sqlite3` on the file, or `psql` on the URL.
#[derive(Clone, Copy)]
pub enum Shell<'a> {
    Sqlite(&'a Path),
    Psql(&'a str),
}

impl Shell<'_> {
    /// Runs `query` and returns the number of result lines.
    fn run(&self, query: &str) -> Result<usize> {
        let output = match self {
            Shell::Sqlite(file) => Command::new("sqlite3").arg("-readonly").arg(file).arg(query).output(),
            Shell::Psql(url) => Command::new("psql")
                .args(["-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1"])
                .arg(url)
                .arg("-c")
                .arg(query)
                .output(),
        }
        .context("running the database shell (sqlite3 / psql)")?;
        if !output.status.success() {
            bail!("the shell failed: {}", String::from_utf8_lossy(&output.stderr));
        }
        Ok(output.stdout.split(|b| *b == b'\n').filter(|l| !l.is_empty()).count())
    }
}

/// Writes `rows` agree rows for the demo agents to `path`; customers start at `first`.
fn write_csv(path: &Path, rows: usize, first: usize) -> Result<()> {
    use std::io::Write;
    let mut out = std::io::BufWriter::new(std::fs::File::create(path)?);
    writeln!(out, "{}", domain::cases::IMPORT_COLUMNS.join(","))?;
    let agents = ["agent1", "agent2", "agent3"];
    for i in first..first + rows {
        let day = 1 + i % 28;
        let (h, m, s) = (8 + (i / 3600) % 10, (i / 60) % 60, i % 60);
        writeln!(
            out,
            "IMP{i:09},Pelanggan Impor {i},{},{},{},{},2026-10-{day:02} {h:02}:{m:02}:{s:02},janji bayar setelah gajian,2026-10-{:02},EB-{i}",
            // The SOP's pairs: CT-0 serves N+2, PRANPC N and N+1.
            ["CT-0", "PRANPC", "PRANPC"][i % 3],
            ["N+2", "N", "N+1"][i % 3],
            150_000 + (i % 40) * 5_000,
            agents[i % 3],
            (day + 2).min(28)
        )?;
    }
    Ok(())
}

fn rss_kb(field: &str) -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| s.lines().find(|l| l.starts_with(field)).and_then(|l| l.split_whitespace().nth(1)?.parse().ok()))
        .unwrap_or(0)
}

/// Resets the peak resident memory (Linux `clear_refs`), so that a later `VmHWM` is this phase's.
fn reset_peak() {
    let _ = std::fs::write("/proc/self/clear_refs", "5");
}

/// Uploads `file` with curl (a separate process, so the upload's buffer is not counted in this
/// process's memory) and returns the answer and the time taken.
fn upload(mutu: std::net::SocketAddr, token: &str, file: &Path) -> Result<(serde_json::Value, Duration)> {
    upload_to(mutu, token, "/api/cases/import", file)
}

/// [`upload`] to another import route (`/api/payments/import`).
pub fn upload_to(
    mutu: std::net::SocketAddr,
    token: &str,
    route: &str,
    file: &Path,
) -> Result<(serde_json::Value, Duration)> {
    let started = Instant::now();
    let output = Command::new("curl")
        .args(["-sS", "--fail-with-body", "-H"])
        .arg(format!("Authorization: Bearer {token}"))
        .arg("-F")
        .arg(format!("file=@{};type=text/csv", file.display()))
        .arg(format!("http://{mutu}{route}"))
        .output()
        .context("running curl")?;
    let took = started.elapsed();
    if !output.status.success() {
        bail!(
            "the import failed: {} {}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        );
    }
    Ok((serde_json::from_slice(&output.stdout)?, took))
}

/// What SQLite alone needs to store the rows of `plain` (the `.import`ed file) in Mutu's `cases`
/// table, with its indexes, in one `INSERT … SELECT`: the floor under any import into that
/// schema. The schema is read from Mutu's own database (`import.db`).
fn sqlite_floor(dir: &Path, plain: &Path) -> Result<Duration> {
    let schema =
        Command::new("sqlite3").arg(dir.join("import.db")).arg(".schema cases").output().context("running sqlite3")?;
    ensure!(schema.status.success(), "sqlite3 .schema failed");
    let floor = dir.join("floor.db");
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", floor.display()));
    }
    let setup = format!("PRAGMA journal_mode=WAL; {}", String::from_utf8(schema.stdout)?);
    let status = Command::new("sqlite3")
        .arg(&floor)
        .arg(setup)
        .stdout(std::process::Stdio::null())
        .status()
        .context("running sqlite3")?;
    ensure!(status.success(), "creating the floor database failed");
    let insert = format!(
        "PRAGMA synchronous=NORMAL; PRAGMA cache_size=-32768; ATTACH '{}' AS p; \
         INSERT INTO cases (imported_at, imported_by, import_id, status, customer_no, customer_name, service, bucket, bill_amount, \
         agent_id, team_id, call_at, reason, promise_date, recording_ref) \
         SELECT '2026-11-29T10:00:00.000000+00:00', 1, 1, 'pending', customer_no, customer_name, replace(service, '-', ''), \
         replace(bucket, '+', ''), CAST(bill_amount AS INTEGER), CASE agent_username WHEN 'agent1' THEN 1 WHEN 'agent2' THEN 2 ELSE 3 END, \
         1, replace(call_at, ' ', 'T') || '+00:00', reason, promise_date, recording_ref FROM p.agrees WHERE true \
         ON CONFLICT (customer_no, call_at, agent_id) DO NOTHING;",
        plain.display()
    );
    let started = Instant::now();
    let status = Command::new("sqlite3")
        .arg(&floor)
        .arg(insert)
        .stdout(std::process::Stdio::null())
        .status()
        .context("running sqlite3")?;
    let took = started.elapsed();
    ensure!(status.success(), "the floor insert failed");
    Ok(took)
}

/// Mutu for D: a fresh SQLite database with the demo data.
pub async fn start_import_app(dir: &Path) -> Result<App> {
    let url = format!("sqlite://{}?mode=rwc", dir.join("import.db").display());
    let app = App::start(Config::for_database(&url)).await.context("starting Mutu for D")?;
    app.load_demo().await?;
    Ok(app)
}

/// D: the import against `sqlite3 .import` of the same file.
pub async fn measure_import(mutu: std::net::SocketAddr, dir: &Path) -> Result<ResultD> {
    let token = crate::documents::token(mutu, "qco1").await?;
    let small = dir.join("agrees-100k.csv");
    let big = dir.join("agrees-300k.csv");
    write_csv(&small, 100_000, 0)?;
    write_csv(&big, 300_000, 100_000)?;

    let plain = dir.join("plain.db");
    let started = Instant::now();
    let status = Command::new("sqlite3")
        .arg(&plain)
        .arg(format!(".import --csv {} agrees", small.display()))
        .status()
        .context("running sqlite3")?;
    let sqlite_time = started.elapsed();
    ensure!(status.success(), "sqlite3 .import failed");
    let floor_time = sqlite_floor(dir, &plain)?;
    let base = rss_kb("VmRSS:");
    reset_peak();
    let (answer, mutu_time) = upload(mutu, &token, &small)?;
    let peak_100k = rss_kb("VmHWM:").saturating_sub(base);
    ensure!(answer["imported"] == 100_000, "the import answered {answer}");
    let base = rss_kb("VmRSS:");
    reset_peak();
    let (answer, _) = upload(mutu, &token, &big)?;
    let peak_300k = rss_kb("VmHWM:").saturating_sub(base);
    ensure!(answer["imported"] == 300_000, "the 300k import answered {answer}");

    let d = ResultD {
        mutu_rows_per_s: 100_000.0 / mutu_time.as_secs_f64(),
        sqlite_rows_per_s: 100_000.0 / sqlite_time.as_secs_f64(),
        floor_rows_per_s: 100_000.0 / floor_time.as_secs_f64(),
        peak_100k_mb: peak_100k as f64 / 1024.0,
        peak_300k_mb: peak_300k as f64 / 1024.0,
    };
    println!(
        "  D: 100,000-row CSV: Mutu {:.0} rows/s ({:.2} s) vs sqlite3 .import {:.0} rows/s ({:.2} s) = {:.2}× (target ≥ 0.5×)",
        d.mutu_rows_per_s,
        mutu_time.as_secs_f64(),
        d.sqlite_rows_per_s,
        sqlite_time.as_secs_f64(),
        d.ratio()
    );
    println!(
        "  D: for context: sqlite3 itself moving the same rows from that plain table into Mutu's cases table (its unique key and \
         four indexes, one statement, no foreign keys) {:.0} rows/s ({:.2} s); Mutu reaches {:.2}× of that",
        d.floor_rows_per_s,
        floor_time.as_secs_f64(),
        d.mutu_rows_per_s / d.floor_rows_per_s
    );
    println!(
        "  D: server memory above its resting size: {:.1} MB while importing 100,000 rows, {:.1} MB for 300,000 rows ({})",
        d.peak_100k_mb,
        d.peak_300k_mb,
        if d.flat() { "flat" } else { "grows with the file" }
    );
    Ok(d)
}
