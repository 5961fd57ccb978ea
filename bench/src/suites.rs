//! The at-size suites `f19` and `f18`: each generates its data on SQLite, measures, then does
//! the same on PostgreSQL when `MUTU_BENCH_PG_URL` names a server, and prints a summary table.

use std::path::Path;
use std::time::Duration;

use anyhow::{Context, Result};
use mutu_backend::{App, Config};
use sea_orm::ConnectionTrait;

use crate::f19::{self, Shell, Size};
use crate::promises;
use crate::{f18, load, serve, verdict};

fn runtimes() -> Result<(tokio::runtime::Runtime, tokio::runtime::Runtime)> {
    let servers = tokio::runtime::Builder::new_multi_thread().thread_name("server").enable_all().build()?;
    let load = tokio::runtime::Builder::new_multi_thread().thread_name("load").enable_all().build()?;
    Ok((servers, load))
}

/// The bench database `name` on the server of `MUTU_BENCH_PG_URL`: created afresh, or with
/// `reuse` kept when it exists (the bool says whether it was kept).
async fn pg(name: &str, reuse: bool) -> Result<Option<(String, bool)>> {
    let Ok(admin) = std::env::var("MUTU_BENCH_PG_URL") else {
        println!("bench: MUTU_BENCH_PG_URL is not set: PostgreSQL skipped (cargo xtask bench starts a server)");
        return Ok(None);
    };
    let conn = sea_orm::Database::connect(&admin).await.context("connecting to MUTU_BENCH_PG_URL")?;
    let base = admin.rsplit_once('/').map_or(admin.as_str(), |(b, _)| b).to_owned();
    let exists = conn
        .query_one_raw(sea_orm::Statement::from_string(
            conn.get_database_backend(),
            format!("SELECT 1 AS one FROM pg_database WHERE datname = '{name}'"),
        ))
        .await?
        .is_some();
    if reuse && exists {
        return Ok(Some((format!("{base}/{name}"), true)));
    }
    conn.execute_unprepared(&format!("DROP DATABASE IF EXISTS {name}")).await?;
    conn.execute_unprepared(&format!("CREATE DATABASE {name}")).await?;
    Ok(Some((format!("{base}/{name}"), false)))
}

async fn start(url: &str) -> Result<App> {
    let app = App::start(Config::for_database(url)).await.context("starting Mutu")?;
    app.load_demo().await.context("loading the demo data")?;
    Ok(app)
}

pub fn f19(options: &crate::Options, dir: &Path) -> Result<bool> {
    let (servers, load) = runtimes()?;
    let size = Size::scaled(options.scale);
    // D is an SQLite measurement by definition (against `sqlite3 .import`).
    let d = if options.databases == "postgres" {
        None
    } else {
        println!("bench f19: D — import (fresh SQLite database)");
        let app = servers.block_on(f19::start_import_app(dir))?;
        let mutu = servers.block_on(serve(app.router()))?;
        Some(load.block_on(f19::measure_import(mutu, dir))?)
    };

    let mut reports = Vec::new();
    let mut queues = Vec::new();
    let mut promise_results = Vec::new();
    let mut disposals = Vec::new();
    let file = dir.join("f19.db");
    let mut targets: Vec<(&'static str, String, bool)> = Vec::new();
    if options.databases != "postgres" {
        targets.push(("SQLite", format!("sqlite://{}?mode=rwc", file.display()), false));
    }
    if options.databases != "sqlite"
        && let Some((url, kept)) = servers.block_on(pg("mutu_bench_f19", options.reuse))?
    {
        targets.push(("PostgreSQL", url, kept));
    }
    for (database, url, kept) in targets {
        println!(
            "\nbench f19: E, F on {database} ({} cases{})",
            size.cases,
            if kept { ", kept from an earlier run" } else { "" }
        );
        let app = servers.block_on(start(&url))?;
        if !kept {
            let site = servers.block_on(f19::generate_site(&app, size))?;
            servers.block_on(f19::generate(&app, &site, size))?;
            servers.block_on(promises::generate(&app, size))?;
        }
        let mutu = servers.block_on(serve(app.router()))?;
        let shell = if database == "SQLite" { Shell::Sqlite(&file) } else { Shell::Psql(&url) };
        let (e, f) = load.block_on(f19::measure_report_and_queue(
            database,
            &app,
            mutu,
            shell,
            size,
            options.warmup,
            options.measure,
        ))?;
        reports.push(e);
        queues.push(f);
        println!("\nbench f19: H on {database}");
        promise_results.push(load.block_on(promises::measure(
            database,
            &app,
            mutu,
            dir,
            size,
            f19::report_period(size),
            options.warmup,
            options.measure,
        ))?);
        // R last: it deletes a tenth of the validations.
        println!("\nbench f19: R on {database}");
        let sqlite_file = (database == "SQLite").then_some(file.as_path());
        disposals.push(load.block_on(crate::records::measure(
            database,
            &app,
            mutu,
            sqlite_file,
            size,
            options.measure,
        ))?);
    }
    servers.shutdown_timeout(Duration::from_secs(2));
    load.shutdown_timeout(Duration::from_secs(2));

    println!("\n----- summary f19 (paste into the README) -----");
    println!("| measurement | result | target | verdict |\n|---|---|---|---|");
    if let Some(d) = &d {
        println!(
            "| D. import of a 100,000-row CSV | Mutu {:.0} rows/s vs `sqlite3 .import` {:.0} rows/s ({:.2}×) | ≥ 0.5× | {} |",
            d.mutu_rows_per_s,
            d.sqlite_rows_per_s,
            d.ratio(),
            verdict(d.ratio() >= 0.5)
        );
        println!(
            "| D. server memory while importing | {:.1} MB for 100,000 rows, {:.1} MB for 300,000 | flat | {} |",
            d.peak_100k_mb,
            d.peak_300k_mb,
            verdict(d.flat())
        );
    }
    for e in &reports {
        println!(
            "| E. F-19 report, one month of {} cases ({}) | Mutu {} vs by hand {} ({:.2}×), {} rows | ≤ 1.5× | {} |",
            size.cases,
            e.database,
            load::ms(e.mutu),
            load::ms(e.by_hand),
            e.ratio(),
            e.groups,
            verdict(e.pass())
        );
    }
    // H1's yardstick: the agree import's rows/s of D, on this machine (SQLite).
    let agree_rate = d.as_ref().map(|d| d.mutu_rows_per_s);
    for h in &promise_results {
        let (against, pass) = match agree_rate {
            Some(rate) => (
                format!("agree import {rate:.0} rows/s ({:.2}× slower per row)", rate / h.rows_per_s),
                rate / h.rows_per_s <= 1.5,
            ),
            None => ("agree import not measured (run D: --db both or sqlite)".to_owned(), false),
        };
        println!(
            "| H1. import of {} payments, statuses updated ({}) | {:.0} rows/s vs {against} | within 1.5× | {} |",
            h.rows,
            h.database,
            h.rows_per_s,
            verdict(pass)
        );
        println!(
            "| H2. keep-rate report, a month of {} cases ({}) | p99 {} | < 300 ms | {} |",
            size.cases,
            h.database,
            load::ms(h.report.p99()),
            verdict(h.report.p99() < Duration::from_millis(300))
        );
        println!(
            "| H3. one case's promise panel ({}) | p99 {} | < 20 ms | {} |",
            h.database,
            load::ms(h.panel.p99()),
            verdict(h.panel.p99() < Duration::from_millis(20))
        );
    }
    for f in &queues {
        println!(
            "| F. validation queue first page, {} pending ({}) | p99 {} | < 20 ms | {} |",
            size.pending,
            f.database,
            load::ms(f.queue.p99()),
            verdict(f.pass())
        );
    }
    for r in &disposals {
        let size = match (r.file_before, r.file_after) {
            (Some(b), Some(a)) => format!(
                "; file {:.0} MB before, {:.0} MB after (pages reused, not shrunk)",
                b as f64 / 1e6,
                a as f64 / 1e6
            ),
            _ => String::new(),
        };
        println!(
            "| R. dispose {} validations of {} cases ({}) | {:.1} s ({:.0}/s), longest transaction {}, case page p99 {} before / {} during{size} | ≤ 1 s; p99 within 2× | {} |",
            r.disposed,
            r.cases,
            r.database,
            r.took.as_secs_f64(),
            r.disposed as f64 / r.took.as_secs_f64().max(0.001),
            load::ms(r.longest),
            load::ms(r.before.p99()),
            load::ms(r.during.p99()),
            verdict(r.pass())
        );
    }
    println!("-----------------------------------------------");
    Ok(d.as_ref().is_none_or(|d| d.pass()) && reports.iter().all(|e| e.pass()) && queues.iter().all(|f| f.pass()))
}

pub fn f18(options: &crate::Options, dir: &Path) -> Result<bool> {
    let (servers, load) = runtimes()?;
    let size = Size::scaled(options.scale);
    let sheets = (4_000_000.0 * options.scale) as i64;
    let mut results = Vec::new();
    let mut overviews = Vec::new();
    let file = dir.join("f18.db");
    let mut targets: Vec<(&'static str, String, bool)> = Vec::new();
    if options.databases != "postgres" {
        targets.push(("SQLite", format!("sqlite://{}?mode=rwc", file.display()), false));
    }
    if options.databases != "sqlite"
        && let Some((url, kept)) = servers.block_on(pg("mutu_bench_f18", options.reuse))?
    {
        targets.push(("PostgreSQL", url, kept));
    }
    for (database, url, kept) in targets {
        println!(
            "\nbench f18: G on {database} ({sheets} sheets{})",
            if kept { ", kept from an earlier run" } else { "" }
        );
        let app = servers.block_on(start(&url))?;
        let mutu = servers.block_on(serve(app.router()))?;
        let (site, ids) = if kept {
            servers.block_on(f18::existing(&app, size))?
        } else {
            let site = servers.block_on(f19::generate_site(&app, size))?;
            let ids = servers.block_on(f18::generate(&app, mutu, &site, sheets))?;
            (site, ids)
        };
        results.push(load.block_on(f18::measure(database, mutu, &site, ids, options.warmup, options.measure))?);
        overviews.extend(load.block_on(f18::measure_overview(
            database,
            &app,
            mutu,
            &site,
            size,
            options.warmup,
            options.measure,
        ))?);
    }
    servers.shutdown_timeout(Duration::from_secs(2));
    load.shutdown_timeout(Duration::from_secs(2));
    println!("\n----- summary f18 (paste into the README) -----");
    println!("| measurement | result | target | verdict |\n|---|---|---|---|");
    for g in &results {
        println!(
            "| G. {} sheets × {} answers ({}) | agent's list p99 {} / next page {}; one sheet p99 {}; team fail rates p99 {} | < 20 / 20 / 10 / 300 ms | {} |",
            g.sheets,
            f18::PARAMETERS,
            g.database,
            load::ms(g.list_first.p99()),
            load::ms(g.list_next.p99()),
            load::ms(g.sheet.p99()),
            load::ms(g.fail_rates.p99()),
            verdict(g.pass())
        );
    }
    for i in &overviews {
        println!(
            "| I. {}, {} cases and {} sheets ({}) | site-wide p99 {} (p50 {}); one team p99 {} (p50 {}) | < 300 / 150 ms | {} |",
            if i.dashboard == "overview" { "overview, a month and its 12-month trend" } else { i.dashboard },
            i.cases,
            i.sheets,
            i.database,
            load::ms(i.site.p99()),
            load::ms(i.site.p50()),
            load::ms(i.team.p99()),
            load::ms(i.team.p50()),
            verdict(i.pass())
        );
    }
    println!("-----------------------------------------------");
    Ok(results.iter().all(|g| g.pass()) && overviews.iter().all(|i| i.pass()))
}
