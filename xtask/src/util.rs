//! Paths of the workspace and running child processes so that Ctrl-C and SIGTERM still let the
//! driver clean up (the PostgreSQL server would otherwise outlive it: `pg_ctl` detaches it).

use std::ffi::OsString;
use std::os::unix::process::ExitStatusExt;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitStatus};
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};

static INTERRUPTED: AtomicBool = AtomicBool::new(false);

/// Ctrl-C and SIGTERM set a flag instead of killing the driver; the running child gets the signal
/// too (same process group) or is killed by [`wait`], and the driver then cleans up and exits.
pub fn install_interrupt_handler() {
    if let Err(error) = ctrlc::set_handler(|| INTERRUPTED.store(true, Ordering::SeqCst)) {
        eprintln!("xtask: warning: cannot handle Ctrl-C ({error}); an interrupt may leave PostgreSQL running");
    }
}

pub fn interrupted() -> bool {
    INTERRUPTED.load(Ordering::SeqCst)
}

pub fn check_interrupted() -> Result<()> {
    if interrupted() {
        bail!("interrupted");
    }
    Ok(())
}

/// The workspace root (the parent of this crate). `cargo run` sets `CARGO_MANIFEST_DIR` for the
/// binary too; the path compiled in is the fallback for running `target/debug/xtask` directly.
pub fn root() -> PathBuf {
    let manifest_dir = std::env::var_os("CARGO_MANIFEST_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")));
    manifest_dir.parent().expect("xtask lives in the workspace").to_path_buf()
}

/// Cargo's target directory: `CARGO_TARGET_DIR` if set, else `<root>/target`.
pub fn target_dir() -> PathBuf {
    match std::env::var_os("CARGO_TARGET_DIR") {
        Some(dir) if !dir.is_empty() => {
            let dir = PathBuf::from(dir);
            if dir.is_absolute() { dir } else { std::env::current_dir().unwrap_or_else(|_| root()).join(dir) }
        }
        _ => root().join("target"),
    }
}

/// The cargo that runs us (same toolchain), working in the workspace root.
pub fn cargo() -> Command {
    let mut command = Command::new(std::env::var_os("CARGO").unwrap_or_else(|| OsString::from("cargo")));
    command.current_dir(root());
    command
}

/// Runs `command` with inherited output and waits for it. On an interrupt the child gets a few
/// seconds to exit by itself (it saw the signal too), then it is killed.
pub fn wait(command: &mut Command) -> Result<ExitStatus> {
    let mut child = command.spawn().with_context(|| format!("cannot start {}", describe(command)))?;
    let mut interrupted_at: Option<Instant> = None;
    loop {
        if let Some(status) = child.try_wait()? {
            if interrupted() {
                bail!("interrupted");
            }
            return Ok(status);
        }
        if interrupted() {
            let since = *interrupted_at.get_or_insert_with(Instant::now);
            if since.elapsed() > Duration::from_secs(5) {
                let _ = child.kill();
                let _ = child.wait();
                bail!("interrupted");
            }
        }
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// Runs `command` and fails with one line naming it if it does not exit with 0.
pub fn run(command: &mut Command) -> Result<()> {
    let status = wait(command)?;
    if !status.success() {
        bail!("{} failed ({})", describe(command), status);
    }
    Ok(())
}

/// Runs `command` with its output captured; on failure the output is part of the error.
pub fn run_quiet(command: &mut Command) -> Result<String> {
    let output = command.output().with_context(|| format!("cannot start {}", describe(command)))?;
    let text = format!("{}{}", String::from_utf8_lossy(&output.stdout), String::from_utf8_lossy(&output.stderr));
    if !output.status.success() {
        bail!("{} failed ({}):\n{}", describe(command), output.status, text.trim_end());
    }
    Ok(text)
}

/// The process exit code that reports `status` (a signal `n` becomes `128 + n`, as shells do).
pub fn exit_code(status: ExitStatus) -> u8 {
    match (status.code(), status.signal()) {
        (Some(0), _) => 0,
        (Some(code), _) => u8::try_from(code).ok().filter(|c| *c != 0).unwrap_or(1),
        (None, Some(signal)) => u8::try_from(128 + signal).unwrap_or(1),
        (None, None) => 1,
    }
}

/// `program arg arg…` for messages.
pub fn describe(command: &Command) -> String {
    let mut text = format!("`{}", command.get_program().to_string_lossy());
    for arg in command.get_args() {
        text.push(' ');
        text.push_str(&arg.to_string_lossy());
    }
    text.push('`');
    text
}

/// Whether this process runs as root (`id -u` prints 0).
pub fn is_root() -> bool {
    Command::new("id").arg("-u").output().map(|o| o.stdout.trim_ascii() == b"0").unwrap_or(false)
}

/// `path` if it exists and is executable by someone.
pub fn executable(path: &Path) -> Option<PathBuf> {
    use std::os::unix::fs::PermissionsExt;
    let meta = std::fs::metadata(path).ok()?;
    (meta.is_file() && meta.permissions().mode() & 0o111 != 0).then(|| path.to_path_buf())
}

/// The first `name` on `PATH`.
pub fn which(name: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path).find_map(|dir| executable(&dir.join(name)))
}

/// A one-line warning when the disk holding `path` has less than `needed_gb` free (`df -Pk`;
/// silent where `df` is missing or answers oddly).
pub fn warn_if_disk_is_short(path: &Path, needed_gb: u64) {
    let Ok(out) = run_quiet(Command::new("df").arg("-Pk").arg(path)) else { return };
    let free_kb =
        out.lines().nth(1).and_then(|line| line.split_whitespace().nth(3)).and_then(|n| n.parse::<u64>().ok());
    if let Some(free_kb) = free_kb
        && free_kb < needed_gb * 1024 * 1024
    {
        eprintln!(
            "xtask: warning: {:.1} GB free on the disk of {}; the tests need about {needed_gb} GB (a full disk stops PostgreSQL)",
            free_kb as f64 / 1024.0 / 1024.0,
            path.display()
        );
    }
}
