//! A real SMTP server for the email tests: Python's `aiosmtpd`, installed from PyPI into a
//! virtual environment under the target directory (once; about 6 s). The tests start
//! `tests/smtp/sink.py` with the interpreter named by `MUTU_TEST_SMTP_PYTHON`.

use std::path::PathBuf;
use std::process::Command;

use anyhow::{Result, bail};

use crate::util;

/// The virtual environment's Python, with `aiosmtpd` importable.
pub fn ensure_aiosmtpd() -> Result<PathBuf> {
    let venv = util::target_dir().join("smtp-venv");
    let python = venv.join("bin").join("python");
    let importable =
        || Command::new(&python).args(["-c", "import aiosmtpd"]).output().map(|o| o.status.success()).unwrap_or(false);
    if importable() {
        return Ok(python);
    }
    let system = ["python3", "python"]
        .into_iter()
        .find(|p| Command::new(p).arg("--version").output().is_ok_and(|o| o.status.success()));
    let Some(system) = system else {
        bail!("python3 is missing: the email tests need it (Debian: `apt-get install python3 python3-venv`)");
    };
    println!("xtask: installing aiosmtpd (the email tests' SMTP server) into {}", venv.display());
    let made = util::run_quiet(Command::new(system).args(["-m", "venv", "--clear"]).arg(&venv));
    if let Err(err) = made {
        bail!("python3 could not make a virtual environment (Debian: `apt-get install python3-venv`): {err}");
    }
    let pip = venv.join("bin").join("pip");
    if let Err(err) = util::run_quiet(Command::new(&pip).args(["install", "--quiet", "aiosmtpd==1.4.6"])) {
        bail!("pip could not install aiosmtpd from PyPI: {err}");
    }
    if !importable() {
        bail!("aiosmtpd was installed into {} but cannot be imported", venv.display());
    }
    Ok(python)
}
