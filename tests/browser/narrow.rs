//! A phone's screen (issue 14 item 3): at 390×844 no page an agent, a team leader, a QC officer or
//! the admin uses is wider than the screen (tables scroll inside their own box), and the sidebar is a menu
//! button that slides the navigation in and closes when a page is chosen.

use super::{PATIENCE, POLL, Ui, in_browser_with};
use domain::api::Page;
use serde_json::Value;
use std::time::Instant;
use tests::{DEMO_PASSWORD, TestApp};

const WIDTH: u32 = 390;
const HEIGHT: u32 = 844;

/// The document the SOP is (always in the demo data).
const P01: &str = "OB.IN.OCC.TELK.P-01";

/// Opens `path`, waits until it has loaded, and checks nothing makes the page wider than the
/// screen; names the elements that stick out when something does (kept in `misfits`, so one run
/// lists every page that does not fit).
async fn fits(ui: &Ui, misfits: &mut Vec<String>, name: &str, path: &str) {
    ui.goto(path).await;
    let deadline = Instant::now() + PATIENCE;
    loop {
        let loaded = ui.exists("main [data-page]").await && !ui.exists("main .loading").await;
        if loaded {
            break;
        }
        assert!(Instant::now() < deadline, "{path} did not load");
        tokio::time::sleep(POLL).await;
    }
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    let measured = ui
        .client
        .execute(
            "const w = window.innerWidth; \
             const out = [...document.querySelectorAll('body *')].filter(e => { \
               const r = e.getBoundingClientRect(); \
               if (r.right <= w + 1 || e.closest('.sidebar, .table-wrap, .scroll-x, .doc-body table')) return false; \
               return true; \
             }).slice(0, 12).map(e => e.tagName + '.' + e.className + '#' + e.id + ' ' + Math.round(e.getBoundingClientRect().right)); \
             return [document.documentElement.scrollWidth, w, out];",
            vec![],
        )
        .await
        .expect("measure the page");
    let (scroll, inner) = (measured[0].as_u64().unwrap(), measured[1].as_u64().unwrap());
    ui.shot(&format!("390-{name}")).await;
    if scroll > inner {
        misfits.push(format!("{path} is {scroll} px wide on a {inner} px screen; sticking out: {}", measured[2]));
    }
}

async fn first_id(app: &TestApp, token: &str, path: &str) -> i64 {
    let page: Page<Value> = app.get(path, token).await.json();
    page.items.first().and_then(|i| i["id"].as_i64()).unwrap_or_else(|| panic!("{path} is empty"))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_page_of_the_floor_fits_a_phone() {
    // Recordings are played at the site's player (`MUTU_RECORDING_URL`).
    let player = |c: &mut mutu_backend::Config| c.recording_url = Some("https://eyebeam.example/rec/{ref}".into());
    in_browser_with("narrow", player, |ui, app| async move {
        ui.client.set_window_size(WIDTH, HEIGHT).await.expect("resize the window");
        let inner = ui.client.execute("return window.innerWidth;", vec![]).await.unwrap();
        assert_eq!(inner.as_u64(), Some(u64::from(WIDTH)));
        let mut misfits = Vec::new();

        // An agent.
        ui.login("agent1", DEMO_PASSWORD).await;
        let agent = app.token("agent1").await;
        let followup = first_id(&app, &agent, "/api/followups?limit=1").await;
        let sheet = first_id(&app, &agent, "/api/evaluations?limit=1").await;
        // The menu: hidden, opened by its button, closed by choosing a page.
        assert!(!ui.client.find(fantoccini::Locator::Css("#sidebar")).await.unwrap().is_displayed().await.unwrap());
        ui.click("#menu-toggle").await;
        ui.find(".shell.menu-open").await;
        tokio::time::sleep(std::time::Duration::from_millis(400)).await; // the slide
        ui.shot("390-menu").await;
        ui.click(r#"#sidebar [data-nav="followups"]"#).await;
        ui.wait_gone(".shell.menu-open").await;
        assert_eq!(ui.path().await, "/followups");
        for (name, path) in [
            ("agent-home", "/".to_owned()),
            ("agent-tasks", "/tasks".into()),
            ("agent-documents", "/documents".into()),
            ("agent-document", format!("/documents/{P01}")),
            ("agent-revision", format!("/documents/{P01}/revisions/0")),
            ("agent-followups", "/followups".into()),
            ("agent-followup", format!("/followups/{followup}")),
            ("agent-evaluations", "/evaluations".into()),
            ("agent-evaluation", format!("/evaluations/{sheet}")),
            ("agent-account", "/account".into()),
        ] {
            fits(&ui, &mut misfits, name, &path).await;
        }
        ui.logout().await;

        // A team leader.
        ui.login("tl1", DEMO_PASSWORD).await;
        for (name, path) in [
            ("tl-home", "/"),
            ("tl-tasks", "/tasks"),
            ("tl-cases", "/cases"),
            ("tl-followups", "/followups"),
            ("tl-report", "/reports/f19"),
            ("tl-evaluations", "/evaluations"),
        ] {
            fits(&ui, &mut misfits, name, path).await;
        }
        ui.logout().await;

        // A QC officer.
        ui.login("qco1", DEMO_PASSWORD).await;
        let qco = app.token("qco1").await;
        let case = first_id(&app, &qco, "/api/cases?status=pending&limit=1").await;
        for (name, path) in [
            ("qco-home", "/".to_owned()),
            ("qco-tasks", "/tasks".into()),
            ("qco-cases", "/cases".into()),
            ("qco-case", format!("/cases/{case}")),
            ("qco-import", "/cases/import".into()),
            ("qco-followups", "/followups".into()),
            ("qco-evaluations", "/evaluations".into()),
            ("qco-assigned", "/evaluations?tab=assigned".into()),
            ("qco-score", "/evaluations/new".into()),
            ("qco-calibrations", "/calibrations".into()),
        ] {
            fits(&ui, &mut misfits, name, &path).await;
        }
        ui.logout().await;

        // The admin, whose email outbox is new with the notifications.
        ui.login("admin", DEMO_PASSWORD).await;
        for (name, path) in [
            ("admin-home", "/"),
            ("admin-users", "/admin/users"),
            ("admin-teams", "/admin/teams"),
            ("admin-mail", "/admin/mail"),
            ("admin-audit", "/audit"),
            ("admin-account", "/account"),
        ] {
            fits(&ui, &mut misfits, name, path).await;
        }
        assert!(misfits.is_empty(), "pages wider than a phone:\n{}", misfits.join("\n"));
        // The recording reference of the agree is a link to the player, opened beside Mutu.
        ui.goto(&format!("/cases/{case}")).await;
        let link = ui.find(r#"[data-field="recording"] a[data-recording="link"]"#).await;
        let href = link.attr("href").await.unwrap().unwrap_or_default();
        assert!(href.starts_with("https://eyebeam.example/rec/") && !href.contains("{ref}"), "{href}");
        assert_eq!(link.attr("target").await.unwrap().as_deref(), Some("_blank"));
    })
    .await;
}
