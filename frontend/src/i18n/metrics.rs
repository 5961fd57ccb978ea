//! The names and help texts of the dashboards' metrics (`domain::metrics`, defined in words in
//! `docs/metrics.md`): their key set, in Bahasa Indonesia and English, and the helper that picks
//! them by an exhaustive match, so a new metric does not compile until it is worded.

use super::K;
use domain::metrics::Metric;

/// This area's keys, added to the ones gathered so far; then the next area's macro (the last
/// is `table!`, which makes the one `K` enum).
macro_rules! metrics_keys {
    ([$next:ident $($rest:ident)*] $($acc:tt)*) => {
        $next! { [$($rest)*] $($acc)*
        // Metrics of the dashboards: a name and a help text each
        MetricAverageScore => "Rata-rata skor", "Average score";
        MetricAverageScoreHelp => "Rata-rata skor lembar penilaian F-18 yang sudah dikirim, untuk call dalam periode. Lembar dengan parameter fatal yang gagal bernilai 0. Draf dan lembar kalibrasi tidak dihitung.",
            "The mean score of the submitted F-18 sheets of the calls in the period. A sheet with a failed fatal parameter scores 0. Drafts and calibration sheets are not counted.";
        MetricFatalRate => "Tingkat fatal", "Fatal rate";
        MetricFatalRateHelp => "Lembar F-18 dengan sedikitnya satu parameter fatal yang gagal, dibagi semua lembar yang dihitung.",
            "F-18 sheets with at least one failed fatal parameter, out of all counted sheets.";
        MetricParameterFailRate => "Tingkat gagal parameter", "Parameter fail rate";
        MetricParameterFailRateHelp => "Untuk satu parameter: jawaban gagal dibagi jawaban lulus dan gagal. Jawaban N/A tidak dihitung; parameter yang hanya dijawab N/A tidak punya angka.",
            "For one parameter: failed answers out of passed and failed ones. N/A answers are left out; a parameter only ever answered N/A has no rate.";
        MetricApprovalRate => "Tingkat APPROVED", "Approval rate";
        MetricApprovalRateHelp => "Agree yang divalidasi APPROVED dibagi semua agree yang sudah divalidasi (APPROVED dan RETURN). Agree yang belum divalidasi tidak dihitung.",
            "Agrees validated APPROVED out of all validated agrees (APPROVED and RETURN). Agrees not validated yet are not counted.";
        MetricReturnRate => "Tingkat RETURN", "RETURN rate";
        MetricReturnRateHelp => "Agree yang divalidasi RETURN dibagi semua agree yang sudah divalidasi. Bersama tingkat APPROVED jumlahnya 100 %.",
            "Agrees validated RETURN out of all validated agrees. With the approval rate it makes 100 %.";
        MetricReturnOnTime => "RETURN selesai tepat waktu", "RETURNs closed on time";
        MetricReturnOnTimeHelp => "RETURN yang ditutup dengan semua tenggat terpenuhi (setiap caring ulang agent dicatat sebelum jatuh temponya dan setiap verifikasi QC sebelum tenggat QC), dibagi semua RETURN yang sudah ditutup. RETURN yang masih berjalan tidak dihitung.",
            "RETURNs closed with every deadline kept (each re-care recorded by the agent's due date of its round and each QC verification by QC's deadline), out of all closed RETURNs. RETURNs still in progress are not counted.";
        MetricDisputeRate => "Tingkat sanggahan", "Dispute rate";
        MetricDisputeRateHelp => "Lembar F-18 yang disanggah agent dibagi lembar yang sudah ditanggapi agent (diterima atau disanggah). Lembar yang belum ditanggapi tidak dihitung.",
            "F-18 sheets the agent disputed, out of the sheets the agent has answered (acknowledged or disputed). Sheets not answered yet are not counted.";
        MetricQcStrictness => "Ketegasan QC", "QC strictness";
        MetricQcStrictnessHelp => "Rata-rata skor yang diberikan petugas QC dikurangi rata-rata skor seluruh site pada periode dan filter yang sama, dalam poin. Negatif: petugas ini menilai lebih ketat dari rata-rata; positif: lebih longgar.",
            "The QC officer's average score minus the whole site's over the same period and filter, in points. Negative: this officer scores more strictly than the site; positive: more leniently.";
        // The landing page's overview
        OverviewSite => "Ikhtisar mutu site", "Site quality overview";
        OverviewTeam => "Ikhtisar mutu tim", "Team quality overview";
        OverviewMine => "Ikhtisar mutu saya", "My quality overview";
        ComparedWith => "{0}, dibandingkan dengan {1}.", "{0}, compared with {1}.";
        TrendTwelveMonths => "tren 12 bulan", "12-month trend";
        CountedOf => "dari {0}", "of {0}";
        TeamFigure => "tim {0}", "team {0}";
        SeeCases => "lihat agree", "see agrees";
        SeeSheets => "lihat lembar", "see sheets";
        DrillFiltered => "Disaring seperti angka di ikhtisar.", "Filtered as the overview's figure.";
        ClearDrill => "Hapus saringan ini", "Clear this filter";
        PendingOldest => "Agree menunggu validasi (tertua: {0})", "Agrees waiting for validation (oldest: {0})";
        TrendTable => "Angka per bulan (12 bulan)", "Figures by month (12 months)";
        MonthLabel => "Bulan", "Month";
        // The overview's charts
        BreakdownTitle => "Perbandingan antarkelompok", "Comparison by group";
        FigureLabel => "Angka", "Figure";
        BreakdownTable => "Keenam angka per kelompok", "All six figures by group";
        HeatmapTitle => "Tingkat gagal per parameter", "Fail rate by parameter";
        HeatmapHelp => "Makin merah makin sering gagal; ▲ tiga sel terburuk (≥ 5 jawaban).", "The redder, the more failed; ▲ the three worst cells (≥ 5 answers).";
        FailedOf => "{0} gagal dari {1} jawaban", "{0} failed of {1} answers";
        WorkloadTitle => "Antrean dan penyelesaian", "Queues and how work ends";
        KeepRatesTitle => "Janji bayar ditepati menurut hasil QC", "Promises kept by QC's outcome";
        KeepRatesHelp => "Agree dari call periode ini menurut keputusan QC. Tingkat tepat janji = ditepati / (ditepati + diingkari). Bila agree APPROVED lebih sering ditepati daripada yang di-RETURN, validasi QC memprediksi pembayaran.",
            "The agrees of the period's calls by QC's decision. Keep rate = kept / (kept + broken). When APPROVED agrees are kept more often than RETURNed ones, QC's validation predicts payment.";
        AgeHelp => "Umur dalam hari kerja (Senin–Jumat) per hari ini: agree sejak hari call-nya, tindak lanjut sejak hari tenggat yang terlewat. Sanggahan, RETURN yang ditutup, dan petugas QC: call dalam periode.",
            "Ages in working days (Monday–Friday) as of today: an agree's since its call's day, a follow-up's since the day of the deadline it missed. Disputes, closed RETURNs and QC officers: the calls of the period.";
        WorkingDays => "{0} hari kerja", "{0} working days";
        BacklogByAge => "Agree menunggu validasi, menurut umur", "Agrees waiting for validation, by age";
        WaitingNow => "{0} agree menunggu sekarang", "{0} agrees waiting now";
        OverdueByAge => "Tindak lanjut RETURN lewat tenggat, menurut umur", "RETURN follow-ups past a deadline, by age";
        ReopenedOf => "Dibuka ulang oleh QC: {0} dari {1} RETURN yang ditutup ({2})", "Reopened by QC: {0} of {1} closed RETURNs ({2})";
        DisputesTitle => "Sanggahan menurut keputusan", "Disputes by outcome";
        DisputeOpen => "Belum diputuskan", "Not decided yet";
        DaysToResolve => "Rata-rata {0} hari sampai diputuskan; jawaban diubah pada {1} keputusan", "{0} days to a decision on average; answers amended in {1} of decisions";
        OfficersTitle => "Petugas QC", "QC officers";
        OfficersHelp => "Per hari kerja periode ({1} hari). Ketegasan: rata-rata skor petugas dikurangi rata-rata cakupan ini ({0}); negatif = lebih ketat. Beda dari mayoritas: jawaban kalibrasi yang berbeda dari jawaban terbanyak sesinya.",
            "Per working day of the period ({1} days). Strictness: the officer's average score minus this scope's ({0}); negative = stricter. Differs from majority: calibration answers unlike their session's most common answer.";
        SheetsPerDay => "Lembar per hari", "Sheets per day";
        ValidationsPerDay => "Validasi per hari", "Validations per day";
        CalibrationDistance => "Beda dari mayoritas kalibrasi", "Differs from calibration majority";
        }
    };
}

/// A metric's name and help text.
pub fn metric_keys(metric: Metric) -> (K, K) {
    match metric {
        Metric::AverageScore => (K::MetricAverageScore, K::MetricAverageScoreHelp),
        Metric::FatalRate => (K::MetricFatalRate, K::MetricFatalRateHelp),
        Metric::ParameterFailRate => (K::MetricParameterFailRate, K::MetricParameterFailRateHelp),
        Metric::ApprovalRate => (K::MetricApprovalRate, K::MetricApprovalRateHelp),
        Metric::ReturnRate => (K::MetricReturnRate, K::MetricReturnRateHelp),
        Metric::ReturnOnTime => (K::MetricReturnOnTime, K::MetricReturnOnTimeHelp),
        Metric::DisputeRate => (K::MetricDisputeRate, K::MetricDisputeRateHelp),
        Metric::QcStrictness => (K::MetricQcStrictness, K::MetricQcStrictnessHelp),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::{Lang, t};
    use std::collections::HashSet;

    #[test]
    fn every_metric_has_its_own_name_and_help_in_both_languages() {
        let mut seen = HashSet::new();
        for metric in Metric::ALL {
            let (name, help) = metric_keys(metric);
            assert!(seen.insert(name) && seen.insert(help), "{metric:?} shares a key");
            for lang in [Lang::Id, Lang::En] {
                assert!(t(lang, help).len() > t(lang, name).len(), "{metric:?}: the help says more than the name");
            }
        }
        assert_eq!(t(Lang::Id, metric_keys(Metric::DisputeRate).0), "Tingkat sanggahan");
    }
}
