//! Agree validation and RETURN follow-ups in the browser: a QCO imports an export with good and
//! bad rows, validates one case APPROVED and one RETURN, loses a race to another QCO on a third;
//! the agent re-cares the RETURN from "Return saya", QC reopens it with a comment, the agent
//! re-cares again, QC closes it; the F-19 report shows the numbers the API gives and its XLSX is
//! served; the reconciliation and the team leader's views.

use super::{Ui, group, in_browser, upload_file};
use serde_json::{Value, json};
use tests::{DEMO_PASSWORD, TestApp};

/// Today in WIB (the site's zone), `YYYY-MM-DD`.
fn today_wib() -> chrono::NaiveDate {
    (chrono::Utc::now() + chrono::Duration::hours(7)).date_naive()
}

/// Scrolls to the top and takes the screenshot.
async fn shot_top(ui: &Ui, step: &str) {
    let _ = ui.client.execute("window.scrollTo(0, 0);", vec![]).await;
    ui.shot(step).await;
}

/// Waits for `css` longer than a step normally may: for what arrives by the 20-second poll.
async fn wait_long(ui: &Ui, css: &str) {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(50);
    while !ui.exists(css).await {
        if std::time::Instant::now() > deadline {
            ui.shot("failure").await;
            panic!("{css} did not appear within 50 s");
        }
        tokio::time::sleep(std::time::Duration::from_millis(250)).await;
    }
}

/// The id of the case of `customer_no`, as the API lists it.
async fn case_id(app: &TestApp, token: &str, customer_no: &str) -> i64 {
    let reply = app.get("/api/cases?limit=500", token).await;
    assert_eq!(reply.status, 200, "{}", reply.body);
    reply.body["items"]
        .as_array()
        .expect("a list")
        .iter()
        .find(|c| c["customer_no"] == customer_no)
        .and_then(|c| c["id"].as_i64())
        .unwrap_or_else(|| panic!("no case of customer {customer_no}"))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_return_goes_to_the_agent_and_back_through_verification() {
    in_browser("cases", |ui, app| async move {
        let today = today_wib();
        let day = today.format("%Y-%m-%d").to_string();
        let promise = (today + chrono::Duration::days(2)).format("%Y-%m-%d").to_string();

        // ---- Import: three good rows, a duplicate, and one of each kind of bad row.
        ui.login("qco1", DEMO_PASSWORD).await;
        ui.find(r#"[data-section="cases"] [data-stat="pending-cases"]"#).await;
        shot_top(&ui, "home-qco").await;
        ui.goto("/cases/import").await;
        ui.find("#import-file").await;
        shot_top(&ui, "import-empty").await;

        // A file that is no export at all is refused as a whole, in plain words.
        let pdf = upload_file("agree-harian.csv", b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n");
        ui.find("#import-file").await.send_keys(&pdf).await.expect("choose the file");
        ui.press("#import-submit").await;
        ui.wait_for_text("#import-error", "Berkas ditolak: Berkas ini bukan CSV atau XLSX").await;
        // A header with a column missing, too.
        let headless = upload_file("agree-tanpa-kolom.csv", b"customer_no,customer_name\r\n1,Budi\r\n");
        ui.find("#import-file").await.send_keys(&headless).await.expect("choose the file");
        ui.wait_gone("#import-error").await;
        ui.press("#import-submit").await;
        let missing = ui.text("#import-error").await;
        assert!(missing.starts_with("Berkas ditolak: Kolom tidak ada: service, bucket"), "{missing}");
        shot_top(&ui, "import-refused").await;
        let rows = [
            "customer_no,customer_name,service,bucket,bill_amount,agent_username,call_at,reason,promise_date,recording_ref".to_owned(),
            format!("UJI-0001,Sari Pelanggan Uji,PRANPC,N+1,350000,agent1,{day} 08:00,Janji bayar setelah gajian,{promise},EB-UJI-1"),
            format!("UJI-0002,Bayu Pelanggan Uji,PRANPC,N,Rp 1.250.000,agent1,{day} 08:05,Bayar lewat aplikasi,{promise},EB-UJI-2"),
            format!("UJI-0003,Citra Pelanggan Uji,CT-0,N+2,99000,agent1,{day} 08:10,Bayar di minimarket,{promise},EB-UJI-3"),
            format!("UJI-0001,Sari Pelanggan Uji,PRANPC,N+1,350000,agent1,{day} 08:00,Janji bayar setelah gajian,{promise},EB-UJI-1"),
            format!("UJI-0004,Dodi Uji,CT-0,N+2,350000,agent99,{day} 08:20,Janji bayar,{promise},EB-UJI-4"),
            format!("UJI-0005,Eka Uji,CT-0,N+2,-5000,agent1,{day} 08:25,Janji bayar,{promise},EB-UJI-5"),
            format!("UJI-0006,Fajar Uji,TV,N,350000,agent1,{day} 08:30,Janji bayar,{promise},EB-UJI-6"),
            format!("UJI-0007,Gita Uji,CT-0,N+2,350000,agent1,{day} 08:35,Janji bayar,31/02/2026,EB-UJI-7"),
            format!("UJI-0008,Hana Pelanggan Uji,PRANPC,N+1,420000,agent1,{day} 08:40,Bayar lewat transfer,{promise},EB-UJI-8"),
        ];
        let path = upload_file("agree-harian.csv", (rows.join("\r\n") + "\r\n").as_bytes());
        ui.find("#import-file").await.send_keys(&path).await.expect("choose the file");
        ui.press("#import-submit").await;
        ui.find("#import-result").await;
        ui.wait_for_text("#import-imported", "4").await;
        ui.wait_for_text("#import-duplicates", "1").await;
        ui.wait_for_text("#import-rejected", "4").await;
        ui.wait_for_text(r#"#rejected-table tr[data-row="6"] td:last-child"#, r#"Agent tidak dikenal "agent99" (tidak ada agent aktif dengan username ini)"#).await;
        ui.wait_for_text(r#"#rejected-table tr[data-row="7"] td:last-child"#, "Jumlah tagihan negatif").await;
        let service = ui.text(r#"#rejected-table tr[data-row="8"] td:last-child"#).await;
        assert!(service.starts_with("Layanan tidak dikenal"), "{service}");
        let date = ui.text(r#"#rejected-table tr[data-row="9"] td:last-child"#).await;
        assert!(date.starts_with("Tanggal janji bayar tidak valid"), "{date}");
        shot_top(&ui, "import-result").await;

        // ---- The queue: today's pending agrees, oldest call first.
        ui.goto("/cases").await;
        ui.find("#cases-table").await;
        ui.set_value("#filter-from", &day, "change").await;
        ui.find(r#"#cases-table tr[data-customer-no="UJI-0003"]"#).await;
        let order = ui
            .client
            .execute(
                "return [...document.querySelectorAll('#cases-table tbody tr')].map(r => r.dataset.customerNo).filter(n => n.startsWith('UJI-'));",
                vec![],
            )
            .await
            .expect("read the rows");
        assert_eq!(order, json!(["UJI-0001", "UJI-0002", "UJI-0003", "UJI-0008"]));
        shot_top(&ui, "queue").await;

        // ---- APPROVED: every checklist item is needed.
        ui.press(r#"#cases-table tr[data-customer-no="UJI-0001"] a"#).await;
        ui.find(r#"[data-page="case"] #validation-form"#).await;
        ui.wait_for_text(r#"[data-field="bill"]"#, "Rp 350.000").await;
        ui.wait_for_text(r#"[data-field="bucket"]"#, "N+1").await;
        let promised = ui.text(r#"[data-field="promise"]"#).await;
        assert!(promised.ends_with(&today.format("%Y").to_string()) && !promised.contains('-'), "{promised}");
        assert!(ui.text(r#"[data-field="call-at"]"#).await.ends_with("08.00 WIB"));
        ui.wait_for_text(r#"[data-field="recording"]"#, "EB-UJI-1").await;
        shot_top(&ui, "case-pending").await;
        // Keyboard order: the optional F-18 number, the four checks, then the two outcomes.
        let order = ui
            .client
            .execute(
                "const f = document.querySelector('#validation-form'); \
                 return [...f.querySelectorAll('input, textarea, button, a[href]')].filter(e => e.tabIndex >= 0 && !e.disabled).map(e => e.id);",
                vec![],
            )
            .await
            .expect("read the form");
        assert_eq!(
            order,
            json!([
                "evaluation-id", "check-identity_verified", "check-amount_and_date_correct", "check-explicit_agreement",
                "check-reason_matches", "validate-approve", "validate-return"
            ])
        );
        ui.press("#validate-approve").await;
        ui.wait_for_text("#checklist-error", "Untuk APPROVED, semua butir checklist harus dicentang.").await;
        for item in ["identity_verified", "amount_and_date_correct", "explicit_agreement", "reason_matches"] {
            ui.press(&format!("#check-{item}")).await;
        }
        // An F-18 number that names no sheet is refused by the server, in words.
        ui.fill("#evaluation-id", "999999").await;
        ui.press("#validate-approve").await;
        // Recording a result is asked once more.
        ui.find("#confirm-validation-dialog").await;
        shot_top(&ui, "case-confirm").await;
        ui.click("#confirm-validation").await;
        ui.wait_for_text("#evaluation-error", "Tidak ada lembar F-18 dengan nomor ini.").await;
        shot_top(&ui, "case-unknown-sheet").await;
        ui.set_value("#evaluation-id", "", "input").await;
        ui.press("#validate-approve").await;
        // "Cancel" records nothing; the form stays as it was.
        ui.click("#cancel-validation").await;
        ui.wait_gone("#confirm-validation-dialog").await;
        assert!(!ui.exists("#validation-record").await);
        ui.press("#validate-approve").await;
        ui.click("#confirm-validation").await;
        ui.find(r#"#validation-record[data-result="approved"]"#).await;
        assert!(!ui.text("#record-qco").await.trim().is_empty());
        let retain = ui.text("#record-retain").await;
        assert!(retain.ends_with(&(today + chrono::Months::new(24)).format("%Y").to_string()), "{retain}");
        shot_top(&ui, "case-approved").await;

        // ---- RETURN needs a recommendation, and opens a follow-up.
        let returned = case_id(&app, &app.token("qco1").await, "UJI-0002").await;
        ui.goto(&format!("/cases/{returned}")).await;
        ui.find("#validation-form").await;
        ui.wait_for_text(r#"[data-field="bill"]"#, "Rp 1.250.000").await;
        ui.press("#validate-return").await;
        ui.find("#recommendation").await;
        ui.press("#validate-return").await;
        ui.wait_for_text("#recommendation-error", "RETURN wajib disertai rekomendasi untuk agent.").await;
        ui.fill("#recommendation", "Nominal tagihan tidak disebutkan; hubungi pelanggan lagi dan sampaikan jumlah serta tanggal bayar.").await;
        shot_top(&ui, "case-return-form").await;
        ui.press("#validate-return").await;
        ui.click("#confirm-validation").await;
        ui.find(r#"#validation-record[data-result="returned"]"#).await;
        ui.find("#open-followup").await;
        shot_top(&ui, "case-returned").await;

        // ---- A race: another QCO validates first; this one is told so.
        let raced = case_id(&app, &app.token("qco1").await, "UJI-0003").await;
        ui.goto(&format!("/cases/{raced}")).await;
        ui.find("#validation-form").await;
        let qco2 = app.token("qco2").await;
        let checklist = json!({"identity_verified": true, "amount_and_date_correct": true, "explicit_agreement": true, "reason_matches": true});
        let first = app
            .post(&format!("/api/cases/{raced}/validation"), Some(&qco2), &json!({"result": "approved", "checklist": checklist}))
            .await;
        assert_eq!(first.status, 201, "{}", first.body);
        for item in ["identity_verified", "amount_and_date_correct", "explicit_agreement", "reason_matches"] {
            ui.press(&format!("#check-{item}")).await;
        }
        ui.press("#validate-approve").await;
        ui.click("#confirm-validation").await;
        ui.wait_for_text(
            ".banner-warning",
            "QCO lain sudah memvalidasi agree ini lebih dulu. Hasilnya ditampilkan di bawah.",
        )
        .await;
        shot_top(&ui, "case-race").await;

        // ---- The agent: the badge, "Return saya", the re-care.
        ui.logout().await;
        ui.login("agent1", DEMO_PASSWORD).await;
        ui.find("#returns-count").await;
        ui.find(r#"[data-section="cases"] [data-stat="open-returns"]"#).await;
        shot_top(&ui, "home-agent").await;
        ui.click(r#"[data-nav="followups"]"#).await;
        ui.wait_for_text(r#"[data-page="followups"] h1"#, "Return saya").await;
        let row = r#"#followups-table tr[data-customer-no="UJI-0002"]"#;
        ui.find(&format!(r#"{row}[data-status="open"]"#)).await;
        shot_top(&ui, "my-returns").await;
        // A RETURN made while the page is open shows up without a reload (the list polls), and
        // the badge counts it.
        let badge = ui.find("#returns-count").await.attr("data-count").await.unwrap().unwrap_or_default();
        let newer = case_id(&app, &qco2, "UJI-0008").await;
        let returned_now = app
            .post(
                &format!("/api/cases/{newer}/validation"),
                Some(&qco2),
                &json!({"result": "returned", "checklist": {"identity_verified": true, "amount_and_date_correct": false,
                        "explicit_agreement": true, "reason_matches": true}, "recommendation": "Sebutkan nominal tagihan dengan benar."}),
            )
            .await;
        assert_eq!(returned_now.status, 201, "{}", returned_now.body);
        wait_long(&ui, r#"#followups-table tr[data-customer-no="UJI-0008"][data-status="open"]"#).await;
        let more: u64 = badge.parse::<u64>().unwrap() + 1;
        wait_long(&ui, &format!(r#"#returns-count[data-count="{more}"]"#)).await;
        assert_eq!(ui.path().await, "/followups");
        ui.press(&format!("{row} a")).await;
        ui.find("#recare-form").await;
        ui.wait_for_text("#followup-recommendation", "Nominal tagihan tidak disebutkan; hubungi pelanggan lagi dan sampaikan jumlah serta tanggal bayar.").await;
        ui.press("#recare-submit").await;
        ui.find("#recare-form .field-error").await;
        ui.fill("#recare-note", "Menghubungi pelanggan kembali, menyebutkan tagihan Rp 1.250.000 dan tanggal bayar.").await;
        ui.fill("#recare-call-ref", "EB-UJI-2-ULANG").await;
        // The customer promised a new date on the re-care call.
        let promised = (chrono::Utc::now() + chrono::Duration::hours(7) + chrono::Duration::days(7)).date_naive();
        ui.set_value("#recare-promise", &promised.format("%Y-%m-%d").to_string(), "input").await;
        shot_top(&ui, "recare-form").await;
        let returns_before =
            ui.find("#returns-count").await.attr("data-count").await.unwrap().unwrap_or_default();
        ui.press("#recare-submit").await;
        ui.find(r#"#followup-status [data-status="recared"]"#).await;
        ui.find(r#"#followup-history li[data-step="recared"]"#).await;
        // Said at once, with QC's deadline; the navigation's count follows without a reload.
        let done = ui.text("#recare-done").await;
        assert!(done.starts_with("Re-care tersimpan. QC memverifikasinya paling lambat "), "{done}");
        let fewer = returns_before.parse::<u64>().unwrap() - 1;
        wait_long(&ui, &format!(r#"#returns-count[data-count="{fewer}"]"#)).await;
        let promise = ui.text(r#"#followup-history li[data-step="recared"] .step-promise"#).await;
        assert!(promise.starts_with("Janji bayar baru: "), "{promise}");
        shot_top(&ui, "recare-done").await;
        let followup_path = ui.path().await;

        // ---- QC reopens with a comment; the agent sees why.
        ui.logout().await;
        ui.login("qco1", DEMO_PASSWORD).await;
        ui.click(r#"[data-nav="followups"]"#).await;
        ui.find(r#"#followups-table tr[data-customer-no="UJI-0002"][data-status="recared"]"#).await;
        shot_top(&ui, "followups-qc").await;
        ui.press(r#"#followups-table tr[data-customer-no="UJI-0002"] a"#).await;
        ui.find("#verify-form").await;
        ui.press("#verify-reopen").await;
        ui.find("#verify-comment-error").await;
        ui.fill("#verify-comment", "Tanggal bayar belum dikonfirmasi ulang.").await;
        shot_top(&ui, "verify-form").await;
        ui.press("#verify-reopen").await;
        ui.find(r#"#followup-status [data-status="reopened"]"#).await;

        ui.logout().await;
        ui.login("agent1", DEMO_PASSWORD).await;
        ui.goto(&followup_path).await;
        ui.wait_for_text("#reopen-comment", "Dibuka ulang oleh QC: Tanggal bayar belum dikonfirmasi ulang.").await;
        shot_top(&ui, "reopened-agent").await;
        ui.fill("#recare-note", "Konfirmasi ulang tanggal bayar lusa.").await;
        ui.fill("#recare-call-ref", "EB-UJI-2-ULANG-2").await;
        ui.press("#recare-submit").await;
        ui.find(r#"#followup-status [data-status="recared"]"#).await;

        // ---- QC closes it, in time.
        ui.logout().await;
        ui.login("qco1", DEMO_PASSWORD).await;
        ui.goto(&followup_path).await;
        ui.press("#verify-close").await;
        ui.find(r#"#followup-status [data-status="closed"]"#).await;
        ui.wait_for_text(".banner-success", "Tindak lanjut ini selesai tepat waktu.").await;
        assert_eq!(
            ui.dataset("#followup-history li", "step").await,
            json!(["opened", "recared", "reopened", "recared", "closed"])
        );
        shot_top(&ui, "followup-closed").await;

        // ---- The F-19 report shows what the API counts; its files are served.
        ui.click(r#"[data-nav="report-f19"]"#).await;
        ui.find("#f19-totals").await;
        let from = format!("{}-01", today.format("%Y-%m"));
        let token = app.token("qco1").await;
        let report = app.get(&format!("/api/reports/f19?from={from}&to={day}"), &token).await;
        assert_eq!(report.status, 200, "{}", report.body);
        let totals = &report.body["totals"];
        for (col, field) in [
            ("imported", "imported"),
            ("validated", "validated"),
            ("approved", "approved"),
            ("returned", "returned"),
            ("closed-in-time", "returns_closed_in_time"),
            ("open", "returns_open"),
            ("overdue", "returns_overdue"),
        ] {
            let expected = totals[field].as_u64().unwrap_or_else(|| panic!("totals.{field}: {totals}"));
            ui.wait_for_text(&format!(r#"#f19-totals [data-col="{col}"]"#), &group(expected)).await;
        }
        if let Value::Number(rate) = &totals["approval_rate"] {
            let expected = format!("{:.2}%", rate.as_f64().unwrap()).replace('.', ",");
            ui.wait_for_text(r#"#f19-totals [data-col="approval-rate"]"#, &expected).await;
        }
        assert!(totals["approved"].as_u64().unwrap() >= 2 && totals["returns_closed_in_time"].as_u64().unwrap() >= 1, "{totals}");
        let ours = r#"#f19-table tbody tr[data-agent="agent1"][data-service="PRANPC"][data-bucket="N"]"#;
        ui.find(ours).await;
        ui.wait_for_text("#report-form-code", "OB.IN.QCC.TELK.F-19").await;
        shot_top(&ui, "report").await;

        ui.press("#download-xlsx").await;
        ui.wait_for_text("#download-xlsx", "Unduh XLSX").await;
        assert!(!ui.exists("#download-error").await, "the download failed in the page");
        let xlsx = app
            .client
            .get(app.url(&format!("/api/reports/f19?from={from}&to={day}&format=xlsx")))
            .bearer_auth(&token)
            .send()
            .await
            .expect("fetch the XLSX");
        assert_eq!(xlsx.status(), 200);
        assert_eq!(
            xlsx.headers()["content-type"].to_str().unwrap(),
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        );
        assert!(xlsx.bytes().await.unwrap().starts_with(b"PK\x03\x04"), "not an XLSX workbook");

        ui.click("#lang-en").await;
        ui.wait_for_text("#f19-totals th", "Totals").await;
        shot_top(&ui, "report-en").await;
        ui.click("#lang-id").await;
        ui.wait_for_text("#f19-totals th", "Total").await;

        // ---- Reconciliation: three sections.
        ui.press("#open-reconciliation").await;
        ui.find(r#"[data-section="late-promises"]"#).await;
        ui.find(r#"[data-section="repeated"]"#).await;
        ui.find(r#"[data-section="unvalidated"]"#).await;
        shot_top(&ui, "reconciliation").await;
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_team_leader_sees_the_team_returns_and_agents_only_their_own() {
    in_browser("cases-team", |ui, app| async move {
        ui.login("tl1", DEMO_PASSWORD).await;
        ui.find(r#"[data-section="cases"] [data-stat="open-returns"]"#).await;
        shot_top(&ui, "home-tl").await;
        ui.goto("/followups").await;
        ui.wait_for_text(r#"[data-page="followups"] h1"#, "Return tim").await;
        ui.find("#followup-stats #overdue-count").await;
        ui.find(r#"[data-section="per-agent"]"#).await;
        // Only Tim 1's agents.
        let agents = ui.dataset("#per-agent-table tbody tr", "agent").await;
        assert!(agents.as_array().unwrap().iter().all(|a| a == "agent1" || a == "agent2"), "{agents}");
        shot_top(&ui, "team-returns").await;

        // The queue for a team leader: the team's agrees, with an import button.
        ui.goto("/cases").await;
        ui.find("#open-import").await;
        ui.find("#cases-table, .empty").await;
        shot_top(&ui, "team-cases").await;

        // An agent asking for another agent's follow-up sees "not found".
        let token = app.token("agent3").await;
        let theirs = app.get("/api/followups?limit=500", &token).await;
        assert_eq!(theirs.status, 200, "{}", theirs.body);
        if let Some(id) = theirs.body["items"].as_array().and_then(|l| l.first()).and_then(|f| f["id"].as_i64()) {
            ui.logout().await;
            ui.login("agent1", DEMO_PASSWORD).await;
            ui.goto(&format!("/followups/{id}")).await;
            ui.find(r#"[data-page="followup"] .error-banner"#).await;
            shot_top(&ui, "other-agents-followup").await;
        }
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_coordinator_rewords_the_checklist_and_a_qco_ticks_the_new_wording() {
    in_browser("cases-checklist", |ui, app| async move {
        let reworded = "Nama dan nomor pelanggan dicocokkan dengan data tagihan";
        let in_force = |version: u32| format!(r#"#checklist-in-force[data-version="{version}"]"#);

        // ---- The QRD coordinator opens the editor from the queue's header: version 1, unsigned.
        ui.login("qrd", DEMO_PASSWORD).await;
        ui.goto("/cases").await;
        ui.press("#open-checklist").await;
        ui.find("#checklist-form").await;
        assert_eq!(ui.path().await, "/cases/checklist");
        ui.find(&in_force(1)).await;
        let signer = ui.text("#checklist-signer").await;
        assert!(signer.contains("tidak ditandatangani"), "{signer}");
        let field = ui.find("#label-id-identity_verified").await;
        assert_eq!(field.prop("value").await.unwrap().as_deref(), Some("Identitas pelanggan diverifikasi"));
        let rows = ui.dataset("#checklist-form fieldset", "item").await;
        assert_eq!(
            rows,
            json!(["identity_verified", "amount_and_date_correct", "explicit_agreement", "reason_matches"])
        );

        // A label with markup in it, no reason and no password: each refused under its field,
        // and nothing is signed.
        ui.fill("#label-en-reason_matches", "Reason <b>matches</b>").await;
        ui.press("#checklist-save").await;
        ui.wait_for_text("#label-en-reason_matches-error", "Mengandung karakter yang tidak diizinkan.").await;
        ui.wait_for_text("#checklist-reason-input-error", "Wajib diisi.").await;
        ui.wait_for_text("#checklist-password-error", "Wajib diisi.").await;
        assert!(!ui.exists("#checklist-signed").await);
        ui.fill("#label-en-reason_matches", "Reason entered matches the call").await;
        ui.fill("#label-id-identity_verified", reworded).await;
        ui.fill("#checklist-reason-input", "Butir 1 diperjelas: nama dan nomor dicocokkan dengan tagihan").await;
        // A wrong password signs nothing.
        ui.fill("#checklist-password", "bukan-sandinya-1").await;
        ui.press("#checklist-save").await;
        ui.wait_for_text("#checklist-password-error", "Kata sandi salah. Tidak ada yang berubah.").await;
        let token = app.token("qrd").await;
        assert_eq!(app.get("/api/cases/checklist", &token).await.body["version"], 1);
        ui.fill("#checklist-password", DEMO_PASSWORD).await;
        ui.press("#checklist-save").await;
        ui.wait_for_text("#checklist-signed", "Versi 2 ditandatangani dan kini berlaku.").await;
        ui.find(&in_force(2)).await;
        let signer = ui.text("#checklist-signer").await;
        assert!(signer.starts_with("Ditandatangani Sukron Azis (Koordinator QC"), "{signer}");
        assert!(!ui.exists("#label-en-reason_matches-error").await);
        let stored = app.get("/api/cases/checklist", &token).await;
        assert_eq!(stored.status, 200, "{}", stored.body);
        assert_eq!(stored.body["version"], 2, "{}", stored.body);
        assert_eq!(stored.body["items"][0]["label_id"], reworded, "{}", stored.body);
        assert_eq!(stored.body["items"][3]["label_en"], "Reason entered matches the call", "{}", stored.body);
        shot_top(&ui, "editor").await;
        // The history: version 1 opens to the wording it had.
        ui.find(r#"#checklist-version-2 .badge"#).await;
        ui.press("#checklist-version-1 summary").await;
        ui.wait_for_text(
            r#"#checklist-version-1-table tr[data-item="identity_verified"] td[lang="id"]"#,
            "Identitas pelanggan diverifikasi",
        )
        .await;
        ui.shot("history").await;
        ui.click("#lang-en").await;
        ui.wait_for_text(r#"[data-page="case-checklist"] h1"#, "W-04 checklist wording").await;
        ui.wait_for_text("#checklist-version", "Version 2").await;
        shot_top(&ui, "editor-en").await;
        ui.click("#lang-id").await;
        ui.wait_for_text(r#"[data-page="case-checklist"] h1"#, "Teks checklist W-04").await;

        // ---- A QCO opens a pending case from the queue and ticks the new wording.
        ui.logout().await;
        ui.login("qco1", DEMO_PASSWORD).await;
        ui.goto("/cases").await;
        ui.find("#cases-table tbody tr").await;
        assert!(!ui.exists("#open-checklist").await, "only the coordinator is offered the editor");
        ui.press("#cases-table tbody tr a").await;
        ui.find("#validation-form").await;
        ui.wait_for_text(r#"label[for="check-identity_verified"]"#, reworded).await;
        ui.wait_for_text(
            r#"label[for="check-amount_and_date_correct"]"#,
            "Nominal dan tanggal bayar disampaikan dengan benar",
        )
        .await;
        ui.wait_for_text("#checklist-wording-version", "Teks W-04 v2").await;
        shot_top(&ui, "case").await;
        ui.click("#lang-en").await;
        ui.wait_for_text(r#"label[for="check-identity_verified"]"#, "Customer identity verified").await;
        ui.click("#lang-id").await;
        ui.wait_for_text(r#"label[for="check-identity_verified"]"#, reworded).await;

        // The coordinator signs version 3 while the QCO is ticking version 2: the QCO's APPROVED
        // is refused, the form shows version 3 with its ticks cleared, and the second try counts.
        let mut v3 = stored.body["items"].clone();
        v3[1]["label_id"] = json!("Nominal dan tanggal jatuh tempo disampaikan dengan benar");
        let body = json!({ "items": v3, "reason": "Butir 2 menyebut tanggal jatuh tempo", "password": DEMO_PASSWORD, "version": 2 });
        let signed = app.request(reqwest::Method::PUT, "/api/cases/checklist", Some(&token), Some(&body)).await;
        assert_eq!(signed.status, 200, "{}", signed.body);
        for key in ["identity_verified", "amount_and_date_correct", "explicit_agreement", "reason_matches"] {
            ui.press(&format!("#check-{key}")).await;
        }
        ui.press("#validate-approve").await;
        ui.click("#confirm-validation").await;
        ui.find("#checklist-wording-changed").await;
        ui.wait_for_text("#checklist-wording-version", "Teks W-04 v3").await;
        ui.wait_for_text(
            r#"label[for="check-amount_and_date_correct"]"#,
            "Nominal dan tanggal jatuh tempo disampaikan dengan benar",
        )
        .await;
        assert_eq!(ui.find("#check-identity_verified").await.prop("checked").await.unwrap().as_deref(), Some("false"));
        shot_top(&ui, "wording-changed").await;
        for key in ["identity_verified", "amount_and_date_correct", "explicit_agreement", "reason_matches"] {
            ui.press(&format!("#check-{key}")).await;
        }
        ui.press("#validate-approve").await;
        ui.click("#confirm-validation").await;
        ui.wait_for_text("#record-wording", "Teks W-04 v3").await;

        // ---- A case the demo validated under version 1 still shows version 1's wording.
        let qco = app.token("qco1").await;
        let approved = app.get("/api/cases?status=approved&limit=50", &qco).await;
        let old = approved.body["items"]
            .as_array()
            .and_then(|items| items.iter().find(|c| c["validation"]["checklist_version"] == 1))
            .and_then(|c| c["id"].as_i64())
            .expect("a demo case validated under version 1");
        ui.goto(&format!("/cases/{old}")).await;
        ui.wait_for_text("#record-wording", "Teks W-04 v1").await;
        ui.wait_for_text(
            r#"#validation-record li[data-item="identity_verified"] span:nth-child(2)"#,
            "Identitas pelanggan diverifikasi",
        )
        .await;
        assert!(!ui.exists("#record-wording-unversioned").await);
        shot_top(&ui, "case-v1-after-v2").await;
        ui.click("#lang-en").await;
        ui.wait_for_text("#record-wording", "W-04 wording v1").await;
        ui.wait_for_text(
            r#"#validation-record li[data-item="identity_verified"] span:nth-child(2)"#,
            "Customer identity verified",
        )
        .await;
        ui.click("#lang-id").await;

        // ---- A validation recorded before wording versions: the default wording, marked.
        app.sql(&format!("UPDATE validations SET checklist_version = NULL WHERE case_id = {old}")).await.unwrap();
        ui.goto(&format!("/cases/{old}")).await;
        ui.find("#record-wording-unversioned").await;
        assert!(!ui.exists("#record-wording").await);
        shot_top(&ui, "case-before-versions").await;

        // The QCO reads the wording and its history but has no form to change it.
        ui.goto("/cases/checklist").await;
        ui.wait_for_text(
            r#"#checklist-table tr[data-item="amount_and_date_correct"] td[lang="id"]"#,
            "Nominal dan tanggal jatuh tempo disampaikan dengan benar",
        )
        .await;
        ui.find("#checklist-version-1").await;
        assert!(!ui.exists("#checklist-form").await);
        shot_top(&ui, "read-only").await;
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_big_import_shows_its_progress_and_counts_and_lists_go_past_one_page() {
    in_browser("cases-progress", |ui, app| async move {
        const ROWS: usize = 30_000;
        let mut text = String::from("customer_no,customer_name,service,bucket,bill_amount,agent_username,call_at,reason,promise_date,recording_ref\r\n");
        for i in 0..ROWS {
            text.push_str(&format!(
                "1330{i:08},Pelanggan Progres {i},CT-0,N+2,350000,agent{},2025-05-{:02} {:02}:{:02},Janji bayar setelah gajian,2025-05-28,EB-PRG-{i}\r\n",
                1 + i % 2,
                1 + i % 25,
                8 + (i / 60) % 10,
                i % 60
            ));
        }
        let path = upload_file("agree-besar.csv", text.as_bytes());

        ui.login("tl1", DEMO_PASSWORD).await;
        ui.goto("/cases/import").await;
        ui.find("#import-file").await;
        // Every state of the progress box, as the page draws it (a mutation observer sees each
        // render, however short).
        ui.watch_progress().await;
        // About 3 MB at 1 MB/s: the upload takes long enough for the bar to move.
        ui.throttle_upload(1_000_000).await;
        ui.find("#import-file").await.send_keys(&path).await.expect("choose the file");
        ui.press("#import-submit").await;
        ui.find(r#"#import-progress[data-stage="uploading"]"#).await;
        tokio::time::sleep(std::time::Duration::from_millis(800)).await;
        shot_top(&ui, "import-uploading").await;
        wait_long(&ui, "#import-result").await;
        ui.wait_for_text("#import-imported", &group(ROWS as u64)).await;
        ui.wait_gone("#import-progress").await;
        shot_top(&ui, "import-big-result").await;

        let seen = ui.client.execute("return window.__progress;", vec![]).await.expect("read the progress states");
        let seen: Vec<String> = serde_json::from_value(seen).expect("a list of states");
        let uploading: Vec<u32> = seen.iter().filter_map(|s| s.strip_prefix("uploading:")).map(|v| v.parse().expect("a percentage")).collect();
        assert!(uploading.windows(2).all(|w| w[0] <= w[1]), "the bar never goes back: {seen:?}");
        assert!(uploading.iter().any(|v| *v > 0 && *v < 100), "the bar moved through the upload: {seen:?}");
        let first_processing = seen.iter().position(|s| s.starts_with("processing"));
        let last_uploading = seen.iter().rposition(|s| s.starts_with("uploading"));
        if let (Some(processing), Some(uploading)) = (first_processing, last_uploading) {
            assert!(processing > uploading, "processing comes after the upload: {seen:?}");
        }

        // The landing page counts every pending agree of the team, not one page of them.
        let token = app.token("tl1").await;
        let summary = app.get("/api/cases/summary", &token).await;
        assert_eq!(summary.status, 200, "{}", summary.body);
        let pending = summary.body["pending"].as_i64().expect("a count");
        assert!(pending >= ROWS as i64);
        ui.goto("/").await;
        ui.wait_for_text(r#"[data-stat="pending-cases"] .stat-value"#, &group(pending as u64)).await;
        shot_top(&ui, "home-tl-after-import").await;

        // More RETURNs of the team than one page (500): "load more" brings the rest.
        let qco = app.token("qco1").await;
        let mut ids = Vec::new();
        let mut cursor: Option<String> = None;
        while ids.len() < 510 {
            let after = cursor.as_deref().map(|c| format!("&cursor={c}")).unwrap_or_default();
            let page = app.get(&format!("/api/cases?status=pending&from=2025-05-01&to=2025-05-31&limit=500{after}"), &qco).await;
            assert_eq!(page.status, 200, "{}", page.body);
            ids.extend(page.body["items"].as_array().expect("a list").iter().filter_map(|c| c["id"].as_i64()));
            cursor = page.body["next_cursor"].as_str().map(str::to_owned);
        }
        let returned = json!({ "result": "returned", "recommendation": "Ulangi konfirmasi nominal.",
            "checklist": { "identity_verified": true, "amount_and_date_correct": false, "explicit_agreement": true, "reason_matches": true } });
        for id in &ids[..510] {
            let reply = app.post(&format!("/api/cases/{id}/validation"), Some(&qco), &returned).await;
            assert_eq!(reply.status, 201, "{}", reply.body);
        }
        let mut listed = 0;
        let mut cursor: Option<String> = None;
        loop {
            let after = cursor.as_deref().map(|c| format!("&cursor={c}")).unwrap_or_default();
            let page = app.get(&format!("/api/followups?limit=500{after}"), &token).await;
            listed += page.body["items"].as_array().expect("a list").len() as i64;
            cursor = page.body["next_cursor"].as_str().map(str::to_owned);
            if cursor.is_none() {
                break;
            }
        }
        assert!(listed > 510);
        ui.goto("/followups").await;
        let rows = "#followups-table tbody tr";
        ui.find("#load-more").await;
        assert_eq!(ui.client.find_all(fantoccini::Locator::Css(rows)).await.expect("rows").len(), 500);
        ui.press("#load-more").await;
        ui.wait_gone("#load-more").await;
        let shown = ui.client.find_all(fantoccini::Locator::Css(rows)).await.expect("rows").len() as i64;
        assert_eq!(shown, listed, "every follow-up of the team is listed once");
        shot_top(&ui, "team-returns-more").await;
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_agent_among_hundreds_is_found_by_typing() {
    in_browser("cases-agent-picker", |ui, app| async move {
        // A site's worth of agents, more than any one page of the user list.
        app.insert_agents(600, "Agen Massal", "true").await;
        let csv = "customer_no,customer_name,service,bucket,bill_amount,agent_username,call_at,reason,promise_date,recording_ref\r\n\
                   PIK-0001,Putri Pelanggan,CT-0,N+2,350000,massal599,2025-06-10 09:00,Janji bayar,2025-06-12,EB-PIK-1\r\n\
                   PIK-0002,Raka Pelanggan,CT-0,N+2,350000,agent1,2025-06-10 09:05,Janji bayar,2025-06-12,EB-PIK-2\r\n";
        let form = reqwest::multipart::Form::new().part("file", reqwest::multipart::Part::bytes(csv.as_bytes().to_vec()).file_name("agree.csv"));
        let imported = reqwest::Client::new()
            .post(format!("{}/api/cases/import", app.address))
            .bearer_auth(app.token("qco1").await)
            .multipart(form)
            .send()
            .await
            .expect("import");
        assert_eq!(imported.status(), 200);

        ui.login("qco1", DEMO_PASSWORD).await;
        ui.goto("/cases").await;
        ui.find("#cases-table").await;
        ui.set_value("#filter-from", "2025-06-10", "change").await;
        ui.set_value("#filter-to", "2025-06-10", "change").await;
        ui.find(r#"#cases-table tr[data-customer-no="PIK-0002"]"#).await;
        // The 599th of 600 added agents: found by the server, not among a first page of users.
        ui.fill("#filter-agent", "massal599").await;
        ui.wait_for_text("#filter-agent ~ .picker-chosen", "✓ Agen Massal 599 · Tim 1").await;
        ui.wait_gone(r#"#cases-table tr[data-customer-no="PIK-0002"]"#).await;
        ui.find(r#"#cases-table tr[data-customer-no="PIK-0001"]"#).await;
        shot_top(&ui, "agent-picked").await;
        // Typing part of a name offers the matches (any case).
        ui.fill("#filter-agent", "agen massal 12").await;
        let mut offered: Vec<String> = Vec::new();
        for _ in 0..100 {
            let list = ui
                .client
                .execute("return [...document.querySelectorAll('#filter-agent-list option')].map(o => o.value);", vec![])
                .await
                .expect("read the offers");
            offered = serde_json::from_value(list).expect("a list");
            if !offered.is_empty() && offered.iter().all(|o| o.starts_with("Agen Massal 12")) {
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        }
        assert!(!offered.is_empty() && offered.iter().all(|o| o.starts_with("Agen Massal 12")), "{offered:?}");
        assert_eq!(offered.len(), 11, "massal12 and massal120–129: {offered:?}");
    })
    .await;
}
