//! The import page with many refused rows and with a file past the row cap: the first 1,000
//! refused rows are listed with how many there are in all and a download of every one, in
//! Indonesian and in English; a file of too many rows is refused in plain words.

use super::{Ui, in_browser, upload_file};
use tests::{DEMO_PASSWORD, hostile};

async fn shot_top(ui: &Ui, step: &str) {
    let _ = ui.client.execute("window.scrollTo(0, 0);", vec![]).await;
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
            b"UJI-9001,Sari Pelanggan Uji,CT-0,N+1,350000,agent1,2025-03-03 08:00,Janji bayar,2025-03-05,EB-UJI-1\r\n",
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
        ui.press("#import-rejected-download").await;
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
