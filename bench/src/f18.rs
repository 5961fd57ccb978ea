//! F-18 scoring at size (`cargo xtask bench f18`): 4 million sheets with 20 answers each
//! (80 million answers) of a 2,000-agent site over 24 months, on SQLite and on PostgreSQL.
//!
//! - **G1** — an agent's list of sheets (`GET /api/evaluations?agent_id=…`), the first page and
//!   the page after it by keyset cursor. Target: p99 < 20 ms.
//! - **G2** — one sheet with its answers (`GET /api/evaluations/{id}`). Target: p99 < 10 ms.
//! - **G3** — per-parameter fail rates of one team over one month
//!   (`GET /api/reports/parameter-fail-rates`). Target: < 300 ms (p99).
//!
//! - **I** — the landing page's overview (`GET /api/dashboards/overview`, issue 13) for a month
//!   with its twelve-month trend, site-wide and for one team, on the same site with its agrees
//!   ([`crate::f19::generate`], run here when the database has none). Targets: p99 < 300 ms
//!   site-wide, < 150 ms for a team.
//!
//! The generator ([`generate`]) creates the form through the API (so it is a real published
//! form), then writes the sheets and answers in plain SQL straight into Mutu's schema.

use std::time::{Duration, Instant};

use anyhow::{Context, Result, ensure};
use mutu_backend::App;
use sea_orm::{ConnectionTrait, DatabaseBackend};

use crate::f19::Site;
use crate::load::{self, Stats, Target};

/// Answers per sheet (the bench form's parameters).
pub const PARAMETERS: i64 = 20;
const BATCH: i64 = 250_000;

pub struct ResultG {
    pub database: &'static str,
    pub sheets: i64,
    pub list_first: Stats,
    pub list_next: Stats,
    pub sheet: Stats,
    pub fail_rates: Stats,
}

impl ResultG {
    pub fn pass(&self) -> bool {
        self.list_first.p99() < Duration::from_millis(20)
            && self.list_next.p99() < Duration::from_millis(20)
            && self.sheet.p99() < Duration::from_millis(10)
            && self.fail_rates.p99() < Duration::from_millis(300)
            && self.list_first.errors + self.list_next.errors + self.sheet.errors + self.fail_rates.errors == 0
    }
}

/// I: the overview's p99, site-wide and per team.
pub struct ResultI {
    pub database: &'static str,
    /// The dashboard (`overview`, `breakdown?by=…`, `heatmap`, `workload`).
    pub dashboard: &'static str,
    pub cases: i64,
    pub sheets: i64,
    pub site: Stats,
    pub team: Stats,
}

impl ResultI {
    pub fn pass(&self) -> bool {
        self.site.p99() < Duration::from_millis(300)
            && self.team.p99() < Duration::from_millis(150)
            && self.site.errors + self.team.errors == 0
    }
}

/// Every dashboard endpoint the landing page calls, with its own query (the site's breakdown by
/// team; a team's by agent, as the page offers them).
pub const DASHBOARDS: [(&str, &str, &str); 4] = [
    ("overview", "overview?", "overview?"),
    ("breakdown", "breakdown?by=team&", "breakdown?by=agent&"),
    ("heatmap", "heatmap?", "heatmap?"),
    ("workload", "workload?", "workload?"),
];

/// I on a database [`generate`] has filled, for each of [`DASHBOARDS`]: the site's agrees are
/// generated first if missing.
pub async fn measure_overview(
    database: &'static str,
    app: &App,
    mutu: std::net::SocketAddr,
    site: &Site,
    size: crate::f19::Size,
    warmup: Duration,
    measure: Duration,
) -> Result<Vec<ResultI>> {
    let db = &app.state.db.conn;
    let b = db.get_database_backend();
    let count = |sql: &str| sea_orm::Statement::from_string(b, sql.to_owned());
    let n = |row: Option<sea_orm::QueryResult>| -> Result<i64> { Ok(row.context("no count")?.try_get("", "n")?) };
    let mut cases = n(db
        .query_one_raw(count("SELECT CAST(COUNT(*) AS BIGINT) AS n FROM cases WHERE customer_no LIKE 'B%'"))
        .await?)?;
    if cases == 0 {
        println!("  generating the site's agrees for the overview …");
        crate::f19::generate(app, site, size).await?;
        cases = n(db
            .query_one_raw(count("SELECT CAST(COUNT(*) AS BIGINT) AS n FROM cases WHERE customer_no LIKE 'B%'"))
            .await?)?;
    }
    let sheets = n(db.query_one_raw(count("SELECT CAST(COUNT(*) AS BIGINT) AS n FROM evaluations")).await?)?;
    let token = crate::documents::token(mutu, "qrd").await?;
    let client = load::client();
    // Six months of the generated period, each with its twelve-month trend; 20 teams.
    let end = crate::f19::report_period(size).1;
    let end = chrono::NaiveDate::parse_from_str(&end, "%Y-%m-%d")?;
    let month = |k: i64| {
        let last = end - chrono::Duration::days(30 * k);
        (format!("{}", last.format("%Y-%m")), format!("{}", last.format("%Y-%m")))
    };
    let mut out = Vec::new();
    for (dashboard, site_query, team_query) in DASHBOARDS {
        let mut site_targets = Vec::new();
        let mut team_targets = Vec::new();
        for k in 0..6 {
            let (from, to) = month(k);
            site_targets.push(Target::get(
                &format!("http://{mutu}/api/dashboards/{site_query}from={from}&to={to}"),
                Some(&token),
            )?);
        }
        for k in 0..20 {
            let team = site.first_team + (k * 7) % (site.agents / crate::f19::AGENTS_PER_TEAM);
            let (from, to) = month(k % 6);
            team_targets.push(Target::get(
                &format!("http://{mutu}/api/dashboards/{team_query}from={from}&to={to}&team_id={team}"),
                Some(&token),
            )?);
        }
        let (status, body) = site_targets[0].fetch(&client).await?;
        ensure!(
            status == 200,
            "the {dashboard} answered {status}: {}",
            String::from_utf8_lossy(&body[..body.len().min(300)])
        );
        if dashboard == "overview" {
            let overview: serde_json::Value = serde_json::from_slice(&body)?;
            let validated = overview["current"]["validations"]["approved"].as_u64().unwrap_or(0)
                + overview["current"]["validations"]["returned"].as_u64().unwrap_or(0);
            ensure!(validated > 0, "the overview's month holds no validated agrees: {}", overview["current"]);
        }
        let site_stats = load::closed_loop_rotating(&site_targets, 1, warmup, measure).await?;
        let team_stats = load::closed_loop_rotating(&team_targets, 1, warmup, measure).await?;
        println!("{}", Stats::header());
        println!("{}", site_stats.row(&format!("{dashboard}, site month ({database})")));
        println!("{}", team_stats.row(&format!("{dashboard}, one team ({database})")));
        out.push(ResultI { database, dashboard, cases, sheets, site: site_stats, team: team_stats });
    }
    Ok(out)
}

/// The bench form: 6 sections, 20 weighted parameters (no fatal items, so sheets keep scores).
fn form() -> serde_json::Value {
    let sections: Vec<serde_json::Value> = (0..5)
        .map(|s| {
            let parameters: Vec<serde_json::Value> = (0..4)
                .map(|p| {
                    let k = s * 4 + p;
                    serde_json::json!({
                        "key": format!("p{k:02}"), "label": format!("Parameter {k}"), "guidance": "",
                        "weight": 5.0, "fatal": false, "allow_na": true, "comment_on_fail": false,
                    })
                })
                .collect();
            serde_json::json!({ "key": format!("s{s}"), "title": format!("Bagian {s}"), "parameters": parameters })
        })
        .collect();
    serde_json::json!({ "code": "F18-BENCH", "title": "Form uji beban", "sections": sections, "publish": true })
}

async fn post_json(url: &str, token: &str, body: &serde_json::Value) -> Result<serde_json::Value> {
    let output = std::process::Command::new("curl")
        .args(["-sS", "--fail-with-body", "-H", "Content-Type: application/json", "-H"])
        .arg(format!("Authorization: Bearer {token}"))
        .arg("--data-binary")
        .arg(body.to_string())
        .arg(url)
        .output()
        .context("running curl")?;
    ensure!(output.status.success(), "POST {url}: {}", String::from_utf8_lossy(&output.stdout));
    Ok(serde_json::from_slice(&output.stdout)?)
}

/// `sheets` submitted-and-acknowledged sheets spread over the site's agents and period, each
/// with [`PARAMETERS`] answers (about one in nine failed).
pub async fn generate(app: &App, mutu: std::net::SocketAddr, site: &Site, sheets: i64) -> Result<(i64, i64)> {
    let db = &app.state.db.conn;
    let b = db.get_database_backend();
    let qrd = crate::documents::token(mutu, "qrd").await?;
    let created = post_json(&format!("http://{mutu}/api/scoring-forms"), &qrd, &form()).await?;
    let form_id = created["id"].as_i64().context("the form has no id")?;
    let started = Instant::now();
    let step = site.span_secs() as f64 / sheets as f64;
    let (first_agent, first_team, first_qco, agents) = (site.first_agent, site.first_team, site.first_qco, site.agents);
    let per_team = crate::f19::AGENTS_PER_TEAM;
    let qcos = crate::f19::QCOS;
    let start = site.start;
    let fals = if b == DatabaseBackend::Postgres { "FALSE" } else { "0" };
    println!("  generating {sheets} sheets × {PARAMETERS} answers …");
    let mut done = 0;
    while done < sheets {
        let last = (done + BATCH).min(sheets) - 1;
        let (series, call_at, plus) = if b == DatabaseBackend::Postgres {
            (
                format!("generate_series({done}::bigint, {last}::bigint) AS i"),
                format!("to_timestamp({start} + floor(i * {step}))"),
                format!("to_timestamp({start} + floor(i * {step}) + 86400)"),
            )
        } else {
            (
                "n".to_owned(),
                format!("strftime('%Y-%m-%dT%H:%M:%S+00:00', {start} + CAST(i * {step} AS INTEGER), 'unixepoch')"),
                format!(
                    "strftime('%Y-%m-%dT%H:%M:%S+00:00', {start} + CAST(i * {step} AS INTEGER) + 86400, 'unixepoch')"
                ),
            )
        };
        let retain = if b == DatabaseBackend::Postgres {
            format!(
                "to_char(to_timestamp({start} + floor(i * {step}) + 86400) AT TIME ZONE 'UTC' + interval '24 months', 'YYYY-MM-DD')"
            )
        } else {
            format!("strftime('%Y-%m-%d', {start} + CAST(i * {step} AS INTEGER) + 86400, 'unixepoch', '+24 months')")
        };
        let with = if b == DatabaseBackend::Postgres {
            String::new()
        } else {
            format!("WITH RECURSIVE n(i) AS (SELECT {done} UNION ALL SELECT i + 1 FROM n WHERE i < {last}) ")
        };
        db.execute_unprepared(&format!(
            "{with}INSERT INTO evaluations (form_id, agent_id, qco_id, team_id, call_ref, call_at, service, bucket, recording_ref, comment, score, fatal, status, \
             created_at, updated_at, submitted_at, acknowledged_at, retain_until, version, retention_months, retention_from) \
             SELECT {form_id}, {first_agent} + i % {agents}, {first_qco} + i % {qcos}, {first_team} + (i % {agents}) / {per_team}, 'CALL-' || i, {call_at}, \
             CASE WHEN i % 3 = 0 THEN 'CT0' ELSE 'PRANPC' END, CASE i % 3 WHEN 0 THEN 'N2' WHEN 1 THEN 'N' ELSE 'N1' END, 'EB-' || i, NULL, \
             100 - (i % 4) * 5, {fals}, 'acknowledged', {plus}, {plus}, {plus}, {plus}, {retain}, 1, 24, 'acknowledged' FROM {series}"
        ))
        .await?;
        done = last + 1;
        if done % 1_000_000 == 0 || done == sheets {
            println!("  … {done} sheets ({:.0} s)", started.elapsed().as_secs_f64());
        }
    }
    let (min_id, max_id): (i64, i64) = {
        let row = db
            .query_one_raw(sea_orm::Statement::from_string(b, format!("SELECT CAST(MIN(id) AS BIGINT) AS lo, CAST(MAX(id) AS BIGINT) AS hi FROM evaluations WHERE form_id = {form_id}")))
            .await?
            .context("no sheets")?;
        (row.try_get("", "lo")?, row.try_get("", "hi")?)
    };
    let params: Vec<String> = (0..PARAMETERS).map(|k| format!("('p{k:02}', {k})")).collect();
    let mut id = min_id;
    while id <= max_id {
        let hi = (id + BATCH - 1).min(max_id);
        let sql = if b == DatabaseBackend::Postgres {
            format!(
                "INSERT INTO evaluation_answers (evaluation_id, parameter_key, value, comment, moment) \
                 SELECT e.id, p.key, CASE WHEN (e.id + p.k) % 9 = 0 THEN 'fail' WHEN (e.id + p.k) % 31 = 0 THEN 'na' ELSE 'pass' END, NULL, NULL \
                 FROM evaluations e CROSS JOIN (VALUES {}) AS p(key, k) WHERE e.id BETWEEN {id} AND {hi} ORDER BY e.id, p.key",
                params.join(",")
            )
        } else {
            format!(
                "WITH p(key, k) AS (VALUES {}) INSERT INTO evaluation_answers (evaluation_id, parameter_key, value, comment, moment) \
                 SELECT e.id, p.key, CASE WHEN (e.id + p.k) % 9 = 0 THEN 'fail' WHEN (e.id + p.k) % 31 = 0 THEN 'na' ELSE 'pass' END, NULL, NULL \
                 FROM evaluations e CROSS JOIN p WHERE e.id BETWEEN {id} AND {hi} ORDER BY e.id, p.key",
                params.join(",")
            )
        };
        db.execute_unprepared(&sql).await?;
        id = hi + 1;
        if (id - min_id) % 1_000_000 < BATCH || id > max_id {
            println!("  … answers of {} sheets ({:.0} s)", id - min_id, started.elapsed().as_secs_f64());
        }
    }
    // The per-team daily roll-up the server keeps up to date with every submission.
    mutu_backend::scoring::stats::rebuild(db, app.state.config.offset())
        .await
        .map_err(|e| anyhow::anyhow!("rebuilding the fail-rate roll-up: {e:?}"))?;
    mutu_backend::dashboards::rollup::rebuild(db, app.state.config.offset())
        .await
        .map_err(|e| anyhow::anyhow!("rebuilding the dashboards' roll-up: {e:?}"))?;
    println!("  … roll-ups rebuilt ({:.0} s)", started.elapsed().as_secs_f64());
    db.execute_unprepared("ANALYZE").await?;
    println!("  … generated in {:.0} s", started.elapsed().as_secs_f64());
    Ok((min_id, max_id))
}

/// G1–G3 on a database [`generate`] has filled.
pub async fn measure(
    database: &'static str,
    mutu: std::net::SocketAddr,
    site: &Site,
    (min_id, max_id): (i64, i64),
    warmup: Duration,
    measure: Duration,
) -> Result<ResultG> {
    let sheets = max_id - min_id + 1;
    let token = crate::documents::token(mutu, "qrd").await?;
    let client = load::client();
    // 100 agents spread over the site; the second page comes from each first page's cursor.
    let mut first_pages = Vec::new();
    let mut next_pages = Vec::new();
    for k in 0..100 {
        let agent = site.first_agent + (k * 37) % site.agents;
        let url = format!("http://{mutu}/api/evaluations?agent_id={agent}&limit=50");
        let first = Target::get(&url, Some(&token))?;
        let (status, body) = first.fetch(&client).await?;
        ensure!(status == 200, "the list answered {status}: {}", String::from_utf8_lossy(&body[..body.len().min(300)]));
        let page: serde_json::Value = serde_json::from_slice(&body)?;
        ensure!(!page["items"].as_array().is_none_or(Vec::is_empty), "agent {agent} has no sheets");
        // A small --scale may leave an agent with one page only.
        if let Some(cursor) = page["next_cursor"].as_str() {
            next_pages.push(Target::get(&format!("{url}&cursor={cursor}"), Some(&token))?);
        }
        first_pages.push(first);
    }
    let mut sheets_targets = Vec::new();
    for k in 0..200i64 {
        // Ids spread over the whole range (the generator's ids are dense).
        let id = min_id + (sheets - 1) * ((k * 7919) % 200) / 199;
        sheets_targets.push(Target::get(&format!("http://{mutu}/api/evaluations/{id}"), Some(&token))?);
    }
    let (status, body) = sheets_targets[10].fetch(&client).await?;
    ensure!(status == 200, "a sheet answered {status}: {}", String::from_utf8_lossy(&body[..body.len().min(300)]));
    let sheet: serde_json::Value = serde_json::from_slice(&body)?;
    ensure!(sheet["answers"].as_array().map_or(0, Vec::len) as i64 == PARAMETERS, "a sheet lacks its answers");
    let mut fail_targets = Vec::new();
    let end_day = site.start + site.span_secs() - 86_400 * 35;
    for k in 0..20 {
        let team = site.first_team + (k * 7) % (site.agents / crate::f19::AGENTS_PER_TEAM);
        let to = crate::f19::day(end_day - k * 86_400 * 30);
        let from = crate::f19::day(end_day - k * 86_400 * 30 - 29 * 86_400);
        fail_targets.push(Target::get(
            &format!("http://{mutu}/api/reports/parameter-fail-rates?team_id={team}&from={from}&to={to}"),
            Some(&token),
        )?);
    }
    let (status, body) = fail_targets[0].fetch(&client).await?;
    ensure!(status == 200, "fail rates answered {status}: {}", String::from_utf8_lossy(&body[..body.len().min(300)]));

    let list_first = load::closed_loop_rotating(&first_pages, 4, warmup, measure).await?;
    if next_pages.is_empty() {
        next_pages.push(first_pages[0].clone());
    }
    let list_next = load::closed_loop_rotating(&next_pages, 4, warmup, measure).await?;
    let sheet = load::closed_loop_rotating(&sheets_targets, 4, warmup, measure).await?;
    let fail_rates = load::closed_loop_rotating(&fail_targets, 1, warmup, measure).await?;
    println!("{}", Stats::header());
    println!("{}", list_first.row(&format!("agent's list, page 1 ({database})")));
    println!("{}", list_next.row(&format!("agent's list, page 2 ({database})")));
    println!("{}", sheet.row(&format!("one sheet + answers ({database})")));
    println!("{}", fail_rates.row(&format!("team fail rates ({database})")));
    Ok(ResultG { database, sheets, list_first, list_next, sheet, fail_rates })
}

/// The site and sheet ids of a database an earlier run generated (`--reuse`).
pub async fn existing(app: &App, size: crate::f19::Size) -> Result<(Site, (i64, i64))> {
    let db = &app.state.db.conn;
    let b = db.get_database_backend();
    let one = |sql: &str| sea_orm::Statement::from_string(b, sql.to_owned());
    let row = db
        .query_one_raw(one(
            "SELECT CAST(MIN(t.id) AS BIGINT) AS team, (SELECT CAST(MIN(id) AS BIGINT) FROM users WHERE username LIKE 'bagent%') AS agent, \
             (SELECT CAST(MIN(id) AS BIGINT) FROM users WHERE username LIKE 'bqco%') AS qco, \
             (SELECT CAST(COUNT(*) AS BIGINT) FROM users WHERE username LIKE 'bagent%') AS agents FROM teams t WHERE t.name LIKE 'Bench Tim %'",
        ))
        .await?
        .context("no bench site")?;
    let site = Site {
        first_team: row.try_get("", "team")?,
        first_agent: row.try_get("", "agent")?,
        first_qco: row.try_get("", "qco")?,
        agents: row.try_get("", "agents")?,
        months: size.months,
        start: crate::f19::period_start(size),
    };
    let ids = db
        .query_one_raw(one(
            "SELECT CAST(MIN(e.id) AS BIGINT) AS lo, CAST(MAX(e.id) AS BIGINT) AS hi FROM evaluations e JOIN scoring_forms f ON f.id = e.form_id WHERE f.code = 'F18-BENCH'",
        ))
        .await?
        .context("no bench sheets")?;
    // An earlier run may have stopped before its roll-up was built.
    let rolled = db
        .query_one_raw(one("SELECT CAST(COUNT(*) AS BIGINT) AS n FROM evaluation_day_stats"))
        .await?
        .context("no count")?;
    if rolled.try_get::<i64>("", "n")? == 0 {
        println!("  rebuilding the fail-rate roll-up …");
        mutu_backend::scoring::stats::rebuild(db, app.state.config.offset())
            .await
            .map_err(|e| anyhow::anyhow!("rebuilding the fail-rate roll-up: {e:?}"))?;
        db.execute_unprepared("ANALYZE").await?;
    }
    Ok((site, (ids.try_get("", "lo")?, ids.try_get("", "hi")?)))
}
