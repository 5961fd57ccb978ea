//! Real-browser scenarios: headless Chromium, driven through chromedriver, against a server started
//! in this process on a fresh SQLite database with the demo data, serving the built app
//! (`frontend/dist`, or `MUTU_TEST_STATIC_DIR`). Build the app first: `cargo xtask dist`
//! (`cargo xtask test` does both).
//!
//! Every wait polls with a deadline. Each step leaves a screenshot in `target/screenshots/`.

use fantoccini::elements::Element;
use fantoccini::{Client, ClientBuilder, Locator};
use hyper_util::client::legacy::connect::HttpConnector;
use serde_json::json;
use std::future::Future;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};
use tests::{Backend, DEMO_PASSWORD, Spawn, TestApp, spawn_app_with};
use tokio::sync::Semaphore;

mod cases;
mod dashboards;
mod documents;
mod followup_deadlines;
mod imports;
mod inbox;
mod mail;
mod narrow;
mod promises;
mod records;
mod scoring;

/// The months as the Indonesian pages write them.
use domain::indonesian::MONTHS as MONTHS_ID;

/// How long a page may take to show what a step waits for.
const PATIENCE: Duration = Duration::from_secs(15);
/// How often a condition is checked again.
const POLL: Duration = Duration::from_millis(100);

/// One browser at a time: each is a whole Chromium, and CI machines have two cores.
static BROWSERS: Semaphore = Semaphore::const_new(1);

fn workspace_target() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../target")
}

fn static_dir() -> PathBuf {
    std::env::var_os("MUTU_TEST_STATIC_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../frontend/dist"))
}

/// A port nobody listens on right now.
fn free_port() -> u16 {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind a free port");
    listener.local_addr().expect("local address").port()
}

/// A chromedriver process, killed when dropped.
struct Driver(Child);

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// A Chromium profile directory, removed when dropped (also when the test fails).
struct Profile(PathBuf);

impl Drop for Profile {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// The browser session of one test: the WebDriver client, the app's address, and where its
/// screenshots go.
#[derive(Clone)]
struct Ui {
    client: Client,
    base: String,
    test: &'static str,
}

/// Runs `scenario` in a fresh Chromium against a fresh server, then closes the browser whether
/// the scenario passed or panicked.
async fn in_browser<F, Fut>(test: &'static str, scenario: F)
where
    F: FnOnce(Ui, TestApp) -> Fut,
    Fut: Future<Output = ()> + Send + 'static,
{
    in_browser_with(test, |_| {}, scenario).await;
}

/// [`in_browser`] against a server whose configuration `configure` changed first (its site zone).
async fn in_browser_with<F, Fut>(test: &'static str, configure: fn(&mut mutu_backend::Config), scenario: F)
where
    F: FnOnce(Ui, TestApp) -> Fut,
    Fut: Future<Output = ()> + Send + 'static,
{
    assert!(
        static_dir().join("index.html").is_file(),
        "{} has no index.html: build the app with `cargo xtask dist` first",
        static_dir().display()
    );
    let _turn = BROWSERS.acquire().await.expect("the browser semaphore is never closed");
    let app = spawn_app_with(Backend::Sqlite, Spawn { configure, ..Spawn::default() }).await;

    let profile = workspace_target().join("test-data").join(format!("chrome-{}", uuid::Uuid::new_v4().simple()));
    std::fs::create_dir_all(&profile).expect("create the Chromium profile directory");
    // Chromium cannot start from a profile path with `..` in it (chromedriver then never finds
    // its DevTools port), and CARGO_MANIFEST_DIR/../target has one. Declared before the driver, so
    // the driver and its Chromium are gone by the time the directory is removed.
    let profile = Profile(profile.canonicalize().expect("resolve the Chromium profile directory"));

    let chromedriver = std::env::var("MUTU_TEST_CHROMEDRIVER").unwrap_or_else(|_| "/usr/bin/chromedriver".into());
    let chrome = std::env::var("MUTU_TEST_CHROME").unwrap_or_else(|_| "/usr/bin/chromium".into());
    let port = free_port();
    let _driver = Driver(
        Command::new(&chromedriver)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| panic!("start {chromedriver}: {e}")),
    );

    let capabilities = json!({
        "browserName": "chrome",
        "goog:chromeOptions": {
            "binary": chrome,
            "args": [
                "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-quic",
                "--no-first-run", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--window-size=1366,768", format!("--user-data-dir={}", profile.0.display()),
            ],
        },
    });
    let serde_json::Value::Object(capabilities) = capabilities else { unreachable!("an object literal") };

    // chromedriver takes a moment to listen: retry the connection until a deadline.
    let webdriver = format!("http://127.0.0.1:{port}");
    let deadline = Instant::now() + PATIENCE;
    let client = loop {
        match ClientBuilder::new(HttpConnector::new()).capabilities(capabilities.clone()).connect(&webdriver).await {
            Ok(client) => break client,
            Err(_) if Instant::now() < deadline => tokio::time::sleep(POLL).await,
            Err(error) => panic!("cannot start a WebDriver session at {webdriver}: {error}"),
        }
    };

    let ui = Ui { client: client.clone(), base: app.address.clone(), test };
    let outcome = tokio::spawn(scenario(ui, app)).await;
    let _ = client.close().await;
    if let Err(error) = outcome {
        if error.is_panic() {
            std::panic::resume_unwind(error.into_panic());
        }
        panic!("the scenario did not finish: {error}");
    }
}

/// chromedriver's network emulation (`POST /session/{id}/chromium/network_conditions`): the
/// browser's own throttling, as its developer tools apply it, for requests to the test server too.
#[derive(Debug)]
struct NetworkConditions {
    upload_bytes_per_s: u64,
}

impl fantoccini::wd::WebDriverCompatibleCommand for NetworkConditions {
    fn endpoint(&self, base_url: &url::Url, session_id: Option<&str>) -> Result<url::Url, url::ParseError> {
        base_url.join(&format!("session/{}/chromium/network_conditions", session_id.unwrap_or_default()))
    }

    fn method_and_body(&self, _: &url::Url) -> (axum::http::Method, Option<String>) {
        let body = json!({ "network_conditions": {
            "offline": false, "latency": 0, "download_throughput": 50_000_000, "upload_throughput": self.upload_bytes_per_s,
        } });
        (axum::http::Method::POST, Some(body.to_string()))
    }
}

/// Writes `bytes` to `target/test-data/upload-…/<name>` and gives its absolute path, for a file
/// input.
fn upload_file(name: &str, bytes: &[u8]) -> String {
    let dir = workspace_target().join("test-data").join(format!("upload-{}", uuid::Uuid::new_v4().simple()));
    std::fs::create_dir_all(&dir).expect("create the upload directory");
    let path = dir.join(name);
    std::fs::write(&path, bytes).expect("write the upload file");
    path.canonicalize().expect("resolve the upload path").display().to_string()
}

/// `1.234`: thousands grouped with dots, as the Indonesian pages show them.
fn group(n: u64) -> String {
    domain::indonesian::thousands(n as i64)
}

impl Ui {
    /// Clicks `css` once it is scrolled to the middle of the window (clear of the sticky bars).
    async fn press(&self, css: &str) {
        self.find(css).await;
        self.client
            .execute("document.querySelector(arguments[0]).scrollIntoView({ block: 'center' });", vec![json!(css)])
            .await
            .expect("scroll");
        self.click(css).await;
    }

    /// Sets an input's value as a user's pick does, whatever the browser's locale, and fires
    /// `event` (`input` or `change`, whichever the page listens to): date and time pickers.
    async fn set_value(&self, css: &str, value: &str, event: &str) {
        self.find(css).await;
        self.client
            .execute(
                "const e = document.querySelector(arguments[0]); e.value = arguments[1]; \
                 e.dispatchEvent(new Event(arguments[2], { bubbles: true }));",
                vec![json!(css), json!(value), json!(event)],
            )
            .await
            .expect("set the value");
    }

    /// Slows the browser's uploads to `bytes_per_s`, as on a call centre's shared line.
    async fn throttle_upload(&self, bytes_per_s: u64) {
        self.client
            .issue_cmd(NetworkConditions { upload_bytes_per_s: bytes_per_s })
            .await
            .expect("set the network conditions");
    }

    /// From now on, records each stage and bar value the import's `#import-progress` box shows,
    /// in order and without repeats, in `window.__progress` (the agree and payment imports').
    async fn watch_progress(&self) {
        self.client
            .execute(
                "window.__progress = []; \
                 const note = () => { const p = document.querySelector('#import-progress'); if (!p) return; \
                   const bar = p.querySelector('progress'); \
                   const seen = p.dataset.stage + ':' + (bar && bar.hasAttribute('value') ? bar.getAttribute('value') : ''); \
                   if (window.__progress[window.__progress.length - 1] !== seen) window.__progress.push(seen); }; \
                 new MutationObserver(note).observe(document.body, { subtree: true, childList: true, attributes: true });",
                vec![],
            )
            .await
            .expect("watch the progress box");
    }

    async fn goto(&self, path: &str) {
        self.client.goto(&format!("{}{path}", self.base)).await.expect("navigate");
    }

    /// The element matching `css`, waiting until it is there.
    async fn find(&self, css: &str) -> Element {
        match self.client.wait().at_most(PATIENCE).every(POLL).for_element(Locator::Css(css)).await {
            Ok(element) => element,
            Err(error) => {
                self.shot("failure").await;
                panic!("{css} did not appear: {error}");
            }
        }
    }

    /// Whether `css` matches something right now.
    async fn exists(&self, css: &str) -> bool {
        !self.client.find_all(Locator::Css(css)).await.expect("query the page").is_empty()
    }

    async fn click(&self, css: &str) {
        self.find(css).await.click().await.unwrap_or_else(|e| panic!("click {css}: {e}"));
    }

    async fn fill(&self, css: &str, text: &str) {
        let field = self.find(css).await;
        field.clear().await.expect("clear the field");
        field.send_keys(text).await.unwrap_or_else(|e| panic!("type into {css}: {e}"));
    }

    async fn select(&self, css: &str, value: &str) {
        self.find(css).await.select_by_value(value).await.unwrap_or_else(|e| panic!("select {value} in {css}: {e}"));
    }

    async fn text(&self, css: &str) -> String {
        self.find(css).await.text().await.expect("read the text")
    }

    /// Waits until `css` shows exactly `expected`.
    async fn wait_for_text(&self, css: &str, expected: &str) {
        let deadline = Instant::now() + PATIENCE;
        loop {
            let elements = self.client.find_all(Locator::Css(css)).await.expect("query the page");
            let mut last = None;
            if let Some(element) = elements.first() {
                // The element may be replaced between the query and the read; just look again.
                if let Ok(text) = element.text().await {
                    if text.trim() == expected {
                        return;
                    }
                    last = Some(text);
                }
            }
            if Instant::now() > deadline {
                self.shot("failure").await;
                panic!("{css} shows {last:?}, not {expected:?}");
            }
            tokio::time::sleep(POLL).await;
        }
    }

    /// Waits until the badge `css` counts `expected` in its `data-count` (a badge that is not
    /// shown counts 0); `what` names it when it never does.
    async fn wait_badge(&self, css: &str, what: &str, expected: u64) {
        let deadline = Instant::now() + PATIENCE;
        loop {
            let badges = self.client.find_all(Locator::Css(css)).await.expect("query the page");
            let mut now = 0;
            if let Some(badge) = badges.first() {
                now = badge.attr("data-count").await.ok().flatten().and_then(|c| c.parse().ok()).unwrap_or(0);
            }
            if now == expected {
                return;
            }
            if Instant::now() > deadline {
                self.shot("failure").await;
                panic!("the {what} badge shows {now}, not {expected}");
            }
            tokio::time::sleep(POLL).await;
        }
    }

    /// The `dataset[key]` (`data-*` in camel case) of every element matching `css`, in page
    /// order, read in one script so that a re-render cannot leave a stale element half-read.
    async fn dataset(&self, css: &str, key: &str) -> serde_json::Value {
        self.client
            .execute(
                "return [...document.querySelectorAll(arguments[0])].map(e => e.dataset[arguments[1]]);",
                vec![json!(css), json!(key)],
            )
            .await
            .unwrap_or_else(|e| panic!("read data-{key} of {css}: {e}"))
    }

    /// Waits until no element matches `css`.
    async fn wait_gone(&self, css: &str) {
        let deadline = Instant::now() + PATIENCE;
        while self.exists(css).await {
            if Instant::now() > deadline {
                self.shot("failure").await;
                panic!("{css} is still there");
            }
            tokio::time::sleep(POLL).await;
        }
    }

    /// The `data-nav` names of the navigation, in order.
    async fn nav(&self) -> Vec<String> {
        self.find("[data-nav]").await;
        let mut names = Vec::new();
        for link in self.client.find_all(Locator::Css("[data-nav]")).await.expect("query the navigation") {
            names.push(link.attr("data-nav").await.expect("read data-nav").unwrap_or_default());
        }
        names
    }

    async fn html_lang(&self) -> String {
        let lang = self.client.execute("return document.documentElement.lang", vec![]).await.expect("run a script");
        lang.as_str().unwrap_or_default().to_owned()
    }

    /// Saves `target/screenshots/<test>-<step>.png`.
    async fn shot(&self, step: &str) {
        let dir = workspace_target().join("screenshots");
        let _ = std::fs::create_dir_all(&dir);
        if let Ok(png) = self.client.screenshot().await {
            let _ = std::fs::write(dir.join(format!("{}-{step}.png", self.test)), png);
        }
    }

    /// Signs in through the login form and waits for the landing page.
    async fn login(&self, username: &str, password: &str) {
        self.goto("/login").await;
        self.fill("#username", username).await;
        self.fill("#password", password).await;
        self.click("#login-submit").await;
        self.find(r#"[data-page="home"]"#).await;
    }

    async fn logout(&self) {
        self.click("#logout").await;
        self.find(r#"[data-page="login"]"#).await;
    }

    async fn path(&self) -> String {
        self.client.current_url().await.expect("read the URL").path().to_owned()
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn agent_sees_only_their_own_pages() {
    in_browser("agent", |ui, _app| async move {
        ui.login("agent1", DEMO_PASSWORD).await;
        ui.shot("home").await;

        let home = ui.find(r#"[data-page="home"]"#).await;
        assert_eq!(home.attr("data-role").await.unwrap().as_deref(), Some("agent"));
        assert_eq!(ui.nav().await, ["home", "documents", "tasks", "followups", "evaluations", "account"]);
        assert_eq!(ui.text("#current-role").await, "Agent");

        // A page the role may not use looks like one that does not exist.
        ui.goto("/admin/users").await;
        ui.find(r#"[data-page="not-found"]"#).await;
        ui.shot("admin-users-not-found").await;
        assert!(!ui.exists(r#"[data-page="users"]"#).await);
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn admin_sees_the_admin_pages() {
    in_browser("admin", |ui, app| async move {
        ui.login("admin", DEMO_PASSWORD).await;
        ui.find(r#"[data-section="admin-summary"] [data-stat="users"]"#).await;
        // No backup yet: the summary says how to make one.
        ui.wait_for_text("#last-backup", "Belum ada cadangan. Jalankan mutu backup --to FILE di server.").await;
        // A backup made and then verified on the server's command line shows with its check.
        let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(format!("admin-backup-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("a scratch folder");
        let file = dir.join("mutu.zip");
        let _ = std::fs::remove_file(&file);
        let made = mutu_backend::backup::backup(&app.app.state, &file).await.expect("a backup");
        ui.goto("/").await;
        let line = ui.find("#last-backup").await;
        let text = line.text().await.unwrap_or_default();
        assert!(
            text.starts_with("Cadangan terakhir: ") && text.ends_with("belum diverifikasi (mutu backup --verify FILE)"),
            "{text}"
        );
        let key =
            std::sync::Arc::new(mutu_backend::audit::key::load_existing(&app.app.state.config).expect("the audit key"));
        let restored = mutu_backend::backup::verify(&file, key).await.expect("the backup verifies");
        let outcome =
            mutu_backend::backup::register::Outcome { kind: "verify", problem: None, rows_total: restored.rows };
        let recorded =
            mutu_backend::backup::register::record_verification(&app.app.state, &made.manifest.archive_id, &outcome)
                .await
                .expect("recorded");
        assert!(recorded);
        ui.goto("/").await;
        ui.find("#last-backup").await;
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            let text = ui.text("#last-backup").await;
            if text.contains(" · diverifikasi ") || Instant::now() > deadline {
                assert!(text.contains(" · diverifikasi "), "{text}");
                break;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        let _ = std::fs::remove_dir_all(&dir);
        // Counted whole by the server: the demo's eleven accounts, per role.
        ui.wait_for_text(r#"[data-stat="users"] .stat-value"#, "11").await;
        let roles = ui.text("#users-by-role").await;
        assert!(roles.starts_with("Administrator 1 · ") && roles.ends_with(" · Agent 3"), "{roles}");
        ui.shot("home").await;
        ui.client
            .execute(
                "document.querySelector('[data-section=\"admin-summary\"]').scrollIntoView({ block: 'center' });",
                vec![],
            )
            .await
            .expect("scroll");
        ui.shot("home-admin-summary").await;
        let home = ui.find(r#"[data-page="home"]"#).await;
        assert_eq!(home.attr("data-role").await.unwrap().as_deref(), Some("admin"));
        assert_eq!(
            ui.nav().await,
            [
                "home",
                "documents",
                "tasks",
                "followups",
                "evaluations",
                "scoring-forms",
                "calibration",
                "sampling",
                "users",
                "teams",
                "mail",
                "records",
                "audit",
                "account"
            ]
        );

        ui.click(r#"[data-nav="users"]"#).await;
        ui.find(r#"tr[data-username="agent3"]"#).await;
        assert_eq!(ui.path().await, "/admin/users");
        ui.shot("users").await;
        // Searching by part of a name, in any case, asks the server.
        ui.fill("#filter-q", "lestari").await;
        ui.wait_gone(r#"tr[data-username="agent3"]"#).await;
        let found = ui.dataset("tr[data-username]", "username").await;
        assert_eq!(found, json!(["agent2"]));
        ui.client
            .execute("document.querySelector('#filter-q').scrollIntoView({ block: 'center' });", vec![])
            .await
            .expect("scroll");
        ui.shot("users-search").await;
        ui.fill("#filter-q", "AGENT").await;
        ui.find(r#"tr[data-username="agent3"]"#).await;

        ui.click(r#"[data-nav="teams"]"#).await;
        ui.find(r#"tr[data-team="Tim 2"]"#).await;
        ui.shot("teams").await;

        ui.click(r#"[data-nav="audit"]"#).await;
        ui.find("#audit-table").await;
        ui.click("#verify-chain").await;
        let result = ui.find(r#"#verify-result [data-chain-ok]"#).await;
        assert_eq!(result.attr("data-chain-ok").await.unwrap().as_deref(), Some("true"));
        ui.shot("audit").await;

        ui.click(r#"[data-nav="account"]"#).await;
        ui.find(r#"[data-page="account"]"#).await;
        ui.shot("account").await;
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn language_switch_translates_every_page_and_is_remembered() {
    in_browser("language", |ui, _app| async move {
        ui.goto("/login").await;
        ui.wait_for_text("#login-submit", "Masuk").await;
        assert_eq!(ui.html_lang().await, "id");

        ui.click("#lang-en").await;
        ui.wait_for_text("#login-submit", "Sign in").await;
        assert_eq!(ui.html_lang().await, "en");
        ui.shot("login-en").await;

        // Wrong password, explained in the chosen language.
        ui.fill("#username", "agent2").await;
        ui.fill("#password", "not-the-password").await;
        ui.click("#login-submit").await;
        ui.wait_for_text(".error-banner", "Wrong username or password.").await;
        ui.shot("wrong-password-en").await;

        // The choice survives a reload and carries into the signed-in pages.
        ui.client.refresh().await.expect("reload");
        ui.wait_for_text("#login-submit", "Sign in").await;
        ui.login("tl1", DEMO_PASSWORD).await;
        ui.wait_for_text(r#"[data-nav="home"]"#, "Home").await;
        ui.find(r#"[data-section="team-members"] tr[data-username="agent2"]"#).await;
        ui.shot("home-en").await;

        ui.click("#lang-id").await;
        ui.wait_for_text(r#"[data-nav="home"]"#, "Beranda").await;
        ui.wait_for_text("#logout", "Keluar").await;
        assert_eq!(ui.html_lang().await, "id");
        ui.shot("home-id").await;
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn admin_creates_a_user_who_can_then_sign_in() {
    in_browser("create-user", |ui, _app| async move {
        ui.login("admin", DEMO_PASSWORD).await;
        ui.click(r#"[data-nav="users"]"#).await;
        ui.find(r#"tr[data-username="agent1"]"#).await;

        // The shared validation answers before anything is sent.
        ui.fill("#new-username", "Rudi Hartono").await;
        ui.fill("#new-password", "pendek").await;
        ui.click("#create-user").await;
        let too_short = format!("Terlalu pendek: minimal {} karakter.", domain::validation::PASSWORD_MIN);
        ui.wait_for_text("#new-password-error", &too_short).await;
        ui.find("#new-username-error").await;
        ui.find("#new-full-name-error").await;
        ui.shot("invalid").await;

        ui.fill("#new-username", "rudi.h").await;
        ui.fill("#new-password", "rahasia-rudi-2024").await;
        ui.fill("#new-full-name", "Rudi Hartono").await;
        ui.fill("#new-position", "Quality Control Officer").await;
        ui.select("#new-role", "qco").await;
        ui.click("#create-user").await;
        let row = ui.find(r#"tr[data-username="rudi.h"]"#).await;
        ui.wait_gone("#new-username-error").await;
        let role = row.find(Locator::Css(r#"[data-field="role"]"#)).await.expect("role cell");
        assert_eq!(role.text().await.unwrap(), "Petugas QC (QCO)");
        ui.shot("created").await;

        // Moving an agent to another team says what goes along to the new team leader.
        ui.click(r#"[data-edit="agent1"]"#).await;
        ui.find("#edit-team").await;
        assert!(!ui.exists("#team-move-note").await);
        ui.select("#edit-team", "2").await;
        ui.wait_for_text(
            "#team-move-note",
            "Tindak lanjut RETURN yang belum ditutup ikut pindah ke team leader tim baru. Case, lembar F-18 dan \
             tindak lanjut yang sudah ditutup tetap tercatat di tim lama.",
        )
        .await;
        ui.shot("team-move-note").await;
        ui.click("#edit-user .dialog-head .btn-icon").await;
        ui.wait_gone("#edit-user").await;

        ui.logout().await;
        ui.login("rudi.h", "rahasia-rudi-2024").await;
        let home = ui.find(r#"[data-page="home"]"#).await;
        assert_eq!(home.attr("data-role").await.unwrap().as_deref(), Some("qco"));
        assert_eq!(ui.text("#current-user").await, "Rudi Hartono");
        assert_eq!(
            ui.nav().await,
            ["home", "documents", "tasks", "cases", "followups", "report-f19", "evaluations", "calibration", "account"]
        );
        ui.shot("new-user-home").await;
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_admin_sees_a_lock_out_and_lifts_it() {
    in_browser("unlock", |ui, app| async move {
        for n in 0..5 {
            assert_eq!(app.try_login("qco2", &format!("salah-{n}")).await.status, reqwest::StatusCode::UNAUTHORIZED);
        }
        assert_eq!(app.try_login("qco2", DEMO_PASSWORD).await.status, reqwest::StatusCode::TOO_MANY_REQUESTS);
        ui.login("admin", DEMO_PASSWORD).await;
        ui.click(r#"[data-nav="users"]"#).await;
        let locked = ui.text(r#"tr[data-username="qco2"] [data-field="locked"]"#).await;
        assert!(locked.starts_with("Terkunci s.d. "), "{locked}");
        assert_eq!(ui.text(r#"tr[data-username="agent3"] [data-field="last-login"]"#).await, "Belum pernah");
        assert!(!ui.exists(r#"[data-unlock="qco1"]"#).await, "only a locked account offers it");
        let see = r#"document.querySelector('tr[data-username="qco2"]').scrollIntoView({ block: 'center' });"#;
        ui.client.execute(see, vec![]).await.expect("scroll to the row");
        ui.shot("locked").await;
        ui.click(r#"[data-unlock="qco2"]"#).await;
        ui.wait_gone(r#"tr[data-username="qco2"] [data-field="locked"]"#).await;
        ui.find(".banner").await;
        ui.shot("unlocked").await;
        assert_eq!(app.try_login("qco2", DEMO_PASSWORD).await.status, reqwest::StatusCode::OK);
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_one_time_password_from_the_admin_is_changed_at_the_next_login() {
    in_browser("one-time-password", |ui, _app| async move {
        ui.login("admin", DEMO_PASSWORD).await;
        ui.click(r#"[data-nav="users"]"#).await;
        ui.click(r#"[data-edit="agent2"]"#).await;
        ui.find("#one-time-form").await;
        ui.fill("#one-time-password", "pendek").await;
        ui.click("#set-one-time").await;
        let too_short = format!("Terlalu pendek: minimal {} karakter.", domain::validation::PASSWORD_MIN);
        ui.wait_for_text("#one-time-password-error", &too_short).await;
        ui.fill("#one-time-password", "sementara-2026").await;
        ui.shot("dialog").await;
        ui.click("#set-one-time").await;
        ui.wait_gone("#edit-user").await;
        let notice = ui.text(".banner-success").await;
        assert!(notice.starts_with("Kata sandi sementara untuk agent2 disetel."), "{notice}");
        ui.logout().await;

        ui.goto("/login").await;
        ui.fill("#username", "agent2").await;
        ui.fill("#password", "sementara-2026").await;
        ui.click("#login-submit").await;
        ui.find(r#"[data-page="must-change-password"]"#).await;
        // Every address shows the same until the password is changed.
        ui.goto("/cases").await;
        ui.find(r#"[data-page="must-change-password"]"#).await;
        ui.shot("must-change").await;
        ui.fill("#current-password", "sementara-2026").await;
        ui.fill("#account-new-password", "sementara-2026").await;
        ui.fill("#confirm-password", "sementara-2026").await;
        ui.click("#change-password").await;
        ui.wait_for_text(
            "#account-new-password-error",
            "Pilih kata sandi baru milik Anda sendiri, bukan kata sandi sementara.",
        )
        .await;
        ui.fill("#current-password", "sementara-2026").await;
        ui.fill("#account-new-password", "kata-sandi-dewi-2026").await;
        ui.fill("#confirm-password", "kata-sandi-dewi-2026").await;
        ui.click("#change-password").await;
        ui.find(r#"[data-page="cases"]"#).await;
        ui.shot("changed").await;
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn logout_ends_the_session_and_a_reload_keeps_a_login() {
    in_browser("logout", |ui, _app| async move {
        ui.login("qrd", DEMO_PASSWORD).await;
        ui.find(r#"[data-section="audit-status"] [data-chain-ok]"#).await;

        // Tokens are kept in local storage: a reload of a deep link stays signed in.
        ui.goto("/audit").await;
        ui.find(r#"[data-page="audit"]"#).await;
        ui.shot("audit-after-reload").await;

        ui.logout().await;
        assert_eq!(ui.path().await, "/login");
        ui.shot("logged-out").await;

        // Signed out, a protected deep link leads back to the login page.
        ui.goto("/account").await;
        ui.find(r#"[data-page="login"]"#).await;
        assert_eq!(ui.path().await, "/login");
        let stored =
            ui.client.execute("return localStorage.getItem('mutu.refresh_token')", vec![]).await.expect("run a script");
        assert!(stored.is_null(), "the refresh token is still stored: {stored}");
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_rejected_access_token_is_renewed_once_and_a_refused_refresh_signs_out() {
    in_browser("refresh", |ui, _app| async move {
        ui.login("admin", DEMO_PASSWORD).await;
        ui.find(r#"[data-stat="users"]"#).await;
        let stored = |key: &'static str| {
            let client = ui.client.clone();
            async move {
                let value = client
                    .execute("return localStorage.getItem(arguments[0])", vec![json!(key)])
                    .await
                    .expect("read local storage");
                value.as_str().map(str::to_owned)
            }
        };
        let first_refresh = stored("mutu.refresh_token").await.expect("a stored refresh token");

        // Several requests fail together (profile, counts, audit chain): they must share one
        // refresh, since reusing a spent refresh token would end the whole login.
        ui.client
            .execute("localStorage.setItem('mutu.access_token', 'not-a-token')", vec![])
            .await
            .expect("write local storage");
        ui.goto("/").await;
        ui.find(r#"[data-stat="users"]"#).await;
        ui.find(r#"[data-section="audit-status"] [data-chain-ok]"#).await;
        assert_eq!(ui.path().await, "/");
        let renewed = stored("mutu.refresh_token").await.expect("a renewed refresh token");
        assert_ne!(renewed, first_refresh);
        assert_ne!(stored("mutu.access_token").await.as_deref(), Some("not-a-token"));
        ui.click(r#"[data-nav="users"]"#).await;
        ui.find(r#"tr[data-username="agent1"]"#).await;
        ui.shot("renewed").await;

        // When the refresh token is refused too, the session ends and the login page says so.
        ui.client
            .execute(
                "localStorage.setItem('mutu.access_token', 'bad'); localStorage.setItem('mutu.refresh_token', 'bad')",
                vec![],
            )
            .await
            .expect("write local storage");
        ui.click(r#"[data-nav="teams"]"#).await;
        ui.find(r#"[data-page="login"]"#).await;
        ui.wait_for_text(".banner-warning", "Sesi Anda telah berakhir. Silakan masuk kembali.").await;
        assert_eq!(stored("mutu.refresh_token").await, None);
        ui.shot("expired").await;
    })
    .await;
}
