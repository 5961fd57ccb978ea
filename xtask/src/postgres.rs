//! A throw-away PostgreSQL server for one test run, in a fresh `mutu-pg-<pid>-<n>/` (mode 0700)
//! under a temporary directory: `$TMPDIR`, else `/var/tmp`, else `/tmp`.
//!
//! PostgreSQL refuses to run as root, so as root the cluster belongs to user `postgres` and
//! `initdb`/`pg_ctl` run through `runuser` (or `su`). That user must be able to enter every
//! directory above the cluster, which a checkout's `target/` does not give when the clone sits in
//! a private directory (root's home, `mktemp -d`): hence a temporary directory, and one the user is
//! seen to reach (`test -w` as that user) before `initdb`. `/var/tmp` before `/tmp` because `/tmp`
//! may be RAM (tmpfs) and `cargo xtask bench f19` writes gigabytes. [`self_check`] proves it from
//! a 0700 directory on every `cargo xtask test`.
//!
//! The server listens on 127.0.0.1 on a free port with `trust` auth, its socket in the cluster
//! directory; [`Postgres`]'s `Drop` stops it (`-m immediate`) and removes the directory, also when
//! the tests fail, on Ctrl-C/SIGTERM (see `util`) or when the driver panics. A run killed outright
//! (SIGKILL) leaves its directory behind: the next run stops that server and removes it.

use std::fs;
use std::os::unix::fs::DirBuilderExt as _;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, SystemTime};

use anyhow::{Context, Result, bail, ensure};

use crate::util;

/// The unprivileged owner of the cluster when we run as root.
const PG_USER: &str = "postgres";
/// The cluster directories' name prefix, `mutu-pg-<pid>-<n>`; the pid finds those of dead runs.
/// [`self_check`]'s private directory takes it too, so that a killed run's is removed the same way.
const DIR_PREFIX: &str = "mutu-pg-";

/// A running throw-away server; dropping it stops the server and removes its directory.
pub struct Postgres {
    dir: PathBuf,
    data: PathBuf,
    bin: PathBuf,
    runner: Runner,
    port: u16,
    running: bool,
}

impl Postgres {
    /// Creates a cluster in a fresh temporary directory and starts it.
    pub fn start() -> Result<Postgres> {
        Postgres::start_in(&temp_bases())
    }

    /// Creates the cluster in the first of `bases` where the server's user can work, and starts it.
    fn start_in(bases: &[PathBuf]) -> Result<Postgres> {
        let bin = find_bin_dir()?;
        let runner = Runner::new()?;
        for base in bases {
            remove_stale(base, &bin, &runner);
        }
        let dir = cluster_dir(bases, &runner)?;
        let data = dir.join("data");
        // Owned from here on: an error below drops it, which removes the directory.
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

    /// `select 1` through `psql` over TCP (as the tests connect), or a bare TCP connect without it.
    fn answers(&self) -> Result<()> {
        let psql = self.bin.join("psql");
        if util::executable(&psql).is_none() {
            std::net::TcpStream::connect(("127.0.0.1", self.port))
                .with_context(|| format!("connecting to 127.0.0.1:{}", self.port))?;
            return Ok(());
        }
        let out = util::run_quiet(Command::new(&psql).args(["-X", "-tA", "-c", "select 1", &self.url()]))?;
        ensure!(out.trim() == "1", "`psql -c 'select 1'` answered {out:?}");
        Ok(())
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

    /// The server log's lines that say something went wrong (an error, a crash, a full disk),
    /// the last `limit` of them: printed when the tests fail, since the log goes with the cluster.
    pub fn troubles(&self, limit: usize) -> Vec<String> {
        const SIGNS: [&str; 6] =
            ["PANIC", "FATAL", "terminated by signal", "No space left", "out of memory", "too many clients"];
        let log = fs::read_to_string(self.dir.join("postgres.log")).unwrap_or_default();
        let lines: Vec<String> =
            log.lines().filter(|line| SIGNS.iter().any(|sign| line.contains(sign))).map(str::to_owned).collect();
        lines[lines.len().saturating_sub(limit)..].to_vec()
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

/// Where clusters go, in order: `$TMPDIR` (if set), `/var/tmp`, `/tmp`.
fn temp_bases() -> Vec<PathBuf> {
    let mut bases: Vec<PathBuf> =
        std::env::var_os("TMPDIR").filter(|dir| !dir.is_empty()).map(PathBuf::from).into_iter().collect();
    for dir in ["/var/tmp", "/tmp"] {
        if !bases.iter().any(|b| b == Path::new(dir)) {
            bases.push(PathBuf::from(dir));
        }
    }
    bases
}

/// A new, empty, 0700 `mutu-pg-<pid>-<n>` in the first of `bases` where the server's user can write
/// it (checked as that user, so that parents it cannot enter count, whatever the reason).
fn cluster_dir(bases: &[PathBuf], runner: &Runner) -> Result<PathBuf> {
    let mut refused = Vec::new();
    for base in bases {
        let dir = match new_private_dir(base, DIR_PREFIX) {
            Ok(dir) => dir,
            Err(error) => {
                refused.push(format!("{}: {error:#}", base.display()));
                continue;
            }
        };
        let usable = runner.give(&dir).and_then(|()| runner.can_write(&dir));
        match usable {
            Ok(()) => return Ok(dir),
            Err(error) => {
                refused.push(format!("{}: {error:#}", base.display()));
                let _ = fs::remove_dir_all(&dir);
            }
        }
    }
    bail!("no directory for the PostgreSQL cluster:\n  {}", refused.join("\n  "))
}

/// Creates `<base>/<prefix><pid>-<n>` with mode 0700, a name no other run holds (`mkdir` fails on
/// an existing one, as `mktemp -d` relies on).
fn new_private_dir(base: &Path, prefix: &str) -> Result<PathBuf> {
    let nanos = SystemTime::now().duration_since(SystemTime::UNIX_EPOCH).map(|d| d.subsec_nanos()).unwrap_or(0);
    for attempt in 0..100u32 {
        let dir = base.join(format!("{prefix}{}-{:x}", std::process::id(), nanos.wrapping_add(attempt)));
        match fs::DirBuilder::new().mode(0o700).create(&dir) {
            Ok(()) => return Ok(dir),
            Err(error) if error.kind() == std::io::ErrorKind::AlreadyExists => continue,
            Err(error) => return Err(error).with_context(|| format!("creating {}", dir.display())),
        }
    }
    bail!("no free name for a directory in {}", base.display())
}

/// Clusters left by runs that were killed outright: their `mutu-pg-<pid>-<n>` names a dead process.
fn remove_stale(base: &Path, bin: &Path, runner: &Runner) {
    let Ok(entries) = fs::read_dir(base) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name();
        let Some(pid) = name
            .to_str()
            .and_then(|n| n.strip_prefix(DIR_PREFIX))
            .and_then(|rest| rest.split_once('-'))
            .and_then(|(pid, _)| pid.parse::<u32>().ok())
        else {
            continue;
        };
        if pid == std::process::id() || Path::new(&format!("/proc/{pid}")).exists() {
            continue;
        }
        println!("xtask: removing the PostgreSQL cluster left by run {pid} ({})", entry.path().display());
        stop_cluster(bin, runner, &entry.path().join("data"));
        let _ = fs::remove_dir_all(entry.path());
    }
}

/// The clone a newcomer makes in a private directory, reproduced: a fresh 0700 directory whose
/// `target/` is offered first as a place for the cluster (as the checkout's `target/` once was).
/// The cluster must start where the server's user can reach it, answer `select 1` and be gone
/// once stopped. `cargo xtask test` runs this before the suite, so CI proves it on every run.
pub fn self_check() -> Result<()> {
    let private = new_private_dir(&std::env::temp_dir(), DIR_PREFIX)?;
    let outcome = (|| -> Result<()> {
        let target = private.join("target");
        fs::create_dir(&target)?;
        let mut bases = vec![target];
        bases.extend(temp_bases());
        let pg = Postgres::start_in(&bases)?;
        pg.answers().context("the throw-away PostgreSQL server does not answer")?;
        let dir = pg.dir.clone();
        drop(pg);
        ensure!(!dir.exists(), "{} is still there after the server stopped", dir.display());
        Ok(())
    })();
    let removed = fs::remove_dir_all(&private).with_context(|| format!("removing {}", private.display()));
    outcome.context("PostgreSQL self-check (the cluster started from a 0700 directory)")?;
    removed
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

    /// Fails unless the server's user can create files in `dir` (and so enter every parent).
    fn can_write(&self, dir: &Path) -> Result<()> {
        util::run_quiet(&mut self.command(Path::new("test"), &["-w".as_ref(), dir.as_os_str()]))
            .map(drop)
            .with_context(|| format!("the server's user cannot write {}", dir.display()))
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
