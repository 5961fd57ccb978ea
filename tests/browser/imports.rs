//! The import page with many refused rows and with a file past the row cap: the first 1,000
//! refused rows are listed with how many there are in all and a download of every one, in
//! Indonesian and in English; a file of too many rows is refused in plain words. And a team
//! leader's import with Indonesian column names and ISO call times: the page names every column
//! in both languages, and each refused row lists every fault in the chosen language.

use super::{Ui, in_browser, upload_file};
use tests::{DEMO_PASSWORD, hostile};

async fn shot_top(ui: &Ui, step: &str) {
    let _ = ui.client.execute("window.scrollTo(0, 0);", vec![]).await;
    ui.shot(step).await;
}

/// A screenshot with `css` scrolled into the middle of the window.
async fn shot_at(ui: &Ui, css: &str, step: &str) {
    let script = format!("document.querySelector('{css}').scrollIntoView({{ block: 'center' }});");
    let _ = ui.client.execute(&script, vec![]).await;
    ui.shot(step).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn many_refused_rows_are_listed_in_part_and_the_row_cap_is_explained() {
    in_browser("imports", |ui, _app| async move {
        ui.login("qco1", DEMO_PASSWORD).await;
        ui.goto("/cases/import").await;
        ui.find("#import-file").await;
        let hint = ui.text(".field-hint").await;
        assert!(hint.contains("Paling banyak 1.000.000 baris data per berkas."), "{hint}");

        // 1,200 refused rows and a good one: the first 1,000 are listed.
        let mut bytes = hostile::csv_bad_rows_count(1_200);
        bytes.extend(
            b"UJI-9001,Sari Pelanggan Uji,PRANPC,N+1,350000,agent1,2025-03-03 08:00,Janji bayar,2025-03-05,EB-UJI-1\r\n",
        );
        let path = upload_file("agree-banyak-salah.csv", &bytes);
        ui.find("#import-file").await.send_keys(&path).await.expect("choose the file");
        ui.press("#import-submit").await;
        ui.find("#import-result").await;
        ui.wait_for_text("#import-imported", "1").await;
        ui.wait_for_text("#import-rejected", "1.200").await;
        ui.wait_for_text("#import-rejected-shown", "Menampilkan 1.000 baris pertama dari 1.200 baris yang ditolak.")
            .await;
        ui.wait_for_text("#import-rejected-download", "Unduh semua baris yang ditolak (CSV)").await;
        let listed = ui
            .client
            .execute("return document.querySelectorAll('#rejected-table tbody tr').length;", vec![])
            .await
            .expect("count the rows");
        assert_eq!(listed, 1000);
        shot_top(&ui, "import-many-refused").await;
        // The download is every refused row, worded in the page's language (caught as the
        // page hands the file to the browser).
        ui.client
            .execute(
                "window.__blobs = []; const make = URL.createObjectURL; \
                 URL.createObjectURL = function (b) { window.__blobs.push(b); return make.call(URL, b); };",
                vec![],
            )
            .await
            .expect("watch the downloads");
        ui.press("#import-rejected-download").await;
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
        while ui.client.execute("return window.__blobs.length;", vec![]).await.expect("count") == 0 {
            assert!(std::time::Instant::now() < deadline, "no download within 30 s");
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        }
        let csv = ui
            .client
            .execute_async(
                "const done = arguments[arguments.length - 1]; window.__blobs[0].arrayBuffer() \
                 .then(b => done(new TextDecoder('utf-8', { ignoreBOM: true }).decode(b)));",
                vec![],
            )
            .await
            .expect("read the download");
        let csv = csv.as_str().expect("text").to_owned();
        let lines: Vec<&str> = csv.lines().collect();
        assert_eq!(lines.len(), 1_201, "a header and every refused row");
        // With a byte order mark, so that a spreadsheet reads it as UTF-8.
        assert_eq!(lines[0], "\u{feff}\"Baris\",\"Alasan ditolak\"");
        assert_eq!(lines[1], "2,\"Layanan tidak dikenal \"\"TV\"\" (CT-0 atau PRANPC)\"");
        assert!(lines[1_200].starts_with("1201,"), "{}", lines[1_200]);
        ui.wait_for_text("#import-rejected-download", "Unduh semua baris yang ditolak (CSV)").await;
        assert!(!ui.exists("#import-error").await);
        ui.click("#lang-en").await;
        ui.wait_for_text("#import-rejected-shown", "Showing the first 1,000 of 1,200 refused rows.").await;
        ui.wait_for_text("#import-rejected-download", "Download every refused row (CSV)").await;
        shot_top(&ui, "import-many-refused-en").await;
        ui.click("#lang-id").await;

        // A file past the row cap is refused whole, in plain words.
        let mut text = hostile::HEADER.join(",") + "\r\n";
        text.push_str(&"x\r\n".repeat(1_000_001));
        let path = upload_file("agree-terlalu-banyak.csv", text.as_bytes());
        ui.find("#import-file").await.send_keys(&path).await.expect("choose the file");
        ui.press("#import-submit").await;
        // The server reads a million rows before the one past the cap: longer than a step.
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(120);
        while !ui.exists("#import-error").await {
            assert!(std::time::Instant::now() < deadline, "no refusal within 120 s");
            tokio::time::sleep(std::time::Duration::from_millis(250)).await;
        }
        ui.wait_for_text(
            "#import-error",
            "Berkas ditolak: Berkas berisi lebih dari 1.000.000 baris; pecah menjadi beberapa berkas yang lebih kecil",
        )
        .await;
        shot_top(&ui, "import-too-many-rows").await;
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_fault_of_a_row_is_listed_in_the_chosen_language() {
    in_browser("import-faults", |ui, _app| async move {
        ui.login("tl1", DEMO_PASSWORD).await;
        ui.goto("/cases/import").await;
        // The columns by both names, what each holds, and the rules a row must keep.
        ui.wait_for_text(r#"#import-columns li[data-column="customer_no"] .column-id"#, "nomor_pelanggan").await;
        ui.wait_for_text(r#"#import-columns li[data-column="promise_date"] .column-meaning"#, "Tanggal janji bayar").await;
        let pairs = ui.text("#import-pairs-hint").await;
        assert!(pairs.contains("CT-0 untuk tunggakan N+2"), "{pairs}");
        assert!(ui.text("#import-call-at-hint").await.contains("ISO 8601"));
        assert!(ui.exists("#import-team-hint").await, "a team leader is told whose rows they import");
        shot_top(&ui, "columns").await;

        let csv = "Nomor Pelanggan,Nama Pelanggan,Layanan,Bucket,Jumlah Tagihan,Username Agent,Waktu Call,Alasan,Tanggal Janji Bayar,Referensi Rekaman\r\n\
                   UJI-7001,Sari Uji,CT-0,N+2,350000,agent1,2025-03-03T01:00:00Z,Janji bayar,2025-03-05,EB-7001\r\n\
                   UJI-7002,Bayu Uji,CT-0,N,350000,agent2,2025-03-03 08:05,Janji bayar,2025-03-05,EB-7002\r\n\
                   ,Citra Uji,CT-0,N+1,-5000,agent1,kemarin,Janji bayar,2025-03-05,EB-7003\r\n\
                   UJI-7004,Dodi Uji,PRANPC,N,350000,agent3,2025-03-03 08:15,Janji bayar,2025-03-05,EB-7004\r\n";
        let path = upload_file("agree-kolom-indonesia.csv", csv.as_bytes());
        ui.find("#import-file").await.send_keys(&path).await.expect("choose the file");
        ui.press("#import-submit").await;
        ui.find("#import-result").await;
        ui.wait_for_text("#import-imported", "1").await;
        ui.wait_for_text("#import-rejected", "3").await;
        ui.wait_for_text(
            r#"#rejected-table tr[data-row="3"] td:last-child"#,
            "Layanan CT-0 tidak melayani bucket N: menurut SOP, CT-0 untuk tunggakan N+2 dan PRANPC untuk N dan N+1",
        )
        .await;
        let faults = r#"#rejected-table tr[data-row="4"] li"#;
        let listed = ui
            .client
            .execute(&format!("return [...document.querySelectorAll('{faults}')].map(li => li.textContent);"), vec![])
            .await
            .expect("read the faults");
        assert_eq!(
            listed,
            serde_json::json!([
                "Nomor pelanggan kosong",
                "Layanan CT-0 tidak melayani bucket N+1: menurut SOP, CT-0 untuk tunggakan N+2 dan PRANPC untuk N dan N+1",
                "Jumlah tagihan negatif",
                "Waktu call tidak valid \"kemarin\" (YYYY-MM-DD JJ:MM, atau ISO 8601 dengan Z atau selisih zona waktu)",
            ])
        );
        ui.wait_for_text(
            r#"#rejected-table tr[data-row="5"] td:last-child"#,
            "Agent \"agent3\" bukan anggota tim Anda: team leader hanya mengimpor agree agent timnya sendiri",
        )
        .await;
        shot_top(&ui, "faults-id").await;
        shot_at(&ui, "#rejected-table", "faults-id-rows").await;

        ui.click("#lang-en").await;
        ui.wait_for_text(r#"#rejected-table tr[data-row="4"] li:first-child"#, "Customer number is empty").await;
        ui.wait_for_text(
            r#"#rejected-table tr[data-row="5"] td:last-child"#,
            "Agent \"agent3\" is not in your team: a team leader imports only their own team's agrees",
        )
        .await;
        ui.wait_for_text(r#"#import-columns li[data-column="customer_no"] .column-meaning"#, "Customer number").await;
        shot_top(&ui, "faults-en").await;
        shot_at(&ui, "#rejected-table", "faults-en-rows").await;
        ui.click("#lang-id").await;
    })
    .await;
}
