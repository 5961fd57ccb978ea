//! The mails' words, in Bahasa Indonesia (the centre's language; the seed's channel is email).
//! Plain text: every mail client shows it, and nothing in it can be taken for markup.

use domain::dates::Date;
use domain::inbox::{InboxItem, InboxKind};
use domain::indonesian::{DAYS, MONTHS};

/// "Senin, 7 Desember 2026".
pub fn long_date(day: Date) -> String {
    format!("{}, {} {} {}", DAYS[(day.iso_weekday() - 1) as usize], day.day, MONTHS[(day.month - 1) as usize], day.year)
}

/// What a line of the digest says of one kind of work.
fn kind_label(kind: InboxKind) -> &'static str {
    match kind {
        InboxKind::CallsToScore => "call untuk dinilai",
        InboxKind::SheetDrafts => "draf penilaian Anda",
        InboxKind::AgreesToValidate => "agree menunggu validasi",
        InboxKind::DisputesToResolve => "sanggahan untuk diputuskan",
        InboxKind::ReturnsToVerify => "RETURN menunggu verifikasi",
        InboxKind::RevisionDrafts => "draf revisi untuk diselesaikan",
        InboxKind::RevisionsToCheck => "revisi menunggu pemeriksaan Anda",
        InboxKind::RevisionsToApprove => "revisi menunggu persetujuan Anda",
        InboxKind::ReturnsOpen => "RETURN Anda yang masih terbuka",
        InboxKind::ReturnsOverdue => "RETURN tim yang lewat tenggat",
        InboxKind::SheetsToAcknowledge => "hasil penilaian untuk diterima",
        InboxKind::DocumentsToRead => "dokumen untuk dibaca",
    }
}

/// A revision waiting for the recipient's signature, as the digest names it.
pub struct WaitingRevision {
    pub code: String,
    pub rev: i32,
    pub title: String,
}

/// A link into Mutu, when its public address is known.
fn link(public_url: Option<&str>, path: &str) -> String {
    match public_url {
        Some(base) => format!("{base}{path}"),
        None => "Mutu".to_owned(),
    }
}

const FOOTER: &str = "Email ini dikirim otomatis oleh Mutu; jangan dibalas.";

/// The daily digest: (subject, body).
pub fn digest(
    name: &str,
    day: Date,
    items: &[InboxItem],
    revisions: &[WaitingRevision],
    public_url: Option<&str>,
) -> (String, String) {
    let total: u64 = items.iter().map(|i| u64::from(i.count)).sum();
    let subject = format!("Mutu: {total} tugas menunggu Anda — {}", long_date(day));
    let mut body = format!("Halo {name},\n\nBerikut pekerjaan yang menunggu Anda di Mutu pada {}:\n\n", long_date(day));
    for item in items {
        body.push_str(&format!("  • {} {}", item.count, kind_label(item.kind)));
        if item.overdue > 0 && item.kind != InboxKind::ReturnsOverdue {
            body.push_str(&format!(" ({} lewat tenggat)", item.overdue));
        }
        body.push('\n');
    }
    if !revisions.is_empty() {
        body.push_str("\nRevisi dokumen yang menunggu tanda tangan Anda:\n");
        for r in revisions {
            body.push_str(&format!("  • {} Rev.{:02} — {}\n", r.code, r.rev, r.title));
        }
    }
    body.push_str(&format!(
        "\nBuka \"Tugas saya\": {}\n\nRingkasan ini dikirim setiap hari kerja. Anda dapat mematikannya di halaman Akun.\n{FOOTER}\n",
        link(public_url, "/tasks")
    ));
    (subject, body)
}

/// What a reminder or escalation says of the RETURN.
pub struct ReturnFacts {
    pub followup_id: i32,
    pub customer_no: String,
    pub customer_name: String,
    pub recommendation: String,
    pub due_day: Date,
}

fn facts_block(facts: &ReturnFacts) -> String {
    format!(
        "  Pelanggan   : {} ({})\n  Rekomendasi : {}\n  Tenggat     : {}, pukul 23.59\n",
        facts.customer_name,
        facts.customer_no,
        if facts.recommendation.trim().is_empty() { "-" } else { facts.recommendation.trim() },
        long_date(facts.due_day),
    )
}

/// To the agent, the working day before a RETURN is due: (subject, body).
pub fn due_reminder(name: &str, facts: &ReturnFacts, public_url: Option<&str>) -> (String, String) {
    let subject = format!("Mutu: RETURN {} jatuh tempo {}", facts.customer_no, long_date(facts.due_day));
    let body = format!(
        "Halo {name},\n\nRETURN berikut harus Anda re-care paling lambat hari kerja berikutnya:\n\n{}\n\
         Catat hasil re-care di Mutu: {}\n\n{FOOTER}\n",
        facts_block(facts),
        link(public_url, &format!("/followups/{}", facts.followup_id)),
    );
    (subject, body)
}

/// To the agent's team leader, when a RETURN is overdue: (subject, body).
pub fn escalation(
    leader: &str,
    agent: &str,
    facts: &ReturnFacts,
    working_days: u32,
    public_url: Option<&str>,
) -> (String, String) {
    let subject = format!("Mutu: RETURN {} dari {agent} lewat tenggat", facts.customer_no);
    let body = format!(
        "Halo {leader},\n\nRETURN berikut milik {agent} di tim Anda belum di-re-care dan sudah lewat tenggat \
         {working_days} hari kerja atau lebih:\n\n{}\n\
         Mohon tindak lanjuti bersama agent. Lihat RETURN: {}\n\n{FOOTER}\n",
        facts_block(facts),
        link(public_url, &format!("/followups/{}", facts.followup_id)),
    );
    (subject, body)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_are_written_the_indonesian_way() {
        assert_eq!(long_date(Date::new(2026, 12, 7).unwrap()), "Senin, 7 Desember 2026");
        assert_eq!(long_date(Date::new(2027, 1, 1).unwrap()), "Jumat, 1 Januari 2027");
    }

    #[test]
    fn a_digest_lists_what_waits_and_says_how_to_stop_it() {
        let items = [
            InboxItem { kind: InboxKind::ReturnsOpen, count: 3, overdue: 1 },
            InboxItem { kind: InboxKind::DocumentsToRead, count: 2, overdue: 0 },
        ];
        let (subject, body) =
            digest("Siti", Date::new(2026, 12, 7).unwrap(), &items, &[], Some("https://mutu.example"));
        assert_eq!(subject, "Mutu: 5 tugas menunggu Anda — Senin, 7 Desember 2026");
        assert!(body.contains("3 RETURN Anda yang masih terbuka (1 lewat tenggat)"), "{body}");
        assert!(body.contains("https://mutu.example/tasks"));
        assert!(body.contains("halaman Akun"));
    }
}
