//! The work dashboard (issue 13, charts 4–7; `GET /api/dashboards/workload`): what waits and how
//! long (the validation backlog and the overdue RETURN follow-ups by age in working days), how
//! RETURNs and disputes end (reopened share; upheld or amended, days to resolve) and what each QC
//! officer did (sheets and validations per working day, strictness, distance from the
//! calibration majority). The server sends counts; these functions make the figures, for the
//! page and for `docs/metrics.md`.

use super::rate::{Rate, hundredths};
use super::scores::{SheetTally, qc_strictness};
use crate::cases::{Bucket, Service};
use crate::dates::Date;
use serde::{Deserialize, Serialize};

/// The age bands of the backlog and of overdue follow-ups, by their first working day: 0–1,
/// 2–3, 4–5, 6–10 and 11 or more working days.
pub const AGE_BANDS: [u32; 5] = [0, 2, 4, 6, 11];

/// How many working days (Monday to Friday) lie after `since` up to and including `today`: a
/// call of today is 0 days old, Friday's is 1 on Monday. `since` after `today` is 0.
pub fn working_days_between(since: Date, today: Date) -> u32 {
    let mut day = since;
    let mut n = 0;
    while day < today {
        day = day.add_days(1);
        if day.is_working_day() {
            n += 1;
        }
    }
    n
}

/// The band of [`AGE_BANDS`] an age in working days falls in.
pub fn age_band(days: u32) -> usize {
    AGE_BANDS.iter().rposition(|first| days >= *first).unwrap_or(0)
}

/// For each band, the latest day whose age at `today` is at least the band's first working day
/// (for band 0, `today`): a row of `day` or earlier is that old or older. The server turns these
/// into instants and counts each band with one `SUM(CASE …)` column.
pub fn band_cutoffs(today: Date) -> [Date; 5] {
    let mut out = [today; 5];
    let mut day = today;
    // age(day − 1) = age(day) + 1 when `day` is a working day.
    let mut age = 0;
    for (band, first) in AGE_BANDS.iter().enumerate() {
        while age < *first {
            if day.is_working_day() {
                age += 1;
            }
            day = day.add_days(-1);
        }
        out[band] = day;
    }
    out
}

/// Counts per band from counts "at least this old" (one per band, non-increasing).
pub fn bands_from_cumulative(at_least: [u64; 5]) -> Vec<u64> {
    (0..5).map(|i| at_least[i].saturating_sub(at_least.get(i + 1).copied().unwrap_or(0))).collect()
}

/// Closed RETURNs of the period's calls and how many of them QC had reopened at least once.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ReopenTally {
    pub closed: u64,
    pub reopened: u64,
}

/// Reopened share: closed RETURNs that QC sent back to the agent at least once, out of closed ones.
pub fn reopened_share(tally: &ReopenTally) -> Rate {
    Rate::new(tally.reopened, tally.closed)
}

/// The disputes of the period's counted sheets: raised, decided either way, and the calendar
/// days from each decided dispute to its decision (site days, summed).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DisputeTally {
    pub disputed: u64,
    pub upheld: u64,
    pub amended: u64,
    /// Σ days from the dispute's site day to the decision's.
    pub days: u64,
}

impl DisputeTally {
    /// Disputes not decided yet.
    pub fn open(&self) -> u64 {
        self.disputed.saturating_sub(self.upheld + self.amended)
    }
}

/// Amended share: decided disputes that changed the sheet, out of decided ones.
pub fn amended_share(tally: &DisputeTally) -> Rate {
    Rate::new(tally.amended, tally.upheld + tally.amended)
}

/// Days to resolve: the mean of the decided disputes' days, two decimals; `None` without any.
pub fn days_to_resolve(tally: &DisputeTally) -> Option<f64> {
    let decided = tally.upheld + tally.amended;
    (decided > 0).then(|| hundredths(i128::from(tally.days) * 100, i128::from(decided)))
}

/// One QC officer's work in the period: the counted sheets they scored (of the period's calls),
/// the agrees they validated, and their calibration answers that differ from their session's
/// majority, out of their answers (closed sessions of the period's calls).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OfficerRow {
    pub id: i64,
    /// The officer's name as it stands.
    pub name: String,
    pub sheets: SheetTally,
    pub validations: u64,
    pub calibration: Rate,
}

impl OfficerRow {
    /// QC strictness against `site` ([`qc_strictness`]).
    pub fn strictness(&self, site: &SheetTally) -> Option<f64> {
        qc_strictness(&self.sheets, site)
    }
}

/// Per working day: `n` over the period's working days so far, two decimals; `None` when the
/// period has none.
pub fn per_working_day(n: u64, working_days: u32) -> Option<f64> {
    (working_days > 0).then(|| hundredths(i128::from(n) * 100, i128::from(working_days)))
}

/// `GET /api/dashboards/workload`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Workload {
    pub from: String,
    pub to: String,
    pub team_id: Option<i64>,
    pub agent_id: Option<i64>,
    pub service: Option<Service>,
    pub bucket: Option<Bucket>,
    /// The site day the ages are counted at.
    pub today: String,
    /// Agrees waiting for validation now, per [`AGE_BANDS`] band of working days since the call.
    pub backlog: Vec<u64>,
    /// RETURN follow-ups past a deadline now (the agent's due date, or QC's verification
    /// deadline once re-cared), per band of working days since the deadline's day.
    pub overdue: Vec<u64>,
    pub returns: ReopenTally,
    pub disputes: DisputeTally,
    /// The period's working days up to today (the denominator of per-day output).
    pub working_days: u32,
    /// The counted sheets of the scope (the site's mean for strictness).
    pub sheets: SheetTally,
    /// QC officers who scored or validated in the scope and period (a QC officer sees only their
    /// own row; team leaders and agents none), by name.
    pub officers: Vec<OfficerRow>,
}

/// The working days of `from..=to` (`to` capped at `today`).
pub fn working_days_in(from: Date, to: Date, today: Date) -> u32 {
    let to = to.min(today);
    if to < from { 0 } else { working_days_between(from.add_days(-1), to) }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(text: &str) -> Date {
        Date::parse(text).unwrap()
    }

    #[test]
    fn ages_count_working_days_after_the_day() {
        // 2026-12-04 is a Friday, 2026-12-07 a Monday.
        assert_eq!(working_days_between(d("2026-12-07"), d("2026-12-07")), 0);
        assert_eq!(working_days_between(d("2026-12-04"), d("2026-12-07")), 1);
        assert_eq!(working_days_between(d("2026-12-05"), d("2026-12-07")), 1, "Saturday's is as old as Friday's");
        assert_eq!(working_days_between(d("2026-12-03"), d("2026-12-07")), 2);
        assert_eq!(working_days_between(d("2026-11-23"), d("2026-12-07")), 10);
        assert_eq!(working_days_between(d("2026-12-08"), d("2026-12-07")), 0);
        assert_eq!(working_days_in(d("2026-12-01"), d("2026-12-31"), d("2026-12-07")), 5);
        assert_eq!(working_days_in(d("2026-12-05"), d("2026-12-06"), d("2026-12-07")), 0);
    }

    #[test]
    fn a_day_is_in_a_band_when_its_cutoff_is_not_before_it() {
        let today = d("2026-12-07");
        let cutoffs = band_cutoffs(today);
        // Every day of the last five weeks: its age's band is the last band whose cutoff it is on or before.
        for back in 0..35 {
            let day = today.add_days(-back);
            let age = working_days_between(day, today);
            let band = cutoffs.iter().rposition(|c| day <= *c).unwrap();
            assert_eq!(band, age_band(age), "{day}: {age} working days");
        }
        assert_eq!(age_band(0), 0);
        assert_eq!(age_band(1), 0);
        assert_eq!(age_band(3), 1);
        assert_eq!(age_band(10), 3);
        assert_eq!(age_band(400), 4);
        assert_eq!(bands_from_cumulative([10, 6, 6, 2, 1]), [4, 0, 4, 1, 1]);
    }

    #[test]
    fn dispute_and_return_figures() {
        let t = DisputeTally { disputed: 5, upheld: 2, amended: 1, days: 7 };
        assert_eq!(t.open(), 2);
        assert_eq!(amended_share(&t).percent(), Some(33.33));
        assert_eq!(days_to_resolve(&t), Some(2.33));
        assert_eq!(days_to_resolve(&DisputeTally::default()), None);
        assert_eq!(reopened_share(&ReopenTally { closed: 4, reopened: 1 }).percent(), Some(25.0));
        assert_eq!(per_working_day(7, 5), Some(1.4));
        assert_eq!(per_working_day(7, 0), None);
        let officer = OfficerRow {
            id: 1,
            name: "a".into(),
            sheets: SheetTally { sheets: 2, fatal: 0, score_hundredths: 16_000 },
            validations: 0,
            calibration: Rate::default(),
        };
        let site = SheetTally { sheets: 4, fatal: 0, score_hundredths: 34_000 };
        assert_eq!(officer.strictness(&site), Some(-5.0));
    }
}
