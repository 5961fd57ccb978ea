//! The dashboards' endpoints (issue 13), and the filter they share, kept in the page's address.

use super::with_query;
use domain::cases::{Bucket, Service};
use domain::metrics::{
    Breakdown, BreakdownRow, Dimension, DisputeTally, Heatmap, HeatmapCell, HeatmapColumn, HeatmapParameter,
    OfficerRow, Overview, ParameterTally, Rate, ReopenTally, ResponseTally, ReturnTally, SheetTally, Tallies,
    TrendPoint, ValidationTally, Waiting, Workload,
};
use serde_json::Value;

/// The dashboards' one filter (`domain::metrics::DashboardFilter` on the server): months or days,
/// a team, a service, a bucket; absent fields are no filter (the period: this month so far).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct BoardFilter {
    pub from: Option<String>,
    pub to: Option<String>,
    pub team_id: Option<i64>,
    pub service: Option<String>,
    pub bucket: Option<String>,
}

impl BoardFilter {
    fn pairs(&self) -> [(&'static str, Option<String>); 5] {
        [
            ("from", self.from.clone()),
            ("to", self.to.clone()),
            ("team_id", self.team_id.map(|t| t.to_string())),
            ("service", self.service.clone()),
            ("bucket", self.bucket.clone()),
        ]
    }

    /// The query string (without `?`), as the API and the page's address take it.
    pub fn to_query(&self) -> String {
        with_query("", &self.pairs()).trim_start_matches('?').to_owned()
    }

    /// The filter of a page address's query; unknown keys are ignored.
    pub fn from_query(query: &str) -> BoardFilter {
        let mut f = BoardFilter::default();
        for (key, value) in super::query_pairs(query) {
            let value = (!value.is_empty()).then(|| value.to_owned());
            match key {
                "from" => f.from = value,
                "to" => f.to = value,
                "team_id" => f.team_id = value.and_then(|v| v.parse().ok()),
                "service" => f.service = value,
                "bucket" => f.bucket = value,
                _ => {}
            }
        }
        f
    }
}

impl BoardFilter {
    /// `GET` path of a dashboard (`/api/dashboards/overview`) with this filter and `extra` pairs.
    pub fn path(&self, dashboard: &str, extra: &[(&'static str, Option<String>)]) -> String {
        let mut pairs = self.pairs().to_vec();
        pairs.extend_from_slice(extra);
        with_query(&format!("/api/dashboards/{dashboard}"), &pairs)
    }
}

// The dashboards' answers are read by hand, every field required. serde's derived readers of the
// overview's nine structs cost the bundle some 4 KB brotli, more than the dashboard's own code;
// the tests below read back exactly what the server's types write, so a renamed field fails them.

fn n(v: &Value, key: &str) -> Option<u64> {
    v.get(key)?.as_u64()
}
fn text(v: &Value, key: &str) -> Option<String> {
    v.get(key)?.as_str().map(str::to_owned)
}
fn maybe<T>(v: &Value, key: &str, read: impl Fn(&Value) -> Option<T>) -> Option<Option<T>> {
    match v.get(key)? {
        Value::Null => Some(None),
        present => read(present).map(Some),
    }
}
fn sheet_tally(s: &Value) -> Option<SheetTally> {
    Some(SheetTally { sheets: n(s, "sheets")?, fatal: n(s, "fatal")?, score_hundredths: n(s, "score_hundredths")? })
}
fn tallies(v: &Value) -> Option<Tallies> {
    let (s, r, a, c) = (v.get("sheets")?, v.get("responses")?, v.get("validations")?, v.get("returns")?);
    Some(Tallies {
        sheets: sheet_tally(s)?,
        responses: ResponseTally { acknowledged: n(r, "acknowledged")?, disputed: n(r, "disputed")? },
        validations: ValidationTally { approved: n(a, "approved")?, returned: n(a, "returned")? },
        returns: ReturnTally {
            closed: n(c, "closed")?,
            closed_in_time: n(c, "closed_in_time")?,
            recared_in_time: n(c, "recared_in_time")?,
            verified_in_time: n(c, "verified_in_time")?,
        },
    })
}

fn list<T>(v: &Value, key: &str, read: impl Fn(&Value) -> Option<T>) -> Option<Vec<T>> {
    v.get(key)?.as_array()?.iter().map(read).collect()
}

/// The fields every dashboard answer repeats: its period and scope.
struct Scoped {
    by: Dimension,
    from: String,
    to: String,
    team_id: Option<i64>,
    agent_id: Option<i64>,
    service: Option<Service>,
    bucket: Option<Bucket>,
}

/// The page knows the scope it asked for (the overview's answer): only the grouping and the
/// period are read, the rest left empty.
fn scoped(v: &Value) -> Option<Scoped> {
    Some(Scoped {
        by: v.get("by")?.as_str()?.parse().ok()?,
        from: text(v, "from")?,
        to: text(v, "to")?,
        team_id: None,
        agent_id: None,
        service: None,
        bucket: None,
    })
}

/// Reads a [`Breakdown`] by hand, as [`read_overview`].
pub fn read_breakdown(v: &Value) -> Option<Breakdown> {
    let Scoped { by, from, to, team_id, agent_id, service, bucket } = scoped(v)?;
    let rows = list(v, "rows", |r| {
        Some(BreakdownRow { key: text(r, "key")?, label: text(r, "label")?, tallies: tallies(r.get("tallies")?)? })
    })?;
    Some(Breakdown { by, from, to, team_id, agent_id, service, bucket, rows })
}

/// Reads a [`Heatmap`] by hand, as [`read_overview`].
pub fn read_heatmap(v: &Value) -> Option<Heatmap> {
    let Scoped { by, from, to, team_id, agent_id, service, bucket } = scoped(v)?;
    let columns = list(v, "columns", |c| Some(HeatmapColumn { key: text(c, "key")?, label: text(c, "label")? }))?;
    let parameters = list(v, "parameters", |p| {
        Some(HeatmapParameter { key: text(p, "key")?, label: text(p, "label")?, fatal: p.get("fatal")?.as_bool()? })
    })?;
    let cells = list(v, "cells", |c| {
        let t = c.get("tally")?;
        Some(HeatmapCell {
            parameter: text(c, "parameter")?,
            column: text(c, "column")?,
            tally: ParameterTally { pass: n(t, "pass")?, fail: n(t, "fail")?, na: n(t, "na")? },
        })
    })?;
    Some(Heatmap { by, from, to, team_id, agent_id, service, bucket, columns, parameters, cells })
}

/// Reads a [`Workload`] by hand, as [`read_overview`] (the scope left empty, as a breakdown's).
/// The keep-rate report (`GET /api/reports/promises`), as the board's panel reads it.
pub fn read_promises(v: &Value) -> Option<domain::promises::PromiseReport> {
    use domain::promises::{PromiseCounts, PromiseReport, PromiseReportRow};
    let counts = |c: &Value| {
        Some(PromiseCounts {
            kept: n(c, "kept")?,
            broken: n(c, "broken")?,
            pending: n(c, "pending")?,
            keep_rate: c.get("keep_rate")?.as_f64(),
        })
    };
    Some(PromiseReport {
        rows: list(v, "rows", |r| {
            Some(PromiseReportRow { key: text(r, "key")?, label: text(r, "label")?, counts: counts(r)? })
        })?,
        totals: counts(v.get("totals")?)?,
        threshold_pct: n(v, "threshold_pct")? as u32,
        grace_days: n(v, "grace_days")? as u32,
    })
}

pub fn read_workload(v: &Value) -> Option<Workload> {
    let counts = |key: &str| list(v, key, Value::as_u64);
    let (r, d) = (v.get("returns")?, v.get("disputes")?);
    Some(Workload {
        from: text(v, "from")?,
        to: text(v, "to")?,
        team_id: None,
        agent_id: None,
        service: None,
        bucket: None,
        today: text(v, "today")?,
        backlog: counts("backlog")?,
        overdue: counts("overdue")?,
        returns: ReopenTally { closed: n(r, "closed")?, reopened: n(r, "reopened")? },
        disputes: DisputeTally {
            disputed: n(d, "disputed")?,
            upheld: n(d, "upheld")?,
            amended: n(d, "amended")?,
            days: n(d, "days")?,
        },
        working_days: u32::try_from(n(v, "working_days")?).ok()?,
        sheets: sheet_tally(v.get("sheets")?)?,
        officers: list(v, "officers", |o| {
            let c = o.get("calibration")?;
            Some(OfficerRow {
                id: o.get("id")?.as_i64()?,
                name: text(o, "name")?,
                sheets: sheet_tally(o.get("sheets")?)?,
                validations: n(o, "validations")?,
                calibration: Rate::new(n(c, "num")?, n(c, "den")?),
            })
        })?,
    })
}

/// Reads an [`Overview`] by hand.
pub fn read_overview(v: &Value) -> Option<Overview> {
    let w = v.get("waiting")?;
    Some(Overview {
        from: text(v, "from")?,
        to: text(v, "to")?,
        previous_from: text(v, "previous_from")?,
        previous_to: text(v, "previous_to")?,
        team_id: maybe(v, "team_id", Value::as_i64)?,
        agent_id: maybe(v, "agent_id", Value::as_i64)?,
        service: maybe(v, "service", |s| s.as_str()?.parse().ok())?,
        bucket: maybe(v, "bucket", |b| b.as_str()?.parse().ok())?,
        current: tallies(v.get("current")?)?,
        previous: tallies(v.get("previous")?)?,
        trend: v
            .get("trend")?
            .as_array()?
            .iter()
            .map(|p| Some(TrendPoint { month: text(p, "month")?, tallies: tallies(p.get("tallies")?)? }))
            .collect::<Option<Vec<_>>>()?,
        team: maybe(v, "team", tallies)?,
        waiting: Waiting {
            pending_agrees: n(w, "pending_agrees")?,
            oldest_pending_day: maybe(w, "oldest_pending_day", |d| d.as_str().map(str::to_owned))?,
            open_returns: n(w, "open_returns")?,
            overdue_returns: n(w, "overdue_returns")?,
            recared_returns: n(w, "recared_returns")?,
        },
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_filter_goes_through_the_address_unchanged() {
        let filter = BoardFilter {
            from: Some("2026-01".into()),
            to: Some("2026-03".into()),
            team_id: Some(2),
            service: Some("PRANPC".into()),
            bucket: None,
        };
        assert_eq!(filter.to_query(), "from=2026-01&to=2026-03&team_id=2&service=PRANPC");
        assert_eq!(BoardFilter::from_query(&format!("?{}", filter.to_query())), filter);
        assert_eq!(BoardFilter::from_query("?utm=x&team_id=abc&from="), BoardFilter::default());
    }

    #[test]
    fn the_overview_is_read_back_exactly_as_the_server_writes_it() {
        let tally = Tallies {
            sheets: SheetTally { sheets: 3, fatal: 1, score_hundredths: 17_550 },
            responses: ResponseTally { acknowledged: 2, disputed: 1 },
            validations: ValidationTally { approved: 7, returned: 2 },
            returns: ReturnTally { closed: 2, closed_in_time: 1, recared_in_time: 2, verified_in_time: 1 },
        };
        let mut overview = Overview {
            from: "2026-12-01".into(),
            to: "2026-12-07".into(),
            previous_from: "2026-11-01".into(),
            previous_to: "2026-11-07".into(),
            team_id: Some(2),
            agent_id: Some(9),
            service: Some(Service::Pranpc),
            bucket: Some(Bucket::N1),
            current: tally,
            previous: Tallies::default(),
            trend: vec![TrendPoint { month: "2026-12".into(), tallies: tally }],
            team: Some(tally + tally),
            waiting: Waiting {
                pending_agrees: 4,
                oldest_pending_day: Some("2026-11-30".into()),
                open_returns: 3,
                overdue_returns: 1,
                recared_returns: 2,
            },
        };
        let read = |o: &Overview| read_overview(&serde_json::to_value(o).unwrap());
        assert_eq!(read(&overview), Some(overview.clone()));
        overview.team = None;
        overview.team_id = None;
        overview.service = None;
        overview.waiting.oldest_pending_day = None;
        assert_eq!(read(&overview), Some(overview.clone()));
        let mut broken = serde_json::to_value(&overview).unwrap();
        broken["current"]["sheets"].as_object_mut().unwrap().remove("fatal");
        assert_eq!(read_overview(&broken), None, "a missing field is no overview");
    }

    #[test]
    fn a_breakdown_and_a_heatmap_are_read_back_exactly_as_the_server_writes_them() {
        let tally = Tallies {
            sheets: SheetTally { sheets: 3, fatal: 1, score_hundredths: 17_550 },
            validations: ValidationTally { approved: 7, returned: 2 },
            ..Tallies::default()
        };
        let breakdown = Breakdown {
            by: Dimension::Agent,
            from: "2026-12-01".into(),
            to: "2026-12-07".into(),
            team_id: Some(2),
            agent_id: None,
            service: Some(Service::Ct0),
            bucket: None,
            rows: vec![BreakdownRow { key: "7".into(), label: "Agus".into(), tallies: tally }],
        };
        let scope_left_out = Breakdown { team_id: None, service: None, ..breakdown.clone() };
        assert_eq!(read_breakdown(&serde_json::to_value(&breakdown).unwrap()), Some(scope_left_out));
        let heatmap = Heatmap {
            by: Dimension::Team,
            from: "2026-12-01".into(),
            to: "2026-12-07".into(),
            team_id: None,
            agent_id: None,
            service: None,
            bucket: Some(Bucket::N2),
            columns: vec![HeatmapColumn { key: "1".into(), label: "Tim 1".into() }],
            parameters: vec![HeatmapParameter { key: "salam".into(), label: "Salam".into(), fatal: false }],
            cells: vec![HeatmapCell {
                parameter: "salam".into(),
                column: "1".into(),
                tally: ParameterTally { pass: 4, fail: 2, na: 1 },
            }],
        };
        let mut json = serde_json::to_value(&heatmap).unwrap();
        assert_eq!(read_heatmap(&json), Some(Heatmap { bucket: None, ..heatmap }));
        json["cells"][0]["tally"].as_object_mut().unwrap().remove("na");
        assert_eq!(read_heatmap(&json), None, "a missing field is no heatmap");
    }

    #[test]
    fn the_workload_is_read_back_exactly_as_the_server_writes_it() {
        let sheets = SheetTally { sheets: 3, fatal: 1, score_hundredths: 17_550 };
        let workload = Workload {
            from: "2026-12-01".into(),
            to: "2026-12-07".into(),
            team_id: None,
            agent_id: None,
            service: None,
            bucket: None,
            today: "2026-12-07".into(),
            backlog: vec![4, 5, 0, 2, 2],
            overdue: vec![0, 1, 1, 3, 1],
            returns: ReopenTally { closed: 9, reopened: 2 },
            disputes: DisputeTally { disputed: 5, upheld: 2, amended: 1, days: 6 },
            working_days: 5,
            sheets,
            officers: vec![OfficerRow {
                id: 6,
                name: "Dedi".into(),
                sheets,
                validations: 12,
                calibration: Rate::new(1, 18),
            }],
        };
        let mut json = serde_json::to_value(&workload).unwrap();
        assert_eq!(read_workload(&json), Some(workload));
        json["officers"][0]["calibration"].as_object_mut().unwrap().remove("den");
        assert_eq!(read_workload(&json), None, "a missing field is no workload");
    }

    #[test]
    fn the_keep_rate_report_is_read_back_exactly_as_the_server_writes_it() {
        use domain::promises::{PromiseCounts, PromiseReport, PromiseReportRow};
        let counts = |kept, broken, pending, keep_rate| PromiseCounts { kept, broken, pending, keep_rate };
        let report = PromiseReport {
            rows: vec![
                PromiseReportRow {
                    key: "approved".into(),
                    label: "APPROVED".into(),
                    counts: counts(8, 2, 1, Some(80.0)),
                },
                PromiseReportRow { key: "returned_open".into(), label: "RETURN".into(), counts: counts(0, 0, 3, None) },
            ],
            totals: counts(8, 2, 4, Some(80.0)),
            threshold_pct: 100,
            grace_days: 2,
        };
        let mut json = serde_json::to_value(&report).unwrap();
        assert_eq!(read_promises(&json), Some(report));
        json["rows"][0].as_object_mut().unwrap().remove("broken");
        assert_eq!(read_promises(&json), None, "a missing field is no report");
    }
}
