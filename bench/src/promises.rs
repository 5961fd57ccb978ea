//! H — promises kept at size (issue 16), part of `cargo xtask bench f19`, on the site E and F
//! generated (15 million cases at scale 1):
//!
//! - **H1** — a month of the billing system's payments (600,000 rows at scale 1) through
//!   `POST /api/payments/import`, the statuses of their customers' promises recomputed, against
//!   the agree import's rows/s measured in D on the same machine. Target: within 1.5× per row.
//! - **H2** — the keep-rate report for one month, site-wide, by agent. Target: p99 < 300 ms.
//! - **H3** — one case's promise panel (`GET /api/cases/{id}`, which evaluates the customer's
//!   promise afresh). Target: p99 < 20 ms.
//!
//! [`generate`] writes one payment per paid agree (85 % paid in full, 5 % half, 10 % nothing) and
//! each agree's stored promise, in plain SQL after E and F's generator.

use std::path::Path;
use std::time::Duration;

use anyhow::{Result, ensure};
use mutu_backend::App;
use sea_orm::{ConnectionTrait, DatabaseBackend};

use crate::f19::{Size, upload_to};
use crate::load::{self, Stats, Target};

/// The payments of the generated agrees, and every agree's stored promise as the rules (100 %,
/// no grace) make it: kept when paid in full, broken when not and the promise date has passed.
pub async fn generate(app: &App, size: Size) -> Result<()> {
    let db = &app.state.db.conn;
    let pg = db.get_database_backend() == DatabaseBackend::Postgres;
    let started = std::time::Instant::now();
    let settled = size.cases - size.pending;
    // Case `B{i}`'s index, from its customer number.
    let i = if pg { "CAST(substr(c.customer_no, 2) AS BIGINT)" } else { "CAST(substr(c.customer_no, 2) AS INTEGER)" };
    let paid_at =
        if pg { "c.call_at + interval '2 days'" } else { "strftime('%Y-%m-%dT%H:%M:%S+00:00', c.call_at, '+2 days')" };
    let now = if pg { "now()" } else { "strftime('%Y-%m-%dT%H:%M:%S+00:00', 'now')" };
    println!("  promises: payments …");
    db.execute_unprepared(&format!(
        "INSERT INTO payments (customer_no, kind, payment_ref, paid_at, amount, channel, import_id, created_at) \
         SELECT c.customer_no, 'payment', 'P' || c.customer_no, {paid_at}, \
         CASE WHEN {i} % 20 = 17 THEN c.bill_amount / 2 ELSE c.bill_amount END, 'teller', NULL, {now} \
         FROM cases c WHERE c.customer_no LIKE 'B%' AND {i} % 20 < 18 ORDER BY c.id"
    ))
    .await?;
    println!("  … payments in {:.0} s; stored promises …", started.elapsed().as_secs_f64());
    let today = chrono::Utc::now().format("%Y-%m-%d").to_string();
    db.execute_unprepared(&format!(
        "INSERT INTO case_promises (case_id, customer_no, status, due_date, promised_amount, paid_amount, reached_on, evaluated_on, updated_at) \
         SELECT c.id, c.customer_no, \
         CASE WHEN {i} >= {settled} THEN 'pending' WHEN {i} % 20 < 17 THEN 'kept' ELSE 'broken' END, \
         c.promise_date, c.bill_amount, \
         CASE WHEN {i} % 20 < 17 THEN c.bill_amount WHEN {i} % 20 = 17 THEN c.bill_amount / 2 ELSE 0 END, \
         CASE WHEN {i} % 20 < 17 THEN substr(CAST({paid_at} AS TEXT), 1, 10) END, '{today}', {now} \
         FROM cases c WHERE c.customer_no LIKE 'B%' ORDER BY c.id"
    ))
    .await?;
    // The keep-rate report's roll-up, as the server keeps it (the rows above bypassed it).
    mutu_backend::promises::rollup::rebuild(db, app.state.config.offset())
        .await
        .map_err(|e| anyhow::anyhow!("rebuilding the keep-rate roll-up: {e:?}"))?;
    db.execute_unprepared("ANALYZE").await?;
    println!("  … promises generated in {:.0} s", started.elapsed().as_secs_f64());
    Ok(())
}

pub struct ResultH {
    pub database: &'static str,
    pub rows: usize,
    pub rows_per_s: f64,
    pub report: Stats,
    pub panel: Stats,
}

/// H1–H3 against a running server on the generated site.
pub async fn measure(
    database: &'static str,
    app: &App,
    mutu: std::net::SocketAddr,
    dir: &Path,
    size: Size,
    (from, to): (String, String),
    warmup: Duration,
    measure: Duration,
) -> Result<ResultH> {
    let token = crate::documents::token(mutu, "qrd").await?;
    // H1: a month of payments for the newest agrees (the pending tail, whose promises move).
    let rows = ((600_000.0 * size.cases as f64 / 15_000_000.0) as usize).max(100);
    let file = dir.join("payments.csv");
    {
        use std::io::Write;
        let mut out = std::io::BufWriter::new(std::fs::File::create(&file)?);
        writeln!(out, "customer_no,paid_at,amount,payment_ref,kind,channel")?;
        let now = chrono::Utc::now();
        // Yesterday in any zone, and references of this run (a kept database has earlier ones).
        let day = (now - chrono::Duration::days(1)).format("%Y-%m-%d");
        let run = now.timestamp();
        for k in 0..rows {
            let customer = size.cases - 1 - (k as i64 % size.pending.max(1));
            writeln!(out, "B{customer},{day} 09:{:02},150000,BULAN-{run}-{k},payment,teller", k % 60)?;
        }
    }
    let (answer, took) = upload_to(mutu, &token, "/api/payments/import", &file)?;
    ensure!(answer["imported"].as_u64() == Some(rows as u64), "the payment import answered {answer}");
    let rows_per_s = rows as f64 / took.as_secs_f64();
    println!("  H1 ({database}): {rows} payments imported in {:.1} s = {rows_per_s:.0} rows/s", took.as_secs_f64());

    // H2: the keep-rate report of the month, site-wide, by agent.
    let client = load::client();
    let report =
        Target::get(&format!("http://{mutu}/api/reports/promises?from={from}&to={to}&group_by=agent"), Some(&token))?;
    let (status, body) = report.fetch(&client).await?;
    ensure!(status == 200, "the keep-rate report answered {status}: {}", String::from_utf8_lossy(&body));
    let json: serde_json::Value = serde_json::from_slice(&body)?;
    ensure!(json["totals"]["kept"].as_u64().unwrap_or(0) > 0, "the report period {from}..{to} holds no kept promise");
    let report = load::closed_loop(&report, 4, warmup, measure).await?;

    // H3: the promise panel of settled agrees, rotating over a thousand of them.
    let first: Option<i64> = app
        .state
        .db
        .conn
        .query_one_raw(sea_orm::Statement::from_string(
            app.state.db.conn.get_database_backend(),
            "SELECT CAST(MIN(id) AS BIGINT) AS id FROM cases WHERE customer_no LIKE 'B%'",
        ))
        .await?
        .and_then(|row| row.try_get::<i64>("", "id").ok());
    let first = first.ok_or_else(|| anyhow::anyhow!("no generated case"))?;
    let cases: Vec<Target> = (0..1_000)
        .map(|k| {
            let id = first + (k * 7_919) % (size.cases - size.pending).max(1);
            Target::get(&format!("http://{mutu}/api/cases/{id}"), Some(&token))
        })
        .collect::<Result<_>>()?;
    let (status, body) = cases[0].fetch(&client).await?;
    ensure!(status == 200, "a case answered {status}");
    let case: serde_json::Value = serde_json::from_slice(&body)?;
    ensure!(case["promise"].is_object(), "a generated case has no promise: {case}");
    let panel = load::closed_loop_rotating(&cases, 4, warmup, measure).await?;
    println!("{}", Stats::header());
    println!("{}", report.row(&format!("keep-rate report, a month ({database})")));
    println!("{}", panel.row(&format!("promise panel ({database})")));
    Ok(ResultH { database, rows, rows_per_s, report, panel })
}
