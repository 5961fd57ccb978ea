//! The overview's roll-up, `dashboard_day_stats`: per site day of the call, team, agent, service
//! and bucket (and `dashboard_team_day_stats`, the same without the agent, which the site's and a
//! team's overview read), the counts every [`Tallies`] is made of — counted sheets (submitted, not
//! calibration), their fatal ones and scores, the agents' acknowledgements and disputes, approved
//! and returned agrees, closed RETURNs and their punctuality. Each write that changes one adds its
//! [`Delta`] in its own transaction ([`add`]), so the roll-up always equals the rows; the
//! dashboards sum its rows instead of scanning sheets, cases and follow-ups ([`sums`]). Disposal
//! leaves it alone (the dashboards keep disposed months' counts, issue 15), and a rebuild takes
//! the disposed agrees from their tombstones.
//!
//! [`rebuild`] recomputes it from the rows: after a bulk load (the demo, a benchmark's
//! generator), and at start ([`ensure`]) when the site zone it was built for is not the
//! configured one (a day is the site's day) or it was never built.

use crate::error::ApiResult;
use chrono::{DateTime, FixedOffset, Utc};
use domain::cases::{Bucket, Service, ValidationResult};
use domain::dates::Date;
use domain::metrics::{Dimension, ResponseTally, ReturnTally, SheetTally, Tallies, ValidationTally};
use sea_orm::{ConnectionTrait, DatabaseBackend, Statement, Value};

/// Whose day a delta counts on: the row's own team, agent, service, bucket and call day, and the
/// QC officer who scored the sheet or validated the agree (their row of `officer_day_stats`).
#[derive(Debug, Clone, PartialEq)]
pub struct Key {
    pub day: Date,
    pub team_id: Option<i32>,
    pub agent_id: i32,
    pub service: Service,
    pub bucket: Bucket,
    pub officer: Option<i32>,
}

impl Key {
    /// The key of a row called at `call_at`, its day in the site zone `offset`.
    pub fn of(
        offset: FixedOffset,
        call_at: DateTime<Utc>,
        team_id: Option<i32>,
        agent_id: i32,
        service: Service,
        bucket: Bucket,
    ) -> Key {
        let day = call_at.with_timezone(&offset).date_naive();
        let day = Date::parse(&day.format("%Y-%m-%d").to_string()).expect("a calendar day");
        Key { day, team_id, agent_id, service, bucket, officer: None }
    }

    /// The same key, its sheet scored or its agree validated by `officer`.
    pub fn by(self, officer: i32) -> Key {
        Key { officer: Some(officer), ..self }
    }
}

impl Key {
    /// The key of an F-18 sheet as its row stands, with its scorer.
    pub fn of_sheet(offset: FixedOffset, m: &entity::evaluations::Model) -> Key {
        Key::of(offset, m.call_at, m.team_id, m.agent_id, m.service, m.bucket).by(m.qco_id)
    }

    /// The key of an agree (and of its RETURN) as its row stands.
    pub fn of_case(offset: FixedOffset, c: &entity::cases::Model) -> Key {
        Key::of(offset, c.call_at, c.team_id, c.agent_id, c.service, c.bucket)
    }
}

/// What one write changes, column by column (a step back is negative).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Delta {
    pub sheets: i64,
    pub fatal: i64,
    pub score_hundredths: i64,
    pub acknowledged: i64,
    pub disputed: i64,
    pub approved: i64,
    pub returned: i64,
    pub closed: i64,
    pub closed_in_time: i64,
    pub recared_in_time: i64,
    pub verified_in_time: i64,
    /// A closed RETURN that QC had reopened at least once.
    pub reopened: i64,
    /// Agrees waiting for validation (`dashboard_team_day_stats` only: the agent-level table
    /// does not keep it; an agent's own are few enough to count).
    pub pending: i64,
}

const COLUMNS: [&str; 12] = [
    "sheets",
    "fatal",
    "score_hundredths",
    "acknowledged",
    "disputed",
    "approved",
    "returned",
    "closed",
    "closed_in_time",
    "recared_in_time",
    "verified_in_time",
    "reopened",
];

impl Delta {
    fn values(&self) -> [i64; 12] {
        [
            self.sheets,
            self.fatal,
            self.score_hundredths,
            self.acknowledged,
            self.disputed,
            self.approved,
            self.returned,
            self.closed,
            self.closed_in_time,
            self.recared_in_time,
            self.verified_in_time,
            self.reopened,
        ]
    }

    /// A sheet that starts (or, with `sign` −1, stops) counting with this score.
    pub fn sheet(score: f64, fatal: bool, sign: i64) -> Delta {
        Delta {
            sheets: sign,
            fatal: if fatal { sign } else { 0 },
            score_hundredths: sign * (score * 100.0).round() as i64,
            ..Delta::default()
        }
    }

    /// An agree validated: no longer waiting.
    pub fn validated(result: ValidationResult) -> Delta {
        match result {
            ValidationResult::Approved => Delta { approved: 1, pending: -1, ..Delta::default() },
            ValidationResult::Returned => Delta { returned: 1, pending: -1, ..Delta::default() },
        }
    }

    /// A RETURN closed with these late counts, after QC reopened it at least once or not.
    pub fn closed(late_recares: i32, late_verifications: i32, reopened: bool) -> Delta {
        let (recared, verified) = (late_recares == 0, late_verifications == 0);
        Delta {
            closed: 1,
            closed_in_time: i64::from(recared && verified),
            recared_in_time: i64::from(recared),
            verified_in_time: i64::from(verified),
            reopened: i64::from(reopened),
            ..Delta::default()
        }
    }

    pub fn plus(self, other: Delta) -> Delta {
        let (a, b) = (self.values(), other.values());
        let s = |i: usize| a[i] + b[i];
        Delta {
            sheets: s(0),
            fatal: s(1),
            score_hundredths: s(2),
            acknowledged: s(3),
            disputed: s(4),
            approved: s(5),
            returned: s(6),
            closed: s(7),
            closed_in_time: s(8),
            recared_in_time: s(9),
            verified_in_time: s(10),
            reopened: s(11),
            pending: self.pending + other.pending,
        }
    }
}

/// Adds `delta` to `key`'s row of both tables, in the caller's transaction.
pub async fn add(db: &impl ConnectionTrait, key: &Key, delta: Delta) -> ApiResult<()> {
    if delta == Delta::default() {
        return Ok(());
    }
    for (table, agent) in [("dashboard_day_stats", true), ("dashboard_team_day_stats", false)] {
        let keys = if agent { "day, team_id, agent_id, service, bucket" } else { "day, team_id, service, bucket" };
        let mut values: Vec<Value> = vec![key.day.to_string().into(), key.team_id.unwrap_or(0).into()];
        if agent {
            values.push(key.agent_id.into());
        }
        values.extend([key.service.as_str().into(), key.bucket.as_str().into()]);
        values.extend(delta.values().map(Value::from));
        let mut columns: Vec<&str> = COLUMNS.to_vec();
        if !agent {
            values.push(delta.pending.into());
            columns.push("pending");
        }
        let places: Vec<String> = (1..=values.len()).map(|i| format!("${i}")).collect();
        let sums: Vec<String> = columns.iter().map(|c| format!("{c} = {table}.{c} + excluded.{c}")).collect();
        let sql = format!(
            "INSERT INTO {table} ({keys}, {}) VALUES ({}) ON CONFLICT ({keys}) DO UPDATE SET {}",
            columns.join(", "),
            places.join(", "),
            sums.join(", ")
        );
        db.execute_raw(Statement::from_sql_and_values(db.get_database_backend(), sql, values)).await?;
    }
    let officer = [delta.sheets, delta.fatal, delta.score_hundredths, delta.approved + delta.returned];
    if let Some(qco) = key.officer
        && officer != [0; 4]
    {
        let mut values: Vec<Value> = vec![
            key.day.to_string().into(),
            qco.into(),
            key.team_id.unwrap_or(0).into(),
            key.service.as_str().into(),
            key.bucket.as_str().into(),
        ];
        values.extend(officer.map(Value::from));
        let sql = format!(
            "INSERT INTO officer_day_stats (day, qco_id, team_id, service, bucket, {OFFICER_COLUMNS}) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT (day, qco_id, team_id, service, bucket) \
             DO UPDATE SET sheets = officer_day_stats.sheets + excluded.sheets, \
               fatal = officer_day_stats.fatal + excluded.fatal, \
               score_hundredths = officer_day_stats.score_hundredths + excluded.score_hundredths, \
               validations = officer_day_stats.validations + excluded.validations"
        );
        db.execute_raw(Statement::from_sql_and_values(db.get_database_backend(), sql, values)).await?;
    }
    Ok(())
}

/// The counts of `officer_day_stats`.
const OFFICER_COLUMNS: &str = "sheets, fatal, score_hundredths, validations";

/// The site day of `column` as `YYYY-MM-DD` text, in SQL.
pub(crate) fn day_of(backend: DatabaseBackend, column: &str, offset: FixedOffset) -> String {
    let seconds = offset.local_minus_utc();
    match backend {
        DatabaseBackend::Sqlite => format!("date({column}, '{seconds:+} seconds')"),
        _ => format!("to_char(({column} AT TIME ZONE 'UTC') + interval '{seconds} seconds', 'YYYY-MM-DD')"),
    }
}

/// Recomputes the whole roll-up from the sheets, cases and follow-ups (in the caller's
/// transaction), and the agrees disposed of from their tombstones (`disposed_records` of the
/// F-19 form): disposal leaves the roll-up as it is, so that the dashboards keep the counts of
/// disposed months (issue 15), and a rebuild keeps them too — approved, returned, the RETURN
/// closed (a disposed RETURN was closed: retention counts from the closing) and its punctuality.
/// What a tombstone does not keep is lost on a rebuild: whether QC had reopened the RETURN, who
/// validated it (`officer_day_stats`), and disposed F-18 sheets' scores.
pub async fn rebuild(db: &impl ConnectionTrait, offset: FixedOffset) -> ApiResult<()> {
    let backend = db.get_database_backend();
    let (e, c) = (day_of(backend, "e.call_at", offset), day_of(backend, "c.call_at", offset));
    let zeros = |n: usize| vec!["0"; n].join(", ");
    let sheets = format!(
        "SELECT {e} AS day, COALESCE(e.team_id, 0) AS team_id, e.agent_id, e.service, e.bucket, \
           COUNT(*) AS sheets, SUM(CASE WHEN e.fatal THEN 1 ELSE 0 END) AS fatal, \
           SUM(CAST(ROUND(e.score * 100) AS BIGINT)) AS score_hundredths, \
           SUM(CASE WHEN e.status = 'acknowledged' THEN 1 ELSE 0 END) AS acknowledged, \
           SUM(CASE WHEN e.status IN ('disputed', 'resolved') THEN 1 ELSE 0 END) AS disputed, \
           0 AS approved, 0 AS returned, 0 AS closed, 0 AS closed_in_time, 0 AS recared_in_time, \
           0 AS verified_in_time, 0 AS reopened \
         FROM evaluations e WHERE e.status <> 'draft' AND e.calibration_id IS NULL \
         GROUP BY 1, 2, 3, 4, 5"
    );
    let agrees = format!(
        "SELECT {c} AS day, COALESCE(c.team_id, 0) AS team_id, c.agent_id, c.service, c.bucket, {}, \
           SUM(CASE WHEN c.status = 'approved' THEN 1 ELSE 0 END), \
           SUM(CASE WHEN c.status = 'returned' THEN 1 ELSE 0 END), {} \
         FROM cases c WHERE c.status IN ('approved', 'returned') GROUP BY 1, 2, 3, 4, 5",
        zeros(5),
        zeros(5)
    );
    let returns = format!(
        "SELECT {c} AS day, COALESCE(c.team_id, 0) AS team_id, c.agent_id, c.service, c.bucket, {}, COUNT(*), \
           SUM(CASE WHEN f.late_recares = 0 AND f.late_verifications = 0 THEN 1 ELSE 0 END), \
           SUM(CASE WHEN f.late_recares = 0 THEN 1 ELSE 0 END), \
           SUM(CASE WHEN f.late_verifications = 0 THEN 1 ELSE 0 END), \
           SUM(CASE WHEN EXISTS (SELECT 1 FROM followup_steps s WHERE s.followup_id = f.id AND s.step = 'reopened') \
             THEN 1 ELSE 0 END) \
         FROM followups f JOIN cases c ON c.id = f.case_id WHERE f.status = 'closed' GROUP BY 1, 2, 3, 4, 5",
        zeros(7)
    );
    let d = day_of(backend, "d.call_at", offset);
    let disposed = format!(
        "SELECT {d} AS day, COALESCE(d.team_id, 0) AS team_id, d.agent_id, d.service, d.bucket, {}, \
           SUM(CASE WHEN d.approved THEN 1 ELSE 0 END), SUM(CASE WHEN d.returned THEN 1 ELSE 0 END), \
           SUM(CASE WHEN d.returned THEN 1 ELSE 0 END), SUM(CASE WHEN d.closed_in_time THEN 1 ELSE 0 END), \
           SUM(CASE WHEN d.recared_in_time THEN 1 ELSE 0 END), SUM(CASE WHEN d.verified_in_time THEN 1 ELSE 0 END), 0 \
         FROM disposed_records d WHERE d.form = '{}' AND d.call_at IS NOT NULL AND d.agent_id IS NOT NULL \
           AND d.service IS NOT NULL AND d.bucket IS NOT NULL GROUP BY 1, 2, 3, 4, 5",
        zeros(5),
        domain::cases::F19_CODE
    );
    let names = COLUMNS.join(", ");
    let totals: Vec<String> = COLUMNS.iter().map(|c| format!("SUM({c})")).collect();
    db.execute_raw(Statement::from_string(backend, "DELETE FROM dashboard_day_stats")).await?;
    db.execute_raw(Statement::from_string(
        backend,
        format!(
            "INSERT INTO dashboard_day_stats (day, team_id, agent_id, service, bucket, {names}) \
             SELECT day, team_id, agent_id, service, bucket, {} FROM \
             ({sheets} UNION ALL {agrees} UNION ALL {returns} UNION ALL {disposed}) u \
             GROUP BY day, team_id, agent_id, service, bucket",
            totals.join(", ")
        ),
    ))
    .await?;
    let v = day_of(backend, "c.call_at", offset);
    db.execute_raw(Statement::from_string(backend, "DELETE FROM officer_day_stats")).await?;
    db.execute_raw(Statement::from_string(
        backend,
        format!(
            "INSERT INTO officer_day_stats (day, qco_id, team_id, service, bucket, {OFFICER_COLUMNS}) \
             SELECT day, qco_id, team_id, service, bucket, SUM(sheets), SUM(fatal), SUM(score_hundredths), \
               SUM(validations) FROM ( \
               SELECT {e} AS day, e.qco_id, COALESCE(e.team_id, 0) AS team_id, e.service, e.bucket, \
                 COUNT(*) AS sheets, SUM(CASE WHEN e.fatal THEN 1 ELSE 0 END) AS fatal, \
                 SUM(CAST(ROUND(e.score * 100) AS BIGINT)) AS score_hundredths, 0 AS validations \
               FROM evaluations e WHERE e.status <> 'draft' AND e.calibration_id IS NULL GROUP BY 1, 2, 3, 4, 5 \
               UNION ALL \
               SELECT {v}, v.qco_id, COALESCE(c.team_id, 0), c.service, c.bucket, 0, 0, 0, COUNT(*) \
               FROM validations v JOIN cases c ON c.id = v.case_id GROUP BY 1, 2, 3, 4, 5) u \
             GROUP BY day, qco_id, team_id, service, bucket"
        ),
    ))
    .await?;
    db.execute_raw(Statement::from_string(backend, "DELETE FROM dashboard_team_day_stats")).await?;
    db.execute_raw(Statement::from_string(
        backend,
        format!(
            "INSERT INTO dashboard_team_day_stats (day, team_id, service, bucket, {names}, pending) \
             SELECT day, team_id, service, bucket, {}, SUM(pending) FROM ( \
               SELECT day, team_id, service, bucket, {names}, 0 AS pending FROM dashboard_day_stats \
               UNION ALL \
               SELECT {c} AS day, COALESCE(c.team_id, 0) AS team_id, c.service, c.bucket, {}, COUNT(*) \
               FROM cases c WHERE c.status = 'pending' GROUP BY 1, 2, 3, 4) u \
             GROUP BY day, team_id, service, bucket",
            totals.join(", "),
            zeros(COLUMNS.len())
        ),
    ))
    .await?;
    Ok(())
}

/// Whose rows a sum counts.
#[derive(Debug, Clone, Copy, Default)]
pub struct Scope {
    pub team: Option<i32>,
    pub agent: Option<i32>,
    pub service: Option<Service>,
    pub bucket: Option<Bucket>,
}

/// The `WHERE` of a sum over the days `start..=end` and `scope`, with its values.
pub(crate) fn filtered(scope: Scope, start: Date, end: Date) -> (String, Vec<Value>) {
    let mut values: Vec<Value> = vec![start.to_string().into(), end.to_string().into()];
    let mut filter = vec!["day >= $1".to_owned(), "day <= $2".to_owned()];
    let mut bind = |column: &str, v: Value| {
        values.push(v);
        filter.push(format!("{column} = ${}", values.len()));
    };
    if let Some(team) = scope.team {
        bind("team_id", team.into());
    }
    if let Some(agent) = scope.agent {
        bind("agent_id", agent.into());
    }
    if let Some(service) = scope.service {
        bind("service", service.as_str().into());
    }
    if let Some(bucket) = scope.bucket {
        bind("bucket", bucket.as_str().into());
    }
    (filter.join(" AND "), values)
}

/// The summed columns, named as [`COLUMNS`]. CAST: SUM of BIGINT is NUMERIC on PostgreSQL.
fn summed() -> String {
    let sums: Vec<String> = COLUMNS.iter().map(|c| format!("CAST(SUM({c}) AS BIGINT) AS {c}")).collect();
    sums.join(", ")
}

/// The [`Tallies`] of a row of [`summed`] columns.
fn tallies_of(row: &sea_orm::QueryResult) -> Tallies {
    let n = |c: &str| -> u64 { row.try_get::<Option<i64>>("", c).ok().flatten().unwrap_or(0).max(0) as u64 };
    Tallies {
        sheets: SheetTally { sheets: n("sheets"), fatal: n("fatal"), score_hundredths: n("score_hundredths") },
        responses: ResponseTally { acknowledged: n("acknowledged"), disputed: n("disputed") },
        validations: ValidationTally { approved: n("approved"), returned: n("returned") },
        returns: ReturnTally {
            closed: n("closed"),
            closed_in_time: n("closed_in_time"),
            recared_in_time: n("recared_in_time"),
            verified_in_time: n("verified_in_time"),
        },
    }
}

/// One [`Tallies`] per stretch of site days (`from..=to`): the roll-up's days that cover them
/// all, summed per day in SQL (an agent's from the agent-level table, the rest from the one
/// without agents) and per stretch here.
pub async fn sums(db: &impl ConnectionTrait, scope: Scope, stretches: &[(Date, Date)]) -> ApiResult<Vec<Tallies>> {
    let mut out = vec![Tallies::default(); stretches.len()];
    let (Some(start), Some(end)) = (stretches.iter().map(|s| s.0).min(), stretches.iter().map(|s| s.1).max()) else {
        return Ok(out);
    };
    let (filter, values) = filtered(scope, start, end);
    let table = if scope.agent.is_some() { "dashboard_day_stats" } else { "dashboard_team_day_stats" };
    let sql = format!("SELECT day, {} FROM {table} WHERE {filter} GROUP BY day", summed());
    let rows = db.query_all_raw(Statement::from_sql_and_values(db.get_database_backend(), sql, values)).await?;
    for row in rows {
        let day: String = row.try_get("", "day")?;
        let Some(day) = Date::parse(&day) else { continue };
        let tally = tallies_of(&row);
        for (total, (from, to)) in out.iter_mut().zip(stretches) {
            if *from <= day && day <= *to {
                *total += tally;
            }
        }
    }
    Ok(out)
}

/// Per QC officer (only `only` when given), their counted sheets and validations of the days
/// `from..=to` in `scope` (whose agent, if any, is not a column of `officer_day_stats`: the
/// officers are shown to roles that see the site), from `officer_day_stats`; officers with
/// nothing counted are left out.
pub async fn officers(
    db: &impl ConnectionTrait,
    scope: Scope,
    from: Date,
    to: Date,
    only: Option<i32>,
) -> ApiResult<Vec<(i32, SheetTally, u64)>> {
    let (mut filter, mut values) = filtered(Scope { agent: None, ..scope }, from, to);
    if let Some(id) = only {
        values.push(id.into());
        filter.push_str(&format!(" AND qco_id = ${}", values.len()));
    }
    let sql = format!(
        "SELECT qco_id, CAST(SUM(sheets) AS BIGINT) AS sheets, CAST(SUM(fatal) AS BIGINT) AS fatal, \
           CAST(SUM(score_hundredths) AS BIGINT) AS score_hundredths, CAST(SUM(validations) AS BIGINT) AS validations \
         FROM officer_day_stats WHERE {filter} GROUP BY qco_id"
    );
    let mut out = Vec::new();
    for row in db.query_all_raw(Statement::from_sql_and_values(db.get_database_backend(), sql, values)).await? {
        let n = |c: &str| -> u64 { row.try_get::<Option<i64>>("", c).ok().flatten().unwrap_or(0).max(0) as u64 };
        let sheets = SheetTally { sheets: n("sheets"), fatal: n("fatal"), score_hundredths: n("score_hundredths") };
        if sheets.sheets + n("validations") > 0 {
            out.push((row.try_get("", "qco_id")?, sheets, n("validations")));
        }
    }
    Ok(out)
}

/// The closed RETURNs of the days `from..=to` in `scope`, and those QC had reopened.
pub async fn reopened(db: &impl ConnectionTrait, scope: Scope, from: Date, to: Date) -> ApiResult<(u64, u64)> {
    let (filter, values) = filtered(scope, from, to);
    let table = if scope.agent.is_some() { "dashboard_day_stats" } else { "dashboard_team_day_stats" };
    let sql = format!(
        "SELECT CAST(SUM(closed) AS BIGINT) AS closed, CAST(SUM(reopened) AS BIGINT) AS reopened FROM {table} WHERE {filter}"
    );
    let row = db.query_one_raw(Statement::from_sql_and_values(db.get_database_backend(), sql, values)).await?;
    let n = |c: &str| -> u64 {
        row.as_ref().and_then(|r| r.try_get::<Option<i64>>("", c).ok().flatten()).unwrap_or(0).max(0) as u64
    };
    Ok((n("closed"), n("reopened")))
}

/// The [`Tallies`] of the days `from..=to` per value of `by` (`team_id`, `agent_id`, `service`
/// or `bucket`), as text; summed in SQL, one row per group (the agent-level table when grouping
/// by agent or narrowed to one, the smaller one without agents otherwise).
pub async fn grouped(
    db: &impl ConnectionTrait,
    scope: Scope,
    from: Date,
    to: Date,
    by: Dimension,
) -> ApiResult<Vec<(String, Tallies)>> {
    let column = match by {
        Dimension::Team => "team_id",
        Dimension::Agent => "agent_id",
        Dimension::Service => "service",
        Dimension::Bucket => "bucket",
    };
    let (filter, values) = filtered(scope, from, to);
    let agents = by == Dimension::Agent || scope.agent.is_some();
    let table = if agents { "dashboard_day_stats" } else { "dashboard_team_day_stats" };
    let sql = format!("SELECT {column} AS grp, {} FROM {table} WHERE {filter} GROUP BY {column}", summed());
    let rows = db.query_all_raw(Statement::from_sql_and_values(db.get_database_backend(), sql, values)).await?;
    let mut out = Vec::with_capacity(rows.len());
    for row in rows {
        let key = match by {
            Dimension::Team | Dimension::Agent => row.try_get::<i32>("", "grp")?.to_string(),
            Dimension::Service | Dimension::Bucket => row.try_get::<String>("", "grp")?,
        };
        out.push((key, tallies_of(&row)));
    }
    Ok(out)
}

/// After the agree import `import_id` moved its staged rows into `cases` (in its transaction,
/// before the staged rows go): its new agrees added to the pending counts. When every staged row
/// became a case, the staged rows are counted (read in their own key's order); otherwise the
/// cases they became, found through the cases' unique key.
pub async fn imported(
    db: &impl ConnectionTrait,
    offset: FixedOffset,
    import_id: i32,
    every_row_moved: bool,
) -> ApiResult<()> {
    let backend = db.get_database_backend();
    let from = if every_row_moved {
        "FROM import_rows c WHERE c.import_id = $1"
    } else {
        "FROM import_rows s JOIN cases c ON c.customer_no = s.customer_no AND c.call_at = s.call_at \
           AND c.agent_id = s.agent_id AND c.import_id = s.import_id WHERE s.import_id = $1"
    };
    let sql = format!(
        "INSERT INTO dashboard_team_day_stats (day, team_id, service, bucket, pending) \
         SELECT {} AS day, COALESCE(c.team_id, 0), c.service, c.bucket, COUNT(*) {from} GROUP BY 1, 2, 3, 4 \
         ON CONFLICT (day, team_id, service, bucket) DO UPDATE \
           SET pending = dashboard_team_day_stats.pending + excluded.pending",
        day_of(backend, "c.call_at", offset)
    );
    db.execute_raw(Statement::from_sql_and_values(backend, sql, [import_id.into()])).await?;
    Ok(())
}

/// The agrees of `scope` (no agent: [`Scope::agent`] is counted from the cases) waiting now, per
/// call day: `(day, pending)` of the days with any, oldest first.
pub async fn pending_days(db: &impl ConnectionTrait, scope: Scope) -> ApiResult<Vec<(Date, u64)>> {
    let (filter, values) = filtered(
        Scope { agent: None, ..scope },
        Date { year: 1, month: 1, day: 1 },
        Date { year: 9999, month: 12, day: 31 },
    );
    let sql = format!(
        "SELECT day, CAST(SUM(pending) AS BIGINT) AS pending FROM dashboard_team_day_stats \
         WHERE pending <> 0 AND {filter} GROUP BY day ORDER BY day"
    );
    let rows = db.query_all_raw(Statement::from_sql_and_values(db.get_database_backend(), sql, values)).await?;
    let mut out = Vec::with_capacity(rows.len());
    for row in rows {
        let day: String = row.try_get("", "day")?;
        let n: i64 = row.try_get::<Option<i64>>("", "pending").ok().flatten().unwrap_or(0);
        if let (Some(day), true) = (Date::parse(&day), n > 0) {
            out.push((day, n as u64));
        }
    }
    Ok(out)
}

/// The settings key saying for which site zone the roll-up was built.
const BUILT_FOR: &str = "dashboard_rollup_zone";

/// At start: rebuilds the roll-up in one transaction when it was built for another site zone, or
/// never; answers whether it did.
pub async fn ensure(state: &crate::state::AppState) -> ApiResult<bool> {
    // Version 2: `officer_day_stats` joined the roll-up, and the closed RETURNs QC had reopened;
    // version 3: the pending agrees per day (`dashboard_team_day_stats.pending`).
    let tables = "dashboard_day_stats, dashboard_team_day_stats, officer_day_stats";
    crate::db::ensure_built(state, BUILT_FOR, 3, tables, async |txn, offset| rebuild(txn, offset).await).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deltas_count_what_a_write_changes() {
        let sheet = Delta::sheet(86.32, false, 1);
        assert_eq!((sheet.sheets, sheet.fatal, sheet.score_hundredths), (1, 0, 8632));
        let undone = Delta::sheet(0.0, true, -1);
        assert_eq!((undone.sheets, undone.fatal, undone.score_hundredths), (-1, -1, 0));
        assert_eq!(Delta::validated(ValidationResult::Returned).returned, 1);
        let late = Delta::closed(1, 0, true);
        assert_eq!((late.closed, late.closed_in_time, late.recared_in_time, late.verified_in_time), (1, 0, 0, 1));
        assert_eq!(late.reopened, 1);
        assert_eq!(sheet.plus(undone).sheets, 0);
    }

    #[test]
    fn a_key_is_the_site_day_of_the_call() {
        let wib = FixedOffset::east_opt(7 * 3600).unwrap();
        let at = DateTime::parse_from_rfc3339("2026-11-30T18:30:00Z").unwrap().to_utc();
        let key = Key::of(wib, at, Some(1), 5, Service::Ct0, Bucket::N2);
        assert_eq!(key.day.to_string(), "2026-12-01");
    }
}
