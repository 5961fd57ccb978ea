//! The daily roll-up behind `GET /api/reports/parameter-fail-rates`: per team, site day of the
//! call and parameter key, how many counted sheets passed, failed or marked it N/A (the row
//! [`SHEETS`] counts the sheets themselves in `passed`). A sheet counts once it is submitted and
//! is not a calibration sheet; it is added in the transaction that submits it and corrected in
//! the transaction of an amendment, so the roll-up always equals the answers. A team's month is
//! then at most 31 × (parameters + 1) rows, whatever the number of sheets.
//!
//! [`rebuild`] recomputes it from the answers (after a bulk load, e.g. the benchmark's
//! generator, or records disposed of outside the API).

use crate::error::ApiResult;
use chrono::FixedOffset;
use domain::scoring::{Answer, AnswerValue};
use sea_orm::{ConnectionTrait, DatabaseBackend, Statement, Value};

/// The key of the row that counts sheets (never a parameter key: those are `[a-z0-9_]`).
pub const SHEETS: &str = "#sheets";

/// Adds (`sign` 1) or removes (`sign` −1) one sheet's answers to its team's day.
pub async fn add(
    db: &impl ConnectionTrait,
    team_id: Option<i32>,
    day: &str,
    answers: &[Answer],
    sign: i64,
) -> ApiResult<()> {
    let team = team_id.unwrap_or(0);
    let mut rows: Vec<(String, i64, i64, i64)> = vec![(SHEETS.to_owned(), sign, 0, 0)];
    for a in answers {
        let (p, f, n) = match a.value {
            AnswerValue::Pass => (sign, 0, 0),
            AnswerValue::Fail => (0, sign, 0),
            AnswerValue::Na => (0, 0, sign),
        };
        rows.push((a.parameter.clone(), p, f, n));
    }
    let mut sql =
        String::from("INSERT INTO evaluation_day_stats (team_id, day, parameter_key, passed, failed, na) VALUES ");
    let mut values: Vec<Value> = Vec::with_capacity(rows.len() * 6);
    for (i, (key, p, f, n)) in rows.into_iter().enumerate() {
        let base = i * 6;
        if i > 0 {
            sql.push_str(", ");
        }
        sql.push_str(&format!(
            "(${}, ${}, ${}, ${}, ${}, ${})",
            base + 1,
            base + 2,
            base + 3,
            base + 4,
            base + 5,
            base + 6
        ));
        values.extend([team.into(), day.into(), key.into(), p.into(), f.into(), n.into()]);
    }
    sql.push_str(
        " ON CONFLICT (team_id, day, parameter_key) DO UPDATE SET \
           passed = evaluation_day_stats.passed + excluded.passed, \
           failed = evaluation_day_stats.failed + excluded.failed, \
           na = evaluation_day_stats.na + excluded.na",
    );
    db.execute_raw(Statement::from_sql_and_values(db.get_database_backend(), sql, values)).await?;
    Ok(())
}

/// Recomputes the whole roll-up from the submitted, non-calibration sheets and their answers.
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
