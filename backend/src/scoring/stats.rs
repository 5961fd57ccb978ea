//! The daily roll-ups of F-18 answers. `evaluation_day_stats`, behind
//! `GET /api/reports/parameter-fail-rates`: per team, site day of the call and parameter key,
//! how many counted sheets passed, failed or marked it N/A (the row [`SHEETS`] counts the sheets
//! themselves in `passed`). `parameter_day_stats`, behind the dashboards' heatmap
//! (`GET /api/dashboards/heatmap`): the same answers per site day, team, agent, service, bucket
//! and parameter key (the overview roll-up's [`Key`] plus the parameter), so the map of a team's
//! agents reads the roll-up too. A sheet counts once it is submitted and is not a calibration
//! sheet; it is added to both in the transaction that submits it and corrected in the
//! transaction of an amendment, so the roll-ups always equal the answers. A team's month is then
//! at most 31 × (parameters + 1) rows, whatever the number of sheets. Disposing of records leaves
//! both alone: the counts outlive the sheets they were made from.
//!
//! [`rebuild`] recomputes both from the answers (after a bulk load, e.g. the demo or the
//! benchmark's generator), and [`ensure`] does so at start when `parameter_day_stats` was never
//! built, or built for another site zone (a day is the site's day).

use crate::dashboards::rollup::Key;
use crate::error::ApiResult;
use chrono::FixedOffset;
use domain::cases::{Bucket, Service};
use domain::dates::Date;
use domain::scoring::{Answer, AnswerValue};
use sea_orm::{ConnectionTrait, DatabaseBackend, Statement, Value};

/// The key of the row that counts sheets (never a parameter key: those are `[a-z0-9_]`).
pub const SHEETS: &str = "#sheets";

/// A `VALUES` list of `rows` tuples of `width` placeholders each (`($1, $2), ($3, $4)`).
fn places(rows: usize, width: usize) -> String {
    (0..rows)
        .map(|r| {
            let row: Vec<String> = (1..=width).map(|c| format!("${}", r * width + c)).collect();
            format!("({})", row.join(", "))
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// Adds (`sign` 1) or removes (`sign` −1) one sheet's answers to its day in both roll-ups: the
/// team's row of `evaluation_day_stats` and the key's rows of `parameter_day_stats`, in the
/// caller's transaction.
pub async fn add(db: &impl ConnectionTrait, key: &Key, answers: &[Answer], sign: i64) -> ApiResult<()> {
    let backend = db.get_database_backend();
    let team = key.team_id.unwrap_or(0);
    let day = key.day.to_string();
    let counts = |value: AnswerValue| -> (i64, i64, i64) {
        match value {
            AnswerValue::Pass => (sign, 0, 0),
            AnswerValue::Fail => (0, sign, 0),
            AnswerValue::Na => (0, 0, sign),
        }
    };
    let mut rows: Vec<(String, i64, i64, i64)> = vec![(SHEETS.to_owned(), sign, 0, 0)];
    for a in answers {
        let (p, f, n) = counts(a.value);
        rows.push((a.parameter.clone(), p, f, n));
    }
    let mut values: Vec<Value> = Vec::with_capacity(rows.len() * 6);
    for (parameter, p, f, n) in &rows {
        values.extend([
            team.into(),
            day.clone().into(),
            parameter.clone().into(),
            (*p).into(),
            (*f).into(),
            (*n).into(),
        ]);
    }
    let sql = format!(
        "INSERT INTO evaluation_day_stats (team_id, day, parameter_key, passed, failed, na) VALUES {} \
         ON CONFLICT (team_id, day, parameter_key) DO UPDATE SET \
           passed = evaluation_day_stats.passed + excluded.passed, \
           failed = evaluation_day_stats.failed + excluded.failed, \
           na = evaluation_day_stats.na + excluded.na",
        places(rows.len(), 6)
    );
    db.execute_raw(Statement::from_sql_and_values(backend, sql, values)).await?;
    if answers.is_empty() {
        return Ok(());
    }
    let mut values: Vec<Value> = Vec::with_capacity(answers.len() * 9);
    for (parameter, p, f, n) in rows.into_iter().skip(1) {
        values.extend([
            day.clone().into(),
            team.into(),
            key.agent_id.into(),
            key.service.as_str().into(),
            key.bucket.as_str().into(),
            parameter.into(),
            p.into(),
            f.into(),
            n.into(),
        ]);
    }
    let keys = "day, team_id, agent_id, service, bucket, parameter_key";
    let sql = format!(
        "INSERT INTO parameter_day_stats ({keys}, passed, failed, na) VALUES {} \
         ON CONFLICT ({keys}) DO UPDATE SET \
           passed = parameter_day_stats.passed + excluded.passed, \
           failed = parameter_day_stats.failed + excluded.failed, \
           na = parameter_day_stats.na + excluded.na",
        places(answers.len(), 9)
    );
    db.execute_raw(Statement::from_sql_and_values(backend, sql, values)).await?;
    Ok(())
}

/// Recomputes both roll-ups from the submitted, non-calibration sheets and their answers (in the
/// caller's transaction).
pub async fn rebuild(db: &impl ConnectionTrait, offset: FixedOffset) -> ApiResult<()> {
    let backend = db.get_database_backend();
    let seconds = offset.local_minus_utc();
    let day = match backend {
        DatabaseBackend::Sqlite => format!("date(e.call_at, '{seconds:+} seconds')"),
        _ => format!("to_char((e.call_at AT TIME ZONE 'UTC') + interval '{seconds} seconds', 'YYYY-MM-DD')"),
    };
    let counted = "e.status <> 'draft' AND e.calibration_id IS NULL";
    db.execute_raw(Statement::from_string(backend, "DELETE FROM evaluation_day_stats")).await?;
    db.execute_raw(Statement::from_string(
        backend,
        format!(
            "INSERT INTO evaluation_day_stats (team_id, day, parameter_key, passed, failed, na) \
             SELECT COALESCE(e.team_id, 0), {day}, a.parameter_key, \
               SUM(CASE WHEN a.value = 'pass' THEN 1 ELSE 0 END), SUM(CASE WHEN a.value = 'fail' THEN 1 ELSE 0 END), \
               SUM(CASE WHEN a.value = 'na' THEN 1 ELSE 0 END) \
             FROM evaluations e JOIN evaluation_answers a ON a.evaluation_id = e.id WHERE {counted} \
             GROUP BY COALESCE(e.team_id, 0), {day}, a.parameter_key"
        ),
    ))
    .await?;
    db.execute_raw(Statement::from_string(
        backend,
        format!(
            "INSERT INTO evaluation_day_stats (team_id, day, parameter_key, passed, failed, na) \
             SELECT COALESCE(e.team_id, 0), {day}, '{SHEETS}', COUNT(*), 0, 0 FROM evaluations e WHERE {counted} \
             GROUP BY COALESCE(e.team_id, 0), {day}"
        ),
    ))
    .await?;
    db.execute_raw(Statement::from_string(backend, "DELETE FROM parameter_day_stats")).await?;
    db.execute_raw(Statement::from_string(
        backend,
        format!(
            "INSERT INTO parameter_day_stats \
               (day, team_id, agent_id, service, bucket, parameter_key, passed, failed, na) \
             SELECT {day}, COALESCE(e.team_id, 0), e.agent_id, e.service, e.bucket, a.parameter_key, \
               SUM(CASE WHEN a.value = 'pass' THEN 1 ELSE 0 END), SUM(CASE WHEN a.value = 'fail' THEN 1 ELSE 0 END), \
               SUM(CASE WHEN a.value = 'na' THEN 1 ELSE 0 END) \
             FROM evaluations e JOIN evaluation_answers a ON a.evaluation_id = e.id WHERE {counted} \
             GROUP BY {day}, COALESCE(e.team_id, 0), e.agent_id, e.service, e.bucket, a.parameter_key"
        ),
    ))
    .await?;
    Ok(())
}

/// `(parameter_key, passed, failed, na)` summed over the days `from..=to` (and one team).
pub async fn sums(
    db: &impl ConnectionTrait,
    team_id: Option<i32>,
    from: &str,
    to: &str,
) -> ApiResult<Vec<(String, i64, i64, i64)>> {
    let backend = db.get_database_backend();
    let mut values: Vec<Value> = vec![from.into(), to.into()];
    let team_clause = match team_id {
        Some(team) => {
            values.push(team.into());
            "AND team_id = $3"
        }
        None => "",
    };
    // CAST: SUM of BIGINT is NUMERIC on PostgreSQL.
    let sql = format!(
        "SELECT parameter_key, CAST(SUM(passed) AS BIGINT) AS passed, CAST(SUM(failed) AS BIGINT) AS failed, CAST(SUM(na) AS BIGINT) AS na \
         FROM evaluation_day_stats WHERE day >= $1 AND day <= $2 {team_clause} GROUP BY parameter_key ORDER BY parameter_key"
    );
    let rows = db.query_all_raw(Statement::from_sql_and_values(backend, sql, values)).await?;
    rows.into_iter()
        .map(|r| {
            Ok((
                r.try_get("", "parameter_key")?,
                r.try_get("", "passed")?,
                r.try_get("", "failed")?,
                r.try_get("", "na")?,
            ))
        })
        .collect()
}

/// Whose answers a heatmap sums, and what its columns are.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct MapScope {
    pub team: Option<i32>,
    pub agent: Option<i32>,
    pub service: Option<Service>,
    pub bucket: Option<Bucket>,
    /// Columns per agent (`true`) or per team (`false`).
    pub by_agent: bool,
}

/// One summed cell of `parameter_day_stats`: the column's id (a team's, 0 for no team, or an
/// agent's), the parameter key, and its passed, failed and N/A answers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MapSum {
    pub column: i32,
    pub parameter: String,
    pub passed: u64,
    pub failed: u64,
    pub na: u64,
}

/// `parameter_day_stats` over the site days `from..=to` of a scope, summed per column and
/// parameter in SQL (never the answers themselves); cells with nothing counted are left out. The
/// site's map by team, unfiltered, reads `evaluation_day_stats` instead: the same counts per
/// team, day and parameter without the agent, service and bucket, so a month is some teams × 30
/// × parameters rows rather than a row per agent and day.
pub async fn map_sums(db: &impl ConnectionTrait, scope: MapScope, from: Date, to: Date) -> ApiResult<Vec<MapSum>> {
    let whole_site = scope == MapScope::default();
    let mut values: Vec<Value> = vec![from.to_string().into(), to.to_string().into()];
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
    let column = if scope.by_agent { "agent_id" } else { "team_id" };
    let table = if whole_site {
        filter.push(format!("parameter_key <> '{SHEETS}'"));
        "evaluation_day_stats"
    } else {
        "parameter_day_stats"
    };
    // CAST: SUM of BIGINT is NUMERIC on PostgreSQL.
    let sql = format!(
        "SELECT {column} AS col, parameter_key, CAST(SUM(passed) AS BIGINT) AS passed, \
           CAST(SUM(failed) AS BIGINT) AS failed, CAST(SUM(na) AS BIGINT) AS na \
         FROM {table} WHERE {} GROUP BY {column}, parameter_key ORDER BY {column}, parameter_key",
        filter.join(" AND ")
    );
    let rows = db.query_all_raw(Statement::from_sql_and_values(db.get_database_backend(), sql, values)).await?;
    let mut out = Vec::with_capacity(rows.len());
    for row in rows {
        let n = |c: &str| -> u64 { row.try_get::<Option<i64>>("", c).ok().flatten().unwrap_or(0).max(0) as u64 };
        let sum = MapSum {
            column: row.try_get("", "col")?,
            parameter: row.try_get("", "parameter_key")?,
            passed: n("passed"),
            failed: n("failed"),
            na: n("na"),
        };
        if sum.passed + sum.failed + sum.na > 0 {
            out.push(sum);
        }
    }
    Ok(out)
}

/// The settings key saying for which site zone `parameter_day_stats` was built.
const BUILT_FOR: &str = "parameter_rollup_zone";

/// At start: rebuilds both roll-ups in one transaction when `parameter_day_stats` was built for
/// another site zone, or never (a database from before the heatmap: its sheets are counted in
/// `evaluation_day_stats` only); answers whether it did. As `dashboards::rollup::ensure`.
pub async fn ensure(state: &crate::state::AppState) -> ApiResult<bool> {
    crate::db::ensure_built(state, BUILT_FOR, 1, "evaluation_day_stats, parameter_day_stats", async |txn, offset| {
        rebuild(txn, offset).await
    })
    .await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_values_list_numbers_every_place() {
        assert_eq!(places(2, 3), "($1, $2, $3), ($4, $5, $6)");
    }
}
