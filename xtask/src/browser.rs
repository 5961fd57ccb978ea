//! Chromium and chromedriver for the browser tests: Debian's `chromium` and `chromium-driver`
//! (one source package, so their versions match), installed with apt when missing and root.

use std::path::PathBuf;
use std::process::Command;

use anyhow::{Result, bail};

use crate::util;

pub const CHROME: &str = "/usr/bin/chromium";
pub const CHROMEDRIVER: &str = "/usr/bin/chromedriver";

pub struct Browser {
    pub chrome: PathBuf,
    pub chromedriver: PathBuf,
}

/// Makes sure both binaries exist. apt's output is kept in a log and shown only on failure, since
/// this runs beside the WASM build.
pub fn ensure_chromium() -> Result<Browser> {
    let present = || util::executable(CHROME.as_ref()).is_some() && util::executable(CHROMEDRIVER.as_ref()).is_some();
    if !present() {
        if !util::is_root() {
            bail!(
                "{CHROME} or {CHROMEDRIVER} is missing: install them with `sudo apt-get install chromium chromium-driver`"
            );
        }
        println!("xtask: installing chromium and chromium-driver with apt-get (in the background)");
        let apt = |args: &[&str]| {
            let mut command = Command::new("apt-get");
            command.args(args).env("DEBIAN_FRONTEND", "noninteractive");
            util::run_quiet(&mut command)
        };
        apt(&["update"])?;
        apt(&["install", "-y", "chromium", "chromium-driver"])?;
        if !present() {
            bail!("apt-get installed chromium and chromium-driver, but {CHROME} or {CHROMEDRIVER} is still missing");
        }
        println!("xtask: chromium and chromium-driver installed");
    }
    Ok(Browser { chrome: PathBuf::from(CHROME), chromedriver: PathBuf::from(CHROMEDRIVER) })
}
