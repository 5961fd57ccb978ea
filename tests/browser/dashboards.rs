//! The landing page's overview (issue 13) in the browser: the manager's site figures as the
//! server's counts make them, a trend line and a month-by-month table, the filter bar kept in the
//! address, a figure's agrees one click away; a team leader's and an agent's own overview; both
//! languages.

use super::in_browser;
use domain::metrics::{Overview, approval_rate, average_score};
use tests::DEMO_PASSWORD;

/// `92,31%` (`92.31%` in English), as the tiles show a figure; a dash without one.
fn shown(value: Option<f64>, percent: bool, english: bool) -> String {
    let Some(v) = value else { return "—".to_owned() };
    let text = format!("{v:.2}");
    let text = if english { text } else { text.replace('.', ",") };
    if percent { format!("{text}%") } else { text }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_overview_shows_each_roles_figures_and_opens_the_agrees_behind_them() {
    in_browser("overview", |ui, app| async move {
        // The newest month of the demo's calls: its figures are not empty.
        let token = app.token("manager").await;
        let site: Overview = app.get("/api/dashboards/overview", &token).await.json();
        let month =
            site.trend.iter().rev().find(|p| p.tallies.validations.validated() > 0).expect("a month with agrees");
        let (from, to) = (format!("{}-01", month.month), site.to.clone());
        let asked: Overview = app.get(&format!("/api/dashboards/overview?from={from}&to={to}"), &token).await.json();

        ui.login("manager", DEMO_PASSWORD).await;
        ui.find("#overview .tile").await;
        let metrics = ui.dataset("#overview .tile", "metric").await;
        assert_eq!(metrics.as_array().map(Vec::len), Some(6), "six figures: {metrics}");
        assert!(ui.exists("#overview .tile svg.spark polyline").await, "trend lines are drawn");
        ui.shot("manager-default").await;

        // The period in the bar goes to the address, and the figures follow it.
        ui.set_value("#board-from", &from, "change").await;
        ui.set_value("#board-to", &to, "change").await;
        ui.click("#board-show").await;
        let score = shown(average_score(&asked.current.sheets), false, false);
        ui.wait_for_text(r#".tile[data-metric="average_score"] .tile-value"#, &score).await;
        let approval = shown(approval_rate(&asked.current.validations).percent(), true, false);
        ui.wait_for_text(r#".tile[data-metric="approval_rate"] .tile-value"#, &approval).await;
        let url = ui.client.current_url().await.expect("the URL");
        assert_eq!(url.path(), "/");
        assert!(url.query().unwrap_or_default().contains(&format!("from={from}")), "{url}");
        // The month-by-month table has the trend's twelve months.
        let months = ui.dataset("#trend-table tbody tr", "key").await;
        assert_eq!(months.as_array().map(Vec::len), Some(12), "{months}");
        ui.shot("manager-period").await;
        // The table downloads as CSV (and XLSX) with the numbers it shows.
        ui.click("details:has(#trend-table) summary").await;
        ui.press("#trend-csv").await;
        ui.wait_for_text("#trend-csv", "Unduh CSV").await;
        assert!(!ui.exists("#download-error").await, "the table's download failed in the page");
        ui.shot("manager-trend-table").await;
        let shown_cells = table_cells(&ui, "#trend-table tbody tr", "td").await;
        let path = format!("/api/dashboards/overview/table?from={from}&to={to}&format=csv");
        let lines = csv_lines(&app, &token, &path, "Bulan / Month").await;
        assert_eq!(lines.len(), shown_cells.len());
        for (line, row) in lines.iter().zip(&shown_cells) {
            for (i, cell) in row.iter().enumerate() {
                // The page shows `87,50` or `12,50%` and a dash for nothing; the file `87.50`.
                assert_eq!(as_in_file(cell), line[1 + 2 * i], "{line:?} vs {row:?}");
            }
        }

        // A team: the bar's team goes to the address too.
        let team = asked_team(&app).await;
        ui.select("#board-team", &team.to_string()).await;
        ui.click("#board-show").await;
        let team_view: Overview =
            app.get(&format!("/api/dashboards/overview?from={from}&to={to}&team_id={team}"), &token).await.json();
        let team_approval = shown(approval_rate(&team_view.current.validations).percent(), true, false);
        ui.wait_for_text(r#".tile[data-metric="approval_rate"] .tile-value"#, &team_approval).await;
        let url = ui.client.current_url().await.expect("the URL");
        assert!(url.query().unwrap_or_default().contains(&format!("team_id={team}")), "{url}");

        // The approved agrees behind the approval rate, in the case list with the same filter.
        ui.press(r#".tile[data-metric="approval_rate"] .tile-link"#).await;
        ui.find("#cases-table").await;
        assert!(ui.path().await.starts_with("/cases"));
        let approved = team_view.current.validations.approved;
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
        loop {
            let rows = ui
                .client
                .execute("return document.querySelectorAll('#cases-table tbody tr[data-case-id]').length;", vec![])
                .await
                .expect("count the rows");
            if rows.as_u64() == Some(approved.min(50)) || std::time::Instant::now() > deadline {
                assert_eq!(rows.as_u64(), Some(approved.min(50)), "the list holds the agrees the figure counts");
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        }
        ui.shot("drilled-approved").await;

        // The sheets behind the CT-0 average score, in the F-18 list with the same filter.
        let ct0: Overview =
            app.get(&format!("/api/dashboards/overview?from={from}&to={to}&service=CT0"), &token).await.json();
        let sheets = ct0.current.sheets.sheets;
        assert!(sheets > 0, "the demo scored CT-0 calls in {from}..{to}");
        ui.goto(&format!("/?from={from}&to={to}&service=CT0")).await;
        ui.press(r#".tile[data-metric="average_score"] .tile-link"#).await;
        ui.find("#drill-filter").await;
        assert!(ui.path().await.starts_with("/evaluations"));
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
        loop {
            let rows = ui
                .client
                .execute("return document.querySelectorAll('#evaluations-table tbody tr[data-id]').length;", vec![])
                .await
                .expect("count the rows");
            if rows.as_u64() == Some(sheets.min(50)) || std::time::Instant::now() > deadline {
                assert_eq!(rows.as_u64(), Some(sheets.min(50)), "the list holds the sheets the figure counts");
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        }
        ui.shot("drilled-sheets").await;
        // The figure's filter can be cleared; the period stays.
        ui.press("#clear-drill").await;
        ui.wait_gone("#drill-filter").await;

        // In English.
        ui.goto(&format!("/?from={from}&to={to}")).await;
        ui.click("#lang-en").await;
        ui.wait_for_text("#overview-title", "Site quality overview").await;
        let approval = shown(approval_rate(&asked.current.validations).percent(), true, true);
        ui.wait_for_text(r#".tile[data-metric="approval_rate"] .tile-value"#, &approval).await;
        ui.shot("manager-en").await;
        ui.click("#lang-id").await;

        // A team leader sees the team; an agent their own, beside the team's.
        for (who, title) in [("tl1", "Ikhtisar mutu tim"), ("agent1", "Ikhtisar mutu saya")] {
            ui.logout().await;
            ui.login(who, DEMO_PASSWORD).await;
            ui.wait_for_text("#overview-title", title).await;
            assert!(!ui.exists("#board-team").await, "{who} has no team to pick");
            ui.find(r#"[data-section="cases"] [data-stat="open-returns"]"#).await;
            ui.shot(&format!("{who}-overview")).await;
        }
    })
    .await;
}

/// A demo team with agrees.
async fn asked_team(app: &tests::TestApp) -> i64 {
    use sea_orm::EntityTrait;
    let cases = entity::cases::Entity::find().all(&app.app.state.db.conn).await.unwrap();
    cases.iter().filter_map(|c| c.team_id).map(i64::from).max().expect("a team with agrees")
}

/// Waits until `css` matches `expected` elements (10 s at most), then checks it.
async fn wait_count(ui: &super::Ui, css: &str, expected: u64) {
    let script = format!("return document.querySelectorAll({css:?}).length;");
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    loop {
        let n = ui.client.execute(&script, vec![]).await.expect("count the elements").as_u64();
        if n == Some(expected) || std::time::Instant::now() > deadline {
            assert_eq!(n, Some(expected), "{css}");
            return;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
}

/// The text of each cell (`cells`, a CSS selector within a row) of each row of `rows`.
async fn table_cells(ui: &super::Ui, rows: &str, cells: &str) -> Vec<Vec<String>> {
    let script = format!(
        "return [...document.querySelectorAll({rows:?})].map(r => [...r.querySelectorAll({cells:?})].map(c => c.textContent));"
    );
    let value = ui.client.execute(&script, vec![]).await.expect("the table's cells");
    serde_json::from_value(value).expect("rows of texts")
}

/// A dashboard file's lines as CSV after its column heads (the line whose first cell is `head`),
/// fetched with `token`.
async fn csv_lines(app: &tests::TestApp, token: &str, path: &str, head: &str) -> Vec<Vec<String>> {
    let csv = app.client.get(app.url(path)).bearer_auth(token).send().await.expect("the CSV").text().await.unwrap();
    let mut reader = csv::ReaderBuilder::new().has_headers(false).flexible(true).from_reader(csv.as_bytes());
    let lines: Vec<Vec<String>> = reader.records().map(|r| r.unwrap().iter().map(str::to_owned).collect()).collect();
    let heads = lines.iter().position(|l| l[0] == head).expect("the column heads");
    lines[heads + 1..].to_vec()
}

/// A figure as the page shows it (`87,50`, `12,50%`, `+4,05`, `—`) as the file writes it
/// (`87.50`, `4.05`, empty).
fn as_in_file(page: &str) -> String {
    let text = page.trim_start_matches('+').trim_end_matches('%').replace('.', "").replace(',', ".");
    if text == "—" { String::new() } else { text }
}

/// Scrolls `css` to the top of the window, for a screenshot of it.
async fn scroll_to(ui: &super::Ui, css: &str) {
    // Below the page's sticky top bar.
    let script = format!(
        "window.scrollTo(0, document.querySelector({css:?}).getBoundingClientRect().top + window.scrollY - 76);"
    );
    ui.client.execute(&script, vec![]).await.expect("scroll");
}

/// The rows of a breakdown with a figure for `metric` (the bars the chart draws).
fn with_figure(b: &domain::metrics::Breakdown, metric: domain::metrics::Metric) -> Vec<&domain::metrics::BreakdownRow> {
    b.rows.iter().filter(|r| r.tallies.figure(metric).0.is_some()).collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_breakdown_and_the_heatmap_draw_what_the_server_counts_and_open_the_records_behind_them() {
    use domain::metrics::{Breakdown, Heatmap, Metric};
    in_browser("charts", |ui, app| async move {
        let token = app.token("manager").await;
        let site: Overview = app.get("/api/dashboards/overview", &token).await.json();
        let month =
            site.trend.iter().rev().find(|p| p.tallies.validations.validated() > 0).expect("a month with agrees");
        let (from, to) = (format!("{}-01", month.month), site.to.clone());
        let period = format!("from={from}&to={to}");
        let by = |by: &str| format!("/api/dashboards/breakdown?{period}&by={by}");
        let teams: Breakdown = app.get(&by("team"), &token).await.json();
        let agents: Breakdown = app.get(&by("agent"), &token).await.json();

        ui.login("manager", DEMO_PASSWORD).await;
        ui.goto(&format!("/?{period}")).await;
        // The site compares teams first, by average score: a bar per team with sheets.
        wait_count(&ui, "#breakdown svg.bars rect.bar", with_figure(&teams, Metric::AverageScore).len() as u64).await;
        scroll_to(&ui, "#breakdown").await;
        ui.shot("breakdown-teams").await;
        // By agent, then by approval rate: the bars follow.
        ui.select("#breakdown-by", "agent").await;
        wait_count(&ui, "#breakdown svg.bars rect.bar", with_figure(&agents, Metric::AverageScore).len() as u64).await;
        ui.select("#breakdown-metric", "approval_rate").await;
        let approving = with_figure(&agents, Metric::ApprovalRate);
        wait_count(&ui, "#breakdown svg.bars rect.bar", approving.len() as u64).await;
        scroll_to(&ui, "#breakdown").await;
        ui.shot("breakdown-agents-approval").await;

        // The table under the bars holds the CSV's numbers.
        ui.click("#breakdown details summary").await;
        ui.press("#breakdown-csv").await;
        ui.wait_for_text("#breakdown-csv", "Unduh CSV").await;
        assert!(!ui.exists("#download-error").await, "the breakdown's download failed in the page");
        let cells = table_cells(&ui, "#breakdown-table tbody tr", "td").await;
        let path = format!("/api/dashboards/breakdown/table?{period}&by=agent&format=csv");
        let lines = csv_lines(&app, &token, &path, "Agent").await;
        assert_eq!(lines.len(), cells.len(), "a line per agent");
        for (line, row) in lines.iter().zip(&cells) {
            for (i, cell) in row.iter().enumerate() {
                assert_eq!(as_in_file(cell), line[1 + 2 * i], "{line:?} vs {row:?}");
            }
        }

        // A bar opens the agrees it counts: the agent's approved ones in the period.
        let agent = approving[0];
        ui.press(&format!(r#"#breakdown rect.bar[data-key="{}"]"#, agent.key)).await;
        ui.find("#cases-table").await;
        assert!(ui.path().await.starts_with("/cases"));
        wait_count(&ui, "#cases-table tbody tr[data-case-id]", agent.tallies.validations.approved.min(50)).await;
        ui.shot("breakdown-drilled").await;

        // The heatmap: a cell per parameter and team with answers, the worst marked; a cell opens
        // the sheets that failed the parameter.
        let map: Heatmap = app.get(&format!("/api/dashboards/heatmap?{period}"), &token).await.json();
        ui.goto(&format!("/?{period}")).await;
        wait_count(&ui, "#heatmap-table td.heat[data-parameter]", map.cells.len() as u64).await;
        wait_count(&ui, "#heatmap-table td.worst", map.worst().len() as u64).await;
        scroll_to(&ui, "#heatmap").await;
        ui.shot("heatmap-site").await;
        let cell = map.cells.iter().filter(|c| c.tally.fail > 0).max_by_key(|c| c.tally.fail).expect("a failed cell");
        ui.press(&format!(
            r#"#heatmap-table td[data-parameter="{}"][data-column="{}"] a"#,
            cell.parameter, cell.column
        ))
        .await;
        ui.find("#evaluations-table").await;
        assert!(ui.path().await.starts_with("/evaluations"));
        wait_count(&ui, "#evaluations-table tbody tr[data-id]", cell.tally.fail.min(50)).await;

        // The demo's year: the often-failed parameter's cells are among the worst.
        let year = format!("from={}&to={to}", site.trend[0].month);
        let map: Heatmap = app.get(&format!("/api/dashboards/heatmap?{year}"), &token).await.json();
        ui.goto(&format!("/?{year}")).await;
        wait_count(&ui, "#heatmap-table td.worst", map.worst().len() as u64).await;
        assert!(map.worst().iter().any(|(p, _)| p == "konfirmasi_janji"), "{:?}", map.worst());
        scroll_to(&ui, "#breakdown").await;
        ui.shot("breakdown-year").await;
        scroll_to(&ui, "#heatmap").await;
        ui.shot("heatmap-year").await;

        // In English.
        ui.goto(&format!("/?{period}")).await;
        ui.click("#lang-en").await;
        ui.wait_for_text("#breakdown-title", "Comparison by group").await;
        ui.wait_for_text("#heatmap-title", "Fail rate by parameter").await;
        scroll_to(&ui, "#breakdown").await;
        ui.shot("charts-en").await;
        scroll_to(&ui, "#heatmap").await;
        ui.shot("heatmap-en").await;
        ui.click("#lang-id").await;

        // A team leader compares their agents (no team to pick), on their team's heatmap.
        ui.logout().await;
        ui.login("tl1", DEMO_PASSWORD).await;
        let tl = app.token("tl1").await;
        let own: Breakdown = app.get(&by("agent"), &tl).await.json();
        let own_map: Heatmap = app.get(&format!("/api/dashboards/heatmap?{period}"), &tl).await.json();
        ui.goto(&format!("/?{period}")).await;
        wait_count(&ui, "#breakdown svg.bars rect.bar", with_figure(&own, Metric::AverageScore).len() as u64).await;
        wait_count(&ui, r#"#breakdown-by option[value="team"]"#, 0).await;
        wait_count(&ui, "#heatmap-table thead th", 1 + own_map.columns.len() as u64).await;
        scroll_to(&ui, "#breakdown").await;
        ui.shot("tl1-charts").await;
        scroll_to(&ui, "#heatmap").await;
        ui.shot("tl1-heatmap").await;
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_work_charts_draw_the_queues_disputes_and_officers_and_open_what_they_count() {
    use domain::metrics::{AGE_BANDS, Workload};
    in_browser("work", |ui, app| async move {
        let token = app.token("qrd").await;
        let site: Overview = app.get("/api/dashboards/overview", &token).await.json();
        let year = format!("from={}&to={}", site.trend[0].month, site.to);
        let work: Workload = app.get(&format!("/api/dashboards/workload?{year}"), &token).await.json();
        assert!(work.backlog.iter().sum::<u64>() > 0 && !work.officers.is_empty(), "the demo's year has work");

        ui.login("qrd", DEMO_PASSWORD).await;
        ui.goto(&format!("/?{year}")).await;
        // A bar per age band (and outcome), each band with agrees a link; a row per officer.
        wait_count(&ui, "#work-backlog rect.bar", AGE_BANDS.len() as u64).await;
        let linked = work.backlog.iter().filter(|n| **n > 0).count() as u64;
        wait_count(&ui, "#work-backlog a.bar-link", linked).await;
        wait_count(&ui, "#work-overdue rect.bar", AGE_BANDS.len() as u64).await;
        wait_count(&ui, "#work-disputes rect.bar", 3).await;
        wait_count(&ui, "#officers-table tbody tr", work.officers.len() as u64).await;
        let values = ui
            .client
            .execute(
                "return [...document.querySelectorAll('#work-backlog text.bar-value')].map(t => t.textContent);",
                vec![],
            )
            .await
            .expect("the bars' values");
        let expected: Vec<String> = work.backlog.iter().map(u64::to_string).collect();
        assert_eq!(values, serde_json::json!(expected), "the backlog's bars");
        scroll_to(&ui, "#workload").await;
        ui.shot("work-site").await;
        scroll_to(&ui, "#officers-table").await;
        ui.shot("work-officers").await;

        // The officers' table downloads as CSV with the numbers it shows.
        ui.press("#work-officers-csv").await;
        ui.wait_for_text("#work-officers-csv", "Unduh CSV").await;
        assert!(!ui.exists("#work-officers-csv[title]").await, "the officers' download failed in the page");
        let cells = table_cells(&ui, "#officers-table tbody tr", "th, td").await;
        let path = format!("/api/dashboards/workload/table?{year}&chart=officers&format=csv");
        let lines = csv_lines(&app, &token, &path, "Petugas QC / QC officer").await;
        assert_eq!(lines.len(), cells.len(), "a line per officer");
        for (line, row) in lines.iter().zip(&cells) {
            assert_eq!(row[0], line[0], "the officer");
            // Page: per day (sheets), per day (validations), average, strictness, calibration.
            for (page, file) in [(1, 2), (2, 4), (3, 5), (4, 6), (5, 8)] {
                assert_eq!(as_in_file(&row[page]), line[file], "{line:?} vs {row:?}");
            }
        }

        // The oldest band with agrees opens them: the pending agrees called on its days.
        let band = work.backlog.iter().position(|n| *n > 0).unwrap();
        ui.press("#work-backlog a.bar-link").await;
        ui.find("#cases-table").await;
        assert!(ui.path().await.starts_with("/cases"));
        wait_count(&ui, "#cases-table tbody tr[data-case-id]", work.backlog[band].min(50)).await;
        ui.shot("work-drilled").await;

        // Keep rates by QC's outcome, in the board's period: the report's rows, a count opens
        // its agrees.
        let board: Overview = app.get(&format!("/api/dashboards/overview?{year}"), &token).await.json();
        let keep: domain::promises::PromiseReport = app
            .get(&format!("/api/reports/promises?from={}&to={}&group_by=result", board.from, board.to), &token)
            .await
            .json();
        assert!(keep.totals.kept > 0 && keep.totals.broken > 0, "the demo's year has kept and broken promises");
        ui.goto(&format!("/?{year}")).await;
        wait_count(&ui, "#keep-rates #promise-table tbody tr", keep.rows.len() as u64).await;
        let approved = keep.rows.iter().find(|r| r.key == "approved").expect("approved agrees with promises");
        ui.wait_for_text(
            r#"#keep-rates tr[data-key="approved"] td[data-col="kept"]"#,
            &approved.counts.kept.to_string(),
        )
        .await;
        scroll_to(&ui, "#keep-rates").await;
        ui.shot("keep-rates").await;
        ui.press(r#"#keep-rates tr[data-key="approved"] td[data-col="kept"] a"#).await;
        ui.find("#cases-table").await;
        wait_count(&ui, "#cases-table tbody tr[data-case-id]", approved.counts.kept.min(50)).await;

        // In English.
        ui.goto(&format!("/?{year}")).await;
        ui.click("#lang-en").await;
        ui.wait_for_text("#workload-title", "Queues and how work ends").await;
        wait_count(&ui, "#officers-table tbody tr", work.officers.len() as u64).await;
        scroll_to(&ui, "#workload").await;
        ui.shot("work-en").await;
        ui.wait_for_text("#keep-rates-title", "Promises kept by QC's outcome").await;
        scroll_to(&ui, "#keep-rates").await;
        ui.shot("keep-rates-en").await;
        ui.click("#lang-id").await;

        // A team leader: their team's queues, no officers.
        ui.logout().await;
        ui.login("tl1", DEMO_PASSWORD).await;
        let tl = app.token("tl1").await;
        let own: Workload = app.get(&format!("/api/dashboards/workload?{year}"), &tl).await.json();
        ui.goto(&format!("/?{year}")).await;
        wait_count(&ui, "#work-backlog a.bar-link", own.backlog.iter().filter(|n| **n > 0).count() as u64).await;
        wait_count(&ui, "#officers-table", 0).await;
        scroll_to(&ui, "#workload").await;
        ui.shot("work-tl1").await;
    })
    .await;
}
