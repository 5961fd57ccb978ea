//! A throw-away PostgreSQL server for one test run, in `target/pg-<pid>/`.
//!
//! PostgreSQL refuses to run as root, so as root the cluster belongs to user `postgres` and
//! `initdb`/`pg_ctl` run through `runuser` (or `su`). The server listens on 127.0.0.1 on a free
//! port with `trust` auth; [`Postgres`]'s `Drop` stops it (`-m immediate`) and removes the
//! directory, also when the tests fail or the driver panics. A run killed outright (SIGKILL)
//! leaves its directory behind: the next run stops that server and removes it.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use anyhow::{Context, Result, bail};

use crate::util;

/// The unprivileged owner of the cluster when we run as root.
const PG_USER: &str = "postgres";

pub struct Postgres {
    dir: PathBuf,
    data: PathBuf,
    bin: PathBuf,
    runner: Runner,
    port: u16,
    running: bool,
}

impl Postgres {
    /// Creates the cluster under `target_dir` and starts it.
    pub fn start(target_dir: &Path) -> Result<Postgres> {
        let bin = find_bin_dir()?;
        let runner = Runner::new()?;
        remove_stale(target_dir, &bin, &runner);

        let dir = target_dir.join(format!("pg-{}", std::process::id()));
        if dir.exists() {
            fs::remove_dir_all(&dir)?;
        }
        fs::create_dir_all(&dir).with_context(|| format!("creating {}", dir.display()))?;
        runner.give(&dir)?;
        let data = dir.join("data");
        let mut pg = Postgres { dir, data, bin, runner, port: 0, running: false };

        util::run_quiet(&mut pg.command(
            "initdb",
            &[
                "-D".as_ref(),
                pg.data.as_os_str(),
                "-A".as_ref(),
                "trust".as_ref(),
                "-U".as_ref(),
                "postgres".as_ref(),
                "-E".as_ref(),
                "UTF8".as_ref(),
                "--locale=C".as_ref(),
                "--no-sync".as_ref(),
            ],
        ))
        .context("initdb")?;

        // A free port can be taken between our probe and the server's bind: try a few.
        let mut last_error = None;
        for _ in 0..3 {
            pg.port = free_port()?;
            match pg.pg_ctl_start() {
                Ok(()) => {
                    pg.running = true;
                    println!("xtask: PostgreSQL on 127.0.0.1:{} ({})", pg.port, pg.dir.display());
                    return Ok(pg);
                }
                Err(error) => last_error = Some(error),
            }
        }
        Err(last_error.expect("three attempts were made")).context("starting PostgreSQL")
    }

    /// The server's URL; tests create their own databases in it.
    pub fn url(&self) -> String {
        format!("postgres://postgres@127.0.0.1:{}/postgres", self.port)
    }

    fn pg_ctl_start(&self) -> Result<()> {
        let options = format!(
            "-p {} -k {} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200",
            self.port,
            self.dir.display()
        );
        let log = self.dir.join("postgres.log");
        let result = util::run_quiet(&mut self.command(
            "pg_ctl",
            &[
                "-w".as_ref(),
                "-t".as_ref(),
                "60".as_ref(),
                "-D".as_ref(),
                self.data.as_os_str(),
                "-l".as_ref(),
                log.as_os_str(),
                "-o".as_ref(),
                options.as_ref(),
                "start".as_ref(),
            ],
        ));
        if let Err(error) = result {
            let tail = fs::read_to_string(&log).unwrap_or_default();
            let tail: Vec<&str> = tail.lines().rev().take(15).collect();
            let tail: Vec<&str> = tail.into_iter().rev().collect();
            // A failed start may still have left a postmaster behind.
            stop_cluster(&self.bin, &self.runner, &self.data);
            return Err(error.context(format!("server log:\n{}", tail.join("\n"))));
        }
        Ok(())
    }

    fn command(&self, tool: &str, args: &[&std::ffi::OsStr]) -> Command {
        self.runner.command(&self.bin.join(tool), args)
    }
}

impl Drop for Postgres {
    fn drop(&mut self) {
        if self.running {
            stop_cluster(&self.bin, &self.runner, &self.data);
            self.running = false;
            println!("xtask: PostgreSQL stopped");
        }
        if let Err(error) = fs::remove_dir_all(&self.dir) {
            eprintln!("xtask: warning: cannot remove {}: {error}", self.dir.display());
        }
    }
}

/// `pg_ctl -m immediate stop`; if that fails, SIGKILL the postmaster (its children follow it).
fn stop_cluster(bin: &Path, runner: &Runner, data: &Path) {
    let pid_file = data.join("postmaster.pid");
    if !pid_file.exists() {
        return;
    }
    let stopped = util::run_quiet(&mut runner.command(
        &bin.join("pg_ctl"),
        &["-D".as_ref(), data.as_os_str(), "-m".as_ref(), "immediate".as_ref(), "-w".as_ref(), "stop".as_ref()],
    ));
    if let Err(error) = stopped {
        eprintln!("xtask: warning: pg_ctl stop failed, killing the postmaster: {error:#}");
        if let Some(pid) = fs::read_to_string(&pid_file).ok().and_then(|t| t.lines().next().map(str::to_owned)) {
            let _ = Command::new("kill").args(["-KILL", pid.trim()]).status();
            std::thread::sleep(Duration::from_millis(200));
        }
    }
}

/// Clusters left by runs that were killed outright: their `pg-<pid>` names a dead process.
fn remove_stale(target_dir: &Path, bin: &Path, runner: &Runner) {
    let Ok(entries) = fs::read_dir(target_dir) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name();
        let Some(pid) = name.to_str().and_then(|n| n.strip_prefix("pg-")).and_then(|p| p.parse::<u32>().ok()) else {
            continue;
        };
        if pid == std::process::id() || Path::new(&format!("/proc/{pid}")).exists() {
            continue;
        }
        println!("xtask: removing the PostgreSQL cluster left by run {pid}");
        stop_cluster(bin, runner, &entry.path().join("data"));
        let _ = fs::remove_dir_all(entry.path());
    }
}

/// The directory holding both `initdb` and `pg_ctl`: from `PATH`, else the newest
/// `/usr/lib/postgresql/<version>/bin` (Debian's layout).
fn find_bin_dir() -> Result<PathBuf> {
    if let (Some(initdb), Some(pg_ctl)) = (util::which("initdb"), util::which("pg_ctl"))
        && initdb.parent() == pg_ctl.parent()
    {
        return Ok(initdb.parent().expect("a file on PATH has a directory").to_path_buf());
    }
    let mut versions: Vec<(u32, PathBuf)> = fs::read_dir("/usr/lib/postgresql")
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|e| {
            let version = e.file_name().to_str()?.parse::<u32>().ok()?;
            let bin = e.path().join("bin");
            (util::executable(&bin.join("initdb")).is_some() && util::executable(&bin.join("pg_ctl")).is_some())
                .then_some((version, bin))
        })
        .collect();
    versions.sort();
    match versions.pop() {
        Some((_, bin)) => Ok(bin),
        None => bail!(
            "PostgreSQL server binaries (initdb, pg_ctl) not found on PATH or in /usr/lib/postgresql/*/bin: \
             install them (Debian: `apt-get install postgresql`)"
        ),
    }
}

/// Runs the PostgreSQL tools as ourselves, or as `postgres` when we are root.
enum Runner {
    Me,
    /// Root: through `runuser -u postgres --` (or `su` without it), files chowned to this uid/gid.
    AsPostgres {
        uid: u32,
        gid: u32,
        runuser: bool,
    },
}

impl Runner {
    fn new() -> Result<Runner> {
        if !util::is_root() {
            return Ok(Runner::Me);
        }
        let id = |flag: &str| -> Result<u32> {
            let out = Command::new("id").args([flag, PG_USER]).output()?;
            if !out.status.success() {
                bail!(
                    "running as root, PostgreSQL needs an unprivileged user `{PG_USER}`, which does not exist \
                     (create it: `useradd --system --create-home {PG_USER}`)"
                );
            }
            Ok(String::from_utf8_lossy(&out.stdout).trim().parse()?)
        };
        Ok(Runner::AsPostgres { uid: id("-u")?, gid: id("-g")?, runuser: util::which("runuser").is_some() })
    }

    /// Hands `dir` to the user the server runs as.
    fn give(&self, dir: &Path) -> Result<()> {
        if let Runner::AsPostgres { uid, gid, .. } = self {
            std::os::unix::fs::chown(dir, Some(*uid), Some(*gid))
                .with_context(|| format!("chown {}", dir.display()))?;
        }
        Ok(())
    }

    fn command(&self, program: &Path, args: &[&std::ffi::OsStr]) -> Command {
        let mut command = match self {
            Runner::Me => Command::new(program),
            Runner::AsPostgres { runuser: true, .. } => {
                let mut c = Command::new("runuser");
                c.args(["-u", PG_USER, "--"]).arg(program);
                c
            }
            Runner::AsPostgres { runuser: false, .. } => {
                let mut line = shell_quote(&program.to_string_lossy());
                for arg in args {
                    line.push(' ');
                    line.push_str(&shell_quote(&arg.to_string_lossy()));
                }
                let mut c = Command::new("su");
                c.args([PG_USER, "-s", "/bin/sh", "-c", &line]);
                c.current_dir("/");
                return c;
            }
        };
        command.args(args);
        // The tools complain when they cannot read the working directory.
        command.current_dir("/");
        command
    }
}

fn shell_quote(text: &str) -> String {
    format!("'{}'", text.replace('\'', r"'\''"))
}

/// A port nobody listens on right now.
fn free_port() -> Result<u16> {
    Ok(std::net::TcpListener::bind("127.0.0.1:0")?.local_addr()?.port())
}
