//! The certificate of disposal as a printable A4 page (`?format=html`), headed as the seed's
//! controlled documents are: title, number, form code and date in a box, then what was disposed,
//! under which rule, the hashes' root, the backups to expire, and the two signatures.
use crate::state::AppState;
use crate::workbook::local_text;
use domain::html::escape as esc;
use domain::indonesian::thousands;
use domain::records::Certificate;

fn month_words(period: &str) -> String {
    match domain::records::parse_month(period) {
        Some((year, month)) => format!("{} {year}", domain::indonesian::MONTHS[month as usize - 1]),
        None => period.to_owned(),
    }
}

const STYLE: &str = "@page{size:A4;margin:18mm}body{font:11pt/1.45 'DejaVu Sans',Arial,sans-serif;color:#111;max-width:180mm;margin:0 auto}\
table{border-collapse:collapse;width:100%}td,th{border:1px solid #333;padding:4px 6px;vertical-align:top;text-align:left}\
.head td{font-size:10pt}.head .title{font-size:14pt;font-weight:bold;text-align:center;width:55%}\
h2{font-size:11pt;margin:14px 0 4px}.num{text-align:right}.mono{font-family:'DejaVu Sans Mono',monospace;font-size:9pt;word-break:break-all}\
.sign td{height:70px;width:50%}.muted{color:#555;font-size:9pt}@media print{.noprint{display:none}}";

/// The page, in Bahasa Indonesia with the English beneath each heading.
pub fn html(state: &AppState, c: &Certificate) -> String {
    let rule = match c.counts_from.as_str() {
        "acknowledged_or_resolved" => {
            "sejak lembar diakui agent atau sanggahannya diputuskan / from acknowledgement or dispute resolution"
        }
        _ => {
            "sejak validasi APPROVED atau tindak lanjut RETURN ditutup / from APPROVED validation or closing of the RETURN follow-up"
        }
    };
    let mut periods = String::new();
    for p in &c.periods {
        periods.push_str(&format!(
            "<tr><td>{}</td><td class=\"num\">{}</td></tr>",
            esc(&month_words(&p.period)),
            thousands(p.count)
        ));
    }
    let backups = if c.backups.is_empty() {
        "<p>Tidak ada cadangan yang dibuat sebelum pemusnahan yang memuat arsip ini. / No backup made before the disposal holds these records.</p>".to_owned()
    } else {
        let mut rows = String::new();
        for b in &c.backups {
            rows.push_str(&format!(
                "<tr><td>{}</td><td>{}</td><td class=\"mono\">{}</td></tr>",
                esc(&local_text(state, &b.made_at)),
                esc(&b.file_name),
                esc(&b.archive_id)
            ));
        }
        format!(
            "<p>Cadangan berikut dibuat sebelum pemusnahan dan masih memuat arsip yang dimusnahkan; hapus atau kedaluwarsakan sesuai kebijakan. / These backups still hold the disposed records: expire them.</p>\
             <table><tr><th>Dibuat / Made</th><th>Berkas / File</th><th>ID arsip / Archive id</th></tr>{rows}</table>"
        )
    };
    let through = c.through_month.as_deref().map(month_words).unwrap_or_else(|| "daftar arsip / listed records".into());
    format!(
        "<!doctype html><html lang=\"id\"><head><meta charset=\"utf-8\"><title>Sertifikat Pemusnahan {number}</title><style>{STYLE}</style></head><body>\
<table class=\"head\"><tr><td rowspan=\"3\" class=\"title\">SERTIFIKAT PEMUSNAHAN ARSIP<br><span class=\"muted\">Certificate of disposal of records</span></td>\
<td>Nomor : {number}</td></tr><tr><td>Kode Formulir : {form}</td></tr><tr><td>Tanggal Pemusnahan : {disposed_at}</td></tr></table>\
<h2>1. Arsip yang dimusnahkan / Records disposed</h2>\
<p>{title} ({form}), jatuh tempo s.d. / due through: {through}.</p>\
<table><tr><th>Periode panggilan / Call month</th><th class=\"num\">Jumlah / Count</th></tr>{periods}\
<tr><th>Total</th><th class=\"num\">{disposed}</th></tr></table>\
<p>Ditahan oleh legal hold (tidak dimusnahkan) / Kept by legal holds: {withheld}</p>\
<h2>2. Aturan retensi / Retention rule</h2><p>{months} bulan {rule}, sesuai daftar dokumen (register) saat arsip dibuat.</p>\
<h2>3. Bukti / Evidence</h2><p>Setiap arsip meninggalkan tombstone berisi SHA-256 isinya. Akar Merkle (SHA-256) seluruh tombstone, berurutan menurut nomor arsip:</p>\
<p class=\"mono\">{root}</p><p>Dicatat pada jejak audit, entri no. {seq}.</p>\
<h2>4. Cadangan / Backups</h2>{backups}\
<h2>5. Pengesahan / Signatures</h2><table class=\"sign\"><tr><td>Disetujui oleh / Approved by<br><b>{approved_by}</b><br>{approved_at}<br><span class=\"muted\">tanda tangan elektronik: \"pemusnahan disetujui\"</span></td>\
<td>Dikonfirmasi oleh / Confirmed by<br><b>{confirmed_by}</b><br>{confirmed_at}<br><span class=\"muted\">tanda tangan elektronik: \"pemusnahan dikonfirmasi\"</span></td></tr></table>\
<p class=\"noprint muted\">Cetak halaman ini (Ctrl+P) ke kertas A4 atau PDF. / Print to A4 or PDF.</p></body></html>",
        number = esc(&c.number),
        form = esc(&c.form),
        title = esc(&c.form_title),
        disposed_at = esc(&local_text(state, &c.disposed_at)),
        disposed = thousands(c.disposed),
        withheld = thousands(c.withheld),
        months = c.retention_months,
        root = esc(&c.merkle_root),
        seq = c.audit_seq,
        approved_by = esc(&c.approved_by),
        approved_at = esc(&local_text(state, &c.approved_at)),
        confirmed_by = esc(&c.confirmed_by),
        confirmed_at = esc(&local_text(state, &c.confirmed_at)),
    )
}
