//! The strings of the audit trail: their key set, in Bahasa Indonesia and English.

/// This area's keys, added to the ones gathered so far; then the next area's macro (the last
/// is `table!`, which makes the one `K` enum).
macro_rules! audit_keys {
    ([$next:ident $($rest:ident)*] $($acc:tt)*) => {
        $next! { [$($rest)*] $($acc)*
        // Audit
        AuditTitle => "Jejak audit", "Audit trail";
        AuditIntro => "Log setiap perubahan status, hanya dapat ditambah. Setiap entri terantai dengan hash entri sebelumnya.",
            "An append-only log of every change of state. Each entry is chained to the previous one by hash.";
        VerifyChain => "Verifikasi rantai", "Verify chain";
        Verifying => "Memverifikasi…", "Verifying…";
        ChainOk => "Rantai utuh: {0} entri terverifikasi.", "Chain intact: {0} entries verified.";
        ChainBroken => "Rantai rusak: entri #{0} tidak cocok dengan hash-nya. {1} entri diperiksa.",
            "Chain broken: entry #{0} does not match its hash. {1} entries checked.";
        ChainBrokenUnknown => "Rantai rusak. {0} entri diperiksa.", "Chain broken. {0} entries checked.";
        ChainHead => "Hash terakhir", "Head hash";
        ChainEmpty => "Belum ada entri.", "No entries yet.";
        Seq => "No.", "Seq";
        Time => "Waktu", "Time";
        Actor => "Pelaku", "Actor";
        AuditAction => "Aksi", "Action";
        Entity => "Objek", "Entity";
        Details => "Rincian", "Details";
        SystemActor => "sistem", "system";
        AnchorTitle => "Jangkar rantai", "Chain anchor";
        AnchorExplain => "Saat mulai dan setiap {0} menit, server menandatangani kepala rantai dengan kunci audit dan menyimpannya di log server serta di berkas jangkar di luar basis data, sehingga log yang dipotong tetap ketahuan.",
            "At start and every {0} minutes the server signs the chain's head with the audit key and keeps it in the server log and in an anchor file outside the database, so a log cut short is still found out.";
        AnchorLatest => "Jangkar terakhir: entri #{0}, ditandatangani {1}.", "Latest anchor: entry #{0}, signed {1}.";
        AnchorNone => "Belum ada jangkar: server belum menandatangani kepala rantai.", "No anchor yet: the server has not signed the chain's head.";
        AnchorMatches => "Rantai masih cocok dengan jangkar ini.", "The chain still matches this anchor.";
        AnchorNoMatch => "Rantai tidak cocok lagi dengan jangkar ini: entri telah dihapus atau diganti.",
            "The chain no longer matches this anchor: entries were removed or replaced.";
        AnchorHeadSeq => "Kepala rantai saat ini: entri #{0}.", "The chain's head now: entry #{0}.";
        AnchorHash => "Hash yang ditandatangani", "Signed hash";
        ChainCheckedAgainst => "Diperiksa terhadap jangkar entri #{0} ({1}): {2}", "Checked against the anchor of entry #{0} ({1}): {2}";
        ChainAnchorOk => "cocok.", "matches.";
        ChainAnchorBad => "tidak cocok.", "does not match.";
        ChainKeyedFrom => "Entri sejak #{0} dikunci dengan HMAC; {1} entri sebelumnya dibuat sebelum rantai dikunci, tetap memakai SHA-256 biasa, dan dijamin oleh catatan rantai.",
            "Entries from #{0} on are keyed (HMAC); the {1} earlier ones were written before the chain was keyed, keep their plain SHA-256 and are pinned by the chain record.";
        ProblemEntryMismatch => "Entri #{0} tidak cocok dengan hash berkuncinya atau dengan entri sebelumnya: entri itu diubah.",
            "Entry #{0} does not match its keyed hash or the entry before it: it was changed.";
        ProblemHeadMismatch => "Penanda kepala rantai tidak menunjuk entri terakhir.", "The chain's head marker does not name the last entry.";
        ProblemEntriesMissing => "Entri sejak #{0} hilang: catatan rantai menjamin entri yang lebih banyak.",
            "Entries from #{0} on are missing: the chain record vouches for more.";
        ProblemChainRecord => "Catatan rantai (sejak entri mana rantai dikunci) hilang atau tidak sah.",
            "The chain record (from which entry on the chain is keyed) is missing or not valid.";
        ProblemAnchorPastHead => "Log dipotong: jangkar entri #{0} menandatangani entri yang kini tidak ada; rantai berakhir di entri #{1}.",
            "The log was cut back: the anchor of entry #{0} signed an entry that is gone; the chain ends at entry #{1}.";
        ProblemAnchorMismatch => "Entri #{0} bukan lagi entri yang ditandatangani jangkarnya: entri dihapus lalu ditulis ulang.",
            "Entry #{0} is no longer the one its anchor signed: entries were removed and written anew.";
        }
    };
}
