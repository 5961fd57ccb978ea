//! Document control in the browser: the register, a revision through its three signatures
//! (DC → QRD → manager) in the signature dialogs, the superseded banner, the diff, the printed
//! controlled copy, and an agent's "read and understood" with the unread badge.

use super::{Ui, group, in_browser, upload_file};
use serde_json::json;
use tests::DEMO_PASSWORD;

const P01: &str = "OB.IN.OCC.TELK.P-01";

/// Today's date in WIB (the site's zone), as the approval dialog takes it.
fn today_wib() -> String {
    (chrono::Utc::now() + chrono::Duration::hours(7)).format("%Y-%m-%d").to_string()
}

impl Ui {
    /// Signs through the dialog that `button` opens.
    async fn sign(&self, button: &str, password: &str) {
        self.press(button).await;
        self.find("#sign-dialog").await;
        self.fill("#sign-password", password).await;
        self.click("#sign-confirm").await;
    }

    async fn wait_status(&self, status: &str) {
        self.find(&format!(r#"[data-page="revision"] h1 .status-badge[data-status="{status}"]"#)).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_revision_goes_from_draft_to_effective_through_three_signatures() {
    in_browser("documents", |ui, _app| async move {
        // The document controller finds P-01 in the register and starts Rev.01.
        ui.login("dc", DEMO_PASSWORD).await;
        ui.click(r#"[data-nav="documents"]"#).await;
        ui.find(&format!(r#"tr[data-code="{P01}"]"#)).await;
        ui.wait_for_text(&format!(r#"tr[data-code="{P01}"] td:nth-child(5)"#), "13 Oktober 2022").await;
        ui.shot("register").await;

        // A new form: the shared code rule answers before anything is sent.
        ui.click("#new-document").await;
        ui.select("#new-doc-kind", "form").await;
        ui.fill("#new-doc-code", "OB.IN.QCC.TELK.P-20").await;
        ui.fill("#new-doc-title", "FORM UJI").await;
        ui.fill("#new-doc-parent", P01).await;
        ui.fill("#new-doc-retention", "24").await;
        ui.fill("#new-doc-owner", "Quality Control").await;
        ui.click("#create-document").await;
        ui.wait_for_text(
            "#new-doc-code-error",
            "Huruf pada kode tidak sesuai jenisnya (P prosedur, W instruksi kerja, F formulir).",
        )
        .await;
        ui.shot("new-document-invalid").await;
        ui.fill("#new-doc-code", "OB.IN.QCC.TELK.F-20").await;
        ui.click("#create-document").await;
        ui.find(r#"tr[data-code="OB.IN.QCC.TELK.F-20"]"#).await;
        ui.wait_gone("#new-document-dialog").await;
        ui.click(&format!(r#"tr[data-code="{P01}"] a"#)).await;
        ui.find(r#"[data-page="document"] [data-code="OB.IN.QCC.TELK.F-18"]"#).await;
        ui.shot("document").await;

        ui.click("#new-revision").await;
        ui.fill("#revision-description", "Menambah bagian aplikasi pendukung").await;
        ui.click("#revision-create").await;
        ui.find(r#"[data-page="revision"][data-rev="1"]"#).await;
        ui.wait_status("draft").await;
        assert_eq!(ui.path().await, format!("/documents/{P01}/revisions/1"));

        // Edit the copy: the preview follows the text, the save keeps it.
        ui.press("#action-edit").await;
        let body = ui.find("#edit-body").await;
        body.send_keys("\n\n## 12. Catatan Uji\nBaris *baru* untuk uji.\n\n<script>window.hacked = 1</script>")
            .await
            .expect("type");
        ui.wait_for_text("#edit-preview h2:last-of-type", "12. Catatan Uji").await;
        ui.shot("edit").await;
        ui.press("#edit-save").await;
        ui.wait_gone("#revision-edit").await;
        ui.find("#revision-body em").await;
        let body = ui.text("#revision-body").await;
        assert!(body.contains("<script>window.hacked = 1</script>"), "HTML is shown as text: {body}");
        let hacked = ui.client.execute("return window.hacked === undefined", vec![]).await.expect("run a script");
        assert_eq!(hacked, json!(true));

        // Submitting is a signature: a wrong password changes nothing and says so.
        ui.sign("#action-submit", "salah-sandi-123").await;
        ui.wait_for_text("#sign-error", "Kata sandi salah. Tidak ada yang berubah.").await;
        assert_eq!(
            ui.text("#sign-meaning").await,
            "Dengan menandatangani, Anda menyatakan telah MENYUSUN dokumen ini dan mengajukannya untuk diperiksa."
        );
        assert_eq!(ui.text("#sign-reference").await, format!("{P01}.Rev.01"));
        ui.shot("sign-wrong-password").await;
        ui.fill("#sign-password", DEMO_PASSWORD).await;
        ui.click("#sign-confirm").await;
        ui.wait_status("in_review").await;
        ui.wait_gone("#sign-dialog").await;
        ui.find(r#"[data-meaning="prepared"] .sig[data-source="electronic"]"#).await;
        ui.shot("submitted").await;
        ui.logout().await;

        // The QC coordinator checks it.
        ui.login("qrd", DEMO_PASSWORD).await;
        ui.goto(&format!("/documents/{P01}/revisions/1")).await;
        ui.wait_status("in_review").await;
        ui.press("#action-check").await;
        ui.wait_for_text("#sign-meaning", "Dengan menandatangani, Anda menyatakan telah MEMERIKSA dokumen ini.").await;
        ui.shot("check-dialog").await;
        ui.fill("#sign-password", DEMO_PASSWORD).await;
        ui.click("#sign-confirm").await;
        ui.wait_status("checked").await;
        ui.logout().await;

        // The manager approves it for today: it takes effect at once and Rev.00 is superseded.
        ui.login("manager", DEMO_PASSWORD).await;
        ui.goto(&format!("/documents/{P01}/revisions/1")).await;
        ui.wait_status("checked").await;
        ui.press("#action-approve").await;
        ui.set_value("#sign-effective-date", &today_wib(), "input").await;
        ui.fill("#sign-password", DEMO_PASSWORD).await;
        ui.shot("approve-dialog").await;
        ui.click("#sign-confirm").await;
        ui.wait_status("effective").await;
        ui.find(r#"[data-meaning="approved"] .sig[data-source="electronic"]"#).await;
        ui.find(r#"[data-part="history"] tr[data-rev="1"]"#).await;
        ui.find("#ack-panel #ack-pending").await;
        ui.shot("effective").await;

        ui.click(r#"[data-page="revision"] .eyebrow a.mono"#).await;
        ui.find(r#"#revisions-table tr[data-rev="0"] .status-badge[data-status="superseded"]"#).await;
        ui.click(r#"#revisions-table tr[data-rev="0"] a"#).await;
        ui.find("#superseded-banner").await;
        ui.shot("superseded").await;
        ui.click("#go-effective").await;
        ui.find(r#"[data-page="revision"][data-rev="1"]"#).await;

        // The diff shows the added lines.
        ui.goto(&format!("/documents/{P01}/revisions/1/diff?against=0")).await;
        ui.find(r#"#diff-table tr.diff-insert"#).await;
        let inserted = ui.find("#diff-counts").await.attr("data-inserted").await.unwrap().unwrap_or_default();
        assert!(inserted.parse::<usize>().unwrap() >= 2, "inserted {inserted}");
        ui.shot("diff").await;

        // The printed copy: header block, controlled-copy mark, who printed it.
        ui.goto(&format!("/documents/{P01}/revisions/1/print")).await;
        ui.wait_for_text("#controlled-mark", "SALINAN TERKENDALI").await;
        ui.wait_for_text(r#".print-sheet thead [data-field="reference"]"#, &format!("{P01}.Rev.01")).await;
        ui.wait_for_text(r#".print-sheet thead [data-field="rev"]"#, "01").await;
        assert!(ui.text("#printed-by").await.starts_with("Dicetak oleh "));
        ui.shot("print").await;

        // The same page in English.
        ui.goto(&format!("/documents/{P01}/revisions/1")).await;
        ui.click("#lang-en").await;
        ui.wait_for_text(r#"[data-nav="documents"]"#, "Documents").await;
        ui.shot("revision-en").await;
        ui.click(r#"[data-nav="tasks"]"#).await;
        ui.find("#tasks-to-read").await;
        ui.shot("tasks-en").await;
        ui.click(r#"[data-nav="documents"]"#).await;
        ui.find(&format!(r#"tr[data-code="{P01}"]"#)).await;
        ui.shot("register-en").await;
        ui.click("#lang-id").await;
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_agent_confirms_reading_and_the_unread_count_drops() {
    in_browser("acknowledge", |ui, _app| async move {
        ui.login("agent1", DEMO_PASSWORD).await;
        ui.find("#inbox-count").await;
        let before: u64 = ui.find("#inbox-count").await.attr("data-count").await.unwrap().unwrap().parse().unwrap();
        ui.click(r#"[data-nav="tasks"]"#).await;
        ui.find(&format!(r#"#tasks-to-read li[data-code="{P01}"]"#)).await;
        ui.shot("tasks").await;

        ui.goto(&format!("/documents/{P01}")).await;
        ui.wait_for_text(r#"[data-field="code"]"#, P01).await;
        ui.click("#open-effective").await;
        ui.find(r#"[data-page="revision"][data-rev="0"]"#).await;
        // Paper signatures as recorded from the original.
        ui.wait_for_text(r#"[data-meaning="approved"] [data-field="name"]"#, "Mokh.arifin").await;
        ui.wait_for_text(r#"[data-meaning="prepared"] [data-field="date"]"#, "12 Agustus 2022").await;
        ui.wait_for_text(r#"[data-part="header"] [data-field="effective-date"]"#, "13 Oktober 2022").await;
        assert!(!ui.exists("#action-edit").await && !ui.exists("#new-revision").await);
        ui.shot("revision").await;
        ui.client
            .execute(
                "document.querySelector('[data-part=\"signatures\"]').scrollIntoView({ block: 'center' });",
                vec![],
            )
            .await
            .expect("scroll");
        ui.shot("signatures").await;

        // "Read and understood" is offered where the reader ends, after the text and its changes.
        ui.client
            .execute("document.querySelector('#acknowledge-end').scrollIntoView({ block: 'center' });", vec![])
            .await
            .expect("scroll");
        ui.wait_for_text("#ack-end-title", "Sudah selesai membaca?").await;
        ui.shot("acknowledge-at-the-end").await;
        ui.press("#action-acknowledge-end").await;
        ui.find("#acknowledged").await;
        ui.wait_gone("#acknowledge-end").await;
        assert!(!ui.exists("#action-acknowledge").await);
        ui.wait_badge("#inbox-count", "inbox", before - 1).await;
        ui.shot("acknowledged").await;

        // A form shows its retention.
        ui.goto("/documents/OB.IN.QCC.TELK.F-18").await;
        ui.wait_for_text(r#"[data-field="retention"]"#, "24 bulan (2 tahun)").await;
        ui.wait_for_text(r#"[data-field="record-owner"]"#, "Quality Control").await;
        ui.shot("form").await;
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_document_controller_attaches_the_original_file_to_a_draft() {
    in_browser("attachment", |ui, _app| async move {
        ui.login("dc", DEMO_PASSWORD).await;
        ui.goto(&format!("/documents/{P01}")).await;
        ui.wait_for_text(r#"[data-field="code"]"#, P01).await;
        ui.click("#new-revision").await;
        ui.fill("#revision-description", "Melampirkan berkas asli").await;
        ui.click("#revision-create").await;
        ui.find(r#"[data-page="revision"][data-rev="1"]"#).await;
        ui.wait_status("draft").await;
        ui.find("#attachment-panel #attachment-none").await;

        // A small PDF: the panel then names it, with its type, size, hash and a download.
        let mut pdf = b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n".to_vec();
        pdf.extend(std::iter::repeat_n(b'%', 1500));
        pdf.extend(b"\n%%EOF\n");
        let path = upload_file("prosedur-p01.pdf", &pdf);
        ui.find("#attachment-file").await.send_keys(&path).await.expect("choose the file");
        ui.press("#attachment-upload").await;
        ui.wait_for_text("#attachment-name", "prosedur-p01.pdf").await;
        ui.wait_for_text("#attachment-type", "PDF").await;
        ui.wait_for_text("#attachment-size", "2 KB").await;
        ui.find("#attachment-ok").await;
        let size_title = ui.find("#attachment-size").await.attr("title").await.unwrap().unwrap_or_default();
        assert_eq!(size_title, format!("{} bita", group(pdf.len() as u64)));
        let sha = ui.find("#attachment-sha256").await.attr("title").await.unwrap().unwrap_or_default();
        assert_eq!(sha.len(), 64, "the full hash is in the title: {sha}");
        assert_eq!(ui.text("#attachment-sha256").await, format!("{}…", &sha[..16]));
        assert!(ui.text("#attachment-uploaded-at").await.ends_with(" WIB"));
        ui.client
            .execute("document.querySelector('#attachment-panel').scrollIntoView({ block: 'center' });", vec![])
            .await
            .expect("scroll");
        ui.shot("panel").await;

        // A ".pdf" that is plain text: refused, in plain words.
        let path = upload_file("bukan-pdf.pdf", b"ini hanya teks biasa, bukan PDF\n");
        ui.find("#attachment-file").await.send_keys(&path).await.expect("choose the file");
        ui.press("#attachment-upload").await;
        ui.wait_for_text(
            "#attachment-error",
            "Berkas ini bukan PDF atau DOCX. Hanya berkas PDF atau DOCX yang bisa dilampirkan.",
        )
        .await;
        ui.wait_for_text("#attachment-name", "prosedur-p01.pdf").await;
        ui.shot("not-pdf").await;

        // The download fetches the bytes with the token; the error of before goes away.
        ui.press("#attachment-download").await;
        ui.wait_gone("#attachment-error").await;
        ui.wait_for_text("#attachment-download", "Unduh").await;

        ui.click("#lang-en").await;
        ui.wait_for_text("#attachment-title", "Original file").await;
        ui.shot("panel-en").await;
        ui.click("#lang-id").await;
    })
    .await;
}

/// The WIB day `days` after today, as `YYYY-MM-DD` and as the Indonesian page writes it.
fn wib_day(days: i64) -> (String, String) {
    let day = (chrono::Utc::now() + chrono::Duration::hours(7) + chrono::Duration::days(days)).date_naive();
    use chrono::Datelike;
    (day.to_string(), format!("{} {} {}", day.day(), super::MONTHS_ID[day.month0() as usize], day.year()))
}

impl Ui {
    /// The current value of a form field.
    async fn value_of(&self, css: &str) -> String {
        self.find(css).await;
        let value = self
            .client
            .execute("return document.querySelector(arguments[0]).value;", vec![json!(css)])
            .await
            .expect("read the value");
        value.as_str().unwrap_or_default().to_owned()
    }
}

/// A draft of P-01 Rev.01 made by the document controller through the API, submitted.
async fn submitted_rev01(app: &tests::TestApp) {
    let dc = app.token("dc").await;
    let path = format!("/api/documents/{P01}/revisions");
    let draft = app.post(&path, Some(&dc), &json!({ "change_description": "Menambah catatan tentang MyCX." })).await;
    assert_eq!(draft.status, reqwest::StatusCode::CREATED, "{}", draft.body);
    let submitted = app.post(&format!("{path}/1/submit"), Some(&dc), &json!({ "password": DEMO_PASSWORD })).await;
    assert_eq!(submitted.status, reqwest::StatusCode::OK, "{}", submitted.body);
}

/// The QC coordinator checks P-01 Rev.01 through the API.
async fn check_rev01(app: &tests::TestApp) {
    let qrd = app.token("qrd").await;
    let checked = app
        .post(
            &format!("/api/documents/{P01}/revisions/1/review"),
            Some(&qrd),
            &json!({ "decision": "approve", "password": DEMO_PASSWORD }),
        )
        .await;
    assert_eq!(checked.status, reqwest::StatusCode::OK, "{}", checked.body);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_approver_starts_from_the_planned_date_and_is_warned_of_another() {
    in_browser("approval-date", |ui, app| async move {
        let (planned, planned_text) = wib_day(3);
        let (chosen, chosen_text) = wib_day(5);

        // The document controller plans the effective date with the draft.
        let dc = app.token("dc").await;
        let draft =
            app.post(&format!("/api/documents/{P01}/revisions"), Some(&dc), &json!({ "change_description": "Rencana tanggal." })).await;
        assert_eq!(draft.status, reqwest::StatusCode::CREATED);
        ui.login("dc", DEMO_PASSWORD).await;
        ui.goto(&format!("/documents/{P01}/revisions/1")).await;
        ui.wait_status("draft").await;
        ui.press("#action-edit").await;
        ui.set_value("#edit-effective-date", &planned, "input").await;
        ui.press("#edit-save").await;
        ui.wait_gone("#revision-edit").await;
        ui.wait_for_text("#planned-effective-date", &planned_text).await;
        let _ = ui.client.execute("window.scrollTo(0, 0);", vec![]).await;
        ui.shot("planned").await;
        ui.click(r#"[data-nav="tasks"]"#).await;
        ui.wait_for_text(
            &format!(r#"li[data-code="{P01}"][data-rev="1"] [data-field="planned"]"#),
            &format!("rencana berlaku {planned_text}"),
        )
        .await;
        ui.shot("tasks-planned").await;
        ui.goto(&format!("/documents/{P01}/revisions/1")).await;
        ui.wait_status("draft").await;
        ui.sign("#action-submit", DEMO_PASSWORD).await;
        ui.wait_status("in_review").await;
        ui.logout().await;
        check_rev01(&app).await;

        // The approver's dialog starts from it; another day is pointed out.
        ui.login("manager", DEMO_PASSWORD).await;
        ui.goto(&format!("/documents/{P01}/revisions/1")).await;
        ui.wait_status("checked").await;
        ui.wait_for_text("#planned-effective-date", &planned_text).await;
        ui.press("#action-approve").await;
        assert_eq!(ui.value_of("#sign-effective-date").await, planned);
        assert!(!ui.exists("#sign-date-differs").await, "the planned day: no warning");
        ui.shot("approve-planned").await;
        ui.set_value("#sign-effective-date", &chosen, "input").await;
        ui.wait_for_text(
            "#sign-date-differs",
            &format!("Tanggal ini berbeda dari rencana tanggal berlaku pengendali dokumen ({planned_text})."),
        )
        .await;
        ui.shot("approve-other-day").await;
        ui.set_value("#sign-effective-date", &planned, "input").await;
        ui.wait_gone("#sign-date-differs").await;
        ui.click("#sign-dialog .form-actions .btn-secondary").await;
        ui.wait_gone("#sign-dialog").await;

        // The same in English, then signed for the other day.
        ui.click("#lang-en").await;
        ui.wait_for_text("#action-approve", "Approve & sign").await;
        ui.press("#action-approve").await;
        ui.set_value("#sign-effective-date", &chosen, "input").await;
        let english_day = ui.text("#planned-effective-date").await;
        ui.wait_for_text(
            "#sign-date-differs",
            &format!("This date differs from the effective date the document controller planned ({english_day})."),
        )
        .await;
        ui.fill("#sign-password", DEMO_PASSWORD).await;
        ui.shot("approve-other-day-en").await;
        ui.click("#sign-confirm").await;
        ui.wait_status("approved").await;
        ui.wait_gone("#sign-dialog").await;
        // Scheduled: in force from the chosen day's 00:00, listed in the history with its status.
        ui.find(r#"[data-part="history"] tr[data-rev="1"][data-status="approved"] .status-badge"#).await;
        let from = ui.text("#effective-at").await;
        assert!(from.ends_with(", 00:00 WIB"), "{from}");
        ui.shot("scheduled-en").await;

        // "In force at" the chosen day answers the scheduled revision and says so.
        ui.goto(&format!("/documents/{P01}")).await;
        ui.set_value("#in-force-date", &chosen, "input").await;
        ui.set_value("#in-force-time", "10:00", "input").await;
        ui.press("#in-force-check").await;
        let result = ui.find(r#"#in-force-result[data-rev="1"][data-scheduled="true"]"#).await;
        assert!(result.text().await.unwrap().contains("scheduled to take effect from"));
        ui.client
            .execute("document.querySelector('#in-force-result').scrollIntoView({ block: 'center' });", vec![])
            .await
            .expect("scroll");
        ui.shot("in-force-scheduled-en").await;
        ui.click("#lang-id").await;
        ui.wait_for_text(r#"[data-nav="documents"]"#, "Dokumen").await;
        ui.set_value("#in-force-date", &chosen, "input").await;
        ui.set_value("#in-force-time", "10:00", "input").await;
        ui.press("#in-force-check").await;
        ui.wait_for_text(
            "#in-force-result",
            &format!(
                "Pada {chosen_text}, 10.00 WIB yang berlaku adalah Rev.01, yang dijadwalkan berlaku mulai {chosen_text}, 00.00 WIB (belum berlaku sekarang). {P01}.Rev.01"
            ),
        )
        .await;
        ui.shot("in-force-scheduled").await;

        // The printed copy's change record lists the issued revisions only.
        ui.goto(&format!("/documents/{P01}/revisions/0/print")).await;
        ui.find(r#".print-sheet [data-part="history"] tr[data-rev="0"]"#).await;
        assert!(!ui.exists(r#".print-sheet [data-part="history"] tr[data-rev="1"]"#).await);
        ui.shot("print-issued-only").await;
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_landing_page_cites_the_revisions_in_force() {
    in_browser("landing-revisions", |ui, app| async move {
        let cited = |code: &str, rev: i32| format!(r#"#duties-source [data-code="{code}"][data-rev="{rev}"]"#);
        ui.login("agent1", DEMO_PASSWORD).await;
        ui.wait_for_text(&cited(P01, 0), &format!("{P01}.Rev.00")).await;
        for wi in ["OB.IN.QCC.TELK.W-01", "OB.IN.QCC.TELK.W-03", "OB.IN.QCC.TELK.W-04"] {
            ui.wait_for_text(&cited(wi, 0), &format!("{wi}.Rev.00")).await;
        }
        assert!(!ui.exists(r#"#duties-source [data-code="OB.IN.QCC.TELK.F-18"]"#).await, "forms are not cited");
        ui.shot("home-rev00").await;

        // P-01 Rev.01 approved for today: in force at once, and the landing page cites it.
        submitted_rev01(&app).await;
        check_rev01(&app).await;
        let manager = app.token("manager").await;
        let approved = app
            .post(
                &format!("/api/documents/{P01}/revisions/1/approve"),
                Some(&manager),
                &json!({ "decision": "approve", "password": DEMO_PASSWORD, "effective_date": today_wib() }),
            )
            .await;
        assert_eq!(approved.body["status"], "effective", "{}", approved.body);
        ui.goto("/").await;
        ui.wait_for_text(&cited(P01, 1), &format!("{P01}.Rev.01")).await;
        let source = ui.text("#duties-source").await;
        assert!(!source.contains("P-01.Rev.00") && !source.contains("P-01 Rev.00"), "{source}");
        ui.shot("home-rev01").await;
        ui.click(&cited(P01, 1)).await;
        ui.find(r#"[data-page="revision"][data-rev="1"]"#).await;
    })
    .await;
}
