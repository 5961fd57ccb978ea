//! Mutu's build and test driver, run as `cargo xtask <command>` (alias in `.cargo/config.toml`).
//!
//! - `dist`  — build the browser app into `frontend/dist/` and check its size budget.
//! - `run`   — `dist` and, at the same time, the server (profile `demo`), then `mutu serve --demo`.
//! - `test`  — what CI runs: `dist`, Chromium, aiosmtpd (the email tests' SMTP server), a
//!   throw-away PostgreSQL, `cargo test` (the workspace's default members).
//! - `bench` — `dist` (for the size line), then the `bench` crate in release mode.
//!
//! Arguments after the command go to the underlying cargo or binary invocation, so
//! `cargo xtask test -- some_filter` runs `cargo test -- some_filter`.

mod browser;
mod dist;
mod postgres;
mod smtp;
mod util;

use std::process::ExitCode;

use anyhow::{Context, Result};

const USAGE: &str = "\
usage: cargo xtask <command> [args…]

commands:
  dist            build the browser app into frontend/dist (fails over the size budget)
  run [args…]     dist and the server (profile `demo`: release without LTO), then `mutu serve --demo [args…]`
  test [args…]    the whole suite, as CI runs it: dist, Chromium, PostgreSQL, `cargo test [args…]`
  bench [args…]   dist, then the load benchmark (`cargo run --release -p bench -- [args…]`)
  bench f19|f18   the at-size suites (tens of millions of rows; SQLite and a throw-away PostgreSQL)
  bench hardening hostile clients against the release server as a process of its own (memory, timeouts)";

fn main() -> ExitCode {
    util::install_interrupt_handler();
    let mut args = std::env::args().skip(1);
    let command = args.next();
    let rest: Vec<String> = args.collect();
    let outcome = match command.as_deref() {
        Some("dist") => dist::dist().map(|_| 0),
        Some("run") => run(&rest),
        Some("test") => test(&rest),
        Some("bench") => bench(&rest),
        Some("help" | "-h" | "--help") => {
            println!("{USAGE}");
            Ok(0)
        }
        _ => {
            eprintln!("{USAGE}");
            Ok(2)
        }
    };
    match outcome {
        Ok(code) => ExitCode::from(code),
        Err(error) => {
            eprintln!("xtask: error: {error:#}");
            // As a shell reports a Ctrl-C.
            if util::interrupted() { ExitCode::from(130) } else { ExitCode::FAILURE }
        }
    }
}

/// The cargo profile of `cargo xtask run`'s server (root `Cargo.toml`): release without LTO.
const DEMO_PROFILE: &str = "demo";

/// `cargo xtask run`: the built app served with demo data by a server built in the `demo` profile.
fn run(args: &[String]) -> Result<u8> {
    // The app's build ends in minutes of one-core work (fat LTO into one codegen unit, wasm-opt),
    // so the server builds meanwhile; its profile has a directory and a cargo lock of its own.
    // `--quiet`: one progress bar on the screen, the server build's warnings and errors still shown.
    println!("xtask: building the server (profile {DEMO_PROFILE}) beside the app");
    let server = std::thread::spawn(|| {
        util::run(
            util::cargo()
                .args(["build", "--quiet", "--profile", DEMO_PROFILE, "-p", "mutu-backend"])
                .args(["--bin", "mutu"]),
        )
    });
    let app = dist::dist();
    if app.is_ok() && !server.is_finished() {
        println!("xtask: waiting for the server build");
    }
    let server = server.join().expect("the server build thread panicked");
    app?;
    server.context("building the server")?;
    let binary = util::target_dir().join(DEMO_PROFILE).join("mutu");
    println!("xtask: {} serve --demo {}", binary.display(), args.join(" "));
    let served =
        util::wait(std::process::Command::new(&binary).args(["serve", "--demo"]).args(args).current_dir(util::root()));
    match served {
        Ok(status) => Ok(util::exit_code(status)),
        // Ctrl-C is how one stops the server: not an error.
        Err(_) if util::interrupted() => Ok(130),
        Err(error) => Err(error),
    }
}

/// `cargo xtask test`: the whole suite. PostgreSQL is stopped and removed on every way out.
fn test(args: &[String]) -> Result<u8> {
    // The mechanical style first: it fails in seconds, before minutes of builds.
    ensure_style_tools()?;
    println!("xtask: cargo fmt --all --check");
    let status = util::wait(util::cargo().args(["fmt", "--all", "--check"]))?;
    if !status.success() {
        eprintln!("xtask: the code is not formatted: run `cargo fmt --all`");
        return Ok(util::exit_code(status));
    }
    println!("xtask: cargo clippy --workspace --all-targets -- -D warnings");
    let status = util::wait(util::cargo().args(["clippy", "--workspace", "--all-targets", "--", "-D", "warnings"]))?;
    if !status.success() {
        eprintln!("xtask: clippy found warnings (see above)");
        return Ok(util::exit_code(status));
    }
    // Installing Chromium is network and disk bound, the WASM build CPU bound: overlap them.
    let browser = std::thread::spawn(browser::ensure_chromium);
    let built = dist::dist();
    let browser = browser.join().expect("the Chromium install thread panicked");
    built?;
    let browser = browser?;
    let smtp_python = smtp::ensure_aiosmtpd()?;
    util::check_interrupted()?;

    // A clone in a private directory (root's home, `mktemp -d`) once failed here: prove it cannot.
    println!("xtask: PostgreSQL self-check from a 0700 directory");
    postgres::self_check()?;
    let pg = postgres::Postgres::start()?;
    // Earlier runs' SQLite files and uploads: the tests never read them again.
    let scratch = util::root().join("target").join("test-data");
    if let Err(error) = std::fs::remove_dir_all(&scratch)
        && error.kind() != std::io::ErrorKind::NotFound
    {
        eprintln!("xtask: warning: cannot remove {}: {error}", scratch.display());
    }
    util::warn_if_disk_is_short(&util::root(), FREE_DISK_NEEDED_GB);
    let static_dir = util::root().join("frontend").join("dist");
    // Plain `cargo test` in the root tests the workspace's `default-members`: everything but the
    // WASM app, this driver and the bench (`--workspace` would build those for the host too).
    println!("xtask: cargo test {}", args.join(" "));
    let status = util::wait(
        util::cargo()
            .arg("test")
            .args(args)
            .env("MUTU_TEST_PG_URL", pg.url())
            .env("MUTU_TEST_CHROMEDRIVER", &browser.chromedriver)
            .env("MUTU_TEST_CHROME", &browser.chrome)
            .env("MUTU_TEST_STATIC_DIR", &static_dir)
            .env("MUTU_TEST_SMTP_PYTHON", &smtp_python),
    );
    // On an error `pg` is dropped, which stops the server, like at the end.
    let mut code = util::exit_code(status?);
    if code != 0 {
        for line in pg.troubles(20) {
            eprintln!("xtask: postgres.log: {line}");
        }
    }
    if code == 0 && RUN_FRONTEND_HOST_TESTS {
        code = frontend_host_tests()?;
    }
    drop(pg); // stopped before the verdict line
    if code == 0 {
        println!("xtask: all tests passed");
    } else {
        eprintln!("xtask: tests failed (cargo test exited with {code})");
    }
    Ok(code)
}

/// What a run of the suite writes besides the build: the test databases (each test drops its
/// own when it ends) and PostgreSQL's files. A full disk once crashed the server mid-run, and
/// every PostgreSQL test of those seconds failed with no word of why.
const FREE_DISK_NEEDED_GB: u64 = 4;

/// The browser app's pure logic (reducers, formatting) tested on the host, not in a browser.
/// The crate builds for the host too, so its pure modules are tested here.
const RUN_FRONTEND_HOST_TESTS: bool = true;

fn frontend_host_tests() -> Result<u8> {
    println!("xtask: cargo test -p frontend (host)");
    Ok(util::exit_code(util::wait(util::cargo().args(["test", "-p", "frontend"]))?))
}

/// `cargo xtask bench [f19|f18] [args…]`: the load benchmark (A, B, C, with the app size from
/// `dist` in its summary), or one of the at-size suites, which also run on a throw-away
/// PostgreSQL server.
fn bench(args: &[String]) -> Result<u8> {
    if args.first().is_some_and(|a| a == "hardening") {
        // The server runs as a process of its own, so that its memory is measured alone.
        util::run(util::cargo().args(["build", "--release", "-p", "mutu-backend", "--bin", "mutu"]))
            .context("building the release server")?;
        let binary = util::target_dir().join("release").join("mutu");
        let status = util::wait(
            util::cargo()
                .args(["run", "--release", "-p", "bench", "--", "--suite", "hardening", "--mutu-bin"])
                .arg(&binary)
                .args(&args[1..]),
        )
        .context("running the bench")?;
        return Ok(util::exit_code(status));
    }
    let suite = args.first().filter(|a| matches!(a.as_str(), "f19" | "f18")).cloned();
    if let Some(suite) = suite {
        let pg = postgres::Postgres::start()?;
        let status = util::wait(
            util::cargo()
                .args(["run", "--release", "-p", "bench", "--", "--suite", &suite])
                .args(&args[1..])
                .env("MUTU_BENCH_PG_URL", pg.url()),
        )
        .context("running the bench")?;
        drop(pg);
        return Ok(util::exit_code(status));
    }
    // The size budget is one of the bench's own verdicts, so an oversized app still runs the bench.
    let sizes = dist::build()?;
    let status = util::wait(
        util::cargo()
            .args(["run", "--release", "-p", "bench", "--"])
            .arg("--spa")
            .arg(sizes.summary_line())
            .arg("--spa-pass")
            .arg(sizes.within_budget().to_string())
            .args(args),
    )
    .context("running the bench")?;
    Ok(util::exit_code(status))
}

/// `rustup component add rustfmt clippy` unless both are installed (skipped without rustup).
fn ensure_style_tools() -> Result<()> {
    let Ok(installed) = std::process::Command::new("rustup")
        .args(["component", "list", "--installed"])
        .current_dir(util::root())
        .output()
    else {
        return Ok(()); // not a rustup toolchain: cargo will say if a tool is missing
    };
    let listed = String::from_utf8_lossy(&installed.stdout).into_owned();
    let missing: Vec<&str> =
        ["rustfmt", "clippy"].into_iter().filter(|tool| !listed.lines().any(|line| line.starts_with(tool))).collect();
    if missing.is_empty() {
        return Ok(());
    }
    println!("xtask: rustup component add {}", missing.join(" "));
    util::run(std::process::Command::new("rustup").args(["component", "add"]).args(&missing).current_dir(util::root()))
        .context("installing rustfmt and clippy (rustup component add rustfmt clippy)")
}
