//! The seed SOP as demo data: `OB.IN.OCC.TELK.P-01` Rev.00 with its text, its effective date and
//! its three paper signatures, and the register entries of the documents it names.

use crate::audit::{self, Actor, Entry};
use crate::db::now;
use crate::documents::service::{content_hash, effective_instant};
use crate::site_time::day_start;
use crate::state::AppState;
use chrono::NaiveDate;
use domain::audit::AuditAction;
use domain::documents::{DocKind, RevisionStatus, SignatureMeaning, SignatureSource};
use entity::{documents, revisions, signatures};
use sea_orm::{ActiveValue::Set, ColumnTrait, DatabaseTransaction, EntityTrait, QueryFilter};
use serde_json::json;

pub const P01: &str = "OB.IN.OCC.TELK.P-01";

/// The seed's text (Indonesian), as Markdown sections 1–13.
const P01_BODY: &str = r#"## 1. Rujukan
1.1. Klausul 8.2.1 ISO 9001:2015 Komunikasi Pelanggan.

## 2. Tujuan
2.1. Memastikan agent memberikan proses *caring* dan penagihan sesuai dengan standar yang berlaku.

2.2. Meningkatkan pencapaian agree agent.

## 3. Ruang Lingkup
Ruang lingkup dari standar operasional ini meliputi proses agent melakukan *pick up* data prospek, *greeting* sampai dengan *closing*.

## 4. Pihak Terkait
4.1. Agent.

4.2. Team Leader.

4.3. QCO (*Quality Control Officer*).

## 5. Kebijakan Umum
5.1. Agent melakukan *pick order* dapros dengan menggunakan aplikasi mycx.

5.2. Agent melakukan *caring* dan penagihan ke pada pelanggan Telkom sesuai dengan standar parameter yang sudah di tentukan oleh Telkom.

5.3. Agent melakukan input hasil *caring* sesuai reason pelanggan di aplikasi mycx dan tamara.

## 6. Definisi dan Singkatan
6.1. *CT-0 (Change Tarif-0) Pranpc* adalah layanan *outbound call* yang melakukan caring dan penagihan kepada pelanggan Telkom yang mempunyai tunggakan bulan N+2.

6.2. *Pranpc (Pra Non Produktif Customer)* adalah layanan *outbound call* yang melakukan caring dan penagihan kepada pelanggan Telkom yang mempunyai tunggakan bulan N dan N+1.

6.3. *Team leader* adalah posisi/fungsi yang membawahi beberapa orang dalam satu team.

6.4. *Dapros* (data prospek) adalah profil pelanggan yang di gunakan oleh agent untuk melakukan offering.

6.5. *MyCX (My Customer Experience)* adalah aplikasi untuk cek data pelanggan, input hasil *offering*, eskalasi hasil *offering*.

6.6. TAMARA (*Tele Account Management Report National*) adalah aplikasi untuk melakukan input hasil *caring* dan monitoring hasil *caring*.

6.7. *Eyebeam* adalah aplikasi untuk melakukan call.

6.8. I-payment adalah aplikasi info tagihan dan status pembayaran pelanggan Telkom.

6.9. IOC (Infomedia Operation Center) adalah layanan penanganan kendala/gangguan aplikasi *internal*.

6.10. Nonatero (*Nasional Customer Care Center Control*) adalah *dashboard* aplikasi Telkom untuk *monitoring* hasil call agent.

## 7. Indikator Kinerja Prosedur
7.1. Informasi tagihan *indihome* yang disampaikan agent sesuai dengan prosedur.

7.2. Agent *Caring* sesuai dengan standar parameter layanan.

## 8. Rincian Prosedur
### 8.1. Diagram Proses
… maka QC akan melakukan *approved*, jika tidak sesuai maka QC melakukan *return* dan harus dicaring kembali oleh agent.

5. **Export Hasil Validasi** — TL melakukan *export data all reason* dari aplikasi tamara dan mycx. TL melakukan pengecekan terkait inputan agent agar sesuai ketentuan. Jika ada yang tidak sesuai, data tersebut diteruskan ke agent untuk dilakukan input ulang.
6. **Input Reason Call** — Agent melakukan input *all reason call* di aplikasi CWC dan MyCX sesuai dengan ketentuan yang berlaku.

## 9. Instruksi Kerja Pendukung
- 9.1. OB.IN.QCC.TELK.W-01.Rev.00 PELAPORAN HASIL VALIDASI AGREE
- 9.2. OB.IN.QCC.TELK.W-03.Rev.00 MONITORING PELAKSANAAN REKOMENDASI QC TERHADAP HASIL VALIDASI DENGAN STATUS RETURN
- 9.3. OB.IN.QCC.TELK.W-04.Rev.00 TAPPING VALIDASI AGREE

## 10. Dokumen / Rekaman Pendukung **
| No. | Nama Dokumen / Rekaman | Masa Simpan | Penanggung Jawab |
|---|---|---|---|
| 1 | OB.IN.QCC.TELK.F-19.Rev.00 FORM PELAPORAN HASIL VALIDASI AGREE LAYANAN CT-0 DAN PRANPC | 2 Tahun | Quality Control |
| 2 | OB.IN.QCC.TELK.F-18.Rev.00 STANDAR PENILAIAN PARAMETER LAYANAN CT-0 DAN PRANPC | 2 Tahun | Quality Control |

**) dokumen bisa berupa dokumen-dokumen yang telah ditetapkan pada SMM ataupun di luar SMM yang mendukung prosedur operasi standar terkait.

## 11. Aplikasi Pendukung
- 11.1. MYCX
- 11.2. Tamara
- 11.3. Eyebeam
- 11.4. Email
- 11.5. I-payment
- 11.6. Nonatero
- 11.7. MS Excel

## 12. Catatan
"#;

/// (code, kind, title, retention months)
const CHILDREN: &[(&str, DocKind, &str, Option<i32>)] = &[
    ("OB.IN.QCC.TELK.W-01", DocKind::WorkInstruction, "PELAPORAN HASIL VALIDASI AGREE", None),
    (
        "OB.IN.QCC.TELK.W-03",
        DocKind::WorkInstruction,
        "MONITORING PELAKSANAAN REKOMENDASI QC TERHADAP HASIL VALIDASI DENGAN STATUS RETURN",
        None,
    ),
    ("OB.IN.QCC.TELK.W-04", DocKind::WorkInstruction, "TAPPING VALIDASI AGREE", None),
    ("OB.IN.QCC.TELK.F-18", DocKind::Form, "STANDAR PENILAIAN PARAMETER LAYANAN CT-0 DAN PRANPC", Some(24)),
    ("OB.IN.QCC.TELK.F-19", DocKind::Form, "FORM PELAPORAN HASIL VALIDASI AGREE LAYANAN CT-0 DAN PRANPC", Some(24)),
];

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("valid date")
}

/// Loads the seed documents if P-01 is not there yet, inside the demo transaction.
pub async fn load(state: &AppState, tx: &crate::db::WriteTx) -> anyhow::Result<bool> {
    let txn: &DatabaseTransaction = tx;
    if documents::Entity::find().filter(documents::Column::Code.eq(P01)).one(txn).await?.is_some() {
        return Ok(false);
    }
    let at = now();
    let effective = date(2022, 10, 13);
    let approved_on = date(2022, 10, 12);
    let p01 = documents::Entity::insert(documents::ActiveModel {
        code: Set(P01.into()),
        kind: Set(DocKind::Procedure),
        title: Set("CARING PROCEDURE Change Tarif-0 (CT-0) Dan Pra Non produktif Customer (PRANPC)".into()),
        parent_id: Set(None),
        retention_months: Set(None),
        record_owner: Set(None),
        created_at: Set(at),
        ..Default::default()
    })
    .exec(txn)
    .await?
    .last_insert_id;
    let title =
        "Prosedur Operasi Standar CARING PROCEDURE Change Tarif-0 (CT-0) Dan Pra Non produktif Customer (PRANPC)";
    let description = "Dokumen baru (terbit pertama).";
    let revision = revisions::Entity::insert(revisions::ActiveModel {
        document_id: Set(p01),
        rev: Set(0),
        title: Set(title.into()),
        body: Set(P01_BODY.into()),
        change_description: Set(description.into()),
        status: Set(RevisionStatus::Effective),
        effective_date: Set(Some("2022-10-13".into())),
        effective_at: Set(Some(effective_instant(state, effective, day_start(state, approved_on)))),
        version: Set(1),
        created_at: Set(at),
        updated_at: Set(at),
        ..Default::default()
    })
    .exec(txn)
    .await?
    .last_insert_id;
    let hash = content_hash(P01, 0, title, P01_BODY, description, None);
    // The paper original's signature block: Dibuat / Diperiksa / Disetujui oleh.
    let paper = [
        (SignatureMeaning::Prepared, "Andika Ardiansah", "DC Area", date(2022, 8, 12)),
        (SignatureMeaning::Checked, "Sukron Azis", "Koordinator QRD", date(2022, 8, 12)),
        (SignatureMeaning::Approved, "Mokh.arifin", "Manager", approved_on),
    ];
    for (meaning, name, position, signed_on) in paper {
        signatures::Entity::insert(signatures::ActiveModel {
            revision_id: Set(revision),
            meaning: Set(meaning),
            user_id: Set(None),
            name: Set(name.into()),
            position: Set(position.into()),
            signed_at: Set(day_start(state, signed_on)),
            content_sha256: Set(hash.clone()),
            source: Set(SignatureSource::Paper),
            void: Set(false),
            ..Default::default()
        })
        .exec_without_returning(txn)
        .await?;
    }
    for (code, kind, child_title, retention) in CHILDREN {
        let id = documents::Entity::insert(documents::ActiveModel {
            code: Set((*code).into()),
            kind: Set(*kind),
            title: Set((*child_title).into()),
            parent_id: Set(Some(p01)),
            retention_months: Set(*retention),
            record_owner: Set(retention.map(|_| "Quality Control".to_owned())),
            created_at: Set(at),
            ..Default::default()
        })
        .exec(txn)
        .await?
        .last_insert_id;
        let body = format!(
            "> **Contoh.** Isi dokumen ini tidak tercantum dalam SOP P-01; teks ini hanya contoh untuk demo.\n\n\
             ## 1. Tujuan\nMenjelaskan langkah kerja *{child_title}* sebagai pendukung prosedur {P01}.\n"
        );
        revisions::Entity::insert(revisions::ActiveModel {
            document_id: Set(id),
            rev: Set(0),
            title: Set((*child_title).into()),
            body: Set(body),
            change_description: Set("Dokumen baru (terbit pertama).".into()),
            status: Set(RevisionStatus::Effective),
            effective_date: Set(Some("2022-10-13".into())),
            effective_at: Set(Some(day_start(state, effective))),
            version: Set(1),
            created_at: Set(at),
            updated_at: Set(at),
            ..Default::default()
        })
        .exec_without_returning(txn)
        .await?;
    }
    audit::append(
        tx,
        Entry {
            actor: &Actor::system(),
            action: AuditAction::DocumentImported,
            entity: "document",
            entity_id: Some(P01.into()),
            payload: json!({ "source": "paper original", "revision": "Rev.00", "children": CHILDREN.iter().map(|c| c.0).collect::<Vec<_>>() }),
        },
    )
    .await
    .map_err(|e| anyhow::anyhow!("{e}"))?;
    Ok(true)
}
