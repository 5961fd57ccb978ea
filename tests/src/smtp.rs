//! A real SMTP server for the email tests: `tests/smtp/sink.py` on Python's `aiosmtpd`, which
//! `cargo xtask test` installs and names in `MUTU_TEST_SMTP_PYTHON`. It refuses recipients
//! whose address starts with `refuse` (550) and keeps each accepted message as a JSON file.

use serde::Deserialize;
use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// One message the server accepted, decoded.
#[derive(Debug, Clone, Deserialize)]
pub struct Received {
    pub rcpt_to: Vec<String>,
    pub from: String,
    pub to: String,
    pub subject: String,
    pub content_type: String,
    pub charset: Option<String>,
    pub body: String,
}

/// A running SMTP server; stopped when dropped.
pub struct SmtpSink {
    pub port: u16,
    dir: PathBuf,
    child: Child,
}

/// A port nothing listens on now (for a server that is down, or to start one on later).
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").expect("bind a free port").local_addr().expect("local address").port()
}

impl SmtpSink {
    /// Starts the server on `port` and waits until it listens.
    pub fn start(port: u16) -> SmtpSink {
        let python = std::env::var_os("MUTU_TEST_SMTP_PYTHON")
            .map(PathBuf::from)
            .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../target/smtp-venv/bin/python"));
        assert!(
            python.exists(),
            "no Python with aiosmtpd at {}: run the tests with `cargo xtask test`, which installs it",
            python.display()
        );
        let dir = crate::scratch_dir("smtp").join(uuid::Uuid::new_v4().simple().to_string());
        std::fs::create_dir_all(&dir).expect("make the mail directory");
        let script = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("smtp/sink.py");
        let mut child = Command::new(python)
            .arg(script)
            .arg(port.to_string())
            .arg(&dir)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .expect("start the SMTP server");
        let mut line = String::new();
        BufReader::new(child.stdout.take().expect("its output")).read_line(&mut line).expect("read its first line");
        assert_eq!(line.trim(), "ready", "the SMTP server did not start");
        SmtpSink { port, dir, child }
    }

    /// Every message accepted so far, in the order they arrived.
    pub fn received(&self) -> Vec<Received> {
        let mut names: Vec<_> = std::fs::read_dir(&self.dir)
            .expect("read the mail directory")
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|x| x == "json"))
            .collect();
        names.sort_by_key(|p| {
            let stem = p.file_stem().and_then(|s| s.to_str()).unwrap_or_default().to_owned();
            let (time, n) = stem.split_once('-').unwrap_or((&stem, "0"));
            (time.parse::<u128>().unwrap_or(0), n.parse::<u64>().unwrap_or(0))
        });
        names
            .iter()
            .map(|p| serde_json::from_slice(&std::fs::read(p).expect("read a message")).expect("a message's JSON"))
            .collect()
    }

    /// Waits up to a few seconds for `n` messages in all.
    pub fn wait_for(&self, n: usize) -> Vec<Received> {
        let until = Instant::now() + Duration::from_secs(10);
        loop {
            let got = self.received();
            if got.len() >= n || Instant::now() > until {
                return got;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

impl Drop for SmtpSink {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
