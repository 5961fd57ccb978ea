//! The one filter of every dashboard: a period (months or days of the site calendar), a team, a
//! service and a bucket, checked into a [`DashboardScope`] with field problems the browser
//! words as it words every other (`invalid_date`, `before_from`, `period_too_long`, …). "Today"
//! is given by the caller (the site day, `site_time` on the server, `/api/site` in the
//! browser): this crate has no clock.

use super::period::{Period, check_month};
use crate::cases::{Bucket, Service};
use crate::dates::{Date, check_day};
use crate::limits::DASHBOARD_MAX_MONTHS;
use crate::problems::Problem;
use crate::validation::FieldErrors;
use serde::{Deserialize, Serialize};

/// A dashboard's query (`?from=2026-01&to=2026-03&team_id=2&service=CT0&bucket=N2`). Every
/// field may be absent or empty (a cleared form field): no filter, or the default period.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams), into_params(parameter_in = Query))]
pub struct DashboardFilter {
    /// The first day: `YYYY-MM-DD`, or `YYYY-MM` for the month's first day. Absent: the first
    /// day of `to`'s month (of this month without `to`).
    #[serde(default)]
    pub from: Option<String>,
    /// The last day: `YYYY-MM-DD`, or `YYYY-MM` for the month's last day. Absent: today (or
    /// `from` if that is later). At most [`DASHBOARD_MAX_MONTHS`] months after `from`.
    #[serde(default)]
    pub to: Option<String>,
    #[serde(default)]
    pub team_id: Option<i64>,
    /// `CT0` or `PRANPC` (also as exports spell them: `CT-0`).
    #[serde(default)]
    pub service: Option<String>,
    /// `N`, `N1` or `N2` (also `N+1`); with a service, one the SOP gives it.
    #[serde(default)]
    pub bucket: Option<String>,
}

/// A checked [`DashboardFilter`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DashboardScope {
    /// Never past today: a month still running is read so far, and compared with the same days
    /// of the month before ([`Period::previous`]).
    pub period: Period,
    pub team_id: Option<i64>,
    pub service: Option<Service>,
    pub bucket: Option<Bucket>,
}

/// A bound of the period: a day, or a month's first (`end` false) or last (`end` true) day.
fn bound(text: &str, end: bool) -> Result<Date, Problem> {
    if text.len() == 7 {
        let month = check_month(text)?;
        Ok(if end { month.last_day() } else { month.first_day() })
    } else {
        check_day(text)
    }
}

fn given(text: &Option<String>) -> Option<&str> {
    text.as_deref().filter(|t| !t.trim().is_empty())
}

impl DashboardFilter {
    /// Checks every field and reports each bad one: `from` and `to` (`invalid_date`,
    /// `out_of_range`, `before_from`, `period_too_long` — on `from` when `to` was left to its
    /// default), `team_id` (`out_of_range`), `service` (`unknown_service`), `bucket`
    /// (`unknown_bucket`, also for a bucket the SOP does not give the service, which would
    /// match nothing). Without a period: this month up to `today`.
    pub fn check(&self, today: Date) -> Result<DashboardScope, FieldErrors> {
        let mut errors = FieldErrors::new();
        let mut put = |field: &str, problem: Problem| {
            errors.insert(field.to_owned(), problem.into());
        };
        let from = given(&self.from).map(|t| bound(t, false)).transpose();
        let to = given(&self.to).map(|t| bound(t, true)).transpose();
        let mut period = None;
        match (from, to) {
            (Err(problem), to) => {
                put("from", problem);
                if let Err(problem) = to {
                    put("to", problem);
                }
            }
            (Ok(_), Err(problem)) => put("to", problem),
            (Ok(from), Ok(to)) => {
                let first = from.unwrap_or(Date { day: 1, ..to.unwrap_or(today) });
                let last = to.unwrap_or(today.max(first));
                let blamed = if to.is_some() { "to" } else { "from" };
                if last < first {
                    put("to", Problem::BeforeFrom);
                } else if last >= first.add_months(DASHBOARD_MAX_MONTHS) {
                    put(blamed, Problem::PeriodTooLong);
                } else {
                    period = Some(Period { from: first, to: last.min(today).max(first) });
                }
            }
        }
        if self.team_id.is_some_and(|id| !(1..=i64::from(i32::MAX)).contains(&id)) {
            put("team_id", Problem::OutOfRange);
        }
        let service = given(&self.service).map(|t| Service::parse(t).ok_or(Problem::UnknownService)).transpose();
        let bucket = given(&self.bucket).map(|t| Bucket::parse(t).ok_or(Problem::UnknownBucket)).transpose();
        let service = service.unwrap_or_else(|problem| {
            put("service", problem);
            None
        });
        let bucket = match bucket {
            Ok(Some(b)) if service.is_some_and(|s| !s.serves(b)) => {
                put("bucket", Problem::UnknownBucket);
                None
            }
            Ok(b) => b,
            Err(problem) => {
                put("bucket", problem);
                None
            }
        };
        match period {
            Some(period) if errors.is_empty() => Ok(DashboardScope { period, team_id: self.team_id, service, bucket }),
            _ => Err(errors),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(text: &str) -> Date {
        Date::parse(text).unwrap()
    }

    fn filter(from: &str, to: &str) -> DashboardFilter {
        let text = |t: &str| (!t.is_empty()).then(|| t.to_owned());
        DashboardFilter { from: text(from), to: text(to), ..DashboardFilter::default() }
    }

    const TODAY: &str = "2026-12-07";

    fn period(from: &str, to: &str) -> Result<(Date, Date), FieldErrors> {
        filter(from, to).check(d(TODAY)).map(|scope| (scope.period.from, scope.period.to))
    }

    fn problems(f: &DashboardFilter) -> Vec<(String, String)> {
        f.check(d(TODAY)).unwrap_err().into_iter().collect()
    }

    fn one(field: &str, problem: Problem) -> Vec<(String, String)> {
        vec![(field.to_owned(), problem.as_str().to_owned())]
    }

    #[test]
    fn without_a_period_it_is_this_month_so_far() {
        assert_eq!(period("", ""), Ok((d("2026-12-01"), d(TODAY))));
        let blank = DashboardFilter { from: Some(" ".into()), to: Some(String::new()), ..DashboardFilter::default() };
        assert_eq!(blank.check(d(TODAY)).map(|s| s.period.from), Ok(d("2026-12-01")), "cleared fields");
        assert_eq!(period("2026-11-15", ""), Ok((d("2026-11-15"), d(TODAY))));
        assert_eq!(period("", "2026-10-20"), Ok((d("2026-10-01"), d("2026-10-20"))));
        assert_eq!(period("", "2026-10"), Ok((d("2026-10-01"), d("2026-10-31"))));
    }

    #[test]
    fn months_and_days_both_bound_a_period() {
        assert_eq!(period("2026-01", "2026-03"), Ok((d("2026-01-01"), d("2026-03-31"))));
        assert_eq!(period("2024-02", "2024-02"), Ok((d("2024-02-01"), d("2024-02-29"))));
        assert_eq!(period("2026-01-10", "2026-02"), Ok((d("2026-01-10"), d("2026-02-28"))));
        assert_eq!(period("2026-03-05", "2026-03-05"), Ok((d("2026-03-05"), d("2026-03-05"))));
    }

    #[test]
    fn a_period_is_never_read_past_today() {
        assert_eq!(period("2026-12", "2026-12"), Ok((d("2026-12-01"), d(TODAY))));
        assert_eq!(period("2026-11", "2027-01"), Ok((d("2026-11-01"), d(TODAY))));
        // Wholly to come: kept as asked (it is empty; no day of it is before today).
        assert_eq!(period("2027-02", ""), Ok((d("2027-02-01"), d("2027-02-01"))));
    }

    #[test]
    fn bad_dates_are_field_problems() {
        assert_eq!(problems(&filter("2026-13", "")), one("from", Problem::InvalidDate));
        assert_eq!(problems(&filter("", "2026-02-30")), one("to", Problem::InvalidDate));
        assert_eq!(problems(&filter("01/12/2026", "")), one("from", Problem::InvalidDate));
        assert_eq!(problems(&filter("1899-12", "")), one("from", Problem::OutOfRange));
        assert_eq!(
            problems(&filter("x", "1800-01-01")),
            vec![("from".into(), "invalid_date".into()), ("to".into(), "out_of_range".into())]
        );
        assert_eq!(problems(&filter("2026-03", "2026-02-28")), one("to", Problem::BeforeFrom));
    }

    #[test]
    fn a_period_is_at_most_twenty_four_months() {
        assert_eq!(DASHBOARD_MAX_MONTHS, 24);
        assert_eq!(period("2024-01", "2025-12"), Ok((d("2024-01-01"), d("2025-12-31"))));
        assert_eq!(period("2024-01-31", "2026-01-30"), Ok((d("2024-01-31"), d("2026-01-30"))));
        assert_eq!(problems(&filter("2024-01", "2026-01")), one("to", Problem::PeriodTooLong));
        assert_eq!(problems(&filter("2024-01-31", "2026-01-31")), one("to", Problem::PeriodTooLong));
        // Without `to` the period runs to today: too long is `from`'s fault.
        assert_eq!(problems(&filter("2024-12-07", "")), one("from", Problem::PeriodTooLong));
        assert_eq!(period("2024-12-08", ""), Ok((d("2024-12-08"), d(TODAY))));
        // Asked beyond 24 months, even if today cuts it shorter.
        assert_eq!(problems(&filter("2025-01", "2027-12")), one("to", Problem::PeriodTooLong));
    }

    #[test]
    fn team_service_and_bucket_are_checked() {
        let f = DashboardFilter {
            team_id: Some(3),
            service: Some("ct-0".into()),
            bucket: Some("N+2".into()),
            ..DashboardFilter::default()
        };
        let scope = f.check(d(TODAY)).unwrap();
        assert_eq!((scope.team_id, scope.service, scope.bucket), (Some(3), Some(Service::Ct0), Some(Bucket::N2)));
        let bad = DashboardFilter {
            team_id: Some(0),
            service: Some("CT-9".into()),
            bucket: Some("N+3".into()),
            ..DashboardFilter::default()
        };
        assert_eq!(
            problems(&bad),
            vec![
                ("bucket".into(), "unknown_bucket".into()),
                ("service".into(), "unknown_service".into()),
                ("team_id".into(), "out_of_range".into()),
            ]
        );
        assert_eq!(
            problems(&DashboardFilter { team_id: Some(i64::from(i32::MAX) + 1), ..DashboardFilter::default() }),
            one("team_id", Problem::OutOfRange)
        );
        let mismatch =
            DashboardFilter { service: Some("CT0".into()), bucket: Some("N".into()), ..DashboardFilter::default() };
        assert_eq!(problems(&mismatch), one("bucket", Problem::UnknownBucket), "CT-0 serves N+2 only");
        let blank = DashboardFilter { service: Some(String::new()), bucket: Some(String::new()), ..Default::default() };
        let scope = blank.check(d(TODAY)).unwrap();
        assert_eq!((scope.service, scope.bucket), (None, None));
    }

    #[test]
    fn it_reads_from_a_query_string() {
        let f: DashboardFilter =
            serde_json::from_str(r#"{"from":"2026-01","team_id":2,"service":"PRANPC","bucket":"N1"}"#).unwrap();
        let scope = f.check(d(TODAY)).unwrap();
        assert_eq!(scope.period.from, d("2026-01-01"));
        assert_eq!(scope.bucket, Some(Bucket::N1));
        assert_eq!(serde_json::from_str::<DashboardFilter>("{}").unwrap(), DashboardFilter::default());
    }
}
