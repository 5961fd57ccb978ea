//! The `mutu` binary as an operator uses it: `mutu user add` with the password on standard
//! input, `mutu serve` printing its address, and SIGTERM ending it cleanly.

use std::io::{BufRead, BufReader, Write};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

fn database() -> (PathBuf, String) {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(format!("cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir
        .join(format!("{}.db", std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_nanos()));
    let url = format!("sqlite://{}?mode=rwc", path.display());
    (path, url)
}

fn mutu(url: &str) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_mutu"));
    command.env("MUTU_DATABASE_URL", url).env("MUTU_LOG", "warn").env_remove("MUTU_JWT_SECRET");
    command
}

fn user_add(url: &str, args: &[&str], password: &str) -> std::process::Output {
    let mut child = mutu(url)
        .args(["user", "add"])
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(password.as_bytes()).unwrap();
    child.wait_with_output().unwrap()
}

/// Starts `mutu serve` on a free port and returns it with the address it printed.
fn serve(url: &str) -> (Child, String) {
    let mut child = mutu(url)
        .args(["serve"])
        .env("MUTU_BIND", "127.0.0.1:0")
        .env("MUTU_STATIC_DIR", env!("CARGO_TARGET_TMPDIR"))
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap()).read_line(&mut line).unwrap();
    let address =
        line.split_whitespace().find(|w| w.starts_with("http://")).expect("the address is printed").to_owned();
    (child, address)
}

#[tokio::test]
async fn user_add_creates_an_account_that_can_log_in_and_sigterm_stops_the_server() {
    let (_path, url) = database();
    let created = user_add(
        &url,
        &["--username", "siti", "--role", "qco", "--full-name", "Siti Aminah", "--position", "QCO"],
        "rahasia-siti-2026\n",
    );
    assert!(created.status.success(), "{}", String::from_utf8_lossy(&created.stderr));
    assert!(String::from_utf8_lossy(&created.stdout).contains("created user siti"));

    let duplicate = user_add(&url, &["--username", "siti", "--role", "qco"], "rahasia-siti-2026\n");
    assert!(!duplicate.status.success());
    let bad_role = user_add(&url, &["--username", "joko", "--role", "root"], "rahasia-joko-2026\n");
    assert!(!bad_role.status.success());
    let short = user_add(&url, &["--username", "joko", "--role", "agent"], "short\n");
    assert!(!short.status.success());

    let (mut child, address) = serve(&url);
    let client = reqwest::Client::new();
    let login = client
        .post(format!("{address}/api/auth/login"))
        .json(&serde_json::json!({ "username": "siti", "password": "rahasia-siti-2026" }))
        .send()
        .await
        .unwrap();
    assert_eq!(login.status(), 200);
    let body: serde_json::Value = login.json().await.unwrap();
    assert_eq!(body["user"]["full_name"], "Siti Aminah");
    assert_eq!(body["user"]["role"], "qco");

    // SIGTERM: the server finishes and exits successfully.
    let pid = child.id().to_string();
    assert!(Command::new("kill").args(["-TERM", &pid]).status().unwrap().success());
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            assert!(status.success(), "exit status {status}");
            break;
        }
        assert!(Instant::now() < deadline, "the server did not stop after SIGTERM");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

#[tokio::test]
async fn the_generated_jwt_secret_survives_a_restart() {
    let (_path, url) = database();
    let created = user_add(&url, &["--username", "andi", "--role", "agent"], "rahasia-andi-2026");
    assert!(created.status.success());
    let (mut first, address) = serve(&url);
    let client = reqwest::Client::new();
    let login: serde_json::Value = client
        .post(format!("{address}/api/auth/login"))
        .json(&serde_json::json!({ "username": "andi", "password": "rahasia-andi-2026" }))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let token = login["access_token"].as_str().unwrap().to_owned();
    first.kill().unwrap();
    first.wait().unwrap();

    let (mut second, address) = serve(&url);
    let me = client.get(format!("{address}/api/me")).bearer_auth(&token).send().await.unwrap();
    assert_eq!(me.status(), 200, "a token issued before the restart still verifies");
    second.kill().unwrap();
    second.wait().unwrap();
}

#[test]
fn a_recording_address_without_its_reference_stops_the_server_with_one_line() {
    let (_path, url) = database();
    let output = mutu(&url)
        .args(["serve"])
        .env("MUTU_BIND", "127.0.0.1:0")
        .env("MUTU_RECORDING_URL", "https://eyebeam.example/rec")
        .output()
        .unwrap();
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    let first = stderr.lines().next().unwrap_or_default();
    assert!(first.contains("MUTU_RECORDING_URL") && first.contains("{ref}"), "{stderr}");
}

#[test]
fn a_malformed_smtp_address_stops_the_server_with_one_line_without_its_password() {
    let (_path, url) = database();
    for (smtp, from, says) in [
        ("smtp//qc:hunter2@mail.example", Some("Mutu <mutu@example.co.id>"), "MUTU_SMTP_URL"),
        ("smtp://qc:hunter2@mail.example?tls=maybe", Some("Mutu <mutu@example.co.id>"), "MUTU_SMTP_URL"),
        ("smtp://qc:hunter2@mail.example", None, "MUTU_MAIL_FROM"),
    ] {
        let mut command = mutu(&url);
        command.args(["serve"]).env("MUTU_BIND", "127.0.0.1:0").env("MUTU_SMTP_URL", smtp).env_remove("MUTU_MAIL_FROM");
        if let Some(from) = from {
            command.env("MUTU_MAIL_FROM", from);
        }
        let output = command.output().unwrap();
        assert!(!output.status.success(), "{smtp}");
        let stderr = String::from_utf8_lossy(&output.stderr);
        let first = stderr.lines().next().unwrap_or_default();
        assert!(first.contains(says), "{smtp}: {stderr}");
        assert!(!stderr.contains("hunter2"), "the password leaked: {stderr}");
    }
}
