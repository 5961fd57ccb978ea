//! The demo F-18 form `F18-CT0-PRANPC` v1 as data: six sections, eighteen parameters (four of
//! them fatal) weighing 100 together.

use domain::scoring::{FormParameter, FormSection};

/// The demo form's code.
pub const DEMO_FORM_CODE: &str = "F18-CT0-PRANPC";
/// The demo form's title.
pub(super) const DEMO_FORM_TITLE: &str = "Standar Penilaian Parameter Layanan CT-0 dan PRANPC (contoh)";

/// (key, title, [(key, label, guidance, weight, fatal, allow_na)])
type Param = (&'static str, &'static str, &'static str, f64, bool, bool);
const SECTIONS: &[(&str, &str, &[Param])] = &[
    (
        "pembukaan",
        "Pembukaan",
        &[
            (
                "salam_pembuka",
                "Salam pembuka dan perkenalan diri",
                "Salam sesuai waktu, menyebut nama agent dan \"dari Telkom\" dalam 5 detik pertama.",
                5.0,
                false,
                false,
            ),
            (
                "kesediaan_waktu",
                "Menanyakan kesediaan waktu pelanggan",
                "Menanyakan apakah pelanggan bersedia berbicara beberapa menit. N/A bila pelanggan langsung membuka pembicaraan.",
                4.0,
                false,
                true,
            ),
        ],
    ),
    (
        "verifikasi",
        "Verifikasi identitas",
        &[
            (
                "verifikasi_nama",
                "Verifikasi nama pemilik atau penanggung jawab layanan",
                "Memastikan lawan bicara adalah pemilik layanan atau penanggung jawab yang terdaftar di MyCX sebelum menyebut tagihan.",
                8.0,
                false,
                false,
            ),
            (
                "verifikasi_data",
                "Verifikasi nomor layanan dan alamat pemasangan",
                "Mencocokkan nomor layanan (Indihome/POTS) dan alamat pemasangan dengan data prospek.",
                7.0,
                false,
                false,
            ),
            (
                "fatal_tagihan_tidak_terverifikasi",
                "FATAL: menyampaikan tagihan kepada orang yang belum terverifikasi",
                "Gagal bila nominal atau status tunggakan disebut sebelum identitas lawan bicara terverifikasi.",
                0.0,
                true,
                false,
            ),
        ],
    ),
    (
        "tagihan",
        "Informasi tagihan dan tunggakan",
        &[
            (
                "info_tagihan",
                "Menyampaikan jumlah tagihan dan periode tunggakan dengan jelas",
                "Nominal dan bulan tagihan sesuai I-payment, disebut dengan jelas dan diulang bila diminta.",
                10.0,
                false,
                false,
            ),
            (
                "info_konsekuensi",
                "Menjelaskan konsekuensi sesuai bucket (N, N+1, N+2)",
                "Isolir untuk N+1, cabut layanan untuk N+2, disampaikan tanpa nada mengancam. N/A untuk bucket N.",
                8.0,
                false,
                true,
            ),
            (
                "info_cara_bayar",
                "Menjelaskan cara dan tempat pembayaran",
                "Kanal pembayaran resmi (Plasa Telkom, bank, minimarket, aplikasi) dan batas waktunya.",
                6.0,
                false,
                false,
            ),
            (
                "fatal_salah_nominal",
                "FATAL: salah menyebut nominal tagihan atau tanggal jatuh tempo",
                "Gagal bila nominal atau tanggal yang disebut berbeda dari I-payment.",
                0.0,
                true,
                false,
            ),
        ],
    ),
    (
        "negosiasi",
        "Negosiasi dan konfirmasi agree",
        &[
            (
                "negosiasi",
                "Menggali alasan belum bayar dan menawarkan solusi",
                "Bertanya alasan, mendengarkan, lalu menawarkan solusi yang sesuai (tanggal bayar, kanal).",
                10.0,
                false,
                false,
            ),
            (
                "konfirmasi_janji",
                "Mengkonfirmasi ulang tanggal dan nominal janji bayar (agree)",
                "Mengulang tanggal janji bayar dan nominal, dan mendapat jawaban \"ya\" yang jelas dari pelanggan.",
                12.0,
                false,
                false,
            ),
            (
                "fatal_agree_palsu",
                "FATAL: mencatat agree yang tidak diberikan pelanggan",
                "Gagal bila hasil agree di MyCX/TAMARA tidak didukung persetujuan pelanggan di rekaman.",
                0.0,
                true,
                false,
            ),
        ],
    ),
    (
        "soft_skill",
        "Soft skill",
        &[
            (
                "empati",
                "Empati dan sikap sopan",
                "Menanggapi keluhan pelanggan dengan empati, memakai sapaan Bapak/Ibu.",
                8.0,
                false,
                false,
            ),
            (
                "intonasi",
                "Intonasi, artikulasi dan tempo bicara",
                "Suara jelas, tempo wajar, tidak monoton.",
                6.0,
                false,
                false,
            ),
            (
                "tidak_memotong",
                "Tidak memotong pembicaraan pelanggan",
                "Memberi pelanggan kesempatan menyelesaikan kalimatnya.",
                5.0,
                false,
                false,
            ),
            (
                "fatal_kata_kasar",
                "FATAL: kata kasar, ancaman atau merendahkan pelanggan",
                "Gagal bila agent memakai kata kasar, mengancam, atau merendahkan pelanggan.",
                0.0,
                true,
                false,
            ),
        ],
    ),
    (
        "penutup",
        "Penutup",
        &[
            (
                "rangkuman",
                "Merangkum hasil pembicaraan",
                "Mengulang kesepakatan dan langkah berikutnya. N/A bila panggilan terputus oleh pelanggan.",
                5.0,
                false,
                true,
            ),
            (
                "salam_penutup",
                "Salam penutup dan ucapan terima kasih",
                "Menawarkan bantuan lain, berterima kasih, salam penutup.",
                6.0,
                false,
                false,
            ),
        ],
    ),
];

/// The demo form's sections.
/// The demo form as the builder publishes it.
pub fn demo_form() -> domain::scoring::NewScoringForm {
    domain::scoring::NewScoringForm {
        code: DEMO_FORM_CODE.into(),
        title: DEMO_FORM_TITLE.into(),
        document_code: None,
        sections: demo_sections(),
        publish: true,
        row_version: None,
    }
}

pub fn demo_sections() -> Vec<FormSection> {
    SECTIONS
        .iter()
        .map(|(key, title, params)| FormSection {
            key: (*key).into(),
            title: (*title).into(),
            parameters: params
                .iter()
                .map(|(key, label, guidance, weight, fatal, allow_na)| FormParameter {
                    key: (*key).into(),
                    label: (*label).into(),
                    guidance: (*guidance).into(),
                    weight: *weight,
                    fatal: *fatal,
                    allow_na: *allow_na,
                    comment_on_fail: true,
                })
                .collect(),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use domain::scoring as rules;

    #[test]
    fn the_demo_form_is_valid_and_weighs_100() {
        let form = demo_form();
        let sections = form.sections.clone();
        assert_eq!(rules::validate_form(&form), Ok(()));
        assert_eq!(sections.len(), 6);
        let params: Vec<_> = rules::parameters(&sections).collect();
        assert_eq!(params.len(), 18);
        assert_eq!(params.iter().filter(|p| p.fatal).count(), 4);
        assert_eq!(params.iter().map(|p| p.weight).sum::<f64>(), 100.0);
    }
}
