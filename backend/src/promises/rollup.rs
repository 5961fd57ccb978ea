//! The keep-rate report's roll-up (issue 16 item 4, at the site's size): the stored promises
//! counted by status per site day of the call, team, agent, QC officer, QC's outcome, service and
//! bucket (`promise_day_stats`), and the same without agent and officer
//! (`promise_team_day_stats`). The report sums a period of it ([`report_rows`]) instead of
//! joining every promise of the period to its case, validation and follow-up.
//!
//! Every write that changes what a promise counts as changes the roll-up in its own transaction:
//! - a promise's status (the payment import, the day's sweep, the demo): [`changed`], from the
//!   updates that took effect, each promise's group read after them;
//! - QC's outcome (a validation, a RETURN's follow-up closed): [`regrouped`] after the change,
//!   the promise's row locked first (PostgreSQL), so that a recomputation of the same promise
//!   waits for the change or the change for it.
//!
//! Disposal leaves the roll-up as it is (the report keeps disposed months' counts, issue 15) and
//! the tombstone keeps the promise's status, so that [`rebuild`] keeps them too (as approved or
//! RETURNed-and-closed, without the officer, whom the tombstone does not name). [`ensure`]
//! rebuilds at start when the site zone changed or it was never built.

use crate::dashboards::rollup::{Scope, day_of, filtered};
use crate::error::ApiResult;
use chrono::FixedOffset;
use domain::dates::Date;
use domain::promises::{PromiseStatus, QcOutcome};
use sea_orm::{ConnectionTrait, DatabaseBackend, EntityTrait, QuerySelect, Statement, Value};
use std::collections::BTreeMap;

/// The group a promise counts in (`promise_day_stats`' key), as the SQL of [`group_of`] reads it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
struct Group {
    day: String,
    team_id: i32,
    agent_id: i32,
    qco_id: i32,
    outcome: String,
    service: String,
    bucket: String,
}

/// Kept, broken, pending: one change or a sum.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
struct Counts([i64; 3]);

impl Counts {
    fn of(status: PromiseStatus, sign: i64) -> Counts {
        let mut c = [0; 3];
        c[match status {
            PromiseStatus::Kept => 0,
            PromiseStatus::Broken => 1,
            PromiseStatus::Pending => 2,
        }] = sign;
        Counts(c)
    }

    fn add(&mut self, other: Counts) {
        for (a, b) in self.0.iter_mut().zip(other.0) {
            *a += b;
        }
    }
}

const FROM: &str = "FROM case_promises p JOIN cases c ON c.id = p.case_id \
     LEFT JOIN validations v ON v.case_id = c.id LEFT JOIN followups f ON f.case_id = c.id";

/// The group columns of a promise `p` of case `c` (validation `v`, follow-up `f`), in SQL.
fn group_of(backend: DatabaseBackend, offset: FixedOffset) -> String {
    let outcome = format!(
        "CASE WHEN c.status = 'approved' THEN '{}' WHEN c.status = 'returned' AND f.status = 'closed' THEN '{}' \
         WHEN c.status = 'returned' THEN '{}' ELSE '{}' END",
        QcOutcome::Approved.as_str(),
        QcOutcome::ReturnedClosed.as_str(),
        QcOutcome::ReturnedOpen.as_str(),
        QcOutcome::NotValidated.as_str()
    );
    format!(
        "{} AS day, COALESCE(c.team_id, 0) AS team_id, c.agent_id AS agent_id, COALESCE(v.qco_id, 0) AS qco_id, \
         {outcome} AS outcome, c.service AS service, c.bucket AS bucket",
        day_of(backend, "c.call_at", offset)
    )
}

/// The counted columns of a `GROUP BY` over promises `p`.
const COUNTED: &str = "SUM(CASE WHEN p.status = 'kept' THEN 1 ELSE 0 END) AS kept, \
     SUM(CASE WHEN p.status = 'broken' THEN 1 ELSE 0 END) AS broken, \
     SUM(CASE WHEN p.status = 'pending' THEN 1 ELSE 0 END) AS pending";

fn group_from(row: &sea_orm::QueryResult) -> ApiResult<Group> {
    Ok(Group {
        day: row.try_get("", "day")?,
        team_id: row.try_get("", "team_id")?,
        agent_id: row.try_get("", "agent_id")?,
        qco_id: row.try_get("", "qco_id")?,
        outcome: row.try_get("", "outcome")?,
        service: row.try_get("", "service")?,
        bucket: row.try_get("", "bucket")?,
    })
}

fn count(row: &sea_orm::QueryResult, column: &str) -> i64 {
    row.try_get::<Option<i64>>("", column).ok().flatten().unwrap_or(0)
}

/// The `(…), (…)` of a multi-row statement: each of `rows` bound after the `values` already there.
pub(crate) fn value_rows(values: &mut Vec<Value>, rows: impl IntoIterator<Item = Vec<Value>>) -> String {
    let mut tuples = Vec::new();
    for row in rows {
        let before = values.len();
        values.extend(row);
        tuples.push(format!("({})", places(before, values.len() - before)));
    }
    tuples.join(", ")
}

/// `$k, $k+1, …` for `n` values after the first `after`.
fn places(after: usize, n: usize) -> String {
    (after + 1..=after + n).map(|i| format!("${i}")).collect::<Vec<_>>().join(", ")
}

/// Rows of a roll-up written by one statement (10 values each: well inside either engine's
/// bound parameters).
const ROWS_PER_STATEMENT: usize = 500;

/// Adds each group's counts to both tables: summed per key of each table first (one statement
/// must not touch a row twice), then a multi-row upsert per [`ROWS_PER_STATEMENT`] keys.
async fn apply(db: &impl ConnectionTrait, changes: BTreeMap<Group, Counts>) -> ApiResult<()> {
    let mut day: Vec<(Vec<Value>, Counts)> = Vec::new();
    let mut team: BTreeMap<(String, i32, String, String, String), Counts> = BTreeMap::new();
    for (g, counts) in changes {
        if counts == Counts::default() {
            continue;
        }
        let key = (g.day.clone(), g.team_id, g.outcome.clone(), g.service.clone(), g.bucket.clone());
        team.entry(key).or_default().add(counts);
        let key = vec![
            g.day.into(),
            g.team_id.into(),
            g.agent_id.into(),
            g.qco_id.into(),
            g.outcome.into(),
            g.service.into(),
            g.bucket.into(),
        ];
        day.push((key, counts));
    }
    let team = team
        .into_iter()
        .map(|((d, t, o, s, b), counts)| (vec![d.into(), t.into(), o.into(), s.into(), b.into()], counts))
        .collect();
    upsert(db, "promise_day_stats", "day, team_id, agent_id, qco_id, outcome, service, bucket", day).await?;
    upsert(db, "promise_team_day_stats", "day, team_id, outcome, service, bucket", team).await
}

/// Adds `rows` (key values, counts) to `table`, whose key is `keys`, each key at most once.
async fn upsert(db: &impl ConnectionTrait, table: &str, keys: &str, rows: Vec<(Vec<Value>, Counts)>) -> ApiResult<()> {
    let rows: Vec<(Vec<Value>, Counts)> = rows.into_iter().filter(|(_, c)| *c != Counts::default()).collect();
    for part in rows.chunks(ROWS_PER_STATEMENT) {
        let mut values: Vec<Value> = Vec::new();
        let tuples = value_rows(
            &mut values,
            part.iter().map(|(key, Counts(c))| [key.clone(), c.map(Value::from).to_vec()].concat()),
        );
        let sql = format!(
            "INSERT INTO {table} ({keys}, kept, broken, pending) VALUES {tuples} ON CONFLICT ({keys}) DO UPDATE SET \
             kept = {table}.kept + excluded.kept, broken = {table}.broken + excluded.broken, \
             pending = {table}.pending + excluded.pending"
        );
        db.execute_raw(Statement::from_sql_and_values(db.get_database_backend(), sql, values)).await?;
    }
    Ok(())
}

/// The groups of the promises of `case_ids` as they stand in `db`.
async fn groups(db: &impl ConnectionTrait, offset: FixedOffset, case_ids: &[i32]) -> ApiResult<BTreeMap<i32, Group>> {
    let mut out = BTreeMap::new();
    let backend = db.get_database_backend();
    for part in case_ids.chunks(500) {
        let sql = format!(
            "SELECT p.case_id AS case_id, {} {FROM} WHERE p.case_id IN ({})",
            group_of(backend, offset),
            places(0, part.len())
        );
        let values: Vec<Value> = part.iter().map(|id| Value::from(*id)).collect();
        for row in db.query_all_raw(Statement::from_sql_and_values(backend, sql, values)).await? {
            out.insert(row.try_get("", "case_id")?, group_from(&row)?);
        }
    }
    Ok(out)
}

/// Promises whose status a recomputation changed, in its transaction, after the changes: each
/// `(case id, status before — none for a promise stored now —, status after)`.
pub async fn changed(
    db: &impl ConnectionTrait,
    offset: FixedOffset,
    changes: &[(i32, Option<PromiseStatus>, PromiseStatus)],
) -> ApiResult<()> {
    if changes.is_empty() {
        return Ok(());
    }
    let ids: Vec<i32> = changes.iter().map(|c| c.0).collect();
    let groups = groups(db, offset, &ids).await?;
    let mut sums: BTreeMap<Group, Counts> = BTreeMap::new();
    for (case_id, before, after) in changes {
        let Some(group) = groups.get(case_id) else { continue };
        let entry = sums.entry(group.clone()).or_default();
        if let Some(before) = before {
            entry.add(Counts::of(*before, -1));
        }
        entry.add(Counts::of(*after, 1));
    }
    apply(db, sums).await
}

/// After a change of QC's outcome of case `case_id` (its validation, its follow-up closed), in
/// the change's transaction: its promise, if it has one stored yet, moves from the group it
/// counted in (outcome `was`, officer `qco_was`, or the officer unchanged) to its group now. The
/// promise's row is locked first (PostgreSQL; SQLite has one writer), so a recomputation of the
/// same promise either finished before (and its status is read here) or waits and then reads the
/// new group.
pub async fn regrouped(
    db: &impl ConnectionTrait,
    offset: FixedOffset,
    case_id: i32,
    was: QcOutcome,
    qco_was: Option<i32>,
) -> ApiResult<()> {
    let locked = entity::case_promises::Entity::find_by_id(case_id)
        .select_only()
        .column(entity::case_promises::Column::CaseId)
        .lock_exclusive()
        .into_tuple::<i32>()
        .one(db)
        .await?;
    if locked.is_none() {
        return Ok(());
    }
    let backend = db.get_database_backend();
    let sql = format!("SELECT p.status AS status, {} {FROM} WHERE p.case_id = $1", group_of(backend, offset));
    let Some(row) = db.query_one_raw(Statement::from_sql_and_values(backend, sql, [case_id.into()])).await? else {
        return Ok(());
    };
    let status: String = row.try_get("", "status")?;
    let Ok(status) = status.parse::<PromiseStatus>() else { return Ok(()) };
    let now = group_from(&row)?;
    let before = Group { outcome: was.as_str().to_owned(), qco_id: qco_was.unwrap_or(now.qco_id), ..now.clone() };
    if before == now {
        return Ok(());
    }
    apply(db, BTreeMap::from([(before, Counts::of(status, -1)), (now, Counts::of(status, 1))])).await
}

/// Recomputes both tables from the stored promises and the disposed agrees' tombstones, in the
/// caller's transaction.
pub async fn rebuild(db: &impl ConnectionTrait, offset: FixedOffset) -> ApiResult<()> {
    let backend = db.get_database_backend();
    let d = day_of(backend, "d.call_at", offset);
    let promises = format!("SELECT {}, {COUNTED} {FROM} GROUP BY 1, 2, 3, 4, 5, 6, 7", group_of(backend, offset));
    let disposed = format!(
        "SELECT {d} AS day, COALESCE(d.team_id, 0) AS team_id, d.agent_id AS agent_id, 0 AS qco_id, \
           CASE WHEN d.approved THEN '{}' ELSE '{}' END AS outcome, d.service AS service, d.bucket AS bucket, \
           SUM(CASE WHEN d.promise_status = 'kept' THEN 1 ELSE 0 END) AS kept, \
           SUM(CASE WHEN d.promise_status = 'broken' THEN 1 ELSE 0 END) AS broken, \
           SUM(CASE WHEN d.promise_status = 'pending' THEN 1 ELSE 0 END) AS pending \
         FROM disposed_records d WHERE d.form = '{}' AND d.promise_status IS NOT NULL AND d.call_at IS NOT NULL \
           AND d.agent_id IS NOT NULL AND d.service IS NOT NULL AND d.bucket IS NOT NULL \
         GROUP BY 1, 2, 3, 4, 5, 6, 7",
        QcOutcome::Approved.as_str(),
        QcOutcome::ReturnedClosed.as_str(),
        domain::cases::F19_CODE
    );
    for table in ["promise_day_stats", "promise_team_day_stats"] {
        db.execute_raw(Statement::from_string(backend, format!("DELETE FROM {table}"))).await?;
    }
    let keys = "day, team_id, agent_id, qco_id, outcome, service, bucket";
    db.execute_raw(Statement::from_string(
        backend,
        format!(
            "INSERT INTO promise_day_stats ({keys}, kept, broken, pending) \
             SELECT {keys}, SUM(kept), SUM(broken), SUM(pending) FROM ({promises} UNION ALL {disposed}) u \
             GROUP BY {keys}"
        ),
    ))
    .await?;
    let keys = "day, team_id, outcome, service, bucket";
    db.execute_raw(Statement::from_string(
        backend,
        format!(
            "INSERT INTO promise_team_day_stats ({keys}, kept, broken, pending) \
             SELECT {keys}, SUM(kept), SUM(broken), SUM(pending) FROM promise_day_stats GROUP BY {keys}"
        ),
    ))
    .await?;
    Ok(())
}

/// The settings key saying for which site zone the roll-up was built.
const BUILT_FOR: &str = "promise_rollup_zone";

/// At start: rebuilds the roll-up in one transaction when it was built for another site zone, or
/// never; answers whether it did.
pub async fn ensure(state: &crate::state::AppState) -> ApiResult<bool> {
    let tables = "promise_day_stats, promise_team_day_stats";
    crate::db::ensure_built(state, BUILT_FOR, 1, tables, async |txn, offset| rebuild(txn, offset).await).await
}

/// What the report groups its rows by, as a column of the roll-up.
pub enum By {
    Agent,
    Team,
    Qco,
    Outcome,
    Service,
    Bucket,
    Month,
}

/// The report's rows: the roll-up's counts of the days `from..=to` in `only` (the dashboards'
/// roll-up scope, read by the same filter), summed per value of `by` as text (`0` for no team or
/// no officer) — `(key, kept, broken, pending)`. Reads the table without agents unless the
/// grouping or `only` needs them.
pub async fn report_rows(
    db: &impl ConnectionTrait,
    by: By,
    only: Scope,
    (from, to): (Date, Date),
) -> ApiResult<Vec<(String, [i64; 3])>> {
    let key = match by {
        By::Agent => "CAST(agent_id AS TEXT)",
        By::Team => "CAST(team_id AS TEXT)",
        By::Qco => "CAST(qco_id AS TEXT)",
        By::Outcome => "outcome",
        By::Service => "service",
        By::Bucket => "bucket",
        By::Month => "substr(day, 1, 7)",
    };
    let agents = matches!(by, By::Agent | By::Qco) || only.agent.is_some();
    let table = if agents { "promise_day_stats" } else { "promise_team_day_stats" };
    let (filter, values) = filtered(only, from, to);
    // CAST: SUM of BIGINT is NUMERIC on PostgreSQL.
    let sql = format!(
        "SELECT {key} AS grp, CAST(SUM(kept) AS BIGINT) AS kept, CAST(SUM(broken) AS BIGINT) AS broken, \
           CAST(SUM(pending) AS BIGINT) AS pending FROM {table} WHERE {filter} GROUP BY {key}"
    );
    let rows = db.query_all_raw(Statement::from_sql_and_values(db.get_database_backend(), sql, values)).await?;
    let mut out = Vec::with_capacity(rows.len());
    for row in rows {
        let counts = [count(&row, "kept"), count(&row, "broken"), count(&row, "pending")];
        out.push((row.try_get("", "grp")?, counts));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_change_of_status_moves_one_count() {
        let mut c = Counts::of(PromiseStatus::Pending, -1);
        c.add(Counts::of(PromiseStatus::Kept, 1));
        assert_eq!(c, Counts([1, 0, -1]));
        assert_eq!(places(2, 3), "$3, $4, $5");
    }
}
