//! Mutu's load benchmark (`cargo xtask bench`, release mode). Everything runs in this process and
//! talks over loopback only:
//!
//! - **A** — authenticated `GET /api/me` on Mutu against a bare axum handler that returns the same
//!   JSON, 64 connections flat out. Target: Mutu ≥ 0.5× the bare requests/s, p99 < 25 ms.
//! - **B** — `GET /api/me` at a fixed moderate rate, alone and with 20 logins/s (argon2) beside it.
//!   Target: p99 with logins ≤ 2× p99 without, i.e. password hashing does not stall the API.
//! - **SPA** — the size line of `cargo xtask dist`, passed in by the xtask (`--spa`, `--spa-pass`).
//!
//! Servers run on their own runtime (as a separate process would) and the load on another. Every
//! loop is bounded by a request count and a deadline.

mod documents;
mod f18;
mod f19;
mod hardening;
mod load;
mod promises;
mod records;
mod suites;

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use anyhow::{Context, Result, bail};
use axum::Json;
use axum::routing::get;
use mutu_backend::{App, Config};

use load::{Stats, Target};

/// Settings of one run; the defaults are the documented benchmark.
pub struct Options {
    pub warmup: Duration,
    pub measure: Duration,
    spa: Option<String>,
    spa_pass: Option<bool>,
    /// `core` (A, B, C: minutes), `f19` (D, E, F) or `f18` (G): the last two generate tens of
    /// millions of rows and take a long time and many GB of disk.
    suite: String,
    /// Multiplies the generated case and sheet counts (1 = the sizes the issues name).
    scale: f64,
    /// `both`, `sqlite` or `postgres` (the at-size suites).
    databases: String,
    /// f18 on PostgreSQL: measure a bench database an earlier run left, instead of generating.
    reuse: bool,
    /// `hardening`: the release `mutu` binary to run as a process of its own.
    mutu_bin: Option<PathBuf>,
    /// `hardening`: the measurements to run (letters of H, I, J; all by default).
    only: String,
}

/// Connections of measurement A.
const A_CONNECTIONS: usize = 64;
/// Connections and total request rate of measurement B: well under saturation, so that its p99
/// shows interference rather than queueing.
const B_CONNECTIONS: usize = 16;
const B_RATE: f64 = 400.0;
/// Background logins of measurement B, and the connections that carry them.
const LOGIN_RATE: f64 = 20.0;
const LOGIN_CONNECTIONS: usize = 4;
/// B alternates alone / beside logins this many times and pools each side's requests, so that a
/// passing disturbance (another process on the machine) does not decide the verdict alone.
const B_ROUNDS: usize = 2;
const DEMO_PASSWORD: &str = "mutu-demo-2024";
/// Every demo account; logins rotate over them (only correct passwords: no lock-outs).
const DEMO_USERS: [&str; 11] =
    ["admin", "manager", "dc", "qrd", "qco1", "qco2", "tl1", "tl2", "agent1", "agent2", "agent3"];

fn main() -> ExitCode {
    match parse_args().and_then(run) {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::FAILURE,
        Err(error) => {
            eprintln!("bench: error: {error:#}");
            ExitCode::from(2)
        }
    }
}

fn parse_args() -> Result<Options> {
    let mut options = Options {
        warmup: Duration::from_secs(1),
        measure: Duration::from_secs(5),
        spa: None,
        spa_pass: None,
        suite: "core".into(),
        scale: 1.0,
        databases: "both".into(),
        reuse: false,
        mutu_bin: None,
        only: "HIJ".into(),
    };
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let mut value = || args.next().with_context(|| format!("{arg} needs a value"));
        match arg.as_str() {
            "--seconds" => options.measure = Duration::from_secs_f64(value()?.parse().context("--seconds")?),
            "--warmup" => options.warmup = Duration::from_secs_f64(value()?.parse().context("--warmup")?),
            "--spa" => options.spa = Some(value()?),
            "--spa-pass" => options.spa_pass = Some(value()?.parse().context("--spa-pass is true or false")?),
            "--suite" => options.suite = value()?,
            "--scale" => options.scale = value()?.parse().context("--scale")?,
            "--db" => options.databases = value()?,
            "--reuse" => options.reuse = true,
            "--mutu-bin" => options.mutu_bin = Some(PathBuf::from(value()?)),
            "--only" => options.only = value()?.to_uppercase(),
            "-h" | "--help" => {
                println!(
                    "usage: bench [--suite core|f19|f18|hardening] [--mutu-bin PATH [--only HIJ]] [--scale 1.0] [--db both|sqlite|postgres] [--reuse] [--seconds 5] [--warmup 1] [--spa LINE --spa-pass true|false]\n\
                     f19 and f18 also run on PostgreSQL when MUTU_BENCH_PG_URL names a server (cargo xtask bench starts one)"
                );
                std::process::exit(0);
            }
            other => bail!("unknown argument {other} (try --help)"),
        }
    }
    if !["core", "f19", "f18", "hardening"].contains(&options.suite.as_str()) {
        bail!("--suite is core, f19, f18 or hardening");
    }
    if options.suite == "hardening" && options.mutu_bin.is_none() {
        bail!("--suite hardening needs --mutu-bin PATH (cargo xtask bench hardening passes the release build)");
    }
    if options.only.is_empty() || !options.only.chars().all(|c| "HIJ".contains(c)) {
        bail!("--only takes letters of HIJ");
    }
    if !["both", "sqlite", "postgres"].contains(&options.databases.as_str()) {
        bail!("--db is both, sqlite or postgres");
    }
    if !(options.scale > 0.0 && options.scale <= 1.0) {
        bail!("--scale must be above 0 and at most 1");
    }
    if options.measure.is_zero() || options.measure > Duration::from_secs(600) {
        bail!("--seconds must be more than 0 and at most 600");
    }
    Ok(options)
}

/// Runs every measurement and prints the tables and the summary; `Ok(false)` if a target failed.
fn run(options: Options) -> Result<bool> {
    let db_dir = std::env::temp_dir().join(format!("mutu-bench-{}", std::process::id()));
    std::fs::create_dir_all(&db_dir)?;
    let result = run_in(&options, &db_dir);
    let _ = std::fs::remove_dir_all(&db_dir);
    result
}

fn run_in(options: &Options, db_dir: &std::path::Path) -> Result<bool> {
    match options.suite.as_str() {
        "f19" => return suites::f19(options, db_dir),
        "f18" => return suites::f18(options, db_dir),
        "hardening" => {
            return hardening::run(options.mutu_bin.as_deref().context("--mutu-bin")?, &options.only, db_dir);
        }
        _ => {}
    }
    let servers = tokio::runtime::Builder::new_multi_thread().thread_name("server").enable_all().build()?;
    let load = tokio::runtime::Builder::new_multi_thread().thread_name("load").enable_all().build()?;

    println!("bench: starting Mutu (fresh SQLite database, demo data) and a bare axum server");
    let mutu = servers.block_on(start_mutu(db_dir))?;
    let (token, me) = load.block_on(login_and_fetch_me(&mutu))?;
    let bare = servers.block_on(start_bare(me.clone()))?;
    load.block_on(check_same_answer(&mutu, &bare, &token, &me))?;

    let mutu_me = Target::get(&format!("http://{mutu}/api/me"), Some(&token))?;
    let bare_me = Target::get(&format!("http://{bare}/api/me"), None)?;
    let mutu_health = Target::get(&format!("http://{mutu}/api/health"), None)?;
    let a = load.block_on(measure_a(options, &bare_me, &mutu_me, &mutu_health))?;
    let b = load.block_on(measure_b(options, mutu, &mutu_me))?;

    println!(
        "\nbench: loading {} documents × {} revisions and {} users for C",
        documents::DOCUMENTS,
        documents::REVISIONS,
        documents::USERS
    );
    let docs_app = servers.block_on(documents::start(db_dir))?;
    let docs = servers.block_on(serve_app(docs_app))?;
    let qrd = load.block_on(documents::token(docs, "qrd"))?;
    let c = load.block_on(documents::measure(docs, &qrd, options.warmup, options.measure))?;
    servers.shutdown_timeout(Duration::from_secs(2));
    load.shutdown_timeout(Duration::from_secs(2));

    print_summary(&a, &b, options.spa.as_deref(), options.spa_pass);
    println!(
        "| C: register / document page p99 (5,000 docs × 50 revs) | {} / {} | < 30 ms | {} |",
        load::ms(c.register.p99()),
        load::ms(c.document.p99()),
        verdict(c.register.p99() < Duration::from_millis(30) && c.document.p99() < Duration::from_millis(30))
    );
    println!(
        "| C: who has not read, 3,000+ users, p99 | {} | < 100 ms | {} |",
        load::ms(c.unread.p99()),
        verdict(c.unread.p99() < Duration::from_millis(100))
    );
    Ok(a.pass() && b.pass() && c.pass() && options.spa_pass != Some(false))
}

/// Mutu with a fresh SQLite database and the demo data, on a free loopback port.
async fn start_mutu(db_dir: &std::path::Path) -> Result<std::net::SocketAddr> {
    let url = format!("sqlite://{}?mode=rwc", db_dir.join("mutu.db").display());
    let mut config = Config::for_database(&url);
    config.static_dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../frontend/dist");
    let app = App::start(config).await.context("starting Mutu")?;
    app.load_demo().await.context("loading the demo data")?;
    serve_app(app).await
}

/// Mutu on a free loopback port, behind its own listener (connection limits and timeouts), as
/// `mutu serve` runs it.
pub async fn serve_app(app: App) -> Result<std::net::SocketAddr> {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let address = listener.local_addr()?;
    tokio::spawn(async move {
        if let Err(error) = mutu_backend::serve_until(listener, &app, std::future::pending()).await {
            eprintln!("bench: Mutu on {address} stopped: {error}");
        }
    });
    Ok(address)
}

/// A bare axum server whose one handler answers `GET /api/me` with `me`, serialised per request
/// like Mutu's.
async fn start_bare(me: serde_json::Value) -> Result<std::net::SocketAddr> {
    let router = axum::Router::new().route("/api/me", get(move || std::future::ready(Json(me.clone()))));
    serve(router).await
}

pub async fn serve(router: axum::Router) -> Result<std::net::SocketAddr> {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let address = listener.local_addr()?;
    tokio::spawn(async move {
        if let Err(error) = axum::serve(listener, router).await {
            eprintln!("bench: server on {address} stopped: {error}");
        }
    });
    Ok(address)
}

/// Logs in as `agent1` and returns the access token with the JSON of `GET /api/me`.
async fn login_and_fetch_me(mutu: &std::net::SocketAddr) -> Result<(String, serde_json::Value)> {
    let client = load::client();
    let login = Target::login(&format!("http://{mutu}/api/auth/login"), "agent1", DEMO_PASSWORD)?;
    let (status, body) = login.fetch(&client).await?;
    if status != 200 {
        bail!("logging in as agent1 answered {status}: {}", String::from_utf8_lossy(&body));
    }
    let body: serde_json::Value = serde_json::from_slice(&body).context("the login answer is not JSON")?;
    let token = body["access_token"].as_str().context("the login answer has no access_token")?.to_owned();
    let (status, body) = Target::get(&format!("http://{mutu}/api/me"), Some(&token))?.fetch(&client).await?;
    if status != 200 {
        bail!("GET /api/me answered {status}: {}", String::from_utf8_lossy(&body));
    }
    Ok((token, serde_json::from_slice(&body).context("GET /api/me is not JSON")?))
}

/// Both servers must answer the same JSON, or the comparison means nothing.
async fn check_same_answer(
    mutu: &std::net::SocketAddr,
    bare: &std::net::SocketAddr,
    token: &str,
    me: &serde_json::Value,
) -> Result<()> {
    let client = load::client();
    let (_, ours) = Target::get(&format!("http://{mutu}/api/me"), Some(token))?.fetch(&client).await?;
    let (_, theirs) = Target::get(&format!("http://{bare}/api/me"), None)?.fetch(&client).await?;
    let ours: serde_json::Value = serde_json::from_slice(&ours)?;
    let theirs: serde_json::Value = serde_json::from_slice(&theirs)?;
    if ours != theirs || &ours != me {
        bail!("the bare handler's JSON differs from Mutu's: {theirs} vs {ours}");
    }
    Ok(())
}

struct ResultA {
    bare: Stats,
    ours: Stats,
    /// Mutu's middleware alone (no token, no database): shows where the time goes.
    health: Stats,
}

impl ResultA {
    fn ratio(&self) -> f64 {
        self.ours.rps() / self.bare.rps().max(f64::MIN_POSITIVE)
    }
    fn pass(&self) -> bool {
        self.ratio() >= 0.5 && self.ours.p99() < Duration::from_millis(25) && self.ours.errors == 0
    }
}

async fn measure_a(options: &Options, bare: &Target, ours: &Target, health: &Target) -> Result<ResultA> {
    println!(
        "\nA. GET /api/me, {A_CONNECTIONS} keep-alive connections flat out, {} s after {} s warm-up",
        options.measure.as_secs_f64(),
        options.warmup.as_secs_f64()
    );
    let bare = load::closed_loop(bare, A_CONNECTIONS, options.warmup, options.measure).await?;
    let ours = load::closed_loop(ours, A_CONNECTIONS, options.warmup, options.measure).await?;
    let health = load::closed_loop(health, A_CONNECTIONS, options.warmup, options.measure).await?;
    println!("{}", Stats::header());
    println!("{}", bare.row("bare axum handler"));
    println!("{}", ours.row("Mutu, authenticated"));
    println!("{}", health.row("(Mutu GET /api/health)"));
    let result = ResultA { bare, ours, health };
    println!(
        "{}: Mutu at {:.2}× the bare requests/s (target ≥ 0.5×), p99 {} (target < 25 ms)",
        verdict(result.pass()),
        result.ratio(),
        load::ms(result.ours.p99())
    );
    Ok(result)
}

struct ResultB {
    quiet: Stats,
    busy: Stats,
    logins: Stats,
}

impl ResultB {
    fn ratio(&self) -> f64 {
        self.busy.p99().as_secs_f64() / self.quiet.p99().as_secs_f64().max(1e-9)
    }
    fn pass(&self) -> bool {
        self.ratio() <= 2.0 && self.quiet.errors == 0 && self.busy.errors == 0 && self.logins.errors == 0
    }
}

async fn measure_b(options: &Options, mutu: std::net::SocketAddr, me: &Target) -> Result<ResultB> {
    println!(
        "\nB. GET /api/me at {B_RATE} requests/s over {B_CONNECTIONS} connections, alone and beside \
         {LOGIN_RATE} logins/s ({} users in turn); {B_ROUNDS} rounds of {} s each after {} s warm-up",
        DEMO_USERS.len(),
        options.measure.as_secs_f64(),
        options.warmup.as_secs_f64()
    );
    let login_targets: Vec<Target> = DEMO_USERS
        .iter()
        .map(|user| Target::login(&format!("http://{mutu}/api/auth/login"), user, DEMO_PASSWORD))
        .collect::<Result<_>>()?;
    let (mut quiet, mut busy, mut logins) = (Stats::default(), Stats::default(), Stats::default());
    for _ in 0..B_ROUNDS {
        quiet.absorb(load::paced(me, B_CONNECTIONS, B_RATE, options.warmup, options.measure).await?);
        let targets = login_targets.clone();
        let total = options.warmup + options.measure;
        let background = tokio::spawn(async move {
            load::paced_rotating(&targets, LOGIN_CONNECTIONS, LOGIN_RATE, Duration::ZERO, total).await
        });
        busy.absorb(load::paced(me, B_CONNECTIONS, B_RATE, options.warmup, options.measure).await?);
        logins.absorb(background.await.context("the login task panicked")??);
    }
    println!("{}", Stats::header());
    println!("{}", quiet.row("/api/me alone"));
    println!("{}", busy.row("/api/me beside logins"));
    println!("{}", logins.row("the logins themselves"));
    let result = ResultB { quiet, busy, logins };
    println!("{}: p99 beside logins is {:.2}× the p99 alone (target ≤ 2×)", verdict(result.pass()), result.ratio());
    Ok(result)
}

pub fn verdict(pass: bool) -> &'static str {
    if pass { "PASS" } else { "FAIL" }
}

/// The block for the README: one Markdown table.
fn print_summary(a: &ResultA, b: &ResultB, spa: Option<&str>, spa_pass: Option<bool>) {
    let cores = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1);
    println!("\n----- summary (paste into the README) -----");
    println!("Measured by `cargo xtask bench` on {cores} cores; client and servers in one process, loopback.\n");
    println!("| measurement | result | target | verdict |");
    println!("|---|---|---|---|");
    println!(
        "| A. `GET /api/me`, {A_CONNECTIONS} connections | Mutu {:.0} req/s, p50 {}, p99 {}; bare axum {:.0} req/s, p99 {} ({:.2}×); Mutu `/api/health` {:.0} req/s | ≥ 0.5× bare req/s, p99 < 25 ms | {} |",
        a.ours.rps(),
        load::ms(a.ours.p50()),
        load::ms(a.ours.p99()),
        a.bare.rps(),
        load::ms(a.bare.p99()),
        a.ratio(),
        a.health.rps(),
        verdict(a.pass())
    );
    println!(
        "| B. p99 of `GET /api/me` at {B_RATE:.0} req/s beside {LOGIN_RATE:.0} logins/s | {} vs {} alone ({:.2}×); {:.1} logins/s done, login p50 {} | ≤ 2× | {} |",
        load::ms(b.busy.p99()),
        load::ms(b.quiet.p99()),
        b.ratio(),
        b.logins.rps(),
        load::ms(b.logins.p50()),
        verdict(b.pass())
    );
    match (spa, spa_pass) {
        (Some(line), Some(pass)) => println!(
            "| Browser app size | {} | ≤ 560 KB brotli | {} |",
            line.trim_start_matches("SPA: "),
            verdict(pass)
        ),
        _ => println!("| Browser app size | not measured (run `cargo xtask bench`) | ≤ 560 KB brotli | - |"),
    }
    println!("-------------------------------------------");
}
